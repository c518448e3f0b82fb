//! The `.docx` as docx-rs packs it, repacked so the same report gives the same bytes and
//! carries its properties: every entry compressed and dated the data-as-of date, the
//! document properties written here, and what docx-rs numbers from process-wide counters
//! (paragraph ids, drawing ids) numbered in document order.

use super::{DocxError, Properties};
use crate::site::outline::Cover;
use std::io::{Cursor, Read, Write};
use zip::write::SimpleFileOptions;

/// What marks a table's header row in docx-rs's output: body rows are all built unsplittable,
/// so an empty row property is a header row's (docx-rs cannot write `tblHeader` itself).
pub(super) const HEADER_ROW_MARK: &str = "<w:trPr />";
const HEADER_ROW: &str = "<w:trPr><w:cantSplit /><w:tblHeader /></w:trPr>";

pub(super) fn repack(
    packed: &[u8],
    cover: &Cover,
    properties: &Properties,
    generator: &str,
) -> Result<Vec<u8>, DocxError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(packed))?;
    let date = properties.as_of;
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(
            zip::DateTime::from_date_and_time(
                u16::try_from(chrono::Datelike::year(&date)).unwrap_or(1980),
                chrono::Datelike::month(&date) as u8,
                chrono::Datelike::day(&date) as u8,
                0,
                0,
                0,
            )
            .unwrap_or_default(),
        )
        .unix_permissions(0o644);
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i)?;
        if entry.is_dir() {
            continue;
        }
        let name = entry.name().to_owned();
        let mut bytes = Vec::with_capacity(usize::try_from(entry.size()).unwrap_or(0));
        entry.read_to_end(&mut bytes)?;
        let bytes = match name.as_str() {
            "docProps/core.xml" => core_xml(cover, properties, generator).into_bytes(),
            "docProps/app.xml" => app_xml(generator).into_bytes(),
            "docProps/custom.xml" => custom_xml(cover, properties).into_bytes(),
            "word/document.xml" => document_xml(&String::from_utf8_lossy(&bytes)).into_bytes(),
            _ => bytes,
        };
        out.start_file(name, options)?;
        out.write_all(&bytes)?;
    }
    Ok(out.finish()?.into_inner())
}

/// Paragraph and drawing ids numbered in order, header rows marked to repeat on each page.
fn document_xml(xml: &str) -> String {
    let xml = renumber(xml, "w14:paraId=\"", |n| format!("{n:08X}"));
    let xml = renumber(&xml, "<wp:docPr id=\"", |n| n.to_string());
    xml.replace(HEADER_ROW_MARK, HEADER_ROW)
}

/// Replaces the value after each `prefix` (up to the closing quote) with `value(1)`,
/// `value(2)`, ….
fn renumber(xml: &str, prefix: &str, value: impl Fn(usize) -> String) -> String {
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    let mut n = 0;
    while let Some(at) = rest.find(prefix) {
        let start = at + prefix.len();
        let Some(len) = rest[start..].find('"') else {
            break;
        };
        n += 1;
        out.push_str(&rest[..start]);
        out.push_str(&value(n));
        rest = &rest[start + len..];
    }
    out.push_str(rest);
    out
}

const XML_DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

fn core_xml(cover: &Cover, properties: &Properties, generator: &str) -> String {
    let title = format!("{} {}", cover.site_title, cover.title);
    let date = format!("{}T00:00:00Z", properties.as_of.format("%Y-%m-%d"));
    let mut xml = String::from(XML_DECLARATION);
    xml.push_str(
        "<cp:coreProperties \
         xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
         xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">",
    );
    let mut element = |tag: &str, value: &str| {
        xml.push_str(&format!("<{tag}>{}</{tag}>", escape(value)));
    };
    element("dc:title", &title);
    element("dc:subject", &cover.period);
    element("dc:creator", generator);
    element("cp:lastModifiedBy", generator);
    element("cp:keywords", &stamp(cover, properties, "; "));
    element("dc:description", &stamp(cover, properties, " · "));
    element("dc:language", &properties.language);
    element(
        "cp:revision",
        &cover.version.unwrap_or(1).max(1).to_string(),
    );
    for tag in ["dcterms:created", "dcterms:modified"] {
        xml.push_str(&format!(
            "<{tag} xsi:type=\"dcterms:W3CDTF\">{date}</{tag}>"
        ));
    }
    xml.push_str("</cp:coreProperties>");
    xml
}

/// The report, its version, data-as-of date and checksum in one line.
fn stamp(cover: &Cover, properties: &Properties, separator: &str) -> String {
    let mut parts = vec![properties.report.clone()];
    parts.extend(cover.version.map(|v| format!("v{v}")));
    parts.push(properties.as_of.format("%Y-%m-%d").to_string());
    parts.extend(properties.checksum.clone());
    parts.join(separator)
}

fn app_xml(generator: &str) -> String {
    format!(
        "{XML_DECLARATION}<Properties \
         xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\" \
         xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\">\
         <Application>{}</Application></Properties>",
        escape(generator)
    )
}

/// The same names as the `<meta>` tags of an archived page.
fn custom_xml(cover: &Cover, properties: &Properties) -> String {
    let mut values = vec![("huifang-report", properties.report.clone())];
    values.extend(cover.version.map(|v| ("huifang-version", v.to_string())));
    values.push((
        "huifang-as-of",
        properties.as_of.format("%Y-%m-%d").to_string(),
    ));
    values.extend(properties.checksum.clone().map(|c| ("huifang-checksum", c)));
    let mut xml = format!(
        "{XML_DECLARATION}<Properties \
         xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties\" \
         xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\">"
    );
    // Property ids start at 2: Word reserves 0 and 1.
    for (i, (name, value)) in values.iter().enumerate() {
        xml.push_str(&format!(
            "<property fmtid=\"{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}\" pid=\"{}\" \
             name=\"{name}\"><vt:lpwstr>{}</vt:lpwstr></property>",
            i + 2,
            escape(value)
        ));
    }
    xml.push_str("</Properties>");
    xml
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in super::clean(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_numbered_in_order_and_the_rest_is_kept() {
        let xml = "<w:p w14:paraId=\"0000002A\"/><w:p w14:paraId=\"00000007\"/>";
        assert_eq!(
            renumber(xml, "w14:paraId=\"", |n| format!("{n:08X}")),
            "<w:p w14:paraId=\"00000001\"/><w:p w14:paraId=\"00000002\"/>"
        );
        assert_eq!(renumber("a=\"1", "a=\"", |n| n.to_string()), "a=\"1");
    }

    #[test]
    fn header_rows_repeat_and_body_rows_are_left() {
        let xml = "<w:tr><w:trPr /></w:tr><w:tr><w:trPr><w:cantSplit /></w:trPr></w:tr>";
        assert_eq!(
            document_xml(xml),
            "<w:tr><w:trPr><w:cantSplit /><w:tblHeader /></w:trPr></w:tr>\
             <w:tr><w:trPr><w:cantSplit /></w:trPr></w:tr>"
        );
    }
}
