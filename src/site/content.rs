//! Markdown content under `content/`: `_index.md` (home intro), `reports/<id>.md` (commentary
//! on one report) and any other `*.md` (a free page in the navigation). Each file may start
//! with TOML front matter between `+++` lines. Commentary can quote the report's live numbers
//! with `{{ metric(name="satisfied_rate", department="工程部") }}`.
//!
//! Raw HTML in markdown is shown as text, never passed through: content is published next
//! to data, and a report should not be able to run script or load anything from elsewhere.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct ContentError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: Option<String>,
    /// Navigation order of a free page (smaller first; then by title).
    #[serde(default)]
    pub weight: i64,
}

/// One markdown file, front matter parsed, body not yet rendered.
#[derive(Debug, Clone)]
pub struct Doc {
    /// Path relative to the project, for messages.
    pub file: String,
    pub front: FrontMatter,
    pub body: String,
    /// Line of the file on which `body` starts (1-based).
    pub body_line: usize,
}

/// What links and images in rendered markdown become.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Links {
    /// On the site: links stay (a script URL becomes `#`), an image from elsewhere is its alt
    /// text.
    #[default]
    Kept,
    /// In an archive, which stands alone: a link is its text, an image its alt text.
    AsText,
}

#[derive(Debug, Clone, Default)]
pub struct Content {
    /// How the docs render links; set by whoever renders them outside the site.
    pub links: Links,
    pub home: Option<Doc>,
    /// Commentary by report id.
    pub reports: BTreeMap<String, Doc>,
    /// Free pages: (slug, doc), in navigation order.
    pub pages: Vec<(String, Doc)>,
}

impl Content {
    /// Reads `dir` (usually `content/`). A missing folder is simply no content.
    pub fn load(dir: &Path, root: &Path) -> Result<Content, ContentError> {
        let mut content = Content::default();
        if !dir.is_dir() {
            return Ok(content);
        }
        let display = |p: &Path| {
            p.strip_prefix(root)
                .unwrap_or(p)
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/")
        };
        let mut files: Vec<_> = walkdir::WalkDir::new(dir)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
            .map(|e| e.into_path())
            .collect();
        files.sort();
        for path in files {
            let file = display(&path);
            let text = std::fs::read_to_string(&path).map_err(|e| ContentError {
                file: file.clone(),
                line: 1,
                message: format!("cannot read: {e}"),
            })?;
            let doc = parse_doc(file, &text)?;
            let relative = path.strip_prefix(dir).unwrap_or(&path);
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let parent = relative
                .parent()
                .map(|p| p.to_string_lossy().into_owned())
                .unwrap_or_default();
            match (parent.as_str(), stem.as_str()) {
                ("", "_index") => content.home = Some(doc),
                ("reports", id) => {
                    content.reports.insert(id.to_owned(), doc);
                }
                ("", _) => content
                    .pages
                    .push((crate::slug::derive("page", &stem), doc)),
                _ => {
                    return Err(ContentError {
                        file: doc.file,
                        line: 1,
                        message: "unexpected place: use content/_index.md, content/reports/<id>.md or content/<page>.md"
                            .to_owned(),
                    });
                }
            }
        }
        content.pages.sort_by(|(sa, a), (sb, b)| {
            (a.front.weight, &a.front.title, sa).cmp(&(b.front.weight, &b.front.title, sb))
        });
        Ok(content)
    }
}

/// Splits optional `+++` TOML front matter from the body.
pub fn parse_doc(file: String, text: &str) -> Result<Doc, ContentError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(rest) = text
        .strip_prefix("+++\n")
        .or_else(|| text.strip_prefix("+++\r\n"))
    else {
        return Ok(Doc {
            file,
            front: FrontMatter::default(),
            body: text.to_owned(),
            body_line: 1,
        });
    };
    let close = if rest.starts_with("+++") {
        Some(0)
    } else {
        rest.find("\n+++").map(|i| i + 1)
    };
    let Some(close) = close else {
        return Err(ContentError {
            file,
            line: 1,
            message: "front matter opened with +++ is never closed".to_owned(),
        });
    };
    let toml_text = &rest[..close];
    let front: FrontMatter = toml::from_str(toml_text).map_err(|e| ContentError {
        // The opening +++ is line 1 of the file.
        line: 2 + e
            .span()
            .map_or(0, |s| toml_text[..s.start].matches('\n').count()),
        file: file.clone(),
        message: e.message().to_owned(),
    })?;
    let after = &rest[close + 3..];
    let after = after
        .strip_prefix("\r\n")
        .or_else(|| after.strip_prefix('\n'))
        .unwrap_or(after);
    Ok(Doc {
        file,
        front,
        body_line: 3 + toml_text.lines().count(),
        body: after.to_owned(),
    })
}

/// Arguments of one `{{ metric(...) }}` call.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MetricCall {
    pub name: String,
    pub department: Option<String>,
    pub site: Option<String>,
    pub period: Option<String>,
}

