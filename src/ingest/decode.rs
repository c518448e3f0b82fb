//! Text encodings. CSV structure (`,` `"` CR LF) is ASCII and never appears inside a GB18030
//! multi-byte character (trail bytes are 0x30–0x39 or 0x40–0xFE), so a file is split into
//! fields as bytes and each needed field is decoded on its own.
//!
//! Which encoding a file is in: a BOM decides; so does `encoding` in the config. Otherwise
//! the first text that is not ASCII decides, by what most of it is: a UTF-8 file with a few
//! broken bytes stays UTF-8 (each broken sequence becomes U+FFFD in its cell and is reported
//! there), and a file is read as GB18030 only when it is GB18030.

use crate::config::EncodingChoice;
use std::borrow::Cow;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Gb18030,
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Gb18030 => "GB18030",
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
    if invalid > valid {
        Encoding::Gb18030
    } else {
        Encoding::Utf8
    }
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
        Encoding::Gb18030 => {
            let (text, lossy) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
            (text, lossy)
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
}
