//! The home page: the intro from content/_index.md, the headline numbers of the latest
//! month, quarter and year, every report by year, and every department's history.

use super::{Page, SiteData};
use crate::metrics::PeriodReport;
use crate::period::PeriodKind;
use crate::site::content::ContentError;
use crate::site::urls;
use crate::site::view::{Kpi, Link};
use serde::Serialize;

#[derive(Serialize)]
struct Headline {
    heading: String,
    link: Link,
    kpis: Vec<Kpi>,
}

#[derive(Serialize)]
struct YearGroup {
    year: Link,
    quarters: Vec<Link>,
    months: Vec<Link>,
    /// Weeks whose first day is in the year (with weekly reports).
    weeks: Vec<Link>,
}

pub fn page(data: &SiteData<'_>) -> Result<Page, ContentError> {
    let path = urls::HOME;
    let t = data.t;
    let mut c = data.base_context(path, &data.project.config.title);
    let latest_month = data.of_kind(PeriodKind::Month).last().copied();
    let intro = match &data.content.home {
        Some(doc) => Some(data.render_doc(doc, latest_month)?),
        None => None,
    };
    let link = |r: &PeriodReport| Link {
        href: urls::report(&r.period.id),
        label: data.period_label(r),
        current: false,
    };
    let headlines: Vec<Headline> = [
        (PeriodKind::Week, "latest_week"),
        (PeriodKind::Month, "latest_month"),
        (PeriodKind::Quarter, "latest_quarter"),
        (PeriodKind::Year, "latest_year"),
    ]
    .into_iter()
    .filter_map(|(kind, key)| {
        let r = *data.of_kind(kind).last()?;
        let keep = [
            "visits.total",
            "satisfaction.satisfied_rate",
            "complaints.total",
            "rectification.closure_rate",
        ];
        Some(Headline {
            heading: t.get(key).to_owned(),
            link: link(r),
            kpis: super::cards::kpis(data, r, &r.overall, &data.project.config.targets.overall)
                .into_iter()
                .filter(|k| keep.contains(&k.metric))
                .collect(),
        })
    })
    .collect();

    let years: Vec<YearGroup> = data
        .of_kind(PeriodKind::Year)
        .iter()
        .rev()
        .map(|y| {
            let starts_within =
                |r: &&&PeriodReport| (y.period.start..=y.period.end).contains(&r.period.start);
            let within = |kind| -> Vec<Link> {
                data.of_kind(kind)
                    .iter()
                    .filter(starts_within)
                    .map(|r| link(r))
                    .collect()
            };
            YearGroup {
                year: link(y),
                quarters: within(PeriodKind::Quarter),
                months: within(PeriodKind::Month),
                weeks: within(PeriodKind::Week),
            }
        })
        .collect();
    let departments: Vec<Link> = super::history::departments(data)
        .into_iter()
        .map(|d| Link {
            href: urls::department_history(&d.slug),
            label: d.name.into_string(),
            current: false,
        })
        .collect();
    c.insert("intro", &intro);
    c.insert("headlines", &headlines);
    c.insert("attention", &super::attention::block(data));
    c.insert("departments", &departments);
    let surveys: Vec<Link> = data
        .surveys
        .iter()
        .map(|s| Link {
            href: urls::survey(&s.slug),
            label: s.name.clone(),
            current: false,
        })
        .collect();
    c.insert("surveys", &surveys);
    c.insert("years", &years);
    // Why there are no reports: no visit logs configured (a project that only runs surveys),
    // or none of their visits dated up to the as-of date.
    let no_reports = match (years.is_empty(), data.project.config.sources.is_empty()) {
        (false, _) => None,
        (true, true) => Some(t.get("no_visit_logs")),
        (true, false) => Some(t.get("no_reports")),
    };
    c.insert("no_reports", &no_reports);
    Ok(Page {
        path: path.to_owned(),
        template: "home.html",
        context: c,
    })
}
