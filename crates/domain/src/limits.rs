//! Documented limits on what a form or CSV file may contain.
//!
//! Every text field belongs to a [`TextClass`] with a maximum length in
//! characters; every date to a range ([`care_dates`], [`birth_dates`]); every
//! amount of money to a maximum ([`MAX_PRICE`], [`MAX_SUM`]). The checkers
//! return a [`Refusal`] with a stable reason id (`text-length`,
//! `text-control`, `date-range`, `amount-max`, `amount-negative`), shown next
//! to the field in the user's language. [`Refusals`] collects the results of
//! all checks of one form, so every problem comes back at once.
//!
//! The table of limits is in `docs/SECURITY.md` ("Input limits"); keep the
//! two in step.

use chrono::{Datelike, Months, NaiveDate};

use crate::money::Cents;
use crate::refusal::{Reason, Refusal};

/// What kind of text a field holds, and so how long it may be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextClass {
    /// A person's or product's name: 100 characters, one line.
    Name,
    /// A short single line (an agreed result, an area): 200 characters.
    Line,
    /// A reason (scale request, extension, rejection, what was done about a
    /// bell): 500 characters, may have several lines.
    Short,
    /// A message (portal message, help request, check-in note): 1000
    /// characters, several lines.
    Message,
    /// A professional's note (contact note, plan note): 4000 characters,
    /// several lines.
    Note,
}

impl TextClass {
    /// The most characters (Unicode scalar values) a field of this class holds.
    pub const fn max(self) -> usize {
        match self {
            TextClass::Name => 100,
            TextClass::Line => 200,
            TextClass::Short => 500,
            TextClass::Message => 1000,
            TextClass::Note => 4000,
        }
    }

    /// Whether the field may hold line breaks and tabs.
    pub const fn multi_line(self) -> bool {
        matches!(
            self,
            TextClass::Short | TextClass::Message | TextClass::Note
        )
    }
}

/// Refuses text that is longer than its class allows (`text-length` with
/// `max`) or holds control characters (`text-control`): NUL and the other
/// control characters always, line breaks and tabs in single-line classes.
/// Length counts characters, not bytes, after the caller's trimming.
pub fn check_text(field: &str, value: &str, class: TextClass) -> Result<(), Refusal> {
    let allowed = |c: char| class.multi_line() && matches!(c, '\n' | '\r' | '\t');
    if value.chars().any(|c| c.is_control() && !allowed(c)) {
        return Err(Refusal::because(field, "text-control"));
    }
    // Counting stops just past the limit: a huge text costs no more.
    if value.chars().take(class.max() + 1).count() > class.max() {
        return Err(Refusal::new(
            field,
            Reason::new("text-length").with("max", class.max()),
        ));
    }
    Ok(())
}

/// Like [`check_text`], and refuses empty (or only blank) text with
/// `text-required`.
pub fn check_required_text(field: &str, value: &str, class: TextClass) -> Result<(), Refusal> {
    if value.trim().is_empty() {
        return Err(Refusal::because(field, "text-required"));
    }
    check_text(field, value, class)
}

/// The first day of care dates: nothing in this system started before.
pub const CARE_DATES_FROM: NaiveDate = match NaiveDate::from_ymd_opt(2000, 1, 1) {
    Some(d) => d,
    None => panic!("valid date"),
};

/// How far ahead a care date may lie: 5 years after today.
pub const CARE_YEARS_AHEAD: u32 = 5;

/// The first birth date accepted.
pub const BIRTH_DATES_FROM: NaiveDate = match NaiveDate::from_ymd_opt(1900, 1, 1) {
    Some(d) => d,
    None => panic!("valid date"),
};

/// The range of care dates (contacts, indication start and end, scale-down
/// moments, requested starts): from 2000-01-01 to 5 years after `today`.
pub fn care_dates(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let to = today
        .checked_add_months(Months::new(12 * CARE_YEARS_AHEAD))
        .unwrap_or(NaiveDate::MAX);
    (CARE_DATES_FROM, to)
}

