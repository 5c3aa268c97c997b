//! WMO323 and WMO325: the provider declares what was delivered in a
//! declaration period (`Prestatie` per product period), and the
//! municipality answers with what it grants, line by line.

use chrono::NaiveDate;
use waakvlam_domain::declaration::DeclaredUnit;
use waakvlam_domain::ids::{AllocationNumber, Bsn, ProductCategory, ProductCode};
use waakvlam_domain::money::Cents;

use crate::header::{BASISSCHEMA_XSD_VERSION, BERICHT_XSD_VERSION, Header, MessageKind};
use crate::read::{self, ReadError, ReceivedHeader};
use crate::retour::RetourCode;
use crate::xml::XmlWriter;

/// A WMO323: one declaration of one provider to one municipality.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declaration {
    pub header: Header,
    /// `DeclaratieNummer`: letters and digits, at most 12.
    pub number: String,
    pub period_start: NaiveDate,
    /// Inclusive.
    pub period_end: NaiveDate,
    pub dated: NaiveDate,
    pub clients: Vec<DeclaredClient>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclaredClient {
    pub bsn: Bsn,
    pub lines: Vec<Performance>,
}

/// One `Prestatie`: what was delivered for one allocation in a product
/// period, debit, or credit (a correction of an earlier debit with the
/// same reference).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Performance {
    /// `ReferentieNummer`: unique per line, at most 20 characters.
    pub reference: String,
    /// `VorigReferentieNummer`: the line a new debit replaces.
    pub previous_reference: Option<String>,
    pub number: AllocationNumber,
    pub category: ProductCategory,
    pub code: ProductCode,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub volume: u32,
    pub unit: DeclaredUnit,
    pub tariff: Option<Cents>,
    /// Never negative: a credit says so with `credit`.
    pub amount: Cents,
    pub credit: bool,
}

/// Why a WMO323 could not be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeclarationError {
    #[error("a declaration names at least one client with at least one line")]
    Empty,
    #[error("declaration number {0:?}: letters and digits only, 1 to 12")]
    Number(String),
    #[error("line {0}: its product period lies outside the declaration period")]
    OutsidePeriod(String),
    #[error("line {0}: the product period ends before it starts")]
    Reversed(String),
    #[error("line {0}: an amount or volume beyond the standard's 99,999,999")]
    TooLarge(String),
    #[error("line {0}: the amount is not the volume times the tariff")]
    NotVolumeTimesTariff(String),
    #[error("line {0}: a reference is 1 to 20 characters, and unique among the debits")]
    Reference(String),
    #[error("the header is a {0:?}, not a WMO323")]
    WrongKind(MessageKind),
}

const MAX: i64 = 99_999_999;

fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn debit_credit(credit: bool) -> &'static str {
    if credit { "C" } else { "D" }
}

impl Declaration {
    /// The net total: debits minus credits.
    pub fn total(&self) -> i64 {
        self.clients
            .iter()
            .flat_map(|c| &c.lines)
            .map(|l| if l.credit { -l.amount.0 } else { l.amount.0 })
            .sum()
    }

