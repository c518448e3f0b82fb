//! Reading survey exports as each tool writes them (fixtures under
//! `tests/fixtures/surveys/<format>/`). Every expected count below was worked out by hand
//! from the fixture file; the comment above each block says which rows give it.

use crate::util;

use huifang::survey::read::{Answer, ExportFormat, QuestionKind, SurveyReadError};
use util::survey::*;

use QuestionKind::{Multiple, Numeric, Ranking, Rating, Single, Text};

const AGES: [&str; 3] = ["31-45岁", "18-30岁", "46-60岁"];
const ESTATES: [&str; 3] = ["锦绣花园", "翠湖苑", "阳光小区"];

#[test]
fn wjx_text_download() {
    let e = read("wjx_text/export.csv");
    assert_eq!(
        (e.format, e.encoding, e.responses.len()),
        (ExportFormat::WjxText, "UTF-8", 8)
    );
    assert!(e.warnings.is_empty(), "{:?}", e.warnings);
    // 来源, 来源详情 and the trailing 总分 are fixed columns, not questions; the matrix
    // `5(…)` columns are three rating questions.
    assert_eq!(
        outline(&e),
        [
            (
                "1",
                "您的年龄段",
                Single,
                vec!["31-45岁", "46-60岁", "18-30岁", "60岁以上"]
            ),
            ("2", "您所在的小区", Single, ESTATES.to_vec()),
            (
                "3",
                "您对物业服务的总体满意度",
                Rating,
                vec!["2", "3", "4", "5"]
            ),
            (
                "4",
                "您希望物业在哪些方面改进?",
                Multiple,
                vec!["保洁卫生", "停车管理", "维修速度", "安保巡逻", "其他"]
            ),
            ("5.1", "物业服务态度", Rating, vec!["2", "3", "4", "5"]),
            ("5.2", "保洁卫生", Rating, vec!["1", "3", "4", "5"]),
            ("5.3", "秩序维护", Rating, vec!["2", "3", "4", "5"]),
            (
                "6",
                "请按重要性对以下服务排序",
                Ranking,
                vec!["保洁卫生", "安保巡逻", "绿化养护"]
            ),
            ("7", "其他意见或建议", Text, vec![]),
        ]
    );
    // 年龄段: 31-45 rows 1,4,6; 46-60 rows 2,7; 18-30 rows 3,8; 60岁以上 row 5.
    assert_eq!(counts(&e, "1"), [3, 2, 2, 1]);
    // 小区: 锦绣花园 rows 1,3,6,8; 翠湖苑 rows 2,5; 阳光小区 rows 4,7.
    assert_eq!(counts(&e, "2"), [4, 2, 2]);
    // 满意度: 5,3,4,2,5,4,（跳过）,5 — seven answers, mean 28/7.
    assert_eq!((answered(&e, "3"), counts(&e, "3")), (7, vec![1, 1, 2, 3]));
    assert_eq!(mean(&e, "3"), 4.0);
    assert_eq!(answers(&e, "3")[6], &Answer::None, "full-width （跳过）");
    // 改进 (┋): 保洁 rows 1,4,8; 停车 rows 1,3,6; 维修 rows 2,4; 安保 rows 4,7; 其他 rows 2,6;
    // row 5 is (空).
    assert_eq!(
        (answered(&e, "4"), counts(&e, "4")),
        (7, vec![3, 3, 2, 2, 2])
    );
    assert_eq!(answers(&e, "4")[1], &Answer::Choices(vec![2, 4]));
    assert_eq!(answers(&e, "4")[4], &Answer::None, "(空)");
    assert_eq!(
        other_texts(&e, "4"),
        [
            None,
            Some("电梯经常坏"),
            None,
            None,
            None,
            Some("快递柜太少"),
            None,
            None
        ]
    );
    // Matrix rows: 物业服务态度 5,3,4,2,5,4,3,5; 保洁卫生 4,3,4,1,5,4,4,5; 秩序维护 5,4,4,2,5,3,4,4.
    assert_eq!(counts(&e, "5.1"), [1, 2, 2, 3]);
    assert_eq!(mean(&e, "5.1"), 31.0 / 8.0);
    assert_eq!(counts(&e, "5.2"), [1, 1, 4, 2]);
    assert_eq!(counts(&e, "5.3"), [1, 1, 4, 2]);
    // Ranking (→): row 3 (跳过); first places 保洁 rows 1,5,7,8, 安保 rows 2,6, 绿化 row 4.
    let ranking = answers(&e, "6");
    assert_eq!(ranking[1], &Answer::Ranking(vec![1, 0, 2]));
    assert_eq!(ranking[2], &Answer::None);
    let mut firsts = [0; 3];
    for a in &ranking {
        if let Answer::Ranking(order) = a {
            firsts[order[0]] += 1;
        }
    }
    assert_eq!(firsts, [4, 2, 1]);
    // 建议: rows 1,2,4,6,7 ("无" is an answer); (跳过) row 3, (空) rows 5 and 8.
    assert_eq!(answered(&e, "7"), 5);
    assert_eq!(
        answers(&e, "7")[1],
        &Answer::Text("电梯维修太慢,请联系我13812345678".to_owned())
    );
    // 所用时间: 35秒, 2分5秒, 48秒, 1分12秒, 2分30秒, 40秒, 95秒, 52秒.
    assert_eq!(
        seconds(&e),
        [35, 125, 48, 72, 150, 40, 95, 52].map(Some).to_vec()
    );
    // 来自IP without the place: rows 1 and 2 share one address, rows 3 and 8 another.
    assert_eq!(
        respondents(&e),
        [
            "112.10.1.1",
            "112.10.1.1",
            "36.22.8.5",
            "183.156.3.77",
            "223.104.5.20",
            "117.136.0.8",
            "39.170.2.14",
            "36.22.8.5"
        ]
        .map(Some)
        .to_vec()
    );
    assert_eq!(ids(&e), ["1", "2", "3", "4", "5", "6", "7", "8"]);
    assert_eq!(e.responses[0].submitted, at(2026, 5, 12, 10, 31, 5));
    assert_eq!(e.responses[2].submitted, at(2026, 5, 13, 9, 15, 22));
    assert_eq!(lines(&e), [2, 3, 4, 5, 6, 7, 8, 9], "BOM and CRLF");
    assert!(e.responses.iter().all(|r| r.finished.is_none()));
}

