//! A campaign's `labels` turn choice codes into choice texts before the options are put in
//! scale order: tests/fixtures/survey_labels is a 问卷星 number download (按序号) of 6
//! responses, worked out by hand (`-3` is 问卷星's "skipped"):
//!
//! | # | 1 年龄段 | 2 满意度 | 3.1 物业服务态度 | 3.2 维修速度 |
//! |---|----------|----------|------------------|--------------|
//! | 1 | 2 | 1 | 5 | 4 |
//! | 2 | 3 | 2 | 4 | 4 |
//! | 3 | 1 | 3 | 5 | 3 |
//! | 4 | 3 | 4 | 3 | 5 |
//! | 5 | 2 | 5 | 4 | 4 |
//! | 6 | 3 | 2 | -3 | 2 |
//!
//! Its labels: question 1 `1` 60岁以上, `2` 18~30岁, `3` 31~45岁 (and `4` 46~59岁, which
//! nobody chose); question 2 `1` 非常满意, `2` and `3` both 满意, `4` 不满意, no text for `5`;
//! the matrix 3 the five satisfaction words (its rows and question 2, which would be read as
//! ratings, become single choices); and a table for a question 9 the export does not have.

use crate::util;

use huifang::survey::metrics::{QuestionMetrics, SurveyReport};
use huifang::survey::{Surveys, reports};
use std::path::Path;

fn surveys(config: &Path) -> Surveys {
    let project = huifang::config::Project::load(config).unwrap();
    reports(&project).unwrap()
}

fn report(surveys: &Surveys) -> &SurveyReport {
    assert_eq!(surveys.reports.len(), 1);
    &surveys.reports[0]
}

fn counts(q: &QuestionMetrics) -> Vec<(&str, u64)> {
    q.options
        .iter()
        .map(|o| (o.label.as_str(), o.count))
        .collect()
}

fn question<'r>(r: &'r SurveyReport, number: &str) -> &'r QuestionMetrics {
    r.questions
        .iter()
        .find(|q| q.number == number)
        .unwrap_or_else(|| panic!("no question {number}"))
}

#[test]
fn codes_are_shown_as_their_labels_in_scale_order() {
    let s = surveys(&util::fixture("survey_labels").join("huifang.toml"));
    let r = report(&s);
    assert_eq!((r.responses, r.valid), (6, 6));
    // Codes 2 (#1 #5), 3 (#2 #4 #6), 1 (#3); put in band order, not code order (code 1 is
    // the oldest band).
    assert_eq!(
        counts(question(r, "1")),
        [("18~30岁", 2), ("31~45岁", 3), ("60岁以上", 1)]
    );
    // Codes 2 (#2 #6) and 3 (#3) are both 满意: 3. Code 5 (#5) has no text and stays `5`,
    // which is on no scale, so the options keep their code order.
    assert_eq!(
        counts(question(r, "2")),
        [("非常满意", 1), ("满意", 3), ("不满意", 1), ("5", 1)]
    );
    // The group's table reaches both rows; codes 1 and 2 of row 1, which nobody chose, are
    // left out; #6 skipped row 1.
    let row1 = question(r, "3.1");
    assert_eq!(row1.answered, 5);
    assert_eq!(counts(row1), [("非常满意", 2), ("满意", 2), ("一般", 1)]);
    assert_eq!(
        counts(question(r, "3.2")),
        [("非常满意", 1), ("满意", 3), ("一般", 1), ("不满意", 1)]
    );
}

#[test]
fn codes_without_a_label_and_tables_without_a_question_are_warnings() {
    let s = surveys(&util::fixture("survey_labels").join("huifang.toml"));
    let warnings = &s.files[0].warnings;
    let about =
        |needle: &str| -> Vec<&String> { warnings.iter().filter(|w| w.contains(needle)).collect() };
    assert_eq!(
        about("no text for"),
        [
            "export.csv: question 2: the campaign's `labels` give no text for code 5, so it is \
          shown as a code"
        ],
        "{warnings:#?}"
    );
    assert_eq!(
        about("question `9`"),
        [
            "export.csv: the campaign's `labels` name question `9`, but the export has no \
          question numbered so; its questions are 1, 2, 3"
        ],
        "{warnings:#?}"
    );
    assert_eq!(warnings.len(), 2, "{warnings:#?}");
}

