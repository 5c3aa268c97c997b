//! CSV imports for municipalities moving from an existing system.
//!
//! All-or-nothing: every line is checked (format first, then against the
//! database) inside one transaction; if any line is bad, every problem is
//! reported as `line N: column: reason` (the header is line 1) and nothing is
//! written. Re-importing a file creates no duplicates: providers are matched
//! on AGB code, residents on BSN, indications on resident, product and start.

use std::collections::HashMap;
use std::fmt;
use std::io::Read;

use chrono::NaiveDate;
use waakvlam_domain::ids::{AgbCode, Bsn, MunicipalityCode, ProductCode};
use waakvlam_domain::limits::{self, TextClass};
use waakvlam_domain::refusal::Refusal;

use crate::indications::{self, NewIndication};
use crate::residents::{self, NewResident};
use crate::{Actor, Cx, Store, StoreError, catalogue, organisations};

/// One problem in an import file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineError {
    pub line: u64,
    pub column: String,
    pub reason: String,
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}: {}", self.line, self.column, self.reason)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("the file was rejected; nothing was imported:\n{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Rejected(Vec<LineError>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Runs an import as one unit of work (see [`Store::write`]): a rejected
/// file rolls back whole and is reported line by line.
pub async fn run<T>(
    store: &Store,
    actor: &Actor,
    work: impl AsyncFnOnce(&Cx<'_>) -> Result<T, ImportError>,
) -> Result<T, ImportError> {
    let rejected = std::sync::Mutex::new(None);
    let result = store
        .write(actor, async |cx| match work(cx).await {
            Ok(v) => Ok(v),
            Err(ImportError::Rejected(lines)) => {
                *rejected
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(lines);
                Err(StoreError::Internal("the import was rejected".into()))
            }
            Err(ImportError::Store(e)) => Err(e),
        })
        .await;
    let rejected = rejected
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    match (result, rejected) {
        (Ok(v), _) => Ok(v),
        (Err(_), Some(lines)) => Err(ImportError::Rejected(lines)),
        (Err(e), None) => Err(e.into()),
    }
}

/// What an import did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

impl fmt::Display for ImportSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} created, {} updated, {} unchanged",
            self.created, self.updated, self.unchanged
        )
    }
}

/// A parsed CSV line: its line number and fields by column name.
struct Row {
    line: u64,
    fields: HashMap<&'static str, String>,
}

impl Row {
    fn get(&self, col: &str) -> &str {
        self.fields.get(col).map(String::as_str).unwrap_or("")
    }
}

/// Reads the file and checks the header; a malformed file is rejected whole.
fn read_rows<R: Read>(input: R, columns: &[&'static str]) -> Result<Vec<Row>, ImportError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(input);
    let header = reader.headers().map_err(|e| {
        ImportError::Rejected(vec![LineError {
            line: 1,
            column: "header".into(),
            reason: format!("cannot read the header row: {e}"),
        }])
    })?;
    let header: Vec<String> = header
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_lowercase())
        .collect();
    let missing: Vec<&str> = columns
        .iter()
        .copied()
        .filter(|c| !header.iter().any(|h| h == c))
        .collect();
    if !missing.is_empty() {
        return Err(ImportError::Rejected(vec![LineError {
            line: 1,
            column: "header".into(),
            reason: format!(
                "missing column(s) {}; expected {}",
                missing.join(", "),
                columns.join(",")
            ),
        }]));
    }
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for record in reader.records() {
        match record {
            Ok(rec) => {
                let line = rec.position().map(|p| p.line()).unwrap_or(0);
                let mut fields = HashMap::new();
                for col in columns {
                    if let Some(idx) = header.iter().position(|h| h == col) {
                        fields.insert(*col, rec.get(idx).unwrap_or("").trim().to_owned());
                    }
                }
                rows.push(Row { line, fields });
            }
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                let reason = match e.kind() {
                    csv::ErrorKind::UnequalLengths {
                        expected_len, len, ..
                    } => {
                        format!("has {len} fields, expected {expected_len}")
                    }
                    csv::ErrorKind::Utf8 { .. } => "is not valid UTF-8".to_owned(),
                    _ => e.to_string(),
                };
                errors.push(LineError {
                    line,
                    column: "line".into(),
                    reason,
                });
            }
        }
    }
    if !errors.is_empty() {
        return Err(ImportError::Rejected(errors));
    }
    Ok(rows)
}

