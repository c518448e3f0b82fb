//! A build with new data stopped at each step of putting the site in place (the
//! `HUIFANG_STOP_AT` hook aborts the process there, as `kill -9` would), then a build: at
//! every step the output folder holds a whole site, the next build leaves nothing behind, the
//! versions are those of a build never stopped, and the history verifies.

use crate::util;

use std::path::Path;
use util::{TempProject, huifang, tree, versions_of};

/// The folders a build keeps beside the site: the spare, where the next build stages.
const SPARE: &str = ".huifang-spare-public-site";

/// Names beside the site that a build made and did not clean up (the spare is none).
fn leftovers(root: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        // The lock, the spare and the record of checked versions are the project's own.
        .filter(|n| n.starts_with(".huifang-") && n != ".huifang.lock" && n != SPARE)
        .filter(|n| n != huifang::versions::checked::FILE)
        .collect();
    names.sort();
    names
}

fn stopped_at(project: &TempProject, step: &str, by_renames: bool) -> std::process::Output {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_huifang"));
    command
        .current_dir(project.path())
        .args(["build", "--force", "--quiet"])
        .env("HUIFANG_STOP_AT", step);
    if by_renames {
        command.env("HUIFANG_SWAP_BY_RENAMES", "1");
    }
    command.output().unwrap()
}

#[test]
fn a_build_killed_at_any_step_leaves_a_whole_site_and_the_next_cleans_up() {
    let steps = [
        ("staged", false),
        ("swapped", false),
        ("staged", true),
        ("aside", true),
        ("swapped", true),
    ];
    for (step, by_renames) in steps {
        let project = TempProject::fixture("metrics_quarter");
        let site = project.path().join("public");
        let o = huifang(project.path(), &["build", "--quiet"]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let clean = tree(&site);
        assert!(clean.iter().any(|(p, _)| p == Path::new("index.html")));

        // New data, so the stopped build has new versions in place when it stops.
        let csv = project.path().join("visits.csv");
        let mut text = std::fs::read_to_string(&csv).unwrap();
        text.push_str("2025-03-12,工程部,翠湖花园,维修回访,电话,成功,满意,,,,,,\n");
        std::fs::write(&csv, text).unwrap();

        let o = stopped_at(&project, step, by_renames);
        assert!(!o.status.success(), "{step}: the hook stops the build");
        let label = format!("{step} (by renames: {by_renames})");
        match step {
            // The one moment of the portable swap without a site; the old one is aside.
            "aside" => assert!(!site.exists(), "{label}"),
            "staged" => assert_eq!(tree(&site), clean, "{label}: the old site is whole"),
            _ => assert!(
                site.join("index.html").is_file(),
                "{label}: the new site is in"
            ),
        }
        assert!(
            project.path().join(SPARE).is_dir() || !leftovers(project.path()).is_empty(),
            "{label}: the kill left its folders"
        );

        let o = huifang(project.path(), &["build", "--quiet"]);
        assert!(
            o.status.success(),
            "{label}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert_eq!(leftovers(project.path()), Vec::<String>::new(), "{label}");
        // Whatever the stopped build left in the spare, the site is the one a build into an
        // empty folder makes.
        let o = huifang(project.path(), &["build", "--quiet", "--out", "fresh"]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let pages = |dir: &Path| {
            let mut files = tree(dir);
            files.retain(|(p, _)| p != Path::new(".huifang-site"));
            files
        };
        assert_eq!(
            pages(&site),
            pages(&project.path().join("fresh")),
            "{label}"
        );
        // As a build that was never stopped: the same versions, a history that verifies.
        let versions: Vec<String> = ["2025-03", "2025-Q1", "2025", "2025-01"]
            .iter()
            .map(|id| format!("{id}: {}", versions_of(&project, id).join(" ")))
            .collect();
        assert_eq!(
            versions,
            [
                "2025-03: v0001.json v0002.json",
                "2025-Q1: v0001.json v0002.json",
                "2025: v0001.json v0002.json",
                "2025-01: v0001.json",
            ],
            "{label}"
        );
        let o = huifang(project.path(), &["check"]);
        assert!(
            o.status.success(),
            "{label}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
}
