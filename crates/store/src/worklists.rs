//! The municipality's worklists beside the scale requests: waakvlam
//! indications that end soon (extend or end) and the scale-down inventory of
//! individual and intensive support, with the request to a provider to plan
//! a scale-down.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Days, Months, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, EntityTrait, QueryFilter,
    QueryOrder,
};
use waakvlam_domain::access::AccessAction;
use waakvlam_domain::product::IntensityLevel;

use crate::access;
use crate::catalogue;
use crate::entity::{indication, provider, resident, scale_down_planning};
use crate::indication_file::decides_indications;
use crate::residents::formal_name;
use crate::{Actor, Store, StoreError, StoreResult, from_millis, millis};

/// One indication on a worklist.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorklistIndication {
    pub indication_id: i64,
    pub resident_id: i64,
    pub resident_name: String,
    pub product_code: String,
    pub provider_id: i64,
    pub provider_name: String,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub planned_scale_down: Option<NaiveDate>,
    /// When the municipality last asked the provider to plan the scale-down.
    pub planning_requested_at: Option<DateTime<Utc>>,
}

/// The scale-down inventory: planned moments within the horizon grouped by
/// provider, and the indications that still have no planned moment.
#[derive(Clone, Debug, Default)]
pub struct ScaleDownInventory {
    pub by_provider: Vec<(String, Vec<WorklistIndication>)>,
    pub without_moment: Vec<WorklistIndication>,
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

async fn load(
    store: &Store,
    actor: &Actor,
    levels: &[IntensityLevel],
    extra: Condition,
    log_as: &str,
) -> StoreResult<Vec<WorklistIndication>> {
    let tx = store.begin_read().await?;
    let products = catalogue::products_on(&*tx).await?;
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
        .all(&*tx)
        .await?;
    let resident_ids: HashSet<i64> = rows.iter().map(|r| r.resident_id).collect();
    let residents: HashMap<i64, String> = resident::Entity::find()
        .filter(resident::Column::Id.is_in(resident_ids))
        .filter(actor.tenant.resident_filter())
        .all(&*tx)
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
        .all(&*tx)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let mut asked: HashMap<i64, i64> = HashMap::new();
    for p in scale_down_planning::Entity::find()
        .filter(scale_down_planning::Column::IndicationId.is_in(rows.iter().map(|r| r.id)))
        .all(&*tx)
        .await?
    {
        let at = asked.entry(p.indication_id).or_insert(p.requested_at);
        *at = Ord::max(*at, p.requested_at);
    }
    let out: Vec<WorklistIndication> = rows
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
                indication_id: i.id,
                resident_id: i.resident_id,
                resident_name: name,
                product_code: code,
                provider_id: i.provider_id,
                provider_name: providers.get(&i.provider_id).cloned().unwrap_or_default(),
                start_date: i.start_date,
                end_date: i.end_date,
                planned_scale_down: i.planned_scale_down_date,
                planning_requested_at: asked.get(&i.id).copied().map(from_millis),
            })
        })
        .collect();
    let ids = out
        .iter()
        .map(|w| w.resident_id.to_string())
        .collect::<Vec<_>>()
        .join(",");
    access::record(
        &*tx,
        store,
        actor,
        AccessAction::Search,
        None,
        &format!("{log_as}:resident:{ids}"),
    )
    .await?;
    tx.commit().await?;
    Ok(out)
}

/// Waakvlam indications running today that end within `days` days and have
/// no successor yet: to extend or to end. Soonest first.
pub async fn ending_waakvlam(
    store: &Store,
    actor: &Actor,
    today: NaiveDate,
    days: u64,
) -> StoreResult<Vec<WorklistIndication>> {
    let until = today.checked_add_days(Days::new(days)).unwrap_or(today);
    load(
        store,
        actor,
        &[IntensityLevel::Waakvlam],
        running_on(today)
            .add(indication::Column::EndDate.is_not_null())
            .add(indication::Column::EndDate.lte(until))
            .add(without_successor()),
        "worklist:ending",
    )
    .await
}

/// Individual and intensive indications running today: those whose planned
/// scale-down moment falls within the next `months` months (grouped by
/// provider, soonest first), and those without a planned moment.
pub async fn scale_down_inventory(
    store: &Store,
    actor: &Actor,
    today: NaiveDate,
    months: u32,
) -> StoreResult<ScaleDownInventory> {
    let horizon = today
        .checked_add_months(Months::new(months))
        .unwrap_or(today);
    let rows = load(
        store,
        actor,
        &[IntensityLevel::Individual, IntensityLevel::Intensive],
        running_on(today).add(without_successor()),
        "worklist:scale_down",
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

/// A municipality's request to plan a scale-down, as the provider sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanningRequest {
    pub indication_id: i64,
    pub requested_at: DateTime<Utc>,
    pub note: Option<String>,
}

/// "Vraag de aanbieder het afschalen te plannen": records the request for
/// the provider of an individual or intensive indication.
pub async fn ask_to_plan_scale_down(
    store: &Store,
    actor: &Actor,
    indication_id: i64,
    note: Option<&str>,
) -> StoreResult<()> {
    if !decides_indications(actor) {
        return Err(StoreError::Denied);
    }
    let tx = store.begin_write().await?;
    let Some(m) = indication::Entity::find_by_id(indication_id)
        .filter(actor.tenant.indication_filter())
        .one(&*tx)
        .await?
    else {
        drop(tx);
        return Err(StoreError::NotFound { what: "indication" });
    };
    let level = catalogue::product_by_id_on(&*tx, crate::ProductId::new(m.product_id))
        .await?
        .map(|p| p.product.level);
    if !level.is_some_and(|l| l.requires_scale_down_moment()) {
        return Err(StoreError::refuse("indication", "scale-down-only-support"));
    }
    scale_down_planning::ActiveModel {
        indication_id: Set(m.id),
        resident_id: Set(m.resident_id),
        provider_id: Set(m.provider_id),
        requested_by: Set(actor.account_id),
        requested_at: Set(millis(store.now())),
        note: Set(note
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_owned)),
        ..Default::default()
    }
    .insert(&*tx)
    .await?;
    access::record(
        &*tx,
        store,
        actor,
        AccessAction::Create,
        Some(m.resident_id),
        &format!("scale_down_planning:indication:{}", m.id),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The latest request to plan a scale-down of a resident's indications the
/// actor may see (the professional's resident page shows it).
pub async fn planning_request_for<C: sea_orm::ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    resident_id: i64,
) -> StoreResult<Option<PlanningRequest>> {
    let visible = sea_orm::sea_query::Query::select()
        .column(indication::Column::Id)
        .from(indication::Entity)
        .cond_where(actor.tenant.indication_filter())
        .and_where(indication::Column::ResidentId.eq(resident_id))
        .to_owned();
    Ok(scale_down_planning::Entity::find()
        .filter(scale_down_planning::Column::ResidentId.eq(resident_id))
        .filter(scale_down_planning::Column::IndicationId.in_subquery(visible))
        .order_by_desc(scale_down_planning::Column::RequestedAt)
        .one(conn)
        .await?
        .map(|p| PlanningRequest {
            indication_id: p.indication_id,
            requested_at: from_millis(p.requested_at),
            note: p.note,
        }))
}
