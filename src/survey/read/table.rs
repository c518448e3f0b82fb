//! The export as a table of decoded, normalised cells, each row with the line it starts on.
//! Encodings are handled as for visit logs (see `crate::ingest::decode`): the file is split
//! into fields as bytes and each field decoded on its own.

use super::SurveyReadError;
use crate::config::EncodingChoice;
use crate::ingest::decode::{self, FieldDecoder, UTF8_BOM};
use crate::ingest::text::normalize;
use std::path::Path;

/// Bytes looked at to tell UTF-8 from GB18030.
const SNIFF_BYTES: usize = 64 * 1024;

pub struct Table {
    /// Rows that hold at least one non-empty cell.
    pub rows: Vec<Row>,
    pub encoding: &'static str,
    /// Empty rows skipped and encoding trouble, as warnings.
    pub warnings: Vec<String>,
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

pub fn read_table(path: &Path, choice: EncodingChoice) -> Result<Table, SurveyReadError> {
    read_bytes(&std::fs::read(path)?, choice)
}

pub fn read_bytes(bytes: &[u8], choice: EncodingChoice) -> Result<Table, SurveyReadError> {
    if let Some(name) = decode::unsupported_bom(bytes) {
        return Err(SurveyReadError::UnsupportedEncoding(name));
    }
    let had_bom = bytes.starts_with(UTF8_BOM);
    let body = &bytes[if had_bom { UTF8_BOM.len() } else { 0 }..];
    let encoding = decode::detect(&body[..body.len().min(SNIFF_BYTES)], choice, had_bom);
    let mut decoder = FieldDecoder::new(encoding, choice);
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(body);
    let mut record = csv::ByteRecord::new();
    let mut rows = Vec::new();
    let mut warnings = Vec::new();
    let mut lines = LineCounter::default();
    loop {
        match csv.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map_or(0, csv::Position::line);
                return Err(match e.into_kind() {
                    csv::ErrorKind::Io(io) => SurveyReadError::Io(io),
                    other => SurveyReadError::Csv {
                        line,
                        message: format!("{other:?}"),
                    },
                });
            }
        }
        let line = record
            .position()
            .map_or(0, |p| lines.line_at(body, p.byte() as usize));
        let cells: Vec<String> = record
            .iter()
            .map(|b| normalize(&decoder.decode(b)).into_owned())
            .collect();
        if cells.iter().all(String::is_empty) {
            if !rows.is_empty() {
                warnings.push(format!("line {line}: empty row skipped"));
            }
            continue;
        }
        rows.push(Row { line, cells });
    }
    if decoder.lossy {
        warnings.push(format!(
            "bytes that are not valid {} were replaced by �; set the survey's `encoding` \
             (\"utf-8\" or \"gb18030\")",
            decoder.encoding.name()
        ));
    }
    if decoder.switched {
        warnings.push(
            "the file starts as UTF-8 but later holds GB18030 bytes; read as GB18030 from \
             there on. Set the survey's `encoding` if that is wrong"
                .to_owned(),
        );
    }
    Ok(Table {
        rows,
        encoding: decoder.encoding.name(),
        warnings,
    })
}

/// Physical line numbers from byte offsets. The csv reader's own line count lags by one after
/// a CRLF line end (a record then "starts" at the LF of the line before), so lines are
/// counted here: the record starts at its first byte that is not a line end.
#[derive(Default)]
struct LineCounter {
    offset: usize,
    newlines: u64,
}

impl LineCounter {
    fn line_at(&mut self, body: &[u8], offset: usize) -> u64 {
        let mut start = offset.min(body.len());
        while start < body.len() && matches!(body[start], b'\r' | b'\n') {
            start += 1;
        }
        if start >= self.offset {
            self.newlines += body[self.offset..start]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64;
            self.offset = start;
        }
        self.newlines + 1
    }
}
