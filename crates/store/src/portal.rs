//! What residents do themselves, and what the people they trust may see.
//!
//! Every function here decides who may act from the actor's tenant and, for
//! trusted persons, from the resident's consent as it stands at that moment
//! in the same transaction: a consent that is withdrawn stops access at once.
//! Reads and writes are logged like everywhere else.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use waakvlam_domain::access::AccessAction;
use waakvlam_domain::care::{ConsentParty, Wellbeing};
use waakvlam_domain::ids::Email;
use waakvlam_domain::role::Role;

use crate::access::{self, AccessEvent};
use crate::accounts::{self, NewAccount, Organisation};
use crate::caseload::running_on;
use crate::entity::{
    account, bell, check_in, consent, helper_request, indication, plan_item, plan_progress,
    portal_message, professional_profile, resident,
};
use crate::id::ResidentId;
use crate::records::{self, NewBell, NewConsent, NewProgress};
use crate::{Actor, Cx, Store, StoreError, StoreResult, Tenant, WriteTx, from_millis, millis};
use waakvlam_domain::refusal::Explain;
use waakvlam_domain::refusal::Reason;

/// The longest free text a resident types (a check-in, a note, a message).
pub const MAX_TEXT: usize = 1000;

fn clean_text(field: &str, text: Option<String>, required: bool) -> StoreResult<Option<String>> {
    let text = text.map(|m| m.trim().to_owned()).filter(|m| !m.is_empty());
    match &text {
        None if required => Err(StoreError::refuse(field, "text-required")),
        Some(t) if t.chars().count() > MAX_TEXT => Err(StoreError::refuse_with(
            field,
            Reason::new("text-length").with("max", MAX_TEXT),
        )),
        _ => Ok(text),
    }
}

/// The resident the actor is, or a logged refusal.
async fn own_resident(store: &Store, actor: &Actor, objects: &str) -> StoreResult<i64> {
    match actor.tenant {
        Tenant::Resident { resident_id } => Ok(resident_id),
        _ => Err(access::deny(
            store,
            actor,
            &AccessEvent::new(AccessAction::Create, None, objects),
        )
        .await),
    }
}

/// How the actor may see a resident's shared record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Viewer {
    /// The resident themselves.
    Resident,
    /// A professional or team lead whose tenant covers the resident.
    Care,
    /// A party the resident consented to share with (a trusted person, or a
    /// professional outside the care team).
    Consent,
}

/// Whether `actor` may see what `resident_id` shares, decided inside `tx`.
async fn viewer<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    resident_id: i64,
) -> StoreResult<Option<Viewer>> {
    if let Tenant::Resident { resident_id: own } = actor.tenant {
        return Ok((own == resident_id).then_some(Viewer::Resident));
    }
    if matches!(
        actor.tenant,
        Tenant::Professional { .. } | Tenant::Team { .. }
    ) && resident::Entity::find_by_id(resident_id)
        .filter(actor.tenant.resident_filter())
        .one(conn)
        .await?
        .is_some()
    {
        return Ok(Some(Viewer::Care));
    }
    let Some(account_id) = actor.account_id else {
        return Ok(None);
    };
    let shared = consent::Entity::find()
        .filter(consent::Column::ResidentId.eq(resident_id))
        .filter(consent::Column::PartyAccountId.eq(account_id))
        .filter(consent::Column::RevokedAt.is_null())
        .one(conn)
        .await?
        .is_some();
    Ok(shared.then_some(Viewer::Consent))
}

/// Checks access in `tx`; a refusal is logged in its own transaction.
async fn allowed(
    store: &Store,
    tx: WriteTx,
    actor: &Actor,
    resident_id: i64,
    action: AccessAction,
    objects: &str,
) -> StoreResult<(WriteTx, Viewer)> {
    match viewer(&*tx, actor, resident_id).await? {
        Some(v) => Ok((tx, v)),
        None => {
            drop(tx);
            Err(access::deny(
                store,
                actor,
                &AccessEvent::new(action, Some(resident_id), objects),
            )
            .await)
        }
    }
}

/// [`allowed`] inside a unit of work: a refusal is noted on `cx`.
async fn allowed_in(
    cx: &Cx<'_>,
    resident_id: i64,
    action: AccessAction,
    objects: &str,
) -> StoreResult<Viewer> {
    match viewer(cx.conn(), cx.actor, resident_id).await? {
        Some(v) => Ok(v),
        None => Err(cx.deny(action, Some(ResidentId::new(resident_id)), objects)),
    }
}

