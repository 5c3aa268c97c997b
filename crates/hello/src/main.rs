//! A static axum "hello world", the yardstick of `scripts/loadbench`: what
//! this machine serves when a request does nothing, measured in the same run
//! as Waakvlam's pages, so their figures can be given as ratios that hold
//! across machines and loads.
//!
//! Usage: `hello [ADDR]` (default 127.0.0.1:8099).

use axum::Router;
use axum::routing::get;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8099".to_owned());
    let app = Router::new().route("/", get(async || "Hello, world!"));
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    axum::serve(listener, app).await
}
