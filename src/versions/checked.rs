//! Snapshot files as an earlier build checked them. Every version ever written stays in the
//! store, and each build read every one of them twice: hashed for the build's key, and read
//! again to list it and to check it against its checksum. With a new version of the month,
//! quarter and year in progress every night, that grew by tens of MB a night. A version whose
//! file looks as it did when a build recorded it (size, modification time, inode change time
//! and inode: the change time is set by the system on any write and cannot be set back) is
//! taken as that build found it: its SHA-256 and what lists it. A version read whole for its
//! numbers is still checked against its checksum when it is read, and `huifang check` reads
//! every one.
//!
//! The record is the project's own, [`FILE`] beside the project lock, not part of the
//! published site: it names files and their inputs' digests, and whoever can write it can
//! vouch for a file, so it stays where the snapshots themselves are.

use super::store::{Changes, Listing};
use serde::{Deserialize, Serialize};
use std::io::Write as _;
use std::path::Path;

/// The record, in the project's folder: `.huifang-` files are what `huifang init`'s
/// `.gitignore` leaves out.
pub const FILE: &str = ".huifang-checked";

/// One version's file as a build found it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckedFile {
    /// Its path as shown: relative to the project.
    pub file: String,
    /// A digest of its size and times (see [`super::fingerprint::look`]).
    pub look: String,
    pub sha256: String,
    /// What lists it.
    pub listing: Listing,
}

/// What the record holds: the files checked, and what changed from version to version.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Record {
    /// The pages' base of the build that wrote it (see [`super::fingerprint::project`]).
    pub basis: Option<String>,
    pub files: Vec<CheckedFile>,
    pub changes: Vec<Changes>,
}

/// One line of the record after the first.
#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum Line {
    File(CheckedFile),
    Changes(Changes),
}

/// The record an earlier build left: empty when there is none or it cannot be read, as a
/// record of another huifang's may not be; a line that cannot be read is passed over.
pub fn load(root: &Path) -> Record {
    let Ok(text) = std::fs::read_to_string(root.join(FILE)) else {
        return Record::default();
    };
    let mut lines = text.lines();
    let mut record = Record {
        basis: (lines.next())
            .and_then(|l| l.strip_prefix("basis: "))
            .map(str::to_owned),
        ..Record::default()
    };
    for line in lines.filter_map(|l| serde_json::from_str(l).ok()) {
        match line {
            Line::File(file) => record.files.push(file),
            Line::Changes(changes) => record.changes.push(changes),
        }
    }
    record
}

/// Replaces the record, whole or not at all (the build holds the project lock).
pub fn save(
    root: &Path,
    basis: &str,
    files: Vec<CheckedFile>,
    changes: Vec<Changes>,
) -> std::io::Result<()> {
    let mut text = format!("basis: {basis}\n");
    let lines = (files.into_iter().map(Line::File)).chain(changes.into_iter().map(Line::Changes));
    for line in lines {
        text.push_str(&serde_json::to_string(&line).map_err(std::io::Error::other)?);
        text.push('\n');
    }
    // Named as huifang's files are, so that one a killed build leaves is ignored by git too.
    let mut temp = tempfile::Builder::new()
        .prefix(".huifang-checked-")
        .tempfile_in(root)?;
    temp.write_all(text.as_bytes())?;
    temp.persist(root.join(FILE)).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::versions::store::InputFile;
    use chrono::NaiveDate;

    #[test]
    fn the_record_reads_back_as_written_whatever_the_names_hold() {
        let tmp = tempfile::tempdir().unwrap();
        assert_eq!(load(tmp.path()), Record::default());
        let file = CheckedFile {
            file: "snapshots/2026-Q4/v0002.json".to_owned(),
            look: "ab".repeat(32),
            sha256: "cd".repeat(32),
            listing: Listing {
                version: 2,
                as_of: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
                built_at: "2026-12-01T20:00:00Z".to_owned(),
                inputs: vec![InputFile {
                    name: "visits/回访 2026\n\"x\".csv".to_owned(),
                    size: 12,
                    sha256: "ef".repeat(32),
                }],
                previous: Some("01".repeat(32)),
                checksum: "23".repeat(32),
            },
        };
        let other = CheckedFile {
            file: "snapshots/2026-Q4/v0001.json".to_owned(),
            ..file.clone()
        };
        let changes = Changes {
            into: "23".repeat(32),
            before: "01".repeat(32),
            words: "工程部 满意率 80.0% → 90.0%\n\"引号\"".to_owned(),
        };
        let files = vec![file.clone(), other.clone()];
        save(tmp.path(), "basis1", files.clone(), vec![changes.clone()]).unwrap();
        let text = std::fs::read_to_string(tmp.path().join(FILE)).unwrap();
        assert_eq!(text.lines().count(), 4, "{text}");
        let record = Record {
            basis: Some("basis1".to_owned()),
            files,
            changes: vec![changes.clone()],
        };
        assert_eq!(load(tmp.path()), record);
        // A line another huifang wrote is passed over; the rest stand.
        std::fs::write(
            tmp.path().join(FILE),
            format!(
                "basis: b\n{{\"file\": 1}}\n{}\n{{\"into\": 2}}\n{}\n",
                serde_json::to_string(&file).unwrap(),
                serde_json::to_string(&changes).unwrap()
            ),
        )
        .unwrap();
        let record = Record {
            basis: Some("b".to_owned()),
            files: vec![file],
            changes: vec![changes],
        };
        assert_eq!(load(tmp.path()), record);
    }
}
