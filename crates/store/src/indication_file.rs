//! The municipality's view of indications: one indication with its cost,
//! extensions and change history; creating and changing indications; and a
//! resident's whole pathway (the chain of indications with the requests and
//! decisions between them).

use std::collections::HashMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use waakvlam_domain::access::{AccessAction, AccessOutcome};
use waakvlam_domain::care::{RequestStatus, ScaleDirection, Urgency};
use waakvlam_domain::ids::ProductCode;
use waakvlam_domain::indication::{IndicationDates, RuleViolation, validate_indication};
use waakvlam_domain::refusal::Reason;
use waakvlam_domain::role::Role;
use waakvlam_domain::tariff::{IndicationCost, OwnContribution, Tariff, indication_cost};

use crate::access::{self, AccessEvent};
use crate::catalogue::{self, CatalogueProduct};
use crate::changes::{self, Change};
use crate::entity::{
    account, change_record, contact, indication, indication_extension, own_contribution, provider,
    resident, scale_request,
};
use crate::indications::{Indication, NewIndication};
use crate::residents::Resident;
use crate::{Actor, Store, StoreError, StoreResult, Tenant, from_millis, indications, millis};

/// Whether the actor decides on indications: the municipality's consultant
/// (the tenant keeps them to their municipality or region) and administrators.
pub fn decides_indications(actor: &Actor) -> bool {
    matches!(actor.role, Some(Role::Consultant) | Some(Role::Admin))
        || actor.tenant == Tenant::System
}

fn require_decider(actor: &Actor) -> StoreResult<()> {
    if decides_indications(actor) {
        Ok(())
    } else {
        Err(StoreError::Denied)
    }
}

/// An extension ("verlenging") as the indication page lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExtensionEntry {
    pub previous_end: NaiveDate,
    pub new_end: NaiveDate,
    pub reason: String,
    pub by: Option<String>,
    pub at: DateTime<Utc>,
}

/// One recorded change of a field: who, when, old value → new value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChangeEntry {
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
    pub by: Option<String>,
    pub at: DateTime<Utc>,
}

/// Everything the indication page shows.
#[derive(Clone, Debug)]
pub struct IndicationDetail {
    pub indication: Indication,
    pub resident_name: String,
    pub product: CatalogueProduct,
    pub provider_name: String,
    pub professional_name: Option<String>,
    pub extensions: Vec<ExtensionEntry>,
    pub changes: Vec<ChangeEntry>,
    /// The cost from start to end (or to `today` for an open end), with the
    /// own contributions apart.
    pub cost: IndicationCost,
    pub cost_until: NaiveDate,
    pub successor_id: Option<i64>,
}

