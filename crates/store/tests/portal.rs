//! The resident portal's storage rules, each test on SQLite and PostgreSQL:
//! a resident sees only their own data, a trusted person only what the
//! resident shared and only while it is shared, and activation codes work
//! once, expire and are stored hashed.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{NaiveDate, TimeDelta};
use waakvlam_domain::care::Wellbeing;
use waakvlam_domain::role::Role;
use waakvlam_store::accounts::{self, Account};
use waakvlam_store::portal::consent::{self, Invitation, Invited, Relation};
use waakvlam_store::portal::helper::{self, Profile};
use waakvlam_store::portal::plan::{self, NoteKind};
use waakvlam_store::portal::{self, helper_request, message};
use waakvlam_store::read::{self, caseload, resident};
use waakvlam_store::residents;
use waakvlam_store::{AccountId, Actor, ResidentId, Store, StoreError, activation, care_record};
use waakvlam_testkit::{self as kit, Member, d, db_test, person};

fn today() -> NaiveDate {
    d(2026, 3, 10)
}

struct World {
    pro_a: Account,
    pro_a2: Account,
    pro_b: Account,
    lead_a: Account,
    resident_a: ResidentId,
    resident_b: ResidentId,
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
        .account("a2@a.nl", Role::Professional, Member::team("Team A"))
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
        pro_a2: w.account("a2@a.nl"),
        pro_b: w.account("b@b.nl"),
        lead_a: w.account("lead@a.nl"),
        resident_a: ResidentId::new(w.resident("111222333")),
        resident_b: ResidentId::new(w.resident("999996708")),
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

/// One unit of work per call, as the pages do.
async fn send(
    store: &Store,
    actor: &Actor,
    resident: ResidentId,
    body: &str,
) -> Result<waakvlam_store::MessageId, StoreError> {
    store
        .write(actor, async |cx| {
            message::send(cx, resident, body.to_owned()).await
        })
        .await
}

async fn shared_plan(
    store: &Store,
    actor: &Actor,
    resident: ResidentId,
) -> Result<plan::SharedPlan, StoreError> {
    store
        .read(actor, async |cx| {
            read::shared_plan::page(cx, resident).await
        })
        .await
}

async fn shared_with_me(store: &Store, actor: &Actor) -> Vec<consent::SharedWithMe> {
    store
        .read(actor, async |cx| read::shared::page(cx).await)
        .await
        .unwrap()
}

async fn shares(store: &Store, actor: &Actor) -> Vec<consent::Share> {
    store
        .read(actor, async |cx| {
            read::portal_sharing::page(cx, today()).await
        })
        .await
        .unwrap()
        .shares
}

async fn invite(store: &Store, actor: &Actor, inv: Invitation) -> Result<Invited, StoreError> {
    store
        .write(actor, async |cx| consent::invite(cx, inv).await)
        .await
}

async fn accept_with_new_account(
    store: &Store,
    code: &str,
    password: &str,
) -> Result<String, StoreError> {
    store
        .write(&Actor::system("invitation"), async |cx| {
            consent::accept_with_new_account(cx, code, password).await
        })
        .await
}

async fn accept(store: &Store, actor: &Actor, code: &str) -> Result<consent::Accepted, StoreError> {
    store
        .write(actor, async |cx| consent::accept(cx, code).await)
        .await
}

async fn revoke(
    store: &Store,
    actor: &Actor,
    id: waakvlam_store::ConsentId,
) -> Result<(), StoreError> {
    store
        .write(actor, async |cx| consent::revoke(cx, id).await)
        .await
}

async fn issue(
    store: &Store,
    actor: &Actor,
    resident: ResidentId,
) -> Result<activation::ResidentCode, StoreError> {
    store
        .write(actor, async |cx| {
            activation::issue_for_resident(cx, resident).await
        })
        .await
}

/// Redeems an activation code as the web does: look up its holder, then set
/// the password as them.
async fn redeem(
    store: &Store,
    code: &str,
    password: &str,
    client: Option<String>,
) -> Result<waakvlam_store::accounts::Account, StoreError> {
    let holder = store
        .read(&Actor::system("activation"), async |cx| {
            activation::holder(cx, code, client).await
        })
        .await?;
    store
        .write(&holder, async |cx| {
            activation::redeem(cx, code, password).await
        })
        .await
}

async fn choose(
    store: &Store,
    actor: &Actor,
    professional: AccountId,
) -> Result<waakvlam_store::HelperRequestId, StoreError> {
    store
        .write(actor, async |cx| {
            helper_request::choose(cx, professional, today()).await
        })
        .await
}

async fn waiting(
    store: &Store,
    actor: &Actor,
) -> Result<Vec<helper_request::HelperRequest>, StoreError> {
    store
        .read(actor, async |cx| read::helper_requests::page(cx).await)
        .await
}

db_test! {
    async fn a_check_in_reaches_the_professional_and_the_signal_engine(db) {
        let w = world(&db.store).await;
        let jan = actor(&db.store, &w.jan).await;
        db.store.write(&jan, async |cx| {
            portal::check_in::add(cx, Wellbeing::new(2).unwrap(), Some("  Slecht geslapen ".into())).await
        })
        .await
        .unwrap();
        let me = db.store.read(&jan, async |cx| read::portal_me::page(cx, today()).await).await.unwrap();
        let last = me.last_check_in.unwrap();
        assert_eq!((last.wellbeing, last.note.as_deref()), (2, Some("Slecht geslapen")));

        // The professional's timeline shows it.
        let pro = actor(&db.store, &w.pro_a).await;
        let tl = db.store.read(&pro, async |cx| resident::timeline(cx, w.resident_a, 0, 20).await).await.unwrap().happened;
        assert!(tl.iter().any(|i| matches!(&i.event,
            resident::TimelineEvent::CheckIn { wellbeing: 2, note: Some(n) } if n == "Slecht geslapen")),
            "{tl:?}");
        // The caseload facts carry it to the signal engine.
        let facts = db.store.read(&pro, async |cx| caseload::facts(cx, caseload::Scope::Mine, today()).await).await.unwrap();
        let f = facts.iter().find(|f| w.resident_a == f.entry.resident_id).unwrap();
        assert!(f.check_ins.iter().any(|c| c.wellbeing.value() == 2), "{:?}", f.check_ins);

        // Only residents check in, and only for themselves.
        assert!(matches!(
            db.store.write(&pro, async |cx| portal::check_in::add(cx, Wellbeing::new(4).unwrap(), None).await).await,
            Err(StoreError::Denied)
        ));
        let long = "x".repeat(portal::MAX_TEXT + 1);
        assert!(matches!(
            db.store.write(&jan, async |cx| portal::check_in::add(cx, Wellbeing::new(4).unwrap(), Some(long)).await).await,
            Err(StoreError::Invalid(_))
        ));
    }
}

db_test! {
    async fn a_resident_sees_and_writes_only_their_own_plan_and_messages(db) {
        let w = world(&db.store).await;
        let jan = actor(&db.store, &w.jan).await;
        db.store.write(&jan, async |cx| plan::add_note(cx, NoteKind::WentWell, "Boodschappen zelf gedaan".into()).await)
            .await
            .unwrap();
        let plan = db.store.read(&jan, async |cx| read::portal_plan::page(cx).await).await.unwrap();
        assert_eq!(plan.plan.progress[0].text, "Dit ging goed: Boodschappen zelf gedaan");
        assert!(plan.plan.progress[0].by_resident);
        assert!(matches!(
            db.store.write(&jan, async |cx| plan::add_note(cx, NoteKind::WantHelp, "   ".into()).await).await,
            Err(StoreError::Invalid(_))
        ));

        // Someone else's plan and thread: refused and logged.
        assert!(matches!(shared_plan(&db.store, &jan, w.resident_b).await, Err(StoreError::Denied)));
        assert!(matches!(
            send(&db.store, &jan, w.resident_b, "hoi").await,
            Err(StoreError::Denied)
        ));
        let log = waakvlam_testkit::access_latest(&db.store, 1).await;
        assert_eq!(log[0].outcome, "denied");

        // The thread between Jan and his professional; another team's professional cannot read it.
        send(&db.store, &jan, w.resident_a, "Kun je morgen bellen?").await.unwrap();
        let pro = actor(&db.store, &w.pro_a).await;
        send(&db.store, &pro, w.resident_a, "Ja, om 10 uur.").await.unwrap();
        let thread = db.store.read(&jan, async |cx| read::portal_messages::page(cx, today()).await).await.unwrap().thread;
        let bodies: Vec<_> = thread.iter().map(|m| (m.author.as_str(), m.body.as_str())).collect();
        assert_eq!(bodies, [("jan", "Kun je morgen bellen?"), ("a", "Ja, om 10 uur.")]);
        let other = actor(&db.store, &w.pro_b).await;
        assert!(matches!(shared_plan(&db.store, &other, w.resident_a).await, Err(StoreError::Denied)));
    }
}

db_test! {
    async fn a_trusted_person_sees_what_is_shared_until_it_is_withdrawn(db) {
        let w = world(&db.store).await;
        let jan = actor(&db.store, &w.jan).await;
        let invited = invite(&db.store, &jan, Invitation {
            name: "Anna de Vries".into(),
            email: "Anna@Example.nl".into(),
            relation: Relation::Family,
        })
        .await
        .unwrap();
        assert_eq!(invited.email, "anna@example.nl");
        // Pending: no account and no share until Anna accepts.
        let anna_account = async |store: &Store| {
            store
                .read(&Actor::system("test"), async |cx| accounts::by_email(cx, "anna@example.nl").await)
                .await
                .unwrap()
        };
        assert!(anna_account(&db.store).await.is_none());
        assert!(shares(&db.store, &jan).await.iter().all(|s| s.name != "Anna de Vries"));
        let email = accept_with_new_account(&db.store, &invited.code.code, "anna heeft een sleutel").await.unwrap();
        assert_eq!(email, "anna@example.nl");
        let anna = anna_account(&db.store).await.unwrap();
        assert_eq!(anna.role, Role::TrustedPerson);
        // The code works once.
        assert!(matches!(
            accept_with_new_account(&db.store, &invited.code.code, "anna heeft een sleutel").await,
            Err(StoreError::Invalid(_))
        ));
        let anna_actor = actor(&db.store, &anna).await;

        // Anna sees Jan's plan and thread; not Piet's, and nothing through the tenant filters.
        let shared = shared_with_me(&db.store, &anna_actor).await;
        assert_eq!(shared.iter().map(|s| s.resident_id).collect::<Vec<_>>(), [w.resident_a]);
        let plan = shared_plan(&db.store, &anna_actor, w.resident_a).await.unwrap();
        assert!(plan.resident_name.starts_with("Jan"), "{}", plan.resident_name);
        // "Die persoon kan je plan lezen. Meer niet.": not the thread, not writing in it.
        send(&db.store, &jan, w.resident_a, "Alleen voor mijn begeleider").await.unwrap();
        assert!(matches!(send(&db.store, &anna_actor, w.resident_a, "hoi").await, Err(StoreError::Denied)));
        let log = waakvlam_testkit::access_latest(&db.store, 1).await;
        assert_eq!((log[0].outcome.as_str(), log[0].action.as_str()), ("denied", "create"));
        assert!(matches!(shared_plan(&db.store, &anna_actor, w.resident_b).await, Err(StoreError::Denied)));
        assert!(matches!(
            db.store.read(&anna_actor, async |cx| resident::file(cx, w.resident_a, today()).await).await,
            Err(StoreError::Denied)
        ));
        assert!(matches!(
            db.store.read(&anna_actor, async |cx| waakvlam_store::access::entries_for_resident(cx, w.resident_a, 10).await).await,
            Err(StoreError::Denied)
        ));
        assert!(matches!(
            db.store.write(&anna_actor, async |cx| portal::check_in::add(cx, Wellbeing::new(3).unwrap(), None).await).await,
            Err(StoreError::Denied)
        ));

        // Jan lists and removes her: access is gone at once.
        let listed = shares(&db.store, &jan).await;
        let share = listed.iter().find(|s| s.name == "Anna de Vries").unwrap();
        // Piet cannot remove Jan's consent.
        let piet = actor(&db.store, &w.piet).await;
        assert!(matches!(revoke(&db.store, &piet, share.consent_id).await, Err(StoreError::NotFound { .. })));
        revoke(&db.store, &jan, share.consent_id).await.unwrap();
        assert!(matches!(shared_plan(&db.store, &anna_actor, w.resident_a).await, Err(StoreError::Denied)));
        assert!(matches!(
            send(&db.store, &anna_actor, w.resident_a, "hoi").await,
            Err(StoreError::Denied)
        ));
        assert!(shared_with_me(&db.store, &anna_actor).await.is_empty());
        assert!(shares(&db.store, &jan).await.iter().all(|s| s.name != "Anna de Vries"));

        // Another professional accepts with their own login; the code is
        // not accepted without it, nor by an account of another address.
        let invited = invite(&db.store, &jan, Invitation {
            name: "Bea".into(),
            email: w.pro_b.email.clone(),
            relation: Relation::Professional,
        })
        .await
        .unwrap();
        let pro_b = actor(&db.store, &w.pro_b).await;
        assert!(matches!(shared_plan(&db.store, &pro_b, w.resident_a).await, Err(StoreError::Denied)));
        assert!(matches!(
            accept_with_new_account(&db.store, &invited.code.code, "een nieuw wachtwoord").await,
            Err(StoreError::Invalid(_))
        ));
        let pro_a = actor(&db.store, &w.pro_a).await;
        assert!(matches!(accept(&db.store, &pro_a, &invited.code.code).await, Err(StoreError::Invalid(_))));
        accept(&db.store, &pro_b, &invited.code.code).await.unwrap();
        assert!(shared_plan(&db.store, &pro_b, w.resident_a).await.is_ok());

        // An invitation for a resident's address gives the same answer and
        // shares nothing; Piet's password stays his.
        let invited = invite(&db.store, &jan, Invitation {
            name: "Piet".into(),
            email: w.piet.email.clone(),
            relation: Relation::Family,
        })
        .await
        .unwrap();
        let piet = actor(&db.store, &w.piet).await;
        assert!(matches!(accept(&db.store, &piet, &invited.code.code).await, Err(StoreError::Invalid(_))));
        accept_with_new_account(&db.store, &invited.code.code, "overgenomen wachtwoord").await.unwrap();
        assert!(matches!(shared_plan(&db.store, &piet, w.resident_a).await, Err(StoreError::Denied)));
        assert!(db.store.read(&Actor::system("test"), async |cx| accounts::authenticate(cx, &w.piet.email, "overgenomen wachtwoord").await).await.unwrap().is_none());

        // Jan withdraws an invitation: its code stops working.
        let invited = invite(&db.store, &jan, Invitation {
            name: "Carla".into(),
            email: "carla@example.nl".into(),
            relation: Relation::InformalCarer,
        })
        .await
        .unwrap();
        let pending = db.store.read(&jan, async |cx| read::portal_sharing::page(cx, today()).await).await.unwrap().pending;
        assert_eq!(pending.iter().map(|p| p.email.as_str()).collect::<Vec<_>>(), ["carla@example.nl"]);
        assert!(matches!(
            db.store.write(&piet, async |cx| consent::withdraw(cx, pending[0].id).await).await,
            Err(StoreError::Denied | StoreError::NotFound { .. })
        ));
        db.store.write(&jan, async |cx| consent::withdraw(cx, pending[0].id).await).await.unwrap();
        assert!(matches!(
            accept_with_new_account(&db.store, &invited.code.code, "carla was te laat").await,
            Err(StoreError::Invalid(_))
        ));
    }
}

db_test! {
    async fn activation_codes_work_once_expire_and_replace_each_other(db) {
        let w = world(&db.store).await;
        let pro = actor(&db.store, &w.pro_a).await;
        // Another team's professional cannot make a code for Jan.
        let other = actor(&db.store, &w.pro_b).await;
        assert!(matches!(
            issue(&db.store, &other, w.resident_a).await,
            Err(StoreError::Denied)
        ));
        let first = issue(&db.store, &pro, w.resident_a).await.unwrap();
        assert_eq!(first.login, "jan@example.nl");
        let second = issue(&db.store, &pro, w.resident_a).await.unwrap();
        // The older code stopped working when the new one was made.
        assert!(matches!(
            redeem(&db.store, &first.code.code, "nieuw wachtwoord", None).await,
            Err(StoreError::Invalid(_))
        ));
        // Too short a password does not use the code up.
        assert!(matches!(
            redeem(&db.store, &second.code.code, "kort", None).await,
            Err(StoreError::Invalid(_))
        ));
        let typed = second.code.code.to_lowercase().replace('-', " ");
        let acc = redeem(&db.store, &typed, "nieuw wachtwoord", None).await.unwrap();
        assert_eq!(acc.id, w.jan.id);
        assert!(db.store.read(&Actor::system("test"), async |cx| accounts::authenticate(cx, "jan@example.nl", "nieuw wachtwoord").await).await.unwrap().is_some());
        // Once only.
        assert!(redeem(&db.store, &second.code.code, "nog een keer", None).await.is_err());

        // Expired after 14 days.
        let third = issue(&db.store, &pro, w.resident_a).await.unwrap();
        db.clock.advance(TimeDelta::days(activation::VALID_DAYS) + TimeDelta::minutes(1));
        assert!(redeem(&db.store, &third.code.code, "te laat gekomen", None).await.is_err());

        // A resident without an account gets one with a login name.
        let kim = person("999996630").given_names("Lee").family_name(None, "Kim").born(d(1990, 1, 1));
        let (kim, _) = db.store.write(&Actor::system("test"), async |cx| residents::upsert(cx, &kim.new_resident()).await).await.unwrap();
        let lead = actor(&db.store, &w.lead_a).await;
        // Kim is not in the team's care: refused.
        assert!(matches!(
            issue(&db.store, &lead, kim.id).await,
            Err(StoreError::Denied)
        ));
    }
}

db_test! {
    async fn a_chosen_helper_becomes_the_contact_person_when_the_team_lead_confirms(db) {
        let w = world(&db.store).await;
        for (p, area) in [(&w.pro_a, "Centrum"), (&w.pro_a2, "Goes-Oost"), (&w.pro_b, "Centrum")] {
            let profile = Profile {
                account_id: p.id,
                municipality_code: "0664".into(),
                area: area.into(),
                specialisation: "Geldzaken".into(),
                languages: "Nederlands, Turks".into(),
                introduction: "Ik help je graag.".into(),
                available: true,
            };
            db.store.write(&Actor::system("test"), async |cx| helper::set_profile(cx, &profile).await).await.unwrap();
        }
        let jan = actor(&db.store, &w.jan).await;
        let page = db.store.read(&jan, async |cx| read::portal_helper::page(cx, today()).await).await.unwrap();
        let helpers = page.helpers;
        // Only Jan's team; his own contact person marked.
        let names: Vec<_> = helpers.iter().map(|h| (h.name.as_str(), h.current)).collect();
        assert_eq!(names, [("a", true), ("a2", false)]);
        assert!(matches!(
            choose(&db.store, &jan, w.pro_b.id).await,
            Err(StoreError::Invalid(_))
        ));
        let id = choose(&db.store, &jan, w.pro_a2.id).await.unwrap();
        let mine = db.store.read(&jan, async |cx| read::portal_helper::page(cx, today()).await).await.unwrap().request.unwrap();
        assert_eq!(mine.id, id);

        // A professional cannot decide; the team lead sees and confirms.
        let pro = actor(&db.store, &w.pro_a).await;
        assert!(waiting(&db.store, &pro).await.is_err());
        let lead = actor(&db.store, &w.lead_a).await;
        let waiting_now = waiting(&db.store, &lead).await.unwrap();
        assert_eq!(waiting_now.iter().map(|r| r.id).collect::<Vec<_>>(), [id]);
        assert_eq!(waiting_now[0].current_professional.as_deref(), Some("a"));
        db.store.write(&lead, async |cx| helper_request::decide(cx, id, true).await).await.unwrap();
        let me = db.store.read(&jan, async |cx| read::portal_me::page(cx, today()).await).await.unwrap();
        assert_eq!(me.contact.unwrap().name, "a2");
        let contact = db.store.read(&jan, async |cx| care_record::contact_person(cx, w.resident_a, today()).await).await.unwrap().unwrap();
        assert_eq!(contact.name, "a2");
        assert!(waiting(&db.store, &lead).await.unwrap().is_empty());
    }
}

db_test! {
    async fn a_resident_can_take_the_plan_away_from_their_carer_and_care_goes_on(db) {
        use waakvlam_domain::care::ConsentParty;
        use waakvlam_store::care_record::NewConsent;
        let w = world(&db.store).await;
        let jan = actor(&db.store, &w.jan).await;
        let pro = actor(&db.store, &w.pro_a).await;
        let consent = NewConsent {
            resident_id: w.resident_a,
            party: ConsentParty::Professional,
            party_account_id: Some(w.pro_a.id),
            party_name: "Contactpersoon".into(),
            granted_at: db.store.now(),
        };
        db.store.write(&Actor::system("test"), async |cx| care_record::add_consent(cx, &consent).await).await.unwrap();
        db.store.write(&jan, async |cx| plan::add_note(cx, NoteKind::WentWell, "Zelf gekookt".into()).await).await.unwrap();
        let today = db.store.now().date_naive();
        let before = db.store.read(&pro, async |cx| resident::file(cx, w.resident_a, today).await).await.unwrap();
        assert!(!before.plan_withheld);
        assert!(!before.progress.is_empty());

        // Jan removes his contact person on "Wie ziet mijn plan".
        let share = shares(&db.store, &jan).await.into_iter()
            .find(|s| s.party == ConsentParty::Professional).unwrap();
        revoke(&db.store, &jan, share.consent_id).await.unwrap();
        let after = db.store.read(&pro, async |cx| resident::file(cx, w.resident_a, today).await).await.unwrap();
        assert!(after.plan_withheld, "the plan is gone at once");
        assert!(after.plan.is_empty() && after.progress.is_empty());
        // On every route that shows the plan: `/shared/{id}` refuses too, logged as denied.
        assert!(matches!(shared_plan(&db.store, &pro, w.resident_a).await, Err(StoreError::Denied)));
        let log = waakvlam_testkit::access_latest(&db.store, 1).await;
        assert_eq!(log[0].outcome, "denied");
        assert_eq!(log[0].objects, format!("resident:{}:plan", w.resident_a));
        // The thread is care, not the plan: it goes on.
        send(&db.store, &pro, w.resident_a, "Ik bel je donderdag.").await.unwrap();
        let timeline = db.store.read(&pro, async |cx| resident::timeline(cx, w.resident_a, 0, 50).await).await.unwrap().happened;
        assert!(!timeline.iter().any(|i| matches!(i.event, resident::TimelineEvent::PlanChanged { .. })));
        // Care goes on: the professional still logs contacts and sees the resident.
        assert_eq!(after.current.map(|(i, _)| i.resident_id), Some(w.resident_a));
    }
}

// ---------------------------------------------------------------------------
// Plans written together (issue 12)
// ---------------------------------------------------------------------------

mod plans_together {
    use super::*;
    use waakvlam_domain::monitoring::Assumptions;
    use waakvlam_domain::plan::{
        ArchiveReason, PlanItemKind, ProposalStatus, ResultAssessment, ResultReached,
    };
    use waakvlam_store::care_plan::{self, Answer, ItemEvent};
    use waakvlam_store::monitoring::{self, Filter, Scope};
    use waakvlam_store::{IndicationId, PlanItemId};

