use super::Failure;
use crate::cli::{DocumentArgs, ExportArgs, PaperArg};
use huifang::config::Project;
use huifang::export::pdf::{Paper, PdfError};
use huifang::export::{ExportError, Exporter, Format, Options};
use huifang::versions::Store;
use std::path::PathBuf;

pub fn options(args: &DocumentArgs) -> Options {
    Options {
        chromium: args.chromium.clone(),
        paper: match args.paper {
            PaperArg::A4 => Paper::A4,
            PaperArg::Letter => Paper::Letter,
        },
    }
}

pub fn run(args: &ExportArgs) -> Result<(), Failure> {
    let project = Project::load(&args.project.config)?;
    let history = Store::new(project.resolve(&project.config.snapshots_dir))
        .load(&project.root)
        .map_err(|e| Failure::Internal(anyhow::anyhow!(e.to_string())))?;
    for problem in &history.problems {
        eprintln!("warning: snapshot {problem}");
    }
    let formats: Vec<Format> = [(args.docx, Format::Docx), (args.pdf, Format::Pdf)]
        .into_iter()
        .filter_map(|(wanted, format)| wanted.then_some(format))
        .collect();
    let exporter = Exporter::new(&project, &history, options(&args.documents)).map_err(failure)?;
    exporter.check(&formats).map_err(failure)?;

    // Each version is read when its documents are made, one at a time.
    let chosen: Vec<(&str, u32)> = if args.all {
        let latest = history.reports().map(|id| (id, history.latest(id)));
        latest
            .filter_map(|(id, v)| Some((id, v?.version)))
            .collect()
    } else {
        let report = args.report.as_deref();
        vec![super::archive::version_number(
            &history,
            report,
            args.version,
        )?]
    };
    if chosen.is_empty() {
        return Err(Failure::Config(
            "no report versions yet: run `huifang build` first".to_owned(),
        ));
    }
    let dir = args.output.clone().unwrap_or_else(|| PathBuf::from("."));
    std::fs::create_dir_all(&dir)
        .map_err(|e| Failure::Internal(anyhow::anyhow!("creating {}: {e}", dir.display())))?;
    let mut warned = false;
    let mut exported = 0;
    for &(id, number) in &chosen {
        let named;
        let snapshot = if args.all {
            // The exporter reads the latest versions once, for the other reports' pages too.
            // One that cannot be read is named below and left out, as `archive --all`
            // leaves it out; asked for by name, it is the error.
            match exporter.latest(id) {
                Ok(snapshot) => snapshot,
                Err(_) => continue,
            }
        } else {
            named = (history.body(id, number))
                .map_err(|problem| failure(ExportError::Unread(problem)))?;
            &named
        };
        for &format in &formats {
            let bytes = exporter.export(snapshot, format).map_err(failure)?;
            let path = dir.join(Exporter::file_name(snapshot, format));
            super::archive::write(&path, &bytes)?;
            if let Some(warning) = exporter.warning().filter(|_| !warned) {
                eprintln!("warning: {warning}");
                warned = true;
            }
            eprintln!(
                "wrote {} (report {}, version {}, data as of {})",
                path.display(),
                snapshot.report.period.id,
                snapshot.version,
                snapshot.as_of
            );
        }
        exported += 1;
    }
    super::archive::warn_unread(&history);
    if exported == 0 {
        return Err(Failure::Config(
            "no report version could be read: see the warnings above".to_owned(),
        ));
    }
    Ok(())
}

/// The project's content or theme, or a missing program, is for the user to fix (exit 2);
/// anything else is ours.
fn failure(e: ExportError) -> Failure {
    match e {
        e @ (ExportError::Archive(_)
        | ExportError::NoChecksum(_)
        | ExportError::Unread(_)
        | ExportError::Pdf(PdfError::NoChromium | PdfError::NotAProgram(_))) => {
            Failure::Config(e.to_string())
        }
        e => Failure::Internal(e.into()),
    }
}
