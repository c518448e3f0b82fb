//! The complaints a manager acts on, row by row: every report's action list (complaints still
//! open at its end, and those closed late in it) and its weekly table, 投诉受理及完成情况
//! (前期遗留, 本期新增, 已完成, 累计未完成, 超时未完成, 无法解决 per site and department).
//!
//! The month partials only count; these need the rows. The accumulator keeps one compact
//! [`ComplaintRecord`] for every complaint that can ever be listed or counted here: one still
//! open, one open at some period's end (closed in a later bucket — month, or part of a week —
//! than it was raised), or one closed late. A complaint closed on time in its own bucket is in
//! no list and in no open stock
//! at any period's end, and is not kept: in practice most are, so memory follows the open and
//! late complaints, not all rows. Every rule is one of [`rules`](super::rules).

use super::rules::{self, Rules};
use super::{Entity, MetricsSet, PeriodInfo, Scope};
use crate::config::Config;
use crate::model::{Severity, StatusId, Sym, Symbols, VisitRecord, remap};
use chrono::NaiveDate;
use rustc_hash::FxHashMap as HashMap;
use std::cmp::Ordering;

/// Characters of a comment shown in an action list: enough to recognise the complaint.
pub const EXCERPT_CHARS: usize = 40;
/// Characters masked before the excerpt is cut: a number the cut runs through is masked whole.
const EXCERPT_CHARS_MASKED: usize = EXCERPT_CHARS + 24;

/// One complaint as the action lists need it. Names are symbols; the id and the masked
/// comment excerpt are a span of its log's one text buffer, so a record allocates nothing of
/// its own (and leaves no small blocks behind in the reading threads' heaps).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ComplaintRecord {
    /// Its fields, read through as the record's own (`record.date`).
    complaint: ComplaintEntry,
    /// Where the record id starts in the log's text; the masked excerpt follows it.
    text_at: usize,
    id_len: u32,
    excerpt_len: u16,
}

impl std::ops::Deref for ComplaintRecord {
    type Target = ComplaintEntry;

    fn deref(&self) -> &ComplaintEntry {
        &self.complaint
    }
}

impl ComplaintRecord {
    fn id<'t>(&self, text: &'t str) -> &'t str {
        &text[self.text_at..self.text_at + self.id_len as usize]
    }

    /// The customer's comment, masked ([`crate::privacy::mask`]), on one line, cut to
    /// [`EXCERPT_CHARS`].
    fn excerpt<'t>(&self, text: &'t str) -> &'t str {
        let at = self.text_at + self.id_len as usize;
        &text[at..at + usize::from(self.excerpt_len)]
    }

    /// Whether it was closed by the end of the day `end`: "not closed by the period's end
    /// (not closed at all, or `closed_date` after the end)", by [`rules::closing_day`] as
    /// `open_at_end` counts it.
    fn closed_by(&self, end: NaiveDate) -> bool {
        self.closed && rules::closing_day(self.date, self.closed_date) <= end
    }

    /// Open at the end of the day `end`: raised by then, not closed by then.
    fn open_at(&self, end: NaiveDate) -> bool {
        self.date <= end && !self.closed_by(end)
    }

    fn order(&self, other: &ComplaintRecord, text: &str, names: &NameOrder) -> Ordering {
        (self.date, self.id(text), self.excerpt(text))
            .cmp(&(other.date, other.id(text), other.excerpt(text)))
            .then_with(|| self.rest(names).cmp(&other.rest(names)))
    }

    /// The fields [`Self::order`] compares after date, id and excerpt, names by their place
    /// in name order: ids the labelling masks alike (`*******`) get this far, and symbols are
    /// numbered in the order names were met, which differs between the rows and the partial
    /// tables of the same visits.
    #[allow(clippy::type_complexity)]
    fn rest(
        &self,
        names: &NameOrder,
    ) -> (
        u32,
        Option<u32>,
        u32,
        Option<Severity>,
        Option<StatusId>,
        Option<NaiveDate>,
        bool,
        Option<NaiveDate>,
    ) {
        (
            names.place(self.department),
            self.site.map(|s| names.place(s)),
            names.place(self.category),
            self.severity,
            self.status,
            self.deadline,
            self.closed,
            self.closed_date,
        )
    }
}

