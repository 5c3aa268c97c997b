//! The header every iWmo message starts with: which message, which release,
//! who sends it to whom, its unique identification and the XSD versions it
//! was written against.

use chrono::NaiveDate;
use thiserror::Error;
use waakvlam_domain::ids::{AgbCode, MunicipalityCode};

use crate::xml::XmlWriter;

/// The messages of iWmo 3.2 that Waakvlam exchanges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MessageKind {
    /// Allocation of support to a provider (toewijzing).
    Wmo301,
    Wmo302,
    /// Start of delivery.
    Wmo305,
    Wmo306,
    /// Stop of delivery.
    Wmo307,
    Wmo308,
    /// Request for an allocation (verzoek om toewijzing).
    Wmo315,
    Wmo316,
    /// Request for a change (verzoek om wijziging).
    Wmo317,
    Wmo318,
    /// Answer to a request.
    Wmo319,
    Wmo320,
    /// Declaration.
    Wmo323,
    Wmo325,
}

/// The release every message is written in: iWmo 3.2 (`BerichtVersie` 3,
/// `BerichtSubversie` 2).
pub const RELEASE: (u8, u8) = (3, 2);

/// The versions in each message's `XsdVersie`, as the XSDs' `appinfo` states
/// them (a test reads them back from the vendored XSDs).
pub const BASISSCHEMA_XSD_VERSION: &str = "1.0.0";
pub const BERICHT_XSD_VERSION: &str = "1.0.0";

impl MessageKind {
    pub const ALL: [Self; 14] = [
        Self::Wmo301,
        Self::Wmo302,
        Self::Wmo305,
        Self::Wmo306,
        Self::Wmo307,
        Self::Wmo308,
        Self::Wmo315,
        Self::Wmo316,
        Self::Wmo317,
        Self::Wmo318,
        Self::Wmo319,
        Self::Wmo320,
        Self::Wmo323,
        Self::Wmo325,
    ];

    /// The message's name in lower case, as in its namespace: `wmo301`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Wmo301 => "wmo301",
            Self::Wmo302 => "wmo302",
            Self::Wmo305 => "wmo305",
            Self::Wmo306 => "wmo306",
            Self::Wmo307 => "wmo307",
            Self::Wmo308 => "wmo308",
            Self::Wmo315 => "wmo315",
            Self::Wmo316 => "wmo316",
            Self::Wmo317 => "wmo317",
            Self::Wmo318 => "wmo318",
            Self::Wmo319 => "wmo319",
            Self::Wmo320 => "wmo320",
            Self::Wmo323 => "wmo323",
            Self::Wmo325 => "wmo325",
        }
    }

    /// `BerichtCode`: the standard's code for the kind of message.
    pub const fn code(self) -> u16 {
        match self {
            Self::Wmo301 => 414,
            Self::Wmo302 => 415,
            Self::Wmo305 => 418,
            Self::Wmo306 => 419,
            Self::Wmo307 => 420,
            Self::Wmo308 => 421,
            Self::Wmo315 => 444,
            Self::Wmo316 => 445,
            Self::Wmo317 => 480,
            Self::Wmo318 => 481,
            Self::Wmo319 => 482,
            Self::Wmo320 => 483,
            Self::Wmo323 => 484,
            Self::Wmo325 => 485,
        }
    }

    /// The XML namespace of the message's elements.
    pub fn namespace(self) -> String {
        format!("http://www.istandaarden.nl/iwmo/3_2/{}/schema", self.name())
    }

    /// The file name of the message's XSD (in `crates/iwmo/xsd/`).
    pub fn xsd_file(self) -> String {
        format!("{}.xsd", self.name().to_ascii_uppercase())
    }

    /// Whether the municipality sends this message (else the provider does).
    pub const fn sent_by_municipality(self) -> bool {
        matches!(
            self,
            Self::Wmo301
                | Self::Wmo306
                | Self::Wmo308
                | Self::Wmo316
                | Self::Wmo318
                | Self::Wmo319
                | Self::Wmo325
        )
    }
}

/// `BerichtIdentificatie`: a name or number unique for the sender, with the
/// day the message was made (`Dagtekening`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageId {
    identification: String,
    dated: NaiveDate,
}

