//! Acknowledging and resolving the resident's bell (`POST /clients/{id}/bells/{bell_id}`).

use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;
use waakvlam_store::client;

use super::page::respond;
use crate::AppState;
use crate::ui::error::AppError;
use crate::ui::extract::{Care, CsrfForm};

#[derive(Deserialize)]
pub struct BellForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    resolution: String,
}

pub async fn update_bell(
    State(state): State<AppState>,
    Path((id, bell_id)): Path<(i64, i64)>,
    CsrfForm(user, form): CsrfForm<Care, BellForm>,
) -> Result<Response, AppError> {
    let result = if form.action == "resolve" {
        client::resolve_bell(&state.store, &user.actor, id, bell_id, &form.resolution).await
    } else {
        client::acknowledge_bell(&state.store, &user.actor, id, bell_id).await
    };
    respond(&state, &user, id, result, "bell").await
}
