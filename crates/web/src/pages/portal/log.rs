//! Who looked at my data (`/me/log`).

use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use waakvlam_store::access::AccessLogEntry;
use waakvlam_store::read;

use crate::AppState;
use crate::i18n::Tr;
use crate::ui::error::AppError;
use crate::ui::extract::{Require, Resident};
use crate::ui::format::{day_in_words, time_nl, today_nl};
use crate::ui::{Chrome, render};

/// One line of the log as the resident reads it: what one person did on one
/// day, however many times (16 near-identical lines in a few minutes read as
/// one: "keek 3 keer").
pub struct LogView {
    pub when: String,
    pub who: String,
    pub what: String,
    pub denied: bool,
}

/// Groups entries (newest first) by day, person and what they did.
fn grouped(t: Tr, entries: &[AccessLogEntry]) -> Vec<LogView> {
    let mut groups: Vec<(chrono::NaiveDate, String, String, bool, usize, String)> = Vec::new();
    for e in entries {
        let day = today_nl(e.occurred_at);
        let who = log_who(t, e);
        let what = log_what(t, e);
        let denied = e.outcome == "denied";
        match groups
            .iter_mut()
            .find(|g| g.0 == day && g.1 == who && g.2 == what)
        {
            Some(g) => g.4 += 1,
            None => groups.push((day, who, what, denied, 1, time_nl(e.occurred_at))),
        }
    }
    groups
        .into_iter()
        .map(|(day, who, what, denied, count, latest)| LogView {
            when: if count == 1 {
                t.with(
                    "portal-log-day-time",
                    &[("day", day_in_words(t, day)), ("time", latest)],
                )
            } else {
                day_in_words(t, day)
            },
            who,
            what: if count == 1 {
                what
            } else {
                t.with(
                    "portal-log-times",
                    &[("what", what), ("count", count.to_string())],
                )
            },
            denied,
        })
        .collect()
}

/// Who acted, in plain words.
fn log_who(t: Tr, e: &AccessLogEntry) -> String {
    if read::portal_log::is_password_by_code(&e.objects) {
        return t.get("portal-log-code-used-who");
    }
    match (&e.actor_name, &e.organisation) {
        (Some(n), Some(o)) => t.with("portal-log-who", &[("name", n.clone()), ("org", o.clone())]),
        (Some(n), None) => n.clone(),
        _ => t.get("portal-log-someone"),
    }
}

#[derive(Template)]
#[template(path = "portal/log.html")]
pub struct LogPage {
    pub chrome: Chrome,
    pub entries: Vec<LogView>,
}

/// What an access-log entry touched, in plain words.
fn log_what(t: Tr, e: &AccessLogEntry) -> String {
    let o = e.objects.as_str();
    // A login code: who made one, and that one was used, said in full.
    if read::portal_log::is_password_by_code(o) {
        return t.get("portal-log-code-used");
    }
    if o.ends_with(":activation_code") && e.action == "create" && e.outcome != "denied" {
        return t.get("portal-log-code-made");
    }
    let thing = if o.contains("plan") {
        "plan"
    } else if o.contains("message") {
        "messages"
    } else if o.contains("check_in") {
        "check-in"
    } else if o.contains("bell") {
        "bell"
    } else if o.contains("consent") {
        "sharing"
    } else if o.contains("access_log") {
        "log"
    } else if o.contains("activation_code") || o.contains("password") {
        "code"
    } else if o.contains("helper") {
        "helper"
    } else if o.split(',').any(|part| part.starts_with("contact:")) {
        "contact"
    } else {
        "data"
    };
    let did = match e.action.as_str() {
        "create" => "create",
        "update" | "delete" => "update",
        _ => "read",
    };
    let what = t.get(&format!("portal-log-thing-{thing}"));
    if e.outcome == "denied" {
        t.with("portal-log-denied", &[("what", what)])
    } else {
        t.with(&format!("portal-log-did-{did}"), &[("what", what)])
    }
}

pub async fn log(
    State(state): State<AppState>,
    user: Require<Resident>,
) -> Result<Response, AppError> {
    let t = user.t;
    let entries = state
        .store
        .read(&user.actor, async |cx| read::portal_log::page(cx).await)
        .await?;
    Ok(render(&LogPage {
        chrome: Chrome::for_user(&user, t.get("portal-log-title"), &state),
        entries: grouped(t, &entries),
    }))
}

/// `/me/log/download`: the whole list as a text file, in the same plain
/// words and groups as the page.
pub async fn download(
    State(state): State<AppState>,
    user: Require<Resident>,
) -> Result<Response, AppError> {
    let t = user.t;
    let entries = state
        .store
        .read(&user.actor, async |cx| read::portal_log::download(cx).await)
        .await?;
    let mut text = format!("{}\n\n", t.get("portal-log-title"));
    for line in grouped(t, &entries) {
        text.push_str(&format!("{} — {}: {}\n", line.when, line.who, line.what));
    }
    if entries.is_empty() {
        text.push_str(&t.get("portal-log-none"));
        text.push('\n');
    }
    let file = format!("attachment; filename=\"{}.txt\"", t.get("portal-log-file"));
    Ok((
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, file),
        ],
        text,
    )
        .into_response())
}
