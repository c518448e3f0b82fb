//! Charts with the table of their numbers, built from report metrics. A chart with nothing
//! to show is left out (`None`) rather than drawn empty.

use super::i18n::{Format, Strings};
use super::view::{Cell, Figure, Table};
use crate::charts::{self, ChartText, LineMarks, Series, StatusRole};
use crate::config::StatusValues;
use crate::metrics::PeriodReport;
use crate::metrics::values::{Label, Metrics, Satisfaction, StatusCount};
use crate::period::PeriodKind;

/// The most departments a chart or table draws one bar or column each for: past it, nobody
/// reads them, and the page grows with every department (the tables listing one row each
/// still list them all).
pub const MAX_DEPARTMENTS_DRAWN: usize = 40;

/// Whether `report` has more departments than its per-department charts draw.
pub fn too_many_departments(report: &PeriodReport) -> bool {
    report.departments.len() > MAX_DEPARTMENTS_DRAWN
}

pub struct Figures<'a> {
    pub t: &'a Strings,
    pub f: Format,
    /// The config's statuses, which fix each status's colour.
    status: &'a StatusValues,
}

/// One line of a 满意率 trend: a rate per period, and whether it rests on too few answers.
pub struct TrendSeries {
    pub label: String,
    rates: Vec<Option<f64>>,
    low_sample: Vec<bool>,
}

impl TrendSeries {
    /// `label`'s 满意率 in each of `periods`: `scope` gives it from the metrics it finds in
    /// each, with whether it rests on too few answers (none leaves a gap).
    pub fn of<'r>(
        label: &str,
        periods: &[&'r PeriodReport],
        scope: impl Fn(&'r PeriodReport) -> Option<(Option<f64>, bool)>,
    ) -> TrendSeries {
        let points: Vec<_> = periods.iter().map(|r| scope(r)).collect();
        TrendSeries {
            label: label.to_owned(),
            rates: points
                .iter()
                .map(|p| p.and_then(|(rate, _)| rate))
                .collect(),
            low_sample: points
                .iter()
                .map(|p| p.is_some_and(|(_, low)| low))
                .collect(),
        }
    }

    /// The point [`of`](Self::of) wants from a scope's satisfaction numbers.
    pub fn point(s: &Satisfaction) -> (Option<f64>, bool) {
        (s.satisfied_rate, s.low_sample)
    }

    /// The whole organisation's 满意率 in each of `periods`.
    pub fn overall(label: &str, periods: &[&PeriodReport]) -> TrendSeries {
        TrendSeries::of(label, periods, |r| {
            Some(TrendSeries::point(&r.overall.satisfaction))
        })
    }
}

impl<'a> Figures<'a> {
    pub fn new(t: &'a Strings, f: Format, status: &'a StatusValues) -> Figures<'a> {
        Figures { t, f, status }
    }

