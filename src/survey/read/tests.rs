//! ColumnPlan variations the fixture files do not show, read from CSV text.

use super::*;
use crate::ingest::sniff::NotCsv;

fn read(csv: &str, format: ExportFormat) -> Result<SurveyExport, SurveyReadError> {
    read_with(csv, format, &[])
}

fn read_with(
    csv: &str,
    format: ExportFormat,
    kinds: &[(&str, QuestionKind)],
) -> Result<SurveyExport, SurveyReadError> {
    let kinds = kinds.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect();
    let grid = grid::read_bytes(csv.as_bytes(), EncodingChoice::Auto)?;
    read_grid(grid, format, &kinds)
}

fn outline(e: &SurveyExport) -> Vec<(&str, &str, QuestionKind, Vec<&str>)> {
    e.questions
        .iter()
        .map(|q| {
            let options = q.options.iter().map(String::as_str).collect();
            (q.number.as_str(), q.text.as_str(), q.kind, options)
        })
        .collect()
}

fn column(e: &SurveyExport, q: usize) -> Vec<&Answer> {
    e.responses.iter().map(|r| &r.answers[q]).collect()
}

use Answer::{Choice, Choices, Number};
use QuestionKind::{Multiple, Rating, Single, Text};

#[test]
fn tencent_flags_of_one_q_numbers_and_a_matrix() {
    let e = read(
        "编号,开始答题时间,结束答题时间,答题时长,Q1.您所在的小区,Q2.希望改进:保洁,Q2.希望改进:绿化,Q2.希望改进:其他,Q3.请评分:态度,Q3.请评分:维修,\n\
         1,2026-05-20 09:00:12,2026-05-20 09:01:32,85,锦绣花园,1,,,5,4,\n\
         2,2026-05-20 10:00:00,2026-05-20 10:01:00,60,锦绣花园,,1,门口堆物,3,3,\n\
         3,2026-05-20 11:00:00,2026-05-20 11:01:00,,翠湖苑,1,1,,4,5,\n\
         4,2026-05-20 12:00:00,2026-05-20 12:00:30,,锦绣花园,,,,5,5,\n",
        ExportFormat::Auto,
    )
    .unwrap();
    assert_eq!(e.format, ExportFormat::Tencent);
    assert_eq!(
        outline(&e),
        [
            ("Q1", "您所在的小区", Single, vec!["锦绣花园", "翠湖苑"]),
            ("Q2", "希望改进", Multiple, vec!["保洁", "绿化", "其他"]),
            ("Q3.1", "请评分 - 态度", Rating, vec!["3", "4", "5"]),
            ("Q3.2", "请评分 - 维修", Rating, vec!["3", "4", "5"]),
        ]
    );
    assert_eq!(
        column(&e, 1),
        [
            &Choices(vec![0]),
            &Choices(vec![1, 2]),
            &Choices(vec![0, 1]),
            &Answer::None
        ]
    );
    assert_eq!(e.responses[1].other_text[1].as_deref(), Some("门口堆物"));
    // 答题时长 in plain seconds; where it is empty, end − start.
    let seconds: Vec<Option<u32>> = e.responses.iter().map(|r| r.seconds).collect();
    assert_eq!(seconds, [Some(85), Some(60), Some(60), Some(30)]);
}

#[test]
fn wjx_number_download_told_by_its_option_columns_and_fill_ins() {
    let csv = "序号,提交答卷时间,所用时间,来源,来源详情,来自IP,1、您所在的小区,2、(保洁),2、(其他),总分\n\
               1,2026/6/2 9:12:45,41秒,微信,N/A,1.1.1.1(浙江-杭州),1,1,0,0\n\
               2,2026/6/2 9:13:45,1小时2分,微信,N/A,1.1.1.2,2,0,1〖电梯〗,0\n\
               3,2026/6/2 9:14:45,50秒,微信,N/A,1.1.1.3,1,1,1〖门禁〗,0\n";
    let e = read(csv, ExportFormat::Auto).unwrap();
    assert_eq!(e.format, ExportFormat::WjxNumber);
    assert_eq!(
        outline(&e),
        [
            ("1", "您所在的小区", Single, vec!["1", "2"]),
            ("2", "", Multiple, vec!["保洁", "其他"]),
        ]
    );
    assert_eq!(
        column(&e, 1),
        [&Choices(vec![0]), &Choices(vec![1]), &Choices(vec![0, 1])]
    );
    let others: Vec<Option<&str>> = e
        .responses
        .iter()
        .map(|r| r.other_text[1].as_deref())
        .collect();
    assert_eq!(others, [None, Some("电梯"), Some("门禁")]);
    assert_eq!(e.responses[1].seconds, Some(3720));
}

