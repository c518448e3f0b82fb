//! The staff view (numbers per 回访人, `publish_staff`), on a fixture whose numbers are worked
//! out by hand below; and where staff names may and may not go: nowhere when the view is off,
//! only on the internal staff pages when it is on (never in metrics.json, the CSV files or the
//! snapshots), and in an archive only with `--staff`.
//!
//! The fixture (`tests/fixtures/staff_view`, as-of 2026-02-28, min_sample 3, targets: contact
//! rate 80 %, satisfied rate 80 %; 非常满意 and 满意 are satisfied):
//!
//! | month | 回访人 | rows (contact, rating)                                     |
//! |-------|--------|------------------------------------------------------------|
//! | 01    | 赵晓燕 | 成功 非常满意 · 成功 满意 · 未接通 – · 成功 一般           |
//! | 01    | 孙立   | 成功 满意 · 成功 不满意                                    |
//! | 01    | 欧阳明 | 成功 非常满意                                              |
//! | 01    | –      | (blank) –                                                  |
//! | 02    | 孙立   | 成功 满意 · 成功 非常满意 · 未接通 –                       |
//! | 02    | 欧阳明 | 成功 满意 · 成功 非常满意 · 成功 满意 · 拒访 –             |
//! | 02    | 赵晓燕 | 成功 一般                                                  |
//! | 02    | –      | 成功 非常满意                                              |
//! | 03-02 | 赵晓燕 | after as-of: in no report                                  |

use crate::util;
use scraper::{Html, Selector};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const NAMES: [&str; 3] = ["赵晓燕", "孙立", "欧阳明"];

