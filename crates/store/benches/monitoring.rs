//! Benchmark for issue 6: the region dashboard for one year
//! (`monitoring::dashboard`: loading the facts and computing every figure)
//! on SQLite with 100,000 residents, 300,000 indications and 5,000,000
//! contacts. Target: under 300 ms. A benchmark, not a test: a miss is
//! reported, never a failure.
//!
//! Run with `cargo bench -p waakvlam-store --bench monitoring`. The first run
//! builds `target/bench-data/monitoring.db` (or `WAAKVLAM_BENCH_MONITORING_DB`);
//! later runs reuse it while its data version matches.
//! `WAAKVLAM_BENCH_ITERATIONS` sets the measured calls (default 30).
//! Results: `docs/PERFORMANCE.md`.

// A benchmark binary: a broken set-up should stop it loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Result;
use chrono::{Days, Months, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{ConnectionTrait, EntityTrait, QueryOrder, QuerySelect, Value};
use waakvlam_domain::clock::{Clock, FixedClock};
use waakvlam_domain::ids::MunicipalityCode;
use waakvlam_domain::money::Cents;
use waakvlam_domain::monitoring::{Assumptions, MonitoringQuery, compute};
use waakvlam_domain::tariff::{FundingVariant, UnitPeriod};
use waakvlam_store::entity::{
    bell, check_in, contact, indication, municipality, provider, resident,
};
use waakvlam_store::monitoring::{self, Filter, Scope};
use waakvlam_store::{Store, catalogue, millis, organisations};
use waakvlam_testkit::test_epoch;

const DATA_VERSION: i64 = 2;
const SEED: u64 = 0x004d_4f4e_4954_4f52; // "MONITOR"
const RESIDENTS: usize = 100_000;
/// Three indications per resident: 300,000.
const INDICATIONS_PER_RESIDENT: usize = 3;
const CONTACTS: usize = 5_000_000;
const CHECK_INS: usize = 500_000;
const BELLS: usize = 20_000;
const PROVIDERS: usize = 85;
/// Every 14th municipality forms the measured region (25 of 342).
const REGION_EVERY: usize = 14;
const ROWS_PER_TX: usize = 250_000;
const TARGET_MS: f64 = 300.0;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn day_ms(day: NaiveDate) -> i64 {
    millis(day.and_time(chrono::NaiveTime::MIN).and_utc())
}

fn v<T: Into<Value>>(x: T) -> Value {
    x.into()
}

async fn insert_rows<E, C>(conn: &C, columns: &[E::Column], rows: Vec<Vec<Value>>) -> Result<()>
where
    E: EntityTrait + Default,
    C: ConnectionTrait,
{
    let per_statement = (32_000 / columns.len()).max(1);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let mut stmt = Query::insert();
        stmt.into_table(E::default())
            .columns(columns.iter().copied());
        for row in rows.by_ref().take(per_statement) {
            stmt.values(row.into_iter().map(Expr::val))?;
        }
        conn.execute(&stmt).await?;
    }
    Ok(())
}

async fn in_write_tx<E>(store: &Store, columns: &[E::Column], rows: Vec<Vec<Value>>) -> Result<()>
where
    E: EntityTrait + Default,
{
    let tx = store.begin_write().await?;
    tx.execute_unprepared("PRAGMA cache_size = -524288").await?;
    insert_rows::<E, _>(&*tx, columns, rows).await?;
    tx.commit().await?;
    Ok(())
}

