//! A whole build: lock the project, skip it if nothing changed, read the sources, compute
//! every report, record new versions, and write the site. The binary's `build` command
//! prints what this returns.

use crate::config::Project;
use crate::export::pdf::PdfError;
use crate::export::site::Published;
use crate::export::{ExportError, Exporter};
use crate::ingest::decode::Encoding;
use crate::ingest::sources::SourceError;
use crate::ingest::{FileReport, IngestReport};
use crate::metrics::actions::ActionSet;
use crate::metrics::coverage::CoverageSet;
use crate::metrics::coverage::links::OrderIndex;
use crate::metrics::partial_tables;
use crate::metrics::staff::StaffSet;
use crate::metrics::{Accumulator, MetricsSet, PeriodReport, Rules};
use crate::model::{OrderRecord, Symbols};
use crate::output::{Head, OutputError, StoredKeys, stored_keys, update_keys};
use crate::site::reuse::Digest32;
use crate::site::{SiteError, SiteInput, SiteSummary, StagedSite, stage_site};
use crate::versions::store::{History, InputFile, Problem, SnapshotBody};
use crate::versions::store::{NumbersKey, as_stored, same_numbers};
use crate::versions::{Store, checked, fingerprint, lock::ProjectLock};
use chrono::NaiveDate;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub struct BuildOptions {
    pub out: PathBuf,
    pub as_of: NaiveDate,
    pub strict: bool,
    /// Build even when the inputs are unchanged.
    pub force: bool,
    /// How long to wait for another build of the same project to finish.
    pub lock_wait: Duration,
    /// Write new versions even after a report's latest version went missing or changed.
    pub accept_history_change: bool,
    /// How the documents of the config's `exports` are made.
    pub documents: crate::export::Options,
}

#[derive(Debug)]
pub enum BuildError {
    /// Bad configuration, content, theme, or an output folder huifang did not make.
    Config(String),
    /// The data did not pass: unreadable files, or rejections under `strict`.
    Data {
        message: String,
        ingest: IngestReport,
        /// What reading the work orders found, when they were read.
        orders: IngestReport,
    },
    Internal(String),
}

#[derive(Debug, Default)]
pub struct BuildSummary {
    pub ingest: IngestReport,
    /// What reading the work orders (`[[orders]]`) found.
    pub orders: IngestReport,
    pub site: SiteSummary,
    /// (report id, version) of every version this build added.
    pub new_versions: Vec<(String, u32)>,
    /// Snapshot files that failed their check (named; the rest were used).
    pub snapshot_problems: Vec<Problem>,
    /// Snapshot files holding text the current masking hides (written by an older huifang).
    pub unmasked_snapshots: Vec<String>,
    /// What reading each survey export found.
    pub survey_files: Vec<crate::survey::SurveyFile>,
    pub after_as_of: u64,
    /// Visits naming a work order no order file has.
    pub unknown_orders: u64,
    /// Work orders completed after the as-of date.
    pub orders_after_as_of: u64,
    /// Hashing the inputs and the project (the build key).
    pub hash: Duration,
    pub read: Duration,
    pub metrics: Duration,
    /// Loading the version history and choosing new versions.
    pub history: Duration,
    /// Putting the new versions and the staged site in place (the versions are written and
    /// synced while the site is staged).
    pub finish: Duration,
    /// The documents of the config's `exports`: made, or kept from the previous site.
    pub documents: Published,
    /// Making them.
    pub export: Duration,
}

pub enum BuildOutcome {
    /// The inputs, settings and binary match the site's last build: nothing was written but,
    /// when the inputs had been touched without changing, the site's record of their times.
    /// The history problems that build found hold still, and are given again.
    UpToDate {
        snapshot_problems: Vec<String>,
        /// As [`BuildSummary::unmasked_snapshots`], as that build found them.
        unmasked_snapshots: Vec<String>,
    },
    Built(Box<BuildSummary>),
}

/// Each report's key of its folder, its versions now all written, for the next build to
/// keep the folders whose key is the same.
fn pages_keys(staged: &StagedSite, history: &History) -> Vec<(String, String)> {
    // A report with a version that could not be read gets no key: it is made again, and the
    // version named again, by every build until the file is put right.
    let unread = history.unread_reports();
    let parts = staged.summary.report_parts.iter();
    parts
        .filter(|(id, _)| !unread.contains(id.as_str()))
        .filter_map(|(id, parts)| Some((id.clone(), crate::site::reuse::key(parts, id, history)?)))
        .collect()
}

/// An up-to-date build: the problems the last build found in the history are given again,
/// and fail it under `--strict`.
fn up_to_date(stored: StoredKeys, strict: bool) -> Result<BuildOutcome, BuildError> {
    let snapshot_problems = stored.snapshot_problems;
    if strict && !snapshot_problems.is_empty() {
        return Err(strict_history_error(&snapshot_problems));
    }
    Ok(BuildOutcome::UpToDate {
        snapshot_problems,
        unmasked_snapshots: stored.unmasked_snapshots,
    })
}

