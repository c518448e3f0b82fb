//! LimeSurvey, exported with question-code headings and answer codes: `id`, `submitdate`,
//! `lastpage`, `startlanguage`, `seed`, `startdate`, `datestamp`, maybe `ipaddr`, `refurl`,
//! `token`, then `Q1`, `Q1[other]` (the box of `-oth-`), `Q2[SQ001]`, `Q2[SQ002]`, `Q2[other]`
//! (a multiple choice: `Y` or empty), `Q3[1]` (array rows), and with timings `interviewtime`,
//! `groupTime…`, `Q1Time`. A response without `submitdate` was not finished. Exports with full
//! question-text headings are read by `limesurvey_text`.

use super::column_plan::{
    ColumnPlan, Finished, Fixed, OptionColumn, OtherColumn, Source, Spec, Style, column_values,
    header_row,
};
use super::grid::Grid;
use super::limesurvey_text;

pub const EXPECTED: &str = "question-code headings: id, submitdate, lastpage, startlanguage, \
    seed, startdate, datestamp, then Q1, Q2[SQ001] …; or full question-text headings: Response \
    ID, Date submitted, Last page, Start language, Seed, then question texts, `Question [Option]` \
    for each option of a multiple choice";

/// The option a `-oth-` answer or an `[other]` column stands for.
const OTHER: &str = "其他";

/// Code headings, or full question-text headings (see `limesurvey_text`).
pub fn matches(table: &Grid) -> bool {
    code_headings(table) || limesurvey_text::matches(table)
}

fn code_headings(table: &Grid) -> bool {
    let row = header_row(table, 0);
    let has = |k: &str| row.contains(&k);
    has("id") && has("submitdate") && (has("lastpage") || has("startlanguage") || has("seed"))
}

/// `Q2[SQ001]` → (`Q2`, Some(`SQ001`)); `Q1` → (`Q1`, None).
fn code(heading: &str) -> (&str, Option<&str>) {
    match heading.split_once('[') {
        Some((base, rest)) => (base, Some(rest.trim_end_matches(']'))),
        None => (heading, None),
    }
}

pub fn layout(table: &Grid) -> Result<ColumnPlan, String> {
    if !code_headings(table) {
        return limesurvey_text::layout(table).map_err(|_| EXPECTED.to_owned());
    }
    let headings = header_row(table, 0);
    let bases: Vec<&str> = headings.iter().map(|h| code(h).0).collect();
    let mut fixed = Fixed::default();
    let mut question_cols = Vec::new();
    for (c, h) in headings.iter().enumerate() {
        match *h {
            "id" => fixed.id = Some(c),
            "submitdate" => {
                fixed.submitted = Some(c);
                fixed.finished = Some(Finished::Present(c));
            }
            "startdate" => fixed.started = Some(c),
            "interviewtime" => fixed.seconds = Some(c),
            "ipaddr" => fixed.respondent.insert(0, c),
            "token" | "email" => fixed.respondent.push(c),
            "" | "lastpage" | "startlanguage" | "seed" | "datestamp" | "refurl" | "firstname"
            | "lastname" | "optout" => {}
            h if h.starts_with("groupTime") => {}
            h if h.strip_suffix("Time").is_some_and(|q| bases.contains(&q)) => {}
            _ => question_cols.push(c),
        }
    }
    let mut questions = Vec::new();
    let mut start = 0;
    while start < question_cols.len() {
        let base = code(headings[question_cols[start]]).0;
        let end = question_cols[start..]
            .iter()
            .position(|&c| code(headings[c]).0 != base)
            .map_or(question_cols.len(), |p| start + p);
        questions.extend(group(table, &headings, base, &question_cols[start..end]));
        start = end;
    }
    ColumnPlan::checked(EXPECTED, 1, fixed, questions, &[])
}

fn group(table: &Grid, headings: &[&str], base: &str, cols: &[usize]) -> Vec<Spec> {
    let sub = |c: usize| code(headings[c]).1;
    let is_comment = |c: usize| sub(c).is_some_and(|s| s.ends_with("comment"));
    let other = cols.iter().copied().find(|&c| sub(c) == Some("other"));
    let comments: Vec<Spec> = cols
        .iter()
        .copied()
        .filter(|&c| is_comment(c))
        .map(|c| column(headings[c], Some(base), c, None, false))
        .collect();
    let bare = cols.iter().copied().find(|&c| sub(c).is_none());
    let rows: Vec<usize> = cols
        .iter()
        .copied()
        .filter(|&c| sub(c).is_some() && Some(c) != other && !is_comment(c))
        .collect();
    let mut specs = Vec::new();
    if let Some(c) = bare {
        let other = other.map(|col| OtherColumn {
            col,
            option: OTHER.to_owned(),
        });
        specs.push(column(base, None, c, other, false));
    } else if !rows.is_empty()
        && rows.iter().all(|&c| {
            column_values(table, 1, c)
                .iter()
                .all(|v| matches!(*v, "" | "Y"))
        })
    {
        let mut options: Vec<OptionColumn> = rows
            .iter()
            .map(|&c| OptionColumn {
                option: sub(c).unwrap_or_default().to_owned(),
                flag: Some(c),
                text: None,
            })
            .collect();
        options.extend(other.map(|c| OptionColumn {
            option: OTHER.to_owned(),
            flag: None,
            text: Some(c),
        }));
        specs.push(Spec {
            number: base.to_owned(),
            group: None,
            text: String::new(),
            source: Source::Options(options),
            rating_header: false,
        });
    } else {
        specs.extend(
            rows.iter()
                .chain(&other)
                .map(|&c| column(headings[c], Some(base), c, None, true)),
        );
    }
    specs.extend(comments);
    specs.sort_by_key(|s| s.source.first_column());
    specs
}

fn column(
    number: &str,
    group: Option<&str>,
    col: usize,
    other: Option<OtherColumn>,
    rating: bool,
) -> Spec {
    Spec {
        number: number.to_owned(),
        group: group.map(str::to_owned),
        text: String::new(),
        source: Source::Column {
            col,
            style: Style::Codes,
            other,
        },
        rating_header: rating,
    }
}
