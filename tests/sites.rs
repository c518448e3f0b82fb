//! Sites (项目) as first-class, on tests/fixtures/sites: a page per site in each report, a
//! history page per site, the site × department matrix, slugs from `[[sites]]` or from the
//! name, aliases merging two spellings, and personal names masked. Every expected number is
//! worked out below from the fixture's twelve rows (as of 2026-03-31, no contact column, so
//! every visit is contacted):
//!
//! | row | date  | dept   | site (as written) | rating   | complaint | status, deadline, closed |
//! |-----|-------|--------|-------------------|----------|-----------|--------------------------|
//! | r1  | 02-10 | 工程部 | 翠湖花园          | 满意     | 漏水 重要 | 已整改, 02-13, 02-12     |
//! | r2  | 02-20 | 工程部 | 翠湖              | 不满意   | 电梯 重要 | 处理中, 02-23, –         |
//! | r3  | 02-15 | 客服部 | 锦绣华庭          | 非常满意 |           |                          |
//! | r4  | 03-02 | 工程部 | 翠湖花园          | 满意     |           |                          |
//! | r5  | 03-05 | 工程部 | 翠湖              | 一般     | 噪音 轻微 | 已整改, 03-07, 03-10     |
//! | r6  | 03-08 | 客服部 | 翠湖花园          | 非常满意 |           |                          |
//! | r7  | 03-09 | 客服部 | 翠湖花园          | 不满意   | 态度 轻微 | 待处理, 03-11, –         |
//! | r8  | 03-12 | 工程部 | 锦绣华庭          | 满意     |           |                          |
//! | r9  | 03-15 | 客服部 | 锦绣华庭          | 满意     | 收费 重要 | 已整改, 03-18, 03-16     |
//! | r10 | 03-20 | 客服部 | 13812345678       | 满意     |           |                          |
//! | r11 | 03-21 | 工程部 | (none)            | 满意     |           |                          |
//! | r12 | 03-22 | 工程部 | 王先生            | 一般     |           |                          |
//!
//! Overdue: r2 (open past 02-23), r5 (closed 03-10 after 03-07), r7 (open past 03-11); r1 and
//! r9 closed in time. Open at the end of February: r2; of March: r2, r7.

use crate::util;

use scraper::{ElementRef, Html, Selector};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The fixture's site, built once for all tests of this file.
fn site() -> &'static Path {
    static SITE: OnceLock<(util::TempProject, PathBuf)> = OnceLock::new();
    let (_, out) = SITE.get_or_init(|| {
        let project = util::TempProject::fixture("sites");
        let o = util::huifang(project.path(), &["build", "--quiet"]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let out = project.path().join("public");
        (project, out)
    });
    out
}

fn page(path: &str) -> Html {
    let file = site().join(path);
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{path}: {e}"));
    Html::parse_document(&text)
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn text(el: ElementRef<'_>) -> String {
    el.text().collect::<String>().trim().to_owned()
}

/// The table captioned `caption`: its head, then each row's cell texts.
fn table(doc: &Html, caption: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let table = doc
        .select(&sel("table"))
        .find(|t| {
            t.select(&sel("caption"))
                .next()
                .map(caption_text)
                .as_deref()
                == Some(caption)
        })
        .unwrap_or_else(|| panic!("no table captioned {caption}"));
    let head = table.select(&sel("thead th")).map(text).collect();
    let rows = table
        .select(&sel("tbody tr"))
        .map(|tr| tr.select(&sel("td")).map(text).collect())
        .collect();
    (head, rows)
}

/// The link targets in the first and the last cell of each row of the table captioned
/// `caption`.
fn row_links(doc: &Html, caption: &str) -> Vec<(String, Option<String>)> {
    let table = doc
        .select(&sel("table"))
        .find(|t| {
            t.select(&sel("caption"))
                .next()
                .map(caption_text)
                .as_deref()
                == Some(caption)
        })
        .unwrap();
    let href = |td: Option<ElementRef<'_>>| {
        td.and_then(|td| td.select(&sel("a")).next())
            .and_then(|a| a.value().attr("href").map(str::to_owned))
    };
    table
        .select(&sel("tbody tr"))
        .map(|tr| {
            let cells: Vec<ElementRef<'_>> = tr.select(&sel("td")).collect();
            (
                href(cells.first().copied()).expect("the first cell links"),
                href(cells.last().copied()),
            )
        })
        .collect()
}

