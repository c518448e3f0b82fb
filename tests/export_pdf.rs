//! `huifang export --pdf` and the config's `exports`: a report version printed by a headless
//! Chromium, stamped with its version and checksum, published beside the pages and made again
//! only when it changed; and the privacy scan reading PDFs' text.
//!
//! Every test here needs Chromium and poppler-utils (pdftotext, pdfinfo) and skips, saying so,
//! without them; CI installs both.

use crate::util::huifang;
use std::path::Path;
use std::process::{Command, Output};

fn ok(o: &Output) -> String {
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(o.status.success(), "{stderr}");
    stderr
}

/// Whether `program` runs; if not, the test says it is skipped.
fn have(program: &str, test: &str) -> bool {
    let found = Command::new(program).arg("-v").output().is_ok();
    if !found {
        eprintln!("skipped {test}: `{program}` is not installed");
    }
    found
}

fn tools(test: &str) -> bool {
    have("chromium", test) && have("pdftotext", test) && have("pdfinfo", test)
}

/// July: 工程部 six visits rated 满意 ×4, 不满意, 非常满意; 客服部 four, one not reached and three
/// rated 满意, 满意, 一般. So July has 10 visits, 9 rated, 7 satisfied: 满意率 7/9 = 77.8%.
/// August: 工程部 five visits, all 满意: 100.0%. Reports: 2026-07, 2026-08, 2026-Q3, 2026.
const VISITS: &str = "回访日期,责任部门,回访结果,满意度\n\
2026-07-01,工程部,成功,满意\n2026-07-02,工程部,成功,满意\n2026-07-03,工程部,成功,满意\n\
2026-07-04,工程部,成功,满意\n2026-07-05,工程部,成功,不满意\n2026-07-06,工程部,成功,非常满意\n\
2026-07-07,客服部,未接通,\n2026-07-08,客服部,成功,满意\n2026-07-09,客服部,成功,满意\n\
2026-07-10,客服部,成功,一般\n\
2026-08-03,工程部,成功,满意\n2026-08-04,工程部,成功,满意\n2026-08-05,工程部,成功,满意\n\
2026-08-06,工程部,成功,满意\n2026-08-07,工程部,成功,满意\n";

fn project(exports: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(dir.join("visits.csv"), VISITS).unwrap();
    std::fs::write(
        dir.join("huifang.toml"),
        format!(
            "title = \"测试物业 回访报告\"\norganisation = \"测试物业有限公司\"\n\
             as_of = 2026-08-31\nmin_sample = 3\nexports = {exports}\n\n\
             [[sources]]\npath = \"visits.csv\"\n"
        ),
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("content/reports")).unwrap();
    std::fs::write(
        dir.join("content/reports/2026-07.md"),
        "## 结论\n\n本月满意率 {{ metric(name=\"satisfied_rate\") }}。\n",
    )
    .unwrap();
    tmp
}

fn pdf_text(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

/// pdfinfo's fields (page size, count) and then every entry of the document information.
fn pdf_info(pdf: &Path) -> String {
    [&["-enc", "UTF-8"][..], &["-enc", "UTF-8", "-custom"][..]]
        .iter()
        .map(|args| {
            let out = Command::new("pdfinfo")
                .args(*args)
                .arg(pdf)
                .output()
                .unwrap();
            assert!(out.status.success());
            String::from_utf8(out.stdout).unwrap()
        })
        .collect()
}

/// The value of `key` in pdfinfo's output (`Key:    value`).
fn info_value(info: &str, key: &str) -> String {
    info.lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(k, _)| k.trim() == key)
        .map(|(_, v)| v.trim().to_owned())
        .unwrap_or_else(|| panic!("no {key} in:\n{info}"))
}

/// The checksum the snapshot store records for a version, read from its file.
fn snapshot_checksum(project: &Path, id: &str, version: u32) -> String {
    let file = project.join(format!("snapshots/{id}/v{version:04}.json"));
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    json["checksum"].as_str().unwrap().to_owned()
}

