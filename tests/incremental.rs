//! Incremental output: a rebuild keeps every file whose bytes are unchanged (hard-linked
//! from the site it replaces, same inode) and writes only the rest, and the site it leaves
//! is byte for byte the one a build from scratch writes. Each change below is made to a small
//! project of three months and two departments; the pages it changes are worked out by hand.

use std::collections::{BTreeMap, BTreeSet};
use std::os::unix::fs::MetadataExt as _;
use std::path::Path;
use std::process::Command;

const HEAD: &str = "回访日期,责任部门,项目,回访类型,回访方式,回访结果,满意度,问题类别,投诉等级,整改状态,整改期限,完成日期,整改后回访满意度\n";

/// Two departments, one estate each; January to March 2025, March the last month.
const ROWS: &str = "\
2025-01-06,工程部,翠湖花园,维修回访,电话,成功,满意,,,,,,
2025-01-10,工程部,翠湖花园,维修回访,电话,成功,不满意,,,,,,
2025-01-20,保洁部,锦绣华庭,定期走访,上门,成功,满意,,,,,,
2025-02-03,工程部,翠湖花园,维修回访,电话,成功,满意,,,,,,
2025-02-14,保洁部,锦绣华庭,定期走访,上门,成功,一般,,,,,,
2025-03-04,工程部,翠湖花园,维修回访,电话,成功,满意,,,,,,
2025-03-18,保洁部,锦绣华庭,定期走访,上门,成功,满意,,,,,,
";

const CONFIG: &str = r#"as_of = 2025-03-31
min_sample = 1

[[sources]]
path = "visits.csv"

[[departments]]
name = "工程部"
slug = "eng"

[[departments]]
name = "保洁部"
slug = "clean"

[[sites]]
name = "翠湖花园"
slug = "cuihu"

[[sites]]
name = "锦绣华庭"
slug = "jinxiu"
"#;

/// The commentary of February, with one number from the report.
const FEBRUARY: &str = "## 结论\n\n本月回访 {{ metric(name=\"visits\") }} 次。\n";

/// Same for every build, so the versions pages' build times match.
const EPOCH: &str = "1743465600";

struct Fixture {
    dir: tempfile::TempDir,
}

/// Every file of a site: its bytes and inode.
type Site = BTreeMap<String, (Vec<u8>, u64)>;

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("huifang.toml"), CONFIG).unwrap();
        std::fs::write(dir.path().join("visits.csv"), format!("{HEAD}{ROWS}")).unwrap();
        std::fs::create_dir_all(dir.path().join("content/reports")).unwrap();
        std::fs::write(dir.path().join("content/reports/2025-02.md"), FEBRUARY).unwrap();
        Fixture { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn build(&self, out: &str) -> String {
        self.build_with(&["--out", out])
    }

    fn build_with(&self, args: &[&str]) -> String {
        let o = Command::new(env!("CARGO_BIN_EXE_huifang"))
            .current_dir(self.path())
            .arg("build")
            .args(args)
            .env("SOURCE_DATE_EPOCH", EPOCH)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr).into_owned();
        assert!(o.status.success(), "{err}");
        err
    }

    fn site(&self, out: &str) -> Site {
        let dir = self.path().join(out);
        walkdir::WalkDir::new(&dir)
            .into_iter()
            .map(Result::unwrap)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(&dir).unwrap();
                let ino = e.metadata().unwrap().ino();
                let rel = rel.to_string_lossy().into_owned();
                (rel, (std::fs::read(e.path()).unwrap(), ino))
            })
            .collect()
    }

    fn append_march_31(&self) {
        self.edit("visits.csv", |t| {
            format!("{t}2025-03-31,工程部,翠湖花园,维修回访,电话,成功,一般,,,,,,\n")
        });
    }

    fn edit(&self, file: &str, change: impl FnOnce(String) -> String) {
        let path = self.path().join(file);
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, change(text)).unwrap();
    }

    /// Rebuilds `public` after a change and checks it against a build from scratch: the same
    /// files, byte for byte; every file whose bytes changed is a new one (new inode), every
    /// other one kept its inode. The files whose bytes changed or are new, and how many reports
    /// kept their folder without rendering it.
    fn rebuild(&self, what: &str, args: &[&str]) -> (BTreeSet<String>, u64) {
        let before = self.site("public");
        let summary_json = format!("summary-{}.json", what.replace(' ', "-"));
        let args: Vec<&str> = args
            .iter()
            .copied()
            .chain(["--summary-json", &summary_json])
            .collect();
        let summary = self.build_with(&args);
        let after = self.site("public");
        let scratch = format!("scratch-{}", what.replace(' ', "-"));
        self.build(&scratch);
        let fresh = self.site(&scratch);
        let names = |s: &Site| s.keys().cloned().collect::<Vec<_>>();
        assert_eq!(names(&after), names(&fresh), "{what}: the same files");
        for (path, (bytes, _)) in &after {
            assert!(
                *bytes == fresh[path].0,
                "{what}: {path} differs from scratch"
            );
        }
        let mut changed = BTreeSet::new();
        for (path, (bytes, ino)) in &after {
            let old = before.get(path);
            let same_bytes = old.is_some_and(|(b, _)| b == bytes);
            let same_inode = old.is_some_and(|(_, i)| i == ino);
            assert_eq!(same_bytes, same_inode, "{what}: {path}");
            if !same_bytes {
                changed.insert(path.clone());
            }
        }
        // The summary counts what the rebuild wrote and what it kept (the marker aside).
        let pages = after.keys().filter(|p| p.ends_with(".html")).count();
        let pages_changed = changed.iter().filter(|p| p.ends_with(".html")).count();
        let line = format!(
            "{pages} pages ({pages_changed} written, {} unchanged)",
            pages - pages_changed
        );
        assert!(summary.contains(&line), "{what}: {line} in\n{summary}");
        let files_changed = changed.iter().filter(|p| *p != ".huifang-site").count();
        let line = format!(
            "files: {files_changed} written, {} unchanged",
            after.len() - 1 - files_changed
        );
        assert!(summary.contains(&line), "{what}: {line} in\n{summary}");
        let json: serde_json::Value =
            serde_json::from_slice(&std::fs::read(self.path().join(&summary_json)).unwrap())
                .unwrap();
        let count = |key: &str| json[key].as_u64().map(|n| n as usize);
        assert_eq!(
            [
                count("pages_written"),
                count("files_written"),
                count("files_unchanged")
            ],
            [
                Some(pages_changed),
                Some(files_changed),
                Some(after.len() - 1 - files_changed)
            ],
            "{what}: the summary file"
        );
        let reports_kept = json["reports_unchanged"].as_u64().unwrap();
        if reports_kept > 0 {
            let line = format!("reports: {reports_kept} unchanged, their folders kept");
            assert!(summary.contains(&line), "{what}: {line} in\n{summary}");
        }
        (changed, reports_kept)
    }
}

