//! The `.docx` as docx-rs packs it, repacked so the same report gives the same bytes and
//! carries its properties: every entry compressed and dated the data-as-of date, the
//! document properties written here, and what docx-rs numbers from process-wide counters
//! (paragraph ids, drawing ids) numbered in document order. It also adds what docx-rs cannot
//! write: each chart's SVG beside its PNG (as Word 2016 and later embed SVG, the PNG for
//! readers without SVG), and the repeating header rows of tables.

use super::{DocxError, Properties};
use crate::site::outline::Cover;
use chrono::Datelike;
use std::io::{Cursor, Read, Write};
use zip::write::SimpleFileOptions;

/// What marks a table's header row in docx-rs's output: body rows are all built unsplittable,
/// so an empty row property is a header row's (docx-rs cannot write `tblHeader` itself).
const HEADER_ROW_MARK: &str = "<w:trPr />";
const PARAGRAPH_ID: &str = "w14:paraId=\"";
const HEADER_ROW: &str = "<w:trPr><w:cantSplit /><w:tblHeader /></w:trPr>";

/// What the repacking adds to docx-rs's package.
pub(super) struct Package<'a> {
    pub cover: &'a Cover,
    pub properties: &'a Properties,
    pub generator: &'a str,
    /// The SVG of picture `n` at `n - 1`.
    pub svgs: &'a [String],
}

/// The relationship id (and media file name) of picture `n`, counted from 1.
pub(super) fn picture_id(n: usize) -> String {
    format!("rIdImage{n}")
}

fn svg_id(n: usize) -> String {
    format!("rIdSvg{n}")
}

impl Package<'_> {
    pub(super) fn repack(&self, packed: &[u8]) -> Result<Vec<u8>, DocxError> {
        let mut archive = zip::ZipArchive::new(Cursor::new(packed))?;
        let date = self.properties.as_of;
        let options = SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(
                zip::DateTime::from_date_and_time(
                    u16::try_from(date.year()).unwrap_or(1980),
                    u8::try_from(date.month()).unwrap_or(1),
                    u8::try_from(date.day()).unwrap_or(1),
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
            let text = || String::from_utf8_lossy(&bytes).into_owned();
            let bytes = match name.as_str() {
                "docProps/core.xml" => self.core_xml().into_bytes(),
                "docProps/app.xml" => app_xml(self.generator).into_bytes(),
                "docProps/custom.xml" => self.custom_xml().into_bytes(),
                "word/document.xml" => self.document_xml(&text()).into_bytes(),
                "word/_rels/document.xml.rels" => self.relationships(&text()).into_bytes(),
                "[Content_Types].xml" => content_types(&text()).into_bytes(),
                // Their paragraphs were numbered before docx-rs reset its counter for the body;
                // ids stay unique through the document, each part numbered from its own base.
                part if part.starts_with("word/header") || part.starts_with("word/footer") => {
                    let base = 0x7000_0000 + i * 0x1_0000;
                    renumber(&text(), PARAGRAPH_ID, |n| format!("{:08X}", base + n)).into_bytes()
                }
                _ => bytes,
            };
            out.start_file(name, options)?;
            out.write_all(&bytes)?;
        }
        for (i, svg) in self.svgs.iter().enumerate() {
            out.start_file(format!("word/media/{}.svg", picture_id(i + 1)), options)?;
            out.write_all(sized(svg).as_bytes())?;
        }
        Ok(out.finish()?.into_inner())
    }

    /// Paragraph and drawing ids numbered in order, header rows marked to repeat on each
    /// page, each picture's SVG beside its PNG (Word 2016 and later show the SVG).
    fn document_xml(&self, xml: &str) -> String {
        let xml = renumber(xml, PARAGRAPH_ID, |n| format!("{n:08X}"));
        let mut xml = renumber(&xml, "<wp:docPr id=\"", |n| n.to_string());
        for n in 1..=self.svgs.len() {
            xml = xml.replace(
                &format!("<a:blip r:embed=\"{}\" />", picture_id(n)),
                &format!(
                    "<a:blip r:embed=\"{}\"><a:extLst><a:ext uri=\"{SVG_BLIP_EXT}\">\
                     <asvg:svgBlip xmlns:asvg=\"{SVG_NAMESPACE}\" r:embed=\"{}\" />\
                     </a:ext></a:extLst></a:blip>",
                    picture_id(n),
                    svg_id(n)
                ),
            );
        }
        xml.replace(HEADER_ROW_MARK, HEADER_ROW)
    }

    fn relationships(&self, xml: &str) -> String {
        let svgs: String = (1..=self.svgs.len())
            .map(|n| {
                format!(
                    "<Relationship Id=\"{}\" Type=\"{IMAGE_RELATIONSHIP}\" \
                     Target=\"media/{}.svg\" />",
                    svg_id(n),
                    picture_id(n)
                )
            })
            .collect();
        xml.replacen("</Relationships>", &format!("{svgs}</Relationships>"), 1)
    }
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

impl Package<'_> {
    fn core_xml(&self) -> String {
        let (cover, properties, generator) = (self.cover, self.properties, self.generator);
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

impl Package<'_> {
    /// The same names as the `<meta>` tags of an archived page.
    fn custom_xml(&self) -> String {
        let (cover, properties) = (self.cover, self.properties);
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

const IMAGE_RELATIONSHIP: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image";
const SVG_BLIP_EXT: &str = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}";
const SVG_NAMESPACE: &str = "http://schemas.microsoft.com/office/drawing/2016/SVG/main";

fn content_types(xml: &str) -> String {
    match xml.find("<Default ") {
        Some(at) => {
            let mut out = xml.to_owned();
            out.insert_str(
                at,
                "<Default ContentType=\"image/svg+xml\" Extension=\"svg\" />",
            );
            out
        }
        None => xml.to_owned(),
    }
}

/// The chart's SVG as a file of its own: sized in pixels from its view box, where the page
/// gives it the width of its container (`width="100%"`).
fn sized(svg: &str) -> String {
    let Some(root_end) = svg.find('>') else {
        return svg.to_owned();
    };
    let root = &svg[..root_end];
    let view_box = root
        .split("viewBox=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .map(|v| v.split_whitespace().collect::<Vec<_>>());
    match view_box.as_deref() {
        Some([_, _, width, height]) if root.contains(" width=\"100%\"") => {
            let root = root.replacen(
                " width=\"100%\"",
                &format!(" width=\"{width}\" height=\"{height}\""),
                1,
            );
            format!("{root}{}", &svg[root_end..])
        }
        _ => svg.to_owned(),
    }
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
    fn a_chart_as_a_file_is_sized_from_its_view_box() {
        let svg = "<svg viewBox=\"0 0 720 360\" width=\"100%\" role=\"img\"><text>a</text></svg>";
        assert_eq!(
            sized(svg),
            "<svg viewBox=\"0 0 720 360\" width=\"720\" height=\"360\" role=\"img\"><text>a</text></svg>"
        );
        assert_eq!(sized("<svg width=\"100%\">"), "<svg width=\"100%\">");
    }
}
