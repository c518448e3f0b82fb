//! Personal data: the one gate every piece of free text passes before it leaves huifang
//! (pages, SVG titles, data files, snapshots, archives, terminal messages), and the scan
//! that checks a folder with the same rules.
//!
//! What is found, and how it is masked (the README's "Personal data" lists the same):
//!
//! | kind | example | masked |
//! |---|---|---|
//! | mobile number | `138 1234 5678`, `+86-138…`, `１３８…` | `138****5678` |
//! | landline | `010-1234 5678`, `(021)62345678` | `010-********` |
//! | ID-card number | `11010119900307123X` | `110101********123X` |
//! | bank card | `6217 0000 1111 2222` | `6217********2222` |
//! | other long number | 7+ digits that are no date | `********` |
//! | e-mail | `zhang.san @ example.com` | `z***@example.com` |
//! | QQ, WeChat id, passport (labelled) | `QQ 12345678`, `微信 zhang_san88` | `QQ ********` |
//! | licence plate | `粤B12345` | `粤B*****` |
//! | room address | `3栋2单元501`, `B座1203` | `*栋*单元***`, `*座****` |
//! | name with a title, or labelled | `张女士`, `欧阳先生`, `姓名：赵敏` | `张**`, `欧阳**`, `姓名：赵*` |
//!
//! Every character of the identifying part becomes `*`; a number keeps only the few digits
//! that tell its kind (the mobile prefix, the ID card's region, the card's issuer), a plate
//! its province, a name its surname. Before matching, hidden characters are dropped and
//! full-width letters and digits read as half-width, so `131\u{200b}1234\u{200b}5678` and
//! `１３８…` are the numbers they look like. Masking twice changes nothing.

mod contacts;
mod names;
mod numbers;
mod places;
pub mod questions;
pub mod scan;

use std::borrow::Cow;
use std::fmt;

/// What a found value is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Mobile,
    Landline,
    IdCard,
    BankCard,
    LongNumber,
    Email,
    Qq,
    WeChat,
    Passport,
    Plate,
    Room,
    Name,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Mobile => "mobile number",
            Kind::Landline => "landline",
            Kind::IdCard => "ID-card number",
            Kind::BankCard => "bank card number",
            Kind::LongNumber => "long number",
            Kind::Email => "e-mail address",
            Kind::Qq => "QQ number",
            Kind::WeChat => "WeChat id",
            Kind::Passport => "passport number",
            Kind::Plate => "licence plate",
            Kind::Room => "room address",
            Kind::Name => "name",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Text as the finders read it: `chars` as written (hidden characters dropped), `norm` the
/// same characters with full-width forms folded, one for one, so a match in `norm` is a
/// range of `chars`.
pub(crate) struct Text {
    chars: Vec<char>,
    norm: Vec<char>,
}

impl Text {
    fn new(text: &str, lines: bool) -> Text {
        let chars: Vec<char> = crate::chars::visible(text, lines).chars().collect();
        let norm = chars.iter().map(|&c| crate::chars::fold_width(c)).collect();
        Text { chars, norm }
    }

    fn len(&self) -> usize {
        self.norm.len()
    }

    fn at(&self, i: usize) -> Option<char> {
        self.norm.get(i).copied()
    }

    fn is(&self, i: usize, f: impl Fn(char) -> bool) -> bool {
        self.at(i).is_some_and(f)
    }

    fn digit(&self, i: usize) -> bool {
        self.is(i, |c| c.is_ascii_digit())
    }

    /// The end of the run of at most `max` characters from `start` that satisfy `f`.
    fn run_at_most(&self, start: usize, max: usize, f: impl Fn(char) -> bool) -> usize {
        let mut end = start;
        while end - start < max && self.is(end, &f) {
            end += 1;
        }
        end
    }

    /// The end of the run of characters from `start` that satisfy `f`.
    fn run(&self, start: usize, f: impl Fn(char) -> bool) -> usize {
        let mut end = start;
        while self.is(end, &f) {
            end += 1;
        }
        end
    }

    /// Whether `word` (lowercase ASCII or CJK) is written at `i`, in any case.
    fn word_at(&self, i: usize, word: &str) -> bool {
        (i..)
            .zip(word.chars())
            .all(|(at, w)| self.is(at, |c| c.to_ascii_lowercase() == w))
    }

    fn slice(&self, start: usize, end: usize) -> String {
        self.norm[start..end].iter().collect()
    }
}

/// A found value: `chars[start..end]` is replaced by `masked`.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Span {
    start: usize,
    end: usize,
    kind: Kind,
    masked: String,
}

impl Span {
    /// A span whose ASCII letters and digits all become `*`, everything else kept.
    fn starred(text: &Text, start: usize, end: usize, kind: Kind) -> Span {
        let masked = text.norm[start..end]
            .iter()
            .zip(&text.chars[start..end])
            .map(|(n, &c)| if n.is_ascii_alphanumeric() { '*' } else { c })
            .collect();
        Span {
            start,
            end,
            kind,
            masked,
        }
    }
}

/// First characters of the titles and labels the finders look for; with ASCII letters and
/// digits, `@` and full-width forms, every value starts with one of them.
/// Sorted, for a binary search.
const STARTS: &[char] = &[
    '业', '主', '书', '企', '会', '伯', '先', '加', '医', '反', '叔', '同', '名', '哥', '处', '大',
    '太', '夫', '女', '奶', '姐', '姓', '威', '婆', '客', '小', '局', '工', '师', '律', '微', '总',
    '户', '扣', '投', '护', '报', '来', '爷', '班', '科', '组', '经', '老', '联', '薇', '警', '队',
    '阿',
];

