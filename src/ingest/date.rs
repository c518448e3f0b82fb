//! Dates as visit logs write them: `2025/3/5 14:07`, `2025-03-05 14:07:00`, `2025年3月5日`,
//! `2025.3.5`, `20250305`, ISO 8601 with `T` and an offset, and Excel serial day numbers.

use chrono::{DateTime, Datelike, NaiveDate};
use chrono_tz::Tz;

pub const EXPECTED_DATE: &str =
    "a date such as 2025-03-05, 2025/3/5 14:07, 2025年3月5日 or an Excel serial number";

/// Why a non-empty cell is not a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateError {
    /// The shape is not one of the supported formats.
    Unrecognised,
    /// Year, month and day were found but are not a calendar date (e.g. 2 月 30 日).
    NoSuchDay { year: i32, month: u32, day: u32 },
    /// The time after the date is not a time of day.
    BadTime,
    /// A real date, but outside the years a visit can have (see [`YEARS`]).
    Implausible(NaiveDate),
}

impl std::fmt::Display for DateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DateError::Unrecognised => write!(f, "expected {EXPECTED_DATE}"),
            DateError::NoSuchDay { year, month, day } => {
                write!(f, "{year}-{month:02}-{day:02} is not a day of the calendar")
            }
            DateError::BadTime => f.write_str("the time after the date is not a time of day"),
            DateError::Implausible(d) => write!(
                f,
                "{d} is outside {}–{}; is the year mistyped?",
                YEARS.start(),
                YEARS.end()
            ),
        }
    }
}

/// Excel's day 0 is 1899-12-30 once its fictitious 1900-02-29 is accounted for.
fn excel_epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1899, 12, 30).expect("valid date")
}

/// Serial numbers accepted as Excel dates: 1954-10-01 ..= 2173-10-14. Narrower than Excel's
/// own range so that a bare year (`2025`) or a record number is never taken for a date.
const EXCEL_SERIAL_RANGE: std::ops::RangeInclusive<u32> = 20_000..=99_999;

/// Parses a normalised (half-width, trimmed, non-empty) cell into the local date it names.
/// Years a visit can plausibly have. A typo such as `0025` or `1925` would otherwise open a
/// report for every month from then to now.
pub const YEARS: std::ops::RangeInclusive<i32> = 1990..=2100;

pub fn parse_date(value: &str, tz: Tz) -> Result<NaiveDate, DateError> {
    let date = parse_any(value, tz)?;
    if YEARS.contains(&date.year()) {
        Ok(date)
    } else {
        Err(DateError::Implausible(date))
    }
}

fn parse_any(value: &str, tz: Tz) -> Result<NaiveDate, DateError> {
    if let Some(date) = parse_numeric_fast(value.as_bytes()) {
        return Ok(date);
    }
    if let Some(date) = parse_chinese_fast(value.as_bytes()) {
        return Ok(date);
    }
    if let Some(dt) = parse_with_offset(value) {
        return Ok(dt.with_timezone(&tz).date_naive());
    }
    if let Some(date) = parse_excel_serial(value)? {
        return Ok(date);
    }
    let (date_part, time_part) = split_time(value);
    if let Some(time) = time_part {
        check_time(time)?;
    }
    let (year, month, day) = parse_ymd(date_part).ok_or(DateError::Unrecognised)?;
    NaiveDate::from_ymd_opt(year, month, day).ok_or(DateError::NoSuchDay { year, month, day })
}

/// Digits at `at`, at most `max_digits` of them.
fn number(b: &[u8], at: &mut usize, max_digits: usize) -> Option<u32> {
    let start = *at;
    let mut n = 0u32;
    while *at < b.len() && *at - start < max_digits && b[*at].is_ascii_digit() {
        n = n * 10 + u32::from(b[*at] - b'0');
        *at += 1;
    }
    (*at > start).then_some(n)
}