fn strict_history_error(problems: &[String]) -> BuildError {
    let mut message = format!(
        "the history in the snapshots folder has {} problem(s), and --strict allows none:",
        problems.len()
    );
    for problem in problems {
        message.push_str(&format!("\n  {problem}"));
    }
    BuildError::Data {
        message,
        ingest: IngestReport::default(),
        orders: IngestReport::default(),
    }
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
    let hash_started = Instant::now();
    let config = &project.config;
    let mut files =
        crate::ingest::input_files(project).map_err(|e| BuildError::Config(e.to_string()))?;
    let survey_files =
        crate::survey::input_files(project).map_err(|e| BuildError::Config(e.to_string()))?;
    files.extend(survey_files.iter().cloned());
    files.extend(
        crate::ingest::orders::input_files(project)
            .map_err(|e| BuildError::Config(e.to_string()))?,
    );
    files.extend(partial_table_files(project));
    let snapshots_dir = project.resolve(&config.snapshots_dir);
    // Under the lock no other build is staging versions: any staged file is a killed build's.
    Store::new(snapshots_dir.clone()).sweep_staged();
    // Nor a site: put back a site a killed swap left aside, remove what a killed build left.
    crate::output::recover(&options.out).map_err(|e| BuildError::Internal(e.to_string()))?;
    let folders = [
        project.root.join("content"),
        project.root.join("templates"),
        project.root.join("themes").join(&config.theme),
    ];
    let settings = format!(
        "as_of={} strict={} accept_history_change={}",
        options.as_of, options.strict, options.accept_history_change
    );
    let stored = stored_keys(&options.out);
    // `--force` reads every version again.
    let record = checked::load(&project.root);
    let checked = (record.basis.as_deref())
        .filter(|_| !options.force)
        .map(|basis| (basis, record.files.as_slice()));
    // The keys cover the snapshots as they are now; the site stores them as they are after
    // this build, so the next build with nothing new finds a match.
    let hashed = fingerprint::project(
        &project.root,
        &project.config_path,
        &folders,
        &snapshots_dir,
        &settings,
        checked,
    )
    .map_err(internal("hashing the project"))?;
    let look = || fingerprint::input_stats(&files).map_err(internal("looking at the input files"));
    // The inputs as they were before anything was read; the quick key is only ever recorded
    // for these, and only if they are still so when it is recorded.
    let stats = look()?;
    // The quick key records the inputs' file times, which differ between machines: a
    // reproducible build (SOURCE_DATE_EPOCH) records none, and finds itself up to date by
    // the inputs' content.
    let reproducible = crate::clock::source_date_epoch().ok().flatten().is_some();
    let quick_key = |hashed: &fingerprint::ProjectHash| -> Result<Option<String>, BuildError> {
        if reproducible {
            return Ok(None);
        }
        Ok(match (&stats, look()?) {
            (Some(before), Some(now)) if *before == now => Some(hashed.quick_key(before)),
            _ => None,
        })
    };
    let quick = stats.as_ref().map(|s| hashed.quick_key(s));
    if !options.force && quick.is_some() && stored.quick == quick {
        return up_to_date(stored, options.strict);
    }
    let mut hash = hash_started.elapsed();

    // The visit logs and work orders are hashed as they are read; the survey exports are small.
    let started = Instant::now();
    let VisitsAndOrders {
        mut ingest,
        order_report,
        mut acc,
        mut symbols,
        orders,
    } = read_visits_and_orders(project, options.as_of).map_err(BuildError::Config)?;
    if let Err(message) = add_partial_tables(project, &mut acc, &mut symbols, &mut ingest) {
        let orders = order_report;
        return Err(BuildError::Data {
            message,
            ingest,
            orders,
        });
    }
    let read = started.elapsed();
    let hash_started = Instant::now();
    let failures = ingest.failures.len() + order_report.failures.len();
    let rejected = ingest.rejected() + order_report.rejected();
    let data_error = match failures {
        0 if options.strict && rejected > 0 => Some(format!(
            "{rejected} row(s) rejected under --strict; nothing was written"
        )),
        0 => None,
        n => Some(format!(
            "{n} file(s) could not be read; nothing was written"
        )),
    };
    if let Some(message) = data_error {
        let orders = order_report;
        return Err(BuildError::Data {
            message,
            ingest,
            orders,
        });
    }
    let mut inputs: Vec<InputFile> = ingest
        .files
        .iter()
        .chain(&order_report.files)
        .map(|f| InputFile {
            name: f.path.clone(),
            size: f.size,
            sha256: f.sha256.clone(),
        })
        .collect();
    inputs.extend(
        fingerprint::inputs(&survey_files).map_err(internal("hashing the survey exports"))?,
    );
    let key = hashed.build_key(&inputs);
    // The inputs were touched but hold what they held: nothing to do after all.
    if !options.force && stored.key.as_deref() == Some(key.as_str()) {
        let quick = quick_key(&hashed)?;
        if quick.is_some() && quick != stored.quick {
            let keys = StoredKeys {
                key: Some(key),
                quick,
                snapshot_problems: stored.snapshot_problems.clone(),
                unmasked_snapshots: stored.unmasked_snapshots.clone(),
                heads: stored.heads.clone(),
                numbers_basis: stored.numbers_basis.clone(),
                pages: stored.pages.clone(),
                version_pages: stored.version_pages.clone(),
            };
            update_keys(&options.out, &keys).map_err(|e| BuildError::Internal(e.to_string()))?;
        }
        return up_to_date(stored, options.strict);
    }
    hash += hash_started.elapsed();
    let metrics_started = Instant::now();
    let survey_data = crate::survey::reports(project).map_err(|e| BuildError::Data {
        message: e.to_string(),
        ingest: IngestReport::default(),
        orders: IngestReport::default(),
    })?;
    for rating in &survey_data.ratings {
        acc.add_rating(
            rating.date,
            symbols.intern(&crate::privacy::label(&rating.department)),
            rating.level,
        );
    }
    let mut set = MetricsSet::new(&acc, config, &symbols);
    // The partials are summed into the metrics now. With thousands of sites there is nearly
    // one per row, the most a build holds: they are freed here, on a thread of their own
    // while the reports are counted, instead of being held through the whole build.
    let partials = std::mem::take(&mut acc.partials);
    let freeing = std::thread::spawn(move || drop(partials));
    let mut staff_followups = None;
    if let Some(orders) = &orders {
        let links = std::mem::take(&mut acc.links);
        let mut coverage = CoverageSet::new(orders, &links, config, &symbols, options.as_of);
        staff_followups = coverage.staff.take();
        set = set.with_coverage(coverage);
    }
    drop(orders);
    let staff = (acc.staff.as_ref())
        .map(|s| StaffSet::new(s, &symbols, options.as_of).with_followups(staff_followups));
    let set = Arc::new(set);
    let mut reports = set.reports();
    if reports.is_empty() && set.after_as_of > 0 {
        return Err(before_the_data(project, options.as_of));
    }
    let actions = ActionSet::new(std::mem::take(&mut acc.complaints), &set, config, &symbols);
    freeing
        .join()
        .map_err(|_| BuildError::Internal("freeing the partials failed".to_owned()))?;
    crate::memory::return_freed();
    let metrics = metrics_started.elapsed();
    let history_started = Instant::now();

    let store = Store::new(snapshots_dir.clone());
    // The latest versions whose numbers the site knows by their key are not read whole. The
    // keys hold the text of the data as this huifang masks it, so only its own are trusted;
    // `--force` trusts none.
    let trusted = !options.force && stored.numbers_basis.as_ref() == Some(&hashed.pages_base);
    let heads_keyed: Vec<(&Head, NumbersKey)> = (stored.heads.iter())
        .filter(|_| trusted)
        .filter_map(|h| Some((h, h.numbers.as_deref()?.parse().ok()?)))
        .collect();
    let known: BTreeMap<String, (u32, String)> = (heads_keyed.iter())
        .map(|(h, _)| (h.report.clone(), (h.version, h.checksum.clone())))
        .collect();
    let mut history = store
        .load_known(&project.root, &known, hashed.listings())
        .map_err(|e| BuildError::Internal(e.to_string()))?;
    // What changed from version to version, as worded under the same pages' base.
    if checked.is_some_and(|(basis, _)| basis == hashed.pages_base) {
        history.recall_changes(record.changes);
    }
    let rewritten = history.check_heads(&stored.heads, &store.dir, &project.root, &options.out);
    let problems: Vec<String> = history.problems.iter().map(ToString::to_string).collect();
    if options.strict && !problems.is_empty() {
        return Err(strict_history_error(&problems));
    }
    let known: BTreeMap<String, NumbersKey> = (heads_keyed.into_iter())
        .filter(|(h, _)| {
            let latest = history.latest(&h.report).map(|v| v.version);
            latest == Some(h.version) && history.latest_checksum(&h.report) == Some(&h.checksum)
        })
        .map(|(h, key)| (h.report.clone(), key))
        .collect();
    let mut new_versions: Vec<(String, u32)> = Vec::new();
    // Each new version is written beside its place as soon as it is made, and read back from
    // there when a page or document shows it, so the build never holds a second copy of
    // its reports. The versions enter the store only once the site is staged.
    let mut pending = store.new_versions();
    let stage = |body: SnapshotBody| {
        // No version is written over a rewritten history.
        if !options.accept_history_change && rewritten.contains(&body.report.period.id) {
            return Ok(None);
        }
        let staged = pending.stage(&body, &project.root);
        staged
            .map(Some)
            .map_err(|e| BuildError::Internal(e.to_string()))
    };
    let NewBodies {
        bodies,
        settled,
        keys: mut numbers,
        same: mut showing_latest,
        digests,
    } = new_bodies(&history, &known, &reports, &inputs, options.as_of, stage)?;
    // Every report's lists were counted on the cores' own heaps and freed: handed back before
    // the pages count them again one report at a time.
    crate::memory::return_freed();
    for (report, date) in reports.iter_mut().zip(settled) {
        if let Some(date) = date {
            report.as_of = date;
        }
    }
    for (id, staged) in bodies {
        match staged {
            Some(staged) => {
                showing_latest.insert(id.clone());
                new_versions.push((id, staged.info.version));
                history.add(staged);
            }
            // Its latest stays unkeyed.
            None => {
                numbers.remove(&id);
            }
        }
    }

    let survey_files = survey_data.files;
    let surveys = survey_data.reports;
    let input = SiteInput {
        reports: &reports,
        ingest: &ingest,
        after_as_of: set.after_as_of,
        history: &history,
        surveys: &surveys,
        actions: Some(&actions),
        coverage: set.coverage(),
        staff: staff.as_ref(),
        showing_latest: Some(&showing_latest),
        numbers: Some(&digests),
    };
    let site_error = |e: SiteError| match e {
        SiteError::Output(e @ OutputError::NotASite(_)) => BuildError::Config(e.to_string()),
        e @ (SiteError::Content(_) | SiteError::Theme(_)) => BuildError::Config(e.to_string()),
        e => BuildError::Internal(format!(
            "writing the site to {}: {e}",
            options.out.display()
        )),
    };
    // Order matters: the whole site is staged first, so a theme, content or output error
    // records no version; then the versions are linked into place; then the site goes in
    // place, and only then are the versions kept (an error before takes them out again).
    let history_time = history_started.elapsed();
    // What is left of the accumulator is freed off the main thread, while the site is staged.
    let freeing = std::thread::spawn(move || drop(acc));
    // `--force` makes every page anew.
    let nothing = StoredKeys::default();
    let built_with = if options.force { &nothing } else { &stored };
    let base = hashed.pages_base.as_str();
    let staged = stage_site(project, &options.out, &input, base, built_with);
    freeing
        .join()
        .map_err(|_| BuildError::Internal("freeing the rows' counts failed".to_owned()))?;
    let staged = staged.map_err(site_error)?;
    let finish_started = Instant::now();
    let placed = pending
        .link()
        .map_err(|e| BuildError::Internal(e.to_string()))?;
    let mut written = Vec::with_capacity(placed.len());
    for version in placed {
        history.placed(&version.id, version.version, &version.path);
        written.push((version.path, version.sha256));
    }
    // A rewritten history keeps the head it had until the change is accepted, so every
    // build names it.
    let heads: Vec<Head> = history
        .checksums
        .iter()
        .filter(|(id, _)| options.accept_history_change || !rewritten.contains(*id))
        .filter_map(|(id, sums)| {
            let (&version, checksum) = sums.iter().next_back()?;
            Some(Head {
                report: id.clone(),
                version,
                checksum: checksum.clone(),
                numbers: numbers.get(id).map(ToString::to_string),
            })
        })
        .chain(
            stored
                .heads
                .iter()
                .filter(|h| !options.accept_history_change && rewritten.contains(&h.report))
                .map(|h| Head {
                    // Its key goes on only under the basis that made it.
                    numbers: h.numbers.clone().filter(|_| trusted),
                    ..h.clone()
                }),
        )
        .collect();
    let export_started = Instant::now();
    let documents = publish_documents(project, &history, &reports, options, &staged)?;
    let export = export_started.elapsed();
    // Versions that could not be read for a page or document are named as those that failed
    // their check on loading are.
    let unread = history.unread();
    if options.strict && !unread.is_empty() {
        let named: Vec<String> = unread.iter().map(ToString::to_string).collect();
        return Err(strict_history_error(&named));
    }
    let mut problems = std::mem::take(&mut history.problems);
    problems.extend(unread);
    problems.sort_by(|a, b| (&a.path, &a.message).cmp(&(&b.path, &b.message)));
    // A build reads only some versions, so the snapshots earlier builds found holding text
    // this huifang masks are named again while they are there.
    let mut unmasked = history.unmasked();
    unmasked.extend(
        (stored.unmasked_snapshots.iter())
            .filter(|_| trusted)
            .filter(|shown| project.root.join(shown).is_file())
            .cloned(),
    );
    // One line each in the marker.
    unmasked.retain(|shown| !shown.contains(['\n', '\r']));
    unmasked.sort();
    unmasked.dedup();
    // The snapshots just written are part of what the next build depends on.
    let (key, hashed) = if written.is_empty() {
        (key, hashed)
    } else {
        let hashed = hashed.with_snapshots(&written);
        (hashed.build_key(&inputs), hashed)
    };
    let keys = StoredKeys {
        key: Some(key),
        quick: quick_key(&hashed)?,
        snapshot_problems: problems.iter().map(ToString::to_string).collect(),
        unmasked_snapshots: unmasked.clone(),
        heads,
        numbers_basis: Some(hashed.pages_base.clone()),
        pages: pages_keys(&staged, &history),
        version_pages: staged.summary.version_pages.clone(),
    };
    staged.set_keys(&keys).map_err(site_error)?;
    let site = staged.commit().map_err(site_error)?;
    pending.keep();
    // A record that cannot be written leaves the next build to read every version, as the
    // first build did: nothing is lost.
    let _ = checked::save(
        &project.root,
        &hashed.pages_base,
        hashed.checked(&history),
        history.known_changes(),
    );
    Ok(BuildOutcome::Built(Box::new(BuildSummary {
        ingest,
        orders: order_report,
        site,
        new_versions,
        unmasked_snapshots: unmasked,
        snapshot_problems: problems,
        survey_files,
        after_as_of: set.after_as_of,
        unknown_orders: set.coverage().map_or(0, |c| c.unknown_orders),
        orders_after_as_of: set.coverage().map_or(0, |c| c.completed_after_as_of),
        hash,
        read,
        metrics,
        history: history_time,
        finish: finish_started.elapsed() - export,
        documents,
        export,
    })))
}

