//! Retention: what the server removes by itself, periodically (`serve`).
//!
//! - access-log entries older than the retention (five years by default),
//!   oldest first, and only an unbroken run from the start of the log: an
//!   entry within the retention, and everything after it, stays; so the
//!   resident's own access log (`/me/log` and its download) loses nothing
//!   younger than the retention;
//! - expired sessions ([`sessions::purge_expired`]);
//! - throttle rows whose window and lockout have passed (a new attempt would
//!   start them over anyway);
//! - activation codes that were used, cancelled or have expired (they can
//!   never work again).
//!
//! The access log is a hash chain (`access`). Cutting entries off its start
//! leaves the first kept entry pointing at a hash no longer in the table, so
//! a purge logs itself, in the chain, as a `delete` of
//! `access_log:before:<first kept id>:<its previous hash>`; `access::verify`
//! accepts a chain that starts there only because of that entry.

use chrono::Duration;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use waakvlam_domain::access::AccessAction;

use crate::entity::{access_chain_head, access_log, activation_code, login_throttle};
use crate::sessions::{self, SessionPolicy};
use crate::throttle::LoginLimits;
use crate::{Cx, StoreError, StoreResult, millis};

/// Five years (NEN 7513 and the Wabvpz ask to keep the access log at least
/// that long), counting leap days.
pub const DEFAULT_ACCESS_LOG_DAYS: u32 = 5 * 365 + 2;

/// At most this many access-log entries go per unit of work, so a first
/// purge of a large log does not hold the writer for long.
pub const ACCESS_LOG_BATCH: u64 = 5_000;

/// The objects of the entry a purge logs (see the module documentation).
pub(crate) fn purge_marker(first_kept: i64, prev_hash: &str) -> String {
    format!("access_log:before:{first_kept}:{prev_hash}")
}

/// What to keep, and for how long.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetentionPolicy {
    /// Access-log entries older than this are removed.
    pub access_log: Duration,
    pub sessions: SessionPolicy,
    pub throttle: LoginLimits,
}

impl Default for RetentionPolicy {
    fn default() -> Self {
        RetentionPolicy {
            access_log: Duration::days(i64::from(DEFAULT_ACCESS_LOG_DAYS)),
            sessions: SessionPolicy::default(),
            throttle: LoginLimits::default(),
        }
    }
}

/// What one purge removed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Purged {
    pub access_log: u64,
    pub sessions: u64,
    pub throttle: u64,
    pub activation_codes: u64,
}

impl Purged {
    pub fn total(&self) -> u64 {
        self.access_log + self.sessions + self.throttle + self.activation_codes
    }
}

fn system_only(cx: &Cx<'_>, what: &str) -> StoreResult<()> {
    if cx.actor.tenant == crate::Tenant::System {
        Ok(())
    } else {
        Err(cx.deny(AccessAction::Delete, None, what.to_owned()))
    }
}