/// The fields of a [`ComplaintRecord`] but its text: what the accumulator, or a partial table,
/// gives for one complaint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ComplaintEntry {
    pub date: NaiveDate,
    pub department: Sym,
    pub site: Option<Sym>,
    pub category: Sym,
    pub severity: Option<Severity>,
    pub status: Option<StatusId>,
    /// [`Rules::deadline`].
    pub deadline: Option<NaiveDate>,
    /// [`Rules::is_closed`] of its status.
    pub closed: bool,
    pub closed_date: Option<NaiveDate>,
}

/// Whether an action list or an open stock can ever hold a complaint: one still open, open
/// past its bucket (the smallest period it can be open at the end of), or closed late.
fn is_kept(
    rules: &Rules,
    date: NaiveDate,
    closed: bool,
    closed_date: Option<NaiveDate>,
    deadline: Option<NaiveDate>,
) -> bool {
    let bucket = |day| rules.calendar.bucket(day);
    let closing = rules::closing_day(date, closed_date);
    let open_past_its_bucket = !closed || bucket(closing) > bucket(date);
    let late = closed && rules.is_overdue(true, closed_date, deadline);
    open_past_its_bucket || late
}

/// The kept complaint records of one accumulator, in reading order until
/// [`ActionSet::new`] sorts them.
#[derive(Clone, Debug, Default)]
pub struct ComplaintLog {
    records: Vec<ComplaintRecord>,
    /// Every record's id and excerpt, one after the other.
    text: String,
}

impl ComplaintLog {
    /// Keeps `record`'s complaint if an action list or an open stock can ever hold it.
    /// `closed` and `deadline` are what the accumulator's rules decided for it.
    pub fn add(
        &mut self,
        rules: &Rules,
        record: &VisitRecord<'_>,
        closed: bool,
        deadline: Option<NaiveDate>,
    ) {
        let Some(c) = &record.complaint else { return };
        if !is_kept(rules, record.date, closed, c.closed_date, deadline) {
            return;
        }
        let complaint = ComplaintEntry {
            date: record.date,
            department: record.department,
            site: record.site,
            category: c.category,
            severity: c.severity,
            status: c.status,
            deadline,
            closed,
            closed_date: c.closed_date,
        };
        self.push(complaint, &record.id, record.comment.as_deref());
    }

    /// Keeps a complaint read from a partial table (docs/partials.md) as [`Self::add`] keeps
    /// one read from a row: the id labelled, the comment masked and cut by `excerpt` (which
    /// is [`excerpt`], or remembers what it gave: masking is most of reading a complaint, and
    /// a table may repeat a comment), and only if a list or a stock can ever hold it.
    pub fn add_read(
        &mut self,
        rules: &Rules,
        complaint: ComplaintEntry,
        id: &str,
        comment: &str,
        excerpt: impl FnOnce(&str) -> String,
    ) {
        let c = &complaint;
        if is_kept(rules, c.date, c.closed, c.closed_date, c.deadline) {
            let excerpt = (!comment.is_empty()).then(|| excerpt(comment));
            self.push_excerpt(complaint, id, excerpt.as_deref());
        }
    }

    fn push(&mut self, c: ComplaintEntry, id: &str, comment: Option<&str>) {
        self.push_excerpt(c, id, comment.map(excerpt).as_deref());
    }

    fn push_excerpt(&mut self, c: ComplaintEntry, id: &str, excerpt: Option<&str>) {
        let text_at = self.text.len();
        self.text.push_str(&crate::privacy::label(id));
        let id_len = u32::try_from(self.text.len() - text_at).unwrap_or(u32::MAX);
        if let Some(excerpt) = excerpt {
            self.text.push_str(excerpt);
        }
        // An excerpt is at most 41 characters, so at most 164 bytes.
        let excerpt_len = (self.text.len() - text_at - id_len as usize) as u16;
        self.records.push(ComplaintRecord {
            complaint: c,
            text_at,
            id_len,
            excerpt_len,
        });
    }

