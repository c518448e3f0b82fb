//! What a survey export holds once read: its questions, typed, and one response per data row
//! with one answer per question. Raw spellings (`(跳过)`, `-3`, `其他〖…〗`, `┋`, per-option
//! columns) never get past the readers.

pub use crate::config::{ExportFormat, QuestionKind};
use chrono::NaiveDateTime;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Question {
    /// As the export numbers it: `1`, `Q3`, `Q2_1`, `Q5[1]`. Rows of a matrix that the export
    /// numbers only as a group (问卷星 `5(物业服务态度)`, SurveyMonkey, 腾讯问卷, Google grids)
    /// are `5.1`, `5.2`, … in column order; exports without numbers count questions from 1.
    pub number: String,
    /// The number of the matrix group the question is a row of (`5` for `5.1`, `Q2` for
    /// `Q2_1`), so config keyed by the group's number (`kinds`, `labels`) reaches every row.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// 题干 without the number; for a matrix row `题干 - 行` (问卷星 has only the row label).
    /// Empty when the export carries only codes (LimeSurvey code headings, the multiple-choice
    /// columns of a 问卷星 number download).
    pub text: String,
    pub kind: QuestionKind,
    /// Choice options in declared order (per-option columns, codes sorted) or first-seen order,
    /// with options that carried an "other" fill-in last. Rating: the distinct scores ascending
    /// (`"1"`, `"4.5"`). 问卷星 number download single choice: the indexes `"1"`, `"2"`, ….
    /// Empty for Numeric and Text.
    pub options: Vec<String>,
}

impl Question {
    /// The option a rating score is counted under.
    pub fn rating_option(&self, score: f64) -> Option<usize> {
        self.options
            .iter()
            .position(|o| o.parse::<f64>().is_ok_and(|v| v == score))
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Answer {
    /// Not answered: empty, `(跳过)`, `(空)`, `-2`/`-3` in a 问卷星 number download, `-99` in
    /// Qualtrics, or a value that could not be read as the question's kind (with a warning).
    None,
    /// Index into the question's options.
    Choice(usize),
    /// Indexes into the question's options, ascending, never empty.
    Choices(Vec<usize>),
    Number(f64),
    Text(String),
    /// Indexes into the question's options, first place first.
    Ranking(Vec<usize>),
}

impl Answer {
    pub fn is_answered(&self) -> bool {
        !matches!(self, Answer::None)
    }

    /// The options chosen by a Single or Multiple answer (empty otherwise).
    pub fn chosen(&self) -> &[usize] {
        match self {
            Answer::Choice(i) => std::slice::from_ref(i),
            Answer::Choices(v) => v,
            _ => &[],
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Response {
    /// Physical line (1-based) where the row starts.
    pub line: u64,
    /// The export's own number for the response (序号, 编号, Respondent ID, ResponseId, id),
    /// always as written: long numeric ids are never turned into numbers.
    pub id: Option<String>,
    pub submitted: Option<NaiveDateTime>,
    /// Time spent answering: 问卷星 所用时间, 腾讯问卷 答题时长, Qualtrics Duration,
    /// LimeSurvey interviewtime; else end minus start where the export has both.
    pub seconds: Option<u32>,
    /// Who answered, for duplicate rules: the IP address (问卷星's `(浙江-杭州)` dropped), else
    /// an e-mail address or recipient id where the export has one.
    pub respondent: Option<String>,
    /// Qualtrics `Finished`, LimeSurvey (a `submitdate` means finished); `None` where the
    /// export only holds submitted responses.
    pub finished: Option<bool>,
    /// One per question, in the order of [`SurveyExport::questions`].
    pub answers: Vec<Answer>,
    /// Per question: the text typed into an "other" box (`其他〖text〗`, SurveyMonkey's
    /// "Other (please specify)", Qualtrics `_TEXT`, LimeSurvey `[other]`). The option it belongs
    /// to is among the answer's chosen options.
    pub other_text: Vec<Option<String>>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SurveyExport {
    /// The format read (detected, or the one forced).
    pub format: ExportFormat,
    /// `"UTF-8"` or `"GB18030"` (which reads GBK and GB2312 too), or the kind of workbook
    /// (`"xlsx"`, `"xls"` …).
    pub encoding: &'static str,
    /// The sheet read, when the export is a workbook.
    pub sheet: Option<String>,
    /// Rows below the header rows; each is a response or rejected (a stray quote broke it).
    pub rows_read: u64,
    pub rejected: u64,
    pub questions: Vec<Question>,
    pub responses: Vec<Response>,
    /// Numbers of the single-choice questions whose answers are choice codes (1, 2, …), not
    /// choice texts; one warning names them (see [`codes_hint`]).
    pub coded: Vec<String>,
    /// `line 7, column 5 (3、…): …` or `line 7: …` (in a workbook `E7 (3、…): …` or
    /// `row 7: …`); the export was still read.
    pub warnings: Vec<String>,
}

impl SurveyExport {
    /// The export as messages name it: `问卷.xlsx!Sheet1` for a workbook's sheet.
    pub fn place(&self, path: &str) -> String {
        match &self.sheet {
            Some(sheet) => format!("{path}!{sheet}"),
            None => path.to_owned(),
        }
    }

    /// The line a build prints per export, as for visit logs: rows read = accepted + rejected.
    pub fn summary_line(&self, path: &str) -> String {
        format!(
            "{} ({}): read {} rows: accepted {}, rejected {}, warnings {}",
            self.place(path),
            self.encoding,
            self.rows_read,
            self.responses.len(),
            self.rejected,
            self.warnings.len()
        )
    }
}

/// A question number as a config key may name it: without a leading `Q` before a digit, so
/// `"2"` in `kinds` or `labels` names `Q2` (after no key names it as written).
pub fn bare_number(number: &str) -> &str {
    number
        .strip_prefix(['Q', 'q'])
        .filter(|r| r.starts_with(|c: char| c.is_ascii_digit()))
        .unwrap_or(number)
}

/// One warning for every question whose answers are choice codes: they are shown as codes,
/// and the way to see the choices is an export with their texts or a `labels` table. `None`
/// when there is none.
pub fn codes_hint(numbers: &[String]) -> Option<String> {
    if numbers.is_empty() {
        return None;
    }
    const SHOWN: usize = 12;
    let mut list = numbers
        .iter()
        .take(SHOWN)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    if numbers.len() > SHOWN {
        list.push_str(&format!(" and {} more", numbers.len() - SHOWN));
    }
    Some(format!(
        "questions {list}: the answers are choice codes (1, 2, …), not choice texts, so they \
         are shown as codes; download the export with choice texts (Qualtrics: \"Use choice \
         text\"; LimeSurvey: \"Full answers\") to see the options, or name each code's text in \
         the campaign's `labels`"
    ))
}
