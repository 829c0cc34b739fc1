//! `dln-explorer bench`: steps per second of one method, with and without tracking.

use std::sync::Arc;
use std::time::Instant;

use clap::Args;
use serde_json::json;

use super::CliError;
use crate::model::config::{MAX_DIM, MAX_ENTRIES, check_range};
use crate::model::format::si;
use crate::model::{Method, MethodKind, Problem, ProblemSpec, Stop, Trainer};

/// Flags of `bench`.
#[derive(Args, Debug)]
pub struct BenchArgs {
    /// Method: gd, sgd, sgf, gf, label-noise, iso-noise, momentum, n-sam or 1-sam.
    #[arg(long, default_value = "sgd")]
    pub method: String,
    /// Number of samples n [1..=100000].
    #[arg(long, default_value_t = 40)]
    pub n: usize,
    /// Dimension d [1..=100000].
    #[arg(long, default_value_t = 100)]
    pub d: usize,
    /// Batch size of SGD [1..=n].
    #[arg(long, default_value_t = 1)]
    pub batch: usize,
    /// Non-zeros of β* [0..=d].
    #[arg(long, default_value_t = 5)]
    pub s: usize,
    /// Steps to time [≥ 1; default: 2·10¹⁰/(b·d) for SGD, 2·10¹⁰/(n·d) for the full-batch
    /// methods, within 2000..=10⁷: a few seconds at any size].
    #[arg(long)]
    pub steps: Option<u64>,
    /// Time a scene's preparation instead (data, basis pursuit and the stable:1 rule: what
    /// precedes the first step), then gradient flow's limit.
    #[arg(long)]
    pub prepare: bool,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Runs the command.
pub fn main(args: &BenchArgs) -> Result<(), CliError> {
    let kind: MethodKind = args.method.parse()?;
    let n = check_range("n", args.n, 1, MAX_DIM)?;
    let d = check_range("d", args.d, 1, MAX_DIM)?;
    if n * d > MAX_ENTRIES {
        return Err(crate::model::SimError::invalid(
            "n·d",
            n * d,
            format!("at most {MAX_ENTRIES}"),
        )
        .into());
    }
    let steps = args
        .steps
        .unwrap_or_else(|| default_steps(kind, n, d, args.batch));
    if steps == 0 {
        return Err(crate::model::SimError::invalid("steps", 0, "an integer ≥ 1").into());
    }
    let s = check_range("s", args.s, 0, d)?;
    if args.prepare {
        return prepare(n, d, s, args.json);
    }
    let problem = Arc::new(Problem::generate(&ProblemSpec {
        n,
        d,
        s,
        noise: 0.0,
        seed: 0,
        n_test: 0,
        source: Default::default(),
    }));
    let method = Method::new(kind, args.batch, None);
    // A small stable step: the timing is of the arithmetic, not of a converging run.
    let gamma = 0.1 / (d as f64 * 0.01);
    let trainer = || Trainer::new(problem.clone(), method, 0.1, gamma.min(0.01));
    // Timed in interleaved rounds after a warm-up, so both see the machine in the same state:
    // one tracked then one untracked timing measured the tracked run 65–98 % of the untracked
    // one between sittings at 40 × 100, while criterion finds them equal.
    trainer()?.advance_untracked(steps / ROUNDS);
    let (mut t, mut u) = (trainer()?, trainer()?);
    let (mut seconds, mut untracked, mut stop) = (0.0, 0.0, Stop::Budget);
    for round in 1..=ROUNDS {
        let target = steps * round / ROUNDS;
        if stop == Stop::Budget {
            let start = Instant::now();
            stop = t.run_until(target, 0.0);
            if round == ROUNDS {
                t.finish();
            }
            seconds += start.elapsed().as_secs_f64();
        }
        let start = Instant::now();
        u.advance_untracked(target - u.step());
        untracked += start.elapsed().as_secs_f64();
    }
    let stepped = t.step();
    if stop == Stop::Diverged {
        note!("note: the tracked run diverged at step {stepped}; the rate is over the steps run");
    }
    let rate = stepped as f64 / seconds;
    if args.json {
        outln!(
            "{}",
            json!({
                "method": kind.name(), "n": n, "d": d, "batch": args.batch, "steps": stepped,
                "seconds": seconds, "steps_per_sec": rate,
                "steps_per_sec_untracked": steps as f64 / untracked,
            })
        )?;
    } else {
        outln!(
            "{} n = {n} d = {d}: {} steps/s tracked ({seconds:.3} s for {stepped} steps), {} steps/s untracked",
            kind.label(),
            si(rate),
            si(steps as f64 / untracked)
        )?;
    }
    Ok(())
}

/// Interleaved rounds of tracked and untracked stepping.
const ROUNDS: u64 = 5;

/// Steps timed without `--steps`: 2·10¹⁰ over a step's cost, O(b·d) for SGD and O(n·d) for the
/// other methods, within 2000..=10⁷ (SGD at 40 × 100 needs 10⁷ to outlast the samples' one-off
/// allowance: at 2·10⁶ those ~40 ms made the tracked rate 70 % of the untracked one).
fn default_steps(kind: MethodKind, n: usize, d: usize, batch: usize) -> u64 {
    let rows = if kind == MethodKind::Sgd { batch } else { n };
    (2e10 / (rows.max(1) as f64 * d as f64)).clamp(2000.0, 1e7) as u64
}

/// Times the preparation of the default scene at this size and then its gradient-flow limit.
fn prepare(n: usize, d: usize, s: usize, json: bool) -> Result<(), CliError> {
    let settings = crate::model::Config {
        n,
        d,
        s,
        ..Default::default()
    }
    .validate()?;
    let start = Instant::now();
    let prepared = crate::experiment::prepare(settings, None)?;
    let seconds = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let gf = prepared.gf_error();
    let gf_seconds = start.elapsed().as_secs_f64();
    let solver = (prepared.references.as_ref()).map(|r| r.l1_solver.to_string());
    if json {
        outln!(
            "{}",
            json!({"n": n, "d": d, "s": s, "prepare_seconds": seconds, "gf_seconds": gf_seconds,
                   "l1_solver": solver, "gf_error": gf})
        )?;
    } else {
        outln!(
            "n = {n} d = {d} s = {s}: prepared in {seconds:.3} s (data, basis pursuit by {}, γ rule); gradient-flow limit in {gf_seconds:.3} s",
            solver.as_deref().unwrap_or("—")
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_steps_take_seconds_at_every_size() {
        assert_eq!(default_steps(MethodKind::Sgd, 1000, 10_000, 1), 2_000_000);
        assert_eq!(default_steps(MethodKind::Sgd, 1000, 10_000, 1000), 2000);
        assert_eq!(default_steps(MethodKind::Gd, 40, 100, 1), 5_000_000);
        assert_eq!(default_steps(MethodKind::Sgd, 40, 100, 1), 10_000_000);
        assert_eq!(default_steps(MethodKind::Gd, 200, 1000, 1), 100_000);
        assert_eq!(default_steps(MethodKind::Sgf, 1000, 10_000, 1), 2000);
        assert_eq!(default_steps(MethodKind::Gf, 100_000, 100_000, 1), 2000);
    }
}
