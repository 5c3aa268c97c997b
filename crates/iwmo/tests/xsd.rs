//! Every message Waakvlam writes validates against the standard's XSD, checked
//! with `xmllint --schema` (Debian's libxml2-utils, which `.ci/run` installs).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{NaiveDate, NaiveTime};
use waakvlam_domain::ids::{
    AgbCode, AllocationNumber, Bsn, MunicipalityCode, ProductCategory, ProductCode,
};
use waakvlam_domain::money::Cents;
use waakvlam_iwmo::schema::Schemas;
use waakvlam_iwmo::wmo301::{
    AllocatedProduct, Allocation, AllocationError, ChangeReason, Client, Contact, Extent,
    Frequency, Gender, Name, Unit,
};
use waakvlam_iwmo::{Header, MessageId, MessageKind, Parties};

/// `Ok(())` when xmllint finds the document valid, else its complaint.
fn validate(kind: MessageKind, xml: &str) -> Result<(), String> {
    let schemas = Schemas::unpack().unwrap();
    schemas.validate(kind, xml).map_err(|e| e.to_string())
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn header() -> Header {
    Header {
        kind: MessageKind::Wmo301,
        parties: Parties {
            municipality: MunicipalityCode::parse("0664").unwrap(),
            provider: AgbCode::parse("75751001").unwrap(),
        },
        id: MessageId::new("WVL000000017", d(2026, 12, 2)).unwrap(),
    }
}

fn product(number: u32, extent: Extent, end: Option<NaiveDate>) -> AllocatedProduct {
    AllocatedProduct {
        reference: None,
        number: AllocationNumber::new(number).unwrap(),
        category: ProductCategory::parse("02").unwrap(),
        code: Some(ProductCode::parse("WVL").unwrap()),
        allocated_on: d(2026, 11, 30),
        allocated_at: NaiveTime::from_hms_opt(14, 5, 0).unwrap(),
        start: d(2026, 12, 1),
        end,
        extent,
        change: (number == 18).then_some(ChangeReason::Extended),
        comment: Some("Waakvlam na begeleiding; afschalen & afronden <2027>".into()),
    }
}

fn allocation(products: Vec<AllocatedProduct>) -> Allocation {
    Allocation {
        header: header(),
        client: Client {
            bsn: Bsn::parse("999996708").unwrap(),
            birth_date: d(1988, 4, 12),
            gender: Gender::Unknown,
            name: Name {
                family_name: "Dam".into(),
                prefix: Some("van".into()),
                given_names: Some("Kees Jan".into()),
                initials: Some("K.J.".into()),
            },
            contact: Contact {
                phone: Some("+31 6 1234 5678".into()),
                email: Some("kees@example.org".into()),
            },
        },
        products,
    }
}

#[test]
fn an_allocation_with_every_kind_of_extent_validates() {
    let message = allocation(vec![
        product(17, Extent::None, Some(d(2027, 11, 30))),
        product(
            18,
            Extent::Volume {
                volume: 2,
                unit: Unit::Hour,
                per: Frequency::PerMonth,
            },
            None,
        ),
        product(19, Extent::Budget(Cents(1_200_000)), Some(d(2027, 11, 30))),
    ]);
    let xml = message.to_xml().unwrap();
    validate(MessageKind::Wmo301, &xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    assert!(xml.contains("<BerichtCode>414</BerichtCode>"));
    assert!(
        xml.contains("<Afzender>0664</Afzender>"),
        "the municipality sends a 301"
    );
    assert!(xml.contains("<Ontvanger>75751001</Ontvanger>"));
    assert!(xml.contains("<iwmo:Telefoonnummer>0612345678</iwmo:Telefoonnummer>"));
    assert!(xml.contains("<iwmo:Landnummer>0031</iwmo:Landnummer>"));
    assert!(xml.contains("<RedenWijziging>04</RedenWijziging>"));
    assert!(xml.contains("afschalen &amp; afronden &lt;2027&gt;"));
}

#[test]
fn a_minimal_allocation_validates() {
    let mut message = allocation(vec![product(0, Extent::None, None)]);
    message.client.contact = Contact::default();
    message.client.name = Name {
        family_name: "Jansen".into(),
        prefix: None,
        given_names: None,
        initials: None,
    };
    message.products[0].code = None;
    message.products[0].comment = None;
    let xml = message.to_xml().unwrap();
    validate(MessageKind::Wmo301, &xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
}

#[test]
fn the_validator_is_real_a_broken_message_fails() {
    let xml = allocation(vec![product(17, Extent::None, None)])
        .to_xml()
        .unwrap();
    let broken = xml.replace(
        "<BerichtCode>414</BerichtCode>",
        "<BerichtCode>415</BerichtCode>",
    );
    assert!(validate(MessageKind::Wmo301, &broken).is_err());
    let too_long = xml.replace("<ToewijzingNummer>17<", "<ToewijzingNummer>1000000000<");
    assert!(validate(MessageKind::Wmo301, &too_long).is_err());
}

#[test]
fn content_rules_refuse_what_the_standard_forbids() {
    let budget_open = allocation(vec![product(5, Extent::Budget(Cents(100)), None)]);
    assert_eq!(
        budget_open.to_xml(),
        Err(AllocationError::BudgetWithoutEnd(
            AllocationNumber::new(5).unwrap()
        ))
    );
    let mut reversed = product(6, Extent::None, Some(d(2026, 11, 1)));
    reversed.start = d(2026, 12, 1);
    assert_eq!(
        allocation(vec![reversed]).to_xml(),
        Err(AllocationError::EndBeforeStart(
            AllocationNumber::new(6).unwrap()
        ))
    );
    assert_eq!(
        allocation(vec![]).to_xml(),
        Err(AllocationError::NoProducts)
    );
}

#[test]
fn a_written_allocation_reads_back_and_its_retour_validates() {
    use waakvlam_iwmo::read;
    use waakvlam_iwmo::retour::{self, Findings, RetourCode};
    use waakvlam_iwmo::wmo301::ReceivedAllocation;

    let xml = allocation(vec![
        product(17, Extent::None, Some(d(2027, 11, 30))),
        product(
            18,
            Extent::Volume {
                volume: 1,
                unit: Unit::PieceEffort,
                per: Frequency::PerWeek,
            },
            None,
        ),
    ])
    .to_xml()
    .unwrap();
    let doc = read::parse(&xml).unwrap();
    let got = ReceivedAllocation::read(&doc).unwrap();
    assert_eq!(got.header.kind, MessageKind::Wmo301);
    assert_eq!(
        (got.header.sender.as_str(), got.header.receiver.as_str()),
        ("0664", "75751001")
    );
    assert_eq!(got.header.identification, "WVL000000017");
    assert_eq!(got.bsn, "999996708");
    assert_eq!(got.birth_date, Some(d(1988, 4, 12)));
    assert_eq!(got.name.family_name, "Dam");
    assert_eq!(got.name.prefix.as_deref(), Some("van"));
    assert_eq!(got.contact.phone.as_deref(), Some("0612345678"));
    assert_eq!(got.products.len(), 2);
    assert_eq!(got.products[0].number, "17");
    assert_eq!(got.products[0].code.as_deref(), Some("WVL"));
    assert_eq!(got.products[1].change.as_deref(), Some("04"));
    assert!(got.products[1].has_extent);
    assert_eq!(got.products[0].end, Some(d(2027, 11, 30)));
    // A product with a code but no extent: 9411 at that product.
    let (findings, why) = got.findings();
    assert_eq!(
        findings.classes.get(&("ToegewezenProduct", 0)),
        Some(&vec![RetourCode::EXTENT_MISSING]),
        "{why:?}"
    );
    assert!(findings.rejected());

    // The retour: accepted, rejected at one product, and rejected whole.
    let schemas = Schemas::unpack().unwrap();
    let accepted = retour::write(
        &xml,
        "WVL000000099",
        d(2026, 12, 3),
        &Findings::default(),
        true,
    )
    .unwrap();
    schemas
        .validate(MessageKind::Wmo302, &accepted)
        .unwrap_or_else(|e| panic!("{e}\n{accepted}"));
    assert!(accepted.contains("<BerichtCode>415</BerichtCode>"));
    assert!(accepted.contains("<IdentificatieRetour>WVL000000099</IdentificatieRetour>"));
    assert!(accepted.contains("<iwmo:Identificatie>WVL000000017</iwmo:Identificatie>"));
    assert_eq!(
        accepted.matches("<RetourCode>0200</RetourCode>").count(),
        5,
        "header, client, contact, two products"
    );
    let partly = retour::write(&xml, "WVL000000100", d(2026, 12, 3), &findings, true).unwrap();
    schemas
        .validate(MessageKind::Wmo302, &partly)
        .unwrap_or_else(|e| panic!("{e}\n{partly}"));
    assert_eq!(partly.matches("<RetourCode>9411</RetourCode>").count(), 1);
    assert_eq!(
        partly.matches("<RetourCode>0200</RetourCode>").count(),
        4,
        "no remark on the header and the other classes, as the standard's examples answer"
    );
    assert!(!partly.contains("<RetourCode>0233</RetourCode>"));
    let whole = Findings {
        header: vec![RetourCode::TECHNICAL],
        ..Findings::default()
    };
    let technical = retour::write(&xml, "WVL000000101", d(2026, 12, 3), &whole, false).unwrap();
    schemas
        .validate(MessageKind::Wmo302, &technical)
        .unwrap_or_else(|e| panic!("{e}\n{technical}"));
    assert!(!technical.contains("<Client>"));
}

#[test]
fn bad_content_is_found_at_its_class() {
    use waakvlam_iwmo::read;
    use waakvlam_iwmo::retour::RetourCode;
    use waakvlam_iwmo::wmo301::ReceivedAllocation;

    let xml = allocation(vec![product(
        17,
        Extent::Budget(Cents(50_000)),
        Some(d(2027, 1, 1)),
    )])
    .to_xml()
    .unwrap()
    .replace("<Bsn>999996708</Bsn>", "<Bsn>999996709</Bsn>")
    .replace(
        "<Einddatum>2027-01-01</Einddatum>",
        "<Einddatum>2026-01-01</Einddatum>",
    );
    let got = ReceivedAllocation::read(&read::parse(&xml).unwrap()).unwrap();
    let (findings, why) = got.findings();
    assert_eq!(
        findings.classes.get(&("Client", 0)),
        Some(&vec![RetourCode::TECHNICAL])
    );
    assert_eq!(
        findings.classes.get(&("ToegewezenProduct", 0)),
        Some(&vec![RetourCode::TECHNICAL])
    );
    assert!(why.iter().any(|w| w.contains("11-check")), "{why:?}");
    assert!(
        why.iter()
            .any(|w| w.contains("Einddatum lies before Ingangsdatum")),
        "{why:?}"
    );
}

mod delivery {
    use super::*;
    use waakvlam_domain::indication::EndReason;
    use waakvlam_iwmo::delivery::{
        AllocationRef, Client, DeliveryError, ReceivedDelivery, Start, StartedProduct, Status,
        Stop, StoppedProduct,
    };
    use waakvlam_iwmo::read;
    use waakvlam_iwmo::retour::{self, Findings, RetourCode};

    fn header(kind: MessageKind) -> Header {
        Header {
            kind,
            ..super::header()
        }
    }

    fn client() -> Client {
        Client {
            bsn: Bsn::parse("999996708").unwrap(),
            birth_date: d(1988, 4, 12),
            gender: Gender::Unknown,
            family_name: "Dam".into(),
            prefix: Some("van".into()),
            given_names: Some("Kees Jan".into()),
            initials: Some("K.J.".into()),
        }
    }

    fn allocation(number: u32) -> AllocationRef {
        AllocationRef {
            number: AllocationNumber::new(number).unwrap(),
            category: ProductCategory::parse("02").unwrap(),
            code: Some(ProductCode::parse("WVL").unwrap()),
            allocation_start: d(2026, 12, 1),
        }
    }

    fn start() -> Start {
        Start {
            header: header(MessageKind::Wmo305),
            client: client(),
            products: vec![StartedProduct {
                allocation: allocation(17),
                start: d(2026, 12, 3),
                status: Status::First,
            }],
        }
    }

    fn stop() -> Stop {
        Stop {
            header: header(MessageKind::Wmo307),
            client: client(),
            products: vec![StoppedProduct {
                allocation: allocation(17),
                start: d(2026, 12, 3),
                end: d(2027, 6, 30),
                reason: EndReason::EndedAsPlanned,
                status: Status::First,
            }],
        }
    }

    #[test]
    fn a_start_and_a_stop_validate_and_are_sent_by_the_provider() {
        let xml = start().to_xml().unwrap();
        validate(MessageKind::Wmo305, &xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
        assert!(xml.contains("<BerichtCode>418</BerichtCode>"));
        assert!(xml.contains("<Afzender>75751001</Afzender>"));
        assert!(xml.contains("<Ontvanger>0664</Ontvanger>"));
        assert!(xml.contains("<Begindatum>2026-12-03</Begindatum>"));
        let xml = stop().to_xml().unwrap();
        validate(MessageKind::Wmo307, &xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
        assert!(xml.contains("<BerichtCode>420</BerichtCode>"));
        assert!(xml.contains("<RedenBeeindiging>19</RedenBeeindiging>"));
        assert!(xml.contains("<Einddatum>2027-06-30</Einddatum>"));
    }

    #[test]
    fn content_rules_refuse_a_start_before_the_allocation_and_a_stop_before_its_start() {
        let mut early = start();
        early.products[0].start = d(2026, 11, 30);
        assert_eq!(
            early.to_xml(),
            Err(DeliveryError::StartBeforeAllocation(
                AllocationNumber::new(17).unwrap()
            ))
        );
        let mut reversed = stop();
        reversed.products[0].end = d(2026, 12, 2);
        assert_eq!(
            reversed.to_xml(),
            Err(DeliveryError::EndBeforeStart(
                AllocationNumber::new(17).unwrap()
            ))
        );
        let mut wrong = stop();
        wrong.header.kind = MessageKind::Wmo305;
        assert!(matches!(
            wrong.to_xml(),
            Err(DeliveryError::WrongKind { .. })
        ));
    }

    #[test]
    fn a_start_and_a_stop_read_back_and_their_retours_validate() {
        let schemas = Schemas::unpack().unwrap();
        for (kind, retour_kind, xml) in [
            (
                MessageKind::Wmo305,
                MessageKind::Wmo306,
                start().to_xml().unwrap(),
            ),
            (
                MessageKind::Wmo307,
                MessageKind::Wmo308,
                stop().to_xml().unwrap(),
            ),
        ] {
            let got = ReceivedDelivery::read(&read::parse(&xml).unwrap()).unwrap();
            assert_eq!(got.header.kind, kind);
            assert_eq!(got.bsn, "999996708");
            assert_eq!(got.products.len(), 1);
            let p = &got.products[0];
            assert_eq!(p.number.as_deref(), Some("17"));
            assert_eq!(p.allocation_start, Some(d(2026, 12, 1)));
            assert_eq!(p.start, d(2026, 12, 3));
            assert_eq!(p.status, "1");
            if kind == MessageKind::Wmo307 {
                assert_eq!(p.reason.as_deref(), Some("19"));
                assert_eq!(p.end, Some(d(2027, 6, 30)));
            }
            let (findings, why) = got.findings();
            assert!(!findings.rejected(), "{why:?}");
            let accepted =
                retour::write(&xml, "0664R0001", d(2026, 12, 4), &findings, true).unwrap();
            schemas
                .validate(retour_kind, &accepted)
                .unwrap_or_else(|e| panic!("{e}\n{accepted}"));
            assert_eq!(
                accepted.matches("<RetourCode>0200</RetourCode>").count(),
                3,
                "header, client and product"
            );
            let mut unknown = Findings::default();
            unknown.add(got.class(), 0, RetourCode::NOT_LINKED);
            let refused = retour::write(&xml, "0664R0002", d(2026, 12, 4), &unknown, true).unwrap();
            schemas
                .validate(retour_kind, &refused)
                .unwrap_or_else(|e| panic!("{e}\n{refused}"));
            assert!(refused.contains("<RetourCode>9019</RetourCode>"));
            assert!(
                !refused.contains("<RetourCode>0233</RetourCode>"),
                "the client has no remark"
            );
        }
    }

    #[test]
    fn bad_content_in_a_stop_is_found_at_its_product() {
        let xml = stop()
            .to_xml()
            .unwrap()
            .replace("<Bsn>999996708</Bsn>", "<Bsn>999996709</Bsn>")
            .replace(
                "<Einddatum>2027-06-30</Einddatum>",
                "<Einddatum>2026-12-01</Einddatum>",
            );
        let got = ReceivedDelivery::read(&read::parse(&xml).unwrap()).unwrap();
        let (findings, why) = got.findings();
        assert_eq!(
            findings.classes.get(&("Client", 0)),
            Some(&vec![RetourCode::TECHNICAL])
        );
        assert_eq!(
            findings.classes.get(&("StopProduct", 0)),
            Some(&vec![RetourCode::TECHNICAL])
        );
        assert!(
            why.iter()
                .any(|w| w.contains("Einddatum lies before Begindatum")),
            "{why:?}"
        );
    }
}

#[test]
fn a_retour_reads_back_as_the_answer_to_the_message_it_repeats() {
    use waakvlam_iwmo::read;
    use waakvlam_iwmo::retour::{self, Findings, ReceivedRetour, RetourCode};
    let xml = allocation(vec![product(17, Extent::None, Some(d(2027, 11, 30)))])
        .to_xml()
        .unwrap();
    let accepted =
        retour::write(&xml, "AGB-R-1", d(2026, 12, 3), &Findings::default(), true).unwrap();
    let got = ReceivedRetour::read(&read::parse(&accepted).unwrap()).unwrap();
    assert_eq!(got.kind, MessageKind::Wmo302);
    assert_eq!(got.original.kind, MessageKind::Wmo301);
    assert_eq!(got.original.identification, "WVL000000017");
    assert_eq!(
        (got.original.sender.as_str(), got.original.receiver.as_str()),
        ("0664", "75751001")
    );
    assert_eq!(got.identification, "AGB-R-1");
    assert_eq!(got.dated, d(2026, 12, 3));
    assert!(got.accepted(), "{:?}", got.codes);
    let retour_header = got.header();
    assert_eq!(
        (
            retour_header.sender.as_str(),
            retour_header.receiver.as_str()
        ),
        ("75751001", "0664")
    );
    let mut found = Findings::default();
    found.add("ToegewezenProduct", 0, RetourCode::EXTENT_MISSING);
    let refused = retour::write(&xml, "AGB-R-2", d(2026, 12, 3), &found, true).unwrap();
    let got = ReceivedRetour::read(&read::parse(&refused).unwrap()).unwrap();
    assert!(!got.accepted());
    assert!(got.codes.contains(&"9411".to_owned()), "{:?}", got.codes);
}

mod declaration {
    use super::*;
    use waakvlam_domain::declaration::DeclaredUnit;
    use waakvlam_iwmo::read;
    use waakvlam_iwmo::retour::RetourCode;
    use waakvlam_iwmo::wmo323::{
        Answer, Declaration, DeclarationError, DeclaredClient, LineAnswer, Performance,
        ReceivedAnswer, ReceivedDeclaration,
    };

    fn line(reference: &str, amount: i64, credit: bool) -> Performance {
        Performance {
            reference: reference.into(),
            previous_reference: None,
            number: AllocationNumber::new(17).unwrap(),
            category: ProductCategory::parse("02").unwrap(),
            code: ProductCode::parse("WVL").unwrap(),
            from: d(2026, 11, 1),
            to: d(2026, 11, 30),
            volume: u32::try_from(amount / 5_000).unwrap(),
            unit: DeclaredUnit::PieceEffort,
            tariff: Some(Cents(5_000)),
            amount: Cents(amount),
            credit,
        }
    }

    fn declaration(lines: Vec<Performance>) -> Declaration {
        Declaration {
            header: Header {
                kind: MessageKind::Wmo323,
                ..super::header()
            },
            number: "D000000017".into(),
            period_start: d(2026, 11, 1),
            period_end: d(2026, 11, 30),
            dated: d(2026, 12, 2),
            clients: vec![DeclaredClient {
                bsn: Bsn::parse("999996708").unwrap(),
                lines,
            }],
        }
    }

    #[test]
    fn a_declaration_with_debit_credit_and_minutes_validates_with_its_net_total() {
        let mut minutes = line("L3", 11_457, false);
        minutes.unit = DeclaredUnit::Minute;
        minutes.volume = 95;
        minutes.tariff = None;
        let mut replacing = line("L4", 20_000, false);
        replacing.previous_reference = Some("L1".into());
        let message = declaration(vec![
            line("L1", 25_000, false),
            line("L1", 25_000, true),
            minutes,
            replacing,
        ]);
        let xml = message.to_xml().unwrap();
        validate(MessageKind::Wmo323, &xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
        assert!(xml.contains("<BerichtCode>484</BerichtCode>"));
        assert!(xml.contains("<Afzender>75751001</Afzender>"));
        assert!(
            xml.contains("<iwmo:TotaalBedrag>31457</iwmo:TotaalBedrag>"),
            "{xml}"
        );
        assert!(xml.contains("<iwmo:VorigReferentieNummer>L1</iwmo:VorigReferentieNummer>"));
        // Read back: the same lines, the credit as a credit.
        let got = ReceivedDeclaration::read(&read::parse(&xml).unwrap()).unwrap();
        assert_eq!(got.total, 31_457);
        assert_eq!(got.number, "D000000017");
        assert_eq!(got.clients[0].lines.len(), 4);
        assert!(got.clients[0].lines[1].credit);
        assert_eq!(got.clients[0].lines[2].tariff, None);
        assert_eq!(got.clients[0].lines[2].unit, "01");
        // Only credits: the total is a credit.
        let credit = declaration(vec![line("L1", 25_000, true)])
            .to_xml()
            .unwrap();
        validate(MessageKind::Wmo323, &credit).unwrap_or_else(|e| panic!("{e}\n{credit}"));
        let total = &credit[credit.find("<TotaalIngediendBedrag>").unwrap()
            ..credit.find("</TotaalIngediendBedrag>").unwrap()];
        assert!(
            total.contains("<iwmo:DebetCredit>C</iwmo:DebetCredit>"),
            "{credit}"
        );
    }

    #[test]
    fn content_rules_refuse_a_declaration_the_standard_would_reject() {
        let mut outside = line("L1", 5_000, false);
        outside.to = d(2026, 12, 1);
        assert_eq!(
            declaration(vec![outside]).to_xml(),
            Err(DeclarationError::OutsidePeriod("L1".into()))
        );
        let mut wrong = line("L1", 5_000, false);
        wrong.amount = Cents(4_999);
        assert_eq!(
            declaration(vec![wrong]).to_xml(),
            Err(DeclarationError::NotVolumeTimesTariff("L1".into()))
        );
        assert_eq!(
            declaration(vec![line("L1", 5_000, false), line("L1", 5_000, false)]).to_xml(),
            Err(DeclarationError::Reference("L1".into()))
        );
        let mut bad_number = declaration(vec![line("L1", 5_000, false)]);
        bad_number.number = "D-17".into();
        assert_eq!(
            bad_number.to_xml(),
            Err(DeclarationError::Number("D-17".into()))
        );
        assert_eq!(declaration(vec![]).to_xml(), Err(DeclarationError::Empty));
    }

    #[test]
    fn an_answer_grants_line_by_line_and_reads_back() {
        let xml = declaration(vec![line("L1", 25_000, false), line("L2", 10_000, false)])
            .to_xml()
            .unwrap();
        let received = ReceivedDeclaration::read(&read::parse(&xml).unwrap()).unwrap();
        let answer = Answer {
            header: Header {
                kind: MessageKind::Wmo325,
                id: MessageId::new("GEM-A-1", d(2026, 12, 5)).unwrap(),
                ..super::header()
            },
            declaration: received,
            header_codes: vec![],
            lines: vec![LineAnswer {
                reference: "L2".into(),
                codes: vec![RetourCode::parse("9307").unwrap_or(RetourCode::TECHNICAL)],
            }],
        }
        .to_xml();
        validate(MessageKind::Wmo325, &answer).unwrap_or_else(|e| panic!("{e}\n{answer}"));
        assert!(answer.contains("<BerichtCode>485</BerichtCode>"));
        assert!(answer.contains("<Afzender>0664</Afzender>"));
        let got = ReceivedAnswer::read(&read::parse(&answer).unwrap()).unwrap();
        assert_eq!(got.declaration_identification, "WVL000000017");
        assert_eq!(got.submitted, Some(35_000));
        assert_eq!(got.granted, Some(25_000), "only the line with 0200");
        assert_eq!(got.lines.len(), 2);
        assert!(got.lines[0].granted());
        assert!(!got.lines[1].granted());
        assert_eq!(got.lines[1].reference, "L2");
    }
}

mod request {
    use super::*;
    use waakvlam_iwmo::read;
    use waakvlam_iwmo::request::{
        Answer, ChangeRequest, NewProduct, ProductChange, ReceivedAnswer, ReceivedRequest,
        RejectionReason, RequestAnswer, RequestError, RequestReason,
    };
    use waakvlam_iwmo::retour::{self, Findings};

    fn request() -> ChangeRequest {
        ChangeRequest {
            header: Header {
                kind: MessageKind::Wmo317,
                ..super::header()
            },
            bsn: Bsn::parse("999996708").unwrap(),
            reference: "WVLV000000012".into(),
            reason: RequestReason::ClientSituation,
            unchanged: vec![AllocationNumber::new(16).unwrap()],
            changed: vec![ProductChange {
                number: AllocationNumber::new(17).unwrap(),
                start: d(2026, 3, 2),
                end: Some(d(2026, 12, 6)),
                extent: Extent::Volume {
                    volume: 2,
                    unit: Unit::Hour,
                    per: Frequency::PerWeek,
                },
            }],
            new: vec![NewProduct {
                category: ProductCategory::parse("02").unwrap(),
                code: Some(ProductCode::parse("WVL").unwrap()),
                start: d(2026, 12, 7),
                end: None,
                extent: Extent::Volume {
                    volume: 1,
                    unit: Unit::PieceEffort,
                    per: Frequency::PerWeek,
                },
            }],
        }
    }

    #[test]
    fn a_change_request_validates_reads_back_and_is_answered() {
        let xml = request().to_xml().unwrap();
        validate(MessageKind::Wmo317, &xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
        assert!(xml.contains("<BerichtCode>480</BerichtCode>"));
        assert!(xml.contains("<Afzender>75751001</Afzender>"));
        let got = ReceivedRequest::read(&read::parse(&xml).unwrap()).unwrap();
        assert_eq!(got.reference, "WVLV000000012");
        assert_eq!(got.unchanged, ["16"]);
        assert_eq!(got.changed[0].end, Some(d(2026, 12, 6)));
        assert_eq!(got.new[0].code.as_deref(), Some("WVL"));
        assert!(!got.findings().0.rejected());
        let retour =
            retour::write(&xml, "0664R1", d(2026, 12, 3), &Findings::default(), true).unwrap();
        validate(MessageKind::Wmo318, &retour).unwrap_or_else(|e| panic!("{e}\n{retour}"));
        assert_eq!(
            retour.matches("<RetourCode>0200</RetourCode>").count(),
            6,
            "the header too"
        );

        let mut empty = request();
        empty.changed.clear();
        empty.new.clear();
        assert_eq!(empty.to_xml(), Err(RequestError::Empty));
    }

    #[test]
    fn an_answer_validates_and_reads_back() {
        for (answer, code) in [
            (RequestAnswer::Rejected(RejectionReason::CareContent), "1"),
            (RequestAnswer::UnderInvestigation, "2"),
        ] {
            let xml = Answer {
                header: Header {
                    kind: MessageKind::Wmo319,
                    ..super::header()
                },
                reference: "WVLV000000012".into(),
                answer,
            }
            .to_xml()
            .unwrap();
            validate(MessageKind::Wmo319, &xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
            assert!(xml.contains("<Afzender>0664</Afzender>"));
            let got = ReceivedAnswer::read(&read::parse(&xml).unwrap()).unwrap();
            assert_eq!(
                (got.reference.as_str(), got.answer.as_str()),
                ("WVLV000000012", code)
            );
            let retour =
                retour::write(&xml, "A-R-9", d(2026, 12, 3), &Findings::default(), true).unwrap();
            validate(MessageKind::Wmo320, &retour).unwrap_or_else(|e| panic!("{e}\n{retour}"));
        }
    }
}

mod allocation_request {
    use super::*;
    use waakvlam_iwmo::read;
    use waakvlam_iwmo::request::RequestError;
    use waakvlam_iwmo::retour::{self, Findings};
    use waakvlam_iwmo::wmo315::{
        AllocationRequest, ReceivedAllocationRequest, Referrer, RequestClient, RequestedProduct,
    };

    fn request(extent: Extent, end: Option<NaiveDate>) -> AllocationRequest {
        AllocationRequest {
            header: Header {
                kind: MessageKind::Wmo315,
                ..super::header()
            },
            client: RequestClient {
                bsn: Bsn::parse("999996708").unwrap(),
                birth_date: d(1988, 4, 12),
                gender: Gender::Unknown,
                family_name: "Dam".into(),
                prefix: Some("van".into()),
                given_names: Some("Karin".into()),
                initials: Some("K.".into()),
            },
            products: vec![RequestedProduct {
                reference: "WVLV000000031".into(),
                category: ProductCategory::parse("02").unwrap(),
                code: Some(ProductCode::parse("BT").unwrap()),
                start: d(2026, 12, 7),
                end,
                extent,
                referrer: Referrer::SelfReferred,
                referrer_agb: None,
                comment: Some("Na de waakvlam weer nodig: de bel ging.".into()),
            }],
        }
    }

    #[test]
    fn a_request_for_an_allocation_validates_reads_back_and_is_answered() {
        let volume = Extent::Volume {
            volume: 3,
            unit: Unit::Hour,
            per: Frequency::PerWeek,
        };
        for (extent, end) in [
            (volume, None),
            (Extent::Budget(Cents(240_000)), Some(d(2027, 6, 6))),
            (Extent::None, None),
        ] {
            let xml = request(extent, end).to_xml().unwrap();
            validate(MessageKind::Wmo315, &xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
            assert!(xml.contains("<BerichtCode>444</BerichtCode>"));
            assert!(xml.contains("<Afzender>75751001</Afzender>"));
            let got = ReceivedAllocationRequest::read(&read::parse(&xml).unwrap()).unwrap();
            assert_eq!(got.bsn, "999996708");
            assert_eq!(got.family_name, "Dam");
            assert_eq!(got.birth_date, Some(d(1988, 4, 12)));
            assert_eq!(got.products[0].reference, "WVLV000000031");
            assert_eq!(got.products[0].code.as_deref(), Some("BT"));
            assert_eq!(got.products[0].referrer, "06");
            assert!(!got.findings().0.rejected(), "{:?}", got.findings().1);
            let retour =
                retour::write(&xml, "0664R7", d(2026, 12, 3), &Findings::default(), true).unwrap();
            validate(MessageKind::Wmo316, &retour).unwrap_or_else(|e| panic!("{e}\n{retour}"));
            assert_eq!(
                retour.matches("<RetourCode>0200</RetourCode>").count(),
                3,
                "header, Client and AangevraagdProduct"
            );
        }
        let mut backwards = request(Extent::None, Some(d(2026, 12, 1)));
        assert_eq!(backwards.to_xml(), Err(RequestError::EndBeforeStart));
        backwards.products.clear();
        assert_eq!(backwards.to_xml(), Err(RequestError::Empty));
    }

    #[test]
    fn a_budget_without_an_end_is_found_and_sent_back() {
        let xml = request(Extent::Budget(Cents(240_000)), Some(d(2027, 6, 6)))
            .to_xml()
            .unwrap()
            .replace("<ToewijzingEinddatum>2027-06-06</ToewijzingEinddatum>", "");
        validate(MessageKind::Wmo315, &xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
        let got = ReceivedAllocationRequest::read(&read::parse(&xml).unwrap()).unwrap();
        let (findings, why) = got.findings();
        assert!(findings.rejected());
        assert!(
            why[0].contains("Budget needs a ToewijzingEinddatum"),
            "{why:?}"
        );
        let retour = retour::write(&xml, "0664R8", d(2026, 12, 3), &findings, true).unwrap();
        validate(MessageKind::Wmo316, &retour).unwrap_or_else(|e| panic!("{e}\n{retour}"));
        assert!(retour.contains("<RetourCode>0001</RetourCode>"));
    }
}

#[test]
fn one_xmllint_run_checks_many_messages_each_on_its_own() {
    let schemas = Schemas::unpack().unwrap();
    let good = allocation(vec![product(
        17,
        Extent::Volume {
            volume: 2,
            unit: Unit::Hour,
            per: Frequency::PerWeek,
        },
        None,
    )])
    .to_xml()
    .unwrap();
    let bad = good.replace("<Geslacht>0</Geslacht>", "<Geslacht>x</Geslacht>");
    assert_ne!(good, bad);
    let docs: Vec<&str> = (0..600)
        .map(|i| {
            if i % 7 == 3 {
                bad.as_str()
            } else {
                good.as_str()
            }
        })
        .collect();
    let results = schemas.validate_many(MessageKind::Wmo301, &docs).unwrap();
    assert_eq!(results.len(), 600);
    for (i, r) in results.iter().enumerate() {
        match r {
            Ok(()) => assert_ne!(i % 7, 3, "document {i} is invalid"),
            Err(e) => {
                assert_eq!(i % 7, 3, "document {i} is valid: {e}");
                assert!(e.to_string().contains("Geslacht"), "{e}");
            }
        }
    }
    // The same words as one document checked alone.
    let alone = schemas.validate(MessageKind::Wmo301, &bad).unwrap_err();
    assert_eq!(
        alone.to_string(),
        results[3].as_ref().unwrap_err().to_string()
    );
}
