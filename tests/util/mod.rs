//! Shared harness: load a fixture project and read it the way `huifang check` does.
#![allow(dead_code)]

pub mod survey;

use chrono::NaiveDate;
use huifang::config::Project;
use huifang::ingest::{FileReport, IngestReport};
use huifang::model::{LevelId, Sym, Symbols, VisitRecord};
use std::path::{Path, PathBuf};

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub struct Loaded {
    pub project: Project,
    pub symbols: Symbols,
    pub records: Vec<VisitRecord<'static>>,
    pub report: IngestReport,
}

pub fn load(name: &str) -> Loaded {
    load_config(&fixture(name).join("huifang.toml"))
}

/// One CSV file as a throwaway project with a single source; `source_settings` are extra
/// lines for that `[[sources]]` table (e.g. `encoding = "gb18030"`).
pub fn load_csv_with(csv: &[u8], source_settings: &str) -> Loaded {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("visits.csv"), csv).unwrap();
    let config = dir.path().join("huifang.toml");
    let toml = format!("[[sources]]\npath = \"visits.csv\"\n{source_settings}\n");
    std::fs::write(&config, toml).unwrap();
    load_config(&config)
}

pub fn load_csv(csv: &[u8]) -> Loaded {
    load_csv_with(csv, "")
}

pub fn load_config(config: &Path) -> Loaded {
    let project = Project::load(config).expect("fixture config loads");
    let mut symbols = Symbols::default();
    let mut records = Vec::new();
    let report = huifang::ingest::ingest(&project, &mut symbols, &mut |r| records.push(r))
        .expect("sources resolve");
    for file in &report.files {
        // Every physical line is accounted for, whatever the fixture holds.
        let total = file.lines_above_rows + file.row_lines + file.blank_lines;
        assert_eq!(file.lines, total, "{}: {file:?}", file.path);
        assert_eq!(
            file.rows_read,
            file.accepted + file.rejected,
            "{}",
            file.path
        );
    }
    Loaded {
        project,
        symbols,
        records,
        report,
    }
}

impl Loaded {
    pub fn name(&self, sym: Sym) -> &str {
        self.symbols.name(sym)
    }

    pub fn opt_name(&self, sym: Option<Sym>) -> Option<&str> {
        sym.map(|s| self.symbols.name(s))
    }

    /// The only file of a single-file fixture.
    pub fn file(&self) -> &FileReport {
        assert!(
            self.report.failures.is_empty(),
            "{:?}",
            self.report.failures
        );
        assert_eq!(self.report.files.len(), 1);
        &self.report.files[0]
    }

    /// (date, department) of every accepted record, in file order.
    pub fn dates_and_departments(&self) -> Vec<(NaiveDate, &str)> {
        self.records
            .iter()
            .map(|r| (r.date, self.name(r.department)))
            .collect()
    }

    pub fn level_label(&self, level: Option<LevelId>) -> Option<&str> {
        level.map(|l| {
            self.project.config.satisfaction.levels[l.0 as usize]
                .label
                .as_str()
        })
    }
}

pub fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Every report of a fixture, built the way `huifang build` builds them.
pub fn reports(name: &str) -> (Vec<huifang::metrics::PeriodReport>, u64) {
    reports_of(&fixture(name).join("huifang.toml"))
}

/// [`reports`] of the project whose config is `config`.
pub fn reports_of(config: &Path) -> (Vec<huifang::metrics::PeriodReport>, u64) {
    let project = Project::load(config).expect("fixture config loads");
    let as_of = project.config.as_of_or_today();
    let mut acc =
        huifang::metrics::Accumulator::new(huifang::metrics::Rules::new(&project.config, as_of));
    let mut symbols = Symbols::default();
    let report = huifang::ingest::ingest(&project, &mut symbols, &mut |r| acc.add(&r)).unwrap();
    assert!(
        report.failures.is_empty() && report.rejected() == 0,
        "fixture reads cleanly"
    );
    // As `huifang build` does: survey answers fed to department satisfaction.
    for rating in huifang::survey::reports(&project).unwrap().ratings {
        acc.add_rating(
            rating.date,
            symbols.intern(&rating.department),
            rating.level,
        );
    }
    let set = std::sync::Arc::new(huifang::metrics::MetricsSet::new(
        &acc,
        &project.config,
        &symbols,
    ));
    let after = set.after_as_of;
    // With 4 decimals, as metrics.json holds them: the tests' numbers are worked out so.
    let reports = set.reports();
    (
        reports
            .iter()
            .map(huifang::versions::store::as_stored)
            .collect(),
        after,
    )
}

pub fn find<'a>(
    reports: &'a [huifang::metrics::PeriodReport],
    id: &str,
) -> &'a huifang::metrics::PeriodReport {
    reports
        .iter()
        .find(|r| r.period.id == id)
        .unwrap_or_else(|| panic!("no report {id}"))
}

/// A throwaway copy of a project folder (config, data, content, templates; never `public/`
/// or `snapshots/`), so builds in tests never write into the repository.
pub struct TempProject {
    pub dir: tempfile::TempDir,
}

impl TempProject {
    pub fn of(source: &Path, folders: &[&str]) -> TempProject {
        let dir = tempfile::tempdir().unwrap();
        for entry in walkdir::WalkDir::new(source).min_depth(1) {
            let entry = entry.unwrap();
            let rel = entry.path().strip_prefix(source).unwrap();
            let top = rel
                .components()
                .next()
                .unwrap()
                .as_os_str()
                .to_string_lossy()
                .into_owned();
            let wanted = rel.components().count() == 1 && entry.file_type().is_file()
                || folders.contains(&top.as_str());
            if !wanted || ["public", "snapshots", "target"].contains(&top.as_str()) {
                continue;
            }
            let to = dir.path().join(rel);
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to).unwrap();
            } else {
                std::fs::create_dir_all(to.parent().unwrap()).unwrap();
                std::fs::copy(entry.path(), &to).unwrap();
            }
        }
        TempProject { dir }
    }

    /// A copy of a fixture folder, whole.
    pub fn fixture(name: &str) -> TempProject {
        TempProject::of(&fixture(name), &["content", "templates", "themes", "data"])
    }

    /// A copy of the repository's own sample project.
    pub fn sample() -> TempProject {
        TempProject::of(
            Path::new(env!("CARGO_MANIFEST_DIR")),
            &["sample-data", "content"],
        )
    }

    pub fn config(&self) -> PathBuf {
        self.dir.path().join("huifang.toml")
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

/// Runs the huifang binary in `dir`.
pub fn huifang(dir: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_huifang"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

/// Every file under `dir` with its bytes, by path relative to `dir`, in path order.
pub fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
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

/// The versions of report `id` in a project's `snapshots/`: its file names, sorted; none if
/// the report has no folder.
pub fn versions_of(project: &TempProject, id: &str) -> Vec<String> {
    let dir = project.path().join("snapshots").join(id);
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}
