use super::links::{OrderIndex, VisitLinks};
use super::*;
use crate::config::Config;
use crate::model::{Contact, VisitRecord};
use crate::period::{Month, PeriodKind};
use std::borrow::Cow;
use std::sync::Arc;

fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, day).unwrap()
}

#[test]
fn a_window_counts_its_first_and_last_day() {
    let done = d(3, 10);
    let at = |visit: Option<NaiveDate>, as_of| standing(done, visit, [0, 3], as_of);
    assert_eq!(at(Some(d(3, 10)), d(4, 30)), Standing::OnTime);
    assert_eq!(at(Some(d(3, 13)), d(4, 30)), Standing::OnTime);
    assert_eq!(at(Some(d(3, 14)), d(4, 30)), Standing::Late);
    assert_eq!(at(Some(d(3, 9)), d(4, 30)), Standing::Early);
    // Unfollowed: due through day 3, missed from day 4.
    assert_eq!(at(None, d(3, 13)), Standing::NotYetDue);
    assert_eq!(at(None, d(3, 14)), Standing::Missed);
    let repair = |visit| standing(done, Some(visit), [30, 60], d(12, 31));
    assert_eq!(repair(d(4, 8)), Standing::Early); // day 29
    assert_eq!(repair(d(4, 9)), Standing::OnTime); // day 30
    assert_eq!(repair(d(5, 9)), Standing::OnTime); // day 60
    assert_eq!(repair(d(5, 10)), Standing::Late); // day 61
    assert_eq!(standing(done, None, [30, 60], d(5, 9)), Standing::NotYetDue);
    assert_eq!(standing(done, None, [30, 60], d(5, 10)), Standing::Missed);
}

const CONFIG: &str = r#"
[coverage."投诉"]
target = 1.0
window = [0, 3]
visit_types = ["投诉回访"]

[coverage."维修"]
target = 0.3
window = [30, 60]
visit_types = ["维修回访"]
aliases = ["报修"]
"#;

struct Fixture {
    config: Config,
    symbols: Symbols,
    orders: Vec<OrderRecord>,
}

impl Fixture {
    fn new() -> Fixture {
        let config = Config::parse(CONFIG, std::path::Path::new("huifang.toml")).unwrap();
        Fixture {
            config,
            symbols: Symbols::default(),
            orders: Vec::new(),
        }
    }

    fn order(
        &mut self,
        id: &str,
        kind: &str,
        dept: &str,
        site: Option<&str>,
        done: Option<NaiveDate>,
    ) {
        let order = OrderRecord {
            id: id.to_owned(),
            order_type: self.symbols.intern(kind),
            department: self.symbols.intern(dept),
            site: site.map(|s| self.symbols.intern(s)),
            created: d(1, 1),
            completed: done,
            staff: None,
        };
        self.orders.push(order);
    }

    fn visit(
        &mut self,
        id: &str,
        order: Option<&str>,
        date: NaiveDate,
        (dept, site, kind): (&str, Option<&str>, &str),
        contact: Contact,
    ) -> VisitRecord<'static> {
        VisitRecord {
            id: Cow::Owned(id.to_owned()),
            date,
            department: self.symbols.intern(dept),
            site: site.map(|s| self.symbols.intern(s)),
            visit_type: Some(self.symbols.intern(kind)),
            channel: None,
            contact_result: None,
            contact,
            satisfaction: None,
            complaint: None,
            comment: None,
            staff: None,
            order: order.map(|o| Cow::Owned(o.to_owned())),
            household: None,
        }
    }

    fn index(&self) -> Arc<OrderIndex> {
        let ids = self.orders.iter().map(|o| o.id.as_str());
        Arc::new(OrderIndex::new(ids, self.config.coverage.links_by_rule()))
    }
}

fn month(m: u32) -> Period {
    Period::containing(PeriodKind::Month, Month::new(2026, m), 1)
}

