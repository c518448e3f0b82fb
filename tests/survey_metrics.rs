//! A survey campaign's numbers, worked out by hand from tests/fixtures/survey_campaign
//! (a 问卷星 text export of 6 responses; issued 10; valid needs 30 s and a new IP):
//!
//! | # | time | IP | 小区 | 满意度 | 改进 (multiple) | 保洁 | 建议 |
//! |---|------|----|------|--------|-----------------|------|------|
//! | 1 | 45秒 | .1 | 翠湖花园 | 满意 | 保洁卫生┋停车管理 | 5 | 请回电13812345678 |
//! | 2 | 2分0秒 | .2 | 翠湖花园 | 非常满意 | 停车管理 | 4 | (空) |
//! | 3 | 20秒 (too fast) | .3 | 锦绣华庭 | 一般 | 保洁卫生 | 3 | (空) |
//! | 4 | 50秒 | .1 (duplicate of #1) | 锦绣华庭 | 不满意 | 维修及时性 | 2 | (空) |
//! | 5 | 1分5秒 | .5 | 锦绣华庭 | 满意 | 保洁卫生┋维修及时性 | (跳过) | 太慢了 |
//! | 6 | 40秒 | .6 | 翠湖花园 | 满意 | 其他〖快递柜〗 | 5 | (空) |
//!
//! Valid: #1 #2 #5 #6.

use crate::util;

use huifang::survey::metrics::{QuestionMetrics, SurveyReport};

fn report() -> SurveyReport {
    let project =
        huifang::config::Project::load(&util::fixture("survey_campaign").join("huifang.toml"))
            .unwrap();
    let mut reports = huifang::survey::reports(&project).unwrap().reports;
    assert_eq!(reports.len(), 1);
    reports.remove(0)
}

fn counts(q: &QuestionMetrics) -> Vec<(&str, u64, Option<f64>)> {
    q.options
        .iter()
        .map(|o| (o.label.as_str(), o.count, o.share))
        .collect()
}

#[test]
fn validity_and_response_rate() {
    let r = report();
    assert_eq!((r.responses, r.valid, r.issued), (6, 4, Some(10)));
    assert_eq!(
        (
            r.invalid.too_fast,
            r.invalid.duplicate,
            r.invalid.blank,
            r.invalid.incomplete
        ),
        (1, 1, 0, 0)
    );
    assert_eq!(r.response_rate, Some(0.4));
}

#[test]
fn single_choice_shares_and_scale_order() {
    let r = report();
    let q1 = &r.questions[0];
    assert_eq!(q1.answered, 4);
    assert_eq!(
        counts(q1),
        [("翠湖花园", 3, Some(0.75)), ("锦绣华庭", 1, Some(0.25))]
    );
    assert_eq!(q1.most_chosen.as_ref().unwrap().label, "翠湖花园");
    assert_eq!(q1.least_chosen.as_ref().unwrap().label, "锦绣华庭");
    // Satisfaction options in scale order, not first-seen order; 一般 and 不满意 were chosen
    // only by invalid responses, so they count 0 here.
    let q2 = &r.questions[1];
    assert_eq!(
        counts(q2),
        [
            ("非常满意", 1, Some(0.25)),
            ("满意", 3, Some(0.75)),
            ("一般", 0, Some(0.0)),
            ("不满意", 0, Some(0.0))
        ]
    );
    assert_eq!(q2.most_chosen.as_ref().unwrap().label, "满意");
    assert_eq!(
        q2.least_chosen.as_ref().unwrap().label,
        "一般",
        "ties go to the option listed first"
    );
}

#[test]
fn multiple_choice_shares_can_sum_past_one() {
    let q3 = &report().questions[2];
    assert_eq!(q3.answered, 4);
    assert_eq!(
        counts(q3),
        [
            ("保洁卫生", 2, Some(0.5)),
            ("停车管理", 2, Some(0.5)),
            ("维修及时性", 1, Some(0.25)),
            ("其他", 1, Some(0.25))
        ]
    );
    let total: f64 = q3.options.iter().filter_map(|o| o.share).sum();
    assert_eq!(total, 1.5);
    assert_eq!(q3.texts, ["快递柜"], "the 其他 fill-in is kept as text");
}

