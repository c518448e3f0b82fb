//! The quoting rule: when a quote (`"`) really opens a cell that runs onto the next lines, and
//! when it is a stray quote in a hand-kept file. Excel and the csv crate follow an opening
//! quote wherever it leads, so one quote left open swallows every row after it into a single
//! cell. Here a record may hold a line break only where a well-formed quoted cell of free
//! text holds it:
//!
//! - a quote opens a quoted cell only at the start of a cell; `""` inside is a quote;
//! - the closing quote is followed by a delimiter, a line end or the end of the file
//!   (spaces in between are allowed); anything else means the quote was not an opening one;
//! - a line break inside quotes is allowed only in a column of free text (the comment, or a
//!   column no field is read from), at most [`MAX_CELL_LINES`] of them per cell, and only in a
//!   record with no value past the header's last column.
//!
//! A record that breaks the rule is a *fault*: its first physical line is reported (and not
//! used), and reading goes on at the next line, so every later line that is a well-formed
//! record is read as one. Both the chunker (which cuts files into pieces at record ends) and
//! the splitter (which reads the pieces) apply this one function, so they cannot disagree.

use memchr::{memchr, memchr2, memchr3};

/// Line breaks a quoted cell may hold: a long complaint pasted into a comment has a few dozen,
/// and more than this is a quote left open over the rows after it.
pub const MAX_CELL_LINES: u32 = 100;
/// Line breaks a quoted header or title cell may hold (Excel's Alt+Enter in a heading).
const MAX_HEADER_CELL_LINES: u32 = 10;

/// What the records of one file may hold, as far as quoting is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shape {
    pub delimiter: u8,
    /// Per column: whether its cells may hold line breaks. Columns past the end may not.
    free_text: Vec<bool>,
    /// Whether every column may (before the header is known, and in survey exports).
    any_column: bool,
    /// Whether a cell holding line breaks may also hold the delimiter. A heading over several
    /// lines is a few words; one with the delimiter in it is a stray quote that swallowed a
    /// row of data below the header.
    delimiter_with_breaks: bool,
    /// The header's width: a record holding line breaks with a value past it is a fault.
    width: usize,
    max_cell_lines: u32,
}

impl Shape {
    /// A file's body: `free_text` says, per header column, whether it may hold line breaks.
    pub fn body(delimiter: u8, free_text: Vec<bool>) -> Self {
        Shape {
            delimiter,
            width: free_text.len(),
            free_text,
            any_column: false,
            delimiter_with_breaks: true,
            max_cell_lines: MAX_CELL_LINES,
        }
    }

    /// Lines above and at the header: any cell may hold a line break or two.
    pub fn header(delimiter: u8) -> Self {
        Shape {
            delimiter,
            free_text: Vec::new(),
            any_column: true,
            delimiter_with_breaks: false,
            width: usize::MAX,
            max_cell_lines: MAX_HEADER_CELL_LINES,
        }
    }

    /// A survey export: any column may be a written answer, and the header's width is known.
    pub fn table(delimiter: u8, width: usize) -> Self {
        Shape {
            delimiter,
            free_text: Vec::new(),
            any_column: true,
            delimiter_with_breaks: true,
            width,
            max_cell_lines: MAX_CELL_LINES,
        }
    }

    fn may_break(&self, column: usize) -> bool {
        self.any_column || self.free_text.get(column).copied().unwrap_or(false)
    }
}

/// How a record breaks the rule; `column` is 0-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// A quote opens the cell and nothing closes it before the end of the file.
    Unclosed { column: usize },
    /// The quote that closes the cell is followed by more text.
    TextAfterQuote { column: usize },
    /// A quoted cell runs onto the next line in a column that never holds line breaks.
    LineBreak { column: usize },
    /// A quoted cell runs over more than its column's line limit.
    TooManyLines { column: usize, limit: u32 },
    /// A record holding line breaks has values past the header's last column.
    TooManyFields { fields: usize, width: usize },
}

impl Fault {
    pub fn column(self) -> Option<usize> {
        match self {
            Fault::Unclosed { column }
            | Fault::TextAfterQuote { column }
            | Fault::LineBreak { column }
            | Fault::TooManyLines { column, .. } => Some(column),
            Fault::TooManyFields { .. } => None,
        }
    }

