//! Cutting a CSV body into pieces that can be parsed on their own, so one large file keeps
//! every core busy. A piece must end where a record ends, which depends on quoting: a line end
//! inside a quoted cell is data, unless the quote is a stray one (see [`super::quotes`]).
//! Rather than parse the whole file twice, only the quote characters are followed (memchr
//! finds them, and most bytes are never looked at): a quote opens a quoted cell only at the
//! start of a cell (after a delimiter, a line end, or at the start of the piece). A quoted cell
//! that closes on its own line, followed by a delimiter or a line end, needs nothing more;
//! only a record with any other quoted cell is scanned by the quoting rule, from its start.
//!
//! Line ends are CR, LF or CRLF, as for the csv crate; a piece is cut just after one.

use super::quotes::{self, Scan, Shape};
use memchr::{memchr, memchr_iter, memchr2_iter, memchr3, memrchr2};

/// Where `bytes` can be cut so that `bytes[..cut]` holds only whole records and `bytes[cut..]`
/// starts a new one, as close to the end as possible. `bytes` must start at a record start
/// and must not be the end of the file. `None` when no record ends inside `bytes` (or the only
/// line end might be the CR of a CRLF whose LF is not read yet); the caller then reads more
/// before cutting.
pub fn last_record_end(bytes: &[u8], shape: &Shape) -> Option<usize> {
    let held = held_spans(bytes, shape);
    let mut end = bytes.len();
    let mut spans = held.iter().rev().peekable();
    loop {
        let at = memrchr2(b'\n', b'\r', &bytes[..end])?;
        // Skip spans lying wholly after the line end; a span holding it means the line end is
        // data, and the search goes on before the record that holds it.
        while spans.peek().is_some_and(|s| s.open > at) {
            spans.next();
        }
        if let Some(span) = spans.peek()
            && span.close.is_none_or(|close| close > at)
        {
            end = span.open;
            continue;
        }
        if bytes[at] == b'\r' && at + 1 == bytes.len() {
            // The byte after this CR decides whether it is a whole line end; not known yet.
            end = at;
            continue;
        }
        return Some(at + 1);
    }
}

/// A stretch whose line ends are not record ends (or not cuts): from a record's start to its
/// last line end (`close`), or to wherever it ends if that is not read yet (`None`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    open: usize,
    close: Option<usize>,
}

/// The records of `bytes` that hold line breaks inside quotes by the quoting rule, the bytes a
/// fault was decided on (a piece cut among them might decide it otherwise, and say
/// something else about it), and a last record not settled yet; in order, and merged where
/// they overlap.
fn held_spans(bytes: &[u8], shape: &Shape) -> Vec<Span> {
    let d = shape.delimiter;
    let mut spans = Vec::new();
    let mut from = 0;
    // A position known to start a record; the start of any later record is the line start
    // after the last line end before it.
    let mut known = 0;
    while let Some(found) = memchr(b'"', &bytes[from..]) {
        let open = from + found;
        let at_field_start =
            open == 0 || matches!(bytes[open - 1], b'\n' | b'\r') || bytes[open - 1] == d;
        if !at_field_start {
            from = open + 1;
            continue;
        }
        if let Some(next) = closes_on_its_line(bytes, open + 1, d) {
            from = next;
            continue;
        }
        let start = memrchr2(b'\n', b'\r', &bytes[known..open]).map_or(known, |k| known + k + 1);
        match quotes::scan(bytes, start, shape, false) {
            Scan::Record { end } => {
                hold(&mut spans, start, Some(end - 1));
                (from, known) = (end, end);
            }
            Scan::Fault { end, seen, .. } => {
                hold(&mut spans, start, Some(seen - 1));
                (from, known) = (end, end);
            }
            Scan::More => {
                hold(&mut spans, start, None);
                break;
            }
        }
    }
    spans
}

/// Adds a span to `spans`, which come in order of their start, merged with the last one when
/// the two overlap.
fn hold(spans: &mut Vec<Span>, open: usize, close: Option<usize>) {
    if let Some(last) = spans.last_mut()
        && last.close.is_none_or(|c| open <= c)
    {
        last.close = last.close.zip(close).map(|(a, b)| a.max(b));
        return;
    }
    spans.push(Span { open, close });
}

/// For a quoted cell whose text starts at `from`: just past its closing quote when that lies
/// on the same line and is followed by a delimiter or a line end (or the bytes end, so no
/// line end after it is in question). `None` for any other cell: the rule decides.
fn closes_on_its_line(bytes: &[u8], mut from: usize, delimiter: u8) -> Option<usize> {
    loop {
        let at = from + memchr3(b'"', b'\n', b'\r', &bytes[from..])?;
        if bytes[at] != b'"' {
            return None;
        }
        match bytes.get(at + 1) {
            Some(b'"') => from = at + 2,
            Some(&b) if b == delimiter || b == b'\n' || b == b'\r' => return Some(at + 1),
            _ => return None,
        }
    }
}

/// Line ends in `bytes`, CRLF counted once. A CR as the last byte counts: pieces are cut only
/// after whole line ends, so a CR there is never the first half of a CRLF.
pub fn count_line_ends(bytes: &[u8]) -> u64 {
    // memchr counts a byte with SIMD; only CRs need a look at what follows them.
    let lf = memchr_iter(b'\n', bytes).count();
    let lone_cr = memchr_iter(b'\r', bytes)
        .filter(|&i| bytes.get(i + 1) != Some(&b'\n'))
        .count();
    (lf + lone_cr) as u64
}

