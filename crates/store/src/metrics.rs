//! Figures for monitoring (`/metrics` on the server's separate metrics
//! address): a small latency histogram, the connection pool, and the outbox
//! backlog. Nothing here names a person.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::entity::{iwmo_message, notification};
use crate::{Backend, Cx, Store, StoreResult};

/// Upper bounds of the latency buckets, in seconds (Prometheus' usual
/// spread, from 1 ms to 10 s).
pub const LATENCY_BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

/// A latency histogram with [`LATENCY_BUCKETS`], updated lock-free.
#[derive(Debug, Default)]
pub struct Histogram {
    /// Observations per bucket (not cumulative); the last one is `+Inf`.
    buckets: [AtomicU64; LATENCY_BUCKETS.len() + 1],
    sum_micros: AtomicU64,
    count: AtomicU64,
}

impl Histogram {
    pub fn observe(&self, elapsed: Duration) {
        let seconds = elapsed.as_secs_f64();
        let i = LATENCY_BUCKETS
            .iter()
            .position(|bound| seconds <= *bound)
            .unwrap_or(LATENCY_BUCKETS.len());
        self.buckets[i].fetch_add(1, Ordering::Relaxed);
        let micros = u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX);
        self.sum_micros.fetch_add(micros, Ordering::Relaxed);
        self.count.fetch_add(1, Ordering::Relaxed);
    }

    pub fn count(&self) -> u64 {
        self.count.load(Ordering::Relaxed)
    }

    /// Appends the histogram in the Prometheus text format as `name`, with
    /// `labels` (`route="/x",status="200"`, or empty) on every sample. The
    /// `# TYPE` line is the caller's, once per metric name.
    pub fn render(&self, out: &mut String, name: &str, labels: &str) {
        let sep = if labels.is_empty() { "" } else { "," };
        let mut cumulative = 0;
        for (i, bound) in LATENCY_BUCKETS.iter().enumerate() {
            cumulative += self.buckets[i].load(Ordering::Relaxed);
            out.push_str(&format!(
                "{name}_bucket{{{labels}{sep}le=\"{bound}\"}} {cumulative}\n"
            ));
        }
        cumulative += self.buckets[LATENCY_BUCKETS.len()].load(Ordering::Relaxed);
        out.push_str(&format!(
            "{name}_bucket{{{labels}{sep}le=\"+Inf\"}} {cumulative}\n"
        ));
        let sum = self.sum_micros.load(Ordering::Relaxed) as f64 / 1_000_000.0;
        let braces = if labels.is_empty() {
            String::new()
        } else {
            format!("{{{labels}}}")
        };
        out.push_str(&format!("{name}_sum{braces} {sum}\n"));
        out.push_str(&format!("{name}_count{braces} {cumulative}\n"));
    }
}

/// The database connection pool right now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolStatus {
    /// Open connections, in use or idle.
    pub open: u32,
    /// Open connections nobody uses.
    pub idle: u32,
    /// The most the pool opens.
    pub max: u32,
}

impl PoolStatus {
    pub fn in_use(&self) -> u32 {
        self.open.saturating_sub(self.idle)
    }
}

impl Store {
    /// The connection pool's size and idle connections (from sqlx).
    pub fn pool_status(&self) -> PoolStatus {
        let conn = self.conn();
        let (open, idle, max) = match self.backend() {
            Backend::Sqlite => {
                let pool = conn.get_sqlite_connection_pool();
                (
                    pool.size(),
                    pool.num_idle(),
                    pool.options().get_max_connections(),
                )
            }
            Backend::Postgres => {
                let pool = conn.get_postgres_connection_pool();
                (
                    pool.size(),
                    pool.num_idle(),
                    pool.options().get_max_connections(),
                )
            }
        };
        PoolStatus {
            open,
            idle: u32::try_from(idle).unwrap_or(u32::MAX),
            max,
        }
    }
}

/// What waits to leave: the outboxes' backlog.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Backlog {
    /// Notifications waiting to be mailed (now or at their summary moment).
    pub notifications: u64,
    /// Outgoing iWmo messages waiting for `waakvlam iwmo export`.
    pub iwmo_messages: u64,
}

/// Counts the outboxes' backlog (counts only; nothing is logged, since no
/// personal data is read).
pub async fn backlog(cx: &Cx<'_>) -> StoreResult<Backlog> {
    let notifications = notification::Entity::find()
        .filter(notification::Column::State.eq(crate::notifications::state::PENDING))
        .count(cx.conn())
        .await?;
    let iwmo_messages = iwmo_message::Entity::find()
        // `iwmo::Direction::Out`, as stored.
        .filter(iwmo_message::Column::Direction.eq("out"))
        .filter(iwmo_message::Column::State.eq(crate::iwmo::MessageState::Pending.as_str()))
        .count(cx.conn())
        .await?;
    Ok(Backlog {
        notifications,
        iwmo_messages,
    })
}

/// Set this variable to profile statements: every statement any store of
/// the process runs is counted and timed by its shape (benches print
/// [`statement_profile`] to show where a step's time goes).
pub const STATEMENT_PROFILE: &str = "WAAKVLAM_STATEMENT_PROFILE";

type Profile = std::collections::BTreeMap<String, (u64, Duration)>;

static PROFILE: std::sync::Mutex<Profile> = std::sync::Mutex::new(Profile::new());

/// Counts one statement under its shape: its verb and table and, for a
/// query, what it filters on (parameters are placeholders already).
pub(crate) fn profile_statement(sql: &str, took: Duration) {
    let verb: String = sql.chars().take(48).collect();
    let filter: String = sql
        .find(" FROM ")
        .map(|i| sql[i..].chars().take(140).collect())
        .unwrap_or_default();
    let mut profile = PROFILE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let entry = profile
        .entry(format!("{verb} …{filter}"))
        .or_insert((0, Duration::ZERO));
    entry.0 += 1;
    entry.1 += took;
}

/// The statements counted since the last call (and forgets them): the
/// total, then `(count, time, shape)` by time spent, most first.
pub fn statement_profile() -> (u64, Vec<(u64, Duration, String)>) {
    let profile = std::mem::take(
        &mut *PROFILE
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner),
    );
    let total = profile.values().map(|(n, _)| n).sum();
    let mut shapes: Vec<(u64, Duration, String)> =
        profile.into_iter().map(|(k, (n, d))| (n, d, k)).collect();
    shapes.sort_by_key(|(_, d, _)| std::cmp::Reverse(*d));
    (total, shapes)
}