    /// The periods `report`'s trend shows: a year's months from `months` (a point a month reads
    /// better than two or three years), else `recent`, the latest periods of its kind.
    pub fn trend_periods<'r>(
        report: &PeriodReport,
        months: &[&'r PeriodReport],
        recent: Vec<&'r PeriodReport>,
    ) -> Vec<&'r PeriodReport> {
        let inside = |m: &&&PeriodReport| {
            m.period.start >= report.period.start && m.period.end <= report.period.end
        };
        let months: Vec<&PeriodReport> = months.iter().filter(inside).copied().collect();
        if report.period.kind == PeriodKind::Year && !months.is_empty() {
            months
        } else {
            recent
        }
    }

    fn text<'b>(&'b self, id: &'b str, key: &'b str, desc_key: &'b str) -> ChartText<'b> {
        ChartText {
            id,
            title: self.t.get(key),
            desc: self.t.get(desc_key),
            empty_label: self.t.get("no_data"),
        }
    }

    /// 满意率 over periods, one line per series, with the values in a table. The axis fits the
    /// rates; `target` (a share) is drawn as a labelled dashed line; low-sample rates are rings
    /// on the chart and starred in the table. Series take colours in order: put
    /// [`TrendSeries::overall`] first, so the whole organisation has one colour on every page.
    pub fn satisfaction_trend(
        &self,
        id: &str,
        periods: &[&PeriodReport],
        series: Vec<TrendSeries>,
        target: Option<f64>,
    ) -> Option<Figure> {
        if series.iter().all(|s| s.rates.iter().all(Option::is_none)) {
            return None;
        }
        let x: Vec<String> = periods
            .iter()
            .map(|r| self.f.period(&r.period.id))
            .collect();
        let chart_series: Vec<Series> = series
            .iter()
            .map(|s| Series {
                label: s.label.clone(),
                values: s.rates.clone(),
            })
            .collect();
        let hollow: Vec<Vec<bool>> = series.iter().map(|s| s.low_sample.clone()).collect();
        let target_label = target.map(|v| {
            self.t
                .fill("chart_target", &[("value", &self.f.percent(Some(v)))])
        });
        let marks = LineMarks {
            target: target.zip(target_label.as_deref()),
            hollow: &hollow,
            hollow_label: self.t.get("chart_low_sample"),
        };
        let svg = charts::line_chart(
            &self.text(
                id,
                "chart_satisfaction_trend",
                "chart_satisfaction_trend_desc",
            ),
            &x,
            &chart_series,
            true,
            &marks,
        );
        let mut head = vec![self.t.get("period").to_owned()];
        head.extend(series.iter().map(|s| s.label.clone()));
        let rows = x
            .iter()
            .enumerate()
            .map(|(i, label)| {
                let mut row = vec![Cell::text(label.clone())];
                row.extend(series.iter().map(|s| {
                    let cell = Cell::num(self.f.percent(s.rates[i]));
                    if s.low_sample[i] && s.rates[i].is_some() {
                        cell.with_class("low-sample")
                    } else {
                        cell
                    }
                }));
                row
            })
            .collect();
        self.figure(id, "chart_satisfaction_trend", svg, head, rows)
    }

    /// The share of each satisfaction level per department.
    pub fn levels_by_department(&self, id: &str, report: &PeriodReport) -> Option<Figure> {
        if report.overall.satisfaction.responses == 0 || too_many_departments(report) {
            return None;
        }
        let departments = report.departments.list();
        let depts: Vec<(&str, &Metrics)> = (departments.iter())
            .map(|d| (d.entity.name.as_str(), &d.metrics))
            .collect();
        let levels = &report.overall.satisfaction.levels;
        let categories: Vec<String> = depts.iter().map(|(n, _)| (*n).to_owned()).collect();
        let segments: Vec<Series> = levels
            .iter()
            .enumerate()
            .map(|(i, level)| Series {
                label: level.label.to_string(),
                values: depts
                    .iter()
                    .map(|(_, m)| Some(m.satisfaction.levels[i].count as f64))
                    .collect(),
            })
            .collect();
        let satisfied: Vec<bool> = levels.iter().map(|l| l.satisfied).collect();
        let svg = charts::level_share_bars(
            &self.text(id, "chart_levels", "chart_levels_desc"),
            &categories,
            &segments,
            &satisfied,
        );
        let mut head = vec![self.t.get("department").to_owned()];
        head.extend(levels.iter().map(|l| l.label.to_string()));
        head.push(self.t.get("responses").to_owned());
        let rows = depts
            .iter()
            .map(|(name, m)| {
                let mut row = vec![Cell::text(*name)];
                row.extend(
                    m.satisfaction
                        .levels
                        .iter()
                        .map(|l| Cell::num(self.f.int(l.count))),
                );
                row.push(Cell::num(self.f.int(m.satisfaction.responses)));
                row
            })
            .collect();
        self.figure(id, "chart_levels", svg, head, rows)
    }

    /// One scope's level counts as bars.
    pub fn levels(&self, id: &str, m: &Metrics) -> Option<Figure> {
        if m.satisfaction.responses == 0 {
            return None;
        }
        let labels: Vec<String> = m
            .satisfaction
            .levels
            .iter()
            .map(|l| l.label.to_string())
            .collect();
        let counts: Vec<u64> = m.satisfaction.levels.iter().map(|l| l.count).collect();
        let satisfied: Vec<bool> = m.satisfaction.levels.iter().map(|l| l.satisfied).collect();
        let svg = charts::level_histogram(
            &self.text(id, "chart_levels", "chart_levels_desc"),
            &labels,
            &counts,
            &satisfied,
        );
        let head = vec![
            self.t.get("level").to_owned(),
            self.t.get("count").to_owned(),
            self.t.get("share").to_owned(),
        ];
        let total = m.satisfaction.responses;
        let rows = m
            .satisfaction
            .levels
            .iter()
            .map(|l| {
                let share = (total > 0).then(|| l.count as f64 / total as f64);
                vec![
                    Cell::text(l.label.clone()),
                    Cell::num(self.f.int(l.count)),
                    Cell::num(self.f.percent(share)),
                ]
            })
            .collect();
        self.figure(id, "chart_levels", svg, head, rows)
    }

    pub fn pareto(&self, id: &str, m: &Metrics) -> Option<Figure> {
        if m.complaints.total == 0 {
            return None;
        }
        let cats = &m.complaints.by_category;
        let names: Vec<String> = cats.iter().map(|c| c.name.to_string()).collect();
        let counts: Vec<u64> = cats.iter().map(|c| c.count).collect();
        let cumulative: Vec<f64> = cats.iter().map(|c| c.cumulative_share).collect();
        let svg = charts::pareto(
            &self.text(id, "chart_pareto", "chart_pareto_desc"),
            &names,
            &counts,
            &cumulative,
        );
        let head = ["category", "count", "share", "cumulative_share"]
            .map(|k| self.t.get(k).to_owned())
            .to_vec();
        let rows = cats
            .iter()
            .map(|c| {
                vec![
                    Cell::text(c.name.clone()),
                    Cell::num(self.f.int(c.count)),
                    Cell::num(self.f.percent(Some(c.share))),
                    Cell::num(self.f.percent(Some(c.cumulative_share))),
                ]
            })
            .collect();
        self.figure(id, "chart_pareto", svg, head, rows)
    }

    /// Rectification status of each department's complaints.
    pub fn status_by_department(&self, id: &str, report: &PeriodReport) -> Option<Figure> {
        if report.overall.complaints.total == 0 || too_many_departments(report) {
            return None;
        }
        let statuses = &report.overall.rectification.by_status;
        let departments = report.departments.list();
        let categories: Vec<String> = (departments.iter())
            .map(|d| d.entity.name.to_string())
            .collect();
        let label = |s: &Option<Label>| {
            s.as_deref()
                .unwrap_or_else(|| self.t.get("unspecified"))
                .to_owned()
        };
        // Only statuses that occur anywhere in the report, so the legend stays short; closed
        // ones first, so what is done reads from the left, then open, unresolvable, none.
        let mut used: Vec<(usize, StatusRole)> = statuses
            .iter()
            .enumerate()
            .filter(|(_, s)| s.count > 0)
            .map(|(i, s)| (i, self.role(s)))
            .collect();
        used.sort_by_key(|&(i, role)| (role_order(role), i));
        let roles: Vec<StatusRole> = used.iter().map(|&(_, role)| role).collect();
        let used: Vec<usize> = used.into_iter().map(|(i, _)| i).collect();
        let segments: Vec<Series> = used
            .iter()
            .map(|&i| Series {
                label: label(&statuses[i].status),
                values: (departments.iter())
                    .map(|d| Some(d.metrics.rectification.by_status[i].count as f64))
                    .collect(),
            })
            .collect();
        let svg = charts::status_share_bars(
            &self.text(id, "chart_status", "chart_status_desc"),
            &categories,
            &segments,
            &roles,
        );
        let mut head = vec![self.t.get("department").to_owned()];
        head.extend(used.iter().map(|&i| label(&statuses[i].status)));
        let rows =
            (departments.iter())
                .map(|d| {
                    let mut row = vec![Cell::text(d.entity.name.clone())];
                    row.extend(used.iter().map(|&i| {
                        Cell::num(self.f.int(d.metrics.rectification.by_status[i].count))
                    }));
                    row
                })
                .collect();
        self.figure(id, "chart_status", svg, head, rows)
    }

    pub fn days_to_close(&self, id: &str, m: &Metrics) -> Option<Figure> {
        if m.rectification.days_to_close.count == 0 {
            return None;
        }
        let dist = &m.rectification.days_to_close.distribution;
        let buckets: Vec<String> = dist.iter().map(|b| b.days.to_string()).collect();
        let counts: Vec<u64> = dist.iter().map(|b| b.count).collect();
        let svg = charts::histogram(
            &self.text(id, "chart_days", "chart_days_desc"),
            &buckets,
            &counts,
        );
        let head = vec![
            self.t.get("days").to_owned(),
            self.t.get("count").to_owned(),
        ];
        let rows = dist
            .iter()
            .map(|b| {
                vec![
                    Cell::text(b.days.to_string()),
                    Cell::num(self.f.int(b.count)),
                ]
            })
            .collect();
        self.figure(id, "chart_days", svg, head, rows)
    }

    /// A status's role and its place in the config's list of that role, whichever statuses
    /// a report has: what fixes its colour.
    fn role(&self, count: &StatusCount) -> StatusRole {
        let Some(name) = count.status.as_deref() else {
            return StatusRole::Unspecified;
        };
        let place = |list: &[String]| list.iter().position(|s| s == name).unwrap_or(0);
        if count.closed {
            StatusRole::Closed(place(&self.status.closed))
        } else if self.status.unresolvable.iter().any(|s| s == name) {
            StatusRole::Unresolvable(place(&self.status.unresolvable))
        } else {
            StatusRole::Open(place(&self.status.open))
        }
    }

    fn figure(
        &self,
        id: &str,
        title_key: &str,
        svg: String,
        head: Vec<String>,
        rows: Vec<Vec<Cell>>,
    ) -> Option<Figure> {
        Some(Figure {
            label: None,
            id: id.to_owned(),
            title: self.t.get(title_key).to_owned(),
            svg,
            table: Table {
                label: None,
                caption: None,
                head,
                rows,
            },
        })
    }
}

/// Where a status's segment goes in a bar: closed, open, unresolvable, unspecified.
fn role_order(role: StatusRole) -> u8 {
    match role {
        StatusRole::Closed(_) => 0,
        StatusRole::Open(_) => 1,
        StatusRole::Unresolvable(_) => 2,
        StatusRole::Unspecified => 3,
    }
}
