//! Numbers per 回访人 (the `staff` field): visits, contact rate and satisfaction per report,
//! the 考核依据 of seed 000 §14.2, counted by the same rules as the department numbers
//! ([`rules`]). Staff names are personal data: these numbers are gathered only when the project
//! sets `publish_staff`, are not part of [`super::PeriodReport`] (so never in `metrics.json`,
//! the CSV files or snapshots), and nothing here is `Serialize`: only the internal staff pages
//! (and archives made with `--staff`) show them.

use super::coverage::by_staff::{StaffFollowUps, StaffSeries};
use super::partial::{StaffPartial, StaffPartials};
use super::rules;
use crate::config::{Config, LevelDef};
use crate::model::Symbols;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// The staff numbers of a build, names resolved, ready to be cut into reports.
#[derive(Clone, Debug, Default)]
pub struct StaffSet {
    /// Per bucket (its first day), per 回访人 (by name; `None`: named nobody).
    buckets: BTreeMap<NaiveDate, BTreeMap<Option<String>, StaffPartial>>,
    /// Work orders followed up per 回访人, when the project has orders.
    followups: Option<StaffSeries>,
    pub as_of: NaiveDate,
}

/// One 回访人's numbers in one report.
#[derive(Clone, Debug, PartialEq)]
pub struct StaffRow {
    /// As the data writes it, with any contact detail in it masked.
    pub name: String,
    pub visits: u64,
    pub contacted: u64,
    pub contact_rate: Option<f64>,
    pub responses: u64,
    pub satisfied: u64,
    pub satisfied_rate: Option<f64>,
    pub low_sample: bool,
    /// Work orders completed in the period that they followed up, on time or not, and of
    /// those assigned to them (where the order export names a 回访人).
    pub followups: StaffFollowUps,
}

/// The staff numbers of one report: rows by visits, most first (ties by name).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StaffReport {
    pub rows: Vec<StaffRow>,
    /// Visits whose row names no 回访人: in no row.
    pub without_staff: u64,
    /// The project links visits to work orders: the rows have follow-ups.
    pub with_orders: bool,
    /// Some order names its 回访人: the rows have a 回访率.
    pub with_assignees: bool,
}

impl StaffSet {
    pub fn new(partials: &StaffPartials, symbols: &Symbols, as_of: NaiveDate) -> StaffSet {
        let mut buckets: BTreeMap<NaiveDate, BTreeMap<Option<String>, StaffPartial>> =
            BTreeMap::new();
        for (&(bucket, staff), partial) in &partials.buckets {
            let name = staff.map(|s| crate::privacy::label(symbols.name(s)).into_owned());
            buckets
                .entry(bucket)
                .or_default()
                .entry(name)
                .or_default()
                .add(partial);
        }
        StaffSet {
            buckets,
            followups: None,
            as_of,
        }
    }

    /// Adds the work orders each 回访人 followed up (see [`StaffSeries`]).
    pub fn with_followups(mut self, followups: Option<StaffSeries>) -> StaffSet {
        self.followups = followups;
        self
    }

    /// The report of the period from `start` to `end` (whole buckets, as every period is),
    /// with the follow-ups of the orders completed in it when the project has orders. A 回访人
    /// with follow-ups and no visit in the period has a row too.
    pub fn report(&self, start: NaiveDate, end: NaiveDate, config: &Config) -> StaffReport {
        let followups = self.followups.as_ref();
        let mut sums: BTreeMap<Option<&str>, StaffPartial> = BTreeMap::new();
        for staff in self.buckets.range(start..=end).map(|(_, s)| s) {
            for (name, partial) in staff {
                sums.entry(name.as_deref()).or_default().add(partial);
            }
        }
        let without_staff = sums.remove(&None).map_or(0, |p| p.visits);
        let mut followed = followups.map(|f| f.between(start, end)).unwrap_or_default();
        for &name in followed.keys() {
            sums.entry(Some(name)).or_default();
        }
        let scale = &config.satisfaction.levels;
        let mut rows: Vec<StaffRow> = sums
            .into_iter()
            .filter_map(|(name, p)| {
                let mut row = row(name?, &p, scale, config.min_sample);
                row.followups = followed.remove(name?).unwrap_or_default();
                Some(row)
            })
            .collect();
        rows.sort_by(|a, b| b.visits.cmp(&a.visits).then_with(|| a.name.cmp(&b.name)));
        StaffReport {
            rows,
            without_staff,
            with_orders: followups.is_some(),
            with_assignees: followups.is_some_and(|f| f.any_assigned),
        }
    }
}

