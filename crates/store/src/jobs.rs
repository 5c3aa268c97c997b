//! Periodic jobs that several `waakvlam serve` processes on one PostgreSQL
//! database must not run twice: each run takes the job's advisory lock, and a
//! round that another process already ran is skipped.
//!
//! [`Store::exclusively`] is the one way a job runs, so none can forget the
//! lock. On PostgreSQL it takes the session-level advisory lock
//! `pg_try_advisory_lock(LOCK_SPACE, job)` on a connection of its own, held
//! for the run, unlocked after it and then closed (so a cancelled run never
//! leaves the lock behind either); a process that does not get it skips the
//! run. With a round, it
//! then reads when the job last ran (`periodic_job`, written after each
//! successful run under the same lock) and skips when that was less than half a
//! round ago, so two processes whose ticks are out of step still run the job
//! once per round between them. SQLite serves one process: the lock there is
//! this process's own, which keeps two runs in one process apart.
//! Migrations take `pg_advisory_lock(LOCK_SPACE, 0)` ([`Store::migrate`]).

use std::time::Duration;

use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ActiveValue::Set, EntityTrait};

use crate::entity::periodic_job;
use crate::{Backend, Store, StoreError, StoreResult, millis};

/// The first key of every advisory lock Waakvlam takes ("WAKV"); the second
/// is the job's ([`Job::key`]), 0 for migrations.
pub const LOCK_SPACE: i32 = 0x5741_4B56;

/// The second key of the migrations' advisory lock.
pub(crate) const MIGRATION_KEY: i32 = 0;

/// A job that must not run in two processes at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Job {
    /// Retention: expired sessions, spent throttle rows and activation codes,
    /// access-log entries past the retention (`retention::run`).
    Retention,
    /// Escalation of bells nobody picked up in time (`notifications::escalate_due`).
    Escalation,
}

impl Job {
    pub const ALL: [Job; 2] = [Job::Retention, Job::Escalation];

    /// The name in `periodic_job` and in logs.
    pub fn name(self) -> &'static str {
        match self {
            Job::Retention => "retention",
            Job::Escalation => "escalation",
        }
    }

    /// The second key of its advisory lock: stable, never reused.
    pub fn key(self) -> i32 {
        match self {
            Job::Retention => 1,
            Job::Escalation => 2,
        }
    }
}

/// Keeps a job marked as running in this process until dropped.
struct Running<'a> {
    store: &'a Store,
    job: Job,
}

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.store.running_jobs().remove(&self.job);
    }
}

fn lock_error(e: sea_orm::sqlx::Error) -> StoreError {
    StoreError::Internal(format!("advisory lock: {e}"))
}

impl Store {
    /// Runs `work` as `job` unless it runs elsewhere already: `None` when this
    /// process skipped it (another process, or another task here, holds the
    /// job's lock, or — with `round` — the job ran less than half a round ago).
    /// A successful run is recorded in `periodic_job` before the lock is let
    /// go; a failed one is not, so the next tick anywhere tries again.
    pub async fn exclusively<T>(
        &self,
        job: Job,
        round: Option<Duration>,
        work: impl AsyncFnOnce() -> StoreResult<T>,
    ) -> StoreResult<Option<T>> {
        // This process first: one run of a job at a time.
        if !self.running_jobs().insert(job) {
            return Ok(None);
        }
        let _running = Running { store: self, job };
        // Then the other processes on the same PostgreSQL database.
        let lock = match self.backend() {
            Backend::Postgres => {
                let mut conn = self
                    .conn()
                    .get_postgres_connection_pool()
                    .acquire()
                    .await
                    .map_err(lock_error)?;
                // Closed, not returned to the pool, however the run ends: a
                // run cancelled halfway cannot leave the lock behind.
                conn.close_on_drop();
                let got: bool = sea_orm::sqlx::query_scalar("SELECT pg_try_advisory_lock($1, $2)")
                    .bind(LOCK_SPACE)
                    .bind(job.key())
                    .fetch_one(&mut *conn)
                    .await
                    .map_err(lock_error)?;
                if !got {
                    return Ok(None);
                }
                Some(conn)
            }
            Backend::Sqlite => None,
        };
        let outcome = self.run_job(job, round, work).await;
        // Let go at once (closing the connection would too, but a moment
        // later, and the next process's try would miss it).
        if let Some(mut conn) = lock {
            sea_orm::sqlx::query("SELECT pg_advisory_unlock($1, $2)")
                .bind(LOCK_SPACE)
                .bind(job.key())
                .execute(&mut *conn)
                .await
                .map_err(lock_error)?;
        }
        outcome
    }

    /// The part of [`Store::exclusively`] under the lock: the round's check,
    /// the work and its record.
    async fn run_job<T>(
        &self,
        job: Job,
        round: Option<Duration>,
        work: impl AsyncFnOnce() -> StoreResult<T>,
    ) -> StoreResult<Option<T>> {
        let started = self.now();
        if let Some(round) = round {
            let last = periodic_job::Entity::find_by_id(job.name().to_owned())
                .one(self.conn())
                .await?;
            let half = i64::try_from((round / 2).as_millis()).unwrap_or(i64::MAX);
            if last.is_some_and(|last| millis(started) - last.last_run_at < half) {
                return Ok(None);
            }
        }
        let value = work().await?;
        let tx = self.begin_write().await?;
        periodic_job::Entity::insert(periodic_job::ActiveModel {
            name: Set(job.name().to_owned()),
            last_run_at: Set(millis(started)),
            runs: Set(1),
        })
        .on_conflict(
            OnConflict::column(periodic_job::Column::Name)
                .value(periodic_job::Column::LastRunAt, millis(started))
                .value(
                    periodic_job::Column::Runs,
                    Expr::col((periodic_job::Entity, periodic_job::Column::Runs)).add(1),
                )
                .to_owned(),
        )
        .exec(&*tx)
        .await?;
        tx.commit().await?;
        Ok(Some(value))
    }

    /// How many times each job ran, in all processes together, and when last.
    pub async fn job_runs(&self) -> StoreResult<Vec<(Job, i64, chrono::DateTime<chrono::Utc>)>> {
        let rows = periodic_job::Entity::find().all(self.conn()).await?;
        Ok(Job::ALL
            .into_iter()
            .filter_map(|job| {
                rows.iter()
                    .find(|r| r.name == job.name())
                    .map(|r| (job, r.runs, crate::from_millis(r.last_run_at)))
            })
            .collect())
    }
}
