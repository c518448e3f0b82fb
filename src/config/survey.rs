//! The survey settings the configuration names: which tool wrote an export, and what kind
//! of question one is. They live with the configuration, which the survey readers use, so
//! that the configuration does not import the readers it configures.

use serde::{Deserialize, Serialize};

/// The tool (and download variant) that wrote an export. `Auto` asks the reader to tell from
/// the header rows.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Deserialize, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum ExportFormat {
    #[default]
    Auto,
    /// 问卷星, 按文本下载: option texts, `┋` between multiple choices.
    WjxText,
    /// 问卷星, 按序号下载: option indexes, one 0/1 column per multiple-choice option.
    WjxNumber,
    /// 腾讯问卷.
    Tencent,
    SurveyMonkey,
    Qualtrics,
    GoogleForms,
    /// Microsoft Forms: Id, Start time, Completion time, Email, Name, then questions.
    MicrosoftForms,
    LimeSurvey,
    /// One header row, every column a question.
    Plain,
}

impl ExportFormat {
    /// Every concrete format, in the order auto-detection tries them.
    pub const ALL: [ExportFormat; 9] = [
        ExportFormat::Qualtrics,
        ExportFormat::SurveyMonkey,
        ExportFormat::LimeSurvey,
        ExportFormat::GoogleForms,
        ExportFormat::MicrosoftForms,
        ExportFormat::Tencent,
        ExportFormat::WjxText,
        ExportFormat::WjxNumber,
        ExportFormat::Plain,
    ];

    /// The name used in messages.
    pub fn name(self) -> &'static str {
        match self {
            ExportFormat::Auto => "auto",
            ExportFormat::WjxText => "问卷星 text download (按文本)",
            ExportFormat::WjxNumber => "问卷星 number download (按序号)",
            ExportFormat::Tencent => "腾讯问卷",
            ExportFormat::SurveyMonkey => "SurveyMonkey",
            ExportFormat::Qualtrics => "Qualtrics",
            ExportFormat::GoogleForms => "Google Forms",
            ExportFormat::MicrosoftForms => "Microsoft Forms",
            ExportFormat::LimeSurvey => "LimeSurvey",
            ExportFormat::Plain => "plain table",
        }
    }

    /// The config spelling (`format = "wjx-text"`).
    pub fn key(self) -> &'static str {
        match self {
            ExportFormat::Auto => "auto",
            ExportFormat::WjxText => "wjx-text",
            ExportFormat::WjxNumber => "wjx-number",
            ExportFormat::Tencent => "tencent",
            ExportFormat::SurveyMonkey => "survey-monkey",
            ExportFormat::Qualtrics => "qualtrics",
            ExportFormat::GoogleForms => "google-forms",
            ExportFormat::MicrosoftForms => "microsoft-forms",
            ExportFormat::LimeSurvey => "lime-survey",
            ExportFormat::Plain => "plain",
        }
    }
}

impl std::fmt::Display for ExportFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum QuestionKind {
    /// One option chosen: [`Answer::Choice`].
    Single,
    /// Any number of options chosen: [`Answer::Choices`].
    Multiple,
    /// A score on a small integer scale (1–5, 0–10): [`Answer::Number`]; the question's options
    /// are the distinct scores given, ascending.
    Rating,
    /// Any number: [`Answer::Number`].
    Numeric,
    /// Free text: [`Answer::Text`].
    Text,
    /// Options put in order: [`Answer::Ranking`].
    Ranking,
}

impl QuestionKind {
    pub fn name(self) -> &'static str {
        match self {
            QuestionKind::Single => "single choice",
            QuestionKind::Multiple => "multiple choice",
            QuestionKind::Rating => "rating",
            QuestionKind::Numeric => "numeric",
            QuestionKind::Text => "free text",
            QuestionKind::Ranking => "ranking",
        }
    }
}
