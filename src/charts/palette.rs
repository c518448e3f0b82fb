//! Colours. Data colours come from the Okabe–Ito palette (Okabe & Ito, "Color Universal
//! Design"), which stays distinct under the common colour-vision deficiencies.

use plotters::style::RGBColor;

/// Okabe–Ito, in the order series and segments take them.
const OKABE_ITO: [RGBColor; 8] = [
    RGBColor(0x00, 0x72, 0xB2), // blue
    RGBColor(0xE6, 0x9F, 0x00), // orange
    RGBColor(0x00, 0x9E, 0x73), // bluish green
    RGBColor(0xD5, 0x5E, 0x00), // vermillion
    RGBColor(0xCC, 0x79, 0xA7), // reddish purple
    RGBColor(0x56, 0xB4, 0xE9), // sky blue
    RGBColor(0xF0, 0xE4, 0x42), // yellow
    RGBColor(0x00, 0x00, 0x00), // black
];

/// Best to worst: two blues, a neutral grey, orange and vermillion.
const DIVERGING: [RGBColor; 5] = [
    RGBColor(0x00, 0x72, 0xB2),
    RGBColor(0x56, 0xB4, 0xE9),
    RGBColor(0xBB, 0xBB, 0xBB),
    RGBColor(0xE6, 0x9F, 0x00),
    RGBColor(0xD5, 0x5E, 0x00),
];

/// The colour of counts and other single-series marks.
pub(super) const PRIMARY: RGBColor = OKABE_ITO[0];
/// The colour of a line drawn over bars of [`PRIMARY`].
pub(super) const ACCENT: RGBColor = OKABE_ITO[3];

pub(super) const TEXT: RGBColor = RGBColor(0x33, 0x33, 0x33);
pub(super) const MUTED: RGBColor = RGBColor(0x66, 0x66, 0x66);
pub(super) const AXIS: RGBColor = RGBColor(0x88, 0x88, 0x88);
pub(super) const GRID: RGBColor = RGBColor(0xE0, 0xE0, 0xE0);
/// Reference lines (the 80% line of a Pareto chart). No other mark uses this colour: the SVG
/// post-processing dashes every `<line>` stroked with it.
pub(super) const GUIDE: RGBColor = RGBColor(0x55, 0x55, 0x55);

const WHITE: RGBColor = RGBColor(0xFF, 0xFF, 0xFF);
const BLACK: RGBColor = RGBColor(0x00, 0x00, 0x00);

/// The `index`th categorical colour, starting again after the eighth.
pub(super) fn categorical(index: usize) -> RGBColor {
    OKABE_ITO[index % OKABE_ITO.len()]
}

/// `count` colours from best to worst. Up to five pick from the fixed ramp, keeping both ends
/// (and grey in the middle for an odd count); more blend between its neighbouring colours.
pub(super) fn diverging(count: usize) -> Vec<RGBColor> {
    let last = (DIVERGING.len() - 1) as f64;
    (0..count)
        .map(|i| {
            let t = if count > 1 {
                i as f64 * last / (count - 1) as f64
            } else {
                0.0
            };
            if count <= DIVERGING.len() {
                DIVERGING[t.round() as usize]
            } else {
                blend(
                    DIVERGING[t.floor() as usize],
                    DIVERGING[t.ceil() as usize],
                    t.fract(),
                )
            }
        })
        .collect()
}

fn blend(a: RGBColor, b: RGBColor, t: f64) -> RGBColor {
    let mix = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * t).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Black or white, whichever contrasts more with `fill` (WCAG relative luminance).
pub(super) fn ink_on(fill: RGBColor) -> RGBColor {
    let channel = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let luminance = 0.2126 * channel(fill.0) + 0.7152 * channel(fill.1) + 0.0722 * channel(fill.2);
    let against_white = 1.05 / (luminance + 0.05);
    let against_black = (luminance + 0.05) / 0.05;
    if against_white > against_black {
        WHITE
    } else {
        BLACK
    }
}

/// `#RRGGBB`, as plotters writes colours.
pub(super) fn hex(colour: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", colour.0, colour.1, colour.2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_levels_take_the_whole_ramp_in_order() {
        assert_eq!(diverging(5), DIVERGING.to_vec());
    }

    #[test]
    fn fewer_levels_keep_the_ends_and_the_neutral_middle() {
        assert_eq!(diverging(3), vec![DIVERGING[0], DIVERGING[2], DIVERGING[4]]);
        assert_eq!(
            diverging(4),
            vec![DIVERGING[0], DIVERGING[1], DIVERGING[3], DIVERGING[4]]
        );
        assert_eq!(diverging(1), vec![DIVERGING[0]]);
        assert!(diverging(0).is_empty());
    }

    #[test]
    fn eleven_levels_run_from_blue_to_vermillion() {
        let colours = diverging(11);
        assert_eq!(colours.len(), 11);
        assert_eq!(colours[0], DIVERGING[0]);
        assert_eq!(colours[5], DIVERGING[2]);
        assert_eq!(colours[10], DIVERGING[4]);
    }

    #[test]
    fn labels_are_white_only_on_dark_fills() {
        assert_eq!(ink_on(OKABE_ITO[0]), WHITE);
        assert_eq!(ink_on(OKABE_ITO[7]), WHITE);
        assert_eq!(ink_on(OKABE_ITO[6]), BLACK);
        assert_eq!(ink_on(DIVERGING[2]), BLACK);
    }
}
