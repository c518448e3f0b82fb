//! Reports as documents to hand in: a PDF printed from the report page (see [`pdf`]) and a
//! Word file written from its outline. Both are made from a version in the snapshot store, as
//! its [archive](crate::archive) is, so a document names exactly one version and shows what the
//! site showed for it.

pub mod docx;
pub mod pdf;
pub mod raster;
pub mod site;

use crate::archive::{ArchiveError, Archiver};
use crate::config::Project;
use crate::site::outline::Outline;
use crate::versions::store::{History, SnapshotBody};
use sha2::{Digest, Sha256};
use std::path::PathBuf;

/// The program that writes the documents, as their properties name it.
pub const GENERATOR: &str = concat!("huifang ", env!("CARGO_PKG_VERSION"));

pub use crate::config::DocumentFormat as Format;

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Archive(#[from] ArchiveError),
    #[error(transparent)]
    Pdf(#[from] pdf::PdfError),
    #[error("writing the Word file of {report}: {message}")]
    Docx { report: String, message: String },
    #[error("report {0} has no checksum in the snapshot store; build first")]
    NoChecksum(String),
    #[error("snapshot {0}")]
    Unread(crate::versions::store::Problem),
    #[error("writing {path} into the site: {message}")]
    Write { path: String, message: String },
}

/// How documents are made.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The Chromium to print with (default: found on `PATH`); only PDFs need one.
    pub chromium: Option<PathBuf>,
    pub paper: pdf::Paper,
}

/// Makes documents of one project's report versions.
pub struct Exporter<'a> {
    archiver: Archiver<'a>,
    history: &'a History,
    options: Options,
    /// Found on first use: a Word export needs no browser.
    chromium: std::sync::OnceLock<PathBuf>,
    /// The system's fonts, loaded on first use: a PDF needs none of ours.
    charts: std::sync::OnceLock<raster::Charts>,
}

