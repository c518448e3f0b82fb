//! Reading one visit-log file into typed records, row by row, streaming.

use super::columns::{self, ColumnMap};
use super::date::parse_date;
use super::decode::{self, FieldDecoder};
use super::report::{Column, Diagnostic, FileError, FileReport, Severity as Level};
use super::text::normalize;
use super::vocabulary::Vocabulary;
use crate::config::{Config, EncodingChoice};
use crate::model::{Complaint, Field, Severity, Symbols, VisitRecord};
use chrono::NaiveDate;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{Cursor, Read};
use std::path::Path;

/// Bytes read up front to find a BOM, the encoding and the delimiter.
const SNIFF_BYTES: u64 = 64 * 1024;
/// Rows above the header that may hold a title such as 《客户回访记录表》.
const MAX_TITLE_LINES: u64 = 10;
/// Longest cell value quoted back in a message.
const QUOTE_CHARS: usize = 40;

/// One file to read and how.
#[derive(Debug, Clone)]
pub struct SourceFile<'a> {
    pub path: &'a Path,
    /// How the file is named in messages: relative to the project.
    pub display: String,
    pub encoding: EncodingChoice,
    /// Explicit mapping, source-level merged over global.
    pub mapping: BTreeMap<Field, String>,
}

/// Everything a row needs that is the same for all files.
pub struct Context<'a> {
    pub config: &'a Config,
    pub vocabulary: &'a Vocabulary,
}

pub fn read_file(
    source: &SourceFile<'_>,
    ctx: &Context<'_>,
    symbols: &mut Symbols,
    sink: &mut dyn FnMut(VisitRecord),
) -> Result<FileReport, FileError> {
    let mut file = std::fs::File::open(source.path)?;
    let mut prefix = Vec::new();
    (&mut file).take(SNIFF_BYTES).read_to_end(&mut prefix)?;
    if let Some(name) = decode::unsupported_bom(&prefix) {
        return Err(FileError::UnsupportedEncoding(name));
    }
    let had_bom = prefix.starts_with(decode::UTF8_BOM);
    let body = if had_bom { decode::UTF8_BOM.len() } else { 0 };
    let encoding = decode::detect(&prefix[body..], source.encoding, had_bom);
    let delimiter = sniff_delimiter(&prefix[body..]);
    let mut head = Cursor::new(prefix);
    head.set_position(body as u64);

    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(head.chain(file));
    let mut decoder = FieldDecoder::new(encoding, source.encoding);
    let mut record = csv::ByteRecord::new();

    let mut title_lines = 0;
    let mut first_missing = None;
    let (headers, map) = loop {
        if !next_record(&mut csv, &mut record)? {
            return Err(match first_missing {
                Some(missing) => FileError::MissingColumns(missing),
                None => FileError::Empty,
            });
        }
        let headers: Vec<String> = record
            .iter()
            .map(|b| normalize(&decoder.decode(b)).into_owned())
            .collect();
        if headers.iter().any(|h| !h.is_empty()) {
            match columns::resolve(&headers, &source.mapping) {
                Ok(map) => break (headers, map),
                // Report the row closest to a header, not a title line above it.
                Err(missing) => {
                    if first_missing
                        .as_ref()
                        .is_none_or(|m: &columns::MissingColumns| {
                            missing.missing.len() < m.missing.len()
                        })
                    {
                        first_missing = Some(missing);
                    }
                }
            }
        }
        title_lines += 1;
        if title_lines >= MAX_TITLE_LINES {
            return Err(first_missing.map_or(FileError::Empty, FileError::MissingColumns));
        }
    };

    let mut report = FileReport::new(source.display.clone(), decoder.encoding);
    report.title_lines = title_lines;
    report.unused_columns = map.unused.clone();
    for (field, used, ignored) in &map.duplicates {
        report.push(Diagnostic {
            line: title_lines + 1,
            column: None,
            severity: Level::Warning,
            message: format!("both `{used}` and `{ignored}` name {field}; using `{used}`"),
        });
    }
    let file_name = source.path.file_name().map_or_else(
        || source.display.clone(),
        |n| n.to_string_lossy().into_owned(),
    );
    let mut rows = RowReader {
        map,
        headers,
        ctx,
        file_name,
        decoder,
    };

    let mut lines = LineCounter::new(source.path, body as u64)?;
    while next_record(&mut csv, &mut record)? {
        let offset = record.position().map_or(0, |p| p.byte());
        let line = lines.line_at(offset)?;
        report.rows_read += 1;
        if let Some(rec) = rows.read(&record, line, symbols, &mut report) {
            report.accepted += 1;
            sink(rec);
        }
    }
    report.encoding = rows.decoder.encoding.name();
    if rows.decoder.lossy {
        report.push(Diagnostic {
            line: 1,
            column: None,
            severity: Level::Warning,
            message: format!(
                "bytes that are not valid {} were replaced by �; check the file's encoding \
                 and set `encoding` on this source (\"utf-8\" or \"gb18030\")",
                rows.decoder.encoding.name()
            ),
        });
    }
    if rows.decoder.switched {
        report.push(Diagnostic {
            line: 1,
            column: None,
            severity: Level::Warning,
            message: "the file starts as UTF-8 but later holds GB18030 bytes; read as GB18030 \
                      from there on. Set `encoding` on this source if that is wrong"
                .to_owned(),
        });
    }
    Ok(report)
}

