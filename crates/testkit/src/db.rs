//! A fresh database per test, on SQLite and on PostgreSQL.
//!
//! The PostgreSQL one creates its own database from
//! `WAAKVLAM_TEST_POSTGRES_URL` and drops it afterwards; without that variable
//! it is skipped, unless `WAAKVLAM_TEST_REQUIRE_POSTGRES` is set (as `.ci/run`
//! does), in which case it fails.

use std::sync::Arc;

use rand::RngCore;
use sea_orm::{ConnectionTrait, Database};
use waakvlam_domain::clock::{Clock, FixedClock};

use waakvlam_store::{Store, StoreError, StoreResult};

/// A test database and how to remove it.
pub struct TestDb {
    pub store: Store,
    pub clock: Arc<FixedClock>,
    url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(tempfile::TempDir),
    Postgres { admin_url: String, name: String },
}

/// The moment test databases start at: a fixed, known Tuesday.
pub fn test_epoch() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339("2026-03-10T09:00:00Z")
        .map(|t| t.with_timezone(&chrono::Utc))
        .unwrap_or_default()
}

impl TestDb {
    /// A migrated SQLite database in a temporary directory.
    pub async fn sqlite() -> StoreResult<TestDb> {
        let dir = tempfile::tempdir().map_err(|e| StoreError::Internal(e.to_string()))?;
        let url = format!("sqlite://{}", dir.path().join("test.db").display());
        let clock = Arc::new(FixedClock::new(test_epoch()));
        let store = Store::open(&url, clock.clone() as Arc<dyn Clock>).await?;
        Ok(TestDb {
            store,
            clock,
            url,
            cleanup: Cleanup::Sqlite(dir),
        })
    }

    /// A migrated PostgreSQL database of its own, or `None` when PostgreSQL
    /// tests are not configured.
    pub async fn postgres() -> StoreResult<Option<TestDb>> {
        let Some(db) = TestDb::postgres_empty().await? else {
            return Ok(None);
        };
        db.store.migrate().await?;
        Ok(Some(db))
    }

    /// An empty PostgreSQL database of its own, not migrated, with a store
    /// connected to it; `None` when PostgreSQL tests are not configured
    /// (an error when `WAAKVLAM_TEST_REQUIRE_POSTGRES` asks for them).
    pub async fn postgres_empty() -> StoreResult<Option<TestDb>> {
        let required = std::env::var_os("WAAKVLAM_TEST_REQUIRE_POSTGRES").is_some();
        let Some(admin_url) = std::env::var("WAAKVLAM_TEST_POSTGRES_URL")
            .ok()
            .filter(|u| !u.is_empty())
        else {
            if required {
                return Err(StoreError::Internal(
                    "WAAKVLAM_TEST_REQUIRE_POSTGRES is set but WAAKVLAM_TEST_POSTGRES_URL is not"
                        .into(),
                ));
            }
            eprintln!("skipping PostgreSQL test: WAAKVLAM_TEST_POSTGRES_URL is not set");
            return Ok(None);
        };
        let mut suffix = [0u8; 6];
        rand::rng().fill_bytes(&mut suffix);
        let name = format!("waakvlam_test_{}", hex::encode(suffix));
        let admin = Database::connect(admin_url.as_str())
            .await
            .map_err(|e| StoreError::Internal(format!("cannot reach {admin_url}: {e}")))?;
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await?;
        admin.close().await?;
        let url = with_database(&admin_url, &name);
        let clock = Arc::new(FixedClock::new(test_epoch()));
        let store = Store::connect(&url, clock.clone() as Arc<dyn Clock>).await?;
        Ok(Some(TestDb {
            store,
            clock,
            url,
            cleanup: Cleanup::Postgres { admin_url, name },
        }))
    }

    /// The database's URL, for a second store on it (another process) or
    /// the `waakvlam` binary.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// A second, empty database on the same backend, with a clock of its own
    /// at the same moment: another installation (a municipality's beside a
    /// provider's) for tests of what passes between them.
    pub async fn another(&self) -> StoreResult<TestDb> {
        match self.cleanup {
            Cleanup::Sqlite(_) => TestDb::sqlite().await,
            Cleanup::Postgres { .. } => TestDb::postgres()
                .await?
                .ok_or_else(|| StoreError::Internal("PostgreSQL is no longer configured".into())),
        }
    }

    /// Closes the store and removes the database.
    pub async fn cleanup(self) -> StoreResult<()> {
        self.store.close().await?;
        match self.cleanup {
            Cleanup::Sqlite(dir) => drop(dir),
            Cleanup::Postgres { admin_url, name } => {
                let admin = Database::connect(admin_url.as_str()).await?;
                admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .await?;
                admin.close().await?;
            }
        }
        Ok(())
    }
}

/// `postgres://u@h:5432/postgres?x=y` with another database name.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let authority_start = base.find("://").map(|i| i + 3).unwrap_or(0);
    let root = match base[authority_start..].find('/') {
        Some(slash) => &base[..authority_start + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{root}/{name}?{q}"),
        None => format!("{root}/{name}"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn replaces_the_database_name() {
        assert_eq!(
            super::with_database("postgres://postgres@127.0.0.1:5432/postgres", "t1"),
            "postgres://postgres@127.0.0.1:5432/t1"
        );
        assert_eq!(
            super::with_database("postgres://u@h/db?sslmode=disable", "t2"),
            "postgres://u@h/t2?sslmode=disable"
        );
        assert_eq!(
            super::with_database("postgres://u@h", "t3"),
            "postgres://u@h/t3"
        );
    }
}
