//! Grid marks and tick labels of the live plots' axes: decades (with 2 and 5 marks, or round
//! linear values when less than a factor two is in view) on log axes, about five round marks
//! on linear ones, one label style per axis; the axis titles; where reference levels go.

use egui_plot::{GridInput, GridMark};

use super::legend_strip::Mark;
use super::plot_view::coord;
use crate::figure::{Heatmap, Panel, Scale, num};
use crate::model::format::short;

/// Decade grid lines (thinned when many decades are visible, 2 and 5 marks when few).
fn decade_spacer(input: GridInput) -> Vec<GridMark> {
    let (lo, hi) = input.bounds;
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo {
        return Vec::new();
    }
    let span = hi - lo;
    if span < NARROW {
        // Less than a factor of two in view: round values (1-2-5 steps), placed on the log axis.
        let step = round_step((10f64.powf(hi) - 10f64.powf(lo)) / 5.0);
        let mut k = (10f64.powf(lo) / step).ceil();
        let mut marks = Vec::new();
        while k * step <= 10f64.powf(hi) && marks.len() < MAX_MARKS {
            marks.push(GridMark {
                value: (k * step).log10(),
                step_size: 1.0,
            });
            k += 1.0;
        }
        return marks;
    }
    // At most eight labelled decades, each at least LABEL_ROOM apart on screen (on a short plot
    // egui_plot hides the labels of marks closer than a label's height).
    let room = LABEL_ROOM * input.base_step_size;
    let step = [1.0, 2.0, 5.0, 10.0, 20.0]
        .into_iter()
        .find(|s| span / s <= 8.0 && *s >= room)
        .unwrap_or(50.0);
    let mut marks = Vec::new();
    let mut k = (lo / step).ceil() * step;
    while k <= hi && marks.len() < MAX_MARKS {
        marks.push(GridMark {
            value: k,
            step_size: step,
        });
        k += step;
    }
    if span <= 3.0 {
        let mut decade = lo.floor();
        while decade <= hi && marks.len() < MAX_MARKS {
            for m in 2..=9 {
                let v = decade + f64::from(m).log10();
                if v > lo && v < hi {
                    let labelled = m == 2 || m == 5 || span <= 0.6;
                    let step_size = if labelled { 0.3 } else { 0.05 };
                    marks.push(GridMark {
                        value: v,
                        step_size,
                    });
                }
            }
            decade += 1.0;
        }
    }
    marks
}

/// A log-axis label in one style for the whole axis: plain numbers when every visible value
/// lies in [1e-3, 1e4), else `1e-2`, `2e-2`, `5e-2` throughout.
fn decade_label(mark: GridMark, range: &std::ops::RangeInclusive<f64>) -> String {
    if mark.step_size < 0.1 {
        return String::new();
    }
    let v = 10f64.powf(mark.value);
    if range.end() - range.start() < NARROW {
        let step = round_step((10f64.powf(*range.end()) - 10f64.powf(*range.start())) / 5.0);
        let decimals = (-step.log10().floor()).max(0.0) as usize;
        return format!("{v:.decimals$}");
    }
    let plain = *range.start() >= -3.0 && *range.end() < 4.0;
    let k = mark.value.floor();
    let mantissa = (10f64.powf(mark.value - k)).round();
    if plain {
        let decimals = (-k).max(0.0) as usize;
        format!("{v:.decimals$}")
    } else if mantissa >= 10.0 {
        format!("1e{}", k as i64 + 1)
    } else {
        format!("{}e{}", mantissa as i64, k as i64)
    }
}

/// Labelled marks are at least this many times egui_plot's smallest grid spacing (8 points)
/// apart, so that their labels (hidden closer than about 20 points) stay.
const LABEL_ROOM: f64 = 3.0;

/// Most grid marks of an axis: at the far ends of the doubles, `k + 1.0 == k` and a loop
/// counting marks would never end.
const MAX_MARKS: usize = 200;

/// A log axis spanning less than this many decades (a factor of two) gets round linear values.
const NARROW: f64 = 0.3;

/// The smallest 1, 2, 5 × 10ᵏ step at least `raw`.
fn round_step(raw: f64) -> f64 {
    let decade = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * decade)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * decade)
}

/// About five round (1, 2, 5 × 10ᵏ) grid marks, so every axis keeps several labels at any size.
fn linear_spacer(input: GridInput) -> Vec<GridMark> {
    let (lo, hi) = input.bounds;
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo {
        return Vec::new();
    }
    let step = round_step(((hi - lo) / 5.0).max(LABEL_ROOM * input.base_step_size));
    let mut marks = Vec::new();
    let mut k = (lo / step).ceil();
    while k * step <= hi && marks.len() < MAX_MARKS {
        marks.push(GridMark {
            value: k * step,
            step_size: step,
        });
        k += 1.0;
    }
    marks
}

/// Grid marks of an axis.
type Spacer = fn(GridInput) -> Vec<GridMark>;
/// Tick labels of an axis.
type Labeller = fn(GridMark, &std::ops::RangeInclusive<f64>) -> String;

