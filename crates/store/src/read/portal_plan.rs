//! The resident's own plan (`/me/plan`).

use waakvlam_domain::access::AccessAction;

use crate::portal::own_resident;
use crate::portal::plan::{self, SharedPlan};
use crate::{Cx, StoreResult};

/// `/me/plan` for the resident the actor is.
pub async fn page(cx: &Cx<'_>) -> StoreResult<SharedPlan> {
    let resident_id = own_resident(cx, AccessAction::Read, "plan")?;
    let plan = plan::shared_plan(cx, resident_id).await?;
    cx.log(
        AccessAction::Read,
        Some(resident_id),
        format!("resident:{resident_id}:plan"),
    );
    Ok(plan)
}
