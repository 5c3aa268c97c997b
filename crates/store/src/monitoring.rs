//! The facts behind monitoring, loaded in bulk and scoped, for the domain's
//! one computation of every figure (`waakvlam_domain::monitoring`).
//!
//! Monitoring shows aggregates only, so its scope is the account's
//! organisation rather than its [`crate::Tenant`]: an analyst (whose tenant
//! sees no resident at all) still gets their region's figures. The scope is
//! applied here, in every query, never in handlers; no name, BSN or note
//! leaves this module.

use std::collections::{HashMap, HashSet};

use chrono::{Days, NaiveDate, NaiveTime};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait,
};
use waakvlam_domain::ids::ProductCode;
use waakvlam_domain::indication::{EndReason, WaakvlamOutcome};
use waakvlam_domain::money::Cents;
use waakvlam_domain::monitoring::{
    Assumptions, BellFact, CheckInFact, ContactFact, Facts, IndicationFact, Issued, Monitoring,
    MonitoringQuery, Period, ScopedContribution, ScopedTariff, compute,
};
use waakvlam_domain::plan::ResultReached;
use waakvlam_domain::product::IntensityLevel;
use waakvlam_domain::role::Role;
use waakvlam_domain::tariff::{FundingVariant, OwnContribution, Tariff};

use crate::accounts::Account;
use crate::entity::{
    bell, check_in, contact, indication, municipality, own_contribution, product, provider, region,
    tariff,
};
use crate::{
    Cx, ProviderId, RegionId, StoreError, StoreResult, TeamId, catalogue, millis, organisations,
};
use waakvlam_domain::refusal::Reason;

/// Whose figures an account may see.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Administrators, analysts without a region, the command line.
    All,
    Region(RegionId),
    Municipality(String),
    /// A team lead: the team's indications.
    Team(TeamId),
    /// Roles without monitoring.
    Nothing,
}

impl Scope {
    /// The monitoring scope of an account: consultants their municipality
    /// (or region), team leads their team, analysts their region (or all),
    /// administrators all.
    pub fn of(account: &Account) -> Scope {
        match account.role {
            Role::Admin => Scope::All,
            Role::Analyst | Role::Consultant => {
                match (&account.municipality_code, account.region_id) {
                    (Some(code), _) => Scope::Municipality(code.clone()),
                    (None, Some(region)) => Scope::Region(region),
                    (None, None) if account.role == Role::Analyst => Scope::All,
                    (None, None) => Scope::Nothing,
                }
            }
            Role::TeamLead => account.team_id.map_or(Scope::Nothing, Scope::Team),
            Role::Professional | Role::Resident | Role::TrustedPerson | Role::ContractManager => {
                Scope::Nothing
            }
        }
    }

    /// May the region filter choose among regions?
    pub fn chooses_region(&self) -> bool {
        matches!(self, Scope::All)
    }

    fn condition(&self) -> Condition {
        let c = Condition::all();
        match self {
            Scope::All => c,
            Scope::Region(id) => c.add(in_region(*id)),
            Scope::Municipality(code) => c.add(indication::Column::MunicipalityCode.eq(code)),
            Scope::Team(id) => c.add(indication::Column::TeamId.eq(*id)),
            Scope::Nothing => c.add(Expr::val(1).eq(0)),
        }
    }
}

fn in_region(region_id: RegionId) -> sea_orm::sea_query::SimpleExpr {
    indication::Column::MunicipalityCode.in_subquery(
        Query::select()
            .column(municipality::Column::Code)
            .from(municipality::Entity)
            .and_where(municipality::Column::RegionId.eq(region_id))
            .to_owned(),
    )
}

/// The filters of the dashboard; they narrow the scope, never widen it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filter {
    pub region: Option<RegionId>,
    pub municipality: Option<String>,
    pub provider: Option<ProviderId>,
    /// A product code; applied by the computation, so pathways stay whole.
    pub product: Option<String>,
    pub period: Period,
}

impl Filter {
    pub fn year(year: i32) -> StoreResult<Filter> {
        let period = Period::year(year).ok_or_else(|| {
            StoreError::refuse_with("year", Reason::new("year-invalid").with("year", year))
        })?;
        Ok(Filter {
            region: None,
            municipality: None,
            provider: None,
            product: None,
            period,
        })
    }
}

