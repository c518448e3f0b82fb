//! The first ten minutes of a new user: what a typo, a missing project or an as-of date before
//! the data says, and what `init` then `build` shows.

use crate::util::huifang;

use std::process::Output;

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A new project made by `init` in a fresh temporary folder.
fn new_project() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let o = huifang(tmp.path(), &["init", "reports"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let project = tmp.path().join("reports");
    (tmp, project)
}

#[test]
fn a_misspelt_config_key_names_the_closest_valid_one() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("huifang.toml"),
        "title = \"回访\"\nmin_samle = 20\n",
    )
    .unwrap();
    let o = huifang(tmp.path(), &["check"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("unknown field `min_samle`"), "{err}");
    assert!(err.contains("line 2"), "{err}");
    assert!(err.contains("did you mean `min_sample`?"), "{err}");
}

#[test]
fn a_misspelt_key_in_a_nested_table_and_a_misspelt_value_are_suggested_too() {
    let tmp = tempfile::tempdir().unwrap();
    let config = tmp.path().join("huifang.toml");
    std::fs::write(&config, "[sla_days]\nmajro = 5\n").unwrap();
    let err = stderr(&huifang(tmp.path(), &["check"]));
    assert!(err.contains("did you mean `major`?"), "{err}");

    std::fs::write(&config, "exports = [\"PDF\"]\n").unwrap();
    let err = stderr(&huifang(tmp.path(), &["check"]));
    assert!(err.contains("did you mean `pdf`?"), "{err}");
}

#[test]
fn a_key_like_none_gets_no_guess() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("huifang.toml"), "colour = \"red\"\n").unwrap();
    let o = huifang(tmp.path(), &["check"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("unknown field `colour`"), "{err}");
    assert!(!err.contains("did you mean"), "{err}");
}

