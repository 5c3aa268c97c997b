//! Who sees my plan (`/me/sharing`).

use chrono::NaiveDate;
use waakvlam_domain::access::AccessAction;

use crate::care_record::ContactPerson;
use crate::portal::consent::{self, Pending, Share};
use crate::portal::own_resident;
use crate::{ConsentId, Cx, StoreResult};

/// What `/me/sharing` shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SharingPage {
    pub contact: Option<ContactPerson>,
    pub shares: Vec<Share>,
    /// Invitations nobody accepted yet.
    pub pending: Vec<Pending>,
}

/// `/me/sharing` for the resident the actor is, on `today`.
pub async fn page(cx: &Cx<'_>, today: NaiveDate) -> StoreResult<SharingPage> {
    let resident_id = own_resident(cx, AccessAction::Read, "consent")?;
    let contact = crate::care_record::contact_person(cx, resident_id, today).await?;
    let shares = consent::shares(cx, resident_id).await?;
    let pending = consent::pending(cx, resident_id).await?;
    cx.log(
        AccessAction::Read,
        Some(resident_id),
        format!("resident:{resident_id}:consent,invitation,contact_person"),
    );
    Ok(SharingPage {
        contact,
        shares,
        pending,
    })
}

/// The one share of the resident the actor is that they are about to remove
/// (`POST /me/sharing/{id}/remove`, which asks first): an id that is not one
/// of their shares now is not found, and the refusal is logged.
pub async fn share(cx: &Cx<'_>, consent_id: ConsentId) -> StoreResult<Share> {
    let resident_id = own_resident(cx, AccessAction::Read, "consent")?;
    let Some(share) = consent::shares(cx, resident_id)
        .await?
        .into_iter()
        .find(|s| s.consent_id == consent_id)
    else {
        return Err(cx.not_found(
            AccessAction::Read,
            Some(resident_id),
            format!("consent:{consent_id}"),
            "consent",
        ));
    };
    cx.log(
        AccessAction::Read,
        Some(resident_id),
        format!("resident:{resident_id}:consent:{consent_id}"),
    );
    Ok(share)
}
