//! The scale request: a professional asks the municipality to scale support
//! up or down (or to end it) for a resident they know, without a new intake;
//! the municipality decides. Approving one updates the pathway in one
//! transaction: the old indication ends the day before the new one starts,
//! and the successor keeps the professional and team. Approving "end
//! support" ends the old indication with an outcome.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use waakvlam_domain::access::AccessAction;
use waakvlam_domain::care::{RequestStatus, ScaleDirection, Urgency};
use waakvlam_domain::indication::{EndReason, WaakvlamOutcome, successor_dates};
use waakvlam_domain::limits::{self, Refusals, TextClass};
use waakvlam_domain::product::IntensityLevel;
use waakvlam_domain::refusal::Explain;
use waakvlam_domain::refusal::{Reason, Refusal};

use crate::changes::{self, Change};
use crate::entity::{indication, scale_request};
use crate::indications::{self, Indication, NewIndication};
use crate::residents::visible;
use crate::{
    AccountId, Cx, IndicationId, ProductId, ResidentId, ScaleRequestId, StoreError, StoreResult,
    catalogue, millis,
};

#[derive(Clone, Debug)]
pub struct NewScaleRequest {
    pub indication_id: IndicationId,
    pub resident_id: ResidentId,
    pub direction: ScaleDirection,
    pub requested_product_id: Option<ProductId>,
    pub requested_start: NaiveDate,
    pub reason: String,
    pub urgency: Urgency,
    pub status: RequestStatus,
    pub requested_by: Option<AccountId>,
    pub requested_at: DateTime<Utc>,
    pub decided: Option<(AccountId, DateTime<Utc>, Option<String>)>,
    pub successor_indication_id: Option<IndicationId>,
}

/// Stores a scale request (the storage primitive; [`ask`] checks it first).
pub async fn add(cx: &Cx<'_>, r: &NewScaleRequest) -> StoreResult<ScaleRequestId> {
    let m = scale_request::ActiveModel {
        indication_id: Set(r.indication_id.get()),
        resident_id: Set(r.resident_id.get()),
        direction: Set(r.direction.as_str().to_owned()),
        requested_product_id: Set(r.requested_product_id.map(ProductId::get)),
        requested_start: Set(r.requested_start),
        reason: Set(r.reason.clone()),
        urgency: Set(r.urgency.as_str().to_owned()),
        status: Set(r.status.as_str().to_owned()),
        requested_by: Set(r.requested_by.map(AccountId::get)),
        requested_at: Set(millis(r.requested_at)),
        decided_by: Set(r.decided.as_ref().map(|(by, _, _)| by.get())),
        decided_at: Set(r.decided.as_ref().map(|(_, at, _)| millis(*at))),
        decision_note: Set(r.decided.as_ref().and_then(|(_, _, note)| note.clone())),
        successor_indication_id: Set(r.successor_indication_id.map(IndicationId::get)),
        ..Default::default()
    }
    .insert(cx.conn())
    .await?;
    cx.log(
        AccessAction::Create,
        Some(r.resident_id),
        format!("scale_request:{}", m.id),
    );
    Ok(ScaleRequestId::new(m.id))
}

