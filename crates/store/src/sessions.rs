//! Server-side sessions with idle and absolute timeouts.
//!
//! The cookie carries a random token; the database keeps only its SHA-256, so
//! a copy of the database cannot be used to take over sessions. A new token
//! is issued at every login (no session fixation), and logout deletes the row.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use sha2::{Digest, Sha256};

use crate::accounts::{self, Account};
use crate::entity::session;
use crate::{AccountId, Cx, StoreResult, from_millis, millis};

/// How long sessions live.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionPolicy {
    /// Logged out after this long without a request.
    pub idle: Duration,
    /// Logged out this long after login, whatever happens.
    pub absolute: Duration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        SessionPolicy {
            idle: Duration::minutes(30),
            // Over 20 hours, so the absolute limit falls under WCAG 2.2.1's
            // 20-hour exception (it cannot be extended); the 30-minute idle
            // limit, which warns and can be extended, ends unattended sessions.
            absolute: Duration::hours(21),
        }
    }
}

/// A live session and its account.
#[derive(Clone, Debug)]
pub struct ActiveSession {
    pub account: Account,
    pub csrf_token: String,
    pub idle_expires_at: DateTime<Utc>,
    pub absolute_expires_at: DateTime<Utc>,
}

fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Starts a session; returns the cookie token (shown once, never stored).
pub async fn create(
    cx: &Cx<'_>,
    policy: SessionPolicy,
    account_id: AccountId,
    client_address: Option<String>,
) -> StoreResult<(String, ActiveSession)> {
    let (now, tx) = (cx.now, cx.conn());
    let token = random_token();
    let csrf = random_token();
    session::ActiveModel {
        token_hash: Set(token_hash(&token)),
        account_id: Set(account_id.get()),
        csrf_token: Set(csrf.clone()),
        created_at: Set(millis(now)),
        last_seen_at: Set(millis(now)),
        absolute_expires_at: Set(millis(now + policy.absolute)),
        client_address: Set(client_address),
    }
    .insert(tx)
    .await?;
    let account = accounts::by_id(cx, account_id)
        .await?
        .ok_or(crate::StoreError::NotFound { what: "account" })?;
    Ok((
        token,
        ActiveSession {
            account,
            csrf_token: csrf,
            idle_expires_at: now + policy.idle,
            absolute_expires_at: now + policy.absolute,
        },
    ))
}

/// How often a live session's last-seen time is written: the idle limit is
/// counted from it, so a session may end up to this much earlier than its
/// limit says, and a burst of requests writes it once.
pub const TOUCH_STEP_MS: i64 = 15_000;

/// What a session token leads to (see [`look_up`]).
#[derive(Clone, Debug)]
pub enum Lookup {
    /// A live session; `touch` when its last-seen time should be written.
    Live {
        session: Box<ActiveSession>,
        touch: bool,
    },
    /// An expired session or one of an inactive account: to be removed.
    Ended,
    /// No such session.
    Unknown,
}

/// Looks a session up without writing anything, so it runs in a read
/// ([`crate::Store::read`]); the caller then removes an ended session
/// ([`delete`]) or has a live one's last-seen time written with the next
/// group commit ([`touch_later`]).
pub async fn look_up(cx: &Cx<'_>, policy: SessionPolicy, token: &str) -> StoreResult<Lookup> {
    let now = cx.now;
    let Some(row) = session::Entity::find_by_id(token_hash(token))
        .one(cx.conn())
        .await?
    else {
        return Ok(Lookup::Unknown);
    };
    let idle_expires = from_millis(row.last_seen_at) + policy.idle;
    let absolute_expires = from_millis(row.absolute_expires_at);
    if now >= idle_expires || now >= absolute_expires {
        return Ok(Lookup::Ended);
    }
    let Some(account) = accounts::by_id(cx, AccountId::new(row.account_id)).await? else {
        return Ok(Lookup::Unknown);
    };
    if !account.active {
        return Ok(Lookup::Ended);
    }
    Ok(Lookup::Live {
        touch: millis(now) - row.last_seen_at > TOUCH_STEP_MS,
        session: Box::new(ActiveSession {
            account,
            csrf_token: row.csrf_token,
            idle_expires_at: now + policy.idle,
            absolute_expires_at: absolute_expires,
        }),
    })
}

/// Has a live session's last-seen time (`at`) written with the store's next
/// group commit, beside the access-log entries of the reads then waiting;
/// nobody waits for it.
pub fn touch_later(store: &crate::Store, token: &str, at: DateTime<Utc>) {
    store.touch_session_later(token_hash(token), millis(at));
}

/// Writes last-seen times (token hash, epoch ms), never moving one back.
pub(crate) async fn touch_all<C: sea_orm::ConnectionTrait>(
    conn: &C,
    touches: &[(String, i64)],
) -> StoreResult<()> {
    for (hash, at) in touches {
        session::Entity::update_many()
            .col_expr(
                session::Column::LastSeenAt,
                sea_orm::sea_query::Expr::value(*at),
            )
            .filter(session::Column::TokenHash.eq(hash.as_str()))
            .filter(session::Column::LastSeenAt.lt(*at))
            .exec(conn)
            .await?;
    }
    Ok(())
}

/// Looks a session up and keeps it alive, in a write: expired sessions and
/// inactive accounts give `None` (and expired rows are removed).
pub async fn resume(
    cx: &Cx<'_>,
    policy: SessionPolicy,
    token: &str,
) -> StoreResult<Option<ActiveSession>> {
    match look_up(cx, policy, token).await? {
        Lookup::Live { session, touch } => {
            if touch {
                self::touch(cx, &token_hash(token), cx.now).await?;
            }
            Ok(Some(*session))
        }
        Lookup::Ended => {
            delete(cx, token).await?;
            Ok(None)
        }
        Lookup::Unknown => Ok(None),
    }
}

async fn touch(cx: &Cx<'_>, hash: &str, now: DateTime<Utc>) -> StoreResult<()> {
    touch_all(cx.conn(), &[(hash.to_owned(), millis(now))]).await
}

/// Explicitly extends the idle timeout ("Ingelogd blijven").
pub async fn extend(cx: &Cx<'_>, token: &str) -> StoreResult<()> {
    touch(cx, &token_hash(token), cx.now).await
}

/// Ends a session (logout).
pub async fn delete(cx: &Cx<'_>, token: &str) -> StoreResult<()> {
    session::Entity::delete_many()
        .filter(session::Column::TokenHash.eq(token_hash(token)))
        .exec(cx.conn())
        .await?;
    Ok(())
}

/// Removes every expired session; run periodically by the server.
pub async fn purge_expired(cx: &Cx<'_>, policy: SessionPolicy) -> StoreResult<u64> {
    let now = millis(cx.now);
    let idle_cutoff = now - policy.idle.num_milliseconds();
    let res = session::Entity::delete_many()
        .filter(
            sea_orm::Condition::any()
                .add(session::Column::LastSeenAt.lte(idle_cutoff))
                .add(session::Column::AbsoluteExpiresAt.lte(now)),
        )
        .exec(cx.conn())
        .await?;
    Ok(res.rows_affected)
}
