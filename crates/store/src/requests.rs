//! The municipality's decision on a scale request. Approving one updates the
//! pathway in one transaction: the old indication ends the day before the
//! new one starts, and the successor keeps the professional and team (no new
//! intake). Approving "end support" ends the old indication with an outcome.

use chrono::NaiveDate;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, EntityTrait, QueryFilter};
use waakvlam_domain::access::AccessAction;
use waakvlam_domain::care::{RequestStatus, ScaleDirection};
use waakvlam_domain::indication::{EndReason, WaakvlamOutcome, successor_dates};
use waakvlam_domain::product::IntensityLevel;

use crate::access;
use crate::changes::{self, Change};
use crate::entity::{indication, scale_request};
use crate::indications::{self, Indication, NewIndication};
use crate::{Actor, Store, StoreError, StoreResult, catalogue, millis};
use waakvlam_domain::refusal::Explain;

/// What the consultant decides when approving.
#[derive(Clone, Debug)]
pub struct Approval {
    pub start: NaiveDate,
    /// Required when the new product is individual or intensive support.
    pub planned_scale_down: Option<NaiveDate>,
}

async fn pending_in_tenant<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    request_id: i64,
) -> StoreResult<(scale_request::Model, indication::Model)> {
    let Some(r) = scale_request::Entity::find_by_id(request_id)
        .one(conn)
        .await?
    else {
        return Err(StoreError::NotFound { what: "request" });
    };
    let Some(old) = indication::Entity::find_by_id(r.indication_id)
        .filter(actor.tenant.indication_filter())
        .one(conn)
        .await?
    else {
        return Err(StoreError::NotFound { what: "request" });
    };
    if r.status != RequestStatus::Pending.as_str() {
        return Err(StoreError::Conflict(
            "this request has been decided already".into(),
        ));
    }
    Ok((r, old))
}

/// Approves a request. Returns the successor indication (`None` when the
/// request was to end support).
pub async fn approve(
    store: &Store,
    actor: &Actor,
    request_id: i64,
    approval: &Approval,
) -> StoreResult<Option<Indication>> {
    let tx = store.begin_write().await?;
    let (r, old) = pending_in_tenant(&*tx, actor, request_id).await?;
    let old_end = successor_dates(old.start_date, approval.start)
        .map_err(|e| StoreError::from(e.refuse("start_date")))?;
    let now = millis(store.now());
    let old_product = catalogue::product_by_id(&*tx, old.product_id)
        .await?
        .ok_or(StoreError::NotFound { what: "product" })?;
    let direction = ScaleDirection::parse(&r.direction).unwrap_or(ScaleDirection::Up);
    let successor = match r.requested_product_id {
        Some(product_id) => {
            let product = catalogue::product_by_id(&*tx, product_id)
                .await?
                .ok_or(StoreError::NotFound { what: "product" })?;
            let new = NewIndication {
                resident_id: old.resident_id,
                product_code: product.product.code.as_str().to_owned(),
                municipality_code: old.municipality_code.clone(),
                provider_id: old.provider_id,
                allocation_number: None,
                issued_on: store.now().date_naive(),
                start_date: approval.start,
                end_date: None,
                planned_scale_down_date: approval.planned_scale_down,
                agreed_result: old.agreed_result.clone(),
                predecessor_id: Some(old.id),
                professional_account_id: old.professional_account_id,
                team_id: old.team_id,
                contact_rhythm_days: (product.product.level == IntensityLevel::Waakvlam)
                    .then_some(old.contact_rhythm_days.unwrap_or(28)),
                end_reason: None,
                outcome: None,
            };
            Some(indications::create(&*tx, store, actor, &new).await?)
        }
        None => None,
    };
    // The old indication ends the day before; a waakvlam that is scaled up
    // or ended records its outcome.
    let outcome = match (old_product.product.level, direction, &successor) {
        (IntensityLevel::Waakvlam, ScaleDirection::Up, _) => Some(WaakvlamOutcome::ScaledUp),
        (IntensityLevel::Waakvlam, _, None) => Some(WaakvlamOutcome::Independent),
        _ => None,
    };
    let end_reason = match (&successor, outcome) {
        (None, Some(o)) => o.end_reason(),
        (None, None) => EndReason::EndedAsPlanned,
        (Some(_), _) => EndReason::ChangeRequest,
    };
    changes::record(
        &*tx,
        actor,
        now,
        Change {
            entity: "indication",
            id: old.id,
            field: "end_date",
            old: old.end_date.map(|d| d.to_string()),
            new: Some(old_end.to_string()),
        },
    )
    .await?;
    let resident_id = old.resident_id;
    let mut am: indication::ActiveModel = old.clone().into();
    am.end_date = Set(Some(old_end));
    am.end_reason = Set(Some(end_reason.code().to_owned()));
    am.outcome = Set(outcome.map(|o| o.as_str().to_owned()));
    am.updated_at = Set(now);
    am.update(&*tx).await?;
    let mut req: scale_request::ActiveModel = r.into();
    req.status = Set(RequestStatus::Approved.as_str().to_owned());
    req.decided_by = Set(actor.account_id);
    req.decided_at = Set(Some(now));
    req.successor_indication_id = Set(successor.as_ref().map(|s| s.id));
    req.update(&*tx).await?;
    changes::record(
        &*tx,
        actor,
        now,
        Change {
            entity: "scale_request",
            id: request_id,
            field: "status",
            old: Some("pending".into()),
            new: Some("approved".into()),
        },
    )
    .await?;
    access::record(
        &*tx,
        store,
        actor,
        AccessAction::Update,
        Some(resident_id),
        &format!("scale_request:{request_id},indication:{}", old.id),
    )
    .await?;
    tx.commit().await?;
    Ok(successor)
}

/// Rejects a request with a reason the professional sees.
pub async fn reject(
    store: &Store,
    actor: &Actor,
    request_id: i64,
    reason: &str,
) -> StoreResult<()> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(StoreError::refuse("reason", "reason"));
    }
    let tx = store.begin_write().await?;
    let (r, old) = pending_in_tenant(&*tx, actor, request_id).await?;
    let now = millis(store.now());
    let mut req: scale_request::ActiveModel = r.into();
    req.status = Set(RequestStatus::Rejected.as_str().to_owned());
    req.decided_by = Set(actor.account_id);
    req.decided_at = Set(Some(now));
    req.decision_note = Set(Some(reason.to_owned()));
    req.update(&*tx).await?;
    changes::record(
        &*tx,
        actor,
        now,
        Change {
            entity: "scale_request",
            id: request_id,
            field: "status",
            old: Some("pending".into()),
            new: Some("rejected".into()),
        },
    )
    .await?;
    access::record(
        &*tx,
        store,
        actor,
        AccessAction::Update,
        Some(old.resident_id),
        &format!("scale_request:{request_id}"),
    )
    .await?;
    tx.commit().await
}

/// The professional ends a waakvlam indication, recording its outcome.
pub async fn end_indication(
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
        return Err(StoreError::Conflict(
            "this indication has ended already".into(),
        ));
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
