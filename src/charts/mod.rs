//! Inline SVG charts for the report pages.
//!
//! Each function draws with plotters' [`SVGBackend`](plotters::prelude::SVGBackend) into a
//! `String` and returns one complete `<svg>…</svg>` element, ready to paste into a page: it
//! scales with its container (a `viewBox` and `width="100%"`), names itself for screen readers
//! (`<title>` and `<desc>`), sets a CJK-capable font stack once on the root and needs no script,
//! stylesheet or font file. The same input always gives the same bytes.
//!
//! The charts draw no heading of their own: the page shows the figure's title, and the table of
//! numbers beside it carries the full labels that a chart may have to shorten with `…`.
//!
//! Colours come from the Okabe–Ito palette, which reads under the common colour-vision
//! deficiencies. A colour that means something means it on every chart: satisfaction levels take
//! one diverging scale from blue (satisfied) through grey to vermillion (worst), so their order
//! reads from lightness as well as hue; a rectification status takes its colour from its role
//! and its place in the config (closed green, open warm, unresolvable grey), not from the other
//! statuses beside it. Every colour comes with a legend label, and bars with their counts.

mod columns;
mod draw;
mod histogram;
mod layout;
mod line;
mod palette;
mod pareto;
mod share_bars;
mod svg;

pub use histogram::{histogram, level_histogram};
pub use line::{LineMarks, line_chart};
pub use palette::StatusRole;
pub use pareto::pareto;
pub use share_bars::{level_share_bars, stacked_share_bars, status_share_bars};

/// Text shared by every chart.
#[derive(Clone, Copy, Debug)]
pub struct ChartText<'a> {
    /// A `[a-z0-9-]` id unique on the page; the chart's own ids start with it.
    pub id: &'a str,
    /// What the chart shows, for screen readers (the page draws the visible heading).
    pub title: &'a str,
    /// A sentence on how to read the chart, for screen readers.
    pub desc: &'a str,
    /// Shown in the middle of a chart that has nothing to draw, e.g. `暂无数据`.
    pub empty_label: &'a str,
}

/// One named row of values, e.g. the 满意率 of one department over the periods.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub label: String,
    /// One value per category or period; `None` where there is none.
    pub values: Vec<Option<f64>>,
}

impl Series {
    /// The value at `index` when there is a finite one.
    fn value(&self, index: usize) -> Option<f64> {
        self.values
            .get(index)
            .copied()
            .flatten()
            .filter(|v| v.is_finite())
    }
}

#[cfg(test)]
mod test_support;

#[cfg(test)]
mod tests {
    use super::test_support::{assert_sound, labels};
    use super::*;

    /// One of each chart, titled and described with text that needs escaping.
    fn every_chart(title: &str) -> Vec<String> {
        let text = ChartText {
            id: "fig-3",
            title,
            desc: "A & B <b>",
            empty_label: "暂无数据",
        };
        let departments = labels(["秩序维护部", "保洁部"]);
        let shares = [Series {
            label: "满意".to_owned(),
            values: vec![Some(3.0), Some(1.0)],
        }];
        let rates: Vec<Series> = departments
            .iter()
            .map(|d| Series {
                label: d.clone(),
                values: vec![Some(0.9), None],
            })
            .collect();
        vec![
            line_chart(
                &text,
                &labels(["2026-10", "2026-11"]),
                &rates,
                true,
                &LineMarks::default(),
            ),
            stacked_share_bars(&text, &departments, &shares),
            level_share_bars(&text, &departments, &shares, &[true]),
            status_share_bars(&text, &departments, &shares, &[StatusRole::Closed(0)]),
            pareto(&text, &departments, &[3, 1], &[0.75, 1.0]),
            histogram(&text, &departments, &[3, 1]),
        ]
    }

    #[test]
    fn every_chart_is_one_labelled_svg_with_its_title_escaped() {
        for svg in every_chart("<script>alert(1)</script> & 回访") {
            assert_sound(&svg, "fig-3");
            assert!(svg.contains(
                "<title id=\"fig-3-title\">&lt;script&gt;alert(1)&lt;/script&gt; &amp; 回访</title>"
            ));
            assert!(svg.contains("<desc id=\"fig-3-desc\">A &amp; B &lt;b&gt;</desc>"));
            assert!(!svg.contains("<script"));
        }
    }

    #[test]
    fn every_chart_scales_and_sets_the_cjk_font_stack_once() {
        for svg in every_chart("t") {
            let root = &svg[..svg.find('>').unwrap_or_default()];
            assert!(root.contains(" width=\"100%\"") && !root.contains("height="));
            assert!(root.contains("font-family=\"PingFang SC, Hiragino Sans GB, Microsoft YaHei, Noto Sans CJK SC, sans-serif\""));
            assert_eq!(svg.matches("font-family").count(), 1);
            assert!(
                svg.contains(">秩序维护部</text>"),
                "CJK labels are text: {svg}"
            );
        }
    }

    #[test]
    fn the_same_input_gives_the_same_bytes() {
        assert_eq!(every_chart("t"), every_chart("t"));
    }
}
