//! One department in one report.

use super::report::TREND_PERIODS;
use super::{Page, SiteData};
use crate::metrics::{EntityMetrics, PeriodReport};
use crate::site::figures::Figures;
use crate::site::urls::{self, root_of};
use crate::site::view::{Cell, Link, Table};

pub fn page(data: &SiteData<'_>, report: &PeriodReport, dept: &EntityMetrics) -> Page {
    let path = urls::department(&report.period.id, &dept.entity.slug);
    let root = root_of(&path);
    let (t, f) = (data.t, data.fmt);
    let title = format!("{} · {}", dept.entity.name, data.period_label(report));
    let mut c = data.base_context(&path, &title);
    let m = &dept.metrics;

    let figures = Figures { t, f };
    let history = data.last_n(report, TREND_PERIODS);
    let rate_of = |r: &PeriodReport| {
        r.departments
            .iter()
            .find(|d| d.entity.slug == dept.entity.slug)
            .and_then(|d| d.metrics.satisfaction.satisfied_rate)
    };
    let trend = figures.satisfaction_trend(
        "trend",
        &history,
        vec![
            (
                dept.entity.name.clone(),
                history.iter().map(|r| rate_of(r)).collect(),
            ),
            Figures::overall_series(t.get("overall_trend"), &history),
        ],
    );
    let figs: Vec<_> = [
        trend,
        figures.levels("levels", m),
        figures.pareto("pareto", m),
        figures.days_to_close("days", m),
    ]
    .into_iter()
    .flatten()
    .collect();
    let status = Table {
        caption: Some(t.get("rectification").to_owned()),
        head: vec![t.get("status").to_owned(), t.get("count").to_owned()],
        rows: m
            .rectification
            .by_status
            .iter()
            .filter(|s| s.count > 0 || s.status.is_some())
            .map(|s| {
                let label = s
                    .status
                    .clone()
                    .unwrap_or_else(|| t.get("unspecified").to_owned());
                vec![Cell::text(label), Cell::num(f.int(s.count))]
            })
            .collect(),
    };
    let links = vec![
        Link {
            href: format!("{root}{}", urls::report(&report.period.id)),
            label: data.period_label(report),
            current: false,
        },
        Link {
            href: format!("{root}{}", urls::department_history(&dept.entity.slug)),
            label: format!("{} · {}", dept.entity.name, t.get("department_history")),
            current: false,
        },
    ];
    c.insert("period", &report.period);
    c.insert(
        "range",
        &format!(
            "{} – {}",
            f.date(report.period.start),
            f.date(report.period.end)
        ),
    );
    c.insert("department", &dept.entity);
    c.insert("kpis", &data.kpis(m));
    c.insert("figures", &figs);
    c.insert("status", &status);
    let comments = Table {
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
    c.insert("comments", &(!comments.rows.is_empty()).then_some(comments));
    c.insert("links", &links);
    if let Some(scope) = data
        .actions
        .and_then(|a| a.department_scope(&dept.entity.slug))
    {
        super::actions::insert(&mut c, data, report, scope, &root);
    }
    Page {
        path,
        template: "department.html",
        context: c,
    }
}
