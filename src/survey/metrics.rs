//! The numbers of a survey campaign (DOMAIN.md, "Survey exports"): responses, valid ones and
//! the response rate; per question the answers, each option's count and share of those who
//! answered, the mean of ratings, the most and least chosen options, a cross-tab by the
//! grouping question, and free text with personal data masked.

use super::read::{Answer, Question, QuestionKind, Response, SurveyExport};
use crate::config::{SurveyCampaign, Validity};
use crate::metrics::values::{four_decimals, rate};
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};

/// Free-text answers published per question; the count of the rest is given.
pub const TEXTS_SHOWN: usize = 50;

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Invalid {
    /// Rows with no answer at all.
    pub blank: u64,
    /// Faster than `validity.min_seconds`.
    pub too_fast: u64,
    /// Not finished (as the tool records it) or a required question left unanswered.
    pub incomplete: u64,
    /// The same respondent (or duplicate-key answer) as an earlier row.
    pub duplicate: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OptionCount {
    pub label: String,
    pub count: u64,
    /// Of those who answered the question; multiple-choice shares can sum past 100%.
    #[serde(serialize_with = "four_decimals")]
    pub share: Option<f64>,
}

/// One item of a ranking question.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ItemRank {
    pub label: String,
    /// Valid responses that gave the item a place.
    pub ranked: u64,
    /// Its mean place, 1 being first.
    #[serde(serialize_with = "four_decimals")]
    pub mean_rank: Option<f64>,
    /// Responses that put it first.
    pub first: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CrossTab {
    /// The grouping question's options (columns).
    pub groups: Vec<String>,
    /// For each option of this question (rows), its count in each group.
    pub counts: Vec<Vec<u64>>,
    /// Respondents answering both questions, per group.
    pub answered: Vec<u64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct QuestionMetrics {
    pub number: String,
    pub text: String,
    pub kind: QuestionKind,
    /// Valid responses that answered the question.
    pub answered: u64,
    pub options: Vec<OptionCount>,
    /// Mean answer of a rating or numeric question.
    #[serde(serialize_with = "four_decimals")]
    pub mean: Option<f64>,
    pub most_chosen: Option<OptionCount>,
    pub least_chosen: Option<OptionCount>,
    pub crosstab: Option<CrossTab>,
    /// A ranking's items in option order, with their mean place and first places (its
    /// `options` count first places).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ranks: Vec<ItemRank>,
    /// Free-text answers (and "other" fill-ins), masked, at most [`TEXTS_SHOWN`].
    pub texts: Vec<String>,
    pub texts_total: u64,
    /// The question asks for or is answered with personal data (names, phones, ids): its
    /// answers are counted, never listed; `options` and `texts` are empty.
    pub personal: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SurveyReport {
    pub name: String,
    pub slug: String,
    pub formats: Vec<String>,
    pub issued: Option<u64>,
    pub responses: u64,
    pub valid: u64,
    pub invalid: Invalid,
    /// `valid / issued`.
    #[serde(serialize_with = "four_decimals")]
    pub response_rate: Option<f64>,
    pub first_submitted: Option<chrono::NaiveDate>,
    pub last_submitted: Option<chrono::NaiveDate>,
    /// The report the campaign belongs to, when the config names one.
    pub period: Option<String>,
    pub group_by: Option<String>,
    pub questions: Vec<QuestionMetrics>,
}

/// Applies the validity rules in file order: blank, too fast, incomplete, then duplicate
/// (the first of duplicates stays valid).
pub fn valid_responses<'a>(
    export: &'a SurveyExport,
    rules: &Validity,
    invalid: &mut Invalid,
    seen: &mut HashSet<String>,
) -> Vec<&'a Response> {
    let index_of = |number: &str| export.questions.iter().position(|q| q.number == number);
    let required: Vec<usize> = rules.required.iter().filter_map(|n| index_of(n)).collect();
    let key_question = rules
        .duplicate_key
        .as_deref()
        .filter(|k| *k != "respondent")
        .and_then(index_of);
    export
        .responses
        .iter()
        .filter(|r| {
            if r.answers.iter().all(|a| matches!(a, Answer::None)) {
                invalid.blank += 1;
                return false;
            }
            if let (Some(min), Some(seconds)) = (rules.min_seconds, r.seconds)
                && seconds < min
            {
                invalid.too_fast += 1;
                return false;
            }
            // Qualtrics and LimeSurvey say whether the respondent reached the end.
            if r.finished == Some(false)
                || required
                    .iter()
                    .any(|&q| matches!(r.answers.get(q), None | Some(Answer::None)))
            {
                invalid.incomplete += 1;
                return false;
            }
            let key = match (rules.duplicate_key.as_deref(), key_question) {
                (Some("respondent"), _) => r.respondent.clone(),
                (_, Some(q)) => answer_key(export, q, r),
                _ => None,
            };
            if let Some(key) = key
                && !seen.insert(key)
            {
                invalid.duplicate += 1;
                return false;
            }
            true
        })
        .collect()
}

fn answer_key(export: &SurveyExport, q: usize, r: &Response) -> Option<String> {
    let question = &export.questions[q];
    match r.answers.get(q)? {
        Answer::None => None,
        Answer::Choice(i) => question.options.get(*i).cloned(),
        Answer::Number(n) => Some(n.to_string()),
        Answer::Text(t) => Some(t.clone()),
        Answer::Choices(list) | Answer::Ranking(list) => Some(format!("{list:?}")),
    }
}

/// The options a response chose for a question (indexes). A rating given as a number counts
/// for the option that reads as that number; a ranking for the item put first, so a
/// ranking's option counts (and its most and least chosen) are first places.
fn chosen(question: &Question, answer: &Answer) -> Vec<usize> {
    match answer {
        Answer::Choice(i) => vec![*i],
        Answer::Choices(list) => list.clone(),
        Answer::Ranking(list) => list.first().copied().into_iter().collect(),
        Answer::Number(n) => question
            .options
            .iter()
            .position(|o| o.trim().parse::<f64>().ok() == Some(*n))
            .into_iter()
            .collect(),
        _ => Vec::new(),
    }
}

fn numeric(question: &Question, answer: &Answer) -> Option<f64> {
    match answer {
        Answer::Number(n) => Some(*n),
        Answer::Choice(i) => question.options.get(*i)?.trim().parse().ok(),
        _ => None,
    }
}

/// The report of one campaign over all its exports (which must ask the same questions; the
/// first export's questions are used and later exports are matched by question number).
pub fn report(campaign: &SurveyCampaign, slug: String, exports: &[SurveyExport]) -> SurveyReport {
    let mut invalid = Invalid::default();
    let mut seen = HashSet::new();
    let Some(first) = exports.first() else {
        return SurveyReport {
            name: campaign.name.clone(),
            slug,
            formats: Vec::new(),
            issued: campaign.issued,
            responses: 0,
            valid: 0,
            invalid,
            response_rate: campaign.issued.and_then(|i| rate(0, i)),
            first_submitted: None,
            last_submitted: None,
            period: campaign.period.clone(),
            group_by: None,
            questions: Vec::new(),
        };
    };
    // (export, response) pairs that count, with each export's question order mapped onto the first's.
    let mut valid: Vec<(usize, &Response)> = Vec::new();
    for (e, export) in exports.iter().enumerate() {
        valid.extend(
            valid_responses(export, &campaign.validity, &mut invalid, &mut seen)
                .into_iter()
                .map(|r| (e, r)),
        );
    }
    let position =
        |e: usize, number: &str| exports[e].questions.iter().position(|q| q.number == number);
    let answer_of = |e: usize, r: &'_ Response, number: &str| -> Option<Answer> {
        let q = position(e, number)?;
        r.answers.get(q).cloned()
    };
    let group = campaign
        .group_by
        .as_deref()
        .and_then(|n| {
            first
                .questions
                .iter()
                .find(|q| q.number == n || q.text == n)
        })
        .filter(|q| matches!(q.kind, QuestionKind::Single | QuestionKind::Rating))
        .filter(|q| !is_personal(campaign, q, &[]));

    let questions = first
        .questions
        .iter()
        .map(|question| {
            let answers: Vec<(usize, &Response, Answer)> = valid
                .iter()
                .filter_map(|&(e, r)| Some((e, r, answer_of(e, r, &question.number)?)))
                .filter(|(_, _, a)| !matches!(a, Answer::None))
                .collect();
            let answered = answers.len() as u64;
            let mut counts = vec![0u64; question.options.len()];
            for (_, _, a) in &answers {
                for i in chosen(question, a) {
                    if let Some(c) = counts.get_mut(i) {
                        *c += 1;
                    }
                }
            }
            let options: Vec<OptionCount> = question
                .options
                .iter()
                .zip(&counts)
                .map(|(label, &count)| OptionCount {
                    label: crate::privacy::label(label).into_owned(),
                    count,
                    share: rate(count, answered),
                })
                .collect();
            let values: Vec<f64> = answers
                .iter()
                .filter_map(|(_, _, a)| numeric(question, a))
                .collect();
            let mean = matches!(question.kind, QuestionKind::Rating | QuestionKind::Numeric)
                .then(|| {
                    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
                })
                .flatten();
            let ranks = if question.kind == QuestionKind::Ranking {
                item_ranks(question, answers.iter().map(|(_, _, a)| a))
            } else {
                Vec::new()
            };
            let choice = !matches!(question.kind, QuestionKind::Text | QuestionKind::Numeric);
            // Ties go to the option listed first, as a questionnaire reads.
            let most_chosen = choice
                .then(|| {
                    options
                        .iter()
                        .max_by(|a, b| a.count.cmp(&b.count).then(std::cmp::Ordering::Greater))
                        .cloned()
                })
                .flatten();
            let least_chosen = choice
                .then(|| {
                    options
                        .iter()
                        .min_by(|a, b| a.count.cmp(&b.count).then(std::cmp::Ordering::Less))
                        .cloned()
                })
                .flatten();
            let written: Vec<&str> = answers
                .iter()
                .filter_map(|(e, r, a)| match a {
                    Answer::Text(t) if question.kind == QuestionKind::Text => Some(t.as_str()),
                    _ => {
                        let q = position(*e, &question.number)?;
                        r.other_text.get(q)?.as_deref()
                    }
                })
                .collect();
            let texts_total = written.len() as u64;
            let personal = is_personal(campaign, question, &written);
            let texts: Vec<String> = written
                .iter()
                .take(if personal { 0 } else { TEXTS_SHOWN })
                .map(|t| crate::privacy::mask(t))
                .collect();
            let crosstab = group
                .filter(|g| g.number != question.number && choice)
                .map(|g| {
                    let mut counts = vec![vec![0u64; g.options.len()]; question.options.len()];
                    let mut per_group = vec![0u64; g.options.len()];
                    for (e, r, a) in &answers {
                        let Some(Answer::Choice(gi)) = answer_of(*e, r, &g.number) else {
                            continue;
                        };
                        if gi >= g.options.len() {
                            continue;
                        }
                        per_group[gi] += 1;
                        for i in chosen(question, a) {
                            if let Some(row) = counts.get_mut(i) {
                                row[gi] += 1;
                            }
                        }
                    }
                    CrossTab {
                        groups: g
                            .options
                            .iter()
                            .map(|o| crate::privacy::label(o).into_owned())
                            .collect(),
                        counts,
                        answered: per_group,
                    }
                });
            let listed = choice && !personal;
            QuestionMetrics {
                number: question.number.clone(),
                text: question_text(&question.text),
                kind: question.kind,
                answered,
                options: if listed { options } else { Vec::new() },
                mean,
                most_chosen: most_chosen.filter(|_| listed),
                least_chosen: least_chosen.filter(|_| listed),
                crosstab: crosstab.filter(|_| listed),
                ranks: if listed { ranks } else { Vec::new() },
                texts,
                texts_total,
                personal,
            }
        })
        .collect();

    let dates: Vec<chrono::NaiveDate> = valid
        .iter()
        .filter_map(|(_, r)| r.submitted.map(|d| d.date()))
        .collect();
    let mut formats: Vec<String> = exports.iter().map(|e| format!("{:?}", e.format)).collect();
    formats.dedup();
    let responses: u64 = exports.iter().map(|e| e.responses.len() as u64).sum();
    SurveyReport {
        name: campaign.name.clone(),
        slug,
        formats,
        issued: campaign.issued,
        responses,
        valid: valid.len() as u64,
        invalid,
        response_rate: campaign.issued.and_then(|i| rate(valid.len() as u64, i)),
        first_submitted: dates.iter().min().copied(),
        last_submitted: dates.iter().max().copied(),
        period: campaign.period.clone(),
        group_by: group.map(|g| question_text(&g.text)),
        questions,
    }
}

