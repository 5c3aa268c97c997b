//! Monitoring: every figure of the dashboards, the exports and
//! `waakvlam report flows|costs|pulse`, computed once from facts the store
//! loads in bulk.
//!
//! Pure arithmetic over [`Facts`]: indications issued, pathway flows,
//! scale-down planning, the finger on the pulse and costs, with the
//! assumptions of the avoided-cost estimate passed in ([`Assumptions`]).
//! [`Monitoring::tables`] turns the figures into [`Table`]s that the web page,
//! the CSV exports and the CLI all render, so they never disagree; masked for
//! publication, the tables come out with small counts and every cell that
//! would give them away already hidden ([`crate::suppression`]).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

use chrono::{Datelike, Days, Months, NaiveDate};
use serde::Serialize;

use crate::indication::{EndReason, WaakvlamOutcome};
use crate::money::Cents;
use crate::plan::ResultReached;
use crate::product::IntensityLevel;
use crate::suppression::{CellId, Problem, Reason, suppress};
use crate::tariff::{
    FundingVariant, OwnContribution, Tariff, UnitPeriod, cost_over_period,
    own_contributions_over_period,
};

/// The default threshold below which published counts are masked.
pub const DEFAULT_MASK_THRESHOLD: u64 = 5;

/// An inclusive range of days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// A period; `from` must not lie after `to`.
    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<Self, String> {
        if from > to {
            return Err(format!("the period starts ({from}) after it ends ({to})"));
        }
        Ok(Self { from, to })
    }

    /// The calendar year `year`.
    pub fn year(year: i32) -> Option<Self> {
        Some(Self {
            from: NaiveDate::from_ymd_opt(year, 1, 1)?,
            to: NaiveDate::from_ymd_opt(year, 12, 31)?,
        })
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.to
    }

    /// The part of `start..=end` (open end: up to the period's end) inside the period.
    fn clip(&self, start: NaiveDate, end: Option<NaiveDate>) -> Option<(NaiveDate, NaiveDate)> {
        let a = start.max(self.from);
        let b = end.map_or(self.to, |e| e.min(self.to));
        (a <= b).then_some((a, b))
    }

    /// The same period, ending no later than `day`.
    fn until(&self, day: NaiveDate) -> Option<Self> {
        let to = self.to.min(day);
        (self.from <= to).then_some(Self {
            from: self.from,
            to,
        })
    }
}

/// An indication as monitoring needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndicationFact {
    pub id: i64,
    pub resident_id: i64,
    pub municipality_code: String,
    pub provider_id: i64,
    pub product: String,
    pub level: IntensityLevel,
    pub issued_on: NaiveDate,
    pub start: NaiveDate,
    /// Inclusive; `None` for open-ended.
    pub end: Option<NaiveDate>,
    pub planned_scale_down: Option<NaiveDate>,
    pub end_reason: Option<EndReason>,
    pub outcome: Option<WaakvlamOutcome>,
    pub predecessor: Option<i64>,
    pub rhythm_days: Option<u32>,
    /// The assessment of the agreed result at its end, if one was made.
    pub result: Option<ResultReached>,
}

/// A contact with a resident (the day in UTC; minutes when recorded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContactFact {
    pub resident_id: i64,
    pub day: NaiveDate,
    pub minutes: Option<u32>,
}

/// A bell: when it rang and when a professional picked it up (epoch millis).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BellFact {
    pub resident_id: i64,
    pub day: NaiveDate,
    pub rung_at: i64,
    pub acknowledged_at: Option<i64>,
}

/// A check-in submitted by a resident.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckInFact {
    pub resident_id: i64,
    pub day: NaiveDate,
}

/// A tariff and the municipality it applies to (`None`: everywhere else).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopedTariff {
    pub municipality_code: Option<String>,
    pub tariff: Tariff,
}

/// An own-contribution rate and the municipality it applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopedContribution {
    pub municipality_code: Option<String>,
    pub contribution: OwnContribution,
}

/// Everything the figures are computed from, already limited to what the
/// caller may see (tenant scope and filters other than the product).
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// Indications in scope: at least those overlapping the period, their
    /// pathway neighbours, and those still running.
    pub indications: Vec<IndicationFact>,
    /// Contacts within the period of residents in scope.
    pub contacts: Vec<ContactFact>,
    pub bells: Vec<BellFact>,
    pub check_ins: Vec<CheckInFact>,
    pub tariffs: Vec<ScopedTariff>,
    pub contributions: Vec<ScopedContribution>,
    /// Municipality code → name.
    pub municipality_names: HashMap<String, String>,
    /// Product codes in catalogue order, for stable columns.
    pub products: Vec<String>,
}

/// The adjustable assumptions of the estimates; every one is shown with the figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Assumptions {
    /// Months a resident would otherwise have stayed in the heavier product
    /// after a scale-down (cut short by a re-escalation).
    pub months_avoided: u32,
    /// Hours per month of a per-hour product, to price a month of it.
    pub hours_per_month: u32,
    /// Days beyond the agreed rhythm a gap between contacts may last.
    pub rhythm_grace_days: u32,
    /// Days after the planned moment a scale-down still counts as on time.
    pub on_time_days: u32,
}

impl Default for Assumptions {
    fn default() -> Self {
        Self {
            months_avoided: 6,
            hours_per_month: 8,
            rhythm_grace_days: 7,
            on_time_days: 31,
        }
    }
}

/// What to compute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonitoringQuery {
    pub period: Period,
    /// Figures about the present (inventory, spend to date) are as of this day.
    pub today: NaiveDate,
    /// Only this product (its code) counts, when given.
    pub product: Option<String>,
    pub assumptions: Assumptions,
}

// ---------------------------------------------------------------------------
// The figures
// ---------------------------------------------------------------------------

/// Indications issued per municipality, product and year, and per quarter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Issued {
    /// Product codes: the columns of every row's `counts`.
    pub products: Vec<String>,
    pub rows: Vec<IssuedRow>,
    /// One per year: all municipalities together.
    pub totals: Vec<IssuedRow>,
    pub quarters: Vec<IssuedQuarter>,
    pub total: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IssuedRow {
    pub year: i32,
    /// Empty on total rows.
    pub municipality_code: String,
    pub municipality: String,
    pub counts: Vec<u64>,
    pub total: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IssuedQuarter {
    /// `2025-Q1`.
    pub quarter: String,
    pub counts: Vec<u64>,
    pub total: u64,
}

/// Pathway flows in the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Flows {
    /// Individual/intensive indications that ended (or were succeeded) in the period.
    pub heavy_ended: u64,
    pub scaled_down_from_intensive: u64,
    pub scaled_down_from_individual: u64,
    /// Heavy followed by heavy (e.g. BTS → BT).
    pub heavy_to_heavy: u64,
    /// Heavy ended without a successor.
    pub heavy_ended_without_successor: u64,
    /// Waakvlam episodes that ended in the period.
    pub waakvlam_ended: u64,
    pub ended_independent: u64,
    pub scaled_up: u64,
    pub ended_other: u64,
    /// Median days from the start of a waakvlam episode to its end.
    pub median_days_in_waakvlam: Option<i64>,
    /// Median days from the start of a waakvlam episode to the re-escalation.
    pub median_days_to_reescalation: Option<i64>,
}

impl Flows {
    pub fn scaled_down(&self) -> u64 {
        self.scaled_down_from_intensive + self.scaled_down_from_individual
    }
}

/// How the agreed result was assessed at the end of the waakvlam episodes
/// that ended in the period (the same episodes as [`Flows::waakvlam_ended`]),
/// per municipality.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Results {
    pub rows: Vec<ResultRow>,
    pub total: ResultRow,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct ResultRow {
    /// Empty on the total row.
    pub municipality_code: String,
    pub municipality: String,
    pub reached: u64,
    pub partly: u64,
    pub not_reached: u64,
    /// Ended without an assessment (e.g. by the municipality, or scaled up).
    pub not_assessed: u64,
}

impl ResultRow {
    pub fn total(&self) -> u64 {
        self.reached + self.partly + self.not_reached + self.not_assessed
    }

    fn add(&mut self, result: Option<ResultReached>) {
        match result {
            Some(ResultReached::Reached) => self.reached += 1,
            Some(ResultReached::Partly) => self.partly += 1,
            Some(ResultReached::NotReached) => self.not_reached += 1,
            None => self.not_assessed += 1,
        }
    }
}

/// Scale-down planning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Planning {
    /// Individual/intensive indications running in the period.
    pub heavy_running: u64,
    pub with_planned_moment: u64,
    /// Planned moments that fell in the period.
    pub planned_in_period: u64,
    /// Of those, scaled down to waakvlam.
    pub realised: u64,
    /// Of those, no later than the planned moment plus the allowed days.
    pub realised_on_time: u64,
    /// Median days between planned moment and actual scale-down (negative: early).
    pub median_deviation_days: Option<i64>,
    /// Running heavy indications whose planned moment has passed.
    pub overdue: u64,
    /// Running heavy indications without a planned moment.
    pub unplanned: u64,
    /// Planned moments in each of the next 12 months: (`2026-12`, count).
    pub inventory: Vec<(String, u64)>,
}

/// Finger on the pulse in the period (waakvlam only, up to today).
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Pulse {
    pub residents: u64,
    /// Resident-months in waakvlam (a full calendar month counts 1).
    pub resident_months: f64,
    pub contacts: u64,
    pub contacts_per_resident_month: Option<f64>,
    /// Waakvlam indications with an agreed rhythm, long enough to judge.
    pub with_rhythm: u64,
    pub on_rhythm: u64,
    pub bells: u64,
    pub bells_acknowledged: u64,
    pub median_minutes_to_acknowledge: Option<i64>,
    pub check_ins: u64,
    pub residents_with_check_in: u64,
    pub months: Vec<PulseMonth>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PulseMonth {
    /// `2025-03`.
    pub month: String,
    pub residents: u64,
    pub resident_months: f64,
    pub contacts: u64,
    pub contacts_per_resident_month: Option<f64>,
}

/// Costs in the period up to today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Costs {
    /// The last day costed (the period's end or today, whichever is first).
    pub until: Option<NaiveDate>,
    pub rows: Vec<CostRow>,
    pub spend: Cents,
    pub own_contributions: Cents,
    pub avoided: AvoidedCost,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CostRow {
    pub product: String,
    /// `per_indication`, `per_unit`, `per_hour`, or `no_tariff`.
    pub funding_variant: String,
    pub indications: u64,
    pub spend: Cents,
    pub own_contributions: Cents,
}

/// The estimate of heavier support avoided by scale-downs in the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct AvoidedCost {
    pub assumptions: Option<Assumptions>,
    pub scale_downs: u64,
    /// Months counted over all scale-downs (cut short by re-escalations).
    pub months: u64,
    /// The heavier products priced per month: (product, price).
    pub monthly_prices: Vec<(String, Cents)>,
    /// Scale-downs whose heavier product had no tariff (not counted).
    pub unpriced: u64,
    pub gross: Cents,
    /// What the waakvlam cost over the same months.
    pub waakvlam_cost: Cents,
    pub net: Cents,
}

/// All figures of one dashboard.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Monitoring {
    pub period: Period,
    pub today: NaiveDate,
    pub product: Option<String>,
    pub issued: Issued,
    pub flows: Flows,
    pub results: Results,
    pub planning: Planning,
    pub pulse: Pulse,
    pub costs: Costs,
}

