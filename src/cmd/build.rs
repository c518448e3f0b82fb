use super::{Failure, print_report};
use crate::cli::BuildArgs;
use huifang::config::Project;
use huifang::metrics::{MetricsSet, accumulate_sources};
use huifang::output::OutputError;
use huifang::site::{SiteError, write_site};
use std::time::Instant;

/// Diagnostics listed per file during a build; `check` lists them all.
const DIAGNOSTICS_SHOWN: usize = 10;

pub fn run(args: &BuildArgs) -> Result<(), Failure> {
    // as-of decides overdue counts while rows stream in, so it is fixed before reading.
    let project = Project::load(&args.project.config)?;
    let as_of = args
        .as_of
        .unwrap_or_else(|| project.config.as_of_or_today());
    let started = Instant::now();
    let (ingest, acc, symbols) = accumulate_sources(&project, as_of)?;
    let read = started.elapsed();
    print_report(&ingest, DIAGNOSTICS_SHOWN);
    if !ingest.failures.is_empty() {
        return Err(Failure::Data(format!(
            "{} file(s) could not be read; nothing was written",
            ingest.failures.len()
        )));
    }
    if args.strict && ingest.rejected() > 0 {
        return Err(Failure::Data(format!(
            "{} row(s) rejected under --strict; nothing was written",
            ingest.rejected()
        )));
    }
    let metrics_started = Instant::now();
    let set = MetricsSet::new(acc, &project.config, &symbols);
    if set.after_as_of > 0 {
        eprintln!(
            "warning: {} record(s) dated after the as-of date {as_of} are in no report",
            set.after_as_of
        );
    }
    let reports = set.reports(&project.config, &symbols);
    let metrics = metrics_started.elapsed();
    let out = match &args.out {
        Some(out) => out.clone(),
        None => project.resolve(&project.config.output_dir),
    };
    match write_site(&project, &out, &reports, &ingest, set.after_as_of) {
        Ok(summary) => {
            for file in &summary.unused_commentary {
                eprintln!("warning: {file}: no report with this id is in the build");
            }
            eprintln!(
                "wrote {}: {} pages, {} reports (data as of {as_of})",
                out.display(),
                summary.pages,
                summary.reports
            );
            if args.timings {
                let t = summary.timings;
                let rendering = t.pages + t.render;
                eprintln!(
                    "timings: read {:.3}s, metrics {:.3}s, pages {:.3}s, render {:.3}s, write {:.3}s; \
                     rendering {:.0} pages/s; total {:.3}s",
                    read.as_secs_f64(),
                    metrics.as_secs_f64(),
                    t.pages.as_secs_f64(),
                    t.render.as_secs_f64(),
                    t.write.as_secs_f64(),
                    summary.pages as f64 / rendering.as_secs_f64().max(1e-9),
                    started.elapsed().as_secs_f64()
                );
            }
        }
        Err(SiteError::Output(e @ OutputError::NotASite(_))) => {
            return Err(Failure::Config(e.to_string()));
        }
        Err(e @ (SiteError::Content(_) | SiteError::Theme(_))) => {
            return Err(Failure::Config(e.to_string()));
        }
        Err(e) => {
            let context = format!("writing the site to {}", out.display());
            return Err(Failure::Internal(anyhow::Error::new(e).context(context)));
        }
    }
    Ok(())
}
