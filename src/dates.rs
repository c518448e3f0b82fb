//! Dates as visit logs, survey exports and the project's settings write them: one set of
//! spellings, read here and nowhere else.
//!
//! - The date, year first: `2025-03-05`, `2025/3/5`, `2025.3.5` (the separators may be mixed),
//!   `20250305`, `2025年3月5日` or `2025年3月5号`.
//! - Optionally a time of day after it, after a space, a `T` or `日`: `14:07`, `14:07:00`,
//!   `14:07:00.123`, `14时07分`, `14点`, with `上午`/`下午` or `AM`/`PM` before or after it
//!   (`2025/3/5 下午 02:07:00`, `5/12/2026 10:31:05 AM`), and a zone after that: `Z`,
//!   `+08:00`, `+0800`, `-05`, `UTC`, `GMT+8`.
//! - Or an Excel serial day number: `45721` is 2025-03-05, `45721.5833` the same day at about
//!   14:00. Five digits, 20000 to 99999, so a year (`2025`) or a record number is never a date.
//!
//! Day-first and month-first dates (`3/5/2025`) are ambiguous and rejected, except in the
//! timestamps of survey tools that write them ([`parse_datetime`]).
//!
//! Each reader takes from that what it needs:
//! - [`parse_date`], a visit log's dates: the local date in the project's time zone (a time
//!   with a zone is converted), in [`YEARS`].
//! - [`parse_day`], `as_of` and `--as-of`: the date as written, in [`YEARS`]; an as-of date is
//!   a day, not an instant.
//! - [`parse_datetime`], a survey's submission and start times: date and time as written, the
//!   zone dropped. Survey tools also write the date month first (`05/12/2026`, SurveyMonkey and
//!   English Google Forms), or day first when the first number is over 12 (`13/5/2026`), and
//!   zone names of their own after the time (`CST`), which are ignored.

use chrono::{Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime};
use chrono_tz::Tz;

pub const EXPECTED_DATE: &str =
    "a date such as 2025-03-05, 2025/3/5 14:07, 2025年3月5日 or an Excel serial number";
pub const EXPECTED_DATETIME: &str =
    "a date and time such as 2026/5/12 10:31:05, 2026-05-12 10:31:05 or 05/12/2026 10:31:05 AM";

/// Why a non-empty value is not a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateError {
    /// The shape is not one of the supported spellings.
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

/// Years a visit can plausibly have. A typo such as `0025` or `1925` would otherwise open a
/// report for every month from then to now.
pub const YEARS: std::ops::RangeInclusive<i32> = 1990..=2100;

/// A visit log's date: a normalised (half-width, trimmed, non-empty) cell read as the local
/// date it names in `tz`.
pub fn parse_date(value: &str, tz: Tz) -> Result<NaiveDate, DateError> {
    let date = match parse_fast(value.as_bytes()) {
        Some(date) => date,
        None => read_local_date(value, tz)?,
    };
    plausible(date)
}

/// Out of line, so that the fast path of [`parse_date`] stays small.
#[inline(never)]
fn read_local_date(value: &str, tz: Tz) -> Result<NaiveDate, DateError> {
    Ok(read(value, Style::Record)?.local_date(tz))
}

/// An as-of date, from the config or the command line: the date as written.
pub fn parse_day(value: &str) -> Result<NaiveDate, DateError> {
    let value = value.trim();
    let date = match parse_fast(value.as_bytes()) {
        Some(date) => date,
        None => {
            read(value, Style::Record)
                .map_err(|e| setting_error(value, e))?
                .date
        }
    };
    plausible(date)
}

/// A setting is read as a date before anything else: `next week` is not a date at all, rather
/// than a date followed by a bad time as [`read`] finds it.
fn setting_error(value: &str, error: DateError) -> DateError {
    match error {
        DateError::BadTime if read_ymd(split_time(value).0, Style::Record).is_none() => {
            DateError::Unrecognised
        }
        error => error,
    }
}

