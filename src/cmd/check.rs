use super::{Failure, print_report};
use crate::cli::CheckArgs;
use huifang::config::Project;

pub fn run(args: &CheckArgs) -> Result<(), Failure> {
    let project = Project::load(&args.project.config)?;
    let sinks = huifang::ingest::Sinks::new(|| (), |_, _| {}, |_, _, _| {});
    let (report, _) = huifang::ingest::ingest_parallel(&project, &sinks)?;
    print_report(&report, usize::MAX, true);
    if !report.failures.is_empty() {
        return Err(Failure::Data(format!(
            "{} file(s) could not be read",
            report.failures.len()
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
