//! Summaries of a sweep: per (α, γ, method) cell the quartiles of the recovery error over seeds
//! and the median paired ratio to GD, and the notes a figure of it should carry.

use super::sweep::{GammaAxis, SweepRow, SweepSpec};
use crate::model::config::MethodKind;
use crate::model::trainer::Stop;

/// What a figure of the sweep should say about runs that did not end at an interpolator: those
/// stopped by the step budget (needing more steps, or oscillating) and those that diverged.
pub fn notes(spec: &SweepSpec, rows: &[SweepRow]) -> Vec<String> {
    let count = |stop: Stop| rows.iter().filter(|r| r.stop == stop).count();
    let (budget, oscillating) = (count(Stop::Budget), count(Stop::NotConverged));
    let diverged = count(Stop::Diverged);
    let total = rows.len();
    let mut notes = Vec::new();
    if budget > 0 {
        notes.push(format!(
            "{budget} of {total} runs hit the {}-step budget before the loss reached {}",
            spec.base.steps,
            crate::model::format::num(spec.base.tol)
        ));
    }
    if oscillating > 0 {
        notes.push(format!(
            "{oscillating} of {total} runs did not converge (oscillating)"
        ));
    }
    if diverged > 0 {
        notes.push(format!("{diverged} of {total} runs diverged"));
    }
    let grid = spec.alphas.len() * spec.gammas.points().len() * spec.methods.len();
    let planned = grid * spec.seeds as usize;
    if matches!(spec.gammas, GammaAxis::Fractions(_)) && total < planned {
        notes.push(format!(
            "{} of {planned} grid runs have no result (no γ_max within the step budget, or cancelled)",
            planned - total
        ));
    }
    notes
}

/// Median of a list (NaN if empty).
pub fn median(values: &mut [f64]) -> f64 {
    quantile(values, 0.5)
}

/// Linear-interpolated quantile `q ∈ [0, 1]` (NaN if empty).
pub fn quantile(values: &mut [f64], q: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(|a, b| a.total_cmp(b));
    let pos = q * (values.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    values[lo] + (values[hi] - values[lo]) * (pos - lo as f64)
}

/// Summary of one (α, γ, method) cell over seeds.
#[derive(Clone, Debug, PartialEq)]
pub struct CellSummary {
    /// α.
    pub alpha: f64,
    /// The γ grid point: a fixed γ or a fraction of γ_max (`None`: the scene's γ).
    pub gamma: Option<f64>,
    /// Median γ_max over seeds, when the sweep bisected for it.
    pub median_gamma_max: Option<f64>,
    /// Runs of the cell that diverged (left out of the error quartiles and ratios; with more
    /// than half of the seeds diverged the cell has no error, NaN).
    pub diverged: usize,
    /// Runs of the cell that oscillated without converging.
    pub not_converged: usize,
    /// Runs of the cell that used their whole budget still descending.
    pub budget: usize,
    /// Runs of the cell (one a seed).
    pub runs: usize,
    /// Method.
    pub method: MethodKind,
    /// Quartiles (25%, 50%, 75%) of the recovery error over seeds.
    pub error_quartiles: [f64; 3],
    /// Median over seeds of the paired ratio error/error_GD (None if GD was not run).
    pub median_ratio_to_gd: Option<f64>,
    /// Median of `α_T/α`.
    pub median_alpha_ratio: f64,
    /// Median ℓ1 and ℓ2 reference errors.
    pub reference_errors: [f64; 2],
}

impl CellSummary {
    /// Whether most of its runs that did not diverge ended unconverged (out of budget or
    /// oscillating): its median error is not a limit's, and figures draw it hollow.
    pub fn unconverged(&self) -> bool {
        2 * (self.budget + self.not_converged) > self.runs - self.diverged
    }
}

/// Per (α, γ, method) summaries, in α, then γ, then method order.
pub fn summarise(spec: &SweepSpec, rows: &[SweepRow]) -> Vec<CellSummary> {
    let mut cells = Vec::new();
    for &alpha in &spec.alphas {
        for gamma in spec.gammas.points() {
            let at = |r: &&SweepRow| r.alpha == alpha && spec.point_of(r) == gamma;
            let here: Vec<&SweepRow> = rows.iter().filter(at).collect();
            for &method in &spec.methods {
                let cell: Vec<&SweepRow> = here
                    .iter()
                    .copied()
                    .filter(|r| r.method == method)
                    .collect();
                if !cell.is_empty() {
                    cells.push(summarise_cell(alpha, gamma, method, &cell, &here));
                }
            }
        }
    }
    cells
}

/// One cell; `here` holds every method's rows at its (α, γ), for the pairing with GD.
fn summarise_cell(
    alpha: f64,
    gamma: Option<f64>,
    method: MethodKind,
    cell: &[&SweepRow],
    here: &[&SweepRow],
) -> CellSummary {
    let column = |f: &dyn Fn(&SweepRow) -> f64| -> Vec<f64> { cell.iter().map(|r| f(r)).collect() };
    let finite = |r: &&&SweepRow| r.stop != Stop::Diverged;
    let diverged = cell.len() - cell.iter().filter(finite).count();
    let mostly_finite = 2 * diverged <= cell.len();
    let mut errors: Vec<f64> = (cell.iter().filter(finite))
        .map(|r| r.outcome.recovery_error)
        .filter(|_| mostly_finite)
        .collect();
    let mut ratios: Vec<f64> = (cell.iter().filter(finite))
        .filter_map(|r| {
            (here.iter().filter(finite))
                .find(|g| g.seed == r.seed && g.method == MethodKind::Gd)
                .map(|g| r.outcome.recovery_error / g.outcome.recovery_error)
        })
        .filter(|_| mostly_finite)
        .collect();
    let mut maxima: Vec<f64> = cell.iter().filter_map(|r| r.gamma_max).collect();
    CellSummary {
        alpha,
        gamma,
        median_gamma_max: (!maxima.is_empty()).then(|| median(&mut maxima)),
        diverged,
        not_converged: cell.iter().filter(|r| r.stop == Stop::NotConverged).count(),
        budget: cell.iter().filter(|r| r.stop == Stop::Budget).count(),
        runs: cell.len(),
        method,
        error_quartiles: [
            quantile(&mut errors, 0.25),
            quantile(&mut errors, 0.5),
            quantile(&mut errors, 0.75),
        ],
        median_ratio_to_gd: (!ratios.is_empty()).then(|| median(&mut ratios)),
        median_alpha_ratio: median(&mut column(&|r| r.outcome.alpha_ratio)),
        reference_errors: [
            median(&mut column(&|r| r.l1_error)),
            median(&mut column(&|r| r.l2_error)),
        ],
    }
}
