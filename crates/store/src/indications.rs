//! Indications (toewijzingen) and the pathway chains they form.

use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};
use waakvlam_domain::access::AccessAction;
use waakvlam_domain::indication::WaakvlamOutcome;
use waakvlam_domain::indication::{
    Extension, IndicationDates, RuleViolation, default_end, validate_extension, validate_indication,
};
use waakvlam_domain::product::IntensityLevel;

use crate::access;
use crate::catalogue::{self, CatalogueProduct};
use crate::changes::{self, Change};
use crate::entity::{indication, indication_extension, municipality, provider};
use crate::{Actor, Store, StoreError, StoreResult, millis};
use waakvlam_domain::refusal::Reason;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Indication {
    pub id: i64,
    pub resident_id: i64,
    pub product_id: i64,
    pub municipality_code: String,
    pub provider_id: i64,
    pub allocation_number: String,
    pub issued_on: NaiveDate,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub planned_scale_down_date: Option<NaiveDate>,
    pub agreed_result: Option<String>,
    pub end_reason: Option<String>,
    pub outcome: Option<String>,
    pub predecessor_id: Option<i64>,
    pub professional_account_id: Option<i64>,
    pub team_id: Option<i64>,
    pub contact_rhythm_days: Option<i32>,
}

impl Indication {
    /// Whether it runs on `day` (end inclusive).
    pub fn active_on(&self, day: NaiveDate) -> bool {
        self.start_date <= day && self.end_date.is_none_or(|end| day <= end)
    }
}

impl From<indication::Model> for Indication {
    fn from(m: indication::Model) -> Self {
        Indication {
            id: m.id,
            resident_id: m.resident_id,
            product_id: m.product_id,
            municipality_code: m.municipality_code,
            provider_id: m.provider_id,
            allocation_number: m.allocation_number,
            issued_on: m.issued_on,
            start_date: m.start_date,
            end_date: m.end_date,
            planned_scale_down_date: m.planned_scale_down_date,
            agreed_result: m.agreed_result,
            end_reason: m.end_reason,
            outcome: m.outcome,
            predecessor_id: m.predecessor_id,
            professional_account_id: m.professional_account_id,
            team_id: m.team_id,
            contact_rhythm_days: m.contact_rhythm_days,
        }
    }
}

#[derive(Clone, Debug)]
pub struct NewIndication {
    pub resident_id: i64,
    pub product_code: String,
    pub municipality_code: String,
    pub provider_id: i64,
    /// Generated from the resident, product and start when not given.
    pub allocation_number: Option<String>,
    pub issued_on: NaiveDate,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub planned_scale_down_date: Option<NaiveDate>,
    pub agreed_result: Option<String>,
    pub predecessor_id: Option<i64>,
    pub professional_account_id: Option<i64>,
    pub team_id: Option<i64>,
    pub contact_rhythm_days: Option<i32>,
    pub end_reason: Option<String>,
    pub outcome: Option<String>,
}

/// The rule violations of a new indication, checked against the catalogue:
/// `(field, reason)` pairs, empty when it is valid.
pub fn violations(product: &CatalogueProduct, new: &NewIndication) -> Vec<RuleViolation> {
    let dates = IndicationDates {
        issued_on: new.issued_on,
        start: new.start_date,
        end: new
            .end_date
            .or_else(|| default_end(product.product.level, new.start_date)),
        planned_scale_down: new.planned_scale_down_date,
    };
    validate_indication(product.product.level, &dates, false)
        .err()
        .unwrap_or_default()
}

/// A unique, stable allocation number for indications that arrive without
/// one (imports): start date, product and resident.
pub fn generated_allocation_number(
    resident_id: i64,
    product_code: &str,
    start: NaiveDate,
) -> String {
    format!("{}{}{}", start.format("%y%m%d"), product_code, resident_id)
}

