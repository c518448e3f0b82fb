//! Answers spelled out one column per option or item: a multiple choice whose option columns
//! hold a flag, the option's text or what was typed into its box, and a ranking whose item
//! columns hold the rank given to each. Part of `assemble`.

use super::column_plan::{OptionColumn, Spec};
use super::context::{Answers, Ctx, Notes};
use super::model::{Answer, Question, QuestionKind};
use super::values::{parse_integer, split_fill_in};
use crate::ingest::text::shown;

/// A multiple choice spelled out as one column per option.
pub(super) fn convert_options(
    ctx: &Ctx<'_>,
    spec: &Spec,
    options: &[OptionColumn],
) -> (Question, Answers) {
    let answers = ctx
        .data
        .iter()
        .map(|row| {
            let mut chosen = Vec::new();
            let mut typed = Vec::new();
            for (i, option) in options.iter().enumerate() {
                let flag = option.flag.map(|c| row.cell(c)).unwrap_or_default();
                let text = option.text.map(|c| row.cell(c)).unwrap_or_default();
                let flagged = !ctx.is_blank(flag) && flag != "0";
                let has_text = !ctx.is_blank(text);
                if !(flagged || has_text) {
                    continue;
                }
                chosen.push(i);
                if has_text {
                    typed.push(text.to_owned());
                } else if !matches!(flag, "1" | "Y" | "y") && flag != option.option {
                    // The flag cell holds what was typed (腾讯问卷's 其他 column), or a
                    // number download's `1〖…〗`.
                    let (label, fill) = split_fill_in(flag);
                    match fill {
                        Some(fill) => typed.push(fill.to_owned()),
                        None if label != "1" => typed.push(label.to_owned()),
                        None => {}
                    }
                }
            }
            let typed = (!typed.is_empty()).then(|| typed.join("; "));
            if chosen.is_empty() {
                (Answer::None, typed)
            } else {
                (Answer::Choices(chosen), typed)
            }
        })
        .collect();
    let question = Question {
        number: spec.number.clone(),
        group: spec.group.clone(),
        text: spec.text.clone(),
        kind: QuestionKind::Multiple,
        options: options.iter().map(|o| o.option.clone()).collect(),
    };
    (question, answers)
}

/// A ranking spelled out as one column per item holding its rank: the items in rank order.
/// A rank that is no whole number from 1 to the number of items is noted and left out.
pub(super) fn convert_ranks(
    ctx: &Ctx<'_>,
    spec: &Spec,
    items: &[(usize, String)],
    notes: &mut Notes,
) -> (Question, Answers) {
    let answers = ctx
        .data
        .iter()
        .map(|row| {
            let mut ranked: Vec<(i64, usize)> = Vec::new();
            for (i, (col, _)) in items.iter().enumerate() {
                let value = row.cell(*col);
                if ctx.is_blank(value) {
                    continue;
                }
                match parse_integer(value).filter(|r| (1..=items.len() as i64).contains(r)) {
                    Some(rank) => ranked.push((rank, i)),
                    None => notes.push(
                        row.line,
                        *col,
                        &ctx.header_label(*col),
                        format!(
                            "`{}` is not a rank from 1 to {} — left out of the ranking",
                            shown(value),
                            items.len()
                        ),
                    ),
                }
            }
            // Ties keep column order.
            ranked.sort_by_key(|&(rank, i)| (rank, i));
            let order: Vec<usize> = ranked.into_iter().map(|(_, i)| i).collect();
            if order.is_empty() {
                (Answer::None, None)
            } else {
                (Answer::Ranking(order), None)
            }
        })
        .collect();
    let question = Question {
        number: spec.number.clone(),
        group: spec.group.clone(),
        text: spec.text.clone(),
        kind: QuestionKind::Ranking,
        options: items.iter().map(|(_, item)| item.clone()).collect(),
    };
    (question, answers)
}
