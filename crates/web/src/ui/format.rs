//! Dates, times and URL parts as the pages show them.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Europe::Amsterdam;

/// Today in the Netherlands: days turn over at local midnight, not UTC's.
pub fn today_nl(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&Amsterdam).date_naive()
}

/// A day as Dutch readers write it: `31-12-2026`.
pub fn date_nl(d: NaiveDate) -> String {
    d.format("%d-%m-%Y").to_string()
}

/// A moment in Dutch local time: `31-12-2026 14:05`.
pub fn when_nl(t: DateTime<Utc>) -> String {
    t.with_timezone(&Amsterdam)
        .format("%d-%m-%Y %H:%M")
        .to_string()
}

/// A day in words, for residents: "dinsdag 1 december", with the year only
/// when it is not `today`'s ("dinsdag 1 december 2025").
pub fn day_in_words(t: crate::i18n::Tr, d: NaiveDate, today: NaiveDate) -> String {
    use chrono::Datelike;
    let weekday = match d.weekday() {
        chrono::Weekday::Mon => "weekday-monday",
        chrono::Weekday::Tue => "weekday-tuesday",
        chrono::Weekday::Wed => "weekday-wednesday",
        chrono::Weekday::Thu => "weekday-thursday",
        chrono::Weekday::Fri => "weekday-friday",
        chrono::Weekday::Sat => "weekday-saturday",
        chrono::Weekday::Sun => "weekday-sunday",
    };
    format!("{} {}", t.get(weekday), date_in_words(t, d, today))
}

/// A date in words, for residents: "7 november", with the year only when it
/// is not `today`'s ("7 november 2027").
pub fn date_in_words(t: crate::i18n::Tr, d: NaiveDate, today: NaiveDate) -> String {
    use chrono::Datelike;
    let key = if d.year() == today.year() {
        "date-in-words-this-year"
    } else {
        "date-in-words"
    };
    t.with(
        key,
        &[
            ("day", d.day().to_string()),
            ("month", t.get(&format!("month-{}", d.month()))),
            ("year", d.year().to_string()),
        ],
    )
}

/// A clock time in Dutch local time: `14:05`.
pub fn time_nl(t: DateTime<Utc>) -> String {
    t.with_timezone(&Amsterdam).format("%H:%M").to_string()
}

/// A day as a date input's value: `2026-12-31`.
pub fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// A day or a dash.
pub fn opt_date(d: Option<NaiveDate>) -> String {
    d.map(date_nl).unwrap_or_else(|| "—".to_owned())
}

/// Percent-encodes a query parameter's value (RFC 3986 unreserved kept).
pub fn urlencoding(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
