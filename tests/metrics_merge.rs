//! Property: the numbers built from merged month partials equal the numbers computed
//! directly from the rows, by the plain definitions of DOMAIN.md, for every month, quarter
//! and year, for the organisation and each department; and accumulators merge in any order.

use chrono::{Days, NaiveDate};
use huifang::config::Config;
use huifang::metrics::{Accumulator, MetricsSet, Rules};
use huifang::model::{Complaint, Contact, LevelId, Severity, StatusId, Symbols, VisitRecord};
use proptest::prelude::*;

#[derive(Clone, Debug)]
struct Spec {
    day: u32,
    department: u8,
    site: Option<u8>,
    contacted: bool,
    satisfaction: Option<u8>,
    complaint: Option<ComplaintSpec>,
}

#[derive(Clone, Debug)]
struct ComplaintSpec {
    category: u8,
    severity: Option<u8>,
    status: Option<u8>,
    due_after: Option<u32>,
    closed_after: Option<u32>,
    revisit: Option<u8>,
}

fn spec() -> impl Strategy<Value = Spec> {
    let complaint = (
        0u8..4,
        proptest::option::of(0u8..3),
        proptest::option::of(0u8..8),
        proptest::option::of(0u32..20),
        proptest::option::of(0u32..90),
        proptest::option::of(0u8..5),
    )
        .prop_map(
            |(category, severity, status, due_after, closed_after, revisit)| ComplaintSpec {
                category,
                severity,
                status,
                due_after,
                closed_after,
                revisit,
            },
        );
    (
        0u32..1100,
        0u8..3,
        proptest::option::of(0u8..3),
        any::<bool>(),
        proptest::option::of(0u8..5),
        proptest::option::weighted(0.4, complaint),
    )
        .prop_map(
            |(day, department, site, contacted, satisfaction, complaint)| Spec {
                day,
                department,
                site,
                contacted,
                satisfaction,
                complaint,
            },
        )
}

fn start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, 1, 1).unwrap()
}

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 6, 30).unwrap()
}

fn records(specs: &[Spec], symbols: &mut Symbols) -> Vec<VisitRecord<'static>> {
    specs
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let date = start() + Days::new(u64::from(s.day));
            VisitRecord {
                id: i.to_string().into(),
                date,
                department: symbols.intern(&format!("D{}", s.department)),
                site: s.site.map(|x| symbols.intern(&format!("S{x}"))),
                visit_type: None,
                channel: None,
                contact_result: None,
                contact: if s.contacted {
                    Contact::Reached
                } else {
                    Contact::NotReached
                },
                satisfaction: s.satisfaction.map(LevelId),
                complaint: s.complaint.as_ref().map(|c| Complaint {
                    category: symbols.intern(&format!("C{}", c.category)),
                    severity: c.severity.map(|k| Severity::ALL[usize::from(k)]),
                    status: c.status.map(StatusId),
                    due_date: c.due_after.map(|d| date + Days::new(u64::from(d))),
                    closed_date: c.closed_after.map(|d| date + Days::new(u64::from(d))),
                    revisit_satisfaction: c.revisit.map(LevelId),
                }),
                comment: None,
                staff: None,
                order: None,
                household: None,
            }
        })
        .collect()
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// The plain definitions, over the rows themselves.
#[derive(Debug, PartialEq)]
struct Direct {
    visits: u64,
    contacted: u64,
    levels: Vec<u64>,
    satisfied_rate: Option<f64>,
    mean_score: Option<f64>,
    complaints: u64,
    closed: u64,
    overdue: u64,
    days_median: Option<f64>,
    days_mean: Option<f64>,
    revisit_satisfied_rate: Option<f64>,
    open_at_end: u64,
    carried_over: u64,
}

