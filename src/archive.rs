//! Archive copies of report versions: one self-contained HTML file per version that stays
//! readable for years without the rest of the site, and a deterministic `.tar.gz` to hold many.
//!
//! An archive is the version's report page rendered by the theme's own templates in archive
//! mode (`archive` is set in the context; see `base.html`): the stylesheet inline, no
//! navigation and no link to anything outside the file, the commentary of the latest version,
//! a banner in the site's language (from the theme's string tables) naming the report, the
//! version (latest or earlier), the as-of date and the checksum, and `<meta>` tags
//! `huifang-report`, `huifang-version`, `huifang-as-of`, `huifang-checksum` and `generator`.
//!
//! The numbers come from the snapshot store, not from a built site: the version's own snapshot,
//! and for the trend chart and `metric(period=…)` in the commentary every other report as its
//! latest version on or before the archived version's as-of date, so the page shows what the
//! site showed when that version was current. The commentary, templates and strings come from
//! the project as it is now.
//!
//! An archive holds no numbers per 回访人. Asked (`archive --staff`), [`Archiver::staff_page`]
//! renders a report's internal staff page the same way, beside it: its numbers come from the
//! data as it is now, which the caller reads, since no snapshot holds them.
//!
//! The checksum is a [`seal`](crate::seal): take the value `V` from
//! `<meta name="huifang-checksum" content="sha256:V">`, replace every occurrence of `V` in the
//! file with 64 zeros, and the SHA-256 of the resulting bytes is `V`. With standard tools:
//!
//! ```sh
//! V=$(grep -o -m1 'sha256:[0-9a-f]\{64\}' page.html | head -n1 | cut -d: -f2)
//! sed "s/$V/$(printf '0%.0s' $(seq 64))/g" page.html | sha256sum    # prints V
//! ```

use crate::config::Project;
use crate::ingest::IngestReport;
use crate::metrics::PeriodReport;
use crate::metrics::staff::StaffSet;
use crate::seal;
use crate::site::content::{Content, ContentError, Links};
use crate::site::i18n::Strings;
use crate::site::outline::Outline;
use crate::site::pages::{Page, SiteData, VersionView, outline, page_at, staff};
use crate::site::theme::{Theme, ThemeError};
use crate::site::{SiteInput, error_chain};
use crate::versions::store::{History, Problem, SnapshotBody};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write as _};
use std::sync::OnceLock;

/// `name` of the `<meta>` tags an archive carries.
pub const REPORT_META: &str = "huifang-report";
pub const VERSION_META: &str = "huifang-version";
pub const AS_OF_META: &str = "huifang-as-of";
pub const CHECKSUM_META: &str = "huifang-checksum";

/// The checksum's tag up to its value, exactly as `base.html` writes it.
const CHECKSUM_TAG: &str = "<meta name=\"huifang-checksum\" content=\"";

/// The program that makes archives, as the banner and `generator` name it.
const GENERATOR: &str = concat!("huifang ", env!("CARGO_PKG_VERSION"));

#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error(transparent)]
    Theme(#[from] ThemeError),
    #[error(transparent)]
    Content(#[from] ContentError),
    #[error("the theme has no style.css to inline")]
    NoStylesheet,
    #[error("the stylesheet contains `{0}`, which an archive cannot hold (it must load nothing)")]
    Stylesheet(&'static str),
    #[error("rendering {entry} with template {template}: {message}")]
    Render {
        entry: String,
        template: &'static str,
        message: String,
    },
    #[error(
        "rendering {entry}: the templates show no checksum in archive mode (base.html writes it \
         in <meta name=\"huifang-checksum\"> and the banner), or show something else that \
         changes with it"
    )]
    NoChecksumSlot { entry: String },
    #[error(
        "{entry}, line {line}: `{found}` leads outside the file; templates in archive mode must \
         not link or load anything"
    )]
    LeadsElsewhere {
        entry: String,
        line: usize,
        found: String,
    },
    #[error("no <meta name=\"{CHECKSUM_META}\"> tag: this is not a huifang archive")]
    NoChecksum,
    #[error(
        "line {line}: a second <meta name=\"{CHECKSUM_META}\"> tag; an archive has exactly one"
    )]
    DuplicateChecksum { line: usize },
    #[error(
        "line {line}: the checksum `{found}` is not `sha256:` followed by 64 lowercase hex digits"
    )]
    MalformedChecksum { line: usize, found: String },
    #[error(
        "checksum mismatch: the archive records sha256:{recorded} but its content hashes to sha256:{computed}; the file was changed after it was archived"
    )]
    Mismatch { recorded: String, computed: String },
}

