//! The survey tools' real variants (issue 15): layouts, headers and spellings beyond the
//! basic export of each tool, read from fixtures under `tests/fixtures/surveys/<variant>/`
//! written in each tool's layout. Every expected count was worked out by hand from the
//! fixture; the comment above each block says which rows give it.

use crate::util;

use huifang::survey::read::{Answer, ExportFormat, QuestionKind, SurveyReadError};
use util::survey::*;

use QuestionKind::{Multiple, Ranking, Rating, Single, Text};

/// 问卷星's number download heads a multiple choice's 0/1 option columns `第2题(运动)`.
#[test]
fn wjx_number_download_option_columns_headed_by_ordinal() {
    let e = read("wjx_number_options/export.csv");
    assert_eq!(
        (e.format, e.encoding, e.responses.len()),
        (ExportFormat::WjxNumber, "UTF-8", 4)
    );
    assert_eq!(
        outline(&e),
        [
            ("1", "性别", Single, vec!["1", "2"]),
            ("2", "", Multiple, vec!["运动", "阅读", "其他【请注明】"]),
            ("3", "月收入", Single, vec!["1", "2", "3"]),
            ("4", "", Multiple, vec!["财经", "体育类"]),
        ]
    );
    // 运动 rows 1, 2; 阅读 rows 2, 3; 其他 rows 2 (书法) and 4 (下棋).
    assert_eq!((answered(&e, "2"), counts(&e, "2")), (4, vec![2, 2, 2]));
    assert_eq!(
        other_texts(&e, "2"),
        [None, Some("书法"), None, Some("下棋")]
    );
    // 财经 row 1; 体育 rows 1, 2; row 3 chose none, row 4 skipped (-3).
    assert_eq!((answered(&e, "4"), counts(&e, "4")), (2, vec![1, 2]));
    // 月收入 2, 3, 1, -3.
    assert_eq!((answered(&e, "3"), counts(&e, "3")), (3, vec![1, 1, 1]));
}

/// 腾讯问卷 names who answered in 用户标识 (a WeChat openid): with `duplicate_key =
/// "respondent"`, rows 3 and 5 repeat row 1's o86_aaa; row 4 has none and is kept.
#[test]
fn tencent_user_id_is_the_respondent() {
    let e = read("tencent_respondent/export.csv");
    assert_eq!(e.format, ExportFormat::Tencent);
    assert_eq!(
        respondents(&e),
        [
            Some("o86_aaa"),
            Some("o86_bbb"),
            Some("o86_aaa"),
            None,
            Some("o86_aaa")
        ]
    );
    let report = report_of(vec![e], "[validity]\nduplicate_key = \"respondent\"\n");
    assert_eq!((report.valid, report.invalid.duplicate), (3, 2));
}

/// Markup in question texts and options becomes text when read: `<br>` a line break,
/// `&amp;gt;` (encoded twice) `>`, and `<18` is no tag.
#[test]
fn markup_in_texts_and_options_becomes_text() {
    let e = read("markup/export.csv");
    assert_eq!(e.format, ExportFormat::SurveyMonkey);
    assert_eq!(
        e.questions[0].text,
        "Consider the following:\nIn Lottery A, you win $100.\nWhich would you play?"
    );
    assert_eq!(
        outline(&e)[1..],
        [
            (
                "2",
                "Which chocolate do you like?",
                Single,
                vec!["Chocolate with >80% cocoa", "Milk & nuts"]
            ),
            ("3", "How old are you?", Single, vec!["<18", "18-29"]),
        ]
    );
    // Rows 101 and 103 chose the dark chocolate.
    assert_eq!(counts(&e, "2"), [2, 2]);
    assert_eq!(answers(&e, "2")[2], &Answer::Choice(0));
    // The report keeps the line breaks for the page to show.
    let report = report_of(vec![e], "");
    assert_eq!(
        report.questions[0].text,
        "Consider the following:\nIn Lottery A, you win $100.\nWhich would you play?"
    );
    assert_eq!(
        report.questions[1].options[0].label,
        "Chocolate with >80% cocoa"
    );
}

