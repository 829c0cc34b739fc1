//! The series of the two α plots: the exact geometric mean of α_k/α over time with its min–max
//! band, and every coordinate's α_j/α at the latest step (scene.rs lays them out as panels).

use crate::experiment::{Record, RunInfo};

use super::palette::{self, GROUND_TRUTH};
use super::scene::{ViewOptions, run_name};
use super::{Series, Style};

/// Exact α_k/α (geometric mean, min–max band) per method, P21's formula dashed for noisy ones.
pub(super) fn alpha_series(record: &Record, view: ViewOptions) -> Vec<Series> {
    let mut series = Vec::new();
    let x = view.x_of(record);
    for (k, h) in &record.histories {
        let c = palette::color(*k);
        let points = h.iter().map(|p| [x(p), p.sample.alpha_ratio]).collect();
        let mut s = Series::new(run_name(record, *k), c, Style::Line, points);
        // Where the identity breaks (isotropic noise) the state's α_j wander over decades: their
        // band would flatten every other curve, so only the geometric mean is drawn.
        if k.keeps_mirror_identity() {
            s.band = (h.iter())
                .map(|p| {
                    let q = &p.sample;
                    [x(p), q.alpha_ratio_min, q.alpha_ratio_max]
                })
                .collect();
        }
        series.push(s);
        if k.is_stochastic() {
            let points = h.iter().map(|p| [x(p), p.sample.alpha_ratio_p21]).collect();
            let name = format!("{} (P21 formula)", k.label());
            series.push(Series::new(name, c, Style::Dashed, points));
        }
    }
    series
}

/// Legend entry of the rings marking the support of β* in the per-coordinate α plot.
pub const SUPPORT_RINGS: &str = "j in the support of β*";

/// Per method with a prediction: every coordinate's exact α_j/α in ascending order, P21's
/// formula for the same coordinates dashed (noisy methods), the support of β* ringed.
pub(super) fn alpha_coord_series(record: &Record, info: &RunInfo) -> Vec<Series> {
    let mut series = Vec::new();
    for (kind, _) in &record.histories {
        let Some(p) = record.prediction(*kind) else {
            continue;
        };
        let mut order: Vec<usize> = (0..p.alpha_exact.len()).collect();
        order.sort_by(|&a, &b| p.alpha_exact[a].total_cmp(&p.alpha_exact[b]));
        let c = palette::color(*kind);
        let along = |values: &[f64]| -> Vec<[f64; 2]> {
            (order.iter().enumerate())
                .map(|(rank, &j)| [rank as f64, values[j]])
                .collect()
        };
        series.push(Series::new(
            run_name(record, *kind),
            c,
            Style::Line,
            along(&p.alpha_exact),
        ));
        if kind.is_stochastic() {
            let name = format!("{} (P21 formula)", kind.label());
            series.push(Series::new(name, c, Style::Dashed, along(&p.alpha_p21)));
        }
        if let Some(product) = p
            .alpha_product
            .as_deref()
            .filter(|_| !kind.keeps_mirror_identity())
        {
            let name = format!("{} (α·exp(−½Σq(D)))", kind.label());
            series.push(Series::new(name, c, Style::Dashed, along(product)));
        }
        let rings = (order.iter().enumerate())
            .filter(|(_, j)| info.support.binary_search(j).is_ok())
            .map(|(rank, &j)| [rank as f64, p.alpha_exact[j]])
            .collect();
        let name = format!("{}: support of β*", kind.label());
        series.push(Series::new(name, GROUND_TRUTH, Style::Rings, rings).grouped(SUPPORT_RINGS));
    }
    series
}
