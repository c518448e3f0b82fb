//! The numbers of DOMAIN.md on small fixtures whose every value is worked out by hand in the
//! comments. tests/fixtures/metrics_quarter/visits.csv, rows numbered from 1 below the header:
//!
//! | # | date       | dept   | site     | contact | sat    | complaint (severity, status, due, closed) |
//! |---|------------|--------|----------|---------|--------|-------------------------------------------|
//! | 1 | 01-06      | 工程部 | 翠湖花园 | 成功    | 满意   | 漏水渗水 重要 已整改 — 01-08, revisit 满意      |
//! | 2 | 01-10      | 工程部 | 翠湖花园 | 成功    | 不满意 | 电梯故障 重大 已验证 — 01-25, revisit 满意      |
//! | 3 | 01-20      | 工程部 | 锦绣华庭 | 未接通  |        |                                           |
//! | 4 | 01-31      | 保洁部 | 锦绣华庭 | 成功    | 一般   | 垃圾清运不及时 轻微 已整改 — 02-03, 非常满意  |
//! | 5 | 02-03      | 绿化部 | 翠湖花园 | 成功    | 非常满意 |                                         |
//! | 6 | 02-14      | 工程部 | 翠湖花园 | 成功    | 非常满意 | 漏水渗水 轻微 已整改, no closed date     |
//! | 7 | 02-28      | 保洁部 | 翠湖花园 | 成功    | 满意   | 公共区域卫生 重要 处理中 due 03-31 (= as-of) |
//! | 8 | 03-03      | 工程部 | 锦绣华庭 | 成功    | 满意   | 电梯故障 重大 待处理                        |
//! | 9 | 03-15      | 工程部 | 锦绣华庭 | 拒访    |        |                                           |
//! |10 | 03-20      | 保洁部 | 锦绣华庭 | 成功    | 满意   | 垃圾清运不及时 (no level) 已整改 — 03-21, 不满意 |
//! |11 | 03-31      | 工程部 | 翠湖花园 | 成功    | 非常满意 |                                         |
//! |12 | 04-01      | 工程部 | 翠湖花园 | 成功    | 非常满意 | (after as-of 2025-03-31: in no report)   |
//!
//! Deadlines (SLA 重大 10, 重要 3, 轻微 2 days): #1 01-09, #2 01-20, #4 02-02, #6 02-16,
//! #7 03-31 (explicit), #8 03-13, #10 none (no due date, no severity).

use crate::util;

use huifang::metrics::values::{Change, Metrics};
use huifang::period::PeriodKind;
use util::{find, reports, ymd};

fn department(r: &huifang::metrics::PeriodReport, name: &str) -> Metrics {
    (r.departments.list().iter())
        .find(|d| d.entity.name == name)
        .unwrap_or_else(|| panic!("{name}"))
        .metrics
        .clone()
}

#[test]
fn one_report_per_period_up_to_as_of() {
    let (reports, after_as_of) = reports("metrics_quarter");
    let ids: Vec<&str> = reports.iter().map(|r| r.period.id.as_str()).collect();
    assert_eq!(ids, ["2025-03", "2025-02", "2025-01", "2025-Q1", "2025"]);
    assert_eq!(after_as_of, 1, "row 12 is dated after as-of");
    let q1 = find(&reports, "2025-Q1");
    assert_eq!(q1.period.kind, PeriodKind::Quarter);
    assert_eq!(
        (q1.period.start, q1.period.end),
        (ymd(2025, 1, 1), ymd(2025, 3, 31))
    );
    assert!(
        !q1.period.in_progress,
        "as-of is the quarter's last day: the quarter is complete"
    );
    assert!(find(&reports, "2025").period.in_progress);
    assert_eq!(q1.as_of, ymd(2025, 3, 31));
}

