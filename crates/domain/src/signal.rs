//! The signal engine: which residents on a caseload need attention, and why.
//!
//! One pure function, [`evaluate`], turns what is known about a resident's
//! current indication ([`SignalInput`]) into [`Signal`]s, each with a stable
//! [`SignalKind`] (for filters and counts), a weight (for ranking) and the
//! facts a sentence needs ([`SignalFacts`]). [`rank`] orders a whole caseload
//! by the resulting [`Attention`]. Nothing here reads the clock or builds
//! strings while evaluating; sentences are made on demand by
//! [`Signal::dutch`] (CLI, documentation) or through Fluent with
//! [`SignalKind::fluent_key`] and [`Signal::args`] (web).
//!
//! # The signals
//!
//! | kind | when | Dutch example |
//! |---|---|---|
//! | `bell_open` | a bell is not acknowledged for [`Thresholds::bell_grace_hours`] | Belde om hulp 2 dagen geleden, nog niet opgepakt |
//! | `wellbeing_declining` | the last check-ins strictly decline, or the newest drops to [`Thresholds::wellbeing_low`] or lower | Welbevinden daalt: 4 → 3 → 2 in de laatste drie check-ins |
//! | `no_contact_yet` | no contact ever, and the rhythm plus grace has passed since the indication started | Nog geen contact sinds de start 33 dagen geleden, afgesproken: elke 28 dagen |
//! | `contact_overdue` | the last contact is longer ago than the rhythm plus grace | Laatste contact 41 dagen geleden, afgesproken: elke 28 dagen |
//! | `check_in_missed` | waakvlam only: no check-in for more than [`Thresholds::check_in_expected_days`] | Check-in gemist |
//! | `indication_ending` | the end date is within [`Thresholds::indication_ending_days`] | Indicatie loopt af over 23 dagen |
//! | `scale_down_due` | individual or intensive support has reached its planned scale-down moment and no scale request is pending | Afschaalmoment bereikt: bespreek afschalen naar waakvlam |
//!
//! # Weights and ranking
//!
//! Each kind has its own band of weights, so one signal of a more urgent kind
//! always outweighs one of a less urgent kind, whatever its numbers:
//!
//! | kind | weight |
//! |---|---|
//! | `bell_open` | 100 000 + 1 per hour open (up to a year) + 1 000 per further open bell (up to 9) |
//! | `wellbeing_declining` | 5 000 + 100 per point below 5 + 50 per point dropped within the window |
//! | `no_contact_yet`, `contact_overdue` | 4 000 + 10 per day past the rhythm (up to 999) |
//! | `check_in_missed` | 3 000 + 10 per day past the expected interval (up to 999) |
//! | `indication_ending` | 2 000 + up to 999, growing linearly as the end date nears |
//! | `scale_down_due` | 1 000 + 1 per day past the planned moment (up to 999) |
//!
//! A resident's [`Attention::score`] is the sum of its signals' weights. All
//! other signals together stay below 20 000, so a resident with an open bell
//! always ranks above every resident without one.

use std::cmp::Ordering;
use std::fmt::Write as _;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::care::Wellbeing;
use crate::product::IntensityLevel;
use crate::refusal::{Reason, Refusal};
use crate::vocab::{fluent_keys, vocabulary};

// ---------------------------------------------------------------------------
// Kinds
// ---------------------------------------------------------------------------

vocabulary! {
    /// Why a resident needs attention. Declared (and ordered, and listed in
    /// `ALL`) from most to least urgent; the machine names are stable and used
    /// in URLs, filters and counts.
    pub enum SignalKind {
        /// The resident rang the bell (called for help) and nobody picked it up yet.
        BellOpen => "bell_open",
        /// Check-ins show wellbeing going down.
        WellbeingDeclining => "wellbeing_declining",
        /// There has been no contact at all since the indication started.
        NoContactYet => "no_contact_yet",
        /// The last contact is longer ago than the contact rhythm allows.
        ContactOverdue => "contact_overdue",
        /// A waakvlam resident has not checked in for too long.
        CheckInMissed => "check_in_missed",
        /// The indication ends soon: extend it, scale it or end it well.
        IndicationEnding => "indication_ending",
        /// Individual or intensive support has reached its planned scale-down moment.
        ScaleDownDue => "scale_down_due",
    }
}

fluent_keys!(SignalKind {
    BellOpen => "signal-bell_open",
    WellbeingDeclining => "signal-wellbeing_declining",
    NoContactYet => "signal-no_contact_yet",
    ContactOverdue => "signal-contact_overdue",
    CheckInMissed => "signal-check_in_missed",
    IndicationEnding => "signal-indication_ending",
    ScaleDownDue => "signal-scale_down_due",
});

impl SignalKind {
    /// The Fluent message id of the kind's short label (filters, counts):
    /// `signal-kind-<as_str()>`. [`SignalKind::fluent_key`] is the full sentence.
    pub const fn label_key(self) -> &'static str {
        match self {
            Self::BellOpen => "signal-kind-bell_open",
            Self::WellbeingDeclining => "signal-kind-wellbeing_declining",
            Self::NoContactYet => "signal-kind-no_contact_yet",
            Self::ContactOverdue => "signal-kind-contact_overdue",
            Self::CheckInMissed => "signal-kind-check_in_missed",
            Self::IndicationEnding => "signal-kind-indication_ending",
            Self::ScaleDownDue => "signal-kind-scale_down_due",
        }
    }

    /// The short Dutch label, as in the Fluent source (CLI, documentation).
    pub const fn dutch_label(self) -> &'static str {
        match self {
            Self::BellOpen => "Hulpvraag open",
            Self::WellbeingDeclining => "Welbevinden daalt",
            Self::NoContactYet => "Nog geen contact",
            Self::ContactOverdue => "Contact te lang geleden",
            Self::CheckInMissed => "Check-in gemist",
            Self::IndicationEnding => "Indicatie loopt af",
            Self::ScaleDownDue => "Afschaalmoment bereikt",
        }
    }
}

// ---------------------------------------------------------------------------
// Thresholds
// ---------------------------------------------------------------------------

/// When a signal fires. A municipality or team can change any of these; the
/// defaults below are where a new installation starts.
///
/// Day thresholds count whole calendar days. A few values switch a signal off
/// at 0; each field says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Thresholds {
    /// Contact rhythm for a waakvlam when none was agreed. Default 28 days:
    /// waakvlam is low-frequency contact, about once every four weeks.
    /// 0: no default, only an agreed rhythm is checked.
    pub waakvlam_rhythm_days: u32,
    /// Contact rhythm for individual support (BT) when none was agreed.
    /// Default 7 days: individual support usually meets weekly.
    /// 0: no default, only an agreed rhythm is checked.
    pub individual_rhythm_days: u32,
    /// Contact rhythm for intensive support (BTS) when none was agreed.
    /// Default 7 days: intensive support meets at least weekly.
    /// 0: no default, only an agreed rhythm is checked.
    pub intensive_rhythm_days: u32,
    /// Days a contact may be later than its rhythm before it counts as
    /// overdue. Default 3: a planned visit can move a few days (a weekend,
    /// an illness) without raising an alarm, while even a weekly rhythm is
    /// still noticed within one and a half weeks.
    pub contact_grace_days: u32,
    /// Days a waakvlam resident may go without a check-in. Default 35: a
    /// monthly check-in plus a week's slack. 0: check-ins are not expected
    /// (a team whose residents do not use the app).
    pub check_in_expected_days: u32,
    /// How many of the latest check-ins make a trend. Default 3: two points
    /// are often noise, three show a direction. Clamped to 2–5 when used.
    pub wellbeing_window: u8,
    /// Wellbeing at or below this level (1–5) signals as soon as it drops
    /// there, without waiting for a full declining window. Default 2: on a
    /// five-point scale, 2 and 1 mean "not doing well".
    pub wellbeing_low: u8,
    /// Days before the end date from which an ending indication is shown.
    /// Default 60: a request to extend or scale may take the municipality
    /// up to eight weeks (six weeks' investigation and two weeks for the
    /// decision under the Wmo 2015), so it has to start about two months ahead.
    pub indication_ending_days: u32,
    /// Hours a bell may stay unacknowledged before it counts. Default 0: any
    /// open bell counts straight away, a call for help is never routine.
    pub bell_grace_hours: u32,
    /// Working days a new allocation may wait for a professional before it is
    /// a signal for the team lead and the consultant. Default 3: the provider
    /// should make contact within a week of the allocation, and a team lead
    /// who divides new work once or twice a week still stays within it.
    pub unassigned_working_days: u32,
    /// Working hours (Monday to Friday, see [`crate::notification::WORKDAY_START_HOUR`])
    /// a bell may stay unacknowledged before the team leads are told as well
    /// (escalation). Default 4: half a working day. 0: at the next pass.
    pub bell_escalation_working_hours: u32,
}

impl Default for Thresholds {
    fn default() -> Self {
        Self {
            waakvlam_rhythm_days: 28,
            individual_rhythm_days: 7,
            intensive_rhythm_days: 7,
            contact_grace_days: 3,
            check_in_expected_days: 35,
            wellbeing_window: 3,
            wellbeing_low: 2,
            indication_ending_days: 60,
            bell_grace_hours: 0,
            unassigned_working_days: 3,
            bell_escalation_working_hours: 4,
        }
    }
}

/// A municipality's or team's changes to [`Thresholds`]: `None` keeps the
/// value underneath. Stored as JSON, e.g. `{"waakvlam_rhythm_days": 21}`;
/// unknown fields are rejected so a typo does not silently do nothing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ThresholdOverrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waakvlam_rhythm_days: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub individual_rhythm_days: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub intensive_rhythm_days: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact_grace_days: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check_in_expected_days: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wellbeing_window: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wellbeing_low: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub indication_ending_days: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bell_grace_hours: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unassigned_working_days: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bell_escalation_working_hours: Option<u32>,
}

