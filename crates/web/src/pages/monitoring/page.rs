//! The page itself and what its forms share.

use std::fmt::Write as _;

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::{Datelike, NaiveDate};
use waakvlam_domain::monitoring::{
    Assumptions, Cell, DEFAULT_MASK_THRESHOLD, Mask, Masked, Monitoring, Period, Table, share_pct,
};
use waakvlam_store::monitoring::{Choice, Filter, Scope};
use waakvlam_store::{ProviderId, RegionId, read};

use crate::AppState;
use crate::i18n::Tr;
use crate::ui::error::AppError;
use crate::ui::extract::{Analysts, Require};
use crate::ui::form::{Choice as FormChoice, FormErrors};
use crate::ui::format::{date_nl, today_nl};
use crate::ui::{Chrome, render};

/// The first year the filter offers.
const FIRST_YEAR: i32 = 2019;

/// The query string of the page and the exports; all optional, all text, so
/// a bad value is reported instead of rejecting the request.
#[derive(serde::Deserialize, Default, Clone)]
pub struct MonitoringParams {
    #[serde(default)]
    region: String,
    #[serde(default)]
    municipality: String,
    #[serde(default)]
    provider: String,
    #[serde(default)]
    product: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    mask: String,
    #[serde(default)]
    months_avoided: String,
    #[serde(default)]
    hours_per_month: String,
    #[serde(default)]
    rhythm_grace_days: String,
    #[serde(default)]
    on_time_days: String,
    /// Exports only: `nl` for Dutch spreadsheets (see `export`).
    #[serde(default)]
    pub(super) format: String,
}

/// The parsed request: filters, assumptions, masking, and what was wrong.
pub(super) struct Parsed {
    pub(super) filter: Filter,
    pub(super) year: Option<i32>,
    pub(super) assumptions: Assumptions,
    pub(super) mask: Option<Mask>,
    pub(super) errors: FormErrors,
}

pub(super) fn parse(p: &MonitoringParams, today: NaiveDate, t: Tr) -> Parsed {
    let mut errors = FormErrors::default();
    let mut bad = |field: &str, value: &str| {
        errors.add(
            field,
            t.with(
                "mon-error-field",
                &[
                    ("field", t.get(&format!("mon-filter-{field}"))),
                    ("value", value.to_owned()),
                ],
            ),
        );
    };
    let opt = |s: &str| {
        let s = s.trim();
        (!s.is_empty()).then(|| s.to_owned())
    };
    let region =
        opt(&p.region).and_then(|v| v.parse::<RegionId>().map_err(|_| bad("region", &v)).ok());
    let provider = opt(&p.provider).and_then(|v| {
        v.parse::<ProviderId>()
            .map_err(|_| bad("provider", &v))
            .ok()
    });
    let municipality = opt(&p.municipality).and_then(|v| {
        (v.len() == 4 && v.bytes().all(|b| b.is_ascii_digit()))
            .then(|| v.clone())
            .or_else(|| {
                bad("municipality", &v);
                None
            })
    });
    let product = opt(&p.product).map(|v| v.to_uppercase());
    let date = |field: &str, v: &str, bad: &mut dyn FnMut(&str, &str)| {
        opt(v).and_then(|v| {
            NaiveDate::parse_from_str(&v, "%Y-%m-%d")
                .map_err(|_| bad(field, &v))
                .ok()
        })
    };
    let from = date("from", &p.from, &mut bad);
    let to = date("to", &p.to, &mut bad);
    let year = opt(&p.year).and_then(|v| match v.parse::<i32>() {
        Ok(y) if (FIRST_YEAR..=today.year() + 1).contains(&y) => Some(y),
        _ => {
            bad("year", &v);
            None
        }
    });
    let mut chosen_year = None;
    let period = match (from, to) {
        (Some(f), Some(t)) if f <= t => Some(Period { from: f, to: t }),
        (Some(f), Some(_)) => {
            bad("to", &f.to_string());
            None
        }
        _ => None,
    };
    let period = period.unwrap_or_else(|| {
        let y = year.unwrap_or(today.year());
        chosen_year = Some(y);
        Period::year(y).unwrap_or(Period {
            from: today,
            to: today,
        })
    });
    let defaults = Assumptions::default();
    let mut number = |field: &str, v: &str, default: u32, max: u32| {
        opt(v).map_or(default, |v| match v.parse::<u32>() {
            Ok(n) if n <= max => n,
            _ => {
                bad(field, &v);
                default
            }
        })
    };
    let assumptions = Assumptions {
        months_avoided: number(
            "months_avoided",
            &p.months_avoided,
            defaults.months_avoided,
            120,
        ),
        hours_per_month: number(
            "hours_per_month",
            &p.hours_per_month,
            defaults.hours_per_month,
            744,
        ),
        rhythm_grace_days: number(
            "rhythm_grace_days",
            &p.rhythm_grace_days,
            defaults.rhythm_grace_days,
            365,
        ),
        on_time_days: number("on_time_days", &p.on_time_days, defaults.on_time_days, 365),
    };
    let mask = matches!(p.mask.trim(), "1" | "on" | "true").then_some(Mask {
        threshold: DEFAULT_MASK_THRESHOLD,
    });
    Parsed {
        filter: Filter {
            region,
            municipality,
            provider,
            product,
            period,
        },
        year: chosen_year,
        assumptions,
        mask,
        errors,
    }
}

