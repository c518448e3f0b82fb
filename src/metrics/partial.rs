//! Partials: additive counters per (bucket, department, site), a bucket being a month, or with
//! weekly reports the part of a week inside one month ([`Calendar`]). Weeks, months, quarters,
//! years and the organisation total are merges of partials, never a second pass over the rows, and
//! `merge` is associative and commutative, so partials from files read in parallel combine
//! in any order.

use super::actions::ComplaintLog;
use super::comments::{CommentSample, add_comment, comment_order, key, may_keep, merge_comments};
pub use super::counts::Counts;
use super::coverage::links::{OrderIndex, VisitLinks};
use super::households::HouseholdLog;
use super::rules::{self, Rules};
use crate::model::{LevelId, Severity, StatusId, Sym, VisitRecord, remap};
use crate::period::Calendar;
use chrono::NaiveDate;
use rustc_hash::FxHashMap as HashMap;
use smallvec::SmallVec;
use std::collections::hash_map::Entry;
use std::sync::Arc;

fn add_vec(into: &mut Levels, from: &[u64]) {
    if into.len() < from.len() {
        into.resize(from.len(), 0);
    }
    for (a, b) in into.iter_mut().zip(from) {
        *a += b;
    }
}

/// Counts per satisfaction level, in scale order: five inline (the common scale) rather than a
/// heap block per partial; longer scales spill to the heap.
pub type Levels = SmallVec<[u64; 5]>;

/// Everything the metrics of DOMAIN.md need, for one bucket and one (department, site).
/// Complaint counters belong to the bucket of the visit that raised the complaint, except
/// `closings`, which belongs to the bucket the complaint was closed in (see `open_at_end`).
///
/// With thousands of sites there is about one partial per row, and most rows raise no
/// complaint: the complaints' counters sit behind a pointer that stays empty until the first
/// complaint, and the rest is held inline (136 bytes, where it was 288 and a heap block per
/// counter).
#[derive(Clone, Debug, Default)]
pub struct Partial {
    pub visits: u64,
    pub contacted: u64,
    pub by_type: Counts<Sym>,
    pub by_channel: Counts<Sym>,
    /// Responses per satisfaction level, in scale order.
    pub levels: Levels,
    /// Complaints raised by the visits of this bucket.
    pub complaints: u64,
    /// Complaints closed in this bucket (by closed date; by visit date when the closed date is
    /// missing). `open_at_end` at a period's end is the running sum of complaints − closings.
    pub closings: u64,
    /// The counters of those complaints: `None` while there are none.
    complaint: Option<Box<ComplaintCounters>>,
}

// A partial per row at 3,000 sites: its size is the reading phase's memory.
const _: () = assert!(std::mem::size_of::<Partial>() <= 136);

/// The counters of the complaints a partial counts (see [`Partial::complaint`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ComplaintCounters {
    pub by_category: Counts<Sym>,
    /// Complaints per severity; `None`: the row gave none.
    pub by_severity: Counts<Option<Severity>>,
    /// Complaints per status; `None`: the row gave none.
    pub by_status: Counts<Option<StatusId>>,
    pub closed: u64,
    pub closed_without_date: u64,
    pub overdue: u64,
    /// Closed complaints closed after their deadline (the late part of `overdue`).
    pub closed_late: u64,
    /// Complaints with neither a due date nor a severity: no deadline, never overdue.
    pub without_deadline: u64,
    /// Closed complaints with a closed date, per whole days from visit to closing. A histogram
    /// keeps the median exact in constant space per distinct day count.
    pub days_to_close: Counts<u32>,
    /// Answers of `revisit_satisfaction`, per level.
    pub revisit_levels: Levels,
    /// The latest comments on complaints, newest first (ties by id), at most
    /// [`COMMENTS_KEPT`](super::comments::COMMENTS_KEPT): a bounded sample, so memory still
    /// follows groups, not rows.
    pub comments: Vec<CommentSample>,
}

impl ComplaintCounters {
    /// Adds `other`'s counters, its symbols translated by `map` (none: the same table); comments
    /// are the caller's.
    fn add_counters_translated(&mut self, other: &ComplaintCounters, map: Option<&[Sym]>) {
        add_syms(&mut self.by_category, &other.by_category, map);
        self.by_severity.add_all(&other.by_severity);
        self.by_status.add_all(&other.by_status);
        self.closed += other.closed;
        self.closed_without_date += other.closed_without_date;
        self.overdue += other.overdue;
        self.closed_late += other.closed_late;
        self.without_deadline += other.without_deadline;
        self.days_to_close.add_all(&other.days_to_close);
        add_vec(&mut self.revisit_levels, &other.revisit_levels);
    }
}