/// A question's text as published: each line as a label (hidden characters dropped,
/// personal data masked), the line breaks its markup made kept.
fn question_text(text: &str) -> String {
    text.lines()
        .map(|line| crate::privacy::label(line))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Per item of a ranking: how many placed it, its mean place and its first places.
fn item_ranks<'a>(question: &Question, answers: impl Iterator<Item = &'a Answer>) -> Vec<ItemRank> {
    let n = question.options.len();
    let (mut ranked, mut places, mut first) = (vec![0u64; n], vec![0u64; n], vec![0u64; n]);
    for answer in answers {
        let Answer::Ranking(order) = answer else {
            continue;
        };
        for (place, &item) in order.iter().enumerate() {
            if item < n {
                ranked[item] += 1;
                places[item] += place as u64 + 1;
                first[item] += u64::from(place == 0);
            }
        }
    }
    question
        .options
        .iter()
        .enumerate()
        .map(|(i, label)| ItemRank {
            label: crate::privacy::label(label).into_owned(),
            ranked: ranked[i],
            mean_rank: (ranked[i] > 0).then(|| places[i] as f64 / ranked[i] as f64),
            first: first[i],
        })
        .collect()
}

/// Whether a question's answers are personal (see [`crate::privacy::questions`]): the
/// campaign's `private` and `public` lists first, then its title, options and `written`
/// answers.
fn is_personal(campaign: &SurveyCampaign, question: &Question, texts: &[&str]) -> bool {
    let named = |list: &[String]| list.contains(&question.number);
    if named(&campaign.private) {
        return true;
    }
    if named(&campaign.public) {
        return false;
    }
    use crate::privacy::questions::{answers_look_personal, title_is_personal};
    let choices = question.options.iter().map(String::as_str);
    // A choice or rating question's options are the author's words: its title may name a
    // phone line or an address without asking for one.
    let written = matches!(question.kind, QuestionKind::Text | QuestionKind::Numeric);
    (written && title_is_personal(&question.text))
        || answers_look_personal(choices)
        || answers_look_personal(texts.iter().copied())
}

/// Per campaign, the exports read and the problems met, for the build to report.
pub type Exports = BTreeMap<String, Vec<SurveyExport>>;

impl SurveyReport {
    /// Whether the campaign belongs in a report: the one its config names, else every report
    /// its answers fall in.
    pub fn belongs_to(&self, report: &crate::metrics::PeriodInfo) -> bool {
        match (&self.period, self.first_submitted, self.last_submitted) {
            (Some(id), _, _) => *id == report.id,
            (None, Some(first), Some(last)) => first <= report.end && report.start <= last,
            _ => false,
        }
    }
}
