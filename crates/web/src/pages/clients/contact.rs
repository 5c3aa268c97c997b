//! A contact moment with the resident (`POST /clients/{id}/contacts`).

use axum::extract::{Path, State};
use axum::response::Response;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Amsterdam;
use waakvlam_domain::care::{ContactChannel, Initiator, WellbeingError};
use waakvlam_domain::refusal::{Explain, Reason, Refusal};
use waakvlam_store::care_record::{self, NewContact};
use waakvlam_store::{AccountId, ResidentId};

use super::page::{ContactForm, build, done, form_error};
use crate::AppState;
use crate::ui::Flash;
use crate::ui::error::AppError;
use crate::ui::extract::{Care, CsrfForm};
use crate::ui::format::today_nl;

pub async fn log_contact(
    State(state): State<AppState>,
    Path(id): Path<ResidentId>,
    CsrfForm(user, form): CsrfForm<Care, ContactForm>,
) -> Result<Response, AppError> {
    let t = user.t;
    let parsed = parse_contact(
        &form,
        id,
        AccountId::new(user.account().id),
        state.store.now(),
    );
    let contact = match parsed {
        Ok(c) => c,
        Err(refusal) => {
            let error = t.with(
                "client-form-error",
                &[("error", t.refusal(&refusal.reason, None))],
            );
            return build(&state, &user, id, 0, Flash::error(error), form).await;
        }
    };
    let logged = state
        .store
        .write(&user.actor, async |cx| {
            care_record::log_contact(cx, &contact).await
        })
        .await;
    match logged {
        Ok(_) => Ok(done(id, "contact")),
        Err(e) => {
            let error = form_error(t, e)?;
            build(&state, &user, id, 0, Flash::error(error), form).await
        }
    }
}

fn parse_contact(
    form: &ContactForm,
    resident_id: ResidentId,
    professional: AccountId,
    now: DateTime<Utc>,
) -> Result<NewContact, Refusal> {
    let today = today_nl(now);
    let date = if form.date.trim().is_empty() {
        today
    } else {
        NaiveDate::parse_from_str(form.date.trim(), "%Y-%m-%d").map_err(|_| {
            Refusal::new(
                "date",
                Reason::new("date-invalid").with("value", &form.date),
            )
        })?
    };
    let channel = ContactChannel::parse(&form.channel).map_err(|e| e.refuse("channel"))?;
    let optional_number = |field: &str, v: &str| -> Result<Option<i32>, Refusal> {
        let v = v.trim();
        if v.is_empty() {
            Ok(None)
        } else {
            v.parse::<i32>()
                .map(Some)
                .map_err(|_| Refusal::new(field, Reason::new("whole-number").with("value", v)))
        }
    };
    let duration = optional_number("duration_minutes", &form.duration_minutes)?;
    let wellbeing = optional_number("wellbeing", &form.wellbeing)?
        .map(|w| {
            u8::try_from(w)
                .ok()
                .filter(|w| (1..=5).contains(w))
                .ok_or_else(|| WellbeingError::OutOfRange.refuse("wellbeing"))
        })
        .transpose()?;
    // The day is what matters: today means now, an earlier day noon local time.
    let noon = date.and_hms_opt(12, 0, 0).unwrap_or_default();
    let occurred_at = if date == today {
        now
    } else {
        Amsterdam
            .from_local_datetime(&noon)
            .single()
            .map_or_else(|| Utc.from_utc_datetime(&noon), |t| t.with_timezone(&Utc))
    };
    let note = form.note.trim();
    Ok(NewContact {
        resident_id,
        professional_account_id: Some(professional),
        occurred_at,
        channel,
        initiator: Initiator::Professional,
        duration_minutes: duration,
        wellbeing,
        note: (!note.is_empty()).then(|| note.to_owned()),
    })
}
