//! What ingest tells the user: per file, rows read = accepted + rejected, and every rejected
//! row or blanked cell with its line, column and reason.

use super::columns::MissingColumns;
use super::decode::Encoding;
use std::fmt;

/// Diagnostics kept per file; beyond this only the counts grow, so a file with a systematic
/// problem cannot exhaust memory. The counts stay exact.
pub const MAX_DIAGNOSTICS_PER_FILE: usize = 1000;

/// What a problem did to its row. (A complaint's level is [`crate::model::Severity`].)
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Impact {
    /// The row was not used.
    Rejected,
    /// The row was used with one cell blanked or ignored.
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Column {
    /// 1-based, as spreadsheets count.
    pub number: usize,
    pub header: String,
    pub field: Option<&'static str>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// 1-based physical line where the row starts (line 1 is usually the header).
    pub line: u64,
    pub column: Option<Column>,
    pub impact: Impact,
    /// What the terminal says, in English, with every detail.
    pub message: String,
    /// What the site says, in its locale.
    #[serde(skip)]
    pub reason: Reason,
}

/// A problem as the site words it: a stable key (the theme's string `reason_<key>`) and the
/// values it quotes, so each locale says it in its own words; `huifang check` gives the
/// English message with every detail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    pub key: &'static str,
    /// `{name}` → value; values quoted from a cell are masked before they are published.
    pub values: Vec<(&'static str, String)>,
    /// `{expected}`: the values that would have been read, listed as the locale lists them.
    pub expected: Vec<String>,
    /// The row was kept with this cell left blank.
    pub left_blank: bool,
}

impl Reason {
    pub fn new(key: &'static str) -> Reason {
        Reason {
            key,
            values: Vec::new(),
            expected: Vec::new(),
            left_blank: false,
        }
    }

    pub fn with(mut self, name: &'static str, value: impl ToString) -> Reason {
        self.values.push((name, value.to_string()));
        self
    }

    pub fn expecting(mut self, expected: Vec<String>) -> Reason {
        self.expected = expected;
        self
    }
}

impl Impact {
    fn describe(self) -> &'static str {
        match self {
            Impact::Rejected => "row rejected",
            Impact::Warning => "warning",
        }
    }
}

