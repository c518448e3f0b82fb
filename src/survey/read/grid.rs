//! The export as a table of decoded, normalised cells, each row with the line it starts on.
//! Encodings are handled as for visit logs (see `crate::ingest::decode`): the file is split
//! into fields as bytes and each field decoded on its own.

use super::SurveyReadError;
use crate::chars::{normalize, visible};
use crate::config::EncodingChoice;
use crate::ingest::chunks::{LineCounter, count_line_ends};
use crate::ingest::decode::{self, Encoding, UTF8_BOM};
use crate::ingest::quotes::{self, Shape};
use crate::ingest::sniff;
use crate::ingest::split::Splitter;
use crate::ingest::workbook;
use std::path::Path;

pub struct Grid {
    /// Rows that hold at least one non-empty cell.
    pub rows: Vec<Row>,
    pub encoding: &'static str,
    /// Empty rows skipped, rows with a stray quote, and encoding trouble, as warnings.
    pub warnings: Vec<String>,
    /// Rows below the header row that hold a value, and of those, the ones not read because
    /// a stray quote broke them (see `ingest::quotes`).
    pub rows_read: u64,
    pub rejected: u64,
    /// The sheet read, when the export is a workbook.
    pub sheet: Option<String>,
}

pub struct Row {
    pub line: u64,
    pub cells: Vec<String>,
}

impl Row {
    /// The cell at `col`, or `""` past the end of a short row.
    pub fn cell(&self, col: usize) -> &str {
        self.cells.get(col).map_or("", String::as_str)
    }

    /// Number of fields up to the last non-empty one.
    pub fn width(&self) -> usize {
        self.cells
            .iter()
            .rposition(|c| !c.is_empty())
            .map_or(0, |i| i + 1)
    }
}

pub fn read_file(
    path: &Path,
    choice: EncodingChoice,
    sheet: Option<&str>,
) -> Result<Grid, SurveyReadError> {
    let bytes = std::fs::read(path)?;
    match sniff::not_csv(&bytes) {
        Some(kind) if workbook::is_workbook(kind) => {
            Ok(from_sheet(workbook::read_sheet(&bytes, sheet)?))
        }
        _ => read_bytes(&bytes, choice),
    }
}

/// A workbook's sheet as a table: sheet row N is line N, and its cells are normalised as a
/// CSV file's are.
pub fn from_sheet(sheet: workbook::Sheet) -> Grid {
    let mut rows = Vec::new();
    let mut warnings = Vec::new();
    for (index, cells) in sheet.rows.into_iter().enumerate() {
        let line = index as u64 + 1;
        let cells: Vec<String> = cells
            .iter()
            .map(|c| visible(&normalize(c), true).into_owned())
            .collect();
        if cells.iter().all(String::is_empty) {
            // Blank rows above the header, between responses and below them are nothing.
            continue;
        }
        rows.push(Row { line, cells });
    }
    if rows.is_empty() {
        warnings.push(format!("sheet `{}` holds no cells", sheet.name));
    }
    let rows_read = rows.len().saturating_sub(1) as u64;
    Grid {
        rows,
        encoding: sheet.kind,
        warnings,
        rows_read,
        rejected: 0,
        sheet: Some(sheet.name),
    }
}