/// The range of birth dates: 1900-01-01 to `today`.
pub fn birth_dates(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    (BIRTH_DATES_FROM, today)
}

/// Refuses a date outside `(from, to)` (both included) with `date-range`,
/// its arguments `min` and `max` written the Dutch way (`31-12-2026`).
pub fn check_date(
    field: &str,
    date: NaiveDate,
    range: (NaiveDate, NaiveDate),
) -> Result<(), Refusal> {
    let (from, to) = range;
    if (from..=to).contains(&date) {
        Ok(())
    } else {
        Err(Refusal::new(
            field,
            Reason::new("date-range")
                .with("min", day(from))
                .with("max", day(to)),
        ))
    }
}

/// A care date: see [`care_dates`].
pub fn check_care_date(field: &str, date: NaiveDate, today: NaiveDate) -> Result<(), Refusal> {
    check_date(field, date, care_dates(today))
}

/// A birth date: see [`birth_dates`].
pub fn check_birth_date(field: &str, date: NaiveDate, today: NaiveDate) -> Result<(), Refusal> {
    check_date(field, date, birth_dates(today))
}

fn day(d: NaiveDate) -> String {
    format!("{:02}-{:02}-{:04}", d.day(), d.month(), d.year())
}

/// The highest tariff or price per unit (per hour, week, month or
/// indication; also a monthly own contribution): € 10.000,00.
pub const MAX_PRICE: Cents = Cents(1_000_000);

/// The highest sum (a budget ceiling): € 1.000.000,00.
pub const MAX_SUM: Cents = Cents(100_000_000);

/// Refuses a negative amount (`amount-negative`) or one above `max`
/// (`amount-max` with `max`, written as euros).
pub fn check_amount(field: &str, amount: Cents, max: Cents) -> Result<(), Refusal> {
    if amount.0 < 0 {
        return Err(Refusal::because(field, "amount-negative"));
    }
    if amount > max {
        return Err(Refusal::new(
            field,
            Reason::new("amount-max").with("max", max),
        ));
    }
    Ok(())
}

/// A tariff or price: at most [`MAX_PRICE`].
pub fn check_price(field: &str, amount: Cents) -> Result<(), Refusal> {
    check_amount(field, amount, MAX_PRICE)
}

/// A sum such as a budget ceiling: at most [`MAX_SUM`].
pub fn check_sum(field: &str, amount: Cents) -> Result<(), Refusal> {
    check_amount(field, amount, MAX_SUM)
}

/// The refusals of one form: every check runs and every problem comes back
/// at once, not one per submit.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Refusals(Vec<Refusal>);

impl Refusals {
    pub fn new() -> Self {
        Self::default()
    }

    /// Notes a check's refusal, if any; returns whether it passed.
    pub fn check(&mut self, result: Result<(), Refusal>) -> bool {
        match result {
            Ok(()) => true,
            Err(r) => {
                self.0.push(r);
                false
            }
        }
    }

