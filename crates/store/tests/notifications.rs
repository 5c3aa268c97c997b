//! Notifications (issue 12), each test on SQLite and PostgreSQL: written in
//! the unit of work of their event, claimed by one worker only, retried
//! with backoff, bells escalated after working hours (not over the weekend),
//! and bells always at once whatever anyone chooses.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, TimeDelta, TimeZone, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use waakvlam_domain::notification::{Delivery, EventKind, MAX_ATTEMPTS};
use waakvlam_domain::role::Role;
use waakvlam_store::accounts::Account;
use waakvlam_store::entity::notification as row;
use waakvlam_store::notifications::{self, state};
use waakvlam_store::portal::{bell, message};
use waakvlam_store::{Actor, NotificationId, ResidentId, Store, StoreError, care_record, read};
use waakvlam_testkit::{self as kit, Member, db_test, person};

struct World {
    pro_a: Account,
    pro_b: Account,
    lead_a: Account,
    resident_a: ResidentId,
    jan: Account,
    piet: Account,
}

async fn world(store: &Store) -> World {
    let w = kit::World::new()
        .provider("75751001", "Provider A")
        .team("Team A")
        .provider("75752002", "Provider B")
        .team("Team B")
        .account("a@a.nl", Role::Professional, Member::team("Team A"))
        .account("b@b.nl", Role::Professional, Member::team("Team B"))
        .account("lead@a.nl", Role::TeamLead, Member::team("Team A"))
        .resident(person("111222333").given_names("Jan"))
        .resident(person("999996708").given_names("Piet"))
        .waakvlam("111222333", "Team A", Some("a@a.nl"))
        .waakvlam("999996708", "Team B", Some("b@b.nl"))
        .account(
            "jan@example.nl",
            Role::Resident,
            Member::resident("111222333"),
        )
        .account(
            "piet@example.nl",
            Role::Resident,
            Member::resident("999996708"),
        )
        .create(store)
        .await;
    World {
        pro_a: w.account("a@a.nl"),
        pro_b: w.account("b@b.nl"),
        lead_a: w.account("lead@a.nl"),
        resident_a: ResidentId::new(w.resident("111222333")),
        jan: w.account("jan@example.nl"),
        piet: w.account("piet@example.nl"),
    }
}

async fn actor(store: &Store, a: &Account) -> Actor {
    store
        .read(&Actor::system("test"), async |cx| {
            a.actor(cx, Some("192.0.2.20".into())).await
        })
        .await
        .unwrap()
}

/// The outbox rows of one account and kind.
async fn rows(store: &Store, account: &Account, kind: EventKind) -> Vec<row::Model> {
    row::Entity::find()
        .filter(row::Column::AccountId.eq(account.id))
        .filter(row::Column::Kind.eq(kind.as_str()))
        .all(store.conn())
        .await
        .unwrap()
}

fn worker() -> Actor {
    Actor::system("waakvlam notify")
}

async fn claim(store: &Store, name: &str, limit: u64) -> Vec<notifications::Claimed> {
    let name = name.to_owned();
    store
        .write(&worker(), async |cx| {
            notifications::claim(cx, &name, limit).await
        })
        .await
        .unwrap()
}

async fn ring(store: &Store, resident: &Actor, text: &str) {
    store
        .write(resident, async |cx| bell::ring(cx, Some(text.into())).await)
        .await
        .unwrap();
}

/// A local (Amsterdam) moment.
fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    chrono_tz::Europe::Amsterdam
        .from_local_datetime(
            &NaiveDate::from_ymd_opt(y, m, d)
                .unwrap()
                .and_hms_opt(h, min, 0)
                .unwrap(),
        )
        .unwrap()
        .with_timezone(&Utc)
}

