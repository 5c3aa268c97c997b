//! WMO305 and WMO307: the provider tells the municipality that delivery of
//! allocated products started (`StartProduct`) or stopped (`StopProduct`).
//! The two messages share their client and most of each product, so they
//! are written and read here together; the municipality answers each with
//! its retour (306, 308).

use chrono::NaiveDate;
use waakvlam_domain::ids::{AllocationNumber, Bsn, ProductCategory, ProductCode};
use waakvlam_domain::indication::EndReason;

use crate::header::{Header, MessageKind};
use crate::read::{self, ReadError, ReceivedHeader};
use crate::retour::{Findings, RetourCode};
use crate::wmo301::Gender;
use crate::xml::XmlWriter;

/// The client as a start or stop message names them (`CDT_VerkorteNaam`:
/// no name use, no contact details).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client {
    pub bsn: Bsn,
    pub birth_date: NaiveDate,
    pub gender: Gender,
    pub family_name: String,
    pub prefix: Option<String>,
    pub given_names: Option<String>,
    pub initials: Option<String>,
}

/// `StatusAanlevering` (`LDT_StatusAanlevering`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// 1: first delivery of this product's start or stop.
    First,
    /// 2: a correction of one sent before.
    Changed,
    /// 3: the one sent before is withdrawn.
    Withdrawn,
}

impl Status {
    pub const fn code(self) -> &'static str {
        match self {
            Self::First => "1",
            Self::Changed => "2",
            Self::Withdrawn => "3",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "1" => Some(Self::First),
            "2" => Some(Self::Changed),
            "3" => Some(Self::Withdrawn),
            _ => None,
        }
    }
}

/// The allocation a start or stop is about: its number, product and first
/// day, as the WMO301 gave them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllocationRef {
    pub number: AllocationNumber,
    pub category: ProductCategory,
    pub code: Option<ProductCode>,
    pub allocation_start: NaiveDate,
}

/// One `StartProduct`: delivery began on `start`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartedProduct {
    pub allocation: AllocationRef,
    pub start: NaiveDate,
    pub status: Status,
}

/// One `StopProduct`: delivery that began on `start` ended on `end`
/// (inclusive), for `reason`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoppedProduct {
    pub allocation: AllocationRef,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub reason: EndReason,
    pub status: Status,
}

/// A WMO305.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Start {
    pub header: Header,
    pub client: Client,
    /// At least one.
    pub products: Vec<StartedProduct>,
}

/// A WMO307.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stop {
    pub header: Header,
    pub client: Client,
    /// At least one.
    pub products: Vec<StoppedProduct>,
}

/// Why a start or stop message could not be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeliveryError {
    #[error("a {0:?} names at least one product")]
    NoProducts(MessageKind),
    #[error("allocation {0}: delivery cannot start before the allocation does")]
    StartBeforeAllocation(AllocationNumber),
    #[error("allocation {0}: delivery cannot stop before it started")]
    EndBeforeStart(AllocationNumber),
    #[error("the header is a {found:?}, not a {expected:?}")]
    WrongKind {
        expected: MessageKind,
        found: MessageKind,
    },
}

impl Start {
    /// Checks the content rules that apply to writing, then writes the XML.
    pub fn to_xml(&self) -> Result<String, DeliveryError> {
        check_kind(&self.header, MessageKind::Wmo305)?;
        if self.products.is_empty() {
            return Err(DeliveryError::NoProducts(MessageKind::Wmo305));
        }
        for p in &self.products {
            if p.start < p.allocation.allocation_start {
                return Err(DeliveryError::StartBeforeAllocation(p.allocation.number));
            }
        }
        let mut w = XmlWriter::new(&MessageKind::Wmo305.namespace());
        self.header.write(&mut w);
        write_client(&mut w, &self.client);
        w.open("StartProducten");
        for p in &self.products {
            w.open("StartProduct");
            write_allocation(&mut w, &p.allocation);
            w.leaf("Begindatum", date(p.start))
                .leaf("StatusAanlevering", p.status.code());
            w.close();
        }
        Ok(w.finish())
    }
}

impl Stop {
    /// Checks the content rules that apply to writing, then writes the XML.
    pub fn to_xml(&self) -> Result<String, DeliveryError> {
        check_kind(&self.header, MessageKind::Wmo307)?;
        if self.products.is_empty() {
            return Err(DeliveryError::NoProducts(MessageKind::Wmo307));
        }
        for p in &self.products {
            if p.end < p.start {
                return Err(DeliveryError::EndBeforeStart(p.allocation.number));
            }
        }
        let mut w = XmlWriter::new(&MessageKind::Wmo307.namespace());
        self.header.write(&mut w);
        write_client(&mut w, &self.client);
        w.open("StopProducten");
        for p in &self.products {
            w.open("StopProduct");
            write_allocation(&mut w, &p.allocation);
            w.leaf("Begindatum", date(p.start))
                .leaf("RedenBeeindiging", p.reason.code())
                .leaf("Einddatum", date(p.end))
                .leaf("StatusAanlevering", p.status.code());
            w.close();
        }
        Ok(w.finish())
    }
}

fn check_kind(header: &Header, expected: MessageKind) -> Result<(), DeliveryError> {
    if header.kind == expected {
        Ok(())
    } else {
        Err(DeliveryError::WrongKind {
            expected,
            found: header.kind,
        })
    }
}

fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Text that is not blank, cut to `max` characters (the schema's limit).
fn text(s: &str, max: usize) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.chars().take(max).collect())
}

