//! Documents published beside the pages: each report's latest version in the formats the
//! config's `exports` names, in `reports/<id>/`, listed with the key each was made from in
//! [`MANIFEST`]. The next build copies a document whose key is unchanged from the site it
//! replaces instead of making it again: printing a page through Chromium takes seconds.

use super::{ExportError, Exporter, Format};
use crate::site::StagedSite;
use crate::versions::store::SnapshotBody;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// The list of published documents and their keys, relative to the site.
pub const MANIFEST: &str = "reports/exports.json";

#[derive(Debug, Default, Serialize, Deserialize)]
struct Manifest {
    /// Path in the site → key (see [`Exporter::key`]).
    documents: BTreeMap<String, String>,
}

/// What a build did with its documents.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Published {
    /// Made anew: their report, commentary, theme or huifang changed, or they are new.
    pub made: usize,
    /// Copied from the previous site, unchanged.
    pub kept: usize,
    /// What the documents made lack (see [`Exporter::warning`]).
    pub warning: Option<&'static str>,
}

/// The path in the site of a version's document: `reports/2026-Q3/2026-Q3-v2.docx`.
pub fn path(snapshot: &SnapshotBody, format: Format) -> String {
    format!(
        "reports/{}/{}",
        snapshot.report.period.id,
        Exporter::file_name(snapshot, format)
    )
}

/// Writes `formats` of the latest version of every one of `reports` into `staged`, copying
/// from the site at `previous` what is unchanged, and the manifest. Each version is read when
/// its documents are made and dropped after, so a build holds a few at a time.
pub fn publish(
    exporter: &Exporter<'_>,
    reports: &[&str],
    formats: &[Format],
    previous: &Path,
    staged: &StagedSite,
) -> Result<Published, ExportError> {
    if formats.is_empty() {
        return Ok(Published::default());
    }
    exporter.check(formats)?;
    let before: Manifest = std::fs::read(previous.join(MANIFEST))
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default();
    let document = |snapshot: &SnapshotBody, format: Format| {
        let at = path(snapshot, format);
        let source = exporter.source(snapshot, format)?;
        let key = exporter.key(snapshot, &source)?;
        let kept = (before.documents.get(&at) == Some(&key))
            .then(|| std::fs::read(previous.join(&at)).ok())
            .flatten();
        let copied = kept.is_some();
        let bytes = match kept {
            Some(bytes) => bytes,
            None => exporter.make(snapshot, &source)?,
        };
        staged.write(&at, &bytes).map_err(|e| ExportError::Write {
            path: at.clone(),
            message: e.to_string(),
        })?;
        Ok((at, key, copied))
    };
    // Each document: its path, its key, and whether it was copied. Errors come back in
    // report and format order, so the one reported is the same whichever thread met it first.
    let done: Vec<Result<(String, String, bool), ExportError>> = reports
        .par_iter()
        .flat_map_iter(|&id| match exporter.latest(id) {
            Ok(snapshot) => (formats.iter())
                .map(|&format| document(snapshot, format))
                .collect::<Vec<_>>(),
            Err(e) => vec![Err(e)],
        })
        .collect();
    let mut manifest = Manifest::default();
    let mut published = Published::default();
    for result in done {
        let (at, key, copied) = result?;
        if copied {
            published.kept += 1;
        } else {
            published.made += 1;
        }
        manifest.documents.insert(at, key);
    }
    published.warning = exporter.warning();
    let mut json = serde_json::to_vec_pretty(&manifest).unwrap_or_default();
    json.push(b'\n');
    staged
        .write(MANIFEST, &json)
        .map_err(|e| ExportError::Write {
            path: MANIFEST.to_owned(),
            message: e.to_string(),
        })?;
    Ok(published)
}