async fn name_of<C: ConnectionTrait>(conn: &C, account_id: Option<i64>) -> StoreResult<String> {
    Ok(match account_id {
        Some(id) => account::Entity::find_by_id(id)
            .one(conn)
            .await?
            .map(|a| a.display_name)
            .unwrap_or_default(),
        None => String::new(),
    })
}

// --- The bell and check-ins ------------------------------------------------

/// The resident rings the bell: a call for help their professional sees at
/// the top of the caseload. Only the resident themselves can ring it; a
/// bell already open is not rung twice.
pub async fn ring_bell(store: &Store, actor: &Actor, message: Option<String>) -> StoreResult<i64> {
    let Tenant::Resident { resident_id } = actor.tenant else {
        let event = AccessEvent::new(AccessAction::Create, None, "bell");
        return Err(access::deny(store, actor, &event).await);
    };
    let message = message
        .map(|m| m.trim().to_owned())
        .filter(|m| !m.is_empty());
    if message.as_ref().is_some_and(|m| m.chars().count() > 500) {
        return Err(StoreError::refuse_with(
            "message",
            Reason::new("text-length").with("max", 500),
        ));
    }
    store
        .write(actor, async move |cx| {
            let open = bell::Entity::find()
                .filter(bell::Column::ResidentId.eq(resident_id))
                .filter(bell::Column::AcknowledgedAt.is_null())
                .one(cx.conn())
                .await?;
            if let Some(b) = open {
                return Ok(b.id);
            }
            let bell = NewBell {
                resident_id,
                rung_at: cx.now,
                message,
                acknowledged: None,
                resolved: None,
            };
            records::add_bell(cx, &bell).await
        })
        .await
}

/// "Hoe gaat het met je?": the resident's own check-in, which the
/// professional sees on the resident page and the signal engine reads.
pub async fn check_in(
    store: &Store,
    actor: &Actor,
    wellbeing: Wellbeing,
    note: Option<String>,
) -> StoreResult<i64> {
    let resident_id = own_resident(store, actor, "check_in").await?;
    let note = clean_text("note", note, false)?;
    store
        .write(actor, async move |cx| {
            records::add_check_in(cx, resident_id, cx.now, wellbeing.value(), note).await
        })
        .await
}

/// A check-in as the resident sees it back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckInView {
    pub at: DateTime<Utc>,
    pub wellbeing: u8,
    pub note: Option<String>,
}

/// The resident's latest check-in, if any.
pub async fn last_check_in(store: &Store, actor: &Actor) -> StoreResult<Option<CheckInView>> {
    let Tenant::Resident { resident_id } = actor.tenant else {
        return Err(StoreError::Denied);
    };
    let tx = store.begin_read().await?;
    let row = check_in::Entity::find()
        .filter(check_in::Column::ResidentId.eq(resident_id))
        .order_by_desc(check_in::Column::SubmittedAt)
        .one(&*tx)
        .await?;
    access::record(
        &*tx,
        store,
        actor,
        AccessAction::Read,
        Some(resident_id),
        &format!("resident:{resident_id}:check_in:latest"),
    )
    .await?;
    tx.commit().await?;
    Ok(row.map(|c| CheckInView {
        at: from_millis(c.submitted_at),
        wellbeing: u8::try_from(c.wellbeing).unwrap_or(3),
        note: c.note,
    }))
}

// --- The plan ----------------------------------------------------------------

/// One entry of the plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanLine {
    pub id: i64,
    pub text: String,
}

/// A progress note, newest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgressLine {
    pub at: DateTime<Utc>,
    pub author: String,
    /// Written by the resident themselves.
    pub by_resident: bool,
    pub text: String,
}

/// A resident's plan as the resident and those they share it with see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SharedPlan {
    pub resident_name: String,
    pub goals: Vec<PlanLine>,
    pub agreements: Vec<PlanLine>,
    pub progress: Vec<ProgressLine>,
}

