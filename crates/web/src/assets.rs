//! Front-end assets, vendored in `assets/` and embedded in the binary: the
//! application never needs npm or the network at run time.

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rust_embed::Embed;

#[derive(Embed)]
#[folder = "../../assets/"]
#[exclude = "*.md"]
struct Assets;

pub async fn serve(Path(path): Path<String>) -> Response {
    match Assets::get(&path) {
        Some(file) => {
            let mime = mime_guess::from_path(&path).first_or_octet_stream();
            let mut resp = (StatusCode::OK, file.data.into_owned()).into_response();
            let headers = resp.headers_mut();
            if let Ok(v) = HeaderValue::from_str(mime.as_ref()) {
                headers.insert(header::CONTENT_TYPE, v);
            }
            // Versioned by the binary: a day of caching, revalidated on restart via ETag.
            headers.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=86400"),
            );
            if let Ok(v) =
                HeaderValue::from_str(&format!("\"{}\"", hex_prefix(&file.metadata.sha256_hash())))
            {
                headers.insert(header::ETAG, v);
            }
            resp
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

fn hex_prefix(hash: &[u8; 32]) -> String {
    hash.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// The vendored paths the layout links to, checked by a test.
#[cfg(test)]
const STYLESHEETS: &[&str] = &[
    "vendor/utrecht-component-library-css-9.0.4/index.css",
    "theme.css",
    "app.css",
];

#[cfg(test)]
mod tests {
    #[test]
    fn the_layout_assets_are_embedded() {
        for path in super::STYLESHEETS.iter().chain(["session.js"].iter()) {
            assert!(super::Assets::get(path).is_some(), "{path} is not embedded");
        }
    }
}
