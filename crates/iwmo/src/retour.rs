//! Retour messages (302, 306, 308, 316, 318, 320, 325): the received message
//! sent back whole, with the retour header and a `RetourCodes` at the end of
//! each class the retour schema marks, saying what was found there.
//!
//! Written by transforming the received document, so every class comes
//! back exactly as it was sent, whichever message it is.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::MessageKind;
use crate::header::{BASISSCHEMA_XSD_VERSION, BERICHT_XSD_VERSION};
use crate::read::{self, ReadError};
use crate::xml::{BASISSCHEMA_NAMESPACE, XmlWriter};

/// A code of `LDT_RetourCode` (only codes of the release's list can be
/// written: the retour must validate).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RetourCode(&'static str);

impl RetourCode {
    /// 0001: the message is rejected for technical reasons (it failed the
    /// XSD or a content rule without a code of its own in this release).
    pub const TECHNICAL: Self = Self("0001");
    /// 0200: no remark about this class.
    pub const ACCEPTED: Self = Self("0200");
    /// 0233: this class was not assessed (another part was rejected).
    pub const NOT_ASSESSED: Self = Self("0233");
    /// 9019: the start or stop cannot be linked to an allocation.
    pub const NOT_LINKED: Self = Self("9019");
    /// 9056: the identification is not unique per message kind for the sender.
    pub const IDENTIFICATION_NOT_UNIQUE: Self = Self("9056");
    /// 9069: there is no current start with the same key (a stop without
    /// its start).
    pub const NO_START: Self = Self("9069");
    /// 8001: the declaration is granted in full (a WMO325 may say so with
    /// its header alone).
    pub const FULLY_GRANTED: Self = Self("8001");
    /// 9071: a start cannot be withdrawn: the delivery was stopped.
    pub const START_NOT_WITHDRAWABLE: Self = Self("9071");
    /// 9355: the answer's `ReferentieAanbieder` names no request sent before.
    pub const UNKNOWN_REQUEST: Self = Self("9355");
    /// 9333: the declaration number was used before.
    pub const DECLARATION_NUMBER_NOT_UNIQUE: Self = Self("9333");
    /// 9332: the allocation has no unique number within the legal domain.
    pub const ALLOCATION_NUMBER_NOT_UNIQUE: Self = Self("9332");
    /// 9415: this delivery was stopped before.
    pub const ALREADY_STOPPED: Self = Self("9415");
    /// 9308: a line's product period ends outside the allocation's dates.
    pub const END_OUTSIDE_ALLOCATION: Self = Self("9308");
    /// 8017: a credit line without a debit line declared before.
    pub const CREDIT_WITHOUT_DEBIT: Self = Self("8017");
    /// 8021: the line's reference was declared before.
    pub const REFERENCE_USED: Self = Self("8021");
    /// 9307: a line's product period starts outside the allocation's dates.
    pub const START_OUTSIDE_ALLOCATION: Self = Self("9307");
    /// 9319: a line's product period lies outside the declaration period.
    pub const OUTSIDE_PERIOD: Self = Self("9319");
    /// 9338: a line is not related to an allocated product.
    pub const NOT_ALLOCATED: Self = Self("9338");
    /// 9340: the line's product code is not the allocated product's.
    pub const OTHER_PRODUCT: Self = Self("9340");
    /// 9350: an unchanged product is not a current allocation.
    pub const UNCHANGED_NOT_CURRENT: Self = Self("9350");
    /// 9351: a product to change is not a current allocation.
    pub const CHANGE_NOT_CURRENT: Self = Self("9351");
    /// 9369: the lines declared do not fit within the allocated budget.
    pub const BUDGET_EXCEEDED: Self = Self("9369");
    /// 9411: Omvang is empty while the product has a code.
    pub const EXTENT_MISSING: Self = Self("9411");
    /// S300: the municipality code is not in CBS's list.
    pub const UNKNOWN_MUNICIPALITY: Self = Self("S300");