    /// Every kept complaint with its labelled id and masked excerpt, in the order kept.
    pub fn entries(&self) -> impl Iterator<Item = (&ComplaintRecord, &str, &str)> {
        let text = &self.text;
        (self.records.iter()).map(move |r| (r, r.id(text), r.excerpt(text)))
    }

    /// Adds `other`'s records, whose symbols `map` translates into this log's.
    pub fn merge_translated(&mut self, other: ComplaintLog, map: &[Sym]) {
        let sym = |s| remap(s, map);
        self.merge_with(other, |r| ComplaintRecord {
            complaint: ComplaintEntry {
                department: sym(r.department),
                site: r.site.map(sym),
                category: sym(r.category),
                ..r.complaint
            },
            ..r
        });
    }

    pub fn merge(&mut self, other: ComplaintLog) {
        self.merge_with(other, |r| r);
    }

    /// Appends `other`'s text and its records, passed through `f`, pointing into it.
    fn merge_with(&mut self, other: ComplaintLog, f: impl Fn(ComplaintRecord) -> ComplaintRecord) {
        let shift = self.text.len();
        self.text.push_str(&other.text);
        self.records.extend(other.records.into_iter().map(|r| {
            let r = f(r);
            ComplaintRecord {
                text_at: r.text_at + shift,
                ..r
            }
        }));
    }

    /// The records in (date, id) order, the rest of each record breaking ties: the same
    /// whatever order the logs were merged in, and whatever order `symbols` met the names.
    fn into_sorted(mut self, symbols: &Symbols) -> ComplaintLog {
        let (text, names) = (&self.text, NameOrder::new(symbols));
        self.records
            .sort_unstable_by(|a, b| a.order(b, text, &names));
        self
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }
}

/// Each symbol's place when its table's names are sorted: compares symbols as their names.
struct NameOrder(Vec<u32>);

impl NameOrder {
    fn new(symbols: &Symbols) -> NameOrder {
        let mut syms: Vec<u32> = (0..symbols.len() as u32).collect();
        syms.sort_unstable_by(|&a, &b| symbols.name(Sym(a)).cmp(symbols.name(Sym(b))));
        let mut places = vec![0; syms.len()];
        for (place, sym) in syms.into_iter().enumerate() {
            places[sym as usize] = place as u32;
        }
        NameOrder(places)
    }

    fn place(&self, sym: Sym) -> u32 {
        self.0.get(sym.0 as usize).copied().unwrap_or(u32::MAX)
    }
}

/// A comment as an action list shows it: masked, then cut (a cut through a number would
/// leave part of it unmasked), on one line.
pub fn excerpt(comment: &str) -> String {
    use super::comments::truncated;
    let masked = crate::privacy::mask(&truncated(comment, EXCERPT_CHARS_MASKED));
    let line: String = masked.split_whitespace().collect::<Vec<_>>().join(" ");
    truncated(&line, EXCERPT_CHARS).into_owned()
}

/// One row of an action list.
#[derive(Clone, Copy, Debug)]
pub struct ActionItem<'a> {
    pub record: &'a ComplaintRecord,
    pub id: &'a str,
    /// The customer's comment, masked ([`crate::privacy::mask`]), on one line, cut to
    /// [`EXCERPT_CHARS`].
    pub excerpt: &'a str,
    /// Still open at the period's end; else closed late within the period.
    pub open: bool,
    /// Days from the visit to the reference date (open) or to its closing (closed late).
    pub days_open: i64,
    /// Days past its deadline at the reference date (open; negative: not yet due) or at its
    /// closing (closed late); `None` without a deadline.
    pub days_overdue: Option<i64>,
    /// 超时未完成: open, and open more than `long_open_days` at the reference date.
    pub long_open: bool,
}

impl ActionItem<'_> {
    /// What the list is sorted by, largest first: days overdue, or days open for a
    /// complaint without a deadline (as if it was due the day it was raised).
    pub fn urgency(&self) -> i64 {
        self.days_overdue.unwrap_or(self.days_open)
    }
}

