//! Reading the rows of one piece of a file's body into typed records. Pieces are read in
//! parallel; everything here sees only its own piece, the file's [`Layout`] and the shared
//! [`Context`].

use super::chunks::{LineCounter, count_line_ends};
use super::columns::{Columns, MAX_FIELDS};
use super::decode::{self, Encoding};
use super::guard::Seen;
use super::open::Layout;
use super::quotes;
use super::report::{Column, Diagnostic, Impact, PieceReport, Reason};
use super::split::{Record, Splitter};
use super::text::shown;
use super::vocabulary::Vocabulary;
use crate::chars::{may_need_folding, normalize, trim_blank};
use crate::config::Config;
use crate::dates::parse_date;
use crate::model::Contact;
use crate::model::{Complaint, Field, LevelId, Severity, ShortKey, StatusId, Sym};
use crate::model::{OrderField, OrderRecord, Symbols, VisitRecord};
use chrono::NaiveDate;
use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;

/// Everything a row needs that is the same for all files.
pub struct Context<'a> {
    pub config: &'a Config,
    pub vocabulary: &'a Vocabulary,
}

/// One kind of source: the fields its files are read by, and what one of its rows becomes.
/// Everything else about reading a file is the same for every kind, and is compiled for each
/// (no call per row goes through a table).
pub trait Kind: Sized + 'static {
    type Field: Columns;
    type Record<'r>;
    /// Reads a row that holds some value into a record, or reports why the row is not used.
    fn read<'r>(
        rows: &mut RowReader<'_, Self>,
        row: &Row<'r>,
        line: u64,
        symbols: &mut Symbols,
        report: &mut PieceReport,
    ) -> Option<Self::Record<'r>>;
}

/// Visit logs (`[[sources]]`): a row is a [`VisitRecord`].
pub struct Visits;

/// Work-order exports (`[[orders]]`): a row is an [`OrderRow`].
pub struct Orders;

/// A work order as read, with where: its line, and the column its id was read from (none
/// when the id was made from the file and line), for the message about a second row with the
/// same id.
#[derive(Debug, Clone)]
pub struct OrderRow {
    pub line: u64,
    /// 1-based.
    pub id_column: Option<usize>,
    pub order: OrderRecord,
}

/// Reads every record of `bytes`, a piece of a body that starts at a record start on line
/// `first_line`, decoding from `encoding` when it is given, else from the file's encoding if
/// that is settled, else from what the piece's text is (see [`decode::classify`]). Accepted
/// records go to `sink`.
pub fn read_piece<K: Kind>(
    bytes: &[u8],
    first_line: u64,
    layout: &Layout<K::Field>,
    encoding: Option<Encoding>,
    ctx: &Context<'_>,
    symbols: &mut Symbols,
    sink: &mut dyn FnMut(K::Record<'_>),
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
            read_text::<K>(bytes, first_line, layout, encoding, ctx, symbols, sink)
        } else {
            let text = text.as_bytes();
            read_text::<K>(text, first_line, layout, Encoding::Utf8, ctx, symbols, sink)
        }
    } else {
        read_text::<K>(bytes, first_line, layout, encoding, ctx, symbols, sink)
    };
    report.met = met;
    report
}

fn read_text<K: Kind>(
    bytes: &[u8],
    first_line: u64,
    layout: &Layout<K::Field>,
    encoding: Encoding,
    ctx: &Context<'_>,
    symbols: &mut Symbols,
    sink: &mut dyn FnMut(K::Record<'_>),
) -> PieceReport {
    let mut records = Splitter::new(bytes, &layout.shape);
    let mut rows = RowReader::<K> {
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
                impact: Impact::Warning,
                message: format!(
                    "the row runs over lines {line}–{last}, and line {} in its quoted cell \
                     holds as many delimiters as a row: a stray quote on line {line} may have \
                     read rows into that cell. Check its quotes",
                    line + inner
                ),
                reason: Reason::new("rows_in_a_cell")
                    .with("line", line)
                    .with("last", last),
            });
        }
        if let Some(fault) = record.fault() {
            report.rows_read += 1;
            let column = fault.column().and_then(|c| rows.column_at(c));
            report.push(Diagnostic {
                line,
                column,
                impact: Impact::Rejected,
                message: format!(
                    "{}; the row is not used, and the next line is read as a row of its own. {}",
                    fault.describe(),
                    quotes::FIX
                ),
                reason: Reason::new("stray_quote"),
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
fn row_inside<F>(record: &[u8], layout: &Layout<F>) -> Option<u64> {
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
pub struct Row<'r> {
    record: &'r Record<'r>,
    utf8: Option<&'r str>,
    /// Some cell may hold full-width text to fold (see [`may_need_folding`]).
    wide: bool,
}

pub struct RowReader<'a, K: Kind> {
    layout: &'a Layout<K::Field>,
    ctx: &'a Context<'a>,
    encoding: Encoding,
    /// Cells of the row being read that held bytes invalid in the encoding, as decoded.
    lossy: Vec<(K::Field, String)>,
    /// Cells of the row being read already left blank with a warning.
    blanked: Vec<K::Field>,
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
    /// Cells of more than 16 bytes: an estate's name (`丽水佳园22期`) is six characters and
    /// more, and masking it again on every row was most of the reading. At most
    /// [`LONG_KEPT`] of them, so a column of distinct long texts costs no more than that.
    long: HashMap<Box<[u8]>, V>,
}

/// How many long cells a [`Memo`] keeps: more than the sites of a national operator.
const LONG_KEPT: usize = 8192;

impl<V: Copy> Memo<V> {
    fn get(&self, raw: &[u8]) -> Option<V> {
        match ShortKey::of(raw) {
            Some(key) => self.seen.get(&key),
            None => self.long.get(raw),
        }
        .copied()
    }

    fn insert(&mut self, raw: &[u8], value: V) {
        match ShortKey::of(raw) {
            Some(key) => {
                self.seen.insert(key, value);
            }
            None if self.long.len() < LONG_KEPT => {
                self.long.insert(raw.into(), value);
            }
            None => {}
        }
    }
}

impl<V> Default for Memo<V> {
    fn default() -> Self {
        Memo {
            seen: HashMap::default(),
            long: HashMap::default(),
        }
    }
}

#[derive(Default)]
struct Memos {
    syms: [Memo<Sym>; MAX_FIELDS],
    levels: [Memo<LevelId>; MAX_FIELDS],
    contact: Memo<(Sym, bool)>,
    severity: Memo<Severity>,
    status: Memo<StatusId>,
}

impl Memos {
    fn sym<F: Columns>(&mut self, field: F) -> &mut Memo<Sym> {
        &mut self.syms[field.index()]
    }
}

mod cells;
mod messages;
mod order;
mod record;

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
