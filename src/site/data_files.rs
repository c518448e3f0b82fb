//! Machine-readable copies of each report: `metrics.json` (the whole report, numbers to 4
//! decimals) and `metrics.csv` (one row per department, for spreadsheet users, headed in the
//! site's locale) with `metrics.en.csv` (the same table headed by the catalogue's names).

use crate::metrics::catalog::{self, Kind, Metric, Value};
use crate::metrics::{Metrics, PeriodReport};
use crate::site::i18n::{Strings, fixed};
use serde::Serialize;

/// `metrics.json`, written into `out` as it is made: a report of thousands of departments
/// and sites runs to tens of megabytes.
pub fn write_metrics_json(
    report: &PeriodReport,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    write_json(report, out)
}

/// Pretty JSON with a final newline: what every data file of the site looks like.
pub fn json(value: &impl Serialize) -> Vec<u8> {
    let mut bytes = Vec::new();
    write_json(value, &mut bytes).expect("site data serialises: no maps with non-string keys");
    bytes
}

fn write_json(value: &impl Serialize, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    use std::io::Write as _;
    // serde_json writes token by token.
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, out);
    serde_json::to_writer_pretty(&mut out, value).map_err(std::io::Error::other)?;
    out.write_all(b"\n")?;
    out.flush()
}

/// One cell of `metrics.csv`, written as a spreadsheet reads it: counts as whole numbers,
/// rates as percentages (`84.7%`, which Excel and LibreOffice read as the number 0.847 shown as
/// a percentage), changes in percentage points (`-3.2`), scores and days as decimals, each
/// rounded once from the exact value as the pages round it; undefined values empty.
fn csv_cell(metric: &Metric, value: Value) -> String {
    let number = |x: Option<f64>, scale: f64, places: u32, unit: &str| {
        x.map_or_else(String::new, |x| {
            format!("{}{unit}", fixed(x * scale, places))
        })
    };
    match (metric.kind, value) {
        (_, Value::Count(n)) => n.to_string(),
        (Kind::Count, Value::Number(x)) => x.map_or_else(String::new, |x| (x as u64).to_string()),
        (Kind::Rate, Value::Number(x)) => number(x, 100.0, 1, "%"),
        (Kind::Change, Value::Number(x)) => number(x, 100.0, 1, ""),
        (Kind::Score, Value::Number(x)) => number(x, 1.0, 2, ""),
        (_, Value::Number(x)) => number(x, 1.0, 1, ""),
        (_, Value::Name(name)) => {
            name.map_or_else(String::new, |n| spreadsheet_text(&n).into_owned())
        }
        (_, Value::Flag(yes)) => yes.to_string(),
    }
}

/// The columns of `metrics.csv` after the department and its slug.
fn csv_metrics() -> impl Iterator<Item = &'static Metric> {
    catalog::ALL.iter().filter(|metric| metric.published.csv)
}

/// One CSV row: the department (or the whole organisation), its slug, and every metric of
/// the catalogue published in `metrics.csv`.
fn csv_row(department: &str, slug: &str, m: &Metrics) -> Vec<String> {
    let mut row = vec![spreadsheet_text(department).into_owned(), slug.to_owned()];
    row.extend(csv_metrics().map(|metric| csv_cell(metric, metric.value(m))));
    row
}

/// Which names head the columns of a metrics CSV.
#[derive(Clone, Copy)]
pub enum CsvHead<'a> {
    /// The labels the pages use, in the site's locale (`metrics.csv`).
    Labels(&'a Strings),
    /// The catalogue's names (`department, slug, visits, …`), the same in every locale, for
    /// scripts (`metrics.en.csv`).
    Names,
}

/// Departments first, in report order, then the whole organisation as the last row (empty
/// slug), so a spreadsheet's per-department formulas see the same shape every month.
/// Starts with a UTF-8 BOM: without one, Excel on Windows opens Chinese text as mojibake.
pub fn metrics_csv(report: &PeriodReport, overall_label: &str, head: CsvHead<'_>) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(crate::ingest::decode::UTF8_BOM.to_vec());
    let names = ["department", "slug"]
        .into_iter()
        .chain(csv_metrics().map(|metric| metric.name));
    let head: Vec<&str> = match head {
        CsvHead::Labels(t) => names.map(|name| t.get(name)).collect(),
        CsvHead::Names => names.collect(),
    };
    writer
        .write_record(head)
        .expect("writing to memory cannot fail");
    let departments = report.departments.list();
    let rows = (departments.iter())
        .map(|e| csv_row(&e.entity.name, &e.entity.slug, &e.metrics))
        .chain([csv_row(overall_label, "", &report.overall)]);
    for row in rows {
        writer
            .write_record(row)
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