/// The weekly table's numbers for one scope (投诉受理及完成情况).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FollowUp {
    /// 前期遗留: open at the period's start (`carried_over`).
    pub carried_over: u64,
    /// 本期新增: complaints raised in the period (`complaints.total`).
    pub new: u64,
    /// 已完成: of `carried_over + new` (本期应跟进), those closed by the period's end.
    pub completed: u64,
    /// 累计未完成: open at the period's end (`open_at_end`).
    pub open_at_end: u64,
    /// 超时未完成: open at the end and open more than `long_open_days` at the reference date.
    pub long_open: u64,
    /// 无法解决: open at the end with a status of `[status] unresolvable`.
    pub unresolvable: u64,
}

impl FollowUp {
    /// 本期应跟进.
    pub fn due(&self) -> u64 {
        self.carried_over + self.new
    }

    /// 完成率: 已完成 ÷ 本期应跟进; `None` when nothing was due.
    pub fn completion_rate(&self) -> Option<f64> {
        let due = self.due();
        (due > 0).then(|| self.completed as f64 / due as f64)
    }
}

/// The sorted complaint records of a build, with the names the lists show.
pub struct ActionSet {
    /// Sorted by (date, id).
    log: ComplaintLog,
    rules: Rules,
    long_open_days: i64,
    unresolvable: Vec<StatusId>,
    /// Statuses by id, masked as labels.
    statuses: Vec<String>,
    /// Category names, masked as labels.
    names: HashMap<Sym, String>,
    departments: Vec<(Sym, Entity)>,
    sites: Vec<(Sym, Entity)>,
    /// The positions in `log` of each department's and each site's records, in log order:
    /// a page's list reads its own records, not the whole log (thousands of pages each
    /// walking every complaint made a build quadratic).
    by_scope: HashMap<Scope, Vec<u32>>,
}

impl ActionSet {
    /// Sorts `log` by (date, id): records merged in any order come out the same.
    pub fn new(
        log: ComplaintLog,
        set: &MetricsSet,
        config: &Config,
        symbols: &Symbols,
    ) -> ActionSet {
        let log = log.into_sorted(symbols);
        let statuses: Vec<String> = config
            .status
            .all()
            .map(|(s, _)| crate::privacy::label(s).into_owned())
            .collect();
        let unresolvable = config
            .status
            .all()
            .enumerate()
            .filter(|(_, (s, _))| config.status.unresolvable.iter().any(|u| u == s))
            .map(|(i, _)| StatusId(i as u8))
            .collect();
        let mut names = HashMap::default();
        for r in &log.records {
            names
                .entry(r.category)
                .or_insert_with(|| crate::privacy::label(symbols.name(r.category)).into_owned());
        }
        let mut by_scope: HashMap<Scope, Vec<u32>> = HashMap::default();
        for (i, r) in log.records.iter().enumerate() {
            let scopes = [
                Some(Scope::Department(r.department)),
                r.site.map(Scope::Site),
            ];
            for scope in scopes.into_iter().flatten() {
                by_scope.entry(scope).or_default().push(i as u32);
            }
        }
        ActionSet {
            log,
            by_scope,
            rules: set.rules.clone(),
            long_open_days: i64::from(config.long_open_days),
            unresolvable,
            statuses,
            names,
            departments: set.departments.clone(),
            sites: set.sites.clone(),
        }
    }

    /// The date days are counted to in a period: its end when complete, as-of while in
    /// progress.
    pub fn reference_date(&self, period: &PeriodInfo) -> NaiveDate {
        period.end.min(self.rules.as_of)
    }

    pub fn department_scope(&self, slug: &str) -> Option<Scope> {
        find(&self.departments, slug).map(Scope::Department)
    }

    pub fn site_scope(&self, slug: &str) -> Option<Scope> {
        find(&self.sites, slug).map(Scope::Site)
    }

    pub fn department(&self, sym: Sym) -> Option<&Entity> {
        entity(&self.departments, sym)
    }

    pub fn site(&self, sym: Sym) -> Option<&Entity> {
        entity(&self.sites, sym)
    }

    pub fn category(&self, sym: Sym) -> &str {
        self.names.get(&sym).map_or("", String::as_str)
    }

