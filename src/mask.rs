//! Masking personal data in free text before it is published: mobile and landline numbers,
//! ID-card numbers and e-mail addresses. Masks keep the usual Chinese shape (`138****5678`)
//! so a reader still sees what kind of number was there.

/// Digit runs at least this long that are no known format are masked whole: a bare 7- or
/// 8-digit landline looks like any other number, and over-masking is the safe mistake.
const MIN_MASKED_DIGITS: usize = 7;

pub fn mask(text: &str) -> String {
    // Hidden characters go first: they must not reach a page, and a zero-width space must
    // not split a phone number so that it escapes the mask.
    let text = crate::ingest::text::visible(text, true);
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if let Some((end, masked)) = email_at(&chars, i, &out) {
            // `out` already holds the local part's start; email_at returns how to rewrite it.
            out.truncate(masked.0);
            out.push_str(&masked.1);
            i = end;
            continue;
        }
        let after_digit = i > 0 && chars[i - 1].is_ascii_digit();
        if chars[i].is_ascii_digit() && !after_digit {
            if let Some(end) = grouped_mobile(&chars, i) {
                let digits: String = chars[i..end]
                    .iter()
                    .filter(|c| c.is_ascii_digit())
                    .collect();
                out.push_str(&format!("{}****{}", &digits[..3], &digits[7..]));
                i = end;
                continue;
            }
            let (end, token) = number_token(&chars, i);
            // After a letter (Tel13812345678, ID110…), only the formats of a person's number
            // are masked: order numbers like GD202503050012 stay readable.
            let after_letter = i > 0 && chars[i - 1].is_ascii_alphabetic();
            out.push_str(&mask_number(&token, after_letter));
            i = end;
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// A mobile number written in groups, `138 1234 5678`, `138-1234-5678`, `138.1234.5678` or
/// with dashes: the end of it, if one starts at `start`.
fn grouped_mobile(chars: &[char], start: usize) -> Option<usize> {
    let digits_at = |at: usize, n: usize| {
        chars
            .get(at..at + n)
            .is_some_and(|s| s.iter().all(char::is_ascii_digit))
    };
    let sep = *chars.get(start + 3)?;
    if !matches!(sep, ' ' | '-' | '.' | '—' | '–')
        || !digits_at(start, 3)
        || !digits_at(start + 4, 4)
    {
        return None;
    }
    if chars.get(start + 8) != Some(&sep) || !digits_at(start + 9, 4) {
        return None;
    }
    let end = start + 13;
    let first = chars[start..start + 2].iter().collect::<String>();
    let is_mobile = first.starts_with('1') && matches!(chars[start + 1], '3'..='9');
    (is_mobile && !chars.get(end).is_some_and(char::is_ascii_digit)).then_some(end)
}

/// A run of digits, allowing single `-` between digit groups (`0755-83331234`), and a
/// trailing `X` (ID cards).
fn number_token(chars: &[char], start: usize) -> (usize, String) {
    let mut end = start;
    let mut token = String::new();
    while end < chars.len() {
        let c = chars[end];
        let separator = c == '-'
            && end + 1 < chars.len()
            && chars[end + 1].is_ascii_digit()
            && !token.is_empty();
        if c.is_ascii_digit() || separator {
            token.push(c);
            end += 1;
        } else if (c == 'X' || c == 'x') && digits(&token) == 17 {
            token.push(c);
            end += 1;
            break;
        } else {
            break;
        }
    }
    (end, token)
}

/// `2025-03-05`, `2025-3-5`: dates are not personal numbers.
fn is_date(token: &str) -> bool {
    let parts: Vec<&str> = token.split('-').collect();
    parts.len() == 3
        && parts[0].len() == 4
        && (1..=2).contains(&parts[1].len())
        && (1..=2).contains(&parts[2].len())
}

fn digits(token: &str) -> usize {
    token.bytes().filter(u8::is_ascii_digit).count()
}

fn mask_number(token: &str, after_letter: bool) -> String {
    if is_date(token) {
        return token.to_owned();
    }
    let plain: String = token.chars().filter(|c| *c != '-').collect();
    let n = plain.len();
    let is_mobile = n == 11 && plain.starts_with('1') && matches!(plain.as_bytes()[1], b'3'..=b'9');
    let is_id = (n == 18 && plain[..17].bytes().all(|b| b.is_ascii_digit()))
        || (n == 15 && !plain.starts_with('0'));
    if is_mobile {
        format!("{}****{}", &plain[..3], &plain[7..])
    } else if is_id && (!after_letter || n == 18) {
        format!("{}{}{}", &plain[..6], "*".repeat(n - 10), &plain[n - 4..])
    } else if !after_letter && n >= MIN_MASKED_DIGITS && plain.bytes().all(|b| b.is_ascii_digit()) {
        // Landlines (0755-12345678) and anything else long enough to be a number of a person.
        "*".repeat(n)
    } else {
        token.to_owned()
    }
}

/// An e-mail address whose `@` is at or after `i`: the local part is already in `out`, so
/// the result says where in `out` it starts and what replaces it.
fn email_at(chars: &[char], i: usize, out: &str) -> Option<(usize, (usize, String))> {
    if chars[i] != '@' {
        return None;
    }
    let local_ok = |c: char| c.is_ascii_alphanumeric() || "._%+-".contains(c);
    let domain_ok = |c: char| c.is_ascii_alphanumeric() || c == '.' || c == '-';
    let local: String = out.chars().rev().take_while(|&c| local_ok(c)).collect();
    if local.is_empty() {
        return None;
    }
    let mut end = i + 1;
    while end < chars.len() && domain_ok(chars[end]) {
        end += 1;
    }
    let domain: String = chars[i + 1..end].iter().collect();
    let domain = domain.trim_end_matches('.');
    if !domain.contains('.') {
        return None;
    }
    let end = i + 1 + domain.chars().count();
    let local_start = out.len() - local.len();
    let first: String = local.chars().last().into_iter().collect();
    Some((end, (local_start, format!("{first}***@{domain}"))))
}

#[cfg(test)]
mod tests {
    use super::mask;

    #[test]
    fn phones_ids_and_emails_are_masked() {
        assert_eq!(mask("请回电13812345678,谢谢"), "请回电138****5678,谢谢");
        assert_eq!(mask("电话 138-1234-5678"), "电话 138****5678");
        assert_eq!(mask("电话 138 1234 5678。"), "电话 138****5678。");
        assert_eq!(mask("138.1234.5678"), "138****5678");
        assert_eq!(mask("Tel13812345678"), "Tel138****5678");
        assert_eq!(mask("ID110101199003071234"), "ID110101********1234");
        assert_eq!(mask("座机0755-83331234"), "座机************");
        assert_eq!(mask("身份证110101199003071234"), "身份证110101********1234");
        assert_eq!(mask("身份证11010119900307123X"), "身份证110101********123X");
        assert_eq!(
            mask("邮箱 zhang.san@example.com。"),
            "邮箱 z***@example.com。"
        );
    }

    #[test]
    fn ordinary_numbers_and_text_stay() {
        assert_eq!(mask("3号楼2单元501室"), "3号楼2单元501室");
        assert_eq!(mask("2026年3月5日 14:07"), "2026年3月5日 14:07");
        assert_eq!(mask("工单GD202503050012"), "工单GD202503050012");
        assert_eq!(mask("2025-03-05已维修"), "2025-03-05已维修");
        assert_eq!(
            mask("`2026-02-30` is not a date"),
            "`2026-02-30` is not a date"
        );
        assert_eq!(mask("2025-03-05 14:07"), "2025-03-05 14:07");
        assert_eq!(mask("张先生@物业"), "张先生@物业");
        assert_eq!(mask(""), "");
    }
}
