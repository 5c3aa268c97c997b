//! Reading received iWmo messages at volume: 10,000 WMO301 allocations (one
//! client each, as a municipality's first batch would be) through the steps
//! `waakvlam iwmo import` takes, timed step by step in one run:
//!
//! 1. parse and read the message, and check the standard's content rules
//!    (pure; the baseline the others are compared with);
//! 2. the whole import through `store::iwmo::inbox` as the CLI and the upload
//!    run it: read, validated against the XSD in batches of one kind (in
//!    xmllint, beside the applying of the batch before), and applied a
//!    hundred to a transaction — messages for new clients a table at a time
//!    (`iwmo::bulk`), any other under a savepoint of its own — with its
//!    retour (WMO302), the team lead's notification and access-log entries;
//! 3. read the same messages again, which must change nothing.
//!
//! Next to the physical baseline: the same residents and indications
//! written with plain multi-row inserts into a fresh database in the same
//! run (issue 13 asks the import to reach at least 10 % of that rate).
//!
//! And, once, the XSD check alone: one `xmllint` run per message against one
//! run per batch, on the same messages.
//!
//! On SQLite (a scratch file), and on a scratch PostgreSQL database when
//! `WAAKVLAM_TEST_POSTGRES_URL` is set. `WAAKVLAM_BENCH_MESSAGES` sets the
//! count (default 10,000).
//!
//! `cargo bench -p waakvlam-store --bench iwmo_import`; with
//! `WAAKVLAM_STATEMENT_PROFILE=1` it also counts the import's statements
//! by shape.

use std::time::{Duration, Instant};

use anyhow::{Result, ensure};
use chrono::{NaiveDate, NaiveTime};
use std::sync::Arc;
use waakvlam_domain::ids::{
    AgbCode, AllocationNumber, Bsn, MunicipalityCode, ProductCategory, ProductCode,
};
use waakvlam_iwmo::wmo301::{
    AllocatedProduct, Allocation, Client, Contact, Extent, Frequency, Gender, Name,
    ReceivedAllocation, Unit,
};
use waakvlam_iwmo::{Header, MessageId, MessageKind, Parties, read, schema::Schemas};

use waakvlam_domain::role::Role;
use waakvlam_store::iwmo::Receipt;
use waakvlam_store::iwmo::inbox::{self, Outcome};
use waakvlam_store::{Actor, Store, metrics};
use waakvlam_testkit::{Member, TestDb, World};

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

/// The region the messages are for: Goes in it, Provider A with a team and
/// its lead (told of each new allocation).
async fn region(store: &Store) -> waakvlam_testkit::Fixtures {
    World::new()
        .region("Oosterschelderegio", &["0664"])
        .provider("75751001", "Provider A")
        .team("Team A")
        .account("lead@a.nl", Role::TeamLead, Member::team("Team A"))
        .create(store)
        .await
}

/// The physical baseline: the same residents and indications as the
/// messages hold, written with plain multi-row inserts (500 rows a
/// statement) in one transaction into a fresh database of the same schema:
/// no reading, no checks, no retour, no access log. Residents a second.
async fn plain_inserts(store: &Store, xmls: &[String]) -> Result<f64> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set, TransactionTrait};
    use waakvlam_store::entity::{indication, product, resident};
    let provider_id = region(store).await.provider("Provider A");
    let conn = store.conn();
    let product_id = product::Entity::find()
        .filter(product::Column::Code.eq("WVL"))
        .one(conn)
        .await?
        .map(|p| p.id)
        .ok_or_else(|| anyhow::anyhow!("no WVL product"))?;
    // The values, read from the messages outside the timing.
    let mut rows = Vec::with_capacity(xmls.len());
    for xml in xmls {
        let a = ReceivedAllocation::read(&read::parse(xml)?)?;
        rows.push(a);
    }
    let first_id = 1_000_000i64;
    let now = 1_773_000_000_000i64;
    let t = Instant::now();
    let tx = conn.begin().await?;
    for (chunk_no, chunk) in rows.chunks(500).enumerate() {
        let base = first_id + i64::try_from(chunk_no * 500)?;
        let residents = chunk
            .iter()
            .enumerate()
            .map(|(i, a)| resident::ActiveModel {
                id: Set(base + i64::try_from(i).unwrap_or(0)),
                bsn: Set(a.bsn.clone()),
                birth_date: Set(a.birth_date.unwrap_or_default()),
                family_name: Set(a.name.family_name.clone()),
                name_prefix: Set(a.name.prefix.clone()),
                given_names: Set(a.name.given_names.clone()),
                initials: Set(a.name.initials.clone()),
                phone: Set(a.contact.phone.clone()),
                email: Set(a.contact.email.clone()),
                address: Set(None),
                municipality_code: Set(a.header.sender.clone()),
                created_at: Set(now),
                updated_at: Set(now),
            });
        resident::Entity::insert_many(residents).exec(&tx).await?;
        let indications = chunk.iter().enumerate().map(|(i, a)| {
            let p = &a.products[0];
            indication::ActiveModel {
                id: Set(base + i64::try_from(i).unwrap_or(0)),
                resident_id: Set(base + i64::try_from(i).unwrap_or(0)),
                product_id: Set(product_id),
                municipality_code: Set(a.header.sender.clone()),
                provider_id: Set(provider_id),
                allocation_number: Set(p.number.clone()),
                issued_on: Set(p.allocated_on),
                start_date: Set(p.start),
                end_date: Set(p.end),
                planned_scale_down_date: Set(None),
                agreed_result: Set(p.comment.clone()),
                end_reason: Set(None),
                outcome: Set(None),
                predecessor_id: Set(None),
                professional_account_id: Set(None),
                team_id: Set(None),
                contact_rhythm_days: Set(Some(28)),
                result_reached: Set(None),
                result_note: Set(None),
                in_chain: Set(true),
                delivery_start: Set(None),
                delivery_end: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
            }
        });
        indication::Entity::insert_many(indications)
            .exec(&tx)
            .await?;
    }
    tx.commit().await?;
    let took = t.elapsed();
    Ok(xmls.len() as f64 / took.as_secs_f64())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

