//! SurveyMonkey: two header rows. Row 1 names the fixed columns (Respondent ID, Collector ID,
//! Start Date, End Date, IP Address, Email Address, First Name, Last Name, Custom Data 1) and
//! then each question over its group of columns (blank cells continue the group to the
//! right); row 2 says what each column of a group is: `Response`, `Open-Ended Response`, an
//! option text (checkbox columns hold the option text when chosen), a matrix row, a ranked
//! item (the column holds its rank, 1 = first), or `Other (please specify)`. Dates read
//! `05/12/2026 10:31:05 AM`.
//!
//! Re-saved exports merge the two rows into one: `RespondentID`, then `Question` for a
//! one-column question, `Question - Option` for each column of a group and `Question - Other
//! (please specify)` for a box (twice for a checkbox's "other": ticked, then typed).

use super::column_plan::{
    ColumnPlan, Fixed, OptionColumn, OtherColumn, Source, Spec, Style, column_values, header_row,
    looks_like_rating,
};
use super::grid::Grid;
use super::values::parse_integer;
use crate::chars::header_key;

pub const EXPECTED: &str = "two header rows: Respondent ID, Collector ID, Start Date, End Date, \
    IP Address, Email Address, First Name, Last Name, Custom Data 1, then question texts, over a \
    second row of Response / Open-Ended Response / option texts";

pub fn matches(table: &Grid) -> bool {
    let keys: Vec<String> = header_row(table, 0).iter().map(|h| header_key(h)).collect();
    keys.iter().any(|k| k == "respondentid")
        && (keys.iter().any(|k| k == "collectorid") || has_response_row(table) || is_merged(table))
}

fn has_response_row(table: &Grid) -> bool {
    header_row(table, 1)
        .iter()
        .any(|h| matches!(header_key(h).as_str(), "response" | "openendedresponse"))
}

/// One header row of `Question - Option` columns: some question's text is shared by
/// several columns, or an `Other (please specify)` box follows it.
fn is_merged(table: &Grid) -> bool {
    let headers = header_row(table, 0);
    !has_response_row(table)
        && headers.iter().any(|h| {
            h.rsplit_once(" - ").is_some_and(|(stem, label)| {
                is_other_label(label) || headers.iter().filter(|o| o.starts_with(stem)).count() > 1
            })
        })
}

/// The merged header split back into the two rows: question texts over `Response` / option
/// labels (see the module). A lone `Question - Option` column is a checkbox when it holds
/// nothing but its option.
fn unmerge<'t>(table: &Grid, headers: &[&'t str]) -> (Vec<&'t str>, Vec<&'t str>) {
    let mut row1 = Vec::with_capacity(headers.len());
    let mut row2 = Vec::with_capacity(headers.len());
    let mut current: Option<&str> = None;
    for (c, &h) in headers.iter().enumerate() {
        let only_its_option = |label: &str| {
            let values = column_values(table, 1, c);
            values.iter().all(|v| v.is_empty() || *v == label)
                && values.iter().any(|v| !v.is_empty())
        };
        let split = h.rsplit_once(" - ").filter(|(stem, label)| {
            current == Some(*stem)
                || is_other_label(label)
                || headers.iter().filter(|o| o.starts_with(stem)).count() > 1
                || only_its_option(label)
        });
        match split {
            Some((stem, label)) => {
                row1.push(if current == Some(stem) { "" } else { stem });
                row2.push(label);
                current = Some(stem);
            }
            None => {
                row1.push(h);
                row2.push(if fixed_column(&header_key(h)).is_some() {
                    ""
                } else {
                    "Response"
                });
                current = Some(h);
            }
        }
    }
    (row1, row2)
}

/// What the fixed column named `key` is, if it is one.
fn fixed_column(key: &str) -> Option<&'static str> {
    Some(match key {
        "respondentid" => "id",
        "startdate" => "started",
        "enddate" => "submitted",
        "ipaddress" => "ip",
        "emailaddress" => "email",
        "collectorid" | "firstname" | "lastname" | "customdata" | "customdata1" => "",
        _ => return None,
    })
}

fn is_other_label(label: &str) -> bool {
    let key = header_key(label);
    key.starts_with("other") || key.starts_with("其他") || key.starts_with("其它")
}

