//! Brute-force throttling of logins (OWASP ASVS 2.2.1), designed so that a
//! stranger cannot lock a user out.
//!
//! Every attempt is counted *before* the password is checked, with an atomic
//! increment, so parallel guesses cannot slip past the limit while the slow
//! password check runs. At most `max_failures` attempts per key are checked
//! within `window`; further ones are refused until `lockout` has passed.
//! Three keys, each with its own limit ([`LoginLimits`]):
//! - **account and address** together, tight: guessing one account from one
//!   place stops after a few tries, and locks only that place out of that
//!   account — the user, elsewhere, still logs in;
//! - **account**, a much higher ceiling: guessing one account from many
//!   places (a botnet) still stops, but a stranger needs dozens of tries in an
//!   hour to inconvenience a user, and only for the lockout;
//! - **address**, a high ceiling: password spraying (one guess on many
//!   accounts) from one place stops, while an office behind one address can
//!   still work.
//!
//! A successful login clears the pair's count and gives the account and
//! address their attempt back.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

use crate::entity::login_throttle;
use crate::{Cx, StoreResult, from_millis, millis};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ThrottlePolicy {
    pub max_failures: i32,
    pub window: Duration,
    pub lockout: Duration,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        ThrottlePolicy {
            max_failures: 5,
            window: Duration::minutes(15),
            lockout: Duration::minutes(15),
        }
    }
}

/// The limits of the three keys (see the module documentation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoginLimits {
    /// One account from one address (and activation codes per address).
    pub pair: ThrottlePolicy,
    /// One account from anywhere.
    pub account: ThrottlePolicy,
    /// One address, on any accounts.
    pub address: ThrottlePolicy,
}

impl Default for LoginLimits {
    fn default() -> Self {
        LoginLimits {
            pair: ThrottlePolicy::default(),
            account: ThrottlePolicy {
                max_failures: 50,
                window: Duration::hours(1),
                lockout: Duration::minutes(15),
            },
            address: ThrottlePolicy {
                max_failures: 100,
                window: Duration::minutes(15),
                lockout: Duration::minutes(15),
            },
        }
    }
}

/// Longest key kept: anything typed beyond a valid e-mail address's length
/// adds nothing, and PostgreSQL limits the size of an index entry.
const MAX_KEY: usize = 300;

fn capped(key: String) -> String {
    match key.char_indices().nth(MAX_KEY) {
        Some((cut, _)) => key[..cut].to_owned(),
        None => key,
    }
}

pub fn email_key(email: &str) -> String {
    capped(format!("email:{}", email.trim().to_lowercase()))
}

pub fn address_key(address: &str) -> String {
    capped(format!("ip:{address}"))
}

/// One account from one address.
pub fn pair_key(email: &str, address: &str) -> String {
    capped(format!("pair:{address}:{}", email.trim().to_lowercase()))
}

/// The outcome of announcing an attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Attempt {
    /// Go ahead and check the password.
    Allowed,
    /// Refused without checking, until then.
    Locked(DateTime<Utc>),
}

/// When the key is locked, until when.
pub async fn locked_until(cx: &Cx<'_>, key: &str) -> StoreResult<Option<DateTime<Utc>>> {
    let now = cx.now;
    Ok(login_throttle::Entity::find_by_id(key.to_owned())
        .one(cx.conn())
        .await?
        .and_then(|r| r.locked_until)
        .map(from_millis)
        .filter(|until| *until > now))
}

/// Counts an attempt for `key` before its password is checked.
pub async fn attempt(cx: &Cx<'_>, policy: ThrottlePolicy, key: &str) -> StoreResult<Attempt> {
    let (now, tx) = (cx.now, cx.conn());
    // Make sure the row exists; concurrent first attempts must not collide.
    login_throttle::Entity::insert(login_throttle::ActiveModel {
        key: Set(key.to_owned()),
        failures: Set(0),
        window_started_at: Set(millis(now)),
        locked_until: Set(None),
    })
    .on_conflict_do_nothing()
    .exec(tx)
    .await?;
    // A window or lock that has passed starts a fresh count.
    login_throttle::Entity::update_many()
        .col_expr(login_throttle::Column::Failures, Expr::value(0))
        .col_expr(
            login_throttle::Column::WindowStartedAt,
            Expr::value(millis(now)),
        )
        .col_expr(
            login_throttle::Column::LockedUntil,
            Expr::value(Option::<i64>::None),
        )
        .filter(login_throttle::Column::Key.eq(key))
        .filter(login_throttle::Column::WindowStartedAt.lte(millis(now - policy.window)))
        .filter(
            sea_orm::Condition::any()
                .add(login_throttle::Column::LockedUntil.is_null())
                .add(login_throttle::Column::LockedUntil.lte(millis(now))),
        )
        .exec(tx)
        .await?;
    // The increment is one statement: on PostgreSQL it takes the row lock, so
    // concurrent attempts each see their own count.
    login_throttle::Entity::update_many()
        .col_expr(
            login_throttle::Column::Failures,
            Expr::col(login_throttle::Column::Failures).add(1),
        )
        .filter(login_throttle::Column::Key.eq(key))
        .exec(tx)
        .await?;
    let Some(row) = login_throttle::Entity::find_by_id(key.to_owned())
        .one(tx)
        .await?
    else {
        return Ok(Attempt::Allowed);
    };
    if let Some(until) = row.locked_until.map(from_millis).filter(|u| *u > now) {
        return Ok(Attempt::Locked(until));
    }
    if row.failures > policy.max_failures {
        let until = now + policy.lockout;
        login_throttle::Entity::update_many()
            .col_expr(
                login_throttle::Column::LockedUntil,
                Expr::value(Some(millis(until))),
            )
            .filter(login_throttle::Column::Key.eq(key))
            .exec(tx)
            .await?;
        return Ok(Attempt::Locked(until));
    }
    Ok(Attempt::Allowed)
}

/// After a successful login: the key's count starts over.
pub async fn clear(cx: &Cx<'_>, key: &str) -> StoreResult<()> {
    login_throttle::Entity::delete_by_id(key.to_owned())
        .exec(cx.conn())
        .await?;
    Ok(())
}

/// After a successful login from an address: that attempt does not count
/// against the address (other failures from it still do).
pub async fn refund(cx: &Cx<'_>, key: &str) -> StoreResult<()> {
    login_throttle::Entity::update_many()
        .col_expr(
            login_throttle::Column::Failures,
            Expr::col(login_throttle::Column::Failures).sub(1),
        )
        .filter(login_throttle::Column::Key.eq(key))
        .filter(login_throttle::Column::Failures.gt(0))
        .exec(cx.conn())
        .await?;
    Ok(())
}
