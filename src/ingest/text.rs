//! Cells and headers as messages quote them: masked, cut, and with every hidden character
//! written as an escape.

use crate::chars::is_hidden;

/// A cell as a message quotes it: personal data masked (messages reach terminals, CI logs
/// and the data-quality page), then as [`shown_at_most`] writes it.
pub fn shown(value: &str) -> String {
    // Cut with room to spare first: a huge cell costs no more to mask than a short one, and
    // a value the first cut runs through is cut off by the second.
    let head = match value.char_indices().nth(4 * QUOTED_CHARS) {
        Some((at, _)) => &value[..at],
        None => value,
    };
    shown_at_most(&crate::privacy::mask_keeping_hidden(head), QUOTED_CHARS)
}

/// Characters of a cell or header a message quotes.
pub const QUOTED_CHARS: usize = 40;

/// A value as a message quotes it: at most `max` characters (`…` marks a cut), every hidden
/// character written as an escape (`\u{1b}`), so a cell cannot clear a terminal, retitle
/// its window or reorder the text after it.
pub fn shown_at_most(value: &str, max: usize) -> String {
    let mut out = String::with_capacity(value.len().min(4 * max));
    for (i, c) in value.chars().enumerate() {
        if i == max {
            out.push('…');
            break;
        }
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_hidden(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_characters_are_shown_as_escapes_and_values_cut() {
        assert_eq!(shown_at_most("a\u{1b}[2Jb\n", 10), "a\\u{1b}[2Jb\\n");
        assert_eq!(shown_at_most("\u{202e}abc", 2), "\\u{202e}a…");
        assert_eq!(shown(&"长".repeat(100)).chars().count(), 41);
    }
}