#[test]
fn a_misspelt_flag_names_the_real_one() {
    let tmp = tempfile::tempdir().unwrap();
    let o = huifang(tmp.path(), &["build", "--as-off", "2026-10-31"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("unexpected argument '--as-off'"), "{err}");
    assert!(
        err.contains("a similar argument exists: '--as-of'"),
        "{err}"
    );

    let o = huifang(tmp.path(), &["biuld"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("a similar subcommand exists: 'build'"),
        "{err}"
    );
}

#[test]
fn build_or_check_outside_a_project_suggests_init() {
    let tmp = tempfile::tempdir().unwrap();
    for command in ["build", "check"] {
        let o = huifang(tmp.path(), &[command]);
        assert_eq!(o.status.code(), Some(2), "{command}");
        let err = stderr(&o);
        assert!(err.contains("cannot read config huifang.toml"), "{err}");
        assert!(
            err.contains("there is no project in this folder: `huifang init` starts one here"),
            "{err}"
        );
    }
    // The folder named is the one the missing config was looked for in.
    let o = huifang(tmp.path(), &["build", "--config", "elsewhere/huifang.toml"]);
    assert!(
        stderr(&o).contains("there is no project in elsewhere:"),
        "{}",
        stderr(&o)
    );
    assert!(!tmp.path().join("public").exists(), "nothing is written");
}

#[test]
fn an_as_of_before_the_data_says_when_the_data_starts() {
    let (_tmp, project) = new_project();
    // The sample's first visit is on 2025-09-01 (the first row of data/visits.csv).
    let o = huifang(&project, &["build", "--as-of", "2025-08-31"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("the data starts on 2025-09-01 and the as-of date 2025-08-31 is before it"),
        "{err}"
    );
    assert!(!err.contains("belongs to no report"), "{err}");
    assert!(!project.join("public").exists(), "nothing is written");
    assert!(
        !project.join("snapshots").exists(),
        "no version is recorded"
    );

    // The first day of the data is enough for a report.
    let o = huifang(&project, &["build", "--as-of", "2025-09-01", "--quiet"]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn init_prints_the_next_commands_and_the_first_build_shows_a_whole_month() {
    let tmp = tempfile::tempdir().unwrap();
    let o = huifang(tmp.path(), &["init", "reports"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let said = stderr(&o);
    let project = tmp.path().join("reports");
    assert!(said.contains("\n  cd reports\n  huifang build "), "{said}");
    assert!(
        said.contains("\n  then open public/index.html in a browser\n"),
        "{said}"
    );
    let site = project.join("public").join("index.html");
    assert!(said.contains("delete that line"), "{said}");

    // No --as-of: the config's, which the scaffold sets to the sample's last day.
    let o = huifang(&project, &["build", "--quiet"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let home = scraper::Html::parse_document(&std::fs::read_to_string(&site).unwrap());
    let select = |css: &str| scraper::Selector::parse(css).unwrap();
    // The first headline is the latest month's.
    let tile = home
        .select(&select(".headline"))
        .next()
        .expect("a headline");
    let heading: String = tile.select(&select("h2")).next().unwrap().text().collect();
    assert!(heading.contains("2026年10月"), "{heading}");
    assert!(!heading.contains("进行中"), "a whole month: {heading}");
    let visits = tile
        .select(&select(".kpi[data-metric=\"visits.total\"]"))
        .next()
        .expect("a visits tile");
    // Worked out a second way: the sample's rows dated in October 2026.
    let csv = std::fs::read_to_string(project.join("data/visits.csv")).unwrap();
    let october = csv.lines().filter(|l| l.starts_with("2026-10-")).count();
    assert!(october > 0);
    assert_eq!(
        visits.value().attr("data-value"),
        Some(october.to_string().as_str())
    );
}

#[test]
fn version_names_the_package_version_and_the_commit() {
    let tmp = tempfile::tempdir().unwrap();
    let o = huifang(tmp.path(), &["--version"]);
    assert!(o.status.success());
    let out = String::from_utf8(o.stdout).unwrap();
    let line = out.strip_suffix('\n').expect("one line");
    let rest = line
        .strip_prefix(&format!("huifang {}", env!("CARGO_PKG_VERSION")))
        .unwrap_or_else(|| panic!("{line}"));
    // Asked of git a second way: the checkout this test was built from, if it is one.
    let head = std::process::Command::new("git")
        .args(["-C", env!("CARGO_MANIFEST_DIR"), "rev-parse", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8(o.stdout).unwrap().trim().to_owned());
    match head {
        Some(head) => {
            let commit = rest
                .strip_prefix(" (")
                .and_then(|r| r.strip_suffix(')'))
                .unwrap_or_else(|| panic!("no commit in {line}"));
            let hash = commit.strip_suffix("-dirty").unwrap_or(commit);
            assert!(hash.len() >= 7, "{line}");
            assert!(head.starts_with(hash), "{line} is not HEAD {head}");
        }
        None => assert_eq!(rest, "", "outside a checkout, the version alone"),
    }
}

#[test]
fn a_new_project_ignores_the_built_site_and_keeps_its_snapshots() {
    let (_tmp, project) = new_project();
    let ignore = std::fs::read_to_string(project.join(".gitignore")).unwrap();
    let patterns: Vec<&str> = ignore
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .collect();
    assert!(patterns.contains(&"/public/"), "{ignore}");
    assert!(patterns.contains(&"/.huifang.lock"), "{ignore}");
    // The versions are the reports' history: committed, as the README says.
    assert!(
        patterns.iter().all(|p| !p.contains("snapshots")),
        "{ignore}"
    );
    let readme = include_str!("../README.md");
    assert!(readme.contains("Commit `snapshots/` in your project"));
}

#[test]
fn completions_and_the_man_page_come_from_the_flags() {
    let tmp = tempfile::tempdir().unwrap();
    let stdout = |args: &[&str]| {
        let o = huifang(tmp.path(), args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        String::from_utf8(o.stdout).unwrap()
    };
    let bash = stdout(&["completions", "bash"]);
    assert!(bash.contains("_huifang()"), "{bash}");
    assert!(bash.contains("--as-of"), "a build flag is completed");
    assert!(bash.contains("privacy-scan"), "a subcommand is completed");
    assert!(stdout(&["completions", "zsh"]).starts_with("#compdef huifang"));
    assert!(stdout(&["completions", "fish"]).contains("complete -c huifang"));

    let man = stdout(&["man"]);
    assert!(man.contains(".TH huifang 1"), "{man}");
    assert!(
        man.contains("Exit codes: 0 success"),
        "the after-help is in it"
    );

    let o = huifang(tmp.path(), &["completions", "cmd.exe"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("possible values: bash, elvish, fish, powershell, zsh"));
}
