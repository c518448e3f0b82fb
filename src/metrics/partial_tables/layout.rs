//! Where each table is in a folder of partials, and in which format. The layouts read are the
//! ones the tools write: huifang and DuckDB one file per table (`meta.csv`, or `COPY ... TO
//! 'meta.parquet' (FORMAT parquet)`), Spark a folder per table (`df.write.parquet("meta")`,
//! or `"meta.parquet"`) of `part-*.parquet` files beside `_SUCCESS` and `.crc` files.

use super::table::TableError;
use std::path::{Path, PathBuf};

/// One table as found.
pub(super) enum Found {
    Csv(PathBuf),
    /// Its files, in name order: one, or a folder's parts.
    Parquet(Vec<PathBuf>),
}

/// The table `file` (`meta.csv`, ...) in `dir`, as CSV or as Parquet; `Err` says why not
/// (missing, given twice, an empty folder), naming the files as `shown` (the folder as the
/// config names it) does.
pub(super) fn find(dir: &Path, shown: &str, file: &str) -> Result<Found, TableError> {
    let stem = file.trim_end_matches(".csv");
    let candidates = [file.to_owned(), format!("{stem}.parquet"), stem.to_owned()];
    let present: Vec<&String> = (candidates.iter())
        .filter(|name| dir.join(name).exists())
        .collect();
    let shown = shown.trim_end_matches('/');
    let fail = |message: String| TableError::new(&format!("{shown}/{file}"), None, message);
    match present.as_slice() {
        [] => Err(fail(
            "missing: a folder of partial tables holds meta, partials, complaints and \
             comments, each as NAME.csv, NAME.parquet, or a folder NAME/ of .parquet files \
             (`huifang partials --out DIR` writes them; see docs/partials.md)"
                .to_owned(),
        )),
        [one] if *one == file && dir.join(one).is_file() => Ok(Found::Csv(dir.join(one))),
        [one] if *one == file => Err(fail("is a folder, not a CSV file".to_owned())),
        [one] => parquet_files(&dir.join(one))
            .map(Found::Parquet)
            .map_err(|message| TableError::new(&format!("{shown}/{one}"), None, message)),
        [a, b, ..] => Err(fail(format!(
            "the folder holds both {a} and {b}: keep one of them, so it is clear which is read"
        ))),
    }
}

/// A Parquet table: the file itself, or every `.parquet` file in the folder in name order;
/// names starting with `_` or `.` are the writers' markers (`_SUCCESS`, `.part-0.crc`).
fn parquet_files(path: &Path) -> Result<Vec<PathBuf>, String> {
    if path.is_file() {
        return Ok(vec![path.to_owned()]);
    }
    let entries = std::fs::read_dir(path).map_err(|e| format!("cannot list the folder: {e}"))?;
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot list the folder: {e}"))?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let marker = name.starts_with('_') || name.starts_with('.');
        if !marker && name.ends_with(".parquet") && entry.path().is_file() {
            files.push(entry.path());
        }
    }
    files.sort();
    if files.is_empty() {
        return Err(
            "the folder holds no .parquet file (a table written by Spark holds \
             part-*.parquet files)"
                .to_owned(),
        );
    }
    Ok(files)
}

/// Every file of the tables in `dir` that exists, with its name inside `dir`: what a build's
/// key hashes, so that a table written again is read again. A table not found adds nothing
/// (the reader names it).
pub fn files(dir: &Path) -> Vec<(PathBuf, String)> {
    let found = super::TABLES
        .iter()
        .filter_map(|file| find(dir, "", file).ok());
    let paths = found.flat_map(|found| match found {
        Found::Csv(path) => vec![path],
        Found::Parquet(paths) => paths,
    });
    let named = paths.filter_map(|path| {
        let name = path.strip_prefix(dir).ok()?.to_string_lossy().into_owned();
        Some((path, name))
    });
    named.collect()
}
