//! Figures for `waakvlam report indications`: computed by the monitoring
//! computation (`store::monitoring::issued`), formatted by the domain's
//! report types.

use chrono::NaiveDate;
use waakvlam_domain::monitoring::Period;
use waakvlam_domain::report::{IndicationCountRow, IndicationReport};

use crate::{Cx, StoreError, StoreResult, catalogue, monitoring, organisations};
use waakvlam_domain::refusal::Reason;

/// Indications issued in `year` per municipality (optionally one product
/// and/or one municipality), for the table municipalities publish.
pub async fn indications_per_municipality(
    cx: &Cx<'_>,
    year: i32,
    product_code: Option<&str>,
    municipality_code: Option<&str>,
) -> StoreResult<IndicationReport> {
    let (Some(from), Some(to)) = (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) else {
        return Err(StoreError::refuse_with(
            "year",
            Reason::new("year-invalid").with("year", year),
        ));
    };
    let product = match product_code {
        Some(code) => Some(catalogue::product_by_code(cx, code).await?.ok_or_else(|| {
            StoreError::refuse_with("product", Reason::new("unknown-product").with("code", code))
        })?),
        None => None,
    };
    if let Some(code) = municipality_code
        && organisations::municipality(cx, code).await?.is_none()
    {
        return Err(StoreError::refuse_with(
            "municipality",
            Reason::new("unknown-municipality").with("code", code),
        ));
    }
    // The same computation as the monitoring page's publication table.
    let filter = monitoring::Filter {
        region: None,
        municipality: municipality_code.map(str::to_owned),
        provider: None,
        product: product.as_ref().map(|p| p.product.code.as_str().to_owned()),
        period: Period { from, to },
    };
    let issued = monitoring::issued(cx, &monitoring::Scope::All, &filter).await?;
    let out = issued
        .rows
        .into_iter()
        .filter(|r| r.year == year)
        .map(|r| IndicationCountRow {
            municipality_code: r.municipality_code,
            municipality: r.municipality,
            count: r.total,
        })
        .collect();
    Ok(IndicationReport::new(
        year,
        product.map(|p| p.product.code.as_str().to_owned()),
        municipality_code.map(str::to_owned),
        out,
    ))
}
