//! One page per department and per site across every period: its monthly 满意率 beside the
//! whole organisation's, and tables of every month, quarter and year.

use super::entity::EntityKind;
use super::text::{metric_cells, metric_head};
use super::{Page, SiteData};
use crate::metrics::Entity;
use crate::metrics::catalog::{self, Metric};
use crate::period::PeriodKind;
use crate::site::figures::{Figures, TrendSeries};
use crate::site::urls::root_of;
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

/// Every department that appears in any report, in display order.
pub fn departments(data: &SiteData<'_>) -> Vec<Entity> {
    entities(data, EntityKind::Department)
}

/// Every department or site that appears in any report, with the slug of the latest report
/// listing it, in the configured order, then by name.
pub fn entities(data: &SiteData<'_>, kind: EntityKind) -> Vec<Entity> {
    let mut seen = std::collections::BTreeSet::new();
    let mut list = Vec::new();
    for period in [
        PeriodKind::Year,
        PeriodKind::Quarter,
        PeriodKind::Month,
        PeriodKind::Week,
    ] {
        for r in data.of_kind(period).iter().rev() {
            for e in r.entities(kind).names() {
                if seen.insert(e.slug.clone()) {
                    list.push(e.clone());
                }
            }
        }
    }
    let order: std::collections::HashMap<&str, usize> = kind
        .configured(data)
        .iter()
        .enumerate()
        .map(|(i, d)| (d.name.as_str(), i))
        .collect();
    let rank = |name: &str| order.get(name).copied().unwrap_or(usize::MAX);
    list.sort_by(|a, b| (rank(&a.name), &a.name).cmp(&(rank(&b.name), &b.name)));
    list
}

/// The history page of one department or site.
pub fn page(data: &SiteData<'_>, kind: EntityKind, entity: &Entity) -> Page {
    let path = kind.history(&entity.slug);
    let root = root_of(&path);
    let (t, f) = (data.t, data.fmt);
    let title = format!("{} · {}", entity.name, t.get(kind.history_key()));
    let mut c = data.base_context(&path, &title);

    let months = data.of_kind(PeriodKind::Month);
    let figures = Figures::new(t, f, &data.project.config.status);
    let trend = figures.satisfaction_trend(
        "trend",
        months,
        vec![
            TrendSeries::overall(t.get("overall_trend"), months),
            TrendSeries::of(&entity.name, months, |r| {
                data.satisfaction(kind, r, entity)
                    .map(|s| TrendSeries::point(&s))
            }),
        ],
        kind.targets(data, &entity.name).satisfied_rate,
    );
    let table = |period: PeriodKind, key: &str| {
        let rows = data
            .of_kind(period)
            .iter()
            .rev()
            .filter_map(|r| {
                let m = &data.headline(kind, r, entity)?;
                let mut cells = vec![Cell::link(
                    data.period_label(r),
                    format!("{root}{}", kind.page(&r.period.id, &entity.slug)),
                )];
                cells.extend(metric_cells(&COLUMNS, m, f));
                Some(cells)
            })
            .collect();
        Table {
            label: None,
            caption: Some(t.get(key).to_owned()),
            head: metric_head("period", &COLUMNS, t),
            rows,
        }
    };
    let mut tables = vec![
        table(PeriodKind::Year, "years"),
        table(PeriodKind::Quarter, "quarters"),
        table(PeriodKind::Month, "months"),
    ];
    if !data.of_kind(PeriodKind::Week).is_empty() {
        tables.push(table(PeriodKind::Week, "weeks"));
    }
    c.insert("section", t.get(kind.plural_key()));
    c.insert("entity", entity);
    c.insert("figures", &trend.into_iter().collect::<Vec<_>>());
    c.insert("tables", &tables);
    Page {
        path,
        template: "history.html",
        context: c,
    }
}