#[test]
fn wjx_number_download_in_gbk() {
    let e = read("wjx_number/export.csv");
    assert_eq!(
        (e.format, e.encoding, e.responses.len()),
        (ExportFormat::WjxNumber, "GB18030", 6)
    );
    assert!(e.warnings.is_empty(), "{:?}", e.warnings);
    // Single choices hold option numbers, whose texts are not in the file; the six
    // `4、(选项)` 0/1 columns are one multiple choice.
    assert_eq!(
        outline(&e),
        [
            ("1", "您的年龄段", Single, vec!["1", "2", "3", "4"]),
            ("2", "您所在的小区", Single, vec!["1", "2", "3"]),
            ("3", "您对物业服务的总体满意度", Rating, vec!["3", "4", "5"]),
            (
                "4",
                "",
                Multiple,
                vec![
                    "保洁卫生",
                    "绿化养护",
                    "安保巡逻",
                    "维修速度",
                    "停车管理",
                    "其他"
                ]
            ),
            ("5.1", "物业服务态度", Rating, vec!["2", "3", "4", "5"]),
            ("5.2", "保洁卫生", Rating, vec!["2", "3", "4", "5"]),
            ("5.3", "秩序维护", Rating, vec!["3", "4", "5"]),
            ("6", "其他意见或建议", Text, vec![]),
        ]
    );
    // 年龄段 2,3,1,2,4,2.
    assert_eq!(counts(&e, "1"), [1, 3, 1, 1]);
    assert_eq!(answers(&e, "1")[0], &Answer::Choice(1), "option 2");
    // 小区 1,2,1,3,2,1.
    assert_eq!(counts(&e, "2"), [3, 2, 1]);
    // 满意度 5,3,4,-3,5,4: -3 (跳过) is not an answer; mean 21/5.
    assert_eq!((answered(&e, "3"), counts(&e, "3")), (5, vec![1, 2, 2]));
    assert_eq!(mean(&e, "3"), 4.2);
    // 改进 0/1 columns: row 1 保洁+停车, row 2 安保+维修, row 3 绿化+停车, row 4 all -2,
    // row 5 保洁+绿化, row 6 保洁+维修+停车; 其他 never.
    assert_eq!(
        (answered(&e, "4"), counts(&e, "4")),
        (5, vec![3, 2, 1, 2, 3, 0])
    );
    assert_eq!(answers(&e, "4")[3], &Answer::None);
    // Matrix rows 5,3,4,2,5,4 / 4,3,5,2,5,4 / 5,4,4,3,5,4.
    assert_eq!(counts(&e, "5.1"), [1, 1, 2, 2]);
    assert_eq!(counts(&e, "5.2"), [1, 1, 2, 2]);
    assert_eq!(counts(&e, "5.3"), [1, 3, 2]);
    // 建议: -3 in row 3 and -2 in row 4 are not answers.
    assert_eq!(answered(&e, "6"), 4);
    assert_eq!(
        answers(&e, "6")[1],
        &Answer::Text("门禁经常坏,请联系13912345678".to_owned())
    );
    assert_eq!(seconds(&e), [41, 100, 58, 125, 36, 182].map(Some).to_vec());
    let r = respondents(&e);
    assert_eq!((r[0], r[1]), (Some("220.184.9.1"), Some("220.184.9.1")));
    assert_eq!((r[4], r[5]), (Some("101.68.2.9"), Some("101.68.2.9")));
    assert_eq!(e.responses[5].submitted, at(2026, 6, 5, 21, 10, 5));
}

