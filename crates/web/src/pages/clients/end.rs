//! Ending a waakvlam with its outcome (`POST /clients/{id}/end`): the form,
//! a confirmation, then the end.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use chrono::{Days, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Amsterdam;
use serde::Deserialize;
use waakvlam_domain::indication::WaakvlamOutcome;
use waakvlam_domain::plan::ResultAssessment;
use waakvlam_domain::refusal::Reason;
use waakvlam_store::care_record::{self, EndWaakvlam};
use waakvlam_store::{IndicationId, ResidentId};

use super::page::{Sent, refuse, respond};
use crate::AppState;
use crate::ui::error::AppError;
use crate::ui::extract::{Care, CsrfForm};
use crate::ui::form::FormErrors;
use crate::ui::format::{date_nl, today_nl};
use crate::ui::{Chrome, render};

#[derive(Deserialize)]
pub struct EndForm {
    indication_id: IndicationId,
    #[serde(default)]
    end_date: String,
    #[serde(default)]
    outcome: String,
    /// Was the agreed result reached: reached, partly or not_reached.
    #[serde(default)]
    result: String,
    /// One sentence that says why (required).
    #[serde(default)]
    result_note: String,
    /// "yes" once the professional confirmed; the first post asks.
    #[serde(default)]
    confirm: String,
}

/// "Waakvlam beëindigen?": what will be recorded, and a button that does it.
/// It shows no personal data (no name), so it needs no access-log entry.
#[derive(Template)]
#[template(path = "clients/end_confirm.html")]
pub struct ConfirmPage {
    pub chrome: Chrome,
    pub resident_id: ResidentId,
    pub indication_id: IndicationId,
    pub end_date: String,
    pub end_label: String,
    pub outcome: String,
    pub outcome_label: String,
    pub result: String,
    pub result_label: String,
    pub result_note: String,
}

/// Ending a waakvlam records its outcome: independent, scaled up, moved,
/// deceased or other, and whether the agreed result was reached, with one
/// sentence. The store allows it only for a waakvlam the
/// professional holds, on a day from the last contact up to today.
pub async fn end_waakvlam(
    State(state): State<AppState>,
    Path(id): Path<ResidentId>,
    CsrfForm(user, form): CsrfForm<Care, EndForm>,
) -> Result<Response, AppError> {
    let t = user.t;
    let sent = || Sent::End {
        end_date: form.end_date.clone(),
        outcome: form.outcome.clone(),
        result: form.result.clone(),
        result_note: form.result_note.clone(),
    };
    let today = today_nl(state.store.now());
    let mut errors = FormErrors::default();
    let end = NaiveDate::parse_from_str(form.end_date.trim(), "%Y-%m-%d");
    match end {
        Err(_) => errors.add(
            "end_date",
            t.refusal(
                &Reason::new("date-invalid").with("value", &form.end_date),
                None,
            ),
        ),
        Ok(end) if end > today => {
            errors.add("end_date", t.refusal(&Reason::new("end-in-future"), None));
        }
        Ok(_) => {}
    }
    let outcome = WaakvlamOutcome::parse(&form.outcome);
    if outcome.is_err() {
        errors.add("outcome", t.refusal(&Reason::new("outcome-choose"), None));
    }
    let result = ResultAssessment::parse(&form.result, &form.result_note);
    if let Err(refusals) = &result {
        for r in refusals {
            errors.add(&r.field, t.refusal(&r.reason, None));
        }
    }
    let (Ok(end), Ok(outcome), Ok(result), true) = (end, outcome, result, errors.is_empty()) else {
        return refuse(&state, &user, id, sent(), errors).await;
    };
    if form.confirm != "yes" {
        return Ok(render(&ConfirmPage {
            chrome: Chrome::for_user(&user, t.get("client-end-confirm-title"), &state),
            resident_id: id,
            indication_id: form.indication_id,
            end_date: end.format("%Y-%m-%d").to_string(),
            end_label: date_nl(end),
            outcome: outcome.as_str().to_owned(),
            outcome_label: t.get(outcome.fluent_key()),
            result: result.reached.as_str().to_owned(),
            result_label: t.get(result.reached.fluent_key()),
            result_note: result.sentence,
        }));
    }
    let request = EndWaakvlam {
        resident_id: id,
        indication_id: form.indication_id,
        end,
        outcome,
        result,
        today,
        end_is_over_at: start_of_day_after(end),
    };
    let result = state
        .store
        .write(&user.actor, async |cx| {
            care_record::end_waakvlam(cx, &request).await
        })
        .await;
    respond(&state, &user, id, result, "ended", sent(), &[]).await
}

/// The instant `day` is over in the Netherlands.
fn start_of_day_after(day: NaiveDate) -> chrono::DateTime<Utc> {
    let next = day
        .checked_add_days(Days::new(1))
        .unwrap_or(day)
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default();
    Amsterdam
        .from_local_datetime(&next)
        .earliest()
        .map_or_else(|| Utc.from_utc_datetime(&next), |t| t.with_timezone(&Utc))
}
