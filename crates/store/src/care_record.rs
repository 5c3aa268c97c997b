//! A resident's care record: contacts, check-ins, bells, the contact rhythm,
//! the plan and the consents that say who sees it (scale requests have their
//! own module, `scale_request`; the page that shows the record is
//! `read::resident`).
//!
//! The `add_*` writers are the storage primitives (used by the demo seed, the
//! portal and the professional's actions); the actions a professional takes
//! (`log_contact`, `set_rhythm`, `acknowledge_bell`, `resolve_bell`,
//! `end_waakvlam`) check the
//! actor's right first. Each works inside the caller's unit of work and notes
//! the access-log entry for what it reads or writes.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder,
};
use waakvlam_domain::access::AccessAction;
use waakvlam_domain::care::{BellState, ConsentParty, ContactChannel, Initiator};
use waakvlam_domain::indication::WaakvlamOutcome;
use waakvlam_domain::limits::{self, Refusals, TextClass};
use waakvlam_domain::plan::ResultAssessment;
use waakvlam_domain::product::IntensityLevel;
use waakvlam_domain::refusal::{Reason, Refusal};

use crate::changes::{self, Change};
use crate::entity::{
    account, bell, check_in, consent, contact, indication, plan_item, plan_progress,
};
use crate::id::{
    AccountId, BellId, CheckInId, ConsentId, ContactId, IndicationId, PlanItemId, ProductId,
    ProgressId, ResidentId,
};
use crate::indications::{self, Indication};
use crate::{Cx, StoreError, StoreResult, from_millis, millis};
use crate::{catalogue, residents};

#[derive(Clone, Debug)]
pub struct NewContact {
    pub resident_id: ResidentId,
    pub professional_account_id: Option<AccountId>,
    pub occurred_at: DateTime<Utc>,
    pub channel: ContactChannel,
    pub initiator: Initiator,
    pub duration_minutes: Option<i32>,
    pub wellbeing: Option<u8>,
    pub note: Option<String>,
}

pub async fn add_contact(cx: &Cx<'_>, c: &NewContact) -> StoreResult<ContactId> {
    let m = contact::ActiveModel {
        resident_id: Set(c.resident_id.get()),
        professional_account_id: Set(c.professional_account_id.map(AccountId::get)),
        occurred_at: Set(millis(c.occurred_at)),
        channel: Set(c.channel.as_str().to_owned()),
        initiator: Set(c.initiator.as_str().to_owned()),
        duration_minutes: Set(c.duration_minutes),
        wellbeing: Set(c.wellbeing.map(i16::from)),
        note: Set(c.note.clone()),
        created_at: Set(millis(cx.now)),
        ..Default::default()
    }
    .insert(cx.conn())
    .await?;
    cx.log(
        AccessAction::Create,
        Some(c.resident_id),
        format!("contact:{}", m.id),
    );
    Ok(ContactId::new(m.id))
}

pub async fn add_check_in(
    cx: &Cx<'_>,
    resident_id: ResidentId,
    at: DateTime<Utc>,
    wellbeing: u8,
    note: Option<String>,
) -> StoreResult<CheckInId> {
    let m = check_in::ActiveModel {
        resident_id: Set(resident_id.get()),
        submitted_at: Set(millis(at)),
        wellbeing: Set(i16::from(wellbeing)),
        note: Set(note),
        ..Default::default()
    }
    .insert(cx.conn())
    .await?;
    cx.log(
        AccessAction::Create,
        Some(resident_id),
        format!("check_in:{}", m.id),
    );
    Ok(CheckInId::new(m.id))
}

/// A bell and, when it has been picked up, who did what when.
#[derive(Clone, Debug)]
pub struct NewBell {
    pub resident_id: ResidentId,
    pub rung_at: DateTime<Utc>,
    pub message: Option<String>,
    pub acknowledged: Option<(DateTime<Utc>, AccountId)>,
    pub resolved: Option<(DateTime<Utc>, AccountId, String)>,
}

impl NewBell {
    pub fn state(&self) -> BellState {
        match (&self.acknowledged, &self.resolved) {
            (_, Some(_)) => BellState::Resolved,
            (Some(_), None) => BellState::Acknowledged,
            (None, None) => BellState::Rung,
        }
    }
}

pub async fn add_bell(cx: &Cx<'_>, b: &NewBell) -> StoreResult<BellId> {
    let m = bell::ActiveModel {
        resident_id: Set(b.resident_id.get()),
        rung_at: Set(millis(b.rung_at)),
        message: Set(b.message.clone()),
        acknowledged_at: Set(b.acknowledged.map(|(at, _)| millis(at))),
        acknowledged_by: Set(b.acknowledged.map(|(_, by)| by.get())),
        resolved_at: Set(b.resolved.as_ref().map(|(at, _, _)| millis(*at))),
        resolved_by: Set(b.resolved.as_ref().map(|(_, by, _)| by.get())),
        resolution: Set(b.resolved.as_ref().map(|(_, _, text)| text.clone())),
        ..Default::default()
    }
    .insert(cx.conn())
    .await?;
    cx.log(
        AccessAction::Create,
        Some(b.resident_id),
        format!("bell:{}", m.id),
    );
    Ok(BellId::new(m.id))
}

