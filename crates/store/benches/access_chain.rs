//! What the access log's hash chain costs per entry.
//!
//! Runs on SQLite (a scratch file) and, when `WAAKVLAM_TEST_POSTGRES_URL` is
//! set, on a scratch PostgreSQL database, and prints for each the time of one
//! logged write transaction (begin, entry, commit) two ways in the same run:
//! the entry inserted as before the chain (the baseline), and `access::append`
//! with the chain (lock and read the head, hash, insert, move the head). Then
//! it times `access::verify` over a chain of the same length.
//!
//! `cargo bench -p waakvlam-store --bench access_chain`

use std::time::{Duration, Instant};

use anyhow::Result;
use sea_orm::{ActiveModelTrait, ActiveValue::Set};
use waakvlam_domain::access::{AccessAction, AccessOutcome};
use waakvlam_store::access::{self, AccessEvent};
use waakvlam_store::entity::access_log;
use waakvlam_store::{Actor, Store};
use waakvlam_testkit::TestDb;

const WRITES: usize = 2_000;

fn p50(samples: &mut [Duration]) -> Duration {
    samples.sort_unstable();
    samples[samples.len() / 2]
}

async fn run(name: &str, store: &Store) -> Result<()> {
    let actor = Actor::system("bench");
    let objects = "resident:1:page:0";
    let mut plain = Vec::with_capacity(WRITES);
    let mut chained = Vec::with_capacity(WRITES);
    // Interleaved, so both see the same machine and the same table size.
    for i in 0..WRITES * 2 {
        let t = Instant::now();
        let tx = store.begin_write().await?;
        if i % 2 == 0 {
            access_log::ActiveModel {
                occurred_at: Set(0),
                action: Set("read".into()),
                outcome: Set("success".into()),
                actor_name: Set(Some("bench".into())),
                objects: Set(objects.into()),
                purpose: Set("care".into()),
                ..Default::default()
            }
            .insert(&*tx)
            .await?;
        } else {
            let event = AccessEvent::new(AccessAction::Read, Some(1), objects);
            access::append(&*tx, &actor, store.now(), &event, AccessOutcome::Success).await?;
        }
        tx.commit().await?;
        if i % 2 == 0 {
            plain.push(t.elapsed());
        } else {
            chained.push(t.elapsed());
        }
    }
    let (base, chain) = (p50(&mut plain), p50(&mut chained));
    println!(
        "{name}: logged write p50 {:.3} ms without the chain, {:.3} ms with it: {:+.3} ms per entry, ratio {:.2}",
        base.as_secs_f64() * 1e3,
        chain.as_secs_f64() * 1e3,
        (chain.as_secs_f64() - base.as_secs_f64()) * 1e3,
        chain.as_secs_f64() / base.as_secs_f64()
    );
    Ok(())
}

/// Time to recompute a chain of `WRITES` entries (on a store of its own: the
/// baseline's rows above are outside the chain).
async fn verify(name: &str, store: &Store) -> Result<()> {
    let actor = Actor::system("bench");
    for _ in 0..WRITES {
        let tx = store.begin_write().await?;
        let event = AccessEvent::new(AccessAction::Read, Some(1), "resident:1:page:0");
        access::append(&*tx, &actor, store.now(), &event, AccessOutcome::Success).await?;
        tx.commit().await?;
    }
    let t = Instant::now();
    let report = store
        .read(&actor, async |cx| access::verify(cx, None).await)
        .await?;
    let took = t.elapsed();
    anyhow::ensure!(report.problem.is_none(), "{:?}", report.problem);
    println!(
        "{name}: verify recomputed {} entries in {:.1} ms ({:.1} µs per entry)",
        report.entries,
        took.as_secs_f64() * 1e3,
        took.as_secs_f64() * 1e6 / report.entries.max(1) as f64
    );
    Ok(())
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> Result<()> {
    let sqlite = TestDb::sqlite().await?;
    run("SQLite", &sqlite.store).await?;
    sqlite.cleanup().await?;
    let sqlite = TestDb::sqlite().await?;
    verify("SQLite", &sqlite.store).await?;
    sqlite.cleanup().await?;
    if let Some(pg) = TestDb::postgres().await? {
        run("PostgreSQL", &pg.store).await?;
        pg.cleanup().await?;
    }
    if let Some(pg) = TestDb::postgres().await? {
        verify("PostgreSQL", &pg.store).await?;
        pg.cleanup().await?;
    }
    Ok(())
}
