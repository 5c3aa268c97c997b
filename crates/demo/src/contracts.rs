//! The demo region's contract manager: keeps the Oosterschelderegio's
//! catalogue, tariffs and own contributions; sees no resident.

use anyhow::Result;
use waakvlam_domain::role::Role;
use waakvlam_store::Cx;
use waakvlam_store::accounts::Organisation;

/// The contract manager's name in [`crate::logins`].
pub(crate) const NAME: &str = "Lotte Minderhoud";

/// Creates `contract_manager@demo.waakvlam.nl` for the region.
pub(crate) async fn seed(cx: &Cx<'_>, region_id: i64) -> Result<()> {
    super::create_account(
        cx,
        "contract_manager@demo.waakvlam.nl",
        NAME,
        Role::ContractManager,
        Organisation {
            region_id: Some(waakvlam_store::RegionId::new(region_id)),
            ..Default::default()
        },
        None,
    )
    .await?;
    Ok(())
}
