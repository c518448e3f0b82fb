//! Every page of the site, as a template name plus its context. Building a page never
//! touches the disk; `site::write_site` renders and writes them all.

pub mod actions;
mod attention;
mod cards;
pub mod coverage_tables;
mod department;
mod entity;
mod history;
mod home;
mod households;
mod quality;
mod report;
mod report_tables;
mod site;
pub mod staff;
mod survey;
mod text;
mod versions;

pub use report::{VersionView, outline, page_at};

use super::content::{Content, ContentError, MetricCall};
use super::i18n::{Format, Strings, locale_code};
use super::urls::{self, root_of};
use super::view::{Link, TrendView};
use crate::config::Project;
use crate::ingest::IngestReport;
use crate::metrics::{Entities, Entity, Found, PeriodReport};
use crate::period::PeriodKind;
use entity::EntityKind;
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
    pub coverage: Option<&'a crate::metrics::coverage::CoverageSet>,
    pub staff: Option<&'a crate::metrics::staff::StaffSet>,
    pub showing_latest: Option<&'a std::collections::BTreeSet<String>>,
    /// Versions' pages kept from the previous site or made anew; none outside a site build.
    pub version_pages: Option<&'a super::version_pages::VersionPages<'a>>,
    by_id: HashMap<&'a str, &'a PeriodReport>,
    /// Reports of each kind, oldest first.
    by_kind: HashMap<PeriodKind, Vec<&'a PeriodReport>>,
    /// Where departments and sites stand in every report's lists, to find one there without
    /// walking the list: with thousands of them, each page walking every list made the build
    /// quadratic in their number.
    departments: EntityOrder,
    sites: EntityOrder,
}

/// The order of a report's departments (or sites): the config's list first, then by name
/// (see `metrics::ordered`), so one is found by binary search. `sorted` is false if some
/// report breaks that order, and then lists are walked as before.
struct EntityOrder {
    rank: HashMap<String, usize>,
    sorted: bool,
}

impl EntityOrder {
    fn new(kind: EntityKind, defs: &[crate::config::EntityDef], reports: &[PeriodReport]) -> Self {
        let rank = defs
            .iter()
            .enumerate()
            .map(|(i, d)| (d.name.clone(), i))
            .collect();
        let mut order = EntityOrder {
            rank,
            sorted: false,
        };
        order.sorted = reports.iter().all(|r| {
            let names = r.entities(kind).names();
            (names.clone().zip(names.skip(1))).all(|(a, b)| order.key(&a.name) < order.key(&b.name))
        });
        order
    }

    fn key<'n>(&self, name: &'n str) -> (usize, &'n str) {
        (self.rank.get(name).copied().unwrap_or(usize::MAX), name)
    }

    /// Where `entity` is in `list`, matched by name and slug.
    fn find(&self, list: &Entities, entity: &Entity) -> Option<usize> {
        let found = if self.sorted {
            self.named(list, &entity.name)
        } else {
            (0..list.len()).find(|&at| list.entity(at).slug == entity.slug)
        };
        found.filter(|&at| list.entity(at).slug == entity.slug)
    }

    /// Where the one named `name` is in `list`; names are unique within a report's list.
    fn named(&self, list: &Entities, name: &str) -> Option<usize> {
        if !self.sorted {
            return (0..list.len()).find(|&at| list.entity(at).name == name);
        }
        let key = self.key(name);
        let (mut low, mut high) = (0, list.len());
        while low < high {
            let middle = low + (high - low) / 2;
            match self.key(&list.entity(middle).name).cmp(&key) {
                std::cmp::Ordering::Less => low = middle + 1,
                std::cmp::Ordering::Greater => high = middle,
                std::cmp::Ordering::Equal => return Some(middle),
            }
        }
        None
    }
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
            coverage: input.coverage,
            staff: input.staff,
            showing_latest: input.showing_latest,
            version_pages: None,
            fmt: Format {
                locale: project.config.locale,
            },
            by_id,
            by_kind,
            departments: EntityOrder::new(
                EntityKind::Department,
                &project.config.departments,
                reports,
            ),
            sites: EntityOrder::new(EntityKind::Site, &project.config.sites, reports),
        }
    }

    /// Where the department or site `entity` is in `report`'s list of its kind.
    fn place(&self, kind: EntityKind, report: &PeriodReport, entity: &Entity) -> Option<usize> {
        let order = match kind {
            EntityKind::Department => &self.departments,
            EntityKind::Site => &self.sites,
        };
        order.find(report.entities(kind), entity)
    }

    /// The department or site `entity` in `report`, if it has one.
    pub fn find(&self, kind: EntityKind, report: &PeriodReport, entity: &Entity) -> Option<Found> {
        report.entities(kind).get(self.place(kind, report, entity)?)
    }

    /// The numbers of `entity` in `report` its counters give ([`Entities::headline`]), if
    /// it has any there: what a table of many periods reads.
    pub fn headline(
        &self,
        kind: EntityKind,
        report: &PeriodReport,
        entity: &Entity,
    ) -> Option<crate::metrics::Metrics> {
        report
            .entities(kind)
            .headline(self.place(kind, report, entity)?)
    }

    /// The satisfaction numbers of `entity` in `report`, if it has any there: what a trend
    /// reads of each period.
    pub fn satisfaction(
        &self,
        kind: EntityKind,
        report: &PeriodReport,
        entity: &Entity,
    ) -> Option<crate::metrics::values::Satisfaction> {
        report
            .entities(kind)
            .satisfaction(self.place(kind, report, entity)?)
    }

    /// Where the department named `name` is in `report`'s list, if it has one.
    pub fn department_named(&self, report: &PeriodReport, name: &str) -> Option<usize> {
        self.departments.named(&report.departments, name)
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
        // Reports of ended periods keep the date of their version; the latest date is the
        // build's.
        let as_of = self.reports.iter().map(|r| r.as_of).max().map_or_else(
            || self.fmt.date(config.as_of_or_today()),
            |d| self.fmt.date(d),
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

    /// A content doc's markdown with its `metric(...)` calls filled in (see
    /// [`render_doc`](Self::render_doc)).
    pub fn expand_doc(
        &self,
        doc: &super::content::Doc,
        default_report: Option<&PeriodReport>,
    ) -> Result<String, ContentError> {
        super::content::expand(doc, &|call| self.resolve_metric(call, default_report))
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
                find_entity(&report.departments, name, "department", &report.period.id)?
            }
            (None, Some(name)) => find_entity(&report.sites, name, "site", &report.period.id)?,
            (None, None) => return text::metric_text(&report.overall, &call.name, self.fmt),
        };
        text::metric_text(&metrics.metrics, &call.name, self.fmt)
    }

    pub fn period_label(&self, report: &PeriodReport) -> String {
        let label = self.fmt.period(&report.period.id);
        if report.period.in_progress {
            self.fmt.aside(&label, self.t.get("in_progress"))
        } else {
            label
        }
    }
}