/// Creates an indication after checking the domain rules. A waakvlam
/// indication without an end date gets the 12-month maximum.
pub async fn create<C: ConnectionTrait>(
    conn: &C,
    store: &Store,
    actor: &Actor,
    new: &NewIndication,
) -> StoreResult<Indication> {
    let product = catalogue::product_by_code_on(conn, &new.product_code)
        .await?
        .ok_or_else(|| {
            StoreError::refuse_with(
                "product_code",
                Reason::new("unknown-product").with("code", &new.product_code),
            )
        })?;
    let violations = violations(&product, new);
    if !violations.is_empty() {
        return Err(StoreError::Invalid(
            violations.iter().map(RuleViolation::refusal).collect(),
        ));
    }
    let Some(place) = municipality::Entity::find_by_id(new.municipality_code.clone())
        .one(conn)
        .await?
    else {
        return Err(StoreError::refuse_with(
            "municipality_code",
            Reason::new("unknown-municipality").with("code", &new.municipality_code),
        ));
    };
    // Each municipality or region indicates from its own catalogue.
    if !product.offered_in.includes(
        &new.municipality_code,
        place.region_id.map(crate::RegionId::new),
    ) {
        return Err(StoreError::refuse_with(
            "product_code",
            Reason::new("product-not-offered")
                .with("code", product.product.code.as_str())
                .with("municipality", &new.municipality_code),
        ));
    }
    if provider::Entity::find_by_id(new.provider_id)
        .one(conn)
        .await?
        .is_none()
    {
        return Err(StoreError::refuse_with(
            "provider",
            Reason::new("unknown-provider").with("id", new.provider_id),
        ));
    }
    let end = new
        .end_date
        .or_else(|| default_end(product.product.level, new.start_date));
    let now = millis(store.now());
    let allocation = new.allocation_number.clone().unwrap_or_else(|| {
        generated_allocation_number(
            new.resident_id,
            product.product.code.as_str(),
            new.start_date,
        )
    });
    let m = indication::ActiveModel {
        resident_id: Set(new.resident_id),
        product_id: Set(product.id.get()),
        municipality_code: Set(new.municipality_code.clone()),
        provider_id: Set(new.provider_id),
        allocation_number: Set(allocation),
        issued_on: Set(new.issued_on),
        start_date: Set(new.start_date),
        end_date: Set(end),
        planned_scale_down_date: Set(new.planned_scale_down_date),
        agreed_result: Set(new.agreed_result.clone()),
        end_reason: Set(new.end_reason.clone()),
        outcome: Set(new.outcome.clone()),
        predecessor_id: Set(new.predecessor_id),
        professional_account_id: Set(new.professional_account_id),
        team_id: Set(new.team_id),
        contact_rhythm_days: Set(new.contact_rhythm_days),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    let objects = format!("indication:{}", m.id);
    access::record(
        conn,
        store,
        actor,
        AccessAction::Create,
        Some(m.resident_id),
        &objects,
    )
    .await?;
    Ok(m.into())
}

/// Whether this resident already has an indication for the product starting
/// on that day (imports use it to stay idempotent).
pub async fn exists<C: ConnectionTrait>(
    conn: &C,
    resident_id: i64,
    product_id: i64,
    start: NaiveDate,
) -> StoreResult<bool> {
    Ok(indication::Entity::find()
        .filter(indication::Column::ResidentId.eq(resident_id))
        .filter(indication::Column::ProductId.eq(product_id))
        .filter(indication::Column::StartDate.eq(start))
        .one(conn)
        .await?
        .is_some())
}

/// A resident's indications the actor may see, oldest first. Logged.
pub async fn for_resident(
    store: &Store,
    actor: &Actor,
    resident_id: i64,
) -> StoreResult<Vec<Indication>> {
    let tx = store.begin_read().await?;
    let rows = indication::Entity::find()
        .filter(indication::Column::ResidentId.eq(resident_id))
        .filter(actor.tenant.indication_filter())
        .order_by_asc(indication::Column::StartDate)
        .order_by_asc(indication::Column::Id)
        .all(&*tx)
        .await?;
    let ids = rows
        .iter()
        .map(|r| r.id.to_string())
        .collect::<Vec<_>>()
        .join(",");
    let objects = format!("indication:{ids}");
    access::record(
        &*tx,
        store,
        actor,
        AccessAction::Read,
        Some(resident_id),
        &objects,
    )
    .await?;
    tx.commit().await?;
    Ok(rows.into_iter().map(Indication::from).collect())
}

/// Counts the indications running on `day` that the actor may see, per
/// intensity level (start-page summaries; no personal data, not logged).
pub async fn active_count(
    store: &Store,
    actor: &Actor,
    day: NaiveDate,
) -> StoreResult<Vec<(IntensityLevel, u64)>> {
    let rows = indication::Entity::find()
        .filter(actor.tenant.indication_filter())
        .filter(indication::Column::StartDate.lte(day))
        .filter(
            sea_orm::Condition::any()
                .add(indication::Column::EndDate.is_null())
                .add(indication::Column::EndDate.gte(day)),
        )
        .all(store.conn())
        .await?;
    let products = catalogue::products_on(store.conn()).await?;
    let mut counts: Vec<(IntensityLevel, u64)> = Vec::new();
    for r in rows {
        let Some(p) = products.iter().find(|p| p.id == r.product_id) else {
            continue;
        };
        match counts.iter_mut().find(|(l, _)| *l == p.product.level) {
            Some((_, n)) => *n += 1,
            None => counts.push((p.product.level, 1)),
        }
    }
    Ok(counts)
}

/// Extends an indication ("Verlengen"): moves its end date, keeps the
/// previous end in the extension history and records the change.
pub async fn extend<C: ConnectionTrait>(
    conn: &C,
    store: &Store,
    actor: &Actor,
    indication_id: i64,
    new_end: NaiveDate,
    reason: &str,
) -> StoreResult<Indication> {
    let Some(m) = indication::Entity::find_by_id(indication_id)
        .filter(actor.tenant.indication_filter())
        .one(conn)
        .await?
    else {
        return Err(StoreError::NotFound { what: "indication" });
    };
    let Some(previous_end) = m.end_date else {
        return Err(StoreError::refuse("end_date", "extension-open-ended"));
    };
    let extension = Extension {
        previous_end,
        new_end,
        reason: reason.trim().to_owned(),
    };
    if let Err(v) = validate_extension(&extension) {
        return Err(StoreError::Invalid(
            v.iter().map(RuleViolation::refusal).collect(),
        ));
    }
    let now = store.now();
    indication_extension::ActiveModel {
        indication_id: Set(m.id),
        previous_end: Set(previous_end),
        new_end: Set(new_end),
        reason: Set(extension.reason.clone()),
        account_id: Set(actor.account_id),
        created_at: Set(millis(now)),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    changes::record(
        conn,
        actor,
        millis(now),
        Change {
            entity: "indication",
            id: m.id,
            field: "end_date",
            old: Some(previous_end.to_string()),
            new: Some(new_end.to_string()),
        },
    )
    .await?;
    let resident_id = m.resident_id;
    let mut am: indication::ActiveModel = m.into();
    am.end_date = Set(Some(new_end));
    am.updated_at = Set(millis(now));
    let updated = am.update(conn).await?;
    let objects = format!("indication:{indication_id}");
    access::record(
        conn,
        store,
        actor,
        AccessAction::Update,
        Some(resident_id),
        &objects,
    )
    .await?;
    Ok(updated.into())
}

/// Assigns a professional of the actor's team to an indication (team leads).
/// The professional must belong to the team that holds the indication.
pub async fn assign_professional<C: ConnectionTrait>(
    conn: &C,
    store: &Store,
    actor: &Actor,
    indication_id: i64,
    professional_account_id: i64,
) -> StoreResult<Indication> {
    let Some(m) = indication::Entity::find_by_id(indication_id)
        .filter(actor.tenant.indication_filter())
        .one(conn)
        .await?
    else {
        return Err(StoreError::NotFound { what: "indication" });
    };
    let professional = crate::accounts::by_id(conn, professional_account_id)
        .await?
        .filter(|a| a.role == waakvlam_domain::role::Role::Professional && a.active)
        .ok_or_else(|| StoreError::refuse("professional", "not-a-professional"))?;
    if m.team_id.is_none() || professional.team_id != m.team_id {
        return Err(StoreError::refuse(
            "professional",
            "professional-other-team",
        ));
    }
    let now = store.now();
    changes::record(
        conn,
        actor,
        millis(now),
        Change {
            entity: "indication",
            id: m.id,
            field: "professional_account_id",
            old: m.professional_account_id.map(|id| id.to_string()),
            new: Some(professional.id.to_string()),
        },
    )
    .await?;
    let resident_id = m.resident_id;
    let mut am: indication::ActiveModel = m.into();
    am.professional_account_id = Set(Some(professional.id));
    am.updated_at = Set(millis(now));
    let updated = am.update(conn).await?;
    let objects = format!("indication:{indication_id}");
    access::record(
        conn,
        store,
        actor,
        AccessAction::Update,
        Some(resident_id),
        &objects,
    )
    .await?;
    Ok(updated.into())
}

/// The professional ends a waakvlam indication, recording its outcome.
pub async fn end_with_outcome(
    store: &Store,
    actor: &Actor,
    indication_id: i64,
    end: NaiveDate,
    outcome: WaakvlamOutcome,
) -> StoreResult<Indication> {
    let tx = store.begin_write().await?;
    let Some(m) = indication::Entity::find_by_id(indication_id)
        .filter(actor.tenant.indication_filter())
        .one(&*tx)
        .await?
    else {
        return Err(StoreError::NotFound { what: "indication" });
    };
    if m.end_reason.is_some() {
        return Err(StoreError::conflict("", Reason::new("indication-ended")));
    }
    if end < m.start_date || m.end_date.is_some_and(|e| end > e) {
        return Err(StoreError::refuse("end_date", "within"));
    }
    let now = millis(store.now());
    changes::record(
        &*tx,
        actor,
        now,
        Change {
            entity: "indication",
            id: m.id,
            field: "end_date",
            old: m.end_date.map(|d| d.to_string()),
            new: Some(end.to_string()),
        },
    )
    .await?;
    changes::record(
        &*tx,
        actor,
        now,
        Change {
            entity: "indication",
            id: m.id,
            field: "outcome",
            old: None,
            new: Some(outcome.as_str().to_owned()),
        },
    )
    .await?;
    let resident_id = m.resident_id;
    let mut am: indication::ActiveModel = m.into();
    am.end_date = Set(Some(end));
    am.end_reason = Set(Some(outcome.end_reason().code().to_owned()));
    am.outcome = Set(Some(outcome.as_str().to_owned()));
    am.updated_at = Set(now);
    let updated = am.update(&*tx).await?;
    access::record(
        &*tx,
        store,
        actor,
        AccessAction::Update,
        Some(resident_id),
        &format!("indication:{indication_id}"),
    )
    .await?;
    tx.commit().await?;
    Ok(updated.into())
}
