use super::*;
use std::fs;
use std::path::PathBuf;

fn small() -> SampleOptions {
    SampleOptions {
        rows: 3000,
        ..SampleOptions::default()
    }
}

fn read_all(paths: &[PathBuf]) -> Vec<Vec<u8>> {
    paths.iter().map(|p| fs::read(p).unwrap()).collect()
}

fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => encoding_rs::GB18030
            .decode_without_bom_handling_and_without_replacement(bytes)
            .expect("valid GB18030")
            .into_owned(),
    }
}

#[test]
fn same_options_give_identical_bytes() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let pa = write_sample(&small(), a.path()).unwrap();
    let pb = write_sample(&small(), b.path()).unwrap();
    assert_eq!(pa.len(), 3);
    assert_eq!(read_all(&pa), read_all(&pb));
}

#[test]
fn different_seed_gives_different_bytes() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let other = SampleOptions { seed: 7, ..small() };
    let pa = write_sample(&small(), a.path()).unwrap();
    let pb = write_sample(&other, b.path()).unwrap();
    assert_ne!(read_all(&pa), read_all(&pb));
}

#[test]
fn row_counts_add_up() {
    for encoding in [
        SampleEncoding::Native,
        SampleEncoding::Utf8,
        SampleEncoding::Gb18030,
    ] {
        let dir = tempfile::tempdir().unwrap();
        let opts = SampleOptions {
            rows: 2345,
            encoding,
            ..SampleOptions::default()
        };
        let paths = write_sample(&opts, dir.path()).unwrap();
        let mut total = 0u64;
        for bytes in read_all(&paths) {
            let text = decode(&bytes);
            let mut reader = csv::Reader::from_reader(text.as_bytes());
            for record in reader.records() {
                record.unwrap();
                total += 1;
            }
        }
        assert_eq!(total, opts.rows, "{encoding:?}");
    }
}

#[test]
fn gb18030_files_decode_and_name_the_department_column() {
    let dir = tempfile::tempdir().unwrap();
    let paths = write_sample(&small(), dir.path()).unwrap();
    // Native: the first year (flavour A, Excel) is GB18030.
    let bytes = fs::read(&paths[0]).unwrap();
    assert!(std::str::from_utf8(&bytes).is_err());
    let text = encoding_rs::GB18030
        .decode_without_bom_handling_and_without_replacement(&bytes)
        .expect("decodes without errors");
    assert!(text.starts_with("序号,回访日期,责任部门,"));
    assert!(text.contains("责任部门"));
    assert!(text.lines().next().unwrap().ends_with("回访人,"));
}

#[test]
fn crm_file_starts_with_bom() {
    let dir = tempfile::tempdir().unwrap();
    let paths = write_sample(&small(), dir.path()).unwrap();
    assert!(paths[1].ends_with("visits-2025.csv"));
    let bytes = fs::read(&paths[1]).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    assert!(!fs::read(&paths[2]).unwrap().starts_with(b"\xEF\xBB\xBF"));
}
