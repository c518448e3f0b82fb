//! Names the commit the binary was built from, for `huifang --version`: `0.1.0 (1a2b3c4)`, or
//! `(1a2b3c4-dirty)` when tracked files differ from it, or the bare version outside a git
//! checkout (a crates.io package, a source tarball) or without git. Never fails the build.
//!
//! Only `--version` shows it: pages, snapshots and archives name the package version alone,
//! so the same data gives the same bytes whichever commit built huifang.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let commit = commit(&root);
    let shown = match &commit {
        Some(commit) => format!("{version} ({commit})"),
        None => version,
    };
    println!("cargo:rustc-env=HUIFANG_VERSION={shown}");

    // Run again when what the answer depends on changes, and only then: a new commit or
    // branch (HEAD and the refs), or an edit to the files the binary is built from. Not the
    // whole checkout (`target/` changes on every build), nor the index: staging changes no
    // file's difference from HEAD. An edit to tests or docs alone shows at the next commit.
    println!("cargo:rerun-if-changed=build.rs");
    for path in ["src", "themes", "Cargo.toml", "Cargo.lock"] {
        println!("cargo:rerun-if-changed={path}");
    }
    if commit.is_some() {
        for file in git_files(&root) {
            println!("cargo:rerun-if-changed={}", file.display());
        }
    }
}

/// The short hash of HEAD, `-dirty` when tracked files differ from it; None when `root` is
/// not in a git checkout or git cannot be run.
fn commit(root: &Path) -> Option<String> {
    // huifang's own checkout, not one it is unpacked or vendored inside.
    let top = git(root, &["rev-parse", "--show-toplevel"])?;
    if Path::new(&top).canonicalize().ok()? != root.canonicalize().ok()? {
        return None;
    }
    let hash = git(root, &["rev-parse", "--short", "HEAD"])?;
    // Untracked files are left out, as `git describe --dirty` does: a stray notes file is not
    // a modified build.
    // --no-optional-locks: status would otherwise refresh the index, a change of git's files
    // during the build.
    let status = git(
        root,
        &[
            "--no-optional-locks",
            "status",
            "--porcelain",
            "--untracked-files=no",
        ],
    );
    let dirty = match status {
        Some(changes) if changes.is_empty() => "",
        // Changes, or a status that could not be read: not known to be clean.
        _ => "-dirty",
    };
    Some(format!("{hash}{dirty}"))
}

/// The files git changes when HEAD moves: HEAD of this checkout (a worktree has its own), the
/// branch's ref and the packed refs (shared by every worktree).
fn git_files(root: &Path) -> Vec<PathBuf> {
    let dir = |args: &[&str]| git(root, args).map(|d| root.join(d));
    let mut files = Vec::new();
    if let Some(git_dir) = dir(&["rev-parse", "--git-dir"]) {
        files.push(git_dir.join("HEAD"));
    }
    if let Some(common) = dir(&["rev-parse", "--git-common-dir"]) {
        files.push(common.join("packed-refs"));
        if let Some(branch) = git(root, &["symbolic-ref", "-q", "HEAD"]) {
            files.push(common.join(branch));
        }
    }
    files.retain(|f| f.exists());
    files
}

/// What `git args` prints, trimmed; None if git is missing or fails.
fn git(root: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    Some(String::from_utf8(output.stdout).ok()?.trim().to_owned())
}