/// The fixture of the module's doc: two configured types, one that is not, orders linked by
/// an order column, by the visit's own id, by rule, and not at all. Expected values by hand.
fn fixture() -> (Fixture, CoverageSet) {
    let mut f = Fixture::new();
    let (a, s1) = ("工程部", Some("翠湖花园"));
    let (b, s2) = ("客服部", Some("锦绣华庭"));
    f.order("T1", "投诉", a, s1, Some(d(3, 1)));
    f.order("T2", "投诉", a, s1, Some(d(3, 5)));
    f.order("T3", "投诉", a, s1, Some(d(3, 20)));
    f.order("T4", "投诉", a, s1, Some(d(4, 28)));
    f.order("R5", "维修", b, s2, Some(d(3, 1)));
    f.order("R6", "报修", b, s2, Some(d(3, 2)));
    f.order("R7", "维修", b, s2, Some(d(3, 3)));
    f.order("R8", "维修", b, None, Some(d(3, 4)));
    f.order("I9", "安装", a, s1, Some(d(2, 1)));
    f.order("T10", "投诉", a, s1, None);
    f.order("T11", "投诉", a, s1, Some(d(5, 2)));
    let mut links = VisitLinks::new(Some(f.index()));
    let complaint = (a, s1, "投诉回访");
    let repair = (b, s2, "维修回访");
    let visits = [
        // T1 on day 1 by its order column; T2 on day 5 (late) by the visit's own id.
        f.visit("V1", Some("T1"), d(3, 2), complaint, Contact::Reached),
        f.visit("T2", None, d(3, 10), complaint, Contact::Reached),
        // An unanswered call is no follow-up: T3 stays unfollowed.
        f.visit("V3", Some("T3"), d(3, 21), complaint, Contact::NotReached),
        // An order nobody has.
        f.visit("V4", Some("X99"), d(3, 21), complaint, Contact::Reached),
        // Two repair follow-ups by rule, day 35 and day 35 after R5 and R6; none left for R7.
        f.visit("V5", None, d(4, 5), repair, Contact::Reached),
        f.visit("V6", None, d(4, 6), repair, Contact::NoColumn),
        // A complaint-type visit at the repair site links no repair.
        f.visit("V7", None, d(4, 7), (b, s2, "投诉回访"), Contact::Reached),
    ];
    for v in &visits {
        links.add(v);
    }
    let set = CoverageSet::new(&f.orders, &links, &f.config, &f.symbols, d(4, 30));
    (f, set)
}

#[test]
fn orders_are_counted_per_type_against_their_targets() {
    let (_, set) = fixture();
    assert_eq!(set.unknown_orders, 1);
    assert_eq!(set.completed_after_as_of, 1);
    let march = set.coverage(Scope::Overall, month(3)).unwrap();
    let names: Vec<&str> = march.by_type.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["投诉", "维修"]);
    let complaints = &march.by_type[0];
    assert_eq!(
        complaints.counts,
        Counts {
            completed: 3,
            followed: 2,
            on_time: 1,
            late: 1,
            missed: 1,
            ..Counts::default()
        }
    );
    assert_eq!(complaints.followup_rate, Some(2.0 / 3.0));
    assert_eq!(complaints.followup_on_time_rate, Some(0.5));
    assert_eq!(complaints.met, Some(false));
    let repairs = &march.by_type[1];
    assert_eq!(
        repairs.counts,
        Counts {
            completed: 4,
            followed: 2,
            on_time: 2,
            not_yet_due: 2,
            linked_by_rule: 2,
            ..Counts::default()
        }
    );
    assert_eq!(repairs.followup_rate, Some(1.0));
    assert_eq!(repairs.met, Some(true));
    assert_eq!(march.counts.completed, 7);
    assert_eq!(march.followup_rate, Some(4.0 / 5.0));
    assert_eq!(march.followup_on_time_rate, Some(3.0 / 4.0));
    assert_eq!(march.met(), Some(false));

    // The type no rule names keeps the default week, and no target.
    let feb = set.coverage(Scope::Overall, month(2)).unwrap();
    assert_eq!(feb.by_type[0].name, "安装");
    assert_eq!(feb.by_type[0].window, [0, 7]);
    assert_eq!(
        (feb.by_type[0].counts.missed, feb.by_type[0].met),
        (1, None)
    );
    assert_eq!(feb.followup_rate, Some(0.0));
    // April: T4 is two days into its three.
    let april = set.coverage(Scope::Overall, month(4)).unwrap();
    assert_eq!((april.counts.completed, april.counts.not_yet_due), (1, 1));
    assert_eq!(april.followup_rate, None);
    assert!(set.coverage(Scope::Overall, month(5)).is_none());
    let q1 = Period::containing(PeriodKind::Quarter, Month::new(2026, 3), 1);
    assert_eq!(
        set.coverage(Scope::Overall, q1).unwrap().counts.completed,
        8
    );
}

