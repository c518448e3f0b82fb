//! Household coverage (走访覆盖率) on tests/fixtures/households: 翠湖苑 with 4 households and
//! 锦绣园 with 3 (`[[sites]] households`), 枫林居 without a count, and one row without a site;
//! as of 2026-12-31, target 50 %. "Reached" is 回访结果 成功; 未接通 is a visit that did not
//! reach the customer and counts for no household.
//!
//! | date  | site   | 房号          | result | household                                  |
//! |-------|--------|---------------|--------|--------------------------------------------|
//! | 01-05 | 翠湖苑 | 1栋1101        | 成功   | A                                          |
//! | 01-05 | 翠湖苑 | 1栋1101        | 成功   | A again, the same day                      |
//! | 02-10 | 翠湖苑 | 1栋1102        | 未接通 | B, not reached                             |
//! | 03-15 | 锦绣园 | 1栋1101        | 成功   | A' (A's 房号 in another site: another door) |
//! | 03-20 | 翠湖苑 | 2栋2201        | 成功   | C                                          |
//! | 04-02 | 翠湖苑 | 1栋1102        | 成功   | B                                          |
//! | 05-05 | 枫林居 | 5栋5501        | 成功   | G                                          |
//! | 06-30 | 锦绣园 | 3栋3301        | 成功   | E                                          |
//! | 06-30 | 锦绣园 | 3栋3302        | 未接通 | F, not reached                             |
//! | 07-07 | 枫林居 | `5栋 5501`     | 成功   | G (a space typed in)                       |
//! | 08-08 | 翠湖苑 | `２栋２２０１` | 成功   | C (typed full width)                       |
//! | 09-09 | 锦绣园 | 3栋3302        | 成功   | F                                          |
//! | 10-10 | 翠湖苑 | 1栋1102        | 成功   | B                                          |
//! | 10-10 | 翠湖苑 | (blank)       | 成功   | none: a visit, no household                |
//! | 11-11 | 锦绣园 | 1栋1101        | 成功   | A'                                         |
//! | 12-01 | (none) | 9栋9909        | 成功   | H, in no site                              |
//!
//! Households reached per quarter (the organisation's rate counts 翠湖苑 and 锦绣园, 7 households):
//! - Q1: 翠湖苑 A, C: 2/4 = 50 %; 锦绣园 A': 1/3; all 3, counted 3: 3/7 = .4286.
//! - Q2: 翠湖苑 B: 1/4; 锦绣园 E: 1/3; 枫林居 G; all 3, counted 2: 2/7 = .2857.
//! - Q3: 翠湖苑 C: 1/4; 锦绣园 F: 1/3; 枫林居 G; all 3, counted 2: 2/7.
//! - Q4: 翠湖苑 B: 1/4; 锦绣园 A': 1/3; H; all 3, counted 2: 2/7.
//!
//! The year: 翠湖苑 A (one day: 01-05 twice), B (04-02, 10-10), C (03-20, 08-08): 3/4, twice
//! 2/4; 锦绣园 A' (03-15, 11-11), E, F: 3/3, twice 1/3; 枫林居 G (05-05, 07-07): 1, twice 1;
//! H: 1. All 8, counted 6: 6/7 = .8571; twice all 4, counted 3: 3/7 = .4286.

use crate::util;

use scraper::{ElementRef, Html, Selector};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The fixture's project after one build, shared by the tests of this file.
fn built() -> &'static Path {
    static PROJECT: OnceLock<util::TempProject> = OnceLock::new();
    PROJECT
        .get_or_init(|| {
            let project = util::TempProject::fixture("households");
            let o = util::huifang(project.path(), &["build", "--quiet"]);
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
            project
        })
        .path()
}

