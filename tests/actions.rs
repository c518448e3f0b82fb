//! Action lists (待办清单) and the weekly table (投诉受理及完成情况), on a fixture whose open and
//! late complaints are worked out by hand below, read back from the built pages and CSV; and
//! on the sample project, the weekly table's stock columns against the report metrics.
//!
//! The fixture (`tests/fixtures/actions`, as-of 2025-03-20, SLA 重大 10 days, 重要 3, 轻微 2,
//! 超时未完成 after 30 days) and what each complaint is:
//!
//! | id  | date  | dept | site | level | status  | deadline | closed |
//! |-----|-------|------|------|-------|---------|----------|--------|
//! | A1  | 01-05 | 工程 | 翠湖 | 轻微  | 处理中  | 01-07    | –      |
//! | A2  | 01-10 | 保洁 | 翠湖 | 重要  | 已整改  | 01-13    | 02-10 (late) |
//! | A3  | 01-20 | 工程 | 阳光 | 重大  | 已整改  | 01-30    | 01-25 (on time, its month) |
//! | A4  | 02-03 | 工程 | 阳光 | 重大  | 暂不能解决 | 02-13 | –      |
//! | A5  | 02-10 | 保洁 | 阳光 | –     | 待处理  | none     | –      |
//! | A12 | 02-05 | 工程 | 翠湖 | 轻微  | 已整改  | 02-07    | no date (closed in its month) |
//! | A13 | 02-12 | 绿化 | 金色 | 轻微  | 已整改  | 02-14    | 02-16 (late) |
//! | A14 | 02-13 | 绿化 | 金色 | 轻微  | 处理中  | 02-15    | –      |
//! | A15 | 02-14 | 绿化 | 金色 | 轻微  | 待处理  | 02-16    | –      |
//! | A6  | 02-15 | 工程 | 翠湖 | 轻微  | 已整改  | 02-20 (given) | 02-18 (on time) |
//! | A16 | 02-18 | 工程 | 翠湖 | 重大  | 处理中  | 02-28    | –      |
//! | A7  | 02-20 | 保洁 | 翠湖 | 轻微  | 已完成  | 02-22    | 03-05 (late) |
//! | A8  | 02-25 | 工程 | 阳光 | 重要  | 已整改  | 02-28    | 02-27 (on time) |
//! | A9  | 03-02 | 工程 | 翠湖 | 轻微  | 处理中  | 03-10 (given) | – |
//! | A10 | 03-05 | 保洁 | 阳光 | 重要  | 已整改  | 03-08    | 03-12 (late) |
//!
//! (V1, V2 are visits without a complaint.)

use crate::util;