/// Collects the errors of one import.
#[derive(Default)]
struct Problems(Vec<LineError>);

impl Problems {
    fn add(&mut self, line: u64, column: &str, reason: impl fmt::Display) {
        self.0.push(LineError {
            line,
            column: column.to_owned(),
            reason: reason.to_string(),
        });
    }

    fn parse<T, E: fmt::Display>(&mut self, row: &Row, column: &str, r: Result<T, E>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.add(row.line, column, e);
                None
            }
        }
    }

    /// A required date within `range` (see `waakvlam_domain::limits`).
    fn date(&mut self, row: &Row, column: &str, range: DateRange) -> Option<NaiveDate> {
        let v = row.get(column);
        if v.is_empty() {
            self.add(row.line, column, "is required (YYYY-MM-DD)");
            return None;
        }
        let d = self.parse(row, column, parse_date(v))?;
        self.limit(row, limits::check_date(column, d, range))
            .then_some(d)
    }

    fn optional_date(
        &mut self,
        row: &Row,
        column: &str,
        range: DateRange,
    ) -> Option<Option<NaiveDate>> {
        let v = row.get(column);
        if v.is_empty() {
            return Some(None);
        }
        self.date(row, column, range).map(Some)
    }

    /// A required text of `class`.
    fn required(&mut self, row: &Row, column: &str, class: TextClass) -> Option<String> {
        let v = row.get(column);
        if v.is_empty() {
            self.add(row.line, column, "is required");
            None
        } else {
            self.text(row, column, class).flatten()
        }
    }

    /// An optional text of `class` (`Some(None)` when empty; `None` when refused).
    fn text(&mut self, row: &Row, column: &str, class: TextClass) -> Option<Option<String>> {
        let v = row.get(column);
        self.limit(row, limits::check_text(column, v, class))
            .then(|| optional(v))
    }

    /// Notes a limit's refusal in the CLI's English; whether it passed.
    fn limit(&mut self, row: &Row, check: Result<(), Refusal>) -> bool {
        match check {
            Ok(()) => true,
            Err(r) => {
                self.add(row.line, &r.field, english(&r));
                false
            }
        }
    }

    fn finish(self) -> Result<(), ImportError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            let mut errors = self.0;
            errors.sort_by_key(|e| e.line);
            Err(ImportError::Rejected(errors))
        }
    }
}

type DateRange = (NaiveDate, NaiveDate);

