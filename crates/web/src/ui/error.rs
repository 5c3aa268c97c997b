//! Errors as pages: a clear message for the user, details in the log.
//!
//! Handlers return [`AppError`] and use `?` on store calls. The error does not
//! know the user's language: [`error_pages`] resolves the language once per
//! request and renders the error page in it, so every refusal looks the same
//! wherever it comes from.

use askama::Template;
use axum::extract::Request;
use axum::extract::rejection::FormRejection;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use waakvlam_store::StoreError;

use crate::i18n::Tr;
use crate::ui::session::language;
use crate::ui::{Chrome, render};

#[derive(Debug)]
pub enum AppError {
    /// Not logged in (or the session expired): back to the login page.
    LoginRequired {
        expired: bool,
    },
    Forbidden,
    NotFound,
    BadRequest(String),
    /// The body of a form could not be read.
    Form(FormRejection),
    Store(StoreError),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> AppError {
        AppError::Store(e)
    }
}

impl From<FormRejection> for AppError {
    fn from(e: FormRejection) -> AppError {
        AppError::Form(e)
    }
}

/// Asks [`error_pages`] to render the error page with this text.
#[derive(Clone, Copy, Debug)]
struct ErrorPageMarker(&'static str);

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let key = match self {
            AppError::LoginRequired { expired } => {
                return Redirect::to(if expired {
                    "/login?expired=1"
                } else {
                    "/login"
                })
                .into_response();
            }
            AppError::BadRequest(msg) => return (StatusCode::BAD_REQUEST, msg).into_response(),
            AppError::Form(rejection) => return rejection.into_response(),
            AppError::Forbidden | AppError::Store(StoreError::Denied) => {
                (StatusCode::FORBIDDEN, "error-forbidden")
            }
            AppError::NotFound | AppError::Store(StoreError::NotFound { .. }) => {
                (StatusCode::NOT_FOUND, "error-not-found")
            }
            AppError::Store(e) => {
                tracing::error!(error = %e, "request failed");
                (StatusCode::INTERNAL_SERVER_ERROR, "error-internal")
            }
        };
        let (status, key) = key;
        let mut resp = status.into_response();
        resp.extensions_mut().insert(ErrorPageMarker(key));
        resp
    }
}

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
    let resp = next.run(req).await;
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
