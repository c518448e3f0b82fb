//! Numbers per period: partials are merged into each report's scopes (the whole
//! organisation, each department, each site) and turned into the metrics of DOMAIN.md.

pub mod actions;
pub mod catalog;
pub mod comments;
pub mod counts;
pub mod coverage;
pub mod entities;
pub mod household_coverage;
pub mod households;
pub mod matrix;
pub mod numbers;
pub mod partial;
pub mod partial_tables;
pub mod rules;
pub mod staff;
pub mod values;

use crate::config::{Config, EntityDef};
use crate::model::{Sym, Symbols};
use crate::period::{Period, PeriodKind};
use chrono::NaiveDate;
pub use entities::{Entities, EntityKind, EntityList, Found};
pub use matrix::DepartmentCell;
pub use partial::{Accumulator, Partial};
use rayon::prelude::*;
use rules::OpenStock;
pub use rules::Rules;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;
pub use values::Label;
pub use values::Metrics;
use values::{Names, Rates, Trend};

/// Partials of one scope by bucket (its first day).
type Buckets = BTreeMap<NaiveDate, Partial>;

/// The bucket series of every scope `scope_of` puts a partial in.
fn series_by(
    partials: &rustc_hash::FxHashMap<partial::PartialKey, Partial>,
    scope_of: impl Fn(&partial::PartialKey) -> Option<Scope>,
) -> BTreeMap<Scope, Buckets> {
    let mut series: BTreeMap<Scope, Buckets> = BTreeMap::new();
    for (key, partial) in partials {
        if let Some(scope) = scope_of(key) {
            series
                .entry(scope)
                .or_default()
                .entry(key.bucket)
                .or_default()
                .merge(partial);
        }
    }
    series
}

/// Who a set of numbers is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    Overall,
    Department(Sym),
    Site(Sym),
}

/// A department or site as the reports name it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    pub name: values::Label,
    pub slug: values::Label,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PeriodInfo {
    pub id: String,
    pub kind: PeriodKind,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub in_progress: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EntityMetrics {
    #[serde(flatten)]
    pub entity: Entity,
    #[serde(flatten)]
    pub metrics: Metrics,
    /// A site's numbers per department (its row of the site × department matrix); empty for
    /// departments.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub by_department: Vec<DepartmentCell>,
}

/// One report's numbers: the content of `reports/<id>/metrics.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PeriodReport {
    pub period: PeriodInfo,
    pub as_of: NaiveDate,
    pub overall: Metrics,
    pub departments: Entities,
    pub sites: Entities,
}

impl PeriodReport {
    /// The report's list of `kind`.
    pub fn entities(&self, kind: EntityKind) -> &Entities {
        match kind {
            EntityKind::Department => &self.departments,
            EntityKind::Site => &self.sites,
        }
    }

    /// Counts the report's departments and sites once, for the pages and files made from
    /// it, until [`release`](Self::release).
    pub fn pin(&self) {
        self.departments.pin();
        self.sites.pin();
    }

    /// [`pin`](Self::pin), each list counted on this thread alone ([`Entities::pin_here`]).
    pub fn pin_here(&self) {
        self.departments.pin_here();
        self.sites.pin_here();
    }

    pub fn release(&self) {
        self.departments.release();
        self.sites.release();
    }

    /// Masks, by the current rules, the text a report holds from the data: names of
    /// departments, sites and categories, and customers' comments. For reports read back from
    /// snapshots that older rules masked. Whether any of it changed.
    pub fn mask_text(&mut self) -> bool {
        // A report of thousands of sites names each department thousands of times (once per
        // site's row of the matrix): each distinct text is masked once.
        let mut m = Masker::default();
        let (departments, sites) = (self.departments.make_mut(), self.sites.make_mut());
        let entities = departments.iter_mut().chain(sites.iter_mut());
        let mut all = vec![&mut self.overall];
        for e in entities {
            m.label(&mut e.entity.name);
            for cell in &mut e.by_department {
                m.label(&mut cell.department);
            }
            all.push(&mut e.metrics);
        }
        for metrics in all {
            let visits = &mut metrics.visits;
            for n in visits.by_type.iter_mut().chain(&mut visits.by_channel) {
                m.label(&mut n.name);
            }
            for c in &mut metrics.complaints.by_category {
                m.label(&mut c.name);
            }
            for t in metrics.coverage.iter_mut().flat_map(|c| &mut c.by_type) {
                m.label(&mut t.name);
            }
            for c in &mut metrics.complaints.recent_comments {
                m.label(&mut c.category);
                if let Some(masked) = m.masked(&c.text, false) {
                    c.text = masked.into_string();
                }
            }
            let statuses = metrics.rectification.by_status.iter_mut();
            for s in statuses.filter_map(|s| s.status.as_mut()) {
                m.label(s);
            }
        }
        m.changed
    }
}

