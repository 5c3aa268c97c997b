//! iWmo 3.2: the XML messages in which municipalities and providers exchange
//! allocations, starts, stops, requests and declarations.
//!
//! Pure like the domain: a message is built from values and written to a
//! string; storing, sending and receiving are the store's and the CLI's.
//! Every message written validates against the standard's XSD, vendored in
//! `xsd/` (see `xsd/PROVENANCE.md`); the tests check that with `xmllint`.

pub mod delivery;
pub mod header;
pub mod read;
pub mod request;
pub mod retour;
pub mod schema;
pub mod wmo301;
pub mod wmo315;
pub mod wmo323;
mod xml;

pub use header::{Header, MessageId, MessageIdError, MessageKind, Parties};
