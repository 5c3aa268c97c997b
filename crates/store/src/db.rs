//! Connecting, migrating and transactions.

use std::ops::Deref;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    TransactionTrait,
};
use sea_orm_migration::MigratorTrait;
use tokio::sync::{Mutex, Notify, OwnedMutexGuard, oneshot};
use waakvlam_domain::clock::Clock;

use waakvlam_domain::access::{AccessAction, AccessOutcome};

use crate::access::{self, AccessEvent, NewEntry};
use crate::migration::Migrator;
use crate::{Actor, ResidentId, StoreError, StoreResult, reference};

/// The database backend behind a [`Store`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The real clock. The only place in Waakvlam that reads the system time;
/// everything else receives it through [`Clock`].
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    #[allow(clippy::disallowed_methods)]
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// The real clock moved by a fixed offset: time runs as usual, but "today" is
/// another day. A demo seeded for a given `--today` runs on it, so its data
/// does not age while the demo server runs and a test run is reproducible.
#[derive(Clone, Copy, Debug)]
pub struct ShiftedClock {
    offset: chrono::TimeDelta,
}

impl ShiftedClock {
    /// A clock on which today is `today`, at the current time of day.
    pub fn with_today(today: chrono::NaiveDate) -> Self {
        let real = SystemClock.today();
        Self {
            offset: chrono::TimeDelta::days(today.signed_duration_since(real).num_days()),
        }
    }
}

impl Clock for ShiftedClock {
    fn now(&self) -> DateTime<Utc> {
        let now = SystemClock.now();
        now.checked_add_signed(self.offset).unwrap_or(now)
    }
}

/// A handle on the database; cheap to clone.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

struct Inner {
    db: DatabaseConnection,
    backend: Backend,
    /// SQLite allows one writer at a time. Serialising this process's write
    /// transactions up front means a read-then-write transaction can never be
    /// refused halfway (SQLITE_BUSY on lock upgrade, which busy_timeout does not
    /// cover); other processes (the CLI beside a server) wait on busy_timeout.
    sqlite_writer: Arc<Mutex<()>>,
    clock: Arc<dyn Clock>,
    /// Woken after a unit of work that put an at-once notification in the
    /// outbox has committed, so this process's delivery worker sends it now
    /// instead of at its next periodic pass.
    outbox_wake: Notify,
    /// How long appending a unit of work's access-log entries and
    /// committing took (for `/metrics`).
    access_log_writes: crate::metrics::Histogram,
    /// The group commit: access-log entries of reads (and sessions' idle-time
    /// updates) waiting to be appended together (see [`Store::read`]).
    log_queue: std::sync::Mutex<LogQueue>,
    /// The periodic jobs running in this process ([`Store::exclusively`]).
    running_jobs: std::sync::Mutex<std::collections::HashSet<crate::jobs::Job>>,
}

/// What waits for the group commit.
#[derive(Default)]
struct LogQueue {
    waiting: Vec<Waiting>,
    /// Sessions seen again: the hash of their token and when (epoch ms).
    touches: Vec<(String, i64)>,
    /// Whether a task is committing; it takes whatever was queued meanwhile
    /// before it stops.
    committing: bool,
}

/// A unit of work's entries and the unit of work waiting until they are
/// durable.
struct Waiting {
    entries: Vec<NewEntry>,
    done: oneshot::Sender<Result<(), String>>,
}

/// Held by the committing task: should it end without emptying the queue
/// (a panic), the next entry queued starts a new task, and the units of work
/// already queued get an error instead of waiting for ever.
struct Committer<'a> {
    store: &'a Store,
    finished: bool,
}

impl Drop for Committer<'_> {
    fn drop(&mut self) {
        if !self.finished {
            let mut queue = self.store.log_queue();
            queue.committing = false;
            queue.waiting.clear();
            queue.touches.clear();
        }
    }
}

