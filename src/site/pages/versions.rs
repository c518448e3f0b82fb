//! Every version of a report: a history page listing what changed from version to version,
//! and each version's page at its stable URL `reports/<id>/v<N>/`, rendered from its snapshot.

use super::report::{VersionView, page_at};
use super::text::written;
use super::{Page, SiteData};
use crate::metrics::PeriodReport;
use crate::site::urls::{self, root_of};
use crate::site::view::{Cell, Table};
use crate::versions::diff;
use crate::versions::store::{SnapshotBody, VersionInfo};

/// The history page and every version's page. Where the report page shows the latest version
/// (`SiteData::showing_latest`), that version's page leads to the report page instead of
/// being a second copy of it, and the version is read only to say what changed since the one
/// before: a sole version is not read here. Versions are read one at a time, each kept only
/// until the next is compared with it. A version that cannot be read is left out, as one that
/// failed its check on loading is; the history names it (`History::unread`).
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
    let mut rows = Vec::with_capacity(versions.len());
    let mut previous: Option<SnapshotBody> = None;
    for info in versions {
        let path = urls::version(id, info.version);
        let root = root_of(&path);
        if info.version == latest && shown {
            // Its numbers are needed only to say what changed since the version before.
            let snapshot = match previous {
                None => None,
                Some(_) => match data.history.body(id, info.version) {
                    Ok(snapshot) => Some(snapshot),
                    Err(_) => break,
                },
            };
            let changed = previous.as_ref().zip(snapshot.as_ref());
            let changed = changed.map(|(p, s)| (&p.report, &s.report));
            let href = format!("{root}{}", urls::report(id));
            rows.push(row(data, id, info, &urls::report(id), changed));
            emit(latest_page(data, report, path, href))?;
            break;
        }
        let Ok(snapshot) = data.history.body(id, info.version) else {
            continue;
        };
        let changed = previous.as_ref().map(|p| (&p.report, &snapshot.report));
        rows.push(row(data, id, info, &path, changed));
        // Only an earlier version points to the latest.
        let earlier = info.version != latest;
        let view = VersionView {
            number: snapshot.version,
            history_href: format!("{root}{}", urls::versions(id)),
            latest_href: earlier.then(|| format!("{root}{}", urls::report(id))),
        };
        // Earlier versions carry no commentary, so rendering them cannot fail on content.
        if let Ok(page) = page_at(data, &snapshot.report, path, Some(view), false) {
            emit(page)?;
        }
        previous = Some(snapshot);
    }
    rows.reverse();
    emit(history(data, report, rows))
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

/// A version's row of the history table: what changed since the version before it.
/// `changed`: the numbers of the version before it, if any, and its own. It links to `page`.
fn row(
    data: &SiteData<'_>,
    id: &str,
    s: &VersionInfo,
    page: &str,
    changed: Option<(&PeriodReport, &PeriodReport)>,
) -> Vec<Cell> {
    let root = root_of(&urls::versions(id));
    let (t, f) = (data.t, data.fmt);
    let changes = match changed {
        None => t.get("first_version").to_owned(),
        Some((old, new)) => {
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
    };
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
