//! SeaORM entities, one per table. Nothing above the store sees them.

pub mod access_log;
pub mod account;
pub mod bell;
pub mod change_record;
pub mod check_in;
pub mod consent;
pub mod contact;
pub mod indication;
pub mod indication_extension;
pub mod login_throttle;
pub mod municipality;
pub mod own_contribution;
pub mod plan_item;
pub mod plan_progress;
pub mod product;
pub mod provider;
pub mod region;
pub mod resident;
pub mod scale_down_planning;
pub mod scale_request;
pub mod session;
pub mod signal_settings;
pub mod tariff;
pub mod team;
