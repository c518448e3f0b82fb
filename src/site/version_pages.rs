//! The pages of earlier versions, kept from the site a build replaces while their key holds.

use crate::output::Staging;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The pages of versions drawn from their snapshots alone (see `pages::versions`): each shows
/// its version's numbers and nothing else of the site, so it is a function of the pages' base,
/// its path and the version's checksum. One the site being replaced made under the same key is
/// linked from it, its snapshot not read, even where its report's folder is made anew: a
/// report in progress gains a version a night, and its earlier ones are not made again.
pub struct VersionPages<'a> {
    base: &'a str,
    /// The previous site's version pages, by path, with their keys.
    before: HashMap<&'a str, &'a str>,
    staging: &'a Staging,
    /// This site's, kept or made.
    made: Mutex<Vec<(String, String)>>,
    kept: AtomicUsize,
}

impl<'a> VersionPages<'a> {
    /// `before`: the previous site's version pages and their keys (none to make every one).
    pub fn new(base: &'a str, before: &'a [(String, String)], staging: &'a Staging) -> Self {
        VersionPages {
            base,
            before: (before.iter())
                .map(|(path, key)| (path.as_str(), key.as_str()))
                .collect(),
            staging,
            made: Mutex::default(),
            kept: AtomicUsize::new(0),
        }
    }

    /// The key of the page at `path` of the version with `checksum`; an `earlier` one says so
    /// and leads to the latest.
    pub fn key(&self, path: &str, checksum: &str, earlier: bool) -> String {
        let mut key = Sha256::new();
        key.update(self.base);
        key.update(format!("\nversion page {path} {checksum} {earlier}\n"));
        format!("{:x}", key.finalize())
    }

    /// Whether the previous site's page at `path` was made with `key`.
    pub fn was_made(&self, path: &str, key: &str) -> bool {
        self.before.get(path) == Some(&key)
    }

    /// Links the page at `path` from the previous site if that one was made with `key`:
    /// whether it was.
    pub fn keep(&self, path: &str, key: &str) -> bool {
        let kept = self.was_made(path, key) && self.staging.keep_file(path);
        if kept {
            self.kept.fetch_add(1, Ordering::Relaxed);
            self.made(path.to_owned(), key.to_owned());
        }
        kept
    }

    /// Records the page at `path`, made with `key`.
    pub fn made(&self, path: String, key: String) {
        let mut made = self.made.lock().unwrap_or_else(|e| e.into_inner());
        made.push((path, key));
    }

    /// Records the version pages of a report's `folder` kept whole from the previous site.
    pub fn kept_folder(&self, folder: &str) {
        let inside = format!("{folder}/");
        for (path, key) in &self.before {
            if path.starts_with(&inside) {
                self.made((*path).to_owned(), (*key).to_owned());
            }
        }
    }

    /// How many pages were linked from the previous site by [`keep`](Self::keep).
    pub fn kept(&self) -> usize {
        self.kept.load(Ordering::Relaxed)
    }

    /// This site's version pages and their keys, by path.
    pub fn into_keys(self) -> Vec<(String, String)> {
        let mut made = self.made.into_inner().unwrap_or_else(|e| e.into_inner());
        made.sort();
        made.dedup();
        made
    }
}
