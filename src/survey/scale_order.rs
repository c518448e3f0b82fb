//! Options of an ordinal question put in scale order, as a reader expects, instead of the
//! order they first appeared in: the project's satisfaction levels, then built-in word scales
//! (satisfaction, agreement, frequency, favourability, education, doneness) and numeric bands
//! (`18-29`, `> 60`, `60以上`, `16~19岁`, `$0 - $24,999` … `$150,000+`, `3000元以下`). An
//! option outside the scale that means "no answer on it" (`Unfamiliar (N/A)`,
//! `不知道/拒绝回答`, `其他…`) goes last; any other option outside the scale leaves the
//! question as it was. Options that are all plain numbers (ratings, codes, indexes) are
//! already in order.

use super::read::{Answer, QuestionKind, SurveyExport};
use crate::config::LevelDef;

/// Word scales, each from its first position to its last; each position lists its
/// spellings (lowercase).
const WORD_SCALES: &[&[&[&str]]] = &[
    // Satisfaction, most satisfied first (as the project's levels are).
    &[
        &[
            "very satisfied",
            "extremely satisfied",
            "非常满意",
            "很满意",
        ],
        &["satisfied", "满意"],
        &["somewhat satisfied", "比较满意", "较满意", "基本满意"],
        &[
            "neutral",
            "neither satisfied nor dissatisfied",
            "一般",
            "中立",
        ],
        &["somewhat dissatisfied", "不太满意", "较不满意"],
        &["dissatisfied", "不满意"],
        &[
            "very dissatisfied",
            "extremely dissatisfied",
            "非常不满意",
            "很不满意",
        ],
    ],
    // Agreement, most agreeing first.
    &[
        &["strongly agree", "非常同意", "完全同意"],
        &["agree", "同意"],
        &["somewhat agree", "比较同意"],
        &["neither agree nor disagree", "neutral", "一般", "中立"],
        &["somewhat disagree", "不太同意"],
        &["disagree", "不同意"],
        &["strongly disagree", "非常不同意", "完全不同意"],
    ],
    // Frequency, least often first.
    &[
        &["never", "从不", "从来没有", "从未"],
        &["rarely", "seldom", "很少"],
        &["sometimes", "occasionally", "有时", "偶尔"],
        &["often", "usually", "frequently", "经常"],
        &["always", "总是", "每次都"],
    ],
    // Favourability, most favourable first.
    &[
        &["very favorably", "very favourably"],
        &["somewhat favorably", "somewhat favourably"],
        &[
            "neither favorably nor unfavorably (neutral)",
            "neither favorably nor unfavorably",
            "neither favourably nor unfavourably",
        ],
        &["somewhat unfavorably", "somewhat unfavourably"],
        &["very unfavorably", "very unfavourably"],
    ],
    // Education, least first.
    &[
        &[
            "less than high school degree",
            "小学及以下",
            "小学",
            "初中及以下",
        ],
        &["high school degree", "初中"],
        &[
            "some college or associate degree",
            "高中/中专",
            "高中",
            "中专",
            "高中及中专",
        ],
        &["associate degree", "大专"],
        &["bachelor degree", "bachelor's degree", "本科", "大学本科"],
        &[
            "graduate degree",
            "硕士",
            "研究生",
            "硕士研究生",
            "研究生及以上",
        ],
        &["博士"],
    ],
    // Steak doneness.
    &[
        &["rare"],
        &["medium rare"],
        &["medium"],
        &["medium well"],
        &["well", "well done"],
    ],
];

/// Spellings of "no position on the scale": such options go last.
fn is_off_scale(label: &str) -> bool {
    let lower = label.to_lowercase();
    const CONTAINED: [&str; 14] = [
        "n/a",
        "unfamiliar",
        "don't know",
        "dont know",
        "not sure",
        "prefer not",
        "refuse",
        "doesn't apply",
        "not applicable",
        "不知道",
        "拒绝",
        "不清楚",
        "说不清",
        "不适用",
    ];
    CONTAINED.iter().any(|w| lower.contains(w))
        || ["other", "其他", "其它"]
            .iter()
            .any(|w| lower.starts_with(w))
}

/// Puts every choice question's options in scale order where they form one.
pub fn order_options(export: &mut SurveyExport, levels: &[LevelDef]) {
    for q in 0..export.questions.len() {
        let question = &export.questions[q];
        if !matches!(question.kind, QuestionKind::Single | QuestionKind::Multiple) {
            continue;
        }
        if let Some(order) = scale_order(&question.options, levels) {
            reorder(export, q, &order);
        }
    }
}