/// What a partial without complaints reads (see [`Partial::complaint`]).
static NO_COMPLAINTS: ComplaintCounters = ComplaintCounters {
    by_category: Counts::new(),
    by_severity: Counts::new(),
    by_status: Counts::new(),
    closed: 0,
    closed_without_date: 0,
    overdue: 0,
    closed_late: 0,
    without_deadline: 0,
    days_to_close: Counts::new(),
    revisit_levels: SmallVec::new_const(),
    comments: Vec::new(),
};

fn add_syms(into: &mut Counts<Sym>, from: &Counts<Sym>, map: Option<&[Sym]>) {
    match map {
        None => into.add_all(from),
        Some(map) => {
            for (&s, &n) in from {
                into.add(remap(s, map), n);
            }
        }
    }
}

/// Equal when every count is: a partial holding an empty set of complaint counters equals
/// one holding none.
impl PartialEq for Partial {
    fn eq(&self, other: &Partial) -> bool {
        self.visits == other.visits
            && self.contacted == other.contacted
            && self.by_type == other.by_type
            && self.by_channel == other.by_channel
            && self.levels == other.levels
            && self.complaints == other.complaints
            && self.closings == other.closings
            && self.complaint() == other.complaint()
    }
}

impl Eq for Partial {}

impl Partial {
    /// The counters of this partial's complaints (all zero and empty when it has none).
    pub fn complaint(&self) -> &ComplaintCounters {
        self.complaint.as_deref().unwrap_or(&NO_COMPLAINTS)
    }

    /// The counters of this partial's complaints, made when it has none.
    pub fn complaint_mut(&mut self) -> &mut ComplaintCounters {
        self.complaint.get_or_insert_with(Box::default)
    }

    /// Adds `other`'s counters, not its comments.
    pub fn add_counters(&mut self, other: &Partial) {
        self.add_counters_translated(other, None);
    }

    /// Adds `other`'s counters and keeps the newest comments of both.
    pub fn merge(&mut self, other: &Partial) {
        self.add_counters(other);
        let Some(from) = other.complaint.as_deref() else {
            return;
        };
        let kept = &self.complaint().comments;
        let candidates: Vec<CommentSample> = from
            .comments
            .iter()
            .filter(|c| may_keep(kept, key(c)))
            .cloned()
            .collect();
        if !candidates.is_empty() {
            merge_comments(&mut self.complaint_mut().comments, candidates);
        }
    }

    /// Adds `other`, whose symbols `map` translates: `merge` of a translated copy without
    /// building the copy. Pieces of every file merge this way, so it matters.
    pub fn merge_translated(&mut self, mut other: Partial, map: &[Sym]) {
        self.add_counters_translated(&other, Some(map));
        let Some(from) = other.complaint.take() else {
            return;
        };
        let comments = from.comments.into_iter().map(|c| CommentSample {
            category: remap(c.category, map),
            ..c
        });
        merge_comments(&mut self.complaint_mut().comments, comments);
    }

    /// `self` with its symbols translated: what merging it into an empty partial gives,
    /// without adding anything up.
    fn remapped(self, map: &[Sym]) -> Partial {
        let sym = |s| remap(s, map);
        let complaint = self.complaint.map(|c| {
            let mut comments: Vec<CommentSample> = c
                .comments
                .into_iter()
                .map(|c| CommentSample {
                    category: sym(c.category),
                    ..c
                })
                .collect();
            // The category orders ties, and translated categories may order differently.
            comments.sort_by(|a, b| comment_order(key(a), b));
            Box::new(ComplaintCounters {
                by_category: c.by_category.map_keys(sym),
                comments,
                ..*c
            })
        });
        Partial {
            by_type: self.by_type.map_keys(sym),
            by_channel: self.by_channel.map_keys(sym),
            complaint,
            ..self
        }
    }