/// The query string that reproduces the filters (without masking).
fn query_string(parsed: &Parsed) -> String {
    let f = &parsed.filter;
    let mut pairs: Vec<(&str, String)> = Vec::new();
    if let Some(r) = f.region {
        pairs.push(("region", r.to_string()));
    }
    if let Some(m) = &f.municipality {
        pairs.push(("municipality", m.clone()));
    }
    if let Some(p) = f.provider {
        pairs.push(("provider", p.to_string()));
    }
    if let Some(p) = &f.product {
        pairs.push(("product", p.clone()));
    }
    match parsed.year {
        Some(y) => pairs.push(("year", y.to_string())),
        None => {
            pairs.push(("from", f.period.from.to_string()));
            pairs.push(("to", f.period.to.to_string()));
        }
    }
    let a = parsed.assumptions;
    let d = Assumptions::default();
    for (key, value, default) in [
        ("months_avoided", a.months_avoided, d.months_avoided),
        ("hours_per_month", a.hours_per_month, d.hours_per_month),
        (
            "rhythm_grace_days",
            a.rhythm_grace_days,
            d.rhythm_grace_days,
        ),
        ("on_time_days", a.on_time_days, d.on_time_days),
    ] {
        if value != default {
            pairs.push((key, value.to_string()));
        }
    }
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn encode(value: &str) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

// ---------------------------------------------------------------------------
// View
// ---------------------------------------------------------------------------

pub struct HeaderCell {
    pub text: String,
    pub numeric: bool,
}

pub struct ViewRow {
    pub head: String,
    pub cells: Vec<String>,
    pub total: bool,
    /// A period that has not ended yet, "(nog niet compleet)", or that the
    /// chosen period cuts, "(deels in de gekozen periode)".
    pub incomplete: Option<String>,
}

/// One bar or column: its text and its length as a share of the longest.
pub struct Bar {
    pub label: String,
    pub value: String,
    /// Length in percent of the chart's longest bar, `42.5`.
    pub length: String,
    /// Where a column starts from the top (`100 − length`), in percent.
    pub offset: String,
    /// The period has not ended yet or is cut by the chosen period (time
    /// series only): drawn hatched and outlined, and said in words.
    pub incomplete: bool,
    pub marker: String,
}

/// A chart laid out in HTML (real text at body size); SVG only draws the
/// bars, by percentages, so it reads at any width.
pub struct Chart {
    /// Periods in time order: columns from old (left) to new (right); a
    /// list from old (top) to new (bottom) on narrow screens.
    pub time: bool,
    /// Under a time series: what the axis is, and the marker's meaning.
    pub axis: String,
    pub bars: Vec<Bar>,
    /// What the hatching means, when a bar is hatched.
    pub legend: String,
}

pub struct ViewTable {
    pub id: &'static str,
    pub title: String,
    pub intro: String,
    pub chart: Option<Chart>,
    pub chart_desc: String,
    /// Under a table with hidden cells: what the marks mean.
    pub mask_note: Option<String>,
    pub headers: Vec<HeaderCell>,
    pub rows: Vec<ViewRow>,
    pub csv: String,
    pub csv_masked: String,
    pub csv_nl: String,
    pub csv_label: String,
    pub csv_masked_label: String,
    pub csv_nl_label: String,
}

pub struct Section {
    pub id: &'static str,
    pub title: String,
    pub tables: Vec<ViewTable>,
}

#[derive(Template)]
#[template(path = "monitoring/page.html")]
pub struct MonitoringPage {
    pub chrome: Chrome,
    pub intro: String,
    pub scope: String,
    pub errors: FormErrors,
    pub regions: Vec<FormChoice>,
    pub municipalities: Vec<FormChoice>,
    pub providers: Vec<FormChoice>,
    pub products: Vec<FormChoice>,
    pub years: Vec<FormChoice>,
    pub from: String,
    pub to: String,
    pub masked: bool,
    pub assumptions: Vec<(String, String, String)>,
    pub sections: Vec<Section>,
}

impl MonitoringPage {
    /// A period field is described by the hint below both fields (by its
    /// error instead when it has one: the field macro writes that).
    pub fn period_attrs(&self, field: &str) -> &'static str {
        if self.errors.get(field).is_some() {
            ""
        } else {
            r#" aria-describedby="mon-period-hint""#
        }
    }
}

