//! Lines over periods, e.g. 满意率 by month.

use super::draw::{
    self, Anchor, CategoryAxis, Crowding, Font, Legend, Point, baseline, empty_note, hollow_dots,
    line_with_dots, render, rule, value_axis, value_axis_width,
};
use super::layout::{MARGIN, PlotBox, Scale, Slots, TICK_FONT, Ticks, WIDTH};
use super::palette::{GUIDE, TEXT, categorical};
use super::{ChartText, Series};

const HEIGHT: i32 = 360;

/// What a line chart marks besides its lines.
#[derive(Clone, Copy, Debug, Default)]
pub struct LineMarks<'a> {
    /// A value to reach and its label (e.g. `目标 85%`), drawn as a dashed line across the
    /// plot; the axis always takes it in.
    pub target: Option<(f64, &'a str)>,
    /// Per series, per period: `true` draws the point as a ring (e.g. a 满意率 from fewer
    /// answers than the minimum sample). Missing entries are `false`.
    pub hollow: &'a [Vec<bool>],
    /// The legend entry that explains the rings, shown when a ring is drawn.
    pub hollow_label: &'a str,
}

/// Lines over periods (x = period labels, e.g. the last 12 months). `None` = gap (no point,
/// line broken). When `percent` is true the values are shares from 0 to 1 (others are clamped)
/// and the y axis is fitted to them and the target (see [`Ticks::fitted_percent`]), so a
/// 79–88% series is not flattened onto 0–100%; otherwise it runs over the data, always
/// including 0. A legend names the series when there is more than one, and the rings when
/// there are some; each value is a dot.
pub fn line_chart(
    text: &ChartText,
    x_labels: &[String],
    series: &[Series],
    percent: bool,
    marks: &LineMarks,
) -> String {
    let periods = x_labels.len();
    let value = |s: &Series, i: usize| {
        s.value(i)
            .map(|v| if percent { v.clamp(0.0, 1.0) } else { v })
    };
    let hollow = |s: usize, i: usize| {
        marks
            .hollow
            .get(s)
            .and_then(|h| h.get(i))
            .copied()
            .unwrap_or(false)
    };
    let values: Vec<f64> = series
        .iter()
        .flat_map(|s| (0..periods).filter_map(move |i| value(s, i)))
        .collect();
    let target = marks.target.filter(|(t, _)| t.is_finite());
    let ticks = {
        let mut span = values.iter().copied().chain(target.map(|(t, _)| t));
        let first = span.next();
        let (lo, hi) = span.fold((first, first), |(lo, hi), v| {
            (lo.map(|l: f64| l.min(v)), hi.map(|h: f64| h.max(v)))
        });
        match (percent, lo, hi) {
            (true, Some(lo), Some(hi)) => Ticks::fitted_percent(lo, hi),
            (true, _, _) => Ticks::percent(),
            (false, lo, hi) => Ticks::nice(
                lo.unwrap_or(0.0).min(0.0),
                hi.unwrap_or(0.0).max(0.0),
                5,
                false,
            ),
        }
    };
    let rings = series
        .iter()
        .enumerate()
        .any(|(s, line)| (0..periods).any(|i| hollow(s, i) && value(line, i).is_some()));

    let left = value_axis_width(&ticks);
    let right = WIDTH - MARGIN - 8;
    let mut entries: Vec<(&str, _)> = Vec::new();
    if series.len() > 1 {
        entries.extend(
            series
                .iter()
                .enumerate()
                .map(|(i, s)| (s.label.as_str(), categorical(i))),
        );
    }
    if rings {
        entries.push((marks.hollow_label, TEXT));
    }
    let legend = (!entries.is_empty()).then(|| {
        let legend = Legend::plan(&entries, left, right, MARGIN - 4);
        if rings { legend.ring_last() } else { legend }
    });
    let top = legend
        .as_ref()
        .map_or(MARGIN, |l| MARGIN - 4 + l.height + 8);
    let slots = Slots::new(left, right, periods);
    let axis = CategoryAxis::plan(x_labels, slots.width(), Crowding::Thin);
    let plot = PlotBox {
        left,
        top,
        right,
        bottom: HEIGHT - axis.height,
    };
    let scale = Scale::new(ticks.domain(), (plot.bottom, plot.top));

    render(text, "line", (WIDTH, HEIGHT), |area| {
        value_axis(area, &plot, &scale, &ticks)?;
        baseline(area, &plot)?;
        axis.draw(area, &plot, &slots)?;
        if let Some(legend) = &legend {
            legend.draw(area)?;
        }
        if values.is_empty() {
            return empty_note(area, &plot, text.empty_label);
        }
        if let Some((target, label)) = target {
            let y = scale.px(target);
            rule(area, (plot.left, y), (plot.right, y), GUIDE)?;
            let font = Font {
                size: TICK_FONT,
                colour: GUIDE,
            };
            draw::text(area, label, (plot.right, y - 8), font, Anchor::Before)?;
        }
        for (index, s) in series.iter().enumerate() {
            let colour = categorical(index);
            // Each run of periods with values is one line; a gap breaks it.
            let mut run: Vec<Point> = Vec::new();
            let mut rings: Vec<Point> = Vec::new();
            for period in 0..periods {
                match value(s, period) {
                    Some(v) => {
                        let point = (slots.centre(period), scale.px(v));
                        run.push(point);
                        if hollow(index, period) {
                            rings.push(point);
                        }
                    }
                    None => {
                        line_with_dots(area, &run, colour)?;
                        run.clear();
                    }
                }
            }
            line_with_dots(area, &run, colour)?;
            hollow_dots(area, &rings, colour)?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{count, labels, text};
    use super::*;

    fn months(n: usize) -> Vec<String> {
        labels((1..=n).map(|m| format!("2026-{m:02}")))
    }

    fn series(label: &str, values: &[Option<f64>]) -> Series {
        Series {
            label: label.to_owned(),
            values: values.to_vec(),
        }
    }

    #[test]
    fn one_series_is_one_line_with_a_dot_per_value_and_no_legend() {
        let s = [series(
            "全部",
            &[Some(0.9), Some(0.85), Some(0.95), Some(0.8)],
        )];
        let svg = line_chart(&text("trend"), &months(4), &s, true, &LineMarks::default());
        assert_eq!(count(&svg, "<polyline"), 1);
        assert_eq!(count(&svg, "<circle"), 4);
        assert_eq!(count(&svg, "<rect"), 0, "no legend for a single series");
        assert!(svg.contains(">100%</text>"));
        assert!(svg.contains(">2026-04</text>"));
    }

    #[test]
    fn a_gap_breaks_the_line_and_leaves_no_dot() {
        // Runs: periods 1–2, period 4 alone, periods 6–7.
        let values = [
            Some(0.5),
            Some(0.6),
            None,
            Some(0.7),
            None,
            Some(0.4),
            Some(0.5),
        ];
        let svg = line_chart(
            &text("trend"),
            &months(7),
            &[series("全部", &values)],
            true,
            &LineMarks::default(),
        );
        assert_eq!(count(&svg, "<polyline"), 2);
        assert_eq!(count(&svg, "<circle"), 5);
    }

    #[test]
    fn several_series_get_a_legend_with_their_names_and_colours() {
        let s = [
            series("秩序维护部", &[Some(0.9), Some(0.8)]),
            series("保洁部", &[Some(0.7), None]),
            series("工程部", &[None, None]),
        ];
        let svg = line_chart(&text("trend"), &months(2), &s, true, &LineMarks::default());
        assert_eq!(count(&svg, "<rect"), 3, "one legend swatch per series");
        assert_eq!(count(&svg, "<polyline"), 1);
        assert_eq!(count(&svg, "<circle"), 3);
        assert!(svg.contains(">秩序维护部</text>"));
        assert!(svg.contains("fill=\"#0072B2\"") && svg.contains("fill=\"#E69F00\""));
    }

    #[test]
    fn counts_get_a_round_axis_from_zero() {
        let s = [series("回访量", &[Some(12.0), Some(47.0), Some(30.0)])];
        let svg = line_chart(
            &text("visits"),
            &months(3),
            &s,
            false,
            &LineMarks::default(),
        );
        assert!(svg.contains(">0</text>") && svg.contains(">50</text>"));
        assert!(!svg.contains("%</text>"));
    }

    #[test]
    fn all_gaps_or_no_periods_show_the_empty_label() {
        let none = [series("全部", &[None, None, None])];
        for svg in [
            line_chart(
                &text("trend"),
                &months(3),
                &none,
                true,
                &LineMarks::default(),
            ),
            line_chart(&text("trend"), &[], &[], false, &LineMarks::default()),
            line_chart(&text("trend"), &months(3), &[], true, &LineMarks::default()),
        ] {
            assert!(svg.contains(">暂无数据</text>"));
            assert_eq!(count(&svg, "<polyline"), 0);
            assert_eq!(count(&svg, "<circle"), 0);
        }
    }

    #[test]
    fn all_zero_rates_are_data_not_an_empty_chart() {
        let s = [series("全部", &[Some(0.0), Some(0.0)])];
        let svg = line_chart(&text("trend"), &months(2), &s, true, &LineMarks::default());
        assert!(!svg.contains("暂无数据"));
        assert_eq!(count(&svg, "<circle"), 2);
    }

    #[test]
    fn many_periods_label_every_few_and_always_the_latest() {
        let s = [series("全部", &vec![Some(0.5); 36])];
        let periods = labels((0..36).map(|i| format!("{}-{:02}", 2024 + i / 12, i % 12 + 1)));
        let svg = line_chart(&text("trend"), &periods, &s, true, &LineMarks::default());
        assert!(svg.contains(">2026-12</text>"));
        let shown = periods
            .iter()
            .filter(|p| svg.contains(&format!(">{p}</text>")))
            .count();
        assert!((6..36).contains(&shown), "{shown} labels");
    }

    #[test]
    fn a_rate_series_gets_an_axis_fitted_to_it_and_the_dashed_target_line() {
        let s = [series("全部", &[Some(0.79), Some(0.88), Some(0.83)])];
        let marks = LineMarks {
            target: Some((0.85, "目标 85%")),
            ..LineMarks::default()
        };
        let svg = line_chart(&text("trend"), &months(3), &s, true, &marks);
        // 79–88% padded to 78–89% takes 75–90% in steps of 5 (see Ticks::fitted_percent).
        for tick in ["75%", "80%", "85%", "90%"] {
            assert!(svg.contains(&format!(">{tick}</text>")), "{tick}");
        }
        assert!(!svg.contains(">0%</text>") && !svg.contains(">100%</text>"));
        assert!(svg.contains(">目标 85%</text>"));
        assert_eq!(
            count(&svg, "stroke-dasharray"),
            1,
            "the target line alone is dashed"
        );

        let without = line_chart(&text("trend"), &months(3), &s, true, &LineMarks::default());
        assert!(!without.contains("stroke-dasharray") && !without.contains("目标"));
    }

    #[test]
    fn a_target_outside_the_data_widens_the_axis_to_show_it() {
        let s = [series("全部", &[Some(0.70), Some(0.72)])];
        let marks = LineMarks {
            target: Some((0.90, "目标 90%")),
            ..LineMarks::default()
        };
        let svg = line_chart(&text("trend"), &months(2), &s, true, &marks);
        // 70–90% padded by 2 points: 68–92%, steps of 5: 65% to 95%.
        assert!(svg.contains(">65%</text>") && svg.contains(">95%</text>"));
    }

    #[test]
    fn low_sample_points_are_rings_explained_in_the_legend() {
        let s = [series("全部", &[Some(0.9), Some(0.8), None])];
        let hollow = [vec![false, true, true]];
        let marks = LineMarks {
            hollow: &hollow,
            hollow_label: "样本不足",
            ..LineMarks::default()
        };
        let svg = line_chart(&text("trend"), &months(3), &s, true, &marks);
        // Two dots; the second has a ring (white disc and outline); the third is a gap.
        // The legend's key is one more ring.
        assert_eq!(count(&svg, "<circle"), 2 + 2 + 2);
        assert_eq!(count(&svg, "fill=\"#FFFFFF\""), 2);
        assert!(svg.contains(">样本不足</text>"));

        let none = line_chart(&text("trend"), &months(3), &s, true, &LineMarks::default());
        assert!(!none.contains("样本不足") && !none.contains("#FFFFFF"));
    }
}
