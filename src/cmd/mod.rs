//! One file per command; each calls the library and reports what happened.

pub mod archive;
pub mod build;
pub mod check;
pub mod export;
pub mod generate;
pub mod init;
pub mod partials;
pub mod privacy_scan;
pub mod sample;
pub mod serve;
pub mod sql;

use huifang::config::ConfigError;
use huifang::ingest::IngestReport;
use huifang::ingest::sources::SourceError;

/// How a command failed; `main` maps each kind to its exit code.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// The data did not pass: unreadable files, or rejected rows where they are not allowed.
    #[error("{0}")]
    Data(String),
    #[error("{0}")]
    Config(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<ConfigError> for Failure {
    fn from(e: ConfigError) -> Self {
        // Most often a first run in the wrong folder, or before any project exists.
        let hint = match &e {
            ConfigError::Read { path, source } if source.kind() == std::io::ErrorKind::NotFound => {
                let folder = match path.parent() {
                    Some(p) if !p.as_os_str().is_empty() => p.display().to_string(),
                    _ => "this folder".to_owned(),
                };
                format!(
                    "\nthere is no project in {folder}: `huifang init` starts one here (or \
                     `huifang init DIR` in a new folder), or pass the config of an existing \
                     one with --config FILE"
                )
            }
            _ => String::new(),
        };
        Failure::Config(format!("{e}{hint}"))
    }
}

impl From<SourceError> for Failure {
    fn from(e: SourceError) -> Self {
        Failure::Config(e.to_string())
    }
}

/// Prints what reading the survey exports found, file by file, with the first
/// `warnings_per_file` warnings of each, as for visit logs.
pub fn print_surveys(files: &[huifang::survey::SurveyFile], warnings_per_file: usize) {
    for file in files {
        eprintln!("survey {}", file.summary);
        for warning in file.warnings.iter().take(warnings_per_file) {
            eprintln!("  {warning}");
        }
        let not_shown = file.warnings.len().saturating_sub(warnings_per_file);
        if not_shown > 0 {
            eprintln!("  … and {not_shown} more (run `huifang check` to list them)");
        }
    }
}

/// Prints what reading the work orders found, as for visit logs, under a heading of its own;
/// nothing for a project without `[[orders]]`.
pub fn print_orders(report: &IngestReport, diagnostics_per_file: usize, columns: bool) {
    if report.files.is_empty() && report.failures.is_empty() {
        return;
    }
    eprintln!("work orders:");
    print_report(report, diagnostics_per_file, columns);
}

/// Prints what reading found, file by file: the first `diagnostics_per_file` problems of
/// each, and with `columns`, which header every field was read from.
pub fn print_report(report: &IngestReport, diagnostics_per_file: usize, columns: bool) {
    for file in &report.files {
        eprintln!("{}", file.summary_line());
        if columns {
            let used: Vec<String> = file
                .columns
                .iter()
                .map(|c| {
                    let header = huifang::ingest::text::shown(&c.header);
                    match c.by {
                        "built-in" => format!("{} ← {header}", c.field),
                        by => format!("{} ← {header} ({by})", c.field),
                    }
                })
                .collect();
            eprintln!("  columns: {}", used.join(", "));
            // A workbook's lines are its sheet's rows.
            let (lines, rows) = match file.sheet {
                Some(_) => ("sheet rows", "data rows"),
                None => ("lines", "rows"),
            };
            let [all, above, in_rows, blank] = file.line_counts();
            eprintln!(
                "  {lines}: {all} = {above} above the {rows} (title, header) + {in_rows} in {rows} \
                 + {blank} blank"
            );
        }
        for missed in &file.missed_mappings {
            eprintln!("  {missed}");
        }
        if file.title_lines > 0 {
            eprintln!(
                "  skipped {} title line(s) above the header",
                file.title_lines
            );
        }
        if !file.unused_columns.is_empty() {
            let unused = huifang::ingest::columns::shown_list(&file.unused_columns);
            eprintln!("  columns not used: {unused}");
        }
        for d in file.diagnostics.iter().take(diagnostics_per_file) {
            eprintln!("  {}", file.describe(d));
        }
        let not_shown = file.diagnostics.len().saturating_sub(diagnostics_per_file) as u64;
        if not_shown > 0 {
            eprintln!("  … and {not_shown} more (run `huifang check` to list them)");
        }
        if file.omitted() > 0 {
            eprintln!(
                "  … and {} more not kept: only the first {} problems of a file are listed; \
                 fix those and run again",
                file.omitted(),
                huifang::ingest::report::MAX_DIAGNOSTICS_PER_FILE
            );
        }
    }
    for failure in &report.failures {
        eprintln!("error: {failure}");
    }
    if report.files.len() + report.failures.len() > 1 {
        eprintln!(
            "total: read {} rows: accepted {}, rejected {}, warnings {}",
            report.rows_read(),
            report.accepted(),
            report.rejected(),
            report.warnings()
        );
    }
}