impl ThresholdOverrides {
    /// Whether nothing is overridden.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// The value set here for `field`, if any.
    pub fn get(&self, field: ThresholdField) -> Option<u32> {
        use ThresholdField as F;
        match field {
            F::WaakvlamRhythmDays => self.waakvlam_rhythm_days,
            F::IndividualRhythmDays => self.individual_rhythm_days,
            F::IntensiveRhythmDays => self.intensive_rhythm_days,
            F::ContactGraceDays => self.contact_grace_days,
            F::CheckInExpectedDays => self.check_in_expected_days,
            F::WellbeingWindow => self.wellbeing_window.map(u32::from),
            F::WellbeingLow => self.wellbeing_low.map(u32::from),
            F::IndicationEndingDays => self.indication_ending_days,
            F::BellGraceHours => self.bell_grace_hours,
            F::BellEscalationWorkingHours => self.bell_escalation_working_hours,
            F::UnassignedWorkingDays => self.unassigned_working_days,
        }
    }

    /// Sets (`Some`) or clears (`None`: the value underneath applies again)
    /// `field`, refused when the value lies outside the field's range.
    pub fn set(&mut self, field: ThresholdField, value: Option<u32>) -> Result<(), Refusal> {
        use ThresholdField as F;
        if let Some(v) = value {
            let (min, max) = field.range();
            if v < min || v > max {
                return Err(Refusal::new(
                    field.as_str(),
                    Reason::new("threshold-out-of-range")
                        .with("min", min)
                        .with("max", max),
                ));
            }
        }
        let small = |v: Option<u32>| v.map(|v| u8::try_from(v).unwrap_or(u8::MAX));
        match field {
            F::WaakvlamRhythmDays => self.waakvlam_rhythm_days = value,
            F::IndividualRhythmDays => self.individual_rhythm_days = value,
            F::IntensiveRhythmDays => self.intensive_rhythm_days = value,
            F::ContactGraceDays => self.contact_grace_days = value,
            F::CheckInExpectedDays => self.check_in_expected_days = value,
            F::WellbeingWindow => self.wellbeing_window = small(value),
            F::WellbeingLow => self.wellbeing_low = small(value),
            F::IndicationEndingDays => self.indication_ending_days = value,
            F::BellGraceHours => self.bell_grace_hours = value,
            F::BellEscalationWorkingHours => self.bell_escalation_working_hours = value,
            F::UnassignedWorkingDays => self.unassigned_working_days = value,
        }
        Ok(())
    }
}

vocabulary! {
    /// One setting of [`Thresholds`], as a team lead sets it on a page or an
    /// administrator with `waakvlam signals set KEY=VALUE`.
    pub enum ThresholdField {
        WaakvlamRhythmDays => "waakvlam_rhythm_days",
        IndividualRhythmDays => "individual_rhythm_days",
        IntensiveRhythmDays => "intensive_rhythm_days",
        ContactGraceDays => "contact_grace_days",
        CheckInExpectedDays => "check_in_expected_days",
        WellbeingWindow => "wellbeing_window",
        WellbeingLow => "wellbeing_low",
        IndicationEndingDays => "indication_ending_days",
        BellGraceHours => "bell_grace_hours",
        BellEscalationWorkingHours => "bell_escalation_working_hours",
        UnassignedWorkingDays => "unassigned_working_days",
    }
}

impl ThresholdField {
    /// The values a setting may take, inclusive. Wide enough for any team's
    /// practice, narrow enough that a typo (a year for a week) is caught.
    pub const fn range(self) -> (u32, u32) {
        use ThresholdField as F;
        match self {
            F::WaakvlamRhythmDays | F::IndividualRhythmDays | F::IntensiveRhythmDays => (0, 182),
            F::ContactGraceDays => (0, 60),
            F::CheckInExpectedDays => (0, 365),
            F::WellbeingWindow => (WINDOW_MIN as u32, WINDOW_MAX as u32),
            F::WellbeingLow => (0, 5),
            F::IndicationEndingDays => (0, 365),
            F::BellGraceHours => (0, 72),
            F::BellEscalationWorkingHours => (0, 40),
            F::UnassignedWorkingDays => (0, 30),
        }
    }

    /// The value of this setting in `t`.
    pub fn of(self, t: &Thresholds) -> u32 {
        use ThresholdField as F;
        match self {
            F::WaakvlamRhythmDays => t.waakvlam_rhythm_days,
            F::IndividualRhythmDays => t.individual_rhythm_days,
            F::IntensiveRhythmDays => t.intensive_rhythm_days,
            F::ContactGraceDays => t.contact_grace_days,
            F::CheckInExpectedDays => t.check_in_expected_days,
            F::WellbeingWindow => u32::from(t.wellbeing_window),
            F::WellbeingLow => u32::from(t.wellbeing_low),
            F::IndicationEndingDays => t.indication_ending_days,
            F::BellGraceHours => t.bell_grace_hours,
            F::BellEscalationWorkingHours => t.bell_escalation_working_hours,
            F::UnassignedWorkingDays => t.unassigned_working_days,
        }
    }
}

/// Whether a new allocation received on `received` and still without a
/// professional on `today` has waited too long: more than the threshold's
/// working days (weekends do not count; a team lead is not expected to
/// divide work on Sunday).
pub fn unassigned_too_long(received: NaiveDate, today: NaiveDate, t: &Thresholds) -> bool {
    crate::calendar::working_days_between(received, today) > t.unassigned_working_days
}

/// The smallest and largest wellbeing window used (see [`Thresholds::wellbeing_window`]).
const WINDOW_MIN: u8 = 2;
const WINDOW_MAX: u8 = 5;

impl Thresholds {
    /// These thresholds with `overrides` applied on top. Layers stack:
    /// `Thresholds::default().merge(&municipality).merge(&team)`.
    #[must_use]
    pub fn merge(&self, overrides: &ThresholdOverrides) -> Self {
        Self {
            waakvlam_rhythm_days: overrides
                .waakvlam_rhythm_days
                .unwrap_or(self.waakvlam_rhythm_days),
            individual_rhythm_days: overrides
                .individual_rhythm_days
                .unwrap_or(self.individual_rhythm_days),
            intensive_rhythm_days: overrides
                .intensive_rhythm_days
                .unwrap_or(self.intensive_rhythm_days),
            contact_grace_days: overrides
                .contact_grace_days
                .unwrap_or(self.contact_grace_days),
            check_in_expected_days: overrides
                .check_in_expected_days
                .unwrap_or(self.check_in_expected_days),
            wellbeing_window: overrides.wellbeing_window.unwrap_or(self.wellbeing_window),
            wellbeing_low: overrides.wellbeing_low.unwrap_or(self.wellbeing_low),
            indication_ending_days: overrides
                .indication_ending_days
                .unwrap_or(self.indication_ending_days),
            bell_grace_hours: overrides.bell_grace_hours.unwrap_or(self.bell_grace_hours),
            unassigned_working_days: overrides
                .unassigned_working_days
                .unwrap_or(self.unassigned_working_days),
            bell_escalation_working_hours: overrides
                .bell_escalation_working_hours
                .unwrap_or(self.bell_escalation_working_hours),
        }
    }

    /// The contact rhythm that applies when none was agreed. Products outside
    /// the waakvlam pathway (`Other`) have none: only an agreed rhythm is
    /// checked for them.
    pub const fn default_rhythm_days(&self, level: IntensityLevel) -> Option<u32> {
        let days = match level {
            IntensityLevel::Waakvlam => self.waakvlam_rhythm_days,
            IntensityLevel::Individual => self.individual_rhythm_days,
            IntensityLevel::Intensive => self.intensive_rhythm_days,
            IntensityLevel::Other => 0,
        };
        if days == 0 { None } else { Some(days) }
    }

    /// The rhythm contact is checked against: the agreed one (a stored 0 counts
    /// as not agreed), else the level's default, else none.
    pub const fn rhythm(&self, level: IntensityLevel, agreed_days: Option<u32>) -> Option<Rhythm> {
        match agreed_days {
            Some(days) if days > 0 => Some(Rhythm { days, agreed: true }),
            _ => match self.default_rhythm_days(level) {
                Some(days) => Some(Rhythm {
                    days,
                    agreed: false,
                }),
                None => None,
            },
        }
    }

    /// The wellbeing window actually used, clamped to 2–5.
    pub fn effective_wellbeing_window(&self) -> u8 {
        self.wellbeing_window.clamp(WINDOW_MIN, WINDOW_MAX)
    }
}

/// How often contact should take place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rhythm {
    /// At least 1.
    pub days: u32,
    /// Agreed for this indication (`true`) or the default for its level.
    pub agreed: bool,
}

// ---------------------------------------------------------------------------
// Input
// ---------------------------------------------------------------------------

/// A check-in by the resident: how they are doing, on which day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CheckIn {
    pub on: NaiveDate,
    pub wellbeing: Wellbeing,
}

/// A bell (call for help) that is not resolved. Pass a resolved bell as
/// acknowledged (`acknowledged_at: acknowledged_at.or(resolved_at)`) or not at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BellRing {
    pub rung_at: DateTime<Utc>,
    /// When a professional picked it up; any value means it is not open.
    pub acknowledged_at: Option<DateTime<Utc>>,
}

/// What the engine knows about one resident and their current indication.
/// Borrows the check-ins and bells, so a caseload query can keep them in
/// its own vectors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignalInput<'a> {
    /// Today's date where the professional works (local date).
    pub today: NaiveDate,
    /// The current instant; bells are timed against it.
    pub now: DateTime<Utc>,
    /// The current indication's intensity level.
    pub level: IntensityLevel,
    /// First day of the current indication.
    pub start: NaiveDate,
    /// Last day of the current indication, if it has one.
    pub end: Option<NaiveDate>,
    /// When individual or intensive support is planned to scale down;
    /// ignored for other levels.
    pub planned_scale_down: Option<NaiveDate>,
    /// The agreed contact rhythm in days; `None` (or 0) uses the level's default.
    pub contact_rhythm_days: Option<u32>,
    /// Day of the most recent contact of any kind, also before this indication started.
    pub last_contact: Option<NaiveDate>,
    /// The most recent check-ins, **oldest first, newest last**. At least
    /// [`Thresholds::wellbeing_window`] of them (at most 5 are ever looked
    /// at for the trend); more is harmless.
    pub check_ins: &'a [CheckIn],
    /// The resident's unresolved bells, in any order.
    pub bells: &'a [BellRing],
    /// A scale request for this indication awaits the municipality's
    /// decision; "scale-down moment reached" is then not repeated.
    pub scale_request_pending: bool,
}