/// `2025年3月5日` alone, as Chinese record sheets write dates, on bytes; any other shape (a
/// time after it, 号 for 日) goes to the general parser.
fn parse_chinese_fast(b: &[u8]) -> Option<NaiveDate> {
    let mut at = 0;
    let year = number(b, &mut at, 4)?;
    let unit = |at: &mut usize, name: &str| {
        b[*at..]
            .starts_with(name.as_bytes())
            .then(|| *at += name.len())
    };
    (at == 4).then_some(())?;
    unit(&mut at, "年")?;
    let month = number(b, &mut at, 2)?;
    unit(&mut at, "月")?;
    let day = number(b, &mut at, 2)?;
    unit(&mut at, "日")?;
    (at == b.len()).then_some(())?;
    NaiveDate::from_ymd_opt(year as i32, month, day)
}

/// The shapes nearly every row has, on bytes and without allocating: `2025-03-05`,
/// `2025/3/5`, `2025.3.5`, optionally followed by a space and `H:MM` or `H:MM:SS`. Anything
/// else (or anything odd about these) goes to the general parser, which explains failures.
fn parse_numeric_fast(b: &[u8]) -> Option<NaiveDate> {
    let mut at = 0;
    let year = number(b, &mut at, 4)?;
    if at != 4 {
        return None;
    }
    let sep = *b.get(at)?;
    if !matches!(sep, b'-' | b'/' | b'.') {
        return None;
    }
    at += 1;
    let month = number(b, &mut at, 2)?;
    if b.get(at) != Some(&sep) {
        return None;
    }
    at += 1;
    let day = number(b, &mut at, 2)?;
    if at < b.len() {
        if b[at] != b' ' {
            return None;
        }
        at += 1;
        let hour = number(b, &mut at, 2)?;
        if b.get(at) != Some(&b':') {
            return None;
        }
        at += 1;
        let minute = number(b, &mut at, 2)?;
        let mut second = 0;
        if b.get(at) == Some(&b':') {
            at += 1;
            second = number(b, &mut at, 2)?;
        }
        if at != b.len() || hour > 23 || minute > 59 || second > 60 {
            return None;
        }
    }
    NaiveDate::from_ymd_opt(year as i32, month, day)
}

/// A timestamp that carries its offset, as database exports write them: `T` or a space
/// between date and time, `Z`, `+08:00`, `+0800`, with or without a space before it. The date
/// is the local date in the project's time zone.
fn parse_with_offset(value: &str) -> Option<DateTime<chrono::FixedOffset>> {
    let (_, time) = value.split_once(['T', ' '])?;
    let has_offset =
        time.ends_with(['Z', 'z']) || time.contains('+') || time.rfind('-').is_some_and(|i| i > 0);
    if !has_offset {
        return None;
    }
    let normal = value
        .replacen(' ', "T", 1)
        .replace(" +", "+")
        .replace(" -", "-");
    let normal = match normal.strip_suffix(['Z', 'z']) {
        Some(rest) => format!("{rest}+00:00"),
        None => normal,
    };
    DateTime::parse_from_rfc3339(&normal)
        .ok()
        .or_else(|| DateTime::parse_from_str(&normal, "%Y-%m-%dT%H:%M:%S%z").ok())
        .or_else(|| DateTime::parse_from_str(&normal, "%Y-%m-%dT%H:%M%z").ok())
}

fn parse_excel_serial(value: &str) -> Result<Option<NaiveDate>, DateError> {
    let (int_part, frac) = value.split_once('.').unwrap_or((value, ""));
    if int_part.len() != 5
        || !int_part.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return Ok(None);
    }
    let serial: u32 = int_part.parse().map_err(|_| DateError::Unrecognised)?;
    if !EXCEL_SERIAL_RANGE.contains(&serial) {
        return Err(DateError::Unrecognised);
    }
    Ok(excel_epoch().checked_add_days(chrono::Days::new(u64::from(serial))))
}

/// Splits `2025/3/5 14:07` into date and time; `2025年3月5日14时` keeps its time after `日`.
fn split_time(value: &str) -> (&str, Option<&str>) {
    if let Some((date, time)) = value.split_once([' ', 'T']) {
        return (date.trim(), Some(time.trim()));
    }
    if let Some(pos) = value.find(['日', '号']) {
        let end = pos + '日'.len_utf8();
        let rest = value[end..].trim();
        return (&value[..end], (!rest.is_empty()).then_some(rest));
    }
    (value, None)
}

