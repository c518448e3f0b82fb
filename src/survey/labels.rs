//! Choice texts for exports downloaded as codes: a campaign's `labels` table renames the code
//! options of the questions it names (`"1"` → `"Apple"`), before the options are put in scale
//! order, so a mapped number download reads like the text download.
//!
//! - A code the table does not name stays the code, and one warning per question names the
//!   codes missing; a code nobody chose that the table does not name is left out (问卷星's
//!   number download lists every index up to the highest chosen).
//! - Codes given the same text become one option whose count is the sum of theirs (a
//!   respondent who chose both in a multiple choice counts once; in a ranking the better
//!   place is kept).
//! - A question read as a rating (scores 1–5 that are really codes) becomes a single choice.
//! - A table for a question number the export does not have is a warning naming the numbers
//!   it has; a table for a question read as a number or text is a warning too.
//! - Questions whose codes are all named leave the "choice codes" warning of the reader.

use crate::survey::read::{Answer, QuestionKind, SurveyExport, bare_number, codes_hint};
use std::collections::{BTreeMap, BTreeSet};

/// By question number, then by code: the choice text.
pub type Labels = BTreeMap<String, BTreeMap<String, String>>;

/// Question numbers listed in the warning for a table naming no question of the export.
const NUMBERS_SHOWN: usize = 30;

/// Renames the options of every question `labels` names; returns the warnings.
pub fn apply(export: &mut SurveyExport, labels: &Labels) -> Vec<String> {
    let mut warnings = Vec::new();
    if labels.is_empty() {
        return warnings;
    }
    let mut used = BTreeSet::new();
    let mut all_named = BTreeSet::new();
    for q in 0..export.questions.len() {
        let question = &export.questions[q];
        let Some((key, table)) = table_for(labels, &question.number, question.group.as_deref())
        else {
            continue;
        };
        used.insert(key.to_owned());
        let number = question.number.clone();
        match question.kind {
            QuestionKind::Single | QuestionKind::Multiple | QuestionKind::Ranking => {}
            // Scores that are codes: the table says what each one means.
            QuestionKind::Rating => rating_as_choice(export, q),
            QuestionKind::Numeric | QuestionKind::Text => {
                warnings.push(format!(
                    "question {number}: read as {}, so its `labels` are not used; set its kind \
                     to \"single\" in the campaign's `kinds` to show its answers as choices",
                    question.kind.name()
                ));
                continue;
            }
        }
        let missing = relabel(export, q, table);
        if missing.is_empty() {
            all_named.insert(number);
        } else {
            let (codes, shown) = if missing.len() == 1 {
                ("code", "it is shown as a code")
            } else {
                ("codes", "they are shown as codes")
            };
            warnings.push(format!(
                "question {number}: the campaign's `labels` give no text for {codes} {}, so \
                 {shown}",
                missing.join(", ")
            ));
        }
    }
    for key in labels.keys().filter(|k| !used.contains(*k)) {
        warnings.push(format!(
            "the campaign's `labels` name question `{key}`, but the export has no question \
             numbered so; its questions are {}",
            numbers(export)
        ));
    }
    drop_from_codes_hint(export, &all_named);
    warnings
}

/// The table for a question: by its number, else its matrix group's; each first as written,
/// then without a leading `Q` (`"2"` reaches `Q2`), as `kinds` is matched.
fn table_for<'a>(
    labels: &'a Labels,
    number: &str,
    group: Option<&str>,
) -> Option<(&'a str, &'a BTreeMap<String, String>)> {
    std::iter::once(number).chain(group).find_map(|n| {
        labels
            .iter()
            .find(|(k, _)| *k == n)
            .or_else(|| {
                labels
                    .iter()
                    .find(|(k, _)| bare_number(k) == bare_number(n))
            })
            .map(|(k, table)| (k.as_str(), table))
    })
}

/// A rating question's scores become the options of a single choice (its options are already
/// the distinct scores).
fn rating_as_choice(export: &mut SurveyExport, q: usize) {
    export.questions[q].kind = QuestionKind::Single;
    let question = &export.questions[q];
    for response in &mut export.responses {
        if let Some(answer) = response.answers.get_mut(q)
            && let Answer::Number(score) = answer
        {
            *answer = question
                .rating_option(*score)
                .map_or(Answer::None, Answer::Choice);
        }
    }
}

