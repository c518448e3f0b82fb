//! `reports/<id>/actions.csv`: a report's whole action list for spreadsheet users, with the
//! page's columns, headers in the site's language, ISO dates, masked text only.

use super::data_files::spreadsheet_text;
use super::pages::SiteData;
use super::pages::actions::{COLUMNS, row_texts};
use crate::metrics::{PeriodReport, Scope};

/// The action list of the whole organisation in `report`, in the page's order, with a last
/// column marking 超时未完成 rows; `None` for a site built without complaint records.
/// Starts with a UTF-8 BOM, as `metrics.csv` does, so Excel reads the Chinese text.
pub fn actions_csv(data: &SiteData<'_>, report: &PeriodReport) -> Option<Vec<u8>> {
    let actions = data.actions?;
    let t = data.t;
    let mut writer = csv::Writer::from_writer(crate::ingest::decode::UTF8_BOM.to_vec());
    let head = COLUMNS.iter().chain(&["long_open"]).map(|k| t.get(k));
    writer
        .write_record(head)
        .expect("writing to memory cannot fail");
    for item in actions.items(&report.period, Scope::Overall) {
        let texts = row_texts(actions, data, &item, |d| d.to_string());
        let long_open = if item.long_open {
            t.get("long_open_mark")
        } else {
            ""
        };
        let row = texts
            .iter()
            .map(|text| spreadsheet_text(text))
            .chain([long_open.into()]);
        writer
            .write_record(row.map(|c| c.into_owned()))
            .expect("writing to memory cannot fail");
    }
    Some(writer.into_inner().expect("writing to memory cannot fail"))
}

/// Every work order of the whole organisation in `report` still owed a follow-up (the page
/// lists the first ones), in the page's order and columns; `None` without orders.
pub fn followups_csv(data: &SiteData<'_>, report: &PeriodReport) -> Option<Vec<u8>> {
    use super::pages::coverage_tables::{PENDING_COLUMNS, pending_texts};
    let coverage = data.coverage?;
    let mut writer = csv::Writer::from_writer(crate::ingest::decode::UTF8_BOM.to_vec());
    writer
        .write_record(PENDING_COLUMNS.map(|k| data.t.get(k)))
        .expect("writing to memory cannot fail");
    let (start, end) = (report.period.start, report.period.end);
    for order in coverage.pending(start, end, Scope::Overall) {
        let texts = pending_texts(data, report, order, |d| d.to_string());
        writer
            .write_record(texts.iter().map(|text| spreadsheet_text(text).into_owned()))
            .expect("writing to memory cannot fail");
    }
    Some(writer.into_inner().expect("writing to memory cannot fail"))
}