#[test]
fn scopes_count_their_own_orders() {
    let (f, set) = fixture();
    let b = f.symbols.get("客服部").unwrap();
    let march = set.coverage(Scope::Department(b), month(3)).unwrap();
    assert_eq!(march.counts.completed, 4);
    let s2 = f.symbols.get("锦绣华庭").unwrap();
    // R8 has no site: the site counts three.
    let site = set.coverage(Scope::Site(s2), month(3)).unwrap();
    assert_eq!((site.counts.completed, site.counts.followed), (3, 2));
}

#[test]
fn pending_orders_list_the_missed_first() {
    let (_, set) = fixture();
    let ids: Vec<(&str, Standing)> = set
        .pending(d(3, 1), d(3, 31), Scope::Overall)
        .iter()
        .map(|o| (o.id.as_str(), o.standing))
        .collect();
    assert_eq!(
        ids,
        [
            ("T3", Standing::Missed),
            ("R7", Standing::NotYetDue),
            ("R8", Standing::NotYetDue)
        ]
    );
    let t3 = set.pending(d(3, 1), d(3, 31), Scope::Overall)[0];
    assert_eq!(t3.due_by, d(3, 23));
    assert_eq!(set.type_name(t3), "投诉");
}

proptest::proptest! {
    /// Rule linking links as many orders as the best assignment, found by trying every one:
    /// each order may take one visit from its completion day to `link_days` after, each visit
    /// serves one order.
    #[test]
    fn rule_linking_links_as_many_as_any_assignment(
        done in proptest::collection::vec(0u32..20, 0..6),
        visits in proptest::collection::vec(0u32..30, 0..6),
    ) {
        let mut f = Fixture::new();
        for (i, day) in done.iter().enumerate() {
            f.order(&format!("O{i}"), "投诉", "A", None, Some(d(1, 1) + Days::new(u64::from(*day))));
        }
        let mut links = VisitLinks::new(Some(f.index()));
        for (i, day) in visits.iter().enumerate() {
            let v = f.visit(&format!("V{i}"), None, d(1, 1) + Days::new(u64::from(*day)), ("A", None, "投诉回访"), Contact::Reached);
            links.add(&v);
        }
        let set = CoverageSet::new(&f.orders, &links, &f.config, &f.symbols, d(12, 31));
        let linked = set.coverage(Scope::Overall, month(1)).map_or(0, |c| c.counts.followed);
        let days = 7; // link_days for window [0, 3]: at least 7
        proptest::prop_assert_eq!(linked as usize, best(&done, &visits, days));
    }
}

/// The most orders any assignment links, by trying every visit (or none) for each order.
fn best(done: &[u32], visits: &[u32], days: u32) -> usize {
    fn go(i: usize, done: &[u32], visits: &[u32], used: &mut Vec<bool>, days: u32) -> usize {
        if i == done.len() {
            return 0;
        }
        let mut most = go(i + 1, done, visits, used, days);
        for j in 0..visits.len() {
            if !used[j] && visits[j] >= done[i] && visits[j] <= done[i] + days {
                used[j] = true;
                most = most.max(1 + go(i + 1, done, visits, used, days));
                used[j] = false;
            }
        }
        most
    }
    go(0, done, visits, &mut vec![false; visits.len()], days)
}
