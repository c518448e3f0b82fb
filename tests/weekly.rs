//! Weekly reports (周报): ISO weeks across the 2026/2027 year end, weeks starting on Sunday,
//! and months, quarters and years unchanged when weeks are added. Every expected number is
//! worked out by hand from the rows below.

use crate::util::{TempProject, huifang, reports_of};
use serde_json::Value;
use std::path::Path;

const CONFIG: &str = r#"
title = "weekly"
as_of = 2027-01-09
periods = ["week", "month", "quarter", "year"]

[[sources]]
path = "data/visits.csv"

[[orders]]
path = "data/orders.csv"

[coverage."投诉"]
target = 1.0
window = [0, 3]
"#;

/// ISO weeks: 2026-W52 is 12-21 … 12-27, 2026-W53 is 12-28 … 2027-01-03 (2026 ends on a
/// Thursday), 2027-W01 is 01-04 … 01-10.
/// - 12-27 (W52): one visit, no complaint.
/// - 12-28 (W53): complaint A, closed 01-05 (in W01).
/// - 12-31 (W53): not reached.
/// - 01-01 (W53): complaint B, still open.
/// - 01-02 (W53): follows up order TS-1 (completed 12-30): on time, day 3.
/// - 01-03 (W53): complaint C, closed the same day.
/// - 01-04 (W01): one visit.
/// - 01-08 (W01): complaint D, closed 01-09.
const VISITS: &str = "\
编号,回访日期,责任部门,回访结果,满意度,问题分类,整改状态,整改完成日期,关联工单
V1,2026-12-27,客服部,成功,满意,,,,
V2,2026-12-28,客服部,成功,满意,维修质量,已完成,2027-01-05,
V3,2026-12-31,工程部,未接通,,,,,
V4,2027-01-01,工程部,成功,不满意,噪音,处理中,,
V5,2027-01-02,客服部,成功,非常满意,,,,TS-1
V6,2027-01-03,客服部,成功,非常满意,服务态度,已完成,2027-01-03,
V7,2027-01-04,客服部,成功,满意,,,,
V8,2027-01-08,工程部,成功,一般,环境卫生,已完成,2027-01-09,
";

const ORDERS: &str = "\
工单号,工单类型,责任部门,创建时间,完成时间
TS-1,投诉,客服部,2026-12-29,2026-12-30
";

fn project(config: &str) -> TempProject {
    let dir = TempProject {
        dir: tempfile::tempdir().unwrap(),
    };
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    std::fs::write(dir.config(), config).unwrap();
    std::fs::write(dir.path().join("data/visits.csv"), VISITS).unwrap();
    std::fs::write(dir.path().join("data/orders.csv"), ORDERS).unwrap();
    dir
}

