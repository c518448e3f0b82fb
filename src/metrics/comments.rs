//! Comment samples: the newest customer comments on complaints, a bounded few per partial, so
//! memory still follows groups, not rows. Kept as given; masked only when published.

use crate::model::Sym;
use chrono::NaiveDate;
use std::cmp::Ordering;

/// Comments kept per partial and shown per report scope.
pub const COMMENTS_KEPT: usize = 5;
/// Characters of a comment published: a pasted essay must not be copied into every report.
pub const COMMENT_CHARS: usize = 300;
/// Characters of a comment kept until it is published: more than are shown, so that a
/// phone number or name the cut runs through is masked whole, then cut off.
const COMMENT_CHARS_KEPT: usize = COMMENT_CHARS + 64;

/// A customer's words on a complaint, as given (masked only when published).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommentSample {
    pub date: NaiveDate,
    pub id: String,
    pub category: Sym,
    pub text: String,
}

/// The order comments are kept in: newest first, then by id, text and category. Every field
/// takes part, so equal comments sit side by side and partials of one symbol table give the
/// same result whichever order they merge in. (Only the same visit logged twice with two
/// categories is ordered by symbol, which a piece's own table numbers: the cuts into pieces,
/// so the choice, are the same for the same input.)
pub(super) fn comment_order(new: (NaiveDate, &str, &str, Sym), kept: &CommentSample) -> Ordering {
    let (date, id, text, category) = new;
    kept.date
        .cmp(&date)
        .then_with(|| id.cmp(&kept.id))
        .then_with(|| text.cmp(&kept.text))
        .then_with(|| category.cmp(&kept.category))
}

pub(super) fn key(c: &CommentSample) -> (NaiveDate, &str, &str, Sym) {
    (c.date, &c.id, &c.text, c.category)
}

/// Keeps the newest `COMMENTS_KEPT` distinct comments of `into` ∪ `from`.
pub(super) fn merge_comments(
    into: &mut Vec<CommentSample>,
    from: impl IntoIterator<Item = CommentSample>,
) {
    into.extend(from);
    into.sort_by(|a, b| comment_order(key(a), b));
    into.dedup();
    into.truncate(COMMENTS_KEPT);
}

/// Whether a comment could be among the kept ones: a full list keeps nothing that comes after
/// its last (five distinct comments come before it). Lets most candidates go uncopied.
pub(super) fn may_keep(kept: &[CommentSample], new: (NaiveDate, &str, &str, Sym)) -> bool {
    kept.len() < COMMENTS_KEPT
        || kept
            .last()
            .is_none_or(|last| comment_order(new, last) != Ordering::Greater)
}

/// [`merge_comments`] of one comment, reusing the strings of the one it pushes out: every
/// complaint row with a comment passes here.
pub(super) fn add_comment(
    kept: &mut Vec<CommentSample>,
    date: NaiveDate,
    id: &str,
    category: Sym,
    text: &str,
) {
    let text = truncated(text, COMMENT_CHARS_KEPT);
    let new = (date, id, &*text, category);
    let at = kept.partition_point(|k| comment_order(new, k) == Ordering::Greater);
    let known = kept
        .get(at)
        .is_some_and(|k| comment_order(new, k) == Ordering::Equal);
    if at >= COMMENTS_KEPT || known {
        return;
    }
    let mut sample = if kept.len() >= COMMENTS_KEPT {
        kept.pop().unwrap_or_else(CommentSample::empty)
    } else {
        CommentSample::empty()
    };
    sample.date = date;
    sample.category = category;
    sample.id.clear();
    sample.id.push_str(id);
    sample.text.clear();
    sample.text.push_str(&text);
    kept.insert(at, sample);
}

impl CommentSample {
    pub(super) fn empty() -> CommentSample {
        CommentSample {
            date: NaiveDate::MIN,
            id: String::new(),
            category: Sym(0),
            text: String::new(),
        }
    }
}

pub fn truncated(text: &str, chars: usize) -> std::borrow::Cow<'_, str> {
    // A comment within the limit in bytes is within it in characters.
    if text.len() <= chars {
        return text.into();
    }
    match text.char_indices().nth(chars) {
        Some((cut, _)) => format!("{}…", &text[..cut]).into(),
        None => text.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(day: u32, id: &str) -> CommentSample {
        CommentSample {
            date: NaiveDate::from_ymd_opt(2025, 3, day).unwrap(),
            id: id.to_owned(),
            category: Sym(0),
            text: format!("comment {id}"),
        }
    }

    #[test]
    fn comment_samples_keep_the_newest_whatever_the_merge_order() {
        let a: Vec<_> = [(1, "a"), (9, "b"), (4, "c")]
            .map(|(d, i)| sample(d, i))
            .to_vec();
        let b: Vec<_> = [(9, "a"), (2, "d"), (7, "e"), (8, "f")]
            .map(|(d, i)| sample(d, i))
            .to_vec();
        let (mut ab, mut ba) = (Vec::new(), Vec::new());
        merge_comments(&mut ab, a.clone());
        merge_comments(&mut ab, b.clone());
        merge_comments(&mut ba, b);
        merge_comments(&mut ba, a);
        assert_eq!(ab, ba);
        // Newest first, ties by id: 9a 9b 8f 7e 4c; 2d and 1a fall off.
        let kept: Vec<(u32, &str)> = ab
            .iter()
            .map(|c| (chrono::Datelike::day(&c.date), c.id.as_str()))
            .collect();
        assert_eq!(kept, [(9, "a"), (9, "b"), (8, "f"), (7, "e"), (4, "c")]);
    }
}
