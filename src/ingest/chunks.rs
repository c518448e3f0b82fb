//! Cutting a CSV body into pieces that can be parsed on their own, so one large file keeps
//! every core busy. A piece must end where a record ends, which depends on quoting: a line end
//! inside a quoted field is data. Rather than parse the whole file twice, only the quote
//! characters are followed (memchr finds them, and most bytes are never looked at), with the
//! rules the csv crate applies to them:
//!
//! - a quote opens a quoted field only at the start of a field (after a delimiter, a line end,
//!   or at the start of the piece); elsewhere it is an ordinary character;
//! - inside a quoted field, `""` is an escaped quote and a single `"` closes the field.
//!
//! Line ends are CR, LF or CRLF, as for the csv crate; a piece is cut just after one.

use memchr::{memchr, memchr_iter, memchr2_iter, memrchr2};

/// Where `bytes` can be cut so that `bytes[..cut]` holds only whole records and `bytes[cut..]`
/// starts a new one, as close to the end as possible. `bytes` must start at a record start.
/// `None` when no record ends inside `bytes` (or the only line end might be the CR of a CRLF
/// whose LF is not read yet); the caller then reads more before cutting.
pub fn last_record_end(bytes: &[u8], delimiter: u8) -> Option<usize> {
    let quoted = quoted_spans(bytes, delimiter);
    let mut end = bytes.len();
    let mut spans = quoted.iter().rev().peekable();
    loop {
        let at = memrchr2(b'\n', b'\r', &bytes[..end])?;
        // Skip spans lying wholly after the line end; a span holding it means the line end is
        // data, and the search goes on before the quote that opened it.
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

/// A quoted field: the offsets of its opening quote and of its closing quote, if it closes
/// inside the bytes looked at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    open: usize,
    close: Option<usize>,
}

fn quoted_spans(bytes: &[u8], delimiter: u8) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut from = 0;
    while let Some(found) = memchr(b'"', &bytes[from..]) {
        let open = from + found;
        let at_field_start =
            open == 0 || matches!(bytes[open - 1], b'\n' | b'\r') || bytes[open - 1] == delimiter;
        if !at_field_start {
            from = open + 1;
            continue;
        }
        let close = closing_quote(bytes, open + 1);
        spans.push(Span { open, close });
        match close {
            Some(close) => from = close + 1,
            None => break,
        }
    }
    spans
}

/// The quote that closes a quoted field whose content starts at `from`: the first `"` not
/// doubled. A quote that is the last byte read is not known to close anything yet.
fn closing_quote(bytes: &[u8], mut from: usize) -> Option<usize> {
    loop {
        let at = from + memchr(b'"', &bytes[from..])?;
        match bytes.get(at + 1) {
            Some(b'"') => from = at + 2,
            Some(_) => return Some(at),
            None => return None,
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
