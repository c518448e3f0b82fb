//! Opening one visit-log file: its BOM, encoding and delimiter, the title lines above the
//! header, and which column holds which field. What comes after the header is the body,
//! read in pieces (see [`super::pipeline`]).

use super::chunks::count_line_ends;
use super::columns::{self, ColumnMap, Columns, MissingColumns};
use super::decode::{self, Encoding};
use super::quotes::{self, Shape};
use super::report::{Column, Diagnostic, FileError, FileReport, Impact, Reason};
use super::sniff;
use super::split::Splitter;
use super::text::shown;
use crate::chars::normalize;
use crate::config::EncodingChoice;
use crate::model::Field;
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::Path;

/// Bytes read up front to find a BOM, the encoding, the delimiter and the header.
const HEAD_BYTES: usize = 64 * 1024;
/// Rows above the header that may hold a title such as 《客户回访记录表》.
const MAX_TITLE_LINES: u64 = 10;
/// Bytes of a header cell looked at: names are a few words long.
const MAX_HEADER_BYTES: usize = 1024;
/// Columns of an Excel sheet: a line with more cells is no header of an export.
const MAX_COLUMNS: usize = 16_384;

/// One file to read and how.
#[derive(Debug, Clone)]
pub struct SourceFile<'a, F = Field> {
    pub path: &'a Path,
    /// How the file is named in messages: relative to the project.
    pub display: String,
    pub encoding: EncodingChoice,
    /// The sheet to read when the file is a workbook.
    pub sheet: Option<&'a str>,
    /// Mapped headers, the source's own before the global ones.
    pub mapping: columns::Mapping<F>,
}

/// What every piece of a file's body is read with.
#[derive(Debug)]
pub struct Layout<F = Field> {
    pub map: ColumnMap<F>,
    /// Normalised header cells, for messages.
    pub headers: Vec<String>,
    /// The file's name, for the ids of rows that have none (`visits.csv:12`).
    pub file_name: String,
    /// The encoding the file starts in.
    pub encoding: Encoding,
    /// Whether `encoding` holds for the whole file (see [`decode::detect`]); when not, the
    /// first text that is not ASCII decides.
    pub settled: bool,
    /// The delimiter, and which columns may hold line breaks.
    pub shape: Shape,
    /// The encoding is to be told from the bytes (the source sets none).
    pub detected: bool,
    /// The text was written from a workbook's sheet, so its quotes are huifang's own and
    /// right: none can be stray.
    pub from_sheet: bool,
}

/// A file being read front to back once, hashed as it goes: versions record the SHA-256 of
/// every input, and reading the bytes a second time to hash them would cost as much again.
/// A workbook is read whole and hashed at once; what is read on is its sheet as CSV text.
pub struct HashedFile {
    input: Input,
    size: u64,
}

enum Input {
    File {
        file: std::fs::File,
        hasher: Sha256,
    },
    Sheet {
        csv: std::io::Cursor<Vec<u8>>,
        sha256: String,
    },
}

impl HashedFile {
    pub fn open(path: &Path) -> std::io::Result<HashedFile> {
        Ok(HashedFile {
            input: Input::File {
                file: std::fs::File::open(path)?,
                hasher: Sha256::new(),
            },
            size: 0,
        })
    }

    /// A workbook's sheet, as CSV text, standing for the workbook's bytes.
    fn sheet(workbook: &[u8], csv: Vec<u8>) -> HashedFile {
        HashedFile {
            input: Input::Sheet {
                csv: std::io::Cursor::new(csv),
                sha256: format!("{:x}", Sha256::digest(workbook)),
            },
            size: workbook.len() as u64,
        }
    }

    /// Appends up to `limit` bytes to `buf`; true when the end of the file was reached.
    pub fn read_more(&mut self, buf: &mut Vec<u8>, limit: usize) -> std::io::Result<bool> {
        let start = buf.len();
        let n = match &mut self.input {
            Input::File { file, hasher } => {
                let n = file.take(limit as u64).read_to_end(buf)?;
                hasher.update(&buf[start..]);
                self.size += n as u64;
                n
            }
            Input::Sheet { csv, .. } => csv.take(limit as u64).read_to_end(buf)?,
        };
        Ok(n < limit)
    }

    /// Size and SHA-256 (hex) of what was read: the whole file once the end was reached.
    pub fn finish(self) -> (u64, String) {
        match self.input {
            Input::File { hasher, .. } => (self.size, format!("{:x}", hasher.finalize())),
            Input::Sheet { sha256, .. } => (self.size, sha256),
        }
    }
}

