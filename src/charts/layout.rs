//! The arithmetic of a chart, apart from drawing it: text widths, the plot rectangle, scales
//! from values to pixels, category slots and axis ticks.

/// Width of every chart's view box; pages scale it to their column.
pub(super) const WIDTH: i32 = 720;
/// Space between the view box edge and anything drawn.
pub(super) const MARGIN: i32 = 12;
/// Font sizes in view-box pixels: axis labels, legend and row names, values on marks, the
/// empty-chart note.
pub(super) const TICK_FONT: f64 = 11.0;
pub(super) const LABEL_FONT: f64 = 12.0;
pub(super) const VALUE_FONT: f64 = 11.0;
pub(super) const EMPTY_FONT: f64 = 14.0;

/// About how wide `text` is at `size` pixels. There is no font to measure at build time, so
/// this counts CJK and other wide characters as one em and the rest as a little over half.
pub(super) fn text_width(text: &str, size: f64) -> f64 {
    text.chars().map(char_width).sum::<f64>() * size
}

fn char_width(c: char) -> f64 {
    match c {
        ' ' | '.' | ',' | ':' | ';' | '|' | '!' | 'i' | 'j' | 'l' | '\'' => 0.3,
        '…' => 1.0,
        c if is_wide(c) => 1.0,
        c if c.is_ascii_uppercase() || c == '%' || c == 'm' || c == 'w' => 0.7,
        _ => 0.6,
    }
}

/// East Asian wide and full-width characters (Unicode 15, the common blocks).
fn is_wide(c: char) -> bool {
    matches!(u32::from(c),
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x1F300..=0x1F64F
        | 0x20000..=0x3FFFD)
}

/// `text`, cut short with `…` when it is wider than `max` pixels at `size`.
pub(super) fn fit(text: &str, max: f64, size: f64) -> String {
    if text_width(text, size) <= max {
        return text.to_owned();
    }
    let room = max - text_width("…", size);
    let mut used = 0.0;
    let mut kept: String = text
        .chars()
        .take_while(|&c| {
            used += char_width(c) * size;
            used <= room
        })
        .collect();
    kept.push('…');
    kept
}

/// The rectangle of the view box that holds the data marks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct PlotBox {
    pub left: i32,
    pub top: i32,
    pub right: i32,
    pub bottom: i32,
}

impl PlotBox {
    pub fn centre(&self) -> (i32, i32) {
        ((self.left + self.right) / 2, (self.top + self.bottom) / 2)
    }
}

/// Maps values linearly onto pixels. `to` may be smaller than `from`: y grows downwards.
#[derive(Clone, Copy, Debug)]
pub(super) struct Scale {
    lo: f64,
    hi: f64,
    from: f64,
    to: f64,
}

impl Scale {
    /// The values `lo..=hi` onto the pixels `from..=to`; an empty domain maps to `from`.
    pub fn new((lo, hi): (f64, f64), (from, to): (i32, i32)) -> Scale {
        Scale {
            lo,
            hi,
            from: f64::from(from),
            to: f64::from(to),
        }
    }

    pub fn px(&self, value: f64) -> i32 {
        let span = self.hi - self.lo;
        let t = if span > 0.0 {
            (value - self.lo) / span
        } else {
            0.0
        };
        round(self.from + t * (self.to - self.from))
    }
}

/// Equal slots along the x axis, one per category, left to right.
#[derive(Clone, Copy, Debug)]
pub(super) struct Slots {
    left: f64,
    width: f64,
}

impl Slots {
    /// `count` slots between the pixels `left` and `right`.
    pub fn new(left: i32, right: i32, count: usize) -> Slots {
        Slots {
            left: f64::from(left),
            width: f64::from(right - left) / count.max(1) as f64,
        }
    }

    pub fn width(&self) -> f64 {
        self.width
    }

    pub fn centre(&self, index: usize) -> i32 {
        round(self.left + (index as f64 + 0.5) * self.width)
    }

    /// The left and right pixel of a bar filling `share` of slot `index`, centred in it.
    pub fn bar(&self, index: usize, share: f64) -> (i32, i32) {
        let middle = self.left + (index as f64 + 0.5) * self.width;
        let half = self.width * share / 2.0;
        (round(middle - half), round(middle + half))
    }
}