impl<'a> SignalInput<'a> {
    /// An input with only the required facts; everything else empty.
    pub const fn new(
        today: NaiveDate,
        now: DateTime<Utc>,
        level: IntensityLevel,
        start: NaiveDate,
    ) -> Self {
        Self {
            today,
            now,
            level,
            start,
            end: None,
            planned_scale_down: None,
            contact_rhythm_days: None,
            last_contact: None,
            check_ins: &[],
            bells: &[],
            scale_request_pending: false,
        }
    }
}

// ---------------------------------------------------------------------------
// Signals
// ---------------------------------------------------------------------------

/// The last few wellbeing scores (1–5), oldest first; at most five.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct WellbeingTrend {
    scores: [u8; WINDOW_MAX as usize],
    len: u8,
}

impl WellbeingTrend {
    fn from_check_ins(check_ins: &[CheckIn]) -> Self {
        let mut trend = Self {
            scores: [0; WINDOW_MAX as usize],
            len: 0,
        };
        for (slot, check_in) in trend.scores.iter_mut().zip(check_ins) {
            *slot = check_in.wellbeing.value();
            trend.len += 1;
        }
        trend
    }

    /// The scores, oldest first.
    pub fn scores(&self) -> &[u8] {
        self.scores.get(..usize::from(self.len)).unwrap_or(&[])
    }

    /// The newest score.
    pub fn latest(&self) -> u8 {
        self.scores().last().copied().unwrap_or(Wellbeing::MAX)
    }

    /// The scores joined by arrows: `4 → 3 → 2`.
    pub fn arrows(&self) -> String {
        let mut out = String::with_capacity(self.scores().len() * 6);
        for (i, score) in self.scores().iter().enumerate() {
            if i > 0 {
                out.push_str(" → ");
            }
            let _ = write!(out, "{score}");
        }
        out
    }
}

/// The numbers behind a signal; the variant decides the [`SignalKind`].
/// Day and hour counts are never negative: bad data (a contact or check-in
/// after today, a bell rung in the future) counts as 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignalFacts {
    BellOpen {
        /// Open bells counted (at least 1).
        open: u32,
        /// Whole hours since the oldest open bell was rung.
        hours_ago: u32,
    },
    WellbeingDeclining {
        trend: WellbeingTrend,
    },
    NoContactYet {
        /// Days since the indication started.
        days_since_start: u32,
        rhythm: Rhythm,
    },
    ContactOverdue {
        /// Days since the last contact.
        days_ago: u32,
        rhythm: Rhythm,
    },
    CheckInMissed {
        /// Days since the last check-in, or since the start if there was
        /// none during this indication.
        days_ago: u32,
        /// No check-in since the indication started.
        since_start: bool,
        expected_days: u32,
    },
    IndicationEnding {
        /// Days until the last day (0: it ends today).
        days_left: u32,
        /// The warning window it fell in ([`Thresholds::indication_ending_days`]).
        window_days: u32,
    },
    ScaleDownDue {
        /// The level to scale down from (individual or intensive).
        level: IntensityLevel,
        /// Days since the planned moment (0: it is today).
        days_ago: u32,
    },
}

const BELL_BASE: u32 = 100_000;
const WELLBEING_BASE: u32 = 5_000;
const CONTACT_BASE: u32 = 4_000;
const CHECK_IN_BASE: u32 = 3_000;
const ENDING_BASE: u32 = 2_000;
const SCALE_DOWN_BASE: u32 = 1_000;
/// Within a band, a signal's weight grows by at most this much.
const BAND_GROWTH: u32 = 999;

impl SignalFacts {
    pub const fn kind(&self) -> SignalKind {
        match self {
            Self::BellOpen { .. } => SignalKind::BellOpen,
            Self::WellbeingDeclining { .. } => SignalKind::WellbeingDeclining,
            Self::NoContactYet { .. } => SignalKind::NoContactYet,
            Self::ContactOverdue { .. } => SignalKind::ContactOverdue,
            Self::CheckInMissed { .. } => SignalKind::CheckInMissed,
            Self::IndicationEnding { .. } => SignalKind::IndicationEnding,
            Self::ScaleDownDue { .. } => SignalKind::ScaleDownDue,
        }
    }

    /// The weight (see the module documentation for the bands).
    fn weight(&self) -> u32 {
        let per_day = |days: u32, factor: u32| days.saturating_mul(factor).min(BAND_GROWTH);
        match *self {
            Self::BellOpen { open, hours_ago } => BELL_BASE
                .saturating_add(hours_ago.min(24 * 365))
                .saturating_add(open.saturating_sub(1).min(9) * 1_000),
            Self::WellbeingDeclining { trend } => {
                let latest = u32::from(trend.latest());
                let first = trend.scores().first().map_or(latest, |s| u32::from(*s));
                let below_top = u32::from(Wellbeing::MAX).saturating_sub(latest);
                let dropped = first.saturating_sub(latest);
                WELLBEING_BASE + (below_top * 100 + dropped * 50).min(BAND_GROWTH)
            }
            Self::NoContactYet {
                days_since_start: days,
                rhythm,
            }
            | Self::ContactOverdue {
                days_ago: days,
                rhythm,
            } => CONTACT_BASE + per_day(days.saturating_sub(rhythm.days), 10),
            Self::CheckInMissed {
                days_ago,
                expected_days,
                ..
            } => CHECK_IN_BASE + per_day(days_ago.saturating_sub(expected_days), 10),
            Self::IndicationEnding {
                days_left,
                window_days,
            } => {
                let growth = if window_days == 0 {
                    u64::from(BAND_GROWTH)
                } else {
                    let nearer = u64::from(window_days.saturating_sub(days_left));
                    nearer * u64::from(BAND_GROWTH) / u64::from(window_days)
                };
                ENDING_BASE
                    + u32::try_from(growth)
                        .unwrap_or(BAND_GROWTH)
                        .min(BAND_GROWTH)
            }
            Self::ScaleDownDue { days_ago, .. } => SCALE_DOWN_BASE + per_day(days_ago, 1),
        }
    }
}

/// One reason why a resident needs attention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Signal {
    kind: SignalKind,
    weight: u32,
    facts: SignalFacts,
}

impl Signal {
    /// A signal from its facts; kind and weight follow from them.
    pub fn new(facts: SignalFacts) -> Self {
        Self {
            kind: facts.kind(),
            weight: facts.weight(),
            facts,
        }
    }

    pub const fn kind(&self) -> SignalKind {
        self.kind
    }

    /// How much this signal adds to the resident's score.
    pub const fn weight(&self) -> u32 {
        self.weight
    }

    pub const fn facts(&self) -> &SignalFacts {
        &self.facts
    }

    /// Arguments for the Fluent message [`SignalKind::fluent_key`]. Numbers are
    /// decimal strings; pass them to Fluent as numbers
    /// (`FluentValue::try_number`) so plural variants such as `[1]` match.
    ///
    /// | kind | arguments |
    /// |---|---|
    /// | `bell_open` | `count`, `days`, `hours` (age of the oldest open bell) |
    /// | `wellbeing_declining` | `values` ("4 → 3 → 2"), `count`, `latest` |
    /// | `no_contact_yet` | `days` (since the start), `rhythm`, `rhythm_source` (`agreed`/`default`) |
    /// | `contact_overdue` | `days`, `rhythm`, `rhythm_source`, `days_over` |
    /// | `check_in_missed` | `days`, `expected`, `since` (`check_in`/`start`) |
    /// | `indication_ending` | `days` (left; 0 = today) |
    /// | `scale_down_due` | `days` (since the moment), `level` (`individual`/`intensive`) |
    pub fn args(&self) -> Vec<(&'static str, String)> {
        let source = |rhythm: Rhythm| if rhythm.agreed { "agreed" } else { "default" };
        match self.facts {
            SignalFacts::BellOpen { open, hours_ago } => vec![
                ("count", open.to_string()),
                ("days", (hours_ago / 24).to_string()),
                ("hours", hours_ago.to_string()),
            ],
            SignalFacts::WellbeingDeclining { trend } => vec![
                ("values", trend.arrows()),
                ("count", trend.scores().len().to_string()),
                ("latest", trend.latest().to_string()),
            ],
            SignalFacts::NoContactYet {
                days_since_start,
                rhythm,
            } => vec![
                ("days", days_since_start.to_string()),
                ("rhythm", rhythm.days.to_string()),
                ("rhythm_source", source(rhythm).to_owned()),
            ],
            SignalFacts::ContactOverdue { days_ago, rhythm } => vec![
                ("days", days_ago.to_string()),
                ("rhythm", rhythm.days.to_string()),
                ("rhythm_source", source(rhythm).to_owned()),
                (
                    "days_over",
                    days_ago.saturating_sub(rhythm.days).to_string(),
                ),
            ],
            SignalFacts::CheckInMissed {
                days_ago,
                since_start,
                expected_days,
            } => vec![
                ("days", days_ago.to_string()),
                ("expected", expected_days.to_string()),
                (
                    "since",
                    if since_start { "start" } else { "check_in" }.to_owned(),
                ),
            ],
            SignalFacts::IndicationEnding { days_left, .. } => {
                vec![("days", days_left.to_string())]
            }
            SignalFacts::ScaleDownDue { level, days_ago } => vec![
                ("days", days_ago.to_string()),
                ("level", level.as_str().to_owned()),
            ],
        }
    }