/// A filter's options, "all" first.
fn options(t: Tr, choices: &[Choice], selected: Option<&str>) -> Vec<FormChoice> {
    let all = FormChoice::new("", t.get("mon-filter-all"), selected.is_none());
    std::iter::once(all)
        .chain(choices.iter().map(|c| FormChoice {
            value: c.value.clone(),
            label: c.label.clone(),
            selected: selected == Some(c.value.as_str()),
        }))
        .collect()
}

/// A cell for people: Dutch or English number formats; hidden cells (the
/// table comes masked from the domain) show their mark.
fn display(table: &Table, row: usize, col: usize, t: Tr) -> String {
    let Some(cell) = table.rows.get(row).and_then(|r| r.cells.get(col)) else {
        return String::new();
    };
    let machine = table.text(row, col);
    let nl = t.lang() == "nl";
    let decimal = |s: String| if nl { s.replace('.', ",") } else { s };
    match cell {
        Cell::Masked(Masked::Secret) => t.get("mon-masked"),
        Cell::Masked(Masked::Small { .. }) => machine,
        Cell::Label(key) => label_text(key, t),
        Cell::Text(s) => s.clone(),
        Cell::Count(_) => machine,
        Cell::Share { part, whole } => share_pct(*part, *whole)
            .map(|v| decimal(format!("{v:.1}%")))
            .unwrap_or_else(|| "–".to_owned()),
        Cell::Number(None) | Cell::Decimal(None) => "–".to_owned(),
        Cell::Number(Some(_)) => machine,
        Cell::Decimal(Some(_)) => decimal(machine),
        Cell::Money(c) => {
            if nl {
                c.to_string()
            } else {
                format!("€ {}", c.to_plain())
            }
        }
    }
}

/// A row label's text (`mon-row-<key>`, `key:product` with the product).
pub(super) fn label_text(key: &str, t: Tr) -> String {
    if key.is_empty() {
        return String::new();
    }
    match key.split_once(':') {
        Some((key, product)) => t.with(
            &format!("mon-row-{key}"),
            &[("product", product.to_owned())],
        ),
        None => t.get(&format!("mon-row-{key}")),
    }
}

/// Whether a table is a time series: one row per period, in time order.
fn is_time_series(id: &str) -> bool {
    matches!(id, "quarters" | "pulse_months" | "inventory")
}

