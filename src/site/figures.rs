//! Charts with the table of their numbers, built from report metrics. A chart with nothing
//! to show is left out (`None`) rather than drawn empty.

use super::i18n::{Format, Strings};
use super::view::{Cell, Figure, Table};
use crate::charts::{self, ChartText, Series};
use crate::metrics::PeriodReport;
use crate::metrics::values::Metrics;

pub struct Figures<'a> {
    pub t: &'a Strings,
    pub f: Format,
}

impl Figures<'_> {
    fn text<'b>(&'b self, id: &'b str, key: &'b str, desc_key: &'b str) -> ChartText<'b> {
        ChartText {
            id,
            title: self.t.get(key),
            desc: self.t.get(desc_key),
            empty_label: self.t.get("no_data"),
        }
    }

    /// 满意率 over periods, one line per series, with the values in a table.
    /// The whole organisation's 满意率 in each of `periods`, as a trend series named `label`.
    pub fn overall_series(label: &str, periods: &[&PeriodReport]) -> (String, Vec<Option<f64>>) {
        let rates = periods
            .iter()
            .map(|r| r.overall.satisfaction.satisfied_rate)
            .collect();
        (label.to_owned(), rates)
    }

    pub fn satisfaction_trend(
        &self,
        id: &str,
        periods: &[&PeriodReport],
        series: Vec<(String, Vec<Option<f64>>)>,
    ) -> Option<Figure> {
        if series.iter().all(|(_, v)| v.iter().all(Option::is_none)) {
            return None;
        }
        let x: Vec<String> = periods
            .iter()
            .map(|r| self.f.period(&r.period.id))
            .collect();
        let chart_series: Vec<Series> = series
            .iter()
            .map(|(label, values)| Series {
                label: label.clone(),
                values: values.clone(),
            })
            .collect();
        let svg = charts::line_chart(
            &self.text(
                id,
                "chart_satisfaction_trend",
                "chart_satisfaction_trend_desc",
            ),
            &x,
            &chart_series,
            true,
        );
        let mut head = vec![self.t.get("period").to_owned()];
        head.extend(series.iter().map(|(label, _)| label.clone()));
        let rows = x
            .iter()
            .enumerate()
            .map(|(i, label)| {
                let mut row = vec![Cell::text(label.clone())];
                row.extend(series.iter().map(|(_, v)| Cell::num(self.f.percent(v[i]))));
                row
            })
            .collect();
        self.figure(id, "chart_satisfaction_trend", svg, head, rows)
    }

    /// The share of each satisfaction level per department.
    pub fn levels_by_department(&self, id: &str, report: &PeriodReport) -> Option<Figure> {
        if report.overall.satisfaction.responses == 0 {
            return None;
        }
        let depts: Vec<(&str, &Metrics)> = report
            .departments
            .iter()
            .map(|d| (d.entity.name.as_str(), &d.metrics))
            .collect();
        let levels = &report.overall.satisfaction.levels;
        let categories: Vec<String> = depts.iter().map(|(n, _)| (*n).to_owned()).collect();
        let segments: Vec<Series> = levels
            .iter()
            .enumerate()
            .map(|(i, level)| Series {
                label: level.label.clone(),
                values: depts
                    .iter()
                    .map(|(_, m)| Some(m.satisfaction.levels[i].count as f64))
                    .collect(),
            })
            .collect();
        let svg = charts::level_share_bars(
            &self.text(id, "chart_levels", "chart_levels_desc"),
            &categories,
            &segments,
        );
        let mut head = vec![self.t.get("department").to_owned()];
        head.extend(levels.iter().map(|l| l.label.clone()));
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
            .map(|l| l.label.clone())
            .collect();
        let counts: Vec<u64> = m.satisfaction.levels.iter().map(|l| l.count).collect();
        let svg = charts::histogram(
            &self.text(id, "chart_levels", "chart_levels_desc"),
            &labels,
            &counts,
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
        let names: Vec<String> = cats.iter().map(|c| c.name.clone()).collect();
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
        if report.overall.complaints.total == 0 {
            return None;
        }
        let statuses = &report.overall.rectification.by_status;
        let categories: Vec<String> = report
            .departments
            .iter()
            .map(|d| d.entity.name.clone())
            .collect();
        let label = |s: &Option<String>| {
            s.clone()
                .unwrap_or_else(|| self.t.get("unspecified").to_owned())
        };
        // Only statuses that occur anywhere in the report, so the legend stays short.
        let used: Vec<usize> = (0..statuses.len())
            .filter(|&i| statuses[i].count > 0)
            .collect();
        let segments: Vec<Series> = used
            .iter()
            .map(|&i| Series {
                label: label(&statuses[i].status),
                values: report
                    .departments
                    .iter()
                    .map(|d| Some(d.metrics.rectification.by_status[i].count as f64))
                    .collect(),
            })
            .collect();
        let svg = charts::stacked_share_bars(
            &self.text(id, "chart_status", "chart_status_desc"),
            &categories,
            &segments,
        );
        let mut head = vec![self.t.get("department").to_owned()];
        head.extend(used.iter().map(|&i| label(&statuses[i].status)));
        let rows =
            report
                .departments
                .iter()
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

    fn figure(
        &self,
        id: &str,
        title_key: &str,
        svg: String,
        head: Vec<String>,
        rows: Vec<Vec<Cell>>,
    ) -> Option<Figure> {
        Some(Figure {
            id: id.to_owned(),
            title: self.t.get(title_key).to_owned(),
            svg,
            table: Table {
                caption: None,
                head,
                rows,
            },
        })
    }
}
