//! The authorisation matrix: every route of the router × every subject
//! (anonymous, each role, and on the portal the resident, a trusted person
//! and a trusted person the resident removed) × the subject's own tenant and
//! another, each answer checked against one declarative policy table,
//! [`POLICY`].
//!
//! The routes come from the router itself (`waakvlam_web::route_paths`; a
//! path's methods are found by asking it, as it answers 405 to a method it
//! does not have, and a GET of a form-only URL with a redirect to its page), so a route added without a line in the table fails this
//! test, and so does a line for a route that is gone.
//!
//! Tenant A is Kees van Dam (Goes, provider Zeeuwse Zorgcoöperatie, team
//! Goes-Kapelle): every logged-in test account belongs to it. Tenant B is
//! Greet Verborgenhuis (Borsele, Stichting Elders). A route that names an
//! object is asked once with A's object and once with B's; a refusal must
//! be a 403 or 404 with a `denied` entry in the access log, and anonymous
//! requests must be sent to the login page.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use axum::http::{Method, StatusCode};
use waakvlam_domain::care::ConsentParty;
use waakvlam_domain::care::{RequestStatus, ScaleDirection, Urgency};
use waakvlam_domain::role::Role;
use waakvlam_store::care_record::{self, NewBell, NewConsent};
use waakvlam_store::portal::helper::{self, Profile};
use waakvlam_store::portal::{consent, helper_request};
use waakvlam_store::scale_request::{self, NewScaleRequest};
use waakvlam_store::{Actor, ResidentId};
use waakvlam_testkit::{Member, TestDb, db_test};

use crate::support::{Client, ELSEWHERE, KEES, STRANGER, email_of, seed_care_world};

/// What a route names in its path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    /// Nothing of a tenant: asked once.
    Nothing,
    Resident,
    /// `/clients/{id}/bells/{bell_id}`: the resident and one of their bells.
    Bell,
    /// `/clients/{id}/plan/items/{item_id}`: the resident and a goal of theirs.
    PlanItem,
    /// `/clients/{id}/plan/proposals/{proposal_id}`: the resident and a goal they proposed.
    Proposal,
    Indication,
    /// A new indication of the tenant's provider that no team took on yet.
    NewAllocation,
    ScaleRequest,
    /// A second request, so that one can be rejected after the other was approved.
    SecondScaleRequest,
    /// A resident's share of their plan (`/me/sharing/{id}/remove`).
    Consent,
    HelperRequest,
    /// An invitation the resident has not seen accepted yet.
    Invitation,
    /// The catalogue is shared by the whole installation.
    Product,
    /// A professional of the tenant's team (`/team/{id}/capacity`).
    Colleague,
    /// The municipality's request to the tenant's provider to plan a scale-down.
    PlanningRequest,
    /// A provider's contract for WVL in the tenant's municipality.
    Contract,
    /// An iWmo message about the tenant's resident.
    Message,
    /// A fixed value: `/lang/{code}`, `/monitoring/export/{file}`, `/assets/{*path}`.
    Literal(&'static str),
}

/// Who may use a route.
#[derive(Clone, Copy, Debug)]
enum Who {
    /// Everyone, logged in or not.
    Public,
    /// Every logged-in account.
    LoggedIn,
    /// `own`: these roles, for objects of their own tenant only;
    /// `every`: these roles, for objects of any tenant.
    Roles {
        own: &'static [Role],
        every: &'static [Role],
    },
}

const fn own(roles: &'static [Role]) -> Who {
    Who::Roles {
        own: roles,
        every: &[],
    }
}

use Role::{
    Admin, Analyst, Consultant, ContractManager, Professional, Resident, TeamLead, TrustedPerson,
};
use Target::{
    Bell, Consent, Contract, HelperRequest, Indication, Invitation, Literal, NewAllocation,
    Nothing, Product, ScaleRequest, SecondScaleRequest,
};

