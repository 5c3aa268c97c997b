//! The resident's own plan (`/me/plan`): the plan as they share it, the
//! goals they proposed and who their contact person is (for the printed plan).

use waakvlam_domain::access::AccessAction;

use crate::care_record::{self, ContactPerson};
use crate::portal::own_resident;
use crate::portal::plan::{self, Proposal, SharedPlan};
use crate::{Cx, StoreResult};

/// What `/me/plan` shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnPlan {
    pub plan: SharedPlan,
    /// Every goal the resident proposed, newest first, with where it stands.
    pub proposals: Vec<Proposal>,
    pub contact_person: Option<ContactPerson>,
}

/// `/me/plan` for the resident the actor is.
pub async fn page(cx: &Cx<'_>) -> StoreResult<OwnPlan> {
    let resident_id = own_resident(cx, AccessAction::Read, "plan")?;
    let shared = plan::shared_plan(cx, resident_id).await?;
    let proposals = plan::proposals(cx, resident_id, false).await?;
    let contact_person = care_record::contact_person(cx, resident_id, cx.today()).await?;
    cx.log(
        AccessAction::Read,
        Some(resident_id),
        format!("resident:{resident_id}:plan"),
    );
    Ok(OwnPlan {
        plan: shared,
        proposals,
        contact_person,
    })
}
