//! Text encodings. CSV structure (`,` `"` CR LF) is ASCII and never appears inside a GB18030
//! multi-byte character (trail bytes are 0x30–0x39 or 0x40–0xFE), so the file is split into
//! fields as bytes and each needed field is decoded on its own: no whole-file transcoding.

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

/// Encodings this tool cannot split as bytes; named so the message can say how to re-save.
pub fn unsupported_bom(prefix: &[u8]) -> Option<&'static str> {
    if prefix.starts_with(b"\xff\xfe") || prefix.starts_with(b"\xfe\xff") {
        Some("UTF-16 (Excel's \"Unicode text\")")
    } else {
        None
    }
}

/// Picks the encoding from the first bytes of a file (BOM already removed).
pub fn detect(prefix: &[u8], choice: EncodingChoice, had_bom: bool) -> Encoding {
    match choice {
        EncodingChoice::Utf8 => Encoding::Utf8,
        EncodingChoice::Gb18030 => Encoding::Gb18030,
        EncodingChoice::Auto if had_bom => Encoding::Utf8,
        EncodingChoice::Auto => match std::str::from_utf8(prefix) {
            Ok(_) => Encoding::Utf8,
            // Only a character cut off by the end of the prefix: still UTF-8.
            Err(e) if e.error_len().is_none() => Encoding::Utf8,
            Err(_) => Encoding::Gb18030,
        },
    }
}

/// Decodes fields of one file. In auto mode a file whose sniffed prefix was valid UTF-8 but
/// that later holds bytes that are not UTF-8 switches to GB18030 from that field on: a GB18030
/// file passes the sniff only when its prefix is ASCII, which decodes the same either way.
#[derive(Debug)]
pub struct FieldDecoder {
    pub encoding: Encoding,
    auto: bool,
    /// Set when auto mode switched to GB18030 after the sniff.
    pub switched: bool,
    /// Set when bytes were invalid in the file's encoding (decoded as U+FFFD).
    pub lossy: bool,
    /// Set once non-ASCII text was decoded as UTF-8 (it would read otherwise as GB18030).
    pub non_ascii_as_utf8: bool,
}

impl FieldDecoder {
    pub fn new(encoding: Encoding, choice: EncodingChoice) -> Self {
        FieldDecoder {
            encoding,
            auto: choice == EncodingChoice::Auto,
            switched: false,
            lossy: false,
            non_ascii_as_utf8: false,
        }
    }

    pub fn decode<'a>(&mut self, bytes: &'a [u8]) -> Cow<'a, str> {
        if self.encoding == Encoding::Utf8 {
            match std::str::from_utf8(bytes) {
                Ok(s) => {
                    self.non_ascii_as_utf8 |= !s.is_ascii();
                    return Cow::Borrowed(s);
                }
                Err(_) if self.auto => {
                    self.encoding = Encoding::Gb18030;
                    self.switched = true;
                }
                Err(_) => {
                    self.lossy = true;
                    return String::from_utf8_lossy(bytes);
                }
            }
        }
        if bytes.is_ascii() {
            // ASCII is the same in GB18030; skip the decoder.
            return Cow::Borrowed(std::str::from_utf8(bytes).unwrap_or_default());
        }
        let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
        self.lossy |= had_errors;
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_gb18030_and_utf8() {
        let (gb, _, _) = encoding_rs::GB18030.encode("回访日期,责任部门");
        assert_eq!(detect(&gb, EncodingChoice::Auto, false), Encoding::Gb18030);
        assert_eq!(
            detect("回访日期".as_bytes(), EncodingChoice::Auto, false),
            Encoding::Utf8
        );
        // A prefix that ends inside a character is still UTF-8.
        let cut = &"回访".as_bytes()[..4];
        assert_eq!(detect(cut, EncodingChoice::Auto, false), Encoding::Utf8);
        assert_eq!(detect(&gb, EncodingChoice::Utf8, false), Encoding::Utf8);
    }

    #[test]
    fn auto_switches_to_gb18030_on_first_invalid_field() {
        let mut d = FieldDecoder::new(Encoding::Utf8, EncodingChoice::Auto);
        assert_eq!(d.decode(b"2025-03-05"), "2025-03-05");
        let (gb, _, _) = encoding_rs::GB18030.encode("工程部");
        assert_eq!(d.decode(&gb), "工程部");
        assert_eq!(d.encoding, Encoding::Gb18030);
    }

    #[test]
    fn forced_utf8_decodes_lossily_and_says_so() {
        let mut d = FieldDecoder::new(Encoding::Utf8, EncodingChoice::Utf8);
        let (gb, _, _) = encoding_rs::GB18030.encode("工程部");
        assert!(d.decode(&gb).contains('\u{fffd}'));
        assert!(d.lossy);
    }
}
