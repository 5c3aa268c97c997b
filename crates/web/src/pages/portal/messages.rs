//! The resident's messages with their professional (`/me/messages`), and
//! sending in a resident's thread for others.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use waakvlam_store::portal::message::{self, Message};
use waakvlam_store::read;
use waakvlam_store::{AccountId, ResidentId};

use super::refused;
use crate::AppState;
use crate::i18n::Tr;
use crate::ui::error::AppError;
use crate::ui::extract::{CsrfForm, Require, Resident};
use crate::ui::form::DoneQuery;
use crate::ui::form::FormErrors;
use crate::ui::format::{day_in_words, time_nl, today_nl};
use crate::ui::session::CurrentUser;
use crate::ui::{Chrome, Flash, render_form};

pub struct MessageView {
    pub when: String,
    pub who: String,
    pub mine: bool,
    pub body: String,
}

/// The thread as views; `when` says a moment (words for residents, digits
/// for staff).
pub(crate) fn message_views(
    t: Tr,
    own_account: AccountId,
    thread: &[Message],
    when: impl Fn(chrono::DateTime<chrono::Utc>) -> String,
) -> Vec<MessageView> {
    thread
        .iter()
        .map(|m| {
            let mine = m.author_account_id == Some(own_account);
            MessageView {
                when: when(m.at),
                who: if mine {
                    t.get("portal-messages-you")
                } else {
                    m.author.clone()
                },
                mine,
                body: m.body.clone(),
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "portal/messages.html")]
pub struct MessagesPage {
    pub chrome: Chrome,
    pub csrf: String,
    pub action: String,
    pub intro: String,
    pub messages: Vec<MessageView>,
    pub notice: Option<String>,
    pub error: Option<String>,
    pub body: String,
    pub errors: FormErrors,
}

pub async fn messages(
    State(state): State<AppState>,
    user: Require<Resident>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let notice = q.done.is_some().then(|| user.t.get("portal-messages-sent"));
    let errors = FormErrors::default();
    messages_page(&state, &user, Flash::notice(notice), errors, String::new()).await
}

async fn messages_page(
    state: &AppState,
    user: &CurrentUser,
    flash: Flash,
    errors: FormErrors,
    body: String,
) -> Result<Response, AppError> {
    let t = user.t;
    let store = &state.store;
    let today = today_nl(store.now());
    let read = store
        .read(&user.actor, async |cx| {
            read::portal_messages::page(cx, today).await
        })
        .await?;
    let intro = match read.contact {
        Some(c) => t.with("portal-messages-intro", &[("name", c.name)]),
        None => t.get("portal-messages-intro-team"),
    };
    let failed = flash.error.is_some();
    Ok(render_form(
        &MessagesPage {
            chrome: Chrome::for_user(user, t.get("portal-messages-title"), state),
            csrf: user.csrf(),
            action: "/me/messages".into(),
            intro,
            messages: message_views(t, user.account().id, &read.thread, |at| {
                t.with(
                    "portal-log-day-time",
                    &[
                        ("day", day_in_words(t, today_nl(at), today)),
                        ("time", time_nl(at)),
                    ],
                )
            }),
            notice: flash.notice,
            error: flash.error,
            body,
            errors,
        },
        failed,
    ))
}

#[derive(Deserialize)]
pub struct MessageForm {
    #[serde(default)]
    pub body: String,
}

pub async fn send_message(
    State(state): State<AppState>,
    CsrfForm(user, form): CsrfForm<Resident, MessageForm>,
) -> Result<Response, AppError> {
    let t = user.t;
    let resident_id = user.resident_id()?;
    let body = form.body.clone();
    let sent = state
        .store
        .write(&user.actor, async move |cx| {
            message::send(cx, resident_id, body).await
        })
        .await;
    match sent {
        Ok(_) => Ok(Redirect::to("/me/messages?done=1").into_response()),
        Err(e) => {
            let (flash, errors) = refused(t, e, &["body"])?;
            messages_page(&state, &user, flash, errors, form.body).await
        }
    }
}

/// A message in a resident's thread from someone other than the resident
/// (the store checks who may write there).
pub(crate) async fn send(
    state: &AppState,
    user: &CurrentUser,
    resident_id: ResidentId,
    body: String,
) -> Result<(), AppError> {
    state
        .store
        .write(&user.actor, async move |cx| {
            message::send(cx, resident_id, body).await
        })
        .await?;
    Ok(())
}
