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
/// day, however many times. Everything one person looked at on one day is
/// one line ("Keek 3 keer naar je gegevens"), so that 16 near-identical lines
/// in a few minutes read as one; what they wrote or changed, what was refused
/// and every use of a login code keep lines of their own.
pub struct LogView {
    pub when: String,
    pub who: String,
    pub what: String,
    pub denied: bool,
}

/// One group being counted: its day, who, and either the looks (with the
/// distinct things looked at, in order of the newest look) or one other act.
struct Group {
    day: chrono::NaiveDate,
    who: String,
    /// `None` for the looks of the day; else the plain text of the act.
    act: Option<String>,
    things: Vec<String>,
    denied: bool,
    count: usize,
    latest: String,
}

/// Groups entries (newest first) per day and person: all looks of a person
/// on a day in one line, other acts by what they did.
fn grouped(t: Tr, entries: &[AccessLogEntry], today: chrono::NaiveDate) -> Vec<LogView> {
    let mut groups: Vec<Group> = Vec::new();
    for e in entries {
        let day = today_nl(e.occurred_at);
        let who = log_who(t, e);
        let (act, thing) = match looked_at(t, e) {
            Some(thing) => (None, Some(thing)),
            None => (Some(log_what(t, e)), None),
        };
        let group = match groups
            .iter_mut()
            .find(|g| g.day == day && g.who == who && g.act == act)
        {
            Some(g) => {
                g.count += 1;
                g
            }
            None => {
                groups.push(Group {
                    day,
                    who,
                    act,
                    things: Vec::new(),
                    denied: e.outcome == "denied",
                    count: 1,
                    latest: time_nl(e.occurred_at),
                });
                let last = groups.len() - 1;
                &mut groups[last]
            }
        };
        if let Some(thing) = thing
            && !group.things.contains(&thing)
        {
            group.things.push(thing);
        }
    }
    groups
        .into_iter()
        .map(|g| {
            let day = day_in_words(t, g.day, today);
            let when = if g.count == 1 {
                t.with("portal-log-day-time", &[("day", day), ("time", g.latest)])
            } else {
                day
            };
            let what = match g.act {
                Some(act) if g.count == 1 => act,
                Some(act) => t.with(
                    "portal-log-times",
                    &[("what", act), ("count", g.count.to_string())],
                ),
                None if g.count == 1 => {
                    t.with("portal-log-did-read", &[("what", g.things.join(", "))])
                }
                None => {
                    let data = t.get("portal-log-thing-data");
                    let things: Vec<String> = g.things.into_iter().filter(|x| *x != data).collect();
                    if things.is_empty() {
                        t.with("portal-log-looked", &[("count", g.count.to_string())])
                    } else {
                        t.with(
                            "portal-log-looked-at",
                            &[
                                ("count", g.count.to_string()),
                                ("things", things.join(", ")),
                            ],
                        )
                    }
                }
            };
            LogView {
                when,
                who: g.who,
                what,
                denied: g.denied,
            }
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

/// What a plain look touched ("je plan"), or `None` when the entry is not a
/// plain look: a change, a refusal, or anything about a login code.
fn looked_at(t: Tr, e: &AccessLogEntry) -> Option<String> {
    let o = e.objects.as_str();
    let plain_read = !matches!(e.action.as_str(), "create" | "update" | "delete")
        && e.outcome != "denied"
        && !read::portal_log::is_password_by_code(o)
        && !o.contains("activation_code")
        && !o.contains("password");
    plain_read.then(|| t.get(&format!("portal-log-thing-{}", thing_of(o))))
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
    let thing = thing_of(o);
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

/// Which part of the resident's data an entry's objects are about.
fn thing_of(o: &str) -> &'static str {
    if o.contains("plan") {
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
        entries: grouped(t, &entries, today_nl(state.store.now())),
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
    for line in grouped(t, &entries, today_nl(state.store.now())) {
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