/// Removes up to [`ACCESS_LOG_BATCH`] of the oldest access-log entries that
/// are older than `retention` (see the module documentation); returns how
/// many. Call it again while it returns a full batch. The newest entry of the
/// chain always stays.
pub async fn purge_access_log(cx: &Cx<'_>, retention: Duration) -> StoreResult<u64> {
    system_only(cx, "access_log")?;
    let conn = cx.conn();
    let cutoff = millis(cx.now - retention);
    let head = access_chain_head::Entity::find_by_id(1)
        .one(conn)
        .await?
        .ok_or_else(|| StoreError::Internal("the access log's chain head is missing".into()))?;
    // Most passes find nothing to do: the oldest entry tells.
    let Some(first) = access_log::Entity::find()
        .order_by_asc(access_log::Column::Id)
        .one(conn)
        .await?
    else {
        return Ok(0);
    };
    if first.occurred_at >= cutoff || first.id >= head.last_id {
        return Ok(0);
    }
    let oldest = access_log::Entity::find()
        .order_by_asc(access_log::Column::Id)
        .limit(ACCESS_LOG_BATCH)
        .all(conn)
        .await?;
    let Some(last_gone) = oldest
        .iter()
        .take_while(|e| e.occurred_at < cutoff && e.id < head.last_id)
        .last()
    else {
        return Ok(0);
    };
    let Some(first_kept) = access_log::Entity::find()
        .filter(access_log::Column::Id.gt(last_gone.id))
        .order_by_asc(access_log::Column::Id)
        .one(conn)
        .await?
    else {
        return Ok(0);
    };
    let gone = access_log::Entity::delete_many()
        .filter(access_log::Column::Id.lte(last_gone.id))
        .exec(conn)
        .await?
        .rows_affected;
    access_chain_head::Entity::update_many()
        .col_expr(
            access_chain_head::Column::Entries,
            Expr::col(access_chain_head::Column::Entries).sub(gone as i64),
        )
        .filter(access_chain_head::Column::Id.eq(1))
        .exec(conn)
        .await?;
    let prev = first_kept.prev_hash.unwrap_or_default();
    cx.log(
        AccessAction::Delete,
        None,
        purge_marker(first_kept.id, &prev),
    );
    Ok(gone)
}

/// Removes throttle rows whose window (the longest of the three limits) and
/// lockout have passed.
pub async fn purge_throttle(cx: &Cx<'_>, limits: LoginLimits) -> StoreResult<u64> {
    system_only(cx, "login_throttle")?;
    let now = millis(cx.now);
    let window = [limits.pair, limits.account, limits.address]
        .iter()
        .map(|p| p.window)
        .max()
        .unwrap_or_default();
    let res = login_throttle::Entity::delete_many()
        .filter(login_throttle::Column::WindowStartedAt.lte(now - window.num_milliseconds()))
        .filter(
            sea_orm::Condition::any()
                .add(login_throttle::Column::LockedUntil.is_null())
                .add(login_throttle::Column::LockedUntil.lte(now)),
        )
        .exec(cx.conn())
        .await?;
    Ok(res.rows_affected)
}

/// Removes activation codes that can never work again: used (or cancelled
/// by a newer code) or expired.
pub async fn purge_activation_codes(cx: &Cx<'_>) -> StoreResult<u64> {
    system_only(cx, "activation_code")?;
    let res = activation_code::Entity::delete_many()
        .filter(
            sea_orm::Condition::any()
                .add(activation_code::Column::UsedAt.is_not_null())
                .add(activation_code::Column::ExpiresAt.lte(millis(cx.now))),
        )
        .exec(cx.conn())
        .await?;
    Ok(res.rows_affected)
}

/// One pass of everything but the access log's later batches: sessions,
/// throttle rows, activation codes and the first access-log batch.
pub async fn purge(cx: &Cx<'_>, policy: &RetentionPolicy) -> StoreResult<Purged> {
    system_only(cx, "retention")?;
    Ok(Purged {
        sessions: sessions::purge_expired(cx, policy.sessions).await?,
        throttle: purge_throttle(cx, policy.throttle).await?,
        activation_codes: purge_activation_codes(cx).await?,
        access_log: purge_access_log(cx, policy.access_log).await?,
    })
}

/// Runs [`purge`], then further access-log batches until none is full, each
/// in a unit of work of its own.
pub async fn run(store: &crate::Store, policy: &RetentionPolicy) -> StoreResult<Purged> {
    let system = crate::Actor::system("retention");
    let mut purged = store
        .write(&system, async |cx| purge(cx, policy).await)
        .await?;
    let mut last = purged.access_log;
    while last >= ACCESS_LOG_BATCH {
        last = store
            .write(&system, async |cx| {
                purge_access_log(cx, policy.access_log).await
            })
            .await?;
        purged.access_log += last;
    }
    Ok(purged)
}
