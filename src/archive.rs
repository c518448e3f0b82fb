//! Archive copies of report pages: one self-contained HTML file per page that stays readable for
//! years without the rest of the site, and a deterministic `.tar.gz` to hold many of them.
//!
//! [`self_contained`] inlines the stylesheet, turns every link to another page into plain text,
//! and stamps the page with its report id, version, as-of date and a SHA-256 checksum, both in a
//! visible banner and in `<meta>` tags; [`verify`] checks the checksum.
//!
//! The checksum covers the whole file. Take the value `V` from
//! `<meta name="huifang-checksum" content="sha256:V">`, replace every occurrence of `V` in the
//! file with 64 zeros, and the SHA-256 of the resulting bytes is `V`. With standard tools:
//!
//! ```sh
//! V=$(grep -o -m1 'sha256:[0-9a-f]\{64\}' page.html | head -n1 | cut -d: -f2)
//! sed "s/$V/$(printf '0%.0s' $(seq 64))/g" page.html | sha256sum    # prints V
//! ```
//!
//! The pages come from our own templates (well-formed tags, double-quoted attributes, every value
//! from the data escaped), so a small tag scanner is enough: it tells real tags from escaped text
//! such as `&lt;a href="x"&gt;`, which is left exactly as it is.

use sha2::{Digest, Sha256};
use std::fmt::Write as _;
use std::io::{self, Write as _};

/// `name` of the `<meta>` tags an archive carries.
pub const REPORT_META: &str = "huifang-report";
pub const VERSION_META: &str = "huifang-version";
pub const AS_OF_META: &str = "huifang-as-of";
pub const CHECKSUM_META: &str = "huifang-checksum";
const ARCHIVE_META: [&str; 4] = [REPORT_META, VERSION_META, AS_OF_META, CHECKSUM_META];

/// What the checksum value is replaced with before hashing.
const ZEROS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Metadata shown in the archive and embedded as `<meta>` tags.
#[derive(Debug, Clone, Copy)]
pub struct ArchiveMeta<'a> {
    /// The report, as in its URL: `2026-11`, `2026-Q3`, `2026`.
    pub report_id: &'a str,
    /// The report's snapshot version, from 1.
    pub version: u32,
    /// The date the data is current to, `2026-11-20`.
    pub as_of: &'a str,
    /// The program that made the archive, `huifang 0.1.0`.
    pub built_with: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ArchiveError {
    #[error("line {line}: {what} is not closed; expected `{expected}`")]
    Unclosed {
        line: usize,
        what: &'static str,
        expected: String,
    },
    #[error("the page has no {0} tag, so the archive banner and metadata have nowhere to go")]
    Missing(&'static str),
    #[error("the stylesheet contains `</style`, which would end the inlined <style> element early")]
    CssClosesStyle,
    #[error(
        "line {line}: the page already has <meta name=\"{name}\">, so it is an archive already; archive the rendered page instead"
    )]
    AlreadyArchived { line: usize, name: String },
    #[error("no <meta name=\"{CHECKSUM_META}\"> tag: this is not a huifang archive")]
    NoChecksum,
    #[error(
        "line {line}: a second <meta name=\"{CHECKSUM_META}\"> tag; an archive has exactly one"
    )]
    DuplicateChecksum { line: usize },
    #[error(
        "line {line}: the checksum `{found}` is not `sha256:` followed by 64 lowercase hex digits"
    )]
    MalformedChecksum { line: usize, found: String },
    #[error(
        "checksum mismatch: the archive records sha256:{recorded} but its content hashes to sha256:{computed}; the file was changed after it was archived"
    )]
    Mismatch { recorded: String, computed: String },
}