#[test]
fn a_report_prints_to_a_pdf_that_names_its_version() {
    if !tools("a_report_prints_to_a_pdf_that_names_its_version") {
        return;
    }
    let tmp = project("[]");
    let dir = tmp.path();
    ok(&huifang(dir, &["build", "-q"]));
    ok(&huifang(dir, &["export", "2026-07", "--pdf", "-o", "docs"]));
    let pdf = dir.join("docs/2026-07-v1.pdf");
    let text = pdf_text(&pdf);
    for part in [
        "一、回访概况",
        "二、总体满意度",
        "三、各部门情况",
        "五、结论与建议",
    ] {
        assert!(text.contains(part), "{part} missing from:\n{text}");
    }
    assert!(text.contains("图1") && text.contains("表1"), "{text}");
    // 7 of 9 rated satisfied, in the card and in the commentary.
    assert!(text.matches("77.8%").count() >= 2, "{text}");
    assert!(
        text.contains("测试物业有限公司"),
        "the cover names the organisation"
    );

    let info = pdf_info(&pdf);
    let checksum = snapshot_checksum(dir, "2026-07", 1);
    assert_eq!(info_value(&info, "HuifangChecksum"), checksum);
    assert_eq!(info_value(&info, "HuifangVersion"), "1");
    assert_eq!(info_value(&info, "HuifangAsOf"), "2026-08-31");
    assert_eq!(info_value(&info, "Page size"), "594.96 x 841.92 pts (A4)");

    // The same version prints to the same bytes; on Letter when asked.
    let first = std::fs::read(&pdf).unwrap();
    // Bookmarks from the headings, for a reader's outline pane.
    assert!(first.windows(9).any(|w| w == b"/Outlines"));
    ok(&huifang(dir, &["export", "2026-07", "--pdf", "-o", "docs"]));
    assert_eq!(std::fs::read(&pdf).unwrap(), first);
    ok(&huifang(
        dir,
        &[
            "export", "2026-07", "--pdf", "--paper", "letter", "-o", "letter",
        ],
    ));
    let letter = pdf_info(&dir.join("letter/2026-07-v1.pdf"));
    assert_eq!(info_value(&letter, "Page size"), "612 x 792 pts (letter)");
}

#[test]
fn the_build_publishes_documents_and_makes_again_only_what_changed() {
    if !tools("the_build_publishes_documents_and_makes_again_only_what_changed") {
        return;
    }
    let tmp = project("[\"pdf\"]");
    let dir = tmp.path();
    let first = ok(&huifang(dir, &["build"]));
    assert!(first.contains("documents: 4 made, 0 unchanged"), "{first}");
    let ids = ["2026-07", "2026-08", "2026-Q3", "2026"];
    for id in ids {
        let pdf = dir.join(format!("public/reports/{id}/{id}-v1.pdf"));
        assert!(pdf.is_file(), "{}", pdf.display());
        let page =
            std::fs::read_to_string(dir.join(format!("public/reports/{id}/index.html"))).unwrap();
        assert!(
            page.contains(&format!("href=\"{id}-v1.pdf\""))
                || page.contains(&format!("reports/{id}/{id}-v1.pdf\"")),
            "{id} links its PDF"
        );
    }
    let august = std::fs::read(dir.join("public/reports/2026-08/2026-08-v1.pdf")).unwrap();

    // Nothing changed: every document is the previous site's.
    let again = ok(&huifang(dir, &["build", "--force"]));
    assert!(again.contains("documents: 0 made, 4 unchanged"), "{again}");
    assert_eq!(
        std::fs::read(dir.join("public/reports/2026-08/2026-08-v1.pdf")).unwrap(),
        august
    );

    // July's commentary changed: July's document only is made again, and shows it.
    std::fs::write(
        dir.join("content/reports/2026-07.md"),
        "## 结论\n\n本月满意率 {{ metric(name=\"satisfied_rate\") }}，需改进。\n",
    )
    .unwrap();
    let changed = ok(&huifang(dir, &["build"]));
    assert!(
        changed.contains("documents: 1 made, 3 unchanged"),
        "{changed}"
    );
    let july = pdf_text(&dir.join("public/reports/2026-07/2026-07-v1.pdf"));
    assert!(july.contains("需改进"), "{july}");

    // The scan reads the PDFs: none holds anything personal.
    ok(&huifang(dir, &["privacy-scan", "public"]));
}

#[test]
fn the_privacy_scan_reads_the_text_of_pdfs() {
    if !tools("the_privacy_scan_reads_the_text_of_pdfs") {
        return;
    }
    // Commentary is the author's text, published as written: a phone number in it reaches the
    // PDF, and the scan must find it there.
    let tmp = project("[]");
    let dir = tmp.path();
    std::fs::write(
        dir.join("content/reports/2026-07.md"),
        "请业主回电 13812345678。\n",
    )
    .unwrap();
    ok(&huifang(dir, &["build", "-q"]));
    ok(&huifang(dir, &["export", "2026-07", "--pdf", "-o", "docs"]));
    let scan = huifang(dir, &["privacy-scan", "docs"]);
    assert_eq!(scan.status.code(), Some(1));
    let found = String::from_utf8_lossy(&scan.stdout);
    assert!(found.contains("docs/2026-07-v1.pdf:"), "{found}");
    assert!(
        !found.contains("13812345678"),
        "findings are masked: {found}"
    );
}