/// Computes every figure.
pub fn compute(facts: &Facts, q: &MonitoringQuery) -> Monitoring {
    let pathways = Pathways::new(&facts.indications, q.today);
    Monitoring {
        period: q.period,
        today: q.today,
        product: q.product.clone(),
        issued: issued(facts, q),
        flows: flows(&pathways, q),
        results: results(facts, &pathways, q),
        planning: planning(&pathways, q),
        pulse: pulse(facts, q),
        costs: costs(facts, &pathways, q),
    }
}

fn wanted(q: &MonitoringQuery, f: &IndicationFact) -> bool {
    q.product.as_deref().is_none_or(|p| p == f.product)
}

fn is_heavy(level: IntensityLevel) -> bool {
    matches!(
        level,
        IntensityLevel::Intensive | IntensityLevel::Individual
    )
}

fn median(mut values: Vec<i64>) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let mid = values.len() / 2;
    if values.len() % 2 == 1 {
        values.get(mid).copied()
    } else {
        // The mean of the two middle values, rounded down.
        Some((values.get(mid - 1)? + values.get(mid)?).div_euclid(2))
    }
}

fn days_inclusive(a: NaiveDate, b: NaiveDate) -> i64 {
    (b - a).num_days() + 1
}

fn month_key(day: NaiveDate) -> String {
    format!("{:04}-{:02}", day.year(), day.month())
}

fn first_of_month(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

fn last_of_month(day: NaiveDate) -> NaiveDate {
    first_of_month(day)
        .checked_add_months(Months::new(1))
        .and_then(|d| d.pred_opt())
        .unwrap_or(day)
}

// ---------------------------------------------------------------------------
// Issued
// ---------------------------------------------------------------------------

fn issued(facts: &Facts, q: &MonitoringQuery) -> Issued {
    let mut products: Vec<String> = facts.products.clone();
    for f in &facts.indications {
        if !products.contains(&f.product) {
            products.push(f.product.clone());
        }
    }
    if let Some(p) = &q.product {
        products.retain(|c| c == p);
    }
    let column = |code: &str| products.iter().position(|p| p == code);
    let width = products.len();
    let mut by_muni: BTreeMap<(i32, String), Vec<u64>> = BTreeMap::new();
    let mut by_year: BTreeMap<i32, Vec<u64>> = BTreeMap::new();
    let mut by_quarter: BTreeMap<(i32, u32), Vec<u64>> = BTreeMap::new();
    // Every quarter of the period gets a row, also when nothing was issued.
    let mut day = q.period.from;
    while day <= q.period.to {
        by_quarter
            .entry((day.year(), day.month0() / 3 + 1))
            .or_insert_with(|| vec![0; width]);
        match day.checked_add_months(Months::new(3)) {
            Some(next) => day = next,
            None => break,
        }
    }
    by_quarter
        .entry((q.period.to.year(), q.period.to.month0() / 3 + 1))
        .or_insert_with(|| vec![0; width]);
    let mut total = 0;
    for f in &facts.indications {
        if !q.period.contains(f.issued_on) || !wanted(q, f) {
            continue;
        }
        let Some(col) = column(&f.product) else {
            continue;
        };
        let year = f.issued_on.year();
        for counts in [
            by_muni
                .entry((year, f.municipality_code.clone()))
                .or_insert_with(|| vec![0; width]),
            by_year.entry(year).or_insert_with(|| vec![0; width]),
            by_quarter
                .entry((year, f.issued_on.month0() / 3 + 1))
                .or_insert_with(|| vec![0; width]),
        ] {
            if let Some(c) = counts.get_mut(col) {
                *c += 1;
            }
        }
        total += 1;
    }
    let name = |code: &str| {
        facts
            .municipality_names
            .get(code)
            .cloned()
            .unwrap_or_else(|| code.to_owned())
    };
    let mut rows: Vec<IssuedRow> = by_muni
        .into_iter()
        .map(|((year, code), counts)| IssuedRow {
            year,
            municipality: name(&code),
            municipality_code: code,
            total: counts.iter().sum(),
            counts,
        })
        .collect();
    rows.sort_by_cached_key(|r| {
        (
            r.year,
            r.municipality.to_lowercase(),
            r.municipality_code.clone(),
        )
    });
    Issued {
        rows,
        totals: by_year
            .into_iter()
            .map(|(year, counts)| IssuedRow {
                year,
                municipality_code: String::new(),
                municipality: String::new(),
                total: counts.iter().sum(),
                counts,
            })
            .collect(),
        quarters: by_quarter
            .into_iter()
            .map(|((year, quarter), counts)| IssuedQuarter {
                quarter: format!("{year}-Q{quarter}"),
                total: counts.iter().sum(),
                counts,
            })
            .collect(),
        products,
        total,
    }
}

// ---------------------------------------------------------------------------
// Pathways
// ---------------------------------------------------------------------------

/// Indications with their successors, and when each ended.
struct Pathways<'a> {
    by_id: HashMap<i64, &'a IndicationFact>,
    successor: HashMap<i64, &'a IndicationFact>,
    today: NaiveDate,
}

impl<'a> Pathways<'a> {
    fn new(indications: &'a [IndicationFact], today: NaiveDate) -> Self {
        let by_id = indications.iter().map(|f| (f.id, f)).collect();
        let mut successor: HashMap<i64, &IndicationFact> = HashMap::new();
        for f in indications {
            if let Some(p) = f.predecessor {
                // A fork should not exist; keep the earliest successor if it does.
                let keep = successor
                    .get(&p)
                    .is_none_or(|s| (f.start, f.id) < (s.start, s.id));
                if keep {
                    successor.insert(p, f);
                }
            }
        }
        Self {
            by_id,
            successor,
            today,
        }
    }

    fn all(&self) -> impl Iterator<Item = &'a IndicationFact> + '_ {
        self.by_id.values().copied()
    }

    fn successor(&self, f: &IndicationFact) -> Option<&'a IndicationFact> {
        self.successor.get(&f.id).copied()
    }

    /// The last day of an indication that has ended: it has a successor, an
    /// end reason, or its end date has passed. `None` while it runs.
    fn ended_on(&self, f: &IndicationFact) -> Option<NaiveDate> {
        if let Some(s) = self.successor(f) {
            return Some(
                f.end
                    .unwrap_or_else(|| s.start.pred_opt().unwrap_or(s.start)),
            );
        }
        let end = f.end?;
        (f.end_reason.is_some() || f.outcome.is_some() || end < self.today).then_some(end)
    }

    /// The first day of the run of waakvlam indications `f` belongs to.
    fn episode_start(&self, f: &IndicationFact) -> NaiveDate {
        let mut start = f.start;
        let mut current = f;
        let mut steps = 0;
        while let Some(p) = current.predecessor.and_then(|p| self.by_id.get(&p)) {
            if p.level != IntensityLevel::Waakvlam || steps > 1000 {
                break;
            }
            start = p.start;
            current = p;
            steps += 1;
        }
        start
    }

    /// The first heavy indication later in the pathway, if any.
    fn next_heavy(&self, f: &IndicationFact) -> Option<&'a IndicationFact> {
        let mut current = self.successor(f)?;
        for _ in 0..1000 {
            if is_heavy(current.level) {
                return Some(current);
            }
            current = self.successor(current)?;
        }
        None
    }
}

/// How a waakvlam episode ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Exit {
    Independent,
    ScaledUp,
    Other,
}

fn classify_exit(f: &IndicationFact, successor: Option<&IndicationFact>) -> Exit {
    if successor.is_some_and(|s| is_heavy(s.level)) {
        return Exit::ScaledUp;
    }
    match f.outcome {
        Some(WaakvlamOutcome::ScaledUp) => Exit::ScaledUp,
        Some(WaakvlamOutcome::Independent) => Exit::Independent,
        Some(_) => Exit::Other,
        // Without an outcome, "ended as planned" is the iWmo way of saying so.
        None if f.end_reason == Some(EndReason::EndedAsPlanned) => Exit::Independent,
        None => Exit::Other,
    }
}

fn flows(p: &Pathways<'_>, q: &MonitoringQuery) -> Flows {
    let mut out = Flows::default();
    let mut in_waakvlam = Vec::new();
    let mut to_reescalation = Vec::new();
    for f in p.all() {
        if !wanted(q, f) {
            continue;
        }
        let Some(ended) = p.ended_on(f).filter(|d| q.period.contains(*d)) else {
            continue;
        };
        let successor = p.successor(f);
        if is_heavy(f.level) {
            out.heavy_ended += 1;
            match successor.map(|s| s.level) {
                Some(IntensityLevel::Waakvlam) => {
                    if f.level == IntensityLevel::Intensive {
                        out.scaled_down_from_intensive += 1;
                    } else {
                        out.scaled_down_from_individual += 1;
                    }
                }
                Some(l) if is_heavy(l) => out.heavy_to_heavy += 1,
                _ => out.heavy_ended_without_successor += 1,
            }
        } else if f.level == IntensityLevel::Waakvlam {
            // Waakvlam followed by waakvlam (e.g. another provider) continues the episode.
            if successor.is_some_and(|s| s.level == IntensityLevel::Waakvlam) {
                continue;
            }
            out.waakvlam_ended += 1;
            let days = days_inclusive(p.episode_start(f), ended);
            in_waakvlam.push(days);
            match classify_exit(f, successor) {
                Exit::Independent => out.ended_independent += 1,
                Exit::ScaledUp => {
                    out.scaled_up += 1;
                    to_reescalation.push(days);
                }
                Exit::Other => out.ended_other += 1,
            }
        }
    }
    out.median_days_in_waakvlam = median(in_waakvlam);
    out.median_days_to_reescalation = median(to_reescalation);
    out
}

/// The waakvlam episodes that ended in the period, counted exactly as
/// [`flows`] counts them, by the assessment of their last indication.
fn results(facts: &Facts, p: &Pathways<'_>, q: &MonitoringQuery) -> Results {
    let mut rows: BTreeMap<String, ResultRow> = BTreeMap::new();
    let mut total = ResultRow::default();
    for f in p.all() {
        if !wanted(q, f) || f.level != IntensityLevel::Waakvlam {
            continue;
        }
        if p.ended_on(f).is_none_or(|d| !q.period.contains(d)) {
            continue;
        }
        if p.successor(f)
            .is_some_and(|s| s.level == IntensityLevel::Waakvlam)
        {
            continue;
        }
        let row = rows
            .entry(f.municipality_code.clone())
            .or_insert_with(|| ResultRow {
                municipality_code: f.municipality_code.clone(),
                municipality: facts
                    .municipality_names
                    .get(&f.municipality_code)
                    .cloned()
                    .unwrap_or_else(|| f.municipality_code.clone()),
                ..ResultRow::default()
            });
        row.add(f.result);
        total.add(f.result);
    }
    Results {
        rows: rows.into_values().collect(),
        total,
    }
}

