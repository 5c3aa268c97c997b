//! Who looked at my data (`/me/log`).

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use waakvlam_domain::access::AccessAction;

use crate::access::AccessLogEntry;
use crate::entity::access_log;
use crate::portal::own_resident;
use crate::{Cx, StoreResult};

/// How far back the page looks, in entries.
const LOOK_BACK: u64 = 300;
/// How many entries the page shows.
const SHOWN: usize = 50;

/// `/me/log`: of the newest entries about the resident the actor is, those
/// by people (not the resident themselves, not the system's own work), the
/// newest first — and every new password chosen with an activation code,
/// even when it is logged as the resident's own: whoever had the code acted
/// as them, and the resident must see that it happened.
pub async fn page(cx: &Cx<'_>) -> StoreResult<Vec<AccessLogEntry>> {
    let resident_id = own_resident(cx, AccessAction::Read, "access_log")?;
    let own = cx.actor.account_id;
    let rows = access_log::Entity::find()
        .filter(access_log::Column::ResidentId.eq(resident_id))
        .order_by_desc(access_log::Column::OccurredAt)
        .order_by_desc(access_log::Column::Id)
        .limit(LOOK_BACK)
        .all(cx.conn())
        .await?;
    cx.log(
        AccessAction::Read,
        Some(resident_id),
        format!("access_log:resident:{resident_id}"),
    );
    Ok(rows
        .into_iter()
        .map(AccessLogEntry::from)
        .filter(|e| {
            e.account_id.is_some() && (e.account_id != own || is_password_by_code(&e.objects))
        })
        .take(SHOWN)
        .collect())
}

/// The entry of a new password chosen with an activation code.
pub fn is_password_by_code(objects: &str) -> bool {
    objects.contains(":password:activation_code")
}
