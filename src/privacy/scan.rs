//! `huifang privacy-scan`: any folder (a built site, `snapshots/`, a folder of archives)
//! read line by line with the rules of [`super::find`]. Text files are read as they are,
//! with HTML character references decoded (`&#64;` is an `@`); `.tar.gz` archives entry by
//! entry; Word files (`.docx`) by the text of their parts, a paragraph or cell a line; PDFs by
//! their text layer as `pdftotext` (poppler-utils) reads it; other binary files are skipped and
//! counted.

use super::Found;
use rayon::prelude::*;
use std::borrow::Cow;
use std::io::Read as _;
use std::path::{Path, PathBuf};

/// One personal value in one line of one file.
#[derive(Debug)]
pub struct Finding {
    /// The file, and for an archive entry `archive.tar.gz:entry`.
    pub file: String,
    pub line: usize,
    pub found: Found,
}

#[derive(Debug, Default)]
pub struct ScanReport {
    pub files: usize,
    /// Files that are no text (images, fonts, other archives), by name.
    pub skipped_binary: Vec<String>,
    pub findings: Vec<Finding>,
}

/// Scans every file under each of `paths` (files or folders), in path order. Files are read
/// and scanned in parallel (a site is hundreds of pages) and reported in that order.
pub fn scan(paths: &[PathBuf]) -> std::io::Result<ScanReport> {
    let mut files = Vec::new();
    for root in paths {
        let walk = walkdir::WalkDir::new(root).sort_by_file_name();
        for entry in walk {
            let entry = entry.map_err(std::io::Error::other)?;
            if entry.file_type().is_file() {
                files.push(entry.into_path());
            }
        }
    }
    let scanned: Vec<std::io::Result<ScanReport>> = files
        .par_iter()
        .map(|path| {
            let mut report = ScanReport::default();
            let bytes = std::fs::read(path)?;
            let name = path.display().to_string();
            if is_tar_gz(path) {
                scan_tar_gz(&name, &bytes, &mut report)?;
            } else if has_extension(path, "docx") {
                scan_docx(&name, &bytes, &mut report)?;
            } else if has_extension(path, "pdf") {
                scan_text(name, &pdf_text(path)?, &mut report);
            } else {
                scan_bytes(name, &bytes, &mut report);
            }
            Ok(report)
        })
        .collect();
    let mut report = ScanReport::default();
    for file in scanned {
        let file = file?;
        report.files += file.files;
        report.skipped_binary.extend(file.skipped_binary);
        report.findings.extend(file.findings);
    }
    Ok(report)
}

fn is_tar_gz(path: &Path) -> bool {
    let name = path.to_string_lossy();
    name.ends_with(".tar.gz") || name.ends_with(".tgz")
}

fn scan_tar_gz(name: &str, bytes: &[u8], report: &mut ScanReport) -> std::io::Result<()> {
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(bytes));
    for entry in archive.entries()? {
        let mut entry = entry?;
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let inner = format!("{name}:{}", entry.path()?.display());
        let mut content = Vec::new();
        entry.read_to_end(&mut content)?;
        scan_bytes(inner, &content, report);
    }
    Ok(())
}

fn has_extension(path: &Path, extension: &str) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(extension))
}

/// Every XML part of a Word file (the document, headers, footnotes, properties), as text.
fn scan_docx(name: &str, bytes: &[u8], report: &mut ScanReport) -> std::io::Result<()> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| std::io::Error::other(format!("{name}: not a Word file: {e}")))?;
    for i in 0..archive.len() {
        let mut entry = archive
            .by_index(i)
            .map_err(|e| std::io::Error::other(format!("{name}: {e}")))?;
        if !entry.is_file() || !entry.name().ends_with(".xml") {
            continue;
        }
        let inner = format!("{name}:{}", entry.name());
        let mut xml = String::new();
        entry.read_to_string(&mut xml)?;
        scan_text(inner, &xml_text(&xml), report);
    }
    Ok(())
}

/// The text of a Word XML part: tags dropped, a line for each paragraph, table cell and
/// property, so that a number split over several runs reads whole. Character references
/// stay, for the scan to decode.
fn xml_text(xml: &str) -> String {
    let mut text = String::with_capacity(xml.len() / 2);
    let mut rest = xml;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            break;
        };
        let tag = &rest[open + 1..open + close];
        let ends_line = tag == "/w:p"
            || tag == "/w:tc"
            || tag.starts_with("w:br")
            || (tag.starts_with('/') && !tag.starts_with("/w:"));
        if ends_line {
            text.push('\n');
        }
        rest = &rest[open + close + 1..];
    }
    text
}

