//! Templates, static files and UI strings of the theme. A project's own `templates/` folder
//! overrides any template by name; `theme = "name"` picks `themes/name/`; the default theme
//! is built into the binary, so huifang works in a project that has no `themes/` folder.

use super::i18n::{self, Strings};
use crate::config::Project;
use std::path::{Path, PathBuf};

/// (name, built-in text) of every template.
const TEMPLATES: &[(&str, &str)] = &[
    (
        "base.html",
        include_str!("../../themes/default/templates/base.html"),
    ),
    (
        "home.html",
        include_str!("../../themes/default/templates/home.html"),
    ),
    (
        "report.html",
        include_str!("../../themes/default/templates/report.html"),
    ),
    (
        "department.html",
        include_str!("../../themes/default/templates/department.html"),
    ),
    (
        "site.html",
        include_str!("../../themes/default/templates/site.html"),
    ),
    (
        "history.html",
        include_str!("../../themes/default/templates/history.html"),
    ),
    (
        "quality.html",
        include_str!("../../themes/default/templates/quality.html"),
    ),
    (
        "page.html",
        include_str!("../../themes/default/templates/page.html"),
    ),
    (
        "versions.html",
        include_str!("../../themes/default/templates/versions.html"),
    ),
    (
        "redirect.html",
        include_str!("../../themes/default/templates/redirect.html"),
    ),
    (
        "survey.html",
        include_str!("../../themes/default/templates/survey.html"),
    ),
    (
        "staff.html",
        include_str!("../../themes/default/templates/staff.html"),
    ),
    (
        "partials/table.html",
        include_str!("../../themes/default/templates/partials/table.html"),
    ),
    (
        "partials/kpis.html",
        include_str!("../../themes/default/templates/partials/kpis.html"),
    ),
    (
        "partials/figures.html",
        include_str!("../../themes/default/templates/partials/figures.html"),
    ),
    (
        "partials/downloads.html",
        include_str!("../../themes/default/templates/partials/downloads.html"),
    ),
    (
        "partials/actions.html",
        include_str!("../../themes/default/templates/partials/actions.html"),
    ),
];

/// (path under the site, built-in bytes) of every static file.
const STATIC_FILES: &[(&str, &[u8])] = &[(
    super::urls::STYLESHEET,
    include_bytes!("../../themes/default/static/style.css"),
)];

#[derive(Debug, thiserror::Error)]
pub enum ThemeError {
    #[error("theme `{0}`: no such folder under themes/")]
    NoSuchTheme(String),
    #[error("{path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("template {name}: {message}")]
    Template { name: String, message: String },
    #[error("{0}")]
    Strings(String),
}

pub struct Theme {
    pub tera: tera::Tera,
    pub static_files: Vec<(String, Vec<u8>)>,
    pub strings: Strings,
}

fn read(path: &Path) -> Result<String, ThemeError> {
    std::fs::read_to_string(path).map_err(|source| ThemeError::Read {
        path: path.to_owned(),
        source,
    })
}

impl Theme {
    pub fn load(project: &Project) -> Result<Theme, ThemeError> {
        let name = &project.config.theme;
        let theme_dir = project.root.join("themes").join(name);
        if name != "default" && !theme_dir.is_dir() {
            return Err(ThemeError::NoSuchTheme(name.clone()));
        }
        let override_dir = project.root.join("templates");
        let mut templates = Vec::new();
        for &(template, builtin) in TEMPLATES {
            let candidates = [
                override_dir.join(template),
                theme_dir.join("templates").join(template),
            ];
            let text = match candidates.iter().find(|p| p.is_file()) {
                Some(path) => read(path)?,
                None => builtin.to_owned(),
            };
            templates.push((template, text));
        }
        let mut tera = tera::Tera::new();
        tera.autoescape_on(vec![".html"]);
        tera.add_raw_templates(templates.iter().map(|(n, t)| (*n, t.as_str())))
            .map_err(|e| ThemeError::Template {
                name: "theme".to_owned(),
                message: e.to_string(),
            })?;

        let mut static_files = Vec::new();
        for &(file, builtin) in STATIC_FILES {
            let path = theme_dir.join("static").join(file);
            let bytes = if path.is_file() {
                std::fs::read(&path).map_err(|source| ThemeError::Read { path, source })?
            } else {
                builtin.to_vec()
            };
            static_files.push((file.to_owned(), bytes));
        }

        let code = i18n::locale_code(project.config.locale);
        let path = theme_dir.join("i18n").join(format!("{code}.toml"));
        let table = if path.is_file() {
            Some(read(&path)?)
        } else {
            None
        };
        let file = path.display().to_string();
        let strings = Strings::load(
            project.config.locale,
            table.as_deref().map(|text| (file.as_str(), text)),
        )
        .map_err(ThemeError::Strings)?;
        Ok(Theme {
            tera,
            static_files,
            strings,
        })
    }
}
