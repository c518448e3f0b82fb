//! Reading visit logs as real systems export them. Every expected value below is read off
//! the fixture files by hand.

use crate::util;

use chrono::Datelike;
use huifang::ingest::report::Impact;
use huifang::metrics::rules::is_contacted;
use huifang::model::Severity;
use util::{load, ymd};

#[test]
fn utf8_with_quoted_commas_quotes_line_breaks_and_trailing_empty_columns() {
    let l = load("utf8_quoted");
    let f = l.file();
    assert_eq!(
        (f.encoding, f.rows_read, f.accepted, f.rejected, f.warnings),
        ("UTF-8", 4, 4, 0, 0)
    );
    let comments: Vec<Option<&str>> = l.records.iter().map(|r| r.comment.as_deref()).collect();
    assert_eq!(
        comments,
        [
            Some("电梯坏了,一直没人修"),
            Some("她说\"很干净\""),
            Some("第一行\n第二行"),
            None
        ]
    );
    assert_eq!(
        l.dates_and_departments(),
        [
            (ymd(2025, 3, 5), "工程部"),
            (ymd(2025, 3, 6), "保洁部"),
            (ymd(2025, 3, 7), "客服部"),
            (ymd(2025, 3, 8), "工程部"),
        ]
    );
    let sat: Vec<Option<&str>> = l
        .records
        .iter()
        .map(|r| l.level_label(r.satisfaction))
        .collect();
    assert_eq!(sat, [Some("满意"), Some("非常满意"), Some("一般"), None]);
    // No contact_result column: every visit counts as contacted (DOMAIN.md).
    assert!(l.records.iter().all(|r| is_contacted(r.contact)));
    // No id column: ids are generated from file and line; the multi-line row starts on line 4.
    let ids: Vec<&str> = l.records.iter().map(|r| &*r.id).collect();
    assert_eq!(
        ids,
        [
            "visits.csv:2",
            "visits.csv:3",
            "visits.csv:4",
            "visits.csv:6"
        ]
    );
}

#[test]
fn utf8_bom_crlf_with_crm_header_spellings() {
    let l = load("utf8_bom_crlf");
    let f = l.file();
    assert_eq!((f.encoding, f.rows_read, f.accepted), ("UTF-8", 2, 2));
    assert!(f.unused_columns.is_empty(), "{:?}", f.unused_columns);
    let r = &l.records[0];
    assert_eq!(r.id, "GD202503050001");
    assert_eq!(r.date, ymd(2025, 3, 5));
    assert_eq!(l.name(r.department), "工程部");
    assert_eq!(l.opt_name(r.site), Some("翠湖花园"));
    assert_eq!(l.level_label(r.satisfaction), Some("满意"));
    assert_eq!(l.opt_name(r.contact_result), Some("成功"));
    assert!(is_contacted(r.contact));
    let r = &l.records[1];
    assert_eq!(l.name(r.department), "秩序维护部");
    assert_eq!(l.opt_name(r.contact_result), Some("未接通"));
    assert!(!is_contacted(r.contact));
    assert_eq!(r.satisfaction, None);
}

fn assert_gb18030_rows(l: &util::Loaded) {
    let f = l.file();
    assert_eq!(
        (f.encoding, f.rows_read, f.accepted, f.rejected),
        ("GB18030", 3, 3, 0)
    );
    assert_eq!(
        l.dates_and_departments(),
        [
            (ymd(2025, 3, 5), "工程部"),
            (ymd(2025, 3, 6), "绿化部"),
            (ymd(2025, 3, 7), "保洁部")
        ]
    );
    let r = &l.records[0];
    assert_eq!(r.id, "1");
    assert_eq!(l.opt_name(r.visit_type), Some("维修回访"));
    assert_eq!(l.opt_name(r.channel), Some("电话"));
    assert_eq!(l.level_label(r.satisfaction), Some("不满意"));
    let c = r.complaint.as_ref().expect("row 1 raised a complaint");
    assert_eq!(l.name(c.category), "漏水渗水");
    assert_eq!(c.severity, Some(Severity::Important));
    let status = c
        .status
        .map(|s| l.project.config.status.all().nth(s.0 as usize).unwrap());
    assert_eq!(status, Some(("处理中", false)));
    assert_eq!(l.records[1].complaint, None);
    let c = l.records[2].complaint.as_ref().unwrap();
    assert_eq!(c.severity, Some(Severity::Minor));
    let status = c
        .status
        .map(|s| l.project.config.status.all().nth(s.0 as usize).unwrap());
    assert_eq!(status, Some(("已整改", true)));
}

