//! The care record around an indication: plan, contacts, check-ins, bells
//! and consents (scale requests have their own module, `scale_request`).
//!
//! These writers are the storage primitives; each works inside the
//! operation's unit of work and notes the access-log entry for what it writes.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
};
use waakvlam_domain::access::AccessAction;
use waakvlam_domain::care::{BellState, ConsentParty, ContactChannel, Initiator};

use crate::entity::{bell, check_in, consent, contact, plan_item, plan_progress};
use crate::id::ResidentId;
use crate::{Cx, StoreResult, millis};

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
        Some(ResidentId::new(c.resident_id)),
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
        Some(ResidentId::new(resident_id)),
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
        Some(ResidentId::new(b.resident_id)),
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
        Some(ResidentId::new(resident_id)),
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
        Some(ResidentId::new(p.resident_id)),
        format!("plan_progress:{}", m.id),
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
        Some(ResidentId::new(c.resident_id)),
        format!("consent:{}", m.id),
    );
    Ok(m.id)
}