/// The plan of `resident_id`: for the resident, their care team, and the
/// parties the resident shares it with, checked at this moment.
pub async fn plan(store: &Store, actor: &Actor, resident_id: i64) -> StoreResult<SharedPlan> {
    let objects = format!("resident:{resident_id}:plan");
    let tx = store.begin_read().await?;
    let (tx, _) = allowed(store, tx, actor, resident_id, AccessAction::Read, &objects).await?;
    let res = resident::Entity::find_by_id(resident_id)
        .one(&*tx)
        .await?
        .ok_or(StoreError::NotFound { what: "resident" })?;
    let resident_account = account::Entity::find()
        .filter(account::Column::ResidentId.eq(resident_id))
        .one(&*tx)
        .await?
        .map(|a| a.id);
    let items = plan_item::Entity::find()
        .filter(plan_item::Column::ResidentId.eq(resident_id))
        .filter(plan_item::Column::ArchivedAt.is_null())
        .order_by_asc(plan_item::Column::Position)
        .all(&*tx)
        .await?;
    let (mut goals, mut agreements) = (Vec::new(), Vec::new());
    for i in items {
        let line = PlanLine {
            id: i.id,
            text: i.text,
        };
        if i.kind == records::PlanItemKind::Goal.as_str() {
            goals.push(line);
        } else {
            agreements.push(line);
        }
    }
    let rows = plan_progress::Entity::find()
        .filter(plan_progress::Column::ResidentId.eq(resident_id))
        .order_by_desc(plan_progress::Column::CreatedAt)
        .order_by_desc(plan_progress::Column::Id)
        .limit(20)
        .all(&*tx)
        .await?;
    let mut progress = Vec::with_capacity(rows.len());
    for p in rows {
        progress.push(ProgressLine {
            at: from_millis(p.created_at),
            author: name_of(&*tx, p.author_account_id).await?,
            by_resident: p.author_account_id.is_some() && p.author_account_id == resident_account,
            text: p.text,
        });
    }
    access::record(
        &*tx,
        store,
        actor,
        AccessAction::Read,
        Some(resident_id),
        &objects,
    )
    .await?;
    tx.commit().await?;
    Ok(SharedPlan {
        resident_name: res.display_name(),
        goals,
        agreements,
        progress,
    })
}

/// What a resident's progress note is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoteKind {
    /// "Dit ging goed".
    WentWell,
    /// "Hier wil ik hulp bij".
    WantHelp,
}

impl NoteKind {
    pub fn parse(s: &str) -> Option<NoteKind> {
        match s {
            "went_well" => Some(NoteKind::WentWell),
            "want_help" => Some(NoteKind::WantHelp),
            _ => None,
        }
    }

    /// The note is stored with its heading, so the professional reads it as
    /// the resident meant it.
    fn heading(self) -> &'static str {
        match self {
            NoteKind::WentWell => "Dit ging goed",
            NoteKind::WantHelp => "Hier wil ik hulp bij",
        }
    }
}

/// The resident adds a progress note to their own plan.
pub async fn add_note(
    store: &Store,
    actor: &Actor,
    kind: NoteKind,
    text: String,
) -> StoreResult<i64> {
    let resident_id = own_resident(store, actor, "plan_progress").await?;
    let text = clean_text("text", Some(text), true)?.unwrap_or_default();
    store
        .write(actor, async |cx| {
            let note = NewProgress {
                resident_id,
                plan_item_id: None,
                author_account_id: actor.account_id,
                text: format!("{}: {text}", kind.heading()),
                at: cx.now,
            };
            records::add_progress(cx, &note).await
        })
        .await
}

// --- Who sees my plan ----------------------------------------------------------

/// A party that can see the resident's plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Share {
    pub consent_id: i64,
    pub party: ConsentParty,
    /// The name the resident gave (trusted persons), or the account's name.
    pub name: String,
    pub granted_at: DateTime<Utc>,
    /// Recorded for the support itself (the organisations, the professional
    /// who helps now): they see the plan through the care they give, so
    /// withdrawing here would not stop it and the resident is told so.
    pub needed_for_care: bool,
}

/// The parties the resident shares their plan with now.
pub async fn shares(store: &Store, actor: &Actor) -> StoreResult<Vec<Share>> {
    let Tenant::Resident { resident_id } = actor.tenant else {
        return Err(StoreError::Denied);
    };
    let tx = store.begin_read().await?;
    let rows = consent::Entity::find()
        .filter(consent::Column::ResidentId.eq(resident_id))
        .filter(consent::Column::RevokedAt.is_null())
        .order_by_asc(consent::Column::GrantedAt)
        .order_by_asc(consent::Column::Id)
        .all(&*tx)
        .await?;
    let today = store.now().date_naive();
    let carers: Vec<i64> = indication::Entity::find()
        .filter(indication::Column::ResidentId.eq(resident_id))
        .filter(running_on(today))
        .all(&*tx)
        .await?
        .into_iter()
        .filter_map(|i| i.professional_account_id)
        .collect();
    let mut out = Vec::with_capacity(rows.len());
    for c in rows {
        let party = ConsentParty::parse(&c.party_kind).unwrap_or(ConsentParty::TrustedPerson);
        let needed_for_care = match party {
            ConsentParty::Provider | ConsentParty::Municipality => true,
            ConsentParty::Professional => c.party_account_id.is_some_and(|id| carers.contains(&id)),
            ConsentParty::TrustedPerson => false,
        };
        let name = match (party, c.party_account_id) {
            (ConsentParty::TrustedPerson, _) | (_, None) => c.party_name,
            (_, Some(id)) => name_of(&*tx, Some(id)).await?,
        };
        out.push(Share {
            consent_id: c.id,
            party,
            name,
            granted_at: from_millis(c.granted_at),
            needed_for_care,
        });
    }
    access::record(
        &*tx,
        store,
        actor,
        AccessAction::Read,
        Some(resident_id),
        &format!("resident:{resident_id}:consent"),
    )
    .await?;
    tx.commit().await?;
    Ok(out)
}