/// A survey tool's timestamp (`2026/5/12 10:31:05`, `05/12/2026 10:31:05 AM`,
/// `2026/05/12 10:31:05 AM GMT+8`) as written: a zone is dropped, not applied; no time is
/// midnight.
pub fn parse_datetime(value: &str) -> Option<NaiveDateTime> {
    let reading = read(value.trim(), Style::Survey).ok()?;
    Some(
        reading
            .date
            .and_time(reading.time.unwrap_or(NaiveTime::MIN)),
    )
}

fn plausible(date: NaiveDate) -> Result<NaiveDate, DateError> {
    if YEARS.contains(&date.year()) {
        Ok(date)
    } else {
        Err(DateError::Implausible(date))
    }
}

/// How much of the spellings a reader takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    /// Visit logs and settings: year first, and nothing after the time but a zone.
    Record,
    /// Survey tools' timestamps: month or day first too, and words after the time ignored.
    Survey,
}

/// What a value says: a calendar date, perhaps a time of day and a zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Reading {
    date: NaiveDate,
    time: Option<NaiveTime>,
    offset: Option<FixedOffset>,
}

impl Reading {
    /// The date where `tz` is: a time with a zone may fall on the day before or after.
    fn local_date(self, tz: Tz) -> NaiveDate {
        let Some(offset) = self.offset else {
            return self.date;
        };
        self.date
            .and_time(self.time.unwrap_or(NaiveTime::MIN))
            .and_local_timezone(offset)
            .single()
            .map_or(self.date, |instant| instant.with_timezone(&tz).date_naive())
    }
}

/// The shapes nearly every row has, on bytes and without allocating; anything else (or
/// anything odd about these) goes to [`read`], which explains failures.
#[inline]
fn parse_fast(b: &[u8]) -> Option<NaiveDate> {
    if let Some(date) = parse_numeric_fast(b) {
        return Some(date);
    }
    parse_chinese_fast(b)
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

/// `2025年3月5日` alone, as Chinese record sheets write dates; any other shape (a time after
/// it, 号 for 日) goes to the general reader.
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

/// `2025-03-05`, `2025/3/5`, `2025.3.5`, optionally followed by a space and `H:MM` or
/// `H:MM:SS`.
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

/// Every spelling of the module doc, in `style`. A bad time is reported before a bad date, as
/// visit logs have always had it.
fn read(value: &str, style: Style) -> Result<Reading, DateError> {
    if let Some(reading) = excel_serial(value)? {
        return Ok(reading);
    }
    let (date_part, time_part) = split_time(value);
    let (time, offset) = match time_part {
        Some(text) => read_time(text, style)?,
        None => (None, None),
    };
    let (year, month, day) = read_ymd(date_part, style).ok_or(DateError::Unrecognised)?;
    let date = NaiveDate::from_ymd_opt(year, month, day).ok_or(DateError::NoSuchDay {
        year,
        month,
        day,
    })?;
    Ok(Reading { date, time, offset })
}

/// Excel's day 0 is 1899-12-30 once its fictitious 1900-02-29 is accounted for.
fn excel_epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1899, 12, 30).expect("valid date")
}

/// Serial numbers accepted as Excel dates: 1954-10-01 ..= 2173-10-14. Narrower than Excel's
/// own range so that a bare year (`2025`) or a record number is never taken for a date.
const EXCEL_SERIAL_RANGE: std::ops::RangeInclusive<u32> = 20_000..=99_999;