fn planning(p: &Pathways<'_>, q: &MonitoringQuery) -> Planning {
    let mut out = Planning::default();
    let horizon_start = first_of_month(q.today);
    let mut months: BTreeMap<String, u64> = BTreeMap::new();
    for i in 0..12 {
        if let Some(m) = horizon_start.checked_add_months(Months::new(i)) {
            months.insert(month_key(m), 0);
        }
    }
    let horizon_end = q
        .today
        .checked_add_months(Months::new(12))
        .unwrap_or(q.today);
    let mut deviations = Vec::new();
    for f in p.all() {
        if !is_heavy(f.level) || !wanted(q, f) {
            continue;
        }
        let ended = p.ended_on(f);
        if q.period.clip(f.start, ended.or(f.end)).is_some() {
            out.heavy_running += 1;
            if f.planned_scale_down.is_some() {
                out.with_planned_moment += 1;
            }
        }
        if let Some(planned) = f.planned_scale_down.filter(|d| q.period.contains(*d)) {
            out.planned_in_period += 1;
            if let Some(s) = p
                .successor(f)
                .filter(|s| s.level == IntensityLevel::Waakvlam)
            {
                out.realised += 1;
                let deviation = (s.start - planned).num_days();
                deviations.push(deviation);
                if deviation <= i64::from(q.assumptions.on_time_days) {
                    out.realised_on_time += 1;
                }
            }
        }
        // The inventory: heavy support running today.
        let running = f.start <= q.today && ended.is_none_or(|e| e >= q.today);
        if running && p.successor(f).is_none() {
            match f.planned_scale_down {
                None => out.unplanned += 1,
                Some(d) if d < q.today => out.overdue += 1,
                Some(d) if d < horizon_end => {
                    *months.entry(month_key(d)).or_default() += 1;
                }
                Some(_) => {}
            }
        }
    }
    out.median_deviation_days = median(deviations);
    out.inventory = months.into_iter().collect();
    out
}

// ---------------------------------------------------------------------------
// Pulse
// ---------------------------------------------------------------------------

fn pulse(facts: &Facts, q: &MonitoringQuery) -> Pulse {
    let mut out = Pulse::default();
    let Some(period) = q.period.until(q.today) else {
        return out;
    };
    // Waakvlam intervals per resident, within the period up to today.
    let mut intervals: HashMap<i64, Vec<(NaiveDate, NaiveDate, Option<u32>)>> = HashMap::new();
    for f in &facts.indications {
        if f.level != IntensityLevel::Waakvlam || !wanted(q, f) {
            continue;
        }
        if let Some((a, b)) = period.clip(f.start, f.end) {
            intervals
                .entry(f.resident_id)
                .or_default()
                .push((a, b, f.rhythm_days));
        }
    }
    out.residents = intervals.len() as u64;
    let inside = |resident: i64, day: NaiveDate| {
        intervals
            .get(&resident)
            .is_some_and(|v| v.iter().any(|(a, b, _)| *a <= day && day <= *b))
    };

    // Contacts per resident and day.
    let mut contact_days: HashMap<i64, Vec<NaiveDate>> = HashMap::new();
    let mut contacts_per_month: BTreeMap<String, u64> = BTreeMap::new();
    for c in &facts.contacts {
        if period.contains(c.day) && inside(c.resident_id, c.day) {
            out.contacts += 1;
            contact_days.entry(c.resident_id).or_default().push(c.day);
            *contacts_per_month.entry(month_key(c.day)).or_default() += 1;
        }
    }
    for days in contact_days.values_mut() {
        days.sort_unstable();
    }

    // Resident-months, month by month.
    let mut month = first_of_month(period.from);
    while month <= period.to {
        let m_from = month.max(period.from);
        let m_to = last_of_month(month).min(period.to);
        let month_days = days_inclusive(month, last_of_month(month)) as f64;
        let mut residents = 0;
        let mut resident_months = 0.0;
        for v in intervals.values() {
            let days: i64 = v
                .iter()
                .filter_map(|(a, b, _)| {
                    let s = (*a).max(m_from);
                    let e = (*b).min(m_to);
                    (s <= e).then(|| days_inclusive(s, e))
                })
                .sum();
            if days > 0 {
                residents += 1;
                resident_months += days as f64 / month_days;
            }
        }
        let key = month_key(month);
        let contacts = contacts_per_month.get(&key).copied().unwrap_or(0);
        out.resident_months += resident_months;
        out.months.push(PulseMonth {
            month: key,
            residents,
            resident_months,
            contacts,
            contacts_per_resident_month: (resident_months > 0.0)
                .then(|| contacts as f64 / resident_months),
        });
        match month.checked_add_months(Months::new(1)) {
            Some(next) => month = next,
            None => break,
        }
    }
    out.contacts_per_resident_month =
        (out.resident_months > 0.0).then(|| out.contacts as f64 / out.resident_months);

    // Rhythm: the longest stretch without contact stays within rhythm + grace.
    let grace = i64::from(q.assumptions.rhythm_grace_days);
    let empty = Vec::new();
    for (resident, v) in &intervals {
        let days = contact_days.get(resident).unwrap_or(&empty);
        for (a, b, rhythm) in v {
            let Some(r) = rhythm.map(i64::from) else {
                continue;
            };
            if days_inclusive(*a, *b) < r {
                continue;
            }
            out.with_rhythm += 1;
            let mut last = *a;
            let mut longest = 0;
            for d in days.iter().filter(|d| *a <= **d && **d <= *b) {
                longest = longest.max((*d - last).num_days());
                last = *d;
            }
            longest = longest.max((*b - last).num_days());
            if longest <= r + grace {
                out.on_rhythm += 1;
            }
        }
    }

    // Bells of residents in waakvlam, rung in the period.
    let mut waits = Vec::new();
    for b in &facts.bells {
        if period.contains(b.day) && inside(b.resident_id, b.day) {
            out.bells += 1;
            if let Some(ack) = b.acknowledged_at {
                out.bells_acknowledged += 1;
                waits.push((ack - b.rung_at).max(0) / 60_000);
            }
        }
    }
    out.median_minutes_to_acknowledge = median(waits);

    let mut responders = BTreeSet::new();
    for c in &facts.check_ins {
        if period.contains(c.day) && inside(c.resident_id, c.day) {
            out.check_ins += 1;
            responders.insert(c.resident_id);
        }
    }
    out.residents_with_check_in = responders.len() as u64;
    out
}

// ---------------------------------------------------------------------------
// Costs
// ---------------------------------------------------------------------------

/// The tariff for a product in a municipality and year: the municipality's
/// own, else the general one.
fn scoped_tariff<'t>(
    tariffs: &'t [ScopedTariff],
    product: &str,
    municipality: &str,
    year: i32,
) -> Option<&'t ScopedTariff> {
    let matching =
        |t: &&ScopedTariff| t.tariff.product.as_str() == product && t.tariff.year == year;
    tariffs
        .iter()
        .filter(matching)
        .find(|t| t.municipality_code.as_deref() == Some(municipality))
        .or_else(|| {
            tariffs
                .iter()
                .filter(matching)
                .find(|t| t.municipality_code.is_none())
        })
}

fn tariff_for<'t>(
    tariffs: &'t [ScopedTariff],
    product: &str,
    municipality: &str,
    year: i32,
) -> Option<&'t Tariff> {
    scoped_tariff(tariffs, product, municipality, year).map(|t| &t.tariff)
}

/// How a price is listed: the product, with the municipality when the
/// tariff is that municipality's own (`WVL 0716`).
fn price_label(t: &ScopedTariff) -> String {
    match &t.municipality_code {
        Some(m) => format!("{} {m} {}", t.tariff.product.as_str(), t.tariff.year),
        None => format!("{} {}", t.tariff.product.as_str(), t.tariff.year),
    }
}

/// The own-contribution rates that apply in a municipality: the general
/// ones, overruled by the municipality's own from their dates on.
fn contributions_for(all: &[ScopedContribution], municipality: &str) -> Vec<OwnContribution> {
    let own: Vec<&ScopedContribution> = all
        .iter()
        .filter(|c| c.municipality_code.as_deref() == Some(municipality))
        .collect();
    let mut out: Vec<OwnContribution> = all
        .iter()
        .filter(|c| c.municipality_code.is_none())
        .filter(|c| {
            // The municipality's entry wins on the same day.
            !own.iter().any(|o| {
                o.contribution.product == c.contribution.product
                    && o.contribution.valid_from == c.contribution.valid_from
            })
        })
        .map(|c| c.contribution.clone())
        .collect();
    out.extend(own.into_iter().map(|c| c.contribution.clone()));
    out
}

/// One month of a product at its tariff, for the avoided-cost estimate.
pub fn monthly_price(tariff: &Tariff, hours_per_month: u32) -> Cents {
    let amount = i128::from(tariff.amount.0.max(0));
    let price = match tariff.variant {
        // A one-off amount buys about a year of waakvlam (the usual
        // indication), so its month is a twelfth of it, like a yearly one.
        FundingVariant::PerIndication | FundingVariant::PerIndicationYear => (amount + 6) / 12,
        FundingVariant::PerUnit(UnitPeriod::Week) => (amount * 52 + 6) / 12,
        FundingVariant::PerUnit(UnitPeriod::Month) => amount,
        FundingVariant::PerHour { .. } => amount * i128::from(hours_per_month),
    };
    Cents(i64::try_from(price).unwrap_or(i64::MAX))
}

/// Whole months from `a` to `b` (0 when `b` is not after `a`).
fn whole_months(a: NaiveDate, b: NaiveDate) -> u32 {
    let mut n = 0;
    while n < 1200 {
        match a.checked_add_months(Months::new(n + 1)) {
            Some(d) if d <= b => n += 1,
            _ => break,
        }
    }
    n
}

fn costs(facts: &Facts, p: &Pathways<'_>, q: &MonitoringQuery) -> Costs {
    let mut out = Costs::default();
    let Some(period) = q.period.until(q.today) else {
        out.avoided = avoided(facts, p, q);
        return out;
    };
    out.until = Some(period.to);
    // Minutes delivered per resident and day, for per-hour tariffs.
    let mut minutes: HashMap<i64, Vec<(NaiveDate, u32)>> = HashMap::new();
    for c in &facts.contacts {
        if let Some(m) = c.minutes {
            minutes.entry(c.resident_id).or_default().push((c.day, m));
        }
    }
    let mut contributions: HashMap<&str, Vec<OwnContribution>> = HashMap::new();
    let mut groups: BTreeMap<(String, String), (BTreeSet<i64>, i64, i64)> = BTreeMap::new();
    for f in &facts.indications {
        if !wanted(q, f) {
            continue;
        }
        let Some((from, to)) = period.clip(f.start, f.end) else {
            continue;
        };
        let end = f.end.unwrap_or(period.to);
        let rates = contributions
            .entry(f.municipality_code.as_str())
            .or_insert_with(|| contributions_for(&facts.contributions, &f.municipality_code));
        // Tariffs are per year: cost each calendar year's part on its own.
        let mut seg_from = from;
        while seg_from <= to {
            let seg_to = NaiveDate::from_ymd_opt(seg_from.year(), 12, 31)
                .unwrap_or(to)
                .min(to);
            let tariff = tariff_for(
                &facts.tariffs,
                &f.product,
                &f.municipality_code,
                seg_from.year(),
            );
            let spend = tariff.map_or(Cents::ZERO, |t| {
                let delivered = matches!(t.variant, FundingVariant::PerHour { .. }).then(|| {
                    minutes.get(&f.resident_id).map_or(0, |v| {
                        v.iter()
                            .filter(|(d, _)| seg_from <= *d && *d <= seg_to)
                            .map(|(_, m)| *m)
                            .sum()
                    })
                });
                cost_over_period(t, f.start, end, seg_from, seg_to, delivered)
            });
            let own = crate::ids::ProductCode::parse(&f.product).map_or(Cents::ZERO, |code| {
                own_contributions_over_period(rates, &code, f.start, end, seg_from, seg_to)
            });
            let variant = tariff.map_or("no_tariff", |t| t.variant.kind_str());
            let entry = groups
                .entry((f.product.clone(), variant.to_owned()))
                .or_default();
            entry.0.insert(f.id);
            entry.1 += spend.0;
            entry.2 += own.0;
            match seg_to.succ_opt() {
                Some(next) => seg_from = next,
                None => break,
            }
        }
    }
    let order = |code: &str| {
        facts
            .products
            .iter()
            .position(|p| p == code)
            .unwrap_or(usize::MAX)
    };
    let mut rows: Vec<CostRow> = groups
        .into_iter()
        .map(|((product, variant), (ids, spend, own))| CostRow {
            product,
            funding_variant: variant,
            indications: ids.len() as u64,
            spend: Cents(spend),
            own_contributions: Cents(own),
        })
        .collect();
    rows.sort_by_key(|r| {
        (
            order(&r.product),
            r.product.clone(),
            r.funding_variant.clone(),
        )
    });
    out.spend = Cents(rows.iter().map(|r| r.spend.0).sum());
    out.own_contributions = Cents(rows.iter().map(|r| r.own_contributions.0).sum());
    out.rows = rows;
    out.avoided = avoided(facts, p, q);
    out
}

