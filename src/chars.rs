//! Character-level rules every reader shares, and the configuration and the privacy masking
//! with them. Chinese input methods and Excel leave full-width letters, digits and spaces in
//! cells (`２０２５／３／５`, `　工程部`); they are folded to their half-width forms once, here,
//! so no later stage has to care. Also: blanks, characters that are hidden when shown, the
//! keys headers and values are matched by, and HTML character references.

use std::borrow::Cow;

/// Folds full-width ASCII variants (U+FF01–U+FF5E) and the ideographic space to half-width,
/// and trims whitespace (including U+3000 and no-break spaces) at both ends.
pub fn normalize(value: &str) -> Cow<'_, str> {
    if !needs_folding(value.as_bytes()) {
        return Cow::Borrowed(trim_blank(value));
    }
    let folded: String = value.chars().map(fold_width).collect();
    Cow::Owned(folded.trim_matches(is_blank).to_owned())
}

/// [`normalize`] for a cell with nothing to fold: one known to hold no byte EF or E3, which
/// every full-width form and the ideographic space start with (see [`may_need_folding`]).
pub fn trim_blank(value: &str) -> &str {
    // Every cell passes here, and nearly every cell is already clean: that is decided on
    // bytes, from its first and last character.
    let bytes = value.as_bytes();
    if bytes.first().is_none_or(|&b| plain_lead(b)) && last_lead(bytes).is_none_or(plain_lead) {
        value
    } else {
        value.trim_matches(is_blank)
    }
}

/// Whether some cell of `row` may need folding; when not, [`trim_blank`] normalises each.
/// One memchr over a row costs less than a look at each of its cells.
pub fn may_need_folding(row: &[u8]) -> bool {
    memchr::memchr2(0xEF, 0xE3, row).is_some()
}

/// Whether a character starting with this byte is surely not blank: blanks are ASCII
/// whitespace or start with C2 (U+0085, U+00A0), E1 (U+1680), E2 (U+2000–U+205F), E3
/// (U+3000) or EF (U+FEFF).
fn plain_lead(b: u8) -> bool {
    !(matches!(b, b'\t'..=b'\r' | b' ' | 0xC2 | 0xE1 | 0xE2 | 0xE3 | 0xEF))
}

/// The first byte of the last character.
fn last_lead(bytes: &[u8]) -> Option<u8> {
    bytes
        .iter()
        .rev()
        .take(4)
        .copied()
        .find(|&b| b & 0xC0 != 0x80)
}

/// Full-width forms are UTF-8 EF BC xx / EF BD xx, the ideographic space E3 80 80. Cells
/// are short, so a plain loop beats memchr's setup.
fn needs_folding(bytes: &[u8]) -> bool {
    bytes.iter().enumerate().any(|(i, &b)| {
        (b == 0xEF || b == 0xE3) && {
            let w = &bytes[i..];
            let full_width =
                w.len() >= 3 && w[0] == 0xEF && (w[1] == 0xBC || (w[1] == 0xBD && w[2] <= 0x9E));
            full_width || w.starts_with(&[0xE3, 0x80, 0x80])
        }
    })
}

fn is_blank(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}' || c == '\u{200b}'
}

pub fn fold_width(c: char) -> char {
    match c {
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// The key a header is matched by: width-folded, lowercase, without whitespace, punctuation
/// or symbols, so `回访日期：`, ` 回访 日期 ` and `【回访日期】*` all read as `回访日期`.
pub fn header_key(header: &str) -> String {
    header
        .chars()
        .map(fold_width)
        .filter(|&c| !(c.is_whitespace() || is_punctuation(c) || c == '\u{feff}'))
        .flat_map(char::to_lowercase)
        .collect()
}

fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(c,
            '\u{3001}'..='\u{3003}' // 、。〃
            | '\u{3008}'..='\u{3011}' // 〈〉《》「」『』【】
            | '\u{3014}'..='\u{301f}'
            | '\u{2010}'..='\u{2027}' // dashes, quotes, bullets, ellipsis
            | '\u{00b7}' | '\u{fe30}'..='\u{fe4f}')
}

/// Characters that change how text shows rather than being seen: control characters
/// (terminal escape sequences start with ESC), direction overrides and isolates that reorder
/// what follows, and zero-width marks.
pub(crate) fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{200b}'..='\u{200f}' // zero width, direction marks
            | '\u{202a}'..='\u{202e}' // embeddings and overrides
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}' // isolates
            | '\u{061c}' | '\u{feff}')
}

