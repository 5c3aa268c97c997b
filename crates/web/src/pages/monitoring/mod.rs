//! `/monitoring`: the dashboards of issue 6 and their CSV exports.
//!
//! Every figure comes from `store::monitoring::dashboard` (one computation in
//! the domain), scoped by the account's organisation in the store. The page
//! shows aggregates only — never a resident — as server-rendered SVG charts
//! with the same figures in a table beside each, and a CSV link per table
//! with the same filters (optionally masked for publication).

pub mod export;
pub mod page;

use axum::routing::get;

use crate::ui::routes::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .route("/monitoring", get(page::page))
        .route("/monitoring/export/{file}", get(export::export))
}
