//! From a [`Layout`] and the data rows to the typed model: each question's kind (override or
//! inference), its options, and one answer per response.

use super::infer::infer;
use super::layout::{Finished, Layout, OtherColumn, Source, Spec, Style, looks_like_free_text};
use super::listed::Listing;
use super::markup::to_text;
use super::model::{
    Answer, ExportFormat, Question, QuestionKind, Response, SurveyExport, bare_number, codes_hint,
};
use super::spelled_out::{convert_options, convert_ranks};
use super::table::{Row, Table};
use super::values::{
    EXPECTED_SECONDS, format_number, ip_part, natural_cmp, parse_integer, parse_number,
    parse_seconds, split_fill_in,
};
use crate::dates::{EXPECTED_DATETIME, parse_datetime};
use crate::ingest::text::shown;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

/// Written by 问卷星 for a question skipped by logic and one left empty; other tools' exports
/// never hold them as answers either.
const ALWAYS_NOT_ANSWERS: [&str; 2] = ["(跳过)", "(空)"];
/// Value warnings kept per question; the rest are counted.
const WARNINGS_PER_QUESTION: usize = 10;

pub fn assemble(
    format: ExportFormat,
    table: Table,
    layout: Layout,
    kinds: &BTreeMap<String, QuestionKind>,
) -> SurveyExport {
    let Table {
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
        let forced = override_for(kinds, spec, &mut used_keys);
        let mut notes = Notes::new(spec);
        let (question, answers) = match &spec.source {
            Source::Column { col, style, other } => {
                let values: Vec<&str> = data
                    .iter()
                    .map(|r| r.cell(*col))
                    .filter(|v| !ctx.is_blank(v))
                    .collect();
                let kind = forced.unwrap_or_else(|| {
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
                let column = ColumnSpec {
                    col: *col,
                    style: *style,
                    other: other.as_ref(),
                    header: ctx.header_label(*col),
                    listing,
                };
                column.convert(&ctx, spec, kind, &mut notes)
            }
            Source::Options(options) => {
                if let Some(kind) = forced.filter(|&k| k != QuestionKind::Multiple) {
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
                if let Some(kind) = forced.filter(|&k| k != QuestionKind::Ranking) {
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
        as_text(question);
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
fn as_text(question: &mut Question) {
    question.text = to_text(&question.text).into_owned();
    for option in &mut question.options {
        if let Cow::Owned(text) = to_text(option) {
            *option = text;
        }
    }
}

pub(super) struct Ctx<'t> {
    headers: &'t [Row],
    pub(super) data: &'t [Row],
    not_answers: &'static [&'static str],
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

/// The configured kind of a question: by its number, or its group's (`5` for the rows of
/// matrix 5); `3` and `Q3` name the same question.
fn override_for(
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

/// Value warnings of one question, capped.
pub(super) struct Notes {
    question: String,
    kept: Vec<String>,
    dropped: usize,
}

impl Notes {
    fn new(spec: &Spec) -> Self {
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

    fn finish(mut self) -> Vec<String> {
        if self.dropped > 0 {
            self.kept.push(format!(
                "question {}: {} more values like the above were read as not answered",
                self.question, self.dropped
            ));
        }
        self.kept
    }
}

pub(super) type Answers = Vec<(Answer, Option<String>)>;

struct ColumnSpec<'s> {
    col: usize,
    style: Style,
    other: Option<&'s OtherColumn>,
    header: String,
    /// How a [`Style::Listed`] column joins its choices.
    listing: Option<Listing>,
}

/// One part of a choice answer before options are numbered.
struct Picked {
    label: String,
    other: bool,
}

impl ColumnSpec<'_> {
    fn convert(
        &self,
        ctx: &Ctx<'_>,
        spec: &Spec,
        kind: QuestionKind,
        notes: &mut Notes,
    ) -> (Question, Answers) {
        let question = |options| Question {
            number: spec.number.clone(),
            group: spec.group.clone(),
            text: spec.text.clone(),
            kind,
            options,
        };
        match kind {
            QuestionKind::Single | QuestionKind::Multiple | QuestionKind::Ranking => {
                let (options, answers) = self.choices(ctx, kind, notes);
                (question(options), answers)
            }
            QuestionKind::Rating | QuestionKind::Numeric => {
                let answers = self.numbers(ctx, kind, notes);
                let options = if kind == QuestionKind::Rating {
                    let mut scores: Vec<f64> = answers
                        .iter()
                        .filter_map(|(a, _)| match a {
                            Answer::Number(n) => Some(*n),
                            _ => None,
                        })
                        .collect();
                    scores.sort_by(f64::total_cmp);
                    scores.dedup();
                    scores.into_iter().map(format_number).collect()
                } else {
                    Vec::new()
                };
                (question(options), answers)
            }
            QuestionKind::Text => {
                let answers = ctx
                    .data
                    .iter()
                    .map(|row| {
                        let value = row.cell(self.col);
                        let other = self.other_cell(ctx, row);
                        if ctx.is_blank(value) {
                            (Answer::None, other)
                        } else {
                            (Answer::Text(value.to_owned()), other)
                        }
                    })
                    .collect();
                (question(Vec::new()), answers)
            }
        }
    }

    fn other_cell(&self, ctx: &Ctx<'_>, row: &Row) -> Option<String> {
        let other = self.other?;
        let text = row.cell(other.col);
        (!ctx.is_blank(text)).then(|| text.to_owned())
    }

    fn numbers(&self, ctx: &Ctx<'_>, kind: QuestionKind, notes: &mut Notes) -> Answers {
        ctx.data
            .iter()
            .map(|row| {
                let value = row.cell(self.col);
                let other = self.other_cell(ctx, row);
                if ctx.is_blank(value) {
                    return (Answer::None, other);
                }
                match parse_number(value) {
                    Some(n) => (Answer::Number(n), other),
                    None => {
                        notes.push(
                            row.line,
                            self.col,
                            &self.header,
                            format!(
                                "`{}` is not a number; question {} is {} — read as not \
                                 answered",
                                shown(value),
                                notes.question,
                                kind.name()
                            ),
                        );
                        (Answer::None, other)
                    }
                }
            })
            .collect()
    }

    /// Splits one cell into the options it names, with the text typed into an "other" box.
    fn pick(
        &self,
        ctx: &Ctx<'_>,
        row: &Row,
        kind: QuestionKind,
        notes: &mut Notes,
    ) -> Option<(Vec<Picked>, Option<String>)> {
        let value = row.cell(self.col);
        let other_cell = self.other_cell(ctx, row);
        if ctx.is_blank(value) {
            // Only the "other" box filled in: SurveyMonkey leaves the answer column empty.
            let other = self.other?;
            let text = other_cell?;
            let picked = vec![Picked {
                label: other.option.clone(),
                other: true,
            }];
            return Some((picked, Some(text)));
        }
        let listed;
        let parts: Vec<&str> = match (kind, &self.listing) {
            (QuestionKind::Single, _) => vec![value],
            (QuestionKind::Ranking, _) => value.split('→').map(str::trim).collect(),
            (_, Some(listing)) => {
                listed = listing.split(value);
                listed.iter().map(String::as_str).collect()
            }
            _ => value.split('┋').map(str::trim).collect(),
        };
        let mut picked = Vec::with_capacity(parts.len());
        let mut fill_ins: Vec<&str> = Vec::new();
        for part in parts.into_iter().filter(|p| !p.is_empty()) {
            let (label, fill) = split_fill_in(part);
            fill_ins.extend(fill);
            let is_other = fill.is_some()
                || self.other.is_some_and(|o| o.option == label)
                || (self.style == Style::Codes && label == "-oth-");
            let label = match self.style {
                Style::Codes if label == "-oth-" => {
                    self.other.map_or("其他", |o| o.option.as_str()).to_owned()
                }
                Style::Index => match parse_integer(label).filter(|&n| n >= 1) {
                    Some(n) => n.to_string(),
                    None => {
                        notes.push(
                            row.line,
                            self.col,
                            &self.header,
                            format!(
                                "`{label}` is not an option number (1, 2, …) — read as not \
                                 answered"
                            ),
                        );
                        return None;
                    }
                },
                _ => label.to_owned(),
            };
            picked.push(Picked {
                label,
                other: is_other,
            });
        }
        let typed = match (fill_ins.is_empty(), other_cell) {
            (true, None) => None,
            (_, Some(text)) => Some(text),
            (false, None) => Some(fill_ins.join("; ")),
        };
        Some((picked, typed))
    }

    fn choices(
        &self,
        ctx: &Ctx<'_>,
        kind: QuestionKind,
        notes: &mut Notes,
    ) -> (Vec<String>, Answers) {
        let picks: Vec<Option<(Vec<Picked>, Option<String>)>> = ctx
            .data
            .iter()
            .map(|row| self.pick(ctx, row, kind, notes))
            .collect();
        let options = self.options(&picks);
        let index: BTreeMap<&str, usize> = options
            .iter()
            .enumerate()
            .map(|(i, o)| (o.as_str(), i))
            .collect();
        let answers = picks
            .into_iter()
            .map(|pick| {
                let Some((picked, typed)) = pick else {
                    return (Answer::None, None);
                };
                let mut chosen: Vec<usize> = picked
                    .iter()
                    .filter_map(|p| index.get(p.label.as_str()).copied())
                    .collect();
                let answer = match kind {
                    _ if chosen.is_empty() => Answer::None,
                    QuestionKind::Single => Answer::Choice(chosen[0]),
                    QuestionKind::Ranking => Answer::Ranking(chosen),
                    _ => {
                        chosen.sort_unstable();
                        chosen.dedup();
                        Answer::Choices(chosen)
                    }
                };
                (answer, typed)
            })
            .collect();
        (options, answers)
    }

    /// Option indexes `1..=max` for a number download; codes in natural order; otherwise
    /// first-seen order. Options that carried a fill-in come last.
    fn options(&self, picks: &[Option<(Vec<Picked>, Option<String>)>]) -> Vec<String> {
        let all = || picks.iter().flatten().flat_map(|(p, _)| p.iter());
        if self.style == Style::Index {
            let max = all()
                .filter_map(|p| p.label.parse::<usize>().ok())
                .max()
                .unwrap_or(0);
            return (1..=max).map(|n| n.to_string()).collect();
        }
        let others: BTreeSet<&str> = all()
            .filter(|p| p.other)
            .map(|p| p.label.as_str())
            .collect();
        let mut seen = BTreeSet::new();
        let mut plain = Vec::new();
        let mut other = Vec::new();
        for p in all() {
            if seen.insert(p.label.as_str()) {
                if others.contains(p.label.as_str()) {
                    other.push(p.label.clone());
                } else {
                    plain.push(p.label.clone());
                }
            }
        }
        match self.style {
            Style::Codes => plain.sort_by(|a, b| natural_cmp(a, b)),
            // Codes in numeric order; choice texts as they came.
            Style::ChoiceCodes if plain.iter().all(|o| parse_number(o).is_some()) => {
                plain.sort_by(|a, b| {
                    parse_number(a)
                        .unwrap_or_default()
                        .total_cmp(&parse_number(b).unwrap_or_default())
                })
            }
            _ => {}
        }
        plain.extend(other);
        plain
    }
}

/// An identity column's value for "nobody signed in" (Microsoft Forms writes `anonymous` in
/// its Email column): it names no respondent, else every such response would repeat the first.
fn is_anonymous(value: &str) -> bool {
    value.eq_ignore_ascii_case("anonymous") || value == "匿名"
}

/// The response's own fields (answers are filled in by the caller).
fn read_fixed(ctx: &Ctx<'_>, layout: &Layout, row: &Row, warnings: &mut Vec<String>) -> Response {
    let fixed = &layout.fixed;
    let text = |col: Option<usize>| {
        col.map(|c| row.cell(c))
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let datetime = |col: Option<usize>, warnings: &mut Vec<String>| {
        let c = col?;
        let value = row.cell(c);
        if value.is_empty() {
            return None;
        }
        let parsed = parse_datetime(value);
        if parsed.is_none() {
            warnings.push(format!(
                "line {}, column {} ({}): `{}` is not {EXPECTED_DATETIME}",
                row.line,
                c + 1,
                ctx.header_label(c),
                shown(value)
            ));
        }
        parsed
    };
    let submitted = datetime(fixed.submitted, warnings);
    let started = datetime(fixed.started, warnings);
    let seconds = match fixed.seconds {
        Some(c) if !row.cell(c).is_empty() => {
            let value = row.cell(c);
            let parsed = parse_seconds(value);
            if parsed.is_none() {
                warnings.push(format!(
                    "line {}, column {} ({}): `{}` is not {EXPECTED_SECONDS}",
                    row.line,
                    c + 1,
                    ctx.header_label(c),
                    shown(value)
                ));
            }
            parsed
        }
        _ => match (started, submitted) {
            (Some(start), Some(end)) if end >= start => {
                u32::try_from((end - start).num_seconds()).ok()
            }
            _ => None,
        },
    };
    let respondent = fixed
        .respondent
        .iter()
        .map(|&c| ip_part(row.cell(c)))
        .find(|v| !v.is_empty() && !is_anonymous(v))
        .map(str::to_owned);
    let finished = match fixed.finished {
        Some(Finished::Flag(c)) => match row.cell(c).to_ascii_lowercase().as_str() {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            _ => None,
        },
        Some(Finished::Present(c)) => Some(!row.cell(c).is_empty()),
        None => None,
    };
    Response {
        line: row.line,
        id: text(fixed.id),
        submitted,
        seconds,
        respondent,
        finished,
        answers: Vec::new(),
        other_text: Vec::new(),
    }
}
