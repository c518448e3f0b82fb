//! A corpus of broken input files (`tests/fixtures/faults/<case>/`): stray quotes wherever a
//! hand-kept file has them, broken bytes, wrong encodings, files that are not CSV at all, a
//! wrong mapping, and a site built from such a file.
//!
//! The comment above each test gives the bytes of the fixture's `visits.csv` (of a survey
//! fixture, its `export.csv`; it has no config): one comment line per line of the file, `N│`
//! being its physical line number (not part of the file). Unless the comment says
//! otherwise a file is UTF-8 without a BOM, its lines end in LF, and the last line has a line
//! end too. `<FF>` stands for one raw byte of that value, `<ESC>` and `<BEL>` for the control
//! characters 0x1B and 0x07, `<BOM>` for the bytes EF BB BF, and `H` for the header line:
//!
//! ```text
//! 编号,回访日期,责任部门,项目,满意度,客户意见
//! ```
//!
//! (column 1 id, 2 date, 3 department, 4 site, 5 satisfaction, 6 comment). A config not
//! shown is `[[sources]]` / `path = "visits.csv"`. Every expected value below was worked out
//! by hand from those bytes and the quoting rule (`src/ingest/quotes.rs`): a quote opens a
//! cell only at its start; a quoted cell closes with a quote followed by a delimiter, a line
//! end or the end of the file; only the comment and columns no field is read from may hold
//! line breaks (at most 100 per cell); a record breaking the rule loses its first physical
//! line only, and the next line is read as a row of its own.

use crate::util;

use huifang::config::EncodingChoice;
use huifang::ingest::FileReport;
use huifang::ingest::report::Impact;
use huifang::survey::read::{ExportFormat, SurveyExport, read_export};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;
use util::{Loaded, load, tree, ymd};

const X: Impact = Impact::Rejected;
const W: Impact = Impact::Warning;

/// Planted only on lines that are rejected (or swallowed): never in an accepted record.
const PHONE: &str = "13812345678";
const NAME: &str = "李娜";

/// (line, column number, severity) of a diagnostic.
type Diag = (u64, Option<usize>, Impact);

fn dir(case: &str) -> PathBuf {
    util::fixture("faults").join(case)
}

fn diags(f: &FileReport) -> Vec<Diag> {
    f.diagnostics
        .iter()
        .map(|d| (d.line, d.column.as_ref().map(|c| c.number), d.impact))
        .collect()
}

fn ids(l: &Loaded) -> Vec<&str> {
    l.records.iter().map(|r| &*r.id).collect()
}

fn departments(l: &Loaded) -> Vec<&str> {
    l.records.iter().map(|r| l.name(r.department)).collect()
}

fn comments(l: &Loaded) -> Vec<Option<String>> {
    l.records
        .iter()
        .map(|r| r.comment.as_deref().map(one_line_end))
        .collect()
}

/// Line breaks inside a value written as LF, whatever the file used.
fn one_line_end(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// Every text of an accepted record, field by field.
fn texts(l: &Loaded, r: &huifang::model::VisitRecord<'_>) -> Vec<String> {
    let syms = [
        Some(r.department),
        r.site,
        r.visit_type,
        r.channel,
        r.contact_result,
        r.staff,
        r.complaint.as_ref().map(|c| c.category),
    ];
    let mut all: Vec<String> = syms
        .into_iter()
        .flatten()
        .map(|s| l.name(s).to_owned())
        .collect();
    all.push(r.id.to_string());
    all.extend(r.comment.as_deref().map(str::to_owned));
    all.push(r.date.to_string());
    all
}

/// The physical lines of a file as text (GB18030 or UTF-8, a BOM dropped), split at CRLF, CR
/// or LF.
fn physical_lines(bytes: &[u8], gb18030: bool) -> Vec<String> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let text = if gb18030 {
        encoding_rs::GB18030
            .decode_without_bom_handling(bytes)
            .0
            .into_owned()
    } else {
        String::from_utf8_lossy(bytes).into_owned()
    };
    one_line_end(&text).split('\n').map(str::to_owned).collect()
}

/// Whether `value` can be read off `line`: as written, with `""` read as `"`, or with control
/// characters (which names never keep) left out.
fn on_line(value: &str, line: &str) -> bool {
    let unescaped = line.replace("\"\"", "\"");
    let visible: String = line.chars().filter(|c| !c.is_control()).collect();
    [line, &unescaped, &visible]
        .iter()
        .any(|l| l.contains(value))
}

/// Every accepted record came from its own lines: its id starts exactly one physical line,
/// its department and site are on that line, the k-th line of its comment is on the k-th line
/// from there, and nothing planted on a rejected line is in any of its fields.
fn contained(l: &Loaded, lines: &[String]) {
    for r in &l.records {
        let starts: Vec<usize> = (0..lines.len())
            .filter(|&i| {
                let rest = lines[i].strip_prefix(&*r.id);
                rest.is_some_and(|rest| rest.starts_with([',', '\t']))
            })
            .collect();
        assert_eq!(starts.len(), 1, "record {} starts one line", r.id);
        let own = &lines[starts[0]];
        let department = l.name(r.department);
        assert!(on_line(department, own), "{}: {department:?}", r.id);
        if let Some(site) = l.opt_name(r.site) {
            assert!(on_line(site, own), "{}: {site:?}", r.id);
        }
        if let Some(comment) = r.comment.as_deref() {
            for (k, part) in one_line_end(comment).split('\n').enumerate() {
                let line = &lines[starts[0] + k];
                assert!(on_line(part, line), "{}: {part:?} not on {line:?}", r.id);
            }
        }
        for text in texts(l, r) {
            for planted in [PHONE, NAME] {
                assert!(
                    !text.contains(planted),
                    "{}: {text:?} holds {planted}",
                    r.id
                );
            }
        }
    }
}

/// Loads a one-file fault fixture and checks what every case checks: accepted ids, counts,
/// diagnostics, and that each record holds only text of its own lines.
fn case(
    name: &str,
    gb18030: bool,
    accepted: &[&str],
    counts: (u64, u64, u64, u64),
    expected: &[Diag],
) -> Loaded {
    let l = load(&format!("faults/{name}"));
    let f = l.file();
    assert_eq!(ids(&l), accepted, "{name}: accepted ids");
    assert_eq!(
        (f.rows_read, f.accepted, f.rejected, f.warnings),
        counts,
        "{name}: rows read, accepted, rejected, warnings; {:#?}",
        f.diagnostics
    );
    assert_eq!(diags(f), expected, "{name}: {:#?}", f.diagnostics);
    let bytes = std::fs::read(dir(name).join("visits.csv")).unwrap();
    contained(&l, &physical_lines(&bytes, gb18030));
    l
}

fn message(l: &Loaded, i: usize) -> &str {
    &l.file().diagnostics[i].message
}

// ---------------------------------------------------------------------------------------
// Stray quotes in the body
// ---------------------------------------------------------------------------------------

/// ```text
/// 1│H
/// 2│R1,2026-03-01,"工程部,翠湖花园,满意,请回电13812345678
/// 3│R2,2026-03-02,客服中心,阳光小区,满意,好
/// 4│R3,2026-03-03,保洁部,翠湖花园,一般,
/// ```
/// The department of the first row opens a quote that reaches the line end: the department
/// never holds line breaks, so line 2 is the fault (column 3) and lines 3–4 are rows.
#[test]
fn a_stray_quote_in_the_first_row_loses_that_row_only() {
    let l = case(
        "stray_dept_first",
        false,
        &["R2", "R3"],
        (3, 2, 1, 0),
        &[(2, Some(3), X)],
    );
    assert_eq!(departments(&l), ["客服中心", "保洁部"]);
    assert_eq!(l.file().lines, 4);
    assert!(message(&l, 0).contains("never holds line breaks"));
}