/// Whether a value could start at `c`. Names of departments, sites and categories are read
/// for every row whose cell is not remembered, and almost none holds such a character: for
/// them this look is the whole cost of masking.
fn may_start_value(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || c == '@'
        || ('\u{ff01}'..='\u{ff5e}').contains(&c)
        || (c > '\u{3000}' && STARTS.binary_search(&c).is_ok())
}

/// [`may_start_value`] for a whole name, closer: a title or label must be written out, and a
/// one-character title (`总`, `工`) follow something, so `工程部` and `客服中心` are not scanned.
fn worth_scanning(text: &str) -> bool {
    for (at, c) in text.char_indices() {
        if c.is_ascii_alphanumeric() || c == '@' || ('\u{ff01}'..='\u{ff5e}').contains(&c) {
            return true;
        }
        if STARTS.binary_search(&c).is_ok() {
            let rest = &text[at..];
            if names::title_at(rest, at > 0) || contacts::label_at(rest) {
                return true;
            }
        }
    }
    false
}

/// Every personal value in `text`, without overlaps: where two finders claim the same
/// characters, the one that starts first wins, then the longer.
fn spans(text: &Text) -> Vec<Span> {
    let mut all = Vec::new();
    if !text.norm.iter().any(|&c| may_start_value(c)) {
        return all;
    }
    contacts::find(text, &mut all);
    numbers::find(text, &mut all);
    places::find(text, &mut all);
    names::find(text, &mut all);
    all.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    let mut kept: Vec<Span> = Vec::with_capacity(all.len());
    for span in all {
        if kept.last().is_none_or(|k| span.start >= k.end) {
            kept.push(span);
        }
    }
    kept
}

fn rewrite(text: &Text, spans: &[Span]) -> String {
    let mut out = String::with_capacity(text.chars.len() * 3);
    let mut at = 0;
    for span in spans {
        out.extend(&text.chars[at..span.start]);
        out.push_str(&span.masked);
        at = span.end;
    }
    out.extend(&text.chars[at..]);
    out
}

/// Free text as it may be published: every personal value masked, hidden characters
/// dropped, line breaks kept.
pub fn mask(text: &str) -> String {
    let text = crate::chars::visible(text, true);
    settled(&text, |t| {
        let text = Text::new(t, true);
        let spans = spans(&text);
        (!spans.is_empty()).then(|| rewrite(&text, &spans))
    })
}

/// Passes over a text until one finds nothing more. A mask can change what stands beside a
/// value (a room masked before a decimal point): the next pass reads it again, so masked
/// text is masked already, and masking twice changes nothing. Each pass turns characters
/// into `*`, so few are ever needed.
fn settled(text: &str, pass: impl Fn(&str) -> Option<String>) -> String {
    let mut text = match pass(text) {
        Some(masked) => masked,
        None => return text.to_owned(),
    };
    for _ in 0..MAX_PASSES {
        match pass(&text) {
            Some(masked) if masked != text => text = masked,
            _ => break,
        }
    }
    text
}

/// Passes after the first; more would only be needed by text built to need them.
const MAX_PASSES: usize = 8;

/// [`mask`] for a message that quotes a cell: hidden characters stay where they are (the
/// message shows them as escapes, so the user sees what is in the cell) unless they sit
/// inside a masked value.
pub fn mask_keeping_hidden(text: &str) -> String {
    settled(text, |t| {
        let masked = mask_keeping_hidden_once(t);
        (masked != t).then_some(masked)
    })
}

fn mask_keeping_hidden_once(text: &str) -> String {
    let visible = Text::new(text, false);
    let spans = spans(&visible);
    let covering = |at: usize| spans.iter().find(|s| s.start <= at && at < s.end);
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for c in text.chars() {
        if crate::chars::is_hidden(c) {
            if !spans.iter().any(|s| s.start < at && at < s.end) {
                out.push(c);
            }
            continue;
        }
        match covering(at) {
            Some(span) if span.start == at => out.push_str(&span.masked),
            Some(_) => {}
            None => out.push(c),
        }
        at += 1;
    }
    out
}

/// A name taken from a cell (a department, site or category) as it may be published: on one
/// line, masked.
pub fn label(name: &str) -> Cow<'_, str> {
    if !worth_scanning(name) {
        return crate::chars::visible(name, false);
    }
    let name = crate::chars::visible(name, false);
    Cow::Owned(settled(&name, |t| {
        let text = Text::new(t, false);
        let spans = spans(&text);
        (!spans.is_empty()).then(|| rewrite(&text, &spans))
    }))
}

/// A personal value found by [`find`]: what it is, where it is (in characters), and the
/// text around it with the value masked, so a report of findings does not repeat them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    pub kind: Kind,
    /// 1-based character column.
    pub column: usize,
    pub masked: String,
}

/// Every personal value in `text`; used by the scan, which must not print what it finds:
/// each comes with the text around it, every value in that masked.
pub fn find(text: &str) -> Vec<Found> {
    // Columns count every character, also those the finders do not see.
    let columns: Vec<usize> = text
        .chars()
        .enumerate()
        .filter(|&(_, c)| c == '\n' || !crate::chars::is_hidden(c))
        .map(|(i, _)| i)
        .collect();
    let text = Text::new(text, true);
    let spans = spans(&text);
    let masked: Vec<char> = rewrite(&text, &spans).chars().collect();
    let mut shift: isize = 0;
    spans
        .iter()
        .map(|s| {
            let start = s.start.saturating_add_signed(shift);
            let len = s.masked.chars().count();
            shift += len as isize - (s.end - s.start) as isize;
            let from = start.saturating_sub(12);
            let to = (start + len + 12).min(masked.len());
            Found {
                kind: s.kind,
                column: columns.get(s.start).map_or(s.start, |&c| c) + 1,
                masked: masked[from..to].iter().collect(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
