//! The consultant's worklist (`/worklist`): scale requests waiting for a
//! decision, waakvlam indications that end soon (extend or end), the
//! scale-down inventory of individual and intensive support, and the
//! running indications per level.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Days, Months, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder};
use waakvlam_domain::product::IntensityLevel;

use crate::entity::{indication, provider, resident, scale_down_planning};
use crate::residents::formal_name;
use crate::scale_request::{self, WaitingRequest};
use crate::{
    Cx, IndicationId, ProviderId, ResidentId, StoreResult, catalogue, from_millis, indications,
};

/// One indication on a worklist.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorklistIndication {
    pub indication_id: IndicationId,
    pub resident_id: ResidentId,
    pub resident_name: String,
    pub product_code: String,
    pub provider_id: ProviderId,
    pub provider_name: String,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub planned_scale_down: Option<NaiveDate>,
    /// When the municipality last asked the provider to plan the scale-down.
    pub planning_requested_at: Option<DateTime<Utc>>,
    /// The provider's answer to that request, once given.
    pub planning_answer: Option<crate::scale_down_planning::PlanningAnswer>,
    /// The day the indication was issued (reached the provider).
    pub issued_on: NaiveDate,
    pub municipality_code: String,
}

/// An allocation that has waited longer than its threshold for a
/// professional at the provider.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WaitingAllocation {
    pub indication: WorklistIndication,
    /// Working days since it was issued.
    pub working_days: u32,
}

/// The scale-down inventory: planned moments within the horizon grouped by
/// provider, and the indications that still have no planned moment.
#[derive(Clone, Debug, Default)]
pub struct ScaleDownInventory {
    pub by_provider: Vec<(String, Vec<WorklistIndication>)>,
    pub without_moment: Vec<WorklistIndication>,
}

/// Everything the worklist page shows.
#[derive(Clone, Debug)]
pub struct WorklistPage {
    /// Requests awaiting a decision, oldest first.
    pub requests: Vec<WaitingRequest>,
    /// Waakvlam indications running today that end within the horizon and
    /// have no successor yet, soonest first.
    pub ending: Vec<WorklistIndication>,
    pub inventory: ScaleDownInventory,
    /// The indications running today per intensity level.
    pub active: Vec<(IntensityLevel, u64)>,
    /// Allocations no professional took on within the signal threshold
    /// (`unassigned_working_days`), longest waiting first.
    pub unassigned: Vec<WaitingAllocation>,
}

/// The worklist for `today`: indications ending within `ending_days` days
/// and planned scale-down moments within `inventory_months` months. One read
/// and one access-log entry (a search over every resident listed).
pub async fn page(
    cx: &Cx<'_>,
    today: NaiveDate,
    ending_days: u64,
    inventory_months: u32,
) -> StoreResult<WorklistPage> {
    let requests = scale_request::waiting_in(cx).await?;
    let ending = ending_waakvlam(cx, today, ending_days).await?;
    let inventory = scale_down_inventory(cx, today, inventory_months).await?;
    let active = indications::active_count(cx, today).await?;
    let unassigned = unassigned_too_long(cx, today).await?;
    let mut seen = HashSet::new();
    let listed = requests
        .iter()
        .map(|r| r.resident_id)
        .chain(ending.iter().map(|w| w.resident_id))
        .chain(
            inventory
                .by_provider
                .iter()
                .flat_map(|(_, list)| list.iter().map(|w| w.resident_id)),
        )
        .chain(inventory.without_moment.iter().map(|w| w.resident_id))
        .chain(unassigned.iter().map(|w| w.indication.resident_id))
        .filter(|id| seen.insert(*id))
        .collect::<Vec<_>>();
    cx.log_search("worklist", listed.into_iter());
    Ok(WorklistPage {
        requests,
        ending,
        inventory,
        active,
        unassigned,
    })
}

fn running_on(day: NaiveDate) -> Condition {
    Condition::all()
        .add(indication::Column::StartDate.lte(day))
        .add(
            Condition::any()
                .add(indication::Column::EndDate.is_null())
                .add(indication::Column::EndDate.gte(day)),
        )
}

/// No successor yet: a chain continues only from its last indication.
fn without_successor() -> Condition {
    Condition::all().add(Expr::not_exists(
        sea_orm::sea_query::Query::select()
            .expr(Expr::val(1))
            .from_as(indication::Entity, "successor")
            .and_where(
                Expr::col(("successor", indication::Column::PredecessorId))
                    .equals((indication::Entity, indication::Column::Id)),
            )
            .to_owned(),
    ))
}

