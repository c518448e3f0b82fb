//! Every headline metric of a report, once: its name, what kind of number it is, which
//! direction is good, how to read it off [`Metrics`], where it is published, and the function
//! that computes it. `{{ metric(...) }}` in content, `metrics.csv`, the version diffs, the
//! report and history tables and `docs/metrics.md` all read this table, so adding a metric is
//! one entry here (and its label in the theme's strings, keyed by its name).

use super::values::{HouseholdCoverage, Metrics};

/// What kind of number a metric is, which decides how it is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A whole number of rows or complaints.
    Count,
    /// A fraction from 0 to 1, written as a percentage.
    Rate,
    /// A mean of level scores, two decimals.
    Score,
    /// A number of days, one decimal.
    Days,
    /// A change of a rate, in percentage points.
    Change,
    /// A name (a category).
    Name,
    /// Yes or no.
    Flag,
}

/// Which direction of a metric is good news.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Better {
    Higher,
    Lower,
    /// Neither: a volume, or an interval bound.
    Neither,
}

/// A metric's value in one report scope. `Number` is `None` where the metric is undefined
/// (no responses, no complaints); a count that can be undefined (households, where the log
/// has no household key) is a `Number` of a [`Kind::Count`] metric.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Count(u64),
    Number(Option<f64>),
    Name(Option<String>),
    Flag(bool),
}

impl Value {
    /// What the metric reads when a scope is missing on one side of a comparison.
    pub fn absent(&self) -> Value {
        match self {
            Value::Count(_) => Value::Count(0),
            Value::Number(_) => Value::Number(None),
            Value::Name(_) => Value::Name(None),
            Value::Flag(_) => Value::Flag(false),
        }
    }
}

/// Where a metric is published, besides `metrics.json` (which holds everything).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Published {
    /// A column of `metrics.csv`, in catalogue order.
    pub csv: bool,
    /// A name `{{ metric(name="…") }}` accepts in content.
    pub quoted: bool,
    /// Compared between two versions of a report on its version-history page.
    pub compared: bool,
}

#[derive(Clone, Copy, Debug)]
pub struct Metric {
    /// The name in content, in `metrics.csv` and in the theme's strings.
    pub name: &'static str,
    pub kind: Kind,
    pub better: Better,
    /// Still moving while the period's complaints close: labelled on in-progress reports and
    /// not compared with earlier periods then (see [`super::rules::is_compared`]).
    pub waits_for_closing: bool,
    pub published: Published,
    /// The function that decides it, as `module::function` below `src/` (checked by the docs
    /// test against the source and against `docs/metrics.md`).
    pub computed_by: &'static str,
    get: fn(&Metrics) -> Value,
}

/// One metric is one name: the catalogue's test keeps names unique.
impl PartialEq for Metric {
    fn eq(&self, other: &Metric) -> bool {
        self.name == other.name
    }
}

impl Metric {
    pub fn value(&self, m: &Metrics) -> Value {
        (self.get)(m)
    }
}

const EVERYWHERE: Published = Published {
    csv: true,
    quoted: true,
    compared: false,
};
const COMPARED: Published = Published {
    compared: true,
    ..EVERYWHERE
};
const CSV_ONLY: Published = Published {
    csv: true,
    quoted: false,
    compared: false,
};
const QUOTED_ONLY: Published = Published {
    csv: false,
    quoted: true,
    compared: false,
};

fn ci95(m: &Metrics, bound: usize) -> Value {
    Value::Number(m.satisfaction.satisfied_rate_ci95.map(|c| c[bound]))
}

use Better::{Higher, Lower, Neither};
use Kind::{Change, Count, Days, Flag, Name, Rate, Score};
use Value::Number;

