//! A professional's workload as the team lead weighs it: how many contacts
//! the residents' rhythms ask for in a month, next to how many took place.

use chrono::{Datelike, NaiveDate};

use crate::calendar::{days_inclusive, overlap};

/// The first and last day of `day`'s month.
pub fn month_of(day: NaiveDate) -> (NaiveDate, NaiveDate) {
    let first = day.with_day(1).unwrap_or(day);
    let last = first
        .checked_add_months(chrono::Months::new(1))
        .and_then(|d| d.pred_opt())
        .unwrap_or(day);
    (first, last)
}

/// How many contacts a rhythm of `rhythm_days` asks for in the days of
/// `period` (inclusive) during which an indication from `start` to `end`
/// runs: those days divided by the rhythm, rounded to the nearest whole
/// contact (a monthly rhythm over a 30-day month is one contact, not two).
/// At least one when the indication runs at all in the period, so a resident
/// is never expected to be left alone for a whole month.
pub fn expected_contacts(
    period: (NaiveDate, NaiveDate),
    start: NaiveDate,
    end: Option<NaiveDate>,
    rhythm_days: u32,
) -> u32 {
    if rhythm_days == 0 {
        return 0;
    }
    let Some((from, to)) = overlap(period.0, period.1, start, end.unwrap_or(NaiveDate::MAX)) else {
        return 0;
    };
    let days = u64::try_from(days_inclusive(from, to)).unwrap_or(0);
    let rhythm = u64::from(rhythm_days);
    let rounded = (days * 2 + rhythm) / (rhythm * 2);
    u32::try_from(rounded.max(1)).unwrap_or(u32::MAX)
}

/// Whether `done` contacts on `today` fall behind what `expected` contacts
/// over `month` ask for by now: fewer than the share of the month that has
/// passed (rounded down, so the first days of a month raise no alarm).
pub fn behind(month: (NaiveDate, NaiveDate), today: NaiveDate, expected: u32, done: u32) -> bool {
    let days = days_inclusive(month.0, month.1).max(1);
    let passed = days_inclusive(month.0, today).clamp(0, days);
    let due_by_now = i64::from(expected) * passed / days;
    i64::from(done) < due_by_now
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_month_is_its_first_to_its_last_day() {
        assert_eq!(month_of(d(2026, 2, 14)), (d(2026, 2, 1), d(2026, 2, 28)));
        assert_eq!(month_of(d(2026, 12, 31)), (d(2026, 12, 1), d(2026, 12, 31)));
    }

    #[test]
    fn rhythms_ask_for_whole_contacts_over_the_days_that_run() {
        let december = month_of(d(2026, 12, 2));
        // Waakvlam, every four weeks: one contact in a month, not two.
        assert_eq!(expected_contacts(december, d(2026, 1, 1), None, 28), 1);
        // Weekly: 31 / 7 = 4.4, so four.
        assert_eq!(expected_contacts(december, d(2026, 1, 1), None, 7), 4);
        // Starting on the 20th, weekly: 12 days, two contacts.
        assert_eq!(expected_contacts(december, d(2026, 12, 20), None, 7), 2);
        // Running a single day still asks for one contact.
        assert_eq!(
            expected_contacts(december, d(2026, 1, 1), Some(d(2026, 12, 1)), 28),
            1
        );
        // Ended before the month, or no rhythm: nothing.
        assert_eq!(
            expected_contacts(december, d(2026, 1, 1), Some(d(2026, 11, 30)), 7),
            0
        );
        assert_eq!(expected_contacts(december, d(2026, 1, 1), None, 0), 0);
    }

    #[test]
    fn behind_is_fewer_contacts_than_the_month_so_far_asks() {
        let december = month_of(d(2026, 12, 2));
        // Early in the month nothing is due yet.
        assert!(!behind(december, d(2026, 12, 2), 4, 0));
        // Halfway, two of four are due.
        assert!(behind(december, d(2026, 12, 16), 4, 1));
        assert!(!behind(december, d(2026, 12, 16), 4, 2));
        // At the end, all of them.
        assert!(behind(december, d(2026, 12, 31), 4, 3));
        assert!(!behind(december, d(2026, 12, 31), 0, 0));
    }
}