/// The config's `exports` of every report's latest version, into the staged site: made from
/// the snapshots just written, or copied from the site at `options.out` where unchanged.
fn publish_documents(
    project: &Project,
    history: &History,
    reports: &[PeriodReport],
    options: &BuildOptions,
    staged: &StagedSite,
) -> Result<Published, BuildError> {
    let mut formats = project.config.exports.clone();
    formats.sort();
    formats.dedup();
    if formats.is_empty() {
        return Ok(Published::default());
    }
    let exporter =
        Exporter::new(project, history, options.documents.clone()).map_err(export_error)?;
    let ids: Vec<&str> = (reports.iter())
        .map(|r| r.period.id.as_str())
        .filter(|id| history.latest(id).is_some())
        .collect();
    crate::export::site::publish(&exporter, &ids, &formats, &options.out, staged)
        .map_err(export_error)
}

/// A document that cannot be made: the project's content or theme, or a missing program, is
/// for the user to fix; anything else is ours.
fn export_error(e: ExportError) -> BuildError {
    match e {
        e @ (ExportError::Archive(_)
        | ExportError::Pdf(PdfError::NoChromium | PdfError::NotAProgram(_))) => {
            BuildError::Config(format!("exports: {e}"))
        }
        // As a version unreadable for a comparison is.
        e @ ExportError::Unread(_) => BuildError::Config(e.to_string()),
        e => BuildError::Internal(format!("exports: {e}")),
    }
}

