//! The build's memory, as the system sees it.

/// Hands memory freed in bulk (the partials, once counted) back to the system. glibc keeps
/// freed small blocks for reuse, so without this the build's resident size stays at its
/// high-water mark through rendering, and what the pages need comes on top of it.
pub fn return_freed() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases memory no allocation holds.
    unsafe {
        libc::malloc_trim(0);
    }
}
