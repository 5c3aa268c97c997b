//! Money as whole euro cents. Floats never touch an amount: tariffs are
//! contractual and a rounding drift of a cent shows up in every reconciliation.

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Mul, Sub, SubAssign};

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// An amount in euro cents. Serialised as a plain integer.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Cents(pub i64);

/// Why a euro amount could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum MoneyError {
    #[error("cannot be empty")]
    Empty,
    #[error("is not an amount in euros, e.g. 705,69")]
    Invalid,
    #[error("cannot be negative")]
    Negative,
    #[error("has more than 2 decimals")]
    TooManyDecimals,
    #[error("is ambiguous: write 1234 or 1.234,00")]
    AmbiguousSeparator,
    #[error("is too large")]
    TooLarge,
}

impl Cents {
    pub const ZERO: Self = Self(0);

    /// An amount in cents.
    pub const fn new(cents: i64) -> Self {
        Self(cents)
    }

    /// A whole number of euros (saturating, so it cannot overflow).
    pub const fn from_euros(euros: i64) -> Self {
        Self(euros.saturating_mul(100))
    }

    /// The amount in cents.
    pub const fn as_i64(self) -> i64 {
        self.0
    }

    pub const fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// Reads a non-negative euro amount as people write it.
    ///
    /// Accepts an optional `€`, a decimal comma or point with at most two
    /// decimals, and thousands separators when both separator kinds appear
    /// (`1.234,56`, `1,234.56`) or one kind appears more than once
    /// (`1.234.567`). A single separator followed by exactly three digits
    /// (`1.234`) is rejected: Dutch and English readers disagree on it.
    pub fn parse_euros(input: &str) -> Result<Self, MoneyError> {
        let text = input.trim();
        let text = text.strip_prefix('€').unwrap_or(text).trim_start();
        if text.is_empty() {
            return Err(MoneyError::Empty);
        }
        if text.starts_with('-') {
            return Err(MoneyError::Negative);
        }
        if !text
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b',')
        {
            return Err(MoneyError::Invalid);
        }

        let dots = text.matches('.').count();
        let commas = text.matches(',').count();
        // (whole euros, thousands separator, decimals after the decimal separator)
        let (integer, group_separator, decimals) = match (dots, commas) {
            (0, 0) => (text, None, None),
            (1, 0) | (0, 1) => {
                let separator = if dots > 0 { '.' } else { ',' };
                let (integer, decimals) = text.split_once(separator).ok_or(MoneyError::Invalid)?;
                let looks_grouped = decimals.len() == 3
                    && (1..=3).contains(&integer.len())
                    && !integer.starts_with('0');
                if looks_grouped {
                    return Err(MoneyError::AmbiguousSeparator);
                }
                (integer, None, Some(decimals))
            }
            (_, 0) => (text, Some('.'), None),
            (0, _) => (text, Some(','), None),
            _ => {
                // Both kinds: the last one is the decimal separator.
                let position = text.rfind(['.', ',']).ok_or(MoneyError::Invalid)?;
                let (integer, rest) = text.split_at(position);
                let (decimal_separator, group) = if rest.starts_with('.') {
                    ('.', ',')
                } else {
                    (',', '.')
                };
                if integer.contains(decimal_separator) {
                    return Err(MoneyError::Invalid);
                }
                (integer, Some(group), rest.get(1..))
            }
        };

