//! Follow-up coverage (回访率) end to end: a project with work orders and visits that follow
//! them up by their order column, by their own id and by rule; every expected number worked
//! out by hand from the rows below (as of 2026-04-30).

use crate::util::huifang;
use serde_json::Value;
use std::path::Path;

const CONFIG: &str = r#"
title = "coverage"
as_of = 2026-04-30

[[sources]]
path = "data/visits"

[[orders]]
path = "data/orders"

[coverage."投诉"]
target = 1.0
window = [0, 3]

[coverage."维修"]
target = 0.3
window = [30, 60]
visit_types = ["维修回访"]
aliases = ["报修"]
"#;

/// Visits naming their order: TS-001 on day 1 (on time); TS-002 on day 4 (late: the window's
/// last day is 3); TS-003 only by a call nobody answered; TS-999 is no order.
const VISITS_NAMING: &str = "\
回访日期,责任部门,项目,回访类型,回访结果,满意度,关联工单
2026-03-02,客服部,翠湖花园,投诉回访,成功,满意,TS-001
2026-03-09,客服部,翠湖花园,投诉回访,成功,满意,TS-002
2026-03-08,客服部,翠湖花园,投诉回访,未接通,,TS-003
2026-03-10,客服部,翠湖花园,投诉回访,成功,满意,TS-999
2026-03-10,客服部,翠湖花园,定期走访,成功,满意,
";

/// Visits without an order column: HF-1 follows up WX-001 by rule (day 32); the visit whose
/// own number is TS-006 follows it up on day 2.
const VISITS_BY_RULE: &str = "\
编号,回访日期,责任部门,项目,回访类型,回访结果,满意度
HF-1,2026-03-05,工程部,锦绣华庭,维修回访,成功,满意
TS-006,2026-04-03,客服部,翠湖花园,投诉回访,成功,非常满意
";

/// TS-004 is on day 3 at the data date (not yet due), TS-005 on day 4 (missed); WX-002 is
/// past day 60 unfollowed, WX-003 on day 51; WX-004 is not completed.
const ORDERS: &str = "\
工单号,工单类型,责任部门,小区,创建时间,完成时间
TS-001,投诉,客服部,翠湖花园,2026-02-28 10:00,2026-03-01 09:00
TS-002,投诉,客服部,翠湖花园,2026-03-04 10:00,2026-03-05 16:00
TS-003,投诉,客服部,翠湖花园,2026-03-04 11:00,2026-03-05 17:00
TS-004,投诉,客服部,翠湖花园,2026-04-27 08:00,2026-04-27 12:00
TS-005,投诉,客服部,翠湖花园,2026-04-26 08:00,2026-04-26 12:00
TS-006,投诉,客服部,翠湖花园,2026-04-01 08:00,2026-04-01 12:00
WX-001,维修,工程部,锦绣华庭,2026-01-30 09:00,2026-02-01 15:00
WX-002,报修,工程部,锦绣华庭,2026-02-02 09:00,2026-02-03 15:00
WX-003,维修,工程部,锦绣华庭,2026-03-10 09:00,2026-03-10 15:00
WX-004,维修,工程部,锦绣华庭,2026-04-20 09:00,
";

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn project(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "huifang.toml", config);
    write(dir.path(), "data/visits/naming.csv", VISITS_NAMING);
    write(dir.path(), "data/visits/by-rule.csv", VISITS_BY_RULE);
    write(dir.path(), "data/orders/orders.csv", ORDERS);
    dir
}

fn metrics(dir: &Path, id: &str) -> Value {
    let path = dir.join(format!("public/reports/{id}/metrics.json"));
    serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap()
}

/// (completed, followed, on_time, late, not_yet_due, missed) of a coverage object.
fn counts(c: &Value) -> [u64; 6] {
    [
        "completed",
        "followed",
        "on_time",
        "late",
        "not_yet_due",
        "missed",
    ]
    .map(|k| c[k].as_u64().unwrap_or_else(|| panic!("{k} in {c}")))
}

fn rate(c: &Value, key: &str) -> Option<f64> {
    c[key].as_f64()
}

fn of_type<'a>(c: &'a Value, name: &str) -> &'a Value {
    c["by_type"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == name)
        .unwrap_or_else(|| panic!("no {name} in {c}"))
}

