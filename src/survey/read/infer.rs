//! Question types from the header and the answers given, when the config does not set them.
//!
//! In order: Ranking when answers read `A→B→C`; Multiple when the export marks it (`┋`,
//! one column per option); Rating when every answer is an integer 0–10 and the header reads
//! like a rating; Single for 问卷星 number downloads (answers are option indexes) and choice
//! codes (Qualtrics numeric values); Numeric
//! when every answer is a number; Multiple for answers joined in one cell (see `listed`); Text when the header asks for free text (建议, 请说明 …);
//! Single when the distinct answers are few (at most 12 and at most half the answers); Text
//! otherwise.

use super::column_plan::Style;
use super::listed::Listing;
use super::model::QuestionKind;
use super::values::{parse_number, split_fill_in};
use std::collections::BTreeSet;

/// Most distinct answers a single-choice question is taken to have.
pub const MAX_SINGLE_OPTIONS: usize = 12;
/// Highest score of a rating scale.
const MAX_RATING: f64 = 10.0;

/// `values`: the answered cells of one column (not-answer tokens already removed).
/// `rating_header` and `text_header`: what the header reads like (see `layout`).
pub fn infer(
    values: &[&str],
    style: Style,
    rating_header: bool,
    text_header: bool,
) -> QuestionKind {
    if values.is_empty() {
        return QuestionKind::Text;
    }
    let ranked = values.iter().filter(|v| v.contains('→')).count();
    if ranked * 2 >= values.len() {
        return QuestionKind::Ranking;
    }
    if style != Style::Listed && values.iter().any(|v| v.contains('┋')) {
        return QuestionKind::Multiple;
    }
    let plain: Vec<&str> = values.iter().map(|v| split_fill_in(v).0).collect();
    let numbers: Option<Vec<f64>> = plain.iter().map(|v| parse_number(v)).collect();
    if let Some(numbers) = numbers {
        let integers = numbers.iter().all(|n| n.fract() == 0.0);
        if rating_header && integers && numbers.iter().all(|n| (0.0..=MAX_RATING).contains(n)) {
            return QuestionKind::Rating;
        }
        if style == Style::Index && integers && numbers.iter().all(|&n| n >= 1.0) {
            return QuestionKind::Single;
        }
        if style == Style::ChoiceCodes && integers {
            return QuestionKind::Single;
        }
        return QuestionKind::Numeric;
    }
    if style == Style::Listed && Listing::detect(values).is_some() {
        return QuestionKind::Multiple;
    }
    if text_header {
        return QuestionKind::Text;
    }
    let distinct: BTreeSet<&str> = plain.iter().copied().collect();
    if distinct.len() <= MAX_SINGLE_OPTIONS && distinct.len() * 2 <= values.len() {
        return QuestionKind::Single;
    }
    QuestionKind::Text
}

#[cfg(test)]
mod tests {
    use super::*;
    use QuestionKind::*;

    #[test]
    fn kinds_from_values() {
        let ages = [
            "31-45岁", "18-30岁", "31-45岁", "46-60岁", "31-45岁", "18-30岁",
        ];
        assert_eq!(infer(&ages, Style::Text, false, false), Single);
        let scores = ["5", "3", "4", "5", "2"];
        assert_eq!(infer(&scores, Style::Text, true, false), Rating);
        assert_eq!(infer(&scores, Style::Text, false, false), Numeric);
        assert_eq!(infer(&scores, Style::Index, false, false), Single);
        assert_eq!(
            infer(&["120", "85", "300"], Style::Text, true, false),
            Numeric
        );
        assert_eq!(
            infer(&["保洁┋绿化", "保洁"], Style::Text, false, false),
            Multiple
        );
        assert_eq!(
            infer(&["A→B→C", "B→A→C"], Style::Text, false, false),
            Ranking
        );
        assert_eq!(
            infer(&["很好", "电梯太慢", "无"], Style::Text, false, false),
            Text
        );
        assert_eq!(infer(&[], Style::Text, false, false), Text);
        // A header asking for suggestions keeps recurring sentences as text.
        let canned = ["维修很快", "态度好", "维修很快", "态度好"];
        assert_eq!(infer(&canned, Style::Text, false, false), Single);
        assert_eq!(infer(&canned, Style::Text, false, true), Text);
        // Phone numbers are not numbers.
        assert_eq!(
            infer(&["13812345678", "13912345678"], Style::Text, false, false),
            Text
        );
    }

    #[test]
    fn google_checkboxes_only_when_parts_recur() {
        let boxes = ["保洁;停车", "绿化", "保洁;停车", "停车", "绿化;保洁"];
        assert_eq!(infer(&boxes, Style::Listed, false, false), Multiple);
        let sheet = ["保洁, 停车", "绿化", "保洁, 绿化"];
        assert_eq!(infer(&sheet, Style::Listed, false, false), Multiple);
        let prose = ["电梯老旧, 需要更换", "服务很好", "门禁坏了, 请尽快修"];
        assert_eq!(infer(&prose, Style::Listed, false, false), Text);
        // Outside Google Forms a comma is just a comma.
        assert_eq!(infer(&sheet, Style::Text, false, false), Text);
    }
}
