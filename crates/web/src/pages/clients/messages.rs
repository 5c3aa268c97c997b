//! The portal's part of `/clients/{id}`: the messages with the resident.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use waakvlam_store::ResidentId;
use waakvlam_store::portal::message::Message;

use crate::AppState;
use crate::pages::portal::messages::{MessageForm, MessageView, message_views, send};
use crate::ui::error::AppError;
use crate::ui::extract::{Care, CsrfForm};
use crate::ui::format::{date_nl, today_nl, when_nl};
use crate::ui::session::CurrentUser;

/// The portal's part of `/clients/{id}`.
pub struct ClientPortal {
    pub messages: Vec<MessageView>,
    pub code_waiting: Option<String>,
}

/// The messages and activation code part of the resident's page, from what
/// the page's one read loaded.
pub fn client_section(
    user: &CurrentUser,
    thread: &[Message],
    code_waiting_until: Option<DateTime<Utc>>,
) -> ClientPortal {
    let t = user.t;
    let messages = message_views(t, user.account().id, thread, when_nl)
        .into_iter()
        .rev()
        .take(10)
        .rev()
        .collect();
    let code_waiting = code_waiting_until.map(|until| {
        t.with(
            "portal-client-code-waiting",
            &[("date", date_nl(today_nl(until)))],
        )
    });
    ClientPortal {
        messages,
        code_waiting,
    }
}

pub async fn client_message(
    State(state): State<AppState>,
    Path(id): Path<ResidentId>,
    CsrfForm(user, form): CsrfForm<Care, MessageForm>,
) -> Result<Response, AppError> {
    send(&state, &user, id, form.body).await?;
    Ok(Redirect::to(&format!("/clients/{id}?done=message#portal-messages")).into_response())
}
