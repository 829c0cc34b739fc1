//! The search for γ_max written over the runs it asks for: given how each run it asked for
//! ended, it names the next γ to run or gives its answer. It is replayed from the start after
//! each run (a few dozen steps of arithmetic), so its runs can go a slice of time at a time.

use super::{GOLDEN, MAX_DOUBLINGS, MAX_HALVINGS, MAX_SEARCH, MAX_STEPS_OUT, PRECISION};
use crate::model::format::{exact, short};
use crate::model::{MethodKind, Settings, SimError, Stop};

/// What the search keeps of a run: how it stopped, and its final loss when it used its whole
/// budget (infinite otherwise).
#[derive(Clone, Copy, Debug)]
pub(super) struct Outcome {
    pub stop: Stop,
    pub loss: f64,
}

/// Why the search halted without its answer.
pub(super) enum Halt {
    /// It failed (no bracket within reach).
    Failed(SimError),
    /// It needs the run at this γ.
    Need(f64),
}

impl From<SimError> for Halt {
    fn from(e: SimError) -> Halt {
        Halt::Failed(e)
    }
}

/// The search's answer: the bracket, how the run at its upper end stopped, and the runs asked for.
pub(super) struct Found {
    pub bracket: [f64; 2],
    pub above: Stop,
    pub runs: usize,
}

/// A run of the search for a converging γ: its γ and outcome.
#[derive(Clone, Copy, Debug)]
struct Probe {
    gamma: f64,
    stop: Stop,
    loss: f64,
}

/// Searches from `start` with the runs `run` gives: a converging γ first, then the upper end
/// of the bracket (doubling), then bisection on log γ to [`PRECISION`].
pub(super) fn search(
    run: &mut impl FnMut(f64) -> Result<Outcome, Halt>,
    kind: MethodKind,
    s: &Settings,
    start: f64,
) -> Result<Found, Halt> {
    let mut runs = 0;
    let mut run = |gamma: f64| {
        runs += 1;
        run(gamma)
    };
    let (mut lo, known_above) = converging(&mut run, kind, s, start)?;
    // The upper end: a known γ above `lo` that failed, else doubling until a run fails.
    let (mut hi, mut above) = match known_above {
        Some(known) => known,
        None => {
            let mut hi = 2.0 * lo;
            let mut above = None;
            for _ in 0..MAX_STEPS_OUT {
                let stop = run(hi)?.stop;
                if stop != Stop::Converged {
                    above = Some(stop);
                    break;
                }
                lo = hi;
                hi *= 2.0;
            }
            let Some(above) = above else {
                let walk = format!("up to γ = {} fails to converge", short(lo));
                return Err(no_bracket(kind, walk, s).into());
            };
            (hi, above)
        }
    };
    while hi / lo > 1.0 + PRECISION {
        let mid = (lo * hi).sqrt();
        let stop = run(mid)?.stop;
        if stop == Stop::Converged {
            lo = mid;
        } else {
            (hi, above) = (mid, stop);
        }
    }
    Ok(Found {
        bracket: [lo, hi],
        above,
        runs,
    })
}

/// The smallest γ above `gamma` seen not to converge, and how it stopped.
fn above(gamma: f64, probes: &[Probe]) -> Option<(f64, Stop)> {
    (probes.iter())
        .filter(|p| p.gamma > gamma)
        .min_by(|a, b| a.gamma.total_cmp(&b.gamma))
        .map(|p| (p.gamma, p.stop))
}

/// Looks for a γ that converges. From `start`, a run that runs out of budget (too slow) doubles
/// γ and one that diverges or oscillates (too fast) halves it. When the walk turns without
/// converging (the window of converging γ can be narrower than a factor 2, with slowly
/// oscillating runs above it also using the whole budget), a golden-section search on log γ
/// looks for the lowest final loss, down to [`PRECISION`]. Returns the γ and the smallest
/// larger γ seen not to converge.
fn converging(
    run: &mut impl FnMut(f64) -> Result<Outcome, Halt>,
    kind: MethodKind,
    s: &Settings,
    start: f64,
) -> Result<(f64, Option<(f64, Stop)>), Halt> {
    let mut probes: Vec<Probe> = Vec::new();
    let mut probe = |gamma: f64, probes: &mut Vec<Probe>| {
        let Outcome { stop, loss } = run(gamma)?;
        probes.push(Probe { gamma, stop, loss });
        Ok::<_, Halt>(stop)
    };
    let (mut gamma, mut doublings, mut halvings) = (start, 0, 0);
    loop {
        let stop = probe(gamma, &mut probes)?;
        if stop == Stop::Converged {
            return Ok((gamma, above(gamma, &probes)));
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
            return Err(no_bracket(kind, walk, s).into());
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
        let stop = probe(x, &mut probes)?;
        if stop == Stop::Converged {
            return Ok((x, above(x, &probes)));
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
    Err(no_bracket(kind, nearest, s).into())
}

/// The error when no γ in reach converges (or every one does).
fn no_bracket(kind: MethodKind, what: String, s: &Settings) -> SimError {
    SimError::NoBracket(format!(
        "γ_max of {kind}: no step size {what} within {} steps (tol = {}); change --steps or --tol",
        s.steps,
        exact(s.tol)
    ))
}