/// The files one more visit on 2025-03-31 (工程部, 一般) changes. March's 满意率 falls from 2
/// of 2 to 2 of 3 overall and 1 of 1 to 1 of 2 for 工程部 (a 满意 would leave both at 100 %,
/// and the pages that show only the rate would rightly stay). March, the first quarter and the
/// year have new numbers, and a second version each; January and February do not. Every
/// department's and site's page in those three draws the overall 满意率 beside its own (a
/// quarter's over the latest quarters, the year's over its months), and each history page the
/// monthly one: all changed, 保洁部's and 锦绣华庭's too. The home page shows the latest month,
/// the data-quality page the rows read.
fn march_31_changes() -> BTreeSet<String> {
    let mut expected = set(&[
        ".huifang-site",
        "index.html",
        "data-quality/index.html",
        "departments/eng/index.html",
        "departments/clean/index.html",
        "sites/cuihu/index.html",
        "sites/jinxiu/index.html",
    ]);
    for id in ["2025-03", "2025-Q1", "2025"] {
        expected.extend(files_of_report(id));
    }
    expected
}

fn set(paths: &[&str]) -> BTreeSet<String> {
    paths.iter().map(|p| (*p).to_owned()).collect()
}

/// What a report's changed numbers show in: its page and data files, every department's and
/// site's page in it (with the overall 满意率 changed: see below), its versions page, and its
/// version pages: the first one, now earlier, links to the latest, and the second is new.
fn files_of_report(id: &str) -> Vec<String> {
    let mut files: Vec<String> = [
        "index.html",
        "metrics.json",
        "metrics.csv",
        "metrics.en.csv",
        "versions/index.html",
        "v1/index.html",
        "v2/index.html",
        "departments/eng/index.html",
        "departments/clean/index.html",
        "sites/cuihu/index.html",
        "sites/jinxiu/index.html",
    ]
    .iter()
    .map(|f| format!("reports/{id}/{f}"))
    .collect();
    files.sort();
    files
}

