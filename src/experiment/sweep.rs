//! Sweeps: α list × step sizes × methods × seeds on paired data, in parallel. The step sizes are
//! the scene's own γ, a list of fixed values, or fractions of each run's own γ_max.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use super::driver::run_to_end;
use super::gamma_max::gamma_max;
use super::prepare::{Prepared, prepare};
use super::scene::MethodSet;
use super::shard::Shard;
use crate::model::analysis::Outcome;
use crate::model::config::{MethodKind, Settings, StepSize, check_alpha};
use crate::model::error::SimError;
use crate::model::trainer::Stop;

/// Most seeds a sweep accepts.
pub const MAX_SEEDS: u64 = 10_000;

/// The step sizes a sweep runs at each (α, seed).
#[derive(Clone, Debug, Default, PartialEq)]
pub enum GammaAxis {
    /// The scene's own γ (its rule or fixed value), shared by every method.
    #[default]
    Scene,
    /// These fixed values, shared by every method.
    Values(Vec<f64>),
    /// These fractions of each (α, method, seed)'s own γ_max.
    Fractions(Vec<f64>),
}

impl GammaAxis {
    /// The points of the axis: a value, a fraction, or `None` for the scene's γ.
    pub fn points(&self) -> Vec<Option<f64>> {
        match self {
            GammaAxis::Scene => vec![None],
            GammaAxis::Values(v) | GammaAxis::Fractions(v) => v.iter().copied().map(Some).collect(),
        }
    }

    /// The name of the list as a flag.
    fn name(&self) -> &'static str {
        match self {
            GammaAxis::Fractions(_) => "gamma-fractions",
            _ => "gammas",
        }
    }
}

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
    /// The step sizes.
    pub gammas: GammaAxis,
    /// Also bisect for each (α, method, seed)'s γ_max when the axis does not need it.
    pub find_gamma_max: bool,
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
                "a non-empty list of gd, sgd, sgf, gf, label-noise, iso-noise",
            ));
        }
        if !(1..=MAX_SEEDS).contains(&self.seeds) {
            return Err(SimError::invalid(
                "seeds",
                self.seeds,
                format!("an integer in 1..={MAX_SEEDS}"),
            ));
        }
        let values: Vec<f64> = self.gammas.points().into_iter().flatten().collect();
        if values.is_empty() && self.gammas != GammaAxis::Scene {
            return Err(SimError::invalid(
                self.gammas.name(),
                "(empty)",
                "a non-empty list of numbers > 0",
            ));
        }
        let fractions = matches!(self.gammas, GammaAxis::Fractions(_));
        for (k, &g) in values.iter().enumerate() {
            if !(g > 0.0 && g.is_finite()) || (fractions && g > 10.0) {
                let range = if fractions {
                    "a list of fractions in (0, 10]"
                } else {
                    "a list of step sizes > 0"
                };
                return Err(SimError::invalid(self.gammas.name(), g, range));
            }
            if values[..k].contains(&g) {
                return Err(SimError::invalid(
                    self.gammas.name(),
                    g,
                    "a list of distinct values (this one repeats)",
                ));
            }
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

    /// Number of runs at the grid's points (each γ_max bisection counted as one).
    pub fn runs(&self) -> usize {
        self.runs_in(Shard::WHOLE)
    }

    /// Number of runs of the shard's slice of the grid (each γ_max bisection counted as one).
    pub fn runs_in(&self, shard: Shard) -> usize {
        let bisections = usize::from(self.needs_gamma_max());
        let per_pair = self.methods.len() * (self.gammas.points().len() + bisections);
        shard.pairs(self).len() * per_pair
    }

    /// The grid point of a row: its fixed γ or fraction (`None` on the scene's γ).
    pub fn point_of(&self, row: &SweepRow) -> Option<f64> {
        match self.gammas {
            GammaAxis::Scene => None,
            GammaAxis::Values(_) => Some(row.gamma),
            GammaAxis::Fractions(_) => row.gamma_fraction,
        }
    }

    /// Whether the sweep bisects for γ_max.
    fn needs_gamma_max(&self) -> bool {
        self.find_gamma_max || matches!(self.gammas, GammaAxis::Fractions(_))
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
    /// Step size.
    pub gamma: f64,
    /// This (α, method, seed)'s γ_max, when the sweep bisected for it.
    pub gamma_max: Option<f64>,
    /// `γ / γ_max` on a fraction axis (the grid point).
    pub gamma_fraction: Option<f64>,
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
    let base = &spec.base;
    let pairs = shard.pairs(spec);
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
    for &(a, s) in &pairs {
        let seeded = &data[seeds.partition_point(|&x| x < s)];
        let settings = Settings {
            alpha: spec.alphas[a],
            ..seeded.settings.clone()
        };
        at_pair.push(Arc::new(prepare(settings, Some(seeded))?));
    }
    let maxima = gamma_maxima(spec, &at_pair, progress, cancel)?;
    let mut jobs = Vec::with_capacity(spec.runs_in(shard));
    for a in 0..spec.alphas.len() {
        for point in spec.gammas.points() {
            for (k, prepared) in at_pair.iter().enumerate().filter(|(k, _)| pairs[*k].0 == a) {
                for (m, &method) in spec.methods.iter().enumerate() {
                    let gamma_max = maxima.get(k * spec.methods.len() + m).copied().flatten();
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
                    jobs.push((method, at, gamma_max, fraction));
                }
            }
        }
    }
    let rows: Vec<Option<SweepRow>> = jobs
        .into_par_iter()
        .map(|(kind, prepared, gamma_max, gamma_fraction)| {
            if cancel.load(Ordering::Relaxed) {
                return Ok(None);
            }
            let (runs, _) = run_to_end(prepared.clone(), MethodSet::of(&[kind]), false)?;
            let Some(run) = runs.runs().first() else {
                return Ok(None);
            };
            let refs = prepared.references.as_ref();
            let row = SweepRow {
                alpha: prepared.settings.alpha,
                method: kind,
                seed: prepared.settings.problem.seed,
                gamma: prepared.gamma,
                gamma_max,
                gamma_fraction,
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
            if cancel.load(Ordering::Relaxed) || method == MethodKind::Gf {
                return Ok(None);
            }
            let settings = Settings {
                method,
                ..p.settings.clone()
            };
            let found = gamma_max(&p.problem, &settings, method, p.gamma, cancel);
            progress();
            match found {
                Ok(g) => Ok(Some(g.gamma_max)),
                Err(SimError::Numerical(_)) => Ok(None),
                Err(e) => Err(e),
            }
        })
        .collect()
}