pub(crate) fn write_client(w: &mut XmlWriter, c: &Client) {
    w.open("Client").leaf("Bsn", c.bsn.as_str());
    w.open("Geboortedatum")
        .leaf("iwmo:Datum", date(c.birth_date))
        .close();
    w.leaf("Geslacht", c.gender.code());
    w.open("Naam").open("iwmo:Geslachtsnaam");
    w.leaf(
        "iwmo:Achternaam",
        text(&c.family_name, 200).unwrap_or_else(|| "-".into()),
    );
    w.leaf_opt(
        "iwmo:Voorvoegsel",
        c.prefix.as_deref().and_then(|p| text(p, 10)),
    );
    w.close();
    w.leaf_opt(
        "iwmo:Voornamen",
        c.given_names.as_deref().and_then(|g| text(g, 200)),
    );
    w.leaf_opt(
        "iwmo:Voorletters",
        c.initials.as_deref().and_then(crate::wmo301::initials),
    );
    w.close();
}

fn write_allocation(w: &mut XmlWriter, a: &AllocationRef) {
    w.leaf("ToewijzingNummer", a.number.to_string());
    w.open("Product")
        .leaf("iwmo:Categorie", a.category.as_str());
    w.leaf_opt("iwmo:Code", a.code.as_ref().map(ProductCode::as_str));
    w.close();
    w.leaf("ToewijzingIngangsdatum", date(a.allocation_start));
}

/// A start or stop as received: the values as written, before the content
/// rules ([`ReceivedDelivery::findings`]) and the receiver's own checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedDelivery {
    pub header: ReceivedHeader,
    pub bsn: String,
    pub products: Vec<ReceivedProduct>,
}

/// One received `StartProduct` or `StopProduct`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedProduct {
    pub number: Option<String>,
    pub category: Option<String>,
    pub code: Option<String>,
    pub allocation_start: Option<NaiveDate>,
    pub start: NaiveDate,
    /// A stop's `RedenBeeindiging`, as its code.
    pub reason: Option<String>,
    /// A stop's `Einddatum`.
    pub end: Option<NaiveDate>,
    /// `StatusAanlevering`, as its code.
    pub status: String,
}

impl ReceivedDelivery {
    /// The name of the product class in this message: `StartProduct` in a
    /// WMO305, `StopProduct` in a WMO307.
    pub const fn class(&self) -> &'static str {
        if matches!(self.header.kind, MessageKind::Wmo307) {
            "StopProduct"
        } else {
            "StartProduct"
        }
    }

    /// Reads a WMO305 or WMO307 that passed the XSD.
    pub fn read(doc: &roxmltree::Document<'_>) -> Result<Self, ReadError> {
        let header = read::header(doc)?;
        let (list, item) = match header.kind {
            MessageKind::Wmo305 => ("StartProducten", "StartProduct"),
            MessageKind::Wmo307 => ("StopProducten", "StopProduct"),
            other => {
                return Err(ReadError::NotIwmo(format!(
                    "{other:?}, not a WMO305 or WMO307"
                )));
            }
        };
        let client =
            read::child(doc.root_element(), "Client").ok_or(ReadError::Missing("Client"))?;
        let products_node = read::child(client, list).ok_or(ReadError::Missing(list))?;
        let mut products = Vec::new();
        for p in read::children(products_node, item) {
            let product = read::child(p, "Product");
            products.push(ReceivedProduct {
                number: read::text(p, "ToewijzingNummer"),
                category: product.and_then(|x| read::text(x, "Categorie")),
                code: product.and_then(|x| read::text(x, "Code")),
                allocation_start: read::date(p, "ToewijzingIngangsdatum")?,
                start: read::date(p, "Begindatum")?.ok_or(ReadError::Missing("Begindatum"))?,
                reason: read::text(p, "RedenBeeindiging"),
                end: read::date(p, "Einddatum")?,
                status: read::required(p, "StatusAanlevering")?,
            });
        }
        Ok(Self {
            header,
            bsn: read::required(client, "Bsn")?,
            products,
        })
    }

    /// The standard's content rules that the XSD does not check: the BSN's
    /// 11-check, a `ToewijzingNummer` (required since release 3.0) of at
    /// most nine digits, a stop that does not end before it began, a known
    /// end reason. Each finding names its class and why, in words.
    pub fn findings(&self) -> (Findings, Vec<String>) {
        let mut found = Findings::default();
        let mut why = Vec::new();
        if Bsn::parse(&self.bsn).is_err() {
            found.add("Client", 0, RetourCode::TECHNICAL);
            why.push(format!("Bsn {}: fails the 11-check", self.bsn));
        }
        let class = self.class();
        for (i, p) in self.products.iter().enumerate() {
            let label = p.number.as_deref().unwrap_or("(zonder nummer)");
            let mut refuse = |code, text: &str| {
                found.add(class, i, code);
                why.push(format!("{class} {}: {text}", label));
            };
            match p.number.as_deref().map(AllocationNumber::parse) {
                None => refuse(RetourCode::NOT_LINKED, "ToewijzingNummer is missing"),
                Some(Err(_)) => refuse(
                    RetourCode::TECHNICAL,
                    "ToewijzingNummer is not a whole number of at most nine digits",
                ),
                Some(Ok(_)) => {}
            }
            if p.end.is_some_and(|end| end < p.start) {
                refuse(RetourCode::TECHNICAL, "Einddatum lies before Begindatum");
            }
            if p.reason
                .as_deref()
                .is_some_and(|r| EndReason::parse(r).is_err())
            {
                refuse(
                    RetourCode::TECHNICAL,
                    "RedenBeeindiging is not a known code",
                );
            }
            if Status::parse(&p.status).is_none() {
                refuse(RetourCode::TECHNICAL, "StatusAanlevering is not 1, 2 or 3");
            }
        }
        (found, why)
    }
}
