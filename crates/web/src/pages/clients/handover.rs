//! `POST /clients/{id}/handover/read`: the new professional marks the
//! hand-over note of a resident read; until then it stands first on the
//! resident's page and the caseload flags the resident.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use waakvlam_store::{ResidentId, handover};

use crate::AppState;
use crate::ui::error::AppError;
use crate::ui::extract::{Care, CsrfForm};
use crate::ui::form::NoFields;

pub async fn mark_read(
    State(state): State<AppState>,
    Path(id): Path<ResidentId>,
    CsrfForm(user, _): CsrfForm<Care, NoFields>,
) -> Result<Response, AppError> {
    state
        .store
        .write(&user.actor, async |cx| handover::mark_read(cx, id).await)
        .await?;
    Ok(Redirect::to(&format!("/clients/{id}")).into_response())
}
