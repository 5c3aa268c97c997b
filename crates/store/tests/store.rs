//! Storage behaviour, each test on SQLite and on PostgreSQL (`db_test!`).

// Test helpers outside #[test] functions unwrap too: a failure is a test failure.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::TimeDelta;
use waakvlam_domain::access::Purpose;
use waakvlam_domain::ids::{Bsn, Email};
use waakvlam_domain::role::Role;
use waakvlam_store::accounts::{self, Account, NewAccount, Organisation};
use waakvlam_store::import::{self, ImportError};
use waakvlam_store::indications::{self, Indication, NewIndication};
use waakvlam_store::organisations;
use waakvlam_store::read::caseload;
use waakvlam_store::residents;
use waakvlam_store::sessions::{self, SessionPolicy};
use waakvlam_store::throttle::{self, ThrottlePolicy};
use waakvlam_store::{
    AccountId, Actor, IndicationId, ResidentId, ScaleRequestId, Store, StoreError, StoreResult,
    TeamId, access, care_record, catalogue, reference, reports,
};
use waakvlam_store::{read, scale_request};
use waakvlam_testkit::{self as kit, Member, d, db_test, indication, person, resident, system};

/// Two providers with a team and a professional each, and one resident in
/// care with each, plus the accounts around them.
struct World {
    pro_a: Account,
    pro_b: Account,
    lead_a: Account,
    resident_a: i64,
    resident_b: i64,
    resident_account: Account,
    consultant_goes: Account,
    consultant_borsele: Account,
    analyst: Account,
}

/// A running waakvlam with this file's agreed result.
fn wvl(
    resident_id: impl Into<i64>,
    municipality: &str,
    provider_id: impl Into<i64>,
    professional: Option<AccountId>,
    team: Option<TeamId>,
) -> NewIndication {
    NewIndication {
        professional_account_id: professional,
        team_id: team,
        ..indication(resident_id, "WVL", municipality, provider_id)
            .agreed_result("situatie stabiel houden")
            .new_indication()
    }
}

async fn world(store: &Store) -> World {
    let w = kit::World::new()
        .provider("75751001", "Provider A")
        .team("Team A")
        .provider("75752002", "Provider B")
        .team("Team B")
        .region("Oosterschelderegio", &["0664"])
        // A waakvlam lasts at most 12 months in both municipalities.
        .max_duration("WVL", &["0664", "0654"], 12)
        .account(
            "a@provider-a.nl",
            Role::Professional,
            Member::team("Team A"),
        )
        .account(
            "b@provider-b.nl",
            Role::Professional,
            Member::team("Team B"),
        )
        .account("lead@provider-a.nl", Role::TeamLead, Member::team("Team A"))
        .resident(person("111222333"))
        .resident(person("999996708").in_municipality("0654"))
        .waakvlam("111222333", "Team A", Some("a@provider-a.nl"))
        .agreed_result("situatie stabiel houden")
        .waakvlam("999996708", "Team B", Some("b@provider-b.nl"))
        .agreed_result("situatie stabiel houden")
        .account(
            "jan@example.nl",
            Role::Resident,
            Member::resident("111222333"),
        )
        .account(
            "wmo@goes.nl",
            Role::Consultant,
            Member::municipality("0664"),
        )
        .account(
            "wmo@borsele.nl",
            Role::Consultant,
            Member::municipality("0654"),
        )
        .account(
            "beleid@regio.nl",
            Role::Analyst,
            Member::region("Oosterschelderegio"),
        )
        .create(store)
        .await;
    World {
        pro_a: w.account("a@provider-a.nl"),
        pro_b: w.account("b@provider-b.nl"),
        lead_a: w.account("lead@provider-a.nl"),
        resident_a: w.resident("111222333"),
        resident_b: w.resident("999996708"),
        resident_account: w.account("jan@example.nl"),
        consultant_goes: w.account("wmo@goes.nl"),
        consultant_borsele: w.account("wmo@borsele.nl"),
        analyst: w.account("beleid@regio.nl"),
    }
}

// Each store call below is one unit of work of the actor, as a page or
// command runs it.

async fn get(store: &Store, actor: &Actor, id: i64) -> StoreResult<residents::Resident> {
    store
        .read(actor, async |cx| {
            residents::get(cx, ResidentId::new(id)).await
        })
        .await
}

async fn search(store: &Store, actor: &Actor, limit: u64) -> StoreResult<Vec<residents::Resident>> {
    store
        .read(actor, async |cx| residents::search(cx, None, limit).await)
        .await
}

async fn for_resident(store: &Store, actor: &Actor, id: i64) -> StoreResult<Vec<Indication>> {
    store
        .read(actor, async |cx| {
            indications::for_resident(cx, ResidentId::new(id)).await
        })
        .await
}

async fn create(store: &Store, actor: &Actor, new: &NewIndication) -> StoreResult<Indication> {
    store
        .write(actor, async |cx| indications::create(cx, new).await)
        .await
}

async fn issue(store: &Store, actor: &Actor, new: &NewIndication) -> StoreResult<Indication> {
    store
        .write(actor, async |cx| {
            indications::create_for_resident(cx, new, indications::Overlap::Warn).await
        })
        .await
}

async fn extend(
    store: &Store,
    actor: &Actor,
    id: IndicationId,
    end: chrono::NaiveDate,
    reason: &str,
) -> StoreResult<Indication> {
    store
        .write(actor, async |cx| {
            indications::extend(cx, id, end, reason).await
        })
        .await
}

async fn decide_extension(
    store: &Store,
    actor: &Actor,
    id: IndicationId,
    end: chrono::NaiveDate,
    reason: &str,
) -> StoreResult<Indication> {
    store
        .write(actor, async |cx| {
            indications::decide_extension(cx, id, end, reason).await
        })
        .await
}

async fn indication_page(
    store: &Store,
    actor: &Actor,
    id: IndicationId,
    today: chrono::NaiveDate,
) -> StoreResult<read::indication::IndicationDetail> {
    store
        .read(actor, async |cx| {
            read::indication::page(cx, id, today).await
        })
        .await
}

async fn ask(
    store: &Store,
    actor: &Actor,
    r: &scale_request::NewScaleRequest,
) -> StoreResult<ScaleRequestId> {
    store
        .write(actor, async |cx| scale_request::ask(cx, r).await)
        .await
}

async fn approve(
    store: &Store,
    actor: &Actor,
    id: ScaleRequestId,
    approval: &scale_request::Approval,
) -> StoreResult<Option<Indication>> {
    store
        .write(actor, async |cx| {
            scale_request::approve(cx, id, approval).await
        })
        .await
}

async fn worklist(
    store: &Store,
    actor: &Actor,
    today: chrono::NaiveDate,
    ending_days: u64,
) -> StoreResult<read::worklist::WorklistPage> {
    store
        .read(actor, async |cx| {
            read::worklist::page(cx, today, ending_days, 12).await
        })
        .await
}

async fn ask_to_plan(store: &Store, actor: &Actor, id: IndicationId) -> StoreResult<()> {
    store
        .write(actor, async |cx| {
            waakvlam_store::scale_down_planning::ask(cx, id, None).await
        })
        .await
}