fn kpi(doc: &Html, metric: &str) -> String {
    let s = sel(&format!(".kpi[data-metric=\"{metric}\"]"));
    let k = doc
        .select(&s)
        .next()
        .unwrap_or_else(|| panic!("no {metric}"));
    k.value().attr("data-value").unwrap().to_owned()
}

fn metrics(id: &str) -> Value {
    metrics_of(site(), id)
}

/// The metrics.json of report `id` in the site at `out`.
fn metrics_of(out: &Path, id: &str) -> Value {
    let path = out.join(format!("reports/{id}/metrics.json"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// FNV-1a of the name, as the slug of a name that is not plain ASCII ends (a second,
/// independent spelling of the published algorithm).
fn hashed(prefix: &str, name: &str) -> String {
    let mut h: u32 = 0x811c_9dc5;
    for b in name.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    format!("{prefix}-{h:08x}")
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn sites_take_slug_and_order_from_the_config_and_others_follow_by_name() {
    let m = metrics("2026-03");
    let sites: Vec<(&str, &str)> = m["sites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["name"].as_str().unwrap(), s["slug"].as_str().unwrap()))
        .collect();
    // Listed first, in the config's order (锦绣华庭 before 翠湖花园, though it sorts after);
    // then the unlisted, by name ("1" sorts before any Chinese character), their names masked
    // before their slugs are made.
    let phone = hashed("site", "138****5678");
    let person = hashed("site", "王**");
    assert_eq!(
        sites,
        [
            ("锦绣华庭", "jinxiu"),
            ("翠湖花园", "cuihu"),
            ("138****5678", phone.as_str()),
            ("王**", person.as_str()),
        ]
    );
    let departments: Vec<&str> = m["departments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["slug"].as_str().unwrap())
        .collect();
    assert_eq!(
        departments,
        ["engineering", hashed("dept", "客服部").as_str()]
    );
    for slug in ["jinxiu", "cuihu", phone.as_str(), person.as_str()] {
        assert!(
            site()
                .join(format!("reports/2026-03/sites/{slug}/index.html"))
                .is_file()
        );
        assert!(site().join(format!("sites/{slug}/index.html")).is_file());
    }
}

#[test]
fn an_alias_merges_two_spellings_into_one_site() {
    // r1, r2, r4, r5 are 工程部's at 翠湖花园, two of them written 翠湖: one site of 6 visits
    // in the quarter (r1, r2, r4–r7), none named 翠湖.
    let q1 = metrics("2026-Q1");
    let names: Vec<&str> = q1["sites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert!(!names.contains(&"翠湖"), "{names:?}");
    let cuihu = q1["sites"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["slug"] == "cuihu")
        .unwrap();
    assert_eq!(cuihu["visits"]["total"], 6);
    assert_eq!(cuihu["complaints"]["total"], 4);
}

#[test]
fn a_site_page_shows_the_sites_numbers_and_its_departments() {
    let doc = page("reports/2026-03/sites/cuihu/index.html");
    // 翠湖花园 in March: r4–r7. Ratings 满意, 一般, 非常满意, 不满意: 2 of 4 satisfied.
    // Complaints r5 (closed, late) and r7 (open, late); open at the end: r2 (carried over
    // from February) and r7.
    let expected = [
        ("visits.total", "4"),
        ("visits.contact_rate", "1"),
        ("satisfaction.satisfied_rate", "0.5"),
        ("complaints.total", "2"),
        ("rectification.closure_rate", "0.5"),
        ("rectification.overdue", "2"),
        ("rectification.open_at_end", "2"),
    ];
    for (metric, value) in expected {
        assert_eq!(kpi(&doc, metric), value, "{metric}");
    }
    let h1 = doc.select(&sel("h1")).next().map(text).unwrap();
    assert_eq!(h1, "翠湖花园 · 2026年3月");
    // 工程部: r4 (满意), r5 (一般; complaint closed late), and r2 still open → 1 open.
    // 客服部: r6 (非常满意), r7 (不满意; complaint open, late) → 1 open.
    let (head, rows) = table(&doc, "分部门情况");
    assert_eq!(
        head,
        strings(&[
            "部门",
            "回访量",
            "评价数",
            "满意率",
            "投诉",
            "整改完成率",
            "超期",
            "期末遗留"
        ])
    );
    assert_eq!(
        rows,
        [
            strings(&["工程部", "2", "2", "50.0%", "1", "100.0%", "1", "1"]),
            strings(&["客服部", "2", "2", "50.0%", "1", "0.0%", "1", "1"]),
        ]
    );
    // The sections of a department page are there too: statuses and the latest comments
    // (none in this fixture, so no comments table).
    let (_, statuses) = table(&doc, "整改情况");
    let count = |status: &str| {
        statuses
            .iter()
            .find(|r| r[0] == status)
            .map(|r| r[1].clone())
    };
    assert_eq!(count("已整改").as_deref(), Some("1"));
    assert_eq!(count("待处理").as_deref(), Some("1"));
    assert!(doc.select(&sel("figure svg, svg")).next().is_some());
}

#[test]
fn the_matrix_shows_complaints_and_those_still_open_per_site_and_department() {
    // March: 锦绣华庭 has r8 (工程部, no complaint) and r9 (客服部, closed); 翠湖花园 as on its
    // page; 138****5678 only r10 (客服部) and 王** only r12 (工程部): blank elsewhere.
    let doc = page("reports/2026-03/index.html");
    let (head, rows) = table(&doc, "各项目分部门投诉情况");
    assert_eq!(head, strings(&["项目", "工程部", "客服部"]));
    assert_eq!(
        rows,
        [
            strings(&["锦绣华庭", "0", "1"]),
            strings(&["翠湖花园", "1（未完成 1）", "1（未完成 1）"]),
            strings(&["138****5678", "", "0"]),
            strings(&["王**", "0", ""]),
        ]
    );
    // The quarter: 工程部 at 翠湖花园 has r1, r2, r5 (r2 open); 锦绣华庭's 客服部 adds r3.
    let doc = page("reports/2026-Q1/index.html");
    let (_, rows) = table(&doc, "各项目分部门投诉情况");
    assert_eq!(
        rows[1],
        strings(&["翠湖花园", "3（未完成 1）", "1（未完成 1）"])
    );
    assert_eq!(rows[0], strings(&["锦绣华庭", "0", "1"]));
    // February: only 翠湖花园 (r1, r2) and 锦绣华庭 (r3, 客服部).
    let doc = page("reports/2026-02/index.html");
    let (_, rows) = table(&doc, "各项目分部门投诉情况");
    assert_eq!(
        rows,
        [
            strings(&["锦绣华庭", "", "0"]),
            strings(&["翠湖花园", "2（未完成 1）", ""]),
        ]
    );
}

#[test]
fn matrix_cells_add_up_to_their_site() {
    // A second way to the same numbers: each site's cells sum to the site's own totals.
    for id in ["2026-02", "2026-03", "2026-Q1", "2026"] {
        let m = metrics(id);
        for s in m["sites"].as_array().unwrap() {
            let cells = s["by_department"].as_array().unwrap();
            let sum = |key: &str| cells.iter().map(|c| c[key].as_u64().unwrap()).sum::<u64>();
            assert_eq!(sum("visits"), s["visits"]["total"].as_u64().unwrap());
            assert_eq!(
                sum("complaints"),
                s["complaints"]["total"].as_u64().unwrap()
            );
            let open = s["rectification"]["open_at_end"].as_u64().unwrap();
            assert_eq!(sum("open_at_end"), open, "{id} {}", s["name"]);
        }
    }
}

#[test]
fn a_site_history_has_a_row_per_period_linked_to_its_page() {
    let doc = page("sites/cuihu/index.html");
    let h1 = doc.select(&sel("h1")).next().map(text).unwrap();
    assert_eq!(h1, "翠湖花园 · 历年数据");
    // February: r1, r2 — 1 of 2 satisfied, 2 complaints, 1 closed, r2 overdue and open.
    // March as on the site page; the quarter and the year: r1, r2, r4–r7 — 3 of 6 satisfied,
    // 4 complaints, 2 closed, 3 overdue (r2, r5, r7), 2 open (r2, r7).
    let columns = [
        "期间",
        "回访量",
        "满意率",
        "评价数",
        "投诉",
        "整改完成率",
        "超期",
        "期末遗留",
    ];
    let (head, months) = table(&doc, "月度");
    assert_eq!(head, strings(&columns));
    let numbers = |rows: &[Vec<String>]| -> Vec<Vec<String>> {
        rows.iter().map(|r| r[1..].to_vec()).collect()
    };
    assert_eq!(
        numbers(&months),
        [
            strings(&["4", "50.0%", "4", "2", "50.0%", "2", "2"]),
            strings(&["2", "50.0%", "2", "2", "50.0%", "1", "1"]),
        ]
    );
    let (_, quarters) = table(&doc, "季度");
    assert_eq!(
        numbers(&quarters),
        [strings(&["6", "50.0%", "6", "4", "50.0%", "3", "2"])]
    );
    let (_, years) = table(&doc, "年度");
    assert_eq!(numbers(&years), numbers(&quarters));
    let links: Vec<String> = row_links(&doc, "月度").into_iter().map(|l| l.0).collect();
    assert_eq!(
        links,
        [
            "../../reports/2026-03/sites/cuihu/index.html",
            "../../reports/2026-02/sites/cuihu/index.html"
        ]
    );
}

#[test]
fn site_names_link_to_the_site_page_and_its_history() {
    let doc = page("reports/2026-03/index.html");
    let person = hashed("site", "王**");
    let links = row_links(&doc, "项目");
    assert_eq!(links.len(), 4);
    assert_eq!(
        links[1],
        (
            "../../reports/2026-03/sites/cuihu/index.html".to_owned(),
            Some("../../sites/cuihu/index.html".to_owned())
        )
    );
    assert_eq!(
        links[3].0,
        format!("../../reports/2026-03/sites/{person}/index.html")
    );
    let matrix = row_links(&doc, "各项目分部门投诉情况");
    assert_eq!(matrix[0].0, "../../reports/2026-03/sites/jinxiu/index.html");
    // The site page leads back to its report and on to its history; its department rows to
    // the departments' pages of the same report.
    let doc = page("reports/2026-03/sites/cuihu/index.html");
    let crumbs: Vec<&str> = doc
        .select(&sel(".breadcrumbs a"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(
        crumbs,
        [
            "../../../../index.html",
            "../../../../reports/2026-03/index.html",
            "../../../../sites/cuihu/index.html"
        ]
    );
    let departments: Vec<String> = row_links(&doc, "分部门情况")
        .into_iter()
        .map(|l| l.0)
        .collect();
    let kefu = hashed("dept", "客服部");
    assert_eq!(
        departments,
        [
            "../../../../reports/2026-03/departments/engineering/index.html".to_owned(),
            format!("../../../../reports/2026-03/departments/{kefu}/index.html"),
        ]
    );
    // Every link of every site page and site history resolves.
    for entry in walkdir::WalkDir::new(site()) {
        let path = entry.unwrap().into_path();
        let rel = path
            .strip_prefix(site())
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if !(rel.starts_with("sites/") || rel.contains("/sites/")) || !rel.ends_with(".html") {
            continue;
        }
        let doc = Html::parse_document(&std::fs::read_to_string(&path).unwrap());
        for a in doc.select(&sel("a[href]")) {
            let href = a.value().attr("href").unwrap();
            let file = href.split('#').next().unwrap();
            if !file.is_empty() {
                let target = path.parent().unwrap().join(file);
                assert!(target.is_file(), "{rel}: {href}");
            }
        }
    }
}

#[test]
fn personal_site_names_are_masked_everywhere() {
    let mut seen_masked = false;
    for (path, bytes) in util::tree(site()) {
        let text = String::from_utf8_lossy(&bytes);
        for raw in ["13812345678", "王先生"] {
            assert!(!text.contains(raw), "{path:?} holds {raw}");
        }
        seen_masked |= text.contains("138****5678") && text.contains("王**");
    }
    assert!(seen_masked, "the masked names are shown");
}

#[test]
fn a_site_listed_twice_or_a_slug_used_twice_is_a_config_error() {
    let parse = |sites: &str| {
        let text = format!("[[sources]]\npath = \"data\"\n{sites}");
        huifang::config::Config::parse(&text, Path::new("huifang.toml"))
            .err()
            .map(|e| e.to_string())
    };
    let twice = "[[sites]]\nname = \"翠湖花园\"\naliases = [\"翠湖\"]\n\
                 [[sites]]\nname = \"翠湖\"\n";
    let e = parse(twice).expect("an error");
    assert!(e.contains("sites: `翠湖` is listed twice"), "{e}");
    let slug = "[[sites]]\nname = \"翠湖花园\"\nslug = \"a\"\n\
                [[sites]]\nname = \"锦绣华庭\"\nslug = \"a\"\n";
    let e = parse(slug).expect("an error");
    assert!(e.contains("sites: slug `a` is used twice"), "{e}");
    // Names are folded as cells are: a full-width bracket in the config meets the data's.
    let ok = "[[sites]]\nname = \"翠湖花园（一期）\"\n";
    let config = huifang::config::Config::parse(
        &format!("[[sources]]\npath = \"data\"\n{ok}"),
        Path::new("huifang.toml"),
    )
    .unwrap();
    assert_eq!(config.sites[0].name, "翠湖花园(一期)");
}

#[test]
fn a_snapshot_is_masked_in_its_cells_too() {
    // Reports read back from snapshots are masked again by the current rules: a department
    // name in a site's cell as an older build may have written it.
    let (mut reports, _) = util::reports("sites");
    let march = reports
        .iter_mut()
        .find(|r| r.period.id == "2026-03")
        .unwrap();
    march.sites.make_mut()[1].by_department[0].department = "13812345678".into();
    // The same text again: masked once, and both places take the masked text.
    march.sites.make_mut()[2].by_department[0].department = "13812345678".into();
    let kept = march.sites.entity(0).name.clone();
    assert!(march.mask_text());
    let sites = march.sites.list();
    assert_eq!(sites[1].by_department[0].department, "138****5678");
    assert_eq!(sites[2].by_department[0].department, "138****5678");
    assert_eq!(
        sites[0].entity.name, kept,
        "a name with nothing to mask stays"
    );
    assert!(!march.mask_text(), "masking twice changes nothing");
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

#[test]
fn a_matrix_of_more_than_forty_departments_is_a_note_not_a_table() {
    // February: 40 departments (部门01 … 部门40) each with one visit at 甲项目, a complaint by
    // 部门01 among them; March: a 41st department joins. The matrix of February has 40
    // department columns; March's would have 41 and is left out, said in a note, while the
    // site's own page still lists all 41 departments.
    let project = tempfile::tempdir().unwrap();
    let mut csv = String::from(
        "回访日期,责任部门,项目,满意度,问题类别,投诉等级,整改状态,整改期限,完成日期\n",
    );
    for n in 1..=40 {
        let complaint = if n == 1 {
            "漏水,一般,已整改,2026-02-20,2026-02-12"
        } else {
            ",,,,"
        };
        csv.push_str(&format!("2026-02-10,部门{n:02},甲项目,满意,{complaint}\n"));
    }
    for n in 1..=41 {
        csv.push_str(&format!("2026-03-10,部门{n:02},甲项目,满意,,,,,\n"));
    }
    std::fs::write(project.path().join("visits.csv"), csv).unwrap();
    std::fs::write(
        project.path().join("huifang.toml"),
        "as_of = 2026-03-31\n\n[[sources]]\npath = \"visits.csv\"\n",
    )
    .unwrap();
    let o = util::huifang(project.path(), &["build", "--quiet"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let read = |path: &str| {
        let file = project.path().join("public").join(path);
        Html::parse_document(&std::fs::read_to_string(file).unwrap())
    };

    let february = read("reports/2026-02/index.html");
    let (head, rows) = table(&february, "各项目分部门投诉情况");
    assert_eq!(head.len(), 41);
    assert_eq!((head[1].as_str(), head[40].as_str()), ("部门01", "部门40"));
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0][1].as_str(), rows[0][2].as_str()), ("1", "0"));

    let march = read("reports/2026-03/index.html");
    let captions: Vec<String> = march.select(&sel("caption")).map(caption_text).collect();
    assert!(
        !captions.iter().any(|c| c == "各项目分部门投诉情况"),
        "{captions:?}"
    );
    let notes: Vec<String> = march.select(&sel("p.note")).map(text).collect();
    assert!(
        notes
            .iter()
            .any(|n| n.starts_with("本期有 41 个部门有记录，多于 40 个部门时不列")),
        "{notes:?}"
    );
    // Nor are the per-department charts drawn: one sentence says so; February's are.
    assert!(
        notes
            .iter()
            .any(|n| n.starts_with("本期有 41 个部门，多于 40 个部门时不画分部门的图")),
        "{notes:?}"
    );
    let figures =
        |doc: &Html| -> Vec<String> { doc.select(&sel("figure figcaption")).map(text).collect() };
    let per_department = |caps: &[String]| caps.iter().filter(|c| c.contains("满意度分布")).count();
    assert_eq!(per_department(&figures(&march)), 0, "{:?}", figures(&march));
    assert_eq!(
        per_department(&figures(&february)),
        1,
        "{:?}",
        figures(&february)
    );
    let site_slug = metrics_of(&project.path().join("public"), "2026-03")["sites"][0]["slug"]
        .as_str()
        .unwrap()
        .to_owned();
    let site = read(&format!("reports/2026-03/sites/{site_slug}/index.html"));
    let (_, rows) = table(&site, "分部门情况");
    assert_eq!(rows.len(), 41);
}
