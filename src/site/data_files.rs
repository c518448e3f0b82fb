//! Machine-readable copies of each report: `metrics.json` (the whole report) and
//! `metrics.csv` (one row per department, for spreadsheet users).

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

/// One CSV row: the headline numbers of a department (or of the whole organisation).
#[derive(Serialize)]
struct Row<'a> {
    department: std::borrow::Cow<'a, str>,
    slug: &'a str,
    visits: u64,
    contacted: u64,
    contact_rate: Option<f64>,
    responses: u64,
    satisfied: u64,
    satisfied_rate: Option<f64>,
    satisfied_rate_ci95_low: Option<f64>,
    satisfied_rate_ci95_high: Option<f64>,
    mean_score: Option<f64>,
    low_sample: bool,
    complaints: u64,
    closed: u64,
    closure_rate: Option<f64>,
    overdue: u64,
    days_to_close_median: Option<f64>,
    days_to_close_mean: Option<f64>,
    revisit_satisfied_rate: Option<f64>,
    open_at_end: u64,
    carried_over: u64,
    satisfied_rate_change: Option<f64>,
    satisfied_rate_change_year_ago: Option<f64>,
}

impl<'a> Row<'a> {
    fn new(department: &'a str, slug: &'a str, m: &Metrics) -> Row<'a> {
        let department = spreadsheet_text(department);
        let ci = m.satisfaction.satisfied_rate_ci95;
        Row {
            department,
            slug,
            visits: m.visits.total,
            contacted: m.visits.contacted,
            contact_rate: m.visits.contact_rate,
            responses: m.satisfaction.responses,
            satisfied: m.satisfaction.satisfied,
            satisfied_rate: m.satisfaction.satisfied_rate,
            satisfied_rate_ci95_low: ci.map(|c| c[0]),
            satisfied_rate_ci95_high: ci.map(|c| c[1]),
            mean_score: m.satisfaction.mean_score,
            low_sample: m.satisfaction.low_sample,
            complaints: m.complaints.total,
            closed: m.rectification.closed,
            closure_rate: m.rectification.closure_rate,
            overdue: m.rectification.overdue,
            days_to_close_median: m.rectification.days_to_close.median,
            days_to_close_mean: m.rectification.days_to_close.mean,
            revisit_satisfied_rate: m.rectification.revisit_satisfied_rate,
            open_at_end: m.rectification.open_at_end,
            carried_over: m.rectification.carried_over,
            satisfied_rate_change: m.trend.satisfied_rate.change,
            satisfied_rate_change_year_ago: m.trend.satisfied_rate.change_year_ago,
        }
    }
}

/// Departments first, in report order, then the whole organisation as the last row (empty
/// slug), so a spreadsheet's per-department formulas see the same shape every month.
/// Starts with a UTF-8 BOM: without one, Excel on Windows opens Chinese text as mojibake.
pub fn metrics_csv(report: &PeriodReport, overall_label: &str) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(crate::ingest::decode::UTF8_BOM.to_vec());
    let rows = report
        .departments
        .iter()
        .map(|EntityMetrics { entity, metrics }| Row::new(&entity.name, &entity.slug, metrics))
        .chain([Row::new(overall_label, "", &report.overall)]);
    for row in rows {
        writer
            .serialize(row)
            .expect("writing to memory cannot fail");
    }
    writer.into_inner().expect("writing to memory cannot fail")
}

/// Spreadsheets run a cell starting with `=`, `+`, `-` or `@` as a formula; a leading `'`
/// keeps a department name text (OWASP's advice for CSV injection).
fn spreadsheet_text(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@']) {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}
