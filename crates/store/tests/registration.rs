//! Registering a new resident (issue 12): the BSN's 11-check, the duplicate
//! check inside and outside the consultant's sight (which must not become a
//! way to learn who lives where), and the consultant's scope. Each test on
//! SQLite and on PostgreSQL (`db_test!`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use waakvlam_domain::role::Role;
use waakvlam_store::residents::{self, Registration, ResidentInput};
use waakvlam_store::{Actor, Store, StoreError};
use waakvlam_testkit::{Member, World, access_latest, d, db_test, person};

/// Goes and Kapelle form a region; Borsele is outside it. Kees lives in
/// Goes, Greet in Borsele.
struct People {
    goes: Actor,
    region: Actor,
    borsele: Actor,
    professional: Actor,
    admin: Actor,
    kees: i64,
    greet: i64,
}

async fn people(store: &Store) -> People {
    let w = World::new()
        .region("Oosterschelderegio", &["0664", "0678"])
        .provider("75751001", "Provider A")
        .resident(
            person("111222333")
                .given_names("Kees")
                .family_name(Some("van"), "Dam"),
        )
        .resident(
            person("123456782")
                .in_municipality("0654")
                .given_names("Greet")
                .family_name(None, "Verborgenhuis"),
        )
        .account(
            "wmo@goes.nl",
            Role::Consultant,
            Member::municipality("0664"),
        )
        .account(
            "wmo@regio.nl",
            Role::Consultant,
            Member::region("Oosterschelderegio"),
        )
        .account(
            "wmo@borsele.nl",
            Role::Consultant,
            Member::municipality("0654"),
        )
        .account(
            "pro@a.nl",
            Role::Professional,
            Member::provider("Provider A"),
        )
        .account("admin@x.nl", Role::Admin, Member::Nothing)
        .create(store)
        .await;
    People {
        goes: w.actor(store, "wmo@goes.nl").await,
        region: w.actor(store, "wmo@regio.nl").await,
        borsele: w.actor(store, "wmo@borsele.nl").await,
        professional: w.actor(store, "pro@a.nl").await,
        admin: w.actor(store, "admin@x.nl").await,
        kees: w.resident("111222333"),
        greet: w.resident("123456782"),
    }
}

fn nina(bsn: &str, municipality: &str) -> ResidentInput {
    ResidentInput {
        bsn: bsn.into(),
        birth_date: Some(d(1948, 2, 14)),
        family_name: "Boer".into(),
        name_prefix: "de".into(),
        given_names: "Nina Maria".into(),
        municipality_code: municipality.into(),
        phone: "0113 123 456".into(),
        email: "nina@example.nl".into(),
        address: "Markt 1, 4461 AB Goes".into(),
        ..Default::default()
    }
}

async fn register(
    store: &Store,
    actor: &Actor,
    input: &ResidentInput,
) -> Result<Registration, StoreError> {
    store
        .write(actor, async |cx| residents::register(cx, input).await)
        .await
}

fn fields(e: StoreError) -> Vec<(String, &'static str)> {
    match e {
        StoreError::Invalid(list) => list.into_iter().map(|r| (r.field, r.reason.id)).collect(),
        StoreError::Conflict(r) => vec![(r.field, r.reason.id)],
        other => panic!("expected refused input, got {other:?}"),
    }
}

db_test! {
    async fn a_consultant_registers_a_new_resident_with_their_contact_details(db) {
        let store = &db.store;
        let p = people(store).await;
        let Registration::Created(id) = register(store, &p.goes, &nina("200000007", "0664")).await.unwrap() else {
            panic!("not created");
        };
        let r = store
            .read(&p.goes, async |cx| residents::get(cx, id).await)
            .await
            .unwrap();
        assert_eq!(r.bsn.as_str(), "200000007");
        assert_eq!(r.display_name(), "Nina de Boer");
        assert_eq!(r.initials.as_deref(), Some("N.M."), "made from the given names");
        assert_eq!(r.birth_date, d(1948, 2, 14));
        assert_eq!(r.municipality_code, "0664");
        assert_eq!(r.phone.as_deref(), Some("0113 123 456"));
        assert_eq!(r.email.as_deref(), Some("nina@example.nl"));
        assert_eq!(r.address.as_deref(), Some("Markt 1, 4461 AB Goes"));
        // The log names the resident by id, never by BSN.
        let log = access_latest(store, 5).await;
        assert!(log.iter().any(|e| e.action == "create" && e.objects == format!("resident:{id}")));
        assert!(log.iter().all(|e| !e.objects.contains("200000007")));
    }
}