/// What `base.html` and `report.html` show in archive mode.
#[derive(Serialize)]
struct ArchiveView<'a> {
    report: &'a str,
    version: u32,
    /// `2026-11-20`, as in the `<meta>` tag.
    as_of: String,
    checksum: &'a str,
    generator: &'a str,
    css: &'a str,
    /// Whether a later version existed when the archive was made.
    earlier: bool,
    /// The latest version then, as text for `replace(to=…)`.
    latest: String,
}

/// Renders archives of one project's report versions.
pub struct Archiver<'a> {
    project: &'a Project,
    history: &'a History,
    theme: Theme,
    content: Content,
    css: String,
    /// Report pages read nothing of ingestion; the site data wants one.
    ingest: IngestReport,
    /// Each report's latest version, read once: every page of a version shows the other
    /// reports as they were then, which for documents of the latest versions is their latest
    /// version. Earlier versions are read each time they are needed.
    latest: BTreeMap<String, OnceLock<Result<SnapshotBody, Problem>>>,
}

impl<'a> Archiver<'a> {
    /// Loads the project's theme and content.
    pub fn new(project: &'a Project, history: &'a History) -> Result<Archiver<'a>, ArchiveError> {
        let theme = Theme::load(project)?;
        let mut content = Content::load(&project.root.join("content"), &project.root)?;
        content.links = Links::AsText;
        let css = theme
            .static_files
            .iter()
            .find(|(name, _)| name == crate::site::urls::STYLESHEET)
            .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
            .ok_or(ArchiveError::NoStylesheet)?;
        let lower = css.to_ascii_lowercase();
        if let Some(bad) = ["</style", "@import", "url("]
            .into_iter()
            .find(|bad| lower.contains(bad))
        {
            return Err(ArchiveError::Stylesheet(bad));
        }
        Ok(Archiver {
            project,
            history,
            theme,
            content,
            css,
            ingest: IngestReport::default(),
            latest: (history.reports())
                .map(|id| (id.to_owned(), OnceLock::new()))
                .collect(),
        })
    }

    /// The archive of one version: a complete HTML document, sealed.
    pub fn page(&self, snapshot: &SnapshotBody) -> Result<String, ArchiveError> {
        let entry = entry_name(snapshot);
        let earlier = snapshot.version < self.latest(&snapshot.report.period.id);
        let reports = self.reports_as_of(snapshot);
        let input = self.input(&reports);
        let data = SiteData::new(self.project, &input, &self.content, &self.theme.strings);
        let version = version_view(snapshot);
        // The commentary is written about the current numbers, which are the latest version's.
        let page = page_at(
            &data,
            &snapshot.report,
            entry.clone(),
            Some(version),
            !earlier,
        )?;
        self.sealed(page, entry, snapshot, snapshot.as_of)
    }

    /// The internal page of numbers per 回访人 (see [`crate::site::pages::staff`]) beside the
    /// archive of a version, sealed like it: for `archive --staff` only. Its numbers are
    /// `staff`'s, from the data as it is now, not from the version's snapshot.
    pub fn staff_page(
        &self,
        snapshot: &SnapshotBody,
        staff: &StaffSet,
    ) -> Result<String, ArchiveError> {
        let entry = staff_entry_name(snapshot);
        let reports = [snapshot.report.clone()];
        let input = self.input(&reports);
        let data = SiteData::new(self.project, &input, &self.content, &self.theme.strings);
        let page = staff::page_at(&data, staff, &snapshot.report, entry.clone());
        self.sealed(page, entry, snapshot, staff.as_of)
    }

    /// `page` rendered in archive mode as `entry` of `snapshot`'s report, with its checksum
    /// sealed in, checked to lead nowhere outside itself.
    fn sealed(
        &self,
        mut page: Page,
        entry: String,
        snapshot: &SnapshotBody,
        as_of: chrono::NaiveDate,
    ) -> Result<String, ArchiveError> {
        let latest = self
            .latest(&snapshot.report.period.id)
            .max(snapshot.version);
        let mut render = |checksum: &str| {
            let view = ArchiveView {
                report: &snapshot.report.period.id,
                version: snapshot.version,
                as_of: as_of.to_string(),
                checksum,
                generator: GENERATOR,
                css: &self.css,
                earlier: snapshot.version < latest,
                latest: latest.to_string(),
            };
            page.context.insert("archive", &view);
            self.theme
                .tera
                .render(page.template, &page.context)
                .map_err(|e| ArchiveError::Render {
                    entry: entry.clone(),
                    template: page.template,
                    message: error_chain(&e),
                })
        };
        let mut bytes = render(seal::UNSET)?.into_bytes();
        let probe = render(seal::PROBE)?.into_bytes();
        let slots = seal::slots(&bytes, &probe)
            .filter(|slots| !slots.is_empty())
            .ok_or_else(|| ArchiveError::NoChecksumSlot {
                entry: entry.clone(),
            })?;
        seal::seal(&mut bytes, &slots);
        let document = String::from_utf8_lossy(&bytes).into_owned();
        if let Some((line, found)) = leads_elsewhere(&document) {
            return Err(ArchiveError::LeadsElsewhere { entry, line, found });
        }
        verify(&document)?;
        Ok(document)
    }

    /// The outline of one version (see [`crate::site::outline`]), as its archive shows it: for
    /// writers of other formats.
    pub fn outline(&self, snapshot: &SnapshotBody) -> Result<Outline, ArchiveError> {
        let reports = self.reports_as_of(snapshot);
        let input = self.input(&reports);
        let data = SiteData::new(self.project, &input, &self.content, &self.theme.strings);
        let version = version_view(snapshot);
        let latest = self.latest(&snapshot.report.period.id);
        Ok(outline(
            &data,
            &snapshot.report,
            "",
            Some(&version),
            snapshot.version >= latest,
        )?)
    }

    /// The strings of the project's theme, in its locale.
    pub fn strings(&self) -> &Strings {
        &self.theme.strings
    }

    /// The number of a report's latest version in the store.
    fn latest(&self, id: &str) -> u32 {
        self.history.latest(id).map_or(0, |s| s.version)
    }

    fn input<'s>(&'s self, reports: &'s [PeriodReport]) -> SiteInput<'s> {
        SiteInput {
            numbers: None,
            reports,
            ingest: &self.ingest,
            after_as_of: 0,
            history: self.history,
            surveys: &[],
            actions: None,
            coverage: None,
            staff: None,
            showing_latest: None,
        }
    }

    /// Report `id`'s latest version, read once; `None` if the report has no version.
    pub fn latest_body(&self, id: &str) -> Option<Result<&SnapshotBody, Problem>> {
        let held = self.latest.get(id)?;
        let body = held.get_or_init(|| self.history.body(id, self.latest(id)));
        Some(body.as_ref().map_err(Clone::clone))
    }

    /// The report of version `version` of `id`; `None` if it cannot be read.
    fn report_of(&self, id: &str, version: u32) -> Option<PeriodReport> {
        if self.latest(id) == version {
            let body = self.latest_body(id)?.ok()?;
            return Some(body.report.clone());
        }
        self.history.body(id, version).ok().map(|body| body.report)
    }

    /// The reports as the site showed them when `snapshot` was current: the snapshot's first
    /// (the site's as-of date is the first report's), then every other report's latest
    /// version on or before its as-of date.
    fn reports_as_of(&self, snapshot: &SnapshotBody) -> Vec<PeriodReport> {
        let id = &snapshot.report.period.id;
        let history = self.history;
        let others = (history.reports())
            .filter(|other| other != id)
            .filter_map(|other| {
                // A version that cannot be read is passed over, as one that failed its check
                // on loading is (`History::unread` names it).
                let then = history.versions(other).iter().rev();
                let mut then = then.filter(|s| s.as_of <= snapshot.as_of);
                then.find_map(|s| self.report_of(other, s.version))
            });
        std::iter::once(snapshot.report.clone())
            .chain(others)
            .collect()
    }
}