    /// Every counter of `other`, its symbols translated by `map` (none: the same table); comments
    /// are the caller's.
    fn add_counters_translated(&mut self, other: &Partial, map: Option<&[Sym]>) {
        self.visits += other.visits;
        self.contacted += other.contacted;
        add_syms(&mut self.by_type, &other.by_type, map);
        add_syms(&mut self.by_channel, &other.by_channel, map);
        add_vec(&mut self.levels, &other.levels);
        self.complaints += other.complaints;
        self.closings += other.closings;
        if let Some(from) = other.complaint.as_deref() {
            self.complaint_mut().add_counters_translated(from, map);
        }
    }
}

/// What one 回访人 did in one bucket (see [`super::staff`]): additive, like [`Partial`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StaffPartial {
    pub visits: u64,
    pub contacted: u64,
    /// Responses per satisfaction level, in scale order.
    pub levels: Levels,
}

impl StaffPartial {
    pub fn add(&mut self, other: &StaffPartial) {
        self.visits += other.visits;
        self.contacted += other.contacted;
        add_vec(&mut self.levels, &other.levels);
    }
}

/// Partials per bucket (its first day) and 回访人; `None`: visits whose row names nobody.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StaffPartials {
    pub buckets: HashMap<(NaiveDate, Option<Sym>), StaffPartial>,
}

impl StaffPartials {
    /// One accepted visit row (dated on or before as-of), as the accumulator counts it.
    pub fn add(
        &mut self,
        bucket: NaiveDate,
        staff: Option<Sym>,
        contacted: bool,
        satisfaction: Option<LevelId>,
        levels: usize,
    ) {
        let p = self.buckets.entry((bucket, staff)).or_default();
        p.visits += 1;
        p.contacted += u64::from(contacted);
        if let Some(level) = satisfaction {
            bump(&mut p.levels, usize::from(level.0), levels);
        }
    }

