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
    entries(cx, Some(LOOK_BACK), SHOWN, "").await
}

/// `/me/log/download`: the same, all of it (NEN 7513 gives the resident the
/// right to their access log), newest first.
pub async fn download(cx: &Cx<'_>) -> StoreResult<Vec<AccessLogEntry>> {
    entries(cx, None, usize::MAX, ":download").await
}

async fn entries(
    cx: &Cx<'_>,
    look_back: Option<u64>,
    shown: usize,
    suffix: &str,
) -> StoreResult<Vec<AccessLogEntry>> {
    let resident_id = own_resident(cx, AccessAction::Read, "access_log")?;
    let own = cx.actor.account_id;
    let rows = access_log::Entity::find()
        .filter(access_log::Column::ResidentId.eq(resident_id))
        .order_by_desc(access_log::Column::OccurredAt)
        .order_by_desc(access_log::Column::Id)
        .limit(look_back)
        .all(cx.conn())
        .await?;
    cx.log(
        AccessAction::Read,
        Some(resident_id),
        format!("access_log:resident:{resident_id}{suffix}"),
    );
    Ok(rows
        .into_iter()
        .map(AccessLogEntry::from)
        .filter(|e| {
            e.account_id.is_some() && (e.account_id != own || is_password_by_code(&e.objects))
        })
        .take(shown)
        .collect())
}

/// The entry of a new password chosen with an activation code.
pub fn is_password_by_code(objects: &str) -> bool {
    objects.contains(":password:activation_code")
}