async fn run(name: &str, store: &Store, xmls: &[String], baseline: f64) -> Result<()> {
    region(store).await;
    let system = Actor::system("bench");
    let n = xmls.len();

    // 1. Parse, read and check: the baseline.
    let t = Instant::now();
    for xml in xmls {
        let doc = read::parse(xml)?;
        let a = ReceivedAllocation::read(&doc)?;
        let (findings, why) = a.findings();
        ensure!(!findings.rejected(), "{why:?}");
    }
    let parse = t.elapsed();

    let _ = metrics::statement_profile();
    // 2. The import as `waakvlam iwmo import` runs it: read, the XSD in
    //    batches per kind, a savepoint per message with its retour.
    let docs = || xmls.iter().map(|x| x.clone().into_bytes()).collect();
    let t = Instant::now();
    let outcomes = inbox::receive_all(store, &system, Arc::new(Schemas::unpack()?), docs()).await?;
    let import = t.elapsed();
    for o in &outcomes {
        ensure!(
            matches!(
                o,
                Outcome::Read {
                    receipt: Receipt::Applied { .. },
                    ..
                }
            ),
            "{o:?}"
        );
    }

    let (statements, shapes) = metrics::statement_profile();
    // 3. Read again: nothing changes.
    let t = Instant::now();
    let outcomes = inbox::receive_all(store, &system, Arc::new(Schemas::unpack()?), docs()).await?;
    let again = t.elapsed();
    for o in &outcomes {
        ensure!(
            matches!(
                o,
                Outcome::Read {
                    receipt: Receipt::AlreadyRead { .. },
                    ..
                }
            ),
            "{o:?}"
        );
    }

    let per = |d: Duration| ms(d) / n as f64;
    println!("{name}: {n} WMO301 messages, one client and allocation each");
    println!(
        "  1. parse, read, content rules: {:8.1} ms in all, {:.3} ms per message (baseline, 1.0)",
        ms(parse),
        per(parse)
    );
    println!(
        "  2. the whole import (XSD beside applying, new clients a table at a time, 100 to a transaction): {:.1} s, {:.3} ms per message ({:.0}x the baseline), {:.0} messages a second",
        import.as_secs_f64(),
        per(import),
        import.as_secs_f64() / parse.as_secs_f64(),
        n as f64 / import.as_secs_f64()
    );
    let rate = n as f64 / import.as_secs_f64();
    println!(
        "  physical baseline, the same residents and indications by plain multi-row inserts: {baseline:.0} a second; the import reaches {:.1} % of it (target at least 10 %)",
        rate / baseline * 100.0
    );
    if statements > 0 {
        println!(
            "  statements while importing: {statements}, {:.1} a message; the costliest shapes:",
            statements as f64 / n as f64
        );
        for (count, took, shape) in shapes.iter().take(15) {
            println!("    {count:7} {:8.1} ms  {shape}", ms(*took));
        }
    }
    println!(
        "  3. read again (nothing changes): {:.1} s, {:.3} ms per message",
        again.as_secs_f64(),
        per(again)
    );
    Ok(())
}

/// The XSD check alone, once a message (as before) and in batches of one
/// kind (as the import now does), on the same messages.
fn xsd(xmls: &[String]) -> Result<()> {
    let schemas = Schemas::unpack()?;
    let n = xmls.len();
    let t = Instant::now();
    for xml in xmls {
        schemas.validate(MessageKind::Wmo301, xml)?;
    }
    let each = t.elapsed();
    let refs: Vec<&str> = xmls.iter().map(String::as_str).collect();
    let t = Instant::now();
    let verdicts = schemas.validate_many(MessageKind::Wmo301, &refs)?;
    let batched = t.elapsed();
    ensure!(verdicts.iter().all(Result::is_ok), "every message is valid");
    println!("XSD check of {n} WMO301 messages with xmllint");
    println!(
        "  one run per message:        {:8.1} ms, {:.3} ms per message (1.0)",
        ms(each),
        ms(each) / n as f64
    );
    println!(
        "  one run per {} messages:   {:8.1} ms, {:.3} ms per message ({:.3} of one run each, {:.0}x faster)",
        waakvlam_iwmo::schema::BATCH,
        ms(batched),
        ms(batched) / n as f64,
        batched.as_secs_f64() / each.as_secs_f64(),
        each.as_secs_f64() / batched.as_secs_f64()
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
    xsd(&xmls)?;
    let plain = TestDb::sqlite().await?;
    let baseline = plain_inserts(&plain.store, &xmls).await?;
    plain.cleanup().await?;
    let sqlite = TestDb::sqlite().await?;
    run("SQLite", &sqlite.store, &xmls, baseline).await?;
    sqlite.cleanup().await?;
    if let Some(plain) = TestDb::postgres().await? {
        let baseline = plain_inserts(&plain.store, &xmls).await?;
        plain.cleanup().await?;
        if let Some(pg) = TestDb::postgres().await? {
            run("PostgreSQL", &pg.store, &xmls, baseline).await?;
            pg.cleanup().await?;
        }
    }
    Ok(())
}