    /// What happened, for a message that goes on to say what is done about it.
    pub fn describe(self) -> String {
        match self {
            Fault::Unclosed { .. } => "a quote (\") opens this cell and is never closed".into(),
            Fault::TextAfterQuote { .. } => "the quote (\") that opens this cell closes before \
                the cell ends (after a closing quote, a delimiter or the end of the line is \
                expected)"
                .into(),
            Fault::LineBreak { .. } => "a quote (\") opens this cell and runs onto the next \
                line, but this column never holds line breaks: the quote is left open"
                .into(),
            Fault::TooManyLines { limit, .. } => format!(
                "a quote (\") opens this cell and runs over more than {limit} lines: the quote \
                 is left open"
            ),
            Fault::TooManyFields { fields, width } => format!(
                "a quoted cell runs onto the next lines, and the row then holds {fields} values \
                 where the header has {width}: a quote (\") is left open"
            ),
        }
    }
}

/// How to mend a fault, for every message about one.
pub const FIX: &str = "Fix: delete the stray quote, or close it where the cell ends (a quote \
                       inside a quoted cell is written twice: \"\")";

/// One record scanned from its start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scan {
    /// A record by the rule, ending at `end` (just past its line end, or at the end of the
    /// bytes).
    Record { end: usize },
    /// A fault: the record is its first line alone, which ends at `end`; `seen` is just past
    /// the last byte the decision looked at (a reader of fewer bytes might decide otherwise).
    Fault {
        fault: Fault,
        end: usize,
        seen: usize,
    },
    /// The bytes end before the record is settled; only when they are not the whole file.
    More,
}

