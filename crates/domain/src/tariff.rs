//! Tariffs, own contributions and what an indication costs over a period.
//!
//! All arithmetic is integer; fractions of a cent are rounded half-up once
//! per step described below, so the results are reproducible in a spreadsheet.

use chrono::{Datelike, NaiveDate};
use thiserror::Error;

use crate::calendar::{add_months, days_inclusive, first_of_next_month, months_touched, overlap};
use crate::ids::ProductCode;
use crate::money::Cents;
use crate::vocab::{UnknownValue, vocabulary};

vocabulary! {
    /// The unit a per-unit tariff is paid for.
    pub enum UnitPeriod {
        Week => "week",
        Month => "month",
    }
}

/// How a product is funded (iWmo: inspanningsgericht per indication,
/// outputgericht per unit, or per hour within a budget).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FundingVariant {
    /// A fixed amount once per indication, for its agreed result: due on
    /// the indication's first day, whatever its length or how often there
    /// was contact, and not due again when the indication is extended.
    PerIndication,
    /// A fixed amount per started indication-year: due on the first day and
    /// again on each anniversary the indication reaches, for contracts that
    /// pay again for an extension year.
    PerIndicationYear,
    /// A fixed amount per started week or calendar month.
    PerUnit(UnitPeriod),
    /// An amount per hour delivered, never more than the budget ceiling.
    PerHour { budget_ceiling: Cents },
}

/// Why a funding variant could not be built from stored or imported parts.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FundingVariantError {
    #[error("funding kind {0}")]
    UnknownKind(UnknownValue),
    #[error("per_unit needs a unit period: week or month")]
    MissingUnitPeriod,
    #[error("unit period {0}")]
    UnknownUnitPeriod(UnknownValue),
    #[error("per_hour needs a budget ceiling")]
    MissingBudgetCeiling,
    #[error("budget ceiling cannot be negative")]
    NegativeBudgetCeiling,
}

impl FundingVariant {
    /// The machine names accepted by [`FundingVariant::from_parts`].
    pub const KINDS: [&'static str; 4] = [
        "per_indication",
        "per_indication_year",
        "per_unit",
        "per_hour",
    ];

    /// The machine name of the kind: `per_indication`, `per_unit` or `per_hour`.
    pub const fn kind_str(&self) -> &'static str {
        match self {
            Self::PerIndication => "per_indication",
            Self::PerIndicationYear => "per_indication_year",
            Self::PerUnit(_) => "per_unit",
            Self::PerHour { .. } => "per_hour",
        }
    }

    /// The unit period, for per-unit funding.
    pub const fn unit_period(&self) -> Option<UnitPeriod> {
        match self {
            Self::PerUnit(period) => Some(*period),
            _ => None,
        }
    }

    /// The budget ceiling, for per-hour funding.
    pub const fn budget_ceiling(&self) -> Option<Cents> {
        match self {
            Self::PerHour { budget_ceiling } => Some(*budget_ceiling),
            _ => None,
        }
    }

    /// Rebuilds a variant from its stored columns or CSV fields: the kind,
    /// the unit period (`week`/`month`) and the ceiling in cents. Empty
    /// strings count as absent; parts that do not apply to the kind are
    /// ignored, so a form may always send every field.
    pub fn from_parts(
        kind: &str,
        unit_period: Option<&str>,
        budget_ceiling: Option<i64>,
    ) -> Result<Self, FundingVariantError> {
        let unit_period = unit_period.map(str::trim).filter(|s| !s.is_empty());
        match kind.trim().to_ascii_lowercase().as_str() {
            "per_indication" => Ok(Self::PerIndication),
            "per_indication_year" => Ok(Self::PerIndicationYear),
            "per_unit" => {
                let period = unit_period.ok_or(FundingVariantError::MissingUnitPeriod)?;
                UnitPeriod::parse(period)
                    .map(Self::PerUnit)
                    .map_err(FundingVariantError::UnknownUnitPeriod)
            }
            "per_hour" => match budget_ceiling {
                None => Err(FundingVariantError::MissingBudgetCeiling),
                Some(ceiling) if ceiling < 0 => Err(FundingVariantError::NegativeBudgetCeiling),
                Some(ceiling) => Ok(Self::PerHour {
                    budget_ceiling: Cents(ceiling),
                }),
            },
            other => Err(FundingVariantError::UnknownKind(UnknownValue::new(
                other,
                &Self::KINDS,
            ))),
        }
    }
}