    async fn add(
        store: &Store,
        actor: &Actor,
        resident: ResidentId,
        kind: PlanItemKind,
        text: &str,
    ) -> Result<PlanItemId, StoreError> {
        store
            .write(actor, async |cx| {
                care_plan::add_item(cx, resident, kind, text).await
            })
            .await
    }

    async fn file(store: &Store, actor: &Actor, resident: ResidentId) -> resident::ResidentFile {
        let today = store.now().date_naive();
        store
            .read(actor, async |cx| resident::file(cx, resident, today).await)
            .await
            .unwrap()
    }

    db_test! {
        async fn writing_changing_and_archiving_plan_items_keeps_who_and_when(db) {
            let w = world(&db.store).await;
            let pro = actor(&db.store, &w.pro_a).await;
            let lead = actor(&db.store, &w.lead_a).await;
            let goal = add(&db.store, &pro, w.resident_a, PlanItemKind::Goal, "  Ik doe zelf boodschappen. ").await.unwrap();
            add(&db.store, &lead, w.resident_a, PlanItemKind::Agreement, "We bellen elke maandag.").await.unwrap();
            db.store
                .write(&lead, async |cx| care_plan::change_text(cx, w.resident_a, goal, "Ik doe elke week zelf boodschappen.").await)
                .await
                .unwrap();

            let f = file(&db.store, &pro, w.resident_a).await;
            let item = f.plan.iter().find(|e| e.id == goal).unwrap();
            assert_eq!(item.text, "Ik doe elke week zelf boodschappen.");
            assert_eq!(item.kind, PlanItemKind::Goal);
            let who: Vec<_> = item.history.iter().map(|c| c.by.clone().unwrap()).collect();
            assert_eq!(who, [w.pro_a.display_name.clone(), w.lead_a.display_name.clone()]);
            assert!(item.history.iter().all(|c| c.at == db.store.now()));
            assert_eq!(item.history[0].event, ItemEvent::Written { text: "Ik doe zelf boodschappen.".into() });
            assert_eq!(
                item.history[1].event,
                ItemEvent::Changed { from: "Ik doe zelf boodschappen.".into(), to: "Ik doe elke week zelf boodschappen.".into() }
            );
            assert!(f.plan.iter().any(|e| e.kind == PlanItemKind::Agreement));

            // Done: off the plan, kept with its history, for the resident too.
            db.store
                .write(&pro, async |cx| care_plan::archive(cx, w.resident_a, goal, ArchiveReason::Done).await)
                .await
                .unwrap();
            let f = file(&db.store, &pro, w.resident_a).await;
            assert!(f.plan.iter().all(|e| e.id != goal));
            let archived = f.archived.iter().find(|e| e.id == goal).unwrap();
            assert_eq!(archived.archived.map(|(r, _)| r), Some(ArchiveReason::Done));
            assert_eq!(archived.history.last().unwrap().event, ItemEvent::Archived { reason: ArchiveReason::Done });
            let jan = actor(&db.store, &w.jan).await;
            let own = db.store.read(&jan, async |cx| read::portal_plan::page(cx).await).await.unwrap();
            assert!(own.plan.goals.is_empty() && own.plan.agreements.len() == 1);
            // An archived item is not changed again.
            let again = db.store
                .write(&pro, async |cx| care_plan::change_text(cx, w.resident_a, goal, "Nog eens").await)
                .await;
            assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");

            // Texts are required and limited, each refusal at its field.
            let empty = add(&db.store, &pro, w.resident_a, PlanItemKind::Goal, "   ").await;
            assert!(matches!(&empty, Err(StoreError::Invalid(r)) if r[0].field == "text" && r[0].reason.id == "text-required"), "{empty:?}");
            let long = add(&db.store, &pro, w.resident_a, PlanItemKind::Goal, &"x".repeat(501)).await;
            assert!(matches!(&long, Err(StoreError::Invalid(r)) if r[0].reason.id == "text-length"), "{long:?}");

            // Another team, the resident, and a goal of another resident: refused and logged.
            let other = actor(&db.store, &w.pro_b).await;
            assert!(matches!(add(&db.store, &other, w.resident_a, PlanItemKind::Goal, "Hoi").await, Err(StoreError::Denied)));
            let log = waakvlam_testkit::access_latest(&db.store, 1).await;
            assert_eq!((log[0].outcome.as_str(), log[0].objects.clone()), ("denied", format!("resident:{}:plan", w.resident_a)));
            assert!(matches!(add(&db.store, &jan, w.resident_a, PlanItemKind::Goal, "Zelf").await, Err(StoreError::Denied)));
            let theirs = add(&db.store, &other, w.resident_b, PlanItemKind::Goal, "Van Piet").await.unwrap();
            let across = db.store
                .write(&pro, async |cx| care_plan::change_text(cx, w.resident_a, theirs, "Gekaapt").await)
                .await;
            assert!(matches!(across, Err(StoreError::NotFound { .. })), "{across:?}");
        }
    }

