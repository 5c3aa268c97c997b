//! The resident's home (`/me`): who to call and the last check-in.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use waakvlam_domain::access::AccessAction;

use crate::entity::bell;
use crate::{from_millis, millis};

use crate::care_record::ContactPerson;
use crate::portal::check_in::{self, CheckInView};
use crate::portal::own_resident;
use crate::{Cx, StoreResult};

/// What `/me` shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MePage {
    pub contact: Option<ContactPerson>,
    pub last_check_in: Option<CheckInView>,
    /// The contact person changed in the last 30 days: who it is now.
    pub new_contact: Option<crate::handover::NewContactPerson>,
    /// The resident's latest bell of the last two weeks that is not resolved.
    pub bell: Option<BellSeen>,
}

/// Whether the resident's call for help was seen, and when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BellSeen {
    pub rung_at: DateTime<Utc>,
    /// When a professional picked it up (none: not yet).
    pub seen_at: Option<DateTime<Utc>>,
}

/// `/me` for the resident the actor is, on `today`.
pub async fn page(cx: &Cx<'_>, today: NaiveDate) -> StoreResult<MePage> {
    let resident_id = own_resident(cx, AccessAction::Read, "portal:me")?;
    let contact = crate::care_record::contact_person(cx, resident_id, today).await?;
    let last_check_in = check_in::latest(cx, resident_id).await?;
    let new_contact = crate::handover::told_to_resident(cx, resident_id).await?;
    let since = millis(cx.now - TimeDelta::days(14));
    let bell = bell::Entity::find()
        .filter(bell::Column::ResidentId.eq(resident_id))
        .filter(bell::Column::RungAt.gte(since))
        .filter(bell::Column::ResolvedAt.is_null())
        .order_by_desc(bell::Column::RungAt)
        .order_by_desc(bell::Column::Id)
        .one(cx.conn())
        .await?
        .map(|b| BellSeen {
            rung_at: from_millis(b.rung_at),
            seen_at: b.acknowledged_at.map(from_millis),
        });
    cx.log(
        AccessAction::Read,
        Some(resident_id),
        format!("resident:{resident_id}:contact_person,check_in:latest,bell:latest"),
    );
    Ok(MePage {
        contact,
        last_check_in,
        new_contact,
        bell,
    })
}
