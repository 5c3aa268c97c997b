//! A resident's request for another helper, and the team lead's decision.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};
use waakvlam_domain::access::AccessAction;

use super::helper::{current_indication, helpers};
use super::own_resident;
use crate::entity::{helper_request, indication, resident};
use crate::{
    AccountId, Cx, HelperRequestId, IndicationId, ResidentId, StoreError, StoreResult, Tenant,
    from_millis, millis,
};

/// Where a request for a helper stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HelperRequestStatus {
    Pending,
    Confirmed,
    Declined,
    Withdrawn,
}

impl HelperRequestStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            HelperRequestStatus::Pending => "pending",
            HelperRequestStatus::Confirmed => "confirmed",
            HelperRequestStatus::Declined => "declined",
            HelperRequestStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> HelperRequestStatus {
        match s {
            "confirmed" => HelperRequestStatus::Confirmed,
            "declined" => HelperRequestStatus::Declined,
            "withdrawn" => HelperRequestStatus::Withdrawn,
            _ => HelperRequestStatus::Pending,
        }
    }
}

/// A request for a helper.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HelperRequest {
    pub id: HelperRequestId,
    pub resident_id: ResidentId,
    pub resident_name: String,
    pub professional_account_id: AccountId,
    pub professional_name: String,
    pub current_professional: Option<String>,
    pub requested_at: DateTime<Utc>,
    pub status: HelperRequestStatus,
}

/// The resident chooses a helper; the team confirms. A newer choice replaces
/// a request still waiting.
pub async fn choose(
    cx: &Cx<'_>,
    professional: AccountId,
    today: NaiveDate,
) -> StoreResult<HelperRequestId> {
    let resident_id = own_resident(cx, AccessAction::Create, "helper_request")?;
    let choosable = helpers(cx, resident_id, today).await?;
    let Some(chosen) = choosable.iter().find(|h| h.account_id == professional) else {
        return Err(StoreError::refuse("professional", "helper-unavailable"));
    };
    if chosen.current {
        return Err(StoreError::refuse("professional", "helper-current"));
    }
    let Some(ind) = current_indication(cx, resident_id, today).await? else {
        return Err(StoreError::refuse("professional", "helper-no-support"));
    };
    let now = millis(cx.now);
    let waiting = helper_request::Entity::find()
        .filter(helper_request::Column::ResidentId.eq(resident_id))
        .filter(helper_request::Column::Status.eq(HelperRequestStatus::Pending.as_str()))
        .all(cx.conn())
        .await?;
    for w in waiting {
        let mut am: helper_request::ActiveModel = w.into();
        am.status = Set(HelperRequestStatus::Withdrawn.as_str().to_owned());
        am.decided_at = Set(Some(now));
        am.decided_by = Set(cx.actor.account_id.map(i64::from));
        am.update(cx.conn()).await?;
    }
    let m = helper_request::ActiveModel {
        resident_id: Set(resident_id.get()),
        professional_account_id: Set(professional.get()),
        indication_id: Set(ind.id),
        requested_at: Set(now),
        status: Set(HelperRequestStatus::Pending.as_str().to_owned()),
        decided_by: Set(None),
        decided_at: Set(None),
        ..Default::default()
    }
    .insert(cx.conn())
    .await?;
    cx.log(
        AccessAction::Create,
        Some(resident_id),
        format!("helper_request:{}", m.id),
    );
    Ok(HelperRequestId::new(m.id))
}

/// The requests as shown, with names read in one query per kind.
async fn views(cx: &Cx<'_>, rows: Vec<helper_request::Model>) -> StoreResult<Vec<HelperRequest>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let residents = resident::Entity::find()
        .filter(resident::Column::Id.is_in(rows.iter().map(|r| r.resident_id)))
        .all(cx.conn())
        .await?;
    let indications = indication::Entity::find()
        .filter(indication::Column::Id.is_in(rows.iter().map(|r| r.indication_id)))
        .all(cx.conn())
        .await?;
    // The contact person now of each request, by request id.
    let current: HashMap<i64, i64> = rows
        .iter()
        .filter_map(|r| {
            indications
                .iter()
                .find(|i| i.id == r.indication_id)
                .and_then(|i| i.professional_account_id)
                .map(|p| (r.id, p))
        })
        .collect();
    let mut accounts: Vec<i64> = rows.iter().map(|r| r.professional_account_id).collect();
    accounts.extend(current.values().copied());
    let names = crate::accounts::display_names(cx, accounts).await?;
    let name = |id: i64| names.get(&id).cloned().unwrap_or_default();
    let current_of = |r: &helper_request::Model| current.get(&r.id).copied();
    Ok(rows
        .iter()
        .map(|r| HelperRequest {
            id: HelperRequestId::new(r.id),
            resident_id: ResidentId::new(r.resident_id),
            resident_name: residents
                .iter()
                .find(|res| res.id == r.resident_id)
                .map(|res| res.formal_name())
                .unwrap_or_default(),
            professional_account_id: AccountId::new(r.professional_account_id),
            professional_name: name(r.professional_account_id),
            current_professional: current_of(r).map(name),
            requested_at: from_millis(r.requested_at),
            status: HelperRequestStatus::parse(&r.status),
        })
        .collect())
}

