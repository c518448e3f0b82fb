//! Household coverage (走访覆盖率) on the pages: a table per site in a report's departments
//! and sites part, and a site's own numbers on its page. Only counts are shown; household keys
//! never reach the site.

use super::SiteData;
use super::report_tables::marked_cells;
use super::text::metric_head;
use crate::config::TargetValues;
use crate::metrics::catalog::{self, Metric};
use crate::metrics::{EntityMetrics, Metrics, PeriodReport};
use crate::period::PeriodKind;
use crate::site::urls;
use crate::site::view::{Cell, NotedTable, Table};

/// The columns of a report's kind: seed 000's cycle is once a quarter and twice a year, so a
/// month shows how many households were visited, a quarter its coverage, a year both rates.
fn columns(kind: PeriodKind) -> &'static [Metric] {
    match kind {
        PeriodKind::Year => &[
            catalog::HOUSEHOLDS_VISITED,
            catalog::HOUSEHOLDS_TOTAL,
            catalog::HOUSEHOLD_COVERAGE,
            catalog::HOUSEHOLDS_VISITED_TWICE,
            catalog::HOUSEHOLD_TWICE_RATE,
        ],
        PeriodKind::Quarter => &[
            catalog::HOUSEHOLDS_VISITED,
            catalog::HOUSEHOLDS_TOTAL,
            catalog::HOUSEHOLD_COVERAGE,
        ],
        _ => &[catalog::HOUSEHOLDS_VISITED],
    }
}

/// Every site with household numbers, then the organisation; `None` when the report has none.
pub fn report_table(data: &SiteData<'_>, report: &PeriodReport, root: &str) -> Option<NotedTable> {
    report.overall.households.as_ref()?;
    let (t, config) = (data.t, &data.project.config);
    let columns = columns(report.period.kind);
    let row = |name: Cell, m: &Metrics, targets: &TargetValues| {
        let mut cells = vec![name];
        cells.extend(marked_cells(data, columns, m, targets));
        cells
    };
    let with_households = |s: &&EntityMetrics| s.metrics.households.is_some();
    let sites = report.sites.list();
    let mut rows: Vec<Vec<Cell>> = (sites.iter().filter(with_households))
        .map(|s| {
            let href = format!("{root}{}", urls::site(&report.period.id, &s.entity.slug));
            let name = Cell::link(s.entity.name.clone(), href);
            row(name, &s.metrics, &config.targets.site(&s.entity.name))
        })
        .collect();
    rows.push(row(
        Cell::text(t.get("overall")).with_class("total"),
        &report.overall,
        &config.targets.overall,
    ));
    let mut notes = vec![t.get("households_rule").to_owned()];
    notes.push(
        t.get(match report.period.kind {
            PeriodKind::Year | PeriodKind::Quarter => "households_overall",
            PeriodKind::Month => "households_month",
            PeriodKind::Week => "households_week",
        })
        .to_owned(),
    );
    Some(NotedTable {
        table: Table {
            label: None,
            caption: Some(t.get("households_caption").to_owned()),
            head: metric_head("sites", columns, t),
            rows,
        },
        notes,
    })
}

/// One site's household numbers on its page, one row per number.
pub fn site_table(
    data: &SiteData<'_>,
    report: &PeriodReport,
    site: &EntityMetrics,
) -> Option<Table> {
    site.metrics.households.as_ref()?;
    let t = data.t;
    let columns = columns(report.period.kind);
    let targets = data.project.config.targets.site(&site.entity.name);
    let cells = marked_cells(data, columns, &site.metrics, &targets);
    let rows = columns
        .iter()
        .zip(cells)
        .map(|(metric, cell)| vec![Cell::text(t.get(metric.name)), cell])
        .collect();
    Some(Table {
        label: None,
        caption: Some(t.get("households_caption").to_owned()),
        head: vec![
            t.get("households_metric").to_owned(),
            t.get("households_value").to_owned(),
        ],
        rows,
    })
}
