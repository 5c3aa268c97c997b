//! The care record around an indication: plan, contacts, check-ins, bells,
//! scale requests and consents.
//!
//! These writers are the storage primitives; each works inside the
//! operation's unit of work and notes the access-log entry for what it writes.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
};
use waakvlam_domain::access::AccessAction;
use waakvlam_domain::care::{
    BellState, ConsentParty, ContactChannel, Initiator, RequestStatus, ScaleDirection, Urgency,
};

use crate::access;
use crate::entity::{
    bell, check_in, consent, contact, indication, plan_item, plan_progress, scale_request,
};
use crate::{Actor, Cx, Store, StoreResult, millis};

#[derive(Clone, Debug)]
pub struct NewContact {
    pub resident_id: i64,
    pub professional_account_id: Option<i64>,
    pub occurred_at: DateTime<Utc>,
    pub channel: ContactChannel,
    pub initiator: Initiator,
    pub duration_minutes: Option<i32>,
    pub wellbeing: Option<u8>,
    pub note: Option<String>,
}

pub async fn add_contact(cx: &Cx<'_>, c: &NewContact) -> StoreResult<i64> {
    let m = contact::ActiveModel {
        resident_id: Set(c.resident_id),
        professional_account_id: Set(c.professional_account_id),
        occurred_at: Set(millis(c.occurred_at)),
        channel: Set(c.channel.as_str().to_owned()),
        initiator: Set(c.initiator.as_str().to_owned()),
        duration_minutes: Set(c.duration_minutes),
        wellbeing: Set(c.wellbeing.map(i16::from)),
        note: Set(c.note.clone()),
        created_at: Set(millis(cx.now)),
        ..Default::default()
    }
    .insert(cx.conn())
    .await?;
    cx.log(
        AccessAction::Create,
        Some(c.resident_id),
        format!("contact:{}", m.id),
    );
    Ok(m.id)
}

pub async fn add_check_in(
    cx: &Cx<'_>,
    resident_id: i64,
    at: DateTime<Utc>,
    wellbeing: u8,
    note: Option<String>,
) -> StoreResult<i64> {
    let m = check_in::ActiveModel {
        resident_id: Set(resident_id),
        submitted_at: Set(millis(at)),
        wellbeing: Set(i16::from(wellbeing)),
        note: Set(note),
        ..Default::default()
    }
    .insert(cx.conn())
    .await?;
    cx.log(
        AccessAction::Create,
        Some(resident_id),
        format!("check_in:{}", m.id),
    );
    Ok(m.id)
}

/// A bell and, when it has been picked up, who did what when.
#[derive(Clone, Debug)]
pub struct NewBell {
    pub resident_id: i64,
    pub rung_at: DateTime<Utc>,
    pub message: Option<String>,
    pub acknowledged: Option<(DateTime<Utc>, i64)>,
    pub resolved: Option<(DateTime<Utc>, i64, String)>,
}

impl NewBell {
    pub fn state(&self) -> BellState {
        match (&self.acknowledged, &self.resolved) {
            (_, Some(_)) => BellState::Resolved,
            (Some(_), None) => BellState::Acknowledged,
            (None, None) => BellState::Rung,
        }
    }
}

pub async fn add_bell(cx: &Cx<'_>, b: &NewBell) -> StoreResult<i64> {
    let m = bell::ActiveModel {
        resident_id: Set(b.resident_id),
        rung_at: Set(millis(b.rung_at)),
        message: Set(b.message.clone()),
        acknowledged_at: Set(b.acknowledged.map(|(at, _)| millis(at))),
        acknowledged_by: Set(b.acknowledged.map(|(_, by)| by)),
        resolved_at: Set(b.resolved.as_ref().map(|(at, _, _)| millis(*at))),
        resolved_by: Set(b.resolved.as_ref().map(|(_, by, _)| *by)),
        resolution: Set(b.resolved.as_ref().map(|(_, _, text)| text.clone())),
        ..Default::default()
    }
    .insert(cx.conn())
    .await?;
    cx.log(
        AccessAction::Create,
        Some(b.resident_id),
        format!("bell:{}", m.id),
    );
    Ok(m.id)
}

/// A plan entry: a goal or an agreement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlanItemKind {
    Goal,
    Agreement,
}

impl PlanItemKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PlanItemKind::Goal => "goal",
            PlanItemKind::Agreement => "agreement",
        }
    }
}

pub async fn add_plan_item(
    cx: &Cx<'_>,
    resident_id: i64,
    kind: PlanItemKind,
    text: &str,
    at: DateTime<Utc>,
) -> StoreResult<i64> {
    let position = plan_item::Entity::find()
        .filter(plan_item::Column::ResidentId.eq(resident_id))
        .count(cx.conn())
        .await?;
    let m = plan_item::ActiveModel {
        resident_id: Set(resident_id),
        kind: Set(kind.as_str().to_owned()),
        text: Set(text.to_owned()),
        position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
        created_at: Set(millis(at)),
        updated_at: Set(millis(at)),
        archived_at: Set(None),
        ..Default::default()
    }
    .insert(cx.conn())
    .await?;
    cx.log(
        AccessAction::Create,
        Some(resident_id),
        format!("plan_item:{}", m.id),
    );
    Ok(m.id)
}