/// Physical line numbers from byte offsets. The csv crate's own line count falls one behind
/// after CRLF and never moves on CR-only files, and users look rows up by line in Excel or an
/// editor, so lines are counted here: a second, forward-only read of the same bytes.
struct LineCounter {
    file: std::io::BufReader<std::fs::File>,
    offset: u64,
    line: u64,
    /// The last byte read was a CR whose line end is decided by the byte after it.
    pending_cr: bool,
}

impl LineCounter {
    fn new(path: &Path, start: u64) -> std::io::Result<LineCounter> {
        use std::io::Seek as _;
        let mut file = std::fs::File::open(path)?;
        file.seek(std::io::SeekFrom::Start(start))?;
        Ok(LineCounter {
            file: std::io::BufReader::with_capacity(1 << 16, file),
            offset: 0,
            line: 1,
            pending_cr: false,
        })
    }

    /// The line on which the byte at `offset` (from the start of the stream) lies; offsets
    /// never go backwards.
    fn line_at(&mut self, offset: u64) -> std::io::Result<u64> {
        use std::io::BufRead as _;
        while self.offset < offset {
            let buf = self.file.fill_buf()?;
            if buf.is_empty() {
                break;
            }
            let chunk = &buf[..buf.len().min((offset - self.offset) as usize)];
            if std::mem::take(&mut self.pending_cr) && chunk[0] != b'\n' {
                self.line += 1;
            }
            for i in memchr::memchr2_iter(b'\r', b'\n', chunk) {
                match (chunk[i], chunk.get(i + 1)) {
                    (b'\n', _) => self.line += 1,
                    // CRLF ends one line, counted at the LF.
                    (_, Some(b'\n')) => {}
                    (_, Some(_)) => self.line += 1,
                    (_, None) => self.pending_cr = true,
                }
            }
            let taken = chunk.len();
            self.offset += taken as u64;
            self.file.consume(taken);
        }
        // A record never starts with the LF of a CRLF, so a CR just before it ended a line.
        Ok(self.line + u64::from(self.pending_cr))
    }
}

fn next_record<R: Read>(
    csv: &mut csv::Reader<R>,
    record: &mut csv::ByteRecord,
) -> Result<bool, FileError> {
    csv.read_byte_record(record).map_err(|e| {
        let line = e.position().map_or(0, |p| p.line());
        match e.into_kind() {
            csv::ErrorKind::Io(io) => FileError::Io(io),
            other => FileError::Csv {
                line,
                message: format!("{other:?}"),
            },
        }
    })
}

/// Comma unless the header clearly uses tabs or semicolons (some CRMs and European Excel
/// locales). The first lines are looked at, not only the first, because a title line above
/// the header has few or no delimiters. Counting happens on bytes, which is safe for GB18030.
fn sniff_delimiter(prefix: &[u8]) -> u8 {
    let mut best = [(b',', 0usize), (b'\t', 0), (b';', 0)];
    for line in prefix.split(|&b| b == b'\n').take(MAX_TITLE_LINES as usize) {
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

/// One row being read: its fields, and the whole row as text when it is valid UTF-8, so
/// each field is a slice of it instead of being validated again.
struct Row<'r> {
    record: &'r csv::ByteRecord,
    utf8: Option<&'r str>,
}

struct RowReader<'a> {
    map: ColumnMap,
    headers: Vec<String>,
    ctx: &'a Context<'a>,
    file_name: String,
    decoder: FieldDecoder,
}

