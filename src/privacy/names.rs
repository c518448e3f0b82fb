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

/// Titles of courtesy: after a surname (`张女士`) or a whole name (`王建国先生`), wherever it
/// stands.
const COURTESY: &[&str] = &[
    "先生", "女士", "小姐", "阿姨", "大爷", "大妈", "大娘", "叔叔", "伯伯", "奶奶", "爷爷", "大姐",
    "大哥", "太太", "同学", "夫人", "阿婆", "婆婆", "姐姐", "哥哥",
];

/// Titles of a job or rank. They also end ordinary words (`基金经理`, `语文老师`), so the
/// surname before one must stand after no other Chinese character than those in [`BEFORE_JOB`].
const JOBS: &[&str] = &[
    "总经理",
    "工程师",
    "师傅",
    "经理",
    "老师",
    "主任",
    "老板",
    "总监",
    "医生",
    "主管",
    "护士",
    "律师",
    "会计",
    "队长",
    "班长",
    "组长",
    "科长",
    "处长",
    "局长",
    "书记",
    "警官",
    "总",
    "工",
    "姐",
    "哥",
];

/// Every title's first character, for the quick look (see `STARTS` in `mod.rs`).
pub(super) fn titles() -> impl Iterator<Item = &'static str> {
    COURTESY.iter().chain(JOBS).copied()
}

/// Whether `c` is the first character of a title. Asked for every character of every
/// comment: one lookup instead of a compare per title.
fn starts_a_title(c: char) -> bool {
    static FIRST: std::sync::LazyLock<Vec<char>> = std::sync::LazyLock::new(|| {
        let mut first: Vec<char> = titles().filter_map(|t| t.chars().next()).collect();
        first.sort_unstable();
        first.dedup();
        first
    });
    FIRST.binary_search(&c).is_ok()
}

/// Whether a title starts `rest`; a one-character title only if something stands before it
/// (the name it would follow).
pub(super) fn title_at(rest: &str, after_something: bool) -> bool {
    titles().any(|t| rest.starts_with(t) && (after_something || t.chars().count() > 1))
}

/// Characters after which a name with a job title starts (`找王经理`, `联系陈主任`).
const BEFORE_JOB: &str = "的找叫请给让向和与跟对是被由系映诉知说问及同位把将帮替";

/// Words after which one does (`业主吴老师`), though their last character is no such one.
const BEFORE_JOB_WORDS: &[&str] = &["业主", "客户", "住户", "物业", "管家", "户主", "楼长"];

/// Characters a given name does not hold: they belong to the words around a name.
const NOT_GIVEN: &str = "的是了在有和与及或被把给让向对找叫请问说位个名业主户客工程物管家系师员部门人们这那其该此每各某同";

/// What may follow a one-character title (`张总说`, `李工,`) — not `周工作`, `每周总结`.
const AFTER_SHORT_TITLE: &str = "说反称来讲表要的已在和回打让也都很不您你他她";

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

/// A surname at `at` that is a surname there: not the 谢 of 谢谢, 感谢, 多谢.
fn surname_at(text: &Text, at: usize, len: usize) -> bool {
    if len == 1 && text.is(at, |c| c == '谢') {
        let thanks = text.is(at.wrapping_sub(1), |c| "谢感多致答道鸣".contains(c))
            || text.is(at + 1, |c| c == '谢');
        return !thanks;
    }
    true
}

pub(super) fn find(text: &Text, out: &mut Vec<Span>) {
    for i in 0..text.len() {
        let Some(c) = text.at(i) else { break };
        if matches!(c, 'm' | 'M' | 'd' | 'D') {
            out.extend(english(text, i));
        }
        // Most characters start no title: checked once, not once per title.
        if !starts_a_title(c) {
            continue;
        }
        let courtesy = COURTESY.iter().find(|t| text.word_at(i, t));
        let job = JOBS.iter().find(|t| text.word_at(i, t));
        let Some(title) = courtesy.or(job) else {
            continue;
        };
        let end = i + title.chars().count();
        if title.chars().count() == 1
            && text.is(end, |c| is_cjk(c) && !AFTER_SHORT_TITLE.contains(c))
        {
            continue;
        }
        out.extend(name_before(text, i, end, courtesy.is_none()));
    }
}

/// The name before the title at `title..end`: the longest of surname plus two, one or no
/// given-name characters that reads as a name (`王建国先生`, `王林先生`, `工程师刘先生`).
fn name_before(text: &Text, title: usize, end: usize, job: bool) -> Option<Span> {
    (0..=2).rev().find_map(|given| {
        let surname_end = title.checked_sub(given)?;
        let given_ok =
            (surname_end..title).all(|k| text.is(k, |c| is_cjk(c) && !NOT_GIVEN.contains(c)));
        let n = surname_ending(text, surname_end)?;
        let start = surname_end - n;
        if !given_ok || !surname_at(text, start, n) {
            return None;
        }
        let before = text.at(start.wrapping_sub(1));
        let after_word = start >= 2 && BEFORE_JOB_WORDS.iter().any(|w| text.word_at(start - 2, w));
        if job && !after_word && before.is_some_and(|c| is_cjk(c) && !BEFORE_JOB.contains(c)) {
            return None;
        }
        Some(keep_surname(text, start, n, end))
    })
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
    // A name is short; looking further would make a long run of labels quadratic.
    let run = text.run_at_most(at, 5, is_cjk) - at;
    if run < 2 {
        return None;
    }
    let surname = surname_starting(text, at).unwrap_or(1);
    let len = run.min(surname + 2);
    Some(keep_surname(text, at, surname, at + len))
}
