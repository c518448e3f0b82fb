//! A report's numbers per 回访人 (seed 000 §14.2: the 客服专员's 考核依据): an internal page,
//! built only under `publish_staff`, marked so (a banner, `noindex`) and linked from the
//! report page alone. Its numbers come from the current data, not from a report version.

use super::cards;
use super::{Page, SiteData};
use crate::metrics::PeriodReport;
use crate::metrics::catalog;
use crate::metrics::staff::{StaffReport, StaffRow, StaffSet};
use crate::site::urls::{self, root_of};
use crate::site::view::{Cell, Table};

/// The staff page of `report` at its place in the site; `None` when the build gathered no
/// staff numbers.
pub fn page(data: &SiteData<'_>, report: &PeriodReport) -> Option<Page> {
    let path = urls::report_staff(&report.period.id);
    Some(page_at(data, data.staff?, report, path))
}

/// The staff page of `report` with the numbers of `staff`, at `path` (in the site, or an
/// archive's entry).
pub fn page_at(data: &SiteData<'_>, staff: &StaffSet, report: &PeriodReport, path: String) -> Page {
    let (t, f) = (data.t, data.fmt);
    let config = &data.project.config;
    let numbers = staff.report(report.period.start, report.period.end, config);
    let period = data.period_label(report);
    // The page's line under the title says when a period is in progress.
    let title = t.fill("staff_title", &[("period", &f.period(&report.period.id))]);
    let mut c = data.base_context(&path, &title);
    let root = root_of(&path);
    c.insert(
        "report_href",
        &format!("{root}{}", urls::report(&report.period.id)),
    );
    c.insert("report_label", &period);
    c.insert("period", &report.period);
    c.insert(
        "range",
        &format!(
            "{} – {}",
            f.date(report.period.start),
            f.date(report.period.end)
        ),
    );
    c.insert("data_as_of", &f.date(staff.as_of));
    c.insert("table", &table(data, &numbers));
    c.insert("notes", &notes(data, &numbers));
    Page {
        path,
        template: "staff.html",
        context: c,
    }
}

/// One row per 回访人, most visits first: each rate with ✓/✗ against the organisation's target,
/// except a satisfied rate on fewer ratings than the minimum sample, too uncertain to judge by.
fn table(data: &SiteData<'_>, numbers: &StaffReport) -> Table {
    let (t, f) = (data.t, data.fmt);
    let targets = &data.project.config.targets.overall;
    let marked = |metric: &catalog::Metric, value: Option<f64>, judged: bool| {
        let mark = value
            .zip(targets.get(metric.name))
            .filter(|_| judged)
            .map(|(value, target)| cards::mark(metric, value, target, t, f));
        Cell::num(f.percent(value)).with_mark(mark)
    };
    let row = |r: &StaffRow| {
        let mut satisfied = marked(&catalog::SATISFIED_RATE, r.satisfied_rate, !r.low_sample);
        if r.low_sample && r.satisfied_rate.is_some() {
            satisfied = satisfied.with_class("low-sample");
        }
        let mut cells = vec![
            Cell::text(r.name.clone()),
            Cell::num(f.int(r.visits)),
            Cell::num(f.int(r.contacted)),
            marked(&catalog::CONTACT_RATE, r.contact_rate, true),
            Cell::num(f.int(r.responses)),
            satisfied,
        ];
        if numbers.with_orders {
            cells.push(Cell::num(f.int(r.followups.followed)));
            cells.push(Cell::num(f.percent(r.followups.on_time_rate())));
        }
        if numbers.with_assignees {
            cells.push(Cell::num(f.percent(r.followups.assigned_rate())));
        }
        cells
    };
    let mut head = vec![
        "staff_name",
        "visits",
        "contacted",
        "contact_rate",
        "responses",
        "satisfied_rate",
    ];
    if numbers.with_orders {
        head.extend(["staff_followed", "followup_on_time_rate"]);
    }
    if numbers.with_assignees {
        head.push("staff_assigned_rate");
    }
    Table {
        label: None,
        caption: Some(t.get("staff_caption").to_owned()),
        head: head.into_iter().map(|k| t.get(k).to_owned()).collect(),
        rows: numbers.rows.iter().map(row).collect(),
    }
}

fn notes(data: &SiteData<'_>, numbers: &StaffReport) -> Vec<String> {
    let t = data.t;
    let config = &data.project.config;
    let mut notes = Vec::new();
    let targets = &config.targets.overall;
    if targets.contact_rate.is_some() || targets.satisfied_rate.is_some() {
        notes.push(t.get("staff_targets_note").to_owned());
    }
    if numbers.rows.iter().any(|r| r.low_sample) {
        let min = config.min_sample.to_string();
        notes.push(t.fill("staff_low_sample", &[("min", &min)]));
    }
    if numbers.without_staff > 0 {
        let n = data.fmt.int(numbers.without_staff);
        notes.push(t.fill("staff_without", &[("n", &n)]));
    }
    if numbers.with_orders {
        notes.push(t.get("staff_followups_note").to_owned());
    }
    if numbers.with_assignees {
        notes.push(t.get("staff_assigned_note").to_owned());
    }
    notes.push(t.get("staff_basis").to_owned());
    notes
}
