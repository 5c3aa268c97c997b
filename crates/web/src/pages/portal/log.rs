//! Who looked at my data (`/me/log`).

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use waakvlam_store::access::AccessLogEntry;
use waakvlam_store::read;

use crate::AppState;
use crate::i18n::Tr;
use crate::ui::error::AppError;
use crate::ui::extract::{Require, Resident};
use crate::ui::format::when_nl;
use crate::ui::{Chrome, render};

pub struct LogView {
    pub when: String,
    pub who: String,
    pub what: String,
    pub denied: bool,
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
        .await?
        .into_iter()
        .map(|e| LogView {
            when: when_nl(e.occurred_at),
            who: match (&e.actor_name, &e.organisation) {
                _ if read::portal_log::is_password_by_code(&e.objects) => {
                    t.get("portal-log-code-used-who")
                }
                (Some(n), Some(o)) => {
                    t.with("portal-log-who", &[("name", n.clone()), ("org", o.clone())])
                }
                (Some(n), None) => n.clone(),
                _ => t.get("portal-log-someone"),
            },
            what: log_what(t, &e),
            denied: e.outcome == "denied",
        })
        .collect();
    Ok(render(&LogPage {
        chrome: Chrome::for_user(&user, t.get("portal-log-title"), &state),
        entries,
    }))
}