#[test]
fn quarter_visits_and_satisfaction() {
    let (reports, _) = reports("metrics_quarter");
    let m = &find(&reports, "2025-Q1").overall;
    // Rows 1-11; contacted: all but #3 (未接通) and #9 (拒访).
    assert_eq!((m.visits.total, m.visits.contacted), (11, 9));
    assert_eq!(m.visits.contact_rate, Some(0.8182)); // 9/11 = 0.81818…
    let types: Vec<(&str, u64)> = m
        .visits
        .by_type
        .iter()
        .map(|n| (n.name.as_str(), n.count))
        .collect();
    // 维修回访 #1 #2 #8 #9, 定期走访 #3 #5 #10 #11, 投诉回访 #4 #6 #7; ties by name.
    assert_eq!(types, [("定期走访", 4), ("维修回访", 4), ("投诉回访", 3)]);
    let channels: Vec<(&str, u64)> = m
        .visits
        .by_channel
        .iter()
        .map(|n| (n.name.as_str(), n.count))
        .collect();
    assert_eq!(channels, [("电话", 10), ("上门", 1)]);

    let s = &m.satisfaction;
    // 非常满意 #5 #6 #11; 满意 #1 #7 #8 #10; 一般 #4; 不满意 #2.
    let levels: Vec<u64> = s.levels.iter().map(|l| l.count).collect();
    assert_eq!(levels, [3, 4, 1, 1, 0]);
    assert_eq!((s.responses, s.satisfied), (9, 7));
    assert_eq!(s.satisfied_rate, Some(0.7778)); // 7/9
    assert_eq!(s.mean_score, Some(4.0)); // (3·5 + 4·4 + 3 + 2) / 9 = 36/9
    // Wilson, z = 1.95996: p = 7/9, centre = (p + z²/18)/(1 + z²/9), half-width as usual.
    assert_eq!(s.satisfied_rate_ci95, Some([0.4526, 0.9368]));
    assert!(!s.low_sample, "9 responses ≥ min_sample 3");
}

#[test]
fn quarter_complaints_in_pareto_order() {
    let (reports, _) = reports("metrics_quarter");
    let c = &find(&reports, "2025-Q1").overall.complaints;
    assert_eq!(c.total, 7); // #1 #2 #4 #6 #7 #8 #10
    let pareto: Vec<(&str, u64, f64, f64)> = c
        .by_category
        .iter()
        .map(|x| (x.name.as_str(), x.count, x.share, x.cumulative_share))
        .collect();
    assert_eq!(
        pareto,
        [
            ("垃圾清运不及时", 2, 0.2857, 0.2857),
            ("漏水渗水", 2, 0.2857, 0.5714),
            ("电梯故障", 2, 0.2857, 0.8571),
            ("公共区域卫生", 1, 0.1429, 1.0),
        ]
    );
    let sev: Vec<(&str, u64)> = c
        .by_severity
        .iter()
        .map(|s| (s.key.as_ref(), s.count))
        .collect();
    assert_eq!(
        sev,
        [
            ("major", 2),
            ("important", 2),
            ("minor", 2),
            ("unspecified", 1)
        ]
    );
}

#[test]
fn quarter_rectification() {
    let (reports, _) = reports("metrics_quarter");
    let r = &find(&reports, "2025-Q1").overall.rectification;
    let status: Vec<(Option<&str>, u64)> = r
        .by_status
        .iter()
        .map(|s| (s.status.as_deref(), s.count))
        .collect();
    assert_eq!(
        status,
        [
            (Some("待处理"), 1),
            (Some("处理中"), 1),
            (Some("暂不能解决"), 0),
            (Some("已整改"), 4),
            (Some("已完成"), 0),
            (Some("已解决"), 0),
            (Some("已关闭"), 0),
            (Some("已验证"), 1),
            (None, 0),
        ]
    );
    assert_eq!(r.closed, 5); // #1 #2 #4 #6 #10
    assert_eq!(r.closure_rate, Some(0.7143)); // 5/7
    // #2 closed 01-25 after 01-20; #4 closed 02-03 after 02-02; #8 open past 03-13.
    // #7 is open but due exactly on as-of: not overdue yet. #10 has no deadline.
    assert_eq!(r.overdue, 3);
    // Of the 5 closed, #2 and #4 closed late; #6 (no closed date) and #10 (no deadline) cannot
    // be late: on time 3 of 5.
    assert_eq!(r.closed_late, Some(2));
    assert_eq!(r.on_time_rate, Some(0.6));
    assert_eq!(r.without_deadline, 1);
    assert_eq!(r.closed_without_date, 1); // #6
    // Days to close: #1 2, #2 15, #4 3, #10 1 → 1 2 3 15: median 2.5, mean 21/4.
    assert_eq!(r.days_to_close.count, 4);
    assert_eq!(
        (r.days_to_close.median, r.days_to_close.mean),
        (Some(2.5), Some(5.25))
    );
    // Revisits: 满意 满意 非常满意 不满意 → 3 of 4.
    assert_eq!(
        (r.revisit_responses, r.revisit_satisfied_rate),
        (4, Some(0.75))
    );
    assert_eq!((r.carried_over, r.open_at_end), (0, 2)); // #7 and #8 open on 03-31
}

