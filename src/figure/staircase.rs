//! The small-α predictions drawn over the time plots on the τ axis (docs/saddles.md): the jump
//! times as vertical lines, the plateau values as dashed steps, coordinates coloured by the
//! order in which they join and a ring where one leaves; and the Lasso path view.

use crate::experiment::small_alpha::SmallAlpha;
use crate::experiment::{Record, RunInfo};
use crate::model::Point;
use crate::model::saddles::Staircase;

use super::palette::{self, OFF_SUPPORT, PREDICTED};
use super::scene::{ViewOptions, XAxis};
use super::{Axis, Panel, Scale, Series, Style};

/// `ln(1/α)`, the time per unit of τ (NaN for α ≥ 1, where τ has no meaning).
pub fn tau_scale(alpha: f64) -> f64 {
    if alpha < 1.0 {
        (1.0 / alpha).ln()
    } else {
        f64::NAN
    }
}

/// Legend entry of the predicted jump times.
pub const JUMPS: &str = "predicted jumps τ_p";
/// Legend entry of the predicted plateaus.
pub const PLATEAUS: &str = "predicted plateaus";
/// The one legend entry of the jump lines and plateaus.
pub const PREDICTION: &str = "GF prediction (dashed)";
/// Legend entry of the marks where a coordinate leaves the support.
pub const LEAVES: &str = "a coordinate leaves";

/// The staircase to draw, when the view is on the τ axis and the data has one.
pub fn shown(info: &RunInfo, view: ViewOptions) -> Option<(&SmallAlpha, &Staircase)> {
    let small = info.small_alpha.as_deref()?;
    let stairs = small.staircase.as_ref().ok()?;
    (view.x_axis == XAxis::Tau && tau_scale(info.scene.alpha).is_finite())
        .then_some((small, stairs))
}

/// "1st", "2nd", …
fn ordinal(k: usize) -> String {
    let suffix = match (k % 10, k % 100) {
        (1, 11..=13) | (2, 11..=13) | (3, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{k}{suffix}")
}

/// A followed coordinate's colour and legend text on the τ axis: by join order, grey if it
/// never joins.
pub fn coord_style(small: &SmallAlpha, d: usize, j: usize) -> ([u8; 3], String, String) {
    let order = small.join_order(d);
    match order.get(j).copied().flatten() {
        Some(k) => {
            // One legend entry for the joiners, listing them in order (a legend per coordinate
            // would cover the plot).
            let mut joiners: Vec<(usize, usize)> = (order.iter().enumerate())
                .filter_map(|(i, o)| o.map(|o| (o, i)))
                .collect();
            joiners.sort_unstable();
            let mut list: Vec<String> = joiners
                .iter()
                .take(4)
                .map(|(_, i)| format!("β_{}", i + 1))
                .collect();
            if joiners.len() > 4 {
                list.push("…".into());
            }
            let group = format!("joins: {}", list.join(" "));
            (
                palette::join_order(k),
                format!("β_{} (joins {})", j + 1, ordinal(k + 1)),
                group,
            )
        }
        None => (
            OFF_SUPPORT,
            format!("β_{}", j + 1),
            "β_j, never joins".into(),
        ),
    }
}

/// The followed coordinates (positions in `coords`) in the order they join, then the others.
pub fn by_join_order(small: &SmallAlpha, coords: &[usize], d: usize) -> Vec<usize> {
    let order = small.join_order(d);
    let mut idx: Vec<usize> = (0..coords.len()).collect();
    idx.sort_by_key(|&i| {
        order
            .get(coords[i])
            .copied()
            .flatten()
            .unwrap_or(usize::MAX)
    });
    idx
}

/// Points of a step function: `values[p]` on `[τ_p, τ_{p+1})` (τ₀ = 0), on to `x_end`.
fn steps(stairs: &Staircase, values: &[f64], x_end: f64) -> Vec<[f64; 2]> {
    let taus: Vec<f64> = std::iter::once(0.0)
        .chain(stairs.saddles.iter().map(|s| s.tau))
        .collect();
    let mut points = Vec::new();
    for (p, (&tau, &v)) in taus.iter().zip(values).enumerate() {
        let end = taus.get(p + 1).copied().unwrap_or(x_end.max(tau));
        points.push([tau, v]);
        points.push([end.min(x_end.max(tau)), v]);
    }
    points
}

/// The loss on each plateau, dashed.
pub fn loss_plateaus(small: &SmallAlpha, stairs: &Staircase, x_end: f64) -> Series {
    // The end point interpolates: its loss is round-off (~1e-32), not a plateau to draw.
    let first = small.losses.first().copied().unwrap_or(0.0);
    let losses: Vec<f64> = (small.losses.iter())
        .map(|&l| if l > 1e-20 * first { l } else { f64::NAN })
        .collect();
    let points = steps(stairs, &losses, x_end);
    Series::new(PLATEAUS, PREDICTED, Style::Dashed, points).grouped(PREDICTION)
}

/// Each followed coordinate's plateau values (dashed, in its join colour) and a ring at each
/// jump where it leaves the support.
pub fn coord_plateaus(small: &SmallAlpha, info: &RunInfo, x_end: f64) -> Vec<Series> {
    let Ok(stairs) = &small.staircase else {
        return Vec::new();
    };
    let d = info.scene.problem.d;
    let mut series = Vec::new();
    let mut rings = Vec::new();
    for i in by_join_order(small, &info.coords, d) {
        let j = info.coords[i];
        let values: Vec<f64> = std::iter::once(0.0)
            .chain(stairs.saddles.iter().map(|s| s.beta[j]))
            .collect();
        if values.iter().all(|v| *v == 0.0) {
            continue;
        }
        let (colour, name, _) = coord_style(small, d, j);
        let points = steps(stairs, &values, x_end);
        let plateau = Series::new(format!("{name}, predicted"), colour, Style::Dashed, points);
        series.push(plateau.grouped(PREDICTION));
        for (p, s) in stairs.saddles.iter().enumerate() {
            if s.leaves.contains(&j) {
                rings.push([s.tau, values[p]]);
            }
        }
    }
    if !rings.is_empty() {
        // One legend entry with the lines and plateaus; the panel's title says what a ring is.
        series.push(Series::new(LEAVES, PREDICTED, Style::Rings, rings).grouped(PREDICTION));
    }
    series
}

/// Vertical dashed lines at every jump time, spanning the panel's series (not its reference
/// levels, which may lie far below the view).
pub fn add_jump_lines(panel: &mut Panel, stairs: &Staircase) {
    let log = panel.y.scale == Scale::Log;
    let ys = (panel.series.iter())
        .flat_map(|s| s.points.iter().map(|p| p[1]))
        .filter(|y| y.is_finite() && (!log || *y > 0.0));
    let (lo, hi) = ys.fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), y| {
        (l.min(y), h.max(y))
    });
    if lo > hi {
        return;
    }
    // Under the data, and first in the legend's shared entry (its swatch is the lines' colour).
    let lines = (stairs.saddles.iter()).map(|s| {
        let points = vec![[s.tau, lo], [s.tau, hi]];
        Series::new(JUMPS, PREDICTED, Style::Dashed, points).grouped(PREDICTION)
    });
    panel.series.splice(0..0, lines);
}

