//! Drawing with plotters, in view-box pixels: the parts every chart shares (value axis,
//! category labels, legend, the empty-chart note) and the few shapes they are made of.

use std::io;

use plotters::coord::Shift;
use plotters::element::{Circle, PathElement, Rectangle, Text};
use plotters::prelude::{DrawingArea, DrawingAreaErrorKind, IntoDrawingArea, SVGBackend};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, FontDesc, FontFamily, FontStyle, FontTransform, RGBColor, TextStyle};

use super::ChartText;
use super::layout::{
    EMPTY_FONT, LABEL_FONT, MARGIN, PlotBox, Scale, Slots, TICK_FONT, Ticks, VALUE_FONT, fit,
    round, text_width,
};
use super::palette::{AXIS, GRID, MUTED, TEXT, WHITE};
use super::svg;

pub(super) type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;
pub(super) type Drawn = Result<(), DrawingAreaErrorKind<io::Error>>;
/// A position in view-box pixels, x to the right and y down.
pub(super) type Point = (i32, i32);

/// Draws a `width` × `height` chart with `draw` and finishes the SVG (see [`svg::finish`]).
/// Drawing into a `String` cannot fail; were it to, the chart would come out blank rather
/// than stop the build.
pub(super) fn render(
    text: &ChartText,
    kind: &str,
    (width, height): (i32, i32),
    draw: impl FnOnce(&Area) -> Drawn,
) -> String {
    let size = (pixels(width), pixels(height));
    let mut raw = String::new();
    let drawn = {
        let area = SVGBackend::with_string(&mut raw, size).into_drawing_area();
        draw(&area).and_then(|()| area.present())
    };
    if drawn.is_err() {
        raw.clear();
    }
    svg::finish(&raw, text, kind, size)
}

fn pixels(length: i32) -> u32 {
    u32::try_from(length).unwrap_or(0)
}

/// How text sits on its anchor point.
#[derive(Clone, Copy, Debug)]
pub(super) enum Anchor {
    /// Centred above the point: values over bars.
    Above,
    /// Centred below the point: category labels.
    Below,
    /// Ends at the point, vertically centred: labels left of an axis.
    Before,
    /// Starts at the point, vertically centred: labels right of an axis, legend entries.
    After,
    /// Centred on the point.
    Centre,
    /// Ends at the point, slanted up to the right: long category labels.
    Slanted,
}

/// The size and colour of a piece of text.
#[derive(Clone, Copy, Debug)]
pub(super) struct Font {
    pub size: f64,
    pub colour: RGBColor,
}

/// Axis labels.
pub(super) const TICK: Font = Font {
    size: TICK_FONT,
    colour: TEXT,
};
/// Legend entries and the names of bars.
pub(super) const LABEL: Font = Font {
    size: LABEL_FONT,
    colour: TEXT,
};
/// Numbers on or over data marks.
pub(super) const VALUE: Font = Font {
    size: VALUE_FONT,
    colour: TEXT,
};
/// The empty-chart note.
const NOTE: Font = Font {
    size: EMPTY_FONT,
    colour: MUTED,
};

pub(super) fn text(area: &Area, content: &str, at: Point, font: Font, anchor: Anchor) -> Drawn {
    let (h, v) = match anchor {
        Anchor::Above => (HPos::Center, VPos::Bottom),
        Anchor::Below => (HPos::Center, VPos::Top),
        Anchor::Before | Anchor::Slanted => (HPos::Right, VPos::Center),
        Anchor::After => (HPos::Left, VPos::Center),
        Anchor::Centre => (HPos::Center, VPos::Center),
    };
    // The SVG backend writes a font size of `size / 1.24` (its points-to-pixels factor).
    let desc = FontDesc::new(FontFamily::SansSerif, font.size * 1.24, FontStyle::Normal);
    let mut style = TextStyle::from(desc)
        .color(&font.colour)
        .pos(Pos::new(h, v));
    if let Anchor::Slanted = anchor {
        // `svg::finish` turns this quarter turn into the slant.
        style = style.transform(FontTransform::Rotate270);
    }
    // XML allows no control characters, and plotters writes a line break as it is.
    let content = content.replace(char::is_control, " ");
    area.draw(&Text::new(content, at, style))
}

