//! Waakvlam's pure domain core.
//!
//! Types, rules, cost arithmetic and report rendering for waakvlam
//! (pilot-light) Wmo support. Nothing here performs I/O or reads the clock:
//! time is passed in (see [`clock::Clock`]), so every rule is testable and
//! the same in the web application, the CLI and the demo.

pub mod calendar;
mod vocab;

pub mod access;
pub mod care;
pub mod clock;
pub mod declaration;
pub mod ids;
pub mod indication;
pub mod limits;
pub mod money;
pub mod monitoring;
pub mod notification;
pub mod password;
pub mod pathway;
pub mod plan;
pub mod product;
pub mod refusal;
pub mod report;
pub mod role;
pub mod signal;
pub mod suppression;
pub mod tariff;
pub mod workload;

pub use access::{AccessAction, AccessOutcome, Purpose};
pub use care::{
    BellState, ConsentParty, ContactChannel, Initiator, RequestStatus, RhythmUnit, ScaleDirection,
    Urgency, Wellbeing, WellbeingError,
};
pub use clock::{Clock, FixedClock};
pub use ids::{
    AgbCode, AgbCodeError, AllocationNumber, AllocationNumberError, Bsn, BsnError, Email,
    EmailError, MunicipalityCode, MunicipalityCodeError, ProductCategory, ProductCategoryError,
    ProductCode, ProductCodeError,
};
pub use indication::{
    EndReason, Extension, IndicationDates, RuleViolation, SuccessionError, WaakvlamOutcome,
    default_end, max_end, scale_down_within, successor_dates, validate_extension,
    validate_indication,
};
pub use limits::{Refusals, TextClass};
pub use money::{Cents, MoneyError};
pub use password::{PasswordError, PasswordPolicy, validate_new_password};
pub use pathway::{PathwayError, PathwayLink, order_chain};
pub use product::{IntensityLevel, Product, default_catalogue};
pub use refusal::{Explain, Reason, Refusal};
pub use report::{IndicationCountRow, IndicationReport};
pub use role::Role;
pub use signal::{
    Attention, BellRing, CheckIn, Rhythm, Signal, SignalFacts, SignalInput, SignalKind,
    ThresholdOverrides, Thresholds, WellbeingTrend, count_by_kind, evaluate, rank,
};
pub use tariff::{
    FundingVariant, FundingVariantError, OwnContribution, Tariff, UnitPeriod, cost_over_period,
    own_contribution_on, own_contributions_over_period,
};
pub use vocab::UnknownValue;
