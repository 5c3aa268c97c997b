//! Small date helpers shared by the indication rules and the cost arithmetic,
//! so "twelve months" means the same thing in both.

use chrono::{Datelike, Months, NaiveDate};

/// `date` plus `months` calendar months; the day is clamped to the month's
/// length (31 January + 1 month = 28/29 February). `None` beyond chrono's range.
pub(crate) fn add_months(date: NaiveDate, months: u32) -> Option<NaiveDate> {
    date.checked_add_months(Months::new(months))
}

/// The intersection of two inclusive date ranges, if they overlap.
pub(crate) fn overlap(
    a_start: NaiveDate,
    a_end: NaiveDate,
    b_start: NaiveDate,
    b_end: NaiveDate,
) -> Option<(NaiveDate, NaiveDate)> {
    let start = a_start.max(b_start);
    let end = a_end.min(b_end);
    (start <= end).then_some((start, end))
}

/// Number of days in an inclusive range (`start <= end`).
pub(crate) fn days_inclusive(start: NaiveDate, end: NaiveDate) -> i64 {
    (end - start).num_days() + 1
}

/// Working days (Monday to Friday) after `from` up to and including `to`:
/// the age of a request on a worklist. 0 when `to` is not after `from`.
/// Public holidays are not taken into account.
pub fn working_days_between(from: NaiveDate, to: NaiveDate) -> u32 {
    if to <= from {
        return 0;
    }
    let days = (to - from).num_days();
    let full_weeks = days / 7;
    let mut count = full_weeks * 5;
    let mut day = from + chrono::Days::new(u64::try_from(full_weeks * 7).unwrap_or(0));
    while day < to {
        day = day.succ_opt().unwrap_or(day);
        if day.weekday().number_from_monday() <= 5 {
            count += 1;
        }
        if day == NaiveDate::MAX {
            break;
        }
    }
    u32::try_from(count).unwrap_or(u32::MAX)
}

/// A month counted from year 0, so month arithmetic is plain subtraction.
fn month_index(date: NaiveDate) -> i64 {
    i64::from(date.year()) * 12 + i64::from(date.month0())
}

/// How many calendar months an inclusive range touches (`start <= end`).
pub(crate) fn months_touched(start: NaiveDate, end: NaiveDate) -> i64 {
    month_index(end) - month_index(start) + 1
}

/// The first day of the month after `date`'s month.
pub(crate) fn first_of_next_month(date: NaiveDate) -> Option<NaiveDate> {
    add_months(date.with_day(1)?, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn working_days_skip_weekends() {
        // Friday 2026-11-20 to Monday 2026-11-23: one working day (Monday).
        assert_eq!(working_days_between(d(2026, 11, 20), d(2026, 11, 23)), 1);
        assert_eq!(working_days_between(d(2026, 11, 23), d(2026, 11, 23)), 0);
        assert_eq!(working_days_between(d(2026, 11, 24), d(2026, 11, 23)), 0);
        // Two full weeks.
        assert_eq!(working_days_between(d(2026, 11, 9), d(2026, 11, 23)), 10);
        // Saturday to Sunday.
        assert_eq!(working_days_between(d(2026, 11, 21), d(2026, 11, 22)), 0);
    }

    #[test]
    fn helpers() {
        assert_eq!(add_months(d(2024, 1, 31), 1), Some(d(2024, 2, 29)));
        assert_eq!(
            overlap(d(2024, 1, 1), d(2024, 1, 31), d(2024, 1, 31), d(2024, 2, 5)),
            Some((d(2024, 1, 31), d(2024, 1, 31)))
        );
        assert_eq!(
            overlap(d(2024, 1, 1), d(2024, 1, 30), d(2024, 1, 31), d(2024, 2, 5)),
            None
        );
        assert_eq!(days_inclusive(d(2024, 1, 1), d(2024, 12, 31)), 366);
        assert_eq!(months_touched(d(2024, 1, 31), d(2024, 2, 1)), 2);
        assert_eq!(months_touched(d(2024, 12, 15), d(2025, 1, 15)), 2);
        assert_eq!(first_of_next_month(d(2024, 12, 15)), Some(d(2025, 1, 1)));
    }
}
