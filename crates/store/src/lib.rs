//! Waakvlam's storage layer.
//!
//! One SeaORM code path and one set of migrations serve SQLite (the default,
//! embedded) and PostgreSQL (production); the backend is chosen from the URL at
//! run time. Everything above this crate works with domain types and the
//! functions here; no entity leaks out.
//!
//! Two rules hold for every function that touches a resident's data:
//! - it takes the calling [`Actor`], and the actor's [`Tenant`] limits what it
//!   can see, whatever ids the caller passes in;
//! - it writes an access-log entry (NEN 7513) in the same transaction, so a
//!   failed log write fails the operation.

pub mod access;
pub mod accounts;
pub mod activation;
pub mod backup;
pub mod care_plan;
pub mod care_record;
pub mod catalogue;
pub mod changes;
mod db;
pub mod declarations;
pub mod entity;
mod error;
pub mod handover;
pub mod id;
pub mod import;
pub mod indications;
pub mod intake;
pub mod iwmo;
pub mod jobs;
pub mod metrics;
mod migration;
pub mod monitoring;
pub mod notifications;
pub mod organisations;
pub mod portal;
pub mod read;
pub mod reference;
pub mod reports;
pub mod residents;
pub mod retention;
pub mod scale_down_planning;
pub mod scale_request;
pub mod sessions;
pub mod signals;
pub mod tenant;
pub mod throttle;
mod time;

pub use db::{Backend, Cx, ShiftedClock, Store, SystemClock, WriteTx};
pub use error::StoreError;
pub use id::{
    AccountId, BellId, CheckInId, ConsentId, ContactId, ContractId, HandoverId, HelperRequestId,
    IndicationId, InvitationId, IwmoMessageId, MessageId, NotificationId, OwnContributionId,
    PlanItemId, PlanningRequestId, ProductId, ProgressId, ProposalId, ProviderId, RegionId,
    ResidentId, ScaleRequestId, TariffId, TeamId,
};
pub use sea_orm::ConnectionTrait;
pub use tenant::{Actor, Tenant};
pub use time::{from_millis, local_date, millis};

/// The result type of every store function.
pub type StoreResult<T> = Result<T, StoreError>;