fn metrics(dir: &Path, id: &str) -> Value {
    let path = dir.join(format!("public/reports/{id}/metrics.json"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_slice(&bytes).unwrap()
}

/// (visits, contacted, responses, satisfied, complaints, carried_over, open_at_end).
fn numbers(m: &Value) -> [u64; 7] {
    let o = &m["overall"];
    [
        &o["visits"]["total"],
        &o["visits"]["contacted"],
        &o["satisfaction"]["responses"],
        &o["satisfaction"]["satisfied"],
        &o["complaints"]["total"],
        &o["rectification"]["carried_over"],
        &o["rectification"]["open_at_end"],
    ]
    .map(|v| v.as_u64().unwrap_or_else(|| panic!("a count in {o}")))
}

#[test]
fn iso_weeks_across_the_year_end_count_their_own_days() {
    let dir = project(CONFIG);
    let out = huifang(dir.path(), &["build", "--quiet"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let p = dir.path();

    let w52 = metrics(p, "2026-W52");
    assert_eq!(w52["period"]["start"], "2026-12-21");
    assert_eq!(numbers(&w52), [1, 1, 1, 1, 0, 0, 0]);

    // W53: V2 … V6, 5 visits, V3 not reached; 满意, 不满意, 非常满意 ×2 → 3 of 4 satisfied.
    // Complaints A, B, C; at 01-03 A (closed 01-05) and B are open.
    let w53 = metrics(p, "2026-W53");
    assert_eq!(
        (&w53["period"]["start"], &w53["period"]["end"]),
        (&"2026-12-28".into(), &"2027-01-03".into())
    );
    assert_eq!(numbers(&w53), [5, 4, 4, 3, 3, 0, 2]);
    // TS-1, completed 12-30, followed up on 01-02: day 3 of [0, 3].
    let coverage = &w53["overall"]["coverage"];
    assert_eq!(
        (&coverage["completed"], &coverage["on_time"]),
        (&1.into(), &1.into())
    );

    // W01 (in progress: as of 01-09, it ends 01-10): V7, V8; 满意, 一般 → 1 of 2. Carried
    // over A and B; A closes 01-05, D is raised and closes 01-09: B is open at the end.
    let w01 = metrics(p, "2027-W01");
    assert_eq!(w01["period"]["in_progress"], true);
    assert_eq!(numbers(&w01), [2, 2, 2, 1, 1, 2, 1]);
    assert!(
        w01["overall"].get("coverage").is_none(),
        "no order completed in W01"
    );

    // The months split W53: December has V1 … V3 (A open at its end), January V4 … V8.
    assert_eq!(numbers(&metrics(p, "2026-12")), [3, 2, 2, 2, 1, 0, 1]);
    assert_eq!(numbers(&metrics(p, "2027-01")), [5, 5, 5, 3, 3, 1, 1]);
    assert_eq!(metrics(p, "2026-12")["overall"]["coverage"]["completed"], 1);

    let page = std::fs::read_to_string(p.join("public/reports/2026-W53/index.html")).unwrap();
    assert!(
        page.contains("2026年第53周"),
        "the week is named in Chinese"
    );
    assert!(
        page.contains("本周新增") && page.contains("本周应跟进"),
        "a week's complaint table speaks of the week"
    );
    let month = std::fs::read_to_string(p.join("public/reports/2026-12/index.html")).unwrap();
    assert!(month.contains("本期新增") && !month.contains("本周新增"));
    let home = std::fs::read_to_string(p.join("public/index.html")).unwrap();
    assert!(
        home.contains("最新周报"),
        "the home page leads with the latest week"
    );
    assert!(home.contains("reports/2027-W01/index.html"));
}

#[test]
fn weeks_can_start_on_sunday() {
    let dir = project(&CONFIG.replace("periods = [", "week_start = \"周日\"\nperiods = ["));
    let out = huifang(dir.path(), &["build", "--quiet"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Sunday 12-27 … Saturday 01-02 has its fourth day (12-30) in 2026: 2026-W52, with
    // V1 … V5; Sunday 01-03 starts 2027-W01 with V6 … V8.
    let w52 = metrics(dir.path(), "2026-W52");
    assert_eq!(
        (&w52["period"]["start"], &w52["period"]["end"]),
        (&"2026-12-27".into(), &"2027-01-02".into())
    );
    assert_eq!(numbers(&w52)[..5], [5, 4, 4, 3, 2]);
    assert_eq!(
        numbers(&metrics(dir.path(), "2027-W01"))[..5],
        [3, 3, 3, 2, 2]
    );
    assert!(!dir.path().join("public/reports/2026-W53").exists());
}

#[test]
fn without_weeks_there_are_no_weekly_reports_and_a_bad_list_is_named() {
    let dir = project(&CONFIG.replace("\"week\", ", ""));
    let out = huifang(dir.path(), &["build", "--quiet"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let reports: Vec<String> = std::fs::read_dir(dir.path().join("public/reports"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!reports.iter().any(|r| r.contains("-W")), "{reports:?}");

    let dir = project(&CONFIG.replace("\"week\", ", "\"weekly\", "));
    let out = huifang(dir.path(), &["build", "--quiet"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("weekly") && stderr.contains("week"),
        "{stderr}"
    );
}

/// Weeks cut the partials finer; every month, quarter and year of the sample must come out
/// the same to the last number.
#[test]
fn weeks_leave_the_sample_months_quarters_and_years_unchanged() {
    let sample = TempProject::sample();
    // Its deliberately broken file has rejected rows, which `reports_of` refuses.
    std::fs::remove_file(sample.path().join("sample-data/visits/manual-entries.csv")).unwrap();
    let config = std::fs::read_to_string(sample.config()).unwrap();
    let (without, _) = reports_of(&sample.config());
    std::fs::write(
        sample.config(),
        format!("periods = [\"week\", \"month\", \"quarter\", \"year\"]\n{config}"),
    )
    .unwrap();
    let (with, _) = reports_of(&sample.config());
    let (weeks, others): (Vec<_>, Vec<_>) =
        with.into_iter().partition(|r| r.period.id.contains("-W"));
    assert_eq!(others, without);
    // 2024-01-01 (a Monday, 2024-W01) to 2026-11-20 (in 2026-W47): 52 + 52 + 47 weeks.
    assert_eq!(weeks.len(), 52 + 52 + 47);
    let visits: u64 = weeks.iter().map(|r| r.overall.visits.total).sum();
    let years: u64 = without
        .iter()
        .filter(|r| r.period.kind == huifang::period::PeriodKind::Year)
        .map(|r| r.overall.visits.total)
        .sum();
    assert_eq!(visits, years, "every visit is in exactly one week");
}
