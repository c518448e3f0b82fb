//! The data-quality page: per file, rows read, accepted and rejected, and every problem
//! with its line and reason, in the site's locale (the terminal keeps its English messages).
//! Reasons quote cell values, so they are masked like any other free text before they are
//! published.

use super::{Page, SiteData};
use crate::ingest::Reason;
use crate::privacy::mask;
use crate::site::i18n::Strings;
use crate::site::urls;
use crate::site::view::{Cell, Table};
use serde::Serialize;

/// Problems listed per file on the page; the rest are counted.
const LISTED_PER_FILE: usize = 200;

#[derive(Serialize)]
struct FileProblems {
    path: String,
    table: Table,
    more: Option<String>,
}

pub fn page(data: &SiteData<'_>) -> Page {
    let path = urls::DATA_QUALITY;
    let (t, f) = (data.t, data.fmt);
    let mut c = data.base_context(path, t.get("data_quality"));
    let files = Table {
        label: None,
        caption: None,
        head: [
            "file",
            "encoding",
            "rows_read",
            "accepted",
            "rejected",
            "warnings",
        ]
        .map(|k| t.get(k).to_owned())
        .to_vec(),
        rows: data
            .ingest
            .files
            .iter()
            .map(|file| {
                vec![
                    Cell::text(file.place()),
                    Cell::text(file.encoding),
                    Cell::num(f.int(file.rows_read)),
                    Cell::num(f.int(file.accepted)),
                    Cell::num(f.int(file.rejected)),
                    Cell::num(f.int(file.warnings)),
                ]
            })
            .collect(),
    };
    let problems: Vec<FileProblems> = data
        .ingest
        .files
        .iter()
        .filter(|file| !file.diagnostics.is_empty())
        .map(|file| {
            let rows = file
                .diagnostics
                .iter()
                .take(LISTED_PER_FILE)
                .map(|d| {
                    let kind = match d.impact {
                        crate::ingest::report::Impact::Rejected => {
                            Cell::text(t.get("rejected")).with_class("rejected")
                        }
                        crate::ingest::report::Impact::Warning => {
                            Cell::text(t.get("warnings")).with_class("warning")
                        }
                    };
                    let column = d.column.as_ref().map_or_else(String::new, |c| {
                        f.aside(&file.column_name(c.number), &mask(&c.header))
                    });
                    vec![
                        Cell::num(file.row_of(d.line).to_string()),
                        Cell::text(column),
                        kind,
                        Cell::text(reason(&d.reason, t)),
                    ]
                })
                .collect();
            let listed = file.diagnostics.len().min(LISTED_PER_FILE) as u64;
            let total = file.rejected + file.warnings;
            FileProblems {
                path: file.place(),
                table: Table {
                    label: None,
                    caption: None,
                    head: ["line", "column", "status", "reason"]
                        .map(|k| t.get(k).to_owned())
                        .to_vec(),
                    rows,
                },
                more: (total > listed).then(|| t.with_n("more_problems", total - listed)),
            }
        })
        .collect();
    c.insert("files", &files);
    c.insert("problems", &problems);
    c.insert(
        "after_as_of",
        &(data.after_as_of > 0).then(|| t.with_n("records_after_as_of", data.after_as_of)),
    );
    Page {
        path: path.to_owned(),
        template: "quality.html",
        context: c,
    }
}

/// A problem in the site's words: the string `reason_<key>` with the values it quotes, masked.
fn reason(r: &Reason, t: &Strings) -> String {
    let expected: Vec<String> = r.expected.iter().map(|e| mask(e)).collect();
    let expected = expected.join(t.get("list_separator"));
    let values: Vec<(&str, String)> = r
        .values
        .iter()
        .map(|(name, value)| (*name, mask(value)))
        .collect();
    let mut filled: Vec<(&str, &str)> = values.iter().map(|(n, v)| (*n, v.as_str())).collect();
    filled.push(("expected", &expected));
    let mut text = t.fill(&format!("reason_{}", r.key), &filled);
    if r.left_blank {
        text.push_str(t.get("reason_left_blank"));
    }
    text
}
