//! One department in one report.

use super::entity::{self, EntityKind};
use super::{Page, SiteData};
use crate::metrics::{EntityMetrics, PeriodReport};

pub fn page(data: &SiteData<'_>, report: &PeriodReport, dept: &EntityMetrics) -> Page {
    let (path, mut c) = entity::page_context(data, report, EntityKind::Department, dept);
    c.insert("department", &dept.entity);
    Page {
        path,
        template: "department.html",
        context: c,
    }
}
