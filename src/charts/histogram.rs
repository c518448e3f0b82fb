//! Counts per bucket, e.g. days to close a complaint or answers per satisfaction level.

use super::ChartText;
use super::columns::Columns;
use super::draw::render;
use super::layout::WIDTH;
use super::palette;

/// Vertical bars of counts per bucket label (e.g. "0", "1", "2", "3", "4–5", "6–7", "8–10",
/// "11–14", "15–30", ">30"), each with its count above it. A count missing from `counts` is 0.
pub fn histogram(text: &ChartText, buckets: &[String], counts: &[u64]) -> String {
    let columns = Columns::plan(buckets, counts, 0);
    render(text, "histogram", (WIDTH, columns.height), |area| {
        columns.draw(area, text.empty_label)
    })
}

/// [`histogram`] of satisfaction levels, best first: `satisfied[i]` says whether level `i`
/// counts as satisfied, and each bar takes its level's colour on the diverging scale of
/// [`level_share_bars`](super::level_share_bars), the same on every chart of the site.
pub fn level_histogram(
    text: &ChartText,
    levels: &[String],
    counts: &[u64],
    satisfied: &[bool],
) -> String {
    let columns = Columns::plan(levels, counts, 0).coloured(palette::levels(satisfied));
    render(text, "histogram", (WIDTH, columns.height), |area| {
        columns.draw(area, text.empty_label)
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{assert_sound, count, labels, text};
    use super::*;

    fn days() -> Vec<String> {
        labels([
            "0", "1", "2", "3", "4–5", "6–7", "8–10", "11–14", "15–30", ">30",
        ])
    }

    #[test]
    fn a_bar_for_each_bucket_with_a_count_and_every_count_written() {
        let counts = [4, 9, 0, 2, 0, 0, 1, 0, 0, 3];
        let svg = histogram(&text("days"), &days(), &counts);
        assert_sound(&svg, "days");
        let nonzero = counts.iter().filter(|&&c| c > 0).count();
        assert_eq!(count(&svg, "<rect"), nonzero);
        assert!(svg.contains(">&gt;30</text>"), "bucket labels are escaped");
        assert!(svg.contains(">9</text>") && svg.contains(">4–5</text>"));
        assert_eq!(
            count(&svg, ">0</text>"),
            5 + 1 + 1,
            "five empty buckets, the bucket named 0 and the axis"
        );
    }

    #[test]
    fn a_small_count_beside_a_large_one_is_still_visible() {
        let svg = histogram(&text("days"), &labels(["a", "b"]), &[100_000, 1]);
        assert_eq!(count(&svg, "<rect"), 2);
    }

    #[test]
    fn level_names_in_chinese_are_text() {
        let levels = labels(["非常满意", "满意", "一般", "不满意", "非常不满意"]);
        let svg = histogram(&text("levels"), &levels, &[40, 30, 10, 5, 1]);
        assert_eq!(count(&svg, "<rect"), 5);
        assert!(svg.contains(">非常不满意</text>"));
    }

    #[test]
    fn labels_with_markup_and_line_breaks_stay_text() {
        let buckets = labels(["<b>\n1\r\n", "a & b\u{1}"]);
        let svg = histogram(&text("days"), &buckets, &[1, 2]);
        assert_sound(&svg, "days");
        assert!(svg.contains(">&lt;b&gt; 1  </text>"));
        assert!(svg.contains(">a &amp; b </text>"));
    }

    #[test]
    fn no_buckets_or_only_zeros_show_the_empty_label() {
        for svg in [
            histogram(&text("days"), &[], &[]),
            histogram(&text("days"), &days(), &[0; 10]),
            histogram(&text("days"), &days(), &[]),
        ] {
            assert_sound(&svg, "days");
            assert!(svg.contains(">暂无数据</text>"));
            assert_eq!(count(&svg, "<rect"), 0);
        }
    }

    #[test]
    fn level_bars_take_the_level_colours_in_order() {
        let levels = labels(["非常满意", "满意", "一般", "不满意", "非常不满意"]);
        let svg = level_histogram(
            &text("levels"),
            &levels,
            &[2, 6, 3, 1, 1],
            &[true, true, false, false, false],
        );
        assert_sound(&svg, "levels");
        let fills: Vec<&str> = svg
            .lines()
            .filter(|l| l.starts_with("<rect"))
            .map(|l| &l[l.find("fill=\"").expect("fill") + 6..][..7])
            .collect();
        assert_eq!(
            fills,
            ["#0072B2", "#56B4E9", "#BBBBBB", "#E69F00", "#D55E00"]
        );
    }
}
