//! Survey questions that name people: their answers are counted, never listed. A question
//! is personal when it is answered in writing and its title asks for a name, phone, address,
//! e-mail or id (`服务监督员编号或姓名`, `Contact information - Name`), or when most of its
//! answers, of any kind, look like names, ids or contacts. A choice or rating question about
//! a phone line or an address (`您对车牌识别系统的满意度`) has options the survey's author wrote,
//! so its title alone does not hide it. A campaign's `private` and `public` settings overrule
//! either way.

use super::Text;

/// Characters of an answer that is a value rather than an opinion.
const SHORT_ANSWER: usize = 24;

/// Title words (compared without spaces and punctuation) that ask for something personal.
const TITLE_WORDS_ZH: &[&str] = &[
    "姓名",
    "名字",
    "称呼",
    "昵称",
    "联系方式",
    "联系电话",
    "电话号码",
    "手机号",
    "您的电话",
    "您的手机",
    "住址",
    "家庭地址",
    "详细地址",
    "联系地址",
    "通讯地址",
    "房号",
    "门牌",
    "房间号",
    "身份证",
    "证件号",
    "邮箱",
    "电子邮件",
    "微信号",
    "qq号",
    "车牌",
    "工号",
    "手机",
    "电话",
    "微信",
    "qq",
    "贵姓",
    "楼栋",
    "哪位",
    "地址",
    "出生日期",
    "生日",
];

/// English title words, compared as whole words, case-insensitively.
const TITLE_WORDS_EN: &[&str] = &[
    "name",
    "names",
    "email",
    "e-mail",
    "phone",
    "telephone",
    "mobile",
    "address",
    "wechat",
    "passport",
    "cell",
    "zip",
    "postal",
    "postcode",
    "username",
    "birthday",
    "birth",
    "contact",
];

/// English phrases that ask for a contact.
const TITLE_PHRASES_EN: &[&str] = &["employee id", "student id", "id number", "user id"];

pub fn title_is_personal(title: &str) -> bool {
    let key = crate::chars::header_key(title);
    if TITLE_WORDS_ZH.iter().any(|w| key.contains(w)) {
        return true;
    }
    let lower = title.to_lowercase();
    TITLE_PHRASES_EN.iter().any(|p| lower.contains(p))
        || lower
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .any(|w| TITLE_WORDS_EN.contains(&w))
}

/// Whether at least half of the distinct answers (and three or more) look personal: hold a
/// contact or number [`super::find`] masks and little else, or are a bare name (`张敏`) or staff id (`A012`).
/// Names must carry three or more surnames, so `周一`…`周日` are not names.
pub fn answers_look_personal<'a>(answers: impl IntoIterator<Item = &'a str>) -> bool {
    let mut distinct: Vec<&str> = answers
        .into_iter()
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .collect();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() < 3 {
        return false;
    }
    let mut surnames: Vec<char> = Vec::new();
    let personal = distinct
        .iter()
        .filter(|a| {
            if let Some(surname) = bare_name(a) {
                surnames.push(surname);
                true
            } else {
                // A short answer that holds a contact is that contact; a long one is an
                // opinion that mentions one, and is listed masked.
                is_staff_id(a) || (a.chars().count() <= SHORT_ANSWER && !super::find(a).is_empty())
            }
        })
        .count();
    surnames.sort_unstable();
    surnames.dedup();
    let names = distinct.iter().filter(|a| bare_name(a).is_some()).count();
    let counted = if surnames.len() >= 3 {
        personal
    } else {
        personal - names
    };
    counted * 2 >= distinct.len()
}

/// Two or three Chinese characters starting with a common surname: the surname.
fn bare_name(answer: &str) -> Option<char> {
    let n = answer.chars().count();
    let text = Text::new(answer, false);
    let cjk = answer
        .chars()
        .all(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    ((2..=3).contains(&n) && cjk && super::names::surname_starting(&text, 0).is_some())
        .then(|| answer.chars().next())
        .flatten()
}

/// `A012`, `KF0231`: one to three letters, then two to six digits.
fn is_staff_id(answer: &str) -> bool {
    let letters = answer.bytes().take_while(u8::is_ascii_alphabetic).count();
    let digits = answer.len() - letters;
    (1..=3).contains(&letters)
        && (2..=6).contains(&digits)
        && answer.bytes().skip(letters).all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_that_ask_for_a_person() {
        for title in [
            "服务监督员编号或姓名",
            "您的联系电话：",
            "【住址】",
            "Contact information - Name",
            "Email Address",
            "What is your phone number?",
        ] {
            assert!(title_is_personal(title), "{title}");
        }
        // Only a question answered in writing is hidden by its title, so `电话` may ask.
        assert!(title_is_personal("您的手机"));
        for title in [
            "Overall, how satisfied are you?",
            "您所在的小区",
            "Which channel did you use?",
        ] {
            assert!(!title_is_personal(title), "{title}");
        }
    }

    #[test]
    fn answers_that_are_names_or_ids() {
        assert!(answers_look_personal(["张敏", "李华", "王芳", "满意"]));
        assert!(answers_look_personal(["A012", "KF0231", "B77"]));
        assert!(answers_look_personal([
            "13812345678",
            "电话",
            "139 1234 5678"
        ]));
        assert!(!answers_look_personal(["周一", "周二", "周三", "周四"]));
        assert!(!answers_look_personal([
            "非常满意",
            "满意",
            "一般",
            "不满意"
        ]));
        assert!(!answers_look_personal(["高层", "多层", "别墅", "洋房"]));
        assert!(!answers_look_personal(["张敏", "李华"]));
    }
}
