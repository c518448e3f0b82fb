//! Writing the site all at once: pages go to a staging folder beside the target, which is
//! swapped in only when complete, so a failed build leaves the previous site untouched. On
//! Linux the swap is one atomic exchange of the two folders, so at every instant the target
//! holds a whole site, old or new; elsewhere the old site is renamed aside first, and a build
//! killed between the two renames is repaired by the next one ([`recover`]).
//!
//! The site a swap replaces is kept as the next build's staging folder (the spare) when the
//! build kept most of its files: those are hard links to the live site's, so the next build
//! finds most of its files already in place instead of linking each one again and deleting
//! the old site file by file.

use std::collections::HashSet;
use std::io::{self, BufRead as _, Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

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
    /// The folder the site is staged in: the spare beside the target.
    dir: PathBuf,
    target: PathBuf,
    /// The site this one replaces, whose files are reused where the new bytes are the same.
    previous: Option<PathBuf>,
    /// When the spare of an earlier build is staged over: every path this build stages, so
    /// that whatever else the spare holds is removed before the swap. `None` when staging
    /// started from an empty folder.
    staged: Option<Mutex<HashSet<PathBuf>>>,
    written: AtomicUsize,
    kept: AtomicUsize,
    /// Swapped in (or handed on): nothing to clean up when dropped.
    done: bool,
}

impl Drop for Staging {
    /// A build that fails leaves the target as it was. A folder it made is removed; a spare
    /// it was staging over stays, as the next build takes a spare whatever it holds.
    fn drop(&mut self) {
        if !self.done && self.staged.is_none() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// How many files a staged site wrote anew and how many it kept from the site it replaces
/// (the marker not counted).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FileCounts {
    pub written: usize,
    pub kept: usize,
}

impl Staging {
    pub fn new(target: &Path) -> Result<Staging, OutputError> {
        if target.exists() && !is_replaceable(target) {
            return Err(OutputError::NotASite(target.to_owned()));
        }
        let parent = parent_of(target);
        std::fs::create_dir_all(&parent).map_err(io_err(&parent))?;
        let dir = spare_of(target);
        let reused = match std::fs::symlink_metadata(&dir) {
            Ok(m) if m.is_dir() => match tidy_spare(&dir) {
                Ok(()) => true,
                // A spare that cannot be walked (a folder made unreadable…) is not kept.
                Err(_) => {
                    remove_tree(&dir).map_err(io_err(&dir))?;
                    false
                }
            },
            // A file or a link in its place is not ours to follow.
            Ok(_) => {
                std::fs::remove_file(&dir).map_err(io_err(&dir))?;
                false
            }
            Err(_) => false,
        };
        if !reused {
            std::fs::create_dir(&dir).map_err(io_err(&dir))?;
        }
        let staging = Staging {
            dir,
            previous: target
                .join(SITE_MARKER)
                .is_file()
                .then(|| target.to_owned()),
            target: target.to_owned(),
            staged: reused.then(Mutex::default),
            written: AtomicUsize::new(0),
            kept: AtomicUsize::new(0),
            done: false,
        };
        staging.put(SITE_MARKER, b"built by huifang\n")?;
        Ok(staging)
    }

    /// What was written and kept so far.
    pub fn counts(&self) -> FileCounts {
        FileCounts {
            written: self.written.load(Ordering::Relaxed),
            kept: self.kept.load(Ordering::Relaxed),
        }
    }

    /// Records the build keys in the marker, so an unchanged rebuild can be skipped.
    pub fn set_keys(&self, keys: &StoredKeys) -> Result<(), OutputError> {
        self.put(SITE_MARKER, keys.marker().as_bytes()).map(drop)
    }

    /// Writes `bytes` to `relative` inside the staging folder, creating folders as needed.
    /// Where the site it replaces holds the same bytes at the same path, that file is
    /// hard-linked instead, so it keeps its inode and time and a sync sends only what changed:
    /// whether it was.
    pub fn write(&self, relative: &str, bytes: &[u8]) -> Result<bool, OutputError> {
        self.counted(self.put(relative, bytes)?)
    }

    /// [`write`](Self::write) for a file made as it is written (a data file of many
    /// megabytes): `fill` writes it, and only the bytes after the first that differs from the
    /// site it replaces are held or written.
    pub fn write_with(
        &self,
        relative: &str,
        fill: &mut dyn FnMut(&mut dyn io::Write) -> io::Result<()>,
    ) -> Result<bool, OutputError> {
        self.counted(self.put_with(relative, None, fill)?)
    }

    /// A file written (`false`) or kept (`true`), counted.
    fn counted(&self, kept: bool) -> Result<bool, OutputError> {
        let count = if kept { &self.kept } else { &self.written };
        count.fetch_add(1, Ordering::Relaxed);
        Ok(kept)
    }

    /// `write` without counting: the marker is not a page.
    fn put(&self, relative: &str, bytes: &[u8]) -> Result<bool, OutputError> {
        let size = Some(bytes.len() as u64);
        self.put_with(relative, size, &mut |out| out.write_all(bytes))
    }

