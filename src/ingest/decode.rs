//! Text encodings. CSV structure (`,` `"` CR LF) is ASCII and never appears inside a GB18030
//! multi-byte character (trail bytes are 0x30–0x39 or 0x40–0xFE), so a file is split into
//! fields as bytes and each needed field is decoded on its own.
//!
//! Which encoding a file is in: a BOM decides; so does `encoding` in the config. Otherwise
//! the first text that is not ASCII decides, by what most of it is: a UTF-8 file with a few
//! broken bytes stays UTF-8 (each broken sequence becomes U+FFFD in its cell and is reported
//! there), and a file is read as GB18030 only when it is GB18030: most of its two-byte
//! characters are in the GB2312 area, where the characters of everyday Chinese are. Western
//! text that is not UTF-8 (é, ’, Œ as single bytes) makes GB18030 characters too, but rare
//! ones outside that area; such a file is read as Windows-1252.

use crate::config::EncodingChoice;
use std::borrow::Cow;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Gb18030,
    Windows1252,
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Gb18030 => "GB18030",
            Encoding::Windows1252 => "Windows-1252",
        }
    }

    /// The decoder of an encoding other than UTF-8.
    pub fn legacy(self) -> Option<&'static encoding_rs::Encoding> {
        match self {
            Encoding::Utf8 => None,
            Encoding::Gb18030 => Some(encoding_rs::GB18030),
            Encoding::Windows1252 => Some(encoding_rs::WINDOWS_1252),
        }
    }

    /// A warning to print when the file was found to be in this encoding: Western text in
    /// a Chinese tool is rare enough to say so.
    pub fn notice(self) -> Option<&'static str> {
        match self {
            Encoding::Windows1252 => Some(
                "the file is neither UTF-8 nor Chinese (GB18030) text; it is read as \
                 Windows-1252 (Western European). If its text reads wrong, set `encoding`",
            ),
            _ => None,
        }
    }
}

pub const UTF8_BOM: &[u8] = b"\xef\xbb\xbf";

/// The encoding of a file's first bytes (BOM already removed), and whether it is settled for
/// the whole file: a BOM or the config settles it, and so does text that is not ASCII. A
/// file that starts with ASCII only is read as UTF-8 until its first other text decides.
pub fn detect(prefix: &[u8], choice: EncodingChoice, had_bom: bool) -> (Encoding, bool) {
    match choice {
        EncodingChoice::Utf8 => (Encoding::Utf8, true),
        EncodingChoice::Gb18030 => (Encoding::Gb18030, true),
        EncodingChoice::Windows1252 => (Encoding::Windows1252, true),
        EncodingChoice::Auto if had_bom => (Encoding::Utf8, true),
        EncodingChoice::Auto if prefix.is_ascii() => (Encoding::Utf8, false),
        EncodingChoice::Auto => (classify(prefix), true),
    }
}

/// UTF-8 unless the bytes that are not ASCII are mostly not UTF-8: GB18030 text is almost
/// never valid UTF-8 for more than a character by chance, and a UTF-8 file with a few broken
/// bytes is mostly valid. A character cut off by the end of `bytes` counts for nothing.
pub fn classify(bytes: &[u8]) -> Encoding {
    if simdutf8::basic::from_utf8(bytes).is_ok() {
        return Encoding::Utf8;
    }
    let (mut valid, mut invalid) = (0usize, 0usize);
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(text) => {
                valid += text.bytes().filter(|&b| b >= 0xC0).count();
                break;
            }
            Err(e) => {
                let (good, bad) = rest.split_at(e.valid_up_to());
                valid += good.iter().filter(|&&b| b >= 0xC0).count();
                let Some(len) = e.error_len() else { break };
                invalid += 1;
                rest = &bad[len..];
            }
        }
    }
    if invalid <= valid {
        Encoding::Utf8
    } else if reads_as_chinese(bytes) {
        Encoding::Gb18030
    } else {
        Encoding::Windows1252
    }
}

/// Whether at least half the two-byte GB18030 characters of `bytes` lie in the GB2312 area
/// (both bytes 0xA1 or above), as in any Chinese text. `é` or `’` followed by a letter makes
/// a character outside it (lead byte below 0xA1, or an ASCII trail byte).
fn reads_as_chinese(bytes: &[u8]) -> bool {
    let (mut common, mut all) = (0usize, 0usize);
    let mut i = 0;
    while i < bytes.len() {
        let lead = bytes[i];
        if lead < 0x81 || lead == 0xFF {
            i += 1;
            continue;
        }
        let Some(&trail) = bytes.get(i + 1) else {
            break;
        };
        if trail.is_ascii_digit() {
            // A four-byte character: rare in text.
            all += 1;
            i += 4;
            continue;
        }
        all += 1;
        common += usize::from((0xA1..=0xF7).contains(&lead) && trail >= 0xA1 && trail != 0xFF);
        i += 2;
    }
    2 * common >= all
}

