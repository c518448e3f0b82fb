//! The built site, read back by parsing its HTML: every page there, every link resolving,
//! every chart an SVG with data marks, every headline number equal to metrics.json, user
//! data escaped and contained, and the same bytes on every build.

use crate::util;

use scraper::{Html, Selector};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use util::tree;

fn build(config: &Path, out: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_huifang"))
        .args([
            "build",
            "--config",
            config.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .output()
        .unwrap()
}

/// The sample site, built once for all tests of this file.
pub fn sample_site() -> &'static Path {
    static SITE: OnceLock<(util::TempProject, PathBuf)> = OnceLock::new();
    let (_, out) = SITE.get_or_init(|| {
        let project = util::TempProject::sample();
        let out = project.path().join("public");
        let o = build(&project.config(), &out);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        (project, out)
    });
    out
}

fn html_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    files.sort();
    files
}

fn parse(path: &Path) -> Html {
    Html::parse_document(&std::fs::read_to_string(path).unwrap())
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn every_report_and_department_page_exists() {
    let site = sample_site();
    let mut reports = 0;
    for entry in std::fs::read_dir(site.join("reports")).unwrap() {
        let dir = entry.unwrap().path();
        // reports/exports.json lists the published documents (the sample's `exports`).
        if !dir.is_dir() {
            assert_eq!(dir.file_name().unwrap(), "exports.json");
            continue;
        }
        let metrics = json(&dir.join("metrics.json"));
        assert!(dir.join("index.html").is_file(), "{dir:?}");
        // The page links its data files, which are there.
        let links: Vec<String> = parse(&dir.join("index.html"))
            .select(&sel(".downloads a"))
            .map(|a| a.value().attr("href").unwrap().to_owned())
            .collect();
        let id = dir.file_name().unwrap().to_string_lossy().into_owned();
        for file in ["metrics.csv", "metrics.json"] {
            assert!(
                links.contains(&format!("../../reports/{id}/{file}")),
                "{id}: {links:?}"
            );
            assert!(dir.join(file).is_file(), "{id}/{file}");
        }
        // The sample publishes a Word file of each report's first (and only) version.
        let docx = format!("{id}-v1.docx");
        assert!(
            links.contains(&format!("../../reports/{id}/{docx}")),
            "{id}: {links:?}"
        );
        assert!(dir.join(&docx).is_file(), "{id}/{docx}");
        for d in metrics["departments"].as_array().unwrap() {
            let slug = d["slug"].as_str().unwrap();
            assert!(
                dir.join("departments")
                    .join(slug)
                    .join("index.html")
                    .is_file(),
                "{dir:?} {slug}"
            );
            assert!(
                site.join("departments")
                    .join(slug)
                    .join("index.html")
                    .is_file(),
                "history of {slug}"
            );
        }
        reports += 1;
    }
    assert_eq!(reports, 50);
    for page in [
        "index.html",
        "methodology/index.html",
        "data-quality/index.html",
    ] {
        assert!(site.join(page).is_file(), "{page}");
    }
}

#[test]
fn every_internal_link_and_asset_resolves_and_nothing_is_external() {
    let site = sample_site();
    let links = sel("a[href], link[href], img[src], script[src]");
    let mut checked = 0;
    let files = html_files(site);
    for file in &files {
        let doc = parse(file);
        for el in doc.select(&links) {
            let target = el
                .value()
                .attr("href")
                .or_else(|| el.value().attr("src"))
                .unwrap();
            assert!(
                !target.contains("://") && !target.starts_with("//"),
                "{file:?} refers outside: {target}"
            );
            let path = target.split('#').next().unwrap();
            if path.is_empty() {
                continue;
            }
            let resolved = file.parent().unwrap().join(path);
            assert!(resolved.is_file(), "{file:?}: broken link {target}");
            let canonical = resolved.canonicalize().unwrap();
            assert!(
                canonical.starts_with(site.canonicalize().unwrap()),
                "{file:?}: {target} leaves the site"
            );
            checked += 1;
        }
    }
    // At least the stylesheet, the home link and the three navigation links of every page.
    assert!(
        checked >= 5 * files.len(),
        "links were found and checked: {checked}"
    );
}

#[test]
fn every_chart_is_an_svg_with_data_marks_and_a_table() {
    let site = sample_site();
    let (figure, svg, marks, rows) = (
        sel("figure.chart"),
        sel("svg"),
        sel("rect, polyline, path, circle"),
        sel("table tbody tr"),
    );
    let mut charts = 0;
    for file in html_files(site) {
        let doc = parse(&file);
        for fig in doc.select(&figure) {
            let chart = fig
                .select(&svg)
                .next()
                .unwrap_or_else(|| panic!("{file:?}: figure without svg"));
            assert!(
                chart.select(&sel("title")).next().is_some(),
                "{file:?}: svg without title"
            );
            assert!(
                chart.select(&sel("desc")).next().is_some(),
                "{file:?}: svg without desc"
            );
            assert!(
                chart.select(&marks).count() > 0,
                "{file:?}: svg without data marks"
            );
            assert!(
                fig.select(&rows).count() > 0,
                "{file:?}: chart without its numbers"
            );
            charts += 1;
        }
    }
    // Report pages carry 5 charts, department pages 4, history pages 1.
    assert!(charts > 5 * 50 + 4 * 300, "{charts}");
}

/// The value at a dotted path such as `satisfaction.satisfied_rate`.
fn at<'v>(v: &'v Value, path: &str) -> &'v Value {
    path.split('.').fold(v, |v, k| &v[k])
}