/// A version as an archive's page names it: no history to link, no later one to point to.
fn version_view(snapshot: &SnapshotBody) -> VersionView {
    VersionView {
        number: snapshot.version,
        history_href: String::new(),
        latest_href: None,
        alone: false,
    }
}

/// The file name of a version's archive in a `.tar.gz` of many: `2026-Q3/v2.html`.
pub fn entry_name(snapshot: &SnapshotBody) -> String {
    format!("{}/v{}.html", snapshot.report.period.id, snapshot.version)
}

/// The file name of the staff page beside a version's archive: `2026-Q3/v2-staff.html`.
pub fn staff_entry_name(snapshot: &SnapshotBody) -> String {
    format!(
        "{}/v{}-staff.html",
        snapshot.report.period.id, snapshot.version
    )
}

/// The first `href="…"`, `src="…"` or `srcset="…"` in a tag of the document that points
/// anywhere but a `#fragment` of it, with its line: a last check that the templates kept to
/// archive mode.
fn leads_elsewhere(document: &str) -> Option<(usize, String)> {
    ["href=\"", "src=\"", "srcset=\""]
        .into_iter()
        .flat_map(|attr| document.match_indices(attr))
        .filter(|&(at, attr)| in_tag(document, at) && !document[at + attr.len()..].starts_with('#'))
        .min_by_key(|&(at, _)| at)
        .map(|(at, _)| {
            let found = document[at..].chars().take_while(|&c| c != '>').take(60);
            (line_at(document, at), found.collect())
        })
}