/// ```text
/// 1│H
/// 2│R1,2026-03-01,工程部,翠湖花园,满意,好
/// 3│R2,2026-03-02,客服中心,阳光小区,满意,
/// 4│R3,2026-03-03,"李娜,翠湖花园,满意,请回电13812345678
/// 5│R4,2026-03-04,保洁部,翠湖花园,一般,还行
/// 6│R5,2026-03-05,工程部,阳光小区,满意,
/// ```
#[test]
fn a_stray_quote_in_a_middle_department_loses_that_row_only() {
    let l = case(
        "stray_dept_mid",
        false,
        &["R1", "R2", "R4", "R5"],
        (5, 4, 1, 0),
        &[(4, Some(3), X)],
    );
    assert_eq!(departments(&l), ["工程部", "客服中心", "保洁部", "工程部"]);
    let sites: Vec<Option<&str>> = l.records.iter().map(|r| l.opt_name(r.site)).collect();
    assert_eq!(
        sites,
        [
            Some("翠湖花园"),
            Some("阳光小区"),
            Some("翠湖花园"),
            Some("阳光小区")
        ]
    );
}

/// No line end after line 4:
/// ```text
/// 1│H
/// 2│R1,2026-03-01,工程部,翠湖花园,满意,好
/// 3│R2,2026-03-02,客服中心,阳光小区,满意,
/// 4│R3,2026-03-03,"李娜,翠湖花园,满意,13812345678
/// ```
/// The quote meets the end of the file before any line end: never closed.
#[test]
fn a_stray_quote_on_the_last_line_without_a_line_end() {
    let l = case(
        "stray_dept_last",
        false,
        &["R1", "R2"],
        (3, 2, 1, 0),
        &[(4, Some(3), X)],
    );
    assert!(
        message(&l, 0).contains("never closed"),
        "{}",
        message(&l, 0)
    );
    assert_eq!(l.file().lines, 4);
}

/// ```text
/// 1│H
/// 2│R1,2026-03-01,工程部,翠湖花园,满意,好
/// 3│R2,"2026-03-02,李娜,翠湖花园,满意,13812345678
/// 4│R3,2026-03-03,客服中心,翠湖花园,满意,
/// 5│R4,2026-03-04,工程部,阳光小区,满意,
/// ```
#[test]
fn a_stray_quote_in_a_date() {
    let l = case(
        "stray_date_mid",
        false,
        &["R1", "R3", "R4"],
        (4, 3, 1, 0),
        &[(3, Some(2), X)],
    );
    let dates: Vec<_> = l.records.iter().map(|r| r.date).collect();
    assert_eq!(dates, [ymd(2026, 3, 1), ymd(2026, 3, 3), ymd(2026, 3, 4)]);
}

/// ```text
/// 1│H
/// 2│R1,"2026-03-01,李娜,翠湖花园,满意,13812345678
/// 3│R2,2026-03-02,工程部,翠湖花园,满意,"说""好""的"
/// 4│R3,2026-03-03,客服中心,翠湖花园,满意,
/// ```
/// A reader that follows quotes would pair line 2's quote with one on line 3; here the date
/// column holds no line break, so line 2 alone is lost and line 3's quoted comment is whole.
#[test]
fn a_stray_quote_in_a_date_is_not_paired_with_a_later_quote() {
    let l = case(
        "stray_date_paired_later",
        false,
        &["R2", "R3"],
        (3, 2, 1, 0),
        &[(2, Some(2), X)],
    );
    assert_eq!(comments(&l), [Some("说\"好\"的".to_owned()), None]);
}

/// ```text
/// 1│H
/// 2│R1,2026-03-01,工程部,翠湖花园,满意,好
/// 3│R2,2026-03-02,客服中心,"阳光小区,李娜,13812345678
/// 4│R3,2026-03-03,保洁部,翠湖花园,满意,
/// ```
#[test]
fn a_stray_quote_in_a_site() {
    let l = case(
        "stray_site_mid",
        false,
        &["R1", "R3"],
        (3, 2, 1, 0),
        &[(3, Some(4), X)],
    );
    assert_eq!(departments(&l), ["工程部", "保洁部"]);
}

/// ```text
/// 1│H
/// 2│R1,2026-03-01,工程部,翠湖花园,满意,好
/// 3│R2,2026-03-02,工程部,翠湖花园,不满意,"漏水 请回电13812345678
/// 4│R3,2026-03-03,客服中心,阳光小区,满意,好
/// 5│R4,2026-03-04,保洁部,阳光小区,一般,
/// ```
/// The comment may hold line breaks, but no quote closes it before the end of the file.
#[test]
fn a_comment_quote_never_closed_swallows_nothing() {
    let l = case(
        "stray_comment_unclosed",
        false,
        &["R1", "R3", "R4"],
        (4, 3, 1, 0),
        &[(3, Some(6), X)],
    );
    assert!(
        message(&l, 0).contains("never closed"),
        "{}",
        message(&l, 0)
    );
    assert_eq!(
        comments(&l),
        [Some("好".to_owned()), Some("好".to_owned()), None]
    );
}

/// ```text
/// 1│H
/// 2│R1,2026-03-01,工程部,翠湖花园,满意,"漏水 13812345678
/// 3│R2,2026-03-02,工程部,阳光小区,满意,他说"好"
/// 4│R3,2026-03-03,客服中心,翠湖花园,满意,
/// ```
/// Line 2's quote would close at the first quote of line 3, which is followed by `好`: text
/// after a closing quote. Line 3 is then a row whose comment starts with 他, so its quotes are
/// characters.
#[test]
fn a_comment_quote_closed_on_a_later_line_by_text() {
    let l = case(
        "stray_comment_text_after",
        false,
        &["R2", "R3"],
        (3, 2, 1, 0),
        &[(2, Some(6), X)],
    );
    assert!(
        message(&l, 0).contains("closes before the cell ends"),
        "{}",
        message(&l, 0)
    );
    assert_eq!(comments(&l), [Some("他说\"好\"".to_owned()), None]);
}

/// ```text
/// 1│H
/// 2│R1,2026-03-01,"工程"部,翠湖花园,满意,13812345678
/// 3│R2,2026-03-02,"客服中心"  ,阳光小区,满意,好
/// 4│R3,2026-03-03,保洁部,"翠湖"花园,满意,
/// 5│R4,2026-03-04,工程部,翠湖花园,满意,
/// ```
/// Spaces between a closing quote and the delimiter are allowed (line 3); text is not.
#[test]
fn text_after_a_closing_quote_in_department_and_site() {
    let l = case(
        "text_after_quote_dept",
        false,
        &["R2", "R4"],
        (4, 2, 2, 0),
        &[(2, Some(3), X), (4, Some(4), X)],
    );
    assert_eq!(departments(&l), ["客服中心", "工程部"]);
}

