//! The bell ("Ik wil hulp"): a resident's call for help.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use waakvlam_domain::access::AccessAction;

use waakvlam_domain::limits::TextClass;
use waakvlam_domain::notification::EventKind;

use super::{clean_text_in, own_resident};
use crate::care_record::{self, NewBell};
use crate::entity::bell;
use crate::{BellId, Cx, StoreResult};

/// The longest message with a bell.
pub const MAX_MESSAGE: usize = TextClass::Short.max();

/// The resident rings the bell: a call for help their professional sees at
/// the top of the caseload. Only the resident themselves can ring it; a
/// bell already open is not rung twice.
pub async fn ring(cx: &Cx<'_>, message: Option<String>) -> StoreResult<BellId> {
    let resident_id = own_resident(cx, AccessAction::Create, "bell")?;
    let message = clean_text_in("message", message, false, TextClass::Short)?;
    let open = bell::Entity::find()
        .filter(bell::Column::ResidentId.eq(resident_id))
        .filter(bell::Column::AcknowledgedAt.is_null())
        .one(cx.conn())
        .await?;
    if let Some(b) = open {
        return Ok(BellId::new(b.id));
    }
    let bell = NewBell {
        resident_id,
        rung_at: cx.now,
        message,
        acknowledged: None,
        resolved: None,
    };
    let id = care_record::add_bell(cx, &bell).await?;
    // Told in the same unit of work: a bell that is rung is always heard.
    crate::notifications::tell_care_team(cx, resident_id, EventKind::BellRung).await?;
    Ok(id)
}