    /// The reason in plain Dutch, e.g. "Laatste contact 41 dagen geleden,
    /// afgesproken: elke 28 dagen". The same texts as the Dutch Fluent file.
    pub fn dutch(&self) -> String {
        match self.facts {
            SignalFacts::BellOpen { open, hours_ago } => {
                let age = dutch_age(hours_ago);
                if open <= 1 {
                    format!("Belde om hulp {age}, nog niet opgepakt")
                } else {
                    format!("Belde {open} keer om hulp, de eerste keer {age}, nog niet opgepakt")
                }
            }
            SignalFacts::WellbeingDeclining { trend } => format!(
                "Welbevinden daalt: {} in de laatste {} check-ins",
                trend.arrows(),
                dutch_count(trend.scores().len())
            ),
            SignalFacts::NoContactYet {
                days_since_start,
                rhythm,
            } => format!(
                "Nog geen contact sinds de start {} geleden, {}",
                dutch_days(days_since_start),
                dutch_rhythm(rhythm)
            ),
            SignalFacts::ContactOverdue { days_ago, rhythm } => format!(
                "Laatste contact {} geleden, {}",
                dutch_days(days_ago),
                dutch_rhythm(rhythm)
            ),
            SignalFacts::CheckInMissed { .. } => "Check-in gemist".to_owned(),
            SignalFacts::IndicationEnding { days_left, .. } => match days_left {
                0 => "Indicatie loopt vandaag af".to_owned(),
                1 => "Indicatie loopt morgen af".to_owned(),
                days => format!("Indicatie loopt af over {days} dagen"),
            },
            SignalFacts::ScaleDownDue { level, .. } => format!(
                "Afschaalmoment bereikt: bespreek afschalen naar {}",
                match level {
                    IntensityLevel::Intensive => "individuele begeleiding",
                    _ => "waakvlam",
                }
            ),
        }
    }

    /// Most urgent first: higher weight, then the more urgent kind.
    fn urgency(&self, other: &Self) -> Ordering {
        other
            .weight
            .cmp(&self.weight)
            .then(self.kind.cmp(&other.kind))
    }
}

fn dutch_days(days: u32) -> String {
    if days == 1 {
        "1 dag".to_owned()
    } else {
        format!("{days} dagen")
    }
}

fn dutch_age(hours: u32) -> String {
    match (hours / 24, hours) {
        (0, 0) => "minder dan een uur geleden".to_owned(),
        (0, hours) => format!("{hours} uur geleden"),
        (days, _) => format!("{} geleden", dutch_days(days)),
    }
}

fn dutch_rhythm(rhythm: Rhythm) -> String {
    let source = if rhythm.agreed {
        "afgesproken"
    } else {
        "standaard"
    };
    if rhythm.days == 1 {
        format!("{source}: elke dag")
    } else {
        format!("{source}: elke {} dagen", rhythm.days)
    }
}

fn dutch_count(count: usize) -> String {
    match count {
        2 => "twee".to_owned(),
        3 => "drie".to_owned(),
        4 => "vier".to_owned(),
        5 => "vijf".to_owned(),
        other => other.to_string(),
    }
}

// ---------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------

/// Whole days from `from` to `to`; 0 when `to` is not after `from`.
fn days_between(from: NaiveDate, to: NaiveDate) -> u32 {
    let days = to.signed_duration_since(from).num_days().max(0);
    u32::try_from(days).unwrap_or(u32::MAX)
}

/// Whole hours from `from` to `to`; 0 when `to` is not after `from`.
fn hours_between(from: DateTime<Utc>, to: DateTime<Utc>) -> u32 {
    let hours = to.signed_duration_since(from).num_hours().max(0);
    u32::try_from(hours).unwrap_or(u32::MAX)
}

fn bell_open(input: &SignalInput<'_>, t: &Thresholds) -> Option<SignalFacts> {
    let mut open = 0u32;
    let mut oldest: Option<u32> = None;
    for bell in input.bells {
        if bell.acknowledged_at.is_some() {
            continue;
        }
        let hours = hours_between(bell.rung_at, input.now);
        if hours < t.bell_grace_hours {
            continue;
        }
        open = open.saturating_add(1);
        oldest = Some(oldest.map_or(hours, |h| h.max(hours)));
    }
    oldest.map(|hours_ago| SignalFacts::BellOpen { open, hours_ago })
}

/// Strictly declining over a full window, or the newest score dropped to
/// the low level (from a higher one) — the latter needs only two check-ins.
fn wellbeing_declining(input: &SignalInput<'_>, t: &Thresholds) -> Option<SignalFacts> {
    let window = usize::from(t.effective_wellbeing_window());
    let low = t.wellbeing_low.clamp(Wellbeing::MIN, Wellbeing::MAX);
    let from = input.check_ins.len().saturating_sub(window);
    let recent = input.check_ins.get(from..).unwrap_or(&[]);
    let [.., previous, latest] = recent else {
        return None;
    };
    let strictly = recent.len() == window
        && recent
            .windows(2)
            .all(|pair| matches!(pair, [a, b] if b.wellbeing < a.wellbeing));
    let dropped_low = latest.wellbeing.value() <= low && latest.wellbeing < previous.wellbeing;
    (strictly || dropped_low).then(|| SignalFacts::WellbeingDeclining {
        trend: WellbeingTrend::from_check_ins(recent),
    })
}

/// Measured from the last contact, also one before this indication started
/// (time without contact is what matters); with no contact at all, from the
/// indication's start.
fn contact(input: &SignalInput<'_>, t: &Thresholds) -> Option<SignalFacts> {
    let rhythm = t.rhythm(input.level, input.contact_rhythm_days)?;
    let limit = rhythm.days.saturating_add(t.contact_grace_days);
    match input.last_contact {
        Some(last) => {
            let days_ago = days_between(last, input.today);
            (days_ago > limit).then_some(SignalFacts::ContactOverdue { days_ago, rhythm })
        }
        None => {
            let days_since_start = days_between(input.start, input.today);
            (days_since_start > limit).then_some(SignalFacts::NoContactYet {
                days_since_start,
                rhythm,
            })
        }
    }
}

/// Waakvlam only. Check-ins are expected from the start of the waakvlam, so
/// an old check-in from before it (or none) counts from the start.
fn check_in_missed(input: &SignalInput<'_>, t: &Thresholds) -> Option<SignalFacts> {
    let expected_days = t.check_in_expected_days;
    if input.level != IntensityLevel::Waakvlam || expected_days == 0 {
        return None;
    }
    let latest = input.check_ins.iter().map(|c| c.on).max();
    let (reference, since_start) = match latest {
        Some(latest) if latest >= input.start => (latest, false),
        _ => (input.start, true),
    };
    let days_ago = days_between(reference, input.today);
    (days_ago > expected_days).then_some(SignalFacts::CheckInMissed {
        days_ago,
        since_start,
        expected_days,
    })
}

/// Only while the indication still runs: an end before today is not "ending".
fn indication_ending(input: &SignalInput<'_>, t: &Thresholds) -> Option<SignalFacts> {
    let end = input.end.filter(|end| *end >= input.today)?;
    let days_left = days_between(input.today, end);
    (days_left <= t.indication_ending_days).then_some(SignalFacts::IndicationEnding {
        days_left,
        window_days: t.indication_ending_days,
    })
}

fn scale_down_due(input: &SignalInput<'_>) -> Option<SignalFacts> {
    if !input.level.requires_scale_down_moment() || input.scale_request_pending {
        return None;
    }
    let planned = input
        .planned_scale_down
        .filter(|planned| *planned <= input.today)?;
    Some(SignalFacts::ScaleDownDue {
        level: input.level,
        days_ago: days_between(planned, input.today),
    })
}

/// The signals for one resident, most urgent first (by weight, then kind).
/// Each kind appears at most once. Allocates only the returned vector.
#[must_use]
pub fn evaluate(input: &SignalInput<'_>, thresholds: &Thresholds) -> Vec<Signal> {
    let found = [
        bell_open(input, thresholds),
        wellbeing_declining(input, thresholds),
        contact(input, thresholds),
        check_in_missed(input, thresholds),
        indication_ending(input, thresholds),
        scale_down_due(input),
    ];
    let mut signals: Vec<Signal> = found.into_iter().flatten().map(Signal::new).collect();
    signals.sort_unstable_by(Signal::urgency);
    signals
}

// ---------------------------------------------------------------------------
// Ranking
// ---------------------------------------------------------------------------

/// How much attention a resident needs: the sum of the signals' weights
/// (0 without signals) and the signals themselves, most urgent first.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Attention {
    pub score: u32,
    pub signals: Vec<Signal>,
}

impl Attention {
    /// Evaluates one resident.
    #[must_use]
    pub fn of(input: &SignalInput<'_>, thresholds: &Thresholds) -> Self {
        let signals = evaluate(input, thresholds);
        let score = signals
            .iter()
            .map(Signal::weight)
            .fold(0u32, u32::saturating_add);
        Self { score, signals }
    }

    /// The most urgent signal.
    pub fn top(&self) -> Option<&Signal> {
        self.signals.first()
    }

    /// Whether a signal of this kind is present.
    pub fn has(&self, kind: SignalKind) -> bool {
        self.signals.iter().any(|s| s.kind == kind)
    }

    /// Whether nothing needs attention.
    pub fn is_quiet(&self) -> bool {
        self.signals.is_empty()
    }

    /// Higher score first, then the heavier most urgent signal, then its kind:
    /// the caseload order. Public so callers that evaluate residents with
    /// different thresholds (per municipality) can sort the same way.
    pub fn priority(&self, other: &Self) -> Ordering {
        other
            .score
            .cmp(&self.score)
            .then_with(|| match (self.top(), other.top()) {
                (Some(a), Some(b)) => a.urgency(b),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            })
    }
}

/// Ranks a caseload: each resident's [`Attention`], highest score first, ties
/// broken by the most urgent signal and then by input order (the sort is
/// stable, so pass the residents sorted by name). `K` identifies a resident
/// (an id, or the caseload row itself).
#[must_use]
pub fn rank<'a, K>(
    residents: impl IntoIterator<Item = (K, SignalInput<'a>)>,
    thresholds: &Thresholds,
) -> Vec<(K, Attention)> {
    let mut ranked: Vec<(K, Attention)> = residents
        .into_iter()
        .map(|(key, input)| (key, Attention::of(&input, thresholds)))
        .collect();
    ranked.sort_by(|(_, a), (_, b)| a.priority(b));
    ranked
}

