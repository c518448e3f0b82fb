//! What a format reader finds in the header rows: which columns hold the response's own
//! fields and which hold each question's answers, and how. Format modules build a [`ColumnPlan`];
//! `assemble` turns it and the data rows into the typed model.

use super::grid::Grid;

pub struct ColumnPlan {
    /// Header rows above the first response.
    pub header_rows: usize,
    pub fixed: Fixed,
    pub questions: Vec<Spec>,
    /// Cell values that mean "not answered" besides the empty cell.
    pub not_answers: &'static [&'static str],
}

impl ColumnPlan {
    /// A layout, or the error saying what was expected when no question column was found.
    pub fn checked(
        expected: &str,
        header_rows: usize,
        fixed: Fixed,
        questions: Vec<Spec>,
        not_answers: &'static [&'static str],
    ) -> Result<ColumnPlan, String> {
        if questions.is_empty() {
            return Err(format!("{expected}; no question column was found"));
        }
        Ok(ColumnPlan {
            header_rows,
            fixed,
            questions,
            not_answers,
        })
    }
}

/// Columns of the response itself.
#[derive(Default)]
pub struct Fixed {
    pub id: Option<usize>,
    pub submitted: Option<usize>,
    pub started: Option<usize>,
    pub seconds: Option<usize>,
    /// Tried in order; the first non-empty cell names the respondent.
    pub respondent: Vec<usize>,
    pub finished: Option<Finished>,
}

pub enum Finished {
    /// `True`/`1` finished, `False`/`0` not (Qualtrics).
    Flag(usize),
    /// Finished when the cell is not empty (LimeSurvey `submitdate`).
    Present(usize),
}

/// One question and where its answers are.
pub struct Spec {
    pub number: String,
    /// The number of the group a matrix row belongs to, so an override of the group reaches
    /// each row.
    pub group: Option<String>,
    pub text: String,
    pub source: Source,
    /// The header reads like a rating (a matrix row, 满意, 评分, 打分, `1-5分`).
    pub rating_header: bool,
}

pub enum Source {
    /// One column of answers.
    Column {
        col: usize,
        style: Style,
        /// A column holding the text typed into the "other" box of this question.
        other: Option<OtherColumn>,
    },
    /// One column per option: a multiple choice the export spells out.
    Options(Vec<OptionColumn>),
    /// One column per item holding the rank given to it (1 = first): a ranking question
    /// (SurveyMonkey). (column, item)
    Ranks(Vec<(usize, String)>),
}

impl Source {
    pub fn columns(&self) -> Vec<usize> {
        match self {
            Source::Column { col, other, .. } => std::iter::once(*col)
                .chain(other.as_ref().map(|o| o.col))
                .collect(),
            Source::Options(options) => options
                .iter()
                .flat_map(|o| o.flag.into_iter().chain(o.text))
                .collect(),
            Source::Ranks(items) => items.iter().map(|(c, _)| *c).collect(),
        }
    }

    pub fn first_column(&self) -> usize {
        self.columns().into_iter().min().unwrap_or(0)
    }
}

/// How a single answer column spells its values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// Option texts, numbers or free text; `┋` joins multiple choices, `→` ranks,
    /// `其他〖…〗` carries a fill-in.
    Text,
    /// 1-based option indexes (问卷星 number download).
    Index,
    /// Answer codes (LimeSurvey: `A1`, `Y`, `-oth-` for "other").
    Codes,
    /// Choices as the tool's numeric codes (Qualtrics downloaded with numeric values: `1`,
    /// `2`, recodes such as `130` or `-1`; LimeSurvey's answer codes): a single choice whose
    /// options are the codes, not a number to average; a matrix row on a small scale stays a
    /// rating.
    ChoiceCodes,
    /// Option texts, a multiple choice's joined in one cell by `;`, `|` or `, ` — which one
    /// (if any) is told from the column's answers (see `listed`): Google Forms, Microsoft
    /// Forms, SurveyMonkey.
    Listed,
}

pub struct OtherColumn {
    pub col: usize,
    /// The option a filled-in box stands for when the answer column itself is empty.
    pub option: String,
}

pub struct OptionColumn {
    pub option: String,
    /// Chosen when it holds `1`, `Y`, the option text or other text; not when empty or `0`.
    pub flag: Option<usize>,
    /// The option's fill-in; a non-empty cell also means chosen.
    pub text: Option<usize>,
}

/// The cells of one header row, `""` past its end.
pub fn header_row(table: &Grid, index: usize) -> Vec<&str> {
    let width = table.rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
    (0..width)
        .map(|c| table.rows.get(index).map_or("", |r| r.cell(c)))
        .collect()
}

/// Data cells of one column below the header rows.
pub fn column_values(table: &Grid, header_rows: usize, col: usize) -> Vec<&str> {
    table
        .rows
        .iter()
        .skip(header_rows)
        .map(|r| r.cell(col))
        .collect()
}

