//! Every version of a report: a history page listing what changed from version to version,
//! and each version's page at its stable URL `reports/<id>/v<N>/`, rendered from its snapshot.

use super::report::{VersionView, page_at};
use super::text::written;
use super::{Page, SiteData};
use crate::metrics::PeriodReport;
use crate::site::SiteInput;
use crate::site::i18n::DASH;
use crate::site::urls::{self, root_of};
use crate::site::view::{Cell, Table};
use crate::versions::diff;
use crate::versions::store::{SnapshotBody, VersionInfo};

/// The history page and every version's page. Where the report page shows the latest version
/// (`SiteData::showing_latest`), that version's page leads to the report page instead of
/// being a second copy of it. A version is read only for what is not known without it: its
/// page, unless the previous site's is kept ([`crate::site::version_pages`]), and what changed
/// since the version before, unless an earlier build worked that out
/// ([`crate::versions::store::History::changes`]). Versions are read one at a time, each kept
/// only until the next is compared with it. A version that cannot be read is left out, as one
/// that failed its check on loading is; the history names it (`History::unread`).
pub fn pages<E>(
    data: &SiteData<'_>,
    report: &PeriodReport,
    emit: &mut dyn FnMut(Page) -> Result<(), E>,
) -> Result<(), E> {
    let id = &report.period.id;
    let versions = data.history.versions(id);
    let Some(latest) = versions.last().map(|s| s.version) else {
        return Ok(());
    };
    // The report page shows its latest version unless this build counted other numbers.
    let shown = data
        .showing_latest
        .is_some_and(|ids| ids.contains(id.as_str()));
    let checksums = data.history.checksums.get(id);
    let mut rows = Vec::with_capacity(versions.len());
    let mut previous: Option<Previous<'_>> = None;
    let checksum_of = |version: u32| Some(checksums?.get(&version)?.as_str());
    for (at, info) in versions.iter().enumerate() {
        let path = urls::version(id, info.version);
        let root = root_of(&path);
        let checksum = checksum_of(info.version);
        let leads_to_report = info.version == latest && shown;
        // Only an earlier version points to the latest.
        let earlier = info.version != latest;
        let reuse = (data.version_pages)
            .filter(|_| !leads_to_report)
            .and_then(|pages| Some((pages, pages.key(&path, checksum?, earlier))));
        let keepable = (reuse.as_ref()).is_some_and(|(pages, key)| pages.was_made(&path, key));
        let recorded =
            (previous.as_ref()).and_then(|p| data.history.changes(checksum?, p.checksum?));
        // What changed into the next version, if it is not known, is worked out from this one.
        let next_unknown = versions.get(at + 1).is_some_and(|next| {
            let words = checksum_of(next.version).zip(checksum);
            words.is_none_or(|(next, this)| data.history.changes(next, this).is_none())
        });
        // Its numbers: for its page, unless kept, and to say what changed, unless known. Read
        // here, before its page is kept, a version that cannot be read is left out whole.
        let needed = (!keepable && !leads_to_report)
            || (previous.is_some() && recorded.is_none())
            || next_unknown;
        let mut body = match needed.then(|| data.history.body(id, info.version)) {
            None => None,
            Some(Ok(body)) => Some(body),
            Some(Err(_)) if leads_to_report => break,
            Some(Err(_)) => continue,
        };
        // Its page is linked only once the version is known to be used; made if that fails.
        let kept = keepable && (reuse.as_ref()).is_some_and(|(pages, key)| pages.keep(&path, key));
        if !kept && !leads_to_report && body.is_none() {
            match data.history.body(id, info.version) {
                Ok(read) => body = Some(read),
                Err(_) => continue,
            }
        }
        let changes = match (&mut previous, recorded, &body) {
            (None, _, _) => data.t.get("first_version").to_owned(),
            (Some(_), Some(words), _) => words,
            (Some(p), None, Some(body)) => match p.body(data, id) {
                Some(old) => {
                    let words = changes(data, &old.report, &body.report);
                    if let (Some(now), Some(was)) = (checksum, p.checksum) {
                        data.history.note_changes(now, was, &words);
                    }
                    words
                }
                None => DASH.to_owned(),
            },
            (Some(_), None, None) => DASH.to_owned(),
        };
        if leads_to_report {
            let href = format!("{root}{}", urls::report(id));
            rows.push(row(data, id, info, &urls::report(id), changes));
            emit(latest_page(data, report, path, href))?;
            break;
        }
        rows.push(row(data, id, info, &path, changes));
        if let (false, Some(body)) = (kept, &body) {
            let view = VersionView {
                number: body.version,
                history_href: format!("{root}{}", urls::versions(id)),
                latest_href: earlier.then(|| format!("{root}{}", urls::report(id))),
                alone: true,
            };
            // Earlier versions carry no commentary, so rendering them cannot fail on content.
            if let Ok(page) = alone(data, &body.report, path.clone(), view) {
                emit(page)?;
                if let Some((pages, key)) = reuse {
                    pages.made(path, key);
                }
            }
        }
        previous = Some(Previous {
            version: info.version,
            checksum,
            body,
        });
    }
    rows.reverse();
    emit(history(data, report, rows))
}