/// How many residents have each kind of signal, in [`SignalKind::ALL`] order
/// (for filter buttons: "Check-in gemist (4)").
pub fn count_by_kind<'a>(
    attentions: impl IntoIterator<Item = &'a Attention>,
) -> [(SignalKind, usize); SignalKind::ALL.len()] {
    let mut counts = SignalKind::ALL.map(|kind| (kind, 0usize));
    for attention in attentions {
        for signal in &attention.signals {
            if let Some((_, count)) = counts.iter_mut().find(|(kind, _)| *kind == signal.kind) {
                *count += 1;
            }
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, NaiveTime, TimeDelta};
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn today() -> NaiveDate {
        d(2025, 6, 15)
    }

    /// 12:00 UTC today.
    fn noon() -> DateTime<Utc> {
        today()
            .and_time(NaiveTime::from_hms_opt(12, 0, 0).unwrap())
            .and_utc()
    }

    fn days_ago(days: i64) -> NaiveDate {
        today() - TimeDelta::days(days)
    }

    fn hours_ago(hours: i64) -> DateTime<Utc> {
        noon() - TimeDelta::hours(hours)
    }

    fn wb(score: u8) -> Wellbeing {
        Wellbeing::new(score).unwrap()
    }

    fn check_ins(scores: &[(i64, u8)]) -> Vec<CheckIn> {
        scores
            .iter()
            .map(|&(ago, score)| CheckIn {
                on: days_ago(ago),
                wellbeing: wb(score),
            })
            .collect()
    }

    fn open_bell(hours: i64) -> BellRing {
        BellRing {
            rung_at: hours_ago(hours),
            acknowledged_at: None,
        }
    }

    /// A quiet waakvlam: started 100 days ago, contact and check-in yesterday,
    /// ending in a year.
    fn quiet<'a>(check_ins: &'a [CheckIn]) -> SignalInput<'a> {
        SignalInput {
            end: Some(days_ago(-300)),
            last_contact: Some(days_ago(1)),
            check_ins,
            ..SignalInput::new(today(), noon(), IntensityLevel::Waakvlam, days_ago(100))
        }
    }

    fn quiet_check_ins() -> Vec<CheckIn> {
        check_ins(&[(1, 4)])
    }

    fn sentences(input: &SignalInput<'_>) -> Vec<String> {
        evaluate(input, &Thresholds::default())
            .iter()
            .map(Signal::dutch)
            .collect()
    }

    fn kinds(input: &SignalInput<'_>, thresholds: &Thresholds) -> Vec<SignalKind> {
        evaluate(input, thresholds)
            .iter()
            .map(Signal::kind)
            .collect()
    }

    #[test]
    fn kinds_have_stable_names_and_keys() {
        let names: Vec<&str> = SignalKind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(
            names,
            [
                "bell_open",
                "wellbeing_declining",
                "no_contact_yet",
                "contact_overdue",
                "check_in_missed",
                "indication_ending",
                "scale_down_due"
            ]
        );
        for kind in SignalKind::ALL {
            assert_eq!(SignalKind::parse(kind.as_str()), Ok(kind));
            assert_eq!(kind.fluent_key(), format!("signal-{}", kind.as_str()));
            assert_eq!(kind.label_key(), format!("signal-kind-{}", kind.as_str()));
            assert!(!kind.dutch_label().is_empty());
        }
        assert_eq!(
            serde_json::to_string(&SignalKind::CheckInMissed).unwrap(),
            "\"check_in_missed\""
        );
    }

    #[test]
    fn a_quiet_resident_has_no_signals() {
        let c = quiet_check_ins();
        let attention = Attention::of(&quiet(&c), &Thresholds::default());
        assert_eq!(attention, Attention::default());
        assert_eq!(attention.score, 0);
        assert!(attention.is_quiet());
        assert_eq!(attention.top(), None);
    }

    // --- bell ---------------------------------------------------------------

    #[test]
    fn an_open_bell() {
        let c = quiet_check_ins();
        let bells = [open_bell(50)];
        let input = SignalInput {
            bells: &bells,
            ..quiet(&c)
        };
        assert_eq!(
            sentences(&input),
            ["Belde om hulp 2 dagen geleden, nog niet opgepakt"]
        );
        let signal = evaluate(&input, &Thresholds::default())[0];
        assert_eq!(
            signal.args(),
            [
                ("count", "1".to_owned()),
                ("days", "2".to_owned()),
                ("hours", "50".to_owned())
            ]
        );
    }

    #[test]
    fn bell_ages_in_plain_words() {
        let c = quiet_check_ins();
        for (hours, text) in [
            (
                0,
                "Belde om hulp minder dan een uur geleden, nog niet opgepakt",
            ),
            (1, "Belde om hulp 1 uur geleden, nog niet opgepakt"),
            (23, "Belde om hulp 23 uur geleden, nog niet opgepakt"),
            (24, "Belde om hulp 1 dag geleden, nog niet opgepakt"),
            (47, "Belde om hulp 1 dag geleden, nog niet opgepakt"),
            (24 * 9, "Belde om hulp 9 dagen geleden, nog niet opgepakt"),
        ] {
            let bells = [open_bell(hours)];
            let input = SignalInput {
                bells: &bells,
                ..quiet(&c)
            };
            assert_eq!(sentences(&input), [text], "{hours} hours");
        }
    }

    #[test]
    fn several_open_bells_are_one_signal() {
        let c = quiet_check_ins();
        let bells = [open_bell(3), open_bell(50), open_bell(10)];
        let input = SignalInput {
            bells: &bells,
            ..quiet(&c)
        };
        assert_eq!(
            sentences(&input),
            ["Belde 3 keer om hulp, de eerste keer 2 dagen geleden, nog niet opgepakt"]
        );
        let one = Attention::of(
            &SignalInput {
                bells: &bells[1..2],
                ..quiet(&c)
            },
            &Thresholds::default(),
        );
        assert!(Attention::of(&input, &Thresholds::default()).score > one.score);
    }

    #[test]
    fn acknowledged_bells_are_not_open() {
        let c = quiet_check_ins();
        let bells = [BellRing {
            rung_at: hours_ago(50),
            acknowledged_at: Some(hours_ago(49)),
        }];
        let input = SignalInput {
            bells: &bells,
            ..quiet(&c)
        };
        assert!(sentences(&input).is_empty());
    }

    #[test]
    fn bell_rung_in_the_future_counts_as_just_now() {
        let c = quiet_check_ins();
        let bells = [open_bell(-5)];
        let input = SignalInput {
            bells: &bells,
            ..quiet(&c)
        };
        assert_eq!(
            sentences(&input),
            ["Belde om hulp minder dan een uur geleden, nog niet opgepakt"]
        );
    }

    #[test]
    fn bell_grace_hours() {
        let c = quiet_check_ins();
        let bells = [open_bell(3)];
        let input = SignalInput {
            bells: &bells,
            ..quiet(&c)
        };
        let lenient = Thresholds {
            bell_grace_hours: 4,
            ..Thresholds::default()
        };
        assert!(kinds(&input, &lenient).is_empty());
        let bells = [open_bell(4)];
        let input = SignalInput {
            bells: &bells,
            ..quiet(&c)
        };
        assert_eq!(kinds(&input, &lenient), [SignalKind::BellOpen]);
    }

    #[test]
    fn bell_weight_grows_with_age() {
        let c = quiet_check_ins();
        let weight = |hours| {
            let bells = [open_bell(hours)];
            let input = SignalInput {
                bells: &bells,
                ..quiet(&c)
            };
            Attention::of(&input, &Thresholds::default()).score
        };
        assert!(weight(1) < weight(5));
        assert!(weight(5) < weight(72));
    }

    // --- wellbeing ------------------------------------------------------------

    #[test]
    fn wellbeing_declining() {
        let c = check_ins(&[(30, 4), (15, 3), (1, 2)]);
        assert_eq!(
            sentences(&quiet(&c)),
            ["Welbevinden daalt: 4 → 3 → 2 in de laatste drie check-ins"]
        );
        let signal = evaluate(&quiet(&c), &Thresholds::default())[0];
        assert_eq!(
            signal.args(),
            [
                ("values", "4 → 3 → 2".to_owned()),
                ("count", "3".to_owned()),
                ("latest", "2".to_owned())
            ]
        );
    }

    #[test]
    fn wellbeing_looks_at_the_newest_window_only() {
        // 5 → 4 → 3 declines; 4 → 4 → 3 does not.
        let c = check_ins(&[(40, 2), (30, 5), (15, 4), (1, 3)]);
        assert_eq!(
            sentences(&quiet(&c)),
            ["Welbevinden daalt: 5 → 4 → 3 in de laatste drie check-ins"]
        );
        let c = check_ins(&[(40, 5), (30, 4), (15, 4), (1, 3)]);
        assert!(sentences(&quiet(&c)).is_empty());
    }

    #[test]
    fn wellbeing_dropping_low() {
        // Not strictly declining, but it dropped to 2.
        let c = check_ins(&[(30, 4), (15, 4), (1, 2)]);
        assert_eq!(
            sentences(&quiet(&c)),
            ["Welbevinden daalt: 4 → 4 → 2 in de laatste drie check-ins"]
        );
        // Two check-ins are enough for a drop to a low level.
        let c = check_ins(&[(15, 4), (1, 1)]);
        assert_eq!(
            sentences(&quiet(&c)),
            ["Welbevinden daalt: 4 → 1 in de laatste twee check-ins"]
        );
        // Staying low is not dropping; one check-in is no trend.
        for scores in [
            &[(15, 2), (1, 2)][..],
            &[(1, 1)],
            &[(30, 3), (15, 3), (1, 3)],
        ] {
            assert!(
                sentences(&quiet(&check_ins(scores))).is_empty(),
                "{scores:?}"
            );
        }
        // Two declining check-ins are not yet a trend when not low.
        let c = check_ins(&[(15, 5), (1, 3)]);
        assert!(sentences(&quiet(&c)).is_empty());
    }

    #[test]
    fn wellbeing_window_is_configurable() {
        let c = check_ins(&[(45, 5), (30, 4), (15, 3), (1, 2)]);
        let four = Thresholds {
            wellbeing_window: 4,
            ..Thresholds::default()
        };
        let texts: Vec<String> = evaluate(&quiet(&c), &four)
            .iter()
            .map(Signal::dutch)
            .collect();
        assert_eq!(
            texts,
            ["Welbevinden daalt: 5 → 4 → 3 → 2 in de laatste vier check-ins"]
        );
        let wide = Thresholds {
            wellbeing_window: 200,
            ..Thresholds::default()
        };
        assert_eq!(wide.effective_wellbeing_window(), 5);
        // Only four check-ins: no full window of five, but it dropped to 2.
        assert_eq!(kinds(&quiet(&c), &wide), [SignalKind::WellbeingDeclining]);
        let c = check_ins(&[(15, 4), (1, 3)]);
        let narrow = Thresholds {
            wellbeing_window: 0,
            ..Thresholds::default()
        };
        assert_eq!(kinds(&quiet(&c), &narrow), [SignalKind::WellbeingDeclining]);
    }

    // --- contact --------------------------------------------------------------

    #[test]
    fn contact_overdue() {
        let c = quiet_check_ins();
        let input = SignalInput {
            last_contact: Some(days_ago(41)),
            contact_rhythm_days: Some(28),
            ..quiet(&c)
        };
        assert_eq!(
            sentences(&input),
            ["Laatste contact 41 dagen geleden, afgesproken: elke 28 dagen"]
        );
        assert_eq!(
            evaluate(&input, &Thresholds::default())[0].args(),
            [
                ("days", "41".to_owned()),
                ("rhythm", "28".to_owned()),
                ("rhythm_source", "agreed".to_owned()),
                ("days_over", "13".to_owned())
            ]
        );
        // Without an agreement the level's default applies, and says so.
        let input = SignalInput {
            contact_rhythm_days: None,
            ..input
        };
        assert_eq!(
            sentences(&input),
            ["Laatste contact 41 dagen geleden, standaard: elke 28 dagen"]
        );
    }

    #[test]
    fn contact_grace() {
        let c = quiet_check_ins();
        let at = |days| SignalInput {
            last_contact: Some(days_ago(days)),
            contact_rhythm_days: Some(28),
            ..quiet(&c)
        };
        let t = Thresholds::default();
        assert!(kinds(&at(31), &t).is_empty());
        assert_eq!(kinds(&at(32), &t), [SignalKind::ContactOverdue]);
        let strict = Thresholds {
            contact_grace_days: 0,
            ..t
        };
        assert!(kinds(&at(28), &strict).is_empty());
        assert_eq!(kinds(&at(29), &strict), [SignalKind::ContactOverdue]);
    }

    #[test]
    fn contact_today_or_in_the_future_is_not_overdue() {
        let c = quiet_check_ins();
        for ago in [0, -1, -400] {
            let input = SignalInput {
                last_contact: Some(days_ago(ago)),
                contact_rhythm_days: Some(1),
                ..quiet(&c)
            };
            assert!(sentences(&input).is_empty(), "{ago}");
        }
    }

    #[test]
    fn default_rhythm_per_level() {
        let t = Thresholds::default();
        let c = quiet_check_ins();
        let input = |level, contact_days| SignalInput {
            level,
            last_contact: Some(days_ago(contact_days)),
            planned_scale_down: Some(days_ago(-100)),
            ..quiet(&c)
        };
        assert!(kinds(&input(IntensityLevel::Individual, 10), &t).is_empty());
        assert_eq!(
            sentences(&input(IntensityLevel::Individual, 11)),
            ["Laatste contact 11 dagen geleden, standaard: elke 7 dagen"]
        );
        assert_eq!(
            kinds(&input(IntensityLevel::Intensive, 11), &t),
            [SignalKind::ContactOverdue]
        );
        // Products outside the pathway: only an agreed rhythm counts.
        assert!(kinds(&input(IntensityLevel::Other, 500), &t).is_empty());
        let agreed = SignalInput {
            contact_rhythm_days: Some(14),
            ..input(IntensityLevel::Other, 18)
        };
        assert_eq!(kinds(&agreed, &t), [SignalKind::ContactOverdue]);
        // A stored 0 is no agreement.
        let zero = SignalInput {
            contact_rhythm_days: Some(0),
            ..input(IntensityLevel::Waakvlam, 20)
        };
        assert!(kinds(&zero, &t).is_empty());
        // A level's default can be switched off.
        let off = Thresholds {
            waakvlam_rhythm_days: 0,
            ..t
        };
        assert!(kinds(&input(IntensityLevel::Waakvlam, 500), &off).is_empty());
    }

    #[test]
    fn rhythm_of_one_day() {
        let c = quiet_check_ins();
        let input = SignalInput {
            last_contact: Some(days_ago(5)),
            contact_rhythm_days: Some(1),
            ..quiet(&c)
        };
        assert_eq!(
            sentences(&input),
            ["Laatste contact 5 dagen geleden, afgesproken: elke dag"]
        );
    }

    #[test]
    fn no_contact_yet_counts_from_the_start() {
        let c = quiet_check_ins();
        let since = |start_days| SignalInput {
            start: days_ago(start_days),
            last_contact: None,
            contact_rhythm_days: Some(28),
            ..quiet(&c)
        };
        assert!(sentences(&since(31)).is_empty());
        assert_eq!(
            sentences(&since(33)),
            ["Nog geen contact sinds de start 33 dagen geleden, afgesproken: elke 28 dagen"]
        );
        // Starting in the future (bad data) is not "no contact for -5 days".
        assert!(sentences(&since(-5)).is_empty());
    }

    #[test]
    fn contact_before_the_start_still_counts() {
        // Continuity across the pathway: a contact during the previous
        // indication is the last contact.
        let c = quiet_check_ins();
        let input = SignalInput {
            start: days_ago(10),
            last_contact: Some(days_ago(45)),
            ..quiet(&c)
        };
        assert_eq!(
            kinds(&input, &Thresholds::default()),
            [SignalKind::ContactOverdue]
        );
    }

    // --- check-ins ------------------------------------------------------------

    #[test]
    fn check_in_missed() {
        let late = check_ins(&[(36, 4)]);
        assert_eq!(sentences(&quiet(&late)), ["Check-in gemist"]);
        let signal = evaluate(&quiet(&late), &Thresholds::default())[0];
        assert_eq!(
            signal.args(),
            [
                ("days", "36".to_owned()),
                ("expected", "35".to_owned()),
                ("since", "check_in".to_owned())
            ]
        );
        let on_time = check_ins(&[(35, 4)]);
        assert!(sentences(&quiet(&on_time)).is_empty());
        // The newest date counts, even if the slice is out of order.
        let unordered = check_ins(&[(2, 4), (60, 4)]);
        assert!(sentences(&quiet(&unordered)).is_empty());
    }

    #[test]
    fn check_ins_count_from_the_waakvlam_start() {
        // None at all: from the start.
        let none = SignalInput {
            start: days_ago(40),
            ..quiet(&[])
        };
        assert_eq!(sentences(&none), ["Check-in gemist"]);
        assert_eq!(
            evaluate(&none, &Thresholds::default())[0].args()[2],
            ("since", "start".to_owned())
        );
        // An old one from before the waakvlam: also from the start.
        let old = check_ins(&[(200, 4)]);
        let fresh_start = SignalInput {
            start: days_ago(20),
            ..quiet(&old)
        };
        assert!(sentences(&fresh_start).is_empty());
    }

    #[test]
    fn check_ins_only_for_waakvlam_and_switchable() {
        let late = check_ins(&[(100, 4)]);
        let individual = SignalInput {
            level: IntensityLevel::Individual,
            planned_scale_down: Some(days_ago(-30)),
            ..quiet(&late)
        };
        assert!(sentences(&individual).is_empty());
        let off = Thresholds {
            check_in_expected_days: 0,
            ..Thresholds::default()
        };
        assert!(kinds(&quiet(&late), &off).is_empty());
    }

    #[test]
    fn check_in_in_the_future_is_not_missed() {
        let future = check_ins(&[(-3, 2)]);
        assert!(sentences(&quiet(&future)).is_empty());
    }

    // --- indication end -------------------------------------------------------

    #[test]
    fn indication_ending() {
        let c = quiet_check_ins();
        let ending = |days_left: i64| SignalInput {
            end: Some(days_ago(-days_left)),
            ..quiet(&c)
        };
        assert_eq!(sentences(&ending(23)), ["Indicatie loopt af over 23 dagen"]);
        assert_eq!(sentences(&ending(60)), ["Indicatie loopt af over 60 dagen"]);
        assert!(sentences(&ending(61)).is_empty());
        assert_eq!(sentences(&ending(1)), ["Indicatie loopt morgen af"]);
        assert_eq!(sentences(&ending(0)), ["Indicatie loopt vandaag af"]);
        // Ended already: not "ending in -3 days".
        assert!(sentences(&ending(-3)).is_empty());
        // Open-ended: nothing.
        let open = SignalInput {
            end: None,
            ..quiet(&c)
        };
        assert!(sentences(&open).is_empty());
        // The weight grows as the end nears.
        let weight = |days| Attention::of(&ending(days), &Thresholds::default()).score;
        assert!(weight(60) < weight(30));
        assert!(weight(30) < weight(0));
        let now = Thresholds {
            indication_ending_days: 0,
            ..Thresholds::default()
        };
        assert!(kinds(&ending(1), &now).is_empty());
        assert_eq!(kinds(&ending(0), &now), [SignalKind::IndicationEnding]);
    }

    // --- scale-down -------------------------------------------------------------

    #[test]
    fn scale_down_due() {
        let c = quiet_check_ins();
        let input = SignalInput {
            level: IntensityLevel::Individual,
            planned_scale_down: Some(days_ago(0)),
            ..quiet(&c)
        };
        assert_eq!(
            sentences(&input),
            ["Afschaalmoment bereikt: bespreek afschalen naar waakvlam"]
        );
        let intensive = SignalInput {
            level: IntensityLevel::Intensive,
            planned_scale_down: Some(days_ago(10)),
            ..input
        };
        assert_eq!(
            sentences(&intensive),
            ["Afschaalmoment bereikt: bespreek afschalen naar individuele begeleiding"]
        );
        assert_eq!(
            evaluate(&intensive, &Thresholds::default())[0].args(),
            [("days", "10".to_owned()), ("level", "intensive".to_owned())]
        );
        // Not yet, already requested, or not a level that scales down.
        let later = SignalInput {
            planned_scale_down: Some(days_ago(-1)),
            ..input
        };
        assert!(sentences(&later).is_empty());
        let pending = SignalInput {
            scale_request_pending: true,
            ..input
        };
        assert!(sentences(&pending).is_empty());
        for level in [IntensityLevel::Waakvlam, IntensityLevel::Other] {
            let other = SignalInput { level, ..input };
            assert!(sentences(&other).is_empty(), "{level}");
        }
    }

    // --- combined ---------------------------------------------------------------

    #[test]
    fn signals_are_ordered_by_urgency() {
        let c = check_ins(&[(90, 4), (70, 3), (50, 2)]);
        let bells = [open_bell(2)];
        let input = SignalInput {
            level: IntensityLevel::Individual,
            start: days_ago(300),
            end: Some(days_ago(-59)),
            planned_scale_down: Some(days_ago(400)),
            last_contact: Some(days_ago(400)),
            check_ins: &c,
            bells: &bells,
            ..SignalInput::new(today(), noon(), IntensityLevel::Individual, today())
        };
        assert_eq!(
            kinds(&input, &Thresholds::default()),
            [
                SignalKind::BellOpen,
                SignalKind::WellbeingDeclining,
                SignalKind::ContactOverdue,
                SignalKind::IndicationEnding,
                SignalKind::ScaleDownDue,
            ]
        );
        let attention = Attention::of(&input, &Thresholds::default());
        assert_eq!(
            attention.score,
            attention.signals.iter().map(Signal::weight).sum::<u32>()
        );
        assert!(attention.has(SignalKind::ScaleDownDue));
        assert!(!attention.has(SignalKind::CheckInMissed));
        assert_eq!(
            attention.top().map(Signal::kind),
            Some(SignalKind::BellOpen)
        );

        // Waakvlam: check-in missed sits between contact and ending.
        let w = SignalInput {
            level: IntensityLevel::Waakvlam,
            bells: &[],
            ..input
        };
        assert_eq!(
            kinds(&w, &Thresholds::default()),
            [
                SignalKind::WellbeingDeclining,
                SignalKind::ContactOverdue,
                SignalKind::CheckInMissed,
                SignalKind::IndicationEnding,
            ]
        );
    }

    #[test]
    fn the_highest_weight_of_each_kind_stays_below_the_next_kind() {
        let extreme = [
            SignalFacts::WellbeingDeclining {
                trend: WellbeingTrend::from_check_ins(&check_ins(&[(3, 5), (2, 4), (1, 1)])),
            },
            SignalFacts::ContactOverdue {
                days_ago: u32::MAX,
                rhythm: Rhythm {
                    days: 1,
                    agreed: true,
                },
            },
            SignalFacts::CheckInMissed {
                days_ago: u32::MAX,
                since_start: false,
                expected_days: 1,
            },
            SignalFacts::IndicationEnding {
                days_left: 0,
                window_days: u32::MAX,
            },
            SignalFacts::ScaleDownDue {
                level: IntensityLevel::Individual,
                days_ago: u32::MAX,
            },
        ];
        let weights: Vec<u32> = extreme.iter().map(|f| Signal::new(*f).weight()).collect();
        assert_eq!(weights, [5_600, 4_999, 3_999, 2_999, 1_999]);
        assert!(weights.iter().sum::<u32>() < BELL_BASE);
    }

    #[test]
    fn rank_orders_by_score_then_urgency_then_input() {
        let quiet_c = quiet_check_ins();
        let bells = [open_bell(1)];
        let declining = check_ins(&[(30, 4), (15, 3), (1, 2)]);
        let residents = vec![
            ("Aalders", quiet(&quiet_c)),
            (
                "Bakker",
                SignalInput {
                    last_contact: Some(days_ago(60)),
                    ..quiet(&quiet_c)
                },
            ),
            (
                "Claes",
                SignalInput {
                    bells: &bells,
                    ..quiet(&quiet_c)
                },
            ),
            ("Dijkstra", quiet(&declining)),
            ("Evers", quiet(&quiet_c)),
            (
                "Fransen",
                SignalInput {
                    last_contact: Some(days_ago(60)),
                    ..quiet(&quiet_c)
                },
            ),
        ];
        let ranked = rank(residents, &Thresholds::default());
        let names: Vec<&str> = ranked.iter().map(|(name, _)| *name).collect();
        assert_eq!(
            names,
            ["Claes", "Dijkstra", "Bakker", "Fransen", "Aalders", "Evers"]
        );
        let counts = count_by_kind(ranked.iter().map(|(_, a)| a));
        assert_eq!(counts[0], (SignalKind::BellOpen, 1));
        assert_eq!(counts[3], (SignalKind::ContactOverdue, 2));
        assert_eq!(counts.iter().map(|(_, n)| n).sum::<usize>(), 4);
    }

    #[test]
    fn equal_scores_prefer_the_heavier_top_signal() {
        let a = Attention {
            score: 6_000,
            signals: vec![Signal::new(SignalFacts::ScaleDownDue {
                level: IntensityLevel::Individual,
                days_ago: 0,
            })],
        };
        let b = Attention {
            score: 6_000,
            signals: vec![Signal::new(SignalFacts::IndicationEnding {
                days_left: 60,
                window_days: 60,
            })],
        };
        assert_eq!(a.priority(&b), Ordering::Greater);
        assert_eq!(b.priority(&a), Ordering::Less);
        assert_eq!(a.priority(&Attention::default()), Ordering::Less);
    }

    // --- thresholds -------------------------------------------------------------

    #[test]
    fn thresholds_merge_in_layers() {
        let municipality: ThresholdOverrides =
            serde_json::from_str(r#"{"waakvlam_rhythm_days": 21, "indication_ending_days": 90}"#)
                .unwrap();
        let team: ThresholdOverrides =
            serde_json::from_str(r#"{"waakvlam_rhythm_days": 14}"#).unwrap();
        let t = Thresholds::default().merge(&municipality).merge(&team);
        assert_eq!(
            t,
            Thresholds {
                waakvlam_rhythm_days: 14,
                indication_ending_days: 90,
                ..Thresholds::default()
            }
        );
        assert!(ThresholdOverrides::default().is_empty());
        assert!(!team.is_empty());
        assert_eq!(
            Thresholds::default().merge(&ThresholdOverrides::default()),
            Thresholds::default()
        );
        assert_eq!(
            serde_json::to_string(&team).unwrap(),
            r#"{"waakvlam_rhythm_days":14}"#
        );
        assert!(serde_json::from_str::<ThresholdOverrides>(r#"{"waakvlam_ritme": 14}"#).is_err());
        let partial: Thresholds = serde_json::from_str(r#"{"contact_grace_days": 0}"#).unwrap();
        assert_eq!(partial.contact_grace_days, 0);
        assert_eq!(partial.waakvlam_rhythm_days, 28);
    }

    #[test]
    fn defaults() {
        let t = Thresholds::default();
        assert_eq!(t.default_rhythm_days(IntensityLevel::Waakvlam), Some(28));
        assert_eq!(t.default_rhythm_days(IntensityLevel::Individual), Some(7));
        assert_eq!(t.default_rhythm_days(IntensityLevel::Intensive), Some(7));
        assert_eq!(t.default_rhythm_days(IntensityLevel::Other), None);
        assert_eq!(
            t.rhythm(IntensityLevel::Other, Some(10)),
            Some(Rhythm {
                days: 10,
                agreed: true
            })
        );
        assert_eq!(
            (
                t.contact_grace_days,
                t.check_in_expected_days,
                t.wellbeing_window,
                t.wellbeing_low,
                t.indication_ending_days,
                t.bell_grace_hours
            ),
            (3, 35, 3, 2, 60, 0)
        );
    }

    // --- properties -------------------------------------------------------------

    /// Owned data behind a [`SignalInput`].
    #[derive(Debug, Clone)]
    struct Case {
        today: NaiveDate,
        now: DateTime<Utc>,
        level: IntensityLevel,
        start: NaiveDate,
        end: Option<NaiveDate>,
        planned_scale_down: Option<NaiveDate>,
        contact_rhythm_days: Option<u32>,
        last_contact: Option<NaiveDate>,
        check_ins: Vec<CheckIn>,
        bells: Vec<BellRing>,
        scale_request_pending: bool,
    }

    impl Case {
        fn input(&self) -> SignalInput<'_> {
            SignalInput {
                today: self.today,
                now: self.now,
                level: self.level,
                start: self.start,
                end: self.end,
                planned_scale_down: self.planned_scale_down,
                contact_rhythm_days: self.contact_rhythm_days,
                last_contact: self.last_contact,
                check_ins: &self.check_ins,
                bells: &self.bells,
                scale_request_pending: self.scale_request_pending,
            }
        }
    }

    /// Mostly dates near 2025, sometimes anywhere in chrono's range.
    fn any_date() -> impl Strategy<Value = NaiveDate> {
        let near = (-1_500i64..1_500).prop_map(|offset| today() + TimeDelta::days(offset));
        let anywhere = (NaiveDate::MIN.num_days_from_ce()..=NaiveDate::MAX.num_days_from_ce())
            .prop_map(|n| NaiveDate::from_num_days_from_ce_opt(n).unwrap());
        prop_oneof![8 => near, 1 => anywhere, 1 => Just(NaiveDate::MIN), 1 => Just(NaiveDate::MAX)]
    }

    fn any_instant() -> impl Strategy<Value = DateTime<Utc>> {
        let near =
            (-2_000_000i64..2_000_000).prop_map(|minutes| noon() + TimeDelta::minutes(minutes));
        let anywhere = (DateTime::<Utc>::MIN_UTC.timestamp()
            ..=DateTime::<Utc>::MAX_UTC.timestamp())
            .prop_map(|secs| DateTime::from_timestamp(secs, 0).unwrap());
        prop_oneof![8 => near, 1 => anywhere, 1 => Just(DateTime::<Utc>::MIN_UTC), 1 => Just(DateTime::<Utc>::MAX_UTC)]
    }

    fn any_check_in() -> impl Strategy<Value = CheckIn> {
        (any_date(), 1u8..=5).prop_map(|(on, score)| CheckIn {
            on,
            wellbeing: wb(score),
        })
    }

    fn any_bell() -> impl Strategy<Value = BellRing> {
        (any_instant(), proptest::option::of(any_instant())).prop_map(
            |(rung_at, acknowledged_at)| BellRing {
                rung_at,
                acknowledged_at,
            },
        )
    }

    fn any_case() -> impl Strategy<Value = Case> {
        (
            (
                any_date(),
                any_instant(),
                proptest::sample::select(IntensityLevel::ALL.to_vec()),
            ),
            (
                any_date(),
                proptest::option::of(any_date()),
                proptest::option::of(any_date()),
            ),
            (
                proptest::option::of(prop_oneof![0u32..100, Just(u32::MAX)]),
                proptest::option::of(any_date()),
            ),
            proptest::collection::vec(any_check_in(), 0..7),
            proptest::collection::vec(any_bell(), 0..4),
            any::<bool>(),
        )
            .prop_map(
                |(
                    (today, now, level),
                    (start, end, planned_scale_down),
                    (contact_rhythm_days, last_contact),
                    check_ins,
                    bells,
                    scale_request_pending,
                )| Case {
                    today,
                    now,
                    level,
                    start,
                    end,
                    planned_scale_down,
                    contact_rhythm_days,
                    last_contact,
                    check_ins,
                    bells,
                    scale_request_pending,
                },
            )
    }

    fn any_thresholds() -> impl Strategy<Value = Thresholds> {
        let days = || prop_oneof![0u32..120, Just(u32::MAX)];
        (
            (days(), days(), days(), days(), days()),
            (any::<u8>(), any::<u8>(), days(), days()),
        )
            .prop_map(
                |(
                    (waakvlam, individual, intensive, grace, check_in),
                    (window, low, ending, bell_grace),
                )| Thresholds {
                    waakvlam_rhythm_days: waakvlam,
                    individual_rhythm_days: individual,
                    intensive_rhythm_days: intensive,
                    contact_grace_days: grace,
                    check_in_expected_days: check_in,
                    wellbeing_window: window,
                    wellbeing_low: low,
                    indication_ending_days: ending,
                    bell_grace_hours: bell_grace,
                    unassigned_working_days: 3,
                    // Not read by the signal engine (escalation uses it).
                    bell_escalation_working_hours: 4,
                },
            )
    }

    fn has_negative_number(text: &str) -> bool {
        text.as_bytes()
            .windows(2)
            .any(|pair| pair[0] == b'-' && pair[1].is_ascii_digit())
    }

    proptest! {
        #[test]
        fn contact_today_clears_contact_signals(case in any_case(), t in any_thresholds()) {
            let input = SignalInput { last_contact: Some(case.today), ..case.input() };
            let found = kinds(&input, &t);
            prop_assert!(!found.contains(&SignalKind::ContactOverdue));
            prop_assert!(!found.contains(&SignalKind::NoContactYet));
        }

        #[test]
        fn evaluation_is_total_and_sane(case in any_case(), t in any_thresholds()) {
            let input = case.input();
            let attention = Attention::of(&input, &t);
            let signals = &attention.signals;
            prop_assert_eq!(
                attention.score,
                signals.iter().map(Signal::weight).fold(0u32, u32::saturating_add)
            );
            for pair in signals.windows(2) {
                prop_assert!(pair[0].weight() >= pair[1].weight());
                prop_assert!(pair[0].kind() != pair[1].kind());
            }
            let mut seen: Vec<SignalKind> = signals.iter().map(Signal::kind).collect();
            seen.sort();
            seen.dedup();
            prop_assert_eq!(seen.len(), signals.len());
            for signal in signals {
                let text = signal.dutch();
                prop_assert!(!text.is_empty());
                prop_assert!(!has_negative_number(&text), "{}", text);
                for (name, value) in signal.args() {
                    match name {
                        "values" | "rhythm_source" | "since" | "level" => {}
                        _ => prop_assert!(value.parse::<u32>().is_ok(), "{}={}", name, value),
                    }
                }
                match *signal.facts() {
                    SignalFacts::ContactOverdue { days_ago, .. } => {
                        let last = input.last_contact.unwrap();
                        prop_assert!(last < input.today);
                        prop_assert_eq!(
                            i64::from(days_ago),
                            (input.today - last).num_days().min(i64::from(u32::MAX))
                        );
                    }
                    SignalFacts::NoContactYet { .. } => prop_assert!(input.last_contact.is_none()),
                    SignalFacts::IndicationEnding { .. } => {
                        prop_assert!(input.end.is_some_and(|end| end >= input.today));
                    }
                    SignalFacts::ScaleDownDue { .. } => {
                        prop_assert!(input.level.requires_scale_down_moment());
                        prop_assert!(!input.scale_request_pending);
                    }
                    SignalFacts::CheckInMissed { .. } => {
                        prop_assert_eq!(input.level, IntensityLevel::Waakvlam);
                    }
                    SignalFacts::BellOpen { open, .. } => {
                        prop_assert!(open >= 1);
                        prop_assert!(attention.score >= BELL_BASE);
                    }
                    SignalFacts::WellbeingDeclining { trend } => {
                        prop_assert!(trend.scores().len() >= 2);
                    }
                }
            }
            if !attention.has(SignalKind::BellOpen) {
                prop_assert!(attention.score < BELL_BASE);
            }
        }

        #[test]
        fn an_open_bell_never_lowers_the_score(
            case in any_case(),
            t in any_thresholds(),
            rung_at in any_instant(),
        ) {
            let before = Attention::of(&case.input(), &t).score;
            let mut with_bell = case.clone();
            with_bell.bells.push(BellRing { rung_at, acknowledged_at: None });
            let after = Attention::of(&with_bell.input(), &t).score;
            prop_assert!(after >= before, "{} < {}", after, before);
        }

        #[test]
        fn rank_is_a_sorted_permutation(
            cases in proptest::collection::vec(any_case(), 0..12),
            t in any_thresholds(),
        ) {
            let ranked = rank(cases.iter().enumerate().map(|(i, c)| (i, c.input())), &t);
            let mut keys: Vec<usize> = ranked.iter().map(|(i, _)| *i).collect();
            keys.sort_unstable();
            prop_assert_eq!(keys, (0..cases.len()).collect::<Vec<_>>());
            for pair in ranked.windows(2) {
                let ((i, a), (j, b)) = (&pair[0], &pair[1]);
                prop_assert!(a.score >= b.score);
                if a.priority(b) == Ordering::Equal {
                    prop_assert!(i < j, "ties keep input order");
                }
            }
            for (i, attention) in &ranked {
                prop_assert_eq!(attention, &Attention::of(&cases[*i].input(), &t));
            }
        }

        #[test]
        fn a_shorter_rhythm_keeps_contact_signals(
            case in any_case(),
            t in any_thresholds(),
            rhythm in 1u32..200,
            shorter_by in 0u32..200,
            grace_shorter_by in 0u32..10,
        ) {
            let loose = SignalInput { contact_rhythm_days: Some(rhythm), ..case.input() };
            let strict_rhythm = rhythm.saturating_sub(shorter_by).max(1);
            let strict = SignalInput { contact_rhythm_days: Some(strict_rhythm), ..case.input() };
            let strict_t = Thresholds {
                contact_grace_days: t.contact_grace_days.saturating_sub(grace_shorter_by),
                ..t
            };
            let before = kinds(&loose, &t);
            let after = kinds(&strict, &strict_t);
            for kind in [SignalKind::ContactOverdue, SignalKind::NoContactYet] {
                if before.contains(&kind) {
                    prop_assert!(after.contains(&kind), "{} lost", kind);
                }
            }
            // Likewise for a shorter default rhythm.
            let default_loose = SignalInput { contact_rhythm_days: None, ..case.input() };
            let shorter_default = Thresholds {
                waakvlam_rhythm_days: t.waakvlam_rhythm_days.saturating_sub(shorter_by).max(1),
                individual_rhythm_days: t.individual_rhythm_days.saturating_sub(shorter_by).max(1),
                intensive_rhythm_days: t.intensive_rhythm_days.saturating_sub(shorter_by).max(1),
                ..t
            };
            let before = kinds(&default_loose, &t);
            let after = kinds(&default_loose, &shorter_default);
            for kind in [SignalKind::ContactOverdue, SignalKind::NoContactYet] {
                if before.contains(&kind) {
                    prop_assert!(after.contains(&kind), "{} lost with a shorter default", kind);
                }
            }
        }
    }
}

#[cfg(test)]
mod threshold_field_tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_setting_outside_its_range_is_refused_at_its_field() {
        let mut o = ThresholdOverrides::default();
        let err = o
            .set(ThresholdField::WaakvlamRhythmDays, Some(400))
            .unwrap_err();
        assert_eq!(err.field, "waakvlam_rhythm_days");
        assert_eq!(err.reason.id, "threshold-out-of-range");
        assert!(o.is_empty(), "nothing is set by a refused value");
        o.set(ThresholdField::WellbeingWindow, Some(4)).unwrap();
        assert_eq!(o.wellbeing_window, Some(4));
        assert_eq!(o.get(ThresholdField::WellbeingWindow), Some(4));
        assert!(o.set(ThresholdField::WellbeingWindow, Some(1)).is_err());
        o.set(ThresholdField::WellbeingWindow, None).unwrap();
        assert!(o.is_empty());
    }

    #[test]
    fn every_field_reads_back_what_was_set_and_merges() {
        for field in ThresholdField::ALL {
            let mut o = ThresholdOverrides::default();
            let (min, max) = field.range();
            let v = (min + max) / 2;
            o.set(field, Some(v)).unwrap();
            assert_eq!(o.get(field), Some(v), "{field}");
            assert_eq!(field.of(&Thresholds::default().merge(&o)), v, "{field}");
        }
    }

    #[test]
    fn an_allocation_waits_too_long_after_the_threshold_in_working_days() {
        let t = Thresholds::default();
        assert_eq!(t.unassigned_working_days, 3);
        // Received on a Thursday: Fri, Mon, Tue are three working days.
        let thursday = d(2026, 11, 26);
        assert!(!unassigned_too_long(thursday, d(2026, 12, 1), &t));
        assert!(unassigned_too_long(thursday, d(2026, 12, 2), &t));
        // A weekend does not count.
        assert!(!unassigned_too_long(d(2026, 11, 27), d(2026, 11, 30), &t));
    }
}
