//! The municipality's search for residents (`/residents`).

use crate::residents::{self, Resident};
use crate::{Cx, StoreResult};

/// At most this many residents are listed.
pub const LIMIT: u64 = 200;

/// The residents the actor may see whose name contains `q` (all when
/// empty), ordered by family name. One read, logged as one search.
pub async fn page(cx: &Cx<'_>, q: &str) -> StoreResult<Vec<Resident>> {
    residents::search(cx, Some(q), LIMIT).await
}