/// ```text
/// 1│H
/// 2│R1,2026-03-01,工程部,翠湖花园,满意,"好"的
/// 3│R2,2026-03-02,工程部,翠湖花园,满意,"好"␠
/// 4│R3,2026-03-03,客服中心,阳光小区,满意,"好,""很好""" ,
/// 5│R4,"2026-03-04"x,工程部,翠湖花园,满意,
/// ```
/// (`␠` is one space.) Line 4's comment closes, a space and a comma follow, and the empty
/// cell past the header's last column is nothing.
#[test]
fn text_after_a_closing_quote_in_comment_and_date() {
    let l = case(
        "text_after_quote_comment",
        false,
        &["R2", "R3"],
        (4, 2, 2, 0),
        &[(2, Some(6), X), (5, Some(2), X)],
    );
    assert_eq!(
        comments(&l),
        [Some("好".to_owned()), Some("好,\"很好\"".to_owned())]
    );
}

/// ```text
/// 1│H
/// 2│R1,2026-03-01,工程部,翠湖花园,满意,"第一行
/// 3│第二行"
/// 4│R2,2026-03-02,客服中心,阳光小区,满意,好
/// ```
#[test]
fn a_quoted_comment_over_two_lines_is_accepted() {
    let l = case(
        "quoted_comment_2_lines",
        false,
        &["R1", "R2"],
        (2, 2, 0, 0),
        &[],
    );
    assert_eq!(
        comments(&l),
        [Some("第一行\n第二行".to_owned()), Some("好".to_owned())]
    );
    let f = l.file();
    assert_eq!((f.lines, f.row_lines), (4, 3));
}

/// ```text
/// 1│H
/// 2│R1,2026-03-01,工程部,翠湖花园,满意,"一,
/// 3│二""引号""
/// 4│三"
/// 5│R2,2026-03-02,"客服中心,阳光小区,满意,13812345678
/// 6│R3,2026-03-03,保洁部,翠湖花园,满意,"甲
/// 7│乙
/// 8│丙"␠
/// ```
/// (`␠` is one space.) Two comments over three lines each, with a stray quote between them.
#[test]
fn quoted_comments_over_three_lines_around_a_stray_quote() {
    let l = case(
        "quoted_comment_3_lines",
        false,
        &["R1", "R3"],
        (3, 2, 1, 0),
        &[(5, Some(3), X)],
    );
    assert_eq!(
        comments(&l),
        [
            Some("一,\n二\"引号\"\n三".to_owned()),
            Some("甲\n乙\n丙".to_owned())
        ]
    );
    let f = l.file();
    assert_eq!((f.lines, f.row_lines), (8, 7));
}

/// The same seven lines with LF, CRLF and CR line ends (a line end after line 7 too):
/// ```text
/// 1│H
/// 2│R1,2026-03-01,工程部,翠湖花园,满意,"第一行
/// 3│第二行"
/// 4│R2,2026-03-02,"李娜,阳光小区,满意,13812345678
/// 5│R3,2026-03-03,保洁部,翠湖花园,一般,好
/// 6│R4,"2026-03-04,工程部,翠湖花园,满意,
/// 7│R5,2026-03-05,工程部,阳光小区,满意,"结尾 13812345678
/// ```
/// Line 7's comment quote runs over its line end into the end of the file: never closed.
#[test]
fn stray_quotes_with_lf_crlf_and_cr_line_ends() {
    for name in ["stray_mix_lf", "stray_mix_crlf", "stray_mix_cr"] {
        let l = case(
            name,
            false,
            &["R1", "R3"],
            (5, 2, 3, 0),
            &[(4, Some(3), X), (6, Some(2), X), (7, Some(6), X)],
        );
        assert_eq!(
            comments(&l),
            [Some("第一行\n第二行".to_owned()), Some("好".to_owned())],
            "{name}"
        );
        assert_eq!(departments(&l), ["工程部", "保洁部"], "{name}");
        let f = l.file();
        assert_eq!(
            (f.lines, f.lines_above_rows, f.row_lines),
            (7, 1, 6),
            "{name}"
        );
    }
}

/// ```text
/// 1│H
/// 2│R1,2026-03-01,"工程部,翠湖花园,满意,好
/// ```
#[test]
fn a_file_whose_only_row_has_a_stray_quote() {
    let l = case(
        "stray_only_row",
        false,
        &[],
        (1, 0, 1, 0),
        &[(2, Some(3), X)],
    );
    assert_eq!(l.file().lines, 2);
}

/// ```text
/// 1│H
/// 2│
/// 3│R1,2026-03-01,工程部,翠湖花园,满意,好
/// 4│
/// 5│R2,"2026-03-02,工程部,翠湖花园,满意,13812345678
/// 6│
/// 7│R3,2026-03-03,客服中心,阳光小区,满意,
/// ```
#[test]
fn blank_lines_around_a_stray_quote_keep_line_numbers() {
    let l = case(
        "blank_lines_and_stray",
        false,
        &["R1", "R3"],
        (3, 2, 1, 0),
        &[(5, Some(2), X)],
    );
    let f = l.file();
    assert_eq!((f.lines, f.blank_lines, f.row_lines), (7, 3, 3));
}

/// ```text
/// 1│《客户回访记录表》
/// 2│H
/// 3│R1,2026-03-01,工程部,翠湖花园,满意,好
/// 4│R2,2026-03-02,"客服中心,阳光小区,满意,
/// 5│R3,2026-03-03,保洁部,翠湖花园,满意,
/// ```
#[test]
fn a_title_line_above_the_header_and_a_stray_quote() {
    let l = case(
        "title_and_stray",
        false,
        &["R1", "R3"],
        (3, 2, 1, 0),
        &[(4, Some(3), X)],
    );
    assert_eq!(l.file().title_lines, 1);
}

/// Tab-separated (`⇥` is a tab):
/// ```text
/// 1│编号⇥回访日期⇥责任部门⇥项目⇥满意度⇥客户意见
/// 2│R1⇥2026-03-01⇥"工程部⇥翠湖花园⇥满意⇥13812345678
/// 3│R2⇥2026-03-02⇥客服中心⇥阳光小区⇥满意⇥好
/// 4│R3⇥2026-03-03⇥保洁部⇥翠湖花园⇥满意⇥"一行,逗号"
/// ```
#[test]
fn a_stray_quote_in_a_tab_separated_file() {
    let l = case(
        "tab_stray",
        false,
        &["R2", "R3"],
        (3, 2, 1, 0),
        &[(2, Some(3), X)],
    );
    assert_eq!(
        comments(&l),
        [Some("好".to_owned()), Some("一行,逗号".to_owned())]
    );
}

/// ```text
/// 1│H
/// 2│R1,2026-03-01,工程部,翠湖花园,满意,"漏水 13812345678
/// 3│R2,2026-03-02,客服中心",阳光小区,满意,好
/// 4│R3,2026-03-03,保洁部,翠湖花园,满意,
/// ```
/// Line 2's comment would close at the quote after 客服中心, well-formed, but the record would
/// then hold 9 values where the header has 6. Line 3 on its own starts its department with 客,
/// so its quote is a character.
#[test]
fn a_comment_that_would_leave_values_past_the_header() {
    let l = case(
        "too_many_fields",
        false,
        &["R2", "R3"],
        (3, 2, 1, 0),
        &[(2, None, X)],
    );
    assert!(
        message(&l, 0).contains("holds 9 values where the header has 6"),
        "{}",
        message(&l, 0)
    );
    assert_eq!(departments(&l), ["客服中心\"", "保洁部"]);
}

