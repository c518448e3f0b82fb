//! Qualtrics: three header rows — column ids (StartDate, EndDate, Status, IPAddress,
//! Progress, Duration (in seconds), Finished, RecordedDate, ResponseId, …, Q1, Q2_1, Q2_5_TEXT),
//! question texts (`Q2 text - Selected Choice - 选项`), and ImportId JSON
//! (`{"ImportId":"QID1"}`). A multiple choice is read in its one-column-per-choice form
//! (`Qn_k` holding 1 or the choice text); `_TEXT` columns hold what was typed into a choice's
//! box. UTF-8 with BOM.

use super::layout::{
    Finished, Fixed, Layout, OptionColumn, OtherColumn, Source, Spec, Style, column_values,
    header_row, looks_like_rating,
};
use super::table::Table;

pub const EXPECTED: &str = "three header rows: StartDate, EndDate, Status, IPAddress, Progress, \
    Duration (in seconds), Finished, RecordedDate, ResponseId, … Q1, Q2_1 …; then the question \
    texts; then {\"ImportId\":…}";

/// Qualtrics' optional code for "seen but not answered".
const NOT_ANSWERS: [&str; 1] = ["-99"];

pub fn matches(table: &Table) -> bool {
    let row1 = header_row(table, 0);
    let has = |id: &str| row1.iter().any(|h| h.eq_ignore_ascii_case(id));
    has("ResponseId") || (has("StartDate") && has("EndDate") && has("Finished"))
}

/// A question column id: `Q4_5_TEXT` → (`Q4`, Some(`5`), text), `Q1` → (`Q1`, None, plain).
struct ColumnId<'a> {
    base: &'a str,
    choice: Option<&'a str>,
    text: bool,
}

fn column_id(id: &str) -> ColumnId<'_> {
    let (rest, text) = match id.strip_suffix("_TEXT") {
        Some(rest) => (rest, true),
        None => (id, false),
    };
    match rest.rsplit_once('_') {
        Some((base, k)) if !k.is_empty() && k.bytes().all(|b| b.is_ascii_digit()) => ColumnId {
            base,
            choice: Some(k),
            text,
        },
        _ => ColumnId {
            base: rest,
            choice: None,
            text,
        },
    }
}

/// Whether a column holds a question's answers: its ImportId is a question's (`QID…`), or
/// without that row its id reads like one (`Q1`, `1_Q2`).
fn is_question(id: &str, import: Option<&str>) -> bool {
    match import {
        Some(import) => import.contains("\"ImportId\":\"QID"),
        None => {
            let bare = id.split_once("_Q").map_or(id, |(_, r)| r);
            let bare = bare.strip_prefix('Q').unwrap_or("");
            bare.starts_with(|c: char| c.is_ascii_digit())
        }
    }
}

/// `您所在的小区 - Selected Choice` → `您所在的小区`.
fn strip_selected(text: &str) -> &str {
    text.strip_suffix(" - Selected Choice").unwrap_or(text)
}

pub fn layout(table: &Table) -> Result<Layout, String> {
    if !matches(table) {
        return Err(EXPECTED.to_owned());
    }
    let row1 = header_row(table, 0);
    let row3 = header_row(table, 2);
    let header_rows = if row3.first().is_some_and(|c| c.contains("ImportId")) {
        3
    } else if header_row(table, 1)
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
    let mut fixed = Fixed::default();
    let mut question_cols = Vec::new();
    for (c, id) in row1.iter().enumerate() {
        match id.to_ascii_lowercase().as_str() {
            "startdate" => fixed.started = Some(c),
            "enddate" => fixed.submitted = Some(c),
            "duration (in seconds)" => fixed.seconds = Some(c),
            "ipaddress" => fixed.respondent.insert(0, c),
            "recipientemail" | "externalreference" => fixed.respondent.push(c),
            "responseid" => fixed.id = Some(c),
            "finished" => fixed.finished = Some(Finished::Flag(c)),
            _ if is_question(id, (header_rows == 3).then(|| row3[c])) => question_cols.push(c),
            _ => {}
        }
    }
    if fixed.submitted.is_none() {
        fixed.submitted = row1
            .iter()
            .position(|h| h.eq_ignore_ascii_case("RecordedDate"));
    }
    let mut questions = Vec::new();
    let mut start = 0;
    while start < question_cols.len() {
        let base = column_id(row1[question_cols[start]]).base;
        let end = question_cols[start..]
            .iter()
            .position(|&c| column_id(row1[c]).base != base)
            .map_or(question_cols.len(), |p| start + p);
        let cols = &question_cols[start..end];
        questions.extend(group(table, header_rows, &row1, &row2, base, cols));
        start = end;
    }
    Layout::checked(EXPECTED, header_rows, fixed, questions, &NOT_ANSWERS)
}

