//! `init` then `build` in an empty folder, and archives that stand alone.

use crate::util;

use scraper::{Html, Selector};
use std::process::Output;
use util::huifang;

fn ok(o: &Output) {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn init_then_build_in_an_empty_folder() {
    let tmp = tempfile::tempdir().unwrap();
    ok(&huifang(tmp.path(), &["init", "reports"]));
    let project = tmp.path().join("reports");
    // The embedded sample runs to 2026-10-31.
    ok(&huifang(&project, &["build", "--as-of", "2026-10-31"]));
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
    let tmp = tempfile::tempdir().unwrap();
    ok(&huifang(tmp.path(), &["init", "p"]));
    let project = tmp.path().join("p");
    ok(&huifang(&project, &["build", "--as-of", "2026-10-31"]));
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
