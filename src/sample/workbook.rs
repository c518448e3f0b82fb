//! The sample's workbook flavour: each year's visit log as an Excel workbook, laid out as a
//! 客服台账 kept in Excel is: a title row merged across the table, the header, then one row per
//! visit, dates as date cells and whole numbers as numbers. The bytes depend only on the CSV
//! file they are made from.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, XlsxError};
use std::io;
use std::path::{Path, PathBuf};

/// Writes `<name>.xlsx` beside `csv` with the same rows, removes `csv` and returns the
/// workbook's path. The sheet is named after the year, e.g. `2025年`.
pub fn from_csv(csv: &Path, year: i32) -> io::Result<PathBuf> {
    let text = std::fs::read(csv)?;
    let mut book = Workbook::new();
    // A fixed creation time: the same rows give the same bytes.
    let fixed = ExcelDateTime::from_ymd(2026, 1, 1).map_err(xlsx)?;
    book.set_properties(&DocProperties::new().set_creation_datetime(&fixed));
    let sheet = book.add_worksheet();
    sheet.set_name(format!("{year}年")).map_err(xlsx)?;
    let title = Format::new().set_bold().set_align(FormatAlign::Center);
    let stamp = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    let day = Format::new().set_num_format("yyyy-mm-dd");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_slice());
    let mut width = 0u16;
    for (r, record) in reader.records().enumerate() {
        let record = record.map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        let row = r as u32 + 1;
        for (c, cell) in record.iter().enumerate() {
            let c = c as u16;
            width = width.max(c + 1);
            let cell = cell.trim_start_matches('\u{feff}');
            match value(cell, r == 0) {
                Value::Empty => {}
                Value::Number(n) => {
                    sheet.write_number(row, c, n).map_err(xlsx)?;
                }
                Value::Date(d, true) => {
                    sheet
                        .write_datetime_with_format(row, c, d, &stamp)
                        .map_err(xlsx)?;
                }
                Value::Date(d, false) => {
                    sheet
                        .write_datetime_with_format(row, c, d, &day)
                        .map_err(xlsx)?;
                }
                Value::Text => {
                    sheet.write_string(row, c, cell).map_err(xlsx)?;
                }
            }
        }
    }
    sheet
        .merge_range(
            0,
            0,
            0,
            width.saturating_sub(1),
            "《客户回访记录表》",
            &title,
        )
        .map_err(xlsx)?;
    let path = csv.with_extension("xlsx");
    book.save(&path).map_err(xlsx)?;
    std::fs::remove_file(csv)?;
    Ok(path)
}

enum Value {
    Empty,
    Number(f64),
    /// A date cell, and whether it shows a time.
    Date(ExcelDateTime, bool),
    Text,
}

/// How Excel would hold a cell typed as `cell`: the header stays text; a date with or without
/// a time becomes a date cell; a whole number without a leading zero (序号, an Excel serial
/// day) a number.
fn value(cell: &str, header: bool) -> Value {
    if cell.is_empty() {
        return Value::Empty;
    }
    if header {
        return Value::Text;
    }
    if let Some(date) = date(cell) {
        return date;
    }
    let digits = cell.bytes().all(|b| b.is_ascii_digit());
    if digits && cell.len() <= 15 && !cell.starts_with('0') {
        return cell.parse().map_or(Value::Text, Value::Number);
    }
    Value::Text
}

/// `2024/3/5 14:07`, `2025-03-05 14:07:31`, `2026年3月5日`, `2024/3/8`, `2025-03-08`.
fn date(cell: &str) -> Option<Value> {
    const WITH_TIME: [&str; 2] = ["%Y/%m/%d %H:%M", "%Y-%m-%d %H:%M:%S"];
    const DAY_ONLY: [&str; 3] = ["%Y/%m/%d", "%Y-%m-%d", "%Y年%m月%d日"];
    use chrono::{Datelike, Timelike};
    let excel = |d: chrono::NaiveDate| {
        ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8).ok()
    };
    for format in WITH_TIME {
        if let Ok(t) = chrono::NaiveDateTime::parse_from_str(cell, format) {
            let time = excel(t.date())?
                .and_hms(t.hour() as u16, t.minute() as u8, t.second() as u8)
                .ok()?;
            return Some(Value::Date(time, true));
        }
    }
    for format in DAY_ONLY {
        if let Ok(d) = chrono::NaiveDate::parse_from_str(cell, format) {
            return Some(Value::Date(excel(d)?, false));
        }
    }
    None
}

fn xlsx(e: XlsxError) -> io::Error {
    io::Error::other(e.to_string())
}