pub(super) fn rect(area: &Area, (x0, y0): Point, (x1, y1): Point, colour: RGBColor) -> Drawn {
    area.draw(&Rectangle::new([(x0, y0), (x1, y1)], colour.filled()))
}

/// A rectangle's outline: a bar with nothing in it.
pub(super) fn outline(
    area: &Area,
    upper_left: Point,
    lower_right: Point,
    colour: RGBColor,
) -> Drawn {
    area.draw(&Rectangle::new(
        [upper_left, lower_right],
        colour.stroke_width(1),
    ))
}

/// A data line through `points`, two pixels wide, with a dot on each.
pub(super) fn line_with_dots(area: &Area, points: &[Point], colour: RGBColor) -> Drawn {
    if points.len() > 1 {
        area.draw(&PathElement::new(points.to_vec(), colour.stroke_width(2)))?;
    }
    points
        .iter()
        .try_for_each(|&p| area.draw(&Circle::new(p, 3, colour.filled())))
}

/// Ring markers over the points of a data line: a value to read with care (e.g. from too few
/// answers). White inside, so the line does not run through them.
pub(super) fn hollow_dots(area: &Area, points: &[Point], colour: RGBColor) -> Drawn {
    points.iter().try_for_each(|&p| {
        area.draw(&Circle::new(p, 4, WHITE.filled()))?;
        area.draw(&Circle::new(p, 4, colour.stroke_width(2)))
    })
}

/// A straight axis, grid or guide line, one pixel wide (`svg::finish` writes it as `<line>`).
pub(super) fn rule(area: &Area, from: Point, to: Point, colour: RGBColor) -> Drawn {
    area.draw(&PathElement::new(vec![from, to], colour.stroke_width(1)))
}

/// Left of the plot: a grid line and a label at every tick of `scale`.
pub(super) fn value_axis(area: &Area, plot: &PlotBox, scale: &Scale, ticks: &Ticks) -> Drawn {
    for &value in &ticks.values {
        let y = scale.px(value);
        rule(area, (plot.left, y), (plot.right, y), GRID)?;
        text(
            area,
            &ticks.label(value),
            (plot.left - 6, y),
            TICK,
            Anchor::Before,
        )?;
    }
    Ok(())
}

/// Right of the plot: labels only, so the grid follows the left axis.
pub(super) fn right_value_axis(area: &Area, plot: &PlotBox, scale: &Scale, ticks: &Ticks) -> Drawn {
    rule(
        area,
        (plot.right, plot.top),
        (plot.right, plot.bottom),
        AXIS,
    )?;
    for &value in &ticks.values {
        let y = scale.px(value);
        rule(area, (plot.right, y), (plot.right + 4, y), AXIS)?;
        text(
            area,
            &ticks.label(value),
            (plot.right + 6, y),
            TICK,
            Anchor::After,
        )?;
    }
    Ok(())
}

/// The space left of a plot for the labels of `ticks`.
pub(super) fn value_axis_width(ticks: &Ticks) -> i32 {
    MARGIN + round(ticks.label_width(TICK_FONT)) + 6
}

/// The baseline under a plot.
pub(super) fn baseline(area: &Area, plot: &PlotBox) -> Drawn {
    rule(
        area,
        (plot.left, plot.bottom),
        (plot.right, plot.bottom),
        AXIS,
    )
}

/// Labels under category slots, planned before the plot's height is known.
#[derive(Debug)]
pub(super) struct CategoryAxis {
    labels: Vec<String>,
    slanted: bool,
    /// Label every `every`th slot, counting back from the last.
    every: usize,
    /// The height the labels need below the plot.
    pub height: i32,
}