fn metrics(id: &str) -> Value {
    let path = built().join(format!("public/reports/{id}/metrics.json"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The `households` object of a site by name, or `Value::Null` when it has none.
fn site(m: &Value, name: &str) -> Value {
    let sites = m["sites"].as_array().unwrap();
    let s = sites.iter().find(|s| s["name"] == name);
    s.unwrap_or_else(|| panic!("no site {name}"))["households"].clone()
}

#[test]
fn each_quarter_counts_households_reached_against_each_site_s_count() {
    let quarter = |visited: u64, total: Option<u64>, coverage: Option<f64>| match total {
        Some(total) => json!({
            "visited": visited,
            "total": total,
            "visited_of_total": visited,
            "coverage": coverage,
        }),
        None => json!({ "visited": visited }),
    };
    let third = Some(0.3333);
    let m = metrics("2026-Q1");
    assert_eq!(site(&m, "翠湖苑"), quarter(2, Some(4), Some(0.5)));
    assert_eq!(site(&m, "锦绣园"), quarter(1, Some(3), third));
    let overall = json!({"visited": 3, "total": 7, "visited_of_total": 3, "coverage": 0.4286});
    assert_eq!(m["overall"]["households"], overall);
    for id in ["2026-Q2", "2026-Q3", "2026-Q4"] {
        let m = metrics(id);
        assert_eq!(site(&m, "翠湖苑"), quarter(1, Some(4), Some(0.25)), "{id}");
        assert_eq!(site(&m, "锦绣园"), quarter(1, Some(3), third), "{id}");
        let overall = json!({"visited": 3, "total": 7, "visited_of_total": 2, "coverage": 0.2857});
        assert_eq!(m["overall"]["households"], overall, "{id}");
    }
    // A site without a count shows its households, and no rate.
    assert_eq!(site(&metrics("2026-Q2"), "枫林居"), quarter(1, None, None));
}

/// A counted site's year: visited and visited twice, against `total`.
fn counted_year(visited: u64, twice: u64, total: u64) -> Value {
    let rate = |n: u64| (n as f64 / total as f64 * 10_000.0).round() / 10_000.0;
    json!({
        "visited": visited, "total": total, "visited_of_total": visited, "coverage": rate(visited),
        "visited_twice": twice, "visited_twice_of_total": twice, "twice_rate": rate(twice),
    })
}

#[test]
fn the_year_counts_households_reached_on_two_different_days() {
    let m = metrics("2026");
    // 3/4 = .75 and 2/4 = .5; 3/3 = 1 and 1/3 = .3333.
    let counted = [
        (
            "翠湖苑",
            counted_year(3, 2, 4),
            "A's two visits on one day are one",
        ),
        (
            "锦绣园",
            counted_year(3, 1, 3),
            "F's unreached visit is no second one",
        ),
    ];
    for (name, expected, why) in counted {
        assert_eq!(site(&m, name), expected, "{name}: {why}");
    }
    assert_eq!(counted_year(3, 1, 3)["twice_rate"], 0.3333);
    let expected = json!({"visited": 1, "visited_twice": 1});
    assert_eq!(site(&m, "枫林居"), expected, "`5栋 5501` is 5栋5501");
    let expected = json!({
        "visited": 8, "total": 7, "visited_of_total": 6, "coverage": 0.8571,
        "visited_twice": 4, "visited_twice_of_total": 3, "twice_rate": 0.4286,
    });
    assert_eq!(m["overall"]["households"], expected);
}

#[test]
fn a_month_counts_households_visited_and_no_rate() {
    let m = metrics("2026-01");
    assert_eq!(site(&m, "翠湖苑"), json!({"visited": 1}));
    assert_eq!(m["overall"]["households"], json!({"visited": 1}));
    // February's one keyed visit did not reach B: none visited, which is said.
    let m = metrics("2026-02");
    assert_eq!(site(&m, "翠湖苑"), json!({"visited": 0}));
    let m = metrics("2026-10");
    assert_eq!(
        site(&m, "翠湖苑"),
        json!({"visited": 1}),
        "the row without 房号"
    );
}

#[test]
fn departments_have_no_household_numbers() {
    for id in ["2026-03", "2026-Q1", "2026"] {
        let m = metrics(id);
        for d in m["departments"].as_array().unwrap() {
            assert_eq!(d.get("households"), None, "{id} {}", d["name"]);
        }
    }
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn text(el: ElementRef<'_>) -> String {
    el.text().collect::<String>().trim().to_owned()
}

/// The rows of the table whose caption ends with `caption`, as cell texts.
fn rows(page: &str, caption: &str) -> Vec<Vec<String>> {
    let html = std::fs::read_to_string(built().join("public").join(page)).unwrap();
    let doc = Html::parse_document(&html);
    let table = doc
        .select(&sel("table"))
        .find(|t| {
            t.select(&sel("caption"))
                .next()
                .map(text)
                .is_some_and(|c| c.ends_with(caption))
        })
        .unwrap_or_else(|| panic!("{page}: no table {caption}"));
    table
        .select(&sel("tbody tr"))
        .map(|tr| tr.select(&sel("td")).map(text).collect())
        .collect()
}

#[test]
fn the_report_page_tables_each_site_against_the_target() {
    let quarter = rows("reports/2026-Q1/index.html", "走访覆盖率");
    let cuihu = &quarter[0];
    assert_eq!(cuihu[..3], ["翠湖苑", "2", "4"]);
    assert!(cuihu[3].starts_with("50.0%"), "{cuihu:?}");
    assert!(
        cuihu[3].contains('✓'),
        "50 % meets the target of 50 %: {cuihu:?}"
    );
    let jinxiu = &quarter[1];
    assert!(
        jinxiu[3].starts_with("33.3%") && jinxiu[3].contains('✗'),
        "{jinxiu:?}"
    );
    assert_eq!(quarter.last().unwrap()[..3], ["全部", "3", "7"]);
    // A month: each site and the whole with the households visited, no rate.
    let month = rows("reports/2026-01/index.html", "走访覆盖率");
    assert_eq!(month, [["翠湖苑", "1"], ["全部", "1"]]);
}

#[test]
fn a_site_page_shows_its_household_numbers() {
    let rows = rows("reports/2026/sites/jinxiu/index.html", "走访覆盖率");
    let values: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r[0].as_str(), r[1].split_whitespace().next().unwrap_or("")))
        .collect();
    assert_eq!(
        values,
        [
            ("已走访户数", "3"),
            ("总户数", "3"),
            ("走访覆盖率", "100.0%"),
            ("走访两次及以上户数", "1"),
            ("两次走访率", "33.3%"),
        ]
    );
}

#[test]
fn metrics_csv_has_the_organisation_s_household_columns() {
    let csv = std::fs::read_to_string(built().join("public/reports/2026/metrics.en.csv")).unwrap();
    let mut lines = csv.trim_start_matches('\u{feff}').lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    let at = |name: &str| head.iter().position(|h| *h == name).unwrap();
    let overall: Vec<&str> = lines.last().unwrap().split(',').collect();
    let columns = [
        "households_visited",
        "households_total",
        "household_coverage",
        "households_visited_twice",
        "household_twice_rate",
    ];
    let values: Vec<&str> = columns.iter().map(|c| overall[at(c)]).collect();
    assert_eq!(values, ["8", "7", "85.7%", "4", "42.9%"]);
}

/// Every file below `dir` that holds `needle`, as text or as the bytes of its UTF-8.
fn files_holding(dir: &Path, needle: &str) -> Vec<PathBuf> {
    util::tree(dir)
        .into_iter()
        .filter(|(_, bytes)| bytes.windows(needle.len()).any(|w| w == needle.as_bytes()))
        .map(|(path, _)| path)
        .collect()
}

#[test]
fn no_household_key_reaches_the_site_or_the_snapshots() {
    // Whole keys: digits alone turn up in checksums.
    let keys = [
        "1栋1101",
        "1栋1102",
        "2栋2201",
        "２栋２２０１",
        "3栋3301",
        "3栋3302",
        "5栋5501",
        "5栋 5501",
        "9栋9909",
    ];
    for folder in ["public", "snapshots"] {
        let dir = built().join(folder);
        assert!(dir.is_dir(), "{folder}");
        for key in keys {
            let found = files_holding(&dir, key);
            assert!(found.is_empty(), "{key} in {folder}: {found:?}");
        }
    }
}

/// `tests/fixtures/households/written_before/` holds what huifang wrote for
/// tests/fixtures/sites (a log without a household column) before it counted households:
/// 2026-02's metrics.json and its first version. A build now writes the same bytes and adds no
/// version.
#[test]
fn a_log_without_the_column_is_written_as_before_and_gets_no_new_version() {
    let before = util::fixture("households").join("written_before");
    let project = util::TempProject::fixture("sites");
    let snapshots = project.path().join("snapshots/2026-02");
    std::fs::create_dir_all(&snapshots).unwrap();
    std::fs::copy(
        before.join("snapshots/2026-02/v0001.json"),
        snapshots.join("v0001.json"),
    )
    .unwrap();
    let o = util::huifang(project.path(), &["build", "--quiet"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let written = std::fs::read(project.path().join("public/reports/2026-02/metrics.json"));
    let expected = std::fs::read(before.join("2026-02.metrics.json")).unwrap();
    assert!(written.unwrap() == expected, "2026-02/metrics.json changed");
    assert_eq!(util::versions_of(&project, "2026-02"), ["v0001.json"]);
    for (path, bytes) in util::tree(&project.path().join("public")) {
        if path.ends_with("metrics.json") {
            let text = String::from_utf8(bytes).unwrap();
            assert!(!text.contains("households"), "{}", path.display());
        }
    }
}

#[test]
fn household_counts_belong_to_sites_and_are_never_zero() {
    let parse = |extra: &str| {
        let text = format!("[[sources]]\npath = \"v.csv\"\n{extra}");
        huifang::config::Config::parse(&text, Path::new("huifang.toml")).map_err(|e| e.to_string())
    };
    let e = parse("[[departments]]\nname = \"客服部\"\nhouseholds = 10\n").unwrap_err();
    assert!(
        e.contains("`客服部` has `households`") && e.contains("[[sites]]"),
        "{e}"
    );
    let e = parse("[[sites]]\nname = \"翠湖苑\"\nhouseholds = 0\n").unwrap_err();
    assert!(e.contains("`翠湖苑` has households = 0"), "{e}");
    let e = parse("[[sites]]\nname = \"翠湖苑\"\nhouseholds = -3\n").unwrap_err();
    assert!(e.contains("households"), "{e}");
    let config = parse("[[sites]]\nname = \"翠湖苑\"\nhouseholds = 1200\n").unwrap();
    assert_eq!(config.sites[0].households, Some(1200));
    let e = parse("[targets]\nhousehold_coverage = 95\n").unwrap_err();
    assert!(e.contains("household_coverage = 95"), "{e}");
}