    /// `write_with` without counting; an old file of another `size`, where it is known, is
    /// not read.
    fn put_with(
        &self,
        relative: &str,
        size: Option<u64>,
        fill: &mut dyn FnMut(&mut dyn io::Write) -> io::Result<()>,
    ) -> Result<bool, OutputError> {
        let path = self.dir.join(relative);
        self.note(Path::new(relative));
        let old = (self.previous.as_ref())
            .map(|previous| previous.join(relative))
            .filter(|old| {
                std::fs::symlink_metadata(old)
                    .is_ok_and(|m| m.is_file() && size.is_none_or(|size| m.len() == size))
            });
        // An old file that cannot be read is no help: the new one is written whole.
        let reader = old.as_ref().and_then(|old| std::fs::File::open(old).ok());
        let old = old.filter(|_| reader.is_some());
        // The spare may already hold this very file of the live site: it stays while the
        // bytes are the same.
        let live = self.staged.is_some() && old.as_ref().is_some_and(|old| same_file(&path, old));
        if !live {
            if let Some(parent) = path.parent() {
                self.make_folder(parent).map_err(io_err(parent))?;
            }
            // A file already staged here may be a link to the live site: opening it for
            // writing would change the live site. It is unlinked, and a new file is made.
            self.clear(&path).map_err(io_err(&path))?;
        }
        let old = old.as_deref().zip(reader);
        let mut out = Comparing::new(&path, old, live);
        fill(&mut out).map_err(io_err(&path))?;
        out.finish().map_err(io_err(&path))
    }

    /// Records `relative` as part of the site being staged, when staging over a spare.
    fn note(&self, relative: &Path) {
        if let Some(staged) = &self.staged {
            let mut staged = staged.lock().unwrap_or_else(|e| e.into_inner());
            staged.insert(relative.to_owned());
        }
    }

    /// `create_dir_all`, where a spare may hold a file in the place of a folder. A file this
    /// build staged there is never removed: two paths of one site that clash are an error.
    fn make_folder(&self, folder: &Path) -> io::Result<()> {
        let made = std::fs::create_dir_all(folder);
        if made.is_ok() || self.staged.is_none() {
            return made;
        }
        let inside = folder
            .strip_prefix(&self.dir)
            .map_err(|_| io::Error::other("a folder outside the staging folder"))?;
        let mut at = self.dir.clone();
        for part in inside.components() {
            at.push(part);
            let in_the_way = std::fs::symlink_metadata(&at).is_ok_and(|m| !m.is_dir());
            if in_the_way && !self.is_staged(&at, false) {
                match std::fs::remove_file(&at) {
                    // Another thread cleared the same way.
                    Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                    _ => {}
                }
            }
        }
        std::fs::create_dir_all(folder)
    }

    /// Removes a file or a folder at `path`, if there is one; a folder only if it is the
    /// spare's, not one this build staged files in.
    fn clear(&self, path: &Path) -> io::Result<()> {
        match std::fs::remove_file(path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => {
                let is_dir = std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir());
                if is_dir && self.staged.is_some() && !self.is_staged(path, true) {
                    std::fs::remove_dir_all(path)
                } else {
                    Err(e)
                }
            }
            done => done,
        }
    }

    /// Whether this build staged the file at `path`, or (`below`) any file inside it.
    fn is_staged(&self, path: &Path, below: bool) -> bool {
        let (Some(staged), Ok(inside)) = (&self.staged, path.strip_prefix(&self.dir)) else {
            return false;
        };
        let staged = staged.lock().unwrap_or_else(|e| e.into_inner());
        if below {
            staged.iter().any(|p| p != inside && p.starts_with(inside))
        } else {
            staged.contains(inside)
        }
    }

    /// Hard-links every file below the previous site's folder `relative` into the same place
    /// here, for a part of the site whose inputs are known unchanged, so it need not be made
    /// again: the files linked, or `None` if there is no such folder or a link failed (files
    /// linked until then are replaced by whatever is written over them).
    pub fn keep_folder(&self, relative: &str) -> Option<Vec<String>> {
        let previous = self.previous.as_ref()?.join(relative);
        if !previous.is_dir() {
            return None;
        }
        let mut kept = Vec::new();
        for entry in walkdir::WalkDir::new(&previous).sort_by_file_name() {
            let entry = entry.ok()?;
            // Not through a symlink: the new site holds files of its own.
            if !entry.file_type().is_file() {
                continue;
            }
            let inside = entry.path().strip_prefix(&previous).ok()?;
            self.link_from(entry.path(), &Path::new(relative).join(inside))
                .ok()?;
            kept.push(format!("{relative}/{}", inside.to_string_lossy()));
        }
        self.kept.fetch_add(kept.len(), Ordering::Relaxed);
        Some(kept)
    }

    /// Hard-links the previous site's file `relative` into the same place here, for a file
    /// whose inputs are known unchanged: whether it was (there is no such file, or the link
    /// failed, and then it must be written).
    pub fn keep_file(&self, relative: &str) -> bool {
        let Some(previous) = self.previous.as_ref().map(|p| p.join(relative)) else {
            return false;
        };
        // Not through a symlink: the new site holds files of its own.
        let is_file = std::fs::symlink_metadata(&previous).is_ok_and(|m| m.file_type().is_file());
        let kept = is_file && self.link_from(&previous, Path::new(relative)).is_ok();
        if kept {
            self.kept.fetch_add(1, Ordering::Relaxed);
        }
        kept
    }

