//! Figures for `waakvlam report`: counted in the database, formatted by the
//! domain's report types.

use chrono::NaiveDate;
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Order, Query};
use waakvlam_domain::report::{IndicationCountRow, IndicationReport};

use crate::entity::{indication, municipality};
use crate::{Store, StoreError, StoreResult, catalogue, organisations};

/// Indications issued in `year` per municipality (optionally one product
/// and/or one municipality), for the table municipalities publish.
pub async fn indications_per_municipality(
    store: &Store,
    year: i32,
    product_code: Option<&str>,
    municipality_code: Option<&str>,
) -> StoreResult<IndicationReport> {
    let conn = store.conn();
    let (Some(from), Some(to)) = (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) else {
        return Err(StoreError::invalid(
            "year",
            format!("{year} is not a valid year"),
        ));
    };
    let product = match product_code {
        Some(code) => Some(
            catalogue::product_by_code(conn, code)
                .await?
                .ok_or_else(|| {
                    StoreError::invalid("product", format!("unknown product code {code}"))
                })?,
        ),
        None => None,
    };
    if let Some(code) = municipality_code
        && organisations::municipality(conn, code).await?.is_none()
    {
        return Err(StoreError::invalid(
            "municipality",
            format!("unknown municipality code {code}"),
        ));
    }
    let count = Alias::new("n");
    let mut q = Query::select();
    q.column((municipality::Entity, municipality::Column::Code))
        .column((municipality::Entity, municipality::Column::Name))
        .expr_as(
            Func::count(Expr::col((indication::Entity, indication::Column::Id))),
            count.clone(),
        )
        .from(indication::Entity)
        .inner_join(
            municipality::Entity,
            Expr::col((municipality::Entity, municipality::Column::Code))
                .equals((indication::Entity, indication::Column::MunicipalityCode)),
        )
        .and_where(Expr::col((indication::Entity, indication::Column::IssuedOn)).gte(from))
        .and_where(Expr::col((indication::Entity, indication::Column::IssuedOn)).lte(to))
        .group_by_col((municipality::Entity, municipality::Column::Code))
        .group_by_col((municipality::Entity, municipality::Column::Name))
        .order_by(
            (municipality::Entity, municipality::Column::Name),
            Order::Asc,
        );
    if let Some(p) = &product {
        q.and_where(Expr::col((indication::Entity, indication::Column::ProductId)).eq(p.id));
    }
    if let Some(code) = municipality_code {
        q.and_where(Expr::col((indication::Entity, indication::Column::MunicipalityCode)).eq(code));
    }
    let rows = conn.query_all(&q).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let code: String = row.try_get("", "code")?;
        let name: String = row.try_get("", "name")?;
        let n: i64 = row.try_get("", "n")?;
        out.push(IndicationCountRow {
            municipality_code: code,
            municipality: name,
            count: u64::try_from(n).unwrap_or(0),
        });
    }
    Ok(IndicationReport::new(
        year,
        product.map(|p| p.product.code.as_str().to_owned()),
        municipality_code.map(str::to_owned),
        out,
    ))
}
