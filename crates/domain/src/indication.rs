//! Indications (toewijzingen): their dates, the rules those dates obey, and
//! why they end.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::calendar::add_months;
use crate::product::IntensityLevel;
use crate::vocab::{UnknownValue, fluent_keys, vocabulary};

// ---------------------------------------------------------------------------
// End reasons (iWmo LDT_RedenBeeindiging)
// ---------------------------------------------------------------------------

/// Why Wmo support for a client ended: iWmo 3.2 `LDT_RedenBeeindiging`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EndReason {
    /// 02 Overlijden.
    Deceased,
    /// 19 Levering volgens plan beëindigd.
    EndedAsPlanned,
    /// 20 Levering is tijdelijk beëindigd.
    TemporarilyEnded,
    /// 21 Levering is eenzijdig door cliënt beëindigd.
    EndedByClient,
    /// 22 Levering is eenzijdig door aanbieder beëindigd.
    EndedByProvider,
    /// 23 Levering is in overeenstemming voortijdig beëindigd.
    EndedEarlyByAgreement,
    /// 31 Verhuizing naar een andere gemeente.
    MovedToOtherMunicipality,
    /// 36 Geïnitieerd door de gemeente.
    InitiatedByMunicipality,
    /// 37 In verband met wijzigingsverzoek.
    ChangeRequest,
    /// 38 Overstap naar andere aanbieder.
    SwitchedProvider,
    /// 39 Uitstroom naar ander domein.
    OutflowToOtherDomain,
}

impl EndReason {
    /// Every end reason, in code order.
    pub const ALL: [Self; 11] = [
        Self::Deceased,
        Self::EndedAsPlanned,
        Self::TemporarilyEnded,
        Self::EndedByClient,
        Self::EndedByProvider,
        Self::EndedEarlyByAgreement,
        Self::MovedToOtherMunicipality,
        Self::InitiatedByMunicipality,
        Self::ChangeRequest,
        Self::SwitchedProvider,
        Self::OutflowToOtherDomain,
    ];

    const CODES: &'static [&'static str] = &[
        "02", "19", "20", "21", "22", "23", "31", "36", "37", "38", "39",
    ];

    /// The two-digit iWmo code, e.g. `"02"`.
    pub const fn code(self) -> &'static str {
        match self {
            Self::Deceased => "02",
            Self::EndedAsPlanned => "19",
            Self::TemporarilyEnded => "20",
            Self::EndedByClient => "21",
            Self::EndedByProvider => "22",
            Self::EndedEarlyByAgreement => "23",
            Self::MovedToOtherMunicipality => "31",
            Self::InitiatedByMunicipality => "36",
            Self::ChangeRequest => "37",
            Self::SwitchedProvider => "38",
            Self::OutflowToOtherDomain => "39",
        }
    }

    /// Same as [`EndReason::code`], for symmetry with the other vocabularies.
    pub const fn as_str(self) -> &'static str {
        self.code()
    }

    /// The Dutch description from the iWmo standard.
    pub const fn description(self) -> &'static str {
        match self {
            Self::Deceased => "Overlijden",
            Self::EndedAsPlanned => "Levering volgens plan beëindigd",
            Self::TemporarilyEnded => "Levering is tijdelijk beëindigd",
            Self::EndedByClient => "Levering is eenzijdig door cliënt beëindigd",
            Self::EndedByProvider => "Levering is eenzijdig door aanbieder beëindigd",
            Self::EndedEarlyByAgreement => "Levering is in overeenstemming voortijdig beëindigd",
            Self::MovedToOtherMunicipality => "Verhuizing naar een andere gemeente",
            Self::InitiatedByMunicipality => "Geïnitieerd door de gemeente",
            Self::ChangeRequest => "In verband met wijzigingsverzoek",
            Self::SwitchedProvider => "Overstap naar andere aanbieder",
            Self::OutflowToOtherDomain => "Uitstroom naar ander domein",
        }
    }

    /// Parses an iWmo code; a single digit is read with its leading zero
    /// restored (`"2"` → `"02"`), as spreadsheets tend to drop it.
    pub fn parse(code: &str) -> Result<Self, UnknownValue> {
        let trimmed = code.trim();
        let padded = if trimmed.len() == 1 {
            format!("0{trimmed}")
        } else {
            trimmed.to_owned()
        };
        Self::ALL
            .into_iter()
            .find(|reason| reason.code() == padded)
            .ok_or_else(|| UnknownValue::new(trimmed, Self::CODES))
    }
}

