//! The vocabulary of day-to-day waakvlam care: contacts, the "bell" a
//! resident rings, scaling requests and consent.

use std::fmt;

use thiserror::Error;

use crate::vocab::{fluent_keys, vocabulary};

vocabulary! {
    /// How a contact took place.
    pub enum ContactChannel {
        Visit => "visit",
        Phone => "phone",
        Video => "video",
        Message => "message",
        /// The resident dropped in at the provider or a community venue.
        WalkIn => "walk_in",
    }
}

fluent_keys!(ContactChannel {
    Visit => "channel-visit",
    Phone => "channel-phone",
    Video => "channel-video",
    Message => "channel-message",
    WalkIn => "channel-walk_in",
});

vocabulary! {
    /// Who started a contact; residents reaching out themselves is a signal.
    pub enum Initiator {
        Professional => "professional",
        Resident => "resident",
        Other => "other",
    }
}

fluent_keys!(Initiator {
    Professional => "initiator-professional",
    Resident => "initiator-resident",
    Other => "initiator-other",
});

vocabulary! {
    /// Where a resident's call for help (the "bell") stands.
    pub enum BellState {
        Rung => "rung",
        Acknowledged => "acknowledged",
        Resolved => "resolved",
    }
}

fluent_keys!(BellState {
    Rung => "bell-rung",
    Acknowledged => "bell-acknowledged",
    Resolved => "bell-resolved",
});

vocabulary! {
    /// Whether support should become heavier or lighter.
    pub enum ScaleDirection {
        Up => "up",
        Down => "down",
    }
}

fluent_keys!(ScaleDirection {
    Up => "scale-up",
    Down => "scale-down",
});

vocabulary! {
    /// The municipality's decision on a scaling request.
    pub enum RequestStatus {
        Pending => "pending",
        Approved => "approved",
        Rejected => "rejected",
    }
}

fluent_keys!(RequestStatus {
    Pending => "request-pending",
    Approved => "request-approved",
    Rejected => "request-rejected",
});

vocabulary! {
    /// How fast a request needs an answer.
    pub enum Urgency {
        Normal => "normal",
        Urgent => "urgent",
    }
}

fluent_keys!(Urgency {
    Normal => "urgency-normal",
    Urgent => "urgency-urgent",
});

vocabulary! {
    /// The unit of the agreed contact rhythm on its form ("every 2 weeks").
    /// Anything else (`years`) is refused, never read as days.
    pub enum RhythmUnit {
        Days => "days",
        Weeks => "weeks",
    }
}

impl RhythmUnit {
    /// `every` units in days, or `None` when that overflows.
    pub fn days(self, every: u32) -> Option<u32> {
        match self {
            RhythmUnit::Days => Some(every),
            RhythmUnit::Weeks => every.checked_mul(7),
        }
    }
}

vocabulary! {
    /// Who a resident's consent to share information is given to.
    pub enum ConsentParty {
        Professional => "professional",
        Provider => "provider",
        Municipality => "municipality",
        TrustedPerson => "trusted_person",
    }
}

fluent_keys!(ConsentParty {
    Professional => "consent-professional",
    Provider => "consent-provider",
    Municipality => "consent-municipality",
    TrustedPerson => "consent-trusted_person",
});

/// How a resident is doing, on a scale from 1 (bad) to 5 (good).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Wellbeing(u8);

/// Why a wellbeing score was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum WellbeingError {
    #[error("must be a whole number from 1 to 5")]
    OutOfRange,
}

impl Wellbeing {
    pub const MIN: u8 = 1;
    pub const MAX: u8 = 5;

    /// A score from 1 to 5.
    pub fn new(score: u8) -> Result<Self, WellbeingError> {
        if (Self::MIN..=Self::MAX).contains(&score) {
            Ok(Self(score))
        } else {
            Err(WellbeingError::OutOfRange)
        }
    }

    /// A score as typed in a form or CSV file.
    pub fn parse(input: &str) -> Result<Self, WellbeingError> {
        input
            .trim()
            .parse::<u8>()
            .map_err(|_| WellbeingError::OutOfRange)
            .and_then(Self::new)
    }

    pub const fn value(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for Wellbeing {
    type Error = WellbeingError;

    fn try_from(score: u8) -> Result<Self, Self::Error> {
        Self::new(score)
    }
}

impl From<Wellbeing> for u8 {
    fn from(wellbeing: Wellbeing) -> Self {
        wellbeing.0
    }
}

impl fmt::Display for Wellbeing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl serde::Serialize for Wellbeing {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u8(self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Wellbeing {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let score = u8::deserialize(deserializer)?;
        Self::new(score).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn machine_names() {
        let channels: Vec<&str> = ContactChannel::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(channels, ["visit", "phone", "video", "message", "walk_in"]);
        assert_eq!(ContactChannel::parse("walk_in"), Ok(ContactChannel::WalkIn));
        assert_eq!(ContactChannel::WalkIn.fluent_key(), "channel-walk_in");
        assert_eq!(Initiator::parse("resident"), Ok(Initiator::Resident));
        assert_eq!(BellState::Acknowledged.as_str(), "acknowledged");
        assert_eq!(ScaleDirection::parse("down"), Ok(ScaleDirection::Down));
        assert_eq!(
            RequestStatus::parse("approved"),
            Ok(RequestStatus::Approved)
        );
        assert_eq!(Urgency::Urgent.as_str(), "urgent");
        assert_eq!(ConsentParty::TrustedPerson.as_str(), "trusted_person");
        assert_eq!(
            ConsentParty::TrustedPerson.fluent_key(),
            "consent-trusted_person"
        );
    }

    #[test]
    fn every_value_round_trips() {
        macro_rules! round_trip {
            ($($ty:ty),+) => {$(
                for value in <$ty>::ALL {
                    assert_eq!(<$ty>::parse(value.as_str()), Ok(value));
                    let suffix = format!("-{}", value.as_str());
                    assert!(value.fluent_key().ends_with(&suffix), "{}", value.fluent_key());
                }
            )+};
        }
        round_trip!(
            ContactChannel,
            Initiator,
            BellState,
            ScaleDirection,
            RequestStatus,
            Urgency,
            ConsentParty
        );
    }

    #[test]
    fn wellbeing_range() {
        assert_eq!(Wellbeing::new(1).map(Wellbeing::value), Ok(1));
        assert_eq!(Wellbeing::new(5).map(Wellbeing::value), Ok(5));
        assert_eq!(Wellbeing::new(0), Err(WellbeingError::OutOfRange));
        assert_eq!(Wellbeing::new(6), Err(WellbeingError::OutOfRange));
        assert_eq!(Wellbeing::parse(" 3 ").map(Wellbeing::value), Ok(3));
        assert_eq!(Wellbeing::parse("3.5"), Err(WellbeingError::OutOfRange));
        assert_eq!(Wellbeing::parse("-1"), Err(WellbeingError::OutOfRange));
        assert_eq!(Wellbeing::parse(""), Err(WellbeingError::OutOfRange));
        assert_eq!(
            serde_json::to_string(&Wellbeing::new(4).unwrap()).unwrap(),
            "4"
        );
        assert!(serde_json::from_str::<Wellbeing>("9").is_err());
    }
}
