//! Two fresh builds of the same inputs, in two folders, with the same `SOURCE_DATE_EPOCH`,
//! write the same bytes: every page, data file and snapshot, in both locales. The versions
//! page shows the build time in the project's time zone.

use crate::util;

use std::path::PathBuf;
use std::process::Command;
use util::{TempProject, tree};

/// 2025-12-01 14:59:58 UTC: 22:59 in Asia/Shanghai.
const EPOCH: &str = "1764601198";

fn fresh_build(locale: &str) -> TempProject {
    let project = TempProject::fixture("metrics_quarter");
    let config = project.path().join("huifang.toml");
    let toml = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("locale = \"{locale}\"\n{toml}")).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_huifang"))
        .current_dir(project.path())
        .args(["build", "--quiet"])
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    project
}

#[test]
fn fresh_builds_with_the_same_source_date_epoch_are_byte_identical() {
    for (locale, shown) in [("zh-CN", "2025年12月1日 22:59"), ("en", "1 Dec 2025 22:59")] {
        let (a, b) = (fresh_build(locale), fresh_build(locale));
        for folder in ["public", "snapshots"] {
            let (ta, tb) = (tree(&a.path().join(folder)), tree(&b.path().join(folder)));
            assert!(!ta.is_empty(), "{locale} {folder}");
            let differ: Vec<&PathBuf> = ta
                .iter()
                .zip(&tb)
                .filter(|(x, y)| x != y)
                .map(|(x, _)| &x.0)
                .collect();
            assert_eq!(ta.len(), tb.len(), "{locale} {folder}");
            assert!(differ.is_empty(), "{locale} {folder}: {differ:?}");
        }
        let snapshot =
            std::fs::read_to_string(a.path().join("snapshots/2025-Q1/v0001.json")).unwrap();
        assert!(
            snapshot.contains("\"built_at\": \"2025-12-01T14:59:58Z\""),
            "{snapshot}"
        );
        let versions =
            std::fs::read_to_string(a.path().join("public/reports/2025-Q1/versions/index.html"))
                .unwrap();
        assert!(versions.contains(shown), "{locale}");
    }
}

#[test]
fn a_malformed_source_date_epoch_is_a_configuration_error() {
    let project = TempProject::fixture("metrics_quarter");
    let o = Command::new(env!("CARGO_BIN_EXE_huifang"))
        .current_dir(project.path())
        .args(["build", "--quiet"])
        .env("SOURCE_DATE_EPOCH", "yesterday")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("SOURCE_DATE_EPOCH=`yesterday` is not a time"),
        "{err}"
    );
    assert!(!project.path().join("public").exists());
}