    /// Puts a hard link to `previous` at `relative` in the staging folder.
    fn link_from(&self, previous: &Path, relative: &Path) -> io::Result<()> {
        let path = self.dir.join(relative);
        // A spare holds most of them already: the same files, not copies.
        if !(self.staged.is_some() && same_file(&path, previous)) {
            let parent = path.parent().ok_or_else(|| io::Error::other("no folder"))?;
            self.make_folder(parent)?;
            self.clear(&path)?;
            std::fs::hard_link(previous, &path)?;
        }
        // Noted once in place: a spare's file left where a link failed is swept, not kept.
        self.note(relative);
        Ok(())
    }

    /// Swaps the staged site in. The old one is deleted, or kept as the next build's spare
    /// when this build kept most of its files. The target never holds a half-written site; if
    /// the swap fails the old site stays (or is put back).
    pub fn commit(mut self) -> Result<(), OutputError> {
        self.sweep().map_err(io_err(&self.dir))?;
        self.done = true;
        let counts = self.counts();
        // Kept files are links into the live site and cost no room in the spare; the files
        // written anew leave their old bytes there. A build that wrote most of its files
        // leaves nothing worth keeping (and the room of a whole site), so the spare goes.
        // Where files cannot be told apart by inode, a spare would never be found in place.
        let keep_spare = cfg!(unix) && counts.written * 4 <= counts.written + counts.kept;
        let (staged, target) = (self.dir.clone(), self.target.clone());
        stop_point("staged");
        if !target.exists() {
            return std::fs::rename(&staged, &target).map_err(|source| {
                let _ = std::fs::remove_dir_all(&staged);
                OutputError::Io {
                    path: target,
                    source,
                }
            });
        }
        match exchange(&staged, &target) {
            // `staged` now holds the old site: the spare.
            Ok(true) => {
                stop_point("swapped");
                if !keep_spare {
                    // The new site is in: an old one that cannot be deleted now stays as the
                    // spare, which the next build stages over.
                    let _ = remove_tree(&staged);
                }
                Ok(())
            }
            Ok(false) => swap_by_renames(&staged, &target, keep_spare),
            Err(source) => {
                let _ = std::fs::remove_dir_all(&staged);
                Err(OutputError::Io {
                    path: target,
                    source,
                })
            }
        }
    }

    /// Removes what a spare held that this build did not stage, and the folders left empty.
    fn sweep(&self) -> io::Result<()> {
        let Some(staged) = &self.staged else {
            return Ok(());
        };
        let staged = staged.lock().unwrap_or_else(|e| e.into_inner());
        let walk = walkdir::WalkDir::new(&self.dir)
            .min_depth(1)
            .contents_first(true);
        for entry in walk {
            let entry = entry.map_err(io::Error::other)?;
            let inside = entry
                .path()
                .strip_prefix(&self.dir)
                .map_err(io::Error::other)?;
            if entry.file_type().is_dir() {
                // Still holding something staged: not empty, and kept.
                let _ = std::fs::remove_dir(entry.path());
            } else if !staged.contains(inside) {
                std::fs::remove_file(entry.path())?;
            }
        }
        Ok(())
    }
}

/// A staged file as it is written, compared on the way with the replaced site's file at the
/// same place: nothing is written while the two agree, so an unchanged file ends up a link to
/// the old one (keeping its inode and time) without ever being held whole. At the first
/// difference the part that agreed is copied from the old file and the rest written after.
/// The old file is a plain one, never followed through a symlink: the new site holds files
/// of its own. A link fails across devices, and then the file is written.
struct Comparing<'p> {
    path: &'p Path,
    /// The old file and a reader at the end of the part that agrees, while all of it has.
    old: Option<(&'p Path, io::BufReader<std::fs::File>)>,
    agreed: u64,
    /// `path` is the old file itself (the spare holds the live site's link): it stays if
    /// nothing differs, and is unlinked before a new file takes its place.
    live: bool,
    file: Option<io::BufWriter<std::fs::File>>,
    /// The old file's bytes to compare a write with.
    held: Vec<u8>,
}

impl<'p> Comparing<'p> {
    fn new(path: &'p Path, old: Option<(&'p Path, std::fs::File)>, live: bool) -> Comparing<'p> {
        Comparing {
            path,
            live: live && old.is_some(),
            old: old.map(|(old, file)| (old, io::BufReader::new(file))),
            agreed: 0,
            file: None,
            held: Vec::new(),
        }
    }

    /// The new file, begun with the part that agreed with the old one.
    fn diverge(&mut self) -> io::Result<&mut io::BufWriter<std::fs::File>> {
        if self.file.is_none() {
            if self.live {
                std::fs::remove_file(self.path)?;
            }
            let file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(self.path)?;
            let mut file = io::BufWriter::new(file);
            if let Some((old, _)) = self.old.take() {
                let copied = io::copy(&mut std::fs::File::open(old)?.take(self.agreed), &mut file)?;
                if copied != self.agreed {
                    return Err(io::Error::other(format!(
                        "{} changed while it was read",
                        old.display()
                    )));
                }
            }
            self.file = Some(file);
        }
        Ok(self.file.as_mut().expect("made just above"))
    }

    /// Whether the old file was kept (the same bytes): linked, or in place already.
    fn finish(mut self) -> io::Result<bool> {
        if self.file.is_none()
            && let Some((old, reader)) = &mut self.old
            && reader.fill_buf()?.is_empty()
            && (self.live || std::fs::hard_link(old, self.path).is_ok())
        {
            return Ok(true);
        }
        let file = self.diverge()?;
        file.flush()?;
        Ok(false)
    }
}

