//! A build stopped at each step of putting the site in place (the `HUIFANG_STOP_AT` hook
//! aborts the process there, as `kill -9` would), then a build: at every step the output
//! folder holds a whole site, and the next build leaves nothing behind.

mod util;

use std::path::{Path, PathBuf};
use util::{TempProject, huifang};

/// Every file under `dir` with its bytes, by path relative to `dir`.
fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_owned();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect();
    files.sort();
    files
}

/// Names beside the site that a build made and did not clean up.
fn leftovers(root: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".huifang-") && n != ".huifang.lock")
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

        let o = stopped_at(&project, step, by_renames);
        assert!(!o.status.success(), "{step}: the hook stops the build");
        let label = format!("{step} (by renames: {by_renames})");
        if step == "aside" {
            // The one moment of the portable swap without a site; the old one is aside.
            assert!(!site.exists(), "{label}");
        } else {
            // The same inputs give the same site, so old and new are both this one.
            assert_eq!(tree(&site), clean, "{label}: the site is whole");
        }
        assert!(
            !leftovers(project.path()).is_empty(),
            "{label}: the kill left its folders"
        );

        let o = huifang(project.path(), &["build", "--quiet"]);
        assert!(
            o.status.success(),
            "{label}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert_eq!(
            tree(&site),
            clean,
            "{label}: the next build restores the site"
        );
        assert_eq!(leftovers(project.path()), Vec::<String>::new(), "{label}");
    }
}
