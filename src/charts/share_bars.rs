//! Horizontal 100%-stacked bars: how each category's total divides, e.g. the satisfaction
//! levels or rectification statuses of each department.

use plotters::style::RGBColor;

use super::draw::{
    self, Anchor, Area, Drawn, Font, LABEL, Legend, TICK, VALUE, empty_note, outline, rect, render,
    rule,
};
use super::layout::{
    LABEL_FONT, MARGIN, PlotBox, Scale, TICK_FONT, Ticks, VALUE_FONT, WIDTH, fit, percent, round,
    text_width,
};
use super::palette::{self, AXIS, GRID, StatusRole, categorical, ink_on};
use super::{ChartText, Series};

/// The widest a category label may be before it is cut short.
const LABEL_MAX: f64 = 160.0;
const ROW: i32 = 28;
const BAR: i32 = 18;

/// Horizontal 100%-stacked bars: one bar per category (e.g. department), segment `i` of
/// category `c` is `segments[i].values[c]` (a count; `None` = 0), and each bar is scaled to its
/// own total, written after it (`n=24`) so a bar of 1 does not pass for one of 24. A bar whose
/// total is 0 is drawn as an empty outline beside its label. A legend lists the segments in
/// order, in the Okabe–Ito colours; segments wide enough are labelled with their percentage.
pub fn stacked_share_bars(text: &ChartText, categories: &[String], segments: &[Series]) -> String {
    let colours: Vec<RGBColor> = (0..segments.len()).map(categorical).collect();
    share_bars(text, categories, segments, &colours)
}

/// [`stacked_share_bars`] for satisfaction levels: `levels` run from best to worst, and
/// `satisfied[i]` says whether level `i` counts as satisfied. They take one diverging scale
/// (blue for the satisfied, grey for a neutral middle, orange to vermillion for the rest), the
/// same on every chart of the site, so the order reads from lightness as well as hue.
pub fn level_share_bars(
    text: &ChartText,
    categories: &[String],
    levels: &[Series],
    satisfied: &[bool],
) -> String {
    share_bars(text, categories, levels, &palette::levels(satisfied))
}

/// [`stacked_share_bars`] for rectification statuses: `roles[i]` is the role of segment `i`,
/// which fixes its colour on every chart (closed statuses green, open ones warm, the
/// unresolvable grey), whichever statuses a report has.
pub fn status_share_bars(
    text: &ChartText,
    categories: &[String],
    statuses: &[Series],
    roles: &[StatusRole],
) -> String {
    let colours: Vec<RGBColor> = roles.iter().map(|&r| palette::status(r)).collect();
    share_bars(text, categories, statuses, &colours)
}

fn share_bars(
    text: &ChartText,
    categories: &[String],
    segments: &[Series],
    colours: &[RGBColor],
) -> String {
    let count = |segment: &Series, category: usize| {
        segment.value(category).filter(|&v| v > 0.0).unwrap_or(0.0)
    };
    let totals: Vec<f64> = (0..categories.len())
        .map(|c| segments.iter().map(|s| count(s, c)).sum())
        .collect();
    let empty = totals.iter().all(|&t| t <= 0.0);

    let names: Vec<String> = categories
        .iter()
        .map(|c| fit(c, LABEL_MAX, LABEL_FONT))
        .collect();
    let widest = names
        .iter()
        .map(|n| text_width(n, LABEL_FONT))
        .fold(0.0, f64::max);
    let left = MARGIN + round(widest) + 8;
    let counts: Vec<String> = totals.iter().map(|&t| format!("n={t}")).collect();
    let widest_count = counts
        .iter()
        .map(|n| text_width(n, VALUE_FONT))
        .fold(0.0, f64::max);
    let right = WIDTH - MARGIN - round(widest_count) - 8;
    let entries: Vec<(&str, RGBColor)> = segments
        .iter()
        .map(|s| s.label.as_str())
        .zip(colours.iter().copied())
        .collect();
    let legend = Legend::plan(&entries, left, right, MARGIN - 4);
    let top = MARGIN - 4 + legend.height + 8;
    // With no categories, room for the empty note.
    let rows = i32::try_from(categories.len().max(2)).unwrap_or(i32::MAX / ROW);
    let plot = PlotBox {
        left,
        top,
        right,
        bottom: top + rows * ROW,
    };
    let height = plot.bottom + 6 + round(TICK_FONT) + MARGIN;
    let scale = Scale::new((0.0, 1.0), (plot.left, plot.right));
    let ticks = Ticks::quarters();

    render(text, "share-bars", (WIDTH, height), |area| {
        for &share in &ticks.values {
            let x = scale.px(share);
            rule(
                area,
                (x, plot.top),
                (x, plot.bottom),
                if share == 0.0 { AXIS } else { GRID },
            )?;
            draw::text(
                area,
                &ticks.label(share),
                (x, plot.bottom + 6),
                TICK,
                Anchor::Below,
            )?;
        }
        legend.draw(area)?;
        for (category, name) in names.iter().enumerate() {
            let row_top = plot.top + i32::try_from(category).unwrap_or(0) * ROW + (ROW - BAR) / 2;
            let middle = row_top + BAR / 2;
            draw::text(area, name, (plot.left - 8, middle), LABEL, Anchor::Before)?;
            let total = totals[category];
            draw::text(
                area,
                &counts[category],
                (plot.right + 6, middle),
                VALUE,
                Anchor::After,
            )?;
            if total <= 0.0 {
                outline(
                    area,
                    (plot.left, row_top),
                    (plot.right, row_top + BAR),
                    AXIS,
                )?;
                continue;
            }
            let pieces = segments
                .iter()
                .zip(colours)
                .map(|(segment, &colour)| (count(segment, category) / total, colour));
            draw_bar(area, &scale, row_top, pieces)?;
        }
        if empty {
            empty_note(area, &plot, text.empty_label)
        } else {
            Ok(())
        }
    })
}

