//! A project that only runs surveys builds without visit logs, and survey warnings are listed
//! as visit-log problems are: the first ten per file by `build`, all by `check`.

use crate::util;

use util::huifang;

const EXPORT: &str = "1、您所在的小区,2、您对物业服务的总体满意度\n\
                      翠湖花园,满意\n\
                      阳光新城,非常满意\n\
                      翠湖花园,一般\n";

fn project(config: &str, export: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("huifang.toml"), config).unwrap();
    std::fs::write(dir.path().join("export.csv"), export).unwrap();
    dir
}

const SURVEY: &str = "[[surveys]]\nname = \"业主满意度调查\"\nfiles = [\"export.csv\"]\n\
                      kinds = { \"1\" = \"single\", \"2\" = \"single\" }\n";

#[test]
fn a_project_with_surveys_and_no_visit_logs_builds_its_survey_pages() {
    // No `sources` at all, and `sources = []`: both mean no visit logs.
    for sources in ["", "sources = []\n"] {
        let dir = project(
            &format!("title = \"调查\"\nas_of = 2026-05-31\n{sources}{SURVEY}"),
            EXPORT,
        );
        let out = huifang(dir.path(), &["build"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{stderr}");
        assert!(stderr.contains("0 reports"), "{stderr}");
        let home = std::fs::read_to_string(dir.path().join("public/index.html")).unwrap();
        assert!(home.contains("本项目没有配置回访记录"), "{home}");
        assert!(home.contains("业主满意度调查"));
        assert!(home.contains("2026年5月31日"), "the as-of date is shown");
        let survey = util::tree(&dir.path().join("public/surveys"));
        let page = survey
            .iter()
            .find(|(p, _)| p.ends_with("index.html"))
            .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
            .unwrap();
        // 3 responses; 翠湖花园 twice (by hand from EXPORT).
        assert!(page.contains("翠湖花园"), "{page}");
        let out = huifang(dir.path(), &["check"]);
        assert_eq!(out.status.code(), Some(0));
    }
    // Neither visit logs nor surveys: nothing to build, said as such.
    let dir = project("sources = []\n", EXPORT);
    let out = huifang(dir.path(), &["build"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("no `[[surveys]]`"), "{stderr}");
}

#[test]
fn survey_warnings_are_capped_by_build_and_listed_by_check() {
    // 14 blank rows between answers: each is a warning on its line (lines 3 to 16).
    let mut export = String::from("1、您所在的小区,2、您对物业服务的总体满意度\n翠湖花园,满意\n");
    export.push_str(&",\n".repeat(14));
    export.push_str("阳光新城,一般\n");
    let dir = project(&format!("as_of = 2026-05-31\n{SURVEY}"), &export);
    let out = huifang(dir.path(), &["build"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let listed = stderr
        .lines()
        .filter(|l| l.contains("empty row skipped"))
        .count();
    assert_eq!(listed, 10, "{stderr}");
    assert!(
        stderr.contains("… and 4 more (run `huifang check` to list them)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("export.csv: line 3: empty row skipped"),
        "{stderr}"
    );

    let out = huifang(dir.path(), &["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let listed: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("empty row skipped"))
        .collect();
    assert_eq!(listed.len(), 14, "{stderr}");
    assert!(listed[13].contains("line 16"), "{stderr}");
    let out = huifang(dir.path(), &["check", "--strict"]);
    assert_eq!(out.status.code(), Some(1));
}