#[test]
fn tencent_gbk_with_trailing_commas_and_option_columns() {
    let e = read("tencent/export.csv");
    assert_eq!(
        (e.format, e.encoding, e.responses.len()),
        (ExportFormat::Tencent, "GB18030", 7)
    );
    // The empty last header of the trailing comma is no question and no short row.
    assert!(e.warnings.is_empty(), "{:?}", e.warnings);
    assert_eq!(
        outline(&e),
        [
            ("1", "您的年龄段", Single, AGES.to_vec()),
            ("2", "您所在的小区", Single, ESTATES.to_vec()),
            (
                "3",
                "您对物业服务的总体满意度",
                Rating,
                vec!["2", "3", "4", "5"]
            ),
            (
                "4",
                "您希望物业在哪些方面改进",
                Multiple,
                vec!["保洁卫生", "绿化养护", "安保巡逻", "维修速度", "其他"]
            ),
            ("5", "其他意见或建议", Text, vec![]),
        ]
    );
    // 年龄段: 31-45 rows 1,4,5,6; 18-30 rows 2,7; 46-60 row 3.
    assert_eq!(counts(&e, "1"), [4, 2, 1]);
    // 小区: 锦绣 rows 1,3,6; 翠湖 rows 2,5; 阳光 rows 4,7.
    assert_eq!(counts(&e, "2"), [3, 2, 2]);
    // 满意度 4,5,2,3,5,4,4.
    assert_eq!(counts(&e, "3"), [1, 1, 3, 2]);
    assert_eq!(mean(&e, "3"), 27.0 / 7.0);
    // 改进, one column per option: 保洁 rows 1,3,4,7; 绿化 rows 2,4; 安保 rows 2,6; 维修 rows
    // 3,6; 其他 (typed text in its column) rows 3,7; row 5 chose nothing.
    assert_eq!(
        (answered(&e, "4"), counts(&e, "4")),
        (6, vec![4, 2, 2, 2, 2])
    );
    assert_eq!(
        other_texts(&e, "4"),
        [
            None,
            None,
            Some("地库漏水"),
            None,
            None,
            None,
            Some("停车位不够")
        ]
    );
    assert_eq!(answered(&e, "5"), 5);
    // 答题时长 1分20秒, 45秒, 2分3秒, 50秒, 1分10秒, 49秒, 2分15秒.
    assert_eq!(
        seconds(&e),
        [80, 45, 123, 50, 70, 49, 135].map(Some).to_vec()
    );
    // 结束答题时间 is the submission time; rows 1 and 4 come from one IP.
    assert_eq!(e.responses[0].submitted, at(2026, 5, 20, 9, 1, 32));
    let r = respondents(&e);
    assert_eq!((r[0], r[3]), (Some("106.11.3.5"), Some("106.11.3.5")));
    assert_eq!(ids(&e), ["1", "2", "3", "4", "5", "6", "7"]);
}

