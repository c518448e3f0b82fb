//! Excel workbooks as sources: a visit log saved as `.xlsx` or `.xls` reads row for row as the
//! same data saved as CSV, messages name the sheet and the cell, and survey exports read from
//! workbooks as from CSV files.

use crate::util;

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet};
use std::path::Path;
use util::{Loaded, huifang, load_config};

/// A record with its symbols spelled out, for comparing two reads of the same rows.
fn spelled(l: &Loaded) -> Vec<String> {
    l.records
        .iter()
        .map(|r| {
            let complaint = r.complaint.as_ref().map(|c| {
                format!(
                    "{} {:?} {:?} {:?} {:?} {:?}",
                    l.name(c.category),
                    c.severity,
                    c.status,
                    c.due_date,
                    c.closed_date,
                    c.revisit_satisfaction
                )
            });
            format!(
                "{} {} {} {:?} {:?} {:?} {:?} {:?} {:?} {complaint:?} {:?} {:?}",
                r.id,
                r.date,
                l.name(r.department),
                l.opt_name(r.site),
                l.opt_name(r.visit_type),
                l.opt_name(r.channel),
                l.opt_name(r.contact_result),
                r.contact,
                r.satisfaction,
                r.comment,
                l.opt_name(r.staff),
            )
        })
        .collect()
}

/// A date or date-time cell value, when the text is one.
fn excel_date(cell: &str) -> Option<ExcelDateTime> {
    let (date, time) = match NaiveDateTime::parse_from_str(cell, "%Y-%m-%d %H:%M:%S") {
        Ok(t) => (t.date(), Some(t.time())),
        Err(_) => (NaiveDate::parse_from_str(cell, "%Y-%m-%d").ok()?, None),
    };
    let day =
        ExcelDateTime::from_ymd(date.year() as u16, date.month() as u8, date.day() as u8).ok()?;
    match time {
        Some(t) => day
            .and_hms(t.hour() as u16, t.minute() as u8, t.second() as u8)
            .ok(),
        None => Some(day),
    }
}

/// Writes CSV text into a sheet, from `first_row` (0-based): dates in `date_column` as date
/// cells, whole numbers in `number_column` as numbers, everything else as text.
fn write_rows(
    sheet: &mut Worksheet,
    csv: &[u8],
    first_row: u32,
    date_column: u16,
    number_column: Option<u16>,
) {
    let stamp = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
    let day = Format::new().set_num_format("yyyy-mm-dd");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(csv);
    for (r, record) in reader.records().enumerate() {
        let record = record.unwrap();
        let row = first_row + r as u32;
        for (c, cell) in record.iter().enumerate() {
            let c = c as u16;
            let cell = cell.trim_start_matches('\u{feff}');
            if r > 0
                && c == date_column
                && let Some(date) = excel_date(cell)
            {
                let format = if cell.contains(':') { &stamp } else { &day };
                sheet
                    .write_datetime_with_format(row, c, date, format)
                    .unwrap();
            } else if r > 0
                && Some(c) == number_column
                && let Ok(n) = cell.parse::<u32>()
            {
                sheet.write_number(row, c, n).unwrap();
            } else if !cell.is_empty() {
                sheet.write_string(row, c, cell).unwrap();
            }
        }
    }
}

fn project(dir: &Path, sources: &str) -> std::path::PathBuf {
    let config = dir.join("huifang.toml");
    std::fs::write(&config, format!("as_of = 2026-11-20\n{sources}")).unwrap();
    config
}