#[test]
fn gb18030_crlf_is_detected() {
    assert_gb18030_rows(&load("gb18030_crlf"));
}

#[test]
fn gb18030_can_be_forced_by_config() {
    assert_gb18030_rows(&load("gb18030_forced"));
}

#[test]
fn gb18030_after_a_long_ascii_prefix_is_read_as_gb18030() {
    let l = load("gb18030_late");
    let f = l.file();
    assert_eq!(
        (f.encoding, f.rows_read, f.accepted, f.rejected),
        ("GB18030", 4001, 4001, 0)
    );
    let last = l.records.last().unwrap();
    assert_eq!(l.name(last.department), "工程部");
    assert_eq!(last.date, ymd(2025, 2, 1));
    // ASCII reads the same in both encodings: nothing to warn about.
    assert_eq!(f.warnings, 0);
}

#[test]
fn full_width_noise_in_headers_and_values_is_folded() {
    let l = load("fullwidth_noise");
    let f = l.file();
    assert_eq!((f.rows_read, f.accepted, f.warnings), (2, 2, 0));
    assert!(f.unused_columns.is_empty(), "{:?}", f.unused_columns);
    assert_eq!(
        l.dates_and_departments(),
        [(ymd(2025, 3, 5), "工程部"), (ymd(2025, 3, 6), "保洁部")]
    );
    assert_eq!(l.level_label(l.records[0].satisfaction), Some("满意"));
    // `５` is the score of 非常满意 in full-width digits.
    assert_eq!(l.level_label(l.records[1].satisfaction), Some("非常满意"));
    assert_eq!(l.opt_name(l.records[1].site), Some("ABC花园"));
}

#[test]
fn explicit_mapping_wins_over_synonyms_and_source_mapping_over_global() {
    let l = load("explicit_mapping");
    let f = l.file();
    assert_eq!(f.unused_columns, ["日期"]);
    assert_eq!(
        l.dates_and_departments(),
        [(ymd(2025, 3, 5), "工程部"), (ymd(2025, 3, 6), "客服部")]
    );
}

#[test]
fn every_documented_date_format() {
    let l = load("date_formats");
    let f = l.file();
    assert_eq!((f.rows_read, f.accepted, f.rejected), (11, 11, 0));
    let dates: Vec<_> = l.records.iter().map(|r| r.date).collect();
    let mut expected: Vec<_> = (5..=14).map(|d| ymd(2025, 3, d)).collect();
    expected.push(ymd(2024, 2, 29));
    assert_eq!(dates, expected);
}

#[test]
fn each_rejection_reason_with_its_line_and_column() {
    check_rejection_lines("rejections");
}

/// The same file with CRLF and with CR-only line ends: the same physical line numbers.
#[test]
fn line_numbers_hold_for_crlf_and_cr_line_ends() {
    check_rejection_lines("rejections_crlf");
    check_rejection_lines("rejections_cr");
}

