//! `huifang init`: a new project that builds at once. The files come from `src/scaffold/`,
//! embedded in the binary: a commented `huifang.toml`, a home intro in `content/_index.md`,
//! empty `content/reports/` and `templates/` folders, and a small sample visit log in
//! `data/visits.csv` (200 rows, 2025-09-01 to 2026-10-31, five departments, UTF-8 with BOM).
//!
//! Nothing is ever overwritten: the folder must be missing or hold only hidden entries (such
//! as `.git`), every file is created with `create_new`, and a failure part-way removes what
//! this run wrote.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// What `init` writes, in order: the path relative to the project folder, and its bytes.
const FILES: &[(&str, &[u8])] = &[
    ("huifang.toml", include_bytes!("scaffold/huifang.toml")),
    (
        "data/visits.csv",
        include_bytes!("scaffold/data/visits.csv"),
    ),
    (
        "content/_index.md",
        include_bytes!("scaffold/content/_index.md"),
    ),
    // Only `*.md` files under content/ are read, so the placeholders keep the folders
    // in version control without becoming commentary or templates.
    ("content/reports/.gitkeep", b""),
    ("templates/.gitkeep", b""),
    // Kept in the source tree as `gitignore`, so it does not apply to this repository.
    (".gitignore", include_bytes!("scaffold/gitignore")),
];

#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    /// The folder already holds this entry: a `huifang.toml`, or any file or folder that is
    /// not hidden.
    #[error("{}", not_empty_message(.0))]
    NotEmpty(PathBuf),
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
}

fn not_empty_message(found: &Path) -> String {
    let dir = found.parent().unwrap_or(Path::new("."));
    let why = if found.file_name() == Some(crate::config::DEFAULT_CONFIG_FILE.as_ref()) {
        format!("{} already exists", found.display())
    } else {
        format!(
            "{} is not empty (it holds {})",
            dir.display(),
            found.display()
        )
    };
    format!(
        "{why}: `huifang init` never overwrites a file and writes only into a new folder or one \
         that holds nothing but hidden entries such as .git; choose another folder, e.g. \
         `huifang init reports`"
    )
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> ScaffoldError + '_ {
    move |source| ScaffoldError::Io {
        path: path.to_owned(),
        source,
    }
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.as_encoded_bytes().starts_with(b".")
}

/// Writes a new project into `dir` (created if missing) and returns the files written,
/// relative to `dir`, in order. A hidden file the folder already holds (a `.gitignore`) is
/// kept as it is and left out of the list.
pub fn scaffold(dir: &Path) -> Result<Vec<PathBuf>, ScaffoldError> {
    let dir_existed = refuse_unless_empty(dir)?;
    let mut writer = Writer {
        dir,
        created_dir: !dir_existed,
        files: Vec::new(),
        folders: Vec::new(),
    };
    if !dir_existed {
        fs::create_dir_all(dir).map_err(io_err(dir))?;
    }
    let mut written = Vec::new();
    for &(relative, bytes) in FILES {
        match writer.write(Path::new(relative), bytes) {
            Ok(true) => written.push(PathBuf::from(relative)),
            Ok(false) => {}
            Err(e) => {
                writer.roll_back();
                return Err(e);
            }
        }
    }
    Ok(written)
}

/// Whether `dir` exists; an error if it holds a `huifang.toml` or anything not hidden.
fn refuse_unless_empty(dir: &Path) -> Result<bool, ScaffoldError> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(io_err(dir)(e)),
    };
    let mut visible = Vec::new();
    for entry in entries {
        let name = entry.map_err(io_err(dir))?.file_name();
        if !is_hidden(&name) {
            visible.push(name);
        }
    }
    // Name the config first: "already a project" says more than "not empty".
    visible.sort_by_key(|name| (name != crate::config::DEFAULT_CONFIG_FILE, name.clone()));
    match visible.first() {
        Some(name) => Err(ScaffoldError::NotEmpty(dir.join(name))),
        None => Ok(true),
    }
}

/// Creates files and folders, remembering them so a failure can take them back.
struct Writer<'a> {
    dir: &'a Path,
    created_dir: bool,
    files: Vec<PathBuf>,
    folders: Vec<PathBuf>,
}