/// A write transaction. Dropping it without [`WriteTx::commit`] rolls back, so an
/// early return on an error never half-writes.
pub struct WriteTx {
    tx: DatabaseTransaction,
    _writer: Option<OwnedMutexGuard<()>>,
}

impl WriteTx {
    pub async fn commit(self) -> StoreResult<()> {
        self.tx.commit().await?;
        Ok(())
    }
}

impl Deref for WriteTx {
    type Target = DatabaseTransaction;
    fn deref(&self) -> &DatabaseTransaction {
        &self.tx
    }
}

/// One unit of work against the store: its transaction, who acts and the
/// time. Access-log entries are collected here and appended by the
/// combinator that commits ([`Store::read`], [`Store::write`]), so no
/// function can forget that tail or write it twice; a refusal is logged in a
/// transaction of its own after the work is rolled back.
pub struct Cx<'a> {
    store: &'a Store,
    tx: &'a DatabaseTransaction,
    pub actor: &'a Actor,
    pub now: DateTime<Utc>,
    entries: std::sync::Mutex<Vec<PendingEntry>>,
    outbox_written: std::sync::atomic::AtomicBool,
}

struct PendingEntry {
    action: AccessAction,
    resident_id: Option<i64>,
    objects: String,
    outcome: AccessOutcome,
}

impl PendingEntry {
    fn to_new(&self, actor: &Actor, at: DateTime<Utc>) -> NewEntry {
        let event = AccessEvent::new(self.action, self.resident_id, &self.objects);
        NewEntry::new(actor, at, &event, self.outcome)
    }
}

impl<'a> Cx<'a> {
    /// Today in the Netherlands (days turn over at local midnight): what
    /// care dates are checked against (`waakvlam_domain::limits`).
    pub fn today(&self) -> chrono::NaiveDate {
        self.now
            .with_timezone(&chrono_tz::Europe::Amsterdam)
            .date_naive()
    }

