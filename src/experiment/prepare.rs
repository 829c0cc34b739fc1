//! A prepared scene: the data, its reference interpolators, γ and its stability limit, the
//! gradient-flow limit and the followed coordinates — computed once for every front end.

use std::sync::atomic::AtomicBool;
use std::sync::{Arc, OnceLock};

use crate::model::analysis::rho0;
use crate::model::bias::{SolveOptions, implicit_bias_with};
use crate::model::stability::{resolve_gamma, sgd_limit};
use crate::model::{Problem, References, Settings, SimError};

use super::small_alpha::SmallAlpha;

/// Most β coordinates followed in the coordinate plot.
pub const MAX_COORDS: usize = 16;

/// What every method of a scene shares.
#[derive(Debug)]
pub struct Prepared {
    /// The scene (its `method` is the single run's, for `run`).
    pub settings: Settings,
    /// The generated problem.
    pub problem: Arc<Problem>,
    /// ℓ1/ℓ2 references, when `d > n`.
    pub references: Option<Arc<References>>,
    /// The resolved step size γ.
    pub gamma: f64,
    /// Single-sample SGD stability limit `2 / max_i κ_i(β_ℓ1, ρ₀)`, when `d > n`.
    pub gamma_limit: Option<f64>,
    /// Followed coordinates of β: the support of β* first, then the ℓ2 interpolator's largest.
    pub coords: Vec<usize>,
    /// The staircase and Lasso path of the data (docs/saddles.md), up to
    /// [`SMALL_ALPHA_UP_TO`](super::small_alpha::SMALL_ALPHA_UP_TO) entries.
    pub small_alpha: Option<Arc<SmallAlpha>>,
    gf_error: OnceLock<Option<f64>>,
}

/// Prepares `settings`, reusing the data and references of `previous` when its problem is the
/// same (changing α, γ, b or the methods keeps the data).
pub fn prepare(settings: Settings, previous: Option<&Prepared>) -> Result<Prepared, SimError> {
    prepare_until(settings, previous, &AtomicBool::new(false))
}

/// [`prepare`], given up with [`SimError::Cancelled`] once `cancel` is raised (between steps
/// of basis pursuit).
pub fn prepare_until(
    settings: Settings,
    previous: Option<&Prepared>,
    cancel: &AtomicBool,
) -> Result<Prepared, SimError> {
    let same_data = previous.filter(|p| p.settings.problem == settings.problem);
    let (problem, references, small_alpha) = match same_data {
        Some(p) => (
            p.problem.clone(),
            p.references.clone(),
            p.small_alpha.clone(),
        ),
        None => {
            let mut problem = Problem::generate(&settings.problem);
            let refs = if problem.is_overparametrised() {
                let mut refs = References::compute_until(&problem, cancel)?;
                problem.set_l1_reference(&refs.beta_l1);
                refs.l1_error = problem.error(&refs.beta_l1);
                refs.l2_error = problem.error(&refs.beta_l2);
                Some(Arc::new(refs))
            } else {
                None
            };
            let small_alpha = SmallAlpha::of(&problem).map(Arc::new);
            (Arc::new(problem), refs, small_alpha)
        }
    };
    // Gradient flow's limit depends on the data and α only: keep it when both are unchanged.
    let gf_error = OnceLock::new();
    if let Some(known) = same_data
        .filter(|p| p.settings.alpha == settings.alpha)
        .and_then(|p| p.gf_error.get())
    {
        let _ = gf_error.set(*known);
    }
    let beta_l1 = references.as_ref().map(|r| r.beta_l1.as_slice());
    let gamma = resolve_gamma(settings.step_size, problem.x(), beta_l1, settings.alpha)?;
    let gamma_limit =
        beta_l1.map(|b| sgd_limit(problem.x(), b, &rho0(settings.alpha, problem.d())));
    let coords = followed_coords(&problem, references.as_deref());
    Ok(Prepared {
        settings,
        problem,
        references,
        gamma,
        gamma_limit,
        coords,
        small_alpha,
        gf_error,
    })
}

impl Prepared {
    /// `‖β_GF − β*‖²` of gradient flow's limit at this α, when `d > n` (solved once, on demand).
    pub fn gf_error(&self) -> Option<f64> {
        self.gf_error_until(&AtomicBool::new(false)).ok().flatten()
    }

    /// [`Prepared::gf_error`], given up with [`SimError::Cancelled`] (and nothing stored) once
    /// `cancel` is raised.
    pub fn gf_error_until(&self, cancel: &AtomicBool) -> Result<Option<f64>, SimError> {
        if let Some(known) = self.gf_error.get() {
            return Ok(*known);
        }
        if self.references.is_none() {
            return Ok(*self.gf_error.get_or_init(|| None));
        }
        let d = self.problem.d();
        let options = SolveOptions {
            cancel: Some(cancel),
            ..SolveOptions::default()
        };
        let p = &self.problem;
        let rho = rho0(self.settings.alpha, d);
        let error = match implicit_bias_with(p.x(), p.y_slice(), &rho, &vec![0.0; d], &options) {
            Ok(s) => Some(p.error(&s.beta)),
            Err(SimError::Cancelled) => return Err(SimError::Cancelled),
            Err(_) => None,
        };
        Ok(*self.gf_error.get_or_init(|| error))
    }

    /// Whether gradient flow's limit has been solved (or found unsolvable).
    pub fn gf_known(&self) -> bool {
        self.gf_error.get().is_some()
    }

    /// `[‖β_ℓ1 − β*‖², ‖β_ℓ2 − β*‖², ‖β_GF − β*‖²]` when `d > n` (GF: NaN if its solve failed);
    /// solves for the GF limit if needed.
    pub fn reference_errors(&self) -> Option<[f64; 3]> {
        let r = self.references.as_ref()?;
        Some([r.l1_error, r.l2_error, self.gf_error().unwrap_or(f64::NAN)])
    }

    /// [`Prepared::reference_errors`] without solving: GF is NaN until it is known.
    pub fn reference_errors_known(&self) -> Option<[f64; 3]> {
        let r = self.references.as_ref()?;
        let gf = self.gf_error.get().copied().flatten();
        Some([r.l1_error, r.l2_error, gf.unwrap_or(f64::NAN)])
    }
}

/// The support of β* first, then the coordinates the ℓ2 interpolator weighs most, up to
/// [`MAX_COORDS`] (all of them when d is that small).
fn followed_coords(problem: &Problem, refs: Option<&References>) -> Vec<usize> {
    let d = problem.d();
    if d <= MAX_COORDS {
        return (0..d).collect();
    }
    let mut coords: Vec<usize> = problem.support.iter().copied().take(MAX_COORDS).collect();
    if let Some(r) = refs {
        let mut rest: Vec<usize> = (0..d).filter(|j| !coords.contains(j)).collect();
        rest.sort_by(|&a, &b| r.beta_l2[b].abs().total_cmp(&r.beta_l2[a].abs()));
        coords.extend(rest.into_iter().take(MAX_COORDS - coords.len()));
    }
    coords.sort_unstable();
    coords
}
