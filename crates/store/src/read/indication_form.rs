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
    /// municipality: its own catalogue or its region's, each with its
    /// maximum duration there (`None`: as long as needed).
    pub products: Vec<(CatalogueProduct, Option<u32>)>,
    /// The providers contracted there for at least one of those products
    /// (for a change: for the indication's product, and its own provider),
    /// each with the codes of the products they deliver there.
    pub providers: Vec<(Provider, Vec<String>)>,
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
    let offered = match &editing {
        Some((_, product)) => vec![product.clone()],
        None => catalogue::products_offered_in(cx, &municipality_code).await?,
    };
    let mut products = Vec::with_capacity(offered.len());
    for p in offered.iter().cloned() {
        let max = catalogue::max_duration_months(cx.conn(), p.id, &municipality_code).await?;
        products.push((p, max));
    }
    let deliverers = catalogue::deliverers(cx.conn(), &municipality_code).await?;
    let current = editing.as_ref().map(|(i, _)| i.provider_id);
    let providers = organisations::providers(cx)
        .await?
        .into_iter()
        .filter_map(|provider| {
            let codes: Vec<String> = offered
                .iter()
                .filter(|p| deliverers.may_deliver(provider.id, p.id))
                .map(|p| p.product.code.as_str().to_owned())
                .collect();
            (!codes.is_empty() || current == Some(provider.id)).then_some((provider, codes))
        })
        .collect();
    Ok(IndicationFormPage {
        resident_id,
        resident_name,
        editing,
        products,
        providers,
    })
}
