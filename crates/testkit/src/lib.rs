//! Waakvlam's shared test support, used by every crate's tests and benches
//! and never by a binary (it is only ever a dev-dependency):
//!
//! - [`TestDb`]: a fresh, migrated database per test, on SQLite or on a
//!   PostgreSQL database of its own, with a [`FixedClock`](waakvlam_domain::clock::FixedClock)
//!   at [`test_epoch`];
//! - [`db_test!`]: one async test body run as `<name>::sqlite` and
//!   `<name>::postgres`;
//! - [`World`]: a fluent builder for the organisations, accounts, residents
//!   and indications tests start from, with the smaller pieces it is made of
//!   ([`account`], [`person`], [`resident`], [`indication`], [`member`]).

// Test support: a failing fixture is a failing test, so unwrapping and
// panicking with a message is the right response here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod db;
mod fixtures;
mod world;

pub use db::{TestDb, test_epoch, with_database};
pub use fixtures::{
    Indication, PASSWORD, Person, access_count, access_latest, account, at, d, indication, member,
    person, resident, system,
};
pub use world::{Fixtures, Member, World};

/// Runs one async test body on both backends: `name::sqlite` and
/// `name::postgres`. The body receives a [`&TestDb`](TestDb). The calling
/// crate needs `tokio` (with `macros`) among its (dev-)dependencies.
///
/// Without `WAAKVLAM_TEST_POSTGRES_URL` the PostgreSQL test passes without
/// running, unless `WAAKVLAM_TEST_REQUIRE_POSTGRES` is set (as CI does).
#[macro_export]
macro_rules! db_test {
    ($(#[$meta:meta])* async fn $name:ident($db:ident) $body:block) => {
        $(#[$meta])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn run($db: &$crate::TestDb) $body

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let db = $crate::TestDb::sqlite().await.expect("sqlite test database");
                run(&db).await;
                db.cleanup().await.expect("cleanup");
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some(db) = $crate::TestDb::postgres().await.expect("postgres test database") else {
                    return;
                };
                run(&db).await;
                db.cleanup().await.expect("cleanup");
            }
        }
    };
}