    /// Takes the value of a parse, noting its refusal.
    pub fn take<T>(&mut self, result: Result<T, Refusal>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(r) => {
                self.0.push(r);
                None
            }
        }
    }

    pub fn push(&mut self, r: Refusal) {
        self.0.push(r);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether a field has been refused already.
    pub fn has(&self, field: &str) -> bool {
        self.0.iter().any(|r| r.field == field)
    }

    /// `Ok` when nothing was refused, otherwise every refusal.
    pub fn into_result(self) -> Result<(), Vec<Refusal>> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self.0)
        }
    }

    pub fn into_vec(self) -> Vec<Refusal> {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn text_up_to_the_limit_is_accepted_and_one_more_is_refused() {
        for class in [
            TextClass::Name,
            TextClass::Line,
            TextClass::Short,
            TextClass::Message,
            TextClass::Note,
        ] {
            let max = class.max();
            assert_eq!(check_text("f", &"é".repeat(max), class), Ok(()));
            let err = check_text("f", &"é".repeat(max + 1), class).unwrap_err();
            assert_eq!(err.reason.id, "text-length");
            assert_eq!(err.reason.args, vec![("max", max.to_string())]);
        }
    }

    #[test]
    fn a_900_kb_note_is_refused() {
        let err = check_text("note", &"a".repeat(900 * 1024), TextClass::Note).unwrap_err();
        assert_eq!(err.field, "note");
        assert_eq!(err.reason.id, "text-length");
    }

    #[test]
    fn nul_is_always_refused_and_line_breaks_only_in_multi_line_text() {
        for class in [TextClass::Name, TextClass::Note] {
            assert_eq!(
                check_text("f", "a\0b", class).unwrap_err().reason.id,
                "text-control"
            );
            assert_eq!(
                check_text("f", "a\u{1b}b", class).unwrap_err().reason.id,
                "text-control"
            );
        }
        assert_eq!(check_text("f", "a\r\n\tb", TextClass::Note), Ok(()));
        assert_eq!(
            check_text("f", "a\nb", TextClass::Name)
                .unwrap_err()
                .reason
                .id,
            "text-control"
        );
    }

    #[test]
    fn required_text_must_not_be_blank() {
        assert_eq!(
            check_required_text("f", "  ", TextClass::Short)
                .unwrap_err()
                .reason
                .id,
            "text-required"
        );
        assert_eq!(check_required_text("f", "ok", TextClass::Short), Ok(()));
    }

    #[test]
    fn care_dates_run_from_2000_to_five_years_ahead() {
        let today = date(2026, 12, 2);
        assert_eq!(care_dates(today), (date(2000, 1, 1), date(2031, 12, 2)));
        assert_eq!(check_care_date("d", date(2000, 1, 1), today), Ok(()));
        assert_eq!(check_care_date("d", date(2031, 12, 2), today), Ok(()));
        for bad in [
            date(0, 1, 1),
            date(-1, 1, 1),
            date(1900, 1, 1),
            date(1999, 12, 31),
            date(2031, 12, 3),
        ] {
            let err = check_care_date("d", bad, today).unwrap_err();
            assert_eq!(err.reason.id, "date-range");
            assert_eq!(
                err.reason.args,
                vec![("min", "01-01-2000".into()), ("max", "02-12-2031".into())]
            );
        }
    }

    #[test]
    fn birth_dates_run_from_1900_to_today() {
        let today = date(2026, 12, 2);
        assert_eq!(check_birth_date("b", date(1900, 1, 1), today), Ok(()));
        assert!(check_birth_date("b", date(1899, 12, 31), today).is_err());
        assert!(check_birth_date("b", date(2026, 12, 3), today).is_err());
    }

    #[test]
    fn amounts_are_bounded_and_never_negative() {
        assert_eq!(check_price("a", Cents(1_000_000)), Ok(()));
        let err = check_price("a", Cents(1_000_001)).unwrap_err();
        assert_eq!(err.reason.id, "amount-max");
        assert_eq!(err.reason.args, vec![("max", MAX_PRICE.to_string())]);
        // €92 quadrillion.
        assert!(check_price("a", Cents(9_200_000_000_000_000_000)).is_err());
        assert_eq!(check_sum("a", Cents(100_000_000)), Ok(()));
        assert!(check_sum("a", Cents(100_000_001)).is_err());
        assert_eq!(
            check_price("a", Cents(-1)).unwrap_err().reason.id,
            "amount-negative"
        );
    }

    #[test]
    fn refusals_collect_every_problem() {
        let mut all = Refusals::new();
        assert!(all.check(Ok(())));
        assert!(!all.check(check_text("a", "\0", TextClass::Name)));
        assert_eq!(all.take(Ok::<_, Refusal>(3)), Some(3));
        assert_eq!(all.take::<()>(Err(Refusal::because("b", "choose"))), None);
        assert!(all.has("a") && all.has("b") && !all.has("c"));
        let err = all.into_result().unwrap_err();
        assert_eq!(err.len(), 2);
        assert_eq!(Refusals::new().into_result(), Ok(()));
    }
}