/// Runs session or login work as the system (nobody is signed in yet).
async fn sess<T>(
    store: &Store,
    work: impl AsyncFnOnce(&waakvlam_store::Cx<'_>) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    store.write(&system(), work).await
}

async fn actor(store: &Store, a: &Account) -> Actor {
    (store.read(&Actor::system("test"), async |cx| {
        a.actor(cx, Some("192.0.2.10".into())).await
    }))
    .await
    .unwrap()
}

db_test! {
    async fn a_new_database_holds_all_municipalities_and_the_default_catalogue(db) {
        let all = db.store.read(&system(), async |cx| organisations::all_municipalities(cx).await).await.unwrap();
        assert_eq!(all.len(), 342);
        assert_eq!(all.len(), reference::municipalities().unwrap().len());
        let codes: Vec<String> = db.store.read(&system(), async |cx| catalogue::products(cx).await)
            .await
            .unwrap()
            .into_iter()
            .map(|p| p.product.code.as_str().to_owned())
            .collect();
        assert_eq!(codes, ["BT", "BTS", "WVL"]);
        // Migrating again is harmless and adds nothing.
        db.store.migrate().await.unwrap();
        assert_eq!(db.store.read(&system(), async |cx| organisations::all_municipalities(cx).await).await.unwrap().len(), 342);
    }
}

db_test! {
    async fn a_resident_leaves_the_store_with_a_checked_bsn_that_logs_never_show(db) {
        let w = world(&db.store).await;
        let a = actor(&db.store, &w.pro_a).await;
        let jan = get(&db.store, &a, w.resident_a).await.unwrap();
        let bsn = jan.bsn.as_str().to_owned();
        assert!(Bsn::parse(&bsn).is_ok());
        assert!(!format!("{jan:?}").contains(&bsn), "Debug masks the BSN: {jan:?}");
    }
}

db_test! {
    async fn a_professional_never_loads_a_resident_of_another_provider(db) {
        let w = world(&db.store).await;
        let a = actor(&db.store, &w.pro_a).await;
        let mine = get(&db.store, &a, w.resident_a).await.unwrap();
        assert_eq!(mine.display_name(), "Jan de Vries");
        let err = get(&db.store, &a, w.resident_b).await.unwrap_err();
        assert!(matches!(err, StoreError::Denied), "{err:?}");
        // The denied attempt is in the access log with who, whose and from where.
        let log = waakvlam_testkit::access_latest(&db.store, 1).await;
        let last = log.first().unwrap();
        assert_eq!(last.outcome, "denied");
        assert_eq!(last.action, "read");
        assert_eq!(last.account_id, Some(w.pro_a.id));
        assert_eq!(last.resident_id, Some(ResidentId::new(w.resident_b)));
        assert_eq!(last.client_address.as_deref(), Some("192.0.2.10"));
        assert_eq!(last.organisation.as_deref(), Some("Team A"));
        // A search only finds their own residents.
        let found = search(&db.store, &a, 100).await.unwrap();
        assert_eq!(found.iter().map(|r| r.id).collect::<Vec<_>>(), [w.resident_a]);
        let b = actor(&db.store, &w.pro_b).await;
        assert!(matches!(get(&db.store, &b, w.resident_a).await, Err(StoreError::Denied)));
    }
}

db_test! {
    async fn tenants_see_only_their_own_residents(db) {
        let w = world(&db.store).await;
        let goes = actor(&db.store, &w.consultant_goes).await;
        assert!(get(&db.store, &goes, w.resident_a).await.is_ok());
        assert!(matches!(get(&db.store, &goes, w.resident_b).await, Err(StoreError::Denied)));
        let borsele = actor(&db.store, &w.consultant_borsele).await;
        assert!(get(&db.store, &borsele, w.resident_b).await.is_ok());
        // Analysts work with aggregates only: not even a resident in their region.
        let analyst = actor(&db.store, &w.analyst).await;
        assert!(matches!(get(&db.store, &analyst, w.resident_a).await, Err(StoreError::Denied)));
        assert!(search(&db.store, &analyst, 10).await.unwrap().is_empty());
        // A resident sees only themselves.
        let me = actor(&db.store, &w.resident_account).await;
        assert_eq!(me.purpose, Purpose::ResidentSelfService);
        assert!(get(&db.store, &me, w.resident_a).await.is_ok());
        assert!(matches!(get(&db.store, &me, w.resident_b).await, Err(StoreError::Denied)));
        // The team lead sees the team's resident, not the other provider's.
        let lead = actor(&db.store, &w.lead_a).await;
        assert!(get(&db.store, &lead, w.resident_a).await.is_ok());
        assert!(matches!(get(&db.store, &lead, w.resident_b).await, Err(StoreError::Denied)));
        // An unknown id is "not found", not a leak of anything.
        assert!(matches!(get(&db.store, &goes, 999_999).await, Err(StoreError::NotFound { .. })));
    }
}

db_test! {
    async fn every_read_of_a_resident_is_logged_in_the_same_transaction(db) {
        let w = world(&db.store).await;
        let a = actor(&db.store, &w.pro_a).await;
        let before = waakvlam_testkit::access_count(&db.store).await;
        get(&db.store, &a, w.resident_a).await.unwrap();
        for_resident(&db.store, &a, w.resident_a).await.unwrap();
        db.store.read(&a, async |cx| caseload::current(cx, d(2026, 3, 10)).await).await.unwrap();
        assert_eq!(waakvlam_testkit::access_count(&db.store).await, before + 3);
        // The resident can read who looked at their file; the log holds references, not content.
        let me = actor(&db.store, &w.resident_account).await;
        let entries = db.store.read(&me, async |cx| access::entries_for_resident(cx, ResidentId::new(w.resident_a), 50).await).await.unwrap();
        assert!(entries.iter().any(|e| e.account_id == Some(w.pro_a.id) && e.action == "read" && e.purpose == Purpose::Care));
        assert!(entries.iter().all(|e| !e.objects.contains("stabiel")));
        // Another professional cannot read that log.
        let b = actor(&db.store, &w.pro_b).await;
        assert!(matches!(
            db.store.read(&b, async |cx| access::entries_for_resident(cx, ResidentId::new(w.resident_a), 50).await).await,
            Err(StoreError::Denied)
        ));
    }
}

db_test! {
    async fn the_caseload_lists_running_indications_within_the_tenant(db) {
        let w = world(&db.store).await;
        let a = actor(&db.store, &w.pro_a).await;
        let list = db.store.read(&a, async |cx| caseload::current(cx, d(2026, 3, 10)).await).await.unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].resident_id, w.resident_a);
        assert_eq!(list[0].product_code, "WVL");
        // A waakvlam without an end date got the 12-month maximum.
        assert_eq!(list[0].end_date, Some(d(2027, 1, 4)));
        // After its end it is no longer on the caseload.
        assert!(db.store.read(&a, async |cx| caseload::current(cx, d(2027, 2, 1)).await).await.unwrap().is_empty());
    }
}

db_test! {
    async fn indication_rules_are_enforced_by_the_store(db) {
        let w = world(&db.store).await;
        let provider = w.pro_a.provider_id.unwrap();
        let mut too_long = wvl(w.resident_a, "0664", provider, None, None);
        too_long.start_date = d(2026, 6, 1);
        too_long.end_date = Some(d(2027, 6, 30));
        let err = create(&db.store, &system(), &too_long).await.unwrap_err();
        assert!(matches!(&err, StoreError::Invalid(r) if r[0].field == "end_date"), "{err:?}");
        let mut bt = wvl(w.resident_a, "0664", provider, None, None);
        bt.product_code = "BT".into();
        bt.start_date = d(2026, 7, 1);
        let err = create(&db.store, &system(), &bt).await.unwrap_err();
        assert!(matches!(&err, StoreError::Invalid(r) if r[0].field == "planned_scale_down_date"), "{err:?}");
        bt.planned_scale_down_date = Some(d(2027, 1, 1));
        let ok = create(&db.store, &system(), &bt).await.unwrap();
        assert_eq!(ok.end_date, None);
    }
}

db_test! {
    async fn extending_a_waakvlam_keeps_its_history(db) {
        let w = world(&db.store).await;
        let a = actor(&db.store, &w.consultant_goes).await;
        let list = for_resident(&db.store, &a, w.resident_a).await.unwrap();
        let ind = &list[0];
        let err = extend(&db.store, &a, ind.id, d(2028, 6, 1), "nodig").await.unwrap_err();
        assert!(matches!(&err, StoreError::Invalid(r) if r[0].field == "end_date"), "{err:?}");
        let err = extend(&db.store, &a, ind.id, d(2027, 6, 30), "  ").await.unwrap_err();
        assert!(matches!(&err, StoreError::Invalid(r) if r[0].field == "reason"), "{err:?}");
        let extended = extend(&db.store, &a, ind.id, d(2027, 6, 30), "nog kwetsbaar").await.unwrap();
        assert_eq!(extended.end_date, Some(d(2027, 6, 30)));
        // Borsele's consultant cannot extend Goes' indication.
        let other = actor(&db.store, &w.consultant_borsele).await;
        let err = extend(&db.store, &other, ind.id, d(2027, 12, 31), "x").await.unwrap_err();
        assert!(matches!(err, StoreError::NotFound { .. }));
    }
}

