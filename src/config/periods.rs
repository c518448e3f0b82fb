//! Which reports a build writes (`periods`) and how weeks are cut (`week_start`).

use crate::period::PeriodKind;
use chrono::Weekday;
use serde::Deserialize;

/// The kinds of report a build writes, in the order given; default: months, quarters, years.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "Vec<PeriodKind>")]
pub struct Periods(Vec<PeriodKind>);

impl Default for Periods {
    fn default() -> Self {
        Periods(vec![
            PeriodKind::Month,
            PeriodKind::Quarter,
            PeriodKind::Year,
        ])
    }
}

impl TryFrom<Vec<PeriodKind>> for Periods {
    type Error = String;
    fn try_from(kinds: Vec<PeriodKind>) -> Result<Self, String> {
        if kinds.is_empty() {
            return Err(
                "`periods` is empty: list at least one of \"week\", \"month\", \"quarter\", \"year\""
                    .to_owned(),
            );
        }
        for (i, kind) in kinds.iter().enumerate() {
            if kinds[..i].contains(kind) {
                return Err(format!("`periods` lists \"{}\" twice", kind.name()));
            }
        }
        Ok(Periods(kinds))
    }
}

impl Periods {
    pub fn contains(&self, kind: PeriodKind) -> bool {
        self.0.contains(&kind)
    }
}

/// The day weeks start on: an English weekday name (`monday`, `Sun` …) or a Chinese one
/// (`周一`, `星期日` …). ISO 8601's Monday by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct WeekStart(pub Weekday);

impl Default for WeekStart {
    fn default() -> Self {
        WeekStart(Weekday::Mon)
    }
}

impl TryFrom<String> for WeekStart {
    type Error = String;
    fn try_from(name: String) -> Result<Self, String> {
        const CHINESE: [&str; 7] = ["一", "二", "三", "四", "五", "六", "日"];
        const WEEKDAYS: [Weekday; 7] = [
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
            Weekday::Sat,
            Weekday::Sun,
        ];
        let trimmed = name.trim();
        let chinese = ["周", "星期"]
            .iter()
            .find_map(|prefix| trimmed.strip_prefix(prefix))
            .map(|rest| if rest == "天" { "日" } else { rest })
            .and_then(|rest| CHINESE.iter().position(|&d| d == rest));
        match chinese {
            Some(i) => Ok(WeekStart(WEEKDAYS[i])),
            None => trimmed.parse::<Weekday>().map(WeekStart).map_err(|_| {
                format!("`{name}` is not a weekday; expected a name such as \"monday\" or \"周一\"")
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekdays_in_english_and_chinese() {
        let day = |s: &str| WeekStart::try_from(s.to_owned()).map(|w| w.0);
        assert_eq!(day("monday"), Ok(Weekday::Mon));
        assert_eq!(day("Sun"), Ok(Weekday::Sun));
        assert_eq!(day("周日"), Ok(Weekday::Sun));
        assert_eq!(day("星期天"), Ok(Weekday::Sun));
        assert_eq!(day("周三"), Ok(Weekday::Wed));
        assert!(day("周八").unwrap_err().contains("not a weekday"));
        assert!(day("someday").is_err());
    }

    #[test]
    fn periods_are_listed_once_each() {
        let periods = |kinds: &[PeriodKind]| Periods::try_from(kinds.to_vec());
        assert!(periods(&[]).unwrap_err().contains("empty"));
        let twice = periods(&[PeriodKind::Week, PeriodKind::Week]).unwrap_err();
        assert!(twice.contains("\"week\" twice"), "{twice}");
        assert!(periods(&[PeriodKind::Week, PeriodKind::Year]).is_ok());
    }
}
