//! The layer every request passes: the language, resolved once, and error
//! pages in that language.

use askama::Template;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::i18n::Tr;
use crate::ui::cookie::language;
use crate::ui::error::{ErrorPageMarker, RefusedMarker};
use crate::ui::form::Refusal;
use crate::ui::{Chrome, render};

#[derive(Template)]
#[template(path = "ui/error.html")]
pub struct ErrorPage {
    pub chrome: Chrome,
    pub message: String,
}

/// Resolves the request's language once (handlers and extractors take it as
/// [`Tr`]) and renders error pages in that language.
pub async fn error_pages(mut req: Request, next: Next) -> Response {
    let t = language(req.headers());
    req.extensions_mut().insert(t);
    let mut resp = next.run(req).await;
    if let Some(RefusedMarker(refusals)) = resp.extensions_mut().remove::<RefusedMarker>() {
        return (resp.status(), Refusal(refusals).text(t)).into_response();
    }
    match resp.extensions().get::<ErrorPageMarker>().copied() {
        Some(ErrorPageMarker(key)) => {
            let mut page = error_page(t, key);
            *page.status_mut() = resp.status();
            page
        }
        None => resp,
    }
}

fn error_page(t: Tr, key: &str) -> Response {
    render(&ErrorPage {
        chrome: Chrome::anonymous(t, t.get("error-title"), "/"),
        message: t.get(key),
    })
}
