//! The repository's sample data: every row accounted for, the deliberately bad rows found at
//! the lines sample-data/README.md documents, the year files reproducible by the generator,
//! and the dataset as rich as the reports need.

use crate::util;

use huifang::ingest::report::Impact;
use huifang::sample::{SampleOptions, write_sample_with_orders};
use std::collections::BTreeSet;
use std::path::Path;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn every_row_is_accepted_or_rejected() {
    let l = util::load_config(&repo().join("huifang.toml"));
    assert!(l.report.failures.is_empty());
    assert_eq!(l.report.files.len(), 4);
    for f in &l.report.files {
        assert_eq!(f.accepted + f.rejected, f.rows_read, "{}", f.path);
    }
    assert_eq!(
        l.report.accepted() + l.report.rejected(),
        l.report.rows_read()
    );
    assert_eq!(l.records.len() as u64, l.report.accepted());
    // 6000 generated rows plus the 18 hand-typed ones, of which 6 are rejected.
    assert_eq!((l.report.rows_read(), l.report.rejected()), (6018, 6));
}

#[test]
fn the_documented_bad_rows_are_found_where_documented() {
    let l = util::load_config(&repo().join("huifang.toml"));
    let manual = l
        .report
        .files
        .iter()
        .find(|f| f.path == "sample-data/visits/manual-entries.csv")
        .unwrap();
    let found: Vec<(u64, Impact)> = manual
        .diagnostics
        .iter()
        .map(|d| (d.line, d.impact))
        .collect();
    let (r, w) = (Impact::Rejected, Impact::Warning);
    assert_eq!(
        found,
        [
            (3, r),
            (5, r),
            (6, r),
            (7, w),
            (10, r),
            (11, w),
            (13, w),
            (14, r),
            (15, w),
            (17, w),
            (19, r)
        ]
    );
    // The row after the stray quote is read as a row of its own.
    let last = l
        .records
        .iter()
        .find(|r| r.id == "manual-entries.csv:20")
        .unwrap();
    assert_eq!(l.name(last.department), "客服部");
    let generated_problems: u64 = l
        .report
        .files
        .iter()
        .filter(|f| f.path != manual.path)
        .map(|f| f.rejected + f.warnings)
        .sum();
    assert_eq!(generated_problems, 0);
}

#[test]
fn the_generator_reproduces_the_committed_year_files() {
    let tmp = tempfile::tempdir().unwrap();
    let orders = tmp.path().join("orders");
    let files =
        write_sample_with_orders(&SampleOptions::default(), tmp.path(), Some(&orders)).unwrap();
    assert_eq!(files.len(), 6);
    for file in files {
        let name = file.file_name().unwrap();
        let folder = if file.starts_with(&orders) {
            "orders"
        } else {
            "visits"
        };
        let committed = std::fs::read(repo().join("sample-data").join(folder).join(name)).unwrap();
        assert!(
            std::fs::read(&file).unwrap() == committed,
            "{name:?} differs from a fresh run"
        );
    }
}

#[test]
fn the_sample_covers_what_the_reports_show() {
    let l = util::load_config(&repo().join("huifang.toml"));
    let as_of = l.project.config.as_of.unwrap().0;
    let names = |pick: &dyn Fn(&huifang::model::VisitRecord) -> Option<huifang::model::Sym>| {
        l.records
            .iter()
            .filter_map(pick)
            .map(|s| l.name(s).to_owned())
            .collect::<BTreeSet<_>>()
    };
    let first = l.records.iter().map(|r| r.date).min().unwrap();
    let last = l.records.iter().map(|r| r.date).max().unwrap();
    assert!(
        first <= util::ymd(2024, 1, 1) && last >= util::ymd(2025, 12, 31),
        "two full years"
    );
    assert!(names(&|r| Some(r.department)).len() >= 6);
    let types = names(&|r| r.visit_type);
    for t in [
        "定期走访",
        "专项走访",
        "投诉回访",
        "维修回访",
        "有偿服务回访",
        "安装回访",
        "巡检回访",
    ] {
        assert!(types.contains(t), "visit type {t}");
    }
    let channels = names(&|r| r.channel);
    for c in ["电话", "上门", "巡视", "短信", "微信"] {
        assert!(channels.contains(c), "channel {c}");
    }
    let levels: BTreeSet<u8> = l
        .records
        .iter()
        .filter_map(|r| r.satisfaction)
        .map(|s| s.0)
        .collect();
    assert_eq!(levels.len(), 5);

    let complaints: Vec<_> = l
        .records
        .iter()
        .filter_map(|r| Some((r, r.complaint.as_ref()?)))
        .collect();
    let severities: BTreeSet<_> = complaints.iter().filter_map(|(_, c)| c.severity).collect();
    assert_eq!(severities.len(), 3);
    let statuses: BTreeSet<_> = complaints.iter().filter_map(|(_, c)| c.status).collect();
    assert_eq!(statuses.len(), 5, "待处理 处理中 已整改 已验证 暂不能解决");
    let closed = |c: &huifang::model::Complaint| {
        c.status
            .is_some_and(|s| l.project.config.status.all().nth(s.0 as usize).unwrap().1)
    };
    let sla = &l.project.config.sla_days;
    let deadline = |r: &huifang::model::VisitRecord, c: &huifang::model::Complaint| {
        c.due_date.unwrap_or_else(|| {
            r.date + chrono::Days::new(u64::from(c.severity.map_or(sla.minor, |s| sla.days(s))))
        })
    };
    let closed_late = complaints
        .iter()
        .filter(|(r, c)| closed(c) && c.closed_date.is_some_and(|d| d > deadline(r, c)))
        .count();
    let open_past_deadline = complaints
        .iter()
        .filter(|(r, c)| !closed(c) && deadline(r, c) < as_of)
        .count();
    let closed_without_date = complaints
        .iter()
        .filter(|(_, c)| closed(c) && c.closed_date.is_none())
        .count();
    let carried_over = complaints
        .iter()
        .filter(|(r, c)| {
            c.closed_date
                .is_some_and(|d| (d.year_month()) != r.date.year_month())
        })
        .count();
    assert!(
        closed_late > 0 && open_past_deadline > 0,
        "overdue, both ways"
    );
    assert!(closed_without_date > 0);
    assert!(carried_over > 0);
    let phones = l
        .records
        .iter()
        .filter_map(|r| r.comment.as_deref())
        .filter(|c| has_mobile_number(c))
        .count();
    assert!(phones > 0, "comments with phone numbers to mask");
}

trait YearMonth {
    fn year_month(&self) -> (i32, u32);
}

impl YearMonth for chrono::NaiveDate {
    fn year_month(&self) -> (i32, u32) {
        use chrono::Datelike;
        (self.year(), self.month())
    }
}

fn has_mobile_number(text: &str) -> bool {
    let b = text.as_bytes();
    b.windows(11)
        .any(|w| w[0] == b'1' && (b'3'..=b'9').contains(&w[1]) && w.iter().all(u8::is_ascii_digit))
}