db_test! {
    async fn an_event_and_its_notification_are_one_unit_of_work(db) {
        let w = world(&db.store).await;
        let jan = actor(&db.store, &w.jan).await;
        ring(&db.store, &jan, "Ik heb geen eten meer").await;
        let bells = rows(&db.store, &w.pro_a, EventKind::BellRung).await;
        assert_eq!(bells.len(), 1, "{bells:?}");
        assert_eq!(bells[0].link, format!("/clients/{}", w.resident_a));
        assert_eq!((bells[0].state.as_str(), bells[0].delivery.as_str()), (state::PENDING, "at_once"));
        // The row holds the kind and a link, nothing the resident wrote.
        assert!(!format!("{:?}", bells[0]).contains("eten"));
        // An open bell rung again is the same bell: no second notification.
        ring(&db.store, &jan, "Nog steeds").await;
        assert_eq!(rows(&db.store, &w.pro_a, EventKind::BellRung).await.len(), 1);

        // A bell whose unit of work is rolled back leaves no notification.
        let piet = actor(&db.store, &w.piet).await;
        let failed = db
            .store
            .write(&piet, async |cx| {
                bell::ring(cx, None).await?;
                Err::<(), _>(StoreError::Internal("rolled back".into()))
            })
            .await;
        assert!(failed.is_err());
        assert!(rows(&db.store, &w.pro_b, EventKind::BellRung).await.is_empty());

        // A resident's message tells their professional; the professional's own does not.
        db.store
            .write(&jan, async |cx| message::send(cx, w.resident_a, "Kun je bellen?".into()).await)
            .await
            .unwrap();
        let pro = actor(&db.store, &w.pro_a).await;
        db.store
            .write(&pro, async |cx| message::send(cx, w.resident_a, "Ja, morgen".into()).await)
            .await
            .unwrap();
        assert_eq!(rows(&db.store, &w.pro_a, EventKind::ResidentMessage).await.len(), 1);

        // The professional sees them in the app, newest first, and marks one read.
        let list = db.store.read(&pro, async |cx| notifications::list(cx).await).await.unwrap();
        assert_eq!(list[0].kind, EventKind::ResidentMessage);
        let link = db
            .store
            .write(&pro, async |cx| notifications::mark_read(cx, list[0].id).await)
            .await
            .unwrap();
        assert_eq!(link, format!("/clients/{}", w.resident_a));
        // Someone else's notification is not found (and the attempt logged).
        let other = actor(&db.store, &w.pro_b).await;
        assert!(matches!(
            db.store.write(&other, async |cx| notifications::mark_read(cx, list[1].id).await).await,
            Err(StoreError::NotFound { .. })
        ));
    }
}

db_test! {
    async fn two_workers_never_claim_the_same_notification(db) {
        let w = world(&db.store).await;
        let pro = w.pro_a.id;
        db.store
            .write(&Actor::system("test"), async |cx| {
                for i in 0..30 {
                    notifications::enqueue(cx, pro, EventKind::HandOver, &format!("/clients/{i}")).await?;
                }
                Ok(())
            })
            .await
            .unwrap();
        let (a, b) = tokio::join!(claim(&db.store, "worker-a", 20), claim(&db.store, "worker-b", 20));
        let ids_a: BTreeSet<NotificationId> = a.iter().map(|c| c.id).collect();
        let ids_b: BTreeSet<NotificationId> = b.iter().map(|c| c.id).collect();
        assert!(ids_a.is_disjoint(&ids_b), "{ids_a:?} {ids_b:?}");
        let hand_overs = rows(&db.store, &w.pro_a, EventKind::HandOver).await.len();
        assert_eq!(hand_overs, 30);
        // Besides these, the world's new allocations are due.
        let due = row::Entity::find().all(db.store.conn()).await.unwrap().len();
        assert!(ids_a.len() + ids_b.len() >= 20, "{} + {}", ids_a.len(), ids_b.len());
        assert!(ids_a.len() + ids_b.len() <= due);
        assert!(a.iter().chain(&b).filter(|c| c.kind == EventKind::HandOver).all(|c| c.email == "a@a.nl"));
        // While the lease holds, nobody else takes them.
        let rest = claim(&db.store, "worker-c", 100).await;
        assert!(rest.iter().all(|c| !ids_a.contains(&c.id) && !ids_b.contains(&c.id)));
        // Marked sent by their holder only: another worker's mark does nothing.
        let a_ids: Vec<_> = ids_a.iter().copied().collect();
        let wrong = db
            .store
            .write(&worker(), async |cx| notifications::mark_sent(cx, "worker-b", &a_ids).await)
            .await
            .unwrap();
        assert_eq!(wrong, 0);
        let sent = db
            .store
            .write(&worker(), async |cx| notifications::mark_sent(cx, "worker-a", &a_ids).await)
            .await
            .unwrap();
        assert_eq!(sent as usize, a_ids.len());
        // After the lease the unsent rows come back; the sent ones never do.
        db.clock.advance(notifications::LEASE + TimeDelta::seconds(1));
        let again = claim(&db.store, "worker-d", 100).await;
        assert!(again.iter().all(|c| !ids_a.contains(&c.id)));
        assert_eq!(again.len(), due - a_ids.len());
    }
}

