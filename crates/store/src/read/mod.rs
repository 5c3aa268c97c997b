//! Read models of pages: one function per page, returning everything that
//! page shows, read in one unit of work with one access-log entry.

pub mod helper_requests;
pub mod portal_helper;
pub mod portal_log;
pub mod portal_me;
pub mod portal_messages;
pub mod portal_plan;
pub mod portal_sharing;
pub mod shared;
pub mod shared_plan;
