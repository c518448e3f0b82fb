//! What a build depends on, hashed: the input files (SHA-256, recorded with every version),
//! and one key over everything that can change the output (inputs, config, content, theme,
//! snapshots, as-of, the huifang binary itself). A rebuild whose key matches the one stored
//! in the site has nothing to do. A second, quick key judges the inputs by size and
//! modification time, so that an unchanged rebuild need not read them at all.

use super::checked::CheckedFile;
use super::store::{History, InputFile, Listing, Listings};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

fn sha256_file(path: &Path) -> std::io::Result<(u64, String)> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        size += n as u64;
        hasher.update(&buf[..n]);
    }
    Ok((size, format!("{:x}", hasher.finalize())))
}

/// Name (as shown in reports), size and SHA-256 of each input file, hashed in parallel.
pub fn inputs(files: &[(PathBuf, String)]) -> std::io::Result<Vec<InputFile>> {
    files
        .par_iter()
        .map(|(path, name)| {
            let (size, sha256) = sha256_file(path)?;
            Ok(InputFile {
                name: name.clone(),
                size,
                sha256,
            })
        })
        .collect()
}

/// Every regular file below `dir` (sorted), for folders whose content shapes the output.
fn files_below(dir: &Path) -> Vec<PathBuf> {
    if !dir.is_dir() {
        return Vec::new();
    }
    // Through symlinks, as the theme and the content are read: a template linked in from a
    // shared folder is part of the output like any other.
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .collect();
    files.sort();
    files
}

/// Everything but the inputs that a build depends on, hashed once for both keys: the huifang
/// binary, the config, the settings of this run, and every file below the project's folders
/// (content, templates, theme) and below the snapshots folder, by content.
#[derive(Clone)]
pub struct ProjectHash {
    base: Sha256,
    /// Every file below the snapshots folder and its SHA-256, sorted by path: versions a build
    /// writes are added to this list instead of the folder being read again.
    snapshots: Vec<(PathBuf, String)>,
    /// The snapshot files as found when the build started.
    found: std::sync::Arc<SnapshotFiles>,
    root: PathBuf,
    /// What every page of a report shows besides its own numbers and text: the binary, the
    /// config but its as-of date, the theme, templates and content but the reports'
    /// commentary (see the site's reuse of report folders).
    pub pages_base: String,
}

/// Hashes the project: `extra` holds the settings of this run (as-of, flags) as text. Files
/// are named relative to `root`, so the key does not depend on how the config was named.
/// `earlier`: the snapshot files an earlier build checked, and the pages' base it was built
/// with; they are taken as it found them only if that base is this build's (the same huifang,
/// config and theme), as any change of huifang may change how a version is checked.
pub fn project(
    root: &Path,
    config_file: &Path,
    folders: &[PathBuf],
    snapshots: &Path,
    extra: &str,
    earlier: Option<(&str, &[CheckedFile])>,
) -> std::io::Result<ProjectHash> {
    let binary = binary();
    let config = std::fs::read(config_file)?;
    let folders = file_hashes(folders)?;
    let mut base = Sha256::new();
    base.update(&binary);
    base.update(&config);
    base.update(extra);
    base.update(files_hash(root, &folders));
    // The pages' base leaves out what each report's key holds of its own (its commentary),
    // and the as-of date, which moves every night: a report's pages show the date of its
    // numbers, and those are in its key.
    let commentary = root.join("content").join("reports");
    let shared: Vec<(PathBuf, String)> = (folders.into_iter())
        .filter(|(path, _)| !path.starts_with(&commentary))
        .collect();
    let mut pages = Sha256::new();
    pages.update(&binary);
    pages.update(without_as_of(&config));
    pages.update(files_hash(root, &shared));
    let pages_base = format!("{:x}", pages.finalize());
    let earlier = match earlier {
        Some((basis, files)) if basis == pages_base => files,
        _ => &[],
    };
    let (snapshots, found) =
        snapshot_hashes(root, snapshots, earlier, std::time::SystemTime::now())?;
    Ok(ProjectHash {
        base,
        snapshots,
        found: std::sync::Arc::new(found),
        root: root.to_owned(),
        pages_base,
    })
}

