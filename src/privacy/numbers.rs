//! Numbers of a person: mobiles, landlines, ID cards and bank cards, as people type them —
//! in groups (`138 1234 5678`, `6217-0000-1111-2222`), with a country code (`+86`, `0086`),
//! an area code in brackets (`(021)62345678`) — and any other run of 7 or more digits that
//! is no date, amount or record id. Over-masking a long number is the safe mistake.

use super::{Kind, Span, Text};

/// A run of digits no known format claims is masked from this length: a bare local landline
/// (`83331234`) looks like any other number.
const MIN_MASKED_DIGITS: usize = 7;

/// Whether the character at `at` may stand between the groups of one number. The
/// full-width comma (`138，1234，5678`) may, the ASCII comma not: it separates the coordinates
/// of a chart's points (`373,72 392,102`).
fn separator_at(text: &Text, at: usize) -> bool {
    text.is(at, |c| {
        matches!(
            c,
            ' ' | '-' | '.' | '·' | '—' | '–' | '_' | ')' | '\u{a0}' | '、'
        )
    }) || text.chars.get(at) == Some(&'，')
}

/// The end of the separators from `at`.
fn separators_end(text: &Text, mut at: usize) -> usize {
    while separator_at(text, at) {
        at += 1;
    }
    at
}

/// One group of digits; `x` when an ID card's final `X` follows it.
#[derive(Clone, Copy, Debug)]
struct Group {
    start: usize,
    end: usize,
    x: bool,
}

impl Group {
    fn len(&self) -> usize {
        self.end - self.start
    }
}

pub(super) fn find(text: &Text, out: &mut Vec<Span>) {
    let mut kept = hex_digests(text);
    kept.extend(dates(text));
    kept.sort_unstable();
    let mut kept = kept.into_iter().peekable();
    let mut i = 0;
    while i < text.len() {
        while kept.next_if(|&(_, e)| e <= i).is_some() {}
        let in_kept = kept.peek().is_some_and(|&(s, _)| s <= i);
        if !text.digit(i) || in_kept {
            i += 1;
            continue;
        }
        // A number never runs on into a digest or a date: `SHA-256 9f86d0…` is a label and a
        // digest, not a number 256 9…
        let limit = kept.peek().map_or(text.len(), |&(s, _)| s);
        let groups = groups_from(text, i, limit);
        let end = groups.last().map_or(i + 1, |g| g.end + usize::from(g.x));
        let context = Context {
            code: code_before(text, i),
            amount: is_amount(text, i, end),
        };
        spans_in(text, &groups, context, out);
        i = end;
    }
}

/// Whether a mask follows at `at`, directly or after separators (`010-********`): the digits
/// before it are what the mask kept.
fn touches_mask(text: &Text, at: usize) -> bool {
    text.is(separators_end(text, at), |c| c == '*')
}

/// Whether a mask ends before `at`, directly or before separators.
fn mask_before(text: &Text, at: usize) -> bool {
    let mut k = at;
    while k > 0 && separator_at(text, k - 1) {
        k -= 1;
    }
    text.is(k.wrapping_sub(1), |c| c == '*')
}

/// What stands around a number.
#[derive(Clone, Copy)]
struct Context {
    /// After letters, as in an order or record number (`GD2025…`, `HF-2026-…`).
    code: bool,
    /// An amount or a share (`¥…`, `…元`, `…%`).
    amount: bool,
}

