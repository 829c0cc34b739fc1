//! Where each panel goes: stacked on the full width with the legend at the right, or a few a
//! row (two: the app's 2×2 view) with the legend under each plot.

use super::{BELOW, LEFT, LEGEND, Options, PANEL_TITLE, WIDTH, legend};
use crate::figure::panel::{Figure, Panel};

/// Left margin of a grid cell (tick labels and the rotated y label).
const GRID_LEFT: f64 = 80.0;
/// Right margin of a grid cell.
const GRID_RIGHT: f64 = 18.0;
/// Room right of a grid cell's heatmap for its colour bar and the bar's labels.
const COLOUR_BAR: f64 = 130.0;
/// Height of a grid cell's plotting area.
const GRID_HEIGHT: f64 = 250.0;

/// The box of one panel.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Cell {
    /// Left edge of the cell.
    pub x0: f64,
    /// Left edge of the plotting area.
    pub left: f64,
    /// Right edge of the plotting area.
    pub right: f64,
    /// Top of the plotting area.
    pub top: f64,
    /// Height of the plotting area.
    pub height: f64,
    /// Bottom of everything the panel draws.
    pub bottom: f64,
    /// Room for the panel title (its font shrinks to fit).
    pub title_width: f64,
    /// Legend rows under the plot instead of a column at its right.
    pub legend_below: bool,
}

/// The cells of a figure's panels, starting at `top`.
pub(super) fn cells(fig: &Figure, options: &Options, top: f64) -> Vec<Cell> {
    let mut out = Vec::with_capacity(fig.panels.len());
    let mut y0 = top;
    if !options.grid {
        for p in &fig.panels {
            let top = y0 + PANEL_TITLE;
            let height = options.cell_height.unwrap_or(p.height);
            out.push(Cell {
                x0: 0.0,
                left: LEFT,
                right: WIDTH - LEGEND,
                top,
                height,
                bottom: top + height + BELOW,
                title_width: f64::INFINITY,
                legend_below: false,
            });
            y0 = top + height + BELOW;
        }
        return out;
    }
    let columns = options.columns.unwrap_or(2).max(1);
    let width = WIDTH / columns as f64;
    let height = options.cell_height.unwrap_or(GRID_HEIGHT);
    for row in fig.panels.chunks(columns) {
        let top = y0 + PANEL_TITLE;
        let below = |p: &Panel| BELOW + legend::rows_height(p);
        let row_bottom = top + height + row.iter().map(below).fold(0.0, f64::max);
        for (col, p) in row.iter().enumerate() {
            let x0 = width * col as f64;
            // A heatmap's colour bar and its labels sit at its right, inside the cell.
            let right = match p.heatmap {
                Some(_) => COLOUR_BAR,
                None => GRID_RIGHT,
            };
            out.push(Cell {
                x0,
                left: x0 + GRID_LEFT,
                right: x0 + width - right,
                top,
                height,
                bottom: row_bottom,
                title_width: width - 12.0,
                legend_below: true,
            });
        }
        y0 = row_bottom;
    }
    out
}

/// The font size at most `size`, to a tenth, at which `text` fits in `width` (estimated from
/// DejaVu Sans's average advance of about 0.62 em for bold text).
pub(super) fn fit_font(text: &str, size: f64, width: f64) -> f64 {
    let em = 0.62 * text.chars().count() as f64;
    if em * size <= width {
        size
    } else {
        ((10.0 * width / em).floor() / 10.0).max(8.0)
    }
}
