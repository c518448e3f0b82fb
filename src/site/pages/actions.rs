//! The action list (待办清单) and the weekly table (投诉受理及完成情况) as pages show them: a
//! section of the report page and of each department page, and [`table`] for any other page
//! that shows one scope (a site's).

use super::SiteData;
use crate::metrics::actions::{ActionItem, ActionSet, FollowUp, ranks};
use crate::metrics::{EntityMetrics, PeriodReport, Scope};
use crate::period::PeriodKind;
use crate::site::i18n::DASH;
use crate::site::urls;
use crate::site::view::{Cell, Table};
use chrono::NaiveDate;
use serde::Serialize;

/// Rows of an action list shown on a page; the CSV holds them all.
pub const SHOWN: usize = 20;

/// The columns of an action list, by string key, on pages and in `actions.csv` alike
/// (`partials/actions.html` right-aligns the two day counts and marks the state of a 超时 row by
/// their places).
pub const COLUMNS: [&str; 12] = [
    "record_id",
    "date",
    "site",
    "department",
    "category",
    "severity",
    "deadline",
    "days_overdue",
    "days_open",
    "action_state",
    "status",
    "excerpt",
];

/// An action list section: the first [`SHOWN`] rows, what they are out of, and where the
/// rest is.
#[derive(Serialize)]
pub struct ActionsView {
    pub title: String,
    /// Which rows are listed and how days are counted.
    pub notes: Vec<String>,
    /// [`COLUMNS`] in the site's language.
    pub head: Vec<String>,
    /// Empty when nothing is to be done.
    pub rows: Vec<ActionRow>,
    pub csv_href: String,
    pub csv_label: String,
}

/// One listed complaint: its texts in [`COLUMNS`] order. Plain texts rather than table cells:
/// every report and department page carries up to [`SHOWN`] of them, and page contexts are
/// all held at once while the site is written.
#[derive(Serialize)]
pub struct ActionRow {
    pub cells: [String; 12],
    /// 超时未完成 (also said in the state column's text).
    pub long_open: bool,
}

/// One row's texts in [`COLUMNS`] order, dates written by `date`; and whether it is 超时未完成.
pub fn row_texts(
    actions: &ActionSet,
    data: &SiteData<'_>,
    item: &ActionItem<'_>,
    date: impl Fn(NaiveDate) -> String,
) -> [String; 12] {
    let t = data.t;
    let r = item.record;
    let name =
        |e: Option<&crate::metrics::Entity>| e.map_or_else(String::new, |e| e.name.to_string());
    let days_overdue = item
        .days_overdue
        .filter(|&d| d > 0)
        .map_or_else(String::new, |d| d.to_string());
    let mut state = t
        .get(if item.open {
            "action_open"
        } else {
            "action_closed_late"
        })
        .to_owned();
    if item.long_open {
        state = format!("{state} · {}", t.get("long_open_mark"));
    }
    [
        item.id.to_owned(),
        date(r.date),
        name(r.site.and_then(|s| actions.site(s))),
        name(actions.department(r.department)),
        actions.category(r.category).to_owned(),
        r.severity.map_or_else(String::new, |s| {
            t.get(&format!("severity_{}", s.key())).to_owned()
        }),
        r.deadline.map_or_else(String::new, &date),
        days_overdue,
        item.days_open.to_string(),
        state,
        actions.status(r.status).unwrap_or_default().to_owned(),
        item.excerpt.to_owned(),
    ]
}

/// The action list of `scope` in `report` as a section; `None` on pages built without complaint
/// records (earlier versions, archives). `root` leads from the page to the site's root.
pub fn table(
    data: &SiteData<'_>,
    report: &PeriodReport,
    scope: Scope,
    root: &str,
) -> Option<ActionsView> {
    let actions = data.actions?;
    let (t, f) = (data.t, data.fmt);
    let items = actions.items(&report.period, scope);
    let long_open = items.iter().filter(|i| i.long_open).count();
    let days = data.project.config.long_open_days.to_string();
    let reference = f.date(actions.reference_date(&report.period));
    let counted_to = if report.period.in_progress {
        "actions_days_to_as_of"
    } else {
        "actions_days_to_end"
    };
    let mut notes = vec![t.fill("actions_rule", &[("days", &days)])];
    let rows = if items.is_empty() {
        notes = vec![t.get("actions_none").to_owned()];
        Vec::new()
    } else {
        let count = [
            ("total", f.int(items.len() as u64)),
            ("long_open", f.int(long_open as u64)),
            ("shown", f.int(SHOWN.min(items.len()) as u64)),
        ];
        let count: Vec<(&str, &str)> = count.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let key = if items.len() > SHOWN {
            "actions_shown"
        } else {
            "actions_all"
        };
        notes.push(format!(
            "{} {}",
            t.fill(key, &count),
            t.fill(counted_to, &[("date", &reference)])
        ));
        items
            .iter()
            .take(SHOWN)
            .map(|item| ActionRow {
                cells: row_texts(actions, data, item, |d| f.date(d)),
                long_open: item.long_open,
            })
            .collect()
    };
    Some(ActionsView {
        title: t.get("actions_title").to_owned(),
        notes,
        head: COLUMNS.map(|k| t.get(k).to_owned()).to_vec(),
        rows,
        csv_href: format!("{root}{}", urls::report_actions_csv(&report.period.id)),
        csv_label: t.get("actions_csv").to_owned(),
    })
}