#[test]
fn a_rebuild_writes_only_what_changed_and_equals_a_build_from_scratch() {
    let project = Fixture::new();
    let first = project.build("public");
    assert!(!first.contains("unchanged"), "{first}");

    // Nothing changed, built again with --force: every file kept but the marker, which
    // records the build's keys, the same ones.
    // The five reports are January, February, March, 2025-Q1 and 2025: each of their folders
    // is kept without a page rendered when what it shows is unchanged, never under --force.
    let (changed, kept) = project.rebuild("forced", &["--force"]);
    assert!(changed.is_empty(), "{changed:?}");
    assert_eq!(kept, 0, "forced");
    let before = project.site("public");

    // (c) February's commentary edited: its report page only, and the build's marker.
    project.edit("content/reports/2025-02.md", |t| {
        format!("{t}\n补充说明。\n")
    });
    let (changed, kept) = project.rebuild("commentary", &[]);
    assert_eq!(
        changed,
        set(&[".huifang-site", "reports/2025-02/index.html"]),
        "commentary"
    );
    assert_eq!(kept, 4, "commentary: every report but February kept");

    // (a) One more visit on the last day of March.
    project.append_march_31();
    let (changed, kept) = project.rebuild("one day appended", &[]);
    let expected = march_31_changes();
    assert_eq!(changed, expected, "one day appended");
    assert_eq!(kept, 2, "one day appended: January and February kept");
    let kept = before.keys().filter(|p| !expected.contains(*p));
    assert!(kept.clone().any(|p| p == "reports/2025-02/index.html"));
    assert!(kept.clone().any(|p| p == "methodology/index.html"));

    // (b) January corrected: a visit was 满意, not 不满意.
    project.edit("visits.csv", |t| {
        t.replace(
            "2025-01-10,工程部,翠湖花园,维修回访,电话,成功,不满意",
            "2025-01-10,工程部,翠湖花园,维修回访,电话,成功,满意",
        )
    });
    // Every report ends on or after January's end: all read its numbers (trends, 环比).
    let (_, kept) = project.rebuild("past month corrected", &[]);
    assert_eq!(kept, 0, "past month corrected");

    // (d) The data-quality template changed in the project's templates folder.
    let quality = include_str!("../themes/default/templates/quality.html");
    let end = quality.rfind("{% endblock %}").unwrap();
    project.edit("templates/quality.html", |_| {
        format!("{}<!-- ours -->{}", &quality[..end], &quality[end..])
    });
    let (changed, kept) = project.rebuild("theme", &[]);
    assert_eq!(
        changed,
        set(&[".huifang-site", "data-quality/index.html"]),
        "theme"
    );
    assert_eq!(kept, 0, "theme: every page rendered again");

    // (e) A target changed.
    project.edit("huifang.toml", |t| {
        format!("{t}\n[targets]\nsatisfied_rate = 0.5\n")
    });
    let (_, kept) = project.rebuild("targets", &[]);
    assert_eq!(kept, 0, "targets");
}

/// The nightly case: the as-of date moves on a day and the day's visit arrives. January and
/// February end before both dates and keep their numbers, so their reports keep the date of
/// their version and not one byte changes; a page shown for the whole site says the new date.
#[test]
fn a_nightly_build_with_the_next_as_of_date_rewrites_only_what_the_day_changed() {
    let project = Fixture::new();
    project.edit("huifang.toml", |t| {
        t.replace("as_of = 2025-03-31", "as_of = 2025-03-30")
    });
    project.build("public");
    project.edit("huifang.toml", |t| {
        t.replace("as_of = 2025-03-30", "as_of = 2025-03-31")
    });
    project.append_march_31();
    let (changed, kept) = project.rebuild("nightly", &[]);
    assert_eq!(
        kept, 2,
        "nightly: January and February kept without rendering"
    );
    // As "one day appended" above, and the methodology page, whose footer gives the date of
    // the site's data.
    let mut expected = march_31_changes();
    expected.insert("methodology/index.html".to_owned());
    assert_eq!(changed, expected, "nightly");
    let february =
        std::fs::read_to_string(project.path().join("public/reports/2025-02/metrics.json"))
            .unwrap();
    assert!(february.contains("\"as_of\": \"2025-03-30\""), "{february}");
    let march = std::fs::read_to_string(project.path().join("public/reports/2025-03/metrics.json"))
        .unwrap();
    assert!(march.contains("\"as_of\": \"2025-03-31\""), "{march}");
}

/// A complaint's record number corrected in March: no number of any report moves, but March's
/// action lists (and the first quarter's and the year's) show the number, so those reports are
/// made again; January and February, which cannot list a March complaint, keep their folders.
/// The site equals a build from scratch.
#[test]
fn a_corrected_record_number_remakes_the_reports_that_list_it_and_only_those() {
    let project = Fixture::new();
    let complaint = "2025-03-20,工程部,翠湖花园,维修回访,电话,成功,不满意,设施设备,一般,处理中,,,,电梯异响,HF-0320-01\n";
    let rows: String = ROWS.lines().map(|l| format!("{l},,\n")).collect();
    project.edit("visits.csv", |_| {
        format!("{},客户意见,回访编号\n{rows}{complaint}", HEAD.trim_end())
    });
    project.build("public");
    let march = project.path().join("public/reports/2025-03/actions.csv");
    assert!(
        std::fs::read_to_string(&march)
            .unwrap()
            .contains("HF-0320-01")
    );

    project.edit("visits.csv", |t| t.replace("HF-0320-01", "HF-0320-07"));
    let (changed, kept) = project.rebuild("record number corrected", &[]);
    assert_eq!(
        kept, 2,
        "record number corrected: January and February kept"
    );
    for id in ["2025-03", "2025-Q1", "2025"] {
        let actions = format!("reports/{id}/actions.csv");
        assert!(changed.contains(&actions), "{actions} in {changed:?}");
        let json = format!("reports/{id}/metrics.json");
        assert!(!changed.contains(&json), "{json}: no number moved");
    }
    assert!(!changed.iter().any(|p| p.starts_with("reports/2025-01/")));
    assert!(
        std::fs::read_to_string(&march)
            .unwrap()
            .contains("HF-0320-07")
    );
}
