//! The follow-up coverage tables (回访率): each order type of one scope against its target,
//! the departments side by side, and the orders that still want a follow-up.

use super::SiteData;
use super::cards;
use crate::metrics::catalog;
use crate::metrics::coverage::{Counts, Coverage, PendingOrder, Standing};
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
    let departments = report.departments.list();
    let rows: Vec<Vec<Cell>> = (departments.iter())
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
    let rows = list
        .iter()
        .take(PENDING_SHOWN)
        .map(|o| {
            let texts = pending_texts(data, report, o, |d| f.date(d));
            let missed = o.standing == Standing::Missed;
            texts
                .into_iter()
                .enumerate()
                .map(|(i, text)| match i {
                    4 | 5 => Cell::num(text),
                    6 if missed => Cell::text(text).with_class("order-missed"),
                    6 => Cell::text(text).with_class("order-due"),
                    _ => Cell::text(text),
                })
                .collect()
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
            head: PENDING_COLUMNS.map(|k| t.get(k).to_owned()).to_vec(),
            rows,
        },
        notes,
    })
}

/// The columns of the orders owed a follow-up, on the pages and in `followups.csv`.
pub const PENDING_COLUMNS: [&str; 7] = [
    "order_id",
    "order_type",
    "department",
    "site",
    "completed_on",
    "followup_due_by",
    "coverage_standing",
];

/// One order owed a follow-up as text, in [`PENDING_COLUMNS`] order, dates by `date`.
pub fn pending_texts(
    data: &SiteData<'_>,
    report: &PeriodReport,
    o: &PendingOrder,
    date: impl Fn(chrono::NaiveDate) -> String,
) -> Vec<String> {
    let t = data.t;
    let days = (report.as_of - o.due_by).num_days();
    let standing = match o.standing {
        Standing::Missed => t.fill("coverage_missed_days", &[("n", &days.to_string())]),
        _ => t.fill("coverage_due_in", &[("n", &(-days).to_string())]),
    };
    let type_name = data.coverage.map_or("", |c| c.type_name(o));
    vec![
        o.id.clone(),
        type_name.to_owned(),
        o.department_name.clone(),
        o.site_name.clone().unwrap_or_default(),
        date(o.completed),
        date(o.due_by),
        standing,
    ]
}