/// Microsoft Forms: Email and Name say who answered (`anonymous` says nobody); a multiple
/// choice's answers end with `;`.
#[test]
fn microsoft_forms_download() {
    let e = read("microsoft_forms/export.csv");
    assert_eq!(
        (e.format, e.responses.len()),
        (ExportFormat::MicrosoftForms, 6)
    );
    assert!(e.warnings.is_empty(), "{:?}", e.warnings);
    assert_eq!(
        outline(&e),
        [
            (
                "1",
                "Which services did you use?",
                Multiple,
                vec!["Cleaning", "Repairs", "Parking"]
            ),
            (
                "2",
                "How satisfied are you overall?",
                Single,
                vec!["Satisfied", "Very satisfied", "Neutral"]
            ),
            ("3", "Any comments?", Text, vec![]),
        ]
    );
    // Cleaning rows 1, 3, 4; Repairs rows 1, 2, 3; Parking rows 3, 6; row 5 chose none.
    assert_eq!((answered(&e, "1"), counts(&e, "1")), (5, vec![3, 3, 2]));
    assert_eq!(answers(&e, "1")[2], &Answer::Choices(vec![0, 1, 2]));
    // Satisfied rows 1, 4, 5; Very satisfied rows 2, 6.
    assert_eq!(counts(&e, "2"), [3, 2, 1]);
    assert_eq!(ids(&e), ["1", "2", "3", "4", "5", "6"]);
    assert_eq!(
        respondents(&e),
        [
            Some("li.wei@example.com"),
            None,
            Some("zhang.min@example.com"),
            Some("li.wei@example.com"),
            None,
            None
        ]
    );
    assert_eq!(seconds(&e), [120, 180, 60, 180, 60, 120].map(Some).to_vec());
    assert_eq!(e.responses[0].submitted, at(2026, 9, 1, 11, 29, 0));
}

/// LimeSurvey with full question-text headings: metadata, timings and equation columns are
/// never questions; `题干 [选项]` columns of flags are one multiple choice with its
/// `[Other]` box, other bracketed columns an array's rows.
#[test]
fn limesurvey_full_question_text_headings() {
    let e = read("limesurvey_full_text/export.csv");
    assert_eq!((e.format, e.responses.len()), (ExportFormat::LimeSurvey, 5));
    assert_eq!(
        outline(&e),
        [
            ("1", "您所在的小区", Single, vec!["锦绣花园", "翠湖苑"]),
            (
                "2",
                "您对物业服务的总体满意度",
                Single,
                vec!["满意", "一般"]
            ),
            (
                "3",
                "您希望物业在哪些方面改进?",
                Multiple,
                vec!["保洁", "绿化", "Other"]
            ),
            (
                "4.1",
                "请对以下服务打分 - 服务态度",
                Rating,
                vec!["3", "4", "5"]
            ),
            (
                "4.2",
                "请对以下服务打分 - 维修速度",
                Rating,
                vec!["3", "4", "5"]
            ),
            ("5", "其他意见或建议", Text, vec![]),
        ]
    );
    // 小区: rows 1, 3, 4 锦绣花园, rows 2, 5 翠湖苑 (row 3 answered only this).
    assert_eq!(counts(&e, "1"), [3, 2]);
    // 满意度: 满意 rows 1, 4, 5; 一般 row 2.
    assert_eq!(counts(&e, "2"), [3, 1]);
    // 改进: 保洁 rows 1, 2; 绿化 rows 2, 4; the box typed in row 2.
    assert_eq!((answered(&e, "3"), counts(&e, "3")), (3, vec![2, 2, 1]));
    assert_eq!(other_texts(&e, "3")[1], Some("停车难"));
    // 服务态度 5, 3, -, 4; 维修速度 4, 3, -, 5.
    assert_eq!(counts(&e, "4.1"), [1, 1, 1]);
    assert_eq!(counts(&e, "4.2"), [1, 1, 1]);
    // Row 3 has no Date submitted: not finished.
    let finished: Vec<Option<bool>> = e.responses.iter().map(|r| r.finished).collect();
    assert_eq!(
        finished,
        [Some(true), Some(true), Some(false), Some(true), Some(true)]
    );
    assert_eq!(seconds(&e), [133, 40, 20, 120, 30].map(Some).to_vec());
    assert_eq!(ids(&e), ["1", "2", "3", "4", "5"]);
}

