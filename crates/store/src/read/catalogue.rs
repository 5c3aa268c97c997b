//! The catalogue page: products with their prices as the viewer may see
//! them, the municipalities they may choose and the newest changes.

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use waakvlam_domain::access::AccessAction;

use crate::catalogue::{
    CatalogueProduct, Contract, ProductRule, StoredOwnContribution, StoredTariff, contracts,
    may_view, own_contributions, products, rules, scope, tariffs,
};
use crate::entity::{account, change_record, municipality};
use crate::organisations::{self, Municipality};
use crate::{Cx, RegionId, StoreResult, from_millis};

/// One product with its prices, as the catalogue page shows it.
#[derive(Clone, Debug)]
pub struct ProductPrices {
    pub product: CatalogueProduct,
    pub tariffs: Vec<StoredTariff>,
    pub own_contributions: Vec<StoredOwnContribution>,
    /// The maximum duration per region and municipality of the viewer's scope.
    pub rules: Vec<ProductRule>,
    /// The providers contracted for it in the viewer's scope.
    pub contracts: Vec<Contract>,
}

/// One recorded change of the catalogue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CatalogueChange {
    pub at: DateTime<Utc>,
    pub by: Option<String>,
    pub product_code: String,
    /// `product`, `category`, `name`, `level`, `active`,
    /// `tariff <year> <municipality|region>`,
    /// `own_contribution <municipality|region> <valid from>` or
    /// `max_duration <region:ID|municipality:CODE>` or
    /// `contract <region:ID|municipality:CODE>`.
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// The catalogue as the actor may see it: products with the tariffs and own
/// contributions of their municipality or region (region-wide ones
/// included), the municipalities they may choose, and the newest changes.
#[derive(Clone, Debug)]
pub struct CatalogueOverview {
    pub products: Vec<ProductPrices>,
    /// The municipalities in the actor's scope (all of them for admins).
    pub municipalities: Vec<Municipality>,
    pub history: Vec<CatalogueChange>,
    /// Every region, to name where a product is offered.
    pub regions: Vec<(RegionId, String)>,
    /// Every municipality, to name where a product is offered.
    pub all_municipalities: Vec<Municipality>,
    /// Every provider, to name and choose them in contracts.
    pub providers: Vec<organisations::Provider>,
}

/// How many changes the catalogue page shows.
pub const HISTORY_LIMIT: u64 = 40;

/// Reads the catalogue for the catalogue page. It holds no personal data, so
/// reading it is not logged.
pub async fn page(cx: &Cx<'_>) -> StoreResult<CatalogueOverview> {
    let (conn, actor) = (cx.conn(), cx.actor);
    if !may_view(actor) {
        return Err(cx.deny(AccessAction::Read, None, "catalogue"));
    }
    let mine = scope(conn, actor).await?;
    let visible = |code: &Option<String>| match (code, &mine) {
        (None, _) | (_, None) => true,
        (Some(c), Some(mine)) => mine.contains(c),
    };
    let mut products_out = Vec::new();
    for p in products(cx).await? {
        let tariffs = tariffs(cx, p.id)
            .await?
            .into_iter()
            .filter(|t| visible(&t.municipality_code))
            .collect();
        let own_contributions = own_contributions(cx, p.id)
            .await?
            .into_iter()
            .filter(|c| visible(&c.municipality_code))
            .collect();
        let rules = rules(cx, p.id).await?;
        let contracts = contracts(cx, p.id).await?;
        products_out.push(ProductPrices {
            product: p,
            tariffs,
            own_contributions,
            rules,
            contracts,
        });
    }
    let mut municipalities_q =
        municipality::Entity::find().order_by_asc(municipality::Column::Name);
    if let Some(codes) = &mine {
        municipalities_q = municipalities_q.filter(municipality::Column::Code.is_in(codes.clone()));
    }
    let municipalities = municipalities_q
        .all(conn)
        .await?
        .into_iter()
        .map(Municipality::from)
        .collect();

    let rows = change_record::Entity::find()
        .filter(change_record::Column::Entity.eq("product"))
        .order_by_desc(change_record::Column::ChangedAt)
        .order_by_desc(change_record::Column::Id)
        .limit(HISTORY_LIMIT * 4)
        .all(conn)
        .await?;
    let account_ids: Vec<i64> = rows.iter().filter_map(|r| r.account_id).collect();
    let names: Vec<(i64, String)> = if account_ids.is_empty() {
        Vec::new()
    } else {
        account::Entity::find()
            .filter(account::Column::Id.is_in(account_ids))
            .all(conn)
            .await?
            .into_iter()
            .map(|a| (a.id, a.display_name))
            .collect()
    };
    let history = rows
        .into_iter()
        .filter(|r| {
            // Changes of another municipality's prices are not the viewer's business.
            let code = field_municipality(&r.field);
            visible(&code.map(str::to_owned))
        })
        .take(usize::try_from(HISTORY_LIMIT).unwrap_or(usize::MAX))
        .map(|r| CatalogueChange {
            at: from_millis(r.changed_at),
            by: r
                .account_id
                .and_then(|id| names.iter().find(|(i, _)| *i == id))
                .map(|(_, n)| n.clone()),
            product_code: products_out
                .iter()
                .find(|p| p.product.id == r.entity_id)
                .map(|p| p.product.product.code.as_str().to_owned())
                .unwrap_or_default(),
            field: r.field,
            old: r.old_value,
            new: r.new_value,
        })
        .collect();
    Ok(CatalogueOverview {
        products: products_out,
        municipalities,
        history,
        regions: organisations::regions(cx).await?,
        all_municipalities: organisations::all_municipalities(cx).await?,
        providers: organisations::providers(cx).await?,
    })
}

/// The municipality a history field is about, if any.
fn field_municipality(field: &str) -> Option<&str> {
    let mut parts = field.split(' ');
    let code = match parts.next() {
        Some("tariff") => parts.nth(1),
        Some("own_contribution") => parts.next(),
        Some("max_duration" | "contract") => {
            parts.next().and_then(|p| p.strip_prefix("municipality:"))
        }
        _ => None,
    };
    code.filter(|c| *c != "region")
}
