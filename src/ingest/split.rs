//! Splitting a piece of a CSV body into records and fields, the way the csv crate does, but
//! without copying: a field is a range of the piece itself, and a quote left open does not
//! swallow the rows after it (see [`super::quotes`]). Rows as source systems export them
//! (unquoted fields, and quoted ones on one line without an escaped `""` inside) take a fast
//! path of a bitmask scan for the delimiter, quotes and line ends; any other row is checked
//! against the quoting rule and, when it keeps it, handed to `csv_core`, the csv crate's own
//! parser: line ends are CR, LF or CRLF, empty lines are skipped, a quote opens a quoted field
//! only at a field's start.

use super::quotes::{self, Fault, Scan, Shape};
use memchr::memchr3;
use std::ops::Range;
use wide::u8x16;

/// One record: its fields as ranges of `text`.
pub struct Record<'r> {
    /// Offset in the piece where the record starts (after any empty lines before it).
    pub start: usize,
    /// Offset just past the record and its whole line end (CRLF included).
    pub end: usize,
    text: &'r [u8],
    fields: &'r [Range<usize>],
    /// Whether `text` is the piece's own `start..end`, not an unescaped copy.
    in_piece: bool,
    /// Whether a field was quoted, so that it may hold line ends.
    quoted: bool,
    /// How the record breaks the quoting rule; it is then its first line alone, with no fields.
    fault: Option<Fault>,
}

impl<'r> Record<'r> {
    /// All of the record's field bytes (with delimiters and quotes between them, on the fast
    /// path): what UTF-8 is validated on, once per record.
    pub fn text(&self) -> &'r [u8] {
        self.text
    }

    pub fn len(&self) -> usize {
        self.fields.len()
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// Whether [`Record::text`] is the piece's own bytes `start..end` (the fast path), rather
    /// than an unescaped copy.
    pub fn in_piece(&self) -> bool {
        self.in_piece
    }

    /// Whether the record holds no line end but the one that ends it: a record of the fast
    /// path without quoted fields, as only a quoted field holds line ends, or a fault.
    pub fn one_line(&self) -> bool {
        (self.in_piece && !self.quoted) || self.fault.is_some()
    }

    /// How the record breaks the quoting rule, if it does.
    pub fn fault(&self) -> Option<Fault> {
        self.fault
    }

    /// The record's cells as a header is read: as split, or for a fault, its line split at
    /// every delimiter without the stray quote (see [`quotes::literal_cells`]).
    pub fn header_cells(&self, delimiter: u8) -> Vec<&'r [u8]> {
        match self.fault {
            Some(_) => quotes::literal_cells(self.text, delimiter),
            None => self.iter().collect(),
        }
    }

    /// Where field `i` lies in [`Record::text`].
    pub fn range(&self, i: usize) -> Option<Range<usize>> {
        self.fields.get(i).cloned()
    }

    pub fn get(&self, i: usize) -> Option<&'r [u8]> {
        let text = self.text;
        self.fields.get(i).map(|r| &text[r.clone()])
    }

    pub fn iter(&self) -> impl Iterator<Item = &'r [u8]> + '_ {
        let text = self.text;
        self.fields.iter().map(move |r| &text[r.clone()])
    }
}

/// Where the bytes that can end an unquoted field (the delimiter, a quote, CR, LF) lie, one
/// bit per byte, 64 bytes at a time. Fields are a few bytes long: one vector compare per block
/// and a bit scan per field cost much less than starting a memchr for every field.
struct Specials<'a> {
    bytes: &'a [u8],
    delimiter: u8,
    /// Offset of the block `mask` describes; a multiple of 64.
    base: usize,
    mask: u64,
}

impl<'a> Specials<'a> {
    fn new(bytes: &'a [u8], delimiter: u8) -> Self {
        let mut specials = Specials {
            bytes,
            delimiter,
            base: 0,
            mask: 0,
        };
        specials.mask = specials.block(0);
        specials
    }

    fn block(&self, base: usize) -> u64 {
        let [d, q, lf, cr] = [self.delimiter, b'"', b'\n', b'\r'].map(u8x16::splat);
        let lane = |bytes: &[u8; 64], i: usize| {
            let mut chunk = [0; 16];
            chunk.copy_from_slice(&bytes[16 * i..16 * (i + 1)]);
            let v = u8x16::new(chunk);
            let hits = v.simd_eq(d) | v.simd_eq(q) | v.simd_eq(lf) | v.simd_eq(cr);
            u64::from(hits.to_bitmask()) << (16 * i)
        };
        let mask = |bytes: &[u8; 64]| (0..4).fold(0, |m, i| m | lane(bytes, i));
        match self.bytes.get(base..base + 64) {
            Some(block) => mask(block.try_into().unwrap_or(&[0; 64])),
            None => {
                // The last block, padded with zero bytes, which are never special.
                let mut padded = [0; 64];
                let rest = self.bytes.get(base..).unwrap_or_default();
                padded[..rest.len()].copy_from_slice(rest);
                mask(&padded)
            }
        }
    }

