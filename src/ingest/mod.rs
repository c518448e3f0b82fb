//! Reading visit logs as source systems export them (ingest): find the files, detect the
//! encoding, resolve headers, normalise values, and hand typed records on. Every row read is
//! either accepted or reported as rejected with its line, column and reason. Work orders
//! ([`orders`]) are read by the same rules into their own records.

pub mod chunks;
pub mod columns;
pub mod decode;
pub mod guard;
mod open;
pub mod orders;
mod pipeline;
pub mod quotes;
pub mod report;
mod rows;
pub mod sniff;
pub mod sources;
pub mod split;
pub mod text;
pub mod vocabulary;
pub mod workbook;

pub use open::SourceFile;
pub use pipeline::{FilePart, Sinks};
pub use report::{Diagnostic, FileFailure, FileReport, IngestReport, Reason};
pub use rows::Context;

use crate::config::{Project, Source};
use crate::model::{Sym, Symbols, VisitRecord};
use columns::Columns;
use pipeline::Job;
use rows::Visits;
use sources::SourceError;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every visit-log file to read. A file an `[[orders]]` entry names is a work-order export,
/// never a visit log, so orders may sit in the folder of the visit logs.
fn jobs(project: &Project) -> Result<Vec<Job>, SourceError> {
    let config = &project.config;
    // A bad order path is reported when the orders are read.
    let orders = orders::jobs(project).unwrap_or_default();
    let skip = orders.into_iter().map(|j| j.path).collect();
    let global = [(&config.columns, columns::GLOBAL_MAPPING)];
    jobs_of(
        project,
        &config.sources,
        columns::SOURCE_MAPPING,
        &global,
        skip,
    )
}

/// The files of `sources`, in configuration order and sorted within a source, each with its
/// mapping: the source's own `columns` (named `own` in messages), then the `global` ones. A
/// file listed by two sources is read once, and a file in `skip` not at all.
fn jobs_of<F: Columns>(
    project: &Project,
    sources: &[Source<F>],
    own: &'static str,
    global: &[(&BTreeMap<F, String>, &'static str)],
    skip: BTreeSet<PathBuf>,
) -> Result<Vec<Job<F>>, SourceError> {
    let mut seen = skip;
    let mut jobs = Vec::new();
    for source in sources {
        let mut mapping = columns::Mapping::new();
        for &(table, by) in std::iter::once(&(&source.columns, own)).chain(global) {
            for (&field, header) in table {
                mapping.entry(field).or_default().push((header.clone(), by));
            }
        }
        for path in sources::files_of(source, &project.root)? {
            if seen.insert(path.clone()) {
                jobs.push(Job {
                    display: display_path(&path, &project.root),
                    path,
                    encoding: source.encoding,
                    sheet: source.sheet.clone(),
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

/// Reads every configured source with every core (see [`pipeline`]). Each file, and each
/// piece of a large one, gets a fresh sink from `sinks.init`, fed that piece's accepted
/// records by `sinks.add`; pieces are merged back by `sinks.merge` in order. The report lists
/// files in order; the parts come in the same order, one per file that was read. A file that
/// fails is reported and contributes nothing, not even the rows read before it failed.
pub fn ingest_parallel<S, I, A, M>(
    project: &Project,
    sinks: &Sinks<I, A, M>,
) -> Result<(IngestReport, Vec<FilePart<S>>), SourceError>
where
    S: Send,
    I: Fn() -> S + Sync,
    A: Fn(&mut S, VisitRecord<'_>) + Sync,
    M: Fn(&mut S, S, &[Sym]) + Sync,
{
    let jobs = jobs(project)?;
    let vocabulary = vocabulary::Vocabulary::new(&project.config);
    let ctx = Context {
        config: &project.config,
        vocabulary: &vocabulary,
    };
    Ok(pipeline::run::<Visits, _, _, _, _>(&jobs, &ctx, sinks))
}

/// Reads every configured source and passes each accepted record, in file order, to `sink`,
/// with its symbols interned in `symbols`. Holds all records in memory: for small inputs,
/// tests and tools; `build` and `check` stream through [`ingest_parallel`].
pub fn ingest(
    project: &Project,
    symbols: &mut Symbols,
    sink: &mut dyn FnMut(VisitRecord<'static>),
) -> Result<IngestReport, SourceError> {
    let sinks = Sinks::new(
        Vec::new,
        |records: &mut Vec<VisitRecord<'static>>, r| records.push(r.into_owned()),
        |into, from, map| into.extend(from.into_iter().map(|r| r.remap(map))),
    );
    let (report, parts) = ingest_parallel(project, &sinks)?;
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
        .map(|c| match c {
            // The root of an absolute path is the empty name before the first `/`.
            std::path::Component::RootDir => String::new(),
            c => c.as_os_str().to_string_lossy().into_owned(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::display_path;
    use std::path::Path;

    #[test]
    fn paths_are_shown_relative_with_slashes() {
        let root = Path::new("/home/me/project");
        assert_eq!(
            display_path(Path::new("/home/me/project/data/a.csv"), root),
            "data/a.csv"
        );
        // Outside the project: the absolute path, with one leading slash.
        assert_eq!(
            display_path(Path::new("/srv/exports/[问卷星数据]1_0.xls"), root),
            "/srv/exports/[问卷星数据]1_0.xls"
        );
    }
}
