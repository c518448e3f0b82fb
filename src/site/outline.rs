//! A report as a document to hand in: a cover, then numbered parts in the order of a Chinese
//! 满意度回访报告 (一、回访概况 二、总体满意度 三、各部门情况 四、投诉与整改 五、结论与建议),
//! each a run of blocks, with tables and figures numbered through the document (表1, 图1).
//!
//! The report page lays the outline out in HTML (and so its print and PDF), and the Word
//! export writes the same outline as a `.docx`: one outline, so the formats cannot drift.

use super::view::{Figure, Kpi, NotedTable};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Outline {
    pub cover: Cover,
    pub parts: Vec<Part>,
}

/// What a cover says: who reports, on what, as of when, and which version.
#[derive(Debug, Clone, Serialize)]
pub struct Cover {
    /// The `organisation` of the config, when set.
    pub organisation: Option<String>,
    /// The site's title ("翠湖物业 客户回访报告").
    pub site_title: String,
    /// The report's own title ("2026年第三季度").
    pub title: String,
    /// The commentary's title, when its front matter gives one.
    pub subtitle: Option<String>,
    /// "2026年7月1日 – 2026年9月30日".
    pub period: String,
    pub as_of: String,
    pub version: Option<u32>,
}

/// One numbered part.
#[derive(Debug, Clone, Serialize)]
pub struct Part {
    /// `overview`, `satisfaction`, `departments`, `complaints` or `conclusions`: the HTML
    /// anchor (`part-…`) and CSS class.
    pub id: &'static str,
    /// "一、回访概况" or "1. Visits".
    pub heading: String,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Block {
    /// The headline numbers.
    Kpis { kpis: Vec<Kpi> },
    /// A numbered table (its `label`), with the sentences that explain it.
    Table(NotedTable),
    /// Small tables shown side by side on screen, each numbered.
    Tables { tables: Vec<NotedTable> },
    /// A numbered chart with the table of its numbers.
    Figure(Figure),
    /// The action list and the weekly table, where the page has them: they are drawn from the
    /// visit rows, so only a build has them, not an export from the snapshots.
    Actions,
    /// The commentary of `content/reports/<id>.md`: `html` with its headings one level under
    /// the part's, and the same text as markdown with every metric filled in.
    Prose { html: String, markdown: String },
    /// A sentence standing alone (a part with nothing to show says why).
    Note { text: String },
}

impl Cover {
    /// The running header of a printed page, as a quoted CSS string for an `@page` margin
    /// box: the site's title and the report's, every character that could end the string or
    /// the `<style>` element escaped.
    pub fn running_head(&self) -> String {
        let text = format!("{} · {}", self.site_title, self.title);
        let mut css = String::with_capacity(text.len() + 2);
        css.push('"');
        for c in text.chars() {
            if matches!(c, '"' | '\\' | '<' | '>' | '&') || c.is_control() {
                css.push_str(&format!("\\{:x} ", u32::from(c)));
            } else {
                css.push(c);
            }
        }
        css.push('"');
        css
    }
}

/// Numbers tables and figures in the order they appear, through all parts, with labels made
/// by `table` and `figure` from the number ("表1", "图1").
pub fn number(
    parts: &mut [Part],
    table: impl Fn(usize) -> String,
    figure: impl Fn(usize) -> String,
) {
    let (mut tables, mut figures) = (0, 0);
    let mut next_table = |t: &mut NotedTable| {
        tables += 1;
        t.table.label = Some(table(tables));
    };
    for block in parts.iter_mut().flat_map(|p| p.blocks.iter_mut()) {
        match block {
            Block::Table(t) => next_table(t),
            Block::Tables { tables } => tables.iter_mut().for_each(&mut next_table),
            Block::Figure(f) => {
                figures += 1;
                f.label = Some(figure(figures));
            }
            Block::Kpis { .. } | Block::Actions | Block::Prose { .. } | Block::Note { .. } => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::view::Table;

    fn table(caption: &str) -> NotedTable {
        NotedTable {
            table: Table {
                label: None,
                caption: Some(caption.to_owned()),
                head: Vec::new(),
                rows: Vec::new(),
            },
            notes: Vec::new(),
        }
    }

    fn figure(id: &str) -> Block {
        Block::Figure(Figure {
            label: None,
            id: id.to_owned(),
            title: id.to_owned(),
            svg: String::new(),
            table: table("").table,
        })
    }

    #[test]
    fn the_running_head_cannot_leave_its_string_or_the_style_element() {
        let cover = Cover {
            organisation: None,
            site_title: "A\"B\\C</style>".to_owned(),
            title: "2026年\n第三季度".to_owned(),
            subtitle: None,
            period: String::new(),
            as_of: String::new(),
            version: None,
        };
        assert_eq!(
            cover.running_head(),
            "\"A\\22 B\\5c C\\3c /style\\3e  · 2026年\\a 第三季度\""
        );
    }

    #[test]
    fn tables_and_figures_are_numbered_apart_through_all_parts() {
        let mut parts = vec![
            Part {
                id: "overview",
                heading: "一".to_owned(),
                blocks: vec![Block::Tables {
                    tables: vec![table("a"), table("b")],
                }],
            },
            Part {
                id: "satisfaction",
                heading: "二".to_owned(),
                blocks: vec![figure("x"), Block::Table(table("c")), figure("y")],
            },
        ];
        number(&mut parts, |n| format!("表{n}"), |n| format!("图{n}"));
        let labels: Vec<String> = parts
            .iter()
            .flat_map(|p| &p.blocks)
            .flat_map(|b| match b {
                Block::Tables { tables } => tables.iter().map(|t| t.table.label.clone()).collect(),
                Block::Table(t) => vec![t.table.label.clone()],
                Block::Figure(f) => vec![f.label.clone()],
                _ => Vec::new(),
            })
            .map(Option::unwrap)
            .collect();
        assert_eq!(labels, ["表1", "表2", "图1", "表3", "图2"]);
    }
}