impl Writer<'_> {
    /// Creates `relative` with `bytes`; false if it is a hidden file that already exists.
    fn write(&mut self, relative: &Path, bytes: &[u8]) -> Result<bool, ScaffoldError> {
        if let Some(parent) = relative.parent() {
            let mut folder = self.dir.to_owned();
            for part in parent.components() {
                folder.push(part);
                match fs::create_dir(&folder) {
                    Ok(()) => self.folders.push(folder.clone()),
                    Err(e) if e.kind() == io::ErrorKind::AlreadyExists && folder.is_dir() => {}
                    Err(e) => return Err(io_err(&folder)(e)),
                }
            }
        }
        let path = self.dir.join(relative);
        let mut file = match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                return match relative.file_name() {
                    Some(name) if is_hidden(name) => Ok(false),
                    _ => Err(ScaffoldError::NotEmpty(path)),
                };
            }
            Err(e) => return Err(io_err(&path)(e)),
        };
        self.files.push(path.clone());
        file.write_all(bytes)
            .and_then(|()| file.sync_all())
            .map_err(io_err(&path))?;
        Ok(true)
    }

    /// Removes what this run created, newest first. Best effort: the error that caused the
    /// roll-back is the one reported.
    fn roll_back(self) {
        for file in self.files.iter().rev() {
            let _ = fs::remove_file(file);
        }
        for folder in self.folders.iter().rev() {
            let _ = fs::remove_dir(folder);
        }
        if self.created_dir {
            let _ = fs::remove_dir(self.dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Locale, Project};
    use std::collections::BTreeMap;

    /// Every file below `dir` with its bytes, for comparing before and after.
    fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
        walkdir::WalkDir::new(dir)
            .into_iter()
            .map(Result::unwrap)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let relative = e.path().strip_prefix(dir).unwrap().to_owned();
                (relative, fs::read(e.path()).unwrap())
            })
            .collect()
    }

    fn expected_files() -> Vec<PathBuf> {
        FILES.iter().map(|(p, _)| PathBuf::from(p)).collect()
    }

    #[test]
    fn writes_every_file_into_a_new_folder_and_the_config_loads() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("回访报告");
        let written = scaffold(&dir).unwrap();
        assert_eq!(written, expected_files());
        let files = snapshot(&dir);
        assert_eq!(files.len(), FILES.len());
        for (relative, bytes) in FILES {
            assert_eq!(&files[Path::new(relative)], bytes, "{relative}");
        }

        let project = Project::load(&dir.join("huifang.toml")).unwrap();
        let config = &project.config;
        assert_eq!(config.locale, Locale::ZhCn);
        assert_eq!(config.output_dir, Path::new("public"));
        // The sample ends on 2026-10-31: so the first build's latest month is whole.
        let end = chrono::NaiveDate::from_ymd_opt(2026, 10, 31).unwrap();
        assert_eq!(config.as_of, Some(crate::config::ConfigDate(end)));
        assert_eq!(config.sources.len(), 1);
        assert_eq!(config.sources[0].path, "data");
        assert!(
            config.columns.is_empty(),
            "the mapping examples stay comments"
        );
        let departments: Vec<_> = config.departments.iter().map(|d| &d.name[..]).collect();
        assert_eq!(
            departments,
            ["客服部", "工程部", "保洁部", "秩序维护部", "绿化部"]
        );
    }

    #[test]
    fn the_sample_is_utf8_with_bom_and_the_expected_header() {
        let csv = std::str::from_utf8(include_bytes!("scaffold/data/visits.csv")).unwrap();
        let csv = csv.strip_prefix('\u{feff}').expect("UTF-8 with BOM");
        let mut lines = csv.lines();
        assert_eq!(
            lines.next(),
            Some(
                "回访日期,责任部门,项目,回访类型,回访方式,回访结果,满意度,问题类别,投诉等级,\
                 整改状态,整改期限,完成日期,整改后回访满意度,客户意见"
            )
        );
        let dates: Vec<&str> = lines.map(|l| &l[..10]).collect();
        assert_eq!(dates.len(), 200);
        assert_eq!(dates.first(), Some(&"2025-09-01"));
        assert_eq!(dates.last(), Some(&"2026-10-29"));
        assert!(dates.is_sorted());
    }

    #[test]
    fn an_empty_folder_or_one_with_only_hidden_entries_is_fine() {
        let tmp = tempfile::tempdir().unwrap();
        assert_eq!(scaffold(tmp.path()).unwrap(), expected_files());

        let tmp = tempfile::tempdir().unwrap();
        fs::create_dir(tmp.path().join(".git")).unwrap();
        fs::write(tmp.path().join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
        assert_eq!(scaffold(tmp.path()).unwrap(), expected_files());
        assert_eq!(
            fs::read_to_string(tmp.path().join(".git/HEAD")).unwrap(),
            "ref: refs/heads/main\n"
        );
    }

    #[test]
    fn an_existing_gitignore_is_kept_and_not_listed() {
        let tmp = tempfile::tempdir().unwrap();
        fs::write(tmp.path().join(".gitignore"), "*.xlsx\n").unwrap();
        let written = scaffold(tmp.path()).unwrap();
        assert!(!written.contains(&PathBuf::from(".gitignore")));
        assert_eq!(written.len(), FILES.len() - 1);
        assert_eq!(
            fs::read_to_string(tmp.path().join(".gitignore")).unwrap(),
            "*.xlsx\n"
        );
    }

    #[test]
    fn a_folder_with_visible_files_is_refused_and_left_alone() {
        let tmp = tempfile::tempdir().unwrap();
        fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
        fs::create_dir(tmp.path().join(".git")).unwrap();
        let before = snapshot(tmp.path());
        match scaffold(tmp.path()) {
            Err(e @ ScaffoldError::NotEmpty(_)) => {
                let message = e.to_string();
                assert!(message.contains("is not empty (it holds "), "{message}");
                assert!(message.contains("notes.txt)"), "{message}");
            }
            other => panic!("expected NotEmpty, got {other:?}"),
        }
        assert_eq!(snapshot(tmp.path()), before);
    }

    #[test]
    fn a_second_run_refuses_naming_the_config_and_changes_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        scaffold(tmp.path()).unwrap();
        fs::write(tmp.path().join("huifang.toml"), "title = \"我的报告\"\n").unwrap();
        let before = snapshot(tmp.path());
        let err = scaffold(tmp.path()).unwrap_err();
        match &err {
            ScaffoldError::NotEmpty(found) => assert_eq!(found, &tmp.path().join("huifang.toml")),
            other => panic!("expected NotEmpty, got {other:?}"),
        }
        let message = err.to_string();
        assert!(message.contains("huifang.toml already exists"), "{message}");
        assert!(message.contains("never overwrites"), "{message}");
        assert_eq!(snapshot(tmp.path()), before);
    }

    #[test]
    fn a_file_in_place_of_the_folder_is_an_io_error() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("reports");
        fs::write(&file, "not a folder").unwrap();
        match scaffold(&file) {
            Err(ScaffoldError::Io { path, .. }) => assert_eq!(path, file),
            other => panic!("expected Io, got {other:?}"),
        }
        assert_eq!(fs::read_to_string(&file).unwrap(), "not a folder");
    }

    #[test]
    fn init_then_build_writes_the_site_with_no_rejected_rows() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("new-project");
        scaffold(&dir).unwrap();

        // What `huifang build --as-of 2026-11-15` run from the new folder does.
        let project = Project::load(&dir.join("huifang.toml")).unwrap();
        let options = crate::build::BuildOptions {
            out: project.resolve(&project.config.output_dir),
            as_of: chrono::NaiveDate::from_ymd_opt(2026, 11, 15).unwrap(),
            strict: true,
            force: false,
            lock_wait: std::time::Duration::ZERO,
            accept_history_change: false,
            documents: crate::export::Options::default(),
        };
        let summary = match crate::build::build(&project, &options, || {}) {
            Ok(crate::build::BuildOutcome::Built(summary)) => summary,
            Ok(crate::build::BuildOutcome::UpToDate { .. }) => {
                panic!("a first build is never up to date")
            }
            Err(e) => panic!("build failed: {e:?}"),
        };
        let ingest = &summary.ingest;
        assert!(ingest.failures.is_empty(), "{:?}", ingest.failures);
        assert_eq!(ingest.files.len(), 1);
        assert_eq!(ingest.rows_read(), 200);
        assert_eq!(ingest.accepted(), 200);
        assert_eq!(ingest.rejected(), 0);
        assert_eq!(ingest.warnings(), 0);
        assert_eq!(summary.after_as_of, 0);

        let public = dir.join("public");
        for page in [
            "index.html",
            "reports/2026-10/index.html",
            "reports/2026-Q3/index.html",
            "reports/2025/index.html",
            "departments/engineering/index.html",
        ] {
            assert!(public.join(page).is_file(), "{page} is missing");
        }
        let home = fs::read_to_string(public.join("index.html")).unwrap();
        assert!(
            home.contains("本站汇总客户回访记录"),
            "the intro is on the home page"
        );
        assert!(!home.contains("metric("), "every metric call is resolved");
    }
}