/// The first and last day of a period of a time series that looks back
/// (`2025-Q4` in `quarters`, `2025-03` in `pulse_months`); the inventory
/// looks ahead and has none.
fn period_span(table: &str, key: &str) -> Option<(NaiveDate, NaiveDate)> {
    let (year, rest) = key.split_once('-')?;
    let year: i32 = year.parse().ok()?;
    let (first, months) = match table {
        "quarters" => {
            let q: u32 = rest.strip_prefix('Q')?.parse().ok()?;
            if !(1..=4).contains(&q) {
                return None;
            }
            (3 * q - 2, 3)
        }
        "pulse_months" => (rest.parse().ok()?, 1),
        _ => return None,
    };
    let start = NaiveDate::from_ymd_opt(year, first, 1)?;
    let end = start
        .checked_add_months(chrono::Months::new(months))?
        .pred_opt()?;
    Some((start, end))
}

/// The number a chart draws for a row, if it draws one.
fn chart_value(table: &Table, row: &waakvlam_domain::monitoring::TableRow) -> Option<f64> {
    let column = match table.id {
        "quarters" | "issued" => table.columns.len().checked_sub(1)?,
        "flows" | "inventory" => 1,
        "pulse_months" => 4,
        "costs" => 3,
        _ => return None,
    };
    if row.total {
        return None;
    }
    match row.cells.get(column)? {
        // A hidden figure is drawn as nothing: no length to measure.
        Cell::Masked(_) => Some(0.0),
        Cell::Count(n) => Some(*n as f64),
        Cell::Decimal(d) => Some(d.unwrap_or(0.0)),
        Cell::Money(c) => Some(c.0 as f64 / 100.0),
        _ => None,
    }
}

/// A row to draw: label, value as shown, the number, and whether its
/// period has not ended yet.
struct Point {
    label: String,
    value: String,
    number: f64,
    /// Said after the label of a period that is not whole.
    marker: Option<String>,
    /// The key of the legend that explains the marker.
    legend: Option<&'static str>,
}

fn chart(table: &Table, points: Vec<Point>, axis: String, t: Tr) -> Option<Chart> {
    if points.is_empty() {
        return None;
    }
    let max = points.iter().map(|p| p.number).fold(0.0, f64::max);
    let legend = {
        let mut kinds: Vec<&str> = points.iter().filter_map(|p| p.legend).collect();
        kinds.sort_unstable();
        kinds.dedup();
        kinds.iter().map(|k| t.get(k)).collect::<Vec<_>>().join(" ")
    };
    let bars: Vec<Bar> = points
        .into_iter()
        .map(|p| {
            let pct = if max > 0.0 && p.number > 0.0 {
                // A figure above zero stays visible.
                (p.number / max * 100.0).max(0.5)
            } else {
                0.0
            };
            Bar {
                label: p.label,
                value: p.value,
                length: format!("{pct:.1}%"),
                offset: format!("{:.1}%", 100.0 - pct),
                incomplete: p.marker.is_some(),
                marker: p.marker.unwrap_or_default(),
            }
        })
        .collect();
    Some(Chart {
        time: is_time_series(table.id),
        axis,
        bars,
        legend,
    })
}

/// Where a table's links and charts come from.
struct Context<'a> {
    products: &'a [String],
    qs: &'a str,
    mask: Option<Mask>,
    period: Period,
    today: NaiveDate,
    t: Tr,
}

