//! The follow-up coverage tables (回访率): each order type of one scope against its target,
//! the departments side by side, and the orders that still want a follow-up.

use super::SiteData;
use super::cards;
use crate::metrics::catalog;
use crate::metrics::coverage::{Counts, Coverage, Standing};
use crate::metrics::{Metrics, PeriodReport, Scope};
use crate::site::i18n::{DASH, Format, Strings};
use crate::site::urls;
use crate::site::view::{Cell, NotedTable, Table};

/// Orders listed in a report's table of orders wanting a follow-up; the rest are counted.
pub const PENDING_SHOWN: usize = 30;

/// The rate cells of a row: 回访率 (marked against `target`) and 回访及时率.
fn rate_cells(c: &Counts, target: Option<f64>, t: &Strings, f: Format) -> [Cell; 2] {
    let rate = c.followup_rate();
    let mark = rate
        .zip(target)
        .map(|(r, target)| cards::mark(&catalog::FOLLOWUP_RATE, r, target, t, f));
    [
        Cell::num(f.percent(rate)).with_mark(mark),
        Cell::num(f.percent(c.followup_on_time_rate())),
    ]
}

fn count_cells(c: &Counts, f: Format) -> [Cell; 4] {
    [c.completed, c.followed, c.not_yet_due, c.missed].map(|n| Cell::num(f.int(n)))
}

/// How the table's numbers are counted, under it.
fn notes(t: &Strings, f: Format, as_of: chrono::NaiveDate) -> Vec<String> {
    vec![
        t.fill("coverage_note", &[("as_of", &f.date(as_of))]),
        t.get("coverage_on_time_note").to_owned(),
    ]
}

/// One row per order type with orders completed in the period, then the total.
pub fn by_type(data: &SiteData<'_>, m: &Metrics, report: &PeriodReport) -> Option<NotedTable> {
    let (t, f) = (data.t, data.fmt);
    let coverage: &Coverage = m.coverage.as_ref()?;
    let mut rows: Vec<Vec<Cell>> = coverage
        .by_type
        .iter()
        .map(|ty| {
            let [first, last] = ty.window;
            let window = t.fill(
                "coverage_window_days",
                &[("first", &first.to_string()), ("last", &last.to_string())],
            );
            let target = ty
                .target
                .map_or_else(|| DASH.to_owned(), |x| f.percent(Some(x)));
            let mut row = vec![Cell::text(ty.name.clone())];
            row.extend(count_cells(&ty.counts, f));
            row.push(Cell::num(target));
            let [rate, on_time] = rate_cells(&ty.counts, ty.target, t, f);
            row.extend([rate, Cell::num(window), on_time]);
            row
        })
        .collect();
    if coverage.by_type.len() > 1 {
        let mut total = vec![Cell::text(t.get("overall"))];
        total.extend(count_cells(&coverage.counts, f));
        let [rate, on_time] = rate_cells(&coverage.counts, None, t, f);
        total.extend([Cell::num(DASH), rate, Cell::num(DASH), on_time]);
        rows.push(total.into_iter().map(|c| c.with_class("total")).collect());
    }
    Some(NotedTable {
        table: Table {
            label: None,
            caption: Some(t.get("coverage_by_type").to_owned()),
            head: [
                "order_type",
                "orders_completed",
                "followed_up",
                "followup_not_yet_due",
                "followup_missed",
                "target",
                "followup_rate",
                "coverage_window",
                "followup_on_time_rate",
            ]
            .map(|k| t.get(k).to_owned())
            .to_vec(),
            rows,
        },
        notes: notes(t, f, report.as_of),
    })
}

/// The departments' coverage side by side; none when no department has orders.
pub fn by_department(data: &SiteData<'_>, report: &PeriodReport, root: &str) -> Option<Table> {
    let (t, f) = (data.t, data.fmt);
    let rows: Vec<Vec<Cell>> = report
        .departments
        .iter()
        .filter_map(|d| Some((d, d.metrics.coverage.as_ref()?)))
        .map(|(d, c)| {
            let href = format!(
                "{root}{}",
                urls::department(&report.period.id, &d.entity.slug)
            );
            let mut row = vec![Cell::link(d.entity.name.clone(), href)];
            row.extend(count_cells(&c.counts, f));
            let [rate, on_time] = rate_cells(&c.counts, None, t, f);
            let met = match c.met() {
                Some(true) => t.get("coverage_all_met").to_owned(),
                Some(false) => missed_types(c),
                None => DASH.to_owned(),
            };
            row.extend([rate, on_time, Cell::text(met)]);
            row
        })
        .collect();
    if rows.is_empty() {
        return None;
    }
    Some(Table {
        label: None,
        caption: Some(t.get("coverage_by_department").to_owned()),
        head: [
            "department",
            "orders_completed",
            "followed_up",
            "followup_not_yet_due",
            "followup_missed",
            "followup_rate",
            "followup_on_time_rate",
            "coverage_below_target",
        ]
        .map(|k| t.get(k).to_owned())
        .to_vec(),
        rows,
    })
}

/// The order types of `c` that miss their target, as "维修 ✗".
fn missed_types(c: &Coverage) -> String {
    let names: Vec<String> = c
        .by_type
        .iter()
        .filter(|ty| ty.met == Some(false))
        .map(|ty| format!("{} ✗", ty.name))
        .collect();
    names.join("、")
}

/// The orders of `scope` completed in the report's period that still want a follow-up: the
/// missed ones (longest past their window first), then those not yet due. Only in a build,
/// which has the orders; none from snapshots.
pub fn pending(data: &SiteData<'_>, report: &PeriodReport, scope: Scope) -> Option<NotedTable> {
    let (t, f) = (data.t, data.fmt);
    let coverage = data.coverage?;
    let list = coverage.pending(report.period.start, report.period.end, scope);
    if list.is_empty() {
        return None;
    }
    let as_of = report.as_of;
    let rows = list
        .iter()
        .take(PENDING_SHOWN)
        .map(|o| {
            let days = (as_of - o.due_by).num_days();
            let standing = match o.standing {
                Standing::Missed => t.fill("coverage_missed_days", &[("n", &days.to_string())]),
                _ => t.fill("coverage_due_in", &[("n", &(-days).to_string())]),
            };
            let class = (o.standing == Standing::Missed).then_some("rejected");
            let standing = match class {
                Some(c) => Cell::text(standing).with_class(c),
                None => Cell::text(standing),
            };
            vec![
                Cell::text(o.id.clone()),
                Cell::text(coverage.type_name(o)),
                Cell::text(o.department_name.clone()),
                Cell::text(o.site_name.clone().unwrap_or_default()),
                Cell::num(f.date(o.completed)),
                Cell::num(f.date(o.due_by)),
                standing,
            ]
        })
        .collect();
    let mut notes = Vec::new();
    if list.len() > PENDING_SHOWN {
        let more = (list.len() - PENDING_SHOWN) as u64;
        notes.push(t.with_n("coverage_more", more));
    }
    Some(NotedTable {
        table: Table {
            label: None,
            caption: Some(t.get("coverage_pending").to_owned()),
            head: [
                "order_id",
                "order_type",
                "department",
                "site",
                "completed_on",
                "followup_due_by",
                "coverage_standing",
            ]
            .map(|k| t.get(k).to_owned())
            .to_vec(),
            rows,
        },
        notes,
    })
}
