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

/// One run of `kind` at `gamma` on the scene: how it stopped, and the trainer at its end.
fn attempt(
    problem: &Arc<Problem>,
    s: &Settings,
    kind: MethodKind,
    gamma: f64,
    cancel: &AtomicBool,
) -> Result<(Stop, Trainer), SimError> {
    let method = Method::of_scene(kind, s);
    let mut t = Trainer::new(problem.clone(), method, s.alpha, gamma)?;
    t.final_only();
    // A run that used its whole budget is judged as the sweep judges it: still descending
    // (budget) or oscillating (not converged).
    let stop = match t.run_watched(s.steps, s.tol, cancel) {
        None => return Err(cancelled()),
        Some(Stop::Budget) => t.stop_at_budget(),
        Some(stop) => stop,
    };
    Ok((stop, t))
}

/// The search's error once its cancel flag is raised.
fn cancelled() -> SimError {
    SimError::Numerical("γ_max: cancelled".into())
}

/// Bisects for γ_max of `kind` on `problem` with the scene's α, batch, budget and tolerance,
/// starting from `start` (a γ expected to converge, such as the stable:1 rule's); `cancel`
/// stops it within a run.
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
            return Err(cancelled());
        }
        runs += 1;
        attempt(problem, s, kind, gamma, cancel)
    };
    let found = converging(&mut run, kind, s, start)?;
    let (mut lo, mut lo_end) = (found.gamma, found.end);
    // The upper end: a known γ above `lo` that failed, else doubling until a run fails.
    let (mut hi, mut above) = match found.above {
        Some((gamma, stop)) => (gamma, stop),
        None => {
            let mut hi = 2.0 * lo;
            let mut above = None;
            for _ in 0..MAX_STEPS_OUT {
                let (stop, t) = run(hi)?;
                if stop != Stop::Converged {
                    above = Some(stop);
                    break;
                }
                (lo, lo_end) = (hi, t);
                hi *= 2.0;
            }
            let Some(above) = above else {
                return Err(no_bracket(
                    kind,
                    format!("up to γ = {} fails to converge", short(lo)),
                    s,
                ));
            };
            (hi, above)
        }
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

/// A run of the search for a converging γ: its γ, how it stopped, and its final loss (infinite
/// unless it ran out of budget).
#[derive(Clone, Copy, Debug)]
struct Probe {
    gamma: f64,
    stop: Stop,
    loss: f64,
}

/// A γ that converges, its run, and the smallest larger γ seen not to converge (and how).
struct Converging {
    gamma: f64,
    end: Trainer,
    above: Option<(f64, Stop)>,
}

impl Converging {
    fn new(gamma: f64, end: Trainer, probes: &[Probe]) -> Converging {
        let above = (probes.iter())
            .filter(|p| p.gamma > gamma)
            .min_by(|a, b| a.gamma.total_cmp(&b.gamma))
            .map(|p| (p.gamma, p.stop));
        Converging { gamma, end, above }
    }
}

/// Looks for a γ that converges. From `start`, a run that runs out of budget (too slow) doubles
/// γ and one that diverges or oscillates (too fast) halves it. When the walk turns without
/// converging (the window of converging γ can be narrower than a factor 2, with slowly
/// oscillating runs above it also using the whole budget), a golden-section search on log γ
/// looks for the lowest final loss, down to [`PRECISION`].
fn converging(
    run: &mut impl FnMut(f64) -> Result<(Stop, Trainer), SimError>,
    kind: MethodKind,
    s: &Settings,
    start: f64,
) -> Result<Converging, SimError> {
    let mut probes: Vec<Probe> = Vec::new();
    let mut probe = |gamma: f64, probes: &mut Vec<Probe>| {
        let (stop, t) = run(gamma)?;
        let loss = match stop {
            Stop::Budget => t.net().loss(t.problem()),
            _ => f64::INFINITY,
        };
        let loss = if loss.is_finite() {
            loss
        } else {
            f64::INFINITY
        };
        probes.push(Probe { gamma, stop, loss });
        Ok::<_, SimError>((stop, t))
    };
    let (mut gamma, mut doublings, mut halvings) = (start, 0, 0);
    loop {
        let (stop, t) = probe(gamma, &mut probes)?;
        if stop == Stop::Converged {
            return Ok(Converging::new(gamma, t, &probes));
        }
        let slow = stop == Stop::Budget;
        if probes.iter().any(|p| (p.stop == Stop::Budget) != slow) {
            break;
        }
        if doublings == MAX_DOUBLINGS || halvings == MAX_HALVINGS {
            let direction = if slow { "up" } else { "down" };
            let walk = format!(
                "from γ = {} {direction} to {} converges",
                short(start),
                short(gamma)
            );
            return Err(no_bracket(kind, walk, s));
        }
        if slow {
            doublings += 1;
            gamma *= 2.0;
        } else {
            halvings += 1;
            gamma /= 2.0;
        }
    }
    // Golden-section search between the neighbours of the probe with the lowest final loss.
    let (best, mut best_loss) = (probes.iter())
        .min_by(|a, b| a.loss.total_cmp(&b.loss))
        .map_or((start, f64::INFINITY), |p| (p.gamma, p.loss));
    let side = |below: bool| {
        let others = (probes.iter())
            .map(|p| p.gamma)
            .filter(|&g| g != best && (g < best) == below);
        if below {
            others.max_by(f64::total_cmp).unwrap_or(best / 2.0)
        } else {
            others.min_by(f64::total_cmp).unwrap_or(best * 2.0)
        }
    };
    let (mut a, mut b, mut c) = (side(true), best, side(false));
    let shrink = 1.0 - 1.0 / GOLDEN;
    while c / a > 1.0 + PRECISION && probes.len() < MAX_SEARCH {
        let x = if c / b > b / a {
            b * (c / b).powf(shrink)
        } else {
            b * (a / b).powf(shrink)
        };
        let (stop, t) = probe(x, &mut probes)?;
        if stop == Stop::Converged {
            return Ok(Converging::new(x, t, &probes));
        }
        let loss = probes.last().map_or(f64::INFINITY, |p| p.loss);
        if loss < best_loss {
            (a, c) = if x > b { (b, c) } else { (a, b) };
            (b, best_loss) = (x, loss);
        } else if x > b {
            c = x;
        } else {
            a = x;
        }
    }
    let nearest = format!(
        "converges (the nearest, γ = {}, ends at loss {})",
        short(b),
        short(best_loss)
    );
    Err(no_bracket(kind, nearest, s))
}

/// The error when no γ in reach converges (or every one does).
fn no_bracket(kind: MethodKind, what: String, s: &Settings) -> SimError {
    SimError::Numerical(format!(
        "γ_max of {kind}: no step size {what} within {} steps (tol = {}); change --steps or --tol",
        s.steps,
        exact(s.tol)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::prepare::prepare;
    use crate::model::Config;

    /// n = 20, d = 30, s = 3, α = 0.1, a 20 000-step budget to tol 1e-12.
    fn scene() -> (Arc<Problem>, Settings) {
        let config = Config {
            n: 20,
            d: 30,
            s: 3,
            alpha: 0.1,
            steps: 20_000,
            tol: 1e-12,
            ..Config::default()
        };
        let prepared = prepare(config.validate().expect("valid"), None).expect("prepared");
        (prepared.problem.clone(), prepared.settings.clone())
    }

    fn stop_at(problem: &Arc<Problem>, s: &Settings, gamma: f64) -> Stop {
        attempt(problem, s, MethodKind::Gd, gamma, &AtomicBool::new(false))
            .expect("a run")
            .0
    }

    /// A run watched for a cancel ends bit for bit where one call ends (SGD at γ = 0.05, budget 50 000
    /// over several watch periods), and a raised flag stops it before it steps.
    #[test]
    fn a_watched_run_ends_where_one_call_ends_and_a_cancel_stops_it() {
        let (problem, s) = scene();
        let s = Settings {
            steps: 50_000,
            tol: 0.0,
            ..s
        };
        let trainer = || {
            let mut t = Trainer::new(
                problem.clone(),
                Method::of_scene(MethodKind::Sgd, &s),
                s.alpha,
                0.05,
            )
            .expect("a trainer");
            t.final_only();
            t
        };
        let mut whole = trainer();
        let stop = whole.run(s.steps, s.tol);
        assert_eq!(stop, Stop::Budget);
        let mut watched = trainer();
        let never = AtomicBool::new(false);
        assert_eq!(watched.run_watched(s.steps, s.tol, &never), Some(stop));
        assert_eq!(watched.step(), s.steps);
        assert_eq!(watched.beta(), whole.beta());
        assert_eq!(watched.loss_integral(), whole.loss_integral());
        let mut cancelled = trainer();
        assert_eq!(
            cancelled.run_watched(s.steps, s.tol, &AtomicBool::new(true)),
            None
        );
        assert_eq!(cancelled.step(), 0);
        let raised = attempt(&problem, &s, MethodKind::Gd, 0.5, &AtomicBool::new(true));
        assert!(raised.is_err_and(|e| e.to_string().contains("cancelled")));
    }

    #[test]
    fn a_start_too_slow_or_too_fast_still_brackets_gamma_max() {
        let (problem, s) = scene();
        let never = AtomicBool::new(false);
        // 1e-3 runs out of the budget (too slow), 100 diverges: both lead to the same threshold
        // region, bracketed to 1 % between a run that converges and one that does not.
        for (start, first) in [(1e-3, Stop::Budget), (100.0, Stop::Diverged)] {
            assert_eq!(stop_at(&problem, &s, start), first, "start {start}");
            let g = gamma_max(&problem, &s, MethodKind::Gd, start, &never).expect("a bracket");
            let [lo, hi] = g.bracket;
            assert!(hi > lo && hi <= (1.0 + PRECISION) * lo, "{lo}..{hi}");
            assert_eq!(stop_at(&problem, &s, lo), Stop::Converged, "start {start}");
            assert_eq!(stop_at(&problem, &s, hi), g.above, "start {start}");
            assert_ne!(g.above, Stop::Converged);
            assert!((0.5..4.0).contains(&lo), "start {start}: γ_max {lo}");
        }
    }

    #[test]
    fn no_converging_step_size_names_the_search() {
        let (problem, s) = scene();
        let error_within = |steps: u64| {
            let s = Settings { steps, ..s.clone() };
            let never = AtomicBool::new(false);
            let msg = gamma_max(&problem, &s, MethodKind::Gd, 0.1, &never)
                .unwrap_err()
                .to_string();
            let tail = format!("within {steps} steps (tol = 1e-12); change --steps or --tol");
            assert!(msg.ends_with(&tail), "{msg}");
            msg
        };
        // 200 steps: the search turns (slow below, oscillating above) and names the nearest run.
        let msg = error_within(200);
        assert!(
            msg.starts_with("γ_max of gd: no step size converges (the nearest, γ = "),
            "{msg}"
        );
        // 5 steps: every run oscillates, so the walk halves to its limit and says so.
        let msg = error_within(5);
        assert!(
            msg.starts_with("γ_max of gd: no step size from γ = 0.1 down to "),
            "{msg}"
        );
    }
}
