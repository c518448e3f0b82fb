//! Household coverage (走访覆盖率): seed 000 (§五, and its 走访 rules) asks that every household
//! be visited once a quarter and at least twice a year. Where the log has a household key
//! (房号, a customer id) this counts, per site and report, the distinct households a visit
//! reached, against the households the config gives the site (`[[sites]] households`).
//!
//! Distinct counts do not add up across months, so the accumulator keeps, per (site,
//! household, month), the days on which a visit reached the household: memory follows the
//! households visited in each month, never the rows. The key is only a 64-bit hash
//! ([`crate::model::household_key`]) and stays in memory; reports hold counts alone.

use super::Scope;
use super::values::{four_decimals, rate};
use crate::config::Config;
use crate::model::{Sym, Symbols, remap};
use crate::period::{Month, Period, PeriodKind};
use chrono::{Datelike, NaiveDate};
use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Days of one month as bits: bit `d − 1` for day `d`.
type Days = u32;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct HouseholdMonth {
    /// A household key is unique only within its site; rows without a site are one group.
    site: Option<Sym>,
    household: u64,
    month: Month,
}

/// What the accumulator keeps about households: merged across file pieces like the month
/// partials, and as cheap as an empty map when the log has no household column.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HouseholdLog {
    /// The days of each month on which a visit reached each household.
    reached: HashMap<HouseholdMonth, Days>,
    /// Rows with a household key per (site, month), reached or not: where the log speaks of
    /// households at all, so a report without the column says nothing about them.
    keyed: HashMap<(Option<Sym>, Month), u64>,
}

impl HouseholdLog {
    /// A visit to `household` on `date`; `reached`: it counts as contacted
    /// ([`super::rules::is_contacted`]).
    pub fn add(&mut self, site: Option<Sym>, household: u64, date: NaiveDate, reached: bool) {
        let month = Month::of(date);
        *self.keyed.entry((site, month)).or_default() += 1;
        if reached {
            let key = HouseholdMonth {
                site,
                household,
                month,
            };
            *self.reached.entry(key).or_default() |= 1 << (date.day() - 1);
        }
    }

    /// Adds `other`, whose symbols `map` translates (none: the same table).
    pub fn merge_translated(&mut self, other: HouseholdLog, map: Option<&[Sym]>) {
        let site = |s: Option<Sym>| match map {
            Some(map) => s.map(|s| remap(s, map)),
            None => s,
        };
        for (key, days) in other.reached {
            let key = HouseholdMonth {
                site: site(key.site),
                ..key
            };
            *self.reached.entry(key).or_default() |= days;
        }
        for ((s, month), rows) in other.keyed {
            *self.keyed.entry((site(s), month)).or_default() += rows;
        }
    }
}

/// "A household counts as visited in a period when at least one visit to it in the period
/// reached the customer": any of its days in the period.
pub fn is_visited(days_in_period: u32) -> bool {
    days_in_period >= 1
}

/// "Visited twice: reached on at least two different days in the year"; two visits on one
/// day are one.
pub fn is_visited_twice(days_in_period: u32) -> bool {
    days_in_period >= 2
}

/// A report's household numbers, in `metrics.json` as `households`: only in reports whose
/// period has rows with a household key, so reports of logs without one are unchanged.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct HouseholdCoverage {
    /// Distinct households a visit reached in the period, every site.
    pub visited: u64,
    /// Households the config gives the scope's sites (`[[sites]] households`); quarters and
    /// years only, and only when some site of the scope has a count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<u64>,
    /// The households of `visited` in sites with a count: the numerator of `coverage` (all
    /// of `visited` on a site's own page).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visited_of_total: Option<u64>,
    /// 走访覆盖率: `visited_of_total / total`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "four_decimals"
    )]
    pub coverage: Option<f64>,
    /// Annual reports: households reached on at least two different days of the year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visited_twice: Option<u64>,
    /// Annual reports: the part of `visited_twice` in sites with a count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visited_twice_of_total: Option<u64>,
    /// Annual reports: `visited_twice_of_total / total`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "four_decimals"
    )]
    pub twice_rate: Option<f64>,
}