impl io::Write for Comparing<'_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        // A whole page comes in one write: it is compared a piece at a time.
        let bytes = &bytes[..bytes.len().min(COMPARED)];
        if self.file.is_none()
            && let Some((_, reader)) = &mut self.old
        {
            self.held.clear();
            reader
                .take(bytes.len() as u64)
                .read_to_end(&mut self.held)?;
            if self.held == bytes {
                self.agreed += bytes.len() as u64;
                return Ok(bytes.len());
            }
            // What was read past the agreed part is read again from the start when copied.
        }
        self.diverge()?.write_all(bytes)?;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The most bytes [`Comparing`] compares at once.
const COMPARED: usize = 64 * 1024;

/// Whether `a` and `b` are one file (two links to the same inode), neither through a symlink.
#[cfg(unix)]
fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    match (std::fs::symlink_metadata(a), std::fs::symlink_metadata(b)) {
        (Ok(a), Ok(b)) => a.is_file() && b.is_file() && (a.dev(), a.ino()) == (b.dev(), b.ino()),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_a: &Path, _b: &Path) -> bool {
    false
}

/// The spare: the folder beside `target` a build stages in, and which holds the site the
/// last swap replaced until the next build stages over it.
fn spare_of(target: &Path) -> PathBuf {
    parent_of(target).join(format!("{}site", aside_prefix(target, SPARE)))
}

/// The folder holding `target` (`.` for a bare name).
fn parent_of(target: &Path) -> PathBuf {
    match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    }
}

/// Makes a spare fit to stage over, whatever a killed build or a hand left in it: only
/// folders and plain files stay, so nothing staged goes through a link to elsewhere.
fn tidy_spare(dir: &Path) -> io::Result<()> {
    for entry in walkdir::WalkDir::new(dir).min_depth(1) {
        let entry = entry.map_err(io::Error::other)?;
        let kind = entry.file_type();
        if !kind.is_dir() && !kind.is_file() {
            std::fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

/// Removes `dir` and everything below it, several folders at a time. Unlinking a site of
/// many thousand files waits on the disk, not the processor: on the 2-core test machine a
/// site of 157,000 hard-linked files took 44 s to remove one file after another and 17 s four
/// folders at a time.
fn remove_tree(dir: &Path) -> io::Result<()> {
    const AT_ONCE: usize = 8;
    let is_dir = |p: &Path| std::fs::symlink_metadata(p).is_ok_and(|m| m.is_dir());
    // The folders two levels down (`reports/2026-11`, `sites/cuihu` …), and the files above.
    let mut parts = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        match std::fs::read_dir(&path) {
            Ok(children) if is_dir(&path) => parts.extend(children.flatten().map(|e| e.path())),
            _ => parts.push(path),
        }
    }
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..AT_ONCE.min(parts.len()) {
            scope.spawn(|| {
                while let Some(path) = parts.get(next.fetch_add(1, Ordering::Relaxed)) {
                    // Whatever cannot go here is met again, and reported, below.
                    let _ = if is_dir(path) {
                        std::fs::remove_dir_all(path)
                    } else {
                        std::fs::remove_file(path)
                    };
                }
            });
        }
    });
    std::fs::remove_dir_all(dir)
}

/// Where a build keeps its folders beside the target `public`: `.huifang-spare-public-site`
/// while it writes and, between builds, for the site the last swap replaced;
/// `.huifang-old-public-…` for the old site during a swap by renames. Earlier builds staged
/// in `.huifang-staging-public-…`, which [`recover`] still removes.
const STAGING: &str = "staging";
const OLD: &str = "old";
const SPARE: &str = "spare";

fn aside_prefix(target: &Path, role: &str) -> String {
    let name = target
        .file_name()
        .map_or_else(|| "site".to_owned(), |n| n.to_string_lossy().into_owned());
    format!(".huifang-{role}-{name}-")
}

/// Exchanges the two folders in one step, where the system can (Linux 3.15+, on most file
/// systems): whether it did.
#[cfg(target_os = "linux")]
fn exchange(staged: &Path, target: &Path) -> io::Result<bool> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    // A test hook: the portable swap, as on a system without the exchange.
    if std::env::var_os("HUIFANG_SWAP_BY_RENAMES").is_some() {
        return Ok(false);
    }
    match renameat_with(CWD, staged, CWD, target, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(true),
        // Not supported by this kernel or file system: swap by renames.
        Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => Ok(false),
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_staged: &Path, _target: &Path) -> io::Result<bool> {
    Ok(false)
}

