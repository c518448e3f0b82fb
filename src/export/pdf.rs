//! A report page printed to PDF by a headless Chromium, then stamped with what identifies it:
//! the report, the version, the data-as-of date and the version's checksum in the PDF's
//! document information, and both of its dates set to the data-as-of date, so the same version
//! prints to the same bytes (Chromium writes the time of printing there, and only there).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The programs tried, in order, when no Chromium is named.
const CHROMIUM_NAMES: [&str; 4] = [
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
];

/// A page that takes longer than this to print is taken as a hung browser.
const PRINT_TIMEOUT: Duration = Duration::from_secs(120);

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error(
        "no Chromium found on PATH (tried {}): PDF export prints through a headless Chromium. \
         Install it (Debian/Ubuntu: `apt-get install chromium`) or name one with --chromium",
        CHROMIUM_NAMES.join(", ")
    )]
    NoChromium,
    #[error("--chromium {0}: no such program")]
    NotAProgram(PathBuf),
    #[error("{what}: {source}")]
    Io {
        what: String,
        source: std::io::Error,
    },
    #[error("Chromium ({program}) did not print the page: {detail}")]
    Print { program: PathBuf, detail: String },
    #[error("the PDF Chromium printed could not be read back to stamp it: {0}")]
    Stamp(String),
}

/// Paper sizes a report prints on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Paper {
    #[default]
    A4,
    Letter,
}

impl Paper {
    /// The CSS `@page` size.
    fn css(self) -> &'static str {
        match self {
            Paper::A4 => "A4",
            Paper::Letter => "letter",
        }
    }
}

/// What the PDF's document information says about the version it shows.
pub struct Stamp<'a> {
    /// The page's title, as the browser tab shows it.
    pub title: &'a str,
    /// "2026年第三季度 客户回访报告 2026-Q3".
    pub subject: &'a str,
    pub report: &'a str,
    pub version: u32,
    pub as_of: chrono::NaiveDate,
    /// `sha256:…` of the version's snapshot.
    pub checksum: &'a str,
    /// "huifang 0.1.0".
    pub generator: &'a str,
}

/// The Chromium to print with: `named`, else the first of [`CHROMIUM_NAMES`] on `PATH`.
pub fn find_chromium(named: Option<&Path>) -> Result<PathBuf, PdfError> {
    if let Some(path) = named {
        return on_path(path).ok_or_else(|| PdfError::NotAProgram(path.to_owned()));
    }
    CHROMIUM_NAMES
        .iter()
        .find_map(|name| on_path(Path::new(name)))
        .ok_or(PdfError::NoChromium)
}

/// `program` as a file that exists: as given when it has a folder, else found on `PATH`.
fn on_path(program: &Path) -> Option<PathBuf> {
    if program.components().count() > 1 {
        return program.is_file().then(|| program.to_owned());
    }
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}

/// Prints `html`, a self-contained page (an archive copy: it loads nothing), on `paper` with
/// `chromium`, and stamps the result.
pub fn print(
    chromium: &Path,
    html: &str,
    paper: Paper,
    stamp: &Stamp<'_>,
) -> Result<Vec<u8>, PdfError> {
    let work = tempfile::tempdir().map_err(|source| PdfError::Io {
        what: "making a folder to print in".to_owned(),
        source,
    })?;
    let page = work.path().join("report.html");
    let pdf = work.path().join("report.pdf");
    std::fs::write(&page, with_paper(html, paper)).map_err(|source| PdfError::Io {
        what: format!("writing {}", page.display()),
        source,
    })?;
    run_chromium(chromium, &page, &pdf, work.path())?;
    let printed = std::fs::read(&pdf).map_err(|_| PdfError::Print {
        program: chromium.to_owned(),
        detail: "it exited without writing the PDF".to_owned(),
    })?;
    stamped(&printed, stamp)
}

/// The page with its paper size set last, so it wins over the stylesheet's.
fn with_paper(html: &str, paper: Paper) -> String {
    let rule = format!(
        "<style media=\"print\">@page {{ size: {} }}</style>",
        paper.css()
    );
    match html.rfind("</head>") {
        Some(at) => format!("{}{rule}{}", &html[..at], &html[at..]),
        None => format!("{rule}{html}"),
    }
}

