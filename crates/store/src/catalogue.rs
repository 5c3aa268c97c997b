//! The product catalogue, tariffs per year and own contributions.
//!
//! Reading the catalogue is open to every part of the application (it holds
//! no personal data); changing it is for administrators and contract managers
//! only, each within their own municipality or region, and every change is
//! recorded in `change_record` (entity `product`, the product's id) so the
//! catalogue page can show who changed what, when, from what to what.

use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};
use waakvlam_domain::ids::{ProductCategory, ProductCode};
use waakvlam_domain::money::Cents;
use waakvlam_domain::product::{IntensityLevel, Product};
use waakvlam_domain::role::Role;
use waakvlam_domain::tariff::{FundingVariant, Tariff, UnitPeriod};

use crate::changes::{self, Change};
use crate::declarations::PeriodKind;
use crate::entity::{
    municipality, own_contribution, product, product_rule, provider, provider_contract, tariff,
};
use crate::{
    Actor, ContractId, Cx, OwnContributionId, ProductId, ProviderId, RegionId, StoreError,
    StoreResult, TariffId, Tenant, millis,
};
use waakvlam_domain::limits::{self, Refusals, TextClass};
use waakvlam_domain::refusal::Explain;
use waakvlam_domain::refusal::{Reason, Refusal};

/// Where a product is offered: municipalities and regions keep their own
/// catalogue within one installation.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum OfferedIn {
    /// Every municipality of the installation.
    #[default]
    Everywhere,
    /// The municipalities of one region.
    Region(RegionId),
    /// One municipality (CBS code).
    Municipality(String),
}

impl OfferedIn {
    /// Whether a product offered here may be indicated in `municipality`,
    /// which lies in `region` (if any).
    pub fn includes(&self, municipality: &str, region: Option<RegionId>) -> bool {
        match self {
            OfferedIn::Everywhere => true,
            OfferedIn::Region(id) => region == Some(*id),
            OfferedIn::Municipality(code) => code == municipality,
        }
    }

    /// The form value: empty, `region:ID` or `municipality:CODE`.
    pub fn form_value(&self) -> String {
        match self {
            OfferedIn::Everywhere => String::new(),
            OfferedIn::Region(id) => format!("region:{id}"),
            OfferedIn::Municipality(code) => format!("municipality:{code}"),
        }
    }

    /// Reads [`OfferedIn::form_value`] back.
    pub fn parse(value: &str) -> StoreResult<OfferedIn> {
        let value = value.trim();
        let bad = || StoreError::refuse("offered_in", "offered-in");
        if value.is_empty() {
            return Ok(OfferedIn::Everywhere);
        }
        match value.split_once(':') {
            Some(("region", id)) => id.parse().map(OfferedIn::Region).map_err(|_| bad()),
            Some(("municipality", code)) if code.len() == 4 => {
                Ok(OfferedIn::Municipality(code.to_owned()))
            }
            _ => Err(bad()),
        }
    }
}

/// A catalogue entry with its database id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CatalogueProduct {
    pub id: ProductId,
    pub product: Product,
    pub active: bool,
    pub offered_in: OfferedIn,
    /// What the product is.
    pub description: Option<String>,
    /// When it is the right product ("when waakvlam, when light support?").
    pub criteria: Option<String>,
}

pub(crate) fn to_product(m: product::Model) -> StoreResult<CatalogueProduct> {
    let bad = |what: &str| StoreError::Internal(format!("product {} has an invalid {what}", m.id));
    Ok(CatalogueProduct {
        id: ProductId::new(m.id),
        product: Product {
            code: ProductCode::parse(&m.code).map_err(|_| bad("code"))?,
            category: ProductCategory::parse(&m.category).map_err(|_| bad("category"))?,
            name: m.name.clone(),
            level: IntensityLevel::parse(&m.level).map_err(|_| bad("level"))?,
        },
        active: m.active,
        offered_in: match (m.offered_in_municipality, m.offered_in_region) {
            (Some(code), _) => OfferedIn::Municipality(code),
            (None, Some(region)) => OfferedIn::Region(RegionId::new(region)),
            (None, None) => OfferedIn::Everywhere,
        },
        description: m.description,
        criteria: m.criteria,
    })
}

/// The active products that may be indicated for a resident of
/// `municipality_code`, by code.
pub async fn products_offered_in(
    cx: &Cx<'_>,
    municipality_code: &str,
) -> StoreResult<Vec<CatalogueProduct>> {
    let region = municipality::Entity::find_by_id(municipality_code.to_owned())
        .one(cx.conn())
        .await?
        .and_then(|m| m.region_id)
        .map(RegionId::new);
    Ok(products(cx)
        .await?
        .into_iter()
        .filter(|p| p.active && p.offered_in.includes(municipality_code, region))
        .collect())
}

/// The whole catalogue, by code.
pub async fn products(cx: &Cx<'_>) -> StoreResult<Vec<CatalogueProduct>> {
    product::Entity::find()
        .order_by_asc(product::Column::Code)
        .all(cx.conn())
        .await?
        .into_iter()
        .map(to_product)
        .collect()
}

/// The product with this code (any case).
pub async fn product_by_code(cx: &Cx<'_>, code: &str) -> StoreResult<Option<CatalogueProduct>> {
    product::Entity::find()
        .filter(product::Column::Code.eq(code.to_uppercase()))
        .one(cx.conn())
        .await?
        .map(to_product)
        .transpose()
}

pub async fn product_by_id(cx: &Cx<'_>, id: ProductId) -> StoreResult<Option<CatalogueProduct>> {
    product::Entity::find_by_id(id.get())
        .one(cx.conn())
        .await?
        .map(to_product)
        .transpose()
}

