//! Excel workbooks (`.xlsx`, `.xlsm`, `.xls`, `.xlsb`, WPS `.et`, and OpenDocument `.ods`),
//! read with `calamine` into the cells of one sheet, as text spelled the way Excel shows it.
//! Visit logs and survey exports are then read from those cells by the same rules as CSV
//! files: sheet row N is line N, and messages name cells as Excel does (`台账.xlsx!2025年:A12`).

use super::sniff::NotCsv;
use calamine::{
    Data, Dimensions, Ods, Reader, SheetType, SheetVisible, Sheets, Xls, Xlsb, Xlsx, XlsxError,
};
use std::borrow::Cow;
use std::io::Cursor;

/// One sheet's cells as text, from A1: `rows[0]` is row 1 and `cells[0]` column A, whatever
/// the first used cell is, so positions in messages are the sheet's own.
#[derive(Debug)]
pub struct Sheet {
    pub name: String,
    /// Every row up to the last one holding a value; an empty row is an empty `Vec`.
    pub rows: Vec<Vec<String>>,
    /// The workbook's kind, for the line a build prints per file (`xlsx`, `xls` …).
    pub kind: &'static str,
}

#[derive(Debug, thiserror::Error)]
pub enum WorkbookError {
    #[error(
        "the file is {what}, but it cannot be read ({why}); open it in Excel or WPS and save it \
         again"
    )]
    Unreadable { what: &'static str, why: String },
    #[error(
        "the workbook has no sheet named `{wanted}`; its sheets are {}; set `sheet` to one of them",
        quoted(.sheets)
    )]
    NoSuchSheet { wanted: String, sheets: Vec<String> },
    #[error(
        "no visible worksheet of the workbook holds a cell{}; its sheets are {}; set `sheet` to \
         the one to read",
        .empty.as_ref().map_or(String::new(), |e| format!(" (`{e}` is empty)")),
        quoted(.sheets)
    )]
    NoWorksheet {
        sheets: Vec<String>,
        empty: Option<String>,
    },
    #[error(
        "the file is an Excel workbook saved with a password, which huifang cannot open; save a \
         copy without the password (文件 → 信息 → 保护工作簿 → 用密码进行加密, clear it)"
    )]
    Encrypted,
}

