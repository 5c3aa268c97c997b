//! The municipality's request to a provider to plan scaling down an
//! individual or intensive indication ("Vraag de aanbieder het afschalen te
//! plannen"), and the latest such request as the provider's professional
//! sees it on the resident's page.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use waakvlam_domain::access::AccessAction;
use waakvlam_domain::limits::{self, TextClass};

use crate::entity::{indication, scale_down_planning};
use crate::indications::decides_indications;
use crate::{
    Cx, IndicationId, PlanningRequestId, ResidentId, StoreError, StoreResult, catalogue,
    from_millis, millis,
};

/// The provider's answer to a request to plan a scale-down.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanningAnswer {
    pub answered_at: DateTime<Utc>,
    /// The day the provider proposes to scale down.
    pub proposed_date: Option<NaiveDate>,
    /// Why not yet (or a word with the date).
    pub reason: Option<String>,
}

impl PlanningAnswer {
    pub(crate) fn of(p: &scale_down_planning::Model) -> Option<PlanningAnswer> {
        p.answered_at.map(|at| PlanningAnswer {
            answered_at: from_millis(at),
            proposed_date: p.proposed_date,
            reason: p.answer_reason.clone(),
        })
    }
}

/// A municipality's request to plan a scale-down, as the provider sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanningRequest {
    pub indication_id: IndicationId,
    pub requested_at: DateTime<Utc>,
    pub note: Option<String>,
}

/// "Vraag de aanbieder het afschalen te plannen": records the request for
/// the provider of an individual or intensive indication.
pub async fn ask(cx: &Cx<'_>, indication_id: IndicationId, note: Option<&str>) -> StoreResult<()> {
    if !decides_indications(cx.actor) {
        return Err(StoreError::Denied);
    }
    if let Some(n) = note {
        limits::check_text("note", n.trim(), TextClass::Short)?;
    }
    let Some(m) = indication::Entity::find_by_id(indication_id.get())
        .filter(cx.actor.tenant.indication_filter())
        .one(cx.conn())
        .await?
    else {
        return Err(crate::indications::refused(cx, indication_id, AccessAction::Create).await?);
    };
    let level = catalogue::product_by_id(cx, crate::ProductId::new(m.product_id))
        .await?
        .map(|p| p.product.level);
    if !level.is_some_and(|l| l.requires_scale_down_moment()) {
        return Err(StoreError::refuse("indication", "scale-down-only-support"));
    }
    scale_down_planning::ActiveModel {
        indication_id: Set(m.id),
        resident_id: Set(m.resident_id),
        provider_id: Set(m.provider_id),
        requested_by: Set(cx.actor.account_id.map(i64::from)),
        requested_at: Set(millis(cx.now)),
        note: Set(note
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_owned)),
        ..Default::default()
    }
    .insert(cx.conn())
    .await?;
    // The provider plans it: the professional, else the team leads.
    let recipients = match m.professional_account_id {
        Some(p) => vec![crate::AccountId::new(p)],
        None => crate::notifications::resident_leads(cx, ResidentId::new(m.resident_id)).await?,
    };
    crate::notifications::enqueue_all(
        cx,
        &recipients,
        waakvlam_domain::notification::EventKind::ScaleDownPlanning,
        &format!("/clients/{}", m.resident_id),
    )
    .await?;
    cx.log(
        AccessAction::Create,
        Some(ResidentId::new(m.resident_id)),
        format!("scale_down_planning:indication:{}", m.id),
    );
    Ok(())
}

/// The latest request to plan a scale-down of a resident's indications the
/// actor may see (the professional's resident page shows it; not logged:
/// the page logs what it shows).
pub async fn latest_for(
    cx: &Cx<'_>,
    resident_id: ResidentId,
) -> StoreResult<Option<PlanningRequest>> {
    use sea_orm::QueryOrder;
    let visible = sea_orm::sea_query::Query::select()
        .column(indication::Column::Id)
        .from(indication::Entity)
        .cond_where(cx.actor.tenant.indication_filter())
        .and_where(indication::Column::ResidentId.eq(resident_id))
        .to_owned();
    Ok(scale_down_planning::Entity::find()
        .filter(scale_down_planning::Column::ResidentId.eq(resident_id))
        .filter(scale_down_planning::Column::IndicationId.in_subquery(visible))
        .order_by_desc(scale_down_planning::Column::RequestedAt)
        .one(cx.conn())
        .await?
        .map(|p| PlanningRequest {
            indication_id: IndicationId::new(p.indication_id),
            requested_at: from_millis(p.requested_at),
            note: p.note,
        }))
}