fn direct(rows: &[&VisitRecord], first: NaiveDate, last: NaiveDate, config: &Config) -> Direct {
    let closed_status = |c: &Complaint| c.status.is_some_and(|s| s.0 >= 3); // default: 3 open, 5 closed
    let sla = |s: Severity| u64::from(config.sla_days.days(s));
    let in_period: Vec<&&VisitRecord> = rows
        .iter()
        .filter(|r| first <= r.date && r.date <= last)
        .collect();
    let mut levels = vec![0u64; 5];
    for r in &in_period {
        if let Some(l) = r.satisfaction {
            levels[usize::from(l.0)] += 1;
        }
    }
    let responses: u64 = levels.iter().sum();
    let scores = [5.0, 4.0, 3.0, 2.0, 1.0];
    let complaints: Vec<(&VisitRecord, &Complaint)> = in_period
        .iter()
        .filter_map(|r| Some((**r, r.complaint.as_ref()?)))
        .collect();
    let overdue = complaints
        .iter()
        .filter(|(r, c)| {
            let deadline = c
                .due_date
                .or_else(|| c.severity.map(|s| r.date + Days::new(sla(s))));
            match deadline {
                None => false,
                Some(d) if closed_status(c) => c.closed_date.is_some_and(|x| x > d),
                Some(d) => d < as_of(),
            }
        })
        .count() as u64;
    let mut days: Vec<i64> = complaints
        .iter()
        .filter(|(_, c)| closed_status(c))
        .filter_map(|(r, c)| Some((c.closed_date? - r.date).num_days()))
        .collect();
    days.sort();
    let n = days.len();
    let median = (n > 0).then(|| {
        if n % 2 == 1 {
            days[n / 2] as f64
        } else {
            (days[n / 2 - 1] + days[n / 2]) as f64 / 2.0
        }
    });
    let revisits: Vec<u8> = complaints
        .iter()
        .filter_map(|(_, c)| c.revisit_satisfaction.map(|l| l.0))
        .collect();
    let closed_by =
        |c: &Complaint, day: NaiveDate| closed_status(c) && c.closed_date.is_none_or(|d| d <= day);
    let open_on = |day: NaiveDate| {
        rows.iter()
            .filter(|r| r.date <= day)
            .filter_map(|r| r.complaint.as_ref())
            .filter(|c| !closed_by(c, day))
            .count() as u64
    };
    Direct {
        visits: in_period.len() as u64,
        contacted: in_period
            .iter()
            .filter(|r| r.contact == Contact::Reached)
            .count() as u64,
        satisfied_rate: (responses > 0)
            .then(|| round4((levels[0] + levels[1]) as f64 / responses as f64)),
        mean_score: (responses > 0).then(|| {
            round4(
                levels
                    .iter()
                    .zip(scores)
                    .map(|(&n, s)| n as f64 * s)
                    .sum::<f64>()
                    / responses as f64,
            )
        }),
        levels,
        complaints: complaints.len() as u64,
        closed: complaints.iter().filter(|(_, c)| closed_status(c)).count() as u64,
        overdue,
        days_median: median,
        days_mean: (n > 0).then(|| round4(days.iter().sum::<i64>() as f64 / n as f64)),
        revisit_satisfied_rate: (!revisits.is_empty()).then(|| {
            round4(revisits.iter().filter(|&&l| l < 2).count() as f64 / revisits.len() as f64)
        }),
        open_at_end: open_on(last),
        carried_over: open_on(first.pred_opt().unwrap()),
    }
}

/// The metrics to 4 decimals, as `metrics.json` holds them (in memory they are exact, and
/// summed in another order than here).
fn from_metrics(m: &huifang::metrics::Metrics) -> Direct {
    use huifang::metrics::values::FourDecimals;
    Direct {
        visits: m.visits.total,
        contacted: m.visits.contacted,
        levels: m.satisfaction.levels.iter().map(|l| l.count).collect(),
        satisfied_rate: m.satisfaction.satisfied_rate.four_decimals(),
        mean_score: m.satisfaction.mean_score.four_decimals(),
        complaints: m.complaints.total,
        closed: m.rectification.closed,
        overdue: m.rectification.overdue,
        days_median: m.rectification.days_to_close.median.four_decimals(),
        days_mean: m.rectification.days_to_close.mean.four_decimals(),
        revisit_satisfied_rate: m.rectification.revisit_satisfied_rate.four_decimals(),
        open_at_end: m.rectification.open_at_end,
        carried_over: m.rectification.carried_over,
    }
}

