//! Notifications in the app (`/notifications`) and each person's choice of
//! how to hear of each kind of event (`/account/notifications`).
//!
//! A notification names only the kind of event and links to its page; the
//! page itself checks who may see it, as always.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use waakvlam_domain::notification::{Delivery, EventKind};
use waakvlam_store::NotificationId;
use waakvlam_store::notifications;

use crate::AppState;
use crate::ui::error::AppError;
use crate::ui::extract::{CsrfForm, Require, Staff};
use serde::Deserialize;

use crate::ui::form::{Choice, DoneQuery, FormErrors, Refusal};
use crate::ui::format::when_nl;
use crate::ui::routes::Routes;
use crate::ui::session::CurrentUser;
use crate::ui::{Chrome, Flash, render, render_form};

pub fn routes() -> Routes {
    Routes::new()
        .route("/notifications", get(list))
        .route("/notifications/read", post(read))
        .route(
            "/account/notifications",
            get(preferences).post(save_preferences),
        )
}

pub struct NotificationView {
    pub id: NotificationId,
    pub kind: String,
    pub when: String,
    pub unread: bool,
    /// "Gemaild om …", "Alleen in de app", "Wacht op verzending".
    pub delivery: String,
}

#[derive(Template)]
#[template(path = "notifications/list.html")]
pub struct ListPage {
    pub chrome: Chrome,
    pub csrf: String,
    pub notice: Option<String>,
    pub mail_off: bool,
    pub items: Vec<NotificationView>,
    pub unread: usize,
}

pub async fn list(
    State(state): State<AppState>,
    user: Require<Staff>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let t = user.t;
    let rows = state
        .store
        .read(&user.actor, async |cx| notifications::list(cx).await)
        .await?;
    let items: Vec<_> = rows
        .into_iter()
        .map(|n| NotificationView {
            id: n.id,
            kind: t.get(n.kind.fluent_key()),
            when: when_nl(n.created_at),
            unread: !n.read,
            delivery: match (n.sent_at, n.state.as_str()) {
                (Some(at), _) => t.with("notify-mailed-at", &[("when", when_nl(at))]),
                (None, notifications::state::IN_APP) => t.get("notify-in-app"),
                (None, notifications::state::FAILED) => t.get("notify-mail-failed"),
                _ => t.get("notify-mail-waiting"),
            },
        })
        .collect();
    let notice = q.done.is_some().then(|| t.get("notify-all-read"));
    let unread = items.iter().filter(|i| i.unread).count();
    Ok(render(&ListPage {
        chrome: Chrome::for_user(&user, t.get("notify-title"), &state),
        csrf: user.csrf(),
        notice,
        mail_off: !state.config.mail_configured,
        items,
        unread,
    }))
}

#[derive(Deserialize)]
pub struct ReadForm {
    /// One notification: opened (marked read, then its page); none: all read.
    #[serde(default)]
    id: Option<String>,
}

/// Opens one notification (marks it read and goes to its page), or marks
/// all of them read.
pub async fn read(
    State(state): State<AppState>,
    CsrfForm(user, form): CsrfForm<Staff, ReadForm>,
) -> Result<Response, AppError> {
    let id = match form.id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(raw) => Some(
            raw.parse::<NotificationId>()
                .map_err(|_| AppError::NotFound)?,
        ),
        None => None,
    };
    let Some(id) = id else {
        state
            .store
            .write(&user.actor, async |cx| {
                notifications::mark_all_read(cx).await
            })
            .await?;
        return Ok(Redirect::to("/notifications?done=read").into_response());
    };
    let link = state
        .store
        .write(&user.actor, async |cx| {
            notifications::mark_read(cx, id).await
        })
        .await?;
    // Stored links are paths in the application; anything else goes home.
    let to = if link.starts_with('/') && !link.starts_with("//") {
        link
    } else {
        "/".to_owned()
    };
    Ok(Redirect::to(&to).into_response())
}

pub struct KindView {
    pub field: &'static str,
    pub label: String,
    /// Bells: always at once, said on the page.
    pub fixed: Option<String>,
    pub options: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "notifications/preferences.html")]
pub struct PreferencesPage {
    pub chrome: Chrome,
    pub csrf: String,
    pub notice: Option<String>,
    pub mail_off: bool,
    pub kinds: Vec<KindView>,
    pub errors: FormErrors,
}

pub async fn preferences(
    State(state): State<AppState>,
    user: Require<Staff>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let saved = state
        .store
        .read(&user.actor, async |cx| notifications::preferences(cx).await)
        .await?;
    let notice = q.done.is_some().then(|| user.t.get("notify-prefs-saved"));
    preferences_page(
        &state,
        &user,
        &saved,
        Flash::notice(notice),
        FormErrors::default(),
    )
}

fn preferences_page(
    state: &AppState,
    user: &CurrentUser,
    chosen: &[(EventKind, Delivery)],
    flash: Flash,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let t = user.t;
    let kinds = chosen
        .iter()
        .map(|(kind, delivery)| {
            let options = Delivery::ALL
                .iter()
                .filter(|d| !kind.always_at_once() || **d == Delivery::AtOnce)
                .map(|d| Choice::new(d.as_str(), t.get(d.fluent_key()), d == delivery))
                .collect();
            KindView {
                field: kind.as_str(),
                label: t.get(kind.fluent_key()),
                fixed: kind.always_at_once().then(|| t.get("notify-bell-fixed")),
                options,
            }
        })
        .collect();
    let failed = !errors.is_empty();
    Ok(render_form(
        &PreferencesPage {
            chrome: Chrome::for_user(user, t.get("notify-prefs-title"), state),
            csrf: user.csrf(),
            notice: flash.notice,
            mail_off: !state.config.mail_configured,
            kinds,
            errors,
        },
        failed,
    ))
}

pub async fn save_preferences(
    State(state): State<AppState>,
    CsrfForm(user, form): CsrfForm<Staff, HashMap<String, String>>,
) -> Result<Response, AppError> {
    let t = user.t;
    let mut errors = FormErrors::default();
    let mut choices = Vec::new();
    for kind in EventKind::for_staff() {
        match form.get(kind.as_str()).map(|v| Delivery::parse(v)) {
            Some(Ok(d)) => choices.push((kind, d)),
            _ => errors.add(kind.as_str(), t.get("notify-error-choose")),
        }
    }
    if !errors.is_empty() {
        let shown = shown_choices(&form);
        return preferences_page(&state, &user, &shown, Flash::default(), errors);
    }
    let saved = state
        .store
        .write(&user.actor, async |cx| {
            notifications::set_preferences(cx, &choices).await
        })
        .await;
    match saved {
        Ok(()) => Ok(Redirect::to("/account/notifications?done=saved").into_response()),
        Err(e) => {
            let refusal = Refusal::of(e)?;
            let mut errors = FormErrors::default();
            for r in &refusal.0 {
                errors.add(&r.field, t.refusal(&r.reason, None));
            }
            preferences_page(&state, &user, &choices, Flash::default(), errors)
        }
    }
}

/// What was sent, shown again (at once where a choice is missing).
fn shown_choices(form: &HashMap<String, String>) -> Vec<(EventKind, Delivery)> {
    EventKind::for_staff()
        .map(|k| {
            let d = form
                .get(k.as_str())
                .and_then(|v| Delivery::parse(v).ok())
                .unwrap_or(Delivery::AtOnce);
            (k, d)
        })
        .collect()
}