/// `45721` or `45721.5833`: `None` when the value is not five digits and a fraction, an error
/// when it is but out of [`EXCEL_SERIAL_RANGE`].
fn excel_serial(value: &str) -> Result<Option<Reading>, DateError> {
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
    let date = excel_epoch()
        .checked_add_days(chrono::Days::new(u64::from(serial)))
        .ok_or(DateError::Unrecognised)?;
    // The time of day is the fraction; nine digits are closer than a second.
    let digits = &frac[..frac.len().min(9)];
    let fraction = digits
        .parse::<u32>()
        .map_or(0.0, |n| f64::from(n) / 10f64.powi(digits.len() as i32));
    let seconds = ((fraction * 86_400.0).round() as u32).min(86_399);
    let time = NaiveTime::from_num_seconds_from_midnight_opt(seconds, 0);
    Ok(Some(Reading {
        date,
        time,
        offset: None,
    }))
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

/// Year, month and day as written; the order of `3/5/2025` only in [`Style::Survey`].
fn read_ymd(date: &str, style: Style) -> Option<(i32, u32, u32)> {
    if date.len() == 8 && date.bytes().all(|b| b.is_ascii_digit()) {
        return Some((
            date[..4].parse().ok()?,
            date[4..6].parse().ok()?,
            date[6..].parse().ok()?,
        ));
    }
    let chinese = date.contains('年');
    let parts: Vec<&str> = if chinese {
        let rest = date.trim_end_matches(['日', '号']);
        let (y, rest) = rest.split_once('年')?;
        let (m, d) = rest.split_once('月')?;
        vec![y, m, d]
    } else {
        date.split(['-', '/', '.']).collect()
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
    } else if style == Style::Survey && !chinese && c.len() == 4 && a_n > 12 {
        // 13/5/2026: day first.
        (c_n, b_n, a_n)
    } else if style == Style::Survey && !chinese && c.len() == 4 {
        // 5/12/2026: US order, as SurveyMonkey and English Google Sheets write it.
        (c_n, a_n, b_n)
    } else {
        return None;
    };
    Some((i32::try_from(year).ok()?, month, day))
}

/// The time after a date: a clock, a half of the day, a zone, in any order. A half of the
/// day turns 1–12 o'clock into 24-hour time; a later hour is taken as written.
fn read_time(
    text: &str,
    style: Style,
) -> Result<(Option<NaiveTime>, Option<FixedOffset>), DateError> {
    let lenient = style == Style::Survey;
    let mut clock = None;
    let mut afternoon = None;
    let mut offset = None;
    for token in text.split_whitespace() {
        if let Some(pm) = half_of_day(token) {
            afternoon = Some(pm);
            continue;
        }
        // Chinese-locale Excel writes `下午02:07:00` as well as `下午 02:07:00`.
        let glued = ["上午", "下午"]
            .into_iter()
            .find_map(|half| Some((half == "下午", token.strip_prefix(half)?)));
        let token = match glued {
            Some((pm, rest)) => {
                afternoon = Some(pm);
                rest
            }
            None => token,
        };
        if token.starts_with(|c: char| c.is_ascii_digit()) && (clock.is_none() || glued.is_some()) {
            let (hms, rest) = read_clock(token).ok_or(DateError::BadTime)?;
            clock = Some(hms);
            if !rest.is_empty() {
                match zone(rest) {
                    Some(z) => offset = Some(z),
                    None if lenient => {}
                    None => return Err(DateError::BadTime),
                }
            }
        } else if let Some(z) = zone(token) {
            offset = Some(z);
        } else if !lenient {
            return Err(DateError::BadTime);
        }
    }
    let Some((mut hour, minute, second)) = clock else {
        return if lenient {
            Ok((None, offset))
        } else {
            Err(DateError::BadTime)
        };
    };
    match afternoon {
        Some(true) if (1..12).contains(&hour) => hour += 12,
        Some(false) if hour == 12 => hour = 0,
        _ => {}
    }
    // A leap second (`23:59:60`) is the last second of its minute.
    let time = NaiveTime::from_hms_opt(hour, minute, second.min(59)).ok_or(DateError::BadTime)?;
    Ok((Some(time), offset))
}

/// `AM`/`PM`, `上午`/`下午` as a word of its own: whether it is the afternoon.
fn half_of_day(token: &str) -> Option<bool> {
    match token {
        "上午" => Some(false),
        "下午" => Some(true),
        _ if token.eq_ignore_ascii_case("AM") => Some(false),
        _ if token.eq_ignore_ascii_case("PM") => Some(true),
        _ => None,
    }
}

/// `14:07`, `9:05:30.5`, `14时07分`, `14点`: hour, minute and second, and what follows them
/// (a zone, glued on: `14:07:00+08:00`).
fn read_clock(token: &str) -> Option<((u32, u32, u32), &str)> {
    let end = token
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, ':' | '.' | '时' | '点' | '分' | '秒')))
        .unwrap_or(token.len());
    let (clock, rest) = token.split_at(end);
    let mut parts = clock
        .split([':', '时', '点', '分', '秒'])
        .filter(|p| !p.is_empty());
    let mut hms = [0u32; 3];
    let mut count = 0;
    for (slot, limit) in hms.iter_mut().zip([23u32, 59, 60]) {
        let Some(part) = parts.next() else { break };
        // A fraction of a second (`05.123`) is dropped.
        let whole = part.split('.').next().unwrap_or(part);
        let n: u32 = whole.parse().ok()?;
        if n > limit {
            return None;
        }
        *slot = n;
        count += 1;
    }
    if count == 0 || parts.next().is_some() {
        return None;
    }
    let [h, m, s] = hms;
    Some(((h, m, s), rest))
}