#[test]
fn surveymonkey_two_header_rows() {
    let e = read("surveymonkey/export.csv");
    assert_eq!(
        (e.format, e.encoding, e.responses.len()),
        (ExportFormat::SurveyMonkey, "UTF-8", 6)
    );
    assert!(e.warnings.is_empty(), "{:?}", e.warnings);
    let other = "Other (please specify)";
    assert_eq!(
        outline(&e),
        [
            ("1", "您的年龄段", Single, AGES.to_vec()),
            (
                "2",
                "您所在的小区",
                Single,
                vec!["锦绣花园", "翠湖苑", other]
            ),
            (
                "3",
                "您对物业服务的总体满意度(1-5分)",
                Rating,
                vec!["2", "3", "4", "5"]
            ),
            (
                "4",
                "您希望物业在哪些方面改进(可多选)",
                Multiple,
                vec!["保洁卫生", "绿化养护", "安保巡逻", other]
            ),
            (
                "5.1",
                "请对以下服务评分 - 物业服务态度",
                Rating,
                vec!["2", "3", "4", "5"]
            ),
            (
                "5.2",
                "请对以下服务评分 - 维修速度",
                Rating,
                vec!["1", "3", "4", "5"]
            ),
            ("6", "其他意见或建议", Text, vec![]),
        ]
    );
    // 年龄段: 31-45 rows 1,4,5; 18-30 rows 2,6; 46-60 row 3.
    assert_eq!(counts(&e, "1"), [3, 2, 1]);
    // 小区: 锦绣 rows 1,4,6; 翠湖 rows 3,5; row 2 typed 滨江一号 into the other box only.
    assert_eq!(counts(&e, "2"), [3, 2, 1]);
    assert_eq!(answers(&e, "2")[1], &Answer::Choice(2));
    assert_eq!(other_texts(&e, "2")[1], Some("滨江一号"));
    // 满意度 5,4,2,3,5,4.
    assert_eq!(counts(&e, "3"), [1, 1, 2, 2]);
    // Checkboxes: 保洁 rows 1,3,5; 绿化 rows 2,5; 安保 rows 2,6; other row 3; row 4 none.
    assert_eq!((answered(&e, "4"), counts(&e, "4")), (5, vec![3, 2, 2, 1]));
    assert_eq!(other_texts(&e, "4")[2], Some("电梯维修太慢"));
    // Matrix rows 5,4,2,3,5,4 and 4,4,1,3,5,5.
    assert_eq!(counts(&e, "5.1"), [1, 1, 2, 2]);
    assert_eq!(counts(&e, "5.2"), [1, 1, 2, 2]);
    assert_eq!(answered(&e, "6"), 4);
    // Respondent IDs of 12 digits stay text, digit for digit.
    assert_eq!(
        ids(&e),
        [
            "114523678901",
            "114523679112",
            "114523680045",
            "114523681230",
            "114523682999",
            "114523684321"
        ]
    );
    // No duration column: End Date − Start Date. 02:15:00 PM is 14:15.
    assert_eq!(seconds(&e), [125, 90, 120, 50, 135, 100].map(Some).to_vec());
    assert_eq!(e.responses[1].submitted, at(2026, 5, 12, 14, 16, 30));
    assert_eq!(e.responses[5].submitted, at(2026, 5, 15, 12, 6, 40));
    // Rows 1 and 3 share an IP; row 4 has none.
    let r = respondents(&e);
    assert_eq!(
        (r[0], r[2], r[3]),
        (Some("112.10.1.1"), Some("112.10.1.1"), None)
    );
    assert_eq!(lines(&e), [3, 4, 5, 6, 7, 8]);
}

