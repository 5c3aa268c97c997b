pub mod admin;
pub mod catalogue;
