//! One report (month, quarter or year): headline numbers, department ranking, charts,
//! rectification per department, sites, and the commentary from content/reports/<id>.md.

use super::text::{metric_cells, metric_head};
use super::{Page, SiteData};
use crate::metrics::catalog::{self, Metric};
use crate::metrics::{PeriodReport, Scope};
use crate::site::content::ContentError;
use crate::site::figures::Figures;
use crate::site::urls::{self, root_of};
use crate::site::view::{Cell, Link, Table};

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
    let figures = Figures { t, f };
    let history = data.last_n(report, TREND_PERIODS);
    let trend = figures.satisfaction_trend(
        "trend",
        &history,
        vec![Figures::overall_series(t.get("overall"), &history)],
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
    c.insert("kpis", &data.kpis(&report.overall));
    c.insert("commentary", &commentary);
    c.insert("commentary_title", &commentary_title);
    c.insert("ranking", &ranking(data, report, &root));
    c.insert("rectification", &rectification(data, report, &root));
    c.insert("sites", &sites(data, report));
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

/// Departments by 满意率, highest first; departments without ratings last, by name order.
fn ranking(data: &SiteData<'_>, report: &PeriodReport, root: &str) -> Table {
    let (t, f) = (data.t, data.fmt);
    let mut depts: Vec<_> = report.departments.iter().collect();
    depts.sort_by(|a, b| {
        let (x, y) = (
            a.metrics.satisfaction.satisfied_rate,
            b.metrics.satisfaction.satisfied_rate,
        );
        // Option orders None first, so descending order puts departments without ratings last.
        y.partial_cmp(&x).unwrap_or(std::cmp::Ordering::Equal)
    });
    let rows = depts
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let s = &d.metrics.satisfaction;
            let ci = s.satisfied_rate_ci95.map_or_else(String::new, |[lo, hi]| {
                format!("{}–{}", f.percent(Some(lo)), f.percent(Some(hi)))
            });
            let mut rate = Cell::num(f.percent(s.satisfied_rate));
            if s.low_sample {
                rate = rate.with_class("low-sample");
            }
            let change = d.metrics.trend.satisfied_rate.change;
            vec![
                Cell::num((i + 1).to_string()),
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
    Table {
        caption: Some(t.get("department_ranking").to_owned()),
        head: [
            "rank",
            "department",
            "responses",
            "satisfied_rate",
            "ci95",
            "mean_score",
            "vs_previous",
        ]
        .map(|k| t.get(k).to_owned())
        .to_vec(),
        rows,
    }
}

/// The rectification table's columns.
const RECTIFICATION: [Metric; 7] = [
    catalog::COMPLAINTS,
    catalog::CLOSED,
    catalog::CLOSURE_RATE,
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

fn rectification(data: &SiteData<'_>, report: &PeriodReport, root: &str) -> Table {
    let (t, f) = (data.t, data.fmt);
    let row = |name: Cell, m: &crate::metrics::Metrics| {
        let mut cells = vec![name];
        cells.extend(metric_cells(&RECTIFICATION, m, f));
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
            )
        })
        .collect();
    rows.push(row(
        Cell::text(t.get("overall")).with_class("total"),
        &report.overall,
    ));
    Table {
        caption: Some(t.get("rectification_by_department").to_owned()),
        head: metric_head("department", &RECTIFICATION, t),
        rows,
    }
}

fn sites(data: &SiteData<'_>, report: &PeriodReport) -> Option<Table> {
    if report.sites.is_empty() {
        return None;
    }
    let (t, f) = (data.t, data.fmt);
    let rows = report
        .sites
        .iter()
        .map(|s| {
            let mut cells = vec![Cell::text(s.entity.name.clone())];
            cells.extend(metric_cells(&SITES, &s.metrics, f));
            cells
        })
        .collect();
    Some(Table {
        caption: Some(t.get("sites").to_owned()),
        head: metric_head("sites", &SITES, t),
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
