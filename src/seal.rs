//! The seal of a file: a SHA-256 checksum written into the very file it covers, used by
//! snapshots (`versions::store`) and archives (`archive`).
//!
//! A file is sealed by writing it with [`UNSET`] (64 zeros) wherever its checksum goes, hashing
//! those bytes, and writing the hex digest over each [`UNSET`] it put there. To check a file,
//! replace **every** occurrence of the recorded digest with 64 zeros: the SHA-256 of the result
//! is the digest. With standard tools, for a digest `V`:
//!
//! ```sh
//! sed "s/$V/$(printf '0%.0s' $(seq 64))/g" FILE | sha256sum    # prints V
//! ```
//!
//! Every occurrence, not the first: an archive carries its digest twice (a `<meta>` tag and the
//! visible banner), a snapshot once, and the rule gives the same answer for one. The digest
//! cannot occur anywhere else in the file, since that would take a file holding its own SHA-256.
//! Zeros the file holds of its own (a 64-zero cell) are left alone by both writing and checking.

use sha2::{Digest, Sha256};
use std::fmt::Write as _;

/// What a checksum is written as in the text: `sha256:` and the hex digest.
pub const PREFIX: &str = "sha256:";

/// The digest's place holder while the file is hashed.
pub const UNSET: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Another text of the digest's length, to find where a renderer puts the digest (see [`slots`]).
pub const PROBE: &str = "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff";