/// An as-of date before every record leaves no report at all; said plainly here, else the
/// first page asking for the latest report's numbers fails with "belongs to no report".
fn before_the_data(project: &Project, as_of: NaiveDate) -> BuildError {
    // Read again for the first date only: this is a failing build, and the accumulator keeps
    // no dates of the records after as-of.
    let earlier = |first: &mut Option<NaiveDate>, day: NaiveDate| {
        *first = Some(first.map_or(day, |d| d.min(day)));
    };
    let sinks = crate::ingest::Sinks::new(
        || None,
        |first: &mut Option<NaiveDate>, record| earlier(first, record.date),
        |into: &mut Option<NaiveDate>, from: Option<NaiveDate>, _| {
            from.into_iter().for_each(|day| earlier(into, day));
        },
    );
    let first = crate::ingest::ingest_parallel(project, &sinks)
        .ok()
        .and_then(|(_, parts)| parts.into_iter().filter_map(|p| p.sink).min());
    let starts = match first {
        Some(day) => format!("the data starts on {day} and the as-of date {as_of} is before it"),
        None => format!("every record is dated after the as-of date {as_of}"),
    };
    BuildError::Config(format!(
        "{starts}, so no report has any data: give a later --as-of (or `as_of` in the config), \
         or leave it out to report as of today"
    ))
}