/// Heavier support avoided by the scale-downs of the period: for each, the
/// assumed months (cut short by a re-escalation) at the heavier product's
/// monthly price, against the waakvlam's own monthly price.
fn avoided(facts: &Facts, p: &Pathways<'_>, q: &MonitoringQuery) -> AvoidedCost {
    let a = q.assumptions;
    let mut out = AvoidedCost {
        assumptions: Some(a),
        ..Default::default()
    };
    let mut prices: BTreeMap<String, Cents> = BTreeMap::new();
    let mut gross: i64 = 0;
    let mut waakvlam: i64 = 0;
    for f in p.all() {
        if !is_heavy(f.level) || !wanted(q, f) {
            continue;
        }
        let Some(s) = p
            .successor(f)
            .filter(|s| s.level == IntensityLevel::Waakvlam)
        else {
            continue;
        };
        if !p.ended_on(f).is_some_and(|d| q.period.contains(d)) {
            continue;
        }
        out.scale_downs += 1;
        let year = s.start.year();
        let Some(heavy) = scoped_tariff(&facts.tariffs, &f.product, &f.municipality_code, year)
        else {
            out.unpriced += 1;
            continue;
        };
        let price = monthly_price(&heavy.tariff, a.hours_per_month);
        prices.insert(price_label(heavy), price);
        let months = match p.next_heavy(s) {
            Some(up) => whole_months(s.start, up.start).min(a.months_avoided),
            None => a.months_avoided,
        };
        out.months += u64::from(months);
        gross += price.0 * i64::from(months);
        if let Some(t) = scoped_tariff(&facts.tariffs, &s.product, &s.municipality_code, year) {
            let wvl = monthly_price(&t.tariff, a.hours_per_month);
            prices.insert(price_label(t), wvl);
            waakvlam += wvl.0 * i64::from(months);
        }
    }
    out.monthly_prices = prices.into_iter().collect();
    out.gross = Cents(gross);
    out.waakvlam_cost = Cents(waakvlam);
    out.net = Cents(gross - waakvlam);
    out
}

// ---------------------------------------------------------------------------
// Tables: one shape for the page, the CSV exports and the CLI
// ---------------------------------------------------------------------------

/// One value in a table.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Cell {
    /// Free text (a name, a year).
    Text(String),
    /// A key the page translates (`mon-row-<key>`); exports show the key.
    Label(String),
    /// A count of people or indications; masked when small.
    Count(u64),
    /// A share `part / whole`; masked when either is small.
    Share {
        part: u64,
        whole: u64,
    },
    /// A number of days (or minutes) derived from the row's cases.
    Number(Option<i64>),
    /// A decimal ratio derived from the row's cases.
    Decimal(Option<f64>),
    Money(Cents),
    /// Hidden for publication: the value is gone, only the mark is left.
    Masked(Masked),
}

/// How a hidden cell shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Masked {
    /// A count too small to publish: `<5`.
    Small { threshold: u64 },
    /// Hidden so that a small count cannot be recovered, or computed from a
    /// hidden cell: `x`, CBS's mark for a figure kept secret.
    Secret,
}

impl std::fmt::Display for Masked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Masked::Small { threshold } => write!(f, "<{threshold}"),
            Masked::Secret => f.write_str("x"),
        }
    }
}

impl Serialize for Masked {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A row of a table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TableRow {
    pub cells: Vec<Cell>,
    pub total: bool,
}

/// A table of figures with machine column keys.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    /// `issued`, `quarters`, `flows`, `flow_times`, `results`, `planning`, `inventory`,
    /// `pulse`, `pulse_months`, `costs`, `avoided`.
    pub id: &'static str,
    pub columns: Vec<String>,
    pub rows: Vec<TableRow>,
}

/// Every table id, in page order.
pub const TABLES: [&str; 11] = [
    "issued",
    "quarters",
    "flows",
    "flow_times",
    "results",
    "planning",
    "inventory",
    "pulse",
    "pulse_months",
    "costs",
    "avoided",
];

/// Masking for publication: counts from 1 up to `threshold − 1` are hidden,
/// and with them every cell they could be recovered from or computed from
/// (see [`crate::suppression`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mask {
    pub threshold: u64,
}

impl Mask {
    /// Whether a count is too small to publish by itself.
    pub fn hides(&self, n: u64) -> bool {
        n > 0 && n < self.threshold
    }
}

/// A cell of a table: (row, column).
type At = (usize, usize);

/// A sum across tables: parts and total, each as (table id, cell).
type Link = (Vec<(&'static str, At)>, (&'static str, At));

/// How the cells of one table hang together, declared where the table is
/// built: which cells add up to which, and which are computed from which.
#[derive(Debug, Default)]
struct Structure {
    sums: Vec<(Vec<At>, At)>,
    derived: Vec<(At, At)>,
}

impl Structure {
    fn sum(&mut self, parts: Vec<At>, total: At) {
        self.sums.push((parts, total));
    }

    /// `cell` is computed from each of `sources`.
    fn derive(&mut self, cell: At, sources: &[At]) {
        self.derived.extend(sources.iter().map(|s| (cell, *s)));
    }

    /// Each of `cells` can be (roughly) computed from each other one.
    fn link(&mut self, cells: &[At]) {
        for a in cells {
            for b in cells {
                if a != b {
                    self.derived.push((*a, *b));
                }
            }
        }
    }
}

fn row(cells: Vec<Cell>) -> TableRow {
    TableRow {
        cells,
        total: false,
    }
}

fn label(key: &str) -> Cell {
    Cell::Label(key.to_owned())
}

fn cols(keys: &[&str]) -> Vec<String> {
    keys.iter().map(|k| (*k).to_owned()).collect()
}

/// The value a cell contributes to a sum (decimals in thousandths).
fn numeric(cell: &Cell) -> i64 {
    match cell {
        Cell::Count(n) => i64::try_from(*n).unwrap_or(i64::MAX),
        Cell::Money(c) => c.0,
        Cell::Number(Some(n)) => *n,
        Cell::Decimal(Some(d)) => (d * 1000.0).round() as i64,
        _ => 0,
    }
}

impl Monitoring {
    /// All tables, in page order; with a mask, small counts and every cell
    /// that would give them away are already hidden ([`Cell::Masked`]).
    pub fn tables(&self, mask: Option<Mask>) -> Vec<Table> {
        let built: Vec<(Table, Structure)> =
            TABLES.iter().filter_map(|id| self.build(id)).collect();
        match mask {
            None => built.into_iter().map(|(t, _)| t).collect(),
            Some(mask) => suppressed(built, &self.links(), mask),
        }
    }

    /// One table by its id, masked like [`Monitoring::tables`] (the other
    /// tables count: a figure may be shown in two of them).
    pub fn table(&self, id: &str, mask: Option<Mask>) -> Option<Table> {
        if !TABLES.contains(&id) {
            return None;
        }
        self.tables(mask).into_iter().find(|t| t.id == id)
    }

    /// Sums and equal figures across tables: `(parts, total)`, each cell as
    /// (table id, row, column).
    fn links(&self) -> Vec<Link> {
        let mut links = Vec::new();
        // The quarters of a year add up to the year's total row of `issued`.
        let width = self.issued.products.len();
        let mut total_row = 0;
        for total in &self.issued.totals {
            total_row += self
                .issued
                .rows
                .iter()
                .filter(|r| r.year == total.year)
                .count();
            let quarters: Vec<usize> = self
                .issued
                .quarters
                .iter()
                .enumerate()
                .filter(|(_, q)| q.quarter.starts_with(&format!("{}-", total.year)))
                .map(|(i, _)| i)
                .collect();
            for c in 0..=width {
                links.push((
                    quarters.iter().map(|r| ("quarters", (*r, 1 + c))).collect(),
                    ("issued", (total_row, 3 + c)),
                ));
            }
            total_row += 1;
        }
        // The same figure in two tables.
        // `avoided`: two assumption rows and the prices, then the scale-downs.
        let scale_downs = 2 + self.costs.avoided.monthly_prices.len();
        links.push((vec![("flows", (1, 1))], ("avoided", (scale_downs, 1))));
        links.push((vec![("flows", (6, 1))], ("flow_times", (0, 2))));
        links.push((vec![("flows", (8, 1))], ("flow_times", (1, 2))));
        // The assessed results split the same ended episodes.
        let results_total = self.results.rows.len();
        links.push((vec![("flows", (6, 1))], ("results", (results_total, 6))));
        // The months of the pulse add up to the period's figures.
        let months: Vec<usize> = (0..self.pulse.months.len()).collect();
        links.push((
            months.iter().map(|r| ("pulse_months", (*r, 3))).collect(),
            ("pulse", (2, 1)),
        ));
        links.push((
            months.iter().map(|r| ("pulse_months", (*r, 2))).collect(),
            ("pulse", (1, 1)),
        ));
        links
    }

