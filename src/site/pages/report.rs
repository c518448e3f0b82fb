//! One report (month, quarter or year): headline numbers, department ranking, charts,
//! rectification per department, sites, and the commentary from content/reports/<id>.md.

use super::cards;
use super::text::{metric_cells, metric_head};
use super::{Page, SiteData};
use crate::metrics::catalog::{self, Metric};
use crate::metrics::{EntityMetrics, PeriodReport, Scope};
use crate::period::PeriodKind;
use crate::site::content::ContentError;
use crate::site::figures::{Figures, TrendSeries};
use crate::site::i18n::DASH;
use crate::site::urls::{self, root_of};
use crate::site::view::{Cell, Link, NotedTable, Table};

/// Periods shown in a trend chart.
pub const TREND_PERIODS: usize = 12;

/// Version details shown on a report page.
#[derive(serde::Serialize)]
pub struct VersionView {
    pub number: u32,
    pub history_href: String,
    /// Set on pages of earlier versions: where the latest one is.
    pub latest_href: Option<String>,
}

/// The current report page, with its version.
pub fn page(data: &SiteData<'_>, report: &PeriodReport) -> Result<Page, ContentError> {
    let path = urls::report(&report.period.id);
    let root = root_of(&path);
    let version = data.history.latest(&report.period.id).map(|s| VersionView {
        number: s.version,
        history_href: format!("{root}{}", urls::versions(&report.period.id)),
        latest_href: None,
    });
    let mut page = page_at(data, report, path, version, true)?;
    super::actions::insert(&mut page.context, data, report, Scope::Overall, &root);
    if data.actions.is_some() {
        let href = format!("{root}{}", urls::report_actions_csv(&report.period.id));
        page.context.insert("actions_csv", &href);
    }
    Ok(page)
}

/// A report page at `path`: the current one, or an earlier version rendered from its snapshot
/// (without the commentary, which is written about the current numbers).
pub fn page_at(
    data: &SiteData<'_>,
    report: &PeriodReport,
    path: String,
    version: Option<VersionView>,
    with_commentary: bool,
) -> Result<Page, ContentError> {
    let (t, f) = (data.t, data.fmt);
    let title = data.period_label(report);
    let mut c = data.base_context(&path, &title);
    let root = root_of(&path);

    let doc = data
        .content
        .reports
        .get(&report.period.id)
        .filter(|_| with_commentary);
    let commentary = match doc {
        Some(doc) => Some(data.render_doc(doc, Some(report))?),
        None => None,
    };
    let commentary_title = doc
        .and_then(|d| d.front.title.clone())
        .unwrap_or_else(|| t.get("commentary").to_owned());
    let figures = Figures::new(t, f, &data.project.config.status);
    let history = Figures::trend_periods(
        report,
        data.of_kind(PeriodKind::Month),
        data.last_n(report, TREND_PERIODS),
    );
    let trend = figures.satisfaction_trend(
        "trend",
        &history,
        vec![TrendSeries::overall(t.get("overall"), &history)],
        data.project.config.targets.overall.satisfied_rate,
    );
    let figs: Vec<_> = [
        trend,
        figures.levels_by_department("levels", report),
        figures.pareto("pareto", &report.overall),
        figures.status_by_department("status", report),
        figures.days_to_close("days", &report.overall),
    ]
    .into_iter()
    .flatten()
    .collect();

    c.insert("period", &report.period);
    c.insert("version", &version);
    c.insert("data_as_of", &f.date(report.as_of));
    c.insert(
        "range",
        &format!(
            "{} – {}",
            f.date(report.period.start),
            f.date(report.period.end)
        ),
    );
    c.insert(
        "kind_label",
        t.get(&format!("kind_{}", report.period.kind.name())),
    );
    let targets = data.project.config.targets.overall;
    c.insert(
        "kpis",
        &super::cards::kpis(data, report, &report.overall, &targets),
    );
    c.insert("commentary", &commentary);
    c.insert("commentary_title", &commentary_title);
    c.insert("ranking", &ranking(data, report, &root));
    c.insert("rectification", &rectification(data, report, &root));
    c.insert("sites", &sites(data, report, &root));
    c.insert("matrix", &matrix(data, report, &root));
    c.insert("mix", &mix(data, report));
    c.insert("figures", &figs);
    c.insert("siblings", &siblings(data, report, &root));
    let surveys: Vec<Link> = data
        .surveys
        .iter()
        .filter(|s| s.belongs_to(&report.period))
        .map(|s| Link {
            href: format!("{root}{}", urls::survey(&s.slug)),
            label: s.name.clone(),
            current: false,
        })
        .collect();
    c.insert("surveys", &surveys);
    Ok(Page {
        path,
        template: "report.html",
        context: c,
    })
}

