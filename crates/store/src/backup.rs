//! Backing up and restoring a SQLite installation (`waakvlam backup`,
//! `waakvlam restore`). PostgreSQL has its own tools (pg_dump, pg_restore;
//! see docs/OPERATIONS.md).
//!
//! A backup is SQLite's `VACUUM INTO`: one read transaction, so the copy is
//! consistent while the server goes on serving and writing. A restore
//! copies the file next to the target under a temporary name, checks that
//! copy (a SQLite file that passes `quick_check`, holding Waakvlam's
//! migrations and none this version does not know), makes it durable and
//! only then renames it over the target: a crash halfway leaves the old
//! database or the new one, never a mix.

use std::path::{Path, PathBuf};

use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteLockingMode};
use sea_orm::sqlx::{self, Connection};
use sea_orm::{ConnectionTrait, DbErr};
use sea_orm_migration::MigratorTrait;

use crate::migration::Migrator;
use crate::{Backend, Store};

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error(
        "backup and restore here are for SQLite; for PostgreSQL use pg_dump and pg_restore (see docs/OPERATIONS.md, \"Backups\")"
    )]
    Postgres,
    #[error("{} exists already; choose a new file name (a backup never overwrites a file)", .0.display())]
    OutExists(PathBuf),
    #[error("{} exists already; add --force to replace it (stop the server first)", .0.display())]
    TargetExists(PathBuf),
    #[error("{} does not exist", .0.display())]
    Missing(PathBuf),
    #[error("{} is in use (is a server running on it?); stop it first", .0.display())]
    InUse(PathBuf),
    #[error("{} is not a Waakvlam database: {reason}", path.display())]
    NotWaakvlam { path: PathBuf, reason: String },
    #[error(
        "{} was made by a newer version of Waakvlam (it has the migration {migration}, which this version does not know); restore it with that version or newer",
        path.display()
    )]
    Newer { path: PathBuf, migration: String },
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("database error: {0}")]
    Db(#[from] DbErr),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> BackupError + '_ {
    move |source| BackupError::Io {
        path: path.to_owned(),
        source,
    }
}

impl Store {
    /// Writes a consistent copy of this SQLite database to `out`, which must
    /// not exist yet.
    pub async fn backup_to(&self, out: &Path) -> Result<(), BackupError> {
        if self.backend() != Backend::Sqlite {
            return Err(BackupError::Postgres);
        }
        if out.exists() {
            return Err(BackupError::OutExists(out.to_owned()));
        }
        let target = out.to_str().ok_or_else(|| BackupError::Io {
            path: out.to_owned(),
            source: std::io::Error::other("the file name is not valid UTF-8"),
        })?;
        let literal = target.replace('\'', "''");
        self.conn()
            .execute_unprepared(&format!("VACUUM INTO '{literal}'"))
            .await?;
        // VACUUM INTO does not sync the new file itself.
        std::fs::File::open(out)
            .and_then(|f| f.sync_all())
            .map_err(io(out))?;
        Ok(())
    }
}

/// What a checked backup holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackupInfo {
    /// Migrations applied in it.
    pub migrations: usize,
    /// Migrations this version has that it lacks (applied at the next start
    /// or by `waakvlam migrate`).
    pub behind: usize,
}