/// Distinct households of one group in a period.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Visited {
    once: u64,
    twice: u64,
}

/// Per site and month, the households reached (sorted by key) with their days: built once
/// per build from the accumulator's log, read by every report.
#[derive(Clone, Debug, Default)]
pub struct Series {
    months: BTreeMap<Option<Sym>, BTreeMap<Month, Vec<(u64, Days)>>>,
    keyed: BTreeMap<Option<Sym>, Vec<Month>>,
    /// Configured households of the sites in the data, by symbol.
    totals: HashMap<Sym, u64>,
    /// Configured households of every site with a count, in the data or not: the
    /// organisation's denominator.
    total: Option<u64>,
}

impl Series {
    pub fn new(log: &HouseholdLog, config: &Config, symbols: &Symbols) -> Series {
        let mut months: BTreeMap<Option<Sym>, BTreeMap<Month, Vec<(u64, Days)>>> =
            BTreeMap::new();
        for (key, &days) in &log.reached {
            let list = months.entry(key.site).or_default().entry(key.month);
            list.or_default().push((key.household, days));
        }
        for list in months.values_mut().flat_map(BTreeMap::values_mut) {
            list.sort_unstable();
        }
        let mut keyed: BTreeMap<Option<Sym>, Vec<Month>> = BTreeMap::new();
        for &(site, month) in log.keyed.keys() {
            keyed.entry(site).or_default().push(month);
        }
        for list in keyed.values_mut() {
            list.sort_unstable();
        }
        let counted = config
            .sites
            .iter()
            .filter_map(|s| Some((s, s.households?)));
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
        let twice_rate = total
            .and_then(|t| rate(counted.twice, t))
            .filter(|_| twice);
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

    #[test]
    fn pieces_merged_in_any_order_give_the_same_log() {
        let (a, b) = (Some(Sym(0)), Some(Sym(1)));
        let visits = [
            (a, 1, day(1, 5), true),
            (a, 1, day(1, 5), true),
            (a, 1, day(1, 9), false),
            (b, 1, day(2, 1), true),
            (None, 7, day(2, 1), true),
        ];
        let mut whole = HouseholdLog::default();
        for &(s, h, d, r) in &visits {
            whole.add(s, h, d, r);
        }
        for split in 0..=visits.len() {
            let (x, y) = visits.split_at(split);
            let mut first = HouseholdLog::default();
            let mut second = HouseholdLog::default();
            x.iter().for_each(|&(s, h, d, r)| first.add(s, h, d, r));
            y.iter().for_each(|&(s, h, d, r)| second.add(s, h, d, r));
            second.merge_translated(first, None);
            assert_eq!(second, whole, "split at {split}");
        }
        // Household 1 in site a: reached on Jan 5 only (the 9th was not reached).
        let key = HouseholdMonth {
            site: a,
            household: 1,
            month: Month::new(2026, 1),
        };
        assert_eq!(whole.reached[&key], 1 << 4);
        assert_eq!(whole.keyed[&(a, Month::new(2026, 1))], 3);
    }

    #[test]
    fn a_translated_piece_keeps_its_sites_apart() {
        let mut piece = HouseholdLog::default();
        piece.add(Some(Sym(0)), 9, day(3, 3), true);
        let mut base = HouseholdLog::default();
        base.add(Some(Sym(5)), 9, day(3, 4), true);
        // The piece's site 0 is the base's site 5: one household, two days.
        base.merge_translated(piece, Some(&[Sym(5)]));
        assert_eq!(base.reached.len(), 1);
        assert_eq!(base.reached.values().next(), Some(&0b1100));
        assert_eq!(base.keyed[&(Some(Sym(5)), Month::new(2026, 3))], 2);
    }
}
