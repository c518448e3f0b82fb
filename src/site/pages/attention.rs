//! The home page's "需要关注" block: in the latest finished month, which departments and sites
//! miss a target (order types below their 回访率 target included), and which rates fell
//! clearly since the month before — what a manager raises at the weekly meeting.

use super::SiteData;
use super::cards::{change_of, target_mark};
use super::text::written;
use crate::config::TargetValues;
use crate::metrics::catalog::{self, Metric};
use crate::metrics::{EntityList, PeriodReport};
use crate::period::PeriodKind;
use crate::site::urls;
use crate::site::view::Link;
use serde::Serialize;

/// The rates with targets, in card order.
const TARGETED: [Metric; 4] = [
    catalog::CONTACT_RATE,
    catalog::SATISFIED_RATE,
    catalog::CLOSURE_RATE,
    catalog::ON_TIME_RATE,
];

/// A fall of at least this many points (as a share) is listed; smaller moves are the noise of
/// a month's sample.
const CLEAR_FALL: f64 = 0.05;

/// At most this many departments or sites per list; the report has the rest.
const SHOWN: usize = 8;

#[derive(Serialize)]
pub struct Attention {
    /// The report the block reads.
    pub report: Link,
    pub missed: Vec<String>,
    pub more_missed: Option<String>,
    pub fell: Vec<String>,
    pub more_fell: Option<String>,
    /// The complaints open longest as of the data date, oldest first.
    pub oldest_heading: Option<String>,
    pub oldest: Vec<String>,
}

/// Who a line is about: the whole organisation, a department or a site, with its targets.
struct Subject<'r> {
    name: String,
    metrics: &'r crate::metrics::Metrics,
    targets: TargetValues,
}

fn subjects<'r>(
    data: &SiteData<'_>,
    report: &'r PeriodReport,
    [departments, sites]: &'r [EntityList; 2],
) -> Vec<Subject<'r>> {
    let targets = &data.project.config.targets;
    let overall = Subject {
        name: data.t.get("overall").to_owned(),
        metrics: &report.overall,
        targets: targets.overall,
    };
    let departments = departments.iter().map(|d| Subject {
        name: d.entity.name.to_string(),
        metrics: &d.metrics,
        targets: targets.department(&d.entity.name),
    });
    let sites = sites.iter().map(|s| Subject {
        name: s.entity.name.to_string(),
        metrics: &s.metrics,
        targets: targets.site(&s.entity.name),
    });
    std::iter::once(overall)
        .chain(departments)
        .chain(sites)
        .collect()
}

/// Whether a subject's satisfaction numbers are too few to act on.
fn is_low_sample(metric: &Metric, s: &Subject<'_>) -> bool {
    metric.name == "satisfied_rate" && s.metrics.satisfaction.low_sample
}

/// The latest month whose data is complete, else the latest month.
fn latest_month<'a>(data: &SiteData<'a>) -> Option<&'a PeriodReport> {
    let months = data.of_kind(PeriodKind::Month);
    let finished = months.iter().rev().find(|r| !r.period.in_progress);
    finished.or(months.last()).copied()
}

fn capped(mut lines: Vec<String>, data: &SiteData<'_>) -> (Vec<String>, Option<String>) {
    let more = lines.len().saturating_sub(SHOWN);
    lines.truncate(SHOWN);
    let more = (more > 0).then(|| data.t.with_n("attention_more", more as u64));
    (lines, more)
}

