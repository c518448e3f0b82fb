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
        b[range].iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    if b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && let (Some(y), Some(m), Some(d)) = (digits(0..4), digits(5..7), digits(8..10))
    {
        return NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d);
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLUMNS: [&str; 3] = ["bucket", "value", "closed_date"];
    const AT: [usize; 3] = [0, 1, 2];

    fn row<'r>(cells: Cells<'r>) -> Row<'r> {
        Row {
            file: "tables/partials.parquet",
            line: 7,
            in_rows: true,
            columns: &COLUMNS,
            at: &AT,
            cells,
        }
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn dates_are_read_by_hand_as_chrono_reads_them() {
        assert_eq!(parse_date("2026-03-01"), Some(day(2026, 3, 1)));
        assert_eq!(parse_date("0001-01-01"), Some(day(1, 1, 1)));
        assert_eq!(parse_date("2024-02-29"), Some(day(2024, 2, 29)));
        // Not days of the calendar.
        for text in [
            "2026-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-04-31",
            "2026-01-00",
        ] {
            assert_eq!(parse_date(text), None, "{text}");
        }
        // Not the spelling: digits where a dash goes, letters, signs, other separators.
        for text in [
            "",
            "2026",
            "2026-0301",
            "20a6-03-01",
            "2026/03/01",
            "2026-03-0x",
        ] {
            assert_eq!(parse_date(text), None, "{text}");
        }
        // The shorter spellings chrono accepted are still accepted.
        assert_eq!(parse_date("2026-3-1"), Some(day(2026, 3, 1)));
    }

    #[test]
    fn typed_cells_are_checked_as_text_cells_are() {
        // 20,513 days after 1970-01-01 is 2026-03-01.
        let cells = [Cell::Date(20_513), Cell::Count(3), Cell::Null];
        let typed = row(Cells::Typed(&cells));
        assert_eq!(typed.date(0).unwrap(), day(2026, 3, 1));
        assert_eq!(typed.count(1).unwrap(), 3);
        assert_eq!(typed.optional_date(2).unwrap(), None);
        assert_eq!(typed.text(0), "2026-03-01");
        assert_eq!(typed.text(1), "3");
        assert_eq!(typed.cell(2), "");
        // The same cells as CSV text.
        let record = csv::StringRecord::from(vec!["2026-03-01", " 3 ", ""]);
        let text = row(Cells::Csv(&record));
        assert_eq!(text.date(0).unwrap(), day(2026, 3, 1));
        assert_eq!(text.count(1).unwrap(), 3);
        assert_eq!(text.optional_date(2).unwrap(), None);
    }

    #[test]
    fn a_bad_typed_cell_is_named_as_a_bad_text_cell_is() {
        let expect = |cells: Cells<'_>, i: usize, message: &str| {
            let row = row(cells);
            let err = match i {
                1 => row.count(i).map(|_| ()),
                _ => row.date(i).map(|_| ()),
            };
            assert_eq!(err.unwrap_err().to_string(), message);
        };
        let head = "partial table tables/partials.parquet, row 7, ";
        // A negative count: INT64 holds it, a count is 0 or more.
        expect(
            Cells::Typed(&[Cell::Date(0), Cell::Count(-3), Cell::Null]),
            1,
            &format!(
                "{head}column 2 (value): `-3` is not a count; expected a whole number 0 or more"
            ),
        );
        // NULL where a count or a date must be.
        expect(
            Cells::Typed(&[Cell::Null, Cell::Null, Cell::Null]),
            1,
            &format!(
                "{head}column 2 (value): `` is not a count; expected a whole number 0 or more"
            ),
        );
        expect(
            Cells::Typed(&[Cell::Null, Cell::Null, Cell::Null]),
            0,
            &format!(
                "{head}column 1 (bucket): `` is not a date; expected one like 2026-03-01 (YYYY-MM-DD)"
            ),
        );
        // A DATE past what a calendar date holds (about 262,000 years).
        expect(
            Cells::Typed(&[Cell::Date(i32::MAX), Cell::Null, Cell::Null]),
            0,
            &format!(
                "{head}column 1 (bucket): `2147483647 days from 1970-01-01` is not a date; \
                 expected one like 2026-03-01 (YYYY-MM-DD)"
            ),
        );
        assert_eq!(from_days(i32::MIN), None);
        assert_eq!(from_days(-1), Some(day(1969, 12, 31)));
        // Text cells: what was found, trimmed.
        let record = csv::StringRecord::from(vec!["2026-02-30", "-1", ""]);
        expect(
            Cells::Csv(&record),
            0,
            &format!(
                "{head}column 1 (bucket): `2026-02-30` is not a date; expected one like 2026-03-01 \
                 (YYYY-MM-DD)"
            ),
        );
        expect(
            Cells::Csv(&record),
            1,
            &format!(
                "{head}column 2 (value): `-1` is not a count; expected a whole number 0 or more"
            ),
        );
    }
}