/// A limit's refusal as the CLI reports it.
fn english(r: &Refusal) -> String {
    let arg = |name: &str| {
        r.reason
            .args
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    match r.reason.id {
        "text-length" => format!("is longer than {} characters", arg("max")),
        "text-control" => "contains control characters (such as NUL)".to_owned(),
        "date-range" => format!("must be between {} and {}", arg("min"), arg("max")),
        _ => r.to_string(),
    }
}

fn parse_date(v: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(v, "%Y-%m-%d")
        .map_err(|_| format!("{v:?} is not a date (YYYY-MM-DD)"))
}

fn optional(v: &str) -> Option<String> {
    (!v.is_empty()).then(|| v.to_owned())
}

/// Imports `agb_code,name`.
pub async fn providers<R: Read>(cx: &Cx<'_>, input: R) -> Result<ImportSummary, ImportError> {
    let rows = read_rows(input, &["agb_code", "name"])?;
    let mut p = Problems::default();
    let mut parsed = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    for row in &rows {
        let agb = p.parse(row, "agb_code", AgbCode::parse(row.get("agb_code")));
        let name = p.required(row, "name", TextClass::Name);
        if let Some(agb) = &agb
            && let Some(first) = seen.insert(agb.as_str().to_owned(), row.line)
        {
            p.add(
                row.line,
                "agb_code",
                format!("{} appears on line {first} too", agb.as_str()),
            );
        }
        if let (Some(agb), Some(name)) = (agb, name) {
            parsed.push((agb, name));
        }
    }
    p.finish()?;
    let mut summary = ImportSummary::default();
    for (agb, name) in parsed {
        let before = organisations::provider_by_agb(cx, agb.as_str()).await?;
        organisations::upsert_provider(cx, &agb, &name).await?;
        match before {
            None => summary.created += 1,
            Some(b) if b.name != name => summary.updated += 1,
            Some(_) => summary.unchanged += 1,
        }
    }
    Ok(summary)
}

/// Imports `bsn,birth_date,family_name,prefix,given_names,municipality_code`.
pub async fn residents<R: Read>(cx: &Cx<'_>, input: R) -> Result<ImportSummary, ImportError> {
    let rows = read_rows(
        input,
        &[
            "bsn",
            "birth_date",
            "family_name",
            "prefix",
            "given_names",
            "municipality_code",
        ],
    )?;
    let today = cx.today();
    let mut p = Problems::default();
    let mut parsed = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    for row in &rows {
        let bsn = p.parse(row, "bsn", Bsn::parse(row.get("bsn")));
        let birth = p.date(row, "birth_date", limits::birth_dates(today));
        let family = p.required(row, "family_name", TextClass::Name);
        let prefix = p.text(row, "prefix", TextClass::Name);
        let given = p.text(row, "given_names", TextClass::Name);
        let code = p.parse(
            row,
            "municipality_code",
            MunicipalityCode::parse(row.get("municipality_code")),
        );
        if let Some(bsn) = &bsn
            && let Some(first) = seen.insert(bsn.as_str().to_owned(), row.line)
        {
            p.add(
                row.line,
                "bsn",
                format!("the same BSN appears on line {first} too"),
            );
        }
        if let (
            Some(bsn),
            Some(birth_date),
            Some(family_name),
            Some(name_prefix),
            Some(given_names),
            Some(code),
        ) = (bsn, birth, family, prefix, given, code)
        {
            parsed.push((
                row.line,
                NewResident {
                    bsn,
                    birth_date,
                    family_name,
                    name_prefix,
                    given_names,
                    initials: None,
                    municipality_code: code,
                    phone: None,
                    email: None,
                    address: None,
                },
            ));
        }
    }
    // Lines that parsed are checked against the database too, so one run
    // reports every problem; the unit of work is rolled back if any.
    let mut summary = ImportSummary::default();
    for (line, new) in &parsed {
        if organisations::municipality(cx, new.municipality_code.as_str())
            .await?
            .is_none()
        {
            p.add(
                *line,
                "municipality_code",
                format!("unknown municipality {}", new.municipality_code.as_str()),
            );
            continue;
        }
        let before = residents::id_by_bsn(cx, &new.bsn).await?;
        residents::upsert(cx, new).await?;
        if before.is_some() {
            summary.updated += 1;
        } else {
            summary.created += 1;
        }
    }
    p.finish()?;
    Ok(summary)
}

/// Imports `bsn,birth_date,family_name,given_names,municipality_code,product_code,
/// provider_agb,issued_on,start_date,end_date,planned_scale_down_date`.
pub async fn indications<R: Read>(cx: &Cx<'_>, input: R) -> Result<ImportSummary, ImportError> {
    let rows = read_rows(
        input,
        &[
            "bsn",
            "birth_date",
            "family_name",
            "given_names",
            "municipality_code",
            "product_code",
            "provider_agb",
            "issued_on",
            "start_date",
            "end_date",
            "planned_scale_down_date",
        ],
    )?;
    struct Parsed {
        line: u64,
        resident: NewResident,
        product: ProductCode,
        provider: AgbCode,
        issued_on: NaiveDate,
        start: NaiveDate,
        end: Option<NaiveDate>,
        scale_down: Option<NaiveDate>,
    }
    let today = cx.today();
    let mut p = Problems::default();
    let mut parsed = Vec::new();
    for row in &rows {
        let bsn = p.parse(row, "bsn", Bsn::parse(row.get("bsn")));
        let birth = p.date(row, "birth_date", limits::birth_dates(today));
        let family = p.required(row, "family_name", TextClass::Name);
        let given = p.text(row, "given_names", TextClass::Name);
        let code = p.parse(
            row,
            "municipality_code",
            MunicipalityCode::parse(row.get("municipality_code")),
        );
        let product = p.parse(
            row,
            "product_code",
            ProductCode::parse(row.get("product_code")),
        );
        let provider = p.parse(row, "provider_agb", AgbCode::parse(row.get("provider_agb")));
        let care = limits::care_dates(today);
        let issued = p.date(row, "issued_on", care);
        let start = p.date(row, "start_date", care);
        let end = p.optional_date(row, "end_date", care);
        let scale_down = p.optional_date(row, "planned_scale_down_date", care);
        if let (
            Some(bsn),
            Some(birth_date),
            Some(family_name),
            Some(given_names),
            Some(code),
            Some(product),
            Some(provider),
            Some(issued_on),
            Some(start),
            Some(end),
            Some(scale_down),
        ) = (
            bsn, birth, family, given, code, product, provider, issued, start, end, scale_down,
        ) {
            parsed.push(Parsed {
                line: row.line,
                resident: NewResident {
                    bsn,
                    birth_date,
                    family_name,
                    name_prefix: None,
                    given_names,
                    initials: None,
                    municipality_code: code,
                    phone: None,
                    email: None,
                    address: None,
                },
                product,
                provider,
                issued_on,
                start,
                end,
                scale_down,
            });
        }
    }
    // Lines that parsed are checked against the database too, so one run
    // reports every problem; the unit of work is rolled back if any.
    let tx = cx.conn();
    let mut summary = ImportSummary::default();
    let mut seen: HashMap<(String, String, NaiveDate), u64> = HashMap::new();
    for row in &parsed {
        let line = row.line;
        let key = (
            row.resident.bsn.as_str().to_owned(),
            row.product.as_str().to_owned(),
            row.start,
        );
        if let Some(first) = seen.insert(key, line) {
            p.add(
                line,
                "start_date",
                format!("the same indication appears on line {first} too"),
            );
            continue;
        }
        let municipality =
            organisations::municipality(cx, row.resident.municipality_code.as_str()).await?;
        let product = catalogue::product_by_code(cx, row.product.as_str()).await?;
        let provider = organisations::provider_by_agb(cx, row.provider.as_str()).await?;
        if municipality.is_none() {
            p.add(
                line,
                "municipality_code",
                format!(
                    "unknown municipality {}",
                    row.resident.municipality_code.as_str()
                ),
            );
        }
        if product.is_none() {
            p.add(
                line,
                "product_code",
                format!("unknown product {}", row.product.as_str()),
            );
        }
        if provider.is_none() {
            p.add(
                line,
                "provider_agb",
                format!(
                    "unknown provider {} (import providers first)",
                    row.provider.as_str()
                ),
            );
        }
        let (Some(_), Some(product), Some(provider)) = (municipality, product, provider) else {
            continue;
        };
        let new = NewIndication {
            resident_id: crate::ResidentId::new(0),
            product_code: row.product.as_str().to_owned(),
            municipality_code: row.resident.municipality_code.as_str().to_owned(),
            provider_id: provider.id,
            allocation_number: None,
            issued_on: row.issued_on,
            start_date: row.start,
            end_date: row.end,
            planned_scale_down_date: row.scale_down,
            agreed_result: None,
            predecessor_id: None,
            professional_account_id: None,
            team_id: None,
            contact_rhythm_days: None,
            end_reason: None,
            outcome: None,
        };
        let max_months =
            catalogue::max_duration_months(tx, product.id, &new.municipality_code).await?;
        let violations = indications::violations(&product, &new, max_months);
        if !violations.is_empty() {
            for v in violations {
                p.add(line, v.field, v.reason);
            }
            continue;
        }
        let resident_id = match residents::id_by_bsn(cx, &row.resident.bsn).await? {
            Some(id) => {
                // A known BSN with another birth date is a typo in one of the two.
                let known =
                    <crate::entity::resident::Entity as sea_orm::EntityTrait>::find_by_id(id.get())
                        .one(tx)
                        .await
                        .map_err(StoreError::from)?;
                if known.is_some_and(|r| r.birth_date != row.resident.birth_date) {
                    p.add(
                        line,
                        "birth_date",
                        "differs from the birth date of the resident with this BSN",
                    );
                    continue;
                }
                id
            }
            None => residents::upsert(cx, &row.resident).await?.0.id,
        };
        if indications::exists(cx, resident_id, product.id, row.start).await? {
            summary.unchanged += 1;
            continue;
        }
        indications::create(cx, &NewIndication { resident_id, ..new }).await?;
        summary.created += 1;
    }
    p.finish()?;
    Ok(summary)
}
