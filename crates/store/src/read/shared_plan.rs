//! A plan shared with me and the resident's thread (`/shared/{id}`).

use waakvlam_domain::access::AccessAction;

use crate::portal::message::{self, Message};
use crate::portal::plan::{self, SharedPlan};
use crate::{Cx, ResidentId, StoreResult};

/// What `/shared/{id}` shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SharedPlanPage {
    pub plan: SharedPlan,
    pub thread: Vec<Message>,
}

/// `/shared/{id}`: refused (and logged) unless the actor may see what the
/// resident shares at this moment.
pub async fn page(cx: &Cx<'_>, resident_id: ResidentId) -> StoreResult<SharedPlanPage> {
    let plan = plan::shared_plan(cx, resident_id).await?;
    let thread = message::thread(cx, resident_id).await?;
    cx.log(
        AccessAction::Read,
        Some(resident_id),
        format!("resident:{resident_id}:plan,messages"),
    );
    Ok(SharedPlanPage { plan, thread })
}
