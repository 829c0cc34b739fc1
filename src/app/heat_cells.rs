//! A heatmap's cells (the phase diagram) as filled quads in plot coordinates, each named by its
//! value or status and its grid values for the hover read-out.

use eframe::egui::Color32;

use super::plot_view::{coord, rgb};
use crate::figure::palette::STATUS_CELL;
use crate::figure::{Cell, Heatmap, Scale, num};

/// The cells of a heatmap as filled quads in plot coordinates, named by their value or status.
pub(super) fn heat_cells(
    h: &Heatmap,
    xs: Scale,
    ys: Scale,
) -> Vec<([[f64; 2]; 4], Color32, String)> {
    let (xe, ye) = (
        Heatmap::edges(&h.xs, xs == Scale::Log),
        Heatmap::edges(&h.ys, ys == Scale::Log),
    );
    let mut out = Vec::new();
    for (r, row) in h.cells.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (fill, name) = match cell {
                Cell::Value(v) => (rgb(h.colour(*v)), format!("{}: {}", h.label, num(*v))),
                Cell::Diverged => (rgb(STATUS_CELL), "diverged".into()),
                Cell::NotConverged => (rgb(STATUS_CELL), "not converged".into()),
                Cell::Empty => continue,
            };
            let corner = |x: f64, y: f64| Some([coord(x, xs)?, coord(y, ys)?]);
            let quad = [
                corner(xe[c], ye[r]),
                corner(xe[c + 1], ye[r]),
                corner(xe[c + 1], ye[r + 1]),
                corner(xe[c], ye[r + 1]),
            ];
            if let [Some(a), Some(b), Some(cc), Some(d)] = quad {
                // The cell's own grid values, not the pointer's position.
                let at = format!("{name}\nat x = {}, y = {}", num(h.xs[c]), num(h.ys[r]));
                out.push(([a, b, cc, d], fill, at));
            }
        }
    }
    out
}

/// The hover text of the cell containing the point `at` (plot coordinates), if any.
pub(super) fn cell_at(cells: &[([[f64; 2]; 4], Color32, String)], at: [f64; 2]) -> Option<&String> {
    let spans = |v: f64, edges: [f64; 4]| {
        let lo = edges.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = edges.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        (lo..=hi).contains(&v)
    };
    (cells.iter())
        .find(|(q, _, _)| spans(at[0], q.map(|c| c[0])) && spans(at[1], q.map(|c| c[1])))
        .map(|(_, _, text)| text)
}
