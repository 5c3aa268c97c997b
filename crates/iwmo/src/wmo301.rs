//! WMO301: the municipality allocates support to a provider (toewijzing).
//!
//! One message per client, with every allocated product that is current or
//! changed; the provider answers with a WMO302.

use chrono::{NaiveDate, NaiveTime};
use waakvlam_domain::ids::{AllocationNumber, Bsn, ProductCategory, ProductCode};
use waakvlam_domain::money::Cents;

use crate::header::{Header, MessageKind};
use crate::read::{self, ReadError, ReceivedHeader};
use crate::retour::{Findings, RetourCode};
use crate::xml::XmlWriter;

/// A WMO301 message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allocation {
    pub header: Header,
    pub client: Client,
    /// At least one.
    pub products: Vec<AllocatedProduct>,
}

/// The client as the allocation names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client {
    pub bsn: Bsn,
    pub birth_date: NaiveDate,
    /// `Geslacht`; Waakvlam does not record it, so it is usually `Unknown`.
    pub gender: Gender,
    pub name: Name,
    pub contact: Contact,
}

/// `Geslacht` (`LDT_Geslacht`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gender {
    Unknown,
    Male,
    Female,
}

impl Gender {
    pub(crate) const fn code(self) -> &'static str {
        match self {
            Self::Unknown => "0",
            Self::Male => "1",
            Self::Female => "2",
        }
    }
}

/// `Naam` (`CDT_VolledigeNaam`), the person's own name (`NaamGebruik` 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name {
    pub family_name: String,
    pub prefix: Option<String>,
    pub given_names: Option<String>,
    pub initials: Option<String>,
}

/// `Contactgegevens`: the client's address kind with phone and e-mail.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Contact {
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// How much support is allocated: an extent (`Omvang`) or a budget in cents,
/// never both; a waakvlam per indication has neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extent {
    None,
    /// `Volume` units (`Eenheid`) per `Frequentie`.
    Volume {
        volume: u32,
        unit: Unit,
        per: Frequency,
    },
    Budget(Cents),
}

/// `Eenheid` (`LDT_Eenheid`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Minute,
    Hour,
    Day,
    DayPart,
    /// Per piece, effort-oriented (84, "stuks (inspanning)").
    PieceEffort,
    /// Per piece, output-oriented (82, "stuks (output)").
    PieceOutput,
    /// Euros (83).
    Euro,
}

impl Unit {
    pub(crate) const fn code(self) -> &'static str {
        match self {
            Self::Minute => "01",
            Self::Hour => "04",
            Self::Day => "14",
            Self::DayPart => "16",
            Self::PieceEffort => "84",
            Self::PieceOutput => "82",
            Self::Euro => "83",
        }
    }
}

/// `Frequentie` (`LDT_Frequentie`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frequency {
    PerDay,
    PerWeek,
    PerMonth,
    WholeAllocation,
}

impl Frequency {
    pub(crate) const fn code(self) -> &'static str {
        match self {
            Self::PerDay => "1",
            Self::PerWeek => "2",
            Self::PerMonth => "4",
            Self::WholeAllocation => "6",
        }
    }
}

/// One `ToegewezenProduct`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllocatedProduct {
    pub number: AllocationNumber,
    /// `ReferentieAanbieder`: the provider's request this allocation answers.
    pub reference: Option<String>,
    pub category: ProductCategory,
    pub code: Option<ProductCode>,
    /// When the municipality decided (`Toewijzingsdatum`, `Toewijzingstijd`).
    pub allocated_on: NaiveDate,
    pub allocated_at: NaiveTime,
    pub start: NaiveDate,
    /// Inclusive; `None` while open-ended.
    pub end: Option<NaiveDate>,
    pub extent: Extent,
    /// Why an allocation sent before is sent again changed.
    pub change: Option<ChangeReason>,
    pub comment: Option<String>,
}

/// `RedenWijziging` (`LDT_RedenWijziging`): why an allocation changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeReason {
    /// 01: an administrative correction.
    Correction,
    /// 02: the client died.
    ClientDied,
    /// 04: reassessed, the allocation is extended.
    Extended,
    /// 05: reassessed, the allocation is shortened (ended early).
    Shortened,
    /// 07: the client moved to another municipality.
    Moved,
    /// 09: the client changed to another provider.
    OtherProvider,
    /// 12: the provider asked for the change.
    InitiatedByProvider,
}

impl ChangeReason {
    pub const fn code(self) -> &'static str {
        match self {
            Self::Correction => "01",
            Self::ClientDied => "02",
            Self::Extended => "04",
            Self::Shortened => "05",
            Self::Moved => "07",
            Self::OtherProvider => "09",
            Self::InitiatedByProvider => "12",
        }
    }
}