/// The old site renamed aside, the new one into place, the old one deleted. Between the
/// renames the target does not exist; a build killed there leaves the old site aside, and the
/// next build puts it back before anything else ([`recover`]).
fn swap_by_renames(staged: &Path, target: &Path, keep_spare: bool) -> Result<(), OutputError> {
    let suffix = staged
        .file_name()
        .map(|n| {
            n.to_string_lossy()
                .rsplit('-')
                .next()
                .unwrap_or_default()
                .to_owned()
        })
        .unwrap_or_default();
    let aside = staged.with_file_name(format!("{}{suffix}", aside_prefix(target, OLD)));
    std::fs::rename(target, &aside).map_err(io_err(target))?;
    stop_point("aside");
    if let Err(source) = std::fs::rename(staged, target) {
        let _ = std::fs::rename(&aside, target);
        let _ = std::fs::remove_dir_all(staged);
        return Err(OutputError::Io {
            path: target.to_owned(),
            source,
        });
    }
    stop_point("swapped");
    // The new site is in: an old one that cannot be deleted now is deleted by the next build
    // ([`recover`]).
    if !(keep_spare && std::fs::rename(&aside, staged).is_ok()) {
        let _ = remove_tree(&aside);
    }
    Ok(())
}

/// Repairs what a killed build left beside `target`, before a new build looks at it: an old
/// site left aside by a swap by renames goes back in place if the target is missing, and
/// every other staging or old folder of this target is deleted, whatever its size. Call it
/// under the project lock, where no other build of this target is writing. The folders
/// removed.
pub fn recover(target: &Path) -> Result<usize, OutputError> {
    let parent = parent_of(target);
    let Ok(entries) = std::fs::read_dir(&parent) else {
        return Ok(0);
    };
    let (staging, old) = (aside_prefix(target, STAGING), aside_prefix(target, OLD));
    let mut leftovers: Vec<(PathBuf, bool)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            // The random part has no `-`: `public`'s folders are not `public-en`'s.
            let ours = |prefix: &str| name.strip_prefix(prefix).is_some_and(|r| !r.contains('-'));
            let is_old = ours(&old);
            (is_old || ours(&staging)).then(|| (e.path(), is_old))
        })
        .collect();
    leftovers.sort();
    if !target.exists()
        && let Some(at) = leftovers
            .iter()
            .position(|(p, is_old)| *is_old && p.join(SITE_MARKER).is_file())
    {
        let (old_site, _) = leftovers.remove(at);
        std::fs::rename(&old_site, target).map_err(io_err(target))?;
    }
    for (path, _) in &leftovers {
        remove_tree(path).map_err(io_err(path))?;
    }
    Ok(leftovers.len())
}

/// A test hook: with `HUIFANG_STOP_AT` set to this step's name, the process stops here at
/// once, as a `kill -9` would, so tests can leave the output in the state of a build killed
/// at that step. Steps: `staged` (the new site written, not swapped in), `aside` (the old
/// site renamed aside, when the system cannot exchange folders), `swapped` (the new site in
/// place, the old one not yet deleted).
fn stop_point(step: &str) {
    if std::env::var_os("HUIFANG_STOP_AT").is_some_and(|s| s == step) {
        std::process::abort();
    }
}

/// The keys of the build that made a site (see [`crate::versions::fingerprint`]).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct StoredKeys {
    /// Over the inputs' content.
    pub key: Option<String>,
    /// Over the inputs' sizes and modification times.
    pub quick: Option<String>,
    /// The history problems the build found (as its warnings name them). The keys cover the
    /// snapshots, so a later build with the same keys has the same history: it reports these
    /// again without reading it.
    pub snapshot_problems: Vec<String>,
    /// Snapshots (as shown) found holding text this huifang masks: a build reads only some
    /// versions, so each names again those an earlier one found.
    pub unmasked_snapshots: Vec<String>,
    /// Each report's latest version when the site was built, with its checksum: a later build
    /// that finds it gone or changed knows the history was rewritten.
    pub heads: Vec<Head>,
    /// What made the heads' keys of numbers: the pages' base (the binary, config, theme…).
    /// Keys made by another are not trusted, as another huifang may mask text differently.
    pub numbers_basis: Option<String>,
    /// Each report's key of everything its pages show (see the site's reuse of report
    /// folders): a report whose key is unchanged keeps its folder of the previous site.
    pub pages: Vec<(String, String)>,
    /// Each page of a version drawn from its snapshot alone, by path, with the key of what it
    /// shows (see the site's reuse of version pages): kept while its key holds, even where
    /// its report's folder is made anew.
    pub version_pages: Vec<(String, String)>,
}

/// A report's latest version, as a site records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub report: String,
    pub version: u32,
    pub checksum: String,
    /// The key of its numbers (see [`crate::versions::store::NumbersKey`]), if known.
    pub numbers: Option<String>,
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
        if let Some(basis) = &self.numbers_basis {
            marker.push_str(&format!("numbers-basis: {basis}\n"));
        }
        for h in &self.heads {
            marker.push_str(&format!("head: {} {} {}", h.report, h.version, h.checksum));
            if let Some(numbers) = &h.numbers {
                marker.push_str(&format!(" {numbers}"));
            }
            marker.push('\n');
        }
        for (report, key) in &self.pages {
            marker.push_str(&format!("pages: {report} {key}\n"));
        }
        for (path, key) in &self.version_pages {
            marker.push_str(&format!("version-page: {path} {key}\n"));
        }
        for shown in &self.unmasked_snapshots {
            marker.push_str(&format!("unmasked-snapshot: {shown}\n"));
        }
        for problem in &self.snapshot_problems {
            marker.push_str(&format!(
                "snapshot-problem: {}\n",
                problem.replace('\n', " ")
            ));
        }
        marker
    }
}

