//! How a live plot is drawn this frame, and the measure of legends on data: the points drawn
//! inside a plot's frame and how many of them a legend entry covers (`gui --screenshot` writes
//! it beside the PNG; the legends sit in a strip above the plot, so it should be none).

use std::collections::BTreeSet;

use eframe::egui;
use egui_plot::{PlotPoint, PlotTransform};

use crate::figure::Series;

/// How a panel is drawn this frame.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Look {
    /// Line-width multiplier.
    pub thickness: f32,
    /// The pointer read-out and crosshair.
    pub hover: bool,
    /// The least height given to the legend strip (to align the plots of a row).
    pub strip: f32,
    /// Count the drawn points under the legend (for `gui --screenshot`'s report).
    pub measure: bool,
}

/// The data points drawn inside a plot's frame, and how many of them a legend entry covers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Coverage {
    /// Points of the lines and marks inside the plot's frame.
    pub points: usize,
    /// Of those, the points inside a legend entry's rectangle.
    pub under_legend: usize,
}

/// Counts the points of the shown `series` (drawn as `lines`, in plot coordinates) inside the
/// plot's frame, and those of them inside one of the `legend` rectangles; hidden series skipped.
pub fn count(
    series: &[Series],
    lines: &[Vec<PlotPoint>],
    t: &PlotTransform,
    legend: &[egui::Rect],
    hidden: &BTreeSet<String>,
) -> Coverage {
    let frame = *t.frame();
    let mut c = Coverage::default();
    for (s, line) in series.iter().zip(lines) {
        if hidden.contains(s.legend_name()) {
            continue;
        }
        for p in line {
            let at = t.position_from_point(p);
            if frame.contains(at) {
                c.points += 1;
                c.under_legend += usize::from(legend.iter().any(|r| r.contains(at)));
            }
        }
    }
    c
}
