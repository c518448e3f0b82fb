//! The headline cards of a report, a department or a site: each number with its changes, its
//! target met or missed, and when it is counted — over the period, as of the data date (a
//! complaint's status is the one the data holds now), or at the period's end.

use super::SiteData;
use super::text::written;
use crate::config::TargetValues;
use crate::metrics::PeriodReport;
use crate::metrics::catalog::{self, Better, Metric, Value};
use crate::metrics::values::{Change, Metrics};
use crate::period::PeriodKind;
use crate::site::i18n::{Format, Strings};
use crate::site::view::{Kpi, TargetMark, TrendLine};

/// The cards, in order (volume, contact, satisfaction, then complaints and their
/// rectification), each with the path of its number in `metrics.json`, which the card carries
/// for tests and tools (`data-metric`).
const CARDS: [(Metric, &str); 8] = [
    (catalog::VISITS, "visits.total"),
    (catalog::CONTACT_RATE, "visits.contact_rate"),
    (catalog::SATISFIED_RATE, "satisfaction.satisfied_rate"),
    (catalog::COMPLAINTS, "complaints.total"),
    (catalog::CLOSURE_RATE, "rectification.closure_rate"),
    (catalog::ON_TIME_RATE, "rectification.on_time_rate"),
    (catalog::OVERDUE, "rectification.overdue"),
    (catalog::OPEN_AT_END, "rectification.open_at_end"),
];

/// When a number is counted, which decides the date a card names beside it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Counted {
    /// Over the period's rows.
    InPeriod,
    /// By the statuses the data holds on its as-of date (closed, late, overdue).
    AsOf,
    /// On the period's last day, by closed dates (open complaints carried forward).
    AtPeriodEnd,
}

fn counted(metric: &Metric) -> Counted {
    match metric.name {
        "open_at_end" | "carried_over" => Counted::AtPeriodEnd,
        _ if metric.waits_for_closing => Counted::AsOf,
        _ => Counted::InPeriod,
    }
}

/// The changes a card shows for a metric, where it has them.
pub fn change_of<'m>(metric: &Metric, m: &'m Metrics) -> Option<&'m Change> {
    let t = &m.trend;
    match metric.name {
        "contact_rate" => Some(&t.contact_rate),
        "satisfied_rate" => Some(&t.satisfied_rate),
        "closure_rate" => Some(&t.closure_rate),
        "on_time_rate" => Some(&t.on_time_rate),
        _ => None,
    }
}

/// Whether `value` meets `target`, by the metric's good direction.
pub fn meets(metric: &Metric, value: f64, target: f64) -> bool {
    match metric.better {
        Better::Lower => value <= target,
        Better::Higher | Better::Neither => value >= target,
    }
}

/// The met / missed mark of a metric of `m` against `targets`, when it has a target and a value.
pub fn target_mark(
    metric: &Metric,
    m: &Metrics,
    targets: &TargetValues,
    t: &Strings,
    f: Format,
) -> Option<TargetMark> {
    let target = targets.get(metric.name)?;
    let Value::Number(Some(value)) = metric.value(m) else {
        return None;
    };
    Some(mark(metric, value, target, t, f))
}

/// The met / missed mark of `value` against `target`.
pub fn mark(metric: &Metric, value: f64, target: f64, t: &Strings, f: Format) -> TargetMark {
    let met = meets(metric, value, target);
    let target_text = written(metric, &Value::Number(Some(target)), f);
    let title = if met { "target_met" } else { "target_missed" };
    TargetMark {
        met,
        symbol: if met { "✓" } else { "✗" },
        class: if met { "met" } else { "missed" },
        text: t.fill("target_value", &[("target", &target_text)]),
        title: t.fill(title, &[("target", &target_text)]),
    }
}

/// The comparisons a card shows: against the previous period and a year ago; for an annual
/// report the previous period is the year ago, so only that one.
pub fn trend_lines(change: &Change, kind: PeriodKind, t: &Strings, f: Format) -> Vec<TrendLine> {
    let mut lines = Vec::new();
    let mut add = |key: &str, c: Option<f64>| {
        if let Some(c) = c {
            lines.push(TrendLine {
                label: t.get(key).to_owned(),
                trend: super::trend_view(c, f, t),
            });
        }
    };
    if kind != PeriodKind::Year {
        add("vs_previous", change.change);
    }
    add("vs_year_ago", change.change_year_ago);
    lines
}

/// Beside a card: when its number is counted, and that it is not compared while in progress.
fn basis(metric: &Metric, report: &PeriodReport, t: &Strings, f: Format) -> Option<String> {
    let in_progress = metric.waits_for_closing && report.period.in_progress;
    let (key, date) = match counted(metric) {
        Counted::InPeriod => return None,
        Counted::AsOf if in_progress => ("counted_as_of_in_progress", report.as_of),
        Counted::AsOf => ("counted_as_of", report.as_of),
        Counted::AtPeriodEnd => ("counted_at_end", report.period.end.min(report.as_of)),
    };
    Some(t.fill(key, &[("date", &f.date(date))]))
}

/// The headline cards of `m`, one scope of `report`.
pub fn kpis(
    data: &SiteData<'_>,
    report: &PeriodReport,
    m: &Metrics,
    targets: &TargetValues,
) -> Vec<Kpi> {
    let (t, f) = (data.t, data.fmt);
    CARDS
        .iter()
        .map(|(metric, path)| {
            let value = metric.value(m);
            let raw = match &value {
                Value::Count(n) => n.to_string(),
                Value::Number(x) => x.map_or_else(String::new, |x| x.to_string()),
                Value::Name(_) | Value::Flag(_) => String::new(),
            };
            let detail = match metric.name {
                "satisfied_rate" => Some(format!(
                    "{} {}",
                    t.get("sample_size"),
                    f.int(m.satisfaction.responses)
                )),
                "open_at_end" => Some(format!(
                    "{} {}",
                    t.get("carried_over"),
                    f.int(m.rectification.carried_over)
                )),
                _ => None,
            };
            let warn = (metric.name == "satisfied_rate" && m.satisfaction.low_sample)
                .then(|| t.get("low_sample").to_owned());
            Kpi {
                metric: path,
                label: t.get(metric.name).to_owned(),
                text: written(metric, &value, f),
                value: raw,
                detail,
                basis: basis(metric, report, t, f),
                trends: change_of(metric, m)
                    .map(|c| trend_lines(c, report.period.kind, t, f))
                    .unwrap_or_default(),
                target: target_mark(metric, m, targets, t, f),
                warn,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_target_is_met_in_the_metric_s_good_direction() {
        assert!(meets(&catalog::SATISFIED_RATE, 0.85, 0.85));
        assert!(!meets(&catalog::SATISFIED_RATE, 0.8499, 0.85));
        assert!(meets(&catalog::OVERDUE, 0.0, 1.0), "fewer is better");
        assert!(!meets(&catalog::OVERDUE, 2.0, 1.0));
    }

    #[test]
    fn cards_name_when_their_number_is_counted() {
        assert!(counted(&catalog::VISITS) == Counted::InPeriod);
        assert!(counted(&catalog::SATISFIED_RATE) == Counted::InPeriod);
        assert!(counted(&catalog::CLOSURE_RATE) == Counted::AsOf);
        assert!(counted(&catalog::ON_TIME_RATE) == Counted::AsOf);
        assert!(counted(&catalog::OVERDUE) == Counted::AsOf);
        assert!(counted(&catalog::OPEN_AT_END) == Counted::AtPeriodEnd);
    }
}
