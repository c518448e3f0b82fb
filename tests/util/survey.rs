//! Reading survey export fixtures (`tests/fixtures/surveys/<format>/`) and looking at what
//! was read, for the survey reader tests.

use chrono::{NaiveDate, NaiveDateTime};
use huifang::config::EncodingChoice;
use huifang::survey::read::{
    Answer, ExportFormat, QuestionKind, SurveyExport, SurveyReadError, read_export,
};
use std::collections::BTreeMap;
use std::path::PathBuf;

pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/surveys")
        .join(name)
}

pub fn read_as(
    name: &str,
    format: ExportFormat,
    kinds: &[(&str, QuestionKind)],
) -> Result<SurveyExport, SurveyReadError> {
    let kinds: BTreeMap<String, QuestionKind> =
        kinds.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect();
    read_export(&fixture(name), EncodingChoice::Auto, format, &kinds)
}

pub fn read(name: &str) -> SurveyExport {
    read_as(name, ExportFormat::Auto, &[]).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// (number, text, kind, options) of every question.
pub fn outline(e: &SurveyExport) -> Vec<(&str, &str, QuestionKind, Vec<&str>)> {
    e.questions
        .iter()
        .map(|q| {
            let options = q.options.iter().map(String::as_str).collect();
            (q.number.as_str(), q.text.as_str(), q.kind, options)
        })
        .collect()
}

pub fn index(e: &SurveyExport, number: &str) -> usize {
    e.questions
        .iter()
        .position(|q| q.number == number)
        .unwrap_or_else(|| panic!("no question {number}"))
}

pub fn answers<'e>(e: &'e SurveyExport, number: &str) -> Vec<&'e Answer> {
    let i = index(e, number);
    e.responses.iter().map(|r| &r.answers[i]).collect()
}

pub fn answered(e: &SurveyExport, number: &str) -> usize {
    answers(e, number)
        .iter()
        .filter(|a| a.is_answered())
        .count()
}

/// How many responses chose each option (ratings: gave each score), in option order.
pub fn counts(e: &SurveyExport, number: &str) -> Vec<usize> {
    let q = &e.questions[index(e, number)];
    let mut counts = vec![0; q.options.len()];
    for answer in answers(e, number) {
        match answer {
            Answer::Number(score) => counts[q.rating_option(*score).expect("a listed score")] += 1,
            other => {
                for &i in other.chosen() {
                    counts[i] += 1;
                }
            }
        }
    }
    counts
}

pub fn mean(e: &SurveyExport, number: &str) -> f64 {
    let scores: Vec<f64> = answers(e, number)
        .iter()
        .filter_map(|a| match a {
            Answer::Number(n) => Some(*n),
            _ => None,
        })
        .collect();
    scores.iter().sum::<f64>() / scores.len() as f64
}

pub fn other_texts<'e>(e: &'e SurveyExport, number: &str) -> Vec<Option<&'e str>> {
    let i = index(e, number);
    e.responses
        .iter()
        .map(|r| r.other_text[i].as_deref())
        .collect()
}

pub fn seconds(e: &SurveyExport) -> Vec<Option<u32>> {
    e.responses.iter().map(|r| r.seconds).collect()
}

pub fn respondents(e: &SurveyExport) -> Vec<Option<&str>> {
    e.responses
        .iter()
        .map(|r| r.respondent.as_deref())
        .collect()
}

pub fn ids(e: &SurveyExport) -> Vec<&str> {
    e.responses
        .iter()
        .map(|r| r.id.as_deref().unwrap_or("-"))
        .collect()
}

pub fn lines(e: &SurveyExport) -> Vec<u64> {
    e.responses.iter().map(|r| r.line).collect()
}

pub fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> Option<NaiveDateTime> {
    NaiveDate::from_ymd_opt(y, mo, d).and_then(|d| d.and_hms_opt(h, mi, s))
}

/// The report of a campaign over `exports`; `settings` adds to a bare campaign's TOML (such
/// as `[validity]` lines).
pub fn report_of(
    exports: Vec<SurveyExport>,
    settings: &str,
) -> huifang::survey::metrics::SurveyReport {
    let campaign: huifang::config::SurveyCampaign = toml::from_str(&format!(
        "name = \"c\"\nfiles = [\"export.csv\"]\n{settings}"
    ))
    .unwrap();
    huifang::survey::metrics::report(&campaign, "c".into(), &exports)
}

/// A ranking's items as (ranked by, mean place, first places).
pub fn item_ranks(q: &huifang::survey::metrics::QuestionMetrics) -> Vec<(u64, Option<f64>, u64)> {
    q.ranks
        .iter()
        .map(|r| (r.ranked, r.mean_rank, r.first))
        .collect()
}

/// How many responses chose `option` of question `number` (a ranking: put it first).
pub fn option_count(e: &SurveyExport, number: &str, option: &str) -> usize {
    let q = e
        .questions
        .iter()
        .position(|q| q.number == number)
        .unwrap_or_else(|| panic!("no question {number}"));
    let question = &e.questions[q];
    let o = question
        .options
        .iter()
        .position(|o| o == option)
        .unwrap_or_else(|| {
            panic!(
                "question {number} has no option {option:?}: {:?}",
                question.options
            )
        });
    e.responses
        .iter()
        .filter(|r| match &r.answers[q] {
            Answer::Number(n) => question.rating_option(*n) == Some(o),
            Answer::Ranking(order) => order.first() == Some(&o),
            other => other.chosen().contains(&o),
        })
        .count()
}