fn indication_condition(scope: &Scope, filter: &Filter) -> Condition {
    let mut c = scope.condition();
    if let Some(r) = filter.region {
        c = c.add(in_region(r));
    }
    if let Some(m) = &filter.municipality {
        c = c.add(indication::Column::MunicipalityCode.eq(m.clone()));
    }
    if let Some(p) = filter.provider {
        c = c.add(indication::Column::ProviderId.eq(p));
    }
    c
}

/// Indications overlapping `period`.
fn overlapping(period: Period) -> Condition {
    Condition::all()
        .add(indication::Column::StartDate.lte(period.to))
        .add(
            Condition::any()
                .add(indication::Column::EndDate.is_null())
                .add(indication::Column::EndDate.gte(period.from)),
        )
}

fn start_ms(day: NaiveDate) -> i64 {
    millis(day.and_time(NaiveTime::MIN).and_utc())
}

fn day_of(ms: i64) -> NaiveDate {
    crate::from_millis(ms).date_naive()
}

/// How far before the period indications are loaded: a waakvlam lasts at
/// most 12 months unless extended, so its heavy predecessor and its start
/// lie within about a year. Longer (extended) episodes are followed further
/// by id, at most this many steps back.
const LOOKBACK_DAYS: u64 = 400;
const MAX_HISTORY_STEPS: usize = 20;

/// Loads every fact the figures need, within scope and filters.
pub async fn facts(
    cx: &Cx<'_>,
    scope: &Scope,
    filter: &Filter,
    today: NaiveDate,
) -> StoreResult<Facts> {
    let conn = cx.conn();
    validate(cx, filter).await?;
    let catalogue = catalogue::products(cx).await?;
    let by_id: HashMap<i64, (String, IntensityLevel)> = catalogue
        .iter()
        .map(|p| {
            (
                p.id.get(),
                (p.product.code.as_str().to_owned(), p.product.level),
            )
        })
        .collect();
    let cond = indication_condition(scope, filter);
    let from = filter
        .period
        .from
        .checked_sub_days(Days::new(LOOKBACK_DAYS))
        .unwrap_or(filter.period.from);
    let to = Ord::max(filter.period.to, today);

    let (tariffs, per_hour) = tariffs(conn, &by_id).await?;
    let contributions = contributions(conn, &by_id).await?;
    // The large reads are independent: on a pool they run side by side.
    let (mut indications, (contacts, bells, check_ins)) = tokio::try_join!(
        load_indications(
            conn,
            cond.clone().add(overlapping(Period { from, to })),
            &by_id
        ),
        async {
            events(conn, &cond, filter, &catalogue, &per_hour)
                .await
                .map_err(StoreError::from)
        }
    )?;
    // Waakvlam episodes that started before the window: follow their
    // predecessors by id, so an extended waakvlam keeps its real start.
    let mut loaded: HashSet<i64> = indications.iter().map(|i| i.id).collect();
    for _ in 0..MAX_HISTORY_STEPS {
        let missing: Vec<i64> = indications
            .iter()
            .filter(|i| i.level == IntensityLevel::Waakvlam)
            .filter_map(|i| i.predecessor)
            .filter(|p| !loaded.contains(p))
            .collect();
        if missing.is_empty() {
            break;
        }
        let mut found = Vec::new();
        for chunk in missing.chunks(5_000) {
            found.extend(
                load_indications(
                    conn,
                    cond.clone()
                        .add(indication::Column::Id.is_in(chunk.iter().copied())),
                    &by_id,
                )
                .await?,
            );
        }
        if found.is_empty() {
            break;
        }
        loaded.extend(found.iter().map(|i| i.id));
        indications.extend(found);
    }

    let mut codes: HashSet<&str> = indications
        .iter()
        .map(|i| i.municipality_code.as_str())
        .collect();
    if let Some(m) = &filter.municipality {
        codes.insert(m.as_str());
    }
    let municipality_names = organisations::all_municipalities(cx)
        .await?
        .into_iter()
        .filter(|m| codes.contains(m.code.as_str()))
        .map(|m| (m.code, m.name))
        .collect();

    Ok(Facts {
        contacts: contacts
            .into_iter()
            .map(|(resident_id, at, minutes)| ContactFact {
                resident_id,
                day: day_of(at),
                minutes: minutes.and_then(|m| u32::try_from(m).ok()),
            })
            .collect(),
        bells: bells
            .into_iter()
            .map(|(resident_id, rung_at, acknowledged_at)| BellFact {
                resident_id,
                day: day_of(rung_at),
                rung_at,
                acknowledged_at,
            })
            .collect(),
        check_ins: check_ins
            .into_iter()
            .map(|(resident_id, at)| CheckInFact {
                resident_id,
                day: day_of(at),
            })
            .collect(),
        indications,
        tariffs,
        contributions,
        municipality_names,
        products: catalogue
            .iter()
            .map(|p| p.product.code.as_str().to_owned())
            .collect(),
    })
}

