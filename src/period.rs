//! Reporting periods: months, quarters and years, with a configurable fiscal-year start.
//!
//! Ids: a month is `2026-11`. With the fiscal year starting in January a quarter is `2026-Q4`
//! and a year `2026`. With another start month the fiscal year is named after the calendar
//! year it starts in: starting in April, `FY2026` runs 2026-04 … 2027-03 and `FY2026-Q1` is
//! 2026-04 … 2026-06.

use chrono::{Datelike, NaiveDate};
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
    Month,
    Quarter,
    Year,
}

impl PeriodKind {
    pub const ALL: [PeriodKind; 3] = [PeriodKind::Month, PeriodKind::Quarter, PeriodKind::Year];

    pub fn months(self) -> i32 {
        match self {
            PeriodKind::Month => 1,
            PeriodKind::Quarter => 3,
            PeriodKind::Year => 12,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            PeriodKind::Month => "month",
            PeriodKind::Quarter => "quarter",
            PeriodKind::Year => "year",
        }
    }
}

/// A month, quarter or (fiscal) year: `months()` consecutive months from `first`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Period {
    pub kind: PeriodKind,
    pub first: Month,
    /// First month of the fiscal year (1 = January); decides ids and quarter boundaries.
    fy_start: u32,
}

impl Period {
    /// The period of `kind` that contains `month`.
    pub fn containing(kind: PeriodKind, month: Month, fy_start: u32) -> Period {
        let offset = month.0 - (fy_start as i32 - 1);
        let start = offset - offset.rem_euclid(kind.months()) + (fy_start as i32 - 1);
        Period {
            kind,
            first: Month(start),
            fy_start,
        }
    }

    pub fn last(self) -> Month {
        self.first.plus(self.kind.months() - 1)
    }

    pub fn start(self) -> NaiveDate {
        self.first.first_day()
    }

    pub fn end(self) -> NaiveDate {
        self.last().last_day()
    }

    /// The period of the same kind just before.
    pub fn previous(self) -> Period {
        self.shift(-self.kind.months())
    }

    /// The same period one year earlier.
    pub fn year_ago(self) -> Period {
        self.shift(-12)
    }

    fn shift(self, months: i32) -> Period {
        Period {
            first: self.first.plus(months),
            ..self
        }
    }

    /// The fiscal year the period belongs to, named by the calendar year it starts in.
    fn fiscal_year(self) -> i32 {
        Period::containing(PeriodKind::Year, self.first, self.fy_start)
            .first
            .year()
    }

    pub fn id(self) -> String {
        let fy = self.fiscal_year();
        let prefix = if self.fy_start == 1 { "" } else { "FY" };
        match self.kind {
            PeriodKind::Month => self.first.to_string(),
            PeriodKind::Quarter => {
                let year_start =
                    Period::containing(PeriodKind::Year, self.first, self.fy_start).first;
                let q = (self.first.0 - year_start.0) / 3 + 1;
                format!("{prefix}{fy}-Q{q}")
            }
            PeriodKind::Year => format!("{prefix}{fy}"),
        }
    }

    /// Every period of `kind` from the one holding `first` to the one holding `last`.
    pub fn range(kind: PeriodKind, first: Month, last: Month, fy_start: u32) -> Vec<Period> {
        let mut periods = Vec::new();
        let mut p = Period::containing(kind, first, fy_start);
        while p.first <= last {
            periods.push(p);
            p = p.shift(kind.months());
        }
        periods
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
        let ids: Vec<String> = Period::range(
            PeriodKind::Quarter,
            Month::new(2025, 11),
            Month::new(2026, 4),
            1,
        )
        .into_iter()
        .map(Period::id)
        .collect();
        assert_eq!(ids, ["2025-Q4", "2026-Q1", "2026-Q2"]);
        let years = Period::range(
            PeriodKind::Year,
            Month::new(2025, 2),
            Month::new(2026, 4),
            4,
        );
        let ids: Vec<String> = years.into_iter().map(Period::id).collect();
        assert_eq!(ids, ["FY2024", "FY2025", "FY2026"]);
    }
}