pub const VISITS: Metric = Metric {
    name: "visits",
    kind: Count,
    better: Neither,
    waits_for_closing: false,
    published: COMPARED,
    computed_by: "metrics::partial::Accumulator::add",
    get: |m| Value::Count(m.visits.total),
};
pub const CONTACTED: Metric = Metric {
    name: "contacted",
    kind: Count,
    better: Higher,
    waits_for_closing: false,
    published: EVERYWHERE,
    computed_by: "metrics::rules::is_contacted",
    get: |m| Value::Count(m.visits.contacted),
};
pub const CONTACT_RATE: Metric = Metric {
    name: "contact_rate",
    kind: Rate,
    better: Higher,
    waits_for_closing: false,
    published: EVERYWHERE,
    computed_by: "metrics::rules::is_contacted",
    get: |m| Number(m.visits.contact_rate),
};
pub const RESPONSES: Metric = Metric {
    name: "responses",
    kind: Count,
    better: Neither,
    waits_for_closing: false,
    published: EVERYWHERE,
    computed_by: "metrics::values::compute",
    get: |m| Value::Count(m.satisfaction.responses),
};
pub const SATISFIED: Metric = Metric {
    name: "satisfied",
    kind: Count,
    better: Higher,
    waits_for_closing: false,
    published: EVERYWHERE,
    computed_by: "metrics::rules::is_satisfied",
    get: |m| Value::Count(m.satisfaction.satisfied),
};
pub const SATISFIED_RATE: Metric = Metric {
    name: "satisfied_rate",
    kind: Rate,
    better: Higher,
    waits_for_closing: false,
    published: COMPARED,
    computed_by: "metrics::rules::is_satisfied",
    get: |m| Number(m.satisfaction.satisfied_rate),
};
pub const SATISFIED_RATE_CI95_LOW: Metric = Metric {
    name: "satisfied_rate_ci95_low",
    kind: Rate,
    better: Neither,
    waits_for_closing: false,
    published: EVERYWHERE,
    computed_by: "metrics::values::wilson_ci95",
    get: |m| ci95(m, 0),
};
pub const SATISFIED_RATE_CI95_HIGH: Metric = Metric {
    name: "satisfied_rate_ci95_high",
    kind: Rate,
    better: Neither,
    waits_for_closing: false,
    published: EVERYWHERE,
    computed_by: "metrics::values::wilson_ci95",
    get: |m| ci95(m, 1),
};
pub const MEAN_SCORE: Metric = Metric {
    name: "mean_score",
    kind: Score,
    better: Higher,
    waits_for_closing: false,
    published: EVERYWHERE,
    computed_by: "metrics::values::compute",
    get: |m| Number(m.satisfaction.mean_score),
};
pub const LOW_SAMPLE: Metric = Metric {
    name: "low_sample",
    kind: Flag,
    better: Neither,
    waits_for_closing: false,
    published: CSV_ONLY,
    computed_by: "metrics::rules::is_low_sample",
    get: |m| Value::Flag(m.satisfaction.low_sample),
};
pub const COMPLAINTS: Metric = Metric {
    name: "complaints",
    kind: Count,
    better: Neither,
    waits_for_closing: false,
    published: COMPARED,
    computed_by: "metrics::partial::Accumulator::add",
    get: |m| Value::Count(m.complaints.total),
};
pub const CLOSED: Metric = Metric {
    name: "closed",
    kind: Count,
    better: Higher,
    waits_for_closing: true,
    published: EVERYWHERE,
    computed_by: "metrics::rules::Rules::is_closed",
    get: |m| Value::Count(m.rectification.closed),
};
pub const CLOSURE_RATE: Metric = Metric {
    name: "closure_rate",
    kind: Rate,
    better: Higher,
    waits_for_closing: true,
    published: COMPARED,
    computed_by: "metrics::rules::Rules::is_closed",
    get: |m| Number(m.rectification.closure_rate),
};
pub const CLOSED_LATE: Metric = Metric {
    name: "closed_late",
    kind: Count,
    better: Lower,
    waits_for_closing: true,
    published: EVERYWHERE,
    computed_by: "metrics::rules::Rules::is_overdue",
    get: |m| Value::Count(m.rectification.closed_late.unwrap_or(0)),
};
pub const ON_TIME_RATE: Metric = Metric {
    name: "on_time_rate",
    kind: Rate,
    better: Higher,
    waits_for_closing: true,
    published: EVERYWHERE,
    computed_by: "metrics::rules::Rules::is_overdue",
    get: |m| Number(m.rectification.on_time_rate),
};
pub const OVERDUE: Metric = Metric {
    name: "overdue",
    kind: Count,
    better: Lower,
    waits_for_closing: true,
    published: COMPARED,
    computed_by: "metrics::rules::Rules::is_overdue",
    get: |m| Value::Count(m.rectification.overdue),
};
pub const DAYS_TO_CLOSE_MEDIAN: Metric = Metric {
    name: "days_to_close_median",
    kind: Days,
    better: Lower,
    waits_for_closing: true,
    published: EVERYWHERE,
    computed_by: "metrics::rules::days_to_close",
    get: |m| Number(m.rectification.days_to_close.median),
};
pub const DAYS_TO_CLOSE_MEAN: Metric = Metric {
    name: "days_to_close_mean",
    kind: Days,
    better: Lower,
    waits_for_closing: true,
    published: EVERYWHERE,
    computed_by: "metrics::rules::days_to_close",
    get: |m| Number(m.rectification.days_to_close.mean),
};
pub const REVISIT_SATISFIED_RATE: Metric = Metric {
    name: "revisit_satisfied_rate",
    kind: Rate,
    better: Higher,
    waits_for_closing: false,
    published: EVERYWHERE,
    computed_by: "metrics::rules::is_satisfied",
    get: |m| Number(m.rectification.revisit_satisfied_rate),
};
pub const OPEN_AT_END: Metric = Metric {
    name: "open_at_end",
    kind: Count,
    better: Lower,
    waits_for_closing: false,
    published: COMPARED,
    computed_by: "metrics::rules::open_stock",
    get: |m| Value::Count(m.rectification.open_at_end),
};
pub const CARRIED_OVER: Metric = Metric {
    name: "carried_over",
    kind: Count,
    better: Lower,
    waits_for_closing: false,
    published: EVERYWHERE,
    computed_by: "metrics::rules::open_stock",
    get: |m| Value::Count(m.rectification.carried_over),
};
pub const SATISFIED_RATE_CHANGE: Metric = Metric {
    name: "satisfied_rate_change",
    kind: Change,
    better: Higher,
    waits_for_closing: false,
    published: EVERYWHERE,
    computed_by: "metrics::values::Trend::new",
    get: |m| Number(m.trend.satisfied_rate.change),
};
pub const SATISFIED_RATE_CHANGE_YEAR_AGO: Metric = Metric {
    name: "satisfied_rate_change_year_ago",
    kind: Change,
    better: Higher,
    waits_for_closing: false,
    published: EVERYWHERE,
    computed_by: "metrics::values::Trend::new",
    get: |m| Number(m.trend.satisfied_rate.change_year_ago),
};
pub const TOP_CATEGORY: Metric = Metric {
    name: "top_category",
    kind: Name,
    better: Neither,
    waits_for_closing: false,
    published: QUOTED_ONLY,
    computed_by: "metrics::values::compute",
    get: |m| Value::Name(m.complaints.by_category.first().map(|c| c.name.to_string())),
};
pub const CONTACT_RATE_CHANGE: Metric = Metric {
    name: "contact_rate_change",
    kind: Change,
    better: Higher,
    waits_for_closing: false,
    published: QUOTED_ONLY,
    computed_by: "metrics::values::Trend::new",
    get: |m| Number(m.trend.contact_rate.change),
};
pub const CLOSURE_RATE_CHANGE: Metric = Metric {
    name: "closure_rate_change",
    kind: Change,
    better: Higher,
    waits_for_closing: true,
    published: QUOTED_ONLY,
    computed_by: "metrics::values::Trend::new",
    get: |m| Number(m.trend.closure_rate.change),
};

