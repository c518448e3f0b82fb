//! Contacts: e-mail addresses (also `a1 @ b.com` and `＠`), and the values people label —
//! `QQ 12345678`, `微信 zhang_san88`, `vx: lisi-2020`, `护照号E12345678`, `姓名：赵敏`.
//! Unlabelled, a QQ number is a long number (see `numbers`) and a WeChat id is a word.

use super::{Kind, Span, Text, names};

pub(super) fn find(text: &Text, out: &mut Vec<Span>) {
    // Where the last address ended: the next one's local part starts after it.
    let mut after_email = 0;
    for i in 0..text.len() {
        let Some(c) = text.at(i) else { break };
        if c == '@'
            && let Some(span) = email(text, i, after_email)
        {
            after_email = span.end;
            out.push(span);
        }
        let lower = c.to_ascii_lowercase();
        let mut labels = LABELS.iter().map(|(l, _)| l).chain(SET_OFF_LABELS);
        if !labels.any(|label| label.starts_with(lower)) {
            continue;
        }
        for label in SET_OFF_LABELS {
            let label_end = i + label.chars().count();
            if text.word_at(i, label) && text.is(label_end, |c| c == ':' || c == ' ') {
                let value = skip_separators(text, label_end);
                out.extend(names::labelled(text, value));
            }
        }
        for (label, kind) in LABELS {
            if text.word_at(i, label) && label_stands_alone(text, i, label) {
                let label_end = i + label.chars().count();
                let value = skip_separators(text, label_end);
                // A name must be set off from its label or start with a surname:
                // `请填写姓名和电话` names no one.
                let named = value > label_end || names::surname_starting(text, value).is_some();
                if *kind != Kind::Name || named {
                    out.extend(labelled(text, value, *kind));
                }
            }
        }
    }
}

/// Labels and what the value after them is. Longer labels of a kind come first, so
/// `QQ号：` is read as a whole.
pub(super) const LABELS: &[(&str, Kind)] = &[
    ("qq号码", Kind::Qq),
    ("qq号", Kind::Qq),
    ("qq", Kind::Qq),
    ("扣扣", Kind::Qq),
    ("企鹅号", Kind::Qq),
    ("微信号", Kind::WeChat),
    ("微信", Kind::WeChat),
    ("威信", Kind::WeChat),
    ("weixin", Kind::WeChat),
    ("wechat", Kind::WeChat),
    ("vx号", Kind::WeChat),
    ("vx", Kind::WeChat),
    ("wx", Kind::WeChat),
    ("v信", Kind::WeChat),
    ("加v", Kind::WeChat),
    ("加微", Kind::WeChat),
    ("微 信", Kind::WeChat),
    ("薇信", Kind::WeChat),
    ("wechat id", Kind::WeChat),
    ("v:", Kind::WeChat),
    ("护照号码", Kind::Passport),
    ("护照号", Kind::Passport),
    ("护照", Kind::Passport),
    ("passport no.", Kind::Passport),
    ("passport no", Kind::Passport),
    ("passport", Kind::Passport),
    ("姓名", Kind::Name),
    ("联系人", Kind::Name),
    ("户主", Kind::Name),
    ("名字叫", Kind::Name),
    ("名字", Kind::Name),
    ("报修人", Kind::Name),
    ("投诉人", Kind::Name),
    ("来电人", Kind::Name),
    ("反映人", Kind::Name),
];

/// Labels that name a person only when a separator follows (`业主：李四`, not `业主反映`).
pub(super) const SET_OFF_LABELS: &[&str] = &["业主", "客户"];

/// Whether a label starts `rest` (compared as written: the caller looks for ASCII apart).
pub(super) fn label_at(rest: &str) -> bool {
    let mut labels = LABELS.iter().map(|(l, _)| l).chain(SET_OFF_LABELS);
    labels.any(|label| rest.starts_with(label))
}

