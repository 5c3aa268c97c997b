//! The consultant's form for a new indication
//! (`/residents/{id}/indications/new`) or a change to one
//! (`/indications/{id}/edit`).

use waakvlam_domain::access::AccessAction;

use crate::catalogue::{self, CatalogueProduct};
use crate::entity::resident;
use crate::indications::Indication;
use crate::organisations::{self, Provider};
use crate::{Cx, IndicationId, ResidentId, StoreError, StoreResult, residents};

/// Which form.
#[derive(Clone, Copy, Debug)]
pub enum Target {
    /// A new indication for this resident.
    New(ResidentId),
    /// A change to this indication.
    Edit(IndicationId),
}

/// What the form shows.
#[derive(Clone, Debug)]
pub struct IndicationFormPage {
    pub resident_id: ResidentId,
    /// "Vries, J. de".
    pub resident_name: String,
    /// The indication to change, with its (fixed) product.
    pub editing: Option<(Indication, CatalogueProduct)>,
    /// The products offered in the resident's (or indication's)
    /// municipality: its own catalogue or its region's.
    pub products: Vec<CatalogueProduct>,
    pub providers: Vec<Provider>,
}

/// The form's data: one read, logged as one read of the resident (new) or
/// of the indication (change); outside the tenant refused and logged.
pub async fn page(cx: &Cx<'_>, target: Target) -> StoreResult<IndicationFormPage> {
    let (resident_id, resident_name, municipality_code, editing) = match target {
        Target::New(id) => {
            let r = residents::visible(cx, id, AccessAction::Read).await?;
            cx.log(AccessAction::Read, Some(id), format!("resident:{id}"));
            (id, r.formal_name(), r.municipality_code, None)
        }
        Target::Edit(id) => {
            let m = crate::read::indication::visible(cx, id).await?;
            let product = catalogue::product_by_id(cx, crate::ProductId::new(m.product_id))
                .await?
                .ok_or(StoreError::NotFound { what: "product" })?;
            let name = <resident::Entity as sea_orm::EntityTrait>::find_by_id(m.resident_id)
                .one(cx.conn())
                .await?
                .map(|r| r.formal_name())
                .unwrap_or_default();
            let resident_id = ResidentId::new(m.resident_id);
            cx.log(
                AccessAction::Read,
                Some(resident_id),
                format!("indication:{id}"),
            );
            let code = m.municipality_code.clone();
            (
                resident_id,
                name,
                code,
                Some((Indication::try_from(m)?, product)),
            )
        }
    };
    let products = catalogue::products_offered_in(cx, &municipality_code).await?;
    let providers = organisations::providers(cx).await?;
    Ok(IndicationFormPage {
        resident_id,
        resident_name,
        editing,
        products,
        providers,
    })
}
