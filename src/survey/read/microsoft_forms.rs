//! Microsoft Forms (the Excel download, saved as CSV): `Id`, `Start time`, `Completion time`,
//! `Email`, `Name` (`anonymous` and empty when the form does not ask respondents to sign in),
//! maybe `Last modified time`, then one column per question headed by its text. A multiple
//! choice's answers are joined by `;` with a trailing `;`. Quiz columns (`Total points`,
//! `Quiz feedback`, `Points - …`, `Feedback - …`) are grades, not answers. The Chinese
//! interface writes ID, 开始时间, 完成时间, 电子邮件, 名称.

use super::column_plan::{ColumnPlan, Fixed, Source, Spec, Style, header_row, looks_like_rating};
use super::grid::Grid;
use crate::chars::header_key;

pub const EXPECTED: &str = "Id, Start time, Completion time, Email, Name, then one column per \
    question headed by its text";

fn is_start(key: &str) -> bool {
    matches!(key, "starttime" | "开始时间")
}

fn is_completion(key: &str) -> bool {
    matches!(key, "completiontime" | "完成时间")
}

pub fn matches(table: &Grid) -> bool {
    let keys: Vec<String> = header_row(table, 0).iter().map(|h| header_key(h)).collect();
    keys.first().is_some_and(|k| k == "id")
        && keys.iter().any(|k| is_start(k))
        && keys.iter().any(|k| is_completion(k))
}

/// Columns that grade a quiz: never answers.
fn is_quiz_column(header: &str) -> bool {
    let lower = header.to_lowercase();
    matches!(header_key(header).as_str(), "totalpoints" | "quizfeedback")
        || lower.starts_with("points - ")
        || lower.starts_with("feedback - ")
}

pub fn layout(table: &Grid) -> Result<ColumnPlan, String> {
    if !matches(table) {
        return Err(EXPECTED.to_owned());
    }
    let mut fixed = Fixed::default();
    let mut questions = Vec::new();
    for (c, h) in header_row(table, 0).iter().enumerate() {
        let key = header_key(h);
        match key.as_str() {
            "" => {}
            "id" => fixed.id = Some(c),
            k if is_start(k) => fixed.started = Some(c),
            k if is_completion(k) => fixed.submitted = Some(c),
            // Who answered: identity, never a question.
            "email" | "电子邮件" | "name" | "名称" | "姓名" => fixed.respondent.push(c),
            "lastmodifiedtime" | "上次修改时间" => {}
            _ if is_quiz_column(h) => {}
            _ => questions.push(Spec {
                number: (questions.len() + 1).to_string(),
                group: None,
                text: (*h).to_owned(),
                source: Source::Column {
                    col: c,
                    style: Style::Listed,
                    other: None,
                },
                rating_header: looks_like_rating(h),
            }),
        }
    }
    ColumnPlan::checked(EXPECTED, 1, fixed, questions, &[])
}
