//! `init` then `build` in an empty folder, and archives that stand alone: rendered by the
//! theme's templates in archive mode from the snapshots, sealed with a checksum.

use crate::util;

use scraper::{Html, Selector};
use std::process::Output;
use util::huifang;

fn ok(o: &Output) {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// The value of the archive's checksum.
fn checksum_of(archive: &str) -> String {
    let tag = "<meta name=\"huifang-checksum\" content=\"sha256:";
    let at = archive.find(tag).unwrap() + tag.len();
    archive[at..at + 64].to_string()
}

/// The archive banner, `<div class="huifang-archive" …>…</div>`, right after `<body>`.
fn banner(archive: &str) -> &str {
    let start = archive
        .find("<body>\n<div class=\"huifang-archive\" role=\"note\">")
        .expect("the banner opens the body");
    let end = start + archive[start..].find("</div>").unwrap();
    &archive[start..end]
}

/// Every element of the archive that links or loads, by what it points to, unless that is a
/// `#fragment` of the file itself: read by a real HTML parser.
fn references_outside(archive: &str) -> Vec<String> {
    let doc = Html::parse_document(archive);
    let refs = Selector::parse("[href], [src], [srcset], link, script, img, iframe").unwrap();
    doc.select(&refs)
        .filter_map(|el| {
            let v = el.value();
            let target = v.attr("href").or(v.attr("src")).or(v.attr("srcset"));
            match target {
                Some(t) if t.starts_with('#') => None,
                _ => Some(format!("<{} {}>", v.name(), target.unwrap_or(""))),
            }
        })
        .collect()
}

/// A project made by `init` in an empty folder, built.
fn built(name: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    ok(&huifang(tmp.path(), &["init", name]));
    let project = tmp.path().join(name);
    // The embedded sample runs to 2026-10-31.
    ok(&huifang(&project, &["build", "--as-of", "2026-10-31"]));
    (tmp, project)
}

#[test]
fn init_then_build_in_an_empty_folder() {
    let (tmp, project) = built("reports");
    assert!(project.join("public/index.html").is_file());
    assert!(project.join("public/reports/2026-10/index.html").is_file());
    assert!(project.join("snapshots/2026-10/v0001.json").is_file());
    let again = huifang(tmp.path(), &["init", "reports"]);
    assert_eq!(
        again.status.code(),
        Some(2),
        "init never overwrites a project"
    );
}

#[test]
fn an_archived_report_is_one_file_that_references_nothing_outside() {
    let (_tmp, project) = built("p");
    ok(&huifang(&project, &["archive", "2026-Q3", "-o", "q3.html"]));
    let text = std::fs::read_to_string(project.join("q3.html")).unwrap();
    huifang::archive::verify(&text).expect("the checksum in the file matches its content");
    let doc = Html::parse_document(&text);
    let refs = Selector::parse("[href], [src], link, script, img").unwrap();
    for el in doc.select(&refs) {
        let target = el
            .value()
            .attr("href")
            .or_else(|| el.value().attr("src"))
            .unwrap_or("");
        assert!(
            target.starts_with('#'),
            "external reference: <{} {target}>",
            el.value().name()
        );
    }
    assert!(
        doc.select(&Selector::parse("style").unwrap())
            .next()
            .is_some(),
        "CSS is inline"
    );
    assert!(
        doc.select(&Selector::parse("svg").unwrap()).count() >= 3,
        "charts are inline"
    );
    let meta = |name: &str| {
        let sel = Selector::parse(&format!("meta[name='{name}']")).unwrap();
        doc.select(&sel)
            .next()
            .unwrap()
            .value()
            .attr("content")
            .unwrap()
            .to_owned()
    };
    assert_eq!(meta("huifang-report"), "2026-Q3");
    assert_eq!(meta("huifang-version"), "1");
    assert_eq!(meta("huifang-as-of"), "2026-10-31");
    assert_eq!(
        meta("huifang-checksum"),
        format!("sha256:{}", checksum_of(&text))
    );
    assert_eq!(
        meta("generator"),
        concat!("huifang ", env!("CARGO_PKG_VERSION"))
    );
    // The one version is the latest: nothing calls it an earlier one.
    assert!(
        !text.contains("较早版本"),
        "the latest version is not called earlier"
    );
    assert!(banner(&text).contains("存档时的最新版本"));
    // One changed character breaks the checksum.
    assert!(huifang::archive::verify(&text.replacen("2026", "2025", 1)).is_err());

    ok(&huifang(
        &project,
        &["archive", "--all", "-o", "all.tar.gz"],
    ));
    let file = std::fs::File::open(project.join("all.tar.gz")).unwrap();
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(file));
    let names: Vec<String> = archive
        .entries()
        .unwrap()
        .map(|e| e.unwrap().path().unwrap().display().to_string())
        .collect();
    assert!(names.contains(&"2026-Q3/v1.html".to_owned()), "{names:?}");
    assert!(names.contains(&"2026-10/v1.html".to_owned()));
    let bad = huifang(&project, &["archive", "2026-Q3", "--version", "9"]);
    assert_eq!(bad.status.code(), Some(2));
}

