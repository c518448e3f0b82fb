//! Qualtrics, as three exporters wrote it:
//! - current: three header rows — column ids (StartDate, EndDate, Status, IPAddress, Progress,
//!   Duration (in seconds), Finished, RecordedDate, ResponseId, …, Q1, Q2_1, Q2_5_TEXT),
//!   question texts (`Q2 text - Selected Choice - 选项`), and ImportId JSON
//!   (`{"ImportId":"QID1"}`); UTF-8 with BOM;
//! - 2016: ResponseID, ResponseSet, IPAddress, StartDate, EndDate, Recipient…, Finished,
//!   Status, then question columns; question texts (`题干-选项`); `{'ImportId': 'QID1'}` with
//!   single quotes;
//! - legacy: `V1`…`V10` over ResponseID, ResponseSet, Name, ExternalDataReference,
//!   EmailAddress, IPAddress, Status, StartDate, EndDate, Finished, then `Q1` … over the
//!   question texts: two header rows.
//!
//! Columns are grouped into questions by their ImportId where there is one (see
//! `qualtrics_ids`), so recode and export-tag columns fold into their question. A multiple
//! choice is read in its one-column-per-choice form (`Qn_k` holding 1 or the choice text);
//! a matrix with several answers per row as one multiple choice per row; `_TEXT` columns hold
//! what was typed into a choice's box. Answers downloaded as numeric values are choice codes
//! (see [`Style::ChoiceCodes`]).

use super::column_plan::{
    ColumnPlan, Finished, Fixed, OptionColumn, OtherColumn, Source, Spec, Style, column_values,
    header_row, looks_like_rating,
};
use super::grid::Grid;
use super::qualtrics_ids::{
    ColumnRef, from_column_id, from_import, looks_like_question, question_number,
};

pub const EXPECTED: &str = "three header rows: StartDate, EndDate, Status, IPAddress, Progress, \
    Duration (in seconds), Finished, RecordedDate, ResponseId, … Q1, Q2_1 …; then the question \
    texts; then {\"ImportId\":…} (the 2016 exporter: ResponseID, ResponseSet, … then \
    {'ImportId': …}; the legacy one: V1 … V10, Q1 … over ResponseID, ResponseSet …)";

/// Qualtrics' optional code for "seen but not answered".
const NOT_ANSWERS: [&str; 1] = ["-99"];

pub fn matches(table: &Grid) -> bool {
    let row1 = header_row(table, 0);
    let has = |id: &str| row1.iter().any(|h| h.eq_ignore_ascii_case(id));
    has("ResponseId") || (has("StartDate") && has("EndDate") && has("Finished")) || is_legacy(table)
}

/// The legacy exporter: metadata columns `V1`, `V2` … over their names in the second row.
fn is_legacy(table: &Grid) -> bool {
    let row1 = header_row(table, 0);
    row1.first() == Some(&"V1")
        && row1.get(1) == Some(&"V2")
        && header_row(table, 1)
            .iter()
            .any(|h| h.eq_ignore_ascii_case("ResponseID"))
}

fn is_metadata_code(id: &str) -> bool {
    id.strip_prefix('V')
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// One question column: where it is, its id and its place in the question.
struct Column<'t> {
    col: usize,
    id: &'t str,
    at: ColumnRef,
}