/// `1、您的年龄段：` → (`1`, `您的年龄段`); also `2.`, `3:`, `4．`, `Q5.`; `None` for headers
/// that do not start with a question number.
pub fn numbered(header: &str) -> Option<(String, String)> {
    let (prefix, rest) = match header.strip_prefix(['Q', 'q']) {
        Some(rest) => ("Q", rest),
        None => ("", header),
    };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 4 {
        return None;
    }
    let after = &rest[digits..];
    let text = after
        .strip_prefix(['、', '.', ':', '．', '：'])?
        .trim_start_matches([' ', '、', '.'])
        .trim_end_matches([':', '：'])
        .trim();
    // `2.5分` is not question 2.
    if after.starts_with('.') && text.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    Some((format!("{prefix}{}", &rest[..digits]), text.to_owned()))
}

/// 问卷星 sub-columns: `5(物业服务态度)`, `4、(保洁)`, `4(保洁)` → (`5`, `物业服务态度`); the
/// number download heads a multiple choice's option columns `第6题(运动)` → (`6`, `运动`).
pub fn sub_column(header: &str) -> Option<(String, String)> {
    let (header, ordinal) = match header.strip_prefix('第') {
        Some(rest) => (rest, true),
        None => (header, false),
    };
    let digits = header.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let rest = &header[digits..];
    let rest = if ordinal {
        rest.strip_prefix('题')?
    } else {
        rest
    };
    let rest = rest.trim_start_matches('、');
    let label = rest.strip_prefix('(')?.strip_suffix(')')?;
    Some((header[..digits].to_owned(), label.trim().to_owned()))
}

/// Whether a header reads like a rating question.
pub fn looks_like_rating(text: &str) -> bool {
    const WORDS: [&str; 7] = ["满意", "评分", "打分", "评价", "分值", "星级", "得分"];
    if WORDS.iter().any(|w| text.contains(w)) {
        return true;
    }
    let lower = text.to_lowercase();
    if ["rating", "rate ", "score", "satisf"]
        .iter()
        .any(|w| lower.contains(w))
    {
        return true;
    }
    // `(1-5分)`, `10分制`
    let chars: Vec<char> = text.chars().collect();
    chars
        .windows(2)
        .any(|w| w[0].is_ascii_digit() && w[1] == '分')
}

/// Whether a header asks for free text (建议, 请说明, 备注 …): its answers stay text even
/// when the same few sentences recur.
pub fn looks_like_free_text(text: &str) -> bool {
    const WORDS: [&str; 10] = [
        "建议",
        "其他意见",
        "意见或",
        "意见和",
        "请填写",
        "请说明",
        "请描述",
        "留言",
        "备注",
        "原因",
    ];
    let lower = text.to_lowercase();
    WORDS.iter().any(|w| text.contains(w))
        || ["comment", "suggestion", "feedback"]
            .iter()
            .any(|w| lower.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn question_numbers() {
        let n = numbered;
        assert_eq!(
            n("1、您的年龄段：").unwrap(),
            ("1".into(), "您的年龄段".into())
        );
        assert_eq!(
            n("2.您所在小区").unwrap(),
            ("2".into(), "您所在小区".into())
        );
        assert_eq!(n("3:").unwrap(), ("3".into(), String::new()));
        assert_eq!(n("Q4.希望改进").unwrap(), ("Q4".into(), "希望改进".into()));
        assert_eq!(
            n("12、其他建议:").unwrap(),
            ("12".into(), "其他建议".into())
        );
        assert_eq!(n("2.5分"), None);
        assert_eq!(n("序号"), None);
        assert_eq!(n("2026年度"), None);
        assert_eq!(n("5(物业服务态度)"), None);
    }

    #[test]
    fn sub_columns() {
        assert_eq!(
            sub_column("5(物业服务态度)"),
            Some(("5".into(), "物业服务态度".into()))
        );
        assert_eq!(sub_column("4、(保洁)"), Some(("4".into(), "保洁".into())));
        assert_eq!(sub_column("第6题(运动)"), Some(("6".into(), "运动".into())));
        assert_eq!(
            sub_column("第8题(ACG文化(动漫、游戏等))"),
            Some(("8".into(), "ACG文化(动漫、游戏等)".into()))
        );
        assert_eq!(sub_column("第6(运动)"), None);
        assert_eq!(sub_column("4、希望改进(保洁)"), None);
        assert_eq!(sub_column("总分"), None);
    }

    #[test]
    fn rating_headers() {
        assert!(looks_like_rating("您对物业服务的总体满意度"));
        assert!(looks_like_rating("请对以下服务打分"));
        assert!(looks_like_rating("总体评价(1-5分)"));
        assert!(!looks_like_rating("您的年龄段"));
        assert!(!looks_like_rating("部分业主的意见"));
        assert!(!looks_like_rating("您每天通勤几分钟"));
        assert!(looks_like_free_text("您的其他意见和建议"));
        assert!(looks_like_free_text("Any comments?"));
        assert!(!looks_like_free_text("您所在的小区"));
    }
}
