//! WMO317 and WMO319: the provider asks the municipality to change the
//! support of a client it delivers to (verzoek om wijziging) — the
//! standard's own route for scaling up or down without a new intake — and
//! the municipality answers when it does not simply allocate (an approval
//! is the new WMO301 itself, naming the request).

use chrono::NaiveDate;
use waakvlam_domain::ids::{AllocationNumber, Bsn, ProductCategory, ProductCode};
use waakvlam_domain::money::Cents;

use crate::header::{Header, MessageKind};
use crate::read::{self, ReadError, ReceivedHeader};
use crate::retour::{Findings, RetourCode};
use crate::wmo301::Extent;
use crate::xml::XmlWriter;

/// `RedenVerzoek`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestReason {
    /// 1: the client's situation changed.
    ClientSituation,
    /// 2: the care plan changed.
    CarePlan,
}

impl RequestReason {
    pub const fn code(self) -> &'static str {
        match self {
            Self::ClientSituation => "1",
            Self::CarePlan => "2",
        }
    }
}

/// A `TeWijzigenProduct`: an allocation to change, from its own first day
/// (the standard asks the original `Ingangsdatum`), to end on `end`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductChange {
    pub number: AllocationNumber,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    pub extent: Extent,
}

/// A `NieuwProduct`: a product asked for, from `start`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewProduct {
    pub category: ProductCategory,
    pub code: Option<ProductCode>,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    pub extent: Extent,
}

/// A WMO317.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeRequest {
    pub header: Header,
    pub bsn: Bsn,
    /// `ReferentieAanbieder`: the provider's own reference, which the
    /// answer and the new allocation repeat (at most 36 characters).
    pub reference: String,
    pub reason: RequestReason,
    /// Every other current allocation of the client with this provider
    /// (the standard wants them all named).
    pub unchanged: Vec<AllocationNumber>,
    pub changed: Vec<ProductChange>,
    pub new: Vec<NewProduct>,
}

/// Why a WMO317 could not be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    #[error("a request changes or asks for at least one product")]
    Empty,
    #[error("a reference is 1 to 36 characters")]
    Reference,
    #[error("a product ends before it starts")]
    EndBeforeStart,
    #[error("the header is a {0:?}, not a {1:?}")]
    WrongKind(MessageKind, MessageKind),
}

fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

pub(crate) fn write_extent(w: &mut XmlWriter, extent: Extent) {
    match extent {
        Extent::None => {}
        Extent::Volume { volume, unit, per } => {
            w.open("Omvang")
                .leaf("iwmo:Volume", volume.to_string())
                .leaf("iwmo:Eenheid", unit.code())
                .leaf("iwmo:Frequentie", per.code())
                .close();
        }
        Extent::Budget(Cents(c)) => {
            w.leaf("Budget", c.to_string());
        }
    }
}

fn check_reference(reference: &str) -> Result<(), RequestError> {
    if reference.trim().is_empty() || reference.chars().count() > 36 {
        Err(RequestError::Reference)
    } else {
        Ok(())
    }
}

