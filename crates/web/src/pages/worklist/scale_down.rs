//! `POST /worklist/scale-down/{id}`: one click asks the provider to plan the
//! scale-down of an indication.

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