/// The options' new order (old indexes), when they form a scale.
fn scale_order(options: &[String], levels: &[LevelDef]) -> Option<Vec<usize>> {
    if options.len() < 2 || options.iter().all(|o| plain_number(o).is_some()) {
        return None;
    }
    let level = |label: &str| {
        levels
            .iter()
            .position(|l| l.label == label || l.aliases.iter().any(|a| a == label))
            .map(|p| p as f64)
    };
    let keys = keys_by(options, level)
        .or_else(|| {
            (0..WORD_SCALES.len()).find_map(|family| keys_by(options, |o| word_rank(family, o)))
        })
        .or_else(|| keys_by(options, band_start))?;
    let mut order: Vec<usize> = (0..options.len()).collect();
    // Off-scale options (no key) last, keeping their order.
    order.sort_by(|&a, &b| match (keys[a], keys[b]) {
        (Some(x), Some(y)) => x.total_cmp(&y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.cmp(&b),
    });
    Some(order)
}

/// Each option's scale key, when every option has one or is off the scale, and at least
/// two have one.
fn keys_by(options: &[String], key: impl Fn(&str) -> Option<f64>) -> Option<Vec<Option<f64>>> {
    let keys: Vec<Option<f64>> = options.iter().map(|o| key(o.trim())).collect();
    let fits = keys
        .iter()
        .zip(options)
        .all(|(k, o)| k.is_some() || is_off_scale(o));
    (fits && keys.iter().flatten().count() >= 2).then_some(keys)
}

fn word_rank(family: usize, label: &str) -> Option<f64> {
    let label = label.to_lowercase();
    let label = label.split_whitespace().collect::<Vec<_>>().join(" ");
    WORD_SCALES[family]
        .iter()
        .position(|spellings| spellings.contains(&label.as_str()))
        .map(|p| p as f64)
}

fn plain_number(label: &str) -> Option<f64> {
    let label = label.trim();
    let digits = label.strip_prefix('-').unwrap_or(label);
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.'))
        .then(|| label.parse().ok())
        .flatten()
}

/// Where a numeric band starts: `18-29` 18, `$25,000 - $49,999` 25000, `16~19岁` 16, `11` 11;
/// a band open above (`> 60`, `60+`, `60以上`, `超过50%`, `21 or older`, `$200,000 and up`)
/// just after its number, one open below (`< 18`, `3000元以下`, `10 or younger`, `under 18`)
/// just before it; `无收入`, `没有投入`, `免费…` before every band.
fn band_start(label: &str) -> Option<f64> {
    const NOTHING: [&str; 4] = ["无", "没有", "免费", "零"];
    if NOTHING.iter().any(|w| label.starts_with(w)) {
        return Some(-1.0);
    }
    let lower = label.to_lowercase();
    // The first number, thousands separators dropped.
    let start = lower.find(|c: char| c.is_ascii_digit())?;
    let digits: String = lower[start..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || matches!(c, ',' | '.'))
        .filter(|c| *c != ',')
        .collect();
    let value: f64 = digits.trim_end_matches('.').parse().ok()?;
    // What is left must read as a band, not as prose that holds a number.
    let words = lower.replace(|c: char| c.is_ascii_digit() || ",.".contains(c), "");
    let above = [
        "以上",
        "+",
        ">",
        "超过",
        "or older",
        "and up",
        "and over",
        "or more",
        "及以上",
    ]
    .iter()
    .any(|w| words.contains(w));
    let below = [
        "以下",
        "<",
        "or younger",
        "under",
        "less than",
        "or less",
        "以内",
    ]
    .iter()
    .any(|w| words.contains(w));
    let rest: String = words
        .chars()
        .filter(|c| !c.is_whitespace())
        .filter(|c| !"-~～–—$¥￥%岁元部万千年月日号个次人小时分钟周天线级".contains(*c))
        .collect();
    // Longer spellings first, so `及以上` is not left as `及`.
    let band_words = [
        "及以上",
        "oryounger",
        "orolder",
        "andover",
        "lessthan",
        "以上",
        "andup",
        "ormore",
        "orless",
        "以下",
        "以内",
        "under",
        "超过",
        "左右",
        "to",
        "+",
        ">",
        "<",
        "约",
    ];
    let mut leftover = rest;
    for w in band_words {
        leftover = leftover.replace(w, "");
    }
    if !leftover.is_empty() {
        return None;
    }
    Some(match (above, below) {
        (true, false) => value + 0.5,
        (false, true) => value - 0.5,
        _ => value,
    })
}

/// Puts question `q`'s options in `order` (old indexes) and renumbers its answers.
pub fn reorder(export: &mut SurveyExport, q: usize, order: &[usize]) {
    let question = &mut export.questions[q];
    let mut new_index = vec![0; order.len()];
    for (new, &old) in order.iter().enumerate() {
        new_index[old] = new;
    }
    question.options = order.iter().map(|&i| question.options[i].clone()).collect();
    let renumber = |i: &mut usize| *i = new_index.get(*i).copied().unwrap_or(*i);
    for response in &mut export.responses {
        match response.answers.get_mut(q) {
            Some(Answer::Choice(i)) => renumber(i),
            Some(Answer::Choices(list)) => {
                list.iter_mut().for_each(renumber);
                // Multiple-choice answers are kept ascending.
                list.sort_unstable();
            }
            Some(Answer::Ranking(list)) => list.iter_mut().for_each(renumber),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ordered(options: &[&str]) -> Option<Vec<String>> {
        let options: Vec<String> = options.iter().map(|o| (*o).to_owned()).collect();
        scale_order(&options, &[]).map(|order| order.iter().map(|&i| options[i].clone()).collect())
    }

    #[test]
    fn numeric_bands() {
        assert_eq!(
            ordered(&["> 60", "18-29", "30-44", "45-60"]).unwrap(),
            ["18-29", "30-44", "45-60", "> 60"]
        );
        assert_eq!(
            ordered(&[
                "$50,000 - $99,999",
                "$150,000+",
                "$0 - $24,999",
                "$25,000 - $49,999",
                "$100,000 - $149,999"
            ])
            .unwrap(),
            [
                "$0 - $24,999",
                "$25,000 - $49,999",
                "$50,000 - $99,999",
                "$100,000 - $149,999",
                "$150,000+"
            ]
        );
        assert_eq!(
            ordered(&[
                "5001-8000元",
                "15000元以上",
                "3000元以下",
                "3001-5000元",
                "无收入",
                "不知道/拒绝回答"
            ])
            .unwrap(),
            [
                "无收入",
                "3000元以下",
                "3001-5000元",
                "5001-8000元",
                "15000元以上",
                "不知道/拒绝回答"
            ]
        );
        assert_eq!(
            ordered(&["30~34岁", "60岁以上", "16~19岁", "20~24岁"]).unwrap(),
            ["16~19岁", "20~24岁", "30~34岁", "60岁以上"]
        );
        assert_eq!(
            ordered(&[
                "3000-3499元",
                "3500元及以上",
                "0-799元",
                "免费赠送的",
                "其他【请注明】"
            ])
            .unwrap(),
            [
                "免费赠送的",
                "0-799元",
                "3000-3499元",
                "3500元及以上",
                "其他【请注明】"
            ]
        );
        assert_eq!(
            ordered(&["12", "10 or younger", "21 or older", "11"]).unwrap(),
            ["10 or younger", "11", "12", "21 or older"]
        );
        // Prose with numbers, and plain numbers (already in order), are left alone.
        assert_eq!(ordered(&["I have 2 cats", "I have 3 dogs"]), None);
        assert_eq!(ordered(&["3", "1", "2"]), None);
    }

    #[test]
    fn word_scales() {
        assert_eq!(
            ordered(&[
                "Somewhat favorably",
                "Unfamiliar (N/A)",
                "Very favorably",
                "Very unfavorably",
                "Neither favorably nor unfavorably (neutral)",
                "Somewhat unfavorably"
            ])
            .unwrap(),
            [
                "Very favorably",
                "Somewhat favorably",
                "Neither favorably nor unfavorably (neutral)",
                "Somewhat unfavorably",
                "Very unfavorably",
                "Unfamiliar (N/A)"
            ]
        );
        assert_eq!(
            ordered(&["经常", "从不", "总是", "偶尔"]).unwrap(),
            ["从不", "偶尔", "经常", "总是"]
        );
        assert_eq!(
            ordered(&["Often", "Never", "Always", "Rarely", "Sometimes"]).unwrap(),
            ["Never", "Rarely", "Sometimes", "Often", "Always"]
        );
        assert_eq!(
            ordered(&["Agree", "Strongly disagree", "Strongly agree"]).unwrap(),
            ["Strongly agree", "Agree", "Strongly disagree"]
        );
        // Not a scale: left as it came.
        assert_eq!(ordered(&["Yes", "No"]), None);
        assert_eq!(ordered(&["Often", "Pizza"]), None);
    }
}