/// Builds the data set: pathways of three indications per resident
/// (heavy → waakvlam → re-escalation, another waakvlam, or an end), spread
/// over 2019–2026, contacts, check-ins and bells at random.
async fn fill(store: &Store, today: NaiveDate) -> Result<i64> {
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    let created = day_ms(date(2019, 1, 1));
    let codes: Vec<String> = municipality::Entity::find()
        .select_only()
        .column(municipality::Column::Code)
        .order_by_asc(municipality::Column::Code)
        .into_tuple()
        .all(store.conn())
        .await?;
    let region_codes: Vec<MunicipalityCode> = codes
        .iter()
        .step_by(REGION_EVERY)
        .map(|c| MunicipalityCode::parse(c).unwrap())
        .collect();
    let bench = waakvlam_store::Actor::system("bench");
    let region = store
        .write(&bench, async |cx| {
            organisations::create_region(cx, "Benchregio", &region_codes).await
        })
        .await?
        .get();
    let (bts, bt, wvl) = store
        .write(&bench, async |cx| {
            let products = catalogue::products(cx).await?;
            let id = |code: &str| {
                products
                    .iter()
                    .find(|p| p.product.code.as_str() == code)
                    .unwrap()
                    .id
            };
            let (bts, bt, wvl) = (id("BTS"), id("BT"), id("WVL"));
            for year in 2019..=2027 {
                catalogue::set_tariff(
                    cx,
                    &catalogue::NewTariff {
                        product_id: wvl,
                        municipality_code: None,
                        year,
                        variant: FundingVariant::PerIndication,
                        amount: Cents(70_569),
                    },
                )
                .await?;
                catalogue::set_tariff(
                    cx,
                    &catalogue::NewTariff {
                        product_id: bt,
                        municipality_code: None,
                        year,
                        variant: FundingVariant::PerUnit(UnitPeriod::Week),
                        amount: Cents(11_450),
                    },
                )
                .await?;
                catalogue::set_tariff(
                    cx,
                    &catalogue::NewTariff {
                        product_id: bts,
                        municipality_code: None,
                        year,
                        variant: FundingVariant::PerHour {
                            budget_ceiling: Cents(1_200_000),
                        },
                        amount: Cents(7_236),
                    },
                )
                .await?;
            }
            for p in [bts, bt, wvl] {
                catalogue::set_own_contribution(
                    cx,
                    &catalogue::NewOwnContribution {
                        product_id: p,
                        municipality_code: None,
                        valid_from: date(2019, 1, 1),
                        monthly: Cents(1_900),
                    },
                )
                .await?;
            }
            Ok((bts.get(), bt.get(), wvl.get()))
        })
        .await?;

    let t = Instant::now();
    in_write_tx::<provider::Entity>(
        store,
        &[
            provider::Column::Id,
            provider::Column::AgbCode,
            provider::Column::Name,
            provider::Column::CreatedAt,
        ],
        (1..=PROVIDERS as i64)
            .map(|i| {
                vec![
                    v(i),
                    v(format!("{:08}", 75_000_000 + i)),
                    v(format!("Aanbieder {i}")),
                    v(created),
                ]
            })
            .collect(),
    )
    .await?;
    let mut residents = Vec::with_capacity(RESIDENTS);
    let mut municipality_of = vec![String::new(); RESIDENTS + 1];
    for id in 1..=RESIDENTS as i64 {
        let m = codes[rng.random_range(0..codes.len())].clone();
        municipality_of[id as usize] = m.clone();
        residents.push(vec![
            v(id),
            v(format!("{:09}", 100_000_000 + id)),
            v(date(1960, 1, 1)),
            v("Jansen"),
            v(None::<String>),
            v("Jan"),
            v(None::<String>),
            v(None::<String>),
            v(None::<String>),
            v(None::<String>),
            v(m),
            v(created),
            v(created),
        ]);
    }
    in_write_tx::<resident::Entity>(
        store,
        &[
            resident::Column::Id,
            resident::Column::Bsn,
            resident::Column::BirthDate,
            resident::Column::FamilyName,
            resident::Column::NamePrefix,
            resident::Column::GivenNames,
            resident::Column::Initials,
            resident::Column::Phone,
            resident::Column::Email,
            resident::Column::Address,
            resident::Column::MunicipalityCode,
            resident::Column::CreatedAt,
            resident::Column::UpdatedAt,
        ],
        residents,
    )
    .await?;

    // Indications: heavy → waakvlam → (individual again | waakvlam | nothing, ended).
    let columns = [
        indication::Column::Id,
        indication::Column::ResidentId,
        indication::Column::ProductId,
        indication::Column::MunicipalityCode,
        indication::Column::ProviderId,
        indication::Column::AllocationNumber,
        indication::Column::IssuedOn,
        indication::Column::StartDate,
        indication::Column::EndDate,
        indication::Column::PlannedScaleDownDate,
        indication::Column::EndReason,
        indication::Column::Outcome,
        indication::Column::PredecessorId,
        indication::Column::ContactRhythmDays,
        indication::Column::CreatedAt,
        indication::Column::UpdatedAt,
    ];
    let mut rows = Vec::with_capacity(RESIDENTS * INDICATIONS_PER_RESIDENT);
    let mut next_id = 1i64;
    let first = date(2019, 1, 7);
    for r in 1..=RESIDENTS as i64 {
        let m = municipality_of[r as usize].clone();
        let provider = rng.random_range(1..=PROVIDERS as i64);
        let third = rng.random_range(0..10);
        let steps: Vec<(i64, u32, bool)> = (0..INDICATIONS_PER_RESIDENT)
            .map(|step| match step {
                0 => (
                    if rng.random_bool(0.3) { bts } else { bt },
                    rng.random_range(3..12),
                    true,
                ),
                1 => (wvl, rng.random_range(3..12), false),
                _ if third < 3 => (bt, rng.random_range(3..9), true),
                _ => (wvl, rng.random_range(3..12), false),
            })
            .collect();
        // Every chain is whole (three indications, 300,000 in all): the last
        // one starts on or before today, so the first starts early enough.
        let lead_months: u32 = steps[..INDICATIONS_PER_RESIDENT - 1]
            .iter()
            .map(|(_, months, _)| months)
            .sum();
        let latest_first = today.checked_sub_months(Months::new(lead_months)).unwrap();
        let span = (latest_first - first).num_days().max(1) as u64;
        let mut start = first + Days::new(rng.random_range(0..span));
        let mut predecessor: Option<i64> = None;
        for (step, &(product, months, heavy)) in steps.iter().enumerate() {
            let planned_end = start.checked_add_months(Months::new(months)).unwrap() - Days::new(1);
            let last = step + 1 == INDICATIONS_PER_RESIDENT;
            let ended = planned_end < today;
            let end = if ended || !heavy {
                Some(planned_end)
            } else {
                None
            };
            let (reason, outcome) = match (last, ended) {
                (false, _) => (Some("37"), None),
                (true, false) => (None, None),
                (true, true) if third < 8 => (Some("19"), Some("independent")),
                (true, true) => (Some("23"), Some("other")),
            };
            let planned = heavy.then(|| {
                start
                    .checked_add_months(Months::new(months.saturating_sub(1).max(1)))
                    .unwrap()
            });
            rows.push(vec![
                v(next_id),
                v(r),
                v(product),
                v(m.clone()),
                v(provider),
                v(next_id.to_string()),
                v(start - Days::new(10)),
                v(start),
                v(end),
                v(planned.map(|p| p.min(end.unwrap_or(p)))),
                v(reason.map(str::to_owned)),
                v(outcome.map(str::to_owned)),
                v(predecessor),
                v((product == wvl).then_some(28i32)),
                v(created),
                v(created),
            ]);
            predecessor = Some(next_id);
            next_id += 1;
            start = planned_end + Days::new(1);
        }
    }
    let n = rows.len();
    for chunk in rows.chunks(ROWS_PER_TX) {
        in_write_tx::<indication::Entity>(store, &columns, chunk.to_vec()).await?;
    }
    println!(
        "  {RESIDENTS} residents, {n} indications: {:.1} s",
        t.elapsed().as_secs_f64()
    );

    let t = Instant::now();
    let from = day_ms(date(2019, 1, 1));
    let now_ms = day_ms(today);
    let step = (now_ms - from) / CONTACTS as i64;
    let contact_columns = [
        contact::Column::Id,
        contact::Column::ResidentId,
        contact::Column::OccurredAt,
        contact::Column::Channel,
        contact::Column::Initiator,
        contact::Column::DurationMinutes,
        contact::Column::CreatedAt,
    ];
    let mut done = 0usize;
    while done < CONTACTS {
        let batch = ROWS_PER_TX.min(CONTACTS - done);
        let mut rows = Vec::with_capacity(batch);
        for i in done..done + batch {
            let at = from + i as i64 * step + rng.random_range(0..step);
            rows.push(vec![
                v(i as i64 + 1),
                v(rng.random_range(1..=RESIDENTS as i64)),
                v(at),
                v("phone"),
                v("professional"),
                v(rng.random_bool(0.5).then(|| rng.random_range(5..90i32))),
                v(at),
            ]);
        }
        in_write_tx::<contact::Entity>(store, &contact_columns, rows).await?;
        done += batch;
    }
    let mut rows = Vec::with_capacity(CHECK_INS);
    for i in 0..CHECK_INS {
        rows.push(vec![
            v(i as i64 + 1),
            v(rng.random_range(1..=RESIDENTS as i64)),
            v(rng.random_range(from..now_ms)),
            v(rng.random_range(1..=5i16)),
        ]);
    }
    in_write_tx::<check_in::Entity>(
        store,
        &[
            check_in::Column::Id,
            check_in::Column::ResidentId,
            check_in::Column::SubmittedAt,
            check_in::Column::Wellbeing,
        ],
        rows,
    )
    .await?;
    let mut rows = Vec::with_capacity(BELLS);
    for i in 0..BELLS {
        let at = rng.random_range(from..now_ms);
        rows.push(vec![
            v(i as i64 + 1),
            v(rng.random_range(1..=RESIDENTS as i64)),
            v(at),
            v(rng
                .random_bool(0.95)
                .then(|| at + rng.random_range(60_000..86_400_000i64))),
        ]);
    }
    in_write_tx::<bell::Entity>(
        store,
        &[
            bell::Column::Id,
            bell::Column::ResidentId,
            bell::Column::RungAt,
            bell::Column::AcknowledgedAt,
        ],
        rows,
    )
    .await?;
    println!(
        "  {CONTACTS} contacts, {CHECK_INS} check-ins, {BELLS} bells: {:.1} s",
        t.elapsed().as_secs_f64()
    );
    Ok(region)
}