pub fn block(data: &SiteData<'_>) -> Option<Attention> {
    let report = latest_month(data)?;
    let (t, f) = (data.t, data.fmt);
    let lists = [report.departments.list(), report.sites.list()];
    let subjects = subjects(data, report, &lists);
    let mut missed = Vec::new();
    let mut fell = Vec::new();
    let sep = t.get("clause_separator");
    for s in &subjects {
        let mut missed_here = Vec::new();
        let mut fell_here = Vec::new();
        for metric in &TARGETED {
            if is_low_sample(metric, s) {
                continue;
            }
            let value = written(metric, &metric.value(s.metrics), f);
            let (name, value) = (t.get(metric.name), value.as_str());
            if let Some(mark) = target_mark(metric, s.metrics, &s.targets, t, f)
                && !mark.met
            {
                let target = mark.text.as_str();
                let item = [("metric", name), ("value", value), ("target", target)];
                missed_here.push(t.fill("attention_missed", &item));
            }
            let change = change_of(metric, s.metrics).and_then(|c| c.change);
            if let Some(change) = change.filter(|c| *c <= -CLEAR_FALL) {
                let points = f.points(change);
                let item = [("metric", name), ("value", value), ("points", &points)];
                fell_here.push(t.fill("attention_fell", &item));
            }
        }
        // Each order type's 回访率 against its own target (`[coverage]`).
        let types = s.metrics.coverage.iter().flat_map(|c| &c.by_type);
        for ty in types.filter(|ty| ty.met == Some(false)) {
            let name = t.fill("coverage_type_rate", &[("type", &ty.name)]);
            let value = f.percent(ty.followup_rate);
            let target = t.fill("target_value", &[("target", &f.percent(ty.target))]);
            let item = [
                ("metric", name.as_str()),
                ("value", &value),
                ("target", &target),
            ];
            missed_here.push(t.fill("attention_missed", &item));
        }
        let line = |items: Vec<String>| {
            let items = items.join(sep);
            t.fill("attention_line", &[("who", &s.name), ("items", &items)])
        };
        if !missed_here.is_empty() {
            missed.push(line(missed_here));
        }
        if !fell_here.is_empty() {
            fell.push(line(fell_here));
        }
    }
    let (missed, more_missed) = capped(missed, data);
    let (fell, more_fell) = capped(fell, data);
    let (oldest_heading, oldest) = oldest_open(data).unzip();
    Some(Attention {
        report: Link {
            href: urls::report(&report.period.id),
            label: data.period_label(report),
            current: false,
        },
        missed,
        more_missed,
        fell,
        more_fell,
        oldest_heading,
        oldest: oldest.unwrap_or_default(),
    })
}

/// Complaints listed as the oldest still open.
const OLDEST: usize = 5;

/// The complaints open longest as of the data date (the latest month's action list, whose
/// days count to as-of): a heading naming the date, and one line each.
fn oldest_open(data: &SiteData<'_>) -> Option<(String, Vec<String>)> {
    let actions = data.actions?;
    let latest = *data.of_kind(PeriodKind::Month).last()?;
    let (t, f) = (data.t, data.fmt);
    let mut open: Vec<_> = actions
        .items(&latest.period, crate::metrics::Scope::Overall)
        .into_iter()
        .filter(|i| i.open)
        .collect();
    // Stable: equal ages keep the list's order (date, then id).
    open.sort_by_key(|i| std::cmp::Reverse(i.days_open));
    open.truncate(OLDEST);
    if open.is_empty() {
        return None;
    }
    let name = |e: Option<&crate::metrics::Entity>| e.map(|e| e.name.to_string());
    let lines = open
        .iter()
        .map(|i| {
            let r = i.record;
            let place = [
                name(r.site.and_then(|s| actions.site(s))),
                name(actions.department(r.department)),
                Some(actions.category(r.category).to_owned()),
            ];
            let place: Vec<String> = place.into_iter().flatten().collect();
            let status = actions.status(r.status).unwrap_or(t.get("unspecified"));
            t.fill(
                "attention_oldest_item",
                &[
                    ("id", i.id),
                    ("date", &f.date(r.date)),
                    ("place", &place.join(t.get("list_separator"))),
                    ("days", &i.days_open.to_string()),
                    ("status", status),
                ],
            )
        })
        .collect();
    let date = f.date(actions.reference_date(&latest.period));
    Some((
        t.fill("attention_oldest_heading", &[("date", &date)]),
        lines,
    ))
}