/// Masks text for [`PeriodReport::mask_text`], each distinct text once.
#[derive(Default)]
struct Masker {
    /// By text and whether it is a label: its masked form, `None` when masking leaves it.
    before: std::collections::HashMap<(Label, bool), Option<Label>>,
    changed: bool,
}

impl Masker {
    fn label(&mut self, text: &mut Label) {
        if let Some(masked) = self.masked(text, true) {
            *text = masked;
        }
    }

    /// `text` masked as a label or as free text, if that changes it.
    fn masked(&mut self, text: &str, label: bool) -> Option<Label> {
        let key = (Label::from(text), label);
        let masked = self.before.entry(key).or_insert_with_key(|(text, label)| {
            let masked = if *label {
                Label::from(crate::privacy::label(text))
            } else {
                Label::from(crate::privacy::mask(text))
            };
            (masked != *text).then_some(masked)
        });
        self.changed |= masked.is_some();
        masked.clone()
    }
}

/// Bucket series per scope, built once from the accumulator's partials.
pub struct MetricsSet {
    rules: Rules,
    series: BTreeMap<Scope, Buckets>,
    cells: matrix::CellSeries,
    /// Display order and slugs.
    departments: Vec<(Sym, Entity)>,
    /// Each department's place in `departments`.
    department_rank: rustc_hash::FxHashMap<Sym, usize>,
    sites: Vec<(Sym, Entity)>,
    /// The first bucket with a visit.
    first: Option<NaiveDate>,
    pub after_as_of: u64,
    /// Work orders and their follow-ups, when the project has orders.
    coverage: Option<coverage::CoverageSet>,
    households: household_coverage::Series,
    /// What names the numbers (levels, statuses, categories): reports count from the set
    /// long after the build has moved on.
    config: Config,
    symbols: Symbols,
}

impl MetricsSet {
    /// Reads `acc` without taking it: freeing its partials is work the caller may do where it
    /// costs less (the build does it beside staging the site).
    pub fn new(acc: &Accumulator, config: &Config, symbols: &Symbols) -> MetricsSet {
        let first = acc
            .partials
            .iter()
            .filter(|(_, p)| p.visits > 0)
            .map(|(k, _)| k.bucket)
            .min();
        // Departments and sites are independent of each other; every partial has a
        // department, so the organisation is the sum of its departments' buckets.
        let (by_department, (by_site, cells)) = rayon::join(
            || series_by(&acc.partials, |k| Some(Scope::Department(k.department))),
            || {
                (
                    series_by(&acc.partials, |k| k.site.map(Scope::Site)),
                    matrix::CellSeries::new(acc.partials.iter(), config),
                )
            },
        );
        let mut overall = Buckets::new();
        for buckets in by_department.values() {
            for (&bucket, partial) in buckets {
                overall.entry(bucket).or_default().merge(partial);
            }
        }
        let mut series = by_department;
        series.extend(by_site);
        if !overall.is_empty() {
            series.insert(Scope::Overall, overall);
        }
        let mut department_syms: Vec<Sym> = acc.partials.keys().map(|k| k.department).collect();
        let mut site_syms: Vec<Sym> = acc.partials.keys().filter_map(|k| k.site).collect();
        department_syms.sort();
        department_syms.dedup();
        site_syms.sort();
        site_syms.dedup();
        let departments = ordered(&config.departments, "dept", symbols, &department_syms);
        let department_rank = (departments.iter().enumerate())
            .map(|(i, (sym, _))| (*sym, i))
            .collect();
        MetricsSet {
            departments,
            department_rank,
            sites: ordered(&config.sites, "site", symbols, &site_syms),
            rules: acc.rules.clone(),
            series,
            cells,
            first,
            after_as_of: acc.after_as_of,
            coverage: None,
            households: household_coverage::Series::new(&acc.households, config, symbols),
            config: config.clone(),
            symbols: symbols.clone(),
        }
    }

    /// Adds the work orders' follow-up coverage to every report's scopes.
    pub fn with_coverage(mut self, coverage: coverage::CoverageSet) -> MetricsSet {
        self.coverage = Some(coverage);
        self
    }

