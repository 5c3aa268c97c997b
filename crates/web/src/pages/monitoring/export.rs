//! `GET /monitoring/export/{table}.csv`: one table of the dashboard as CSV,
//! with the page's filters (optionally masked for publication: small counts
//! and every cell they could be recovered from hidden, as on the page).

use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use waakvlam_store::monitoring::{self, Scope};

use super::page::{MonitoringParams, parse};
use crate::AppState;
use crate::ui::error::AppError;
use crate::ui::extract::{Analysts, Require};
use crate::ui::format::today_nl;

/// `GET /monitoring/export/{table}.csv`: one table as CSV, same filters.
pub async fn export(
    State(state): State<AppState>,
    user: Require<Analysts>,
    Path(file): Path<String>,
    Query(params): Query<MonitoringParams>,
) -> Result<Response, AppError> {
    let t = user.t;
    let Some(id) = file.strip_suffix(".csv") else {
        return Err(AppError::NotFound);
    };
    if !waakvlam_domain::monitoring::TABLES.contains(&id) {
        return Err(AppError::NotFound);
    }
    let store = &state.store;
    let today = today_nl(store.now());
    let parsed = parse(&params, today, t);
    if let Some(first) = parsed.errors.iter().next() {
        return Err(AppError::BadRequest(first.message.clone()));
    }
    let scope = Scope::of(user.account());
    let filter = &parsed.filter;
    let figures = store
        .read(&user.actor, async |cx| {
            monitoring::dashboard(cx, &scope, filter, today, parsed.assumptions).await
        })
        .await?;
    let Some(table) = figures.table(id, parsed.mask) else {
        return Err(AppError::NotFound);
    };
    let period = parsed.filter.period;
    let name = format!(
        "waakvlam-{id}-{}-{}{}.csv",
        period.from,
        period.to,
        if parsed.mask.is_some() { "-masked" } else { "" }
    );
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        table.to_csv(),
    )
        .into_response())
}