fn check_time(time: &str) -> Result<(), DateError> {
    // Chinese exports also write 14时07分, and some append a fractional second or an offset.
    // Chinese-locale Excel writes `2025/3/5 下午 02:07:00`.
    let time = time
        .strip_prefix("上午")
        .or_else(|| time.strip_prefix("下午"))
        .unwrap_or(time)
        .trim()
        .trim_end_matches(['Z', 'z']);
    let mut parts = time
        .split([':', '时', '点', '分', '秒'])
        .filter(|p| !p.is_empty());
    let limits = [23u32, 59, 60];
    let mut count = 0;
    for limit in limits {
        let Some(part) = parts.next() else { break };
        let whole = part.split('.').next().unwrap_or(part);
        let n: u32 = whole.parse().map_err(|_| DateError::BadTime)?;
        if whole.len() > 2 || n > limit {
            return Err(DateError::BadTime);
        }
        count += 1;
    }
    if count == 0 || parts.next().is_some() {
        return Err(DateError::BadTime);
    }
    Ok(())
}

fn parse_ymd(date: &str) -> Option<(i32, u32, u32)> {
    if date.len() == 8 && date.bytes().all(|b| b.is_ascii_digit()) {
        return Some((
            date[..4].parse().ok()?,
            date[4..6].parse().ok()?,
            date[6..].parse().ok()?,
        ));
    }
    let parts: Vec<&str> = if date.contains('年') {
        let rest = date.strip_suffix(['日', '号']).unwrap_or(date);
        let (y, rest) = rest.split_once('年')?;
        let (m, d) = rest.split_once('月')?;
        vec![y, m, d]
    } else {
        let sep = date.find(['-', '/', '.'])?;
        let sep = date[sep..].chars().next()?;
        date.split(sep).collect()
    };
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    let number = |s: &str, max_len: usize| -> Option<u32> {
        (!s.is_empty() && s.len() <= max_len && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    if y.len() != 4 {
        return None;
    }
    Some((number(y, 4)? as i32, number(m, 2)?, number(d, 2)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn parse(s: &str) -> Result<NaiveDate, DateError> {
        parse_date(s, chrono_tz::Asia::Shanghai)
    }

    #[test]
    fn every_documented_format() {
        assert_eq!(parse("2025/3/5 14:07"), Ok(ymd(2025, 3, 5)));
        assert_eq!(parse("2025-03-05 14:07:00"), Ok(ymd(2025, 3, 5)));
        assert_eq!(parse("2025年3月5日"), Ok(ymd(2025, 3, 5)));
        assert_eq!(parse("2025年03月05日 09:30"), Ok(ymd(2025, 3, 5)));
        assert_eq!(parse("2025年3月5号"), Ok(ymd(2025, 3, 5)));
        assert_eq!(parse("2025/03/05"), Ok(ymd(2025, 3, 5)));
        assert_eq!(parse("2025-03-05"), Ok(ymd(2025, 3, 5)));
        assert_eq!(parse("2025.3.5"), Ok(ymd(2025, 3, 5)));
        assert_eq!(parse("20250305"), Ok(ymd(2025, 3, 5)));
        assert_eq!(parse("2025-03-05T14:07:00"), Ok(ymd(2025, 3, 5)));
        assert_eq!(parse("2025-03-05 14时07分"), Ok(ymd(2025, 3, 5)));
        assert_eq!(parse("2025/3/5 下午 02:07:00"), Ok(ymd(2025, 3, 5)));
    }

    #[test]
    fn chinese_dates_on_the_fast_path_are_every_calendar_day_and_nothing_else() {
        let mut day = ymd(2024, 1, 1);
        while day <= ymd(2026, 12, 31) {
            let (y, m, d) = (day.year(), day.month(), day.day());
            assert_eq!(
                parse_chinese_fast(format!("{y}年{m}月{d}日").as_bytes()),
                Some(day)
            );
            assert_eq!(parse(&format!("{y}年{m:02}月{d:02}日")), Ok(day));
            day = day.succ_opt().unwrap();
        }
        assert_eq!(parse_chinese_fast("2025年2月30日".as_bytes()), None);
        assert_eq!(
            parse("2025年2月30日"),
            Err(DateError::NoSuchDay {
                year: 2025,
                month: 2,
                day: 30
            })
        );
        assert_eq!(parse_chinese_fast("2025年3月5日 9:30".as_bytes()), None);
        assert_eq!(parse_chinese_fast("2025年3月".as_bytes()), None);
    }

    #[test]
    fn excel_serials_count_from_1899_12_30() {
        // 45721 days after 1899-12-30: 1900-01-01 is serial 2 (Excel's fake leap day aside),
        // 2025-01-01 is serial 45658, and 2025-03-05 is 63 days later.
        assert_eq!(parse("45658"), Ok(ymd(2025, 1, 1)));
        assert_eq!(parse("45721"), Ok(ymd(2025, 3, 5)));
        assert_eq!(parse("45721.5833"), Ok(ymd(2025, 3, 5)));
        assert_eq!(parse("2025"), Err(DateError::Unrecognised));
        assert_eq!(parse("12345"), Err(DateError::Unrecognised));
    }

    #[test]
    fn offsets_convert_to_the_local_day() {
        // 20:30 UTC on 3 March is 04:30 on 4 March in Shanghai.
        assert_eq!(parse("2025-03-03T20:30:00Z"), Ok(ymd(2025, 3, 4)));
        assert_eq!(parse("2025-03-03T20:30:00+08:00"), Ok(ymd(2025, 3, 3)));
        // The space form of database exports, and `Z` converted rather than dropped.
        assert_eq!(parse("2025-03-03 20:30:00Z"), Ok(ymd(2025, 3, 4)));
        assert_eq!(parse("2025-03-05 14:07:00+08:00"), Ok(ymd(2025, 3, 5)));
        assert_eq!(parse("2025-03-05T14:07:00+0800"), Ok(ymd(2025, 3, 5)));
        assert_eq!(parse("2025-03-04 20:07:00 -05:00"), Ok(ymd(2025, 3, 5)));
    }

    #[test]
    fn the_fast_path_agrees_with_the_general_parser() {
        let tz = chrono_tz::Asia::Shanghai;
        for s in [
            "2025-03-05",
            "2025/3/5 14:07",
            "2025.3.5",
            "2025-03-05 14:07:00",
            "2024/2/29",
            "2025/2/29",
            "2025/3/5 25:00",
            "2025-3/5",
            "2025/03/05 9:5",
        ] {
            let fast = parse_numeric_fast(s.as_bytes());
            let general = parse_ymd(split_time(s).0)
                .and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d))
                .filter(|_| split_time(s).1.is_none_or(|t| check_time(t).is_ok()));
            if let Some(date) = fast {
                assert_eq!(Some(date), general, "{s}");
            }
            assert_eq!(parse_date(s, tz).ok(), general, "{s}");
        }
    }

    #[test]
    fn implausible_years_are_rejected() {
        assert!(matches!(
            parse("0000-01-01"),
            Err(DateError::Implausible(_))
        ));
        assert!(matches!(
            parse("1925-03-05"),
            Err(DateError::Implausible(_))
        ));
        assert!(matches!(parse("2205/3/5"), Err(DateError::Implausible(_))));
        assert_eq!(parse("1990-01-01"), Ok(ymd(1990, 1, 1)));
    }

    #[test]
    fn leap_days() {
        assert_eq!(parse("2024-02-29"), Ok(ymd(2024, 2, 29)));
        assert_eq!(
            parse("2025-02-29"),
            Err(DateError::NoSuchDay {
                year: 2025,
                month: 2,
                day: 29
            })
        );
    }

    #[test]
    fn rejects_what_is_not_a_date() {
        assert_eq!(parse("下周三"), Err(DateError::Unrecognised));
        assert_eq!(parse("3/5/2025"), Err(DateError::Unrecognised));
        assert_eq!(parse("25-3-5"), Err(DateError::Unrecognised));
        assert_eq!(
            parse("2026/13/01"),
            Err(DateError::NoSuchDay {
                year: 2026,
                month: 13,
                day: 1
            })
        );
        assert_eq!(parse("2025/3/5 25:00"), Err(DateError::BadTime));
        assert_eq!(parse("2025/3/5 下午"), Err(DateError::BadTime));
    }
}