#[test]
fn qualtrics_three_header_rows() {
    let e = read("qualtrics/export.csv");
    assert_eq!(
        (e.format, e.encoding, e.responses.len()),
        (ExportFormat::Qualtrics, "UTF-8", 7)
    );
    assert!(e.warnings.is_empty(), "{:?}", e.warnings);
    assert_eq!(
        outline(&e),
        [
            ("Q1", "您的年龄段", Single, AGES.to_vec()),
            (
                "Q2",
                "您所在的小区",
                Single,
                vec!["锦绣花园", "翠湖苑", "其他"]
            ),
            (
                "Q3",
                "您对物业服务的总体满意度",
                Rating,
                vec!["2", "3", "4", "5"]
            ),
            (
                "Q4",
                "您希望物业在哪些方面改进(可多选)",
                Multiple,
                vec!["保洁卫生", "绿化养护", "安保巡逻", "维修速度", "其他"]
            ),
            (
                "Q5_1",
                "请对以下服务打分 - 物业服务态度",
                Rating,
                vec!["2", "4", "5"]
            ),
            (
                "Q5_2",
                "请对以下服务打分 - 秩序维护",
                Rating,
                vec!["3", "4", "5"]
            ),
            ("Q6", "其他意见或建议", Text, vec![]),
        ]
    );
    // 年龄段: 31-45 rows 1,4,5,7; 18-30 rows 2,6; 46-60 row 3.
    assert_eq!(counts(&e, "Q1"), [4, 2, 1]);
    // 小区: 锦绣 rows 1,4,6; 翠湖 rows 3,5,7; 其他 row 2 with Q2_4_TEXT 滨江一号.
    assert_eq!(counts(&e, "Q2"), [3, 3, 1]);
    assert_eq!(other_texts(&e, "Q2")[1], Some("滨江一号"));
    // 满意度 5,4,2,3,5,4,4.
    assert_eq!(counts(&e, "Q3"), [1, 1, 3, 2]);
    // Q4_k hold the choice text: 保洁 rows 1,3,5,7; 绿化 rows 2,5; 安保 rows 2,6; 维修 rows
    // 3,6; 其他 row 3 (Q4_5_TEXT 地库漏水); row 4 stopped before Q4.
    assert_eq!(
        (answered(&e, "Q4"), counts(&e, "Q4")),
        (6, vec![4, 2, 2, 2, 1])
    );
    assert_eq!(other_texts(&e, "Q4")[2], Some("地库漏水"));
    // Matrix Q5_1 5,4,2,-,5,4,4 and Q5_2 4,4,3,-,5,3,4.
    assert_eq!(
        (answered(&e, "Q5_1"), counts(&e, "Q5_1")),
        (6, vec![1, 3, 2])
    );
    assert_eq!(counts(&e, "Q5_2"), [2, 3, 1]);
    // A quoted answer keeps its comma.
    assert_eq!(
        answers(&e, "Q6")[2],
        &Answer::Text("电梯坏了,请回电13812345678".to_owned())
    );
    assert_eq!(answered(&e, "Q6"), 4);
    // Duration (in seconds), Finished, ResponseId, EndDate.
    assert_eq!(
        seconds(&e),
        [132, 90, 245, 60, 130, 100, 120].map(Some).to_vec()
    );
    let finished: Vec<Option<bool>> = e.responses.iter().map(|r| r.finished).collect();
    assert_eq!(
        finished,
        [true, true, true, false, true, true, true]
            .map(Some)
            .to_vec()
    );
    assert_eq!(ids(&e)[0], "R_1a2B3c4D5e6F7g8");
    assert_eq!(e.responses[0].submitted, at(2026, 5, 12, 10, 33, 17));
    let r = respondents(&e);
    assert_eq!((r[1], r[6]), (Some("36.22.8.5"), Some("36.22.8.5")));
    assert_eq!(lines(&e), [4, 5, 6, 7, 8, 9, 10]);
}

