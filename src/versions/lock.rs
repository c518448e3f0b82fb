//! One build at a time per project: a second build waits for the first, then fails with a
//! clear message if it has waited too long. The OS lock is released when the process ends,
//! even if it crashes, so a stale lock file never blocks anyone.

use std::fs::{File, TryLockError};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub const LOCK_FILE: &str = ".huifang.lock";

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("another huifang build holds {path}; waited {waited}s. Try again when it has finished")]
    Busy { path: PathBuf, waited: u64 },
}

/// Held for the duration of a build.
#[derive(Debug)]
pub struct ProjectLock {
    _file: File,
}

impl ProjectLock {
    pub fn acquire(
        root: &Path,
        wait: Duration,
        on_wait: impl FnOnce(),
    ) -> Result<ProjectLock, LockError> {
        let path = root.join(LOCK_FILE);
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|source| LockError::Io {
                path: path.clone(),
                source,
            })?;
        let started = Instant::now();
        let mut on_wait = Some(on_wait);
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(ProjectLock { _file: file }),
                Err(TryLockError::WouldBlock) if started.elapsed() < wait => {
                    if let Some(f) = on_wait.take() {
                        f();
                    }
                    std::thread::sleep(Duration::from_millis(100));
                }
                Err(TryLockError::WouldBlock) => {
                    return Err(LockError::Busy {
                        path,
                        waited: wait.as_secs(),
                    });
                }
                Err(TryLockError::Error(source)) => return Err(LockError::Io { path, source }),
            }
        }
    }
}