/// A visit log saved as a workbook: its sheet read as CSV text (see [`super::workbook`]), the
/// sheet's name and the workbook's kind for messages, and the lines of the text that continue
/// a row. `head` holds the file's first bytes, already read.
///
/// A line break in a cell is kept only in the columns where a CSV file may hold one (the
/// comment, columns no field reads); elsewhere (`工程部⏎二组`) it reads as a space. Which
/// columns those are, the header says: it is found first in the sheet's text without any.
fn open_workbook<F: Columns>(
    source: &SourceFile<'_, F>,
    file: HashedFile,
    mut head: Vec<u8>,
) -> Result<(HashedFile, super::workbook::Sheet, Vec<u64>), FileError> {
    let mut file = file;
    loop {
        let more = HEAD_BYTES.max(head.len());
        if file.read_more(&mut head, more)? {
            break;
        }
    }
    let sheet = super::workbook::read_sheet(&head, source.sheet)?;
    let top = super::workbook::Sheet {
        rows: sheet.rows[..sheet.rows.len().min(MAX_TITLE_LINES as usize + 2)].to_vec(),
        name: String::new(),
        kind: sheet.kind,
    };
    let flat = super::workbook::to_csv(&top, &[]);
    let free = match find_header(&flat.bytes, true, b',', Encoding::Utf8, source) {
        Ok(Some(header)) => header.map.free_text(),
        // The file fails on its header below, with the message a CSV file gets.
        _ => Vec::new(),
    };
    let csv = super::workbook::to_csv(&sheet, &free);
    Ok((HashedFile::sheet(&head, csv.bytes), sheet, csv.continued))
}

/// A file whose header has been read.
pub struct Opened<F = Field> {
    pub file: HashedFile,
    pub layout: Layout<F>,
    /// The report so far: encoding, title lines, unused and duplicate columns.
    pub report: FileReport,
    /// The body bytes already read with the head; the rest is still in `file`.
    pub body: Vec<u8>,
    /// The line on which the body starts.
    pub first_line: u64,
}

pub fn open<F: Columns>(source: &SourceFile<'_, F>) -> Result<Opened<F>, FileError> {
    let mut file = HashedFile::open(source.path)?;
    let mut head = Vec::new();
    let mut complete = file.read_more(&mut head, HEAD_BYTES)?;
    let mut sheet = None;
    match sniff::not_csv(&head) {
        Some(kind) if super::workbook::is_workbook(kind) => {
            let (csv, read, continued) = open_workbook(source, file, std::mem::take(&mut head))?;
            file = csv;
            complete = file.read_more(&mut head, HEAD_BYTES)?;
            sheet = Some((read.name, read.kind, continued));
        }
        Some(kind) => return Err(FileError::NotCsv(kind)),
        None => {}
    }
    let had_bom = head.starts_with(decode::UTF8_BOM);
    let start = if had_bom { decode::UTF8_BOM.len() } else { 0 };
    // A workbook's text is UTF-8 and comma-separated, whatever the source says and its cells
    // hold (a `;` in a comment must not make it a semicolon file).
    let (choice, delimiter) = match sheet {
        Some(_) => (EncodingChoice::Utf8, b','),
        None => (source.encoding, sniff_delimiter(&head[start..])),
    };
    let (encoding, settled) = decode::detect(&head[start..], choice, had_bom);
    let found = loop {
        match find_header(&head[start..], complete, delimiter, encoding, source)? {
            Some(found) => break found,
            // A header longer than the head read so far: read as much again.
            None => {
                let more = head.len();
                complete = file.read_more(&mut head, more)?;
            }
        }
    };

    let mut report = FileReport::new(source.display.clone(), encoding);
    let sheet_read = sheet.is_some();
    if let Some((name, kind, continued)) = sheet {
        report.sheet = Some(name);
        report.encoding = kind;
        report.continued = continued;
    }
    if found.lossy {
        report.push(Diagnostic {
            line: found.line,
            column: None,
            impact: Impact::Warning,
            message: format!(
                "the header holds bytes that are not valid {}, replaced by �; check the file's \
                 encoding, or set `encoding` on this source (\"utf-8\" or \"gb18030\")",
                encoding.name()
            ),
            reason: Reason::new("header_broken_bytes").with("encoding", encoding.name()),
        });
    }
    report.title_lines = found.title_lines;
    report.unused_columns = found.map.unused.clone();
    report.columns = found.map.used.clone();
    report.missed_mappings = found
        .map
        .missed
        .iter()
        .map(|(field, header, by)| {
            let used = found.map.used.iter().find(|u| u.field == field.name());
            let instead = used.map_or_else(
                || "the field is not read from this file".to_owned(),
                |u| format!("read from `{}` ({})", shown(&u.header), u.by),
            );
            let why = columns::missed_why(header, &found.headers);
            let header = shown(header);
            format!("{field}: the mapped header `{header}` ({by}) {why}; {instead}")
        })
        .collect();
    if let Some(column) = found.stray_quote {
        report.push(Diagnostic {
            line: found.line,
            column: Some(Column {
                number: column + 1,
                header: found.headers.get(column).cloned().unwrap_or_default(),
                field: None,
            }),
            impact: Impact::Warning,
            message: format!(
                "a quote (\") opens this header cell and is not closed on its line; the header \
                 line is read on its own, without that quote. {}",
                quotes::FIX
            ),
            reason: Reason::new("header_stray_quote"),
        });
    }
    for (field, used, ignored) in &found.map.duplicates {
        report.push(Diagnostic {
            line: found.line,
            column: None,
            impact: Impact::Warning,
            message: format!(
                "both `{}` and `{}` name {field}; using `{}`",
                shown(used),
                shown(ignored),
                shown(used)
            ),
            reason: Reason::new("duplicate_headers")
                .with("used", shown(used))
                .with("ignored", shown(ignored)),
        });
    }
    let body_start = start + found.body;
    let first_line = 1 + count_line_ends(&head[start..body_start]);
    // A header that is the file's last line, with no line end after it, is a line too.
    let open_end = body_start == head.len() && !matches!(head.last(), Some(b'\n' | b'\r'));
    report.lines_above_rows = first_line - 1 + u64::from(open_end && body_start > start);
    let file_name = source.path.file_name().map_or_else(
        || source.display.clone(),
        |n| n.to_string_lossy().into_owned(),
    );
    head.drain(..body_start);
    let shape = Shape::body(delimiter, found.map.free_text());
    Ok(Opened {
        file,
        layout: Layout {
            map: found.map,
            headers: found.headers,
            file_name,
            encoding,
            settled,
            shape,
            detected: source.encoding == EncodingChoice::Auto,
            from_sheet: sheet_read,
        },
        report,
        body: head,
        first_line,
    })
}