/// A form that passes the handler's own checks, so that a refusal can only
/// come from who sends it; built from the ids of the tenant asked about.
type FormOf = fn(&Objects) -> Vec<(&'static str, String)>;

struct Rule {
    method: Method,
    path: &'static str,
    target: Target,
    who: Who,
    form: FormOf,
}

fn no_form(_: &Objects) -> Vec<(&'static str, String)> {
    Vec::new()
}

macro_rules! rule {
    ($method:ident $path:literal, $target:expr, $who:expr) => {
        rule!($method $path, $target, $who, no_form)
    };
    ($method:ident $path:literal, $target:expr, $who:expr, $form:expr) => {
        Rule { method: Method::$method, path: $path, target: $target, who: $who, form: $form }
    };
}

const CARE: &[Role] = &[Professional, TeamLead];
/// Everyone who works with Waakvlam: not residents nor the people they trust.
const STAFF: &[Role] = &[
    Admin,
    Consultant,
    Professional,
    TeamLead,
    Analyst,
    ContractManager,
];

/// The policy: one line per method and route.
fn policy() -> Vec<Rule> {
    vec![
        // Public: logging in, activating an account, the language, assets.
        rule!(GET "/login", Nothing, Who::Public),
        rule!(POST "/login", Nothing, Who::Public, |_| vec![
            ("email", "nobody@test.waakvlam.nl".into()),
            ("password", "not the password".into()),
        ]),
        rule!(GET "/activate", Nothing, Who::Public),
        rule!(POST "/activate", Nothing, Who::Public, |_| vec![("code", "AAAA-BBBB-CCCC".into())]),
        rule!(GET "/healthz", Nothing, Who::Public),
        rule!(GET "/readyz", Nothing, Who::Public),
        rule!(GET "/lang/{code}", Literal("en"), Who::Public),
        rule!(GET "/assets/{*path}", Literal("app.css"), Who::Public),
        // Every account.
        rule!(GET "/", Nothing, Who::LoggedIn),
        rule!(POST "/logout", Nothing, Who::LoggedIn),
        rule!(POST "/session/extend", Nothing, Who::LoggedIn),
        // The caseload and the resident page for professionals.
        rule!(GET "/caseload", Nothing, own(CARE)),
        rule!(POST "/caseload/assign", Indication, own(&[TeamLead]), |o| vec![
            ("indication_id", o.indication.to_string()),
            ("professional_id", o.professional.to_string()),
        ]),
        rule!(GET "/clients/{id}", Target::Resident, own(CARE)),
        rule!(POST "/clients/{id}/contacts", Target::Resident, own(CARE), |o| vec![
            ("date", o.today.clone()),
            ("channel", "phone".into()),
            ("duration_minutes", "15".into()),
            ("wellbeing", "4".into()),
            ("note", "Even gebeld".into()),
        ]),
        rule!(POST "/clients/{id}/rhythm", Target::Resident, own(CARE), |o| vec![
            ("indication_id", o.indication.to_string()),
            ("every", "2".into()),
            ("unit", "weeks".into()),
        ]),
        rule!(POST "/clients/{id}/delivery-start", Target::Resident, own(CARE), |o| vec![
            ("indication_id", o.indication.to_string()),
            ("delivery_start", o.today.clone()),
        ]),
        rule!(POST "/clients/{id}/bells/{bell_id}", Bell, own(CARE), |_| vec![
            ("action", "acknowledge".into()),
        ]),
        rule!(POST "/clients/{id}/requests", Target::Resident, own(CARE), |o| vec![
            ("indication_id", o.indication.to_string()),
            ("direction", "up".into()),
            ("product", "BT".into()),
            ("start_date", o.today.clone()),
            ("reason", "Het gaat minder goed".into()),
            ("urgency", "normal".into()),
        ]),
        rule!(POST "/clients/{id}/end", Target::Resident, own(CARE), |o| vec![
            ("indication_id", o.indication.to_string()),
            ("end_date", o.today.clone()),
            ("outcome", "reached".into()),
        ]),
        rule!(POST "/clients/{id}/plan/items", Target::Resident, own(CARE), |_| vec![
            ("kind", "goal".into()),
            ("text", "Ik doe zelf boodschappen.".into()),
        ]),
        rule!(POST "/clients/{id}/plan/items/{item_id}", Target::PlanItem, own(CARE), |_| vec![
            ("text", "Ik doe elke week zelf boodschappen.".into()),
        ]),
        rule!(POST "/clients/{id}/plan/items/{item_id}/archive", Target::PlanItem, own(CARE), |_| vec![
            ("reason", "done".into()),
        ]),
        rule!(POST "/clients/{id}/plan/proposals/{proposal_id}", Target::Proposal, own(CARE), |_| vec![
            ("action", "accept".into()),
            ("text", "Ik open zelf mijn post.".into()),
        ]),
        rule!(GET "/clients/{id}/plan/print", Target::Resident, own(CARE)),
        rule!(POST "/clients/{id}/messages", Target::Resident, own(CARE), |_| vec![
            ("body", "Hoe gaat het?".into()),
        ]),
        rule!(POST "/clients/{id}/activation-code", Target::Resident, own(CARE)),
        rule!(GET "/helper-requests", Nothing, own(&[TeamLead])),
        rule!(GET "/intake", Nothing, own(&[TeamLead])),
        rule!(GET "/iwmo", Nothing, own(&[Admin, Consultant, ContractManager, TeamLead])),
        rule!(GET "/declarations", Nothing, own(&[Admin, ContractManager, TeamLead])),
        rule!(GET "/iwmo/{id}", Target::Message, Who::Roles { own: &[Consultant, TeamLead], every: &[Admin] }),
        rule!(GET "/iwmo/{id}/download", Target::Message, Who::Roles { own: &[Consultant, TeamLead], every: &[Admin] }),
        rule!(POST "/iwmo/{id}/sent", Target::Message, Who::Roles { own: &[Consultant, TeamLead], every: &[Admin] }),
        // Uploads are read only when addressed to the uploader's own organisation (the store's check).
        rule!(GET "/iwmo/upload", Nothing, own(&[Admin, Consultant, TeamLead])),
        rule!(POST "/iwmo/upload", Nothing, own(&[Admin, Consultant, TeamLead])),
        rule!(POST "/intake/{id}/assign", NewAllocation, own(&[TeamLead]), |o| vec![
            ("professional_id", o.colleague.to_string()),
            ("resident", "Nieuw".into()),
        ]),
        rule!(POST "/clients/{id}/handover/read", Target::Resident, own(CARE)),
        // The team lead's team: workload, capacity, hand-over, thresholds.
        // The table runs route by route in path order: by now the resident
        // chose the colleague as helper and the team lead confirmed it
        // (`/helper-requests/{id}`), so the hand-over gives them back to the
        // contact person.
        rule!(GET "/scale-down-requests", Nothing, own(&[TeamLead])),
        rule!(POST "/scale-down-requests/{id}", Target::PlanningRequest, own(&[TeamLead]), |_| vec![
            ("proposed_date", String::new()),
            ("reason", "Eerst de verhuizing afronden.".into()),
        ]),
        rule!(GET "/team", Nothing, own(&[TeamLead])),
        rule!(POST "/team/{id}/capacity", Target::Colleague, own(&[TeamLead]), |_| vec![
            ("capacity", "24".into()),
        ]),
        rule!(GET "/team/handover", Nothing, own(&[TeamLead])),
        rule!(POST "/team/handover", Nothing, own(&[TeamLead]), |o| vec![
            ("from", o.colleague.to_string()),
            ("resident", o.resident.to_string()),
            ("to", o.professional.to_string()),
            ("note", "Belt graag op dinsdag.".into()),
        ]),
        rule!(GET "/team/thresholds", Nothing, own(&[TeamLead])),
        rule!(POST "/team/thresholds", Nothing, own(&[TeamLead]), |_| vec![
            ("waakvlam_rhythm_days", "21".into()),
        ]),
        rule!(POST "/helper-requests/{id}", HelperRequest, own(&[TeamLead]), |_| vec![
            ("decision", "confirm".into()),
        ]),
        // Notifications: each member of staff their own (the store keeps them per account).
        rule!(GET "/notifications", Nothing, own(STAFF)),
        rule!(POST "/notifications/read", Nothing, own(STAFF)),
        rule!(GET "/account/notifications", Nothing, own(STAFF)),
        rule!(POST "/account/notifications", Nothing, own(STAFF), |_| vec![
            ("bell_rung", "at_once".into()),
            ("bell_escalated", "at_once".into()),
            ("resident_message", "daily_summary".into()),
            ("request_decided", "at_once".into()),
            ("scale_down_planning", "in_app_only".into()),
            ("new_allocation", "at_once".into()),
            ("hand_over", "at_once".into()),
        ]),
        // The municipality: worklist, residents, indications.
        rule!(GET "/worklist", Nothing, own(&[Consultant])),
        rule!(GET "/worklist/requests/{id}", ScaleRequest, own(&[Consultant])),
        rule!(POST "/worklist/requests/{id}/approve", ScaleRequest, own(&[Consultant]), |o| vec![
            ("start_date", o.today.clone()),
            ("planned_scale_down_date", o.in_half_a_year.clone()),
        ]),
        rule!(POST "/worklist/requests/{id}/reject", SecondScaleRequest, own(&[Consultant]), |_| vec![
            ("reason", "Nog niet nodig".into()),
        ]),
        rule!(POST "/worklist/scale-down", Nothing, own(&[Consultant])),
        rule!(POST "/worklist/scale-down/{id}", Indication, own(&[Consultant])),
        rule!(GET "/residents", Nothing, Who::Roles { own: &[Consultant], every: &[Admin] }),
        // Registering a resident: the BSN only ever in the body.
        rule!(GET "/residents/new", Nothing, Who::Roles { own: &[Consultant], every: &[Admin] }),
        rule!(POST "/residents", Nothing, Who::Roles { own: &[Consultant], every: &[Admin] }, |_| vec![
            ("bsn", "200000007".into()),
            ("family_name", "Nieuw".into()),
            ("given_names", "Nina".into()),
            ("birth_date", "1950-05-05".into()),
            ("municipality_code", "0664".into()),
        ]),
        rule!(GET "/residents/{id}", Target::Resident, Who::Roles { own: &[Consultant], every: &[Admin] }),
        rule!(GET "/residents/{id}/indications/new", Target::Resident, Who::Roles { own: &[Consultant], every: &[Admin] }),
        rule!(POST "/residents/{id}/indications", Target::Resident, Who::Roles { own: &[Consultant], every: &[Admin] }, |o| vec![
            ("product_code", "WVL".into()),
            ("provider_id", o.provider.to_string()),
            ("issued_on", o.today.clone()),
            ("start_date", o.in_a_month.clone()),
            ("end_date", o.in_half_a_year.clone()),
            ("agreed_result", "Zelfstandig blijven wonen".into()),
        ]),
        rule!(GET "/indications/{id}", Indication, Who::Roles { own: &[Consultant], every: &[Admin] }),
        rule!(GET "/indications/{id}/edit", Indication, Who::Roles { own: &[Consultant], every: &[Admin] }),
        rule!(POST "/indications/{id}/edit", Indication, Who::Roles { own: &[Consultant], every: &[Admin] }, |o| vec![
            ("product_code", "WVL".into()),
            ("provider_id", o.provider.to_string()),
            ("issued_on", o.started.clone()),
            ("start_date", o.started.clone()),
            ("end_date", o.in_half_a_year.clone()),
            ("agreed_result", "Zelfstandig blijven wonen".into()),
        ]),
        rule!(POST "/indications/{id}/extend", Indication, Who::Roles { own: &[Consultant], every: &[Admin] }, |o| vec![
            ("end_date", o.in_a_year.clone()),
            ("reason", "Nog even nodig".into()),
        ]),
        rule!(POST "/indications/{id}/end", Indication, Who::Roles { own: &[Consultant], every: &[Admin] }, |o| vec![
            ("end_date", o.today.clone()),
            ("outcome", "reached".into()),
        ]),
        // The catalogue: everyone who works with prices reads it.
        rule!(GET "/catalogue", Nothing, own(&[Admin, ContractManager, Consultant])),
        rule!(GET "/catalogue/products/new", Nothing, own(&[Admin])),
        rule!(POST "/catalogue/products", Nothing, own(&[Admin]), |_| vec![
            ("code", "ZZ1".into()),
            ("category", "waakvlam".into()),
            ("name", "Nieuw product".into()),
            ("level", "1".into()),
        ]),
        rule!(GET "/catalogue/products/{id}", Product, own(&[Admin])),
        rule!(POST "/catalogue/products/{id}", Product, own(&[Admin]), |_| vec![
            ("code", "WVL".into()),
            ("category", "waakvlam".into()),
            ("name", "Waakvlam".into()),
            ("level", "1".into()),
            ("active", "on".into()),
        ]),
        rule!(POST "/catalogue/tariffs", Nothing, own(&[Admin, ContractManager]), |o| vec![
            ("product", "WVL".into()),
            ("municipality", "0664".into()),
            ("year", o.year.clone()),
            ("variant", "per_indication".into()),
            ("amount", "705,69".into()),
        ]),
        rule!(POST "/catalogue/own-contributions", Nothing, own(&[Admin, ContractManager]), |o| vec![
            ("product", "WVL".into()),
            ("municipality", "0664".into()),
            ("valid_from", o.today.clone()),
            ("monthly", "19,00".into()),
        ]),
        rule!(POST "/catalogue/own-contributions/abolish", Nothing, own(&[Admin, ContractManager]), |o| vec![
            ("product", "WVL".into()),
            ("municipality", "0664".into()),
            ("valid_from", o.today.clone()),
        ]),
        rule!(POST "/catalogue/rules", Nothing, own(&[Admin, ContractManager]), |_| vec![
            ("product", "WVL".into()),
            ("place", "municipality:0664".into()),
            ("months", "12".into()),
        ]),
        rule!(POST "/catalogue/contracts", Nothing, own(&[Admin, ContractManager]), |o| vec![
            ("product", "WVL".into()),
            ("provider", o.provider.to_string()),
            ("place", "municipality:0664".into()),
        ]),
        rule!(POST "/catalogue/contracts/{id}/remove", Contract, Who::Roles { own: &[ContractManager], every: &[Admin] }),
        // Monitoring: figures, never a resident.
        rule!(GET "/monitoring", Nothing, own(&[Analyst, Consultant, TeamLead, Admin])),
        rule!(GET "/monitoring/export/{file}", Literal("flows.csv"), own(&[Analyst, Consultant, TeamLead, Admin])),
        // Administration.
        rule!(GET "/admin", Nothing, own(&[Admin])),
        // The resident's own portal: `own` is the resident's own record.
        rule!(GET "/me", Nothing, own(&[Resident])),
        rule!(GET "/me/help", Nothing, own(&[Resident])),
        rule!(POST "/me/help", Nothing, own(&[Resident]), |_| vec![("message", "Ik wil hulp".into())]),
        rule!(POST "/me/check-in", Nothing, own(&[Resident]), |_| vec![("wellbeing", "4".into())]),
        rule!(GET "/me/plan", Nothing, own(&[Resident])),
        rule!(POST "/me/plan/notes", Nothing, own(&[Resident]), |_| vec![
            ("kind", "went_well".into()),
            ("text", "Zelf boodschappen gedaan".into()),
        ]),
        rule!(POST "/me/plan/proposals", Nothing, own(&[Resident]), |_| vec![
            ("text", "Ik wil zelf mijn post openen.".into()),
        ]),
        rule!(GET "/me/plan/print", Nothing, own(&[Resident])),
        rule!(GET "/me/messages", Nothing, own(&[Resident])),
        rule!(POST "/me/messages", Nothing, own(&[Resident]), |_| vec![("body", "Dag!".into())]),
        rule!(GET "/me/sharing", Nothing, own(&[Resident])),
        rule!(POST "/me/sharing", Nothing, own(&[Resident]), |_| vec![
            ("name", "Mijn zus".into()),
            ("email", "zus@test.waakvlam.nl".into()),
            ("relation", "family".into()),
        ]),
        rule!(POST "/me/sharing/{id}/remove", Consent, own(&[Resident]), |_| vec![("confirm", "yes".into())]),
        rule!(GET "/me/log", Nothing, own(&[Resident])),
        rule!(GET "/me/log/download", Nothing, own(&[Resident])),
        rule!(GET "/me/helper", Nothing, own(&[Resident])),
        rule!(POST "/me/helper", Nothing, own(&[Resident]), |o| vec![
            ("professional_id", o.colleague.to_string()),
        ]),
        // What residents shared: the plan, read by those they chose.
        rule!(POST "/me/sharing/invitations/{id}/withdraw", Invitation, own(&[Resident])),
        // Accepting an invitation: with a new account, or logged in.
        rule!(GET "/invitation", Nothing, Who::Public),
        rule!(POST "/invitation", Nothing, Who::Public, |_| vec![
            ("code", "AAAA-BBBB-CCCC".into()),
            ("password", "een lang genoeg wachtwoord".into()),
            ("password_again", "een lang genoeg wachtwoord".into()),
        ]),
        rule!(POST "/shared/invitations", Nothing, own(&[TrustedPerson, Professional, TeamLead]), |_| vec![
            ("code", "AAAA-BBBB-CCCC".into()),
        ]),
        rule!(GET "/shared", Nothing, own(&[TrustedPerson, Professional, TeamLead])),
        rule!(GET "/shared/{id}", Target::Resident, own(&[TrustedPerson, Professional, TeamLead])),
    ]
}

/// The ids of one tenant, and the dates the forms use.
#[derive(Clone, Debug)]
struct Objects {
    resident: i64,
    indication: i64,
    new_allocation: i64,
    bell: i64,
    plan_item: i64,
    proposal: i64,
    scale_request: i64,
    second_scale_request: i64,
    consent: i64,
    helper_request: i64,
    invitation: i64,
    planning_request: i64,
    message: i64,
    contract: i64,
    provider: i64,
    /// A professional of the tenant's team who is not the contact person.
    colleague: i64,
    /// The tenant's contact person.
    professional: i64,
    today: String,
    started: String,
    in_a_month: String,
    in_half_a_year: String,
    in_a_year: String,
    year: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Subject {
    Anonymous,
    Role(Role),
    /// A trusted person whose share the resident removed.
    RemovedTrusted,
}

impl Subject {
    fn all() -> Vec<Subject> {
        let mut all = vec![Subject::Anonymous];
        all.extend(Role::ALL.into_iter().map(Subject::Role));
        all.push(Subject::RemovedTrusted);
        all
    }

    fn role(self) -> Option<Role> {
        match self {
            Subject::Anonymous => None,
            Subject::Role(r) => Some(r),
            Subject::RemovedTrusted => Some(TrustedPerson),
        }
    }

    fn email(self) -> Option<String> {
        match self {
            Subject::Anonymous => None,
            Subject::Role(r) => Some(email_of(r)),
            Subject::RemovedTrusted => Some(REMOVED.to_owned()),
        }
    }

    fn name(self) -> String {
        match self {
            Subject::Anonymous => "anonymous".into(),
            Subject::Role(r) => r.as_str().into(),
            Subject::RemovedTrusted => "removed trusted person".into(),
        }
    }
}

/// The trusted person Kees removed from his plan.
const REMOVED: &str = "verwijderd@test.waakvlam.nl";
/// A trusted person Kees shares with, whose share the matrix may remove.
const SPARE: &str = "reserve@test.waakvlam.nl";
/// Greet's account.
const GREET: &str = "greet@test.waakvlam.nl";
/// Greet's trusted person.
const GREETS_TRUSTED: &str = "greets-vertrouwde@test.waakvlam.nl";

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Tenant {
    /// The route names nothing of a tenant.
    None,
    Own,
    Other,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    Allowed,
    Refused,
}

fn expect(rule: &Rule, subject: Subject, tenant: Tenant) -> Expect {
    let role = subject.role();
    let allowed = match rule.who {
        Who::Public => true,
        Who::LoggedIn => role.is_some(),
        Who::Roles { own, every } => role.is_some_and(|r| {
            every.contains(&r)
                || own.contains(&r)
                    && match tenant {
                        Tenant::None => true,
                        // Kees took his plan away from this one.
                        Tenant::Own => subject != Subject::RemovedTrusted,
                        Tenant::Other => false,
                    }
        }),
    };
    if allowed {
        Expect::Allowed
    } else {
        Expect::Refused
    }
}

/// The world: [`seed_care_world`] with everything a route can name, in
/// both tenants.
async fn world(db: &TestDb) -> (Objects, Objects) {
    let w = seed_care_world()
        .account(GREET, Resident, Member::resident(STRANGER))
        .named("Greet")
        .account(REMOVED, TrustedPerson, Member::Nothing)
        .named("Verwijderd")
        .account(SPARE, TrustedPerson, Member::Nothing)
        .named("Reserve")
        .account(GREETS_TRUSTED, TrustedPerson, Member::Nothing)
        .named("Vertrouwd door Greet")
        .account(
            "collega-borsele@test.waakvlam.nl",
            Professional,
            Member::team("Team Borsele"),
        )
        .named("Collega Borsele")
        .create(&db.store)
        .await;
    let store = &db.store;
    let system = Actor::system("matrix");
    let today = store.now().date_naive();
    let kees = w.resident(KEES);
    let greet = w.resident(STRANGER);
    let indication_of = |resident: i64| {
        let ids = w.indications();
        // seed_care_world makes one waakvlam per resident, Kees's first.
        if resident == kees { ids[0] } else { ids[1] }
    };
    let consent = |resident: i64, email: &str, name: &str| NewConsent {
        resident_id: ResidentId::new(resident),
        party: ConsentParty::TrustedPerson,
        party_account_id: Some(w.account(email).id),
        party_name: name.into(),
        granted_at: store.now(),
    };
    let (trusted, removed, spare, greets) = (
        consent(kees, &email_of(TrustedPerson), "Vertrouwd"),
        consent(kees, REMOVED, "Verwijderd"),
        consent(kees, SPARE, "Reserve"),
        consent(greet, GREETS_TRUSTED, "Vertrouwd door Greet"),
    );
    let bell = |resident: i64| NewBell {
        resident_id: ResidentId::new(resident),
        rung_at: store.now(),
        message: Some("Help".into()),
        acknowledged: None,
        resolved: None,
    };
    let (kees_bell, greet_bell) = (bell(kees), bell(greet));
    let ids = store
        .write(&system, async |cx| {
            care_record::add_consent(cx, &trusted).await?;
            let removed = care_record::add_consent(cx, &removed).await?;
            let spare = care_record::add_consent(cx, &spare).await?;
            let greets = care_record::add_consent(cx, &greets).await?;
            let kees_bell = care_record::add_bell(cx, &kees_bell).await?;
            let greet_bell = care_record::add_bell(cx, &greet_bell).await?;
            Ok((removed, spare, greets, kees_bell, greet_bell))
        })
        .await
        .unwrap();
    let (removed_consent, spare_consent, greets_consent, kees_bell, greet_bell) = ids;
    // A goal in each plan, and a goal each resident proposed.
    let mut plan_items = Vec::new();
    let mut proposals = Vec::new();
    for (resident, email) in [(kees, email_of(Resident)), (greet, GREET.to_owned())] {
        let item = store
            .write(&system, async |cx| {
                care_record::add_plan_item(
                    cx,
                    ResidentId::new(resident),
                    care_record::PlanItemKind::Goal,
                    "Ik kook zelf.",
                    cx.now,
                )
                .await
            })
            .await
            .unwrap();
        plan_items.push(i64::from(item));
        let actor = w.actor(store, &email).await;
        let proposal = store
            .write(&actor, async |cx| {
                waakvlam_store::portal::plan::propose(cx, "Ik wil weer fietsen.").await
            })
            .await
            .unwrap();
        proposals.push(i64::from(proposal));
    }
    // Kees removes the one trusted person.
    let kees_actor = w.actor(store, &email_of(Resident)).await;
    store
        .write(&kees_actor, async |cx| {
            consent::revoke(cx, removed_consent).await
        })
        .await
        .unwrap();
    // A scale-up request by each tenant's professional; a helper request by
    // each resident, for a colleague in their team.
    let mut requests = Vec::new();
    let mut helpers = Vec::new();
    let mut invitations = Vec::new();
    let mut second_requests = Vec::new();
    let mut allocations = Vec::new();
    let mut messages = Vec::new();
    let mut planning = Vec::new();
    let mut contracts = Vec::new();
    let mut places = Vec::new();
    let bt = store
        .read(&system, async |cx| {
            waakvlam_store::catalogue::product_by_code(cx, "BT").await
        })
        .await
        .unwrap()
        .expect("the BT product");
    for (resident, pro, resident_email, colleague, municipality) in [
        (
            kees,
            email_of(Professional),
            email_of(Resident),
            crate::support::COLLEAGUE,
            "0664",
        ),
        (
            greet,
            ELSEWHERE.to_owned(),
            GREET.to_owned(),
            "collega-borsele@test.waakvlam.nl",
            "0654",
        ),
    ] {
        let actor = w.actor(store, &pro).await;
        let request = NewScaleRequest {
            indication_id: waakvlam_store::IndicationId::new(indication_of(resident)),
            resident_id: ResidentId::new(resident),
            direction: ScaleDirection::Up,
            requested_product_id: Some(bt.id),
            requested_start: today,
            reason: "Het gaat minder goed".into(),
            urgency: Urgency::Normal,
            status: RequestStatus::Pending,
            requested_by: Some(w.account(&pro).id),
            requested_at: store.now(),
            decided: None,
            successor_indication_id: None,
        };
        let id = store
            .write(&actor, async |cx| scale_request::ask(cx, &request).await)
            .await
            .unwrap();
        requests.push(i64::from(id));
        // A second waiting request (one can be approved, the other rejected);
        // `ask` allows one per indication, so it is a copy of the row.
        let second = store
            .write(&system, async |cx| {
                use sea_orm::{
                    ActiveModelTrait, ActiveValue::NotSet, EntityTrait, IntoActiveModel,
                };
                let row = waakvlam_store::entity::scale_request::Entity::find_by_id(i64::from(id))
                    .one(cx.conn())
                    .await?
                    .expect("the request");
                let mut copy = row.into_active_model();
                copy.id = NotSet;
                Ok(copy.insert(cx.conn()).await?.id)
            })
            .await
            .unwrap();
        second_requests.push(second);
        let profile = Profile {
            account_id: w.account(colleague).id,
            municipality_code: municipality.into(),
            area: "Centrum".into(),
            specialisation: "Geldzaken".into(),
            languages: "Nederlands".into(),
            introduction: "Ik help je graag.".into(),
            available: true,
        };
        store
            .write(&system, async |cx| helper::set_profile(cx, &profile).await)
            .await
            .unwrap();
        let actor = w.actor(store, &resident_email).await;
        let colleague_id = w.account(colleague).id;
        let id = store
            .write(&actor, async |cx| {
                helper_request::choose(cx, colleague_id, today).await
            })
            .await
            .unwrap();
        helpers.push(i64::from(id));
        let invitation = consent::Invitation {
            name: "Buurvrouw".into(),
            email: format!("buurvrouw-{resident}@test.waakvlam.nl"),
            relation: consent::Relation::InformalCarer,
        };
        let page = store
            .write(&actor, async |cx| {
                consent::invite(cx, invitation).await?;
                waakvlam_store::read::portal_sharing::page(cx, today).await
            })
            .await
            .unwrap();
        invitations.push(i64::from(page.pending[0].id));
        // A new allocation for the tenant's provider, not yet taken on.
        let provider = if resident == kees {
            w.provider("Zeeuwse Zorgcoöperatie")
        } else {
            w.provider("Stichting Elders")
        };
        let new = waakvlam_store::indications::NewIndication {
            issued_on: today,
            start_date: today + chrono::Days::new(10),
            end_date: Some(today + chrono::Days::new(100)),
            ..waakvlam_testkit::indication(resident, "WVL", municipality, provider).new_indication()
        };
        let allocation = store
            .write(&system, async |cx| {
                use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, IntoActiveModel};
                let created = waakvlam_store::indications::create(cx, &new).await?;
                // Addressed to the team that knows the resident; make it wait.
                let row = waakvlam_store::entity::indication::Entity::find_by_id(created.id.get())
                    .one(cx.conn())
                    .await?
                    .expect("the indication");
                let mut am = row.into_active_model();
                am.team_id = Set(None);
                am.professional_account_id = Set(None);
                let id = am.update(cx.conn()).await?.id;
                // Its WMO301, as a consultant's decision would have sent it.
                let message = waakvlam_store::iwmo::send_allocation(
                    cx,
                    ResidentId::new(resident),
                    waakvlam_store::ProviderId::new(provider),
                    municipality,
                    &[],
                    &[],
                )
                .await?;
                Ok((id, i64::from(message)))
            })
            .await
            .unwrap();
        allocations.push(allocation.0);
        messages.push(allocation.1);
        // The municipality asks the provider to plan a scale-down.
        let provider_of = if resident == kees {
            w.provider("Zeeuwse Zorgcoöperatie")
        } else {
            w.provider("Stichting Elders")
        };
        let request = store
            .write(&system, async |cx| {
                use sea_orm::{ActiveModelTrait, ActiveValue::Set};
                let row = waakvlam_store::entity::scale_down_planning::ActiveModel {
                    indication_id: Set(indication_of(resident)),
                    resident_id: Set(resident),
                    provider_id: Set(provider_of),
                    requested_at: Set(waakvlam_store::millis(cx.now)),
                    ..Default::default()
                }
                .insert(cx.conn())
                .await?;
                Ok(row.id)
            })
            .await
            .unwrap();
        planning.push(request);
        places.push((provider, municipality));
    }
    // Each tenant's provider is contracted for WVL in its municipality (once
    // every indication above is made: from then on WVL has contracts).
    let wvl = store
        .read(&system, async |cx| {
            waakvlam_store::catalogue::product_by_code(cx, "WVL").await
        })
        .await
        .unwrap()
        .expect("the WVL product");
    for (provider, municipality) in places {
        let contract = waakvlam_store::catalogue::NewContract {
            provider_id: waakvlam_store::ProviderId::new(provider),
            product_id: wvl.id,
            place: waakvlam_store::catalogue::RulePlace::Municipality(municipality.into()),
            declaration_period: waakvlam_store::declarations::PeriodKind::Month,
        };
        let contract = store
            .write(&system, async |cx| {
                waakvlam_store::catalogue::add_contract(cx, &contract).await
            })
            .await
            .unwrap();
        contracts.push(i64::from(contract));
    }
    let date = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    let base = |resident,
                new_allocation,
                bell: waakvlam_store::BellId,
                (plan_item, proposal): (i64, i64),
                (request, second_scale_request),
                consent: waakvlam_store::ConsentId,
                helper,
                invitation,
                contract,
                provider,
                colleague: &str,
                professional: &str| Objects {
        resident,
        indication: indication_of(resident),
        new_allocation,
        bell: i64::from(bell),
        plan_item,
        proposal,
        scale_request: request,
        second_scale_request,
        consent: i64::from(consent),
        helper_request: helper,
        invitation,
        planning_request: 0,
        message: 0,
        contract,
        provider,
        colleague: i64::from(w.account(colleague).id),
        professional: i64::from(w.account(professional).id),
        today: date(today),
        started: date(today - chrono::Days::new(60)),
        in_a_month: date(today + chrono::Days::new(30)),
        in_half_a_year: date(today + chrono::Days::new(182)),
        in_a_year: date(today + chrono::Days::new(365)),
        year: today.format("%Y").to_string(),
    };
    let mut a = base(
        kees,
        allocations[0],
        kees_bell,
        (plan_items[0], proposals[0]),
        (requests[0], second_requests[0]),
        spare_consent,
        helpers[0],
        invitations[0],
        contracts[0],
        w.provider("Zeeuwse Zorgcoöperatie"),
        crate::support::COLLEAGUE,
        &email_of(Professional),
    );
    let mut b = base(
        greet,
        allocations[1],
        greet_bell,
        (plan_items[1], proposals[1]),
        (requests[1], second_requests[1]),
        greets_consent,
        helpers[1],
        invitations[1],
        contracts[1],
        w.provider("Stichting Elders"),
        "collega-borsele@test.waakvlam.nl",
        ELSEWHERE,
    );
    a.planning_request = planning[0];
    b.planning_request = planning[1];
    a.message = messages[0];
    b.message = messages[1];
    (a, b)
}

/// The path with the tenant's ids filled in.
fn fill(path: &str, target: Target, o: &Objects) -> String {
    let id = match target {
        Nothing => return path.to_owned(),
        Literal(value) => {
            return path
                .replace("{code}", value)
                .replace("{file}", value)
                .replace("{*path}", value);
        }
        Target::Resident => o.resident,
        Bell => {
            return path
                .replace("{id}", &o.resident.to_string())
                .replace("{bell_id}", &o.bell.to_string());
        }
        Target::PlanItem => {
            return path
                .replace("{id}", &o.resident.to_string())
                .replace("{item_id}", &o.plan_item.to_string());
        }
        Target::Proposal => {
            return path
                .replace("{id}", &o.resident.to_string())
                .replace("{proposal_id}", &o.proposal.to_string());
        }
        Indication => o.indication,
        NewAllocation => o.new_allocation,
        ScaleRequest => o.scale_request,
        SecondScaleRequest => o.second_scale_request,
        Consent => o.consent,
        HelperRequest => o.helper_request,
        Invitation => o.invitation,
        Target::Colleague => o.colleague,
        Target::PlanningRequest => o.planning_request,
        Target::Message => o.message,
        Product => 1,
        Contract => o.contract,
    };
    path.replace("{id}", &id.to_string())
}

/// Whether an answer reached what the route does, or was refused.
fn outcome(rule: &Rule, status: StatusCode, location: Option<&str>) -> Option<Expect> {
    if status.is_server_error() || status == StatusCode::METHOD_NOT_ALLOWED {
        return None;
    }
    // Logging out lands on the login page too, saying so.
    let to_login = location.is_some_and(|l| {
        l.starts_with("/login") && !l.starts_with("/login?logged_out") && status.is_redirection()
    });
    // A wrong password's 401 is the login form's own answer, not a refusal
    // of a public route.
    let unauthorised = status == StatusCode::UNAUTHORIZED && !matches!(rule.who, Who::Public);
    Some(
        if to_login
            || unauthorised
            || matches!(status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND)
        {
            Expect::Refused
        } else {
            Expect::Allowed
        },
    )
}

db_test! {
    async fn every_route_answers_every_subject_as_the_policy_says(db) {
        let (a, b) = world(db).await;
        let rules = policy();

        // 1. Every route of the router has its lines in the table, and
        //    every line a route.
        let mut routed: BTreeSet<(String, &str)> = BTreeSet::new();
        let mut anonymous = Client::new(&db.store);
        for path in waakvlam_web::route_paths() {
            let sample = rules
                .iter()
                .find(|r| r.path == path)
                .map_or_else(|| path.replace("{id}", "1").replace("{bell_id}", "1").replace("{item_id}", "1").replace("{proposal_id}", "1").replace("{code}", "nl").replace("{file}", "x").replace("{*path}", "x"), |r| fill(path, r.target, &a));
            for method in [Method::GET, Method::POST, Method::PUT, Method::PATCH, Method::DELETE] {
                let resp = anonymous.request(method.clone(), &sample, None, &[]).await;
                // A GET of a URL that only takes a form is sent to the page
                // the form is on (a shorter path), not answered by a route.
                let back_to_page = method == Method::GET
                    && resp.status == StatusCode::SEE_OTHER
                    && resp.header("allow") == Some("POST");
                if resp.status != StatusCode::METHOD_NOT_ALLOWED && !back_to_page {
                    routed.insert((method.to_string(), path));
                }
            }
        }
        let listed: BTreeSet<(String, &str)> =
            rules.iter().map(|r| (r.method.to_string(), r.path)).collect();
        let unlisted: Vec<_> = routed.difference(&listed).collect();
        let stale: Vec<_> = listed.difference(&routed).collect();
        assert!(
            unlisted.is_empty() && stale.is_empty(),
            "routes without a line in the policy table: {unlisted:?}; lines without a route: {stale:?}"
        );
        assert_eq!(listed.len(), rules.len(), "one line per method and route");

        // 2. Every subject logs in once.
        let mut clients: BTreeMap<Subject, (Client, String)> = BTreeMap::new();
        for subject in Subject::all() {
            let mut c = Client::new(&db.store);
            let token = match subject.email() {
                Some(email) => {
                    c.login(&email, waakvlam_testkit::PASSWORD).await.assert_redirect("/");
                    // "/" sends each role to its own start page.
                    let start = c.get("/").await.location().unwrap_or("/").to_owned();
                    c.session_csrf(&start).await
                }
                None => String::new(),
            };
            clients.insert(subject, (c, token));
        }

        // 3. Every cell. Logging out comes last; within a route the refusals
        //    come before what is allowed, which may change the objects.
        let mut cells = Vec::new();
        for rule in &rules {
            let tenants: &[Tenant] = match rule.target {
                Nothing | Literal(_) | Product => &[Tenant::None],
                _ => &[Tenant::Own, Tenant::Other],
            };
            for subject in Subject::all() {
                for &tenant in tenants {
                    cells.push((rule, subject, tenant, expect(rule, subject, tenant)));
                }
            }
        }
        cells.sort_by_key(|(rule, _, _, expected)| (rule.path == "/logout", rule.path, rule.method.to_string(), *expected == Expect::Allowed));

        let mut wrong = String::new();
        for &(rule, subject, tenant, expected) in &cells {
            let objects = if tenant == Tenant::Other { &b } else { &a };
            let path = fill(rule.path, rule.target, objects);
            let (client, token) = clients.get_mut(&subject).unwrap();
            let before = waakvlam_testkit::access_count(&db.store).await;
            let resp = if rule.method == Method::POST {
                let mut form = (rule.form)(objects);
                let token = if subject == Subject::Anonymous {
                    // The public forms carry their own token (double submit).
                    {
                        let page = client.get(&path).await;
                        if page.body.contains(r#"name="csrf_token""#) {
                            page.form_csrf()
                        } else {
                            String::new()
                        }
                    }
                } else {
                    token.clone()
                };
                form.push(("csrf_token", token));
                let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
                if path == "/iwmo/upload" {
                    // A file form: one file that is no message.
                    client.post_files(&path, &fields, &[("files", "leeg.xml", b"")]).await
                } else {
                    client.post(&path, &fields).await
                }
            } else {
                client.get(&path).await
            };
            let got = outcome(rule, resp.status, resp.location());
            let label = format!("{} {path} as {} ({tenant:?})", rule.method, subject.name());
            match got {
                Some(got) if got == expected => {
                    // A refusal of someone logged in is in the access log.
                    if got == Expect::Refused && subject != Subject::Anonymous && !matches!(rule.who, Who::Public) {
                        let latest = waakvlam_testkit::access_latest(&db.store, 1).await;
                        let logged = waakvlam_testkit::access_count(&db.store).await > before
                            && latest.first().is_some_and(|e| e.outcome == "denied");
                        if !logged {
                            let _ = writeln!(wrong, "{label}: refused ({}) but no denied entry in the access log", resp.status);
                        }
                    }
                }
                got => {
                    let _ = writeln!(
                        wrong,
                        "{label}: expected {expected:?}, got {got:?} ({} {:?})",
                        resp.status,
                        resp.location()
                    );
                }
            }
        }
        let routes = rules.len();
        let subjects = Subject::all().len();
        eprintln!(
            "authorisation matrix: {routes} routes (method and path) × {subjects} subjects × own/other tenant = {} cells",
            cells.len()
        );
        assert!(wrong.is_empty(), "answers that differ from the policy:\n{wrong}");
    }
}