/// The sample's 2025 visit log (2,076 rows, one with a line break in a comment) saved as a
/// workbook with real date cells reads as the same records as the CSV file, with the same
/// problems.
#[test]
fn an_xlsx_visit_log_reads_row_for_row_as_its_csv() {
    let csv_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data/visits/visits-2025.csv");
    let csv = std::fs::read(&csv_path).unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(&csv_path, dir.path().join("visits.csv")).unwrap();
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("2025年").unwrap();
    write_rows(sheet, &csv, 0, 1, None);
    book.save(dir.path().join("visits.xlsx")).unwrap();

    let from_csv = load_config(&project(dir.path(), "[[sources]]\npath = \"visits.csv\"\n"));
    let from_xlsx = load_config(&project(
        dir.path(),
        "[[sources]]\npath = \"visits.xlsx\"\n",
    ));
    let (c, x) = (from_csv.file(), from_xlsx.file());
    assert!(c.rows_read > 2000);
    assert_eq!(
        (x.rows_read, x.accepted, x.rejected, x.warnings),
        (c.rows_read, c.accepted, c.rejected, c.warnings)
    );
    assert_eq!(spelled(&from_xlsx), spelled(&from_csv));
    // The comment with a line break (GD202512300006) keeps it.
    assert!(from_xlsx.records.iter().any(|r| {
        r.comment
            .as_deref()
            .is_some_and(|c| c.contains("放心\"\n已向"))
    }));
    let messages = |f: &huifang::ingest::FileReport| -> Vec<String> {
        f.diagnostics.iter().map(|d| d.message.clone()).collect()
    };
    assert_eq!(messages(x), messages(c));
    assert_eq!((x.sheet.as_deref(), x.encoding), (Some("2025年"), "xlsx"));
    // The workbook's own bytes are what a version records.
    let bytes = std::fs::read(dir.path().join("visits.xlsx")).unwrap();
    assert_eq!(x.size, bytes.len() as u64);
}

/// The committed `.xls` (written by `make_xls.py` from `visits.csv`: a merged title row, date
/// cells, a department merged down over two visits, order numbers stored as numbers) reads as
/// the CSV file, and its messages name cells as Excel does.
#[test]
fn an_xls_visit_log_reads_row_for_row_as_its_csv() {
    let fixture = util::fixture("workbooks");
    let config = |file: &str| {
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(fixture.join(file), dir.path().join(file)).unwrap();
        let config = project(dir.path(), &format!("[[sources]]\npath = \"{file}\"\n"));
        (dir, config)
    };
    let (_c, csv_config) = config("visits.csv");
    let (_x, xls_config) = config("visits.xls");
    let from_csv = load_config(&csv_config);
    let from_xls = load_config(&xls_config);
    let x = from_xls.file();
    // By hand from visits.csv: 8 rows, 2025-02-30 rejected; 未整改, 很好吗 and 整改中 blanked.
    assert_eq!(
        (x.rows_read, x.accepted, x.rejected, x.warnings),
        (8, 7, 1, 3)
    );
    assert_eq!(x.title_lines, 1);
    assert_eq!(spelled(&from_xls), spelled(&from_csv));
    // Row 3 of the CSV is the second row of the merged 工程部 cell.
    assert_eq!(from_xls.name(from_xls.records[1].department), "工程部");
    assert_eq!(from_xls.records[0].id, "250301");

    let out = huifang(xls_config.parent().unwrap(), &["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("visits.xls!2025年 (xls): read 8 rows"),
        "{stderr}"
    );
    // The title is row 1 and the header row 2, so the CSV's line 8 is the sheet's row 9.
    assert!(
        stderr.contains("A9 (回访日期 → date): row rejected: `2025-02-30`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("F8 (满意度 → satisfaction): warning"),
        "{stderr}"
    );
    assert!(
        stderr.contains("sheet rows: 10 = 2 above the data rows"),
        "{stderr}"
    );
}

/// A cell holding a line break makes one row of the sheet two lines of text; messages still
/// name the sheet's row.
#[test]
fn rows_below_a_cell_with_a_line_break_are_named_by_their_row() {
    let dir = tempfile::tempdir().unwrap();
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let rows = [
        ["回访日期", "责任部门", "满意度", "客户意见"],
        ["2026-01-05", "工程部", "满意", "第一行\n第二行\n第三行"],
        ["2026-01-06", "客服部", "满意", ""],
        ["2026-01-32", "客服部", "满意", ""],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, *cell).unwrap();
        }
    }
    book.save(dir.path().join("台账.xlsx")).unwrap();
    let loaded = load_config(&project(dir.path(), "[[sources]]\npath = \"台账.xlsx\"\n"));
    let file = loaded.file();
    assert_eq!((file.accepted, file.rejected), (2, 1));
    assert_eq!(
        loaded.records[0].comment.as_deref(),
        Some("第一行\n第二行\n第三行")
    );
    // Two line breaks: the bad date on row 4 is on line 6 of the text.
    assert_eq!(file.diagnostics[0].line, 6);
    assert_eq!(file.row_of(6), 4);
    assert!(
        file.describe(&file.diagnostics[0])
            .starts_with("A4 (回访日期 → date): row rejected"),
        "{}",
        file.describe(&file.diagnostics[0])
    );
    assert_eq!(file.line_counts(), [4, 1, 3, 0]);
}