/// Points of the path per unit of log(1/λ) between two knots.
const PATH_POINTS: usize = 16;

/// The Lasso path view: `β_lasso(λ)` of the followed coordinates against `1/λ` (dashed) and the
/// running mean `β̄_t` of the shown method at `λ = ln(1/α)/t`, i.e. at `1/λ = τ` (solid).
pub fn lasso_panel(record: &Record, info: &RunInfo, view: ViewOptions) -> Option<Panel> {
    let small = info.small_alpha.as_deref()?;
    let path = small.lasso.as_ref()?;
    let kind = Some(view.beta_method)
        .filter(|k| record.history(*k).is_some())
        .or_else(|| record.histories.first().map(|(k, _)| *k))?;
    let history = record.history(kind)?;
    let scale = tau_scale(info.scene.alpha);
    let tau = |p: &Point| p.sample.time / scale;
    let lambda_max = path.knots.first()?.0;
    let last_knot = (path.knots.iter().rev())
        .find(|k| k.0 > 0.0)
        .map_or(lambda_max, |k| k.0);
    let x_lo = 0.5 / lambda_max;
    let x_hi = (history.last().map_or(0.0, tau)).max(2.0 / last_knot);
    let samples = ((x_hi / x_lo).log10() * PATH_POINTS as f64).ceil().max(2.0) as usize;
    let xs: Vec<f64> = (0..=samples)
        .map(|k| x_lo * (x_hi / x_lo).powf(k as f64 / samples as f64))
        .collect();
    let betas: Vec<Vec<f64>> = xs.iter().map(|x| path.at(1.0 / x)).collect();
    let d = info.scene.problem.d;
    let mut series = Vec::new();
    for i in by_join_order(small, &info.coords, d) {
        let j = info.coords[i];
        let on_path = betas.iter().any(|b| b[j] != 0.0);
        let (colour, name, group) = coord_style(small, d, j);
        if on_path {
            let points = xs.iter().zip(&betas).map(|(x, b)| [*x, b[j]]).collect();
            let s = Series::new(format!("{name}, Lasso"), colour, Style::Dashed, points);
            series.push(s.grouped("β_lasso(λ) (dashed)"));
        }
        let points = (history.iter())
            .filter(|p| tau(p) >= x_lo)
            .map(|p| [tau(p), p.mean.get(i).copied().unwrap_or(f64::NAN)])
            .collect();
        series.push(Series::new(name, colour, Style::Line, points).grouped(group));
    }
    Some(Panel {
        title: format!(
            "Lasso path β_lasso(λ) (dashed) and the running mean of {}'s β at λ = ln(1/α)/t (solid)",
            kind.label()
        ),
        x: Axis::log("1/λ = t / ln(1/α)"),
        y: Axis::linear("β_j"),
        series,
        references: Vec::new(),
        height: 380.0,
        heatmap: None,
    })
}