fn check_rejection_lines(fixture: &str) {
    let l = load(fixture);
    let f = l.file();
    assert_eq!(
        (f.rows_read, f.accepted, f.rejected, f.warnings),
        (8, 2, 6, 0)
    );
    assert_eq!(f.accepted + f.rejected, f.rows_read);
    let got: Vec<(u64, Option<usize>, &str)> = f
        .diagnostics
        .iter()
        .map(|d| {
            assert_eq!(d.impact, Impact::Rejected);
            (
                d.line,
                d.column.as_ref().map(|c| c.number),
                d.message.as_str(),
            )
        })
        .collect();
    let expected: [(u64, Option<usize>, &str); 6] = [
        (4, Some(1), "date is empty"),
        (
            5,
            Some(1),
            "`2025-02-30` is not a date: 2025-02-30 is not a day of the calendar",
        ),
        (
            6,
            Some(1),
            "`下周三` is not a date: expected a date such as",
        ),
        (7, Some(2), "department is empty"),
        (8, None, "the row is empty"),
        (
            9,
            Some(1),
            "`2025/3/10 25:61` is not a date: the time after the date is not a time of day",
        ),
    ];
    assert_eq!(got.len(), expected.len());
    for (g, e) in got.iter().zip(expected) {
        assert_eq!((g.0, g.1), (e.0, e.1), "{g:?}");
        assert!(
            g.2.starts_with(e.2),
            "{:?} should start with {:?}",
            g.2,
            e.2
        );
    }
    assert_eq!(
        l.dates_and_departments(),
        [(ymd(2025, 3, 5), "工程部"), (ymd(2025, 3, 11), "客服部")]
    );
}

#[test]
fn a_bad_optional_value_blanks_that_cell_and_keeps_the_row() {
    let l = load("bad_optional");
    let f = l.file();
    assert_eq!(
        (f.rows_read, f.accepted, f.rejected, f.warnings),
        (3, 3, 0, 7)
    );
    let got: Vec<(u64, usize, Impact)> = f
        .diagnostics
        .iter()
        .map(|d| (d.line, d.column.as_ref().unwrap().number, d.impact))
        .collect();
    let w = Impact::Warning;
    assert_eq!(
        got,
        [
            (2, 3, w),
            (2, 5, w),
            (2, 6, w),
            (2, 8, w),
            (2, 9, w),
            (3, 8, w),
            (4, 5, w)
        ]
    );

    let first = &l.records[0];
    assert_eq!(first.satisfaction, None);
    let c = first.complaint.as_ref().unwrap();
    assert_eq!(l.name(c.category), "漏水渗水");
    assert_eq!(
        (c.severity, c.status, c.closed_date, c.revisit_satisfaction),
        (None, None, None, None)
    );
    assert_eq!(
        c.due_date,
        Some(ymd(2025, 3, 8)),
        "the valid due date is kept"
    );

    let second = &l.records[1];
    assert_eq!(
        l.level_label(second.satisfaction),
        Some("满意"),
        "score 4 is 满意"
    );
    let c = second.complaint.as_ref().unwrap();
    assert_eq!(c.severity, Some(Severity::Major));
    assert_eq!(c.closed_date, None, "closed before the visit: blanked");
    assert_eq!(c.due_date, Some(ymd(2025, 3, 9)));

    assert_eq!(
        l.records[2].complaint, None,
        "severity without a category raises no complaint"
    );
}

#[test]
fn a_missing_required_column_fails_the_file_with_the_fix() {
    let l = load("missing_department");
    assert!(l.report.files.is_empty());
    assert!(l.records.is_empty());
    let failure = &l.report.failures[0];
    let text = failure.to_string();
    assert!(
        text.starts_with("visits.csv: no column for required field department"),
        "{text}"
    );
    assert!(
        text.contains("headers found: 回访日期, 负责科室, 满意度"),
        "{text}"
    );
    assert!(
        text.contains("[columns]\n    department = \"负责科室\""),
        "{text}"
    );
}

#[test]
fn a_title_row_above_the_header_is_skipped_and_counted() {
    let l = load("title_row");
    let f = l.file();
    assert_eq!((f.title_lines, f.rows_read, f.accepted), (2, 2, 2));
    assert_eq!(
        l.dates_and_departments(),
        [(ymd(2025, 3, 5), "工程部"), (ymd(2025, 3, 6), "保洁部")]
    );
    let ids: Vec<&str> = l.records.iter().map(|r| &*r.id).collect();
    assert_eq!(ids, ["visits.csv:4", "visits.csv:5"]);
}

