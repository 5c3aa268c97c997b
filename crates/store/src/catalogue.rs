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
use crate::entity::{municipality, own_contribution, product, tariff};
use crate::{
    Actor, Cx, OwnContributionId, ProductId, RegionId, StoreError, StoreResult, TariffId, Tenant,
    millis,
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
}

fn to_product(m: product::Model) -> StoreResult<CatalogueProduct> {
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
        FundingVariant::PerIndication => (None, None),
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
    let level =
        IntensityLevel::parse(&input.level).map_err(|e| StoreError::from(e.refuse("level")))?;
    Ok(Product {
        code,
        category,
        name: name.to_owned(),
        level,
    })
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
        row.update(conn).await?;
    }
    Ok(())
}
