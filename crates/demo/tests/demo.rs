//! The demo region: deterministic for a seed, on either backend, and the six
//! demo logins connected to each other's data.

// Test helpers outside #[test] functions unwrap too: a failure is a test failure.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::NaiveDate;
use waakvlam_demo::{DEMO_PASSWORD, is_empty, seed};
use waakvlam_domain::role::Role;
use waakvlam_store::read::caseload;
use waakvlam_store::{Actor, Store, accounts, care_record, reports, residents};
use waakvlam_testkit::{TestDb, d};

/// The day the tests seed the demo for: fixed, so they never depend on the
/// calendar day they run on.
fn today() -> NaiveDate {
    d(2026, 11, 24)
}

/// What must be identical for two runs with the same seed.
async fn fingerprint(store: &Store) -> (Vec<String>, Vec<(String, u64)>) {
    let admin = store
        .read(&Actor::system("test"), async |cx| {
            accounts::by_email(cx, "admin@demo.waakvlam.nl").await
        })
        .await
        .unwrap()
        .unwrap();
    let actor = store
        .read(&Actor::system("test"), async |cx| {
            admin.actor(cx, None).await
        })
        .await
        .unwrap();
    let mut people: Vec<String> = store
        .read(&actor, async |cx| residents::search(cx, None, 10_000).await)
        .await
        .unwrap()
        .into_iter()
        .map(|r| {
            format!(
                "{} {} {} {}",
                r.bsn,
                r.formal_name(),
                r.birth_date,
                r.municipality_code
            )
        })
        .collect();
    people.sort();
    let mut counts = Vec::new();
    for year in 2019..=2026 {
        let report = store
            .read(&actor, async |cx| {
                reports::indications_per_municipality(cx, year, None, None).await
            })
            .await
            .unwrap();
        counts.extend(
            report
                .rows
                .into_iter()
                .map(|r| (format!("{year} {}", r.municipality), r.count)),
        );
    }
    (people, counts)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_seed_gives_the_same_region_on_every_backend() {
    let a = TestDb::sqlite().await.unwrap();
    assert!(is_empty(&a.store).await.unwrap());
    let summary = seed(&a.store, 42, today()).await.unwrap();
    assert!(!is_empty(&a.store).await.unwrap());
    assert!((290..=320).contains(&summary.residents), "{summary}");
    assert!(
        summary.indications > summary.residents,
        "pathways have several steps: {summary}"
    );
    let first = fingerprint(&a.store).await;
    assert_eq!(first.0.len(), summary.residents);
    // Indications every year of 2019–2026.
    for year in 2019..=2026 {
        assert!(
            first
                .1
                .iter()
                .any(|(k, n)| k.starts_with(&year.to_string()) && *n > 0),
            "no indications in {year}"
        );
    }

    let b = match TestDb::postgres().await.unwrap() {
        Some(pg) => pg,
        None => TestDb::sqlite().await.unwrap(),
    };
    let again = seed(&b.store, 42, today()).await.unwrap();
    assert_eq!(again.residents, summary.residents);
    assert_eq!(again.contacts, summary.contacts);
    assert_eq!(fingerprint(&b.store).await, first);

    let c = TestDb::sqlite().await.unwrap();
    seed(&c.store, 43, today()).await.unwrap();
    assert_ne!(
        fingerprint(&c.store).await.0,
        first.0,
        "another seed gives other residents"
    );
    for db in [a, b, c] {
        db.cleanup().await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_logins_share_one_resident() {
    let db = TestDb::sqlite().await.unwrap();
    let summary = seed(&db.store, 2021, today()).await.unwrap();
    let store = &db.store;
    for login in &summary.logins {
        assert_eq!(
            login.email,
            format!("{}@demo.waakvlam.nl", login.role.as_str())
        );
        let account = store
            .read(&Actor::system("test"), async |cx| {
                accounts::authenticate(cx, &login.email, DEMO_PASSWORD).await
            })
            .await
            .unwrap();
        assert_eq!(
            account.map(|a| a.role),
            Some(login.role),
            "{} can log in",
            login.email
        );
    }
    let get = |role: Role| {
        let email = format!("{}@demo.waakvlam.nl", role.as_str());
        async move {
            store
                .read(&Actor::system("test"), async |cx| {
                    accounts::by_email(cx, &email).await
                })
                .await
                .unwrap()
                .unwrap()
        }
    };
    let resident = get(Role::Resident).await;
    let resident_id = resident.resident_id.unwrap();
    let today = today();

    // On the professional's own caseload…
    let professional = get(Role::Professional).await;
    let actor = store
        .read(&Actor::system("test"), async |cx| {
            professional.actor(cx, None).await
        })
        .await
        .unwrap();
    let list = store
        .read(&actor, async |cx| caseload::current(cx, today).await)
        .await
        .unwrap();
    assert!(list.iter().any(
        |e| e.resident_id == resident_id && e.professional_account_id == Some(professional.id)
    ));
    assert!(list.len() >= 20, "a realistic caseload, got {}", list.len());
    // …in the team lead's team…
    let lead = get(Role::TeamLead).await;
    let actor = store
        .read(&Actor::system("test"), async |cx| {
            lead.actor(cx, None).await
        })
        .await
        .unwrap();
    assert!(
        store
            .read(&actor, async |cx| caseload::current(cx, today).await)
            .await
            .unwrap()
            .iter()
            .any(|e| e.resident_id == resident_id)
    );
    assert_eq!(lead.team_id, professional.team_id);
    // …and living in the consultant's municipality.
    let consultant = get(Role::Consultant).await;
    let actor = store
        .read(&Actor::system("test"), async |cx| {
            consultant.actor(cx, None).await
        })
        .await
        .unwrap();
    let r = store
        .read(&actor, async |cx| residents::get(cx, resident_id).await)
        .await
        .unwrap();
    assert_eq!(Some(r.municipality_code), consultant.municipality_code);
    // The resident sees their contact person: the demo professional.
    let actor = store
        .read(&Actor::system("test"), async |cx| {
            resident.actor(cx, None).await
        })
        .await
        .unwrap();
    let contact = store
        .read(&actor, async |cx| {
            care_record::contact_person(cx, resident_id, today).await
        })
        .await
        .unwrap()
        .unwrap();
    assert_eq!(contact.name, professional.display_name);
    assert!(contact.last_contact_on.is_some());
    db.cleanup().await.unwrap();
}
