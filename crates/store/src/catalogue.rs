//! The product catalogue, tariffs per year and own contributions.

use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};
use waakvlam_domain::ids::{ProductCategory, ProductCode};
use waakvlam_domain::money::Cents;
use waakvlam_domain::product::{IntensityLevel, Product};
use waakvlam_domain::tariff::{FundingVariant, Tariff, UnitPeriod};

use crate::entity::{own_contribution, product, tariff};
use crate::{StoreError, StoreResult};

/// A catalogue entry with its database id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CatalogueProduct {
    pub id: i64,
    pub product: Product,
    pub active: bool,
}

fn to_product(m: product::Model) -> StoreResult<CatalogueProduct> {
    let bad = |what: &str| StoreError::Internal(format!("product {} has an invalid {what}", m.id));
    Ok(CatalogueProduct {
        id: m.id,
        product: Product {
            code: ProductCode::parse(&m.code).map_err(|_| bad("code"))?,
            category: ProductCategory::parse(&m.category).map_err(|_| bad("category"))?,
            name: m.name.clone(),
            level: IntensityLevel::parse(&m.level).map_err(|_| bad("level"))?,
        },
        active: m.active,
    })
}

pub async fn products<C: ConnectionTrait>(conn: &C) -> StoreResult<Vec<CatalogueProduct>> {
    product::Entity::find()
        .order_by_asc(product::Column::Code)
        .all(conn)
        .await?
        .into_iter()
        .map(to_product)
        .collect()
}

pub async fn product_by_code<C: ConnectionTrait>(
    conn: &C,
    code: &str,
) -> StoreResult<Option<CatalogueProduct>> {
    product::Entity::find()
        .filter(product::Column::Code.eq(code.to_uppercase()))
        .one(conn)
        .await?
        .map(to_product)
        .transpose()
}

pub async fn product_by_id<C: ConnectionTrait>(
    conn: &C,
    id: i64,
) -> StoreResult<Option<CatalogueProduct>> {
    product::Entity::find_by_id(id)
        .one(conn)
        .await?
        .map(to_product)
        .transpose()
}

/// A tariff with the municipality it applies to (`None`: region-wide default).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredTariff {
    pub id: i64,
    pub municipality_code: Option<String>,
    pub tariff: Tariff,
}

/// Sets the tariff of a product for a year (and municipality), replacing an
/// existing one for the same key.
pub async fn set_tariff<C: ConnectionTrait>(
    conn: &C,
    product_id: i64,
    municipality_code: Option<&str>,
    year: i32,
    variant: &FundingVariant,
    amount: Cents,
) -> StoreResult<()> {
    let (unit, ceiling) = match variant {
        FundingVariant::PerIndication => (None, None),
        FundingVariant::PerUnit(UnitPeriod::Week) => (Some("week"), None),
        FundingVariant::PerUnit(UnitPeriod::Month) => (Some("month"), None),
        FundingVariant::PerHour { budget_ceiling } => (None, Some(budget_ceiling.0)),
    };
    let mut q = tariff::Entity::find()
        .filter(tariff::Column::ProductId.eq(product_id))
        .filter(tariff::Column::Year.eq(year));
    q = match municipality_code {
        Some(code) => q.filter(tariff::Column::MunicipalityCode.eq(code)),
        None => q.filter(tariff::Column::MunicipalityCode.is_null()),
    };
    let row = tariff::ActiveModel {
        product_id: Set(product_id),
        municipality_code: Set(municipality_code.map(str::to_owned)),
        year: Set(year),
        funding_variant: Set(variant.kind_str().to_owned()),
        unit_period: Set(unit.map(str::to_owned)),
        amount_cents: Set(amount.0),
        budget_ceiling_cents: Set(ceiling),
        ..Default::default()
    };
    match q.one(conn).await? {
        Some(existing) => {
            let mut row = row;
            row.id = Set(existing.id);
            row.update(conn).await?;
        }
        None => {
            row.insert(conn).await?;
        }
    }
    Ok(())
}

/// The tariffs of a product, municipality-specific ones first.
pub async fn tariffs<C: ConnectionTrait>(
    conn: &C,
    product_id: i64,
) -> StoreResult<Vec<StoredTariff>> {
    let Some(p) = product_by_id(conn, product_id).await? else {
        return Ok(Vec::new());
    };
    let rows = tariff::Entity::find()
        .filter(tariff::Column::ProductId.eq(product_id))
        .order_by_desc(tariff::Column::Year)
        .all(conn)
        .await?;
    rows.into_iter()
        .map(|t| {
            let variant = FundingVariant::from_parts(
                &t.funding_variant,
                t.unit_period.as_deref(),
                t.budget_ceiling_cents,
            )
            .map_err(|e| StoreError::Internal(format!("tariff {}: {e}", t.id)))?;
            Ok(StoredTariff {
                id: t.id,
                municipality_code: t.municipality_code,
                tariff: Tariff {
                    product: p.product.code.clone(),
                    year: t.year,
                    variant,
                    amount: Cents(t.amount_cents),
                },
            })
        })
        .collect()
}

/// Sets the monthly own contribution of a product from a date on; earlier
/// rates stay, so history is never rewritten. €0 abolishes it.
pub async fn set_own_contribution<C: ConnectionTrait>(
    conn: &C,
    product_id: i64,
    municipality_code: Option<&str>,
    valid_from: NaiveDate,
    monthly: Cents,
) -> StoreResult<()> {
    if monthly.0 < 0 {
        return Err(StoreError::invalid("monthly", "must not be negative"));
    }
    own_contribution::ActiveModel {
        product_id: Set(product_id),
        municipality_code: Set(municipality_code.map(str::to_owned)),
        valid_from: Set(valid_from),
        monthly_cents: Set(monthly.0),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}
