use super::Failure;
use crate::cli::ArchiveArgs;
use huifang::archive::{ArchiveError, Archiver, entry_name, staff_entry_name, tar_gz};
use huifang::config::Project;
use huifang::metrics::coverage::CoverageSet;
use huifang::metrics::staff::StaffSet;
use huifang::versions::Store;
use huifang::versions::store::{History, SnapshotBody};
use std::path::{Path, PathBuf};

pub fn run(args: &ArchiveArgs) -> Result<(), Failure> {
    let project = Project::load(&args.project.config)?;
    if args.site.is_some() {
        eprintln!(
            "warning: --site is ignored: archives are rendered from the snapshots and the \
             project's templates, not read from a built site"
        );
    }
    let history = Store::new(project.resolve(&project.config.snapshots_dir))
        .load(&project.root)
        .map_err(|e| Failure::Internal(anyhow::anyhow!(e.to_string())))?;
    for problem in &history.problems {
        eprintln!("warning: snapshot {problem}");
    }
    let archiver = Archiver::new(&project, &history).map_err(failure)?;
    let staff = if args.staff {
        Some(staff_numbers(&project)?)
    } else {
        None
    };

    if args.all {
        let mut entries = Vec::new();
        for id in history.reports() {
            let versions = history.versions(id);
            let chosen = if args.all_versions {
                versions
            } else {
                &versions[versions.len() - 1..]
            };
            for info in chosen {
                // One that cannot be read is named below and left out, as one that failed
                // its check on loading is.
                let Ok(snapshot) = history.body(id, info.version) else {
                    continue;
                };
                let snapshot = &snapshot;
                let html = archiver.page(snapshot).map_err(failure)?;
                entries.push((entry_name(snapshot), html.into_bytes()));
                if let Some(staff) = &staff {
                    let html = archiver.staff_page(snapshot, staff).map_err(failure)?;
                    entries.push((staff_entry_name(snapshot), html.into_bytes()));
                }
            }
        }
        if entries.is_empty() {
            warn_unread(&history);
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
        warn_unread(&history);
        return Ok(());
    }

    let snapshot = version(&history, args.report.as_deref(), args.version)?;
    let snapshot = &snapshot;
    let id = &snapshot.report.period.id;
    let html = archiver.page(snapshot).map_err(failure)?;
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
    if let Some(staff) = &staff {
        let html = archiver.staff_page(snapshot, staff).map_err(failure)?;
        let out = staff_file(&out);
        write(&out, html.as_bytes())?;
        eprintln!(
            "wrote {} (internal: numbers per staff member of report {id}, data as of {})",
            out.display(),
            staff.as_of
        );
    }
    warn_unread(&history);
    Ok(())
}

/// The numbers per 回访人 of the data as it is now, for `--staff`: only in a project that
/// publishes them.
fn staff_numbers(project: &Project) -> Result<StaffSet, Failure> {
    if !project.config.publish_staff {
        return Err(Failure::Config(
            "--staff: numbers per staff member are personal data, and this project does not \
             publish them; set `publish_staff = true` in the config to archive them"
                .to_owned(),
        ));
    }
    let as_of = project.config.as_of_or_today();
    let read = huifang::build::read_visits_and_orders(project, as_of).map_err(Failure::Config)?;
    let failures = read
        .ingest
        .failures
        .iter()
        .chain(&read.order_report.failures);
    if let Some(failure) = failures.into_iter().next() {
        return Err(Failure::Data(format!(
            "--staff: the visit logs and work orders could not all be read: {failure}"
        )));
    }
    let config = &project.config;
    let followups = read.orders.and_then(|orders| {
        let links = &read.acc.links;
        CoverageSet::new(&orders, links, config, &read.symbols, as_of).staff
    });
    let partials = read.acc.staff.unwrap_or_default();
    Ok(StaffSet::new(&partials, &read.symbols, as_of).with_followups(followups))
}

/// Where the staff page of an archive written to `out` goes: `q3.html` → `q3-staff.html`.
fn staff_file(out: &Path) -> PathBuf {
    let stem = out.file_stem().unwrap_or_default().to_string_lossy();
    out.with_file_name(format!("{stem}-staff.html"))
}

/// Names the versions that passed their check on loading but could not be read when a page
/// asked for them (they were left out).
pub fn warn_unread(history: &History) {
    for problem in history.unread() {
        eprintln!("warning: snapshot {problem}");
    }
}

/// Every way an archive fails to render comes from the project: its theme, templates or
/// content.
fn failure(e: ArchiveError) -> Failure {
    Failure::Config(e.to_string())
}

/// Version `number` (default: the latest) of report `id` in `history`, or a message saying
/// which versions there are.
pub fn version(
    history: &History,
    id: Option<&str>,
    number: Option<u32>,
) -> Result<SnapshotBody, Failure> {
    let (id, number) = version_number(history, id, number)?;
    history
        .body(id, number)
        .map_err(|problem| Failure::Config(format!("snapshot {problem}")))
}

/// The report and number of version `number` (default: the latest) of report `id` in
/// `history`, as [`version`] finds it, without reading it.
pub fn version_number<'i>(
    history: &History,
    id: Option<&'i str>,
    number: Option<u32>,
) -> Result<(&'i str, u32), Failure> {
    let id = id.unwrap_or_default();
    let versions = Some(history.versions(id))
        .filter(|versions| !versions.is_empty())
        .ok_or_else(|| Failure::Config(format!("no versions of report `{id}`; build first, or check the id (e.g. 2026-11, 2026-Q3, 2026)")))?;
    let found = match number {
        None => versions.last(),
        Some(n) => versions.iter().find(|s| s.version == n),
    }
    .ok_or_else(|| {
        let known: Vec<String> = versions.iter().map(|s| s.version.to_string()).collect();
        Failure::Config(format!(
            "report {id} has no version {} (versions: {})",
            number.unwrap_or_default(),
            known.join(", ")
        ))
    })?;
    Ok((id, found.version))
}

/// Writes `bytes` to `path` whole or not at all: into a temporary file beside it, renamed over
/// it once complete, so a failure or a kill never leaves half a document.
pub fn write(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    let failed =
        |e: std::io::Error| Failure::Internal(anyhow::anyhow!("writing {}: {e}", path.display()));
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut file = tempfile::NamedTempFile::new_in(dir).map_err(failed)?;
    std::io::Write::write_all(&mut file, bytes).map_err(failed)?;
    file.persist(path).map_err(|e| failed(e.error))?;
    Ok(())
}
