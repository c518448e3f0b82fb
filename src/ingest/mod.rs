//! Reading visit logs as source systems export them (ingest): find the files, detect the
//! encoding, resolve headers, normalise values, and hand typed records on. Every row read is
//! either accepted or reported as rejected with its line, column and reason.

pub mod columns;
pub mod date;
pub mod decode;
mod file;
pub mod report;
pub mod sources;
pub mod text;
pub mod vocabulary;

pub use file::{Context, SourceFile, read_file};
pub use report::{Diagnostic, FileFailure, FileReport, IngestReport};

use crate::config::Project;
use crate::model::{Field, Symbols, VisitRecord};
use rayon::prelude::*;
use sources::SourceError;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// One file of a source, resolved.
struct Job {
    path: PathBuf,
    display: String,
    encoding: crate::config::EncodingChoice,
    mapping: BTreeMap<Field, String>,
}

/// Every file to read, in configuration order and sorted within a source; a file listed by
/// two sources is read once.
fn jobs(project: &Project) -> Result<Vec<Job>, SourceError> {
    let config = &project.config;
    let mut seen = BTreeSet::new();
    let mut jobs = Vec::new();
    for source in &config.sources {
        let mut mapping = config.columns.clone();
        mapping.extend(source.columns.clone());
        for path in sources::files_of(source, &project.root)? {
            if seen.insert(path.clone()) {
                jobs.push(Job {
                    display: display_path(&path, &project.root),
                    path,
                    encoding: source.encoding,
                    mapping: mapping.clone(),
                });
            }
        }
    }
    Ok(jobs)
}

/// Every input file the project's sources name, with the name reports use for it.
pub fn input_files(project: &Project) -> Result<Vec<(PathBuf, String)>, SourceError> {
    Ok(jobs(project)?
        .into_iter()
        .map(|j| (j.path, j.display))
        .collect())
}

/// What one file contributed: its own symbol table and its own sink, for the caller to merge
/// (see [`Symbols::absorb`]). Files are read in parallel, so nothing is shared while reading.
pub struct FilePart<S> {
    pub symbols: Symbols,
    pub sink: S,
}

/// Reads every configured source, files in parallel. Each file gets a fresh sink from `init`
/// and `add` feeds it that file's accepted records. The report lists files in order; the
/// parts come in the same order, one per file that was read. A file that fails is reported
/// and contributes nothing, not even the rows read before it failed.
pub fn ingest_parallel<S: Send>(
    project: &Project,
    init: impl Fn() -> S + Sync,
    add: impl Fn(&mut S, VisitRecord) + Sync,
) -> Result<(IngestReport, Vec<FilePart<S>>), SourceError> {
    let jobs = jobs(project)?;
    let vocabulary = vocabulary::Vocabulary::new(&project.config);
    let ctx = Context {
        config: &project.config,
        vocabulary: &vocabulary,
    };
    let outcomes: Vec<Result<(FileReport, FilePart<S>), FileFailure>> = jobs
        .into_par_iter()
        .map(|job| {
            let file = SourceFile {
                path: &job.path,
                display: job.display.clone(),
                encoding: job.encoding,
                mapping: job.mapping,
            };
            let mut symbols = Symbols::default();
            let mut sink = init();
            match read_file(&file, &ctx, &mut symbols, &mut |r| add(&mut sink, r)) {
                Ok(report) => Ok((report, FilePart { symbols, sink })),
                Err(error) => Err(FileFailure {
                    path: job.display,
                    error,
                }),
            }
        })
        .collect();
    let mut report = IngestReport::default();
    let mut parts = Vec::new();
    for outcome in outcomes {
        match outcome {
            Ok((file, part)) => {
                report.files.push(file);
                parts.push(part);
            }
            Err(failure) => report.failures.push(failure),
        }
    }
    Ok((report, parts))
}

/// Reads every configured source and passes each accepted record, in file order, to `sink`,
/// with its symbols interned in `symbols`. Holds a file's records until the file is read:
/// for small inputs, tests and tools; `build` and `check` stream through [`ingest_parallel`].
pub fn ingest(
    project: &Project,
    symbols: &mut Symbols,
    sink: &mut dyn FnMut(VisitRecord),
) -> Result<IngestReport, SourceError> {
    let (report, parts) = ingest_parallel(project, Vec::new, |records, r| records.push(r))?;
    for part in parts {
        let map = symbols.absorb(&part.symbols);
        for record in part.sink {
            sink(record.remap(&map));
        }
    }
    Ok(report)
}

/// The path relative to the project, with `/` separators, so messages and reports read the
/// same on every machine and never hold the builder's home directory.
pub fn display_path(path: &Path, root: &Path) -> String {
    let relative: PathBuf = path.strip_prefix(root).unwrap_or(path).to_owned();
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}