/// The weekly table's columns, by string key, after the name.
const FOLLOW_UP: [&str; 9] = [
    "follow_up_carried_over",
    "follow_up_new",
    "follow_up_due",
    "follow_up_completed",
    "follow_up_rate",
    "follow_up_rank",
    "follow_up_open",
    "follow_up_long_open",
    "follow_up_unresolvable",
];

/// A weekly report's table says 本周新增 and 本周应跟进, as the weekly tables of the seeds do;
/// the other periods keep the general 本期.
fn in_words_of(kind: PeriodKind, key: &'static str) -> &'static str {
    match (kind, key) {
        (PeriodKind::Week, "follow_up_new") => "follow_up_new_week",
        (PeriodKind::Week, "follow_up_due") => "follow_up_due_week",
        _ => key,
    }
}

/// The weekly table (投诉受理及完成情况) of `report`: one row per site (or per department, with
/// `by_site` false), ranked by 完成率, and the whole organisation last. `None` without
/// complaint records, or without sites when `by_site`.
pub fn follow_up(data: &SiteData<'_>, report: &PeriodReport, by_site: bool) -> Option<Table> {
    let actions = data.actions?;
    let (t, f) = (data.t, data.fmt);
    let (list, caption) = if by_site {
        (report.sites.list(), "follow_up_by_site")
    } else {
        (report.departments.list(), "follow_up_by_department")
    };
    if list.is_empty() {
        return None;
    }
    let scope = |e: &EntityMetrics| {
        if by_site {
            actions.site_scope(&e.entity.slug)
        } else {
            actions.department_scope(&e.entity.slug)
        }
    };
    let stock = actions.follow_ups(&report.period);
    let numbers: Vec<FollowUp> = list
        .iter()
        .map(|e| match scope(e) {
            Some(s) => stock.get(s, e.metrics.complaints.total),
            None => FollowUp::default(),
        })
        .collect();
    let rates: Vec<Option<f64>> = numbers.iter().map(FollowUp::completion_rate).collect();
    let cells = |n: &FollowUp, rank: Option<usize>| {
        [
            f.int(n.carried_over),
            f.int(n.new),
            f.int(n.due()),
            f.int(n.completed),
            f.percent(n.completion_rate()),
            rank.map_or_else(|| DASH.to_owned(), |r| r.to_string()),
            f.int(n.open_at_end),
            f.int(n.long_open),
            f.int(n.unresolvable),
        ]
        .map(Cell::num)
    };
    let mut rows: Vec<Vec<Cell>> = list
        .iter()
        .zip(&numbers)
        .zip(ranks(&rates))
        .map(|((e, n), rank)| {
            let mut row = vec![Cell::text(e.entity.name.clone())];
            row.extend(cells(n, rank));
            row
        })
        .collect();
    let overall = stock.get(Scope::Overall, report.overall.complaints.total);
    let mut total = vec![Cell::text(t.get("overall")).with_class("total")];
    total.extend(cells(&overall, None));
    rows.push(total);
    let first = if by_site { "site" } else { "department" };
    Some(Table {
        label: None,
        caption: Some(t.get(caption).to_owned()),
        head: std::iter::once(first)
            .chain(FOLLOW_UP.map(|k| in_words_of(report.period.kind, k)))
            .map(|k| t.get(k).to_owned())
            .collect(),
        rows,
    })
}

/// What the weekly table's columns mean, with the configured day limit and statuses.
pub fn follow_up_note(data: &SiteData<'_>) -> String {
    let config = &data.project.config;
    let statuses: Vec<String> = config
        .status
        .unresolvable
        .iter()
        .map(|s| crate::privacy::label(s).into_owned())
        .collect();
    let separator = match config.locale {
        crate::config::Locale::ZhCn => "、",
        crate::config::Locale::En => ", ",
    };
    data.t.fill(
        "follow_up_note",
        &[
            ("days", &config.long_open_days.to_string()),
            ("statuses", &statuses.join(separator)),
        ],
    )
}

/// The weekly tables and their note, for the report page.
#[derive(Serialize)]
pub struct FollowUpView {
    pub title: String,
    pub tables: Vec<Table>,
    pub note: String,
}

pub fn follow_up_view(data: &SiteData<'_>, report: &PeriodReport) -> Option<FollowUpView> {
    let tables: Vec<Table> = [true, false]
        .into_iter()
        .filter_map(|by_site| follow_up(data, report, by_site))
        .collect();
    (!tables.is_empty()).then(|| FollowUpView {
        title: data.t.get("follow_up").to_owned(),
        tables,
        note: follow_up_note(data),
    })
}

/// Puts the action list of `scope` (`actions`) and, for the whole organisation, the weekly
/// tables (`follow_up`) into a page's context, for `partials/actions.html`.
pub fn insert(
    c: &mut tera::Context,
    data: &SiteData<'_>,
    report: &PeriodReport,
    scope: Scope,
    root: &str,
) {
    c.insert("actions", &table(data, report, scope, root));
    if scope == Scope::Overall {
        c.insert("follow_up", &follow_up_view(data, report));
    }
}
