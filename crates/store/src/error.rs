//! The store's error type: specific enough to tell the user what went wrong.

use sea_orm::DbErr;

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
    /// Input breaks a rule; `field` names the form or CSV field.
    #[error("{field}: {reason}")]
    Invalid { field: String, reason: String },
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Internal(String),
}

impl StoreError {
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        StoreError::Invalid {
            field: field.into(),
            reason: reason.into(),
        }
    }
}
