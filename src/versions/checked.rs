//! Snapshot files as an earlier build checked them. Every version ever written stays in the
//! store, and each build read every one of them twice: hashed for the build's key, and read
//! again to list it and to check it against its checksum. With a new version of the month,
//! quarter and year in progress every night, that grew by tens of MB a night. A file that
//! looks as it did when a build recorded it (size, modification time, inode change time and
//! inode: the change time is set by the system on any write and cannot be set back) is taken
//! as that build found it: its SHA-256, and for a version, what lists it. A file read whole for
//! its numbers is still checked against its checksum when it is read.

use super::store::Listing;
use serde::{Deserialize, Serialize};

/// One snapshot file as a build found it, recorded with the site.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckedFile {
    /// Its path as shown: relative to the project.
    pub file: String,
    /// A digest of its size and times (see [`super::fingerprint::look`]): not the times
    /// themselves, which the published site need not show.
    pub look: String,
    pub sha256: String,
    /// What lists it, if it is a valid version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listing: Option<Listing>,
}

impl CheckedFile {
    /// The marker's line for it, without the line end.
    pub fn to_line(&self) -> String {
        serde_json::to_string(self).expect("plain data")
    }

    /// A marker's line, or `None` if it is not one (a site of another huifang).
    pub fn from_line(line: &str) -> Option<CheckedFile> {
        serde_json::from_str(line).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::versions::store::InputFile;
    use chrono::NaiveDate;

    #[test]
    fn a_line_reads_back_as_written_whatever_the_names_hold() {
        let file = CheckedFile {
            file: "snapshots/2026-Q4/v0002.json".to_owned(),
            look: "ab".repeat(32),
            sha256: "cd".repeat(32),
            listing: Some(Listing {
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
            }),
        };
        let line = file.to_line();
        assert!(!line.contains('\n'), "{line}");
        assert_eq!(CheckedFile::from_line(&line), Some(file.clone()));
        let bare = CheckedFile {
            listing: None,
            ..file
        };
        assert_eq!(CheckedFile::from_line(&bare.to_line()), Some(bare));
        assert_eq!(CheckedFile::from_line("{\"file\": 1}"), None);
    }
}
