//! Survey exports read as the survey tools write them — 问卷星 (text and number downloads),
//! 腾讯问卷, SurveyMonkey, Qualtrics, Google Forms, Microsoft Forms, LimeSurvey, or a plain table of questions —
//! into one typed model: questions with their kinds and options, and one answer per question
//! for every response.
//!
//! Reading happens in three steps: `grid` decodes the file into rows of normalised cells
//! (UTF-8 with or without BOM, GBK/GB18030, as visit logs are read); a format module reads
//! the header rows into a `ColumnPlan` (which column is what); `assemble` types every question
//! (config override, else `infer`) and every answer.

mod answer_column;
mod assemble;
mod column_plan;
mod context;
mod detect;
mod fixed;
mod google_forms;
mod grid;
mod infer;
mod limesurvey;
mod limesurvey_text;
mod listed;
mod markup;
mod microsoft_forms;
mod model;
mod plain;
mod qualtrics;
mod qualtrics_ids;
mod spelled_out;
mod surveymonkey;
mod tencent;
mod values;
mod wjx;
mod wjx_number;
mod wjx_text;

pub use model::{
    Answer, ExportFormat, Question, QuestionKind, Response, SurveyExport, bare_number, codes_hint,
};

use crate::config::EncodingChoice;
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum SurveyReadError {
    #[error("cannot read the export: {0}")]
    Io(#[from] std::io::Error),
    #[error("the export is {}", .0.describe())]
    NotCsv(crate::ingest::sniff::NotCsv),
    #[error("the export is empty: it has no header row")]
    Empty,
    #[error("{0}")]
    Workbook(#[from] crate::ingest::workbook::WorkbookError),
    #[error(
        "the header row reads {}, which is no survey export layout this tool knows; expected {expected}",
        quote_headers(headers)
    )]
    UnknownLayout {
        headers: Vec<String>,
        expected: String,
    },
    #[error(
        "the export is set to be read as {format}, but its header reads {}; expected {expected}. \
         Set the survey's `format` to \"auto\" to detect the layout",
        quote_headers(headers)
    )]
    WrongLayout {
        format: ExportFormat,
        headers: Vec<String>,
        expected: String,
    },
}

/// Headers shown in a message: the first dozen, quoted.
fn quote_headers(headers: &[String]) -> String {
    const SHOWN: usize = 12;
    let mut text = headers
        .iter()
        .take(SHOWN)
        .map(|h| format!("`{}`", crate::ingest::text::shown(h)))
        .collect::<Vec<_>>()
        .join(", ");
    if headers.len() > SHOWN {
        text.push_str(&format!(" … ({} columns)", headers.len()));
    }
    text
}

/// Reads one export. `format` is [`ExportFormat::Auto`] to tell the layout from the header
/// rows, or the format the config names. `kinds` sets question kinds by question number
/// (`"3"`, `"Q3"`, or a matrix's number for all its rows); they win over inference.
pub fn read_export(
    path: &Path,
    encoding: EncodingChoice,
    format: ExportFormat,
    kinds: &BTreeMap<String, QuestionKind>,
) -> Result<SurveyExport, SurveyReadError> {
    read_export_sheet(path, None, encoding, format, kinds)
}

/// Reads one export that may be a workbook, from its sheet `sheet` (default: the first
/// visible one). Warnings then name cells as Excel does (`E7`).
pub fn read_export_sheet(
    path: &Path,
    sheet: Option<&str>,
    encoding: EncodingChoice,
    format: ExportFormat,
    kinds: &BTreeMap<String, QuestionKind>,
) -> Result<SurveyExport, SurveyReadError> {
    let mut export = read_grid(grid::read_file(path, encoding, sheet)?, format, kinds)?;
    if export.sheet.is_some() {
        for warning in &mut export.warnings {
            *warning = in_sheet(warning);
        }
    }
    Ok(export)
}

/// A warning's place as a workbook names it: `line 7, column 5` → `E7`, `line 7` → `row 7`
/// (a sheet's row N is read as line N).
fn in_sheet(warning: &str) -> String {
    fn number(s: &str) -> Option<(usize, &str)> {
        let digits = s.bytes().take_while(u8::is_ascii_digit).count();
        let n = s[..digits].parse::<usize>().ok()?;
        Some((n, &s[digits..]))
    }
    let Some((line, rest)) = warning.strip_prefix("line ").and_then(number) else {
        return warning.to_owned();
    };
    match rest.strip_prefix(", column ").and_then(number) {
        Some((column, rest)) => {
            format!(
                "{}{line}{rest}",
                crate::ingest::workbook::column_letters(column)
            )
        }
        None => format!("row {line}{rest}"),
    }
}

fn read_grid(
    grid: grid::Grid,
    format: ExportFormat,
    kinds: &BTreeMap<String, QuestionKind>,
) -> Result<SurveyExport, SurveyReadError> {
    if grid.rows.is_empty() {
        return Err(SurveyReadError::Empty);
    }
    let headers = || {
        let first = &grid.rows[0];
        first.cells[..first.width()].to_vec()
    };
    let requested = format;
    let format = match format {
        ExportFormat::Auto => {
            detect::detect(&grid).ok_or_else(|| SurveyReadError::UnknownLayout {
                headers: headers(),
                expected: detect::expected_any(Some(&grid)),
            })?
        }
        forced => forced,
    };
    let layout = detect::layout(format, &grid).map_err(|expected| match requested {
        ExportFormat::Auto => SurveyReadError::UnknownLayout {
            headers: headers(),
            expected: format!("{format}: {expected}"),
        },
        _ => SurveyReadError::WrongLayout {
            format,
            headers: headers(),
            expected,
        },
    })?;
    Ok(assemble::assemble(format, grid, layout, kinds))
}

#[cfg(test)]
mod tests;