/// A tariff with the municipality it applies to (`None`: region-wide default).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredTariff {
    pub id: TariffId,
    pub municipality_code: Option<String>,
    pub tariff: Tariff,
}

/// A product's tariff for a year, as a manager sets it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewTariff {
    pub product_id: ProductId,
    /// `None`: the region-wide tariff.
    pub municipality_code: Option<String>,
    pub year: i32,
    pub variant: FundingVariant,
    pub amount: Cents,
}

/// A monthly own contribution from a date on, as a manager sets it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewOwnContribution {
    pub product_id: ProductId,
    /// `None`: region-wide.
    pub municipality_code: Option<String>,
    pub valid_from: NaiveDate,
    pub monthly: Cents,
}

/// A product as a manager enters it; checked here, whatever the form checked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProductInput {
    pub code: String,
    pub category: String,
    pub name: String,
    pub level: String,
    pub active: bool,
    pub offered_in: OfferedIn,
    /// Empty: none.
    pub description: String,
    /// Empty: none.
    pub criteria: String,
}

/// Tariff years the catalogue accepts: wide enough for history and planning,
/// narrow enough to catch a typo such as 226.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// Whether the actor may see the catalogue page: managers, and consultants
/// (read-only), who need the tariffs when they issue indications.
pub fn may_view(actor: &Actor) -> bool {
    match actor.tenant {
        Tenant::System | Tenant::Admin | Tenant::ContractManager { .. } => true,
        _ => actor.role == Some(Role::Consultant),
    }
}

/// Whether the actor may change products (the catalogue is shared by the
/// whole installation, so a single municipality's contract manager may not).
pub fn may_change_products(actor: &Actor) -> bool {
    matches!(
        &actor.tenant,
        Tenant::System
            | Tenant::Admin
            | Tenant::ContractManager {
                municipality_code: None,
                region_id: Some(_),
            }
    )
}

/// Whether the actor may change tariffs or own contributions at all.
pub fn may_change_prices(actor: &Actor) -> bool {
    matches!(
        actor.tenant,
        Tenant::System | Tenant::Admin | Tenant::ContractManager { .. }
    )
}

/// Whether the actor may set region-wide (default) tariffs and contributions.
pub fn may_set_region_wide(actor: &Actor) -> bool {
    may_change_products(actor)
}

/// The municipalities whose tariffs the actor sees and, for managers,
/// changes: `None` for all of them.
pub(crate) async fn scope<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
) -> StoreResult<Option<Vec<String>>> {
    let region = |region_id: RegionId| async move {
        Ok::<_, StoreError>(Some(
            municipality::Entity::find()
                .filter(municipality::Column::RegionId.eq(region_id))
                .all(conn)
                .await?
                .into_iter()
                .map(|m| m.code)
                .collect(),
        ))
    };
    match &actor.tenant {
        Tenant::System | Tenant::Admin => Ok(None),
        Tenant::Municipality { code }
        | Tenant::ContractManager {
            municipality_code: Some(code),
            ..
        } => Ok(Some(vec![code.clone()])),
        Tenant::Region { region_id }
        | Tenant::ContractManager {
            municipality_code: None,
            region_id: Some(region_id),
        } => region(*region_id).await,
        _ => Ok(Some(Vec::new())),
    }
}

/// Refuses a change of a tariff or own contribution outside the actor's
/// scope; `municipality` `None` is the region-wide entry.
async fn check_price_change<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    municipality_code: Option<&str>,
) -> StoreResult<()> {
    if !may_change_prices(actor) {
        return Err(StoreError::Denied);
    }
    if let Some(code) = municipality_code
        && municipality::Entity::find_by_id(code.to_owned())
            .one(conn)
            .await?
            .is_none()
    {
        return Err(StoreError::refuse_with(
            "municipality",
            Reason::new("unknown-municipality").with("code", code),
        ));
    }
    let allowed = match (municipality_code, scope(conn, actor).await?) {
        (_, None) => true,
        (None, Some(_)) => may_set_region_wide(actor),
        (Some(code), Some(mine)) => mine.iter().any(|m| m == code),
    };
    if allowed {
        Ok(())
    } else {
        Err(StoreError::Denied)
    }
}

/// Refuses a place to offer a product that does not exist or lies outside
/// the actor's region (administrators choose freely).
async fn check_offered_in<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    offered_in: &OfferedIn,
) -> StoreResult<()> {
    let own_region = match &actor.tenant {
        Tenant::ContractManager {
            region_id: Some(region),
            ..
        } => Some(*region),
        _ => None,
    };
    match offered_in {
        OfferedIn::Everywhere => Ok(()),
        OfferedIn::Region(id) => {
            if crate::entity::region::Entity::find_by_id(id.get())
                .one(conn)
                .await?
                .is_none()
            {
                return Err(StoreError::refuse("offered_in", "unknown-region"));
            }
            if own_region.is_some_and(|own| own != *id) {
                return Err(StoreError::Denied);
            }
            Ok(())
        }
        OfferedIn::Municipality(code) => {
            let Some(m) = municipality::Entity::find_by_id(code.clone())
                .one(conn)
                .await?
            else {
                return Err(StoreError::refuse_with(
                    "offered_in",
                    Reason::new("unknown-municipality").with("code", code),
                ));
            };
            if own_region.is_some_and(|own| m.region_id != Some(own.get())) {
                return Err(StoreError::Denied);
            }
            Ok(())
        }
    }
}