impl fmt::Display for EndReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl std::str::FromStr for EndReason {
    type Err = UnknownValue;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for EndReason {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for EndReason {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

// ---------------------------------------------------------------------------
// Waakvlam outcome
// ---------------------------------------------------------------------------

vocabulary! {
    /// How a waakvlam ended, in the professional's words.
    pub enum WaakvlamOutcome {
        /// The resident manages without support.
        Independent => "independent",
        /// Support was scaled up again to individual or intensive support.
        ScaledUp => "scaled_up",
        /// The resident moved to another municipality.
        Moved => "moved",
        Deceased => "deceased",
        Other => "other",
    }
}

fluent_keys!(WaakvlamOutcome {
    Independent => "outcome-independent",
    ScaledUp => "outcome-scaled_up",
    Moved => "outcome-moved",
    Deceased => "outcome-deceased",
    Other => "outcome-other",
});

impl WaakvlamOutcome {
    /// The iWmo end reason to report for this outcome.
    ///
    /// Scaling up ends the waakvlam allocation because a change request
    /// replaces it (37); an unspecified outcome is an early end by agreement (23).
    pub const fn end_reason(self) -> EndReason {
        match self {
            Self::Independent => EndReason::EndedAsPlanned,
            Self::ScaledUp => EndReason::ChangeRequest,
            Self::Moved => EndReason::MovedToOtherMunicipality,
            Self::Deceased => EndReason::Deceased,
            Self::Other => EndReason::EndedEarlyByAgreement,
        }
    }
}

// ---------------------------------------------------------------------------
// Indication date rules
// ---------------------------------------------------------------------------

/// Field names used in rule violations; they match the CSV columns and form fields.
pub mod fields {
    pub const ISSUED_ON: &str = "issued_on";
    pub const START_DATE: &str = "start_date";
    pub const END_DATE: &str = "end_date";
    pub const PLANNED_SCALE_DOWN_DATE: &str = "planned_scale_down_date";
    pub const REASON: &str = "reason";
}

/// A broken rule, tied to the field the user has to change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleViolation {
    pub field: &'static str,
    /// The message id of the rule (see [`crate::refusal`]).
    pub id: &'static str,
    /// The rule in English, for import reports and the command line.
    pub reason: String,
    /// The maximum in months the rule names, for rules that have one.
    pub months: Option<u32>,
}

impl RuleViolation {
    fn new(field: &'static str, id: &'static str, reason: &str) -> Self {
        Self {
            field,
            id,
            reason: reason.to_owned(),
            months: None,
        }
    }

    fn with_months(mut self, months: u32) -> Self {
        self.months = Some(months);
        self
    }

    /// The violation as refused input, for a form.
    pub fn refusal(&self) -> crate::refusal::Refusal {
        let mut reason = crate::refusal::Reason::new(self.id);
        if let Some(months) = self.months {
            reason = reason.with("months", months);
        }
        crate::refusal::Refusal::new(self.field, reason)
    }
}

impl fmt::Display for RuleViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.reason)
    }
}

/// The dates of an indication; `end` and `planned_scale_down` are inclusive days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicationDates {
    pub issued_on: NaiveDate,
    pub start: NaiveDate,
    /// Last day of the indication; `None` while open-ended.
    pub end: Option<NaiveDate>,
    /// When intensive or individual support is expected to scale down to waakvlam.
    pub planned_scale_down: Option<NaiveDate>,
}

/// The last day an indication starting on `start` may run without an
/// extension when its product allows at most `months` months: the
/// anniversary minus one day. Twelve months is exactly one indication-year,
/// the unit per-indication tariffs pay for (from 29 February the anniversary
/// falls on 28 February, so the last day is the 27th).
pub fn max_end(start: NaiveDate, months: u32) -> NaiveDate {
    add_months(start, months)
        .and_then(|anniversary| anniversary.pred_opt())
        .unwrap_or(NaiveDate::MAX)
}

/// The end date to use when none was given: an indication of a product with
/// a maximum duration (`max_months`, the product's rule where it is
/// indicated) ends at that maximum; without one it may stay open-ended
/// ("as long as needed").
pub fn default_end(max_months: Option<u32>, start: NaiveDate) -> Option<NaiveDate> {
    max_months.map(|months| max_end(start, months))
}

