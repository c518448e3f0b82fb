//! The locale: UI strings (one table per locale, in the theme's `i18n/` folder, with plural
//! forms for the strings that take a count) and how numbers, percentages, dates and period
//! names are written.

use crate::config::Locale;
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;

/// Built-in tables; a theme's table overrides them key by key.
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

/// The plural categories of CLDR that a whole count can take in our locales. A string that
/// takes a count has one key per category of its locale, `key_one`, `key_other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plural {
    One,
    Other,
}

/// Every category name CLDR defines, so a theme's `key_few` is recognised as a plural form
/// its locale lacks rather than taken for a string of its own.
const CLDR_CATEGORIES: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

impl Plural {
    /// The categories `locale` distinguishes for whole numbers (CLDR plural rules): English
    /// has one (1) and other; Chinese has other only.
    pub fn categories(locale: Locale) -> &'static [Plural] {
        match locale {
            Locale::En => &[Plural::One, Plural::Other],
            Locale::ZhCn => &[Plural::Other],
        }
    }

    /// The category of the count `n` in `locale`.
    pub fn of(locale: Locale, n: u64) -> Plural {
        match locale {
            Locale::En if n == 1 => Plural::One,
            _ => Plural::Other,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Plural::One => "one",
            Plural::Other => "other",
        }
    }
}

/// UI strings of one locale.
#[derive(Debug, Clone)]
pub struct Strings {
    pub locale: Locale,
    pub table: BTreeMap<String, String>,
}

fn parse(text: &str, name: &str) -> Result<BTreeMap<String, String>, String> {
    toml::from_str(text).map_err(|e| format!("{name}: {}", e.to_string().trim_end()))
}

impl Strings {
    /// The built-in strings of `locale`, overridden key by key by the theme's table
    /// (`(file, text)`) when it has one. A theme's table may leave keys out (a theme written
    /// for an older huifang keeps building when strings are added), but a string that takes
    /// a count must have every plural form of the locale or none.
    pub fn load(locale: Locale, theme: Option<(&str, &str)>) -> Result<Strings, String> {
        let code = locale_code(locale);
        let builtin = BUILTIN
            .iter()
            .find(|(c, _)| *c == code)
            .map_or("", |(_, t)| t);
        let mut table = parse(builtin, &format!("built-in {code} strings"))?;
        if let Some((file, text)) = theme {
            let overrides = parse(text, file)?;
            check_plural_forms(&overrides, &table, locale)
                .map_err(|e| format!("{file} (locale {code}): {e}"))?;
            table.extend(overrides);
        }
        Ok(Strings { locale, table })
    }

