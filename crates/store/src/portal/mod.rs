//! What residents do themselves, and what the people they trust may see.
//!
//! Every function here decides who may act from the actor's tenant and, for
//! trusted persons, from the resident's consent as it stands at that moment
//! in the same unit of work: a consent that is withdrawn stops access at once.
//! Reads and writes are logged like everywhere else; what the portal's pages
//! show is read by `crate::read` (one read model per page).
//!
//! One module per thing a resident deals with: the [`bell`], their
//! [`check_in`], their [`plan`] and notes on it, who may see it
//! ([`consent`]), the [`message`] thread, and
//! choosing a helper ([`helper`] profiles, [`helper_request`]).

pub mod bell;
pub mod check_in;
pub mod consent;
pub mod helper;
pub mod helper_request;
pub mod message;
pub mod plan;

pub use message::Message;

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use waakvlam_domain::access::AccessAction;
use waakvlam_domain::limits::{self, TextClass};

use crate::entity::{consent as consent_row, resident};
use crate::{Cx, ResidentId, StoreError, StoreResult, Tenant, care_record};

/// The longest free text a resident types (a check-in, a note, a message).
pub const MAX_TEXT: usize = TextClass::Message.max();

/// The text trimmed, `None` when empty; refused when required and empty,
/// longer than its class allows or with control characters (see
/// `waakvlam_domain::limits`).
pub(crate) fn clean_text_in(
    field: &str,
    text: Option<String>,
    required: bool,
    class: TextClass,
) -> StoreResult<Option<String>> {
    let text = text.map(|m| m.trim().to_owned()).filter(|m| !m.is_empty());
    match &text {
        None if required => Err(StoreError::refuse(field, "text-required")),
        Some(t) => {
            limits::check_text(field, t, class)?;
            Ok(text)
        }
        None => Ok(None),
    }
}

/// [`clean_text_in`] for a resident's message-sized text.
pub(crate) fn clean_text(
    field: &str,
    text: Option<String>,
    required: bool,
) -> StoreResult<Option<String>> {
    clean_text_in(field, text, required, TextClass::Message)
}

/// The resident the actor is, or a logged refusal of `action` on `objects`.
pub(crate) fn own_resident(
    cx: &Cx<'_>,
    action: AccessAction,
    objects: &str,
) -> StoreResult<ResidentId> {
    match cx.actor.tenant {
        Tenant::Resident { resident_id } => Ok(resident_id),
        _ => Err(cx.deny(action, None, objects)),
    }
}

/// How the actor may see a resident's shared record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Viewer {
    /// The resident themselves.
    Resident,
    /// A professional or team lead whose tenant covers the resident.
    Care,
    /// A party the resident consented to share with (a trusted person, or a
    /// professional outside the care team).
    Consent,
}

/// Whether the actor may see what `resident_id` shares, decided in this
/// unit of work.
async fn viewer(cx: &Cx<'_>, resident_id: ResidentId) -> StoreResult<Option<Viewer>> {
    let actor = cx.actor;
    if let Tenant::Resident { resident_id: own } = actor.tenant {
        return Ok((resident_id == own).then_some(Viewer::Resident));
    }
    if matches!(
        actor.tenant,
        Tenant::Professional { .. } | Tenant::Team { .. }
    ) && resident::Entity::find_by_id(resident_id.get())
        .filter(actor.tenant.resident_filter())
        .one(cx.conn())
        .await?
        .is_some()
    {
        return Ok(Some(Viewer::Care));
    }
    let Some(account_id) = actor.account_id else {
        return Ok(None);
    };
    let shared = consent_row::Entity::find()
        .filter(consent_row::Column::ResidentId.eq(resident_id))
        .filter(consent_row::Column::PartyAccountId.eq(account_id))
        .filter(consent_row::Column::RevokedAt.is_null())
        .one(cx.conn())
        .await?
        .is_some();
    Ok(shared.then_some(Viewer::Consent))
}

/// A part of a resident's shared record, each with its own readers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Part {
    /// Goals, agreements and progress notes: the resident; their care team,
    /// unless the resident took the plan away from them
    /// ([`care_record::plan_withheld`], the one check every page that shows
    /// the plan goes through); and whoever the resident shares it with.
    Plan,
    /// The message thread: the resident and their care team. Someone the
    /// resident shares the plan with reads the plan, nothing more: that is
    /// what the invitation promises ("Die persoon kan je plan lezen. Meer
    /// niet.").
    Messages,
}

/// Who the actor is to this part of the resident's shared record; a refusal
/// of `action` on `objects` is noted on `cx`.
pub(crate) async fn allowed(
    cx: &Cx<'_>,
    resident_id: ResidentId,
    part: Part,
    action: AccessAction,
    objects: &str,
) -> StoreResult<Viewer> {
    let viewer = match viewer(cx, resident_id).await? {
        Some(Viewer::Care) if part == Part::Plan => {
            let withheld = care_record::plan_withheld(cx, resident_id).await?;
            (!withheld).then_some(Viewer::Care)
        }
        Some(Viewer::Consent) if part == Part::Messages => None,
        other => other,
    };
    viewer.ok_or_else(|| cx.deny(action, Some(resident_id), objects))
}