type Events = (
    Vec<(i64, i64, Option<i32>)>,
    Vec<(i64, i64, Option<i64>)>,
    Vec<(i64, i64)>,
);

/// Contacts, bells and check-ins in the period of the residents that matter.
async fn events<C: ConnectionTrait>(
    conn: &C,
    cond: &Condition,
    filter: &Filter,
    catalogue: &[catalogue::CatalogueProduct],
    per_hour: &HashSet<i64>,
) -> Result<Events, sea_orm::DbErr> {
    // Residents whose contacts matter: waakvlam (the pulse) and per-hour
    // products (minutes delivered), in the period.
    let waakvlam_ids: Vec<i64> = catalogue
        .iter()
        .filter(|p| p.product.level == IntensityLevel::Waakvlam)
        .map(|p| p.id.get())
        .collect();
    let residents_of = |products: Vec<i64>| {
        Query::select()
            .column(indication::Column::ResidentId)
            .from(indication::Entity)
            .cond_where(cond.clone())
            .cond_where(overlapping(filter.period))
            .and_where(indication::Column::ProductId.is_in(products))
            .to_owned()
    };
    let mut contact_products = waakvlam_ids.clone();
    contact_products.extend(per_hour.iter().copied());
    let (lo, hi) = (
        start_ms(filter.period.from),
        start_ms(filter.period.to + Days::new(1)),
    );
    let contacts = contact::Entity::find()
        .select_only()
        .columns([
            contact::Column::ResidentId,
            contact::Column::OccurredAt,
            contact::Column::DurationMinutes,
        ])
        .filter(contact::Column::OccurredAt.gte(lo))
        .filter(contact::Column::OccurredAt.lt(hi))
        .filter(contact::Column::ResidentId.in_subquery(residents_of(contact_products)))
        .into_tuple::<(i64, i64, Option<i32>)>()
        .all(conn);
    let bells = bell::Entity::find()
        .select_only()
        .columns([
            bell::Column::ResidentId,
            bell::Column::RungAt,
            bell::Column::AcknowledgedAt,
        ])
        .filter(bell::Column::RungAt.gte(lo))
        .filter(bell::Column::RungAt.lt(hi))
        .filter(bell::Column::ResidentId.in_subquery(residents_of(waakvlam_ids.clone())))
        .into_tuple::<(i64, i64, Option<i64>)>()
        .all(conn);
    let check_ins = check_in::Entity::find()
        .select_only()
        .columns([check_in::Column::ResidentId, check_in::Column::SubmittedAt])
        .filter(check_in::Column::SubmittedAt.gte(lo))
        .filter(check_in::Column::SubmittedAt.lt(hi))
        .filter(check_in::Column::ResidentId.in_subquery(residents_of(waakvlam_ids)))
        .into_tuple::<(i64, i64)>()
        .all(conn);
    tokio::try_join!(contacts, bells, check_ins)
}