/// The huifang binary: its version, and, as a rebuilt binary with the same version number can
/// still render differently, its size and modification time, which change with every build
/// of it and cost nothing to read.
fn binary() -> String {
    let modified = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.metadata().ok())
        .map(|meta| {
            let time = meta.modified().ok();
            let since = time.and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
            format!("{} {:?}", meta.len(), since)
        });
    format!(
        "{} {}",
        env!("CARGO_PKG_VERSION"),
        modified.unwrap_or_default()
    )
}

/// The config's bytes, or, where they read as TOML, its settings but `as_of` in a fixed
/// order.
fn without_as_of(config: &[u8]) -> Vec<u8> {
    let table = std::str::from_utf8(config)
        .ok()
        .and_then(|text| text.parse::<toml::Table>().ok());
    match table {
        Some(mut table) => {
            table.remove("as_of");
            toml::to_string(&table).map_or_else(|_| config.to_vec(), String::into_bytes)
        }
        None => config.to_vec(),
    }
}

/// Every file below `folders`, sorted, with its SHA-256.
fn file_hashes(folders: &[PathBuf]) -> std::io::Result<Vec<(PathBuf, String)>> {
    let mut files: Vec<PathBuf> = folders.iter().flat_map(|d| files_below(d)).collect();
    files.sort();
    files
        .into_par_iter()
        .map(|path| sha256_file(&path).map(|(_, hash)| (path, hash)))
        .collect()
}

/// One hash over files, sorted by path, by their paths relative to `root` and contents.
fn files_hash(root: &Path, files: &[(PathBuf, String)]) -> String {
    let mut hasher = Sha256::new();
    for (path, hash) in files {
        let shown = path.strip_prefix(root).unwrap_or(path);
        hasher.update(shown.to_string_lossy().as_bytes());
        hasher.update(hash);
    }
    format!("{:x}", hasher.finalize())
}

/// Inputs changed less than this long before a build are not judged by their times: a write
/// in the same tick of the file system's clock as the look could leave them as they were.
const SETTLED: std::time::Duration = std::time::Duration::from_secs(1);

/// What a look at an input's metadata says about it, without reading it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputStat {
    name: String,
    size: u64,
    /// Modification time; on Unix also the inode change time and the inode, which a copy that
    /// keeps times (`cp -p`, `rsync -a`) cannot set back.
    times: String,
}

/// Looks at every input once, before the build reads any. `None` when one changed too
/// recently to be judged by its times.
pub fn input_stats(files: &[(PathBuf, String)]) -> std::io::Result<Option<Vec<InputStat>>> {
    let now = std::time::SystemTime::now();
    let mut stats = Vec::with_capacity(files.len());
    for (path, name) in files {
        let Some((size, times)) = size_and_times(path, now)? else {
            return Ok(None);
        };
        stats.push(InputStat {
            name: name.clone(),
            size,
            times,
        });
    }
    Ok(Some(stats))
}

/// A file's size and times as text (see [`InputStat::times`]), or `None` when it changed
/// less than [`SETTLED`] before `now`.
fn size_and_times(
    path: &Path,
    now: std::time::SystemTime,
) -> std::io::Result<Option<(u64, String)>> {
    let recent =
        |t: std::time::SystemTime| t > now || now.duration_since(t).is_ok_and(|age| age < SETTLED);
    let meta = std::fs::metadata(path)?;
    let modified = meta.modified()?;
    let nanos = |t: std::time::SystemTime| {
        t.duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos()
    };
    #[cfg(unix)]
    let (changed, times) = {
        use std::os::unix::fs::MetadataExt as _;
        let changed = std::time::UNIX_EPOCH
            + std::time::Duration::new(
                u64::try_from(meta.ctime()).unwrap_or(0),
                u32::try_from(meta.ctime_nsec()).unwrap_or(0),
            );
        let times = format!(
            "{} {} {}:{}",
            nanos(modified),
            nanos(changed),
            meta.dev(),
            meta.ino()
        );
        (changed, times)
    };
    #[cfg(not(unix))]
    let (changed, times) = (modified, nanos(modified).to_string());
    if recent(modified) || recent(changed) {
        return Ok(None);
    }
    Ok(Some((meta.len(), times)))
}

