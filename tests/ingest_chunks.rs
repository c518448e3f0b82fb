//! The quoting rule (`huifang::ingest::quotes`) read three ways must agree: pieces cut by
//! `last_record_end` parse, one by one, into exactly the records of the whole input; the
//! `Splitter` finds exactly the records and fields of a plain byte-by-byte reader of the rule
//! written here; and where the input breaks no rule, that is what the csv crate reads. Inputs
//! are random, made of the bytes that matter (delimiters, quotes, CR, LF, spaces).

use huifang::ingest::chunks::{LineCounter, count_line_ends, last_record_end};
use huifang::ingest::quotes::{Fault, MAX_CELL_LINES, Shape};
use huifang::ingest::split::Splitter;
use proptest::prelude::*;

/// A record's fields, or for a fault, the bytes of its first line (line end included).
type Read = Result<Vec<Vec<u8>>, Vec<u8>>;

fn csv_crate(bytes: &[u8], delimiter: u8) -> Vec<Read> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes);
    let mut out = Vec::new();
    let mut record = csv::ByteRecord::new();
    while reader.read_byte_record(&mut record).unwrap() {
        out.push(Ok(record.iter().map(<[u8]>::to_vec).collect()));
    }
    out
}

/// The rule as the README states it, one byte at a time.
fn reference(bytes: &[u8], delimiter: u8, free: &[bool]) -> Vec<Read> {
    let mut out = Vec::new();
    let mut pos = 0;
    loop {
        while pos < bytes.len() && matches!(bytes[pos], b'\n' | b'\r') {
            pos += 1;
        }
        if pos >= bytes.len() {
            return out;
        }
        let (read, end) = match one_record(bytes, pos, delimiter, free) {
            Ok((fields, end)) => (Ok(fields), end),
            Err(()) => {
                let mut end = pos;
                while end < bytes.len() && !matches!(bytes[end], b'\n' | b'\r') {
                    end += 1;
                }
                if end < bytes.len() {
                    end += if bytes[end] == b'\r' && bytes.get(end + 1) == Some(&b'\n') {
                        2
                    } else {
                        1
                    };
                }
                (Err(bytes[pos..end].to_vec()), end)
            }
        };
        out.push(read);
        pos = end;
    }
}

fn one_record(
    bytes: &[u8],
    mut i: usize,
    d: u8,
    free: &[bool],
) -> Result<(Vec<Vec<u8>>, usize), ()> {
    let mut fields = Vec::new();
    let mut breaks = false;
    loop {
        let mut cell = Vec::new();
        if bytes.get(i) == Some(&b'"') {
            i += 1;
            let mut lines = 0;
            loop {
                match bytes.get(i) {
                    None => return Err(()),
                    Some(b'"') if bytes.get(i + 1) == Some(&b'"') => {
                        cell.push(b'"');
                        i += 2;
                    }
                    Some(b'"') => {
                        i += 1;
                        break;
                    }
                    Some(&b) if b == b'\n' || b == b'\r' => {
                        if !free.get(fields.len()).copied().unwrap_or(false) {
                            return Err(());
                        }
                        cell.push(b);
                        i += 1;
                        if b == b'\r' && bytes.get(i) == Some(&b'\n') {
                            cell.push(b'\n');
                            i += 1;
                        }
                        lines += 1;
                        if lines > MAX_CELL_LINES {
                            return Err(());
                        }
                        breaks = true;
                    }
                    Some(&b) => {
                        cell.push(b);
                        i += 1;
                    }
                }
            }
            // Blanks may follow the closing quote; they stay in the value, as csv_core keeps them.
            while let Some(&b) = bytes.get(i) {
                if (b == b' ' || b == b'\t') && b != d {
                    cell.push(b);
                    i += 1;
                } else {
                    break;
                }
            }
            if bytes
                .get(i)
                .is_some_and(|&b| b != d && b != b'\n' && b != b'\r')
            {
                return Err(());
            }
        } else {
            while let Some(&b) = bytes.get(i) {
                if b == d || b == b'\n' || b == b'\r' {
                    break;
                }
                cell.push(b);
                i += 1;
            }
        }
        fields.push(cell);
        match bytes.get(i) {
            Some(&b) if b == d => i += 1,
            end => {
                let past_width = fields
                    .iter()
                    .skip(free.len())
                    .any(|f| !f.trim_ascii().is_empty());
                if breaks && past_width {
                    return Err(());
                }
                let end = match end {
                    None => i,
                    Some(b'\r') if bytes.get(i + 1) == Some(&b'\n') => i + 2,
                    Some(_) => i + 1,
                };
                return Ok((fields, end));
            }
        }
    }
}