/// Indications matching `cond`, with their product's code and level.
async fn load_indications<C: ConnectionTrait>(
    conn: &C,
    cond: Condition,
    by_id: &HashMap<i64, (String, IntensityLevel)>,
) -> StoreResult<Vec<IndicationFact>> {
    let q = indication::Entity::find()
        .select_only()
        .columns([
            indication::Column::Id,
            indication::Column::ResidentId,
            indication::Column::MunicipalityCode,
            indication::Column::ProviderId,
            indication::Column::ProductId,
            indication::Column::IssuedOn,
            indication::Column::StartDate,
            indication::Column::EndDate,
            indication::Column::PlannedScaleDownDate,
            indication::Column::EndReason,
            indication::Column::Outcome,
            indication::Column::PredecessorId,
            indication::Column::ContactRhythmDays,
            indication::Column::ResultReached,
        ])
        .filter(cond)
        .into_query();
    let rows = conn.query_all(&q).await?;
    let mut indications = Vec::with_capacity(rows.len());
    for row in rows {
        let id: i64 = row.try_get("", "id")?;
        let product: i64 = row.try_get("", "product_id")?;
        let (code, level) = by_id
            .get(&product)
            .cloned()
            .ok_or_else(|| StoreError::Internal(format!("indication {id}: unknown product")))?;
        let reason: Option<String> = row.try_get("", "end_reason")?;
        let outcome: Option<String> = row.try_get("", "outcome")?;
        let rhythm: Option<i32> = row.try_get("", "contact_rhythm_days")?;
        let result: Option<String> = row.try_get("", "result_reached")?;
        indications.push(IndicationFact {
            id,
            resident_id: row.try_get("", "resident_id")?,
            municipality_code: row.try_get("", "municipality_code")?,
            provider_id: row.try_get("", "provider_id")?,
            product: code,
            level,
            issued_on: row.try_get("", "issued_on")?,
            start: row.try_get("", "start_date")?,
            end: row.try_get("", "end_date")?,
            planned_scale_down: row.try_get("", "planned_scale_down_date")?,
            end_reason: reason.and_then(|r| EndReason::parse(&r).ok()),
            outcome: outcome.and_then(|o| WaakvlamOutcome::parse(&o).ok()),
            predecessor: row.try_get("", "predecessor_id")?,
            rhythm_days: rhythm.and_then(|r| u32::try_from(r).ok()),
            result: result.and_then(|r| ResultReached::parse(&r).ok()),
        });
    }
    Ok(indications)
}

/// Only the indications issued in the period, for the publication table
/// (`waakvlam report indications`), computed like every other figure.
pub async fn issued(cx: &Cx<'_>, scope: &Scope, filter: &Filter) -> StoreResult<Issued> {
    let conn = cx.conn();
    validate(cx, filter).await?;
    let catalogue = catalogue::products(cx).await?;
    let by_id: HashMap<i64, (String, IntensityLevel)> = catalogue
        .iter()
        .map(|p| {
            (
                p.id.get(),
                (p.product.code.as_str().to_owned(), p.product.level),
            )
        })
        .collect();
    let cond = indication_condition(scope, filter)
        .add(indication::Column::IssuedOn.gte(filter.period.from))
        .add(indication::Column::IssuedOn.lte(filter.period.to));
    let indications = load_indications(conn, cond, &by_id).await?;
    let codes: HashSet<&str> = indications
        .iter()
        .map(|i| i.municipality_code.as_str())
        .collect();
    let municipality_names = organisations::all_municipalities(cx)
        .await?
        .into_iter()
        .filter(|m| codes.contains(m.code.as_str()))
        .map(|m| (m.code, m.name))
        .collect();
    let facts = Facts {
        indications,
        municipality_names,
        products: catalogue
            .iter()
            .map(|p| p.product.code.as_str().to_owned())
            .collect(),
        ..Default::default()
    };
    Ok(compute(
        &facts,
        &MonitoringQuery {
            period: filter.period,
            today: filter.period.to,
            product: filter.product.clone(),
            assumptions: Assumptions::default(),
        },
    )
    .issued)
}

/// Loads the facts and computes every figure.
pub async fn dashboard(
    cx: &Cx<'_>,
    scope: &Scope,
    filter: &Filter,
    today: NaiveDate,
    assumptions: Assumptions,
) -> StoreResult<Monitoring> {
    let facts = facts(cx, scope, filter, today).await?;
    Ok(compute(
        &facts,
        &MonitoringQuery {
            period: filter.period,
            today,
            product: filter.product.clone(),
            assumptions,
        },
    ))
}