/// A professional asks the municipality to scale up or down. It keeps the
/// professional and needs no new intake; the municipality decides.
pub async fn ask(cx: &Cx<'_>, r: &NewScaleRequest) -> StoreResult<ScaleRequestId> {
    let mut refused = Refusals::new();
    if r.reason.trim().is_empty() {
        refused.push(Refusal::because("reason", "reason"));
    } else {
        refused.check(limits::check_text(
            "reason",
            r.reason.trim(),
            TextClass::Short,
        ));
    }
    refused.check(limits::check_care_date(
        "start_date",
        r.requested_start,
        cx.today(),
    ));
    refused.into_result()?;
    visible(cx, r.resident_id, AccessAction::Create).await?;
    let (tx, actor) = (cx.conn(), cx.actor);
    let Some(current) = indication::Entity::find_by_id(r.indication_id.get())
        .filter(indication::Column::ResidentId.eq(r.resident_id))
        .filter(actor.tenant.indication_filter())
        .one(tx)
        .await?
    else {
        return Err(crate::indications::refused(cx, r.indication_id, AccessAction::Create).await?);
    };
    if r.requested_start <= current.start_date {
        return Err(StoreError::refuse("start_date", "start-after-current"));
    }
    // After the support ended, a request is for a new allocation: of what.
    if current.end_date.is_some_and(|e| e < r.requested_start) && r.requested_product_id.is_none() {
        return Err(StoreError::refuse("product", "product-choose"));
    }
    let open = scale_request::Entity::find()
        .filter(scale_request::Column::IndicationId.eq(current.id))
        .filter(scale_request::Column::Status.eq(RequestStatus::Pending.as_str()))
        .one(tx)
        .await?;
    if open.is_some() {
        return Err(StoreError::conflict("", Reason::new("request-waiting")));
    }
    // The request's own access-log entry is written with it.
    let id = add(cx, r).await?;
    // Exchanged with the municipality as a WMO317 when the allocation was.
    crate::iwmo::request::asked(
        cx,
        id,
        &current,
        r.direction,
        r.requested_product_id.map(ProductId::get),
        r.requested_start,
    )
    .await?;
    Ok(id)
}

/// A request waiting for the municipality, as the worklist shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WaitingRequest {
    pub id: ScaleRequestId,
    pub resident_id: ResidentId,
    pub resident_name: String,
    pub direction: ScaleDirection,
    pub product_code: Option<String>,
    pub requested_start: NaiveDate,
    pub requested_at: DateTime<Utc>,
    pub urgency: Urgency,
    pub reason: String,
}

/// Requests awaiting a decision in the actor's tenant, oldest first. Logged
/// as a search over the residents concerned.
pub async fn waiting(cx: &Cx<'_>) -> StoreResult<Vec<WaitingRequest>> {
    let out = waiting_in(cx).await?;
    cx.log_search("scale_request", out.iter().map(|r| r.resident_id));
    Ok(out)
}

/// [`waiting`] without its log entry, for a page that logs what it shows.
pub(crate) async fn waiting_in(cx: &Cx<'_>) -> StoreResult<Vec<WaitingRequest>> {
    use sea_orm::QueryOrder;
    let actor = cx.actor;
    let rows = scale_request::Entity::find()
        .filter(scale_request::Column::Status.eq(RequestStatus::Pending.as_str()))
        .filter(
            scale_request::Column::IndicationId.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(indication::Column::Id)
                    .from(indication::Entity)
                    .cond_where(actor.tenant.indication_filter())
                    .to_owned(),
            ),
        )
        .order_by_asc(scale_request::Column::RequestedAt)
        .all(cx.conn())
        .await?;
    let products = crate::catalogue::products(cx).await?;
    // The residents in one query, not one per request.
    let names: std::collections::HashMap<i64, String> = crate::entity::resident::Entity::find()
        .filter(crate::entity::resident::Column::Id.is_in(rows.iter().map(|r| r.resident_id)))
        .filter(actor.tenant.resident_filter())
        .all(cx.conn())
        .await?
        .into_iter()
        .map(|m| (m.id, m.formal_name()))
        .collect();
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let Some(name) = names.get(&r.resident_id) else {
            continue;
        };
        out.push(WaitingRequest {
            id: ScaleRequestId::new(r.id),
            resident_id: ResidentId::new(r.resident_id),
            resident_name: name.clone(),
            direction: ScaleDirection::parse(&r.direction).unwrap_or(ScaleDirection::Up),
            product_code: r
                .requested_product_id
                .and_then(|id| products.iter().find(|p| p.id == id))
                .map(|p| p.product.code.as_str().to_owned()),
            requested_start: r.requested_start,
            requested_at: crate::from_millis(r.requested_at),
            urgency: Urgency::parse(&r.urgency).unwrap_or(Urgency::Normal),
            reason: r.reason,
        });
    }
    Ok(out)
}

