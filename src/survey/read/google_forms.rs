//! Google Forms: `Timestamp` (时间戳记) first, maybe `Email Address` and `Score`, then one
//! column per question headed by its text; grid rows as `题目 [行]`. The form's own download
//! writes `2026/05/12 10:31:05 AM GMT+8` and joins checkbox answers with `;`; a download of
//! the linked sheet writes `5/12/2026 10:31:05` and joins them with `, `.

use super::column_plan::{ColumnPlan, Fixed, Source, Spec, Style, header_row, looks_like_rating};
use super::grid::Grid;
use crate::chars::header_key;

pub const EXPECTED: &str = "Timestamp (or 时间戳记) in the first column, then one column per \
    question headed by its text";

pub fn matches(table: &Grid) -> bool {
    header_row(table, 0).first().is_some_and(|h| {
        matches!(
            header_key(h).as_str(),
            "timestamp" | "时间戳记" | "時間戳記" | "时间戳"
        )
    })
}

/// `请对以下服务打分 [物业服务态度]` → (`请对以下服务打分`, `物业服务态度`).
fn grid_row(header: &str) -> Option<(&str, &str)> {
    let open = header.rfind(" [")?;
    let row = header[open + 2..].strip_suffix(']')?;
    Some((header[..open].trim(), row.trim()))
}

pub fn layout(table: &Grid) -> Result<ColumnPlan, String> {
    if !matches(table) {
        return Err(EXPECTED.to_owned());
    }
    let headers = header_row(table, 0);
    let mut fixed = Fixed {
        submitted: Some(0),
        ..Fixed::default()
    };
    let mut questions: Vec<Spec> = Vec::new();
    let mut number = 0;
    let mut grid: Option<&str> = None;
    for (c, h) in headers.iter().enumerate().skip(1) {
        match header_key(h).as_str() {
            "" => continue,
            "emailaddress" | "电子邮件地址" | "邮箱地址" | "username" | "用户名" => {
                fixed.respondent.push(c);
                continue;
            }
            "score" | "分数" => continue,
            _ => {}
        }
        let source = Source::Column {
            col: c,
            style: Style::Listed,
            other: None,
        };
        match grid_row(h) {
            Some((stem, row)) => {
                if grid != Some(stem) {
                    number += 1;
                    grid = Some(stem);
                }
                let rows_so_far = questions
                    .iter()
                    .filter(|q| q.group.as_deref() == Some(&number.to_string()))
                    .count();
                questions.push(Spec {
                    number: format!("{number}.{}", rows_so_far + 1),
                    group: Some(number.to_string()),
                    text: format!("{stem} - {row}"),
                    source,
                    rating_header: true,
                });
            }
            None => {
                number += 1;
                grid = None;
                questions.push(Spec {
                    number: number.to_string(),
                    group: None,
                    text: (*h).to_owned(),
                    source,
                    rating_header: looks_like_rating(h),
                });
            }
        }
    }
    ColumnPlan::checked(EXPECTED, 1, fixed, questions, &[])
}
