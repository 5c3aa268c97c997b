//! One message (`/iwmo/{id}`): its state and the XML, for those who may see
//! the resident it names, and the same XML as a file to download.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use waakvlam_store::IwmoMessageId;
use waakvlam_store::iwmo;

use super::log::{MessageView, view};
use crate::AppState;
use crate::ui::error::AppError;
use crate::ui::extract::{CsrfForm, MessageReader, Require};
use crate::ui::form::NoFields;
use crate::ui::{Chrome, render};

#[derive(Template)]
#[template(path = "iwmo/detail.html")]
pub struct DetailPage {
    pub chrome: Chrome,
    pub message: MessageView,
    pub xml: String,
    pub resident: Option<waakvlam_store::ResidentId>,
    pub care: bool,
    /// An outgoing message still waiting: it may be marked sent by hand.
    pub waiting: bool,
}

pub async fn detail(
    State(state): State<AppState>,
    Path(id): Path<IwmoMessageId>,
    user: Require<MessageReader>,
) -> Result<Response, AppError> {
    let t = user.t;
    let (message, xml, resident) = state
        .store
        .read(&user.actor, async |cx| iwmo::message(cx, id).await)
        .await?;
    let title = format!(
        "{} {}",
        message.kind.name().to_ascii_uppercase(),
        message.identification
    );
    Ok(render(&DetailPage {
        chrome: Chrome::for_user(&user, title, &state),
        waiting: message.direction == iwmo::Direction::Out && message.state == "pending",
        message: view(t, message),
        xml,
        resident,
        care: matches!(user.account().role, waakvlam_domain::role::Role::TeamLead),
    }))
}

/// The message as a file, exactly as exchanged, for an upload elsewhere or a
/// colleague's system; for those who may open it, after the same
/// access-log entry on its resident.
pub async fn download(
    State(state): State<AppState>,
    Path(id): Path<IwmoMessageId>,
    user: Require<MessageReader>,
) -> Result<Response, AppError> {
    let (message, xml, _) = state
        .store
        .read(&user.actor, async |cx| iwmo::message(cx, id).await)
        .await?;
    let file = iwmo::file_name(message.kind, &message.identification);
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/xml; charset=utf-8".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
        ],
        xml,
    )
        .into_response())
}

/// Marks a waiting message sent, for those who send by hand what they
/// downloaded here (`POST /iwmo/{id}/sent`).
pub async fn mark_sent(
    State(state): State<AppState>,
    Path(id): Path<IwmoMessageId>,
    CsrfForm(user, NoFields {}): CsrfForm<MessageReader, NoFields>,
) -> Result<Response, AppError> {
    state
        .store
        .write(&user.actor, async |cx| iwmo::sent_by_hand(cx, id).await)
        .await?;
    Ok(Redirect::to(&format!("/iwmo/{id}")).into_response())
}