    /// One table and its structure.
    fn build(&self, id: &str) -> Option<(Table, Structure)> {
        let mut s = Structure::default();
        let t = match id {
            "issued" => {
                let width = self.issued.products.len();
                let mut columns = cols(&["year", "municipality_code", "municipality"]);
                columns.extend(self.issued.products.iter().cloned());
                columns.push("total".to_owned());
                let mut rows = Vec::new();
                for total in &self.issued.totals {
                    let first = rows.len();
                    for r in self.issued.rows.iter().filter(|r| r.year == total.year) {
                        let mut cells = vec![
                            Cell::Text(r.year.to_string()),
                            Cell::Text(r.municipality_code.clone()),
                            Cell::Text(r.municipality.clone()),
                        ];
                        cells.extend(r.counts.iter().map(|c| Cell::Count(*c)));
                        cells.push(Cell::Count(r.total));
                        rows.push(row(cells));
                    }
                    let mut cells = vec![
                        Cell::Text(total.year.to_string()),
                        Cell::Text(String::new()),
                        label("total"),
                    ];
                    cells.extend(total.counts.iter().map(|c| Cell::Count(*c)));
                    cells.push(Cell::Count(total.total));
                    rows.push(TableRow { cells, total: true });
                    // Each row's products add up to its total; each column's
                    // municipalities add up to the year's total row.
                    let last = rows.len() - 1;
                    for r in first..=last {
                        s.sum((3..3 + width).map(|c| (r, c)).collect(), (r, 3 + width));
                    }
                    for c in 3..=3 + width {
                        s.sum((first..last).map(|r| (r, c)).collect(), (last, c));
                    }
                }
                Table {
                    id: "issued",
                    columns,
                    rows,
                }
            }
            "quarters" => {
                let width = self.issued.products.len();
                let mut columns = cols(&["quarter"]);
                columns.extend(self.issued.products.iter().cloned());
                columns.push("total".to_owned());
                let rows: Vec<TableRow> = self
                    .issued
                    .quarters
                    .iter()
                    .map(|q| {
                        let mut cells = vec![Cell::Text(q.quarter.clone())];
                        cells.extend(q.counts.iter().map(|c| Cell::Count(*c)));
                        cells.push(Cell::Count(q.total));
                        row(cells)
                    })
                    .collect();
                for r in 0..rows.len() {
                    s.sum((1..1 + width).map(|c| (r, c)).collect(), (r, 1 + width));
                }
                Table {
                    id: "quarters",
                    columns,
                    rows,
                }
            }
            "flows" => {
                let f = &self.flows;
                let count =
                    |key: &str, n: u64| row(vec![label(key), Cell::Count(n), Cell::Number(None)]);
                let share = |key: &str, n: u64, of: u64| {
                    row(vec![
                        label(key),
                        Cell::Count(n),
                        Cell::Share { part: n, whole: of },
                    ])
                };
                let rows = vec![
                    count("heavy_ended", f.heavy_ended),
                    share("scaled_down", f.scaled_down(), f.heavy_ended),
                    share(
                        "scaled_down_from_intensive",
                        f.scaled_down_from_intensive,
                        f.heavy_ended,
                    ),
                    share(
                        "scaled_down_from_individual",
                        f.scaled_down_from_individual,
                        f.heavy_ended,
                    ),
                    share("heavy_to_heavy", f.heavy_to_heavy, f.heavy_ended),
                    share(
                        "heavy_ended_without_successor",
                        f.heavy_ended_without_successor,
                        f.heavy_ended,
                    ),
                    count("waakvlam_ended", f.waakvlam_ended),
                    share("ended_independent", f.ended_independent, f.waakvlam_ended),
                    share("scaled_up", f.scaled_up, f.waakvlam_ended),
                    share("ended_other", f.ended_other, f.waakvlam_ended),
                ];
                // Rows 2–5 split the heavy indications that ended (0); 1 is
                // 2 + 3. Rows 7–9 split the waakvlam episodes that ended (6).
                s.sum(vec![(2, 1), (3, 1)], (1, 1));
                s.sum(vec![(2, 1), (3, 1), (4, 1), (5, 1)], (0, 1));
                s.sum(vec![(1, 1), (4, 1), (5, 1)], (0, 1));
                s.sum(vec![(7, 1), (8, 1), (9, 1)], (6, 1));
                for (r, whole) in [
                    (1, 0),
                    (2, 0),
                    (3, 0),
                    (4, 0),
                    (5, 0),
                    (7, 6),
                    (8, 6),
                    (9, 6),
                ] {
                    s.derive((r, 2), &[(r, 1), (whole, 1)]);
                }
                Table {
                    id: "flows",
                    columns: cols(&["flow", "count", "share_pct"]),
                    rows,
                }
            }
            "flow_times" => {
                s.derive((0, 1), &[(0, 2)]);
                s.derive((1, 1), &[(1, 2)]);
                Table {
                    id: "flow_times",
                    columns: cols(&["measure", "days", "cases"]),
                    rows: vec![
                        row(vec![
                            label("median_days_in_waakvlam"),
                            Cell::Number(self.flows.median_days_in_waakvlam),
                            Cell::Count(self.flows.waakvlam_ended),
                        ]),
                        row(vec![
                            label("median_days_to_reescalation"),
                            Cell::Number(self.flows.median_days_to_reescalation),
                            Cell::Count(self.flows.scaled_up),
                        ]),
                    ],
                }
            }
            "results" => {
                let r = &self.results;
                let cells = |code: Cell, name: Cell, row: &ResultRow| {
                    vec![
                        code,
                        name,
                        Cell::Count(row.reached),
                        Cell::Count(row.partly),
                        Cell::Count(row.not_reached),
                        Cell::Count(row.not_assessed),
                        Cell::Count(row.total()),
                    ]
                };
                let mut rows: Vec<TableRow> = r
                    .rows
                    .iter()
                    .map(|m| {
                        row(cells(
                            Cell::Text(m.municipality_code.clone()),
                            Cell::Text(m.municipality.clone()),
                            m,
                        ))
                    })
                    .collect();
                rows.push(TableRow {
                    cells: cells(Cell::Text(String::new()), label("total"), &r.total),
                    total: true,
                });
                // Each row's results add up to its total; each column's
                // municipalities add up to the total row.
                let last = rows.len() - 1;
                for row in 0..=last {
                    s.sum((2..6).map(|c| (row, c)).collect(), (row, 6));
                }
                for c in 2..=6 {
                    s.sum((0..last).map(|row| (row, c)).collect(), (last, c));
                }
                Table {
                    id: "results",
                    columns: cols(&[
                        "municipality_code",
                        "municipality",
                        "reached",
                        "partly",
                        "not_reached",
                        "not_assessed",
                        "total",
                    ]),
                    rows,
                }
            }
            "planning" => {
                let p = &self.planning;
                let r = |key: &str, n: u64, of: Option<u64>| {
                    row(vec![
                        label(key),
                        Cell::Count(n),
                        of.map_or(Cell::Number(None), |of| Cell::Share { part: n, whole: of }),
                    ])
                };
                let rows = vec![
                    r("heavy_running", p.heavy_running, None),
                    r(
                        "with_planned_moment",
                        p.with_planned_moment,
                        Some(p.heavy_running),
                    ),
                    r("planned_in_period", p.planned_in_period, None),
                    r("realised", p.realised, Some(p.planned_in_period)),
                    r(
                        "realised_on_time",
                        p.realised_on_time,
                        Some(p.planned_in_period),
                    ),
                    r("overdue", p.overdue, None),
                    r("unplanned", p.unplanned, None),
                    row(vec![
                        label("median_deviation_days"),
                        Cell::Number(p.median_deviation_days),
                        Cell::Number(None),
                    ]),
                ];
                for (r, whole) in [(1, 0), (3, 2), (4, 2)] {
                    s.derive((r, 2), &[(r, 1), (whole, 1)]);
                }
                s.derive((7, 1), &[(3, 1)]);
                Table {
                    id: "planning",
                    columns: cols(&["measure", "count", "share_pct"]),
                    rows,
                }
            }
            "inventory" => Table {
                id: "inventory",
                columns: cols(&["month", "planned_scale_downs"]),
                rows: self
                    .planning
                    .inventory
                    .iter()
                    .map(|(m, n)| row(vec![Cell::Text(m.clone()), Cell::Count(*n)]))
                    .collect(),
            },
            "pulse" => {
                let p = &self.pulse;
                let count =
                    |key: &str, n: u64| row(vec![label(key), Cell::Count(n), Cell::Number(None)]);
                let share = |key: &str, n: u64, of: u64| {
                    row(vec![
                        label(key),
                        Cell::Count(n),
                        Cell::Share { part: n, whole: of },
                    ])
                };
                let decimal = |key: &str, d: Option<f64>| {
                    row(vec![label(key), Cell::Decimal(d), Cell::Number(None)])
                };
                let number = |key: &str, n: Option<i64>| {
                    row(vec![label(key), Cell::Number(n), Cell::Number(None)])
                };
                let rows = vec![
                    count("residents", p.residents),
                    decimal("resident_months", Some(p.resident_months)),
                    count("contacts", p.contacts),
                    decimal("contacts_per_resident_month", p.contacts_per_resident_month),
                    count("with_rhythm", p.with_rhythm),
                    share("on_rhythm", p.on_rhythm, p.with_rhythm),
                    count("bells", p.bells),
                    share("bells_acknowledged", p.bells_acknowledged, p.bells),
                    number(
                        "median_minutes_to_acknowledge",
                        p.median_minutes_to_acknowledge,
                    ),
                    count("check_ins", p.check_ins),
                    share(
                        "residents_with_check_in",
                        p.residents_with_check_in,
                        p.residents,
                    ),
                ];
                s.derive((1, 1), &[(0, 1)]);
                // Contacts per resident-month times the resident-months gives the contacts.
                s.derive((3, 1), &[(0, 1), (1, 1), (2, 1)]);
                s.derive((8, 1), &[(7, 1)]);
                for (r, whole) in [(5, 4), (7, 6), (10, 0)] {
                    s.derive((r, 2), &[(r, 1), (whole, 1)]);
                }
                Table {
                    id: "pulse",
                    columns: cols(&["measure", "value", "share_pct"]),
                    rows,
                }
            }
            "pulse_months" => {
                let rows: Vec<TableRow> = self
                    .pulse
                    .months
                    .iter()
                    .map(|m| {
                        row(vec![
                            Cell::Text(m.month.clone()),
                            Cell::Count(m.residents),
                            Cell::Decimal(Some(m.resident_months)),
                            Cell::Count(m.contacts),
                            Cell::Decimal(m.contacts_per_resident_month),
                        ])
                    })
                    .collect();
                for r in 0..rows.len() {
                    s.derive((r, 2), &[(r, 1)]);
                    s.derive((r, 4), &[(r, 1), (r, 2), (r, 3)]);
                }
                Table {
                    id: "pulse_months",
                    columns: cols(&[
                        "month",
                        "residents",
                        "resident_months",
                        "contacts",
                        "contacts_per_resident_month",
                    ]),
                    rows,
                }
            }
            "costs" => {
                let c = &self.costs;
                let mut rows: Vec<TableRow> = c
                    .rows
                    .iter()
                    .map(|r| {
                        row(vec![
                            Cell::Text(r.product.clone()),
                            label(&r.funding_variant),
                            Cell::Count(r.indications),
                            Cell::Money(r.spend),
                            Cell::Money(r.own_contributions),
                        ])
                    })
                    .collect();
                let n = c.rows.iter().map(|r| r.indications).sum();
                rows.push(TableRow {
                    cells: vec![
                        label("total"),
                        Cell::Text(String::new()),
                        Cell::Count(n),
                        Cell::Money(c.spend),
                        Cell::Money(c.own_contributions),
                    ],
                    total: true,
                });
                // Spend is about indications times tariff: a row's three
                // figures go together. Each column adds up to the total row.
                let last = rows.len() - 1;
                for r in 0..=last {
                    s.link(&[(r, 2), (r, 3), (r, 4)]);
                }
                for col in 2..=4 {
                    s.sum((0..last).map(|r| (r, col)).collect(), (last, col));
                }
                Table {
                    id: "costs",
                    columns: cols(&[
                        "product",
                        "funding_variant",
                        "indications",
                        "spend_eur",
                        "own_contributions_eur",
                    ]),
                    rows,
                }
            }
            "avoided" => {
                let a = &self.costs.avoided;
                let asm = a.assumptions.unwrap_or_default();
                let n = a.scale_downs;
                let text = |v: u32| Cell::Text(v.to_string());
                let mut rows = vec![
                    row(vec![
                        label("assumption_months_avoided"),
                        text(asm.months_avoided),
                    ]),
                    row(vec![
                        label("assumption_hours_per_month"),
                        text(asm.hours_per_month),
                    ]),
                ];
                for (product, price) in &a.monthly_prices {
                    rows.push(row(vec![
                        // `key:argument`: the page says it in words, exports keep the key.
                        Cell::Label(format!("price_per_month:{product}")),
                        Cell::Money(*price),
                    ]));
                }
                let first = rows.len();
                rows.extend([
                    row(vec![label("scale_downs"), Cell::Count(n)]),
                    row(vec![label("unpriced"), Cell::Count(a.unpriced)]),
                    row(vec![
                        label("months_counted"),
                        Cell::Number(i64::try_from(a.months).ok()),
                    ]),
                    row(vec![label("avoided_gross"), Cell::Money(a.gross)]),
                    row(vec![label("waakvlam_cost"), Cell::Money(a.waakvlam_cost)]),
                    row(vec![label("avoided_net"), Cell::Money(a.net)]),
                ]);
                // What the estimate comes to follows from the scale-downs.
                for r in first + 2..rows.len() {
                    s.derive((r, 1), &[(first, 1)]);
                }
                Table {
                    id: "avoided",
                    columns: cols(&["item", "value"]),
                    rows,
                }
            }
            _ => return None,
        };
        Some((t, s))
    }
}

