//! The binary as CI uses it: exit codes, the per-file summary, and what `build` writes.

use crate::util;

use std::path::Path;
use std::process::{Command, Output};

fn huifang(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_huifang"))
        .args(args)
        .output()
        .expect("the binary runs")
}

/// The config of a throwaway copy of a fixture, so builds never write into the repository.
/// The copy is leaked: it must outlive the test's commands, and each test makes a few.
fn config_of(fixture: &str) -> String {
    let project = Box::leak(Box::new(util::TempProject::fixture(fixture)));
    project.config().display().to_string()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn check_passes_clean_data_and_prints_the_reconciliation() {
    let o = huifang(&["check", "--config", &config_of("gb18030_crlf")]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o)
            .contains("visits.csv (GB18030): read 3 rows: accepted 3, rejected 0, warnings 0")
    );
}

#[test]
fn check_fails_on_rejected_rows_and_lists_each() {
    let o = huifang(&["check", "--config", &config_of("rejections")]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("read 8 rows: accepted 2, rejected 6"), "{err}");
    assert!(
        err.contains("line 5, column 1 (回访日期 → date): row rejected: `2025-02-30`"),
        "{err}"
    );
    assert!(
        err.contains("line 8: row rejected: the row is empty"),
        "{err}"
    );
    assert!(err.contains("error: 6 row(s) rejected"), "{err}");
}

