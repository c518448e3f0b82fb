//! What a build depends on, hashed: the input files (SHA-256, recorded with every version),
//! and one key over everything that can change the output (inputs, config, content, theme,
//! snapshots, as-of, the huifang binary itself). A rebuild whose key matches the one stored
//! in the site has nothing to do. A second, quick key judges the inputs by size and
//! modification time, so that an unchanged rebuild need not read them at all.

use super::store::InputFile;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
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
    root: PathBuf,
    /// What every page of a report shows besides its own numbers and text: the binary, the
    /// config but its as-of date, the theme, templates and content but the reports'
    /// commentary (see the site's reuse of report folders).
    pub pages_base: String,
}

/// Hashes the project: `extra` holds the settings of this run (as-of, flags) as text. Files
/// are named relative to `root`, so the key does not depend on how the config was named.
pub fn project(
    root: &Path,
    config_file: &Path,
    folders: &[PathBuf],
    snapshots: &Path,
    extra: &str,
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
    Ok(ProjectHash {
        base,
        snapshots: file_hashes(&[snapshots.to_owned()])?,
        root: root.to_owned(),
        pages_base: format!("{:x}", pages.finalize()),
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
    let recent =
        |t: std::time::SystemTime| t > now || now.duration_since(t).is_ok_and(|age| age < SETTLED);
    let mut stats = Vec::with_capacity(files.len());
    for (path, name) in files {
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
        stats.push(InputStat {
            name: name.clone(),
            size: meta.len(),
            times,
        });
    }
    Ok(Some(stats))
}

impl ProjectHash {
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
