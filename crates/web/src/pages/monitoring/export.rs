//! `GET /monitoring/export/{table}.csv`: one table of the dashboard as CSV,
//! with the page's filters (optionally masked for publication: small counts
//! and every cell they could be recovered from hidden, as on the page).
//!
//! Two formats: the machine-readable one (column keys, `,`, decimal point;
//! the default) and, with `format=nl`, one for Dutch spreadsheets (Excel
//! with Dutch settings opens it as is): Dutch column headers and row labels,
//! `;` between fields, a decimal comma, CRLF line ends and a UTF-8 byte
//! order mark.

use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use waakvlam_domain::monitoring::{Cell, Table};
use waakvlam_store::monitoring::{self, Scope};

use super::page::{MonitoringParams, label_text, parse};
use crate::AppState;
use crate::i18n::{Lang, Tr};
use crate::ui::error::AppError;
use crate::ui::extract::{Analysts, Require};
use crate::ui::format::today_nl;

/// `GET /monitoring/export/{table}.csv`: one table as CSV, same filters.
pub async fn export(
    State(state): State<AppState>,
    user: Require<Analysts>,
    Path(file): Path<String>,
    Query(params): Query<MonitoringParams>,
) -> Result<Response, AppError> {
    let t = user.t;
    let Some(id) = file.strip_suffix(".csv") else {
        return Err(AppError::NotFound);
    };
    if !waakvlam_domain::monitoring::TABLES.contains(&id) {
        return Err(AppError::NotFound);
    }
    let dutch = match params.format.trim() {
        "" | "csv" => false,
        "nl" => true,
        other => {
            return Err(AppError::BadRequest(t.with(
                "mon-export-format",
                &[("format", other.chars().take(20).collect())],
            )));
        }
    };
    let store = &state.store;
    let today = today_nl(store.now());
    let parsed = parse(&params, today, t);
    if let Some(first) = parsed.errors.iter().next() {
        return Err(AppError::BadRequest(first.message.clone()));
    }
    let scope = Scope::of(user.account());
    let filter = &parsed.filter;
    let figures = store
        .read(&user.actor, async |cx| {
            monitoring::dashboard(cx, &scope, filter, today, parsed.assumptions).await
        })
        .await?;
    let Some(table) = figures.table(id, parsed.mask) else {
        return Err(AppError::NotFound);
    };
    let period = parsed.filter.period;
    let name = format!(
        "waakvlam-{id}-{}-{}{}{}.csv",
        period.from,
        period.to,
        if parsed.mask.is_some() { "-masked" } else { "" },
        if dutch { "-nl" } else { "" }
    );
    let body = if dutch {
        dutch_csv(&table, &figures.issued.products)
    } else {
        table.to_csv()
    };
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response())
}

/// The byte order mark that tells Excel the file is UTF-8.
const BOM: char = '\u{FEFF}';

/// The table for a Dutch spreadsheet: Dutch headers and labels (whatever
/// the reader's language: the format is the Dutch one), `;` between fields,
/// decimal commas, no thousands separators or currency signs (so numbers
/// stay numbers), hidden cells as their marks (`<5`, `x`).
pub(super) fn dutch_csv(table: &Table, products: &[String]) -> String {
    let t = Tr(Lang::Nl);
    let mut out = String::from(BOM);
    let headers: Vec<String> = table
        .columns
        .iter()
        .map(|c| {
            if products.contains(c) {
                c.clone()
            } else {
                t.get(&format!("mon-col-{c}"))
            }
        })
        .collect();
    line(&mut out, &headers);
    for (r, row) in table.rows.iter().enumerate() {
        let fields: Vec<String> = row
            .cells
            .iter()
            .enumerate()
            .map(|(c, cell)| {
                let machine = table.text(r, c);
                match cell {
                    Cell::Label(key) => label_text(key, t),
                    Cell::Share { .. } | Cell::Decimal(_) | Cell::Money(_) => {
                        machine.replace('.', ",")
                    }
                    _ => machine,
                }
            })
            .collect();
        line(&mut out, &fields);
    }
    out
}

fn line(out: &mut String, fields: &[String]) {
    let quoted: Vec<String> = fields
        .iter()
        .map(|f| {
            if f.contains([';', '"', '\n', '\r']) {
                format!("\"{}\"", f.replace('"', "\"\""))
            } else {
                f.clone()
            }
        })
        .collect();
    out.push_str(&quoted.join(";"));
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use waakvlam_domain::money::Cents;
    use waakvlam_domain::monitoring::{Masked, TableRow};

    #[test]
    fn a_dutch_csv_has_a_bom_semicolons_decimal_commas_and_dutch_words() {
        let table = Table {
            id: "costs",
            columns: vec![
                "product".into(),
                "funding_variant".into(),
                "spend_eur".into(),
                "share_pct".into(),
            ],
            rows: vec![
                TableRow {
                    cells: vec![
                        Cell::Text("BT; extra".into()),
                        Cell::Label("per_hour".into()),
                        Cell::Money(Cents(123_456)),
                        Cell::Share { part: 1, whole: 8 },
                    ],
                    total: false,
                },
                TableRow {
                    cells: vec![
                        Cell::Label("total".into()),
                        Cell::Masked(Masked::Secret),
                        Cell::Masked(Masked::Small { threshold: 5 }),
                        Cell::Decimal(Some(0.5)),
                    ],
                    total: true,
                },
            ],
        };
        assert_eq!(
            dutch_csv(&table, &[]),
            "\u{FEFF}Product;Bekostiging;Uitgaven;Aandeel\r\n\
             \"BT; extra\";per uur;1234,56;12,5\r\n\
             Totaal;x;<5;0,50\r\n"
        );
    }
}