/// Replaces every `{{ metric(...) }}` in the body with what `resolve` returns, then renders
/// the markdown to HTML. `resolve` returns the formatted value or an error message; either
/// way the message of an error names the file and line of the call.
pub fn render(
    doc: &Doc,
    links: Links,
    resolve: &dyn Fn(&MetricCall) -> Result<String, String>,
) -> Result<String, ContentError> {
    Ok(markdown_html(&expand(doc, resolve)?, links, 0))
}

/// The body with every `{{ metric(...) }}` replaced by what `resolve` returns, still
/// markdown: for writers of other formats than HTML (the Word export).
pub fn expand(
    doc: &Doc,
    resolve: &dyn Fn(&MetricCall) -> Result<String, String>,
) -> Result<String, ContentError> {
    let mut expanded = String::with_capacity(doc.body.len());
    let mut rest = doc.body.as_str();
    let mut consumed = 0;
    while let Some(open) = rest.find("{{") {
        let line = doc.body_line + doc.body[..consumed + open].matches('\n').count();
        let err = |message: String| ContentError {
            file: doc.file.clone(),
            line,
            message,
        };
        let close = rest[open..]
            .find("}}")
            .ok_or_else(|| err("`{{` without a closing `}}`".to_owned()))?;
        let call = parse_call(rest[open + 2..open + close].trim()).map_err(err)?;
        let value = resolve(&call).map_err(err)?;
        expanded.push_str(&rest[..open]);
        push_literal(&mut expanded, &value);
        consumed += open + close + 2;
        rest = &rest[open + close + 2..];
    }
    expanded.push_str(rest);
    Ok(expanded)
}

/// Writes `value` into markdown so that it reads as the characters it holds: every ASCII
/// punctuation character backslash-escaped (CommonMark reads `\[` as `[`), line breaks as
/// spaces. A value comes from the data (`top_category` is a cell), and no cell may become a
/// link, an image, emphasis, a heading or HTML.
fn push_literal(markdown: &mut String, value: &str) {
    for c in value.chars() {
        match c {
            '\n' | '\r' => markdown.push(' '),
            c if c.is_ascii_punctuation() => {
                markdown.push('\\');
                markdown.push(c);
            }
            c => markdown.push(c),
        }
    }
}

pub fn markdown_to_html(markdown: &str) -> String {
    markdown_html(markdown, Links::Kept, 0)
}

