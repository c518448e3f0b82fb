use super::{Failure, ingest_project};
use crate::cli::CheckArgs;
use huifang::config::Project;

pub fn run(args: &CheckArgs) -> Result<(), Failure> {
    let project = Project::load(&args.project.config)?;
    let (_, report) = ingest_project(&project, usize::MAX, &mut |_| {})?;
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