#[test]
fn a_sheet_is_chosen_by_name_and_a_missing_one_is_named_with_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let mut book = Workbook::new();
    let notes = book.add_worksheet();
    notes.set_name("说明").unwrap();
    notes.write_string(0, 0, "本表由客服中心每月导出").unwrap();
    notes.set_hidden(true);
    notes.set_active(false);
    for (name, department) in [("一月", "工程部"), ("二月", "客服部")] {
        let sheet = book.add_worksheet();
        sheet.set_name(name).unwrap();
        if name == "一月" {
            sheet.set_active(true);
        }
        let csv = format!("回访日期,责任部门,满意度\n2026-01-05,{department},满意\n");
        // Two blank columns and a blank row before the table: positions stay the sheet's.
        for (r, line) in csv.lines().enumerate() {
            for (c, cell) in line.split(',').enumerate() {
                sheet
                    .write_string(r as u32 + 1, c as u16 + 2, cell)
                    .unwrap();
            }
        }
    }
    book.save(dir.path().join("台账.xlsx")).unwrap();

    // The first visible sheet by default: 说明 is hidden.
    let first = load_config(&project(dir.path(), "[[sources]]\npath = \"台账.xlsx\"\n"));
    assert_eq!(first.file().sheet.as_deref(), Some("一月"));
    assert_eq!(first.name(first.records[0].department), "工程部");
    let chosen = load_config(&project(
        dir.path(),
        "[[sources]]\npath = \"台账.xlsx\"\nsheet = \"二月\"\n",
    ));
    assert_eq!(chosen.name(chosen.records[0].department), "客服部");
    assert_eq!(chosen.file().lines_above_rows, 2);

    project(
        dir.path(),
        "[[sources]]\npath = \"台账.xlsx\"\nsheet = \"三月\"\n",
    );
    let out = huifang(dir.path(), &["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("no sheet named `三月`; its sheets are `说明`, `一月`, `二月`"),
        "{stderr}"
    );
}

/// A folder source reads the workbooks in it beside the CSV files, and not the lock file
/// Excel keeps beside an open workbook.
#[test]
fn a_folder_source_reads_workbooks_beside_csv_files() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    std::fs::write(
        data.join("a.csv"),
        "回访日期,责任部门,满意度\n2026-01-05,工程部,满意\n",
    )
    .unwrap();
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    write_rows(
        sheet,
        "回访日期,责任部门,满意度\n2026-01-06,客服部,一般\n2026-01-07,客服部,满意\n".as_bytes(),
        0,
        0,
        None,
    );
    book.save(data.join("b.xlsx")).unwrap();
    std::fs::write(data.join("~$b.xlsx"), b"\x0cowner\x00\x00").unwrap();
    let loaded = load_config(&project(dir.path(), "[[sources]]\npath = \"data\"\n"));
    assert!(
        loaded.report.failures.is_empty(),
        "{:?}",
        loaded.report.failures
    );
    let read: Vec<(&str, u64)> = loaded
        .report
        .files
        .iter()
        .map(|f| (f.path.as_str(), f.accepted))
        .collect();
    assert_eq!(read, [("data/a.csv", 1), ("data/b.xlsx", 2)]);
    assert_eq!(
        loaded.dates_and_departments(),
        [
            (util::ymd(2026, 1, 5), "工程部"),
            (util::ymd(2026, 1, 6), "客服部"),
            (util::ymd(2026, 1, 7), "客服部")
        ]
    );
}