/// What the consultant decides when approving.
#[derive(Clone, Debug)]
pub struct Approval {
    pub start: NaiveDate,
    /// Required when the new product is individual or intensive support.
    pub planned_scale_down: Option<NaiveDate>,
}

async fn pending_in_tenant(
    cx: &Cx<'_>,
    request_id: ScaleRequestId,
) -> StoreResult<(scale_request::Model, indication::Model)> {
    let (conn, actor) = (cx.conn(), cx.actor);
    let objects = format!("scale_request:{request_id}");
    let Some(r) = scale_request::Entity::find_by_id(request_id.get())
        .one(conn)
        .await?
    else {
        return Err(cx.not_found(AccessAction::Update, None, objects, "request"));
    };
    let Some(old) = indication::Entity::find_by_id(r.indication_id)
        .filter(actor.tenant.indication_filter())
        .one(conn)
        .await?
    else {
        let resident = Some(ResidentId::new(r.resident_id));
        return Err(cx.not_found(AccessAction::Update, resident, objects, "request"));
    };
    if r.status != RequestStatus::Pending.as_str() {
        return Err(StoreError::conflict("", Reason::new("request-decided")));
    }
    Ok((r, old))
}

/// Approves a request. Returns the successor indication (`None` when the
/// request was to end support).
pub async fn approve(
    cx: &Cx<'_>,
    request_id: ScaleRequestId,
    approval: &Approval,
) -> StoreResult<Option<Indication>> {
    let mut refused = Refusals::new();
    let today = cx.today();
    refused.check(limits::check_care_date("start_date", approval.start, today));
    if let Some(d) = approval.planned_scale_down {
        refused.check(limits::check_care_date("planned_scale_down_date", d, today));
    }
    refused.into_result()?;
    let (tx, actor) = (cx.conn(), cx.actor);
    let (r, old) = pending_in_tenant(cx, request_id).await?;
    // A request for a new allocation after the old one ended (a WMO315, or
    // the professional's "opnieuw aanvragen"): the old one stays as it ended.
    let already_ended = old.end_date.is_some_and(|e| e < approval.start);
    if already_ended && r.requested_product_id.is_none() {
        return Err(StoreError::conflict("", Reason::new("request-decided")));
    }
    let old_end = if already_ended {
        None
    } else {
        Some(
            successor_dates(old.start_date, approval.start)
                .map_err(|e| StoreError::from(e.refuse("start_date")))?,
        )
    };
    let now = millis(cx.now);
    let old_product = catalogue::product_by_id(cx, ProductId::new(old.product_id))
        .await?
        .ok_or(StoreError::NotFound { what: "product" })?;
    let direction = ScaleDirection::parse(&r.direction).unwrap_or(ScaleDirection::Up);
    let successor = match r.requested_product_id {
        Some(product_id) => {
            let product = catalogue::product_by_id(cx, ProductId::new(product_id))
                .await?
                .ok_or(StoreError::NotFound { what: "product" })?;
            let new = NewIndication {
                resident_id: ResidentId::new(old.resident_id),
                product_code: product.product.code.as_str().to_owned(),
                municipality_code: old.municipality_code.clone(),
                provider_id: crate::ProviderId::new(old.provider_id),
                allocation_number: None,
                issued_on: cx.now.date_naive(),
                start_date: approval.start,
                end_date: None,
                planned_scale_down_date: approval.planned_scale_down,
                agreed_result: old.agreed_result.clone(),
                predecessor_id: Some(IndicationId::new(old.id)),
                professional_account_id: old.professional_account_id.map(AccountId::new),
                team_id: old.team_id.map(crate::TeamId::new),
                contact_rhythm_days: (product.product.level == IntensityLevel::Waakvlam)
                    .then_some(old.contact_rhythm_days.unwrap_or(28)),
                end_reason: None,
                outcome: None,
            };
            Some(indications::create(cx, &new).await?)
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
    let resident_id = old.resident_id;
    let asked_by = r.requested_by.map(AccountId::new);
    // A request read or sent as a WMO315 or WMO317: the new allocation names it.
    let reference = r.iwmo_reference.clone();
    if let Some(old_end) = old_end {
        changes::record(
            tx,
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
        let mut am: indication::ActiveModel = old.clone().into();
        am.end_date = Set(Some(old_end));
        am.end_reason = Set(Some(end_reason.code().to_owned()));
        am.outcome = Set(outcome.map(|o| o.as_str().to_owned()));
        am.updated_at = Set(now);
        let ended = am.update(tx).await?;
        crate::iwmo::delivery::ended(cx, ended).await?;
    }
    let mut req: scale_request::ActiveModel = r.into();
    req.status = Set(RequestStatus::Approved.as_str().to_owned());
    req.decided_by = Set(actor.account_id.map(i64::from));
    req.decided_at = Set(Some(now));
    req.successor_indication_id = Set(successor.as_ref().map(|s| s.id.get()));
    req.update(tx).await?;
    record_decision(cx, request_id, RequestStatus::Approved).await?;
    // One WMO301 tells the provider both: the old allocation ends (at the
    // provider's request) and its successor, if any, starts.
    if crate::iwmo::decided_here(cx) {
        crate::iwmo::send_allocation(
            cx,
            ResidentId::new(resident_id),
            crate::ProviderId::new(old.provider_id),
            &old.municipality_code,
            &[(
                IndicationId::new(old.id),
                waakvlam_iwmo::wmo301::ChangeReason::InitiatedByProvider,
            )][..usize::from(!already_ended)],
            &successor
                .as_ref()
                .zip(reference)
                .map(|(s, r)| (s.id, r))
                .into_iter()
                .collect::<Vec<_>>(),
        )
        .await?;
    }
    tell_asker(cx, asked_by, ResidentId::new(resident_id)).await?;
    cx.log(
        AccessAction::Update,
        Some(ResidentId::new(resident_id)),
        format!("scale_request:{request_id},indication:{}", old.id),
    );
    Ok(successor)
}

/// Tells the professional who asked that the request was decided.
async fn tell_asker(
    cx: &Cx<'_>,
    asked_by: Option<AccountId>,
    resident: ResidentId,
) -> StoreResult<()> {
    if let Some(professional) = asked_by {
        crate::notifications::enqueue(
            cx,
            professional,
            waakvlam_domain::notification::EventKind::RequestDecided,
            &format!("/clients/{resident}"),
        )
        .await?;
    }
    Ok(())
}

/// The request's change from pending to `status`, in its history.
async fn record_decision(
    cx: &Cx<'_>,
    request_id: ScaleRequestId,
    status: RequestStatus,
) -> StoreResult<()> {
    changes::record(
        cx.conn(),
        cx.actor,
        millis(cx.now),
        Change {
            entity: "scale_request",
            id: request_id.get(),
            field: "status",
            old: Some(RequestStatus::Pending.as_str().into()),
            new: Some(status.as_str().into()),
        },
    )
    .await
}

/// Rejects a request with a reason the professional sees.
pub async fn reject(cx: &Cx<'_>, request_id: ScaleRequestId, reason: &str) -> StoreResult<()> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(StoreError::refuse("reason", "reason"));
    }
    limits::check_text("reason", reason, TextClass::Short)?;
    let (tx, actor) = (cx.conn(), cx.actor);
    let (r, old) = pending_in_tenant(cx, request_id).await?;
    crate::iwmo::request::rejected(cx, &r, &old).await?;
    let now = millis(cx.now);
    let asked_by = r.requested_by.map(AccountId::new);
    let mut req: scale_request::ActiveModel = r.into();
    req.status = Set(RequestStatus::Rejected.as_str().to_owned());
    req.decided_by = Set(actor.account_id.map(i64::from));
    req.decided_at = Set(Some(now));
    req.decision_note = Set(Some(reason.to_owned()));
    req.update(tx).await?;
    record_decision(cx, request_id, RequestStatus::Rejected).await?;
    tell_asker(cx, asked_by, ResidentId::new(old.resident_id)).await?;
    cx.log(
        AccessAction::Update,
        Some(ResidentId::new(old.resident_id)),
        format!("scale_request:{request_id}"),
    );
    Ok(())
}
