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
use crate::model::{Symbols, VisitRecord};
use sources::SourceError;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Reads every configured source, in configuration order and sorted within a source, and
/// passes each accepted record to `sink`. A file listed by two sources is read once.
/// A file that cannot be read at all is recorded in the report's failures; the others go on.
pub fn ingest(
    project: &Project,
    symbols: &mut Symbols,
    sink: &mut dyn FnMut(VisitRecord),
) -> Result<IngestReport, SourceError> {
    let config = &project.config;
    let vocabulary = vocabulary::Vocabulary::new(config);
    let ctx = Context {
        config,
        vocabulary: &vocabulary,
    };
    let mut report = IngestReport::default();
    let mut seen = BTreeSet::new();
    for source in &config.sources {
        let mut mapping = config.columns.clone();
        mapping.extend(source.columns.clone());
        for path in sources::files_of(source, &project.root)? {
            if !seen.insert(path.clone()) {
                continue;
            }
            let file = SourceFile {
                path: &path,
                display: display_path(&path, &project.root),
                encoding: source.encoding,
                mapping: mapping.clone(),
            };
            match read_file(&file, &ctx, symbols, sink) {
                Ok(file_report) => report.files.push(file_report),
                Err(error) => report.failures.push(FileFailure {
                    path: file.display,
                    error,
                }),
            }
        }
    }
    Ok(report)
}

/// The path relative to the project, with `/` separators, so messages and reports read the
/// same on every machine and never hold the builder's home directory.
fn display_path(path: &Path, root: &Path) -> String {
    let relative: PathBuf = path.strip_prefix(root).unwrap_or(path).to_owned();
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}