// --- `[[partials]]`: tables counted elsewhere (docs/partials.md) ---

/// The tables of every `[[partials]]` folder that exist (a missing one is the reader's to
/// name), for the build key.
fn partial_table_files(project: &Project) -> Vec<(PathBuf, String)> {
    let folders = project.config.partials.iter();
    let files = folders.flat_map(|source| {
        let dir = project.resolve(std::path::Path::new(&source.path));
        let tables = partial_tables::files(&dir).into_iter();
        tables.map(|(path, name)| (path, format!("{}/{name}", source.path)))
    });
    files.collect()
}

/// Adds the tables of every `[[partials]]` folder to what the visit logs gave, as the logs'
/// files are added to each other; each table is a file of the ingest report, every row of it
/// used. `Err`: the first table that cannot be read, where and why.
fn add_partial_tables(
    project: &Project,
    acc: &mut Accumulator,
    symbols: &mut Symbols,
    ingest: &mut IngestReport,
) -> Result<(), String> {
    for source in &project.config.partials {
        let dir = project.resolve(std::path::Path::new(&source.path));
        let mut part = Accumulator::new(acc.rules.clone());
        let mut part_symbols = Symbols::default();
        let tables = partial_tables::read_into(
            &dir,
            &source.path,
            &project.config,
            &mut part,
            &mut part_symbols,
        )
        .map_err(|e| e.to_string())?;
        let map = symbols.absorb(&part_symbols);
        acc.merge_translated(part, &map);
        ingest.files.extend(tables.into_iter().map(|table| {
            let mut file = FileReport::new(table.path, Encoding::Utf8);
            file.rows_read = table.rows;
            file.accepted = table.rows;
            file.lines_above_rows = 1;
            file.row_lines = table.rows;
            file.lines = table.rows + 1;
            file.size = table.size;
            file.sha256 = table.sha256;
            file
        }));
    }
    Ok(())
}

