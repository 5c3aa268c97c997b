//! Operations: retention (access log, sessions, throttle rows, activation
//! codes) and the figures behind `/metrics`, each test on SQLite and on
//! PostgreSQL (`db_test!`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::TimeDelta;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use waakvlam_domain::access::AccessAction;
use waakvlam_domain::role::Role;
use waakvlam_store::entity::{access_log, activation_code, login_throttle, session};
use waakvlam_store::retention::{self, RetentionPolicy};
use waakvlam_store::sessions::{self, SessionPolicy};
use waakvlam_store::throttle::{self, ThrottlePolicy};
use waakvlam_store::{Actor, ResidentId, Store, access, metrics, millis, read};
use waakvlam_testkit::{self as kit, db_test, member, system};

/// Notes one read of the resident's file by `actor`, tagged so the test can
/// find it again.
async fn look(store: &Store, actor: &Actor, resident: i64, tag: &str) {
    store
        .write(actor, async |cx| {
            cx.log(
                AccessAction::Read,
                Some(ResidentId::new(resident)),
                format!("resident:{resident}:{tag}"),
            );
            Ok(())
        })
        .await
        .unwrap();
}

async fn verify(store: &Store, head: Option<&str>) -> access::Verification {
    store
        .read(&system(), async |cx| access::verify(cx, head).await)
        .await
        .unwrap()
}

db_test! {
    async fn the_access_log_is_purged_only_past_its_retention(db) {
        let store = &db.store;
        let rid = kit::resident(store, "123456782", "0664").await;
        let own = kit::account(store, "jan@example.nl", Role::Resident, member::resident(rid)).await;
        let admin = kit::account(store, "beheer@example.nl", Role::Admin, Default::default()).await;
        let admin_actor = store.read(&system(), async |cx| admin.actor(cx, None).await).await.unwrap();
        let own_actor = store.read(&system(), async |cx| own.actor(cx, None).await).await.unwrap();

        look(store, &admin_actor, rid, "old").await;
        db.clock.advance(TimeDelta::days(3 * 365));
        look(store, &admin_actor, rid, "mid").await;
        db.clock.advance(TimeDelta::days(2 * 365 + 10));
        look(store, &admin_actor, rid, "new").await;
        let before = store.read(&system(), async |cx| access::head(cx).await).await.unwrap();

        let purged = retention::run(store, &RetentionPolicy::default()).await.unwrap();
        assert!(purged.access_log >= 1, "{purged:?}");

        // What the resident still sees of their log, in full: everything
        // within the retention, nothing before it.
        let seen = store.read(&own_actor, async |cx| read::portal_log::download(cx).await).await.unwrap();
        let tags: Vec<&str> = seen.iter().filter_map(|e| e.objects.rsplit(':').next()).collect();
        assert!(tags.contains(&"mid") && tags.contains(&"new"), "{tags:?}");
        assert!(!tags.contains(&"old"), "{tags:?}");
        let cutoff = millis(store.now() - RetentionPolicy::default().access_log);
        let oldest = access_log::Entity::find().all(store.conn()).await.unwrap();
        assert!(oldest.iter().any(|e| e.objects.ends_with(":mid")));
        // The unbroken run from the start that went was all past the cutoff:
        // the oldest entry left is within it or follows one that is.
        assert!(oldest.iter().any(|e| e.occurred_at >= cutoff));

        // The chain still verifies, also against a head exported before the
        // purge, and the purge is in it.
        let checked = verify(store, Some(&before.hash)).await;
        assert_eq!(checked.problem, None, "{checked:?}");
        let head = store.read(&system(), async |cx| access::head(cx).await).await.unwrap();
        assert_eq!(head.entries, checked.entries);
        assert!(oldest.iter().any(|e| e.action == "delete" && e.objects.starts_with("access_log:before:")));

        // Nothing left to purge the second time.
        let again = retention::run(store, &RetentionPolicy::default()).await.unwrap();
        assert_eq!(again.access_log, 0);

        // Any other removal from the start is still noticed.
        let first = oldest.iter().map(|e| e.id).min().unwrap();
        access_log::Entity::delete_many().filter(access_log::Column::Id.eq(first)).exec(store.conn()).await.unwrap();
        let tampered = verify(store, None).await;
        assert!(matches!(tampered.problem, Some(access::ChainProblem::Broken { .. })), "{tampered:?}");
    }
}

