//! Numbers of a person: mobiles, landlines, ID cards and bank cards, as people type them —
//! in groups (`138 1234 5678`, `6217-0000-1111-2222`), with a country code (`+86`, `0086`),
//! an area code in brackets (`(021)62345678`) — and any other run of 7 or more digits that
//! is no date, amount or record id. Over-masking a long number is the safe mistake.

use super::{Kind, Span, Text};

/// A run of digits no known format claims is masked from this length: a bare local landline
/// (`83331234`) looks like any other number.
const MIN_MASKED_DIGITS: usize = 7;

/// Characters that may stand between the groups of one number.
fn is_separator(c: char) -> bool {
    matches!(c, ' ' | '-' | '.' | '·' | '—' | '–' | '_' | ')' | '\u{a0}')
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
    let mut i = 0;
    while i < text.len() {
        if !text.digit(i) || kept.iter().any(|&(s, e)| (s..e).contains(&i)) {
            i += 1;
            continue;
        }
        let groups = groups_from(text, i);
        let end = groups.last().map_or(i + 1, |g| g.end + usize::from(g.x));
        if !is_amount(text, i, end) {
            spans_in(text, &groups, code_before(text, i), out);
        }
        i = end;
    }
}

/// The digit groups of the number that starts at `start`: groups joined by up to three
/// separators, each joined group at least 3 digits long (so `3-5天` or a date's `-03-05`
/// never joins).
fn groups_from(text: &Text, start: usize) -> Vec<Group> {
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
        let next = text.run(end, is_separator);
        let right = text.run(next, |c| c.is_ascii_digit()) - next;
        // A card's last group may be short: `6222 0000 1111 3178 21`.
        let card_tail = groups.len() >= 4 && groups.iter().all(|g| g.len() == 4) && right >= 1;
        let joins = (1..=3).contains(&(next - end)) && (right >= 3 || card_tail) && end - at >= 2;
        if !joins {
            break;
        }
        at = next;
    }
    groups
}

/// Tries every window of consecutive groups, longest first from each start, and keeps what
/// classifies.
fn spans_in(text: &Text, groups: &[Group], code: bool, out: &mut Vec<Span>) {
    let mut g = 0;
    while g < groups.len() {
        let found = (g..groups.len().min(g + 5)).rev().find_map(|h| {
            let window = &groups[g..=h];
            let x_inside = window[..window.len() - 1].iter().any(|w| w.x);
            (!x_inside)
                .then(|| classify(text, window, code))
                .flatten()
                .map(|span| (span, h))
        });
        match found {
            Some((span, h)) => {
                out.push(span);
                g = h + 1;
            }
            None => g += 1,
        }
    }
}

/// What a window of groups is, as a span to mask.
fn classify(text: &Text, window: &[Group], code: bool) -> Option<Span> {
    let (first, last) = (window[0], window[window.len() - 1]);
    let digits: String = window
        .iter()
        .flat_map(|g| text.norm[g.start..g.end].iter())
        .collect();
    let n = digits.len();
    let mut start = first.start;
    if text.is(start.wrapping_sub(1), |c| c == '+' || c == '(') {
        start -= 1;
    }
    let end = last.end + usize::from(last.x);
    let span = |kind, masked: String| {
        Some(Span {
            start,
            end,
            kind,
            masked,
        })
    };
    // Either side of a decimal point (`42.3601234567`): a measurement, not a number to call.
    let decimal = (text.is(first.start.wrapping_sub(1), |c| c == '.')
        && text.digit(first.start.wrapping_sub(2)))
        || (text.is(last.end, |c| c == '.') && text.digit(last.end + 1));
    if window.len() == 1 && decimal {
        return None;
    }
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
        return (n == 17 && is_id(&id)).then(|| kept_ends(&id, 6, 4, Kind::IdCard, start, end));
    }
    if is_id(&digits) {
        return Some(kept_ends(&digits, 6, 4, Kind::IdCard, start, end));
    }
    if code {
        return None;
    }
    if (16..=19).contains(&n) && !digits.starts_with('0') {
        return Some(kept_ends(&digits, 4, 4, Kind::BankCard, start, end));
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
    None
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

/// Before the number: a letter or a code's hyphen (`Tel`, `HF-2026-`), where only a
/// person's number formats are masked and order or record numbers stay.
fn code_before(text: &Text, start: usize) -> bool {
    let before = |k: usize| start.checked_sub(k).and_then(|i| text.at(i));
    match before(1) {
        Some(c) if c.is_ascii_alphabetic() => true,
        Some('-' | '_' | '/') => before(2).is_some_and(|c| c.is_ascii_alphanumeric()),
        _ => false,
    }
}

/// An amount or a share: after a currency sign, before `元`, `万`, `块` or `%`.
fn is_amount(text: &Text, start: usize, end: usize) -> bool {
    let mut before = start;
    while before > 0 && text.is(before - 1, |c| c == ' ') {
        before -= 1;
    }
    let currency = before > 0 && text.is(before - 1, |c| matches!(c, '¥' | '￥' | '$' | '€'));
    let unit = text.is(end, |c| matches!(c, '元' | '万' | '块' | '%' | '‰' | '角'));
    currency || unit
}

/// Dates with separators (`2026-03-05`, `2026.3.5`, `2026/03/05`): never joined to the number
/// after them, so `2026-03-05 12345678` masks the number and keeps the date.
fn dates(text: &Text) -> Vec<(usize, usize)> {
    let digits = |at: usize| text.run(at, |c| c.is_ascii_digit()) - at;
    let mut found = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let year = digits(i) == 4
            && text.is(i, |c| c == '1' || c == '2')
            && !text.digit(i.wrapping_sub(1));
        let sep = text.at(i + 4).filter(|c| matches!(c, '-' | '.' | '/'));
        if let (true, Some(sep)) = (year, sep) {
            let month = digits(i + 5);
            let day_at = i + 5 + month + 1;
            let day = digits(day_at);
            if (1..=2).contains(&month)
                && text.is(day_at - 1, |c| c == sep)
                && (1..=2).contains(&day)
            {
                found.push((i, day_at + day));
                i = day_at + day;
                continue;
            }
        }
        i += 1;
    }
    found
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