fn quoted(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The workbooks read, as [`super::sniff`] tells them from their first bytes.
pub fn is_workbook(kind: NotCsv) -> bool {
    matches!(kind, NotCsv::Xlsx | NotCsv::Xls | NotCsv::Ods)
}

/// Reads the sheet named `wanted`, or the first visible worksheet holding cells, of a
/// workbook of the kind its first bytes say (see [`is_workbook`]).
pub fn read_sheet(bytes: &[u8], wanted: Option<&str>) -> Result<Sheet, WorkbookError> {
    let (what, kind) = kind_of(bytes);
    if kind == "xls" && is_encrypted(bytes) {
        return Err(WorkbookError::Encrypted);
    }
    // calamine panics on some damaged files (reading past the end of a record): a damaged
    // file is one that cannot be read, not a crash.
    std::panic::catch_unwind(|| read_unguarded(bytes, wanted, what, kind)).unwrap_or_else(|_| {
        Err(WorkbookError::Unreadable {
            what,
            why: "it is damaged".to_owned(),
        })
    })
}

/// What the workbook is, for messages, and its kind.
fn kind_of(bytes: &[u8]) -> (&'static str, &'static str) {
    match super::sniff::not_csv(bytes) {
        Some(NotCsv::Xls) => ("an Excel 97–2003 workbook (.xls)", "xls"),
        Some(NotCsv::Ods) => ("an OpenDocument spreadsheet (.ods)", "ods"),
        // `.xlsx`, `.xlsm` and `.xlsb` are all zip archives; `.xlsb` keeps binary parts.
        _ if memchr::memmem::find(bytes, b"xl/workbook.bin").is_some() => {
            ("an Excel binary workbook (.xlsb)", "xlsb")
        }
        _ => ("an Excel workbook (.xlsx)", "xlsx"),
    }
}

/// An .xlsx saved with a password is an OLE file holding an `EncryptedPackage` stream (its
/// name in the file's directory is UTF-16).
fn is_encrypted(bytes: &[u8]) -> bool {
    let name: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    memchr::memmem::find(bytes, &name).is_some()
}

fn read_unguarded(
    bytes: &[u8],
    wanted: Option<&str>,
    what: &'static str,
    kind: &'static str,
) -> Result<Sheet, WorkbookError> {
    let cursor = Cursor::new(bytes);
    let unreadable = |e: &dyn std::fmt::Display| WorkbookError::Unreadable {
        what,
        why: e.to_string(),
    };
    let mut book = match kind {
        "xls" => Xls::new(cursor)
            .map(Sheets::Xls)
            .map_err(|e| unreadable(&e))?,
        "ods" => Ods::new(cursor)
            .map(Sheets::Ods)
            .map_err(|e| unreadable(&e))?,
        "xlsb" => Xlsb::new(cursor)
            .map(Sheets::Xlsb)
            .map_err(|e| unreadable(&e))?,
        _ => Xlsx::new(cursor)
            .map(Sheets::Xlsx)
            .map_err(|e| unreadable(&e))?,
    };
    let names = book.sheet_names();
    let candidates: Vec<String> = match wanted {
        Some(wanted) => {
            // Sheet names are matched as Excel matches them: ignoring case.
            let name = names
                .iter()
                .find(|n| n.as_str() == wanted)
                .or_else(|| {
                    names
                        .iter()
                        .find(|n| n.to_lowercase() == wanted.to_lowercase())
                })
                .ok_or_else(|| WorkbookError::NoSuchSheet {
                    wanted: wanted.to_owned(),
                    sheets: names.clone(),
                })?;
            vec![name.clone()]
        }
        None => book
            .sheets_metadata()
            .iter()
            .filter(|s| s.typ == SheetType::WorkSheet && s.visible == SheetVisible::Visible)
            .map(|s| s.name.clone())
            .collect(),
    };
    // The first candidate holding a cell: an empty first sheet (Sheet1 left blank, the data
    // on 2025年) is passed over.
    let mut first_empty = None;
    for name in candidates {
        let rows = sheet_rows(&mut book, bytes, &name, kind).map_err(|e| unreadable(&e))?;
        if rows.is_empty() && wanted.is_none() {
            first_empty.get_or_insert(name);
            continue;
        }
        return Ok(Sheet { name, rows, kind });
    }
    Err(WorkbookError::NoWorksheet {
        sheets: names,
        empty: first_empty,
    })
}

/// A sheet's rows of text, merged cells filled down, without trailing empty rows.
fn sheet_rows(
    book: &mut Sheets<Cursor<&[u8]>>,
    bytes: &[u8],
    name: &str,
    kind: &str,
) -> Result<Vec<Vec<String>>, calamine::Error> {
    // An .xlsx keeps its merged cells after the cells, and calamine finds them with a second
    // pass over the sheet: it runs beside the first, on a reader of its own.
    let (rows, merged) = std::thread::scope(|scope| {
        let merged = (kind == "xlsx").then(|| {
            scope.spawn(move || {
                Xlsx::new(Cursor::new(bytes))
                    .and_then(|mut x| x.merge_cells_by_sheet_name(name))
                    .unwrap_or_default()
            })
        });
        let rows = match &mut *book {
            Sheets::Xlsx(x) => cell_by_cell(x, name).map_err(calamine::Error::Xlsx),
            other => other.worksheet_range(name).map(|range| dense(&range)),
        };
        let merged = match merged {
            Some(handle) => handle.join().unwrap_or_default(),
            None => merged_regions(book, name),
        };
        (rows, merged)
    });
    let mut rows = rows?;
    fill_merged_down(&mut rows, &merged);
    let used = rows
        .iter()
        .rposition(|r| !r.is_empty())
        .map_or(0, |i| i + 1);
    rows.truncate(used);
    Ok(rows)
}

/// An .xlsx sheet read cell by cell, so that what it costs follows the cells it holds, not
/// the area they span: one stray value in XFD1048576 must not make a table of 17 billion
/// cells.
fn cell_by_cell(x: &mut Xlsx<Cursor<&[u8]>>, name: &str) -> Result<Vec<Vec<String>>, XlsxError> {
    let mut reader = x.worksheet_cells_reader(name)?;
    let mut rows: Vec<Vec<String>> = Vec::new();
    while let Some(cell) = reader.next_cell()? {
        let value = text(&Data::from(cell.get_value().clone()));
        if value.is_empty() {
            continue;
        }
        let (r, c) = cell.get_position();
        let (r, c) = (r as usize, c as usize);
        if rows.len() <= r {
            rows.resize_with(r + 1, Vec::new);
        }
        let row = &mut rows[r];
        if row.len() <= c {
            row.resize(c + 1, String::new());
        }
        row[c] = value;
    }
    Ok(rows)
}

/// A sheet the reader holds whole (.xls, .xlsb, .ods), from A1.
fn dense(range: &calamine::Range<Data>) -> Vec<Vec<String>> {
    let mut rows: Vec<Vec<String>> = Vec::new();
    if let Some((top, left)) = range.start() {
        let (top, left) = (top as usize, left as usize);
        rows.resize(top, Vec::new());
        for row in range.rows() {
            let mut cells = vec![String::new(); left];
            cells.extend(row.iter().map(text));
            // Trailing empty cells (formatting without values) are no columns.
            let width = cells
                .iter()
                .rposition(|c| !c.is_empty())
                .map_or(0, |i| i + 1);
            cells.truncate(width);
            rows.push(cells);
        }
    }
    rows
}

/// The merged regions of a sheet in a workbook other than .xlsx: an .xls holds them read;
/// .xlsb and .ods readers keep none. None when they cannot be read, which only costs the
/// filling of [`fill_merged_down`].
fn merged_regions(book: &Sheets<Cursor<&[u8]>>, name: &str) -> Vec<Dimensions> {
    match book {
        Sheets::Xls(x) => x.merge_cells_by_sheet_name(name).unwrap_or_default(),
        Sheets::Xlsx(_) | Sheets::Xlsb(_) | Sheets::Ods(_) => Vec::new(),
    }
}

/// A cell merged down over several rows (a 部门 merged over its visits, a header cell over
/// two header rows) holds its value in its top row only; every row it covers reads it, as
/// the sheet shows it. Cells merged across columns stay in their first column, as Excel's
/// own CSV export has them.
fn fill_merged_down(rows: &mut [Vec<String>], merged: &[Dimensions]) {
    for region in merged {
        let (top, col) = (region.start.0 as usize, region.start.1 as usize);
        let bottom = (region.end.0 as usize).min(rows.len().saturating_sub(1));
        let Some(value) = rows.get(top).and_then(|r| r.get(col)).cloned() else {
            continue;
        };
        if value.is_empty() {
            continue;
        }
        for row in rows.iter_mut().take(bottom + 1).skip(top + 1) {
            if row.len() <= col {
                row.resize(col + 1, String::new());
            }
            if row[col].is_empty() {
                row[col].clone_from(&value);
            }
        }
    }
}

/// A cell as Excel shows it in General format: whole numbers without `.0` (codes and phone
/// numbers stored as numbers keep all their digits), other numbers to Excel's 15 significant
/// digits, dates as `2025-03-04` or `2025-03-04 10:31:05`, times as `10:31:05`, errors as
/// `#N/A`.
fn text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number(*f),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        Data::DateTime(d) if d.is_duration() => duration(d.as_f64()),
        Data::DateTime(d) => {
            let (y, mo, day, h, mi, s, _) = d.to_ymd_hms_milli();
            let time = format!("{h:02}:{mi:02}:{s:02}");
            if d.as_f64() < 1.0 {
                time
            } else if (h, mi, s) == (0, 0, 0) {
                format!("{y:04}-{mo:02}-{day:02}")
            } else {
                format!("{y:04}-{mo:02}-{day:02} {time}")
            }
        }
        Data::DateTimeIso(s) => s.replace('T', " "),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    }
}