/// Why a WMO301 could not be written: content rules of the standard that the
/// types alone do not guarantee.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AllocationError {
    #[error("a WMO301 names at least one allocated product")]
    NoProducts,
    #[error("allocation {0}: the end date lies before the start date")]
    EndBeforeStart(AllocationNumber),
    #[error("allocation {0}: a budget needs an end date")]
    BudgetWithoutEnd(AllocationNumber),
    #[error("allocation {0}: a budget is at most 99,999,999 cents")]
    BudgetTooLarge(AllocationNumber),
    #[error("allocation {0}: a volume is at most 99,999,999")]
    VolumeTooLarge(AllocationNumber),
    #[error("the message is a {0:?}, not a WMO301")]
    WrongKind(MessageKind),
}

const MAX_AMOUNT: i64 = 99_999_999;

impl Allocation {
    /// Checks the content rules that apply to writing, then writes the XML.
    pub fn to_xml(&self) -> Result<String, AllocationError> {
        if self.header.kind != MessageKind::Wmo301 {
            return Err(AllocationError::WrongKind(self.header.kind));
        }
        if self.products.is_empty() {
            return Err(AllocationError::NoProducts);
        }
        for p in &self.products {
            if p.end.is_some_and(|end| end < p.start) {
                return Err(AllocationError::EndBeforeStart(p.number));
            }
            match p.extent {
                Extent::Budget(_) if p.end.is_none() => {
                    return Err(AllocationError::BudgetWithoutEnd(p.number));
                }
                Extent::Budget(c) if c.as_i64() < 0 || c.as_i64() > MAX_AMOUNT => {
                    return Err(AllocationError::BudgetTooLarge(p.number));
                }
                Extent::Volume { volume, .. } if i64::from(volume) > MAX_AMOUNT => {
                    return Err(AllocationError::VolumeTooLarge(p.number));
                }
                _ => {}
            }
        }
        let mut w = XmlWriter::new(&MessageKind::Wmo301.namespace());
        self.header.write(&mut w);
        let c = &self.client;
        w.open("Client").leaf("Bsn", c.bsn.as_str());
        w.open("Geboortedatum")
            .leaf("iwmo:Datum", date(c.birth_date))
            .close();
        w.leaf("Geslacht", c.gender.code());
        write_name(&mut w, &c.name);
        w.open("Contactgegevens").open("Contact");
        // 01: the address in the population register (BRP).
        w.leaf("Soort", "01");
        if let Some((country, number)) = c.contact.phone.as_deref().and_then(phone_parts) {
            w.open("Telefoon").open("iwmo:Telefoon01");
            w.leaf("iwmo:Telefoonnummer", number)
                .leaf("iwmo:Landnummer", country);
            w.close().close();
        }
        w.leaf_opt(
            "Emailadres",
            c.contact.email.as_deref().and_then(|e| text(e, 80)),
        );
        w.close().close();
        w.open("ToegewezenProducten");
        for p in &self.products {
            w.open("ToegewezenProduct")
                .leaf("ToewijzingNummer", p.number.to_string())
                .leaf_opt("ReferentieAanbieder", p.reference.as_deref());
            w.open("Product")
                .leaf("iwmo:Categorie", p.category.as_str());
            w.leaf_opt("iwmo:Code", p.code.as_ref().map(ProductCode::as_str));
            w.close();
            w.leaf("Toewijzingsdatum", date(p.allocated_on))
                .leaf(
                    "Toewijzingstijd",
                    p.allocated_at.format("%H:%M:%S").to_string(),
                )
                .leaf("Ingangsdatum", date(p.start))
                .leaf_opt("Einddatum", p.end.map(date))
                .leaf_opt("RedenWijziging", p.change.map(ChangeReason::code));
            match p.extent {
                Extent::None => {}
                Extent::Volume { volume, unit, per } => {
                    w.open("Omvang")
                        .leaf("iwmo:Volume", volume.to_string())
                        .leaf("iwmo:Eenheid", unit.code())
                        .leaf("iwmo:Frequentie", per.code())
                        .close();
                }
                Extent::Budget(cents) => {
                    w.leaf("Budget", cents.as_i64().to_string());
                }
            }
            w.leaf_opt(
                "Commentaar",
                p.comment.as_deref().and_then(|c| text(c, 1000)),
            );
            w.close();
        }
        Ok(w.finish())
    }
}

fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// A WMO301 as received: the values as written, before the content rules
/// (`ReceivedAllocation::findings`) and before the receiver's own checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedAllocation {
    pub header: ReceivedHeader,
    pub bsn: String,
    pub birth_date: Option<NaiveDate>,
    pub name: Name,
    pub contact: Contact,
    pub products: Vec<ReceivedProduct>,
}