/// A digest of a file's size and times, as the project records a version it checked (see
/// [`super::checked`]); `None` when it changed too recently to be judged by them. On Unix
/// only: elsewhere a file has no change time that nothing can set back, and every version is
/// read on every build.
pub fn look(path: &Path, now: std::time::SystemTime) -> std::io::Result<Option<String>> {
    if !cfg!(unix) {
        return Ok(None);
    }
    Ok(size_and_times(path, now)?
        .map(|(size, times)| format!("{:x}", Sha256::digest(format!("{size} {times}")))))
}

/// Every file below the snapshots folder and its SHA-256, sorted by path, taken from
/// `earlier` (an earlier build's check) where the file looks as it did then, and with it the
/// version's listing; and how the files were found.
fn snapshot_hashes(
    root: &Path,
    folder: &Path,
    earlier: &[CheckedFile],
    now: std::time::SystemTime,
) -> std::io::Result<(Vec<(PathBuf, String)>, SnapshotFiles)> {
    let earlier: HashMap<&str, &CheckedFile> =
        earlier.iter().map(|c| (c.file.as_str(), c)).collect();
    type Found = (PathBuf, String, String, Option<String>, Option<Listing>);
    let found: Vec<Found> = files_below(folder)
        .into_par_iter()
        .map(|path| {
            let shown = shown(root, &path);
            let look = look(&path, now)?;
            let checked = (earlier.get(shown.as_str()))
                .filter(|c| look.as_ref().is_some_and(|l| *l == c.look));
            let (sha256, listing) = match checked {
                Some(c) => (c.sha256.clone(), Some(c.listing.clone())),
                None => (sha256_file(&path)?.1, None),
            };
            Ok((path, shown, sha256, look, listing))
        })
        .collect::<std::io::Result<_>>()?;
    let mut hashes = Vec::with_capacity(found.len());
    let mut files = SnapshotFiles::default();
    for (path, shown, sha256, look, listing) in found {
        if let Some(listing) = listing {
            files.listings.insert(shown.clone(), listing);
        }
        if let Some(look) = look {
            files
                .looks
                .push((path.clone(), shown, look, sha256.clone()));
        }
        hashes.push((path, sha256));
    }
    Ok((hashes, files))
}

