//! `huifang privacy-scan PATH…`: lists every personal value found, masked, with file and line.

use super::Failure;
use crate::cli::PrivacyScanArgs;
use std::io::Write as _;

pub fn run(args: &PrivacyScanArgs) -> Result<(), Failure> {
    for path in &args.paths {
        if !path.exists() {
            return Err(Failure::Config(format!(
                "{}: no such file or folder",
                path.display()
            )));
        }
    }
    let report = huifang::privacy::scan::scan(&args.paths)
        .map_err(|e| Failure::Internal(anyhow::anyhow!("scanning: {e}")))?;
    let mut out = std::io::stdout().lock();
    for f in &report.findings {
        let line = writeln!(
            out,
            "{}:{}:{}: {}: {}",
            f.file, f.line, f.found.column, f.found.kind, f.found.masked
        );
        // A reader that stopped (`| head`) has seen enough; the exit code still tells.
        if line.is_err() {
            break;
        }
    }
    let skipped = match report.skipped_binary.len() {
        0 => String::new(),
        n => {
            let names = report.skipped_binary.join(", ");
            eprintln!("privacy-scan: not text, not read: {names}");
            format!(" ({n} file(s) that are not text skipped)")
        }
    };
    if report.findings.is_empty() {
        eprintln!(
            "privacy-scan: no personal data found in {} file(s){skipped}",
            report.files
        );
        return Ok(());
    }
    let files: std::collections::BTreeSet<&str> =
        report.findings.iter().map(|f| f.file.as_str()).collect();
    Err(Failure::Data(format!(
        "privacy-scan: {} personal value(s) in {} of {} file(s){skipped}; each is listed above, masked",
        report.findings.len(),
        files.len(),
        report.files
    )))
}
