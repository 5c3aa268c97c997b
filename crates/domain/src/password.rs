//! The password policy, following NIST SP 800-63B: length matters, forced
//! composition rules do not (they lead to predictable passwords).

use thiserror::Error;

/// Why a new password is not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum PasswordError {
    #[error("must be at least {min} characters")]
    TooShort { min: usize },
    #[error("must be at most {max} characters")]
    TooLong { max: usize },
    #[error("cannot be only spaces")]
    OnlyWhitespace,
}

/// Length limits for passwords, counted in Unicode characters so a
/// passphrase in any script counts as people read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordPolicy {
    pub min_chars: usize,
    pub max_chars: usize,
}

impl PasswordPolicy {
    /// The policy used throughout the application.
    pub const DEFAULT: Self = Self {
        min_chars: 8,
        max_chars: 128,
    };

    /// Checks a new password against this policy.
    pub fn validate(&self, password: &str) -> Result<(), PasswordError> {
        let length = password.chars().count();
        if length < self.min_chars {
            return Err(PasswordError::TooShort {
                min: self.min_chars,
            });
        }
        if length > self.max_chars {
            return Err(PasswordError::TooLong {
                max: self.max_chars,
            });
        }
        if password.chars().all(char::is_whitespace) {
            return Err(PasswordError::OnlyWhitespace);
        }
        Ok(())
    }
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// Checks a new password against the default policy: 8 to 128 characters,
/// not only whitespace.
pub fn validate_new_password(password: &str) -> Result<(), PasswordError> {
    PasswordPolicy::DEFAULT.validate(password)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_limits() {
        assert_eq!(
            validate_new_password("1234567"),
            Err(PasswordError::TooShort { min: 8 })
        );
        assert_eq!(validate_new_password("12345678"), Ok(()));
        assert_eq!(validate_new_password(&"a".repeat(128)), Ok(()));
        assert_eq!(
            validate_new_password(&"a".repeat(129)),
            Err(PasswordError::TooLong { max: 128 })
        );
    }

    #[test]
    fn counts_characters_not_bytes() {
        // Seven characters, fourteen bytes.
        assert_eq!(
            validate_new_password("ééééééé"),
            Err(PasswordError::TooShort { min: 8 })
        );
        assert_eq!(validate_new_password("éééééééé"), Ok(()));
        assert_eq!(validate_new_password(&"é".repeat(128)), Ok(()));
    }

    #[test]
    fn no_composition_rules_but_not_blank() {
        assert_eq!(
            validate_new_password("correct horse battery staple"),
            Ok(())
        );
        assert_eq!(
            validate_new_password("        "),
            Err(PasswordError::OnlyWhitespace)
        );
        assert_eq!(
            validate_new_password(" \t\n \u{a0}   "),
            Err(PasswordError::OnlyWhitespace)
        );
    }

    #[test]
    fn messages() {
        assert_eq!(
            PasswordError::TooShort { min: 8 }.to_string(),
            "must be at least 8 characters"
        );
    }
}
