//! Every page of the site, as a template name plus its context. Building a page never
//! touches the disk; `site::write_site` renders and writes them all.

pub mod actions;
mod department;
mod history;
mod home;
mod quality;
mod report;
mod survey;
mod text;
mod versions;

pub use report::{VersionView, page_at};

use super::content::{Content, ContentError, MetricCall};
use super::i18n::{Format, Strings, locale_code};
use super::urls::{self, root_of};
use super::view::{Kpi, Link, TrendLine, TrendView};
use crate::config::Project;
use crate::ingest::IngestReport;
use crate::metrics::values::{Change, Metrics};
use crate::metrics::{EntityMetrics, PeriodReport};
use crate::period::PeriodKind;
use serde::Serialize;
use std::collections::HashMap;

/// A page to render: where it goes, with which template, and what it shows.
pub struct Page {
    pub path: String,
    pub template: &'static str,
    pub context: tera::Context,
}

/// Everything pages are built from, with the lookups they share.
pub struct SiteData<'a> {
    pub project: &'a Project,
    pub reports: &'a [PeriodReport],
    pub ingest: &'a IngestReport,
    pub after_as_of: u64,
    pub content: &'a Content,
    pub t: &'a Strings,
    pub fmt: Format,
    pub history: &'a crate::versions::store::History,
    pub surveys: &'a [crate::survey::metrics::SurveyReport],
    pub actions: Option<&'a crate::metrics::actions::ActionSet>,
    by_id: HashMap<&'a str, &'a PeriodReport>,
    /// Reports of each kind, oldest first.
    by_kind: HashMap<PeriodKind, Vec<&'a PeriodReport>>,
}

#[derive(Serialize)]
struct SiteInfo<'a> {
    title: &'a str,
    lang: &'static str,
    as_of: String,
}