/// A copy of the fixture, with `publish_staff` on or off, built.
fn built(publish: bool) -> (util::TempProject, PathBuf) {
    let project = util::TempProject::fixture("staff_view");
    if publish {
        let config = std::fs::read_to_string(project.config()).unwrap();
        // Top-level keys go before the first table.
        std::fs::write(project.config(), format!("publish_staff = true\n{config}")).unwrap();
    }
    let out = project.path().join("public");
    let o = util::huifang(project.path(), &["build", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    (project, out)
}

fn on() -> &'static (util::TempProject, PathBuf) {
    static SITE: OnceLock<(util::TempProject, PathBuf)> = OnceLock::new();
    SITE.get_or_init(|| built(true))
}

fn off() -> &'static (util::TempProject, PathBuf) {
    static SITE: OnceLock<(util::TempProject, PathBuf)> = OnceLock::new();
    SITE.get_or_init(|| built(false))
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn read(path: &Path) -> Html {
    Html::parse_document(&std::fs::read_to_string(path).unwrap())
}

/// A row as the staff table shows it: name, visits, reached, contact rate with its mark
/// (`✓`, `✗` or none), ratings, satisfied rate with its mark, and whether that rate is
/// marked low-sample.
#[derive(Debug, PartialEq)]
struct Row {
    name: String,
    visits: String,
    contacted: String,
    contact_rate: (String, &'static str),
    responses: String,
    satisfied_rate: (String, &'static str),
    low_sample: bool,
}

fn row(
    name: &str,
    [visits, contacted, responses]: [u32; 3],
    contact_rate: (&str, &'static str),
    satisfied_rate: (&str, &'static str),
    low_sample: bool,
) -> Row {
    Row {
        name: name.to_owned(),
        visits: visits.to_string(),
        contacted: contacted.to_string(),
        contact_rate: (contact_rate.0.to_owned(), contact_rate.1),
        responses: responses.to_string(),
        satisfied_rate: (satisfied_rate.0.to_owned(), satisfied_rate.1),
        low_sample,
    }
}

/// The staff table of `html`, row by row.
fn rows(html: &Html) -> Vec<Row> {
    let cell = |td: scraper::ElementRef<'_>| -> (String, &'static str) {
        // The value is the cell's first text; the mark is a span after it.
        let text = td.text().next().unwrap_or_default().trim().to_owned();
        let mark = match td.select(&sel(".target")).next() {
            Some(m) if m.value().classes().any(|c| c == "target-met") => "✓",
            Some(_) => "✗",
            None => "",
        };
        (text, mark)
    };
    html.select(&sel("table tbody tr"))
        .map(|tr| {
            let tds: Vec<_> = tr.select(&sel("td")).collect();
            assert_eq!(tds.len(), 6, "{}", tr.html());
            Row {
                name: cell(tds[0]).0,
                visits: cell(tds[1]).0,
                contacted: cell(tds[2]).0,
                contact_rate: cell(tds[3]),
                responses: cell(tds[4]).0,
                satisfied_rate: cell(tds[5]),
                low_sample: tds[5].value().classes().any(|c| c == "low-sample"),
            }
        })
        .collect()
}

fn staff_page(out: &Path, id: &str) -> Html {
    read(&out.join(format!("reports/{id}/staff/index.html")))
}

fn notes(html: &Html) -> Vec<String> {
    html.select(&sel(".table-note"))
        .map(|n| n.text().collect())
        .collect()
}

#[test]
fn numbers_per_staff_member_per_report_by_hand() {
    let out = &on().1;
    // January. 赵晓燕: 4 visits, 3 reached (75.0 % < 80 %), 3 ratings of which 2 satisfied
    // (66.7 % < 80 %), at the minimum sample. 孙立: 2 of 2 reached, 1 of 2 satisfied (50.0 %,
    // under the minimum: not judged). 欧阳明: 1 of 1, 1 of 1 (under the minimum).
    assert_eq!(
        rows(&staff_page(out, "2026-01")),
        [
            row("赵晓燕", [4, 3, 3], ("75.0%", "✗"), ("66.7%", "✗"), false),
            row("孙立", [2, 2, 2], ("100.0%", "✓"), ("50.0%", ""), true),
            row("欧阳明", [1, 1, 1], ("100.0%", "✓"), ("100.0%", ""), true),
        ]
    );
    // February. 欧阳明: 4 visits, 3 reached (拒访 is no success: 75.0 %), 3 ratings all
    // satisfied. 孙立: 3 visits, 2 reached (66.7 %), 2 of 2 satisfied (under the minimum).
    // 赵晓燕: 1 of 1 reached, 0 of 1 satisfied (一般), under the minimum.
    assert_eq!(
        rows(&staff_page(out, "2026-02")),
        [
            row("欧阳明", [4, 3, 3], ("75.0%", "✗"), ("100.0%", "✓"), false),
            row("孙立", [3, 2, 2], ("66.7%", "✗"), ("100.0%", ""), true),
            row("赵晓燕", [1, 1, 1], ("100.0%", "✓"), ("0.0%", ""), true),
        ]
    );
    // The quarter and the year add the two months; the visit of 03-02 is after as-of. Each
    // has 5 visits, 4 reached: 80.0 %, exactly the target, met. Equal visits order by name
    // (孙 U+5B59, 欧 U+6B27, 赵 U+8D75). Satisfied: 孙立 1+2 of 4 (75.0 %), 欧阳明 1+3 of 4,
    // 赵晓燕 2+0 of 4 (50.0 %).
    let spring = [
        row("孙立", [5, 4, 4], ("80.0%", "✓"), ("75.0%", "✗"), false),
        row("欧阳明", [5, 4, 4], ("80.0%", "✓"), ("100.0%", "✓"), false),
        row("赵晓燕", [5, 4, 4], ("80.0%", "✓"), ("50.0%", "✗"), false),
    ];
    assert_eq!(rows(&staff_page(out, "2026-Q1")), spring);
    assert_eq!(rows(&staff_page(out, "2026")), spring);

    // One visit a month names nobody: said under the table, in no row.
    let jan = notes(&staff_page(out, "2026-01"));
    assert!(
        jan.iter().any(|n| n.contains("另有 1 次回访未注明回访人")),
        "{jan:?}"
    );
    assert!(jan.iter().any(|n| n.contains("评价少于 3 条")), "{jan:?}");
    let q1 = notes(&staff_page(out, "2026-Q1"));
    assert!(q1.iter().any(|n| n.contains("另有 2 次回访")), "{q1:?}");
    assert!(!q1.iter().any(|n| n.contains("评价少于")), "{q1:?}");
}

#[test]
fn the_staff_page_is_marked_internal_and_linked_from_its_report_only() {
    let out = &on().1;
    let html = staff_page(out, "2026-Q1");
    let robots: Vec<_> = html
        .select(&sel("meta[name=robots]"))
        .filter_map(|m| m.value().attr("content"))
        .collect();
    assert_eq!(robots, ["noindex"]);
    let banner: String = html
        .select(&sel(".internal-banner"))
        .next()
        .unwrap()
        .text()
        .collect();
    assert_eq!(banner, "内部资料 · 不对外发布");

    let link = |path: &str| -> Vec<String> {
        let html = read(&out.join(path));
        html.select(&sel("a"))
            .filter_map(|a| a.value().attr("href"))
            .filter(|h| h.contains("staff"))
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(
        link("reports/2026-Q1/index.html"),
        ["../../reports/2026-Q1/staff/index.html"]
    );
    // Not from the latest version's address, the home page or the versions page.
    assert!(link("reports/2026-Q1/v1/index.html").is_empty());
    assert!(link("index.html").is_empty());
    assert!(link("reports/2026-Q1/versions/index.html").is_empty());
}

/// Every file under `dir` holding one of the staff names, by path relative to `dir`.
fn files_naming_staff(dir: &Path) -> Vec<String> {
    util::tree(dir)
        .into_iter()
        .filter(|(_, bytes)| {
            let text = String::from_utf8_lossy(bytes);
            NAMES.iter().any(|name| text.contains(name))
        })
        .map(|(path, _)| path.to_string_lossy().replace('\\', "/"))
        .collect::<std::collections::BTreeSet<String>>()
        .into_iter()
        .collect()
}

#[test]
fn off_by_default_no_staff_page_and_no_name_anywhere() {
    let (project, out) = off();
    assert_eq!(files_naming_staff(out), Vec::<String>::new());
    assert_eq!(
        files_naming_staff(&project.path().join("snapshots")),
        Vec::<String>::new()
    );
    let staff_dirs: Vec<_> = util::tree(out)
        .into_iter()
        .filter(|(p, _)| p.to_string_lossy().contains("staff"))
        .collect();
    assert!(staff_dirs.is_empty());
    let report = std::fs::read_to_string(out.join("reports/2026-Q1/index.html")).unwrap();
    assert!(!report.contains("回访人员统计"));
}

#[test]
fn on_names_only_on_the_staff_pages_never_in_data_files_or_snapshots() {
    let (project, out) = on();
    let mut expected: Vec<String> = ["2026", "2026-01", "2026-02", "2026-Q1"]
        .map(|id| format!("reports/{id}/staff/index.html"))
        .to_vec();
    expected.sort();
    assert_eq!(files_naming_staff(out), expected);
    assert_eq!(
        files_naming_staff(&project.path().join("snapshots")),
        Vec::<String>::new()
    );
    // The staff view changes no number of a report: the same metrics.json either way.
    for id in ["2026-01", "2026-Q1"] {
        let json = |out: &Path| std::fs::read(out.join(format!("reports/{id}/metrics.json")));
        assert_eq!(json(out).unwrap(), json(&off().1).unwrap(), "{id}");
    }
}

#[test]
fn the_privacy_scan_passes_on_a_site_with_staff_pages() {
    let out = &on().1;
    let o = util::huifang(out, &["privacy-scan", "."]);
    assert!(
        o.status.success(),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

fn archive(project: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["archive"];
    all.extend(args);
    util::huifang(project, &all)
}

fn tar_entries(path: &Path) -> Vec<(String, String)> {
    use std::io::Read;
    let bytes = std::fs::read(path).unwrap();
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(bytes.as_slice()));
    archive
        .entries()
        .unwrap()
        .map(|e| {
            let mut e = e.unwrap();
            let name = e.path().unwrap().to_string_lossy().into_owned();
            let mut text = String::new();
            e.read_to_string(&mut text).unwrap();
            (name, text)
        })
        .collect()
}

#[test]
fn archives_leave_the_staff_out_unless_asked() {
    let (project, _) = on();
    let dir = project.path();
    let names_in = |text: &str| NAMES.iter().any(|n| text.contains(n));

    let o = archive(dir, &["2026-Q1", "-o", "q1.html"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(!names_in(
        &std::fs::read_to_string(dir.join("q1.html")).unwrap()
    ));
    assert!(!dir.join("q1-staff.html").exists());
    let o = archive(dir, &["--all", "-o", "all.tar.gz"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for (name, text) in tar_entries(&dir.join("all.tar.gz")) {
        assert!(!name.contains("staff") && !names_in(&text), "{name}");
    }

    // Asked: the staff page beside the report's, sealed and self-contained like it.
    let o = archive(dir, &["2026-Q1", "-o", "q1s.html", "--staff"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(!names_in(
        &std::fs::read_to_string(dir.join("q1s.html")).unwrap()
    ));
    let staff = std::fs::read_to_string(dir.join("q1s-staff.html")).unwrap();
    huifang::archive::verify(&staff).unwrap();
    let html = Html::parse_document(&staff);
    assert_eq!(rows(&html).len(), 3);
    assert_eq!(rows(&html)[1].name, "欧阳明");
    assert!(staff.contains("内部资料 · 不对外发布"));
    assert!(staff.contains(r#"<meta name="robots" content="noindex">"#));
    assert!(!staff.contains("href=\"../") && !staff.contains("staff/index.html"));

    let o = archive(dir, &["--all", "--staff", "-o", "alls.tar.gz"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let entries = tar_entries(&dir.join("alls.tar.gz"));
    let staff_entries: Vec<&str> = entries
        .iter()
        .filter(|(_, text)| names_in(text))
        .map(|(name, _)| name.as_str())
        .collect();
    let mut expected =
        ["2026", "2026-01", "2026-02", "2026-Q1"].map(|id| format!("{id}/v1-staff.html"));
    expected.sort();
    let mut found: Vec<&str> = staff_entries.clone();
    found.sort();
    assert_eq!(found, expected);
}

#[test]
fn archive_staff_is_refused_where_the_project_does_not_publish_staff() {
    let (project, _) = off();
    let o = archive(project.path(), &["2026-Q1", "-o", "x.html", "--staff"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("publish_staff = true"), "{err}");
    assert!(!project.path().join("x-staff.html").exists());
}

const FOLLOWUPS_CONFIG: &str = r#"
title = "staff follow-ups"
as_of = 2026-04-30
publish_staff = true

[[sources]]
path = "visits.csv"

[[orders]]
path = "orders.csv"

[coverage."投诉"]
target = 1.0
window = [0, 3]

[coverage."维修"]
target = 0.3
window = [0, 7]
visit_types = ["维修回访"]
"#;

/// TS-1 … TS-3 are assigned to 赵晓燕, TS-4 to 孙立; WX-1 to nobody.
const FOLLOWUPS_ORDERS: &str = "\
工单号,工单类型,责任部门,创建时间,完成时间,回访人
TS-1,投诉,客服部,2026-03-01,2026-03-02,赵晓燕
TS-2,投诉,客服部,2026-03-05,2026-03-06,赵晓燕
TS-3,投诉,客服部,2026-03-10,2026-03-10,赵晓燕
TS-4,投诉,客服部,2026-03-15,2026-03-16,孙立
WX-1,维修,工程部,2026-03-20,2026-03-20,
";

/// TS-1 by 赵晓燕 on day 2 (on time); TS-2 by 孙立 on day 6 (late); TS-4 by 孙立 on day 0
/// (on time); WX-1 by rule, by 欧阳明 on day 5 (on time); TS-3 only by a call nobody
/// answered, so it is missed (its window closed on 03-13).
const FOLLOWUPS_VISITS: &str = "\
回访日期,责任部门,回访类型,回访结果,满意度,关联工单,回访人
2026-03-04,客服部,投诉回访,成功,满意,TS-1,赵晓燕
2026-03-12,客服部,投诉回访,成功,满意,TS-2,孙立
2026-03-16,客服部,投诉回访,成功,非常满意,TS-4,孙立
2026-03-25,工程部,维修回访,成功,满意,,欧阳明
2026-03-26,客服部,投诉回访,未接通,,TS-3,孙立
";

/// Each row's name, visits and the three follow-up columns.
fn followup_rows(html: &Html) -> Vec<[String; 5]> {
    html.select(&sel("table tbody tr"))
        .map(|tr| {
            let cells: Vec<String> = tr
                .select(&sel("th, td"))
                .map(|c| c.text().collect::<String>().trim().to_owned())
                .collect();
            assert_eq!(cells.len(), 9, "{cells:?}");
            [&cells[0], &cells[1], &cells[6], &cells[7], &cells[8]].map(|c| c.clone())
        })
        .collect()
}

#[test]
fn follow_ups_per_staff_member_by_hand_in_the_site_and_the_archive() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("huifang.toml"), FOLLOWUPS_CONFIG).unwrap();
    std::fs::write(dir.path().join("orders.csv"), FOLLOWUPS_ORDERS).unwrap();
    std::fs::write(dir.path().join("visits.csv"), FOLLOWUPS_VISITS).unwrap();
    let o = util::huifang(dir.path(), &["build", "--quiet"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // 孙立: 3 visits; followed TS-2 (late) and TS-4 (on time): 1 of 2; assigned TS-4,
    // followed: 1 of 1. 欧阳明 and 赵晓燕 have a visit each, so by name (欧 U+6B27 before
    // 赵 U+8D75). 欧阳明: WX-1 on time; nothing assigned. 赵晓燕: TS-1 on time; assigned
    // TS-1 and TS-2 (followed, one by someone else) and TS-3 (missed): 2 of 3.
    let s = |v: [&str; 5]| v.map(str::to_owned);
    let expected = vec![
        s(["孙立", "3", "2", "50.0%", "100.0%"]),
        s(["欧阳明", "1", "1", "100.0%", "–"]),
        s(["赵晓燕", "1", "1", "100.0%", "66.7%"]),
    ];
    let page = read(&dir.path().join("public/reports/2026-03/staff/index.html"));
    assert_eq!(followup_rows(&page), expected);
    assert!(
        notes(&page).iter().any(|n| n.contains("指派工单回访率")),
        "{:?}",
        notes(&page)
    );
    // April completed no order: the follow-up columns are there, empty.
    let april = read(&dir.path().join("public/reports/2026-04/staff/index.html"));
    assert!(followup_rows(&april).is_empty());

    let file = dir.path().join("march.html");
    let o = archive(
        dir.path(),
        &["2026-03", "--staff", "-o", file.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let archived = read(&dir.path().join("march-staff.html"));
    assert_eq!(followup_rows(&archived), expected);
}
