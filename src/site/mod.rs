//! The report site: every page rendered from the theme's templates, each report's data files,
//! written to a staging folder and swapped in whole.

pub mod action_file;
pub mod content;
pub mod data_files;
pub mod figures;
pub mod i18n;
pub mod outline;
pub mod pages;
pub mod reuse;
pub mod theme;
pub mod urls;
pub mod version_pages;
pub mod view;

use crate::config::Project;
use crate::ingest::IngestReport;
use crate::metrics::PeriodReport;
use crate::output::{OutputError, Staging};
use content::{Content, ContentError};
use data_files::CsvHead;
use rayon::prelude::*;
use theme::{Theme, ThemeError};

#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    #[error(transparent)]
    Theme(#[from] ThemeError),
    #[error(transparent)]
    Content(#[from] ContentError),
    #[error(transparent)]
    Output(#[from] OutputError),
    #[error("rendering {page} with template {template}: {message}")]
    Render {
        page: String,
        template: String,
        message: String,
    },
}

/// What a build wrote, for the summary line.
#[derive(Debug, Clone, Default)]
pub struct SiteSummary {
    pub pages: usize,
    /// Pages whose bytes were the previous site's: kept from it, not written.
    pub pages_kept: usize,
    /// Reports whose folder was kept whole from the previous site, no page of it rendered.
    pub reports_kept: usize,
    /// Each report's key of what its folder shows but its versions ([`reuse`]): the next
    /// build's key is this with the versions as they are once this build's are written.
    pub report_parts: Vec<(String, reuse::Digest32)>,
    /// Each version page drawn from its snapshot alone, by path, with its key
    /// ([`version_pages::VersionPages`]).
    pub version_pages: Vec<(String, String)>,
    /// Every file of the site, pages included, written or kept (counted when it goes in place).
    pub files: crate::output::FileCounts,
    pub reports: usize,
    /// content/reports/<id>.md files whose report is not in this build.
    pub unused_commentary: Vec<String>,
    /// Time spent building page contexts (charts included), rendering templates, and writing.
    pub timings: SiteTimings,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct SiteTimings {
    /// Choosing the reports kept and listing the pages.
    pub pages: std::time::Duration,
    /// Building, rendering and writing the pages, each report's data files beside its pages.
    pub render: std::time::Duration,
    /// The theme's files and the surveys' data files.
    pub write: std::time::Duration,
}

/// Everything a build computed that the site shows.
pub struct SiteInput<'a> {
    pub reports: &'a [PeriodReport],
    pub ingest: &'a IngestReport,
    /// Records dated after as-of (in no report; said on the data-quality page).
    pub after_as_of: u64,
    pub history: &'a crate::versions::store::History,
    pub surveys: &'a [crate::survey::metrics::SurveyReport],
    /// Complaint records for the action lists; none for pages rendered from snapshots alone.
    pub actions: Option<&'a crate::metrics::actions::ActionSet>,
    /// Work orders still wanting a follow-up, for the same lists; none from snapshots.
    pub coverage: Option<&'a crate::metrics::coverage::CoverageSet>,
    /// Numbers per 回访人, under `publish_staff` only: each report then gets an internal page.
    pub staff: Option<&'a crate::metrics::staff::StaffSet>,
    /// The reports whose numbers are their latest version's (found equal, or just written):
    /// that version's address leads to the report page. Any other report's latest version
    /// (a build as of an earlier date, a rewritten history) has a page of its own, drawn from
    /// its snapshot, as every version has with `None`.
    pub showing_latest: Option<&'a std::collections::BTreeSet<String>>,
    /// Each report's numbers as its `metrics.json` holds them, hashed
    /// ([`reuse::numbers_digest`], in `reports` order), where the build hashed them while it
    /// counted them: else they are counted again to be hashed.
    pub numbers: Option<&'a [reuse::Digest32]>,
}

/// A site written completely into its staging folder, not yet in place.
pub struct StagedSite {
    staging: Staging,
    pub summary: SiteSummary,
}

impl StagedSite {
    /// Records the build keys in the site, so an unchanged rebuild can be skipped.
    pub fn set_keys(&self, keys: &crate::output::StoredKeys) -> Result<(), SiteError> {
        Ok(self.staging.set_keys(keys)?)
    }

    /// Writes one more file into the staged site (`relative` to its root).
    pub fn write(&self, relative: &str, bytes: &[u8]) -> Result<(), SiteError> {
        self.staging.write(relative, bytes)?;
        Ok(())
    }

    /// Swaps the new site in for the old one.
    pub fn commit(mut self) -> Result<SiteSummary, SiteError> {
        self.summary.files = self.staging.counts();
        self.staging.commit()?;
        Ok(self.summary)
    }
}

/// Renders every page and data file into a staging folder beside `out`. Nothing is in place
/// until [`StagedSite::commit`]: a failure anywhere before leaves the old site untouched.
/// Each report's key is taken from `pages_base` (see [`reuse`]); a report whose key is the
/// one `built_with` gives it (the keys the site at `out` was built with; none to render every
/// page) keeps its folder from there, linked, without rendering it again, and so does a
/// version's page whose key is unchanged.
pub fn stage_site(
    project: &Project,
    out: &std::path::Path,
    input: &SiteInput<'_>,
    pages_base: &str,
    built_with: &crate::output::StoredKeys,
) -> Result<StagedSite, SiteError> {
    let reports = input.reports;
    let theme = Theme::load(project)?;
    let content = Content::load(&project.root.join("content"), &project.root)?;
    let mut data = pages::SiteData::new(project, input, &content, &theme.strings);
    let started = std::time::Instant::now();
    let staging = Staging::new(out)?;
    let version_pages =
        version_pages::VersionPages::new(pages_base, &built_with.version_pages, &staging);
    data.version_pages = Some(&version_pages);
    let parts = reuse::report_parts(&data, pages_base, input.numbers);
    let keys: Vec<Option<String>> = (reports.iter().zip(&parts))
        .map(|(r, p)| reuse::key(p.as_ref()?, &r.period.id, input.history))
        .collect();
    let built_with: std::collections::HashMap<&str, &str> = (built_with.pages.iter())
        .map(|(id, key)| (id.as_str(), key.as_str()))
        .collect();
    // Each kept folder's pages; `None` for a report made anew.
    let kept_pages: Vec<Option<usize>> = (reports.par_iter().zip(&keys))
        .map(|(report, key)| {
            let id = &report.period.id;
            let unchanged = key.is_some() && built_with.get(id.as_str()).copied() == key.as_deref();
            let folder = urls::report_folder(id);
            let files = unchanged.then(|| staging.keep_folder(&folder))??;
            version_pages.kept_folder(&folder);
            Some(files.iter().filter(|f| f.ends_with(".html")).count())
        })
        .collect();
    let kept_ids: std::collections::HashSet<&str> = (reports.iter().zip(&kept_pages))
        .filter(|(_, kept)| kept.is_some())
        .map(|(r, _)| r.period.id.as_str())
        .collect();
    let is_made = |report: &PeriodReport| !kept_ids.contains(report.period.id.as_str());
    let mut jobs = pages::all_pages(&data);
    jobs.retain(|job| job.report().is_none_or(is_made));
    let pages_done = std::time::Instant::now();

    // Each page is built, rendered and written in one go, jobs in parallel: no page's
    // context, charts or HTML outlives it, even in a job of many pages (a report's
    // versions). Timing "render" therefore includes building and writing the pages.
    let kept_total: usize = kept_pages.iter().flatten().sum();
    let page_count = std::sync::atomic::AtomicUsize::new(kept_total);
    let pages_kept = std::sync::atomic::AtomicUsize::new(kept_total);
    let render = |job: &pages::PageJob<'_>| {
        job.build(&data, &mut |page: pages::Page| {
            let html = theme
                .tera
                .render(page.template, &page.context)
                .map_err(|e| SiteError::Render {
                    page: page.path.clone(),
                    template: page.template.to_owned(),
                    message: error_chain(&e),
                })?;
            if staging.write(&page.path, html.as_bytes())? {
                pages_kept.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            page_count.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            Ok::<(), SiteError>(())
        })
    };
    let overall_label = theme.strings.get("overall");
    let numbers_files = |report: &PeriodReport| {
        let id = &report.period.id;
        let json = &mut |out: &mut dyn std::io::Write| data_files::write_metrics_json(report, out);
        staging.write_with(&urls::report_json(id), json)?;
        for (path, head) in [
            (urls::report_csv(id), CsvHead::Labels(&theme.strings)),
            (urls::report_csv_names(id), CsvHead::Names),
        ] {
            staging.write(&path, &data_files::metrics_csv(report, overall_label, head))?;
        }
        Ok::<(), SiteError>(())
    };
    // An action list can run to many thousand rows.
    let action_files = |report: &PeriodReport| {
        let id = &report.period.id;
        if let Some(csv) = action_file::actions_csv(&data, report) {
            staging.write(&urls::report_actions_csv(id), &csv)?;
        }
        if let Some(csv) = action_file::followups_csv(&data, report) {
            staging.write(&urls::report_followups_csv(id), &csv)?;
        }
        Ok::<(), SiteError>(())
    };
    // A report's pages and files are made together, its departments and sites counted once
    // for them and dropped after, so a build holds the lists of one report at a time, not of
    // all of them. Every job of a group runs, so the error reported is always the one of the
    // first failing page in page order, whichever thread met it first; the staged site is
    // discarded anyway. A page's error is reported before any data file's.
    let mut file_error = None;
    for group in jobs.chunk_by(|a, b| same_report(a.report(), b.report())) {
        let report = group[0].report();
        report.inspect(|r| r.pin());
        let (pages, (numbers, actions)) = rayon::join(
            || {
                (group.par_iter().enumerate())
                    .filter_map(|(i, job)| render(job).err().map(|e| (i, e)))
                    .min_by_key(|(i, _)| *i)
            },
            || {
                rayon::join(
                    || report.map_or(Ok(()), numbers_files),
                    || report.map_or(Ok(()), action_files),
                )
            },
        );
        if let Some(report) = report {
            report.release();
            crate::memory::return_freed();
        }
        if let Some((_, e)) = pages {
            return Err(e);
        }
        if file_error.is_none() {
            file_error = numbers.and(actions).err();
        }
    }
    if let Some(e) = file_error {
        return Err(e);
    }
    // Versions' pages linked from the previous site, not rendered.
    let kept_versions = version_pages.kept();
    let page_count = page_count.into_inner() + kept_versions;
    drop(jobs);

    let render_done = std::time::Instant::now();
    for (name, bytes) in &theme.static_files {
        staging.write(name, bytes)?;
    }
    for survey in input.surveys {
        staging.write(&urls::survey_json(&survey.slug), &data_files::json(survey))?;
    }
    let unused_commentary = content
        .reports
        .iter()
        .filter(|(id, _)| data.report(id).is_none())
        .map(|(_, doc)| doc.file.clone())
        .collect();
    let report_parts = (reports.iter().zip(parts))
        .filter_map(|(r, parts)| Some((r.period.id.clone(), parts?)))
        .collect();
    let summary = SiteSummary {
        pages: page_count,
        pages_kept: pages_kept.into_inner() + kept_versions,
        reports_kept: kept_ids.len(),
        report_parts,
        version_pages: version_pages.into_keys(),
        files: crate::output::FileCounts::default(),
        reports: reports.len(),
        unused_commentary,
        timings: SiteTimings {
            pages: pages_done - started,
            render: render_done - pages_done,
            write: render_done.elapsed(),
        },
    };
    Ok(StagedSite { staging, summary })
}

/// Whether two jobs' pages go in the same report's folder (or both in none).
fn same_report(a: Option<&PeriodReport>, b: Option<&PeriodReport>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => std::ptr::eq(a, b),
        (None, None) => true,
        _ => false,
    }
}

/// Template errors wrap their cause; the cause says which variable or filter failed.
pub(crate) fn error_chain(e: &dyn std::error::Error) -> String {
    let mut message = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    message
}
