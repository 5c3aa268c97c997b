//! Validated identifiers and codes. Each can only be built through `parse`,
//! so holding one is proof that the value passed the rules below.

use std::fmt;

use thiserror::Error;

/// Shared plumbing for string newtypes: accessors, `Display`, `FromStr`, and
/// serde as a plain string (deserialising re-validates through `parse`).
macro_rules! text_newtype {
    ($name:ident, $error:ty) => {
        impl $name {
            /// The normalised value.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The normalised value, by value.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::str::FromStr for $name {
            type Err = $error;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = $error;

            fn try_from(value: &str) -> Result<Self, Self::Error> {
                Self::parse(value)
            }
        }

        impl TryFrom<String> for $name {
            type Error = $error;

            fn try_from(value: String) -> Result<Self, Self::Error> {
                Self::parse(&value)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = <String as serde::Deserialize>::deserialize(deserializer)?;
                Self::parse(&text).map_err(<D::Error as serde::de::Error>::custom)
            }
        }
    };
}

fn is_all_digits(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_digit())
}

// ---------------------------------------------------------------------------
// BSN
// ---------------------------------------------------------------------------

/// Burgerservicenummer: the Dutch citizen service number.
///
/// `Debug` is masked so a BSN does not end up in logs by accident; use
/// `as_str()` or `Display` where the full number is really needed.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Bsn(String);

/// Why a BSN was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum BsnError {
    #[error("must be 9 digits")]
    NotNineDigits,
    #[error("fails the 11-check")]
    FailsElevenCheck,
    #[error("cannot be all zeros")]
    AllZeros,
}

/// Weights of the BSN 11-check ("elfproef"); the last digit counts negatively.
const BSN_WEIGHTS: [i32; 9] = [9, 8, 7, 6, 5, 4, 3, 2, -1];

/// The BSN 11-check on exactly nine ASCII digits.
fn passes_eleven_check(digits: &[u8]) -> bool {
    if digits.len() != BSN_WEIGHTS.len() {
        return false;
    }
    let sum: i32 = digits
        .iter()
        .zip(BSN_WEIGHTS)
        .map(|(d, w)| i32::from(d - b'0') * w)
        .sum();
    sum > 0 && sum % 11 == 0
}

impl Bsn {
    /// Parses a BSN. Eight digits get a leading zero, because older BSNs
    /// (and spreadsheets that dropped the zero) have eight.
    pub fn parse(input: &str) -> Result<Self, BsnError> {
        let trimmed = input.trim();
        let digits = if is_all_digits(trimmed, 9) {
            trimmed.to_owned()
        } else if is_all_digits(trimmed, 8) {
            format!("0{trimmed}")
        } else {
            return Err(BsnError::NotNineDigits);
        };
        if digits.bytes().all(|b| b == b'0') {
            return Err(BsnError::AllZeros);
        }
        if !passes_eleven_check(digits.as_bytes()) {
            return Err(BsnError::FailsElevenCheck);
        }
        Ok(Self(digits))
    }

    /// The BSN with only the last four digits visible, e.g. `*****2333`.
    pub fn masked(&self) -> String {
        format!("*****{}", self.0.get(5..).unwrap_or_default())
    }
}

impl fmt::Debug for Bsn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Bsn").field(&self.masked()).finish()
    }
}

text_newtype!(Bsn, BsnError);

// ---------------------------------------------------------------------------
// AGB code
// ---------------------------------------------------------------------------

/// AGB code (Algemeen GegevensBeheer) identifying a care provider.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AgbCode(String);

/// Why an AGB code was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum AgbCodeError {
    #[error("must be 8 digits")]
    NotEightDigits,
}

impl AgbCode {
    /// Parses an AGB code: exactly eight digits.
    pub fn parse(input: &str) -> Result<Self, AgbCodeError> {
        let trimmed = input.trim();
        if is_all_digits(trimmed, 8) {
            Ok(Self(trimmed.to_owned()))
        } else {
            Err(AgbCodeError::NotEightDigits)
        }
    }
}

text_newtype!(AgbCode, AgbCodeError);

// ---------------------------------------------------------------------------
// Municipality code
// ---------------------------------------------------------------------------

/// CBS municipality code as used in iWmo `LDT_Gemeente`, e.g. `0654` (Borsele).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MunicipalityCode(String);

/// Why a municipality code was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum MunicipalityCodeError {
    #[error("must be 4 digits")]
    NotFourDigits,
}