/// `plot` with the grid marks and tick labels of the panel's axes — a heatmap's at its grid
/// values (one mark a cell, labelled with the value), others' round values — and the range
/// its y axis always shows.
pub(super) fn with_axes<'a>(mut plot: egui_plot::Plot<'a>, p: &Panel) -> egui_plot::Plot<'a> {
    let (x, y) = (p.x.scale, p.y.scale);
    for v in p.y.include.iter().flatten().filter_map(|v| coord(*v, y)) {
        plot = plot.include_y(v);
    }
    if let Some(h) = &p.heatmap {
        let (xs, ys) = (cell_marks(&h.xs, x), cell_marks(&h.ys, y));
        let (xl, yl) = (xs.clone(), ys.clone());
        // A cell's label shows once it fits the cell (egui_plot's default wants 60 points).
        let x_axis = egui_plot::AxisHints::new_x()
            .label(axis_label(&p.x.label, x == Scale::Log))
            .formatter(move |m, _| cell_label(m, &xl))
            .label_spacing(20.0..=30.0);
        return (plot.x_grid_spacer(move |_| xs.iter().map(|c| c.0).collect()))
            .custom_x_axes(vec![x_axis])
            .y_grid_spacer(move |_| ys.iter().map(|c| c.0).collect())
            .y_axis_formatter(move |m, _| cell_label(m, &yl));
    }
    let ((x_spacer, x_label), (y_spacer, y_label)) = (axis_style(x), axis_style(y));
    (plot.x_grid_spacer(x_spacer))
        .x_axis_formatter(x_label)
        .y_grid_spacer(y_spacer)
        .y_axis_formatter(y_label)
}

/// A mark at the centre of each heatmap cell (plot coordinates) with its grid value; marks are
/// as wide as a cell, so labels fade only when cells get too narrow for them.
fn cell_marks(values: &[f64], scale: Scale) -> Vec<(GridMark, f64)> {
    let centres = Heatmap::centres(values, scale == Scale::Log);
    let at: Vec<(f64, f64)> = (centres.iter().zip(values))
        .filter_map(|(c, v)| Some((coord(*c, scale)?, *v)))
        .collect();
    let width = match at.as_slice() {
        [(a, _), (b, _), ..] => (b - a).abs(),
        _ => 1.0,
    };
    (at.into_iter())
        .map(|(value, v)| {
            (
                GridMark {
                    value,
                    step_size: width,
                },
                v,
            )
        })
        .collect()
}

/// A cell mark's label: its grid value, to three digits.
fn cell_label(mark: GridMark, cells: &[(GridMark, f64)]) -> String {
    (cells.iter())
        .find(|(m, _)| (m.value - mark.value).abs() <= 1e-9 * mark.step_size.max(1e-300))
        .map_or_else(String::new, |(_, v)| short(*v))
}

/// The grid marks and tick labels of a log or a linear axis.
fn axis_style(scale: Scale) -> (Spacer, Labeller) {
    let log = scale == Scale::Log;
    if log {
        (decade_spacer, decade_label)
    } else {
        (linear_spacer, linear_label)
    }
}

/// A linear-axis label with as many decimals as the grid step needs (never "0.0000" for all).
fn linear_label(mark: GridMark, _range: &std::ops::RangeInclusive<f64>) -> String {
    let step = mark.step_size.abs();
    if !(step.is_finite() && step > 0.0) {
        return num(mark.value);
    }
    if mark.value.abs() < 1e-9 * step {
        // The zero mark, whatever round-off put it a hair off zero (never "-0.0e0").
        return "0".into();
    }
    if !(1e-4..1e6).contains(&step) {
        return format!("{:.1e}", mark.value);
    }
    let decimals = (-step.log10().floor()).max(0.0) as usize;
    format!("{:.decimals$}", mark.value)
}

/// A reference level that lies far outside the data: drawn as a marker on the edge.
pub(super) enum Level {
    /// A dashed line across at this y (plot coordinates).
    Line(f64),
    /// Below the view: a ▼ on the bottom edge.
    Below,
    /// Above the view: a ▲ on the top edge.
    Above,
}

impl Level {
    /// The legend swatch of a level drawn this way.
    pub(super) fn mark(&self) -> Mark {
        match self {
            Level::Line(_) => Mark::Dashed,
            Level::Below => Mark::Below,
            Level::Above => Mark::Above,
        }
    }
}

/// Where each reference level of `panel` goes on a y axis showing `y_range`: a line, or a
/// marker on the edge when it lies more than a decade (log) or a span (linear) outside.
pub(super) fn levels(panel: &Panel, y_range: Option<(f64, f64)>) -> Vec<Level> {
    let ys = panel.y.scale;
    let margin = |(lo, hi): (f64, f64)| match ys {
        Scale::Log => 1.0,
        Scale::Linear => (hi - lo).max(1e-12),
    };
    (panel.references.iter())
        .map(|r| match (coord(r.value, ys), y_range) {
            (Some(v), Some(range)) if v < range.0 - margin(range) => Level::Below,
            (Some(v), Some(range)) if v > range.1 + margin(range) => Level::Above,
            (Some(v), _) => Level::Line(v),
            (None, _) => Level::Below,
        })
        .collect()
}

/// A y axis title along `height` points at `font` points: the whole title when it fits, else
/// its symbol (the part before " = ").
pub(super) fn y_label(label: &str, height: f32, font: f32) -> String {
    // About 0.55 em a character: a longer title would run into the legend above the plot.
    if label.chars().count() as f32 * 0.55 * font <= height {
        return label.to_string();
    }
    label.split(" = ").next().unwrap_or(label).to_string()
}

/// An x axis title, marked `(log)` on a log axis.
pub(super) fn axis_label(label: &str, log: bool) -> String {
    if log {
        format!("{label} (log)")
    } else {
        label.to_string()
    }
}