impl ChangeRequest {
    pub fn to_xml(&self) -> Result<String, RequestError> {
        if self.header.kind != MessageKind::Wmo317 {
            return Err(RequestError::WrongKind(
                self.header.kind,
                MessageKind::Wmo317,
            ));
        }
        check_reference(&self.reference)?;
        if self.changed.is_empty() && self.new.is_empty() {
            return Err(RequestError::Empty);
        }
        let reversed = self
            .changed
            .iter()
            .map(|c| (c.start, c.end))
            .chain(self.new.iter().map(|n| (n.start, n.end)))
            .any(|(start, end)| end.is_some_and(|e| e < start));
        if reversed {
            return Err(RequestError::EndBeforeStart);
        }
        let mut w = XmlWriter::new(&MessageKind::Wmo317.namespace());
        self.header.write(&mut w);
        w.open("Client").leaf("Bsn", self.bsn.as_str());
        w.open("Verzoek")
            .leaf("ReferentieAanbieder", &self.reference)
            .leaf("RedenVerzoek", self.reason.code());
        if !self.unchanged.is_empty() {
            w.open("OngewijzigdeProducten");
            for n in &self.unchanged {
                w.open("OngewijzigdProduct")
                    .leaf("ToewijzingNummer", n.to_string())
                    .close();
            }
            w.close();
        }
        if !self.changed.is_empty() {
            w.open("TeWijzigenProducten");
            for c in &self.changed {
                w.open("TeWijzigenProduct")
                    .leaf("ToewijzingNummer", c.number.to_string())
                    .leaf("GewensteIngangsdatum", date(c.start))
                    .leaf_opt("Einddatum", c.end.map(date));
                write_extent(&mut w, c.extent);
                w.close();
            }
            w.close();
        }
        if !self.new.is_empty() {
            w.open("NieuweProducten");
            for n in &self.new {
                w.open("NieuwProduct");
                w.open("Product")
                    .leaf("iwmo:Categorie", n.category.as_str());
                w.leaf_opt("iwmo:Code", n.code.as_ref().map(ProductCode::as_str));
                w.close();
                w.leaf("GewensteIngangsdatum", date(n.start))
                    .leaf_opt("Einddatum", n.end.map(date));
                write_extent(&mut w, n.extent);
                w.close();
            }
            w.close();
        }
        Ok(w.finish())
    }
}

/// `VerzoekAntwoord` with its reason: the standard answers a request with a
/// 319 only when it does not allocate at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestAnswer {
    /// 1, with `RedenAfwijzingVerzoek` (1–9).
    Rejected(RejectionReason),
    /// 2: the request is being looked into.
    UnderInvestigation,
}

/// `RedenAfwijzingVerzoek`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RejectionReason {
    /// 1: not a change but a new application.
    NewApplication,
    /// 2: does not fit the budget.
    Budget,
    /// 4: does not fit the contract.
    Contract,
    /// 7: refused on the content of the care.
    CareContent,
}

impl RejectionReason {
    pub const fn code(self) -> &'static str {
        match self {
            Self::NewApplication => "1",
            Self::Budget => "2",
            Self::Contract => "4",
            Self::CareContent => "7",
        }
    }
}

/// A WMO319.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub header: Header,
    pub reference: String,
    pub answer: RequestAnswer,
}

impl Answer {
    pub fn to_xml(&self) -> Result<String, RequestError> {
        if self.header.kind != MessageKind::Wmo319 {
            return Err(RequestError::WrongKind(
                self.header.kind,
                MessageKind::Wmo319,
            ));
        }
        check_reference(&self.reference)?;
        let mut w = XmlWriter::new(&MessageKind::Wmo319.namespace());
        self.header.write(&mut w);
        w.open("Antwoord")
            .leaf("ReferentieAanbieder", &self.reference);
        match self.answer {
            RequestAnswer::Rejected(why) => {
                w.leaf("VerzoekAntwoord", "1")
                    .leaf("RedenAfwijzingVerzoek", why.code());
            }
            RequestAnswer::UnderInvestigation => {
                w.leaf("VerzoekAntwoord", "2");
            }
        }
        Ok(w.finish())
    }
}

