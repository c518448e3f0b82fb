use super::{Failure, print_orders, print_report, print_surveys};
use crate::cli::BuildArgs;
use huifang::build::{BuildError, BuildOptions, BuildOutcome, build};
use huifang::config::Project;
use serde::Serialize;
use std::io::IsTerminal as _;

/// Diagnostics listed per file during a build; `check` lists them all.
const DIAGNOSTICS_SHOWN: usize = 10;
/// New versions named in the summary line; `--summary-json` lists them all.
const VERSIONS_LISTED: usize = 8;

pub fn run(args: &BuildArgs) -> Result<(), Failure> {
    huifang::clock::source_date_epoch().map_err(|e| Failure::Config(e.to_string()))?;
    let project = Project::load(&args.project.config)?;
    let options = BuildOptions {
        out: match &args.out {
            Some(out) => out.clone(),
            None => project.resolve(&project.config.output_dir),
        },
        as_of: args
            .as_of
            .unwrap_or_else(|| project.config.as_of_or_today()),
        strict: args.strict,
        force: args.force,
        accept_history_change: args.accept_history_change,
        lock_wait: std::time::Duration::from_secs(args.lock_wait),
        documents: super::export::options(&args.documents),
    };
    let quiet = args.quiet;
    // A spinner only for a person at a terminal; CI logs get plain lines.
    let spinner = (!quiet && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new_spinner().with_message("building the report site…");
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        bar
    });
    let outcome = build(&project, &options, || {
        if !quiet {
            eprintln!("waiting for another huifang build of this project to finish…");
        }
    });
    if let Some(bar) = spinner {
        bar.finish_and_clear();
    }
    let summary = match outcome {
        Ok(BuildOutcome::UpToDate {
            snapshot_problems,
            unmasked_snapshots,
        }) => {
            if !quiet {
                eprintln!(
                    "{} is up to date: inputs, settings and huifang are unchanged (--force rebuilds)",
                    options.out.display()
                );
            }
            for problem in &snapshot_problems {
                eprintln!("warning: snapshot {problem}");
            }
            warn_unmasked(&unmasked_snapshots);
            write_summary(
                args,
                &Summary::up_to_date(snapshot_problems, unmasked_snapshots),
            )?;
            return Ok(());
        }
        Ok(BuildOutcome::Built(summary)) => summary,
        Err(BuildError::Data {
            message,
            ingest,
            orders,
        }) => {
            let shown = if quiet { 0 } else { DIAGNOSTICS_SHOWN };
            print_report(&ingest, shown, false);
            print_orders(&orders, shown, false);
            return Err(Failure::Data(message));
        }
        Err(BuildError::Config(message)) => return Err(Failure::Config(message)),
        Err(BuildError::Internal(message)) => {
            return Err(Failure::Internal(anyhow::anyhow!(message)));
        }
    };
    if !quiet {
        print_report(&summary.ingest, DIAGNOSTICS_SHOWN, false);
        print_orders(&summary.orders, DIAGNOSTICS_SHOWN, false);
        print_surveys(&summary.survey_files, DIAGNOSTICS_SHOWN);
    }
    for problem in &summary.snapshot_problems {
        eprintln!("warning: snapshot {problem}");
    }
    warn_unmasked(&summary.unmasked_snapshots);
    if summary.after_as_of > 0 {
        eprintln!(
            "warning: {} record(s) dated after the as-of date {} are in no report",
            summary.after_as_of, options.as_of
        );
    }
    if summary.unknown_orders > 0 {
        eprintln!(
            "warning: {} visit(s) name a work order (关联工单 …) that no [[orders]] file has; \
             they follow up nothing. Check that every order export is listed",
            summary.unknown_orders
        );
    }
    if summary.orders_after_as_of > 0 {
        eprintln!(
            "warning: {} work order(s) completed after the as-of date {} are in no report",
            summary.orders_after_as_of, options.as_of
        );
    }
    for file in &summary.site.unused_commentary {
        eprintln!("warning: {file}: no report with this id is in the build");
    }
    if let Some(warning) = summary.documents.warning {
        eprintln!("warning: {warning}");
    }
    if !quiet {
        let versions: Vec<String> = summary
            .new_versions
            .iter()
            .map(|(id, v)| format!("{id} v{v}"))
            .collect();
        match versions.len() {
            0 => {}
            n if n <= VERSIONS_LISTED => eprintln!("new versions: {}", versions.join(", ")),
            n => eprintln!(
                "new versions: {}, and {} more",
                versions[..VERSIONS_LISTED].join(", "),
                n - VERSIONS_LISTED
            ),
        }
        let site = &summary.site;
        // After a first build everything is written: the split says nothing then.
        let pages = match site.files.kept {
            0 => format!("{} pages", site.pages),
            _ => format!(
                "{} pages ({} written, {} unchanged)",
                site.pages,
                site.pages - site.pages_kept,
                site.pages_kept
            ),
        };
        eprintln!(
            "wrote {}: {pages}, {} reports (data as of {})",
            options.out.display(),
            site.reports,
            options.as_of
        );
        if site.files.kept > 0 {
            eprintln!(
                "files: {} written, {} unchanged and kept from the previous site",
                site.files.written, site.files.kept
            );
        }
        if site.reports_kept > 0 {
            eprintln!(
                "reports: {} unchanged, their folders kept without rendering a page",
                site.reports_kept
            );
        }
        let documents = summary.documents;
        if documents.made + documents.kept > 0 {
            eprintln!(
                "documents: {} made, {} unchanged and kept from the previous site ({:.1}s)",
                documents.made,
                documents.kept,
                summary.export.as_secs_f64()
            );
        }
    }
    if args.timings {
        let t = summary.site.timings;
        let rendering = t.pages + t.render;
        eprintln!(
            "timings: hash {:.3}s, read {:.3}s, metrics {:.3}s, history {:.3}s, pages {:.3}s, \
             render {:.3}s, write {:.3}s, finish {:.3}s; rendering {:.0} pages/s",
            summary.hash.as_secs_f64(),
            summary.read.as_secs_f64(),
            summary.metrics.as_secs_f64(),
            summary.history.as_secs_f64(),
            t.pages.as_secs_f64(),
            t.render.as_secs_f64(),
            t.write.as_secs_f64(),
            summary.finish.as_secs_f64(),
            summary.site.pages as f64 / rendering.as_secs_f64().max(1e-9),
        );
    }
    write_summary(args, &Summary::of(&summary))
}

