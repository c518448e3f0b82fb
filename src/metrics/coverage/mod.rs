//! Follow-up coverage (回访率): work orders measured against the visits that follow them up.
//! Every order completed by the data date is, at that date, followed up (on time, early or
//! late against its type's window), not yet due (unfollowed, its window still open), or
//! missed (unfollowed, its window closed). A report counts the orders completed in its period;
//! its scopes are the organisation, each department and each site, as for visits.
//!
//! Orders are few beside visits (one per repair or complaint), so every order is classified
//! once and counted into bucket series per scope, which periods add up as the visit partials.

pub mod by_staff;
pub mod links;
mod matching;

use super::Scope;
use super::numbers::{four_decimals, rate};
use crate::config::{Config, OrderTypeRule};
use crate::model::{OrderRecord, Sym, Symbols};
use crate::period::Period;
use chrono::{Days, NaiveDate};
use links::VisitLinks;
use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where an order stands at the data date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Standing {
    /// Followed up within the window's days after completion.
    OnTime,
    /// Followed up before the window opened (a repair called back the next day when the rule
    /// asks for a month).
    Early,
    /// Followed up after the window closed.
    Late,
    /// Not followed up, and the window is still open at the data date.
    NotYetDue,
    /// Not followed up, and the window closed before the data date.
    Missed,
}

/// "Follow-ups on time: within the configured window after completion"; "orders still
/// inside their window at the data date are not yet due, not missed". The window's days count
/// from the completion date: `[0, 3]` is the day of completion to three days after, so a
/// follow-up on day 3 is on time and one on day 4 is late; unfollowed, the order is missed
/// from day 4 on.
pub fn standing(
    completed: NaiveDate,
    first_followup: Option<NaiveDate>,
    window: [u32; 2],
    as_of: NaiveDate,
) -> Standing {
    let [first, last] = window.map(i64::from);
    match first_followup {
        Some(visit) => {
            let days = (visit - completed).num_days();
            if days < first {
                Standing::Early
            } else if days <= last {
                Standing::OnTime
            } else {
                Standing::Late
            }
        }
        None if (as_of - completed).num_days() <= last => Standing::NotYetDue,
        None => Standing::Missed,
    }
}

/// The counts of one scope, period and order type (or all types).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Orders completed in the period (by the data date).
    pub completed: u64,
    /// Of those, followed up by a visit that reached the customer.
    pub followed: u64,
    pub on_time: u64,
    pub early: u64,
    pub late: u64,
    pub not_yet_due: u64,
    pub missed: u64,
    /// Of `followed`, those whose follow-up was found by rule, not by an order id.
    pub linked_by_rule: u64,
}

impl Counts {
    fn add_order(&mut self, standing: Standing, by_rule: bool) {
        self.completed += 1;
        match standing {
            Standing::OnTime => self.on_time += 1,
            Standing::Early => self.early += 1,
            Standing::Late => self.late += 1,
            Standing::NotYetDue => self.not_yet_due += 1,
            Standing::Missed => self.missed += 1,
        }
        if matches!(
            standing,
            Standing::OnTime | Standing::Early | Standing::Late
        ) {
            self.followed += 1;
            self.linked_by_rule += u64::from(by_rule);
        }
    }

    fn add(&mut self, other: &Counts) {
        self.completed += other.completed;
        self.followed += other.followed;
        self.on_time += other.on_time;
        self.early += other.early;
        self.late += other.late;
        self.not_yet_due += other.not_yet_due;
        self.missed += other.missed;
        self.linked_by_rule += other.linked_by_rule;
    }

    /// 应回访: orders whose follow-up is due, followed or missed; not-yet-due orders wait.
    pub fn due(&self) -> u64 {
        self.followed + self.missed
    }

    /// 回访率 (`followup_rate`) = followed ÷ (followed + missed).
    pub fn followup_rate(&self) -> Option<f64> {
        rate(self.followed, self.due())
    }

    /// 回访及时率 (`followup_on_time_rate`) = followed within the window ÷ followed.
    pub fn followup_on_time_rate(&self) -> Option<f64> {
        rate(self.on_time, self.followed)
    }
}