/// Turns one rendered page into a single self-contained HTML document:
///
/// - the first `<link rel="stylesheet">` becomes `<style>{css}</style>` (a page without one gets
///   the style at the end of `<head>`); every other `<link>`, `<base>`, `<meta http-equiv="refresh">`,
///   `<script>` and comment is removed;
/// - `<a href>` to anything but an in-page `#fragment` becomes a `<span>` (a `<g>` inside SVG)
///   that keeps its text and other attributes; `src`, `srcset` and every other attribute that
///   could load or lead to something else (`href`, `xlink:href`, `action`, `poster`, …) are
///   removed unless they point to a `#fragment`;
/// - right after `<body…>` comes a visible banner (`role="note"`) with the report id, version,
///   data as-of date and the checksum; before `</head>` the `<meta>` tags
///   `huifang-report`, `huifang-version`, `huifang-as-of`, `huifang-checksum` (`sha256:…`) and
///   `generator`, and `<meta charset="utf-8">` at the top of `<head>` if the page has none.
///
/// Text between tags is copied byte for byte. The same inputs give the same bytes.
pub fn self_contained(
    page_html: &str,
    css: &str,
    meta: &ArchiveMeta,
) -> Result<String, ArchiveError> {
    if find_ignore_case(css, "</style").is_some() {
        return Err(ArchiveError::CssClosesStyle);
    }
    let mut out = String::with_capacity(page_html.len() + css.len() + 2048);
    // Where the checksum placeholders are in `out`, to be overwritten once the hash is known.
    let mut checksum_slots: Vec<usize> = Vec::new();
    let mut head_start: Option<usize> = None;
    let mut head_closed = false;
    let mut has_charset = false;
    let mut style_inlined = false;
    let mut banner_written = false;
    let mut svg_depth = 0usize;
    // What each open `<a>` became, so its `</a>` closes the same element.
    let mut open_anchors: Vec<&'static str> = Vec::new();
    let mut in_script = false;

    for token in Scanner::new(page_html) {
        let (offset, token) = token?;
        if in_script {
            if let Token::End(name) = token
                && name.eq_ignore_ascii_case("script")
            {
                in_script = false;
            }
            continue;
        }
        match token {
            Token::Text(text) | Token::Declaration(text) => out.push_str(text),
            Token::Comment(_) => {}
            Token::End(name) => {
                if name.eq_ignore_ascii_case("head") && !head_closed {
                    let Some(start) = head_start else {
                        return Err(ArchiveError::Missing("<head>"));
                    };
                    if !has_charset {
                        out.insert_str(start, "\n<meta charset=\"utf-8\">");
                    }
                    if !style_inlined {
                        push_style(&mut out, css);
                        out.push('\n');
                        style_inlined = true;
                    }
                    push_head_meta(&mut out, meta, &mut checksum_slots);
                    head_closed = true;
                    out.push_str(&page_html[offset..offset + end_tag_len(page_html, offset)]);
                } else if name.eq_ignore_ascii_case("a") {
                    match open_anchors.pop() {
                        Some(element) => {
                            out.push_str("</");
                            out.push_str(element);
                            out.push('>');
                        }
                        None => out
                            .push_str(&page_html[offset..offset + end_tag_len(page_html, offset)]),
                    }
                } else {
                    if name.eq_ignore_ascii_case("svg") {
                        svg_depth = svg_depth.saturating_sub(1);
                    }
                    out.push_str(&page_html[offset..offset + end_tag_len(page_html, offset)]);
                }
            }
            Token::Start(tag) => {
                let name = tag.name;
                if name.eq_ignore_ascii_case("head") && head_start.is_none() {
                    out.push_str(tag.raw);
                    head_start = Some(out.len());
                } else if name.eq_ignore_ascii_case("body") && !banner_written {
                    if !head_closed {
                        return Err(ArchiveError::Missing("</head>"));
                    }
                    out.push_str(tag.raw);
                    push_banner(&mut out, meta, &mut checksum_slots);
                    banner_written = true;
                } else if name.eq_ignore_ascii_case("link") {
                    if is_stylesheet(&tag) && !style_inlined {
                        push_style(&mut out, css);
                        style_inlined = true;
                    }
                } else if name.eq_ignore_ascii_case("base") {
                    // Dropped: with every link gone there is nothing for it to resolve.
                } else if name.eq_ignore_ascii_case("script") {
                    in_script = !tag.self_closing;
                } else if name.eq_ignore_ascii_case("meta") {
                    if let Some(meta_name) = tag.attr("name")
                        && ARCHIVE_META
                            .iter()
                            .any(|m| meta_name.eq_ignore_ascii_case(m))
                    {
                        return Err(ArchiveError::AlreadyArchived {
                            line: line_at(page_html, offset),
                            name: meta_name.to_string(),
                        });
                    }
                    let http_equiv = tag.attr("http-equiv").unwrap_or("");
                    if http_equiv.eq_ignore_ascii_case("refresh") {
                        continue;
                    }
                    if tag.attr("charset").is_some()
                        || http_equiv.eq_ignore_ascii_case("content-type")
                    {
                        has_charset = true;
                    }
                    push_without_references(&mut out, &tag, name);
                } else if name.eq_ignore_ascii_case("a") {
                    let leads_away = tag
                        .attrs
                        .iter()
                        .any(|a| is_link_attr(a.name) && !a.value.is_some_and(is_in_page));
                    let element = match (leads_away, svg_depth > 0) {
                        (false, _) => "a",
                        (true, false) => "span",
                        (true, true) => "g",
                    };
                    if !tag.self_closing {
                        open_anchors.push(element);
                    }
                    if element == "a" {
                        push_without_references(&mut out, &tag, name);
                    } else {
                        push_as_plain(&mut out, &tag, element);
                    }
                } else {
                    if name.eq_ignore_ascii_case("svg") && !tag.self_closing {
                        svg_depth += 1;
                    }
                    push_without_references(&mut out, &tag, name);
                }
            }
        }
    }
    if head_start.is_none() {
        return Err(ArchiveError::Missing("<head>"));
    }
    if !head_closed {
        return Err(ArchiveError::Missing("</head>"));
    }
    if !banner_written {
        return Err(ArchiveError::Missing("<body>"));
    }

    let checksum = sha256_hex(out.as_bytes());
    for slot in checksum_slots {
        out.replace_range(slot..slot + ZEROS.len(), &checksum);
    }
    Ok(out)
}

/// Recomputes an archive's checksum and compares it with the one it records: `Ok(())` when the
/// document is exactly as [`self_contained`] wrote it.
pub fn verify(document: &str) -> Result<(), ArchiveError> {
    let mut recorded: Option<&str> = None;
    for token in Scanner::new(document) {
        let (offset, token) = token?;
        let Token::Start(tag) = token else { continue };
        if !tag.name.eq_ignore_ascii_case("meta")
            || !tag
                .attr("name")
                .is_some_and(|n| n.eq_ignore_ascii_case(CHECKSUM_META))
        {
            continue;
        }
        let line = line_at(document, offset);
        if recorded.is_some() {
            return Err(ArchiveError::DuplicateChecksum { line });
        }
        let content = tag.attr("content").unwrap_or("");
        let hex = content
            .strip_prefix("sha256:")
            .filter(|hex| {
                hex.len() == 64 && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
            })
            .ok_or_else(|| ArchiveError::MalformedChecksum {
                line,
                found: content.to_string(),
            })?;
        recorded = Some(hex);
    }
    let recorded = recorded.ok_or(ArchiveError::NoChecksum)?;
    let computed = sha256_hex(document.replace(recorded, ZEROS).as_bytes());
    if computed == recorded {
        Ok(())
    } else {
        Err(ArchiveError::Mismatch {
            recorded: recorded.to_string(),
            computed,
        })
    }
}

