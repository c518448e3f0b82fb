//! Which tool wrote an export, told from its header rows, and what each tool's header looks
//! like (for the message when none fits).

use super::layout::Layout;
use super::model::ExportFormat;
use super::table::Table;
use super::{
    google_forms, limesurvey, microsoft_forms, plain, qualtrics, surveymonkey, tencent, wjx,
    wjx_number, wjx_text,
};

/// The format whose header signature the table has. The more specific signatures are tried
/// first; a plain table is taken only when every header is a numbered question.
pub fn detect(table: &Table) -> Option<ExportFormat> {
    if qualtrics::matches(table) {
        Some(ExportFormat::Qualtrics)
    } else if surveymonkey::matches(table) {
        Some(ExportFormat::SurveyMonkey)
    } else if limesurvey::matches(table) {
        Some(ExportFormat::LimeSurvey)
    } else if google_forms::matches(table) {
        Some(ExportFormat::GoogleForms)
    } else if microsoft_forms::matches(table) {
        Some(ExportFormat::MicrosoftForms)
    } else if tencent::matches(table) {
        Some(ExportFormat::Tencent)
    } else if wjx::matches(table) {
        Some(if wjx::is_number_download(table) {
            ExportFormat::WjxNumber
        } else {
            ExportFormat::WjxText
        })
    } else if plain::matches(table) {
        Some(ExportFormat::Plain)
    } else {
        None
    }
}

/// Reads the header rows as `format` lays them out; `Err` says what was expected.
pub fn layout(format: ExportFormat, table: &Table) -> Result<Layout, String> {
    match format {
        ExportFormat::Auto => Err(expected_any()),
        ExportFormat::WjxText => wjx_text::layout(table),
        ExportFormat::WjxNumber => wjx_number::layout(table),
        ExportFormat::Tencent => tencent::layout(table),
        ExportFormat::SurveyMonkey => surveymonkey::layout(table),
        ExportFormat::Qualtrics => qualtrics::layout(table),
        ExportFormat::GoogleForms => google_forms::layout(table),
        ExportFormat::MicrosoftForms => microsoft_forms::layout(table),
        ExportFormat::LimeSurvey => limesurvey::layout(table),
        ExportFormat::Plain => plain::layout(table),
    }
}

/// What the header of each format looks like, for a file that matches none.
pub fn expected(format: ExportFormat) -> &'static str {
    match format {
        ExportFormat::Auto => "one of the survey export layouts",
        ExportFormat::WjxText | ExportFormat::WjxNumber => wjx::EXPECTED,
        ExportFormat::Tencent => tencent::EXPECTED,
        ExportFormat::SurveyMonkey => surveymonkey::EXPECTED,
        ExportFormat::Qualtrics => qualtrics::EXPECTED,
        ExportFormat::GoogleForms => google_forms::EXPECTED,
        ExportFormat::MicrosoftForms => microsoft_forms::EXPECTED,
        ExportFormat::LimeSurvey => limesurvey::EXPECTED,
        ExportFormat::Plain => plain::EXPECTED,
    }
}

pub fn expected_any() -> String {
    let mut text = String::from("one of these layouts:");
    for format in ExportFormat::ALL {
        if format == ExportFormat::WjxNumber {
            continue;
        }
        let name = match format {
            ExportFormat::WjxText => "问卷星 (text or number download)",
            other => other.name(),
        };
        text.push_str(&format!("\n  - {name}: {}", expected(format)));
    }
    text.push_str(
        "\nIf the file is a table whose every column is a question, set the survey's \
         `format` to \"plain\".",
    );
    text
}