/// Qualtrics' 2016 exporter: `{'ImportId': 'QID2-1'}` with single quotes names each column's
/// question, so the recode column `Q2_-1` and the export-tagged rows `Q3_cleaning` fold into
/// questions 2 and 3; single choices downloaded as numeric values are codes, with a hint.
#[test]
fn qualtrics_2016_exporter() {
    let e = read("qualtrics_2016/export.csv");
    assert_eq!((e.format, e.responses.len()), (ExportFormat::Qualtrics, 5));
    assert_eq!(
        outline(&e),
        [
            ("Q1", "Which estate do you live in?", Single, vec!["1", "2"]),
            (
                "Q2",
                "Which services did you use?",
                Multiple,
                vec!["Cleaning", "Repairs", "None of these"]
            ),
            (
                "Q3_cleaning",
                "Rate each service-Cleaning",
                Rating,
                vec!["3", "4", "5"]
            ),
            (
                "Q3_repairs",
                "Rate each service-Repairs",
                Rating,
                vec!["3", "4", "5"]
            ),
            ("Q4", "How did you hear of us?", Single, vec!["1", "2", "3"]),
            ("Q5", "Any comments?", Text, vec![]),
        ]
    );
    let hints: Vec<&String> = e.warnings.iter().filter(|w| w.contains("codes")).collect();
    assert_eq!(hints.len(), 1, "{:?}", e.warnings);
    assert!(hints[0].starts_with("questions Q1, Q4:"), "{}", hints[0]);
    // Q1 codes 1, 2, 1, 2, 1.
    assert_eq!(counts(&e, "Q1"), [3, 2]);
    // Cleaning rows 1, 4, 5; Repairs rows 1, 2, 5; None of these (recode -1) row 3.
    assert_eq!((answered(&e, "Q2"), counts(&e, "Q2")), (5, vec![3, 3, 1]));
    // Matrix rows 4, 3, -, 5, 5 and 5, 3, -, 4, 4.
    assert_eq!(counts(&e, "Q3_cleaning"), [1, 1, 2]);
    assert_eq!(counts(&e, "Q3_repairs"), [1, 2, 1]);
    assert!(
        e.questions[2..4]
            .iter()
            .all(|q| q.number.starts_with("Q3_"))
    );
    // Q4 codes 2, 3, 1, -, 1; row 2 typed into the box.
    assert_eq!((answered(&e, "Q4"), counts(&e, "Q4")), (4, vec![2, 1, 1]));
    assert_eq!(other_texts(&e, "Q4")[1], Some("A friend told me"));
    let finished: Vec<Option<bool>> = e.responses.iter().map(|r| r.finished).collect();
    assert_eq!(finished[3], Some(false));
    assert_eq!(seconds(&e), [120, 90, 120, 40, 180].map(Some).to_vec());
    assert_eq!(respondents(&e)[2], Some("10.0.0.1"));
    assert_eq!(lines(&e), [4, 5, 6, 7, 8]);
}