fn accumulate(records: &[VisitRecord], config: &Config) -> Accumulator {
    let mut acc = Accumulator::new(Rules::new(config, as_of()));
    for r in records {
        acc.add(r);
    }
    acc
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn merged_partials_equal_direct_computation(specs in proptest::collection::vec(spec(), 1..150), april in any::<bool>()) {
        let mut config = Config::default();
        config.fiscal_year_start_month = huifang::config::Month(if april { 4 } else { 1 });
        let mut symbols = Symbols::default();
        let records = records(&specs, &mut symbols);
        let set = std::sync::Arc::new(MetricsSet::new(&accumulate(&records, &config), &config, &symbols));
        let known: Vec<&VisitRecord> = records.iter().filter(|r| r.date <= as_of()).collect();
        prop_assert_eq!(set.after_as_of, (records.len() - known.len()) as u64);

        for report in set.reports() {
            let (departments, sites) = (report.departments.list(), report.sites.list());
            let (first, last) = (report.period.start, report.period.end);
            prop_assert_eq!(from_metrics(&report.overall), direct(&known, first, last, &config), "overall {}", report.period.id);
            let mut expected_departments = Vec::new();
            for d in 0..3u8 {
                let name = format!("D{d}");
                let Some(sym) = symbols.get(&name) else { continue };
                let rows: Vec<&VisitRecord> = known.iter().copied().filter(|r| r.department == sym).collect();
                let want = direct(&rows, first, last, &config);
                if want.visits > 0 || want.carried_over > 0 {
                    expected_departments.push(name.clone());
                }
                if let Some(got) = departments.iter().find(|e| e.entity.name == name) {
                    prop_assert_eq!(from_metrics(&got.metrics), want, "{} in {}", name, report.period.id);
                }
            }
            let listed: Vec<String> = departments.iter().map(|e| e.entity.name.to_string()).collect();
            prop_assert_eq!(listed, expected_departments, "departments of {}", report.period.id);
            let site_visits: u64 = sites.iter().map(|s| s.metrics.visits.total).sum();
            let with_site = known.iter().filter(|r| r.site.is_some() && first <= r.date && r.date <= last).count() as u64;
            prop_assert_eq!(site_visits, with_site);
            // Each one counted alone, or a trend's satisfaction alone, is what the whole list
            // holds; pinned, the list is counted once and handed out as it is.
            for list in [&report.departments, &report.sites] {
                let whole = list.list();
                prop_assert_eq!(list.len(), whole.len());
                for (at, e) in whole.iter().enumerate() {
                    prop_assert_eq!(list.entity(at), &e.entity);
                    prop_assert_eq!(&*list.get(at).unwrap(), e);
                    prop_assert_eq!(&list.satisfaction(at).unwrap(), &e.metrics.satisfaction);
                    // A history's table: the counters' numbers alone, and nothing else.
                    let headline = list.headline(at).unwrap();
                    prop_assert_eq!(from_metrics(&headline), from_metrics(&e.metrics));
                    prop_assert_eq!(&headline.visits, &e.metrics.visits);
                    prop_assert_eq!(&headline.satisfaction, &e.metrics.satisfaction);
                    prop_assert_eq!(&headline.rectification, &e.metrics.rectification);
                    prop_assert_eq!(&headline.complaints.by_category, &e.metrics.complaints.by_category);
                    prop_assert_eq!(&headline.complaints.by_severity, &e.metrics.complaints.by_severity);
                    prop_assert_eq!(headline.complaints.total, e.metrics.complaints.total);
                    prop_assert!(headline.complaints.recent_comments.is_empty());
                    prop_assert!(headline.coverage.is_none() && headline.households.is_none());
                }
                prop_assert!(list.headline(whole.len()).is_none());
                prop_assert!(list.get(whole.len()).is_none());
                list.pin();
                let (a, b) = (list.list(), list.list());
                prop_assert!(std::sync::Arc::ptr_eq(&a, &b), "a pinned list is counted once");
                prop_assert_eq!(&*a, &*whole);
                for at in 0..whole.len() {
                    prop_assert_eq!(from_metrics(&list.headline(at).unwrap()), from_metrics(&whole[at].metrics), "pinned");
                }
                list.release();
                prop_assert!(!std::sync::Arc::ptr_eq(&a, &list.list()), "released");
                list.pin_here();
                let (c, d) = (list.list(), list.list());
                prop_assert!(std::sync::Arc::ptr_eq(&c, &d) && *c == *whole, "pinned here");
                list.release();
            }
        }
    }

    #[test]
    fn accumulators_merge_in_any_order(specs in proptest::collection::vec(spec(), 0..120), cut in 0usize..120) {
        let config = Config::default();
        let mut symbols = Symbols::default();
        let records = records(&specs, &mut symbols);
        let cut = cut.min(records.len());
        let whole = accumulate(&records, &config);
        let mut halves = accumulate(&records[cut..], &config);
        halves.merge(accumulate(&records[..cut], &config));
        prop_assert_eq!(whole.partials, halves.partials);
        prop_assert_eq!(whole.after_as_of, halves.after_as_of);
    }

    /// Files are read with symbol tables of their own: partials counted with another table
    /// (names interned in the opposite order) merge through the translation into exactly what
    /// counting everything with one table gives, whether they land on a partial or an empty
    /// place. Every complaint carries the same id, so the comments kept are ordered by text,
    /// which names the category.
    ///
    /// (Comments equal in date, id and text but of different categories, the same visit
    /// logged twice, are ordered by the category's symbol, so which is kept can depend on
    /// where a file was cut into pieces; the cuts, and so the reports, are the same for the
    /// same input.)
    #[test]
    fn partials_of_another_symbol_table_merge_through_the_translation(
        specs in proptest::collection::vec(spec(), 0..120),
        cut in 0usize..120,
    ) {
        // Forty days: complaints of one day in one place, so ties, are common.
        let specs: Vec<Spec> = specs.into_iter().map(|s| Spec { day: s.day % 40, ..s }).collect();
        let config = Config::default();
        let names: Vec<String> = ["D", "S", "C"]
            .iter()
            .flat_map(|p| (0..4).map(move |i| format!("{p}{i}")))
            .collect();
        let (mut a, mut b) = (Symbols::default(), Symbols::default());
        for name in &names {
            a.intern(name);
        }
        for name in names.iter().rev() {
            b.intern(name);
        }
        let commented = |mut records: Vec<VisitRecord<'static>>| {
            for (r, s) in records.iter_mut().zip(&specs) {
                if let Some(c) = &s.complaint {
                    r.id = "HF-1".into();
                    r.comment = Some(format!("漏水 C{}", c.category).into());
                }
            }
            records
        };
        let with_a = commented(records(&specs, &mut a.clone()));
        let with_b = commented(records(&specs, &mut b.clone()));
        let cut = cut.min(specs.len());
        let whole = accumulate(&with_a, &config);
        let mut merged = accumulate(&with_a[..cut], &config);
        let map = a.clone().absorb(&b);
        merged.merge_translated(accumulate(&with_b[cut..], &config), &map);
        prop_assert_eq!(whole.partials, merged.partials);
    }
}