/// One received `ToegewezenProduct`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedProduct {
    pub number: String,
    /// `ReferentieAanbieder`: the provider's request this allocation answers.
    pub reference: Option<String>,
    pub category: Option<String>,
    pub code: Option<String>,
    pub allocated_on: NaiveDate,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    /// `RedenWijziging`, as its code.
    pub change: Option<String>,
    pub has_extent: bool,
    pub budget: Option<i64>,
    pub comment: Option<String>,
}

impl ReceivedAllocation {
    /// Reads a WMO301 that passed the XSD.
    pub fn read(doc: &roxmltree::Document<'_>) -> Result<Self, ReadError> {
        let header = read::header(doc)?;
        if header.kind != MessageKind::Wmo301 {
            return Err(ReadError::NotIwmo(format!(
                "{:?}, not a WMO301",
                header.kind
            )));
        }
        let client =
            read::child(doc.root_element(), "Client").ok_or(ReadError::Missing("Client"))?;
        let naam = read::child(client, "Naam").ok_or(ReadError::Missing("Naam"))?;
        let family =
            read::child(naam, "Geslachtsnaam").ok_or(ReadError::Missing("Geslachtsnaam"))?;
        let contact =
            read::child(client, "Contactgegevens").and_then(|c| read::child(c, "Contact"));
        let phone = contact
            .and_then(|c| read::child(c, "Telefoon"))
            .and_then(|t| read::child(t, "Telefoon01"))
            .and_then(|t| read::text(t, "Telefoonnummer"));
        let email = contact.and_then(|c| read::text(c, "Emailadres"));
        let mut products = Vec::new();
        let list = read::child(client, "ToegewezenProducten")
            .ok_or(ReadError::Missing("ToegewezenProducten"))?;
        for p in read::children(list, "ToegewezenProduct") {
            let product = read::child(p, "Product");
            products.push(ReceivedProduct {
                number: read::required(p, "ToewijzingNummer")?,
                reference: read::text(p, "ReferentieAanbieder"),
                category: product.and_then(|x| read::text(x, "Categorie")),
                code: product.and_then(|x| read::text(x, "Code")),
                allocated_on: read::date(p, "Toewijzingsdatum")?
                    .ok_or(ReadError::Missing("Toewijzingsdatum"))?,
                start: read::date(p, "Ingangsdatum")?.ok_or(ReadError::Missing("Ingangsdatum"))?,
                end: read::date(p, "Einddatum")?,
                change: read::text(p, "RedenWijziging"),
                has_extent: read::child(p, "Omvang").is_some(),
                budget: read::number(p, "Budget")?,
                comment: read::text(p, "Commentaar"),
            });
        }
        Ok(Self {
            header,
            bsn: read::required(client, "Bsn")?,
            birth_date: read::date(client, "Geboortedatum")?,
            name: Name {
                family_name: read::required(family, "Achternaam")?,
                prefix: read::text(family, "Voorvoegsel"),
                given_names: read::text(naam, "Voornamen"),
                initials: read::text(naam, "Voorletters"),
            },
            contact: Contact { phone, email },
            products,
        })
    }

    /// The standard's content rules that the XSD does not check: the BSN's
    /// 11-check, date order, a budget only with an end date and never with
    /// an extent, an extent for a product with a code. Each finding names
    /// its class and why, in words for the message log.
    pub fn findings(&self) -> (Findings, Vec<String>) {
        let mut found = Findings::default();
        let mut why = Vec::new();
        if Bsn::parse(&self.bsn).is_err() {
            found.add("Client", 0, RetourCode::TECHNICAL);
            why.push(format!("Bsn {}: fails the 11-check", self.bsn));
        }
        for (i, p) in self.products.iter().enumerate() {
            let mut refuse = |code, text: String| {
                found.add("ToegewezenProduct", i, code);
                why.push(format!("ToewijzingNummer {}: {text}", p.number));
            };
            if AllocationNumber::parse(&p.number).is_err() {
                refuse(
                    RetourCode::TECHNICAL,
                    "not a whole number of at most nine digits".into(),
                );
            }
            if p.end.is_some_and(|end| end < p.start) {
                refuse(
                    RetourCode::TECHNICAL,
                    "Einddatum lies before Ingangsdatum".into(),
                );
            }
            if p.budget.is_some() && p.end.is_none() {
                refuse(RetourCode::TECHNICAL, "a Budget needs an Einddatum".into());
            }
            if p.budget.is_some() && p.has_extent {
                refuse(
                    RetourCode::TECHNICAL,
                    "Omvang and Budget exclude each other".into(),
                );
            }
            if p.code.is_some() && !p.has_extent && p.budget.is_none() {
                refuse(
                    RetourCode::EXTENT_MISSING,
                    "a product with a code needs an Omvang or a Budget".into(),
                );
            }
        }
        (found, why)
    }
}

