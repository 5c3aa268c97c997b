//! Declarations: what a provider may declare for one indication in one
//! declaration period, per funding variant (the lines of an iWmo WMO323).
//!
//! Low contact frequency never lowers a declaration that is not paid by the
//! hour: waakvlam is paid for being there. Each unit is declared exactly
//! once, in the period in which it begins, so the periods of a year add up
//! to the year whether they are calendar months or four-week periods:
//!
//! - **Per indication**: the agreed amount, once, in the period that holds
//!   the indication's first day. Not pro-rated, not withheld.
//! - **Per indication-year**: the amount in each period that holds the first
//!   day or an anniversary.
//! - **Per week**: one unit for each week counted from the indication's first
//!   day (day 1, 8, 15, …) that begins in the period, whether or not there
//!   was contact that week.
//! - **Per month**: one unit for each calendar month the indication runs in,
//!   declared in the period that holds the first day it runs in that month.
//! - **Per hour**: the minutes logged in the period, at the hourly tariff
//!   (rounded half-up to the cent), never more than what is left of the
//!   budget ceiling after what was declared before; the cap is shown.

use chrono::{Datelike, Duration, NaiveDate};
use thiserror::Error;

use crate::calendar::{add_months, overlap};
use crate::money::Cents;
use crate::tariff::{FundingVariant, UnitPeriod};

/// A declaration period: a calendar month or four weeks (per contract).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DeclarationPeriod {
    start: NaiveDate,
    end: NaiveDate,
}

/// Why a declaration period was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PeriodError {
    #[error(
        "{0:?} is not a declaration period: give a month as 2026-11, or four weeks as 2026-11-02/2026-11-29"
    )]
    Unreadable(String),
    #[error("a four-week period runs 28 days, first and last day included; {0} to {1} does not")]
    NotFourWeeks(NaiveDate, NaiveDate),
}

impl DeclarationPeriod {
    /// A calendar month.
    pub fn month(year: i32, month: u32) -> Option<Self> {
        let start = NaiveDate::from_ymd_opt(year, month, 1)?;
        let end = add_months(start, 1)?.pred_opt()?;
        Some(Self { start, end })
    }

    /// Four weeks from `start`.
    pub fn four_weeks(start: NaiveDate) -> Option<Self> {
        Some(Self {
            start,
            end: start.checked_add_signed(Duration::days(27))?,
        })
    }

    /// `2026-11` (a month) or `2026-11-02/2026-11-29` (four weeks).
    pub fn parse(s: &str) -> Result<Self, PeriodError> {
        let s = s.trim();
        let unreadable = || PeriodError::Unreadable(s.to_owned());
        if let Some((from, to)) = s.split_once('/') {
            let from =
                NaiveDate::parse_from_str(from.trim(), "%Y-%m-%d").map_err(|_| unreadable())?;
            let to = NaiveDate::parse_from_str(to.trim(), "%Y-%m-%d").map_err(|_| unreadable())?;
            let period = Self::four_weeks(from).ok_or_else(unreadable)?;
            return if period.end == to {
                Ok(period)
            } else {
                Err(PeriodError::NotFourWeeks(from, to))
            };
        }
        let (year, month) = s.split_once('-').ok_or_else(unreadable)?;
        let (Ok(year), Ok(month)) = (year.parse::<i32>(), month.parse::<u32>()) else {
            return Err(unreadable());
        };
        Self::month(year, month).ok_or_else(unreadable)
    }

    pub const fn start(&self) -> NaiveDate {
        self.start
    }

    /// The last day, inclusive.
    pub const fn end(&self) -> NaiveDate {
        self.end
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.start <= day && day <= self.end
    }
}

/// The unit a line is declared in (iWmo `Eenheid`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeclaredUnit {
    /// Minutes delivered (01).
    Minute,
    /// Pieces of output: the result, per indication or indication-year (82).
    PieceOutput,
    /// Pieces of effort: weeks or months of waakvlam (84).
    PieceEffort,
}