/// A PDF's text layer, by `pdftotext`: reading a PDF's fonts is a program of its own.
fn pdf_text(path: &Path) -> std::io::Result<String> {
    let output = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(path)
        .arg("-")
        .output()
        .map_err(|e| {
            std::io::Error::other(format!(
                "{}: PDFs are read with pdftotext, which could not be run ({e}); install \
                 poppler-utils (Debian/Ubuntu: apt-get install poppler-utils)",
                path.display()
            ))
        })?;
    if !output.status.success() {
        return Err(std::io::Error::other(format!(
            "{}: pdftotext could not read it: {}",
            path.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

fn scan_bytes(file: String, bytes: &[u8], report: &mut ScanReport) {
    let Some(text) = as_text(bytes) else {
        report.skipped_binary.push(file);
        return;
    };
    scan_text(file, &text, report);
}

fn scan_text(file: String, text: &str, report: &mut ScanReport) {
    report.files += 1;
    for (n, line) in text.lines().enumerate() {
        let (decoded, columns) = decode_references(line);
        for mut found in super::find(&decoded) {
            // Columns of the line as written, not as decoded.
            found.column = columns
                .get(found.column - 1)
                .map_or(found.column, |c| c + 1);
            report.findings.push(Finding {
                file: file.clone(),
                line: n + 1,
                found,
            });
        }
    }
}

/// A file's text: UTF-16 with its byte order mark, UTF-8, or GB18030 (exports from Chinese
/// systems are); anything else without a NUL byte is read as UTF-8 with its bad bytes
/// replaced, so one bad byte cannot hide a file from the scan. `None` for binary files.
fn as_text(bytes: &[u8]) -> Option<Cow<'_, str>> {
    if let Some((encoding, _)) = encoding_rs::Encoding::for_bom(bytes)
        && encoding != encoding_rs::UTF_8
    {
        return Some(encoding.decode_with_bom_removal(bytes).0);
    }
    if memchr::memchr(0, bytes).is_some() {
        return None;
    }
    Some(match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => encoding_rs::GB18030
            .decode_without_bom_handling_and_without_replacement(bytes)
            .unwrap_or_else(|| String::from_utf8_lossy(bytes)),
    })
}

/// HTML character references (`&#64;`, `&#x40;`, `&amp;`, `&lt;`…) as the characters they
/// stand for, so a value cannot hide behind its escapes; with, for each character of the
/// result, its column (from 0) in `line`.
fn decode_references(line: &str) -> (Cow<'_, str>, Vec<usize>) {
    if !line.contains('&') {
        return (line.into(), (0..line.chars().count()).collect());
    }
    let mut out = String::with_capacity(line.len());
    let mut columns = Vec::with_capacity(line.len());
    let mut rest = line;
    let mut column = 0;
    while let Some(at) = rest.find('&') {
        for c in rest[..at].chars() {
            out.push(c);
            columns.push(column);
            column += 1;
        }
        rest = &rest[at..];
        let end = rest.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| crate::chars::character_reference(&rest[1..e]));
        columns.push(column);
        match (end, decoded) {
            (Some(e), Some(c)) => {
                out.push(c);
                column += rest[..=e].chars().count();
                rest = &rest[e + 1..];
            }
            _ => {
                out.push('&');
                column += 1;
                rest = &rest[1..];
            }
        }
    }
    for c in rest.chars() {
        out.push(c);
        columns.push(column);
        column += 1;
    }
    (out.into(), columns)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_part_reads_a_line_per_paragraph_and_cell_with_runs_joined() {
        let xml = "<w:document><w:body><w:p><w:r><w:t>请回电 138</w:t></w:r><w:r>\
                   <w:t xml:space=\"preserve\">1234 5678</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:p>\
                   <w:r><w:t>A&amp;B</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>";
        assert_eq!(xml_text(xml), "请回电 1381234 5678\nA&amp;B\n\n");
        let core = "<cp:coreProperties><dc:title>报告</dc:title><dc:creator>huifang</dc:creator>";
        assert_eq!(xml_text(core), "报告\nhuifang\n");
    }

    #[test]
    fn references_are_decoded_before_matching() {
        let (text, columns) = decode_references("a&#64;b &amp;c");
        assert_eq!(text, "a@b &c");
        // a=0, &#64;=1..6, b=6, space=7, &amp;=8..13, c=13
        assert_eq!(columns, [0, 1, 6, 7, 8, 13]);
        let (text, _) = decode_references("&#x2F; &bogus; &");
        assert_eq!(text, "/ &bogus; &");
    }

    #[test]
    fn finds_values_in_files_and_archive_entries_and_skips_binaries() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("a.html"),
            "<p>ok</p>\n<p>请回电 138&#32;1234&#32;5678</p>\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("b.png"), b"\x89PNG\r\n\x1a\n\x00\x00138").unwrap();
        let gbk = encoding_rs::GB18030.encode("\t业主留电话13812345678").0;
        std::fs::write(dir.path().join("d.csv"), gbk).unwrap();
        // Neither UTF-8 nor GB18030 (a stray \xff): read with the bad byte replaced.
        std::fs::write(
            dir.path().join("e.csv"),
            b"2026-03-06,\xff\xfe\xfd13912345678\n",
        )
        .unwrap();
        let mut tar = tar::Builder::new(flate2::write::GzEncoder::new(
            Vec::new(),
            flate2::Compression::fast(),
        ));
        let body = "张女士反映\n".as_bytes();
        let mut header = tar::Header::new_gnu();
        header.set_size(body.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        tar.append_data(&mut header, "r/index.html", body).unwrap();
        let gz = tar.into_inner().unwrap().finish().unwrap();
        std::fs::write(dir.path().join("c.tar.gz"), gz).unwrap();

        let report = scan(&[dir.path().to_path_buf()]).unwrap();
        assert_eq!(report.files, 4);
        assert_eq!(report.skipped_binary.len(), 1);
        assert!(report.skipped_binary[0].ends_with("b.png"));
        // Columns count the line as written, a tab included: `<p>请回电 ` is 7 characters.
        let columns: Vec<usize> = report.findings.iter().map(|f| f.found.column).collect();
        assert_eq!(columns, [8, 1, 7, 15]);
        let got: Vec<(String, usize, &str)> = report
            .findings
            .iter()
            .map(|f| {
                let file = f.file.rsplit('/').next().unwrap_or_default().to_owned();
                (file, f.line, f.found.masked.as_str())
            })
            .collect();
        assert_eq!(
            got,
            [
                ("a.html".to_owned(), 2, "<p>请回电 138****5678</p>"),
                ("index.html".to_owned(), 1, "张**反映"),
                ("d.csv".to_owned(), 1, "业主留电话138****5678"),
                (
                    "e.csv".to_owned(),
                    1,
                    "26-03-06,\u{fffd}\u{fffd}\u{fffd}139****5678"
                ),
            ]
        );
    }
}
