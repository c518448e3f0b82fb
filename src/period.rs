//! Reporting periods: weeks, months, quarters and years, with a configurable fiscal-year start
//! and week start.
//!
//! Ids: a week is `2026-W47` (numbered as ISO 8601 numbers weeks, whatever day they start
//! on), a month `2026-11`. With the fiscal year starting in January a quarter is `2026-Q4`
//! and a year `2026`. With another start month the fiscal year is named after the calendar
//! year it starts in: starting in April, `FY2026` runs 2026-04 … 2027-03 and `FY2026-Q1` is
//! 2026-04 … 2026-06.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::Serialize;
use std::fmt;

/// A calendar month, counted from year 0 so months compare and step as integers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Month(i32);

impl Month {
    pub fn new(year: i32, month: u32) -> Month {
        debug_assert!((1..=12).contains(&month));
        Month(year * 12 + month as i32 - 1)
    }

    pub fn of(date: NaiveDate) -> Month {
        Month::new(date.year(), date.month())
    }

    pub fn year(self) -> i32 {
        self.0.div_euclid(12)
    }

    /// 1-12.
    pub fn month(self) -> u32 {
        self.0.rem_euclid(12) as u32 + 1
    }

    pub fn plus(self, months: i32) -> Month {
        Month(self.0 + months)
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year(), self.month(), 1).expect("month in chrono's range")
    }

    pub fn last_day(self) -> NaiveDate {
        self.plus(1)
            .first_day()
            .pred_opt()
            .expect("day in chrono's range")
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.month())
    }
}

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    Week,
    Month,
    Quarter,
    Year,
}

impl PeriodKind {
    pub const ALL: [PeriodKind; 4] = [
        PeriodKind::Week,
        PeriodKind::Month,
        PeriodKind::Quarter,
        PeriodKind::Year,
    ];

    /// Months in one period; a week's share of a month is no whole number, so 0.
    fn months(self) -> i32 {
        match self {
            PeriodKind::Week => 0,
            PeriodKind::Month => 1,
            PeriodKind::Quarter => 3,
            PeriodKind::Year => 12,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            PeriodKind::Week => "week",
            PeriodKind::Month => "month",
            PeriodKind::Quarter => "quarter",
            PeriodKind::Year => "year",
        }
    }
}

/// How a project cuts time into periods: where its fiscal year starts, on which day its weeks
/// start, and whether it reports on weeks at all.
///
/// Numbers are kept per *bucket*: a month, or with weekly reports the part of a week inside
/// one month. Every month, quarter, year and week is then a whole run of buckets, so every
/// report adds up buckets and nothing is counted twice. A bucket is named by its first day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Calendar {
    /// First month of the fiscal year (1 = January); decides ids and quarter boundaries.
    fy_start: u32,
    /// The weekday weeks start on, as days after Monday; `None`: no weekly reports.
    week_start: Option<u32>,
}

impl Default for Calendar {
    fn default() -> Self {
        Calendar::new(1, None)
    }
}

impl Calendar {
    pub fn new(fy_start: u32, week_start: Option<Weekday>) -> Calendar {
        Calendar {
            fy_start,
            week_start: week_start.map(|w| w.num_days_from_monday()),
        }
    }

    pub fn has_weeks(self) -> bool {
        self.week_start.is_some()
    }

    /// The first day of the bucket holding `date`.
    pub fn bucket(self, date: NaiveDate) -> NaiveDate {
        let month = Month::of(date).first_day();
        match self.week_start {
            Some(start) => month.max(week_start_of(date, start)),
            None => month,
        }
    }

    /// The period of `kind` that contains `date`.
    pub fn containing(self, kind: PeriodKind, date: NaiveDate) -> Period {
        let start = match kind {
            PeriodKind::Week => week_start_of(date, self.week_start.unwrap_or(0)),
            _ => {
                let month = Month::of(date);
                let offset = month.0 - (self.fy_start as i32 - 1);
                let first = offset - offset.rem_euclid(kind.months()) + (self.fy_start as i32 - 1);
                Month(first).first_day()
            }
        };
        Period {
            kind,
            start,
            calendar: self,
        }
    }

