//! Turns plotters' SVG into the element the pages embed.
//!
//! plotters writes a fixed-size `<svg>` with one element a line, every attribute spelled out.
//! [`finish`] replaces the root with a scalable, accessible one that sets the font stack once,
//! then rewrites each element: attributes equal to their default go, font sizes are rounded,
//! the text rotation plotters cannot express is set, rules become `<line>` and guide lines are
//! dashed.
//!
//! Rules (axes, ticks, grid and guide lines) are the only two-point, one-pixel-wide paths the
//! charts draw; data lines are two pixels wide. Writing rules as `<line>` leaves `<polyline>`
//! to data, so marks can be counted by element name: `<polyline>` data lines, `<circle>` their
//! points, `<rect>` bars and legend swatches.

use std::borrow::Cow;
use std::fmt::Write as _;

use super::ChartText;
use super::palette::{GUIDE, hex};

/// Fonts with Chinese glyphs on macOS, Windows and Linux, then whatever sans-serif there is.
const FONT_STACK: &str =
    "PingFang SC, Hiragino Sans GB, Microsoft YaHei, Noto Sans CJK SC, sans-serif";

/// The angle slanted category labels are drawn at. plotters only rotates text by quarter
/// turns, so the labels are drawn with a 270° turn, which nothing else uses, and set here.
const SLANT: &str = "-45";

/// The dash pattern of guide lines, which are the rules stroked with [`GUIDE`].
const GUIDE_DASHES: &str = "4 3";

/// The finished chart: `raw` is plotters' SVG (or empty, to give a chart with nothing drawn),
/// `kind` names the chart for the `chart-<kind>` class and `size` is the view box.
pub(super) fn finish(
    raw: &str,
    text: &ChartText,
    kind: &str,
    (width, height): (u32, u32),
) -> String {
    let id = escape(text.id);
    let mut out = String::with_capacity(raw.len() / 2 + 512);
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart chart-{kind}\" \
         viewBox=\"0 0 {width} {height}\" width=\"100%\" role=\"img\" \
         aria-labelledby=\"{id}-title {id}-desc\" font-family=\"{FONT_STACK}\">\n\
         <title id=\"{id}-title\">{title}</title>\n<desc id=\"{id}-desc\">{desc}</desc>\n",
        title = escape(text.title),
        desc = escape(text.desc),
    );
    let guide_stroke = hex(GUIDE);
    let mut lines = raw
        .lines()
        .filter(|line| !line.starts_with("<svg") && *line != "</svg>");
    while let Some(line) = lines.next() {
        let Some(tag) = Tag::parse(line) else {
            continue;
        };
        tag.write(&mut out, &guide_stroke);
        if tag.name == "text" {
            // plotters puts the (already escaped) text on its own lines, then `</text>`.
            let content: Vec<&str> = lines.by_ref().take_while(|l| *l != "</text>").collect();
            out.push_str(&content.join(" "));
            out.push_str("</text>");
        }
        out.push('\n');
    }
    out.push_str("</svg>");
    out
}

/// Text safe inside an XML element or a double-quoted attribute; control characters, which
/// XML does not allow, become spaces.
fn escape(text: &str) -> Cow<'_, str> {
    if !text.contains(['<', '>', '&', '"', '\'']) && !text.contains(char::is_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// One opening or self-closing tag as plotters writes it: `<name key="value" …/>`.
struct Tag<'a> {
    name: &'a str,
    attributes: Vec<(&'a str, &'a str)>,
    self_closing: bool,
}

impl<'a> Tag<'a> {
    fn parse(line: &'a str) -> Option<Tag<'a>> {
        let inner = line.strip_prefix('<')?;
        let (inner, self_closing) = match inner.strip_suffix("/>") {
            Some(inner) => (inner, true),
            None => (inner.strip_suffix('>')?, false),
        };
        let (name, mut rest) = inner.split_once(' ').unwrap_or((inner, ""));
        let mut attributes = Vec::new();
        // plotters escapes values, so a value never holds a double quote.
        while let Some((key, after)) = rest.split_once("=\"") {
            let (value, after) = after.split_once('"')?;
            attributes.push((key.trim(), value));
            rest = after;
        }
        Some(Tag {
            name,
            attributes,
            self_closing,
        })
    }

    fn get(&self, key: &str) -> Option<&'a str> {
        self.attributes
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| *v)
    }

    fn write(&self, out: &mut String, guide_stroke: &str) {
        if let Some([(x1, y1), (x2, y2)]) = self.rule_ends() {
            let stroke = self.get("stroke").unwrap_or_default();
            let _ = write!(
                out,
                "<line x1=\"{x1}\" y1=\"{y1}\" x2=\"{x2}\" y2=\"{y2}\" stroke=\"{stroke}\""
            );
            if stroke == guide_stroke {
                let _ = write!(out, " stroke-dasharray=\"{GUIDE_DASHES}\"");
            }
            out.push_str("/>");
            return;
        }
        let unstroked = self.get("stroke") == Some("none");
        out.push('<');
        out.push_str(self.name);
        for &(key, value) in &self.attributes {
            let value = match key {
                "opacity" if value == "1" => continue,
                "font-family" => continue,
                "stroke" | "stroke-width" if unstroked => continue,
                "font-size" => Cow::Owned(round_size(value)),
                "transform" => slant(value),
                "points" => Cow::Borrowed(value.trim_end()),
                _ => Cow::Borrowed(value),
            };
            let _ = write!(out, " {key}=\"{value}\"");
        }
        out.push_str(if self.self_closing { "/>" } else { ">" });
    }

    /// The two ends of a rule: a one-pixel polyline through two points.
    fn rule_ends(&self) -> Option<[(&'a str, &'a str); 2]> {
        if self.name != "polyline" || self.get("stroke-width") != Some("1") {
            return None;
        }
        let mut points = self
            .get("points")?
            .split_whitespace()
            .map(|p| p.split_once(','));
        match (points.next(), points.next(), points.next()) {
            (Some(Some(from)), Some(Some(to)), None) => Some([from, to]),
            _ => None,
        }
    }
}