/// Qualtrics' legacy exporter: `V1`…`V10` over the metadata names, `Q1`… over the question
/// texts; two header rows.
#[test]
fn qualtrics_legacy_exporter() {
    let e = read("qualtrics_legacy/export.csv");
    assert_eq!((e.format, e.responses.len()), (ExportFormat::Qualtrics, 4));
    assert_eq!(
        outline(&e),
        [
            (
                "Q1",
                "How satisfied are you with our service?",
                Rating,
                vec!["2", "4", "5"]
            ),
            ("Q2", "Which estate do you live in?", Single, vec!["1", "2"]),
            (
                "Q3",
                "Which services did you use?",
                Multiple,
                vec!["Cleaning", "Repairs"]
            ),
        ]
    );
    // Q1 4, 5, 4, 2; Q2 codes 2, 1, 2, 2; Cleaning rows 1, 2, Repairs rows 2, 3.
    assert_eq!(counts(&e, "Q1"), [1, 2, 1]);
    assert_eq!(counts(&e, "Q2"), [1, 3]);
    assert_eq!((answered(&e, "Q3"), counts(&e, "Q3")), (3, vec![2, 2]));
    assert_eq!(ids(&e), ["R_a", "R_b", "R_c", "R_d"]);
    assert_eq!(respondents(&e)[0], Some("1.1.1.1"));
    assert_eq!(seconds(&e), [39, 60, 30, 120].map(Some).to_vec());
    assert_eq!(lines(&e), [3, 4, 5, 6]);
}

/// SurveyMonkey's ranking question, one column per item holding its rank, is one ranking
/// question; a checkbox question re-saved as `; `-joined answers is split.
#[test]
fn surveymonkey_ranking_and_joined_checkboxes() {
    let e = read("surveymonkey_ranking/export.csv");
    assert_eq!(
        (e.format, e.responses.len()),
        (ExportFormat::SurveyMonkey, 5)
    );
    assert!(e.warnings.is_empty(), "{:?}", e.warnings);
    let items = vec!["Cleaning", "Repairs", "Security"];
    assert_eq!(
        outline(&e),
        [
            (
                "1",
                "Please rank the services (1 = most important)",
                Ranking,
                items.clone()
            ),
            ("2", "Which services did you use?", Multiple, items),
        ]
    );
    // Ranks (C, R, S): 1 2 3 / 2 1 3 / 3 1 2 / none / 1 3 2.
    assert_eq!(
        answers(&e, "1"),
        [
            &Answer::Ranking(vec![0, 1, 2]),
            &Answer::Ranking(vec![1, 0, 2]),
            &Answer::Ranking(vec![1, 2, 0]),
            &Answer::None,
            &Answer::Ranking(vec![0, 2, 1]),
        ]
    );
    // Cleaning rows 1, 3, 5; Repairs rows 1, 2, 5; Security rows 3, 4.
    assert_eq!((answered(&e, "2"), counts(&e, "2")), (5, vec![3, 3, 2]));

    // The report: first places C rows 1, 5 and R rows 2, 3; mean places C (1+2+3+1)/4,
    // R (2+1+1+3)/4, S (3+3+2+2)/4.
    let report = report_of(vec![e], "");
    let q = &report.questions[0];
    assert_eq!(q.answered, 4);
    let firsts: Vec<u64> = q.options.iter().map(|o| o.count).collect();
    assert_eq!(firsts, [2, 2, 0]);
    let ranks = item_ranks(q);
    assert_eq!(
        ranks,
        [(4, Some(1.75), 2), (4, Some(1.75), 2), (4, Some(2.5), 0)]
    );
}

