//! The indication page (`/indications/{id}`): one indication with its cost,
//! extensions and change history.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use waakvlam_domain::access::AccessAction;
use waakvlam_domain::ids::ProductCode;
use waakvlam_domain::tariff::{IndicationCost, OwnContribution, Tariff, indication_cost};

use crate::catalogue::{self, CatalogueProduct};
use crate::entity::{
    account, change_record, contact, indication, indication_extension, own_contribution, provider,
    resident,
};
use crate::indications::Indication;
use crate::{Cx, IndicationId, ResidentId, StoreError, StoreResult, from_millis, millis};

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
    pub successor_id: Option<IndicationId>,
}

pub(crate) async fn names<C: sea_orm::ConnectionTrait>(
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
async fn tariffs_for(
    cx: &Cx<'_>,
    product_id: i64,
    municipality_code: &str,
) -> StoreResult<Vec<Tariff>> {
    let all = catalogue::tariffs(cx, crate::ProductId::new(product_id)).await?;
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

/// The indication if the actor may see it (not logged: the caller logs
/// what it shows); one outside the actor's tenant is refused and the attempt
/// noted as a read of `indication:<id>`.
pub(crate) async fn visible(cx: &Cx<'_>, id: IndicationId) -> StoreResult<indication::Model> {
    let found = indication::Entity::find_by_id(id.get())
        .filter(cx.actor.tenant.indication_filter())
        .one(cx.conn())
        .await?;
    if let Some(m) = found {
        return Ok(m);
    }
    match indication::Entity::find_by_id(id.get())
        .one(cx.conn())
        .await?
    {
        Some(m) => Err(cx.deny(
            AccessAction::Read,
            Some(ResidentId::new(m.resident_id)),
            format!("indication:{id}"),
        )),
        None => Err(StoreError::NotFound { what: "indication" }),
    }
}

/// One indication for its page (`/indications/{id}`): one read, logged as
/// one entry; outside the tenant it is refused and the attempt logged.
pub async fn page(
    cx: &Cx<'_>,
    id: IndicationId,
    today: NaiveDate,
) -> StoreResult<IndicationDetail> {
    let m = visible(cx, id).await?;
    let tx = cx.conn();
    let product = catalogue::product_by_id(cx, crate::ProductId::new(m.product_id))
        .await?
        .ok_or(StoreError::NotFound { what: "product" })?;
    let resident_name = resident::Entity::find_by_id(m.resident_id)
        .one(tx)
        .await?
        .map(|r| r.formal_name())
        .unwrap_or_default();
    let provider_name = provider::Entity::find_by_id(m.provider_id)
        .one(tx)
        .await?
        .map(|p| p.name)
        .unwrap_or_default();
    let extensions = indication_extension::Entity::find()
        .filter(indication_extension::Column::IndicationId.eq(id))
        .order_by_desc(indication_extension::Column::CreatedAt)
        .all(tx)
        .await?;
    let change_rows = change_record::Entity::find()
        .filter(change_record::Column::Entity.eq("indication"))
        .filter(change_record::Column::EntityId.eq(id))
        .order_by_desc(change_record::Column::ChangedAt)
        .order_by_desc(change_record::Column::Id)
        .all(tx)
        .await?;
    let people_ids: Vec<i64> = extensions
        .iter()
        .filter_map(|e| e.account_id)
        .chain(change_rows.iter().filter_map(|c| c.account_id))
        .chain(m.professional_account_id)
        .collect();
    let people = names(tx, people_ids).await?;
    let successor_id = indication::Entity::find()
        .select_only()
        .column(indication::Column::Id)
        .filter(indication::Column::PredecessorId.eq(id))
        .into_tuple::<i64>()
        .one(tx)
        .await?;

    // The cost runs to the end date, or to today while the end is open.
    let cost_until = m.end_date.unwrap_or(today).max(m.start_date);
    let tariffs = tariffs_for(cx, m.product_id, &m.municipality_code).await?;
    let contributions = contributions_for(
        tx,
        &product.product.code,
        m.product_id,
        &m.municipality_code,
    )
    .await?;
    let minutes = minutes_by_year(tx, m.resident_id, m.start_date, cost_until).await?;
    let cost = indication_cost(
        &tariffs,
        &contributions,
        &product.product.code,
        m.start_date,
        cost_until,
        &minutes,
    );
    cx.log(
        AccessAction::Read,
        Some(ResidentId::new(m.resident_id)),
        format!("indication:{id}"),
    );
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
        indication: m.try_into()?,
        resident_name,
        product,
        provider_name,
        cost,
        cost_until,
        successor_id: successor_id.map(IndicationId::new),
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