#[test]
fn a_utf8_bom_decides_even_when_gb18030_follows() {
    let mut csv = b"\xef\xbb\xbf".to_vec();
    let (gb, _, _) = encoding_rs::GB18030.encode("回访日期,责任部门\n2025-03-05,工程部\n");
    csv.extend_from_slice(&gb);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("visits.csv"), &csv).unwrap();
    let config = dir.path().join("huifang.toml");
    std::fs::write(&config, "[[sources]]\npath = \"visits.csv\"\n").unwrap();
    let project = huifang::config::Project::load(&config).unwrap();
    let mut symbols = huifang::model::Symbols::default();
    let report = huifang::ingest::ingest(&project, &mut symbols, &mut |_| {}).unwrap();
    let failure = report.failures[0].to_string();
    assert!(failure.contains("not valid UTF-8"), "{failure}");
    assert!(failure.contains("encoding = \"gb18030\""), "{failure}");
}

#[test]
fn bad_gb18030_bytes_count_only_in_cells_that_are_read() {
    let mut header = encoding_rs::GB18030
        .encode("回访日期,责任部门,XYZ\n")
        .0
        .to_vec();
    header.extend_from_slice(&encoding_rs::GB18030.encode("2025-03-05,工程部,").0);
    // A lead byte with no trail, in a column no field maps to.
    header.extend_from_slice(b"\x81\n");
    let l = util::load_csv_with(&header, "encoding = \"gb18030\"");
    let f = l.file();
    assert_eq!((f.accepted, f.warnings), (1, 0), "{:?}", f.diagnostics);
    // The same byte in a cell that is read is reported.
    let mut used = encoding_rs::GB18030
        .encode("回访日期,责任部门\n2025-03-05,")
        .0
        .to_vec();
    used.extend_from_slice(b"\x81\n");
    let l = util::load_csv_with(&used, "encoding = \"gb18030\"");
    // The department is required: a broken one rejects the row, on its line and column.
    let f = l.file();
    assert_eq!((f.accepted, f.rejected, f.warnings), (0, 1, 0));
    let d = &f.diagnostics[0];
    assert_eq!((d.line, d.column.as_ref().map(|c| c.number)), (2, Some(2)));
}

#[test]
fn a_duplicate_column_is_reported_on_the_header_line() {
    let l = util::load_csv("\n\n标题\n\n回访日期,责任部门,日期\n2025-03-05,工程部,x\n".as_bytes());
    let f = l.file();
    let duplicate = f
        .diagnostics
        .iter()
        .find(|d| d.message.contains("both"))
        .unwrap();
    // Blank lines 1, 2 and 4, the title on line 3: the header is on line 5.
    assert_eq!(duplicate.line, 5);
}

#[test]
fn a_quote_left_open_loses_only_its_own_row() {
    let mut csv = "回访日期,责任部门,回访内容\n2025-03-05,工程部,好\n".to_owned();
    // Line 3 opens a quoted cell that never closes; the 30 rows after it are rows of their own.
    csv.push_str("2025-03-06,工程部,\"漏水\n");
    for day in 1..=30 {
        csv.push_str(&format!("2025-04-{day:02},客服中心,好\n"));
    }
    let l = util::load_csv(csv.as_bytes());
    let f = l.file();
    assert_eq!(
        (f.rows_read, f.accepted, f.rejected, f.warnings),
        (32, 31, 1, 0)
    );
    let d = &f.diagnostics[0];
    assert_eq!((d.line, d.column.as_ref().map(|c| c.number)), (3, Some(3)));
    assert!(d.message.contains("never closed"), "{}", d.message);
    let days: Vec<u32> = l.records.iter().map(|r| r.date.day()).collect();
    let mut expected = vec![5];
    expected.extend(1..=30);
    assert_eq!(days, expected);
    assert!(l.records.iter().all(|r| r.comment.as_deref() == Some("好")));
}

