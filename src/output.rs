//! Writing the site all at once: pages go to a staging folder beside the target, which is
//! swapped in only when complete, so a failed build leaves the previous site untouched.

use std::io;
use std::path::{Path, PathBuf};

/// Present in every folder huifang builds, so it never replaces a folder it did not make.
pub const SITE_MARKER: &str = ".huifang-site";

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error(
        "refusing to replace {0}: it is not empty and holds no {SITE_MARKER} marker, so huifang did not build it; remove it or choose another --out"
    )]
    NotASite(PathBuf),
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_owned(),
        source,
    }
}

pub struct Staging {
    dir: tempfile::TempDir,
    target: PathBuf,
}

impl Staging {
    pub fn new(target: &Path) -> Result<Staging, OutputError> {
        if target.exists() && !is_replaceable(target) {
            return Err(OutputError::NotASite(target.to_owned()));
        }
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent).map_err(io_err(&parent))?;
        let dir = tempfile::Builder::new()
            .prefix(".huifang-staging-")
            .tempdir_in(&parent)
            .map_err(io_err(&parent))?;
        std::fs::write(dir.path().join(SITE_MARKER), "built by huifang\n")
            .map_err(io_err(dir.path()))?;
        Ok(Staging {
            dir,
            target: target.to_owned(),
        })
    }

    /// Records the build keys in the marker, so an unchanged rebuild can be skipped.
    pub fn set_keys(&self, keys: &StoredKeys) -> Result<(), OutputError> {
        self.write(SITE_MARKER, keys.marker().as_bytes())
    }

    /// Writes `bytes` to `relative` inside the staging folder, creating folders as needed.
    pub fn write(&self, relative: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let path = self.dir.path().join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io_err(parent))?;
        }
        std::fs::write(&path, bytes).map_err(io_err(&path))
    }

    /// Swaps the staged site in: the old site is renamed aside, the new one renamed into place,
    /// the old one deleted. Between the two renames (a moment) the target does not exist; it
    /// never holds a half-written site, and if the second rename fails the old site is put back.
    pub fn commit(self) -> Result<(), OutputError> {
        let target = self.target;
        let staged = self.dir.keep();
        let mut old = None;
        if target.exists() {
            let aside = staged.with_file_name(format!(
                ".huifang-old-{}",
                staged
                    .file_name()
                    .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
            ));
            std::fs::rename(&target, &aside).map_err(io_err(&target))?;
            old = Some(aside);
        }
        if let Err(source) = std::fs::rename(&staged, &target) {
            if let Some(aside) = &old {
                let _ = std::fs::rename(aside, &target);
            }
            let _ = std::fs::remove_dir_all(&staged);
            return Err(OutputError::Io {
                path: target,
                source,
            });
        }
        if let Some(aside) = old {
            std::fs::remove_dir_all(&aside).map_err(io_err(&aside))?;
        }
        Ok(())
    }
}

/// The keys of the build that made a site (see [`crate::versions::fingerprint`]).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct StoredKeys {
    /// Over the inputs' content.
    pub key: Option<String>,
    /// Over the inputs' sizes and modification times.
    pub quick: Option<String>,
}

impl StoredKeys {
    fn marker(&self) -> String {
        let mut marker = "built by huifang\n".to_owned();
        if let Some(key) = &self.key {
            marker.push_str(&format!("key: {key}\n"));
        }
        if let Some(quick) = &self.quick {
            marker.push_str(&format!("quick: {quick}\n"));
        }
        marker
    }
}

/// Rewrites the keys of a site huifang built, in place and all at once; nothing else
/// changes. For a build that read its inputs only to find them as they were: the next one
/// can tell that from their sizes and times.
pub fn update_keys(target: &Path, keys: &StoredKeys) -> Result<(), OutputError> {
    use std::io::Write as _;
    let mut file = tempfile::NamedTempFile::new_in(target).map_err(io_err(target))?;
    file.write_all(keys.marker().as_bytes())
        .map_err(io_err(file.path()))?;
    let marker = target.join(SITE_MARKER);
    file.persist(&marker).map_err(|e| OutputError::Io {
        path: marker,
        source: e.error,
    })?;
    Ok(())
}

/// The build keys recorded in a site folder, if huifang built it.
pub fn stored_keys(target: &Path) -> StoredKeys {
    let marker = std::fs::read_to_string(target.join(SITE_MARKER)).unwrap_or_default();
    let find = |prefix: &str| {
        marker
            .lines()
            .find_map(|l| l.strip_prefix(prefix))
            .map(str::to_owned)
    };
    StoredKeys {
        key: find("key: "),
        quick: find("quick: "),
    }
}

fn is_replaceable(target: &Path) -> bool {
    if target.join(SITE_MARKER).is_file() {
        return true;
    }
    target.is_dir() && std::fs::read_dir(target).is_ok_and(|mut entries| entries.next().is_none())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swaps_in_and_replaces_its_own_site_only() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let s = Staging::new(&out).unwrap();
        s.write("index.html", b"one").unwrap();
        s.commit().unwrap();
        assert_eq!(std::fs::read(out.join("index.html")).unwrap(), b"one");

        let s = Staging::new(&out).unwrap();
        s.write("index.html", b"two").unwrap();
        drop(s); // a failed build: never committed
        assert_eq!(std::fs::read(out.join("index.html")).unwrap(), b"one");

        let s = Staging::new(&out).unwrap();
        s.write("reports/x.html", b"three").unwrap();
        s.commit().unwrap();
        assert!(!out.join("index.html").exists());
        assert!(out.join("reports/x.html").exists());
        let leftovers = std::fs::read_dir(tmp.path()).unwrap().count();
        assert_eq!(leftovers, 1, "staging and old folders are cleaned up");

        let foreign = tmp.path().join("docs");
        std::fs::create_dir(&foreign).unwrap();
        std::fs::write(foreign.join("notes.txt"), "mine").unwrap();
        assert!(matches!(
            Staging::new(&foreign),
            Err(OutputError::NotASite(_))
        ));
    }
}