/// What a [`CategoryAxis`] does with labels too wide for their slots.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Crowding {
    /// Slant them (and cut them short past a limit): categories, each of which matters.
    Slant,
    /// Label only some slots: a run of periods, whose order fills the gaps.
    Thin,
}

/// The longest a slanted label may be, in pixels.
const SLANTED_MAX: f64 = 120.0;
/// Slots at least this wide keep their labels level, cut short to fit, rather than slanting
/// them: eight CJK characters read better than a slanted whole.
const LEVEL_MIN: f64 = 8.0 * TICK_FONT;

impl CategoryAxis {
    pub fn plan(labels: &[String], slot_width: f64, crowding: Crowding) -> CategoryAxis {
        let room = slot_width - 6.0;
        let longest = widest(labels);
        let level = |labels: Vec<String>, every: usize| CategoryAxis {
            labels,
            slanted: false,
            every,
            height: 6 + round(TICK_FONT) + MARGIN,
        };
        if longest <= room {
            return level(labels.to_vec(), 1);
        }
        match crowding {
            _ if room >= LEVEL_MIN => {
                level(labels.iter().map(|l| fit(l, room, TICK_FONT)).collect(), 1)
            }
            Crowding::Slant => {
                let labels: Vec<String> = labels
                    .iter()
                    .map(|l| fit(l, SLANTED_MAX, TICK_FONT))
                    .collect();
                let height = 6 + round(slant_reach(widest(&labels))) + MARGIN;
                CategoryAxis {
                    labels,
                    slanted: true,
                    every: 1,
                    height,
                }
            }
            Crowding::Thin => level(
                labels
                    .iter()
                    .map(|l| fit(l, SLANTED_MAX, TICK_FONT))
                    .collect(),
                ((longest.min(SLANTED_MAX) + 6.0) / slot_width.max(1.0)).ceil() as usize,
            ),
        }
    }

    /// The smallest left edge of a plot ending at `right` that keeps slanted labels inside the
    /// view box: they reach down and to the left of their slot.
    pub fn min_left(&self, right: i32) -> i32 {
        if !self.slanted {
            return 0;
        }
        let count = self.labels.len() as f64;
        let right = f64::from(right);
        let needed = self.labels.iter().enumerate().map(|(index, label)| {
            // The label ends at its slot's centre + SLANT_SHIFT; solve `centre + shift - reach
            // >= MARGIN` for the plot's left edge, the slots spreading over `left..right`.
            let at = (index as f64 + 0.5) / count;
            let reach = slant_reach(text_width(label, TICK_FONT));
            (f64::from(MARGIN - SLANT_SHIFT) + reach - at * right) / (1.0 - at)
        });
        round(needed.fold(0.0, f64::max).ceil())
    }

    pub fn draw(&self, area: &Area, plot: &PlotBox, slots: &Slots) -> Drawn {
        let last = self.labels.len().saturating_sub(1);
        for (index, label) in self.labels.iter().enumerate() {
            if !(last - index).is_multiple_of(self.every) {
                continue;
            }
            let x = slots.centre(index);
            rule(area, (x, plot.bottom), (x, plot.bottom + 4), AXIS)?;
            if self.slanted {
                text(
                    area,
                    label,
                    (x + SLANT_SHIFT, plot.bottom + 10),
                    TICK,
                    Anchor::Slanted,
                )?;
            } else {
                text(area, label, (x, plot.bottom + 6), TICK, Anchor::Below)?;
            }
        }
        Ok(())
    }
}

/// Slanted labels end this far right of their slot's centre, so their top edge meets it.
const SLANT_SHIFT: i32 = 4;

/// How far a label slanted at 45° reaches down (and left): √½ of its length and half its height.
fn slant_reach(width: f64) -> f64 {
    (width + TICK_FONT / 2.0) * std::f64::consts::FRAC_1_SQRT_2
}

fn widest(labels: &[String]) -> f64 {
    labels
        .iter()
        .map(|l| text_width(l, TICK_FONT))
        .fold(0.0, f64::max)
}