fn kpis(doc: &Html) -> BTreeMap<String, String> {
    doc.select(&sel(".kpi[data-metric]"))
        .map(|k| {
            (
                k.value().attr("data-metric").unwrap().to_owned(),
                k.value().attr("data-value").unwrap().to_owned(),
            )
        })
        .collect()
}

fn same(page: &str, json: &Value) -> bool {
    match json {
        Value::Null => page.is_empty(),
        // A page carries the exact value; metrics.json holds it to 4 decimals.
        Value::Number(n) => {
            page.parse::<f64>()
                .ok()
                .map(huifang::metrics::values::round4)
                == n.as_f64()
        }
        _ => false,
    }
}

#[test]
fn headline_numbers_on_pages_equal_metrics_json() {
    let site = sample_site();
    let mut compared = 0;
    for entry in std::fs::read_dir(site.join("reports")).unwrap() {
        let dir = entry.unwrap().path();
        if !dir.is_dir() {
            continue; // reports/exports.json
        }
        let metrics = json(&dir.join("metrics.json"));
        let page = kpis(&parse(&dir.join("index.html")));
        assert_eq!(page.len(), 8, "{dir:?}");
        for (metric, value) in &page {
            assert!(
                same(value, at(&metrics["overall"], metric)),
                "{dir:?} {metric}: page {value}"
            );
            compared += 1;
        }
        for d in metrics["departments"].as_array().unwrap() {
            let page = kpis(&parse(
                &dir.join("departments")
                    .join(d["slug"].as_str().unwrap())
                    .join("index.html"),
            ));
            for (metric, value) in &page {
                assert!(
                    same(value, at(d, metric)),
                    "{dir:?} {} {metric}: page {value}",
                    d["name"]
                );
                compared += 1;
            }
        }
    }
    assert!(compared > 7 * 50 * 8, "{compared}");
    // And the text shown is the number of visits counted a second, plain way: the accepted
    // records of the sample dated in 2026-Q3.
    let q3 = parse(&site.join("reports/2026-Q3/index.html"));
    let visits = q3
        .select(&sel(".kpi[data-metric='visits.total'] .kpi-value"))
        .next()
        .unwrap();
    let sample = util::load_config(&Path::new(env!("CARGO_MANIFEST_DIR")).join("huifang.toml"));
    let (from, to) = (util::ymd(2026, 7, 1), util::ymd(2026, 9, 30));
    let expected = sample
        .records
        .iter()
        .filter(|r| from <= r.date && r.date <= to)
        .count();
    assert!(expected > 100);
    let formatted: String = visits.text().collect::<String>().replace(',', "");
    assert_eq!(formatted, expected.to_string());
}

