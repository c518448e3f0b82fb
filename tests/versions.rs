//! Versions: a change in one month's data gives exactly that month, its quarter and its year
//! a new version, listed with what changed; earlier versions stay readable; a corrupt
//! snapshot is named and the rest still build; builds of one project never overlap.
//! The data is tests/fixtures/metrics_quarter (hand-worked in tests/metrics.rs).

use crate::util;

use std::path::Path;
use std::process::{Command, Output};
use util::versions_of;

fn build(project: &util::TempProject, extra: &[&str]) -> Output {
    let out = project.path().join("public");
    let mut args = vec![
        "build",
        "-c",
        project.config().to_str().unwrap().to_owned().leak(),
        "--out",
    ];
    args.push(out.to_str().unwrap().to_owned().leak());
    args.extend_from_slice(extra);
    Command::new(env!("CARGO_BIN_EXE_huifang"))
        .args(args)
        .output()
        .unwrap()
}

/// Row 8 of metrics_quarter (2025-03-03, 工程部, 电梯故障, 待处理) is rectified on 03-20.
fn rectify_row_8(project: &util::TempProject) {
    let csv = project.path().join("visits.csv");
    let text = std::fs::read_to_string(&csv).unwrap();
    let changed = text.replace(
        "2025-03-03,工程部,锦绣华庭,维修回访,电话,成功,满意,电梯故障,重大,待处理,,,",
        "2025-03-03,工程部,锦绣华庭,维修回访,电话,成功,满意,电梯故障,重大,已整改,,2025-03-20,",
    );
    assert_ne!(text, changed);
    std::fs::write(&csv, changed).unwrap();
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn kpi(page: &Path, metric: &str) -> f64 {
    let html = scraper::Html::parse_document(&std::fs::read_to_string(page).unwrap());
    let sel = scraper::Selector::parse(&format!(".kpi[data-metric='{metric}']")).unwrap();
    html.select(&sel)
        .next()
        .unwrap()
        .value()
        .attr("data-value")
        .unwrap()
        .parse()
        .unwrap()
}

#[test]
fn changing_one_month_versions_exactly_that_month_its_quarter_and_year() {
    let project = util::TempProject::fixture("metrics_quarter");
    let o = build(&project, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    for id in ["2025-01", "2025-02", "2025-03", "2025-Q1", "2025"] {
        assert_eq!(versions_of(&project, id), ["v0001.json"], "{id}");
    }

    rectify_row_8(&project);
    let o = build(&project, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("new versions: 2025-03 v2, 2025-Q1 v2, 2025 v2"),
        "{}",
        stderr(&o)
    );
    for id in ["2025-01", "2025-02"] {
        assert_eq!(versions_of(&project, id), ["v0001.json"], "{id}");
    }
    for id in ["2025-03", "2025-Q1", "2025"] {
        assert_eq!(
            versions_of(&project, id),
            ["v0001.json", "v0002.json"],
            "{id}"
        );
    }

    // March's complaints: #8 (now closed) and #10 (closed): 1 of 2 closed before, 2 of 2 now.
    let public = project.path().join("public");
    let history =
        std::fs::read_to_string(public.join("reports/2025-03/versions/index.html")).unwrap();
    assert!(
        history.contains("全部 整改完成率 50.0% → 100.0%"),
        "{history}"
    );
    assert!(
        history.contains("工程部 整改完成率 0.0% → 100.0%"),
        "{history}"
    );
    assert!(history.contains("工程部 1 项投诉转为已整改"), "{history}");
    assert!(history.contains("首个版本"));

    // Both versions stay readable at stable URLs, each with its own numbers.
    assert_eq!(
        kpi(
            &public.join("reports/2025-03/v1/index.html"),
            "rectification.closure_rate"
        ),
        0.5
    );
    assert_eq!(
        kpi(
            &public.join("reports/2025-03/index.html"),
            "rectification.closure_rate"
        ),
        1.0
    );
    let current = std::fs::read_to_string(public.join("reports/2025-03/index.html")).unwrap();
    assert!(current.contains("版本 2"), "the report shows its version");
    // v1 is an earlier version and says so, with a link to the report; v2 is the latest.
    let page = |v: &str| {
        std::fs::read_to_string(public.join(format!("reports/2025-03/{v}/index.html"))).unwrap()
    };
    assert!(page("v1").contains("这是本报告的较早版本："));
    assert!(page("v1").contains("查看最新版本"));
    // It shows its own numbers alone: no trend across months and no links to other periods,
    // which change from day to day while v1 stays what it was; the report page has both.
    assert!(!page("v1").contains("id=\"fig-trend\""));
    assert!(!page("v1").contains("class=\"period-links\""));
    assert!(current.contains("id=\"fig-trend\""));
    assert!(current.contains("class=\"period-links\""));
    // An earlier version's page is rendered from its snapshot, which holds no complaint
    // records: it shows no action list rather than today's, which the report page shows.
    let section = |html: &str, class: &str| html.contains(&format!("<section class=\"{class}"));
    assert!(!section(&page("v1"), "actions"));
    assert!(!section(&page("v1"), "follow-up"));
    assert!(section(&current, "actions"));
    assert!(section(&current, "follow-up"));
    // v2's URL leads to the report page, which shows v2, rather than holding a second copy;
    // the history links v2 to the report page itself.
    let v2 = scraper::Html::parse_document(&page("v2"));
    let refresh = scraper::Selector::parse("meta[http-equiv='refresh']").unwrap();
    let refresh = v2.select(&refresh).next().unwrap().value().attr("content");
    assert_eq!(refresh, Some("0; url=../../../reports/2025-03/index.html"));
    assert!(!page("v2").contains("class=\"kpi"), "no numbers of its own");
    let rows = scraper::Selector::parse("tbody tr td:first-child a").unwrap();
    let history = scraper::Html::parse_document(&history);
    let links: Vec<(String, &str)> = history
        .select(&rows)
        .map(|a| (a.text().collect(), a.value().attr("href").unwrap()))
        .collect();
    assert_eq!(
        links,
        [
            ("v2".to_owned(), "../../../reports/2025-03/index.html"),
            ("v1".to_owned(), "../../../reports/2025-03/v1/index.html"),
        ]
    );

    // Nothing changed since: the next build does nothing.
    let o = build(&project, &[]);
    assert!(stderr(&o).contains("is up to date"), "{}", stderr(&o));
}

/// English counts its complaints (CLDR: one for 1, other otherwise). tests/fixtures/site_english
/// holds the data of metrics_quarter; here #6 (February, 工程部) starts open like #8 (March,
/// 工程部), and a rebuild rectifies both: one in March, two in Q1.
#[test]
fn english_history_says_1_complaint_and_2_complaints_now_rectified() {
    let project = util::TempProject::fixture("site_english");
    let csv = project.path().join("visits.csv");
    let data = std::fs::read_to_string(&csv).unwrap();
    let open = data.replace(
        "2025-02-14,工程部,翠湖花园,投诉回访,电话,成功,非常满意,漏水渗水,轻微,已整改,,,",
        "2025-02-14,工程部,翠湖花园,投诉回访,电话,成功,非常满意,漏水渗水,轻微,待处理,,,",
    );
    let closed = data.replace(
        "2025-03-03,工程部,锦绣华庭,维修回访,电话,成功,满意,电梯故障,重大,待处理,,,",
        "2025-03-03,工程部,锦绣华庭,维修回访,电话,成功,满意,电梯故障,重大,已整改,,2025-03-20,",
    );
    assert!(open != data && closed != data);
    std::fs::write(&csv, open).unwrap();
    assert!(build(&project, &[]).status.success());
    std::fs::write(&csv, closed).unwrap();
    let o = build(&project, &[]);
    assert!(o.status.success(), "{}", stderr(&o));

    let history = |id: &str| {
        let page = project
            .path()
            .join(format!("public/reports/{id}/versions/index.html"));
        std::fs::read_to_string(page).unwrap()
    };
    let march = history("2025-03");
    assert!(
        march.contains("工程部 1 complaint now rectified"),
        "{march}"
    );
    assert!(!march.contains("1 complaints"), "{march}");
    let q1 = history("2025-Q1");
    assert!(q1.contains("工程部 2 complaints now rectified"), "{q1}");
}

#[test]
fn a_corrupt_snapshot_is_named_and_the_rest_still_build() {
    let project = util::TempProject::fixture("metrics_quarter");
    assert!(build(&project, &[]).status.success());
    let snapshot = project.path().join("snapshots/2025-01/v0001.json");
    let text = std::fs::read_to_string(&snapshot).unwrap();
    // Someone "fixes" January's visit count by hand: 4 becomes 40.
    let edited = text.replacen("\"total\": 4,", "\"total\": 40,", 1);
    assert_ne!(text, edited);
    std::fs::write(&snapshot, edited).unwrap();
    let o = build(&project, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("snapshots/2025-01/v0001.json: checksum mismatch"),
        "{err}"
    );
    // The edited file stays as it is; January gets a fresh version, numbered past it.
    assert_eq!(
        versions_of(&project, "2025-01"),
        ["v0001.json", "v0002.json"]
    );
    assert!(
        project
            .path()
            .join("public/reports/2025-02/index.html")
            .is_file()
    );
}

/// An earlier version that passes its checksum but holds no report (resealed after an edit,
/// or written by a huifang whose reports read otherwise) is read only when its page is made:
/// it is then named and left out, as one failing its checksum is, and `check` names it.
#[test]
fn an_earlier_version_that_cannot_be_read_is_named_and_left_out() {
    let project = two_versions_of_march();
    // v1 without its overall numbers, sealed again as huifang seals a version.
    let v1 = project.path().join("snapshots/2025-03/v0001.json");
    edit_and_seal(&v1, |file| {
        file["report"].as_object_mut().unwrap().remove("overall");
    });

    let o = build(&project, &["--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("snapshots/2025-03/v0001.json: not a snapshot"),
        "{err}"
    );
    let public = project.path().join("public/reports/2025-03");
    let history = std::fs::read_to_string(public.join("versions/index.html")).unwrap();
    assert!(!history.contains("v1/index.html"), "{history}");
    assert!(history.contains(">v2</a>"), "{history}");
    assert!(!public.join("v1").exists());
    assert!(public.join("v2/index.html").is_file());
    // Its report keeps no key, so the next build makes it, and reads v1, again; the other
    // reports keep theirs.
    let marker = std::fs::read_to_string(project.path().join("public/.huifang-site")).unwrap();
    assert!(!marker.contains("pages: 2025-03 "), "{marker}");
    assert!(marker.contains("pages: 2025-01 "), "{marker}");
    // A build with nothing to do names it again.
    let again = build(&project, &[]);
    assert!(
        stderr(&again).contains("is up to date"),
        "{}",
        stderr(&again)
    );
    assert!(
        stderr(&again).contains("snapshots/2025-03/v0001.json: not a snapshot"),
        "{}",
        stderr(&again)
    );

    // An archive of every version leaves it out and names it: 5 reports' v1 and the v2 of
    // 2025-03, Q1 and 2025, but 2025-03's v1.
    let tar = project.path().join("all.tar.gz");
    let archived = Command::new(env!("CARGO_BIN_EXE_huifang"))
        .args(["archive", "-c", project.config().to_str().unwrap()])
        .args(["--all", "--all-versions", "-o", tar.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(archived.status.success(), "{}", stderr(&archived));
    let said = stderr(&archived);
    assert!(said.contains("(7 report pages)"), "{said}");
    assert!(
        said.contains("warning: snapshot snapshots/2025-03/v0001.json: not a snapshot"),
        "{said}"
    );

    let checked = Command::new(env!("CARGO_BIN_EXE_huifang"))
        .args(["check", "-c", project.config().to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!checked.status.success());
    assert!(
        stderr(&checked).contains("snapshots/2025-03/v0001.json: not a snapshot"),
        "{}",
        stderr(&checked)
    );
}

/// The quarter fixture built, then built again with a complaint of March rectified: March
/// has two versions.
fn two_versions_of_march() -> util::TempProject {
    let project = util::TempProject::fixture("metrics_quarter");
    assert!(build(&project, &[]).status.success());
    rectify_row_8(&project);
    assert!(build(&project, &[]).status.success());
    assert_eq!(
        versions_of(&project, "2025-03"),
        ["v0001.json", "v0002.json"]
    );
    project
}

/// Edits a version and seals it again as huifang seals one; returns its new checksum.
fn edit_and_seal(path: &Path, edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut file: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    edit(&mut file);
    file["checksum"] = format!("sha256:{}", huifang::seal::UNSET).into();
    let mut text = serde_json::to_string_pretty(&file).unwrap();
    text.push('\n');
    let digest = huifang::seal::digest(text.as_bytes());
    std::fs::write(path, text.replace(huifang::seal::UNSET, &digest)).unwrap();
    format!("sha256:{digest}")
}

/// `--strict` refuses an earlier version that passes its checksum and the chain but holds no
/// report, found only when its page is made, as it refuses one failing its checksum; the
/// site and the project stay as they were.
#[test]
fn strict_refuses_an_earlier_version_that_cannot_be_read() {
    let project = two_versions_of_march();
    let dir = project.path().join("snapshots/2025-03");
    let v1 = edit_and_seal(&dir.join("v0001.json"), |file| {
        file["report"].as_object_mut().unwrap().remove("overall");
    });
    // v2 follows the edited v1, so the chain holds and only reading v1 finds it.
    edit_and_seal(&dir.join("v0002.json"), |file| {
        file["previous"] = v1.into();
    });
    // Rewriting v2 is a change of history: one build accepts it, and names v1 and goes on.
    let o = build(&project, &["--accept-history-change"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("snapshots/2025-03/v0001.json: not a snapshot"),
        "{}",
        stderr(&o)
    );
    let listing = |dir: &Path| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let marker = project.path().join("public/.huifang-site");
    let (marker_before, project_before) = (
        std::fs::read_to_string(&marker).unwrap(),
        listing(project.path()),
    );
    let public_before = listing(&project.path().join("public/reports/2025-03"));

    let o = build(&project, &["--force", "--strict"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let said = stderr(&o);
    assert!(
        said.contains(
            "the history in the snapshots folder has 1 problem(s), and --strict allows none:\n  \
             snapshots/2025-03/v0001.json: not a snapshot"
        ),
        "{said}"
    );
    assert_eq!(std::fs::read_to_string(&marker).unwrap(), marker_before);
    assert_eq!(listing(project.path()), project_before);
    assert_eq!(
        listing(&project.path().join("public/reports/2025-03")),
        public_before
    );
    assert_eq!(listing(&dir), ["v0001.json", "v0002.json"]);
}

/// A version holding a phone number that this huifang masks (as an older one could write
/// it) is named by every build while it is there, also by those that do not read it again,
/// and no page shows the number.
#[test]
fn a_version_holding_unmasked_text_is_named_by_every_build() {
    const PHONE: &str = "13812345678";
    let project = util::TempProject::fixture("metrics_quarter");
    assert!(build(&project, &[]).status.success());
    let v1 = "snapshots/2025-01/v0001.json";
    edit_and_seal(&project.path().join(v1), |file| {
        let by_type = &mut file["report"]["overall"]["visits"]["by_type"][0]["name"];
        *by_type = format!("{} {PHONE}", by_type.as_str().unwrap()).into();
    });
    let warning = format!("warning: snapshot {v1} hold personal data that this huifang masks");
    let leaks = |project: &util::TempProject| -> Vec<String> {
        let mut found = Vec::new();
        for entry in walkdir::WalkDir::new(project.path().join("public")) {
            let entry = entry.unwrap();
            let text = std::fs::read(entry.path()).unwrap_or_default();
            if String::from_utf8_lossy(&text).contains(PHONE) {
                found.push(entry.path().display().to_string());
            }
        }
        found
    };

    // The edit rewrote January's history: accepted, the build reads the version and names it.
    let o = build(&project, &["--accept-history-change"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains(&warning), "{}", stderr(&o));
    assert_eq!(leaks(&project), Vec::<String>::new());
    // Without the flag (part of the build's key) every report is kept; then nothing is left
    // to do. Both name it again.
    let o = build(&project, &[]);
    assert!(
        stderr(&o).contains("reports: 5 unchanged, their folders kept"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains(&warning), "{}", stderr(&o));
    let o = build(&project, &[]);
    assert!(stderr(&o).contains("is up to date"), "{}", stderr(&o));
    assert!(stderr(&o).contains(&warning), "{}", stderr(&o));
    // March changes and January's folder is kept without reading its versions: named again.
    rectify_row_8(&project);
    let o = build(&project, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains(&warning), "{}", stderr(&o));
    assert_eq!(leaks(&project), Vec::<String>::new());
}

#[test]
fn a_second_build_of_a_locked_project_waits_then_fails_clearly() {
    let project = util::TempProject::fixture("metrics_quarter");
    let _held = huifang::versions::lock::ProjectLock::acquire(
        project.path(),
        std::time::Duration::ZERO,
        || {},
    )
    .unwrap();
    let o = build(&project, &["--lock-wait", "1"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("another huifang build holds"),
        "{}",
        stderr(&o)
    );
    assert!(!project.path().join("public").exists());
}

#[test]
fn summary_json_for_ci() {
    let project = util::TempProject::fixture("metrics_quarter");
    let summary = project.path().join("summary.json");
    let o = build(
        &project,
        &["--quiet", "--summary-json", summary.to_str().unwrap()],
    );
    assert!(o.status.success());
    assert!(
        stderr(&o).contains("record(s) dated after the as-of date"),
        "warnings still show under --quiet"
    );
    assert!(
        !stderr(&o).contains("read 12 rows"),
        "--quiet drops the per-file lines"
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&summary).unwrap()).unwrap();
    // 12 rows, all accepted (row 12 is after as-of, which is not a rejection); 5 reports.
    assert_eq!(
        (
            json["rows_read"].as_u64(),
            json["accepted"].as_u64(),
            json["rejected"].as_u64()
        ),
        (Some(12), Some(12), Some(0))
    );
    assert_eq!(json["reports"].as_u64(), Some(5));
    assert_eq!(json["new_versions"].as_array().unwrap().len(), 5);
    assert_eq!(json["up_to_date"], false);
    let o = build(
        &project,
        &["--quiet", "--summary-json", summary.to_str().unwrap()],
    );
    assert!(o.status.success());
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&summary).unwrap()).unwrap();
    assert_eq!(json["up_to_date"], true);
}

#[test]
fn an_older_as_of_or_a_new_display_order_add_no_version() {
    let project = util::TempProject::fixture("metrics_quarter");
    assert!(build(&project, &[]).status.success());
    let v1 = project.path().join("public/reports/2025-Q1/v1/index.html");
    let v1 = std::fs::read_to_string(v1).unwrap();
    assert!(v1.contains("http-equiv=\"refresh\""), "{v1}");
    // Rebuilding the past (its numbers differ) must not make older data the latest version.
    let o = build(&project, &["--as-of", "2025-02-28"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("new versions"), "{}", stderr(&o));
    // The report page shows January and February now, so v1's address, which led to it while
    // it showed v1, is v1's own page again, with all of Q1's visits.
    let data = std::fs::read_to_string(project.path().join("visits.csv")).unwrap();
    let dated = |last: &str| {
        let dates = data.lines().skip(1).filter_map(|l| l.split(',').next());
        dates.filter(|d| ("2025-01-01"..=last).contains(d)).count() as f64
    };
    let q1 = project.path().join("public/reports/2025-Q1");
    assert_eq!(
        kpi(&q1.join("v1/index.html"), "visits.total"),
        dated("2025-03-31")
    );
    assert_eq!(
        kpi(&q1.join("index.html"), "visits.total"),
        dated("2025-02-28")
    );
    assert!(dated("2025-02-28") < dated("2025-03-31"));
    let v1 = std::fs::read_to_string(q1.join("v1/index.html")).unwrap();
    assert!(!v1.contains("较早版本"), "v1 is still the latest version");
    // Drawn from its snapshot alone, it says so.
    assert!(v1.contains("本页只列出该版本当时的数字"), "{v1}");
    // Display order and slugs are presentation, not numbers.
    let config = project.config();
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        format!("{text}\n[[departments]]\nname = \"工程部\"\nslug = \"engineering\"\n"),
    )
    .unwrap();
    let o = build(&project, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("new versions"), "{}", stderr(&o));
    assert_eq!(versions_of(&project, "2025"), ["v0001.json"]);
    assert!(
        project
            .path()
            .join("public/reports/2025/departments/engineering/index.html")
            .is_file()
    );
}

#[test]
fn a_failed_build_records_no_version() {
    let project = util::TempProject::fixture("metrics_quarter");
    std::fs::create_dir_all(project.path().join("content/reports")).unwrap();
    std::fs::write(
        project.path().join("content/reports/2025-Q1.md"),
        "{{ metric(name=\"nope\") }}\n",
    )
    .unwrap();
    let o = build(&project, &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        !project.path().join("snapshots").exists(),
        "no snapshot without a site"
    );
}

/// Sets a file's modification time, as a copy that keeps times would.
fn set_time(path: &Path, seconds_since_epoch: u64) {
    let time = std::time::UNIX_EPOCH + std::time::Duration::from_secs(seconds_since_epoch);
    let file = std::fs::File::options().write(true).open(path).unwrap();
    file.set_modified(time).unwrap();
}

fn marker(project: &util::TempProject) -> String {
    std::fs::read_to_string(project.path().join("public/.huifang-site")).unwrap()
}

fn up_to_date(project: &util::TempProject) -> bool {
    let summary = project.path().join("summary.json");
    let o = build(
        project,
        &["--quiet", "--summary-json", summary.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&summary).unwrap()).unwrap();
    json["up_to_date"].as_bool().unwrap()
}

/// Files' times are trusted only a second after their last change.
fn settle() {
    std::thread::sleep(std::time::Duration::from_millis(1100));
}

/// Inputs that have settled are judged by size and times: unchanged ones are not read again,
/// touched ones are read, found the same and remembered by their new times, and a same-size
/// replacement with its old modification time set back is caught by the inode change time.
/// Inputs changed within the last second are always read.
#[test]
fn unchanged_inputs_are_judged_by_size_and_times_and_touched_ones_by_content() {
    let project = util::TempProject::fixture("metrics_quarter");
    let csv = project.path().join("visits.csv");
    assert!(!up_to_date(&project));
    assert!(
        !marker(&project).contains("quick: "),
        "inputs copied a moment ago are not judged by their times"
    );

    set_time(&csv, 1_700_000_000);
    settle();
    assert!(up_to_date(&project), "same content: up to date");
    let first = marker(&project);
    assert!(first.contains("\nquick: "), "{first}");
    assert!(up_to_date(&project));
    assert_eq!(marker(&project), first);

    // Touched, same content: read, found the same, and the new times remembered.
    set_time(&csv, 1_700_000_100);
    settle();
    assert!(up_to_date(&project));
    let touched = marker(&project);
    assert_ne!(touched, first);
    let key = |m: &str| {
        m.lines()
            .find(|l| l.starts_with("key: "))
            .map(str::to_owned)
    };
    assert_eq!(key(&touched), key(&first));
    assert!(up_to_date(&project));
    assert_eq!(marker(&project), touched);

    // Same size, modification time set back, different bytes: built.
    let original = std::fs::read(&csv).unwrap();
    let at = original.iter().position(|&b| b == b'1').unwrap();
    let mut changed = original.clone();
    changed[at] = b'2';
    std::fs::write(&csv, &changed).unwrap();
    set_time(&csv, 1_700_000_100);
    settle();
    assert!(!up_to_date(&project));
}
