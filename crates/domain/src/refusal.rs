//! Refused input, as data rather than text.
//!
//! A rule that refuses input says which field it is about and why, as a
//! stable message id with arguments. The web layer renders the id in the
//! user's language next to the field (Fluent, `refusal-*` messages), the CLI
//! in English from the same texts; no English sentence written here can reach
//! a Dutch page.

use std::fmt;

use serde::Serialize;

/// Why input was refused: a message id (a Fluent message `refusal-<id>`)
/// with named arguments.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Reason {
    pub id: &'static str,
    pub args: Vec<(&'static str, String)>,
}

impl Reason {
    pub fn new(id: &'static str) -> Self {
        Self {
            id,
            args: Vec::new(),
        }
    }

    /// Adds a named argument for the message.
    pub fn with(mut self, name: &'static str, value: impl ToString) -> Self {
        self.args.push((name, value.to_string()));
        self
    }

    /// The Fluent message id: `refusal-<id>`.
    pub fn message_id(&self) -> String {
        format!("refusal-{}", self.id)
    }
}

/// Input refused: the field (form field or CSV column) and the reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Refusal {
    pub field: String,
    pub reason: Reason,
}

impl Refusal {
    pub fn new(field: impl Into<String>, reason: Reason) -> Self {
        Self {
            field: field.into(),
            reason,
        }
    }

    /// A refusal without arguments.
    pub fn because(field: impl Into<String>, id: &'static str) -> Self {
        Self::new(field, Reason::new(id))
    }
}

/// For logs only: the field and the message id with its arguments.
impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.reason.id)?;
        for (name, value) in &self.reason.args {
            write!(f, " {name}={value}")?;
        }
        Ok(())
    }
}

/// A domain error that can say why, as a [`Reason`].
pub trait Explain {
    fn reason(&self) -> Reason;

    /// The refusal of `field` for this error.
    fn refuse(&self, field: impl Into<String>) -> Refusal {
        Refusal::new(field, self.reason())
    }
}

// Every domain error that input can cause, with its message id. Kept in one
// place so the list of `refusal-*` Fluent messages is easy to check.

use crate::care::WellbeingError;
use crate::ids::{
    AgbCodeError, AllocationNumberError, BsnError, EmailError, MunicipalityCodeError,
    ProductCategoryError, ProductCodeError,
};
use crate::indication::SuccessionError;
use crate::money::MoneyError;
use crate::password::PasswordError;
use crate::tariff::FundingVariantError;
use crate::vocab::UnknownValue;

impl Explain for BsnError {
    fn reason(&self) -> Reason {
        Reason::new(match self {
            BsnError::NotNineDigits => "bsn-digits",
            BsnError::FailsElevenCheck => "bsn-eleven-check",
            BsnError::AllZeros => "bsn-zeros",
        })
    }
}

impl Explain for AgbCodeError {
    fn reason(&self) -> Reason {
        Reason::new("agb-digits")
    }
}

impl Explain for MunicipalityCodeError {
    fn reason(&self) -> Reason {
        Reason::new("municipality-code-digits")
    }
}

impl Explain for ProductCodeError {
    fn reason(&self) -> Reason {
        Reason::new(match self {
            ProductCodeError::Empty => "product-code-empty",
            ProductCodeError::TooLong => "product-code-length",
            ProductCodeError::InvalidCharacter => "product-code-characters",
        })
    }
}

impl Explain for ProductCategoryError {
    fn reason(&self) -> Reason {
        Reason::new("product-category-digits")
    }
}

impl Explain for EmailError {
    fn reason(&self) -> Reason {
        Reason::new(match self {
            EmailError::Empty => "email-empty",
            EmailError::TooLong => "email-length",
            EmailError::ContainsWhitespace => "email-spaces",
            EmailError::NotOneAt => "email-at",
            EmailError::EmptyLocalPart => "email-local-part",
            EmailError::InvalidDomain => "email-domain",
        })
    }
}

impl Explain for AllocationNumberError {
    fn reason(&self) -> Reason {
        Reason::new(match self {
            AllocationNumberError::Empty => "allocation-number-empty",
            AllocationNumberError::NotANumber => "allocation-number-digits",
            AllocationNumberError::TooLarge => "allocation-number-length",
        })
    }
}

impl Explain for PasswordError {
    fn reason(&self) -> Reason {
        match self {
            PasswordError::TooShort { min } => Reason::new("password-short").with("min", min),
            PasswordError::TooLong { max } => Reason::new("password-long").with("max", max),
            PasswordError::OnlyWhitespace => Reason::new("password-spaces"),
        }
    }
}

impl Explain for MoneyError {
    fn reason(&self) -> Reason {
        Reason::new(match self {
            MoneyError::Empty => "amount-empty",
            MoneyError::Invalid => "amount-invalid",
            MoneyError::Negative => "amount-negative",
            MoneyError::TooManyDecimals => "amount-decimals",
            MoneyError::AmbiguousSeparator => "amount-ambiguous",
            MoneyError::TooLarge => "amount-too-large",
        })
    }
}

impl Explain for FundingVariantError {
    fn reason(&self) -> Reason {
        match self {
            FundingVariantError::UnknownKind(v) => v.reason(),
            FundingVariantError::MissingUnitPeriod => Reason::new("unit-period-required"),
            FundingVariantError::UnknownUnitPeriod(v) => v.reason(),
            FundingVariantError::MissingBudgetCeiling => Reason::new("ceiling-required"),
            FundingVariantError::NegativeBudgetCeiling => Reason::new("ceiling-negative"),
        }
    }
}

impl Explain for WellbeingError {
    fn reason(&self) -> Reason {
        Reason::new("wellbeing-range")
    }
}

impl Explain for SuccessionError {
    fn reason(&self) -> Reason {
        Reason::new("start-after-previous")
    }
}

impl Explain for UnknownValue {
    fn reason(&self) -> Reason {
        Reason::new("choose").with("value", self.found())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_names_its_message_and_arguments() {
        let r = Refusal::new("year", Reason::new("year-range").with("min", 2000));
        assert_eq!(r.reason.message_id(), "refusal-year-range");
        assert_eq!(r.to_string(), "year: year-range min=2000");
    }
}
