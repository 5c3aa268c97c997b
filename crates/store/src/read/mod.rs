//! The read models of pages: each page gets everything it shows from one
//! function here, in one unit of work with one access-log entry. The
//! entity modules above (`residents`, `indications`, `care_record`, …) hold
//! the writes and the queries these are built from.

pub mod caseload;
pub mod resident;
