use super::{Failure, print_report};
use crate::cli::CheckArgs;
use huifang::config::Project;

pub fn run(args: &CheckArgs) -> Result<(), Failure> {
    let project = Project::load(&args.project.config)?;
    let sinks = huifang::ingest::Sinks::new(|| (), |_, _| {}, |_, _, _| {});
    let (report, _) = huifang::ingest::ingest_parallel(&project, &sinks)?;
    print_report(&report, usize::MAX, true);
    // The history too: a build reports its problems, `check` fails on them.
    let snapshots = project.resolve(&project.config.snapshots_dir);
    let history = huifang::versions::Store::new(snapshots)
        .load(&project.root)
        .map_err(|e| Failure::Internal(anyhow::anyhow!(e.to_string())))?;
    for problem in &history.problems {
        eprintln!("snapshot {problem}");
    }
    if !report.failures.is_empty() {
        return Err(Failure::Data(format!(
            "{} file(s) could not be read",
            report.failures.len()
        )));
    }
    if !history.problems.is_empty() {
        return Err(Failure::Data(format!(
            "{} problem(s) in the history of report versions (the snapshots folder)",
            history.problems.len()
        )));
    }
    if report.rejected() > 0 {
        return Err(Failure::Data(format!(
            "{} row(s) rejected",
            report.rejected()
        )));
    }
    if args.strict && report.warnings() > 0 {
        return Err(Failure::Data(format!(
            "{} warning(s) under --strict",
            report.warnings()
        )));
    }
    eprintln!("ok");
    Ok(())
}
