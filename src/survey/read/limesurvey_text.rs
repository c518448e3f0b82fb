//! LimeSurvey exported with "full question text" headings instead of codes: `Response ID`,
//! `Date submitted`, `Last page`, `Start language`, `Seed`, `Date started`, `Date last
//! action`, maybe `IP address`, `Referrer URL`, `Token`, then one column per question headed
//! by its text — a multiple choice or array as `题干 [选项]` columns, an "other" box as
//! `题干 [Other]` (or ` [Other]` after a question without text) — and, with timings, `Total
//! time`, `Group time: …`, `Question time: …`. Equation questions are headed by their
//! expression (`{if(age.NAOK == 1, 'm', 's')}`): computed, never asked. Cells hold answer
//! codes or texts as the export was set (codes are read as [`Style::ChoiceCodes`]); every cell is
//! quoted and the file starts with a BOM.

use super::column_plan::{
    ColumnPlan, Finished, Fixed, OptionColumn, OtherColumn, Source, Spec, Style, column_values,
    header_row, looks_like_rating,
};
use super::grid::Grid;
use crate::chars::header_key;

pub const EXPECTED: &str = "full question-text headings: Response ID, Date submitted, Last \
    page, Start language, Seed, Date started, Date last action, then question texts, \
    `Question [Option]` for each option of a multiple choice";

pub fn matches(table: &Grid) -> bool {
    let keys: Vec<String> = header_row(table, 0).iter().map(|h| header_key(h)).collect();
    let has = |k: &str| keys.iter().any(|h| h == k);
    has("responseid") && has("datesubmitted") && (has("lastpage") || has("startlanguage"))
}

/// What a metadata heading is; `None` for a question.
fn fixed_column(header: &str) -> Option<&'static str> {
    let key = header_key(header);
    Some(match key.as_str() {
        "responseid" => "id",
        "datesubmitted" => "submitted",
        "datestarted" => "started",
        "totaltime" => "seconds",
        "ipaddress" => "ip",
        "token" | "accesscode" | "emailaddress" => "who",
        "lastpage" | "startlanguage" | "seed" | "datelastaction" | "referrerurl" | "firstname"
        | "lastname" => "",
        _ if header.starts_with("Group time:") || header.starts_with("Question time:") => "",
        // Equation questions and the expression manager's debugging output.
        _ if header.starts_with('{') || header.contains(".NAOK") => "",
        _ => return None,
    })
}

/// `Where are you planning to stay? [Hotel]` → (`Where are you planning to stay?`, `Hotel`);
/// an array's `[Alcohol:|absolutely not|absolutely]` keeps its row label `Alcohol`.
fn bracketed(header: &str) -> Option<(&str, &str)> {
    let inner = header.strip_suffix(']')?;
    let open = inner.rfind('[')?;
    let label = inner[open + 1..].split('|').next().unwrap_or_default();
    Some((
        inner[..open].trim(),
        label.trim().trim_end_matches(':').trim(),
    ))
}

fn is_other(label: &str) -> bool {
    matches!(header_key(label).as_str(), "other" | "其他" | "其它")
}

pub fn layout(table: &Grid) -> Result<ColumnPlan, String> {
    if !matches(table) {
        return Err(EXPECTED.to_owned());
    }
    let headers = header_row(table, 0);
    let mut fixed = Fixed::default();
    // Question columns in order: (column, stem, option label).
    let mut columns: Vec<(usize, &str, Option<&str>)> = Vec::new();
    for (c, h) in headers.iter().enumerate() {
        match fixed_column(h) {
            Some("id") => fixed.id = Some(c),
            Some("submitted") => {
                fixed.submitted = Some(c);
                fixed.finished = Some(Finished::Present(c));
            }
            Some("started") => fixed.started = Some(c),
            Some("seconds") => fixed.seconds = Some(c),
            Some("ip") => fixed.respondent.insert(0, c),
            Some("who") => fixed.respondent.push(c),
            Some(_) => {}
            None => match bracketed(h) {
                Some((stem, label)) => columns.push((c, stem, Some(label))),
                None => columns.push((c, h, None)),
            },
        }
    }
    let mut questions: Vec<Spec> = Vec::new();
    // Questions are numbered in column order; an array's rows share their question's number.
    let mut number = 0;
    let mut start = 0;
    while start < columns.len() {
        let (col, stem, label) = columns[start];
        let Some(label) = label else {
            number += 1;
            questions.push(column_spec(number, col, stem));
            start += 1;
            continue;
        };
        // `[Other]` right after a one-column question with the same (or no) stem is its box.
        if is_other(label)
            && let Some(previous) = questions.last_mut()
            && let Source::Column { col: p, other, .. } = &mut previous.source
            && *p + 1 == col
            && (stem.is_empty() || stem == previous.text)
            && other.is_none()
        {
            *other = Some(OtherColumn {
                col,
                option: label.to_owned(),
            });
            start += 1;
            continue;
        }
        let end = columns[start..]
            .iter()
            .position(|(_, s, l)| l.is_none() || *s != stem)
            .map_or(columns.len(), |p| start + p);
        let group = &columns[start..end];
        number += 1;
        questions.extend(group_specs(table, &number.to_string(), stem, group));
        start = end;
    }
    ColumnPlan::checked(EXPECTED, 1, fixed, questions, &[])
}

fn column_spec(number: usize, col: usize, text: &str) -> Spec {
    Spec {
        number: number.to_string(),
        group: None,
        text: text.to_owned(),
        source: Source::Column {
            col,
            style: Style::ChoiceCodes,
            other: None,
        },
        rating_header: looks_like_rating(text),
    }
}

/// The `题干 [选项]` columns of one stem: a multiple choice when every cell is a flag (`Y`,
/// `1`/`0` in an R or SPSS-style export) or an "other" box's text, else an array whose rows
/// are questions `n.1`, `n.2`, ….
fn group_specs(
    table: &Grid,
    number: &str,
    stem: &str,
    group: &[(usize, &str, Option<&str>)],
) -> Vec<Spec> {
    let is_flags = |c: usize| {
        column_values(table, 1, c)
            .iter()
            .all(|v| matches!(*v, "" | "Y" | "N" | "0" | "1"))
    };
    // Columns nobody answered say nothing about the question's kind.
    let answered = group
        .iter()
        .any(|&(c, _, _)| column_values(table, 1, c).iter().any(|v| !v.is_empty()));
    let boxes: Vec<bool> = group
        .iter()
        .map(|(_, _, l)| l.is_some_and(is_other))
        .collect();
    let options_only = group
        .iter()
        .zip(&boxes)
        .all(|(&(c, _, _), &other)| other || is_flags(c));
    if answered && options_only && boxes.iter().any(|b| !b) {
        let options = group
            .iter()
            .zip(&boxes)
            .map(|(&(c, _, label), &other)| OptionColumn {
                option: label.unwrap_or_default().to_owned(),
                flag: (!other).then_some(c),
                text: other.then_some(c),
            })
            .collect();
        return vec![Spec {
            number: number.to_owned(),
            group: None,
            text: stem.to_owned(),
            source: Source::Options(options),
            rating_header: false,
        }];
    }
    group
        .iter()
        .enumerate()
        .map(|(k, &(c, _, label))| Spec {
            number: format!("{number}.{}", k + 1),
            group: Some(number.to_owned()),
            text: format!("{stem} - {}", label.unwrap_or_default()),
            source: Source::Column {
                col: c,
                style: Style::ChoiceCodes,
                other: None,
            },
            rating_header: true,
        })
        .collect()
}