    pub const fn code(self) -> &'static str {
        self.0
    }

    /// A code read from a received retour message, if it is in the
    /// release's list (any code of it, not only those Waakvlam gives).
    pub fn parse(code: &str) -> Option<Self> {
        RELEASE_CODES
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(c, _)| Self(c))
    }

    /// The standard's own description (Dutch, as in the XSD).
    pub fn description(self) -> &'static str {
        RELEASE_CODES
            .iter()
            .find(|(c, _)| *c == self.0)
            .map_or("", |(_, d)| d)
    }
}

/// Every code of the release's `LDT_RetourCode` with the standard's own
/// description (Dutch, as in `basisschema.xsd`): a retour from another system
/// may carry any of them, and each is read and said, not only the ones
/// Waakvlam's own rules give.
const RELEASE_CODES: &[(&str, &str)] = &[
    ("0001", "Bericht is afgekeurd om technische redenen."),
    ("0200", "Geen opmerking over deze berichtklasse."),
    ("0233", "Berichtklasse is niet beoordeeld."),
    (
        "0611",
        "Het ingediende tarief komt niet overeen met het contractuele tarief",
    ),
    ("8001", "Declaratie is volledig toegewezen."),
    (
        "8017",
        "Van deze credit prestatie is geen debet prestatie bekend.",
    ),
    ("8021", "Referentienummer prestatie is reeds aangeleverd."),
    ("8187", "De prestatie hoort niet bij deze client."),
    (
        "8214",
        "DeclaratiePeriode is niet de kalendermaand die volgt op voorgaande DeclaratiePeriode terwijl iedere declaratieperiode zorg geleverd is.",
    ),
    (
        "8848",
        "Dagtekening moet gelijk zijn aan of voor de systeemdatum liggen.",
    ),
    (
        "9019",
        "Het regie bericht kan niet gekoppeld worden aan een toewijzing.",
    ),
    (
        "9056",
        "Identificatie moet per berichtsoort uniek zijn voor de verzendende partij.",
    ),
    (
        "9063",
        "Het bericht kan niet verwerkt worden omdat geen eerder bericht ontvangen is.",
    ),
    (
        "9069",
        "Er is geen actueel startbericht met dezelfde sleutel.",
    ),
    (
        "9071",
        "Het eerdere start bericht kan niet verwijderd worden omdat de zorg al beeindigd is",
    ),
    (
        "9074",
        "Er is al een eerder bericht ontvangen met dezelfde sleutel.",
    ),
    (
        "9307",
        "Begindatum prestatie ligt niet tussen de ingangsdatum en einddatum toewijzing",
    ),
    (
        "9308",
        "Einddatum prestatie ligt niet tussen de ingangsdatum en einddatum toewijzing",
    ),
    (
        "9319",
        "De ProductPeriode valt niet geheel binnen een DeclaratiePeriode.",
    ),
    (
        "9321",
        "Het ingediende volume overschrijdt het toegewezen volume.",
    ),
    (
        "9322",
        "De som van de ingediende volumes overschrijdt het toegewezen volume",
    ),
    (
        "9326",
        "De actuele levering is nog niet gestopt met een Stopbericht.",
    ),
    (
        "9332",
        "Toewijzing heeft geen uniek nummer binnen wettelijk domein.",
    ),
    ("9333", "Declaratienummer is niet uniek"),
    (
        "9338",
        "Niet iedere prestatie in een declaratiebericht is gerelateerd aan een toegewezen product op basis van het toewijzingnummer",
    ),
    (
        "9339",
        "ProductCategorie in de prestatie is niet gelijk aan ProductCategorie in het ToegewezenProduct.",
    ),
    (
        "9340",
        "ProductCode in de Prestatie is niet gelijk aan ProductCode in het ToegewezenProduct.",
    ),
    (
        "9341",
        "Eenheid in de Prestatie past niet bij Eenheid in het ToegewezenProduct",
    ),
    (
        "9346",
        "Eenheid is ongelijk is aan waarde 83 (Euro's), maar IngediendBedrag is niet gelijk aan GeleverdVolume vermenigvuldigd met (het onafgeronde) ProductTarief.",
    ),
    (
        "9347",
        "ReferentieAanbieder is niet uniek voor de aanbieder binnen het wettelijk domein",
    ),
    (
        "9349",
        "Het VOW bericht bevat niet alle actuele toegewezen producten van de client, hetzij in OngewijzigdProduct, hetzij in TeWijzigenProduct",
    ),
    (
        "9350",
        "OngewijzigdProduct is niet gerelateerd aan een actueel toegewezen product op basis van het toewijzingnummer.",
    ),
    (
        "9351",
        "TeWijzigenProduct is niet gerelateerd aan een actuele toewijzing op basis van ToewijzingNummer.",
    ),
    (
        "9355",
        "ReferentieAanbieder in het antwoordbericht komt niet voor in een eerder verzoek om toewijzing of verzoek om wijziging",
    ),
    (
        "9357",
        "GewensteIngangsdatum is kleiner dan of gelijk aan de dagtekening, maar niet gelijk aan de ingangsdatum van het originele ToegewezenProduct.",
    ),
    (
        "9359",
        "Er is al een toewijzing gestuurd met deze ReferentieAanbieder.",
    ),
    (
        "9360",
        "Er is al een antwoordbericht met deze ReferentieAanbieder, terwijl antwoordbericht in VerzoekAntwoord waarde 2 (aanvraag in onderzoek) heeft.",
    ),
    (
        "9361",
        "Het product komt vaker voor met overlappende zorgperiodes.",
    ),
    (
        "9365",
        "Er is al een antwoordbericht met dezelfde ReferentieAanbieder waar VerzoekAntwoord niet de waarde 'Aanvraag in onderzoek' heeft.",
    ),
    (
        "9366",
        "ProductReferentie komt niet voor in een Declaratiebericht",
    ),
    (
        "9367",
        "De waarde komt niet overeen met de waarde uit heenbericht met gelijke ProductReferentie",
    ),
    (
        "9369",
        "Budget is meegegeven, maar de som van GeleverdVolume in alle ingediende Prestaties passen niet binnen het toegewezen Budget.",
    ),
    (
        "9373",
        "Budget is gewijzigd, maar GewensteIngangsdatum is niet gelijk aan die in de actuele toewijzing",
    ),
    ("9374", "Er is al een verzoek onderhanden."),
    (
        "9375",
        "Omvang is gevuld, terwijl Product in toewijzing met ToewijzingNummer leeg is en Einddatum groter dan 31-12-2020 of leeg is",
    ),
    (
        "9379",
        "ReferentieAanbieder refereert niet naar een verzoek om toewijzing of verzoek om wijziging, is onterecht gevuld",
    ),
    (
        "9384",
        "Declaratie op toewijzing met RedenWijziging \"13\" (Verwijderd)",
    ),
    ("9385", "Toewijzing heeft goedgekeurde declaratieregels"),
    (
        "9387",
        "Begindatum van de ProductPeriode is niet eerste dag van de kalendermaand waarop ProductPeriode betrekking heeft en Ingangsdatum van de toewijzing ligt niet later in deze betreffende maand",
    ),
    (
        "9388",
        "Einddatum van de ProductPeriode is niet laatste dag van de kalendermaand waarop ProductPeriode betrekking heeft en Einddatum van de toewijzing ligt niet eerder in deze betreffende maand.",
    ),
    (
        "9389",
        "Deze prestatie heeft een debetprestatie zonder bijbehorende creditprestatie",
    ),
    (
        "9390",
        "Er is al een Prestatie met gelijk ProductReferentie met waarde Credit",
    ),
    (
        "9411",
        "Omvang is leeg, terwijl Code in Product bij de toewijzing met ToewijzingNummer gevuld is.",
    ),
    (
        "9412",
        "Omvang is niet leeg, terwijl Code in Product bij de toewijzing met ToewijzingNummer leeg is en einddatum groter dan 31-12-2020 of leeg is",
    ),
    (
        "9413",
        "StatusAanlevering is waarde 1 of 2 en RedenBeeindiging heeft waarde 20, terwijl er al een ander StopProduct met hetzelfde Bsn, ToewijzingNummer, Begindatum en RedenBeeindiging waarde 20 is.",
    ),
    (
        "9414",
        "Einddatum is niet >= aan Einddatum uit actuele StopProduct met gelijk Bsn, ToewijzingNummer en Begindatum",
    ),
    (
        "9415",
        "Er is al een StopProduct met gelijk Bsn, ToewijzingNummer, Begindatum en RedenBeeindiging <> waarde 20 en StatusAanlevering heeft waarde 1 of 2.",
    ),
    ("S300", "Gemeentecode komt niet voor in de lijst van CBS."),
    ("S329", "ProductCode hoort niet bij de ProductCategorie."),
];