use huifang::metrics::actions::ActionSet;
use huifang::metrics::{MetricsSet, Scope};
use scraper::{Html, Selector};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The fixture's site, built once.
fn site() -> &'static Path {
    static SITE: OnceLock<(util::TempProject, PathBuf)> = OnceLock::new();
    let (_, out) = SITE.get_or_init(|| {
        let project = util::TempProject::fixture("actions");
        let out = project.path().join("public");
        let o = util::huifang(project.path(), &["build", "--out", out.to_str().unwrap()]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        (project, out)
    });
    out
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn page(path: &str) -> Html {
    Html::parse_document(&std::fs::read_to_string(site().join(path)).unwrap())
}

/// The rows of the first table under `section`, each cell's text.
fn rows(html: &Html, section: &str, table: usize) -> Vec<Vec<String>> {
    let section = html
        .select(&sel(section))
        .next()
        .unwrap_or_else(|| panic!("no {section}"));
    let table = section.select(&sel("table")).nth(table).expect("a table");
    table
        .select(&sel("tbody tr"))
        .map(|tr| {
            tr.select(&sel("td"))
                .map(|td| td.text().collect::<String>())
                .collect()
        })
        .collect()
}

/// (id, 超期天数, 历时天数, 情况) of each action-list row.
fn list(html: &Html) -> Vec<(String, String, String, String)> {
    rows(html, "section.actions", 0)
        .into_iter()
        .map(|r| (r[0].clone(), r[7].clone(), r[8].clone(), r[9].clone()))
        .collect()
}

fn row(id: &str, overdue: &str, open: &str, state: &str) -> (String, String, String, String) {
    (id.into(), overdue.into(), open.into(), state.into())
}

/// February, a complete month: days are counted to 02-28.
///
/// Open at the end (dated ≤ 02-28, not closed by then): A1, A4, A5, A14, A15, A16, and A7
/// (closed 03-05, after the end). Closed within February after the deadline: A2 (02-10, due
/// 01-13) and A13 (02-16, due 02-14). Not listed: A3, A6, A8 (on time), A12 (closed without a
/// date, in its own month).
///
/// | id  | overdue              | open                 |
/// |-----|----------------------|----------------------|
/// | A1  | 02-28 − 01-07 = 52   | 02-28 − 01-05 = 54 > 30: 超时 |
/// | A2  | 02-10 − 01-13 = 28   | 02-10 − 01-10 = 31 (closed: never 超时) |
/// | A5  | no deadline: by its days open | 02-28 − 02-10 = 18 |
/// | A4  | 02-28 − 02-13 = 15   | 25                   |
/// | A14 | 02-28 − 02-15 = 13   | 15                   |
/// | A15 | 02-28 − 02-16 = 12   | 14                   |
/// | A7  | 02-28 − 02-22 = 6    | 8                    |
/// | A13 | 02-16 − 02-14 = 2    | 4                    |
/// | A16 | 02-28 − 02-28 = 0: not shown | 10           |
#[test]
fn february_lists_open_and_late_complaints_most_overdue_first() {
    let html = page("reports/2025-02/index.html");
    assert_eq!(
        list(&html),
        [
            row("A1", "52", "54", "未完成 · 超时"),
            row("A2", "28", "31", "逾期完成"),
            row("A5", "", "18", "未完成"),
            row("A4", "15", "25", "未完成"),
            row("A14", "13", "15", "未完成"),
            row("A15", "12", "14", "未完成"),
            row("A7", "6", "8", "未完成"),
            row("A13", "2", "4", "逾期完成"),
            row("A16", "", "10", "未完成"),
        ]
    );
    // The other columns of one row: A4 in full, its comment cut to 40 characters.
    let a4 = &rows(&html, "section.actions", 0)[3];
    assert_eq!(
        a4[..7],
        [
            "A4",
            "2025年2月3日",
            "阳光新城",
            "工程部",
            "电梯",
            "重大",
            "2025年2月13日"
        ]
    );
    assert_eq!(a4[10], "暂不能解决");
    // Reading folds full-width punctuation (，) to half-width, as it does every cell.
    let comment = "电梯门经常夹人,需要整体更换门机系统,业主多次反映,物业一直说在走流程,希望尽快给个明确的答复和时间表";
    assert_eq!(
        a4[11],
        format!("{}…", comment.chars().take(40).collect::<String>())
    );
    // A 超时 row is marked by a word and a class, never by colour alone.
    let warned: Vec<String> = html
        .select(&sel("section.actions td.warning"))
        .map(|td| td.text().collect())
        .collect();
    assert_eq!(warned, ["未完成 · 超时"]);
    let text: String = html.root_element().text().collect();
    assert!(text.contains("天数计至期末（2025年2月28日）"), "{text}");
}

/// March is in progress: days are counted to as-of, 03-20.
///
/// Open at the end: A1, A4, A5, A14, A15, A16 and A9. Closed late within March: A7 (03-05, due
/// 02-22) and A10 (03-12, due 03-08).
///
/// | id  | overdue            | open                     |
/// |-----|--------------------|--------------------------|
/// | A1  | 03-20 − 01-07 = 72 | 74: 超时                 |
/// | A5  | none: by days open | 03-20 − 02-10 = 38: 超时 |
/// | A4  | 03-20 − 02-13 = 35 | 45: 超时                 |
/// | A14 | 03-20 − 02-15 = 33 | 35: 超时                 |
/// | A15 | 03-20 − 02-16 = 32 | 34: 超时                 |
/// | A16 | 03-20 − 02-28 = 20 | 30: not more than 30     |
/// | A7  | 03-05 − 02-22 = 11 | 13                       |
/// | A9  | 03-20 − 03-10 = 10 | 18                       |
/// | A10 | 03-12 − 03-08 = 4  | 7                        |
#[test]
fn an_in_progress_month_counts_days_to_as_of() {
    let html = page("reports/2025-03/index.html");
    assert_eq!(
        list(&html),
        [
            row("A1", "72", "74", "未完成 · 超时"),
            row("A5", "", "38", "未完成 · 超时"),
            row("A4", "35", "45", "未完成 · 超时"),
            row("A14", "33", "35", "未完成 · 超时"),
            row("A15", "32", "34", "未完成 · 超时"),
            row("A16", "20", "30", "未完成"),
            row("A7", "11", "13", "逾期完成"),
            row("A9", "10", "18", "未完成"),
            row("A10", "4", "7", "逾期完成"),
        ]
    );
    let text: String = html.root_element().text().collect();
    assert!(
        text.contains("本期尚未结束，天数计至数据日期（2025年3月20日）"),
        "{text}"
    );
}

/// A department's page lists its own rows: 工程部 in February has A1, A4 and A16.
#[test]
fn a_department_page_lists_its_own_complaints() {
    let html = page("reports/2025-02/departments/engineering/index.html");
    let ids: Vec<String> = list(&html).into_iter().map(|r| r.0).collect();
    assert_eq!(ids, ["A1", "A4", "A16"]);
    // The weekly table is the report page's.
    assert!(html.select(&sel("section.follow-up")).next().is_none());
}

/// February's weekly table (前期遗留, 本期新增, 本期应跟进, 已完成, 完成率, 排名, 累计未完成,
/// 超时未完成, 无法解决), by the rows above:
///
/// - 翠湖花园: carried over A1, A2 (open at the end of January); new A6, A7, A12, A16; due 6;
///   open at the end A1, A7, A16, so completed 3 (A2, A6, A12): 50.0 %; 超时 A1; none
///   unresolvable.
/// - 金色家园: new A13, A14, A15; open A14, A15; completed 1: 33.3 %.
/// - 阳光新城: A3 closed in January, so nothing carried; new A4, A5, A8; open A4, A5; completed
///   1 (A8): 33.3 %; A4 is 暂不能解决.
/// - all: carried 2, new 10, due 12, open 7, completed 5: 41.7 %; 超时 1; 无法解决 1.
///
/// 金色家园 and 阳光新城 tie at 1/3 and share rank 2. By department: 工程部 carried A1, new
/// A4 A6 A8 A12 A16, open A1 A4 A16 (3/6 = 50.0 %, rank 1); 保洁部 carried A2, new A5 A7, open
/// A5 A7 (1/3, rank 2); 绿化部 as 金色家园 (rank 2).
#[test]
fn february_weekly_table_by_site_and_department() {
    let html = page("reports/2025-02/index.html");
    let r = |cells: [&str; 10]| cells.map(String::from).to_vec();
    assert_eq!(
        rows(&html, "section.follow-up", 0),
        [
            r(["翠湖花园", "2", "4", "6", "3", "50.0%", "1", "3", "1", "0"]),
            r(["金色家园", "0", "3", "3", "1", "33.3%", "2", "2", "0", "0"]),
            r(["阳光新城", "0", "3", "3", "1", "33.3%", "2", "2", "0", "1"]),
            r(["全部", "2", "10", "12", "5", "41.7%", "–", "7", "1", "1"]),
        ]
    );
    assert_eq!(
        rows(&html, "section.follow-up", 1),
        [
            r(["工程部", "1", "5", "6", "3", "50.0%", "1", "3", "1", "1"]),
            r(["保洁部", "1", "2", "3", "1", "33.3%", "2", "2", "0", "0"]),
            r(["绿化部", "0", "3", "3", "1", "33.3%", "2", "2", "0", "0"]),
            r(["全部", "2", "10", "12", "5", "41.7%", "–", "7", "1", "1"]),
        ]
    );
}

/// The CSV holds every row of the page's list, in its order, with ISO dates, the 超时 mark in
/// its own column, and a comment that would be a formula kept as text.
#[test]
fn the_csv_holds_the_whole_list() {
    let bytes = std::fs::read(site().join("reports/2025-03/actions.csv")).unwrap();
    let text =
        std::str::from_utf8(bytes.strip_prefix("\u{feff}".as_bytes()).expect("a BOM")).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let head: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        head,
        [
            "编号",
            "日期",
            "项目",
            "部门",
            "类别",
            "等级",
            "整改期限",
            "超期天数",
            "历时天数",
            "情况",
            "状态",
            "意见摘录（个人信息已隐去）",
            "超时未完成"
        ]
    );
    let records: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    let ids: Vec<&str> = records.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        ids,
        ["A1", "A5", "A4", "A14", "A15", "A16", "A7", "A9", "A10"]
    );
    let a9 = &records[7];
    assert_eq!(
        a9,
        &[
            "A9",
            "2025-03-02",
            "翠湖花园",
            "工程部",
            "漏水",
            "轻微",
            "2025-03-10",
            "10",
            "18",
            "未完成",
            "处理中",
            "'=1+1 厨房漏水",
            ""
        ]
    );
    let long: Vec<&str> = records.iter().map(|r| r[12].as_str()).collect();
    assert_eq!(
        long,
        ["超时", "超时", "超时", "超时", "超时", "", "", "", ""]
    );
}