impl MunicipalityCode {
    /// Parses a municipality code: exactly four digits, leading zeros included.
    pub fn parse(input: &str) -> Result<Self, MunicipalityCodeError> {
        let trimmed = input.trim();
        if is_all_digits(trimmed, 4) {
            Ok(Self(trimmed.to_owned()))
        } else {
            Err(MunicipalityCodeError::NotFourDigits)
        }
    }
}

text_newtype!(MunicipalityCode, MunicipalityCodeError);

// ---------------------------------------------------------------------------
// Product code
// ---------------------------------------------------------------------------

/// A product code from the municipality's catalogue, e.g. `WVL`, `BTS`, `07A01`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ProductCode(String);

/// Why a product code was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum ProductCodeError {
    #[error("cannot be empty")]
    Empty,
    #[error("must be at most 5 characters")]
    TooLong,
    #[error("may only contain letters and digits")]
    InvalidCharacter,
}

impl ProductCode {
    /// The longest product code iWmo allows.
    pub const MAX_LEN: usize = 5;

    /// Parses a product code: 1 to 5 ASCII letters or digits, stored upper-case.
    pub fn parse(input: &str) -> Result<Self, ProductCodeError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(ProductCodeError::Empty);
        }
        if !trimmed.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(ProductCodeError::InvalidCharacter);
        }
        if trimmed.len() > Self::MAX_LEN {
            return Err(ProductCodeError::TooLong);
        }
        Ok(Self(trimmed.to_ascii_uppercase()))
    }
}

text_newtype!(ProductCode, ProductCodeError);

// ---------------------------------------------------------------------------
// Product category
// ---------------------------------------------------------------------------

/// iWmo product category, e.g. `02` (Begeleiding).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ProductCategory(String);

/// Why a product category was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum ProductCategoryError {
    #[error("must be 2 digits")]
    NotTwoDigits,
}

impl ProductCategory {
    /// Parses a product category: exactly two digits.
    pub fn parse(input: &str) -> Result<Self, ProductCategoryError> {
        let trimmed = input.trim();
        if is_all_digits(trimmed, 2) {
            Ok(Self(trimmed.to_owned()))
        } else {
            Err(ProductCategoryError::NotTwoDigits)
        }
    }
}

text_newtype!(ProductCategory, ProductCategoryError);

// ---------------------------------------------------------------------------
// E-mail address
// ---------------------------------------------------------------------------

/// An e-mail address, trimmed and lower-cased so it can serve as a login name.
///
/// Only a plausibility check: whether it exists is for a confirmation mail to find out.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Email(String);

/// Why an e-mail address was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum EmailError {
    #[error("cannot be empty")]
    Empty,
    #[error("must be at most 254 characters")]
    TooLong,
    #[error("cannot contain spaces")]
    ContainsWhitespace,
    #[error("must contain exactly one @")]
    NotOneAt,
    #[error("needs a name before the @")]
    EmptyLocalPart,
    #[error("needs a domain with a dot after the @, e.g. gemeente.nl")]
    InvalidDomain,
}

impl Email {
    /// The longest address SMTP can carry.
    pub const MAX_LEN: usize = 254;

    /// Parses an e-mail address.
    pub fn parse(input: &str) -> Result<Self, EmailError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(EmailError::Empty);
        }
        if trimmed.chars().count() > Self::MAX_LEN {
            return Err(EmailError::TooLong);
        }
        if trimmed.chars().any(char::is_whitespace) {
            return Err(EmailError::ContainsWhitespace);
        }
        let lower = trimmed.to_lowercase();
        let mut parts = lower.split('@');
        let (Some(local), Some(domain), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(EmailError::NotOneAt);
        };
        if local.is_empty() {
            return Err(EmailError::EmptyLocalPart);
        }
        let labels_ok = domain.split('.').all(|label| !label.is_empty());
        if !domain.contains('.') || !labels_ok {
            return Err(EmailError::InvalidDomain);
        }
        Ok(Self(lower))
    }
}

text_newtype!(Email, EmailError);

// ---------------------------------------------------------------------------
// Allocation number
// ---------------------------------------------------------------------------

/// iWmo `ToewijzingNummer`: the municipality's number for an allocation,
/// an integer from 0 to 999,999,999 (`LDT_Nummer` in the iWmo 3.2 basis
/// schema), unique within the municipality.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AllocationNumber(u32);

/// Why an allocation number was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum AllocationNumberError {
    #[error("cannot be empty")]
    Empty,
    #[error("must be a whole number")]
    NotANumber,
    #[error("must be at most 999999999")]
    TooLarge,
}

impl AllocationNumber {
    /// The largest number iWmo allows (nine digits).
    pub const MAX: u32 = 999_999_999;