fn shown(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// The snapshot files as this build found them.
#[derive(Default)]
struct SnapshotFiles {
    /// The files settled enough to be judged by their look: path, as shown, look, SHA-256.
    looks: Vec<(PathBuf, String, String, String)>,
    /// The listings taken from an earlier build's check.
    listings: Listings,
}

impl ProjectHash {
    /// The versions' listings taken from an earlier build's check (see [`project`]).
    pub fn listings(&self) -> &Listings {
        &self.found.listings
    }

    /// The versions for the next build to take as they are: those `history` holds as valid
    /// whose files look now as they did when the build started. Versions this build wrote are
    /// not among them, as they were not there then: the next build checks them and records
    /// them. A file that cannot be looked at now is left out.
    pub fn checked(&self, history: &History) -> Vec<CheckedFile> {
        let listings: HashMap<&str, Listing> = (history.reports())
            .flat_map(|id| {
                let sums = history.checksums.get(id);
                history.versions(id).iter().filter_map(move |info| {
                    let checksum = sums?.get(&info.version)?;
                    Some((info.shown(), Listing::of(info, checksum)))
                })
            })
            .collect();
        let now = std::time::SystemTime::now();
        (self.found.looks.iter())
            .filter_map(|(path, shown, was, sha256)| {
                let listing = listings.get(shown.as_str())?;
                let same = look(path, now).ok()?.as_ref() == Some(was);
                same.then(|| CheckedFile {
                    file: shown.clone(),
                    look: was.clone(),
                    sha256: sha256.clone(),
                    listing: listing.clone(),
                })
            })
            .collect()
    }

    /// The key of a build: the project and the inputs by content.
    /// The same project with the snapshots folder hashed again (after new versions were
    /// written); everything else as it was when the build started.
    /// The files are the new versions' paths and the SHA-256 of what was written there; the
    /// project lock keeps anyone else from changing the folder meanwhile, so this is what
    /// hashing the folder again would give, without reading every version back.
    pub fn with_snapshots(&self, written: &[(PathBuf, String)]) -> ProjectHash {
        let mut snapshots = self.snapshots.clone();
        snapshots.extend_from_slice(written);
        snapshots.sort();
        snapshots.dedup_by(|a, b| a.0 == b.0);
        ProjectHash {
            snapshots,
            ..self.clone()
        }
    }

    fn hasher(&self) -> Sha256 {
        let mut hasher = self.base.clone();
        hasher.update(files_hash(&self.root, &self.snapshots));
        hasher
    }

    pub fn build_key(&self, inputs: &[InputFile]) -> String {
        let mut hasher = self.hasher();
        for input in inputs {
            hasher.update(format!(
                "{}\0{}\0{}\n",
                input.name, input.size, input.sha256
            ));
        }
        format!("{:x}", hasher.finalize())
    }

    /// A key that tells an unchanged rebuild without reading the inputs: the project, and each
    /// input by name, size and times (see [`input_stats`]), as `make` and git judge files.
    pub fn quick_key(&self, stats: &[InputStat]) -> String {
        let mut hasher = self.hasher();
        hasher.update("inputs by size and times\n");
        for stat in stats {
            hasher.update(format!("{}\0{}\0{}\n", stat.name, stat.size, stat.times));
        }
        format!("{:x}", hasher.finalize())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A snapshot file that looks as an earlier build checked it is taken as found then, its
    /// SHA-256 and listing; written again, to the same size, it is read. (Outside Unix no
    /// file is judged by its look.)
    #[cfg(unix)]
    #[test]
    fn a_snapshot_file_that_looks_as_checked_is_not_read_again() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        let snapshots = root.join("snapshots");
        let path = snapshots.join("2025-Q1/v0001.json");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, "one").unwrap();
        let sha = |text: &str| format!("{:x}", Sha256::digest(text));
        // As a build would see it a few seconds later, settled.
        let later = || std::time::SystemTime::now() + std::time::Duration::from_secs(5);
        let (hashes, fresh) = snapshot_hashes(root, &snapshots, &[], later()).unwrap();
        assert_eq!(hashes, [(path.clone(), sha("one"))]);
        assert!(fresh.listings.is_empty());
        let (_, shown, look, _) = fresh.looks[0].clone();
        assert_eq!(shown, "snapshots/2025-Q1/v0001.json");
        // Just written, it is not judged by its look.
        let (_, now) =
            snapshot_hashes(root, &snapshots, &[], std::time::SystemTime::now()).unwrap();
        assert!(now.looks.is_empty());
        let listing = Listing {
            version: 1,
            as_of: chrono::NaiveDate::from_ymd_opt(2025, 3, 31).unwrap(),
            built_at: "2025-04-01T00:00:00Z".to_owned(),
            inputs: Vec::new(),
            previous: None,
            checksum: "sha256:0".to_owned(),
        };
        let checked = CheckedFile {
            file: shown.clone(),
            look,
            sha256: "f".repeat(64),
            listing: listing.clone(),
        };
        let (hashes, again) =
            snapshot_hashes(root, &snapshots, std::slice::from_ref(&checked), later()).unwrap();
        assert_eq!(hashes, [(path.clone(), "f".repeat(64))]);
        assert_eq!(again.listings.get(&shown), Some(&listing));
        // Past the clock's tick, so that the write moves the file's change time.
        std::thread::sleep(std::time::Duration::from_millis(50));
        std::fs::write(&path, "two").unwrap();
        let (hashes, after) = snapshot_hashes(root, &snapshots, &[checked], later()).unwrap();
        assert_eq!(hashes, [(path, sha("two"))]);
        assert!(after.listings.is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn a_file_linked_into_a_folder_is_hashed_by_what_it_points_to() {
        let tmp = tempfile::tempdir().unwrap();
        let shared = tmp.path().join("shared");
        let templates = tmp.path().join("project/templates");
        std::fs::create_dir_all(&shared).unwrap();
        std::fs::create_dir_all(&templates).unwrap();
        std::fs::write(shared.join("base.html"), "one").unwrap();
        std::os::unix::fs::symlink(shared.join("base.html"), templates.join("base.html")).unwrap();
        std::os::unix::fs::symlink(&shared, templates.join("linked")).unwrap();
        let hash = || {
            files_hash(
                tmp.path(),
                &file_hashes(std::slice::from_ref(&templates)).unwrap(),
            )
        };
        let before = hash();
        assert_eq!(
            files_below(&templates).len(),
            2,
            "the file and the folder linked in"
        );
        std::fs::write(shared.join("base.html"), "two").unwrap();
        assert_ne!(
            hash(),
            before,
            "an edit to the shared file changes the hash"
        );
    }
}