impl DeclaredUnit {
    /// The `LDT_Eenheid` code.
    pub const fn code(self) -> &'static str {
        match self {
            Self::Minute => "01",
            Self::PieceOutput => "82",
            Self::PieceEffort => "84",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "01" => Some(Self::Minute),
            "82" => Some(Self::PieceOutput),
            "84" => Some(Self::PieceEffort),
            _ => None,
        }
    }
}

/// What one indication is due in one period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DueLine {
    /// The product period: the days of the indication within the period.
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub volume: u32,
    pub unit: DeclaredUnit,
    /// The tariff per unit; none for minutes (an hourly tariff per minute is
    /// not a whole number of cents).
    pub tariff: Option<Cents>,
    pub amount: Cents,
    /// For hours: what the minutes would have cost without the budget
    /// ceiling, when the ceiling cut it.
    pub uncapped: Option<Cents>,
}

/// The facts the line of one indication in one period depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DueInput {
    pub variant: FundingVariant,
    /// The tariff: per indication, per indication-year, per unit or per hour.
    pub tariff: Cents,
    pub indication_start: NaiveDate,
    /// Inclusive; `None` while open-ended.
    pub indication_end: Option<NaiveDate>,
    pub period: DeclarationPeriod,
    /// Minutes logged within the period's days of the indication (per hour).
    pub minutes: u32,
    /// Declared before against the budget ceiling and not rejected (per hour).
    pub declared_before: Cents,
}

