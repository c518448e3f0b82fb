//! What a file is when it is not CSV text: a workbook, a PDF, an image, an archive, text in
//! UTF-16 or UTF-32, or other binary. Told from its first bytes, so a source pointed at the
//! wrong file gets a message that names it and says how to save it as CSV, instead of its
//! bytes printed as headers.

/// A file this tool does not read, named for a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotCsv {
    Xlsx,
    Xls,
    Ods,
    SpreadsheetXml,
    Html,
    Docx,
    Zip,
    Pdf,
    Image(&'static str),
    Archive(&'static str),
    Utf16 { little_endian: bool, bom: bool },
    Utf32 { little_endian: bool },
    Binary,
}

impl NotCsv {
    /// What the file is and how to make a CSV of it.
    pub fn describe(self) -> String {
        let save = SAVE_AS_CSV;
        match self {
            NotCsv::Xlsx => format!("an Excel workbook (.xlsx), not CSV text; {save}"),
            NotCsv::Xls => format!("an Excel 97–2003 workbook (.xls), not CSV text; {save}"),
            NotCsv::Ods => format!("an OpenDocument spreadsheet (.ods), not CSV text; {save}"),
            NotCsv::SpreadsheetXml => {
                format!("an Excel XML spreadsheet (XML 电子表格 2003), not CSV text; {save}")
            }
            NotCsv::Html => format!(
                "an HTML page (some systems save these with an .xls name), not CSV text; open it \
                 in Excel or WPS, then {save}"
            ),
            NotCsv::Docx => "a Word document (.docx), not CSV text; export the table as CSV".into(),
            NotCsv::Zip => "a zip archive, not CSV text; unpack it and point the source at the \
                            CSV files inside"
                .into(),
            NotCsv::Pdf => "a PDF document, not CSV text; use the system's CSV or Excel export \
                            instead"
                .into(),
            NotCsv::Image(kind) => format!("a {kind} image, not CSV text"),
            NotCsv::Archive(kind) => format!(
                "a {kind} archive, not CSV text; unpack it and point the source at the CSV \
                 files inside"
            ),
            NotCsv::Utf16 { little_endian, bom } => format!(
                "text in UTF-16{} {} (Excel's \"Unicode 文本\"), which this tool does not read; \
                 {save}",
                if little_endian { "LE" } else { "BE" },
                if bom { "with a BOM" } else { "without a BOM" }
            ),
            NotCsv::Utf32 { little_endian } => format!(
                "text in UTF-32{}, which this tool does not read; {save}",
                if little_endian { "LE" } else { "BE" }
            ),
            NotCsv::Binary => "binary data (it holds NUL bytes, which CSV text never does), not \
                               CSV text; check that the source names the export file"
                .into(),
        }
    }
}

const SAVE_AS_CSV: &str = "save it as CSV (文件 → 另存为 → \"CSV UTF-8 (逗号分隔)\") and point \
                           the source at the .csv file";

/// Bytes looked at for NUL patterns.
const LOOK: usize = 4096;

/// What the file starting with `prefix` is, when it is surely not CSV text.
pub fn not_csv(prefix: &[u8]) -> Option<NotCsv> {
    let starts = |magic: &[u8]| prefix.starts_with(magic);
    if starts(b"PK\x03\x04") || starts(b"PK\x05\x06") {
        let has = |name: &[u8]| memchr::memmem::find(prefix, name).is_some();
        return Some(
            if has(b"xl/") || has(b"[Content_Types].xml") && !has(b"word/") {
                NotCsv::Xlsx
            } else if has(b"application/vnd.oasis.opendocument.spreadsheet") {
                NotCsv::Ods
            } else if has(b"word/") {
                NotCsv::Docx
            } else {
                NotCsv::Zip
            },
        );
    }
    let magic: [(&[u8], NotCsv); 13] = [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", NotCsv::Xls),
        (b"%PDF-", NotCsv::Pdf),
        (b"\x89PNG", NotCsv::Image("PNG")),
        (b"\xff\xd8\xff", NotCsv::Image("JPEG")),
        (b"GIF8", NotCsv::Image("GIF")),
        (b"\x1f\x8b", NotCsv::Archive("gzip")),
        (b"7z\xbc\xaf\x27\x1c", NotCsv::Archive("7-Zip")),
        (b"Rar!", NotCsv::Archive("RAR")),
        // UTF-32 before UTF-16: its little-endian BOM starts with UTF-16's.
        (
            b"\xff\xfe\x00\x00",
            NotCsv::Utf32 {
                little_endian: true,
            },
        ),
        (
            b"\x00\x00\xfe\xff",
            NotCsv::Utf32 {
                little_endian: false,
            },
        ),
        (
            b"\xff\xfe",
            NotCsv::Utf16 {
                little_endian: true,
                bom: true,
            },
        ),
        (
            b"\xfe\xff",
            NotCsv::Utf16 {
                little_endian: false,
                bom: true,
            },
        ),
        (b"\x7fELF", NotCsv::Binary),
    ];
    if let Some((_, kind)) = magic.iter().find(|(m, _)| starts(m)) {
        return Some(*kind);
    }
    if let Some(kind) = markup(prefix) {
        return Some(kind);
    }
    nul_pattern(&prefix[..prefix.len().min(LOOK)])
}

/// Excel's HTML and XML "workbooks", which some systems export under an .xls name.
fn markup(prefix: &[u8]) -> Option<NotCsv> {
    let text = prefix.strip_prefix(b"\xef\xbb\xbf").unwrap_or(prefix);
    let start: Vec<u8> = text
        .iter()
        .skip_while(|b| b.is_ascii_whitespace())
        .take(512)
        .map(u8::to_ascii_lowercase)
        .collect();
    let has = |s: &[u8]| memchr::memmem::find(&start, s).is_some();
    if start.starts_with(b"<?xml") && (has(b"<workbook") || has(b"office:spreadsheet")) {
        Some(NotCsv::SpreadsheetXml)
    } else if start.starts_with(b"<!doctype html")
        || start.starts_with(b"<html")
        || start.starts_with(b"<table")
    {
        Some(NotCsv::Html)
    } else {
        None
    }
}

/// Text never holds NUL bytes; UTF-16 and UTF-32 hold them where ASCII characters are, at
/// one position of each 2 or 4 bytes.
fn nul_pattern(bytes: &[u8]) -> Option<NotCsv> {
    let nuls = memchr::memchr_iter(0, bytes).count();
    if nuls == 0 {
        return None;
    }
    let mut by_position = [0usize; 4];
    for i in memchr::memchr_iter(0, bytes) {
        by_position[i % 4] += 1;
    }
    let [p0, p1, p2, p3] = by_position;
    let (even, odd) = (p0 + p2, p1 + p3);
    // Every ASCII character of UTF-32 has three NULs; UTF-16, one, always on the same side.
    let utf32 = |a: usize, b: usize, c: usize, d: usize| a == 0 && b > 0 && b == c && c == d;
    Some(if utf32(p0, p1, p2, p3) {
        NotCsv::Utf32 {
            little_endian: true,
        }
    } else if utf32(p3, p0, p1, p2) {
        NotCsv::Utf32 {
            little_endian: false,
        }
    } else if even * 20 <= odd {
        NotCsv::Utf16 {
            little_endian: true,
            bom: false,
        }
    } else if odd * 20 <= even {
        NotCsv::Utf16 {
            little_endian: false,
            bom: false,
        }
    } else {
        NotCsv::Binary
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(text: &str, little_endian: bool) -> Vec<u8> {
        text.encode_utf16()
            .flat_map(|u| {
                if little_endian {
                    u.to_le_bytes()
                } else {
                    u.to_be_bytes()
                }
            })
            .collect()
    }

    #[test]
    fn names_what_a_file_is() {
        let header = "回访日期\t责任部门\r\n2026-03-05\t工程部\r\n";
        assert_eq!(
            not_csv(&utf16(header, true)),
            Some(NotCsv::Utf16 {
                little_endian: true,
                bom: false
            })
        );
        assert_eq!(
            not_csv(&utf16(header, false)),
            Some(NotCsv::Utf16 {
                little_endian: false,
                bom: false
            })
        );
        let mut bom = vec![0xFF, 0xFE];
        bom.extend(utf16(header, true));
        assert_eq!(
            not_csv(&bom),
            Some(NotCsv::Utf16 {
                little_endian: true,
                bom: true
            })
        );
        let utf32: Vec<u8> = "date,dept\n"
            .chars()
            .flat_map(|c| (c as u32).to_le_bytes())
            .collect();
        assert_eq!(
            not_csv(&utf32),
            Some(NotCsv::Utf32 {
                little_endian: true
            })
        );
        let mut bom32 = vec![0xFF, 0xFE, 0, 0];
        bom32.extend(&utf32);
        assert_eq!(
            not_csv(&bom32),
            Some(NotCsv::Utf32 {
                little_endian: true
            })
        );
        assert_eq!(
            not_csv(b"PK\x03\x04\x14\x00\x06\x00[Content_Types].xml...xl/workbook.xml"),
            Some(NotCsv::Xlsx)
        );
        assert_eq!(
            not_csv(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00"),
            Some(NotCsv::Xls)
        );
        assert_eq!(not_csv(b"%PDF-1.7\n"), Some(NotCsv::Pdf));
        assert_eq!(not_csv(b"\x89PNG\r\n\x1a\n"), Some(NotCsv::Image("PNG")));
        assert_eq!(not_csv(b"  <html><body><table>"), Some(NotCsv::Html));
        assert_eq!(not_csv(b"a,b\x00,\x00c\x00\x00d"), Some(NotCsv::Binary));
        assert_eq!(not_csv("回访日期,责任部门\n".as_bytes()), None);
        assert_eq!(not_csv(b""), None);
    }
}