/// What sending the inventory did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sent {
    /// Requests written (indications that had none waiting for an answer).
    pub requests: u32,
    /// Providers they went to.
    pub providers: u32,
}

/// "Stuur de inventarisatie naar alle aanbieders": one request to plan the
/// scale-down for every indication of the scale-down inventory (a planned
/// moment within `months` months, or none at all) that has no request
/// waiting for an answer yet, so every contracted provider gets its list in
/// one action. All or nothing.
pub async fn ask_all(cx: &Cx<'_>, months: u32) -> StoreResult<Sent> {
    if !decides_indications(cx.actor) {
        return Err(cx.deny(AccessAction::Create, None, "scale_down_planning:inventory"));
    }
    let today = cx.today();
    let inventory = crate::read::worklist::scale_down_inventory(cx, today, months).await?;
    let listed: Vec<_> = inventory
        .by_provider
        .into_iter()
        .flat_map(|(_, list)| list)
        .chain(inventory.without_moment)
        .collect();
    let waiting: std::collections::HashSet<i64> = scale_down_planning::Entity::find()
        .filter(
            scale_down_planning::Column::IndicationId
                .is_in(listed.iter().map(|w| w.indication_id.get())),
        )
        .filter(scale_down_planning::Column::AnsweredAt.is_null())
        .all(cx.conn())
        .await?
        .into_iter()
        .map(|p| p.indication_id)
        .collect();
    let mut providers = std::collections::BTreeSet::new();
    let mut requests = 0;
    for w in listed
        .iter()
        .filter(|w| !waiting.contains(&w.indication_id.get()))
    {
        scale_down_planning::ActiveModel {
            indication_id: Set(w.indication_id.get()),
            resident_id: Set(w.resident_id.get()),
            provider_id: Set(w.provider_id.get()),
            requested_by: Set(cx.actor.account_id.map(i64::from)),
            requested_at: Set(millis(cx.now)),
            ..Default::default()
        }
        .insert(cx.conn())
        .await?;
        cx.log(
            AccessAction::Create,
            Some(w.resident_id),
            format!("scale_down_planning:indication:{}", w.indication_id),
        );
        providers.insert(w.provider_id);
        requests += 1;
    }
    Ok(Sent {
        requests,
        providers: u32::try_from(providers.len()).unwrap_or(u32::MAX),
    })
}

/// A request waiting for the provider's answer, as its team lead sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenRequest {
    pub id: PlanningRequestId,
    pub resident_id: ResidentId,
    pub resident_name: String,
    pub product_code: String,
    pub professional_name: Option<String>,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub planned_scale_down: Option<NaiveDate>,
    pub requested_at: DateTime<Utc>,
    pub note: Option<String>,
}