/// Renders expanded markdown to HTML with every heading `shift` levels lower (at most h6):
/// a commentary inside a numbered part of a report starts under the part's heading.
pub fn markdown_html(markdown: &str, links: Links, shift: usize) -> String {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH;
    // Images that would load from elsewhere become their alt text; the End of each dropped
    // Start is dropped too (images do not nest).
    let mut dropping_image = false;
    let as_text = links == Links::AsText;
    let events = Parser::new_ext(markdown, options).filter_map(move |event| match event {
        Event::Html(html) | Event::InlineHtml(html) => Some(Event::Text(html)),
        Event::Start(Tag::Link { .. } | Tag::Image { .. })
        | Event::End(TagEnd::Link | TagEnd::Image)
            if as_text =>
        {
            None
        }
        Event::Start(Tag::Image { ref dest_url, .. }) if !is_local(dest_url) => {
            dropping_image = true;
            None
        }
        Event::End(TagEnd::Image) if std::mem::take(&mut dropping_image) => None,
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) if is_script(&dest_url) => Some(Event::Start(Tag::Link {
            link_type,
            dest_url: "#".into(),
            title,
            id,
        })),
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Some(Event::Start(Tag::Heading {
            level: shifted(level, shift),
            id,
            classes,
            attrs,
        })),
        Event::End(TagEnd::Heading(level)) => {
            Some(Event::End(TagEnd::Heading(shifted(level, shift))))
        }
        other => Some(other),
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

fn shifted(level: HeadingLevel, shift: usize) -> HeadingLevel {
    HeadingLevel::try_from((level as usize + shift).min(6)).unwrap_or(HeadingLevel::H6)
}

/// A URL that runs code when followed.
fn is_script(url: &str) -> bool {
    let scheme = url.trim_start().to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|s| scheme.starts_with(s))
}

/// A relative URL: it loads nothing from another host.
fn is_local(url: &str) -> bool {
    let url = url.trim_start();
    !(url.contains(':') || url.starts_with("//"))
}

fn parse_call(inner: &str) -> Result<MetricCall, String> {
    let args = inner
        .strip_prefix("metric(")
        .and_then(|s| s.strip_suffix(')'))
        .ok_or_else(|| {
            format!("expected {{{{ metric(name=\"…\") }}}}, found `{{{{ {inner} }}}}`")
        })?;
    let mut call = MetricCall::default();
    let mut rest = args.trim();
    while !rest.is_empty() {
        let (key, after) = rest
            .split_once('=')
            .ok_or_else(|| format!("expected key=\"value\" in `{args}`"))?;
        let after = after.trim_start();
        let quoted = after
            .strip_prefix('"')
            .ok_or_else(|| format!("the value of `{}` must be in double quotes", key.trim()))?;
        let end = quoted
            .find('"')
            .ok_or_else(|| format!("unclosed quote after `{}=`", key.trim()))?;
        let value = quoted[..end].to_owned();
        match key.trim() {
            "name" => call.name = value,
            "department" => call.department = Some(value),
            "site" => call.site = Some(value),
            "period" => call.period = Some(value),
            other => {
                return Err(format!(
                    "unknown argument `{other}` (expected name, department, site, period)"
                ));
            }
        }
        rest = quoted[end + 1..].trim_start();
        rest = rest.strip_prefix(',').unwrap_or(rest).trim_start();
    }
    if call.name.is_empty() {
        return Err("metric(...) needs name=\"…\"".to_owned());
    }
    Ok(call)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_and_metric_calls() {
        let text = "+++\ntitle = \"2026年第三季度分析\"\n+++\n# 结论\n\n工程部满意率为{{ metric(name=\"satisfied_rate\", department=\"工程部\") }}。\n";
        let doc = parse_doc("content/reports/2026-Q3.md".into(), text).unwrap();
        assert_eq!(doc.front.title.as_deref(), Some("2026年第三季度分析"));
        assert_eq!(doc.body_line, 4);
        let html = render(&doc, Links::Kept, &|call| {
            assert_eq!(call.name, "satisfied_rate");
            assert_eq!(call.department.as_deref(), Some("工程部"));
            Ok("82.8%".into())
        })
        .unwrap();
        assert_eq!(html, "<h1>结论</h1>\n<p>工程部满意率为82.8%。</p>\n");
    }

    #[test]
    fn a_metric_value_is_text_whatever_it_holds() {
        let doc = parse_doc("c.md".into(), "{{ metric(name=\"top_category\") }} 居多\n").unwrap();
        for (value, shown) in [
            (
                "[领取补偿](https://evil.example)",
                "[领取补偿](https://evil.example) 居多",
            ),
            (
                "![x](https://evil.example/a.png)",
                "![x](https://evil.example/a.png) 居多",
            ),
            ("# 标题", "# 标题 居多"),
            ("*强调* `代码`", "*强调* `代码` 居多"),
            ("<b>粗</b>\n- 列表", "&lt;b&gt;粗&lt;/b&gt; - 列表 居多"),
            ("1. 第一", "1. 第一 居多"),
            (
                "<https://evil.example>",
                "&lt;https://evil.example&gt; 居多",
            ),
            ("a\\", "a\\ 居多"),
        ] {
            let html = render(&doc, Links::Kept, &|_| Ok(value.to_owned())).unwrap();
            assert_eq!(html, format!("<p>{shown}</p>\n"), "{value:?}");
        }
    }

    #[test]
    fn errors_name_file_and_line() {
        let doc = parse_doc(
            "c.md".into(),
            "+++\n+++\none\n\ntwo {{ metric(name=\"nope\") }}\n",
        )
        .unwrap();
        let err = render(&doc, Links::Kept, &|c| {
            Err(format!("unknown metric `{}`", c.name))
        })
        .unwrap_err();
        assert_eq!(err.to_string(), "c.md:5: unknown metric `nope`");
        let doc = parse_doc("c.md".into(), "a\n{{ weather() }}").unwrap();
        assert_eq!(
            render(&doc, Links::Kept, &|_| Ok(String::new()))
                .unwrap_err()
                .line,
            2
        );
        let err = parse_doc("c.md".into(), "+++\ntitle = \"x\"\ncolour = 1\n+++\n").unwrap_err();
        assert_eq!(
            (err.line, err.message.contains("colour")),
            (3, true),
            "{err}"
        );
    }

    #[test]
    fn raw_html_is_text_and_extensions_work() {
        let html = markdown_to_html(
            "<script>alert(1)</script>\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ x[^1]\n\n[^1]: note\n",
        );
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
        assert!(!html.contains("<script>"));
        assert!(
            html.contains("<table>")
                && html.contains("<del>old</del>")
                && html.contains("footnote"),
            "{html}"
        );
        let html = markdown_to_html(
            "[x](javascript:alert(1)) ![pixel](https://tracker.example/p.gif) ![local](chart.png)",
        );
        assert!(
            !html.contains("javascript:") && !html.contains("tracker.example"),
            "{html}"
        );
        assert!(
            html.contains("pixel") && html.contains("src=\"chart.png\""),
            "{html}"
        );
    }

    #[test]
    fn standalone_links_and_images_are_their_text() {
        let html = markdown_html(
            "见[指标说明](../methodology/)与[官网](https://example.com)。![图](chart.png) x[^1]\n\n[^1]: 注\n",
            Links::AsText,
            0,
        );
        assert!(
            html.starts_with(
                "<p>见指标说明与官网。图 x<sup class=\"footnote-reference\"><a href=\"#1\">"
            ),
            "{html}"
        );
        assert!(
            !html.contains("src=") && !html.contains("methodology"),
            "{html}"
        );
    }
}
