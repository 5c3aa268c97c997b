//! The municipality's request to a provider to plan scaling down an
//! individual or intensive indication ("Vraag de aanbieder het afschalen te
//! plannen"), and the latest such request as the provider's professional
//! sees it on the resident's page.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use waakvlam_domain::access::AccessAction;
use waakvlam_domain::limits::{self, TextClass};

use crate::entity::{indication, scale_down_planning};
use crate::indications::decides_indications;
use crate::{
    Cx, IndicationId, ResidentId, StoreError, StoreResult, catalogue, from_millis, millis,
};

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