/// The digit groups of the number that starts at `start`: groups joined by up to three
/// separators, each joined group at least 3 digits long (so `3-5天` or a date's `-03-05`
/// never joins).
fn groups_from(text: &Text, start: usize, limit: usize) -> Vec<Group> {
    let mut groups = Vec::new();
    let mut at = start;
    loop {
        let end = text.run(at, |c| c.is_ascii_digit());
        let x = text.is(end, |c| c == 'X' || c == 'x')
            && !text.is(end + 1, |c| c.is_ascii_alphanumeric());
        groups.push(Group { start: at, end, x });
        if x {
            break;
        }
        let next = separators_end(text, end);
        let right = text.run(next, |c| c.is_ascii_digit()) - next;
        // A card's last group may be short: `6222 0000 1111 3178 21`.
        let card_tail = groups.len() >= 4 && groups.iter().all(|g| g.len() == 4) && right >= 1;
        // Digits beside a mask are what it kept (`138****5678`, `010-********`): joined to
        // others, masking again would read a new number.
        let beside_mask = mask_before(text, at) || touches_mask(text, next + right);
        let joins = (1..=3).contains(&(next - end))
            && next < limit
            && (right >= 3 || card_tail)
            && end - at >= 2
            && !beside_mask;
        if !joins {
            break;
        }
        at = next;
    }
    groups
}

/// What a window of groups turned out to be.
enum Class {
    Personal(Span),
    /// Known not to be personal (a hotline, a date range): none of its groups is looked at
    /// again.
    Kept,
    Unknown,
}

/// Tries every window of consecutive groups, longest first from each start, and keeps what
/// classifies.
fn spans_in(text: &Text, groups: &[Group], context: Context, out: &mut Vec<Span>) {
    let mut g = 0;
    while g < groups.len() {
        let found = (g..groups.len().min(g + 5)).rev().find_map(|h| {
            let window = &groups[g..=h];
            if window[..window.len() - 1].iter().any(|w| w.x) {
                return None;
            }
            // A record number runs on through `-`, `_` and `/` (`GD2025-0305-0012`); after
            // any other separator the next group is read on its own.
            let joint = g == 0
                || (groups[g - 1].end..groups[g].start)
                    .all(|k| text.is(k, |c| matches!(c, '-' | '_' | '/')));
            let context = Context {
                code: context.code && joint,
                ..context
            };
            match classify(text, window, context) {
                Class::Unknown => None,
                class => Some((class, h)),
            }
        });
        match found {
            Some((class, h)) => {
                if let Class::Personal(span) = class {
                    out.push(span);
                }
                g = h + 1;
            }
            None => g += 1,
        }
    }
}

/// What a window of groups is, as a span to mask.
fn classify(text: &Text, window: &[Group], context: Context) -> Class {
    let (first, last) = (window[0], window[window.len() - 1]);
    let digits: String = window
        .iter()
        .flat_map(|g| text.norm[g.start..g.end].iter())
        .collect();
    let n = digits.len();
    let mut start = first.start;
    let bracketed =
        text.is(start.wrapping_sub(1), |c| c == '(') && text.is(first.end, |c| c == ')');
    // A sign or bracket taken into the mask must not leave digits on either side touching.
    let digit_before = text.digit(start.wrapping_sub(2));
    if !digit_before && (text.is(start.wrapping_sub(1), |c| c == '+') || bracketed) {
        start -= 1;
        // `(+86)138…`: the bracket goes with the country code it holds.
        if text.is(start, |c| c == '+') && text.is(start.wrapping_sub(1), |c| c == '(') {
            start -= 1;
        }
    }
    // The `X` belongs to an ID card only.
    let end = last.end;
    let span = |kind, masked: String| {
        Class::Personal(Span {
            start,
            end,
            kind,
            masked,
        })
    };
    // A person's mobile and ID card are masked wherever they stand: after letters
    // (`Tel138…`), before `元旦`, in a numbered list (`1.138…`).
    let national = ["0086", "86"]
        .iter()
        .find_map(|p| digits.strip_prefix(p).filter(|d| is_mobile(d)));
    if let Some(mobile) = national.or(is_mobile(&digits).then_some(digits.as_str())) {
        return span(
            Kind::Mobile,
            format!("{}****{}", &mobile[..3], &mobile[7..]),
        );
    }
    if last.x {
        let id = format!("{digits}X");
        return match n == 17 && is_id(&id) {
            true => Class::Personal(kept_ends(&id, 6, 4, Kind::IdCard, start, end + 1)),
            false => Class::Unknown,
        };
    }
    if is_id(&digits) {
        return Class::Personal(kept_ends(&digits, 6, 4, Kind::IdCard, start, end));
    }
    // Either side of a decimal point (`42.3601234567`): a measurement, not a number to call.
    let decimal = (text.is(first.start.wrapping_sub(1), |c| c == '.')
        && text.digit(first.start.wrapping_sub(2)))
        || (text.is(last.end, |c| c == '.') && text.digit(last.end + 1));
    let dates_only = window.len() > 1 && window.iter().all(|g| is_year_or_date(text, g));
    // 400 and 800 numbers are companies' hotlines.
    let hotline = n == 10 && (digits.starts_with("400") || digits.starts_with("800"));
    if dates_only || hotline {
        return Class::Kept;
    }
    if context.code || context.amount || window.len() == 1 && decimal {
        return Class::Unknown;
    }
    if (16..=19).contains(&n) && !digits.starts_with('0') {
        return Class::Personal(kept_ends(&digits, 4, 4, Kind::BankCard, start, end));
    }
    if digits.starts_with('0') && (10..=12).contains(&n) {
        let area = if window.len() > 1 && (3..=4).contains(&first.len()) {
            first.len()
        } else if digits.starts_with("01") || digits.starts_with("02") {
            3
        } else {
            4
        };
        let masked = format!("{}-{}", &digits[..area], "*".repeat(n - area));
        return span(Kind::Landline, masked);
    }
    let local_landline = window.len() > 1
        && (7..=8).contains(&n)
        && window.iter().all(|g| (3..=4).contains(&g.len()));
    if local_landline {
        return span(Kind::Landline, "*".repeat(n));
    }
    if window.len() == 1 && n >= MIN_MASKED_DIGITS && !is_timestamp(&digits) {
        return span(Kind::LongNumber, "*".repeat(n));
    }
    Class::Unknown
}

