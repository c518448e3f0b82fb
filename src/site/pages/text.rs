//! Text pages (methodology, free pages from content/) and the values `metric(...)` quotes.

use super::{Page, SiteData};
use crate::metrics::values::Metrics;
use crate::site::content::{ContentError, Doc, markdown_to_html};
use crate::site::i18n::Format;
use crate::site::urls;

/// Names `{{ metric(name="…") }}` accepts, with how each is written.
pub const METRIC_NAMES: &[&str] = &[
    "visits",
    "contacted",
    "contact_rate",
    "responses",
    "satisfied",
    "satisfied_rate",
    "satisfied_rate_ci95_low",
    "satisfied_rate_ci95_high",
    "mean_score",
    "complaints",
    "top_category",
    "closed",
    "closure_rate",
    "overdue",
    "open_at_end",
    "carried_over",
    "days_to_close_median",
    "days_to_close_mean",
    "revisit_satisfied_rate",
    "contact_rate_change",
    "satisfied_rate_change",
    "satisfied_rate_change_year_ago",
    "closure_rate_change",
];

/// A metric of `m` written for the page's locale.
pub fn metric_text(m: &Metrics, name: &str, f: Format) -> Result<String, String> {
    let s = &m.satisfaction;
    let r = &m.rectification;
    let ci = |i: usize| f.percent(s.satisfied_rate_ci95.map(|c| c[i]));
    let points =
        |c: Option<f64>| c.map_or_else(|| super::super::i18n::DASH.to_owned(), |c| f.points(c));
    Ok(match name {
        "visits" => f.int(m.visits.total),
        "contacted" => f.int(m.visits.contacted),
        "contact_rate" => f.percent(m.visits.contact_rate),
        "responses" => f.int(s.responses),
        "satisfied" => f.int(s.satisfied),
        "satisfied_rate" => f.percent(s.satisfied_rate),
        "satisfied_rate_ci95_low" => ci(0),
        "satisfied_rate_ci95_high" => ci(1),
        "mean_score" => f.decimal(s.mean_score, 2),
        "complaints" => f.int(m.complaints.total),
        "top_category" => m
            .complaints
            .by_category
            .first()
            .map_or_else(|| super::super::i18n::DASH.to_owned(), |c| c.name.clone()),
        "closed" => f.int(r.closed),
        "closure_rate" => f.percent(r.closure_rate),
        "overdue" => f.int(r.overdue),
        "open_at_end" => f.int(r.open_at_end),
        "carried_over" => f.int(r.carried_over),
        "days_to_close_median" => f.decimal(r.days_to_close.median, 1),
        "days_to_close_mean" => f.decimal(r.days_to_close.mean, 1),
        "revisit_satisfied_rate" => f.percent(r.revisit_satisfied_rate),
        "contact_rate_change" => points(m.trend.contact_rate.change),
        "satisfied_rate_change" => points(m.trend.satisfied_rate.change),
        "satisfied_rate_change_year_ago" => points(m.trend.satisfied_rate.change_year_ago),
        "closure_rate_change" => points(m.trend.closure_rate.change),
        other => {
            return Err(format!(
                "unknown metric `{other}` (known: {})",
                METRIC_NAMES.join(", ")
            ));
        }
    })
}

const METHODOLOGY: &[(&str, &str)] = &[
    (
        "zh-CN",
        include_str!("../../../themes/default/content/methodology.zh-CN.md"),
    ),
    (
        "en",
        include_str!("../../../themes/default/content/methodology.en.md"),
    ),
];

pub fn methodology(data: &SiteData<'_>) -> Page {
    let path = urls::METHODOLOGY;
    let code = super::locale_code(data.project.config.locale);
    let markdown = METHODOLOGY
        .iter()
        .find(|(c, _)| *c == code)
        .map_or("", |(_, m)| m);
    let mut context = data.base_context(path, data.t.get("methodology"));
    context.insert("body", &markdown_to_html(markdown));
    Page {
        path: path.to_owned(),
        template: "page.html",
        context,
    }
}

pub fn free_page(data: &SiteData<'_>, slug: &str, doc: &Doc) -> Result<Page, ContentError> {
    let path = urls::content_page(slug);
    let title = doc.front.title.clone().unwrap_or_else(|| slug.to_owned());
    let latest_month = data
        .of_kind(crate::period::PeriodKind::Month)
        .last()
        .copied();
    let mut context = data.base_context(&path, &title);
    context.insert("body", &data.render_doc(doc, latest_month)?);
    Ok(Page {
        path,
        template: "page.html",
        context,
    })
}