impl<'a> SiteData<'a> {
    pub fn new(
        project: &'a Project,
        input: &super::SiteInput<'a>,
        content: &'a Content,
        t: &'a Strings,
    ) -> SiteData<'a> {
        let reports = input.reports;
        let by_id = reports.iter().map(|r| (r.period.id.as_str(), r)).collect();
        let mut by_kind: HashMap<PeriodKind, Vec<&PeriodReport>> = HashMap::new();
        for r in reports {
            by_kind.entry(r.period.kind).or_default().push(r);
        }
        for list in by_kind.values_mut() {
            list.sort_by_key(|r| r.period.start);
        }
        SiteData {
            project,
            reports,
            ingest: input.ingest,
            after_as_of: input.after_as_of,
            content,
            t,
            history: input.history,
            surveys: input.surveys,
            actions: input.actions,
            fmt: Format {
                locale: project.config.locale,
            },
            by_id,
            by_kind,
        }
    }

    pub fn report(&self, id: &str) -> Option<&'a PeriodReport> {
        self.by_id.get(id).copied()
    }

    /// Reports of `kind`, oldest first.
    pub fn of_kind(&self, kind: PeriodKind) -> &[&'a PeriodReport] {
        self.by_kind.get(&kind).map_or(&[], Vec::as_slice)
    }

    /// Up to `n` reports of the same kind ending with `report`, oldest first.
    pub fn last_n(&self, report: &PeriodReport, n: usize) -> Vec<&'a PeriodReport> {
        let list = self.of_kind(report.period.kind);
        let end = list
            .iter()
            .position(|r| r.period.id == report.period.id)
            .map_or(0, |i| i + 1);
        list[end.saturating_sub(n)..end].to_vec()
    }

    /// The context every page starts from: site info, strings, navigation, link prefix.
    pub fn base_context(&self, path: &str, title: &str) -> tera::Context {
        let root = root_of(path);
        let mut nav = vec![
            self.link(&root, urls::HOME, self.t.get("home"), path),
            self.link(&root, urls::METHODOLOGY, self.t.get("methodology"), path),
            self.link(&root, urls::DATA_QUALITY, self.t.get("data_quality"), path),
        ];
        for (slug, doc) in &self.content.pages {
            let label = doc.front.title.clone().unwrap_or_else(|| slug.clone());
            nav.push(self.link(&root, &urls::content_page(slug), &label, path));
        }
        let config = &self.project.config;
        // A project without visit logs has no reports, but its surveys are as of a date too.
        let as_of = self.reports.first().map_or_else(
            || self.fmt.date(config.as_of_or_today()),
            |r| self.fmt.date(r.as_of),
        );
        let mut c = tera::Context::new();
        c.insert(
            "site",
            &SiteInfo {
                title: &config.title,
                lang: locale_code(config.locale),
                as_of,
            },
        );
        c.insert("t", &self.t.table);
        c.insert("root", &root);
        c.insert("nav", &nav);
        c.insert("page_title", title);
        c
    }

    fn link(&self, root: &str, target: &str, label: &str, current: &str) -> Link {
        Link {
            href: format!("{root}{target}"),
            label: label.to_owned(),
            current: target == current,
        }
    }

    /// Renders a content doc, resolving `metric(...)` calls against `default_report`
    /// (or the report named by `period="…"`).
    pub fn render_doc(
        &self,
        doc: &super::content::Doc,
        default_report: Option<&PeriodReport>,
    ) -> Result<String, ContentError> {
        super::content::render(doc, self.content.links, &|call| {
            self.resolve_metric(call, default_report)
        })
    }

    fn resolve_metric(
        &self,
        call: &MetricCall,
        default_report: Option<&PeriodReport>,
    ) -> Result<String, String> {
        let report = match &call.period {
            Some(id) => self
                .report(id)
                .ok_or_else(|| format!("no report `{id}` in this build"))?,
            None => default_report.ok_or("this page belongs to no report: add period=\"…\"")?,
        };
        let metrics = match (&call.department, &call.site) {
            (Some(_), Some(_)) => return Err("give department or site, not both".to_owned()),
            (Some(name), None) => {
                &find_entity(&report.departments, name, "department", &report.period.id)?.metrics
            }
            (None, Some(name)) => {
                &find_entity(&report.sites, name, "site", &report.period.id)?.metrics
            }
            (None, None) => &report.overall,
        };
        text::metric_text(metrics, &call.name, self.fmt)
    }

    /// The seven headline numbers of a report or department.
    pub fn kpis(&self, m: &Metrics) -> Vec<Kpi> {
        let (t, f) = (self.t, self.fmt);
        let s = &m.satisfaction;
        let r = &m.rectification;
        let trends = |c: &Change| {
            let mut lines = Vec::new();
            if let Some(change) = c.change {
                lines.push(TrendLine {
                    label: t.get("vs_previous").to_owned(),
                    trend: trend_view(change, f, t),
                });
            }
            if let Some(change) = c.change_year_ago {
                lines.push(TrendLine {
                    label: t.get("vs_year_ago").to_owned(),
                    trend: trend_view(change, f, t),
                });
            }
            lines
        };
        let count = |metric, key: &str, n: u64| Kpi {
            metric,
            label: t.get(key).to_owned(),
            text: f.int(n),
            value: n.to_string(),
            detail: None,
            trends: Vec::new(),
            warn: None,
        };
        let rate = |metric, key: &str, x: Option<f64>, change: &Change| Kpi {
            metric,
            label: t.get(key).to_owned(),
            text: f.percent(x),
            value: x.map_or_else(String::new, |x| x.to_string()),
            detail: None,
            trends: trends(change),
            warn: None,
        };
        let mut satisfied = rate(
            "satisfaction.satisfied_rate",
            "satisfied_rate",
            s.satisfied_rate,
            &m.trend.satisfied_rate,
        );
        satisfied.detail = s.satisfied_rate_ci95.map(|[lo, hi]| {
            format!(
                "{} {}–{} · {} {}",
                t.get("ci95"),
                f.percent(Some(lo)),
                f.percent(Some(hi)),
                t.get("responses"),
                f.int(s.responses)
            )
        });
        if s.low_sample {
            satisfied.warn = Some(t.get("low_sample").to_owned());
        }
        let mut open = count("rectification.open_at_end", "open_at_end", r.open_at_end);
        open.detail = Some(format!(
            "{} {}",
            t.get("carried_over"),
            f.int(r.carried_over)
        ));
        vec![
            count("visits.total", "visits", m.visits.total),
            rate(
                "visits.contact_rate",
                "contact_rate",
                m.visits.contact_rate,
                &m.trend.contact_rate,
            ),
            satisfied,
            count("complaints.total", "complaints", m.complaints.total),
            rate(
                "rectification.closure_rate",
                "closure_rate",
                r.closure_rate,
                &m.trend.closure_rate,
            ),
            count("rectification.overdue", "overdue", r.overdue),
            open,
        ]
    }

    pub fn period_label(&self, report: &PeriodReport) -> String {
        let label = self.fmt.period(&report.period.id);
        if report.period.in_progress {
            match self.fmt.locale {
                crate::config::Locale::ZhCn => format!("{label}({})", self.t.get("in_progress")),
                crate::config::Locale::En => format!("{label} ({})", self.t.get("in_progress")),
            }
        } else {
            label
        }
    }
}

fn find_entity<'r>(
    list: &'r [EntityMetrics],
    name: &str,
    what: &str,
    id: &str,
) -> Result<&'r EntityMetrics, String> {
    list.iter().find(|e| e.entity.name == name).ok_or_else(|| {
        let known: Vec<&str> = list.iter().map(|e| e.entity.name.as_str()).collect();
        format!(
            "{what} `{name}` is not in report {id} (there: {})",
            known.join(", ")
        )
    })
}

pub fn trend_view(change: f64, f: Format, t: &Strings) -> TrendView {
    let (arrow, class) = if change > 0.0005 {
        ("▲", "up")
    } else if change < -0.0005 {
        ("▼", "down")
    } else {
        ("▬", "flat")
    };
    TrendView {
        arrow,
        class,
        text: format!("{} {}", f.points(change), t.get("points")),
    }
}

/// Every page of the site, in a fixed order.
pub fn all_pages(data: &SiteData<'_>) -> Result<Vec<Page>, ContentError> {
    let mut pages = vec![home::page(data)?];
    for report in data.reports {
        pages.push(report::page(data, report)?);
        pages.extend(versions::pages(data, report));
        for dept in &report.departments {
            pages.push(department::page(data, report, dept));
        }
    }
    pages.extend(history::pages(data));
    pages.push(quality::page(data));
    pages.extend(data.surveys.iter().map(|s| survey::page(data, s)));
    pages.push(text::methodology(data));
    for (slug, doc) in &data.content.pages {
        pages.push(text::free_page(data, slug, doc)?);
    }
    Ok(pages)
}
