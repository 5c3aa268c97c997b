//! The access log after NEN 7513: who did what to whose record, when, from
//! where, for what purpose, and with what outcome.
//!
//! Entries are noted on the unit of work ([`Cx::log`], [`Cx::deny`]) and
//! appended by [`append_all`] (called from `db.rs`; the benches measure
//! [`append`] raw). A write appends them in the same transaction as the
//! change they describe, so a change whose log write fails does not happen.
//! A read hands them to the store's group commit (`db.rs`), which appends
//! the entries of all reads waiting at that moment in one transaction; a
//! read's answer is given only once that has committed, so nothing is shown
//! without a durable entry. Denied attempts are logged the same way, after
//! the operation itself is rolled back. The log holds references, never care
//! content; there is no update function for it, and entries are deleted only
//! past the retention (`retention`).
//!
//! **Tamper-evident**: every entry carries a SHA-256 over the previous
//! entry's hash and its own content ([`link`]), and the one-row
//! `access_chain_head` holds the newest hash. Appending updates the head in
//! the same transaction, first: on PostgreSQL its row lock orders concurrent
//! appends, on SQLite the single writer does, so the chain never forks.
//! [`verify`] recomputes the chain and names the first entry that was changed,
//! inserted or removed; an exported head ([`head`]) also catches a cut-off
//! tail. Entries older than the retention are cut off the start of the
//! chain only by `retention::purge_access_log`, which logs the cut in the
//! chain itself, so `verify` still notices any other removal.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use waakvlam_domain::access::{AccessAction, AccessOutcome, Purpose};

use sea_orm::sea_query::{Expr, ExprTrait};
use sha2::{Digest, Sha256};

use crate::entity::{access_chain_head, access_log};
use crate::{AccountId, Actor, Cx, ResidentId, StoreError, StoreResult, from_millis, millis};

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

/// Appends an entry on `conn` (normally the operation's own transaction),
/// linked into the hash chain.
pub async fn append<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    at: DateTime<Utc>,
    event: &AccessEvent<'_>,
    outcome: AccessOutcome,
) -> StoreResult<()> {
    append_all(conn, vec![NewEntry::new(actor, at, event, outcome)]).await
}

/// An entry ready to be linked into the chain: everything but its place in
/// it. Made by the request that noted it, so the shared part of a group
/// commit (linking and inserting) does as little as possible.
pub(crate) struct NewEntry(access_log::Model);

impl NewEntry {
    pub(crate) fn new(
        actor: &Actor,
        at: DateTime<Utc>,
        event: &AccessEvent<'_>,
        outcome: AccessOutcome,
    ) -> Self {
        NewEntry(access_log::Model {
            id: 0,
            occurred_at: millis(at),
            action: event.action.as_str().to_owned(),
            outcome: outcome.as_str().to_owned(),
            account_id: actor.account_id.map(i64::from),
            actor_name: Some(actor.name.clone()),
            actor_role: actor.role.map(|r| r.as_str().to_owned()),
            organisation: Some(actor.organisation.clone()),
            resident_id: event.resident_id,
            objects: event.objects.to_owned(),
            client_address: actor.client_address.clone(),
            purpose: actor.purpose.as_str().to_owned(),
            prev_hash: None,
            hash: None,
        })
    }
}

/// Appends entries on `conn` in their order, linked into the hash chain:
/// the head is locked and read once, each entry linked to the one before,
/// and the head moved once to the last.
/// How many access-log rows one insert statement writes at most.
const APPEND_CHUNK: usize = 500;