#[test]
fn open_complaints_carry_over_from_month_to_month() {
    let (reports, _) = reports("metrics_quarter");
    let stock = |id| {
        let r = &find(&reports, id).overall.rectification;
        (r.carried_over, r.open_at_end)
    };
    // January: #4 (01-31) is closed on 02-03, so it is open at the end of January.
    assert_eq!(stock("2025-01"), (0, 1));
    // February: #4 carried in and closed; #6 closed (no date); #7 still open.
    assert_eq!(stock("2025-02"), (1, 1));
    // March: #7 carried in, #8 opened; #10 raised and closed.
    assert_eq!(stock("2025-03"), (1, 2));
    assert_eq!(stock("2025"), (0, 2));
}

#[test]
fn departments_including_one_seen_in_february_only() {
    let (reports, _) = reports("metrics_quarter");
    let names = |id| -> Vec<String> {
        (find(&reports, id).departments.names())
            .map(|d| d.name.to_string())
            .collect()
    };
    // No configured order: by name (保 < 工 < 绿 in code-point order).
    assert_eq!(names("2025-Q1"), ["保洁部", "工程部", "绿化部"]);
    assert_eq!(names("2025-01"), ["保洁部", "工程部"]);
    assert_eq!(names("2025-02"), ["保洁部", "工程部", "绿化部"]);
    assert_eq!(names("2025-03"), ["保洁部", "工程部"]);

    let q1 = find(&reports, "2025-Q1");
    let e = department(q1, "工程部");
    // #1 #2 #3 #6 #8 #9 #11; contacted #1 #2 #6 #8 #11; ratings 满意 不满意 非常满意 满意 非常满意.
    assert_eq!(
        (e.visits.total, e.visits.contacted, e.visits.contact_rate),
        (7, 5, Some(0.7143))
    );
    assert_eq!((e.satisfaction.responses, e.satisfaction.satisfied), (5, 4));
    assert_eq!(
        (e.satisfaction.satisfied_rate, e.satisfaction.mean_score),
        (Some(0.8), Some(4.0))
    );
    assert_eq!(e.satisfaction.satisfied_rate_ci95, Some([0.3755, 0.9638]));
    // Complaints #1 #2 #6 #8: closed #1 #2 #6; overdue #2 #8; #8 open at the end.
    assert_eq!(
        (
            e.complaints.total,
            e.rectification.closed,
            e.rectification.overdue
        ),
        (4, 3, 2)
    );
    assert_eq!(
        (e.rectification.closure_rate, e.rectification.open_at_end),
        (Some(0.75), 1)
    );

    let c = department(q1, "保洁部");
    // #4 一般, #7 满意, #10 满意: 2 of 3, exactly min_sample so not a low sample.
    assert_eq!(
        (c.satisfaction.responses, c.satisfaction.satisfied_rate),
        (3, Some(0.6667))
    );
    assert!(!c.satisfaction.low_sample);
    assert_eq!(
        (
            c.complaints.total,
            c.rectification.closed,
            c.rectification.overdue
        ),
        (3, 2, 1)
    );
    assert_eq!(c.rectification.open_at_end, 1);

    let g = department(q1, "绿化部");
    assert_eq!((g.visits.total, g.satisfaction.responses), (1, 1));
    assert!(g.satisfaction.low_sample, "1 response < min_sample 3");
    // No complaints: rates that divide by complaints are undefined, not 0.
    assert_eq!(g.complaints.total, 0);
    assert_eq!(g.rectification.closure_rate, None);
    assert_eq!(g.rectification.revisit_satisfied_rate, None);
    assert_eq!(g.rectification.days_to_close.median, None);

    let slugs: Vec<&str> = (q1.departments.names()).map(|d| d.slug.as_str()).collect();
    assert!(
        slugs
            .iter()
            .all(|s| s.starts_with("dept-") && s.len() == 13),
        "{slugs:?}"
    );
}

