//! A plan shared with me (`/shared/{id}`).

use waakvlam_domain::access::AccessAction;

use crate::portal::plan::{self, SharedPlan};
use crate::{Cx, ResidentId, StoreResult};

/// `/shared/{id}`: the plan, refused (and logged) unless the actor may see it
/// at this moment: a party the resident shares it with, or their care team
/// while the resident has not taken the plan away from them. The message
/// thread is not part of it: it is between the resident and their care team.
pub async fn page(cx: &Cx<'_>, resident_id: ResidentId) -> StoreResult<SharedPlan> {
    let plan = plan::shared_plan(cx, resident_id).await?;
    cx.log(
        AccessAction::Read,
        Some(resident_id),
        format!("resident:{resident_id}:plan"),
    );
    Ok(plan)
}
