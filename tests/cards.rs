//! Headline cards and report tables. `[targets]`: every card and table cell with a target says
//! met or missed, with a symbol and words; rankings say how many meet it and list low-sample
//! departments unranked. Comparisons: one for an annual report, none for a number that waits
//! for complaints to close while its period is in progress. The targets fixture
//! is tests/fixtures/metrics_quarter (its rows are worked out in tests/metrics.rs), with
//! targets added here. 2025-Q1, by hand:
//!
//! | scope  | 满意率                                   | 整改完成率            |
//! |--------|-------------------------------------------|-----------------------|
//! | 全部   | 7/9 = 77.8% < 80% ✗                       | 5/7 = 71.4% < 75% ✗   |
//! | 工程部 | #1 #6 #8 #11 of 5 = 80.0% = 80% ✓ (tie)    | #1 #2 #6 of 4 = 75% ✓ |
//! | 保洁部 | #7 #10 of 3 = 66.7% ✗                      | #4 #10 of 3 = 66.7% ≥ its own 50% ✓ |
//! | 绿化部 | #5 of 1 = 100% ✓, under min_sample 3       | no complaints: no mark |

use crate::util;

use scraper::{ElementRef, Html, Selector};

fn site() -> (util::TempProject, std::path::PathBuf) {
    let project = util::TempProject::fixture("metrics_quarter");
    let mut config = std::fs::read_to_string(project.config()).unwrap();
    config.push_str(
        "\n[targets]\nsatisfied_rate = 0.8\nclosure_rate = 0.75\n\
         [targets.departments.\"保洁部\"]\nclosure_rate = 0.5\n",
    );
    std::fs::write(project.config(), config).unwrap();
    let o = util::huifang(project.path(), &["build", "-q"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = project.path().join("public");
    (project, out)
}

fn page(path: &std::path::Path) -> Html {
    Html::parse_document(&std::fs::read_to_string(path).unwrap())
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn text(e: ElementRef<'_>) -> String {
    e.text().collect::<String>().trim().to_owned()
}

fn card<'d>(doc: &'d Html, metric: &str) -> ElementRef<'d> {
    doc.select(&sel(&format!(".kpi[data-metric='{metric}']")))
        .next()
        .unwrap_or_else(|| panic!("no card {metric}"))
}

/// The mark class of a card, if it has a target.
fn card_mark(doc: &Html, metric: &str) -> Option<String> {
    let card = card(doc, metric);
    let mark = card.select(&sel(".target")).next()?;
    let class = mark.value().attr("class").unwrap().to_owned();
    Some(format!("{class} | {}", text(mark)))
}

/// The rows of the first table whose caption is `caption`: each cell's text.
fn table(doc: &Html, caption: &str) -> Vec<Vec<String>> {
    let t = doc
        .select(&sel("table"))
        .find(|t| {
            t.select(&sel("caption"))
                .next()
                .is_some_and(|c| caption_text(c) == caption)
        })
        .unwrap_or_else(|| panic!("no table {caption}"));
    t.select(&sel("tbody tr"))
        .map(|r| r.select(&sel("td")).map(|c| text(c)).collect())
        .collect()
}

#[test]
fn cards_tables_and_rankings_mark_targets() {
    let (_project, out) = site();
    let q1 = page(&out.join("reports/2025-Q1/index.html"));
    assert_eq!(
        card_mark(&q1, "satisfaction.satisfied_rate").unwrap(),
        "target target-missed | ✗ 未达标（目标 80.0%）"
    );
    assert_eq!(
        card_mark(&q1, "rectification.closure_rate").unwrap(),
        "target target-missed | ✗ 未达标（目标 75.0%）"
    );
    assert_eq!(card_mark(&q1, "visits.contact_rate"), None, "no target");
    assert_eq!(card_mark(&q1, "visits.total"), None);

    // Ranked by 满意率; 绿化部 (1 rating, min_sample 3) after them, unranked.
    let ranking: Vec<(String, String, String)> = table(&q1, "部门满意度排名")
        .into_iter()
        .map(|r| (r[0].clone(), r[1].clone(), r[3].clone()))
        .collect();
    let expected = [
        ("1", "工程部", "80.0% ✓达标（目标 80.0%）"),
        ("2", "保洁部", "66.7% ✗未达标（目标 80.0%）"),
        ("–", "绿化部", "100.0% ✓达标（目标 80.0%）"),
    ];
    let expected: Vec<(String, String, String)> = expected
        .iter()
        .map(|(a, b, c)| ((*a).to_owned(), (*b).to_owned(), (*c).to_owned()))
        .collect();
    assert_eq!(ranking, expected);
    let notes: Vec<String> = q1.select(&sel(".table-note")).map(text).collect();
    assert!(
        notes.contains(&"2/3 个部门达到满意率目标 80.0%。".to_owned()),
        "{notes:?}"
    );
    assert!(
        notes.iter().any(|n| n.starts_with("* 有效评价少于 3 条")),
        "{notes:?}"
    );

    // 整改完成率 (the third metric column) against each department's target, in report order.
    let rect = table(&q1, "各部门整改情况");
    let closure: Vec<(&str, &str)> = rect
        .iter()
        .map(|r| (r[0].as_str(), r[3].as_str()))
        .collect();
    assert_eq!(
        closure,
        [
            ("保洁部", "66.7% ✓达标（目标 50.0%）"),
            ("工程部", "75.0% ✓达标（目标 75.0%）"),
            ("绿化部", "–"),
            ("全部", "71.4% ✗未达标（目标 75.0%）"),
        ]
    );

    // A department page marks its own targets: 保洁部 meets its 50%.
    let dir = out.join("reports/2025-Q1/departments");
    let cleaning = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| page(&e.unwrap().path().join("index.html")))
        .find(|d| text(d.select(&sel("h1")).next().unwrap()).starts_with("保洁部"))
        .unwrap();
    assert_eq!(
        card_mark(&cleaning, "rectification.closure_rate").unwrap(),
        "target target-met | ✓ 达标（目标 50.0%）"
    );
    assert_eq!(
        card_mark(&cleaning, "satisfaction.satisfied_rate").unwrap(),
        "target target-missed | ✗ 未达标（目标 80.0%）"
    );
}