/// A plan entry: a goal or an agreement.
pub use waakvlam_domain::plan::PlanItemKind;

pub async fn add_plan_item(
    cx: &Cx<'_>,
    resident_id: ResidentId,
    kind: PlanItemKind,
    text: &str,
    at: DateTime<Utc>,
) -> StoreResult<PlanItemId> {
    let position = plan_item::Entity::find()
        .filter(plan_item::Column::ResidentId.eq(resident_id))
        .count(cx.conn())
        .await?;
    let m = plan_item::ActiveModel {
        resident_id: Set(resident_id.get()),
        kind: Set(kind.as_str().to_owned()),
        text: Set(text.to_owned()),
        position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
        created_at: Set(millis(at)),
        updated_at: Set(millis(at)),
        archived_at: Set(None),
        archive_reason: Set(None),
        ..Default::default()
    }
    .insert(cx.conn())
    .await?;
    cx.log(
        AccessAction::Create,
        Some(resident_id),
        format!("plan_item:{}", m.id),
    );
    Ok(PlanItemId::new(m.id))
}

/// A progress entry in the plan, by the resident or a professional.
#[derive(Clone, Debug)]
pub struct NewProgress {
    pub resident_id: ResidentId,
    pub plan_item_id: Option<PlanItemId>,
    pub author_account_id: Option<AccountId>,
    pub text: String,
    pub at: DateTime<Utc>,
}

pub async fn add_progress(cx: &Cx<'_>, p: &NewProgress) -> StoreResult<ProgressId> {
    let m = plan_progress::ActiveModel {
        resident_id: Set(p.resident_id.get()),
        plan_item_id: Set(p.plan_item_id.map(PlanItemId::get)),
        author_account_id: Set(p.author_account_id.map(AccountId::get)),
        text: Set(p.text.clone()),
        created_at: Set(millis(p.at)),
        ..Default::default()
    }
    .insert(cx.conn())
    .await?;
    cx.log(
        AccessAction::Create,
        Some(p.resident_id),
        format!("plan_progress:{}", m.id),
    );
    Ok(ProgressId::new(m.id))
}

/// A party the resident lets see their plan.
#[derive(Clone, Debug)]
pub struct NewConsent {
    pub resident_id: ResidentId,
    pub party: ConsentParty,
    pub party_account_id: Option<AccountId>,
    pub party_name: String,
    pub granted_at: DateTime<Utc>,
}