/// A deterministic `.tar.gz` of `(path, contents)` entries, in the given order: regular files
/// with mode 0644, owner and group 0, modification time 0, and a gzip header without a name or
/// time stamp, so the same entries give the same bytes. Paths are relative and use `/`;
/// absolute paths, `..` and a path given twice are refused.
pub fn tar_gz(entries: &[(String, Vec<u8>)]) -> io::Result<Vec<u8>> {
    let gzip = flate2::GzBuilder::new()
        .mtime(0)
        .operating_system(255) // "unknown", whatever machine builds it
        .write(Vec::new(), flate2::Compression::default());
    let mut tar = tar::Builder::new(gzip);
    let mut seen = std::collections::HashSet::new();
    for (path, contents) in entries {
        if !seen.insert(path.as_str()) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("archive entry `{path}` is given twice"),
            ));
        }
        let mut header = tar::Header::new_gnu();
        header.set_entry_type(tar::EntryType::Regular);
        header.set_size(contents.len() as u64);
        header.set_mode(0o644);
        header.set_uid(0);
        header.set_gid(0);
        header.set_mtime(0);
        tar.append_data(&mut header, path, contents.as_slice())
            .map_err(|e| io::Error::new(e.kind(), format!("archive entry `{path}`: {e}")))?;
    }
    let mut gzip = tar.into_inner()?;
    gzip.flush()?;
    gzip.finish()
}

// ----- what the archive adds -------------------------------------------------------------------

fn push_style(out: &mut String, css: &str) {
    out.push_str("<style>");
    out.push_str(css);
    out.push_str("</style>");
}

fn push_head_meta(out: &mut String, meta: &ArchiveMeta, checksum_slots: &mut Vec<usize>) {
    for (name, content) in [
        (REPORT_META, meta.report_id.to_string()),
        (VERSION_META, meta.version.to_string()),
        (AS_OF_META, meta.as_of.to_string()),
    ] {
        let _ = writeln!(
            out,
            "<meta name=\"{name}\" content=\"{}\">",
            escape(&content)
        );
    }
    let _ = write!(out, "<meta name=\"{CHECKSUM_META}\" content=\"sha256:");
    checksum_slots.push(out.len());
    out.push_str(ZEROS);
    out.push_str("\">\n");
    let _ = writeln!(
        out,
        "<meta name=\"generator\" content=\"{}\">",
        escape(meta.built_with)
    );
    out.push_str(
        "<!-- huifang archive. To verify it, replace every occurrence of the huifang-checksum \
         value (the 64 hex digits after sha256:) in this file with 64 zeros: the SHA-256 of the \
         resulting bytes is that value. -->\n",
    );
}

/// The banner is part of the archive, not of the theme: it carries its own inline style and
/// says everything in both Chinese and English, so it reads the same whatever the site's locale.
fn push_banner(out: &mut String, meta: &ArchiveMeta, checksum_slots: &mut Vec<usize>) {
    let _ = write!(
        out,
        "\n<div class=\"huifang-archive\" role=\"note\" style=\"margin:0;padding:.6em 1em;\
         border-bottom:2px solid #555;background:#f2f2f2;color:#111;font-size:.9rem;line-height:1.5\">\
         <strong>存档副本 Archived copy</strong> · 报告 Report <b>{}</b> · 版本 Version <b>{}</b> · \
         数据截至 Data as of <b>{}</b> · {}<br>SHA-256 <code style=\"word-break:break-all\">",
        escape(meta.report_id),
        meta.version,
        escape(meta.as_of),
        escape(meta.built_with),
    );
    checksum_slots.push(out.len());
    out.push_str(ZEROS);
    out.push_str("</code></div>");
}