fn view_table(table: &Table, cx: &Context<'_>) -> ViewTable {
    let (products, qs, t) = (cx.products, cx.qs, cx.t);
    // Periods not whole: not ended by today, or cut by the chosen period.
    let not_whole: Vec<Option<&'static str>> = (0..table.rows.len())
        .map(|i| {
            let (start, end) = period_span(table.id, &table.text(i, 0))?;
            if end >= cx.today {
                Some("mon-incomplete")
            } else if start < cx.period.from || end > cx.period.to {
                Some("mon-partial")
            } else {
                None
            }
        })
        .collect();
    let headers: Vec<HeaderCell> = table
        .columns
        .iter()
        .enumerate()
        .skip(1)
        .map(|(i, c)| HeaderCell {
            text: if products.contains(c) {
                c.clone()
            } else {
                t.get(&format!("mon-col-{c}"))
            },
            numeric: table
                .rows
                .iter()
                .any(|r| !matches!(r.cells.get(i), Some(Cell::Text(_) | Cell::Label(_)) | None)),
        })
        .collect();
    let mut first = t.get(&format!(
        "mon-col-{}",
        table.columns.first().map_or("", String::as_str)
    ));
    // The publication table reads best with the municipality as row header.
    let issued = table.id == "issued";
    if issued {
        first = t.get("mon-col-year");
    }
    let rows: Vec<ViewRow> = table
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut texts: Vec<String> = (0..r.cells.len())
                .map(|col| display(table, i, col, t))
                .collect();
            let head = if texts.is_empty() {
                String::new()
            } else {
                texts.remove(0)
            };
            let incomplete = not_whole.get(i).copied().flatten().map(|k| t.get(k));
            ViewRow {
                head,
                cells: texts,
                total: r.total,
                incomplete,
            }
        })
        .collect();
    let points: Vec<Point> = table
        .rows
        .iter()
        .zip(&rows)
        .zip(&not_whole)
        .filter_map(|((r, v), kind)| {
            let number = chart_value(table, r)?;
            // Charts name a row fully: "2025 Goes", "BT per unit".
            let label = match table.id {
                "issued" => format!("{} {}", v.head, v.cells.get(1).cloned().unwrap_or_default()),
                "costs" => format!(
                    "{} {}",
                    v.head,
                    v.cells.first().cloned().unwrap_or_default()
                ),
                _ => v.head.clone(),
            };
            let col = match table.id {
                "quarters" | "issued" => table.columns.len().checked_sub(2),
                "flows" | "inventory" => Some(0),
                "pulse_months" => Some(3),
                "costs" => Some(2),
                _ => None,
            };
            let value = col
                .and_then(|c| v.cells.get(c).cloned())
                .unwrap_or_default();
            Some(Point {
                label,
                value,
                number,
                marker: v.incomplete.clone(),
                legend: kind.map(|k| {
                    if k == "mon-incomplete" {
                        "mon-chart-incomplete"
                    } else {
                        "mon-chart-partial"
                    }
                }),
            })
        })
        .collect();
    let axis = if is_time_series(table.id) {
        t.with(
            "mon-chart-axis",
            &[(
                "axis",
                t.get(&format!(
                    "mon-col-{}",
                    table.columns.first().map_or("", String::as_str)
                )),
            )],
        )
    } else {
        String::new()
    };
    let mut view_headers = vec![HeaderCell {
        text: first,
        numeric: false,
    }];
    view_headers.extend(headers);
    let title = t.get(&format!("mon-table-{}", table.id));
    let time = is_time_series(table.id);
    ViewTable {
        id: table.id,
        csv_label: t.with("mon-export", &[("table", title.clone())]),
        csv_masked_label: t.with("mon-export-masked", &[("table", title.clone())]),
        csv_nl_label: t.with(
            if cx.mask.is_some() {
                "mon-export-nl-masked"
            } else {
                "mon-export-nl"
            },
            &[("table", title.clone())],
        ),
        title,
        intro: t.get(&format!("mon-intro-{}", table.id)),
        chart: chart(table, points, axis, t),
        mask_note: table.is_masked().then(|| {
            t.with(
                "mon-mask-note",
                &[("threshold", DEFAULT_MASK_THRESHOLD.to_string())],
            )
        }),
        chart_desc: t.get(if time {
            "mon-chart-desc-time"
        } else {
            "mon-chart-desc"
        }),
        headers: view_headers,
        rows,
        csv: format!("/monitoring/export/{}.csv?{qs}", table.id),
        csv_masked: format!("/monitoring/export/{}.csv?{qs}&mask=1", table.id),
        csv_nl: format!(
            "/monitoring/export/{}.csv?{qs}{}&format=nl",
            table.id,
            if cx.mask.is_some() { "&mask=1" } else { "" }
        ),
    }
}

fn scope_text(scope: &Scope, t: Tr) -> String {
    match scope {
        Scope::All => t.get("mon-scope-all"),
        Scope::Region(_) => t.get("mon-scope-region"),
        Scope::Municipality(_) => t.get("mon-scope-municipality"),
        Scope::Team(_) => t.get("mon-scope-team"),
        Scope::Nothing => t.get("mon-scope-nothing"),
    }
}

