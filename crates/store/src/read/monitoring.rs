//! The monitoring dashboard: the filters the scope offers and every figure,
//! read in one unit of work. Figures are aggregates, so reading them is not
//! logged.

use chrono::NaiveDate;
use waakvlam_domain::monitoring::{Assumptions, Monitoring};

use crate::monitoring::{self, FilterChoices, Scope};
use crate::{Cx, StoreResult};

/// What the dashboard shows.
#[derive(Clone, Debug)]
pub struct MonitoringPage {
    pub choices: FilterChoices,
    /// The filter the figures were computed with: a product or municipality
    /// the scope does not offer is left out.
    pub filter: monitoring::Filter,
    /// The product code left out of the filter, to say so.
    pub unknown_product: Option<String>,
    /// The municipality code left out of the filter, to say so.
    pub unknown_municipality: Option<String>,
    pub figures: Monitoring,
}

/// Reads the dashboard for `scope` with `filter`.
pub async fn page(
    cx: &Cx<'_>,
    scope: &Scope,
    mut filter: monitoring::Filter,
    today: NaiveDate,
    assumptions: Assumptions,
) -> StoreResult<MonitoringPage> {
    let choices = monitoring::choices(cx, scope).await?;
    // Unknown codes are reported like other bad values, not as a failure.
    let unknown_product = filter
        .product
        .take_if(|p| !choices.products.iter().any(|c| &c.value == p));
    let unknown_municipality = filter
        .municipality
        .take_if(|m| !choices.municipalities.iter().any(|c| &c.value == m));
    let figures = monitoring::dashboard(cx, scope, &filter, today, assumptions).await?;
    Ok(MonitoringPage {
        choices,
        filter,
        unknown_product,
        unknown_municipality,
        figures,
    })
}