async fn validate(cx: &Cx<'_>, filter: &Filter) -> StoreResult<()> {
    if let Some(code) = &filter.product
        && catalogue::product_by_code(cx, code).await?.is_none()
    {
        return Err(StoreError::refuse_with(
            "product",
            Reason::new("unknown-product").with("code", code),
        ));
    }
    if let Some(code) = &filter.municipality
        && organisations::municipality(cx, code).await?.is_none()
    {
        return Err(StoreError::refuse_with(
            "municipality",
            Reason::new("unknown-municipality").with("code", code),
        ));
    }
    Ok(())
}

/// All tariffs, and the ids of products paid per hour in some year.
async fn tariffs<C: ConnectionTrait>(
    conn: &C,
    products: &HashMap<i64, (String, IntensityLevel)>,
) -> StoreResult<(Vec<ScopedTariff>, HashSet<i64>)> {
    let mut out = Vec::new();
    let mut per_hour = HashSet::new();
    for t in tariff::Entity::find().all(conn).await? {
        let variant = FundingVariant::from_parts(
            &t.funding_variant,
            t.unit_period.as_deref(),
            t.budget_ceiling_cents,
        )
        .map_err(|e| StoreError::Internal(format!("tariff {}: {e}", t.id)))?;
        let Some(code) = products
            .get(&t.product_id)
            .and_then(|(c, _)| ProductCode::parse(c).ok())
        else {
            continue;
        };
        if matches!(variant, FundingVariant::PerHour { .. }) {
            per_hour.insert(t.product_id);
        }
        out.push(ScopedTariff {
            municipality_code: t.municipality_code,
            tariff: Tariff {
                product: code,
                year: t.year,
                variant,
                amount: Cents(t.amount_cents),
            },
        });
    }
    Ok((out, per_hour))
}

async fn contributions<C: ConnectionTrait>(
    conn: &C,
    products: &HashMap<i64, (String, IntensityLevel)>,
) -> StoreResult<Vec<ScopedContribution>> {
    Ok(own_contribution::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .filter_map(|c| {
            let code = products
                .get(&c.product_id)
                .and_then(|(p, _)| ProductCode::parse(p).ok())?;
            Some(ScopedContribution {
                municipality_code: c.municipality_code,
                contribution: OwnContribution {
                    product: code,
                    valid_from: c.valid_from,
                    monthly: Cents(c.monthly_cents),
                },
            })
        })
        .collect())
}

/// A choice in a filter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

/// What the filters offer within a scope.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FilterChoices {
    pub regions: Vec<Choice>,
    pub municipalities: Vec<Choice>,
    pub providers: Vec<Choice>,
    pub products: Vec<Choice>,
}

/// The regions, municipalities and providers that occur in the scope.
pub async fn choices(cx: &Cx<'_>, scope: &Scope) -> StoreResult<FilterChoices> {
    let conn = cx.conn();
    let cond = scope.condition();
    let codes: Vec<String> = indication::Entity::find()
        .select_only()
        .column(indication::Column::MunicipalityCode)
        .distinct()
        .filter(cond.clone())
        .into_tuple()
        .all(conn)
        .await?;
    let provider_ids: Vec<i64> = indication::Entity::find()
        .select_only()
        .column(indication::Column::ProviderId)
        .distinct()
        .filter(cond)
        .into_tuple()
        .all(conn)
        .await?;
    let mut municipalities: Vec<Choice> = organisations::all_municipalities(cx)
        .await?
        .into_iter()
        .filter(|m| codes.contains(&m.code))
        .map(|m| Choice {
            value: m.code,
            label: m.name,
        })
        .collect();
    municipalities.sort_by_key(|c| c.label.to_lowercase());
    let mut providers: Vec<Choice> = provider::Entity::find()
        .filter(provider::Column::Id.is_in(provider_ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|p| Choice {
            value: p.id.to_string(),
            label: p.name,
        })
        .collect();
    providers.sort_by_key(|c| c.label.to_lowercase());
    let regions = match scope {
        Scope::All => region::Entity::find().all(conn).await?,
        Scope::Region(id) => region::Entity::find_by_id(*id).all(conn).await?,
        _ => Vec::new(),
    }
    .into_iter()
    .map(|r| Choice {
        value: r.id.to_string(),
        label: r.name,
    })
    .collect();
    let products = product::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|p| Choice {
            label: format!("{} ({})", p.name, p.code),
            value: p.code,
        })
        .collect();
    Ok(FilterChoices {
        regions,
        municipalities,
        providers,
        products,
    })
}
