//! The resident's home (`/me`): who to call, the bell (`/me/help`) and the
//! last check-in.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use waakvlam_store::portal::bell;
use waakvlam_store::read;

use crate::AppState;
use crate::i18n::Tr;
use crate::ui::error::AppError;
use crate::ui::extract::{CsrfForm, Require, Resident};
use crate::ui::form::FormErrors;
use crate::ui::format::{date_in_words, day_in_words, time_nl, today_nl};
use crate::ui::session::CurrentUser;
use crate::ui::{Chrome, Flash, render, render_form};

pub struct Face {
    pub value: u8,
    pub label: String,
    /// SVG path of the mouth: from a deep frown to a smile (the fifth face
    /// laughs with its mouth open, drawn in the template).
    pub mouth: &'static str,
    pub checked: bool,
}

fn faces(t: Tr, checked: Option<u8>) -> Vec<Face> {
    const MOUTHS: [&str; 5] = [
        "M13 37 Q24 25 35 37",
        "M16 33 Q24 29 32 33",
        "M15 31 L33 31",
        "M14 28 Q24 38 34 28",
        "",
    ];
    (1u8..=5)
        .map(|v| Face {
            value: v,
            label: t.get(&format!("portal-face-{v}")),
            mouth: MOUTHS[usize::from(v - 1)],
            checked: checked == Some(v),
        })
        .collect()
}

pub struct ContactView {
    pub name: String,
    pub phone: Option<String>,
    /// The number for a `tel:` link: digits and a leading plus only.
    pub tel: String,
    pub last: Option<String>,
}

#[derive(Template)]
#[template(path = "portal/me.html")]
pub struct MePage {
    pub chrome: Chrome,
    pub contact: Option<ContactView>,
    /// After ringing the bell: who will call, and by when.
    pub help_sent: Option<String>,
    pub notice: Option<String>,
    pub error: Option<String>,
    pub faces: Vec<Face>,
    pub note: String,
    pub last_check_in: Option<String>,
    /// Whether the latest bell was seen: "Je hulpverlener heeft je vraag gezien op …".
    pub bell_seen: Option<String>,
    pub errors: FormErrors,
    /// "Je hebt een nieuwe contactpersoon": after a hand-over.
    pub new_contact: Option<String>,
}

#[derive(Template)]
#[template(path = "portal/help.html")]
pub struct MeHelpPage {
    pub chrome: Chrome,
    pub errors: FormErrors,
}

#[derive(Deserialize, Default)]
pub struct MeQuery {
    #[serde(default)]
    help: Option<String>,
    #[serde(default)]
    done: Option<String>,
}

/// The next working day after `day`: when the professional calls back at the latest.
fn next_working_day(day: NaiveDate) -> NaiveDate {
    let mut d = day.succ_opt().unwrap_or(day);
    while d.weekday().number_from_monday() > 5 {
        d = d.succ_opt().unwrap_or(d);
    }
    d
}

pub async fn help_page(
    State(state): State<AppState>,
    user: Require<Resident>,
) -> Result<Response, AppError> {
    Ok(render(&MeHelpPage {
        chrome: Chrome::for_user(&user, user.t.get("me-help-title"), &state),
        errors: FormErrors::default(),
    }))
}

#[derive(Deserialize)]
pub struct HelpForm {
    #[serde(default)]
    message: String,
}

/// "Ik wil hulp": rings the bell after the one confirmation.
pub async fn help(
    State(state): State<AppState>,
    CsrfForm(user, form): CsrfForm<Resident, HelpForm>,
) -> Result<Response, AppError> {
    state
        .store
        .write(&user.actor, async move |cx| {
            bell::ring(cx, Some(form.message)).await
        })
        .await?;
    Ok(Redirect::to("/me?help=1").into_response())
}

pub async fn me(
    State(state): State<AppState>,
    user: Require<Resident>,
    Query(q): Query<MeQuery>,
) -> Result<Response, AppError> {
    let notice = match q.done.as_deref() {
        Some("check-in") => Some(user.t.get("portal-checkin-saved")),
        _ => None,
    };
    let check_in = CheckInState::default();
    me_page(
        &state,
        &user,
        q.help.is_some(),
        Flash::notice(notice),
        check_in,
    )
    .await
}

/// The check-in form as sent, shown again with its error.
#[derive(Default)]
pub struct CheckInState {
    pub checked: Option<u8>,
    pub note: String,
    pub errors: FormErrors,
}

pub(super) async fn me_page(
    state: &AppState,
    user: &CurrentUser,
    help: bool,
    flash: Flash,
    check_in: CheckInState,
) -> Result<Response, AppError> {
    let t = user.t;
    let store = &state.store;
    let today = today_nl(store.now());
    let read = store
        .read(&user.actor, async |cx| {
            read::portal_me::page(cx, today).await
        })
        .await?;
    let contact = read.contact.map(|c| ContactView {
        name: c.name,
        tel: c
            .phone
            .as_deref()
            .unwrap_or_default()
            .chars()
            .filter(|ch| ch.is_ascii_digit() || *ch == '+')
            .collect(),
        phone: c.phone,
        last: c
            .last_contact_on
            .map(|d| t.with("me-last-contact", &[("date", day_in_words(t, d, today))])),
    });
    let help_sent = help.then(|| {
        let when = day_in_words(t, next_working_day(today), today);
        match &contact {
            Some(c) => t.with("me-help-who", &[("name", c.name.clone()), ("when", when)]),
            None => t.with("me-help-who-team", &[("when", when)]),
        }
    });
    let last_check_in = read.last_check_in.map(|c| {
        t.with(
            "portal-checkin-last",
            &[
                ("face", t.get(&format!("portal-face-{}", c.wellbeing))),
                ("date", date_in_words(t, today_nl(c.at), today)),
            ],
        )
    });
    let new_contact = read.new_contact.map(|n| {
        let date = day_in_words(t, today_nl(n.at), today);
        match n.previous_name {
            Some(previous) => t.with(
                "me-new-contact-previous",
                &[("name", n.name), ("date", date), ("previous", previous)],
            ),
            None => t.with("me-new-contact", &[("name", n.name), ("date", date)]),
        }
    });
    let bell_seen = read.bell.map(|b| match b.seen_at {
        Some(seen) => t.with(
            "me-bell-seen",
            &[
                ("day", day_in_words(t, today_nl(seen), today)),
                ("time", time_nl(seen)),
            ],
        ),
        None => t.with(
            "me-bell-not-seen",
            &[
                ("day", day_in_words(t, today_nl(b.rung_at), today)),
                ("time", time_nl(b.rung_at)),
            ],
        ),
    });
    let page = MePage {
        new_contact,
        chrome: Chrome::for_user(user, t.get("me-title"), state),
        bell_seen,
        contact,
        help_sent,
        faces: faces(t, check_in.checked),
        note: check_in.note,
        last_check_in,
        errors: check_in.errors,
        notice: flash.notice,
        error: flash.error,
    };
    Ok(render_form(&page, page.error.is_some()))
}