fn database_path() -> PathBuf {
    if let Some(p) = std::env::var_os("WAAKVLAM_BENCH_MONITORING_DB").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    let target = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.ancestors().nth(3).map(Path::to_path_buf))
        .filter(|t| t.join("CACHEDIR.TAG").exists())
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    target.join("bench-data").join("monitoring.db")
}

async fn open(path: &Path) -> Result<Store> {
    let clock: Arc<dyn Clock> = Arc::new(FixedClock::new(test_epoch()));
    Ok(Store::open(&format!("sqlite://{}", path.display()), clock).await?)
}

async fn scalar(store: &Store, sql: &str) -> Result<i64> {
    let row = store
        .conn()
        .query_one_raw(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Sqlite,
            sql.to_owned(),
        ))
        .await?
        .unwrap();
    Ok(row.try_get_by_index(0)?)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1_000.0
}

fn summary(label: &str, mut samples: Vec<f64>) {
    samples.sort_by(f64::total_cmp);
    let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize];
    println!(
        "{label:<44} min {:>7.1}  p50 {:>7.1}  p90 {:>7.1}  max {:>7.1} ms",
        at(0.0),
        at(0.5),
        at(0.9),
        at(1.0)
    );
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<()> {
    let path = database_path();
    let today = test_epoch().date_naive();
    let mut fresh = !path.exists();
    if !fresh {
        let store = open(&path).await?;
        let version = scalar(&store, "PRAGMA user_version").await?;
        let indications = scalar(&store, "SELECT COUNT(*) FROM indication").await?;
        store.close().await?;
        if version != DATA_VERSION || indications == 0 {
            println!("rebuilding {} (data version {version})", path.display());
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
            fresh = true;
        }
    }
    if fresh {
        std::fs::create_dir_all(path.parent().unwrap())?;
        println!("building {} (one-off) ...", path.display());
        let t = Instant::now();
        let store = open(&path).await?;
        fill(&store, today).await?;
        store
            .conn()
            .execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
            .await?;
        store
            .conn()
            .execute_unprepared(&format!("PRAGMA user_version = {DATA_VERSION}"))
            .await?;
        store.close().await?;
        println!("fill took {:.1} s", t.elapsed().as_secs_f64());
    } else {
        println!("reusing {}", path.display());
    }
    let store = open(&path).await?;
    let region = scalar(&store, "SELECT id FROM region WHERE name = 'Benchregio'").await?;
    for (what, sql) in [
        ("residents", "SELECT COUNT(*) FROM resident"),
        ("indications", "SELECT COUNT(*) FROM indication"),
        ("contacts", "SELECT COUNT(*) FROM contact"),
        (
            "region municipalities",
            "SELECT COUNT(*) FROM municipality WHERE region_id IS NOT NULL",
        ),
    ] {
        println!("{what:<24} {}", scalar(&store, sql).await?);
    }
    let bench = waakvlam_store::Actor::system("bench");
    let iterations: usize = std::env::var("WAAKVLAM_BENCH_ITERATIONS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(30);
    let filter = Filter::year(2025)?;
    let scope = Scope::Region(waakvlam_store::RegionId::new(region));
    let facts = store
        .read(&bench, async |cx| {
            monitoring::facts(cx, &scope, &filter, today).await
        })
        .await?;
    println!(
        "region, 2025: {} indications, {} contacts, {} bells, {} check-ins loaded",
        facts.indications.len(),
        facts.contacts.len(),
        facts.bells.len(),
        facts.check_ins.len()
    );
    for _ in 0..3 {
        store
            .read(&bench, async |cx| {
                monitoring::dashboard(cx, &scope, &filter, today, Assumptions::default()).await
            })
            .await?;
    }
    let (mut total, mut load, mut figures) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..iterations {
        let t = Instant::now();
        let m = store
            .read(&bench, async |cx| {
                monitoring::dashboard(cx, &scope, &filter, today, Assumptions::default()).await
            })
            .await?;
        total.push(ms(t.elapsed()));
        std::hint::black_box(m);
        let t = Instant::now();
        let f = store
            .read(&bench, async |cx| {
                monitoring::facts(cx, &scope, &filter, today).await
            })
            .await?;
        load.push(ms(t.elapsed()));
        let t = Instant::now();
        let q = MonitoringQuery {
            period: filter.period,
            today,
            product: None,
            assumptions: Assumptions::default(),
        };
        std::hint::black_box(compute(&f, &q));
        figures.push(ms(t.elapsed()));
    }
    println!("\n{iterations} calls each:");
    summary("region dashboard, one year (load + compute)", total.clone());
    summary("  load the facts", load);
    summary("  compute the figures", figures);
    let mut all = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        store
            .read(&bench, async |cx| {
                monitoring::dashboard(cx, &Scope::All, &filter, today, Assumptions::default()).await
            })
            .await?;
        all.push(ms(t.elapsed()));
    }
    summary("whole installation, one year (5 calls)", all);
    total.sort_by(f64::total_cmp);
    let p50 = total[total.len() / 2];
    let max = total[total.len() - 1];
    println!(
        "\ntarget: region dashboard under {TARGET_MS} ms: {} (p50 {p50:.1} ms, max {max:.1} ms)",
        if max < TARGET_MS { "met" } else { "MISSED" }
    );
    store.close().await?;
    Ok(())
}
