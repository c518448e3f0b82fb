//! The snapshot store: `snapshots/<report-id>/v0001.json`, one file per version, written once
//! and never rewritten. Each file carries a SHA-256 checksum of its content, so a corrupt or
//! edited file is found and named instead of silently changing history.

use crate::metrics::PeriodReport;
use crate::seal;
use chrono::NaiveDate;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
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
    /// The checksum of the version before this one: a version changed (its checksum
    /// recomputed), replaced or inserted breaks the chain at the next. None for version 1, and
    /// in versions written before huifang chained them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<String>,
    pub report: PeriodReport,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    #[serde(flatten)]
    pub body: SnapshotBody,
    /// `sha256:` and the hex digest of the file's bytes with this field set to the
    /// placeholder (see [`sealed`]).
    pub checksum: String,
}

impl Snapshot {
    pub fn version(&self) -> u32 {
        self.body.version
    }
}

/// A snapshot as its file holds it, with the body borrowed: serialises as [`Snapshot`] does.
/// The bytes of its file are pretty JSON and a final newline.
#[derive(Serialize)]
struct SnapshotFile<'a> {
    #[serde(flatten)]
    body: &'a SnapshotBody,
    checksum: &'a str,
}

/// A version's file serialised whole: the tests' second way to the bytes [`write_sealed`]
/// writes as they are made.
#[cfg(test)]
fn file_bytes(body: &SnapshotBody, checksum: &str) -> Vec<u8> {
    let mut bytes =
        serde_json::to_vec_pretty(&SnapshotFile { body, checksum }).expect("snapshots serialise");
    bytes.push(b'\n');
    bytes
}

/// The checksum of a version's file and the file's bytes, serialised once: the checksum is
/// patched into the bytes it was computed over, in place of its placeholder (see [`crate::seal`]).
#[cfg(test)]
fn sealed(body: &SnapshotBody) -> (String, Vec<u8>) {
    sealed_bytes(file_bytes(body, &placeholder()))
}

/// Writes a version's file, sealed, to `out` as its bytes are made; gives the checksum (`sha256:…`)
/// and the SHA-256 of the bytes written.
fn write_sealed(
    body: &SnapshotBody,
    out: impl std::io::Write,
) -> std::io::Result<(String, String)> {
    let mut writer = seal::TailWriter::new(out);
    let file = SnapshotFile {
        body,
        checksum: &placeholder(),
    };
    serde_json::to_writer_pretty(&mut writer, &file)?;
    writer.write_all(b"\n")?;
    let sealed = writer.finish(seal::PREFIX)?;
    let checksum = format!("{}{}", seal::PREFIX, sealed.digest);
    Ok((checksum, sealed.written_sha256))
}

/// The checksum's place holder in a file being sealed.
fn placeholder() -> String {
    format!("{}{}", seal::PREFIX, seal::UNSET)
}

/// `bytes` of a version's file, written with [`placeholder`] as its checksum, sealed.
#[cfg(test)]
fn sealed_bytes(mut bytes: Vec<u8>) -> (String, Vec<u8>) {
    let placeholder = placeholder();
    // The checksum is the last field written; a placeholder before it is the body's. JSON
    // writes it as it is, so it is always found.
    let slot: Vec<usize> = memchr::memmem::rfind(&bytes, placeholder.as_bytes())
        .map(|at| at + seal::PREFIX.len())
        .into_iter()
        .collect();
    let checksum = format!("{}{}", seal::PREFIX, seal::seal(&mut bytes, &slot));
    (checksum, bytes)
}

/// Whether a file's text is sealed with the checksum it records. The check reads the bytes,
/// not today's structs, so a later huifang whose structs gained a field still verifies old
/// files (and anyone can check a file with sed and sha256sum).
fn verify(text: &str, recorded: &str) -> bool {
    recorded
        .strip_prefix(seal::PREFIX)
        .is_some_and(|hex| seal::holds(text, hex))
}

/// A report as its snapshot holds it: numbers kept exact in memory are stored with 4 decimals
/// (see [`crate::metrics::values`]), so a new version is compared with the latest, and its page
/// rendered, from what is stored, the same on the build that records it as on every later one.
pub fn as_stored(report: &PeriodReport) -> PeriodReport {
    // Through the bytes a snapshot holds, not a `serde_json::Value`: a tree of maps costs many
    // times the report, and with thousands of sites every report is being stored at once.
    serde_json::to_vec(report)
        .and_then(|bytes| serde_json::from_slice(&bytes))
        .expect("a report reads back what it writes")
}

/// Whether two reports hold the same numbers: everything but the as-of date, which moves
/// every night without the data changing.
///
/// Compared: the period's id and dates, and for the whole organisation and each department and
/// site (matched by name) the visits, satisfaction, complaints and rectification numbers, and
/// the work-order and household numbers when both reports have them (an order followed up
/// late, or one whose window closed unfollowed, changes a past month's 回访率).
/// Not compared: whether the period is still in progress, display order and slugs, and the
/// trend against other periods (a change there belongs to the other period's version), and
/// numbers one side was written without (a snapshot from before huifang counted them): an
/// upgrade alone makes no new version.
pub fn same_numbers(a: &PeriodReport, b: &PeriodReport) -> bool {
    use crate::metrics::EntityMetrics;
    use crate::metrics::values::{Metrics, Rectification};
    // Compared in place, without copies: a report of thousands of sites is compared with its
    // snapshot on every build, every report at once.
    let both_count_late = a.overall.rectification.closed_late.is_some()
        && b.overall.rectification.closed_late.is_some();
    let both_count_households = a.overall.households.is_some() && b.overall.households.is_some();
    let both_count_orders = a.overall.coverage.is_some() && b.overall.coverage.is_some();
    let without_late = |r: &Rectification| Rectification {
        closed_late: None,
        on_time_rate: None,
        ..r.clone()
    };
    let same = |x: &Metrics, y: &Metrics| {
        x.visits == y.visits
            && x.satisfaction == y.satisfaction
            && x.complaints == y.complaints
            && if both_count_late {
                x.rectification == y.rectification
            } else {
                without_late(&x.rectification) == without_late(&y.rectification)
            }
            && (!both_count_households || x.households == y.households)
            && (!both_count_orders || x.coverage == y.coverage)
    };
    let same_lists = |x: &[EntityMetrics], y: &[EntityMetrics]| {
        x.len() == y.len()
            && by_name(x)
                .iter()
                .zip(by_name(y))
                .all(|(p, q)| p.entity.name == q.entity.name && same(&p.metrics, &q.metrics))
    };
    let (pa, pb) = (&a.period, &b.period);
    (pa.id == pb.id && pa.start == pb.start && pa.end == pb.end)
        && same(&a.overall, &b.overall)
        && same_lists(&a.departments.list(), &b.departments.list())
        && same_lists(&a.sites.list(), &b.sites.list())
}

/// What [`same_numbers`] compares of a report, hashed as its snapshot stores it: two reports
/// that count the same kinds of numbers hold the same numbers exactly when their keys are
/// equal. A site records its reports' latest versions with their keys, so a later build
/// compares the data's numbers with a version without reading it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NumbersKey {
    /// Whether it counts complaints closed late, households and work orders, which a
    /// snapshot written before huifang counted them lacks.
    counts: [bool; 3],
    digest: String,
}

/// The rule [`NumbersKey`] hashes by: a key of another is not compared.
const NUMBERS_SCHEME: &str = "n1";