    pub fn status(&self, status: Option<StatusId>) -> Option<&str> {
        status.and_then(|s| self.statuses.get(usize::from(s.0)).map(String::as_str))
    }

    /// For each day of `ends`, a digest of every record raised by its end, by the names and
    /// text the lists show (not by symbol, whose numbers depend on reading order): the action
    /// lists and weekly tables of a period ending that day read no other record.
    pub fn digests_through(&self, ends: &[NaiveDate]) -> Vec<[u8; 32]> {
        use sha2::{Digest, Sha256};
        let names: HashMap<Sym, &str> = (self.departments.iter().chain(&self.sites))
            .map(|(sym, e)| (*sym, e.name.as_str()))
            .collect();
        let name = |sym: Option<Sym>| sym.and_then(|s| names.get(&s).copied()).unwrap_or("");
        let mut order: Vec<usize> = (0..ends.len()).collect();
        order.sort_by_key(|&i| ends[i]);
        let mut digests = vec![[0; 32]; ends.len()];
        let mut hasher = Sha256::new();
        let mut records = self.log.records.iter().peekable();
        for i in order {
            while let Some(r) = records.next_if(|r| r.date <= ends[i]) {
                let line = format!(
                    "{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{:?}\u{1f}{:?}\u{1f}{:?}\u{1f}{}\u{1f}{:?}\u{1f}{}\u{1f}{}\n",
                    r.date,
                    name(Some(r.department)),
                    name(r.site),
                    self.category(r.category),
                    r.severity,
                    self.status(r.status),
                    r.deadline,
                    r.closed,
                    r.closed_date,
                    r.id(&self.log.text),
                    r.excerpt(&self.log.text),
                );
                hasher.update(line.as_bytes());
            }
            digests[i] = hasher.clone().finalize().into();
        }
        digests
    }

    /// The records of `scope` raised by the end of `period`.
    fn through_end<'a>(
        &'a self,
        period: &PeriodInfo,
        scope: Scope,
    ) -> impl Iterator<Item = &'a ComplaintRecord> + 'a {
        let end = period.end;
        let records = &self.log.records;
        let (all, own): (&[ComplaintRecord], &[u32]) = match scope {
            Scope::Overall => (&records[..records.partition_point(|r| r.date <= end)], &[]),
            _ => {
                let own = self.by_scope.get(&scope).map_or(&[][..], Vec::as_slice);
                let upto = own.partition_point(|&i| records[i as usize].date <= end);
                (&[], &own[..upto])
            }
        };
        all.iter()
            .chain(own.iter().map(move |&i| &records[i as usize]))
    }

    fn is_long_open(&self, record: &ComplaintRecord, reference: NaiveDate) -> bool {
        (reference - record.date).num_days() > self.long_open_days
    }

    /// The action list of `scope` in `period`: every complaint open at its end, then every
    /// complaint closed within it after its deadline ([`Rules::is_overdue`]), the most
    /// overdue first (ties: date, id).
    pub fn items(&self, period: &PeriodInfo, scope: Scope) -> Vec<ActionItem<'_>> {
        let reference = self.reference_date(period);
        let mut items: Vec<ActionItem<'_>> = self
            .through_end(period, scope)
            .filter_map(|r| {
                let (open, until) = if r.open_at(period.end) {
                    (true, reference)
                } else {
                    let closing = r.closed_date?;
                    let closed_in_period = (period.start..=period.end).contains(&closing);
                    let late = self.rules.is_overdue(true, r.closed_date, r.deadline);
                    if !(closed_in_period && late) {
                        return None;
                    }
                    (false, closing)
                };
                Some(ActionItem {
                    record: r,
                    id: r.id(&self.log.text),
                    excerpt: r.excerpt(&self.log.text),
                    open,
                    days_open: (until - r.date).num_days(),
                    days_overdue: r.deadline.map(|d| (until - d).num_days()),
                    long_open: open && self.is_long_open(r, reference),
                })
            })
            .collect();
        // Records are in (date, id) order and the sort is stable.
        items.sort_by_key(|i| std::cmp::Reverse(i.urgency()));
        items
    }

    /// The weekly table's numbers of `scope` in `period`; `new` is the scope's
    /// `complaints.total` (the records hold only the complaints that stay open or are late).
    pub fn follow_up(&self, period: &PeriodInfo, scope: Scope, new: u64) -> FollowUp {
        self.follow_ups(period).get(scope, new)
    }

    /// The weekly table's stock columns of every scope of `period` (the organisation, each
    /// department, each site) in one pass over the records.
    pub fn follow_ups(&self, period: &PeriodInfo) -> FollowUps {
        let reference = self.reference_date(period);
        let mut stock: HashMap<Scope, FollowUp> = HashMap::default();
        for r in self.through_end(period, Scope::Overall) {
            let day_before = period.start.pred_opt().unwrap_or(period.start);
            let carried_over = r.date < period.start && r.open_at(day_before);
            let open_at_end = r.open_at(period.end);
            if !(carried_over || open_at_end) {
                continue;
            }
            let long_open = open_at_end && self.is_long_open(r, reference);
            let unresolvable =
                open_at_end && r.status.is_some_and(|s| self.unresolvable.contains(&s));
            let scopes = [
                Some(Scope::Overall),
                Some(Scope::Department(r.department)),
                r.site.map(Scope::Site),
            ];
            for scope in scopes.into_iter().flatten() {
                let f = stock.entry(scope).or_default();
                f.carried_over += u64::from(carried_over);
                f.open_at_end += u64::from(open_at_end);
                f.long_open += u64::from(long_open);
                f.unresolvable += u64::from(unresolvable);
            }
        }
        FollowUps { stock }
    }
}

