//! Cell values as survey tools write them: time spent, numbers, IP addresses and "other"
//! fill-ins (submission times are read by [`crate::dates`]). Cells arrive normalised
//! (half-width, trimmed).

use std::cmp::Ordering;

pub const EXPECTED_SECONDS: &str = "a time spent such as 35秒, 2分5秒, 1小时2分 or 125";

/// `35秒`, `2分5秒`, `1小时2分3秒`, `2分钟`, `125`, `125.4` (rounded), `0:02:05`.
pub fn parse_seconds(value: &str) -> Option<u32> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    if let Some(n) = plain_decimal(value) {
        return (0.0..=f64::from(u32::MAX))
            .contains(&n)
            .then(|| n.round() as u32);
    }
    if value.contains(':') {
        let parts: Vec<u32> = value
            .split(':')
            .map(|p| p.parse().ok())
            .collect::<Option<_>>()?;
        return match parts.as_slice() {
            [m, s] => Some(m * 60 + s),
            [h, m, s] => Some(h * 3600 + m * 60 + s),
            _ => None,
        };
    }
    let mut total: u32 = 0;
    let mut number = String::new();
    let mut chars = value.chars().peekable();
    let mut any_unit = false;
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() || c == '.' {
            number.push(c);
            continue;
        }
        let factor = match c {
            '小' if chars.peek() == Some(&'时') => {
                chars.next();
                3600.0
            }
            '时' => 3600.0,
            '分' => {
                if chars.peek() == Some(&'钟') {
                    chars.next();
                }
                60.0
            }
            '秒' => 1.0,
            ' ' => continue,
            _ => return None,
        };
        let n: f64 = number.parse().ok()?;
        number.clear();
        total = total.checked_add((n * factor).round() as u32)?;
        any_unit = true;
    }
    (any_unit && number.is_empty()).then_some(total)
}

/// A decimal number as typed: optional sign, digits, optional fraction. Long digit strings
/// (ids, phone numbers: ten digits or more) and zero-padded codes (`0571`, `007`) are not
/// numbers, so they stay text.
pub fn parse_number(value: &str) -> Option<f64> {
    let n = plain_decimal(value)?;
    let digits = value.trim_start_matches(['-', '+']);
    let int_part = digits.split('.').next().unwrap_or(digits);
    if int_part.len() >= 10 || (int_part.len() > 1 && int_part.starts_with('0')) {
        return None;
    }
    Some(n)
}

fn plain_decimal(value: &str) -> Option<f64> {
    let digits = value
        .strip_prefix('-')
        .or_else(|| value.strip_prefix('+'))
        .unwrap_or(value);
    let (int_part, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    let ok = !int_part.is_empty()
        && int_part.bytes().all(|b| b.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()));
    if ok { value.parse().ok() } else { None }
}

/// An integer as an option index or score: `3`, `3.0`.
pub fn parse_integer(value: &str) -> Option<i64> {
    let n = parse_number(value)?;
    (n.fract() == 0.0 && n.abs() < 1e9).then_some(n as i64)
}

/// `其他〖电梯经常坏〗` → (`其他`, Some(`电梯经常坏`)); anything else unchanged. 问卷星 writes
/// the text typed into an option's box this way.
pub fn split_fill_in(value: &str) -> (&str, Option<&str>) {
    if let Some(open) = value.find('〖') {
        let rest = &value[open + '〖'.len_utf8()..];
        let text = rest.strip_suffix('〗').unwrap_or(rest).trim();
        return (value[..open].trim(), Some(text).filter(|t| !t.is_empty()));
    }
    (value, None)
}

/// `112.10.1.1(浙江-杭州)` → `112.10.1.1`.
pub fn ip_part(value: &str) -> &str {
    value.split('(').next().unwrap_or(value).trim()
}

/// A score as an option label: `5`, `4.5`.
pub fn format_number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}

/// Orders `A2` before `A10` and `SQ002` before `SQ010`: digit runs compare as numbers.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a, b);
    loop {
        match (a.is_empty(), b.is_empty()) {
            (true, true) => return Ordering::Equal,
            (true, false) => return Ordering::Less,
            (false, true) => return Ordering::Greater,
            _ => {}
        }
        let a_digit = a.starts_with(|c: char| c.is_ascii_digit());
        let b_digit = b.starts_with(|c: char| c.is_ascii_digit());
        let split = |s: &str, digit: bool| {
            let end = s
                .find(|c: char| c.is_ascii_digit() != digit)
                .unwrap_or(s.len());
            (s[..end].to_owned(), s[end..].to_owned())
        };
        let (ha, ra) = split(a, a_digit);
        let (hb, rb) = split(b, b_digit);
        let order = if a_digit && b_digit {
            let (ta, tb) = (ha.trim_start_matches('0'), hb.trim_start_matches('0'));
            ta.len().cmp(&tb.len()).then_with(|| ta.cmp(tb))
        } else {
            ha.cmp(&hb)
        };
        if order != Ordering::Equal {
            return order;
        }
        let (la, lb) = (a.len() - ra.len(), b.len() - rb.len());
        a = &a[la..];
        b = &b[lb..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_spent() {
        assert_eq!(parse_seconds("35秒"), Some(35));
        assert_eq!(parse_seconds("2分5秒"), Some(125));
        assert_eq!(parse_seconds("1分20秒"), Some(80));
        assert_eq!(parse_seconds("1小时2分3秒"), Some(3723));
        assert_eq!(parse_seconds("3分钟"), Some(180));
        assert_eq!(parse_seconds("125"), Some(125));
        assert_eq!(parse_seconds("125.6"), Some(126));
        assert_eq!(parse_seconds("0:02:05"), Some(125));
        assert_eq!(parse_seconds("很久"), None);
        assert_eq!(parse_seconds("-5"), None);
        assert_eq!(parse_seconds(""), None);
    }

    #[test]
    fn numbers_but_not_ids() {
        assert_eq!(parse_number("5"), Some(5.0));
        assert_eq!(parse_number("-2.5"), Some(-2.5));
        assert_eq!(parse_number("0"), Some(0.0));
        assert_eq!(parse_number("0.5"), Some(0.5));
        assert_eq!(parse_number("13812345678"), None);
        assert_eq!(parse_number("114523678901"), None);
        assert_eq!(parse_number("0571"), None);
        assert_eq!(parse_number("1e5"), None);
        assert_eq!(parse_number("inf"), None);
        assert_eq!(parse_number("5."), None);
        assert_eq!(parse_integer("3.0"), Some(3));
        assert_eq!(parse_integer("3.5"), None);
    }

    #[test]
    fn fill_ins_ips_and_codes() {
        assert_eq!(
            split_fill_in("其他〖电梯经常坏〗"),
            ("其他", Some("电梯经常坏"))
        );
        assert_eq!(split_fill_in("其他〖〗"), ("其他", None));
        assert_eq!(split_fill_in("保洁"), ("保洁", None));
        assert_eq!(ip_part("112.10.1.1(浙江-杭州)"), "112.10.1.1");
        assert_eq!(ip_part("112.10.1.1"), "112.10.1.1");
        assert_eq!(format_number(5.0), "5");
        assert_eq!(format_number(4.5), "4.5");
        let mut codes = vec!["A10", "A2", "A1", "-oth-", "SQ002"];
        codes.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(codes, ["-oth-", "A1", "A2", "A10", "SQ002"]);
    }
}