/// Whether byte offset `at` lies inside a tag: the last `<` before it comes after the last `>`.
/// Text from the data has neither, which templates and markdown escape, whatever quotes it has.
fn in_tag(document: &str, at: usize) -> bool {
    let before = &document[..at];
    match (before.rfind('<'), before.rfind('>')) {
        (Some(lt), Some(gt)) => lt > gt,
        (lt, _) => lt.is_some(),
    }
}

/// Recomputes an archive's checksum and compares it with the one it records: `Ok(())` when the
/// document is exactly as it was archived.
pub fn verify(document: &str) -> Result<(), ArchiveError> {
    let mut tags = document.match_indices(CHECKSUM_TAG);
    let (at, _) = tags.next().ok_or(ArchiveError::NoChecksum)?;
    if let Some((second, _)) = tags.next() {
        return Err(ArchiveError::DuplicateChecksum {
            line: line_at(document, second),
        });
    }
    let content = document[at + CHECKSUM_TAG.len()..]
        .split('"')
        .next()
        .unwrap_or_default();
    let recorded = content
        .strip_prefix(seal::PREFIX)
        .filter(|hex| seal::is_digest(hex))
        .ok_or_else(|| ArchiveError::MalformedChecksum {
            line: line_at(document, at),
            found: content.to_owned(),
        })?;
    let computed = seal::digest_unsealed(document, recorded);
    if computed == recorded {
        Ok(())
    } else {
        Err(ArchiveError::Mismatch {
            recorded: recorded.to_owned(),
            computed,
        })
    }
}