/// A SurveyMonkey export re-saved with its two header rows merged into one: `Question -
/// Option` columns, `Question - Other (please specify)` boxes, RespondentID.
#[test]
fn surveymonkey_merged_header() {
    let e = read("surveymonkey_merged/export.csv");
    assert_eq!(
        (e.format, e.responses.len()),
        (ExportFormat::SurveyMonkey, 5)
    );
    assert_eq!(
        outline(&e),
        [
            ("1", "Do you celebrate?", Single, vec!["Yes", "No"]),
            (
                "2",
                "What is the main dish?",
                Single,
                vec!["Turkey", "Other (please specify)"]
            ),
            (
                "3",
                "Which sides are served?",
                Multiple,
                vec!["Corn", "Rolls", "Other (please specify)"]
            ),
            (
                "4",
                "Will you watch any of these?",
                Multiple,
                vec!["Parade"]
            ),
        ]
    );
    // Yes rows 1, 2, 4, 5; Turkey rows 1, 4, 5, Other row 2 (Lasagna).
    assert_eq!(counts(&e, "1"), [4, 1]);
    assert_eq!(counts(&e, "2"), [3, 1]);
    assert_eq!(other_texts(&e, "2")[1], Some("Lasagna"));
    // Corn rows 1, 4, 5; Rolls rows 1, 2, 5; Other row 2, ticked then typed (Okra).
    assert_eq!((answered(&e, "3"), counts(&e, "3")), (4, vec![3, 3, 1]));
    assert_eq!(other_texts(&e, "3")[1], Some("Okra"));
    // Parade rows 1, 4.
    assert_eq!((answered(&e, "4"), counts(&e, "4")), (2, vec![2]));
    assert_eq!(ids(&e), ["1001", "1002", "1003", "1004", "1005"]);
    assert_eq!(lines(&e), [2, 3, 4, 5, 6]);
}

/// Ordinal options are put in scale order for the report: numeric bands, frequency words,
/// income bands with `不知道/拒绝回答` last; answers follow their options.
#[test]
fn ordinal_options_in_scale_order() {
    let mut e = read("ordinal/export.csv");
    huifang::survey::scale_order::order_options(&mut e, &[]);
    assert_eq!(
        outline(&e),
        [
            (
                "1",
                "您的年龄段",
                Single,
                vec!["18-30", "31-45", "46-60", "60以上"]
            ),
            (
                "2",
                "您多久使用一次物业App",
                Single,
                vec!["从不", "偶尔", "经常", "总是"]
            ),
            (
                "3",
                "您的月收入",
                Single,
                vec![
                    "3000元以下",
                    "3001-5000元",
                    "15000元以上",
                    "不知道/拒绝回答"
                ]
            ),
            (
                "4",
                "How often do you visit the clubhouse?",
                Single,
                vec!["Never", "Sometimes", "Often", "Always"]
            ),
        ]
    );
    // 年龄段: 18-30 rows 2, 5, 8; 31-45 rows 3, 7; 46-60 row 4; 60以上 rows 1, 6.
    assert_eq!(counts(&e, "1"), [3, 2, 1, 2]);
    assert_eq!(answers(&e, "1")[0], &Answer::Choice(3));
    // 从不 rows 3, 8; 偶尔 rows 2, 6; 经常 rows 1, 4, 7; 总是 row 5.
    assert_eq!(counts(&e, "2"), [2, 2, 3, 1]);
    // 3000元以下 rows 2, 6; 3001-5000元 rows 1, 5, 8; 15000元以上 rows 4, 7; row 3 last.
    assert_eq!(counts(&e, "3"), [2, 3, 2, 1]);
    // Never rows 2, 5; Sometimes rows 1, 4, 7; Often rows 3, 8; Always row 6.
    assert_eq!(counts(&e, "4"), [2, 3, 2, 1]);
}

/// A header that fits no layout is told the closest one and what it lacks: here a Microsoft
/// Forms download without its Completion time column.
#[test]
fn a_near_miss_names_the_closest_layout() {
    let error = read_as("near_miss/export.csv", ExportFormat::Auto, &[]).unwrap_err();
    let SurveyReadError::UnknownLayout { expected, .. } = &error else {
        panic!("{error}");
    };
    assert!(
        expected.starts_with(
            "the closest is Microsoft Forms: the header has Id, Start time, Email, Name but \
             lacks Completion time"
        ),
        "{expected}"
    );
    // Every layout is still listed.
    assert!(
        expected.contains("Respondent ID, Collector ID"),
        "{expected}"
    );
}