/// Rewrites the keys of a site huifang built, in place and all at once; nothing else
/// changes. For a build that read its inputs only to find them as they were: the next one
/// can tell that from their sizes and times.
pub fn update_keys(target: &Path, keys: &StoredKeys) -> Result<(), OutputError> {
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
        numbers_basis: find("numbers-basis: "),
        snapshot_problems: marker
            .lines()
            .filter_map(|l| l.strip_prefix("snapshot-problem: "))
            .map(str::to_owned)
            .collect(),
        unmasked_snapshots: marker
            .lines()
            .filter_map(|l| l.strip_prefix("unmasked-snapshot: "))
            .map(str::to_owned)
            .collect(),
        heads: marker
            .lines()
            .filter_map(|l| {
                let mut parts = l.strip_prefix("head: ")?.split(' ');
                Some(Head {
                    report: parts.next()?.to_owned(),
                    version: parts.next()?.parse().ok()?,
                    checksum: parts.next()?.to_owned(),
                    numbers: parts.next().map(str::to_owned),
                })
            })
            .collect(),
        pages: keyed(&marker, "pages: "),
        version_pages: keyed(&marker, "version-page: "),
    }
}

/// The marker's lines `<prefix><name> <key>`, as (name, key).
fn keyed(marker: &str, prefix: &str) -> Vec<(String, String)> {
    (marker.lines())
        .filter_map(|l| {
            let (name, key) = l.strip_prefix(prefix)?.split_once(' ')?;
            Some((name.to_owned(), key.to_owned()))
        })
        .collect()
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

        // The portable swap gives the same result.
        let mut s = Staging::new(&out).unwrap();
        s.write("index.html", b"four").unwrap();
        s.done = true;
        let staged = s.dir.clone();
        swap_by_renames(&staged, &out, false).unwrap();
        assert_eq!(std::fs::read(out.join("index.html")).unwrap(), b"four");
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);

        let foreign = tmp.path().join("docs");
        std::fs::create_dir(&foreign).unwrap();
        std::fs::write(foreign.join("notes.txt"), "mine").unwrap();
        assert!(matches!(
            Staging::new(&foreign),
            Err(OutputError::NotASite(_))
        ));
    }

    /// A rebuild links the files whose bytes are unchanged (same inode) and writes the rest;
    /// writing a path twice never writes into the linked file, which is the live site's.
    #[test]
    fn unchanged_files_are_linked_and_never_written_through() {
        use std::os::unix::fs::MetadataExt as _;
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let ino = |rel: &str| std::fs::metadata(out.join(rel)).unwrap().ino();
        let s = Staging::new(&out).unwrap();
        assert!(!s.write("a.html", b"same").unwrap());
        assert!(!s.write("b/c.html", b"old").unwrap());
        assert!(!s.write("d.html", b"gone").unwrap());
        assert_eq!(
            s.counts(),
            FileCounts {
                written: 3,
                kept: 0
            }
        );
        s.commit().unwrap();
        let (a, c) = (ino("a.html"), ino("b/c.html"));

        let s = Staging::new(&out).unwrap();
        assert!(s.write("a.html", b"same").unwrap());
        assert!(!s.write("b/c.html", b"new").unwrap());
        assert!(!s.write("e.html", b"added").unwrap());
        // Same length, other bytes: compared, not trusted by size.
        assert!(s.write("a.html", b"same").unwrap());
        assert!(!s.write("a.html", b"sane").unwrap());
        assert_eq!(std::fs::read(out.join("a.html")).unwrap(), b"same");
        assert!(s.write("a.html", b"same").unwrap());
        s.commit().unwrap();
        assert_eq!(ino("a.html"), a);
        assert_ne!(ino("b/c.html"), c);
        assert_eq!(std::fs::read(out.join("b/c.html")).unwrap(), b"new");
        assert!(!out.join("d.html").exists());

        // A symlink in the old site is not carried over, even to a file with the bytes.
        std::fs::write(tmp.path().join("outside"), b"same").unwrap();
        std::fs::remove_file(out.join("a.html")).unwrap();
        std::os::unix::fs::symlink(tmp.path().join("outside"), out.join("a.html")).unwrap();
        let s = Staging::new(&out).unwrap();
        assert!(!s.write("a.html", b"same").unwrap());
        s.commit().unwrap();
        assert!(
            std::fs::symlink_metadata(out.join("a.html"))
                .unwrap()
                .is_file()
        );
    }

    /// A file written piece by piece is compared as it comes: the same bytes keep the old
    /// file (linked), and a difference anywhere (in its first piece, inside a later one, past
    /// the old end, or an end before the old one) gives exactly the new bytes. Over a spare
    /// holding the live site's own file, a file that changes is never written through it.
    #[test]
    fn files_written_in_pieces_are_compared_as_they_come() {
        use std::os::unix::fs::MetadataExt as _;
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let ino = |rel: &str| std::fs::metadata(out.join(rel)).unwrap().ino();
        let write = |s: &Staging, rel: &str, bytes: &[u8]| {
            s.write_with(rel, &mut |w| {
                bytes.chunks(999).try_for_each(|c| w.write_all(c))
            })
            .unwrap()
        };
        // Longer than a compared piece (64 KiB), so differences fall past the first.
        let old: Vec<u8> = (0..200_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let changed_at = |at: usize| {
            let mut bytes = old.clone();
            bytes[at] ^= 1;
            bytes
        };
        let cases: Vec<(&str, Vec<u8>)> = vec![
            ("same", old.clone()),
            ("first", changed_at(0)),
            ("middle", changed_at(150_000)),
            ("last", changed_at(old.len() - 1)),
            ("longer", [&old[..], b"tail"].concat()),
            ("shorter", old[..old.len() - 1].to_vec()),
            ("empty", Vec::new()),
        ];
        let extra: Vec<String> = (0..30).map(|i| format!("x/{i}.json")).collect();
        let s = Staging::new(&out).unwrap();
        for (name, _) in &cases {
            assert!(!write(&s, name, &old));
        }
        for name in &extra {
            assert!(!write(&s, name, &old));
        }
        assert!(!s.write("whole", &old).unwrap());
        s.commit().unwrap();
        let before: Vec<u64> = cases.iter().map(|(name, _)| ino(name)).collect();

        let s = Staging::new(&out).unwrap();
        for (name, bytes) in &cases {
            assert_eq!(write(&s, name, bytes), *name == "same", "{name}");
        }
        for name in &extra {
            assert!(write(&s, name, &old));
        }
        // A page comes in one write, compared a piece at a time: here it differs in its third.
        assert!(!s.write("whole", &changed_at(150_000)).unwrap());
        s.commit().unwrap();
        assert_eq!(
            std::fs::read(out.join("whole")).unwrap(),
            changed_at(150_000)
        );
        for ((name, bytes), before) in cases.iter().zip(before) {
            assert_eq!(std::fs::read(out.join(name)).unwrap(), *bytes, "{name}");
            assert_eq!(ino(name) == before, *name == "same", "{name}");
        }

        // The spare now holds the first site, whose kept files are the live site's own.
        let s = Staging::new(&out).unwrap();
        assert!(s.staged.is_some(), "staged over the spare");
        let (kept, remade) = (&extra[0], &extra[1]);
        let live = ino(kept);
        assert!(write(&s, kept, &old));
        assert!(!write(&s, remade, &changed_at(100_000)));
        assert_eq!(
            std::fs::read(out.join(remade)).unwrap(),
            old,
            "live site untouched"
        );
        let names = cases.iter().map(|(name, _)| *name);
        for name in names
            .chain(extra[2..].iter().map(String::as_str))
            .chain(["whole"])
        {
            let bytes = std::fs::read(out.join(name)).unwrap();
            write(&s, name, &bytes);
        }
        s.commit().unwrap();
        assert_eq!(ino(kept), live);
        assert_eq!(
            std::fs::read(out.join(remade)).unwrap(),
            changed_at(100_000)
        );
    }

    /// Every file below `dir` with its bytes; panics on anything but folders and files.
    fn files(dir: &Path) -> std::collections::BTreeMap<String, String> {
        let mut found = std::collections::BTreeMap::new();
        for entry in walkdir::WalkDir::new(dir).min_depth(1) {
            let entry = entry.unwrap();
            let kind = entry.file_type();
            assert!(
                kind.is_dir() || kind.is_file(),
                "{}",
                entry.path().display()
            );
            if kind.is_file() {
                let inside = entry.path().strip_prefix(dir).unwrap();
                let bytes = std::fs::read_to_string(entry.path()).unwrap();
                found.insert(inside.to_string_lossy().into_owned(), bytes);
            }
        }
        found
    }

    /// A build that kept most files leaves the old site as the next one's spare; staging over
    /// it gives exactly the site asked for, whatever the spare holds (here a hand made it
    /// worse: extra files and folders, a file where a folder goes, a folder where a file
    /// goes, links out of it), keeps the live site's files that are wanted as they are, and
    /// writes nothing outside it.
    #[test]
    fn a_spare_of_any_content_stages_the_site_asked_for() {
        use std::os::unix::fs::MetadataExt as _;
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let spare = tmp.path().join(".huifang-spare-public-site");
        let kept: Vec<String> = (0..9)
            .map(|i| format!("reports/a/sites/s{i}.html"))
            .collect();
        let s = Staging::new(&out).unwrap();
        s.write("index.html", b"home 1").unwrap();
        s.write("reports/b/index.html", b"b 1").unwrap();
        for page in &kept {
            s.write(page, page.as_bytes()).unwrap();
        }
        s.commit().unwrap();
        assert!(
            !spare.exists(),
            "a build that wrote everything keeps no spare"
        );

        // Report a kept (9 files), 2 pages written: the old site stays as the spare.
        let s = Staging::new(&out).unwrap();
        assert_eq!(s.keep_folder("reports/a").unwrap(), kept);
        s.write("index.html", b"home 2").unwrap();
        s.write("reports/b/index.html", b"b 2").unwrap();
        s.commit().unwrap();
        assert!(spare.is_dir());
        let ino = |p: &Path| std::fs::metadata(p).unwrap().ino();
        let live: Vec<u64> = kept.iter().map(|k| ino(&out.join(k))).collect();
        let spared: Vec<u64> = kept.iter().map(|k| ino(&spare.join(k))).collect();
        assert_eq!(spared, live, "the spare holds the live files themselves");
        assert_eq!(files(&spare)["index.html"], "home 1");

        // A hand makes the spare worse.
        let outside = tmp.path().join("outside");
        std::fs::create_dir(&outside).unwrap();
        std::fs::write(outside.join("mine.txt"), "mine").unwrap();
        std::fs::write(spare.join("extra.html"), "extra").unwrap();
        std::fs::create_dir_all(spare.join("reports/z/sites")).unwrap();
        std::fs::write(spare.join("reports/z/sites/q.html"), "q").unwrap();
        std::fs::remove_dir_all(spare.join("reports/b")).unwrap();
        std::fs::write(spare.join("reports/b"), "a file where a folder goes").unwrap();
        std::fs::remove_file(spare.join("index.html")).unwrap();
        std::fs::create_dir_all(spare.join("index.html/in")).unwrap();
        std::os::unix::fs::symlink(&outside, spare.join("reports/c")).unwrap();
        std::os::unix::fs::symlink(
            outside.join("mine.txt"),
            spare.join("reports/a/sites/s9.html"),
        )
        .unwrap();

        let s = Staging::new(&out).unwrap();
        assert_eq!(s.keep_folder("reports/a").unwrap(), kept);
        s.write("index.html", b"home 3").unwrap();
        s.write("reports/b/index.html", b"b 3").unwrap();
        s.write("reports/c/index.html", b"c 3").unwrap();
        assert_eq!(
            s.counts(),
            FileCounts {
                written: 3,
                kept: 9
            }
        );
        s.commit().unwrap();

        let mut want: std::collections::BTreeMap<String, String> =
            kept.iter().map(|k| (k.clone(), k.clone())).collect();
        want.insert("index.html".into(), "home 3".into());
        want.insert("reports/b/index.html".into(), "b 3".into());
        want.insert("reports/c/index.html".into(), "c 3".into());
        let mut got = files(&out);
        assert!(got.remove(SITE_MARKER).is_some());
        assert_eq!(got, want);
        let now: Vec<u64> = kept.iter().map(|k| ino(&out.join(k))).collect();
        assert_eq!(now, live, "kept files are the same files");
        assert_eq!(files(&outside), [("mine.txt".into(), "mine".into())].into());
        // The spare now holds site 2, its kept files still the live ones.
        assert_eq!(files(&spare)["index.html"], "home 2");

        // Other bytes where the spare holds the live file itself are never written into it.
        let s = Staging::new(&out).unwrap();
        assert_eq!(ino(&spare.join(&kept[0])), live[0]);
        s.write(&kept[0], b"changed").unwrap();
        assert_eq!(files(&out)[&kept[0]], kept[0]);
        for page in &kept[1..] {
            s.write(page, b"changed").unwrap();
        }
        s.write("index.html", b"home 4").unwrap();
        s.commit().unwrap();
        assert_eq!(files(&out)[&kept[0]], "changed");
        assert!(
            !spare.exists(),
            "a build that wrote most of its files keeps no spare"
        );
    }

    /// Two paths of one site that clash (a file where another page needs a folder) are an
    /// error over a spare as over an empty folder: neither page is silently dropped.
    #[test]
    fn a_page_where_a_folder_goes_is_an_error_over_a_spare_too() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let s = Staging::new(&out).unwrap();
        for i in 0..8 {
            s.write(&format!("p{i}.html"), b"page").unwrap();
        }
        s.commit().unwrap();
        let s = Staging::new(&out).unwrap();
        for i in 0..8 {
            s.write(&format!("p{i}.html"), b"page").unwrap();
        }
        s.commit().unwrap();
        assert!(tmp.path().join(".huifang-spare-public-site").is_dir());
        let s = Staging::new(&out).unwrap();
        s.write("a", b"a file").unwrap();
        assert!(s.write("a/b.html", b"a page below it").is_err());
        s.write("c/d.html", b"a page").unwrap();
        assert!(s.write("c", b"a file where the folder is").is_err());
    }

    /// The states a kill can leave, made by hand: the old site aside and no target (killed
    /// between the renames), a staging folder (killed while writing). `recover` puts the old
    /// site back and removes the rest, and leaves another target's folders alone.
    #[test]
    fn recover_puts_the_old_site_back_and_sweeps() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let folder = |name: &str, marker: bool| {
            let dir = tmp.path().join(name);
            std::fs::create_dir_all(dir.join("reports")).unwrap();
            std::fs::write(dir.join("index.html"), name).unwrap();
            if marker {
                std::fs::write(dir.join(SITE_MARKER), "built by huifang\n").unwrap();
            }
        };
        folder(".huifang-old-public-a1b2c3", true);
        folder(".huifang-staging-public-d4e5f6", true);
        folder(".huifang-staging-public-g7h8", false);
        folder(".huifang-staging-public-en-x9y8", true);
        assert_eq!(recover(&out).unwrap(), 2);
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            ".huifang-old-public-a1b2c3"
        );
        let mut left: Vec<String> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, [".huifang-staging-public-en-x9y8", "public"]);

        // With the target in place, an old folder is a leftover like any other.
        folder(".huifang-old-public-z0", true);
        assert_eq!(recover(&out).unwrap(), 1);
        assert!(out.join("reports").is_dir());
    }
}
