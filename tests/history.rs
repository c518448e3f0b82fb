//! The history of report versions cannot change unseen: each fault below is named with its
//! file and what is wrong, by the build that finds it, by every later build that is up to
//! date (and its `--summary-json`), and by `check`, which fails on it; `--strict` builds
//! fail on it. The data is tests/fixtures/metrics_quarter; two added March rows give
//! 2025-Q1 three versions.

use crate::util;

use std::path::Path;
use std::process::{Command, Output};
use util::{TempProject, versions_of};

fn huifang(project: &TempProject, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_huifang"))
        .current_dir(project.path())
        .args(args)
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A project whose 2025-Q1 has versions 1, 2 and 3.
fn three_versions() -> TempProject {
    let project = TempProject::fixture("metrics_quarter");
    let csv = project.path().join("visits.csv");
    for day in ["", "2025-03-10", "2025-03-11"] {
        if !day.is_empty() {
            let mut text = std::fs::read_to_string(&csv).unwrap();
            text.push_str(&format!(
                "{day},工程部,翠湖花园,维修回访,电话,成功,满意,,,,,,\n"
            ));
            std::fs::write(&csv, text).unwrap();
        }
        let o = huifang(&project, &["build", "--quiet"]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let q1 = project.path().join("snapshots/2025-Q1");
    for v in ["v0001.json", "v0002.json", "v0003.json"] {
        assert!(q1.join(v).is_file(), "{v}");
    }
    project
}

/// Builds twice (the second is up to date) and checks: each time the warning, the summary's
/// `snapshot_problems`, then `check` and `build --strict` failing with the problem.
fn reported_every_time(project: &TempProject, problems: &[&str]) {
    let summary = project.path().join("summary.json");
    let summary_arg = summary.to_str().unwrap();
    for (round, up_to_date) in [(1, false), (2, true)] {
        let o = huifang(project, &["build", "--summary-json", summary_arg]);
        assert!(o.status.success(), "round {round}: {}", stderr(&o));
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&summary).unwrap()).unwrap();
        assert_eq!(json["up_to_date"], up_to_date, "round {round}");
        let listed: Vec<&str> = json["snapshot_problems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap())
            .collect();
        assert_eq!(listed, problems, "round {round}");
        for problem in problems {
            assert!(
                stderr(&o).contains(&format!("warning: snapshot {problem}\n")),
                "round {round}: {}",
                stderr(&o)
            );
        }
    }
    let o = huifang(project, &["check"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    for problem in problems {
        assert!(stderr(&o).contains(problem), "{}", stderr(&o));
    }
    let o = huifang(project, &["build", "--strict"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let expected = format!(
        "the history in the snapshots folder has {} problem(s), and --strict allows none:",
        problems.len()
    );
    assert!(stderr(&o).contains(&expected), "{}", stderr(&o));
}

/// Changes `from` to `to` in a version and recomputes its checksum as anyone can: the SHA-256
/// of the file with the checksum's own value zeroed.
fn reseal(path: &Path, from: &str, to: &str) {
    use sha2::{Digest, Sha256};
    let text = std::fs::read_to_string(path).unwrap();
    let altered = text.replacen(from, to, 1);
    assert_ne!(text, altered);
    let at = altered.rfind("\"checksum\": \"sha256:").unwrap() + "\"checksum\": \"".len();
    let zero = format!("sha256:{}", "0".repeat(64));
    let end = at + zero.len();
    let unsealed = format!("{}{zero}{}", &altered[..at], &altered[end..]);
    let sum = format!("sha256:{:x}", Sha256::digest(unsealed.as_bytes()));
    std::fs::write(path, format!("{}{sum}{}", &altered[..at], &altered[end..])).unwrap();
}

fn q1(project: &TempProject, file: &str) -> std::path::PathBuf {
    project.path().join("snapshots/2025-Q1").join(file)
}

const NOT_USED: &str = "it is not used";
const MISSING_V2: &str = "snapshots/2025-Q1/v0002.json: missing, though 2025-Q1 has versions up to v0003; a version is never deleted: restore the file from version control";

#[test]
fn an_altered_version() {
    let project = three_versions();
    let path = q1(&project, "v0001.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let altered = text.replacen("\"total\": 11", "\"total\": 12", 1);
    assert_ne!(text, altered);
    std::fs::write(&path, altered).unwrap();
    reported_every_time(
        &project,
        &[&format!(
            "snapshots/2025-Q1/v0001.json: checksum mismatch: the file was changed after it was written; {NOT_USED}"
        )],
    );
}

#[test]
fn a_deleted_version_in_the_middle() {
    let project = three_versions();
    std::fs::remove_file(q1(&project, "v0002.json")).unwrap();
    reported_every_time(&project, &[MISSING_V2]);
}

#[test]
fn a_renamed_version() {
    let project = three_versions();
    std::fs::rename(q1(&project, "v0002.json"), q1(&project, "v2.json")).unwrap();
    reported_every_time(
        &project,
        &[
            MISSING_V2,
            "snapshots/2025-Q1/v2.json: not a version's name (versions are v0001.json, v0002.json, …); it is not used: move it out of the snapshots folder",
        ],
    );
}

#[test]
fn a_duplicated_version() {
    let project = three_versions();
    std::fs::copy(q1(&project, "v0001.json"), q1(&project, "v0001 (1).json")).unwrap();
    reported_every_time(
        &project,
        &[
            "snapshots/2025-Q1/v0001 (1).json: not a version's name (versions are v0001.json, v0002.json, …); it is not used: move it out of the snapshots folder",
        ],
    );
}

#[test]
fn an_inserted_version() {
    let project = three_versions();
    let march = project.path().join("snapshots/2025-03/v0001.json");
    std::fs::copy(&march, q1(&project, "v0004.json")).unwrap();
    reported_every_time(
        &project,
        &[&format!(
            "snapshots/2025-Q1/v0004.json: holds report 2025-03 version 1, which does not match its place in the store; {NOT_USED}"
        )],
    );
    assert!(
        Path::new(&q1(&project, "v0004.json")).is_file(),
        "left as it is"
    );
}

/// A version changed with its checksum recomputed (which anyone can do: the checksum is of
/// the file with its own value zeroed) passes its own check, but the next version records
/// the checksum it followed, so the chain breaks there.
#[test]
fn a_changed_version_with_a_recomputed_checksum() {
    let project = three_versions();
    reseal(
        &q1(&project, "v0001.json"),
        "\"total\": 11",
        "\"total\": 12",
    );
    reported_every_time(
        &project,
        &[
            "snapshots/2025-Q1/v0002.json: does not follow v0001.json: the version before it was changed, replaced or inserted (and its checksum recomputed); restore the files from version control",
        ],
    );
}

/// The latest version deleted: the site remembers it, so the build names the gap and writes
/// no new version over it until told; told, it goes on at v0004 (numbers are never reused),
/// and the history is whole again.
#[test]
fn a_deleted_latest_version() {
    let project = three_versions();
    std::fs::remove_file(q1(&project, "v0003.json")).unwrap();
    reported_every_time(
        &project,
        &[
            "snapshots/2025-Q1/v0003.json: missing; it was the latest version when public was built, so the history of 2025-Q1 was rewritten; no new version is written over it: restore the file from version control, or build with --accept-history-change to go on from here",
        ],
    );
    assert_eq!(
        versions_of(&project, "2025-Q1"),
        ["v0001.json", "v0002.json"]
    );

    let o = huifang(&project, &["build", "--accept-history-change"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        versions_of(&project, "2025-Q1"),
        ["v0001.json", "v0002.json", "v0004.json"]
    );
    let o = huifang(&project, &["check"]);
    assert!(stderr(&o).contains("v0003.json: missing, though 2025-Q1 has versions up to v0004"));
}

/// The latest version changed with its checksum recomputed: nothing follows it, but the site
/// recorded its checksum.
#[test]
fn a_changed_latest_version_with_a_recomputed_checksum() {
    let project = three_versions();
    reseal(
        &q1(&project, "v0003.json"),
        "\"total\": 13",
        "\"total\": 14",
    );
    reported_every_time(
        &project,
        &[
            "snapshots/2025-Q1/v0003.json: changed since public was built, so the history of 2025-Q1 was rewritten; no new version is written over it: restore the file from version control, or build with --accept-history-change to go on from here",
        ],
    );
}

/// The versions the project's record of checked files (`.huifang-checked`) holds: each
/// file's path as shown, and the version its listing names.
fn checked_record(project: &TempProject) -> Vec<(String, u64)> {
    let record = std::fs::read_to_string(project.path().join(".huifang-checked")).unwrap();
    let mut lines = record.lines();
    assert!(lines.next().unwrap().starts_with("basis: "), "{record}");
    // Lines of what changed from version to version name no file.
    let mut files: Vec<(String, u64)> = lines
        .map(|json| serde_json::from_str::<serde_json::Value>(json).unwrap())
        .filter(|v| v.get("into").is_none())
        .map(|v| {
            let version = v["listing"]["version"].as_u64().unwrap();
            (v["file"].as_str().unwrap().to_owned(), version)
        })
        .collect();
    files.sort();
    files
}

/// Two sites hold the same files with the same bytes, but for the marker of their keys.
fn same_pages(a: &[(std::path::PathBuf, Vec<u8>)], b: &[(std::path::PathBuf, Vec<u8>)]) {
    let pages = |tree: &[(std::path::PathBuf, Vec<u8>)]| -> Vec<(std::path::PathBuf, Vec<u8>)> {
        (tree.iter())
            .filter(|(path, _)| !path.ends_with(".huifang-site"))
            .cloned()
            .collect()
    };
    let (a, b) = (pages(a), pages(b));
    assert_eq!(
        a.iter().map(|(p, _)| p).collect::<Vec<_>>(),
        b.iter().map(|(p, _)| p).collect::<Vec<_>>()
    );
    for ((path, a), (_, b)) in a.iter().zip(&b) {
        assert!(a == b, "{} differs", path.display());
    }
}

fn add_march_row(project: &TempProject, day: &str) {
    let csv = project.path().join("visits.csv");
    let mut text = std::fs::read_to_string(&csv).unwrap();
    text.push_str(&format!(
        "{day},工程部,翠湖花园,维修回访,电话,成功,满意,,,,,,\n"
    ));
    std::fs::write(&csv, text).unwrap();
}

/// An earlier version's page shows that version alone, so a build after one more version
/// links it from the previous site instead of reading the version and making the page again,
/// and the site is byte for byte what `--force` makes. A change to what every page is made
/// from (the config here) makes it again.
#[cfg(unix)]
#[test]
fn an_earlier_versions_page_is_kept_from_the_previous_site() {
    use std::os::unix::fs::MetadataExt as _;
    let project = three_versions();
    let site = project.path().join("public");
    let page = |v: u32| site.join(format!("reports/2025-Q1/v{v}/index.html"));
    let inode = |v: u32| std::fs::metadata(page(v)).unwrap().ino();
    let before = [inode(1), inode(2)];
    let v3_before = std::fs::read(page(3)).unwrap();
    let marker = || std::fs::read_to_string(site.join(".huifang-site")).unwrap();
    assert!(marker().contains("version-page: reports/2025-Q1/v1/index.html "));
    assert!(marker().contains("version-page: reports/2025-Q1/v2/index.html "));
    // v3 is the latest: its address leads to the report page, and is not a version's page.
    assert!(!marker().contains("version-page: reports/2025-Q1/v3/"));

    add_march_row(&project, "2025-03-12");
    let o = huifang(&project, &["build", "--quiet"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(versions_of(&project, "2025-Q1").len(), 4);
    // The report's folder was made anew (it has a new version), its earlier pages linked.
    assert_eq!([inode(1), inode(2)], before);
    assert_ne!(std::fs::read(page(3)).unwrap(), v3_before);
    assert!(marker().contains("version-page: reports/2025-Q1/v3/index.html "));

    let kept = util::tree(&site);
    let o = huifang(&project, &["build", "--quiet", "--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(versions_of(&project, "2025-Q1").len(), 4);
    let made = util::tree(&site);
    same_pages(&kept, &made);

    // Another title: every page shows it, the earlier versions' too.
    let before = [inode(1), inode(2)];
    let config = project.path().join("huifang.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("title = \"翠湖物业回访\"\n{text}")).unwrap();
    let o = huifang(&project, &["build", "--quiet"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_ne!(inode(1), before[0]);
    assert_ne!(inode(2), before[1]);
    assert!(
        std::fs::read_to_string(page(1))
            .unwrap()
            .contains("翠湖物业回访")
    );
}

/// A build records the versions it found settled, as it found them, beside the project (not in
/// the published site), and the next build takes an earlier version's listing from there
/// instead of reading the file: its site is byte for byte what `--force` (which reads every
/// file) makes. A version altered afterwards, even to the same size, is read again and named.
/// (Outside Unix every version is read on every build.)
#[cfg(unix)]
#[test]
fn versions_an_earlier_build_checked() {
    let project = three_versions();
    let site = project.path().join("public");
    // Files changed within a second of a build are not judged by their looks, so the three
    // builds just made recorded none of the files.
    let q1_checked = |project: &TempProject| -> Vec<(String, u64)> {
        (checked_record(project).into_iter())
            .filter(|(file, _)| file.starts_with("snapshots/2025-Q1/"))
            .collect()
    };
    assert_eq!(q1_checked(&project), []);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    add_march_row(&project, "2025-03-12");
    let o = huifang(&project, &["build", "--quiet"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let shown = |n: u64| (format!("snapshots/2025-Q1/v000{n}.json"), n);
    // v4, written by this build, is recorded by the next.
    assert_eq!(q1_checked(&project), [shown(1), shown(2), shown(3)]);

    std::thread::sleep(std::time::Duration::from_millis(1100));
    add_march_row(&project, "2025-03-13");
    let o = huifang(&project, &["build", "--quiet"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        q1_checked(&project),
        [shown(1), shown(2), shown(3), shown(4)]
    );
    let listed = util::tree(&site);
    let o = huifang(&project, &["build", "--quiet", "--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(versions_of(&project, "2025-Q1").len(), 5);
    let read = util::tree(&site);
    assert!(
        listed
            .iter()
            .any(|(p, _)| p.ends_with("2025-Q1/versions/index.html"))
    );
    same_pages(&listed, &read);

    // What changed from version to version is recorded as the history page words it, and
    // taken from the record by the next build: v2's words here are the record's, not v1 and
    // v2 read again to compare them. `--force` reads them again.
    let history =
        || std::fs::read_to_string(site.join("reports/2025-Q1/versions/index.html")).unwrap();
    let record = project.path().join(".huifang-checked");
    let text = std::fs::read_to_string(&record).unwrap();
    let v2 = std::fs::read_to_string(q1(&project, "v0002.json")).unwrap();
    let v2: serde_json::Value = serde_json::from_str(&v2).unwrap();
    let mut words = None;
    let edited: Vec<String> = (text.lines())
        .map(|line| {
            let Ok(mut v) = serde_json::from_str::<serde_json::Value>(line) else {
                return line.to_owned();
            };
            if v["into"] == v2["checksum"] {
                words = v["words"].as_str().map(str::to_owned);
                v["words"] = "记录中的说法".into();
            }
            v.to_string()
        })
        .collect();
    let words = words.expect("v2's changes are recorded");
    assert!(history().contains(&words), "{words}");
    std::fs::write(&record, edited.join("\n") + "\n").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    add_march_row(&project, "2025-03-14");
    let o = huifang(&project, &["build", "--quiet"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(history().contains("记录中的说法"));
    assert!(!history().contains(&words));
    // What changed into the version this build wrote is recorded at once, though its file is
    // not yet: the next build reads it for its page, and not the one before it as well.
    let newest = versions_of(&project, "2025-Q1").pop().unwrap();
    let newest = std::fs::read_to_string(q1(&project, &newest)).unwrap();
    let newest: serde_json::Value = serde_json::from_str(&newest).unwrap();
    let into = format!("\"into\":{}", newest["checksum"]);
    let text = std::fs::read_to_string(&record).unwrap();
    assert!(text.lines().any(|l| l.contains(&into)), "{into}\n{text}");
    let o = huifang(&project, &["build", "--quiet", "--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!history().contains("记录中的说法"));
    assert!(history().contains(&words));

    // Altered to the same size, its modification time set back as a copy that keeps times
    // would: its change time moved all the same, so it is read, and fails its check.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let path = q1(&project, "v0001.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
    let altered = text.replacen("\"total\": 11", "\"total\": 12", 1);
    assert_eq!(text.len(), altered.len());
    std::fs::write(&path, altered).unwrap();
    let file = std::fs::File::options().write(true).open(&path).unwrap();
    file.set_modified(modified).unwrap();
    drop(file);
    // Past the second in which a change is not judged by the file's times.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    reported_every_time(
        &project,
        &[&format!(
            "snapshots/2025-Q1/v0001.json: checksum mismatch: the file was changed after it was written; {NOT_USED}"
        )],
    );
}
