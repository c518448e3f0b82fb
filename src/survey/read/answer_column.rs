//! One question's answer column read into the question's options and one answer per
//! response: choices (one, several or ranked, by text, code or option number), numbers, or
//! text, each with what was typed into an "other" box.

use super::column_plan::{OtherColumn, Spec, Style};
use super::context::{Answers, Ctx, Notes};
use super::grid::Row;
use super::listed::Listing;
use super::model::{Answer, Question, QuestionKind};
use super::values::{format_number, natural_cmp, parse_integer, parse_number, split_fill_in};
use crate::ingest::text::shown;
use std::collections::{BTreeMap, BTreeSet};

/// One question's answer column, and how to read it.
pub(super) struct AnswerColumn<'s> {
    pub(super) col: usize,
    pub(super) style: Style,
    pub(super) other: Option<&'s OtherColumn>,
    pub(super) header: String,
    /// How a [`Style::Listed`] column joins its choices.
    pub(super) listing: Option<Listing>,
}

/// One part of a choice answer before options are numbered.
struct Picked {
    label: String,
    other: bool,
}

impl AnswerColumn<'_> {
    /// The question with its options, and one answer per data row.
    pub(super) fn convert(
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
            QuestionKind::Text => (question(Vec::new()), self.texts(ctx)),
        }
    }

    fn texts(&self, ctx: &Ctx<'_>) -> Answers {
        self.each_answered(ctx, |_, value| Answer::Text(value.to_owned()))
    }

    fn numbers(&self, ctx: &Ctx<'_>, kind: QuestionKind, notes: &mut Notes) -> Answers {
        self.each_answered(ctx, |row, value| match parse_number(value) {
            Some(n) => Answer::Number(n),
            None => {
                self.note(
                    notes,
                    row,
                    format!(
                        "`{}` is not a number; question {} is {} — read as not answered",
                        shown(value),
                        notes.question,
                        kind.name()
                    ),
                );
                Answer::None
            }
        })
    }

    /// One answer per data row, with its "other" text: `read` makes it of a cell that is not
    /// blank.
    fn each_answered(&self, ctx: &Ctx<'_>, mut read: impl FnMut(&Row, &str) -> Answer) -> Answers {
        ctx.data
            .iter()
            .map(|row| {
                let value = row.cell(self.col);
                let other = self.other_cell(ctx, row);
                if ctx.is_blank(value) {
                    (Answer::None, other)
                } else {
                    (read(row, value), other)
                }
            })
            .collect()
    }

    /// A value warning about this column's cell in `row`.
    fn note(&self, notes: &mut Notes, row: &Row, message: String) {
        notes.push(row.line, self.col, &self.header, message);
    }

    fn other_cell(&self, ctx: &Ctx<'_>, row: &Row) -> Option<String> {
        let other = self.other?;
        let text = row.cell(other.col);
        (!ctx.is_blank(text)).then(|| text.to_owned())
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
                        self.note(
                            notes,
                            row,
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