/// Who the resident invites.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Relation {
    Family,
    InformalCarer,
    Professional,
}

impl Relation {
    pub fn parse(s: &str) -> Option<Relation> {
        match s {
            "family" => Some(Relation::Family),
            "informal_carer" => Some(Relation::InformalCarer),
            "professional" => Some(Relation::Professional),
            _ => None,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Invitation {
    pub name: String,
    pub email: String,
    pub relation: Relation,
}

/// What inviting produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Invited {
    /// The person already has an account; they see the plan at once.
    Existing { name: String },
    /// A new account: the resident hands the code to the person, who sets
    /// their own password with it.
    NewAccount {
        name: String,
        email: String,
        code: crate::activation::IssuedCode,
    },
}

/// The resident lets someone they trust see their plan.
pub async fn invite(store: &Store, actor: &Actor, inv: Invitation) -> StoreResult<Invited> {
    let resident_id = own_resident(store, actor, "consent").await?;
    let name = inv.name.trim().to_owned();
    if name.is_empty() {
        return Err(StoreError::refuse("name", "name-required"));
    }
    if name.chars().count() > 100 {
        return Err(StoreError::refuse_with(
            "name",
            Reason::new("name-length").with("max", 100),
        ));
    }
    let email = Email::parse(inv.email.trim().to_lowercase().as_str())
        .map_err(|e| StoreError::from(e.refuse("email")))?;
    store
        .write(actor, async move |cx| {
            let existing = accounts::by_email(cx.conn(), email.as_str()).await?;
            let (party, account, code) = match (inv.relation, existing) {
                (Relation::Professional, Some(a))
                    if matches!(a.role, Role::Professional | Role::TeamLead) && a.active =>
                {
                    (ConsentParty::Professional, a, None)
                }
                (Relation::Professional, _) => {
                    return Err(StoreError::refuse("email", "email-no-professional"));
                }
                (_, Some(a)) if a.role == Role::TrustedPerson && a.active => {
                    (ConsentParty::TrustedPerson, a, None)
                }
                (_, Some(_)) => {
                    return Err(StoreError::refuse("email", "email-taken"));
                }
                (_, None) => {
                    let a = accounts::create(
                        cx.conn(),
                        store,
                        NewAccount {
                            email: email.clone(),
                            display_name: name.clone(),
                            role: Role::TrustedPerson,
                            // Nobody knows this password: the person sets their own
                            // with the activation code.
                            password: crate::activation::unguessable_password(),
                            organisation: Organisation::default(),
                            phone: None,
                        },
                    )
                    .await?;
                    let code = crate::activation::issue_in(cx.conn(), store, actor, a.id).await?;
                    (ConsentParty::TrustedPerson, a, Some(code))
                }
            };
            let already = consent::Entity::find()
                .filter(consent::Column::ResidentId.eq(resident_id))
                .filter(consent::Column::PartyAccountId.eq(account.id))
                .filter(consent::Column::RevokedAt.is_null())
                .one(cx.conn())
                .await?
                .is_some();
            if !already {
                records::add_consent(
                    cx,
                    &NewConsent {
                        resident_id,
                        party,
                        party_account_id: Some(account.id),
                        party_name: name.clone(),
                        granted_at: cx.now,
                    },
                )
                .await?;
            }
            Ok(match code {
                Some(code) => Invited::NewAccount {
                    name,
                    email: account.email,
                    code,
                },
                None => Invited::Existing {
                    name: account.display_name,
                },
            })
        })
        .await
}

/// The resident stops sharing with a party. From this moment on every read
/// by that party is refused.
pub async fn revoke(store: &Store, actor: &Actor, consent_id: i64) -> StoreResult<()> {
    let resident_id = own_resident(store, actor, "consent").await?;
    let tx = store.begin_write().await?;
    let Some(c) = consent::Entity::find_by_id(consent_id)
        .filter(consent::Column::ResidentId.eq(resident_id))
        .one(&*tx)
        .await?
    else {
        return Err(StoreError::NotFound { what: "consent" });
    };
    if c.revoked_at.is_none() {
        let mut am: consent::ActiveModel = c.into();
        am.revoked_at = Set(Some(millis(store.now())));
        am.update(&*tx).await?;
        access::record(
            &*tx,
            store,
            actor,
            AccessAction::Update,
            Some(resident_id),
            &format!("consent:{consent_id}"),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A resident who shares their plan with the actor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SharedWithMe {
    pub resident_id: i64,
    pub name: String,
    pub since: DateTime<Utc>,
}

/// The residents who share their plan with the actor now.
pub async fn shared_with_me(store: &Store, actor: &Actor) -> StoreResult<Vec<SharedWithMe>> {
    let Some(account_id) = actor.account_id else {
        return Ok(Vec::new());
    };
    store
        .read(actor, async |cx| {
            let rows = consent::Entity::find()
                .filter(consent::Column::PartyAccountId.eq(account_id))
                .filter(consent::Column::RevokedAt.is_null())
                .order_by_asc(consent::Column::GrantedAt)
                .all(cx.conn())
                .await?;
            let mut out = Vec::with_capacity(rows.len());
            for c in rows {
                if let Some(r) = resident::Entity::find_by_id(c.resident_id)
                    .one(cx.conn())
                    .await?
                {
                    out.push(SharedWithMe {
                        resident_id: c.resident_id,
                        name: r.display_name(),
                        since: from_millis(c.granted_at),
                    });
                }
            }
            cx.log_search(
                "consent",
                out.iter().map(|r| ResidentId::new(r.resident_id)),
            );
            Ok(out)
        })
        .await
}

// --- Messages ------------------------------------------------------------------

/// One message in a resident's thread.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub author: String,
    pub author_account_id: Option<i64>,
    pub body: String,
}

/// The resident's thread, oldest first (the newest 100).
pub async fn thread(store: &Store, actor: &Actor, resident_id: i64) -> StoreResult<Vec<Message>> {
    store
        .read(actor, async |cx| {
            let messages = thread_in(cx, resident_id).await?;
            cx.log(
                AccessAction::Read,
                Some(ResidentId::new(resident_id)),
                format!("resident:{resident_id}:messages"),
            );
            Ok(messages)
        })
        .await
}

/// The message thread inside a unit of work, for whoever may read it (not
/// logged: the caller logs what the page shows).
pub(crate) async fn thread_in(cx: &Cx<'_>, resident_id: i64) -> StoreResult<Vec<Message>> {
    let objects = format!("resident:{resident_id}:messages");
    allowed_in(cx, resident_id, AccessAction::Read, &objects).await?;
    let tx = cx.conn();
    let mut rows = portal_message::Entity::find()
        .filter(portal_message::Column::ResidentId.eq(resident_id))
        .order_by_desc(portal_message::Column::SentAt)
        .order_by_desc(portal_message::Column::Id)
        .limit(100)
        .all(tx)
        .await?;
    rows.reverse();
    let mut out = Vec::with_capacity(rows.len());
    for m in rows {
        out.push(Message {
            id: m.id,
            at: from_millis(m.sent_at),
            author: name_of(tx, m.author_account_id).await?,
            author_account_id: m.author_account_id,
            body: m.body,
        });
    }
    Ok(out)
}

/// Adds a message to a resident's thread: by the resident, their care team,
/// or a party the resident shares with.
pub async fn send_message(
    store: &Store,
    actor: &Actor,
    resident_id: i64,
    body: String,
) -> StoreResult<i64> {
    let body = clean_text("body", Some(body), true)?.unwrap_or_default();
    let tx = store.begin_write().await?;
    let (tx, _) = allowed(
        store,
        tx,
        actor,
        resident_id,
        AccessAction::Create,
        "portal_message",
    )
    .await?;
    let m = portal_message::ActiveModel {
        resident_id: Set(resident_id),
        author_account_id: Set(actor.account_id),
        body: Set(body),
        sent_at: Set(millis(store.now())),
        ..Default::default()
    }
    .insert(&*tx)
    .await?;
    access::record(
        &*tx,
        store,
        actor,
        AccessAction::Create,
        Some(resident_id),
        &format!("portal_message:{}", m.id),
    )
    .await?;
    tx.commit().await?;
    Ok(m.id)
}

// --- Choose my helper -------------------------------------------------------------

/// A professional's introduction, as residents choose from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Profile {
    pub account_id: i64,
    pub municipality_code: String,
    pub area: String,
    pub specialisation: String,
    pub languages: String,
    pub introduction: String,
    pub available: bool,
}

/// A professional the resident can choose.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Helper {
    pub account_id: i64,
    pub name: String,
    pub area: String,
    pub specialisation: String,
    pub languages: String,
    pub introduction: String,
    /// The resident's contact person now.
    pub current: bool,
}

/// Sets (or replaces) a professional's profile.
pub async fn set_profile<C: ConnectionTrait>(conn: &C, p: &Profile) -> StoreResult<()> {
    let professional = accounts::by_id(conn, p.account_id)
        .await?
        .filter(|a| a.role == Role::Professional)
        .ok_or_else(|| StoreError::refuse("account", "not-a-professional"))?;
    let am = professional_profile::ActiveModel {
        account_id: Set(professional.id),
        municipality_code: Set(p.municipality_code.clone()),
        area: Set(p.area.trim().to_owned()),
        specialisation: Set(p.specialisation.trim().to_owned()),
        languages: Set(p.languages.trim().to_owned()),
        introduction: Set(p.introduction.trim().to_owned()),
        available: Set(p.available),
    };
    if professional_profile::Entity::find_by_id(professional.id)
        .one(conn)
        .await?
        .is_some()
    {
        am.update(conn).await?;
    } else {
        am.insert(conn).await?;
    }
    Ok(())
}

/// The resident's running indication that has a team (the one a chosen
/// helper takes over).
async fn current_indication<C: ConnectionTrait>(
    conn: &C,
    resident_id: i64,
    today: NaiveDate,
) -> StoreResult<Option<indication::Model>> {
    Ok(indication::Entity::find()
        .filter(indication::Column::ResidentId.eq(resident_id))
        .filter(running_on(today))
        .filter(indication::Column::TeamId.is_not_null())
        .order_by_desc(indication::Column::StartDate)
        .one(conn)
        .await?)
}

/// The professionals the resident can choose: available, working in the
/// resident's municipality, in the team that supports them now.
pub async fn helpers(store: &Store, actor: &Actor, today: NaiveDate) -> StoreResult<Vec<Helper>> {
    let Tenant::Resident { resident_id } = actor.tenant else {
        return Err(StoreError::Denied);
    };
    let tx = store.begin_read().await?;
    let res = resident::Entity::find_by_id(resident_id)
        .one(&*tx)
        .await?
        .ok_or(StoreError::NotFound { what: "resident" })?;
    let current = current_indication(&*tx, resident_id, today).await?;
    let mut out = Vec::new();
    if let Some(ind) = &current {
        let profiles = professional_profile::Entity::find()
            .filter(professional_profile::Column::MunicipalityCode.eq(res.municipality_code))
            .filter(professional_profile::Column::Available.eq(true))
            .all(&*tx)
            .await?;
        for p in profiles {
            let Some(a) = account::Entity::find_by_id(p.account_id).one(&*tx).await? else {
                continue;
            };
            if !a.active || a.team_id != ind.team_id {
                continue;
            }
            out.push(Helper {
                account_id: a.id,
                name: a.display_name,
                area: p.area,
                specialisation: p.specialisation,
                languages: p.languages,
                introduction: p.introduction,
                current: ind.professional_account_id == Some(p.account_id),
            });
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    access::record(
        &*tx,
        store,
        actor,
        AccessAction::Read,
        Some(resident_id),
        &format!("resident:{resident_id}:helpers"),
    )
    .await?;
    tx.commit().await?;
    Ok(out)
}

/// Where a request for a helper stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HelperRequestStatus {
    Pending,
    Confirmed,
    Declined,
    Withdrawn,
}

impl HelperRequestStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            HelperRequestStatus::Pending => "pending",
            HelperRequestStatus::Confirmed => "confirmed",
            HelperRequestStatus::Declined => "declined",
            HelperRequestStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> HelperRequestStatus {
        match s {
            "confirmed" => HelperRequestStatus::Confirmed,
            "declined" => HelperRequestStatus::Declined,
            "withdrawn" => HelperRequestStatus::Withdrawn,
            _ => HelperRequestStatus::Pending,
        }
    }
}

/// A request for a helper.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HelperRequest {
    pub id: i64,
    pub resident_id: i64,
    pub resident_name: String,
    pub professional_account_id: i64,
    pub professional_name: String,
    pub current_professional: Option<String>,
    pub requested_at: DateTime<Utc>,
    pub status: HelperRequestStatus,
}

/// The resident chooses a helper; the team confirms. A newer choice replaces
/// a request still waiting.
pub async fn choose_helper(
    store: &Store,
    actor: &Actor,
    professional_account_id: i64,
    today: NaiveDate,
) -> StoreResult<i64> {
    let resident_id = own_resident(store, actor, "helper_request").await?;
    let choosable = helpers(store, actor, today).await?;
    let Some(chosen) = choosable
        .iter()
        .find(|h| h.account_id == professional_account_id)
    else {
        return Err(StoreError::refuse("professional", "helper-unavailable"));
    };
    if chosen.current {
        return Err(StoreError::refuse("professional", "helper-current"));
    }
    let tx = store.begin_write().await?;
    let Some(ind) = current_indication(&*tx, resident_id, today).await? else {
        return Err(StoreError::refuse("professional", "helper-no-support"));
    };
    let now = millis(store.now());
    let waiting = helper_request::Entity::find()
        .filter(helper_request::Column::ResidentId.eq(resident_id))
        .filter(helper_request::Column::Status.eq(HelperRequestStatus::Pending.as_str()))
        .all(&*tx)
        .await?;
    for w in waiting {
        let mut am: helper_request::ActiveModel = w.into();
        am.status = Set(HelperRequestStatus::Withdrawn.as_str().to_owned());
        am.decided_at = Set(Some(now));
        am.decided_by = Set(actor.account_id);
        am.update(&*tx).await?;
    }
    let m = helper_request::ActiveModel {
        resident_id: Set(resident_id),
        professional_account_id: Set(professional_account_id),
        indication_id: Set(ind.id),
        requested_at: Set(now),
        status: Set(HelperRequestStatus::Pending.as_str().to_owned()),
        decided_by: Set(None),
        decided_at: Set(None),
        ..Default::default()
    }
    .insert(&*tx)
    .await?;
    access::record(
        &*tx,
        store,
        actor,
        AccessAction::Create,
        Some(resident_id),
        &format!("helper_request:{}", m.id),
    )
    .await?;
    tx.commit().await?;
    Ok(m.id)
}

async fn request_view<C: ConnectionTrait>(
    conn: &C,
    r: helper_request::Model,
) -> StoreResult<HelperRequest> {
    let res = resident::Entity::find_by_id(r.resident_id)
        .one(conn)
        .await?;
    let ind = indication::Entity::find_by_id(r.indication_id)
        .one(conn)
        .await?;
    let current = match ind.and_then(|i| i.professional_account_id) {
        Some(id) => Some(name_of(conn, Some(id)).await?),
        None => None,
    };
    Ok(HelperRequest {
        id: r.id,
        resident_id: r.resident_id,
        resident_name: res.map(|r| r.formal_name()).unwrap_or_default(),
        professional_account_id: r.professional_account_id,
        professional_name: name_of(conn, Some(r.professional_account_id)).await?,
        current_professional: current,
        requested_at: from_millis(r.requested_at),
        status: HelperRequestStatus::parse(&r.status),
    })
}

/// The resident's newest request for a helper.
pub async fn my_helper_request(store: &Store, actor: &Actor) -> StoreResult<Option<HelperRequest>> {
    let Tenant::Resident { resident_id } = actor.tenant else {
        return Err(StoreError::Denied);
    };
    let tx = store.begin_read().await?;
    let row = helper_request::Entity::find()
        .filter(helper_request::Column::ResidentId.eq(resident_id))
        .filter(helper_request::Column::Status.ne(HelperRequestStatus::Withdrawn.as_str()))
        .order_by_desc(helper_request::Column::RequestedAt)
        .order_by_desc(helper_request::Column::Id)
        .one(&*tx)
        .await?;
    let out = match row {
        Some(r) => Some(request_view(&*tx, r).await?),
        None => None,
    };
    tx.commit().await?;
    Ok(out)
}

/// Requests waiting for the actor's team (team leads).
pub async fn waiting_helper_requests(
    store: &Store,
    actor: &Actor,
) -> StoreResult<Vec<HelperRequest>> {
    if !matches!(actor.tenant, Tenant::Team { .. }) {
        return Err(access::deny(
            store,
            actor,
            &AccessEvent::new(AccessAction::Search, None, "helper_request"),
        )
        .await);
    }
    let tx = store.begin_read().await?;
    let rows = helper_request::Entity::find()
        .filter(helper_request::Column::Status.eq(HelperRequestStatus::Pending.as_str()))
        .filter(
            helper_request::Column::IndicationId.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(indication::Column::Id)
                    .from(indication::Entity)
                    .cond_where(actor.tenant.indication_filter())
                    .to_owned(),
            ),
        )
        .order_by_asc(helper_request::Column::RequestedAt)
        .all(&*tx)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(request_view(&*tx, r).await?);
    }
    let ids = out
        .iter()
        .map(|r| r.resident_id.to_string())
        .collect::<Vec<_>>()
        .join(",");
    access::record(
        &*tx,
        store,
        actor,
        AccessAction::Search,
        None,
        &format!("helper_request:resident:{ids}"),
    )
    .await?;
    tx.commit().await?;
    Ok(out)
}

