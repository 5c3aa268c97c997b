//! Front-end assets, vendored in `assets/` and embedded in the binary: the
//! application never needs npm or the network at run time.
//!
//! Pages link each asset by a fingerprinted name (`/assets/app.3f9a1c2b5d6e7f80.css`,
//! see [`url`]): the content's hash is in the name, so the answer may be kept
//! for a year (`immutable`) and a new release is fetched at once. Text assets
//! are compressed once per process (brotli and gzip, chosen by the request's
//! `Accept-Encoding`), and a repeated request with the same `If-None-Match`
//! gets a 304 — a resident's cheap phone on a prepaid plan fetches the
//! stylesheets once.

use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, LazyLock, Mutex, Once};

use axum::body::Bytes;
use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rust_embed::Embed;

#[derive(Embed)]
#[folder = "../../assets/"]
#[exclude = "*.md"]
struct Assets;

/// A fingerprinted asset is kept this long (a year) and never revalidated.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// An asset asked for by its plain name (an old link): revalidated each time.
const REVALIDATE: &str = "public, max-age=0, must-revalidate";

/// The content's fingerprint: the first 8 bytes of its SHA-256, in hex.
fn fingerprint(path: &str) -> Option<String> {
    Assets::get(path).map(|f| {
        f.metadata
            .sha256_hash()
            .iter()
            .take(8)
            .map(|b| format!("{b:02x}"))
            .collect()
    })
}

/// The URL a page links an asset by: its name with the content's
/// fingerprint before the extension. An unknown path is linked as it is
/// (and answers 404), so a typo shows in the tests.
pub fn url(path: &str) -> String {
    let Some(hash) = fingerprint(path) else {
        return format!("/assets/{path}");
    };
    match path.rsplit_once('.') {
        Some((stem, ext)) if !ext.contains('/') => format!("/assets/{stem}.{hash}.{ext}"),
        _ => format!("/assets/{path}.{hash}"),
    }
}

/// `app.3f9a1c2b5d6e7f80.css` → (`app.css`, the fingerprint), when the
/// fingerprint is 16 hex digits.
fn split_fingerprint(path: &str) -> Option<(String, &str)> {
    let (rest, ext) = path.rsplit_once('.')?;
    let (stem, hash) = rest.rsplit_once('.')?;
    (hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| (format!("{stem}.{ext}"), hash))
}

/// An asset ready to serve: its bytes as they are and compressed.
struct Prepared {
    mime: String,
    etag: String,
    // Bytes: each answer shares them instead of copying.
    identity: Bytes,
    /// `None` for what does not compress (images, fonts).
    brotli: Option<Bytes>,
    gzip: Option<Bytes>,
}

fn compressible(mime: &str) -> bool {
    mime.starts_with("text/")
        || mime.contains("javascript")
        || mime.contains("json")
        || mime.contains("svg")
}

fn prepare(path: &str) -> Option<Prepared> {
    let file = Assets::get(path)?;
    let mime = mime_guess::from_path(path)
        .first_or_octet_stream()
        .to_string();
    let identity = file.data.into_owned();
    let (brotli, gzip) = if compressible(&mime) {
        let mut br = Vec::new();
        {
            let mut w = brotli::CompressorWriter::new(&mut br, 4096, 11, 22);
            w.write_all(&identity).ok()?;
        }
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&identity).ok()?;
        (Some(Bytes::from(br)), gz.finish().ok().map(Bytes::from))
    } else {
        (None, None)
    };
    Some(Prepared {
        mime,
        etag: format!("\"{}\"", fingerprint(path)?),
        identity: Bytes::from(identity),
        brotli,
        gzip,
    })
}

static PREPARED: LazyLock<Mutex<HashMap<String, Arc<Prepared>>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

