//! How often to have contact (`POST /clients/{id}/rhythm`).

use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;
use waakvlam_domain::refusal::Reason;
use waakvlam_store::client;

use super::page::{ContactForm, build, respond};
use crate::AppState;
use crate::ui::Flash;
use crate::ui::error::AppError;
use crate::ui::extract::{Care, CsrfForm};
use crate::ui::format::today_nl;

#[derive(Deserialize)]
pub struct RhythmForm {
    indication_id: i64,
    #[serde(default)]
    every: String,
    #[serde(default)]
    unit: String,
}

pub async fn set_rhythm(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(user, form): CsrfForm<Care, RhythmForm>,
) -> Result<Response, AppError> {
    let t = user.t;
    let every = form.every.trim().parse::<u32>().ok().filter(|n| *n > 0);
    let days = match (every, form.unit.as_str()) {
        (Some(n), "weeks") => n.checked_mul(7),
        (Some(n), _) => Some(n),
        (None, _) => None,
    };
    let Some(days) = days else {
        let error = t.with(
            "client-form-error",
            &[("error", t.refusal(&Reason::new("rhythm-range"), None))],
        );
        return build(
            &state,
            &user,
            id,
            0,
            Flash::error(error),
            ContactForm::default(),
        )
        .await;
    };
    let file = client::file(&state.store, &user.actor, id, today_nl(state.store.now())).await?;
    if !file
        .indications
        .iter()
        .any(|(i, _)| i.id == form.indication_id)
    {
        return Err(AppError::NotFound);
    }
    let result = client::set_rhythm(&state.store, &user.actor, form.indication_id, days).await;
    respond(&state, &user, id, result, "rhythm").await
}