pub fn read_bytes(bytes: &[u8], choice: EncodingChoice) -> Result<Grid, SurveyReadError> {
    if let Some(kind) = sniff::not_csv(bytes) {
        return Err(SurveyReadError::NotCsv(kind));
    }
    let had_bom = bytes.starts_with(UTF8_BOM);
    let body = &bytes[if had_bom { UTF8_BOM.len() } else { 0 }..];
    // An export is read whole, so all of it decides its encoding, not only its first bytes.
    let encoding = match decode::detect(body, choice, had_bom) {
        (encoding, true) => encoding,
        (_, false) => decode::classify(body),
    };
    let mut decoder = Decoder {
        encoding,
        lossy: Vec::new(),
    };
    let mut rows = Vec::new();
    let mut warnings = Vec::new();
    if let Some(notice) = encoding.notice().filter(|_| choice == EncodingChoice::Auto) {
        warnings.push(format!("line 1: {notice}"));
    }
    let mut lines = LineCounter::new(body, 1);
    // The header row is read as headers are, a line with a stray quote on its own without it;
    // the rows below by the quoting rule with the header's width (see `ingest::quotes`).
    let header_shape = Shape::header(b',');
    let mut header_rows = Splitter::new(body, &header_shape);
    let Some(header) = header_rows.next_record() else {
        return Ok(Grid {
            rows,
            encoding: encoding.name(),
            warnings,
            rows_read: 0,
            rejected: 0,
            sheet: None,
        });
    };
    let (end, cells) = (header.end, header.header_cells(b','));
    let line = lines.line_at(header.start);
    if header.fault().is_some() {
        warnings.push(format!(
            "line {line}: a quote (\") opens a header cell and is not closed on its line; the \
             header line is read on its own, without that quote. {}",
            quotes::FIX
        ));
    }
    rows.push(Row {
        line,
        cells: decoder.cells(cells.iter().copied(), line, &mut warnings),
    });
    let shape = Shape::table(b',', cells.len());
    let rest = &body[end..];
    let mut records = Splitter::new(rest, &shape);
    let first_line = lines.line_at(end);
    let mut lines = LineCounter::new(rest, first_line);
    let (mut rows_read, mut rejected) = (0, 0);
    // Every physical line is above the rows, a row's, or blank; counted apart, they must
    // add up, so no line can go missing unseen.
    let header_open_end = rest.is_empty() && !matches!(body.last(), Some(b'\n' | b'\r'));
    let mut accounted = first_line - 1 + u64::from(header_open_end && !body.is_empty());
    while let Some(record) = records.next_record() {
        let line = lines.line_at(record.start);
        accounted += lines.last_line(record.end) - line + 1;
        if let Some(fault) = record.fault() {
            rows_read += 1;
            rejected += 1;
            warnings.push(format!(
                "line {line}: row skipped: {}; the next line is read as a row of its own. {}",
                fault.describe(),
                quotes::FIX
            ));
            continue;
        }
        let cells = decoder.cells(record.iter(), line, &mut warnings);
        if cells.iter().all(String::is_empty) {
            warnings.push(format!("line {line}: empty row skipped"));
            continue;
        }
        rows_read += 1;
        rows.push(Row { line, cells });
    }
    accounted += records.blank_lines();
    let open_end = !matches!(body.last(), Some(b'\n' | b'\r') | None);
    let physical = count_line_ends(body) + u64::from(open_end);
    if accounted != physical {
        warnings.push(format!(
            "huifang counted {physical} lines in the file but accounted for {accounted}: a bug \
             in huifang, please report it with the file"
        ));
    }
    Ok(Grid {
        rows,
        encoding: encoding.name(),
        warnings,
        rows_read,
        rejected,
        sheet: None,
    })
}

struct Decoder {
    encoding: Encoding,
    /// Reused for the columns of one row whose cells held bytes invalid in the encoding.
    lossy: Vec<usize>,
}

impl Decoder {
    /// A row's cells, decoded and normalised; a cell with bytes invalid in the encoding reads
    /// them as U+FFFD, with a warning naming its line and column.
    fn cells<'b>(
        &mut self,
        cells: impl Iterator<Item = &'b [u8]>,
        line: u64,
        warnings: &mut Vec<String>,
    ) -> Vec<String> {
        self.lossy.clear();
        let cells = cells
            .enumerate()
            .map(|(col, b)| {
                let (text, lossy) = decode::decode(self.encoding, b);
                if lossy {
                    self.lossy.push(col + 1);
                }
                visible(&normalize(&text), true).into_owned()
            })
            .collect();
        for col in &self.lossy {
            warnings.push(format!(
                "line {line}, column {col}: bytes that are not valid {} were replaced by �; set \
                 the survey's `encoding` (\"utf-8\" or \"gb18030\") if the file is in another",
                self.encoding.name()
            ));
        }
        cells
    }
}
