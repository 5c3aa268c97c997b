//! The store's error type: specific enough to tell the user what went wrong.

use sea_orm::DbErr;
use waakvlam_domain::refusal::{Reason, Refusal};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("invalid database URL {url}: {reason}")]
    BadUrl { url: String, reason: String },
    #[error("cannot reach the database at {url}: {reason}")]
    Unreachable { url: String, reason: String },
    #[error("database error: {0}")]
    Db(#[from] DbErr),
    #[error("{what} not found")]
    NotFound { what: &'static str },
    /// The actor may not do this; the attempt has been written to the access log.
    #[error("access denied")]
    Denied,
    /// Input breaks one or more rules, each tied to its form or CSV field
    /// and said as a message id (never as English text), so the web layer
    /// can show every one next to its field in the user's language.
    #[error("invalid input: {}", list(.0))]
    Invalid(Vec<Refusal>),
    /// The request clashes with what is stored (decided already, exists
    /// already): said like a refusal, as a message id on the field it
    /// concerns (empty for the whole form), never as English text.
    #[error("conflict: {0}")]
    Conflict(Refusal),
    #[error("{0}")]
    Internal(String),
}

impl StoreError {
    /// `field` is refused for the reason with message id `id`.
    pub fn refuse(field: impl Into<String>, id: &'static str) -> Self {
        StoreError::Invalid(vec![Refusal::because(field, id)])
    }

    /// `field` is refused for `reason` (a message with arguments).
    pub fn refuse_with(field: impl Into<String>, reason: Reason) -> Self {
        StoreError::Invalid(vec![Refusal::new(field, reason)])
    }

    /// The request clashes with what is stored, for the reason with message
    /// id `id`.
    pub fn conflict(field: impl Into<String>, reason: Reason) -> Self {
        StoreError::Conflict(Refusal::new(field, reason))
    }

    /// The refusals, when the input was refused.
    pub fn refusals(&self) -> Option<&[Refusal]> {
        match self {
            StoreError::Invalid(r) => Some(r),
            _ => None,
        }
    }
}

impl From<Vec<Refusal>> for StoreError {
    /// Every refusal of a form at once (see `waakvlam_domain::Refusals`).
    fn from(r: Vec<Refusal>) -> Self {
        StoreError::Invalid(r)
    }
}

impl From<Refusal> for StoreError {
    fn from(r: Refusal) -> Self {
        StoreError::Invalid(vec![r])
    }
}

fn list(refusals: &[Refusal]) -> String {
    refusals
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}
