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

/// A colour written as in the SVG, e.g. `rgb(0x009E73)` for `#009E73`.
const fn rgb(hex: u32) -> RGBColor {
    RGBColor((hex >> 16) as u8, (hex >> 8) as u8, hex as u8)
}

/// The satisfied side of the level scale, best first: dark blue to light blue.
const SATISFIED: [RGBColor; 3] = [rgb(0x0072B2), rgb(0x56B4E9), rgb(0xA6D4F2)];
/// The neutral middle of the level scale (一般).
const NEUTRAL: RGBColor = rgb(0xBBBBBB);
/// The dissatisfied side of the level scale, worst last: orange to vermillion.
const DISSATISFIED: [RGBColor; 3] = [rgb(0xF5C26B), rgb(0xE69F00), rgb(0xD55E00)];

/// Closed statuses: one family of greens and teals, told apart by lightness.
const CLOSED: [RGBColor; 5] = [
    rgb(0x009E73),
    rgb(0x00574A),
    rgb(0x7BC8A4),
    rgb(0x3C8D2F),
    rgb(0xB8E0C8),
];
/// Open statuses: warm hues, the alarm vermillion first (待处理 in the default config).
const OPEN: [RGBColor; 5] = [
    rgb(0xD55E00),
    rgb(0xE69F00),
    rgb(0xF0E442),
    rgb(0xCC79A7),
    rgb(0x8C510A),
];
/// Open statuses that cannot be resolved for now (无法解决): neutral greys.
const UNRESOLVABLE: [RGBColor; 3] = [rgb(0x808080), rgb(0x5A5A5A), rgb(0xA8A8A8)];
/// Complaints that gave no status: the lightest grey, apart from every status.
const UNSPECIFIED: RGBColor = rgb(0xDDDDDD);

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

pub(super) const WHITE: RGBColor = RGBColor(0xFF, 0xFF, 0xFF);
const BLACK: RGBColor = RGBColor(0x00, 0x00, 0x00);

/// The `index`th categorical colour, starting again after the eighth.
pub(super) fn categorical(index: usize) -> RGBColor {
    OKABE_ITO[index % OKABE_ITO.len()]
}

/// The colours of satisfaction levels, best first, from whether each level counts as
/// satisfied (the config's levels put those first). Satisfied levels take the blue side, the
/// others the warm side with the worst in vermillion; when more levels are unsatisfied than
/// satisfied, the first of them is the neutral grey middle (一般 of the default five).
/// Each side blends along its ramp when it has more levels than the ramp has colours.
pub(super) fn levels(satisfied: &[bool]) -> Vec<RGBColor> {
    let good = satisfied.iter().filter(|&&s| s).count();
    let bad = satisfied.len() - good;
    let neutral = usize::from(bad > good && bad > 1);
    let mut out = side(&SATISFIED, good, true);
    if neutral == 1 {
        out.push(NEUTRAL);
    }
    out.extend(side(&DISSATISFIED, bad - neutral, false));
    out
}

/// `count` colours of one side of the level scale: as many of the ramp's as are needed, kept
/// at the end that is further from neutral (the best for `from_start`, else the worst), or
/// blended along the whole ramp when it has too few.
fn side(ramp: &[RGBColor], count: usize, from_start: bool) -> Vec<RGBColor> {
    if count <= ramp.len() {
        let kept = if from_start {
            &ramp[..count]
        } else {
            &ramp[ramp.len() - count..]
        };
        return kept.to_vec();
    }
    let last = (ramp.len() - 1) as f64;
    (0..count)
        .map(|i| {
            let t = i as f64 * last / (count - 1) as f64;
            blend(ramp[t.floor() as usize], ramp[t.ceil() as usize], t.fract())
        })
        .collect()
}

/// Where a rectification status stands, which with its place in the config's list fixes its
/// colour on every chart of the site.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusRole {
    /// A closed status and its index in `status.closed`.
    Closed(usize),
    /// An open status and its index in `status.open`.
    Open(usize),
    /// An open status that cannot be resolved for now, and its index in `status.unresolvable`.
    Unresolvable(usize),
    /// Complaints that gave no status.
    Unspecified,
}

/// The one colour of a status, whichever other statuses a chart shows.
pub(super) fn status(role: StatusRole) -> RGBColor {
    match role {
        StatusRole::Closed(i) => CLOSED[i % CLOSED.len()],
        StatusRole::Open(i) => OPEN[i % OPEN.len()],
        StatusRole::Unresolvable(i) => UNRESOLVABLE[i % UNRESOLVABLE.len()],
        StatusRole::Unspecified => UNSPECIFIED,
    }
}