/// A progress entry in the plan, by the resident or a professional.
#[derive(Clone, Debug)]
pub struct NewProgress {
    pub resident_id: i64,
    pub plan_item_id: Option<i64>,
    pub author_account_id: Option<i64>,
    pub text: String,
    pub at: DateTime<Utc>,
}

pub async fn add_progress(cx: &Cx<'_>, p: &NewProgress) -> StoreResult<i64> {
    let m = plan_progress::ActiveModel {
        resident_id: Set(p.resident_id),
        plan_item_id: Set(p.plan_item_id),
        author_account_id: Set(p.author_account_id),
        text: Set(p.text.clone()),
        created_at: Set(millis(p.at)),
        ..Default::default()
    }
    .insert(cx.conn())
    .await?;
    cx.log(
        AccessAction::Create,
        Some(p.resident_id),
        format!("plan_progress:{}", m.id),
    );
    Ok(m.id)
}

#[derive(Clone, Debug)]
pub struct NewScaleRequest {
    pub indication_id: i64,
    pub resident_id: i64,
    pub direction: ScaleDirection,
    pub requested_product_id: Option<i64>,
    pub requested_start: NaiveDate,
    pub reason: String,
    pub urgency: Urgency,
    pub status: RequestStatus,
    pub requested_by: Option<i64>,
    pub requested_at: DateTime<Utc>,
    pub decided: Option<(i64, DateTime<Utc>, Option<String>)>,
    pub successor_indication_id: Option<i64>,
}

pub async fn add_scale_request(cx: &Cx<'_>, r: &NewScaleRequest) -> StoreResult<i64> {
    let m = scale_request::ActiveModel {
        indication_id: Set(r.indication_id),
        resident_id: Set(r.resident_id),
        direction: Set(r.direction.as_str().to_owned()),
        requested_product_id: Set(r.requested_product_id),
        requested_start: Set(r.requested_start),
        reason: Set(r.reason.clone()),
        urgency: Set(r.urgency.as_str().to_owned()),
        status: Set(r.status.as_str().to_owned()),
        requested_by: Set(r.requested_by),
        requested_at: Set(millis(r.requested_at)),
        decided_by: Set(r.decided.as_ref().map(|(by, _, _)| *by)),
        decided_at: Set(r.decided.as_ref().map(|(_, at, _)| millis(*at))),
        decision_note: Set(r.decided.as_ref().and_then(|(_, _, note)| note.clone())),
        successor_indication_id: Set(r.successor_indication_id),
        ..Default::default()
    }
    .insert(cx.conn())
    .await?;
    cx.log(
        AccessAction::Create,
        Some(r.resident_id),
        format!("scale_request:{}", m.id),
    );
    Ok(m.id)
}

/// A party the resident lets see their plan.
#[derive(Clone, Debug)]
pub struct NewConsent {
    pub resident_id: i64,
    pub party: ConsentParty,
    pub party_account_id: Option<i64>,
    pub party_name: String,
    pub granted_at: DateTime<Utc>,
}

pub async fn add_consent(cx: &Cx<'_>, c: &NewConsent) -> StoreResult<i64> {
    let m = consent::ActiveModel {
        resident_id: Set(c.resident_id),
        party_kind: Set(c.party.as_str().to_owned()),
        party_account_id: Set(c.party_account_id),
        party_name: Set(c.party_name.clone()),
        granted_at: Set(millis(c.granted_at)),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(cx.conn())
    .await?;
    cx.log(
        AccessAction::Create,
        Some(c.resident_id),
        format!("consent:{}", m.id),
    );
    Ok(m.id)
}

/// A request waiting for the municipality, as the worklist shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WaitingRequest {
    pub id: i64,
    pub resident_id: i64,
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
pub async fn waiting_requests(store: &Store, actor: &Actor) -> StoreResult<Vec<WaitingRequest>> {
    use sea_orm::QueryOrder;
    let tx = store.begin_read().await?;
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
        .all(&*tx)
        .await?;
    let products = crate::catalogue::products(&*tx).await?;
    // The residents in one query, not one per request.
    let names: std::collections::HashMap<i64, String> = crate::entity::resident::Entity::find()
        .filter(crate::entity::resident::Column::Id.is_in(rows.iter().map(|r| r.resident_id)))
        .filter(actor.tenant.resident_filter())
        .all(&*tx)
        .await?
        .into_iter()
        .map(|m| (m.id, crate::residents::Resident::from(m).formal_name()))
        .collect();
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let Some(name) = names.get(&r.resident_id) else {
            continue;
        };
        out.push(WaitingRequest {
            id: r.id,
            resident_id: r.resident_id,
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
    let ids = out
        .iter()
        .map(|r| r.resident_id.to_string())
        .collect::<Vec<_>>()
        .join(",");
    access::record(
        &*tx,
        store,
        actor,
        AccessAction::Search,
        None,
        &format!("scale_request:resident:{ids}"),
    )
    .await?;
    tx.commit().await?;
    Ok(out)
}