/// The lowercase hex SHA-256 of `bytes`.
pub fn digest(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// `bytes` as lowercase hex, as [`digest`] writes a digest.
pub fn hex(bytes: &[u8]) -> String {
    let mut hex = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

/// Seals `document`, which holds [`UNSET`] at each byte offset in `slots`: returns the digest of
/// the document as it is, and writes it over every slot.
pub fn seal(document: &mut [u8], slots: &[usize]) -> String {
    let hex = digest(document);
    for &at in slots {
        if let Some(slot) = document.get_mut(at..at + UNSET.len()) {
            slot.copy_from_slice(hex.as_bytes());
        }
    }
    hex
}

/// Where the same document, rendered once with [`UNSET`] and once with [`PROBE`] as its digest,
/// holds the digest: the offsets at which the two differ. `None` if they differ anywhere else
/// (or in length), so the rendering does not depend on the digest alone.
pub fn slots(with_unset: &[u8], with_probe: &[u8]) -> Option<Vec<usize>> {
    if with_unset.len() != with_probe.len() {
        return None;
    }
    let mut found = Vec::new();
    let mut at = 0;
    while at < with_unset.len() {
        if with_unset[at] == with_probe[at] {
            at += 1;
            continue;
        }
        let end = at + UNSET.len();
        if with_unset.get(at..end) != Some(UNSET.as_bytes())
            || with_probe.get(at..end) != Some(PROBE.as_bytes())
        {
            return None;
        }
        found.push(at);
        at = end;
    }
    Some(found)
}

/// Whether `text` is 64 lowercase hex digits, as [`digest`] writes them.
pub fn is_digest(text: &str) -> bool {
    text.len() == UNSET.len() && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The digest a document recording `recorded` was sealed with, as far as its bytes tell: the
/// SHA-256 of the document with every occurrence of `recorded` made [`UNSET`]. Equal to
/// `recorded` exactly when the document is as it was sealed.
pub fn digest_unsealed(document: &str, recorded: &str) -> String {
    if recorded.is_empty() {
        return digest(document.as_bytes());
    }
    digest(document.replace(recorded, UNSET).as_bytes())
}

/// Whether `document` is sealed with `recorded` (64 lowercase hex digits).
pub fn holds(document: &str, recorded: &str) -> bool {
    is_digest(recorded) && digest_unsealed(document, recorded) == recorded
}

/// The SHA-256 of `value` as compact JSON, hashed as it is written: no copy of the text is
/// made, however large the value.
pub fn json_sha256<T: serde::Serialize + ?Sized>(value: &T) -> [u8; 32] {
    struct HashWriter(Sha256);
    impl std::io::Write for HashWriter {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.update(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut hasher = HashWriter(Sha256::new());
    serde_json::to_writer(&mut hasher, value).expect("values serialise");
    hasher.0.finalize().into()
}

/// Seals a document as it is written to `out`, never holding it whole: everything but its last
/// [`TailWriter::HELD`] bytes goes on to `out` and into the digest as it comes, and the one
/// [`UNSET`] after `prefix` in those last bytes, its last, is the slot. For documents whose
/// checksum is the last thing written (a snapshot's last field), of any size.
pub struct TailWriter<W: std::io::Write> {
    out: W,
    /// The document's bytes passed on so far.
    hashed: Sha256,
    held: Vec<u8>,
}

/// What [`TailWriter::finish`] gives: the digest written into the slot, and the SHA-256 of
/// the document as written (with the digest in it).
pub struct TailSealed<W> {
    pub digest: String,
    pub written_sha256: String,
    pub out: W,
}

impl<W: std::io::Write> TailWriter<W> {
    /// Bytes held back: the slot is this near the end.
    const HELD: usize = 4096;

    pub fn new(out: W) -> TailWriter<W> {
        TailWriter {
            out,
            hashed: Sha256::new(),
            held: Vec::with_capacity(3 * Self::HELD),
        }
    }

    /// Seals the held bytes at the last `prefix` followed by [`UNSET`] and writes them. An
    /// error if the held bytes have no such slot.
    pub fn finish(mut self, prefix: &str) -> std::io::Result<TailSealed<W>> {
        let placeholder = format!("{prefix}{UNSET}");
        let Some(at) = memchr::memmem::rfind(&self.held, placeholder.as_bytes()) else {
            return Err(std::io::Error::other(
                "no checksum placeholder near the end of the document",
            ));
        };
        let digest = hex(&self.hashed.clone().chain_update(&self.held).finalize());
        let slot = at + prefix.len();
        self.held[slot..slot + UNSET.len()].copy_from_slice(digest.as_bytes());
        let written = self.hashed.chain_update(&self.held).finalize();
        self.out.write_all(&self.held)?;
        self.out.flush()?;
        Ok(TailSealed {
            digest,
            written_sha256: hex(&written),
            out: self.out,
        })
    }
}

impl<W: std::io::Write> std::io::Write for TailWriter<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.held.extend_from_slice(bytes);
        if self.held.len() > 2 * Self::HELD {
            let passed = self.held.len() - Self::HELD;
            self.hashed.update(&self.held[..passed]);
            self.out.write_all(&self.held[..passed])?;
            self.held.drain(..passed);
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        // The held bytes wait for the digest: only what was passed on can be flushed.
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sealed(template: &str) -> String {
        let mut bytes = template.replace("{}", UNSET).into_bytes();
        let probe = template.replace("{}", PROBE).into_bytes();
        let slots = slots(&bytes, &probe).unwrap();
        assert_eq!(slots.len(), template.matches("{}").count());
        seal(&mut bytes, &slots);
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn a_tail_writer_seals_the_last_slot_and_refuses_a_document_without_one() {
        use std::io::Write as _;
        // A slot far from the end of a long document is not the checksum's.
        let mut document = format!("early sha256:{UNSET}\n");
        document.push_str(&"x".repeat(20_000));
        let mut writer = TailWriter::new(Vec::new());
        writer.write_all(document.as_bytes()).unwrap();
        assert!(writer.finish("sha256:").is_err());
        // With one at the end: the digest of the document with zeros there, written there.
        document.push_str(&format!("\nchecksum sha256:{UNSET}\n"));
        let mut writer = TailWriter::new(Vec::new());
        for piece in document.as_bytes().chunks(7) {
            writer.write_all(piece).unwrap();
        }
        let sealed = writer.finish("sha256:").unwrap();
        assert_eq!(sealed.digest, digest(document.as_bytes()));
        let written = String::from_utf8(sealed.out).unwrap();
        let wanted = document.replacen(
            &format!("checksum sha256:{UNSET}"),
            &format!("checksum sha256:{}", sealed.digest),
            1,
        );
        assert_eq!(written, wanted);
        assert!(written.starts_with(&format!("early sha256:{UNSET}")));
        assert_eq!(sealed.written_sha256, digest(written.as_bytes()));
    }

    /// The case where the two copies this module replaces disagreed: a digest written twice.
    /// Replacing every occurrence verifies it; replacing the first, as snapshots once did, does
    /// not.
    #[test]
    fn a_digest_written_twice_verifies() {
        let document = sealed("<meta content=\"sha256:{}\">\n<p>banner {}</p>\n");
        let hex = &document[22..86];
        assert!(is_digest(hex));
        assert_eq!(document.matches(hex).count(), 2);
        assert!(holds(&document, hex));
        let first_only = document.replacen(hex, UNSET, 1);
        assert_ne!(digest(first_only.as_bytes()), hex);
    }

    #[test]
    fn a_digest_written_once_verifies_as_before() {
        let document = sealed("{\n  \"checksum\": \"sha256:{}\"\n}\n");
        let hex = &document[document.find(PREFIX).unwrap() + PREFIX.len()..][..64];
        assert!(holds(&document, hex));
        assert_eq!(
            digest(document.replacen(hex, UNSET, 1).as_bytes()),
            hex,
            "the first occurrence is every occurrence"
        );
    }

    #[test]
    fn zeros_of_the_document_stay_and_do_not_break_the_seal() {
        let template = format!("<td>{UNSET}</td><code>{{}}</code>");
        let document = sealed(&template);
        assert!(document.starts_with(&format!("<td>{UNSET}</td>")));
        let hex = &document[document.len() - 64 - "</code>".len()..][..64];
        assert!(holds(&document, hex));
    }

    #[test]
    fn a_change_or_a_forged_digest_fails() {
        let document = sealed("a {} b {}");
        let hex = document[2..66].to_owned();
        assert!(!holds(&document.replace(" b ", " c "), &hex));
        let forged = format!(
            "{}{}",
            if hex.starts_with('a') { "b" } else { "a" },
            &hex[1..]
        );
        assert!(!holds(&document.replace(&hex, &forged), &forged));
        assert!(!holds(
            &document.replace(&hex, &hex.to_uppercase()),
            &hex.to_uppercase()
        ));
        assert!(!holds(&document, ""));
    }

    #[test]
    fn renderings_that_differ_elsewhere_have_no_slots() {
        assert_eq!(slots(b"ab", b"abc"), None);
        assert_eq!(slots(b"time 1", b"time 2"), None);
        let unset = format!("x{UNSET}y{UNSET}");
        let probe = format!("x{PROBE}y{PROBE}");
        assert_eq!(slots(unset.as_bytes(), probe.as_bytes()), Some(vec![1, 66]));
        let adjacent = (format!("{UNSET}{UNSET}"), format!("{PROBE}{PROBE}"));
        assert_eq!(
            slots(adjacent.0.as_bytes(), adjacent.1.as_bytes()),
            Some(vec![0, 64])
        );
        assert_eq!(slots(b"same", b"same"), Some(vec![]));
    }
}