    /// Checks the content rules that apply to writing, then writes the XML.
    pub fn to_xml(&self) -> Result<String, DeclarationError> {
        if self.header.kind != MessageKind::Wmo323 {
            return Err(DeclarationError::WrongKind(self.header.kind));
        }
        if self.number.is_empty()
            || self.number.len() > 12
            || !self.number.chars().all(|c| c.is_ascii_alphanumeric())
        {
            return Err(DeclarationError::Number(self.number.clone()));
        }
        if self.clients.is_empty() || self.clients.iter().any(|c| c.lines.is_empty()) {
            return Err(DeclarationError::Empty);
        }
        let mut debits = std::collections::BTreeSet::new();
        for l in self.clients.iter().flat_map(|c| &c.lines) {
            let r = || l.reference.clone();
            if l.reference.trim().is_empty()
                || l.reference.chars().count() > 20
                || (!l.credit && !debits.insert(l.reference.as_str()))
            {
                return Err(DeclarationError::Reference(r()));
            }
            if l.to < l.from {
                return Err(DeclarationError::Reversed(r()));
            }
            if l.from < self.period_start || l.to > self.period_end {
                return Err(DeclarationError::OutsidePeriod(r()));
            }
            if l.amount.0 < 0 || l.amount.0 > MAX || i64::from(l.volume) > MAX {
                return Err(DeclarationError::TooLarge(r()));
            }
            if let Some(t) = l.tariff
                && t.0.checked_mul(i64::from(l.volume)) != Some(l.amount.0)
            {
                return Err(DeclarationError::NotVolumeTimesTariff(r()));
            }
        }
        let total = self.total();
        let mut w = XmlWriter::new(&MessageKind::Wmo323.namespace());
        self.header.write(&mut w);
        w.open("Declaratie").leaf("DeclaratieNummer", &self.number);
        w.open("DeclaratiePeriode")
            .leaf("iwmo:Begindatum", date(self.period_start))
            .leaf("iwmo:Einddatum", date(self.period_end))
            .close();
        w.leaf("DeclaratieDagtekening", date(self.dated));
        w.open("TotaalIngediendBedrag")
            .leaf("iwmo:TotaalBedrag", total.unsigned_abs().to_string())
            .leaf("iwmo:DebetCredit", debit_credit(total < 0))
            .close();
        w.open("Clienten");
        for c in &self.clients {
            w.open("Client")
                .leaf("Bsn", c.bsn.as_str())
                .open("Prestaties");
            for l in &c.lines {
                w.open("Prestatie");
                w.open("ProductReferentie")
                    .leaf("iwmo:ReferentieNummer", &l.reference)
                    .leaf_opt("iwmo:VorigReferentieNummer", l.previous_reference.as_ref())
                    .close();
                w.leaf("ToewijzingNummer", l.number.to_string())
                    .leaf("ProductCategorie", l.category.as_str())
                    .leaf("ProductCode", l.code.as_str());
                w.open("ProductPeriode")
                    .leaf("iwmo:Begindatum", date(l.from))
                    .leaf("iwmo:Einddatum", date(l.to))
                    .close();
                w.leaf("GeleverdVolume", l.volume.to_string())
                    .leaf("Eenheid", l.unit.code())
                    .leaf_opt("ProductTarief", l.tariff.map(|t| t.0.to_string()));
                w.open("IngediendBedrag")
                    .leaf("iwmo:Bedrag", l.amount.0.to_string())
                    .leaf("iwmo:DebetCredit", debit_credit(l.credit))
                    .close();
                w.close();
            }
            w.close().close();
        }
        Ok(w.finish())
    }
}

/// The municipality's answer to one line: granted (0200) or not, with the
/// codes that say why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineAnswer {
    pub reference: String,
    pub codes: Vec<RetourCode>,
}

/// A WMO325, written by the municipality from the declaration it read: the
/// lines repeated with their codes, and the total granted (the lines with
/// only 0200).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The 325's own header (kind 325, municipality to provider).
    pub header: Header,
    /// The declaration answered, as received.
    pub declaration: ReceivedDeclaration,
    /// Codes about the message as a whole (0200 when there are none).
    pub header_codes: Vec<RetourCode>,
    pub lines: Vec<LineAnswer>,
}

impl Answer {
    pub fn to_xml(&self) -> String {
        let d = &self.declaration;
        let codes_of = |reference: &str| -> Vec<RetourCode> {
            self.lines
                .iter()
                .find(|l| l.reference == reference)
                .map(|l| l.codes.clone())
                .filter(|c| !c.is_empty())
                .unwrap_or_else(|| vec![RetourCode::ACCEPTED])
        };
        let granted: i64 = d
            .clients
            .iter()
            .flat_map(|c| &c.lines)
            .filter(|l| codes_of(&l.reference) == [RetourCode::ACCEPTED])
            .map(|l| if l.credit { -l.amount } else { l.amount })
            .sum();
        let write_codes = |w: &mut XmlWriter, codes: &[RetourCode]| {
            w.open("RetourCodes");
            for c in codes {
                w.leaf("RetourCode", c.code());
            }
            w.close();
        };
        let mut w = XmlWriter::new(&MessageKind::Wmo325.namespace());
        self.header.write_open(&mut w);
        w.open("DeclaratieIdentificatie")
            .leaf("iwmo:Identificatie", &d.header.identification)
            .leaf("iwmo:Dagtekening", date(d.header.dated))
            .close();
        // The versions the declaration was written with, as it said them.
        w.open("XsdVersieDeclaratie")
            .leaf("iwmo:BasisschemaXsdVersie", &d.xsd_version.0)
            .leaf("iwmo:BerichtXsdVersie", &d.xsd_version.1)
            .close();
        let header_codes = if self.header_codes.is_empty() {
            vec![RetourCode::ACCEPTED]
        } else {
            self.header_codes.clone()
        };
        write_codes(&mut w, &header_codes);
        w.close();
        w.open("DeclaratieAntwoord")
            .leaf("DeclaratieNummer", &d.number);
        w.open("TotaalIngediendBedrag")
            .leaf("iwmo:TotaalBedrag", d.total.unsigned_abs().to_string())
            .leaf("iwmo:DebetCredit", debit_credit(d.total < 0))
            .close();
        w.open("TotaalToegekendBedrag")
            .leaf("iwmo:TotaalBedrag", granted.unsigned_abs().to_string())
            .leaf("iwmo:DebetCredit", debit_credit(granted < 0))
            .close();
        w.open("Clienten");
        for c in &d.clients {
            w.open("Client").leaf("Bsn", &c.bsn).open("Prestaties");
            // The client class has no finding of its own: a refused line
            // carries its codes, the client 0200 (as the standard's examples).
            let client_codes = vec![RetourCode::ACCEPTED];
            for l in &c.lines {
                let codes = codes_of(&l.reference);
                w.open("Prestatie");
                w.open("ProductReferentie")
                    .leaf("iwmo:ReferentieNummer", &l.reference)
                    .leaf_opt("iwmo:VorigReferentieNummer", l.previous_reference.as_ref())
                    .close();
                w.leaf("ToewijzingNummer", &l.number)
                    .leaf("ProductCategorie", &l.category)
                    .leaf("ProductCode", &l.code);
                w.open("ProductPeriode")
                    .leaf("iwmo:Begindatum", date(l.from))
                    .leaf("iwmo:Einddatum", date(l.to))
                    .close();
                w.leaf("GeleverdVolume", l.volume.to_string())
                    .leaf("Eenheid", &l.unit)
                    .leaf_opt("ProductTarief", l.tariff.map(|t| t.to_string()));
                w.open("IngediendBedrag")
                    .leaf("iwmo:Bedrag", l.amount.to_string())
                    .leaf("iwmo:DebetCredit", debit_credit(l.credit))
                    .close();
                write_codes(&mut w, &codes);
                w.close();
            }
            w.close();
            // A client with a refused line is not assessed as a whole.
            write_codes(&mut w, &client_codes);
            w.close();
        }
        w.close();
        write_codes(&mut w, &[RetourCode::ACCEPTED]);
        w.finish()
    }
}

