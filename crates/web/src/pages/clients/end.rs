//! Ending a waakvlam with its outcome (`POST /clients/{id}/end`).

use axum::extract::{Path, State};
use axum::response::Response;
use chrono::NaiveDate;
use serde::Deserialize;
use waakvlam_domain::indication::WaakvlamOutcome;
use waakvlam_domain::refusal::Reason;
use waakvlam_store::care_record;
use waakvlam_store::{IndicationId, ResidentId};

use super::page::{Sent, refuse, respond};
use crate::AppState;
use crate::ui::error::AppError;
use crate::ui::extract::{Care, CsrfForm};
use crate::ui::form::FormErrors;

#[derive(Deserialize)]
pub struct EndForm {
    indication_id: IndicationId,
    #[serde(default)]
    end_date: String,
    #[serde(default)]
    outcome: String,
}

/// Ending a waakvlam records its outcome: independent, scaled up, moved,
/// deceased or other.
pub async fn end_waakvlam(
    State(state): State<AppState>,
    Path(id): Path<ResidentId>,
    CsrfForm(user, form): CsrfForm<Care, EndForm>,
) -> Result<Response, AppError> {
    let t = user.t;
    let sent = || Sent::End {
        end_date: form.end_date.clone(),
        outcome: form.outcome.clone(),
    };
    let mut errors = FormErrors::default();
    let end = NaiveDate::parse_from_str(form.end_date.trim(), "%Y-%m-%d");
    if end.is_err() {
        errors.add(
            "end_date",
            t.refusal(
                &Reason::new("date-invalid").with("value", &form.end_date),
                None,
            ),
        );
    }
    let outcome = WaakvlamOutcome::parse(&form.outcome);
    if outcome.is_err() {
        errors.add("outcome", t.refusal(&Reason::new("outcome-choose"), None));
    }
    let (Ok(end), Ok(outcome)) = (end, outcome) else {
        return refuse(&state, &user, id, sent(), errors).await;
    };
    // Only an indication of this resident, within the professional's tenant:
    // the store checks it in the same unit of work as the end.
    let indication = form.indication_id;
    let result = state
        .store
        .write(&user.actor, async |cx| {
            care_record::indication_of(cx, id, indication).await?;
            waakvlam_store::indications::end_with_outcome(cx, indication, end, outcome).await
        })
        .await;
    respond(&state, &user, id, result, "ended", sent(), &[]).await
}