struct Header<F> {
    headers: Vec<String>,
    map: ColumnMap<F>,
    title_lines: u64,
    /// The physical line the header row is on.
    line: u64,
    /// Offset of the first byte after the header row.
    body: usize,
    /// The column (0-based) of a quote that would have swallowed the lines after the header.
    stray_quote: Option<usize>,
    /// Some header cell held bytes invalid in the encoding.
    lossy: bool,
}

/// The header row: the first of up to [`MAX_TITLE_LINES`] rows whose cells name the required
/// columns. `None` when `bytes` is not the whole file and ends before a header was settled.
/// A row with a stray quote is read as its line alone, without the stray quote (names
/// are matched without punctuation), so the quote cannot swallow the rows below.
fn find_header<F: Columns>(
    bytes: &[u8],
    complete: bool,
    delimiter: u8,
    encoding: Encoding,
    source: &SourceFile<'_, F>,
) -> Result<Option<Header<F>>, FileError> {
    let shape = Shape::header(delimiter);
    let mut rows = if complete {
        Splitter::new(bytes, &shape)
    } else {
        Splitter::partial(bytes, &shape)
    };
    let mut title_lines = 0;
    let mut first_missing: Option<MissingColumns> = None;
    loop {
        let Some(record) = rows.next_record() else {
            if !complete {
                return Ok(None);
            }
            return Err(match first_missing {
                Some(missing) => FileError::MissingColumns(Box::new(missing)),
                None => FileError::Empty(F::required_names()),
            });
        };
        // A row cut off by the end of the bytes read so far, or a CR that may be half a CRLF.
        if !complete && record.end >= bytes.len() {
            return Ok(None);
        }
        let fault = record.fault();
        let cells = record.header_cells(delimiter);
        if cells.len() > MAX_COLUMNS {
            let line = 1 + count_line_ends(&bytes[..record.start]);
            let cells = cells.len();
            return Err(FileError::TooWide { line, cells });
        }
        let (headers, lossy) = header_names(&cells, encoding);
        if headers.iter().any(|h| !h.is_empty()) {
            match columns::resolve(&headers, &source.mapping) {
                Ok(map) => {
                    let mut header = Header {
                        headers,
                        map,
                        title_lines,
                        line: 1 + count_line_ends(&bytes[..record.start]),
                        body: record.end,
                        stray_quote: fault.map(|f| f.column().unwrap_or(0)),
                        lossy,
                    };
                    // A header over two rows (回访情况 over 满意度 and 客户意见, the other cells
                    // merged down over both): the lower row names the required columns in the
                    // same places and more besides, and is the header.
                    let rest = &bytes[record.end..];
                    let mut below = if complete {
                        Splitter::new(rest, &shape)
                    } else {
                        Splitter::partial(rest, &shape)
                    };
                    if let Some(next) = below.next_record() {
                        if !complete && next.end >= rest.len() {
                            return Ok(None);
                        }
                        let (names, lossy) = header_names(&next.header_cells(delimiter), encoding);
                        let mut required = F::ALL.iter().filter(|f| f.is_required());
                        if next.fault().is_none()
                            && let Ok(map) = columns::resolve(&names, &source.mapping)
                            && required.all(|&f| header.map.get(f) == map.get(f))
                            && map.used.len() > header.map.used.len()
                        {
                            header = Header {
                                headers: names,
                                map,
                                title_lines: title_lines + 1,
                                line: 1 + count_line_ends(&bytes[..record.end + next.start]),
                                body: record.end + next.end,
                                stray_quote: None,
                                lossy: header.lossy || lossy,
                            };
                        }
                    }
                    return Ok(Some(header));
                }
                // Report the row closest to a header, not a title line above it.
                Err(mut missing) => {
                    missing.encoding = encoding.name();
                    if first_missing
                        .as_ref()
                        .is_none_or(|m| missing.missing.len() < m.missing.len())
                    {
                        first_missing = Some(missing);
                    }
                }
            }
        }
        title_lines += 1;
        if title_lines >= MAX_TITLE_LINES {
            let empty = || FileError::Empty(F::required_names());
            let missing = |m| FileError::MissingColumns(Box::new(m));
            return Err(first_missing.map_or_else(empty, missing));
        }
    }
}

