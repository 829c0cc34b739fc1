//! γ_max of a (scene, method, seed): the largest step size at which the run converges (loss ≤ tol
//! within the step budget), bracketed by doubling from the stable:1 rule's γ and bisected on log γ
//! to 1 %; next to it, the linear-stability limit at the end point of the converging run.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::model::format::{exact, short};
use crate::model::stability::linear_limit;
use crate::model::{Method, MethodKind, Problem, Settings, SimError, Stop, Trainer};

/// Relative width of the final bracket.
pub const PRECISION: f64 = 0.01;
/// Most doublings while looking for a γ that fails to converge.
const MAX_STEPS_OUT: usize = 40;
/// Most halvings while looking for a γ that converges (a much smaller γ only needs more steps).
const MAX_HALVINGS: usize = 6;

/// The result of the bisection.
#[derive(Clone, Debug, PartialEq)]
pub struct GammaMax {
    /// The largest γ found to converge (the bracket's lower end).
    pub gamma_max: f64,
    /// `[converges, does not]`, `hi/lo ≤ 1 + PRECISION`.
    pub bracket: [f64; 2],
    /// How the run at the bracket's upper end stopped (diverged, not converged or budget).
    pub above: Stop,
    /// The linear-stability limit at the converged end point of the run at `gamma_max`: GD
    /// `2n/λ_max(X diag(u² + v²) Xᵀ)`, the stochastic methods `2/max_i κ_i`.
    pub predicted: f64,
    /// Runs made.
    pub runs: usize,
}

/// Whether a run of `kind` on the scene can converge at all: the noise methods only once their
/// noise stops (`noise_steps`).
pub fn converges_eventually(kind: MethodKind, s: &Settings) -> bool {
    !kind.is_noise_method() || s.noise_steps.is_some()
}

/// One run of `kind` at `gamma` on the scene: how it stopped, and the trainer at its end.
fn attempt(
    problem: &Arc<Problem>,
    s: &Settings,
    kind: MethodKind,
    gamma: f64,
) -> Result<(Stop, Trainer), SimError> {
    let method = Method::of_scene(kind, s);
    let mut t = Trainer::new(problem.clone(), method, s.alpha, gamma)?;
    t.final_only();
    let stop = t.run(s.steps, s.tol);
    Ok((stop, t))
}

/// Bisects for γ_max of `kind` on `problem` with the scene's α, batch, budget and tolerance,
/// starting from `start` (a γ expected to converge, such as the stable:1 rule's); `cancel`
/// stops it between runs.
pub fn gamma_max(
    problem: &Arc<Problem>,
    s: &Settings,
    kind: MethodKind,
    start: f64,
    cancel: &AtomicBool,
) -> Result<GammaMax, SimError> {
    if kind == MethodKind::Gf {
        return Err(SimError::invalid(
            "method",
            "gf",
            "gd, sgd or sgf (gradient flow has no step size to bound)",
        ));
    }
    if !converges_eventually(kind, s) {
        return Err(SimError::invalid(
            "method",
            kind.name(),
            "gd, sgd or sgf, or a noise method with noise-steps set (its noise never stops otherwise, so no γ converges)",
        ));
    }
    let mut runs = 0;
    let mut run = |gamma: f64| {
        if cancel.load(Ordering::Relaxed) {
            return Err(SimError::Numerical("γ_max: cancelled".into()));
        }
        runs += 1;
        attempt(problem, s, kind, gamma)
    };
    // The lower end: a γ that converges (halving from `start` if it does not).
    let (mut lo, mut lo_end) = (start, None);
    for _ in 0..=MAX_HALVINGS {
        let (stop, t) = run(lo)?;
        if stop == Stop::Converged {
            lo_end = Some(t);
            break;
        }
        lo /= 2.0;
    }
    let Some(mut lo_end) = lo_end else {
        return Err(no_bracket(
            kind,
            format!("down to γ = {} converges", short(2.0 * lo)),
            s,
        ));
    };
    // The upper end: doubling until a run fails to converge.
    let (mut hi, mut above) = (2.0 * lo, None);
    for _ in 0..MAX_STEPS_OUT {
        let (stop, t) = run(hi)?;
        if stop != Stop::Converged {
            above = Some(stop);
            break;
        }
        (lo, lo_end) = (hi, t);
        hi *= 2.0;
    }
    let Some(mut above) = above else {
        return Err(no_bracket(
            kind,
            format!("up to γ = {} fails to converge", short(hi)),
            s,
        ));
    };
    while hi / lo > 1.0 + PRECISION {
        let mid = (lo * hi).sqrt();
        let (stop, t) = run(mid)?;
        if stop == Stop::Converged {
            (lo, lo_end) = (mid, t);
        } else {
            (hi, above) = (mid, stop);
        }
    }
    let predicted = linear_limit(kind, problem.x(), &lo_end.net().u2_plus_v2())?;
    Ok(GammaMax {
        gamma_max: lo,
        bracket: [lo, hi],
        above,
        predicted,
        runs,
    })
}

/// The error when no γ in reach converges (or every one does).
fn no_bracket(kind: MethodKind, what: String, s: &Settings) -> SimError {
    SimError::Numerical(format!(
        "γ_max of {kind}: no step size {what} within {} steps (tol = {}); change --steps or --tol",
        s.steps,
        exact(s.tol)
    ))
}
