//! `huifang partials`: the visit logs counted into the partial tables (docs/partials.md).

use super::{Failure, print_report};
use crate::cli::{PartialsArgs, TablesFormat};
use huifang::config::Project;
use huifang::metrics::partial_tables::{self, Format, VISITS, VisitsWriter};
use huifang::model::Symbols;
use std::path::Path;

/// Problems listed per file, as `build` lists them.
const DIAGNOSTICS_SHOWN: usize = 10;

pub fn run(args: &PartialsArgs) -> Result<(), Failure> {
    let project = Project::load(&args.project.config)?;
    let config = &project.config;
    if config.sources.is_empty() {
        return Err(Failure::Config(format!(
            "{} lists no visit logs (`[[sources]]`) to count",
            args.project.config.display()
        )));
    }
    if args.canonical {
        return canonical(&project, &args.out);
    }
    let format = match args.format {
        TablesFormat::Csv => Format::Csv,
        TablesFormat::Parquet if partial_tables::PARQUET => Format::Parquet,
        TablesFormat::Parquet => {
            return Err(Failure::Config(
                "this huifang was built without Parquet: build it with the `parquet` feature \
                 (on by default), or write --format csv"
                    .to_owned(),
            ));
        }
    };
    let as_of = args.as_of.unwrap_or_else(|| config.as_of_or_today());
    let (report, acc, symbols) = huifang::build::accumulate_sources(&project, as_of)?;
    print_report(&report, DIAGNOSTICS_SHOWN, false);
    if !report.failures.is_empty() {
        return Err(Failure::Data(format!(
            "{} file(s) could not be read; nothing was written",
            report.failures.len()
        )));
    }
    let tables = partial_tables::write(&acc, &symbols, config, format)
        .map_err(|e| Failure::Internal(e.into()))?;
    let out = &args.out;
    let cannot =
        |e: std::io::Error| Failure::Config(format!("cannot write {}: {e}", out.display()));
    std::fs::create_dir_all(out).map_err(cannot)?;
    for table in &tables {
        std::fs::write(out.join(&table.name), &table.bytes).map_err(cannot)?;
    }
    let sizes: Vec<String> = (tables.iter())
        .map(|t| format!("{} {} bytes", t.name, t.bytes.len()))
        .collect();
    eprintln!(
        "wrote {} (as of {as_of}): {}",
        out.display(),
        sizes.join(", ")
    );
    // What the tables do not carry yet (docs/partials.md, "Not carried yet").
    let mut missing = Vec::new();
    if !config.orders.is_empty() {
        missing.push("work-order coverage (回访率, [[orders]])");
    }
    if acc.households.keyed().next().is_some() {
        missing.push("household coverage (走访覆盖率)");
    }
    if config.publish_staff {
        missing.push("numbers per 回访人 (publish_staff)");
    }
    if !missing.is_empty() {
        eprintln!(
            "note: the tables do not carry {}: a build from them reports none",
            missing.join(", ")
        );
    }
    Ok(())
}

/// `--canonical`: every accepted visit as the canonical visits table, `DIR/visits.csv`.
fn canonical(project: &Project, out: &Path) -> Result<(), Failure> {
    let mut symbols = Symbols::default();
    let mut records = Vec::new();
    let report = huifang::ingest::ingest(project, &mut symbols, &mut |r| records.push(r))?;
    print_report(&report, DIAGNOSTICS_SHOWN, false);
    if !report.failures.is_empty() {
        return Err(Failure::Data(format!(
            "{} file(s) could not be read; nothing was written",
            report.failures.len()
        )));
    }
    let internal = |e: std::io::Error| Failure::Internal(e.into());
    let mut table = VisitsWriter::new(&project.config).map_err(internal)?;
    for record in &records {
        table.add(record, &symbols).map_err(internal)?;
    }
    let rows = table.rows();
    let bytes = table.finish().map_err(internal)?;
    let cannot =
        |e: std::io::Error| Failure::Config(format!("cannot write {}: {e}", out.display()));
    std::fs::create_dir_all(out).map_err(cannot)?;
    let path = out.join(VISITS);
    std::fs::write(&path, &bytes).map_err(cannot)?;
    eprintln!(
        "wrote {} ({rows} visits, {} bytes): the canonical visits table for `huifang sql`; it \
         holds record ids and comments, personal data not to be published",
        path.display(),
        bytes.len()
    );
    Ok(())
}