/// The customers' phone numbers in A1 and A5 reach neither a page nor a CSV; their masked
/// forms do.
#[test]
fn no_phone_number_reaches_the_site() {
    let mut masked = 0;
    for entry in walkdir::WalkDir::new(site()) {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let text = String::from_utf8_lossy(&std::fs::read(entry.path()).unwrap()).into_owned();
        for number in ["13812345678", "8765 4321", "87654321"] {
            assert!(!text.contains(number), "{number} in {:?}", entry.path());
        }
        masked += usize::from(text.contains("138****5678"));
    }
    // The report pages and CSVs of January to March, the quarter and the year list A1.
    assert!(masked > 0);
    let csv = std::fs::read_to_string(site().join("reports/2025-02/actions.csv")).unwrap();
    assert!(csv.contains("楼顶漏水,业主电话138****5678"), "{csv}");
}

/// On the sample project, for every report and every scope: the weekly table's 前期遗留 and
/// 累计未完成 are the report's `carried_over` and `open_at_end` (counted from the month
/// partials, a different method), and the action list's open rows are exactly the
/// complaints `open_at_end` counts.
#[test]
fn sample_stock_columns_equal_the_report_metrics() {
    let project =
        huifang::config::Project::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("huifang.toml"))
            .unwrap();
    let config = &project.config;
    let (_, mut acc, symbols) =
        huifang::build::accumulate_sources(&project, config.as_of_or_today()).unwrap();
    let set = std::sync::Arc::new(MetricsSet::new(&acc, config, &symbols));
    let reports = set.reports();
    let actions = ActionSet::new(std::mem::take(&mut acc.complaints), &set, config, &symbols);
    let mut checked = 0;
    for report in &reports {
        let (departments, sites) = (report.departments.list(), report.sites.list());
        let scopes = (departments.iter())
            .map(|d| (actions.department_scope(&d.entity.slug), d))
            .chain(
                sites
                    .iter()
                    .map(|s| (actions.site_scope(&s.entity.slug), s)),
            );
        let overall = std::iter::once((Some(Scope::Overall), &report.overall));
        let all = overall.chain(scopes.map(|(s, e)| (s, &e.metrics)));
        for (scope, metrics) in all {
            let scope = scope.expect("every scope of a report has records' scope");
            let r = &metrics.rectification;
            let f = actions.follow_up(&report.period, scope, metrics.complaints.total);
            let id = &report.period.id;
            assert_eq!(f.carried_over, r.carried_over, "{id} {scope:?}");
            assert_eq!(f.open_at_end, r.open_at_end, "{id} {scope:?}");
            let open = actions
                .items(&report.period, scope)
                .iter()
                .filter(|i| i.open)
                .count();
            assert_eq!(open as u64, r.open_at_end, "{id} {scope:?}");
            checked += 1;
        }
    }
    // 50 reports, each with the organisation, up to 8 departments and 20 sites.
    assert!(checked > 500, "{checked}");
}
