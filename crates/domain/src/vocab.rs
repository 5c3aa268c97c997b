//! Closed vocabularies: enums that are stored, imported and shown by a stable
//! machine name. One macro keeps `as_str`, `parse`, `Display` and serde in step,
//! so a value written by one crate always reads back in another.

use std::fmt;

/// The longest part of a rejected value echoed back in an error message;
/// import reports should not repeat a whole pasted paragraph.
const ECHO_LIMIT: usize = 40;

/// A value that is not part of a closed vocabulary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownValue {
    found: String,
    expected: &'static [&'static str],
}

impl UnknownValue {
    pub(crate) fn new(found: &str, expected: &'static [&'static str]) -> Self {
        Self {
            found: found.chars().take(ECHO_LIMIT).collect(),
            expected,
        }
    }

    /// The rejected input (trimmed, possibly shortened).
    pub fn found(&self) -> &str {
        &self.found
    }

    /// The values that would have been accepted.
    pub fn expected(&self) -> &'static [&'static str] {
        self.expected
    }
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.found.is_empty() {
            write!(f, "is empty; expected one of: ")?;
        } else {
            write!(f, "\"{}\" is not one of: ", self.found)?;
        }
        f.write_str(&self.expected.join(", "))
    }
}

impl std::error::Error for UnknownValue {}

/// Defines a fieldless enum with a stable snake_case machine name per variant,
/// plus `ALL`, `as_str`, `parse` (trimmed, ASCII case-insensitive), `Display`,
/// `FromStr` and serde (as the machine name).
macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident => $text:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            /// Every value, in declaration order (the order used in forms and reports).
            pub const ALL: [Self; [$($text),+].len()] = [$(Self::$variant),+];

            const NAMES: &'static [&'static str] = &[$($text),+];

            /// The stable machine name, used in storage, CSV files and URLs.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text),+
                }
            }

            /// Parses a machine name; surrounding whitespace and ASCII case are ignored.
            pub fn parse(input: &str) -> Result<Self, $crate::vocab::UnknownValue> {
                let trimmed = input.trim();
                $(
                    if trimmed.eq_ignore_ascii_case($text) {
                        return Ok(Self::$variant);
                    }
                )+
                Err($crate::vocab::UnknownValue::new(trimmed, Self::NAMES))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::vocab::UnknownValue;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = <String as ::serde::Deserialize>::deserialize(deserializer)?;
                Self::parse(&text).map_err(<D::Error as ::serde::de::Error>::custom)
            }
        }
    };
}

/// Adds `fluent_key()`: the Fluent message id of a value's user-facing label.
/// Keys are `<prefix>-<as_str()>`, so templates can also build them from the machine name.
macro_rules! fluent_keys {
    ($name:ident { $($variant:ident => $key:literal),+ $(,)? }) => {
        impl $name {
            /// The Fluent message id of this value's user-facing label.
            pub const fn fluent_key(self) -> &'static str {
                match self {
                    $(Self::$variant => $key),+
                }
            }
        }
    };
}

pub(crate) use {fluent_keys, vocabulary};

#[cfg(test)]
mod tests {
    use super::*;

    vocabulary! {
        /// Test vocabulary.
        pub enum Colour {
            Red => "red",
            DarkBlue => "dark_blue",
        }
    }

    #[test]
    fn parses_trimmed_and_case_insensitive() {
        assert_eq!(Colour::parse(" Dark_Blue "), Ok(Colour::DarkBlue));
        assert_eq!(Colour::ALL, [Colour::Red, Colour::DarkBlue]);
    }

    #[test]
    fn unknown_value_lists_expected() {
        let err = Colour::parse("green").unwrap_err();
        assert_eq!(err.to_string(), "\"green\" is not one of: red, dark_blue");
        let err = Colour::parse("  ").unwrap_err();
        assert_eq!(err.to_string(), "is empty; expected one of: red, dark_blue");
    }

    #[test]
    fn unknown_value_echo_is_limited() {
        let long = "x".repeat(500);
        let err = Colour::parse(&long).unwrap_err();
        assert_eq!(err.found().len(), ECHO_LIMIT);
    }

    #[test]
    fn serde_uses_machine_name() {
        assert_eq!(
            serde_json::to_string(&Colour::DarkBlue).unwrap(),
            "\"dark_blue\""
        );
        let back: Colour = serde_json::from_str("\"red\"").unwrap();
        assert_eq!(back, Colour::Red);
        assert!(serde_json::from_str::<Colour>("\"blue\"").is_err());
    }
}