    /// Adds `other`, whose symbols `map` translates (none: the same table).
    pub fn merge_translated(&mut self, other: StaffPartials, map: Option<&[Sym]>) {
        for ((bucket, staff), partial) in other.buckets {
            let staff = staff.map(|s| map.map_or(s, |map| remap(s, map)));
            self.buckets
                .entry((bucket, staff))
                .or_default()
                .add(&partial);
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PartialKey {
    /// The bucket's first day.
    pub bucket: NaiveDate,
    pub department: Sym,
    pub site: Option<Sym>,
}

/// Streams records into partials. Memory follows the number of (bucket, department, site)
/// groups, never the number of rows.
#[derive(Clone, Debug)]
pub struct Accumulator {
    pub rules: Rules,
    pub partials: HashMap<PartialKey, Partial>,
    /// The complaints action lists need row by row: the open and the late ones.
    pub complaints: ComplaintLog,
    /// Records dated after as-of: in no report, and said so.
    pub after_as_of: u64,
    /// Which visits follow up which work orders (when the project has any).
    pub links: VisitLinks,
    /// Numbers per 回访人, gathered only under `publish_staff` (see [`super::staff`]).
    pub staff: Option<StaffPartials>,
    /// Households visited, where the log has a household key (not per partial: distinct
    /// households do not add up across months).
    pub households: HouseholdLog,
}

impl Accumulator {
    pub fn new(rules: Rules) -> Accumulator {
        Accumulator {
            staff: rules.staff.then(StaffPartials::default),
            rules,
            partials: HashMap::default(),
            complaints: ComplaintLog::default(),
            after_as_of: 0,
            links: VisitLinks::default(),
            households: HouseholdLog::default(),
        }
    }

    /// An accumulator that also links visits to the work orders of `index`.
    pub fn with_orders(mut self, index: Option<Arc<OrderIndex>>) -> Accumulator {
        self.links = VisitLinks::new(index);
        self
    }

    pub fn add(&mut self, record: &VisitRecord) {
        if self.rules.is_after_as_of(record.date) {
            self.after_as_of += 1;
            return;
        }
        self.links.add(record);
        let Accumulator {
            rules,
            partials,
            complaints,
            staff,
            households,
            ..
        } = self;
        let calendar: Calendar = rules.calendar;
        let key = |day| PartialKey {
            bucket: calendar.bucket(day),
            department: record.department,
            site: record.site,
        };
        let bucket = calendar.bucket(record.date);
        let contacted = rules::is_contacted(record.contact);
        if let Some(staff) = staff {
            staff.add(
                bucket,
                record.staff,
                contacted,
                record.satisfaction,
                rules.levels,
            );
        }
        let p = partials.entry(key(record.date)).or_default();
        p.visits += 1;
        p.contacted += u64::from(contacted);
        if let Some(household) = record.household {
            households.add(record.site, household, record.date, contacted);
        }
        if let Some(t) = record.visit_type {
            p.by_type.add(t, 1);
        }
        if let Some(c) = record.channel {
            p.by_channel.add(c, 1);
        }
        if let Some(level) = record.satisfaction {
            bump(&mut p.levels, usize::from(level.0), rules.levels);
        }
        let Some(c) = &record.complaint else { return };
        p.complaints += 1;
        let counters = p.complaint_mut();
        counters.by_category.add(c.category, 1);
        if let Some(text) = &record.comment {
            add_comment(
                &mut counters.comments,
                record.date,
                &record.id,
                c.category,
                text,
            );
        }
        counters.by_severity.add(c.severity, 1);
        counters.by_status.add(c.status, 1);
        if let Some(level) = c.revisit_satisfaction {
            bump(
                &mut counters.revisit_levels,
                usize::from(level.0),
                rules.levels,
            );
        }
        let closed = rules.is_closed(c.status);
        let deadline = rules.deadline(record.date, c.due_date, c.severity);
        if deadline.is_none() {
            counters.without_deadline += 1;
        }
        counters.overdue += u64::from(rules.is_overdue(closed, c.closed_date, deadline));
        complaints.add(rules, record, closed, deadline);
        if !closed {
            return;
        }
        counters.closed += 1;
        counters.closed_late += u64::from(rules.is_overdue(true, c.closed_date, deadline));
        match c.closed_date {
            Some(d) => counters
                .days_to_close
                .add(rules::days_to_close(record.date, d), 1),
            None => counters.closed_without_date += 1,
        }
        let closing = rules::closing_day(record.date, c.closed_date);
        partials.entry(key(closing)).or_default().closings += 1;
    }

    /// Adds `other`, whose symbols `map` translates into this one's (see
    /// [`crate::model::Symbols::absorb`]).
    pub fn merge_translated(&mut self, other: Accumulator, map: &[Sym]) {
        self.after_as_of += other.after_as_of;
        self.complaints.merge_translated(other.complaints, map);
        self.links.merge_translated(other.links, map);
        merge_staff(&mut self.staff, other.staff, Some(map));
        self.households
            .merge_translated(other.households, Some(map));
        for (key, partial) in other.partials {
            let key = PartialKey {
                department: remap(key.department, map),
                site: key.site.map(|s| remap(s, map)),
                ..key
            };
            // Files of different years share no bucket: most partials land in empty places.
            match self.partials.entry(key) {
                Entry::Occupied(mut place) => place.get_mut().merge_translated(partial, map),
                Entry::Vacant(place) => {
                    place.insert(partial.remapped(map));
                }
            }
        }
    }

    /// A satisfaction rating from a survey: it counts among the department's responses in its
    /// bucket, and is no visit.
    pub fn add_rating(&mut self, date: NaiveDate, department: Sym, level: LevelId) {
        if self.rules.is_after_as_of(date) {
            return;
        }
        let key = PartialKey {
            bucket: self.rules.calendar.bucket(date),
            department,
            site: None,
        };
        let levels = self.rules.levels;
        bump(
            &mut self.partials.entry(key).or_default().levels,
            usize::from(level.0),
            levels,
        );
    }

    pub fn merge(&mut self, other: Accumulator) {
        self.after_as_of += other.after_as_of;
        self.complaints.merge(other.complaints);
        self.links.merge(other.links);
        merge_staff(&mut self.staff, other.staff, None);
        self.households.merge_translated(other.households, None);
        for (key, partial) in other.partials {
            self.partials.entry(key).or_default().merge(&partial);
        }
    }
}

fn merge_staff(into: &mut Option<StaffPartials>, from: Option<StaffPartials>, map: Option<&[Sym]>) {
    if let Some(from) = from {
        into.get_or_insert_with(StaffPartials::default)
            .merge_translated(from, map);
    }
}

fn bump(counts: &mut Levels, index: usize, len: usize) {
    if counts.len() < len.max(index + 1) {
        counts.resize(len.max(index + 1), 0);
    }
    counts[index] += 1;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::metrics::comments::COMMENTS_KEPT;
    use crate::model::{Complaint, Contact};
    use std::borrow::Cow;

    /// The newest five distinct comments, by the plainest method: all of them, sorted by the
    /// documented order (newest first, then id, text, category), without repeats.
    fn newest_five(all: &[CommentSample]) -> Vec<CommentSample> {
        let mut all = all.to_vec();
        all.sort_by(|a, b| {
            (b.date, &a.id, &a.text, a.category).cmp(&(a.date, &b.id, &b.text, b.category))
        });
        all.dedup();
        all.truncate(COMMENTS_KEPT);
        all
    }

    fn visit(complaint: Option<Complaint>) -> VisitRecord<'static> {
        VisitRecord {
            id: Cow::Borrowed("v1"),
            date: NaiveDate::from_ymd_opt(2025, 3, 4).unwrap(),
            department: Sym(0),
            site: None,
            visit_type: Some(Sym(2)),
            channel: Some(Sym(3)),
            contact_result: None,
            contact: Contact::NoColumn,
            satisfaction: Some(LevelId(1)),
            complaint,
            comment: None,
            staff: None,
            order: None,
            household: None,
        }
    }

    /// Visits without complaints leave a partial's complaint counters unmade (most partials of
    /// a build over thousands of sites); the first complaint makes them.
    #[test]
    fn complaint_counters_are_made_by_the_first_complaint() {
        let as_of = NaiveDate::from_ymd_opt(2025, 3, 31).unwrap();
        let mut acc = Accumulator::new(Rules::new(&Config::default(), as_of));
        acc.add(&visit(None));
        acc.add(&visit(None));
        let key = PartialKey {
            bucket: NaiveDate::from_ymd_opt(2025, 3, 1).unwrap(),
            department: Sym(0),
            site: None,
        };
        let p = acc.partials[&key].clone();
        assert_eq!((p.visits, p.complaints), (2, 0));
        assert_eq!(p.levels.get(1), Some(&2));
        assert!(p.complaint.is_none());
        assert_eq!(p.complaint(), &ComplaintCounters::default());
        // Made and left empty, the counters are still none: equal partials stay equal.
        let mut made = p.clone();
        made.complaint_mut();
        assert_eq!(made, p);

        acc.add(&visit(Some(Complaint {
            category: Sym(4),
            severity: Some(Severity::Minor),
            status: None,
            due_date: None,
            closed_date: None,
            revisit_satisfaction: Some(LevelId(0)),
        })));
        let p = &acc.partials[&key];
        assert_eq!((p.visits, p.complaints), (3, 1));
        assert!(p.complaint.is_some());
        let c = p.complaint();
        assert_eq!(c.by_category.get(&Sym(4)), Some(&1));
        assert_eq!(c.by_severity.get(&Some(Severity::Minor)), Some(&1));
        assert_eq!(c.revisit_levels.first(), Some(&1));
        assert_ne!(p, &made);
    }

    proptest::proptest! {
        /// Comments added one at a time, or in two partials merged, keep what sorting all of
        /// them keeps; few values make ties and repeats common.
        #[test]
        fn comments_added_or_merged_keep_the_newest_five(
            comments in proptest::collection::vec((1u32..4, 0u8..3, 0u8..2, 0u32..2), 0..30),
            split in 0usize..30,
        ) {
            let all: Vec<CommentSample> = comments
                .iter()
                .map(|&(day, id, text, category)| CommentSample {
                    date: NaiveDate::from_ymd_opt(2025, 3, day).unwrap(),
                    id: format!("id{id}"),
                    category: Sym(category),
                    text: format!("text{text}"),
                })
                .collect();
            let added = |list: &[CommentSample]| {
                let mut p = Partial::default();
                for c in list {
                    add_comment(&mut p.complaint_mut().comments, c.date, &c.id, c.category, &c.text);
                }
                p
            };
            let expected = newest_five(&all);
            let each = added(&all);
            proptest::prop_assert_eq!(&each.complaint().comments, &expected);
            let (a, b) = all.split_at(split.min(all.len()));
            let mut merged = added(a);
            merged.merge(&added(b));
            proptest::prop_assert_eq!(&merged.complaint().comments, &expected);
        }
    }
}