/// What a product costs in a given year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tariff {
    pub product: ProductCode,
    pub year: i32,
    pub variant: FundingVariant,
    /// Per full year of indication, per week or month, or per hour, depending on `variant`.
    pub amount: Cents,
}

/// The resident's monthly own contribution (eigen bijdrage) for a product,
/// valid from a date until the next entry for the same product. A zero
/// amount means the contribution was abolished; old entries stay for history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnContribution {
    pub product: ProductCode,
    pub valid_from: NaiveDate,
    pub monthly: Cents,
}

/// The monthly own contribution for `product` on `date`: the entry with the
/// latest `valid_from` on or before `date`, or zero when none applies.
pub fn own_contribution_on(
    contributions: &[OwnContribution],
    product: &ProductCode,
    date: NaiveDate,
) -> Cents {
    contributions
        .iter()
        .filter(|c| &c.product == product && c.valid_from <= date)
        .max_by_key(|c| c.valid_from)
        .map_or(Cents::ZERO, |c| c.monthly)
}

/// `amount * numerator / denominator`, rounded half-up, for non-negative inputs.
fn prorate(amount: i128, numerator: i128, denominator: i128) -> i128 {
    if denominator <= 0 {
        return 0;
    }
    (2 * amount * numerator + denominator) / (2 * denominator)
}

fn saturate(value: i128) -> Cents {
    Cents(i64::try_from(value.max(0)).unwrap_or(i64::MAX))
}

/// What an indication costs within a reporting period; both ranges inclusive.
///
/// The tariff is applied as given: when a period spans years with different
/// tariffs, the caller splits the period per tariff year. Negative amounts are
/// meaningless for a tariff and count as zero, so a cost is never negative.
///
/// - **Per indication**: `amount` once, due on the indication's first day:
///   a period that holds that day costs `amount`, any other period nothing.
///   It is never pro-rated by days and never withheld for low contact
///   frequency, because it pays for the agreed result.
/// - **Per indication-year**: `amount` on the first day and again on every
///   anniversary (`start + 12k months`) up to the indication's end; a period
///   costs `amount` for each of those days it holds.
/// - **Per unit, week**: every started week of overlap counts:
///   `ceil(overlapping days / 7) × amount`.
/// - **Per unit, month**: every calendar month the overlap touches counts
///   in full: `months × amount`.
/// - **Per hour**: `minutes_delivered × amount / 60`, rounded half-up, capped
///   at the budget ceiling. The caller passes the minutes delivered within
///   the period; `None` counts as nothing delivered.
///
/// Without overlap between indication and period the cost is zero.
pub fn cost_over_period(
    tariff: &Tariff,
    indication_start: NaiveDate,
    indication_end_inclusive: NaiveDate,
    period_start: NaiveDate,
    period_end_inclusive: NaiveDate,
    minutes_delivered: Option<u32>,
) -> Cents {
    let Some((from, to)) = overlap(
        indication_start,
        indication_end_inclusive,
        period_start,
        period_end_inclusive,
    ) else {
        return Cents::ZERO;
    };
    let amount = i128::from(tariff.amount.0.max(0));
    let cost = match tariff.variant {
        FundingVariant::PerIndication => {
            if (from..=to).contains(&indication_start) {
                amount
            } else {
                0
            }
        }
        FundingVariant::PerIndicationYear => {
            amount * i128::from(anniversaries_within(indication_start, from, to))
        }
        FundingVariant::PerUnit(UnitPeriod::Week) => {
            let weeks = (i128::from(days_inclusive(from, to)) + 6) / 7;
            weeks * amount
        }
        FundingVariant::PerUnit(UnitPeriod::Month) => i128::from(months_touched(from, to)) * amount,
        FundingVariant::PerHour { budget_ceiling } => {
            let minutes = i128::from(minutes_delivered.unwrap_or(0));
            prorate(amount, minutes, 60).min(i128::from(budget_ceiling.0.max(0)))
        }
    };
    saturate(cost)
}

