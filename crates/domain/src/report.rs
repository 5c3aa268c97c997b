//! The indication count report: how many indications per municipality in a
//! year, rendered as JSON, CSV or a plain-text table.

use std::fmt::Write as _;

use serde::Serialize;

/// Indications counted for one municipality.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndicationCountRow {
    pub municipality_code: String,
    pub municipality: String,
    pub count: u64,
}

/// Indications per municipality for a year, optionally filtered.
///
/// Serialises (and [`IndicationReport::to_json`] renders) as
/// `{"year":…,"product":…,"rows":[…],"total":…}`; the municipality filter is
/// left out because the rows already show which municipalities are included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndicationReport {
    pub year: i32,
    /// Product code filter, `None` for all products.
    pub product: Option<String>,
    /// Municipality filter, `None` for all municipalities.
    #[serde(skip)]
    pub municipality: Option<String>,
    pub rows: Vec<IndicationCountRow>,
    pub total: u64,
}

impl IndicationReport {
    /// Builds the report: rows sorted by municipality name (case-insensitive,
    /// then by code for equal names) and the total computed from the rows.
    pub fn new(
        year: i32,
        product: Option<String>,
        municipality: Option<String>,
        mut rows: Vec<IndicationCountRow>,
    ) -> Self {
        rows.sort_by_cached_key(|row| {
            (
                row.municipality.to_lowercase(),
                row.municipality_code.clone(),
            )
        });
        let total = rows
            .iter()
            .map(|row| row.count)
            .fold(0u64, u64::saturating_add);
        Self {
            year,
            product,
            municipality,
            rows,
            total,
        }
    }

    /// The report as compact JSON.
    pub fn to_json(&self) -> String {
        // Serialising strings and integers into memory cannot fail; the
        // fallback only keeps this function total.
        serde_json::to_string(self).unwrap_or_else(|_| String::from("{}"))
    }

    /// The report as CSV (RFC 4180 quoting, `\n` line endings): a header, one
    /// line per municipality and a closing `,Totaal,<total>` line.
    pub fn to_csv(&self) -> String {
        let mut out = String::from("municipality_code,municipality,count\n");
        for row in &self.rows {
            let _ = writeln!(
                out,
                "{},{},{}",
                csv_field(&row.municipality_code),
                csv_field(&row.municipality),
                row.count
            );
        }
        let _ = writeln!(out, ",Totaal,{}", self.total);
        out
    }

    /// The report as an aligned plain-text table for the terminal, with
    /// counts right-aligned and a total line.
    pub fn to_table(&self) -> String {
        const HEADERS: [&str; 3] = ["Gemeentecode", "Gemeente", "Aantal"];
        const TOTAL: &str = "Totaal";
        let width = |s: &str| s.chars().count();

        let total = self.total.to_string();
        let counts: Vec<String> = self.rows.iter().map(|row| row.count.to_string()).collect();
        let code_width = self
            .rows
            .iter()
            .map(|row| width(&row.municipality_code))
            .chain([width(HEADERS[0])])
            .max()
            .unwrap_or_default();
        let name_width = self
            .rows
            .iter()
            .map(|row| width(&row.municipality))
            .chain([width(HEADERS[1]), width(TOTAL)])
            .max()
            .unwrap_or_default();
        let count_width = counts
            .iter()
            .map(|c| width(c))
            .chain([width(HEADERS[2]), width(&total)])
            .max()
            .unwrap_or_default();

        let mut out = String::new();
        let mut line = |code: &str, name: &str, count: &str| {
            let text = format!("{code:<code_width$}  {name:<name_width$}  {count:>count_width$}");
            out.push_str(text.trim_end());
            out.push('\n');
        };
        line(HEADERS[0], HEADERS[1], HEADERS[2]);
        let separator = [code_width, name_width, count_width].map(|w| "-".repeat(w));
        line(&separator[0], &separator[1], &separator[2]);
        for (row, count) in self.rows.iter().zip(&counts) {
            line(&row.municipality_code, &row.municipality, count);
        }
        line(&separator[0], &separator[1], &separator[2]);
        line("", TOTAL, &total);
        out
    }
}

/// Quotes a CSV field when it contains a separator, quote or line break.
fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(code: &str, name: &str, count: u64) -> IndicationCountRow {
        IndicationCountRow {
            municipality_code: code.to_owned(),
            municipality: name.to_owned(),
            count,
        }
    }

    fn sample() -> IndicationReport {
        IndicationReport::new(
            2020,
            Some("WVL".to_owned()),
            None,
            vec![
                row("0687", "Middelburg", 30),
                row("0654", "Borsele", 4),
                row("0718", "vlissingen", 8),
            ],
        )
    }

    #[test]
    fn sorted_case_insensitively_with_total() {
        let report = sample();
        let names: Vec<&str> = report
            .rows
            .iter()
            .map(|r| r.municipality.as_str())
            .collect();
        assert_eq!(names, ["Borsele", "Middelburg", "vlissingen"]);
        assert_eq!(report.total, 42);
    }

    #[test]
    fn json_shape() {
        let report = IndicationReport::new(
            2020,
            Some("WVL".to_owned()),
            Some("0654".to_owned()),
            vec![row("0654", "Borsele", 4)],
        );
        assert_eq!(
            report.to_json(),
            r#"{"year":2020,"product":"WVL","rows":[{"municipality_code":"0654","municipality":"Borsele","count":4}],"total":4}"#
        );
        let unfiltered = IndicationReport::new(2021, None, None, vec![]);
        assert_eq!(
            unfiltered.to_json(),
            r#"{"year":2021,"product":null,"rows":[],"total":0}"#
        );
    }

    #[test]
    fn csv_output() {
        assert_eq!(
            sample().to_csv(),
            "municipality_code,municipality,count\n\
             0654,Borsele,4\n\
             0687,Middelburg,30\n\
             0718,vlissingen,8\n\
             ,Totaal,42\n"
        );
    }

    #[test]
    fn csv_quotes_names() {
        let report = IndicationReport::new(
            2020,
            None,
            None,
            vec![row("9999", "Gemeente \"X\", Noord", 1)],
        );
        assert_eq!(
            report.to_csv(),
            "municipality_code,municipality,count\n9999,\"Gemeente \"\"X\"\", Noord\",1\n,Totaal,1\n"
        );
    }

    #[test]
    fn table_output() {
        let expected = "\
Gemeentecode  Gemeente    Aantal
------------  ----------  ------
0654          Borsele          4
0687          Middelburg      30
0718          vlissingen       8
------------  ----------  ------
              Totaal          42
";
        assert_eq!(sample().to_table(), expected);
    }

    #[test]
    fn table_widens_for_large_counts_and_long_names() {
        let report = IndicationReport::new(
            2020,
            None,
            None,
            vec![row("1900", "Súdwest-Fryslân", 12_345_678)],
        );
        let table = report.to_table();
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines[2], "1900          Súdwest-Fryslân  12345678");
        assert_eq!(lines[4], "              Totaal           12345678");
    }
}