/// A pixel position from a computed coordinate; coordinates stay far inside `i32`.
pub(super) fn round(value: f64) -> i32 {
    value.round() as i32
}

/// Positions along a value axis and how to label them.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Ticks {
    pub values: Vec<f64>,
    format: TickFormat,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum TickFormat {
    Decimals(usize),
    Percent,
}

impl Ticks {
    /// 0% to 100% in steps of 20%, for values from 0 to 1.
    pub fn percent() -> Ticks {
        Ticks {
            values: (0..=5).map(|i| f64::from(i) * 0.2).collect(),
            format: TickFormat::Percent,
        }
    }

    /// 0% to 100% in steps of 25%, for the share bars.
    pub fn quarters() -> Ticks {
        Ticks {
            values: (0..=4).map(|i| f64::from(i) * 0.25).collect(),
            format: TickFormat::Percent,
        }
    }

    /// Round steps (1, 2 or 5 × 10ⁿ, at least 1 when `whole`) covering `lo..=hi` in about
    /// `target` steps. An empty or reversed range becomes `lo..=lo + 1`.
    pub fn nice(lo: f64, hi: f64, target: u32, whole: bool) -> Ticks {
        let hi = if hi > lo { hi } else { lo + 1.0 };
        let raw = (hi - lo) / f64::from(target.max(1));
        let mut exponent = raw.log10().floor() as i32;
        let fraction = raw / 10f64.powi(exponent);
        let mut multiple = match fraction {
            f if f <= 1.0 => 1.0,
            f if f <= 2.0 => 2.0,
            f if f <= 5.0 => 5.0,
            _ => 10.0,
        };
        if multiple == 10.0 {
            multiple = 1.0;
            exponent += 1;
        }
        if whole && exponent < 0 {
            multiple = 1.0;
            exponent = 0;
        }
        let step = multiple * 10f64.powi(exponent);
        // The tolerance keeps 0.9 / 0.05 = 18.000000000000004 from adding a tick.
        let first = (lo / step + 1e-9).floor() as i64;
        let last = (hi / step - 1e-9).ceil() as i64;
        Ticks {
            values: (first..=last).map(|k| k as f64 * step).collect(),
            format: TickFormat::Decimals(usize::try_from(-exponent).unwrap_or(0)),
        }
    }

    /// Percentage ticks fitted to shares from `lo` to `hi` (between 0 and 1): the range padded
    /// by a tenth of its span (at least one point) and kept within 0–100%, then round steps
    /// of at least 1%, so a 79–88% series fills the plot instead of a sliver of 0–100%.
    pub fn fitted_percent(lo: f64, hi: f64) -> Ticks {
        let (lo, hi) = (lo.clamp(0.0, 1.0), hi.clamp(0.0, 1.0));
        let (lo, hi) = (lo.min(hi), lo.max(hi));
        let pad = ((hi - lo) / 10.0).max(0.01);
        let mut ticks = Ticks::nice((lo - pad).max(0.0), (hi + pad).min(1.0), 5, false);
        let step = ticks
            .values
            .get(1)
            .zip(ticks.values.first())
            .map(|(b, a)| b - a);
        if step.is_some_and(|s| s < 0.01 - 1e-9) {
            let first = ticks.values.first().copied().unwrap_or(0.0);
            let last = ticks.values.last().copied().unwrap_or(1.0);
            let from = (first * 100.0 + 1e-9).floor() as i64;
            let to = (last * 100.0 - 1e-9).ceil() as i64;
            ticks.values = (from..=to).map(|k| k as f64 / 100.0).collect();
        }
        ticks.format = TickFormat::Percent;
        ticks
    }

    /// The first and last tick: the range the axis shows.
    pub fn domain(&self) -> (f64, f64) {
        let first = self.values.first().copied().unwrap_or(0.0);
        let last = self.values.last().copied().unwrap_or(1.0);
        (first, last)
    }

    pub fn label(&self, value: f64) -> String {
        match self.format {
            TickFormat::Decimals(places) => format!("{value:.places$}"),
            TickFormat::Percent => percent(value),
        }
    }

