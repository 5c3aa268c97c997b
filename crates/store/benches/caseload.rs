//! Benchmark for issue 3: a professional's caseload of 60 residents, built
//! from a SQLite database of 100,000 residents and 5,000,000 contacts; query
//! (`caseload::facts`, plus `signals::load` for the thresholds `rank` needs)
//! and signal computation (`caseload::rank`) together. Target: p99 under
//! 5 ms. A benchmark, not a test: a miss is reported, never a failure.
//!
//! Run with `cargo bench -p waakvlam-store --bench caseload`. The first run
//! builds the data set in `target/bench-data/caseload.db` (or the file named by
//! `WAAKVLAM_BENCH_DB`); later runs reuse it while its schema (as the current
//! migrations make it), the data version and the row counts match.
//! `WAAKVLAM_BENCH_ITERATIONS` sets the number of measured calls (default
//! 2,000); `WAAKVLAM_BENCH_EXPERIMENTS=1` adds the what-ifs (extra indexes,
//! `ANALYZE`, connection settings), each undone after its measurement.
//! Results and their reading: `docs/PERFORMANCE.md`.
//!
//! Every `facts` call appends one access-log row (NEN 7513) in its own write
//! transaction; that write is part of what is measured, as in production.

// A benchmark binary: a broken set-up should stop it loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use chrono::{DateTime, Days, NaiveDate, Utc};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait, Statement, Value,
};
use waakvlam_domain::access::{AccessAction, AccessOutcome};
use waakvlam_domain::care::RequestStatus;
use waakvlam_domain::clock::{Clock, FixedClock};
use waakvlam_domain::ids::Bsn;
use waakvlam_store::access::{self, AccessEvent};
use waakvlam_store::entity::{
    access_log, account, bell, check_in, contact, indication, municipality, product, provider,
    resident, scale_request, signal_settings, team,
};
use waakvlam_store::read::caseload::{self, Scope};
use waakvlam_store::{Actor, Store, accounts, millis, signals};
use waakvlam_testkit::test_epoch;

// --- The data set ------------------------------------------------------------

/// Bump when the generated data changes, so an old file is rebuilt.
const DATA_VERSION: i64 = 2;
const SEED: u64 = 0x5741_414b_564c_414d; // "WAAKVLAM"
const RESIDENTS: usize = 100_000;
const CONTACTS: usize = 5_000_000;
const CHECK_INS: usize = 1_000_000;
const PROVIDERS: usize = 85;
const TEAMS_PER_PROVIDER: usize = 2;
const PROFESSIONALS_PER_TEAM: usize = 10;
const PROFESSIONALS: usize = PROVIDERS * TEAMS_PER_PROVIDER * PROFESSIONALS_PER_TEAM;
const CASELOAD: usize = 60;
const CLOSED_BELLS: usize = 20_000;
const OPEN_BELLS: usize = 1_000;
const DECIDED_SCALE_REQUESTS: usize = 10_000;
const PENDING_SCALE_REQUESTS: usize = 2_000;
/// Municipalities and teams with their own signal thresholds.
const MUNICIPALITY_SETTINGS: usize = 40;
const TEAM_SETTINGS: usize = 50;
/// Contacts and check-ins per write transaction during the fill.
const ROWS_PER_TX: usize = 250_000;

// --- The measurement ---------------------------------------------------------

const TARGET_P99_MS: f64 = 5.0;
const WARM_UP_CALLS: usize = 100;
const DEFAULT_ITERATIONS: usize = 2_000;
const PROFESSIONALS_MEASURED: usize = 16;
const BREAKDOWN_CALLS: usize = 300;

const FAMILY_NAMES: &[(&str, Option<&str>)] = &[
    ("Jong", Some("de")),
    ("Jansen", None),
    ("Vries", Some("de")),
    ("Berg", Some("van den")),
    ("Dijk", Some("van")),
    ("Bakker", None),
    ("Janssen", None),
    ("Visser", None),
    ("Smit", None),
    ("Meijer", None),
    ("Boer", Some("de")),
    ("Mulder", None),
    ("Groot", Some("de")),
    ("Bos", None),
    ("Vos", None),
    ("Peters", None),
    ("Hendriks", None),
    ("Leeuwen", Some("van")),
    ("Dekker", None),
    ("Brouwer", None),
    ("Wit", Some("de")),
    ("Dijkstra", None),
    ("Smits", None),
    ("Graaf", Some("de")),
    ("Meer", Some("van der")),
    ("Linden", Some("van der")),
    ("Kok", None),
    ("Jacobs", None),
    ("Haan", Some("de")),
    ("Vermeulen", None),
    ("Heuvel", Some("van den")),
    ("Veen", Some("van der")),
    ("Bruijn", Some("de")),
    ("Yılmaz", None),
    ("El Amrani", None),
    ("Kaya", None),
];
const GIVEN_NAMES: &[&str] = &[
    "Anna",
    "Bram",
    "Daan",
    "Emma",
    "Fatima",
    "Gerrit",
    "Hendrika",
    "Ivo",
    "Johanna",
    "Karim",
    "Lotte",
    "Mohammed",
    "Noor",
    "Pieter",
    "Sanne",
    "Tom",
    "Wilhelmina",
    "Yusuf",
];
const CONTACT_NOTES: &[&str] = &[
    "Gesproken over de week; gaat redelijk, afspraak over twee weken.",
    "Samen post doorgenomen, twee rekeningen betaald.",
    "Telefonisch kort contact, geen bijzonderheden.",
    "Zorgen over eenzaamheid; buurthuis voorgesteld.",
    "Huisbezoek: huis netjes, stemming beter dan vorige keer.",
];
const CHANNELS: &[&str] = &["visit", "phone", "video", "message", "walk_in"];
const INITIATORS: &[&str] = &["professional", "resident", "other"];

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

fn day_ms(day: NaiveDate) -> i64 {
    millis(day.and_time(chrono::NaiveTime::MIN).and_utc())
}

fn plus_days(day: NaiveDate, n: u64) -> NaiveDate {
    day.checked_add_days(Days::new(n)).expect("date in range")
}

fn minus_days(day: NaiveDate, n: u64) -> NaiveDate {
    day.checked_sub_days(Days::new(n)).expect("date in range")
}

