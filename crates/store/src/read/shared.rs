//! The plans shared with me (`/shared`).

use crate::portal::consent::{self, SharedWithMe};
use crate::{Cx, StoreResult};

/// `/shared`: the residents who share their plan with the actor now.
pub async fn page(cx: &Cx<'_>) -> StoreResult<Vec<SharedWithMe>> {
    let rows = consent::shared_with_me(cx).await?;
    cx.log_search("consent", rows.iter().map(|r| r.resident_id));
    Ok(rows)
}
