use super::{Failure, print_orders, print_report, print_surveys};
use crate::cli::CheckArgs;
use huifang::config::Project;

pub fn run(args: &CheckArgs) -> Result<(), Failure> {
    let project = Project::load(&args.project.config)?;
    let sinks = huifang::ingest::Sinks::new(|| (), |_, _| {}, |_, _, _| {});
    let (report, _) = huifang::ingest::ingest_parallel(&project, &sinks)?;
    print_report(&report, usize::MAX, true);
    let mut symbols = huifang::model::Symbols::default();
    let orders = huifang::ingest::orders::read_orders(&project, &mut symbols)?.report;
    print_orders(&orders, usize::MAX, true);
    // The survey exports, read as a build reads them: a missing one is a configuration error
    // there and here, an unreadable one a data error.
    huifang::survey::input_files(&project).map_err(|e| Failure::Config(e.to_string()))?;
    let surveys = huifang::survey::reports(&project).map_err(|e| Failure::Data(e.to_string()))?;
    print_surveys(&surveys.files, usize::MAX);
    let survey_warnings: usize = surveys.files.iter().map(|f| f.warnings.len()).sum();
    // The history too: a build reports its problems, `check` fails on them.
    let snapshots = project.resolve(&project.config.snapshots_dir);
    let mut history = huifang::versions::Store::new(snapshots.clone())
        .load(&project.root)
        .map_err(|e| Failure::Internal(anyhow::anyhow!(e.to_string())))?;
    // Against the latest versions the built site records, as a build checks them.
    let out = project.resolve(&project.config.output_dir);
    let heads = huifang::output::stored_keys(&out).heads;
    history.check_heads(&heads, &snapshots, &project.root, &out);
    // Every version is read whole, as a page or a document would read it.
    let ids: Vec<String> = history.reports().map(str::to_owned).collect();
    for id in &ids {
        // A failure is kept in the history's unread list.
        history.bodies(id).for_each(drop);
    }
    history.problems.extend(history.unread());
    history.problems.sort_by(|a, b| a.path.cmp(&b.path));
    for problem in &history.problems {
        eprintln!("snapshot {problem}");
    }
    let failures = report.failures.len() + orders.failures.len();
    if failures > 0 {
        return Err(Failure::Data(format!(
            "{failures} file(s) could not be read"
        )));
    }
    if !history.problems.is_empty() {
        return Err(Failure::Data(format!(
            "{} problem(s) in the history of report versions (the snapshots folder)",
            history.problems.len()
        )));
    }
    let rejected = report.rejected() + orders.rejected();
    if rejected > 0 {
        return Err(Failure::Data(format!("{rejected} row(s) rejected")));
    }
    let warnings = report.warnings() + orders.warnings() + survey_warnings as u64;
    if args.strict && warnings > 0 {
        return Err(Failure::Data(format!(
            "{warnings} warning(s) under --strict"
        )));
    }
    eprintln!("ok");
    Ok(())
}