/// A deterministic `.tar.gz` of `(path, contents)` entries, in the given order: regular files
/// with mode 0644, owner and group 0, modification time 0, and a gzip header without a name or
/// time stamp, so the same entries give the same bytes. Paths are relative and use `/`;
/// absolute paths, `..` and a path given twice are refused.
pub fn tar_gz(entries: &[(String, Vec<u8>)]) -> io::Result<Vec<u8>> {
    let gzip = flate2::GzBuilder::new()
        .mtime(0)
        .operating_system(255) // "unknown", whatever machine builds it
        .write(Vec::new(), flate2::Compression::default());
    let mut tar = tar::Builder::new(gzip);
    let mut seen = std::collections::HashSet::new();
    for (path, contents) in entries {
        if !seen.insert(path.as_str()) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("archive entry `{path}` is given twice"),
            ));
        }
        let mut header = tar::Header::new_gnu();
        header.set_entry_type(tar::EntryType::Regular);
        header.set_size(contents.len() as u64);
        header.set_mode(0o644);
        header.set_uid(0);
        header.set_gid(0);
        header.set_mtime(0);
        tar.append_data(&mut header, path, contents.as_slice())
            .map_err(|e| io::Error::new(e.kind(), format!("archive entry `{path}`: {e}")))?;
    }
    let mut gzip = tar.into_inner()?;
    gzip.flush()?;
    gzip.finish()
}