#[test]
fn wjx_text_download_without_markers_is_told_by_its_option_texts() {
    let csv = "序号,提交答卷时间,所用时间,来源,来源详情,来自IP,1、您所在的小区,2.您的满意度\n\
               1,2026/6/2 9:12:45,41秒,微信,N/A,1.1.1.1,锦绣花园,5\n\
               2,2026/6/2 9:13:45,42秒,微信,N/A,1.1.1.2,锦绣花园,4\n\
               3,2026/6/2 9:14:45,43秒,微信,N/A,1.1.1.3,翠湖苑,4\n\
               4,2026/6/2 9:15:45,44秒,微信,N/A,1.1.1.4,锦绣花园,3\n";
    let e = read(csv, ExportFormat::Auto).unwrap();
    assert_eq!(e.format, ExportFormat::WjxText);
    assert_eq!(
        outline(&e),
        [
            ("1", "您所在的小区", Single, vec!["锦绣花园", "翠湖苑"]),
            ("2", "您的满意度", Rating, vec!["3", "4", "5"]),
        ]
    );
}

#[test]
fn qualtrics_numeric_values_seen_but_unanswered_and_two_header_rows() {
    let csv = "StartDate,EndDate,Status,IPAddress,Progress,Duration (in seconds),Finished,RecordedDate,ResponseId,Q1,Q2_1,Q2_2,Q3\n\
               Start Date,End Date,Response Type,IP Address,Progress,Duration (in seconds),Finished,Recorded Date,Response ID,满意度,改进 - 保洁,改进 - 绿化,建议\n\
               2026-05-12 10:31:05,2026-05-12 10:33:17,0,1.1.1.1,100,132,1,2026-05-12 10:33:18,R_1,5,1,,好\n\
               2026-05-12 11:31:05,2026-05-12 11:33:17,0,1.1.1.2,100,100,1,2026-05-12 11:33:18,R_2,-99,,1,-99\n\
               2026-05-12 12:31:05,2026-05-12 12:33:17,0,1.1.1.3,50,90,0,2026-05-12 12:33:18,R_3,4,1,1,\n";
    let e = read(csv, ExportFormat::Auto).unwrap();
    assert_eq!(e.format, ExportFormat::Qualtrics);
    assert_eq!(
        outline(&e),
        [
            ("Q1", "满意度", Rating, vec!["4", "5"]),
            ("Q2", "改进", Multiple, vec!["保洁", "绿化"]),
            ("Q3", "建议", Text, vec![]),
        ]
    );
    assert_eq!(column(&e, 0), [&Number(5.0), &Answer::None, &Number(4.0)]);
    assert_eq!(
        column(&e, 1),
        [&Choices(vec![0]), &Choices(vec![1]), &Choices(vec![0, 1])]
    );
    assert_eq!(column(&e, 2)[1], &Answer::None, "-99");
    let finished: Vec<Option<bool>> = e.responses.iter().map(|r| r.finished).collect();
    assert_eq!(finished, [Some(true), Some(true), Some(false)]);
    assert_eq!(e.responses[0].line, 3);
}

#[test]
fn surveymonkey_matrix_of_labels() {
    let csv = "Respondent ID,Collector ID,Start Date,End Date,IP Address,Email Address,First Name,Last Name,Custom Data 1,请评价以下服务,\n\
               ,,,,,,,,,保洁,绿化\n\
               1234567890123456789,1,05/12/2026 10:31:05 AM,05/12/2026 10:33:10 AM,,a@example.com,,,,满意,一般\n\
               1234567890123456790,1,05/12/2026 10:31:05 AM,05/12/2026 10:33:10 AM,,b@example.com,,,,满意,满意\n\
               1234567890123456791,1,05/12/2026 10:31:05 AM,05/12/2026 10:33:10 AM,,c@example.com,,,,一般,满意\n\
               1234567890123456792,1,05/12/2026 10:31:05 AM,05/12/2026 10:33:10 AM,,d@example.com,,,,满意,满意\n";
    let e = read(csv, ExportFormat::Auto).unwrap();
    assert_eq!(
        outline(&e),
        [
            ("1.1", "请评价以下服务 - 保洁", Single, vec!["满意", "一般"]),
            ("1.2", "请评价以下服务 - 绿化", Single, vec!["一般", "满意"]),
        ]
    );
    // A 19-digit Respondent ID stays as written; the e-mail names the respondent.
    assert_eq!(e.responses[0].id.as_deref(), Some("1234567890123456789"));
    assert_eq!(e.responses[0].respondent.as_deref(), Some("a@example.com"));
}