/// An ASCII label must be a word of its own: `wx` in `wxid_abc` or `qq` in `qqq` is not one.
fn label_stands_alone(text: &Text, i: usize, label: &str) -> bool {
    if !label.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return true;
    }
    let end = i + label.chars().count();
    let letter = |c: char| c.is_ascii_alphabetic();
    let open_end = label.ends_with(|c: char| c.is_ascii_alphabetic());
    let joined_before = text.is(i.wrapping_sub(1), letter);
    let joined_after = open_end && text.is(end, letter);
    !(joined_before || joined_after)
}

fn skip_separators(text: &Text, at: usize) -> usize {
    let sep = |c: char| matches!(c, ' ' | ':' | '：' | '=' | '#' | '\u{a0}' | '是' | '为');
    let end = text.run(at, sep);
    // No more than a few: a label far from its value labels nothing.
    if end - at <= 3 { end } else { at }
}

fn labelled(text: &Text, at: usize, kind: Kind) -> Option<Span> {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    let end = text.run(at, word);
    // What a mask kept (`110101********1234`) is no value of its own.
    if text.is(end, |c| c == '*') {
        return None;
    }
    let value = text.slice(at, end);
    let ok = match kind {
        Kind::Qq => (5..=11).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_digit()),
        Kind::WeChat => {
            (6..=20).contains(&value.len()) && value.starts_with(|c: char| c.is_ascii_alphabetic())
        }
        Kind::Passport => {
            let letters = value.bytes().take_while(u8::is_ascii_alphabetic).count();
            (1..=2).contains(&letters)
                && (7..=9).contains(&(value.len() - letters))
                && value[letters..].bytes().all(|b| b.is_ascii_digit())
        }
        Kind::Name => return names::labelled(text, at),
        _ => false,
    };
    ok.then(|| Span::starred(text, at, end, kind))
}

/// Mail services people name without their domain's ending.
const MAIL_PROVIDERS: &[&str] = &[
    "163", "126", "qq", "sina", "sohu", "139", "189", "yeah", "foxmail", "gmail", "hotmail",
    "outlook", "yahoo", "aliyun",
];

/// The e-mail address around the `@` at `at`: a local part of ASCII letters, digits and
/// `._%+-`, a domain with a dot; spaces around the `@` allowed.
fn email(text: &Text, at: usize, floor: usize) -> Option<Span> {
    let local_char = |c: char| c.is_ascii_alphanumeric() || "._%+-".contains(c);
    let mut local_end = at;
    while local_end > 0 && text.is(local_end - 1, |c| c == ' ') && at - local_end < 2 {
        local_end -= 1;
    }
    let mut start = local_end;
    while start > floor && text.is(start - 1, local_char) {
        start -= 1;
    }
    let domain_start = text.run(at + 1, |c| c == ' ');
    let after_mask = text.is(start.wrapping_sub(1), |c| c == '*');
    if domain_start - at > 2 || start == local_end || after_mask {
        return None;
    }
    // A Chinese input method types `。` for the dot (`zhangsan@163。com`).
    let dot = |c: char| c == '.' || c == '。';
    let domain_char = |c: char| c.is_ascii_alphanumeric() || dot(c) || c == '-';
    let mut end = text.run(domain_start, domain_char);
    // A domain a mask cut short is no domain.
    if text.is(end, |c| c == '*') {
        return None;
    }
    while end > domain_start && text.is(end - 1, |c| dot(c) || c == '-') {
        end -= 1;
    }
    let domain = text.slice(domain_start, end).replace('。', ".");
    let tld = domain.rsplit('.').next().unwrap_or("");
    let dotted =
        domain.contains('.') && tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_alphabetic());
    // `zhangsan@163` names its mailbox without the rest.
    let provider = MAIL_PROVIDERS.contains(&domain.to_ascii_lowercase().as_str());
    if !(dotted || provider) {
        return None;
    }
    let first = text.norm[start];
    Some(Span {
        start,
        end,
        kind: Kind::Email,
        masked: format!("{first}***@{domain}"),
    })
}