db_test! {
    async fn a_failed_mail_is_retried_later_and_given_up_in_the_end(db) {
        let w = world(&db.store).await;
        let pro = w.pro_a.id;
        let id = db
            .store
            .write(&Actor::system("test"), async |cx| {
                notifications::enqueue(cx, pro, EventKind::RequestDecided, "/clients/1").await
            })
            .await
            .unwrap()
            .unwrap();
        let mut given_up = false;
        for attempt in 1..=MAX_ATTEMPTS {
            let claimed = claim(&db.store, "w", 100).await;
            assert!(claimed.iter().any(|c| c.id == id), "attempt {attempt}");
            given_up = db
                .store
                .write(&worker(), async |cx| {
                    notifications::mark_failed(cx, "w", id, "451 try again later").await
                })
                .await
                .unwrap();
            let r = row::Entity::find_by_id(id.get()).one(db.store.conn()).await.unwrap().unwrap();
            assert_eq!(r.attempts as u32, attempt);
            assert_eq!(r.last_error.as_deref(), Some("451 try again later"));
            if given_up {
                assert_eq!(r.state, state::FAILED);
                break;
            }
            // Not before its backoff: one minute, then two, four, …
            let delay = waakvlam_domain::notification::retry_delay(attempt);
            assert_eq!(r.next_attempt_at, waakvlam_store::millis(db.store.now() + delay));
            assert!(claim(&db.store, "w", 100).await.iter().all(|c| c.id != id));
            db.clock.advance(delay);
        }
        assert!(given_up);
        db.clock.advance(TimeDelta::days(1));
        assert!(claim(&db.store, "w", 100).await.iter().all(|c| c.id != id));
    }
}

db_test! {
    async fn a_bell_rung_on_friday_afternoon_escalates_on_monday_once(db) {
        let w = world(&db.store).await;
        // Friday 13 March 2026, 16:00 in Amsterdam; four working hours allowed (the default).
        db.clock.set(local(2026, 3, 13, 16, 0));
        let jan = actor(&db.store, &w.jan).await;
        ring(&db.store, &jan, "Help").await;
        let escalate = async || {
            db.store
                .write(&worker(), async |cx| notifications::escalate_due(cx).await)
                .await
                .unwrap()
        };
        for (d, h, m) in [(13, 16, 59), (14, 12, 0), (15, 20, 0), (16, 11, 59)] {
            db.clock.set(local(2026, 3, d, h, m));
            assert_eq!(escalate().await, 0, "{d} {h}:{m}");
        }
        assert!(rows(&db.store, &w.lead_a, EventKind::BellEscalated).await.is_empty());
        // Monday 12:00: one hour on Friday and three on Monday.
        db.clock.set(local(2026, 3, 16, 12, 0));
        assert_eq!(escalate().await, 1);
        let escalated = rows(&db.store, &w.lead_a, EventKind::BellEscalated).await;
        assert_eq!(escalated.len(), 1);
        assert_eq!(escalated[0].link, format!("/clients/{}", w.resident_a));
        // Exactly once per bell, however many passes run.
        db.clock.set(local(2026, 3, 17, 12, 0));
        assert_eq!(escalate().await, 0);
        assert_eq!(rows(&db.store, &w.lead_a, EventKind::BellEscalated).await.len(), 1);

        // The resident sees on /me that the bell was seen, and when.
        let me = db.store.read(&jan, async |cx| read::portal_me::page(cx, db.store.clock().today()).await).await.unwrap();
        assert_eq!(me.bell.as_ref().unwrap().seen_at, None);
        let bell_id = {
            use waakvlam_store::entity::bell as b;
            let found = b::Entity::find().filter(b::Column::ResidentId.eq(w.resident_a)).one(db.store.conn()).await.unwrap().unwrap();
            waakvlam_store::BellId::new(found.id)
        };
        let pro = actor(&db.store, &w.pro_a).await;
        db.store
            .write(&pro, async |cx| care_record::acknowledge_bell(cx, w.resident_a, bell_id).await)
            .await
            .unwrap();
        let me = db.store.read(&jan, async |cx| read::portal_me::page(cx, db.store.clock().today()).await).await.unwrap();
        assert_eq!(me.bell.unwrap().seen_at, Some(local(2026, 3, 17, 12, 0)));
    }
}

