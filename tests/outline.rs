//! A report page laid out as the document a 满意度回访报告 is: a cover, the conventional parts
//! numbered in order, tables and figures numbered through the page, the commentary last with
//! its headings under the part's. Built from tests/fixtures/metrics_quarter (complaints, two
//! sites, three departments).

use crate::util::{self, huifang};
use scraper::{Html, Selector};

fn build(locale: &str, commentary: Option<&str>) -> (util::TempProject, Html) {
    let project = util::TempProject::fixture("metrics_quarter");
    let config = std::fs::read_to_string(project.config()).unwrap();
    std::fs::write(
        project.config(),
        format!("locale = \"{locale}\"\norganisation = \"翠湖物业服务有限公司\"\n{config}"),
    )
    .unwrap();
    if let Some(text) = commentary {
        std::fs::create_dir_all(project.path().join("content/reports")).unwrap();
        std::fs::write(project.path().join("content/reports/2025-Q1.md"), text).unwrap();
    }
    let out = huifang(project.path(), &["build", "-q"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page =
        std::fs::read_to_string(project.path().join("public/reports/2025-Q1/index.html")).unwrap();
    (project, Html::parse_document(&page))
}

fn texts(doc: &Html, selector: &str) -> Vec<String> {
    doc.select(&Selector::parse(selector).unwrap())
        .map(|e| e.text().collect::<String>().trim().to_owned())
        .collect()
}

#[test]
fn parts_come_in_the_conventional_order_with_tables_and_figures_numbered() {
    let (_project, doc) = build(
        "zh-CN",
        Some(
            "+++\ntitle = \"一季度回访分析\"\n+++\n## 结论\n\n满意率 {{ metric(name=\"satisfied_rate\") }}。\n",
        ),
    );
    assert_eq!(
        texts(&doc, "section.part > h2"),
        [
            "一、回访概况",
            "二、总体满意度",
            "三、各部门情况",
            "四、投诉与整改",
            "五、结论与建议"
        ]
    );
    // The commentary's own heading comes under its part's; its title is the cover's subtitle.
    assert_eq!(texts(&doc, "#part-conclusions h3"), ["结论"]);
    assert_eq!(
        texts(&doc, "header.cover .cover-subtitle"),
        ["一季度回访分析"]
    );
    assert!(
        texts(&doc, "header.cover dl.cover-facts dd").contains(&"翠湖物业服务有限公司".to_owned())
    );

    // Labels in page order: tables 表1, 表2 … and figures 图1, 图2 … each counted on its own.
    let labels = texts(&doc, "caption .label, figcaption .label");
    let tables: Vec<&String> = labels.iter().filter(|l| l.starts_with('表')).collect();
    let figures: Vec<&String> = labels.iter().filter(|l| l.starts_with('图')).collect();
    let expect = |prefix: &str, n: usize| -> Vec<String> {
        (1..=n).map(|i| format!("{prefix}{i}")).collect()
    };
    assert_eq!(
        tables,
        expect("表", tables.len()).iter().collect::<Vec<_>>()
    );
    assert_eq!(
        figures,
        expect("图", figures.len()).iter().collect::<Vec<_>>()
    );
    // The fixture has two departments rated and complaints with categories, statuses and
    // closing days: all five charts (trend, levels, Pareto, status, days to close).
    assert_eq!(figures.len(), 5);
    // 回访类型, 回访方式, the ranking, sites, sites × departments, severities, rectification.
    assert_eq!(tables.len(), 7);
    // The ranking is table 3, after the two small tables of part 一.
    assert_eq!(
        texts(&doc, "#part-departments caption")[0],
        "表3 部门满意度排名"
    );
}

#[test]
fn without_commentary_there_are_four_parts_and_in_english_they_are_numbered_in_digits() {
    let (_project, doc) = build("en", None);
    assert_eq!(
        texts(&doc, "section.part > h2"),
        [
            "1. Visits",
            "2. Overall satisfaction",
            "3. Departments",
            "4. Complaints and rectification"
        ]
    );
    assert_eq!(texts(&doc, "figcaption .label")[0], "Figure 1");
}