/// The team lead confirms (the professional becomes the contact person) or
/// declines a request.
pub async fn decide_helper_request(
    store: &Store,
    actor: &Actor,
    request_id: i64,
    confirm: bool,
) -> StoreResult<HelperRequest> {
    let tx = store.begin_write().await?;
    let Some(r) = helper_request::Entity::find_by_id(request_id)
        .filter(helper_request::Column::Status.eq(HelperRequestStatus::Pending.as_str()))
        .filter(
            helper_request::Column::IndicationId.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(indication::Column::Id)
                    .from(indication::Entity)
                    .cond_where(actor.tenant.indication_filter())
                    .to_owned(),
            ),
        )
        .one(&*tx)
        .await?
    else {
        return Err(StoreError::NotFound {
            what: "helper request",
        });
    };
    if !matches!(actor.tenant, Tenant::Team { .. }) {
        drop(tx);
        return Err(access::deny(
            store,
            actor,
            &AccessEvent::new(
                AccessAction::Update,
                Some(r.resident_id),
                &format!("helper_request:{request_id}"),
            ),
        )
        .await);
    }
    if confirm {
        crate::indications::assign_professional_in(
            &*tx,
            store,
            actor,
            crate::IndicationId::new(r.indication_id),
            crate::AccountId::new(r.professional_account_id),
        )
        .await?;
    }
    let resident_id = r.resident_id;
    let mut am: helper_request::ActiveModel = r.into();
    am.status = Set(if confirm {
        HelperRequestStatus::Confirmed
    } else {
        HelperRequestStatus::Declined
    }
    .as_str()
    .to_owned());
    am.decided_by = Set(actor.account_id);
    am.decided_at = Set(Some(millis(store.now())));
    let updated = am.update(&*tx).await?;
    access::record(
        &*tx,
        store,
        actor,
        AccessAction::Update,
        Some(resident_id),
        &format!("helper_request:{request_id}"),
    )
    .await?;
    let view = request_view(&*tx, updated).await?;
    tx.commit().await?;
    Ok(view)
}

