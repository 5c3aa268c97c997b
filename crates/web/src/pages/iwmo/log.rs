//! The message log itself (`GET /iwmo`): every message sent and received in
//! the reader's scope — what, with whom, how it stands, the retour codes in
//! words — newest first.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use waakvlam_iwmo::retour::RetourCode;
use waakvlam_store::IwmoMessageId;
use waakvlam_store::iwmo::{self, Direction, LoggedMessage};

use crate::AppState;
use crate::i18n::Tr;
use crate::ui::error::AppError;
use crate::ui::extract::{MessageLog, Require};
use crate::ui::format::{date_nl, when_nl};
use crate::ui::{Chrome, render};

/// How many of the newest messages the log shows.
const SHOWN: u64 = 200;

pub struct MessageView {
    pub id: IwmoMessageId,
    /// "WMO301 toewijzing".
    pub kind: String,
    pub direction: String,
    pub identification: String,
    pub dated: String,
    pub parties: String,
    pub state: String,
    pub rejected: bool,
    /// "0200: Geen opmerking over deze berichtklasse."
    pub codes: Vec<String>,
    pub note: Vec<String>,
    pub at: String,
}

pub(super) fn view(t: Tr, m: LoggedMessage) -> MessageView {
    let kind = m.kind.name().to_ascii_uppercase();
    MessageView {
        id: m.id,
        kind: format!("{kind} {}", t.get(&format!("iwmo-kind-{}", m.kind.name()))),
        direction: t.get(match m.direction {
            Direction::Out => "iwmo-out",
            Direction::In => "iwmo-in",
        }),
        identification: m.identification,
        dated: date_nl(m.dated),
        // Codes as written: a Fluent argument would read "0664" as the number 664.
        parties: format!(
            "{} {} {} {}",
            t.get("iwmo-from"),
            m.sender,
            t.get("iwmo-to"),
            m.receiver
        ),
        rejected: m.state == "rejected" || m.state == "refused",
        state: match m.sent_at {
            Some(sent) if m.state == "sent" => {
                t.with("iwmo-state-sent-at", &[("when", when_nl(sent))])
            }
            _ => t.get(&format!("iwmo-state-{}", m.state)),
        },
        codes: m
            .retour_codes
            .iter()
            .map(|c: &RetourCode| format!("{}: {}", c.code(), c.description()))
            .collect(),
        note: m
            .note
            .map(|n| n.lines().map(str::to_owned).collect())
            .unwrap_or_default(),
        at: when_nl(m.at),
    }
}

#[derive(Template)]
#[template(path = "iwmo/list.html")]
pub struct ListPage {
    pub chrome: Chrome,
    pub messages: Vec<MessageView>,
    /// Whether the reader may open a message's XML.
    pub may_open: bool,
}

pub async fn list(
    State(state): State<AppState>,
    user: Require<MessageLog>,
) -> Result<Response, AppError> {
    let t = user.t;
    let messages = state
        .store
        .read(&user.actor, async |cx| iwmo::log(cx, SHOWN).await)
        .await?;
    let may_open = !matches!(
        user.account().role,
        waakvlam_domain::role::Role::ContractManager
    );
    Ok(render(&ListPage {
        chrome: Chrome::for_user(&user, t.get("iwmo-title"), &state),
        messages: messages.into_iter().map(|m| view(t, m)).collect(),
        may_open,
    }))
}