/// Checks an indication's dates against the rules for its intensity level
/// and its product's maximum duration (`max_months`, `None`: as long as
/// needed). `extended` says whether it was extended and may run past that
/// maximum.
///
/// Returns every violation at once, so a form or import report can show them together.
pub fn validate_indication(
    level: IntensityLevel,
    dates: &IndicationDates,
    extended: bool,
    max_months: Option<u32>,
) -> Result<(), Vec<RuleViolation>> {
    let mut violations = Vec::new();
    let end = dates.end.or_else(|| default_end(max_months, dates.start));

    if let Some(end) = end {
        if end < dates.start {
            violations.push(RuleViolation::new(
                fields::END_DATE,
                "before-start",
                "must not be before the start date",
            ));
        }
        if dates.issued_on > end {
            violations.push(RuleViolation::new(
                fields::ISSUED_ON,
                "after-end",
                "must not be after the end date",
            ));
        }
    }

    if let (Some(end), Some(months)) = (end, max_months)
        && !extended
        && end > max_end(dates.start, months)
    {
        violations.push(
            RuleViolation::new(
                fields::END_DATE,
                "max-duration",
                &format!("this product lasts at most {months} months here unless extended"),
            )
            .with_months(months),
        );
    }

    match level {
        // A planned scale-down means nothing for the lightest step; it is ignored.
        IntensityLevel::Waakvlam => {}
        IntensityLevel::Intensive | IntensityLevel::Individual | IntensityLevel::Other => {
            match dates.planned_scale_down {
                None if level.requires_scale_down_moment() => {
                    violations.push(RuleViolation::new(
                        fields::PLANNED_SCALE_DOWN_DATE,
                        "scale-down-required",
                        "required for intensive and individual support: \
                         the moment it is expected to scale down to waakvlam",
                    ));
                }
                None => {}
                Some(planned) => {
                    if planned < dates.start {
                        violations.push(RuleViolation::new(
                            fields::PLANNED_SCALE_DOWN_DATE,
                            "before-start",
                            "must not be before the start date",
                        ));
                    }
                    if end.is_some_and(|end| planned > end) {
                        violations.push(RuleViolation::new(
                            fields::PLANNED_SCALE_DOWN_DATE,
                            "after-end",
                            "must not be after the end date",
                        ));
                    }
                }
            }
        }
    }

    if violations.is_empty() {
        Ok(())
    } else {
        Err(violations)
    }
}

// ---------------------------------------------------------------------------
// Extensions
// ---------------------------------------------------------------------------

/// Extending a waakvlam beyond its end date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    pub previous_end: NaiveDate,
    pub new_end: NaiveDate,
    pub reason: String,
}

/// Checks an extension: it must move the end date forward, by at most the
/// product's maximum duration (`max_months`; `None`: as long as needed) at a
/// time, and say why (the municipality has to justify it).
/// Violations name the form fields `end_date` and `reason`.
pub fn validate_extension(
    extension: &Extension,
    max_months: Option<u32>,
) -> Result<(), Vec<RuleViolation>> {
    let mut violations = Vec::new();
    if extension.new_end <= extension.previous_end {
        violations.push(RuleViolation::new(
            fields::END_DATE,
            "extend-forward",
            "must be after the current end date",
        ));
    } else if let Some(months) = max_months
        && add_months(extension.previous_end, months).is_some_and(|limit| extension.new_end > limit)
    {
        violations.push(
            RuleViolation::new(
                fields::END_DATE,
                "extend-max",
                &format!("an extension lasts at most {months} months beyond the current end date"),
            )
            .with_months(months),
        );
    }
    if extension.reason.trim().is_empty() {
        violations.push(RuleViolation::new(
            fields::REASON,
            "reason",
            "required: say why the support is extended",
        ));
    }
    if violations.is_empty() {
        Ok(())
    } else {
        Err(violations)
    }
}

// ---------------------------------------------------------------------------
// Planning helpers
// ---------------------------------------------------------------------------

/// Whether a planned scale-down falls within `months` months from `today`.
/// Overdue moments (before today) count too: they need attention most.
pub fn scale_down_within(planned: Option<NaiveDate>, today: NaiveDate, months: u32) -> bool {
    planned.is_some_and(|planned| add_months(today, months).is_none_or(|limit| planned <= limit))
}