pub async fn add_consent(cx: &Cx<'_>, c: &NewConsent) -> StoreResult<ConsentId> {
    let m = consent::ActiveModel {
        resident_id: Set(c.resident_id.get()),
        party_kind: Set(c.party.as_str().to_owned()),
        party_account_id: Set(c.party_account_id.map(AccountId::get)),
        party_name: Set(c.party_name.clone()),
        granted_at: Set(millis(c.granted_at)),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(cx.conn())
    .await?;
    cx.log(
        AccessAction::Create,
        Some(c.resident_id),
        format!("consent:{}", m.id),
    );
    Ok(ConsentId::new(m.id))
}

/// Whether the resident has taken their plan away from this actor (on "Wie
/// ziet mijn plan"): from the professional whose consent they removed, or
/// from every carer once they removed their care provider. Care goes on;
/// only the plan and its progress notes are no longer shown.
pub async fn plan_withheld(cx: &Cx<'_>, resident_id: ResidentId) -> StoreResult<bool> {
    let rows = consent::Entity::find()
        .filter(consent::Column::ResidentId.eq(resident_id))
        .all(cx.conn())
        .await?;
    let withdrawn = |party: &str, account: Option<AccountId>| {
        let mut same = rows
            .iter()
            .filter(|c| {
                c.party_kind == party
                    && (account.is_none() || c.party_account_id == account.map(i64::from))
            })
            .peekable();
        same.peek().is_some() && same.all(|c| c.revoked_at.is_some())
    };
    Ok(match cx.actor.tenant {
        crate::Tenant::Professional { account_id, .. } => {
            withdrawn("professional", Some(account_id)) || withdrawn("provider", None)
        }
        crate::Tenant::Team { .. } => withdrawn("provider", None),
        _ => false,
    })
}

/// Logs a contact moment: form-free, only the date and channel are needed.
pub async fn log_contact(cx: &Cx<'_>, c: &NewContact) -> StoreResult<ContactId> {
    let mut refused = Refusals::new();
    if let Some(w) = c.wellbeing
        && !(1..=5).contains(&w)
    {
        refused.push(Refusal::because("wellbeing", "wellbeing-range"));
    }
    if c.duration_minutes
        .is_some_and(|m| !(1..=24 * 60).contains(&m))
    {
        refused.push(Refusal::because("duration_minutes", "duration-range"));
    }
    if c.occurred_at > cx.now + chrono::Duration::minutes(5) {
        refused.push(Refusal::because("date", "contact-in-future"));
    } else {
        let day = c
            .occurred_at
            .with_timezone(&chrono_tz::Europe::Amsterdam)
            .date_naive();
        refused.check(limits::check_care_date("date", day, cx.today()));
    }
    if let Some(note) = &c.note {
        refused.check(limits::check_text("note", note, TextClass::Note));
    }
    refused.into_result()?;
    residents::visible(cx, c.resident_id, AccessAction::Create).await?;
    // The contact's own access-log entry is written with it.
    let id = add_contact(cx, c).await?;
    // The first contact starts delivery of what had not started yet.
    let day = c
        .occurred_at
        .with_timezone(&chrono_tz::Europe::Amsterdam)
        .date_naive();
    crate::iwmo::delivery::contact_logged(cx, c.resident_id, day).await?;
    Ok(id)
}

/// A professional's end of a resident's waakvlam (see [`end_waakvlam`]).
#[derive(Clone, Debug)]
pub struct EndWaakvlam {
    pub resident_id: ResidentId,
    pub indication_id: IndicationId,
    pub end: NaiveDate,
    pub outcome: WaakvlamOutcome,
    /// Was the agreed result reached? Required when a professional ends it.
    pub result: ResultAssessment,
    /// Today in the Netherlands: a waakvlam does not end in the future.
    pub today: NaiveDate,
    /// When `end` is over in the Netherlands: a contact logged at or after
    /// this instant came after the end (the store keeps no time zones).
    pub end_is_over_at: DateTime<Utc>,
}

/// The professional (or team lead) ends a waakvlam they hold, with its
/// outcome. Refused and logged: another kind of indication (a BT is the
/// municipality's to end) or one held by someone else. Refused with a
/// reason: an end after today, or before a contact already logged.
pub async fn end_waakvlam(cx: &Cx<'_>, e: &EndWaakvlam) -> StoreResult<Indication> {
    let objects = format!("indication:{}", e.indication_id);
    let Some(m) = indication::Entity::find_by_id(e.indication_id.get())
        .filter(indication::Column::ResidentId.eq(e.resident_id))
        .filter(cx.actor.tenant.indication_filter())
        .one(cx.conn())
        .await?
    else {
        return Err(cx.deny(AccessAction::Update, Some(e.resident_id), objects));
    };
    let holds = match cx.actor.tenant {
        crate::Tenant::Professional { account_id, .. } => {
            m.professional_account_id == Some(account_id.get())
        }
        crate::Tenant::Team { team_id } => m.team_id == Some(team_id.get()),
        _ => false,
    };
    let waakvlam = catalogue::product_by_id(cx, ProductId::new(m.product_id))
        .await?
        .is_some_and(|p| p.product.level == IntensityLevel::Waakvlam);
    if !holds || !waakvlam {
        return Err(cx.deny(AccessAction::Update, Some(e.resident_id), objects));
    }
    if e.end > e.today {
        return Err(StoreError::refuse("end_date", "end-in-future"));
    }
    let last_contact = contact::Entity::find()
        .filter(contact::Column::ResidentId.eq(e.resident_id))
        .order_by_desc(contact::Column::OccurredAt)
        .one(cx.conn())
        .await?
        .map(|c| from_millis(c.occurred_at));
    if let Some(last) = last_contact.filter(|last| *last >= e.end_is_over_at) {
        return Err(StoreError::refuse_with(
            "end_date",
            Reason::new("end-before-contact").with("date", last.date_naive().format("%d-%m-%Y")),
        ));
    }
    indications::end_with_outcome(cx, e.indication_id, e.end, e.outcome, Some(&e.result)).await
}

/// Sets the agreed contact rhythm of one of the resident's indications. An
/// indication of another resident (or out of the actor's sight) is not
/// found: the check is here, not in the handler.
pub async fn set_rhythm(
    cx: &Cx<'_>,
    resident_id: ResidentId,
    indication_id: IndicationId,
    days: u32,
) -> StoreResult<()> {
    if !(1..=365).contains(&days) {
        return Err(StoreError::refuse("rhythm_days", "rhythm-range"));
    }
    let (tx, actor, now) = (cx.conn(), cx.actor, cx.now);
    let Some(m) = indication::Entity::find_by_id(indication_id.get())
        .filter(indication::Column::ResidentId.eq(resident_id))
        .filter(actor.tenant.indication_filter())
        .one(tx)
        .await?
    else {
        return Err(indications::refused(cx, indication_id, AccessAction::Update).await?);
    };
    changes::record(
        tx,
        actor,
        millis(now),
        Change {
            entity: "indication",
            id: m.id,
            field: "contact_rhythm_days",
            old: m.contact_rhythm_days.map(|d| d.to_string()),
            new: Some(days.to_string()),
        },
    )
    .await?;
    let mut am: indication::ActiveModel = m.into();
    am.contact_rhythm_days = Set(i32::try_from(days).ok());
    am.updated_at = Set(millis(now));
    am.update(tx).await?;
    cx.log(
        AccessAction::Update,
        Some(resident_id),
        format!("indication:{indication_id}:rhythm"),
    );
    Ok(())
}

/// Picks up a bell; the time to acknowledge is what it records.
pub async fn acknowledge_bell(
    cx: &Cx<'_>,
    resident_id: ResidentId,
    bell_id: BellId,
) -> StoreResult<()> {
    update_bell(cx, resident_id, bell_id, None).await
}

/// Closes a bell, saying what was done.
pub async fn resolve_bell(
    cx: &Cx<'_>,
    resident_id: ResidentId,
    bell_id: BellId,
    what_was_done: &str,
) -> StoreResult<()> {
    let text = what_was_done.trim();
    if text.is_empty() {
        return Err(StoreError::refuse("resolution", "resolution-required"));
    }
    limits::check_text("resolution", text, TextClass::Short)?;
    update_bell(cx, resident_id, bell_id, Some(text)).await
}

async fn update_bell(
    cx: &Cx<'_>,
    resident_id: ResidentId,
    bell_id: BellId,
    resolution: Option<&str>,
) -> StoreResult<()> {
    residents::visible(cx, resident_id, AccessAction::Update).await?;
    let (tx, actor) = (cx.conn(), cx.actor);
    let Some(b) = bell::Entity::find_by_id(bell_id.get())
        .filter(bell::Column::ResidentId.eq(resident_id))
        .one(tx)
        .await?
    else {
        return Err(cx.not_found(
            AccessAction::Update,
            Some(resident_id),
            format!("bell:{bell_id}"),
            "bell",
        ));
    };
    if b.resolved_at.is_some() {
        return Err(StoreError::conflict("", Reason::new("bell-resolved")));
    }
    let now = millis(cx.now);
    let mut am: bell::ActiveModel = b.clone().into();
    if b.acknowledged_at.is_none() {
        am.acknowledged_at = Set(Some(now));
        am.acknowledged_by = Set(actor.account_id.map(i64::from));
    }
    if let Some(text) = resolution {
        am.resolved_at = Set(Some(now));
        am.resolved_by = Set(actor.account_id.map(i64::from));
        am.resolution = Set(Some(text.to_owned()));
    }
    am.update(tx).await?;
    cx.log(
        AccessAction::Update,
        Some(resident_id),
        format!("bell:{bell_id}"),
    );
    Ok(())
}

/// A resident's contact person: the professional of their current
/// indication, and when they last had contact.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContactPerson {
    pub name: String,
    pub phone: Option<String>,
    pub last_contact_on: Option<NaiveDate>,
}