pub fn layout(table: &Grid) -> Result<ColumnPlan, String> {
    if !matches(table) {
        return Err(EXPECTED.to_owned());
    }
    let (row1, row2, header_rows) = if is_merged(table) {
        let (row1, row2) = unmerge(table, &header_row(table, 0));
        (row1, row2, 1)
    } else {
        (header_row(table, 0), header_row(table, 1), 2)
    };
    let mut fixed = Fixed::default();
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    for (c, h) in row1.iter().enumerate() {
        match fixed_column(&header_key(h)) {
            Some("id") => fixed.id = Some(c),
            Some("started") => fixed.started = Some(c),
            Some("submitted") => fixed.submitted = Some(c),
            Some("ip") => fixed.respondent.insert(0, c),
            Some("email") => fixed.respondent.push(c),
            Some(_) => {}
            None if !h.is_empty() => groups.push(((*h).to_owned(), vec![c])),
            None => match groups.last_mut() {
                Some((_, cols)) if !row2[c].is_empty() && cols.last() == Some(&(c - 1)) => {
                    cols.push(c);
                }
                _ => {}
            },
        }
    }
    let mut questions = Vec::new();
    for (n, (text, cols)) in groups.iter().enumerate() {
        let number = (n + 1).to_string();
        questions.extend(group(table, header_rows, &row2, &number, text, cols));
    }
    ColumnPlan::checked(EXPECTED, header_rows, fixed, questions, &[])
}

fn group(
    table: &Grid,
    header_rows: usize,
    row2: &[&str],
    number: &str,
    text: &str,
    cols: &[usize],
) -> Vec<Spec> {
    let spec = |source| Spec {
        number: number.to_owned(),
        group: None,
        text: text.to_owned(),
        source,
        rating_header: looks_like_rating(text),
    };
    let is_response = |c: usize| {
        matches!(
            header_key(row2[c]).as_str(),
            "response" | "openendedresponse" | ""
        )
    };
    // One answer column, maybe with an "Other (please specify)" box beside it.
    if is_response(cols[0]) && cols[1..].iter().all(|&c| is_other_label(row2[c])) {
        let other = cols.get(1).map(|&c| OtherColumn {
            col: c,
            option: row2[c].to_owned(),
        });
        // Re-saved exports may hold a checkbox question's answers joined in this one column.
        return vec![spec(Source::Column {
            col: cols[0],
            style: Style::Listed,
            other,
        })];
    }
    // Checkboxes: each column holds its option text when chosen; an "other" column holds
    // what was typed.
    let checkbox = |c: usize| {
        column_values(table, header_rows, c)
            .iter()
            .all(|v| v.is_empty() || *v == row2[c])
    };
    if cols.iter().all(|&c| checkbox(c) || is_other_label(row2[c])) {
        let mut options: Vec<OptionColumn> = Vec::with_capacity(cols.len());
        for &c in cols {
            let typed = !checkbox(c);
            match options.last_mut() {
                // The merged header's ticked "other" column, then the typed one: one option.
                Some(last) if typed && last.option == row2[c] && last.text.is_none() => {
                    last.text = Some(c);
                }
                _ => options.push(OptionColumn {
                    option: row2[c].to_owned(),
                    flag: (!typed).then_some(c),
                    text: typed.then_some(c),
                }),
            }
        }
        return vec![Spec {
            rating_header: false,
            ..spec(Source::Options(options))
        }];
    }
    if is_ranking(table, header_rows, cols) {
        let items = cols.iter().map(|&c| (c, row2[c].to_owned())).collect();
        return vec![Spec {
            rating_header: false,
            ..spec(Source::Ranks(items))
        }];
    }
    // A matrix: one question per row.
    cols.iter()
        .enumerate()
        .map(|(k, &c)| Spec {
            number: format!("{number}.{}", k + 1),
            group: Some(number.to_owned()),
            text: format!("{text} - {}", row2[c]),
            source: Source::Column {
                col: c,
                style: Style::Text,
                other: None,
            },
            rating_header: true,
        })
        .collect()
}

/// A ranking: every answer a whole number from 1 to the number of columns, no respondent
/// giving one rank twice, and someone ranking two items or more. A matrix on a rating scale
/// repeats a score across its rows.
fn is_ranking(table: &Grid, header_rows: usize, cols: &[usize]) -> bool {
    if cols.len() < 2 {
        return false;
    }
    let max = cols.len() as i64;
    let mut ranked_several = false;
    for row in table.rows.iter().skip(header_rows) {
        let mut seen = Vec::with_capacity(cols.len());
        for &c in cols {
            let value = row.cell(c);
            if value.is_empty() {
                continue;
            }
            match parse_integer(value) {
                Some(rank) if (1..=max).contains(&rank) && !seen.contains(&rank) => seen.push(rank),
                _ => return false,
            }
        }
        ranked_several |= seen.len() > 1;
    }
    ranked_several
}
