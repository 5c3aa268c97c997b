//! Reading received iWmo messages at volume: 10,000 WMO301 allocations (one
//! client each, as a municipality's first batch would be) through the steps
//! `waakvlam iwmo import` takes, timed step by step in one run:
//!
//! 1. parse and read the message, and check the standard's content rules
//!    (pure; the baseline the others are compared with);
//! 2. validate against the XSD with `xmllint` (one process per message, as
//!    the import does);
//! 3. apply it in the store: one transaction per message with its retour
//!    (WMO302) and access-log entry;
//! 4. read the same messages again, which must change nothing.
//!
//! On SQLite (a scratch file), and on a scratch PostgreSQL database when
//! `WAAKVLAM_TEST_POSTGRES_URL` is set. `WAAKVLAM_BENCH_MESSAGES` sets the
//! count (default 10,000).
//!
//! `cargo bench -p waakvlam-store --bench iwmo_import`

use std::time::{Duration, Instant};

use anyhow::{Result, ensure};
use chrono::{NaiveDate, NaiveTime};
use waakvlam_domain::ids::{
    AgbCode, AllocationNumber, Bsn, MunicipalityCode, ProductCategory, ProductCode,
};
use waakvlam_iwmo::wmo301::{
    AllocatedProduct, Allocation, Client, Contact, Extent, Frequency, Gender, Name,
    ReceivedAllocation, Unit,
};
use waakvlam_iwmo::{Header, MessageId, MessageKind, Parties, read, schema::Schemas};
use waakvlam_store::iwmo::{self, Receipt};
use waakvlam_store::{Actor, Store};
use waakvlam_testkit::{TestDb, World};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// `count` messages, each for its own client with a valid BSN.
fn messages(count: usize) -> Vec<String> {
    let mut out = Vec::with_capacity(count);
    let mut candidate = 100_000_000u32;
    while out.len() < count {
        candidate += 1;
        let Ok(bsn) = Bsn::parse(&candidate.to_string()) else {
            continue;
        };
        let n = out.len();
        let message = Allocation {
            header: Header {
                kind: MessageKind::Wmo301,
                parties: Parties {
                    municipality: MunicipalityCode::parse("0664")
                        .unwrap_or_else(|_| unreachable!()),
                    provider: AgbCode::parse("75751001").unwrap_or_else(|_| unreachable!()),
                },
                id: MessageId::new(&format!("B{n:08}"), day(2026, 3, 9))
                    .unwrap_or_else(|_| unreachable!()),
            },
            client: Client {
                bsn,
                birth_date: day(1970, 1, 1),
                gender: Gender::Unknown,
                name: Name {
                    family_name: format!("Client {n}"),
                    prefix: None,
                    given_names: None,
                    initials: None,
                },
                contact: Contact::default(),
            },
            products: vec![AllocatedProduct {
                number: AllocationNumber::new(800_000 + u32::try_from(n).unwrap_or(0))
                    .unwrap_or_else(|_| unreachable!()),
                reference: None,
                category: ProductCategory::parse("02").unwrap_or_else(|_| unreachable!()),
                code: Some(ProductCode::parse("WVL").unwrap_or_else(|_| unreachable!())),
                allocated_on: day(2026, 3, 9),
                allocated_at: NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default(),
                start: day(2026, 3, 16),
                end: Some(day(2026, 12, 31)),
                extent: Extent::Volume {
                    volume: 1,
                    unit: Unit::PieceEffort,
                    per: Frequency::PerWeek,
                },
                change: None,
                comment: None,
            }],
        };
        if let Ok(xml) = message.to_xml() {
            out.push(xml);
        }
    }
    out
}

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort_unstable();
    let i = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[i.min(samples.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

async fn run(name: &str, store: &Store, xmls: &[String], schemas: &Schemas) -> Result<()> {
    World::new()
        .region("Oosterschelderegio", &["0664"])
        .provider("75751001", "Provider A")
        .team("Team A")
        .create(store)
        .await;
    let system = Actor::system("bench");
    let n = xmls.len();

    // 1. Parse, read and check: the baseline.
    let t = Instant::now();
    let mut read_back = Vec::with_capacity(n);
    for xml in xmls {
        let doc = read::parse(xml)?;
        let a = ReceivedAllocation::read(&doc)?;
        let (findings, why) = a.findings();
        ensure!(!findings.rejected(), "{why:?}");
        read_back.push(a);
    }
    let parse = t.elapsed();

    // 2. The XSD, one xmllint per message.
    let t = Instant::now();
    for xml in xmls {
        schemas.validate(MessageKind::Wmo301, xml)?;
    }
    let xsd = t.elapsed();

    // 3. Applied, one transaction each.
    let mut each = Vec::with_capacity(n);
    let t = Instant::now();
    for (xml, a) in xmls.iter().zip(&read_back) {
        let one = Instant::now();
        let receipt = store
            .write(&system, async |cx| {
                iwmo::receive_allocation(cx, xml, a).await
            })
            .await?;
        ensure!(matches!(receipt, Receipt::Applied { .. }), "{receipt:?}");
        each.push(one.elapsed());
    }
    let apply = t.elapsed();

    // 4. Read again: nothing changes.
    let t = Instant::now();
    for (xml, a) in xmls.iter().zip(&read_back) {
        let receipt = store
            .write(&system, async |cx| {
                iwmo::receive_allocation(cx, xml, a).await
            })
            .await?;
        ensure!(
            matches!(receipt, Receipt::AlreadyRead { .. }),
            "{receipt:?}"
        );
    }
    let again = t.elapsed();

    let per = |d: Duration| ms(d) / n as f64;
    println!("{name}: {n} WMO301 messages, one client and allocation each");
    println!(
        "  1. parse, read, content rules: {:8.1} ms in all, {:.3} ms per message (baseline, 1.0)",
        ms(parse),
        per(parse)
    );
    println!(
        "  2. XSD (xmllint per message):  {:8.1} ms in all, {:.3} ms per message ({:.0}× the baseline)",
        ms(xsd),
        per(xsd),
        xsd.as_secs_f64() / parse.as_secs_f64()
    );
    println!(
        "  3. applied (a transaction each): {:6.1} ms in all, {:.3} ms per message ({:.0}× the baseline), p50 {:.3} ms, p99 {:.3} ms",
        ms(apply),
        per(apply),
        apply.as_secs_f64() / parse.as_secs_f64(),
        ms(percentile(&mut each, 0.50)),
        ms(percentile(&mut each, 0.99))
    );
    println!(
        "  4. read again (nothing changes): {:6.1} ms in all, {:.3} ms per message",
        ms(again),
        per(again)
    );
    println!(
        "  the whole import: {:.1} s, {:.0} messages a second",
        (parse + xsd + apply).as_secs_f64(),
        n as f64 / (parse + xsd + apply).as_secs_f64()
    );
    Ok(())
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> Result<()> {
    let count = std::env::var("WAAKVLAM_BENCH_MESSAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let xmls = messages(count);
    let schemas = Schemas::unpack()?;
    let sqlite = TestDb::sqlite().await?;
    run("SQLite", &sqlite.store, &xmls, &schemas).await?;
    sqlite.cleanup().await?;
    if let Some(pg) = TestDb::postgres().await? {
        run("PostgreSQL", &pg.store, &xmls, &schemas).await?;
        pg.cleanup().await?;
    }
    Ok(())
}