db_test! {
    async fn accounts_check_password_policy_organisation_and_uniqueness(db) {
        let store = &db.store;
        let new = |email: &str, role: Role, password: &str, org: Organisation| NewAccount {
            email: Email::parse(email).unwrap(),
            display_name: "Test".into(),
            role,
            password: password.into(),
            organisation: org,
            phone: None,
        };
        // 64 characters and more are fine; no composition rules.
        let long = "a".repeat(64);
        store.write(&system(), async |cx| {
            let err = accounts::create(cx, new("x@y.nl", Role::Admin, "short", Organisation::default())).await.unwrap_err();
            assert!(matches!(&err, StoreError::Invalid(r) if r[0].field == "password"), "{err:?}");
            let err = accounts::create(cx, new("x@y.nl", Role::Consultant, "long enough pw", Organisation::default())).await.unwrap_err();
            assert!(matches!(&err, StoreError::Invalid(r) if r[0].field == "organisation"), "{err:?}");
            accounts::create(cx, new("Admin@Example.NL", Role::Admin, &long, Organisation::default())).await.unwrap();
            let err = accounts::create(cx, new("admin@example.nl", Role::Admin, &long, Organisation::default())).await.unwrap_err();
            assert!(matches!(err, StoreError::Conflict(_)));
            Ok(())
        }).await.unwrap();
        assert!(store.read(&system(), async |cx| accounts::authenticate(cx, "ADMIN@example.nl", &long).await).await.unwrap().is_some());
        assert!(store.read(&system(), async |cx| accounts::authenticate(cx, "admin@example.nl", "wrong password").await).await.unwrap().is_none());
        assert!(store.read(&system(), async |cx| accounts::authenticate(cx, "nobody@example.nl", &long).await).await.unwrap().is_none());
    }
}

db_test! {
    async fn sessions_expire_when_idle_and_absolutely(db) {
        let w = world(&db.store).await;
        let store = &db.store;
        let policy = SessionPolicy::default();
        let (token, s) = sess(store, async |cx| sessions::create(cx, policy, w.pro_a.id, None).await).await.unwrap();
        assert_eq!(s.account.id, w.pro_a.id);
        let (token2, _) = sess(store, async |cx| sessions::create(cx, policy, w.pro_a.id, None).await).await.unwrap();
        assert_ne!(token, token2, "every login gets a fresh token");
        db.clock.advance(TimeDelta::minutes(29));
        assert!(sess(store, async |cx| sessions::resume(cx, policy, &token).await).await.unwrap().is_some());
        db.clock.advance(TimeDelta::minutes(29));
        assert!(sess(store, async |cx| sessions::resume(cx, policy, &token).await).await.unwrap().is_some(), "activity keeps it alive");
        // token2 saw no activity for 58 minutes.
        assert!(sess(store, async |cx| sessions::resume(cx, policy, &token2).await).await.unwrap().is_none());
        for _ in 0..42 {
            db.clock.advance(TimeDelta::minutes(29));
            sess(store, async |cx| sessions::resume(cx, policy, &token).await).await.unwrap();
        }
        assert!(sess(store, async |cx| sessions::resume(cx, policy, &token).await).await.unwrap().is_none(), "21 hours is the absolute limit");
        let (token3, _) = sess(store, async |cx| sessions::create(cx, policy, w.pro_a.id, None).await).await.unwrap();
        sess(store, async |cx| sessions::delete(cx, &token3).await).await.unwrap();
        assert!(sess(store, async |cx| sessions::resume(cx, policy, &token3).await).await.unwrap().is_none());
    }
}

db_test! {
    async fn repeated_login_attempts_lock_the_key_for_a_while(db) {
        let store = &db.store;
        let policy = ThrottlePolicy::default();
        let key = throttle::email_key("Someone@Example.nl");
        for _ in 0..5 {
            assert_eq!(sess(store, async |cx| throttle::attempt(cx, policy, &key).await).await.unwrap(), throttle::Attempt::Allowed);
        }
        assert!(matches!(sess(store, async |cx| throttle::attempt(cx, policy, &key).await).await.unwrap(), throttle::Attempt::Locked(_)));
        assert!(sess(store, async |cx| throttle::locked_until(cx, &key).await).await.unwrap().is_some());
        db.clock.advance(TimeDelta::minutes(16));
        assert!(sess(store, async |cx| throttle::locked_until(cx, &key).await).await.unwrap().is_none());
        assert_eq!(sess(store, async |cx| throttle::attempt(cx, policy, &key).await).await.unwrap(), throttle::Attempt::Allowed);
        // A key of any length is stored (capped), never refused by the database.
        let long = throttle::email_key(&"x".repeat(5000));
        assert_eq!(sess(store, async |cx| throttle::attempt(cx, policy, &long).await).await.unwrap(), throttle::Attempt::Allowed);
    }
}

const PROVIDERS: &str =
    "agb_code,name\n75751001,Zeeuwse Zorgcoöperatie\n75752002,\"Stichting Scheldekracht, Goes\"\n";

db_test! {
    async fn imports_are_all_or_nothing_and_idempotent(db) {
        let store = &db.store;
        let actor = system();
        let first = import::run(store, &actor, async |cx| import::providers(cx, PROVIDERS.as_bytes()).await).await.unwrap();
        assert_eq!(first.created, 2);
        let again = import::run(store, &actor, async |cx| import::providers(cx, PROVIDERS.as_bytes()).await).await.unwrap();
        assert_eq!((again.created, again.unchanged), (0, 2));
        // A waakvlam lasts at most 12 months in Borsele: the import holds to
        // the product's rule as the form does.
        store
            .write(&actor, async |cx| {
                let wvl = catalogue::product_by_code(cx, "WVL").await?.expect("WVL");
                catalogue::set_rule(cx, &catalogue::ProductRule {
                    product_id: wvl.id,
                    place: catalogue::RulePlace::Municipality("0654".into()),
                    max_duration_months: Some(12),
                })
                .await
            })
            .await
            .unwrap();

        let bad = "\
bsn,birth_date,family_name,given_names,municipality_code,product_code,provider_agb,issued_on,start_date,end_date,planned_scale_down_date
111222333,1970-01-01,Jansen,Piet,0664,WVL,75751001,2024-01-01,2024-01-02,,
999998620,1970-01-01,Bakker,Els,0664,WVL,75751001,2024-01-01,2024-01-02,,
999996708,1970-13-01,Bakker,Els,0664,WVL,75751001,2024-01-01,2024-01-02,,
999996630,1970-01-01,Smit,Ans,0664,XYZ,75751001,2024-01-01,2024-01-02,,
612890053,1970-01-01,Kok,Bas,9999,WVL,75751001,2024-01-01,2024-01-02,,
211551557,1970-01-01,Bos,Lia,0664,WVL,12345678,2024-01-01,2024-01-02,,
211551557,1970-01-01,Bos,Lia,0664,BT,75751001,2024-01-01,2024-01-02,,
612890053,1970-01-01,Kok,Bas,0654,WVL,75751001,2024-01-01,2024-02-02,2025-06-30,
";
        let Err(ImportError::Rejected(errors)) = import::run(store, &actor, async |cx| import::indications(cx, bad.as_bytes()).await).await else {
            panic!("the file should be rejected");
        };
        let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
        let has = |prefix: &str| lines.iter().any(|l| l.starts_with(prefix));
        assert!(has("line 3: bsn: "), "{lines:#?}");
        assert!(has("line 4: birth_date: "), "{lines:#?}");
        // Reference checks run once the whole file parses; each is reported.
        let Err(ImportError::Rejected(errors)) = import::run(store, &actor, async |cx| import::indications(cx, bad.replace("999998620", "123456782").replace("1970-13-01", "1970-12-01").as_bytes()).await).await else {
            panic!("the file should be rejected");
        };
        let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
        let has = |prefix: &str| lines.iter().any(|l| l.starts_with(prefix));
        assert!(has("line 5: product_code: unknown product XYZ"), "{lines:#?}");
        assert!(has("line 6: municipality_code: unknown municipality 9999"), "{lines:#?}");
        assert!(has("line 7: provider_agb: unknown provider 12345678"), "{lines:#?}");
        assert!(has("line 8: planned_scale_down_date: "), "{lines:#?}");
        assert!(has("line 9: end_date: "), "{lines:#?}");
        // Nothing was written, not even the good first line.
        let report = store.read(&actor, async |cx| reports::indications_per_municipality(cx, 2024, None, None).await).await.unwrap();
        assert_eq!(report.total, 0);
        assert!(store.read(&actor, async |cx| residents::id_by_bsn(cx, &Bsn::parse("111222333").unwrap()).await).await.unwrap().is_none());

        let good = "\
bsn,birth_date,family_name,given_names,municipality_code,product_code,provider_agb,issued_on,start_date,end_date,planned_scale_down_date
111222333,1970-01-01,Jansen,Piet,0664,WVL,75751001,2024-01-01,2024-01-02,,
999996708,1971-02-03,Bakker,Els,0654,BT,75752002,2024-03-01,2024-03-04,,2024-12-01
999996708,1971-02-03,Bakker,Els,0654,WVL,75752002,2024-12-01,2024-12-02,2025-12-01,
";
        let s = import::run(store, &actor, async |cx| import::indications(cx, good.as_bytes()).await).await.unwrap();
        assert_eq!(s.created, 3);
        let s = import::run(store, &actor, async |cx| import::indications(cx, good.as_bytes()).await).await.unwrap();
        assert_eq!((s.created, s.unchanged), (0, 3));
        let report = store.read(&actor, async |cx| reports::indications_per_municipality(cx, 2024, None, None).await).await.unwrap();
        assert_eq!(report.total, 3);
        assert_eq!(report.rows.iter().map(|r| (r.municipality.as_str(), r.count)).collect::<Vec<_>>(), [("Borsele", 2), ("Goes", 1)]);
        let wvl = store.read(&actor, async |cx| reports::indications_per_municipality(cx, 2024, Some("WVL"), None).await).await.unwrap();
        assert_eq!(wvl.total, 2);
        let goes = store.read(&actor, async |cx| reports::indications_per_municipality(cx, 2024, None, Some("0664")).await).await.unwrap();
        assert_eq!(goes.total, 1);
        assert!(matches!(store.read(&actor, async |cx| reports::indications_per_municipality(cx, 2024, Some("NOPE"), None).await).await, Err(StoreError::Invalid(_))));
    }
}