/// A random day in `from..=to`.
fn day_between(rng: &mut ChaCha8Rng, from: NaiveDate, to: NaiveDate) -> NaiveDate {
    let span = u64::try_from((to - from).num_days()).unwrap_or(0);
    plus_days(from, rng.random_range(0..=span))
}

fn v<T: Into<Value>>(x: T) -> Value {
    x.into()
}

fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

/// Inserts `rows` into `E`'s table in multi-row statements, as many rows per
/// statement as SQLite's 32,766 bound parameters allow.
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

/// Runs `f`'s inserts inside one write transaction with a large page cache
/// (a bulk-load setting; the fill's store is closed before measuring).
async fn in_write_tx<E, F>(store: &Store, columns: &[E::Column], rows: F) -> Result<()>
where
    E: EntityTrait + Default,
    F: FnOnce() -> Vec<Vec<Value>>,
{
    let tx = store.begin_write().await?;
    tx.execute_unprepared("PRAGMA cache_size = -524288").await?; // 512 MiB
    insert_rows::<E, _>(&*tx, columns, rows()).await?;
    tx.commit().await?;
    Ok(())
}

/// A resident's running indication, as generated.
#[derive(Clone, Copy)]
struct Running {
    indication_id: i64,
    resident_id: i64,
    professional: i64,
    product: Product,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Product {
    Waakvlam,
    Individual,
    Intensive,
}

struct Products {
    waakvlam: i64,
    individual: i64,
    intensive: i64,
}

impl Products {
    fn id(&self, p: Product) -> i64 {
        match p {
            Product::Waakvlam => self.waakvlam,
            Product::Individual => self.individual,
            Product::Intensive => self.intensive,
        }
    }
}

fn team_of(professional: i64) -> i64 {
    (professional - 1) / PROFESSIONALS_PER_TEAM as i64 + 1
}

fn provider_of_team(team: i64) -> i64 {
    (team - 1) / TEAMS_PER_PROVIDER as i64 + 1
}

/// Builds the data set in an empty, migrated database.
async fn fill(store: &Store, now: DateTime<Utc>) -> Result<()> {
    let today = now.date_naive();
    let now_ms = millis(now);
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    let municipalities: Vec<String> = municipality::Entity::find()
        .order_by_asc(municipality::Column::Code)
        .all(store.conn())
        .await?
        .into_iter()
        .map(|m| m.code)
        .collect();
    let product_id = |code: &str, list: &[product::Model]| {
        list.iter()
            .find(|p| p.code == code)
            .map(|p| p.id)
            .context("default catalogue product")
    };
    let product_rows = product::Entity::find().all(store.conn()).await?;
    let products = Products {
        waakvlam: product_id("WVL", &product_rows)?,
        individual: product_id("BT", &product_rows)?,
        intensive: product_id("BTS", &product_rows)?,
    };
    let created = day_ms(date(2019, 1, 1));

    // Providers, their teams and professionals.
    let t = Instant::now();
    let teams = PROVIDERS * TEAMS_PER_PROVIDER;
    in_write_tx::<provider::Entity, _>(
        store,
        &[
            provider::Column::Id,
            provider::Column::AgbCode,
            provider::Column::Name,
            provider::Column::CreatedAt,
        ],
        || {
            (1..=PROVIDERS as i64)
                .map(|p| {
                    vec![
                        v(p),
                        v(format!("{:08}", 73_000_000 + p)),
                        v(format!("Zorgaanbieder {p}")),
                        v(created),
                    ]
                })
                .collect()
        },
    )
    .await?;
    in_write_tx::<team::Entity, _>(
        store,
        &[
            team::Column::Id,
            team::Column::Name,
            team::Column::Kind,
            team::Column::MunicipalityCode,
            team::Column::ProviderId,
        ],
        || {
            (1..=teams as i64)
                .map(|t| {
                    vec![
                        v(t),
                        v(format!("Wijkteam {t}")),
                        v("provider_team"),
                        v(None::<String>),
                        v(provider_of_team(t)),
                    ]
                })
                .collect()
        },
    )
    .await?;
    in_write_tx::<account::Entity, _>(
        store,
        &[
            account::Column::Id,
            account::Column::Email,
            account::Column::DisplayName,
            account::Column::Role,
            account::Column::PasswordHash,
            account::Column::ProviderId,
            account::Column::TeamId,
            account::Column::Phone,
            account::Column::Active,
            account::Column::CreatedAt,
        ],
        || {
            (1..=PROFESSIONALS as i64)
                .map(|a| {
                    let team = team_of(a);
                    vec![
                        v(a),
                        v(format!("professional{a}@bench.invalid")),
                        v(format!("Professional {a}")),
                        v("professional"),
                        // Not a valid hash: nobody logs in to the bench database.
                        v("!bench"),
                        v(provider_of_team(team)),
                        v(team),
                        v(format!("06{:08}", a)),
                        v(true),
                        v(created),
                    ]
                })
                .collect()
        },
    )
    .await?;

    // Residents.
    let mut bsn_candidate = 100_000_000u64;
    let mut resident_rows = Vec::with_capacity(RESIDENTS);
    for id in 1..=RESIDENTS as i64 {
        let bsn = loop {
            bsn_candidate += 1;
            if let Ok(b) = Bsn::parse(&bsn_candidate.to_string()) {
                break b.into_string();
            }
        };
        let (family, prefix) = *pick(&mut rng, FAMILY_NAMES);
        let given = *pick(&mut rng, GIVEN_NAMES);
        resident_rows.push(vec![
            v(id),
            v(bsn),
            v(day_between(&mut rng, date(1935, 1, 1), date(2006, 12, 31))),
            v(family),
            v(prefix.map(str::to_owned)),
            v(given),
            v(given.get(..1).map(|i| format!("{i}."))),
            v(rng.random_bool(0.8).then(|| format!("06{:08}", id))),
            v(rng
                .random_bool(0.5)
                .then(|| format!("inwoner{id}@voorbeeld.invalid"))),
            v(format!(
                "Dorpsstraat {}, {} AB",
                id % 300 + 1,
                1000 + id % 9000
            )),
            v(pick(&mut rng, &municipalities).clone()),
            v(created),
            v(created),
        ]);
    }
    in_write_tx::<resident::Entity, _>(
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
        || resident_rows,
    )
    .await?;
    // Residents live in random municipalities; the indication follows them.
    let resident_municipality: Vec<String> = resident::Entity::find()
        .select_only()
        .column(resident::Column::MunicipalityCode)
        .order_by_asc(resident::Column::Id)
        .into_tuple::<String>()
        .all(store.conn())
        .await?;

    // Caseloads: most professionals have exactly 60 running indications, the
    // rest 40–59; residents are dealt out in random order, so a caseload's
    // rows are spread over the tables as in real life.
    let loads: Vec<usize> = (0..PROFESSIONALS)
        .map(|k| {
            if k % 10 < 7 {
                CASELOAD
            } else {
                rng.random_range(40..CASELOAD)
            }
        })
        .collect();
    let mut order: Vec<i64> = (1..=RESIDENTS as i64).collect();
    order.shuffle(&mut rng);
    let mut assigned: Vec<(i64, i64)> = Vec::new(); // (resident, professional)
    let mut next = order.iter();
    for (k, load) in loads.iter().enumerate() {
        for r in next.by_ref().take(*load) {
            assigned.push((*r, k as i64 + 1));
        }
    }

    // Indications: every resident has an ended one (2019–2024); residents on
    // a caseload also have a running one that follows it (its successor).
    let indication_columns = [
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
        indication::Column::AgreedResult,
        indication::Column::EndReason,
        indication::Column::PredecessorId,
        indication::Column::ProfessionalAccountId,
        indication::Column::TeamId,
        indication::Column::ContactRhythmDays,
        indication::Column::CreatedAt,
        indication::Column::UpdatedAt,
    ];
    let random_product = |rng: &mut ChaCha8Rng| match rng.random_range(0..100) {
        0..40 => Product::Waakvlam,
        40..85 => Product::Individual,
        _ => Product::Intensive,
    };
    let mut ended_id_of = vec![0i64; RESIDENTS + 1];
    let mut rows = Vec::with_capacity(RESIDENTS);
    let mut history_order = order.clone();
    history_order.shuffle(&mut rng);
    for (n, r) in history_order.iter().enumerate() {
        let id = n as i64 + 1;
        ended_id_of[*r as usize] = id;
        let p = random_product(&mut rng);
        let start = day_between(&mut rng, date(2019, 1, 1), date(2023, 6, 30));
        let end = Ord::min(
            plus_days(start, rng.random_range(180..720)),
            date(2024, 2, 28),
        );
        let professional = rng
            .random_bool(0.85)
            .then(|| rng.random_range(1..=PROFESSIONALS as i64));
        let team = professional.map(team_of);
        let provider =
            team.map_or_else(|| rng.random_range(1..=PROVIDERS as i64), provider_of_team);
        rows.push(vec![
            v(id),
            v(*r),
            v(products.id(p)),
            v(resident_municipality[*r as usize - 1].clone()),
            v(provider),
            v(id.to_string()),
            v(minus_days(start, rng.random_range(0..30))),
            v(start),
            v(Some(end)),
            v((p != Product::Waakvlam).then(|| plus_days(start, 180))),
            v(Some(
                "Zelfstandig wonen met zo min mogelijk ondersteuning.".to_owned(),
            )),
            v(Some("37".to_owned())),
            v(None::<i64>),
            v(professional),
            v(team),
            v(None::<i32>),
            v(day_ms(start)),
            v(day_ms(end)),
        ]);
    }
    let mut running = Vec::with_capacity(assigned.len());
    let mut running_rows = Vec::with_capacity(assigned.len());
    for (n, (r, professional)) in assigned.iter().enumerate() {
        let id = (RESIDENTS + n) as i64 + 1;
        let p = random_product(&mut rng);
        let start = day_between(&mut rng, date(2024, 3, 1), minus_days(today, 1));
        let end = rng
            .random_bool(0.85)
            .then(|| plus_days(today, rng.random_range(0..500)));
        let scale_down =
            (p != Product::Waakvlam).then(|| plus_days(start, rng.random_range(120..365)));
        let rhythm = rng.random_bool(0.3).then(|| match p {
            Product::Waakvlam => *pick(&mut rng, &[28, 42]),
            _ => *pick(&mut rng, &[7, 14]),
        });
        let team = team_of(*professional);
        running.push(Running {
            indication_id: id,
            resident_id: *r,
            professional: *professional,
            product: p,
        });
        running_rows.push(vec![
            v(id),
            v(*r),
            v(products.id(p)),
            v(resident_municipality[*r as usize - 1].clone()),
            v(provider_of_team(team)),
            v(id.to_string()),
            v(minus_days(start, rng.random_range(0..30))),
            v(start),
            v(end),
            v(scale_down),
            v(Some(
                "Zelfstandig wonen met zo min mogelijk ondersteuning.".to_owned(),
            )),
            v(None::<String>),
            v(Some(ended_id_of[*r as usize])),
            v(Some(*professional)),
            v(Some(team)),
            v(rhythm),
            v(day_ms(start)),
            v(day_ms(start)),
        ]);
    }
    rows.extend(running_rows);
    in_write_tx::<indication::Entity, _>(store, &indication_columns, || rows).await?;
    println!(
        "  organisations, {PROFESSIONALS} professionals, {RESIDENTS} residents, {} indications: {:.1} s",
        RESIDENTS + running.len(),
        t.elapsed().as_secs_f64()
    );

    // Contacts: 5 M, 2019 up to now, in time order (as they are recorded),
    // each with a random resident and that resident's professional.
    let t = Instant::now();
    let mut professional_of = vec![None::<i64>; RESIDENTS + 1];
    for run in &running {
        professional_of[run.resident_id as usize] = Some(run.professional);
    }
    let from = day_ms(date(2019, 1, 1));
    let step = (now_ms - from) / CONTACTS as i64;
    let contact_columns = [
        contact::Column::Id,
        contact::Column::ResidentId,
        contact::Column::ProfessionalAccountId,
        contact::Column::OccurredAt,
        contact::Column::Channel,
        contact::Column::Initiator,
        contact::Column::DurationMinutes,
        contact::Column::Wellbeing,
        contact::Column::Note,
        contact::Column::CreatedAt,
    ];
    let mut done = 0usize;
    while done < CONTACTS {
        let batch = ROWS_PER_TX.min(CONTACTS - done);
        let mut rows = Vec::with_capacity(batch);
        for i in done..done + batch {
            let r = rng.random_range(1..=RESIDENTS as i64);
            let at = from + i as i64 * step + rng.random_range(0..step);
            rows.push(vec![
                v(i as i64 + 1),
                v(r),
                v(professional_of[r as usize]),
                v(at),
                v(*pick(&mut rng, CHANNELS)),
                v(*pick(&mut rng, INITIATORS)),
                v(Some(rng.random_range(5..90i32))),
                v(rng.random_bool(0.5).then(|| rng.random_range(1..=5i16))),
                v(rng
                    .random_bool(0.3)
                    .then(|| (*pick(&mut rng, CONTACT_NOTES)).to_owned())),
                v(at + 3_600_000),
            ]);
        }
        in_write_tx::<contact::Entity, _>(store, &contact_columns, || rows).await?;
        done += batch;
        if done.is_multiple_of(1_000_000) {
            println!(
                "  contacts: {done} ({:.0} rows/s)",
                done as f64 / t.elapsed().as_secs_f64()
            );
        }
    }
    println!("  {CONTACTS} contacts: {:.1} s", t.elapsed().as_secs_f64());

    // Check-ins: about monthly, by residents on a waakvlam, since 2024.
    let t = Instant::now();
    let waakvlam: Vec<i64> = running
        .iter()
        .filter(|r| r.product == Product::Waakvlam)
        .map(|r| r.resident_id)
        .collect();
    let from = day_ms(date(2024, 1, 1));
    let step = (now_ms - from) / CHECK_INS as i64;
    let mut done = 0usize;
    while done < CHECK_INS {
        let batch = ROWS_PER_TX.min(CHECK_INS - done);
        let mut rows = Vec::with_capacity(batch);
        for i in done..done + batch {
            rows.push(vec![
                v(i as i64 + 1),
                v(*pick(&mut rng, &waakvlam)),
                v(from + i as i64 * step + rng.random_range(0..step)),
                v(rng.random_range(1..=5i16)),
                v(rng
                    .random_bool(0.1)
                    .then(|| "Het gaat wel, wat moe.".to_owned())),
            ]);
        }
        in_write_tx::<check_in::Entity, _>(
            store,
            &[
                check_in::Column::Id,
                check_in::Column::ResidentId,
                check_in::Column::SubmittedAt,
                check_in::Column::Wellbeing,
                check_in::Column::Note,
            ],
            || rows,
        )
        .await?;
        done += batch;
    }

    // Bells: resolved ones since 2021, and open ones from the last month.
    let mut bells: Vec<(i64, bool)> = Vec::with_capacity(CLOSED_BELLS + OPEN_BELLS);
    let closed_from = day_ms(date(2021, 1, 1));
    let open_from = now_ms - 30 * 86_400_000;
    for _ in 0..CLOSED_BELLS {
        bells.push((rng.random_range(closed_from..open_from), false));
    }
    for _ in 0..OPEN_BELLS {
        bells.push((rng.random_range(open_from..now_ms), true));
    }
    bells.sort_unstable();
    let mut bell_rows = Vec::with_capacity(bells.len());
    for (n, (rung, open)) in bells.into_iter().enumerate() {
        let run = *pick(&mut rng, &running);
        let acknowledged = (!open || rng.random_bool(0.4)).then(|| rung + 3_600_000);
        let resolved = (!open).then(|| rung + 86_400_000);
        bell_rows.push(vec![
            v(n as i64 + 1),
            v(run.resident_id),
            v(rung),
            v(Some("Kunt u mij bellen?".to_owned())),
            v(acknowledged),
            v(acknowledged.map(|_| run.professional)),
            v(resolved),
            v(resolved.map(|_| run.professional)),
            v(resolved.map(|_| "Gebeld, opgelost.".to_owned())),
        ]);
    }
    in_write_tx::<bell::Entity, _>(
        store,
        &[
            bell::Column::Id,
            bell::Column::ResidentId,
            bell::Column::RungAt,
            bell::Column::Message,
            bell::Column::AcknowledgedAt,
            bell::Column::AcknowledgedBy,
            bell::Column::ResolvedAt,
            bell::Column::ResolvedBy,
            bell::Column::Resolution,
        ],
        || bell_rows,
    )
    .await?;

    // Scale requests: decided ones on ended indications, pending ones on
    // running individual or intensive support.
    let mut request_rows = Vec::new();
    let mut ended: Vec<i64> = (1..=RESIDENTS as i64).collect();
    ended.shuffle(&mut rng);
    for (n, ind) in ended.iter().take(DECIDED_SCALE_REQUESTS).enumerate() {
        let r = history_order[*ind as usize - 1];
        let at = rng.random_range(day_ms(date(2019, 6, 1))..day_ms(date(2024, 1, 1)));
        request_rows.push(vec![
            v(n as i64 + 1),
            v(*ind),
            v(r),
            v("down"),
            v(Some(products.waakvlam)),
            v(date(2024, 3, 1)),
            v("Doelen grotendeels bereikt."),
            v("normal"),
            v(if rng.random_bool(0.8) {
                "approved"
            } else {
                "rejected"
            }),
            v(Some(rng.random_range(1..=PROFESSIONALS as i64))),
            v(at),
            v(None::<i64>),
            v(Some(at + 7 * 86_400_000)),
            v(None::<String>),
            v(None::<i64>),
        ]);
    }
    let mut supported: Vec<Running> = running
        .iter()
        .filter(|r| r.product != Product::Waakvlam)
        .copied()
        .collect();
    supported.shuffle(&mut rng);
    for (n, run) in supported.iter().take(PENDING_SCALE_REQUESTS).enumerate() {
        request_rows.push(vec![
            v((DECIDED_SCALE_REQUESTS + n) as i64 + 1),
            v(run.indication_id),
            v(run.resident_id),
            v("down"),
            v(Some(products.waakvlam)),
            v(plus_days(today, 30)),
            v("Afschaalmoment bereikt."),
            v("normal"),
            v(RequestStatus::Pending.as_str()),
            v(Some(run.professional)),
            v(rng.random_range(open_from..now_ms)),
            v(None::<i64>),
            v(None::<i64>),
            v(None::<String>),
            v(None::<i64>),
        ]);
    }
    in_write_tx::<scale_request::Entity, _>(
        store,
        &[
            scale_request::Column::Id,
            scale_request::Column::IndicationId,
            scale_request::Column::ResidentId,
            scale_request::Column::Direction,
            scale_request::Column::RequestedProductId,
            scale_request::Column::RequestedStart,
            scale_request::Column::Reason,
            scale_request::Column::Urgency,
            scale_request::Column::Status,
            scale_request::Column::RequestedBy,
            scale_request::Column::RequestedAt,
            scale_request::Column::DecidedBy,
            scale_request::Column::DecidedAt,
            scale_request::Column::DecisionNote,
            scale_request::Column::SuccessorIndicationId,
        ],
        || request_rows,
    )
    .await?;

    // Signal thresholds set by some municipalities and teams.
    let mut settings_rows = Vec::new();
    for (n, code) in municipalities
        .iter()
        .step_by(municipalities.len() / MUNICIPALITY_SETTINGS)
        .take(MUNICIPALITY_SETTINGS)
        .enumerate()
    {
        settings_rows.push(vec![
            v(n as i64 + 1),
            v(Some(code.clone())),
            v(None::<i64>),
            v(r#"{"waakvlam_rhythm_days":21,"indication_ending_days":90}"#),
            v(None::<i64>),
            v(now_ms),
        ]);
    }
    for n in 0..TEAM_SETTINGS {
        let team = (n * teams / TEAM_SETTINGS) as i64 + 1;
        settings_rows.push(vec![
            v((MUNICIPALITY_SETTINGS + n) as i64 + 1),
            v(None::<String>),
            v(Some(team)),
            v(r#"{"individual_rhythm_days":14,"contact_grace_days":5}"#),
            v(None::<i64>),
            v(now_ms),
        ]);
    }
    in_write_tx::<signal_settings::Entity, _>(
        store,
        &[
            signal_settings::Column::Id,
            signal_settings::Column::MunicipalityCode,
            signal_settings::Column::TeamId,
            signal_settings::Column::Overrides,
            signal_settings::Column::UpdatedBy,
            signal_settings::Column::UpdatedAt,
        ],
        || settings_rows,
    )
    .await?;
    println!(
        "  {CHECK_INS} check-ins, {} bells, {} scale requests: {:.1} s",
        CLOSED_BELLS + OPEN_BELLS,
        DECIDED_SCALE_REQUESTS + PENDING_SCALE_REQUESTS,
        t.elapsed().as_secs_f64()
    );
    Ok(())
}

// --- Reusing the file ----------------------------------------------------------

/// The schema as SQLite has it (tables, indexes, statistics tables) and the
/// applied migrations: a bench file is reused only when both match.
async fn schema(store: &Store) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for sql in [
        "SELECT type || ' ' || name || ' ' || COALESCE(sql, '') FROM sqlite_master ORDER BY type, name",
        "SELECT 'migration ' || version FROM seaql_migrations ORDER BY version",
    ] {
        for row in store
            .conn()
            .query_all_raw(Statement::from_string(DbBackend::Sqlite, sql))
            .await?
        {
            out.push(row.try_get_by_index::<String>(0)?);
        }
    }
    Ok(out)
}

async fn scalar(store: &Store, sql: &str) -> Result<i64> {
    let row = store
        .conn()
        .query_one_raw(Statement::from_string(DbBackend::Sqlite, sql))
        .await?
        .context("a row")?;
    Ok(row.try_get_by_index::<i64>(0)?)
}

/// Why an existing file cannot be reused, or `None` when it can.
async fn stale_reason(path: &Path, expected_schema: &[String]) -> Result<Option<String>> {
    let clock: Arc<dyn Clock> = Arc::new(FixedClock::new(test_epoch()));
    let store = Store::connect(&sqlite_url(path), clock).await?;
    let reason = async {
        if schema(&store).await.ok().as_deref() != Some(expected_schema) {
            return Ok::<_, anyhow::Error>(Some("its schema or migrations differ".to_owned()));
        }
        let version = scalar(&store, "PRAGMA user_version").await?;
        if version != DATA_VERSION {
            return Ok(Some(format!(
                "it holds data version {version}, not {DATA_VERSION}"
            )));
        }
        for (table, want) in [
            ("resident", RESIDENTS),
            ("account", PROFESSIONALS),
            ("contact", CONTACTS),
            ("check_in", CHECK_INS),
            ("bell", CLOSED_BELLS + OPEN_BELLS),
            (
                "scale_request",
                DECIDED_SCALE_REQUESTS + PENDING_SCALE_REQUESTS,
            ),
            ("signal_settings", MUNICIPALITY_SETTINGS + TEAM_SETTINGS),
        ] {
            let have = scalar(&store, &format!("SELECT COUNT(*) FROM {table}")).await?;
            if have != want as i64 {
                return Ok(Some(format!("{table} has {have} rows, not {want}")));
            }
        }
        Ok(None)
    }
    .await;
    store.close().await?;
    reason
}

fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}

/// `target/bench-data/caseload.db` next to the build, unless overridden.
fn database_path() -> PathBuf {
    if let Some(p) = std::env::var_os("WAAKVLAM_BENCH_DB").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    // The bench runs as target/<profile>/deps/caseload-<hash>.
    let target = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.ancestors().nth(3).map(Path::to_path_buf))
        .filter(|t| t.join("CACHEDIR.TAG").exists())
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    target.join("bench-data").join("caseload.db")
}