#[test]
fn rating_mean_skips_not_an_answer() {
    let q4 = &report().questions[3];
    // (5 + 4 + 5) / 3: #5 skipped.
    assert_eq!((q4.answered, q4.mean), (3, Some(14.0 / 3.0)));
    let five = q4.options.iter().find(|o| o.label == "5").unwrap();
    assert_eq!(five.count, 2);
}

#[test]
fn free_text_is_masked() {
    let q5 = &report().questions[4];
    assert_eq!(q5.texts, ["请回电138****5678", "太慢了"]);
    assert!(q5.options.is_empty());
}

#[test]
fn crosstab_by_the_grouping_question() {
    let r = report();
    assert_eq!(r.group_by.as_deref(), Some("您居住的小区"));
    let x = r.questions[1].crosstab.as_ref().unwrap();
    assert_eq!(x.groups, ["翠湖花园", "锦绣华庭"]);
    assert_eq!(x.answered, [3, 1]);
    // rows in scale order: 非常满意 (#2), 满意 (#1 #6 | #5), 一般, 不满意
    assert_eq!(x.counts, [vec![1, 0], vec![2, 1], vec![0, 0], vec![0, 0]]);
}

/// The campaign feeds question 2 into 客服部's satisfaction: the four valid answers
/// (满意 #1, 非常满意 #2, 满意 #5, 满意 #6, all on 2026-05-06) become 客服部's ratings in
/// 2026-05, without adding visits.
#[test]
fn a_fed_question_counts_in_department_satisfaction() {
    let project =
        huifang::config::Project::load(&util::fixture("survey_campaign").join("huifang.toml"))
            .unwrap();
    let ratings = huifang::survey::reports(&project).unwrap().ratings;
    assert_eq!(ratings.len(), 4);
    assert!(
        ratings
            .iter()
            .all(|r| r.department == "客服部" && r.date == util::ymd(2026, 5, 6))
    );

    let (reports, _) = util::reports("survey_campaign");
    let may = util::find(&reports, "2026-05");
    let departments = may.departments.list();
    let service = (departments.iter())
        .find(|d| d.entity.name == "客服部")
        .unwrap();
    let levels: Vec<u64> = service
        .metrics
        .satisfaction
        .levels
        .iter()
        .map(|l| l.count)
        .collect();
    assert_eq!(levels, [1, 3, 0, 0, 0]);
    assert_eq!(
        (
            service.metrics.satisfaction.satisfied_rate,
            service.metrics.visits.total
        ),
        (Some(1.0), 0)
    );
    assert_eq!(
        may.overall.satisfaction.responses, 4,
        "the one visit in May gave no rating"
    );
}

/// A SurveyMonkey "Contact information" group (Name, Email Address, Phone Number) is
/// personal: each question counts its answers and lists none. By hand from
/// tests/fixtures/surveys/surveymonkey/contact.csv: Name answered by rows 1, 2 and 4 (3),
/// Email by rows 1 and 2 (2), Phone by rows 1, 2 and 4 (3); the rating and the opinions stay.
#[test]
fn a_contact_information_group_is_counted_never_listed() {
    let path = util::fixture("surveys/surveymonkey/contact.csv");
    let export = huifang::survey::read::read_export(
        &path,
        huifang::config::EncodingChoice::Auto,
        huifang::survey::read::ExportFormat::Auto,
        &Default::default(),
    )
    .unwrap();
    let campaign: huifang::config::SurveyCampaign =
        toml::from_str("name = \"c\"\nfiles = [\"contact.csv\"]\n").unwrap();
    let r = huifang::survey::metrics::report(&campaign, "c".into(), &[export]);
    let by_text = |t: &str| r.questions.iter().find(|q| q.text.ends_with(t)).unwrap();
    for (title, answered) in [("Name", 3), ("Email Address", 2), ("Phone Number", 3)] {
        let q = by_text(title);
        assert!(q.personal, "{title}");
        assert_eq!(q.answered, answered, "{title}");
        assert!(q.options.is_empty() && q.texts.is_empty(), "{title}");
    }
    assert!(!by_text("总体满意度(1-5分)").personal);
    assert_eq!(by_text("其他意见或建议").texts, ["服务很好", "电梯太慢"]);
    let json = serde_json::to_string(&r).unwrap();
    for value in [
        "Alice",
        "Smith",
        "陈静",
        "Bob",
        "alice.smith",
        "chenjing",
        "13812345678",
        "1234 5678",
        "83331234",
    ] {
        assert!(!json.contains(value), "{value}");
    }
}
