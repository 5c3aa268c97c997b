//! The access log after NEN 7513: who did what to whose record, when, from
//! where, for what purpose, and with what outcome.
//!
//! Entries are noted on the unit of work ([`Cx::log`], [`Cx::deny`]) and
//! appended by [`append`] (called from `db.rs` only; the benches measure it
//! raw) in the same transaction as the operation they describe, so an operation whose log write fails does not happen. Denied
//! attempts are logged in a transaction of their own (the operation itself is
//! rolled back). The log holds references, never care content; there is no
//! update or delete function for it.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use waakvlam_domain::access::{AccessAction, AccessOutcome, Purpose};

use crate::entity::access_log;
use crate::{AccountId, Actor, Cx, ResidentId, StoreResult, from_millis, millis};

/// One event to log.
#[derive(Clone, Debug)]
pub struct AccessEvent<'a> {
    pub action: AccessAction,
    pub resident_id: Option<i64>,
    /// The objects touched, as references: `resident:12`, `indication:7,8`.
    pub objects: &'a str,
}

impl<'a> AccessEvent<'a> {
    pub fn new(action: AccessAction, resident_id: Option<i64>, objects: &'a str) -> Self {
        AccessEvent {
            action,
            resident_id,
            objects,
        }
    }
}

/// Appends an entry on `conn` (normally the operation's own transaction).
pub async fn append<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    at: DateTime<Utc>,
    event: &AccessEvent<'_>,
    outcome: AccessOutcome,
) -> StoreResult<()> {
    access_log::ActiveModel {
        occurred_at: Set(millis(at)),
        action: Set(event.action.as_str().to_owned()),
        outcome: Set(outcome.as_str().to_owned()),
        account_id: Set(actor.account_id.map(i64::from)),
        actor_name: Set(Some(actor.name.clone())),
        actor_role: Set(actor.role.map(|r| r.as_str().to_owned())),
        organisation: Set(Some(actor.organisation.clone())),
        resident_id: Set(event.resident_id),
        objects: Set(event.objects.to_owned()),
        client_address: Set(actor.client_address.clone()),
        purpose: Set(actor.purpose.as_str().to_owned()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// An access-log entry as shown to the resident and to auditors.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessLogEntry {
    pub id: i64,
    pub occurred_at: DateTime<Utc>,
    pub action: String,
    pub outcome: String,
    pub account_id: Option<AccountId>,
    pub actor_name: Option<String>,
    pub actor_role: Option<String>,
    pub organisation: Option<String>,
    pub resident_id: Option<ResidentId>,
    pub objects: String,
    pub client_address: Option<String>,
    pub purpose: Purpose,
}

impl From<access_log::Model> for AccessLogEntry {
    fn from(m: access_log::Model) -> Self {
        AccessLogEntry {
            id: m.id,
            occurred_at: from_millis(m.occurred_at),
            action: m.action,
            outcome: m.outcome,
            account_id: m.account_id.map(AccountId::new),
            actor_name: m.actor_name,
            actor_role: m.actor_role,
            organisation: m.organisation,
            resident_id: m.resident_id.map(ResidentId::new),
            objects: m.objects,
            client_address: m.client_address,
            purpose: Purpose::parse(&m.purpose).unwrap_or(Purpose::Care),
        }
    }
}

/// The newest entries about one resident. Reading the log is itself logged.
pub async fn entries_for_resident(
    cx: &Cx<'_>,
    resident_id: ResidentId,
    limit: u64,
) -> StoreResult<Vec<AccessLogEntry>> {
    // Only the resident themselves, or system/admin (auditing), read this log.
    let allowed = match &cx.actor.tenant {
        crate::Tenant::System | crate::Tenant::Admin => true,
        crate::Tenant::Resident { resident_id: own } => *own == resident_id.get(),
        _ => false,
    };
    let objects = format!("access_log:resident:{resident_id}");
    if !allowed {
        return Err(cx.deny(AccessAction::Read, Some(resident_id), objects));
    }
    let rows = access_log::Entity::find()
        .filter(access_log::Column::ResidentId.eq(resident_id))
        .order_by_desc(access_log::Column::OccurredAt)
        .order_by_desc(access_log::Column::Id)
        .limit(limit)
        .all(cx.conn())
        .await?;
    cx.log(AccessAction::Read, Some(resident_id), objects);
    Ok(rows.into_iter().map(AccessLogEntry::from).collect())
}

/// Counts entries, for tests and administration.
pub async fn count(cx: &Cx<'_>) -> StoreResult<u64> {
    Ok(access_log::Entity::find().count(cx.conn()).await?)
}

/// The newest entries overall (administration and tests).
pub async fn latest(cx: &Cx<'_>, limit: u64) -> StoreResult<Vec<AccessLogEntry>> {
    let rows = access_log::Entity::find()
        .order_by_desc(access_log::Column::Id)
        .limit(limit)
        .all(cx.conn())
        .await?;
    Ok(rows.into_iter().map(AccessLogEntry::from).collect())
}