/// A count of the scope's follow-up coverage; 0 without work orders.
fn coverage_count(m: &Metrics, count: fn(&super::coverage::Counts) -> u64) -> Value {
    Value::Count(m.coverage.as_ref().map_or(0, |c| count(&c.counts)))
}

pub const ORDERS_COMPLETED: Metric = Metric {
    name: "orders_completed",
    kind: Count,
    better: Neither,
    waits_for_closing: false,
    published: EVERYWHERE,
    computed_by: "metrics::coverage::CoverageSet::new",
    get: |m| coverage_count(m, |c| c.completed),
};
pub const FOLLOWED_UP: Metric = Metric {
    name: "followed_up",
    kind: Count,
    better: Higher,
    waits_for_closing: false,
    published: EVERYWHERE,
    computed_by: "metrics::coverage::standing",
    get: |m| coverage_count(m, |c| c.followed),
};
pub const FOLLOWUP_RATE: Metric = Metric {
    name: "followup_rate",
    kind: Rate,
    better: Higher,
    waits_for_closing: false,
    published: COMPARED,
    computed_by: "metrics::coverage::Counts::followup_rate",
    get: |m| Number(m.coverage.as_ref().and_then(|c| c.followup_rate)),
};
pub const FOLLOWUP_ON_TIME_RATE: Metric = Metric {
    name: "followup_on_time_rate",
    kind: Rate,
    better: Higher,
    waits_for_closing: false,
    published: COMPARED,
    computed_by: "metrics::coverage::Counts::followup_on_time_rate",
    get: |m| Number(m.coverage.as_ref().and_then(|c| c.followup_on_time_rate)),
};
pub const FOLLOWUP_MISSED: Metric = Metric {
    name: "followup_missed",
    kind: Count,
    better: Lower,
    waits_for_closing: false,
    published: COMPARED,
    computed_by: "metrics::coverage::standing",
    get: |m| coverage_count(m, |c| c.missed),
};
pub const FOLLOWUP_NOT_YET_DUE: Metric = Metric {
    name: "followup_not_yet_due",
    kind: Count,
    better: Neither,
    waits_for_closing: false,
    published: EVERYWHERE,
    computed_by: "metrics::coverage::standing",
    get: |m| coverage_count(m, |c| c.not_yet_due),
};

