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

/// One (site, department) bucket's counters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Cell {
    site: Sym,
    department: Sym,
    bucket: NaiveDate,
    counts: CellCounts,
}

/// Bucket series of every (site, department) cell, in one list sorted by site, then
/// department, then bucket: a site's cells are one run of it, each of its departments' a run
/// inside that. With thousands of sites nearly every cell is a series of its own, and a map per
/// series cost a whole tree node (about 700 bytes) for one cell of 72.
#[derive(Default)]
pub(super) struct CellSeries(Vec<Cell>);

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
        let mut cells: Vec<Cell> = partials
            .filter_map(|(key, partial)| {
                Some(Cell {
                    site: key.site?,
                    department: key.department,
                    bucket: key.bucket,
                    counts: CellCounts::of(partial, &satisfied),
                })
            })
            .collect();
        let place = |c: &Cell| (c.site, c.department, c.bucket);
        cells.sort_unstable_by_key(place);
        // One partial per (bucket, department, site) makes one cell each; were there two,
        // they would add up.
        cells.dedup_by(|next, kept| {
            let same = place(next) == place(kept);
            if same {
                kept.counts.add(&next.counts);
            }
            same
        });
        cells.shrink_to_fit();
        CellSeries(cells)
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
        let start = self.0.partition_point(|c| c.site < site);
        let end = start + self.0[start..].partition_point(|c| c.site == site);
        let mut row: Vec<(usize, DepartmentCell)> = self.0[start..end]
            .chunk_by(|a, b| a.department == b.department)
            .filter_map(|buckets| {
                let at = *rank.get(&buckets[0].department)?;
                let mut sum = CellCounts::default();
                let mut any = false;
                let in_period = |c: &&Cell| (period.start()..=period.end()).contains(&c.bucket);
                for c in buckets.iter().filter(in_period) {
                    sum.add(&c.counts);
                    any = true;
                }
                let stock = rules::open_stock(
                    (buckets.iter())
                        .take_while(|c| c.bucket <= period.end())
                        .map(|c| (c.bucket, c.counts.complaints, c.counts.closings)),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::period::{Month, PeriodKind};

    fn key(month: u32, department: u32, site: Option<u32>) -> PartialKey {
        PartialKey {
            bucket: Month::new(2025, month).first_day(),
            department: Sym(department),
            site: site.map(Sym),
        }
    }

    fn partial(visits: u64, complaints: u64, closings: u64) -> Partial {
        let mut p = Partial::default();
        (p.visits, p.complaints, p.closings) = (visits, complaints, closings);
        p
    }

    #[test]
    fn a_site_row_sums_its_own_cells_in_the_period_with_the_open_stock_before_it() {
        let entity = |name: &str| Entity {
            name: name.into(),
            slug: name.into(),
        };
        // Display order: department 7 first, then 3.
        let departments = vec![(Sym(7), entity("B")), (Sym(3), entity("A"))];
        let rank = [(Sym(7), 0), (Sym(3), 1)].into_iter().collect();
        let partials = [
            // Site 1, department 3: January 2 visits, 2 complaints, none closed; February
            // 1 visit, 1 complaint, 1 closed.
            (key(1, 3, Some(1)), partial(2, 2, 0)),
            (key(2, 3, Some(1)), partial(1, 1, 1)),
            // Site 1, department 7: March only.
            (key(3, 7, Some(1)), partial(4, 0, 0)),
            // Site 2, and a record without a site: in no row of site 1.
            (key(2, 3, Some(2)), partial(9, 9, 0)),
            (key(2, 3, None), partial(5, 0, 0)),
        ];
        let series = CellSeries::new(partials.iter().map(|(k, p)| (k, p)), &Config::default());
        let row = |month: u32, kind: PeriodKind| {
            let period = Period::containing(kind, Month::new(2025, month), 1);
            let cells = series.row(Sym(1), &departments, &rank, period, 0);
            (cells.iter())
                .map(|c| {
                    (
                        c.department.to_string(),
                        c.visits,
                        c.complaints,
                        c.open_at_end,
                    )
                })
                .collect::<Vec<_>>()
        };
        // February: department 3's own visit and complaint; 2 open from January, 3 - 1 = 2
        // open at the end. Department 7 has nothing in or before February.
        assert_eq!(row(2, PeriodKind::Month), [("A".to_owned(), 1, 1, 2)]);
        // March: department 7's 4 visits; department 3 has none, but 2 complaints carried over.
        assert_eq!(
            row(3, PeriodKind::Month),
            [("B".to_owned(), 4, 0, 0), ("A".to_owned(), 0, 0, 2)]
        );
        // The first quarter, in display order: B (7) then A (3), A's 3 visits and 3 complaints.
        assert_eq!(
            row(1, PeriodKind::Quarter),
            [("B".to_owned(), 4, 0, 0), ("A".to_owned(), 3, 3, 2)]
        );
        // A site with no cell has an empty row.
        let april = Period::containing(PeriodKind::Month, Month::new(2025, 4), 1);
        assert!(series.row(Sym(9), &departments, &rank, april, 0).is_empty());
    }
}
