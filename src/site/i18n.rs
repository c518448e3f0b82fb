//! The locale: UI strings (one table per locale, in the theme's `i18n/` folder) and how
//! numbers, percentages, dates and period names are written.

use crate::config::Locale;
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;

/// Built-in tables, used when the theme folder has none.
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "zh-CN",
        include_str!("../../themes/default/i18n/zh-CN.toml"),
    ),
    ("en", include_str!("../../themes/default/i18n/en.toml")),
];

pub fn locale_code(locale: Locale) -> &'static str {
    match locale {
        Locale::ZhCn => "zh-CN",
        Locale::En => "en",
    }
}

/// UI strings of one locale.
#[derive(Debug, Clone)]
pub struct Strings {
    pub table: BTreeMap<String, String>,
}

impl Strings {
    pub fn parse(text: &str, name: &str) -> Result<Strings, String> {
        let table: BTreeMap<String, String> =
            toml::from_str(text).map_err(|e| format!("{name}: {}", e.to_string().trim_end()))?;
        Ok(Strings { table })
    }

    /// The string for `key`; empty if the table lacks it (the built-in tables have every key
    /// the code uses: a test reads the sources to make sure).
    pub fn get(&self, key: &str) -> &str {
        self.table.get(key).map_or("", String::as_str)
    }

    /// A string with `{n}` replaced.
    pub fn with_n(&self, key: &str, n: u64) -> String {
        self.get(key).replace("{n}", &n.to_string())
    }

    /// A string with each `{name}` replaced by its value.
    pub fn fill(&self, key: &str, values: &[(&str, &str)]) -> String {
        values
            .iter()
            .fold(self.get(key).to_owned(), |text, (name, value)| {
                text.replace(&format!("{{{name}}}"), value)
            })
    }
}

/// Number, percentage, date and period formatting for one locale.
#[derive(Debug, Clone, Copy)]
pub struct Format {
    pub locale: Locale,
}

pub const DASH: &str = "–";

impl Format {
    /// `12345` → `12,345` (both locales group by thousands in reports).
    pub fn int(self, n: u64) -> String {
        let digits = n.to_string();
        let mut out = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        out
    }

    /// A fraction as a percentage with one decimal: `0.8446` → `84.5%`; undefined → `–`.
    pub fn percent(self, rate: Option<f64>) -> String {
        rate.map_or_else(|| DASH.to_owned(), |r| format!("{:.1}%", r * 100.0))
    }

    /// A change of a rate in percentage points, signed: `0.0123` → `+1.2`.
    pub fn points(self, change: f64) -> String {
        let p = change * 100.0;
        if p.abs() < 0.05 {
            "±0.0".to_owned()
        } else {
            format!("{p:+.1}")
        }
    }

    pub fn decimal(self, x: Option<f64>, places: usize) -> String {
        x.map_or_else(|| DASH.to_owned(), |x| format!("{x:.places$}"))
    }

    pub fn date(self, d: NaiveDate) -> String {
        match self.locale {
            Locale::ZhCn => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
            Locale::En => format!(
                "{} {} {}",
                d.day(),
                MONTHS_EN[d.month0() as usize],
                d.year()
            ),
        }
    }

    /// A time in the site's time zone, to the minute: 2026年12月1日 22:59 / 1 Dec 2026 22:59.
    pub fn date_time(self, t: chrono::NaiveDateTime) -> String {
        format!("{} {}", self.date(t.date()), t.format("%H:%M"))
    }

    /// A report's name from its id: `2026-11` → 2026年11月 / November 2026; `2026-Q4` →
    /// 2026年第4季度 / Q4 2026; `FY2026-Q1` → FY2026 第1季度 / FY2026 Q1; `2026` → 2026年度 / 2026.
    pub fn period(self, id: &str) -> String {
        let (fy, rest) = match id.strip_prefix("FY") {
            Some(rest) => (true, rest),
            None => (false, id),
        };
        let year = &rest[..rest.len().min(4)];
        let tail = rest.get(5..).unwrap_or("");
        match (self.locale, tail) {
            (_, "") if fy => format!("FY{year}"),
            (Locale::ZhCn, "") => format!("{year}年度"),
            (Locale::En, "") => year.to_owned(),
            (Locale::ZhCn, q) if q.starts_with('Q') && fy => format!("FY{year} 第{}季度", &q[1..]),
            (Locale::ZhCn, q) if q.starts_with('Q') => format!("{year}年第{}季度", &q[1..]),
            (Locale::En, q) if q.starts_with('Q') && fy => format!("FY{year} {q}"),
            (Locale::En, q) if q.starts_with('Q') => format!("{q} {year}"),
            (Locale::ZhCn, month) => format!("{year}年{}月", month.trim_start_matches('0')),
            (Locale::En, month) => {
                let m: usize = month.parse().unwrap_or(1);
                format!("{} {year}", MONTHS_EN_LONG[m.clamp(1, 12) - 1])
            }
        }
    }
}