    /// The width of the widest label at `size`.
    pub fn label_width(&self, size: f64) -> f64 {
        let widths = self
            .values
            .iter()
            .map(|&v| text_width(&self.label(v), size));
        widths.fold(0.0, f64::max)
    }
}

/// A share from 0 to 1 as a whole percentage, e.g. `0.456` as `46%`.
pub(super) fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_characters_count_one_em_and_digits_a_little_over_half() {
        assert_eq!(text_width("秩序维护部", 12.0), 60.0);
        assert!((text_width("2026-11", 10.0) - 7.0 * 6.0).abs() < 1e-9);
    }

    #[test]
    fn fit_keeps_short_text_and_cuts_long_text_with_an_ellipsis() {
        assert_eq!(fit("保洁部", 100.0, 12.0), "保洁部");
        // 60 px at 12 px a character: four characters and the ellipsis.
        assert_eq!(fit("垃圾清运不及时", 60.0, 12.0), "垃圾清运…");
    }

    #[test]
    fn nice_ticks_use_round_steps_and_cover_the_range() {
        let ticks = Ticks::nice(0.0, 47.0, 5, true);
        assert_eq!(ticks.values, vec![0.0, 10.0, 20.0, 30.0, 40.0, 50.0]);
        assert_eq!(ticks.label(30.0), "30");

        let ticks = Ticks::nice(0.0, 0.9, 5, false);
        assert_eq!(ticks.domain(), (0.0, 1.0));
        assert_eq!(ticks.label(ticks.values[1]), "0.2");
    }

    #[test]
    fn whole_ticks_never_step_by_less_than_one() {
        let ticks = Ticks::nice(0.0, 2.0, 5, true);
        assert_eq!(ticks.values, vec![0.0, 1.0, 2.0]);
        assert_eq!(ticks.label(1.0), "1");
    }

    #[test]
    fn an_empty_range_still_gets_two_ticks() {
        let ticks = Ticks::nice(0.0, 0.0, 5, true);
        assert_eq!(ticks.values, vec![0.0, 1.0]);
    }

    #[test]
    fn scale_maps_ends_and_never_divides_by_zero() {
        let y = Scale::new((0.0, 1.0), (300, 100));
        assert_eq!(y.px(0.0), 300);
        assert_eq!(y.px(1.0), 100);
        assert_eq!(y.px(0.5), 200);
        assert_eq!(Scale::new((2.0, 2.0), (300, 100)).px(2.0), 300);
    }

    #[test]
    fn a_79_to_88_percent_series_gets_a_75_to_90_axis() {
        // Span 9 points, padded by 1 (a tenth is 0.9, less than one point): 78–89%.
        // 11 points over 5 steps is 2.2 points a step, rounded up to 5: 75, 80, 85, 90%.
        let ticks = Ticks::fitted_percent(0.79, 0.88);
        let labels: Vec<String> = ticks.values.iter().map(|&v| ticks.label(v)).collect();
        assert_eq!(labels, ["75%", "80%", "85%", "90%"]);
    }

    #[test]
    fn fitted_percent_ticks_stay_within_0_and_100_percent_and_step_whole_points() {
        // 95–100% padded to 94–100% (not 101%): 6 points over 5 steps is 1.2, rounded to 2.
        let ticks = Ticks::fitted_percent(0.95, 1.0);
        assert_eq!(ticks.label(ticks.values[0]), "94%");
        assert_eq!(ticks.domain().1, 1.0);
        // One value, 85%: 84–86%, steps of 0.4 points widened to whole points.
        let flat = Ticks::fitted_percent(0.85, 0.85);
        let labels: Vec<String> = flat.values.iter().map(|&v| flat.label(v)).collect();
        assert_eq!(labels, ["84%", "85%", "86%"]);
        // 0–100% stays 0–100%.
        assert_eq!(Ticks::fitted_percent(0.0, 1.0).domain(), (0.0, 1.0));
    }

    #[test]
    fn percent_labels_have_no_decimals() {
        assert_eq!(percent(0.456), "46%");
        assert_eq!(Ticks::percent().label(0.6000000000000001), "60%");
    }
}