/// A Qualtrics export downloaded with numeric values: two single choices answered in codes.
const QUALTRICS: &str = "StartDate,EndDate,Status,Progress,Duration (in seconds),Finished,\
RecordedDate,ResponseId,Q1,Q2\n\
Start Date,End Date,Response Type,Progress,Duration (in seconds),Finished,Recorded Date,\
Response ID,您所在的小区,您最常使用的服务\n\
\"{\"\"ImportId\"\":\"\"startDate\"\"}\",\"{\"\"ImportId\"\":\"\"endDate\"\"}\",\
\"{\"\"ImportId\"\":\"\"status\"\"}\",\"{\"\"ImportId\"\":\"\"progress\"\"}\",\
\"{\"\"ImportId\"\":\"\"duration\"\"}\",\"{\"\"ImportId\"\":\"\"finished\"\"}\",\
\"{\"\"ImportId\"\":\"\"recordedDate\"\"}\",\"{\"\"ImportId\"\":\"\"_recordId\"\"}\",\
\"{\"\"ImportId\"\":\"\"QID1\"\"}\",\"{\"\"ImportId\"\":\"\"QID2\"\"}\"\n\
2026-05-12 10:31:05,2026-05-12 10:33:17,0,100,132,1,2026-05-12 10:33:18,R_1,1,2\n\
2026-05-13 09:00:00,2026-05-13 09:04:00,0,100,240,1,2026-05-13 09:04:01,R_2,2,1\n\
2026-05-14 19:10:00,2026-05-14 19:12:30,0,100,150,1,2026-05-14 19:12:31,R_3,1,3\n";

fn qualtrics_warnings(labels: &str) -> (Surveys, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("export.csv"), QUALTRICS).unwrap();
    let config = dir.path().join("huifang.toml");
    std::fs::write(
        &config,
        format!(
            "as_of = 2026-05-31\n[[surveys]]\nname = \"调查\"\nfiles = [\"export.csv\"]\n\
             {labels}\n"
        ),
    )
    .unwrap();
    let s = surveys(&config);
    let hints = s.files[0]
        .warnings
        .iter()
        .filter(|w| w.contains("choice codes"))
        .cloned()
        .collect();
    (s, hints)
}

#[test]
fn questions_whose_codes_all_have_labels_leave_the_choice_codes_warning() {
    let (_, hints) = qualtrics_warnings("");
    assert_eq!(hints.len(), 1);
    assert!(hints[0].contains("questions Q1, Q2:"), "{hints:?}");

    // `1` reaches `Q1` as `kinds` does.
    let (s, hints) =
        qualtrics_warnings("labels = { \"1\" = { \"1\" = \"翠湖花园\", \"2\" = \"阳光新城\" } }");
    assert_eq!(hints.len(), 1);
    assert!(hints[0].contains("questions Q2:"), "{hints:?}");
    // Q1: codes 1 (R_1 R_3), 2 (R_2).
    assert_eq!(
        counts(question(report(&s), "Q1")),
        [("翠湖花园", 2), ("阳光新城", 1)]
    );

    let (s, hints) = qualtrics_warnings(
        "labels = { \"Q1\" = { \"1\" = \"翠湖花园\", \"2\" = \"阳光新城\" }, \
         \"Q2\" = { \"1\" = \"报修\", \"2\" = \"缴费\", \"3\" = \"投诉\" } }",
    );
    assert_eq!(hints, Vec::<String>::new());
    assert_eq!(s.files[0].warnings, Vec::<String>::new());
    // Q2: codes 2 (R_1), 1 (R_2), 3 (R_3).
    assert_eq!(
        counts(question(report(&s), "Q2")),
        [("报修", 1), ("缴费", 1), ("投诉", 1)]
    );
}