db_test! {
    async fn a_short_retention_keeps_what_is_younger(db) {
        let store = &db.store;
        let rid = kit::resident(store, "123456782", "0664").await;
        let admin = kit::account(store, "beheer@example.nl", Role::Admin, Default::default()).await;
        let admin_actor = store.read(&system(), async |cx| admin.actor(cx, None).await).await.unwrap();
        look(store, &admin_actor, rid, "a").await;
        db.clock.advance(TimeDelta::days(40));
        look(store, &admin_actor, rid, "b").await;
        let policy = RetentionPolicy { access_log: TimeDelta::days(30), ..RetentionPolicy::default() };
        // The purge itself is only for the system.
        let refused = store.write(&admin_actor, async |cx| retention::purge_access_log(cx, policy.access_log).await).await;
        assert!(refused.is_err());
        let purged = retention::run(store, &policy).await.unwrap();
        assert!(purged.access_log >= 1);
        let left = access_log::Entity::find().all(store.conn()).await.unwrap();
        assert!(!left.iter().any(|e| e.objects.ends_with(":a")));
        assert!(left.iter().any(|e| e.objects.ends_with(":b")));
        assert_eq!(verify(store, None).await.problem, None);
    }
}

db_test! {
    async fn spent_sessions_throttle_rows_and_activation_codes_are_purged(db) {
        let store = &db.store;
        let sys = system();
        let account = kit::account(store, "pro@example.nl", Role::Admin, Default::default()).await;
        let policy = SessionPolicy::default();
        store.write(&sys, async |cx| sessions::create(cx, policy, account.id, None).await).await.unwrap();
        let key = throttle::email_key("someone@example.nl");
        store.write(&sys, async |cx| throttle::attempt(cx, ThrottlePolicy::default(), &key).await).await.unwrap();
        let now = millis(store.now());
        for (used, expires) in [(Some(now), now + 1_000_000_000), (None, now + 60_000), (None, now + 1_000_000_000)] {
            activation_code::ActiveModel {
                account_id: Set(account.id.into()),
                code_hash: Set(format!("hash-{used:?}-{expires}")),
                created_by: Set(None),
                created_at: Set(now),
                expires_at: Set(expires),
                used_at: Set(used),
                ..Default::default()
            }
            .insert(store.conn())
            .await
            .unwrap();
        }

        // Nothing is spent yet but the used code.
        let first = retention::run(store, &RetentionPolicy::default()).await.unwrap();
        assert_eq!((first.sessions, first.throttle, first.activation_codes), (0, 0, 1));

        // Two hours on: the session is idle too long, the throttle window and
        // the short code have passed. A new session and a new attempt stay.
        db.clock.advance(TimeDelta::hours(2));
        store.write(&sys, async |cx| sessions::create(cx, policy, account.id, None).await).await.unwrap();
        let fresh = throttle::email_key("other@example.nl");
        store.write(&sys, async |cx| throttle::attempt(cx, ThrottlePolicy::default(), &fresh).await).await.unwrap();
        let second = retention::run(store, &RetentionPolicy::default()).await.unwrap();
        assert_eq!((second.sessions, second.throttle, second.activation_codes), (1, 1, 1));
        assert_eq!(session::Entity::find().all(store.conn()).await.unwrap().len(), 1);
        let keys: Vec<String> = login_throttle::Entity::find().all(store.conn()).await.unwrap().into_iter().map(|r| r.key).collect();
        assert_eq!(keys, vec![fresh]);
        let codes = activation_code::Entity::find().all(store.conn()).await.unwrap();
        assert_eq!(codes.len(), 1);
        assert!(codes[0].used_at.is_none() && codes[0].expires_at > millis(store.now()));
    }
}