        let euros = parse_integer_part(integer, group_separator)?;
        let cents = match decimals.map(str::as_bytes) {
            None => 0,
            Some([tens]) => i64::from(digit(*tens)?) * 10,
            Some([tens, units]) => i64::from(digit(*tens)?) * 10 + i64::from(digit(*units)?),
            Some([]) => return Err(MoneyError::Invalid),
            Some(_) => return Err(MoneyError::TooManyDecimals),
        };
        euros
            .checked_mul(100)
            .and_then(|c| c.checked_add(cents))
            .map(Self)
            .ok_or(MoneyError::TooLarge)
    }

    /// The amount with a decimal point and no symbol, e.g. `705.69`; for
    /// exports read by machines.
    pub fn to_plain(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        format!("{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

fn digit(byte: u8) -> Result<u8, MoneyError> {
    if byte.is_ascii_digit() {
        Ok(byte - b'0')
    } else {
        Err(MoneyError::Invalid)
    }
}

/// Whole euros, with optional thousands groups of exactly three digits.
fn parse_integer_part(integer: &str, group_separator: Option<char>) -> Result<i64, MoneyError> {
    let digits: String = match group_separator {
        None => integer.to_owned(),
        Some(separator) => {
            let mut groups = integer.split(separator);
            let first = groups.next().unwrap_or_default();
            if first.is_empty() || first.len() > 3 {
                return Err(MoneyError::Invalid);
            }
            let mut digits = first.to_owned();
            for group in groups {
                if group.len() != 3 {
                    return Err(MoneyError::Invalid);
                }
                digits.push_str(group);
            }
            digits
        }
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(MoneyError::Invalid);
    }
    digits.bytes().try_fold(0i64, |acc, b| {
        acc.checked_mul(10)
            .and_then(|acc| acc.checked_add(i64::from(b - b'0')))
            .ok_or(MoneyError::TooLarge)
    })
}

/// Dutch notation: `€ 1.234,56`; negative amounts as `€ -1.234,56`.
impl fmt::Display for Cents {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let euros = (abs / 100).to_string();
        let mut grouped = String::with_capacity(euros.len() + euros.len() / 3);
        for (i, digit) in euros.chars().enumerate() {
            if i > 0 && (euros.len() - i).is_multiple_of(3) {
                grouped.push('.');
            }
            grouped.push(digit);
        }
        write!(f, "€ {sign}{grouped},{:02}", abs % 100)
    }
}

impl Add for Cents {
    type Output = Self;

    fn add(self, rhs: Self) -> Self {
        Self(self.0 + rhs.0)
    }
}

impl AddAssign for Cents {
    fn add_assign(&mut self, rhs: Self) {
        self.0 += rhs.0;
    }
}

impl Sub for Cents {
    type Output = Self;

    fn sub(self, rhs: Self) -> Self {
        Self(self.0 - rhs.0)
    }
}

impl SubAssign for Cents {
    fn sub_assign(&mut self, rhs: Self) {
        self.0 -= rhs.0;
    }
}

impl Mul<i64> for Cents {
    type Output = Self;

    fn mul(self, rhs: i64) -> Self {
        Self(self.0 * rhs)
    }
}

impl Sum for Cents {
    fn sum<I: Iterator<Item = Self>>(iter: I) -> Self {
        iter.fold(Self::ZERO, Add::add)
    }
}

impl<'a> Sum<&'a Cents> for Cents {
    fn sum<I: Iterator<Item = &'a Self>>(iter: I) -> Self {
        iter.copied().sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parse(s: &str) -> Result<i64, MoneyError> {
        Cents::parse_euros(s).map(Cents::as_i64)
    }

    #[test]
    fn accepted_notations() {
        assert_eq!(parse("705.69"), Ok(70569));
        assert_eq!(parse("705,69"), Ok(70569));
        assert_eq!(parse("€ 705,69"), Ok(70569));
        assert_eq!(parse("€705,69"), Ok(70569));
        assert_eq!(parse(" € 1.234,56 "), Ok(123456));
        assert_eq!(parse("1,234.56"), Ok(123456));
        assert_eq!(parse("1.234.567"), Ok(123456700));
        assert_eq!(parse("1.234.567,8"), Ok(123456780));
        assert_eq!(parse("19"), Ok(1900));
        assert_eq!(parse("0"), Ok(0));
        assert_eq!(parse("0,5"), Ok(50));
        assert_eq!(parse("1234"), Ok(123400));
        assert_eq!(parse("1234,00"), Ok(123400));
        assert_eq!(parse("\u{a0}€\u{a0}12,50"), Ok(1250));
        // As contract managers type tariffs on the catalogue page.
        assert_eq!(parse("€ 1.234,50"), Ok(123450));
        assert_eq!(parse("12.000,00"), Ok(1200000));
        assert_eq!(parse("72,36"), Ok(7236));
    }

    #[test]
    fn rejected_notations() {
        assert_eq!(parse(""), Err(MoneyError::Empty));
        assert_eq!(parse("€ "), Err(MoneyError::Empty));
        assert_eq!(parse("-5"), Err(MoneyError::Negative));
        assert_eq!(parse("€ -5,00"), Err(MoneyError::Negative));
        assert_eq!(parse("705,6912"), Err(MoneyError::TooManyDecimals));
        assert_eq!(parse("705,691"), Err(MoneyError::AmbiguousSeparator));
        assert_eq!(parse("0,125"), Err(MoneyError::TooManyDecimals));
        assert_eq!(parse("1,2345"), Err(MoneyError::TooManyDecimals));
        assert_eq!(parse("1.234"), Err(MoneyError::AmbiguousSeparator));
        assert_eq!(parse("1,234"), Err(MoneyError::AmbiguousSeparator));
        assert_eq!(parse("705,"), Err(MoneyError::Invalid));
        assert_eq!(parse(",50"), Err(MoneyError::Invalid));
        assert_eq!(parse("1.23.456"), Err(MoneyError::Invalid));
        assert_eq!(parse("1234.567,00"), Err(MoneyError::Invalid));
        assert_eq!(parse("1.234,56,7"), Err(MoneyError::Invalid));
        assert_eq!(parse("12 euro"), Err(MoneyError::Invalid));
        assert_eq!(parse("1e3"), Err(MoneyError::Invalid));
        assert_eq!(parse("+5"), Err(MoneyError::Invalid));
        assert_eq!(parse("99999999999999999999"), Err(MoneyError::TooLarge));
    }

    #[test]
    fn display_is_dutch() {
        assert_eq!(Cents(70569).to_string(), "€ 705,69");
        assert_eq!(Cents(123456).to_string(), "€ 1.234,56");
        assert_eq!(Cents(123456789).to_string(), "€ 1.234.567,89");
        assert_eq!(Cents(5).to_string(), "€ 0,05");
        assert_eq!(Cents(0).to_string(), "€ 0,00");
        assert_eq!(Cents(-123456).to_string(), "€ -1.234,56");
        assert_eq!(Cents(i64::MIN).to_string(), "€ -92.233.720.368.547.758,08");
    }

    #[test]
    fn plain_format() {
        assert_eq!(Cents(70569).to_plain(), "705.69");
        assert_eq!(Cents(5).to_plain(), "0.05");
        assert_eq!(Cents(-150).to_plain(), "-1.50");
    }

    #[test]
    fn arithmetic() {
        assert_eq!(Cents(100) + Cents(5), Cents(105));
        assert_eq!(Cents(100) - Cents(5), Cents(95));
        assert_eq!(Cents(5000) * 10, Cents(50000));
        assert_eq!([Cents(1), Cents(2)].iter().sum::<Cents>(), Cents(3));
        assert_eq!(Cents::from_euros(19), Cents(1900));
        let mut c = Cents::ZERO;
        c += Cents(7);
        c -= Cents(2);
        assert_eq!(c, Cents(5));
    }

    #[test]
    fn serde_as_integer() {
        assert_eq!(serde_json::to_string(&Cents(70569)).unwrap(), "70569");
        assert_eq!(
            serde_json::from_str::<Cents>("70569").unwrap(),
            Cents(70569)
        );
    }

    proptest! {
        #[test]
        fn display_and_plain_round_trip(cents in 0i64..=i64::MAX) {
            let amount = Cents(cents);
            prop_assert_eq!(Cents::parse_euros(&amount.to_string()), Ok(amount));
            prop_assert_eq!(Cents::parse_euros(&amount.to_plain()), Ok(amount));
        }

        #[test]
        fn parse_never_panics(input in "[€ 0-9.,-]{0,20}") {
            if let Ok(amount) = Cents::parse_euros(&input) {
                prop_assert!(amount.as_i64() >= 0);
            }
        }
    }
}