/// A 问卷星 text download saved as `.xlsx` (as 问卷星 gives it) reads as a survey export;
/// counts worked out by hand from the rows below.
#[test]
fn a_survey_export_reads_from_a_workbook() {
    let csv = "序号,提交答卷时间,所用时间,来源,来源详情,来自IP,1、您所在的小区:,2、您对物业服务的总体满意度:,3、您希望改进的方面:\n\
               1,2026/5/3 10:01:02,95秒,手机提交,直接访问,1.2.3.4(浙江-杭州),翠湖花园,满意,保洁┋绿化\n\
               2,2026/5/3 11:20:00,120秒,手机提交,直接访问,1.2.3.5(浙江-杭州),翠湖花园,非常满意,保洁\n\
               3,2026/5/4 09:00:00,80秒,手机提交,直接访问,1.2.3.6(浙江-杭州),阳光新城,满意,安保┋保洁┋绿化\n";
    let dir = tempfile::tempdir().unwrap();
    let mut book = Workbook::new();
    write_rows(book.add_worksheet(), csv.as_bytes(), 0, 99, Some(0));
    let path = dir.path().join("问卷.xlsx");
    book.save(&path).unwrap();
    // Three answers are too few to tell a choice from free text: the kinds are given.
    let single = huifang::survey::read::QuestionKind::Single;
    let kinds = [("1".to_owned(), single), ("2".to_owned(), single)].into();
    let export = huifang::survey::read::read_export(
        &path,
        huifang::config::EncodingChoice::Auto,
        huifang::survey::read::ExportFormat::Auto,
        &kinds,
    )
    .unwrap();
    assert_eq!(export.format, huifang::survey::read::ExportFormat::WjxText);
    assert_eq!(
        (export.encoding, export.sheet.as_deref()),
        ("xlsx", Some("Sheet1"))
    );
    assert_eq!((export.rows_read, export.responses.len()), (3, 3));
    let counts = |q: usize| -> Vec<(String, usize)> {
        let question = &export.questions[q];
        question
            .options
            .iter()
            .enumerate()
            .map(|(i, o)| {
                let n = export
                    .responses
                    .iter()
                    .filter(|r| r.answers[q].chosen().contains(&i))
                    .count();
                (o.clone(), n)
            })
            .collect()
    };
    let mut improve = counts(2);
    improve.sort();
    assert_eq!(
        improve,
        [("保洁".into(), 3), ("安保".into(), 1), ("绿化".into(), 2)]
    );
    let mut satisfaction = counts(1);
    satisfaction.sort();
    assert_eq!(satisfaction, [("满意".into(), 2), ("非常满意".into(), 1)]);
    assert_eq!(export.responses[2].id.as_deref(), Some("3"));
}

/// `huifang sample --format xlsx`: the same visits as the CSV sample, year by year, in
/// workbooks whose bytes depend only on the options.
#[test]
fn the_sample_as_workbooks_reads_as_the_csv_sample() {
    use huifang::sample::{SampleEncoding, SampleOptions, write_sample, write_sample_workbooks};
    let options = SampleOptions {
        rows: 900,
        encoding: SampleEncoding::Utf8,
        ..SampleOptions::default()
    };
    let dir = tempfile::tempdir().unwrap();
    let books = write_sample_workbooks(&options, &dir.path().join("books")).unwrap();
    let names: Vec<String> = books
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        ["visits-2024.xlsx", "visits-2025.xlsx", "visits-2026.xlsx"]
    );
    write_sample(&options, &dir.path().join("csv")).unwrap();
    let again = write_sample_workbooks(&options, &dir.path().join("again")).unwrap();
    for (a, b) in books.iter().zip(&again) {
        assert_eq!(std::fs::read(a).unwrap(), std::fs::read(b).unwrap());
    }
    let from_books = load_config(&project(dir.path(), "[[sources]]\npath = \"books\"\n"));
    let from_csv = load_config(&project(dir.path(), "[[sources]]\npath = \"csv\"\n"));
    assert_eq!(from_books.records.len(), 900);
    assert_eq!(spelled(&from_books), spelled(&from_csv));
    let sheets: Vec<Option<&str>> = from_books
        .report
        .files
        .iter()
        .map(|f| f.sheet.as_deref())
        .collect();
    assert_eq!(sheets, [Some("2024年"), Some("2025年"), Some("2026年")]);
    // The title row above the header, as a 台账 has it.
    assert!(from_books.report.files.iter().all(|f| f.title_lines == 1));
}