impl<'a> Exporter<'a> {
    pub fn new(
        project: &'a Project,
        history: &'a History,
        options: Options,
    ) -> Result<Exporter<'a>, ExportError> {
        Ok(Exporter {
            archiver: Archiver::new(project, history)?,
            history,
            options,
            chromium: std::sync::OnceLock::new(),
            charts: std::sync::OnceLock::new(),
        })
    }

    /// Fails now, with the message that says what to install, if `formats` need a Chromium
    /// and none is found: before any work is done.
    pub fn check(&self, formats: &[Format]) -> Result<(), ExportError> {
        if formats.contains(&Format::Pdf) {
            self.chromium()?;
        }
        Ok(())
    }

    fn chromium(&self) -> Result<PathBuf, ExportError> {
        if let Some(found) = self.chromium.get() {
            return Ok(found.clone());
        }
        let found = pdf::find_chromium(self.options.chromium.as_deref())?;
        Ok(self.chromium.get_or_init(|| found).clone())
    }

    /// The file name of a version's document: `2026-Q3-v2.pdf`.
    pub fn file_name(snapshot: &SnapshotBody, format: Format) -> String {
        format.file_name(&snapshot.report.period.id, snapshot.version)
    }

    /// Report `id`'s latest version, read once: the pages of the other reports' documents
    /// show it too.
    pub fn latest(&self, id: &str) -> Result<&SnapshotBody, ExportError> {
        match self.archiver.latest_body(id) {
            Some(body) => body.map_err(ExportError::Unread),
            None => Err(ExportError::NoChecksum(id.to_owned())),
        }
    }

    /// The version's checksum in the store (`sha256:…`).
    fn checksum(&self, snapshot: &SnapshotBody) -> Result<&str, ExportError> {
        let id = &snapshot.report.period.id;
        self.history
            .checksums
            .get(id)
            .and_then(|sums| sums.get(&snapshot.version))
            .map(String::as_str)
            .ok_or_else(|| ExportError::NoChecksum(id.clone()))
    }

    /// What a version's document in `format` is made from: rendered once, for its key and
    /// then, if the document must be made, for the document.
    pub fn source(&self, snapshot: &SnapshotBody, format: Format) -> Result<Source, ExportError> {
        Ok(match format {
            Format::Pdf => Source::Page(self.archiver.page(snapshot)?),
            Format::Docx => Source::Outline(Box::new(self.archiver.outline(snapshot)?)),
        })
    }

    /// What a document is made from, hashed: the same key, the same document. For a PDF the
    /// archive page it prints (numbers, commentary, theme, strings) and the paper; for a Word
    /// file the outline it writes. Both with the program's version.
    pub fn key(&self, snapshot: &SnapshotBody, source: &Source) -> Result<String, ExportError> {
        let mut hash = Sha256::new();
        hash.update(GENERATOR);
        hash.update([0]);
        match source {
            Source::Page(html) => {
                hash.update(format!("pdf {:?}\0", self.options.paper));
                hash.update(html);
            }
            Source::Outline(outline) => {
                hash.update("docx\0");
                hash.update(serde_json::to_vec(outline).unwrap_or_default());
            }
        }
        hash.update([0]);
        hash.update(self.checksum(snapshot)?);
        Ok(format!("{:x}", hash.finalize()))
    }

    /// The document of one version.
    pub fn export(&self, snapshot: &SnapshotBody, format: Format) -> Result<Vec<u8>, ExportError> {
        self.make(snapshot, &self.source(snapshot, format)?)
    }

    /// The document `source` (of `snapshot`) makes.
    pub fn make(&self, snapshot: &SnapshotBody, source: &Source) -> Result<Vec<u8>, ExportError> {
        match source {
            Source::Page(html) => self.pdf(snapshot, html),
            Source::Outline(outline) => self.docx(snapshot, outline),
        }
    }

    /// What a reader of the documents should know: that charts in Word files lack their
    /// Chinese text, when no font has it.
    pub fn warning(&self) -> Option<&'static str> {
        self.charts.get().and_then(raster::Charts::warning)
    }

    fn docx(&self, snapshot: &SnapshotBody, outline: &Outline) -> Result<Vec<u8>, ExportError> {
        let t = self.archiver.strings();
        let properties = docx::Properties {
            report: snapshot.report.period.id.clone(),
            as_of: snapshot.as_of,
            checksum: Some(self.checksum(snapshot)?.to_owned()),
            language: crate::site::i18n::locale_code(t.locale).to_owned(),
            labels: docx::CoverLabels {
                period: t.get("cover_period").to_owned(),
                as_of: t.get("data_as_of").to_owned(),
                version: t.get("cover_version").to_owned(),
            },
        };
        let charts = self.charts.get_or_init(raster::Charts::load);
        docx::write(outline, &properties, charts).map_err(|e| ExportError::Docx {
            report: snapshot.report.period.id.clone(),
            message: e.to_string(),
        })
    }

    fn pdf(&self, snapshot: &SnapshotBody, html: &str) -> Result<Vec<u8>, ExportError> {
        let chromium = self.chromium()?;
        let id = &snapshot.report.period.id;
        let strings = self.archiver.strings();
        let title = html_title(html).unwrap_or_else(|| id.clone());
        let subject = format!("{} {id}", strings.get("report"));
        let stamp = pdf::Stamp {
            title: &title,
            subject: &subject,
            report: id,
            version: snapshot.version,
            as_of: snapshot.as_of,
            checksum: self.checksum(snapshot)?,
            generator: GENERATOR,
        };
        Ok(pdf::print(&chromium, html, self.options.paper, &stamp)?)
    }
}

/// What a document is made from: the archive page a PDF prints, or the outline a Word file
/// writes.
pub enum Source {
    Page(String),
    Outline(Box<Outline>),
}

/// The text of the page's `<title>`, unescaped as a browser shows it.
fn html_title(html: &str) -> Option<String> {
    let start = html.find("<title>")? + "<title>".len();
    let end = start + html[start..].find("</title>")?;
    let text = &html[start..end];
    Some(
        text.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#x27;", "'")
            .replace("&#x2F;", "/")
            .replace("&amp;", "&"),
    )
}
