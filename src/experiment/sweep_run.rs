//! Running a sweep: the grid's seeds a few at a time (each seed's data prepared when its turn
//! comes and dropped when its runs end, so memory does not grow with the number of seeds), every
//! run of those seeds in parallel, the rows returned in grid order.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use super::driver::run_final;
use super::gamma_max::{Bisection, GammaMax};
use super::prepare::{Prepared, prepare};
use super::runs::PairedRuns;
use super::scene::MethodSet;
use super::shard::Shard;
use super::sweep::{GammaAxis, SweepRow, SweepSpec};
use crate::model::analysis::Outcome;
use crate::model::config::{MethodKind, Settings, StepSize};
use crate::model::error::SimError;
use crate::model::trainer::Stop;

/// Bytes of prepared data a sweep keeps alive at once, roughly (it holds at least one seed per
/// thread whatever their size).
const DATA_BUDGET: usize = 256 << 20;

/// Runs the sweep on all cores; `progress` is called after each run; `cancel` stops early
/// (the rows finished so far are returned). Rows are in grid order: α, γ, seed, method.
pub fn run_sweep(
    spec: &SweepSpec,
    progress: &(dyn Fn() + Sync),
    cancel: &AtomicBool,
) -> Result<Vec<SweepRow>, SimError> {
    run_shard(spec, Shard::WHOLE, progress, cancel)
}

/// [`run_sweep`] on the shard's slice of the grid: its rows are exactly the unsharded sweep's
/// rows of that slice (each cell depends only on the scene, α, γ, method and seed).
pub fn run_shard(
    spec: &SweepSpec,
    shard: Shard,
    progress: &(dyn Fn() + Sync),
    cancel: &AtomicBool,
) -> Result<Vec<SweepRow>, SimError> {
    spec.validate()?;
    shard.check(spec)?;
    let p = &spec.base.problem;
    let per_seed = 8 * (p.n + p.n_test) * p.d * (spec.alphas.len() + 2);
    let at_once = (DATA_BUDGET / per_seed.max(1)).clamp(rayon::current_num_threads(), 64);
    let seeds = spec.seeds as usize;
    let mut rows: Vec<(Key, SweepRow)> = Vec::new();
    let mut chunk: Vec<(usize, usize)> = Vec::new();
    let mut in_chunk = 0;
    for s in 0..seeds {
        let before = chunk.len();
        chunk.extend(shard.pairs_of_seed(spec, s));
        in_chunk += usize::from(chunk.len() > before);
        if in_chunk == at_once || s + 1 == seeds {
            chunk.sort_unstable();
            rows.extend(run_pairs(spec, &chunk, progress, cancel)?);
            (chunk, in_chunk) = (Vec::new(), 0);
        }
    }
    rows.sort_by_key(|(key, _)| *key);
    Ok(rows.into_iter().map(|(_, row)| row).collect())
}

/// Where a row sorts in the grid: (α index, γ point index, seed index, method index).
pub(super) type Key = (usize, usize, usize, usize);

/// The rows of the (α index, seed index) `pairs` (sorted), with their grid keys: each seed's
/// data prepared once, then every γ_max bisection and run in parallel.
fn run_pairs(
    spec: &SweepSpec,
    pairs: &[(usize, usize)],
    progress: &(dyn Fn() + Sync),
    cancel: &AtomicBool,
) -> Result<Vec<(Key, SweepRow)>, SimError> {
    let base = &spec.base;
    let mut seeds: Vec<usize> = pairs.iter().map(|&(_, s)| s).collect();
    seeds.sort_unstable();
    seeds.dedup();
    let data: Vec<Prepared> = seeds
        .par_iter()
        .map(|&s| {
            let mut settings = base.clone();
            settings.problem.seed = base.problem.seed.wrapping_add(s as u64);
            prepare(settings, None)
        })
        .collect::<Result<_, SimError>>()?;
    let mut at_pair = Vec::with_capacity(pairs.len());
    for &(a, s) in pairs {
        let seeded = &data[seeds.partition_point(|&x| x < s)];
        let settings = Settings {
            alpha: spec.alphas[a],
            ..seeded.settings.clone()
        };
        at_pair.push(Arc::new(prepare(settings, Some(seeded))?));
    }
    drop(data);
    let maxima = gamma_maxima(spec, &at_pair, progress, cancel)?;
    let mut jobs = Vec::new();
    for (k, prepared) in at_pair.iter().enumerate() {
        let count = spec.methods.len();
        let maxima = maxima.get(k * count..(k + 1) * count).unwrap_or(&[]);
        jobs.extend(pair_jobs(spec, pairs[k], prepared, maxima)?);
    }
    let rows: Vec<Option<(Key, SweepRow)>> = jobs
        .into_par_iter()
        .map(|job| {
            if cancel.load(Ordering::Relaxed) {
                return Ok(None);
            }
            let methods = MethodSet::of(&[job.method]);
            let Some(runs) = run_final(job.prepared.clone(), methods, cancel)? else {
                return Ok(None);
            };
            let row = job.row(&runs);
            progress();
            Ok(row)
        })
        .collect::<Result<_, SimError>>()?;
    Ok(rows.into_iter().flatten().collect())
}