/// A group that is a year (`2020` of `2020-2025`) or a date (`20260305`).
fn is_year_or_date(text: &Text, g: &Group) -> bool {
    let d: String = text.norm[g.start..g.end].iter().collect();
    match d.len() {
        4 => d.starts_with("19") || d.starts_with("20"),
        8 => is_date(&d),
        _ => false,
    }
}

fn kept_ends(digits: &str, head: usize, tail: usize, kind: Kind, start: usize, end: usize) -> Span {
    let n = digits.len();
    Span {
        start,
        end,
        kind,
        masked: format!(
            "{}{}{}",
            &digits[..head],
            "*".repeat(n - head - tail),
            &digits[n - tail..]
        ),
    }
}

fn is_mobile(digits: &str) -> bool {
    let b = digits.as_bytes();
    b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1])
}

/// An ID card number: 18 characters (the last may be `X`) with a birth date at 7–14, or the
/// old 15 digits with one at 7–12.
fn is_id(id: &str) -> bool {
    let b = id.as_bytes();
    let starts_well = b.first().is_some_and(|c| (b'1'..=b'9').contains(c));
    match b.len() {
        18 => {
            starts_well
                && b[..17].iter().all(u8::is_ascii_digit)
                && (b[17].is_ascii_digit() || b[17] == b'X')
                && is_date(&id[6..14])
        }
        15 => {
            starts_well && b.iter().all(u8::is_ascii_digit) && is_date(&format!("19{}", &id[6..12]))
        }
        _ => false,
    }
}

/// `yyyymmdd` with a year of 1900–2099.
fn is_date(d: &str) -> bool {
    let num = |r: std::ops::Range<usize>| d.get(r).and_then(|s| s.parse::<u32>().ok());
    d.len() == 8
        && num(0..4).is_some_and(|y| (1900..=2099).contains(&y))
        && num(4..6).is_some_and(|m| (1..=12).contains(&m))
        && num(6..8).is_some_and(|day| (1..=31).contains(&day))
}

