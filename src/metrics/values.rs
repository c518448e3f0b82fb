//! The metrics of DOMAIN.md, computed from a merged partial. Rates are fractions 0–1, `None`
//! (JSON `null`) where undefined: no responses, no complaints. Every number is kept exact in
//! memory and rounded to 4 decimals only where it is written (`metrics.json`, snapshots), so a
//! page rounds the exact value once to the places it shows (82.35…% is 82.4%, not 82.3% from a
//! stored 0.8235).

use super::partial::Partial;
use super::rules::{self, OpenStock};
use crate::config::Config;
use crate::model::{Severity, StatusId, Symbols};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

pub use super::numbers::{FourDecimals, four_decimals, rate, round4};

/// A name a report repeats for every department and site (a level, a category, a visit
/// type): held inline up to 24 bytes, so thousands of sites do not each allocate it again.
pub type Label = compact_str::CompactString;

/// z for a two-sided 95% interval.
const Z95: f64 = 1.959_963_984_540_054;

/// Wilson score interval for `successes` out of `n`; `None` when `n` is 0.
pub fn wilson_ci95(successes: u64, n: u64) -> Option<[f64; 2]> {
    if n == 0 {
        return None;
    }
    let (n, p) = (n as f64, successes as f64 / n as f64);
    let z2 = Z95 * Z95;
    let denom = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denom;
    let half = Z95 * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denom;
    Some([(centre - half).max(0.0), (centre + half).min(1.0)])
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Named {
    pub name: Label,
    pub count: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Visits {
    pub total: u64,
    pub contacted: u64,
    #[serde(serialize_with = "four_decimals")]
    pub contact_rate: Option<f64>,
    pub by_type: Vec<Named>,
    pub by_channel: Vec<Named>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LevelCount {
    pub label: Label,
    pub score: f64,
    pub satisfied: bool,
    pub count: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Satisfaction {
    pub responses: u64,
    pub levels: Vec<LevelCount>,
    pub satisfied: u64,
    #[serde(serialize_with = "four_decimals")]
    pub satisfied_rate: Option<f64>,
    #[serde(serialize_with = "four_decimals")]
    pub mean_score: Option<f64>,
    #[serde(serialize_with = "four_decimals")]
    pub satisfied_rate_ci95: Option<[f64; 2]>,
    pub low_sample: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CategoryCount {
    pub name: Label,
    pub count: u64,
    #[serde(serialize_with = "four_decimals")]
    pub share: f64,
    #[serde(serialize_with = "four_decimals")]
    pub cumulative_share: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SeverityCount {
    /// 重大 / 重要 / 轻微, or null for complaints that gave no level.
    pub severity: Option<Cow<'static, str>>,
    pub key: Cow<'static, str>,
    pub count: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Comment {
    pub date: chrono::NaiveDate,
    pub category: Label,
    /// Phone numbers, ID-card numbers and e-mail addresses masked.
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Complaints {
    pub total: u64,
    /// Pareto order: by count, then by name.
    pub by_category: Vec<CategoryCount>,
    pub by_severity: Vec<SeverityCount>,
    /// The newest customer comments on complaints (at most 5), masked.
    pub recent_comments: Vec<Comment>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StatusCount {
    /// The status label, or null for complaints that gave none.
    pub status: Option<Label>,
    pub closed: bool,
    pub count: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DaysToClose {
    /// Closed complaints that have a closed date.
    pub count: u64,
    #[serde(serialize_with = "four_decimals")]
    pub median: Option<f64>,
    #[serde(serialize_with = "four_decimals")]
    pub mean: Option<f64>,
    /// Counts per bucket of days, always the buckets of [`DAY_BUCKETS`] in order.
    pub distribution: Vec<DayBucket>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DayBucket {
    /// `"0"`, `"4-5"`, `">30"` …
    pub days: Cow<'static, str>,
    pub count: u64,
}

/// Buckets of the days-to-close distribution: (label, first day, last day). Narrow where the
/// SLAs are (2, 3 and 10 days), wide in the tail.
pub const DAY_BUCKETS: [(&str, u32, u32); 10] = [
    ("0", 0, 0),
    ("1", 1, 1),
    ("2", 2, 2),
    ("3", 3, 3),
    ("4-5", 4, 5),
    ("6-7", 6, 7),
    ("8-10", 8, 10),
    ("11-14", 11, 14),
    ("15-30", 15, 30),
    (">30", 31, u32::MAX),
];

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rectification {
    pub by_status: Vec<StatusCount>,
    pub closed: u64,
    #[serde(serialize_with = "four_decimals")]
    pub closure_rate: Option<f64>,
    /// Closed complaints closed after their deadline. `None` in snapshots written before
    /// huifang counted it (as `on_time_rate`).
    #[serde(default)]
    pub closed_late: Option<u64>,
    /// 整改及时率: closed complaints closed by their deadline ÷ closed complaints.
    #[serde(default, serialize_with = "four_decimals")]
    pub on_time_rate: Option<f64>,
    pub overdue: u64,
    pub without_deadline: u64,
    pub closed_without_date: u64,
    pub days_to_close: DaysToClose,
    pub revisit_responses: u64,
    #[serde(serialize_with = "four_decimals")]
    pub revisit_satisfied_rate: Option<f64>,
    /// Complaints dated on or before the period's end and not closed by it, carried-over
    /// ones included.
    pub open_at_end: u64,
    /// Complaints dated before the period that were still open when it began.
    pub carried_over: u64,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Change {
    #[serde(serialize_with = "four_decimals")]
    pub previous: Option<f64>,
    #[serde(serialize_with = "four_decimals")]
    pub change: Option<f64>,
    #[serde(serialize_with = "four_decimals")]
    pub year_ago: Option<f64>,
    #[serde(serialize_with = "four_decimals")]
    pub change_year_ago: Option<f64>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Trend {
    pub contact_rate: Change,
    pub satisfied_rate: Change,
    pub mean_score: Change,
    pub closure_rate: Change,
    #[serde(default)]
    pub on_time_rate: Change,
    pub revisit_satisfied_rate: Change,
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

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    pub visits: Visits,
    pub satisfaction: Satisfaction,
    pub complaints: Complaints,
    pub rectification: Rectification,
    pub trend: Trend,
    /// Work orders followed up (回访率); absent in projects without `[[orders]]`, so their
    /// reports read as before. Boxed, as the households below, so the thousands of sites of
    /// a project without them do not each hold the room.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coverage: Option<Box<super::coverage::Coverage>>,
    /// Household coverage, where the log has a household key (absent otherwise, so reports of
    /// other logs are written as before).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub households: Option<Box<HouseholdCoverage>>,
}

/// The rates a trend compares, for one period and scope.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Rates {
    pub contact_rate: Option<f64>,
    pub satisfied_rate: Option<f64>,
    pub mean_score: Option<f64>,
    pub closure_rate: Option<f64>,
    pub on_time_rate: Option<f64>,
    pub revisit_satisfied_rate: Option<f64>,
}

impl Metrics {
    pub fn rates(&self) -> Rates {
        Rates {
            contact_rate: self.visits.contact_rate,
            satisfied_rate: self.satisfaction.satisfied_rate,
            mean_score: self.satisfaction.mean_score,
            closure_rate: self.rectification.closure_rate,
            on_time_rate: self.rectification.on_time_rate,
            revisit_satisfied_rate: self.rectification.revisit_satisfied_rate,
        }
    }
}

impl Trend {
    /// The changes of `now` against the previous period and the same period a year ago; rates
    /// that wait for complaints to close are not compared while the period is in progress
    /// (see [`rules::is_compared`]).
    pub fn new(now: Rates, previous: Rates, year_ago: Rates, in_progress: bool) -> Trend {
        let change = |now: Option<f64>, previous: Option<f64>, year_ago: Option<f64>| Change {
            previous,
            change: now.zip(previous).map(|(a, b)| a - b),
            year_ago,
            change_year_ago: now.zip(year_ago).map(|(a, b)| a - b),
        };
        let closing = |now: Option<f64>, previous: Option<f64>, year_ago: Option<f64>| {
            let c = change(now, previous, year_ago);
            if rules::is_compared(true, in_progress) {
                c
            } else {
                Change {
                    change: None,
                    change_year_ago: None,
                    ..c
                }
            }
        };
        Trend {
            contact_rate: change(
                now.contact_rate,
                previous.contact_rate,
                year_ago.contact_rate,
            ),
            satisfied_rate: change(
                now.satisfied_rate,
                previous.satisfied_rate,
                year_ago.satisfied_rate,
            ),
            mean_score: change(now.mean_score, previous.mean_score, year_ago.mean_score),
            closure_rate: closing(
                now.closure_rate,
                previous.closure_rate,
                year_ago.closure_rate,
            ),
            on_time_rate: closing(
                now.on_time_rate,
                previous.on_time_rate,
                year_ago.on_time_rate,
            ),
            revisit_satisfied_rate: change(
                now.revisit_satisfied_rate,
                previous.revisit_satisfied_rate,
                year_ago.revisit_satisfied_rate,
            ),
        }
    }
}

/// Names for the symbols and indexes a partial holds.
pub struct Names<'a> {
    pub config: &'a Config,
    pub symbols: &'a Symbols,
}

pub fn compute(p: &Partial, stock: OpenStock, names: &Names<'_>) -> Metrics {
    let config = names.config;
    let c = p.complaint();
    let named = |counts: &super::partial::Counts<crate::model::Sym>| {
        let mut list: Vec<Named> = counts
            .iter()
            .map(|(s, &count)| Named {
                name: names.symbols.name(*s).into(),
                count,
            })
            .collect();
        list.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
        list
    };

    let scale = &config.satisfaction.levels;
    let count_at = |v: &[u64], i: usize| v.get(i).copied().unwrap_or(0);
    let responses: u64 = p.levels.iter().sum();
    let satisfied_in = |counts: &[u64]| -> u64 {
        (0..scale.len())
            .filter(|&i| rules::is_satisfied(&scale[i]))
            .map(|i| count_at(counts, i))
            .sum()
    };
    let satisfied = satisfied_in(&p.levels);
    let score_sum: f64 = (0..scale.len())
        .map(|i| scale[i].score * count_at(&p.levels, i) as f64)
        .sum();
    let levels = scale
        .iter()
        .enumerate()
        .map(|(i, l)| LevelCount {
            label: l.label.as_str().into(),
            score: l.score,
            satisfied: l.satisfied,
            count: count_at(&p.levels, i),
        })
        .collect();

    let mut cumulative = 0;
    let by_category = named(&c.by_category)
        .into_iter()
        .map(|n| {
            cumulative += n.count;
            CategoryCount {
                share: rate(n.count, p.complaints).unwrap_or(0.0),
                cumulative_share: rate(cumulative, p.complaints).unwrap_or(0.0),
                name: n.name,
                count: n.count,
            }
        })
        .collect();
    let by_severity = Severity::ALL
        .into_iter()
        .map(Some)
        .chain([None])
        .map(|s| SeverityCount {
            severity: s.map(|s| Cow::Borrowed(s.label_zh())),
            key: Cow::Borrowed(s.map_or("unspecified", Severity::key)),
            count: c.by_severity.get(&s).copied().unwrap_or(0),
        })
        .collect();

    let statuses: Vec<(&str, bool)> = config.status.all().collect();
    let by_status = statuses
        .iter()
        .enumerate()
        .map(|(i, &(label, closed))| StatusCount {
            status: Some(label.into()),
            closed,
            count: c
                .by_status
                .get(&Some(StatusId(i as u8)))
                .copied()
                .unwrap_or(0),
        })
        .chain([StatusCount {
            status: None,
            closed: false,
            count: c.by_status.get(&None).copied().unwrap_or(0),
        }])
        .collect();

    let revisit_responses: u64 = c.revisit_levels.iter().sum();
    let revisit_satisfied = satisfied_in(&c.revisit_levels);

    Metrics {
        visits: Visits {
            total: p.visits,
            contacted: p.contacted,
            contact_rate: rate(p.contacted, p.visits),
            by_type: named(&p.by_type),
            by_channel: named(&p.by_channel),
        },
        satisfaction: Satisfaction {
            responses,
            levels,
            satisfied,
            satisfied_rate: rate(satisfied, responses),
            mean_score: (responses > 0).then(|| score_sum / responses as f64),
            satisfied_rate_ci95: wilson_ci95(satisfied, responses),
            low_sample: rules::is_low_sample(responses, config.min_sample),
        },
        complaints: Complaints {
            total: p.complaints,
            by_category,
            by_severity,
            recent_comments: c
                .comments
                .iter()
                .map(|s| Comment {
                    date: s.date,
                    category: names.symbols.name(s.category).into(),
                    // Masked, then cut: a cut through a value would leave part of it.
                    text: super::comments::truncated(
                        &crate::privacy::mask(&s.text),
                        super::comments::COMMENT_CHARS,
                    )
                    .into_owned(),
                })
                .collect(),
        },
        rectification: Rectification {
            by_status,
            closed: c.closed,
            closure_rate: rate(c.closed, p.complaints),
            closed_late: Some(c.closed_late),
            on_time_rate: rate(c.closed - c.closed_late, c.closed),
            overdue: c.overdue,
            without_deadline: c.without_deadline,
            closed_without_date: c.closed_without_date,
            days_to_close: days_to_close(&c.days_to_close),
            revisit_responses,
            revisit_satisfied_rate: rate(revisit_satisfied, revisit_responses),
            open_at_end: stock.open_at_end,
            carried_over: stock.carried_over,
        },
        trend: Trend::default(),
        coverage: None,
        households: None,
    }
}

fn days_to_close(histogram: &super::partial::Counts<u32>) -> DaysToClose {
    let count: u64 = histogram.values().sum();
    let distribution = DAY_BUCKETS
        .iter()
        .map(|&(days, first, last)| DayBucket {
            days: Cow::Borrowed(days),
            count: histogram.range(first..=last).map(|(_, n)| n).sum(),
        })
        .collect();
    if count == 0 {
        return DaysToClose {
            count,
            median: None,
            mean: None,
            distribution,
        };
    }
    let total_days: u64 = histogram.iter().map(|(&d, &n)| u64::from(d) * n).sum();
    // The k-th smallest value (0-based) read off the histogram.
    let nth = |k: u64| {
        let mut seen = 0;
        for (&days, &n) in histogram {
            seen += n;
            if k < seen {
                return f64::from(days);
            }
        }
        unreachable!("k < count")
    };
    let median = if count % 2 == 1 {
        nth(count / 2)
    } else {
        (nth(count / 2 - 1) + nth(count / 2)) / 2.0
    };
    DaysToClose {
        count,
        median: Some(median),
        mean: Some(total_days as f64 / count as f64),
        distribution,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_interval_matches_the_textbook_example() {
        // 8 of 10: p = .8, z² = 3.8415; centre = (.8 + .19207)/1.38415 = .71673;
        // half = 1.95996 * sqrt(.016 + .0096037)/1.38415 = .22665 → [.4902, .9433].
        assert_eq!(wilson_ci95(8, 10).four_decimals(), Some([0.4902, 0.9433]));
        assert_eq!(wilson_ci95(0, 0), None);
        // All successes: the upper bound is 1 and the lower bound n/(n+z²) = 10/13.8415.
        assert_eq!(wilson_ci95(10, 10).four_decimals(), Some([0.7225, 1.0]));
    }

    #[test]
    fn median_from_a_histogram() {
        let h = super::super::partial::Counts::from([(1, 2), (3, 1), (10, 1)]);
        // 1 1 3 10 → median (1+3)/2 = 2, mean 15/4; buckets "1": 2, "3": 1, "8-10": 1.
        let d = days_to_close(&h);
        assert_eq!((d.count, d.median, d.mean), (4, Some(2.0), Some(3.75)));
        let buckets: Vec<(&str, u64)> = d
            .distribution
            .iter()
            .map(|b| (b.days.as_ref(), b.count))
            .collect();
        let expected = [("0", 0), ("1", 2), ("2", 0), ("3", 1), ("4-5", 0)];
        assert_eq!(buckets[..5], expected);
        let expected = [
            ("6-7", 0),
            ("8-10", 1),
            ("11-14", 0),
            ("15-30", 0),
            (">30", 0),
        ];
        assert_eq!(buckets[5..], expected);
        let h = super::super::partial::Counts::from([(0, 1), (5, 2)]);
        assert_eq!(days_to_close(&h).median, Some(5.0));
    }
}