db_test! {
    async fn every_problem_is_refused_at_its_field_at_once(db) {
        let store = &db.store;
        let p = people(store).await;
        let input = ResidentInput {
            bsn: "123456789".into(),
            birth_date: None,
            family_name: "  ".into(),
            email: "geenadres".into(),
            municipality_code: "".into(),
            ..Default::default()
        };
        let found = fields(register(store, &p.goes, &input).await.unwrap_err());
        assert_eq!(
            found,
            [
                ("bsn".to_owned(), "bsn-eleven-check"),
                ("family_name".to_owned(), "name-required"),
                ("email".to_owned(), "email-at"),
                ("birth_date".to_owned(), "birth-date-required"),
                ("municipality_code".to_owned(), "municipality-choose"),
            ]
        );
        // A birth date in the future and a BSN of the wrong length.
        let input = ResidentInput {
            bsn: "12345".into(),
            birth_date: Some(d(2030, 1, 1)),
            ..nina("", "0664")
        };
        let found = fields(register(store, &p.goes, &input).await.unwrap_err());
        assert_eq!(found.iter().map(|(f, _)| f.as_str()).collect::<Vec<_>>(), ["bsn", "birth_date"]);
        assert_eq!(found[0].1, "bsn-digits");
    }
}

db_test! {
    async fn a_consultant_registers_only_in_their_own_municipality_or_region(db) {
        let store = &db.store;
        let p = people(store).await;
        // Goes's consultant: not in Kapelle, not in Borsele.
        for place in ["0678", "0654", "9999"] {
            let found = fields(register(store, &p.goes, &nina("200000007", place)).await.unwrap_err());
            assert_eq!(found, [("municipality_code".to_owned(), "municipality-choose")], "{place}");
        }
        // The region's consultant: Kapelle is theirs.
        assert!(matches!(
            register(store, &p.region, &nina("200000007", "0678")).await.unwrap(),
            Registration::Created(_)
        ));
        // The choice the form offers is the same scope.
        let codes = |actor: &Actor| {
            let actor = actor.clone();
            async move {
                store
                    .read(&actor, async |cx| residents::municipalities_in_scope(cx).await)
                    .await
                    .unwrap()
                    .into_iter()
                    .map(|m| m.code)
                    .collect::<Vec<_>>()
            }
        };
        assert_eq!(codes(&p.goes).await, ["0664"]);
        let mut regional = codes(&p.region).await;
        regional.sort();
        assert_eq!(regional, ["0664", "0678"]);
        assert_eq!(codes(&p.admin).await.len(), 342);
        // Professionals do not register residents.
        assert!(matches!(
            register(store, &p.professional, &nina("200000015", "0664")).await,
            Err(StoreError::Denied)
        ));
    }
}

db_test! {
    async fn a_known_bsn_within_sight_leads_to_the_resident_without_a_second_one(db) {
        let store = &db.store;
        let p = people(store).await;
        let again = ResidentInput {
            family_name: "Anders".into(),
            ..nina("111222333", "0664")
        };
        let found = register(store, &p.goes, &again).await.unwrap();
        assert_eq!(
            found,
            Registration::Known { id: waakvlam_store::ResidentId::new(p.kees), name: "Dam, K. van".into() }
        );
        // Nothing changed, and the look-up is logged against Kees by id.
        let kees = store
            .read(&p.goes, async |cx| residents::get(cx, waakvlam_store::ResidentId::new(p.kees)).await)
            .await
            .unwrap();
        assert_eq!(kees.family_name, "Dam");
        let log = access_latest(store, 3).await;
        assert!(log.iter().any(|e| e.action == "search"
            && e.outcome == "success"
            && e.objects == format!("resident:{}", p.kees)));
        // The region's consultant sees Kees too.
        assert!(matches!(
            register(store, &p.region, &again).await.unwrap(),
            Registration::Known { .. }
        ));
    }
}

db_test! {
    async fn a_known_bsn_outside_sight_is_refused_without_details_and_logged(db) {
        let store = &db.store;
        let p = people(store).await;
        // Greet lives in Borsele: Goes's consultant learns nothing about her.
        let err = register(store, &p.goes, &nina("123456782", "0664")).await.unwrap_err();
        let text = format!("{err:?}");
        assert!(!text.contains("Verborgenhuis") && !text.contains("0654") && !text.contains("123456782"), "{text}");
        assert_eq!(fields(err), [("bsn".to_owned(), "resident-elsewhere")]);
        // No second Greet was made, and the denied look-up is in the log,
        // against Greet, so her own log shows who tried.
        let log = access_latest(store, 1).await;
        assert_eq!(log[0].outcome, "denied");
        assert_eq!(log[0].resident_id, Some(waakvlam_store::ResidentId::new(p.greet)));
        assert_eq!(log[0].objects, format!("resident:{}", p.greet));
        let found = store
            .read(&p.borsele, async |cx| residents::search(cx, Some("Verborgenhuis"), 10).await)
            .await
            .unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].municipality_code, "0654", "Greet stays where she is");
        // Borsele's consultant does see her.
        assert!(matches!(
            register(store, &p.borsele, &nina("123456782", "0654")).await.unwrap(),
            Registration::Known { .. }
        ));
    }
}