/// A header row's cells as names, and whether any held bytes invalid in the encoding.
fn header_names(cells: &[&[u8]], encoding: Encoding) -> (Vec<String>, bool) {
    let mut lossy = false;
    let headers = cells
        .iter()
        .map(|b| {
            // A header name is a few words: a longer cell is no header, and matching or
            // quoting it whole would only cost time (a 50 MB line of one cell).
            let b = &b[..b.len().min(MAX_HEADER_BYTES)];
            let (text, bad) = decode::decode(encoding, b);
            lossy |= bad;
            normalize(&text).into_owned()
        })
        .collect();
    (headers, lossy)
}

/// Comma unless the header clearly uses tabs or semicolons (some CRMs and European Excel
/// locales). The first lines are looked at, not only the first, because a title line above
/// the header has few or no delimiters. Counting happens on bytes, which is safe for GB18030.
fn sniff_delimiter(prefix: &[u8]) -> u8 {
    let mut best = [(b',', 0usize), (b'\t', 0), (b';', 0)];
    for line in prefix
        .split(|&b| b == b'\n' || b == b'\r')
        .filter(|line| !line.is_empty())
        .take(MAX_TITLE_LINES as usize)
    {
        let mut counts = [0usize; 3];
        let mut quoted = false;
        for &b in line {
            if b == b'"' {
                quoted = !quoted;
            } else if !quoted && let Some(i) = best.iter().position(|(d, _)| *d == b) {
                counts[i] += 1;
            }
        }
        for (slot, count) in best.iter_mut().zip(counts) {
            slot.1 = slot.1.max(count);
        }
    }
    best.iter()
        .max_by_key(|(d, n)| (*n, *d == b','))
        .filter(|(_, n)| *n > 0)
        .map_or(b',', |(d, _)| *d)
}

#[cfg(test)]
mod tests {
    use super::sniff_delimiter;

    #[test]
    fn delimiter_sniffing() {
        assert_eq!(sniff_delimiter(b"a,b,c\n1,2,3"), b',');
        assert_eq!(sniff_delimiter(b"a\tb\tc\n"), b'\t');
        assert_eq!(sniff_delimiter(b"a;b;c"), b';');
        assert_eq!(sniff_delimiter(b"\"a;b\",c"), b',');
        assert_eq!(sniff_delimiter(b"single"), b',');
        assert_eq!(
            sniff_delimiter("《客户回访记录表》\n回访日期\t责任部门\t满意度\n".as_bytes()),
            b'\t'
        );
    }
}