    /// The first special byte at or after `from`.
    fn next(&mut self, from: usize) -> Option<usize> {
        let block = from & !63;
        if block != self.base {
            if block >= self.bytes.len() {
                return None;
            }
            self.base = block;
            self.mask = self.block(block);
        }
        let mut mask = self.mask & (!0 << (from - block));
        while mask == 0 {
            self.base += 64;
            if self.base >= self.bytes.len() {
                // Past the end: no block, and no bits left from the last one.
                self.mask = 0;
                return None;
            }
            self.mask = self.block(self.base);
            mask = self.mask;
        }
        Some(self.base + mask.trailing_zeros() as usize)
    }

    /// The end of an unquoted field starting at `from`: the next delimiter or line end (a
    /// quote inside such a field is text, as csv_core reads it), or the end of the bytes.
    fn field_end(&mut self, mut from: usize) -> usize {
        loop {
            match self.next(from) {
                None => return self.bytes.len(),
                Some(at) if self.bytes[at] == b'"' => from = at + 1,
                Some(at) => return at,
            }
        }
    }
}

pub struct Splitter<'a> {
    bytes: &'a [u8],
    pos: usize,
    delimiter: u8,
    shape: &'a Shape,
    /// Whether `bytes` runs to the end of the file (see [`Splitter::partial`]).
    complete: bool,
    specials: Specials<'a>,
    /// Whether the record `fast` last split had a quoted field.
    quoted: bool,
    fields: Vec<Range<usize>>,
    core: csv_core::Reader,
    /// For rows csv_core reads: their unescaped bytes and field ends.
    out: Vec<u8>,
    ends: Vec<usize>,
    /// Empty lines passed between records.
    blank_lines: u64,
}

impl<'a> Splitter<'a> {
    /// `bytes` must start at a record start and end at a record end (a piece as cut by
    /// [`super::chunks`]).
    pub fn new(bytes: &'a [u8], shape: &'a Shape) -> Self {
        Self::with_end(bytes, shape, true)
    }

    /// For the first bytes of a file, which may end inside a record: a record that is not
    /// settled before the end of `bytes` ends there (`end == bytes.len()`), and only reading
    /// more says what it is.
    pub fn partial(bytes: &'a [u8], shape: &'a Shape) -> Self {
        Self::with_end(bytes, shape, false)
    }

    fn with_end(bytes: &'a [u8], shape: &'a Shape, complete: bool) -> Self {
        let delimiter = shape.delimiter;
        Splitter {
            bytes,
            pos: 0,
            delimiter,
            shape,
            complete,
            specials: Specials::new(bytes, delimiter),
            quoted: false,
            fields: Vec::with_capacity(32),
            core: csv_core::ReaderBuilder::new().delimiter(delimiter).build(),
            out: vec![0; 1024],
            ends: vec![0; 64],
            blank_lines: 0,
        }
    }

    /// Empty lines passed so far: line ends between records but the one ending each.
    pub fn blank_lines(&self) -> u64 {
        self.blank_lines
    }