/// How many of the days `start + 12k months` (k = 0, 1, …) fall within
/// `from..=to`: the days a per-indication-year amount is due.
fn anniversaries_within(start: NaiveDate, from: NaiveDate, to: NaiveDate) -> u32 {
    // Years before the one `from` falls in cannot reach into the range.
    let mut year = u32::try_from(from.year() - start.year() - 1).unwrap_or(0);
    let mut count = 0;
    while let Some(due) = year.checked_mul(12).and_then(|m| add_months(start, m)) {
        if due > to {
            break;
        }
        if due >= from {
            count += 1;
        }
        year += 1;
    }
    count
}

/// Own contributions for an indication within a period; both ranges inclusive.
///
/// Every calendar month the overlap touches counts in full, at the rate valid
/// on the first day of that month that lies within the overlap.
pub fn own_contributions_over_period(
    contributions: &[OwnContribution],
    product: &ProductCode,
    indication_start: NaiveDate,
    indication_end_inclusive: NaiveDate,
    period_start: NaiveDate,
    period_end_inclusive: NaiveDate,
) -> Cents {
    let Some((from, to)) = overlap(
        indication_start,
        indication_end_inclusive,
        period_start,
        period_end_inclusive,
    ) else {
        return Cents::ZERO;
    };
    let mut total: i128 = 0;
    let mut day = from;
    while day <= to {
        total += i128::from(own_contribution_on(contributions, product, day).0.max(0));
        match first_of_next_month(day) {
            Some(next) => day = next,
            None => break,
        }
    }
    saturate(total)
}

/// One calendar year of an indication's cost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearCost {
    pub year: i32,
    /// The tariff applied; `None` when no tariff is set for the year.
    pub tariff: Option<Tariff>,
    pub cost: Cents,
    pub own_contributions: Cents,
}

/// What a whole indication costs, per calendar year with each year's tariff,
/// and the resident's own contributions kept apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndicationCost {
    pub years: Vec<YearCost>,
    pub total: Cents,
    pub own_contributions: Cents,
}

impl IndicationCost {
    /// Years without a tariff: their cost is unknown, not zero.
    pub fn missing_tariff_years(&self) -> Vec<i32> {
        self.years
            .iter()
            .filter(|y| y.tariff.is_none())
            .map(|y| y.year)
            .collect()
    }
}

/// The cost of an indication from `start` to `end_inclusive`, split by
/// calendar year because tariffs are set per year. `tariffs` are the ones that
/// apply to the indication's municipality (the caller picks a municipality's
/// own tariff over the region's); `minutes_by_year` gives the minutes
/// delivered per year for hourly funding.
///
/// Splitting must not change the answer for an indication inside one year, so
/// weekly units are counted by the week's first day (weeks run from the
/// start of the indication): a week that straddles New Year is paid once.
pub fn indication_cost(
    tariffs: &[Tariff],
    contributions: &[OwnContribution],
    product: &ProductCode,
    start: NaiveDate,
    end_inclusive: NaiveDate,
    minutes_by_year: &[(i32, u32)],
) -> IndicationCost {
    let mut years = Vec::new();
    for year in start.year()..=end_inclusive.year() {
        let (Some(jan1), Some(dec31)) = (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year, 12, 31),
        ) else {
            continue;
        };
        let Some((from, to)) = overlap(start, end_inclusive, jan1, dec31) else {
            continue;
        };
        let tariff = tariffs
            .iter()
            .find(|t| t.year == year && &t.product == product)
            .cloned();
        let cost = match &tariff {
            None => Cents::ZERO,
            Some(t) => match t.variant {
                FundingVariant::PerUnit(UnitPeriod::Week) => saturate(
                    i128::from(weeks_starting(start, from, to)) * i128::from(t.amount.0.max(0)),
                ),
                _ => {
                    let minutes = minutes_by_year
                        .iter()
                        .find(|(y, _)| *y == year)
                        .map(|(_, m)| *m);
                    cost_over_period(t, start, end_inclusive, from, to, minutes)
                }
            },
        };
        let own =
            own_contributions_over_period(contributions, product, start, end_inclusive, from, to);
        years.push(YearCost {
            year,
            tariff,
            cost,
            own_contributions: own,
        });
    }
    let total = Cents(years.iter().map(|y| y.cost.0).sum());
    let own_contributions = Cents(years.iter().map(|y| y.own_contributions.0).sum());
    IndicationCost {
        years,
        total,
        own_contributions,
    }
}

