//! Which visits follow up which work orders, gathered while the visit logs are read. A visit
//! links **by id** when its order column (关联工单 …) names an order, or, without one, when its
//! own id (工单号 …) is an order's id. Visits that name no order are kept for linking **by
//! rule** only when some order type has `visit_types`. Only visits that reached the customer
//! ([`rules::is_contacted`]) follow anything up: a call nobody answered is an attempt.

use crate::metrics::rules;
use crate::model::{Sym, VisitRecord, remap};
use chrono::NaiveDate;
use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

/// The orders' ids, known before the visits are read so each visit is looked up as it
/// passes, and only what links is kept.
#[derive(Debug, Default)]
pub struct OrderIndex {
    ids: HashMap<Box<str>, u32>,
    /// Some order type links by rule: keep the visits that name no order.
    by_rule: bool,
}

impl OrderIndex {
    /// `ids` in order: an order's index is its place in the orders list.
    pub fn new<'a>(ids: impl Iterator<Item = &'a str>, by_rule: bool) -> OrderIndex {
        let mut map = HashMap::default();
        for (i, id) in ids.enumerate() {
            // Ids are unique (reading rejects a repeat); the first keeps its place regardless.
            map.entry(id.into()).or_insert(i as u32);
        }
        OrderIndex { ids: map, by_rule }
    }

    fn get(&self, id: &str) -> Option<u32> {
        self.ids.get(id).copied()
    }
}

/// A contacted visit that names no order, for linking by rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Candidate {
    pub date: NaiveDate,
    pub department: Sym,
    pub site: Option<Sym>,
    pub visit_type: Sym,
    /// The visit's 回访人, for the staff view.
    pub staff: Option<Sym>,
}

/// What the visits of one accumulator say about orders.
#[derive(Clone, Debug, Default)]
pub struct VisitLinks {
    index: Option<Arc<OrderIndex>>,
    /// (order, visit date, 回访人) of every contacted visit that names an order by id.
    pub by_id: Vec<(u32, NaiveDate, Option<Sym>)>,
    /// Visits whose order column names an order no order file has.
    pub unknown_orders: u64,
    pub candidates: Vec<Candidate>,
}

impl VisitLinks {
    pub fn new(index: Option<Arc<OrderIndex>>) -> VisitLinks {
        VisitLinks {
            index,
            ..VisitLinks::default()
        }
    }

    pub fn add(&mut self, record: &VisitRecord<'_>) {
        let Some(index) = &self.index else { return };
        let named = match &record.order {
            Some(order) => match index.get(order) {
                Some(i) => Some(i),
                None => {
                    self.unknown_orders += 1;
                    return;
                }
            },
            None => index.get(&record.id),
        };
        if !rules::is_contacted(record.contact) {
            return;
        }
        match (named, record.visit_type) {
            (Some(i), _) => self.by_id.push((i, record.date, record.staff)),
            (None, Some(visit_type)) if index.by_rule => self.candidates.push(Candidate {
                date: record.date,
                department: record.department,
                site: record.site,
                visit_type,
                staff: record.staff,
            }),
            (None, _) => {}
        }
    }

    /// Adds `other`'s links, whose symbols `map` translates into this one's.
    pub fn merge_translated(&mut self, other: VisitLinks, map: &[Sym]) {
        if self.index.is_none() {
            self.index = other.index;
        }
        let by_id = other.by_id.into_iter();
        self.by_id
            .extend(by_id.map(|(i, date, staff)| (i, date, staff.map(|s| remap(s, map)))));
        self.unknown_orders += other.unknown_orders;
        self.candidates
            .extend(other.candidates.into_iter().map(|c| Candidate {
                department: remap(c.department, map),
                site: c.site.map(|s| remap(s, map)),
                visit_type: remap(c.visit_type, map),
                staff: c.staff.map(|s| remap(s, map)),
                ..c
            }));
    }

    pub fn merge(&mut self, other: VisitLinks) {
        if self.index.is_none() {
            self.index = other.index;
        }
        self.by_id.extend(other.by_id);
        self.unknown_orders += other.unknown_orders;
        self.candidates.extend(other.candidates);
    }
}
