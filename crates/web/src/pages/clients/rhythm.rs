//! How often to have contact (`POST /clients/{id}/rhythm`).

use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;
use waakvlam_domain::care::RhythmUnit;
use waakvlam_domain::refusal::{Explain, Reason};
use waakvlam_store::care_record;
use waakvlam_store::{IndicationId, ResidentId};

use super::page::{Sent, refuse, respond};
use crate::AppState;
use crate::ui::error::AppError;
use crate::ui::extract::{Care, CsrfForm};
use crate::ui::form::FormErrors;

#[derive(Deserialize)]
pub struct RhythmForm {
    indication_id: IndicationId,
    #[serde(default)]
    every: String,
    #[serde(default)]
    unit: String,
}

pub async fn set_rhythm(
    State(state): State<AppState>,
    Path(id): Path<ResidentId>,
    CsrfForm(user, form): CsrfForm<Care, RhythmForm>,
) -> Result<Response, AppError> {
    let t = user.t;
    let mut errors = FormErrors::default();
    let every = form.every.trim().parse::<u32>().ok().filter(|n| *n > 0);
    if every.is_none() {
        errors.add("every", t.refusal(&Reason::new("rhythm-range"), None));
    }
    // Days or weeks only: anything else (`years`) is refused, never read as days.
    let unit = RhythmUnit::parse(&form.unit)
        .map_err(|e| errors.add("unit", t.refusal(&e.reason(), None)))
        .ok();
    let days = match (every, unit) {
        (Some(n), Some(unit)) => unit.days(n),
        _ => None,
    };
    let sent = Sent::Rhythm {
        every: form.every.clone(),
        unit: form.unit.clone(),
    };
    let Some(days) = days else {
        if errors.is_empty() {
            errors.add("every", t.refusal(&Reason::new("rhythm-range"), None));
        }
        return refuse(&state, &user, id, sent, errors).await;
    };
    // Only an indication of this resident: the store checks it.
    let result = state
        .store
        .write(&user.actor, async |cx| {
            care_record::set_rhythm(cx, id, form.indication_id, days).await
        })
        .await;
    // The store speaks of days; the form of "every".
    let rename = [("rhythm_days", "every")];
    respond(&state, &user, id, result, "rhythm", sent, &rename).await
}
