//! What the readers of a question's columns share: the rows they read, what counts as not
//! answered, and the warnings they collect.

use super::column_plan::Spec;
use super::grid::Row;
use super::model::Answer;
use crate::ingest::text::shown;

/// Written by 问卷星 for a question skipped by logic and one left empty; other tools' exports
/// never hold them as answers either.
const ALWAYS_NOT_ANSWERS: [&str; 2] = ["(跳过)", "(空)"];
/// Value warnings kept per question; the rest are counted.
const WARNINGS_PER_QUESTION: usize = 10;

/// What every reader of a question's columns shares: the header rows above the data, the
/// data rows, and the values the export writes for "not answered".
pub(super) struct Ctx<'t> {
    pub(super) headers: &'t [Row],
    pub(super) data: &'t [Row],
    pub(super) not_answers: &'static [&'static str],
}

impl Ctx<'_> {
    pub(super) fn is_blank(&self, value: &str) -> bool {
        value.is_empty() || ALWAYS_NOT_ANSWERS.contains(&value) || self.not_answers.contains(&value)
    }

    /// The header text of a column for messages: the first non-empty header cell above it.
    pub(super) fn header_label(&self, col: usize) -> String {
        self.headers
            .iter()
            .map(|r| r.cell(col))
            .find(|h| !h.is_empty())
            .map(shown)
            .unwrap_or_default()
    }
}

/// Value warnings of one question, capped.
pub(super) struct Notes {
    pub(super) question: String,
    kept: Vec<String>,
    dropped: usize,
}

impl Notes {
    pub(super) fn new(spec: &Spec) -> Self {
        Notes {
            question: spec.number.clone(),
            kept: Vec::new(),
            dropped: 0,
        }
    }

    pub(super) fn push(&mut self, line: u64, col: usize, header: &str, message: String) {
        if self.kept.len() < WARNINGS_PER_QUESTION {
            self.kept.push(format!(
                "line {line}, column {} ({header}): {message}",
                col + 1
            ));
        } else {
            self.dropped += 1;
        }
    }

    pub(super) fn finish(mut self) -> Vec<String> {
        if self.dropped > 0 {
            self.kept.push(format!(
                "question {}: {} more values like the above were read as not answered",
                self.question, self.dropped
            ));
        }
        self.kept
    }
}

/// One answer per data row, with the text typed into the question's "other" box.
pub(super) type Answers = Vec<(Answer, Option<String>)>;