/// A scope's follow-up coverage in one report: `metrics.json`'s `coverage`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Coverage {
    #[serde(flatten)]
    pub counts: Counts,
    #[serde(serialize_with = "four_decimals")]
    pub followup_rate: Option<f64>,
    #[serde(serialize_with = "four_decimals")]
    pub followup_on_time_rate: Option<f64>,
    /// Per order type with orders completed in the period, in display order.
    pub by_type: Vec<TypeCoverage>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TypeCoverage {
    /// The order type's name: the `[coverage]` key, or as the order files write it.
    pub name: crate::metrics::Label,
    /// The configured 回访率 target, if any.
    pub target: Option<f64>,
    /// Days after completion a follow-up is on time.
    pub window: [u32; 2],
    /// Whether `followup_rate` reaches `target`; null without either.
    pub met: Option<bool>,
    #[serde(flatten)]
    pub counts: Counts,
    #[serde(serialize_with = "four_decimals")]
    pub followup_rate: Option<f64>,
    #[serde(serialize_with = "four_decimals")]
    pub followup_on_time_rate: Option<f64>,
}

impl Coverage {
    /// Whether every type with a target reaches it; `None` when no type has both.
    pub fn met(&self) -> Option<bool> {
        let marks: Vec<bool> = self.by_type.iter().filter_map(|t| t.met).collect();
        (!marks.is_empty()).then(|| marks.iter().all(|&m| m))
    }
}

/// An order type as the reports show it.
#[derive(Clone, Debug)]
struct TypeInfo {
    name: String,
    rule: OrderTypeRule,
}

/// An order due for follow-up and not followed up (missed, or not yet due), for the action
/// lists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingOrder {
    /// The order's id, masked as labels are.
    pub id: String,
    /// Index into the set's order types.
    kind: usize,
    department: Sym,
    site: Option<Sym>,
    /// The department's and site's names, as the reports give them.
    pub department_name: String,
    pub site_name: Option<String>,
    pub completed: NaiveDate,
    /// The window's last day: the last day a follow-up is on time.
    pub due_by: NaiveDate,
    pub standing: Standing,
}

/// Every order of a build, classified, counted per scope and bucket of completion.
pub struct CoverageSet {
    types: Vec<TypeInfo>,
    /// Per scope and bucket of completion (its first day), per order type.
    series: HashMap<Scope, BTreeMap<NaiveDate, Vec<Counts>>>,
    /// Missed and not-yet-due orders, by (completion date, id).
    pending: Vec<PendingOrder>,
    /// Each scope's places in `pending`, in the same order: a site's page looks at its own.
    pending_by_scope: HashMap<Scope, Vec<u32>>,
    /// Visits whose order column names an order no order file has.
    pub unknown_orders: u64,
    /// Orders completed after the data date: in no report yet.
    pub completed_after_as_of: u64,
    /// Follow-ups per 回访人, only under `publish_staff`.
    pub staff: Option<by_staff::StaffSeries>,
}

impl CoverageSet {
    pub fn new(
        orders: &[OrderRecord],
        links: &VisitLinks,
        config: &Config,
        symbols: &Symbols,
        as_of: NaiveDate,
    ) -> CoverageSet {
        let (types, kind_of) = order_types(orders, config, symbols);
        // Each order's first follow-up by id: (date, 回访人), the earliest (ties: by symbol).
        let mut first: Vec<Option<(NaiveDate, Option<Sym>)>> = vec![None; orders.len()];
        for &(i, date, staff) in &links.by_id {
            let slot = &mut first[i as usize];
            *slot = Some(slot.map_or((date, staff), |f| f.min((date, staff))));
        }
        let by_rule = link_by_rule(orders, &kind_of, &types, &first, links, symbols, as_of);
        let mut set = CoverageSet {
            types,
            series: HashMap::default(),
            pending: Vec::new(),
            pending_by_scope: HashMap::default(),
            unknown_orders: links.unknown_orders,
            completed_after_as_of: 0,
            staff: config.publish_staff.then(by_staff::StaffSeries::default),
        };
        let n_types = set.types.len();
        for (i, order) in orders.iter().enumerate() {
            let Some(completed) = order.completed else {
                continue;
            };
            if completed > as_of {
                set.completed_after_as_of += 1;
                continue;
            }
            let kind = kind_of[i];
            let window = set.types[kind].rule.window;
            let (followup, rule) = match (first[i], by_rule.get(&i)) {
                (Some(f), _) => (Some(f), false),
                (None, Some(&f)) => (Some(f), true),
                (None, None) => (None, false),
            };
            let standing = standing(completed, followup.map(|f| f.0), window, as_of);
            let bucket = config.calendar().bucket(completed);
            if let Some(staff) = &mut set.staff {
                let name = |s: Sym| symbols.name(s);
                staff.add(by_staff::OrderOutcome {
                    bucket,
                    follower: followup.and_then(|f| f.1).map(name),
                    assignee: order.staff.map(name),
                    followed: matches!(
                        standing,
                        Standing::OnTime | Standing::Early | Standing::Late
                    ),
                    on_time: standing == Standing::OnTime,
                    missed: standing == Standing::Missed,
                });
            }
            let scopes = std::iter::once(Scope::Overall)
                .chain(Some(Scope::Department(order.department)))
                .chain(order.site.map(Scope::Site));
            for scope in scopes {
                let counts = set
                    .series
                    .entry(scope)
                    .or_default()
                    .entry(bucket)
                    .or_insert_with(|| vec![Counts::default(); n_types]);
                counts[kind].add_order(standing, rule);
            }
            if matches!(standing, Standing::NotYetDue | Standing::Missed) {
                set.pending.push(PendingOrder {
                    id: crate::privacy::label(&order.id).into_owned(),
                    kind,
                    department: order.department,
                    site: order.site,
                    department_name: symbols.name(order.department).to_owned(),
                    site_name: order.site.map(|s| symbols.name(s).to_owned()),
                    completed,
                    due_by: completed + Days::new(u64::from(window[1])),
                    standing,
                });
            }
        }
        set.pending
            .sort_by(|a, b| (a.completed, &a.id).cmp(&(b.completed, &b.id)));
        for (i, o) in set.pending.iter().enumerate() {
            let scopes = [
                Some(Scope::Overall),
                Some(Scope::Department(o.department)),
                o.site.map(Scope::Site),
            ];
            for scope in scopes.into_iter().flatten() {
                set.pending_by_scope
                    .entry(scope)
                    .or_default()
                    .push(i as u32);
            }
        }
        set
    }

