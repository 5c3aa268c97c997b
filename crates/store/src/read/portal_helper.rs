//! Choose my helper (`/me/helper`).

use chrono::NaiveDate;
use waakvlam_domain::access::AccessAction;

use crate::portal::helper::{self, Helper};
use crate::portal::helper_request::{self, HelperRequest};
use crate::portal::own_resident;
use crate::{Cx, StoreResult};

/// What `/me/helper` shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HelperPage {
    /// The professionals the resident can choose, by name.
    pub helpers: Vec<Helper>,
    /// The resident's newest request.
    pub request: Option<HelperRequest>,
}

/// `/me/helper` for the resident the actor is, on `today`.
pub async fn page(cx: &Cx<'_>, today: NaiveDate) -> StoreResult<HelperPage> {
    let resident_id = own_resident(cx, AccessAction::Read, "helpers")?;
    let helpers = helper::helpers(cx, resident_id, today).await?;
    let request = helper_request::newest(cx, resident_id).await?;
    cx.log(
        AccessAction::Read,
        Some(resident_id),
        format!("resident:{resident_id}:helpers"),
    );
    Ok(HelperPage { helpers, request })
}
