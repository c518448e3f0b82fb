//! Vertical bars of counts over categories, the body of the histogram and the Pareto chart.

use super::draw::{
    Anchor, Area, CategoryAxis, Crowding, Drawn, VALUE, baseline, empty_note, rect, text,
    value_axis, value_axis_width,
};
use super::layout::{MARGIN, PlotBox, Scale, Slots, Ticks, VALUE_FONT, WIDTH, round, text_width};
use plotters::style::RGBColor;

use super::palette::PRIMARY;

/// The height of the plot itself; labels below it add to the chart's height.
const PLOT_HEIGHT: i32 = 250;
/// The widest a bar gets, however few the categories.
const BAR_MAX: f64 = 56.0;

/// Bars of `counts`, one per category, laid out in a chart [`WIDTH`] wide.
#[derive(Debug)]
pub(super) struct Columns {
    counts: Vec<u64>,
    /// Each bar's colour; [`PRIMARY`] for all when empty.
    colours: Vec<RGBColor>,
    ticks: Ticks,
    axis: CategoryAxis,
    pub plot: PlotBox,
    pub slots: Slots,
    /// The chart's whole height.
    pub height: i32,
}

impl Columns {
    /// `counts[i]` is category `i`'s count (missing ones are 0). `right_room` is kept free
    /// right of the plot, for a second axis.
    pub fn plan(categories: &[String], counts: &[u64], right_room: i32) -> Columns {
        let counts: Vec<u64> = (0..categories.len())
            .map(|i| counts.get(i).copied().unwrap_or(0))
            .collect();
        let max = counts.iter().copied().max().unwrap_or(0);
        let ticks = Ticks::nice(0.0, max as f64, 5, true);
        let top = MARGIN + round(VALUE_FONT) + 4;
        let mut plot = PlotBox {
            left: value_axis_width(&ticks),
            top,
            right: WIDTH - MARGIN - right_room,
            bottom: top + PLOT_HEIGHT,
        };
        let axis = CategoryAxis::plan(
            categories,
            Slots::new(plot.left, plot.right, categories.len()).width(),
            Crowding::Slant,
        );
        plot.left = plot.left.max(axis.min_left(plot.right));
        Columns {
            counts,
            colours: Vec::new(),
            ticks,
            slots: Slots::new(plot.left, plot.right, categories.len()),
            height: plot.bottom + axis.height,
            axis,
            plot,
        }
    }

    /// The same bars, bar `i` in `colours[i]` (missing ones in [`PRIMARY`]).
    pub fn coloured(mut self, colours: Vec<RGBColor>) -> Columns {
        self.colours = colours;
        self
    }

    /// Nothing to draw: no categories, or every count 0.
    pub fn is_empty(&self) -> bool {
        self.counts.iter().all(|&c| c == 0)
    }

    /// Grid, axes and labels; then a bar and its count per category, or the empty note.
    pub fn draw(&self, area: &Area, empty_label: &str) -> Drawn {
        let scale = Scale::new(self.ticks.domain(), (self.plot.bottom, self.plot.top));
        value_axis(area, &self.plot, &scale, &self.ticks)?;
        baseline(area, &self.plot)?;
        self.axis.draw(area, &self.plot, &self.slots)?;
        if self.is_empty() {
            return empty_note(area, &self.plot, empty_label);
        }
        let fill = (BAR_MAX / self.slots.width()).min(0.7);
        for (index, &count) in self.counts.iter().enumerate() {
            let (x0, x1) = self.slots.bar(index, fill);
            // However small next to the tallest, a count above 0 shows as at least a pixel.
            let y = scale
                .px(count as f64)
                .min(self.plot.bottom - i32::from(count > 0));
            if y < self.plot.bottom {
                let colour = self.colours.get(index).copied().unwrap_or(PRIMARY);
                rect(area, (x0, y), (x1, self.plot.bottom), colour)?;
            }
            let label = count.to_string();
            if text_width(&label, VALUE_FONT) <= self.slots.width() {
                text(
                    area,
                    &label,
                    (self.slots.centre(index), y - 3),
                    VALUE,
                    Anchor::Above,
                )?;
            }
        }
        Ok(())
    }
}