/// A header over two rows, as a 台账 has it: 回访情况 over 满意度 and 客户意见, the other header
/// cells merged down over both rows, and a department merged down over its two visits.
#[test]
fn a_header_over_two_rows_with_merged_cells_reads_from_its_lower_row() {
    let dir = tempfile::tempdir().unwrap();
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let plain = Format::new();
    sheet
        .merge_range(0, 0, 0, 3, "《客户回访记录表》", &plain)
        .unwrap();
    sheet.merge_range(1, 0, 2, 0, "回访日期", &plain).unwrap();
    sheet.merge_range(1, 1, 2, 1, "责任部门", &plain).unwrap();
    sheet.merge_range(1, 2, 1, 3, "回访情况", &plain).unwrap();
    sheet.write_string(2, 2, "满意度").unwrap();
    sheet.write_string(2, 3, "客户意见").unwrap();
    let day = Format::new().set_num_format("yyyy-mm-dd");
    for (r, (d, level)) in [(1, "满意"), (2, "一般"), (3, "满意")].iter().enumerate() {
        let date = ExcelDateTime::from_ymd(2026, 3, *d).unwrap();
        sheet
            .write_datetime_with_format(3 + r as u32, 0, date, &day)
            .unwrap();
        sheet.write_string(3 + r as u32, 2, *level).unwrap();
    }
    sheet.merge_range(3, 1, 4, 1, "工程部", &plain).unwrap();
    sheet.write_string(5, 1, "客服部").unwrap();
    book.save(dir.path().join("台账.xlsx")).unwrap();

    let loaded = load_config(&project(dir.path(), "[[sources]]\npath = \"台账.xlsx\"\n"));
    let file = loaded.file();
    assert_eq!((file.rows_read, file.accepted, file.rejected), (3, 3, 0));
    // The title and the upper header row are above the header.
    assert_eq!((file.title_lines, file.line_counts()), (2, [6, 3, 3, 0]));
    let fields: Vec<&str> = file.columns.iter().map(|c| c.field).collect();
    assert_eq!(fields, ["date", "department", "satisfaction", "comment"]);
    assert_eq!(
        loaded.dates_and_departments(),
        [
            (util::ymd(2026, 3, 1), "工程部"),
            (util::ymd(2026, 3, 2), "工程部"),
            (util::ymd(2026, 3, 3), "客服部")
        ]
    );
    let levels: Vec<Option<&str>> = loaded
        .records
        .iter()
        .map(|r| loaded.level_label(r.satisfaction))
        .collect();
    assert_eq!(levels, [Some("满意"), Some("一般"), Some("满意")]);
}

/// What users' workbooks hold that a CSV file would not make of them: a line break in a site
/// cell, a `;` in a comment near the top, an `encoding` set on the source for its CSV files,
/// and one stray value far out in the sheet.
#[test]
fn workbook_cells_never_change_how_the_sheet_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let rows = [
        ["回访日期", "责任部门", "项目", "客户意见"],
        [
            "2026-01-05",
            "工程部",
            "翠湖花园\n一期",
            "漏水;墙面;门窗;电梯",
        ],
        ["2026-01-06", "客服部", "阳光新城", "第一行\n第二行"],
        ["2026-01-07", "客服部", "阳光新城", ""],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, *cell).unwrap();
        }
    }
    // One value in the sheet's last cell, XFD1048576.
    sheet.write_string(1_048_575, 16_383, "x").unwrap();
    book.save(dir.path().join("台账.xlsx")).unwrap();
    let loaded = load_config(&project(
        dir.path(),
        "[[sources]]\npath = \"台账.xlsx\"\nencoding = \"gb18030\"\n",
    ));
    let file = loaded.file();
    // The three visits, and the last row of the sheet: no date there.
    assert_eq!((file.rows_read, file.accepted, file.rejected), (4, 3, 1));
    assert_eq!(file.row_of(file.diagnostics[0].line), 1_048_576);
    // A line break where no CSV file may hold one reads as a space; in the comment it stays.
    assert_eq!(
        loaded.opt_name(loaded.records[0].site),
        Some("翠湖花园 一期")
    );
    assert_eq!(
        loaded.records[0].comment.as_deref(),
        Some("漏水;墙面;门窗;电梯")
    );
    assert_eq!(loaded.records[1].comment.as_deref(), Some("第一行\n第二行"));
    assert!(
        file.diagnostics
            .iter()
            .all(|d| !d.message.contains("quote"))
    );
}

/// A damaged `.xls` (a few bytes of a good one changed; the reader panics on it) fails as a
/// file that cannot be read, with exit code 1, not as a crash.
#[test]
fn a_damaged_workbook_fails_as_unreadable_not_as_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        util::fixture("workbooks").join("damaged.xls"),
        dir.path().join("台账.xls"),
    )
    .unwrap();
    project(dir.path(), "[[sources]]\npath = \"台账.xls\"\n");
    let out = huifang(dir.path(), &["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "台账.xls: the file is an Excel 97–2003 workbook (.xls), but it cannot be read (it is \
             damaged); open it in Excel or WPS and save it again"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}