fn find_entity(list: &Entities, name: &str, what: &str, id: &str) -> Result<Found, String> {
    let at = (0..list.len()).find(|&at| list.entity(at).name == name);
    at.and_then(|at| list.get(at)).ok_or_else(|| {
        let known: Vec<&str> = list.names().map(|e| e.name.as_str()).collect();
        format!(
            "{what} `{name}` is not in report {id} (there: {})",
            known.join(", ")
        )
    })
}

/// A change as the page writes it, with the arrow of the written (rounded) value, so `+0.1`
/// never shows a flat arrow.
pub fn trend_view(change: f64, f: Format, t: &Strings) -> TrendView {
    let points = f.points(change);
    let (arrow, class) = match points.chars().next() {
        Some('+') => ("▲", "up"),
        Some('-') => ("▼", "down"),
        _ => ("▬", "flat"),
    };
    TrendView {
        arrow,
        class,
        text: format!("{points} {}", t.get("points")),
    }
}

/// One page (or the few pages of a report's versions) to build: which builder, on what.
/// Listing jobs costs nothing; each is built only when it is rendered, so the contexts and
/// charts of a site's thousands of pages never sit in memory at once.
pub enum PageJob<'a> {
    Home,
    Report(&'a PeriodReport),
    Versions(&'a PeriodReport),
    /// Internal: numbers per 回访人, under `publish_staff` only.
    Staff(&'a PeriodReport),
    /// The one at a place of the report's list of that kind.
    Entity(EntityKind, &'a PeriodReport, usize),
    History(EntityKind, crate::metrics::Entity),
    Quality,
    Survey(&'a crate::survey::metrics::SurveyReport),
    Methodology,
    Free(&'a str, &'a super::content::Doc),
}

impl<'a> PageJob<'a> {
    /// The report whose folder holds this job's pages, if one does.
    pub fn report(&self) -> Option<&'a PeriodReport> {
        match self {
            PageJob::Report(r)
            | PageJob::Versions(r)
            | PageJob::Staff(r)
            | PageJob::Entity(_, r, _) => Some(r),
            _ => None,
        }
    }

    /// Builds the pages of this job and hands each to `emit` as soon as it is built, so a job
    /// of many pages (a report's versions) holds one page's context at a time.
    pub fn build<E: From<ContentError>>(
        &self,
        data: &SiteData<'_>,
        emit: &mut dyn FnMut(Page) -> Result<(), E>,
    ) -> Result<(), E> {
        match self {
            PageJob::Home => emit(home::page(data)?),
            PageJob::Report(r) => emit(report::page(data, r)?),
            PageJob::Versions(r) => versions::pages(data, r, emit),
            PageJob::Staff(r) => staff::page(data, r).map_or(Ok(()), emit),
            &PageJob::Entity(kind, r, at) => {
                let Some(e) = r.entities(kind).get(at) else {
                    return Ok(());
                };
                match kind {
                    EntityKind::Department => emit(department::page(data, r, &e)),
                    EntityKind::Site => emit(site::page(data, r, &e)),
                }
            }
            PageJob::History(kind, e) => emit(history::page(data, *kind, e)),
            PageJob::Quality => emit(quality::page(data)),
            PageJob::Survey(s) => emit(survey::page(data, s)),
            PageJob::Methodology => emit(text::methodology(data)),
            PageJob::Free(slug, doc) => emit(text::free_page(data, slug, doc)?),
        }
    }
}

/// Every page of the site, as jobs, in a fixed order.
pub fn all_pages<'a>(data: &SiteData<'a>) -> Vec<PageJob<'a>> {
    let mut jobs = vec![PageJob::Home];
    for report in data.reports {
        jobs.push(PageJob::Report(report));
        jobs.push(PageJob::Versions(report));
        if data.staff.is_some() {
            jobs.push(PageJob::Staff(report));
        }
        for kind in [EntityKind::Department, EntityKind::Site] {
            let places = 0..report.entities(kind).len();
            jobs.extend(places.map(|at| PageJob::Entity(kind, report, at)));
        }
    }
    for kind in [EntityKind::Department, EntityKind::Site] {
        let entities = history::entities(data, kind).into_iter();
        jobs.extend(entities.map(|e| PageJob::History(kind, e)));
    }
    jobs.push(PageJob::Quality);
    jobs.extend(data.surveys.iter().map(PageJob::Survey));
    jobs.push(PageJob::Methodology);
    let free = data.content.pages.iter();
    jobs.extend(free.map(|(slug, doc)| PageJob::Free(slug, doc)));
    jobs
}
