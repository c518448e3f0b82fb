//! The assignment of visits to orders when linking by rule: as many orders followed up as any
//! assignment can, and of those assignments one with the most on time.
//!
//! Greedy passes cannot do both: oldest-first links the most orders but may send a visit to
//! an older order it is late for, and on-time-first may strand an order (see the tests). This
//! is a minimum-cost maximum matching (cost 1 for a link that is not on time, 0 for one that
//! is), by the primal-dual method: Dijkstra on reduced costs finds how far the nearest free
//! visit is, and then every augmenting path of that length is taken before searching again.
//! Costs are 0 or 1, so there are only a few such rounds, each a linear pass over the links.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use chrono::{Days, NaiveDate};

/// The days after completion an order may take a visit (`span`), and those that are on time
/// (`on_time`), both inclusive.
#[derive(Debug, Clone, Copy)]
pub struct Spans {
    pub on_time: (u32, u32),
    pub span: (u32, u32),
}

/// For each order (completion dates, ascending), the index of the visit (dates, ascending) it
/// takes, if any. Each visit goes to one order at most. Ties go to earlier orders and earlier
/// visits, so the same input gives the same links.
pub fn best_links(orders: &[NaiveDate], visits: &[NaiveDate], spans: Spans) -> Vec<Option<usize>> {
    // The visits within (first, last) days of each order are a run of `visits`: [from, to).
    let run = |done: NaiveDate, (first, last): (u32, u32)| {
        let shift = |days: u32| done.checked_add_days(Days::new(u64::from(days)));
        let from = shift(first).map_or(visits.len(), |d| visits.partition_point(|&v| v < d));
        let to = shift(last).map_or(visits.len(), |d| visits.partition_point(|&v| v <= d));
        (from, to.max(from))
    };
    let links: Vec<(usize, usize)> = orders.iter().map(|&o| run(o, spans.span)).collect();
    let on_time: Vec<(usize, usize)> = orders.iter().map(|&o| run(o, spans.on_time)).collect();
    let mut chosen = vec![None; orders.len()];
    // Orders in completion order have runs that start and end in order too, so the orders
    // split into independent groups wherever no run reaches the next one.
    let mut start = 0;
    while start < orders.len() {
        let mut end = start + 1;
        let mut reach = links[start].1;
        while end < orders.len() && links[end].0 < reach {
            reach = reach.max(links[end].1);
            end += 1;
        }
        let base = links[start].0;
        let local = |&(from, to): &(usize, usize)| {
            (from.clamp(base, reach) - base, to.clamp(base, reach) - base)
        };
        let group = Group {
            links: links[start..end].iter().map(local).collect(),
            on_time: on_time[start..end].iter().map(local).collect(),
            visits: reach - base,
        };
        for (o, v) in group.solve().into_iter().enumerate() {
            chosen[start + o] = v.map(|v| base + v);
        }
        start = end;
    }
    chosen
}

/// One independent group: orders `0..links.len()` and visits `0..visits`, each order's run of
/// visits it may take and the run of those on time.
struct Group {
    links: Vec<(usize, usize)>,
    on_time: Vec<(usize, usize)>,
    visits: usize,
}

/// Where the search stands: each visit's order and each order's visit, and the potentials that
/// keep every reduced cost `cost + p(from) − p(to)` of the residual graph non-negative. The
/// residual graph: source → unlinked order (0), order → a visit it does not hold (its cost),
/// visit → the order holding it (minus that cost), free visit → sink (0).
struct Search {
    order_of: Vec<Option<usize>>,
    visit_of: Vec<Option<usize>>,
    order_potential: Vec<i64>,
    visit_potential: Vec<i64>,
    sink_potential: i64,
}

const FAR: i64 = i64::MAX / 4;

impl Group {
    fn cost(&self, order: usize, visit: usize) -> i64 {
        let (from, to) = self.on_time[order];
        i64::from(!(from..to).contains(&visit))
    }

    fn solve(&self) -> Vec<Option<usize>> {
        let orders = self.links.len();
        // All costs start at 0 or 1, so zero potentials are valid to begin with.
        let mut s = Search {
            order_of: vec![None; self.visits],
            visit_of: vec![None; orders],
            order_potential: vec![0; orders],
            visit_potential: vec![0; self.visits],
            sink_potential: 0,
        };
        while self.reprice(&mut s) {
            self.augment_all(&mut s);
        }
        s.visit_of
    }