/// A value as pages show it: hidden characters removed, line breaks kept only if `lines`.
/// Names and comments come from cells, and a page must not be reordered or carry escape
/// sequences into a terminal that prints it.
pub fn visible(value: &str, lines: bool) -> Cow<'_, str> {
    let keep = |c: char| !is_hidden(c) || (lines && c == '\n');
    if value.chars().all(keep) {
        Cow::Borrowed(value)
    } else {
        Cow::Owned(value.chars().filter(|&c| keep(c)).collect())
    }
}

/// The character an HTML character reference stands for, given what lies between `&` and
/// `;`: `amp`, `#64`, `#x40`, and the named ones survey tools write into question texts
/// (`nbsp`, `mdash`, curly quotes …). Used to read markup as text, and by the privacy scan so
/// a value cannot hide behind its escapes.
pub fn character_reference(name: &str) -> Option<char> {
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "rsquo" => '’',
        "lsquo" => '‘',
        "rdquo" => '”',
        "ldquo" => '“',
        _ => return None,
    })
}

/// Case-insensitive key for matching cell values against configured vocabularies.
pub fn value_key(value: &str) -> String {
    let normalized = normalize(value);
    if normalized.bytes().any(|b| b.is_ascii_uppercase()) {
        normalized.to_ascii_lowercase()
    } else {
        normalized.into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_characters_are_removed_from_what_pages_show() {
        assert_eq!(visible("工程\u{1b}]0;x\u{7}部", false), "工程]0;x部");
        assert_eq!(visible("好\n\u{202e}的", true), "好\n的");
        assert!(matches!(visible("工程部", false), Cow::Borrowed(_)));
    }

    #[test]
    fn folds_full_width_and_trims() {
        assert_eq!(normalize("　２０２５／３／５　"), "2025/3/5");
        assert_eq!(normalize(" 工程部\t"), "工程部");
        assert_eq!(normalize("ＡＢＣ１２３"), "ABC123");
        assert_eq!(normalize("满意"), "满意");
        assert!(matches!(normalize("plain"), Cow::Borrowed("plain")));
        assert!(matches!(normalize("工程部"), Cow::Borrowed("工程部")));
        assert_eq!(normalize("满意度："), "满意度:");
        assert_eq!(normalize("ｚ"), "z");
        assert_eq!(normalize("～"), "~");
    }

    proptest::proptest! {
        /// The byte-level fast path agrees with the plain definition: fold, then trim.
        #[test]
        fn normalize_is_fold_then_trim(chars in proptest::collection::vec(proptest::sample::select(vec![
            'a', 'Z', '5', ' ', '\t', '\n', '\u{b}', '\u{c}', '\r', '\u{85}', '\u{a0}', '\u{1680}',
            '\u{2000}', '\u{200a}', '\u{200b}', '\u{2028}', '\u{202f}', '\u{205f}', '\u{3000}',
            '\u{feff}', '\u{ff01}', '\u{ff10}', '\u{ff5e}', '\u{ff5f}', '\u{ffe5}', '工', '。', '、',
            '\u{e000}', 'é', '😀',
        ]), 0..8)) {
            let value: String = chars.into_iter().collect();
            let folded: String = value.chars().map(fold_width).collect();
            let fast = normalize(&value);
            proptest::prop_assert_eq!(fast.as_ref(), folded.trim_matches(is_blank));
        }
    }

    #[test]
    fn header_keys_ignore_noise() {
        assert_eq!(header_key("回访日期："), "回访日期");
        assert_eq!(header_key(" 回访 日期 "), "回访日期");
        assert_eq!(header_key("【回访日期】*"), "回访日期");
        assert_eq!(header_key("\u{feff}Visit_Date"), "visitdate");
        assert_eq!(header_key("所属　部门"), "所属部门");
    }
}
