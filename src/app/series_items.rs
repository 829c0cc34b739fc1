//! How a live plot draws one series in its style: lines (never egui_plot's filled bands),
//! dashed formulas, diamonds, rings, and hollow points over a line's dots.

use eframe::egui::Color32;
use egui_plot::{Line, LineStyle, MarkerShape, PlotPoint, PlotPoints, PlotUi, Points};

use crate::figure::{Series, Style};

/// Adds the series `s` to `plot` in colour `c`: `points` as drawn (maybe thinned), `line` all
/// of them (for markers, which are never thinned).
pub(super) fn add<'a>(
    plot: &mut PlotUi<'a>,
    s: &'a Series,
    points: PlotPoints<'a>,
    line: &'a [PlotPoint],
    c: Color32,
    thickness: f32,
    dark: bool,
) {
    match s.style {
        // egui_plot's default merges the points of each pixel column into a filled band
        // and fills between sparse columns: steps and noise would grow wedges. The lines
        // come thinned already (simplify.rs).
        Style::Line | Style::LineDots => {
            plot.line(
                Line::new(s.legend_name(), points)
                    .color(c)
                    .allow_band(false)
                    .width(1.6 * thickness),
            );
            // A sweep's medians: a dot at each grid point, as in the exports.
            if s.style == Style::LineDots {
                let dots = Points::new(s.legend_name(), PlotPoints::Borrowed(line));
                plot.add(dots.radius(2.6 * thickness.sqrt()).filled(true).color(c));
            }
        }
        Style::Dashed => plot.line(
            Line::new(s.legend_name(), points)
                .color(c)
                .style(LineStyle::dashed_loose())
                .width(1.2 * thickness),
        ),
        // The plot's background inside a ring, over the line's dot.
        Style::Hollow => {
            let radius = 4.0 * thickness.sqrt();
            let bg = if dark {
                Color32::from_gray(10)
            } else {
                Color32::WHITE
            };
            let ring = || Points::new(s.legend_name(), PlotPoints::Borrowed(line));
            plot.add(ring().radius(radius).filled(true).color(bg));
            plot.add(ring().radius(radius).filled(false).color(c));
        }
        Style::Dots | Style::Rings => plot.add(
            Points::new(s.legend_name(), points)
                .shape(if s.style == Style::Dots {
                    MarkerShape::Diamond
                } else {
                    MarkerShape::Circle
                })
                .filled(s.style == Style::Dots)
                .radius(4.5 * thickness.sqrt())
                .color(c),
        ),
    }
}