#[test]
fn google_forms_download() {
    let e = read("google_forms/export.csv");
    assert_eq!(
        (e.format, e.encoding, e.responses.len()),
        (ExportFormat::GoogleForms, "UTF-8", 8)
    );
    assert!(e.warnings.is_empty(), "{:?}", e.warnings);
    let services = vec!["保洁卫生", "停车管理", "绿化养护", "维修速度"];
    assert_eq!(
        outline(&e),
        [
            ("1", "您的年龄段", Single, AGES.to_vec()),
            ("2", "您所在的小区", Single, ESTATES.to_vec()),
            (
                "3",
                "您对物业服务的总体满意度",
                Rating,
                vec!["2", "3", "4", "5"]
            ),
            ("4", "您希望物业在哪些方面改进", Multiple, services.clone()),
            (
                "5.1",
                "请对以下服务打分 - 物业服务态度",
                Rating,
                vec!["2", "3", "4", "5"]
            ),
            (
                "5.2",
                "请对以下服务打分 - 保洁卫生",
                Rating,
                vec!["1", "2", "3", "4", "5"]
            ),
            ("6", "其他意见或建议", Text, vec![]),
        ]
    );
    // 年龄段: 31-45 rows 1,4,5,7; 18-30 rows 2,6; 46-60 rows 3,8.
    assert_eq!(counts(&e, "1"), [4, 2, 2]);
    // 小区: 锦绣 rows 1,3,6,7; 翠湖 rows 2,5; 阳光 rows 4,8.
    assert_eq!(counts(&e, "2"), [4, 2, 2]);
    // 满意度 5,4,2,3,5,4,4,3: mean 30/8.
    assert_eq!(counts(&e, "3"), [1, 2, 3, 2]);
    assert_eq!(mean(&e, "3"), 3.75);
    // Checkboxes joined by `;`: 保洁 rows 1,3,5,7; 停车 rows 1,3,6,7; 绿化 rows 2,5; 维修
    // rows 3,4; row 8 none.
    assert_eq!((answered(&e, "4"), counts(&e, "4")), (7, vec![4, 4, 2, 2]));
    // Grid rows 5,4,2,3,5,4,4,3 and 4,4,1,3,5,5,4,2.
    assert_eq!(counts(&e, "5.1"), [1, 2, 3, 2]);
    assert_eq!(counts(&e, "5.2"), [1, 1, 1, 3, 2]);
    // A free-text answer with commas is not split.
    assert_eq!(
        answers(&e, "6")[2],
        &Answer::Text("电梯坏了,维修太慢,请回电13812345678".to_owned())
    );
    assert_eq!(answered(&e, "6"), 5);
    // `2026/05/12 2:15:40 PM GMT+8`, kept as written; e-mail as respondent (rows 1 and 4).
    assert_eq!(e.responses[1].submitted, at(2026, 5, 12, 14, 15, 40));
    assert_eq!(e.responses[5].submitted, at(2026, 5, 15, 12, 5, 0));
    let r = respondents(&e);
    assert_eq!(
        (r[0], r[3]),
        (Some("zhang.wei@example.com"), Some("zhang.wei@example.com"))
    );
    assert!(seconds(&e).iter().all(Option::is_none));
    assert!(ids(&e).iter().all(|id| *id == "-"));
}

#[test]
fn google_sheet_download() {
    let e = read("google_forms/sheet.csv");
    assert_eq!(e.format, ExportFormat::GoogleForms);
    assert_eq!(
        outline(&e),
        [
            ("1", "您所在的小区", Single, vec!["锦绣花园", "翠湖苑"]),
            (
                "2",
                "您对物业服务的总体满意度",
                Rating,
                vec!["2", "3", "4", "5"]
            ),
            (
                "3",
                "您希望物业在哪些方面改进",
                Multiple,
                vec!["保洁卫生", "停车管理", "绿化养护", "维修速度"]
            ),
        ]
    );
    // `, `-joined: 保洁 rows 1,3,5; 停车 rows 1,3,6; 绿化 rows 2,5; 维修 rows 3,4.
    assert_eq!(counts(&e, "3"), [3, 3, 2, 2]);
    // `5/13/2026 20:45:00`: month first.
    assert_eq!(e.responses[3].submitted, at(2026, 5, 13, 20, 45, 0));
}