/// The resident's newest request for a helper (not logged: the page that
/// shows it logs what it shows).
pub(crate) async fn newest(
    cx: &Cx<'_>,
    resident_id: ResidentId,
) -> StoreResult<Option<HelperRequest>> {
    let row = helper_request::Entity::find()
        .filter(helper_request::Column::ResidentId.eq(resident_id))
        .filter(helper_request::Column::Status.ne(HelperRequestStatus::Withdrawn.as_str()))
        .order_by_desc(helper_request::Column::RequestedAt)
        .order_by_desc(helper_request::Column::Id)
        .one(cx.conn())
        .await?;
    Ok(match row {
        Some(r) => views(cx, vec![r]).await?.pop(),
        None => None,
    })
}

fn in_tenant(cx: &Cx<'_>) -> sea_orm::Condition {
    sea_orm::Condition::all().add(
        helper_request::Column::IndicationId.in_subquery(
            sea_orm::sea_query::Query::select()
                .column(indication::Column::Id)
                .from(indication::Entity)
                .cond_where(cx.actor.tenant.indication_filter())
                .to_owned(),
        ),
    )
}

/// Requests waiting for the actor's team (team leads); a refusal is noted on
/// `cx`, the page logs the search.
pub(crate) async fn waiting(cx: &Cx<'_>) -> StoreResult<Vec<HelperRequest>> {
    if !matches!(cx.actor.tenant, Tenant::Team { .. }) {
        return Err(cx.deny(AccessAction::Search, None, "helper_request"));
    }
    let rows = helper_request::Entity::find()
        .filter(helper_request::Column::Status.eq(HelperRequestStatus::Pending.as_str()))
        .filter(in_tenant(cx))
        .order_by_asc(helper_request::Column::RequestedAt)
        .all(cx.conn())
        .await?;
    views(cx, rows).await
}

/// The team lead confirms (the professional becomes the contact person) or
/// declines a request.
pub async fn decide(
    cx: &Cx<'_>,
    request_id: HelperRequestId,
    confirm: bool,
) -> StoreResult<HelperRequest> {
    let Some(r) = helper_request::Entity::find_by_id(request_id.get())
        .filter(helper_request::Column::Status.eq(HelperRequestStatus::Pending.as_str()))
        .filter(in_tenant(cx))
        .one(cx.conn())
        .await?
    else {
        // Logged as a denied attempt on the object, answered as not found.
        let objects = format!("helper_request:{request_id}");
        return Err(cx.not_found(AccessAction::Update, None, objects, "helper request"));
    };
    let resident_id = ResidentId::new(r.resident_id);
    let objects = format!("helper_request:{request_id}");
    if !matches!(cx.actor.tenant, Tenant::Team { .. }) {
        return Err(cx.deny(AccessAction::Update, Some(resident_id), objects));
    }
    if confirm {
        crate::indications::assign_professional(
            cx,
            IndicationId::new(r.indication_id),
            AccountId::new(r.professional_account_id),
        )
        .await?;
    }
    let mut am: helper_request::ActiveModel = r.into();
    am.status = Set(if confirm {
        HelperRequestStatus::Confirmed
    } else {
        HelperRequestStatus::Declined
    }
    .as_str()
    .to_owned());
    am.decided_by = Set(cx.actor.account_id.map(i64::from));
    am.decided_at = Set(Some(millis(cx.now)));
    let updated = am.update(cx.conn()).await?;
    cx.log(AccessAction::Update, Some(resident_id), objects);
    let mut view = views(cx, vec![updated]).await?;
    view.pop().ok_or(StoreError::NotFound {
        what: "helper request",
    })
}