async fn names<C: sea_orm::ConnectionTrait>(
    conn: &C,
    ids: impl IntoIterator<Item = i64>,
) -> StoreResult<HashMap<i64, String>> {
    Ok(account::Entity::find()
        .filter(account::Column::Id.is_in(ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|a| (a.id, a.display_name))
        .collect())
}

/// The tariffs that apply in a municipality: its own for a year, otherwise the
/// region's.
async fn tariffs_for<C: sea_orm::ConnectionTrait>(
    conn: &C,
    product_id: i64,
    municipality_code: &str,
) -> StoreResult<Vec<Tariff>> {
    let all = catalogue::tariffs_on(conn, crate::ProductId::new(product_id)).await?;
    let mut by_year: HashMap<i32, Tariff> = HashMap::new();
    for t in all.iter().filter(|t| t.municipality_code.is_none()) {
        by_year.insert(t.tariff.year, t.tariff.clone());
    }
    for t in all
        .iter()
        .filter(|t| t.municipality_code.as_deref() == Some(municipality_code))
    {
        by_year.insert(t.tariff.year, t.tariff.clone());
    }
    Ok(by_year.into_values().collect())
}

/// The own contributions that apply in a municipality: the region's until the
/// municipality's first own entry, the municipality's from then on (a
/// municipality that abolished it from 2024 still charged the region's rate
/// before).
async fn contributions_for<C: sea_orm::ConnectionTrait>(
    conn: &C,
    product: &ProductCode,
    product_id: i64,
    municipality_code: &str,
) -> StoreResult<Vec<OwnContribution>> {
    let rows = own_contribution::Entity::find()
        .filter(own_contribution::Column::ProductId.eq(product_id))
        .all(conn)
        .await?;
    let own_from = rows
        .iter()
        .filter(|r| r.municipality_code.as_deref() == Some(municipality_code))
        .map(|r| r.valid_from)
        .min();
    let chosen: Vec<_> = rows
        .iter()
        .filter(|r| match (&r.municipality_code, own_from) {
            (Some(code), _) => code == municipality_code,
            (None, Some(first)) => r.valid_from < first,
            (None, None) => true,
        })
        .collect();
    Ok(chosen
        .into_iter()
        .map(|r| OwnContribution {
            product: product.clone(),
            valid_from: r.valid_from,
            monthly: waakvlam_domain::money::Cents(r.monthly_cents),
        })
        .collect())
}

/// Loads one indication for its page. Logged as a read; outside the tenant
/// it is refused and the attempt logged.
pub async fn detail(
    store: &Store,
    actor: &Actor,
    id: i64,
    today: NaiveDate,
) -> StoreResult<IndicationDetail> {
    let tx = store.begin_read().await?;
    let objects = format!("indication:{id}");
    let found = indication::Entity::find_by_id(id)
        .filter(actor.tenant.indication_filter())
        .one(&*tx)
        .await?;
    let Some(m) = found else {
        let exists = indication::Entity::find_by_id(id).one(&*tx).await?;
        drop(tx);
        return match exists {
            Some(m) => Err(access::deny(
                store,
                actor,
                &AccessEvent::new(AccessAction::Read, Some(m.resident_id), &objects),
            )
            .await),
            None => Err(StoreError::NotFound { what: "indication" }),
        };
    };
    let product = catalogue::product_by_id_on(&*tx, crate::ProductId::new(m.product_id))
        .await?
        .ok_or(StoreError::NotFound { what: "product" })?;
    let resident_name = resident::Entity::find_by_id(m.resident_id)
        .one(&*tx)
        .await?
        .map(|r| r.formal_name())
        .unwrap_or_default();
    let provider_name = provider::Entity::find_by_id(m.provider_id)
        .one(&*tx)
        .await?
        .map(|p| p.name)
        .unwrap_or_default();
    let extensions = indication_extension::Entity::find()
        .filter(indication_extension::Column::IndicationId.eq(id))
        .order_by_desc(indication_extension::Column::CreatedAt)
        .all(&*tx)
        .await?;
    let change_rows = change_record::Entity::find()
        .filter(change_record::Column::Entity.eq("indication"))
        .filter(change_record::Column::EntityId.eq(id))
        .order_by_desc(change_record::Column::ChangedAt)
        .order_by_desc(change_record::Column::Id)
        .all(&*tx)
        .await?;
    let people_ids: Vec<i64> = extensions
        .iter()
        .filter_map(|e| e.account_id)
        .chain(change_rows.iter().filter_map(|c| c.account_id))
        .chain(m.professional_account_id)
        .collect();
    let people = names(&*tx, people_ids).await?;
    let successor_id = indication::Entity::find()
        .select_only()
        .column(indication::Column::Id)
        .filter(indication::Column::PredecessorId.eq(id))
        .into_tuple::<i64>()
        .one(&*tx)
        .await?;

    // The cost runs to the end date, or to today while the end is open.
    let cost_until = m.end_date.unwrap_or(today).max(m.start_date);
    let tariffs = tariffs_for(&*tx, m.product_id, &m.municipality_code).await?;
    let contributions = contributions_for(
        &*tx,
        &product.product.code,
        m.product_id,
        &m.municipality_code,
    )
    .await?;
    let minutes = minutes_by_year(&*tx, m.resident_id, m.start_date, cost_until).await?;
    let cost = indication_cost(
        &tariffs,
        &contributions,
        &product.product.code,
        m.start_date,
        cost_until,
        &minutes,
    );
    access::record(
        &*tx,
        store,
        actor,
        AccessAction::Read,
        Some(m.resident_id),
        &objects,
    )
    .await?;
    tx.commit().await?;
    Ok(IndicationDetail {
        professional_name: m
            .professional_account_id
            .and_then(|p| people.get(&p).cloned()),
        extensions: extensions
            .into_iter()
            .map(|e| ExtensionEntry {
                previous_end: e.previous_end,
                new_end: e.new_end,
                reason: e.reason,
                by: e.account_id.and_then(|a| people.get(&a).cloned()),
                at: from_millis(e.created_at),
            })
            .collect(),
        changes: change_rows
            .into_iter()
            .map(|c| ChangeEntry {
                field: c.field,
                old: c.old_value,
                new: c.new_value,
                by: c.account_id.and_then(|a| people.get(&a).cloned()),
                at: from_millis(c.changed_at),
            })
            .collect(),
        indication: m.into(),
        resident_name,
        product,
        provider_name,
        cost,
        cost_until,
        successor_id,
    })
}

/// Minutes of contact per calendar year within `from..=to` (hourly funding).
async fn minutes_by_year<C: sea_orm::ConnectionTrait>(
    conn: &C,
    resident_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> StoreResult<Vec<(i32, u32)>> {
    let start = from.and_hms_opt(0, 0, 0).map(|d| d.and_utc());
    let end = to
        .succ_opt()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc());
    let (Some(start), Some(end)) = (start, end) else {
        return Ok(Vec::new());
    };
    let rows = contact::Entity::find()
        .select_only()
        .columns([
            contact::Column::OccurredAt,
            contact::Column::DurationMinutes,
        ])
        .filter(contact::Column::ResidentId.eq(resident_id))
        .filter(contact::Column::OccurredAt.gte(millis(start)))
        .filter(contact::Column::OccurredAt.lt(millis(end)))
        .filter(contact::Column::DurationMinutes.is_not_null())
        .into_tuple::<(i64, Option<i32>)>()
        .all(conn)
        .await?;
    let mut by_year: HashMap<i32, u32> = HashMap::new();
    for (at, minutes) in rows {
        let minutes = u32::try_from(minutes.unwrap_or(0)).unwrap_or(0);
        *by_year.entry(from_millis(at).year()).or_default() += minutes;
    }
    Ok(by_year.into_iter().collect())
}

/// Creates an indication for a resident the consultant may see, in the
/// resident's municipality. Checked against the domain rules (a scale-down
/// moment for individual and intensive support; waakvlam at most 12 months).
pub async fn create(store: &Store, actor: &Actor, new: &NewIndication) -> StoreResult<Indication> {
    require_decider(actor)?;
    let tx = store.begin_write().await?;
    let Some(r) = resident::Entity::find_by_id(new.resident_id)
        .filter(actor.tenant.resident_filter())
        .one(&*tx)
        .await?
    else {
        drop(tx);
        return Err(StoreError::NotFound { what: "resident" });
    };
    let new = NewIndication {
        municipality_code: r.municipality_code.clone(),
        ..new.clone()
    };
    let created = indications::create(&*tx, store, actor, &new).await?;
    changes::record(
        &*tx,
        actor,
        millis(store.now()),
        Change {
            entity: "indication",
            id: created.id,
            field: "created",
            old: None,
            new: Some(format!(
                "{} {}",
                new.product_code.to_uppercase(),
                created.start_date
            )),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(created)
}

/// What a consultant may change on an indication.
#[derive(Clone, Debug)]
pub struct IndicationEdit {
    pub provider_id: i64,
    pub issued_on: NaiveDate,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub planned_scale_down_date: Option<NaiveDate>,
    pub agreed_result: Option<String>,
}

/// Changes an indication, checked against the same rules as a new one, and
/// records every changed field (who, when, old → new) in one transaction.
/// A waakvlam indication may only run past 12 months through "Verlengen".
pub async fn update(
    store: &Store,
    actor: &Actor,
    id: i64,
    edit: &IndicationEdit,
) -> StoreResult<Indication> {
    require_decider(actor)?;
    let tx = store.begin_write().await?;
    let Some(m) = indication::Entity::find_by_id(id)
        .filter(actor.tenant.indication_filter())
        .one(&*tx)
        .await?
    else {
        drop(tx);
        return Err(StoreError::NotFound { what: "indication" });
    };
    let product = catalogue::product_by_id_on(&*tx, crate::ProductId::new(m.product_id))
        .await?
        .ok_or(StoreError::NotFound { what: "product" })?;
    let extended = indication_extension::Entity::find()
        .filter(indication_extension::Column::IndicationId.eq(id))
        .one(&*tx)
        .await?
        .is_some();
    let dates = IndicationDates {
        issued_on: edit.issued_on,
        start: edit.start_date,
        end: edit.end_date,
        planned_scale_down: edit.planned_scale_down_date,
    };
    if let Err(v) = validate_indication(product.product.level, &dates, extended) {
        return Err(StoreError::Invalid(
            v.iter().map(RuleViolation::refusal).collect(),
        ));
    }
    if provider::Entity::find_by_id(edit.provider_id)
        .one(&*tx)
        .await?
        .is_none()
    {
        return Err(StoreError::refuse_with(
            "provider",
            Reason::new("unknown-provider").with("id", edit.provider_id),
        ));
    }
    let agreed = edit
        .agreed_result
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
    let at = millis(store.now());
    let date = |d: Option<NaiveDate>| d.map(|d| d.to_string());
    let fields: [(&str, Option<String>, Option<String>); 6] = [
        (
            "provider_id",
            Some(m.provider_id.to_string()),
            Some(edit.provider_id.to_string()),
        ),
        (
            "issued_on",
            date(Some(m.issued_on)),
            date(Some(edit.issued_on)),
        ),
        (
            "start_date",
            date(Some(m.start_date)),
            date(Some(edit.start_date)),
        ),
        ("end_date", date(m.end_date), date(edit.end_date)),
        (
            "planned_scale_down_date",
            date(m.planned_scale_down_date),
            date(edit.planned_scale_down_date),
        ),
        ("agreed_result", m.agreed_result.clone(), agreed.clone()),
    ];
    for (field, old, new) in fields {
        if old != new {
            changes::record(
                &*tx,
                actor,
                at,
                Change {
                    entity: "indication",
                    id,
                    field,
                    old,
                    new,
                },
            )
            .await?;
        }
    }
    let resident_id = m.resident_id;
    let mut am: indication::ActiveModel = m.into();
    am.provider_id = Set(edit.provider_id);
    am.issued_on = Set(edit.issued_on);
    am.start_date = Set(edit.start_date);
    am.end_date = Set(edit.end_date);
    am.planned_scale_down_date = Set(edit.planned_scale_down_date);
    am.agreed_result = Set(agreed);
    am.updated_at = Set(at);
    let updated = am.update(&*tx).await?;
    access::record(
        &*tx,
        store,
        actor,
        AccessAction::Update,
        Some(resident_id),
        &format!("indication:{id}"),
    )
    .await?;
    tx.commit().await?;
    Ok(updated.into())
}

/// "Verlengen": extends an indication by a chosen period with a reason, in
/// one transaction (the extension history keeps the previous end).
pub async fn extend(
    store: &Store,
    actor: &Actor,
    id: i64,
    new_end: NaiveDate,
    reason: &str,
) -> StoreResult<Indication> {
    require_decider(actor)?;
    let tx = store.begin_write().await?;
    let extended = indications::extend(&*tx, store, actor, id, new_end, reason).await?;
    tx.commit().await?;
    Ok(extended)
}

/// A request between two indications of a pathway.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathwayRequest {
    pub id: i64,
    pub direction: ScaleDirection,
    pub product_code: Option<String>,
    pub requested_start: NaiveDate,
    pub urgency: Urgency,
    pub reason: String,
    pub status: RequestStatus,
    pub requested_by: Option<String>,
    pub requested_at: DateTime<Utc>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_note: Option<String>,
    pub successor_id: Option<i64>,
}

/// One indication of a pathway with the requests made on it.
#[derive(Clone, Debug)]
pub struct PathwayStep {
    pub indication: Indication,
    pub product_code: String,
    pub product_name: String,
    pub provider_name: String,
    pub requests: Vec<PathwayRequest>,
}

/// A resident's whole pathway, oldest first.
#[derive(Clone, Debug)]
pub struct Pathway {
    pub resident: Resident,
    pub steps: Vec<PathwayStep>,
}

/// The resident's indications (chains in order: a successor follows its
/// predecessor) with the requests and decisions on each. Logged as a read.
pub async fn pathway(store: &Store, actor: &Actor, resident_id: i64) -> StoreResult<Pathway> {
    let tx = store.begin_read().await?;
    let objects = format!("resident:{resident_id}:pathway");
    let Some(r) = resident::Entity::find_by_id(resident_id)
        .filter(actor.tenant.resident_filter())
        .one(&*tx)
        .await?
    else {
        let exists = resident::Entity::find_by_id(resident_id)
            .one(&*tx)
            .await?
            .is_some();
        drop(tx);
        if exists {
            return Err(access::deny(
                store,
                actor,
                &AccessEvent::new(AccessAction::Read, Some(resident_id), &objects),
            )
            .await);
        }
        return Err(StoreError::NotFound { what: "resident" });
    };
    let rows = indication::Entity::find()
        .filter(indication::Column::ResidentId.eq(resident_id))
        .filter(actor.tenant.indication_filter())
        .order_by_asc(indication::Column::StartDate)
        .order_by_asc(indication::Column::Id)
        .all(&*tx)
        .await?;
    let requests = scale_request::Entity::find()
        .filter(scale_request::Column::IndicationId.is_in(rows.iter().map(|i| i.id)))
        .order_by_asc(scale_request::Column::RequestedAt)
        .all(&*tx)
        .await?;
    let products = catalogue::products_on(&*tx).await?;
    let providers: HashMap<i64, String> = provider::Entity::find()
        .filter(provider::Column::Id.is_in(rows.iter().map(|i| i.provider_id)))
        .all(&*tx)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let people_ids: Vec<i64> = requests
        .iter()
        .flat_map(|q| [q.requested_by, q.decided_by])
        .flatten()
        .collect();
    let people = names(&*tx, people_ids).await?;
    access::append(
        &*tx,
        actor,
        store.now(),
        &AccessEvent::new(AccessAction::Read, Some(resident_id), &objects),
        AccessOutcome::Success,
    )
    .await?;
    tx.commit().await?;

    let mut steps: Vec<PathwayStep> = rows
        .into_iter()
        .map(|i| {
            let product = products.iter().find(|p| p.id == i.product_id);
            PathwayStep {
                product_code: product
                    .map(|p| p.product.code.as_str().to_owned())
                    .unwrap_or_default(),
                product_name: product.map(|p| p.product.name.clone()).unwrap_or_default(),
                provider_name: providers.get(&i.provider_id).cloned().unwrap_or_default(),
                requests: requests
                    .iter()
                    .filter(|q| q.indication_id == i.id)
                    .map(|q| PathwayRequest {
                        id: q.id,
                        direction: ScaleDirection::parse(&q.direction)
                            .unwrap_or(ScaleDirection::Up),
                        product_code: q
                            .requested_product_id
                            .and_then(|id| products.iter().find(|p| p.id == id))
                            .map(|p| p.product.code.as_str().to_owned()),
                        requested_start: q.requested_start,
                        urgency: Urgency::parse(&q.urgency).unwrap_or(Urgency::Normal),
                        reason: q.reason.clone(),
                        status: RequestStatus::parse(&q.status).unwrap_or(RequestStatus::Pending),
                        requested_by: q.requested_by.and_then(|a| people.get(&a).cloned()),
                        requested_at: from_millis(q.requested_at),
                        decided_by: q.decided_by.and_then(|a| people.get(&a).cloned()),
                        decided_at: q.decided_at.map(from_millis),
                        decision_note: q.decision_note.clone(),
                        successor_id: q.successor_indication_id,
                    })
                    .collect(),
                indication: i.into(),
            }
        })
        .collect();
    order_chains(&mut steps);
    Ok(Pathway {
        resident: r.try_into()?,
        steps,
    })
}

/// Puts every successor right after its predecessor, keeping start order
/// otherwise, so a chain reads top to bottom.
fn order_chains(steps: &mut Vec<PathwayStep>) {
    let mut ordered: Vec<PathwayStep> = Vec::with_capacity(steps.len());
    let mut rest = std::mem::take(steps);
    while !rest.is_empty() {
        let next = ordered
            .last()
            .and_then(|last| {
                rest.iter()
                    .position(|s| s.indication.predecessor_id == Some(last.indication.id))
            })
            .unwrap_or(0);
        ordered.push(rest.remove(next));
    }
    *steps = ordered;
}