impl Column {
    /// `回访日期 → date`: the header, and the field read from it.
    fn describe_header(&self) -> String {
        let header = super::text::shown(&self.header);
        match self.field {
            Some(field) => format!("{header} → {field}"),
            None => header,
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = self.impact.describe();
        match &self.column {
            Some(c) => write!(
                f,
                "line {}, column {} ({}): {kind}: {}",
                self.line,
                c.number,
                c.describe_header(),
                self.message
            ),
            None => write!(f, "line {}: {kind}: {}", self.line, self.message),
        }
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct FileReport {
    /// Path as configured, relative to the project.
    pub path: String,
    /// The sheet read, when the file is a workbook: lines are then its rows, and places are
    /// named as Excel names cells (`A12`).
    pub sheet: Option<String>,
    /// In a workbook, the lines that continue a row whose cells hold line breaks (see
    /// [`super::workbook::SheetCsv`]): lines are mapped back to rows with them.
    #[serde(skip)]
    pub continued: Vec<u64>,
    /// The text encoding, or the kind of workbook (`xlsx`, `xls` …).
    pub encoding: &'static str,
    pub rows_read: u64,
    pub accepted: u64,
    pub rejected: u64,
    pub warnings: u64,
    /// Lines above the header that were skipped as a title (e.g. 《客户回访记录表》).
    pub title_lines: u64,
    /// Physical lines in the file, counted from its bytes; they add up to the lines above
    /// the rows (titles, header, blank lines there), the rows' lines and the blank lines
    /// between rows, so no line goes uncounted.
    pub lines: u64,
    pub lines_above_rows: u64,
    pub row_lines: u64,
    pub blank_lines: u64,
    pub unused_columns: Vec<String>,
    /// Which header each field was read from, and by which name it was found.
    pub columns: Vec<super::columns::ColumnUse>,
    /// Mapped headers this file lacks, and where the field was read from instead.
    pub missed_mappings: Vec<String>,
    pub diagnostics: Vec<Diagnostic>,
    /// Bytes read, and their SHA-256 (hex): what versions record of their inputs.
    pub size: u64,
    pub sha256: String,
}

impl FileReport {
    pub fn new(path: String, encoding: Encoding) -> Self {
        FileReport {
            path,
            sheet: None,
            continued: Vec::new(),
            encoding: encoding.name(),
            rows_read: 0,
            accepted: 0,
            rejected: 0,
            warnings: 0,
            title_lines: 0,
            lines: 0,
            lines_above_rows: 0,
            row_lines: 0,
            blank_lines: 0,
            unused_columns: Vec::new(),
            columns: Vec::new(),
            missed_mappings: Vec::new(),
            diagnostics: Vec::new(),
            size: 0,
            sha256: String::new(),
        }
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        tally(
            diagnostic,
            &mut self.rejected,
            &mut self.warnings,
            &mut self.diagnostics,
        );
    }

    /// Adds what the next piece of the file found; pieces come in file order, so the
    /// diagnostics kept are still the file's first.
    pub fn absorb(&mut self, piece: PieceReport) {
        self.rows_read += piece.rows_read;
        self.row_lines += piece.record_lines;
        self.blank_lines += piece.blank_lines;
        self.accepted += piece.accepted;
        self.rejected += piece.rejected;
        self.warnings += piece.warnings;
        let room = MAX_DIAGNOSTICS_PER_FILE.saturating_sub(self.diagnostics.len());
        self.diagnostics
            .extend(piece.diagnostics.into_iter().take(room));
    }

    /// Rejects rows that were accepted when their piece was read, for what only all the rows
    /// together show (a work order's id read before); the rows stay counted once, and the
    /// problems kept stay the file's first, in line order.
    pub fn reject_accepted(&mut self, rejections: Vec<Diagnostic>) {
        if rejections.is_empty() {
            return;
        }
        let n = rejections.len() as u64;
        self.accepted -= n;
        self.rejected += n;
        self.diagnostics.extend(rejections);
        // Stable: a row's own warnings stay before its rejection.
        self.diagnostics.sort_by_key(|d| d.line);
        self.diagnostics.truncate(MAX_DIAGNOSTICS_PER_FILE);
    }

    /// Whether every physical line is a line above the rows, a row's or a blank one.
    pub fn lines_add_up(&self) -> bool {
        self.lines == self.lines_above_rows + self.row_lines + self.blank_lines
    }

    /// Diagnostics counted but not kept.
    pub fn omitted(&self) -> u64 {
        (self.rejected + self.warnings).saturating_sub(self.diagnostics.len() as u64)
    }

    /// The file as messages name it: `台账.xlsx!2025年` for a workbook's sheet.
    pub fn place(&self) -> String {
        match &self.sheet {
            Some(sheet) => format!("{}!{sheet}", self.path),
            None => self.path.clone(),
        }
    }

    /// A column as the file's reader knows it: `C` in a workbook, `3` in a CSV file.
    pub fn column_name(&self, number: usize) -> String {
        match self.sheet {
            Some(_) => super::workbook::column_letters(number),
            None => number.to_string(),
        }
    }

    /// Where a line of the file is as its reader knows it: the line in a CSV file, the row
    /// in a workbook's sheet.
    pub fn row_of(&self, line: u64) -> u64 {
        super::workbook::row_of(line, &self.continued)
    }

    /// The file's lines, above the rows, in rows and blank, as rows of its sheet in a workbook.
    pub fn line_counts(&self) -> [u64; 4] {
        let rows = |lines| self.row_of(lines);
        let above = rows(self.lines_above_rows);
        let end = rows(self.lines_above_rows + self.row_lines);
        [rows(self.lines), above, end - above, self.blank_lines]
    }

    /// One diagnostic as printed under the file's line: `line 12, column 3 (回访日期 → date):
    /// …` in a CSV file, `C12 (回访日期 → date): …` in a workbook.
    pub fn describe(&self, d: &Diagnostic) -> String {
        if self.sheet.is_none() {
            return d.to_string();
        }
        let kind = d.impact.describe();
        let row = self.row_of(d.line);
        match &d.column {
            Some(c) => format!(
                "{}{row} ({}): {kind}: {}",
                self.column_name(c.number),
                c.describe_header(),
                d.message
            ),
            None => format!("row {row}: {kind}: {}", d.message),
        }
    }

    pub fn summary_line(&self) -> String {
        format!(
            "{} ({}): read {} rows: accepted {}, rejected {}, warnings {}",
            super::text::shown_at_most(&self.place(), 200),
            self.encoding,
            self.rows_read,
            self.accepted,
            self.rejected,
            self.warnings
        )
    }
}

fn tally(
    diagnostic: Diagnostic,
    rejected: &mut u64,
    warnings: &mut u64,
    kept: &mut Vec<Diagnostic>,
) {
    match diagnostic.impact {
        Impact::Rejected => *rejected += 1,
        Impact::Warning => *warnings += 1,
    }
    if kept.len() < MAX_DIAGNOSTICS_PER_FILE {
        kept.push(diagnostic);
    }
}

/// What reading one piece of a file's body found, and how its text decoded.
#[derive(Debug, Default)]
pub struct PieceReport {
    pub rows_read: u64,
    /// Physical lines the rows were read from (a row may run over several).
    pub record_lines: u64,
    /// Empty lines between the rows.
    pub blank_lines: u64,
    pub accepted: u64,
    pub rejected: u64,
    pub warnings: u64,
    pub diagnostics: Vec<Diagnostic>,
    /// In a file whose encoding was not settled by its first bytes: the encoding the piece's
    /// text that is not ASCII was read in, if it holds any.
    pub met: Option<Encoding>,
    /// The piece's distinct departments and sites, in its own symbols.
    pub seen: super::guard::Seen,
}

impl PieceReport {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        tally(
            diagnostic,
            &mut self.rejected,
            &mut self.warnings,
            &mut self.diagnostics,
        );
    }
}

/// Why a whole file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("cannot read: {0}")]
    Io(#[from] std::io::Error),
    #[error("the file is {}", .0.describe())]
    NotCsv(super::sniff::NotCsv),
    /// With the required fields, named as a message lists them (`date and department`).
    #[error("the file is empty: expected a header row naming at least {0}")]
    Empty(String),
    #[error("{0}")]
    MissingColumns(Box<MissingColumns>),
    #[error(
        "line {line} holds {cells} cells, more than a spreadsheet has columns (16,384): it is no \
         header of an export; check that the file is the CSV export and uses commas, tabs or \
         semicolons between cells"
    )]
    TooWide { line: u64, cells: usize },
    #[error("{0}")]
    Implausible(super::guard::Implausible),
    #[error("{0}")]
    Workbook(#[from] super::workbook::WorkbookError),
}

#[derive(Debug)]
pub struct FileFailure {
    pub path: String,
    pub error: FileError,
}

impl fmt::Display for FileFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.error)
    }
}

/// The outcome of ingesting every configured source.
#[derive(Debug, Default)]
pub struct IngestReport {
    pub files: Vec<FileReport>,
    pub failures: Vec<FileFailure>,
}

impl IngestReport {
    pub fn rows_read(&self) -> u64 {
        self.files.iter().map(|f| f.rows_read).sum()
    }
    pub fn accepted(&self) -> u64 {
        self.files.iter().map(|f| f.accepted).sum()
    }
    pub fn rejected(&self) -> u64 {
        self.files.iter().map(|f| f.rejected).sum()
    }
    pub fn warnings(&self) -> u64 {
        self.files.iter().map(|f| f.warnings).sum()
    }
}