    /// Dijkstra from the source on reduced costs; then every node's potential rises by its
    /// distance, capped at the sink's (a node farther than the sink is on no shortest path,
    /// and the cap keeps its edges' reduced costs non-negative). Afterwards the shortest
    /// augmenting paths are exactly those of reduced cost 0. False when no free visit is
    /// reachable: the matching is maximum.
    fn reprice(&self, s: &mut Search) -> bool {
        let orders = self.links.len();
        let mut dist = vec![FAR; orders + self.visits];
        let mut heap = BinaryHeap::new();
        for (order, d) in dist[..orders].iter_mut().enumerate() {
            if s.visit_of[order].is_none() {
                *d = -s.order_potential[order];
                heap.push(Reverse((*d, order)));
            }
        }
        let mut sink = FAR;
        while let Some(Reverse((d, node))) = heap.pop() {
            if d > dist[node] || d >= sink {
                continue;
            }
            let mut relax = |next: usize, cost: i64, heap: &mut BinaryHeap<_>| {
                if cost < dist[next] {
                    dist[next] = cost;
                    heap.push(Reverse((cost, next)));
                }
            };
            if node < orders {
                let (from, to) = self.links[node];
                for visit in (from..to).filter(|&v| s.visit_of[node] != Some(v)) {
                    let reduced =
                        self.cost(node, visit) + s.order_potential[node] - s.visit_potential[visit];
                    relax(orders + visit, d + reduced, &mut heap);
                }
            } else {
                let visit = node - orders;
                match s.order_of[visit] {
                    None => sink = sink.min(d + s.visit_potential[visit] - s.sink_potential),
                    Some(holder) => {
                        let reduced = -self.cost(holder, visit) + s.visit_potential[visit]
                            - s.order_potential[holder];
                        relax(holder, d + reduced, &mut heap);
                    }
                }
            }
        }
        if sink == FAR {
            return false;
        }
        for (p, d) in s.order_potential.iter_mut().zip(&dist[..orders]) {
            *p += (*d).min(sink);
        }
        for (p, d) in s.visit_potential.iter_mut().zip(&dist[orders..]) {
            *p += (*d).min(sink);
        }
        s.sink_potential += sink;
        true
    }

    /// Takes augmenting paths of reduced cost 0 until none is left, in rounds: each round
    /// tries every unlinked order once, with each visit entered at most once per round, and
    /// another round follows while one succeeded. Each path is a shortest one, so the
    /// matching stays the cheapest of its size.
    fn augment_all(&self, s: &mut Search) {
        let orders = self.links.len();
        let mut seen = vec![false; self.visits];
        loop {
            seen.fill(false);
            let mut found = false;
            for order in 0..orders {
                if s.visit_of[order].is_none()
                    && s.order_potential[order] == 0
                    && self.augment_from(order, s, &mut seen)
                {
                    found = true;
                }
            }
            if !found {
                break;
            }
        }
    }

