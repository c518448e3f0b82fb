//! The report site. Until the full pages land this writes an overview page listing every
//! report with its headline numbers, and each report's `metrics.json` and `metrics.csv`.

pub mod data_files;
pub mod theme;

use crate::config::{Locale, Project};
use crate::ingest::IngestReport;
use crate::metrics::PeriodReport;
use crate::output::{OutputError, Staging};
use serde::Serialize;
use theme::{Theme, ThemeError};

#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    #[error(transparent)]
    Theme(#[from] ThemeError),
    #[error(transparent)]
    Output(#[from] OutputError),
    #[error("rendering {page}: {message}")]
    Render { page: String, message: String },
}

#[derive(Serialize)]
struct ReportRow<'a> {
    id: &'a str,
    kind: &'static str,
    in_progress: bool,
    visits: u64,
    satisfied_rate: Option<f64>,
    complaints: u64,
    closure_rate: Option<f64>,
    overdue: u64,
    open_at_end: u64,
}

#[derive(Serialize)]
struct FileRow<'a> {
    path: &'a str,
    encoding: &'a str,
    rows_read: u64,
    accepted: u64,
    rejected: u64,
    warnings: u64,
}

pub fn write_site(
    project: &Project,
    out: &std::path::Path,
    reports: &[PeriodReport],
    ingest: &IngestReport,
) -> Result<usize, SiteError> {
    let theme = Theme::load(project)?;
    let config = &project.config;
    let overall_label = match config.locale {
        Locale::ZhCn => "全部",
        Locale::En => "All",
    };
    let rows: Vec<ReportRow> = reports
        .iter()
        .map(|r| ReportRow {
            id: &r.period.id,
            kind: r.period.kind.name(),
            in_progress: r.period.in_progress,
            visits: r.overall.visits.total,
            satisfied_rate: r.overall.satisfaction.satisfied_rate,
            complaints: r.overall.complaints.total,
            closure_rate: r.overall.rectification.closure_rate,
            overdue: r.overall.rectification.overdue,
            open_at_end: r.overall.rectification.open_at_end,
        })
        .collect();
    let files: Vec<FileRow> = ingest
        .files
        .iter()
        .map(|f| FileRow {
            path: &f.path,
            encoding: f.encoding,
            rows_read: f.rows_read,
            accepted: f.accepted,
            rejected: f.rejected,
            warnings: f.warnings,
        })
        .collect();

    let mut context = tera::Context::new();
    context.insert("title", &config.title);
    context.insert(
        "lang",
        match config.locale {
            Locale::ZhCn => "zh-CN",
            Locale::En => "en",
        },
    );
    context.insert("as_of", &reports.first().map(|r| r.as_of.to_string()));
    context.insert("reports", &rows);
    context.insert("files", &files);
    context.insert("rows_read", &ingest.rows_read());
    context.insert("accepted", &ingest.accepted());
    context.insert("rejected", &ingest.rejected());

    let html = theme
        .tera
        .render("index.html", &context)
        .map_err(|e| SiteError::Render {
            page: "index.html".to_owned(),
            message: e.to_string(),
        })?;
    let staging = Staging::new(out)?;
    staging.write("index.html", html.as_bytes())?;
    for (name, bytes) in &theme.static_files {
        staging.write(name, bytes)?;
    }
    for report in reports {
        let dir = format!("reports/{}", report.period.id);
        staging.write(
            &format!("{dir}/metrics.json"),
            &data_files::metrics_json(report),
        )?;
        staging.write(
            &format!("{dir}/metrics.csv"),
            &data_files::metrics_csv(report, overall_label),
        )?;
    }
    staging.commit()?;
    Ok(reports.len())
}