/// Reads every source of the project, files in parallel, into one accumulator of month
/// partials and one symbol table: ingestion feeding the metrics, driven from here so neither
/// imports the other.
/// The visit logs, read with the work orders they follow up (`None` without `[[orders]]`).
pub struct VisitsAndOrders {
    pub ingest: IngestReport,
    pub order_report: IngestReport,
    pub acc: Accumulator,
    pub symbols: Symbols,
    pub orders: Option<Vec<OrderRecord>>,
}

/// Reads the work orders, then the visit logs: the orders first, so each visit is linked to
/// its order as it passes (see `metrics::coverage::links`); they are few beside the visits.
/// `Err` names a source that cannot be read at all.
pub fn read_visits_and_orders(
    project: &Project,
    as_of: NaiveDate,
) -> Result<VisitsAndOrders, String> {
    let config = &project.config;
    let mut order_symbols = Symbols::default();
    let orders_read = crate::ingest::orders::read_orders(project, &mut order_symbols)
        .map_err(|e| e.to_string())?;
    let index = (!config.orders.is_empty()).then(|| {
        let ids = orders_read.orders.iter().map(|o| o.id.as_str());
        Arc::new(OrderIndex::new(ids, config.coverage.links_by_rule()))
    });
    let linked = index.is_some();
    let (ingest, acc, mut symbols) =
        accumulate_linking(project, as_of, index).map_err(|e| e.to_string())?;
    let map = symbols.absorb(&order_symbols);
    let orders = linked.then(|| {
        (orders_read.orders.into_iter())
            .map(|o| o.remap(&map))
            .collect()
    });
    Ok(VisitsAndOrders {
        ingest,
        order_report: orders_read.report,
        acc,
        symbols,
        orders,
    })
}

pub fn accumulate_sources(
    project: &Project,
    as_of: NaiveDate,
) -> Result<(IngestReport, Accumulator, Symbols), SourceError> {
    accumulate_linking(project, as_of, None)
}

/// As [`accumulate_sources`], each visit also linked to the work orders of `index`.
pub fn accumulate_linking(
    project: &Project,
    as_of: NaiveDate,
    index: Option<Arc<OrderIndex>>,
) -> Result<(IngestReport, Accumulator, Symbols), SourceError> {
    let rules = Rules::new(&project.config, as_of);
    let sinks = crate::ingest::Sinks::new(
        || Accumulator::new(rules.clone()).with_orders(index.clone()),
        |acc, record| acc.add(&record),
        |into, from, map| into.merge_translated(from, map),
    );
    let (report, parts) = crate::ingest::ingest_parallel(project, &sinks)?;
    // The first file's symbols and partials are the base the others are added to.
    let mut parts = parts.into_iter();
    let (mut symbols, mut acc) = match parts.next() {
        Some(first) => (first.symbols, first.sink),
        None => (
            Symbols::default(),
            Accumulator::new(rules).with_orders(index),
        ),
    };
    for part in parts {
        let map = symbols.absorb(&part.symbols);
        acc.merge_translated(part.sink, &map);
    }
    Ok((report, acc, symbols))
}