fn run_chromium(chromium: &Path, page: &Path, pdf: &Path, work: &Path) -> Result<(), PdfError> {
    let failed = |detail: String| PdfError::Print {
        program: chromium.to_owned(),
        detail,
    };
    let mut child = Command::new(chromium)
        .args([
            "--headless=new",
            "--disable-gpu",
            // As root (containers, CI) Chromium refuses to start sandboxed.
            "--no-sandbox",
            "--no-pdf-header-footer",
            // Bookmarks from the headings: a reader's outline pane lists the numbered parts.
            "--generate-pdf-document-outline",
            "--no-first-run",
            "--disable-extensions",
        ])
        // Its own profile: a home folder may be missing or read-only in CI.
        .arg(format!(
            "--user-data-dir={}",
            work.join("profile").display()
        ))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", page.display()))
        .env("HOME", work)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| failed(format!("it could not be started: {e}")))?;
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() && pdf.is_file() => return Ok(()),
            Ok(Some(status)) => {
                let mut stderr = String::new();
                if let Some(mut err) = child.stderr.take() {
                    use std::io::Read as _;
                    let _ = err.read_to_string(&mut stderr);
                }
                let last: Vec<&str> = stderr.lines().rev().take(3).collect();
                return Err(failed(format!(
                    "it exited with {status}{}",
                    if last.is_empty() {
                        String::new()
                    } else {
                        format!(
                            ": {}",
                            last.into_iter().rev().collect::<Vec<_>>().join(" / ")
                        )
                    }
                )));
            }
            Ok(None) if started.elapsed() > PRINT_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(failed(format!(
                    "no PDF after {} s; it was stopped",
                    PRINT_TIMEOUT.as_secs()
                )));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => return Err(failed(e.to_string())),
        }
    }
}

/// `pdf` with its document information replaced by `stamp`'s.
pub fn stamped(pdf: &[u8], stamp: &Stamp<'_>) -> Result<Vec<u8>, PdfError> {
    use lopdf::{Dictionary, Document, Object, text_string};
    let mut doc = Document::load_mem(pdf).map_err(|e| PdfError::Stamp(e.to_string()))?;
    let date = Object::string_literal(stamp.as_of.format("D:%Y%m%d000000Z").to_string());
    let keywords = format!(
        "{} v{}; {}; {}",
        stamp.report, stamp.version, stamp.as_of, stamp.checksum
    );
    let mut info = Dictionary::new();
    info.set("Title", text_string(stamp.title));
    info.set("Subject", text_string(stamp.subject));
    info.set("Keywords", text_string(&keywords));
    info.set("Creator", text_string(stamp.generator));
    info.set("Producer", text_string(stamp.generator));
    info.set("CreationDate", date.clone());
    info.set("ModDate", date);
    info.set("HuifangReport", text_string(stamp.report));
    info.set("HuifangVersion", text_string(&stamp.version.to_string()));
    info.set("HuifangAsOf", text_string(&stamp.as_of.to_string()));
    info.set("HuifangChecksum", text_string(stamp.checksum));
    match doc.trailer.get(b"Info").and_then(Object::as_reference) {
        Ok(id) => {
            doc.objects.insert(id, Object::Dictionary(info));
        }
        Err(_) => {
            let id = doc.add_object(info);
            doc.trailer.set("Info", id);
        }
    }
    let mut out = Vec::new();
    doc.save_to(&mut out)
        .map_err(|e| PdfError::Stamp(e.to_string()))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_paper_rule_goes_last_in_the_head() {
        let html = "<html><head><style>@page { size: A4 }</style></head><body></body></html>";
        let out = with_paper(html, Paper::Letter);
        let rule = out.find("size: letter").unwrap();
        assert!(out.find("size: A4").unwrap() < rule && rule < out.find("</head>").unwrap());
    }

    #[test]
    fn a_named_program_that_is_not_there_is_said() {
        let missing = Path::new("/nonexistent/chromium");
        assert!(matches!(
            find_chromium(Some(missing)),
            Err(PdfError::NotAProgram(p)) if p == missing
        ));
    }
}
