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
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .collect();
    files.sort();
    files
}

/// Everything but the inputs that a build depends on, hashed once for both keys: the huifang
/// binary, the config, the settings of this run and every file below the given folders, by
/// content.
#[derive(Clone)]
pub struct ProjectHash(Sha256);

/// Hashes the project: `extra` holds the settings of this run (as-of, flags) as text.
pub fn project(
    config_file: &Path,
    folders: &[PathBuf],
    extra: &str,
) -> std::io::Result<ProjectHash> {
    let mut hasher = Sha256::new();
    hasher.update(env!("CARGO_PKG_VERSION"));
    // A rebuilt binary with the same version number can still render differently; its size
    // and modification time change with every build of it, and cost nothing to read.
    if let Some(meta) = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.metadata().ok())
    {
        let modified = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
        hasher.update(format!("{} {:?}", meta.len(), modified));
    }
    hasher.update(std::fs::read(config_file)?);
    hasher.update(extra);
    let mut others: Vec<PathBuf> = folders.iter().flat_map(|d| files_below(d)).collect();
    others.sort();
    let hashed: Vec<std::io::Result<(u64, String)>> =
        others.par_iter().map(|p| sha256_file(p)).collect();
    for (path, hash) in others.iter().zip(hashed) {
        hasher.update(path.to_string_lossy().as_bytes());
        hasher.update(hash?.1);
    }
    Ok(ProjectHash(hasher))
}

/// Inputs changed less than this long before a build are not trusted by their size and
/// modification time: a write in the same clock tick as the build could leave both as they were.
const SETTLED: std::time::Duration = std::time::Duration::from_secs(2);

impl ProjectHash {
    /// The key of a build: the project and the inputs by content.
    pub fn build_key(&self, inputs: &[InputFile]) -> String {
        let mut hasher = self.0.clone();
        for input in inputs {
            hasher.update(format!(
                "{}\0{}\0{}\n",
                input.name, input.size, input.sha256
            ));
        }
        format!("{:x}", hasher.finalize())
    }

    /// A key that tells an unchanged rebuild without reading the inputs: the project, and each
    /// input by name, size and modification time, as `make` and git judge files. `None` when
    /// an input changed too recently to be judged that way.
    pub fn quick_key(&self, files: &[(PathBuf, String)]) -> std::io::Result<Option<String>> {
        let mut hasher = self.0.clone();
        hasher.update("inputs by size and modification time\n");
        let now = std::time::SystemTime::now();
        for (path, name) in files {
            let meta = std::fs::metadata(path)?;
            let modified = meta.modified()?;
            if now.duration_since(modified).is_ok_and(|age| age < SETTLED) || modified > now {
                return Ok(None);
            }
            let since_epoch = modified
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap_or_default();
            hasher.update(format!(
                "{name}\0{}\0{}\n",
                meta.len(),
                since_epoch.as_nanos()
            ));
        }
        Ok(Some(format!("{:x}", hasher.finalize())))
    }
}