/// A WMO317 as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedRequest {
    pub header: ReceivedHeader,
    pub bsn: String,
    pub reference: String,
    pub reason: String,
    pub unchanged: Vec<String>,
    pub changed: Vec<ReceivedChange>,
    pub new: Vec<ReceivedNew>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedChange {
    pub number: String,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedNew {
    pub category: Option<String>,
    pub code: Option<String>,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
}

impl ReceivedRequest {
    /// Reads a WMO317 that passed the XSD.
    pub fn read(doc: &roxmltree::Document<'_>) -> Result<Self, ReadError> {
        let header = read::header(doc)?;
        if header.kind != MessageKind::Wmo317 {
            return Err(ReadError::NotIwmo(format!(
                "{:?}, not a WMO317",
                header.kind
            )));
        }
        let client =
            read::child(doc.root_element(), "Client").ok_or(ReadError::Missing("Client"))?;
        let v = read::child(client, "Verzoek").ok_or(ReadError::Missing("Verzoek"))?;
        let list = |outer: &'static str, inner: &'static str| {
            read::child(v, outer)
                .into_iter()
                .flat_map(move |o| read::children(o, inner))
        };
        let unchanged = list("OngewijzigdeProducten", "OngewijzigdProduct")
            .map(|p| read::required(p, "ToewijzingNummer"))
            .collect::<Result<_, _>>()?;
        let changed = list("TeWijzigenProducten", "TeWijzigenProduct")
            .map(|p| {
                Ok(ReceivedChange {
                    number: read::required(p, "ToewijzingNummer")?,
                    start: read::date(p, "GewensteIngangsdatum")?
                        .ok_or(ReadError::Missing("GewensteIngangsdatum"))?,
                    end: read::date(p, "Einddatum")?,
                })
            })
            .collect::<Result<_, ReadError>>()?;
        let new = list("NieuweProducten", "NieuwProduct")
            .map(|p| {
                let product = read::child(p, "Product");
                Ok(ReceivedNew {
                    category: product.and_then(|x| read::text(x, "Categorie")),
                    code: product.and_then(|x| read::text(x, "Code")),
                    start: read::date(p, "GewensteIngangsdatum")?
                        .ok_or(ReadError::Missing("GewensteIngangsdatum"))?,
                    end: read::date(p, "Einddatum")?,
                })
            })
            .collect::<Result<_, ReadError>>()?;
        Ok(Self {
            bsn: read::required(client, "Bsn")?,
            reference: read::required(v, "ReferentieAanbieder")?,
            reason: read::required(v, "RedenVerzoek")?,
            unchanged,
            changed,
            new,
            header,
        })
    }

    /// The standard's content rules the XSD leaves: the BSN's 11-check,
    /// allocation numbers of at most nine digits, date order.
    pub fn findings(&self) -> (Findings, Vec<String>) {
        let mut found = Findings::default();
        let mut why = Vec::new();
        if Bsn::parse(&self.bsn).is_err() {
            found.add("Client", 0, RetourCode::TECHNICAL);
            why.push(format!("Bsn {}: fails the 11-check", self.bsn));
        }
        for (i, n) in self.unchanged.iter().enumerate() {
            if AllocationNumber::parse(n).is_err() {
                found.add("OngewijzigdProduct", i, RetourCode::TECHNICAL);
                why.push(format!(
                    "ToewijzingNummer {n}: not a number of at most nine digits"
                ));
            }
        }
        for (i, c) in self.changed.iter().enumerate() {
            if AllocationNumber::parse(&c.number).is_err() {
                found.add("TeWijzigenProduct", i, RetourCode::TECHNICAL);
                why.push(format!(
                    "ToewijzingNummer {}: not a number of at most nine digits",
                    c.number
                ));
            }
            if c.end.is_some_and(|e| e < c.start) {
                found.add("TeWijzigenProduct", i, RetourCode::TECHNICAL);
                why.push(format!(
                    "ToewijzingNummer {}: Einddatum lies before GewensteIngangsdatum",
                    c.number
                ));
            }
        }
        for (i, n) in self.new.iter().enumerate() {
            if n.end.is_some_and(|e| e < n.start) {
                found.add("NieuwProduct", i, RetourCode::TECHNICAL);
                why.push("NieuwProduct: Einddatum lies before GewensteIngangsdatum".into());
            }
        }
        (found, why)
    }
}

/// A WMO319 as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedAnswer {
    pub header: ReceivedHeader,
    pub reference: String,
    /// 1 rejected, 2 under investigation.
    pub answer: String,
    pub reason: Option<String>,
}

impl ReceivedAnswer {
    /// Reads a WMO319 that passed the XSD.
    pub fn read(doc: &roxmltree::Document<'_>) -> Result<Self, ReadError> {
        let header = read::header(doc)?;
        if header.kind != MessageKind::Wmo319 {
            return Err(ReadError::NotIwmo(format!(
                "{:?}, not a WMO319",
                header.kind
            )));
        }
        let a =
            read::child(doc.root_element(), "Antwoord").ok_or(ReadError::Missing("Antwoord"))?;
        Ok(Self {
            reference: read::required(a, "ReferentieAanbieder")?,
            answer: read::required(a, "VerzoekAntwoord")?,
            reason: read::text(a, "RedenAfwijzingVerzoek"),
            header,
        })
    }
}