fn blend(a: RGBColor, b: RGBColor, t: f64) -> RGBColor {
    let mix = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * t).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// WCAG relative luminance.
fn luminance(colour: RGBColor) -> f64 {
    let channel = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(colour.0) + 0.7152 * channel(colour.1) + 0.0722 * channel(colour.2)
}

/// The WCAG contrast ratio of two colours, from 1 to 21.
fn contrast(a: RGBColor, b: RGBColor) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// Black or white, whichever contrasts more with `fill`.
pub(super) fn ink_on(fill: RGBColor) -> RGBColor {
    if contrast(fill, WHITE) > contrast(fill, BLACK) {
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

    const BLUE: RGBColor = SATISFIED[0];
    const SKY: RGBColor = SATISFIED[1];
    const ORANGE: RGBColor = DISSATISFIED[1];
    const VERMILLION: RGBColor = DISSATISFIED[2];

    #[test]
    fn the_default_five_levels_run_blue_grey_vermillion() {
        // 非常满意, 满意 satisfied; 一般, 不满意, 非常不满意 not.
        let five = levels(&[true, true, false, false, false]);
        assert_eq!(five, vec![BLUE, SKY, NEUTRAL, ORANGE, VERMILLION]);
    }

    #[test]
    fn levels_diverge_at_the_satisfied_boundary() {
        // As many satisfied as not: no neutral middle.
        assert_eq!(
            levels(&[true, true, false, false]),
            vec![BLUE, SKY, ORANGE, VERMILLION]
        );
        assert_eq!(levels(&[true, false]), vec![BLUE, VERMILLION]);
        // Three satisfied of five: the two others are both on the warm side.
        assert_eq!(
            levels(&[true, true, true, false, false]),
            vec![BLUE, SKY, SATISFIED[2], ORANGE, VERMILLION]
        );
        assert!(levels(&[]).is_empty());
    }

    #[test]
    fn eleven_levels_blend_each_side_and_keep_its_ends() {
        // 0–10 with 9 and 10 satisfied: 2 blue, grey, 8 warm.
        let mut flags = vec![true; 2];
        flags.extend([false; 9]);
        let colours = levels(&flags);
        assert_eq!(colours.len(), 11);
        assert_eq!(colours[..3], [BLUE, SKY, NEUTRAL]);
        assert_eq!(colours[3], DISSATISFIED[0]);
        assert_eq!(colours[10], VERMILLION);
    }

    #[test]
    fn a_status_keeps_its_colour_by_role_and_index() {
        assert_eq!(status(StatusRole::Closed(0)), CLOSED[0]);
        assert_eq!(status(StatusRole::Open(1)), OPEN[1]);
        assert_eq!(status(StatusRole::Closed(6)), CLOSED[1], "wraps round");
        let vermillion = OPEN[0];
        for i in 0..20 {
            assert_ne!(status(StatusRole::Closed(i)), vermillion);
            assert_ne!(status(StatusRole::Unresolvable(i)), vermillion);
            let c = status(StatusRole::Closed(i));
            assert!(c.1 > c.0, "closed statuses are green: {c:?}");
            let o = status(StatusRole::Open(i));
            assert!(o.0 > o.2, "open statuses are warm: {o:?}");
            let u = status(StatusRole::Unresolvable(i));
            assert!(u.0 == u.1 && u.1 == u.2, "unresolvable ones grey: {u:?}");
        }
    }

    #[test]
    fn labels_on_every_fill_meet_wcag_aa() {
        let fills = SATISFIED
            .iter()
            .chain(&DISSATISFIED)
            .chain(&CLOSED)
            .chain(&OPEN)
            .chain(&UNRESOLVABLE)
            .chain(&OKABE_ITO)
            .chain([&NEUTRAL, &UNSPECIFIED]);
        for &fill in fills {
            let ratio = contrast(fill, ink_on(fill));
            assert!(
                ratio >= 4.5,
                "{} on {}: {ratio:.2}",
                hex(ink_on(fill)),
                hex(fill)
            );
        }
        // The text colours on the white page.
        for ink in [TEXT, MUTED, GUIDE] {
            assert!(contrast(ink, WHITE) >= 4.5, "{}", hex(ink));
        }
    }

    #[test]
    fn labels_are_white_only_on_dark_fills() {
        assert_eq!(ink_on(OKABE_ITO[0]), WHITE);
        assert_eq!(ink_on(OKABE_ITO[7]), WHITE);
        assert_eq!(ink_on(OKABE_ITO[6]), BLACK);
        assert_eq!(ink_on(NEUTRAL), BLACK);
    }
}
