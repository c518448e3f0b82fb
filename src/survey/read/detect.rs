//! Which tool wrote an export, told from its header rows, and what each tool's header looks
//! like (for the message when none fits).

use super::column_plan::{ColumnPlan, header_row};
use super::grid::Grid;
use super::model::ExportFormat;
use super::{
    google_forms, limesurvey, microsoft_forms, plain, qualtrics, surveymonkey, tencent, wjx,
    wjx_number, wjx_text,
};
use crate::chars::header_key;

/// The format whose header signature the table has. The more specific signatures are tried
/// first; a plain table is taken only when every header is a numbered question.
pub fn detect(table: &Grid) -> Option<ExportFormat> {
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
pub fn layout(format: ExportFormat, table: &Grid) -> Result<ColumnPlan, String> {
    match format {
        ExportFormat::Auto => Err(expected_any(Some(table))),
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

/// The fixed columns each layout's header holds, for naming the closest layout to a header
/// that fits none (compared as `header_key` spells them).
const SIGNATURES: [(&str, &[&str]); 9] = [
    (
        "Qualtrics",
        &[
            "StartDate",
            "EndDate",
            "Status",
            "IPAddress",
            "Progress",
            "Duration (in seconds)",
            "Finished",
            "RecordedDate",
            "ResponseId",
        ],
    ),
    (
        "SurveyMonkey",
        &[
            "Respondent ID",
            "Collector ID",
            "Start Date",
            "End Date",
            "IP Address",
            "Email Address",
            "First Name",
            "Last Name",
            "Custom Data 1",
        ],
    ),
    (
        "LimeSurvey (question codes)",
        &[
            "id",
            "submitdate",
            "lastpage",
            "startlanguage",
            "seed",
            "startdate",
            "datestamp",
        ],
    ),
    (
        "LimeSurvey (full question texts)",
        &[
            "Response ID",
            "Date submitted",
            "Last page",
            "Start language",
            "Seed",
            "Date started",
            "Date last action",
        ],
    ),
    ("Google Forms", &["Timestamp"]),
    ("Google Forms", &["时间戳记"]),
    (
        "Microsoft Forms",
        &["Id", "Start time", "Completion time", "Email", "Name"],
    ),
    (
        "腾讯问卷",
        &["编号", "开始答题时间", "结束答题时间", "答题时长"],
    ),
    (
        "问卷星",
        &[
            "序号",
            "提交答卷时间",
            "所用时间",
            "来源",
            "来源详情",
            "来自IP",
        ],
    ),
];

/// The layout whose fixed columns the header rows share most, with what they hold of them
/// and what they lack; `None` when they hold none.
pub fn closest(table: &Grid) -> Option<String> {
    let keys: Vec<String> = (0..2)
        .flat_map(|r| header_row(table, r))
        .map(header_key)
        .collect();
    let (name, found, missing) = SIGNATURES
        .iter()
        .map(|(name, signature)| {
            let (found, missing): (Vec<&str>, Vec<&str>) = signature
                .iter()
                .partition(|k| keys.contains(&header_key(k)));
            (*name, found, missing)
        })
        .filter(|(_, found, _)| !found.is_empty())
        // Most found; of equals, the one missing least.
        .max_by(|a, b| a.1.len().cmp(&b.1.len()).then(b.2.len().cmp(&a.2.len())))?;
    Some(format!(
        "the closest is {name}: the header has {} but lacks {}",
        found.join(", "),
        if missing.is_empty() {
            "the question columns that layout reads".to_owned()
        } else {
            missing.join(", ")
        }
    ))
}

/// What every layout looks like, the closest one first when the table has one.
pub fn expected_any(table: Option<&Grid>) -> String {
    let mut text = String::new();
    if let Some(closest) = table.and_then(closest) {
        text.push_str(&closest);
        text.push_str(".\nThe layouts known are:");
    } else {
        text.push_str("one of these layouts:");
    }
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