    /// Parses an allocation number: digits only (leading zeros allowed, as in
    /// `xs:integer`), at most 999,999,999.
    pub fn parse(input: &str) -> Result<Self, AllocationNumberError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(AllocationNumberError::Empty);
        }
        if !trimmed.bytes().all(|b| b.is_ascii_digit()) {
            return Err(AllocationNumberError::NotANumber);
        }
        let digits = trimmed.trim_start_matches('0');
        if digits.len() > 9 {
            return Err(AllocationNumberError::TooLarge);
        }
        Self::new(digits.parse().unwrap_or(0))
    }

    /// An allocation number from its value.
    pub fn new(value: u32) -> Result<Self, AllocationNumberError> {
        if value > Self::MAX {
            return Err(AllocationNumberError::TooLarge);
        }
        Ok(Self(value))
    }

    pub fn value(self) -> u32 {
        self.0
    }
}

impl fmt::Display for AllocationNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl std::str::FromStr for AllocationNumber {
    type Err = AllocationNumberError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn valid_bsns_parse() {
        for bsn in [
            "111222333",
            "999996708",
            "999996630",
            "612890053",
            "211551557",
        ] {
            assert_eq!(
                Bsn::parse(bsn).map(|b| b.as_str().to_owned()),
                Ok(bsn.to_owned())
            );
        }
    }

    #[test]
    fn invalid_bsns_fail_the_eleven_check() {
        for bsn in ["999998620", "111252333"] {
            assert_eq!(Bsn::parse(bsn), Err(BsnError::FailsElevenCheck));
        }
    }

    #[test]
    fn bsn_is_trimmed() {
        assert_eq!(Bsn::parse("  111222333\n").unwrap().as_str(), "111222333");
    }

    #[test]
    fn bsn_with_eight_digits_gets_leading_zero() {
        // 012345672: 0*9+1*8+2*7+3*6+4*5+5*4+6*3+7*2-2 = 110
        assert_eq!(Bsn::parse("12345672").unwrap().as_str(), "012345672");
    }

    #[test]
    fn bsn_length_and_characters() {
        for bad in [
            "",
            "1234567",
            "1112223334",
            "11122233a",
            "111 22 333",
            "１１１２２２３３３",
        ] {
            assert_eq!(Bsn::parse(bad), Err(BsnError::NotNineDigits), "{bad:?}");
        }
    }

    #[test]
    fn bsn_all_zeros_rejected() {
        assert_eq!(Bsn::parse("000000000"), Err(BsnError::AllZeros));
        assert_eq!(Bsn::parse("00000000"), Err(BsnError::AllZeros));
    }

    #[test]
    fn bsn_masking_keeps_last_four() {
        let bsn = Bsn::parse("111222333").unwrap();
        assert_eq!(bsn.masked(), "*****2333");
        assert_eq!(format!("{bsn:?}"), "Bsn(\"*****2333\")");
        assert_eq!(bsn.to_string(), "111222333");
    }

    #[test]
    fn bsn_serde_round_trip() {
        let bsn = Bsn::parse("999996708").unwrap();
        let json = serde_json::to_string(&bsn).unwrap();
        assert_eq!(json, "\"999996708\"");
        assert_eq!(serde_json::from_str::<Bsn>(&json).unwrap(), bsn);
        assert!(serde_json::from_str::<Bsn>("\"999998620\"").is_err());
    }

    #[test]
    fn error_messages_are_short() {
        assert_eq!(BsnError::FailsElevenCheck.to_string(), "fails the 11-check");
        assert_eq!(BsnError::NotNineDigits.to_string(), "must be 9 digits");
    }

    #[test]
    fn agb_code() {
        assert_eq!(AgbCode::parse(" 12345678 ").unwrap().as_str(), "12345678");
        for bad in ["1234567", "123456789", "1234567a", ""] {
            assert_eq!(AgbCode::parse(bad), Err(AgbCodeError::NotEightDigits));
        }
    }

    #[test]
    fn municipality_code() {
        assert_eq!(MunicipalityCode::parse("0654").unwrap().as_str(), "0654");
        for bad in ["654", "06543", "06a4", ""] {
            assert_eq!(
                MunicipalityCode::parse(bad),
                Err(MunicipalityCodeError::NotFourDigits)
            );
        }
    }