/// ```text
/// 1│H
/// 2│R1,2026-03-01,工程部,翠湖花园,满意,"开始 13812345678
/// 3│
/// …    (lines 3 to 103 are all empty: 101 empty lines)
/// 103│
/// 104│R2,2026-03-02,客服中心,阳光小区,满意,结束"
/// 105│R3,2026-03-03,保洁部,翠湖花园,满意,
/// ```
/// The comment's 101st line break (the end of line 102) is one more than a cell may hold.
#[test]
fn a_comment_over_more_than_a_hundred_lines_is_a_fault() {
    let l = case(
        "too_many_lines",
        false,
        &["R2", "R3"],
        (3, 2, 1, 0),
        &[(2, Some(6), X)],
    );
    assert!(
        message(&l, 0).contains("more than 100 lines"),
        "{}",
        message(&l, 0)
    );
    assert_eq!(comments(&l), [Some("结束\"".to_owned()), None]);
    let f = l.file();
    assert_eq!((f.lines, f.blank_lines, f.row_lines), (105, 101, 3));
}

/// ```text
/// 1│H
/// 2│R1,2026-03-01,工程部,翠湖花园,满意,"开始
/// …    (lines 3 to 101 are all empty: 99 empty lines)
/// 102│结束"
/// 103│R2,2026-03-02,客服中心,阳光小区,满意,
/// ```
/// Exactly 100 line breaks in the comment: allowed.
#[test]
fn a_comment_over_exactly_a_hundred_line_breaks_is_accepted() {
    let l = case("hundred_lines", false, &["R1", "R2"], (2, 2, 0, 0), &[]);
    let expected = format!("开始{}结束", "\n".repeat(100));
    assert_eq!(comments(&l), [Some(expected), None]);
    let f = l.file();
    assert_eq!((f.lines, f.row_lines), (103, 102));
}

/// ```text
/// 1│H
/// 2│R1,2026-03-01,"工程
/// 3│部",翠湖花园,满意,13812345678
/// 4│R2,2026-03-02,客服中心,阳光小区,满意,好
/// ```
/// A well-formed quoted department over two lines is still a fault: the department never
/// holds line breaks. Line 3 is then a row of its own, with `翠湖花园` as its date.
#[test]
fn a_closed_department_over_two_lines_and_the_next_line_as_a_row() {
    let l = case(
        "quoted_dept_linebreak",
        false,
        &["R2"],
        (3, 1, 2, 0),
        &[(2, Some(3), X), (3, Some(2), X)],
    );
    assert!(message(&l, 0).contains("never holds line breaks"));
    assert!(
        message(&l, 1).starts_with("`翠湖花园` is not a date"),
        "{}",
        message(&l, 1)
    );
}

/// ```text
/// 1│H
/// 2│R1,2026-03-01,"工程部,翠湖花园,满意,"漏水
/// 3│还是漏水",13812345678
/// 4│R2,2026-03-02,客服中心,阳光小区,满意,好
/// ```
/// Line 2's department quote closes before 漏水 (text after the closing quote); line 3 is a
/// row of two cells whose date is the phone number.
#[test]
fn the_line_after_a_fault_is_read_and_rejected_on_its_own() {
    let l = case(
        "next_line_not_a_date",
        false,
        &["R2"],
        (3, 1, 2, 0),
        &[(2, Some(3), X), (3, Some(2), X)],
    );
    assert!(
        message(&l, 1).contains("is not a date"),
        "{}",
        message(&l, 1)
    );
}

/// ```text
/// 1│编号,回访日期,责任部门,项目,满意度,客户意见,附加信息
/// 2│R1,2026-03-01,工程部,翠湖花园,满意,好,"第一
/// 3│第二"
/// 4│R2,2026-03-02,客服中心,阳光小区,满意,,
/// 5│R3,2026-03-03,保洁部,"翠湖
/// 6│花园",满意,,
/// 7│R4,2026-03-04,工程部,翠湖花园,满意,,
/// ```
/// 附加信息 is no field's column, so free text: its cell may run over two lines. The site may
/// not; line 6 is then a row whose date is `满意`.
#[test]
fn an_unused_column_may_hold_line_breaks_the_site_may_not() {
    let l = case(
        "unused_column_multiline",
        false,
        &["R1", "R2", "R4"],
        (5, 3, 2, 0),
        &[(5, Some(4), X), (6, Some(2), X)],
    );
    assert_eq!(l.file().unused_columns, ["附加信息"]);
    assert_eq!(l.file().lines, 7);
}

/// ```text
/// 1│H
/// 2│R1,2026-03-01,工程部,翠湖花园,满意,"漏水
/// 3│R2,2026-03-02,客服中心,阳光小区,满意,好
/// 4│R3,2026-03-03,保洁部,翠湖花园,满意,楼道脏"
/// 5│R4,2026-03-04,工程部,阳光小区,满意,
/// ```
/// By the rule this is one well-formed comment over lines 2–4 (a free-text cell, closed by a
/// quote before a line end, six values): lines 3 and 4 are its text, not rows, and only the
/// comment holds them; department and site come from line 2. Line 3, inside the cell, holds
/// as many delimiters as a row, so the row on line 2 gets a warning.
#[test]
fn a_comment_closed_at_a_later_line_end_is_one_record_by_the_rule() {
    let l = case(
        "comment_spans_rows_by_rule",
        false,
        &["R1", "R4"],
        (2, 2, 0, 1),
        &[(2, None, W)],
    );
    assert!(message(&l, 0).contains("line 3 in its quoted cell"));
    assert_eq!(departments(&l), ["工程部", "工程部"]);
    assert_eq!(
        comments(&l)[0].as_deref(),
        Some(
            "漏水\nR2,2026-03-02,客服中心,阳光小区,满意,好\n\
             R3,2026-03-03,保洁部,翠湖花园,满意,楼道脏"
        )
    );
    assert_eq!(l.opt_name(l.records[0].site), Some("翠湖花园"));
}

/// ```text
/// 1│H
/// 2│R1,2026-03-01,工程"部,翠湖花园,满意,他说"好"
/// 3│R2,2026-03-02, "客服中心",阳光小区,满意,
/// 4│R3,"2026-03-03","保洁""部","翠湖花园",满意,"好"␠
/// ```
/// (`␠` is one space.) A quote after the start of a cell, even after a space, is a character;
/// well-formed quoted cells on one line are fine in any column.
#[test]
fn quotes_not_at_the_start_of_a_cell_are_characters() {
    let l = case(
        "quote_not_at_start",
        false,
        &["R1", "R2", "R3"],
        (3, 3, 0, 0),
        &[],
    );
    assert_eq!(departments(&l), ["工程\"部", "\"客服中心\"", "保洁\"部"]);
    assert_eq!(
        comments(&l),
        [Some("他说\"好\"".to_owned()), None, Some("好".to_owned())]
    );
    assert_eq!(l.records[2].date, ymd(2026, 3, 3));
    assert_eq!(l.opt_name(l.records[2].site), Some("翠湖花园"));
}