/// A new version for every report whose numbers differ from its latest valid version (or
/// that has none). Version numbers only grow, past corrupt files too. A build with an older
/// as-of date than the latest version (a rebuild of the past) records nothing: it would make
/// older data the latest.
///
/// The data's numbers are compared with a latest version by their [`NumbersKey`] where the
/// site records that version's (`known`), and else with the version read whole.
///
/// Also, per report, the as-of date it keeps: a report of an ended period whose numbers are
/// its latest version's says when they were counted, that version's date (or the period's
/// end, if later), so its pages and `metrics.json` keep their bytes from night to night and an
/// incremental build leaves them alone. A period in progress, or numbers that differ, take
/// the build's date. And the key of each report's latest version after this build, where it
/// is known.
fn new_bodies<T: Send>(
    history: &History,
    known: &BTreeMap<String, NumbersKey>,
    reports: &[crate::metrics::PeriodReport],
    inputs: &[crate::versions::InputFile],
    as_of: NaiveDate,
    stage: impl Fn(SnapshotBody) -> Result<T, BuildError> + Sync,
) -> Result<NewBodies<T>, BuildError> {
    let problem = |p: Problem| BuildError::Config(format!("snapshot {p}"));
    let built_at = crate::clock::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let new_body = |report: &PeriodReport| {
        let id = &report.period.id;
        let key = NumbersKey::of(report);
        let latest = history.latest(id);
        // Whether the data's numbers are the latest version's, and that version's key: the
        // data's only where they count the same kinds of numbers (an older version may
        // lack some, which `same_numbers` then leaves out).
        let compared = |version: u32| match known.get(id).and_then(|k| k.same(&key)) {
            Some(same) => Ok((same, key.clone())),
            None => {
                let body = history.body(id, version).map_err(problem)?;
                let same = same_numbers(&body.report, &as_stored(report));
                Ok::<_, BuildError>((same, NumbersKey::of(&body.report)))
            }
        };
        let compared = match latest {
            Some(latest) if as_of < latest.as_of => {
                return Ok((None, None, known.get(id).cloned(), false));
            }
            Some(latest) => Some((latest, compared(latest.version)?)),
            None => None,
        };
        Ok(match compared {
            Some((latest, (true, latest_key))) => {
                // A version cut while the period ran holds numbers still true at its
                // end: the end is the date to give.
                let settled = !report.period.in_progress;
                let date = latest.as_of.max(report.period.end).min(as_of);
                // The report page shows that version only where both count the same
                // kinds of numbers: else the version holds some the page lacks.
                let shown = latest_key.same(&key).is_some();
                (None, settled.then_some(date), Some(latest_key), shown)
            }
            _ => {
                let body = SnapshotBody {
                    version: history.highest.get(id).copied().unwrap_or(0) + 1,
                    as_of,
                    built_at: built_at.clone(),
                    huifang_version: env!("CARGO_PKG_VERSION").to_owned(),
                    inputs: inputs.to_vec(),
                    previous: history.latest_checksum(id).cloned(),
                    // As stored already: a report's JSON reads back to the same JSON
                    // (`as_stored`'s round trip, tested), so the version is written from the
                    // counted report without a stored copy of it.
                    report: report.clone(),
                };
                (Some(stage(body)?), None, Some(key), false)
            }
        })
    };
    let outcomes: Vec<Result<(Outcome<T>, Digest32), BuildError>> = reports
        .par_iter()
        .map(|report| {
            // Keyed, compared, written and hashed as the site will write it, from one count
            // of its departments and sites.
            report.pin_here();
            let outcome = new_body(report).map(|outcome| {
                let as_of = outcome.1.unwrap_or(report.as_of);
                let shown = PeriodReport {
                    as_of,
                    ..report.clone()
                };
                (outcome, crate::site::reuse::numbers_digest(&shown))
            });
            report.release();
            outcome
        })
        .collect();
    let mut new = NewBodies {
        bodies: Vec::new(),
        settled: Vec::new(),
        keys: BTreeMap::new(),
        same: BTreeSet::new(),
        digests: Vec::with_capacity(reports.len()),
    };
    for outcome in outcomes {
        let ((body, settled, key, same), digest) = outcome?;
        new.digests.push(digest);
        let id = &reports[new.settled.len()].period.id;
        new.bodies.extend(body.map(|body| (id.clone(), body)));
        new.settled.push(settled);
        if same {
            new.same.insert(id.clone());
        }
        if let Some(key) = key {
            new.keys.insert(id.clone(), key);
        }
    }
    Ok(new)
}

type Outcome<T> = (Option<T>, Option<NaiveDate>, Option<NumbersKey>, bool);

