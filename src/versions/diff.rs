//! What changed between two versions of a report, metric by metric and department by
//! department: the headline numbers that moved, and how many complaints were closed since.

use crate::metrics::catalog::{self, Metric, Value};
use crate::metrics::values::Metrics;
use crate::metrics::{EntityList, PeriodReport};

#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    /// The department, or `None` for the whole organisation.
    pub scope: Option<String>,
    pub metric: &'static Metric,
    pub before: Value,
    pub after: Value,
}

/// Every headline number that differs, overall first, then departments in the newer
/// report's order (a department missing on one side compares against zero).
pub fn changes(old: &PeriodReport, new: &PeriodReport) -> Vec<Change> {
    let mut out = Vec::new();
    compare(None, Some(&old.overall), Some(&new.overall), &mut out);
    let (old, new) = (old.departments.list(), new.departments.list());
    let mut names: Vec<&str> = new.iter().map(|d| d.entity.name.as_str()).collect();
    for d in old.iter() {
        if !names.contains(&d.entity.name.as_str()) {
            names.push(&d.entity.name);
        }
    }
    for name in names {
        let find = |list: &EntityList| {
            let found = list.iter().find(|d| d.entity.name == name);
            found.map(|d| d.metrics.clone())
        };
        let (a, b) = (find(&old), find(&new));
        compare(Some(name), a.as_ref(), b.as_ref(), &mut out);
    }
    out
}

/// Complaints closed since the older version, per department (only departments with some).
pub fn newly_closed(old: &PeriodReport, new: &PeriodReport) -> Vec<(String, u64)> {
    let old = old.departments.list();
    (new.departments.list().iter())
        .filter_map(|d| {
            let before = (old.iter())
                .find(|o| o.entity.name == d.entity.name)
                .map_or(0, |o| o.metrics.rectification.closed);
            let gained = d.metrics.rectification.closed.saturating_sub(before);
            (gained > 0).then(|| (d.entity.name.to_string(), gained))
        })
        .collect()
}

fn compare(
    scope: Option<&str>,
    old: Option<&Metrics>,
    new: Option<&Metrics>,
    out: &mut Vec<Change>,
) {
    for metric in catalog::ALL.iter().filter(|m| m.published.compared) {
        let (before, after) = match (old, new) {
            (Some(a), Some(b)) => (metric.value(a), metric.value(b)),
            (None, Some(b)) => {
                let after = metric.value(b);
                (after.absent(), after)
            }
            (Some(a), None) => {
                let before = metric.value(a);
                let after = before.absent();
                (before, after)
            }
            (None, None) => continue,
        };
        if before != after {
            out.push(Change {
                scope: scope.map(str::to_owned),
                metric,
                before,
                after,
            });
        }
    }
}