pub(crate) async fn append_all<C: ConnectionTrait>(
    conn: &C,
    entries: Vec<NewEntry>,
) -> StoreResult<()> {
    if entries.is_empty() {
        return Ok(());
    }
    // Take the head's row lock before reading it: a concurrent append waits
    // here until this transaction ends, and then reads the new head.
    access_chain_head::Entity::update_many()
        .col_expr(
            access_chain_head::Column::Entries,
            Expr::col(access_chain_head::Column::Entries).add(entries.len() as i64),
        )
        .filter(access_chain_head::Column::Id.eq(1))
        .exec(conn)
        .await?;
    let head = access_chain_head::Entity::find_by_id(1)
        .one(conn)
        .await?
        .ok_or_else(|| StoreError::Internal("the access log's chain head is missing".into()))?;
    let mut prev = head.hash;
    let mut last_id = head.last_id;
    let rows: Vec<access_log::ActiveModel> = entries
        .into_iter()
        .map(|NewEntry(mut entry)| {
            let hash = link(&prev, &content_of(&entry));
            entry.prev_hash = Some(std::mem::replace(&mut prev, hash.clone()));
            entry.hash = Some(hash);
            let mut row = entry.into_active_model().reset_all();
            row.id = NotSet;
            row
        })
        .collect();
    // Many rows a statement (a batch of a busy minute, or of an import),
    // well below either backend's limit of bound values.
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<_> = rows.by_ref().take(APPEND_CHUNK).collect();
        let ids = access_log::Entity::insert_many(chunk)
            .exec_with_returning_keys(conn)
            .await?;
        last_id = ids.into_iter().fold(last_id, std::cmp::Ord::max);
    }
    access_chain_head::Entity::update_many()
        .col_expr(access_chain_head::Column::Hash, Expr::value(prev))
        .col_expr(access_chain_head::Column::LastId, Expr::value(last_id))
        .filter(access_chain_head::Column::Id.eq(1))
        .exec(conn)
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

// ---------------------------------------------------------------------------
// The hash chain
// ---------------------------------------------------------------------------

/// What an entry's hash covers: every column but the id (the order is the
/// chain's) and the hashes themselves.
struct Content<'a> {
    occurred_at: i64,
    action: &'a str,
    outcome: &'a str,
    account_id: Option<i64>,
    actor_name: Option<&'a str>,
    actor_role: Option<&'a str>,
    organisation: Option<&'a str>,
    resident_id: Option<i64>,
    objects: &'a str,
    client_address: Option<&'a str>,
    purpose: &'a str,
}

fn content_of(m: &access_log::Model) -> Content<'_> {
    Content {
        occurred_at: m.occurred_at,
        action: &m.action,
        outcome: &m.outcome,
        account_id: m.account_id,
        actor_name: m.actor_name.as_deref(),
        actor_role: m.actor_role.as_deref(),
        organisation: m.organisation.as_deref(),
        resident_id: m.resident_id,
        objects: &m.objects,
        client_address: m.client_address.as_deref(),
        purpose: &m.purpose,
    }
}

/// SHA-256 (hex) over the previous hash and the entry's content, each field
/// length-prefixed so that no two different entries read the same.
fn link(prev: &str, c: &Content<'_>) -> String {
    let mut h = Sha256::new();
    let mut field = |s: &str| {
        h.update((s.len() as u64).to_be_bytes());
        h.update(s.as_bytes());
    };
    let opt = |n: Option<i64>| n.map_or_else(|| "-".to_owned(), |n| n.to_string());
    field(prev);
    field(&c.occurred_at.to_string());
    field(c.action);
    field(c.outcome);
    field(&opt(c.account_id));
    field(c.actor_name.unwrap_or("\u{0}"));
    field(c.actor_role.unwrap_or("\u{0}"));
    field(c.organisation.unwrap_or("\u{0}"));
    field(&opt(c.resident_id));
    field(c.objects);
    field(c.client_address.unwrap_or("\u{0}"));
    field(c.purpose);
    hex::encode(h.finalize())
}

/// The chain's newest link, to keep outside the installation (an auditor's
/// copy): `verify` against it notices entries cut off the end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainHead {
    pub entries: i64,
    pub hash: String,
}

pub async fn head(cx: &Cx<'_>) -> StoreResult<ChainHead> {
    let h = access_chain_head::Entity::find_by_id(1)
        .one(cx.conn())
        .await?
        .ok_or_else(|| StoreError::Internal("the access log's chain head is missing".into()))?;
    Ok(ChainHead {
        entries: h.entries,
        hash: h.hash,
    })
}

/// What [`verify`] found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChainProblem {
    /// The entry's content no longer matches its hash: it was changed.
    Changed { id: i64 },
    /// The entry does not follow the one before it: an entry was removed
    /// before it, or it was put in.
    Broken { id: i64 },
    /// The head or the exported head is not the chain's end: entries were
    /// removed from the end (or the head was changed).
    TailMissing { expected: String },
}

/// The result of recomputing the chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verification {
    pub entries: i64,
    pub head: String,
    /// The first problem, in chain order; `None` when the chain holds.
    pub problem: Option<ChainProblem>,
}