/// A file of several pieces (pieces are cut at about 2 MiB), generated here with LF, CRLF and
/// CR line ends: the header `H`, then rows i = 1 to 60,000, row i being
/// `R<i>,2026-03-<dd>,工程部,翠湖花园,满意,第<i>次回访、一切正常、无其他意见` with
/// dd = i mod 28 + 1, except that
///
/// - when i is a multiple of 397, the department is written `"工程部` (a stray quote: the row
///   is lost, column 3);
/// - else when i is a multiple of 149, the comment is written `"第<i>次…` (a quote that runs
///   into the lines below until it meets a quote followed by text or a 101st line break: the
///   row is lost, column 6);
/// - else when i is a multiple of 101, the comment is `"第<i>次…意见` line end `第二行"`, a
///   well-formed comment over two lines (accepted), which moves every later row a line down.
///
/// Wherever the pieces are cut, each row is read as the rule reads it.
#[test]
fn stray_quotes_across_pieces_of_a_large_file() {
    const ROWS: u32 = 60_000;
    for eol in ["\n", "\r\n", "\r"] {
        let mut csv = format!("编号,回访日期,责任部门,项目,满意度,客户意见{eol}");
        let (mut accepted, mut expected) = (Vec::new(), Vec::new());
        let mut two_lines = Vec::new();
        let mut line = 2;
        for i in 1..=ROWS {
            let date = format!("2026-03-{:02}", i % 28 + 1);
            let comment = format!("第{i}次回访、一切正常、无其他意见");
            let id = format!("R{i}");
            if i % 397 == 0 {
                csv.push_str(&format!(
                    "{id},{date},\"工程部,翠湖花园,满意,{comment}{eol}"
                ));
                expected.push((line, Some(3), X));
            } else if i % 149 == 0 {
                csv.push_str(&format!(
                    "{id},{date},工程部,翠湖花园,满意,\"{comment}{eol}"
                ));
                expected.push((line, Some(6), X));
            } else if i % 101 == 0 {
                csv.push_str(&format!(
                    "{id},{date},工程部,翠湖花园,满意,\"{comment}{eol}第二行\"{eol}"
                ));
                two_lines.push((accepted.len(), format!("{comment}\n第二行")));
                accepted.push(id);
                line += 1;
            } else {
                csv.push_str(&format!("{id},{date},工程部,翠湖花园,满意,{comment}{eol}"));
                accepted.push(id);
            }
            line += 1;
        }
        assert!(
            csv.len() > 5 << 20,
            "{} bytes: at least three pieces",
            csv.len()
        );
        let l = util::load_csv(csv.as_bytes());
        let f = l.file();
        let rejected = u64::from(ROWS) - accepted.len() as u64;
        assert_eq!(
            (f.rows_read, f.accepted, f.rejected, f.warnings),
            (u64::from(ROWS), accepted.len() as u64, rejected, 0),
            "{eol:?}"
        );
        // 151 rows are multiples of 397 (397·151 = 59,947); 402 of 149 (149·402 = 59,898), one
        // of which, 149·397 = 59,153, is counted with the first.
        assert_eq!(rejected, 151 + 401, "{eol:?}");
        assert_eq!(diags(f), expected, "{eol:?}");
        assert_eq!(ids(&l), accepted, "{eol:?}");
        assert_eq!(f.lines, line - 1, "{eol:?}");
        for (index, comment) in &two_lines {
            let got = l.records[*index].comment.as_deref().map(one_line_end);
            assert_eq!(got.as_deref(), Some(comment.as_str()), "{eol:?}");
        }
        assert!(l.records.iter().all(|r| l.name(r.department) == "工程部"));
    }
}

// ---------------------------------------------------------------------------------------
// Stray quotes in headers
// ---------------------------------------------------------------------------------------

/// ```text
/// 1│编号,回访日期,"责任部门,项目,满意度,客户意见
/// 2│R1,2026-03-01,工程部,翠湖花园,满意,好
/// 3│R2,2026-03-02,客服中心,阳光小区,满意,
/// ```
/// Read on its own without the stray quote, `"责任部门` still names the department.
#[test]
fn a_stray_quote_in_the_header_is_one_warning() {
    let l = case(
        "header_stray_quote",
        false,
        &["R1", "R2"],
        (2, 2, 0, 1),
        &[(1, Some(3), W)],
    );
    assert_eq!(departments(&l), ["工程部", "客服中心"]);
    assert!(l.file().unused_columns.is_empty());
}

/// CRLF line ends:
/// ```text
/// 1│"编号,回访日期,责任部门,项目,满意度,客户意见
/// 2│R1,2026-03-01,工程部,翠湖花园,满意,好
/// ```
/// The quote at the very start of the file is never closed.
#[test]
fn a_stray_quote_at_the_start_of_the_file() {
    let l = case(
        "header_stray_quote_first_cell",
        false,
        &["R1"],
        (1, 1, 0, 1),
        &[(1, Some(1), W)],
    );
    assert_eq!(departments(&l), ["工程部"]);
}

/// ```text
/// 1│编号,回访日期",责任部门,项目,满意度,客户意见"
/// 2│R1,2026-03-01,工程部,翠湖花园,满意,好
/// ```
/// Quotes inside header cells open nothing, and header names are matched without them.
#[test]
fn quotes_inside_header_cells_are_no_fault() {
    let l = case("header_quote_inside", false, &["R1"], (1, 1, 0, 0), &[]);
    assert_eq!(comments(&l), [Some("好".to_owned())]);
    assert!(l.file().unused_columns.is_empty());
}

// ---------------------------------------------------------------------------------------
// Broken bytes and encodings
// ---------------------------------------------------------------------------------------

/// ```text
/// 1│编号,回访日期,责任部门,项目,满意度,客户意见,联系电话
/// 2│R1,2026-03-01,工程部,翠湖花园,满意,好,
/// 3│R2,2026-03-02,工<FF>部,翠湖花园,满意,,
/// 4│R3,2026-03-03,客服中心,阳<FF>小区,满意,,
/// 5│R4,2026-03-04,保洁部,翠湖花园,满意,好<FE>,
/// 6│R5,2026-03-0<FF>,工程部,翠湖花园,满意,,
/// 7│R6,2026-03-06,工程部,翠湖花园,满意,,138<FF>
/// ```
/// Mostly valid UTF-8: the file stays UTF-8. A bad byte rejects the row in the department
/// (line 3) or date (line 6), warns in the site (line 4) or comment (line 5), and is nothing
/// in 联系电话, a column no field is read from (line 7).
#[test]
fn bad_bytes_in_utf8_without_a_bom() {
    let l = case(
        "utf8_bad_bytes",
        false,
        &["R1", "R3", "R4", "R6"],
        (6, 4, 2, 2),
        &[
            (3, Some(3), X),
            (4, Some(4), W),
            (5, Some(6), W),
            (6, Some(2), X),
        ],
    );
    assert_eq!(l.file().encoding, "UTF-8");
    assert_eq!(l.opt_name(l.records[1].site), Some("阳\u{fffd}小区"));
    assert_eq!(comments(&l)[2].as_deref(), Some("好\u{fffd}"));
}

/// `<GBK:…>` is the text in GB18030 bytes:
/// ```text
/// 1│<BOM>H
/// 2│R1,2026-03-01,<GBK:工程部>,翠湖花园,满意,好
/// 3│R2,2026-03-02,客服中心,<GBK:阳光小区>,满意,<GBK:好>
/// 4│R3,2026-03-03,保洁部,翠湖花园,满意,好
/// ```
/// The BOM decides UTF-8, so the GB18030 bytes are bad bytes: the department rejects line 2,
/// site and comment warn on line 3, in that order.
#[test]
fn bad_bytes_in_utf8_with_a_bom() {
    let l = case(
        "utf8_bom_bad_bytes",
        false,
        &["R2", "R3"],
        (3, 2, 1, 2),
        &[(2, Some(3), X), (3, Some(4), W), (3, Some(6), W)],
    );
    let f = l.file();
    assert_eq!(f.encoding, "UTF-8");
    assert!(l.opt_name(l.records[0].site).unwrap().contains('\u{fffd}'));
    assert_eq!(departments(&l), ["客服中心", "保洁部"]);
}