    /// The string for `key`. The built-in tables have every key the code asks for (a test
    /// reads the sources to make sure); were one missing, the key itself shows, never nothing.
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.table.get(key).map_or(key, String::as_str)
    }

    /// `n` (from 1) as the numbering of a report's parts spells it: the `n`th word of
    /// `part_numerals` (一 二 三 …, or 1 2 3 …), else `n` in digits.
    pub fn numeral(&self, n: usize) -> String {
        let words = self.get("part_numerals").split_whitespace();
        words
            .clone()
            .nth(n.wrapping_sub(1))
            .map_or_else(|| n.to_string(), str::to_owned)
    }

    /// A string that takes a count: the plural form of `key` for `n` in this locale
    /// (`key_one`, `key_other`), with `{n}` replaced.
    pub fn with_n(&self, key: &str, n: u64) -> String {
        let form = format!("{key}_{}", Plural::of(self.locale, n).name());
        self.get(&form).replace("{n}", &n.to_string())
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

/// The plural keys of a table: `key` of every `key_other`.
fn plural_keys(table: &BTreeMap<String, String>) -> impl Iterator<Item = &str> {
    table.keys().filter_map(|k| k.strip_suffix("_other"))
}

/// A theme's table gives a string that takes a count (one the built-in table has as plural)
/// in every form of the locale or in none, and in no form the locale lacks.
fn check_plural_forms(
    theme: &BTreeMap<String, String>,
    builtin: &BTreeMap<String, String>,
    locale: Locale,
) -> Result<(), String> {
    let forms: Vec<&str> = Plural::categories(locale)
        .iter()
        .map(|c| c.name())
        .collect();
    for key in plural_keys(builtin) {
        let form = |category: &str| format!("{key}_{category}");
        let spelled = || forms.iter().map(|c| form(c)).collect::<Vec<_>>().join(", ");
        if theme.contains_key(key) {
            return Err(format!("`{key}` takes a count: write it as {}", spelled()));
        }
        if let Some(extra) = CLDR_CATEGORIES
            .iter()
            .find(|c| !forms.contains(c) && theme.contains_key(&form(c)))
        {
            return Err(format!(
                "`{}`: this locale has no `{extra}` form; write {}",
                form(extra),
                spelled()
            ));
        }
        let given = forms.iter().find(|c| theme.contains_key(&form(c)));
        let missing = forms.iter().find(|c| !theme.contains_key(&form(c)));
        if let (Some(given), Some(missing)) = (given, missing) {
            return Err(format!(
                "`{}` without `{}`: a string that takes a count needs every form ({})",
                form(given),
                form(missing),
                spelled()
            ));
        }
    }
    Ok(())
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
        rate.map_or_else(|| DASH.to_owned(), |r| format!("{}%", fixed(r * 100.0, 1)))
    }

    /// A change of a rate in percentage points, signed: `0.0123` → `+1.2`; one that rounds
    /// to nothing → `±0.0`.
    pub fn points(self, change: f64) -> String {
        match fixed(change * 100.0, 1) {
            zero if zero == "0.0" => "±0.0".to_owned(),
            p if p.starts_with('-') => p,
            p => format!("+{p}"),
        }
    }

    pub fn decimal(self, x: Option<f64>, places: usize) -> String {
        x.map_or_else(|| DASH.to_owned(), |x| fixed(x, places as u32))
    }

    /// `text` with `note` in brackets after it, as the locale writes them: 2026年11月（进行中）,
    /// November 2026 (in progress).
    pub fn aside(self, text: &str, note: &str) -> String {
        match self.locale {
            Locale::ZhCn => format!("{text}（{note}）"),
            Locale::En => format!("{text} ({note})"),
        }
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

    /// A report's name from its id: `2026-W07` → 2026年第7周 / Week 7, 2026; `2026-11` →
    /// 2026年11月 / November 2026; `2026-Q4` → 2026年第4季度 / Q4 2026; `FY2026-Q1` → FY2026
    /// 第1季度 / FY2026 Q1; `2026` → 2026年度 / 2026.
    pub fn period(self, id: &str) -> String {
        if let Some((year, week)) = id.split_once("-W") {
            let week = week.trim_start_matches('0');
            return match self.locale {
                Locale::ZhCn => format!("{year}年第{week}周"),
                Locale::En => format!("Week {week}, {year}"),
            };
        }
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

/// `x` with `places` decimals, rounded once, half away from zero: `82.35294` → `82.4`,
/// `6.25` → `6.3`, `-6.25` → `-6.3`; never `-0.0`.
///
/// The numbers shown are ratios of counts (or differences of two), kept exact in memory. A
/// ratio that is a true tie at the last place shown (1/16 = 6.25%) may sit a rounding error
/// either side of the half in binary, so a value within 1e-9 of a half (relative beyond 1000)
/// is taken for the tie it is. A ratio that is no tie is farther from the half than that:
/// `n/d` is at least 1/(2d) from it in the last place, `a/b − c/d` at least 1/(2bd), more than
/// 1e-9 while the denominators' product stays below 5·10⁸.
pub fn fixed(x: f64, places: u32) -> String {
    if !x.is_finite() {
        return DASH.to_owned();
    }
    let scaled = x * 10f64.powi(places as i32);
    let (whole, part) = (scaled.trunc(), scaled.fract().abs());
    let tolerance = 1e-9 * whole.abs().max(1_000.0) / 1_000.0;
    let away = if (part - 0.5).abs() <= tolerance {
        true
    } else {
        part > 0.5
    };
    // Whole numbers of the last place; far beyond any count this program shows.
    let units = (whole.abs() as u128).saturating_add(u128::from(away));
    let digits = format!("{units:0width$}", width = places as usize + 1);
    let (int, frac) = digits.split_at(digits.len() - places as usize);
    let sign = if scaled < 0.0 && units > 0 { "-" } else { "" };
    if places == 0 {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{frac}")
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

    /// Each number is rounded once, from the exact ratio, half away from zero.
    #[test]
    fn numbers_are_rounded_once_half_away_from_zero() {
        // 84 of 102 = 82.3529…%: 82.4%, where 0.8235 stored to 4 decimals would give 82.3%
        // (half to even) or, rounded again, 82.4% only by luck.
        assert_eq!(ZH.percent(Some(84.0 / 102.0)), "82.4%");
        // 78.947…% (15 of 19) is 78.9%; 0.7895 rounded again would be 79.0%.
        assert_eq!(ZH.percent(Some(15.0 / 19.0)), "78.9%");
        // Ties at the last place shown go away from zero: 1/16 = 6.25% → 6.3%
        // (`format!("{:.1}", 6.25)` gives 6.2); 23/80 = 28.75% → 28.8%, though 23/80 × 100
        // is 28.749999999999996 in binary (`{:.1}` gives 28.7).
        assert_eq!(ZH.percent(Some(1.0 / 16.0)), "6.3%");
        assert_eq!(ZH.percent(Some(23.0 / 80.0)), "28.8%");
        assert_eq!(ZH.percent(Some(3.0 / 8.0)), "37.5%");
        assert_eq!(ZH.decimal(Some(4.125), 2), "4.13");
        assert_eq!(ZH.decimal(Some(-4.125), 2), "-4.13");
        assert_eq!(ZH.decimal(Some(2.5), 0), "3");
        assert_eq!(ZH.decimal(Some(0.049), 1), "0.0");
        assert_eq!(ZH.decimal(Some(-0.049), 1), "0.0", "no negative zero");
        assert_eq!(ZH.decimal(Some(f64::NAN), 1), DASH);
        // Changes are differences of exact rates: 1/2 − 9/20 = 5 points exactly, though
        // 0.5 − 0.45 is 0.04999… in binary; 1/2 − 7/16 = 6.25 points, a tie: +6.3 (and the
        // other way −6.3); 1/2 − 999/2000 = 0.05 points, a tie: +0.1, not ±0.0.
        assert_eq!(ZH.points(1.0 / 2.0 - 9.0 / 20.0), "+5.0");
        assert_eq!(ZH.points(1.0 / 2.0 - 7.0 / 16.0), "+6.3");
        assert_eq!(ZH.points(7.0 / 16.0 - 1.0 / 2.0), "-6.3");
        assert_eq!(ZH.points(1.0 / 2.0 - 999.0 / 2000.0), "+0.1");
        assert_eq!(ZH.points(1.0 / 3.0 - 1.0 / 3.0), "±0.0");
        assert_eq!(ZH.points(-0.0004), "±0.0");
    }

    /// An interval bound too: 10 of 10 has the lower Wilson bound n/(n + z²) =
    /// 10/(10 + 1.959964²) = 10/13.841459 = 0.722467, so 72.2%; stored as 0.7225 and
    /// rounded again it would read 72.3%.
    #[test]
    fn interval_bounds_are_rounded_once() {
        let [low, high] = crate::metrics::values::wilson_ci95(10, 10).unwrap();
        assert_eq!(
            (ZH.percent(Some(low)), ZH.percent(Some(high))),
            ("72.2%".into(), "100.0%".into())
        );
    }

    #[test]
    fn dates_and_periods() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        assert_eq!(ZH.date(d), "2026年11月20日");
        assert_eq!(EN.date(d), "20 Nov 2026");
        assert_eq!(ZH.period("2026-11"), "2026年11月");
        assert_eq!(ZH.period("2026-W47"), "2026年第47周");
        assert_eq!(EN.period("2027-W01"), "Week 1, 2027");
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

    const LOCALES: [Locale; 2] = [Locale::ZhCn, Locale::En];

    fn builtin(locale: Locale) -> Strings {
        Strings::load(locale, None).unwrap()
    }

    /// The strings of a table by name, each with its plural forms: none for a plain string,
    /// the categories of `now_closed_one`, `now_closed_other` under `now_closed`.
    fn strings_by_name(s: &Strings) -> BTreeMap<&str, Vec<&str>> {
        let plural: Vec<&str> = plural_keys(&s.table).collect();
        let mut names: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for key in s.table.keys() {
            let form = CLDR_CATEGORIES.iter().find_map(|c| {
                let name = key.strip_suffix(c)?.strip_suffix('_')?;
                plural.contains(&name).then_some((name, *c))
            });
            match form {
                Some((name, category)) => names.entry(name).or_default().push(category),
                None => {
                    names.entry(key).or_default();
                }
            }
        }
        names
    }

    #[test]
    fn plural_categories_follow_cldr() {
        for (n, category) in [(0, Plural::Other), (1, Plural::One), (2, Plural::Other)] {
            assert_eq!(Plural::of(Locale::En, n), category, "{n}");
        }
        for n in [11, 21, 101] {
            assert_eq!(Plural::of(Locale::En, n), Plural::Other, "{n}");
        }
        for n in [0, 1, 2] {
            assert_eq!(Plural::of(Locale::ZhCn, n), Plural::Other, "{n}");
        }
        let (en, zh) = (builtin(Locale::En), builtin(Locale::ZhCn));
        assert_eq!(en.with_n("now_closed", 1), "1 complaint now rectified");
        assert_eq!(en.with_n("now_closed", 2), "2 complaints now rectified");
        assert_eq!(en.with_n("now_closed", 0), "0 complaints now rectified");
        assert_eq!(
            en.with_n("records_after_as_of", 1),
            "1 record is dated after the as-of date and is in no report."
        );
        assert_eq!(zh.with_n("now_closed", 1), "1 项投诉转为已整改");
        assert_eq!(zh.with_n("now_closed", 2), "2 项投诉转为已整改");
    }

    /// Every locale has the same strings, each string that takes a count in exactly the
    /// plural forms its locale needs.
    #[test]
    fn every_locale_has_every_string_in_the_forms_it_needs() {
        let tables: Vec<Strings> = LOCALES.into_iter().map(builtin).collect();
        let names: Vec<BTreeMap<&str, Vec<&str>>> = tables.iter().map(strings_by_name).collect();
        let outline = |names: &BTreeMap<&str, Vec<&str>>| -> Vec<String> {
            names
                .iter()
                .map(|(name, forms)| format!("{name}{}", if forms.is_empty() { "" } else { "_*" }))
                .collect()
        };
        assert!(names[0].len() > 100, "the tables are read");
        assert_eq!(
            outline(&names[0]),
            outline(&names[1]),
            "zh-CN and en differ"
        );
        for (strings, names) in tables.iter().zip(&names) {
            let needed: Vec<&str> = Plural::categories(strings.locale)
                .iter()
                .map(|c| c.name())
                .collect();
            for (name, forms) in names {
                let mut forms = forms.clone();
                forms.sort_by_key(|f| CLDR_CATEGORIES.iter().position(|c| c == f));
                if !forms.is_empty() {
                    assert_eq!(forms, needed, "{name} in {:?}", strings.locale);
                }
            }
        }
    }

    /// Every string is used by the code (outside tests) or the templates, and every string
    /// they name exists. Code names a string by a literal (`t.get("home")`, a list of keys,
    /// `with_n("now_closed", n)`), or by a literal prefix and a literal rest
    /// (`format!("severity_{key}")` with `"major"` elsewhere); templates as `t.home`.
    #[test]
    fn every_string_is_used_and_every_string_used_exists() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let read = |dir: &str, ext: &str| -> Vec<(String, String)> {
            walkdir::WalkDir::new(root.join(dir))
                .into_iter()
                .map(|e| e.unwrap())
                .filter(|e| e.path().extension().is_some_and(|x| x == ext))
                .map(|e| {
                    let text = std::fs::read_to_string(e.path()).unwrap();
                    let code = text.split("\n#[cfg(test)]").next().unwrap_or("").to_owned();
                    (e.path().display().to_string(), code)
                })
                .collect()
        };
        let rust = read("src", "rs");
        let templates = read("themes/default/templates", "html");
        let code: String = rust.iter().map(|(_, text)| text.as_str()).collect();
        let strings = builtin(Locale::ZhCn);
        let names = strings_by_name(&strings);

        let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
        let mut named: Vec<(&str, String, bool)> = Vec::new();
        for (file, text) in &rust {
            for (call, counted) in [
                ("t.get(", false),
                ("strings.get(", false),
                ("t.fill(", false),
                ("t.with_n(", true),
            ] {
                for (i, _) in text.match_indices(call) {
                    let rest = text[i + call.len()..].trim_start();
                    if let Some(rest) = rest.strip_prefix('"') {
                        let key: String = rest.chars().take_while(|c| ident(*c)).collect();
                        if rest[key.len()..].starts_with('"') {
                            named.push((file, key, counted));
                        }
                    }
                }
            }
        }
        let mut in_templates = Vec::new();
        for (file, text) in &templates {
            for (i, _) in text.match_indices("t.") {
                let before = text[..i].chars().next_back();
                let key: String = text[i + 2..].chars().take_while(|c| ident(*c)).collect();
                if !key.is_empty() && !before.is_some_and(|c| ident(c) || c == '.') {
                    named.push((file, key.clone(), false));
                    in_templates.push(key);
                }
            }
        }
        assert!(named.len() > 50, "the scan finds the strings in use");
        for (file, key, counted) in &named {
            let forms = names.get(key.as_str());
            assert!(forms.is_some(), "{file} uses missing string `{key}`");
            assert_eq!(
                forms.is_some_and(|f| !f.is_empty()),
                *counted,
                "{file}: `{key}` takes a count exactly when it is used with with_n"
            );
        }

        let literal = |s: &str| code.contains(&format!("\"{s}\""));
        let by_prefix = |name: &str| {
            name.match_indices('_').any(|(i, _)| {
                code.contains(&format!("\"{}{{", &name[..=i])) && literal(&name[i + 1..])
            })
        };
        let unused: Vec<&&str> = names
            .keys()
            .filter(|n| !(literal(n) || by_prefix(n) || in_templates.iter().any(|k| k == *n)))
            .collect();
        assert!(unused.is_empty(), "used nowhere, remove: {unused:?}");
    }

    #[test]
    fn a_missing_key_shows_the_key_not_nothing() {
        assert_eq!(builtin(Locale::En).get("no_such_key"), "no_such_key");
    }

    #[test]
    fn a_theme_table_overrides_the_built_in_one_key_by_key() {
        let theme = "home = \"Start\"\nour_motto = \"Ours\"\n\
                     now_closed_one = \"{n} fixed\"\nnow_closed_other = \"{n} fixed\"\n";
        let s = Strings::load(Locale::En, Some(("themes/sunset/i18n/en.toml", theme))).unwrap();
        assert_eq!(s.get("home"), "Start");
        assert_eq!(s.get("reports"), "Reports", "left out: the built-in string");
        assert_eq!(
            s.get("our_motto"),
            "Ours",
            "a theme may add strings for its templates"
        );
        assert_eq!(s.with_n("now_closed", 1), "1 fixed");
    }

    /// A theme table that gets a counted string's forms wrong is an error naming the file,
    /// the locale and the key, rather than a page with a form missing or mixed.
    #[test]
    fn a_theme_table_with_wrong_plural_forms_is_an_error() {
        let load = |locale, text| {
            let file = format!("themes/sunset/i18n/{}.toml", locale_code(locale));
            Strings::load(locale, Some((&file, text)))
        };
        let e = load(Locale::En, "now_closed = \"{n} fixed\"").unwrap_err();
        assert_eq!(
            e,
            "themes/sunset/i18n/en.toml (locale en): `now_closed` takes a count: \
             write it as now_closed_one, now_closed_other"
        );
        let e = load(Locale::En, "now_closed_other = \"{n} fixed\"").unwrap_err();
        assert!(
            e.contains("`now_closed_other` without `now_closed_one`"),
            "{e}"
        );
        let e = load(Locale::ZhCn, "now_closed_one = \"{n} 项\"").unwrap_err();
        assert!(
            e.starts_with("themes/sunset/i18n/zh-CN.toml (locale zh-CN): "),
            "{e}"
        );
        assert!(
            e.contains("`now_closed_one`: this locale has no `one` form"),
            "{e}"
        );
        assert!(load(Locale::ZhCn, "now_closed_other = \"{n} 项\"").is_ok());
    }
}
