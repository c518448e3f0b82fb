//! One site (项目) in one report: the sections of a department's page, and the site's numbers
//! per department, for the 项目经理 who answers for them.

use super::entity::{self, EntityKind};
use super::{Page, SiteData};
use crate::metrics::{DepartmentCell, EntityMetrics, PeriodReport};
use crate::site::urls::{self, root_of};
use crate::site::view::{Cell, Table};

pub fn page(data: &SiteData<'_>, report: &PeriodReport, site: &EntityMetrics) -> Page {
    let (path, mut c) = entity::page_context(data, report, EntityKind::Site, site);
    let root = root_of(&path);
    c.insert("site_entity", &site.entity);
    c.insert("by_department", &by_department(data, report, site, &root));
    c.insert(
        "households",
        &super::households::site_table(data, report, site),
    );
    Page {
        path,
        template: "site.html",
        context: c,
    }
}

/// The site's numbers per department, departments in report order, each linked to its page.
fn by_department(
    data: &SiteData<'_>,
    report: &PeriodReport,
    site: &EntityMetrics,
    root: &str,
) -> Option<Table> {
    if site.by_department.is_empty() {
        return None;
    }
    let t = data.t;
    let rows = site
        .by_department
        .iter()
        .map(|cell| {
            let name = match data.department_named(report, &cell.department) {
                Some(at) => Cell::link(
                    cell.department.clone(),
                    format!(
                        "{root}{}",
                        urls::department(&report.period.id, &report.departments.entity(at).slug)
                    ),
                ),
                None => Cell::text(cell.department.clone()),
            };
            let mut cells = vec![name];
            cells.extend(cell_numbers(data, cell));
            cells
        })
        .collect();
    Some(Table {
        label: None,
        caption: Some(t.get("site_by_department").to_owned()),
        head: [
            "department",
            "visits",
            "responses",
            "satisfied_rate",
            "complaints",
            "closure_rate",
            "overdue",
            "open_at_end",
        ]
        .map(|k| t.get(k).to_owned())
        .to_vec(),
        rows,
    })
}

/// A cell's numbers as the site page's department table shows them.
fn cell_numbers(data: &SiteData<'_>, cell: &DepartmentCell) -> Vec<Cell> {
    let f = data.fmt;
    let mut rate = Cell::num(f.percent(cell.satisfied_rate));
    if cell.low_sample && cell.responses > 0 {
        rate = rate.with_class("low-sample");
    }
    vec![
        Cell::num(f.int(cell.visits)),
        Cell::num(f.int(cell.responses)),
        rate,
        Cell::num(f.int(cell.complaints)),
        Cell::num(f.percent(cell.closure_rate)),
        Cell::num(f.int(cell.overdue)),
        Cell::num(f.int(cell.open_at_end)),
    ]
}