fn sha256_hex(bytes: &[u8]) -> String {
    let mut hex = String::with_capacity(64);
    for byte in Sha256::digest(bytes) {
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

/// Text safe inside an element or a double-quoted attribute.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

// ----- what the archive takes away ---------------------------------------------------------------

/// Attributes whose value is a URL that leads to or loads something.
const URL_ATTRS: &[&str] = &[
    "href",
    "xlink:href",
    "src",
    "srcset",
    "action",
    "formaction",
    "poster",
    "data",
    "cite",
    "longdesc",
    "background",
    "ping",
    "manifest",
    "codebase",
    "lowsrc",
];

/// Attributes that only mean something on a link, dropped when it becomes plain text.
const LINK_ONLY_ATTRS: &[&str] = &[
    "target",
    "download",
    "hreflang",
    "rel",
    "referrerpolicy",
    "type",
];

fn is_link_attr(name: &str) -> bool {
    name.eq_ignore_ascii_case("href") || name.eq_ignore_ascii_case("xlink:href")
}

fn is_in_page(url: &str) -> bool {
    url.trim_start().starts_with('#')
}

/// Whether an attribute may stay: anything but a URL, or a URL to a `#fragment` of this page
/// (`src` and `srcset` never: there is nothing in-page for them to load).
fn keeps(attr: &Attr) -> bool {
    let is_url = URL_ATTRS.iter().any(|u| attr.name.eq_ignore_ascii_case(u));
    if !is_url {
        return true;
    }
    let always_loads =
        attr.name.eq_ignore_ascii_case("src") || attr.name.eq_ignore_ascii_case("srcset");
    !always_loads && attr.value.is_some_and(is_in_page)
}

/// A `<link>` the browser applies as a stylesheet (not an alternate one).
fn is_stylesheet(tag: &StartTag) -> bool {
    let rel = tag.attr("rel").unwrap_or("");
    let mut tokens = rel.split_ascii_whitespace();
    let stylesheet = tokens.clone().any(|t| t.eq_ignore_ascii_case("stylesheet"));
    stylesheet && !tokens.any(|t| t.eq_ignore_ascii_case("alternate"))
}

/// The tag as it was when nothing in it leads elsewhere, otherwise rebuilt without those
/// attributes.
fn push_without_references(out: &mut String, tag: &StartTag, name: &str) {
    if tag.attrs.iter().all(keeps) {
        out.push_str(tag.raw);
    } else {
        push_tag(
            out,
            name,
            tag.attrs.iter().filter(|a| keeps(a)),
            tag.self_closing,
        );
    }
}

/// A link turned into `element` (`span`, or `g` in SVG): same text, same class, no destination.
fn push_as_plain(out: &mut String, tag: &StartTag, element: &str) {
    let kept = tag.attrs.iter().filter(|a| {
        keeps(a)
            && !LINK_ONLY_ATTRS
                .iter()
                .any(|l| a.name.eq_ignore_ascii_case(l))
    });
    push_tag(out, element, kept, tag.self_closing);
}

fn push_tag<'t>(
    out: &mut String,
    name: &str,
    attrs: impl Iterator<Item = &'t Attr<'t>>,
    self_closing: bool,
) {
    out.push('<');
    out.push_str(name);
    for attr in attrs {
        out.push(' ');
        out.push_str(attr.raw);
    }
    out.push_str(if self_closing { " />" } else { ">" });
}

// ----- the tag scanner -----------------------------------------------------------------------------

/// One piece of an HTML document; every piece borrows its exact text.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token<'a> {
    /// Text between tags, still escaped. The content of `<style>`, `<script>`, `<title>` and
    /// `<textarea>` is one piece of text, whatever it holds.
    Text(&'a str),
    /// `<!-- … -->`.
    Comment(&'a str),
    /// `<!doctype html>` and any other `<!…>` or `<?…>`.
    Declaration(&'a str),
    Start(StartTag<'a>),
    /// `</name>`; the name only.
    End(&'a str),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct StartTag<'a> {
    /// The whole tag, `<` to `>`.
    raw: &'a str,
    name: &'a str,
    attrs: Vec<Attr<'a>>,
    /// Written `<… />`.
    self_closing: bool,
}

impl<'a> StartTag<'a> {
    /// The value of the first attribute of that name, still escaped; `Some("")` for a bare
    /// attribute.
    fn attr(&self, name: &str) -> Option<&'a str> {
        self.attrs
            .iter()
            .find(|a| a.name.eq_ignore_ascii_case(name))
            .map(|a| a.value.unwrap_or(""))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Attr<'a> {
    name: &'a str,
    /// Without its quotes; `None` for a bare attribute (`<input disabled>`).
    value: Option<&'a str>,
    /// `name="value"` exactly as written.
    raw: &'a str,
}

/// Elements whose content is text up to their end tag, never tags.
const RAW_TEXT: &[&str] = &["script", "style", "title", "textarea"];

/// Splits a document into [`Token`]s with the byte offset each starts at.
struct Scanner<'a> {
    html: &'a str,
    pos: usize,
    /// Set after the start tag of a [`RAW_TEXT`] element.
    raw_text_of: Option<&'a str>,
}

impl<'a> Scanner<'a> {
    fn new(html: &'a str) -> Scanner<'a> {
        Scanner {
            html,
            pos: 0,
            raw_text_of: None,
        }
    }

    fn unclosed(&self, at: usize, what: &'static str, expected: impl Into<String>) -> ArchiveError {
        ArchiveError::Unclosed {
            line: line_at(self.html, at),
            what,
            expected: expected.into(),
        }
    }

    fn next_token(&mut self) -> Result<Token<'a>, ArchiveError> {
        let html = self.html;
        let start = self.pos;
        let rest = &html[start..];

        if let Some(element) = self.raw_text_of.take() {
            let len = find_end_tag(rest, element)
                .ok_or_else(|| self.unclosed(start, "an element", format!("</{element}>")))?;
            if len > 0 {
                self.pos += len;
                return Ok(Token::Text(&rest[..len]));
            }
        }

        let bytes = rest.as_bytes();
        let next = bytes.get(1).copied().unwrap_or(0);
        if bytes[0] != b'<' || !(next.is_ascii_alphabetic() || matches!(next, b'/' | b'!' | b'?')) {
            // Text up to the next `<`; a `<` that starts no tag is text too.
            let len = text_len(bytes);
            self.pos += len;
            return Ok(Token::Text(&rest[..len]));
        }
        if let Some(comment) = rest.strip_prefix("<!--") {
            let len = comment
                .find("-->")
                .map(|i| "<!--".len() + i + "-->".len())
                .ok_or_else(|| self.unclosed(start, "a comment", "-->"))?;
            self.pos += len;
            return Ok(Token::Comment(&rest[..len]));
        }
        if matches!(next, b'!' | b'?') {
            let len = rest
                .find('>')
                .map(|i| i + 1)
                .ok_or_else(|| self.unclosed(start, "a declaration", ">"))?;
            self.pos += len;
            return Ok(Token::Declaration(&rest[..len]));
        }
        if next == b'/' {
            if !bytes.get(2).is_some_and(u8::is_ascii_alphabetic) {
                // `</` followed by no name: text, as far as we are concerned.
                let len = text_len(bytes);
                self.pos += len;
                return Ok(Token::Text(&rest[..len]));
            }
            let name_len = tag_name_len(&bytes[2..]);
            let len = rest
                .find('>')
                .map(|i| i + 1)
                .ok_or_else(|| self.unclosed(start, "an end tag", ">"))?;
            self.pos += len;
            return Ok(Token::End(&rest[2..2 + name_len]));
        }
        let tag = self.start_tag()?;
        if !tag.self_closing {
            self.raw_text_of = RAW_TEXT
                .iter()
                .any(|r| tag.name.eq_ignore_ascii_case(r))
                .then_some(tag.name);
        }
        Ok(Token::Start(tag))
    }

    /// `<name attr="value" attr='value' attr=value attr>` or `<… />`, at `self.pos`.
    fn start_tag(&mut self) -> Result<StartTag<'a>, ArchiveError> {
        let html = self.html;
        let bytes = html.as_bytes();
        let start = self.pos;
        let mut i = start + 1;
        i += tag_name_len(&bytes[i..]);
        let name = &html[start + 1..i];
        let mut attrs = Vec::new();
        let self_closing;
        loop {
            while i < bytes.len() && is_space(bytes[i]) {
                i += 1;
            }
            match bytes.get(i) {
                None => return Err(self.unclosed(start, "a tag", ">")),
                Some(b'>') => {
                    i += 1;
                    self_closing = false;
                    break;
                }
                Some(b'/') if bytes.get(i + 1) == Some(&b'>') => {
                    i += 2;
                    self_closing = true;
                    break;
                }
                Some(b'/') => i += 1,
                Some(_) => {
                    let attr_start = i;
                    i += 1; // the first character belongs to the name, even `=`
                    while i < bytes.len()
                        && !is_space(bytes[i])
                        && !matches!(bytes[i], b'/' | b'>' | b'=')
                    {
                        i += 1;
                    }
                    let attr_name = &html[attr_start..i];
                    let mut j = i;
                    while j < bytes.len() && is_space(bytes[j]) {
                        j += 1;
                    }
                    let mut value = None;
                    if bytes.get(j) == Some(&b'=') {
                        j += 1;
                        while j < bytes.len() && is_space(bytes[j]) {
                            j += 1;
                        }
                        match bytes.get(j) {
                            None => return Err(self.unclosed(start, "a tag", ">")),
                            Some(&quote @ (b'"' | b'\'')) => {
                                let close = html[j + 1..].find(quote as char).ok_or_else(|| {
                                    self.unclosed(
                                        start,
                                        "an attribute value",
                                        (quote as char).to_string(),
                                    )
                                })?;
                                value = Some(&html[j + 1..j + 1 + close]);
                                i = j + 1 + close + 1;
                            }
                            Some(_) => {
                                let mut k = j;
                                while k < bytes.len() && !is_space(bytes[k]) && bytes[k] != b'>' {
                                    k += 1;
                                }
                                value = Some(&html[j..k]);
                                i = k;
                            }
                        }
                    }
                    attrs.push(Attr {
                        name: attr_name,
                        value,
                        raw: &html[attr_start..i],
                    });
                }
            }
        }
        self.pos = i;
        Ok(StartTag {
            raw: &html[start..i],
            name,
            attrs,
            self_closing,
        })
    }
}

impl<'a> Iterator for Scanner<'a> {
    type Item = Result<(usize, Token<'a>), ArchiveError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.pos >= self.html.len() {
            if let Some(element) = self.raw_text_of.take() {
                return Some(Err(self.unclosed(
                    self.pos,
                    "an element",
                    format!("</{element}>"),
                )));
            }
            return None;
        }
        let start = self.pos;
        let token = self.next_token();
        if token.is_err() {
            self.pos = self.html.len(); // stop after the first error
            self.raw_text_of = None;
        }
        Some(token.map(|t| (start, t)))
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

/// Text runs up to the next `<` after its first byte (which may be a `<` that starts no tag).
fn text_len(bytes: &[u8]) -> usize {
    bytes[1..]
        .iter()
        .position(|&b| b == b'<')
        .map_or(bytes.len(), |i| i + 1)
}

fn tag_name_len(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .position(|&b| is_space(b) || b == b'/' || b == b'>')
        .unwrap_or(bytes.len())
}

/// The length of the end tag starting at `offset`, `</name>` with anything before its `>`.
fn end_tag_len(html: &str, offset: usize) -> usize {
    html[offset..]
        .find('>')
        .map_or(html.len() - offset, |i| i + 1)
}

/// Where `</element` (any case, followed by a space, `/` or `>`) starts in `text`.
fn find_end_tag(text: &str, element: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(i) = text[from..].find("</") {
        let at = from + i;
        let name_end = at + 2 + element.len();
        if bytes.len() >= name_end
            && bytes[at + 2..name_end].eq_ignore_ascii_case(element.as_bytes())
            && bytes
                .get(name_end)
                .is_none_or(|&b| is_space(b) || b == b'/' || b == b'>')
        {
            return Some(at);
        }
        from = at + 2;
    }
    None
}

fn find_ignore_case(text: &str, needle: &str) -> Option<usize> {
    text.as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

fn line_at(text: &str, offset: usize) -> usize {
    text[..offset].bytes().filter(|&b| b == b'\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    const CSS: &str = "body { font-family: sans-serif; }\n.kpi > .kpi-value { font-size: 2rem; }\n";

    const META: ArchiveMeta<'static> = ArchiveMeta {
        report_id: "2026-Q3",
        version: 3,
        as_of: "2026-11-20",
        built_with: "huifang 0.1.0",
    };

    /// What the comment cell shows: a customer typed HTML, and the template escaped it.
    const ESCAPED_COMMENT: &str = "客户原话：页面里写了 &lt;a href=\"x\"&gt;点我&lt;/a&gt; 和 &lt;img src=&quot;y.png&quot;&gt;，电话 138****0000";

    /// A report page as the default theme writes it, with a few things it never writes (a
    /// favicon link, a comment, an external link) to show they go too.
    fn report_page() -> String {
        format!(
            r##"<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>2026年第3季度 · 翠湖物业 客户回访报告</title>
<link rel="stylesheet" href="../../style.css">
<link rel="icon" href="../../favicon.ico">
</head>
<body>
<a class="skip" href="#main">跳到正文</a>
<header class="site-header">
<a class="brand" href="../../index.html">翠湖物业 客户回访报告</a>
<nav aria-label="页面"><ul>
<li><a href="../../index.html">首页</a></li>
<li><a href="../../methodology/index.html">指标说明</a></li>
</ul></nav>
</header>
<main id="main">
<!-- <a href="../../hidden.html">in a comment</a> -->
<p class="breadcrumbs"><a href="../../index.html">首页</a> › 季度</p>
<h1>2026年第3季度</h1>
<div class="table-wrap"><table>
<caption>部门满意度排名</caption>
<thead><tr><th scope="col">部门</th><th scope="col">满意率</th></tr></thead>
<tbody>
<tr><td><a href="../../reports/2026-Q3/departments/engineering/index.html">工程部</a></td><td class="num">82.8%</td></tr>
</tbody></table></div>
<figure>
<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-line" viewBox="0 0 720 360" width="100%" role="img" aria-labelledby="trend-title">
<title id="trend-title">满意率 · 近12期</title>
<polyline points="0,10 20,30" fill="none" stroke="#1f6feb"/>
<text x="10" y="20">82.8%</text>
</svg>
<figcaption>满意率趋势</figcaption>
</figure>
<p class="comment">{ESCAPED_COMMENT}</p>
<p><a href="#main">回到顶部</a></p>
</main>
<footer><a href="https://example.com/huifang" target="_blank" rel="noopener">huifang</a></footer>
</body>
</html>
"##
        )
    }

    /// Every `href=`/`src=` that sits inside a real tag (the last `<` before it comes after the
    /// last `>`) and does not point to `#…`: worked out without the module's scanner.
    fn external_references(html: &str) -> Vec<String> {
        let mut found = Vec::new();
        for attr in ["href=", "src=", "srcset="] {
            for (i, _) in html.match_indices(attr) {
                let before = &html[..i];
                let in_tag = match (before.rfind('<'), before.rfind('>')) {
                    (Some(lt), Some(gt)) => lt > gt,
                    (Some(_), None) => true,
                    _ => false,
                };
                let value = html[i + attr.len()..].trim_start_matches(['"', '\'']);
                if in_tag && !value.starts_with('#') {
                    found.push(html[i..].chars().take(40).collect());
                }
            }
        }
        found
    }

    fn archive() -> String {
        self_contained(&report_page(), CSS, &META).unwrap()
    }

    #[test]
    fn the_sample_page_leads_nowhere_outside_itself() {
        let page = report_page();
        assert_eq!(
            external_references(&page).len(),
            9,
            "the sample page has links to remove"
        );
        let archive = archive();
        assert_eq!(external_references(&archive), Vec::<String>::new());
        assert!(!archive.contains("<link"));
        assert!(!archive.contains("<!-- <a"), "comments go");
        // The only `href="` left outside `#…` is the customer's escaped text.
        let raw: Vec<_> = archive
            .match_indices("href=\"")
            .filter(|(i, m)| !archive[i + m.len()..].starts_with('#'))
            .collect();
        assert_eq!(raw.len(), 1);
        assert!(archive.contains(ESCAPED_COMMENT));
    }

    #[test]
    fn links_to_other_pages_become_text_and_in_page_links_stay() {
        let archive = archive();
        assert!(archive.contains("<li><span>首页</span></li>"));
        assert!(archive.contains("<span class=\"brand\">翠湖物业 客户回访报告</span>"));
        assert!(archive.contains("<td><span>工程部</span></td>"));
        assert!(archive.contains("<footer><span>huifang</span></footer>"));
        assert!(archive.contains("<a class=\"skip\" href=\"#main\">跳到正文</a>"));
        assert!(archive.contains("<p><a href=\"#main\">回到顶部</a></p>"));
        assert_eq!(
            archive.matches("<a ").count(),
            archive.matches("</a>").count()
        );
        assert_eq!(
            archive.matches("<span").count(),
            archive.matches("</span>").count()
        );
    }

    #[test]
    fn the_stylesheet_is_inlined_where_it_was_linked() {
        let archive = archive();
        assert!(archive.contains(&format!("客户回访报告</title>\n<style>{CSS}</style>\n")));
        assert_eq!(archive.matches("<style>").count(), 1);
        assert!(archive.starts_with(
            "<!doctype html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
        ));
    }

    #[test]
    fn the_chart_is_kept_as_it_was() {
        let page = report_page();
        let svg_start = page.find("<svg").unwrap();
        let svg_end = page.find("</svg>").unwrap() + "</svg>".len();
        assert!(archive().contains(&page[svg_start..svg_end]));
    }

    #[test]
    fn banner_and_meta_name_the_report_version_date_and_checksum() {
        let archive = archive();
        let checksum = checksum_of(&archive);
        let banner_at = archive
            .find("<body>\n<div class=\"huifang-archive\" role=\"note\"")
            .unwrap();
        let banner = &archive[banner_at..archive[banner_at..].find("</div>").unwrap() + banner_at];
        for shown in [
            "<b>2026-Q3</b>",
            "Version <b>3</b>",
            "<b>2026-11-20</b>",
            "huifang 0.1.0",
            &checksum,
        ] {
            assert!(banner.contains(shown), "banner shows {shown}: {banner}");
        }
        for tag in [
            "<meta name=\"huifang-report\" content=\"2026-Q3\">".to_string(),
            "<meta name=\"huifang-version\" content=\"3\">".to_string(),
            "<meta name=\"huifang-as-of\" content=\"2026-11-20\">".to_string(),
            format!("<meta name=\"huifang-checksum\" content=\"sha256:{checksum}\">"),
            "<meta name=\"generator\" content=\"huifang 0.1.0\">".to_string(),
        ] {
            let at = archive
                .find(&tag)
                .unwrap_or_else(|| panic!("{tag} missing"));
            assert!(at < archive.find("</head>").unwrap());
        }
    }

    fn checksum_of(archive: &str) -> String {
        let at = archive.find("content=\"sha256:").unwrap() + "content=\"sha256:".len();
        archive[at..at + 64].to_string()
    }

    #[test]
    fn the_checksum_is_the_sha256_of_the_document_with_zeros_in_its_place() {
        let archive = archive();
        let checksum = checksum_of(&archive);
        assert_eq!(
            archive.matches(&checksum).count(),
            2,
            "in the meta tag and the banner"
        );
        let zeroed = archive.replace(&checksum, &"0".repeat(64));
        assert_eq!(sha256_hex(zeroed.as_bytes()), checksum);
        assert_eq!(verify(&archive), Ok(()));
    }

    #[test]
    fn verify_fails_when_one_character_changes() {
        let archive = archive();
        let changed = archive.replacen("82.8%", "92.8%", 1);
        assert!(matches!(
            verify(&changed),
            Err(ArchiveError::Mismatch { .. })
        ));

        let checksum = checksum_of(&archive);
        let mut forged = checksum.clone();
        forged.replace_range(0..1, if checksum.starts_with('a') { "b" } else { "a" });
        let forged = archive.replace(&checksum, &forged);
        assert!(matches!(
            verify(&forged),
            Err(ArchiveError::Mismatch { .. })
        ));

        let upper = archive.replace(&checksum, &checksum.to_uppercase());
        if upper != archive {
            assert!(matches!(
                verify(&upper),
                Err(ArchiveError::MalformedChecksum { .. })
            ));
        }
    }

    #[test]
    fn verify_refuses_what_is_not_an_archive() {
        assert_eq!(verify(&report_page()), Err(ArchiveError::NoChecksum));
        let archive = archive();
        let meta_at = archive.find("<meta name=\"huifang-checksum\"").unwrap();
        let meta_end = meta_at + archive[meta_at..].find('>').unwrap() + 1;
        let doubled = format!("{}{}", &archive[..meta_end], &archive[meta_at..]);
        assert!(matches!(
            verify(&doubled),
            Err(ArchiveError::DuplicateChecksum { .. })
        ));
    }

    #[test]
    fn the_same_page_gives_the_same_bytes() {
        assert_eq!(archive(), archive());
        let other =
            self_contained(&report_page(), CSS, &ArchiveMeta { version: 4, ..META }).unwrap();
        assert_ne!(checksum_of(&archive()), checksum_of(&other));
    }

    #[test]
    fn zeros_already_in_the_page_do_not_break_the_checksum() {
        let page = report_page().replace("82.8%</td>", &format!("{ZEROS}</td>"));
        let archive = self_contained(&page, CSS, &META).unwrap();
        assert!(archive.contains(&format!("{ZEROS}</td>")));
        assert_eq!(verify(&archive), Ok(()));
    }

    #[test]
    fn metadata_is_escaped() {
        let meta = ArchiveMeta {
            report_id: "<x>\"&",
            ..META
        };
        let archive = self_contained(&report_page(), CSS, &meta).unwrap();
        assert!(archive.contains("content=\"&lt;x&gt;&quot;&amp;\""));
        assert!(archive.contains("<b>&lt;x&gt;&quot;&amp;</b>"));
        assert_eq!(verify(&archive), Ok(()));
    }

    #[test]
    fn an_archive_is_not_archived_again() {
        let archive = archive();
        let first_meta = archive.find("<meta name=\"huifang-report\"").unwrap();
        assert_eq!(
            self_contained(&archive, CSS, &META),
            Err(ArchiveError::AlreadyArchived {
                line: line_at(&archive, first_meta),
                name: REPORT_META.to_string()
            })
        );
    }

    #[test]
    fn a_page_without_head_or_body_is_refused() {
        let no_body = "<html><head><title>x</title></head><p>x</p></html>";
        assert_eq!(
            self_contained(no_body, CSS, &META),
            Err(ArchiveError::Missing("<body>"))
        );
        let no_head = "<html><body><p>x</p></body></html>";
        assert_eq!(
            self_contained(no_head, CSS, &META),
            Err(ArchiveError::Missing("</head>"))
        );
    }

    #[test]
    fn css_that_would_close_the_style_element_is_refused() {
        let css = "p::after { content: \"</STYLE>\" }";
        assert_eq!(
            self_contained(&report_page(), css, &META),
            Err(ArchiveError::CssClosesStyle)
        );
    }

    #[test]
    fn a_page_without_charset_or_stylesheet_gets_both() {
        let page =
            "<html>\n<head>\n<title>t</title>\n</head>\n<body>\n<p>x</p>\n</body>\n</html>\n";
        let archive = self_contained(page, CSS, &META).unwrap();
        assert!(
            archive
                .starts_with("<html>\n<head>\n<meta charset=\"utf-8\">\n<title>t</title>\n<style>")
        );
        assert_eq!(verify(&archive), Ok(()));
    }

    #[test]
    fn scripts_images_and_other_loaders_go() {
        let page = r##"<html><head><base href="https://example.com/"><meta http-equiv="refresh" content="0; url=https://example.com/">
<script src="app.js"></script><script>document.write('<img src="x">')</script></head>
<body><img src="logo.png" alt="标志"><form action="/send"><button formaction="/x">送</button></form>
<svg><use xlink:href="sprite.svg#i"/><use href="#local"/><a href="other.html"><text>t</text></a></svg>
<A HREF='../x.html' CLASS=big>大写</A> <a name="anchor">命名锚点</a> <a href=../bare.html>bare</a></body></html>"##;
        let archive = self_contained(page, CSS, &META).unwrap();
        assert_eq!(external_references(&archive), Vec::<String>::new());
        for gone in ["<base", "refresh", "<script", "document.write", "action="] {
            assert!(!archive.contains(gone), "{gone} is still in {archive}");
        }
        assert!(archive.contains("<img alt=\"标志\">"));
        assert!(archive.contains("<use href=\"#local\"/>"));
        assert!(archive.contains("<g><text>t</text></g>"));
        assert!(archive.contains("<span CLASS=big>大写</span>"));
        assert!(archive.contains("<a name=\"anchor\">命名锚点</a>"));
        assert!(archive.contains("<span>bare</span>"));
    }

    #[test]
    fn the_scanner_tells_tags_from_escaped_text() {
        let html = "<p title=\"a > b\" data-x='1' hidden>&lt;a href=\"x\"&gt; 1 < 2</p><style>a[href] > b {}</style><!---->";
        let tokens: Vec<Token> = Scanner::new(html).map(|t| t.unwrap().1).collect();
        let Token::Start(p) = &tokens[0] else {
            panic!("{tokens:?}")
        };
        assert_eq!(p.name, "p");
        assert_eq!(p.attr("title"), Some("a > b"));
        assert_eq!(p.attr("data-x"), Some("1"));
        assert_eq!(p.attr("hidden"), Some(""));
        assert_eq!(
            &tokens[1..],
            &[
                Token::Text("&lt;a href=\"x\"&gt; 1 "),
                Token::Text("< 2"),
                Token::End("p"),
                tokens[4].clone(),
                Token::Text("a[href] > b {}"),
                Token::End("style"),
                Token::Comment("<!---->"),
            ]
        );
        let concatenated: String = Scanner::new(html)
            .map(|t| match t.unwrap().1 {
                Token::Start(tag) => tag.raw,
                Token::Text(s) | Token::Comment(s) | Token::Declaration(s) => s,
                Token::End(_) => "",
            })
            .collect();
        assert_eq!(
            concatenated,
            html.replace("</p>", "").replace("</style>", "")
        );
    }

    #[test]
    fn an_unclosed_tag_is_reported_with_its_line() {
        let page = "<html><head></head>\n<body>\n<a href=\"x\n</body></html>";
        assert_eq!(
            self_contained(page, CSS, &META),
            Err(ArchiveError::Unclosed {
                line: 3,
                what: "an attribute value",
                expected: "\"".to_string()
            })
        );
    }

    fn entries() -> Vec<(String, Vec<u8>)> {
        vec![
            ("2026-Q3/index.html".to_string(), archive().into_bytes()),
            (
                "2026-Q3/metrics.json".to_string(),
                b"{\"visits\":177}\n".to_vec(),
            ),
            (
                format!("2026-Q3/departments/{}/工程部.html", "x".repeat(120)),
                "工程部".as_bytes().to_vec(),
            ),
            ("empty.txt".to_string(), Vec::new()),
        ]
    }

    #[test]
    fn tar_gz_is_the_same_bytes_every_time() {
        let first = tar_gz(&entries()).unwrap();
        assert_eq!(first, tar_gz(&entries()).unwrap());
        assert_eq!(&first[..2], &[0x1f, 0x8b], "gzip magic");
        assert_eq!(&first[4..8], &[0, 0, 0, 0], "no gzip time stamp");
    }

    #[test]
    fn tar_gz_reads_back_with_the_same_names_contents_and_fixed_metadata() {
        use std::io::Read;
        let bytes = tar_gz(&entries()).unwrap();
        let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(bytes.as_slice()));
        let mut read = Vec::new();
        for entry in archive.entries().unwrap() {
            let mut entry = entry.unwrap();
            let header = entry.header();
            assert_eq!(header.mode().unwrap(), 0o644);
            assert_eq!(header.mtime().unwrap(), 0);
            assert_eq!((header.uid().unwrap(), header.gid().unwrap()), (0, 0));
            assert_eq!(header.entry_type(), tar::EntryType::Regular);
            let path = entry.path().unwrap().to_str().unwrap().to_string();
            let mut contents = Vec::new();
            entry.read_to_end(&mut contents).unwrap();
            read.push((path, contents));
        }
        assert_eq!(read, entries());
    }

    #[test]
    fn tar_gz_refuses_paths_that_escape_or_repeat() {
        for bad in [
            vec![("../x".to_string(), Vec::new())],
            vec![("/etc/x".to_string(), Vec::new())],
            vec![("a".to_string(), Vec::new()), ("a".to_string(), Vec::new())],
        ] {
            assert!(tar_gz(&bad).is_err(), "{bad:?}");
        }
        assert!(tar_gz(&[]).is_ok());
    }
}
