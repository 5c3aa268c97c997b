//! The message thread between a resident, their care team and the parties
//! the resident shares with.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use waakvlam_domain::access::AccessAction;

use super::{Part, allowed, clean_text};
use crate::entity::portal_message;
use crate::{AccountId, Cx, MessageId, ResidentId, StoreResult, from_millis, millis};

/// One message in a resident's thread.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub id: MessageId,
    pub at: DateTime<Utc>,
    pub author: String,
    pub author_account_id: Option<AccountId>,
    pub body: String,
}

/// The resident's thread, oldest first (the newest 100), for whoever may
/// read it; a refusal is noted on `cx`, a success is logged by the page that
/// shows it.
pub(crate) async fn thread(cx: &Cx<'_>, resident_id: ResidentId) -> StoreResult<Vec<Message>> {
    let objects = format!("resident:{resident_id}:messages");
    allowed(
        cx,
        resident_id,
        Part::Messages,
        AccessAction::Read,
        &objects,
    )
    .await?;
    let mut rows = portal_message::Entity::find()
        .filter(portal_message::Column::ResidentId.eq(resident_id))
        .order_by_desc(portal_message::Column::SentAt)
        .order_by_desc(portal_message::Column::Id)
        .limit(100)
        .all(cx.conn())
        .await?;
    rows.reverse();
    let authors = rows.iter().filter_map(|m| m.author_account_id).collect();
    let names = crate::accounts::display_names(cx, authors).await?;
    Ok(rows
        .into_iter()
        .map(|m| Message {
            id: MessageId::new(m.id),
            at: from_millis(m.sent_at),
            author: m
                .author_account_id
                .and_then(|id| names.get(&id).cloned())
                .unwrap_or_default(),
            author_account_id: m.author_account_id.map(AccountId::new),
            body: m.body,
        })
        .collect())
}

/// Adds a message to a resident's thread: by the resident or their care team.
pub async fn send(cx: &Cx<'_>, resident_id: ResidentId, body: String) -> StoreResult<MessageId> {
    let body = clean_text("body", Some(body), true)?.unwrap_or_default();
    allowed(
        cx,
        resident_id,
        Part::Messages,
        AccessAction::Create,
        "portal_message",
    )
    .await?;
    let author = cx.actor.account_id;
    let id = add(cx, resident_id, author, &body, cx.now).await?;
    if matches!(cx.actor.tenant, crate::Tenant::Resident { .. }) {
        crate::notifications::tell_care_team(
            cx,
            resident_id,
            waakvlam_domain::notification::EventKind::ResidentMessage,
        )
        .await?;
    }
    Ok(id)
}

/// A message written at `at` by `author` without checking who may write
/// (seeding and imports; the portal uses [`send`]).
pub async fn add(
    cx: &Cx<'_>,
    resident_id: ResidentId,
    author: Option<AccountId>,
    body: &str,
    at: DateTime<Utc>,
) -> StoreResult<MessageId> {
    let m = portal_message::ActiveModel {
        resident_id: Set(resident_id.get()),
        author_account_id: Set(author.map(AccountId::get)),
        body: Set(body.to_owned()),
        sent_at: Set(millis(at)),
        ..Default::default()
    }
    .insert(cx.conn())
    .await?;
    cx.log(
        AccessAction::Create,
        Some(resident_id),
        format!("portal_message:{}", m.id),
    );
    Ok(MessageId::new(m.id))
}