fn remove_database(path: &Path) -> Result<()> {
    for suffix in ["", "-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        match std::fs::remove_file(&p) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e).with_context(|| format!("removing {}", path.display())),
        }
    }
    Ok(())
}

async fn prepare_database(path: &Path) -> Result<()> {
    // The schema this build's migrations make, from a scratch database.
    let scratch = tempfile::tempdir()?;
    let clock: Arc<dyn Clock> = Arc::new(FixedClock::new(test_epoch()));
    let fresh = Store::open(&sqlite_url(&scratch.path().join("m.db")), clock.clone()).await?;
    let expected = schema(&fresh).await?;
    fresh.close().await?;

    if path.exists() {
        match stale_reason(path, &expected).await? {
            None => {
                println!("reusing {}", path.display());
                return Ok(());
            }
            Some(reason) => {
                println!("rebuilding {}: {reason}", path.display());
                remove_database(path)?;
            }
        }
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    println!("building {} (one-off) ...", path.display());
    let started = Instant::now();
    let store = Store::open(&sqlite_url(path), clock).await?;
    fill(&store, test_epoch()).await?;
    store
        .conn()
        .execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
        .await?;
    store
        .conn()
        .execute_unprepared(&format!("PRAGMA user_version = {DATA_VERSION}"))
        .await?;
    store.close().await?;
    println!("fill took {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}

// --- Measuring -----------------------------------------------------------------

struct Stats {
    min: f64,
    p50: f64,
    p90: f64,
    p99: f64,
    max: f64,
    mean: f64,
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1_000.0
}

fn stats(samples: &[Duration]) -> Stats {
    let mut s: Vec<f64> = samples.iter().copied().map(ms).collect();
    s.sort_by(f64::total_cmp);
    // Nearest-rank percentile.
    let at = |p: f64| {
        let rank = ((p / 100.0) * s.len() as f64).ceil() as usize;
        s[rank.clamp(1, s.len()) - 1]
    };
    Stats {
        min: s[0],
        p50: at(50.0),
        p90: at(90.0),
        p99: at(99.0),
        max: s[s.len() - 1],
        mean: s.iter().sum::<f64>() / s.len() as f64,
    }
}

fn print_stats(label: &str, s: &Stats) {
    println!(
        "{label:<36} min {:>6.3}  p50 {:>6.3}  p90 {:>6.3}  p99 {:>6.3}  max {:>7.3}  mean {:>6.3}",
        s.min, s.p50, s.p90, s.p99, s.max, s.mean
    );
}

/// User and system CPU time of this process so far, in seconds, from
/// `/proc/self/stat` (Linux; clock ticks of 1/100 s, `CLK_TCK` on Linux).
fn process_cpu_seconds() -> Option<(f64, f64)> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime / 100.0, stime / 100.0))
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| {
            let f: Vec<&str> = l.split_whitespace().take(3).collect();
            (f.len() == 3).then(|| f.join(" "))
        })
        .unwrap_or_else(|| "unknown".to_owned())
}