#[test]
fn check_strict_fails_on_warnings_only_when_asked() {
    let config = config_of("bad_optional");
    assert_eq!(huifang(&["check", "-c", &config]).status.code(), Some(0));
    let o = huifang(&["check", "-c", &config, "--strict"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("7 warning(s) under --strict"));
}

#[test]
fn config_errors_exit_2() {
    let o = huifang(&["check", "-c", &config_of("config_unknown_key")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("unknown field `critical`"));
    let o = huifang(&["check", "-c", "no/such/huifang.toml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cannot read config no/such/huifang.toml"));
}

#[test]
fn an_unreadable_file_fails_the_build_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let o = huifang(&[
        "build",
        "-c",
        &config_of("missing_department"),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("department = \"负责科室\""));
    assert!(!out.exists());
}

#[test]
fn build_writes_the_counts_and_strict_refuses_rejections() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let out_s = out.to_str().unwrap();
    let config = config_of("rejections");

    let o = huifang(&["build", "-c", &config, "--out", out_s, "--strict"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!out.exists(), "--strict with rejections writes nothing");

    let o = huifang(&[
        "build",
        "-c",
        &config,
        "--out",
        out_s,
        "--as-of",
        "2025-03-31",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(home.contains("数据截至 2025年3月31日"), "{home}");
    // The data-quality page lists the file: 8 rows read, 2 accepted, 6 rejected, 0 warnings.
    let quality = std::fs::read_to_string(out.join("data-quality/index.html")).unwrap();
    let row = "<td>visits.csv</td><td>UTF-8</td><td class=\"num\">8</td><td class=\"num\">2</td>\
               <td class=\"num\">6</td><td class=\"num\">0</td>";
    assert!(quality.contains(row), "{quality}");
    // Both accepted rows are in 2025-03: one for 工程部, one for 客服部.
    let march = std::fs::read_to_string(out.join("reports/2025-03/metrics.json")).unwrap();
    assert!(march.contains("\"total\": 2,"), "{march}");
    assert!(out.join("style.css").is_file());
}

/// `--as-of` takes the spellings of the data's dates, and names what it was given when it
/// cannot read it.
#[test]
fn as_of_takes_the_spellings_of_the_data() {
    for spelling in ["2026/11/20", "20261120"] {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        let config = config_of("rejections");
        let args = ["build", "-c", &config, "--out", out.to_str().unwrap()];
        let o = huifang(&[&args[..], &["--as-of", spelling]].concat());
        assert_eq!(o.status.code(), Some(0), "{spelling}: {}", stderr(&o));
        let home = std::fs::read_to_string(out.join("index.html")).unwrap();
        assert!(
            home.contains("数据截至 2026年11月20日"),
            "{spelling}: {home}"
        );
    }
    let o = huifang(&[
        "build",
        "-c",
        &config_of("rejections"),
        "--as-of",
        "next week",
    ]);
    assert_eq!(o.status.code(), Some(2), "a usage error");
    let err = stderr(&o);
    assert!(err.contains("'next week'"), "{err}");
    assert!(
        err.contains("expected a date such as 2025-03-05, 2025/3/5 14:07, 2025年3月5日"),
        "{err}"
    );
    let o = huifang(&[
        "build",
        "-c",
        &config_of("rejections"),
        "--as-of",
        "2026/2/30",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("2026-02-30 is not a day of the calendar"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn two_builds_write_identical_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    let config = config_of("gb18030_crlf");
    for out in [&a, &b] {
        let o = huifang(&["build", "-c", &config, "--out", out.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    let (ta, tb) = (read_tree(&a), read_tree(&b));
    assert_eq!(ta.len(), tb.len());
    for ((pa, ba), (pb, bb)) in ta.iter().zip(&tb) {
        assert_eq!(pa, pb);
        assert!(ba == bb, "{pa} differs");
    }
}

#[test]
fn build_never_replaces_a_folder_it_did_not_make() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("notes.txt"), "keep me").unwrap();
    let o = huifang(&[
        "build",
        "-c",
        &config_of("gb18030_crlf"),
        "--out",
        tmp.path().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("refusing to replace"));
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("notes.txt")).unwrap(),
        "keep me"
    );
}

fn read_tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect();
    files.sort();
    files
}

#[test]
fn build_writes_metrics_for_every_period() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let o = huifang(&[
        "build",
        "-c",
        &config_of("metrics_quarter"),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("1 record(s) dated after the as-of date 2025-03-31 are in no report")
    );
    for id in ["2025-01", "2025-02", "2025-03", "2025-Q1", "2025"] {
        let json =
            std::fs::read_to_string(out.join("reports").join(id).join("metrics.json")).unwrap();
        assert!(json.contains(&format!("\"id\": \"{id}\"")), "{id}");
    }
    let csv = std::fs::read(out.join("reports/2025-Q1/metrics.en.csv")).unwrap();
    assert!(csv.starts_with(b"\xef\xbb\xbfdepartment,slug,visits,"));
    let text = String::from_utf8(csv[3..].to_vec()).unwrap();
    let rows: Vec<&str> = text.lines().collect();
    // Header, 保洁部, 工程部, 绿化部, then the whole organisation: 11 visits, 9 contacted.
    assert_eq!(rows.len(), 5);
    assert!(rows[2].starts_with("工程部,dept-"), "{}", rows[2]);
    // 9 of 11 = 81.818…%: a percentage, which spreadsheets read as the number 0.818.
    assert!(rows[4].starts_with("全部,,11,9,81.8%,"), "{}", rows[4]);
    let csv = std::fs::read_to_string(out.join("reports/2025-Q1/metrics.csv")).unwrap();
    assert!(
        csv.starts_with("\u{feff}部门,网址标识,回访量,"),
        "headed in the site's locale"
    );
}

/// `check` reads the survey exports as `build` does: it lists each, and a missing one fails
/// it with the same exit code as the build (2: a source the config names is missing).
#[test]
fn check_reads_the_survey_exports_too() {
    let project = util::TempProject::fixture("survey_campaign");
    let config = project.config();
    let config = config.to_str().unwrap();
    let o = huifang(&["check", "-c", config]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("survey export.csv (UTF-8): read 6 rows: accepted 6, rejected 0"),
        "{}",
        stderr(&o)
    );
    std::fs::remove_file(project.path().join("export.csv")).unwrap();
    let check = huifang(&["check", "-c", config]);
    let build = huifang(&["build", "-c", config, "--quiet"]);
    assert_eq!(check.status.code(), Some(2), "{}", stderr(&check));
    assert_eq!(
        build.status.code(),
        check.status.code(),
        "{}",
        stderr(&build)
    );
    assert!(stderr(&check).contains("export.csv"), "{}", stderr(&check));
}
