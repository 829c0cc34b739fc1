//! Where a live plot's legend goes: the corner whose quarter its data crosses least.

use egui_plot::{Corner, PlotPoint};

/// Cells per side of the occupancy grid that places the legend.
const GRID: usize = 12;

/// The corner of the data's extent whose quarter (5 × 6 of 12 × 12 cells) holds fewest cells
/// with points of the lines or bands, or reference `levels`; ties go to the first of bottom-left, top-right, top-left,
/// bottom-right.
pub(super) fn quietest_corner(
    lines: &[Vec<PlotPoint>],
    bands: &[(Vec<f64>, Vec<f64>, Vec<f64>)],
    levels: &[f64],
    x: (f64, f64),
    y: (f64, f64),
) -> Corner {
    let y = levels
        .iter()
        .fold(y, |(lo, hi), v| (lo.min(*v), hi.max(*v)));
    let mut used = [[false; GRID]; GRID];
    let cell = |v: f64, (lo, hi): (f64, f64)| {
        let t = if hi > lo { (v - lo) / (hi - lo) } else { 0.5 };
        ((t * GRID as f64) as usize).min(GRID - 1)
    };
    for p in lines.iter().flatten() {
        used[cell(p.x, x)][cell(p.y, y)] = true;
    }
    for v in levels {
        // The dashed line across, and its name just above its left end.
        let row = cell(*v, y);
        used.iter_mut().for_each(|column| column[row] = true);
        let above = (row + 1).min(GRID - 1);
        used.iter_mut()
            .take(4)
            .for_each(|column| column[above] = true);
    }
    for (xs, lo, hi) in bands {
        for ((bx, l), h) in xs.iter().zip(lo).zip(hi) {
            let column = &mut used[cell(*bx, x)];
            (cell(*l, y)..=cell(*h, y)).for_each(|j| column[j] = true);
        }
    }
    let (w, h) = (5, 6);
    let count = |xr: std::ops::Range<usize>, yr: std::ops::Range<usize>| {
        xr.flat_map(|i| yr.clone().map(move |j| (i, j)))
            .filter(|&(i, j)| used[i][j])
            .count()
    };
    [
        (Corner::LeftBottom, count(0..w, 0..h)),
        (Corner::RightTop, count(GRID - w..GRID, GRID - h..GRID)),
        (Corner::LeftTop, count(0..w, GRID - h..GRID)),
        (Corner::RightBottom, count(GRID - w..GRID, 0..h)),
    ]
    .into_iter()
    .min_by_key(|&(_, n)| n)
    .map_or(Corner::LeftBottom, |(c, _)| c)
}
