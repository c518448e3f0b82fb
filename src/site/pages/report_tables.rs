//! The tables of a report page: departments ranked, rectification per department, sites,
//! sites × departments, and the small mixes of visit types, channels and severities.

use super::cards;
use super::text::{metric_cells, metric_head};
use super::{SiteData, trend_view};
use crate::metrics::catalog::{self, Metric};
use crate::metrics::{EntityMetrics, PeriodReport};
use crate::period::PeriodKind;
use crate::site::figures::MAX_DEPARTMENTS_DRAWN;
use crate::site::i18n::DASH;
use crate::site::urls;
use crate::site::view::{Cell, NotedTable, Table};

/// Departments by 满意率, highest first; those under the minimum sample follow unranked
/// (their rate is too uncertain to order), then those without ratings, each in report order.
pub fn ranking(data: &SiteData<'_>, report: &PeriodReport, root: &str) -> NotedTable {
    let (t, f) = (data.t, data.fmt);
    let config = &data.project.config;
    let departments = report.departments.list();
    let mut ranked: Vec<_> = departments.iter().collect();
    // A stable sort keeps report order within each group and among equal rates.
    ranked.sort_by(|a, b| {
        let key = |d: &EntityMetrics| {
            let s = &d.metrics.satisfaction;
            match s.satisfied_rate {
                Some(rate) if !s.low_sample => (0, -rate),
                Some(_) => (1, 0.0),
                None => (2, 0.0),
            }
        };
        key(a)
            .partial_cmp(&key(b))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let mut rank = 0;
    let mut met = 0;
    let mut with_target = 0;
    let rows = ranked
        .iter()
        .map(|d| {
            let s = &d.metrics.satisfaction;
            let targets = config.targets.department(&d.entity.name);
            let mark = cards::target_mark(&catalog::SATISFIED_RATE, &d.metrics, &targets, t, f);
            if let Some(m) = &mark {
                with_target += 1;
                met += usize::from(m.met);
            }
            let ci = s.satisfied_rate_ci95.map_or_else(String::new, |[lo, hi]| {
                format!("{}–{}", f.percent(Some(lo)), f.percent(Some(hi)))
            });
            let mut rate = Cell::num(f.percent(s.satisfied_rate)).with_mark(mark);
            let rank_cell = if s.low_sample || s.satisfied_rate.is_none() {
                if s.low_sample {
                    rate = rate.with_class("low-sample");
                }
                Cell::num(DASH)
            } else {
                rank += 1;
                Cell::num(rank.to_string())
            };
            let change = d.metrics.trend.satisfied_rate;
            let change = match report.period.kind {
                PeriodKind::Year => change.change_year_ago,
                _ => change.change,
            };
            vec![
                rank_cell,
                Cell::link(
                    d.entity.name.clone(),
                    format!(
                        "{root}{}",
                        urls::department(&report.period.id, &d.entity.slug)
                    ),
                ),
                Cell::num(f.int(s.responses)),
                rate,
                Cell::num(ci),
                Cell::num(f.decimal(s.mean_score, 2)),
                Cell::num(change.map_or_else(String::new, |c| trend_view(c, f, t).text)),
            ]
        })
        .collect();
    let comparison = match report.period.kind {
        PeriodKind::Year => "vs_year_ago",
        _ => "vs_previous",
    };
    let mut notes = Vec::new();
    if with_target > 0 {
        let counts = [("met", met.to_string()), ("total", with_target.to_string())];
        let mut values: Vec<(&str, &str)> = counts.iter().map(|(k, v)| (*k, v.as_str())).collect();
        // One target for all, or each department's own where some have one.
        let shared = config.targets.overall.satisfied_rate.filter(|_| {
            (report.departments.names()).all(|d| {
                let own = config.targets.departments.get(d.name.as_str());
                own.is_none_or(|v| v.satisfied_rate.is_none())
            })
        });
        let target = shared.map(|x| f.percent(Some(x)));
        let key = match &target {
            Some(target) => {
                values.push(("target", target));
                "ranking_targets"
            }
            None => "ranking_own_targets",
        };
        notes.push(t.fill(key, &values));
    }
    if (departments.iter()).any(|d| d.metrics.satisfaction.low_sample) {
        notes.push(t.fill(
            "ranking_low_sample",
            &[("min", &config.min_sample.to_string())],
        ));
    }
    NotedTable {
        table: Table {
            label: None,
            caption: Some(t.get("department_ranking").to_owned()),
            head: [
                "rank",
                "department",
                "responses",
                "satisfied_rate",
                "ci95",
                "mean_score",
                comparison,
            ]
            .map(|k| t.get(k).to_owned())
            .to_vec(),
            rows,
        },
        notes,
    }
}

/// The rectification table's columns.
const RECTIFICATION: [Metric; 8] = [
    catalog::COMPLAINTS,
    catalog::CLOSED,
    catalog::CLOSURE_RATE,
    catalog::ON_TIME_RATE,
    catalog::OVERDUE,
    catalog::CARRIED_OVER,
    catalog::OPEN_AT_END,
    catalog::DAYS_TO_CLOSE_MEDIAN,
];

/// The sites table's columns.
const SITES: [Metric; 5] = [
    catalog::VISITS,
    catalog::SATISFIED_RATE,
    catalog::COMPLAINTS,
    catalog::CLOSURE_RATE,
    catalog::OPEN_AT_END,
];

pub fn rectification(data: &SiteData<'_>, report: &PeriodReport, root: &str) -> NotedTable {
    let (t, f) = (data.t, data.fmt);
    let config = &data.project.config;
    let row = |name: Cell, m: &crate::metrics::Metrics, targets: &crate::config::TargetValues| {
        let mut cells = vec![name];
        cells.extend(marked_cells(data, &RECTIFICATION, m, targets));
        cells
    };
    let departments = report.departments.list();
    let mut rows: Vec<Vec<Cell>> = (departments.iter())
        .map(|d| {
            row(
                Cell::link(
                    d.entity.name.clone(),
                    format!(
                        "{root}{}",
                        urls::department(&report.period.id, &d.entity.slug)
                    ),
                ),
                &d.metrics,
                &config.targets.department(&d.entity.name),
            )
        })
        .collect();
    rows.push(row(
        Cell::text(t.get("overall")).with_class("total"),
        &report.overall,
        &config.targets.overall,
    ));
    let end = report.period.end.min(report.as_of);
    let mut notes = vec![t.fill(
        "rectification_basis",
        &[("as_of", &f.date(report.as_of)), ("end", &f.date(end))],
    )];
    if report.period.in_progress {
        notes.push(t.get("rectification_in_progress").to_owned());
    }
    NotedTable {
        table: Table {
            label: None,
            caption: Some(t.get("rectification_by_department").to_owned()),
            head: metric_head("department", &RECTIFICATION, t),
            rows,
        },
        notes,
    }
}

/// A table cell per metric, each rate with a target marked met or missed.
pub(super) fn marked_cells(
    data: &SiteData<'_>,
    metrics: &[Metric],
    m: &crate::metrics::Metrics,
    targets: &crate::config::TargetValues,
) -> Vec<Cell> {
    metric_cells(metrics, m, data.fmt)
        .into_iter()
        .zip(metrics)
        .map(|(cell, metric)| {
            cell.with_mark(cards::target_mark(metric, m, targets, data.t, data.fmt))
        })
        .collect()
}

/// Every site with its headline numbers; its name leads to its page in this report, the last
/// column to its history.
pub fn sites(data: &SiteData<'_>, report: &PeriodReport, root: &str) -> Option<Table> {
    if report.sites.is_empty() {
        return None;
    }
    let t = data.t;
    let id = &report.period.id;
    let sites = report.sites.list();
    let rows = (sites.iter())
        .map(|s| {
            let slug = &s.entity.slug;
            let name = s.entity.name.clone();
            let mut cells = vec![Cell::link(name, format!("{root}{}", urls::site(id, slug)))];
            let targets = data.project.config.targets.site(&s.entity.name);
            cells.extend(marked_cells(data, &SITES, &s.metrics, &targets));
            let history = format!("{root}{}", urls::site_history(slug));
            cells.push(Cell::link(t.get("site_history"), history));
            cells
        })
        .collect();
    let mut head = metric_head("sites", &SITES, t);
    head.push(t.get("site_history").to_owned());
    Some(Table {
        label: None,
        caption: Some(t.get("sites").to_owned()),
        head,
        rows,
    })
}

/// Sites × departments: each cell the complaints a department had at a site, with those
/// still open at the period's end. A 项目经理 reads this first: the counts say where the
/// work is and who is to chase it, while a 满意率 on a cell's few answers swings by many
/// points per answer. Only departments with a cell somewhere get a column; a blank cell means
/// no record.
///
/// A matrix wider than [`MAX_DEPARTMENTS_DRAWN`] columns is not drawn: nobody reads a
/// thousand columns, and a page of a million cells is tens of megabytes to render and to load.
pub fn matrix(data: &SiteData<'_>, report: &PeriodReport, root: &str) -> Option<Matrix> {
    let (t, f) = (data.t, data.fmt);
    // Columns are found by name, each cell placed once: with thousands of sites and
    // departments, asking every site about every department made this quadratic.
    let sites = report.sites.list();
    let with_cells: std::collections::HashSet<&str> = (sites.iter())
        .flat_map(|s| &s.by_department)
        .map(|c| c.department.as_str())
        .collect();
    let departments: Vec<&str> = (report.departments.names())
        .map(|d| d.name.as_str())
        .filter(|name| with_cells.contains(name))
        .collect();
    if departments.is_empty() {
        return None;
    }
    if departments.len() > MAX_DEPARTMENTS_DRAWN {
        return Some(Matrix::TooWide(departments.len()));
    }
    let column: std::collections::HashMap<&str, usize> = departments
        .iter()
        .enumerate()
        .map(|(i, &name)| (name, i + 1))
        .collect();
    let id = &report.period.id;
    let rows = (sites.iter())
        .map(|s| {
            let href = format!("{root}{}", urls::site(id, &s.entity.slug));
            let mut cells = vec![Cell::link(s.entity.name.clone(), href)];
            cells.resize_with(departments.len() + 1, || Cell::num(String::new()));
            for c in &s.by_department {
                let Some(&at) = column.get(c.department.as_str()) else {
                    continue;
                };
                cells[at] = Cell::num(match c.open_at_end {
                    0 => f.int(c.complaints),
                    open => t
                        .get("matrix_cell")
                        .replace("{complaints}", &f.int(c.complaints))
                        .replace("{open}", &f.int(open)),
                });
            }
            cells
        })
        .collect();
    let head = std::iter::once(t.get("sites"))
        .chain(departments.iter().copied())
        .map(str::to_owned)
        .collect();
    Some(Matrix::Table(Table {
        label: None,
        caption: Some(t.get("matrix_caption").to_owned()),
        head,
        rows,
    }))
}

/// The sites × departments matrix, or how many departments made it too wide to draw.
pub enum Matrix {
    Table(Table),
    TooWide(usize),
}

/// Visits by type and by channel, complaints by severity: three small tables.
pub fn mix(data: &SiteData<'_>, report: &PeriodReport) -> [Table; 3] {
    let (t, f) = (data.t, data.fmt);
    let m = &report.overall;
    let named = |key: &str, list: &[crate::metrics::values::Named]| Table {
        label: None,
        caption: Some(t.get(key).to_owned()),
        head: vec![t.get(key).to_owned(), t.get("count").to_owned()],
        rows: list
            .iter()
            .map(|n| vec![Cell::text(n.name.clone()), Cell::num(f.int(n.count))])
            .collect(),
    };
    let severity = Table {
        label: None,
        caption: Some(t.get("by_severity").to_owned()),
        head: vec![t.get("by_severity").to_owned(), t.get("count").to_owned()],
        rows: m
            .complaints
            .by_severity
            .iter()
            .map(|s| {
                let label = match s.key.as_ref() {
                    "unspecified" => t.get("unspecified").to_owned(),
                    key => t.get(&format!("severity_{key}")).to_owned(),
                };
                vec![Cell::text(label), Cell::num(f.int(s.count))]
            })
            .collect(),
    };
    [
        named("by_type", &m.visits.by_type),
        named("by_channel", &m.visits.by_channel),
        severity,
    ]
}
