//! A whole build: lock the project, skip it if nothing changed, read the sources, compute
//! every report, record new versions, and write the site. The binary's `build` command
//! prints what this returns.

use crate::config::Project;
use crate::ingest::IngestReport;
use crate::metrics::{MetricsSet, accumulate_sources};
use crate::output::{OutputError, stored_key};
use crate::site::{SiteError, SiteInput, SiteSummary, write_site};
use crate::versions::store::{History, Problem, SnapshotBody, same_numbers};
use crate::versions::{Snapshot, Store, fingerprint, lock::ProjectLock};
use chrono::NaiveDate;
use std::path::PathBuf;
use std::time::{Duration, Instant};

pub struct BuildOptions {
    pub out: PathBuf,
    pub as_of: NaiveDate,
    pub strict: bool,
    /// Build even when the inputs are unchanged.
    pub force: bool,
    /// How long to wait for another build of the same project to finish.
    pub lock_wait: Duration,
}

#[derive(Debug)]
pub enum BuildError {
    /// Bad configuration, content, theme, or an output folder huifang did not make.
    Config(String),
    /// The data did not pass: unreadable files, or rejections under `strict`.
    Data {
        message: String,
        ingest: IngestReport,
    },
    Internal(String),
}

#[derive(Debug, Default)]
pub struct BuildSummary {
    pub ingest: IngestReport,
    pub site: SiteSummary,
    /// (report id, version) of every version this build added.
    pub new_versions: Vec<(String, u32)>,
    /// Snapshot files that failed their check (named; the rest were used).
    pub snapshot_problems: Vec<Problem>,
    /// Problems met reading survey exports (rows skipped, cells not understood).
    pub survey_warnings: Vec<String>,
    pub after_as_of: u64,
    pub read: Duration,
    pub metrics: Duration,
}

pub enum BuildOutcome {
    /// The inputs, settings and binary match the site's last build: nothing was written.
    UpToDate,
    Built(Box<BuildSummary>),
}

fn internal(context: &str) -> impl FnOnce(std::io::Error) -> BuildError + '_ {
    move |e| BuildError::Internal(format!("{context}: {e}"))
}

pub fn build(
    project: &Project,
    options: &BuildOptions,
    on_wait: impl FnOnce(),
) -> Result<BuildOutcome, BuildError> {
    let _lock = ProjectLock::acquire(&project.root, options.lock_wait, on_wait)
        .map_err(|e| BuildError::Config(e.to_string()))?;
    let config = &project.config;
    let mut files =
        crate::ingest::input_files(project).map_err(|e| BuildError::Config(e.to_string()))?;
    files.extend(
        crate::survey::input_files(project).map_err(|e| BuildError::Config(e.to_string()))?,
    );
    let inputs = fingerprint::inputs(&files).map_err(internal("hashing the input files"))?;
    let snapshots_dir = project.resolve(&config.snapshots_dir);
    let folders = [
        project.root.join("content"),
        project.root.join("templates"),
        project.root.join("themes").join(&config.theme),
        snapshots_dir.clone(),
    ];
    let settings = format!("as_of={} strict={}", options.as_of, options.strict);
    // The key covers the snapshots as they are now; the site stores the key as they are after
    // this build, so the next build with nothing new finds a match.
    let key_of_project = || {
        fingerprint::build_key(&project.config_path, &inputs, &folders, &settings)
            .map_err(internal("hashing the project"))
    };
    let key = key_of_project()?;
    if !options.force && stored_key(&options.out).as_deref() == Some(key.as_str()) {
        return Ok(BuildOutcome::UpToDate);
    }

    let started = Instant::now();
    let (ingest, acc, symbols) = accumulate_sources(project, options.as_of)
        .map_err(|e| BuildError::Config(e.to_string()))?;
    let read = started.elapsed();
    if !ingest.failures.is_empty() {
        let message = format!(
            "{} file(s) could not be read; nothing was written",
            ingest.failures.len()
        );
        return Err(BuildError::Data { message, ingest });
    }
    if options.strict && ingest.rejected() > 0 {
        let message = format!(
            "{} row(s) rejected under --strict; nothing was written",
            ingest.rejected()
        );
        return Err(BuildError::Data { message, ingest });
    }
    let metrics_started = Instant::now();
    let set = MetricsSet::new(acc, config, &symbols);
    let reports = set.reports(config, &symbols);
    let metrics = metrics_started.elapsed();

    let store = Store::new(snapshots_dir);
    let mut history = store
        .load(&project.root)
        .map_err(|e| BuildError::Internal(e.to_string()))?;
    let new_versions = record_versions(&store, &mut history, &reports, &inputs, options.as_of)?;
    let key = if new_versions.is_empty() {
        key
    } else {
        key_of_project()?
    };

    let survey_results = crate::survey::reports(project).map_err(|e| BuildError::Data {
        message: e.to_string(),
        ingest: IngestReport::default(),
    })?;
    let surveys: Vec<_> = survey_results.iter().map(|(r, _)| r.clone()).collect();
    let survey_warnings: Vec<String> = survey_results.into_iter().flat_map(|(_, w)| w).collect();
    let input = SiteInput {
        reports: &reports,
        ingest: &ingest,
        after_as_of: set.after_as_of,
        history: &history,
        surveys: &surveys,
    };
    let site = write_site(project, &options.out, &input, &key).map_err(|e| match e {
        SiteError::Output(e @ OutputError::NotASite(_)) => BuildError::Config(e.to_string()),
        e @ (SiteError::Content(_) | SiteError::Theme(_)) => BuildError::Config(e.to_string()),
        e => BuildError::Internal(format!(
            "writing the site to {}: {e}",
            options.out.display()
        )),
    })?;
    Ok(BuildOutcome::Built(Box::new(BuildSummary {
        ingest,
        site,
        new_versions,
        snapshot_problems: history.problems,
        survey_warnings,
        after_as_of: set.after_as_of,
        read,
        metrics,
    })))
}

/// Adds a version for every report whose numbers differ from its latest valid version (or
/// that has none). Version numbers only grow, past corrupt files too.
fn record_versions(
    store: &Store,
    history: &mut History,
    reports: &[crate::metrics::PeriodReport],
    inputs: &[crate::versions::InputFile],
    as_of: NaiveDate,
) -> Result<Vec<(String, u32)>, BuildError> {
    let built_at = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let mut added = Vec::new();
    for report in reports {
        let id = &report.period.id;
        if history
            .latest(id)
            .is_some_and(|s| same_numbers(&s.body.report, report))
        {
            continue;
        }
        let version = history.highest.get(id).copied().unwrap_or(0) + 1;
        let snapshot = Snapshot::new(SnapshotBody {
            version,
            as_of,
            built_at: built_at.clone(),
            huifang_version: env!("CARGO_PKG_VERSION").to_owned(),
            inputs: inputs.to_vec(),
            report: report.clone(),
        });
        store
            .write_new(&snapshot)
            .map_err(|e| BuildError::Internal(e.to_string()))?;
        history.highest.insert(id.clone(), version);
        history
            .versions
            .entry(id.clone())
            .or_default()
            .push(snapshot);
        added.push((id.clone(), version));
    }
    Ok(added)
}