/// What the reader found: codes for the header and for the n-th occurrence
/// (from 0, in document order) of a class. A class without an entry gets
/// 0200 ("no remark"), or 0233 when the message was refused at its header.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Findings {
    pub header: Vec<RetourCode>,
    pub classes: BTreeMap<(&'static str, usize), Vec<RetourCode>>,
}

impl Findings {
    pub fn add(&mut self, class: &'static str, index: usize, code: RetourCode) {
        let codes = self.classes.entry((class, index)).or_default();
        if !codes.contains(&code) {
            codes.push(code);
        }
    }

    /// Whether anything was rejected.
    pub fn rejected(&self) -> bool {
        self.header.iter().any(|c| *c != RetourCode::ACCEPTED)
            || self
                .classes
                .values()
                .flatten()
                .any(|c| *c != RetourCode::ACCEPTED)
    }

    /// Every code found, once, in order.
    pub fn codes(&self) -> Vec<RetourCode> {
        let mut all: Vec<RetourCode> = self
            .header
            .iter()
            .chain(self.classes.values().flatten())
            .copied()
            .collect();
        all.sort();
        all.dedup();
        all
    }
}

/// The retour of each message Waakvlam reads, and the classes that carry
/// retour codes in it.
pub const fn retour_of(kind: MessageKind) -> Option<(MessageKind, &'static [&'static str])> {
    match kind {
        MessageKind::Wmo301 => Some((
            MessageKind::Wmo302,
            &["Client", "Relatie", "Contact", "ToegewezenProduct"],
        )),
        MessageKind::Wmo305 => Some((MessageKind::Wmo306, &["Client", "StartProduct"])),
        MessageKind::Wmo307 => Some((MessageKind::Wmo308, &["Client", "StopProduct"])),
        MessageKind::Wmo315 => Some((MessageKind::Wmo316, &["Client", "AangevraagdProduct"])),
        MessageKind::Wmo317 => Some((
            MessageKind::Wmo318,
            &[
                "Client",
                "Verzoek",
                "OngewijzigdProduct",
                "TeWijzigenProduct",
                "NieuwProduct",
            ],
        )),
        MessageKind::Wmo319 => Some((MessageKind::Wmo320, &["Antwoord"])),
        _ => None,
    }
}