db_test! {
    async fn resident_imports_report_every_bad_line(db) {
        let store = &db.store;
        let file = "bsn,birth_date,family_name,prefix,given_names,municipality_code\n\
                    111222333,1980-01-01,Vries,de,Jan,0664\n\
                    111222333,1980-01-01,Vries,de,Jan,0664\n\
                    000000000,1980-01-01,Leeg,,Ad,0664\n\
                    999996708,1980-01-01,,,Els,0664\n\
                    999996630,1980-01-01,Smit,,Ans,066\n";
        let Err(ImportError::Rejected(errors)) = import::run(store, &system(), async |cx| import::residents(cx, file.as_bytes()).await).await else {
            panic!("rejected");
        };
        let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(lines.len(), 4, "{lines:#?}");
        assert!(lines[0].starts_with("line 3: bsn: "));
        assert!(lines[1].starts_with("line 4: bsn: "));
        assert!(lines[2].starts_with("line 5: family_name: "));
        assert!(lines[3].starts_with("line 6: municipality_code: "));
        let header = "bsn,family_name\n111222333,Vries\n";
        let Err(ImportError::Rejected(errors)) = import::run(store, &system(), async |cx| import::residents(cx, header.as_bytes()).await).await else {
            panic!("rejected");
        };
        assert!(errors[0].to_string().starts_with("line 1: header: missing column(s) birth_date"));
    }
}

db_test! {
    async fn csv_imports_refuse_over_long_names_and_dates_out_of_range_whole(db) {
        let store = &db.store;
        let long = "x".repeat(101);
        let file = format!(
            "bsn,birth_date,family_name,prefix,given_names,municipality_code\n\
             111222333,1980-01-01,Vries,de,Jan,0664\n\
             999996708,1980-01-01,{long},,Els,0664\n\
             999996630,1899-12-31,Smit,,Ans,0664\n\
             612890053,1980-01-01,Kok,,Bas\u{0},0664\n"
        );
        let Err(ImportError::Rejected(errors)) = import::run(store, &system(), async |cx| import::residents(cx, file.as_bytes()).await).await else {
            panic!("rejected");
        };
        let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [
                "line 3: family_name: is longer than 100 characters",
                "line 4: birth_date: must be between 01-01-1900 and 10-03-2026",
                "line 5: given_names: contains control characters (such as NUL)",
            ],
        );
        // All or nothing: not even the good first line.
        assert!(store.read(&system(), async |cx| residents::id_by_bsn(cx, &Bsn::parse("111222333").unwrap()).await).await.unwrap().is_none());

        import::run(store, &system(), async |cx| import::providers(cx, PROVIDERS.as_bytes()).await).await.unwrap();
        let file = "\
bsn,birth_date,family_name,given_names,municipality_code,product_code,provider_agb,issued_on,start_date,end_date,planned_scale_down_date
111222333,1970-01-01,Jansen,Piet,0664,WVL,75751001,2024-01-01,2024-01-02,,
999996708,1970-01-01,Bakker,Els,0664,WVL,75751001,0000-01-01,1900-01-02,,
";
        let Err(ImportError::Rejected(errors)) = import::run(store, &system(), async |cx| import::indications(cx, file.as_bytes()).await).await else {
            panic!("rejected");
        };
        let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [
                "line 3: issued_on: must be between 01-01-2000 and 10-03-2031",
                "line 3: start_date: must be between 01-01-2000 and 10-03-2031",
            ],
        );
        assert!(store.read(&system(), async |cx| residents::id_by_bsn(cx, &Bsn::parse("111222333").unwrap()).await).await.unwrap().is_none());
    }
}