fn number(f: f64) -> String {
    // 2^53: beyond it a float no longer holds every whole number.
    if f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 {
        return format!("{}", f as i64);
    }
    // Excel keeps 15 significant digits: 0.1 + 0.2 shows as 0.3, not 0.30000000000000004.
    let rounded: f64 = format!("{f:.14e}").parse().unwrap_or(f);
    format!("{rounded}")
}

fn duration(days: f64) -> String {
    let seconds = (days * 86_400.0).round() as i64;
    let sign = if seconds < 0 { "-" } else { "" };
    let s = seconds.abs();
    format!("{sign}{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

/// `A`, `Z`, `AA` … for a 1-based column number.
pub fn column_letters(mut column: usize) -> String {
    let mut letters = Vec::new();
    while column > 0 {
        let rem = (column - 1) % 26;
        letters.push(b'A' + rem as u8);
        column = (column - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// A sheet as CSV text, and where its rows are in that text.
pub struct SheetCsv {
    /// UTF-8, comma, CRLF; a cell holding a line break is quoted and keeps it (LF), as in a
    /// CSV file saved by Excel.
    pub bytes: Vec<u8>,
    /// The lines (1-based) that continue a row whose cells hold line breaks, in order: line
    /// N of the text is row N of the sheet less the continuation lines before it.
    pub continued: Vec<u64>,
}

/// The sheet as CSV text, one row after the other, so that it reads by the CSV rules. Line
/// breaks are kept in the columns `keep_breaks` marks (up to the CSV rules' limit of lines
/// in a cell, the rest joined by spaces) and read as spaces in the others, where the CSV
/// rules would take them for a stray quote.
pub fn to_csv(sheet: &Sheet, keep_breaks: &[bool]) -> SheetCsv {
    let mut bytes = Vec::new();
    let mut continued = Vec::new();
    let mut line = 1;
    for row in &sheet.rows {
        let mut breaks = 0;
        for (i, cell) in row.iter().enumerate() {
            if i > 0 {
                bytes.push(b',');
            }
            let cell = if cell.contains(['\r', '\n']) {
                let keep = keep_breaks.get(i).copied().unwrap_or(false);
                let (cell, kept) = line_breaks(cell, keep);
                breaks += kept;
                Cow::Owned(cell)
            } else {
                Cow::Borrowed(cell.as_str())
            };
            if cell.contains([',', '"', '\n']) || cell.starts_with(' ') {
                bytes.push(b'"');
                bytes.extend_from_slice(cell.replace('"', "\"\"").as_bytes());
                bytes.push(b'"');
            } else {
                bytes.extend_from_slice(cell.as_bytes());
            }
        }
        bytes.extend_from_slice(b"\r\n");
        continued.extend(line + 1..=line + breaks);
        line += 1 + breaks;
    }
    SheetCsv { bytes, continued }
}

/// A cell's line breaks (LF, CRLF or a lone CR) as LF where kept (at most the CSV rules'
/// lines per cell), else as spaces; and how many were kept.
fn line_breaks(cell: &str, keep: bool) -> (String, u64) {
    let limit = if keep {
        u64::from(super::quotes::MAX_CELL_LINES) - 1
    } else {
        0
    };
    let mut kept = 0;
    let mut out = String::with_capacity(cell.len());
    for (i, piece) in cell.replace("\r\n", "\n").split(['\n', '\r']).enumerate() {
        if i > 0 {
            if kept < limit {
                out.push('\n');
                kept += 1;
            } else {
                out.push(' ');
            }
        }
        out.push_str(piece);
    }
    (out, kept)
}

/// The sheet row a line of [`SheetCsv::bytes`] belongs to.
pub fn row_of(line: u64, continued: &[u64]) -> u64 {
    line - continued.partition_point(|&c| c <= line) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_workbook_saved_with_a_password_is_told_apart() {
        // An OLE file's directory names its streams in UTF-16.
        let mut bytes = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1".to_vec();
        bytes.resize(512, 0);
        let name: Vec<u8> = "EncryptedPackage"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let mut locked = bytes.clone();
        locked.extend(&name);
        assert!(matches!(
            read_sheet(&locked, None),
            Err(WorkbookError::Encrypted)
        ));
        assert!(!matches!(
            read_sheet(&bytes, None),
            Err(WorkbookError::Encrypted)
        ));
    }

    #[test]
    fn column_names() {
        assert_eq!(column_letters(1), "A");
        assert_eq!(column_letters(26), "Z");
        assert_eq!(column_letters(27), "AA");
        assert_eq!(column_letters(52), "AZ");
        assert_eq!(column_letters(703), "AAA");
        assert_eq!(column_letters(16_384), "XFD");
    }

    #[test]
    fn numbers_as_excel_shows_them() {
        assert_eq!(number(13_800_138_000.0), "13800138000");
        assert_eq!(number(3.0), "3");
        assert_eq!(number(0.1 + 0.2), "0.3");
        assert_eq!(number(4.5), "4.5");
        assert_eq!(number(-2.0), "-2");
        assert_eq!(duration(1.5), "36:00:00");
        assert_eq!(duration(90.0 / 86_400.0), "0:01:30");
    }

    #[test]
    fn merged_cells_fill_down_only() {
        let mut rows = vec![
            vec!["部门".to_owned(), "满意度".to_owned()],
            vec!["工程部".to_owned(), "满意".to_owned()],
            vec![String::new(), "一般".to_owned()],
            vec![],
        ];
        let merged = [
            Dimensions::new((1, 0), (3, 0)),
            // Across columns: stays in its first column.
            Dimensions::new((0, 0), (0, 1)),
        ];
        fill_merged_down(&mut rows, &merged);
        assert_eq!(rows[2][0], "工程部");
        assert_eq!(rows[3], vec!["工程部".to_owned()]);
        assert_eq!(rows[0][1], "满意度");
    }

    #[test]
    fn line_breaks_are_kept_where_asked_and_spaces_elsewhere() {
        let sheet = Sheet {
            name: "S".into(),
            rows: vec![vec!["工程部\n二组".into(), "第一行\r\n第二行".into()]],
            kind: "xlsx",
        };
        let csv = to_csv(&sheet, &[false, true]);
        assert_eq!(
            String::from_utf8(csv.bytes).unwrap(),
            "工程部 二组,\"第一行\n第二行\"\r\n"
        );
        assert_eq!(csv.continued, [2]);
        // At most 100 lines in a kept cell: the rest are joined by spaces.
        let long = vec!["x"; 150].join("\n");
        let (cell, kept) = line_breaks(&long, true);
        assert_eq!((kept, cell.matches('\n').count()), (99, 99));
        assert_eq!(cell.matches(' ').count(), 50);
    }

    #[test]
    fn csv_lines_map_back_to_sheet_rows() {
        let sheet = Sheet {
            name: "S".into(),
            rows: vec![
                vec!["a".into(), "b,c".into()],
                vec!["say \"hi\"\r\nthere\nand\rhere".into()],
                vec![],
                vec!["d".into()],
            ],
            kind: "xlsx",
        };
        let csv = to_csv(&sheet, &[true]);
        assert_eq!(
            String::from_utf8(csv.bytes).unwrap(),
            "a,\"b,c\"\r\n\"say \"\"hi\"\"\nthere\nand\nhere\"\r\n\r\nd\r\n"
        );
        // Row 2 holds three line breaks and spans lines 2–5; row 3 (empty) is line 6, row 4
        // line 7.
        assert_eq!(csv.continued, [3, 4, 5]);
        let rows: Vec<u64> = (1..=7).map(|l| row_of(l, &csv.continued)).collect();
        assert_eq!(rows, [1, 2, 2, 2, 2, 3, 4]);
    }
}
