//! What reading any table shares, CSV or Parquet: the file read, the error that stops the
//! read, the columns a file must have, and a row's cells checked by column.

use super::Kind;
use crate::metrics::partial::Accumulator;
use chrono::NaiveDate;
use sha2::{Digest, Sha256};
use std::fmt;

/// One table file read: every row of it was used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableFile {
    /// As messages name it: the `[[partials]]` path, then the file name.
    pub path: String,
    pub rows: u64,
    pub size: u64,
    pub sha256: String,
}

/// Why a folder of partial tables could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableError {
    pub file: String,
    /// 1-based; in a CSV file the header is line 1, in a Parquet file it is the row's number.
    pub line: Option<u64>,
    /// `line` numbers rows (Parquet), not lines of text.
    pub in_rows: bool,
    /// 1-based, with the column's name.
    pub column: Option<(usize, String)>,
    pub message: String,
}

impl TableError {
    /// An error of the file as a whole, or of a line of it.
    pub(super) fn new(file: &str, line: Option<u64>, message: String) -> TableError {
        TableError {
            file: file.to_owned(),
            line,
            in_rows: false,
            column: None,
            message,
        }
    }
}

impl fmt::Display for TableError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "partial table {}", self.file)?;
        if let Some(line) = self.line {
            let unit = if self.in_rows { "row" } else { "line" };
            write!(f, ", {unit} {line}")?;
        }
        if let Some((number, name)) = &self.column {
            write!(f, ", column {number} ({name})")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for TableError {}

/// A table as one file of it is read: how messages name the file, the columns it must have
/// and what each holds.
#[cfg_attr(not(feature = "parquet"), allow(dead_code))]
pub(super) struct Table<'t> {
    pub shown: &'t str,
    pub columns: &'t [&'t str],
    pub kinds: &'t [Kind],
}

/// Where each of `columns` is in a file whose header (or schema) names `header`: it must name
/// exactly those, in any order.
pub(super) fn positions(
    header: &[&str],
    columns: &[&str],
    shown: &str,
    line: Option<u64>,
) -> Result<Vec<usize>, TableError> {
    let expected = columns.join(", ");
    let mut at = Vec::with_capacity(columns.len());
    for &name in columns {
        let found = header.iter().position(|h| h.trim() == name);
        at.push(found.ok_or_else(|| {
            TableError::new(
                shown,
                line,
                format!("the header has no column `{name}`; it must name {expected}"),
            )
        })?);
    }
    if let Some((i, extra)) =
        (header.iter().enumerate()).find(|(_, h)| !columns.contains(&h.trim()))
    {
        return Err(TableError {
            column: Some((i + 1, (*extra).to_owned())),
            ..TableError::new(
                shown,
                line,
                format!("unknown column `{extra}`; the header names {expected}"),
            )
        });
    }
    Ok(at)
}

/// The table's bytes read, as a file of the ingest report.
pub(super) fn file_of(shown: &str, bytes: &[u8], rows: u64) -> TableFile {
    TableFile {
        path: shown.to_owned(),
        rows,
        size: bytes.len() as u64,
        sha256: format!("{:x}", Sha256::digest(bytes)),
    }
}

/// A cell as its file holds it: a CSV cell is text, whatever its column; a Parquet cell is
/// typed by its column (a date as DATE, a count as INT32/INT64), so it is checked as read,
/// never written out as text and parsed again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(not(feature = "parquet"), allow(dead_code))]
pub(super) enum Cell<'r> {
    Null,
    Text(&'r str),
    /// Days from 1970-01-01, Parquet's DATE.
    Date(i32),
    Count(i64),
}

/// A row's cells in the file's column order.
#[derive(Clone, Copy)]
#[cfg_attr(not(feature = "parquet"), allow(dead_code))]
pub(super) enum Cells<'r> {
    Csv(&'r csv::StringRecord),
    Typed(&'r [Cell<'r>]),
}

/// One row of a table, its cells found by column name. CSV and Parquet rows are checked by
/// the same code: a date or a count is read from text or from its typed value alike.
pub(super) struct Row<'r> {
    pub file: &'r str,
    /// The CSV line, or the Parquet row's number.
    pub line: u64,
    pub in_rows: bool,
    pub columns: &'r [&'r str],
    pub at: &'r [usize],
    pub cells: Cells<'r>,
}

