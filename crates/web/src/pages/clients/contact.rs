//! A contact moment with the resident (`POST /clients/{id}/contacts`).

use axum::extract::{Path, State};
use axum::response::Response;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Amsterdam;
use waakvlam_domain::care::{ContactChannel, Initiator, WellbeingError};
use waakvlam_domain::limits::{self, TextClass};
use waakvlam_domain::refusal::{Explain, Reason};
use waakvlam_store::care_record::{self, NewContact};
use waakvlam_store::{AccountId, ResidentId};

use super::page::{ContactForm, Sent, refuse, respond};
use crate::AppState;
use crate::i18n::Tr;
use crate::ui::error::AppError;
use crate::ui::extract::{Care, CsrfForm};
use crate::ui::form::FormErrors;
use crate::ui::format::today_nl;

pub async fn log_contact(
    State(state): State<AppState>,
    Path(id): Path<ResidentId>,
    CsrfForm(user, form): CsrfForm<Care, ContactForm>,
) -> Result<Response, AppError> {
    let parsed = parse_contact(user.t, &form, id, user.account().id, state.store.now());
    let contact = match parsed {
        Ok(c) => c,
        Err(errors) => return refuse(&state, &user, id, Sent::Contact(form), errors).await,
    };
    let logged = state
        .store
        .write(&user.actor, async |cx| {
            care_record::log_contact(cx, &contact).await
        })
        .await;
    respond(
        &state,
        &user,
        id,
        logged,
        "contact",
        Sent::Contact(form),
        &[],
    )
    .await
}

/// The contact as typed, or every field's problem at once.
fn parse_contact(
    t: Tr,
    form: &ContactForm,
    resident_id: ResidentId,
    professional: AccountId,
    now: DateTime<Utc>,
) -> Result<NewContact, FormErrors> {
    let mut errors = FormErrors::default();
    let today = today_nl(now);
    let date = if form.date.trim().is_empty() {
        Some(today)
    } else {
        NaiveDate::parse_from_str(form.date.trim(), "%Y-%m-%d").ok()
    };
    if date.is_none() {
        errors.add(
            "date",
            t.refusal(&Reason::new("date-invalid").with("value", &form.date), None),
        );
    }
    // Every limit at once with the other fields (the store checks them too).
    let note = form.note.trim();
    let checks = [
        date.map_or(Ok(()), |d| limits::check_care_date("date", d, today)),
        limits::check_text("note", note, TextClass::Note),
    ];
    for r in checks.into_iter().filter_map(Result::err) {
        errors.add(&r.field, t.refusal(&r.reason, None));
    }
    // Within the limits but not yet: the store's rule, said with the rest.
    if date.is_some_and(|d| d > today) {
        errors.add("date", t.refusal(&Reason::new("contact-in-future"), None));
    }
    let channel = ContactChannel::parse(&form.channel)
        .map_err(|e| errors.add("channel", t.refusal(&e.reason(), None)))
        .ok();
    let mut optional_number = |field: &str, v: &str| -> Option<i32> {
        let v = v.trim();
        if v.is_empty() {
            return None;
        }
        let n = v.parse::<i32>().ok();
        if n.is_none() {
            errors.add(
                field,
                t.refusal(&Reason::new("whole-number").with("value", v), None),
            );
        }
        n
    };
    let duration = optional_number("duration_minutes", &form.duration_minutes);
    let wellbeing = optional_number("wellbeing", &form.wellbeing);
    let wellbeing = match wellbeing {
        None => None,
        Some(w) => {
            let w = u8::try_from(w).ok().filter(|w| (1..=5).contains(w));
            if w.is_none() {
                errors.add(
                    "wellbeing",
                    t.refusal(&WellbeingError::OutOfRange.reason(), None),
                );
            }
            w
        }
    };
    let (Some(date), Some(channel), true) = (date, channel, errors.is_empty()) else {
        return Err(errors);
    };
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