#[test]
fn a_forced_rebuild_with_unchanged_data_is_byte_identical_and_adds_no_version() {
    let project = util::TempProject::sample();
    let out = project.path().join("public");
    assert!(build(&project.config(), &out).status.success());
    let snapshots = |dir: &Path| {
        walkdir::WalkDir::new(dir.join("snapshots"))
            .into_iter()
            .count()
    };
    let before = (tree(&out), snapshots(project.path()));
    let o = Command::new(env!("CARGO_BIN_EXE_huifang"))
        .args([
            "build",
            "--force",
            "-c",
            project.config().to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(o.status.success());
    assert!(!String::from_utf8_lossy(&o.stderr).contains("new versions"));
    let after = (tree(&out), snapshots(project.path()));
    assert_eq!(before.1, after.1, "no snapshot was added");
    assert!(before.1 > 50, "the first build recorded every report");
    assert_eq!(before.0.len(), after.0.len());
    for ((pa, ba), (pb, bb)) in before.0.iter().zip(&after.0) {
        assert_eq!(pa, pb);
        if pa == Path::new(".huifang-site") {
            // The marker's quick key records the inputs' times, and is left out while they are
            // fresh (the first build ran right after the copy); the content key must agree.
            let key = |b: &[u8]| {
                String::from_utf8_lossy(b)
                    .lines()
                    .find(|l| l.starts_with("key: "))
                    .map(str::to_owned)
            };
            assert_eq!(key(ba), key(bb));
            assert!(key(ba).is_some());
            continue;
        }
        assert!(ba == bb, "{pa:?} differs between builds");
    }
}

#[test]
fn user_data_is_escaped_and_contained() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let o = build(&util::TempProject::fixture("site_injection").config(), &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let site = out.canonicalize().unwrap();
    for entry in walkdir::WalkDir::new(&site) {
        let path = entry.unwrap().into_path().canonicalize().unwrap();
        assert!(
            path.starts_with(&site),
            "{path:?} escaped the output folder"
        );
    }
    assert!(!tmp.path().join("etc").exists() && !tmp.path().join("tmp").exists());
    let (mut saw_escaped, mut saw_comment) = (false, false);
    for file in html_files(&site) {
        let text = std::fs::read_to_string(&file).unwrap();
        let doc = Html::parse_document(&text);
        assert_eq!(
            doc.select(&sel("script")).count(),
            0,
            "{file:?} has a script element"
        );
        for el in doc.select(&sel("*")) {
            for (name, _) in el.value().attrs() {
                assert!(
                    !name.starts_with("on"),
                    "{file:?}: event handler attribute {name}"
                );
            }
        }
        assert!(
            doc.select(&sel("img")).next().is_none(),
            "{file:?} has an img element"
        );
        saw_escaped |= text.contains("&lt;script&gt;alert(1)&lt;/script&gt;");
        saw_comment |= text.contains("&lt;script&gt;alert(4)&lt;/script&gt; 请回电138****5678");
    }
    assert!(saw_escaped, "the department name is shown, as text");
    assert!(
        saw_comment,
        "the comment is shown, as text, with the phone number masked"
    );
    for entry in walkdir::WalkDir::new(&site) {
        let path = entry.unwrap().into_path();
        if path.is_file() {
            let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
            assert!(
                !text.contains("13812345678"),
                "{path:?} publishes a phone number"
            );
        }
    }
    let q1 = std::fs::read_to_string(site.join("reports/2025-Q1/index.html")).unwrap();
    // 工程部 in Q1: one 非常满意 rating → 100.0%; the top category is the first by name among ties.
    assert!(
        q1.contains("工程部满意率为100.0%"),
        "commentary quotes live numbers"
    );
    assert!(
        q1.contains("&lt;script&gt;alert(&#x27;content&#x27;)&lt;/script&gt;")
            || q1.contains("&lt;script&gt;alert('content')&lt;/script&gt;")
    );
}

fn privacy_scan(paths: &[&Path]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_huifang"))
        .arg("privacy-scan")
        .args(paths)
        .output()
        .unwrap()
}

/// The sample data holds mobiles, rooms and surnames with titles in its comments (planted by
/// `huifang sample`); the built site holds none of them.
#[test]
fn the_sample_site_passes_the_privacy_scan() {
    let site = sample_site();
    let o = privacy_scan(&[site]);
    assert!(
        o.status.success(),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    // The comments were published, masked: `10栋1401张女士` reads `**栋****张**`.
    let masked_room_and_name = html_files(site).iter().any(|f| {
        let text = std::fs::read_to_string(f).unwrap();
        text.contains("栋****张**") || text.contains("栋***张**")
    });
    assert!(masked_room_and_name);
}

/// A value the scan finds is named by file, line and column, and printed masked.
#[test]
fn the_privacy_scan_names_what_it_finds_without_repeating_it() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("ok.html"),
        "<p>满意率 85.5%, 2026-03-05</p>\n",
    )
    .unwrap();
    std::fs::write(
        tmp.path().join("leak.json"),
        "{\n  \"text\": \"3栋2单元501 李先生 电话 139-1234-5678\"\n}\n",
    )
    .unwrap();
    let o = privacy_scan(&[tmp.path()]);
    assert_eq!(o.status.code(), Some(1));
    let out = String::from_utf8(o.stdout).unwrap();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    let leak = tmp.path().join("leak.json").display().to_string();
    assert!(
        lines[0].starts_with(&format!("{leak}:2:12: room address: ")),
        "{out}"
    );
    assert!(
        lines[1].starts_with(&format!("{leak}:2:21: name: ")),
        "{out}"
    );
    assert!(
        lines[2].starts_with(&format!("{leak}:2:28: mobile number: ")),
        "{out}"
    );
    for secret in ["501", "李先生", "1234"] {
        assert!(!out.contains(secret), "{out}");
    }
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(
        err.contains("3 personal value(s) in 1 of 2 file(s)"),
        "{err}"
    );
    let o = privacy_scan(&[&tmp.path().join("nothing-here")]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn an_unknown_metric_in_commentary_names_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let o = build(
        &util::TempProject::fixture("content_unknown_metric").config(),
        &out,
    );
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("content/reports/2025-Q1.md:4: unknown metric `complaint_count`"),
        "{err}"
    );
    assert!(!out.exists(), "nothing is written");
}

#[test]
fn english_locale_and_a_project_template_override() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let o = build(&util::TempProject::fixture("site_english").config(), &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let home = parse(&out.join("index.html"));
    let html = home.select(&sel("html")).next().unwrap();
    assert_eq!(html.value().attr("lang"), Some("en"));
    let text: String = home.root_element().text().collect();
    for phrase in [
        "Latest month · March 2025",
        "Latest quarter · Q1 2025",
        "Data as of 31 Mar 2025",
        "Satisfied",
    ] {
        assert!(text.contains(phrase), "home lacks {phrase:?}: {text}");
    }
    // Q1 2025 of tests/fixtures/metrics_quarter: 9 of 11 visits reached (81.8%).
    let q1 = parse(&out.join("reports/2025-Q1/index.html"));
    let contact = q1
        .select(&sel(".kpi[data-metric='visits.contact_rate'] .kpi-value"))
        .next()
        .unwrap();
    assert_eq!(contact.text().collect::<String>(), "81.8%");
    let csv = std::fs::read_to_string(out.join("reports/2025-Q1/metrics.csv")).unwrap();
    assert!(csv.lines().last().unwrap().starts_with("All,,11,"));
    // templates/page.html of the project replaces the theme's for the methodology page.
    let method = parse(&out.join("methodology/index.html"));
    assert!(
        method
            .select(&sel("article.project-override h1"))
            .next()
            .is_some()
    );
    assert!(
        method
            .root_element()
            .text()
            .collect::<String>()
            .contains("Methodology")
    );
    // One record (2025-04-01) is after the as-of date: counted in the singular.
    let quality = std::fs::read_to_string(out.join("data-quality/index.html")).unwrap();
    assert!(
        quality.contains("1 record is dated after the as-of date and is in no report."),
        "{quality}"
    );
}

/// A project in a temporary folder: the data of tests/fixtures/metrics_quarter, and
/// `settings` before its `[[sources]]` in huifang.toml.
fn quarter_project(settings: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path();
    std::fs::copy(
        util::fixture("metrics_quarter").join("visits.csv"),
        project.join("visits.csv"),
    )
    .unwrap();
    std::fs::write(
        project.join("huifang.toml"),
        format!("{settings}[[sources]]\npath = \"visits.csv\"\n"),
    )
    .unwrap();
    tmp
}

/// An English project whose theme `counted` has `strings` as its English table.
fn english_project_with_strings(strings: &str) -> tempfile::TempDir {
    let tmp = quarter_project("locale = \"en\"\ntheme = \"counted\"\n");
    let i18n = tmp.path().join("themes/counted/i18n");
    std::fs::create_dir_all(&i18n).unwrap();
    std::fs::write(i18n.join("en.toml"), strings).unwrap();
    tmp
}

#[test]
fn a_theme_string_without_its_plural_forms_names_key_locale_and_file() {
    let project = english_project_with_strings("now_closed = \"{n} fixed\"\n");
    let o = build(
        &project.path().join("huifang.toml"),
        &project.path().join("public"),
    );
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    for part in [
        "themes/counted/i18n/en.toml (locale en)",
        "`now_closed` takes a count: write it as now_closed_one, now_closed_other",
    ] {
        assert!(err.contains(part), "{err}");
    }
}

/// A theme's table may leave strings out (the built-in ones stand in) and add its own for its
/// templates; a template that names a string no table has fails the build, naming it.
#[test]
fn a_theme_table_overrides_strings_and_a_missing_one_fails_the_build() {
    let project = english_project_with_strings("home = \"Start\"\nour_motto = \"Ours\"\n");
    let (config, out) = (
        project.path().join("huifang.toml"),
        project.path().join("public"),
    );
    let page = project.path().join("templates/page.html");
    std::fs::create_dir_all(page.parent().unwrap()).unwrap();
    let template = |body: &str| {
        let text =
            format!("{{% extends \"base.html\" %}}{{% block content %}}{body}{{% endblock %}}");
        std::fs::write(&page, text).unwrap();
    };
    template("<p class=\"motto\">{{ t.our_motto }}</p>");
    let o = build(&config, &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let method = std::fs::read_to_string(out.join("methodology/index.html")).unwrap();
    assert!(method.contains("<p class=\"motto\">Ours</p>"), "{method}");
    let report = parse(&out.join("reports/2025-Q1/index.html"));
    let crumbs: String = report
        .select(&sel(".breadcrumbs"))
        .next()
        .unwrap()
        .text()
        .collect();
    assert!(crumbs.starts_with("Start › Quarterly"), "{crumbs}");

    template("{{ t.no_such_string }}");
    let o = build(&config, &out);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("Field `no_such_string` is not defined"),
        "{err}"
    );
    assert!(err.contains("page.html:1:"), "{err}");
}

#[test]
fn an_unknown_theme_is_a_config_error() {
    let tmp = quarter_project("theme = \"sunset\"\n");
    let project = tmp.path();
    let o = build(&project.join("huifang.toml"), &project.join("public"));
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("theme `sunset`: no such folder under themes/")
    );
}