/// All in GB18030, with `encoding = "gb18030"` on the source:
/// ```text
/// 1│H
/// 2│R1,2026-03-01,工程部,翠湖花园,满意,好
/// 3│R2,2026-03-02,工程<FF>,翠湖花园,满意,
/// 4│R3,2026-03-03,客服中心,翠湖花园,满意,好<FF>
/// 5│R4,2026-03-04,保洁部,阳光小区,满意,"漏水
/// 6│已修"
/// ```
/// FF is no GB18030 byte: in the department it rejects line 3, in the comment it warns.
#[test]
fn a_bad_byte_in_gb18030_set_in_the_config() {
    let l = case(
        "gb18030_bad_forced",
        true,
        &["R1", "R3", "R4"],
        (4, 3, 1, 1),
        &[(3, Some(3), X), (4, Some(6), W)],
    );
    assert_eq!(l.file().encoding, "GB18030");
    assert_eq!(
        comments(&l),
        [
            Some("好".to_owned()),
            Some("好\u{fffd}".to_owned()),
            Some("漏水\n已修".to_owned())
        ]
    );
    assert_eq!(l.file().lines, 6);
}

/// All in GB18030, no encoding in the config:
/// ```text
/// 1│H
/// 2│R1,2026-03-01,工程部,翠湖花园,满意,好
/// 3│R2,2026-03-02,"工程<FF>,翠湖花园,满意,
/// 4│R3,2026-03-03,客服中心,翠湖花园,满意,好<FF>
/// 5│R4,2026-03-04,保洁部,阳光小区,满意,
/// ```
#[test]
fn a_bad_byte_and_a_stray_quote_in_detected_gb18030() {
    let l = case(
        "gb18030_bad_auto",
        true,
        &["R1", "R3", "R4"],
        (4, 3, 1, 1),
        &[(3, Some(3), X), (4, Some(6), W)],
    );
    assert_eq!(l.file().encoding, "GB18030");
    assert_eq!(departments(&l), ["工程部", "客服中心", "保洁部"]);
}

/// All in GB18030 with CRLF line ends, no encoding in the config:
/// ```text
/// 1│H
/// 2│R1,2026-03-01,工程部,翠湖花园,满意,"第一行
/// 3│第二行"
/// 4│R2,2026-03-02,"李娜,阳光小区,满意,13812345678
/// 5│R3,2026-03-03,保洁部,翠湖花园,满意,
/// ```
#[test]
fn a_stray_quote_in_gb18030_with_crlf() {
    let l = case(
        "gb18030_stray_crlf",
        true,
        &["R1", "R3"],
        (3, 2, 1, 0),
        &[(4, Some(3), X)],
    );
    assert_eq!(l.file().encoding, "GB18030");
    assert_eq!(comments(&l), [Some("第一行\n第二行".to_owned()), None]);
}

// ---------------------------------------------------------------------------------------
// Files that are not CSV text
// ---------------------------------------------------------------------------------------

/// The one failure of a fixture whose file cannot be read, as the build prints it.
fn failure(case: &str) -> String {
    let l = load(&format!("faults/{case}"));
    assert!(l.report.files.is_empty(), "{case}: {:?}", l.report.files);
    assert!(l.records.is_empty());
    assert_eq!(l.report.failures.len(), 1, "{case}");
    l.report.failures[0].to_string()
}

/// `S` below is the text `H` CRLF `R1,2026-03-01,工程部,翠湖花园,满意,好` CRLF, and `A` the
/// ASCII text `id,date,department` CRLF `R1,2026-03-01,dept` CRLF; each `visits.csv` holds:
///
/// - utf16le_bom: FF FE, then S in UTF-16LE; utf16be_bom: FE FF, then S in UTF-16BE;
/// - utf16le_nobom, utf16be_nobom: S in UTF-16LE, UTF-16BE (no BOM);
/// - utf32le_bom: FF FE 00 00, then S in UTF-32LE; utf32be_bom: 00 00 FE FF, then S in
///   UTF-32BE;
/// - utf32le_nobom, utf32be_nobom: A in UTF-32LE, UTF-32BE (no BOM).
#[test]
fn utf16_and_utf32_files_are_named() {
    let cases = [
        ("utf16le_bom", "text in UTF-16LE with a BOM"),
        ("utf16be_bom", "text in UTF-16BE with a BOM"),
        ("utf16le_nobom", "text in UTF-16LE without a BOM"),
        ("utf16be_nobom", "text in UTF-16BE without a BOM"),
        ("utf32le_bom", "text in UTF-32LE,"),
        ("utf32be_bom", "text in UTF-32BE,"),
        ("utf32le_nobom", "text in UTF-32LE,"),
        ("utf32be_nobom", "text in UTF-32BE,"),
    ];
    for (case, what) in cases {
        let message = failure(case);
        let expected = format!("visits.csv: the file is {what}");
        assert!(message.starts_with(&expected), "{case}: {message}");
        assert!(message.contains("CSV UTF-8"), "{case}: {message}");
    }
}

/// Each `visits.csv` holds:
///
/// - xlsx_zip: a zip archive as Python's `zipfile` writes it (ZIP_STORED, every member dated
///   2026-03-01 00:00:00) of, in this order, `[Content_Types].xml` holding
///   `<?xml version="1.0"?><Types/>`, `xl/workbook.xml` holding
///   `<?xml version="1.0"?><workbook/>` and `xl/worksheets/sheet1.xml` holding
///   `<?xml version="1.0"?><worksheet/>`;
/// - plain_zip: the same kind of archive of one member, `visits.csv`, holding `H` LF;
/// - xls_ole: D0 CF 11 E0 A1 B1 1A E1, then 504 zero bytes;
/// - pdf: `%PDF-1.4` LF `1 0 obj` LF `<< /Type /Catalog >>` LF `endobj` LF `trailer` LF
///   `<< /Root 1 0 R >>` LF `%%EOF` LF;
/// - png: a 1×1 PNG: the signature 89 50 4E 47 0D 0A 1A 0A, an IHDR chunk (width 1, height 1,
///   bit depth 8, colour type 2, then 0 0 0), an IDAT chunk holding zlib level 9 of
///   `00 FF 00 00`, and an empty IEND chunk, each with its CRC-32;
/// - binary_nuls: 256 bytes b₀…b₂₅₅ with x₀ = 42, xₖ₊₁ = (1103515245·xₖ + 12345) mod 2³¹ and
///   bₖ = (xₖ₊₁ >> 23) & 0xFF, or 1 where that is 0; then b₀ b₁ set to 13 37 and b₁₀…b₁₃
///   set to 00: NULs at every position mod 4, and no other NUL.
#[test]
fn workbooks_documents_images_and_binary_data_are_named() {
    let cases = [
        // Workbooks are read; these two are broken ones.
        (
            "xlsx_zip",
            "an Excel workbook (.xlsx), but it cannot be read (File not found '_rels/.rels')",
        ),
        ("plain_zip", "a zip archive, not CSV text"),
        (
            "xls_ole",
            "an Excel 97–2003 workbook (.xls), but it cannot be read (Cfb error",
        ),
        ("pdf", "a PDF document, not CSV text"),
        ("png", "a PNG image, not CSV text"),
        ("binary_nuls", "binary data (it holds NUL bytes"),
    ];
    for (case, what) in cases {
        let message = failure(case);
        let expected = format!("visits.csv: the file is {what}");
        assert!(message.starts_with(&expected), "{case}: {message}");
    }
}

