//! Templates and static files of the theme. A project's own `templates/` folder overrides
//! any template by name; `theme = "name"` picks `themes/name/`; the default theme is built
//! into the binary so huifang works in a project that has no `themes/` folder.

use crate::config::Project;
use std::path::PathBuf;

/// (name, built-in text) of every template the site renders.
const TEMPLATES: &[(&str, &str)] = &[(
    "index.html",
    include_str!("../../themes/default/templates/index.html"),
)];

/// (path under the site, built-in bytes) of every static file.
pub const STATIC_FILES: &[(&str, &[u8])] = &[(
    "style.css",
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
}

pub struct Theme {
    pub tera: tera::Tera,
    pub static_files: Vec<(String, Vec<u8>)>,
}

impl Theme {
    pub fn load(project: &Project) -> Result<Theme, ThemeError> {
        let name = &project.config.theme;
        let theme_dir = project.root.join("themes").join(name);
        if name != "default" && !theme_dir.is_dir() {
            return Err(ThemeError::NoSuchTheme(name.clone()));
        }
        let override_dir = project.root.join("templates");
        let mut tera = tera::Tera::new();
        for &(template, builtin) in TEMPLATES {
            let candidates = [
                override_dir.join(template),
                theme_dir.join("templates").join(template),
            ];
            let text = match candidates.iter().find(|p| p.is_file()) {
                Some(path) => std::fs::read_to_string(path).map_err(|source| ThemeError::Read {
                    path: path.clone(),
                    source,
                })?,
                None => builtin.to_owned(),
            };
            tera.add_raw_template(template, &text)
                .map_err(|e| ThemeError::Template {
                    name: template.to_owned(),
                    message: e.to_string(),
                })?;
        }
        tera.autoescape_on(vec![".html"]);
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
        Ok(Theme { tera, static_files })
    }
}