/// The rules of [`super::values::compute`] for the few numbers a staff row has.
fn row(name: &str, p: &StaffPartial, scale: &[LevelDef], min_sample: u32) -> StaffRow {
    let responses: u64 = p.levels.iter().sum();
    let satisfied = (scale.iter().zip(&p.levels))
        .filter(|(level, _)| rules::is_satisfied(level))
        .map(|(_, &n)| n)
        .sum();
    StaffRow {
        name: name.to_owned(),
        visits: p.visits,
        contacted: p.contacted,
        contact_rate: super::values::rate(p.contacted, p.visits),
        responses,
        satisfied,
        satisfied_rate: super::values::rate(satisfied, responses),
        low_sample: rules::is_low_sample(responses, min_sample),
        followups: StaffFollowUps::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LevelId;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    #[test]
    fn merged_pieces_count_as_one_and_rows_follow_visits() {
        let mut symbols = Symbols::default();
        let (a, b) = (symbols.intern("张伟"), symbols.intern("李娜"));
        // A second file's table holds the same names under other symbols.
        let mut other_symbols = Symbols::default();
        let (b2, a2) = (other_symbols.intern("李娜"), other_symbols.intern("张伟"));
        let map = symbols.absorb(&other_symbols);
        let (march, april) = (day(3, 1), day(4, 1));
        let mut first = StaffPartials::default();
        first.add(march, Some(a), true, Some(LevelId(0)), 5);
        first.add(march, Some(b), false, None, 5);
        first.add(march, None, true, None, 5);
        let mut second = StaffPartials::default();
        second.add(march, Some(a2), true, Some(LevelId(2)), 5);
        second.add(march, Some(b2), true, Some(LevelId(1)), 5);
        second.add(april, Some(b2), true, Some(LevelId(1)), 5);
        first.merge_translated(second, Some(&map));
        let set = StaffSet::new(&first, &symbols, day(4, 30));
        let config = Config {
            min_sample: 2,
            ..Config::default()
        };
        let march_report = set.report(day(3, 1), day(3, 31), &config);
        // 张伟: 2 visits, both reached, 非常满意 + 一般 → 1 of 2 satisfied.
        // 李娜: 2 visits, 1 reached, 满意 → 1 of 1, under the minimum of 2.
        // Equal visits: by name, 张 (U+5F20) before 李 (U+674E).
        let names: Vec<&str> = march_report.rows.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["张伟", "李娜"]);
        let zhang = &march_report.rows[0];
        assert_eq!((zhang.visits, zhang.contacted, zhang.responses), (2, 2, 2));
        assert_eq!((zhang.satisfied_rate, zhang.low_sample), (Some(0.5), false));
        let li = &march_report.rows[1];
        assert_eq!((li.contact_rate, li.satisfied_rate), (Some(0.5), Some(1.0)));
        assert!(li.low_sample);
        assert_eq!(march_report.without_staff, 1);
        let spring = set.report(day(3, 1), day(4, 30), &config);
        assert_eq!(spring.rows[0].name, "李娜");
        assert_eq!((spring.rows[0].visits, spring.rows[0].responses), (3, 2));
        assert_eq!(
            set.report(day(5, 1), day(5, 31), &config),
            StaffReport::default()
        );
    }

    #[test]
    fn a_contact_detail_in_a_staff_cell_is_masked() {
        let mut symbols = Symbols::default();
        let staff = symbols.intern("钱七 13812345678");
        let mut partials = StaffPartials::default();
        partials.add(day(3, 1), Some(staff), false, None, 5);
        let set = StaffSet::new(&partials, &symbols, day(3, 31));
        let report = set.report(day(3, 1), day(3, 31), &Config::default());
        assert_eq!(report.rows[0].name, "钱七 138****5678");
        // No rating, no reach: rates undefined or zero, never a division by zero.
        assert_eq!(
            (report.rows[0].contact_rate, report.rows[0].satisfied_rate),
            (Some(0.0), None)
        );
        assert!(report.rows[0].low_sample);
    }
}