/// Text that is not blank, cut to `max` characters (the schema's limit).
pub(crate) fn text(s: &str, max: usize) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.chars().take(max).collect())
}

/// A phone number as the schema's `CDT_Telefoon` wants it: the national number
/// in digits (at most 15) and the country's dialling code "as dialled from the
/// Netherlands" (`0031`, at most four characters). Numbers without a country
/// code are Dutch. A foreign number whose country code has three digits cannot
/// be written in four characters with its `00`, so it is left out (the schema
/// has no other place for it); `None` also when nothing usable is left.
fn phone_parts(phone: &str) -> Option<(String, String)> {
    let phone = phone.trim();
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    let international = if phone.starts_with('+') {
        Some(digits.as_str())
    } else {
        digits.strip_prefix("00")
    };
    let (country, national) = match international {
        None => ("31".to_string(), digits.clone()),
        Some(rest) => {
            let len = country_code_len(rest)?;
            let (cc, number) = rest.split_at(len);
            // A Dutch number is written with its trunk prefix 0, as dialled at home.
            let number = if cc == "31" && !number.starts_with('0') {
                format!("0{number}")
            } else {
                number.to_string()
            };
            (cc.to_string(), number)
        }
    };
    let country = format!("00{country}");
    (!national.is_empty() && national.len() <= 15 && country.len() <= 4)
        .then_some((country, national))
}

/// The length of the E.164 country code that `digits` starts with (country
/// codes are prefix-free: 1 and 7 have one digit, the zones below list their
/// two-digit codes, every other code has three digits).
fn country_code_len(digits: &str) -> Option<usize> {
    let b = digits.as_bytes();
    let first = *b.first()?;
    if first == b'1' || first == b'7' {
        return Some(1);
    }
    let second = *b.get(1)?;
    let two_digit: &[u8] = match first {
        b'2' => b"07",
        b'3' => b"0123469",
        b'4' => b"013456789",
        b'5' => b"12345678",
        b'6' => b"0123456",
        b'8' => b"1246",
        b'9' => b"0123458",
        _ => return None,
    };
    let len = if two_digit.contains(&second) { 2 } else { 3 };
    (b.len() >= len).then_some(len)
}

/// `Voorletters`: letters only, at most 6 (`J.P.` becomes `JP`).
pub(crate) fn initials(s: &str) -> Option<String> {
    let letters: String = s.chars().filter(|c| c.is_alphabetic()).take(6).collect();
    (!letters.is_empty()).then_some(letters)
}

fn write_name(w: &mut XmlWriter, name: &Name) {
    w.open("Naam").open("iwmo:Geslachtsnaam");
    w.leaf(
        "iwmo:Achternaam",
        text(&name.family_name, 200).unwrap_or_else(|| "-".into()),
    );
    w.leaf_opt(
        "iwmo:Voorvoegsel",
        name.prefix.as_deref().and_then(|p| text(p, 10)),
    );
    w.close();
    w.leaf_opt(
        "iwmo:Voornamen",
        name.given_names.as_deref().and_then(|g| text(g, 200)),
    );
    w.leaf_opt(
        "iwmo:Voorletters",
        name.initials.as_deref().and_then(initials),
    );
    // 1: the person's own name.
    w.leaf("iwmo:NaamGebruik", "1");
    w.close();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_become_a_national_number_and_a_country_code() {
        let parts = |c: &str, n: &str| Some((c.to_string(), n.to_string()));
        assert_eq!(phone_parts("06-1234 5678"), parts("0031", "0612345678"));
        assert_eq!(phone_parts("+31 6 12345678"), parts("0031", "0612345678"));
        assert_eq!(
            phone_parts("0031 (0)6 12345678"),
            parts("0031", "0612345678")
        );
        assert_eq!(phone_parts("+32 470 12 34 56"), parts("0032", "470123456"));
        assert_eq!(phone_parts("+1 212 555 0100"), parts("001", "2125550100"));
        // Portugal (351) cannot be written in four characters with its 00.
        assert_eq!(phone_parts("+351 912 345 678"), None);
        assert_eq!(phone_parts("geen"), None);
        assert_eq!(phone_parts("0123456789012345"), None);
    }

    #[test]
    fn initials_are_letters_only() {
        assert_eq!(initials("J.P."), Some("JP".into()));
        assert_eq!(initials(". "), None);
    }
}
