//! One report (month, quarter or year) as a document in five numbered parts (see
//! [`outline`](crate::site::outline)): headline numbers, satisfaction, departments and sites,
//! complaints and their rectification, and the commentary from content/reports/<id>.md.

use super::cards;
use super::coverage_tables as coverage;
use super::report_tables as tables;
use super::{Page, SiteData};
use crate::config::DocumentFormat;
use crate::metrics::{PeriodReport, Scope};
use crate::period::PeriodKind;
use crate::site::content::{ContentError, markdown_html};
use crate::site::figures::{self as charts, Figures, TrendSeries};
use crate::site::outline::{self, Block, Cover, Outline, Part};
use crate::site::urls::{self, root_of};
use crate::site::view::{Link, NotedTable, Table};

/// Periods shown in a trend chart.
pub const TREND_PERIODS: usize = 12;

/// Version details shown on a report page.
#[derive(serde::Serialize)]
pub struct VersionView {
    pub number: u32,
    pub history_href: String,
    /// Set on pages of earlier versions: where the latest one is.
    pub latest_href: Option<String>,
    /// A version's page drawn from its snapshot alone: no trend across periods, which the
    /// rest of the site would give.
    pub alone: bool,
}

/// The current report page, with its version.
pub fn page(data: &SiteData<'_>, report: &PeriodReport) -> Result<Page, ContentError> {
    let path = urls::report(&report.period.id);
    let root = root_of(&path);
    let version = data.history.latest(&report.period.id).map(|s| VersionView {
        number: s.version,
        history_href: format!("{root}{}", urls::versions(&report.period.id)),
        latest_href: None,
        alone: false,
    });
    let mut page = page_at(data, report, path, version, true)?;
    super::actions::insert(&mut page.context, data, report, Scope::Overall, &root);
    if data.actions.is_some() {
        let href = format!("{root}{}", urls::report_actions_csv(&report.period.id));
        page.context.insert("actions_csv", &href);
    }
    if data.coverage.is_some() {
        let href = format!("{root}{}", urls::report_followups_csv(&report.period.id));
        page.context.insert("followups_csv", &href);
    }
    page.context
        .insert("documents", &documents(data, report, &root));
    if data.staff.is_some() {
        let href = format!("{root}{}", urls::report_staff(&report.period.id));
        page.context.insert("staff_href", &href);
    }
    Ok(page)
}

/// Links to the documents the build publishes beside the page (the config's `exports`), named
/// by the latest version.
fn documents(data: &SiteData<'_>, report: &PeriodReport, root: &str) -> Vec<Link> {
    let Some(latest) = data.history.latest(&report.period.id) else {
        return Vec::new();
    };
    let mut formats = data.project.config.exports.clone();
    formats.sort();
    formats.dedup();
    formats
        .into_iter()
        .map(|format| {
            let id = &report.period.id;
            let file = format.file_name(id, latest.version);
            Link {
                href: format!("{root}reports/{id}/{file}"),
                label: data
                    .t
                    .get(match format {
                        DocumentFormat::Docx => "download_docx",
                        DocumentFormat::Pdf => "download_pdf",
                    })
                    .to_owned(),
                current: false,
            }
        })
        .collect()
}

/// A report page at `path`: the current one, or an earlier version rendered from its snapshot
/// (without the commentary, which is written about the current numbers).
pub fn page_at(
    data: &SiteData<'_>,
    report: &PeriodReport,
    path: String,
    version: Option<VersionView>,
    with_commentary: bool,
) -> Result<Page, ContentError> {
    let (t, f) = (data.t, data.fmt);
    let title = data.period_label(report);
    let mut c = data.base_context(&path, &title);
    let root = root_of(&path);
    let outline = outline(data, report, &root, version.as_ref(), with_commentary)?;

    c.insert("period", &report.period);
    c.insert("version", &version);
    c.insert("data_as_of", &f.date(report.as_of));
    c.insert("range", &outline.cover.period);
    c.insert(
        "kind_label",
        t.get(&format!("kind_{}", report.period.kind.name())),
    );
    c.insert("running_head", &outline.cover.running_head());
    c.insert("outline", &outline);
    c.insert("siblings", &siblings(data, report, &root));
    let surveys: Vec<Link> = data
        .surveys
        .iter()
        .filter(|s| s.belongs_to(&report.period))
        .map(|s| Link {
            href: format!("{root}{}", urls::survey(&s.slug)),
            label: s.name.clone(),
            current: false,
        })
        .collect();
    c.insert("surveys", &surveys);
    Ok(Page {
        path,
        template: "report.html",
        context: c,
    })
}