/// A date written without separators, with or without the time: `20260305`,
/// `202603051430`, `20260305143000`.
fn is_timestamp(d: &str) -> bool {
    let num = |r: std::ops::Range<usize>| d.get(r).and_then(|s| s.parse::<u32>().ok());
    let time_ok = match d.len() {
        8 => true,
        12 => num(8..10).is_some_and(|h| h < 24) && num(10..12).is_some_and(|m| m < 60),
        14 => {
            num(8..10).is_some_and(|h| h < 24)
                && num(10..12).is_some_and(|m| m < 60)
                && num(12..14).is_some_and(|s| s < 60)
        }
        _ => false,
    };
    time_ok && is_date(&d[..8])
}

/// Before the number: letters or a code's hyphen (`GD2025…`, `HF-2026-…`), where only a
/// person's number formats are masked and order or record numbers stay. Letters that say a
/// phone follows (`Tel`, `TEL:`) are no code.
fn code_before(text: &Text, start: usize) -> bool {
    let before = |k: usize| start.checked_sub(k).and_then(|i| text.at(i));
    let letters_end = match before(1) {
        Some(c) if c.is_ascii_alphabetic() => start,
        Some('-' | '_' | '/') if before(2).is_some_and(|c| c.is_ascii_alphabetic()) => start - 1,
        _ => return false,
    };
    let mut letters_start = letters_end;
    while letters_start > 0 && text.is(letters_start - 1, |c| c.is_ascii_alphabetic()) {
        letters_start -= 1;
    }
    let word = text.slice(letters_start, letters_end).to_ascii_lowercase();
    !PHONE_WORDS.contains(&word.as_str())
}

/// Letters that label a phone number.
const PHONE_WORDS: &[&str] = &[
    "tel", "phone", "mobile", "mob", "fax", "cell", "call", "ph", "m", "t",
];

/// An amount or a share: after a currency sign or code, before `元`, `万`, `块` or `%`
/// (spaces allowed between).
fn is_amount(text: &Text, start: usize, end: usize) -> bool {
    let mut before = start;
    while before > 0 && text.is(before - 1, |c| c == ' ') {
        before -= 1;
    }
    let currency = text.is(before.wrapping_sub(1), |c| {
        matches!(c, '¥' | '￥' | '$' | '€')
    }) || ["rmb", "cny", "usd"]
        .iter()
        .any(|code| before >= 3 && text.slice(before - 3, before).eq_ignore_ascii_case(code));
    let after = text.run(end, |c| c == ' ');
    let unit = text.is(after, |c| {
        matches!(c, '元' | '万' | '块' | '%' | '‰' | '角')
    });
    currency || unit
}

/// Runs of 32 or more hexadecimal digits (checksums, digests): not anyone's number.
fn hex_digests(text: &Text) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let end = text.run(i, |c| c.is_ascii_hexdigit());
        if end - i >= 32 {
            found.push((i, end));
        }
        i = end.max(i + 1);
    }
    found
}

/// Dates with separators (`2026-03-05`, `2026.3.5`, `2026/03/05`): never joined to the number
/// after them, so `2026-03-05 12345678` masks the number and keeps the date.
fn dates(text: &Text) -> Vec<(usize, usize)> {
    let digits = |at: usize| text.run(at, |c| c.is_ascii_digit()) - at;
    let mut found = Vec::new();
    let mut i = 0;
    while i < text.len() {
        if !text.digit(i) {
            i += 1;
            continue;
        }
        let run = digits(i);
        let year = run == 4 && text.is(i, |c| c == '1' || c == '2');
        let sep = text.at(i + 4).filter(|c| matches!(c, '-' | '.' | '/'));
        if let (true, Some(sep)) = (year, sep) {
            let month = digits(i + 5);
            let day_at = i + 5 + month + 1;
            let day = digits(day_at);
            let two_parts = (1..=2).contains(&month) && (1..=2).contains(&day);
            if two_parts && text.is(day_at - 1, |c| c == sep) {
                found.push((i, day_at + day));
                i = day_at + day;
                continue;
            }
        }
        i += run;
    }
    found
}
