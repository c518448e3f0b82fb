//! Names: a surname with a title (`张女士`, `王建国先生`, `欧阳先生`, `刘师傅`, `陈经理`,
//! `Mr. Smith`) or after a label (`姓名：赵敏`). The surname stays, so a complaint still
//! reads (`张**反映…`); the rest becomes `*`.

use super::{Kind, Span, Text};

/// The most common single-character surnames, without the few that are also everyday
/// words before a title (`向经理反映`, `关于老师`, `保安大哥`, `值班经理`).
const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘\
蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎\
贺顾毛郝龚邵万钱严覃武戴莫孔汤易常温康施文牛樊葛邢";

const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "慕容", "尉迟", "公孙", "令狐", "长孙", "宇文",
    "司徒", "夏侯", "端木", "轩辕", "澹台", "西门", "南宫",
];

/// Titles that follow a surname directly.
pub(super) const TITLES: &[&str] = &[
    "先生", "女士", "小姐", "阿姨", "师傅", "经理", "老师", "大爷", "大妈", "大娘", "叔叔", "伯伯",
    "奶奶", "爷爷", "大姐", "大哥", "太太", "主任", "老板", "总监", "同学", "夫人", "阿婆", "婆婆",
    "老人", "姐姐", "哥哥",
];

/// Titles that also follow a whole name (`王建国先生`).
const FULL_NAME_TITLES: &[&str] = &["先生", "女士", "小姐"];

const ENGLISH_TITLES: &[&str] = &["mr.", "mrs.", "ms.", "miss", "dr.", "mr", "mrs", "ms"];

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// The surname that ends at `end` (exclusive), as its length in characters.
fn surname_ending(text: &Text, end: usize) -> Option<usize> {
    if end >= 2 {
        let pair: String = text.slice(end - 2, end);
        if COMPOUND_SURNAMES.contains(&pair.as_str()) {
            return Some(2);
        }
    }
    (end >= 1 && text.is(end - 1, |c| SURNAMES.contains(c))).then_some(1)
}

pub(super) fn surname_starting(text: &Text, start: usize) -> Option<usize> {
    let pair = text.slice(start, (start + 2).min(text.len()));
    if COMPOUND_SURNAMES.contains(&pair.as_str()) {
        return Some(2);
    }
    text.is(start, |c| SURNAMES.contains(c)).then_some(1)
}

/// `surname` characters kept from `start`, the rest to `end` starred.
fn keep_surname(text: &Text, start: usize, surname: usize, end: usize) -> Span {
    let kept: String = text.chars[start..start + surname].iter().collect();
    Span {
        start,
        end,
        kind: Kind::Name,
        masked: format!("{kept}{}", "*".repeat(end - start - surname)),
    }
}

pub(super) fn find(text: &Text, out: &mut Vec<Span>) {
    for i in 0..text.len() {
        let Some(c) = text.at(i) else { break };
        if matches!(c, 'm' | 'M' | 'd' | 'D') {
            out.extend(english(text, i));
        }
        // Most characters start no title: checked once, not once per title.
        if !TITLES.iter().any(|t| t.starts_with(c)) {
            continue;
        }
        for title in TITLES {
            if !text.word_at(i, title) {
                continue;
            }
            let end = i + title.chars().count();
            // The surname nearest the title: `工程师刘先生` names 刘, not 程.
            if let Some(n) = surname_ending(text, i) {
                out.push(keep_surname(text, i - n, n, end));
            } else if FULL_NAME_TITLES.contains(title) {
                let given = (1..=2).find_map(|g| {
                    let at = i.checked_sub(g)?;
                    let cjk = (at..i).all(|k| text.is(k, is_cjk));
                    (cjk && surname_ending(text, at).is_some()).then_some(g)
                });
                if let Some(g) = given {
                    let n = surname_ending(text, i - g).unwrap_or(1);
                    out.push(keep_surname(text, i - g - n, n, end));
                }
            }
        }
    }
}

/// `Mr. Smith`, `Ms Li`: the title stays, the name keeps its initial.
fn english(text: &Text, i: usize) -> Option<Span> {
    if text.is(i.wrapping_sub(1), |c| c.is_ascii_alphabetic()) {
        return None;
    }
    ENGLISH_TITLES.iter().find_map(|title| {
        if !text.word_at(i, title) {
            return None;
        }
        let after = i + title.len();
        let start = text.run(after, |c| c == ' ');
        let spaced = start > after || title.ends_with('.');
        if !spaced || !text.is(start, |c| c.is_ascii_uppercase()) {
            return None;
        }
        let end = text.run(start, |c| c.is_ascii_alphabetic());
        (end - start >= 2).then(|| Span {
            start: start + 1,
            end,
            kind: Kind::Name,
            masked: "*".repeat(end - start - 1),
        })
    })
}

/// The name after a label (`姓名：赵敏`, `联系人 孙建国`): two to four Chinese characters,
/// of which the surname stays.
pub(super) fn labelled(text: &Text, at: usize) -> Option<Span> {
    let run = text.run(at, is_cjk) - at;
    if run < 2 {
        return None;
    }
    let surname = surname_starting(text, at).unwrap_or(1);
    let len = run.min(surname + 2);
    Some(keep_surname(text, at, surname, at + len))
}