/// A message written at `at` by `author_account_id`, inside the caller's
/// transaction (seeding and imports; the portal uses [`send_message`]).
pub async fn add_message<C: ConnectionTrait>(
    conn: &C,
    store: &Store,
    actor: &Actor,
    resident_id: i64,
    author_account_id: Option<i64>,
    body: &str,
    at: DateTime<Utc>,
) -> StoreResult<i64> {
    let m = portal_message::ActiveModel {
        resident_id: Set(resident_id),
        author_account_id: Set(author_account_id),
        body: Set(body.to_owned()),
        sent_at: Set(millis(at)),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    access::record(
        conn,
        store,
        actor,
        AccessAction::Create,
        Some(resident_id),
        &format!("portal_message:{}", m.id),
    )
    .await?;
    Ok(m.id)
}

/// Residents with an open-ended indication running today for a professional,
/// by id, with their display names and municipality codes (for seeding
/// portal logins; no access log, as only system tools call it).
pub async fn open_residents_of<C: ConnectionTrait>(
    conn: &C,
    professional_account_id: i64,
    today: NaiveDate,
) -> StoreResult<Vec<(i64, String, String)>> {
    let rows = indication::Entity::find()
        .filter(indication::Column::ProfessionalAccountId.eq(professional_account_id))
        .filter(indication::Column::StartDate.lte(today))
        .filter(indication::Column::EndDate.is_null())
        .order_by_asc(indication::Column::ResidentId)
        .all(conn)
        .await?;
    let mut out: Vec<(i64, String, String)> = Vec::new();
    for i in rows {
        if out.iter().any(|(id, _, _)| *id == i.resident_id) {
            continue;
        }
        if let Some(r) = resident::Entity::find_by_id(i.resident_id)
            .one(conn)
            .await?
        {
            let code = r.municipality_code.clone();
            out.push((i.resident_id, r.display_name(), code));
        }
    }
    Ok(out)
}