    /// The coverage of `scope` in `period`: `None` when no order of it was completed then.
    pub fn coverage(&self, scope: Scope, period: Period) -> Option<Coverage> {
        let buckets = self.series.get(&scope)?;
        let mut by_type = vec![Counts::default(); self.types.len()];
        let mut any = false;
        for (_, counts) in buckets.range(period.start()..=period.end()) {
            any = true;
            for (into, from) in by_type.iter_mut().zip(counts) {
                into.add(from);
            }
        }
        if !any {
            return None;
        }
        let mut total = Counts::default();
        for c in &by_type {
            total.add(c);
        }
        let by_type = self
            .types
            .iter()
            .zip(by_type)
            .filter(|(_, c)| c.completed > 0)
            .map(|(t, counts)| {
                let rate = counts.followup_rate();
                TypeCoverage {
                    name: t.name.as_str().into(),
                    target: t.rule.target,
                    window: t.rule.window,
                    met: rate.zip(t.rule.target).map(|(r, target)| r >= target),
                    counts,
                    followup_rate: rate,
                    followup_on_time_rate: counts.followup_on_time_rate(),
                }
            })
            .collect();
        Some(Coverage {
            counts: total,
            followup_rate: total.followup_rate(),
            followup_on_time_rate: total.followup_on_time_rate(),
            by_type,
        })
    }

    /// The orders of `scope` completed in `period` that still want a follow-up at the data
    /// date: missed ones first, longest past their window first, then the not-yet-due ones,
    /// soonest due first.
    pub fn pending(&self, start: NaiveDate, end: NaiveDate, scope: Scope) -> Vec<&PendingOrder> {
        let places = self
            .pending_by_scope
            .get(&scope)
            .map_or(&[][..], Vec::as_slice);
        let order = |i: &u32| &self.pending[*i as usize];
        let from = places.partition_point(|i| order(i).completed < start);
        let upto = places.partition_point(|i| order(i).completed <= end);
        let mut list: Vec<&PendingOrder> = places[from..upto.max(from)].iter().map(order).collect();
        // Stable: ties keep (completion date, id) order.
        list.sort_by_key(|o| (o.standing != Standing::Missed, o.due_by));
        list
    }

    /// The name of a pending order's type.
    pub fn type_name(&self, order: &PendingOrder) -> &str {
        &self.types[order.kind].name
    }
}