fn households(m: &Metrics, get: fn(&HouseholdCoverage) -> Option<u64>) -> Value {
    Number(m.households.as_deref().and_then(get).map(|n| n as f64))
}

pub const HOUSEHOLDS_VISITED: Metric = Metric {
    name: "households_visited",
    kind: Count,
    better: Higher,
    waits_for_closing: false,
    published: EVERYWHERE,
    computed_by: "metrics::households::is_visited",
    get: |m| households(m, |h| Some(h.visited)),
};
pub const HOUSEHOLDS_TOTAL: Metric = Metric {
    name: "households_total",
    kind: Count,
    better: Neither,
    waits_for_closing: false,
    published: EVERYWHERE,
    computed_by: "metrics::household_coverage::Series::new",
    get: |m| households(m, |h| h.total),
};
pub const HOUSEHOLD_COVERAGE: Metric = Metric {
    name: "household_coverage",
    kind: Rate,
    better: Higher,
    waits_for_closing: false,
    published: COMPARED,
    computed_by: "metrics::household_coverage::Series::coverage",
    get: |m| Number(m.households.as_ref().and_then(|h| h.coverage)),
};
pub const HOUSEHOLDS_VISITED_TWICE: Metric = Metric {
    name: "households_visited_twice",
    kind: Count,
    better: Higher,
    waits_for_closing: false,
    published: EVERYWHERE,
    computed_by: "metrics::households::is_visited_twice",
    get: |m| households(m, |h| h.visited_twice),
};
pub const HOUSEHOLD_TWICE_RATE: Metric = Metric {
    name: "household_twice_rate",
    kind: Rate,
    better: Higher,
    waits_for_closing: false,
    published: COMPARED,
    computed_by: "metrics::household_coverage::Series::coverage",
    get: |m| Number(m.households.as_ref().and_then(|h| h.twice_rate)),
};

/// The catalogue, in the order of `metrics.csv`'s columns.
pub const ALL: &[Metric] = &[
    VISITS,
    CONTACTED,
    CONTACT_RATE,
    RESPONSES,
    SATISFIED,
    SATISFIED_RATE,
    SATISFIED_RATE_CI95_LOW,
    SATISFIED_RATE_CI95_HIGH,
    MEAN_SCORE,
    LOW_SAMPLE,
    COMPLAINTS,
    CLOSED,
    CLOSURE_RATE,
    CLOSED_LATE,
    ON_TIME_RATE,
    OVERDUE,
    DAYS_TO_CLOSE_MEDIAN,
    DAYS_TO_CLOSE_MEAN,
    REVISIT_SATISFIED_RATE,
    OPEN_AT_END,
    CARRIED_OVER,
    SATISFIED_RATE_CHANGE,
    SATISFIED_RATE_CHANGE_YEAR_AGO,
    TOP_CATEGORY,
    CONTACT_RATE_CHANGE,
    CLOSURE_RATE_CHANGE,
    ORDERS_COMPLETED,
    FOLLOWED_UP,
    FOLLOWUP_RATE,
    FOLLOWUP_ON_TIME_RATE,
    FOLLOWUP_MISSED,
    FOLLOWUP_NOT_YET_DUE,
    HOUSEHOLDS_VISITED,
    HOUSEHOLDS_TOTAL,
    HOUSEHOLD_COVERAGE,
    HOUSEHOLDS_VISITED_TWICE,
    HOUSEHOLD_TWICE_RATE,
];

/// The metric `{{ metric(name="…") }}` names.
pub fn quoted(name: &str) -> Option<&'static Metric> {
    ALL.iter().find(|m| m.published.quoted && m.name == name)
}

/// Names `{{ metric(...) }}` accepts, for messages and docs.
pub fn quoted_names() -> impl Iterator<Item = &'static str> {
    ALL.iter().filter(|m| m.published.quoted).map(|m| m.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique() {
        let mut names: Vec<&str> = ALL.iter().map(|m| m.name).collect();
        names.sort_unstable();
        let before = names.len();
        names.dedup();
        assert_eq!(names.len(), before);
    }
}
