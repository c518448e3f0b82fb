use super::Failure;
use crate::cli::ArchiveArgs;
use huifang::archive::{ArchiveMeta, self_contained, tar_gz};
use huifang::config::Project;
use huifang::versions::Store;
use huifang::versions::store::SnapshotBody;
use std::path::{Path, PathBuf};

pub fn run(args: &ArchiveArgs) -> Result<(), Failure> {
    let project = Project::load(&args.project.config)?;
    let site = match &args.site {
        Some(dir) => dir.clone(),
        None => project.resolve(&project.config.output_dir),
    };
    let history = Store::new(project.resolve(&project.config.snapshots_dir))
        .load(&project.root)
        .map_err(|e| Failure::Internal(anyhow::anyhow!(e.to_string())))?;
    for problem in &history.problems {
        eprintln!("warning: snapshot {problem}");
    }
    let css = read(&site.join("style.css"))?;

    if args.all {
        let mut entries = Vec::new();
        for (id, versions) in &history.versions {
            let chosen: Vec<&SnapshotBody> = if args.all_versions {
                versions.iter().collect()
            } else {
                versions.last().into_iter().collect()
            };
            for snapshot in chosen {
                let html = archive_one(&site, &css, snapshot)?;
                entries.push((
                    format!("{id}/v{}.html", snapshot.version),
                    html.into_bytes(),
                ));
            }
        }
        if entries.is_empty() {
            return Err(Failure::Config(
                "no report versions yet: run `huifang build` first".to_owned(),
            ));
        }
        let bytes = tar_gz(&entries).map_err(|e| Failure::Internal(e.into()))?;
        let out = args
            .output
            .clone()
            .unwrap_or_else(|| PathBuf::from("huifang-reports.tar.gz"));
        write(&out, &bytes)?;
        eprintln!("wrote {} ({} report pages)", out.display(), entries.len());
        return Ok(());
    }

    let id = args.report.as_deref().unwrap_or_default();
    let versions = history
        .versions
        .get(id)
        .ok_or_else(|| Failure::Config(format!("no versions of report `{id}`; build first, or check the id (e.g. 2026-11, 2026-Q3, 2026)")))?;
    let snapshot = match args.version {
        None => versions
            .last()
            .expect("a report in the store has a version"),
        Some(n) => versions.iter().find(|s| s.version == n).ok_or_else(|| {
            let known: Vec<String> = versions.iter().map(|s| s.version.to_string()).collect();
            Failure::Config(format!(
                "report {id} has no version {n} (versions: {})",
                known.join(", ")
            ))
        })?,
    };
    let html = archive_one(&site, &css, snapshot)?;
    let out = args
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("{id}-v{}.html", snapshot.version)));
    write(&out, html.as_bytes())?;
    eprintln!(
        "wrote {} (report {id}, version {}, data as of {})",
        out.display(),
        snapshot.version,
        snapshot.as_of
    );
    Ok(())
}

/// The version's page from the built site, with its CSS inline and nothing external.
fn archive_one(site: &Path, css: &str, snapshot: &SnapshotBody) -> Result<String, Failure> {
    let id = &snapshot.report.period.id;
    let page = read(
        &site
            .join("reports")
            .join(id)
            .join(format!("v{}", snapshot.version))
            .join("index.html"),
    )?;
    let meta = ArchiveMeta {
        report_id: id,
        version: snapshot.version,
        as_of: &snapshot.as_of.to_string(),
        built_with: concat!("huifang ", env!("CARGO_PKG_VERSION")),
    };
    self_contained(&page, css, &meta)
        .map_err(|e| Failure::Internal(anyhow::anyhow!("{id} v{}: {e}", snapshot.version)))
}

fn read(path: &Path) -> Result<String, Failure> {
    std::fs::read_to_string(path).map_err(|e| {
        Failure::Config(format!(
            "{}: {e}; run `huifang build` first (or pass --site)",
            path.display()
        ))
    })
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    std::fs::write(path, bytes)
        .map_err(|e| Failure::Internal(anyhow::anyhow!("writing {}: {e}", path.display())))
}
