//! From a [`ColumnPlan`] and the data rows to the typed model: each question's kind (configured
//! or inferred), its options, and one answer per response. A question in one column is read by
//! `answer_column`, one spelled out over a column per option or rank by `spelled_out`; the
//! columns that are no question by `fixed`.

use super::answer_column::AnswerColumn;
use super::column_plan::{ColumnPlan, Source, Spec, Style, looks_like_free_text};
use super::context::{Ctx, Notes};
use super::fixed::read_fixed;
use super::grid::{Grid, Row};
use super::infer::infer;
use super::listed::Listing;
use super::markup::to_text;
use super::model::{
    Answer, ExportFormat, Question, QuestionKind, Response, SurveyExport, bare_number, codes_hint,
};
use super::spelled_out::{convert_options, convert_ranks};
use super::values::parse_integer;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

pub fn assemble(
    format: ExportFormat,
    table: Grid,
    layout: ColumnPlan,
    kinds: &BTreeMap<String, QuestionKind>,
) -> SurveyExport {
    let Grid {
        rows,
        encoding,
        mut warnings,
        rows_read,
        rejected,
        sheet,
    } = table;
    let header_rows = layout.header_rows.min(rows.len());
    let (headers, data) = rows.split_at(header_rows);
    let ctx = Ctx {
        headers,
        data,
        not_answers: layout.not_answers,
    };

    let mut used_keys = BTreeSet::new();
    let mut coded: Vec<String> = Vec::new();
    let mut questions = Vec::with_capacity(layout.questions.len());
    let mut columns = Vec::with_capacity(layout.questions.len());
    for spec in &layout.questions {
        let configured = configured_kind(kinds, spec, &mut used_keys);
        let mut notes = Notes::new(spec);
        let (question, answers) = match &spec.source {
            Source::Column { col, style, other } => {
                let values: Vec<&str> = data
                    .iter()
                    .map(|r| r.cell(*col))
                    .filter(|v| !ctx.is_blank(v))
                    .collect();
                let kind = configured.unwrap_or_else(|| {
                    infer(
                        &values,
                        *style,
                        spec.rating_header,
                        looks_like_free_text(&spec.text),
                    )
                });
                let listing = (*style == Style::Listed).then(|| {
                    Listing::detect(&values).unwrap_or_else(|| Listing::fallback(&values))
                });
                if *style == Style::ChoiceCodes
                    && kind == QuestionKind::Single
                    && !values.is_empty()
                    && values.iter().all(|v| parse_integer(v).is_some())
                {
                    coded.push(spec.number.clone());
                }
                let column = AnswerColumn {
                    col: *col,
                    style: *style,
                    other: other.as_ref(),
                    header: ctx.header_label(*col),
                    listing,
                };
                column.convert(&ctx, spec, kind, &mut notes)
            }
            Source::Options(options) => {
                if let Some(kind) = configured.filter(|&k| k != QuestionKind::Multiple) {
                    warnings.push(format!(
                        "question {}: exported as one column per option, so it is read as \
                         multiple choice, not {} as the config says",
                        spec.number,
                        kind.name()
                    ));
                }
                convert_options(&ctx, spec, options)
            }
            Source::Ranks(items) => {
                if let Some(kind) = configured.filter(|&k| k != QuestionKind::Ranking) {
                    warnings.push(format!(
                        "question {}: exported as one rank column per item, so it is read as \
                         ranking, not {} as the config says",
                        spec.number,
                        kind.name()
                    ));
                }
                convert_ranks(&ctx, spec, items, &mut notes)
            }
        };
        warnings.extend(notes.finish());
        questions.push(question);
        columns.push(answers.into_iter());
    }
    for question in &mut questions {
        markup_to_text(question);
    }
    warnings.extend(codes_hint(&coded));
    for key in kinds.keys().filter(|k| !used_keys.contains(*k)) {
        warnings.push(format!(
            "the config sets the kind of question `{key}`, but the export has no question \
             numbered so"
        ));
    }

    let header_width = headers.iter().map(Row::width).max().unwrap_or(0);
    let mut responses = Vec::with_capacity(data.len());
    for row in data {
        if row.cells.len() < header_width {
            warnings.push(format!(
                "line {}: {} fields, but the header has {header_width}; the missing answers \
                 are read as not answered",
                row.line,
                row.cells.len()
            ));
        }
        let mut answers = Vec::with_capacity(columns.len());
        let mut other_text = Vec::with_capacity(columns.len());
        for column in &mut columns {
            let (answer, other) = column.next().unwrap_or((Answer::None, None));
            answers.push(answer);
            other_text.push(other);
        }
        let fixed = read_fixed(&ctx, &layout, row, &mut warnings);
        responses.push(Response {
            line: row.line,
            answers,
            other_text,
            ..fixed
        });
    }
    // Header rows past the first are rows of the table too, but no responses.
    let header_rows_below = header_rows.saturating_sub(1) as u64;
    debug_assert_eq!(
        rows_read,
        header_rows_below + responses.len() as u64 + rejected
    );
    SurveyExport {
        format,
        encoding,
        sheet,
        rows_read: rows_read.saturating_sub(header_rows_below),
        rejected,
        questions,
        responses,
        coded,
        warnings,
    }
}

/// Markup in the question's text and options becomes text (see `markup`), once, here.
fn markup_to_text(question: &mut Question) {
    question.text = to_text(&question.text).into_owned();
    for option in &mut question.options {
        if let Cow::Owned(text) = to_text(option) {
            *option = text;
        }
    }
}

/// The configured kind of a question: by its number, or its group's (`5` for the rows of
/// matrix 5); `3` and `Q3` name the same question. The key that matched goes into `used`.
fn configured_kind(
    kinds: &BTreeMap<String, QuestionKind>,
    spec: &Spec,
    used: &mut BTreeSet<String>,
) -> Option<QuestionKind> {
    let candidates = std::iter::once(spec.number.as_str()).chain(spec.group.as_deref());
    for number in candidates {
        if let Some((key, kind)) = kinds.iter().find(|(k, _)| *k == number).or_else(|| {
            kinds
                .iter()
                .find(|(k, _)| bare_number(k) == bare_number(number))
        }) {
            used.insert(key.clone());
            return Some(*kind);
        }
    }
    None
}