/// Each trend line of a card: its label, and the change's text.
fn card_trends(doc: &Html, metric: &str) -> Vec<String> {
    let card = card(doc, metric);
    card.select(&sel(".trend")).map(text).collect()
}

fn card_basis(doc: &Html, metric: &str) -> Option<String> {
    let card = card(doc, metric);
    card.select(&sel(".kpi-basis")).next().map(text)
}

#[test]
fn comparisons_are_made_once_and_only_when_fair() {
    // The fixture with as-of 03-20: March and the quarter are in progress.
    let project = util::TempProject::fixture("metrics_quarter");
    let config = std::fs::read_to_string(project.config()).unwrap();
    let config = config.replace("as_of = 2025-03-31", "as_of = 2025-03-20");
    std::fs::write(project.config(), config).unwrap();
    let o = util::huifang(project.path(), &["build", "-q"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = project.path().join("public/reports");
    let march = page(&out.join("2025-03/index.html"));
    // February 1/2 closed, March 1/2: not compared; 满意率 is (100% both: ▬ ±0.0).
    assert_eq!(
        card_trends(&march, "rectification.closure_rate"),
        Vec::<String>::new()
    );
    assert_eq!(
        card_basis(&march, "rectification.closure_rate").unwrap(),
        "按 2025年3月20日 的状态计；本期进行中，不作比较"
    );
    assert_eq!(
        card_trends(&march, "satisfaction.satisfied_rate"),
        ["环比 ▬ ±0.0 个百分点"]
    );
    assert_eq!(
        card_basis(&march, "rectification.open_at_end").unwrap(),
        "按期末 2025年3月20日 计"
    );
    assert_eq!(card_basis(&march, "visits.total"), None);
    // February is complete: January closed all 3 (100%), February 1/2 → −50 points.
    let feb = page(&out.join("2025-02/index.html"));
    assert_eq!(
        card_trends(&feb, "rectification.closure_rate"),
        ["环比 ▼ -50.0 个百分点"]
    );
    assert_eq!(
        card_basis(&feb, "rectification.closure_rate").unwrap(),
        "按 2025年3月20日 的状态计"
    );
    let notes: Vec<String> = march.select(&sel(".table-note")).map(text).collect();
    assert!(
        notes.iter().any(|n| n.starts_with("本期尚未结束")),
        "{notes:?}"
    );
    let notes: Vec<String> = feb.select(&sel(".table-note")).map(text).collect();
    assert!(
        !notes.iter().any(|n| n.starts_with("本期尚未结束")),
        "{notes:?}"
    );
}

#[test]
fn an_annual_report_compares_with_the_year_before_once() {
    // Two years: 2024-06 and 2025-06, one satisfied visit each plus, in 2025, an unsatisfied
    // one: 满意率 100% → 50%, −50 points, shown once as 同比.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("huifang.toml"),
        "as_of = 2025-12-31\nmin_sample = 1\n[[sources]]\npath = \"visits.csv\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("visits.csv"),
        "回访日期,责任部门,满意度\n2024-06-03,工程部,满意\n2025-06-03,工程部,满意\n2025-06-04,工程部,不满意\n",
    )
    .unwrap();
    let o = util::huifang(dir.path(), &["build", "-q"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let year = page(&dir.path().join("public/reports/2025/index.html"));
    assert_eq!(
        card_trends(&year, "satisfaction.satisfied_rate"),
        ["同比 ▼ -50.0 个百分点"]
    );
    let head: Vec<String> = year.select(&sel("table th")).map(text).collect();
    assert!(
        head.contains(&"同比".to_owned()) && !head.contains(&"环比".to_owned()),
        "{head:?}"
    );
    let quarter = page(&dir.path().join("public/reports/2025-Q2/index.html"));
    // The previous quarter (2025-Q1) has no ratings: only the year-ago comparison.
    assert_eq!(
        card_trends(&quarter, "satisfaction.satisfied_rate"),
        ["同比 ▼ -50.0 个百分点"]
    );
}

#[test]
fn the_home_page_lists_what_needs_attention_in_the_last_finished_month() {
    // March (as-of 03-31, finished), against the targets above and against February.
    // Missed: 整改完成率 全部 #10 of #8 #10 = 50%; 工程部 #8 open, 0/1; 锦绣华庭 (#8, #10) 50%.
    // 保洁部 closed #10: 100% ≥ 50%. 满意率: 全部 3/3; 工程部 and 保洁部 under min_sample.
    // Fell by 5 points or more: 回访成功率 全部 100% (#5 #6 #7) → 3/4 (#9 拒访) = 75%;
    // 工程部 100% (#6) → 2/3 (#8 #11 of #8 #9 #11); 整改完成率 工程部 100% (#6) → 0%.
    // Oldest open: the ids are file and line (row #n is line n + 1), the fixture having no id
    // column.
    let (_project, out) = site();
    let home = page(&out.join("index.html"));
    let block = home.select(&sel(".attention")).next().unwrap();
    assert_eq!(
        text(block.select(&sel("h2")).next().unwrap()),
        "需要关注 · 2025年3月"
    );
    let lists: Vec<Vec<String>> = block
        .select(&sel("ul"))
        .map(|ul| ul.select(&sel("li")).map(text).collect())
        .collect();
    assert_eq!(
        lists,
        [
            vec![
                "全部：整改完成率 50.0%（目标 75.0%）",
                "工程部：整改完成率 0.0%（目标 75.0%）",
                "锦绣华庭：整改完成率 50.0%（目标 75.0%）",
            ],
            vec![
                "全部：回访成功率 75.0%（-25.0 个百分点）",
                "工程部：回访成功率 66.7%（-33.3 个百分点）；整改完成率 0.0%（-100.0 个百分点）",
            ],
            // Open on 03-31: #7 since 02-28 (31 days), #8 since 03-03 (28 days).
            vec![
                "visits.csv:8（2025年2月28日，翠湖花园、保洁部、公共区域卫生）：已 31 天未结案，处理中",
                "visits.csv:9（2025年3月3日，锦绣华庭、工程部、电梯故障）：已 28 天未结案，待处理",
            ],
        ]
    );
    let headings: Vec<String> = block.select(&sel("h3")).map(text).collect();
    assert_eq!(headings[2], "最久未结的投诉（截至 2025年3月31日）");
}

/// A caption's text without its number ("表3 "), which depends on what else the report shows.
fn caption_text(caption: ElementRef<'_>) -> String {
    let label: String = caption
        .select(&sel(".label"))
        .flat_map(|l| l.text())
        .collect();
    let all = text(caption);
    all.strip_prefix(label.as_str())
        .unwrap_or(&all)
        .trim()
        .to_owned()
}