/// A project with two versions of 2026-10 (built as of 10-15, then 10-31) and commentary on
/// it holding a link, an image, raw HTML and a metric.
fn project_with_versions(locale: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    ok(&huifang(tmp.path(), &["init", "p"]));
    let project = tmp.path().join("p");
    let config = std::fs::read_to_string(project.join("huifang.toml")).unwrap();
    let config = config.replacen("locale = \"zh-CN\"", &format!("locale = \"{locale}\""), 1);
    std::fs::write(project.join("huifang.toml"), config).unwrap();
    std::fs::create_dir_all(project.join("content/reports")).unwrap();
    std::fs::write(
        project.join("content/reports/2026-10.md"),
        "+++\ntitle = \"结论与建议\"\n+++\n## 结论\n\n本月回访 {{ metric(name=\"visits\") }} 次,\
         详见[指标说明](../../methodology/index.html)与[官网](https://example.com)。\
         ![走势](chart.png) <a href=\"https://evil.example\">原始链接</a>\n\n## 建议\n\n- 逐项跟进超期投诉。\n",
    )
    .unwrap();
    ok(&huifang(&project, &["build", "--as-of", "2026-10-15"]));
    ok(&huifang(&project, &["build", "--as-of", "2026-10-31"]));
    assert!(project.join("snapshots/2026-10/v0002.json").is_file());
    tmp
}

fn archive(project: &std::path::Path, args: &[&str]) -> String {
    let out = project.join("archive.html");
    let mut all = vec!["archive"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["-o", out.to_str().unwrap()]);
    ok(&huifang(project, &all));
    let text = std::fs::read_to_string(&out).unwrap();
    huifang::archive::verify(&text).expect("the checksum in the file matches its content");
    assert_eq!(references_outside(&text), Vec::<String>::new());
    text
}

#[test]
fn the_latest_version_carries_the_commentary_and_no_navigation() {
    let tmp = project_with_versions("zh-CN");
    let project = tmp.path().join("p");
    let latest = archive(&project, &["2026-10"]);

    // The commentary, what a manager reads first, with its metric filled in and its links and
    // image made text; its raw HTML stays text, as on the site.
    let doc = Html::parse_document(&latest);
    let commentary = doc
        .select(&Selector::parse("section#part-conclusions").unwrap())
        .next()
        .expect("the commentary is in the archive");
    let text: String = commentary.text().collect();
    assert!(
        text.contains("结论与建议") && text.contains("建议"),
        "{text}"
    );
    assert!(text.contains("详见指标说明与官网。走势"), "{text}");
    assert!(
        text.contains("<a href=\"https://evil.example\">原始链接</a>"),
        "{text}"
    );
    let visits = doc
        .select(&Selector::parse(".kpi[data-metric='visits.total'] .kpi-value").unwrap())
        .next()
        .unwrap()
        .text()
        .collect::<String>();
    assert!(text.contains(&format!("本月回访 {visits} 次")), "{text}");

    // No navigation: no menu, breadcrumbs, links to other periods or the version history;
    // departments in tables are text.
    assert_eq!(doc.select(&Selector::parse("nav").unwrap()).count(), 0);
    for gone in [
        "class=\"breadcrumbs\"",
        "class=\"period-links\"",
        "版本历史",
        "<link",
    ] {
        assert!(!latest.contains(gone), "{gone} is in the archive");
    }
    let anchors: Vec<_> = doc.select(&Selector::parse("a").unwrap()).collect();
    assert_eq!(anchors.len(), 1, "only the skip link");
    assert_eq!(anchors[0].value().attr("href"), Some("#main"));
    assert!(latest.contains("<td>工程部</td>"));
    assert!(
        latest.contains("<span class=\"brand\">"),
        "the site title is text"
    );

    // The stylesheet is inline, once, after the charset.
    assert!(
        latest.starts_with(
            "<!doctype html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
        )
    );
    assert_eq!(latest.matches("<style>").count(), 1);

    // The latest version says so; nothing calls it earlier.
    assert!(banner(&latest).contains("版本 <b>2</b> · 存档时的最新版本"));
    assert!(!latest.contains("较早版本"));
    assert!(!latest.contains("查看最新版本"));

    // The same inputs give the same bytes; the checksum is in the meta tag, the banner and the
    // cover's facts (printed).
    assert_eq!(archive(&project, &["2026-10", "--version", "2"]), latest);
    let checksum = checksum_of(&latest);
    assert_eq!(latest.matches(&checksum).count(), 3);
    assert!(banner(&latest).contains(&checksum));

    // --site is no longer needed, and still accepted.
    let with_site = huifang(
        &project,
        &["archive", "2026-10", "--site", "public", "-o", "s.html"],
    );
    ok(&with_site);
    assert_eq!(
        std::fs::read_to_string(project.join("s.html")).unwrap(),
        latest
    );
}