pub async fn page(
    State(state): State<AppState>,
    user: Require<Analysts>,
    Query(params): Query<MonitoringParams>,
) -> Result<Response, AppError> {
    let t = user.t;
    let store = &state.store;
    let today = today_nl(store.now());
    let scope = Scope::of(user.account());
    let mut parsed = parse(&params, today, t);
    let (filter, assumptions) = (parsed.filter.clone(), parsed.assumptions);
    let read = store
        .read(&user.actor, async |cx| {
            read::monitoring::page(cx, &scope, filter, today, assumptions).await
        })
        .await?;
    // Unknown codes are reported like other bad values, not as a failure.
    if let Some(p) = read.unknown_product {
        parsed.errors.add(
            "product",
            t.with(
                "mon-error-field",
                &[("field", t.get("mon-filter-product")), ("value", p)],
            ),
        );
    }
    if let Some(m) = read.unknown_municipality {
        parsed.errors.add(
            "municipality",
            t.with(
                "mon-error-field",
                &[("field", t.get("mon-filter-municipality")), ("value", m)],
            ),
        );
    }
    parsed.filter = read.filter;
    let (choices, figures) = (read.choices, read.figures);
    let qs = query_string(&parsed);
    let sections = sections(&figures, &qs, parsed.mask, today, t);
    let f = &parsed.filter;
    let years = (FIRST_YEAR..=today.year())
        .rev()
        .map(|y| FormChoice {
            value: y.to_string(),
            label: y.to_string(),
            selected: parsed.year == Some(y),
        })
        .collect();
    let a = parsed.assumptions;
    let assumptions = vec![
        (
            "months_avoided".to_owned(),
            t.get("mon-filter-months_avoided"),
            a.months_avoided.to_string(),
        ),
        (
            "hours_per_month".to_owned(),
            t.get("mon-filter-hours_per_month"),
            a.hours_per_month.to_string(),
        ),
        (
            "rhythm_grace_days".to_owned(),
            t.get("mon-filter-rhythm_grace_days"),
            a.rhythm_grace_days.to_string(),
        ),
        (
            "on_time_days".to_owned(),
            t.get("mon-filter-on_time_days"),
            a.on_time_days.to_string(),
        ),
    ];
    Ok(render(&MonitoringPage {
        chrome: Chrome::for_user(&user, t.get("monitoring-title"), &state),
        intro: t.with(
            "mon-intro",
            &[
                ("from", date_nl(f.period.from)),
                ("to", date_nl(f.period.to)),
            ],
        ),
        scope: scope_text(&scope, t),
        errors: std::mem::take(&mut parsed.errors),
        regions: if choices.regions.is_empty() {
            Vec::new()
        } else {
            options(
                t,
                &choices.regions,
                f.region.map(|r| r.to_string()).as_deref(),
            )
        },
        municipalities: options(t, &choices.municipalities, f.municipality.as_deref()),
        providers: options(
            t,
            &choices.providers,
            f.provider.map(|p| p.to_string()).as_deref(),
        ),
        products: options(t, &choices.products, f.product.as_deref()),
        years,
        from: if parsed.year.is_none() {
            f.period.from.to_string()
        } else {
            String::new()
        },
        to: if parsed.year.is_none() {
            f.period.to.to_string()
        } else {
            String::new()
        },
        masked: parsed.mask.is_some(),
        assumptions,
        sections,
    }))
}