fn offered_in_columns(o: &OfferedIn) -> (Option<String>, Option<i64>) {
    match o {
        OfferedIn::Everywhere => (None, None),
        OfferedIn::Region(id) => (None, Some(id.get())),
        OfferedIn::Municipality(code) => (Some(code.clone()), None),
    }
}

async fn existing_product<C: ConnectionTrait>(
    conn: &C,
    id: ProductId,
) -> StoreResult<product::Model> {
    product::Entity::find_by_id(id.get())
        .one(conn)
        .await?
        .ok_or_else(|| StoreError::refuse("product", "product-choose"))
}

fn check_year(year: i32) -> Result<(), Refusal> {
    if YEARS.contains(&year) {
        Ok(())
    } else {
        Err(Refusal::new(
            "year",
            Reason::new("year-range")
                .with("min", YEARS.start())
                .with("max", YEARS.end()),
        ))
    }
}

/// A tariff's terms in one line for the change history, e.g.
/// `per_unit week € 50,00` or `per_hour € 72,36 ceiling € 12.000,00`.
pub fn describe_tariff(variant: &FundingVariant, amount: Cents) -> String {
    match variant {
        FundingVariant::PerIndication => format!("per_indication {amount}"),
        FundingVariant::PerIndicationYear => format!("per_indication_year {amount}"),
        FundingVariant::PerUnit(period) => format!("per_unit {} {amount}", period.as_str()),
        FundingVariant::PerHour { budget_ceiling } => {
            format!("per_hour {amount} ceiling {budget_ceiling}")
        }
    }
}

fn place(municipality_code: Option<&str>) -> &str {
    municipality_code.unwrap_or("region")
}

/// Sets the tariff of a product for a year (and municipality), replacing an
/// existing one for the same key; the old terms stay in the change history.
pub async fn set_tariff(cx: &Cx<'_>, new: &NewTariff) -> StoreResult<()> {
    let (conn, actor) = (cx.conn(), cx.actor);
    let municipality_code = new.municipality_code.as_deref();
    check_price_change(conn, actor, municipality_code).await?;
    existing_product(conn, new.product_id).await?;
    let mut refused = Refusals::new();
    refused.check(check_year(new.year));
    refused.check(limits::check_price("amount", new.amount));
    let (unit, ceiling) = match new.variant {
        FundingVariant::PerIndication | FundingVariant::PerIndicationYear => (None, None),
        FundingVariant::PerUnit(UnitPeriod::Week) => (Some("week"), None),
        FundingVariant::PerUnit(UnitPeriod::Month) => (Some("month"), None),
        FundingVariant::PerHour { budget_ceiling } => {
            if budget_ceiling.is_negative() {
                refused.push(Refusal::because("budget_ceiling", "ceiling-negative"));
            } else {
                refused.check(limits::check_sum("budget_ceiling", budget_ceiling));
            }
            (None, Some(budget_ceiling.0))
        }
    };
    refused.into_result()?;
    let mut q = tariff::Entity::find()
        .filter(tariff::Column::ProductId.eq(new.product_id))
        .filter(tariff::Column::Year.eq(new.year));
    q = match municipality_code {
        Some(code) => q.filter(tariff::Column::MunicipalityCode.eq(code)),
        None => q.filter(tariff::Column::MunicipalityCode.is_null()),
    };
    let row = tariff::ActiveModel {
        product_id: Set(new.product_id.get()),
        municipality_code: Set(new.municipality_code.clone()),
        year: Set(new.year),
        funding_variant: Set(new.variant.kind_str().to_owned()),
        unit_period: Set(unit.map(str::to_owned)),
        amount_cents: Set(new.amount.0),
        budget_ceiling_cents: Set(ceiling),
        ..Default::default()
    };
    let old = match q.one(conn).await? {
        Some(existing) => {
            let old = FundingVariant::from_parts(
                &existing.funding_variant,
                existing.unit_period.as_deref(),
                existing.budget_ceiling_cents,
            )
            .map(|v| describe_tariff(&v, Cents(existing.amount_cents)))
            .unwrap_or_else(|_| existing.funding_variant.clone());
            let mut row = row;
            row.id = Set(existing.id);
            row.update(conn).await?;
            Some(old)
        }
        None => {
            row.insert(conn).await?;
            None
        }
    };
    let new_terms = describe_tariff(&new.variant, new.amount);
    if old.as_deref() == Some(new_terms.as_str()) {
        return Ok(());
    }
    changes::record(
        conn,
        actor,
        millis(cx.now),
        Change {
            entity: "product",
            id: new.product_id.get(),
            field: &format!("tariff {} {}", new.year, place(municipality_code)),
            old,
            new: Some(new_terms),
        },
    )
    .await
}

/// The tariffs of a product, newest year first, municipality-specific ones
/// after the region-wide one of the same year.
/// The tariff in force for a product in a municipality in a year: the
/// newest year up to it, the municipality's own tariff before the region's.
/// `None` when the product has none.
pub async fn tariff_in_force<C: ConnectionTrait>(
    conn: &C,
    product_id: i64,
    municipality_code: &str,
    year: i32,
) -> StoreResult<Option<(FundingVariant, Cents)>> {
    let rows = tariff::Entity::find()
        .filter(tariff::Column::ProductId.eq(product_id))
        .filter(tariff::Column::Year.lte(year))
        .all(conn)
        .await?;
    let best = rows
        .into_iter()
        .filter(|t| {
            t.municipality_code
                .as_deref()
                .is_none_or(|c| c == municipality_code)
        })
        .max_by_key(|t| (t.year, t.municipality_code.is_some()));
    let Some(t) = best else {
        return Ok(None);
    };
    let variant = FundingVariant::from_parts(
        &t.funding_variant,
        t.unit_period.as_deref(),
        t.budget_ceiling_cents,
    )
    .map_err(|e| StoreError::Internal(format!("tariff {}: {e}", t.id)))?;
    Ok(Some((variant, Cents(t.amount_cents))))
}

