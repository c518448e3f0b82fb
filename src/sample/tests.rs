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

#[test]
fn a_draw_from_running_totals_picks_what_the_linear_scan_picks() {
    let weights = [16, 14, 22, 12, 9, 1, 8, 11, 7, 18];
    let table = rng::Cumulative::new(weights.iter().copied());
    let (mut a, mut b) = (Rng::new(3), Rng::new(3));
    for _ in 0..5000 {
        assert_eq!(a.weighted(&weights), b.weighted_in(&table));
    }
}

#[test]
fn departments_and_sites_past_the_built_in_lists_are_numbered_branches_and_phases() {
    use vocabulary::{Department, department_name, site_name};
    // The ninth department is the first of the eight again (客服部), in its second branch.
    assert_eq!(department_name(Department::CustomerService, 8), "客服部2");
    assert_eq!(department_name(Department::Engineering, 1), "工程部");
    assert_eq!(
        department_name(Department::Engineering, 8 * 6 + 1),
        "工程部7"
    );
    assert_eq!(site_name(0), "翠湖花园");
    assert_eq!(site_name(20), "翠湖花园2期");
    assert_eq!(site_name(41), "锦绣华庭3期");
}

#[test]
fn a_sample_of_many_departments_and_sites_names_them_all_and_no_more() {
    let dir = tempfile::tempdir().unwrap();
    let options = SampleOptions {
        rows: 20_000,
        departments: 24,
        sites: 60,
        encoding: SampleEncoding::Utf8,
        ..SampleOptions::default()
    };
    let paths = write_sample(&options, dir.path()).unwrap();
    let text: String = read_all(&paths).iter().map(|b| decode(b)).collect();
    // 24 departments: the eight, their second and third branches; 60 sites: three phases.
    for name in ["客服部", "社区文化部3", "工程部2"] {
        assert!(text.contains(&format!(",{name},")), "{name} missing");
    }
    assert!(!text.contains(",客服部4,"));
    for name in ["翠湖花园,", "锦江名邸3期,", "翠湖花园2期,"] {
        assert!(text.contains(name), "{name} missing");
    }
    assert!(!text.contains("翠湖花园4期"));
}

#[test]
fn too_many_departments_or_sites_are_refused_with_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    for options in [
        SampleOptions {
            departments: MAX_DEPARTMENTS + 1,
            ..small()
        },
        SampleOptions {
            sites: 0,
            ..small()
        },
    ] {
        let e = write_sample(&options, dir.path()).unwrap_err();
        assert!(e.to_string().contains("100000"), "{e}");
    }
}
