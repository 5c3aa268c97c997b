//! Request figures and the request log, and `GET /metrics` in the
//! Prometheus text format.
//!
//! Every request is timed by [`track`] (the outermost layer of the public
//! router) under its route template as axum matched it (`/clients/{id}`,
//! never the path with its ids, never a query string), its method and its
//! status, and logged as one line. `/metrics` is served only by
//! [`metrics_router`], which the server binds to a separate address
//! (`--metrics-addr`), never on the public router.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::{Arc, LazyLock, Mutex, PoisonError};
use std::time::Instant;

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use waakvlam_store::metrics::{Histogram, backlog};
use waakvlam_store::{Actor, Store};

/// The route a request matched none of (the "not found" page).
const UNMATCHED: &str = "unmatched";

/// One series: route template, method, status.
type Key = (String, String, u16);

/// The request histograms of this process (one per series; there are as many
/// series as routes times the statuses they answer, so the set stays small).
static REQUESTS: LazyLock<Mutex<BTreeMap<Key, Arc<Histogram>>>> =
    LazyLock::new(|| Mutex::new(BTreeMap::new()));

fn series(key: Key) -> Arc<Histogram> {
    REQUESTS
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .entry(key)
        .or_default()
        .clone()
}

/// Times a request and logs it: route template, method, status, duration.
pub async fn track(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or(UNMATCHED, MatchedPath::as_str)
        .to_owned();
    let method = request.method().as_str().to_owned();
    let response = next.run(request).await;
    let elapsed = started.elapsed();
    let status = response.status().as_u16();
    tracing::info!(
        target: "waakvlam::request",
        method = %method,
        route = %route,
        status,
        ms = (elapsed.as_secs_f64() * 1_000_000.0).round() / 1000.0,
        "request"
    );
    series((route, method, status)).observe(elapsed);
    response
}

/// The metrics endpoint alone, for the separate metrics address.
pub fn metrics_router(store: Store) -> Router {
    Router::new()
        .route("/metrics", get(metrics))
        .with_state(store)
}

/// Serves [`metrics_router`] until `shutdown` resolves.
pub async fn serve_metrics(
    listener: tokio::net::TcpListener,
    store: Store,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, metrics_router(store))
        .with_graceful_shutdown(shutdown)
        .await
}

/// A label value with `\`, `"` and newlines escaped.
fn label(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

async fn metrics(State(store): State<Store>) -> Response {
    let text = render(&store).await;
    (
        StatusCode::OK,
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        text,
    )
        .into_response()
}

/// Everything `/metrics` shows, in the Prometheus text format.
pub async fn render(store: &Store) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# HELP waakvlam_build_info The running version.\n# TYPE waakvlam_build_info gauge\nwaakvlam_build_info{{version=\"{}\"}} 1",
        label(crate::version())
    );

    out.push_str(
        "# HELP waakvlam_http_request_duration_seconds Requests answered and how long they took, by route template, method and status.\n# TYPE waakvlam_http_request_duration_seconds histogram\n",
    );
    let requests: Vec<(Key, Arc<Histogram>)> = REQUESTS
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .iter()
        .map(|(k, h)| (k.clone(), h.clone()))
        .collect();
    for ((route, method, status), h) in &requests {
        let labels = format!(
            "route=\"{}\",method=\"{}\",status=\"{status}\"",
            label(route),
            label(method)
        );
        h.render(&mut out, "waakvlam_http_request_duration_seconds", &labels);
    }

    out.push_str(
        "# HELP waakvlam_access_log_write_duration_seconds How long a unit of work took to append its access-log entries and commit.\n# TYPE waakvlam_access_log_write_duration_seconds histogram\n",
    );
    store
        .access_log_writes()
        .render(&mut out, "waakvlam_access_log_write_duration_seconds", "");

    let pool = store.pool_status();
    let _ = writeln!(
        out,
        "# HELP waakvlam_db_pool_connections Database connections of the pool, by state.\n# TYPE waakvlam_db_pool_connections gauge\nwaakvlam_db_pool_connections{{state=\"in_use\"}} {}\nwaakvlam_db_pool_connections{{state=\"idle\"}} {}\n# HELP waakvlam_db_pool_max_connections The most connections the pool opens.\n# TYPE waakvlam_db_pool_max_connections gauge\nwaakvlam_db_pool_max_connections {}",
        pool.in_use(),
        pool.idle,
        pool.max
    );

    let system = Actor::system("metrics");
    let counted = store
        .read(&system, async |cx| backlog(cx).await)
        .await
        .inspect_err(|e| tracing::warn!(error = %e, "metrics: cannot count the outbox backlog"));
    let _ = writeln!(
        out,
        "# HELP waakvlam_database_up Whether the database answered this scrape.\n# TYPE waakvlam_database_up gauge\nwaakvlam_database_up {}",
        u8::from(counted.is_ok())
    );
    if let Ok(b) = counted {
        let _ = writeln!(
            out,
            "# HELP waakvlam_outbox_pending Messages waiting to leave, by outbox: notifications to mail, outgoing iWmo messages to export.\n# TYPE waakvlam_outbox_pending gauge\nwaakvlam_outbox_pending{{outbox=\"notifications\"}} {}\nwaakvlam_outbox_pending{{outbox=\"iwmo\"}} {}",
            b.notifications, b.iwmo_messages
        );
    }
    out
}