/// Bytes of text looked at to decide an encoding.
pub const SNIFF_BYTES: usize = 64 * 1024;

/// `bytes` from its first byte that is not ASCII, if any.
pub fn first_text(bytes: &[u8]) -> Option<&[u8]> {
    bytes
        .iter()
        .position(|&b| !b.is_ascii())
        .map(|at| &bytes[at..])
}

/// A cell's text, and whether bytes invalid in the encoding were replaced by U+FFFD.
pub fn decode(encoding: Encoding, bytes: &[u8]) -> (Cow<'_, str>, bool) {
    if bytes.is_ascii() {
        // ASCII reads the same in both; skip the decoders.
        return (
            Cow::Borrowed(std::str::from_utf8(bytes).unwrap_or_default()),
            false,
        );
    }
    match encoding {
        Encoding::Utf8 => match std::str::from_utf8(bytes) {
            Ok(text) => (Cow::Borrowed(text), false),
            Err(_) => (String::from_utf8_lossy(bytes), true),
        },
        Encoding::Gb18030 | Encoding::Windows1252 => {
            let decoder = encoding.legacy().unwrap_or(encoding_rs::GB18030);
            decoder.decode_without_bom_handling(bytes)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_gb18030_and_utf8() {
        let (gb, _, _) = encoding_rs::GB18030.encode("回访日期,责任部门");
        let auto = EncodingChoice::Auto;
        assert_eq!(detect(&gb, auto, false), (Encoding::Gb18030, true));
        assert_eq!(
            detect("回访日期".as_bytes(), auto, false),
            (Encoding::Utf8, true)
        );
        assert_eq!(detect(b"date,dept", auto, false), (Encoding::Utf8, false));
        // A prefix that ends inside a character is still UTF-8.
        let cut = &"回访".as_bytes()[..4];
        assert_eq!(detect(cut, auto, false), (Encoding::Utf8, true));
        assert_eq!(
            detect(&gb, EncodingChoice::Utf8, false),
            (Encoding::Utf8, true)
        );
        // A BOM decides, whatever follows.
        assert_eq!(detect(&gb, auto, true), (Encoding::Utf8, true));
    }

    #[test]
    fn a_few_broken_bytes_leave_utf8_as_it_is() {
        let text = "2026-03-05,客\u{fffd}服部,满意\n".replace('\u{fffd}', "\u{1}");
        let mut bytes = text.into_bytes();
        let at = bytes.iter().position(|&b| b == 1).unwrap();
        bytes[at] = 0xFF;
        assert_eq!(classify(&bytes), Encoding::Utf8);
        let (cell, lossy) = decode(Encoding::Utf8, &bytes[11..21]);
        assert_eq!((cell.as_ref(), lossy), ("客\u{fffd}服部", true));
        // GB18030 text with a stray UTF-8 character is GB18030.
        let mut gb = encoding_rs::GB18030
            .encode("工程部,客服中心,秩序维护部")
            .0
            .to_vec();
        gb.extend_from_slice("满".as_bytes());
        assert_eq!(classify(&gb), Encoding::Gb18030);
    }

    #[test]
    fn western_text_that_is_not_utf8_is_windows_1252() {
        // `Computer Science’s` as Windows-1252 writes it (’ is 0x92), and `Œæ` (0x8C 0xE6):
        // both also decode as GB18030, to rare characters.
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode("Computer Science’s, Œæ, café");
        assert_eq!(classify(&bytes), Encoding::Windows1252);
        let (text, lossy) = decode(Encoding::Windows1252, &bytes);
        assert_eq!(
            (text.as_ref(), lossy),
            ("Computer Science’s, Œæ, café", false)
        );
        // Chinese text with a rare character or two outside GB2312 stays GB18030.
        let (gb, _, _) = encoding_rs::GB18030.encode("喆,工程部,客服部,满意");
        assert_eq!(classify(&gb), Encoding::Gb18030);
        assert_eq!(
            detect(&bytes, EncodingChoice::Windows1252, false),
            (Encoding::Windows1252, true)
        );
    }
}
