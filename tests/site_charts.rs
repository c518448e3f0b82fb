//! The charts of a built site read the same on every page: a status keeps its colour whichever
//! other statuses a report has, the 满意率 trend draws the configured target, and data tables
//! under the charts start collapsed.

use scraper::{Html, Selector};
use std::path::Path;

/// Three months whose complaints have different statuses: 已整改 and 处理中; 待处理,
/// 暂不能解决 and 已整改; 已验证, 已整改 and 已完成.
const VISITS: &str = "回访日期,责任部门,项目,回访类型,回访方式,回访结果,满意度,问题类别,投诉等级,整改状态,整改期限,完成日期
2025-01-06,工程部,翠湖花园,投诉回访,电话,成功,满意,漏水渗水,重要,已整改,,2025-01-08
2025-01-10,保洁部,翠湖花园,投诉回访,电话,成功,一般,垃圾清运不及时,轻微,处理中,,
2025-02-03,工程部,锦绣华庭,投诉回访,电话,成功,不满意,电梯故障,重大,待处理,,
2025-02-12,工程部,锦绣华庭,投诉回访,电话,成功,一般,漏水渗水,重要,暂不能解决,,
2025-02-20,保洁部,翠湖花园,投诉回访,电话,成功,满意,垃圾清运不及时,轻微,已整改,,2025-02-21
2025-03-04,保洁部,翠湖花园,投诉回访,电话,成功,非常满意,垃圾清运不及时,轻微,已验证,,2025-03-05
2025-03-11,工程部,锦绣华庭,投诉回访,电话,成功,满意,电梯故障,重大,已整改,,2025-03-15
2025-03-18,工程部,翠湖花园,投诉回访,电话,成功,满意,漏水渗水,重要,已完成,,2025-03-19
";

fn build_site(dir: &Path) -> std::path::PathBuf {
    std::fs::write(dir.join("visits.csv"), VISITS).unwrap();
    std::fs::write(
        dir.join("huifang.toml"),
        "as_of = 2025-03-31\n[targets]\nsatisfied_rate = 0.85\n\
         [[sources]]\npath = \"visits.csv\"\n",
    )
    .unwrap();
    let out = dir.join("public");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_huifang"))
        .args(["build", "--config"])
        .arg(dir.join("huifang.toml"))
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    out
}

fn page(out: &Path, report: &str) -> String {
    std::fs::read_to_string(out.join(format!("reports/{report}/index.html"))).unwrap()
}

/// The SVG of the figure `id` on `page`, as the page writes it: an element a line.
fn chart<'p>(page: &'p str, id: &str) -> &'p str {
    let figure = &page[page.find(&format!("id=\"fig-{id}\"")).expect("figure")..];
    &figure[figure.find("<svg").unwrap()..figure.find("</svg>").unwrap()]
}

/// Each legend entry of `svg`: a 10 px swatch with its fill, and on the next line its label.
fn legend(svg: &str) -> Vec<(String, String)> {
    let lines: Vec<&str> = svg.lines().collect();
    lines
        .windows(2)
        .filter(|pair| {
            pair[0].starts_with("<rect") && pair[0].contains("width=\"10\" height=\"10\"")
        })
        .map(|pair| {
            let fill = pair[0].split("fill=\"").nth(1).unwrap()[..7].to_owned();
            let text = pair[1];
            let label = &text[text.find('>').unwrap() + 1..text.find("</text>").unwrap()];
            (label.to_owned(), fill)
        })
        .collect()
}

#[test]
fn a_status_has_the_same_colour_in_reports_with_different_statuses() {
    let tmp = tempfile::tempdir().unwrap();
    let out = build_site(tmp.path());
    let legends: Vec<Vec<(String, String)>> = ["2025-01", "2025-02", "2025-03"]
        .iter()
        .map(|id| legend(chart(&page(&out, id), "status")))
        .collect();
    let names = |l: &[(String, String)]| l.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    // Closed statuses first, then open, then unresolvable.
    assert_eq!(names(&legends[0]), ["已整改", "处理中"]);
    assert_eq!(names(&legends[1]), ["已整改", "待处理", "暂不能解决"]);
    assert_eq!(names(&legends[2]), ["已整改", "已完成", "已验证"]);
    // By role and place in the default [status] lists: 已整改 closed #1, 已完成 closed #2,
    // 已验证 closed #5 (greens); 待处理 open #1 (vermillion), 处理中 open #2 (orange);
    // 暂不能解决 unresolvable (grey).
    let expected = [
        ("已整改", "#009E73"),
        ("已完成", "#00574A"),
        ("已验证", "#B8E0C8"),
        ("待处理", "#D55E00"),
        ("处理中", "#E69F00"),
        ("暂不能解决", "#808080"),
    ];
    for legend in &legends {
        for (name, fill) in legend {
            let want = expected
                .iter()
                .find(|(n, _)| n == name)
                .expect("known status")
                .1;
            assert_eq!(fill, want, "{name}");
        }
    }
}

#[test]
fn the_trend_draws_the_target_and_data_tables_start_collapsed() {
    let tmp = tempfile::tempdir().unwrap();
    let out = build_site(tmp.path());
    let source = page(&out, "2025-03");
    let trend = chart(&source, "trend");
    assert!(trend.contains(">目标 85.0%</text>"), "{trend}");
    assert!(trend.contains("stroke-dasharray"));
    let doc = Html::parse_document(&source);
    let details = Selector::parse("figure details.chart-data").unwrap();
    let all: Vec<_> = doc.select(&details).collect();
    assert!(!all.is_empty());
    assert!(all.iter().all(|d| d.value().attr("open").is_none()));
}
