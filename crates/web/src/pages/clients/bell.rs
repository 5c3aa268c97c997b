//! Acknowledging and resolving the resident's bell (`POST /clients/{id}/bells/{bell_id}`).

use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;
use waakvlam_domain::refusal::Reason;
use waakvlam_store::care_record;
use waakvlam_store::{BellId, ResidentId};

use super::page::{Sent, refuse, respond};
use crate::AppState;
use crate::ui::error::AppError;
use crate::ui::extract::{Care, CsrfForm};
use crate::ui::form::FormErrors;

#[derive(Deserialize)]
pub struct BellForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    resolution: String,
}

pub async fn update_bell(
    State(state): State<AppState>,
    Path((id, bell_id)): Path<(ResidentId, BellId)>,
    CsrfForm(user, form): CsrfForm<Care, BellForm>,
) -> Result<Response, AppError> {
    let resolve = match form.action.as_str() {
        "resolve" => true,
        "acknowledge" => false,
        other => {
            // Only the page's two buttons send an action: anything else is
            // refused, never taken as "picked up".
            let mut errors = FormErrors::default();
            errors.add(
                "resolution",
                user.t
                    .refusal(&Reason::new("choose").with("value", other), None),
            );
            let sent = Sent::Bell {
                id: bell_id,
                resolution: form.resolution,
            };
            return refuse(&state, &user, id, sent, errors).await;
        }
    };
    let result = state
        .store
        .write(&user.actor, async |cx| {
            if resolve {
                care_record::resolve_bell(cx, id, bell_id, &form.resolution).await
            } else {
                care_record::acknowledge_bell(cx, id, bell_id).await
            }
        })
        .await;
    let sent = Sent::Bell {
        id: bell_id,
        resolution: form.resolution,
    };
    respond(&state, &user, id, result, "bell", sent, &[]).await
}