/// One line of 50 MiB and a few bytes, with no line end, in a temporary project: a quote, then
/// 好 17,476,267 times (52,428,802 bytes). No header: the file fails, and the message quotes
/// at most a few dozen characters of it.
#[test]
fn a_fifty_megabyte_line_fails_with_a_short_message() {
    let mut line = b"\"".to_vec();
    line.extend("好".repeat(17_476_267).into_bytes());
    assert_eq!(line.len(), 52_428_802);
    assert!(line.len() > 50 << 20);
    let l = util::load_csv(&line);
    assert!(l.report.files.is_empty());
    assert!(l.records.is_empty());
    assert_eq!(l.report.failures.len(), 1);
    let message = l.report.failures[0].to_string();
    let chars = message.chars().count();
    assert!(
        chars < 2000,
        "{chars} characters: {}",
        message.chars().take(3000).collect::<String>()
    );
    assert!(
        message.starts_with("visits.csv: no column for required field date, department"),
        "{message}"
    );
}

// ---------------------------------------------------------------------------------------
// Mappings and limits
// ---------------------------------------------------------------------------------------

/// huifang.toml:
/// ```text
/// [[sources]]
/// path = "visits.csv"
///
/// [columns]
/// department = "客户意见"
/// ```
/// visits.csv: the line `编号,回访日期,责任部门,客户意见`, then for i = 1 to 600 the line
/// `R<i>,2026-03-<dd>,工程部,第<i>条意见：楼道灯不亮` with dd = (i − 1) mod 28 + 1 in two
/// digits. The department is read from the comments: 600 distinct values, past the default
/// limit of 500.
#[test]
fn a_department_mapped_onto_comments_fails_the_file_at_the_limit() {
    let message = failure("wrong_mapping_600");
    assert!(
        message.starts_with(
            "visits.csv: column `客户意见` (read as department) holds more than 500 distinct values"
        ),
        "{message}"
    );
    assert!(message.contains("raise [limits] departments"), "{message}");
    assert!(message.chars().count() < 2000, "{message}");
}

/// huifang.toml:
/// ```text
/// [columns]
/// department = "负责科室"
///
/// [[sources]]
/// path = "a.csv"
///
/// [[sources]]
/// path = "b.csv"
/// ```
/// a.csv:
/// ```text
/// 1│编号,回访日期,负责科室,项目,满意度,客户意见
/// 2│A1,2026-03-01,工程部,翠湖花园,满意,好
/// 3│A2,2026-03-02,客服中心,阳光小区,满意,
/// ```
/// b.csv:
/// ```text
/// 1│H
/// 2│B1,2026-03-03,保洁部,翠湖花园,满意,
/// 3│B2,2026-03-04,"工程部,翠湖花园,满意,13812345678
/// 4│B3,2026-03-05,工程部,阳光小区,满意,好
/// ```
/// b.csv lacks the mapped header and finds the department by its built-in name.
#[test]
fn a_mapped_header_one_file_lacks_falls_back_to_the_built_in_name() {
    let l = load("faults/mapping_fallback");
    assert!(l.report.failures.is_empty(), "{:?}", l.report.failures);
    let files = &l.report.files;
    assert_eq!(files.len(), 2);
    let (a, b) = (&files[0], &files[1]);
    assert_eq!((a.path.as_str(), b.path.as_str()), ("a.csv", "b.csv"));
    assert_eq!(
        (a.rows_read, a.accepted, a.rejected, a.warnings),
        (2, 2, 0, 0)
    );
    assert_eq!(
        (b.rows_read, b.accepted, b.rejected, b.warnings),
        (3, 2, 1, 0)
    );
    assert_eq!(diags(a), []);
    assert_eq!(diags(b), [(3, Some(3), X)]);
    let department = |f: &FileReport| {
        let u = f.columns.iter().find(|u| u.field == "department").unwrap();
        (u.header.clone(), u.by)
    };
    assert_eq!(department(a), ("负责科室".to_owned(), "[columns]"));
    assert_eq!(department(b), ("责任部门".to_owned(), "built-in"));
    assert!(a.missed_mappings.is_empty());
    assert_eq!(b.missed_mappings.len(), 1);
    assert!(
        b.missed_mappings[0].contains("`负责科室`")
            && b.missed_mappings[0].contains("read from `责任部门` (built-in)"),
        "{:?}",
        b.missed_mappings
    );
    assert_eq!(ids(&l), ["A1", "A2", "B1", "B3"]);
    assert_eq!(departments(&l), ["工程部", "客服中心", "保洁部", "工程部"]);
    let mut lines = Vec::new();
    for file in ["a.csv", "b.csv"] {
        let bytes = std::fs::read(dir("mapping_fallback").join(file)).unwrap();
        lines.extend(physical_lines(&bytes, false));
    }
    contained(&l, &lines);
}

// ---------------------------------------------------------------------------------------
// Terminal escapes
// ---------------------------------------------------------------------------------------

/// ```text
/// 1│H
/// 2│R1,<ESC>[2J,工程部,翠湖花园,满意,
/// 3│R2,2026-03-02,工程部,翠湖花园,<ESC>]0;title<BEL>,好
/// 4│R3,2026-03-03,工<ESC>[31m程部,翠<ESC>]0;x<BEL>湖花园,满意,<ESC>[2J清屏
/// 5│R4,"<ESC>[2J,工程部,翠湖花园,满意,
/// 6│R5,2026-03-05,客服中心,阳光小区,满意,
/// ```
/// Line 2's date and line 3's satisfaction are quoted back in messages, escaped; names keep
/// no control character.
#[test]
fn terminal_escapes_never_reach_a_message_or_a_name() {
    let l = case(
        "escapes",
        false,
        &["R2", "R3", "R5"],
        (5, 3, 2, 1),
        &[(2, Some(2), X), (3, Some(5), W), (5, Some(2), X)],
    );
    for d in &l.file().diagnostics {
        let text = d.to_string();
        assert!(!text.contains('\u{1b}'), "{text:?}");
        assert!(!text.contains('\u{7}'), "{text:?}");
    }
    let first = l.file().diagnostics[0].to_string();
    assert!(
        first.starts_with(
            "line 2, column 2 (回访日期 → date): row rejected: `\\u{1b}[2J` is not a date"
        ),
        "{first}"
    );
    let second = l.file().diagnostics[1].to_string();
    assert!(second.contains("`\\u{1b}]0;title\\u{7}`"), "{second}");
    assert_eq!(departments(&l), ["工程部", "工[31m程部", "客服中心"]);
    let sites: Vec<&str> = l
        .records
        .iter()
        .map(|r| l.opt_name(r.site).unwrap())
        .collect();
    assert_eq!(sites, ["翠湖花园", "翠]0;x湖花园", "阳光小区"]);
    assert_eq!(l.records[0].satisfaction, None);
}

// ---------------------------------------------------------------------------------------
// Surveys
// ---------------------------------------------------------------------------------------

fn survey(case: &str, format: ExportFormat) -> SurveyExport {
    let path = dir(case).join("export.csv");
    read_export(&path, EncodingChoice::Auto, format, &BTreeMap::new())
        .unwrap_or_else(|e| panic!("{case}: {e}"))
}

fn survey_lines(e: &SurveyExport) -> Vec<u64> {
    e.responses.iter().map(|r| r.line).collect()
}

/// The warnings of an export that are about line `line`.
fn survey_warnings(e: &SurveyExport, line: u64) -> Vec<&str> {
    let prefix = format!("line {line}:");
    e.warnings
        .iter()
        .filter(|w| w.starts_with(&prefix))
        .map(String::as_str)
        .collect()
}

