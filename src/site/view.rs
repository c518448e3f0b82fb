//! What templates receive: values already formatted for the locale, so templates only lay
//! them out. Every string here is data and is HTML-escaped by the template engine; only
//! `Figure::svg` and rendered markdown are inserted as markup.

use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub href: String,
    pub label: String,
    pub current: bool,
}

/// A change shown next to a number: ▲ / ▼ / ▬ and the signed change in points.
#[derive(Debug, Clone, Serialize)]
pub struct TrendView {
    pub arrow: &'static str,
    /// `up`, `down` or `flat`, for CSS; not a judgement (fewer complaints going down is good).
    pub class: &'static str,
    pub text: String,
}

/// One headline number. `metric` and `value` let tests and tools read the exact number
/// behind the formatted text (`data-metric`, `data-value` attributes).
#[derive(Debug, Clone, Serialize)]
pub struct Kpi {
    pub metric: &'static str,
    pub label: String,
    pub text: String,
    pub value: String,
    pub detail: Option<String>,
    /// When the number is counted, for numbers not simply over the period's rows.
    pub basis: Option<String>,
    pub trends: Vec<TrendLine>,
    pub target: Option<TargetMark>,
    pub warn: Option<String>,
}

/// A value against its target: met or missed, told by a symbol and words, not colour alone.
#[derive(Debug, Clone, Serialize)]
pub struct TargetMark {
    pub met: bool,
    /// ✓ or ✗.
    pub symbol: &'static str,
    /// `met` or `missed`, for CSS.
    pub class: &'static str,
    /// "目标 85.0%".
    pub text: String,
    /// "达标(目标 85.0%)", for the tooltip and screen readers.
    pub title: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TrendLine {
    pub label: String,
    pub trend: TrendView,
}

#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    pub text: String,
    pub href: Option<String>,
    /// Right-aligned numeric cell.
    pub num: bool,
    pub class: Option<&'static str>,
    pub mark: Option<TargetMark>,
}

impl Cell {
    pub fn text(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            href: None,
            num: false,
            class: None,
            mark: None,
        }
    }

    pub fn num(text: impl Into<String>) -> Cell {
        Cell {
            num: true,
            ..Cell::text(text)
        }
    }

    pub fn link(text: impl Into<String>, href: impl Into<String>) -> Cell {
        Cell {
            href: Some(href.into()),
            ..Cell::text(text)
        }
    }

    pub fn with_class(mut self, class: &'static str) -> Cell {
        self.class = Some(class);
        self
    }

    pub fn with_mark(mut self, mark: Option<TargetMark>) -> Cell {
        self.mark = mark;
        self
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Table {
    /// "表1", set when the table is numbered in a report's outline.
    pub label: Option<String>,
    pub caption: Option<String>,
    pub head: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// A table with the sentences that explain it (what a mark means, when a number is counted),
/// shown under it.
#[derive(Debug, Clone, Serialize)]
pub struct NotedTable {
    pub table: Table,
    pub notes: Vec<String>,
}

/// A chart with its numbers in a table beside it (accessible, printable).
#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    /// "图1", set when the figure is numbered in a report's outline.
    pub label: Option<String>,
    pub id: String,
    pub title: String,
    pub svg: String,
    pub table: Table,
}
