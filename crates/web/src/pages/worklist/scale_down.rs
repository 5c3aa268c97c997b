//! `POST /worklist/scale-down/{id}`: one click asks the provider to plan the
//! scale-down of an indication; `POST /worklist/scale-down` sends the whole
//! inventory to every provider in it at once.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use waakvlam_store::{IndicationId, scale_down_planning};

use crate::AppState;
use crate::ui::error::AppError;
use crate::ui::extract::{Consultant, CsrfForm};
use crate::ui::form::NoFields;

/// One click: ask the provider to plan the scale-down of this indication.
pub async fn ask_to_plan(
    State(state): State<AppState>,
    Path(indication_id): Path<IndicationId>,
    CsrfForm(user, NoFields {}): CsrfForm<Consultant, NoFields>,
) -> Result<Response, AppError> {
    state
        .store
        .write(&user.actor, async |cx| {
            scale_down_planning::ask(cx, indication_id, None).await
        })
        .await?;
    Ok(Redirect::to("/worklist?decided=planning#inventory-heading").into_response())
}

/// One action: every provider gets its residents of the scale-down
/// inventory that have no request waiting for an answer yet.
pub async fn send_inventory(
    State(state): State<AppState>,
    CsrfForm(user, NoFields {}): CsrfForm<Consultant, NoFields>,
) -> Result<Response, AppError> {
    let sent = state
        .store
        .write(&user.actor, async |cx| {
            scale_down_planning::ask_all(cx, super::INVENTORY_MONTHS).await
        })
        .await?;
    Ok(Redirect::to(&format!(
        "/worklist?decided=inventory&requests={}&providers={}#inventory-heading",
        sent.requests, sent.providers
    ))
    .into_response())
}
