//! Question texts and option labels as plain text. Survey tools keep the markup their editors
//! wrote (`<br>`, `<b>`, `&amp;`), and SurveyMonkey's exports sometimes encode it twice
//! (`&amp;gt;80%`); the page escapes what it shows, so markup left in would show as `&lt;br&gt;`.
//! `assemble` applies this once to every question text and option, so no later stage sees
//! markup.

use std::borrow::Cow;

/// Tags that are dropped (`br`, `p`, `div` and `li` end a line). Only these names count as
/// tags, so `<18岁` and `< 60` stay as written.
const TAGS: [&str; 27] = [
    "a", "b", "big", "br", "center", "div", "em", "font", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "i", "img", "li", "ol", "p", "small", "span", "strong", "sub", "sup", "u", "ul",
];
const LINE_BREAKING: [&str; 5] = ["br", "p", "div", "li", "hr"];
/// Entities are decoded until none is left, at most this often (`&amp;amp;gt;` → `>`).
const DECODE_PASSES: usize = 3;

/// `Chocolate with &amp;gt;80% cocoa` → `Chocolate with >80% cocoa`;
/// `situations: <br>In Lottery A` → `situations:\nIn Lottery A`.
pub fn to_text(text: &str) -> Cow<'_, str> {
    if !text.contains(['<', '&']) {
        return Cow::Borrowed(text);
    }
    let mut out = strip_tags(text);
    for _ in 0..DECODE_PASSES {
        match decode_entities(&out) {
            Some(decoded) => out = decoded,
            None => break,
        }
    }
    // Tags at the ends and runs of breaks leave blank lines and spaces behind.
    let lines: Vec<&str> = out
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    Cow::Owned(lines.join("\n"))
}

/// The tag name at the start of `rest` (just after `<`), when `rest` holds a whole known tag:
/// (name, length of the tag after `<`).
fn tag_at(rest: &str) -> Option<(&'static str, usize)> {
    let body = rest.strip_prefix('/').unwrap_or(rest);
    let name_len = body.bytes().take_while(u8::is_ascii_alphanumeric).count();
    let name = body[..name_len].to_ascii_lowercase();
    let known = TAGS.iter().find(|t| **t == name)?;
    let after = &body[name_len..];
    if !(after.starts_with(['>', ' ', '/', '\t', '\n'])) {
        return None;
    }
    let close = rest.find('>')?;
    // A `<` before the `>` means this was no tag.
    (!rest[..close].contains('<')).then_some((known, close + 1))
}

fn strip_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match tag_at(after) {
            Some((name, len)) => {
                if LINE_BREAKING.contains(&name) {
                    out.push('\n');
                }
                rest = &after[len..];
            }
            None => {
                out.push('<');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A character reference as text: a no-break space reads as a space.
fn entity(name: &str) -> Option<char> {
    crate::chars::character_reference(name).map(|c| if c == '\u{a0}' { ' ' } else { c })
}

/// The text with its entities decoded, or `None` when it holds none.
fn decode_entities(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut changed = false;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let end = after.find(';').filter(|&e| e > 0 && e <= 10);
        match end.and_then(|e| entity(&after[..e]).map(|c| (c, e))) {
            Some((c, e)) => {
                out.push(c);
                rest = &after[e + 1..];
                changed = true;
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    changed.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::to_text;

    #[test]
    fn markup_becomes_text() {
        assert_eq!(
            to_text("situations: <br>In Lottery A, 50%. <br><br>Assuming"),
            "situations:\nIn Lottery A, 50%.\nAssuming"
        );
        assert_eq!(
            to_text("Chocolate with &amp;gt;80% cocoa"),
            "Chocolate with >80% cocoa"
        );
        assert_eq!(
            to_text("<b>Bold</b> and <span style=\"x\">span</span>"),
            "Bold and span"
        );
        assert_eq!(
            to_text("Tom &amp; Jerry &#39;s &#x4E2D;"),
            "Tom & Jerry 's 中"
        );
        // Not markup: kept as written.
        assert_eq!(to_text("<18岁"), "<18岁");
        assert_eq!(to_text("< 60 & > 30"), "< 60 & > 30");
        assert_eq!(to_text("a <unknown> tag"), "a <unknown> tag");
        assert_eq!(to_text("AT&T; R&D"), "AT&T; R&D");
        assert_eq!(to_text("plain"), "plain");
    }
}