    /// A depth-first search for a path of reduced cost 0 from `start` to a free visit, kept
    /// on an explicit stack (paths can be as long as the group). Flips the path when found.
    fn augment_from(&self, start: usize, s: &mut Search, seen: &mut [bool]) -> bool {
        let tight_link = |s: &Search, order: usize, visit: usize| {
            s.visit_of[order] != Some(visit)
                && self.cost(order, visit) + s.order_potential[order] == s.visit_potential[visit]
        };
        // Each frame: an order and the next of its visits to try; the visit that led to it.
        let mut stack: Vec<(usize, usize, usize)> = vec![(start, self.links[start].0, usize::MAX)];
        while let Some(frame) = stack.last_mut() {
            let (order, next, _) = *frame;
            if next >= self.links[order].1 {
                stack.pop();
                continue;
            }
            frame.1 += 1;
            let visit = next;
            if seen[visit] || !tight_link(s, order, visit) {
                continue;
            }
            seen[visit] = true;
            match s.order_of[visit] {
                None if s.visit_potential[visit] == s.sink_potential => {
                    // Flip the path: each order on the stack takes the visit below it.
                    let mut taken = visit;
                    while let Some((order, _, came_by)) = stack.pop() {
                        s.order_of[taken] = Some(order);
                        s.visit_of[order] = Some(taken);
                        taken = came_by;
                    }
                    return true;
                }
                None => {}
                Some(holder) => {
                    let back = s.visit_potential[visit] - self.cost(holder, visit);
                    if back == s.order_potential[holder] {
                        stack.push((holder, self.links[holder].0, visit));
                    }
                }
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(n: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + Days::new(u64::from(n))
    }

    fn links(orders: &[u32], visits: &[u32], spans: Spans) -> Vec<Option<usize>> {
        let orders: Vec<NaiveDate> = orders.iter().map(|&n| day(n)).collect();
        let visits: Vec<NaiveDate> = visits.iter().map(|&n| day(n)).collect();
        best_links(&orders, &visits, spans)
    }

    const COMPLAINT: Spans = Spans {
        on_time: (0, 3),
        span: (0, 7),
    };

    #[test]
    fn an_order_gives_up_its_only_visit_when_that_puts_two_on_time() {
        // Orders on days 5, 9, 10, 16; visits on days 9, 16, 18. Three links at most (three
        // visits). Day 5 can only take day 9 (late); giving it up lets day 9 take day 9 and
        // day 10 take day 16 (late), with 16 → 18 on time: three links, two on time, where
        // oldest-first has one on time and on-time-first links two.
        let got = links(&[5, 9, 10, 16], &[9, 16, 18], COMPLAINT);
        assert_eq!(got, [None, Some(0), Some(1), Some(2)]);
    }

    #[test]
    fn a_repair_takes_the_visit_inside_its_window() {
        // A repair window [30, 60] in a span [0, 120]: orders on days 0 and 50, one visit on
        // day 95 (day 95 for the first, late; day 45 for the second, on time).
        let repair = Spans {
            on_time: (30, 60),
            span: (0, 120),
        };
        assert_eq!(links(&[0, 50], &[95], repair), [None, Some(0)]);
    }

    #[test]
    fn runs_that_do_not_touch_are_solved_apart() {
        // Two far groups, each one order and one visit, and an order with no visit in reach.
        let got = links(&[0, 40, 100], &[2, 101], COMPLAINT);
        assert_eq!(got, [Some(0), None, Some(1)]);
    }

    #[test]
    fn dates_at_the_end_of_the_calendar_do_not_overflow() {
        let last = NaiveDate::MAX;
        assert_eq!(best_links(&[last], &[last], COMPLAINT), [Some(0)]);
    }

    /// (linked, on time) of the best assignment, by trying every visit (or none) per order.
    fn best_by_trying_all(orders: &[u32], visits: &[u32], spans: Spans) -> (usize, usize) {
        fn go(
            i: usize,
            orders: &[u32],
            visits: &[u32],
            spans: Spans,
            used: &mut [bool],
        ) -> (usize, usize) {
            let Some(&done) = orders.get(i) else {
                return (0, 0);
            };
            let mut best = go(i + 1, orders, visits, spans, used);
            for (j, &v) in visits.iter().enumerate() {
                let inside = |(a, b): (u32, u32)| done + a <= v && v <= done + b;
                if used[j] || !inside(spans.span) {
                    continue;
                }
                used[j] = true;
                let (linked, on_time) = go(i + 1, orders, visits, spans, used);
                used[j] = false;
                best = best.max((linked + 1, on_time + usize::from(inside(spans.on_time))));
            }
            best
        }
        go(0, orders, visits, spans, &mut vec![false; visits.len()])
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]
        #[test]
        fn links_as_many_as_any_assignment_then_as_many_on_time(
            mut orders in proptest::collection::vec(0u32..40, 0..7),
            mut visits in proptest::collection::vec(0u32..50, 0..7),
            bounds in (0u32..20, 0u32..20, 0u32..20),
        ) {
            orders.sort_unstable();
            visits.sort_unstable();
            let mut b = [bounds.0, bounds.1, bounds.2];
            b.sort_unstable();
            let spans = Spans { on_time: (b[0], b[1]), span: (0, b[2]) };
            let got = links(&orders, &visits, spans);
            let mut taken = vec![false; visits.len()];
            let (mut linked, mut on_time) = (0, 0);
            for (o, v) in got.iter().enumerate() {
                let Some(v) = *v else { continue };
                proptest::prop_assert!(!taken[v], "visit {v} linked twice");
                taken[v] = true;
                let after = visits[v].checked_sub(orders[o]);
                proptest::prop_assert!(after.is_some_and(|a| a <= spans.span.1));
                linked += 1;
                on_time += usize::from(after.is_some_and(|a| spans.on_time.0 <= a && a <= spans.on_time.1));
            }
            proptest::prop_assert_eq!((linked, on_time), best_by_trying_all(&orders, &visits, spans));
        }
    }
}