#[test]
fn limesurvey_codes_and_an_override() {
    let e = read("limesurvey/export.csv");
    assert_eq!(
        (e.format, e.encoding, e.responses.len()),
        (ExportFormat::LimeSurvey, "UTF-8", 6)
    );
    assert!(e.warnings.is_empty(), "{:?}", e.warnings);
    // Code headings carry no question text. Q3 holds 1–5 but its heading says nothing of a
    // rating, so it is numeric unless the config says otherwise.
    assert_eq!(
        outline(&e),
        [
            ("Q1", "", Single, vec!["A1", "A2", "A3"]),
            ("Q2", "", Single, vec!["A1", "A2", "其他"]),
            ("Q3", "", Numeric, vec![]),
            (
                "Q4",
                "",
                Multiple,
                vec!["SQ001", "SQ002", "SQ003", "SQ004", "其他"]
            ),
            ("Q5[1]", "", Rating, vec!["2", "4", "5"]),
            ("Q5[2]", "", Rating, vec!["1", "4", "5"]),
            ("Q6", "", Text, vec![]),
        ]
    );
    // Q1 A2,A1,A3,A2,A2,A1.
    assert_eq!(counts(&e, "Q1"), [2, 3, 1]);
    // Q2 A1,-oth-(滨江一号),A2,A1,A2,A1.
    assert_eq!(counts(&e, "Q2"), [3, 2, 1]);
    assert_eq!(other_texts(&e, "Q2")[1], Some("滨江一号"));
    // Q4 (Y or empty): SQ001 rows 1,3,5; SQ002 rows 2,5; SQ003 rows 2,6; SQ004 rows 1,6;
    // [other] row 3; row 4 stopped on page 1.
    assert_eq!(
        (answered(&e, "Q4"), counts(&e, "Q4")),
        (5, vec![3, 2, 2, 2, 1])
    );
    assert_eq!(other_texts(&e, "Q4")[2], Some("地库漏水"));
    // Array rows 5,4,2,-,5,4 and 4,4,1,-,5,5.
    assert_eq!(counts(&e, "Q5[1]"), [1, 2, 2]);
    assert_eq!(counts(&e, "Q5[2]"), [1, 2, 2]);
    // Row 4 has no submitdate: not finished, not submitted.
    let finished: Vec<Option<bool>> = e.responses.iter().map(|r| r.finished).collect();
    assert_eq!(
        finished,
        [true, true, true, false, true, true].map(Some).to_vec()
    );
    assert_eq!(e.responses[3].submitted, None);
    // interviewtime, rounded: 125.4 → 125, 100.2 → 100.
    assert_eq!(seconds(&e), [125, 90, 120, 50, 135, 100].map(Some).to_vec());
    let r = respondents(&e);
    assert_eq!((r[0], r[2]), (Some("112.10.1.1"), Some("112.10.1.1")));

    // The config makes Q3 a rating: 5,4,2,3,5,4.
    let e = read_as(
        "limesurvey/export.csv",
        ExportFormat::Auto,
        &[("Q3", Rating)],
    )
    .unwrap();
    assert_eq!(e.questions[index(&e, "Q3")].kind, Rating);
    assert_eq!(e.questions[index(&e, "Q3")].options, ["2", "3", "4", "5"]);
    assert_eq!(counts(&e, "Q3"), [1, 1, 2, 2]);
    assert_eq!(mean(&e, "Q3"), 23.0 / 6.0);
}

#[test]
fn plain_table_with_an_empty_row_a_line_break_and_a_short_row() {
    let e = read("plain/export.csv");
    assert_eq!((e.format, e.responses.len()), (ExportFormat::Plain, 6));
    assert_eq!(
        outline(&e),
        [
            ("1", "您的年龄段", Single, AGES.to_vec()),
            ("2", "您所在的小区", Single, vec!["锦绣花园", "翠湖苑"]),
            (
                "3",
                "您对物业服务的总体满意度",
                Rating,
                vec!["2", "3", "4", "5"]
            ),
            (
                "4",
                "您希望物业在哪些方面改进",
                Multiple,
                vec!["保洁卫生", "停车管理", "绿化养护", "维修速度"]
            ),
            ("5", "其他意见或建议", Text, vec![]),
        ]
    );
    // Line 4 is empty and skipped; the answer on lines 5–6 holds a line break; line 7 has
    // two fields only.
    assert_eq!(lines(&e), [2, 3, 5, 7, 8, 9]);
    assert_eq!(
        e.warnings,
        [
            "line 4: empty row skipped",
            "line 7: 2 fields, but the header has 5; the missing answers are read as not \
             answered"
        ]
    );
    assert_eq!(
        answers(&e, "5")[2],
        &Answer::Text("电梯坏了\n请回电13812345678".to_owned())
    );
    // The short row answered 年龄段 and 小区 only.
    let short = &e.responses[3];
    assert_eq!(
        short.answers,
        [
            Answer::Choice(0),
            Answer::Choice(1),
            Answer::None,
            Answer::None,
            Answer::None
        ]
    );
    // 满意度 5,4,2,-,4,3; 改进 保洁 rows 1,3; 停车 rows 1,5,6; 绿化 row 2; 维修 rows 3,6.
    assert_eq!(counts(&e, "3"), [1, 1, 2, 1]);
    assert_eq!((answered(&e, "4"), counts(&e, "4")), (5, vec![2, 3, 1, 2]));
    assert!(
        e.responses
            .iter()
            .all(|r| r.submitted.is_none() && r.seconds.is_none() && r.respondent.is_none())
    );
}

