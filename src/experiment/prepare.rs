//! A prepared scene: the data, its reference interpolators, γ and its stability limit, the
//! gradient-flow limit and the followed coordinates — computed once for every front end.

use std::sync::{Arc, OnceLock};

use crate::model::analysis::{gf_limit, rho0};
use crate::model::stability::{resolve_gamma, sgd_limit};
use crate::model::{Problem, References, Settings, SimError};

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
    gf_error: OnceLock<Option<f64>>,
}

/// Prepares `settings`, reusing the data and references of `previous` when its problem is the
/// same (changing α, γ, b or the methods keeps the data).
pub fn prepare(settings: Settings, previous: Option<&Prepared>) -> Result<Prepared, SimError> {
    let (problem, references) = match previous {
        Some(p) if p.settings.problem == settings.problem => {
            (p.problem.clone(), p.references.clone())
        }
        _ => {
            let mut problem = Problem::generate(&settings.problem);
            let refs = if problem.is_overparametrised() {
                let mut refs = References::compute(&problem)?;
                problem.set_l1_reference(&refs.beta_l1);
                refs.l1_error = problem.error(&refs.beta_l1);
                refs.l2_error = problem.error(&refs.beta_l2);
                Some(Arc::new(refs))
            } else {
                None
            };
            (Arc::new(problem), refs)
        }
    };
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
        gf_error: OnceLock::new(),
    })
}

impl Prepared {
    /// `‖β_GF − β*‖²` of gradient flow's limit at this α, when `d > n` (solved once, on demand).
    pub fn gf_error(&self) -> Option<f64> {
        *self.gf_error.get_or_init(|| {
            self.references.as_ref()?;
            gf_limit(&self.problem, self.settings.alpha)
                .ok()
                .map(|s| self.problem.error(&s.beta))
        })
    }

    /// `[‖β_ℓ1 − β*‖², ‖β_ℓ2 − β*‖², ‖β_GF − β*‖²]` when `d > n` (GF: NaN if its solve failed).
    pub fn reference_errors(&self) -> Option<[f64; 3]> {
        let r = self.references.as_ref()?;
        Some([r.l1_error, r.l2_error, self.gf_error().unwrap_or(f64::NAN)])
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
