//! The portal's part of `/clients/{id}`: the messages with the resident.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use waakvlam_store::activation;
use waakvlam_store::portal::{self};

use crate::AppState;
use crate::pages::portal::messages::{MessageForm, MessageView, message_views, send};
use crate::ui::error::AppError;
use crate::ui::extract::{Care, CsrfForm};
use crate::ui::format::{date_nl, today_nl};
use crate::ui::session::CurrentUser;

/// The portal's part of `/clients/{id}`.
pub struct ClientPortal {
    pub messages: Vec<MessageView>,
    pub code_waiting: Option<String>,
}

pub async fn client_section(
    state: &AppState,
    user: &CurrentUser,
    resident_id: i64,
) -> Result<ClientPortal, AppError> {
    let t = user.t;
    let store = &state.store;
    let thread = portal::thread(store, &user.actor, resident_id).await?;
    let messages = message_views(t, user.account().id, &thread)
        .into_iter()
        .rev()
        .take(10)
        .rev()
        .collect();
    let code_waiting = activation::waiting_for_resident(store.conn(), store, resident_id)
        .await?
        .map(|until| {
            t.with(
                "portal-client-code-waiting",
                &[("date", date_nl(today_nl(until)))],
            )
        });
    Ok(ClientPortal {
        messages,
        code_waiting,
    })
}

pub async fn client_message(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(user, form): CsrfForm<Care, MessageForm>,
) -> Result<Response, AppError> {
    send(&state, &user, id, form.body).await?;
    Ok(Redirect::to(&format!("/clients/{id}?done=message#portal-messages")).into_response())
}