    /// The next record, or `None` at the end of the piece.
    pub fn next_record(&mut self) -> Option<Record<'_>> {
        let bytes = self.bytes;
        // Empty lines are no records; a blank line's CRLF counts once.
        while self.pos < bytes.len() && matches!(bytes[self.pos], b'\n' | b'\r') {
            let lf_of_crlf =
                bytes[self.pos] == b'\n' && self.pos > 0 && bytes[self.pos - 1] == b'\r';
            self.blank_lines += u64::from(!lf_of_crlf);
            self.pos += 1;
        }
        if self.pos >= bytes.len() {
            return None;
        }
        let start = self.pos;
        if let Some(end) = self.fast(start) {
            self.pos = end;
            return Some(Record {
                start,
                end,
                text: &bytes[start..end],
                fields: &self.fields,
                in_piece: true,
                quoted: self.quoted,
                fault: None,
            });
        }
        match quotes::scan(bytes, start, self.shape, self.complete) {
            Scan::Record { .. } => {}
            Scan::Fault { fault, end, .. } => return Some(self.faulty(start, end, fault)),
            // Not settled before the end of what was read: the caller reads more.
            Scan::More => {
                let fault = Fault::Unclosed { column: 0 };
                return Some(self.faulty(start, bytes.len(), fault));
            }
        }
        let (consumed, len) = self.core_record(start);
        if consumed == 0 {
            // Cannot happen with bytes left, but a stuck reader must not loop.
            self.pos = bytes.len();
            return None;
        }
        self.pos = start + consumed;
        // csv_core stops after the CR of a CRLF; the LF ends this record too, so that every
        // record's end is just past its whole line end.
        if bytes[self.pos - 1] == b'\r' && bytes.get(self.pos) == Some(&b'\n') {
            self.pos += 1;
        }
        self.fields.clear();
        let mut from = 0;
        for &end in &self.ends[..len] {
            self.fields.push(from..end);
            from = end;
        }
        Some(Record {
            start,
            end: self.pos,
            text: &self.out[..from],
            fields: &self.fields,
            in_piece: false,
            quoted: true,
            fault: None,
        })
    }

    fn faulty(&mut self, start: usize, end: usize, fault: Fault) -> Record<'_> {
        self.pos = end;
        self.fields.clear();
        Record {
            start,
            end,
            text: &self.bytes[start..end],
            fields: &self.fields,
            in_piece: true,
            quoted: true,
            fault: Some(fault),
        }
    }

    /// Splits the record at `start` when it needs no unescaping; the offset just past it, or
    /// `None` to leave the record to csv_core. Field ranges are relative to `start`.
    fn fast(&mut self, start: usize) -> Option<usize> {
        let bytes = self.bytes;
        let d = self.delimiter;
        self.fields.clear();
        self.quoted = false;
        let mut i = start;
        loop {
            let after = if bytes.get(i) == Some(&b'"') {
                self.quoted = true;
                // A `""` inside ends the fast path just after its first quote, below: the
                // value is then not a slice of the input. A line end inside is for the
                // quoting rule to judge.
                let close = i + 1 + memchr3(b'"', b'\n', b'\r', &bytes[i + 1..])?;
                if bytes[close] != b'"' {
                    return None;
                }
                self.fields.push(i + 1 - start..close - start);
                close + 1
            } else {
                let end = self.specials.field_end(i);
                self.fields.push(i - start..end - start);
                end
            };
            match bytes.get(after) {
                None => return Some(after),
                Some(&b) if b == d => i = after + 1,
                Some(b'\n') => return Some(after + 1),
                Some(b'\r') if bytes.get(after + 1) == Some(&b'\n') => return Some(after + 2),
                Some(b'\r') => return Some(after + 1),
                // A quote or text after a closing quote: csv_core's rules, its job.
                Some(_) => return None,
            }
        }
    }

    /// Reads the record at `start` with csv_core into `out` and `ends`; bytes consumed and
    /// the number of fields.
    fn core_record(&mut self, start: usize) -> (usize, usize) {
        self.core.reset();
        let mut input = &self.bytes[start..];
        let (mut consumed, mut out_len, mut ends_len) = (0, 0, 0);
        loop {
            let (result, nin, nout, nend) =
                self.core
                    .read_record(input, &mut self.out[out_len..], &mut self.ends[ends_len..]);
            input = &input[nin..];
            consumed += nin;
            out_len += nout;
            ends_len += nend;
            match result {
                // The piece ends inside the record; an empty input tells csv_core so.
                csv_core::ReadRecordResult::InputEmpty => {}
                csv_core::ReadRecordResult::OutputFull => {
                    let len = self.out.len() * 2;
                    self.out.resize(len, 0);
                }
                csv_core::ReadRecordResult::OutputEndsFull => {
                    let len = self.ends.len() * 2;
                    self.ends.resize(len, 0);
                }
                // csv_core counts field ends from the record's start, across calls.
                csv_core::ReadRecordResult::Record | csv_core::ReadRecordResult::End => {
                    return (consumed, ends_len);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Asked again after running off the end, from anywhere, the scan still answers from the
    /// bytes alone.
    #[test]
    fn specials_past_the_end_are_none() {
        let mut bytes = vec![b'a'; 64];
        bytes[10] = b',';
        let mut specials = Specials::new(&bytes, b',');
        assert_eq!(specials.next(20), None);
        assert_eq!(specials.next(64), None);
        assert_eq!(specials.next(0), Some(10));
        assert_eq!(specials.next(11), None);
        assert_eq!(specials.next(200), None);
    }
}
