//! What a Qualtrics column is, from its ids: the ImportId of the third header row (the 2016
//! exporter writes `{'ImportId': 'QID9-1'}` with single quotes and `-` between parts; the
//! current one `{"ImportId":"QID9","choiceId":"1"}` or `{"ImportId":"QID9_4_TEXT"}`), else the
//! column id (`Q9_1`, `Q9_4_TEXT`, recodes such as `Q15_-1`). The ImportId names the question
//! even where the column id does not: export tags (`q13_family_food_1`, `Q23_cucumbers`) and
//! recode values (`Q14_130`) are folded into their question by it.

/// One question column's place in its question.
#[derive(Debug, PartialEq, Eq)]
pub struct ColumnRef {
    /// The question (`QID9`, or the column id's base without an ImportId row).
    pub question: String,
    /// The choice or statement within it (`1`, `-1`, `cucumbers`), or row and choice of a
    /// matrix with several answers per row (`1-3`); `None` for the question's own column.
    pub part: Option<String>,
    /// A text box: `_TEXT`, `-TEXT`.
    pub text: bool,
}

impl ColumnRef {
    /// The row of a `row-choice` part (`1-3` → `1`).
    pub fn row(&self) -> Option<&str> {
        self.part.as_deref()?.split_once('-').map(|(r, _)| r)
    }
}

/// The ImportId cell's question reference; `None` for metadata (`startDate`, `_recordId`,
/// `Location-LocationLatitude`) or a cell that is no ImportId.
pub fn from_import(cell: &str) -> Option<ColumnRef> {
    let value = quoted_value(cell, "ImportId")?;
    let rest = value.strip_prefix("QID")?;
    // `QID40#1-1`: side-by-side questions number their sections after `#`.
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '#'))
        .unwrap_or(rest.len());
    if end == 0 {
        return None;
    }
    let question = format!("QID{}", &rest[..end]);
    let tail = rest[end..].trim_start_matches(['-', '_']);
    let (tail, text) = match tail
        .strip_suffix("TEXT")
        .filter(|t| t.is_empty() || t.ends_with(['-', '_']))
    {
        Some(t) => (t.trim_end_matches(['-', '_']), true),
        None => (tail, false),
    };
    let part = if tail.is_empty() {
        quoted_value(cell, "choiceId").map(str::to_owned)
    } else {
        Some(tail.replace('_', "-"))
    };
    Some(ColumnRef {
        question,
        part,
        text,
    })
}

/// The value after `"key":` or `'key': ` in the ImportId JSON, either quote style.
fn quoted_value<'a>(cell: &'a str, key: &str) -> Option<&'a str> {
    let at = cell.find(key)?;
    let rest = cell[at + key.len()..].trim_start_matches(['"', '\'']);
    let rest = rest.strip_prefix(':')?.trim_start();
    let quote = rest.chars().next().filter(|c| matches!(c, '"' | '\''))?;
    let rest = &rest[1..];
    Some(&rest[..rest.find(quote)?])
}

/// Without an ImportId row: `Q4_5_TEXT` → (`Q4`, `5`, text), `Q15_-1` → (`Q15`, `-1`), `Q1`
/// → (`Q1`, none).
pub fn from_column_id(id: &str) -> ColumnRef {
    let (rest, text) = match id.strip_suffix("_TEXT") {
        Some(rest) => (rest, true),
        None => (id, false),
    };
    let is_choice = |k: &str| {
        let digits = k.strip_prefix('-').unwrap_or(k);
        !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
    };
    match rest.rsplit_once('_') {
        Some((base, k)) if is_choice(k) => ColumnRef {
            question: base.to_owned(),
            part: Some(k.to_owned()),
            text,
        },
        _ => ColumnRef {
            question: rest.to_owned(),
            part: None,
            text,
        },
    }
}

/// Whether a column id reads like a question's (`Q1`, `Q2_3`, `1_Q2`), for exports without
/// an ImportId row.
pub fn looks_like_question(id: &str) -> bool {
    // `1_Q2`: loop-and-merge copies prefix the loop's number.
    let bare = match id.split_once("_Q") {
        Some((_, rest)) => rest,
        None => id.strip_prefix(['Q', 'q']).unwrap_or(""),
    };
    bare.starts_with(|c: char| c.is_ascii_digit())
}