/// The tables with primary and secondary suppression applied.
fn suppressed(built: Vec<(Table, Structure)>, links: &[Link], mask: Mask) -> Vec<Table> {
    let mut problem = Problem::new(mask.threshold);
    // ids[table][row][column]
    let ids: Vec<Vec<Vec<CellId>>> = built
        .iter()
        .map(|(t, _)| {
            t.rows
                .iter()
                .map(|r| {
                    r.cells
                        .iter()
                        .map(|c| match c {
                            Cell::Count(n) => problem.count(*n),
                            other => problem.cell(numeric(other)),
                        })
                        .collect()
                })
                .collect()
        })
        .collect();
    let local = |t: usize, (r, c): At| -> Option<CellId> { ids.get(t)?.get(r)?.get(c).copied() };
    for (t, (_, s)) in built.iter().enumerate() {
        for (parts, total) in &s.sums {
            let parts: Option<Vec<CellId>> = parts.iter().map(|a| local(t, *a)).collect();
            if let (Some(parts), Some(total)) = (parts, local(t, *total)) {
                problem.sum(parts, total);
            }
        }
        for (cell, source) in &s.derived {
            if let (Some(cell), Some(source)) = (local(t, *cell), local(t, *source)) {
                problem.derive(cell, source);
            }
        }
    }
    let global = |(id, at): (&str, At)| -> Option<CellId> {
        local(built.iter().position(|(t, _)| t.id == id)?, at)
    };
    for (parts, total) in links {
        let parts: Option<Vec<CellId>> = parts.iter().map(|a| global(*a)).collect();
        if let (Some(parts), Some(total)) = (parts, global(*total)) {
            problem.sum(parts, total);
        }
    }
    let hidden = suppress(&problem);
    built
        .into_iter()
        .zip(ids)
        .map(|((mut table, _), ids)| {
            for (r, ids) in table.rows.iter_mut().zip(ids) {
                for (cell, id) in r.cells.iter_mut().zip(ids) {
                    let Some(reason) = hidden.get(id).copied().flatten() else {
                        continue;
                    };
                    *cell = Cell::Masked(match (reason, &*cell) {
                        (Reason::Primary, Cell::Count(_)) => Masked::Small {
                            threshold: mask.threshold,
                        },
                        _ => Masked::Secret,
                    });
                }
            }
            table
        })
        .collect()
}

/// The plain (machine) text of a cell: `<5` and `x` for hidden ones.
fn cell_text(cell: &Cell) -> String {
    match cell {
        Cell::Text(s) | Cell::Label(s) => s.clone(),
        Cell::Count(n) => n.to_string(),
        Cell::Share { part, whole } => share_pct(*part, *whole)
            .map(|v| format!("{v:.1}"))
            .unwrap_or_default(),
        Cell::Number(n) => n.map(|n| n.to_string()).unwrap_or_default(),
        Cell::Decimal(d) => d.map(|d| format!("{d:.2}")).unwrap_or_default(),
        Cell::Money(c) => c.to_plain(),
        Cell::Masked(m) => m.to_string(),
    }
}

/// A share as a percentage, `None` when the whole is zero.
pub fn share_pct(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 * 100.0 / whole as f64)
}

impl Table {
    /// The plain (machine) text of a cell, as the exports write it; empty
    /// outside the table.
    pub fn text(&self, row: usize, col: usize) -> String {
        self.rows
            .get(row)
            .and_then(|r| r.cells.get(col))
            .map(cell_text)
            .unwrap_or_default()
    }

    /// Whether any cell is hidden.
    pub fn is_masked(&self) -> bool {
        self.rows
            .iter()
            .any(|r| r.cells.iter().any(|c| matches!(c, Cell::Masked(_))))
    }

    /// The table as CSV (RFC 4180 quoting, `\n` line endings).
    pub fn to_csv(&self) -> String {
        let mut out = self
            .columns
            .iter()
            .map(|c| csv_field(c))
            .collect::<Vec<_>>()
            .join(",");
        out.push('\n');
        for r in &self.rows {
            let line: Vec<String> = r.cells.iter().map(|c| csv_field(&cell_text(c))).collect();
            out.push_str(&line.join(","));
            out.push('\n');
        }
        out
    }

    /// The table aligned for a terminal; numbers right-aligned.
    pub fn to_text(&self) -> String {
        let texts: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|r| r.cells.iter().map(cell_text).collect())
            .collect();
        let width = |s: &str| s.chars().count();
        let widths: Vec<usize> = self
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                texts
                    .iter()
                    .filter_map(|r| r.get(i))
                    .map(|s| width(s))
                    .chain([width(c)])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let numeric: Vec<bool> = (0..self.columns.len())
            .map(|i| {
                self.rows
                    .iter()
                    .all(|r| !matches!(r.cells.get(i), Some(Cell::Text(_) | Cell::Label(_))))
            })
            .collect();
        let mut out = String::new();
        let mut line = |cells: &[String]| {
            let mut text = String::new();
            for (i, c) in cells.iter().enumerate() {
                let w = widths.get(i).copied().unwrap_or(0);
                if i > 0 {
                    text.push_str("  ");
                }
                if numeric.get(i).copied().unwrap_or(false) {
                    let _ = write!(text, "{c:>w$}");
                } else {
                    let _ = write!(text, "{c:<w$}");
                }
            }
            out.push_str(text.trim_end());
            out.push('\n');
        };
        line(&self.columns);
        line(&widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>());
        for r in &texts {
            line(r);
        }
        out
    }

    /// The rows as JSON objects keyed by column; hidden values become
    /// strings (`"<5"`, `"x"`), money a decimal string, missing values null.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value;
        let rows = self
            .rows
            .iter()
            .map(|r| {
                let mut object = serde_json::Map::new();
                for (column, cell) in self.columns.iter().zip(&r.cells) {
                    let text = cell_text(cell);
                    let value = match cell {
                        Cell::Text(_) | Cell::Label(_) | Cell::Masked(_) | Cell::Money(_) => {
                            Value::String(text)
                        }
                        _ if text.is_empty() => Value::Null,
                        Cell::Count(n) => Value::from(*n),
                        Cell::Number(Some(n)) => Value::from(*n),
                        _ => text.parse::<f64>().map_or(Value::String(text), Value::from),
                    };
                    object.insert(column.clone(), value);
                }
                Value::Object(object)
            })
            .collect();
        serde_json::json!({ "table": self.id, "columns": self.columns, "rows": Value::Array(rows) })
    }
}

fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}

