//! Pieces cut by `last_record_end` parse, one by one, into exactly the records the csv crate
//! finds in the whole input, and `Splitter` finds exactly the csv crate's records and fields:
//! both checked against the csv crate itself on random inputs made of the bytes that matter
//! (delimiters, quotes, CR, LF).

use huifang::ingest::chunks::{LineCounter, count_line_ends, last_record_end};
use huifang::ingest::split::Splitter;
use proptest::prelude::*;

fn records(bytes: &[u8], delimiter: u8) -> Vec<Vec<Vec<u8>>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes);
    let mut out = Vec::new();
    let mut record = csv::ByteRecord::new();
    while reader.read_byte_record(&mut record).unwrap() {
        out.push(record.iter().map(<[u8]>::to_vec).collect());
    }
    out
}

fn split(bytes: &[u8], delimiter: u8) -> Vec<Vec<Vec<u8>>> {
    let mut splitter = Splitter::new(bytes, delimiter);
    let mut out = Vec::new();
    while let Some(record) = splitter.next_record() {
        out.push(record.iter().map(<[u8]>::to_vec).collect());
    }
    out
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
    fn a_cut_never_splits_a_record(bytes in csv_bytes(), comma in any::<bool>()) {
        let delimiter = if comma { b',' } else { b';' };
        let whole = records(&bytes, delimiter);
        for read in 0..=bytes.len() {
            if let Some(cut) = last_record_end(&bytes[..read], delimiter) {
                prop_assert!(cut > 0 && cut <= read);
                let mut pieces = records(&bytes[..cut], delimiter);
                pieces.extend(records(&bytes[cut..], delimiter));
                prop_assert_eq!(&pieces, &whole, "cut at {} of {:?}", cut, String::from_utf8_lossy(&bytes));
            }
        }
    }

    /// The splitter's fast path and its csv_core fallback give the csv crate's records.
    #[test]
    fn the_splitter_reads_what_the_csv_crate_reads(
        bytes in prop_oneof![csv_bytes(), long_csv_bytes()],
        comma in any::<bool>(),
    ) {
        let delimiter = if comma { b',' } else { b';' };
        prop_assert_eq!(split(&bytes, delimiter), records(&bytes, delimiter), "{:?}", String::from_utf8_lossy(&bytes));
    }

    /// Line ends counted piece by piece add up to those of the whole, counted a simpler way.
    #[test]
    fn passing_a_one_line_record_counts_as_looking_at_it(
        bytes in prop_oneof![csv_bytes(), long_csv_bytes()],
    ) {
        let mut splitter = Splitter::new(&bytes, b',');
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

    #[test]
    fn line_ends_add_up_across_cuts(bytes in csv_bytes()) {
        let text = String::from_utf8(bytes.clone()).unwrap();
        let simple = text.replace("\r\n", "\n").chars().filter(|&c| c == '\n' || c == '\r').count() as u64;
        prop_assert_eq!(count_line_ends(&bytes), simple);
        if let Some(cut) = last_record_end(&bytes, b',') {
            prop_assert_eq!(count_line_ends(&bytes[..cut]) + count_line_ends(&bytes[cut..]), simple);
        }
    }
}

#[test]
fn the_cut_is_the_last_record_end_a_reader_of_the_prefix_can_be_sure_of() {
    // Worked by hand: records end after bytes 3 and 9; the LF inside quotes is data.
    let bytes = b"a,b\n\"c\nd\"\ne";
    assert_eq!(last_record_end(bytes, b','), Some(10));
    assert_eq!(last_record_end(&bytes[..9], b','), Some(4));
}

#[test]
fn records_start_after_the_empty_lines_before_them() {
    let bytes = b"a,b\r\n\r\n\"c\nd\",e\n\nf";
    let mut splitter = Splitter::new(bytes, b',');
    let mut starts = Vec::new();
    while let Some(record) = splitter.next_record() {
        starts.push(record.start);
    }
    assert_eq!(starts, [0, 7, 16]);
    assert_eq!(
        split(bytes, b','),
        [
            vec![b"a".to_vec(), b"b".to_vec()],
            vec![b"c\nd".to_vec(), b"e".to_vec()],
            vec![b"f".to_vec()]
        ]
    );
}
