//! Read models of pages: one function per page that reads everything the
//! page shows in one unit of work, with one access-log entry.

pub mod indication;
pub mod indication_form;
pub mod pathway;
pub mod residents;
pub mod scale_request;
pub mod worklist;