#[test]
fn sites() {
    let (reports, _) = reports("metrics_quarter");
    let q1 = find(&reports, "2025-Q1");
    let sites = q1.sites.list();
    let sites: Vec<(&str, u64)> = (sites.iter())
        .map(|s| (s.entity.name.as_str(), s.metrics.visits.total))
        .collect();
    // 翠湖花园 #1 #2 #5 #6 #7 #11; 锦绣华庭 #3 #4 #8 #9 #10.
    assert_eq!(sites, [("翠湖花园", 6), ("锦绣华庭", 5)]);
}

#[test]
fn trends_against_the_previous_period_and_a_year_earlier() {
    let (reports, _) = reports("metrics_quarter");
    // 满意率: January 1/3 (#1 满意 of 满意, 不满意, 一般), February 3/3, March 3/3.
    let feb = &find(&reports, "2025-02").overall.trend.satisfied_rate;
    assert_eq!(
        *feb,
        Change {
            previous: Some(0.3333),
            change: Some(0.6667),
            year_ago: None,
            change_year_ago: None
        }
    );
    let mar = &find(&reports, "2025-03").overall.trend.satisfied_rate;
    assert_eq!((mar.previous, mar.change), (Some(1.0), Some(0.0)));
    // January's previous month (2024-12) has no data.
    let jan = &find(&reports, "2025-01").overall.trend.satisfied_rate;
    assert_eq!((jan.previous, jan.change), (None, None));
}

#[test]
fn fiscal_year_starting_in_april() {
    let (reports, _) = reports("metrics_fiscal_april");
    let ids: Vec<&str> = reports.iter().map(|r| r.period.id.as_str()).collect();
    assert_eq!(
        ids,
        ["2025-03", "2025-02", "2025-01", "FY2024-Q4", "FY2024"]
    );
    let fy = find(&reports, "FY2024");
    assert_eq!(
        (fy.period.start, fy.period.end),
        (ymd(2024, 4, 1), ymd(2025, 3, 31))
    );
    assert!(!fy.period.in_progress);
    assert_eq!(fy.overall.visits.total, 11);
    let q4 = find(&reports, "FY2024-Q4");
    assert_eq!(
        (q4.period.start, q4.period.end),
        (ymd(2025, 1, 1), ymd(2025, 3, 31))
    );
    assert_eq!(q4.overall.complaints.total, 7);
}

/// tests/fixtures/metrics_leap_day: three 工程部 complaints on 2024-02-28 and a visit on 02-29.
/// 轻微 gives 2 days: deadline 03-01 (02-29 exists in 2024).
#[test]
fn leap_day_deadlines_and_explicit_due_dates() {
    let (reports, _) = reports("metrics_leap_day");
    let ids: Vec<&str> = reports.iter().map(|r| r.period.id.as_str()).collect();
    assert_eq!(ids, ["2024-03", "2024-02", "2024-Q1", "2024"]);
    let feb = find(&reports, "2024-02");
    assert_eq!(feb.period.end, ymd(2024, 2, 29));
    let r = &feb.overall.rectification;
    // #1 closed 03-01 on its deadline: on time. #2 closed 03-02: late.
    // #3 is 重大 (SLA 10 days) but due 02-29 explicitly, closed 03-01: late.
    assert_eq!(feb.overall.complaints.total, 3);
    assert_eq!(r.overdue, 2);
    // 2, 3 and 2 days (02-28 → 03-01 is two days in a leap year).
    assert_eq!(
        (r.days_to_close.median, r.days_to_close.mean),
        (Some(2.0), Some(2.3333))
    );
    assert_eq!((r.carried_over, r.open_at_end), (0, 3));
    assert_eq!(feb.overall.visits.total, 4);

    // March has no visits, but all three complaints carry in and are closed in it.
    let mar = find(&reports, "2024-03");
    assert_eq!(mar.overall.visits.total, 0);
    assert_eq!(mar.overall.visits.contact_rate, None);
    assert_eq!(mar.overall.satisfaction.satisfied_rate, None);
    assert!(mar.overall.satisfaction.low_sample);
    assert_eq!(
        (
            mar.overall.rectification.carried_over,
            mar.overall.rectification.open_at_end
        ),
        (3, 0)
    );
    assert_eq!(
        mar.departments.len(),
        1,
        "工程部 is in March's report for its carried-over complaints"
    );
}