/// The same condition as `caseload::running_on` (private there).
fn running_on(day: NaiveDate) -> Condition {
    Condition::all()
        .add(indication::Column::StartDate.lte(day))
        .add(
            Condition::any()
                .add(indication::Column::EndDate.is_null())
                .add(indication::Column::EndDate.gte(day)),
        )
}

/// Actors of professionals with exactly 60 running indications on `today`,
/// spread over the account ids.
async fn pick_actors(store: &Store, today: NaiveDate) -> Result<Vec<Actor>> {
    let counts: Vec<(i64, i64)> = indication::Entity::find()
        .select_only()
        .column(indication::Column::ProfessionalAccountId)
        .column_as(indication::Column::Id.count(), "n")
        .filter(running_on(today))
        .filter(indication::Column::ProfessionalAccountId.is_not_null())
        .group_by(indication::Column::ProfessionalAccountId)
        .order_by_asc(indication::Column::ProfessionalAccountId)
        .into_tuple()
        .all(store.conn())
        .await?;
    let candidates: Vec<i64> = counts
        .into_iter()
        .filter(|(_, n)| *n == CASELOAD as i64)
        .map(|(id, _)| id)
        .collect();
    if candidates.len() < PROFESSIONALS_MEASURED {
        bail!(
            "only {} professionals have exactly {CASELOAD} running indications",
            candidates.len()
        );
    }
    let stride = candidates.len() / PROFESSIONALS_MEASURED;
    let mut actors = Vec::with_capacity(PROFESSIONALS_MEASURED);
    for id in candidates
        .iter()
        .step_by(stride)
        .take(PROFESSIONALS_MEASURED)
    {
        let system = waakvlam_store::Actor::system("bench");
        let account = store
            .read(&system, async |cx| {
                accounts::by_id(cx, waakvlam_store::AccountId::new(*id)).await
            })
            .await?
            .context("professional account")?;
        actors.push(
            store
                .read(&system, async |cx| account.actor(cx, None).await)
                .await?,
        );
    }
    Ok(actors)
}

