//! Text pages (methodology, free pages from content/) and the values `metric(...)` quotes.

use super::{Page, SiteData};
use crate::metrics::catalog::{self, Kind, Metric, Value};
use crate::metrics::values::Metrics;
use crate::site::content::{ContentError, Doc, markdown_to_html};
use crate::site::i18n::{DASH, Format, Strings};
use crate::site::urls;
use crate::site::view::Cell;

/// A metric of `m` written for the page's locale, by the name `{{ metric(name="…") }}` gives.
pub fn metric_text(m: &Metrics, name: &str, f: Format) -> Result<String, String> {
    let metric = catalog::quoted(name).ok_or_else(|| {
        let known: Vec<&str> = catalog::quoted_names().collect();
        format!("unknown metric `{name}` (known: {})", known.join(", "))
    })?;
    Ok(written(metric, &metric.value(m), f))
}

/// A metric's value as pages show it: counts grouped, rates as percentages, changes in points,
/// scores with two decimals and days with one; `–` where it is undefined.
pub fn written(metric: &Metric, value: &Value, f: Format) -> String {
    match (metric.kind, value) {
        (_, Value::Count(n)) => f.int(*n),
        (Kind::Count, Value::Number(x)) => x.map_or_else(|| DASH.to_owned(), |x| f.int(x as u64)),
        (Kind::Rate, Value::Number(x)) => f.percent(*x),
        (Kind::Change, Value::Number(x)) => x.map_or_else(|| DASH.to_owned(), |x| f.points(x)),
        (Kind::Score, Value::Number(x)) => f.decimal(*x, 2),
        (_, Value::Number(x)) => f.decimal(*x, 1),
        (_, Value::Name(name)) => name.clone().unwrap_or_else(|| DASH.to_owned()),
        (_, Value::Flag(yes)) => yes.to_string(),
    }
}

/// A table's head: `first`, then each metric's label.
pub fn metric_head(first: &str, metrics: &[Metric], t: &Strings) -> Vec<String> {
    std::iter::once(first)
        .chain(metrics.iter().map(|m| m.name))
        .map(|key| t.get(key).to_owned())
        .collect()
}

/// One numeric table cell per metric of `m`.
pub fn metric_cells(metrics: &[Metric], m: &Metrics, f: Format) -> Vec<Cell> {
    metrics
        .iter()
        .map(|metric| Cell::num(written(metric, &metric.value(m), f)))
        .collect()
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
