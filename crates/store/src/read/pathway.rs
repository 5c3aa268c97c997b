//! The municipality's page of one resident (`/residents/{id}`): the whole
//! pathway, the chain of indications with the requests and decisions
//! between them.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use waakvlam_domain::access::AccessAction;
use waakvlam_domain::care::{RequestStatus, ScaleDirection, Urgency};

use crate::entity::{indication, provider, resident, scale_request};
use crate::indications::Indication;
use crate::read::indication::names;
use crate::residents::Resident;
use crate::{
    Cx, IndicationId, ResidentId, ScaleRequestId, StoreError, StoreResult, catalogue, from_millis,
};

/// A request between two indications of a pathway.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathwayRequest {
    pub id: ScaleRequestId,
    pub direction: ScaleDirection,
    pub product_code: Option<String>,
    pub requested_start: NaiveDate,
    pub urgency: Urgency,
    pub reason: String,
    pub status: RequestStatus,
    pub requested_by: Option<String>,
    pub requested_at: DateTime<Utc>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_note: Option<String>,
    pub successor_id: Option<IndicationId>,
}

/// One indication of a pathway with the requests made on it.
#[derive(Clone, Debug)]
pub struct PathwayStep {
    pub indication: Indication,
    pub product_code: String,
    pub product_name: String,
    pub provider_name: String,
    pub requests: Vec<PathwayRequest>,
}

/// A resident's whole pathway, oldest first.
#[derive(Clone, Debug)]
pub struct Pathway {
    pub resident: Resident,
    pub steps: Vec<PathwayStep>,
}

/// The resident's page for the municipality (`/residents/{id}`): their
/// indications (chains in order: a successor follows its predecessor) with
/// the requests and decisions on each. One read, one access-log entry.
pub async fn page(cx: &Cx<'_>, resident_id: ResidentId) -> StoreResult<Pathway> {
    let (tx, actor) = (cx.conn(), cx.actor);
    let objects = format!("resident:{resident_id}:pathway");
    let Some(r) = resident::Entity::find_by_id(resident_id.get())
        .filter(actor.tenant.resident_filter())
        .one(tx)
        .await?
    else {
        let exists = resident::Entity::find_by_id(resident_id.get())
            .one(tx)
            .await?
            .is_some();
        if exists {
            return Err(cx.deny(AccessAction::Read, Some(resident_id), objects));
        }
        return Err(StoreError::NotFound { what: "resident" });
    };
    let rows = indication::Entity::find()
        .filter(indication::Column::ResidentId.eq(resident_id))
        .filter(actor.tenant.indication_filter())
        .order_by_asc(indication::Column::StartDate)
        .order_by_asc(indication::Column::Id)
        .all(tx)
        .await?;
    let requests = scale_request::Entity::find()
        .filter(scale_request::Column::IndicationId.is_in(rows.iter().map(|i| i.id)))
        .order_by_asc(scale_request::Column::RequestedAt)
        .all(tx)
        .await?;
    let products = catalogue::products(cx).await?;
    let providers: HashMap<i64, String> = provider::Entity::find()
        .filter(provider::Column::Id.is_in(rows.iter().map(|i| i.provider_id)))
        .all(tx)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let people_ids: Vec<i64> = requests
        .iter()
        .flat_map(|q| [q.requested_by, q.decided_by])
        .flatten()
        .collect();
    let people = names(tx, people_ids).await?;
    cx.log(AccessAction::Read, Some(resident_id), objects);

    let mut steps: Vec<PathwayStep> = rows
        .into_iter()
        .map(|i| {
            let product = products.iter().find(|p| p.id == i.product_id);
            Ok(PathwayStep {
                product_code: product
                    .map(|p| p.product.code.as_str().to_owned())
                    .unwrap_or_default(),
                product_name: product.map(|p| p.product.name.clone()).unwrap_or_default(),
                provider_name: providers.get(&i.provider_id).cloned().unwrap_or_default(),
                requests: requests
                    .iter()
                    .filter(|q| q.indication_id == i.id)
                    .map(|q| PathwayRequest {
                        id: ScaleRequestId::new(q.id),
                        direction: ScaleDirection::parse(&q.direction)
                            .unwrap_or(ScaleDirection::Up),
                        product_code: q
                            .requested_product_id
                            .and_then(|id| products.iter().find(|p| p.id == id))
                            .map(|p| p.product.code.as_str().to_owned()),
                        requested_start: q.requested_start,
                        urgency: Urgency::parse(&q.urgency).unwrap_or(Urgency::Normal),
                        reason: q.reason.clone(),
                        status: RequestStatus::parse(&q.status).unwrap_or(RequestStatus::Pending),
                        requested_by: q.requested_by.and_then(|a| people.get(&a).cloned()),
                        requested_at: from_millis(q.requested_at),
                        decided_by: q.decided_by.and_then(|a| people.get(&a).cloned()),
                        decided_at: q.decided_at.map(from_millis),
                        decision_note: q.decision_note.clone(),
                        successor_id: q.successor_indication_id.map(IndicationId::new),
                    })
                    .collect(),
                indication: i.try_into()?,
            })
        })
        .collect::<StoreResult<_>>()?;
    order_chains(&mut steps);
    Ok(Pathway {
        resident: r.try_into()?,
        steps,
    })
}

/// Puts every successor right after its predecessor, keeping start order
/// otherwise, so a chain reads top to bottom.
fn order_chains(steps: &mut Vec<PathwayStep>) {
    let mut ordered: Vec<PathwayStep> = Vec::with_capacity(steps.len());
    let mut rest = std::mem::take(steps);
    while !rest.is_empty() {
        let next = ordered
            .last()
            .and_then(|last| {
                rest.iter()
                    .position(|s| s.indication.predecessor_id == Some(last.indication.id))
            })
            .unwrap_or(0);
        ordered.push(rest.remove(next));
    }
    *steps = ordered;
}