/// `--summary-json`: what a CI step needs to know, machine-readable.
#[derive(Serialize, Default)]
struct Summary {
    up_to_date: bool,
    /// Row counts are `null` when the build was skipped: nothing was read.
    rows_read: Option<u64>,
    accepted: Option<u64>,
    rejected: Option<u64>,
    warnings: Option<u64>,
    files: Vec<FileSummary>,
    /// The work-order files (`[[orders]]`), when there are any; their rows are not in the
    /// counts above, which are the visit logs'.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    order_files: Vec<FileSummary>,
    reports: usize,
    pages: usize,
    /// Pages and files whose bytes changed or are new; the others were kept from the previous
    /// site (same inode and time), so a sync or CDN push has only these to send.
    pages_written: usize,
    files_written: usize,
    files_unchanged: usize,
    /// Reports whose inputs were unchanged: their folders were kept whole, no page rendered.
    reports_unchanged: usize,
    new_versions: Vec<NewVersion>,
    snapshot_problems: Vec<String>,
    /// Snapshots an older huifang wrote holding what the current masking hides.
    unmasked_snapshots: Vec<String>,
}

#[derive(Serialize)]
struct FileSummary {
    path: String,
    rows_read: u64,
    accepted: u64,
    rejected: u64,
    warnings: u64,
}

#[derive(Serialize)]
struct NewVersion {
    report: String,
    version: u32,
}

impl FileSummary {
    fn of(f: &huifang::ingest::FileReport) -> FileSummary {
        FileSummary {
            path: f.path.clone(),
            rows_read: f.rows_read,
            accepted: f.accepted,
            rejected: f.rejected,
            warnings: f.warnings,
        }
    }
}

/// Names the snapshots holding text this huifang masks.
fn warn_unmasked(unmasked: &[String]) {
    if let Some(first) = unmasked.first() {
        let more = match unmasked.len() - 1 {
            0 => String::new(),
            n => format!(" and {n} more"),
        };
        eprintln!(
            "warning: snapshot {first}{more} hold personal data that this huifang masks (an older \
             one wrote them); the pages show it masked, the files still hold it: run \
             `huifang privacy-scan` on the snapshots folder before publishing it"
        );
    }
}

impl Summary {
    fn up_to_date(snapshot_problems: Vec<String>, unmasked_snapshots: Vec<String>) -> Summary {
        Summary {
            up_to_date: true,
            snapshot_problems,
            unmasked_snapshots,
            ..Summary::default()
        }
    }

    fn of(s: &huifang::build::BuildSummary) -> Summary {
        let i = &s.ingest;
        Summary {
            up_to_date: false,
            rows_read: Some(i.rows_read()),
            accepted: Some(i.accepted()),
            rejected: Some(i.rejected()),
            warnings: Some(i.warnings()),
            files: i.files.iter().map(FileSummary::of).collect(),
            order_files: s.orders.files.iter().map(FileSummary::of).collect(),
            reports: s.site.reports,
            pages: s.site.pages,
            pages_written: s.site.pages - s.site.pages_kept,
            files_written: s.site.files.written,
            files_unchanged: s.site.files.kept,
            reports_unchanged: s.site.reports_kept,
            new_versions: s
                .new_versions
                .iter()
                .map(|(report, version)| NewVersion {
                    report: report.clone(),
                    version: *version,
                })
                .collect(),
            snapshot_problems: s
                .snapshot_problems
                .iter()
                .map(ToString::to_string)
                .collect(),
            unmasked_snapshots: s.unmasked_snapshots.clone(),
        }
    }
}

fn write_summary(args: &BuildArgs, summary: &Summary) -> Result<(), Failure> {
    let Some(path) = &args.summary_json else {
        return Ok(());
    };
    let mut bytes = serde_json::to_vec_pretty(summary).expect("the summary serialises");
    bytes.push(b'\n');
    std::fs::write(path, bytes)
        .map_err(|e| Failure::Internal(anyhow::anyhow!("writing {}: {e}", path.display())))
}