/// plotters' font size (its size over 1.24) to one decimal, e.g. `12` rather than `11.999…`.
fn round_size(value: &str) -> String {
    match value.parse::<f64>() {
        Ok(size) => {
            let tenths = (size * 10.0).round();
            if tenths % 10.0 == 0.0 {
                format!("{:.0}", tenths / 10.0)
            } else {
                format!("{:.1}", tenths / 10.0)
            }
        }
        Err(_) => value.to_owned(),
    }
}

/// `rotate(270, x, y)` becomes the slant of category labels; other transforms stay.
fn slant(value: &str) -> Cow<'_, str> {
    match value.strip_prefix("rotate(270, ") {
        Some(centre) => Cow::Owned(format!("rotate({SLANT}, {centre}")),
        None => Cow::Borrowed(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text<'a>(title: &'a str) -> ChartText<'a> {
        ChartText {
            id: "c1",
            title,
            desc: "A & B",
            empty_label: "暂无数据",
        }
    }

    const RAW: &str = "<svg width=\"720\" height=\"360\" viewBox=\"0 0 720 360\" xmlns=\"http://www.w3.org/2000/svg\">\n\
        <rect x=\"1\" y=\"2\" width=\"3\" height=\"4\" opacity=\"1\" fill=\"#0072B2\" stroke=\"none\"/>\n\
        <polyline fill=\"none\" opacity=\"1\" stroke=\"#555555\" stroke-width=\"1\" points=\"0,5 9,5 \"/>\n\
        <polyline fill=\"none\" opacity=\"1\" stroke=\"#0072B2\" stroke-width=\"2\" points=\"0,5 9,5 \"/>\n\
        <text x=\"10\" y=\"20\" dy=\"0.5ex\" text-anchor=\"end\" font-family=\"sans-serif\" font-size=\"11.999999999999998\" opacity=\"1\" fill=\"#333333\" transform=\"rotate(270, 10, 20)\">\n\
        秩序维护部 &lt;b&gt;\n\
        </text>\n\
        </svg>\n";

    #[test]
    fn root_is_scalable_and_labelled_by_escaped_title_and_desc() {
        let svg = finish(RAW, &text("<script>x</script>"), "line", (720, 360));
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart chart-line\" viewBox=\"0 0 720 360\" width=\"100%\" role=\"img\" aria-labelledby=\"c1-title c1-desc\""));
        assert!(!svg.contains("height=\"360\""));
        assert!(svg.contains("<title id=\"c1-title\">&lt;script&gt;x&lt;/script&gt;</title>\n<desc id=\"c1-desc\">A &amp; B</desc>"));
        assert!(svg.ends_with("</svg>"));
    }

    #[test]
    fn elements_lose_default_attributes_and_keep_their_marks() {
        let svg = finish(RAW, &text("t"), "line", (720, 360));
        assert!(svg.contains("<rect x=\"1\" y=\"2\" width=\"3\" height=\"4\" fill=\"#0072B2\"/>"));
        assert!(svg.contains("<line x1=\"0\" y1=\"5\" x2=\"9\" y2=\"5\" stroke=\"#555555\" stroke-dasharray=\"4 3\"/>"));
        assert!(svg.contains(
            "<polyline fill=\"none\" stroke=\"#0072B2\" stroke-width=\"2\" points=\"0,5 9,5\"/>"
        ));
        assert!(svg.contains(
            "<text x=\"10\" y=\"20\" dy=\"0.5ex\" text-anchor=\"end\" font-size=\"12\" fill=\"#333333\" transform=\"rotate(-45, 10, 20)\">秩序维护部 &lt;b&gt;</text>"
        ));
        assert!(!svg.contains("opacity"));
        assert!(!svg.contains("font-family=\"sans-serif\""));
    }

    #[test]
    fn nothing_drawn_still_gives_a_labelled_svg() {
        let svg = finish("", &text("t"), "line", (720, 360));
        assert_eq!(svg.matches("<title").count(), 1);
        assert!(svg.ends_with("</desc>\n</svg>"));
    }

    #[test]
    fn control_characters_in_the_title_become_spaces() {
        let svg = finish(RAW, &text("满意率\u{7}\n趋势"), "line", (720, 360));
        assert!(svg.contains(">满意率  趋势</title>"));
    }

    #[test]
    fn font_sizes_round_to_tenths() {
        assert_eq!(round_size("11.999999999999998"), "12");
        assert_eq!(round_size("10.5"), "10.5");
    }
}
