//! Who is on whose caseload: the start pages of professionals and team leads,
//! and a resident's contact person.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use waakvlam_domain::access::AccessAction;
use waakvlam_domain::care::{RequestStatus, Wellbeing};
use waakvlam_domain::product::IntensityLevel;
use waakvlam_domain::signal::{Attention, BellRing, CheckIn, SignalInput};

use crate::signals::SignalSettings;

use crate::access;
use crate::catalogue;
use crate::entity::{account, bell, check_in, contact, indication, resident, scale_request};
use crate::residents::Resident;
use crate::{Actor, Store, StoreResult, from_millis, millis};

/// One resident on a caseload with their current indication.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseloadEntry {
    pub resident_id: i64,
    pub resident_name: String,
    pub indication_id: i64,
    pub product_code: String,
    pub product_name: String,
    pub level: IntensityLevel,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub professional_account_id: Option<i64>,
    pub professional_name: Option<String>,
}

pub(crate) fn running_on(day: NaiveDate) -> Condition {
    Condition::all()
        .add(indication::Column::StartDate.lte(day))
        .add(
            Condition::any()
                .add(indication::Column::EndDate.is_null())
                .add(indication::Column::EndDate.gte(day)),
        )
}

/// The residents with an indication running on `day` that the actor may
/// see (for a professional: theirs and their team's), sorted by name. Logged
/// as a search over those residents.
pub async fn current(
    store: &Store,
    actor: &Actor,
    day: NaiveDate,
) -> StoreResult<Vec<CaseloadEntry>> {
    Ok(facts(store, actor, Scope::Team, day)
        .await?
        .into_iter()
        .map(|f| f.entry)
        .collect())
}

/// A resident's contact person: the professional of their current
/// indication, and when they last had contact.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContactPerson {
    pub name: String,
    pub phone: Option<String>,
    pub last_contact_on: Option<NaiveDate>,
}

/// The contact person of the resident the actor is (residents only see
/// their own). Logged as a read of the resident's record.
pub async fn contact_person(
    store: &Store,
    actor: &Actor,
    resident_id: i64,
    day: NaiveDate,
) -> StoreResult<Option<ContactPerson>> {
    let tx = store.begin_read().await?;
    let current = indication::Entity::find()
        .filter(indication::Column::ResidentId.eq(resident_id))
        .filter(actor.tenant.indication_filter())
        .filter(running_on(day))
        .filter(indication::Column::ProfessionalAccountId.is_not_null())
        .order_by_desc(indication::Column::StartDate)
        .one(&*tx)
        .await?;
    let objects = format!("resident:{resident_id}:contact_person");
    access::record(
        &*tx,
        store,
        actor,
        AccessAction::Read,
        Some(resident_id),
        &objects,
    )
    .await?;
    let Some(professional_id) = current.and_then(|i| i.professional_account_id) else {
        tx.commit().await?;
        return Ok(None);
    };
    let professional = account::Entity::find_by_id(professional_id)
        .one(&*tx)
        .await?;
    let last = contact::Entity::find()
        .filter(contact::Column::ResidentId.eq(resident_id))
        .order_by_desc(contact::Column::OccurredAt)
        .one(&*tx)
        .await?;
    tx.commit().await?;
    Ok(professional.map(|p| ContactPerson {
        name: p.display_name,
        phone: p.phone,
        last_contact_on: last.map(|c| from_millis(c.occurred_at).date_naive()),
    }))
}

/// Whose caseload: a professional's own residents, or the whole team's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Mine,
    Team,
}

/// Everything the signal engine needs about one resident on a caseload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseloadFacts {
    pub entry: CaseloadEntry,
    pub municipality_code: String,
    pub team_id: Option<i64>,
    pub planned_scale_down: Option<NaiveDate>,
    pub contact_rhythm_days: Option<u32>,
    pub last_contact: Option<NaiveDate>,
    /// The latest check-ins, oldest first (at most five).
    pub check_ins: Vec<CheckIn>,
    /// Bells not yet resolved.
    pub bells: Vec<BellRing>,
    pub scale_request_pending: bool,
}

impl CaseloadFacts {
    /// The engine's view of this resident on `today`.
    pub fn signal_input(&self, today: NaiveDate, now: DateTime<Utc>) -> SignalInput<'_> {
        SignalInput {
            today,
            now,
            level: self.entry.level,
            start: self.entry.start_date,
            end: self.entry.end_date,
            planned_scale_down: self.planned_scale_down,
            contact_rhythm_days: self.contact_rhythm_days,
            last_contact: self.last_contact,
            check_ins: &self.check_ins,
            bells: &self.bells,
            scale_request_pending: self.scale_request_pending,
        }
    }
}

/// A resident on a ranked caseload.
#[derive(Clone, Debug)]
pub struct RankedResident {
    pub facts: CaseloadFacts,
    pub attention: Attention,
}