    pub fn coverage(&self) -> Option<&coverage::CoverageSet> {
        self.coverage.as_ref()
    }

    pub fn as_of(&self) -> NaiveDate {
        self.rules.as_of
    }

    /// Every period of every kind `config` reports on, from the first record's to the one
    /// holding as-of.
    pub fn periods(&self, config: &Config) -> Vec<Period> {
        let Some(first) = self.first else {
            return Vec::new();
        };
        let calendar = self.rules.calendar;
        PeriodKind::ALL
            .into_iter()
            .filter(|&kind| config.periods.contains(kind))
            .flat_map(|kind| calendar.range(kind, first, self.rules.as_of))
            .collect()
    }

    /// The scope's buckets in `period`: periods are whole runs of buckets, so those whose
    /// first day is in it.
    fn buckets(&self, scope: Scope, period: Period) -> impl Iterator<Item = &Partial> {
        self.series
            .get(&scope)
            .into_iter()
            .flat_map(move |buckets| buckets.range(period.start()..=period.end()))
            .map(|(_, p)| p)
    }

    /// The period's buckets added up, comments included; `None` when it has no data.
    fn merged(&self, scope: Scope, period: Period) -> Option<Partial> {
        let mut merged: Option<Partial> = None;
        for p in self.buckets(scope, period) {
            merged.get_or_insert_with(Partial::default).merge(p);
        }
        merged
    }

    /// Open complaints at the period's start and end ([`rules::open_stock`]).
    fn stock(&self, scope: Scope, period: Period) -> OpenStock {
        let Some(buckets) = self.series.get(&scope) else {
            return OpenStock::default();
        };
        let series = buckets
            .range(..=period.end())
            .map(|(&bucket, p)| (bucket, p.complaints, p.closings));
        rules::open_stock(series, period.start(), period.end())
    }

    fn metrics(&self, scope: Scope, period: Period, names: &Names<'_>) -> Metrics {
        let partial = self.merged(scope, period).unwrap_or_default();
        let mut m = values::compute(&partial, self.stock(scope, period), names);
        m.coverage = self
            .coverage
            .as_ref()
            .and_then(|c| c.coverage(scope, period))
            .map(Box::new);
        m.households = self.households.coverage(scope, period).map(Box::new);
        m
    }

    /// Rates for a trend: the counters alone, as rates use no comments.
    fn rates(&self, scope: Scope, period: Period, names: &Names<'_>) -> Rates {
        let mut buckets = self.buckets(scope, period).peekable();
        if buckets.peek().is_none() {
            return Rates::default();
        }
        let mut sum = Partial::default();
        buckets.for_each(|p| sum.add_counters(p));
        values::compute(&sum, OpenStock::default(), names).rates()
    }

    fn with_trend(&self, scope: Scope, period: Period, names: &Names<'_>) -> Metrics {
        let mut m = self.metrics(scope, period, names);
        m.trend = Trend::new(
            m.rates(),
            self.rates(scope, period.previous(), names),
            self.rates(scope, period.year_ago(), names),
            self.rules.is_in_progress(period.end()),
        );
        m
    }

    /// Whether a scope has anything to say in a period: data in its buckets, or complaints
    /// still open from before.
    fn present(&self, scope: Scope, period: Period) -> bool {
        self.buckets(scope, period).next().is_some() || self.stock(scope, period).carried_over > 0
    }

    /// Every report of a build: weeks, months, quarters, then years, newest first within
    /// each. Their departments and sites are counted when asked for ([`Entities`]).
    pub fn reports(self: &Arc<Self>) -> Vec<PeriodReport> {
        let mut periods = self.periods(&self.config);
        periods.sort_by(|a, b| a.kind.cmp(&b.kind).then(b.start().cmp(&a.start())));
        // Each report merges its own months and is independent of the others.
        periods.par_iter().map(|&p| self.report(p)).collect()
    }

    pub fn report(self: &Arc<Self>, period: Period) -> PeriodReport {
        let names = self.names();
        let entities = |kind: EntityKind| {
            let present = (self.list(kind).iter().enumerate())
                .filter(|(_, (s, _))| self.present(kind.scope(*s), period))
                .map(|(at, _)| at as u32)
                .collect();
            Entities::counted(self, kind, period, present)
        };
        PeriodReport {
            period: PeriodInfo {
                id: period.id(),
                kind: period.kind,
                start: period.start(),
                end: period.end(),
                in_progress: self.rules.is_in_progress(period.end()),
            },
            as_of: self.rules.as_of,
            overall: self.with_trend(Scope::Overall, period, &names),
            departments: entities(EntityKind::Department),
            sites: entities(EntityKind::Site),
        }
    }