pub async fn tariffs(cx: &Cx<'_>, product_id: ProductId) -> StoreResult<Vec<StoredTariff>> {
    let conn = cx.conn();
    let Some(p) = product_by_id(cx, product_id).await? else {
        return Ok(Vec::new());
    };
    let rows = tariff::Entity::find()
        .filter(tariff::Column::ProductId.eq(product_id))
        .order_by_desc(tariff::Column::Year)
        .order_by_asc(tariff::Column::MunicipalityCode)
        .all(conn)
        .await?;
    let mut list = rows
        .into_iter()
        .map(|t| {
            let variant = FundingVariant::from_parts(
                &t.funding_variant,
                t.unit_period.as_deref(),
                t.budget_ceiling_cents,
            )
            .map_err(|e| StoreError::Internal(format!("tariff {}: {e}", t.id)))?;
            Ok(StoredTariff {
                id: TariffId::new(t.id),
                municipality_code: t.municipality_code,
                tariff: Tariff {
                    product: p.product.code.clone(),
                    year: t.year,
                    variant,
                    amount: Cents(t.amount_cents),
                },
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    // NULLs sort differently on SQLite and PostgreSQL: order in Rust.
    list.sort_by(|a, b| {
        b.tariff
            .year
            .cmp(&a.tariff.year)
            .then_with(|| {
                a.municipality_code
                    .is_some()
                    .cmp(&b.municipality_code.is_some())
            })
            .then_with(|| a.municipality_code.cmp(&b.municipality_code))
    });
    Ok(list)
}

/// An own contribution as stored: valid from a date until the next entry for
/// the same product and municipality.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredOwnContribution {
    pub id: OwnContributionId,
    pub municipality_code: Option<String>,
    pub valid_from: NaiveDate,
    pub monthly: Cents,
}

/// The own-contribution history of a product: region-wide first, then per
/// municipality, each oldest first.
pub async fn own_contributions(
    cx: &Cx<'_>,
    product_id: ProductId,
) -> StoreResult<Vec<StoredOwnContribution>> {
    own_contributions_on(cx.conn(), product_id).await
}

async fn own_contributions_on<C: ConnectionTrait>(
    conn: &C,
    product_id: ProductId,
) -> StoreResult<Vec<StoredOwnContribution>> {
    let mut list: Vec<StoredOwnContribution> = own_contribution::Entity::find()
        .filter(own_contribution::Column::ProductId.eq(product_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|m| StoredOwnContribution {
            id: OwnContributionId::new(m.id),
            municipality_code: m.municipality_code,
            valid_from: m.valid_from,
            monthly: Cents(m.monthly_cents),
        })
        .collect();
    list.sort_by(|a, b| {
        a.municipality_code
            .is_some()
            .cmp(&b.municipality_code.is_some())
            .then_with(|| a.municipality_code.cmp(&b.municipality_code))
            .then_with(|| a.valid_from.cmp(&b.valid_from))
    });
    Ok(list)
}

/// Sets the monthly own contribution of a product from a date on; earlier
/// rates stay, so history is never rewritten. €0 abolishes it ("eigen
/// bijdrage afschaffen"). An entry from the very same date is corrected in
/// place, its old amount kept in the change history.
pub async fn set_own_contribution(cx: &Cx<'_>, new: &NewOwnContribution) -> StoreResult<()> {
    let (conn, actor) = (cx.conn(), cx.actor);
    let municipality_code = new.municipality_code.as_deref();
    check_price_change(conn, actor, municipality_code).await?;
    existing_product(conn, new.product_id).await?;
    let mut refused = Refusals::new();
    let first = NaiveDate::from_ymd_opt(*YEARS.start(), 1, 1).unwrap_or(NaiveDate::MIN);
    let last = NaiveDate::from_ymd_opt(*YEARS.end(), 12, 31).unwrap_or(NaiveDate::MAX);
    refused.check(limits::check_date(
        "valid_from",
        new.valid_from,
        (first, last),
    ));
    refused.check(limits::check_price("monthly", new.monthly));
    refused.into_result()?;
    let mut q = own_contribution::Entity::find()
        .filter(own_contribution::Column::ProductId.eq(new.product_id))
        .filter(own_contribution::Column::ValidFrom.eq(new.valid_from));
    q = match municipality_code {
        Some(code) => q.filter(own_contribution::Column::MunicipalityCode.eq(code)),
        None => q.filter(own_contribution::Column::MunicipalityCode.is_null()),
    };
    let old = match q.one(conn).await? {
        Some(existing) if existing.monthly_cents == new.monthly.0 => return Ok(()),
        Some(existing) => {
            let old = Cents(existing.monthly_cents);
            let mut row: own_contribution::ActiveModel = existing.into();
            row.monthly_cents = Set(new.monthly.0);
            row.update(conn).await?;
            Some(old.to_string())
        }
        None => {
            own_contribution::ActiveModel {
                product_id: Set(new.product_id.get()),
                municipality_code: Set(new.municipality_code.clone()),
                valid_from: Set(new.valid_from),
                monthly_cents: Set(new.monthly.0),
                ..Default::default()
            }
            .insert(conn)
            .await?;
            None
        }
    };
    changes::record(
        conn,
        actor,
        millis(cx.now),
        Change {
            entity: "product",
            id: new.product_id.get(),
            field: &format!(
                "own_contribution {} {}",
                place(municipality_code),
                new.valid_from
            ),
            old,
            new: Some(new.monthly.to_string()),
        },
    )
    .await
}

/// Checks a product's fields as entered.
fn parse_product(input: &ProductInput) -> StoreResult<Product> {
    let code = ProductCode::parse(&input.code).map_err(|e| StoreError::from(e.refuse("code")))?;
    let category = ProductCategory::parse(&input.category)
        .map_err(|e| StoreError::from(e.refuse("category")))?;
    let name = input.name.trim();
    if name.is_empty() {
        return Err(StoreError::refuse("name", "name-required"));
    }
    limits::check_text("name", name, TextClass::Name)?;
    let mut refused = Refusals::new();
    refused.check(limits::check_text(
        "description",
        input.description.trim(),
        TextClass::Short,
    ));
    refused.check(limits::check_text(
        "criteria",
        input.criteria.trim(),
        TextClass::Short,
    ));
    refused.into_result()?;
    let level =
        IntensityLevel::parse(&input.level).map_err(|e| StoreError::from(e.refuse("level")))?;
    Ok(Product {
        code,
        category,
        name: name.to_owned(),
        level,
    })
}

fn text_or_none(s: &str) -> Option<String> {
    Some(s.trim().to_owned()).filter(|v| !v.is_empty())
}

/// Adds a product to the catalogue; returns its id.
pub async fn create_product(cx: &Cx<'_>, input: &ProductInput) -> StoreResult<ProductId> {
    let (conn, actor) = (cx.conn(), cx.actor);
    if !may_change_products(actor) {
        return Err(StoreError::Denied);
    }
    let p = parse_product(input)?;
    check_offered_in(conn, actor, &input.offered_in).await?;
    if product_by_code(cx, p.code.as_str()).await?.is_some() {
        return Err(StoreError::conflict(
            "code",
            Reason::new("product-code-taken").with("code", p.code.as_str()),
        ));
    }
    let m = product::ActiveModel {
        code: Set(p.code.as_str().to_owned()),
        category: Set(p.category.as_str().to_owned()),
        name: Set(p.name.clone()),
        level: Set(p.level.as_str().to_owned()),
        active: Set(input.active),
        offered_in_municipality: Set(offered_in_columns(&input.offered_in).0),
        offered_in_region: Set(offered_in_columns(&input.offered_in).1),
        description: Set(text_or_none(&input.description)),
        criteria: Set(text_or_none(&input.criteria)),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    changes::record(
        conn,
        actor,
        millis(cx.now),
        Change {
            entity: "product",
            id: m.id,
            field: "product",
            old: None,
            new: Some(format!(
                "{} {} {} {}{}",
                p.code.as_str(),
                p.category.as_str(),
                p.level.as_str(),
                p.name,
                match input.offered_in.form_value() {
                    v if v.is_empty() => String::new(),
                    v => format!(" ({v})"),
                }
            )),
        },
    )
    .await?;
    Ok(ProductId::new(m.id))
}

/// Changes a product's category, name, level or whether it is active. The
/// code stays: indications, reports and iWmo messages refer to it.
pub async fn update_product(cx: &Cx<'_>, id: ProductId, input: &ProductInput) -> StoreResult<()> {
    let (conn, actor) = (cx.conn(), cx.actor);
    if !may_change_products(actor) {
        return Err(StoreError::Denied);
    }
    let existing = product::Entity::find_by_id(id.get())
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound { what: "product" })?;
    let p = parse_product(input)?;
    check_offered_in(conn, actor, &input.offered_in).await?;
    let was_offered_in = to_product(existing.clone())?.offered_in;
    if p.code.as_str() != existing.code {
        return Err(StoreError::refuse("code", "product-code-fixed"));
    }
    let at = millis(cx.now);
    let fields = [
        (
            "category",
            existing.category.clone(),
            p.category.as_str().to_owned(),
        ),
        ("name", existing.name.clone(), p.name.clone()),
        ("level", existing.level.clone(), p.level.as_str().to_owned()),
        (
            "active",
            existing.active.to_string(),
            input.active.to_string(),
        ),
        (
            "offered_in",
            was_offered_in.form_value(),
            input.offered_in.form_value(),
        ),
        (
            "description",
            existing.description.clone().unwrap_or_default(),
            text_or_none(&input.description).unwrap_or_default(),
        ),
        (
            "criteria",
            existing.criteria.clone().unwrap_or_default(),
            text_or_none(&input.criteria).unwrap_or_default(),
        ),
    ];
    let mut changed = false;
    for (field, old, new) in fields {
        if old != new {
            changed = true;
            changes::record(
                conn,
                actor,
                at,
                Change {
                    entity: "product",
                    id: id.get(),
                    field,
                    old: Some(old),
                    new: Some(new),
                },
            )
            .await?;
        }
    }
    if changed {
        let mut row: product::ActiveModel = existing.into();
        row.category = Set(p.category.as_str().to_owned());
        row.name = Set(p.name);
        row.level = Set(p.level.as_str().to_owned());
        row.active = Set(input.active);
        let (municipality_code, region_id) = offered_in_columns(&input.offered_in);
        row.offered_in_municipality = Set(municipality_code);
        row.offered_in_region = Set(region_id);
        row.description = Set(text_or_none(&input.description));
        row.criteria = Set(text_or_none(&input.criteria));
        row.update(conn).await?;
    }
    Ok(())
}

// --- Product rules per municipality or region ---------------------------------

/// Where a product rule applies: a region's municipalities, or one
/// municipality (which then overrides its region's rule).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RulePlace {
    Region(RegionId),
    /// A CBS code.
    Municipality(String),
}

impl RulePlace {
    /// The form value: `region:ID` or `municipality:CODE`.
    pub fn form_value(&self) -> String {
        match self {
            RulePlace::Region(id) => format!("region:{id}"),
            RulePlace::Municipality(code) => format!("municipality:{code}"),
        }
    }

    /// Reads [`RulePlace::form_value`] back.
    pub fn parse(value: &str) -> StoreResult<RulePlace> {
        let bad = || StoreError::refuse("place", "rule-place");
        match value.trim().split_once(':') {
            Some(("region", id)) => id.parse().map(RulePlace::Region).map_err(|_| bad()),
            Some(("municipality", code)) if code.len() == 4 => {
                Ok(RulePlace::Municipality(code.to_owned()))
            }
            _ => Err(bad()),
        }
    }
}

/// A product's rule in one place: the maximum duration of an indication
/// (`None`: as long as needed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProductRule {
    pub product_id: ProductId,
    pub place: RulePlace,
    pub max_duration_months: Option<u32>,
}

/// The longest maximum duration a rule may name: ten years, which catches a
/// typo such as 120 for 12 only in the change history, but 1200 at once.
pub const MAX_DURATION_MONTHS: std::ops::RangeInclusive<u32> = 1..=120;

fn to_rule(m: product_rule::Model) -> Option<ProductRule> {
    let place = match (m.municipality_code, m.region_id) {
        (Some(code), _) => RulePlace::Municipality(code),
        (None, Some(region)) => RulePlace::Region(RegionId::new(region)),
        (None, None) => return None,
    };
    Some(ProductRule {
        product_id: ProductId::new(m.product_id),
        place,
        max_duration_months: m.max_duration_months.and_then(|n| u32::try_from(n).ok()),
    })
}

/// The maximum duration in months of an indication of the product in
/// `municipality_code`: the municipality's own rule, else its region's,
/// else none ("as long as needed").
pub async fn max_duration_months<C: ConnectionTrait>(
    conn: &C,
    product_id: ProductId,
    municipality_code: &str,
) -> StoreResult<Option<u32>> {
    let region = municipality::Entity::find_by_id(municipality_code.to_owned())
        .one(conn)
        .await?
        .and_then(|m| m.region_id);
    let rows = product_rule::Entity::find()
        .filter(product_rule::Column::ProductId.eq(product_id))
        .all(conn)
        .await?;
    Ok(max_months_in(&rows, municipality_code, region))
}

/// [`max_duration_months`] from the product's rules (`rules`, of one
/// product; others are ignored) and the municipality's region: the
/// municipality's own rule, else its region's.
pub(crate) fn max_months_in(
    rules: &[product_rule::Model],
    municipality_code: &str,
    region: Option<i64>,
) -> Option<u32> {
    let own = rules
        .iter()
        .find(|r| r.municipality_code.as_deref() == Some(municipality_code));
    let regional = || {
        rules.iter().find(|r| {
            r.municipality_code.is_none() && r.region_id.is_some() && r.region_id == region
        })
    };
    own.or_else(regional)
        .and_then(|r| r.max_duration_months)
        .and_then(|n| u32::try_from(n).ok())
}

/// The rules of a product the actor sees (its scope's municipalities and
/// their regions; all of them for administrators): regions first, then
/// municipalities by code.
pub async fn rules(cx: &Cx<'_>, product_id: ProductId) -> StoreResult<Vec<ProductRule>> {
    let conn = cx.conn();
    let scope = scope(conn, cx.actor).await?;
    let regions = scope_regions(conn, &scope).await?;
    let mut list: Vec<ProductRule> = product_rule::Entity::find()
        .filter(product_rule::Column::ProductId.eq(product_id))
        .all(conn)
        .await?
        .into_iter()
        .filter_map(to_rule)
        .filter(|r| in_scope(&r.place, &scope, &regions))
        .collect();
    list.sort_by(|a, b| match (&a.place, &b.place) {
        (RulePlace::Region(x), RulePlace::Region(y)) => x.get().cmp(&y.get()),
        (RulePlace::Region(_), RulePlace::Municipality(_)) => std::cmp::Ordering::Less,
        (RulePlace::Municipality(_), RulePlace::Region(_)) => std::cmp::Ordering::Greater,
        (RulePlace::Municipality(x), RulePlace::Municipality(y)) => x.cmp(y),
    });
    Ok(list)
}

/// Refuses a rule for a place outside the actor's scope: a region's rule
/// for administrators and that region's contract manager, a municipality's
/// for whoever may set that municipality's prices.
async fn check_rule_change<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    place: &RulePlace,
) -> StoreResult<()> {
    match place {
        RulePlace::Municipality(code) => check_price_change(conn, actor, Some(code)).await,
        RulePlace::Region(id) => {
            if crate::entity::region::Entity::find_by_id(id.get())
                .one(conn)
                .await?
                .is_none()
            {
                return Err(StoreError::refuse("place", "unknown-region"));
            }
            match &actor.tenant {
                Tenant::System | Tenant::Admin => Ok(()),
                Tenant::ContractManager {
                    municipality_code: None,
                    region_id: Some(own),
                } if own == id => Ok(()),
                _ => Err(StoreError::Denied),
            }
        }
    }
}

fn describe_duration(months: Option<u32>) -> String {
    months.map_or_else(|| "as long as needed".to_owned(), |m| format!("{m} months"))
}

/// Sets a product's maximum duration in a region or municipality,
/// replacing the rule there; the old value stays in the change history.
pub async fn set_rule(cx: &Cx<'_>, rule: &ProductRule) -> StoreResult<()> {
    let (conn, actor) = (cx.conn(), cx.actor);
    check_rule_change(conn, actor, &rule.place).await?;
    existing_product(conn, rule.product_id).await?;
    if let Some(months) = rule.max_duration_months
        && !MAX_DURATION_MONTHS.contains(&months)
    {
        return Err(StoreError::refuse_with(
            "max_duration_months",
            Reason::new("max-duration-range")
                .with("min", MAX_DURATION_MONTHS.start())
                .with("max", MAX_DURATION_MONTHS.end()),
        ));
    }
    let (region_id, municipality_code) = match &rule.place {
        RulePlace::Region(id) => (Some(id.get()), None),
        RulePlace::Municipality(code) => (None, Some(code.clone())),
    };
    let mut q =
        product_rule::Entity::find().filter(product_rule::Column::ProductId.eq(rule.product_id));
    q = match &rule.place {
        RulePlace::Region(id) => q
            .filter(product_rule::Column::RegionId.eq(id.get()))
            .filter(product_rule::Column::MunicipalityCode.is_null()),
        RulePlace::Municipality(code) => {
            q.filter(product_rule::Column::MunicipalityCode.eq(code.clone()))
        }
    };
    let months = rule.max_duration_months.map(|m| m as i32);
    let now = millis(cx.now);
    let old = match q.one(conn).await? {
        Some(existing) if existing.max_duration_months == months => return Ok(()),
        Some(existing) => {
            let old = existing
                .max_duration_months
                .and_then(|n| u32::try_from(n).ok());
            let mut row: product_rule::ActiveModel = existing.into();
            row.max_duration_months = Set(months);
            row.updated_at = Set(now);
            row.update(conn).await?;
            Some(describe_duration(old))
        }
        None => {
            product_rule::ActiveModel {
                product_id: Set(rule.product_id.get()),
                region_id: Set(region_id),
                municipality_code: Set(municipality_code),
                max_duration_months: Set(months),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(conn)
            .await?;
            None
        }
    };
    changes::record(
        conn,
        actor,
        now,
        Change {
            entity: "product",
            id: rule.product_id.get(),
            field: &format!("max_duration {}", rule.place.form_value()),
            old,
            new: Some(describe_duration(rule.max_duration_months)),
        },
    )
    .await
}

// --- Contracts: which provider delivers which product where --------------------

/// A provider's contract for a product in a region or municipality.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contract {
    pub id: ContractId,
    pub provider_id: ProviderId,
    pub product_id: ProductId,
    pub place: RulePlace,
    /// What the provider declares at once: a calendar month or four weeks.
    pub declaration_period: PeriodKind,
}

/// A contract as a manager records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewContract {
    pub provider_id: ProviderId,
    pub product_id: ProductId,
    pub place: RulePlace,
    pub declaration_period: PeriodKind,
}