/// Recomputes the whole chain in id order (in pages, so memory stays flat)
/// and checks it against the stored head and, when given, a head exported
/// earlier (`expected_head`: that hash must be in the chain).
pub async fn verify(cx: &Cx<'_>, expected_head: Option<&str>) -> StoreResult<Verification> {
    const PAGE: u64 = 5_000;
    let conn = cx.conn();
    let mut prev = String::new();
    let mut entries = 0i64;
    let mut after = 0i64;
    let mut seen_expected = expected_head.is_none_or(str::is_empty);
    let mut problem = None;
    let mut purged_from: Option<(i64, String)> = None;
    let mut purge_logged = false;
    'pages: loop {
        let rows = access_log::Entity::find()
            .filter(access_log::Column::Id.gt(after))
            .order_by_asc(access_log::Column::Id)
            .limit(PAGE)
            .all(conn)
            .await?;
        let Some(last) = rows.last() else { break };
        after = last.id;
        for r in &rows {
            let stored = r.hash.as_deref().unwrap_or_default();
            // A log whose oldest entries were removed for retention starts
            // at a hash no longer in it; only the purge's own entry, further
            // on in the chain, makes that start good (`retention`).
            if entries == 0
                && let Some(start) = r.prev_hash.as_deref().filter(|h| !h.is_empty())
            {
                purged_from = Some((r.id, crate::retention::purge_marker(r.id, start)));
                start.clone_into(&mut prev);
            }
            if let Some((_, marker)) = &purged_from
                && r.action == AccessAction::Delete.as_str()
                && r.objects == *marker
            {
                purge_logged = true;
            }
            if r.prev_hash.as_deref() != Some(prev.as_str()) {
                problem = Some(ChainProblem::Broken { id: r.id });
                break 'pages;
            }
            if link(&prev, &content_of(r)) != stored {
                problem = Some(ChainProblem::Changed { id: r.id });
                break 'pages;
            }
            prev = stored.to_owned();
            entries += 1;
            if expected_head == Some(stored) {
                seen_expected = true;
            }
        }
    }
    if problem.is_none()
        && let Some((id, _)) = purged_from
        && !purge_logged
    {
        problem = Some(ChainProblem::Broken { id });
    }
    let stored_head = head(cx).await?;
    if problem.is_none() && stored_head.hash != prev {
        problem = Some(ChainProblem::TailMissing {
            expected: stored_head.hash.clone(),
        });
    }
    if problem.is_none() && !seen_expected {
        problem = Some(ChainProblem::TailMissing {
            expected: expected_head.unwrap_or_default().to_owned(),
        });
    }
    Ok(Verification {
        entries,
        head: prev,
        problem,
    })
}

/// Links entries written before the chain existed (at start-up, before
/// anything else is logged), in id order.
pub(crate) async fn seal_unchained<C: ConnectionTrait>(conn: &C) -> StoreResult<u64> {
    // The head's row lock first, like every append: a process already serving
    // (an older version during an upgrade) cannot move the head meanwhile.
    let head = access_chain_head::Entity::find_by_id(1)
        .lock_exclusive()
        .one(conn)
        .await?
        .ok_or_else(|| StoreError::Internal("the access log's chain head is missing".into()))?;
    // Every append since the chain exists is linked and moves the head, so
    // only entries after the head's can be unsealed: a range on the primary
    // key, not a scan of the whole log at every start.
    let unsealed = access_log::Entity::find()
        .filter(access_log::Column::Id.gt(head.last_id))
        .filter(access_log::Column::Hash.is_null())
        .order_by_asc(access_log::Column::Id)
        .all(conn)
        .await?;
    if unsealed.is_empty() {
        return Ok(0);
    }
    let mut prev = head.hash;
    let mut last_id = head.last_id;
    let count = unsealed.len() as u64;
    for m in unsealed {
        let hash = link(&prev, &content_of(&m));
        last_id = m.id;
        let mut am: access_log::ActiveModel = m.into();
        am.prev_hash = Set(Some(prev));
        am.hash = Set(Some(hash.clone()));
        am.update(conn).await?;
        prev = hash;
    }
    access_chain_head::Entity::update_many()
        .col_expr(access_chain_head::Column::Hash, Expr::value(prev))
        .col_expr(access_chain_head::Column::LastId, Expr::value(last_id))
        .col_expr(
            access_chain_head::Column::Entries,
            Expr::col(access_chain_head::Column::Entries).add(count as i64),
        )
        .filter(access_chain_head::Column::Id.eq(1))
        .exec(conn)
        .await?;
    Ok(count)
}
