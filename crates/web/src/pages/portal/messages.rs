//! The resident's messages with their professional (`/me/messages`), and
//! sending in a resident's thread for others.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use waakvlam_store::portal::{self};
use waakvlam_store::{ResidentId, care_record};

use crate::AppState;
use crate::i18n::Tr;
use crate::ui::error::AppError;
use crate::ui::extract::{CsrfForm, Require, Resident};
use crate::ui::form::DoneQuery;
use crate::ui::form::Refusal;
use crate::ui::format::{today_nl, when_nl};
use crate::ui::session::CurrentUser;
use crate::ui::{Chrome, Flash, render_form};

pub struct MessageView {
    pub when: String,
    pub who: String,
    pub mine: bool,
    pub body: String,
}

pub(crate) fn message_views(
    t: Tr,
    own_account: i64,
    thread: &[portal::Message],
) -> Vec<MessageView> {
    thread
        .iter()
        .map(|m| {
            let mine = m.author_account_id == Some(own_account);
            MessageView {
                when: when_nl(m.at),
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
}

pub async fn messages(
    State(state): State<AppState>,
    user: Require<Resident>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let notice = q.done.is_some().then(|| user.t.get("portal-messages-sent"));
    messages_page(&state, &user, Flash::notice(notice), String::new()).await
}

async fn messages_page(
    state: &AppState,
    user: &CurrentUser,
    flash: Flash,
    body: String,
) -> Result<Response, AppError> {
    let t = user.t;
    let resident_id = user.resident_id()?;
    let store = &state.store;
    let thread = portal::thread(store, &user.actor, resident_id).await?;
    let contact = store
        .read(&user.actor, async |cx| {
            care_record::contact_person(cx, ResidentId::new(resident_id), today_nl(store.now()))
                .await
        })
        .await?;
    let intro = match contact {
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
            messages: message_views(t, user.account().id, &thread),
            notice: flash.notice,
            error: flash.error,
            body,
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
    match portal::send_message(&state.store, &user.actor, resident_id, form.body.clone()).await {
        Ok(_) => Ok(Redirect::to("/me/messages?done=1").into_response()),
        Err(e) => {
            let error = Refusal::of(e)?.portal_text(t);
            messages_page(&state, &user, Flash::error(error), form.body).await
        }
    }
}

/// A message in a resident's thread from someone other than the resident
/// (the store checks who may write there).
pub(crate) async fn send(
    state: &AppState,
    user: &CurrentUser,
    resident_id: i64,
    body: String,
) -> Result<(), AppError> {
    portal::send_message(&state.store, &user.actor, resident_id, body)
        .await
        .map(|_| ())
        .map_err(Refusal::bad_request)
}