/// Departments by 满意率, highest first; those under the minimum sample follow unranked
/// (their rate is too uncertain to order), then those without ratings, each in report order.
fn ranking(data: &SiteData<'_>, report: &PeriodReport, root: &str) -> NotedTable {
    let (t, f) = (data.t, data.fmt);
    let config = &data.project.config;
    let mut ranked: Vec<_> = report.departments.iter().collect();
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
                Cell::num(change.map_or_else(String::new, |c| super::trend_view(c, f, t).text)),
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
            (report.departments.iter()).all(|d| {
                let own = config.targets.departments.get(&d.entity.name);
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
    if report
        .departments
        .iter()
        .any(|d| d.metrics.satisfaction.low_sample)
    {
        notes.push(t.fill(
            "ranking_low_sample",
            &[("min", &config.min_sample.to_string())],
        ));
    }
    NotedTable {
        table: Table {
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

fn rectification(data: &SiteData<'_>, report: &PeriodReport, root: &str) -> NotedTable {
    let (t, f) = (data.t, data.fmt);
    let config = &data.project.config;
    let row = |name: Cell, m: &crate::metrics::Metrics, targets: &crate::config::TargetValues| {
        let mut cells = vec![name];
        cells.extend(marked_cells(data, &RECTIFICATION, m, targets));
        cells
    };
    let mut rows: Vec<Vec<Cell>> = report
        .departments
        .iter()
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
            caption: Some(t.get("rectification_by_department").to_owned()),
            head: metric_head("department", &RECTIFICATION, t),
            rows,
        },
        notes,
    }
}

/// A table cell per metric, each rate with a target marked met or missed.
fn marked_cells(
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
fn sites(data: &SiteData<'_>, report: &PeriodReport, root: &str) -> Option<Table> {
    if report.sites.is_empty() {
        return None;
    }
    let t = data.t;
    let id = &report.period.id;
    let rows = report
        .sites
        .iter()
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
fn matrix(data: &SiteData<'_>, report: &PeriodReport, root: &str) -> Option<Table> {
    let (t, f) = (data.t, data.fmt);
    let departments: Vec<&str> = report
        .departments
        .iter()
        .map(|d| d.entity.name.as_str())
        .filter(|name| {
            let in_row = |s: &crate::metrics::EntityMetrics| {
                s.by_department.iter().any(|c| c.department == *name)
            };
            report.sites.iter().any(in_row)
        })
        .collect();
    if departments.is_empty() {
        return None;
    }
    let id = &report.period.id;
    let rows = report
        .sites
        .iter()
        .map(|s| {
            let href = format!("{root}{}", urls::site(id, &s.entity.slug));
            let mut cells = vec![Cell::link(s.entity.name.clone(), href)];
            for name in &departments {
                let cell = s.by_department.iter().find(|c| c.department == *name);
                cells.push(Cell::num(cell.map_or_else(String::new, |c| {
                    match c.open_at_end {
                        0 => f.int(c.complaints),
                        open => t
                            .get("matrix_cell")
                            .replace("{complaints}", &f.int(c.complaints))
                            .replace("{open}", &f.int(open)),
                    }
                })));
            }
            cells
        })
        .collect();
    let head = std::iter::once(t.get("sites"))
        .chain(departments.iter().copied())
        .map(str::to_owned)
        .collect();
    Some(Table {
        caption: Some(t.get("matrix_caption").to_owned()),
        head,
        rows,
    })
}

/// Visits by type and by channel, complaints by severity: three small tables.
fn mix(data: &SiteData<'_>, report: &PeriodReport) -> Vec<Table> {
    let (t, f) = (data.t, data.fmt);
    let m = &report.overall;
    let named = |key: &str, list: &[crate::metrics::values::Named]| Table {
        caption: Some(t.get(key).to_owned()),
        head: vec![t.get(key).to_owned(), t.get("count").to_owned()],
        rows: list
            .iter()
            .map(|n| vec![Cell::text(n.name.clone()), Cell::num(f.int(n.count))])
            .collect(),
    };
    let severity = Table {
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
    vec![
        named("by_type", &m.visits.by_type),
        named("by_channel", &m.visits.by_channel),
        severity,
    ]
}

/// The previous and next report of the same kind, and the reports containing this one.
fn siblings(data: &SiteData<'_>, report: &PeriodReport, root: &str) -> Vec<Link> {
    let list = data.of_kind(report.period.kind);
    let Some(i) = list.iter().position(|r| r.period.id == report.period.id) else {
        return Vec::new();
    };
    let link = |r: &PeriodReport, prefix: &str| Link {
        href: format!("{root}{}", urls::report(&r.period.id)),
        label: format!("{prefix}{}", data.fmt.period(&r.period.id)),
        current: false,
    };
    let mut links = Vec::new();
    if i > 0 {
        links.push(link(list[i - 1], "← "));
    }
    for kind in [
        crate::period::PeriodKind::Quarter,
        crate::period::PeriodKind::Year,
    ] {
        if kind > report.period.kind
            && let Some(parent) = data.of_kind(kind).iter().find(|r| {
                r.period.start <= report.period.start && report.period.end <= r.period.end
            })
        {
            links.push(link(parent, "↑ "));
        }
    }
    if let Some(next) = list.get(i + 1) {
        links.push(link(next, "→ "));
    }
    links
}