/// Loads the caseload with its signal facts in a fixed number of indexed
/// queries (no query per resident), logged as one search.
pub async fn facts(
    store: &Store,
    actor: &Actor,
    scope: Scope,
    today: NaiveDate,
) -> StoreResult<Vec<CaseloadFacts>> {
    let tx = store.begin_read().await?;
    let mut q = indication::Entity::find()
        .filter(actor.tenant.indication_filter())
        .filter(running_on(today));
    if scope == Scope::Mine {
        q = q.filter(indication::Column::ProfessionalAccountId.eq(actor.account_id.unwrap_or(-1)));
    }
    let indications = q.order_by_asc(indication::Column::Id).all(&*tx).await?;
    let ids: Vec<i64> = indications
        .iter()
        .map(|i| i.resident_id)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let residents: HashMap<i64, Resident> = resident::Entity::find()
        .filter(resident::Column::Id.is_in(ids.iter().copied()))
        .filter(actor.tenant.resident_filter())
        .all(&*tx)
        .await?
        .into_iter()
        .map(|r| (r.id, Resident::from(r)))
        .collect();
    let professional_ids: HashSet<i64> = indications
        .iter()
        .filter_map(|i| i.professional_account_id)
        .collect();
    let professionals: HashMap<i64, String> = account::Entity::find()
        .filter(account::Column::Id.is_in(professional_ids))
        .all(&*tx)
        .await?
        .into_iter()
        .map(|a| (a.id, a.display_name))
        .collect();
    let products = catalogue::products(&*tx).await?;

    // Last contact per resident: one grouped query on (resident_id, occurred_at).
    let last_contacts: HashMap<i64, i64> = contact::Entity::find()
        .select_only()
        .column(contact::Column::ResidentId)
        .column_as(contact::Column::OccurredAt.max(), "last")
        .filter(contact::Column::ResidentId.is_in(ids.iter().copied()))
        .group_by(contact::Column::ResidentId)
        .into_tuple::<(i64, i64)>()
        .all(&*tx)
        .await?
        .into_iter()
        .collect();
    // Recent check-ins: the window covers far more than five monthly ones.
    let since = millis(store.now()) - 400 * 24 * 3600 * 1000;
    let mut check_ins: HashMap<i64, Vec<CheckIn>> = HashMap::new();
    for c in check_in::Entity::find()
        .filter(check_in::Column::ResidentId.is_in(ids.iter().copied()))
        .filter(check_in::Column::SubmittedAt.gte(since))
        .order_by_asc(check_in::Column::SubmittedAt)
        .all(&*tx)
        .await?
    {
        if let Ok(w) = Wellbeing::new(u8::try_from(c.wellbeing).unwrap_or(0)) {
            check_ins.entry(c.resident_id).or_default().push(CheckIn {
                on: from_millis(c.submitted_at).date_naive(),
                wellbeing: w,
            });
        }
    }
    let mut bells: HashMap<i64, Vec<BellRing>> = HashMap::new();
    for b in bell::Entity::find()
        .filter(bell::Column::ResidentId.is_in(ids.iter().copied()))
        .filter(bell::Column::ResolvedAt.is_null())
        .all(&*tx)
        .await?
    {
        bells.entry(b.resident_id).or_default().push(BellRing {
            rung_at: from_millis(b.rung_at),
            acknowledged_at: b.acknowledged_at.map(from_millis),
        });
    }
    let pending: HashSet<i64> = scale_request::Entity::find()
        .filter(scale_request::Column::ResidentId.is_in(ids.iter().copied()))
        .filter(scale_request::Column::Status.eq(RequestStatus::Pending.as_str()))
        .all(&*tx)
        .await?
        .into_iter()
        .map(|r| r.indication_id)
        .collect();

    let mut out = Vec::with_capacity(indications.len());
    for i in indications {
        let (Some(r), Some(p)) = (
            residents.get(&i.resident_id),
            products.iter().find(|p| p.id == i.product_id),
        ) else {
            continue;
        };
        let mut recent = check_ins.get(&r.id).cloned().unwrap_or_default();
        if recent.len() > 5 {
            recent.drain(..recent.len() - 5);
        }
        out.push(CaseloadFacts {
            entry: CaseloadEntry {
                resident_id: r.id,
                resident_name: r.formal_name(),
                indication_id: i.id,
                product_code: p.product.code.as_str().to_owned(),
                product_name: p.product.name.clone(),
                level: p.product.level,
                start_date: i.start_date,
                end_date: i.end_date,
                professional_account_id: i.professional_account_id,
                professional_name: i
                    .professional_account_id
                    .and_then(|id| professionals.get(&id).cloned()),
            },
            municipality_code: i.municipality_code.clone(),
            team_id: i.team_id,
            planned_scale_down: i.planned_scale_down_date,
            contact_rhythm_days: i.contact_rhythm_days.and_then(|d| u32::try_from(d).ok()),
            last_contact: last_contacts
                .get(&r.id)
                .map(|ms| from_millis(*ms).date_naive()),
            check_ins: recent,
            bells: bells.get(&r.id).cloned().unwrap_or_default(),
            scale_request_pending: pending.contains(&i.id),
        });
    }
    out.sort_by(|a, b| {
        a.entry
            .resident_name
            .to_lowercase()
            .cmp(&b.entry.resident_name.to_lowercase())
    });
    let listed = out
        .iter()
        .map(|f| f.entry.resident_id.to_string())
        .collect::<Vec<_>>()
        .join(",");
    let objects = format!("caseload:resident:{listed}");
    access::record(&*tx, store, actor, AccessAction::Search, None, &objects).await?;
    tx.commit().await?;
    Ok(out)
}

/// Ranks loaded facts by need of attention with the domain's signal engine
/// (highest first; ties keep the name order of `facts`). Each resident is
/// judged by the thresholds of their municipality and team.
pub fn rank(
    facts: Vec<CaseloadFacts>,
    today: NaiveDate,
    now: DateTime<Utc>,
    settings: &SignalSettings,
) -> Vec<RankedResident> {
    let mut ranked: Vec<RankedResident> = facts
        .into_iter()
        .map(|f| {
            let thresholds = settings.thresholds(&f.municipality_code, f.team_id);
            let attention = Attention::of(&f.signal_input(today, now), &thresholds);
            RankedResident {
                facts: f,
                attention,
            }
        })
        .collect();
    ranked.sort_by(|a, b| a.attention.priority(&b.attention));
    ranked
}