impl NumbersKey {
    pub fn of(report: &PeriodReport) -> NumbersKey {
        use crate::metrics::EntityMetrics;
        use crate::metrics::values::{
            Complaints, HouseholdCoverage, Metrics, Rectification, Satisfaction, Visits,
        };
        let overall = &report.overall;
        let counts = [
            overall.rectification.closed_late.is_some(),
            overall.households.is_some(),
            overall.coverage.is_some(),
        ];
        // As `same_numbers` compares them: what one kind of report lacks is left out.
        fn numbers(m: &Metrics, [late, households, orders]: [bool; 3]) -> Numbers<'_> {
            let rectification = if late {
                Cow::Borrowed(&m.rectification)
            } else {
                Cow::Owned(Rectification {
                    closed_late: None,
                    on_time_rate: None,
                    ..m.rectification.clone()
                })
            };
            (
                &m.visits,
                &m.satisfaction,
                &m.complaints,
                rectification,
                m.households.as_deref().filter(|_| households),
                m.coverage.as_deref().filter(|_| orders),
            )
        }
        fn scopes(list: &[EntityMetrics], counts: [bool; 3]) -> Vec<(&str, Numbers<'_>)> {
            let sorted = by_name(list).into_iter();
            sorted
                .map(|e| (e.entity.name.as_str(), numbers(&e.metrics, counts)))
                .collect()
        }
        type Numbers<'a> = (
            &'a Visits,
            &'a Satisfaction,
            &'a Complaints,
            Cow<'a, Rectification>,
            Option<&'a HouseholdCoverage>,
            Option<&'a crate::metrics::coverage::Coverage>,
        );
        let period = &report.period;
        let (departments, sites) = (report.departments.list(), report.sites.list());
        let hashed = (
            (&period.id, period.start, period.end),
            numbers(overall, counts),
            scopes(&departments, counts),
            scopes(&sites, counts),
        );
        let digest = crate::seal::json_sha256(&hashed);
        NumbersKey {
            counts,
            digest: seal::hex(&digest),
        }
    }

    /// Whether the reports keyed hold the same numbers; `None` when the keys cannot say, as
    /// the reports count different kinds of numbers.
    pub fn same(&self, other: &NumbersKey) -> Option<bool> {
        (self.counts == other.counts).then(|| self.digest == other.digest)
    }
}

impl std::fmt::Display for NumbersKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let [a, b, c] = self.counts.map(u8::from);
        write!(f, "{NUMBERS_SCHEME}-{a}{b}{c}-{}", self.digest)
    }
}

impl std::str::FromStr for NumbersKey {
    type Err = ();

    /// A key as [`Display`](std::fmt::Display) writes it, by this rule only.
    fn from_str(text: &str) -> Result<NumbersKey, ()> {
        let mut parts = text.split('-');
        let (Some(NUMBERS_SCHEME), Some(counts), Some(digest), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(());
        };
        let flag = |i: usize| match counts.as_bytes().get(i) {
            Some(b'0') => Ok(false),
            Some(b'1') => Ok(true),
            _ => Err(()),
        };
        if counts.len() != 3 || !crate::seal::is_digest(digest) {
            return Err(());
        }
        Ok(NumbersKey {
            counts: [flag(0)?, flag(1)?, flag(2)?],
            digest: digest.to_owned(),
        })
    }
}

/// A report's departments or sites sorted by name, as two snapshots may list them in
/// different orders.
fn by_name(list: &[crate::metrics::EntityMetrics]) -> Vec<&crate::metrics::EntityMetrics> {
    let mut sorted: Vec<_> = list.iter().collect();
    sorted.sort_unstable_by(|p, q| p.entity.name.cmp(&q.entity.name));
    sorted
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

impl std::error::Error for Problem {}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// A valid version as the store lists it: everything but its numbers. Those are read from its
/// file when they are compared or shown ([`History::body`]).
#[derive(Clone, Debug)]
pub struct VersionInfo {
    pub version: u32,
    pub as_of: NaiveDate,
    /// As in [`SnapshotBody::built_at`].
    pub built_at: String,
    pub inputs: Vec<InputFile>,
    pub previous: Option<String>,
    /// Its file and the path shown for it. A version this build writes is read from where it
    /// is staged until it is linked into place.
    file: (PathBuf, String),
}

impl VersionInfo {
    fn of(body: &SnapshotBody, file: (PathBuf, String)) -> VersionInfo {
        VersionInfo {
            version: body.version,
            as_of: body.as_of,
            built_at: body.built_at.clone(),
            inputs: body.inputs.clone(),
            previous: body.previous.clone(),
            file,
        }
    }

    /// Its file's path as shown: relative to the project.
    pub fn shown(&self) -> &str {
        &self.file.1
    }
}

/// What lists a version: all of [`VersionInfo`] but its file, and its checksum.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listing {
    pub version: u32,
    pub as_of: NaiveDate,
    pub built_at: String,
    pub inputs: Vec<InputFile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<String>,
    pub checksum: String,
}

impl Listing {
    pub fn of(info: &VersionInfo, checksum: &str) -> Listing {
        Listing {
            version: info.version,
            as_of: info.as_of,
            built_at: info.built_at.clone(),
            inputs: info.inputs.clone(),
            previous: info.previous.clone(),
            checksum: checksum.to_owned(),
        }
    }
}

/// What changed into a version from the one before it, as the versions' page words it: known
/// by the two versions' checksums, whatever their files look like.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Changes {
    /// The later version's checksum.
    pub into: String,
    /// The earlier version's: the words hold for that one only.
    pub before: String,
    pub words: String,
}

/// The versions' listings this build takes from an earlier one's check, by path as shown.
pub type Listings = HashMap<String, Listing>;

/// Every report's valid versions (oldest first, listed without their numbers; their
/// checksums were checked on loading), the highest version number seen per report (valid or
/// not: numbers are never reused), and the files that failed their check. A version's numbers
/// are read from its file each time they are asked for and never kept: a build of thousands
/// of sites would otherwise hold a second copy of every report it writes or compares.
#[derive(Debug, Default)]
pub struct History {
    versions: BTreeMap<String, Vec<VersionInfo>>,
    pub highest: BTreeMap<String, u32>,
    pub problems: Vec<Problem>,
    /// The checksum of every valid version, by report and number.
    pub checksums: BTreeMap<String, BTreeMap<u32, String>>,
    /// Snapshots (as shown) holding text the current masking rules hide: they were written by
    /// an older huifang. Pages show them masked; the files keep what they hold. Versions read
    /// while pages are made add to it.
    unmasked: std::sync::Mutex<Vec<String>>,
    /// Versions that passed their check on loading but could not be read when asked for
    /// (written by another huifang, or changed since): not used, like `problems`.
    unread: std::sync::Mutex<Vec<(String, Problem)>>,
    /// What changed from one version to the next, by the later version's checksum. Taken
    /// from an earlier build's record and added to as pages are made, so that saying what
    /// changed reads a version's numbers once, not on every build.
    changes: std::sync::Mutex<HashMap<String, Changes>>,
}

impl History {
    /// A report's latest valid version, as listed.
    pub fn latest(&self, id: &str) -> Option<&VersionInfo> {
        self.versions(id).last()
    }

    /// A report's latest valid version whole, read from its file.
    pub fn latest_body(&self, id: &str) -> Option<Result<SnapshotBody, Problem>> {
        let info = self.latest(id)?;
        Some(self.read(id, info))
    }

    /// A report's valid versions, oldest first.
    pub fn versions(&self, id: &str) -> &[VersionInfo] {
        self.versions.get(id).map_or(&[], Vec::as_slice)
    }

    /// The reports with a valid version, in order.
    pub fn reports(&self) -> impl Iterator<Item = &str> {
        self.versions.keys().map(String::as_str)
    }

    /// The checksum of a report's latest valid version: what its next version follows.
    pub fn latest_checksum(&self, id: &str) -> Option<&String> {
        self.checksums.get(id)?.values().next_back()
    }