/// What is due for an indication in a period; `None` when nothing is (the
/// indication does not run then, or no unit begins in it, or no minute was
/// delivered by the hour).
pub fn due(input: &DueInput) -> Option<DueLine> {
    let end = input.indication_end.unwrap_or(input.period.end);
    let (from, to) = overlap(
        input.indication_start,
        end,
        input.period.start,
        input.period.end,
    )?;
    let tariff = Cents(input.tariff.0.max(0));
    let pieces = |volume: u32, unit: DeclaredUnit| {
        (volume > 0).then(|| DueLine {
            from,
            to,
            volume,
            unit,
            tariff: Some(tariff),
            amount: Cents(tariff.0.saturating_mul(i64::from(volume))),
            uncapped: None,
        })
    };
    let begins_within = |day: NaiveDate| from <= day && day <= to;
    match input.variant {
        FundingVariant::PerIndication => pieces(
            u32::from(begins_within(input.indication_start)),
            DeclaredUnit::PieceOutput,
        ),
        FundingVariant::PerIndicationYear => {
            let count = (0u32..)
                .map_while(|year| {
                    year.checked_mul(12)
                        .and_then(|m| add_months(input.indication_start, m))
                })
                .take_while(|day| *day <= to)
                .filter(|day| begins_within(*day))
                .count();
            pieces(
                u32::try_from(count).unwrap_or(u32::MAX),
                DeclaredUnit::PieceOutput,
            )
        }
        FundingVariant::PerUnit(UnitPeriod::Week) => {
            // Weeks begin on day 1, 8, 15, … of the indication.
            let offset = (from - input.indication_start).num_days();
            let first = (offset + 6) / 7;
            let last = (to - input.indication_start).num_days() / 7;
            let count = (last - first + 1).max(0);
            pieces(
                u32::try_from(count).unwrap_or(u32::MAX),
                DeclaredUnit::PieceEffort,
            )
        }
        FundingVariant::PerUnit(UnitPeriod::Month) => {
            // A calendar month is declared where its first running day lies.
            let mut count = 0u32;
            let mut month_start = from.with_day(1)?;
            while month_start <= to {
                let first_running = month_start.max(input.indication_start);
                if begins_within(first_running) {
                    count += 1;
                }
                month_start = add_months(month_start, 1)?;
            }
            pieces(count, DeclaredUnit::PieceEffort)
        }
        FundingVariant::PerHour { budget_ceiling } => {
            if input.minutes == 0 {
                return None;
            }
            let cost = (2 * i128::from(tariff.0) * i128::from(input.minutes) + 60) / 120;
            let cost = i64::try_from(cost).unwrap_or(i64::MAX);
            let left = (budget_ceiling.0 - input.declared_before.0).max(0);
            let amount = cost.min(left);
            Some(DueLine {
                from,
                to,
                volume: input.minutes,
                unit: DeclaredUnit::Minute,
                tariff: None,
                amount: Cents(amount),
                uncapped: (amount < cost).then_some(Cents(cost)),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn input(
        variant: FundingVariant,
        tariff: i64,
        start: NaiveDate,
        period: DeclarationPeriod,
    ) -> DueInput {
        DueInput {
            variant,
            tariff: Cents(tariff),
            indication_start: start,
            indication_end: None,
            period,
            minutes: 0,
            declared_before: Cents::ZERO,
        }
    }

    fn months(year: i32) -> impl Iterator<Item = DeclarationPeriod> {
        (1..=12).map(move |m| DeclarationPeriod::month(year, m).unwrap())
    }

    #[test]
    fn periods_read_as_a_month_or_four_weeks() {
        let nov = DeclarationPeriod::parse("2026-11").unwrap();
        assert_eq!((nov.start(), nov.end()), (d(2026, 11, 1), d(2026, 11, 30)));
        let feb = DeclarationPeriod::parse("2028-02").unwrap();
        assert_eq!(feb.end(), d(2028, 2, 29));
        let four = DeclarationPeriod::parse("2026-11-02/2026-11-29").unwrap();
        assert_eq!(
            (four.start(), four.end()),
            (d(2026, 11, 2), d(2026, 11, 29))
        );
        assert_eq!(
            DeclarationPeriod::parse("2026-11-02/2026-11-30"),
            Err(PeriodError::NotFourWeeks(d(2026, 11, 2), d(2026, 11, 30)))
        );
        assert!(matches!(
            DeclarationPeriod::parse("november"),
            Err(PeriodError::Unreadable(_))
        ));
        assert!(matches!(
            DeclarationPeriod::parse("2026-13"),
            Err(PeriodError::Unreadable(_))
        ));
    }

    #[test]
    fn per_indication_is_the_whole_amount_once_in_the_period_of_the_first_day() {
        // €705.69, tariff 2021: not pro-rated (it starts on the 20th), not again in later months.
        let due_in = |p| {
            due(&input(
                FundingVariant::PerIndication,
                70_569,
                d(2026, 3, 20),
                p,
            ))
        };
        let march = due_in(DeclarationPeriod::month(2026, 3).unwrap()).unwrap();
        assert_eq!(march.amount, Cents(70_569));
        assert_eq!((march.volume, march.unit), (1, DeclaredUnit::PieceOutput));
        assert_eq!((march.from, march.to), (d(2026, 3, 20), d(2026, 3, 31)));
        assert_eq!(due_in(DeclarationPeriod::month(2026, 4).unwrap()), None);
        assert_eq!(due_in(DeclarationPeriod::month(2026, 2).unwrap()), None);
    }

    #[test]
    fn per_indication_year_is_due_on_each_anniversary() {
        let total: i64 = (2026..=2028)
            .flat_map(months)
            .filter_map(|p| {
                due(&input(
                    FundingVariant::PerIndicationYear,
                    70_569,
                    d(2026, 3, 20),
                    p,
                ))
            })
            .map(|l| l.amount.0)
            .sum();
        assert_eq!(total, 3 * 70_569, "2026, 2027 and 2028");
    }

    #[test]
    fn a_waakvlam_week_counts_whether_or_not_there_was_contact() {
        // A year of waakvlam from 2 March: 52 weeks begin in it (and a 53rd on 1 March 2027).
        let mut i = input(
            FundingVariant::PerUnit(UnitPeriod::Week),
            5_000,
            d(2026, 3, 2),
            DeclarationPeriod::month(2026, 3).unwrap(),
        );
        i.indication_end = Some(d(2027, 2, 28));
        let mut weeks = 0;
        for p in months(2026).chain(months(2027)) {
            i.period = p;
            if let Some(line) = due(&i) {
                assert_eq!(line.amount.0, 5_000 * i64::from(line.volume));
                assert_eq!(line.unit, DeclaredUnit::PieceEffort);
                weeks += line.volume;
            }
        }
        assert_eq!(weeks, 52, "each week once, none lost at month ends");
        // No contact is asked: March has its five weeks (2, 9, 16, 23, 30 March).
        i.period = DeclarationPeriod::month(2026, 3).unwrap();
        assert_eq!(due(&i).unwrap().volume, 5);
        // Four-week periods give the same total.
        let mut by_four = 0;
        let mut start = d(2026, 3, 2);
        while start <= d(2027, 2, 28) {
            i.period = DeclarationPeriod::four_weeks(start).unwrap();
            by_four += due(&i).map_or(0, |l| l.volume);
            start = i.period.end().succ_opt().unwrap();
        }
        assert_eq!(by_four, 52);
    }

    #[test]
    fn per_month_counts_each_calendar_month_it_runs_in_once() {
        let mut i = input(
            FundingVariant::PerUnit(UnitPeriod::Month),
            20_000,
            d(2026, 3, 20),
            DeclarationPeriod::month(2026, 3).unwrap(),
        );
        i.indication_end = Some(d(2026, 6, 2));
        let total: u32 = months(2026)
            .filter_map(|p| {
                i.period = p;
                due(&i)
            })
            .map(|l| l.volume)
            .sum();
        assert_eq!(total, 4, "March to June");
        // With four-week periods, the same four months.
        let mut by_four = 0;
        let mut start = d(2026, 3, 2);
        while start <= d(2026, 6, 30) {
            i.period = DeclarationPeriod::four_weeks(start).unwrap();
            by_four += due(&i).map_or(0, |l| l.volume);
            start = i.period.end().succ_opt().unwrap();
        }
        assert_eq!(by_four, 4);
    }

    #[test]
    fn per_hour_is_the_minutes_logged_capped_by_what_is_left_of_the_budget() {
        let ceiling = FundingVariant::PerHour {
            budget_ceiling: Cents(100_000),
        };
        let mut i = input(
            ceiling,
            7_236,
            d(2026, 3, 2),
            DeclarationPeriod::month(2026, 3).unwrap(),
        );
        // Nothing logged: nothing to declare by the hour.
        assert_eq!(due(&i), None);
        i.minutes = 95;
        let line = due(&i).unwrap();
        assert_eq!(
            (line.volume, line.unit, line.tariff),
            (95, DeclaredUnit::Minute, None)
        );
        assert_eq!(line.amount, Cents(11_457), "95 × 72.36 / 60 = 114.57");
        assert_eq!(line.uncapped, None);
        // Only €50 left of the ceiling: capped, and the cap shows.
        i.declared_before = Cents(95_000);
        let capped = due(&i).unwrap();
        assert_eq!(capped.amount, Cents(5_000));
        assert_eq!(capped.uncapped, Some(Cents(11_457)));
        i.declared_before = Cents(120_000);
        assert_eq!(due(&i).unwrap().amount, Cents::ZERO);
    }

    #[test]
    fn nothing_is_due_outside_the_indication() {
        let mut i = input(
            FundingVariant::PerUnit(UnitPeriod::Week),
            5_000,
            d(2026, 3, 2),
            DeclarationPeriod::month(2026, 2).unwrap(),
        );
        assert_eq!(due(&i), None);
        i.period = DeclarationPeriod::month(2026, 5).unwrap();
        i.indication_end = Some(d(2026, 4, 30));
        assert_eq!(due(&i), None);
    }
}