    fn names(&self) -> Names<'_> {
        Names {
            config: &self.config,
            symbols: &self.symbols,
        }
    }

    /// Every department or site of the build, in display order.
    fn list(&self, kind: EntityKind) -> &[(Sym, Entity)] {
        match kind {
            EntityKind::Department => &self.departments,
            EntityKind::Site => &self.sites,
        }
    }

    /// The name and slug of the one at `at` of [`list`](Self::list).
    fn entity(&self, kind: EntityKind, at: usize) -> &Entity {
        &self.list(kind)[at].1
    }

    /// The satisfaction numbers of the one at `at` of [`list`](Self::list) in `period`, from
    /// its counters alone (a trend's point needs no comments, cells or trend of its own).
    fn entity_satisfaction(
        &self,
        kind: EntityKind,
        at: usize,
        period: Period,
    ) -> values::Satisfaction {
        let scope = kind.scope(self.list(kind)[at].0);
        let mut sum = Partial::default();
        self.buckets(scope, period)
            .for_each(|p| sum.add_counters(p));
        values::compute(&sum, OpenStock::default(), &self.names()).satisfaction
    }

    /// [`Entities::headline`]: the counters of the one at `at` in `period`, with its open
    /// complaints, and nothing that needs more (comments, trend, coverage, households).
    fn entity_headline(&self, kind: EntityKind, at: usize, period: Period) -> Metrics {
        let scope = kind.scope(self.list(kind)[at].0);
        let mut sum = Partial::default();
        self.buckets(scope, period)
            .for_each(|p| sum.add_counters(p));
        values::compute(&sum, self.stock(scope, period), &self.names())
    }

    /// The numbers of the one at `at` of [`list`](Self::list) in `period`.
    fn entity_metrics(&self, kind: EntityKind, at: usize, period: Period) -> EntityMetrics {
        let (sym, entity) = &self.list(kind)[at];
        EntityMetrics {
            entity: entity.clone(),
            metrics: self.with_trend(kind.scope(*sym), period, &self.names()),
            by_department: match kind {
                EntityKind::Site => {
                    let (list, rank) = (&self.departments, &self.department_rank);
                    let min_sample = self.config.min_sample;
                    self.cells.row(*sym, list, rank, period, min_sample)
                }
                EntityKind::Department => Vec::new(),
            },
        }
    }
}

impl EntityKind {
    fn scope(self, sym: Sym) -> Scope {
        match self {
            EntityKind::Department => Scope::Department(sym),
            EntityKind::Site => Scope::Site(sym),
        }
    }
}

/// Departments or sites in display order (the configured order, then by name) with their
/// slugs: the configured one, else one derived from the name with `prefix`.
fn ordered(
    defs: &[EntityDef],
    prefix: &str,
    symbols: &Symbols,
    present: &[Sym],
) -> Vec<(Sym, Entity)> {
    // Thousands of sites may be listed: look them up, not along the list.
    let rank: std::collections::HashMap<&str, usize> = defs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.name.as_str(), i))
        .collect();
    let configured = |name: &str| rank.get(name).copied();
    let mut list: Vec<(Sym, &str)> = present.iter().map(|&s| (s, symbols.name(s))).collect();
    list.sort_by_key(|&(_, name)| (configured(name).unwrap_or(usize::MAX), name));
    unique_slugs(list.into_iter().map(|(s, name)| {
        let slug = configured(name).and_then(|i| defs[i].slug.as_ref());
        let slug = slug.map_or_else(|| crate::slug::derive(prefix, name), |s| s.0.clone());
        (s, name, slug)
    }))
}

/// Makes slugs unique in list order (a later duplicate gets `-2`, `-3` …).
fn unique_slugs<'a>(list: impl Iterator<Item = (Sym, &'a str, String)>) -> Vec<(Sym, Entity)> {
    let mut used = std::collections::HashSet::new();
    list.map(|(sym, name, slug)| {
        let mut candidate = slug.clone();
        let mut n = 2;
        while !used.insert(candidate.clone()) {
            candidate = format!("{slug}-{n}");
            n += 1;
        }
        (
            sym,
            Entity {
                name: name.into(),
                slug: candidate.into(),
            },
        )
    })
    .collect()
}