/// Why a successor indication cannot follow its predecessor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum SuccessionError {
    #[error("must start after the previous indication starts")]
    StartsTooEarly,
}

/// The end date for a predecessor when a successor starts on `new_start`:
/// the day before, so the two never overlap and leave no gap.
pub fn successor_dates(
    predecessor_start: NaiveDate,
    new_start: NaiveDate,
) -> Result<NaiveDate, SuccessionError> {
    if new_start <= predecessor_start {
        return Err(SuccessionError::StartsTooEarly);
    }
    new_start.pred_opt().ok_or(SuccessionError::StartsTooEarly)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn dates(
        issued: NaiveDate,
        start: NaiveDate,
        end: Option<NaiveDate>,
        planned: Option<NaiveDate>,
    ) -> IndicationDates {
        IndicationDates {
            issued_on: issued,
            start,
            end,
            planned_scale_down: planned,
        }
    }

    fn fields_of(result: Result<(), Vec<RuleViolation>>) -> Vec<(&'static str, String)> {
        result
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|v| (v.field, v.reason))
            .collect()
    }

    #[test]
    fn end_reasons_match_the_schema() {
        let codes: Vec<&str> = EndReason::ALL.iter().map(|r| r.code()).collect();
        assert_eq!(codes, EndReason::CODES);
        for reason in EndReason::ALL {
            assert_eq!(EndReason::parse(reason.code()), Ok(reason));
            assert!(!reason.description().is_empty());
        }
        assert_eq!(EndReason::parse("2"), Ok(EndReason::Deceased));
        assert_eq!(EndReason::parse(" 19 "), Ok(EndReason::EndedAsPlanned));
        assert!(EndReason::parse("01").is_err());
        assert!(EndReason::parse("").is_err());
        assert_eq!(EndReason::Deceased.description(), "Overlijden");
        assert_eq!(
            serde_json::to_string(&EndReason::ChangeRequest).unwrap(),
            "\"37\""
        );
    }

    #[test]
    fn outcomes_map_to_end_reasons() {
        assert_eq!(WaakvlamOutcome::Independent.end_reason().code(), "19");
        assert_eq!(WaakvlamOutcome::ScaledUp.end_reason().code(), "37");
        assert_eq!(WaakvlamOutcome::Moved.end_reason().code(), "31");
        assert_eq!(WaakvlamOutcome::Deceased.end_reason().code(), "02");
        assert_eq!(WaakvlamOutcome::Other.end_reason().code(), "23");
        assert_eq!(
            WaakvlamOutcome::parse("scaled_up"),
            Ok(WaakvlamOutcome::ScaledUp)
        );
    }

    #[test]
    fn waakvlam_lasts_twelve_months() {
        assert_eq!(max_end(d(2024, 1, 1), 12), d(2024, 12, 31));
        assert_eq!(max_end(d(2024, 3, 15), 12), d(2025, 3, 14));
        assert_eq!(max_end(d(2024, 3, 1), 12), d(2025, 2, 28));
        assert_eq!(max_end(d(2024, 2, 29), 12), d(2025, 2, 27));
        assert_eq!(default_end(Some(12), d(2024, 3, 15)), Some(d(2025, 3, 14)));
        assert_eq!(default_end(Some(6), d(2024, 3, 15)), Some(d(2024, 9, 14)));
        // "As long as needed": no maximum, no default end.
        assert_eq!(default_end(None, d(2024, 3, 15)), None);
    }

    #[test]
    fn valid_indications_pass() {
        let intensive = dates(
            d(2024, 1, 1),
            d(2024, 1, 1),
            Some(d(2024, 12, 31)),
            Some(d(2024, 6, 30)),
        );
        assert_eq!(
            validate_indication(IntensityLevel::Intensive, &intensive, false, None),
            Ok(())
        );
        let open = dates(d(2024, 1, 1), d(2024, 1, 1), None, Some(d(2024, 6, 30)));
        assert_eq!(
            validate_indication(IntensityLevel::Individual, &open, false, None),
            Ok(())
        );
        let waakvlam = dates(d(2024, 1, 1), d(2024, 1, 1), Some(d(2024, 12, 31)), None);
        assert_eq!(
            validate_indication(IntensityLevel::Waakvlam, &waakvlam, false, Some(12)),
            Ok(())
        );
        let waakvlam_open = dates(d(2024, 1, 1), d(2024, 1, 1), None, None);
        assert_eq!(
            validate_indication(IntensityLevel::Waakvlam, &waakvlam_open, false, Some(12)),
            Ok(())
        );
        let other = dates(d(2024, 1, 1), d(2024, 1, 1), None, None);
        assert_eq!(
            validate_indication(IntensityLevel::Other, &other, false, None),
            Ok(())
        );
        // Issued after the start (retroactive) is fine.
        let late = dates(d(2024, 3, 1), d(2024, 1, 1), Some(d(2024, 12, 31)), None);
        assert_eq!(
            validate_indication(IntensityLevel::Waakvlam, &late, false, Some(12)),
            Ok(())
        );
    }

    #[test]
    fn end_before_start() {
        let v = dates(d(2024, 1, 1), d(2024, 2, 1), Some(d(2024, 1, 31)), None);
        assert_eq!(
            fields_of(validate_indication(
                IntensityLevel::Waakvlam,
                &v,
                false,
                Some(12)
            )),
            [("end_date", "must not be before the start date".to_owned())]
        );
    }

    #[test]
    fn issued_after_end() {
        let v = dates(d(2025, 1, 1), d(2024, 1, 1), Some(d(2024, 12, 31)), None);
        assert_eq!(
            fields_of(validate_indication(
                IntensityLevel::Waakvlam,
                &v,
                false,
                Some(12)
            )),
            [("issued_on", "must not be after the end date".to_owned())]
        );
        // Waakvlam without end: checked against the default end.
        let v = dates(d(2025, 1, 1), d(2024, 1, 1), None, None);
        assert_eq!(
            fields_of(validate_indication(
                IntensityLevel::Waakvlam,
                &v,
                false,
                Some(12)
            )),
            [("issued_on", "must not be after the end date".to_owned())]
        );
    }

    #[test]
    fn intensive_and_individual_need_a_scale_down_moment() {
        for level in [IntensityLevel::Intensive, IntensityLevel::Individual] {
            let v = dates(d(2024, 1, 1), d(2024, 1, 1), Some(d(2024, 12, 31)), None);
            let found = fields_of(validate_indication(level, &v, false, None));
            assert_eq!(found.len(), 1);
            assert_eq!(found[0].0, "planned_scale_down_date");
            assert!(
                found[0]
                    .1
                    .starts_with("required for intensive and individual support")
            );
        }
    }

    #[test]
    fn scale_down_within_indication() {
        let before = dates(
            d(2024, 1, 1),
            d(2024, 1, 1),
            Some(d(2024, 12, 31)),
            Some(d(2023, 12, 31)),
        );
        assert_eq!(
            fields_of(validate_indication(
                IntensityLevel::Intensive,
                &before,
                false,
                None
            )),
            [(
                "planned_scale_down_date",
                "must not be before the start date".to_owned()
            )]
        );
        let after = dates(
            d(2024, 1, 1),
            d(2024, 1, 1),
            Some(d(2024, 12, 31)),
            Some(d(2025, 1, 1)),
        );
        assert_eq!(
            fields_of(validate_indication(
                IntensityLevel::Individual,
                &after,
                false,
                None
            )),
            [(
                "planned_scale_down_date",
                "must not be after the end date".to_owned()
            )]
        );
        // Boundaries are inclusive.
        for planned in [d(2024, 1, 1), d(2024, 12, 31)] {
            let edge = dates(
                d(2024, 1, 1),
                d(2024, 1, 1),
                Some(d(2024, 12, 31)),
                Some(planned),
            );
            assert_eq!(
                validate_indication(IntensityLevel::Intensive, &edge, false, None),
                Ok(())
            );
        }
        // "Other" products: optional, but checked when given.
        let other = dates(
            d(2024, 1, 1),
            d(2024, 1, 1),
            Some(d(2024, 12, 31)),
            Some(d(2025, 1, 1)),
        );
        assert_eq!(
            fields_of(validate_indication(
                IntensityLevel::Other,
                &other,
                false,
                None
            ))
            .len(),
            1
        );
    }

    #[test]
    fn waakvlam_ignores_planned_scale_down() {
        let v = dates(
            d(2024, 1, 1),
            d(2024, 1, 1),
            Some(d(2024, 12, 31)),
            Some(d(2030, 1, 1)),
        );
        assert_eq!(
            validate_indication(IntensityLevel::Waakvlam, &v, false, Some(12)),
            Ok(())
        );
    }

    #[test]
    fn waakvlam_longer_than_twelve_months_needs_extension() {
        let v = dates(d(2024, 1, 1), d(2024, 1, 1), Some(d(2025, 1, 1)), None);
        assert_eq!(
            fields_of(validate_indication(
                IntensityLevel::Waakvlam,
                &v,
                false,
                Some(12)
            )),
            [(
                "end_date",
                "this product lasts at most 12 months here unless extended".to_owned()
            )]
        );
        assert_eq!(
            validate_indication(IntensityLevel::Waakvlam, &v, true, Some(12)),
            Ok(())
        );
        // A product without a maximum (as long as needed) has no such limit.
        assert_eq!(
            validate_indication(IntensityLevel::Waakvlam, &v, false, None),
            Ok(())
        );
        // Other levels have no such limit either, unless their product has one.
        let v = dates(
            d(2024, 1, 1),
            d(2024, 1, 1),
            Some(d(2026, 1, 1)),
            Some(d(2025, 1, 1)),
        );
        assert_eq!(
            validate_indication(IntensityLevel::Intensive, &v, false, None),
            Ok(())
        );
    }

    #[test]
    fn violations_are_collected() {
        let v = dates(d(2025, 6, 1), d(2024, 2, 1), Some(d(2024, 1, 1)), None);
        let found = fields_of(validate_indication(
            IntensityLevel::Intensive,
            &v,
            false,
            None,
        ));
        let names: Vec<&str> = found.iter().map(|(f, _)| *f).collect();
        assert_eq!(names, ["end_date", "issued_on", "planned_scale_down_date"]);
    }

    #[test]
    fn extensions() {
        let ok = Extension {
            previous_end: d(2024, 12, 31),
            new_end: d(2025, 12, 31),
            reason: "nog kwetsbaar".into(),
        };
        assert_eq!(validate_extension(&ok, Some(12)), Ok(()));
        let backwards = Extension {
            new_end: d(2024, 12, 31),
            ..ok.clone()
        };
        assert_eq!(
            fields_of(validate_extension(&backwards, Some(12))),
            [("end_date", "must be after the current end date".to_owned())]
        );
        let too_long = Extension {
            new_end: d(2026, 1, 1),
            ..ok.clone()
        };
        assert_eq!(fields_of(validate_extension(&too_long, Some(12))).len(), 1);
        // Without a maximum an extension may reach as far as needed.
        assert_eq!(validate_extension(&too_long, None), Ok(()));
        assert_eq!(
            validate_extension(&too_long, Some(6)).unwrap_err()[0].refusal(),
            crate::refusal::Refusal::new(
                "end_date",
                crate::refusal::Reason::new("extend-max").with("months", 6)
            )
        );
        let no_reason = Extension {
            reason: "  ".into(),
            ..ok.clone()
        };
        assert_eq!(
            fields_of(validate_extension(&no_reason, Some(12)))[0].0,
            "reason"
        );
    }

    #[test]
    fn scale_down_inventory() {
        let today = d(2024, 6, 15);
        assert!(scale_down_within(Some(d(2024, 9, 15)), today, 3));
        assert!(!scale_down_within(Some(d(2024, 9, 16)), today, 3));
        assert!(scale_down_within(Some(d(2024, 1, 1)), today, 3));
        assert!(scale_down_within(Some(today), today, 0));
        assert!(!scale_down_within(None, today, 3));
    }

    #[test]
    fn successor_ends_predecessor_the_day_before() {
        assert_eq!(
            successor_dates(d(2024, 1, 1), d(2024, 7, 1)),
            Ok(d(2024, 6, 30))
        );
        assert_eq!(
            successor_dates(d(2024, 1, 1), d(2024, 1, 2)),
            Ok(d(2024, 1, 1))
        );
        assert_eq!(
            successor_dates(d(2024, 1, 1), d(2024, 1, 1)),
            Err(SuccessionError::StartsTooEarly)
        );
        assert_eq!(
            successor_dates(d(2024, 1, 1), d(2023, 1, 1)),
            Err(SuccessionError::StartsTooEarly)
        );
    }

    #[test]
    fn violation_display() {
        let v = RuleViolation::new(
            fields::END_DATE,
            "before-start",
            "must not be before the start date",
        );
        assert_eq!(v.to_string(), "end_date: must not be before the start date");
    }
}
