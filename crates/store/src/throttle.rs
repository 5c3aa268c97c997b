//! Brute-force throttling of logins, per e-mail address and per client address.
//!
//! After `max_failures` failed attempts within `window`, the key is locked for
//! `lockout`; a successful login clears the e-mail key. Counting per address
//! as well as per account slows password spraying across many accounts.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};

use crate::entity::login_throttle;
use crate::{Store, StoreResult, from_millis, millis};

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

pub fn email_key(email: &str) -> String {
    format!("email:{}", email.trim().to_lowercase())
}

pub fn address_key(address: &str) -> String {
    format!("ip:{address}")
}

/// When the key is locked, until when.
pub async fn locked_until(store: &Store, key: &str) -> StoreResult<Option<DateTime<Utc>>> {
    let now = store.now();
    Ok(login_throttle::Entity::find_by_id(key.to_owned())
        .one(store.conn())
        .await?
        .and_then(|r| r.locked_until)
        .map(from_millis)
        .filter(|until| *until > now))
}

/// Records a failed attempt; returns the lock's end when this locks the key.
pub async fn record_failure(
    store: &Store,
    policy: ThrottlePolicy,
    key: &str,
) -> StoreResult<Option<DateTime<Utc>>> {
    let now = store.now();
    let tx = store.begin_write().await?;
    let existing = login_throttle::Entity::find_by_id(key.to_owned())
        .one(&*tx)
        .await?;
    let (failures, started) = match &existing {
        Some(r) if from_millis(r.window_started_at) + policy.window > now => {
            (r.failures + 1, r.window_started_at)
        }
        _ => (1, millis(now)),
    };
    let locked = (failures >= policy.max_failures).then(|| now + policy.lockout);
    let row = login_throttle::ActiveModel {
        key: Set(key.to_owned()),
        failures: Set(failures),
        window_started_at: Set(started),
        locked_until: Set(locked.map(millis)),
    };
    if existing.is_some() {
        row.update(&*tx).await?;
    } else {
        row.insert(&*tx).await?;
    }
    tx.commit().await?;
    Ok(locked)
}

pub async fn clear(store: &Store, key: &str) -> StoreResult<()> {
    let tx = store.begin_write().await?;
    login_throttle::Entity::delete_by_id(key.to_owned())
        .exec(&*tx)
        .await?;
    tx.commit().await
}