/// The number shown for a question: a lone column's id (without `_TEXT`), the question's own
/// column's id, else what its column ids share up to the last `_` (`Q23_cucumbers`,
/// `Q23_mangos` → `Q23`; `Q15_130` … `Q15_-1` → `Q15`).
pub fn question_number(ids: &[&str], own: Option<&str>) -> String {
    if let Some(own) = own {
        return own.to_owned();
    }
    let first = ids.first().copied().unwrap_or_default();
    if ids.len() == 1 {
        return first.strip_suffix("_TEXT").unwrap_or(first).to_owned();
    }
    // The shared prefix, in whole characters (export tags may be in any script).
    let mut len = first.len();
    for id in &ids[1..] {
        len = first
            .char_indices()
            .zip(id.chars())
            .take_while(|((i, a), b)| *i < len && a == b)
            .last()
            .map_or(0, |((i, a), _)| i + a.len_utf8());
    }
    let shared = &first[..len];
    match shared.rfind('_') {
        Some(cut) if cut > 0 => shared[..cut].to_owned(),
        _ => shared.trim_end_matches('_').to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(question: &str, part: Option<&str>, text: bool) -> Option<ColumnRef> {
        Some(ColumnRef {
            question: question.to_owned(),
            part: part.map(str::to_owned),
            text,
        })
    }

    #[test]
    fn import_ids_of_both_exporters() {
        assert_eq!(
            from_import("{'ImportId': 'QID9-1'}"),
            r("QID9", Some("1"), false)
        );
        assert_eq!(
            from_import("{'ImportId': 'QID6-TEXT'}"),
            r("QID6", None, true)
        );
        assert_eq!(
            from_import("{'ImportId': 'QID16-8-TEXT'}"),
            r("QID16", Some("8"), true)
        );
        assert_eq!(
            from_import("{'ImportId': 'QID29-1-3'}"),
            r("QID29", Some("1-3"), false)
        );
        assert_eq!(
            from_import("{'ImportId': 'QID40#1-2'}"),
            r("QID40#1", Some("2"), false)
        );
        assert_eq!(
            from_import(r#"{"ImportId":"QID1"}"#),
            r("QID1", None, false)
        );
        assert_eq!(
            from_import(r#"{"ImportId":"QID4","choiceId":"1"}"#),
            r("QID4", Some("1"), false)
        );
        assert_eq!(
            from_import(r#"{"ImportId":"QID4_5_TEXT"}"#),
            r("QID4", Some("5"), true)
        );
        assert_eq!(
            from_import(r#"{"ImportId":"QID6_TEXT"}"#),
            r("QID6", None, true)
        );
        assert_eq!(from_import("{'ImportId': 'startDate'}"), None);
        assert_eq!(
            from_import("{'ImportId': 'Location-LocationLatitude'}"),
            None
        );
        assert_eq!(from_import("Q1"), None);
    }

    #[test]
    fn column_ids_and_numbers() {
        assert_eq!(Some(from_column_id("Q15_-1")), r("Q15", Some("-1"), false));
        assert_eq!(Some(from_column_id("Q4_5_TEXT")), r("Q4", Some("5"), true));
        assert_eq!(
            Some(from_column_id("Q23_cucumbers")),
            r("Q23_cucumbers", None, false)
        );
        assert_eq!(
            question_number(&["Q23_cucumbers", "Q23_mangos"], None),
            "Q23"
        );
        assert_eq!(
            question_number(&["Q15_130", "Q15_50", "Q15_-1"], None),
            "Q15"
        );
        assert_eq!(question_number(&["Q6", "Q6_TEXT"], Some("Q6")), "Q6");
        assert_eq!(question_number(&["Q47_TEXT"], None), "Q47");
        assert_eq!(
            question_number(&["q48_jellyfish_though"], None),
            "q48_jellyfish_though"
        );
        assert_eq!(question_number(&["Q31_1_1", "Q31_4_100"], None), "Q31");
        assert_eq!(question_number(&["Q23_黄瓜", "Q23_黄豆"], None), "Q23");
        assert!(looks_like_question("Q1") && looks_like_question("1_Q2"));
        assert!(!looks_like_question("LocationLatitude") && !looks_like_question("V1"));
    }
}
