//! The snapshot store: `snapshots/<report-id>/v0001.json`, one file per version, written once
//! and never rewritten. Each file carries a SHA-256 checksum of its content, so a corrupt or
//! edited file is found and named instead of silently changing history.

use crate::metrics::PeriodReport;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// An input file of a build, as recorded with each version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputFile {
    pub name: String,
    pub size: u64,
    pub sha256: String,
}

/// Everything a version records except its checksum.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SnapshotBody {
    pub version: u32,
    pub as_of: NaiveDate,
    /// UTC, RFC 3339. Shown in the version history; never part of a comparison.
    pub built_at: String,
    pub huifang_version: String,
    pub inputs: Vec<InputFile>,
    pub report: PeriodReport,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    #[serde(flatten)]
    pub body: SnapshotBody,
    /// `sha256:` and the hex digest of the body serialised compactly.
    pub checksum: String,
}

impl Snapshot {
    pub fn new(body: SnapshotBody) -> Snapshot {
        let checksum = checksum_of(&body);
        Snapshot { body, checksum }
    }

    pub fn version(&self) -> u32 {
        self.body.version
    }
}

fn checksum_of(body: &SnapshotBody) -> String {
    let bytes = serde_json::to_vec(body).expect("snapshots serialise");
    format!("sha256:{:x}", Sha256::digest(&bytes))
}

/// Whether two reports hold the same numbers: everything but the as-of date, which moves
/// every night without the data changing.
pub fn same_numbers(a: &PeriodReport, b: &PeriodReport) -> bool {
    a.period == b.period
        && a.overall == b.overall
        && a.departments == b.departments
        && a.sites == b.sites
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}: already exists; snapshots are never rewritten")]
    Exists(PathBuf),
}

/// A snapshot file that could not be used, named for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Every report's valid versions (oldest first), the highest version number seen per report
/// (valid or not: numbers are never reused), and the files that failed their check.
#[derive(Debug, Default)]
pub struct History {
    pub versions: BTreeMap<String, Vec<Snapshot>>,
    pub highest: BTreeMap<String, u32>,
    pub problems: Vec<Problem>,
}

impl History {
    pub fn latest(&self, id: &str) -> Option<&Snapshot> {
        self.versions.get(id).and_then(|v| v.last())
    }
}

pub struct Store {
    pub dir: PathBuf,
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_owned(),
        source,
    }
}

fn file_name(version: u32) -> String {
    format!("v{version:04}.json")
}

impl Store {
    pub fn new(dir: PathBuf) -> Store {
        Store { dir }
    }

    /// Reads every snapshot. A file that does not parse or whose checksum does not match is
    /// a [`Problem`]; the rest load regardless.
    pub fn load(&self, display_root: &Path) -> Result<History, StoreError> {
        let mut history = History::default();
        if !self.dir.is_dir() {
            return Ok(history);
        }
        let mut ids: Vec<PathBuf> = std::fs::read_dir(&self.dir)
            .map_err(io_err(&self.dir))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_dir())
            .collect();
        ids.sort();
        for dir in ids {
            let id = dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
                .map_err(io_err(&dir))?
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect();
            files.sort();
            for path in files {
                let shown = path
                    .strip_prefix(display_root)
                    .unwrap_or(&path)
                    .display()
                    .to_string();
                let number = path
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .and_then(|s| s.strip_prefix('v'))
                    .and_then(|n| n.parse::<u32>().ok());
                if let Some(n) = number {
                    let highest = history.highest.entry(id.clone()).or_default();
                    *highest = (*highest).max(n);
                }
                match read_snapshot(&path, &id, number) {
                    Ok(snapshot) => history
                        .versions
                        .entry(id.clone())
                        .or_default()
                        .push(snapshot),
                    Err(message) => history.problems.push(Problem {
                        path: shown,
                        message,
                    }),
                }
            }
        }
        for list in history.versions.values_mut() {
            list.sort_by_key(Snapshot::version);
        }
        Ok(history)
    }

    /// Writes a new version; fails rather than replace an existing file.
    pub fn write_new(&self, snapshot: &Snapshot) -> Result<PathBuf, StoreError> {
        let dir = self.dir.join(&snapshot.body.report.period.id);
        std::fs::create_dir_all(&dir).map_err(io_err(&dir))?;
        let path = dir.join(file_name(snapshot.version()));
        let mut bytes = serde_json::to_vec_pretty(snapshot).expect("snapshots serialise");
        bytes.push(b'\n');
        let mut file = match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                return Err(StoreError::Exists(path));
            }
            Err(e) => return Err(StoreError::Io { path, source: e }),
        };
        file.write_all(&bytes)
            .and_then(|()| file.sync_all())
            .map_err(io_err(&path))?;
        Ok(path)
    }
}

fn read_snapshot(path: &Path, id: &str, number: Option<u32>) -> Result<Snapshot, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read: {e}"))?;
    let snapshot: Snapshot =
        serde_json::from_str(&text).map_err(|e| format!("not a snapshot: {e}"))?;
    if checksum_of(&snapshot.body) != snapshot.checksum {
        return Err("checksum mismatch: the file was changed after it was written".to_owned());
    }
    if snapshot.body.report.period.id != id || Some(snapshot.version()) != number {
        return Err(format!(
            "holds report {} version {}, which does not match its place in the store",
            snapshot.body.report.period.id,
            snapshot.version()
        ));
    }
    Ok(snapshot)
}