/// Who helps `resident_id` on `day`, as far as the actor's tenant sees
/// (residents only see their own). Not logged: the page that shows it logs
/// what it shows.
pub async fn contact_person(
    cx: &Cx<'_>,
    resident_id: ResidentId,
    day: NaiveDate,
) -> StoreResult<Option<ContactPerson>> {
    let tx = cx.conn();
    let current = indication::Entity::find()
        .filter(indication::Column::ResidentId.eq(resident_id))
        .filter(cx.actor.tenant.indication_filter())
        .filter(crate::read::caseload::running_on(day))
        .filter(indication::Column::ProfessionalAccountId.is_not_null())
        .order_by_desc(indication::Column::StartDate)
        .one(tx)
        .await?;
    let Some(professional_id) = current.and_then(|i| i.professional_account_id) else {
        return Ok(None);
    };
    let professional = account::Entity::find_by_id(professional_id).one(tx).await?;
    let last = contact::Entity::find()
        .filter(contact::Column::ResidentId.eq(resident_id))
        .order_by_desc(contact::Column::OccurredAt)
        .one(tx)
        .await?;
    Ok(professional.map(|p| ContactPerson {
        name: p.display_name,
        phone: p.phone,
        last_contact_on: last.map(|c| from_millis(c.occurred_at).date_naive()),
    }))
}
