//! Waakvlam's HTTP layer: server-rendered pages (askama), Fluent texts and
//! embedded assets on axum. Handlers are thin: they parse the request, call
//! the store (which enforces tenancy and writes the access log) and render.

mod assets;
pub mod i18n;
pub mod metrics;
mod pages;
mod security;
mod ui;

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::routing::get;
use tokio::net::TcpListener;
use waakvlam_store::Store;
use waakvlam_store::jobs::Job;
use waakvlam_store::sessions::SessionPolicy;
use waakvlam_store::throttle::LoginLimits;

pub use ui::error::AppError;

/// The version of this build: the package version, and the git commit when
/// the build set `WAAKVLAM_GIT_COMMIT` (`--version`, `/healthz`, `/metrics`).
pub fn version() -> &'static str {
    static VERSION: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| match option_env!("WAAKVLAM_GIT_COMMIT") {
            Some(commit) if !commit.is_empty() => {
                format!("{} ({commit})", env!("CARGO_PKG_VERSION"))
            }
            _ => env!("CARGO_PKG_VERSION").to_owned(),
        });
    &VERSION
}

/// Settings of the web layer.
#[derive(Clone, Debug)]
pub struct WebConfig {
    /// Mark cookies `Secure`. Browsers and curl accept Secure cookies on
    /// http://127.0.0.1 and localhost, so this stays on for the demo too.
    pub secure_cookies: bool,
    /// How many reverse proxies stand in front of the server (0: none). The
    /// client address is then the one the outermost of them added to
    /// `X-Forwarded-For` (counted from the right), so a client cannot choose
    /// its own logged address by sending the header itself; and
    /// `X-Forwarded-Proto: https` from them switches on HSTS.
    pub trusted_proxies: usize,
    pub session: SessionPolicy,
    pub throttle: LoginLimits,
    /// Whether notifications are mailed (an SMTP server is configured). When
    /// not, the staff start page says so: notifications are then only in
    /// the app (`/notifications`).
    pub mail_configured: bool,
    /// How long access-log entries are kept; older ones are removed by the
    /// server's periodic retention pass (default five years).
    pub access_log_retention: chrono::Duration,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            secure_cookies: true,
            trusted_proxies: 0,
            session: SessionPolicy::default(),
            throttle: LoginLimits::default(),
            mail_configured: false,
            access_log_retention: waakvlam_store::retention::RetentionPolicy::default().access_log,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: WebConfig,
}

/// Every route of the application: each area of `pages` brings its own.
fn routes() -> ui::routes::Routes {
    pages::routes().route("/assets/{*path}", get(assets::serve))
}

/// The path of every route (`/clients/{id}`), in the order they are added:
/// what the authorisation matrix test walks.
pub fn route_paths() -> Vec<&'static str> {
    routes().paths().to_vec()
}

/// The application.
pub fn router(state: AppState) -> Router {
    routes()
        .into_router()
        .method_not_allowed_fallback(ui::routes::back_to_page)
        .fallback(pages::home::not_found)
        .layer(axum::middleware::from_fn(ui::layers::error_pages))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security::headers,
        ))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(1024 * 1024))
        .layer(axum::middleware::from_fn(metrics::track))
        .with_state(state)
}

/// Serves until `shutdown` resolves, then finishes in-flight requests.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // The first visitor should not wait for the stylesheets to be compressed.
    assets::warm();
    let store = state.store.clone();
    let policy = waakvlam_store::retention::RetentionPolicy {
        access_log: state.config.access_log_retention,
        sessions: state.config.session,
        throttle: state.config.throttle,
    };
    // Retention (`waakvlam_store::retention`): expired sessions (refused on
    // use anyway; this keeps the table small), spent throttle rows and
    // activation codes, and access-log entries past the retention. Once a
    // round among all processes on one database (`Store::exclusively`).
    let purger = tokio::spawn(async move {
        let every = Duration::from_secs(600);
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            let run = store
                .exclusively(Job::Retention, Some(every), async || {
                    waakvlam_store::retention::run(&store, &policy).await
                })
                .await;
            match run {
                Ok(None) => {}
                Ok(Some(purged)) if purged.total() > 0 => tracing::info!(
                    sessions = purged.sessions,
                    throttle = purged.throttle,
                    activation_codes = purged.activation_codes,
                    access_log = purged.access_log,
                    "retention: purged"
                ),
                Ok(Some(_)) => {}
                Err(e) => tracing::warn!(error = %e, "retention: could not purge"),
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