#[test]
fn a_value_met_again_reads_the_same_and_a_bad_one_is_reported_each_time() {
    // Rows 2 and 4 repeat the cells of rows 1 and 3 byte for byte; row 3's department has an
    // ideographic space before it, which folds away.
    let csv = "回访日期,责任部门,回访结果,满意度,问题类别,投诉等级,整改状态\n\
               2025-03-05,工程部,成功,满意,漏水,重大,已整改\n\
               2025-03-06,工程部,成功,满意,漏水,重大,已整改\n\
               2025-03-07,\u{3000}工程部,未接通,很好,漏水,严重,搁置\n\
               2025-03-08,\u{3000}工程部,未接通,很好,漏水,严重,搁置\n\
               2025-03-09,客服中心,成功,,,,\n";
    let l = util::load_csv(csv.as_bytes());
    let f = l.file();
    assert_eq!((f.rows_read, f.accepted, f.warnings), (5, 5, 6));
    // One message per bad cell (satisfaction, level, status), on each of the two rows.
    let lines: Vec<u64> = f.diagnostics.iter().map(|d| d.line).collect();
    assert_eq!(lines, [4, 4, 4, 5, 5, 5]);
    let r = &l.records;
    let names: Vec<&str> = r.iter().map(|r| l.name(r.department)).collect();
    assert_eq!(names, ["工程部", "工程部", "工程部", "工程部", "客服中心"]);
    let contacted: Vec<bool> = r.iter().map(|r| is_contacted(r.contact)).collect();
    assert_eq!(contacted, [true, true, false, false, true]);
    // 满意 is the second level of the default scale.
    let levels: Vec<Option<u8>> = r.iter().map(|r| r.satisfaction.map(|l| l.0)).collect();
    assert_eq!(levels, [Some(1), Some(1), None, None, None]);
    let complaint = |i: usize| r[i].complaint.as_ref().unwrap();
    assert_eq!(complaint(1).severity, Some(huifang::model::Severity::Major));
    assert!(complaint(1).status.is_some());
    assert_eq!((complaint(3).severity, complaint(3).status), (None, None));
    assert_eq!(complaint(0).category, complaint(3).category);
    assert!(r[4].complaint.is_none());
}

/// Found in review: faults that were not, and a stray quote that hid.
#[test]
fn a_second_comment_column_may_hold_line_breaks() {
    let csv = "编号,回访日期,责任部门,客户意见,备注\n1,2026-01-02,客服部,好,\"第一行\n第二行\"\n2,2026-01-03,客服部,好,ok\n";
    let l = util::load_csv(csv.as_bytes());
    let f = l.file();
    assert_eq!((f.rows_read, f.accepted, f.rejected), (2, 2, 0));
    let ids: Vec<&str> = l.records.iter().map(|r| &*r.id).collect();
    assert_eq!(ids, ["1", "2"]);
}

#[test]
fn a_heading_over_four_lines_is_a_heading() {
    let csv = "编号,回访日期,责任部门,\"客户意见\n(请填写)\n(选填)\n(限200字)\"\n1,2026-01-02,客服部,好\n";
    let l = util::load_csv(csv.as_bytes());
    let f = l.file();
    assert_eq!((f.accepted, f.rejected, f.warnings), (1, 0, 0));
    assert_eq!(l.records[0].comment.as_deref(), Some("好"));
    assert_eq!(f.lines_above_rows, 4);
}

#[test]
fn a_stray_quote_in_the_header_cannot_swallow_a_row_ending_in_a_quote() {
    let csv =
        "编号,回访日期,责任部门,\"客户意见\n1,2026-01-02,客服部,屏幕5\"\n2,2026-01-03,工程部,好\n";
    let l = util::load_csv(csv.as_bytes());
    let f = l.file();
    assert_eq!((f.rows_read, f.accepted, f.warnings), (2, 2, 1));
    assert_eq!(
        (f.diagnostics[0].line, f.diagnostics[0].impact),
        (1, Impact::Warning)
    );
    assert_eq!(l.records[0].comment.as_deref(), Some("屏幕5\""));
}

#[test]
fn a_cr_only_tab_file_with_a_stray_quote_in_the_header() {
    let csv = "\"编号\t回访日期\t责任部门\t客户意见\r1\t2026-01-02\t客服部\t好,很好\r2\t2026-01-03\t工程部\t好\r";
    let l = util::load_csv(csv.as_bytes());
    let f = l.file();
    assert_eq!((f.accepted, f.rejected, f.warnings), (2, 0, 1));
    assert_eq!(l.records[0].comment.as_deref(), Some("好,很好"));
}

