use super::{Failure, load_and_ingest};
use crate::cli::CheckArgs;

pub fn run(args: &CheckArgs) -> Result<(), Failure> {
    let (_, _, report) = load_and_ingest(&args.project.config, usize::MAX, &mut |_| {})?;
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