fn split(bytes: &[u8], shape: &Shape) -> Vec<Read> {
    let mut splitter = Splitter::new(bytes, shape);
    let mut out = Vec::new();
    while let Some(record) = splitter.next_record() {
        out.push(match record.fault() {
            Some(_) => Err(bytes[record.start..record.end].to_vec()),
            None => Ok(record.iter().map(<[u8]>::to_vec).collect()),
        });
    }
    out
}

/// The faults the splitter reports, with where they start: what messages are made of.
fn faults(bytes: &[u8], shape: &Shape) -> Vec<(usize, Fault)> {
    let mut splitter = Splitter::new(bytes, shape);
    let mut out = Vec::new();
    while let Some(record) = splitter.next_record() {
        if let Some(fault) = record.fault() {
            out.push((record.start, fault));
        }
    }
    out
}

/// Which of up to four columns may hold line breaks.
fn free_columns() -> impl Strategy<Value = Vec<bool>> {
    proptest::collection::vec(any::<bool>(), 0..4)
}

fn csv_bytes() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(
        prop_oneof![
            Just(b'a'),
            Just(b','),
            Just(b';'),
            Just(b'"'),
            Just(b'\n'),
            Just(b'\r'),
            Just(b' '),
        ],
        0..48,
    )
}

/// Longer inputs, mostly text, so that rows take the fast path and fields cross the 64-byte
/// blocks the splitter scans in.
fn long_csv_bytes() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(
        prop_oneof![
            8 => Just(b'a'),
            2 => Just(b','),
            1 => Just(b';'),
            1 => Just(b'"'),
            1 => Just(b'\n'),
            1 => Just(b'\r'),
        ],
        0..400,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// A cut decided on any prefix read so far is a record boundary of the whole input.
    #[test]
    fn a_cut_never_splits_a_record(bytes in csv_bytes(), comma in any::<bool>(), free in free_columns()) {
        let delimiter = if comma { b',' } else { b';' };
        let shape = Shape::body(delimiter, free.clone());
        let whole = reference(&bytes, delimiter, &free);
        for read in 0..=bytes.len() {
            if let Some(cut) = last_record_end(&bytes[..read], &shape) {
                prop_assert!(cut > 0 && cut <= read);
                let mut pieces = reference(&bytes[..cut], delimiter, &free);
                pieces.extend(reference(&bytes[cut..], delimiter, &free));
                prop_assert_eq!(&pieces, &whole, "cut at {} of {:?}", cut, String::from_utf8_lossy(&bytes));
                // Each fault is the same fault, whichever piece it is read in.
                let mut found = faults(&bytes[..cut], &shape);
                found.extend(faults(&bytes[cut..], &shape).into_iter().map(|(at, f)| (at + cut, f)));
                prop_assert_eq!(found, faults(&bytes, &shape), "cut at {} of {:?}", cut, String::from_utf8_lossy(&bytes));
            }
        }
    }

    /// The splitter's fast path and its checked fallback read what the plain reader reads,
    /// and where no row breaks the rule, what the csv crate reads.
    #[test]
    fn the_splitter_reads_by_the_rule(
        bytes in prop_oneof![csv_bytes(), long_csv_bytes()],
        comma in any::<bool>(),
        free in free_columns(),
    ) {
        let delimiter = if comma { b',' } else { b';' };
        let shape = Shape::body(delimiter, free.clone());
        let expected = reference(&bytes, delimiter, &free);
        prop_assert_eq!(split(&bytes, &shape), expected.clone(), "{:?}", String::from_utf8_lossy(&bytes));
        if expected.iter().all(Result::is_ok) {
            prop_assert_eq!(expected, csv_crate(&bytes, delimiter));
        }
    }

    /// Line ends counted piece by piece add up to those of the whole, counted a simpler way.
    #[test]
    fn passing_a_one_line_record_counts_as_looking_at_it(
        bytes in prop_oneof![csv_bytes(), long_csv_bytes()],
        free in free_columns(),
    ) {
        let shape = Shape::body(b',', free);
        let mut splitter = Splitter::new(&bytes, &shape);
        let (mut looked, mut passed) = (LineCounter::new(&bytes, 1), LineCounter::new(&bytes, 1));
        while let Some(record) = splitter.next_record() {
            let line = looked.line_at(record.start);
            prop_assert_eq!(passed.line_at(record.start), line);
            let end = looked.line_at(record.end);
            if record.one_line() {
                // What `one_line` promises, looked at directly: no line end before the last
                // bytes (a CR LF, or a single CR or LF).
                let body = &bytes[record.start..record.end];
                let body = body.strip_suffix(b"\n").unwrap_or(body);
                let body = body.strip_suffix(b"\r").unwrap_or(body);
                prop_assert!(!body.contains(&b'\n') && !body.contains(&b'\r'));
                passed.pass(record.end);
            } else {
                prop_assert_eq!(passed.line_at(record.end), end);
            }
        }
        prop_assert_eq!(passed.line_at(bytes.len()), looked.line_at(bytes.len()));
    }

    /// The lines of the records and the blank lines between them are every physical line,
    /// counted a simpler way.
    #[test]
    fn records_and_blank_lines_are_every_line(
        bytes in prop_oneof![csv_bytes(), long_csv_bytes()],
        free in free_columns(),
    ) {
        let shape = Shape::body(b',', free);
        let mut splitter = Splitter::new(&bytes, &shape);
        let mut lines = LineCounter::new(&bytes, 1);
        let mut in_records = 0;
        while let Some(record) = splitter.next_record() {
            let first = lines.line_at(record.start);
            let ends_a_line = matches!(bytes[record.end - 1], b'\n' | b'\r');
            let last = lines.line_at(record.end) - u64::from(ends_a_line);
            in_records += last - first + 1;
        }
        let text = String::from_utf8(bytes.clone()).unwrap();
        let physical = text.replace("\r\n", "\n").replace('\r', "\n");
        let physical = physical.split_terminator('\n').count() as u64;
        prop_assert_eq!(in_records + splitter.blank_lines(), physical, "{:?}", text);
    }

    #[test]
    fn line_ends_add_up_across_cuts(bytes in csv_bytes()) {
        let text = String::from_utf8(bytes.clone()).unwrap();
        let simple = text.replace("\r\n", "\n").chars().filter(|&c| c == '\n' || c == '\r').count() as u64;
        prop_assert_eq!(count_line_ends(&bytes), simple);
        if let Some(cut) = last_record_end(&bytes, &Shape::body(b',', vec![true; 3])) {
            prop_assert_eq!(count_line_ends(&bytes[..cut]) + count_line_ends(&bytes[cut..]), simple);
        }
    }
}