/// One run of a sweep: its place in the grid, its method on its prepared scene, and the γ_max
/// and fraction its row records.
pub(super) struct SweepJob {
    pub(super) key: Key,
    pub(super) method: MethodKind,
    pub(super) prepared: Arc<Prepared>,
    gamma_max: Option<f64>,
    fraction: Option<f64>,
}

impl SweepJob {
    /// The row of the job's finished runs (`None` if they hold no run).
    pub(super) fn row(&self, runs: &PairedRuns) -> Option<(Key, SweepRow)> {
        let run = runs.runs().first()?;
        let (prepared, refs) = (&self.prepared, self.prepared.references.as_ref());
        let row = SweepRow {
            alpha: prepared.settings.alpha,
            method: self.method,
            seed: prepared.settings.problem.seed,
            gamma: prepared.gamma,
            gamma_max: self.gamma_max,
            gamma_fraction: self.fraction,
            l1_error: refs.map_or(f64::NAN, |r| r.l1_error),
            l2_error: refs.map_or(f64::NAN, |r| r.l2_error),
            outcome: Outcome::of(run.trainer()),
            stop: run.stop().unwrap_or(Stop::Budget),
        };
        Some((self.key, row))
    }
}

/// The runs of the (α index, seed index) `pair` on its prepared scene: every γ point × method
/// (`maxima`: the pair's γ_max per method, when the grid needs them).
pub(super) fn pair_jobs(
    spec: &SweepSpec,
    (a, s): (usize, usize),
    prepared: &Arc<Prepared>,
    maxima: &[Option<f64>],
) -> Result<Vec<SweepJob>, SimError> {
    let mut jobs = Vec::new();
    for (g, point) in spec.gammas.points().into_iter().enumerate() {
        for (m, &method) in spec.methods.iter().enumerate() {
            let gamma_max = maxima.get(m).copied().flatten();
            let gamma = match (&spec.gammas, point) {
                (GammaAxis::Fractions(_), Some(f)) => gamma_max.map(|g| f * g),
                (_, Some(g)) => Some(g),
                (_, None) => Some(prepared.gamma),
            };
            let Some(gamma) = gamma else { continue };
            let at = if point.is_none() {
                prepared.clone()
            } else {
                let settings = Settings {
                    step_size: StepSize::Fixed(gamma),
                    ..prepared.settings.clone()
                };
                Arc::new(prepare(settings, Some(prepared))?)
            };
            let fraction = matches!(spec.gammas, GammaAxis::Fractions(_))
                .then_some(point)
                .flatten();
            let key = (a, g, s, m);
            jobs.push(SweepJob {
                key,
                method,
                prepared: at,
                gamma_max,
                fraction,
            });
        }
    }
    Ok(jobs)
}

/// γ_max of every prepared (α, seed) × method, in that order, when the sweep needs it (`None`
/// where the bisection found no bracket or was cancelled); empty otherwise.
fn gamma_maxima(
    spec: &SweepSpec,
    at_pair: &[Arc<Prepared>],
    progress: &(dyn Fn() + Sync),
    cancel: &AtomicBool,
) -> Result<Vec<Option<f64>>, SimError> {
    if !spec.needs_gamma_max() {
        return Ok(Vec::new());
    }
    let cells: Vec<(&Arc<Prepared>, MethodKind)> = at_pair
        .iter()
        .flat_map(|p| spec.methods.iter().map(move |&m| (p, m)))
        .collect();
    cells
        .into_par_iter()
        .map(|(p, method)| {
            let found = gamma_max_of(p, method, cancel);
            progress();
            found
        })
        .collect()
}

/// γ_max of `method` on a prepared (α, seed) (`None` for GF, without a bracket, or cancelled).
fn gamma_max_of(
    p: &Prepared,
    method: MethodKind,
    cancel: &AtomicBool,
) -> Result<Option<f64>, SimError> {
    match bisection_of(p, method)? {
        Some(mut bisection) => found(bisection.advance(None, cancel)),
        None => Ok(None),
    }
}

/// The bisection for γ_max of `method` on a prepared (α, seed), nothing run yet (`None` for GF).
pub(super) fn bisection_of(
    p: &Prepared,
    method: MethodKind,
) -> Result<Option<Bisection>, SimError> {
    if method == MethodKind::Gf {
        return Ok(None);
    }
    let settings = Settings {
        method,
        ..p.settings.clone()
    };
    Bisection::new(&p.problem, &settings, method, p.gamma).map(Some)
}

/// What a sweep keeps of a bisection's end: γ_max, or `None` without a bracket or cancelled;
/// any other failure (a solver's) is the sweep's error, not a missing γ_max.
pub(super) fn found(end: Option<Result<GammaMax, SimError>>) -> Result<Option<f64>, SimError> {
    match end {
        Some(Ok(g)) => Ok(Some(g.gamma_max)),
        None | Some(Err(SimError::NoBracket(_) | SimError::Cancelled)) => Ok(None),
        Some(Err(e)) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_missing_bracket_or_a_cancel_leaves_gamma_max_empty() {
        let no = |e: SimError| found(Some(Err(e)));
        assert_eq!(no(SimError::NoBracket("no step size".into())), Ok(None));
        assert_eq!(no(SimError::Cancelled), Ok(None));
        assert_eq!(found(None), Ok(None));
        let solver = SimError::Numerical("the limit's solve failed".into());
        assert_eq!(no(solver.clone()), Err(solver));
    }
}
