//! γ_max of a (scene, method, seed): the largest step size at which the run converges (loss ≤ tol
//! within the step budget), bracketed by doubling from the stable:1 rule's γ and bisected on log γ
//! to 1 %; next to it, the linear-stability limit at the end point of the converging run. The
//! runs go whole on threads, or a slice of time at a time in the web page's frames.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::model::stability::linear_limit;
use crate::model::{Method, MethodKind, Problem, Settings, SimError, Stop, Trainer};
use crate::platform::Instant;
use search::{Halt, Outcome, search};

mod search;
#[cfg(test)]
mod tests;

/// Relative width of the final bracket.
pub const PRECISION: f64 = 0.01;
/// Most doublings while looking for a γ that fails to converge.
const MAX_STEPS_OUT: usize = 40;
/// Most halvings from a start that diverges, while looking for a γ that converges (a much
/// smaller γ only needs more steps).
const MAX_HALVINGS: usize = 10;
/// Most doublings from a start that runs out of budget, while looking for a γ that converges.
const MAX_DOUBLINGS: usize = 10;
/// Most runs while looking for a γ that converges.
const MAX_SEARCH: usize = 40;
/// The golden ratio.
const GOLDEN: f64 = 1.618_033_988_749_895;

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

/// Bisects for γ_max of `kind` on `problem` with the scene's α, batch, budget and tolerance,
/// starting from `start` (a γ expected to converge, such as the stable:1 rule's); `cancel`
/// stops it within about a millisecond ([`SimError::Cancelled`]).
pub fn gamma_max(
    problem: &Arc<Problem>,
    s: &Settings,
    kind: MethodKind,
    start: f64,
    cancel: &AtomicBool,
) -> Result<GammaMax, SimError> {
    let mut bisection = Bisection::new(problem, s, kind, start)?;
    (bisection.advance(None, cancel)).unwrap_or(Err(SimError::Cancelled))
}

/// A run of the bisection, finished: its γ, outcome, and `u² + v²` at its end if it converged.
type Done = (f64, Outcome, Option<Vec<f64>>);

/// A bisection in progress, resumable: the runs done so far and the one in flight.
pub struct Bisection {
    problem: Arc<Problem>,
    settings: Settings,
    kind: MethodKind,
    start: f64,
    done: Vec<Done>,
    /// The run in flight, its γ and its pace (steps per piece).
    running: Option<(f64, Trainer, u64)>,
}

impl Bisection {
    /// The bisection of [`gamma_max`], checked, nothing run yet.
    pub fn new(
        problem: &Arc<Problem>,
        s: &Settings,
        kind: MethodKind,
        start: f64,
    ) -> Result<Bisection, SimError> {
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
        Ok(Bisection {
            problem: problem.clone(),
            settings: s.clone(),
            kind,
            start,
            done: Vec::new(),
            running: None,
        })
    }

    /// Works until `deadline` (at least one piece of a run; with none, to the end): `None`
    /// while work remains, else the result ([`SimError::Cancelled`] once `cancel` is raised).
    pub fn advance(
        &mut self,
        deadline: Option<Instant>,
        cancel: &AtomicBool,
    ) -> Option<Result<GammaMax, SimError>> {
        let past = || deadline.is_some_and(|d| Instant::now() >= d);
        loop {
            if cancel.load(Ordering::Relaxed) {
                return Some(Err(SimError::Cancelled));
            }
            if let Some((gamma, trainer, chunk)) = &mut self.running {
                let (steps, tol) = (self.settings.steps, self.settings.tol);
                let pause = || past() || cancel.load(Ordering::Relaxed);
                let stop = match trainer.run_paced(steps, tol, chunk, pause) {
                    Stop::Budget if trainer.step() < steps && past() => return None,
                    Stop::Budget if trainer.step() < steps => continue,
                    // A run that used its whole budget is judged as the sweep judges it:
                    // still descending (budget) or oscillating (not converged).
                    Stop::Budget => {
                        trainer.finish();
                        trainer.stop_at_budget()
                    }
                    stop => stop,
                };
                let loss = match stop {
                    Stop::Budget => trainer.net().loss(&self.problem),
                    _ => f64::INFINITY,
                };
                let loss = if loss.is_finite() {
                    loss
                } else {
                    f64::INFINITY
                };
                let weights = (stop == Stop::Converged).then(|| trainer.net().u2_plus_v2());
                self.done.push((*gamma, Outcome { stop, loss }, weights));
                self.running = None;
                if past() {
                    return None;
                }
            }
            if let Some(result) = self.replay() {
                return Some(result);
            }
            if past() {
                return None;
            }
        }
    }

    /// Replays the search over the runs done: its result, or `None` once the run it needs next
    /// is in flight.
    fn replay(&mut self) -> Option<Result<GammaMax, SimError>> {
        let done = &self.done;
        let mut run = |gamma: f64| match done.iter().find(|d| d.0.to_bits() == gamma.to_bits()) {
            Some(&(_, outcome, _)) => Ok(outcome),
            None => Err(Halt::Need(gamma)),
        };
        let found = match search(&mut run, self.kind, &self.settings, self.start) {
            Ok(found) => found,
            Err(Halt::Failed(e)) => return Some(Err(e)),
            Err(Halt::Need(gamma)) => {
                let method = Method::of_scene(self.kind, &self.settings);
                let problem = self.problem.clone();
                let s = &self.settings;
                let trainer = Trainer::new(problem, method, s.alpha, gamma)
                    .map(|t| t.with_schedule(s.schedule.clone(), s.steps));
                return match trainer {
                    Ok(mut trainer) => {
                        trainer.final_only();
                        self.running = Some((gamma, trainer, 1));
                        None
                    }
                    Err(e) => Some(Err(e)),
                };
            }
        };
        let [lo, hi] = found.bracket;
        // γ_max is a γ whose run converged, so its end point was kept.
        let weights = (done.iter())
            .find(|d| d.0.to_bits() == lo.to_bits())
            .and_then(|d| d.2.as_deref());
        let predicted = match weights {
            Some(w) => linear_limit(self.kind, self.problem.x(), w),
            None => Err(SimError::Numerical(format!(
                "γ_max = {lo}: the end point of its converged run was not kept"
            ))),
        };
        Some(predicted.map(|predicted| GammaMax {
            gamma_max: lo,
            bracket: [lo, hi],
            above: found.above,
            predicted,
            runs: found.runs,
        }))
    }
}
