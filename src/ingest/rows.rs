//! Reading the rows of one piece of a file's body into typed records. Pieces are read in
//! parallel; everything here sees only its own piece, the file's [`Layout`] and the shared
//! [`Context`].

use super::chunks::{LineCounter, count_line_ends};
use super::decode::{self, Encoding};
use super::guard::Seen;
use super::open::Layout;
use super::quotes;
use super::report::{Column, Diagnostic, PieceReport, Severity as Level};
use super::split::{Record, Splitter};
use super::text::{may_need_folding, normalize, shown, trim_blank};
use super::vocabulary::Vocabulary;
use crate::config::Config;
use crate::dates::parse_date;
use crate::model::{Complaint, Field, Level as Grade, Severity, ShortKey, StatusId, Sym};
use crate::model::{Symbols, VisitRecord};
use chrono::NaiveDate;
use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;

/// Everything a row needs that is the same for all files.
pub struct Context<'a> {
    pub config: &'a Config,
    pub vocabulary: &'a Vocabulary,
}

/// Reads every record of `bytes`, a piece of a body that starts at a record start on line
/// `first_line`, decoding from `encoding` when it is given, else from the file's encoding if
/// that is settled, else from what the piece's text is (see [`decode::classify`]). Accepted
/// records go to `sink`.
pub fn read_piece(
    bytes: &[u8],
    first_line: u64,
    layout: &Layout,
    encoding: Option<Encoding>,
    ctx: &Context<'_>,
    symbols: &mut Symbols,
    sink: &mut dyn FnMut(VisitRecord<'_>),
) -> PieceReport {
    let (encoding, met) = match encoding.or(layout.settled.then_some(layout.encoding)) {
        Some(encoding) => (encoding, None),
        // The first text that is not ASCII decides, as the first bytes of a file do.
        None => match decode::first_text(bytes) {
            Some(text) => {
                let encoding = decode::classify(&text[..text.len().min(decode::SNIFF_BYTES)]);
                (encoding, Some(encoding))
            }
            None => (Encoding::Utf8, None),
        },
    };
    let mut report = if let Some(decoder) = encoding.legacy() {
        // The whole piece is transcoded at once and then read as UTF-8, rather than each cell
        // decoded into its own string. The CSV structure survives: delimiters, quotes, CR and
        // LF never occur inside a GB18030 character (nor are they anything else in
        // Windows-1252), and line ends stay where they were.
        let (text, lossy) = decoder.decode_without_bom_handling(bytes);
        // Bad bytes may lie in cells no one reads (unused columns, rejected rows); only a
        // cell-by-cell read says whether a cell in use held them.
        if lossy {
            read_text(bytes, first_line, layout, encoding, ctx, symbols, sink)
        } else {
            let text = text.as_bytes();
            read_text(text, first_line, layout, Encoding::Utf8, ctx, symbols, sink)
        }
    } else {
        read_text(bytes, first_line, layout, encoding, ctx, symbols, sink)
    };
    report.met = met;
    report
}

fn read_text(
    bytes: &[u8],
    first_line: u64,
    layout: &Layout,
    encoding: Encoding,
    ctx: &Context<'_>,
    symbols: &mut Symbols,
    sink: &mut dyn FnMut(VisitRecord<'_>),
) -> PieceReport {
    let mut records = Splitter::new(bytes, &layout.shape);
    let mut rows = RowReader {
        layout,
        ctx,
        encoding,
        lossy: Vec::new(),
        blanked: Vec::new(),
        seen: Seen::default(),
        memos: Memos::default(),
    };
    let mut report = PieceReport::default();
    let mut lines = LineCounter::new(bytes, first_line);
    let mut piece = PieceText::new(bytes, encoding);
    while let Some(record) = records.next_record() {
        let line = lines.line_at(record.start);
        let last = if record.one_line() {
            lines.pass(record.end);
            line
        } else {
            lines.last_line(record.end)
        };
        report.record_lines += last - line + 1;
        if last > line
            && record.fault().is_none()
            && !layout.from_sheet
            && let Some(inner) = row_inside(&bytes[record.start..record.end], layout)
        {
            report.push(Diagnostic {
                line,
                column: None,
                severity: Level::Warning,
                message: format!(
                    "the row runs over lines {line}–{last}, and line {} in its quoted cell \
                     holds as many delimiters as a row: a stray quote on line {line} may have \
                     read rows into that cell. Check its quotes",
                    line + inner
                ),
            });
        }
        if let Some(fault) = record.fault() {
            report.rows_read += 1;
            let column = fault.column().and_then(|c| rows.column_at(c));
            report.push(Diagnostic {
                line,
                column,
                severity: Level::Rejected,
                message: format!(
                    "{}; the row is not used, and the next line is read as a row of its own. {}",
                    fault.describe(),
                    quotes::FIX
                ),
            });
            continue;
        }
        report.rows_read += 1;
        if let Some(rec) = rows.read(&record, line, &mut piece, symbols, &mut report) {
            if !rows.lossy.is_empty() {
                rows.report_lossy(&record, line, &mut report);
            }
            report.accepted += 1;
            sink(rec);
        }
    }
    report.seen = rows.seen;
    report.blank_lines = records.blank_lines();
    report
}

/// A row read into the quoted cell of a record over several lines, as the line (counted from
/// 0) that shows it: a line inside the cell holding as many delimiters as the header, which a
/// line of comment text hardly does; or the cell's last line, when its text up to the closing
/// quote holds as many delimiters as lie before the cell on the first line: the shape of a row
/// whose own cell in that column ended in a quote that closed this one. The record kept the
/// quoting rule, so this is only a warning.
fn row_inside(record: &[u8], layout: &Layout) -> Option<u64> {
    let width = layout.headers.len();
    let d = layout.shape.delimiter;
    let text = record.strip_suffix(b"\n").unwrap_or(record);
    let text = text.strip_suffix(b"\r").unwrap_or(text);
    // Rows of several lines are a few in a hundred: no allocation, each byte looked at once.
    let first_end = memchr::memchr2(b'\n', b'\r', text)?;
    let last_start = memchr::memrchr2(b'\n', b'\r', text)? + 1;
    let delimiters = |l: &[u8]| memchr::memchr_iter(d, l).count();
    let past =
        |end: usize| end + 1 + usize::from(text[end] == b'\r' && text.get(end + 1) == Some(&b'\n'));
    let (mut index, mut at) = (1, past(first_end));
    while at < last_start {
        let end = at + memchr::memchr2(b'\n', b'\r', &text[at..last_start]).unwrap_or(0);
        if width >= 3 && delimiters(&text[at..end]) + 1 >= width {
            return Some(index);
        }
        (index, at) = (index + 1, past(end));
    }
    let lines_before = count_line_ends(&text[..last_start]);
    let column = open_column(&text[..first_end], d)?;
    let closing = closing_text(&text[last_start..])?;
    (column >= 2 && delimiters(closing) >= column).then_some(lines_before)
}

/// The column (from 0) of the quoted cell a line leaves open at its end.
fn open_column(line: &[u8], delimiter: u8) -> Option<usize> {
    let (mut column, mut at) = (0, 0);
    loop {
        if line.get(at) == Some(&b'"') {
            match closing_text(&line[at + 1..]) {
                Some(cell) => at += 1 + cell.len() + 1,
                None => return Some(column),
            }
        }
        at += memchr::memchr(delimiter, &line[at..])? + 1;
        column += 1;
    }
}

/// The text of a quoted cell up to its closing quote (a doubled quote is text), if it closes.
fn closing_text(text: &[u8]) -> Option<&[u8]> {
    let mut from = 0;
    loop {
        let at = from + memchr::memchr(b'"', &text[from..])?;
        if text.get(at + 1) == Some(&b'"') {
            from = at + 2;
        } else {
            return Some(&text[..at]);
        }
    }
}

/// What is known of a whole piece, so that its rows need not look again: its text when it is
/// all valid UTF-8 (one validation per piece, not one per row), and where the next byte that
/// may start a full-width form lies (see [`may_need_folding`]).
struct PieceText<'p> {
    bytes: &'p [u8],
    text: Option<&'p str>,
    next_wide: Option<usize>,
}

impl<'p> PieceText<'p> {
    fn new(bytes: &'p [u8], encoding: Encoding) -> Self {
        let text = match encoding {
            Encoding::Utf8 => simdutf8::basic::from_utf8(bytes).ok(),
            Encoding::Gb18030 | Encoding::Windows1252 => None,
        };
        PieceText {
            bytes,
            text,
            next_wide: memchr::memchr2(0xEF, 0xE3, bytes),
        }
    }

    /// The record's text, when it is a slice of a piece that is all UTF-8.
    fn row(&self, record: &Record<'_>) -> Option<&'p str> {
        let text = self.text.filter(|_| record.in_piece())?;
        text.get(record.start..record.end)
    }

    /// Whether `start..end` holds a byte that may start a full-width form. Rows come in
    /// order, so each searches at most once, from its start, and the searches add up to one
    /// pass over the piece.
    fn wide(&mut self, start: usize, end: usize) -> bool {
        if let Some(next) = self.next_wide
            && next < start
        {
            self.next_wide =
                memchr::memchr2(0xEF, 0xE3, self.bytes.get(start..).unwrap_or_default())
                    .map(|i| start + i);
        }
        self.next_wide.is_some_and(|next| next < end)
    }
}

/// One row being read: its fields, and the whole row as text when it is valid UTF-8, so
/// each field is a slice of it instead of being validated again.
struct Row<'r> {
    record: &'r Record<'r>,
    utf8: Option<&'r str>,
    /// Some cell may hold full-width text to fold (see [`may_need_folding`]).
    wide: bool,
}

struct RowReader<'a> {
    layout: &'a Layout,
    ctx: &'a Context<'a>,
    encoding: Encoding,
    /// Cells of the row being read that held bytes invalid in the encoding, as decoded.
    lossy: Vec<(Field, String)>,
    /// Cells of the row being read already left blank with a warning.
    blanked: Vec<Field>,
    /// The piece's distinct departments and sites, for the plausibility guard.
    seen: Seen,
    memos: Memos,
}