/// `metrics.csv` is headed in the site's locale and gives rates as percentages.
#[test]
fn metrics_csv_speaks_the_site_locale() {
    let csv = std::fs::read_to_string(sample_site().join("reports/2026-Q3/metrics.csv")).unwrap();
    let mut lines = csv.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("\u{feff}部门,网址标识,回访量,成功回访,回访成功率,")
    );
    // The whole organisation: visits, reached, then the contact rate as a percentage.
    let overall: Vec<&str> = lines.last().unwrap().split(',').collect();
    let (visits, reached): (u64, u64) = (overall[2].parse().unwrap(), overall[3].parse().unwrap());
    let percent = format!("{:.1}%", reached as f64 * 100.0 / visits as f64);
    assert_eq!(overall[4], percent, "{overall:?}");
}

#[test]
fn of_several_broken_pages_the_first_in_page_order_is_reported_every_time() {
    // The fixture's 2025-Q1 commentary is broken; break the home page and a free page too.
    // Pages are built in parallel, yet the home page comes first in page order.
    let project = util::TempProject::fixture("content_unknown_metric");
    let content = project.path().join("content");
    std::fs::write(
        content.join("_index.md"),
        "首页\n\n{{ metric(name=\"nope\") }}\n",
    )
    .unwrap();
    std::fs::write(content.join("about.md"), "{{ metric(name=\"nope\") }}\n").unwrap();
    for _ in 0..4 {
        let tmp = tempfile::tempdir().unwrap();
        let o = build(&project.config(), &tmp.path().join("site"));
        assert_eq!(o.status.code(), Some(2));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains("content/_index.md:3: unknown metric `nope`"),
            "{err}"
        );
    }
}
