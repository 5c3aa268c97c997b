//! The consultant's page to decide on one scale request
//! (`/worklist/requests/{id}`).

use waakvlam_domain::access::AccessAction;
use waakvlam_domain::product::IntensityLevel;

use crate::scale_request::{WaitingRequest, waiting_in};
use crate::{Cx, ScaleRequestId, StoreResult, catalogue};

/// What the decision page shows.
#[derive(Clone, Debug)]
pub struct DecidePage {
    pub request: WaitingRequest,
    /// The level of the requested product (`None` to end support).
    pub requested_level: Option<IntensityLevel>,
}

/// The request if it waits for a decision in the actor's tenant (else not
/// found). One read, logged as one entry on the resident.
pub async fn page(cx: &Cx<'_>, id: ScaleRequestId) -> StoreResult<DecidePage> {
    let Some(request) = waiting_in(cx).await?.into_iter().find(|r| r.id == id) else {
        return Err(cx.not_found(
            AccessAction::Read,
            None,
            format!("scale_request:{id}"),
            "request",
        ));
    };
    let requested_level = match &request.product_code {
        Some(code) => catalogue::product_by_code(cx, code)
            .await?
            .map(|p| p.product.level),
        None => None,
    };
    cx.log(
        AccessAction::Read,
        Some(request.resident_id),
        format!("scale_request:{id}"),
    );
    Ok(DecidePage {
        request,
        requested_level,
    })
}