    db_test! {
        async fn a_professional_the_resident_took_the_plan_from_cannot_write_it(db) {
            use waakvlam_domain::care::ConsentParty;
            use waakvlam_store::care_record::NewConsent;
            let w = world(&db.store).await;
            let jan = actor(&db.store, &w.jan).await;
            let pro = actor(&db.store, &w.pro_a).await;
            let consent = NewConsent {
                resident_id: w.resident_a,
                party: ConsentParty::Professional,
                party_account_id: Some(w.pro_a.id),
                party_name: "Contactpersoon".into(),
                granted_at: db.store.now(),
            };
            db.store.write(&Actor::system("test"), async |cx| care_record::add_consent(cx, &consent).await).await.unwrap();
            let goal = add(&db.store, &pro, w.resident_a, PlanItemKind::Goal, "Ik kook zelf.").await.unwrap();
            let share = shares(&db.store, &jan).await.into_iter()
                .find(|s| s.party == ConsentParty::Professional).unwrap();
            revoke(&db.store, &jan, share.consent_id).await.unwrap();

            assert!(matches!(add(&db.store, &pro, w.resident_a, PlanItemKind::Goal, "Nieuw").await, Err(StoreError::Denied)));
            let change = db.store
                .write(&pro, async |cx| care_plan::change_text(cx, w.resident_a, goal, "Anders").await)
                .await;
            assert!(matches!(change, Err(StoreError::Denied)));
            let log = waakvlam_testkit::access_latest(&db.store, 1).await;
            assert_eq!((log[0].outcome.as_str(), log[0].objects.clone()), ("denied", format!("plan_item:{goal}")));
            let archive = db.store
                .write(&pro, async |cx| care_plan::archive(cx, w.resident_a, goal, ArchiveReason::Lapsed).await)
                .await;
            assert!(matches!(archive, Err(StoreError::Denied)));
            // The plan is unchanged for the resident.
            let own = db.store.read(&jan, async |cx| read::portal_plan::page(cx).await).await.unwrap();
            assert_eq!(own.plan.goals.iter().map(|g| g.text.as_str()).collect::<Vec<_>>(), ["Ik kook zelf."]);
        }
    }