fn to_contract(m: provider_contract::Model) -> Option<Contract> {
    let place = match (m.municipality_code, m.region_id) {
        (Some(code), _) => RulePlace::Municipality(code),
        (None, Some(region)) => RulePlace::Region(RegionId::new(region)),
        (None, None) => return None,
    };
    Some(Contract {
        id: ContractId::new(m.id),
        provider_id: ProviderId::new(m.provider_id),
        product_id: ProductId::new(m.product_id),
        place,
        declaration_period: PeriodKind::parse(&m.declaration_period).unwrap_or(PeriodKind::Month),
    })
}

/// Whether a contract's place includes `municipality`, which lies in
/// `region` (if any).
fn covers(place: &RulePlace, municipality: &str, region: Option<i64>) -> bool {
    match place {
        RulePlace::Municipality(code) => code == municipality,
        RulePlace::Region(id) => region == Some(id.get()),
    }
}

/// Who may deliver which product in `municipality_code`: per product the
/// providers contracted for it there. A product without any contract in
/// the installation is open to every provider (the installation keeps no
/// contracts for it); one with contracts elsewhere only is open to none here.
pub async fn deliverers<C: ConnectionTrait>(
    conn: &C,
    municipality_code: &str,
) -> StoreResult<Deliverers> {
    let region = municipality::Entity::find_by_id(municipality_code.to_owned())
        .one(conn)
        .await?
        .and_then(|m| m.region_id);
    let contracts: Vec<Contract> = provider_contract::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .filter_map(to_contract)
        .collect();
    let contracted_products = contracts.iter().map(|c| c.product_id).collect();
    let here = contracts
        .into_iter()
        .filter(|c| covers(&c.place, municipality_code, region))
        .map(|c| (c.provider_id, c.product_id))
        .collect();
    Ok(Deliverers {
        contracted_products,
        here,
    })
}