/// A WMO323 as received (or as written, read back).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedDeclaration {
    pub header: ReceivedHeader,
    /// The `XsdVersie` it was written with (basisschema, message), which its
    /// answer repeats as `XsdVersieDeclaratie`.
    pub xsd_version: (String, String),
    pub number: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    /// Net, signed: credit negative.
    pub total: i64,
    pub clients: Vec<ReceivedClient>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedClient {
    pub bsn: String,
    pub lines: Vec<ReceivedLine>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedLine {
    pub reference: String,
    pub previous_reference: Option<String>,
    pub number: String,
    pub category: String,
    pub code: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub volume: u64,
    pub unit: String,
    pub tariff: Option<i64>,
    pub amount: i64,
    pub credit: bool,
}

fn signed(node: roxmltree::Node<'_, '_>, amount: &'static str) -> Result<i64, ReadError> {
    let value: i64 = read::number(node, amount)?.ok_or(ReadError::Missing(amount))?;
    Ok(if read::text(node, "DebetCredit").as_deref() == Some("C") {
        -value
    } else {
        value
    })
}

fn read_line(p: roxmltree::Node<'_, '_>) -> Result<ReceivedLine, ReadError> {
    let reference =
        read::child(p, "ProductReferentie").ok_or(ReadError::Missing("ProductReferentie"))?;
    let period = read::child(p, "ProductPeriode").ok_or(ReadError::Missing("ProductPeriode"))?;
    let amount = read::child(p, "IngediendBedrag").ok_or(ReadError::Missing("IngediendBedrag"))?;
    Ok(ReceivedLine {
        reference: read::required(reference, "ReferentieNummer")?,
        previous_reference: read::text(reference, "VorigReferentieNummer"),
        number: read::required(p, "ToewijzingNummer")?,
        category: read::required(p, "ProductCategorie")?,
        code: read::required(p, "ProductCode")?,
        from: read::date(period, "Begindatum")?.ok_or(ReadError::Missing("Begindatum"))?,
        to: read::date(period, "Einddatum")?.ok_or(ReadError::Missing("Einddatum"))?,
        volume: read::number(p, "GeleverdVolume")?.ok_or(ReadError::Missing("GeleverdVolume"))?,
        unit: read::required(p, "Eenheid")?,
        tariff: read::number(p, "ProductTarief")?,
        amount: read::number(amount, "Bedrag")?.ok_or(ReadError::Missing("Bedrag"))?,
        credit: read::text(amount, "DebetCredit").as_deref() == Some("C"),
    })
}

impl ReceivedDeclaration {
    /// Reads a WMO323 that passed the XSD.
    pub fn read(doc: &roxmltree::Document<'_>) -> Result<Self, ReadError> {
        let header = read::header(doc)?;
        if header.kind != MessageKind::Wmo323 {
            return Err(ReadError::NotIwmo(format!(
                "{:?}, not a WMO323",
                header.kind
            )));
        }
        let d = read::child(doc.root_element(), "Declaratie")
            .ok_or(ReadError::Missing("Declaratie"))?;
        let period =
            read::child(d, "DeclaratiePeriode").ok_or(ReadError::Missing("DeclaratiePeriode"))?;
        let total = read::child(d, "TotaalIngediendBedrag")
            .ok_or(ReadError::Missing("TotaalIngediendBedrag"))?;
        let mut clients = Vec::new();
        if let Some(list) = read::child(d, "Clienten") {
            for c in read::children(list, "Client") {
                let lines = match read::child(c, "Prestaties") {
                    Some(ps) => read::children(ps, "Prestatie")
                        .map(read_line)
                        .collect::<Result<_, _>>()?,
                    None => Vec::new(),
                };
                clients.push(ReceivedClient {
                    bsn: read::required(c, "Bsn")?,
                    lines,
                });
            }
        }
        let xsd =
            read::child(doc.root_element(), "Header").and_then(|h| read::child(h, "XsdVersie"));
        let xsd_version = (
            xsd.and_then(|x| read::text(x, "BasisschemaXsdVersie"))
                .unwrap_or_else(|| BASISSCHEMA_XSD_VERSION.to_owned()),
            xsd.and_then(|x| read::text(x, "BerichtXsdVersie"))
                .unwrap_or_else(|| BERICHT_XSD_VERSION.to_owned()),
        );
        Ok(Self {
            header,
            xsd_version,
            number: read::required(d, "DeclaratieNummer")?,
            period_start: read::date(period, "Begindatum")?
                .ok_or(ReadError::Missing("Begindatum"))?,
            period_end: read::date(period, "Einddatum")?.ok_or(ReadError::Missing("Einddatum"))?,
            total: signed(total, "TotaalBedrag")?,
            clients,
        })
    }
}

/// A WMO325 as received by the provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedAnswer {
    pub header: ReceivedHeader,
    /// `DeclaratieIdentificatie`: the identification of the 323 answered.
    pub declaration_identification: String,
    /// Codes about the message as a whole.
    pub header_codes: Vec<String>,
    pub number: Option<String>,
    /// Signed totals: credit negative.
    pub submitted: Option<i64>,
    pub granted: Option<i64>,
    pub lines: Vec<AnsweredLine>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnsweredLine {
    pub reference: String,
    pub credit: bool,
    pub codes: Vec<String>,
}

impl AnsweredLine {
    /// Granted: only 0200.
    pub fn granted(&self) -> bool {
        !self.codes.is_empty() && self.codes.iter().all(|c| c == RetourCode::ACCEPTED.code())
    }
}

fn codes(node: roxmltree::Node<'_, '_>) -> Vec<String> {
    read::child(node, "RetourCodes")
        .map(|rc| {
            read::children(rc, "RetourCode")
                .filter_map(|c| c.text())
                .map(|t| t.trim().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

impl ReceivedAnswer {
    /// Reads a WMO325 that passed the XSD.
    pub fn read(doc: &roxmltree::Document<'_>) -> Result<Self, ReadError> {
        let header = read::header(doc)?;
        if header.kind != MessageKind::Wmo325 {
            return Err(ReadError::NotIwmo(format!(
                "{:?}, not a WMO325",
                header.kind
            )));
        }
        let h = read::child(doc.root_element(), "Header").ok_or(ReadError::Missing("Header"))?;
        let declaration = read::child(h, "DeclaratieIdentificatie")
            .ok_or(ReadError::Missing("DeclaratieIdentificatie"))?;
        let answer = read::child(doc.root_element(), "DeclaratieAntwoord");
        let mut lines = Vec::new();
        if let Some(list) = answer.and_then(|a| read::child(a, "Clienten")) {
            for c in read::children(list, "Client") {
                for p in read::child(c, "Prestaties")
                    .into_iter()
                    .flat_map(|ps| read::children(ps, "Prestatie"))
                {
                    let reference = read::child(p, "ProductReferentie")
                        .ok_or(ReadError::Missing("ProductReferentie"))?;
                    let amount = read::child(p, "IngediendBedrag")
                        .ok_or(ReadError::Missing("IngediendBedrag"))?;
                    lines.push(AnsweredLine {
                        reference: read::required(reference, "ReferentieNummer")?,
                        credit: read::text(amount, "DebetCredit").as_deref() == Some("C"),
                        codes: codes(p),
                    });
                }
            }
        }
        let total = |name: &'static str| -> Result<Option<i64>, ReadError> {
            match answer.and_then(|a| read::child(a, name)) {
                Some(t) => signed(t, "TotaalBedrag").map(Some),
                None => Ok(None),
            }
        };
        Ok(Self {
            declaration_identification: read::required(declaration, "Identificatie")?,
            header_codes: codes(h),
            number: answer.and_then(|a| read::text(a, "DeclaratieNummer")),
            submitted: total("TotaalIngediendBedrag")?,
            granted: total("TotaalToegekendBedrag")?,
            lines,
            header,
        })
    }
}
