//! Lines over periods, e.g. 满意率 by month.

use super::draw::{
    CategoryAxis, Crowding, Legend, Point, baseline, empty_note, line_with_dots, render,
    value_axis, value_axis_width,
};
use super::layout::{MARGIN, PlotBox, Scale, Slots, Ticks, WIDTH};
use super::palette::categorical;
use super::{ChartText, Series};

const HEIGHT: i32 = 360;

/// Lines over periods (x = period labels, e.g. the last 12 months). `None` = gap (no point,
/// line broken). The y axis runs from 0% to 100% when `percent` is true (values are then
/// shares from 0 to 1; others are clamped), else over the data, always including 0. A legend
/// names the series when there is more than one; each value is a dot.
pub fn line_chart(
    text: &ChartText,
    x_labels: &[String],
    series: &[Series],
    percent: bool,
) -> String {
    let periods = x_labels.len();
    let value = |s: &Series, i: usize| {
        s.value(i)
            .map(|v| if percent { v.clamp(0.0, 1.0) } else { v })
    };
    let values: Vec<f64> = series
        .iter()
        .flat_map(|s| (0..periods).filter_map(move |i| value(s, i)))
        .collect();
    let ticks = if percent {
        Ticks::percent()
    } else {
        let lo = values.iter().copied().fold(0.0, f64::min);
        let hi = values.iter().copied().fold(0.0, f64::max);
        Ticks::nice(lo, hi, 5, false)
    };

    let left = value_axis_width(&ticks);
    let right = WIDTH - MARGIN - 8;
    let legend = (series.len() > 1).then(|| {
        let entries: Vec<(&str, _)> = series
            .iter()
            .enumerate()
            .map(|(i, s)| (s.label.as_str(), categorical(i)))
            .collect();
        Legend::plan(&entries, left, right, MARGIN - 4)
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
        for (index, s) in series.iter().enumerate() {
            // Each run of periods with values is one line; a gap breaks it.
            let mut run: Vec<Point> = Vec::new();
            for period in 0..periods {
                match value(s, period) {
                    Some(v) => run.push((slots.centre(period), scale.px(v))),
                    None => {
                        line_with_dots(area, &run, categorical(index))?;
                        run.clear();
                    }
                }
            }
            line_with_dots(area, &run, categorical(index))?;
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
        let svg = line_chart(&text("trend"), &months(4), &s, true);
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
        let svg = line_chart(&text("trend"), &months(7), &[series("全部", &values)], true);
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
        let svg = line_chart(&text("trend"), &months(2), &s, true);
        assert_eq!(count(&svg, "<rect"), 3, "one legend swatch per series");
        assert_eq!(count(&svg, "<polyline"), 1);
        assert_eq!(count(&svg, "<circle"), 3);
        assert!(svg.contains(">秩序维护部</text>"));
        assert!(svg.contains("fill=\"#0072B2\"") && svg.contains("fill=\"#E69F00\""));
    }

    #[test]
    fn counts_get_a_round_axis_from_zero() {
        let s = [series("回访量", &[Some(12.0), Some(47.0), Some(30.0)])];
        let svg = line_chart(&text("visits"), &months(3), &s, false);
        assert!(svg.contains(">0</text>") && svg.contains(">50</text>"));
        assert!(!svg.contains("%</text>"));
    }

    #[test]
    fn all_gaps_or_no_periods_show_the_empty_label() {
        let none = [series("全部", &[None, None, None])];
        for svg in [
            line_chart(&text("trend"), &months(3), &none, true),
            line_chart(&text("trend"), &[], &[], false),
            line_chart(&text("trend"), &months(3), &[], true),
        ] {
            assert!(svg.contains(">暂无数据</text>"));
            assert_eq!(count(&svg, "<polyline"), 0);
            assert_eq!(count(&svg, "<circle"), 0);
        }
    }

    #[test]
    fn all_zero_rates_are_data_not_an_empty_chart() {
        let s = [series("全部", &[Some(0.0), Some(0.0)])];
        let svg = line_chart(&text("trend"), &months(2), &s, true);
        assert!(!svg.contains("暂无数据"));
        assert_eq!(count(&svg, "<circle"), 2);
    }

    #[test]
    fn many_periods_label_every_few_and_always_the_latest() {
        let s = [series("全部", &vec![Some(0.5); 36])];
        let periods = labels((0..36).map(|i| format!("{}-{:02}", 2024 + i / 12, i % 12 + 1)));
        let svg = line_chart(&text("trend"), &periods, &s, true);
        assert!(svg.contains(">2026-12</text>"));
        let shown = periods
            .iter()
            .filter(|p| svg.contains(&format!(">{p}</text>")))
            .count();
        assert!((6..36).contains(&shown), "{shown} labels");
    }
}