    db_test! {
        async fn a_resident_proposes_goals_only_for_themselves_and_sees_the_answer(db) {
            let w = world(&db.store).await;
            let jan = actor(&db.store, &w.jan).await;
            let pro = actor(&db.store, &w.pro_a).await;
            let proposal = db.store
                .write(&jan, async |cx| plan::propose(cx, " Ik wil zelf mijn post openen. ").await)
                .await
                .unwrap();
            // Only a resident proposes, and only in their own plan.
            let by_pro = db.store.write(&pro, async |cx| plan::propose(cx, "Namens Jan").await).await;
            assert!(matches!(by_pro, Err(StoreError::Denied)));
            let empty = db.store.write(&jan, async |cx| plan::propose(cx, "  ").await).await;
            assert!(matches!(&empty, Err(StoreError::Invalid(r)) if r[0].field == "text"), "{empty:?}");

            let f = file(&db.store, &pro, w.resident_a).await;
            assert_eq!(f.proposals.iter().map(|p| p.text.as_str()).collect::<Vec<_>>(), ["Ik wil zelf mijn post openen."]);
            let piet_file = file(&db.store, &actor(&db.store, &w.pro_b).await, w.resident_b).await;
            assert!(piet_file.proposals.is_empty());
            // Another team cannot answer it.
            let other = actor(&db.store, &w.pro_b).await;
            let across = db.store
                .write(&other, async |cx| care_plan::answer_proposal(cx, w.resident_a, proposal, &Answer::Discuss { note: String::new() }).await)
                .await;
            assert!(matches!(across, Err(StoreError::Denied)));

            // Discuss first: the resident sees it, with the note.
            db.store
                .write(&pro, async |cx| care_plan::answer_proposal(cx, w.resident_a, proposal, &Answer::Discuss { note: "Welke post?".into() }).await)
                .await
                .unwrap();
            let own = db.store.read(&jan, async |cx| read::portal_plan::page(cx).await).await.unwrap();
            assert_eq!(own.proposals[0].status, ProposalStatus::Discuss);
            assert_eq!(own.proposals[0].answer_note.as_deref(), Some("Welke post?"));

            // Then accepted, reworded together: a goal whose history starts with Jan's words.
            let goal = db.store
                .write(&pro, async |cx| care_plan::answer_proposal(cx, w.resident_a, proposal, &Answer::Accept { text: "Ik open elke dag zelf mijn post.".into() }).await)
                .await
                .unwrap()
                .unwrap();
            let f = file(&db.store, &pro, w.resident_a).await;
            assert!(f.proposals.is_empty(), "an accepted proposal is a goal now");
            let item = f.plan.iter().find(|e| e.id == goal).unwrap();
            assert_eq!(item.text, "Ik open elke dag zelf mijn post.");
            assert_eq!(item.history[0].event, ItemEvent::Proposed { text: "Ik wil zelf mijn post openen.".into() });
            assert_eq!(item.history[0].by.as_deref(), Some(w.jan.display_name.as_str()));
            assert_eq!(item.history[1].by.as_deref(), Some(w.pro_a.display_name.as_str()));
            let own = db.store.read(&jan, async |cx| read::portal_plan::page(cx).await).await.unwrap();
            assert_eq!(own.proposals[0].status, ProposalStatus::Accepted);
            assert!(own.plan.goals.iter().any(|g| g.text == "Ik open elke dag zelf mijn post."));
            // Accepted once.
            let again = db.store
                .write(&pro, async |cx| care_plan::answer_proposal(cx, w.resident_a, proposal, &Answer::Accept { text: "Nog een".into() }).await)
                .await;
            assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
        }
    }