#[test]
fn the_cut_is_the_last_record_end_a_reader_of_the_prefix_can_be_sure_of() {
    // Worked by hand: records end after bytes 3 and 9; the LF inside quotes is data.
    let bytes = b"a,b\n\"c\nd\"\ne";
    let shape = Shape::body(b',', vec![true, false]);
    assert_eq!(last_record_end(bytes, &shape), Some(10));
    assert_eq!(last_record_end(&bytes[..9], &shape), Some(4));
    // In a column that never holds a line break the quote is a stray one: every line end is
    // a record's.
    let fixed = Shape::body(b',', vec![false, false]);
    assert_eq!(last_record_end(&bytes[..9], &fixed), Some(7));
}

#[test]
fn records_start_after_the_empty_lines_before_them() {
    let bytes = b"a,b\r\n\r\n\"c\nd\",e\n\nf";
    let shape = Shape::body(b',', vec![true, true]);
    let mut splitter = Splitter::new(bytes, &shape);
    let mut starts = Vec::new();
    while let Some(record) = splitter.next_record() {
        starts.push(record.start);
    }
    assert_eq!(starts, [0, 7, 16]);
    assert_eq!(
        split(bytes, &shape),
        [
            Ok(vec![b"a".to_vec(), b"b".to_vec()]),
            Ok(vec![b"c\nd".to_vec(), b"e".to_vec()]),
            Ok(vec![b"f".to_vec()])
        ]
    );
}