/// The day after `day` plus `n` days, saturating (for callers building periods).
pub fn plus_days(day: NaiveDate, n: u64) -> NaiveDate {
    day.checked_add_days(Days::new(n)).unwrap_or(day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::ProductCode;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn level(product: &str) -> IntensityLevel {
        match product {
            "BTS" => IntensityLevel::Intensive,
            "BT" => IntensityLevel::Individual,
            _ => IntensityLevel::Waakvlam,
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn ind(
        id: i64,
        resident_id: i64,
        municipality: &str,
        product: &str,
        start: NaiveDate,
        end: Option<NaiveDate>,
        planned: Option<NaiveDate>,
        predecessor: Option<i64>,
    ) -> IndicationFact {
        IndicationFact {
            id,
            resident_id,
            municipality_code: municipality.to_owned(),
            provider_id: 1,
            product: product.to_owned(),
            level: level(product),
            issued_on: start,
            start,
            end,
            planned_scale_down: planned,
            end_reason: None,
            outcome: None,
            predecessor,
            rhythm_days: None,
            result: None,
        }
    }

    fn tariff(product: &str, variant: FundingVariant, amount: i64) -> ScopedTariff {
        ScopedTariff {
            municipality_code: None,
            tariff: Tariff {
                product: ProductCode::parse(product).unwrap(),
                year: 2025,
                variant,
                amount: Cents(amount),
            },
        }
    }

    fn contribution(
        municipality: Option<&str>,
        product: &str,
        from: NaiveDate,
        monthly: i64,
    ) -> ScopedContribution {
        ScopedContribution {
            municipality_code: municipality.map(str::to_owned),
            contribution: OwnContribution {
                product: ProductCode::parse(product).unwrap(),
                valid_from: from,
                monthly: Cents(monthly),
            },
        }
    }

    fn at(day: NaiveDate, minutes: i64) -> i64 {
        day.and_hms_opt(0, 0, 0)
            .unwrap()
            .and_utc()
            .timestamp_millis()
            + minutes * 60_000
    }

    /// Three residents over 2024–2026 whose figures for 2025 are worked out by hand.
    fn facts() -> Facts {
        let mut id2 = ind(
            2,
            1,
            "0664",
            "WVL",
            d(2025, 3, 1),
            Some(d(2025, 10, 31)),
            None,
            Some(1),
        );
        id2.outcome = Some(WaakvlamOutcome::Independent);
        id2.result = Some(ResultReached::Reached);
        id2.rhythm_days = Some(28);
        let mut id5 = ind(
            5,
            2,
            "0664",
            "WVL",
            d(2025, 6, 1),
            Some(d(2025, 8, 31)),
            None,
            Some(4),
        );
        id5.rhythm_days = Some(60);
        let mut id7 = ind(
            7,
            3,
            "0654",
            "WVL",
            d(2025, 1, 15),
            Some(d(2025, 12, 31)),
            None,
            None,
        );
        id7.outcome = Some(WaakvlamOutcome::Moved);
        let contact = |resident_id, day, minutes| ContactFact {
            resident_id,
            day,
            minutes,
        };
        let bell = |resident_id, day: NaiveDate, ack: Option<i64>| BellFact {
            resident_id,
            day,
            rung_at: at(day, 600),
            acknowledged_at: ack.map(|m| at(day, 600 + m)),
        };
        let check_in = |resident_id, day| CheckInFact { resident_id, day };
        Facts {
            indications: vec![
                ind(
                    1,
                    1,
                    "0664",
                    "BT",
                    d(2024, 9, 1),
                    Some(d(2025, 2, 28)),
                    Some(d(2025, 3, 1)),
                    None,
                ),
                id2,
                ind(
                    3,
                    2,
                    "0664",
                    "BTS",
                    d(2024, 11, 1),
                    Some(d(2025, 1, 31)),
                    Some(d(2025, 2, 1)),
                    None,
                ),
                ind(
                    4,
                    2,
                    "0664",
                    "BT",
                    d(2025, 2, 1),
                    Some(d(2025, 5, 31)),
                    Some(d(2025, 5, 15)),
                    Some(3),
                ),
                id5,
                ind(
                    6,
                    2,
                    "0664",
                    "BT",
                    d(2025, 9, 1),
                    None,
                    Some(d(2026, 9, 10)),
                    Some(5),
                ),
                id7,
            ],
            contacts: vec![
                contact(1, d(2025, 2, 10), Some(60)),
                contact(1, d(2025, 3, 10), None),
                contact(1, d(2025, 4, 1), None),
                contact(2, d(2025, 1, 10), Some(90)),
                contact(2, d(2025, 7, 15), None),
            ],
            bells: vec![
                bell(1, d(2025, 5, 1), Some(30)),
                bell(3, d(2025, 2, 2), Some(90)),
                bell(2, d(2025, 5, 5), Some(5)),
                bell(3, d(2025, 12, 1), None),
            ],
            check_ins: vec![
                check_in(1, d(2025, 4, 5)),
                check_in(1, d(2025, 5, 5)),
                check_in(3, d(2025, 12, 20)),
                check_in(2, d(2025, 2, 1)),
            ],
            tariffs: vec![
                tariff("WVL", FundingVariant::PerIndication, 12_000),
                tariff("BT", FundingVariant::PerUnit(UnitPeriod::Month), 10_000),
                tariff(
                    "BTS",
                    FundingVariant::PerHour {
                        budget_ceiling: Cents(1_000_000),
                    },
                    6_000,
                ),
            ],
            contributions: vec![
                contribution(None, "BTS", d(2019, 1, 1), 1_000),
                contribution(None, "BT", d(2019, 1, 1), 1_000),
                contribution(None, "WVL", d(2019, 1, 1), 1_000),
                contribution(Some("0664"), "WVL", d(2025, 1, 1), 0),
            ],
            municipality_names: HashMap::from([
                ("0664".to_owned(), "Goes".to_owned()),
                ("0654".to_owned(), "Borsele".to_owned()),
            ]),
            products: vec!["BTS".to_owned(), "BT".to_owned(), "WVL".to_owned()],
        }
    }

    fn query(product: Option<&str>) -> MonitoringQuery {
        MonitoringQuery {
            period: Period::year(2025).unwrap(),
            today: d(2026, 6, 30),
            product: product.map(str::to_owned),
            assumptions: Assumptions::default(),
        }
    }

    #[test]
    fn issued_per_municipality_product_year_and_quarter() {
        let m = compute(&facts(), &query(None));
        let i = &m.issued;
        assert_eq!(i.products, ["BTS", "BT", "WVL"]);
        let rows: Vec<(&str, &[u64], u64)> = i
            .rows
            .iter()
            .map(|r| (r.municipality.as_str(), r.counts.as_slice(), r.total))
            .collect();
        assert_eq!(
            rows,
            [("Borsele", &[0, 0, 1][..], 1), ("Goes", &[0, 2, 2][..], 4)]
        );
        assert_eq!(i.totals.len(), 1);
        assert_eq!(i.totals[0].counts, [0, 2, 3]);
        assert_eq!(i.total, 5);
        let quarters: Vec<(&str, u64)> = i
            .quarters
            .iter()
            .map(|q| (q.quarter.as_str(), q.total))
            .collect();
        assert_eq!(
            quarters,
            [
                ("2025-Q1", 3),
                ("2025-Q2", 1),
                ("2025-Q3", 1),
                ("2025-Q4", 0)
            ]
        );
        // A product filter keeps only its column.
        let wvl = compute(&facts(), &query(Some("WVL")));
        assert_eq!(wvl.issued.products, ["WVL"]);
        assert_eq!(wvl.issued.total, 3);
    }

    #[test]
    fn flows_counts_rates_and_medians() {
        let f = compute(&facts(), &query(None)).flows;
        assert_eq!(f.heavy_ended, 3);
        assert_eq!(f.scaled_down_from_individual, 2);
        assert_eq!(f.scaled_down_from_intensive, 0);
        assert_eq!(f.heavy_to_heavy, 1);
        assert_eq!(f.heavy_ended_without_successor, 0);
        assert_eq!(f.waakvlam_ended, 3);
        assert_eq!((f.ended_independent, f.scaled_up, f.ended_other), (1, 1, 1));
        // 92 (scaled up), 245 (independent) and 351 days (moved).
        assert_eq!(f.median_days_in_waakvlam, Some(245));
        assert_eq!(f.median_days_to_reescalation, Some(92));
        // Nothing ended in 2024's window except nothing: empty medians.
        let mut q = query(None);
        q.period = Period::year(2023).unwrap();
        let empty = compute(&facts(), &q).flows;
        assert_eq!(empty, Flows::default());
    }

    #[test]
    fn results_of_ended_waakvlams_per_municipality() {
        let m = compute(&facts(), &query(None));
        let r = &m.results;
        // The same three episodes as the flows: one assessed as reached.
        assert_eq!(r.total.total(), m.flows.waakvlam_ended);
        assert_eq!(
            (r.total.reached, r.total.partly, r.total.not_reached),
            (1, 0, 0)
        );
        assert_eq!(r.total.not_assessed, 2);
        let goes = r
            .rows
            .iter()
            .find(|r| r.municipality_code == "0664")
            .unwrap();
        assert_eq!(goes.reached, 1);
        let t = m.table("results", None).unwrap();
        assert_eq!(t.rows.last().unwrap().cells[6], Cell::Count(3));
        assert!(t.rows.last().unwrap().total);
        // Masked, the small counts go, and nothing is left to recover them.
        let masked = m.table("results", Some(Mask { threshold: 5 })).unwrap();
        assert!(masked.is_masked());
        assert_nothing_derivable(&m, Mask { threshold: 5 });
    }

    #[test]
    fn waakvlam_after_waakvlam_continues_the_episode() {
        let mut first = ind(
            1,
            1,
            "0664",
            "WVL",
            d(2025, 1, 1),
            Some(d(2025, 3, 31)),
            None,
            None,
        );
        first.end_reason = Some(EndReason::SwitchedProvider);
        let mut second = ind(
            2,
            1,
            "0664",
            "WVL",
            d(2025, 4, 1),
            Some(d(2025, 4, 30)),
            None,
            Some(1),
        );
        second.end_reason = Some(EndReason::EndedAsPlanned);
        let facts = Facts {
            indications: vec![first, second],
            ..Default::default()
        };
        let f = compute(&facts, &query(None)).flows;
        assert_eq!(f.waakvlam_ended, 1);
        assert_eq!(f.ended_independent, 1, "ended as planned without outcome");
        assert_eq!(f.median_days_in_waakvlam, Some(120));
    }

    #[test]
    fn planning_share_realised_and_inventory() {
        let p = compute(&facts(), &query(None)).planning;
        assert_eq!(p.heavy_running, 4);
        assert_eq!(p.with_planned_moment, 4);
        assert_eq!(p.planned_in_period, 3);
        assert_eq!(p.realised, 2);
        assert_eq!(p.realised_on_time, 2);
        assert_eq!(p.median_deviation_days, Some(8));
        assert_eq!((p.overdue, p.unplanned), (0, 0));
        assert_eq!(p.inventory.len(), 12);
        assert_eq!(p.inventory[0], ("2026-06".to_owned(), 0));
        let september: Vec<_> = p.inventory.iter().filter(|(_, n)| *n > 0).collect();
        assert_eq!(september, [&("2026-09".to_owned(), 1)]);
        // Later than planned plus the allowed days is not on time.
        let mut q = query(None);
        q.assumptions.on_time_days = 10;
        assert_eq!(compute(&facts(), &q).planning.realised_on_time, 1);
    }

    #[test]
    fn pulse_contacts_rhythm_bells_check_ins() {
        let p = compute(&facts(), &query(None)).pulse;
        assert_eq!(p.residents, 3);
        let months = 22.0 + 17.0 / 31.0;
        assert!(
            (p.resident_months - months).abs() < 1e-9,
            "{}",
            p.resident_months
        );
        assert_eq!(
            p.contacts, 3,
            "contacts during individual support do not count"
        );
        assert!((p.contacts_per_resident_month.unwrap() - 3.0 / months).abs() < 1e-9);
        assert_eq!((p.with_rhythm, p.on_rhythm), (2, 1));
        assert_eq!((p.bells, p.bells_acknowledged), (3, 2));
        assert_eq!(p.median_minutes_to_acknowledge, Some(60));
        assert_eq!((p.check_ins, p.residents_with_check_in), (3, 2));
        assert_eq!(p.months.len(), 12);
        let january = &p.months[0];
        assert_eq!(
            (january.month.as_str(), january.residents, january.contacts),
            ("2025-01", 1, 0)
        );
        assert!((january.resident_months - 17.0 / 31.0).abs() < 1e-9);
        let march = &p.months[2];
        assert_eq!((march.residents, march.contacts), (2, 1));
        assert_eq!(march.contacts_per_resident_month, Some(0.5));
        // Nothing after today counts.
        let mut q = query(None);
        q.today = d(2025, 1, 31);
        let early = compute(&facts(), &q).pulse;
        assert_eq!(early.months.len(), 1);
        assert_eq!(early.residents, 1);
    }

    #[test]
    fn costs_per_product_and_variant_with_own_contributions() {
        let c = compute(&facts(), &query(None)).costs;
        let rows: Vec<(&str, &str, u64, i64, i64)> = c
            .rows
            .iter()
            .map(|r| {
                (
                    r.product.as_str(),
                    r.funding_variant.as_str(),
                    r.indications,
                    r.spend.0,
                    r.own_contributions.0,
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                ("BTS", "per_hour", 1, 9_000, 1_000),
                ("BT", "per_unit", 3, 100_000, 10_000),
                // Each of the three waakvlams starts in 2025 and costs the
                // whole amount once, however short it was.
                ("WVL", "per_indication", 3, 3 * 12_000, 12_000),
            ]
        );
        assert_eq!(c.spend, Cents(145_000));
        assert_eq!(c.own_contributions, Cents(23_000));
        assert_eq!(c.until, Some(d(2025, 12, 31)));
    }

    #[test]
    fn costs_without_tariff_are_shown_apart() {
        let mut f = facts();
        f.tariffs.retain(|t| t.tariff.product.as_str() != "WVL");
        let c = compute(&f, &query(Some("WVL"))).costs;
        assert_eq!(c.rows.len(), 1);
        assert_eq!(c.rows[0].funding_variant, "no_tariff");
        assert_eq!(c.rows[0].spend, Cents(0));
    }

    #[test]
    fn avoided_cost_with_its_assumptions() {
        let a = compute(&facts(), &query(None)).costs.avoided;
        assert_eq!(a.scale_downs, 2);
        // 6 months after the first; the second re-escalated after 3 whole months.
        assert_eq!(a.months, 9);
        assert_eq!(
            a.monthly_prices,
            [
                ("BT 2025".to_owned(), Cents(10_000)),
                ("WVL 2025".to_owned(), Cents(1_000))
            ]
        );
        assert_eq!(a.gross, Cents(90_000));
        assert_eq!(a.waakvlam_cost, Cents(9_000));
        assert_eq!(a.net, Cents(81_000));
        let mut q = query(None);
        q.assumptions.months_avoided = 2;
        let a = compute(&facts(), &q).costs.avoided;
        assert_eq!((a.months, a.gross), (4, Cents(40_000)));
    }

    #[test]
    fn monthly_prices_per_variant() {
        let t = |variant, amount| Tariff {
            product: ProductCode::parse("BT").unwrap(),
            year: 2025,
            variant,
            amount: Cents(amount),
        };
        assert_eq!(
            monthly_price(&t(FundingVariant::PerIndication, 70_569), 8),
            Cents(5_881)
        );
        assert_eq!(
            monthly_price(&t(FundingVariant::PerUnit(UnitPeriod::Week), 11_450), 8),
            Cents(49_617)
        );
        assert_eq!(
            monthly_price(
                &t(
                    FundingVariant::PerHour {
                        budget_ceiling: Cents(0)
                    },
                    7_236
                ),
                8
            ),
            Cents(57_888)
        );
    }

    #[test]
    fn csv_text_and_masking() {
        let m = compute(&facts(), &query(None));
        let flows = m.table("flows", None).unwrap();
        assert_eq!(
            flows.to_csv(),
            "flow,count,share_pct\n\
             heavy_ended,3,\n\
             scaled_down,2,66.7\n\
             scaled_down_from_intensive,0,0.0\n\
             scaled_down_from_individual,2,66.7\n\
             heavy_to_heavy,1,33.3\n\
             heavy_ended_without_successor,0,0.0\n\
             waakvlam_ended,3,\n\
             ended_independent,1,33.3\n\
             scaled_up,1,33.3\n\
             ended_other,1,33.3\n"
        );
        let masked = m
            .table("flows", Some(Mask { threshold: 5 }))
            .unwrap()
            .to_csv();
        assert!(masked.contains("heavy_ended,<5,\n"), "{masked}");
        assert!(
            masked.contains("scaled_down_from_intensive,0,x\n"),
            "{masked}"
        );
        assert!(!masked.contains("66.7"));
        let times = m
            .table("flow_times", Some(Mask { threshold: 3 }))
            .unwrap()
            .to_csv();
        assert_eq!(
            times,
            "measure,days,cases\nmedian_days_in_waakvlam,x,x\nmedian_days_to_reescalation,x,<3\n",
            "the 3 waakvlam episodes end in three ways, each `<3`: so each is 1, unless the 3 goes"
        );
        let costs = m.table("costs", None).unwrap().to_csv();
        assert!(costs.contains("BT,per_unit,3,1000.00,100.00\n"), "{costs}");
        assert!(costs.ends_with("total,,7,1450.00,230.00\n"), "{costs}");
        let issued = m.table("issued", None).unwrap().to_csv();
        assert_eq!(
            issued,
            "year,municipality_code,municipality,BTS,BT,WVL,total\n\
             2025,0654,Borsele,0,0,1,1\n\
             2025,0664,Goes,0,2,2,4\n\
             2025,,total,0,2,3,5\n"
        );
        let text = m.table("quarters", None).unwrap().to_text();
        assert_eq!(
            text,
            "quarter  BTS  BT  WVL  total\n\
             -------  ---  --  ---  -----\n\
             2025-Q1    0   1    2      3\n\
             2025-Q2    0   0    1      1\n\
             2025-Q3    0   1    0      1\n\
             2025-Q4    0   0    0      0\n"
        );
        let json = m
            .table("flow_times", Some(Mask { threshold: 3 }))
            .unwrap()
            .to_json();
        assert_eq!(
            json.to_string(),
            r#"{"columns":["measure","days","cases"],"rows":[{"cases":"x","days":"x","measure":"median_days_in_waakvlam"},{"cases":"<3","days":"x","measure":"median_days_to_reescalation"}],"table":"flow_times"}"#
        );
        assert_eq!(m.tables(None).len(), TABLES.len());
        assert!(m.table("nope", None).is_none());
    }

    /// Every declared sum of the masked tables, in and across tables, has
    /// no hidden member or at least two; every small count is `<threshold`.
    fn assert_nothing_derivable(m: &Monitoring, mask: Mask) {
        let masked = m.tables(Some(mask));
        let plain = m.tables(None);
        let hidden = |id: &str, (r, c): At| {
            let t = masked.iter().find(|t| t.id == id).unwrap();
            matches!(t.rows[r].cells[c], Cell::Masked(_))
        };
        // Links across tables point at counts (or the decimals of the pulse).
        for (parts, total) in m.links() {
            for (id, (r, c)) in parts.iter().chain([&total]) {
                let t = plain.iter().find(|t| t.id == *id).unwrap();
                let cell = &t.rows[*r].cells[*c];
                assert!(
                    matches!(cell, Cell::Count(_) | Cell::Decimal(_)),
                    "{id} {r} {c}: {cell:?}"
                );
            }
        }
        let mut sums: Vec<Link> = m.links();
        for id in TABLES {
            let (_, s) = m.build(id).unwrap();
            for (parts, total) in s.sums {
                sums.push((parts.into_iter().map(|a| (id, a)).collect(), (id, total)));
            }
            for (cell, source) in s.derived {
                if hidden(id, source) {
                    assert!(
                        hidden(id, cell),
                        "{id} {cell:?} is computed from the hidden {source:?}"
                    );
                }
            }
        }
        for (parts, total) in &sums {
            let n = parts
                .iter()
                .chain([total])
                .filter(|a| hidden(a.0, a.1))
                .count();
            assert_ne!(n, 1, "{parts:?} = {total:?}: one hidden cell is derivable");
        }
        for (p, t) in plain.iter().zip(&masked) {
            for (pr, tr) in p.rows.iter().zip(&t.rows) {
                for (pc, tc) in pr.cells.iter().zip(&tr.cells) {
                    if let Cell::Count(n) = pc
                        && mask.hides(*n)
                    {
                        let small = Masked::Small {
                            threshold: mask.threshold,
                        };
                        assert_eq!(*tc, Cell::Masked(small));
                    }
                    if !matches!(tc, Cell::Masked(_)) {
                        assert_eq!(pc, tc, "shown cells keep their value");
                    }
                }
            }
        }
    }

    /// Monitoring with only the issued indications: two municipalities in
    /// one year, three products, spread over the quarters as given.
    fn issued_only(goes: [u64; 3], borsele: [u64; 3], quarters: [[u64; 3]; 4]) -> Monitoring {
        let q = query(None);
        let mut m = compute(&Facts::default(), &q);
        let row = |code: &str, name: &str, counts: [u64; 3]| IssuedRow {
            year: 2025,
            municipality_code: code.to_owned(),
            municipality: name.to_owned(),
            counts: counts.to_vec(),
            total: counts.iter().sum(),
        };
        let totals: [u64; 3] = std::array::from_fn(|i| goes[i] + borsele[i]);
        m.issued = Issued {
            products: vec!["BTS".to_owned(), "BT".to_owned(), "WVL".to_owned()],
            rows: vec![row("0654", "Borsele", borsele), row("0664", "Goes", goes)],
            totals: vec![row("", "", totals)],
            quarters: quarters
                .iter()
                .enumerate()
                .map(|(i, c)| IssuedQuarter {
                    quarter: format!("2025-Q{}", i + 1),
                    counts: c.to_vec(),
                    total: c.iter().sum(),
                })
                .collect(),
            total: totals.iter().sum(),
        };
        m
    }

    #[test]
    fn a_masked_total_gives_no_small_count_away() {
        // Goes: 10 + 12 + 2 = 24. Masking only the 2 would leave 24 − 10 − 12.
        let m = issued_only(
            [10, 12, 2],
            [7, 9, 8],
            [[10, 12, 2], [7, 9, 8], [0, 0, 0], [0, 0, 0]],
        );
        let mask = Mask { threshold: 5 };
        let csv = m.table("issued", Some(mask)).unwrap().to_csv();
        assert_eq!(
            csv,
            "year,municipality_code,municipality,BTS,BT,WVL,total\n\
             2025,0654,Borsele,x,9,x,24\n\
             2025,0664,Goes,x,12,<5,24\n\
             2025,,total,17,21,10,48\n",
        );
        let quarters = m.table("quarters", Some(mask)).unwrap().to_csv();
        assert_eq!(
            quarters,
            "quarter,BTS,BT,WVL,total\n\
             2025-Q1,x,12,<5,24\n\
             2025-Q2,x,9,x,24\n\
             2025-Q3,0,0,0,0\n\
             2025-Q4,0,0,0,0\n",
        );
        assert_nothing_derivable(&m, mask);
        // Unmasked, nothing changes.
        assert!(!m.table("issued", None).unwrap().is_masked());
    }

    #[test]
    fn every_table_of_the_fixture_is_safe_at_every_threshold() {
        for product in [None, Some("WVL")] {
            let m = compute(&facts(), &query(product));
            for threshold in 1..=6 {
                assert_nothing_derivable(&m, Mask { threshold });
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

        #[test]
        fn masked_issued_tables_never_give_a_small_count_away(
            goes in proptest::array::uniform3(0u64..30),
            borsele in proptest::array::uniform3(0u64..30),
            split in proptest::array::uniform3(0u64..=100),
            threshold in 2u64..8,
        ) {
            // Each product's year split over Q1 and Q2 (a share of Goes + Borsele).
            let mut quarters = [[0u64; 3]; 4];
            for i in 0..3 {
                let all = goes[i] + borsele[i];
                quarters[0][i] = all * split[i] / 100;
                quarters[1][i] = all - quarters[0][i];
            }
            let m = issued_only(goes, borsele, quarters);
            assert_nothing_derivable(&m, Mask { threshold });
        }
    }

    #[test]
    fn periods() {
        assert!(Period::new(d(2025, 2, 1), d(2025, 1, 1)).is_err());
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![3, 1, 2]), Some(2));
        assert_eq!(median(vec![4, 1, 2, 3]), Some(2));
        // Calendar months clamp to the month's end, as everywhere in the domain.
        assert_eq!(whole_months(d(2025, 1, 31), d(2025, 2, 28)), 1);
        assert_eq!(whole_months(d(2025, 1, 31), d(2025, 2, 27)), 0);
        assert_eq!(whole_months(d(2025, 6, 1), d(2025, 9, 1)), 3);
    }
}
