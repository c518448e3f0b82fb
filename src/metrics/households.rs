//! Household coverage (走访覆盖率): seed 000 (§五, and its 走访 rules) asks that every household
//! be visited once a quarter and at least twice a year. Where the log has a household key
//! (房号, a customer id) this counts, per site and report, the distinct households a visit
//! reached, against the households the config gives the site (`[[sites]] households`).
//!
//! Distinct counts do not add up across months, so the accumulator keeps, per (site,
//! household, month), the days on which a visit reached the household: memory follows the
//! households visited in each month, never the rows. The key is only a 64-bit hash
//! ([`crate::model::household_key`]) and stays in memory; reports hold counts alone. What a
//! report shows is read off this log by [`super::household_coverage`].

use crate::model::{Sym, remap};
use crate::period::Month;
use chrono::{Datelike, NaiveDate};
use rustc_hash::FxHashMap as HashMap;

/// Days of one month as bits: bit `d − 1` for day `d`.
pub type Days = u32;

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

    /// Each (site, household, month) with the days a visit reached the household.
    pub fn reached(&self) -> impl Iterator<Item = (Option<Sym>, u64, Month, Days)> + '_ {
        (self.reached.iter()).map(|(k, &days)| (k.site, k.household, k.month, days))
    }

    /// Each (site, month) with a row that names a household.
    pub fn keyed(&self) -> impl Iterator<Item = (Option<Sym>, Month)> + '_ {
        self.keyed.keys().copied()
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

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
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
