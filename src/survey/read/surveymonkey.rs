//! SurveyMonkey: two header rows. Row 1 names the fixed columns (Respondent ID, Collector ID,
//! Start Date, End Date, IP Address, Email Address, First Name, Last Name, Custom Data 1) and
//! then each question over its group of columns (blank cells continue the group to the
//! right); row 2 says what each column of a group is: `Response`, `Open-Ended Response`, an
//! option text (checkbox columns hold the option text when chosen), a matrix row, or
//! `Other (please specify)`. Dates read `05/12/2026 10:31:05 AM`.

use super::layout::{
    Fixed, Layout, OptionColumn, OtherColumn, Source, Spec, Style, column_values, header_row,
    looks_like_rating,
};
use super::table::Table;
use crate::ingest::text::header_key;

pub const EXPECTED: &str = "two header rows: Respondent ID, Collector ID, Start Date, End Date, \
    IP Address, Email Address, First Name, Last Name, Custom Data 1, then question texts, over a \
    second row of Response / Open-Ended Response / option texts";

pub fn matches(table: &Table) -> bool {
    let keys: Vec<String> = header_row(table, 0).iter().map(|h| header_key(h)).collect();
    keys.iter().any(|k| k == "respondentid")
        && (keys.iter().any(|k| k == "collectorid")
            || header_row(table, 1)
                .iter()
                .any(|h| matches!(header_key(h).as_str(), "response" | "openendedresponse")))
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

pub fn layout(table: &Table) -> Result<Layout, String> {
    if !matches(table) {
        return Err(EXPECTED.to_owned());
    }
    let row1 = header_row(table, 0);
    let row2 = header_row(table, 1);
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
        questions.extend(group(table, &row2, &(n + 1).to_string(), text, cols));
    }
    Layout::checked(EXPECTED, 2, fixed, questions, &[])
}

fn group(table: &Table, row2: &[&str], number: &str, text: &str, cols: &[usize]) -> Vec<Spec> {
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
        column_values(table, 2, c)
            .iter()
            .all(|v| v.is_empty() || *v == row2[c])
    };
    if cols.iter().all(|&c| checkbox(c) || is_other_label(row2[c])) {
        let options = cols
            .iter()
            .map(|&c| {
                let typed = !checkbox(c);
                OptionColumn {
                    option: row2[c].to_owned(),
                    flag: (!typed).then_some(c),
                    text: typed.then_some(c),
                }
            })
            .collect();
        return vec![Spec {
            rating_header: false,
            ..spec(Source::Options(options))
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