/// The answer of [`deliverers`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Deliverers {
    /// Products with at least one contract anywhere.
    contracted_products: std::collections::BTreeSet<ProductId>,
    /// (provider, product) contracted in the municipality.
    here: std::collections::BTreeSet<(ProviderId, ProductId)>,
}

impl Deliverers {
    /// Whether the provider may deliver the product in the municipality.
    pub fn may_deliver(&self, provider: ProviderId, product: ProductId) -> bool {
        !self.contracted_products.contains(&product) || self.here.contains(&(provider, product))
    }

    /// Whether the provider may deliver any of `products` there.
    pub fn delivers_any(&self, provider: ProviderId, products: &[ProductId]) -> bool {
        products.iter().any(|p| self.may_deliver(provider, *p))
    }
}

/// The contracts of a product the actor sees (as [`rules`]: their scope's
/// municipalities and their regions; all for administrators).
pub async fn contracts(cx: &Cx<'_>, product_id: ProductId) -> StoreResult<Vec<Contract>> {
    let conn = cx.conn();
    let scope = scope(conn, cx.actor).await?;
    let regions = scope_regions(conn, &scope).await?;
    let mut list: Vec<Contract> = provider_contract::Entity::find()
        .filter(provider_contract::Column::ProductId.eq(product_id))
        .all(conn)
        .await?
        .into_iter()
        .filter_map(to_contract)
        .filter(|c| in_scope(&c.place, &scope, &regions))
        .collect();
    list.sort_by_key(|c| (c.place.form_value(), c.provider_id));
    Ok(list)
}

