//! The α-sweep "SGD beats GD": α list × methods × seeds, paired data and γ, in parallel.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use super::driver::run_to_end;
use super::prepare::{Prepared, prepare};
use super::scene::MethodSet;
use crate::model::analysis::Outcome;
use crate::model::config::{MethodKind, Settings, check_alpha};
use crate::model::error::SimError;
use crate::model::trainer::Stop;

/// Most seeds a sweep accepts.
pub const MAX_SEEDS: u64 = 10_000;

/// What to sweep: the base settings (problem sizes, step rule, batch, budget) and the grid.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepSpec {
    /// Base settings; `problem.seed` is the first seed.
    pub base: Settings,
    /// The α values.
    pub alphas: Vec<f64>,
    /// The methods, all run on the same data and γ at each (α, seed).
    pub methods: Vec<MethodKind>,
    /// Number of seeds.
    pub seeds: u64,
}

impl SweepSpec {
    /// Checks the grid: a non-empty α list of positive numbers, some methods, at least one seed.
    pub fn validate(&self) -> Result<(), SimError> {
        if self.alphas.is_empty() {
            return Err(SimError::invalid(
                "alphas",
                "(empty)",
                "a non-empty list of numbers > 0",
            ));
        }
        for (k, &a) in self.alphas.iter().enumerate() {
            check_alpha(a)?;
            if self.alphas[..k].contains(&a) {
                return Err(SimError::invalid(
                    "alphas",
                    a,
                    "a list of distinct values (this one repeats)",
                ));
            }
        }
        if self.methods.is_empty() {
            return Err(SimError::invalid(
                "methods",
                "(empty)",
                "a non-empty list of gd, sgd, sgf, gf",
            ));
        }
        if !(1..=MAX_SEEDS).contains(&self.seeds) {
            return Err(SimError::invalid(
                "seeds",
                self.seeds,
                format!("an integer in 1..={MAX_SEEDS}"),
            ));
        }
        if self.base.problem.d <= self.base.problem.n {
            return Err(SimError::NotOverparametrised {
                n: self.base.problem.n,
                d: self.base.problem.d,
                what: "the sweep (its ℓ1 reference and step rule)",
            });
        }
        Ok(())
    }

    /// Number of runs.
    pub fn runs(&self) -> usize {
        self.alphas.len() * self.methods.len() * self.seeds as usize
    }
}

/// One run of the sweep.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepRow {
    /// Initialisation scale α.
    pub alpha: f64,
    /// Method.
    pub method: MethodKind,
    /// Seed of the data.
    pub seed: u64,
    /// Step size, shared by all methods at this (α, seed).
    pub gamma: f64,
    /// ℓ1 reference error of this seed's data.
    pub l1_error: f64,
    /// ℓ2 reference error of this seed's data.
    pub l2_error: f64,
    /// The run's end state.
    pub outcome: Outcome,
    /// Why it stopped.
    pub stop: Stop,
}

/// Runs the sweep on all cores; `progress` is called after each run; `cancel` stops early
/// (the rows finished so far are returned).
pub fn run_sweep(
    spec: &SweepSpec,
    progress: &(dyn Fn() + Sync),
    cancel: &AtomicBool,
) -> Result<Vec<SweepRow>, SimError> {
    spec.validate()?;
    let base = &spec.base;
    let seeds: Vec<u64> = (0..spec.seeds)
        .map(|k| base.problem.seed.wrapping_add(k))
        .collect();
    let data: Vec<Prepared> = seeds
        .par_iter()
        .map(|&seed| {
            let mut settings = base.clone();
            settings.problem.seed = seed;
            prepare(settings, None)
        })
        .collect::<Result<_, SimError>>()?;
    let mut jobs = Vec::with_capacity(spec.runs());
    for &alpha in &spec.alphas {
        for seeded in &data {
            let settings = Settings {
                alpha,
                ..seeded.settings.clone()
            };
            let prepared = Arc::new(prepare(settings, Some(seeded))?);
            for &method in &spec.methods {
                jobs.push((method, prepared.clone()));
            }
        }
    }
    let rows: Vec<Option<SweepRow>> = jobs
        .into_par_iter()
        .map(|(kind, prepared)| {
            if cancel.load(Ordering::Relaxed) {
                return Ok(None);
            }
            let (runs, _) = run_to_end(prepared.clone(), MethodSet::of(&[kind]))?;
            let Some(run) = runs.runs().first() else {
                return Ok(None);
            };
            let refs = prepared.references.as_ref();
            let row = SweepRow {
                alpha: prepared.settings.alpha,
                method: kind,
                seed: prepared.settings.problem.seed,
                gamma: prepared.gamma,
                l1_error: refs.map_or(f64::NAN, |r| r.l1_error),
                l2_error: refs.map_or(f64::NAN, |r| r.l2_error),
                outcome: Outcome::of(run.trainer()),
                stop: run.stop().unwrap_or(Stop::Budget),
            };
            progress();
            Ok(Some(row))
        })
        .collect::<Result<_, SimError>>()?;
    Ok(rows.into_iter().flatten().collect())
}

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

/// Summary of one (α, method) cell over seeds.
#[derive(Clone, Debug, PartialEq)]
pub struct CellSummary {
    /// α.
    pub alpha: f64,
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

/// Per (α, method) summaries, in α then method order.
pub fn summarise(spec: &SweepSpec, rows: &[SweepRow]) -> Vec<CellSummary> {
    let mut cells = Vec::new();
    for &alpha in &spec.alphas {
        for &method in &spec.methods {
            let cell: Vec<&SweepRow> = rows
                .iter()
                .filter(|r| r.alpha == alpha && r.method == method)
                .collect();
            if cell.is_empty() {
                continue;
            }
            let mut errors: Vec<f64> = cell.iter().map(|r| r.outcome.recovery_error).collect();
            let mut ratios: Vec<f64> = cell
                .iter()
                .filter_map(|r| {
                    rows.iter()
                        .find(|g| {
                            g.alpha == alpha && g.seed == r.seed && g.method == MethodKind::Gd
                        })
                        .map(|g| r.outcome.recovery_error / g.outcome.recovery_error)
                })
                .collect();
            let mut alpha_ratios: Vec<f64> = cell.iter().map(|r| r.outcome.alpha_ratio).collect();
            let mut l1: Vec<f64> = cell.iter().map(|r| r.l1_error).collect();
            let mut l2: Vec<f64> = cell.iter().map(|r| r.l2_error).collect();
            cells.push(CellSummary {
                alpha,
                method,
                error_quartiles: [
                    quantile(&mut errors, 0.25),
                    quantile(&mut errors, 0.5),
                    quantile(&mut errors, 0.75),
                ],
                median_ratio_to_gd: (!ratios.is_empty()).then(|| median(&mut ratios)),
                median_alpha_ratio: median(&mut alpha_ratios),
                reference_errors: [median(&mut l1), median(&mut l2)],
            });
        }
    }
    cells
}
