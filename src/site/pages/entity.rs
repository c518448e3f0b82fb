//! What a department's page and a site's page share: where each kind lives and which list of
//! a report holds it, and the sections both pages show (the 满意率 trend beside the whole
//! organisation's, the charts, the rectification statuses, the latest comments).

use super::SiteData;
use super::report::TREND_PERIODS;
use crate::config::{EntityDef, TargetValues};
use crate::metrics::{EntityMetrics, Metrics, PeriodReport};
use crate::period::PeriodKind;
use crate::site::figures::{Figures, TrendSeries};
use crate::site::urls::{self, root_of};
use crate::site::view::{Cell, Figure, Link, Table};

pub use crate::metrics::EntityKind;

impl EntityKind {
    /// The page of one of this kind in report `id`.
    pub fn page(self, id: &str, slug: &str) -> String {
        match self {
            EntityKind::Department => urls::department(id, slug),
            EntityKind::Site => urls::site(id, slug),
        }
    }

    /// The page of one of this kind across every report.
    pub fn history(self, slug: &str) -> String {
        match self {
            EntityKind::Department => urls::department_history(slug),
            EntityKind::Site => urls::site_history(slug),
        }
    }

    /// The config's list of this kind, which gives the display order.
    pub fn configured<'a>(self, data: &SiteData<'a>) -> &'a [EntityDef] {
        let config = &data.project.config;
        match self {
            EntityKind::Department => &config.departments,
            EntityKind::Site => &config.sites,
        }
    }

    /// The targets of `name`, one of this kind.
    pub fn targets(self, data: &SiteData<'_>, name: &str) -> TargetValues {
        let targets = &data.project.config.targets;
        match self {
            EntityKind::Department => targets.department(name),
            EntityKind::Site => targets.site(name),
        }
    }

    /// The string key naming the whole kind (a breadcrumb, a table head).
    pub fn plural_key(self) -> &'static str {
        match self {
            EntityKind::Department => "departments",
            EntityKind::Site => "sites",
        }
    }

    /// The string key of the history page's title.
    pub fn history_key(self) -> &'static str {
        match self {
            EntityKind::Department => "department_history",
            EntityKind::Site => "site_history",
        }
    }
}

/// The path and context of `e`'s page in `report`, with the sections every department and
/// site page has: links to the report and to `e`'s history, the headline numbers, the charts,
/// the rectification statuses and the latest comments.
pub fn page_context(
    data: &SiteData<'_>,
    report: &PeriodReport,
    kind: EntityKind,
    e: &EntityMetrics,
) -> (String, tera::Context) {
    let path = kind.page(&report.period.id, &e.entity.slug);
    let root = root_of(&path);
    let title = format!("{} · {}", e.entity.name, data.period_label(report));
    let mut c = data.base_context(&path, &title);
    let m = &e.metrics;
    let links = vec![
        Link {
            href: format!("{root}{}", urls::report(&report.period.id)),
            label: data.period_label(report),
            current: false,
        },
        Link {
            href: format!("{root}{}", kind.history(&e.entity.slug)),
            label: format!("{} · {}", e.entity.name, data.t.get(kind.history_key())),
            current: false,
        },
    ];
    c.insert("period", &report.period);
    c.insert("data_as_of", &data.fmt.date(report.as_of));
    c.insert("range", &range(data, report));
    let targets = kind.targets(data, &e.entity.name);
    c.insert("kpis", &super::cards::kpis(data, report, m, &targets));
    c.insert("figures", &figures(data, report, kind, e));
    c.insert("status", &status_table(data, m));
    c.insert("comments", &comments_table(data, m));
    c.insert("links", &links);
    c.insert(
        "coverage",
        &super::coverage_tables::by_type(data, m, report),
    );
    let scope = data.actions.and_then(|a| match kind {
        EntityKind::Department => a.department_scope(&e.entity.slug),
        EntityKind::Site => a.site_scope(&e.entity.slug),
    });
    let pending = scope.and_then(|s| super::coverage_tables::pending(data, report, s));
    c.insert("coverage_pending", &pending);
    if let Some(scope) = scope {
        super::actions::insert(&mut c, data, report, scope, &root);
    }
    (path, c)
}

/// The trend of `e`'s 满意率 over the last periods beside the organisation's, then its
/// levels, complaint categories and days to close.
fn figures(
    data: &SiteData<'_>,
    report: &PeriodReport,
    kind: EntityKind,
    e: &EntityMetrics,
) -> Vec<Figure> {
    let t = data.t;
    let figures = Figures::new(t, data.fmt, &data.project.config.status);
    let history = Figures::trend_periods(
        report,
        data.of_kind(PeriodKind::Month),
        data.last_n(report, TREND_PERIODS),
    );
    let trend = figures.satisfaction_trend(
        "trend",
        &history,
        vec![
            TrendSeries::overall(t.get("overall_trend"), &history),
            TrendSeries::of(&e.entity.name, &history, |r| {
                data.satisfaction(kind, r, &e.entity)
                    .map(|s| TrendSeries::point(&s))
            }),
        ],
        kind.targets(data, &e.entity.name).satisfied_rate,
    );
    let m = &e.metrics;
    [
        trend,
        figures.levels("levels", m),
        figures.pareto("pareto", m),
        figures.days_to_close("days", m),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Complaints per rectification status.
fn status_table(data: &SiteData<'_>, m: &Metrics) -> Table {
    let (t, f) = (data.t, data.fmt);
    Table {
        label: None,
        caption: Some(t.get("rectification").to_owned()),
        head: vec![t.get("status").to_owned(), t.get("count").to_owned()],
        rows: m
            .rectification
            .by_status
            .iter()
            .filter(|s| s.count > 0 || s.status.is_some())
            .map(|s| {
                let label = (s.status.as_deref())
                    .unwrap_or_else(|| t.get("unspecified"))
                    .to_owned();
                vec![Cell::text(label), Cell::num(f.int(s.count))]
            })
            .collect(),
    }
}

/// The latest complaint comments (masked when computed), or `None` when there are none.
fn comments_table(data: &SiteData<'_>, m: &Metrics) -> Option<Table> {
    let (t, f) = (data.t, data.fmt);
    let comments = Table {
        label: None,
        caption: Some(t.get("recent_comments").to_owned()),
        head: vec![
            t.get("date").to_owned(),
            t.get("category").to_owned(),
            t.get("comment").to_owned(),
        ],
        rows: m
            .complaints
            .recent_comments
            .iter()
            .map(|c| {
                vec![
                    Cell::text(f.date(c.date)),
                    Cell::text(c.category.clone()),
                    Cell::text(c.text.clone()),
                ]
            })
            .collect(),
    };
    (!comments.rows.is_empty()).then_some(comments)
}

/// The report's dates, `start – end`.
pub fn range(data: &SiteData<'_>, report: &PeriodReport) -> String {
    let f = data.fmt;
    format!(
        "{} – {}",
        f.date(report.period.start),
        f.date(report.period.end)
    )
}
