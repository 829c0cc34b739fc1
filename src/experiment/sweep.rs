//! Sweeps: α list × step sizes × methods × seeds on paired data, in parallel. The step sizes are
//! the scene's own γ, a list of fixed values, or fractions of each run's own γ_max.

use super::shard::Shard;
pub use super::sweep_run::{run_shard, run_sweep};
use crate::model::analysis::Outcome;
use crate::model::config::{MethodKind, Settings, check_alpha};
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
        check_length("alphas", self.alphas.len())?;
        for &a in &self.alphas {
            check_alpha(a)?;
        }
        check_distinct("alphas", &self.alphas)?;
        if self.methods.is_empty() {
            return Err(SimError::invalid(
                "methods",
                "(empty)",
                format!(
                    "a non-empty list of {}",
                    crate::model::config::method_names()
                ),
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
        check_length(self.gammas.name(), values.len())?;
        let fractions = matches!(self.gammas, GammaAxis::Fractions(_));
        for &g in &values {
            if !(g > 0.0 && g.is_finite()) || (fractions && g > 10.0) {
                let range = if fractions {
                    "a list of fractions in (0, 10]"
                } else {
                    "a list of step sizes > 0"
                };
                return Err(SimError::invalid(self.gammas.name(), g, range));
            }
        }
        check_distinct(self.gammas.name(), &values)?;
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
        shard.pair_count(self) * per_pair
    }

    /// Number of runs at the grid's points (γ_max bisections not counted).
    pub fn runs_of_points(&self) -> usize {
        Shard::WHOLE.pair_count(self) * self.methods.len() * self.gammas.points().len()
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
    pub(crate) fn needs_gamma_max(&self) -> bool {
        self.find_gamma_max || matches!(self.gammas, GammaAxis::Fractions(_))
    }
}

/// Most values in a sweep's α list or γ list.
pub const MAX_POINTS: usize = 1000;

/// Refuses a list longer than [`MAX_POINTS`].
fn check_length(name: &'static str, len: usize) -> Result<(), SimError> {
    if len > MAX_POINTS {
        let range = format!("a list of at most {MAX_POINTS} values");
        return Err(SimError::invalid(name, format!("({len} values)"), range));
    }
    Ok(())
}

/// Refuses a list with a repeated value (found by sorting a copy: O(k log k)).
fn check_distinct(name: &'static str, values: &[f64]) -> Result<(), SimError> {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.windows(2).find(|w| w[0] == w[1]) {
        Some(w) => Err(SimError::invalid(
            name,
            w[0],
            "a list of distinct values (this one repeats)",
        )),
        None => Ok(()),
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