    #[test]
    fn product_code() {
        assert_eq!(ProductCode::parse("wvl").unwrap().as_str(), "WVL");
        assert_eq!(ProductCode::parse("07a01").unwrap().as_str(), "07A01");
        assert_eq!(ProductCode::parse(" "), Err(ProductCodeError::Empty));
        assert_eq!(ProductCode::parse("ABCDEF"), Err(ProductCodeError::TooLong));
        assert_eq!(
            ProductCode::parse("W-L"),
            Err(ProductCodeError::InvalidCharacter)
        );
        assert_eq!(
            ProductCode::parse("WVLé"),
            Err(ProductCodeError::InvalidCharacter)
        );
    }

    #[test]
    fn product_category() {
        assert_eq!(ProductCategory::parse("02").unwrap().as_str(), "02");
        for bad in ["2", "002", "a2"] {
            assert_eq!(
                ProductCategory::parse(bad),
                Err(ProductCategoryError::NotTwoDigits)
            );
        }
    }

    #[test]
    fn email_is_normalised() {
        assert_eq!(
            Email::parse("  Jan.Jansen@Borsele.NL ").unwrap().as_str(),
            "jan.jansen@borsele.nl"
        );
    }

    #[test]
    fn email_rules() {
        assert_eq!(Email::parse(""), Err(EmailError::Empty));
        assert_eq!(
            Email::parse("jan jansen@borsele.nl"),
            Err(EmailError::ContainsWhitespace)
        );
        assert_eq!(Email::parse("jan.borsele.nl"), Err(EmailError::NotOneAt));
        assert_eq!(Email::parse("jan@@borsele.nl"), Err(EmailError::NotOneAt));
        assert_eq!(Email::parse("@borsele.nl"), Err(EmailError::EmptyLocalPart));
        assert_eq!(Email::parse("jan@borsele"), Err(EmailError::InvalidDomain));
        assert_eq!(Email::parse("jan@borsele."), Err(EmailError::InvalidDomain));
        assert_eq!(Email::parse("jan@.nl"), Err(EmailError::InvalidDomain));
        let long = format!("{}@borsele.nl", "a".repeat(250));
        assert_eq!(Email::parse(&long), Err(EmailError::TooLong));
    }

    #[test]
    fn allocation_number_is_an_iwmo_ldt_nummer() {
        assert_eq!(AllocationNumber::parse("12345").unwrap().value(), 12345);
        assert_eq!(
            AllocationNumber::parse(" 000042 ").unwrap().to_string(),
            "42"
        );
        assert_eq!(
            AllocationNumber::parse("999999999").unwrap().value(),
            999_999_999
        );
        assert_eq!(
            AllocationNumber::parse("1000000000"),
            Err(AllocationNumberError::TooLarge)
        );
        assert_eq!(
            AllocationNumber::parse(""),
            Err(AllocationNumberError::Empty)
        );
        assert_eq!(
            AllocationNumber::parse("T-2024-0001"),
            Err(AllocationNumberError::NotANumber)
        );
        assert_eq!(
            AllocationNumber::parse("-1"),
            Err(AllocationNumberError::NotANumber)
        );
    }

    /// The check digit that makes eight digits a valid BSN, if one exists.
    fn check_digit(first: &[u8; 8]) -> Option<u8> {
        let sum: i32 = first
            .iter()
            .zip(BSN_WEIGHTS)
            .map(|(d, w)| i32::from(*d) * w)
            .sum();
        let digit = sum % 11;
        (digit < 10 && sum - digit > 0).then_some(digit as u8)
    }

    /// Nine digits that pass the 11-check, built from eight random ones.
    fn valid_bsn_digits() -> impl Strategy<Value = Vec<u8>> {
        proptest::array::uniform8(0u8..10).prop_filter_map("no check digit exists", |first| {
            let check = check_digit(&first)?;
            let mut digits = first.to_vec();
            digits.push(check);
            Some(digits)
        })
    }

    fn to_text(digits: &[u8]) -> String {
        digits.iter().map(|d| char::from(b'0' + d)).collect()
    }

    proptest! {
        #[test]
        fn generated_bsns_parse_and_single_digit_changes_break_them(
            digits in valid_bsn_digits(),
            position in 0usize..9,
            delta in 1u8..10,
        ) {
            let text = to_text(&digits);
            prop_assert_eq!(Bsn::parse(&text).map(Bsn::into_string), Ok(text.clone()));

            let mut changed = digits.clone();
            changed[position] = (changed[position] + delta) % 10;
            let changed = to_text(&changed);
            prop_assert!(Bsn::parse(&changed).is_err(), "{} should fail", changed);
        }

        #[test]
        fn bsn_parse_never_panics(input in "\\PC{0,12}") {
            let _ = Bsn::parse(&input);
        }
    }
}