/// Writes the retour of `original` (a received message that parsed): its
/// header with the retour's identification and date, and, unless the
/// message is rejected as a whole (`body` false: only the header comes
/// back, with its codes), every class with its codes.
pub fn write(
    original: &str,
    identification: &str,
    dated: NaiveDate,
    findings: &Findings,
    body: bool,
) -> Result<String, ReadError> {
    let doc = read::parse(original)?;
    let kind = read::kind_of(&doc)?;
    let Some((retour, classes)) = retour_of(kind) else {
        return Err(ReadError::NotIwmo(format!("{kind:?} has no retour")));
    };
    // Classes go unassessed (0233) only when the message as a whole was
    // refused at its header; otherwise a class without a finding of its own
    // has "no remark" (0200), also beside a refused class (as the
    // standard's examples answer).
    let unassessed = !findings.header.is_empty();
    let mut w = XmlWriter::new(&retour.namespace());
    let root = doc.root_element();
    for part in root.children().filter(|c| c.is_element()) {
        let name = part.tag_name().name();
        if name == "Header" {
            write_header(&mut w, part, retour, identification, dated, findings);
        } else if body {
            let mut seen = BTreeMap::new();
            copy(&mut w, part, classes, findings, unassessed, &mut seen);
        }
    }
    Ok(w.finish())
}