/// The regions of the scope's municipalities (`None`: every region).
async fn scope_regions<C: ConnectionTrait>(
    conn: &C,
    scope: &Option<Vec<String>>,
) -> StoreResult<Option<Vec<i64>>> {
    Ok(match scope {
        None => None,
        Some(codes) => Some(
            municipality::Entity::find()
                .filter(municipality::Column::Code.is_in(codes.clone()))
                .all(conn)
                .await?
                .into_iter()
                .filter_map(|m| m.region_id)
                .collect(),
        ),
    })
}

fn in_scope(place: &RulePlace, scope: &Option<Vec<String>>, regions: &Option<Vec<i64>>) -> bool {
    match (place, scope, regions) {
        (_, None, _) => true,
        (RulePlace::Municipality(code), Some(codes), _) => codes.contains(code),
        (RulePlace::Region(id), _, Some(regions)) => regions.contains(&id.get()),
        (RulePlace::Region(_), _, None) => false,
    }
}

/// Records that a provider delivers a product in a region or municipality,
/// declared per month or per four weeks (who may: as for [`set_rule`]);
/// recording it twice changes nothing, and recording it with another
/// declaration period changes that, in the product's history. Returns the
/// contract's id.
pub async fn add_contract(cx: &Cx<'_>, new: &NewContract) -> StoreResult<ContractId> {
    let (conn, actor) = (cx.conn(), cx.actor);
    check_rule_change(conn, actor, &new.place).await?;
    existing_product(conn, new.product_id).await?;
    let Some(provider) = provider::Entity::find_by_id(new.provider_id.get())
        .one(conn)
        .await?
    else {
        return Err(StoreError::refuse_with(
            "provider",
            Reason::new("unknown-provider").with("id", new.provider_id.get()),
        ));
    };
    let (region_id, municipality_code) = match &new.place {
        RulePlace::Region(id) => (Some(id.get()), None),
        RulePlace::Municipality(code) => (None, Some(code.clone())),
    };
    let exists = provider_contract::Entity::find()
        .filter(provider_contract::Column::ProductId.eq(new.product_id))
        .filter(provider_contract::Column::ProviderId.eq(new.provider_id))
        .all(conn)
        .await?
        .into_iter()
        .filter_map(to_contract)
        .find(|c| c.place == new.place);
    let now = millis(cx.now);
    if let Some(c) = exists {
        if c.declaration_period != new.declaration_period {
            let mut row: provider_contract::ActiveModel =
                provider_contract::Entity::find_by_id(c.id.get())
                    .one(conn)
                    .await?
                    .ok_or(StoreError::NotFound { what: "contract" })?
                    .into();
            row.declaration_period = Set(new.declaration_period.as_str().to_owned());
            row.update(conn).await?;
            changes::record(
                conn,
                actor,
                now,
                Change {
                    entity: "product",
                    id: new.product_id.get(),
                    field: &format!(
                        "contract {} {} declaration period",
                        new.place.form_value(),
                        provider.name
                    ),
                    old: Some(c.declaration_period.as_str().to_owned()),
                    new: Some(new.declaration_period.as_str().to_owned()),
                },
            )
            .await?;
        }
        return Ok(c.id);
    }
    let row = provider_contract::ActiveModel {
        provider_id: Set(new.provider_id.get()),
        product_id: Set(new.product_id.get()),
        region_id: Set(region_id),
        municipality_code: Set(municipality_code),
        declaration_period: Set(new.declaration_period.as_str().to_owned()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    changes::record(
        conn,
        actor,
        now,
        Change {
            entity: "product",
            id: new.product_id.get(),
            field: &format!("contract {}", new.place.form_value()),
            old: None,
            new: Some(provider.name),
        },
    )
    .await?;
    Ok(ContractId::new(row.id))
}

/// Ends a contract: the provider no longer gets new indications of the
/// product there (running ones stay theirs). Ending one that has ended
/// already (a second click, or two managers at once) changes nothing.
pub async fn remove_contract(cx: &Cx<'_>, id: ContractId) -> StoreResult<()> {
    let (conn, actor) = (cx.conn(), cx.actor);
    let Some(row) = provider_contract::Entity::find_by_id(id.get())
        .one(conn)
        .await?
    else {
        return Ok(());
    };
    let contract = to_contract(row.clone())
        .ok_or_else(|| StoreError::Internal(format!("contract {id} has no place")))?;
    match check_rule_change(conn, actor, &contract.place).await {
        Ok(()) => {}
        Err(StoreError::Denied) => {
            return Err(cx.deny(
                waakvlam_domain::access::AccessAction::Update,
                None,
                format!("contract:{id}"),
            ));
        }
        Err(other) => return Err(other),
    }
    let name = provider::Entity::find_by_id(row.provider_id)
        .one(conn)
        .await?
        .map(|p| p.name)
        .unwrap_or_default();
    provider_contract::Entity::delete_by_id(row.id)
        .exec(conn)
        .await?;
    changes::record(
        conn,
        actor,
        millis(cx.now),
        Change {
            entity: "product",
            id: contract.product_id.get(),
            field: &format!("contract {}", contract.place.form_value()),
            old: Some(name),
            new: None,
        },
    )
    .await
}