const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const MONTHS_EN_LONG: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

#[cfg(test)]
mod tests {
    use super::*;

    const ZH: Format = Format {
        locale: Locale::ZhCn,
    };
    const EN: Format = Format { locale: Locale::En };

    #[test]
    fn numbers_and_percentages() {
        assert_eq!(ZH.int(0), "0");
        assert_eq!(ZH.int(999), "999");
        assert_eq!(EN.int(1_234_567), "1,234,567");
        assert_eq!(ZH.percent(Some(0.8446)), "84.5%");
        assert_eq!(ZH.percent(None), "–");
        assert_eq!(EN.points(0.0123), "+1.2");
        assert_eq!(EN.points(-0.0507), "-5.1");
        assert_eq!(EN.points(0.0004), "±0.0");
    }

    #[test]
    fn dates_and_periods() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        assert_eq!(ZH.date(d), "2026年11月20日");
        assert_eq!(EN.date(d), "20 Nov 2026");
        assert_eq!(ZH.period("2026-11"), "2026年11月");
        assert_eq!(ZH.period("2026-03"), "2026年3月");
        assert_eq!(EN.period("2026-11"), "November 2026");
        assert_eq!(ZH.period("2026-Q4"), "2026年第4季度");
        assert_eq!(EN.period("2026-Q4"), "Q4 2026");
        assert_eq!(ZH.period("2026"), "2026年度");
        assert_eq!(EN.period("2026"), "2026");
        assert_eq!(ZH.period("FY2026-Q1"), "FY2026 第1季度");
        assert_eq!(EN.period("FY2026"), "FY2026");
        let t = d.and_hms_opt(6, 59, 58).unwrap();
        assert_eq!(ZH.date_time(t), "2026年11月20日 06:59");
        assert_eq!(EN.date_time(t), "20 Nov 2026 06:59");
    }

    /// Every `t.get("…")` and `t.with_n("…")` in the site code and every `t.…` in the
    /// templates names a key of the built-in tables.
    #[test]
    fn every_key_the_code_and_templates_use_exists() {
        let zh = Strings::parse(BUILTIN[0].1, "zh-CN").unwrap();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut used = Vec::new();
        for entry in walkdir::WalkDir::new(root.join("src/site"))
            .into_iter()
            .chain(walkdir::WalkDir::new(root.join("themes/default/templates")))
        {
            let entry = entry.unwrap();
            if !entry.file_type().is_file() {
                continue;
            }
            let text = std::fs::read_to_string(entry.path()).unwrap();
            for pattern in ["t.get(\"", "t.with_n(\"", "{{ t.", " t."] {
                for (i, _) in text.match_indices(pattern) {
                    let rest = &text[i + pattern.len()..];
                    let key: String = rest
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    if !key.is_empty() && rest[key.len()..].starts_with(['"', ' ', '}', '<']) {
                        used.push((entry.path().display().to_string(), key));
                    }
                }
            }
        }
        assert!(used.len() > 50, "the scan finds the keys in use");
        for (file, key) in used {
            assert!(
                zh.table.contains_key(&key),
                "{file} uses missing key `{key}`"
            );
        }
    }

    #[test]
    fn both_locales_have_the_same_keys() {
        let zh = Strings::parse(BUILTIN[0].1, "zh-CN").unwrap();
        let en = Strings::parse(BUILTIN[1].1, "en").unwrap();
        let zk: Vec<&String> = zh.table.keys().collect();
        let ek: Vec<&String> = en.table.keys().collect();
        assert_eq!(zk, ek);
    }
}