/// Files are read in parallel, each with its own symbol table; merging their partials must
/// give exactly the reports that feeding every record, in order, into one accumulator gives.
#[test]
fn parallel_file_partials_equal_one_sequential_pass_on_the_sample() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let project = huifang::config::Project::load(&root.join("huifang.toml")).unwrap();
    let config = &project.config;
    let as_of = config.as_of_or_today();

    let (_, acc, symbols) = huifang::build::accumulate_sources(&project, as_of).unwrap();
    let parallel =
        std::sync::Arc::new(huifang::metrics::MetricsSet::new(&acc, config, &symbols)).reports();

    let mut seq_symbols = huifang::model::Symbols::default();
    let mut seq = huifang::metrics::Accumulator::new(huifang::metrics::Rules::new(config, as_of));
    huifang::ingest::ingest(&project, &mut seq_symbols, &mut |r| seq.add(&r)).unwrap();
    let sequential = std::sync::Arc::new(huifang::metrics::MetricsSet::new(
        &seq,
        config,
        &seq_symbols,
    ))
    .reports();

    assert_eq!(parallel.len(), 50, "35 months, 12 quarters, 3 years");
    assert_eq!(parallel, sequential);

    // A build writes each new version from the counted report itself: its JSON must be the
    // JSON of the report as stored (read back from its JSON), or a version would differ from
    // what it is compared as and shown as on every later build.
    for report in &parallel {
        let stored = huifang::versions::store::as_stored(report);
        let bytes = serde_json::to_vec_pretty(report).unwrap();
        assert_eq!(
            bytes,
            serde_json::to_vec_pretty(&stored).unwrap(),
            "{}",
            report.period.id
        );
    }
}

/// A comment is masked before it is cut to 300 characters: a phone number the cut runs
/// through shows only as its mask's first characters. By hand: 295 × 好, then the mask
/// `138****5678` cut after 5 characters, then `…`.
#[test]
fn a_comment_is_masked_before_it_is_cut() {
    let dir = tempfile::tempdir().unwrap();
    let comment = format!("{}13812345678{}", "好".repeat(295), "好".repeat(10));
    let csv = format!(
        "回访日期,责任部门,回访结果,满意度,问题类别,投诉等级,整改状态,客户意见\n\
         2025-03-05,工程部,成功,不满意,漏水渗水,重要,待处理,{comment}\n"
    );
    std::fs::write(dir.path().join("visits.csv"), csv).unwrap();
    let config = dir.path().join("huifang.toml");
    std::fs::write(
        &config,
        "as_of = 2025-03-31\n[[sources]]\npath = \"visits.csv\"\n",
    )
    .unwrap();
    let (reports, _) = util::reports_of(&config);
    let comments = &find(&reports, "2025-03").overall.complaints.recent_comments;
    assert_eq!(comments.len(), 1);
    assert_eq!(comments[0].text, format!("{}138**…", "好".repeat(295)));
}

#[test]
fn rates_that_wait_for_closing_are_not_compared_while_in_progress() {
    let project = util::TempProject::fixture("metrics_quarter");
    let config = std::fs::read_to_string(project.config()).unwrap();
    let config = config.replace("as_of = 2025-03-31", "as_of = 2025-03-20");
    std::fs::write(project.config(), config).unwrap();
    let (reports, _) = util::reports_of(&project.config());
    // As of 03-20, March is in progress. Its complaints #8 (待处理) and #10 (已整改): closure
    // 1/2. February's #6 (已整改) and #7 (处理中): 1/2, and #6 is on time (no closed date).
    let mar = find(&reports, "2025-03");
    assert!(mar.period.in_progress);
    let closure = &mar.overall.trend.closure_rate;
    assert_eq!(mar.overall.rectification.closure_rate, Some(0.5));
    assert_eq!((closure.previous, closure.change), (Some(0.5), None));
    let on_time = &mar.overall.trend.on_time_rate;
    assert_eq!((on_time.previous, on_time.change), (Some(1.0), None));
    // 满意率 does not wait for closing: March 3/3 (#8 满意, #10 满意; #11 is after 03-20 —
    // only #8 and #10 answer), against February's 3/3.
    let sat = &mar.overall.trend.satisfied_rate;
    assert_eq!((sat.previous, sat.change), (Some(1.0), Some(0.0)));
    // February is complete: January's #1 #2 #4 are all closed (1.0), February 1/2 → −0.5.
    let feb = &find(&reports, "2025-02").overall.trend.closure_rate;
    assert_eq!(feb.change, Some(-0.5));
}