    /// Every period of `kind` from the one holding `first` to the one holding `last`.
    pub fn range(self, kind: PeriodKind, first: NaiveDate, last: NaiveDate) -> Vec<Period> {
        let mut periods = Vec::new();
        let mut p = self.containing(kind, first);
        while p.start <= last {
            periods.push(p);
            p = p.next();
        }
        periods
    }
}

/// The first day of the week holding `date`, weeks starting `start` days after Monday.
fn week_start_of(date: NaiveDate, start: u32) -> NaiveDate {
    let back = (date.weekday().num_days_from_monday() + 7 - start) % 7;
    date - Days::new(u64::from(back))
}

/// A week, month, quarter or (fiscal) year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Period {
    pub kind: PeriodKind,
    start: NaiveDate,
    calendar: Calendar,
}

impl Period {
    /// The period of `kind` that contains `month`, in a calendar without weeks (for months,
    /// quarters and years).
    pub fn containing(kind: PeriodKind, month: Month, fy_start: u32) -> Period {
        Calendar::new(fy_start, None).containing(kind, month.first_day())
    }

    pub fn start(self) -> NaiveDate {
        self.start
    }

    pub fn end(self) -> NaiveDate {
        match self.kind {
            PeriodKind::Week => self.start + Days::new(6),
            _ => Month::of(self.start)
                .plus(self.kind.months() - 1)
                .last_day(),
        }
    }

    fn next(self) -> Period {
        self.shift(1)
    }

    /// The period of the same kind just before.
    pub fn previous(self) -> Period {
        self.shift(-1)
    }

    /// The same period one year earlier; for a week, the week of the same number the year
    /// before (去年同周), or that year's last week for a week 53 it lacks.
    pub fn year_ago(self) -> Period {
        if self.kind != PeriodKind::Week {
            return self.shift(-12 / self.kind.months());
        }
        let (year, week) = self.week_number();
        let jan4 = NaiveDate::from_ymd_opt(year - 1, 1, 4).unwrap_or(self.start);
        let week1 = self.calendar.containing(PeriodKind::Week, jan4);
        let same = week1.shift(week as i32 - 1);
        if same.week_number().0 == year - 1 {
            same
        } else {
            same.previous()
        }
    }

    /// A week's year and number: ISO 8601's rule for any start day, a week belongs to the year
    /// that holds most of it, that is its fourth day, and week 1 is the first such week.
    fn week_number(self) -> (i32, u32) {
        let fourth = self.start + Days::new(3);
        (fourth.year(), fourth.ordinal0() / 7 + 1)
    }

    /// The period `n` periods of the same kind away.
    fn shift(self, n: i32) -> Period {
        let start = match self.kind {
            PeriodKind::Week => {
                let days = i64::from(n) * 7;
                self.start + chrono::TimeDelta::days(days)
            }
            _ => Month::of(self.start)
                .plus(n * self.kind.months())
                .first_day(),
        };
        Period { start, ..self }
    }

    /// The fiscal year the period belongs to, named by the calendar year it starts in.
    fn fiscal_year(self) -> i32 {
        self.calendar
            .containing(PeriodKind::Year, self.start)
            .start
            .year()
    }