fn write_header(
    w: &mut XmlWriter,
    header: roxmltree::Node<'_, '_>,
    retour: MessageKind,
    identification: &str,
    dated: NaiveDate,
    findings: &Findings,
) {
    w.open("Header");
    for c in header.children().filter(|c| c.is_element()) {
        if c.tag_name().name() == "BerichtCode" {
            w.leaf("BerichtCode", retour.code().to_string());
        } else {
            copy_plain(w, c);
        }
    }
    w.leaf("IdentificatieRetour", identification)
        .leaf("DagtekeningRetour", dated.format("%Y-%m-%d").to_string())
        .open("XsdVersieRetour")
        .leaf("iwmo:BasisschemaXsdVersie", BASISSCHEMA_XSD_VERSION)
        .leaf("iwmo:BerichtXsdVersie", BERICHT_XSD_VERSION)
        .close();
    // The header's own codes; "no remark" when it has none.
    w.open("RetourCodes");
    if findings.header.is_empty() {
        w.leaf("RetourCode", RetourCode::ACCEPTED.code());
    }
    for code in &findings.header {
        w.leaf("RetourCode", code.code());
    }
    w.close();
    w.close();
}

fn element_name(node: roxmltree::Node<'_, '_>) -> String {
    let name = node.tag_name().name();
    if node.tag_name().namespace() == Some(BASISSCHEMA_NAMESPACE) {
        format!("iwmo:{name}")
    } else {
        name.to_owned()
    }
}

/// Copies an element and everything in it, as it was.
fn copy_plain(w: &mut XmlWriter, node: roxmltree::Node<'_, '_>) {
    let name = element_name(node);
    if node.children().any(|c| c.is_element()) {
        w.open(&name);
        for c in node.children().filter(|c| c.is_element()) {
            copy_plain(w, c);
        }
        w.close();
    } else {
        w.leaf(&name, node.text().unwrap_or_default());
    }
}

/// Copies an element, adding `RetourCodes` at the end of every class in
/// `classes`.
fn copy(
    w: &mut XmlWriter,
    node: roxmltree::Node<'_, '_>,
    classes: &[&'static str],
    findings: &Findings,
    unassessed: bool,
    seen: &mut BTreeMap<&'static str, usize>,
) {
    let local = node.tag_name().name();
    let class = classes
        .iter()
        .copied()
        .find(|c| *c == local && node.tag_name().namespace() != Some(BASISSCHEMA_NAMESPACE));
    if class.is_none() && !node.children().any(|c| c.is_element()) {
        copy_plain(w, node);
        return;
    }
    let index = class.map(|c| {
        let n = seen.entry(c).or_insert(0);
        *n += 1;
        *n - 1
    });
    w.open(&element_name(node));
    for c in node.children().filter(|c| c.is_element()) {
        copy(w, c, classes, findings, unassessed, seen);
    }
    if let (Some(class), Some(index)) = (class, index) {
        let own = findings.classes.get(&(class, index));
        let codes: Vec<RetourCode> = match own {
            Some(codes) if !codes.is_empty() => codes.clone(),
            _ if unassessed => vec![RetourCode::NOT_ASSESSED],
            _ => vec![RetourCode::ACCEPTED],
        };
        w.open("RetourCodes");
        for code in codes {
            w.leaf("RetourCode", code.code());
        }
        w.close();
    }
    w.close();
}

/// A retour as received: which message it answers (the original's header,
/// which a retour repeats) and what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedRetour {
    /// The retour's own kind (302, 306, 308, …).
    pub kind: MessageKind,
    /// The header of the message it answers: its kind, sender, receiver
    /// and identification as that message had them.
    pub original: read::ReceivedHeader,
    /// `IdentificatieRetour` and `DagtekeningRetour`.
    pub identification: String,
    pub dated: NaiveDate,
    /// Every `RetourCode` in it, in document order, as written.
    pub codes: Vec<String>,
}

