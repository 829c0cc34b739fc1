//! Screen-space line simplification (Ramer–Douglas–Peucker): the points of a polyline that lie
//! within a fraction of a pixel of the line through the points kept anyway are dropped, so a
//! plot of thousands of samples draws the same picture from far fewer triangles (the software
//! rasteriser's cost per frame follows the triangle count). Lines that turn back on themselves
//! are drawn in full.

use egui_plot::PlotPoint;

use crate::figure::{Series, Style};

/// How far (in pixels) a dropped point may lie from the drawn line.
pub const TOLERANCE_PX: f64 = 0.2;

/// Indices of the `n` points `point(i)` to draw, in order (the first and last always), when a
/// plot unit is `scale` pixels along each axis; `None` where the line is drawn in full.
pub fn kept(n: usize, point: impl Fn(usize) -> [f64; 2], scale: [f64; 2]) -> Option<Vec<usize>> {
    if n <= 2 || !(scale[0].is_finite() && scale[1].is_finite()) {
        return None;
    }
    let px = |i: usize| {
        let p = point(i);
        [p[0] * scale[0], p[1] * scale[1]]
    };
    let mut keep = vec![false; n];
    (keep[0], keep[n - 1]) = (true, true);
    let mut stack = vec![(0, n - 1)];
    while let Some((a, b)) = stack.pop() {
        if b <= a + 1 {
            continue;
        }
        let (pa, pb) = (px(a), px(b));
        let (dx, dy) = (pb[0] - pa[0], pb[1] - pa[1]);
        let length_sq = dx * dx + dy * dy;
        let (mut worst, mut at) = (0.0, a);
        for i in a + 1..b {
            let p = px(i);
            let (ex, ey) = (p[0] - pa[0], p[1] - pa[1]);
            // Squared distance to the segment: to the line within it, else to the nearer end.
            let t = if length_sq > 0.0 {
                ((ex * dx + ey * dy) / length_sq).clamp(0.0, 1.0)
            } else {
                0.0
            };
            let (fx, fy) = (ex - t * dx, ey - t * dy);
            let distance_sq = fx * fx + fy * fy;
            if distance_sq > worst {
                (worst, at) = (distance_sq, i);
            }
        }
        if worst > TOLERANCE_PX * TOLERANCE_PX {
            keep[at] = true;
            stack.push((a, at));
            stack.push((at, b));
        }
    }
    // A thinned line that turns back on itself (an oscillation, noise) is drawn in full: egui
    // strokes its sharp turns between long segments as filled wedges.
    let at: Vec<usize> = (0..n).filter(|&i| keep[i]).collect();
    let turns_back = at.windows(3).any(|w| {
        let (p, k, q) = (px(w[0]), px(w[1]), px(w[2]));
        (k[0] - p[0]) * (q[0] - k[0]) + (k[1] - p[1]) * (q[1] - k[1]) < 0.0
    });
    (!turns_back).then_some(at)
}

/// Lines and bands thinned to what shows at a pixel scale (`None`: drawn in full).
pub struct Thinned {
    scale: [f64; 2],
    /// The lines' points to draw.
    pub lines: Vec<Option<Vec<PlotPoint>>>,
    /// The bands' x, lower and upper edges to draw.
    pub bands: Vec<Option<[Vec<f64>; 3]>>,
}

impl Thinned {
    /// Thins the lines (not the dots) of `series` and their bands at `scale` pixels per unit.
    pub fn new(
        series: &[Series],
        lines: &[Vec<PlotPoint>],
        bands: &[(Vec<f64>, Vec<f64>, Vec<f64>)],
        scale: [f64; 2],
    ) -> Thinned {
        let lines = (series.iter().zip(lines))
            .map(|(s, line)| {
                let at = match s.style {
                    Style::Dots | Style::Rings | Style::Hollow => None,
                    _ => kept(line.len(), |i| [line[i].x, line[i].y], scale),
                };
                Some(at?.iter().map(|&i| line[i]).collect())
            })
            .collect();
        let bands = (bands.iter())
            .map(|(xs, lo, hi)| {
                // The union of what either edge needs, so both keep the same x.
                let mut at = kept(xs.len(), |i| [xs[i], lo[i]], scale)?;
                at.extend(kept(xs.len(), |i| [xs[i], hi[i]], scale)?);
                at.sort_unstable();
                at.dedup();
                Some([xs, lo, hi].map(|v| at.iter().map(|&i| v[i]).collect()))
            })
            .collect();
        Thinned {
            scale,
            lines,
            bands,
        }
    }

    /// Whether it was thinned at (within 1 % of) this scale.
    pub fn fits(&self, scale: [f64; 2]) -> bool {
        (0..2).all(|k| (self.scale[k] / scale[k] - 1.0).abs() < 0.01)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Distance in pixels from `p` to the polyline through `line`.
    fn distance_to(line: &[[f64; 2]], p: [f64; 2]) -> f64 {
        line.windows(2)
            .map(|w| {
                let (a, b) = (w[0], w[1]);
                let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
                let l2 = dx * dx + dy * dy;
                let t = if l2 > 0.0 {
                    (((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / l2).clamp(0.0, 1.0)
                } else {
                    0.0
                };
                (p[0] - a[0] - t * dx).hypot(p[1] - a[1] - t * dy)
            })
            .fold(f64::INFINITY, f64::min)
    }

    /// Asserts that every point of `points` lies within the tolerance of the kept polyline.
    fn assert_within_tolerance(points: &[[f64; 2]], kept: &[usize], scale: [f64; 2]) {
        let px = |p: [f64; 2]| [p[0] * scale[0], p[1] * scale[1]];
        let line: Vec<[f64; 2]> = kept.iter().map(|&i| px(points[i])).collect();
        for p in points {
            let d = distance_to(&line, px(*p));
            assert!(d <= TOLERANCE_PX + 1e-9, "a dropped point is {d} px off");
        }
    }

    #[test]
    fn a_smooth_curve_keeps_few_points_and_every_dropped_one_is_within_the_tolerance() {
        // A decaying loss on log axes: 2000 samples over 6 decades on a 700 × 300 pixel plot.
        let points: Vec<[f64; 2]> = (0..2000)
            .map(|k| {
                let x = 6.0 * k as f64 / 1999.0;
                [x, -x + 0.3 * (3.0 * x).sin()]
            })
            .collect();
        let scale = [700.0 / 6.0, 300.0 / 8.0];
        let kept = kept(points.len(), |i| points[i], scale).expect("thinned");
        assert!(kept.len() < 200, "{} of 2000 points kept", kept.len());
        assert_eq!((kept[0], kept[kept.len() - 1]), (0, 1999));
        assert_within_tolerance(&points, &kept, scale);
    }

    #[test]
    fn lines_that_turn_back_are_drawn_in_full() {
        let mut points: Vec<[f64; 2]> = (0..100).map(|k| [k as f64, 0.0]).collect();
        points[50][1] = 10.0;
        let spike = kept(points.len(), |i| points[i], [1.0, 1.0]);
        assert_eq!(spike, None, "a spike keeps its line in full");
        // Noise a pixel tall, ten samples a pixel.
        let zigzag: Vec<[f64; 2]> = (0..50).map(|k| [0.1 * k as f64, (k % 2) as f64]).collect();
        let all = super::kept(zigzag.len(), |i| zigzag[i], [1.0, 1.0]);
        assert_eq!(all, None, "a zigzag is drawn in full");
    }
}