/// What [`new_bodies`] found.
struct NewBodies<T> {
    /// The new versions, as staged, by report.
    bodies: Vec<(String, T)>,
    /// Per report, the as-of date it keeps, if not the build's.
    settled: Vec<Option<NaiveDate>>,
    /// The key of each report's latest version after the build, where known.
    keys: BTreeMap<String, NumbersKey>,
    /// The reports whose numbers were found equal to their latest version's, counting the
    /// same kinds of numbers.
    same: BTreeSet<String>,
    /// Per report, its numbers as the site writes them, hashed ([`SiteInput::numbers`]).
    digests: Vec<Digest32>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::versions::Store;

    /// A latest version written before huifang counted complaints closed late, holding the
    /// data's numbers but that one.
    fn history_of_an_older_version() -> (tempfile::TempDir, History, PeriodReport) {
        let json = include_str!("../tests/fixtures/snapshot_report.json");
        let old: PeriodReport = serde_json::from_str(json).unwrap();
        assert_eq!(old.overall.rectification.closed_late, None);
        let body = SnapshotBody {
            version: 1,
            as_of: old.as_of,
            built_at: "2025-04-01T00:00:00Z".into(),
            huifang_version: "0.1.0".into(),
            inputs: Vec::new(),
            previous: None,
            report: old.clone(),
        };
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path().join("snapshots"));
        let mut staged = store.new_versions();
        staged.stage(&body, dir.path()).unwrap();
        staged.link().unwrap();
        staged.keep();
        let history = store.load(dir.path()).unwrap();
        (dir, history, old)
    }

    fn counting_late(report: &PeriodReport, late: u64) -> PeriodReport {
        let mut report = report.clone();
        report.overall.rectification.closed_late = Some(late);
        report
    }

    /// The data counts what the version lacks, so they compare without it: equal. The key
    /// kept for the next build is the version's own, which cannot speak for the data's
    /// numbers: a later build compares the version whole again and again finds them equal
    /// however the uncompared number moves.
    #[test]
    fn the_key_kept_is_the_compared_versions_own() {
        let (_dir, history, old) = history_of_an_older_version();
        let id = old.period.id.clone();
        let as_of = old.as_of;
        let first = new_bodies(
            &history,
            &BTreeMap::new(),
            &[counting_late(&old, 0)],
            &[],
            as_of,
            Ok,
        )
        .unwrap();
        assert!(first.bodies.is_empty());
        assert_eq!(first.keys[&id], NumbersKey::of(&old));
        let second = new_bodies(
            &history,
            &first.keys,
            &[counting_late(&old, 5)],
            &[],
            as_of,
            Ok,
        )
        .unwrap();
        assert!(second.bodies.is_empty(), "the whole version says: same");
        // Equal, but the version lacks a number the report page shows: the page is not that
        // version, which keeps a page of its own. The version's very numbers are.
        assert!(first.same.is_empty() && second.same.is_empty());
        let same = new_bodies(
            &history,
            &first.keys,
            std::slice::from_ref(&old),
            &[],
            as_of,
            Ok,
        )
        .unwrap();
        assert!(same.bodies.is_empty());
        assert_eq!(same.same, BTreeSet::from([id.clone()]));
        // A number both count does make a version, by the key or whole.
        let mut changed = counting_late(&old, 5);
        changed.overall.visits.total += 1;
        let third = new_bodies(&history, &first.keys, &[changed], &[], as_of, Ok).unwrap();
        assert_eq!(third.bodies.len(), 1);
        assert_eq!(third.bodies[0].1.version, 2);
    }

    /// Each report's digest is of its numbers as the site writes them: an ended quarter whose
    /// numbers are its version's keeps that version's date (its end, 2025-03-31), a changed
    /// one takes the build's.
    #[test]
    fn digests_are_of_the_report_with_the_date_it_keeps() {
        let (_dir, history, old) = history_of_an_older_version();
        let as_of = NaiveDate::from_ymd_opt(2025, 5, 20).unwrap();
        let later = PeriodReport {
            as_of,
            ..old.clone()
        };
        let mut changed = later.clone();
        changed.overall.visits.total += 1;
        let new = new_bodies(
            &history,
            &BTreeMap::new(),
            &[later.clone(), changed.clone()],
            &[],
            as_of,
            Ok,
        )
        .unwrap();
        let end = NaiveDate::from_ymd_opt(2025, 3, 31).unwrap();
        assert_eq!(new.settled, [Some(end), None]);
        let kept = PeriodReport {
            as_of: end,
            ..later.clone()
        };
        let digest = crate::site::reuse::numbers_digest;
        assert_eq!(new.digests, [digest(&kept), digest(&changed)]);
        assert_ne!(digest(&kept), digest(&later), "the date is in the digest");
    }
}