struct Measured {
    /// CPU time (user + system, all threads of this process) per call: what
    /// a call costs without waiting for a CPU that others are using.
    cpu_ms_per_call: Option<(f64, f64)>,
    total: Stats,
    facts: Stats,
    settings: Stats,
    rank: Stats,
    /// Residents with at least one signal, per caseload.
    needing_attention: f64,
}

/// Warms up, then times building the caseload `iterations` times, cycling
/// over the actors: `caseload::facts`, `signals::load` (the thresholds per
/// municipality and team, as the start page loads them) and `caseload::rank`.
async fn measure(
    store: &Store,
    actors: &[Actor],
    now: DateTime<Utc>,
    iterations: usize,
) -> Result<Measured> {
    let today = now.date_naive();
    // Warm up: page cache, prepared-statement caches, the pool.
    for i in 0..WARM_UP_CALLS {
        let actor = &actors[i % actors.len()];
        let facts = store
            .read(actor, async |cx| {
                caseload::facts(cx, Scope::Mine, today).await
            })
            .await?;
        if facts.len() != CASELOAD {
            bail!(
                "professional {:?} got {} residents, expected {CASELOAD}",
                actor.account_id,
                facts.len()
            );
        }
        let settings = store
            .read(actor, async |cx| signals::load(cx).await)
            .await?;
        black_box(caseload::rank(facts, today, now, &settings));
    }
    let mut total = Vec::with_capacity(iterations);
    let mut query = Vec::with_capacity(iterations);
    let mut loading = Vec::with_capacity(iterations);
    let mut ranking = Vec::with_capacity(iterations);
    let mut signalled = 0usize;
    let cpu_before = process_cpu_seconds();
    for i in 0..iterations {
        let actor = &actors[i % actors.len()];
        let t0 = Instant::now();
        let facts = store
            .read(actor, async |cx| {
                caseload::facts(cx, Scope::Mine, today).await
            })
            .await?;
        let t1 = Instant::now();
        let settings = store
            .read(actor, async |cx| signals::load(cx).await)
            .await?;
        let t2 = Instant::now();
        let ranked = caseload::rank(facts, today, now, &settings);
        let t3 = Instant::now();
        signalled += ranked.iter().filter(|r| !r.attention.is_quiet()).count();
        black_box(ranked);
        total.push(t3 - t0);
        query.push(t1 - t0);
        loading.push(t2 - t1);
        ranking.push(t3 - t2);
    }
    let cpu_ms_per_call = process_cpu_seconds()
        .zip(cpu_before)
        .map(|(after, before)| {
            let per_call = |a: f64, b: f64| (a - b) * 1_000.0 / iterations as f64;
            (per_call(after.0, before.0), per_call(after.1, before.1))
        });
    Ok(Measured {
        cpu_ms_per_call,
        total: stats(&total),
        facts: stats(&query),
        settings: stats(&loading),
        rank: stats(&ranking),
        needing_attention: signalled as f64 / iterations as f64,
    })
}