/// Physical line numbers of records within one piece, from their byte offsets. Offsets never
/// go backwards, so each byte is looked at once.
pub struct LineCounter<'a> {
    bytes: &'a [u8],
    offset: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    /// `first_line` is the line on which `bytes` starts.
    pub fn new(bytes: &'a [u8], first_line: u64) -> Self {
        LineCounter {
            bytes,
            offset: 0,
            line: first_line,
        }
    }

    /// Moves past a record that holds no line end but its last bytes (see
    /// [`super::split::Record::one_line`]), whose start was just asked for: what asking for
    /// its end would count, without looking at its bytes.
    pub fn pass(&mut self, end: usize) {
        let end = end.min(self.bytes.len());
        if end > self.offset {
            self.line += u64::from(matches!(self.bytes[end - 1], b'\n' | b'\r'));
            self.offset = end;
        }
    }

    /// The last line of a record that ends at `end` (just past its line end, if it has one).
    pub fn last_line(&mut self, end: usize) -> u64 {
        let ends_a_line = end > 0 && matches!(self.bytes.get(end - 1), Some(b'\n' | b'\r'));
        self.line_at(end) - u64::from(ends_a_line)
    }

    /// The line on which the record starting at `offset` lies. The csv crate places a record
    /// that follows a CRLF at the LF, so a record there starts on the line after the CR.
    pub fn line_at(&mut self, offset: usize) -> u64 {
        let offset = offset.min(self.bytes.len());
        if offset > self.offset {
            let bytes = self.bytes;
            // A CR is a line end unless an LF follows, which may lie past `offset`.
            let ends = memchr2_iter(b'\n', b'\r', &bytes[self.offset..offset])
                .map(|i| self.offset + i)
                .filter(|&i| bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n'))
                .count();
            self.line += ends as u64;
            self.offset = offset;
        }
        let after_cr = offset > 0 && self.bytes[offset - 1] == b'\r';
        self.line + u64::from(after_cr && self.bytes.get(offset) == Some(&b'\n'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn free(delimiter: u8) -> Shape {
        Shape::body(delimiter, vec![true; 4])
    }

    fn last_record_end(bytes: &[u8], delimiter: u8) -> Option<usize> {
        super::last_record_end(bytes, &free(delimiter))
    }

    #[test]
    fn a_stray_quote_holds_no_line_end() {
        let fixed = Shape::body(b',', vec![false, false]);
        // The quote opens a cell that may not hold a line break: the line ends are records'.
        assert_eq!(super::last_record_end(b"a,\"b\nc,d\ne", &fixed), Some(9));
        // A free-text cell may, until it is known whether the quote closes.
        assert_eq!(
            super::last_record_end(b"h\na,\"b\nc,d\ne", &free(b',')),
            Some(2)
        );
        // Closed before the cell ends: a fault, the record is its first line.
        assert_eq!(
            super::last_record_end(b"\"a\"x,\"b\nc\nd", &free(b',')),
            Some(10)
        );
    }

    #[test]
    fn cuts_after_the_last_line_end_outside_quotes() {
        assert_eq!(last_record_end(b"a,b\nc,d\ne,f", b','), Some(8));
        assert_eq!(last_record_end(b"a,b\r\nc,d\r\n", b','), Some(10));
        // The line end inside the quoted field is data.
        assert_eq!(last_record_end(b"a,b\nc,\"x\ny\"", b','), Some(4));
        assert_eq!(last_record_end(b"a,b\nc,\"x\ny", b','), Some(4));
        // Escaped quotes keep the field open; the quote mid-field is ordinary.
        assert_eq!(last_record_end(b"a,\"x\"\"\ny\"\nz", b','), Some(10));
        assert_eq!(last_record_end(b"a,x\"y\nz", b','), Some(6));
        // A quote after a line end opens a field.
        assert_eq!(last_record_end(b"1\n\"a\nb\"\n2", b','), Some(8));
    }

    #[test]
    fn waits_when_no_whole_record_is_read() {
        assert_eq!(last_record_end(b"a,b", b','), None);
        assert_eq!(last_record_end(b"a,\"b\nc", b','), None);
        // A CR at the end may be the start of a CRLF.
        assert_eq!(last_record_end(b"a,b\r", b','), None);
        assert_eq!(last_record_end(b"a\rb\r", b','), Some(2));
        // A quote as the last byte might be the first of `""`.
        assert_eq!(last_record_end(b"a\n\"b\nc\"", b','), Some(2));
    }

    #[test]
    fn quotes_open_only_at_a_field_start_for_the_delimiter_in_use() {
        assert_eq!(last_record_end(b"a;\"x\ny\"\n", b';'), Some(8));
        assert_eq!(last_record_end(b"a;\"x\ny\"\n", b','), Some(8));
        assert_eq!(last_record_end(b"a,\"x\ny\"z\n", b';'), Some(9));
    }

    #[test]
    fn line_ends_count_crlf_once() {
        assert_eq!(count_line_ends(b"a\r\nb\nc\rd"), 3);
        assert_eq!(count_line_ends(b"a\r"), 1);
        let mut lines = LineCounter::new(b"h\r\na\r\n\r\nb\rc", 10);
        assert_eq!(lines.line_at(3), 11);
        assert_eq!(lines.line_at(8), 13);
        assert_eq!(lines.line_at(11), 14);
        // Placed at the LF of a CRLF, as the csv crate does: the record is on the next line.
        let mut lines = LineCounter::new(b"a\r\nb\r\nc", 1);
        assert_eq!(lines.line_at(2), 2);
        assert_eq!(lines.line_at(5), 3);
        assert_eq!(lines.line_at(6), 3);
    }
}