fn sections(
    figures: &Monitoring,
    qs: &str,
    mask: Option<Mask>,
    today: NaiveDate,
    t: Tr,
) -> Vec<Section> {
    let cx = Context {
        products: &figures.issued.products,
        qs,
        mask,
        period: figures.period,
        today,
        t,
    };
    let all = figures.tables(mask);
    let groups: [(&'static str, &[&str]); 5] = [
        ("issued", &["issued", "quarters"]),
        ("flows", &["flows", "flow_times", "results"]),
        ("planning", &["planning", "inventory"]),
        ("pulse", &["pulse", "pulse_months"]),
        ("costs", &["costs", "avoided"]),
    ];
    groups
        .iter()
        .map(|(id, tables)| Section {
            id,
            title: t.get(&format!("mon-section-{id}")),
            tables: tables
                .iter()
                .filter_map(|tid| all.iter().find(|t| t.id == *tid))
                .map(|table| view_table(table, &cx))
                .collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(src: &str) -> Vec<String> {
        src.lines()
            .filter(|l| !l.starts_with(['#', ' ']) && l.contains(" ="))
            .filter_map(|l| l.split(" =").next().map(|k| k.trim().to_owned()))
            .collect()
    }

    #[test]
    fn every_dutch_monitoring_text_has_an_english_one() {
        let nl = keys(include_str!("../../../locales/nl/monitoring.ftl"));
        let en = keys(include_str!("../../../locales/en/monitoring.ftl"));
        let missing: Vec<_> = nl.iter().filter(|k| !en.contains(k)).collect();
        assert!(missing.is_empty(), "missing English texts: {missing:?}");
        assert_eq!(nl.len(), en.len());
    }

    #[test]
    fn every_table_label_and_column_has_a_text() {
        let nl = keys(include_str!("../../../locales/nl/monitoring.ftl"));
        let facts = waakvlam_domain::monitoring::Facts::default();
        let q = waakvlam_domain::monitoring::MonitoringQuery {
            period: Period::year(2025).unwrap(),
            today: NaiveDate::from_ymd_opt(2025, 6, 1).unwrap(),
            product: None,
            assumptions: Assumptions::default(),
        };
        let m = waakvlam_domain::monitoring::compute(&facts, &q);
        for table in m.tables(None) {
            for key in [
                format!("mon-table-{}", table.id),
                format!("mon-intro-{}", table.id),
            ] {
                assert!(nl.contains(&key), "{key}");
            }
            for c in &table.columns {
                assert!(nl.contains(&format!("mon-col-{c}")), "mon-col-{c}");
            }
            for r in &table.rows {
                for c in &r.cells {
                    if let Cell::Label(k) = c
                        && !k.is_empty()
                    {
                        let k = k.split_once(':').map_or(k.as_str(), |(k, _)| k);
                        assert!(nl.contains(&format!("mon-row-{k}")), "mon-row-{k}");
                    }
                }
            }
        }
        for v in [
            "per_indication",
            "per_indication_year",
            "per_unit",
            "per_hour",
            "no_tariff",
        ] {
            assert!(nl.contains(&format!("mon-row-{v}")), "{v}");
        }
    }

    #[test]
    fn a_period_runs_from_its_first_to_its_last_day() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let span = |t, k| period_span(t, k);
        assert_eq!(
            span("quarters", "2025-Q1"),
            Some((d(2025, 1, 1), d(2025, 3, 31)))
        );
        assert_eq!(
            span("quarters", "2025-Q4"),
            Some((d(2025, 10, 1), d(2025, 12, 31)))
        );
        assert_eq!(
            span("pulse_months", "2024-02"),
            Some((d(2024, 2, 1), d(2024, 2, 29)))
        );
        assert_eq!(
            span("pulse_months", "2025-12"),
            Some((d(2025, 12, 1), d(2025, 12, 31)))
        );
        assert_eq!(span("quarters", "2025-Q5"), None);
        assert_eq!(span("inventory", "2026-12"), None, "looks ahead");
        assert_eq!(span("quarters", "total"), None);
    }

    #[test]
    fn filters_parse_and_round_trip() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let t = Tr::default();
        let p = MonitoringParams {
            municipality: "0664".into(),
            product: "wvl".into(),
            from: "2025-01-01".into(),
            to: "2025-06-30".into(),
            months_avoided: "9".into(),
            ..Default::default()
        };
        let parsed = parse(&p, today, t);
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        assert_eq!(parsed.filter.product.as_deref(), Some("WVL"));
        assert_eq!(parsed.assumptions.months_avoided, 9);
        assert_eq!(
            query_string(&parsed),
            "municipality=0664&product=WVL&from=2025-01-01&to=2025-06-30&months_avoided=9"
        );
        let bad = parse(
            &MonitoringParams {
                year: "1900".into(),
                municipality: "Goes".into(),
                hours_per_month: "veel".into(),
                ..Default::default()
            },
            today,
            t,
        );
        assert_eq!(bad.errors.len(), 3, "{:?}", bad.errors);
        assert_eq!(bad.year, Some(2026), "falls back to this year");
    }
}
