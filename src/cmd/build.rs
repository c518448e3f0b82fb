use super::{Failure, load_and_ingest};
use crate::cli::BuildArgs;
use huifang::output::OutputError;
use huifang::site::{Overview, SiteError, write_site};

/// Diagnostics listed per file during a build; `check` lists them all.
const DIAGNOSTICS_SHOWN: usize = 10;

pub fn run(args: &BuildArgs) -> Result<(), Failure> {
    let mut overview = Overview::default();
    let (project, symbols, report) =
        load_and_ingest(&args.project.config, DIAGNOSTICS_SHOWN, &mut |r| {
            overview.add(&r)
        })?;
    if !report.failures.is_empty() {
        return Err(Failure::Data(format!(
            "{} file(s) could not be read; nothing was written",
            report.failures.len()
        )));
    }
    if args.strict && report.rejected() > 0 {
        return Err(Failure::Data(format!(
            "{} row(s) rejected under --strict; nothing was written",
            report.rejected()
        )));
    }
    let as_of = args
        .as_of
        .unwrap_or_else(|| project.config.as_of_or_today());
    let out = match &args.out {
        Some(out) => out.clone(),
        None => project.resolve(&project.config.output_dir),
    };
    match write_site(&project, &out, as_of, &overview, &symbols, &report) {
        Ok(()) => {}
        Err(SiteError::Output(e @ OutputError::NotASite(_))) => {
            return Err(Failure::Config(e.to_string()));
        }
        Err(e) => {
            let context = format!("writing the site to {}", out.display());
            return Err(Failure::Internal(anyhow::Error::new(e).context(context)));
        }
    }
    eprintln!("wrote {} (data as of {as_of})", out.display());
    Ok(())
}