db_test! {
    async fn metrics_count_the_outbox_pool_and_log_writes(db) {
        let store = &db.store;
        let backlog = store.read(&system(), async |cx| metrics::backlog(cx).await).await.unwrap();
        assert_eq!(backlog, metrics::Backlog::default());
        let pool = store.pool_status();
        assert!(pool.max >= 1 && pool.open >= pool.idle, "{pool:?}");
        assert!(store.ready().await.unwrap());
        let writes = store.access_log_writes().count();
        let rid = kit::resident(store, "123456782", "0664").await;
        look(store, &system(), rid, "x").await;
        assert!(store.access_log_writes().count() > writes);
    }
}

/// `/readyz`: a database that answers but is not migrated is not ready.
#[tokio::test]
async fn an_unmigrated_database_is_not_ready() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("r.db").display());
    let clock = std::sync::Arc::new(waakvlam_domain::clock::FixedClock::new(kit::test_epoch()));
    let store = Store::connect(&url, clock.clone()).await.unwrap();
    assert!(!store.ready().await.unwrap());
    store.migrate().await.unwrap();
    assert!(store.ready().await.unwrap());
}

db_test! {
    async fn concurrent_page_views_are_each_logged_durably_in_one_chain(db) {
        let store = &db.store;
        let rid = kit::resident(store, "123456782", "0664").await;
        let admin = kit::account(store, "beheer@example.nl", Role::Admin, Default::default()).await;
        let actor = store.read(&system(), async |cx| admin.actor(cx, None).await).await.unwrap();
        let before = store.read(&system(), async |cx| access::head(cx).await).await.unwrap();
        let batches_before = store.access_log_writes().count();

        // Fifty page views at once, each reading and noting its entry; a view
        // answers only once its entry is committed.
        let views: Vec<_> = (0..50).map(|n| {
            let (store, actor) = (store.clone(), actor.clone());
            tokio::spawn(async move {
                store
                    .read(&actor, async |cx| {
                        let seen = access::count(cx).await?;
                        cx.log(AccessAction::Read, Some(ResidentId::new(rid)), format!("resident:{rid}:view{n}"));
                        Ok(seen)
                    })
                    .await
            })
        }).collect();
        for view in views {
            view.await.unwrap().unwrap();
        }

        // Every view is in the log once, and the chain holds.
        let rows = access_log::Entity::find().all(store.conn()).await.unwrap();
        for n in 0..50 {
            let tag = format!("resident:{rid}:view{n}");
            assert_eq!(rows.iter().filter(|e| e.objects == tag).count(), 1, "{tag}");
        }
        let checked = verify(store, Some(&before.hash)).await;
        assert_eq!(checked.problem, None, "{checked:?}");
        let head = store.read(&system(), async |cx| access::head(cx).await).await.unwrap();
        assert_eq!(head.entries, before.entries + 50);
        assert_eq!(head.entries, checked.entries);
        // Committed in batches: never more commits than views.
        let batches = store.access_log_writes().count() - batches_before;
        assert!((1..=50).contains(&batches), "{batches} commits");
    }
}

db_test! {
    async fn a_read_shows_nothing_when_its_entry_cannot_be_written(db) {
        use waakvlam_store::entity::access_chain_head;
        let store = &db.store;
        let rid = kit::resident(store, "123456782", "0664").await;
        let admin = kit::account(store, "beheer@example.nl", Role::Admin, Default::default()).await;
        let actor = store.read(&system(), async |cx| admin.actor(cx, None).await).await.unwrap();
        let count = access_log::Entity::find().all(store.conn()).await.unwrap().len();

        // Without the chain's head no entry can be appended.
        let head = access_chain_head::Entity::find_by_id(1).one(store.conn()).await.unwrap().unwrap();
        access_chain_head::Entity::delete_by_id(1).exec(store.conn()).await.unwrap();
        let read = async || {
            store
                .read(&actor, async |cx| {
                    cx.log(AccessAction::Read, Some(ResidentId::new(rid)), format!("resident:{rid}"));
                    Ok("the file")
                })
                .await
        };
        let refused = read().await;
        assert!(refused.is_err(), "{refused:?}");
        // Several at once all get the error.
        let (a, b) = tokio::join!(read(), read());
        assert!(a.is_err() && b.is_err());
        // A read that logs nothing is not held up.
        let quiet = store.read(&actor, async |_| Ok(1)).await;
        assert_eq!(quiet.unwrap(), 1);
        assert_eq!(access_log::Entity::find().all(store.conn()).await.unwrap().len(), count);

        // Once the log can be written again, so is the next view's entry.
        access_chain_head::ActiveModel::from(head).insert(store.conn()).await.unwrap();
        assert_eq!(read().await.unwrap(), "the file");
        assert_eq!(access_log::Entity::find().all(store.conn()).await.unwrap().len(), count + 1);
        assert_eq!(verify(store, None).await.problem, None);
    }
}

