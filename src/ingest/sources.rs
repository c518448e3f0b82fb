//! Finding the files a source names: a file, a directory (every CSV file and workbook below
//! it), or a glob.
//! Files are returned sorted, so the same tree always reads in the same order.

use crate::config::Source;
use globset::{GlobBuilder, GlobMatcher};
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("source `{path}`: {message}")]
    Pattern { path: String, message: String },
    #[error("source `{path}`: no such file or directory ({resolved})")]
    Missing { path: String, resolved: String },
    #[error("source `{path}`: no CSV files or workbooks found")]
    NoFiles { path: String },
    #[error("source `{path}`: {source}")]
    Walk {
        path: String,
        source: walkdir::Error,
    },
}

/// Files of one source, resolved against `root`, in sorted order.
pub fn files_of<F>(source: &Source<F>, root: &Path) -> Result<Vec<PathBuf>, SourceError> {
    files_matching(&source.path, root)
}

/// Files a path, folder or glob names, resolved against `root`, in sorted order.
pub fn files_matching(pattern: &str, root: &Path) -> Result<Vec<PathBuf>, SourceError> {
    let path = root.join(pattern);
    // A file that exists is that file, even when its name reads like a glob: 问卷星 names its
    // downloads `[问卷星数据]800_800_0.xls`.
    let files = if path.is_file() {
        vec![path]
    } else if is_glob(pattern) {
        glob_files(pattern, root)?
    } else if path.is_dir() {
        walk(&path, pattern, is_table_file)?
    } else {
        return Err(SourceError::Missing {
            path: pattern.to_owned(),
            resolved: path.display().to_string(),
        });
    };
    if files.is_empty() {
        return Err(SourceError::NoFiles {
            path: pattern.to_owned(),
        });
    }
    Ok(files)
}

fn is_glob(pattern: &str) -> bool {
    pattern.contains(['*', '?', '[', '{'])
}

/// Extensions of the files a folder source reads: CSV text and the workbooks of Excel, WPS
/// and OpenDocument. Which of them a file really is is told from its bytes.
pub const TABLE_EXTENSIONS: [&str; 7] = ["csv", "xlsx", "xlsm", "xls", "xlsb", "et", "ods"];

fn is_table_file(path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy());
    // `~$台账.xlsx` is the lock file Excel keeps beside a workbook that is open.
    !name.is_some_and(|n| n.starts_with("~$"))
        && path
            .extension()
            .is_some_and(|e| TABLE_EXTENSIONS.iter().any(|t| e.eq_ignore_ascii_case(t)))
}

fn glob_files(pattern: &str, root: &Path) -> Result<Vec<PathBuf>, SourceError> {
    let matcher: GlobMatcher = GlobBuilder::new(pattern)
        .literal_separator(true)
        .build()
        .map_err(|e| SourceError::Pattern {
            path: pattern.to_owned(),
            message: e.kind().to_string(),
        })?
        .compile_matcher();
    // Walk only below the pattern's literal prefix (`exports/2025/*.csv` walks `exports/2025`).
    let literal: PathBuf = Path::new(pattern)
        .components()
        .take_while(|c| !is_glob(&c.as_os_str().to_string_lossy()))
        .collect();
    let base = root.join(&literal);
    if !base.is_dir() {
        return Ok(Vec::new());
    }
    walk(&base, pattern, |p| {
        p.strip_prefix(root).is_ok_and(|rel| matcher.is_match(rel))
    })
}

fn walk(
    dir: &Path,
    pattern: &str,
    keep: impl Fn(&Path) -> bool,
) -> Result<Vec<PathBuf>, SourceError> {
    let mut files = Vec::new();
    for entry in WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|source| SourceError::Walk {
            path: pattern.to_owned(),
            source,
        })?;
        let hidden = entry.depth() > 0 && entry.file_name().to_string_lossy().starts_with('.');
        if entry.file_type().is_file() && !hidden && keep(entry.path()) {
            files.push(entry.into_path());
        }
    }
    Ok(files)
}