db_test! {
    async fn bells_always_notify_at_once_other_kinds_as_chosen(db) {
        let w = world(&db.store).await;
        let pro = actor(&db.store, &w.pro_a).await;
        let refused = db
            .store
            .write(&pro, async |cx| {
                notifications::set_preferences(cx, &[
                    (EventKind::BellRung, Delivery::DailySummary),
                    (EventKind::BellEscalated, Delivery::InAppOnly),
                    (EventKind::ResidentMessage, Delivery::InAppOnly),
                ]).await
            })
            .await;
        let Err(StoreError::Invalid(r)) = refused else { panic!("{refused:?}") };
        let fields: Vec<_> = r.iter().map(|r| (r.field.as_str(), r.reason.id)).collect();
        assert_eq!(fields, [("bell_rung", "notify-bell-at-once"), ("bell_escalated", "notify-bell-at-once")]);
        // Nothing was saved.
        let chosen = db.store.read(&pro, async |cx| notifications::preferences(cx).await).await.unwrap();
        assert!(chosen.iter().all(|(_, d)| *d == Delivery::AtOnce), "{chosen:?}");

        db.store
            .write(&pro, async |cx| {
                notifications::set_preferences(cx, &[
                    (EventKind::BellRung, Delivery::AtOnce),
                    (EventKind::ResidentMessage, Delivery::InAppOnly),
                    (EventKind::NewAllocation, Delivery::DailySummary),
                    (EventKind::HandOver, Delivery::DailySummary),
                ]).await
            })
            .await
            .unwrap();
        let chosen = db.store.read(&pro, async |cx| notifications::preferences(cx).await).await.unwrap();
        assert!(chosen.contains(&(EventKind::ResidentMessage, Delivery::InAppOnly)));

        // A message now stays in the app; a hand-over waits for the morning summary.
        let jan = actor(&db.store, &w.jan).await;
        db.store
            .write(&jan, async |cx| message::send(cx, w.resident_a, "Hallo".into()).await)
            .await
            .unwrap();
        let me = w.pro_a.id;
        db.store
            .write(&Actor::system("test"), async |cx| {
                notifications::enqueue(cx, me, EventKind::HandOver, "/clients/1").await
            })
            .await
            .unwrap();
        let msg = rows(&db.store, &w.pro_a, EventKind::ResidentMessage).await;
        assert_eq!(msg[0].state, state::IN_APP);
        let claimed = claim(&db.store, "w", 100).await;
        assert!(claimed.iter().all(|c| c.kind != EventKind::ResidentMessage && c.kind != EventKind::HandOver), "{claimed:?}");
        // The test day starts 09:00 UTC (10:00 in Amsterdam): the summary goes out at 08:00 tomorrow.
        db.clock.set(local(2026, 3, 11, 8, 0));
        let claimed = claim(&db.store, "w", 100).await;
        let hand_over = claimed.iter().find(|c| c.kind == EventKind::HandOver).unwrap();
        assert_eq!(hand_over.delivery, Delivery::DailySummary);
        // A bell still reaches them at once.
        ring(&db.store, &jan, "Help").await;
        let claimed = claim(&db.store, "w2", 100).await;
        assert!(claimed.iter().any(|c| c.kind == EventKind::BellRung && c.delivery == Delivery::AtOnce));
    }
}