pub fn layout(table: &Grid) -> Result<ColumnPlan, String> {
    if !matches(table) {
        return Err(EXPECTED.to_owned());
    }
    let row1 = header_row(table, 0);
    let row3 = header_row(table, 2);
    let legacy = is_legacy(table);
    let has_import_row = row3.first().is_some_and(|c| c.contains("ImportId"));
    let header_rows = if has_import_row {
        3
    } else if legacy
        || header_row(table, 1)
            .iter()
            .any(|h| h.eq_ignore_ascii_case("Response ID") || h.eq_ignore_ascii_case("Start Date"))
    {
        2
    } else {
        1
    };
    let row2 = if header_rows >= 2 {
        header_row(table, 1)
    } else {
        row1.clone()
    };
    // The legacy exporter names its metadata in the second row.
    let names: Vec<&str> = row1
        .iter()
        .zip(&row2)
        .map(|(&id, &name)| {
            if legacy && is_metadata_code(id) {
                name
            } else {
                id
            }
        })
        .collect();
    let mut fixed = Fixed::default();
    let mut columns = Vec::new();
    for (c, &id) in names.iter().enumerate() {
        match id.to_ascii_lowercase().as_str() {
            "startdate" => fixed.started = Some(c),
            "enddate" => fixed.submitted = Some(c),
            "duration (in seconds)" => fixed.seconds = Some(c),
            "ipaddress" => fixed.respondent.insert(0, c),
            "recipientemail" | "externalreference" | "externaldatareference" | "emailaddress" => {
                fixed.respondent.push(c)
            }
            "responseid" => fixed.id = Some(c),
            "finished" => fixed.finished = Some(Finished::Flag(c)),
            _ => {
                let at = if has_import_row {
                    from_import(row3[c])
                } else {
                    looks_like_question(id).then(|| from_column_id(id))
                };
                if let Some(at) = at {
                    columns.push(Column { col: c, id, at });
                }
            }
        }
    }
    if fixed.submitted.is_none() {
        fixed.submitted = names
            .iter()
            .position(|h| h.eq_ignore_ascii_case("RecordedDate"));
    }
    let mut questions = Vec::new();
    let mut start = 0;
    while start < columns.len() {
        let question = &columns[start].at.question;
        let end = columns[start..]
            .iter()
            .position(|c| &c.at.question != question)
            .map_or(columns.len(), |p| start + p);
        questions.extend(group(table, header_rows, &row2, &columns[start..end]));
        start = end;
    }
    ColumnPlan::checked(EXPECTED, header_rows, fixed, questions, &NOT_ANSWERS)
}