impl ReceivedRetour {
    /// Reads a retour that passed the XSD.
    pub fn read(doc: &roxmltree::Document<'_>) -> Result<Self, ReadError> {
        let kind = read::kind_of(doc)?;
        let Some(answers) = MessageKind::ALL
            .into_iter()
            .find(|k| retour_of(*k).is_some_and(|(r, _)| r == kind))
        else {
            return Err(ReadError::NotIwmo(format!(
                "{kind:?} is not a retour read here"
            )));
        };
        let mut original = read::header(doc)?;
        original.kind = answers;
        let h = read::child(doc.root_element(), "Header").ok_or(ReadError::Missing("Header"))?;
        let codes = doc
            .descendants()
            .filter(|n| n.is_element() && n.tag_name().name() == "RetourCode")
            .filter_map(|n| n.text())
            .map(|t| t.trim().to_owned())
            .collect();
        Ok(Self {
            kind,
            identification: read::required(h, "IdentificatieRetour")?,
            dated: read::date(h, "DagtekeningRetour")?
                .ok_or(ReadError::Missing("DagtekeningRetour"))?,
            original,
            codes,
        })
    }

    /// Whether the other side accepted every part: no code but 0200 (a
    /// retour may carry no codes at all: no remarks).
    pub fn accepted(&self) -> bool {
        self.codes.iter().all(|c| c == RetourCode::ACCEPTED.code())
    }

    /// The header of the retour itself: sent by the original's receiver.
    pub fn header(&self) -> read::ReceivedHeader {
        read::ReceivedHeader {
            kind: self.kind,
            sender: self.original.receiver.clone(),
            receiver: self.original.sender.clone(),
            identification: self.identification.clone(),
            dated: self.dated,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_of_the_release_is_read_and_said() {
        // Codes another system gives that Waakvlam's own rules never do.
        for code in ["0611", "8848", "9074", "9360", "S329"] {
            let read = RetourCode::parse(code).unwrap_or_else(|| panic!("{code} not read"));
            assert_eq!(read.code(), code);
            assert!(!read.description().is_empty(), "{code}");
        }
        assert_eq!(RetourCode::parse("1234"), None);
        assert_eq!(
            RetourCode::parse("9411").map(RetourCode::description),
            Some(
                "Omvang is leeg, terwijl Code in Product bij de toewijzing met ToewijzingNummer gevuld is."
            )
        );
    }

    #[test]
    fn the_list_is_the_release_list() {
        let schema = include_str!("../xsd/basisschema.xsd");
        let start = schema.find("name=\"LDT_RetourCode\"").unwrap_or_default();
        let end = start + schema[start..].find("</xs:simpleType>").unwrap_or_default();
        let listed = schema[start..end].matches("<xs:enumeration value=").count();
        assert_eq!(listed, RELEASE_CODES.len());
        for (code, _) in RELEASE_CODES {
            assert!(
                schema[start..end].contains(&format!("value=\"{code}\"")),
                "{code}"
            );
        }
    }
}