#[test]
fn an_earlier_version_says_so_and_names_the_latest() {
    let tmp = project_with_versions("zh-CN");
    let project = tmp.path().join("p");
    let earlier = archive(&project, &["2026-10", "--version", "1"]);
    let banner = banner(&earlier);
    assert!(banner.contains("版本 <b>1</b> · 较早版本"), "{banner}");
    assert!(banner.contains("数据截至 <b>2026-10-15</b>"), "{banner}");
    assert!(earlier.contains("这是本报告的较早版本。存档时的最新版本为版本 2。"));
    assert!(!earlier.contains("存档时的最新版本 ·"));
    assert!(!earlier.contains("查看最新版本"), "no dead link text");
    // Commentary is written about the current numbers, so an earlier version, like its page
    // on the site, goes without.
    assert!(!earlier.contains("section class=\"prose commentary\""));
    assert!(earlier.contains("<meta name=\"huifang-as-of\" content=\"2026-10-15\">"));
}

/// Every word of the banner, but the report id, dates, digits and the program's name, is in
/// the site's language.
#[test]
fn the_banner_is_in_the_sites_language() {
    let zh = project_with_versions("zh-CN");
    let text = archive(&zh.path().join("p"), &["2026-10"]);
    let words = |banner: &str| -> Vec<String> {
        let plain = Html::parse_fragment(banner)
            .root_element()
            .text()
            .collect::<String>();
        plain
            .split(|c: char| !c.is_ascii_alphabetic())
            .filter(|w| !w.is_empty() && !["SHA", "huifang"].contains(w))
            .filter(|w| !w.chars().all(|c| c.is_ascii_hexdigit()))
            .map(str::to_owned)
            .collect()
    };
    let banner_zh = banner(&text);
    assert!(banner_zh.contains("存档副本") && banner_zh.contains("报告"));
    assert_eq!(words(banner_zh), Vec::<String>::new(), "{banner_zh}");

    let en = project_with_versions("en");
    let project = en.path().join("p");
    for args in [&["2026-10"][..], &["2026-10", "--version", "1"]] {
        let text = archive(&project, args);
        let banner_en = banner(&text);
        assert!(
            banner_en.contains("<strong>Archived copy</strong> · Report <b>2026-10</b> · Version"),
            "{banner_en}"
        );
        assert!(
            !banner_en
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{banner_en}"
        );
        assert!(text.contains("<html lang=\"en\">"));
    }
    let earlier = archive(&project, &["2026-10", "--version", "1"]);
    assert!(banner(&earlier).contains("an earlier version"));
    assert!(earlier.contains("When this copy was archived, the latest was version 2."));
}

#[test]
fn a_stylesheet_that_would_load_or_break_out_is_refused() {
    let (_tmp, project) = built("p");
    let css_dir = project.join("themes/default/static");
    std::fs::create_dir_all(&css_dir).unwrap();
    for css in [
        "p::after { content: \"</STYLE>\" }",
        "body { background: URL(https://example.com/bg.png) }",
        "@import \"other.css\";",
    ] {
        std::fs::write(css_dir.join("style.css"), css).unwrap();
        let refused = huifang(&project, &["archive", "2026-10", "-o", "x.html"]);
        assert_eq!(refused.status.code(), Some(2), "{css}");
        assert!(!project.join("x.html").exists());
    }
}

#[test]
fn every_version_in_one_tar_gz_the_same_bytes_each_time() {
    let tmp = project_with_versions("zh-CN");
    let project = tmp.path().join("p");
    let all = || {
        ok(&huifang(
            &project,
            &["archive", "--all", "--all-versions", "-o", "all.tar.gz"],
        ));
        std::fs::read(project.join("all.tar.gz")).unwrap()
    };
    let first = all();
    assert_eq!(all(), first);
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(first.as_slice()));
    let mut names = Vec::new();
    for entry in tar.entries().unwrap() {
        let mut entry = entry.unwrap();
        let mut text = String::new();
        std::io::Read::read_to_string(&mut entry, &mut text).unwrap();
        huifang::archive::verify(&text).unwrap();
        assert_eq!(references_outside(&text), Vec::<String>::new());
        names.push(entry.path().unwrap().display().to_string());
    }
    assert!(names.contains(&"2026-10/v1.html".to_owned()), "{names:?}");
    assert!(names.contains(&"2026-10/v2.html".to_owned()), "{names:?}");
}
