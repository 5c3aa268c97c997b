//! WMO315: the provider asks the municipality for an allocation (aanvraag
//! toewijzing) for a client it has no current allocation for — in Waakvlam,
//! a resident whose support with this provider ended and who needs it again
//! ("opschalen" after the waakvlam ended), without a new intake. The
//! municipality answers with the new WMO301 that names the request's
//! reference, or with a WMO319 when it does not simply allocate.

use chrono::NaiveDate;
use waakvlam_domain::ids::{AgbCode, Bsn, ProductCategory, ProductCode};

use crate::header::{Header, MessageKind};
use crate::read::{self, ReadError, ReceivedHeader};
use crate::request::RequestError;
use crate::retour::{Findings, RetourCode};
use crate::wmo301::{Extent, text};
use crate::xml::XmlWriter;

/// `Type` of the `Verwijzer` (`LDT_TypeVerwijzer`): who referred the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Referrer {
    /// 01: the municipality (the earlier allocation was the municipality's).
    Municipality,
    /// 02: the general practitioner.
    GeneralPractitioner,
    /// 06: the client came of their own accord (or rang the bell).
    SelfReferred,
}

impl Referrer {
    pub const fn code(self) -> &'static str {
        match self {
            Self::Municipality => "01",
            Self::GeneralPractitioner => "02",
            Self::SelfReferred => "06",
        }
    }
}

/// The client as a request names them (`CDT_VerkorteNaam`: no name use),
/// as a start or stop does.
pub use crate::delivery::Client as RequestClient;

/// One `AangevraagdProduct`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestedProduct {
    /// `ReferentieAanbieder`, which the new allocation or the answer repeats.
    pub reference: String,
    pub category: ProductCategory,
    pub code: Option<ProductCode>,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    pub extent: Extent,
    pub referrer: Referrer,
    /// The referring care provider's AGB code, for a GP or specialist.
    pub referrer_agb: Option<AgbCode>,
    pub comment: Option<String>,
}

/// A WMO315.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllocationRequest {
    pub header: Header,
    pub client: RequestClient,
    /// At least one.
    pub products: Vec<RequestedProduct>,
}

fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

impl AllocationRequest {
    /// Writes the message after the standard's rules the XSD leaves: at
    /// least one product, references of 1 to 36 characters, date order.
    pub fn to_xml(&self) -> Result<String, RequestError> {
        if self.header.kind != MessageKind::Wmo315 {
            return Err(RequestError::WrongKind(
                self.header.kind,
                MessageKind::Wmo315,
            ));
        }
        if self.products.is_empty() {
            return Err(RequestError::Empty);
        }
        for p in &self.products {
            if p.reference.trim().is_empty() || p.reference.chars().count() > 36 {
                return Err(RequestError::Reference);
            }
            if p.end.is_some_and(|e| e < p.start) {
                return Err(RequestError::EndBeforeStart);
            }
        }
        let mut w = XmlWriter::new(&MessageKind::Wmo315.namespace());
        self.header.write(&mut w);
        crate::delivery::write_client(&mut w, &self.client);
        w.open("AangevraagdeProducten");
        for p in &self.products {
            w.open("AangevraagdProduct")
                .leaf("ReferentieAanbieder", p.reference.trim());
            w.open("Product")
                .leaf("iwmo:Categorie", p.category.as_str());
            w.leaf_opt("iwmo:Code", p.code.as_ref().map(ProductCode::as_str));
            w.close();
            w.leaf("ToewijzingIngangsdatum", date(p.start))
                .leaf_opt("ToewijzingEinddatum", p.end.map(date));
            crate::request::write_extent(&mut w, p.extent);
            w.open("Verwijzer").leaf("iwmo:Type", p.referrer.code());
            w.leaf_opt(
                "iwmo:ZorgverlenerCode",
                p.referrer_agb.as_ref().map(AgbCode::as_str),
            );
            w.close();
            w.leaf_opt(
                "Commentaar",
                p.comment.as_deref().and_then(|c| text(c, 4000)),
            );
            w.close();
        }
        w.close();
        Ok(w.finish())
    }
}