#[test]
fn limesurvey_comments_and_timings() {
    let csv = "id,submitdate,lastpage,startlanguage,seed,startdate,datestamp,Q1,Q1[comment],Q2[SQ001],Q2[SQ002],interviewtime,groupTime1,Q1Time\n\
               1,2026-05-12 10:33:10,1,zh-Hans,1,2026-05-12 10:31:05,2026-05-12 10:33:10,A1,很好,Y,,30,30,10\n\
               2,2026-05-12 10:33:10,1,zh-Hans,2,2026-05-12 10:31:05,2026-05-12 10:33:10,A2,,Y,Y,40,40,12\n\
               3,2026-05-12 10:33:10,1,zh-Hans,3,2026-05-12 10:31:05,2026-05-12 10:33:10,A1,,,Y,40,40,12\n\
               4,2026-05-12 10:33:10,1,zh-Hans,4,2026-05-12 10:31:05,2026-05-12 10:33:10,A1,,,,40,40,12\n";
    let e = read(csv, ExportFormat::Auto).unwrap();
    assert_eq!(
        outline(&e),
        [
            ("Q1", "", Single, vec!["A1", "A2"]),
            ("Q1[comment]", "", Text, vec![]),
            ("Q2", "", Multiple, vec!["SQ001", "SQ002"]),
        ]
    );
    assert_eq!(column(&e, 0)[1], &Choice(1));
    assert_eq!(e.responses[0].seconds, Some(30));
}

#[test]
fn plain_is_taken_only_when_asked_unless_every_header_is_numbered() {
    let csv = "您所在的小区,您的满意度\n锦绣花园,5\n锦绣花园,4\n";
    assert!(matches!(
        read(csv, ExportFormat::Auto),
        Err(SurveyReadError::UnknownLayout { .. })
    ));
    let e = read(csv, ExportFormat::Plain).unwrap();
    assert_eq!(
        outline(&e),
        [
            ("1", "您所在的小区", Single, vec!["锦绣花园"]),
            ("2", "您的满意度", Rating, vec!["4", "5"]),
        ]
    );
}

#[test]
fn value_warnings_are_capped_per_question() {
    let mut csv = String::from("1、建议\n");
    for i in 0..15 {
        csv.push_str(&format!("意见{i}\n"));
    }
    let e = read_with(&csv, ExportFormat::Auto, &[("1", QuestionKind::Numeric)]).unwrap();
    assert_eq!(e.warnings.len(), 11);
    assert_eq!(
        e.warnings[0],
        "line 2, column 1 (1、建议): `意见0` is not a number; question 1 is numeric — read as \
         not answered"
    );
    assert_eq!(
        e.warnings[10],
        "question 1: 5 more values like the above were read as not answered"
    );
}

#[test]
fn empty_and_utf16_files() {
    assert!(matches!(
        read("\n\n", ExportFormat::Auto),
        Err(SurveyReadError::Empty)
    ));
    let grid = grid::read_bytes(b"\xff\xfe1\x00", EncodingChoice::Auto);
    assert!(matches!(
        grid,
        Err(SurveyReadError::NotCsv(NotCsv::Utf16 {
            little_endian: true,
            bom: true
        }))
    ));
}

#[test]
fn a_gbk_file_reads_the_same_when_gbk_is_forced() {
    let text = "1、您所在的小区,2、其他建议\n锦绣花园,电梯慢\n锦绣花园,无\n";
    let (gbk, _, _) = encoding_rs::GBK.encode(text);
    let kinds = BTreeMap::new();
    for choice in [EncodingChoice::Auto, EncodingChoice::Gb18030] {
        let grid = grid::read_bytes(&gbk, choice).unwrap();
        let e = read_grid(grid, ExportFormat::Auto, &kinds).unwrap();
        assert_eq!(e.encoding, "GB18030");
        assert_eq!(e.questions[0].options, ["锦绣花园"]);
        assert_eq!(e.responses[0].answers[1], Answer::Text("电梯慢".to_owned()));
    }
}

#[test]
fn formats_are_named_in_the_config_in_kebab_case() {
    #[derive(serde::Deserialize)]
    struct Survey {
        format: ExportFormat,
        kinds: BTreeMap<String, QuestionKind>,
    }
    let s: Survey =
        toml::from_str("format = \"wjx-text\"\nkinds = { \"3\" = \"rating\" }").unwrap();
    assert_eq!(s.format, ExportFormat::WjxText);
    assert_eq!(s.kinds["3"], Rating);
    for format in ExportFormat::ALL {
        let key: ExportFormat = toml::Value::String(format.key().to_owned())
            .try_into()
            .unwrap();
        assert_eq!(key, format);
    }
}

#[test]
fn warnings_from_a_workbook_name_cells() {
    assert_eq!(
        super::in_sheet("line 7, column 5 (3、满意度): `很好吗` is not …"),
        "E7 (3、满意度): `很好吗` is not …"
    );
    assert_eq!(
        super::in_sheet("line 12: empty row skipped"),
        "row 12: empty row skipped"
    );
    assert_eq!(super::in_sheet("line 3, column 28 (x): y"), "AB3 (x): y");
    assert_eq!(super::in_sheet("no place"), "no place");
}
