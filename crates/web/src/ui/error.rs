//! Errors as pages: a clear message for the user, details in the log.
//!
//! Handlers return [`AppError`] and use `?` on store calls. The error does not
//! know the user's language: the layer in `ui::layers` resolves the language
//! once per request and renders the error page in it, so every refusal looks
//! the same wherever it comes from.

use axum::extract::rejection::FormRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use waakvlam_domain::refusal::Refusal;
use waakvlam_store::StoreError;

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

/// Received iWmo messages that could not be taken in at all: no validator
/// (xmllint) on the server, or the database failed — the server's fault.
impl From<waakvlam_store::iwmo::inbox::InboxError> for AppError {
    fn from(e: waakvlam_store::iwmo::inbox::InboxError) -> AppError {
        use waakvlam_store::iwmo::inbox::InboxError;
        match e {
            InboxError::Store(e) => AppError::Store(e),
            InboxError::Schema(e) => e.into(),
        }
    }
}

impl From<waakvlam_iwmo::schema::SchemaError> for AppError {
    fn from(e: waakvlam_iwmo::schema::SchemaError) -> AppError {
        AppError::Store(StoreError::Internal(e.to_string()))
    }
}

impl From<FormRejection> for AppError {
    fn from(e: FormRejection) -> AppError {
        AppError::Form(e)
    }
}

/// Asks the error-page layer ([`crate::ui::layers::error_pages`]) to say
/// these refusals in the request's language.
#[derive(Clone, Debug)]
pub struct RefusedMarker(pub Vec<Refusal>);

/// Asks the error-page layer ([`crate::ui::layers::error_pages`]) to render
/// the error page with this text.
#[derive(Clone, Copy, Debug)]
pub struct ErrorPageMarker(pub &'static str);

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
            // Input the store refused, on a post that no page re-shows: a
            // plain 400 with the reasons in the user's language, so a
            // handler can use `?` on every store call.
            AppError::Store(StoreError::Invalid(refusals)) => {
                let mut resp = StatusCode::BAD_REQUEST.into_response();
                resp.extensions_mut().insert(RefusedMarker(refusals));
                return resp;
            }
            AppError::Store(StoreError::Conflict(refusal)) => {
                let mut resp = StatusCode::CONFLICT.into_response();
                resp.extensions_mut().insert(RefusedMarker(vec![refusal]));
                return resp;
            }
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