/// Scans the record starting at `start` (not on an empty line). `complete`: whether `bytes`
/// runs to the end of the file.
pub fn scan(bytes: &[u8], start: usize, shape: &Shape, complete: bool) -> Scan {
    let d = shape.delimiter;
    let fault = |fault, seen: usize| match first_line_end(bytes, start, complete) {
        Some(end) => Scan::Fault {
            fault,
            end,
            seen: seen.min(bytes.len()),
        },
        None => Scan::More,
    };
    let mut i = start;
    let mut column = 0;
    let mut breaks = false;
    let mut value_past_width = false;
    loop {
        let (empty, after) = if bytes.get(i) == Some(&b'"') {
            let mut from = i + 1;
            let mut lines = 0;
            let close = loop {
                let Some(k) = memchr3(b'"', b'\n', b'\r', &bytes[from..]) else {
                    return if complete {
                        fault(Fault::Unclosed { column }, bytes.len())
                    } else {
                        Scan::More
                    };
                };
                let at = from + k;
                if bytes[at] == b'"' {
                    match bytes.get(at + 1) {
                        Some(b'"') => from = at + 2,
                        Some(_) => break at,
                        None if complete => break at,
                        None => return Scan::More,
                    }
                    continue;
                }
                if !shape.may_break(column) {
                    return fault(Fault::LineBreak { column }, at + 1);
                }
                lines += 1;
                if lines > shape.max_cell_lines {
                    let limit = shape.max_cell_lines;
                    return fault(Fault::TooManyLines { column, limit }, at + 1);
                }
                breaks = true;
                from =
                    at + 1 + usize::from(bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n'));
            };
            let mut after = close + 1;
            while matches!(bytes.get(after), Some(&b) if (b == b' ' || b == b'\t') && b != d) {
                after += 1;
            }
            match bytes.get(after) {
                Some(&b) if b == d || b == b'\n' || b == b'\r' => {}
                None if complete => {}
                None => return Scan::More,
                Some(_) => return fault(Fault::TextAfterQuote { column }, after + 1),
            }
            if lines > 0
                && !shape.delimiter_with_breaks
                && memchr(d, &bytes[i + 1..close]).is_some()
            {
                return fault(Fault::LineBreak { column }, after + 1);
            }
            (bytes[i + 1..close].trim_ascii().is_empty(), after)
        } else {
            match memchr3(d, b'\n', b'\r', &bytes[i..]) {
                Some(k) => (bytes[i..i + k].trim_ascii().is_empty(), i + k),
                None if complete => (bytes[i..].trim_ascii().is_empty(), bytes.len()),
                None => return Scan::More,
            }
        };
        value_past_width |= column >= shape.width && !empty;
        match bytes.get(after) {
            Some(&b) if b == d => {
                column += 1;
                i = after + 1;
            }
            end => {
                if breaks && value_past_width {
                    let (fields, width) = (column + 1, shape.width);
                    return fault(Fault::TooManyFields { fields, width }, after + 1);
                }
                return match end {
                    None => Scan::Record { end: after },
                    Some(b'\r') => match bytes.get(after + 1) {
                        Some(b'\n') => Scan::Record { end: after + 2 },
                        None if !complete => Scan::More,
                        _ => Scan::Record { end: after + 1 },
                    },
                    Some(_) => Scan::Record { end: after + 1 },
                };
            }
        }
    }
}

/// Just past the line end of the line `start` is on (CRLF counted once), or the end of the
/// bytes; `None` when that is not known yet.
pub fn first_line_end(bytes: &[u8], start: usize, complete: bool) -> Option<usize> {
    match memchr2(b'\n', b'\r', &bytes[start..]) {
        Some(k) => {
            let at = start + k;
            match (bytes[at], bytes.get(at + 1)) {
                (b'\r', Some(b'\n')) => Some(at + 2),
                (b'\r', None) if !complete => None,
                _ => Some(at + 1),
            }
        }
        None if complete => Some(bytes.len()),
        None => None,
    }
}

/// The cells of one line split at every delimiter, quotes or not, each without the quote
/// that opens or closes it: how a header line with a stray quote is read, so that
/// `"2、您所在的小区` names question 2 as `2、您所在的小区` would.
pub fn literal_cells(line: &[u8], delimiter: u8) -> Vec<&[u8]> {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    line.split(|&b| b == delimiter).map(unquote).collect()
}

fn unquote(cell: &[u8]) -> &[u8] {
    let cell = cell.strip_prefix(b"\"").unwrap_or(cell);
    cell.strip_suffix(b"\"").unwrap_or(cell)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(free: &[bool]) -> Shape {
        Shape::body(b',', free.to_vec())
    }

    #[test]
    fn well_formed_records() {
        let s = body(&[false, false, true]);
        assert_eq!(scan(b"a,b,c\nd", 0, &s, true), Scan::Record { end: 6 });
        assert_eq!(
            scan(b"a,b,\"c\nd\"\r\ne", 0, &s, true),
            Scan::Record { end: 11 }
        );
        assert_eq!(
            scan(b"a,\"b\"\"x\" ,c", 0, &s, true),
            Scan::Record { end: 11 }
        );
        assert_eq!(scan(b"a,b,c", 0, &s, false), Scan::More);
        assert_eq!(scan(b"a,b,c\r", 0, &s, false), Scan::More);
    }

    #[test]
    fn faults_end_with_their_first_line() {
        let s = body(&[false, false, true]);
        // Never closed.
        let open = b"a,\"b,c\nd,e,f\n";
        assert_eq!(
            scan(open, 0, &s, true),
            Scan::Fault {
                fault: Fault::LineBreak { column: 1 },
                end: 7,
                seen: 7
            }
        );
        assert_eq!(
            scan(b"a,b,\"c\nd,e,f\n", 0, &s, true),
            Scan::Fault {
                fault: Fault::Unclosed { column: 2 },
                end: 7,
                seen: 13
            }
        );
        // Closed early: text after the closing quote.
        assert_eq!(
            scan(b"a,\"b\"x,c\r\nd", 0, &s, true),
            Scan::Fault {
                fault: Fault::TextAfterQuote { column: 1 },
                end: 10,
                seen: 6
            }
        );
        // A well-formed multi-line cell, but a value past the header after it.
        assert_eq!(
            scan(b"a,b,\"c\nd\",e\n", 0, &s, true),
            Scan::Fault {
                fault: Fault::TooManyFields {
                    fields: 4,
                    width: 3
                },
                end: 7,
                seen: 12
            }
        );
        // Past the width but empty: fine.
        assert_eq!(
            scan(b"a,b,\"c\nd\",\n", 0, &s, true),
            Scan::Record { end: 11 }
        );
    }

    #[test]
    fn a_cell_may_hold_only_so_many_lines() {
        let s = body(&[true]);
        let mut many = b"\"".to_vec();
        many.extend(std::iter::repeat_n(b'\n', MAX_CELL_LINES as usize + 1));
        many.extend_from_slice(b"\"\n");
        assert!(matches!(
            scan(&many, 0, &s, true),
            Scan::Fault {
                fault: Fault::TooManyLines { .. },
                end: 2,
                ..
            }
        ));
    }

    #[test]
    fn a_heading_over_lines_holds_no_delimiter() {
        let h = Shape::header(b',');
        let heading = "a,\"客户意见\n(选填)\n(限200字)\"\n1,2\n".as_bytes();
        assert!(matches!(scan(heading, 0, &h, true), Scan::Record { .. }));
        // A stray quote that reached a data row's closing quote: the cell holds a comma.
        let swallowed = b"a,\"b\n1,x\"\n2,y\n";
        assert_eq!(
            scan(swallowed, 0, &h, true),
            Scan::Fault {
                fault: Fault::LineBreak { column: 1 },
                end: 5,
                seen: 10
            }
        );
    }

    #[test]
    fn literal_cells_lose_the_quotes_at_their_ends() {
        assert_eq!(
            literal_cells(b"a,\"b,c\"\"x\",d\"e\r\n", b','),
            vec![&b"a"[..], b"b", b"c\"\"x", b"d\"e"]
        );
    }
}