#[test]
fn an_unrecognised_layout_names_what_was_expected() {
    let error = read_as("unknown/export.csv", ExportFormat::Auto, &[]).unwrap_err();
    let SurveyReadError::UnknownLayout { headers, expected } = &error else {
        panic!("{error}");
    };
    assert_eq!(headers[..2], ["回访日期", "责任部门"]);
    for sign in [
        "序号, 提交答卷时间, 所用时间",
        "编号, 开始答题时间",
        "Respondent ID, Collector ID",
        "{\"ImportId\"",
        "Timestamp",
        "submitdate",
        "\"plain\"",
    ] {
        assert!(expected.contains(sign), "{sign} missing from {expected}");
    }
    let message = error.to_string();
    assert!(message.starts_with("the header row reads `回访日期`, `责任部门`"));
}

#[test]
fn a_forced_format_that_does_not_fit_says_so() {
    let error = read_as("wjx_text/export.csv", ExportFormat::Qualtrics, &[]).unwrap_err();
    let message = error.to_string();
    assert!(
        matches!(
            error,
            SurveyReadError::WrongLayout {
                format: ExportFormat::Qualtrics,
                ..
            }
        ),
        "{message}"
    );
    assert!(message.contains("ResponseId"), "{message}");
    assert!(message.contains("`序号`"), "{message}");
    // Forcing the format the file has reads it the same as detection does.
    let forced = read_as("wjx_text/export.csv", ExportFormat::WjxText, &[]).unwrap();
    assert_eq!(forced, read("wjx_text/export.csv"));
}

#[test]
fn overrides_win_over_inference() {
    // `5` reaches every row of matrix 5; `Q7` names question 7; `2` makes 小区 a rating,
    // which its texts cannot be; no question is numbered 9.
    let e = read_as(
        "wjx_text/export.csv",
        ExportFormat::Auto,
        &[("5", Numeric), ("Q7", Single), ("2", Rating), ("9", Text)],
    )
    .unwrap();
    let kinds: Vec<(&str, QuestionKind)> = e
        .questions
        .iter()
        .map(|q| (q.number.as_str(), q.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            ("1", Single),
            ("2", Rating),
            ("3", Rating),
            ("4", Multiple),
            ("5.1", Numeric),
            ("5.2", Numeric),
            ("5.3", Numeric),
            ("6", Ranking),
            ("7", Single),
        ]
    );
    assert!(e.questions[index(&e, "5.1")].options.is_empty());
    assert_eq!(answers(&e, "5.1")[0], &Answer::Number(5.0));
    // Question 7 as single choice: its five answers are five options.
    assert_eq!(counts(&e, "7"), [1, 1, 1, 1, 1]);
    // 小区 as a rating: every value is a warning naming line, column and header, and reads
    // as not answered.
    assert_eq!(answered(&e, "2"), 0);
    assert!(
        e.warnings[0].starts_with(
            "line 2, column 8 (2、您所在的小区:): `锦绣花园` is not a number; question 2 is rating"
        ),
        "{:?}",
        e.warnings
    );
    assert_eq!(
        e.warnings.last().unwrap(),
        "the config sets the kind of question `9`, but the export has no question numbered so"
    );
    assert_eq!(e.warnings.len(), 8 + 1);
}

/// Found in review: a header read by csv_core (a `""` in it) with CRLF line ends put every
/// row one line low and the lines out of balance.
#[test]
fn rows_below_a_crlf_header_with_an_escaped_quote_keep_their_lines() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.csv");
    std::fs::write(
        &path,
        "1、姓名,\"2、您说\"\"好\"\"吗\",3、建议\r\n张,好,无\r\n李,好,无\r\n",
    )
    .unwrap();
    let e = huifang::survey::read::read_export(
        &path,
        huifang::config::EncodingChoice::Auto,
        huifang::survey::read::ExportFormat::Plain,
        &std::collections::BTreeMap::new(),
    )
    .unwrap();
    let lines: Vec<u64> = e.responses.iter().map(|r| r.line).collect();
    assert_eq!(lines, [2, 3]);
    assert!(e.warnings.is_empty(), "{:?}", e.warnings);
}