/// The report as a document: the cover, then the five parts of a 满意度回访报告, each with
/// what it has (a part with nothing is left out), tables and figures numbered. Links in tables
/// are relative to `root`.
pub fn outline(
    data: &SiteData<'_>,
    report: &PeriodReport,
    root: &str,
    version: Option<&VersionView>,
    with_commentary: bool,
) -> Result<Outline, ContentError> {
    let (t, f) = (data.t, data.fmt);
    let config = &data.project.config;
    let doc = data
        .content
        .reports
        .get(&report.period.id)
        .filter(|_| with_commentary);
    let cover = Cover {
        organisation: config.organisation.clone(),
        site_title: config.title.clone(),
        title: data.period_label(report),
        subtitle: doc.and_then(|d| d.front.title.clone()),
        period: format!(
            "{} – {}",
            f.date(report.period.start),
            f.date(report.period.end)
        ),
        as_of: f.date(report.as_of),
        version: version.map(|v| v.number),
    };

    let figures = Figures::new(t, f, &config.status);
    let history = Figures::trend_periods(
        report,
        data.of_kind(PeriodKind::Month),
        data.last_n(report, TREND_PERIODS),
    );
    let trend = match version {
        Some(v) if v.alone => None,
        _ => figures.satisfaction_trend(
            "trend",
            &history,
            vec![TrendSeries::overall(t.get("overall"), &history)],
            config.targets.overall.satisfied_rate,
        ),
    };
    let figure = |f: Option<crate::site::view::Figure>| f.map(Block::Figure);
    let noted = |table: Table, notes: Vec<String>| NotedTable { table, notes };
    let [by_type, by_channel, by_severity] = tables::mix(data, report);

    let overview = vec![
        Some(Block::Kpis {
            kpis: cards::kpis(data, report, &report.overall, &config.targets.overall),
        }),
        Some(Block::Tables {
            tables: vec![noted(by_type, Vec::new()), noted(by_channel, Vec::new())],
        }),
        coverage::by_type(data, &report.overall, report).map(Block::Table),
        coverage::pending(data, report, Scope::Overall).map(Block::Table),
    ];
    // Past the most departments a chart draws, one sentence says so where the first of them
    // would be; the tables of part 三 list every department.
    let too_many = charts::too_many_departments(report).then(|| Block::Note {
        text: t
            .get("department_charts_too_many")
            .replace("{departments}", &f.int(report.departments.len() as u64))
            .replace("{max}", &f.int(charts::MAX_DEPARTMENTS_DRAWN as u64)),
    });
    let satisfaction = vec![
        figure(trend),
        figure(figures.levels_by_department("levels", report)),
        too_many,
    ];
    let departments = vec![
        Some(Block::Table(tables::ranking(data, report, root))),
        tables::sites(data, report, root).map(|s| Block::Table(noted(s, Vec::new()))),
        coverage::by_department(data, report, root).map(|c| Block::Table(noted(c, Vec::new()))),
        tables::matrix(data, report, root).map(|m| match m {
            tables::Matrix::Table(m) => {
                Block::Table(noted(m, vec![t.get("matrix_note").to_owned()]))
            }
            tables::Matrix::TooWide(n) => Block::Note {
                text: t
                    .get("matrix_too_wide")
                    .replace("{departments}", &f.int(n as u64))
                    .replace("{max}", &f.int(charts::MAX_DEPARTMENTS_DRAWN as u64)),
            },
        }),
        super::households::report_table(data, report, root).map(Block::Table),
    ];
    let complaints = vec![
        figure(figures.pareto("pareto", &report.overall)),
        Some(Block::Table(noted(by_severity, Vec::new()))),
        Some(Block::Table(tables::rectification(data, report, root))),
        figure(figures.status_by_department("status", report)),
        figure(figures.days_to_close("days", &report.overall)),
        Some(Block::Actions),
    ];
    let conclusions = match doc {
        Some(doc) => {
            let markdown = data.expand_doc(doc, Some(report))?;
            vec![Some(Block::Prose {
                html: markdown_html(&markdown, data.content.links, 1),
                markdown,
            })]
        }
        None => Vec::new(),
    };

    let mut parts: Vec<Part> = [
        ("overview", "part_overview", overview),
        ("satisfaction", "part_satisfaction", satisfaction),
        ("departments", "part_departments", departments),
        ("complaints", "part_complaints", complaints),
        ("conclusions", "part_conclusions", conclusions),
    ]
    .into_iter()
    .map(|(id, key, blocks)| (id, key, blocks.into_iter().flatten().collect::<Vec<_>>()))
    .filter(|(_, _, blocks)| !blocks.is_empty())
    .enumerate()
    .map(|(i, (id, key, blocks))| Part {
        id,
        heading: t.fill(
            "part_heading",
            &[("n", &t.numeral(i + 1)), ("title", t.get(key))],
        ),
        blocks,
    })
    .collect();
    outline::number(
        &mut parts,
        |n| t.fill("table_label", &[("n", &n.to_string())]),
        |n| t.fill("figure_label", &[("n", &n.to_string())]),
    );
    Ok(Outline { cover, parts })
}

/// The previous and next report of the same kind, and the reports containing this one.
fn siblings(data: &SiteData<'_>, report: &PeriodReport, root: &str) -> Vec<Link> {
    let list = data.of_kind(report.period.kind);
    let Some(i) = list.iter().position(|r| r.period.id == report.period.id) else {
        return Vec::new();
    };
    let link = |r: &PeriodReport, prefix: &str| Link {
        href: format!("{root}{}", urls::report(&r.period.id)),
        label: format!("{prefix}{}", data.fmt.period(&r.period.id)),
        current: false,
    };
    let mut links = Vec::new();
    if i > 0 {
        links.push(link(list[i - 1], "← "));
    }
    // A week across two months has no month above it, so no ↑ link to one.
    for kind in [
        crate::period::PeriodKind::Month,
        crate::period::PeriodKind::Quarter,
        crate::period::PeriodKind::Year,
    ] {
        if kind > report.period.kind
            && let Some(parent) = data.of_kind(kind).iter().find(|r| {
                r.period.start <= report.period.start && report.period.end <= r.period.end
            })
        {
            links.push(link(parent, "↑ "));
        }
    }
    if let Some(next) = list.get(i + 1) {
        links.push(link(next, "→ "));
    }
    links
}