fn no_planted_answers(e: &SurveyExport) {
    let answers = format!("{:?}", e.responses);
    assert!(!answers.contains(PHONE), "{answers}");
}

/// `Q` below is the header line
/// `1、您的年龄段,2、您所在的小区,3、您对物业服务的总体满意度,4、其他意见或建议`.
/// survey_stray_mid/export.csv:
/// ```text
/// 1│Q
/// 2│31-45岁,锦绣花园,5,服务很好
/// 3│18-30岁,"翠湖苑,4,请回电13812345678
/// 4│46-60岁,锦绣花园,2,电梯坏了
/// 5│31-45岁,翠湖苑,4,
/// ```
/// Any survey column may hold line breaks, but the quote on line 3 is never closed.
#[test]
fn a_survey_row_with_a_quote_never_closed() {
    let e = survey("survey_stray_mid", ExportFormat::Auto);
    assert_eq!(e.format, ExportFormat::Plain);
    assert_eq!((e.rows_read, e.rejected, e.responses.len()), (4, 1, 3));
    assert_eq!(survey_lines(&e), [2, 4, 5]);
    let w = survey_warnings(&e, 3);
    assert_eq!(w.len(), 1, "{:?}", e.warnings);
    assert!(
        w[0].starts_with("line 3: row skipped: a quote (\") opens this cell and is never closed"),
        "{}",
        w[0]
    );
    no_planted_answers(&e);
}

/// survey_text_after_quote/export.csv (`Q` as above):
/// ```text
/// 1│Q
/// 2│31-45岁,锦绣花园,5,服务很好
/// 3│18-30岁,翠湖苑,"4"分,13812345678
/// 4│46-60岁,锦绣花园,2,
/// ```
#[test]
fn a_survey_row_with_text_after_a_closing_quote() {
    let e = survey("survey_text_after_quote", ExportFormat::Auto);
    assert_eq!((e.rows_read, e.rejected, e.responses.len()), (3, 1, 2));
    assert_eq!(survey_lines(&e), [2, 4]);
    let w = survey_warnings(&e, 3);
    assert_eq!(w.len(), 1, "{:?}", e.warnings);
    assert!(w[0].contains("closes before the cell ends"), "{}", w[0]);
    no_planted_answers(&e);
}

/// survey_stray_last/export.csv (`Q` as above), CRLF line ends, none after line 5:
/// ```text
/// 1│Q
/// 2│31-45岁,锦绣花园,5,"第一行
/// 3│第二行"
/// 4│18-30岁,翠湖苑,4,好
/// 5│46-60岁,锦绣花园,"3,13812345678
/// ```
#[test]
fn a_survey_with_a_written_answer_over_two_lines_and_a_stray_quote_at_the_end() {
    let e = survey("survey_stray_last", ExportFormat::Auto);
    assert_eq!((e.rows_read, e.rejected, e.responses.len()), (3, 1, 2));
    assert_eq!(survey_lines(&e), [2, 4]);
    assert_eq!(survey_warnings(&e, 5).len(), 1, "{:?}", e.warnings);
    let first = format!("{:?}", e.responses[0].answers[3]);
    assert!(
        first.contains("第一行") && first.contains("第二行"),
        "{first}"
    );
    no_planted_answers(&e);
}

/// survey_stray_header/export.csv:
/// ```text
/// 1│1、您的年龄段,"2、您所在的小区,3、您对物业服务的总体满意度,4、其他意见或建议
/// 2│31-45岁,锦绣花园,5,服务很好
/// 3│18-30岁,翠湖苑,4,好
/// 4│46-60岁,"锦绣花园,2,13812345678
/// 5│31-45岁,翠湖苑,4,
/// ```
/// Read as a plain table: the header line is read on its own (a warning), line 4 is lost.
#[test]
fn a_survey_with_stray_quotes_in_the_header_and_a_row() {
    let e = survey("survey_stray_header", ExportFormat::Plain);
    assert_eq!((e.rows_read, e.rejected, e.responses.len()), (4, 1, 3));
    assert_eq!(survey_lines(&e), [2, 3, 5]);
    assert_eq!(e.questions.len(), 4);
    let header = survey_warnings(&e, 1);
    assert_eq!(header.len(), 1, "{:?}", e.warnings);
    assert!(header[0].contains("header"), "{}", header[0]);
    assert_eq!(survey_warnings(&e, 4).len(), 1, "{:?}", e.warnings);
    no_planted_answers(&e);
}

/// The same file as above, its layout detected: a stray quote in front of a question number
/// should not hide the number that makes it a plain table (visit-log headers are matched
/// without punctuation, so there a stray header quote changes nothing).
#[test]
fn a_stray_quote_in_a_survey_header_does_not_change_its_layout() {
    let e = survey("survey_stray_header", ExportFormat::Auto);
    assert_eq!(e.format, ExportFormat::Plain);
    assert_eq!((e.rows_read, e.rejected, e.responses.len()), (4, 1, 3));
}

// ---------------------------------------------------------------------------------------
// A site built from a file with stray quotes
// ---------------------------------------------------------------------------------------

/// huifang.toml: `as_of = 2026-03-31`, a blank line, then the usual source. visits.csv:
/// ```text
/// 1│H
/// 2│R1,2026-03-02,工程部,翠湖花园,满意,好
/// 3│R2,2026-03-03,"李娜,13812345678,满意,请回电13812345678
/// 4│R3,2026-03-05,客服中心,阳光小区,非常满意,
/// 5│R4,"2026-03-06,李娜,13812345678,满意,
/// 6│R5,2026-03-09,保洁部,翠湖花园,一般,"13812345678 李娜
/// ```
#[test]
fn the_site_fixture_reads_as_expected() {
    let l = case(
        "e2e_site",
        false,
        &["R1", "R3"],
        (5, 2, 3, 0),
        &[(3, Some(3), X), (5, Some(2), X), (6, Some(6), X)],
    );
    assert_eq!(departments(&l), ["工程部", "客服中心"]);
}

/// `huifang build` of the fixture above: the name and phone number on the rejected lines are
/// in no file of the site, not even masked or escaped, while the accepted rows are there.
#[test]
fn values_on_rejected_lines_reach_no_file_of_the_built_site() {
    let project = util::TempProject::fixture("faults/e2e_site");
    let out = project.path().join("site");
    let o = Command::new(env!("CARGO_BIN_EXE_huifang"))
        .args([
            "build",
            "--config",
            project.config().to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("read 5 rows: accepted 2, rejected 3, warnings 0"),
        "{stderr}"
    );
    assert!(
        !stderr.contains(PHONE) && !stderr.contains(NAME),
        "{stderr}"
    );
    let files = tree(&out);
    assert!(files.len() > 5, "{} files", files.len());
    let forbidden: [&[u8]; 6] = [
        PHONE.as_bytes(),
        "138****5678".as_bytes(),
        NAME.as_bytes(),
        b"\\u674e\\u5a1c",
        b"&#x674e;",
        b"&#26446;",
    ];
    for (path, bytes) in &files {
        for needle in forbidden {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle),
                "{path:?} holds {:?}",
                String::from_utf8_lossy(needle)
            );
        }
    }
    let holds = |needle: &str| {
        files
            .iter()
            .any(|(_, b)| b.windows(needle.len()).any(|w| w == needle.as_bytes()))
    };
    assert!(
        holds("客服中心") && holds("工程部"),
        "accepted rows are shown"
    );
}