/// One bar from `row_top` down: its pieces left to right, each labelled with its percentage
/// where that fits.
fn draw_bar(
    area: &Area,
    scale: &Scale,
    row_top: i32,
    pieces: impl Iterator<Item = (f64, RGBColor)>,
) -> Drawn {
    let (right, middle) = (scale.px(1.0), row_top + BAR / 2);
    let mut before = 0.0;
    for (share, colour) in pieces {
        let (x0, x1) = (scale.px(before), scale.px(before + share));
        before += share;
        if x1 <= x0 {
            continue;
        }
        // A pixel of gap parts neighbours whose colours are hard to tell apart.
        let gap = i32::from(x1 - x0 > 2 && x1 < right);
        rect(area, (x0, row_top), (x1 - gap, row_top + BAR), colour)?;
        let label = percent(share);
        if text_width(&label, VALUE_FONT) + 6.0 <= f64::from(x1 - x0) {
            let ink = Font {
                colour: ink_on(colour),
                ..VALUE
            };
            draw::text(area, &label, ((x0 + x1) / 2, middle), ink, Anchor::Centre)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{assert_sound, count, labels, text};
    use super::*;

    fn segment(label: &str, values: &[Option<f64>]) -> Series {
        Series {
            label: label.to_owned(),
            values: values.to_vec(),
        }
    }

    /// The default scale: 非常满意 and 满意 count as satisfied.
    const FIVE: [bool; 5] = [true, true, false, false, false];

    fn levels() -> Vec<Series> {
        // Two departments: 秩序维护部 answered 6/3/1/0/0, 保洁部 0/2/0/1/1.
        vec![
            segment("非常满意", &[Some(6.0), Some(0.0)]),
            segment("满意", &[Some(3.0), Some(2.0)]),
            segment("一般", &[Some(1.0), None]),
            segment("不满意", &[Some(0.0), Some(1.0)]),
            segment("非常不满意", &[None, Some(1.0)]),
        ]
    }

    #[test]
    fn each_nonzero_segment_is_a_bar_piece_after_one_swatch_per_segment() {
        let departments = labels(["秩序维护部", "保洁部"]);
        let svg = level_share_bars(&text("levels"), &departments, &levels(), &FIVE);
        assert_sound(&svg, "levels");
        // 5 legend swatches + 3 pieces for 秩序维护部 + 3 for 保洁部.
        assert_eq!(count(&svg, "<rect"), 5 + 3 + 3);
        assert!(svg.contains(">秩序维护部</text>") && svg.contains(">非常不满意</text>"));
        // 6 of 10 is 60%; 2 of 4 is 50%.
        assert!(svg.contains(">60%</text>") && svg.contains(">50%</text>"));
        // Each bar says how many it divides: 6+3+1 and 2+1+1.
        assert!(svg.contains(">n=10</text>") && svg.contains(">n=4</text>"));
    }

    #[test]
    fn levels_run_blue_to_vermillion_and_statuses_take_okabe_ito() {
        let departments = labels(["秩序维护部"]);
        let svg = level_share_bars(&text("levels"), &departments, &levels(), &FIVE);
        let order: Vec<usize> = ["#0072B2", "#56B4E9", "#BBBBBB", "#E69F00", "#D55E00"]
            .iter()
            .map(|c| svg.find(&format!("fill=\"{c}\"")).expect("colour used"))
            .collect();
        assert!(order.is_sorted(), "legend in level order");

        let statuses = [
            segment("已整改", &[Some(3.0)]),
            segment("处理中", &[Some(1.0)]),
        ];
        let svg = stacked_share_bars(&text("status"), &departments, &statuses);
        assert!(svg.contains("fill=\"#0072B2\"") && svg.contains("fill=\"#E69F00\""));
    }

    /// The fill of the legend swatch just before `label`'s legend text.
    fn swatch_of(svg: &str, label: &str) -> String {
        let at = svg.find(&format!(">{label}</text>")).expect("legend entry");
        let rect = svg[..at].rfind("<rect").expect("swatch");
        let fill = &svg[rect..at];
        let start = fill.find("fill=\"").expect("fill") + 6;
        fill[start..start + 7].to_owned()
    }

    #[test]
    fn a_status_has_one_colour_whichever_statuses_a_chart_shows() {
        let departments = labels(["工程部"]);
        let one = |name: &str| segment(name, &[Some(1.0)]);
        // Three reports: 已整改 alone; 待处理 and 已整改; 已完成, 已整改 and 暂不能解决.
        let charts = [
            status_share_bars(
                &text("a"),
                &departments,
                &[one("已整改")],
                &[StatusRole::Closed(0)],
            ),
            status_share_bars(
                &text("b"),
                &departments,
                &[one("待处理"), one("已整改")],
                &[StatusRole::Open(0), StatusRole::Closed(0)],
            ),
            status_share_bars(
                &text("c"),
                &departments,
                &[one("暂不能解决"), one("已整改"), one("已完成")],
                &[
                    StatusRole::Unresolvable(0),
                    StatusRole::Closed(0),
                    StatusRole::Closed(1),
                ],
            ),
        ];
        for svg in &charts {
            assert_eq!(swatch_of(svg, "已整改"), "#009E73");
        }
        assert_eq!(swatch_of(&charts[1], "待处理"), "#D55E00");
        assert_eq!(swatch_of(&charts[2], "已完成"), "#00574A");
        assert_eq!(swatch_of(&charts[2], "暂不能解决"), "#808080");
    }

    #[test]
    fn a_category_without_counts_is_an_outline_with_its_label() {
        let departments = labels(["客服部", "绿化部"]);
        let segments = [
            segment("已整改", &[Some(2.0), Some(0.0)]),
            segment("处理中", &[Some(2.0)]),
        ];
        let svg = stacked_share_bars(&text("status"), &departments, &segments);
        // 2 swatches + 2 pieces for 客服部 + 1 outline for 绿化部.
        assert_eq!(count(&svg, "<rect"), 2 + 2 + 1);
        assert_eq!(count(&svg, "fill=\"none\""), 1);
        assert!(svg.contains(">绿化部</text>"));
        assert!(!svg.contains("暂无数据"));
    }

    #[test]
    fn no_categories_or_no_counts_show_the_empty_label() {
        let zeros = [segment("已整改", &[Some(0.0), None])];
        for svg in [
            stacked_share_bars(&text("status"), &[], &[]),
            stacked_share_bars(&text("status"), &labels(["客服部", "绿化部"]), &zeros),
            stacked_share_bars(&text("status"), &labels(["客服部"]), &[]),
        ] {
            assert_sound(&svg, "status");
            assert!(svg.contains(">暂无数据</text>"));
        }
    }

    #[test]
    fn height_grows_with_the_categories() {
        let height = |n: usize| {
            let departments = labels((0..n).map(|i| format!("部门{i}")));
            let svg = stacked_share_bars(
                &text("s"),
                &departments,
                &[segment("已整改", &vec![Some(1.0); n])],
            );
            let view_box = svg.split("viewBox=\"0 0 720 ").nth(1).expect("view box");
            view_box[..view_box.find('"').expect("end")]
                .parse::<i32>()
                .expect("height")
        };
        assert_eq!(height(8) - height(2), 6 * ROW);
    }

    #[test]
    fn long_names_are_cut_short() {
        let departments = labels(["一个名字非常非常非常非常非常非常长的部门"]);
        let svg = stacked_share_bars(&text("s"), &departments, &[segment("已整改", &[Some(1.0)])]);
        assert!(svg.contains("…</text>"));
    }
}
