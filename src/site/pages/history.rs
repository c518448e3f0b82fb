//! One page per department across every period: its monthly 满意率 beside the whole
//! organisation's, and tables of every month, quarter and year.

use super::text::{metric_cells, metric_head};
use super::{Page, SiteData};
use crate::metrics::catalog::{self, Metric};
use crate::metrics::{Entity, EntityMetrics, PeriodReport};
use crate::period::PeriodKind;
use crate::site::figures::{Figures, TrendSeries};
use crate::site::urls::{self, root_of};
use crate::site::view::{Cell, Table};

/// The columns of the per-period tables.
const COLUMNS: [Metric; 7] = [
    catalog::VISITS,
    catalog::SATISFIED_RATE,
    catalog::RESPONSES,
    catalog::COMPLAINTS,
    catalog::CLOSURE_RATE,
    catalog::OVERDUE,
    catalog::OPEN_AT_END,
];

/// Every department that appears in any report, in the order of the latest report listing it.
pub fn departments(data: &SiteData<'_>) -> Vec<Entity> {
    let mut seen = std::collections::BTreeSet::new();
    let mut list = Vec::new();
    for kind in [PeriodKind::Year, PeriodKind::Quarter, PeriodKind::Month] {
        for r in data.of_kind(kind).iter().rev() {
            for d in &r.departments {
                if seen.insert(d.entity.slug.clone()) {
                    list.push(d.entity.clone());
                }
            }
        }
    }
    let order: Vec<&str> = data
        .project
        .config
        .departments
        .iter()
        .map(|d| d.name.as_str())
        .collect();
    let rank = |name: &str| order.iter().position(|n| *n == name).unwrap_or(usize::MAX);
    list.sort_by(|a, b| (rank(&a.name), &a.name).cmp(&(rank(&b.name), &b.name)));
    list
}

pub fn pages(data: &SiteData<'_>) -> Vec<Page> {
    departments(data).iter().map(|d| page(data, d)).collect()
}

fn page(data: &SiteData<'_>, dept: &Entity) -> Page {
    let path = urls::department_history(&dept.slug);
    let root = root_of(&path);
    let (t, f) = (data.t, data.fmt);
    let title = format!("{} · {}", dept.name, t.get("department_history"));
    let mut c = data.base_context(&path, &title);

    let months = data.of_kind(PeriodKind::Month);
    let figures = Figures::new(t, f, &data.project.config.status);
    let trend = figures.satisfaction_trend(
        "trend",
        months,
        vec![
            TrendSeries::overall(t.get("overall_trend"), months),
            TrendSeries::department(&dept.name, months, &dept.slug),
        ],
        data.project
            .config
            .targets
            .department(&dept.name)
            .satisfied_rate,
    );
    let table = |kind: PeriodKind, key: &str| {
        let rows = data
            .of_kind(kind)
            .iter()
            .rev()
            .filter_map(|r| {
                let m = &find_in(r, &dept.slug)?.metrics;
                let mut cells = vec![Cell::link(
                    data.period_label(r),
                    format!("{root}{}", urls::department(&r.period.id, &dept.slug)),
                )];
                cells.extend(metric_cells(&COLUMNS, m, f));
                Some(cells)
            })
            .collect();
        Table {
            caption: Some(t.get(key).to_owned()),
            head: metric_head("period", &COLUMNS, t),
            rows,
        }
    };
    let tables = vec![
        table(PeriodKind::Year, "years"),
        table(PeriodKind::Quarter, "quarters"),
        table(PeriodKind::Month, "months"),
    ];
    c.insert("department", dept);
    c.insert("figures", &trend.into_iter().collect::<Vec<_>>());
    c.insert("tables", &tables);
    Page {
        path,
        template: "history.html",
        context: c,
    }
}

fn find_in<'r>(report: &'r PeriodReport, slug: &str) -> Option<&'r EntityMetrics> {
    report.departments.iter().find(|d| d.entity.slug == slug)
}