/// The prepared asset, compressed on first use (off the async workers).
async fn prepared(path: &str) -> Option<Arc<Prepared>> {
    if let Some(p) = PREPARED.lock().ok()?.get(path) {
        return Some(p.clone());
    }
    let owned = path.to_owned();
    let p = Arc::new(
        tokio::task::spawn_blocking(move || prepare(&owned))
            .await
            .ok()??,
    );
    PREPARED.lock().ok()?.insert(path.to_owned(), p.clone());
    Some(p)
}

/// Compresses the layout's assets once in the background, so that the first
/// visitor does not wait for it.
pub fn warm() {
    static WARM: Once = Once::new();
    WARM.call_once(|| {
        std::thread::spawn(|| {
            for path in Assets::iter() {
                if let Some(p) = prepare(&path)
                    && let Ok(mut map) = PREPARED.lock()
                {
                    map.entry(path.into_owned()).or_insert_with(|| Arc::new(p));
                }
            }
        });
    });
}

/// Which encodings the client takes (`q=0` refuses one).
fn accepts(headers: &HeaderMap, coding: &str) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|part| {
            let mut pieces = part.split(';').map(str::trim);
            let name = pieces.next().unwrap_or_default();
            let refused = pieces.any(|p| {
                p.strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            name.eq_ignore_ascii_case(coding) && !refused
        })
}

pub async fn serve(Path(path): Path<String>, headers: HeaderMap) -> Response {
    // A fingerprinted name of the current content is kept for a year; any
    // other name (a plain one, or an older release's fingerprint) is served
    // as it is now and revalidated.
    let (name, cache) = match split_fingerprint(&path) {
        Some((name, hash)) if fingerprint(&name).as_deref() == Some(hash) => (name, IMMUTABLE),
        Some((name, _)) if Assets::get(&name).is_some() => (name, REVALIDATE),
        _ => (path, REVALIDATE),
    };
    let Some(asset) = prepared(&name).await else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mut out = HeaderMap::new();
    out.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    out.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    if let Ok(v) = HeaderValue::from_str(&asset.etag) {
        out.insert(header::ETAG, v);
    }
    let unchanged = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|t| t.trim().trim_start_matches("W/") == asset.etag || t.trim() == "*")
        });
    if unchanged {
        return (StatusCode::NOT_MODIFIED, out).into_response();
    }
    if let Ok(v) = HeaderValue::from_str(&asset.mime) {
        out.insert(header::CONTENT_TYPE, v);
    }
    let body = match (&asset.brotli, &asset.gzip) {
        (Some(br), _) if accepts(&headers, "br") => {
            out.insert(header::CONTENT_ENCODING, HeaderValue::from_static("br"));
            br.clone()
        }
        (_, Some(gz)) if accepts(&headers, "gzip") => {
            out.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            gz.clone()
        }
        _ => asset.identity.clone(),
    };
    (StatusCode::OK, out, body).into_response()
}

/// The vendored paths the layout links to, checked by a test.
#[cfg(test)]
const STYLESHEETS: &[&str] = &[
    "vendor/utrecht-component-library-css-9.0.4/index.css",
    "theme.css",
    "app.css",
];

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    #[test]
    fn the_layout_assets_are_embedded() {
        for path in super::STYLESHEETS.iter().chain(["session.js"].iter()) {
            assert!(super::Assets::get(path).is_some(), "{path} is not embedded");
        }
    }

    #[test]
    fn a_fingerprinted_name_leads_back_to_its_file() {
        let url = super::url("app.css");
        let name = url.trim_start_matches("/assets/");
        let (plain, hash) = super::split_fingerprint(name).unwrap();
        assert_eq!(plain, "app.css");
        assert_eq!(Some(hash.to_owned()), super::fingerprint("app.css"));
        let vendor = super::url("vendor/htmx.org-2.0.11/htmx.min.js");
        assert!(
            vendor.starts_with("/assets/vendor/htmx.org-2.0.11/htmx.min."),
            "{vendor}"
        );
        let (plain, _) = super::split_fingerprint(vendor.trim_start_matches("/assets/")).unwrap();
        assert_eq!(plain, "vendor/htmx.org-2.0.11/htmx.min.js");
    }
}