db_test! {
    async fn a_session_seen_again_is_kept_alive_through_the_group_commit(db) {
        let store = &db.store;
        let account = kit::account(store, "pro@example.nl", Role::Admin, Default::default()).await;
        let policy = SessionPolicy::default();
        let (token, _) = store
            .write(&system(), async |cx| sessions::create(cx, policy, account.id, None).await)
            .await
            .unwrap();
        let look_up = async || {
            store.read(&system(), async |cx| sessions::look_up(cx, policy, &token).await).await.unwrap()
        };
        // Within the step nothing needs writing.
        db.clock.advance(TimeDelta::seconds(5));
        assert!(matches!(look_up().await, sessions::Lookup::Live { touch: false, .. }));

        // Twenty minutes on it is seen again; the touch goes with the next
        // group commit, here that of a page view's entry.
        db.clock.advance(TimeDelta::minutes(20));
        assert!(matches!(look_up().await, sessions::Lookup::Live { touch: true, .. }));
        sessions::touch_later(store, &token, store.now());
        let admin = store.read(&system(), async |cx| account.actor(cx, None).await).await.unwrap();
        store
            .read(&admin, async |cx| {
                cx.log(AccessAction::Read, None, "admin");
                Ok(())
            })
            .await
            .unwrap();
        let row = session::Entity::find().one(store.conn()).await.unwrap().unwrap();
        assert_eq!(row.last_seen_at, millis(store.now()));

        // So 45 minutes after logging in, 25 after that request, it is live.
        db.clock.advance(TimeDelta::minutes(20));
        assert!(matches!(look_up().await, sessions::Lookup::Live { .. }));
        // And 31 minutes idle ends it.
        db.clock.advance(TimeDelta::minutes(11));
        assert!(matches!(look_up().await, sessions::Lookup::Ended));
    }
}

// ---------------------------------------------------------------------------
// Several processes on one database: periodic jobs and migrations run once.
// ---------------------------------------------------------------------------

/// A store for "another process" on the same database: on PostgreSQL a
/// second connection pool (its own advisory locks); SQLite serves one
/// process, so there the same store.
async fn other_process(db: &kit::TestDb) -> Store {
    match db.store.backend() {
        waakvlam_store::Backend::Postgres => {
            Store::connect(db.url(), db.clock.clone()).await.unwrap()
        }
        waakvlam_store::Backend::Sqlite => db.store.clone(),
    }
}

/// A job's work that takes a moment, counting its runs.
async fn slow_work(runs: &std::sync::atomic::AtomicUsize) -> waakvlam_store::StoreResult<u32> {
    runs.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    Ok(7)
}