fn verdict(p99: f64) -> &'static str {
    if p99 < TARGET_P99_MS { "PASS" } else { "MISS" }
}

async fn explain(store: &Store, stmt: Statement) -> Result<Vec<String>> {
    let rows = store
        .conn()
        .query_all_raw(Statement {
            sql: format!("EXPLAIN QUERY PLAN {}", stmt.sql),
            ..stmt
        })
        .await?;
    rows.iter()
        .map(|r| r.try_get::<String>("", "detail").map_err(Into::into))
        .collect()
}

/// Times one statement on its own, outside a transaction, and shows
/// SQLite's plan for it.
async fn time_query(store: &Store, label: &str, stmt: Statement) -> Result<Stats> {
    let mut samples = Vec::with_capacity(BREAKDOWN_CALLS);
    let mut rows = 0;
    for _ in 0..BREAKDOWN_CALLS {
        let t = Instant::now();
        rows = store.conn().query_all_raw(stmt.clone()).await?.len();
        samples.push(t.elapsed());
    }
    let s = stats(&samples);
    print_stats(&format!("{label} ({rows} rows)"), &s);
    for line in explain(store, stmt).await? {
        println!("{:<38}plan: {line}", "");
    }
    Ok(s)
}

/// The resident ids on `actor`'s caseload.
async fn caseload_ids(store: &Store, actor: &Actor, today: NaiveDate) -> Result<Vec<i64>> {
    Ok(store
        .read(actor, async |cx| {
            caseload::facts(cx, Scope::Mine, today).await
        })
        .await?
        .iter()
        .map(|f| f.entry.resident_id.get())
        .collect())
}