    db_test! {
        async fn a_waakvlam_ends_with_its_result_assessed_and_monitoring_counts_it(db) {
            let w = world(&db.store).await;
            let pro = actor(&db.store, &w.pro_a).await;
            let today = db.store.now().date_naive();
            let f = file(&db.store, &pro, w.resident_a).await;
            let indication: IndicationId = f.current.as_ref().unwrap().0.id;
            let end = |result: ResultAssessment| care_record::EndWaakvlam {
                resident_id: w.resident_a,
                indication_id: indication,
                end: today,
                outcome: waakvlam_domain::indication::WaakvlamOutcome::Independent,
                result,
                today,
                end_is_over_at: db.store.now() + TimeDelta::days(1),
            };
            // The assessment is required: no sentence, no result.
            assert!(ResultAssessment::parse("reached", " ").is_err());
            assert!(ResultAssessment::parse("", "Gaat goed").is_err());
            let assessed = ResultAssessment::parse("partly", "Woont zelfstandig; de post lukt nog niet.").unwrap();
            let request = end(assessed.clone());
            let ended = db.store
                .write(&pro, async |cx| care_record::end_waakvlam(cx, &request).await)
                .await
                .unwrap();
            assert_eq!(ended.result, Some(assessed.clone()));
            let f = file(&db.store, &pro, w.resident_a).await;
            let stored = f.indications.iter().find(|(i, _)| i.id == indication).unwrap();
            assert_eq!(stored.0.result.as_ref().map(|r| r.reached), Some(ResultReached::Partly));
            // Assessed once.
            let again = db.store
                .write(&Actor::system("test"), async |cx| waakvlam_store::indications::assess_result(cx, indication, &assessed).await)
                .await;
            assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");

            // Monitoring counts it: one partly reached in the municipality.
            let filter = Filter::year(today.format("%Y").to_string().parse().unwrap()).unwrap();
            let m = db.store
                .read(&Actor::system("test"), async |cx| monitoring::dashboard(cx, &Scope::All, &filter, today, Assumptions::default()).await)
                .await
                .unwrap();
            assert_eq!((m.results.total.reached, m.results.total.partly, m.results.total.not_reached), (0, 1, 0));
            assert_eq!(m.results.total.total(), m.flows.waakvlam_ended);
            let table = m.table("results", None).unwrap();
            assert_eq!(table.rows.len(), 2, "one municipality and the total");
        }
    }
}

db_test! {
    async fn new_resident_activity_is_flagged_on_the_caseload_until_the_professional_looks(db) {
        let w = world(&db.store).await;
        let jan = actor(&db.store, &w.jan).await;
        let pro = actor(&db.store, &w.pro_a).await;
        let lead = actor(&db.store, &w.lead_a).await;
        let flags = async |who: &Actor, team| {
            db.store
                .read(who, async |cx| caseload::page(cx, team, today()).await)
                .await
                .unwrap()
                .new_activity
        };
        let look = async |who: &Actor| {
            db.store
                .read(who, async |cx| resident::page(cx, w.resident_a, today(), 0, 20).await)
                .await
                .unwrap();
        };
        look(&pro).await;
        assert!(flags(&pro, None).await.is_empty());

        // The resident writes a message and asks for help on the plan.
        db.clock.advance(TimeDelta::minutes(5));
        send(&db.store, &jan, w.resident_a, "Kun je bellen?").await.unwrap();
        db.store
            .write(&jan, async |cx| plan::add_note(cx, NoteKind::WantHelp, "De post".into()).await)
            .await
            .unwrap();
        db.clock.advance(TimeDelta::minutes(5));
        let new = flags(&pro, None).await;
        let a = new.get(&w.resident_a).copied().unwrap_or_default();
        assert!(a.message && a.help && !a.proposal, "{new:?}");
        assert!(!new.contains_key(&w.resident_b), "{new:?}");
        // The team lead has not looked either: it is new to them too.
        let team = w.lead_a.team_id;
        assert!(flags(&lead, team).await.contains_key(&w.resident_a));

        // The professional's own message and a note that went well are not flagged.
        look(&pro).await;
        db.clock.advance(TimeDelta::minutes(5));
        send(&db.store, &pro, w.resident_a, "Ja, morgen.").await.unwrap();
        db.store
            .write(&jan, async |cx| plan::add_note(cx, NoteKind::WentWell, "Post geopend".into()).await)
            .await
            .unwrap();
        assert!(flags(&pro, None).await.is_empty());

        // A proposed goal is new until the professional looks.
        db.clock.advance(TimeDelta::minutes(5));
        db.store
            .write(&jan, async |cx| plan::propose(cx, "Zelf boodschappen doen").await)
            .await
            .unwrap();
        let a = flags(&pro, None).await.get(&w.resident_a).copied().unwrap_or_default();
        assert!(a.proposal && !a.message && !a.help, "{a:?}");
        db.clock.advance(TimeDelta::minutes(5));
        look(&pro).await;
        assert!(flags(&pro, None).await.is_empty());
        // Seen by the professional, still new to the team lead.
        assert!(flags(&lead, team).await.contains_key(&w.resident_a));
    }
}