/// The version listed before the one at hand, and its numbers once read.
struct Previous<'h> {
    version: u32,
    checksum: Option<&'h str>,
    body: Option<SnapshotBody>,
}

impl Previous<'_> {
    /// Its numbers, read now if they were not before.
    fn body(&mut self, data: &SiteData<'_>, id: &str) -> Option<&SnapshotBody> {
        if self.body.is_none() {
            self.body = data.history.body(id, self.version).ok();
        }
        self.body.as_ref()
    }
}

/// The page of a version drawn from its snapshot, `report`: its own numbers as they were and
/// nothing else of the site, as if it were the only report. What the rest of the site shows
/// changes every day (the other periods, the trend across them, the lists of open work), while
/// a version stays what it was: so its page does too, and a build need not make it again.
fn alone(
    data: &SiteData<'_>,
    report: &PeriodReport,
    path: String,
    view: VersionView,
) -> Result<Page, crate::site::content::ContentError> {
    let input = SiteInput {
        reports: std::slice::from_ref(report),
        ingest: data.ingest,
        after_as_of: 0,
        history: data.history,
        surveys: &[],
        actions: None,
        coverage: None,
        staff: None,
        showing_latest: None,
        numbers: None,
    };
    let alone = SiteData::new(data.project, &input, data.content, data.t);
    page_at(&alone, report, path, Some(view), false)
}

/// The page at the latest version's URL: it leads to the report page, `href`.
fn latest_page(data: &SiteData<'_>, report: &PeriodReport, path: String, href: String) -> Page {
    let label = data.period_label(report);
    let mut c = data.base_context(&path, &label);
    c.insert("target", &href);
    c.insert("report_label", &label);
    Page {
        path,
        template: "redirect.html",
        context: c,
    }
}

/// What changed from the numbers `old` to `new`, in words.
fn changes(data: &SiteData<'_>, old: &PeriodReport, new: &PeriodReport) -> String {
    let (t, f) = (data.t, data.fmt);
    let mut lines: Vec<String> = diff::changes(old, new)
        .iter()
        .map(|ch| {
            let scope = ch
                .scope
                .clone()
                .unwrap_or_else(|| t.get("overall").to_owned());
            format!(
                "{scope} {} {} → {}",
                t.get(ch.metric.name),
                written(ch.metric, &ch.before, f),
                written(ch.metric, &ch.after, f)
            )
        })
        .collect();
    lines.extend(
        diff::newly_closed(old, new)
            .into_iter()
            .map(|(dept, n)| format!("{dept} {}", t.with_n("now_closed", n))),
    );
    if lines.is_empty() {
        t.get("no_changes").to_owned()
    } else {
        lines.join(t.get("clause_separator"))
    }
}

/// A version's row of the history table, linked to `page`: what `changes` since the version
/// before it.
fn row(data: &SiteData<'_>, id: &str, s: &VersionInfo, page: &str, changes: String) -> Vec<Cell> {
    let root = root_of(&urls::versions(id));
    let f = data.fmt;
    let inputs: Vec<&str> = s.inputs.iter().map(|i| i.name.as_str()).collect();
    vec![
        Cell::link(format!("v{}", s.version), format!("{root}{page}")),
        Cell::text(f.date(s.as_of)),
        Cell::text(built_at(&s.built_at, data.project.config.timezone.0, f)),
        Cell::text(inputs.join(", ")),
        Cell::text(changes),
    ]
}

/// The history page: `rows`, newest first.
fn history(data: &SiteData<'_>, report: &PeriodReport, rows: Vec<Vec<Cell>>) -> Page {
    let id = &report.period.id;
    let path = urls::versions(id);
    let root = root_of(&path);
    let t = data.t;
    let title = format!(
        "{} · {}",
        data.period_label(report),
        t.get("version_history")
    );
    let mut c = data.base_context(&path, &title);
    let table = Table {
        label: None,
        caption: None,
        head: ["version", "data_as_of", "built_at", "inputs", "changes"]
            .map(|k| t.get(k).to_owned())
            .to_vec(),
        rows,
    };
    c.insert("body_table", &table);
    // The footer's date is the report's, which stays put while its numbers do.
    c.insert("data_as_of", &data.fmt.date(report.as_of));
    c.insert("report_href", &format!("{root}{}", urls::report(id)));
    c.insert("report_label", &data.period_label(report));
    Page {
        path,
        template: "versions.html",
        context: c,
    }
}

/// When a version was built, in the project's time zone and the site's words; the stored
/// UTC text as it is if it is not a time.
fn built_at(stored: &str, zone: chrono_tz::Tz, f: crate::site::i18n::Format) -> String {
    chrono::DateTime::parse_from_rfc3339(stored).map_or_else(
        |_| stored.to_owned(),
        |t| f.date_time(t.with_timezone(&zone).naive_local()),
    )
}
