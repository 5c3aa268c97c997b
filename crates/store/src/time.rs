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

/// The calendar day of a moment where Waakvlam's users live (Amsterdam),
/// as `Cx::today` reckons today.
pub fn local_date(t: DateTime<Utc>) -> chrono::NaiveDate {
    t.with_timezone(&chrono_tz::Europe::Amsterdam).date_naive()
}

/// The first moment of a local (Amsterdam) day.
pub fn start_of_local_day(day: chrono::NaiveDate) -> DateTime<Utc> {
    use chrono::TimeZone as _;
    chrono_tz::Europe::Amsterdam
        .from_local_datetime(&day.and_time(chrono::NaiveTime::MIN))
        .earliest()
        .map_or_else(
            || day.and_time(chrono::NaiveTime::MIN).and_utc(),
            |t| t.with_timezone(&Utc),
        )
}