/// Checks that `path` is a Waakvlam SQLite database: intact, with Waakvlam's
/// migrations applied and none this version does not know. Opened for
/// writing (a database in WAL mode needs its shared-memory file), so only
/// ever on the restore's own copy.
async fn check(path: &Path) -> Result<BackupInfo, BackupError> {
    if !path.is_file() {
        return Err(BackupError::Missing(path.to_owned()));
    }
    let not_ours = |reason: String| BackupError::NotWaakvlam {
        path: path.to_owned(),
        reason,
    };
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(false);
    let mut conn = sqlx::SqliteConnection::connect_with(&options)
        .await
        .map_err(|e| not_ours(e.to_string()))?;
    let result = async {
        let check: String = sqlx::query_scalar("PRAGMA quick_check")
            .fetch_one(&mut conn)
            .await
            .map_err(|e| not_ours(format!("not a SQLite database ({e})")))?;
        if check != "ok" {
            return Err(not_ours(format!("SQLite's quick_check says: {check}")));
        }
        let applied: Vec<String> = sqlx::query_scalar("SELECT version FROM seaql_migrations")
            .fetch_all(&mut conn)
            .await
            .map_err(|_| not_ours("it has no migrations table".into()))?;
        let known: Vec<String> = Migrator::migrations()
            .iter()
            .map(|m| m.name().to_owned())
            .collect();
        if let Some(unknown) = applied.iter().find(|v| !known.contains(v)) {
            return Err(BackupError::Newer {
                path: path.to_owned(),
                migration: unknown.clone(),
            });
        }
        if !known.first().is_some_and(|first| applied.contains(first)) {
            return Err(not_ours("Waakvlam's first migration is not applied".into()));
        }
        Ok(BackupInfo {
            migrations: applied.len(),
            behind: known.len() - applied.len(),
        })
    }
    .await;
    let _ = conn.close().await;
    result
}

/// Whether another connection (a running server) has the SQLite file open:
/// an exclusive lock, asked for without waiting, is refused then. In WAL mode
/// every open connection holds a shared lock on the file.
async fn in_use(path: &Path) -> bool {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(false)
        .locking_mode(SqliteLockingMode::Exclusive)
        .busy_timeout(std::time::Duration::ZERO);
    let Ok(mut conn) = sqlx::SqliteConnection::connect_with(&options).await else {
        return false;
    };
    let probe = async {
        sqlx::query("BEGIN EXCLUSIVE").execute(&mut conn).await?;
        sqlx::query("SELECT count(*) FROM sqlite_master")
            .execute(&mut conn)
            .await?;
        sqlx::query("COMMIT").execute(&mut conn).await
    }
    .await;
    let _ = conn.close().await;
    match probe {
        Ok(_) => false,
        Err(e) => e.to_string().contains("locked"),
    }
}

/// Restores the backup `from` to the SQLite file `target`: refused when
/// `target` exists, unless `force`. The server must not run on `target`.
pub async fn restore(from: &Path, target: &Path, force: bool) -> Result<BackupInfo, BackupError> {
    if !from.is_file() {
        return Err(BackupError::Missing(from.to_owned()));
    }
    if target.exists() && !force {
        return Err(BackupError::TargetExists(target.to_owned()));
    }
    if target.exists() && in_use(target).await {
        return Err(BackupError::InUse(target.to_owned()));
    }
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "waakvlam.db".into());
    let partial = target.with_file_name(format!(".{name}.restoring"));
    let sidecars = |base: &Path| {
        ["-wal", "-shm", "-journal"].map(|s| {
            let mut p = base.as_os_str().to_owned();
            p.push(s);
            PathBuf::from(p)
        })
    };
    let remove = |p: &Path| match std::fs::remove_file(p) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io(p)(e)),
    };
    remove(&partial)?;
    std::fs::copy(from, &partial).map_err(io(&partial))?;
    let checked = async {
        let info = check(&partial).await?;
        std::fs::File::open(&partial)
            .and_then(|f| f.sync_all())
            .map_err(io(&partial))?;
        Ok::<_, BackupError>(info)
    }
    .await;
    let info = match checked {
        Ok(info) => info,
        Err(e) => {
            for p in std::iter::once(partial.clone()).chain(sidecars(&partial)) {
                let _ = remove(&p);
            }
            return Err(match e {
                // Name the file the operator gave, not the copy.
                BackupError::NotWaakvlam { reason, .. } => BackupError::NotWaakvlam {
                    path: from.to_owned(),
                    reason,
                },
                BackupError::Newer { migration, .. } => BackupError::Newer {
                    path: from.to_owned(),
                    migration,
                },
                other => other,
            });
        }
    };
    // The old database's write-ahead log must not be replayed into the new one.
    for p in sidecars(target) {
        remove(&p)?;
    }
    std::fs::rename(&partial, target).map_err(io(target))?;
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty())
        && let Ok(d) = std::fs::File::open(dir)
    {
        let _ = d.sync_all();
    }
    Ok(info)
}
