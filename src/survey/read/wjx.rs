//! What the two 问卷星 downloads share: the fixed columns (序号, 提交答卷时间, 所用时间, 来源,
//! 来源详情, 来自IP, and extra ones such as 总分 or 自定义字段 anywhere), question columns
//! numbered `1、题目` (`2.`, `3:`), and sub-columns `5(行标题)` / `4、(选项)` for matrix rows
//! and, in the number download, multiple-choice options.

use super::column_plan::{
    ColumnPlan, Fixed, OptionColumn, Source, Spec, Style, column_values, header_row,
    looks_like_rating, numbered, sub_column,
};
use super::grid::Grid;
use super::values::parse_integer;
use crate::chars::header_key;

pub const EXPECTED: &str = "序号, 提交答卷时间, 所用时间, 来源, 来源详情, 来自IP, then one \
    column per question numbered `1、题目` (or `2.题目`, `3:题目`), matrix rows as `5(行标题)`";

/// Not answered in a number download: -3 skipped (跳过), -2 left empty (空).
const NUMBER_NOT_ANSWERS: [&str; 2] = ["-2", "-3"];

pub fn matches(table: &Grid) -> bool {
    let keys: Vec<String> = header_row(table, 0).iter().map(|h| header_key(h)).collect();
    let has = |k: &str| keys.iter().any(|h| h == k);
    has("提交答卷时间") && (has("序号") || has("所用时间"))
}

enum Column {
    Question { number: String, text: String },
    Sub { number: String, label: String },
}

fn question_columns(table: &Grid) -> Vec<(usize, Column)> {
    header_row(table, 0)
        .iter()
        .enumerate()
        .filter_map(|(c, h)| {
            if let Some((number, label)) = sub_column(h) {
                Some((c, Column::Sub { number, label }))
            } else {
                numbered(h).map(|(number, text)| (c, Column::Question { number, text }))
            }
        })
        .collect()
}

pub fn layout(table: &Grid, number_download: bool) -> Result<ColumnPlan, String> {
    if !matches(table) {
        return Err(EXPECTED.to_owned());
    }
    let mut fixed = Fixed::default();
    for (c, h) in header_row(table, 0).iter().enumerate() {
        match header_key(h).as_str() {
            "序号" => fixed.id = Some(c),
            "提交答卷时间" => fixed.submitted = Some(c),
            "所用时间" => fixed.seconds = Some(c),
            "来自ip" | "ip" | "ip地址" | "填写者ip" => fixed.respondent.insert(0, c),
            "用户id" | "微信openid" | "openid" => fixed.respondent.push(c),
            _ => {}
        }
    }
    let style = if number_download {
        Style::Index
    } else {
        Style::Text
    };
    let mut questions = Vec::new();
    let mut group: Vec<(usize, String)> = Vec::new();
    let mut group_number = String::new();
    for (c, column) in question_columns(table) {
        match column {
            Column::Sub { number, label } if number == group_number || group.is_empty() => {
                group_number = number;
                group.push((c, label));
            }
            Column::Sub { number, label } => {
                questions.extend(sub_group(table, &group_number, &group, number_download));
                group = vec![(c, label)];
                group_number = number;
            }
            Column::Question { number, text } => {
                if !group.is_empty() {
                    questions.extend(sub_group(table, &group_number, &group, number_download));
                    group.clear();
                }
                questions.push(Spec {
                    rating_header: looks_like_rating(&text),
                    number,
                    group: None,
                    text,
                    source: Source::Column {
                        col: c,
                        style,
                        other: None,
                    },
                });
            }
        }
    }
    if !group.is_empty() {
        questions.extend(sub_group(table, &group_number, &group, number_download));
    }
    ColumnPlan::checked(
        EXPECTED,
        1,
        fixed,
        questions,
        if number_download {
            &NUMBER_NOT_ANSWERS
        } else {
            &[]
        },
    )
}

/// Whether the sub-columns of one number are a number download's multiple choice: every cell
/// 0 or 1 (or -2/-3, or `1〖fill-in〗`).
fn is_option_group(table: &Grid, cols: &[(usize, String)]) -> bool {
    let mut flags = 0;
    for &(c, _) in cols {
        for v in column_values(table, 1, c) {
            match v {
                "0" | "1" => flags += 1,
                "" | "-2" | "-3" => {}
                v if v.starts_with("1〖") => flags += 1,
                _ => return false,
            }
        }
    }
    flags > 0
}

fn sub_group(
    table: &Grid,
    number: &str,
    cols: &[(usize, String)],
    number_download: bool,
) -> Vec<Spec> {
    if number_download && is_option_group(table, cols) {
        let options = cols
            .iter()
            .map(|(c, label)| OptionColumn {
                option: label.clone(),
                flag: Some(*c),
                text: None,
            })
            .collect();
        return vec![Spec {
            number: number.to_owned(),
            group: None,
            text: String::new(),
            source: Source::Options(options),
            rating_header: false,
        }];
    }
    cols.iter()
        .enumerate()
        .map(|(k, (c, label))| Spec {
            number: format!("{number}.{}", k + 1),
            group: Some(number.to_owned()),
            text: label.clone(),
            source: Source::Column {
                col: *c,
                style: if number_download {
                    Style::Index
                } else {
                    Style::Text
                },
                other: None,
            },
            rating_header: true,
        })
        .collect()
}

/// A 问卷星 export is a number download when it holds -2/-3 or 0/1 option columns, or
/// when no question column holds option texts.
pub fn is_number_download(table: &Grid) -> bool {
    let columns = question_columns(table);
    let mut text_marks = false;
    let mut categorical = false;
    let mut integer_column = false;
    let mut subs: Vec<(String, Vec<(usize, String)>)> = Vec::new();
    for (c, column) in &columns {
        let values: Vec<&str> = column_values(table, 1, *c)
            .into_iter()
            .filter(|v| !v.is_empty())
            .collect();
        if values.iter().any(|v| NUMBER_NOT_ANSWERS.contains(v)) {
            return true;
        }
        text_marks |= values
            .iter()
            .any(|v| v.contains('┋') || v.contains('→') || matches!(*v, "(跳过)" | "(空)"));
        match column {
            Column::Sub { number, label } => match subs.last_mut() {
                Some((n, cols)) if n == number => cols.push((*c, label.clone())),
                _ => subs.push((number.clone(), vec![(*c, label.clone())])),
            },
            Column::Question { .. } => {
                if !values.is_empty() && values.iter().all(|v| parse_integer(v).is_some()) {
                    integer_column = true;
                } else {
                    let mut distinct = values.clone();
                    distinct.sort_unstable();
                    distinct.dedup();
                    categorical |= !values.is_empty()
                        && values.iter().any(|v| parse_integer(v).is_none())
                        && distinct.len() * 2 <= values.len();
                }
            }
        }
    }
    if subs
        .iter()
        .any(|(_, cols)| cols.len() > 1 && is_option_group(table, cols))
    {
        return true;
    }
    !text_marks && !categorical && integer_column
}