    /// Version `version` of report `id` whole, read from its file, which must still hold what
    /// was checked when the history was loaded (or, for a version this build writes, what it
    /// wrote).
    pub fn body(&self, id: &str, version: u32) -> Result<SnapshotBody, Problem> {
        let Some(info) = self.versions(id).iter().find(|v| v.version == version) else {
            return Err(Problem {
                path: format!("{id} v{version}"),
                message: "no such version in the snapshots folder".to_owned(),
            });
        };
        self.read(id, info)
    }

    fn read(&self, id: &str, info: &VersionInfo) -> Result<SnapshotBody, Problem> {
        let (path, shown) = &info.file;
        let recorded = self.checksums.get(id).and_then(|s| s.get(&info.version));
        let problem = |message: String| Problem {
            path: shown.clone(),
            message,
        };
        let read = read_snapshot(path, id, info.version)
            .map_err(problem)
            .and_then(|snapshot| {
                if Some(&snapshot.checksum) == recorded {
                    Ok(snapshot)
                } else {
                    Err(problem(
                        "changed while this build ran (it was checked when the build began); \
                         build again"
                            .to_owned(),
                    ))
                }
            });
        match read {
            Ok(snapshot) => Ok(self.masked(snapshot.body, shown)),
            Err(problem) => {
                let mut unread = self.unread.lock().expect("not poisoned");
                let entry = (id.to_owned(), problem);
                if !unread.contains(&entry) {
                    unread.push(entry.clone());
                }
                Err(entry.1)
            }
        }
    }

    /// The versions that could not be read when asked for, sorted.
    pub fn unread(&self) -> Vec<Problem> {
        let unread = self.unread.lock().expect("not poisoned");
        let mut problems: Vec<Problem> = unread.iter().map(|(_, p)| p.clone()).collect();
        problems.sort_by(|a, b| (&a.path, &a.message).cmp(&(&b.path, &b.message)));
        problems
    }

    /// Takes what an earlier build worked out of what changed, under the pages' base it was
    /// worded with.
    pub fn recall_changes(&mut self, recorded: impl IntoIterator<Item = Changes>) {
        let changes = self.changes.get_mut().unwrap_or_else(|e| e.into_inner());
        changes.extend(recorded.into_iter().map(|c| (c.into.clone(), c)));
    }

    /// What changed into the version with `checksum` from the one with `before`, if it is
    /// known.
    pub fn changes(&self, checksum: &str, before: &str) -> Option<String> {
        let changes = self.changes.lock().unwrap_or_else(|e| e.into_inner());
        let known = changes.get(checksum)?;
        (known.before == before).then(|| known.words.clone())
    }

    /// Notes what changed into the version with `checksum` from the one with `before`.
    pub fn note_changes(&self, checksum: &str, before: &str, words: &str) {
        let mut changes = self.changes.lock().unwrap_or_else(|e| e.into_inner());
        let known = Changes {
            into: checksum.to_owned(),
            before: before.to_owned(),
            words: words.to_owned(),
        };
        changes.insert(known.into.clone(), known);
    }

    /// What is known of what changed into each valid version, for the record, in report and
    /// version order.
    pub fn known_changes(&self) -> Vec<Changes> {
        let changes = self.changes.lock().unwrap_or_else(|e| e.into_inner());
        (self.checksums.values())
            .flat_map(BTreeMap::values)
            .filter_map(|into| changes.get(into).cloned())
            .collect()
    }

    /// The reports with a version that could not be read when asked for.
    pub fn unread_reports(&self) -> std::collections::BTreeSet<String> {
        let unread = self.unread.lock().expect("not poisoned");
        unread.iter().map(|(id, _)| id.clone()).collect()
    }

    /// `body` with its text masked by the current rules; noted if that changed it.
    fn masked(&self, mut body: SnapshotBody, shown: &str) -> SnapshotBody {
        if body.report.mask_text() {
            let mut unmasked = self.unmasked.lock().expect("not poisoned");
            unmasked.push(shown.to_owned());
        }
        body
    }

