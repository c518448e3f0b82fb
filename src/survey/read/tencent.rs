//! 腾讯问卷: 编号, 开始答题时间, 结束答题时间, 答题时长 (`85` or `1分20秒`), maybe 来源, IP,
//! 地理位置…, 用户类型, 用户标识 (who answered: the respondent), 昵称 and 自定义字段 columns,
//! then questions `1.题目` (or `Q1.题目`); a multiple choice (or matrix) as one column per
//! option `4.题目:选项`, holding the option text or 1 when chosen. Every line ends with a
//! comma, so the header ends with an empty column. Usually GBK.

use super::column_plan::{
    ColumnPlan, Fixed, OptionColumn, Source, Spec, Style, column_values, header_row,
    looks_like_rating, numbered,
};
use super::grid::Grid;
use crate::chars::header_key;

pub const EXPECTED: &str = "编号, 开始答题时间, 结束答题时间, 答题时长, then one column per \
    question `1.题目` (a multiple choice as `4.题目:选项` columns)";

pub fn matches(table: &Grid) -> bool {
    let keys: Vec<String> = header_row(table, 0).iter().map(|h| header_key(h)).collect();
    let has = |k: &str| keys.iter().any(|h| h == k);
    has("编号") && (has("开始答题时间") || has("结束答题时间") || has("答题时长"))
}

pub fn layout(table: &Grid) -> Result<ColumnPlan, String> {
    if !matches(table) {
        return Err(EXPECTED.to_owned());
    }
    let headers = header_row(table, 0);
    let mut fixed = Fixed::default();
    let mut columns: Vec<(usize, String, String)> = Vec::new();
    for (c, h) in headers.iter().enumerate() {
        let key = header_key(h);
        match key.as_str() {
            "编号" => fixed.id = Some(c),
            "开始答题时间" => fixed.started = Some(c),
            "结束答题时间" | "提交时间" => fixed.submitted = Some(c),
            "答题时长" => fixed.seconds = Some(c),
            k if k.contains("ip") && !k.contains("地理") => fixed.respondent.insert(0, c),
            // 用户标识: the WeChat/QQ user a response came from.
            "用户标识" | "用户id" | "openid" | "微信openid" | "qq" => {
                fixed.respondent.push(c)
            }
            _ => {
                if let Some((number, text)) = numbered(h) {
                    columns.push((c, number, text));
                }
            }
        }
    }
    let mut questions = Vec::new();
    let mut start = 0;
    while start < columns.len() {
        let number = &columns[start].1;
        let end = columns[start..]
            .iter()
            .position(|(_, n, _)| n != number)
            .map_or(columns.len(), |p| start + p);
        questions.extend(group(table, &columns[start..end]));
        start = end;
    }
    ColumnPlan::checked(EXPECTED, 1, fixed, questions, &[])
}

/// The columns of one question number: one column, or one per option (or matrix row) after
/// `题目:`.
fn group(table: &Grid, cols: &[(usize, String, String)]) -> Vec<Spec> {
    let (first_col, number, first_text) = &cols[0];
    let stem = (cols.len() > 1)
        .then(|| common_stem(cols.iter().map(|(_, _, t)| t.as_str())))
        .filter(|s| !s.is_empty());
    let Some(stem) = stem else {
        return vec![Spec {
            rating_header: looks_like_rating(first_text),
            number: number.clone(),
            group: None,
            text: first_text.clone(),
            source: Source::Column {
                col: *first_col,
                style: Style::Text,
                other: None,
            },
        }];
    };
    let labels: Vec<&str> = cols
        .iter()
        .map(|(_, _, t)| t[stem.len()..].trim())
        .collect();
    let stem = stem.trim_end_matches(':').trim().to_owned();
    let is_options = cols.iter().zip(&labels).all(|((c, _, _), label)| {
        is_other_label(label)
            || column_values(table, 1, *c)
                .iter()
                .all(|v| v.is_empty() || *v == "1" || *v == "0" || v == label)
    });
    if is_options {
        let options = cols
            .iter()
            .zip(&labels)
            .map(|((c, _, _), label)| OptionColumn {
                option: (*label).to_owned(),
                flag: Some(*c),
                text: None,
            })
            .collect();
        return vec![Spec {
            number: number.clone(),
            group: None,
            text: stem,
            source: Source::Options(options),
            rating_header: false,
        }];
    }
    cols.iter()
        .zip(&labels)
        .enumerate()
        .map(|(k, ((c, _, _), label))| Spec {
            number: format!("{number}.{}", k + 1),
            group: Some(number.clone()),
            text: format!("{stem} - {label}"),
            source: Source::Column {
                col: *c,
                style: Style::Text,
                other: None,
            },
            rating_header: true,
        })
        .collect()
}

/// The shared `题目:` of a group's headers, up to and including its last colon; empty when
/// the headers do not share one.
fn common_stem<'a>(mut texts: impl Iterator<Item = &'a str>) -> &'a str {
    let first = texts.next().unwrap_or_default();
    let mut len = first.len();
    for t in texts {
        len = first
            .char_indices()
            .zip(t.chars())
            .find(|((_, a), b)| a != b)
            .map_or(len.min(t.len()), |((i, _), _)| i.min(len));
    }
    let prefix = &first[..len];
    match prefix.rfind(':') {
        Some(i) => &first[..=i],
        None => "",
    }
}

fn is_other_label(label: &str) -> bool {
    label.starts_with("其他")
        || label.starts_with("其它")
        || label.to_lowercase().starts_with("other")
}
