//! The read models of pages: each page gets everything it shows from one
//! function here, in one unit of work with one access-log entry. The
//! entity modules above (`residents`, `indications`, `care_record`, …) hold
//! the writes and the queries these are built from.

pub mod admin;
pub mod caseload;
pub mod catalogue;
pub mod helper_requests;
pub mod indication;
pub mod indication_form;
pub mod monitoring;
pub mod pathway;
pub mod portal_helper;
pub mod portal_log;
pub mod portal_me;
pub mod portal_messages;
pub mod portal_plan;
pub mod portal_sharing;
pub mod register_form;
pub mod resident;
pub mod residents;
pub mod scale_request;
pub mod shared;
pub mod shared_plan;
pub mod worklist;
pub mod workload;
