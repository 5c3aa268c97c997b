//! The start page of each role, the health and readiness checks and the page
//! for unknown addresses.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;

use crate::AppState;
use crate::ui::error::AppError;
use crate::ui::routes::Routes;
use crate::ui::session::CurrentUser;
use crate::ui::start_page;

pub fn routes() -> Routes {
    Routes::new()
        .route("/", get(home))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
}

pub async fn home(user: CurrentUser) -> Redirect {
    Redirect::to(start_page(user.account().role))
}

pub async fn healthz(State(state): State<AppState>) -> Response {
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, format!("ok waakvlam {}", crate::version())).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

/// Ready to serve: the database answers and every migration is applied
/// (a load balancer sends traffic only then). No personal data.
pub async fn readyz(State(state): State<AppState>) -> Response {
    match state.store.ready().await {
        Ok(true) => (StatusCode::OK, "ready").into_response(),
        Ok(false) => (
            StatusCode::SERVICE_UNAVAILABLE,
            "migrations pending (run waakvlam migrate)",
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

/// Any other address: the error layer renders the page in the user's language.
pub async fn not_found() -> AppError {
    AppError::NotFound
}
