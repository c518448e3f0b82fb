//! Where every page and file of the site lives, relative to the site's folder: each path is
//! spelt here once. Pages link to each other relatively (`root_of` their own path, then the
//! target's), so the site works from `file://` and under any base URL.

/// The home page.
pub const HOME: &str = "index.html";

/// How each metric is defined.
pub const METHODOLOGY: &str = "methodology/index.html";

/// What reading the inputs found.
pub const DATA_QUALITY: &str = "data-quality/index.html";

/// The theme's stylesheet (the templates link it as `{{ root }}style.css`).
pub const STYLESHEET: &str = "style.css";

/// Everything of one report: its pages, versions and data files.
pub fn report_folder(id: &str) -> String {
    format!("reports/{id}")
}

/// A report (month, quarter or year): its current version.
pub fn report(id: &str) -> String {
    format!("reports/{id}/index.html")
}

/// Every version of a report, with what changed between them.
pub fn versions(id: &str) -> String {
    format!("reports/{id}/versions/index.html")
}

/// One version of a report, at a path that never changes.
pub fn version(id: &str, version: u32) -> String {
    format!("reports/{id}/v{version}/index.html")
}

/// One department in one report.
pub fn department(id: &str, slug: &str) -> String {
    format!("reports/{id}/departments/{slug}/index.html")
}

/// One department across every report.
pub fn department_history(slug: &str) -> String {
    format!("departments/{slug}/index.html")
}

/// One site (项目) in one report.
pub fn site(id: &str, slug: &str) -> String {
    format!("reports/{id}/sites/{slug}/index.html")
}

/// One site across every report.
pub fn site_history(slug: &str) -> String {
    format!("sites/{slug}/index.html")
}

/// A survey campaign's results.
pub fn survey(slug: &str) -> String {
    format!("surveys/{slug}/index.html")
}

/// A page of the project's own, from `content/<slug>.md`.
pub fn content_page(slug: &str) -> String {
    format!("pages/{slug}/index.html")
}

/// A report's numbers per 回访人: internal, written only under `publish_staff`.
pub fn report_staff(id: &str) -> String {
    format!("reports/{id}/staff/index.html")
}

/// A report's numbers as JSON.
pub fn report_json(id: &str) -> String {
    format!("reports/{id}/metrics.json")
}

/// A report's numbers as CSV, one row per department.
pub fn report_csv(id: &str) -> String {
    format!("reports/{id}/metrics.csv")
}

/// The same, headed by the catalogue's names rather than the site's labels, for scripts.
pub fn report_csv_names(id: &str) -> String {
    format!("reports/{id}/metrics.en.csv")
}

/// A report's action list as CSV: the complaints open at its end or closed late in it.
pub fn report_actions_csv(id: &str) -> String {
    format!("reports/{id}/actions.csv")
}

/// A report's work orders still owed a follow-up, as CSV.
pub fn report_followups_csv(id: &str) -> String {
    format!("reports/{id}/followups.csv")
}

/// A survey campaign's numbers as JSON.
pub fn survey_json(slug: &str) -> String {
    format!("surveys/{slug}/metrics.json")
}

/// `../` once per folder of `path`: what leads from the page at `path` back to the site's
/// folder.
pub fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_leads_back_to_the_site_folder() {
        assert_eq!(root_of(HOME), "");
        assert_eq!(root_of(&report("2026-Q3")), "../../");
        assert_eq!(root_of(&version("2026-11", 2)), "../../../");
        assert_eq!(root_of(&department("2026", "engineering")), "../../../../");
        assert_eq!(root_of(&site("2026-11", "cuihu")), "../../../../");
        assert_eq!(root_of(&site_history("cuihu")), "../../");
    }
}
