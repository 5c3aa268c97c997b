//! The team lead's requests for a helper (`/helper-requests`).

use crate::portal::helper_request::{self, HelperRequest};
use crate::{Cx, StoreResult};

/// `/helper-requests`: the requests waiting for the actor's team, oldest
/// first; refused (and logged) for anyone but a team lead.
pub async fn page(cx: &Cx<'_>) -> StoreResult<Vec<HelperRequest>> {
    let requests = helper_request::waiting(cx).await?;
    cx.log_search("helper_request", requests.iter().map(|r| r.resident_id));
    Ok(requests)
}
