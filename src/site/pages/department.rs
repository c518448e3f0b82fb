//! One department in one report.

use super::entity::{self, EntityKind};
use super::{Page, SiteData};
use crate::metrics::{EntityMetrics, PeriodReport};
use crate::site::urls::{self, root_of};
use crate::site::view::Link;

pub fn page(data: &SiteData<'_>, report: &PeriodReport, dept: &EntityMetrics) -> Page {
    let path = urls::department(&report.period.id, &dept.entity.slug);
    let root = root_of(&path);
    let t = data.t;
    let title = format!("{} · {}", dept.entity.name, data.period_label(report));
    let mut c = data.base_context(&path, &title);
    let m = &dept.metrics;

    let links = vec![
        Link {
            href: format!("{root}{}", urls::report(&report.period.id)),
            label: data.period_label(report),
            current: false,
        },
        Link {
            href: format!("{root}{}", urls::department_history(&dept.entity.slug)),
            label: format!("{} · {}", dept.entity.name, t.get("department_history")),
            current: false,
        },
    ];
    c.insert("period", &report.period);
    c.insert("range", &entity::range(data, report));
    c.insert("department", &dept.entity);
    c.insert("kpis", &data.kpis(m));
    c.insert(
        "figures",
        &entity::figures(data, report, EntityKind::Department, dept),
    );
    c.insert("status", &entity::status_table(data, m));
    c.insert("comments", &entity::comments_table(data, m));
    c.insert("links", &links);
    Page {
        path,
        template: "department.html",
        context: c,
    }
}
