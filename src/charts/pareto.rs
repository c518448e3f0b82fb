//! Complaints by category, largest first, with the running share they add up to.

use super::ChartText;
use super::columns::Columns;
use super::draw::{Point, line_with_dots, render, right_value_axis, rule, value_axis_width};
use super::layout::{MARGIN, Scale, Ticks, WIDTH};
use super::palette::{ACCENT, GUIDE};

/// The share most complaints fall within: the "vital few" of a Pareto chart.
const GUIDE_SHARE: f64 = 0.8;

/// Pareto: vertical bars of `counts` in the given order (already sorted, largest first) plus
/// a line with dots of the cumulative share (0..=1) on a percent axis at the right, and a
/// dashed line at 80%. Long category names are slanted, and cut short with `…` past 120 px.
pub fn pareto(
    text: &ChartText,
    categories: &[String],
    counts: &[u64],
    cumulative_share: &[f64],
) -> String {
    let percent = Ticks::percent();
    let columns = Columns::plan(categories, counts, value_axis_width(&percent) - MARGIN);
    let plot = columns.plot;
    let share = Scale::new(percent.domain(), (plot.bottom, plot.top));
    let cumulative: Vec<Point> = (0..categories.len())
        .filter_map(|i| {
            let value = cumulative_share.get(i).copied().filter(|v| v.is_finite())?;
            Some((columns.slots.centre(i), share.px(value.clamp(0.0, 1.0))))
        })
        .collect();

    render(text, "pareto", (WIDTH, columns.height), |area| {
        columns.draw(area, text.empty_label)?;
        right_value_axis(area, &plot, &share, &percent)?;
        if columns.is_empty() {
            return Ok(());
        }
        let guide = share.px(GUIDE_SHARE);
        rule(area, (plot.left, guide), (plot.right, guide), GUIDE)?;
        line_with_dots(area, &cumulative, ACCENT)
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{assert_sound, count, labels, text};
    use super::*;

    #[test]
    fn bars_per_category_a_cumulative_line_and_the_80_percent_guide() {
        let categories = labels(["垃圾清运不及时", "噪音扰民", "电梯故障"]);
        // 6 + 3 + 1 = 10 complaints: 60%, 90%, 100%.
        let svg = pareto(&text("pareto"), &categories, &[6, 3, 1], &[0.6, 0.9, 1.0]);
        assert_sound(&svg, "pareto");
        assert_eq!(count(&svg, "<rect"), 3);
        assert_eq!(count(&svg, "<polyline"), 1);
        assert_eq!(count(&svg, "<circle"), 3);
        assert_eq!(count(&svg, "stroke-dasharray"), 1);
        assert!(svg.contains(">垃圾清运不及时</text>"));
        assert!(svg.contains(">80%</text>") && svg.contains(">100%</text>"));
    }

    #[test]
    fn fifteen_long_categories_are_slanted_and_cut_short() {
        let names = [
            "垃圾清运不及时",
            "公共区域照明损坏需要及时维修更换",
            "噪音扰民",
            "电梯故障",
            "停车位被占用",
            "绿化养护不到位",
            "楼道堆放杂物",
            "门禁系统失灵",
            "快递丢失",
            "水管漏水",
            "物业费收费争议",
            "宠物管理",
            "外墙渗水",
            "消防通道堵塞",
            "其他",
        ];
        let counts: Vec<u64> = (1..=15).rev().collect();
        let total: u64 = counts.iter().sum();
        let cumulative: Vec<f64> = counts
            .iter()
            .scan(0, |sum, &c| {
                *sum += c;
                Some(*sum as f64 / total as f64)
            })
            .collect();
        let svg = pareto(&text("pareto"), &labels(names), &counts, &cumulative);
        assert_sound(&svg, "pareto");
        assert_eq!(count(&svg, "<rect"), 15);
        assert_eq!(count(&svg, "<circle"), 15);
        assert_eq!(count(&svg, "transform=\"rotate(-45, "), 15);
        assert!(svg.contains(">垃圾清运不及时</text>"));
        assert!(svg.contains(">公共区域照明损坏需…</text>"));
        assert!(svg.len() < 12_000, "{} bytes", svg.len());
    }

    #[test]
    fn no_categories_or_no_complaints_show_the_empty_label() {
        for svg in [
            pareto(&text("pareto"), &[], &[], &[]),
            pareto(&text("pareto"), &labels(["噪音扰民"]), &[0], &[f64::NAN]),
        ] {
            assert_sound(&svg, "pareto");
            assert!(svg.contains(">暂无数据</text>"));
            assert_eq!(
                count(&svg, "<rect") + count(&svg, "<polyline") + count(&svg, "<circle"),
                0
            );
        }
    }

    #[test]
    fn a_missing_share_leaves_out_its_dot() {
        let svg = pareto(
            &text("pareto"),
            &labels(["a", "b", "c"]),
            &[5, 3, 2],
            &[0.5, 0.8],
        );
        assert_eq!(count(&svg, "<rect"), 3);
        assert_eq!(count(&svg, "<circle"), 2);
    }
}
