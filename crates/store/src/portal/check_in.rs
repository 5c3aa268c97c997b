//! "Hoe gaat het met je?": the resident's own check-in, which the
//! professional sees on the resident page and the signal engine reads.

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use waakvlam_domain::access::AccessAction;
use waakvlam_domain::care::Wellbeing;

use super::{clean_text, own_resident};
use crate::care_record;
use crate::entity::check_in;
use crate::{CheckInId, Cx, ResidentId, StoreResult, from_millis};

/// The resident checks in.
pub async fn add(
    cx: &Cx<'_>,
    wellbeing: Wellbeing,
    note: Option<String>,
) -> StoreResult<CheckInId> {
    let resident_id = own_resident(cx, AccessAction::Create, "check_in")?;
    let note = clean_text("note", note, false)?;
    care_record::add_check_in(cx, resident_id, cx.now, wellbeing.value(), note).await
}

/// A check-in as the resident sees it back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckInView {
    pub at: DateTime<Utc>,
    pub wellbeing: u8,
    pub note: Option<String>,
}

/// The resident's latest check-in, if any (not logged: the page that shows
/// it logs what it shows; the caller has checked access).
pub(crate) async fn latest(
    cx: &Cx<'_>,
    resident_id: ResidentId,
) -> StoreResult<Option<CheckInView>> {
    let row = check_in::Entity::find()
        .filter(check_in::Column::ResidentId.eq(resident_id))
        .order_by_desc(check_in::Column::SubmittedAt)
        .one(cx.conn())
        .await?;
    Ok(row.map(|c| CheckInView {
        at: from_millis(c.submitted_at),
        wellbeing: u8::try_from(c.wellbeing).unwrap_or(3),
        note: c.note,
    }))
}