/// The weekly table's stock columns per scope, for [`FollowUps::get`] to complete.
pub struct FollowUps {
    stock: HashMap<Scope, FollowUp>,
}

impl FollowUps {
    /// The weekly table's numbers of `scope`; `new` is the scope's `complaints.total` (the
    /// records hold only the complaints that stay open or are late).
    pub fn get(&self, scope: Scope, new: u64) -> FollowUp {
        let mut f = FollowUp {
            new,
            ..self.stock.get(&scope).copied().unwrap_or_default()
        };
        // Every complaint open at the end was carried over or raised in the period.
        f.completed = f.due().saturating_sub(f.open_at_end);
        f
    }
}

fn find(list: &[(Sym, Entity)], slug: &str) -> Option<Sym> {
    list.iter().find(|(_, e)| e.slug == slug).map(|(s, _)| *s)
}

fn entity(list: &[(Sym, Entity)], sym: Sym) -> Option<&Entity> {
    list.iter().find(|(s, _)| *s == sym).map(|(_, e)| e)
}

/// Standard competition ranks of `values` (1, 1, 3 …), the highest first; `None` values are
/// not ranked.
pub fn ranks(values: &[Option<f64>]) -> Vec<Option<usize>> {
    values
        .iter()
        .map(|v| {
            let v = (*v)?;
            Some(1 + values.iter().flatten().filter(|&&o| o > v).count())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Complaint, Contact};
    use std::borrow::Cow;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, m, d).unwrap()
    }

    fn visit(id: &str, date: NaiveDate, closed: Option<NaiveDate>) -> VisitRecord<'static> {
        VisitRecord {
            id: Cow::Owned(id.to_owned()),
            date,
            department: Sym(0),
            site: None,
            visit_type: None,
            channel: None,
            contact_result: None,
            contact: Contact::NoColumn,
            satisfaction: None,
            complaint: Some(Complaint {
                category: Sym(1),
                severity: Some(Severity::Minor),
                status: None,
                due_date: None,
                closed_date: closed,
                revisit_satisfaction: None,
            }),
            comment: Some(Cow::Borrowed("电话 13812345678，楼道灯坏了")),
            staff: None,
            order: None,
            household: None,
        }
    }

    fn rules() -> Rules {
        Rules::new(&Config::default(), day(3, 31))
    }

    /// Adds `visit` as the accumulator does: closed when it has a closed date.
    fn add(log: &mut ComplaintLog, v: &VisitRecord<'_>) {
        let r = rules();
        let c = v.complaint.as_ref().unwrap();
        let deadline = r.deadline(v.date, c.due_date, c.severity);
        log.add(&r, v, c.closed_date.is_some(), deadline);
    }

    #[test]
    fn only_complaints_a_list_or_a_stock_can_hold_are_kept() {
        let mut log = ComplaintLog::default();
        // 轻微: due two days after the visit.
        add(&mut log, &visit("on-time", day(3, 1), Some(day(3, 2))));
        add(&mut log, &visit("open", day(3, 1), None));
        add(&mut log, &visit("late", day(3, 1), Some(day(3, 9))));
        add(&mut log, &visit("next-month", day(1, 30), Some(day(2, 1))));
        let ids: Vec<&str> = log.records.iter().map(|r| r.id(&log.text)).collect();
        assert_eq!(ids, ["open", "late", "next-month"]);
        // Masked, then cut: the number is masked whole.
        assert_eq!(
            log.records[0].excerpt(&log.text),
            "电话 138****5678，楼道灯坏了"
        );
    }

    #[test]
    fn merged_logs_sort_the_same_in_any_order() {
        let log = |visits: &[(&str, u32)]| {
            let mut log = ComplaintLog::default();
            for &(id, d) in visits {
                add(&mut log, &visit(id, day(2, d), None));
            }
            log
        };
        let parts = [
            log(&[("b", 3), ("a", 3)]),
            log(&[("c", 1)]),
            log(&[("a", 2), ("b", 3)]),
        ];
        // The visits' department (Sym(0)) and category (Sym(1)).
        let mut symbols = Symbols::default();
        for name in ["工程部", "漏水"] {
            symbols.intern(name);
        }
        let merged = |order: [usize; 3]| {
            let mut all = ComplaintLog::default();
            for i in order {
                all.merge(parts[i].clone());
            }
            let sorted = all.into_sorted(&symbols);
            let text = &sorted.text;
            let resolved: Vec<_> = sorted
                .records
                .iter()
                .map(|r| {
                    let day = chrono::Datelike::day(&r.date);
                    (
                        day,
                        r.id(text).to_owned(),
                        r.excerpt(text).to_owned(),
                        r.rest(&NameOrder::new(&symbols)),
                    )
                })
                .collect();
            resolved
        };
        let sorted = merged([0, 1, 2]);
        assert_eq!(sorted, merged([2, 1, 0]));
        assert_eq!(sorted, merged([1, 2, 0]));
        let keys: Vec<(u32, &str)> = sorted.iter().map(|r| (r.0, r.1.as_str())).collect();
        assert_eq!(keys, [(1, "c"), (2, "a"), (3, "a"), (3, "b"), (3, "b")]);
    }

    #[test]
    fn ties_are_broken_by_names_whatever_order_the_symbols_met_them() {
        // Seven digits are masked whole, so both ids are published alike and the
        // complaints tie on date, id and excerpt.
        assert_eq!(crate::privacy::label("3000001"), "*******");
        let sorted_departments = |met: [&str; 2]| {
            let mut symbols = Symbols::default();
            for name in met {
                symbols.intern(name);
            }
            let mut log = ComplaintLog::default();
            for (id, department) in [("3000001", "B-dept"), ("3000002", "A-dept")] {
                let mut v = visit(id, day(2, 3), None);
                v.department = symbols.intern(department);
                v.comment = None;
                add(&mut log, &v);
            }
            let sorted = log.into_sorted(&symbols);
            let names: Vec<String> = (sorted.records.iter())
                .map(|r| symbols.name(r.department).to_owned())
                .collect();
            names
        };
        // Met A first or B first: A-dept before B-dept, by name, though B's raw id is first.
        assert_eq!(
            sorted_departments(["A-dept", "B-dept"]),
            ["A-dept", "B-dept"]
        );
        assert_eq!(
            sorted_departments(["B-dept", "A-dept"]),
            ["A-dept", "B-dept"]
        );
    }

    #[test]
    fn equal_rates_share_a_rank_and_the_next_skips() {
        let third = Some(1.0 / 3.0);
        assert_eq!(
            ranks(&[Some(0.5), third, None, Some(2.0 / 6.0), Some(0.2)]),
            [Some(1), Some(2), None, Some(2), Some(4)]
        );
    }
}
