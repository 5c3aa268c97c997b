//! Moments are stored as UTC epoch milliseconds: they compare numerically and
//! identically on SQLite and PostgreSQL, unlike SQLite's text timestamps.

use chrono::{DateTime, TimeZone, Utc};

pub fn millis(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

pub fn from_millis(ms: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(ms)
        .single()
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}
