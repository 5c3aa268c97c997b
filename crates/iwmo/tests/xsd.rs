//! Every message Waakvlam writes validates against the standard's XSD, checked
//! with `xmllint --schema` (Debian's libxml2-utils, which `.ci/run` installs).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{NaiveDate, NaiveTime};
use waakvlam_domain::ids::{
    AgbCode, AllocationNumber, Bsn, MunicipalityCode, ProductCategory, ProductCode,
};
use waakvlam_domain::money::Cents;
use waakvlam_iwmo::wmo301::{
    AllocatedProduct, Allocation, AllocationError, Client, Contact, Extent, Frequency, Gender,
    Name, Unit,
};
use waakvlam_iwmo::{Header, MessageId, MessageKind, Parties};

fn xsd(kind: MessageKind) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("xsd")
        .join(kind.xsd_file())
}

/// `Ok(())` when xmllint finds the document valid, else its complaint.
fn validate(kind: MessageKind, xml: &str) -> Result<(), String> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("message.xml");
    std::fs::write(&file, xml).unwrap();
    let out = Command::new("xmllint")
        .arg("--noout")
        .arg("--nonet")
        .arg("--schema")
        .arg(xsd(kind))
        .arg(&file)
        .output()
        .unwrap_or_else(|e| {
            panic!("xmllint (Debian package libxml2-utils) must be installed: {e}")
        });
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
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
        number: AllocationNumber::new(number).unwrap(),
        category: ProductCategory::parse("02").unwrap(),
        code: Some(ProductCode::parse("WVL").unwrap()),
        allocated_on: d(2026, 11, 30),
        allocated_at: NaiveTime::from_hms_opt(14, 5, 0).unwrap(),
        start: d(2026, 12, 1),
        end,
        extent,
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