/// The real 问卷星 800-response survey, downloaded both ways (../shared/real-exports/wjx;
/// skipped when that folder is missing): the number download mapped through `labels` reads as
/// the text download does.
#[test]
fn the_real_wjx_number_download_with_labels_reads_as_its_text_download() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/real-exports/wjx");
    if !folder.is_dir() {
        eprintln!("skipped: {} is missing", folder.display());
        return;
    }
    // code→label, paired row by row with the text download by an independent Python recount
    // (../recount/expected.md, section wjx-800-number.csv). Code 1 of question 4 is never
    // chosen and has no label.
    let labels = r#"labels = { "1" = { "1" = "1部", "2" = "2部", "3" = "3部", "4" = "4部及以上" }, "2" = { "1" = "0-799元", "2" = "800-999元", "3" = "1000-1499元", "4" = "1500-1999元", "5" = "2000-2499元", "6" = "2500-2999元", "7" = "3000-3499元", "8" = "3500元及以上", "9" = "免费赠送的", "10" = "其他【请注明】" }, "3" = { "1" = "男", "2" = "女" }, "4" = { "2" = "16~19岁", "3" = "20~24岁", "4" = "25~29岁", "5" = "30~34岁", "6" = "35~39岁", "7" = "40~49岁", "8" = "50~59岁", "9" = "60岁以上" }, "5" = { "1" = "3000元以下", "2" = "3001-5000元", "3" = "5001-8000元", "4" = "8001-10000元", "5" = "10001-15000元", "6" = "15000元以上", "7" = "无收入", "8" = "不知道/拒绝回答" }, "7" = { "1" = "没有投入", "2" = "10%左右", "3" = "20%左右", "4" = "30%左右", "5" = "40%左右", "6" = "50%左右", "7" = "超过50%" } }"#;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("huifang.toml");
    let file = |name: &str| folder.join(name).display().to_string().replace('\\', "/");
    std::fs::write(
        &config,
        format!(
            "as_of = 2026-05-31\n\
             [[surveys]]\nname = \"按文本\"\nfiles = [\"{}\"]\n\
             [[surveys]]\nname = \"按序号\"\nfiles = [\"{}\"]\n{labels}\n",
            file("wjx-800-text.csv"),
            file("wjx-800-number.csv"),
        ),
    )
    .unwrap();
    let s = surveys(&config);
    let (text, number) = (&s.reports[0], &s.reports[1]);
    assert_eq!((text.responses, number.responses), (800, 800));
    let label_warnings: Vec<&String> = s.files[1]
        .warnings
        .iter()
        .filter(|w| w.contains("labels"))
        .collect();
    assert!(label_warnings.is_empty(), "{label_warnings:?}");
    // The text download's recount (../recount/expected.md, section wjx-800-text.csv). Its
    // order is the recount's; huifang's scale order puts 免费赠送的 before every price band,
    // so the order is checked against the text download as huifang reads it.
    let recount: [(&str, &[(&str, u64)]); 6] = [
        (
            "1",
            &[("1部", 521), ("2部", 261), ("3部", 12), ("4部及以上", 6)],
        ),
        (
            "2",
            &[
                ("0-799元", 15),
                ("800-999元", 35),
                ("1000-1499元", 88),
                ("1500-1999元", 90),
                ("2000-2499元", 115),
                ("2500-2999元", 99),
                ("3000-3499元", 105),
                ("3500元及以上", 246),
                ("免费赠送的", 5),
                ("其他【请注明】", 2),
            ],
        ),
        ("3", &[("男", 427), ("女", 373)]),
        (
            "4",
            &[
                ("16~19岁", 1),
                ("20~24岁", 62),
                ("25~29岁", 214),
                ("30~34岁", 248),
                ("35~39岁", 130),
                ("40~49岁", 103),
                ("50~59岁", 34),
                ("60岁以上", 8),
            ],
        ),
        (
            "5",
            &[
                ("无收入", 8),
                ("3000元以下", 62),
                ("3001-5000元", 163),
                ("5001-8000元", 251),
                ("8001-10000元", 176),
                ("10001-15000元", 98),
                ("15000元以上", 40),
                ("不知道/拒绝回答", 2),
            ],
        ),
        (
            "7",
            &[
                ("没有投入", 15),
                ("10%左右", 247),
                ("20%左右", 293),
                ("30%左右", 183),
                ("40%左右", 41),
                ("50%左右", 14),
                ("超过50%", 7),
            ],
        ),
    ];
    for (n, expected) in recount {
        let mapped = question(number, n);
        assert_eq!(
            mapped.kind,
            huifang::survey::read::QuestionKind::Single,
            "{n}"
        );
        let mut sorted = counts(mapped);
        sorted.sort_unstable();
        let mut expected = expected.to_vec();
        expected.sort_unstable();
        assert_eq!(sorted, expected, "question {n}, number download");
        assert_eq!(
            counts(mapped),
            counts(question(text, n)),
            "question {n}: number download with labels against text download"
        );
    }
}