    /// The transaction, for queries.
    pub fn conn(&self) -> &'a DatabaseTransaction {
        self.tx
    }

    pub fn store(&self) -> &'a Store {
        self.store
    }

    /// Notes a successful access to log when the work commits.
    pub fn log(
        &self,
        action: AccessAction,
        resident: Option<ResidentId>,
        objects: impl Into<String>,
    ) {
        self.push(
            action,
            resident.map(ResidentId::get),
            objects.into(),
            AccessOutcome::Success,
        );
    }

    /// Notes a search that listed these residents (`<what>:resident:1,2,3`).
    pub fn log_search(&self, what: &str, residents: impl Iterator<Item = ResidentId>) {
        let ids = residents
            .map(|id| id.to_string())
            .collect::<Vec<_>>()
            .join(",");
        self.log(AccessAction::Search, None, format!("{what}:resident:{ids}"));
    }

    /// Notes a refused access, logged even though the work is rolled back,
    /// and returns the error to propagate.
    pub fn deny(
        &self,
        action: AccessAction,
        resident: Option<ResidentId>,
        objects: impl Into<String>,
    ) -> StoreError {
        self.push(
            action,
            resident.map(ResidentId::get),
            objects.into(),
            AccessOutcome::Denied,
        );
        StoreError::Denied
    }

    /// Notes a refused access to an object that is outside the actor's sight
    /// or does not exist, and answers "not found" either way, so the answer
    /// does not tell whether it exists; the attempt is in the log all the
    /// same (with its resident when the object has one).
    pub fn not_found(
        &self,
        action: AccessAction,
        resident: Option<ResidentId>,
        objects: impl Into<String>,
        what: &'static str,
    ) -> StoreError {
        self.deny(action, resident, objects);
        StoreError::NotFound { what }
    }

    fn push(
        &self,
        action: AccessAction,
        resident_id: Option<i64>,
        objects: String,
        outcome: AccessOutcome,
    ) {
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(PendingEntry {
                action,
                resident_id,
                objects,
                outcome,
            });
    }

    /// Marks that this unit of work put a notification in the outbox to be
    /// sent at once; the delivery worker is woken when it commits.
    pub(crate) fn wake_outbox_after_commit(&self) {
        self.outbox_written
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }

    /// Runs `work` as one unit of work on `tx`: what it returned, the
    /// access-log entries it noted and whether it put an at-once
    /// notification in the outbox. What becomes of them is the caller's
    /// (read, write, savepoint).
    async fn run<T>(
        store: &'a Store,
        tx: &'a DatabaseTransaction,
        actor: &'a Actor,
        now: DateTime<Utc>,
        work: impl AsyncFnOnce(&Cx<'_>) -> StoreResult<T>,
    ) -> (StoreResult<T>, Vec<PendingEntry>, bool) {
        let cx = Cx {
            store,
            tx,
            actor,
            now,
            entries: std::sync::Mutex::new(Vec::new()),
            outbox_written: std::sync::atomic::AtomicBool::new(false),
        };
        let result = work(&cx).await;
        let woken = cx.outbox_written.load(std::sync::atomic::Ordering::Relaxed);
        (result, cx.take_entries(), woken)
    }

    /// Runs `work` inside this unit of work under a savepoint: on an error
    /// everything it wrote is undone (and only its refusals stay noted), on
    /// success it stays, to be committed with the rest. So one unit of work
    /// can apply many independent parts, each whole or not at all, with one
    /// durable commit (a batch of received iWmo messages).
    pub async fn savepoint<T>(
        &self,
        work: impl AsyncFnOnce(&Cx<'_>) -> StoreResult<T>,
    ) -> StoreResult<T> {
        let nested = self.tx.begin().await?;
        let (result, entries, woken) =
            Cx::run(self.store, &nested, self.actor, self.now, work).await;
        let keep = |kept: Vec<PendingEntry>| {
            self.entries
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .extend(kept);
        };
        match result {
            Ok(value) => {
                nested.commit().await?;
                keep(entries);
                if woken {
                    self.wake_outbox_after_commit();
                }
                Ok(value)
            }
            Err(error) => {
                nested.rollback().await?;
                keep(
                    entries
                        .into_iter()
                        .filter(|e| e.outcome == AccessOutcome::Denied)
                        .collect(),
                );
                Err(error)
            }
        }
    }

    fn take_entries(&self) -> Vec<PendingEntry> {
        std::mem::take(
            &mut *self
                .entries
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        )
    }
}

impl Store {
    /// Resolves once a unit of work in this process has committed an at-once
    /// notification (immediately when one did so since the last call): the
    /// delivery worker waits on this beside its periodic tick.
    pub async fn outbox_written(&self) {
        self.inner.outbox_wake.notified().await;
    }

    /// Runs `work`, which only reads, as `actor` on a snapshot of its own
    /// (outside SQLite's writer, so reads run side by side; read-only on
    /// PostgreSQL, so work that writes fails there), then hands the
    /// access-log entries it noted to the group commit and answers only once
    /// they are durable: nothing read is given out without its entry. The
    /// entries of all reads that finish while one batch commits are appended
    /// together in the next, in one transaction and one fsync. On an error
    /// only the refusals it noted are logged. Work that changes data belongs
    /// in [`Store::write`].
    pub async fn read<T>(
        &self,
        actor: &Actor,
        work: impl AsyncFnOnce(&Cx<'_>) -> StoreResult<T>,
    ) -> StoreResult<T> {
        let tx = self.begin_read().await?;
        let now = self.now();
        let (result, entries, woken) = Cx::run(self, &tx, actor, now, work).await;
        debug_assert!(!woken, "a read put a notification in the outbox");
        // The snapshot ends before waiting on the log, so its connection is
        // free for the next read meanwhile.
        let entries = match &result {
            Ok(_) => {
                tx.commit().await?;
                entries
            }
            Err(_) => {
                drop(tx);
                entries
                    .into_iter()
                    .filter(|e| e.outcome == AccessOutcome::Denied)
                    .collect()
            }
        };
        if !entries.is_empty() {
            let entries = entries.iter().map(|e| e.to_new(actor, now)).collect();
            self.log_durably(entries).await?;
        }
        result
    }

    /// Logs an access refused before any work began (a page or form not
    /// for the actor's role), through the group commit, so the access log
    /// holds every refusal and not only the store's.
    pub async fn log_refusal(
        &self,
        actor: &Actor,
        action: AccessAction,
        objects: &str,
    ) -> StoreResult<()> {
        let event = AccessEvent::new(action, None, objects);
        let entry = NewEntry::new(actor, self.now(), &event, AccessOutcome::Denied);
        self.log_durably(vec![entry]).await
    }

    /// Runs `work` in one write transaction as `actor` (on SQLite holding
    /// this process's writer), appends the access-log entries it noted in
    /// that transaction and commits; on an error nothing is kept but the
    /// refusals it noted, which go through the group commit.
    pub async fn write<T>(
        &self,
        actor: &Actor,
        work: impl AsyncFnOnce(&Cx<'_>) -> StoreResult<T>,
    ) -> StoreResult<T> {
        let tx = self.begin_write().await?;
        let now = self.now();
        let (result, entries, outbox_written) = Cx::run(self, &tx, actor, now, work).await;
        match result {
            Ok(value) => {
                let started = std::time::Instant::now();
                let logged = !entries.is_empty();
                access::append_all(&*tx, entries.iter().map(|e| e.to_new(actor, now)).collect())
                    .await?;
                tx.commit().await?;
                if logged {
                    self.inner.access_log_writes.observe(started.elapsed());
                }
                if outbox_written {
                    self.inner.outbox_wake.notify_one();
                }
                Ok(value)
            }
            Err(error) => {
                // Roll back first: on SQLite the refusal needs the writer.
                drop(tx);
                let refused = entries
                    .iter()
                    .filter(|e| e.outcome == AccessOutcome::Denied)
                    .map(|e| e.to_new(actor, now))
                    .collect::<Vec<_>>();
                if !refused.is_empty() {
                    self.log_durably(refused).await?;
                }
                Err(error)
            }
        }
    }

    /// Notes that a session was seen at `at` (epoch ms), to be written with
    /// the next group commit; nobody waits for it.
    pub(crate) fn touch_session_later(&self, token_hash: String, at: i64) {
        self.enqueue(|queue| queue.touches.push((token_hash, at)));
    }

    /// Hands entries to the group commit and waits until they are durable.
    async fn log_durably(&self, entries: Vec<NewEntry>) -> StoreResult<()> {
        let (done, committed) = oneshot::channel();
        self.enqueue(|queue| queue.waiting.push(Waiting { entries, done }));
        match committed.await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(reason)) => Err(StoreError::Internal(format!(
                "the access log could not be written: {reason}"
            ))),
            Err(_) => Err(StoreError::Internal(
                "the access log could not be written: its group commit stopped".into(),
            )),
        }
    }

    fn log_queue(&self) -> std::sync::MutexGuard<'_, LogQueue> {
        self.inner
            .log_queue
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Queues something for the group commit, starting a committing task
    /// when none runs.
    fn enqueue(&self, add: impl FnOnce(&mut LogQueue)) {
        let start = {
            let mut queue = self.log_queue();
            add(&mut queue);
            !std::mem::replace(&mut queue.committing, true)
        };
        if start {
            let store = self.clone();
            tokio::spawn(async move { store.commit_queued().await });
        }
    }

    /// The group commit: takes everything queued, appends it in one
    /// transaction (entries in the order they were queued, so the chain
    /// stays one line), commits, and tells every waiting unit of work the
    /// outcome; then again with what was queued meanwhile, until nothing is.
    /// If the batch fails, every unit of work in it gets the error and
    /// shows nothing.
    async fn commit_queued(&self) {
        let mut committer = Committer {
            store: self,
            finished: false,
        };
        loop {
            let (waiting, touches) = {
                let mut queue = self.log_queue();
                if queue.waiting.is_empty() && queue.touches.is_empty() {
                    queue.committing = false;
                    committer.finished = true;
                    return;
                }
                (
                    std::mem::take(&mut queue.waiting),
                    std::mem::take(&mut queue.touches),
                )
            };
            let started = std::time::Instant::now();
            let mut senders = Vec::with_capacity(waiting.len());
            let mut entries = Vec::new();
            for w in waiting {
                entries.extend(w.entries);
                senders.push(w.done);
            }
            let logged = !entries.is_empty();
            let outcome = self
                .commit_batch(entries, &touches)
                .await
                .map_err(|e| e.to_string());
            if logged {
                self.inner.access_log_writes.observe(started.elapsed());
            }
            for done in senders {
                // A unit of work whose request went away no longer listens.
                let _ = done.send(outcome.clone());
            }
        }
    }

    async fn commit_batch(
        &self,
        entries: Vec<NewEntry>,
        touches: &[(String, i64)],
    ) -> StoreResult<()> {
        let tx = self.begin_write().await?;
        access::append_all(&*tx, entries).await?;
        crate::sessions::touch_all(&*tx, touches).await?;
        tx.commit().await
    }

    /// Connects to `url` (`sqlite://path.db` or `postgres://…`), creating a
    /// SQLite file when missing. Does not migrate; see [`Store::open`].
    pub async fn connect(url: &str, clock: Arc<dyn Clock>) -> StoreResult<Store> {
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(StoreError::BadUrl {
                url: redact(url),
                reason: "expected sqlite://FILE or postgres://USER@HOST/DATABASE".into(),
            });
        };
        if backend == Backend::Postgres {
            preflight(url).await?;
        }
        let mut opts = ConnectOptions::new(url.to_owned());
        opts.sqlx_logging(false)
            .connect_timeout(Duration::from_secs(10))
            .acquire_timeout(Duration::from_secs(30));
        match backend {
            Backend::Sqlite => {
                opts.max_connections(8).min_connections(1);
                opts.map_sqlx_sqlite_opts(|o| {
                    o.create_if_missing(true)
                        .journal_mode(SqliteJournalMode::Wal)
                        .synchronous(SqliteSynchronous::Full)
                        .foreign_keys(true)
                        .busy_timeout(Duration::from_secs(10))
                });
            }
            Backend::Postgres => {
                opts.max_connections(16).min_connections(1);
            }
        }
        let mut db = Database::connect(opts)
            .await
            .map_err(|e| StoreError::Unreachable {
                url: redact(url),
                reason: e.to_string(),
            })?;
        if std::env::var_os(crate::metrics::STATEMENT_PROFILE).is_some() {
            db.set_metric_callback(|info| {
                crate::metrics::profile_statement(&info.statement.sql, info.elapsed);
            });
        }
        Ok(Store {
            inner: Arc::new(Inner {
                db,
                backend,
                sqlite_writer: Arc::new(Mutex::new(())),
                clock,
                outbox_wake: Notify::new(),
                access_log_writes: crate::metrics::Histogram::default(),
                log_queue: std::sync::Mutex::default(),
                running_jobs: std::sync::Mutex::default(),
            }),
        })
    }

    /// Connects, applies pending migrations and loads the reference data a new
    /// database needs (municipalities, default catalogue).
    pub async fn open(url: &str, clock: Arc<dyn Clock>) -> StoreResult<Store> {
        let store = Store::connect(url, clock).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Applies pending migrations, then the reference data (idempotent). On
    /// PostgreSQL it holds the advisory lock `(jobs::LOCK_SPACE, 0)` while it
    /// does, so of several processes starting together one migrates and the
    /// others wait and then find nothing left to do (SeaORM's own migration
    /// table would otherwise be created by two at once).
    pub async fn migrate(&self) -> StoreResult<()> {
        let lock = self.migration_lock().await?;
        let migrated = self.migrate_locked().await;
        // Let go at once; the connection is closed as well (see `migration_lock`).
        if let Some(mut conn) = lock {
            sea_orm::sqlx::query("SELECT pg_advisory_unlock($1, $2)")
                .bind(crate::jobs::LOCK_SPACE)
                .bind(crate::jobs::MIGRATION_KEY)
                .execute(&mut *conn)
                .await
                .map_err(|e| StoreError::Internal(format!("the migrations' advisory lock: {e}")))?;
        }
        migrated
    }

    async fn migrate_locked(&self) -> StoreResult<()> {
        Migrator::up(&self.inner.db, None).await?;
        // Entries from before the hash chain are linked into it once, before
        // anything new is logged.
        let tx = self.begin_write().await?;
        access::seal_unchained(&*tx).await?;
        tx.commit().await?;
        reference::ensure_reference_data(self).await?;
        self.optimize().await
    }

    /// On PostgreSQL: waits for the migrations' advisory lock and holds it on
    /// a connection of its own, which is closed when dropped, so a `migrate`
    /// cancelled halfway cannot leave the lock behind.
    async fn migration_lock(
        &self,
    ) -> StoreResult<Option<sea_orm::sqlx::pool::PoolConnection<sea_orm::sqlx::Postgres>>> {
        if self.inner.backend != Backend::Postgres {
            return Ok(None);
        }
        let lock_error = |e: sea_orm::sqlx::Error| {
            StoreError::Internal(format!("the migrations' advisory lock: {e}"))
        };
        let mut conn = self
            .inner
            .db
            .get_postgres_connection_pool()
            .acquire()
            .await
            .map_err(lock_error)?;
        conn.close_on_drop();
        sea_orm::sqlx::query("SELECT pg_advisory_lock($1, $2)")
            .bind(crate::jobs::LOCK_SPACE)
            .bind(crate::jobs::MIGRATION_KEY)
            .execute(&mut *conn)
            .await
            .map_err(lock_error)?;
        Ok(Some(conn))
    }

    /// The names of the migrations this version knows, in order.
    pub fn migration_names() -> Vec<String> {
        Migrator::migrations()
            .iter()
            .map(|m| sea_orm_migration::MigrationName::name(m.as_ref()).to_owned())
            .collect()
    }

    /// The jobs this process is running ([`Store::exclusively`]).
    pub(crate) fn running_jobs(
        &self,
    ) -> std::sync::MutexGuard<'_, std::collections::HashSet<crate::jobs::Job>> {
        self.inner
            .running_jobs
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Gives SQLite's planner statistics for the tables that need them (with
    /// its own analysis limit, so it stays quick on large files). Without
    /// them SQLite can pick an index that reads a whole provider instead of
    /// one caseload. PostgreSQL's autovacuum keeps its own statistics.
    pub async fn optimize(&self) -> StoreResult<()> {
        if self.inner.backend == Backend::Sqlite {
            self.inner
                .db
                .execute_unprepared("PRAGMA optimize=0x10002")
                .await?;
        }
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        self.inner.backend
    }

    pub fn db_backend(&self) -> DbBackend {
        self.inner.db.get_database_backend()
    }

    /// The connection for reads that need no transaction.
    pub fn conn(&self) -> &DatabaseConnection {
        &self.inner.db
    }

    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.inner.clock
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.inner.clock.now()
    }

    /// Starts a write transaction (see [`Inner::sqlite_writer`] for SQLite).
    pub async fn begin_write(&self) -> StoreResult<WriteTx> {
        let writer = match self.inner.backend {
            Backend::Sqlite => Some(self.inner.sqlite_writer.clone().lock_owned().await),
            Backend::Postgres => None,
        };
        let tx = self.inner.db.begin().await?;
        Ok(WriteTx {
            tx,
            _writer: writer,
        })
    }

    /// Starts a read transaction: a consistent snapshot, outside SQLite's
    /// writer (WAL lets readers run beside it) and read-only on PostgreSQL.
    /// Its access-log entries go through the group commit ([`Store::read`]).
    pub async fn begin_read(&self) -> StoreResult<WriteTx> {
        let tx = match self.inner.backend {
            Backend::Sqlite => self.inner.db.begin().await?,
            Backend::Postgres => {
                self.inner
                    .db
                    .begin_with_config(None, Some(sea_orm::AccessMode::ReadOnly))
                    .await?
            }
        };
        Ok(WriteTx { tx, _writer: None })
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> StoreResult<()> {
        self.inner.db.ping().await?;
        Ok(())
    }

    /// Whether the server can take requests: the database answers and no
    /// migration is pending (`/readyz`).
    pub async fn ready(&self) -> StoreResult<bool> {
        self.ping().await?;
        Ok(Migrator::get_pending_migrations(&self.inner.db)
            .await?
            .is_empty())
    }

    /// How long units of work took to append their access-log entries and
    /// commit (those that noted any).
    pub fn access_log_writes(&self) -> &crate::metrics::Histogram {
        &self.inner.access_log_writes
    }

    pub async fn close(self) -> StoreResult<()> {
        if let Ok(inner) = Arc::try_unwrap(self.inner) {
            inner.db.close().await?;
        }
        Ok(())
    }
}

/// `host:port` of a `postgres://` URL; `None` for socket URLs (no host).
fn pg_host_port(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    // No host (a socket URL) or several (a failover list): left to the driver.
    if host_port.is_empty() || host_port.contains(',') {
        return None;
    }
    let has_port = match host_port.rfind(']') {
        Some(bracket) => host_port[bracket..].contains(':'),
        None => host_port.contains(':'),
    };
    Some(if has_port {
        host_port.to_owned()
    } else {
        format!("{host_port}:5432")
    })
}

/// Tries the PostgreSQL server's address first, so an unreachable server is
/// reported at once and with the reason, not after the pool's timeout.
async fn preflight(url: &str) -> StoreResult<()> {
    let Some(target) = pg_host_port(url) else {
        return Ok(());
    };
    let unreachable = |reason: String| StoreError::Unreachable {
        url: redact(url),
        reason,
    };
    match tokio::time::timeout(
        Duration::from_secs(10),
        tokio::net::TcpStream::connect(&target),
    )
    .await
    {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => Err(unreachable(format!("{target}: {e}"))),
        Err(_) => Err(unreachable(format!("{target}: no answer within 10 s"))),
    }
}

/// Hides a password in a database URL before it is shown or logged.
pub(crate) fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            match userinfo.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme_end + 3],
                    &userinfo[..colon],
                    &url[at..]
                ),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn finds_the_address_of_a_postgres_url() {
        use super::pg_host_port;
        assert_eq!(
            pg_host_port("postgres://u:p@db.example:6543/w").as_deref(),
            Some("db.example:6543")
        );
        assert_eq!(
            pg_host_port("postgres://u@127.0.0.1/w?sslmode=disable").as_deref(),
            Some("127.0.0.1:5432")
        );
        assert_eq!(
            pg_host_port("postgresql://[::1]:5433/w").as_deref(),
            Some("[::1]:5433")
        );
        assert_eq!(pg_host_port("postgres:///w?host=/run/postgresql"), None);
    }

    #[test]
    fn redacts_passwords_in_urls() {
        assert_eq!(
            redact("postgres://app:secret@db:5432/waakvlam"),
            "postgres://app:***@db:5432/waakvlam"
        );
        assert_eq!(
            redact("postgres://app@db/waakvlam"),
            "postgres://app@db/waakvlam"
        );
        assert_eq!(redact("sqlite://x.db"), "sqlite://x.db");
    }
}
