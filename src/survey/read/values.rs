//! Cell values as survey tools write them: submission times, time spent, numbers, IP
//! addresses and "other" fill-ins. Cells arrive normalised (half-width, trimmed).

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use std::cmp::Ordering;

pub const EXPECTED_DATETIME: &str =
    "a date and time such as 2026/5/12 10:31:05, 2026-05-12 10:31:05 or 05/12/2026 10:31:05 AM";
pub const EXPECTED_SECONDS: &str = "a time spent such as 35秒, 2分5秒, 1小时2分 or 125";

/// `2026/5/12 10:31:05` (问卷星), `2026-05-12 10:31:05` (腾讯问卷, Qualtrics, LimeSurvey),
/// `05/12/2026 10:31:05 AM` (SurveyMonkey), `2026/05/12 10:31:05 AM GMT+8` and
/// `5/12/2026 10:31:05` (Google Forms), `2026年5月12日 10:31`, ISO 8601 with `T`. The time is
/// kept as written: a trailing zone (`GMT+8`, `+08:00`) is dropped, not applied.
pub fn parse_datetime(value: &str) -> Option<NaiveDateTime> {
    let value = value.trim();
    let bytes = value.as_bytes();
    // ISO 8601: 2026-05-12T10:31:05
    let iso;
    let value =
        if bytes.len() > 10 && bytes[10] == b'T' && bytes[..4].iter().all(u8::is_ascii_digit) {
            iso = format!("{} {}", &value[..10], &value[11..]);
            iso.as_str()
        } else {
            value
        };
    let (date_part, rest) = split_date(value);
    let date = parse_date(date_part)?;
    let mut time = None;
    let mut meridiem = None;
    for token in rest.split_whitespace() {
        let upper = token.to_ascii_uppercase();
        match upper.as_str() {
            "AM" | "上午" => meridiem = Some(false),
            "PM" | "下午" => meridiem = Some(true),
            _ if time.is_none() && token.starts_with(|c: char| c.is_ascii_digit()) => {
                time = Some(parse_time(token)?);
            }
            _ => {
                // A zone such as GMT+8, UTC or CST: dropped.
                if let Some(pm) = token.strip_prefix("上午") {
                    meridiem = Some(false);
                    time = Some(parse_time(pm)?);
                } else if let Some(pm) = token.strip_prefix("下午") {
                    meridiem = Some(true);
                    time = Some(parse_time(pm)?);
                }
            }
        }
    }
    let (mut h, m, s) = time.unwrap_or((0, 0, 0));
    match meridiem {
        Some(true) if (1..12).contains(&h) => h += 12,
        Some(false) if h == 12 => h = 0,
        Some(_) if h > 12 => return None,
        _ => {}
    }
    Some(date.and_time(NaiveTime::from_hms_opt(h, m, s)?))
}

/// Splits the date from what follows it: at the first space, or after `日`.
fn split_date(value: &str) -> (&str, &str) {
    if let Some(pos) = value.find(['日', '号']) {
        let end = pos + '日'.len_utf8();
        return (&value[..end], &value[end..]);
    }
    value.split_once(' ').unwrap_or((value, ""))
}

fn parse_date(date: &str) -> Option<NaiveDate> {
    let parts: Vec<&str> = if date.contains('年') {
        let rest = date.trim_end_matches(['日', '号']);
        let (y, rest) = rest.split_once('年')?;
        let (m, d) = rest.split_once('月')?;
        vec![y, m, d]
    } else {
        date.split(['/', '-', '.']).collect()
    };
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let number = |s: &str| -> Option<u32> {
        (!s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let (a_n, b_n, c_n) = (number(a)?, number(b)?, number(c)?);
    let (year, month, day) = if a.len() == 4 {
        (a_n, b_n, c_n)
    } else if c.len() == 4 && a_n > 12 {
        // 13/5/2026: day first.
        (c_n, b_n, a_n)
    } else if c.len() == 4 {
        // 5/12/2026: US order, as SurveyMonkey and English Google Sheets write it.
        (c_n, a_n, b_n)
    } else {
        return None;
    };
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
}

/// `10:31:05`, `9:05`, `10:31:05.123`, `10:31:05+08:00`, `10时31分5秒`.
fn parse_time(token: &str) -> Option<(u32, u32, u32)> {
    let end = token
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, ':' | '时' | '点' | '分' | '秒')))
        .unwrap_or(token.len());
    let mut parts = token[..end]
        .split([':', '时', '点', '分', '秒'])
        .filter(|p| !p.is_empty())
        .map(|p| p.parse::<u32>().ok());
    let h = parts.next()??;
    let m = parts.next().flatten().unwrap_or(0);
    let s = parts.next().flatten().unwrap_or(0);
    (h < 24 && m < 60 && s < 61).then_some((h, m, s.min(59)))
}

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

    fn dt(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, mo, d)
            .unwrap()
            .and_hms_opt(h, mi, s)
            .unwrap()
    }

    #[test]
    fn submission_times_of_every_tool() {
        let t = dt(2026, 5, 12, 10, 31, 5);
        assert_eq!(parse_datetime("2026/5/12 10:31:05"), Some(t));
        assert_eq!(parse_datetime("2026-05-12 10:31:05"), Some(t));
        assert_eq!(parse_datetime("05/12/2026 10:31:05 AM"), Some(t));
        assert_eq!(parse_datetime("2026/05/12 10:31:05 AM GMT+8"), Some(t));
        assert_eq!(parse_datetime("2026/05/12 10:31:05 GMT+8"), Some(t));
        assert_eq!(parse_datetime("5/12/2026 10:31:05"), Some(t));
        assert_eq!(parse_datetime("2026-05-12T10:31:05+08:00"), Some(t));
        assert_eq!(parse_datetime("2026年5月12日 10:31:05"), Some(t));
        assert_eq!(
            parse_datetime("05/12/2026 02:15:00 PM"),
            Some(dt(2026, 5, 12, 14, 15, 0))
        );
        assert_eq!(
            parse_datetime("05/12/2026 12:05:00 AM"),
            Some(dt(2026, 5, 12, 0, 5, 0))
        );
        assert_eq!(
            parse_datetime("2026/5/12 下午 02:07:00"),
            Some(dt(2026, 5, 12, 14, 7, 0))
        );
        assert_eq!(parse_datetime("2026-05-12"), Some(dt(2026, 5, 12, 0, 0, 0)));
        assert_eq!(parse_datetime("下周三"), None);
        assert_eq!(parse_datetime("2026/13/40 10:00"), None);
        assert_eq!(parse_datetime("2026/5/12 25:00"), None);
    }

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
