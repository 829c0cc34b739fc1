//! Where a live plot's legend goes: the corner whose quarter its data crosses least.

use egui_plot::{Corner, PlotPoint};

/// Cells per side of the occupancy grid that places the legend.
const GRID: usize = 12;

/// The corner of the data's extent whose quarter (5 × 6 of 12 × 12 cells) the lines, bands and
/// reference `levels` cross least; ties go to the first of bottom-left, top-right, top-left,
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
    for line in lines {
        if let [only] = line.as_slice() {
            used[cell(only.x, x)][cell(only.y, y)] = true;
        }
        for pair in line.windows(2) {
            // Two marks per cell the segment spans, so a steep segment between distant samples
            // marks the cells it crosses, not only its ends (most segments lie in one cell).
            let (a, b) = (pair[0], pair[1]);
            let spans =
                (cell(a.x, x).abs_diff(cell(b.x, x))).max(cell(a.y, y).abs_diff(cell(b.y, y)));
            let marks = 2 * spans + 1;
            for k in 0..=marks {
                let t = k as f64 / marks as f64;
                let (px, py) = (a.x + t * (b.x - a.x), a.y + t * (b.y - a.y));
                used[cell(px, x)][cell(py, y)] = true;
            }
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_segment_between_distant_samples_counts_along_its_path() {
        // One segment across the lower half, from the bottom-left corner to the right edge, and
        // two single points in the top corners: by samples alone every quarter holds one cell
        // and the tie goes to bottom-left, right across the segment's path; along its path the
        // lower quarters hold about five cells each, and the legend goes top right.
        let segment = vec![PlotPoint::new(0.0, 0.0), PlotPoint::new(1.0, 0.45)];
        let top_left = vec![PlotPoint::new(0.0, 1.0)];
        let top_right = vec![PlotPoint::new(1.0, 1.0)];
        let lines = [segment, top_left, top_right];
        let corner = quietest_corner(&lines, &[], &[], (0.0, 1.0), (0.0, 1.0));
        assert_eq!(corner, Corner::RightTop);
    }
}