/// The statements `caseload::facts` runs, built as it builds them, timed
/// one by one.
async fn breakdown(store: &Store, actor: &Actor, today: NaiveDate) -> Result<()> {
    let ids = caseload_ids(store, actor, today).await?;
    let sqlite = DbBackend::Sqlite;
    let since = millis(store.now()) - 400 * 24 * 3600 * 1000;
    let mut total = 0.0;
    let queries = [
        (
            "caseload (indications, residents, tenant checks, last contact, pending request)",
            sqlite.build(&caseload::caseload_statement(actor, Scope::Mine, today)),
        ),
        (
            "products",
            product::Entity::find()
                .order_by_asc(product::Column::Code)
                .build(sqlite),
        ),
        (
            "check-ins",
            check_in::Entity::find()
                .select_only()
                .columns([
                    check_in::Column::ResidentId,
                    check_in::Column::SubmittedAt,
                    check_in::Column::Wellbeing,
                ])
                .filter(check_in::Column::ResidentId.is_in(ids.iter().copied()))
                .filter(check_in::Column::SubmittedAt.gte(since))
                .order_by_asc(check_in::Column::ResidentId)
                .order_by_asc(check_in::Column::SubmittedAt)
                .build(sqlite),
        ),
        (
            "open bells",
            bell::Entity::find()
                .select_only()
                .columns([
                    bell::Column::ResidentId,
                    bell::Column::RungAt,
                    bell::Column::AcknowledgedAt,
                ])
                .filter(bell::Column::ResidentId.is_in(ids.iter().copied()))
                .filter(bell::Column::ResolvedAt.is_null())
                .build(sqlite),
        ),
        (
            "signals::load (settings)",
            signal_settings::Entity::find().build(sqlite),
        ),
    ];
    for (label, stmt) in queries {
        total += time_query(store, label, stmt).await?.p50;
    }
    // The access-log entry: a write transaction, one insert, commit.
    let objects = format!(
        "caseload:resident:{}",
        ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
    );
    let mut samples = Vec::with_capacity(BREAKDOWN_CALLS);
    for _ in 0..BREAKDOWN_CALLS {
        let t = Instant::now();
        let tx = store.begin_read().await?;
        access::append(
            &*tx,
            actor,
            store.now(),
            &AccessEvent::new(AccessAction::Search, None, &objects),
            AccessOutcome::Success,
        )
        .await?;
        tx.commit().await?;
        samples.push(t.elapsed());
    }
    let s = stats(&samples);
    print_stats("access-log entry (tx+insert+commit)", &s);
    total += s.p50;
    let mut samples = Vec::with_capacity(BREAKDOWN_CALLS);
    for _ in 0..BREAKDOWN_CALLS {
        let t = Instant::now();
        let tx = store.begin_read().await?;
        tx.commit().await?;
        samples.push(t.elapsed());
    }
    print_stats("empty transaction (begin+commit)", &stats(&samples));
    println!("sum of the p50s of the statements and the log entry: {total:.3} ms");
    Ok(())
}

async fn open_store(path: &Path) -> Result<(Store, DateTime<Utc>)> {
    let clock = Arc::new(FixedClock::new(test_epoch()));
    let now = clock.now();
    let store = Store::open(&sqlite_url(path), clock as Arc<dyn Clock>).await?;
    Ok((store, now))
}

