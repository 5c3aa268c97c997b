//! Waakvlam's HTTP layer: server-rendered pages (askama), Fluent texts and
//! embedded assets on axum. Handlers are thin: they parse the request, call
//! the store (which enforces tenancy and writes the access log) and render.

mod assets;
mod auth;
mod catalogue;
mod client;
mod decide;
mod error;
pub mod i18n;
mod indications;
mod monitoring;
mod pages;
mod portal;
mod security;
mod worklist;

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::routing::{get, post};
use tokio::net::TcpListener;
use waakvlam_store::Store;
use waakvlam_store::sessions::SessionPolicy;
use waakvlam_store::throttle::ThrottlePolicy;

pub use error::AppError;

/// Settings of the web layer.
#[derive(Clone, Debug)]
pub struct WebConfig {
    /// Mark cookies `Secure`. Browsers and curl accept Secure cookies on
    /// http://127.0.0.1 and localhost, so this stays on for the demo too.
    pub secure_cookies: bool,
    /// Take the client address from `X-Forwarded-For` (behind a reverse proxy).
    pub trust_forwarded_for: bool,
    pub session: SessionPolicy,
    pub throttle: ThrottlePolicy,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            secure_cookies: true,
            trust_forwarded_for: false,
            session: SessionPolicy::default(),
            throttle: ThrottlePolicy::default(),
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: WebConfig,
}

/// All routes of the application.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(pages::home))
        .route("/login", get(auth::login_page).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/session/extend", post(auth::extend_session))
        .route("/lang/{code}", get(auth::set_language))
        .route("/caseload", get(pages::caseload))
        .route("/caseload/assign", post(pages::assign))
        .route("/clients/{id}", get(client::page))
        .route("/clients/{id}/contacts", post(client::log_contact))
        .route("/clients/{id}/rhythm", post(client::set_rhythm))
        .route("/clients/{id}/bells/{bell_id}", post(client::update_bell))
        .route("/clients/{id}/requests", post(client::request_scale))
        .route("/clients/{id}/end", post(client::end_waakvlam))
        .route("/worklist", get(worklist::page))
        .route("/worklist/scale-down/{id}", post(worklist::ask_to_plan))
        .route("/residents", get(indications::residents_page))
        .route("/residents/{id}", get(indications::pathway_page))
        .route(
            "/residents/{id}/indications/new",
            get(indications::new_page),
        )
        .route("/residents/{id}/indications", post(indications::create))
        .route("/indications/{id}", get(indications::show))
        .route(
            "/indications/{id}/edit",
            get(indications::edit_page).post(indications::update),
        )
        .route("/indications/{id}/extend", post(indications::extend))
        .route("/indications/{id}/end", post(indications::end))
        .route("/worklist/requests/{id}", get(decide::show))
        .route("/worklist/requests/{id}/approve", post(decide::approve))
        .route("/worklist/requests/{id}/reject", post(decide::reject))
        .route("/catalogue", get(catalogue::show))
        .route("/catalogue/tariffs", post(catalogue::set_tariff))
        .route(
            "/catalogue/own-contributions",
            post(catalogue::set_contribution),
        )
        .route(
            "/catalogue/own-contributions/abolish",
            post(catalogue::abolish_contribution),
        )
        .route("/catalogue/products", post(catalogue::create_product))
        .route("/catalogue/products/new", get(catalogue::new_product))
        .route(
            "/catalogue/products/{id}",
            get(catalogue::edit_product).post(catalogue::update_product),
        )
        .route("/monitoring", get(monitoring::page))
        .route("/monitoring/export/{file}", get(monitoring::export))
        .route("/admin", get(pages::admin))
        .route("/me", get(portal::me))
        .route("/me/help", get(portal::me_help_page).post(portal::me_help))
        .route("/me/check-in", post(portal::check_in))
        .route("/me/plan", get(portal::plan))
        .route("/me/plan/notes", post(portal::add_note))
        .route(
            "/me/messages",
            get(portal::messages).post(portal::send_message),
        )
        .route("/me/sharing", get(portal::sharing).post(portal::invite))
        .route("/me/sharing/{id}/remove", post(portal::remove_share))
        .route("/me/log", get(portal::log))
        .route(
            "/me/helper",
            get(portal::helper).post(portal::choose_helper),
        )
        .route("/shared", get(portal::shared))
        .route("/shared/{id}", get(portal::shared_plan))
        .route("/shared/{id}/messages", post(portal::shared_message))
        .route(
            "/activate",
            get(portal::activate_page).post(portal::activate),
        )
        .route("/helper-requests", get(portal::helper_requests))
        .route("/helper-requests/{id}", post(portal::decide_helper_request))
        .route("/clients/{id}/messages", post(portal::client_message))
        .route(
            "/clients/{id}/activation-code",
            post(portal::client_activation_code),
        )
        .route("/healthz", get(pages::healthz))
        .route("/assets/{*path}", get(assets::serve))
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn(security::headers))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(1024 * 1024))
        .with_state(state)
}

/// Serves until `shutdown` resolves, then finishes in-flight requests.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let store = state.store.clone();
    let policy = state.config.session;
    // Expired sessions are refused on use anyway; this keeps the table small.
    let purger = tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(600));
        loop {
            tick.tick().await;
            if let Err(e) = waakvlam_store::sessions::purge_expired(&store, policy).await {
                tracing::warn!(error = %e, "could not purge expired sessions");
            }
        }
    });
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    let result = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await;
    purger.abort();
    result
}