db_test! {
    async fn concurrent_writers_neither_deadlock_nor_lose_writes(db) {
        let w = world(&db.store).await;
        let mut tasks = Vec::new();
        for i in 0..24 {
            let store = db.store.clone();
            let resident_id = w.resident_a;
            tasks.push(tokio::spawn(async move {
                store
                    .write(&Actor::system("t"), async |cx| {
                        // Read, then write: the pattern that deadlocks deferred SQLite transactions.
                        let _ = residents::id_by_bsn(cx, &Bsn::parse("111222333").unwrap()).await?;
                        care_record::add_check_in(cx, ResidentId::new(resident_id), cx.now, (i % 5 + 1) as u8, None).await
                    })
                    .await
                    .unwrap();
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        let a = actor(&db.store, &w.pro_a).await;
        let _ = get(&db.store, &a, w.resident_a).await.unwrap();
        let log = waakvlam_testkit::access_latest(&db.store, 200).await;
        assert_eq!(log.iter().filter(|e| e.objects.starts_with("check_in:")).count(), 24);
    }
}

/// Resident A's professional asks to scale indication `indication_id` up to BT from `start`.
async fn bt_request(
    store: &Store,
    w: &World,
    indication_id: IndicationId,
    start: chrono::NaiveDate,
) -> waakvlam_store::scale_request::NewScaleRequest {
    use waakvlam_domain::care::{RequestStatus, ScaleDirection, Urgency};
    let bt = store
        .read(&Actor::system("test"), async |cx| {
            catalogue::product_by_code(cx, "BT").await
        })
        .await
        .unwrap()
        .unwrap();
    waakvlam_store::scale_request::NewScaleRequest {
        indication_id,
        resident_id: ResidentId::new(w.resident_a),
        direction: ScaleDirection::Up,
        requested_product_id: Some(bt.id),
        requested_start: start,
        reason: "terugval".into(),
        urgency: Urgency::Urgent,
        status: RequestStatus::Pending,
        requested_by: Some(w.pro_a.id),
        requested_at: store.now(),
        decided: None,
        successor_indication_id: None,
    }
}

db_test! {
    async fn an_approved_scale_up_links_the_pathway_without_overlap(db) {
        use waakvlam_store::scale_request::Approval;
        let w = world(&db.store).await;
        let pro = actor(&db.store, &w.pro_a).await;
        let goes = actor(&db.store, &w.consultant_goes).await;
        let current = for_resident(&db.store, &pro, w.resident_a).await.unwrap().remove(0);
        let request = bt_request(&db.store, &w, current.id, d(2026, 3, 16)).await;
        let id = ask(&db.store, &pro, &request).await.unwrap();
        // One waiting request per indication.
        assert!(matches!(ask(&db.store, &pro, &request).await, Err(StoreError::Conflict(_))));
        // Another municipality cannot decide it; BT needs a planned scale-down moment.
        let borsele = actor(&db.store, &w.consultant_borsele).await;
        let approval = Approval { start: d(2026, 3, 16), planned_scale_down: None };
        assert!(matches!(approve(&db.store, &borsele, id, &approval).await, Err(StoreError::NotFound { .. })));
        let err = approve(&db.store, &goes, id, &approval).await.unwrap_err();
        assert!(matches!(&err, StoreError::Invalid(r) if r[0].field == "planned_scale_down_date"), "{err:?}");
        let approval = Approval { start: d(2026, 3, 16), planned_scale_down: Some(d(2026, 9, 1)) };
        let successor = approve(&db.store, &goes, id, &approval).await.unwrap().unwrap();
        assert_eq!(successor.predecessor_id, Some(current.id));
        assert_eq!(successor.professional_account_id, Some(w.pro_a.id), "same professional, no new intake");
        let chain = for_resident(&db.store, &goes, w.resident_a).await.unwrap();
        assert_eq!(chain.len(), 2);
        assert_eq!(chain[0].end_date, Some(d(2026, 3, 15)), "the old one ends the day before");
        assert_eq!(chain[0].outcome.as_deref(), Some("scaled_up"));
        assert_eq!(chain[1].start_date, d(2026, 3, 16));
        assert!(matches!(approve(&db.store, &goes, id, &approval).await, Err(StoreError::Conflict(_))));
    }
}

db_test! {
    async fn the_resident_page_is_one_read_with_planned_events_apart(db) {
        use waakvlam_store::read::resident::{self, TimelineEvent};
        use waakvlam_store::scale_request::Approval;
        let w = world(&db.store).await;
        let pro = actor(&db.store, &w.pro_a).await;
        let goes = actor(&db.store, &w.consultant_goes).await;
        let current = for_resident(&db.store, &pro, w.resident_a).await.unwrap().remove(0);
        let request = bt_request(&db.store, &w, current.id, d(2026, 4, 1)).await;
        let id = ask(&db.store, &pro, &request).await.unwrap();
        // The successor starts on 1 April, three weeks after "now" (10 March).
        let approval = Approval { start: d(2026, 4, 1), planned_scale_down: Some(d(2026, 9, 1)) };
        approve(&db.store, &goes, id, &approval).await.unwrap().unwrap();

        let before = waakvlam_testkit::access_count(&db.store).await;
        let page = db.store.read(&pro, async |cx| resident::page(cx, ResidentId::new(w.resident_a), d(2026, 3, 10), 0, 20).await).await.unwrap();
        assert_eq!(waakvlam_testkit::access_count(&db.store).await, before + 1, "one access-log entry per page view");
        let started_bt = |e: &resident::TimelineItem| {
            matches!(&e.event, TimelineEvent::IndicationStarted { product_code, .. } if product_code == "BT")
        };
        assert!(page.timeline.planned.iter().any(started_bt), "{:?}", page.timeline.planned);
        assert!(!page.timeline.happened.iter().any(started_bt), "a planned start has not happened yet");
        assert!(page.timeline.planned.iter().all(|e| e.at > db.store.now()));
        // The running waakvlam is judged by the caseload's engine, for this resident alone.
        assert_eq!(page.file.current.as_ref().map(|(i, _)| i.id), Some(current.id));
        assert!(page.attention.is_some());
        assert!(page.default_rhythm_days.is_some());
        // Someone outside the tenant is refused, and the refusal is logged.
        let other = actor(&db.store, &w.pro_b).await;
        let before = waakvlam_testkit::access_count(&db.store).await;
        let refused = db.store.read(&other, async |cx| resident::page(cx, ResidentId::new(w.resident_a), d(2026, 3, 10), 0, 20).await).await;
        assert!(matches!(refused, Err(StoreError::Denied)), "{refused:?}");
        assert_eq!(waakvlam_testkit::access_count(&db.store).await, before + 1, "the refusal is logged");
    }
}

db_test! {
    async fn a_municipality_sets_its_own_signal_thresholds(db) {
        use waakvlam_domain::signal::{SignalKind, ThresholdOverrides};
        use waakvlam_store::signals::{self, SettingsScope};
        let w = world(&db.store).await;
        let pro = actor(&db.store, &w.pro_a).await;
        let today = d(2026, 3, 10);
        let ranked = |settings| {
            let store = db.store.clone();
            let pro = pro.clone();
            async move {
                let facts = store.read(&pro, async |cx| caseload::facts(cx, caseload::Scope::Mine, today).await).await.unwrap();
                caseload::rank(facts, today, store.now(), &settings)
            }
        };
        let system = waakvlam_store::Actor::system("signals test");
        let load = async || db.store.read(&system, async |cx| signals::load(cx).await).await.unwrap();
        let set = async |scope: SettingsScope, overrides: &ThresholdOverrides| {
            db.store.write(&system, async |cx| signals::set(cx, &scope, overrides).await).await
        };
        let before = ranked(load().await).await;
        assert!(!before[0].attention.has(SignalKind::IndicationEnding), "300 days left is not 'ending' by default");
        let wide = ThresholdOverrides { indication_ending_days: Some(365), ..Default::default() };
        set(SettingsScope::Municipality("0664".into()), &wide).await.unwrap();
        let after = ranked(load().await).await;
        assert!(after[0].attention.has(SignalKind::IndicationEnding), "Goes warns a year ahead");
        // Another municipality's setting does not apply; a team's wins over its municipality's.
        let narrow = ThresholdOverrides { indication_ending_days: Some(10), ..Default::default() };
        set(SettingsScope::Team(w.pro_a.team_id.unwrap()), &narrow).await.unwrap();
        let settings = load().await;
        assert_eq!(settings.thresholds("0664", None).indication_ending_days, 365);
        assert_eq!(settings.thresholds("0664", w.pro_a.team_id).indication_ending_days, 10);
        assert_eq!(settings.thresholds("0654", None).indication_ending_days, 60);
        assert!(matches!(
            set(SettingsScope::Municipality("9999".into()), &wide).await,
            Err(StoreError::Invalid(_))
        ));
    }
}

db_test! {
    async fn rhythm_and_assignment_changes_are_recorded_and_scoped(db) {
        let w = world(&db.store).await;
        let pro = actor(&db.store, &w.pro_a).await;
        let lead = actor(&db.store, &w.lead_a).await;
        let current = for_resident(&db.store, &pro, w.resident_a).await.unwrap().remove(0);
        db.store.write(&pro, async |cx| care_record::set_rhythm(cx, ResidentId::new(w.resident_a), current.id, 14).await).await.unwrap();
        assert!(matches!(db.store.write(&pro, async |cx| care_record::set_rhythm(cx, ResidentId::new(w.resident_a), current.id, 0).await).await, Err(StoreError::Invalid(_))));
        // Another provider's professional cannot touch it.
        let other = actor(&db.store, &w.pro_b).await;
        assert!(matches!(db.store.write(&other, async |cx| care_record::set_rhythm(cx, ResidentId::new(w.resident_a), current.id, 7).await).await, Err(StoreError::NotFound { .. })));
        let after = for_resident(&db.store, &pro, w.resident_a).await.unwrap().remove(0);
        assert_eq!(after.contact_rhythm_days, Some(14));
        // The team lead assigns within the team only.
        let assign = |professional: AccountId| {
            let (store, lead) = (db.store.clone(), lead.clone());
            async move {
                store
                    .write(&lead, async |cx| {
                        indications::assign_professional(cx, current.id, professional).await
                    })
                    .await
            }
        };
        let err = assign(w.pro_b.id).await.unwrap_err();
        assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");
        let ok = assign(w.pro_a.id).await.unwrap();
        assert_eq!(ok.professional_account_id, Some(w.pro_a.id));
        let history: Vec<(String, Option<String>)> = {
            use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
            db.store
                .read(&system(), async |cx| {
                    Ok(waakvlam_store::entity::change_record::Entity::find()
                        .filter(waakvlam_store::entity::change_record::Column::EntityId.eq(current.id))
                        .all(cx.conn())
                        .await?)
                })
                .await
                .unwrap()
                .into_iter()
                .map(|c| (c.field, c.new_value))
                .collect()
        };
        assert!(history.contains(&("contact_rhythm_days".to_owned(), Some("14".to_owned()))), "{history:?}");
        assert!(history.iter().any(|(f, _)| f == "professional_account_id"), "{history:?}");
    }
}

db_test! {
    async fn a_consultant_creates_and_changes_indications_with_the_rules_and_a_history(db) {
        use waakvlam_store::indications::IndicationEdit;
        let w = world(&db.store).await;
        let goes = actor(&db.store, &w.consultant_goes).await;
        let pro = actor(&db.store, &w.pro_a).await;
        let provider_a = w.pro_a.provider_id.unwrap();
        let bts = NewIndication {
            product_code: "BTS".into(),
            planned_scale_down_date: None,
            end_date: Some(d(2027, 3, 1)),
            ..wvl(w.resident_a, "0664", provider_a, None, None)
        };
        // Individual support needs its planned scale-down moment.
        let err = issue(&db.store, &goes, &bts).await.unwrap_err();
        assert!(matches!(&err, StoreError::Invalid(r) if r[0].field == "planned_scale_down_date"), "{err:?}");
        // Professionals do not issue indications; Borsele cannot for a Goes resident.
        assert!(matches!(issue(&db.store, &pro, &bts).await, Err(StoreError::Denied)));
        let borsele = actor(&db.store, &w.consultant_borsele).await;
        let planned = NewIndication { planned_scale_down_date: Some(d(2026, 9, 1)), ..bts.clone() };
        assert!(matches!(issue(&db.store, &borsele, &planned).await, Err(StoreError::NotFound { .. })));
        let created = issue(&db.store, &goes, &planned).await.unwrap();
        assert_eq!(created.municipality_code, "0664", "the resident's municipality");
        // A second one of the same kind while it runs: a warning naming the
        // running one, unless the consultant confirms.
        let second = NewIndication { start_date: created.start_date + chrono::Days::new(30), ..planned.clone() };
        let err = issue(&db.store, &goes, &second).await.unwrap_err();
        assert!(
            matches!(&err, StoreError::Invalid(r) if r[0].field == "overlap" && r[0].reason.id == "indication-overlap"),
            "{err:?}"
        );
        // The warning comes with the form's other errors at once.
        let without_moment = NewIndication { planned_scale_down_date: None, ..second.clone() };
        let err = issue(&db.store, &goes, &without_moment).await.unwrap_err();
        assert!(
            matches!(&err, StoreError::Invalid(r) if r.len() == 2 && r[0].field == "planned_scale_down_date" && r[1].field == "overlap"),
            "{err:?}"
        );
        let confirmed = db
            .store
            .write(&goes, async |cx| {
                indications::create_for_resident(cx, &second, indications::Overlap::Confirmed).await
            })
            .await
            .unwrap();
        assert_ne!(confirmed.allocation_number, created.allocation_number);

        // A change is checked like a new indication and recorded field by field.
        let edit = IndicationEdit {
            provider_id: provider_a,
            issued_on: created.issued_on,
            start_date: created.start_date,
            end_date: created.end_date,
            planned_scale_down_date: None,
            agreed_result: Some("zelfstandig wonen".into()),
        };
        let err = db.store.write(&goes, async |cx| indications::update(cx, created.id, &edit).await).await.unwrap_err();
        assert!(matches!(&err, StoreError::Invalid(r) if r[0].field == "planned_scale_down_date"), "{err:?}");
        let edit = IndicationEdit { planned_scale_down_date: Some(d(2026, 10, 1)), ..edit };
        db.store.write(&goes, async |cx| indications::update(cx, created.id, &edit).await).await.unwrap();
        let detail = indication_page(&db.store, &goes, created.id, d(2026, 3, 10)).await.unwrap();
        let changed: Vec<(&str, Option<&str>, Option<&str>)> = detail
            .changes
            .iter()
            .map(|c| (c.field.as_str(), c.old.as_deref(), c.new.as_deref()))
            .collect();
        assert!(changed.contains(&("planned_scale_down_date", Some("2026-09-01"), Some("2026-10-01"))), "{changed:?}");
        assert!(changed.contains(&("agreed_result", Some("situatie stabiel houden"), Some("zelfstandig wonen"))), "{changed:?}");
        assert!(detail.changes.iter().all(|c| c.by.as_deref() == Some("wmo")), "who changed it");
        // Nothing was written for a refused change: the first attempt left no trace.
        assert_eq!(detail.changes.iter().filter(|c| c.field == "planned_scale_down_date").count(), 1);
        // Outside the tenant: refused.
        assert!(matches!(
            indication_page(&db.store, &borsele, created.id, d(2026, 3, 10)).await,
            Err(StoreError::Denied)
        ));
    }
}

db_test! {
    async fn the_indication_page_prices_it_per_tariff_year_with_the_own_contribution_apart(db) {
        use waakvlam_domain::money::Cents;
        use waakvlam_domain::tariff::FundingVariant;
        let w = world(&db.store).await;
        let goes = actor(&db.store, &w.consultant_goes).await;
        let wvl_product = db.store.read(&system(), async |cx| catalogue::product_by_code(cx, "WVL").await).await.unwrap().unwrap();
        db.store.write(&system(), async |cx| {
        for year in [2026, 2027] {
            catalogue::set_tariff(cx, &catalogue::NewTariff {
                product_id: wvl_product.id,
                municipality_code: None,
                year,
                variant: FundingVariant::PerIndication,
                amount: Cents(70_569),
            }).await?;
        }
        catalogue::set_own_contribution(cx, &catalogue::NewOwnContribution {
            product_id: wvl_product.id,
            municipality_code: None,
            valid_from: d(2020, 1, 1),
            monthly: Cents(1_900),
        }).await?;
        // Goes abolished it from July 2026: the region's rate applies before.
        catalogue::set_own_contribution(cx, &catalogue::NewOwnContribution {
            product_id: wvl_product.id,
            municipality_code: Some("0664".into()),
            valid_from: d(2026, 7, 1),
            monthly: Cents(0),
        }).await
        }).await.unwrap();
        let current = for_resident(&db.store, &goes, w.resident_a).await.unwrap().remove(0);
        // 2026-01-05 .. 2027-01-04: one indication-year, split over two tariff years.
        let detail = indication_page(&db.store, &goes, current.id, d(2026, 3, 10)).await.unwrap();
        assert_eq!(detail.cost_until, d(2027, 1, 4));
        assert_eq!(detail.cost.total, Cents(70_569));
        assert!(detail.cost.missing_tariff_years().is_empty());
        // January to June 2026 at €19; nothing after Goes abolished it.
        assert_eq!(detail.cost.own_contributions, Cents(6 * 1_900));
    }
}

db_test! {
    async fn a_per_indication_tariff_is_paid_once_unless_the_contract_pays_each_year(db) {
        use waakvlam_domain::money::Cents;
        use waakvlam_domain::tariff::FundingVariant;
        let w = world(&db.store).await;
        let goes = actor(&db.store, &w.consultant_goes).await;
        let wvl = db.store.read(&system(), async |cx| catalogue::product_by_code(cx, "WVL").await).await.unwrap().unwrap();
        let set = async |variant: FundingVariant| {
            db.store.write(&system(), async |cx| {
                for (year, amount) in [(2026, 70_569), (2027, 72_000)] {
                    catalogue::set_tariff(cx, &catalogue::NewTariff {
                        product_id: wvl.id,
                        municipality_code: None,
                        year,
                        variant,
                        amount: Cents(amount),
                    }).await?;
                }
                Ok(())
            }).await.unwrap();
        };
        set(FundingVariant::PerIndication).await;
        let current = for_resident(&db.store, &goes, w.resident_a).await.unwrap().remove(0);
        // 2026-01-05 .. 2027-01-04, extended by half a year into 2027.
        decide_extension(&db.store, &goes, current.id, d(2027, 7, 4), "nog kwetsbaar").await.unwrap();
        let detail = indication_page(&db.store, &goes, current.id, d(2026, 3, 10)).await.unwrap();
        assert_eq!(detail.cost_until, d(2027, 7, 4));
        // Once, at the tariff of the year it started: not spread over days, not again for the extension.
        assert_eq!(detail.cost.total, Cents(70_569));
        assert_eq!(detail.cost.years.iter().map(|y| y.cost.as_i64()).collect::<Vec<_>>(), [70_569, 0]);

        // A contract that pays again for an extension year: due again on 2027-01-05.
        set(FundingVariant::PerIndicationYear).await;
        let detail = indication_page(&db.store, &goes, current.id, d(2026, 3, 10)).await.unwrap();
        assert_eq!(detail.cost.total, Cents(70_569 + 72_000));
    }
}

db_test! {
    async fn extending_a_waakvlam_keeps_its_history_and_the_pathway_shows_the_chain(db) {
        use waakvlam_domain::care::{RequestStatus, ScaleDirection, Urgency};
        use waakvlam_store::scale_request::{Approval, NewScaleRequest};
        let w = world(&db.store).await;
        let goes = actor(&db.store, &w.consultant_goes).await;
        let pro = actor(&db.store, &w.pro_a).await;
        let current = for_resident(&db.store, &goes, w.resident_a).await.unwrap().remove(0);
        assert_eq!(current.end_date, Some(d(2027, 1, 4)));
        // Professionals do not extend; the reason is required.
        assert!(matches!(decide_extension(&db.store, &pro, current.id, d(2027, 7, 4), "stabiel").await, Err(StoreError::Denied)));
        assert!(matches!(decide_extension(&db.store, &goes, current.id, d(2027, 7, 4), " ").await, Err(StoreError::Invalid(_))));
        let extended = decide_extension(&db.store, &goes, current.id, d(2027, 7, 4), "nog kwetsbaar").await.unwrap();
        assert_eq!(extended.end_date, Some(d(2027, 7, 4)));
        let detail = indication_page(&db.store, &goes, current.id, d(2026, 3, 10)).await.unwrap();
        assert_eq!(detail.extensions.len(), 1);
        assert_eq!(detail.extensions[0].previous_end, d(2027, 1, 4));
        assert_eq!(detail.extensions[0].reason, "nog kwetsbaar");

        // Scale up, approve, and read the pathway.
        let bt = db.store.read(&system(), async |cx| catalogue::product_by_code(cx, "BT").await).await.unwrap().unwrap();
        let id = ask(&db.store, &pro, &NewScaleRequest {
            indication_id: current.id,
            resident_id: ResidentId::new(w.resident_a),
            direction: ScaleDirection::Up,
            requested_product_id: Some(bt.id),
            requested_start: d(2026, 4, 1),
            reason: "terugval".into(),
            urgency: Urgency::Urgent,
            status: RequestStatus::Pending,
            requested_by: Some(w.pro_a.id),
            requested_at: db.store.now(),
            decided: None,
            successor_indication_id: None,
        }).await.unwrap();
        let approval = Approval { start: d(2026, 4, 1), planned_scale_down: Some(d(2026, 10, 1)) };
        approve(&db.store, &goes, id, &approval).await.unwrap();
        let pathway = db.store.read(&goes, async |cx| read::pathway::page(cx, ResidentId::new(w.resident_a)).await).await.unwrap();
        assert_eq!(pathway.steps.len(), 2);
        let (first, second) = (&pathway.steps[0], &pathway.steps[1]);
        assert_eq!(first.product_code, "WVL");
        assert_eq!(first.indication.end_date, Some(d(2026, 3, 31)));
        assert_eq!(second.product_code, "BT");
        assert_eq!(second.indication.start_date, d(2026, 4, 1));
        assert_eq!(second.indication.predecessor_id, Some(first.indication.id));
        assert_eq!(first.requests.len(), 1);
        assert_eq!(first.requests[0].status, RequestStatus::Approved);
        assert_eq!(first.requests[0].successor_id, Some(second.indication.id));
        assert_eq!(first.requests[0].requested_by.as_deref(), Some("a"));
        assert_eq!(first.requests[0].decided_by.as_deref(), Some("wmo"));
        let borsele = actor(&db.store, &w.consultant_borsele).await;
        assert!(matches!(db.store.read(&borsele, async |cx| read::pathway::page(cx, ResidentId::new(w.resident_a)).await).await, Err(StoreError::Denied)));
    }
}

db_test! {
    async fn worklists_show_ending_waakvlam_and_the_scale_down_inventory_by_provider(db) {
        let w = world(&db.store).await;
        let goes = actor(&db.store, &w.consultant_goes).await;
        let provider_a = w.pro_a.provider_id.unwrap();
        let today = d(2026, 3, 10);
        // Resident A's waakvlam ends 2027-01-04: not within 60 days, but within 300.
        assert!(worklist(&db.store, &goes, today, 60).await.unwrap().ending.is_empty());
        let ending = worklist(&db.store, &goes, today, 300).await.unwrap().ending;
        assert_eq!(ending.iter().map(|e| e.resident_id).collect::<Vec<_>>(), [w.resident_a]);
        // Borsele's resident is not on Goes's list.
        let borsele = actor(&db.store, &w.consultant_borsele).await;
        let theirs = worklist(&db.store, &borsele, today, 300).await.unwrap().ending;
        assert_eq!(theirs.iter().map(|e| e.resident_id).collect::<Vec<_>>(), [w.resident_b]);

        // Three BTS indications: planned within a year, planned later, and an old one without a moment.
        let other = resident(&db.store, "123456782", "0664").await;
        let third = resident(&db.store, "200000007", "0664").await;
        let bts = |resident_id, planned| NewIndication {
            product_code: "BTS".into(),
            planned_scale_down_date: planned,
            start_date: d(2026, 2, 1),
            end_date: Some(d(2027, 12, 31)),
            ..wvl(resident_id, "0664", provider_a, None, None)
        };
        let soon = issue(&db.store, &goes, &bts(other, Some(d(2026, 8, 1)))).await.unwrap();
        issue(&db.store, &goes, &bts(third, Some(d(2027, 6, 1)))).await.unwrap();
        // An imported indication can lack the moment; the inventory lists it apart.
        {
            use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
            db.store
                .write(&system(), async |cx| {
                    let m = waakvlam_store::entity::indication::Entity::find_by_id(soon.id.get()).one(cx.conn()).await?.unwrap();
                    let mut copy: waakvlam_store::entity::indication::ActiveModel = m.into();
                    copy.id = sea_orm::ActiveValue::NotSet;
                    copy.resident_id = Set(third);
                    copy.allocation_number = Set("900000001".into());
                    copy.planned_scale_down_date = Set(None);
                    copy.start_date = Set(d(2025, 6, 1));
                    copy.insert(cx.conn()).await?;
                    Ok(())
                })
                .await
                .unwrap();
        }
        let inventory = worklist(&db.store, &goes, today, 60).await.unwrap().inventory;
        assert_eq!(inventory.by_provider.len(), 1);
        assert_eq!(inventory.by_provider[0].0, "Provider A");
        let planned: Vec<IndicationId> = inventory.by_provider[0].1.iter().map(|i| i.indication_id).collect();
        assert_eq!(planned, [soon.id], "only the moment within 12 months");
        assert_eq!(inventory.without_moment.iter().map(|i| i.resident_id).collect::<Vec<_>>(), [third]);

        // One click asks the provider to plan it; the provider's professional sees the request.
        ask_to_plan(&db.store, &goes, soon.id).await.unwrap();
        let inventory = worklist(&db.store, &goes, today, 60).await.unwrap().inventory;
        assert_eq!(inventory.by_provider[0].1[0].planning_requested_at, Some(db.store.now()));
        let waakvlam = for_resident(&db.store, &goes, w.resident_a).await.unwrap().remove(0);
        assert!(matches!(
            ask_to_plan(&db.store, &goes, waakvlam.id).await,
            Err(StoreError::Invalid(_))
        ), "waakvlam is not scaled down further");
        let lead = actor(&db.store, &w.lead_a).await;
        assert!(matches!(ask_to_plan(&db.store, &lead, soon.id).await, Err(StoreError::Denied)));
    }
}

db_test! {
    async fn allocation_numbers_are_iwmo_numbers_unique_per_municipality_under_concurrent_writers(db) {
        let w = world(&db.store).await;
        let provider = w.pro_a.provider_id.unwrap();
        // Twelve residents of 0664, each given a waakvlam at the same moment.
        let mut residents = Vec::new();
        let bsns: Vec<String> = (30_000_000u64..)
            .map(|first8| {
                let digits: Vec<u64> = first8.to_string().bytes().map(|b| u64::from(b - b'0')).collect();
                let sum: u64 = digits.iter().zip((2..=9).rev()).map(|(d, w)| d * w).sum();
                format!("{first8}{}", sum % 11)
            })
            .filter(|b| b.len() == 9 && Bsn::parse(b).is_ok())
            .take(12)
            .collect();
        for bsn in &bsns {
            residents.push(resident(&db.store, bsn, "0664").await);
        }
        let mut tasks = Vec::new();
        for r in residents {
            let store = db.store.clone();
            tasks.push(tokio::spawn(async move {
                let new = indication(r, "WVL", "0664", provider).new_indication();
                create(&store, &system(), &new).await.unwrap()
            }));
        }
        let mut numbers = Vec::new();
        for t in tasks {
            numbers.push(t.await.unwrap().allocation_number.value());
        }
        numbers.sort_unstable();
        let before = numbers.len();
        numbers.dedup();
        assert_eq!(numbers.len(), before, "no number handed out twice");
        assert!(numbers.iter().all(|n| *n <= 999_999_999));

        // A number that comes with the allocation is kept, and a second one like it refused.
        let third = resident(&db.store, "200000007", "0664").await;
        let mut new = indication(third, "WVL", "0664", provider).new_indication();
        new.allocation_number = Some(waakvlam_domain::ids::AllocationNumber::parse("777").unwrap());
        let kept = create(&db.store, &system(), &new).await.unwrap();
        assert_eq!(kept.allocation_number.to_string(), "777");
        new.start_date = d(2026, 2, 1);
        let err = create(&db.store, &system(), &new).await.unwrap_err();
        assert!(matches!(&err, StoreError::Conflict(r) if r.reason.id == "allocation-number-taken"), "{err:?}");
        // The same indication twice (resident, product, start) is refused as a duplicate.
        new.allocation_number = None;
        new.start_date = kept.start_date;
        let err = create(&db.store, &system(), &new).await.unwrap_err();
        assert!(matches!(&err, StoreError::Conflict(r) if r.reason.id == "indication-duplicate"), "{err:?}");
    }
}

db_test! {
    async fn the_access_log_is_a_hash_chain_that_shows_any_change(db) {
        use sea_orm::sea_query::Expr;
        use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, QueryOrder};
        use waakvlam_store::access::{self, ChainProblem};
        use waakvlam_store::entity::{access_chain_head, access_log};
        let w = world(&db.store).await;
        // Concurrent writers each log an entry: the chain must not fork.
        let mut tasks = Vec::new();
        for i in 0..16u8 {
            let store = db.store.clone();
            let resident = ResidentId::new(w.resident_a);
            tasks.push(tokio::spawn(async move {
                store
                    .write(&Actor::system("t"), async |cx| {
                        care_record::add_check_in(cx, resident, cx.now, i % 5 + 1, None).await
                    })
                    .await
                    .unwrap();
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        let verify = async |head: Option<String>| {
            db.store
                .read(&system(), async |cx| access::verify(cx, head.as_deref()).await)
                .await
                .unwrap()
        };
        let intact = verify(None).await;
        assert_eq!(intact.problem, None, "{intact:?}");
        assert!(intact.entries >= 16);
        let exported = db.store.read(&system(), async |cx| access::head(cx).await).await.unwrap();
        assert_eq!((exported.hash.as_str(), exported.entries), (intact.head.as_str(), intact.entries));

        let rows: Vec<access_log::Model> = db
            .store
            .read(&system(), async |cx| {
                Ok(access_log::Entity::find().order_by_asc(access_log::Column::Id).all(cx.conn()).await?)
            })
            .await
            .unwrap();
        let (middle, next, after) = (rows[rows.len() / 2].clone(), rows[rows.len() / 2 + 1].clone(), rows[rows.len() / 2 + 2].clone());
        let put = async |row: access_log::Model, insert: bool| {
            db.store
                .write(&system(), async |cx| {
                    let am = row.clone().into_active_model().reset_all();
                    if insert { am.insert(cx.conn()).await?; } else { am.update(cx.conn()).await?; }
                    Ok(())
                })
                .await
                .unwrap();
        };
        let delete = async |id: i64| {
            db.store
                .write(&system(), async |cx| {
                    access_log::Entity::delete_by_id(id).exec(cx.conn()).await?;
                    Ok(())
                })
                .await
                .unwrap();
        };

        // Changed: someone edits what an entry says.
        let mut edited = middle.clone();
        edited.objects = "resident:999".into();
        put(edited, false).await;
        assert_eq!(verify(None).await.problem, Some(ChainProblem::Changed { id: middle.id }));
        put(middle.clone(), false).await;
        assert_eq!(verify(None).await.problem, None);

        // Removed: the entry after the gap no longer follows.
        delete(next.id).await;
        assert_eq!(verify(None).await.problem, Some(ChainProblem::Broken { id: after.id }));
        put(next.clone(), true).await;
        assert_eq!(verify(None).await.problem, None);

        // Put in: an entry that was never logged does not follow its predecessor.
        let mut forged = middle.clone();
        forged.id = rows.last().unwrap().id + 1_000;
        put(forged.clone(), true).await;
        assert_eq!(verify(None).await.problem, Some(ChainProblem::Broken { id: forged.id }));
        delete(forged.id).await;

        // Cut off the end, with the stored head rewound to match: only the
        // exported head notices.
        let last = rows.last().unwrap().clone();
        let before_last = rows[rows.len() - 2].clone();
        delete(last.id).await;
        db.store
            .write(&system(), async |cx| {
                access_chain_head::Entity::update_many()
                    .col_expr(access_chain_head::Column::Hash, Expr::value(before_last.hash.clone().unwrap()))
                    .col_expr(access_chain_head::Column::LastId, Expr::value(before_last.id))
                    .exec(cx.conn())
                    .await?;
                Ok(())
            })
            .await
            .unwrap();
        assert_eq!(verify(None).await.problem, None, "consistent without the exported head");
        assert!(matches!(verify(Some(exported.hash.clone())).await.problem, Some(ChainProblem::TailMissing { .. })));
    }
}

db_test! {
    async fn a_savepoint_undoes_only_its_own_part_of_a_unit_of_work_and_keeps_its_refusals(db) {
        use sea_orm::EntityTrait;
        use waakvlam_domain::access::AccessAction;
        use waakvlam_domain::ids::MunicipalityCode;
        let store = &db.store;
        let new = |bsn: &str, family_name: &str| residents::NewResident {
            bsn: Bsn::parse(bsn).unwrap(),
            birth_date: d(1970, 1, 1),
            family_name: family_name.into(),
            name_prefix: None,
            given_names: None,
            initials: None,
            municipality_code: MunicipalityCode::parse("0664").unwrap(),
            phone: None,
            email: None,
            address: None,
        };
        let before = kit::access_count(store).await;
        let outcomes = store
            .write(&system(), async |cx| {
                // Kept: written and logged (upsert notes its entry).
                let kept = cx
                    .savepoint(async |cx| {
                        let (r, _) = residents::upsert(cx, &new("111222333", "Kept")).await?;
                        Ok(r.id)
                    })
                    .await;
                // Undone: written, then refused; its success entry goes too.
                let undone = cx
                    .savepoint(async |cx| {
                        residents::upsert(cx, &new("200000007", "Undone")).await?;
                        residents::upsert(cx, &new("123456782", " ")).await
                    })
                    .await;
                // Refused: the refusal stays in the log.
                let denied = cx
                    .savepoint(async |cx| -> waakvlam_store::StoreResult<()> {
                        Err(cx.deny(AccessAction::Read, None, "savepoint-test"))
                    })
                    .await;
                Ok((kept, undone.is_err(), denied))
            })
            .await
            .unwrap();
        assert!(outcomes.0.is_ok());
        assert!(outcomes.1, "the second part was refused");
        assert!(matches!(outcomes.2, Err(StoreError::Denied)));
        let names: Vec<String> = store
            .read(&system(), async |cx| {
                Ok(waakvlam_store::entity::resident::Entity::find()
                    .all(cx.conn())
                    .await?
                    .into_iter()
                    .map(|r| r.family_name)
                    .collect())
            })
            .await
            .unwrap();
        assert!(names.contains(&"Kept".to_owned()), "{names:?}");
        assert!(!names.contains(&"Undone".to_owned()), "{names:?}");
        // The kept part's entry and the refusal; nothing of the undone part.
        let log = kit::access_latest(store, 4).await;
        assert_eq!(kit::access_count(store).await, before + 2, "{log:?}");
        assert!(log.iter().any(|e| e.objects == "savepoint-test" && e.outcome == "denied"), "{log:?}");
        assert_eq!(log.iter().filter(|e| e.objects.starts_with("resident:")).count(), 1, "{log:?}");
    }
}