/// The typed values of a column met so far in this piece, by the cell's bytes as written. A
/// piece holds thousands of rows and a column of names or levels a few dozen values, so most
/// cells are found here and skip trimming, folding, the vocabulary and interning. Only values
/// read without a message are kept, so a row read from here reports what a full read would.
struct Memo<V> {
    seen: HashMap<ShortKey, V>,
}

impl<V> Default for Memo<V> {
    fn default() -> Self {
        Memo {
            seen: HashMap::default(),
        }
    }
}

#[derive(Default)]
struct Memos {
    syms: [Memo<Sym>; Field::COUNT],
    grades: [Memo<Grade>; Field::COUNT],
    contact: Memo<(Sym, bool)>,
    severity: Memo<Severity>,
    status: Memo<StatusId>,
}

impl Memos {
    fn sym(&mut self, field: Field) -> &mut Memo<Sym> {
        &mut self.syms[field.index()]
    }
}

impl RowReader<'_> {
    /// `read` of the cell of `field`, or the value it gave for the same bytes before. Only
    /// rows read as UTF-8 are remembered: bytes read in another encoding, or before a file
    /// switched encoding, may mean something else.
    fn memo<V: Copy>(
        &mut self,
        row: &Row<'_>,
        field: Field,
        memo: fn(&mut Memos, Field) -> &mut Memo<V>,
        read: impl FnOnce(&mut Self) -> Option<V>,
    ) -> Option<V> {
        let raw = row
            .utf8
            .and(self.layout.map.get(field))
            .and_then(|i| row.record.get(i));
        if raw.is_some_and(<[u8]>::is_empty) {
            return None;
        }
        let key = raw.and_then(ShortKey::of);
        if let Some(key) = &key
            && let Some(&value) = memo(&mut self.memos, field).seen.get(key)
        {
            return Some(value);
        }
        let value = read(self);
        if let (Some(key), Some(value)) = (key, value) {
            memo(&mut self.memos, field).seen.insert(key, value);
        }
        value
    }

    /// The interned value of a name column.
    fn sym(&mut self, row: &Row<'_>, field: Field, symbols: &mut Symbols) -> Option<Sym> {
        self.memo(row, field, Memos::sym, |this| {
            let value = this.cell(row, field)?;
            let sym = symbols.intern(&crate::privacy::label(&value));
            if field == Field::Site {
                this.seen.sites.insert(sym);
            }
            Some(sym)
        })
    }

    fn column(&self, field: Field) -> Option<Column> {
        self.column_at(self.layout.map.get(field)?)
    }

    /// The column at a 0-based index, with the field read from it, if any.
    fn column_at(&self, index: usize) -> Option<Column> {
        let header = self.layout.headers.get(index)?.clone();
        let field = Field::ALL
            .into_iter()
            .find(|&f| self.layout.map.get(f) == Some(index));
        Some(Column {
            number: index + 1,
            header,
            field: field.map(Field::name),
        })
    }

    /// The normalised, non-empty value of `field` in this row, if the file has the column.
    fn cell<'r>(&mut self, row: &Row<'r>, field: Field) -> Option<Cow<'r, str>> {
        let index = self.layout.map.get(field)?;
        if row.record.range(index).is_none_or(|r| r.is_empty()) {
            return None;
        }
        // A field that is not valid UTF-8 on its own (only the whole row is checked) falls
        // through to the decoder, which says so.
        if let Some(field) = row.utf8.and_then(|text| text.get(row.record.range(index)?)) {
            let value = if row.wide {
                normalize(field)
            } else {
                Cow::Borrowed(trim_blank(field))
            };
            return (!value.is_empty()).then_some(value);
        }
        let bytes = row.record.get(index)?;
        let (text, lossy) = decode::decode(self.encoding, bytes);
        let value = match text {
            Cow::Borrowed(s) => normalize(s),
            Cow::Owned(s) => Cow::Owned(normalize(&s).into_owned()),
        };
        if lossy && !self.lossy.iter().any(|(f, _)| *f == field) {
            self.lossy.push((field, value.to_string()));
        }
        (!value.is_empty()).then_some(value)
    }

    /// The text of a cell of `field` in the row being read that held bytes invalid in the
    /// encoding, as decoded.
    fn broken(&self, field: Field) -> Option<&str> {
        let (_, text) = self.lossy.iter().find(|(f, _)| *f == field)?;
        Some(text)
    }

    /// Rejects the row for the broken bytes of a field it cannot do without.
    fn reject_broken<T>(
        &self,
        record: &Record<'_>,
        line: u64,
        field: Field,
        report: &mut PieceReport,
    ) -> Option<T> {
        let text = self.broken(field).unwrap_or_default();
        let mut message = self.broken_bytes(&format!("{field} holds bytes"), text);
        message.push_str(&self.other_encoding(record, field));
        self.reject(report, line, field, message)
    }

    fn diagnostic(&self, line: u64, field: Field, severity: Level, message: String) -> Diagnostic {
        Diagnostic {
            line,
            column: self.column(field),
            severity,
            message,
        }
    }

    fn reject<T>(
        &self,
        report: &mut PieceReport,
        line: u64,
        field: Field,
        message: String,
    ) -> Option<T> {
        report.push(self.diagnostic(line, field, Level::Rejected, message));
        None
    }

    fn blank(&mut self, report: &mut PieceReport, line: u64, field: Field, message: String) {
        self.blanked.push(field);
        let message = format!("{message}; the cell is left blank");
        report.push(self.diagnostic(line, field, Level::Warning, message));
    }

    /// A message about `what` is not valid in the encoding, in a cell read as `value`.
    fn broken_bytes(&self, what: &str, value: &str) -> String {
        format!(
            "{what} not valid {} (read as `{}`); check the file's encoding, or set `encoding` \
             on this source (\"utf-8\" or \"gb18030\")",
            self.encoding.name(),
            shown(value)
        )
    }

    /// What to add to a message about a cell of `field` whose bytes are not valid in the
    /// file's encoding when they read cleanly in the other: the file mixes two.
    fn other_encoding(&self, record: &Record<'_>, field: Field) -> String {
        let other = match self.encoding {
            Encoding::Utf8 => Encoding::Gb18030,
            Encoding::Gb18030 | Encoding::Windows1252 => Encoding::Utf8,
        };
        let bytes = self.layout.map.get(field).and_then(|i| record.get(i));
        match bytes.map(|b| decode::decode(other, b)) {
            Some((text, false)) => format!(
                "; the cell reads as {} (`{}`): the file mixes two encodings, save it again in one",
                other.name(),
                shown(&text)
            ),
            _ => String::new(),
        }
    }

    /// A warning for each cell of an accepted row that held bytes invalid in the encoding
    /// (they read as U+FFFD), but those already left blank with a message quoting them.
    fn report_lossy(&mut self, record: &Record<'_>, line: u64, report: &mut PieceReport) {
        let lossy = std::mem::take(&mut self.lossy);
        for (field, value) in lossy.iter().filter(|(f, _)| !self.blanked.contains(f)) {
            let mut message = self.broken_bytes("bytes that are", value);
            message.push_str(&self.other_encoding(record, *field));
            report.push(self.diagnostic(line, *field, Level::Warning, message));
        }
        self.lossy = lossy;
    }

    fn read<'r, 'p: 'r>(
        &mut self,
        record: &'r Record<'r>,
        line: u64,
        piece: &mut PieceText<'p>,
        symbols: &mut Symbols,
        report: &mut PieceReport,
    ) -> Option<VisitRecord<'r>> {
        self.lossy.clear();
        self.blanked.clear();
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
        let utf8 = match self.encoding {
            Encoding::Utf8 => piece
                .row(record)
                .or_else(|| simdutf8::basic::from_utf8(record.text()).ok()),
            Encoding::Gb18030 | Encoding::Windows1252 => None,
        };
        let wide = match utf8 {
            None => true,
            Some(_) if record.in_piece() => piece.wide(record.start, record.end),
            Some(row) => may_need_folding(row.as_bytes()),
        };
        let record = &Row { record, utf8, wide };
        // The fields a row cannot do without are not guessed from broken bytes.
        let date = match self.cell(record, Field::Date) {
            None => return self.reject(report, line, Field::Date, "date is empty".into()),
            Some(_) if self.broken(Field::Date).is_some() => {
                return self.reject_broken(record.record, line, Field::Date, report);
            }
            Some(value) => match parse_date(&value, tz) {
                Ok(d) => d,
                Err(e) => {
                    let message = format!("`{}` is not a date: {e}", shown(&value));
                    return self.reject(report, line, Field::Date, message);
                }
            },
        };
        let department = self.memo(record, Field::Department, Memos::sym, |this| {
            let name = this.cell(record, Field::Department)?;
            if this.broken(Field::Department).is_some() {
                return None;
            }
            let sym = symbols.intern(&crate::privacy::label(
                this.ctx.vocabulary.department(&name),
            ));
            this.seen.departments.insert(sym);
            Some(sym)
        });
        let Some(department) = department else {
            if self.broken(Field::Department).is_some() {
                return self.reject_broken(record.record, line, Field::Department, report);
            }
            return self.reject(
                report,
                line,
                Field::Department,
                "department is empty".into(),
            );
        };

        self.check_width(record.record, line, report);
        let vocabulary = self.ctx.vocabulary;
        let id = match self.cell(record, Field::Id) {
            Some(id) => id,
            None => Cow::Owned(format!("{}:{line}", self.layout.file_name)),
        };
        let site = self.sym(record, Field::Site, symbols);
        let visit_type = self.sym(record, Field::VisitType, symbols);
        let channel = self.sym(record, Field::Channel, symbols);
        let staff = self.sym(record, Field::Staff, symbols);
        let contact = self.memo(
            record,
            Field::ContactResult,
            |m, _| &mut m.contact,
            |this| {
                let value = this.cell(record, Field::ContactResult)?;
                Some((
                    symbols.intern(&crate::privacy::label(&value)),
                    vocabulary.is_contact_success(&value),
                ))
            },
        );
        let contact_result = contact.map(|(sym, _)| sym);
        let contacted = match contact {
            Some((_, success)) => success,
            None => !self.layout.map.has(Field::ContactResult),
        };
        let satisfaction = self.level(record, line, Field::Satisfaction, report);
        let comment = self.cell(record, Field::Comment);
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

    fn check_width(&self, record: &Record<'_>, line: u64, report: &mut PieceReport) {
        let width = self.layout.headers.len();
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

    /// The vocabulary value of a cell, as `lookup` finds it (remembered per piece); a value it
    /// does not know is left blank, with the message `unknown` gives for the quoted value.
    #[allow(clippy::too_many_arguments)]
    fn known<V: Copy>(
        &mut self,
        record: &Row<'_>,
        line: u64,
        field: Field,
        report: &mut PieceReport,
        memo: fn(&mut Memos, Field) -> &mut Memo<V>,
        lookup: impl Fn(&Self, &str) -> Option<V>,
        unknown: impl Fn(&Self, &str) -> String,
    ) -> Option<V> {
        self.memo(record, field, memo, |this| {
            let value = this.cell(record, field)?;
            let found = lookup(this, &value);
            if found.is_none() {
                let message = unknown(this, &shown(&value));
                this.blank(report, line, field, message);
            }
            found
        })
    }

    fn level(
        &mut self,
        record: &Row<'_>,
        line: u64,
        field: Field,
        report: &mut PieceReport,
    ) -> Option<Grade> {
        self.known(
            record,
            line,
            field,
            report,
            |m, field| &mut m.grades[field.index()],
            |this, value| this.ctx.vocabulary.satisfaction(value),
            |this, value| {
                let expected = Vocabulary::satisfaction_expected(this.ctx.config);
                format!("`{value}` is not a satisfaction level (expected {expected})")
            },
        )
    }

    fn optional_date(
        &mut self,
        record: &Row<'_>,
        line: u64,
        field: Field,
        report: &mut PieceReport,
    ) -> Option<NaiveDate> {
        let value = self.cell(record, field)?;
        match parse_date(&value, self.ctx.config.timezone.0) {
            Ok(d) => Some(d),
            Err(e) => {
                let message = format!("`{}` is not a date: {e}", shown(&value));
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
        report: &mut PieceReport,
    ) -> Option<Complaint> {
        const COMPLAINT_FIELDS: [Field; 5] = [
            Field::Severity,
            Field::Status,
            Field::DueDate,
            Field::ClosedDate,
            Field::RevisitSatisfaction,
        ];
        let category = self.sym(record, Field::ComplaintCategory, symbols);
        let Some(category) = category else {
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

        let severity = self.known(
            record,
            line,
            Field::Severity,
            report,
            |m, _| &mut m.severity,
            |_, value| Severity::parse(value),
            |_, value| format!("`{value}` is not a complaint level (expected 重大, 重要 or 轻微)"),
        );
        let status = self.known(
            record,
            line,
            Field::Status,
            report,
            |m, _| &mut m.status,
            |this, value| this.ctx.vocabulary.status(value),
            |this, value| {
                let known: Vec<&str> = this.ctx.config.status.all().map(|(s, _)| s).collect();
                format!(
                    "`{value}` is not a known status (expected {}; add it to [status] open or closed)",
                    known.join(", ")
                )
            },
        );
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows asked in order: each answer is whether its own bytes hold an EF or E3 lead byte,
    /// as a look at the row alone says, whatever rows before or after hold.
    #[test]
    fn a_piece_says_which_rows_may_need_folding() {
        let rows = [
            "a,b\n",
            "\u{3000}c,d\n",
            "e\n",
            "f\n",
            "g,\u{ff0c}\n",
            "h\n",
        ];
        let text: String = rows.concat();
        let mut piece = PieceText::new(text.as_bytes(), Encoding::Utf8);
        let mut start = 0;
        for row in rows {
            let end = start + row.len();
            assert_eq!(
                piece.wide(start, end),
                may_need_folding(row.as_bytes()),
                "{row:?}"
            );
            start = end;
        }
    }
}
