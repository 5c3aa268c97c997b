pub mod admin;
pub mod catalogue;
pub mod monitoring;