/// Renames question `q`'s options by `table`, merging options that get the same text and
/// leaving out unnamed options nobody chose. Returns the chosen codes the table lacks.
fn relabel(export: &mut SurveyExport, q: usize, table: &BTreeMap<String, String>) -> Vec<String> {
    let old = &export.questions[q].options;
    let mut chosen = vec![false; old.len()];
    for response in &export.responses {
        let picked: &[usize] = match response.answers.get(q) {
            Some(Answer::Ranking(list)) => list,
            Some(answer) => answer.chosen(),
            None => &[],
        };
        for &i in picked {
            if let Some(c) = chosen.get_mut(i) {
                *c = true;
            }
        }
    }
    let mut options: Vec<String> = Vec::new();
    let mut new_index: Vec<Option<usize>> = Vec::with_capacity(old.len());
    let mut missing = Vec::new();
    for (i, code) in old.iter().enumerate() {
        let label = match table.get(code) {
            Some(label) => label,
            None if chosen[i] => {
                missing.push(code.clone());
                code
            }
            None => {
                new_index.push(None);
                continue;
            }
        };
        let index = options.iter().position(|o| o == label).unwrap_or_else(|| {
            options.push(label.clone());
            options.len() - 1
        });
        new_index.push(Some(index));
    }
    export.questions[q].options = options;
    // Every chosen option has a new index; `None` only for options nobody chose.
    let renumber = |i: usize| new_index.get(i).copied().flatten().unwrap_or(i);
    for response in &mut export.responses {
        match response.answers.get_mut(q) {
            Some(Answer::Choice(i)) => *i = renumber(*i),
            Some(Answer::Choices(list)) => {
                list.iter_mut().for_each(|i| *i = renumber(*i));
                list.sort_unstable();
                list.dedup();
            }
            Some(Answer::Ranking(list)) => {
                let mut seen = BTreeSet::new();
                *list = list
                    .iter()
                    .map(|&i| renumber(i))
                    .filter(|&i| seen.insert(i))
                    .collect();
            }
            _ => {}
        }
    }
    missing
}

/// The export's question numbers as a config names them: a matrix by its group's number.
fn numbers(export: &SurveyExport) -> String {
    let mut seen = BTreeSet::new();
    let numbers: Vec<&str> = export
        .questions
        .iter()
        .map(|q| q.group.as_deref().unwrap_or(&q.number))
        .filter(|n| seen.insert(*n))
        .collect();
    let mut list = numbers
        .iter()
        .take(NUMBERS_SHOWN)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if numbers.len() > NUMBERS_SHOWN {
        list.push_str(&format!(" and {} more", numbers.len() - NUMBERS_SHOWN));
    }
    list
}

/// The reader's warning naming the questions answered in codes, without those whose codes the
/// table now names all (gone when none is left).
fn drop_from_codes_hint(export: &mut SurveyExport, all_named: &BTreeSet<String>) {
    if !export.coded.iter().any(|n| all_named.contains(n)) {
        return;
    }
    let before = codes_hint(&export.coded);
    export.coded.retain(|n| !all_named.contains(n));
    let after = codes_hint(&export.coded);
    if let Some(at) = export
        .warnings
        .iter()
        .position(|w| Some(w) == before.as_ref())
    {
        match after {
            Some(hint) => export.warnings[at] = hint,
            None => {
                export.warnings.remove(at);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::read::{ExportFormat, Question, Response};

    fn export(kind: QuestionKind, answers: Vec<Answer>) -> SurveyExport {
        let responses = answers
            .into_iter()
            .enumerate()
            .map(|(i, answer)| Response {
                line: i as u64 + 2,
                id: None,
                submitted: None,
                seconds: None,
                respondent: None,
                finished: None,
                answers: vec![answer],
                other_text: vec![None],
            })
            .collect();
        SurveyExport {
            format: ExportFormat::Plain,
            encoding: "UTF-8",
            sheet: None,
            rows_read: 3,
            rejected: 0,
            questions: vec![Question {
                number: "Q1".into(),
                group: None,
                text: String::new(),
                kind,
                options: ["1", "2", "3"].map(String::from).to_vec(),
            }],
            responses,
            coded: Vec::new(),
            warnings: Vec::new(),
        }
    }

    fn table() -> Labels {
        let codes = [("1", "报修"), ("2", "投诉"), ("3", "报修")];
        let codes = codes.map(|(c, l)| (c.to_owned(), l.to_owned())).into();
        [("Q1".to_owned(), codes)].into()
    }

    fn answers(e: &SurveyExport) -> Vec<&Answer> {
        e.responses.iter().map(|r| &r.answers[0]).collect()
    }

    #[test]
    fn codes_with_one_text_are_one_option_chosen_once() {
        // Codes 1 and 3 are both 报修: a respondent who ticked both chose 报修 once.
        let mut e = export(
            QuestionKind::Multiple,
            vec![
                Answer::Choices(vec![0, 2]),
                Answer::Choices(vec![1, 2]),
                Answer::None,
            ],
        );
        assert!(apply(&mut e, &table()).is_empty());
        assert_eq!(e.questions[0].options, ["报修", "投诉"]);
        assert_eq!(
            answers(&e),
            [
                &Answer::Choices(vec![0]),
                &Answer::Choices(vec![0, 1]),
                &Answer::None
            ]
        );
    }

    #[test]
    fn a_merged_item_keeps_its_better_place() {
        let mut e = export(
            QuestionKind::Ranking,
            vec![
                Answer::Ranking(vec![2, 1, 0]),
                Answer::Ranking(vec![1, 0, 2]),
            ],
        );
        assert!(apply(&mut e, &table()).is_empty());
        assert_eq!(
            answers(&e),
            [&Answer::Ranking(vec![0, 1]), &Answer::Ranking(vec![1, 0])]
        );
    }

    #[test]
    fn a_rating_with_labels_becomes_a_single_choice() {
        let mut e = export(
            QuestionKind::Rating,
            vec![Answer::Number(3.0), Answer::Number(2.0), Answer::None],
        );
        assert!(apply(&mut e, &table()).is_empty());
        assert_eq!(e.questions[0].kind, QuestionKind::Single);
        assert_eq!(
            answers(&e),
            [&Answer::Choice(0), &Answer::Choice(1), &Answer::None]
        );
    }
}