impl RowReader<'_> {
    fn column(&self, field: Field) -> Option<Column> {
        let index = self.map.get(field)?;
        Some(Column {
            number: index + 1,
            header: self.headers[index].clone(),
            field: Some(field.name()),
        })
    }

    /// The normalised, non-empty value of `field` in this row, if the file has the column.
    fn cell<'r>(&mut self, row: &Row<'r>, field: Field) -> Option<Cow<'r, str>> {
        let index = self.map.get(field)?;
        // A field that is not valid UTF-8 on its own (only the whole row is checked) falls
        // through to the decoder, which says so.
        if let Some(field) = row.utf8.and_then(|text| text.get(row.record.range(index)?)) {
            let value = normalize(field);
            return (!value.is_empty()).then_some(value);
        }
        let bytes = row.record.get(index)?;
        let value = match self.decoder.decode(bytes) {
            Cow::Borrowed(s) => normalize(s),
            Cow::Owned(s) => Cow::Owned(normalize(&s).into_owned()),
        };
        (!value.is_empty()).then_some(value)
    }

    fn diagnostic(&self, line: u64, field: Field, severity: Level, message: String) -> Diagnostic {
        Diagnostic {
            line,
            column: self.column(field),
            severity,
            message,
        }
    }

    fn reject(
        &self,
        report: &mut FileReport,
        line: u64,
        field: Field,
        message: String,
    ) -> Option<VisitRecord> {
        report.push(self.diagnostic(line, field, Level::Rejected, message));
        None
    }

    fn blank(&self, report: &mut FileReport, line: u64, field: Field, message: String) {
        let message = format!("{message}; the cell is left blank");
        report.push(self.diagnostic(line, field, Level::Warning, message));
    }

    fn read(
        &mut self,
        record: &csv::ByteRecord,
        line: u64,
        symbols: &mut Symbols,
        report: &mut FileReport,
    ) -> Option<VisitRecord> {
        // Blank cells are ASCII spaces or nothing; no need to decode them to know.
        if record.iter().all(|b| b.trim_ascii().is_empty()) {
            report.push(Diagnostic {
                line,
                column: None,
                severity: Level::Rejected,
                message: "the row is empty".to_owned(),
            });
            return None;
        }
        let tz = self.ctx.config.timezone.0;
        let utf8 = match self.decoder.encoding {
            super::decode::Encoding::Utf8 => std::str::from_utf8(record.as_slice()).ok(),
            super::decode::Encoding::Gb18030 => None,
        };
        let record = &Row { record, utf8 };
        let date = match self.cell(record, Field::Date) {
            None => return self.reject(report, line, Field::Date, "date is empty".into()),
            Some(value) => match parse_date(&value, tz) {
                Ok(d) => d,
                Err(e) => {
                    let message = format!("`{}` is not a date: {e}", quote(&value));
                    return self.reject(report, line, Field::Date, message);
                }
            },
        };
        let Some(department) = self.cell(record, Field::Department) else {
            return self.reject(
                report,
                line,
                Field::Department,
                "department is empty".into(),
            );
        };
        let department = symbols.intern(self.ctx.vocabulary.department(&department));

        self.check_width(record.record, line, report);
        let vocabulary = self.ctx.vocabulary;
        let id = match self.cell(record, Field::Id) {
            Some(id) => id.into_owned(),
            None => format!("{}:{line}", self.file_name),
        };
        let mut sym = |this: &mut Self, field| this.cell(record, field).map(|v| symbols.intern(&v));
        let site = sym(self, Field::Site);
        let visit_type = sym(self, Field::VisitType);
        let channel = sym(self, Field::Channel);
        let staff = sym(self, Field::Staff);
        let contact_value = self.cell(record, Field::ContactResult);
        let contacted = match &contact_value {
            Some(v) => vocabulary.is_contact_success(v),
            None => !self.map.has(Field::ContactResult),
        };
        let contact_result = contact_value.map(|v| symbols.intern(&v));
        let satisfaction = self.level(record, line, Field::Satisfaction, report);
        let comment = self.cell(record, Field::Comment).map(Cow::into_owned);
        let complaint = self.complaint(record, line, date, symbols, report);

        Some(VisitRecord {
            id,
            date,
            department,
            site,
            visit_type,
            channel,
            contact_result,
            contacted,
            satisfaction,
            complaint,
            comment,
            staff,
        })
    }

    fn check_width(&self, record: &csv::ByteRecord, line: u64, report: &mut FileReport) {
        let width = self.headers.len();
        let extra_values = record
            .iter()
            .skip(width)
            .any(|b| !b.trim_ascii().is_empty());
        if extra_values {
            report.push(Diagnostic {
                line,
                column: None,
                severity: Level::Warning,
                message: format!(
                    "the row has {} fields but the header has {width}; values past column {width} are ignored",
                    record.len()
                ),
            });
        }
    }

    fn level(
        &mut self,
        record: &Row<'_>,
        line: u64,
        field: Field,
        report: &mut FileReport,
    ) -> Option<crate::model::Level> {
        let value = self.cell(record, field)?;
        let level = self.ctx.vocabulary.satisfaction(&value);
        if level.is_none() {
            let expected = Vocabulary::satisfaction_expected(self.ctx.config);
            let message = format!(
                "`{}` is not a satisfaction level (expected {expected})",
                quote(&value)
            );
            self.blank(report, line, field, message);
        }
        level
    }

    fn optional_date(
        &mut self,
        record: &Row<'_>,
        line: u64,
        field: Field,
        report: &mut FileReport,
    ) -> Option<NaiveDate> {
        let value = self.cell(record, field)?;
        match parse_date(&value, self.ctx.config.timezone.0) {
            Ok(d) => Some(d),
            Err(e) => {
                let message = format!("`{}` is not a date: {e}", quote(&value));
                self.blank(report, line, field, message);
                None
            }
        }
    }

    fn complaint(
        &mut self,
        record: &Row<'_>,
        line: u64,
        date: NaiveDate,
        symbols: &mut Symbols,
        report: &mut FileReport,
    ) -> Option<Complaint> {
        const COMPLAINT_FIELDS: [Field; 5] = [
            Field::Severity,
            Field::Status,
            Field::DueDate,
            Field::ClosedDate,
            Field::RevisitSatisfaction,
        ];
        let Some(category) = self.cell(record, Field::ComplaintCategory) else {
            if let Some(&field) = COMPLAINT_FIELDS
                .iter()
                .find(|&&f| self.cell(record, f).is_some())
            {
                let message = format!(
                    "{field} is filled but complaint_category is empty, so the row raised no complaint; the value is ignored"
                );
                report.push(self.diagnostic(line, field, Level::Warning, message));
            }
            return None;
        };
        let category = symbols.intern(&category);

        let severity = self.cell(record, Field::Severity).and_then(|value| {
            let severity = Severity::parse(&value);
            if severity.is_none() {
                let message = format!(
                    "`{}` is not a complaint level (expected 重大, 重要 or 轻微)",
                    quote(&value)
                );
                self.blank(report, line, Field::Severity, message);
            }
            severity
        });
        let status = self.cell(record, Field::Status).and_then(|value| {
            let status = self.ctx.vocabulary.status(&value);
            if status.is_none() {
                let known: Vec<&str> = self.ctx.config.status.all().map(|(s, _)| s).collect();
                let message = format!(
                    "`{}` is not a known status (expected {}; add it to [status] open or closed)",
                    quote(&value),
                    known.join(", ")
                );
                self.blank(report, line, Field::Status, message);
            }
            status
        });
        let due_date = self.optional_date(record, line, Field::DueDate, report);
        let mut closed_date = self.optional_date(record, line, Field::ClosedDate, report);
        if let Some(closed) = closed_date
            && closed < date
        {
            let message = format!("closed date {closed} is before the visit date {date}");
            self.blank(report, line, Field::ClosedDate, message);
            closed_date = None;
        }
        let revisit_satisfaction = self.level(record, line, Field::RevisitSatisfaction, report);
        Some(Complaint {
            category,
            severity,
            status,
            due_date,
            closed_date,
            revisit_satisfaction,
        })
    }
}

fn quote(value: &str) -> String {
    if value.chars().count() <= QUOTE_CHARS {
        value.to_owned()
    } else {
        let cut: String = value.chars().take(QUOTE_CHARS).collect();
        format!("{cut}…")
    }
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