/// How many weeks counted from `start` begin within `from..=to`.
fn weeks_starting(start: NaiveDate, from: NaiveDate, to: NaiveDate) -> i64 {
    let first = (from - start).num_days().max(0);
    let last = (to - start).num_days();
    if last < first {
        return 0;
    }
    // Multiples of 7 in first..=last.
    let up_to = |n: i64| n.div_euclid(7);
    up_to(last) - up_to(first + 6) + 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn code(s: &str) -> ProductCode {
        ProductCode::parse(s).unwrap()
    }

    fn tariff(variant: FundingVariant, amount: i64) -> Tariff {
        Tariff {
            product: code("WVL"),
            year: 2024,
            variant,
            amount: Cents(amount),
        }
    }

    #[test]
    fn indication_cost_a_whole_year_of_waakvlam_costs_the_tariff() {
        let t = tariff(FundingVariant::PerIndication, 70_569);
        let t = Tariff { year: 2024, ..t };
        let c = indication_cost(&[t], &[], &code("WVL"), d(2024, 1, 1), d(2024, 12, 31), &[]);
        assert_eq!(c.total, Cents(70_569));
        assert!(c.missing_tariff_years().is_empty());
    }

    #[test]
    fn indication_cost_per_indication_is_due_once_at_the_start_years_tariff() {
        let t24 = Tariff {
            year: 2024,
            ..tariff(FundingVariant::PerIndication, 70_569)
        };
        let t25 = Tariff {
            year: 2025,
            ..tariff(FundingVariant::PerIndication, 73_000)
        };
        let c = indication_cost(
            &[t24, t25],
            &[],
            &code("WVL"),
            d(2024, 7, 1),
            d(2025, 6, 30),
            &[],
        );
        // Once, at 2024's rate: the year it starts in.
        assert_eq!(c.total, Cents(70_569));
        assert_eq!(c.years.len(), 2);
        assert_eq!(c.years[1].cost, Cents::ZERO);
    }

    #[test]
    fn indication_cost_per_indication_year_is_due_again_in_an_extension_year() {
        let year = |year, amount| Tariff {
            year,
            ..tariff(FundingVariant::PerIndicationYear, amount)
        };
        let c = indication_cost(
            &[year(2024, 70_569), year(2025, 73_000)],
            &[],
            &code("WVL"),
            d(2024, 7, 1),
            d(2026, 3, 31),
            &[],
        );
        // Due on 2024-07-01 and on 2025-07-01, each at its year's rate.
        assert_eq!(c.total, Cents(70_569 + 73_000));
        // Without the extension year it is due once.
        let c = indication_cost(
            &[year(2024, 70_569), year(2025, 73_000)],
            &[],
            &code("WVL"),
            d(2024, 7, 1),
            d(2025, 6, 30),
            &[],
        );
        assert_eq!(c.total, Cents(70_569));
    }

    #[test]
    fn indication_cost_names_years_without_a_tariff() {
        let t24 = Tariff {
            year: 2024,
            ..tariff(FundingVariant::PerIndication, 70_569)
        };
        let c = indication_cost(
            &[t24],
            &[],
            &code("WVL"),
            d(2024, 7, 1),
            d(2025, 6, 30),
            &[],
        );
        assert_eq!(c.missing_tariff_years(), vec![2025]);
    }

    #[test]
    fn indication_cost_ten_weeks_across_new_year_pays_ten_weeks() {
        let unit = |year| Tariff {
            year,
            ..tariff(FundingVariant::PerUnit(UnitPeriod::Week), 5_000)
        };
        let c = indication_cost(
            &[unit(2026), unit(2027)],
            &[],
            &code("WVL"),
            d(2026, 12, 15),
            d(2027, 2, 22),
            &[],
        );
        assert_eq!(c.total, Cents(50_000));
    }

    #[test]
    fn indication_cost_keeps_own_contributions_apart() {
        let t = Tariff {
            year: 2024,
            ..tariff(FundingVariant::PerIndication, 70_569)
        };
        let own = [
            OwnContribution {
                product: code("WVL"),
                valid_from: d(2020, 1, 1),
                monthly: Cents(1_900),
            },
            OwnContribution {
                product: code("WVL"),
                valid_from: d(2024, 7, 1),
                monthly: Cents(0),
            },
        ];
        let c = indication_cost(
            &[t],
            &own,
            &code("WVL"),
            d(2024, 1, 1),
            d(2024, 12, 31),
            &[],
        );
        assert_eq!(c.total, Cents(70_569));
        assert_eq!(c.own_contributions, Cents(6 * 1_900));
    }

    proptest! {
        #[test]
        fn weekly_cost_split_by_year_equals_unsplit(start_offset in 0i64..800, days in 1i64..500) {
            let start = d(2025, 1, 1) + chrono::Duration::days(start_offset);
            let end = start + chrono::Duration::days(days - 1);
            let tariffs: Vec<Tariff> = (2025..=2028)
                .map(|year| Tariff { year, ..tariff(FundingVariant::PerUnit(UnitPeriod::Week), 5_000) })
                .collect();
            let c = indication_cost(&tariffs, &[], &code("WVL"), start, end, &[]);
            prop_assert_eq!(c.total, Cents(((days + 6) / 7) * 5_000));
        }
    }

    #[test]
    fn funding_variant_from_parts() {
        assert_eq!(
            FundingVariant::from_parts("per_indication", None, None),
            Ok(FundingVariant::PerIndication)
        );
        assert_eq!(
            FundingVariant::from_parts("per_indication_year", None, None),
            Ok(FundingVariant::PerIndicationYear)
        );
        assert_eq!(
            FundingVariant::from_parts("per_unit", Some("week"), None),
            Ok(FundingVariant::PerUnit(UnitPeriod::Week))
        );
        assert_eq!(
            FundingVariant::from_parts(" PER_UNIT ", Some("Month"), Some(5)),
            Ok(FundingVariant::PerUnit(UnitPeriod::Month))
        );
        assert_eq!(
            FundingVariant::from_parts("per_hour", Some(""), Some(150000)),
            Ok(FundingVariant::PerHour {
                budget_ceiling: Cents(150000)
            })
        );
        assert_eq!(
            FundingVariant::from_parts("per_unit", Some(" "), None),
            Err(FundingVariantError::MissingUnitPeriod)
        );
        assert!(matches!(
            FundingVariant::from_parts("per_unit", Some("day"), None),
            Err(FundingVariantError::UnknownUnitPeriod(_))
        ));
        assert_eq!(
            FundingVariant::from_parts("per_hour", None, None),
            Err(FundingVariantError::MissingBudgetCeiling)
        );
        assert_eq!(
            FundingVariant::from_parts("per_hour", None, Some(-1)),
            Err(FundingVariantError::NegativeBudgetCeiling)
        );
        let err = FundingVariant::from_parts("lump_sum", None, None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "funding kind \"lump_sum\" is not one of: per_indication, per_indication_year, per_unit, per_hour"
        );
    }

    #[test]
    fn funding_variant_parts_round_trip() {
        for variant in [
            FundingVariant::PerIndication,
            FundingVariant::PerIndicationYear,
            FundingVariant::PerUnit(UnitPeriod::Week),
            FundingVariant::PerUnit(UnitPeriod::Month),
            FundingVariant::PerHour {
                budget_ceiling: Cents(1),
            },
        ] {
            let rebuilt = FundingVariant::from_parts(
                variant.kind_str(),
                variant.unit_period().map(UnitPeriod::as_str),
                variant.budget_ceiling().map(Cents::as_i64),
            );
            assert_eq!(rebuilt, Ok(variant));
        }
    }

    #[test]
    fn per_indication_whole_year_costs_the_amount() {
        let t = tariff(FundingVariant::PerIndication, 70569);
        let cost = cost_over_period(
            &t,
            d(2024, 3, 1),
            d(2025, 2, 28),
            d(2024, 1, 1),
            d(2025, 12, 31),
            None,
        );
        assert_eq!(cost, Cents(70569));
        // Leap day inside the indication-year: still exactly one year.
        let cost = cost_over_period(
            &t,
            d(2023, 7, 1),
            d(2024, 6, 30),
            d(2023, 1, 1),
            d(2024, 12, 31),
            None,
        );
        assert_eq!(cost, Cents(70569));
    }

    #[test]
    fn maximal_waakvlam_costs_the_amount() {
        let t = tariff(FundingVariant::PerIndication, 70569);
        for start in [d(2024, 2, 29), d(2024, 1, 31), d(2023, 3, 1)] {
            let end = crate::indication::max_end(start, 12);
            let cost = cost_over_period(&t, start, end, d(2020, 1, 1), d(2030, 1, 1), None);
            assert_eq!(cost, Cents(70569), "{start}");
        }
    }

    #[test]
    fn per_indication_is_due_once_and_never_prorated() {
        let t = tariff(FundingVariant::PerIndication, 70_569);
        let cost = |start, end, from, to| cost_over_period(&t, start, end, from, to, None);
        // The period that holds the first day carries the whole amount …
        assert_eq!(
            cost(
                d(2025, 1, 1),
                d(2025, 12, 31),
                d(2025, 1, 1),
                d(2025, 1, 31)
            ),
            Cents(70_569)
        );
        // … the months after it carry nothing,
        assert_eq!(
            cost(
                d(2025, 1, 1),
                d(2025, 12, 31),
                d(2025, 6, 1),
                d(2025, 6, 30)
            ),
            Cents::ZERO
        );
        // two years cost it once (an extension is not charged again),
        assert_eq!(
            cost(d(2025, 1, 1), d(2026, 12, 31), d(2020, 1, 1), d(2030, 1, 1)),
            Cents(70_569)
        );
        // and a waakvlam ended after two months still costs it in full.
        assert_eq!(
            cost(
                d(2025, 3, 1),
                d(2025, 4, 30),
                d(2025, 1, 1),
                d(2025, 12, 31)
            ),
            Cents(70_569)
        );
    }

    #[test]
    fn per_indication_year_is_due_on_each_anniversary() {
        let t = tariff(FundingVariant::PerIndicationYear, 36_500);
        let cost = |start, end, from, to| cost_over_period(&t, start, end, from, to, None);
        assert_eq!(
            cost(d(2025, 1, 1), d(2026, 12, 31), d(2020, 1, 1), d(2030, 1, 1)),
            Cents(73_000)
        );
        assert_eq!(
            cost(
                d(2025, 1, 1),
                d(2026, 12, 31),
                d(2026, 1, 1),
                d(2026, 12, 31)
            ),
            Cents(36_500)
        );
        // An anniversary after the end is not due.
        assert_eq!(
            cost(d(2025, 1, 1), d(2025, 12, 31), d(2020, 1, 1), d(2030, 1, 1)),
            Cents(36_500)
        );
        // Started on 29 February: the anniversary is 28 February.
        assert_eq!(
            cost(
                d(2024, 2, 29),
                d(2025, 6, 30),
                d(2025, 2, 28),
                d(2025, 2, 28)
            ),
            Cents(36_500)
        );
    }

    #[test]
    fn prorate_rounds_half_up() {
        assert_eq!(prorate(100, 1, 8), 13);
        assert_eq!(prorate(100, 1, 3), 33);
        assert_eq!(prorate(200, 1, 3), 67);
        assert_eq!(prorate(5, 1, 0), 0);
    }

    #[test]
    fn per_week_counts_started_weeks() {
        let t = tariff(FundingVariant::PerUnit(UnitPeriod::Week), 5000);
        // Ten weeks: 70 days.
        let cost = cost_over_period(
            &t,
            d(2024, 1, 1),
            d(2024, 3, 10),
            d(2024, 1, 1),
            d(2024, 12, 31),
            None,
        );
        assert_eq!(cost, Cents(50000));
        // 71 days start an eleventh week.
        let cost = cost_over_period(
            &t,
            d(2024, 1, 1),
            d(2024, 3, 11),
            d(2024, 1, 1),
            d(2024, 12, 31),
            None,
        );
        assert_eq!(cost, Cents(55000));
        // One day is one started week.
        let cost = cost_over_period(
            &t,
            d(2024, 1, 1),
            d(2024, 3, 11),
            d(2024, 3, 11),
            d(2024, 12, 31),
            None,
        );
        assert_eq!(cost, Cents(5000));
    }

    #[test]
    fn per_month_counts_started_calendar_months() {
        let t = tariff(FundingVariant::PerUnit(UnitPeriod::Month), 10000);
        let cost = cost_over_period(
            &t,
            d(2024, 1, 31),
            d(2024, 3, 1),
            d(2024, 1, 1),
            d(2024, 12, 31),
            None,
        );
        assert_eq!(cost, Cents(30000));
        let cost = cost_over_period(
            &t,
            d(2024, 1, 1),
            d(2025, 6, 30),
            d(2024, 7, 1),
            d(2024, 12, 31),
            None,
        );
        assert_eq!(cost, Cents(60000));
    }

    #[test]
    fn per_hour_is_capped() {
        let t = tariff(
            FundingVariant::PerHour {
                budget_ceiling: Cents(150000),
            },
            6000,
        );
        let cost = cost_over_period(
            &t,
            d(2024, 1, 1),
            d(2024, 12, 31),
            d(2024, 1, 1),
            d(2024, 12, 31),
            Some(30 * 60),
        );
        assert_eq!(cost, Cents(150000));
        let cost = cost_over_period(
            &t,
            d(2024, 1, 1),
            d(2024, 12, 31),
            d(2024, 1, 1),
            d(2024, 12, 31),
            Some(31 * 60),
        );
        assert_eq!(cost, Cents(150000));
        let cost = cost_over_period(
            &t,
            d(2024, 1, 1),
            d(2024, 12, 31),
            d(2024, 1, 1),
            d(2024, 12, 31),
            Some(90),
        );
        assert_eq!(cost, Cents(9000));
        let cost = cost_over_period(
            &t,
            d(2024, 1, 1),
            d(2024, 12, 31),
            d(2024, 1, 1),
            d(2024, 12, 31),
            None,
        );
        assert_eq!(cost, Cents(0));
        // €0.01 per hour for one minute: 1/60 cent rounds to 0.
        let t = tariff(
            FundingVariant::PerHour {
                budget_ceiling: Cents(150000),
            },
            1,
        );
        let cost = cost_over_period(
            &t,
            d(2024, 1, 1),
            d(2024, 12, 31),
            d(2024, 1, 1),
            d(2024, 12, 31),
            Some(1),
        );
        assert_eq!(cost, Cents(0));
    }

    #[test]
    fn no_overlap_costs_nothing() {
        let t = tariff(FundingVariant::PerUnit(UnitPeriod::Month), 10000);
        let cost = cost_over_period(
            &t,
            d(2024, 1, 1),
            d(2024, 6, 30),
            d(2024, 7, 1),
            d(2024, 12, 31),
            None,
        );
        assert_eq!(cost, Cents(0));
        let t = tariff(
            FundingVariant::PerHour {
                budget_ceiling: Cents(150000),
            },
            6000,
        );
        let cost = cost_over_period(
            &t,
            d(2024, 1, 1),
            d(2024, 6, 30),
            d(2024, 7, 1),
            d(2024, 12, 31),
            Some(60),
        );
        assert_eq!(cost, Cents(0));
    }

    #[test]
    fn own_contribution_history() {
        let list = vec![
            OwnContribution {
                product: code("WVL"),
                valid_from: d(2020, 1, 1),
                monthly: Cents(1900),
            },
            OwnContribution {
                product: code("WVL"),
                valid_from: d(2025, 1, 1),
                monthly: Cents(0),
            },
            OwnContribution {
                product: code("BT"),
                valid_from: d(2019, 1, 1),
                monthly: Cents(2000),
            },
        ];
        let wvl = code("WVL");
        assert_eq!(own_contribution_on(&list, &wvl, d(2019, 12, 31)), Cents(0));
        assert_eq!(own_contribution_on(&list, &wvl, d(2020, 1, 1)), Cents(1900));
        assert_eq!(
            own_contribution_on(&list, &wvl, d(2024, 12, 31)),
            Cents(1900)
        );
        assert_eq!(own_contribution_on(&list, &wvl, d(2025, 1, 1)), Cents(0));
        assert_eq!(
            own_contribution_on(&list, &code("BTS"), d(2025, 1, 1)),
            Cents(0)
        );

        // Oct 15 2024 .. Mar 3 2025: Oct, Nov, Dec at 19,00; Jan–Mar abolished.
        let total = own_contributions_over_period(
            &list,
            &wvl,
            d(2024, 10, 15),
            d(2025, 3, 3),
            d(2024, 1, 1),
            d(2025, 12, 31),
        );
        assert_eq!(total, Cents(3 * 1900));
        // Only the period's part counts.
        let total = own_contributions_over_period(
            &list,
            &wvl,
            d(2024, 1, 15),
            d(2025, 3, 3),
            d(2024, 11, 30),
            d(2024, 12, 1),
        );
        assert_eq!(total, Cents(2 * 1900));
        let total = own_contributions_over_period(
            &list,
            &wvl,
            d(2024, 1, 15),
            d(2024, 3, 3),
            d(2024, 11, 30),
            d(2024, 12, 1),
        );
        assert_eq!(total, Cents(0));
    }

    #[test]
    fn own_contribution_mid_month_change_uses_first_overlapping_day() {
        let list = vec![
            OwnContribution {
                product: code("WVL"),
                valid_from: d(2024, 1, 1),
                monthly: Cents(1000),
            },
            OwnContribution {
                product: code("WVL"),
                valid_from: d(2024, 3, 10),
                monthly: Cents(2000),
            },
        ];
        let wvl = code("WVL");
        // March counted at the rate of 1 March; April at the new rate.
        let total = own_contributions_over_period(
            &list,
            &wvl,
            d(2024, 3, 1),
            d(2024, 4, 30),
            d(2024, 1, 1),
            d(2024, 12, 31),
        );
        assert_eq!(total, Cents(3000));
        // Starting on 15 March, March is counted at the rate of 15 March.
        let total = own_contributions_over_period(
            &list,
            &wvl,
            d(2024, 3, 15),
            d(2024, 4, 30),
            d(2024, 1, 1),
            d(2024, 12, 31),
        );
        assert_eq!(total, Cents(4000));
    }

    fn date_strategy() -> impl Strategy<Value = NaiveDate> {
        (0i64..5000).prop_map(|offset| d(2015, 1, 1) + chrono::Duration::days(offset))
    }

    fn variant_strategy() -> impl Strategy<Value = FundingVariant> {
        prop_oneof![
            Just(FundingVariant::PerIndication),
            Just(FundingVariant::PerIndicationYear),
            Just(FundingVariant::PerUnit(UnitPeriod::Week)),
            Just(FundingVariant::PerUnit(UnitPeriod::Month)),
            (0i64..10_000_000).prop_map(|c| FundingVariant::PerHour {
                budget_ceiling: Cents(c)
            }),
        ]
    }

    proptest! {
        #[test]
        fn cost_is_never_negative_and_hours_stay_under_ceiling(
            variant in variant_strategy(),
            amount in -1_000_000i64..100_000_000,
            a in date_strategy(),
            b in date_strategy(),
            c in date_strategy(),
            e in date_strategy(),
            minutes in proptest::option::of(0u32..1_000_000),
        ) {
            let t = tariff(variant, amount);
            let (ind_start, ind_end) = (a.min(b), a.max(b));
            let (period_start, period_end) = (c.min(e), c.max(e));
            let cost = cost_over_period(&t, ind_start, ind_end, period_start, period_end, minutes);
            prop_assert!(cost >= Cents::ZERO);
            if let FundingVariant::PerHour { budget_ceiling } = variant {
                prop_assert!(cost <= budget_ceiling);
            }
        }

        #[test]
        fn per_indication_splits_add_up_exactly(
            amount in 0i64..10_000_000,
            each_year in proptest::bool::ANY,
            a in date_strategy(),
            b in date_strategy(),
            split in 0i64..5000,
        ) {
            // Whole amounts on fixed days: splitting a period never changes the sum.
            let variant = if each_year { FundingVariant::PerIndicationYear } else { FundingVariant::PerIndication };
            let t = tariff(variant, amount);
            let (start, end) = (a.min(b), a.max(b));
            let middle = (start + chrono::Duration::days(split)).min(end);
            let whole = cost_over_period(&t, start, end, start, end, None).as_i64();
            let first = cost_over_period(&t, start, end, start, middle, None).as_i64();
            let second = match middle.succ_opt() {
                Some(next) => cost_over_period(&t, start, end, next, end, None).as_i64(),
                None => 0,
            };
            prop_assert_eq!(whole, first + second);
        }
    }
}