/// The order types in display order: the configured ones (by name), then the others as the
/// files write them (by name); and each order's type.
fn order_types(
    orders: &[OrderRecord],
    config: &Config,
    symbols: &Symbols,
) -> (Vec<TypeInfo>, Vec<usize>) {
    let coverage = &config.coverage;
    let mut types: Vec<TypeInfo> = coverage
        .types
        .iter()
        .map(|(name, rule)| TypeInfo {
            name: crate::privacy::label(name).into_owned(),
            rule: rule.clone(),
        })
        .collect();
    let configured = types.len();
    let mut by_sym: HashMap<Sym, usize> = HashMap::default();
    let mut others: BTreeMap<String, Vec<Sym>> = BTreeMap::new();
    for order in orders {
        if by_sym.contains_key(&order.order_type) {
            continue;
        }
        let written = symbols.name(order.order_type);
        match coverage.type_of(written) {
            Some(name) => {
                let at = coverage.types.keys().position(|k| k == name).unwrap_or(0);
                by_sym.insert(order.order_type, at);
            }
            None => {
                others
                    .entry(crate::privacy::label(written).into_owned())
                    .or_default()
                    .push(order.order_type);
                by_sym.insert(order.order_type, usize::MAX);
            }
        }
    }
    for (i, (name, syms)) in others.into_iter().enumerate() {
        for sym in syms {
            by_sym.insert(sym, configured + i);
        }
        types.push(TypeInfo {
            name,
            rule: OrderTypeRule::default(),
        });
    }
    let kind_of = orders.iter().map(|o| by_sym[&o.order_type]).collect();
    (types, kind_of)
}

/// Follow-ups found by rule for the orders no visit names: the same department, the same
/// site (or both without one), a visit type listed in the order type's `visit_types`, and a
/// date from the completion day to `link_days` after. Each visit follows up one order at
/// most; within each (department, site, type) the assignment links as many orders as any can
/// and, of those, as many on time (`matching`, docs/metrics.md). Returns each linked
/// order's follow-up date.
fn link_by_rule(
    orders: &[OrderRecord],
    kind_of: &[usize],
    types: &[TypeInfo],
    first: &[Option<(NaiveDate, Option<Sym>)>],
    links: &VisitLinks,
    symbols: &Symbols,
    as_of: NaiveDate,
) -> HashMap<usize, (NaiveDate, Option<Sym>)> {
    type Group = (Sym, Option<Sym>, usize);
    let mut linked = HashMap::default();
    if links.candidates.is_empty() {
        return linked;
    }
    // The types each visit type follows up, looked up once per visit type.
    let mut follows: HashMap<Sym, Vec<usize>> = HashMap::default();
    // Each candidate by its date and its place in the list, which tells equal visits apart.
    let mut visits: BTreeMap<Group, Vec<(NaiveDate, usize)>> = BTreeMap::new();
    for (n, c) in links.candidates.iter().enumerate() {
        let kinds = follows.entry(c.visit_type).or_insert_with(|| {
            let written = symbols.name(c.visit_type);
            let key = crate::chars::header_key(written);
            types
                .iter()
                .enumerate()
                .filter(|(_, t)| {
                    t.rule
                        .visit_types
                        .iter()
                        .any(|v| crate::chars::header_key(v) == key)
                })
                .map(|(i, _)| i)
                .collect()
        });
        for &kind in kinds.iter() {
            visits
                .entry((c.department, c.site, kind))
                .or_default()
                .push((c.date, n));
        }
    }
    let mut waiting: BTreeMap<Group, Vec<(NaiveDate, &str, usize)>> = BTreeMap::new();
    for (i, order) in orders.iter().enumerate() {
        if let (None, Some(completed)) = (first[i], order.completed)
            && completed <= as_of
        {
            let group = (order.department, order.site, kind_of[i]);
            waiting
                .entry(group)
                .or_default()
                .push((completed, &order.id, i));
        }
    }
    // A visit type listed under two order types may sit in two groups: it is used once.
    let mut used = vec![false; links.candidates.len()];
    for (group, mut pending) in waiting {
        let Some(candidates) = visits.get_mut(&group) else {
            continue;
        };
        candidates.sort();
        candidates.retain(|&(_, n)| !used[n]);
        pending.sort();
        let rule = &types[group.2].rule;
        let spans = matching::Spans {
            on_time: (rule.window[0], rule.window[1]),
            span: (0, rule.link_days()),
        };
        let completed: Vec<NaiveDate> = pending.iter().map(|p| p.0).collect();
        let dates: Vec<NaiveDate> = candidates.iter().map(|c| c.0).collect();
        let chosen = matching::best_links(&completed, &dates, spans);
        for (&(_, _, i), visit) in pending.iter().zip(chosen) {
            if let Some(v) = visit {
                let (date, n) = candidates[v];
                used[n] = true;
                linked.insert(i, (date, links.candidates[n].staff));
            }
        }
    }
    linked
}

#[cfg(test)]
mod tests;