/// Why a message identification was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum MessageIdError {
    #[error("the message identification cannot be empty")]
    Empty,
    #[error("the message identification is at most 12 characters")]
    TooLong,
}

impl MessageId {
    /// At most 12 characters, not only spaces (`LDT_IdentificatieBericht`).
    pub fn new(identification: &str, dated: NaiveDate) -> Result<Self, MessageIdError> {
        if identification.trim().is_empty() {
            return Err(MessageIdError::Empty);
        }
        if identification.chars().count() > 12 {
            return Err(MessageIdError::TooLong);
        }
        Ok(Self {
            identification: identification.to_owned(),
            dated,
        })
    }

    pub fn identification(&self) -> &str {
        &self.identification
    }

    pub fn dated(&self) -> NaiveDate {
        self.dated
    }
}

/// The two parties of a message: a municipality by its CBS code and a
/// provider by its AGB code. Which one is the sender follows from the kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parties {
    pub municipality: MunicipalityCode,
    pub provider: AgbCode,
}

/// The header of one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub kind: MessageKind,
    pub parties: Parties,
    pub id: MessageId,
}

impl Header {
    pub(crate) fn write(&self, w: &mut XmlWriter) {
        self.write_open(w);
        w.close();
    }

    /// Writes the header and leaves it open, for a message whose header
    /// has more (a WMO325 names the declaration it answers).
    pub(crate) fn write_open(&self, w: &mut XmlWriter) {
        let (sender, receiver) = if self.kind.sent_by_municipality() {
            (
                self.parties.municipality.as_str(),
                self.parties.provider.as_str(),
            )
        } else {
            (
                self.parties.provider.as_str(),
                self.parties.municipality.as_str(),
            )
        };
        w.open("Header")
            .leaf("BerichtCode", self.kind.code().to_string())
            .leaf("BerichtVersie", RELEASE.0.to_string())
            .leaf("BerichtSubversie", RELEASE.1.to_string())
            .leaf("Afzender", sender)
            .leaf("Ontvanger", receiver)
            .open("BerichtIdentificatie")
            .leaf("iwmo:Identificatie", &self.id.identification)
            .leaf(
                "iwmo:Dagtekening",
                self.id.dated.format("%Y-%m-%d").to_string(),
            )
            .close()
            .open("XsdVersie")
            .leaf("iwmo:BasisschemaXsdVersie", BASISSCHEMA_XSD_VERSION)
            .leaf("iwmo:BerichtXsdVersie", BERICHT_XSD_VERSION)
            .close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn appinfo<'a>(xsd: &'a str, tag: &str) -> &'a str {
        let open = format!("<iwmo:{tag}>");
        let start = xsd.find(&open).map(|i| i + open.len()).unwrap_or_default();
        let end = xsd[start..].find('<').map_or(start, |i| start + i);
        &xsd[start..end]
    }

    #[test]
    fn codes_and_versions_match_the_vendored_xsds() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("xsd");
        for kind in MessageKind::ALL {
            let xsd = std::fs::read_to_string(dir.join(kind.xsd_file())).unwrap_or_default();
            assert_eq!(appinfo(&xsd, "bericht"), kind.name());
            assert_eq!(appinfo(&xsd, "release"), "3.2");
            assert_eq!(
                appinfo(&xsd, "BerichtXsdVersie"),
                BERICHT_XSD_VERSION,
                "{kind:?}"
            );
            assert_eq!(
                appinfo(&xsd, "BasisschemaXsdVersie"),
                BASISSCHEMA_XSD_VERSION,
                "{kind:?}"
            );
            assert!(
                xsd.contains(&format!("<xs:pattern value=\"{}\"/>", kind.code())),
                "{kind:?} has BerichtCode {}",
                kind.code()
            );
            assert!(
                xsd.contains(&format!("targetNamespace=\"{}\"", kind.namespace())),
                "{kind:?}"
            );
        }
    }

    #[test]
    fn a_message_id_is_one_to_twelve_characters() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap_or_default();
        assert_eq!(MessageId::new(" ", day), Err(MessageIdError::Empty));
        assert_eq!(
            MessageId::new("1234567890123", day),
            Err(MessageIdError::TooLong)
        );
        assert_eq!(
            MessageId::new("WVL-000001", day).map(|m| m.identification().to_owned()),
            Ok("WVL-000001".into())
        );
    }
}
