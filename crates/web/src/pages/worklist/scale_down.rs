//! `POST /worklist/scale-down/{id}`: one click asks the provider to plan the
//! scale-down of an indication.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use waakvlam_store::worklists;

use crate::AppState;
use crate::ui::error::AppError;
use crate::ui::extract::{Consultant, CsrfForm};
use crate::ui::form::NoFields;

/// One click: ask the provider to plan the scale-down of this indication.
pub async fn ask_to_plan(
    State(state): State<AppState>,
    Path(indication_id): Path<i64>,
    CsrfForm(user, NoFields {}): CsrfForm<Consultant, NoFields>,
) -> Result<Response, AppError> {
    worklists::ask_to_plan_scale_down(&state.store, &user.actor, indication_id, None).await?;
    Ok(Redirect::to("/worklist?decided=planning#inventory-heading").into_response())
}
