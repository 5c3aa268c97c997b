//! Errors as pages: a clear message for the user, details in the log.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use waakvlam_domain::refusal::Refusal;
use waakvlam_store::StoreError;

use crate::i18n::Tr;
use crate::pages::{Chrome, ErrorPage, render};

#[derive(Debug)]
pub enum AppError {
    /// Not logged in (or the session expired): back to the login page.
    LoginRequired {
        expired: bool,
    },
    Forbidden(Tr),
    NotFound(Tr),
    BadRequest(String),
    Store(StoreError, Tr),
}

impl AppError {
    pub fn store(e: StoreError, t: Tr) -> AppError {
        AppError::Store(e, t)
    }
}

/// Every refusal of the input in the user's language, one after another
/// (for pages that show a single message rather than one per field).
pub fn refusals_text(t: Tr, refusals: &[Refusal], area: Option<&str>) -> String {
    refusals
        .iter()
        .map(|r| t.refusal(&r.reason, area))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A refused input as a 400 page in the user's language; other errors as usual.
pub fn bad_input(t: Tr) -> impl FnOnce(StoreError) -> AppError {
    move |e| match e {
        StoreError::Invalid(r) => AppError::BadRequest(refusals_text(t, &r, None)),
        other => AppError::Store(other, t),
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match self {
            AppError::LoginRequired { expired } => Redirect::to(if expired {
                "/login?expired=1"
            } else {
                "/login"
            })
            .into_response(),
            AppError::Forbidden(t) => page(StatusCode::FORBIDDEN, t, "error-forbidden"),
            AppError::NotFound(t) => page(StatusCode::NOT_FOUND, t, "error-not-found"),
            AppError::BadRequest(msg) => (StatusCode::BAD_REQUEST, msg).into_response(),
            AppError::Store(StoreError::Denied, t) => {
                page(StatusCode::FORBIDDEN, t, "error-forbidden")
            }
            AppError::Store(StoreError::NotFound { .. }, t) => {
                page(StatusCode::NOT_FOUND, t, "error-not-found")
            }
            AppError::Store(e, t) => {
                tracing::error!(error = %e, "request failed");
                page(StatusCode::INTERNAL_SERVER_ERROR, t, "error-internal")
            }
        }
    }
}

fn page(status: StatusCode, t: Tr, key: &str) -> Response {
    let body = render(&ErrorPage {
        chrome: Chrome::anonymous(t, t.get("error-title"), "/"),
        message: t.get(key),
    });
    (status, body).into_response()
}