/// A stray quote in a comment that a later line happens to close well: the rule keeps the
/// record, but the rows read into the comment are reported.
#[test]
fn rows_read_into_a_comment_are_reported() {
    let csv = "编号,回访日期,责任部门,客户意见,回访人\n\
               1,2026-03-01,工程部,\"漏水,王芳\n\
               2,2026-03-02,客服部,好,李娜\n\
               3,2026-03-03,客服部,好,张三\n\
               4,2026-03-04,工程部,修好了\",赵六\n\
               5,2026-03-05,工程部,好,钱七\n";
    let l = util::load_csv(csv.as_bytes());
    let f = l.file();
    assert_eq!((f.rows_read, f.accepted, f.warnings), (2, 2, 1));
    let d = &f.diagnostics[0];
    assert_eq!((d.line, d.impact), (2, Impact::Warning));
    assert!(
        d.message.contains("line 3 in its quoted cell"),
        "{}",
        d.message
    );
    // A comment over three lines of text is no such thing.
    let csv = "编号,回访日期,责任部门,客户意见,回访人\n1,2026-03-01,工程部,\"漏水\n已修,谢谢\n好\",王芳\n";
    assert_eq!(util::load_csv(csv.as_bytes()).file().warnings, 0);
}

/// The same, when the quote that closes the cell ends the very next line's comment: the
/// closing line holds as many delimiters before the quote as the first line before the cell.
#[test]
fn a_row_read_into_a_comment_by_the_next_line_is_reported() {
    let csv = "编号,回访日期,责任部门,客户意见,回访人\n\
               1,2026-03-01,工程部,\"漏水,王芳\n\
               2,2026-03-02,客服部,尺寸5\",李娜\n\
               3,2026-03-03,工程部,好,钱七\n";
    let l = util::load_csv(csv.as_bytes());
    let f = l.file();
    assert_eq!((f.rows_read, f.accepted, f.warnings), (2, 2, 1));
    let d = &f.diagnostics[0];
    assert!(
        d.message.contains("line 3 in its quoted cell"),
        "{}",
        d.message
    );
    // A comment whose second line is plain text, or holds a comma or two, is no such thing.
    for tail in ["已修\"", "已修,谢谢\"", "a,b\""] {
        let csv = format!(
            "编号,回访日期,责任部门,客户意见,回访人\n1,2026-03-01,工程部,\"漏水\n{tail},王芳\n"
        );
        assert_eq!(util::load_csv(csv.as_bytes()).file().warnings, 0, "{tail}");
    }
}

/// The line named is the physical line, whatever the line ends, blank lines counted.
#[test]
fn rows_read_into_a_comment_are_named_by_their_physical_line() {
    let lf = "编号,回访日期,责任部门,客户意见,回访人\n\
              1,2026-03-01,工程部,\"漏水,王芳\n\
              \n\
              2,2026-03-02,客服部,好,李娜\n\
              3,2026-03-03,工程部,修好了\",赵六\n";
    for csv in [
        lf.to_owned(),
        lf.replace('\n', "\r\n"),
        lf.replace('\n', "\r"),
    ] {
        let l = util::load_csv(csv.as_bytes());
        let f = l.file();
        assert_eq!((f.rows_read, f.accepted, f.warnings), (1, 1, 1), "{csv:?}");
        let d = &f.diagnostics[0];
        assert!(
            d.message.contains("lines 2–5, and line 4 in"),
            "{}",
            d.message
        );
    }
    // Two lines, the second a row whose cell in the comment's column ends in a quote.
    let two = "编号,回访日期,责任部门,客户意见,回访人\n\
               1,2026-03-01,工程部,\"漏水,王芳\n\
               2,2026-03-02,客服部,尺寸5\",李娜\n";
    for csv in [two.replace('\n', "\r\n"), two.replace('\n', "\r")] {
        let l = util::load_csv(csv.as_bytes());
        let d = &l.file().diagnostics[0];
        assert!(
            d.message.contains("line 3 in its quoted cell"),
            "{}",
            d.message
        );
    }
}