/// Runs `pragma` on every connection of the pool: opens all it may have
/// (holding them at once), so later transactions get one of these.
async fn on_every_connection(store: &Store, pragma: &'static str) -> Result<()> {
    let pool = store.conn().get_sqlite_connection_pool();
    let mut held = Vec::new();
    for _ in 0..pool.options().get_max_connections() {
        held.push(pool.acquire().await?);
    }
    for conn in &mut held {
        sea_orm::sqlx::query(pragma).execute(&mut **conn).await?;
    }
    drop(held);
    Ok(())
}

/// The value of a PRAGMA as a write transaction (like `caseload::facts`'s)
/// sees it.
async fn pragma_in_transaction(store: &Store, pragma: &str) -> Result<String> {
    let tx = store.begin_read().await?;
    let row = tx
        .query_one_raw(Statement::from_string(
            DbBackend::Sqlite,
            format!("PRAGMA {pragma}"),
        ))
        .await?
        .context("a PRAGMA value")?;
    Ok(row.try_get_by_index::<i64>(0)?.to_string())
}

/// One what-if: per-connection settings, measured against the shipped ones.
struct Experiment {
    label: &'static str,
    pragmas: &'static [&'static str],
}

const EXPERIMENTS: &[Experiment] = &[
    Experiment {
        label: "X0 shipped settings (baseline, measured again)",
        pragmas: &[],
    },
    Experiment {
        label: "X1 PRAGMA synchronous = NORMAL (no fsync per commit)",
        pragmas: &["PRAGMA synchronous = NORMAL"],
    },
    Experiment {
        label: "X2 PRAGMA cache_size = 64 MiB per connection (default 2 MiB)",
        pragmas: &["PRAGMA cache_size = -65536"],
    },
    Experiment {
        label: "X3 PRAGMA mmap_size = 1 GiB per connection (reads without pread)",
        pragmas: &["PRAGMA mmap_size = 1073741824"],
    },
];

/// What-ifs, off by default (`WAAKVLAM_BENCH_EXPERIMENTS=1`): each changes
/// the connections' settings for its own measurement only. None of this is
/// the shipped configuration.
async fn experiments(path: &Path, iterations: usize) -> Result<()> {
    println!();
    println!("EXPERIMENTS (not the shipped settings), {iterations} calls each, ms:");
    for x in EXPERIMENTS {
        let (store, now) = open_store(path).await?;
        let today = now.date_naive();
        let actors = pick_actors(&store, today).await?;
        for pragma in x.pragmas {
            on_every_connection(&store, pragma).await?;
        }
        println!("{}:", x.label);
        if !x.pragmas.is_empty() {
            println!(
                "  checked in a transaction: synchronous = {}, cache_size = {}, mmap_size = {}",
                pragma_in_transaction(&store, "synchronous").await?,
                pragma_in_transaction(&store, "cache_size").await?,
                pragma_in_transaction(&store, "mmap_size").await?
            );
        }
        let m = measure(&store, &actors, now, iterations).await?;
        print_stats("  facts + settings + rank", &m.total);
        if let Some((user, system)) = m.cpu_ms_per_call {
            println!(
                "  CPU time per call: {:.3} ms ({user:.3} user, {system:.3} system)",
                user + system
            );
        }
        store.close().await?;
    }
    Ok(())
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<()> {
    let path = database_path();
    prepare_database(&path).await?;
    let iterations = std::env::var("WAAKVLAM_BENCH_ITERATIONS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(DEFAULT_ITERATIONS)
        .max(1);

    let (store, now) = open_store(&path).await?;
    let today = now.date_naive();
    let size = std::fs::metadata(&path)?.len();
    let version = store
        .conn()
        .query_one_raw(Statement::from_string(
            DbBackend::Sqlite,
            "SELECT sqlite_version()",
        ))
        .await?
        .context("a row")?
        .try_get_by_index::<String>(0)?;
    println!(
        "database: {} ({:.0} MiB), SQLite {version}",
        path.display(),
        size as f64 / (1024.0 * 1024.0)
    );
    println!(
        "rows: {} residents, {} indications, {} contacts, {} check-ins, {} bells ({} open), \
         {} scale requests ({} pending), {} professionals, {} signal settings, {} access-log entries",
        resident::Entity::find().count(store.conn()).await?,
        indication::Entity::find().count(store.conn()).await?,
        contact::Entity::find().count(store.conn()).await?,
        check_in::Entity::find().count(store.conn()).await?,
        bell::Entity::find().count(store.conn()).await?,
        bell::Entity::find()
            .filter(bell::Column::ResolvedAt.is_null())
            .count(store.conn())
            .await?,
        scale_request::Entity::find().count(store.conn()).await?,
        scale_request::Entity::find()
            .filter(scale_request::Column::Status.eq(RequestStatus::Pending.as_str()))
            .count(store.conn())
            .await?,
        account::Entity::find().count(store.conn()).await?,
        signal_settings::Entity::find().count(store.conn()).await?,
        access_log::Entity::find().count(store.conn()).await?,
    );
    let actors = pick_actors(&store, today).await?;

    let load_before = load_average();
    let m = measure(&store, &actors, now, iterations).await?;
    println!();
    println!(
        "caseload of {CASELOAD} residents (Scope::Mine), {iterations} calls over {} professionals, \
         times in ms; load average before {load_before}, after {}:",
        actors.len(),
        load_average()
    );
    print_stats("facts + settings + rank", &m.total);
    print_stats("  facts (queries + access log)", &m.facts);
    print_stats("  signals::load (thresholds)", &m.settings);
    print_stats("  rank (signal engine)", &m.rank);
    if let Some((user, system)) = m.cpu_ms_per_call {
        println!(
            "CPU time per call, all threads of the process: {:.3} ms ({user:.3} user, {system:.3} system)",
            user + system
        );
    }
    println!(
        "residents with a signal per caseload: {:.1} of {CASELOAD}",
        m.needing_attention
    );
    println!(
        "target p99 < {TARGET_P99_MS} ms: {} (p99 {:.3} ms)",
        verdict(m.total.p99),
        m.total.p99
    );

    println!();
    println!(
        "breakdown: each statement of caseload::facts on its own, {BREAKDOWN_CALLS} times (ms):"
    );
    breakdown(&store, &actors[0], today).await?;
    store.close().await?;

    if std::env::var_os("WAAKVLAM_BENCH_EXPERIMENTS").is_some_and(|v| v == "1") {
        experiments(&path, iterations).await?;
    }
    Ok(())
}