fn group(table: &Grid, header_rows: usize, row2: &[&str], cols: &[Column<'_>]) -> Vec<Spec> {
    let own = cols.iter().find(|c| c.at.part.is_none() && !c.at.text);
    let ids: Vec<&str> = cols.iter().map(|c| c.id).collect();
    let number = question_number(&ids, own.map(|c| c.id));
    let choices: Vec<&Column<'_>> = cols
        .iter()
        .filter(|c| c.at.part.is_some() && !c.at.text)
        .collect();
    let texts: Vec<&Column<'_>> = cols.iter().filter(|c| c.at.text).collect();

    // A matrix of text boxes: one text question per box.
    if choices.is_empty() && own.is_none() && texts.len() > 1 {
        return texts
            .iter()
            .map(|t| Spec {
                number: t.id.to_owned(),
                group: Some(number.clone()),
                text: row2[t.col].to_owned(),
                source: Source::Column {
                    col: t.col,
                    style: Style::Text,
                    other: None,
                },
                rating_header: false,
            })
            .collect();
    }
    if choices.is_empty() {
        // One answer column (or a text entry written as `Q6_TEXT`), maybe with the box of
        // its "other" choice (the 2016 exporter's `Q6_TEXT` beside `Q6`).
        let Some(answer) = own.or_else(|| texts.first().copied()) else {
            return Vec::new();
        };
        let text = strip_selected(row2[answer.col]).to_owned();
        let other = texts
            .iter()
            .find(|t| t.col != answer.col)
            .map(|t| OtherColumn {
                col: t.col,
                option: other_option(row2[t.col], &text),
            });
        // A text entry's answers are text; any other question's are choices, codes when
        // the export was downloaded with numeric values.
        let style = if answer.at.text {
            Style::Text
        } else {
            Style::ChoiceCodes
        };
        return vec![Spec {
            rating_header: looks_like_rating(&text),
            number,
            group: None,
            text,
            source: Source::Column {
                col: answer.col,
                style,
                other,
            },
        }];
    }

    // A matrix with several answers per row (`row-choice` parts): one multiple choice per
    // row.
    if choices.iter().any(|c| c.at.row().is_some()) {
        let mut rows: Vec<(&str, Vec<&Column<'_>>)> = Vec::new();
        for c in &choices {
            let row = c.at.row().unwrap_or_default();
            match rows.iter_mut().find(|(r, _)| *r == row) {
                Some((_, cols)) => cols.push(c),
                None => rows.push((row, vec![c])),
            }
        }
        return rows
            .iter()
            .enumerate()
            .map(|(k, (_, row_cols))| Spec {
                number: format!("{number}.{}", k + 1),
                group: Some(number.clone()),
                ..choice_columns(row2, row_cols, &texts)
            })
            .collect();
    }

    let labels = choice_labels(choices.iter().map(|c| row2[c.col]));
    let is_multiple = choices.iter().zip(&labels).all(|(c, label)| {
        column_values(table, header_rows, c.col)
            .iter()
            .all(|v| v.is_empty() || matches!(*v, "1" | "0" | "-99") || v == label)
    });
    if is_multiple {
        return vec![Spec {
            number,
            ..choice_columns(row2, &choices, &texts)
        }];
    }
    // A matrix with one answer per statement: one question per statement, numbered by its
    // column id, its answers the scale's codes (or texts).
    let row_spec = |c: &Column<'_>, style, rating| Spec {
        number: c.id.to_owned(),
        group: Some(number.clone()),
        text: row2[c.col].to_owned(),
        source: Source::Column {
            col: c.col,
            style,
            other: None,
        },
        rating_header: rating,
    };
    let mut specs: Vec<Spec> = choices
        .iter()
        .map(|c| row_spec(c, Style::ChoiceCodes, true))
        .collect();
    specs.extend(texts.iter().map(|c| row_spec(c, Style::Text, false)));
    specs.sort_by_key(|s| s.source.first_column());
    specs
}

/// A multiple choice spelled out as one column per choice, each with its box if it has one
/// (number and group left for the caller).
fn choice_columns(row2: &[&str], choices: &[&Column<'_>], texts: &[&Column<'_>]) -> Spec {
    let labels = choice_labels(choices.iter().map(|c| row2[c.col]));
    let options = choices
        .iter()
        .zip(&labels)
        .map(|(c, label)| OptionColumn {
            option: label.clone(),
            flag: Some(c.col),
            text: texts.iter().find(|t| t.at.part == c.at.part).map(|t| t.col),
        })
        .collect();
    Spec {
        number: String::new(),
        group: None,
        text: choices
            .first()
            .map_or("", |c| choice_stem(row2[c.col], &labels[0]))
            .to_owned(),
        source: Source::Options(options),
        rating_header: false,
    }
}

/// The choice each column of a question stands for, from its question text: `改进 - Selected
/// Choice - 保洁` or `改进 - 保洁` → `保洁` (current exporter); the 2016 exporter joins with
/// a bare `-` (`题干-保洁`), so there the label is what follows the text all columns share.
fn choice_labels<'a>(texts: impl Iterator<Item = &'a str>) -> Vec<String> {
    let texts: Vec<&str> = texts.collect();
    if texts.iter().all(|t| t.contains(" - ")) {
        return texts
            .iter()
            .map(|t| t.rsplit_once(" - ").map_or(*t, |(_, l)| l).to_owned())
            .collect();
    }
    let first = texts.first().copied().unwrap_or_default();
    let mut shared = first.len();
    for t in &texts[1..] {
        shared = first
            .char_indices()
            .zip(t.chars())
            .take_while(|((i, a), b)| *i < shared && a == b)
            .last()
            .map_or(0, |((i, a), _)| i + a.len_utf8());
    }
    // Back to the last `-` the texts share, so labels that start alike stay whole.
    let cut = first[..shared].rfind('-').map_or(0, |i| i + 1);
    texts
        .iter()
        .map(|t| match t.get(cut..) {
            Some(label) if !label.trim().is_empty() && texts.len() > 1 => label.trim().to_owned(),
            _ => t.rsplit_once('-').map_or(*t, |(_, l)| l).trim().to_owned(),
        })
        .collect()
}

/// A choice column's text less its label: `改进 - Selected Choice - 保洁` → `改进`,
/// `题干-保洁` → `题干`.
fn choice_stem<'a>(text: &'a str, label: &str) -> &'a str {
    let stem = text.strip_suffix(label).unwrap_or(text).trim_end();
    let stem = stem
        .strip_suffix(" -")
        .or_else(|| stem.strip_suffix('-'))
        .unwrap_or(stem)
        .trim_end();
    strip_selected(stem)
}

/// `您所在的小区 - Selected Choice` → `您所在的小区`.
fn strip_selected(text: &str) -> &str {
    text.strip_suffix(" - Selected Choice").unwrap_or(text)
}

/// `您所在的小区 - 其他 - Text` → `其他`; a box whose text names no choice (the 2016
/// exporter repeats the question's text) stands for `Other`.
fn other_option(text: &str, question: &str) -> String {
    let text = text.strip_suffix(" - Text").unwrap_or(text);
    let label = text.rsplit_once(" - ").map_or(text, |(_, label)| label);
    if label == question || label.is_empty() {
        "Other".to_owned()
    } else {
        label.to_owned()
    }
}