/// A WMO315 as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedAllocationRequest {
    pub header: ReceivedHeader,
    pub bsn: String,
    pub birth_date: Option<NaiveDate>,
    pub family_name: String,
    pub products: Vec<ReceivedRequestedProduct>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedRequestedProduct {
    pub reference: String,
    pub category: Option<String>,
    pub code: Option<String>,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    pub has_volume: bool,
    pub has_budget: bool,
    pub referrer: String,
}

impl ReceivedAllocationRequest {
    /// Reads a WMO315 that passed the XSD.
    pub fn read(doc: &roxmltree::Document<'_>) -> Result<Self, ReadError> {
        let header = read::header(doc)?;
        if header.kind != MessageKind::Wmo315 {
            return Err(ReadError::NotIwmo(format!(
                "{:?}, not a WMO315",
                header.kind
            )));
        }
        let client =
            read::child(doc.root_element(), "Client").ok_or(ReadError::Missing("Client"))?;
        let naam = read::child(client, "Naam").ok_or(ReadError::Missing("Naam"))?;
        let family =
            read::child(naam, "Geslachtsnaam").ok_or(ReadError::Missing("Geslachtsnaam"))?;
        let birth = read::child(client, "Geboortedatum");
        let products = read::child(client, "AangevraagdeProducten")
            .into_iter()
            .flat_map(|o| read::children(o, "AangevraagdProduct"))
            .map(|p| {
                let product = read::child(p, "Product");
                Ok(ReceivedRequestedProduct {
                    reference: read::required(p, "ReferentieAanbieder")?,
                    category: product.and_then(|x| read::text(x, "Categorie")),
                    code: product.and_then(|x| read::text(x, "Code")),
                    start: read::date(p, "ToewijzingIngangsdatum")?
                        .ok_or(ReadError::Missing("ToewijzingIngangsdatum"))?,
                    end: read::date(p, "ToewijzingEinddatum")?,
                    has_volume: read::child(p, "Omvang").is_some(),
                    has_budget: read::child(p, "Budget").is_some(),
                    referrer: read::child(p, "Verwijzer")
                        .and_then(|v| read::text(v, "Type"))
                        .ok_or(ReadError::Missing("Verwijzer"))?,
                })
            })
            .collect::<Result<Vec<_>, ReadError>>()?;
        Ok(Self {
            bsn: read::required(client, "Bsn")?,
            birth_date: match birth {
                Some(b) => read::date(b, "Datum")?,
                None => None,
            },
            family_name: read::required(family, "Achternaam")?,
            products,
            header,
        })
    }

    /// The standard's content rules the XSD leaves: the BSN's 11-check,
    /// Omvang and Budget not both, an Einddatum with a Budget, date order.
    pub fn findings(&self) -> (Findings, Vec<String>) {
        let mut found = Findings::default();
        let mut why = Vec::new();
        if Bsn::parse(&self.bsn).is_err() {
            found.add("Client", 0, RetourCode::TECHNICAL);
            why.push(format!("Bsn {}: fails the 11-check", self.bsn));
        }
        for (i, p) in self.products.iter().enumerate() {
            let name = &p.reference;
            if p.end.is_some_and(|e| e < p.start) {
                found.add("AangevraagdProduct", i, RetourCode::TECHNICAL);
                why.push(format!(
                    "AangevraagdProduct {name}: ToewijzingEinddatum lies before ToewijzingIngangsdatum"
                ));
            }
            if p.has_volume && p.has_budget {
                found.add("AangevraagdProduct", i, RetourCode::TECHNICAL);
                why.push(format!(
                    "AangevraagdProduct {name}: Omvang and Budget exclude each other"
                ));
            }
            if p.has_budget && p.end.is_none() {
                found.add("AangevraagdProduct", i, RetourCode::TECHNICAL);
                why.push(format!(
                    "AangevraagdProduct {name}: a Budget needs a ToewijzingEinddatum"
                ));
            }
        }
        (found, why)
    }
}