/// The 1-based line of byte offset `at`.
fn line_at(text: &str, at: usize) -> usize {
    text.as_bytes()[..at.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A page as `base.html` writes one in archive mode, sealed as [`Archiver::page`] does.
    fn archive_of(body: &str) -> String {
        let page = |checksum: &str| {
            format!(
                "<!doctype html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
                 <meta name=\"huifang-report\" content=\"2026-Q3\">\n\
                 {CHECKSUM_TAG}sha256:{checksum}\">\n<title>2026年第3季度</title>\n</head>\n\
                 <body>\n<div class=\"huifang-archive\" role=\"note\">SHA-256 <code>{checksum}</code></div>\n\
                 <a class=\"skip\" href=\"#main\">跳到正文</a>\n<main id=\"main\">{body}</main>\n</body>\n</html>\n"
            )
        };
        let mut bytes = page(seal::UNSET).into_bytes();
        let slots = seal::slots(&bytes, page(seal::PROBE).as_bytes()).unwrap();
        seal::seal(&mut bytes, &slots);
        String::from_utf8(bytes).unwrap()
    }

    const BODY: &str = "<p>满意率 82.8%</p>\n<p>&lt;a href=&quot;https://x&quot;&gt;</p>";

    fn checksum_of(archive: &str) -> String {
        let at = archive.find(CHECKSUM_TAG).unwrap() + CHECKSUM_TAG.len() + seal::PREFIX.len();
        archive[at..at + 64].to_string()
    }

    #[test]
    fn the_checksum_is_the_sha256_of_the_document_with_zeros_in_its_place() {
        let archive = archive_of(BODY);
        let checksum = checksum_of(&archive);
        assert_eq!(
            archive.matches(&checksum).count(),
            2,
            "in the meta tag and the banner"
        );
        let zeroed = archive.replace(&checksum, &"0".repeat(64));
        assert_eq!(seal::digest(zeroed.as_bytes()), checksum);
        assert!(verify(&archive).is_ok());
    }

    #[test]
    fn verify_fails_when_one_character_changes() {
        let archive = archive_of(BODY);
        let changed = archive.replacen("82.8%", "92.8%", 1);
        assert!(matches!(
            verify(&changed),
            Err(ArchiveError::Mismatch { .. })
        ));

        let checksum = checksum_of(&archive);
        let mut forged = checksum.clone();
        forged.replace_range(0..1, if checksum.starts_with('a') { "b" } else { "a" });
        let forged = archive.replace(&checksum, &forged);
        assert!(matches!(
            verify(&forged),
            Err(ArchiveError::Mismatch { .. })
        ));

        let upper = archive.replace(&checksum, &checksum.to_uppercase());
        if upper != archive {
            assert!(matches!(
                verify(&upper),
                Err(ArchiveError::MalformedChecksum { line: 6, .. })
            ));
        }
    }

    #[test]
    fn verify_refuses_what_is_not_an_archive() {
        assert!(matches!(
            verify("<html><head></head><body>x</body></html>"),
            Err(ArchiveError::NoChecksum)
        ));
        let archive = archive_of(BODY);
        let meta_at = archive.find(CHECKSUM_TAG).unwrap();
        let meta_end = meta_at + archive[meta_at..].find('>').unwrap() + 1;
        let doubled = format!("{}\n{}", &archive[..meta_end], &archive[meta_at..]);
        assert!(matches!(
            verify(&doubled),
            Err(ArchiveError::DuplicateChecksum { line: 7 })
        ));
    }

    #[test]
    fn zeros_already_in_the_page_do_not_break_the_checksum() {
        let body = format!("<td>{}</td>", seal::UNSET);
        let archive = archive_of(&body);
        assert!(archive.contains(&body));
        assert!(verify(&archive).is_ok());
    }

    /// An archive the tag scanner made (huifang before archives came from the templates):
    /// the rule is the same, so it still verifies. Stored compressed, so that no editor or
    /// line-ending setting can touch a byte of it.
    #[test]
    fn an_archive_made_by_an_earlier_huifang_verifies() {
        let compressed: &[u8] = include_bytes!("../tests/fixtures/archive_sealed_v1.html.gz");
        let mut archive = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(compressed), &mut archive)
            .unwrap();
        let archive = archive.as_str();
        assert!(verify(archive).is_ok());
        assert!(verify(&archive.replacen("2026", "2025", 1)).is_err());
    }

    #[test]
    fn only_in_page_links_lead_nowhere() {
        assert_eq!(leads_elsewhere(&archive_of(BODY)), None);
        let archive =
            archive_of("<p>x</p>\n<p><a href=\"../x.html\">x</a> <img src=\"a.png\"></p>");
        let (line, found) = leads_elsewhere(&archive).unwrap();
        assert_eq!(line, 13);
        assert_eq!(found, "href=\"../x.html\"");
        assert!(leads_elsewhere("<img srcset=\"a.png 2x\">").is_some());
        // Markdown leaves quotes in text as they are; text is not a tag.
        let quoted = "<p>&lt;a href=\"https://x\"&gt; src=\"y\"</p>";
        assert_eq!(leads_elsewhere(&archive_of(quoted)), None);
    }

    fn entries() -> Vec<(String, Vec<u8>)> {
        vec![
            (
                "2026-Q3/index.html".to_string(),
                archive_of(BODY).into_bytes(),
            ),
            (
                "2026-Q3/metrics.json".to_string(),
                b"{\"visits\":177}\n".to_vec(),
            ),
            (
                format!("2026-Q3/departments/{}/工程部.html", "x".repeat(120)),
                "工程部".as_bytes().to_vec(),
            ),
            ("empty.txt".to_string(), Vec::new()),
        ]
    }

    #[test]
    fn tar_gz_is_the_same_bytes_every_time() {
        let first = tar_gz(&entries()).unwrap();
        assert_eq!(first, tar_gz(&entries()).unwrap());
        assert_eq!(&first[..2], &[0x1f, 0x8b], "gzip magic");
        assert_eq!(&first[4..8], &[0, 0, 0, 0], "no gzip time stamp");
    }

    #[test]
    fn tar_gz_reads_back_with_the_same_names_contents_and_fixed_metadata() {
        use std::io::Read;
        let bytes = tar_gz(&entries()).unwrap();
        let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(bytes.as_slice()));
        let mut read = Vec::new();
        for entry in archive.entries().unwrap() {
            let mut entry = entry.unwrap();
            let header = entry.header();
            assert_eq!(header.mode().unwrap(), 0o644);
            assert_eq!(header.mtime().unwrap(), 0);
            assert_eq!((header.uid().unwrap(), header.gid().unwrap()), (0, 0));
            assert_eq!(header.entry_type(), tar::EntryType::Regular);
            let path = entry.path().unwrap().to_str().unwrap().to_string();
            let mut contents = Vec::new();
            entry.read_to_end(&mut contents).unwrap();
            read.push((path, contents));
        }
        assert_eq!(read, entries());
    }

    #[test]
    fn tar_gz_refuses_paths_that_escape_or_repeat() {
        for bad in [
            vec![("../x".to_string(), Vec::new())],
            vec![("/etc/x".to_string(), Vec::new())],
            vec![("a".to_string(), Vec::new()), ("a".to_string(), Vec::new())],
        ] {
            assert!(tar_gz(&bad).is_err(), "{bad:?}");
        }
        assert!(tar_gz(&[]).is_ok());
    }
}
