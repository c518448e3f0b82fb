//! The report site. Until the metrics and full pages land this writes one overview page:
//! rows read per file and visits per month and department.

pub mod theme;

use crate::config::{Config, Locale, Project};
use crate::ingest::IngestReport;
use crate::model::{Sym, Symbols, VisitRecord};
use crate::output::{OutputError, Staging};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;
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

/// Visits per (year, month) and department: enough for the overview page.
#[derive(Debug, Default)]
pub struct Overview {
    months: BTreeMap<(i32, u32), BTreeMap<Sym, u64>>,
}

impl Overview {
    pub fn add(&mut self, record: &VisitRecord) {
        let month = (record.date.year(), record.date.month());
        *self
            .months
            .entry(month)
            .or_default()
            .entry(record.department)
            .or_default() += 1;
    }
}

#[derive(Serialize)]
struct MonthRow {
    month: String,
    total: u64,
    counts: Vec<u64>,
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

/// Department names in display order: the configured order first, then the rest by name.
pub fn department_order<'a>(
    config: &Config,
    symbols: &'a Symbols,
    present: &[Sym],
) -> Vec<(Sym, &'a str)> {
    let rank = |name: &str| {
        config
            .departments
            .iter()
            .position(|d| d.name == name)
            .unwrap_or(usize::MAX)
    };
    let mut list: Vec<(Sym, &str)> = present.iter().map(|&s| (s, symbols.name(s))).collect();
    list.sort_by(|a, b| (rank(a.1), a.1).cmp(&(rank(b.1), b.1)));
    list.dedup();
    list
}

pub fn write_site(
    project: &Project,
    out: &Path,
    as_of: NaiveDate,
    overview: &Overview,
    symbols: &Symbols,
    ingest: &IngestReport,
) -> Result<(), SiteError> {
    let theme = Theme::load(project)?;
    let present: Vec<Sym> = overview
        .months
        .values()
        .flat_map(|m| m.keys().copied())
        .collect();
    let departments = department_order(&project.config, symbols, &present);
    let months: Vec<MonthRow> = overview
        .months
        .iter()
        .rev()
        .map(|(&(y, m), counts)| MonthRow {
            month: format!("{y}-{m:02}"),
            total: counts.values().sum(),
            counts: departments
                .iter()
                .map(|(s, _)| counts.get(s).copied().unwrap_or(0))
                .collect(),
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
    context.insert("title", &project.config.title);
    context.insert(
        "lang",
        match project.config.locale {
            Locale::ZhCn => "zh-CN",
            Locale::En => "en",
        },
    );
    context.insert("as_of", &as_of.to_string());
    context.insert(
        "departments",
        &departments.iter().map(|(_, n)| *n).collect::<Vec<_>>(),
    );
    context.insert("months", &months);
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
    staging.commit()?;
    Ok(())
}