/// The indications of these levels in the actor's tenant that meet `extra`
/// (not logged: the page logs what it lists).
async fn load(
    cx: &Cx<'_>,
    levels: &[IntensityLevel],
    extra: Condition,
) -> StoreResult<Vec<WorklistIndication>> {
    let (conn, actor) = (cx.conn(), cx.actor);
    let products = catalogue::products(cx).await?;
    let product_ids: Vec<i64> = products
        .iter()
        .filter(|p| levels.contains(&p.product.level))
        .map(|p| p.id.get())
        .collect();
    let rows = indication::Entity::find()
        .filter(actor.tenant.indication_filter())
        .filter(indication::Column::ProductId.is_in(product_ids))
        .filter(extra)
        .order_by_asc(indication::Column::EndDate)
        .order_by_asc(indication::Column::Id)
        .all(conn)
        .await?;
    let resident_ids: HashSet<i64> = rows.iter().map(|r| r.resident_id).collect();
    let residents: HashMap<i64, String> = resident::Entity::find()
        .filter(resident::Column::Id.is_in(resident_ids))
        .filter(actor.tenant.resident_filter())
        .all(conn)
        .await?
        .into_iter()
        .map(|r| {
            (
                r.id,
                formal_name(
                    &r.family_name,
                    r.initials.as_deref(),
                    r.name_prefix.as_deref(),
                ),
            )
        })
        .collect();
    let providers: HashMap<i64, String> = provider::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    // The latest request per indication, with its answer.
    let mut asked: HashMap<i64, scale_down_planning::Model> = HashMap::new();
    for p in scale_down_planning::Entity::find()
        .filter(scale_down_planning::Column::IndicationId.is_in(rows.iter().map(|r| r.id)))
        .all(conn)
        .await?
    {
        match asked.get(&p.indication_id) {
            Some(q) if (q.requested_at, q.id) >= (p.requested_at, p.id) => {}
            _ => {
                asked.insert(p.indication_id, p);
            }
        }
    }
    Ok(rows
        .into_iter()
        .filter_map(|i| {
            let name = residents.get(&i.resident_id)?.clone();
            let code = products
                .iter()
                .find(|p| p.id == i.product_id)?
                .product
                .code
                .as_str()
                .to_owned();
            Some(WorklistIndication {
                indication_id: IndicationId::new(i.id),
                resident_id: ResidentId::new(i.resident_id),
                resident_name: name,
                product_code: code,
                provider_id: ProviderId::new(i.provider_id),
                provider_name: providers.get(&i.provider_id).cloned().unwrap_or_default(),
                start_date: i.start_date,
                end_date: i.end_date,
                planned_scale_down: i.planned_scale_down_date,
                planning_requested_at: asked.get(&i.id).map(|p| from_millis(p.requested_at)),
                planning_answer: asked
                    .get(&i.id)
                    .and_then(crate::scale_down_planning::PlanningAnswer::of),
                issued_on: crate::local_date(from_millis(i.created_at)),
                municipality_code: i.municipality_code,
            })
        })
        .collect())
}

/// Waakvlam indications running today that end within `days` days and have
/// no successor yet: to extend or to end. Soonest first.
async fn ending_waakvlam(
    cx: &Cx<'_>,
    today: NaiveDate,
    days: u64,
) -> StoreResult<Vec<WorklistIndication>> {
    let until = today.checked_add_days(Days::new(days)).unwrap_or(today);
    load(
        cx,
        &[IntensityLevel::Waakvlam],
        running_on(today)
            .add(indication::Column::EndDate.is_not_null())
            .add(indication::Column::EndDate.lte(until))
            .add(without_successor()),
    )
    .await
}

/// Individual and intensive indications running today: those whose planned
/// scale-down moment falls within the next `months` months (grouped by
/// provider, soonest first), and those without a planned moment.
pub(crate) async fn scale_down_inventory(
    cx: &Cx<'_>,
    today: NaiveDate,
    months: u32,
) -> StoreResult<ScaleDownInventory> {
    let horizon = today
        .checked_add_months(Months::new(months))
        .unwrap_or(today);
    let rows = load(
        cx,
        &[IntensityLevel::Individual, IntensityLevel::Intensive],
        running_on(today).add(without_successor()),
    )
    .await?;
    let mut by_provider: BTreeMap<String, Vec<WorklistIndication>> = BTreeMap::new();
    let mut without_moment = Vec::new();
    for w in rows {
        match w.planned_scale_down {
            None => without_moment.push(w),
            Some(d) if d <= horizon => by_provider
                .entry(w.provider_name.clone())
                .or_default()
                .push(w),
            Some(_) => {}
        }
    }
    let mut by_provider: Vec<(String, Vec<WorklistIndication>)> = by_provider.into_iter().collect();
    for (_, list) in &mut by_provider {
        list.sort_by_key(|w| (w.planned_scale_down, w.indication_id));
    }
    Ok(ScaleDownInventory {
        by_provider,
        without_moment,
    })
}

/// Indications in the consultant's sight that no professional has taken on
/// (in the provider's intake inbox, or with a team but nobody yet) for longer
/// than the municipality's `unassigned_working_days`: the consultant sees
/// that a resident is waiting, and can ask the provider why.
async fn unassigned_too_long(cx: &Cx<'_>, today: NaiveDate) -> StoreResult<Vec<WaitingAllocation>> {
    let rows = load(
        cx,
        &IntensityLevel::ALL,
        Condition::all()
            .add(indication::Column::ProfessionalAccountId.is_null())
            .add(indication::Column::EndReason.is_null())
            .add(
                Condition::any()
                    .add(indication::Column::EndDate.is_null())
                    .add(indication::Column::EndDate.gte(today)),
            ),
    )
    .await?;
    let settings = crate::signals::load(cx).await?;
    let mut waiting: Vec<WaitingAllocation> = rows
        .into_iter()
        .filter(|w| {
            waakvlam_domain::signal::unassigned_too_long(
                w.issued_on,
                today,
                &settings.thresholds(&w.municipality_code, None),
            )
        })
        .map(|w| WaitingAllocation {
            working_days: waakvlam_domain::calendar::working_days_between(w.issued_on, today),
            indication: w,
        })
        .collect();
    waiting.sort_by_key(|w| {
        (
            std::cmp::Reverse(w.working_days),
            w.indication.indication_id,
        )
    });
    Ok(waiting)
}