fn group(
    table: &Table,
    header_rows: usize,
    row1: &[&str],
    row2: &[&str],
    base: &str,
    cols: &[usize],
) -> Vec<Spec> {
    let ids: Vec<ColumnId<'_>> = cols.iter().map(|&c| column_id(row1[c])).collect();
    let bare = cols
        .iter()
        .zip(&ids)
        .find(|(_, id)| id.choice.is_none() && !id.text)
        .map(|(&c, _)| c);
    let choices: Vec<(usize, &str)> = cols
        .iter()
        .zip(&ids)
        .filter(|(_, id)| !id.text)
        .filter_map(|(&c, id)| id.choice.map(|k| (c, k)))
        .collect();
    let texts: Vec<(usize, Option<&str>)> = cols
        .iter()
        .zip(&ids)
        .filter(|(_, id)| id.text)
        .map(|(&c, id)| (c, id.choice))
        .collect();
    let column_spec = |c: usize, number: &str, group: Option<&str>, text: String, rating| Spec {
        number: number.to_owned(),
        group: group.map(str::to_owned),
        text,
        source: Source::Column {
            col: c,
            style: Style::Text,
            other: None,
        },
        rating_header: rating,
    };

    if choices.is_empty() {
        // One answer column (or a text entry written as `Q6_TEXT`), maybe with the box of
        // its "other" choice.
        let Some(col) = bare.or_else(|| texts.first().map(|t| t.0)) else {
            return Vec::new();
        };
        let text = strip_selected(row2[col]).to_owned();
        let other = texts
            .iter()
            .find(|(c, k)| *c != col && k.is_some())
            .map(|&(c, _)| OtherColumn {
                col: c,
                option: other_option(row2[c]),
            });
        return vec![Spec {
            rating_header: looks_like_rating(&text),
            number: base.to_owned(),
            group: None,
            text,
            source: Source::Column {
                col,
                style: Style::Text,
                other,
            },
        }];
    }

    let labels: Vec<&str> = choices
        .iter()
        .map(|&(c, _)| choice_label(row2[c]))
        .collect();
    let is_multiple = choices.iter().zip(&labels).all(|(&(c, _), label)| {
        column_values(table, header_rows, c)
            .iter()
            .all(|v| v.is_empty() || matches!(*v, "1" | "0" | "-99") || v == label)
    });
    if is_multiple {
        let options = choices
            .iter()
            .zip(&labels)
            .map(|(&(c, k), label)| OptionColumn {
                option: (*label).to_owned(),
                flag: Some(c),
                text: texts.iter().find(|t| t.1 == Some(k)).map(|t| t.0),
            })
            .collect();
        return vec![Spec {
            number: base.to_owned(),
            group: None,
            text: choice_stem(row2[choices[0].0]).to_owned(),
            source: Source::Options(options),
            rating_header: false,
        }];
    }
    // A matrix: one question per statement, numbered by its column id.
    let mut specs: Vec<Spec> = choices
        .iter()
        .map(|&(c, _)| column_spec(c, row1[c], Some(base), row2[c].to_owned(), true))
        .collect();
    specs.extend(
        texts
            .iter()
            .map(|&(c, _)| column_spec(c, row1[c], Some(base), row2[c].to_owned(), false)),
    );
    specs.sort_by_key(|s| s.source.first_column());
    specs
}

/// `改进 - Selected Choice - 保洁` or `改进 - 保洁` → `保洁`.
fn choice_label(text: &str) -> &str {
    text.rsplit_once(" - ").map_or(text, |(_, label)| label)
}

/// `改进 - Selected Choice - 保洁` or `改进 - 保洁` → `改进`.
fn choice_stem(text: &str) -> &str {
    let stem = text.rsplit_once(" - ").map_or(text, |(stem, _)| stem);
    strip_selected(stem)
}

/// `您所在的小区 - 其他 - Text` → `其他`.
fn other_option(text: &str) -> String {
    let text = text.strip_suffix(" - Text").unwrap_or(text);
    choice_label(text).to_owned()
}