/// The requests of the team lead's provider that wait for an answer, oldest
/// first; each resident shown is logged (one search).
pub async fn open_for_provider(cx: &Cx<'_>) -> StoreResult<Vec<OpenRequest>> {
    use sea_orm::QueryOrder;
    let provider = crate::intake::lead_provider(cx, AccessAction::Read).await?;
    let rows = scale_down_planning::Entity::find()
        .filter(scale_down_planning::Column::ProviderId.eq(provider))
        .filter(scale_down_planning::Column::AnsweredAt.is_null())
        .order_by_asc(scale_down_planning::Column::RequestedAt)
        .order_by_asc(scale_down_planning::Column::Id)
        .all(cx.conn())
        .await?;
    let indications: std::collections::HashMap<i64, indication::Model> = indication::Entity::find()
        .filter(indication::Column::Id.is_in(rows.iter().map(|r| r.indication_id)))
        .all(cx.conn())
        .await?
        .into_iter()
        .map(|i| (i.id, i))
        .collect();
    let residents: std::collections::HashMap<i64, String> = crate::entity::resident::Entity::find()
        .filter(crate::entity::resident::Column::Id.is_in(rows.iter().map(|r| r.resident_id)))
        .all(cx.conn())
        .await?
        .into_iter()
        .map(|r| (r.id, r.display_name()))
        .collect();
    let professionals = crate::accounts::display_names(
        cx,
        indications
            .values()
            .filter_map(|i| i.professional_account_id)
            .collect(),
    )
    .await?;
    let products = catalogue::products(cx).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let Some(i) = indications.get(&r.indication_id) else {
            continue;
        };
        // A request about an indication that has ended no longer asks anything.
        if i.end_reason.is_some() {
            continue;
        }
        out.push(OpenRequest {
            id: PlanningRequestId::new(r.id),
            resident_id: ResidentId::new(r.resident_id),
            resident_name: residents.get(&r.resident_id).cloned().unwrap_or_default(),
            product_code: products
                .iter()
                .find(|p| p.id == i.product_id)
                .map(|p| p.product.code.as_str().to_owned())
                .unwrap_or_default(),
            professional_name: i
                .professional_account_id
                .and_then(|id| professionals.get(&id).cloned()),
            start_date: i.start_date,
            end_date: i.end_date,
            planned_scale_down: i.planned_scale_down_date,
            requested_at: from_millis(r.requested_at),
            note: r.note,
        });
    }
    cx.log_search("scale_down_planning", out.iter().map(|o| o.resident_id));
    Ok(out)
}

/// The provider's answer: a proposed day to scale down, or why not yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    pub proposed_date: Option<NaiveDate>,
    pub reason: Option<String>,
}

/// A team lead of the provider answers a request: a proposed day (from
/// today up to the indication's end), or a reason why not yet; at least one
/// of them. A request of another provider, or one already answered, is
/// refused as not found (and logged).
pub async fn answer(cx: &Cx<'_>, id: PlanningRequestId, a: &Answer) -> StoreResult<()> {
    let provider = crate::intake::lead_provider(cx, AccessAction::Update).await?;
    let object = format!("scale_down_planning:{id}");
    let Some(row) = scale_down_planning::Entity::find_by_id(id.get())
        .filter(scale_down_planning::Column::ProviderId.eq(provider))
        .filter(scale_down_planning::Column::AnsweredAt.is_null())
        .one(cx.conn())
        .await?
    else {
        let resident = scale_down_planning::Entity::find_by_id(id.get())
            .one(cx.conn())
            .await?
            .map(|r| ResidentId::new(r.resident_id));
        return Err(cx.not_found(AccessAction::Update, resident, object, "request"));
    };
    let indication = indication::Entity::find_by_id(row.indication_id)
        .one(cx.conn())
        .await?
        .ok_or(StoreError::NotFound { what: "indication" })?;
    let reason = crate::portal::clean_text_in("reason", a.reason.clone(), false, TextClass::Short)?;
    let mut refusals = Vec::new();
    match a.proposed_date {
        Some(d) if d < cx.today() => refusals.push(waakvlam_domain::Refusal::because(
            "proposed_date",
            "scale-down-date-past",
        )),
        Some(d) if indication.end_date.is_some_and(|end| d > end) => {
            refusals.push(waakvlam_domain::Refusal::new(
                "proposed_date",
                waakvlam_domain::Reason::new("scale-down-date-after-end").with(
                    "end",
                    indication
                        .end_date
                        .map(|e| e.format("%d-%m-%Y").to_string())
                        .unwrap_or_default(),
                ),
            ));
        }
        None if reason.is_none() => refusals.push(waakvlam_domain::Refusal::because(
            "proposed_date",
            "scale-down-answer-required",
        )),
        _ => {}
    }
    if !refusals.is_empty() {
        return Err(StoreError::Invalid(refusals));
    }
    let resident = ResidentId::new(row.resident_id);
    let mut am: scale_down_planning::ActiveModel = row.into();
    am.answered_at = Set(Some(millis(cx.now)));
    am.answered_by = Set(cx.actor.account_id.map(i64::from));
    am.proposed_date = Set(a.proposed_date);
    am.answer_reason = Set(reason);
    am.update(cx.conn()).await?;
    cx.log(AccessAction::Update, Some(resident), object);
    Ok(())
}
