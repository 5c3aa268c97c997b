//! The resident's home (`/me`): who to call and the last check-in.

use chrono::NaiveDate;
use waakvlam_domain::access::AccessAction;

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
}

/// `/me` for the resident the actor is, on `today`.
pub async fn page(cx: &Cx<'_>, today: NaiveDate) -> StoreResult<MePage> {
    let resident_id = own_resident(cx, AccessAction::Read, "portal:me")?;
    let contact = crate::care_record::contact_person(cx, resident_id, today).await?;
    let last_check_in = check_in::latest(cx, resident_id).await?;
    let new_contact = crate::handover::told_to_resident(cx, resident_id).await?;
    cx.log(
        AccessAction::Read,
        Some(resident_id),
        format!("resident:{resident_id}:contact_person,check_in:latest"),
    );
    Ok(MePage {
        contact,
        last_check_in,
        new_contact,
    })
}