/// Day 0 of Parquet's DATE, as days from 0001-01-01 (chrono's day 1).
const EPOCH_FROM_CE: i32 = 719_163;

impl Row<'_> {
    /// The `i`th expected column's cell.
    fn value(&self, i: usize) -> Cell<'_> {
        match self.cells {
            Cells::Csv(record) => Cell::Text(record.get(self.at[i]).unwrap_or_default()),
            Cells::Typed(cells) => cells.get(self.at[i]).copied().unwrap_or(Cell::Null),
        }
    }

    /// The text of the `i`th expected column: empty for NULL (a date or a count column is
    /// read by [`Self::date`] and [`Self::count`]).
    pub(super) fn cell(&self, i: usize) -> &str {
        match self.value(i) {
            Cell::Text(text) => text,
            _ => "",
        }
    }

    /// The cell as a CSV file would write it: for messages, and to compare the formats.
    pub(super) fn text(&self, i: usize) -> std::borrow::Cow<'_, str> {
        match self.value(i) {
            Cell::Null => "".into(),
            Cell::Text(text) => text.into(),
            Cell::Date(days) => from_days(days).map_or_else(
                || format!("{days} days from 1970-01-01").into(),
                |d| d.to_string().into(),
            ),
            Cell::Count(n) => n.to_string().into(),
        }
    }

    pub(super) fn error(&self, i: usize, message: String) -> TableError {
        TableError {
            file: self.file.to_owned(),
            line: Some(self.line),
            in_rows: self.in_rows,
            column: Some((self.at[i] + 1, self.columns[i].to_owned())),
            message,
        }
    }

    pub(super) fn date(&self, i: usize) -> Result<NaiveDate, TableError> {
        let date = match self.value(i) {
            Cell::Text(text) => parse_date(text.trim()),
            Cell::Date(days) => from_days(days),
            Cell::Null | Cell::Count(_) => None,
        };
        date.ok_or_else(|| {
            let text = self.text(i);
            self.error(
                i,
                format!(
                    "`{}` is not a date; expected one like 2026-03-01 (YYYY-MM-DD)",
                    text.trim()
                ),
            )
        })
    }

    pub(super) fn optional_date(&self, i: usize) -> Result<Option<NaiveDate>, TableError> {
        match self.value(i) {
            Cell::Null => Ok(None),
            Cell::Text(text) if text.trim().is_empty() => Ok(None),
            _ => self.date(i).map(Some),
        }
    }

    pub(super) fn count(&self, i: usize) -> Result<u64, TableError> {
        let count = match self.value(i) {
            Cell::Text(text) => text.trim().parse().ok(),
            Cell::Count(n) => u64::try_from(n).ok(),
            Cell::Null | Cell::Date(_) => None,
        };
        count.ok_or_else(|| {
            let text = self.text(i);
            self.error(
                i,
                format!(
                    "`{}` is not a count; expected a whole number 0 or more",
                    text.trim()
                ),
            )
        })
    }

    /// A bucket's first day, as `calendar` cuts time.
    pub(super) fn bucket(&self, i: usize, acc: &Accumulator) -> Result<NaiveDate, TableError> {
        let day = self.date(i)?;
        if acc.rules.calendar.bucket(day) != day {
            return Err(self.error(
                i,
                format!(
                    "{day} is not the first day of a bucket: a bucket starts on the first of a \
                     month{}",
                    if acc.rules.calendar.has_weeks() {
                        " or on the first day of a week"
                    } else {
                        ""
                    }
                ),
            ));
        }
        Ok(day)
    }
}

/// A Parquet DATE: days from 1970-01-01.
pub(super) fn from_days(days: i32) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(days.checked_add(EPOCH_FROM_CE)?)
}

/// `YYYY-MM-DD`, read by hand: every date cell of a CSV table passes here. Anything else
/// goes to chrono, which reads the same spelling less strictly (`2026-3-1`), as before.
fn parse_date(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        b[range]
            .iter()
            .try_fold(0u32, |n, &c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
    };
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        if let (Some(y), Some(m), Some(d)) = (digits(0..4), digits(5..7), digits(8..10)) {
            return NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d);
        }
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}