#[test]
fn orders_are_followed_up_by_id_by_own_number_and_by_rule() {
    let dir = project(CONFIG);
    let out = huifang(dir.path(), &["build", "--quiet"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("1 visit(s) name a work order"),
        "TS-999 is named by a visit and in no order file: {stderr}"
    );

    let march = metrics(dir.path(), "2026-03");
    let c = &march["overall"]["coverage"];
    // TS-001 on time, TS-002 late, TS-003 missed, WX-003 not yet due.
    assert_eq!(counts(c), [4, 2, 1, 1, 1, 1]);
    assert_eq!(rate(c, "followup_rate"), Some(0.6667));
    assert_eq!(rate(c, "followup_on_time_rate"), Some(0.5));
    let complaints = of_type(c, "投诉");
    assert_eq!(counts(complaints), [3, 2, 1, 1, 0, 1]);
    assert_eq!(complaints["met"], false);
    assert_eq!(complaints["window"], serde_json::json!([0, 3]));
    assert_eq!(counts(of_type(c, "维修")), [1, 0, 0, 0, 1, 0]);
    assert_eq!(of_type(c, "维修")["followup_rate"], Value::Null);

    // April: TS-006 by its own number on day 2, TS-004 on day 3 of 3, TS-005 on day 4.
    let april = metrics(dir.path(), "2026-04");
    let c = &april["overall"]["coverage"];
    assert_eq!(counts(c), [3, 1, 1, 0, 1, 1]);
    assert_eq!(rate(c, "followup_rate"), Some(0.5));
    assert_eq!(of_type(c, "投诉")["met"], false);

    // The quarter holds February's repairs, completed before the first visit: WX-001 found by
    // rule on day 32 (on time), WX-002 (报修 is 维修) missed.
    let q1 = metrics(dir.path(), "2026-Q1");
    let c = &q1["overall"]["coverage"];
    assert_eq!(counts(c), [6, 3, 2, 1, 1, 2]);
    assert_eq!(rate(c, "followup_rate"), Some(0.6));
    assert_eq!(rate(c, "followup_on_time_rate"), Some(0.6667));
    let repairs = of_type(c, "维修");
    assert_eq!(counts(repairs), [3, 1, 1, 0, 1, 1]);
    assert_eq!(repairs["linked_by_rule"], 1);
    assert_eq!(repairs["met"], true, "1 of 2 due is 50%, target 30%");

    let site = q1["sites"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "锦绣华庭")
        .unwrap();
    assert_eq!(counts(&site["coverage"]), [3, 1, 1, 0, 1, 1]);
    let dept = q1["departments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "客服部")
        .unwrap();
    assert_eq!(counts(&dept["coverage"]), [3, 2, 1, 1, 0, 1]);
}

#[test]
fn pages_list_the_orders_owed_a_follow_up() {
    let dir = project(CONFIG);
    let out = huifang(dir.path(), &["build", "--quiet"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page =
        std::fs::read_to_string(dir.path().join("public/reports/2026-04/index.html")).unwrap();
    assert!(
        page.contains("工单回访情况（按工单类型）"),
        "the table by type"
    );
    assert!(page.contains("应回访未回访工单"), "the list");
    let missed = page.find("TS-005").expect("TS-005 is listed");
    let waiting = page.find("TS-004").expect("TS-004 is listed");
    assert!(missed < waiting, "missed orders come first");
    assert!(page.contains("漏访，已超 1 天"), "TS-005 was due by 04-29");
    assert!(
        page.contains("未到期，还剩 0 天"),
        "TS-004 is due by 04-30, the data date"
    );
    assert!(!page.contains("TS-006"), "followed up: not listed");
    let csv =
        std::fs::read_to_string(dir.path().join("public/reports/2026-04/metrics.en.csv")).unwrap();
    let head = csv.lines().next().unwrap();
    assert!(head.contains(
        ",orders_completed,followed_up,followup_rate,followup_on_time_rate,followup_missed,followup_not_yet_due"
    ), "{head}");
}

/// A project without orders keeps its reports as they were: no `coverage` anywhere.
#[test]
fn a_project_without_orders_has_no_coverage() {
    let config = CONFIG.split("[[orders]]").next().unwrap().to_owned();
    let dir = project(&config);
    let out = huifang(dir.path(), &["build", "--quiet"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for id in ["2026-03", "2026-04", "2026-Q1", "2026"] {
        let text =
            std::fs::read_to_string(dir.path().join(format!("public/reports/{id}/metrics.json")))
                .unwrap();
        assert!(!text.contains("coverage"), "{id}");
    }
}

/// Order ids and types are data: a formula stays text in the CSV, markup stays text on the
/// page.
#[test]
fn hostile_order_values_stay_text() {
    let dir = project(CONFIG);
    write(
        dir.path(),
        "data/orders/orders.csv",
        "工单号,工单类型,责任部门,小区,创建时间,完成时间\n\
         =1+2,<b>投诉</b>,客服部,翠湖花园,2026-03-01 08:00,2026-03-01 09:00\n",
    );
    let out = huifang(dir.path(), &["build", "--quiet"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv =
        std::fs::read_to_string(dir.path().join("public/reports/2026-03/followups.csv")).unwrap();
    let row = csv.lines().nth(1).unwrap();
    assert!(row.starts_with("'=1+2,"), "{row}");
    let page =
        std::fs::read_to_string(dir.path().join("public/reports/2026-03/index.html")).unwrap();
    assert!(
        page.contains("&lt;b&gt;投诉&lt;&#x2F;b&gt;") || page.contains("&lt;b&gt;投诉&lt;/b&gt;")
    );
    assert!(!page.contains("<b>投诉</b>"));
}
