//! What a report shows of household coverage (走访覆盖率), read off the accumulator's
//! [`HouseholdLog`]: per site and period, the distinct households visited, against the
//! households the config gives the site; the organisation sums its sites. The counting rules
//! are [`super::households`]'.

use super::Scope;
use super::households::{Days, HouseholdLog, is_visited, is_visited_twice};
use super::values::{HouseholdCoverage, rate};
use crate::config::Config;
use crate::model::{Sym, Symbols};
use crate::period::{Month, Period, PeriodKind};
use chrono::{Datelike, NaiveDate};
use rustc_hash::FxHashMap as HashMap;
use std::collections::BTreeMap;

/// Distinct households of one group in a period.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Visited {
    once: u64,
    twice: u64,
}

/// Per month, the households of one site reached in it, by key, with their days.
type MonthLists = BTreeMap<Month, Vec<(u64, Days)>>;

/// Per site and month, the households reached (sorted by key) with their days: built once
/// per build from the accumulator's log, read by every report.
#[derive(Clone, Debug, Default)]
pub struct Series {
    months: BTreeMap<Option<Sym>, MonthLists>,
    keyed: BTreeMap<Option<Sym>, Vec<Month>>,
    /// Configured households of the sites in the data, by symbol.
    totals: HashMap<Sym, u64>,
    /// Configured households of every site with a count, in the data or not: the
    /// organisation's denominator.
    total: Option<u64>,
}

impl Series {
    pub fn new(log: &HouseholdLog, config: &Config, symbols: &Symbols) -> Series {
        let mut months: BTreeMap<Option<Sym>, MonthLists> = BTreeMap::new();
        for (site, household, month, days) in log.reached() {
            let list = months.entry(site).or_default().entry(month);
            list.or_default().push((household, days));
        }
        for list in months.values_mut().flat_map(BTreeMap::values_mut) {
            list.sort_unstable();
        }
        let mut keyed: BTreeMap<Option<Sym>, Vec<Month>> = BTreeMap::new();
        for (site, month) in log.keyed() {
            keyed.entry(site).or_default().push(month);
        }
        for list in keyed.values_mut() {
            list.sort_unstable();
        }
        let counted = config.sites.iter().filter_map(|s| Some((s, s.households?)));
        let totals = counted
            .clone()
            .filter_map(|(s, n)| Some((symbols.get(&crate::privacy::label(&s.name))?, n)))
            .collect();
        let total = counted.map(|(_, n)| n).reduce(|a, b| a + b);
        Series {
            months,
            keyed,
            totals,
            total,
        }
    }

    /// The household numbers of `scope` in `period`: `None` for departments (a household is
    /// counted within its site) and where no row of the period has a household key.
    pub fn coverage(&self, scope: Scope, period: Period) -> Option<HouseholdCoverage> {
        let groups: Vec<Option<Sym>> = match scope {
            Scope::Department(_) => return None,
            Scope::Site(site) => vec![Some(site)],
            Scope::Overall => self.keyed.keys().copied().collect(),
        };
        let (first, last) = (period.start(), period.end());
        let keyed = |site: &Option<Sym>| {
            self.keyed.get(site).is_some_and(|months| {
                let at = months.partition_point(|&m| m < Month::of(first));
                months.get(at).is_some_and(|&m| m <= Month::of(last))
            })
        };
        if !groups.iter().any(keyed) {
            return None;
        }
        let mut all = Visited::default();
        let mut counted = Visited::default();
        for site in &groups {
            let v = self.visited(site, first, last);
            all.once += v.once;
            all.twice += v.twice;
            if site.is_some_and(|s| self.totals.contains_key(&s)) {
                counted.once += v.once;
                counted.twice += v.twice;
            }
        }
        let total = match scope {
            Scope::Site(site) => self.totals.get(&site).copied(),
            _ => self.total,
        };
        let (rated, twice) = match period.kind {
            PeriodKind::Year => (true, true),
            PeriodKind::Quarter => (true, false),
            // A month is too short for the cycle's rate: its count alone.
            _ => (false, false),
        };
        let total = total.filter(|_| rated);
        let of_total = |n: u64| total.map(|_| n);
        let yearly = |n: Option<u64>| n.filter(|_| twice);
        let twice_rate = total.and_then(|t| rate(counted.twice, t)).filter(|_| twice);
        Some(HouseholdCoverage {
            visited: all.once,
            total,
            visited_of_total: of_total(counted.once),
            coverage: total.and_then(|t| rate(counted.once, t)),
            visited_twice: yearly(Some(all.twice)),
            visited_twice_of_total: yearly(of_total(counted.twice)),
            twice_rate,
        })
    }

    /// Distinct households of one site group reached from `first` to `last` (whole days, so
    /// the same reading serves any period).
    fn visited(&self, site: &Option<Sym>, first: NaiveDate, last: NaiveDate) -> Visited {
        let Some(months) = self.months.get(site) else {
            return Visited::default();
        };
        // Days in the period per household: days of different months are different days.
        let mut days: Vec<(u64, u32)> = Vec::new();
        let in_range = months.range(Month::of(first)..=Month::of(last));
        let mut spanned = 0;
        for (&month, list) in in_range {
            spanned += 1;
            let mask = days_between(month, first, last);
            let found = list.iter().map(|&(h, d)| (h, (d & mask).count_ones()));
            days.extend(found.filter(|&(_, n)| n > 0));
        }
        // One month's list holds each household once; several months' may repeat one.
        if spanned > 1 {
            days.sort_unstable_by_key(|&(h, _)| h);
        }
        let mut visited = Visited::default();
        for run in days.chunk_by(|a, b| a.0 == b.0) {
            let n: u32 = run.iter().map(|&(_, n)| n).sum();
            visited.once += u64::from(is_visited(n));
            visited.twice += u64::from(is_visited_twice(n));
        }
        visited
    }
}

/// The days of `month` from `first` to `last`, as bits.
fn days_between(month: Month, first: NaiveDate, last: NaiveDate) -> Days {
    let from = if Month::of(first) == month {
        first.day()
    } else {
        1
    };
    let to = if Month::of(last) == month {
        last.day()
    } else {
        31
    };
    if from > to {
        return 0;
    }
    // Bits from-1 ..= to-1.
    (u32::MAX >> (32 - to)) & !((1u32 << (from - 1)) - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    #[test]
    fn days_between_takes_the_part_of_a_month_in_range() {
        let march = Month::new(2026, 3);
        assert_eq!(days_between(march, day(1, 1), day(12, 31)), u32::MAX >> 1);
        assert_eq!(days_between(march, day(3, 1), day(3, 1)), 1);
        assert_eq!(days_between(march, day(3, 2), day(3, 3)), 0b110);
        assert_eq!(days_between(march, day(3, 31), day(4, 5)), 1 << 30);
        assert_eq!(days_between(march, day(2, 20), day(3, 4)), 0b1111);
    }
}