/// `Z`, `+08:00`, `+0800`, `-05`, `UTC`, `GMT+8`: the offset from UTC. Zone names such as
/// `CST` are not offsets (China's or the US's?).
fn zone(text: &str) -> Option<FixedOffset> {
    if text.eq_ignore_ascii_case("Z") {
        return FixedOffset::east_opt(0);
    }
    let text = match ["UTC", "GMT", "utc", "gmt"]
        .into_iter()
        .find_map(|name| text.strip_prefix(name))
    {
        Some("") => return FixedOffset::east_opt(0),
        Some(rest) => rest,
        None => text,
    };
    let (sign, digits) = match text.as_bytes().first()? {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => return None,
    };
    if !digits.bytes().all(|b| b.is_ascii_digit() || b == b':') {
        return None;
    }
    let (hours, minutes) = match digits.split_once(':') {
        Some((h, m)) => (h, m),
        None if digits.len() == 4 => digits.split_at(2),
        None => (digits, "00"),
    };
    if !(1..=2).contains(&hours.len()) || minutes.len() != 2 {
        return None;
    }
    let hours: i32 = hours.parse().ok()?;
    let minutes: i32 = minutes.parse().ok()?;
    if hours > 14 || minutes > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))
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
            let general = read(s, Style::Record).ok().map(|r| r.date);
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

    fn dt(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> NaiveDateTime {
        ymd(y, mo, d).and_hms_opt(h, mi, s).unwrap()
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
    fn survey_timestamps_keep_what_they_wrote_before() {
        for (value, expected) in [
            // A zone is dropped, not applied, and a zone name is ignored.
            ("2026-05-12T23:30:00Z", dt(2026, 5, 12, 23, 30, 0)),
            ("2026/5/12 10:31:05 CST", dt(2026, 5, 12, 10, 31, 5)),
            // 13 cannot be a month: day first.
            ("13/5/2026 10:31", dt(2026, 5, 13, 10, 31, 0)),
            ("2026/5/12 下午02:07:00", dt(2026, 5, 12, 14, 7, 0)),
            ("2026年5月12日10时31分", dt(2026, 5, 12, 10, 31, 0)),
            ("2026/5/12 10:31:05.123", dt(2026, 5, 12, 10, 31, 5)),
            ("2026/5/12 23:59:60", dt(2026, 5, 12, 23, 59, 59)),
            ("2026/5/12 下午", dt(2026, 5, 12, 0, 0, 0)),
        ] {
            assert_eq!(parse_datetime(value), Some(expected), "{value}");
        }
        assert_eq!(parse_datetime(""), None);
    }

    /// What one reader took and the other did not, before there was one module.
    #[test]
    fn spellings_both_readers_now_take() {
        for (value, expected) in [
            // Survey timestamps: the compact date, Excel serials and mixed separators of visit
            // logs.
            ("20260512 10:31:05", Some(dt(2026, 5, 12, 10, 31, 5))),
            ("45721", Some(dt(2025, 3, 5, 0, 0, 0))),
            ("45721.5", Some(dt(2025, 3, 5, 12, 0, 0))),
            ("12345", None),
            ("2026-5/12", Some(dt(2026, 5, 12, 0, 0, 0))),
            ("2026-5-12T10:31", Some(dt(2026, 5, 12, 10, 31, 0))),
            // A 24-hour time with a half of the day is the time written.
            ("2026/5/12 下午 14:07", Some(dt(2026, 5, 12, 14, 7, 0))),
        ] {
            assert_eq!(parse_datetime(value), expected, "{value}");
        }
        for (value, expected) in [
            // Visit logs: AM/PM, a half of the day after the time, zones on any date shape.
            ("2025/3/5 10:31:05 AM", Ok(ymd(2025, 3, 5))),
            ("2025/3/5 02:07:00 下午", Ok(ymd(2025, 3, 5))),
            ("2025-3/5", Ok(ymd(2025, 3, 5))),
            ("2025/3/3 20:30 +00:00", Ok(ymd(2025, 3, 4))),
            ("2025/3/3 20:30Z", Ok(ymd(2025, 3, 4))),
            ("2025-03-03 20:30:00 GMT", Ok(ymd(2025, 3, 4))),
            ("2025-03-03 23:30:00 GMT+8", Ok(ymd(2025, 3, 3))),
            ("2025-03-03T20:30+08", Ok(ymd(2025, 3, 3))),
            // Day-first and month-first stay ambiguous in visit logs, and zone names unknown.
            ("13/5/2025", Err(DateError::Unrecognised)),
            ("2025/3/5 14:07 CST", Err(DateError::BadTime)),
            ("2025/3/5 14:07 14:08", Err(DateError::BadTime)),
            ("2025/3/5 1:2:3:4", Err(DateError::BadTime)),
        ] {
            assert_eq!(parse(value), expected, "{value}");
        }
    }

    #[test]
    fn an_as_of_day_is_the_date_written() {
        assert_eq!(parse_day("2026-11-20"), Ok(ymd(2026, 11, 20)));
        assert_eq!(parse_day("2026/11/20"), Ok(ymd(2026, 11, 20)));
        assert_eq!(parse_day("20261120"), Ok(ymd(2026, 11, 20)));
        assert_eq!(parse_day("2026年11月20日"), Ok(ymd(2026, 11, 20)));
        assert_eq!(parse_day(" 2026.11.20 "), Ok(ymd(2026, 11, 20)));
        // An instant names the day it was written on, wherever the project is.
        assert_eq!(parse_day("2026-11-20T20:30:00Z"), Ok(ymd(2026, 11, 20)));
        assert_eq!(parse_day("next week"), Err(DateError::Unrecognised));
        assert_eq!(parse_day("11/20/2026"), Err(DateError::Unrecognised));
        assert!(matches!(
            parse_day("2206-11-20"),
            Err(DateError::Implausible(_))
        ));
    }

    #[test]
    fn zones() {
        let east = |s: i32| FixedOffset::east_opt(s);
        assert_eq!(zone("Z"), east(0));
        assert_eq!(zone("UTC"), east(0));
        assert_eq!(zone("+08:00"), east(8 * 3600));
        assert_eq!(zone("+0800"), east(8 * 3600));
        assert_eq!(zone("GMT+8"), east(8 * 3600));
        assert_eq!(zone("-05"), east(-5 * 3600));
        assert_eq!(zone("+05:30"), east(5 * 3600 + 1800));
        assert_eq!(zone("CST"), None);
        assert_eq!(zone("+8:0"), None);
        assert_eq!(zone("+25:00"), None);
        assert_eq!(zone("+"), None);
    }
}
