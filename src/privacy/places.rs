//! Where a person lives or parks: room addresses (`3栋2单元501`, `10栋1401`, `5号楼302室`,
//! `B座1203`, `3-2-501`) and licence plates (`粤B12345`, `沪AD12345`, `京A·8K2M9`). A
//! building alone (`2号楼`) is many households and stays; a room in it is one.

use super::{Kind, Span, Text};

const PROVINCES: &str = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";

const BUILDINGS: &[&str] = &["号楼", "#楼", "栋", "幢", "座", "楼", "#"];
const UNITS: &[&str] = &["单元", "门"];
const ROOMS: &[&str] = &["室", "房", "号"];

pub(super) fn find(text: &Text, out: &mut Vec<Span>) {
    for i in 0..text.len() {
        // An address starts with a digit, a building letter or numeral, a plate with its
        // province.
        let starts = text.is(i, |c| {
            c.is_ascii_alphanumeric() || NUMERALS.contains(c) || PROVINCES.contains(c)
        });
        let starts_word = !text.is(i.wrapping_sub(1), |c| c.is_ascii_alphanumeric() || c == '*');
        if !starts || !starts_word {
            continue;
        }
        if let Some(end) = room(text, i).or_else(|| shorthand(text, i)) {
            out.push(starred(text, i, end));
        }
        out.extend(plate(text, i));
    }
}

/// Chinese numerals, as in `3栋二单元`.
const NUMERALS: &str = "一二三四五六七八九十〇零";

/// A room with its letters, digits and numerals starred.
fn starred(text: &Text, start: usize, end: usize) -> Span {
    let masked = text.norm[start..end]
        .iter()
        .zip(&text.chars[start..end])
        .map(|(&n, &c)| {
            if n.is_ascii_alphanumeric() || NUMERALS.contains(n) {
                '*'
            } else {
                c
            }
        })
        .collect();
    Span {
        start,
        end,
        kind: Kind::Room,
        masked,
    }
}

/// A marker from `words` written at `at` (after at most one space), as its end.
fn marker(text: &Text, at: usize, words: &[&str]) -> Option<usize> {
    let at = if text.is(at, |c| c == ' ') {
        at + 1
    } else {
        at
    };
    words
        .iter()
        .find(|w| text.word_at(at, w))
        .map(|w| at + w.chars().count())
}

/// A number at `at` — `digits` (a length range) of digits, a letter with up to three digits
/// (`B`, `A1`), or one or two Chinese numerals — then a marker from `words`.
fn part(
    text: &Text,
    at: usize,
    digits: std::ops::RangeInclusive<usize>,
    words: &[&str],
) -> Option<usize> {
    let n = text.run(at, |c| c.is_ascii_digit()) - at;
    let label_end = if digits.contains(&n) {
        at + n
    } else if n == 0 && text.is(at, |c| c.is_ascii_alphabetic()) {
        let after = text.run(at + 1, |c| c.is_ascii_digit());
        if after - (at + 1) > 3 {
            return None;
        }
        after
    } else if n == 0 && text.is(at, |c| NUMERALS.contains(c)) {
        let end = text.run(at, |c| NUMERALS.contains(c));
        if end - at > 2 {
            return None;
        }
        end
    } else {
        return None;
    };
    marker(text, label_end, words)
}

fn skip_joiners(text: &Text, at: usize) -> usize {
    let end = text.run(at, |c| matches!(c, '-' | ' '));
    if end - at <= 1 { end } else { at }
}

/// A room: building and/or unit, then a 3–4 digit room number (or any room number marked
/// `室`), and a second room after `-` or `、` (`1101-1102`), as the end of the address.
fn room(text: &Text, start: usize) -> Option<usize> {
    let mut at = start;
    let building = part(text, at, 1..=3, BUILDINGS);
    if let Some(end) = building {
        at = skip_joiners(text, end);
    }
    let unit = part(text, at, 1..=2, UNITS);
    if let Some(end) = unit {
        at = skip_joiners(text, end);
    }
    let n = text.run(at, |c| c.is_ascii_digit()) - at;
    let after = if text.is(at + n, |c| c == ' ') {
        at + n + 1
    } else {
        at + n
    };
    let marked = text.is(after, |c| c == '室' || c == '房');
    let numbered = (3..=4).contains(&n) || (1..=4).contains(&n) && marked;
    if !numbered || text.is(at + n, |c| c.is_ascii_alphanumeric() || c == '*') {
        return None;
    }
    if building.is_none() && unit.is_none() && !marked {
        return None;
    }
    let mut end = marker(text, at + n, ROOMS).unwrap_or(at + n);
    // `1101-1102`, `501、502`: the rooms of one household.
    if text.is(end, |c| matches!(c, '-' | '、' | '/')) {
        let more = text.run(end + 1, |c| c.is_ascii_digit()) - (end + 1);
        if (3..=4).contains(&more) && !text.is(end + 1 + more, |c| c.is_ascii_alphanumeric()) {
            end = marker(text, end + 1 + more, ROOMS).unwrap_or(end + 1 + more);
        }
    }
    Some(end)
}

/// `3-2-501`: building, unit and room as people jot them down (and not `5-3-2026`).
fn shorthand(text: &Text, start: usize) -> Option<usize> {
    let group = |at: usize| text.run(at, |c| c.is_ascii_digit()) - at;
    let (a, b_at) = (group(start), start + group(start));
    if !(1..=2).contains(&a) || !text.is(b_at, |c| c == '-') {
        return None;
    }
    let b = group(b_at + 1);
    let c_at = b_at + 1 + b;
    if !(1..=2).contains(&b) || !text.is(c_at, |c| c == '-') {
        return None;
    }
    let c = group(c_at + 1);
    let end = c_at + 1 + c;
    let year = c == 4 && (text.word_at(c_at + 1, "19") || text.word_at(c_at + 1, "20"));
    let followed = text.is(end, |c| c.is_ascii_alphanumeric() || c == '-' || c == '*');
    ((3..=4).contains(&c) && !year && !followed && !text.is(start.wrapping_sub(1), |c| c == '-'))
        .then_some(end)
}

/// A licence plate: province, city letter, then five or six letters and digits (at least
/// two digits), the province and city letter kept.
fn plate(text: &Text, i: usize) -> Option<Span> {
    let letter = if text.is(i + 1, |c| c == ' ' || c == '·') {
        i + 2
    } else {
        i + 1
    };
    if !text.is(i, |c| PROVINCES.contains(c)) || !text.is(letter, |c| c.is_ascii_alphabetic()) {
        return None;
    }
    let body = text.run(letter + 1, |c| matches!(c, '·' | '•' | '-' | ' ' | '.'));
    if body - (letter + 1) > 1 {
        return None;
    }
    let end = text.run(body, |c| c.is_ascii_alphanumeric());
    let digits = (body..end).filter(|&k| text.digit(k)).count();
    let beside_mask = text.is(end, |c| c == '*');
    ((5..=6).contains(&(end - body)) && digits >= 2 && !beside_mask)
        .then(|| Span::starred(text, letter + 1, end, Kind::Plate))
}
