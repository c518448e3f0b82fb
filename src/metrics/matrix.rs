//! The site × department matrix: each site's numbers per department, from the same
//! partials (keyed by bucket, department and site) as every other scope, so a site's cells add
//! up to the site and a department's cells (with its records without a site) to the department.
//! Only cells with data are kept: 3,000 sites × 30 departments must not cost 90,000 cells
//! per bucket.

use super::partial::{Partial, PartialKey};
use super::rules::{self, OpenStock};
use super::values::rate;
use super::{Entity, Sym};
use crate::config::Config;
use crate::period::Period;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The counters of one (site, department) bucket that a cell shows: a few numbers instead of a
/// whole partial, as there may be a great many cells.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct CellCounts {
    visits: u64,
    responses: u64,
    satisfied: u64,
    complaints: u64,
    closed: u64,
    overdue: u64,
    closings: u64,
}

impl CellCounts {
    fn of(p: &Partial, satisfied_level: &[bool]) -> CellCounts {
        let satisfied = p
            .levels
            .iter()
            .zip(satisfied_level)
            .filter(|&(_, &yes)| yes)
            .map(|(n, _)| n)
            .sum();
        CellCounts {
            visits: p.visits,
            responses: p.levels.iter().sum(),
            satisfied,
            complaints: p.complaints,
            closed: p.complaint().closed,
            overdue: p.complaint().overdue,
            closings: p.closings,
        }
    }

    fn add(&mut self, o: &CellCounts) {
        self.visits += o.visits;
        self.responses += o.responses;
        self.satisfied += o.satisfied;
        self.complaints += o.complaints;
        self.closed += o.closed;
        self.overdue += o.overdue;
        self.closings += o.closings;
    }
}

/// Bucket series of every (site, department) cell: site, then department, then bucket.
#[derive(Default)]
pub(super) struct CellSeries(BTreeMap<Sym, BTreeMap<Sym, BTreeMap<NaiveDate, CellCounts>>>);

impl CellSeries {
    pub(super) fn new<'a>(
        partials: impl Iterator<Item = (&'a PartialKey, &'a Partial)>,
        config: &Config,
    ) -> CellSeries {
        let satisfied: Vec<bool> = config
            .satisfaction
            .levels
            .iter()
            .map(rules::is_satisfied)
            .collect();
        let mut series = CellSeries::default();
        for (key, partial) in partials {
            let Some(site) = key.site else { continue };
            let months = series.0.entry(site).or_default();
            let cell = months.entry(key.department).or_default();
            cell.entry(key.bucket)
                .or_default()
                .add(&CellCounts::of(partial, &satisfied));
        }
        series
    }

    /// One site's cells in `period`, departments in display order (`departments`, with each
    /// one's place in it in `rank`); departments with neither data in the period nor
    /// complaints still open from before are left out. Only the site's own cells are looked
    /// at: a site has a few departments of the thousands a project may have.
    pub(super) fn row(
        &self,
        site: Sym,
        departments: &[(Sym, Entity)],
        rank: &rustc_hash::FxHashMap<Sym, usize>,
        period: Period,
        min_sample: u32,
    ) -> Vec<DepartmentCell> {
        let Some(cells) = self.0.get(&site) else {
            return Vec::new();
        };
        let mut row: Vec<(usize, DepartmentCell)> = cells
            .iter()
            .filter_map(|(sym, buckets)| {
                let at = *rank.get(sym)?;
                let mut sum = CellCounts::default();
                let mut any = false;
                for (_, c) in buckets.range(period.start()..=period.end()) {
                    sum.add(c);
                    any = true;
                }
                let stock = rules::open_stock(
                    buckets
                        .range(..=period.end())
                        .map(|(&b, c)| (b, c.complaints, c.closings)),
                    period.start(),
                    period.end(),
                );
                let name = &departments[at].1.name;
                (any || stock.carried_over > 0)
                    .then(|| (at, DepartmentCell::new(name, &sum, stock, min_sample)))
            })
            .collect();
        row.sort_unstable_by_key(|&(at, _)| at);
        row.into_iter().map(|(_, cell)| cell).collect()
    }
}

/// One department's numbers at one site in one report: a cell of the matrix, a row of the
/// site page's department table. Each number means what it means for a whole department.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DepartmentCell {
    pub department: super::values::Label,
    pub visits: u64,
    pub responses: u64,
    pub satisfied: u64,
    pub satisfied_rate: Option<f64>,
    pub low_sample: bool,
    pub complaints: u64,
    pub closed: u64,
    pub closure_rate: Option<f64>,
    pub overdue: u64,
    pub open_at_end: u64,
}

impl DepartmentCell {
    fn new(department: &str, c: &CellCounts, stock: OpenStock, min_sample: u32) -> Self {
        DepartmentCell {
            department: department.into(),
            visits: c.visits,
            responses: c.responses,
            satisfied: c.satisfied,
            satisfied_rate: rate(c.satisfied, c.responses),
            low_sample: rules::is_low_sample(c.responses, min_sample),
            complaints: c.complaints,
            closed: c.closed,
            closure_rate: rate(c.closed, c.complaints),
            overdue: c.overdue,
            open_at_end: stock.open_at_end,
        }
    }
}