db_test! {
    async fn a_periodic_job_runs_once_when_two_runs_meet(db) {
        use waakvlam_store::jobs::Job;
        let a = db.store.clone();
        let b = other_process(db).await;
        let runs = std::sync::atomic::AtomicUsize::new(0);
        let (first, second) = tokio::join!(
            a.exclusively(Job::Retention, None, async || slow_work(&runs).await),
            b.exclusively(Job::Retention, None, async || slow_work(&runs).await),
        );
        let (first, second) = (first.unwrap(), second.unwrap());
        assert_eq!(runs.load(std::sync::atomic::Ordering::SeqCst), 1);
        assert_eq!(
            [first, second].into_iter().flatten().collect::<Vec<_>>(),
            vec![7],
            "one ran, the other skipped"
        );
        // Another job is not held up by it.
        let (retention, escalation) = tokio::join!(
            a.exclusively(Job::Retention, None, async || slow_work(&runs).await),
            b.exclusively(Job::Escalation, None, async || slow_work(&runs).await),
        );
        assert_eq!(retention.unwrap(), Some(7));
        assert_eq!(escalation.unwrap(), Some(7));
        // The lock is let go after a run: the next run goes ahead.
        assert_eq!(
            b.exclusively(Job::Retention, None, async || slow_work(&runs).await)
                .await
                .unwrap(),
            Some(7)
        );
        let counted: Vec<(Job, i64)> = a
            .job_runs()
            .await
            .unwrap()
            .into_iter()
            .map(|(job, n, _)| (job, n))
            .collect();
        assert_eq!(counted, vec![(Job::Retention, 3), (Job::Escalation, 1)]);
        // A failed run is not counted and does not keep the lock.
        let failed = a
            .exclusively(Job::Escalation, None, async || -> waakvlam_store::StoreResult<()> {
                Err(waakvlam_store::StoreError::Internal("boom".into()))
            })
            .await;
        assert!(failed.is_err());
        assert_eq!(
            b.exclusively(Job::Escalation, None, async || slow_work(&runs).await)
                .await
                .unwrap(),
            Some(7)
        );
        assert_eq!(a.job_runs().await.unwrap()[1].1, 2);
    }
}

db_test! {
    async fn a_periodic_job_runs_once_per_round_among_processes(db) {
        use waakvlam_store::jobs::Job;
        let round = Some(std::time::Duration::from_secs(600));
        let a = db.store.clone();
        let b = other_process(db).await;
        let runs = std::sync::atomic::AtomicUsize::new(0);
        assert_eq!(
            a.exclusively(Job::Retention, round, async || slow_work(&runs).await)
                .await
                .unwrap(),
            Some(7)
        );
        // The other process's tick a minute later: this round ran already.
        db.clock.advance(TimeDelta::minutes(1));
        assert_eq!(
            b.exclusively(Job::Retention, round, async || slow_work(&runs).await)
                .await
                .unwrap(),
            None
        );
        // Without a round (`waakvlam notify run` by hand) it runs.
        assert!(
            b.exclusively(Job::Retention, None, async || slow_work(&runs).await)
                .await
                .unwrap()
                .is_some()
        );
        // Half a round after the last run, the next round is due.
        db.clock.advance(TimeDelta::minutes(5));
        assert_eq!(
            b.exclusively(Job::Retention, round, async || slow_work(&runs).await)
                .await
                .unwrap(),
            Some(7)
        );
        let [(job, count, last)] = a.job_runs().await.unwrap()[..] else {
            panic!("one job ran");
        };
        assert_eq!((job, count), (Job::Retention, 3));
        assert_eq!(last, waakvlam_domain::clock::Clock::now(db.clock.as_ref()));
    }
}

/// Two processes starting together on an empty PostgreSQL database: both
/// migrate at once; one does the work under the advisory lock, the other
/// waits and finds nothing to do.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_migrating_an_empty_postgres_database_together_both_succeed() {
    let Some(db) = kit::TestDb::postgres_empty().await.unwrap() else {
        return;
    };
    let other = Store::connect(db.url(), db.clock.clone()).await.unwrap();
    let (a, b) = tokio::join!(db.store.migrate(), other.migrate());
    a.unwrap();
    b.unwrap();
    use sea_orm::ConnectionTrait;
    let row = db
        .store
        .conn()
        .query_one_raw(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Postgres,
            "SELECT count(*) AS n, count(DISTINCT version) AS d FROM seaql_migrations",
        ))
        .await
        .unwrap()
        .unwrap();
    let (n, d): (i64, i64) = (row.try_get("", "n").unwrap(), row.try_get("", "d").unwrap());
    assert_eq!((n, d), (Store::migration_names().len() as i64, n));
    assert!(db.store.ready().await.unwrap());
    assert!(other.ready().await.unwrap());
    // The reference data once, the access log's chain whole.
    let verified = verify(&db.store, None).await;
    assert!(verified.problem.is_none(), "{:?}", verified.problem);
    other.close().await.unwrap();
    db.cleanup().await.unwrap();
}
