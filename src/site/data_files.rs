//! Machine-readable copies of each report: `metrics.json` (the whole report) and
//! `metrics.csv` (one row per department, for spreadsheet users).

use crate::metrics::catalog::{self, Value};
use crate::metrics::{EntityMetrics, Metrics, PeriodReport};
use serde::Serialize;

pub fn metrics_json(report: &PeriodReport) -> Vec<u8> {
    json(report)
}

/// Pretty JSON with a final newline: what every data file of the site looks like.
pub fn json(value: &impl Serialize) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value)
        .expect("site data serialises: no maps with non-string keys");
    bytes.push(b'\n');
    bytes
}

/// One cell of `metrics.csv`, serialised as the value itself: a count, a number or an empty
/// cell, `true`/`false`, text.
enum CsvCell<'a> {
    Text(std::borrow::Cow<'a, str>),
    Value(Value),
}

impl Serialize for CsvCell<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            CsvCell::Text(text) => s.serialize_str(text),
            CsvCell::Value(Value::Count(n)) => s.serialize_u64(*n),
            CsvCell::Value(Value::Number(x)) => x.serialize(s),
            CsvCell::Value(Value::Name(name)) => name.serialize(s),
            CsvCell::Value(Value::Flag(yes)) => s.serialize_bool(*yes),
        }
    }
}

/// One CSV row: the department (or the whole organisation), its slug, and every metric of
/// the catalogue published in `metrics.csv`.
fn csv_row<'a>(department: &'a str, slug: &'a str, m: &Metrics) -> Vec<CsvCell<'a>> {
    let mut row = vec![
        CsvCell::Text(spreadsheet_text(department)),
        CsvCell::Text(slug.into()),
    ];
    row.extend(
        catalog::ALL
            .iter()
            .filter(|metric| metric.published.csv)
            .map(|metric| CsvCell::Value(metric.value(m))),
    );
    row
}

/// Departments first, in report order, then the whole organisation as the last row (empty
/// slug), so a spreadsheet's per-department formulas see the same shape every month.
/// Starts with a UTF-8 BOM: without one, Excel on Windows opens Chinese text as mojibake.
pub fn metrics_csv(report: &PeriodReport, overall_label: &str) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(crate::ingest::decode::UTF8_BOM.to_vec());
    let head = ["department", "slug"].into_iter().chain(
        catalog::ALL
            .iter()
            .filter(|metric| metric.published.csv)
            .map(|metric| metric.name),
    );
    writer
        .write_record(head)
        .expect("writing to memory cannot fail");
    let rows = report
        .departments
        .iter()
        .map(|EntityMetrics { entity, metrics }| csv_row(&entity.name, &entity.slug, metrics))
        .chain([csv_row(overall_label, "", &report.overall)]);
    for row in rows {
        writer
            .serialize(row)
            .expect("writing to memory cannot fail");
    }
    writer.into_inner().expect("writing to memory cannot fail")
}

/// Spreadsheets run a cell starting with `=`, `+`, `-` or `@` as a formula; a leading `'`
/// keeps a department name text (OWASP's advice for CSV injection).
pub(crate) fn spreadsheet_text(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@']) {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}