/// Coloured squares with labels, left to right, wrapping at the right margin.
#[derive(Debug)]
pub(super) struct Legend {
    entries: Vec<(String, RGBColor, Point)>,
    pub height: i32,
    /// The entry whose key is a ring (see [`hollow_dots`]) rather than a square.
    ring: Option<usize>,
}

const LEGEND_ROW: i32 = 20;
const SWATCH: i32 = 10;

impl Legend {
    /// A legend whose first row starts at (`left`, `top`) and that wraps before `right`.
    pub fn plan(entries: &[(&str, RGBColor)], left: i32, right: i32, top: i32) -> Legend {
        let max_label = f64::from(right - left - SWATCH - 4);
        let mut placed = Vec::with_capacity(entries.len());
        let (mut x, mut y) = (left, top);
        for &(label, colour) in entries {
            let label = fit(label, max_label, LABEL_FONT);
            let width = SWATCH + 4 + round(text_width(&label, LABEL_FONT));
            if x > left && x + width > right {
                x = left;
                y += LEGEND_ROW;
            }
            placed.push((label, colour, (x, y)));
            x += width + 16;
        }
        let height = if placed.is_empty() {
            0
        } else {
            y - top + LEGEND_ROW
        };
        Legend {
            entries: placed,
            height,
            ring: None,
        }
    }

    /// The same legend with the last entry keyed by a ring, the mark of hollow points.
    pub fn ring_last(mut self) -> Legend {
        self.ring = self.entries.len().checked_sub(1);
        self
    }

    pub fn draw(&self, area: &Area) -> Drawn {
        for (index, (label, colour, (x, y))) in self.entries.iter().enumerate() {
            let middle = y + LEGEND_ROW / 2;
            if self.ring == Some(index) {
                hollow_dots(area, &[(x + SWATCH / 2, middle)], *colour)?;
            } else {
                rect(
                    area,
                    (*x, middle - SWATCH / 2),
                    (x + SWATCH, middle + SWATCH / 2),
                    *colour,
                )?;
            }
            text(area, label, (x + SWATCH + 4, middle), LABEL, Anchor::After)?;
        }
        Ok(())
    }
}

/// The note in the middle of a plot with nothing to show.
pub(super) fn empty_note(area: &Area, plot: &PlotBox, label: &str) -> Drawn {
    text(area, label, plot.centre(), NOTE, Anchor::Centre)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_legend_wraps_onto_more_rows() {
        let names = [
            "秩序维护部",
            "车辆管理部",
            "社区文化部",
            "客服部",
            "工程部",
            "保洁部",
        ];
        let entries: Vec<(&str, RGBColor)> = names.iter().map(|&n| (n, TEXT)).collect();
        // Each entry is 10 + 4 + 60 px and 16 px of gap: two fit in 200 px.
        let legend = Legend::plan(&entries, 0, 200, 0);
        assert_eq!(legend.height, 3 * LEGEND_ROW);
        assert_eq!(Legend::plan(&entries[..1], 0, 200, 0).height, LEGEND_ROW);
        assert_eq!(Legend::plan(&[], 0, 200, 0).height, 0);
    }

    #[test]
    fn category_labels_stay_level_when_they_fit_and_slant_when_they_do_not() {
        let short = vec!["0".to_owned(), "4–5".to_owned()];
        let long = vec!["垃圾清运不及时".to_owned(); 15];
        assert!(!CategoryAxis::plan(&short, 60.0, Crowding::Slant).slanted);
        let slanted = CategoryAxis::plan(&long, 40.0, Crowding::Slant);
        assert!(slanted.slanted);
        assert!(slanted.height > CategoryAxis::plan(&short, 60.0, Crowding::Slant).height);
        // Seven characters and a 6 px gap need 83 px: a label every third 40 px slot.
        assert_eq!(CategoryAxis::plan(&long, 40.0, Crowding::Thin).every, 3);
    }
}
