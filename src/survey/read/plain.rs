//! A plain table: one header row, every column a question (no fixed columns). Headers that
//! start with a question number (`1、`, `2.`, `Q3.`) keep it; the others are numbered by their
//! position. Detected automatically only when every header is numbered; otherwise set the
//! survey's `format` to "plain".

use super::column_plan::{
    ColumnPlan, Fixed, Source, Spec, Style, header_row, looks_like_rating, numbered,
};
use super::grid::Grid;

pub const EXPECTED: &str = "one header row naming a question in every column, such as \
    `1、您的年龄段, 2、您所在的小区, …`";

pub fn matches(table: &Grid) -> bool {
    let headers = header_row(table, 0);
    let named: Vec<&&str> = headers.iter().filter(|h| !h.is_empty()).collect();
    !named.is_empty() && named.iter().all(|h| numbered(h).is_some())
}

pub fn layout(table: &Grid) -> Result<ColumnPlan, String> {
    let headers = header_row(table, 0);
    let questions: Vec<Spec> = headers
        .iter()
        .enumerate()
        .filter(|(_, h)| !h.is_empty())
        .enumerate()
        .map(|(position, (c, h))| {
            let (number, text) =
                numbered(h).unwrap_or_else(|| ((position + 1).to_string(), (*h).to_owned()));
            Spec {
                rating_header: looks_like_rating(&text),
                number,
                group: None,
                text,
                source: Source::Column {
                    col: c,
                    style: Style::Text,
                    other: None,
                },
            }
        })
        .collect();
    if questions.is_empty() {
        return Err(EXPECTED.to_owned());
    }
    Ok(ColumnPlan {
        header_rows: 1,
        fixed: Fixed::default(),
        questions,
        not_answers: &[],
    })
}