    pub fn id(self) -> String {
        let fy = self.fiscal_year();
        let prefix = if self.calendar.fy_start == 1 {
            ""
        } else {
            "FY"
        };
        match self.kind {
            PeriodKind::Week => {
                let (year, week) = self.week_number();
                format!("{year}-W{week:02}")
            }
            PeriodKind::Month => Month::of(self.start).to_string(),
            PeriodKind::Quarter => {
                let year_start = self.calendar.containing(PeriodKind::Year, self.start).start;
                let q = (Month::of(self.start).0 - Month::of(year_start).0) / 3 + 1;
                format!("{prefix}{fy}-Q{q}")
            }
            PeriodKind::Year => format!("{prefix}{fy}"),
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn calendar_periods() {
        let nov = Month::new(2026, 11);
        let q = Period::containing(PeriodKind::Quarter, nov, 1);
        assert_eq!(q.id(), "2026-Q4");
        assert_eq!((q.start(), q.end()), (ymd(2026, 10, 1), ymd(2026, 12, 31)));
        let y = Period::containing(PeriodKind::Year, nov, 1);
        assert_eq!(
            (y.id(), y.start(), y.end()),
            ("2026".into(), ymd(2026, 1, 1), ymd(2026, 12, 31))
        );
        let m = Period::containing(PeriodKind::Month, Month::new(2024, 2), 1);
        assert_eq!((m.id(), m.end()), ("2024-02".into(), ymd(2024, 2, 29)));
        assert_eq!(q.previous().id(), "2026-Q3");
        assert_eq!(q.year_ago().id(), "2025-Q4");
        assert_eq!(
            Period::containing(PeriodKind::Quarter, Month::new(2026, 1), 1)
                .previous()
                .id(),
            "2025-Q4"
        );
        assert_eq!(
            Period::containing(PeriodKind::Month, Month::new(2026, 1), 1)
                .previous()
                .id(),
            "2025-12"
        );
    }

    #[test]
    fn fiscal_year_starting_in_april() {
        let p = |y, m, kind| Period::containing(kind, Month::new(y, m), 4);
        let fy = p(2026, 4, PeriodKind::Year);
        assert_eq!(
            (fy.id(), fy.start(), fy.end()),
            ("FY2026".into(), ymd(2026, 4, 1), ymd(2027, 3, 31))
        );
        assert_eq!(p(2027, 3, PeriodKind::Year).id(), "FY2026");
        assert_eq!(p(2026, 3, PeriodKind::Year).id(), "FY2025");
        let q1 = p(2026, 5, PeriodKind::Quarter);
        assert_eq!(
            (q1.id(), q1.start(), q1.end()),
            ("FY2026-Q1".into(), ymd(2026, 4, 1), ymd(2026, 6, 30))
        );
        let q4 = p(2027, 2, PeriodKind::Quarter);
        assert_eq!(
            (q4.id(), q4.start(), q4.end()),
            ("FY2026-Q4".into(), ymd(2027, 1, 1), ymd(2027, 3, 31))
        );
        assert_eq!(q1.previous().id(), "FY2025-Q4");
        assert_eq!(p(2026, 4, PeriodKind::Month).id(), "2026-04");
    }

    #[test]
    fn ranges_cover_first_to_last() {
        let ids = |kind, first, last, fy| -> Vec<String> {
            Calendar::new(fy, None)
                .range(kind, first, last)
                .into_iter()
                .map(Period::id)
                .collect()
        };
        assert_eq!(
            ids(PeriodKind::Quarter, ymd(2025, 11, 30), ymd(2026, 4, 1), 1),
            ["2025-Q4", "2026-Q1", "2026-Q2"]
        );
        assert_eq!(
            ids(PeriodKind::Year, ymd(2025, 2, 1), ymd(2026, 4, 30), 4),
            ["FY2024", "FY2025", "FY2026"]
        );
    }

    /// 2026 ends on a Thursday, so its last ISO week holds 2027-01-01 to 01-03 and is 2026-W53;
    /// 2027-W01 starts on Monday 2027-01-04 (as any ISO calendar says).
    #[test]
    fn iso_weeks_across_a_year_end() {
        let iso = Calendar::new(1, Some(Weekday::Mon));
        let w53 = iso.containing(PeriodKind::Week, ymd(2027, 1, 3));
        assert_eq!(
            (w53.id(), w53.start(), w53.end()),
            ("2026-W53".into(), ymd(2026, 12, 28), ymd(2027, 1, 3))
        );
        let w01 = iso.containing(PeriodKind::Week, ymd(2027, 1, 4));
        assert_eq!(
            (w01.id(), w01.start(), w01.end()),
            ("2027-W01".into(), ymd(2027, 1, 4), ymd(2027, 1, 10))
        );
        assert_eq!(w01.previous(), w53);
        // 2025-12-29 (a Monday) starts 2026-W01: its Thursday is 2026-01-01.
        assert_eq!(
            iso.containing(PeriodKind::Week, ymd(2025, 12, 31)).id(),
            "2026-W01"
        );
        assert_eq!(
            iso.containing(PeriodKind::Week, ymd(2026, 11, 19)).id(),
            "2026-W47"
        );
        // A year before 2027-W01 is 2026-W01, starting 2025-12-29 (53 weeks back, as 2026
        // has 53); 2026-W53 has no match in 2025, which ends with W52 (12-22 … 12-28).
        assert_eq!(w01.year_ago().start(), ymd(2025, 12, 29));
        assert_eq!(w53.year_ago().id(), "2025-W52");
        assert_eq!(w53.year_ago().start(), ymd(2025, 12, 22));
        let w47 = iso.containing(PeriodKind::Week, ymd(2026, 11, 19));
        assert_eq!(w47.year_ago().id(), "2025-W47");
        let weeks = iso.range(PeriodKind::Week, ymd(2026, 12, 25), ymd(2027, 1, 4));
        let ids: Vec<String> = weeks.into_iter().map(Period::id).collect();
        assert_eq!(ids, ["2026-W52", "2026-W53", "2027-W01"]);
    }

    /// Weeks starting on Sunday: 2025-12-28's fourth day is Wednesday 2025-12-31, so that week
    /// is 2025's last (its 53rd: 2025-01-01 is a Wednesday, the fourth day of 2024-12-29's
    /// week) and Sunday 2026-01-04 starts 2026-W01. The week of 2026-12-27 to 2027-01-02 has
    /// its Wednesday on 12-30: 2026-W52, 51 weeks after 01-04.
    #[test]
    fn weeks_starting_on_sunday() {
        let sunday = Calendar::new(1, Some(Weekday::Sun));
        let w = sunday.containing(PeriodKind::Week, ymd(2027, 1, 1));
        assert_eq!((w.start(), w.end()), (ymd(2026, 12, 27), ymd(2027, 1, 2)));
        assert_eq!(w.id(), "2026-W52");
        let first = sunday.containing(PeriodKind::Week, ymd(2026, 1, 4));
        assert_eq!(
            (first.id(), first.start()),
            ("2026-W01".into(), ymd(2026, 1, 4))
        );
        assert_eq!(
            sunday.containing(PeriodKind::Week, ymd(2026, 1, 3)).id(),
            "2025-W53"
        );
    }

    /// A bucket is a month cut by week starts: the week of 2026-09-28 (Monday) to 10-04 is two
    /// buckets, 09-28 … 09-30 and 10-01 … 10-04.
    #[test]
    fn buckets_are_months_cut_by_weeks() {
        let iso = Calendar::new(1, Some(Weekday::Mon));
        assert_eq!(iso.bucket(ymd(2026, 9, 30)), ymd(2026, 9, 28));
        assert_eq!(iso.bucket(ymd(2026, 10, 1)), ymd(2026, 10, 1));
        assert_eq!(iso.bucket(ymd(2026, 10, 4)), ymd(2026, 10, 1));
        assert_eq!(iso.bucket(ymd(2026, 10, 5)), ymd(2026, 10, 5));
        let months = Calendar::new(1, None);
        assert_eq!(months.bucket(ymd(2026, 10, 5)), ymd(2026, 10, 1));
    }
}