    /// Each version of report `id`, oldest first, read one at a time.
    pub fn bodies(&self, id: &str) -> impl Iterator<Item = Result<SnapshotBody, Problem>> + '_ {
        let id = id.to_owned();
        let numbers: Vec<u32> = self.versions(&id).iter().map(|v| v.version).collect();
        numbers.into_iter().map(move |n| self.body(&id, n))
    }

    /// Adds a version this build has staged: its report's latest from now on, read from
    /// where it is staged until [`History::placed`] says where it went.
    pub fn add(&mut self, staged: Staged) {
        let Staged { id, info, checksum } = staged;
        self.highest.insert(id.clone(), info.version);
        let sums = self.checksums.entry(id.clone()).or_default();
        sums.insert(info.version, checksum);
        self.versions.entry(id).or_default().push(info);
    }

    /// A staged version is now at `path`, its place in the store.
    pub fn placed(&mut self, id: &str, version: u32, path: &Path) {
        let list = self.versions.get_mut(id).into_iter().flatten();
        if let Some(info) = list.into_iter().find(|v| v.version == version) {
            info.file.0 = path.to_owned();
        }
    }

    /// The snapshots (as shown) found holding text the current masking hides, sorted.
    pub fn unmasked(&self) -> Vec<String> {
        let mut shown = self.unmasked.lock().expect("not poisoned").clone();
        shown.sort();
        shown.dedup();
        shown
    }

    /// Compares each report's latest version when the site at `site` was last built (its
    /// `heads`) with the history now: a latest version gone or changed (its checksum
    /// recomputed) is a rewritten history, named as a problem. Version numbers stay past it;
    /// new versions of those reports are written only with `--accept-history-change`. The
    /// reports whose history was rewritten.
    pub fn check_heads(
        &mut self,
        heads: &[crate::output::Head],
        dir: &Path,
        display_root: &Path,
        site: &Path,
    ) -> std::collections::BTreeSet<String> {
        let mut rewritten = std::collections::BTreeSet::new();
        let site = site
            .strip_prefix(display_root)
            .unwrap_or(site)
            .display()
            .to_string();
        for head in heads {
            let now = self
                .checksums
                .get(&head.report)
                .and_then(|s| s.get(&head.version));
            if now == Some(&head.checksum) {
                continue;
            }
            let path = dir.join(&head.report).join(file_name(head.version));
            let exists = path.exists();
            // A file there that fails its own check is named already.
            if exists && now.is_none() {
                continue;
            }
            let what = if exists {
                "changed since"
            } else {
                "missing; it was the latest version when"
            };
            let shown = path.strip_prefix(display_root).unwrap_or(&path);
            self.problems.push(Problem {
                path: shown.display().to_string(),
                message: format!(
                    "{what} {site} was built, so the history of {} was rewritten; no new \
                     version is written over it: restore the file from version control, or \
                     build with --accept-history-change to go on from here",
                    head.report
                ),
            });
            let highest = self.highest.entry(head.report.clone()).or_default();
            *highest = (*highest).max(head.version);
            rewritten.insert(head.report.clone());
        }
        self.problems.sort_by(|a, b| a.path.cmp(&b.path));
        rewritten
    }

    /// Checks each version's link to the valid version before it.
    fn check_chain(&mut self, dir: &Path, display_root: &Path) {
        for (id, list) in &self.versions {
            let sums = &self.checksums[id];
            for body in list {
                // A missing or invalid version before it is named already.
                let before = body.version - 1;
                let broken = match (&body.previous, sums.get(&before)) {
                    // Written before versions were chained.
                    (None, _) => false,
                    (Some(previous), Some(sum)) => previous != sum,
                    (Some(_), None) => before == 0,
                };
                if broken {
                    let path = dir.join(id).join(file_name(body.version));
                    let shown = path.strip_prefix(display_root).unwrap_or(&path);
                    let follows = match before {
                        0 => "no version before it".to_owned(),
                        n => format!("v{n:04}.json"),
                    };
                    self.problems.push(Problem {
                        path: shown.display().to_string(),
                        message: format!(
                            "does not follow {follows}: the version before it was changed, \
                             replaced or inserted (and its checksum recomputed); restore the \
                             files from version control"
                        ),
                    });
                }
            }
        }
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
        self.load_known(display_root, &BTreeMap::new(), &Listings::new())
    }

    /// Reads every snapshot as [`Store::load`] does, but a report's latest version that is
    /// `known` (its number and checksum, by report) is not read whole: a build that knows its
    /// numbers by their key needs them only for the pages it makes. A version in `listings`
    /// (by its path as shown: an earlier build's check of the file as it still is) is not
    /// read at all where only its listing is needed.
    pub fn load_known(
        &self,
        display_root: &Path,
        known: &BTreeMap<String, (u32, String)>,
        listings: &Listings,
    ) -> Result<History, StoreError> {
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
        let mut entries = Vec::new();
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
                // Only the name a version is written under: a copy named `v1.json` or
                // `v0001 (1).json` is no version.
                let number = path
                    .file_name()
                    .and_then(|s| s.to_str())
                    .and_then(|s| s.strip_prefix('v')?.strip_suffix(".json"))
                    .filter(|n| n.len() >= 4 && n.bytes().all(|b| b.is_ascii_digit()))
                    .and_then(|n| n.parse::<u32>().ok())
                    .filter(|&n| n > 0 && path.file_name().is_some_and(|f| *f == *file_name(n)));
                let Some(number) = number else {
                    history.problems.push(Problem {
                        path: shown,
                        message: "not a version's name (versions are v0001.json, v0002.json, …); \
                                  it is not used: move it out of the snapshots folder"
                            .to_owned(),
                    });
                    continue;
                };
                entries.push(Entry {
                    id: id.clone(),
                    path,
                    number,
                    shown,
                });
            }
        }
        // Checking every file is most of the work, and independent per file. Each report's
        // latest valid version is read whole; earlier ones only for what lists them, as their
        // numbers are shown only on pages made again (see `History::body`).
        let mut by_report: Vec<Vec<Entry>> = Vec::new();
        for entry in entries {
            match by_report.last_mut() {
                Some(list) if list[0].id == entry.id => list.push(entry),
                _ => by_report.push(vec![entry]),
            }
        }
        let read: Vec<(Entry, Result<Read, String>)> = by_report
            .into_par_iter()
            .flat_map_iter(|list| {
                let known = known.get(&list[0].id);
                read_report(list, known, listings)
            })
            .collect();
        for (entry, read) in read {
            let Entry {
                id,
                path,
                number,
                shown,
            } = entry;
            let highest = history.highest.entry(id.clone()).or_default();
            *highest = (*highest).max(number);
            let read = match read {
                Ok(read) => read,
                Err(message) => {
                    history.problems.push(Problem {
                        path: shown,
                        message,
                    });
                    continue;
                }
            };
            if read.unmasked {
                history
                    .unmasked
                    .get_mut()
                    .expect("not poisoned")
                    .push(shown.clone());
            }
            let Read { listed, .. } = read;
            let info = VersionInfo {
                version: listed.version,
                as_of: listed.as_of,
                built_at: listed.built_at,
                inputs: listed.inputs,
                previous: listed.previous,
                file: (path, shown),
            };
            let sums = history.checksums.entry(id.clone()).or_default();
            sums.insert(info.version, listed.checksum);
            history.versions.entry(id).or_default().push(info);
        }
        for list in history.versions.values_mut() {
            list.sort_by_key(|info| info.version);
        }
        // Version numbers run from 1 without a gap: a missing one was deleted.
        for (id, &highest) in &history.highest {
            for n in 1..highest {
                let path = self.dir.join(id).join(file_name(n));
                if !path.exists() {
                    let shown = path.strip_prefix(display_root).unwrap_or(&path);
                    history.problems.push(Problem {
                        path: shown.display().to_string(),
                        message: format!(
                            "missing, though {id} has versions up to v{highest:04}; a version is \
                             never deleted: restore the file from version control"
                        ),
                    });
                }
            }
        }
        history.check_chain(&self.dir, display_root);
        history.problems.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(history)
    }

    /// Where this build's new versions are staged ([`NewVersions::stage`]). Nothing stays in
    /// the store before [`NewVersions::keep`]; dropped before, the files (linked or not) and
    /// the folders made for them are removed, and the store is as it was.
    pub fn new_versions(&self) -> NewVersions {
        NewVersions {
            store: self.dir.clone(),
            made_root: (!self.dir.exists()).then(|| self.dir.clone()),
            files: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// Removes staged versions a build killed outright left behind (see [`STAGING_PREFIX`]).
    /// Call it only holding the project lock: no other build can be staging then.
    pub fn sweep_staged(&self) {
        let Ok(ids) = std::fs::read_dir(&self.dir) else {
            return;
        };
        for dir in ids.filter_map(Result::ok).map(|e| e.path()) {
            let Ok(files) = std::fs::read_dir(&dir) else {
                continue;
            };
            for file in files.filter_map(Result::ok) {
                if file
                    .file_name()
                    .to_string_lossy()
                    .starts_with(STAGING_PREFIX)
                {
                    let _ = std::fs::remove_file(file.path());
                }
            }
        }
    }
}

/// How a version staged beside its place is named until it is linked into place: hidden, never
/// read as a version, and recognised to be swept up after a build that was killed.
const STAGING_PREFIX: &str = ".huifang-staged-";

/// New versions written beside their places in the store (see [`Store::new_versions`]).
pub struct NewVersions {
    /// The store's folder.
    store: PathBuf,
    /// The store's folder, when staging made it.
    made_root: Option<PathBuf>,
    files: std::sync::Mutex<Vec<Pending>>,
}

/// A version staged by [`NewVersions::stage`]: its report, what lists it (its file the staged
/// one) and its checksum.
pub struct Staged {
    pub id: String,
    pub info: VersionInfo,
    pub checksum: String,
}

/// A staged version linked into place.
pub struct Placed {
    pub id: String,
    pub version: u32,
    pub path: PathBuf,
    /// The SHA-256 of its bytes.
    pub sha256: String,
}

impl NewVersions {
    /// Seals `body` and writes it to a temporary file beside its place, and closes it: the
    /// version's bytes are written as they are made, never held whole (a year's report of a
    /// thousand departments is tens of MB), and one file is open per call, however many
    /// versions are new. Several threads may stage at once, each version of its own report.
    /// `shown_root` is what the paths shown for it are relative to. The file is put on disk
    /// when it is linked: by then the system has mostly written it while the site was staged,
    /// where syncing here would wait for the disk before any page is made.
    pub fn stage(&self, body: &SnapshotBody, shown_root: &Path) -> Result<Staged, StoreError> {
        let id = body.report.period.id.clone();
        let dir = self.store.join(&id);
        let made = (!dir.exists()).then(|| dir.clone());
        std::fs::create_dir_all(&dir).map_err(io_err(&dir))?;
        let path = dir.join(file_name(body.version));
        let shown = path.strip_prefix(shown_root).unwrap_or(&path);
        let shown = shown.display().to_string();
        // Pushed as soon as there is anything to undo, so that dropping `self` undoes it.
        let mut pending = Pending {
            id: id.clone(),
            version: body.version,
            temp: None,
            path,
            sha256: String::new(),
            made,
            linked: false,
        };
        let temp = tempfile::Builder::new()
            .prefix(STAGING_PREFIX)
            .tempfile_in(&dir);
        let written = temp.map_err(io_err(&dir)).and_then(|mut temp| {
            let written = write_sealed(body, temp.as_file_mut());
            let temp = temp.into_temp_path();
            let staged = temp.to_path_buf();
            pending.temp = Some(temp);
            let (checksum, sha256) = written.map_err(io_err(&pending.path))?;
            pending.sha256 = sha256;
            Ok((staged, checksum))
        });
        self.files.lock().expect("not poisoned").push(pending);
        let (staged, checksum) = written?;
        Ok(Staged {
            id,
            info: VersionInfo::of(body, (staged, shown)),
            checksum,
        })
    }

    /// Links every file into place, failing rather than replace one, in the order of their
    /// paths. They stay only with [`NewVersions::keep`]: should this or anything after it
    /// fail, dropping `self` takes them out again.
    pub fn link(&mut self) -> Result<Vec<Placed>, StoreError> {
        let files = self.files.get_mut().expect("not poisoned");
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files.iter_mut().map(Pending::link).collect()
    }

    /// The build is in place: the linked versions stay.
    pub fn keep(mut self) {
        let files = self.files.get_mut().expect("not poisoned");
        for pending in files.iter_mut() {
            pending.linked = false;
            pending.made = None;
        }
        files.clear();
        self.made_root = None;
    }
}

impl Drop for NewVersions {
    fn drop(&mut self) {
        // Each file goes before the folder that held it.
        let files = self.files.get_mut();
        files
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clear();
        if let Some(root) = &self.made_root {
            let _ = std::fs::remove_dir(root);
        }
    }
}

/// One new version in a temporary file beside its place.
struct Pending {
    id: String,
    version: u32,
    /// The staged file; `None` before it is made and once linked.
    temp: Option<tempfile::TempPath>,
    path: PathBuf,
    sha256: String,
    /// The report's folder, when staging this version made it.
    made: Option<PathBuf>,
    /// Linked into place but not kept: dropped now, it is taken out.
    linked: bool,
}

impl Pending {
    fn link(&mut self) -> Result<Placed, StoreError> {
        let path = self.path.clone();
        if let Some(temp) = &self.temp {
            let synced = std::fs::File::open(temp).and_then(|file| file.sync_all());
            synced.map_err(io_err(&path))?;
        }
        if let Some(temp) = self.temp.take() {
            temp.persist_noclobber(&path)
                .map_err(|e| match e.error.kind() {
                    std::io::ErrorKind::AlreadyExists => StoreError::Exists(path.clone()),
                    _ => StoreError::Io {
                        path: path.clone(),
                        source: e.error,
                    },
                })?;
            self.linked = true;
        }
        Ok(Placed {
            id: self.id.clone(),
            version: self.version,
            path,
            sha256: self.sha256.clone(),
        })
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        // Dropped before its build was kept: the staged file goes (with its TempPath), a file
        // linked meanwhile is taken out, then the folder made for it if it is empty.
        drop(self.temp.take());
        if self.linked {
            let _ = std::fs::remove_file(&self.path);
        }
        if let Some(dir) = &self.made {
            let _ = std::fs::remove_dir(dir);
        }
    }
}

/// A version's file found in the store: its report (the folder), path, number (from its
/// name) and the path shown for it.
struct Entry {
    id: String,
    path: PathBuf,
    number: u32,
    shown: String,
}

/// A version's file as read on loading: what lists it, and whether it holds text the current
/// masking rules hide (known only of a version read whole).
struct Read {
    listed: ListedFile,
    unmasked: bool,
}

impl Read {
    /// What lists a version read whole; its numbers are dropped, to be read again when asked
    /// for, so that loading never holds more than one version per thread.
    fn whole(snapshot: Snapshot) -> Read {
        let Snapshot { body, checksum } = snapshot;
        let mut report = body.report;
        let unmasked = report.mask_text();
        Read {
            listed: ListedFile {
                version: body.version,
                as_of: body.as_of,
                built_at: body.built_at,
                inputs: body.inputs,
                previous: body.previous,
                report: ListedReport {
                    period: ListedPeriod {
                        id: report.period.id,
                    },
                },
                checksum,
            },
            unmasked,
        }
    }
}

/// Reads one report's versions, each checked whole but listed only (its numbers skipped),
/// and then the highest valid one parsed whole, unless it is `known` (number and checksum):
/// one that fails is named, and the next one down is tried.
fn read_report(
    mut list: Vec<Entry>,
    known: Option<&(u32, String)>,
    listings: &Listings,
) -> Vec<(Entry, Result<Read, String>)> {
    list.sort_unstable_by_key(|entry| std::cmp::Reverse(entry.number));
    let listing = |entry: &Entry| match listings.get(&entry.shown) {
        Some(checked) if checked.version == entry.number => {
            Ok(ListedFile::checked(checked, &entry.id))
        }
        _ => read_listing(&entry.path, &entry.id, entry.number),
    };
    let whole =
        |entry: &Entry| read_snapshot(&entry.path, &entry.id, entry.number).map(Read::whole);
    let listed = |listed| Read {
        listed,
        unmasked: false,
    };
    let mut read = Vec::with_capacity(list.len());
    let mut rest = list.into_iter();
    // Down from the highest to the first valid one; only a known one is listed first.
    for entry in rest.by_ref() {
        let result = match known {
            Some((n, sum)) if *n == entry.number => match listing(&entry) {
                Ok(found) if found.checksum == *sum => Ok(listed(found)),
                Ok(_) => whole(&entry),
                Err(e) => Err(e),
            },
            _ => whole(&entry),
        };
        let found = result.is_ok();
        read.push((entry, result));
        if found {
            break;
        }
    }
    let rest: Vec<Entry> = rest.collect();
    read.par_extend(rest.into_par_iter().map(|entry| {
        let read = listing(&entry).map(listed);
        (entry, read)
    }));
    read
}

/// What lists a version, read from its file: its numbers are skipped, not held.
#[derive(Deserialize)]
struct ListedFile {
    version: u32,
    as_of: NaiveDate,
    built_at: String,
    inputs: Vec<InputFile>,
    #[serde(default)]
    previous: Option<String>,
    report: ListedReport,
    checksum: String,
}

impl ListedFile {
    /// What an earlier build's check of the file found (see [`super::checked`]).
    fn checked(listing: &Listing, id: &str) -> ListedFile {
        let Listing {
            version,
            as_of,
            built_at,
            inputs,
            previous,
            checksum,
        } = listing.clone();
        ListedFile {
            version,
            as_of,
            built_at,
            inputs,
            previous,
            report: ListedReport {
                period: ListedPeriod { id: id.to_owned() },
            },
            checksum,
        }
    }
}

#[derive(Deserialize)]
struct ListedReport {
    period: ListedPeriod,
}

#[derive(Deserialize)]
struct ListedPeriod {
    id: String,
}

fn read_snapshot(path: &Path, id: &str, number: u32) -> Result<Snapshot, String> {
    read_checked(path, id, number, |s: &Snapshot| {
        (&s.body.report.period.id, s.version(), &s.checksum)
    })
}

fn read_listing(path: &Path, id: &str, number: u32) -> Result<ListedFile, String> {
    read_checked(path, id, number, |f: &ListedFile| {
        (&f.report.period.id, f.version, &f.checksum)
    })
}

/// Reads a version's file as `T`, checks it against its checksum and its place in the store
/// (`place` says what it holds: its report, number and checksum).
fn read_checked<T: serde::de::DeserializeOwned>(
    path: &Path,
    id: &str,
    number: u32,
    place: impl Fn(&T) -> (&str, u32, &str),
) -> Result<T, String> {
    let text =
        std::fs::read_to_string(path).map_err(|e| format!("cannot read: {e}; it is not used"))?;
    let file: T =
        serde_json::from_str(&text).map_err(|e| format!("not a snapshot ({e}); it is not used"))?;
    let (held, version, checksum) = place(&file);
    if !verify(&text, checksum) {
        return Err(
            "checksum mismatch: the file was changed after it was written; it is not used"
                .to_owned(),
        );
    }
    if held != id || version != number {
        return Err(format!(
            "holds report {held} version {version}, which does not match its place in the store; \
             it is not used"
        ));
    }
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::values::Change;
    use sha2::{Digest, Sha256};

    fn report() -> PeriodReport {
        let json = include_str!("../../tests/fixtures/snapshot_report.json");
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn in_progress_order_slugs_and_trend_are_not_numbers() {
        let a = report();
        let mut b = a.clone();
        b.period.in_progress = !b.period.in_progress;
        b.departments.make_mut().reverse();
        for d in b.departments.make_mut() {
            d.entity.slug.push_str("-x");
        }
        b.overall.trend.satisfied_rate = Change {
            previous: Some(0.5),
            change: Some(0.1),
            year_ago: None,
            change_year_ago: None,
        };
        assert!(same_numbers(&a, &b));
        b.departments.make_mut()[0].metrics.visits.total += 1;
        assert!(!same_numbers(&a, &b));
    }

    /// Keys agree with `same_numbers`: what it does not compare leaves the key alone, a
    /// number it compares changes it, and a stored report has its exact report's key.
    #[test]
    fn numbers_keys_compare_what_same_numbers_compares() {
        let a = report();
        let key = NumbersKey::of(&a);
        assert_eq!(NumbersKey::of(&as_stored(&a)), key);
        let mut b = a.clone();
        b.period.in_progress = !b.period.in_progress;
        b.departments.make_mut().reverse();
        b.sites.make_mut().reverse();
        b.departments.make_mut()[0].entity.slug.push_str("-x");
        b.overall.trend.satisfied_rate.previous = Some(0.123_456);
        b.as_of = b.as_of.succ_opt().unwrap();
        assert!(same_numbers(&a, &b));
        assert_eq!(key.same(&NumbersKey::of(&b)), Some(true));
        // An exact rate that rounds to the stored one is the same number.
        let mut c = a.clone();
        c.overall.rectification.closure_rate =
            c.overall.rectification.closure_rate.map(|r| r + 1e-7);
        assert!(same_numbers(&a, &as_stored(&c)));
        assert_eq!(key.same(&NumbersKey::of(&c)), Some(true));
        for change in [
            |r: &mut PeriodReport| r.departments.make_mut()[1].metrics.visits.total += 1,
            |r: &mut PeriodReport| r.sites.make_mut()[0].metrics.rectification.overdue += 1,
            |r: &mut PeriodReport| r.overall.complaints.total += 1,
            |r: &mut PeriodReport| r.period.end = r.period.end.pred_opt().unwrap(),
            |r: &mut PeriodReport| r.sites.make_mut()[0].entity.name.push('x'),
        ] {
            let mut d = a.clone();
            change(&mut d);
            assert!(!same_numbers(&a, &d));
            assert_eq!(key.same(&NumbersKey::of(&d)), Some(false));
        }
        // Counting a kind of number the other does not: the keys cannot say.
        let mut late = a.clone();
        late.overall.rectification.closed_late = Some(1);
        assert_eq!(key.same(&NumbersKey::of(&late)), None);
        // Written and read back, by this rule only.
        let text = key.to_string();
        assert!(text.starts_with("n1-000-"), "{text}");
        assert_eq!(text.parse::<NumbersKey>(), Ok(key.clone()));
        for bad in [
            "",
            "n1-000",
            "n2-000-x",
            &text.replace("n1-", "n0-"),
            &text[..70],
        ] {
            assert!(bad.parse::<NumbersKey>().is_err(), "{bad}");
        }
    }

    #[test]
    fn numbers_an_older_snapshot_lacks_make_no_new_version() {
        let old = report();
        assert_eq!(
            old.overall.rectification.closed_late, None,
            "written before it"
        );
        let mut new = old.clone();
        let late = |r: &mut PeriodReport, n: u64| {
            let all = std::iter::once(&mut r.overall)
                .chain(r.departments.make_mut().iter_mut().map(|d| &mut d.metrics));
            for m in all {
                m.rectification.closed_late = Some(n);
                m.rectification.on_time_rate = Some(0.5);
            }
        };
        late(&mut new, 2);
        assert!(same_numbers(&old, &new));
        let mut newer = new.clone();
        assert!(same_numbers(&new, &newer));
        late(&mut newer, 3);
        assert!(
            !same_numbers(&new, &newer),
            "both count it: a change is a change"
        );
    }

    fn body(id: &str, version: u32) -> SnapshotBody {
        let mut report = report();
        report.period.id = id.to_owned();
        SnapshotBody {
            version,
            as_of: NaiveDate::from_ymd_opt(2025, 3, 31).unwrap(),
            built_at: "2025-03-31T00:00:00Z".into(),
            huifang_version: "0.1.0".into(),
            inputs: Vec::new(),
            previous: None,
            report,
        }
    }

    /// Every file below `dir`, relative to it, hidden ones included.
    fn listing(dir: &Path) -> Vec<String> {
        let mut files: Vec<String> = walkdir::WalkDir::new(dir)
            .min_depth(1)
            .into_iter()
            .filter_map(Result::ok)
            .map(|e| e.path().strip_prefix(dir).unwrap().display().to_string())
            .collect();
        files.sort();
        files
    }

    /// A version this build writes is not held: it is read back from where it is staged,
    /// then from its place once linked, as the file holds it; its checksum is the one the
    /// next version follows.
    #[test]
    fn a_new_version_is_read_from_its_file() {
        let (dir, store) = store_of(&[body("2025-Q1", 1)]);
        let mut history = store.load(dir.path()).unwrap();
        let mut new = body("2025-Q1", 2);
        new.report.overall.visits.total = 7;
        let staged = store.new_versions();
        let added = staged.stage(&new, dir.path()).unwrap();
        let checksum = added.checksum.clone();
        history.add(added);
        assert_eq!(history.latest("2025-Q1").unwrap().version, 2);
        assert_eq!(history.latest_checksum("2025-Q1"), Some(&checksum));
        let mut expected = new.clone();
        expected.report.mask_text();
        assert_eq!(history.latest_body("2025-Q1").unwrap().unwrap(), expected);
        let mut staged = staged;
        let placed = staged.link().unwrap();
        let [
            Placed {
                id, version, path, ..
            },
        ] = &placed[..]
        else {
            panic!("one version placed: {}", placed.len());
        };
        history.placed(id, *version, path);
        staged.keep();
        assert_eq!(history.body("2025-Q1", 2).unwrap(), expected);
        let listed: Vec<String> = listing(&store.dir);
        assert_eq!(
            listed,
            ["2025-Q1", "2025-Q1/v0001.json", "2025-Q1/v0002.json"],
            "nothing staged is left"
        );
        // The file read is the one in place: replaced there, it is named.
        std::fs::write(path, sealed(&body("2025-Q1", 2)).1).unwrap();
        let problem = history.body("2025-Q1", 2).unwrap_err();
        assert_eq!(problem.path, "snapshots/2025-Q1/v0002.json");
        assert!(problem.message.contains("changed while this build ran"));
    }

    /// Staged versions stay only when kept: dropped after staging or after linking, the store
    /// is as it was, folders made for them included; kept, they are the store's files.
    #[test]
    fn new_versions_stay_only_when_kept() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path().join("snapshots"));
        std::fs::create_dir_all(store.dir.join("2025-02")).unwrap();
        std::fs::write(store.dir.join("2025-02/v0001.json"), "{}").unwrap();
        let before = listing(dir.path());
        let bodies = [body("2025-02", 2), body("2025-03", 1)];

        drop(stage_all(&store, &bodies));
        assert_eq!(listing(dir.path()), before, "dropped after staging");

        let mut staged = stage_all(&store, &bodies);
        let written = staged.link().unwrap();
        assert_eq!(written.len(), 2);
        drop(staged);
        assert_eq!(listing(dir.path()), before, "dropped after linking");

        let mut staged = stage_all(&store, &bodies);
        let written = staged.link().unwrap();
        staged.keep();
        assert_eq!(
            listing(dir.path()),
            [
                "snapshots",
                "snapshots/2025-02",
                "snapshots/2025-02/v0001.json",
                "snapshots/2025-02/v0002.json",
                "snapshots/2025-03",
                "snapshots/2025-03/v0001.json",
            ]
        );
        // What was recorded for each file is its content's hash, and the content verifies.
        for Placed { path, sha256, .. } in written {
            let text = std::fs::read_to_string(&path).unwrap();
            assert_eq!(sha256, format!("{:x}", Sha256::digest(text.as_bytes())));
            let snapshot: Snapshot = serde_json::from_str(&text).unwrap();
            assert!(verify(&text, &snapshot.checksum));
        }

        // A store made by staging goes too when nothing is kept.
        let fresh = Store::new(dir.path().join("elsewhere"));
        drop(stage_all(&fresh, &bodies));
        assert!(!fresh.dir.exists());
    }

    /// `bodies` staged in `store`.
    fn stage_all(store: &Store, bodies: &[SnapshotBody]) -> NewVersions {
        let staged = store.new_versions();
        for body in bodies {
            staged.stage(body, &store.dir).unwrap();
        }
        staged
    }

    /// A store holding `bodies`, kept as a build keeps them.
    fn store_of(bodies: &[SnapshotBody]) -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path().join("snapshots"));
        let mut staged = stage_all(&store, bodies);
        staged.link().unwrap();
        staged.keep();
        (dir, store)
    }

    /// `value` written and sealed as a version's file is.
    fn sealed_value(mut value: serde_json::Value) -> Vec<u8> {
        value["checksum"] = placeholder().into();
        let mut bytes = serde_json::to_vec_pretty(&value).unwrap();
        bytes.push(b'\n');
        let (checksum, bytes) = sealed_bytes(bytes);
        assert!(verify(std::str::from_utf8(&bytes).unwrap(), &checksum));
        bytes
    }

    /// The version numbers `history` lists for `id`.
    fn listed(history: &History, id: &str) -> Vec<u32> {
        history.versions(id).iter().map(|v| v.version).collect()
    }

    /// What changed into a version holds for the version before it that it was worked out
    /// from, and for no other: a history rewritten under it is compared again.
    #[test]
    fn changes_are_known_only_from_the_version_they_were_worked_out_from() {
        let mut history = History::default();
        let known = |into: &str, before: &str, words: &str| Changes {
            into: into.to_owned(),
            before: before.to_owned(),
            words: words.to_owned(),
        };
        history.recall_changes([known("sha256:b", "sha256:a", "甲")]);
        assert_eq!(
            history.changes("sha256:b", "sha256:a").as_deref(),
            Some("甲")
        );
        assert_eq!(history.changes("sha256:b", "sha256:x"), None);
        assert_eq!(history.changes("sha256:c", "sha256:b"), None);
        history.note_changes("sha256:c", "sha256:b", "乙");
        assert_eq!(
            history.changes("sha256:c", "sha256:b").as_deref(),
            Some("乙")
        );
        // Only what changed into a version the history holds is kept for the record.
        history
            .checksums
            .insert("2026-12".to_owned(), [(2, "sha256:c".to_owned())].into());
        let recorded = known("sha256:c", "sha256:b", "乙");
        assert_eq!(history.known_changes(), [recorded]);
    }

    /// No version is held whole: each is read when asked for, as it was written, and only
    /// while its file still holds what loading checked.
    #[test]
    fn earlier_versions_are_read_when_asked_for() {
        let mut bodies: Vec<SnapshotBody> = (1..=3).map(|n| body("2025-Q1", n)).collect();
        for (n, b) in bodies.iter_mut().enumerate() {
            b.report.overall.visits.total = 100 + n as u64;
        }
        let (dir, store) = store_of(&bodies);
        let history = store.load(dir.path()).unwrap();
        assert!(history.problems.is_empty(), "{:?}", history.problems);
        assert_eq!(listed(&history, "2025-Q1"), [1, 2, 3]);
        let latest = history.latest_body("2025-Q1").unwrap().unwrap();
        assert_eq!(latest.report.overall.visits.total, 102);
        let mut expected = bodies[0].clone();
        expected.report.mask_text();
        assert_eq!(history.body("2025-Q1", 1).unwrap(), expected);
        let read: Vec<u64> = history
            .bodies("2025-Q1")
            .map(|b| b.unwrap().report.overall.visits.total)
            .collect();
        assert_eq!(read, [100, 101, 102]);
        assert!(history.body("2025-Q1", 4).is_err());

        // v1 replaced after loading by a file that passes its own check: not what was checked.
        let v1 = store.dir.join("2025-Q1/v0001.json");
        let mut other = bodies[0].clone();
        other.built_at = "2025-04-01T00:00:00Z".into();
        std::fs::write(&v1, sealed(&other).1).unwrap();
        let problem = history.body("2025-Q1", 1).unwrap_err();
        assert_eq!(problem.path, "snapshots/2025-Q1/v0001.json");
        assert!(
            problem.message.contains("changed while this build ran"),
            "{problem}"
        );
        std::fs::remove_file(&v1).unwrap();
        let problem = history.body("2025-Q1", 1).unwrap_err();
        assert!(problem.message.starts_with("cannot read"), "{problem}");
    }

    /// An earlier version is checked whole on loading, though its numbers are not read: an
    /// edit anywhere in it is named. A latest version that passes its check but holds no
    /// report is named too, and the one before it is the latest.
    #[test]
    fn every_version_is_checked_on_loading() {
        let bodies: Vec<SnapshotBody> = (1..=3).map(|n| body("2025-Q1", n)).collect();
        let (dir, store) = store_of(&bodies);
        let v1 = store.dir.join("2025-Q1/v0001.json");
        let text = std::fs::read_to_string(&v1).unwrap();
        // Deep in the sites' numbers, which only a whole read would parse.
        let at = text.rfind("\"total\": ").unwrap();
        let edited = format!("{}\"total\": 9{}", &text[..at], &text[at + 9..]);
        std::fs::write(&v1, edited).unwrap();
        let mut broken: serde_json::Value = serde_json::from_slice(&sealed(&bodies[2]).1).unwrap();
        broken["report"].as_object_mut().unwrap().remove("overall");
        std::fs::write(store.dir.join("2025-Q1/v0003.json"), sealed_value(broken)).unwrap();

        let history = store.load(dir.path()).unwrap();
        let named: Vec<(&str, &str)> = history
            .problems
            .iter()
            .map(|p| (p.path.as_str(), &p.message[..12]))
            .collect();
        assert_eq!(
            named,
            [
                ("snapshots/2025-Q1/v0001.json", "checksum mis"),
                ("snapshots/2025-Q1/v0003.json", "not a snapsh"),
            ]
        );
        assert_eq!(history.latest("2025-Q1").unwrap().version, 2);
        assert_eq!(history.highest["2025-Q1"], 3);
        assert_eq!(listed(&history, "2025-Q1"), [2]);

        // Known by its number and checksum, v3 is listed without being read whole: it is
        // the latest, and reading it says what is wrong with it.
        let checksum = std::fs::read_to_string(store.dir.join("2025-Q1/v0003.json")).unwrap();
        let checksum: serde_json::Value = serde_json::from_str(&checksum).unwrap();
        let known = BTreeMap::from([(
            "2025-Q1".to_owned(),
            (3, checksum["checksum"].as_str().unwrap().to_owned()),
        )]);
        let history = store
            .load_known(dir.path(), &known, &Listings::new())
            .unwrap();
        assert_eq!(history.problems.len(), 1, "{:?}", history.problems);
        assert_eq!(history.latest("2025-Q1").unwrap().version, 3);
        let problem = history.latest_body("2025-Q1").unwrap().unwrap_err();
        assert!(problem.message.starts_with("not a snapshot"), "{problem}");
    }

    /// An earlier version an earlier build checked (its file looking as it did then) is listed
    /// as that check found it, without being read; a latest version is still read whole, and
    /// a check of another number is not taken for the file.
    #[test]
    fn a_version_checked_before_is_listed_without_being_read() {
        let bodies: Vec<SnapshotBody> = (1..=3).map(|n| body("2025-Q1", n)).collect();
        let (dir, store) = store_of(&bodies);
        let first = store.load(dir.path()).unwrap();
        let sums = &first.checksums["2025-Q1"];
        let listings: Listings = (first.versions("2025-Q1").iter())
            .map(|info| {
                (
                    info.shown().to_owned(),
                    Listing::of(info, &sums[&info.version]),
                )
            })
            .collect();
        assert_eq!(listings.len(), 3);
        for n in [1, 3] {
            std::fs::write(store.dir.join(format!("2025-Q1/v000{n}.json")), "not json").unwrap();
        }
        let history = store
            .load_known(dir.path(), &BTreeMap::new(), &listings)
            .unwrap();
        let problems: Vec<&str> = history.problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(problems, ["snapshots/2025-Q1/v0003.json"]);
        assert_eq!(listed(&history, "2025-Q1"), [1, 2]);
        let v1 = &history.versions("2025-Q1")[0];
        assert_eq!(
            Listing::of(v1, &history.checksums["2025-Q1"][&1]),
            listings[v1.shown()]
        );
        // Read, v1 is named too.
        let read = store.load(dir.path()).unwrap();
        assert_eq!(read.problems.len(), 2, "{:?}", read.problems);
        // A check of v2 under v1's name is not v1's.
        let mut swapped = listings.clone();
        let v2 = swapped["snapshots/2025-Q1/v0002.json"].clone();
        swapped.insert("snapshots/2025-Q1/v0001.json".to_owned(), v2);
        let history = store
            .load_known(dir.path(), &BTreeMap::new(), &swapped)
            .unwrap();
        assert_eq!(history.problems.len(), 2, "{:?}", history.problems);
    }

    /// A latest version is never kept, whether it was parsed whole on loading (unknown to
    /// the build) or not (known): read again when asked for, one replaced since loading is
    /// named either way.
    #[test]
    fn a_latest_version_is_read_again_when_asked_for() {
        let bodies: Vec<SnapshotBody> = (1..=2).map(|n| body("2025-Q1", n)).collect();
        let (dir, store) = store_of(&bodies);
        let v2 = store.dir.join("2025-Q1/v0002.json");
        let (checksum, _) = sealed(&bodies[1]);
        let known = BTreeMap::from([("2025-Q1".to_owned(), (2, checksum))]);
        let eager = store.load(dir.path()).unwrap();
        let lazy = store
            .load_known(dir.path(), &known, &Listings::new())
            .unwrap();
        // v2 replaced after loading by another sealed version 2.
        let mut other = bodies[1].clone();
        other.built_at = "2025-04-01T00:00:00Z".into();
        std::fs::write(&v2, sealed(&other).1).unwrap();
        for history in [eager, lazy] {
            let problem = history.latest_body("2025-Q1").unwrap().unwrap_err();
            assert!(
                problem.message.contains("changed while this build ran"),
                "{problem}"
            );
        }
    }

    /// A killed build's staged files are swept up; versions and other files stay.
    #[test]
    fn sweeping_removes_only_staged_files() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path().to_owned());
        let staged = stage_all(&store, &[body("2025-03", 1)]);
        std::fs::write(dir.path().join("2025-03/v0001.json"), "{}").unwrap();
        std::fs::write(dir.path().join("2025-03/.notes"), "mine").unwrap();
        std::mem::forget(staged); // as a killed build leaves it
        assert_eq!(listing(dir.path()).len(), 4, "{:?}", listing(dir.path()));
        store.sweep_staged();
        assert_eq!(
            listing(dir.path()),
            ["2025-03", "2025-03/.notes", "2025-03/v0001.json"]
        );
    }

    #[test]
    fn a_version_written_as_it_is_made_has_the_bytes_of_one_sealed_whole() {
        let mut body = body("2025-Q1", 2);
        // Hundreds of sites, so the file passes the held tail many times over, and a comment
        // holding a placeholder of its own, which must stay as it is.
        let site = body.report.sites.list()[0].clone();
        body.report.sites = vec![site; 300].into();
        let placeholder = placeholder();
        let comments = &mut body.report.overall.complaints.recent_comments;
        comments.push(crate::metrics::values::Comment {
            date: body.as_of,
            category: "其他".into(),
            text: format!("pasted: {placeholder}"),
        });
        let (checksum, whole) = sealed(&body);
        assert!(whole.len() > 100_000, "{}", whole.len());
        let mut streamed = Vec::new();
        let (streamed_checksum, sha256) = write_sealed(&body, &mut streamed).unwrap();
        assert_eq!(streamed_checksum, checksum);
        assert!(streamed == whole);
        assert_eq!(sha256, format!("{:x}", Sha256::digest(&whole)));
        let text = String::from_utf8(streamed).unwrap();
        assert!(text.contains(&format!("pasted: {placeholder}")));
        assert!(verify(&text, &checksum));
    }

    #[test]
    fn the_checksum_covers_the_stored_bytes() {
        let body = body(&report().period.id, 1);
        let (checksum, bytes) = sealed(&body);
        // Serialised once, with the checksum patched in, the bytes are those of a second
        // serialisation of the finished snapshot.
        let text = String::from_utf8(file_bytes(&body, &checksum)).unwrap();
        assert_eq!(bytes, text.as_bytes());
        assert!(verify(&text, &checksum));
        // A field a later huifang adds to the file does not break the check of old files,
        // because the check reads the bytes, not today's structs; an edit does.
        let edited = text.replacen("\"total\": 11", "\"total\": 12", 1);
        assert_ne!(edited, text);
        assert!(!verify(&edited, &checksum));
    }

    /// A snapshot written before checksums had their own module verifies, and fails once
    /// edited. Read as JSON values, so renamed fields in today's structs do not matter.
    #[test]
    fn a_snapshot_sealed_by_an_earlier_huifang_verifies() {
        let text = include_str!("../../tests/fixtures/snapshot_sealed_v0001.json");
        let file: serde_json::Value = serde_json::from_str(text).unwrap();
        let checksum = file["checksum"].as_str().unwrap();
        assert!(verify(text, checksum));
        assert!(!verify(
            &text.replacen("\"version\": 1", "\"version\": 2", 1),
            checksum
        ));
        assert!(!verify(text, &checksum.to_uppercase()));
        assert!(!verify(text, checksum.trim_start_matches("sha256:")));
    }
}
