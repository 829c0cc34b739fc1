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
    /// Method: gd, sgd, sgf, gf, label-noise or iso-noise.
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
    /// Steps to time [≥ 1].
    #[arg(long, default_value_t = 2_000_000)]
    pub steps: u64,
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
    if args.steps == 0 {
        return Err(crate::model::SimError::invalid("steps", 0, "an integer ≥ 1").into());
    }
    let problem = Arc::new(Problem::generate(&ProblemSpec {
        n,
        d,
        s: 5.min(d),
        noise: 0.0,
        seed: 0,
        n_test: 0,
        source: Default::default(),
    }));
    let method = Method::new(kind, args.batch, None);
    // A small stable step: the timing is of the arithmetic, not of a converging run.
    let gamma = 0.1 / (d as f64 * 0.01);
    let trainer = || Trainer::new(problem.clone(), method, 0.1, gamma.min(0.01));
    let mut t = trainer()?;
    let start = Instant::now();
    let stop = t.run(args.steps, 0.0);
    let seconds = start.elapsed().as_secs_f64();
    let steps = t.step();
    if stop == Stop::Diverged {
        eprintln!("note: the tracked run diverged at step {steps}; the rate is over the steps run");
    }
    let mut t = trainer()?;
    let start = Instant::now();
    t.advance_untracked(args.steps);
    let untracked = start.elapsed().as_secs_f64();
    let rate = steps as f64 / seconds;
    if args.json {
        println!(
            "{}",
            json!({
                "method": kind.name(), "n": n, "d": d, "batch": args.batch, "steps": steps,
                "seconds": seconds, "steps_per_sec": rate,
                "steps_per_sec_untracked": args.steps as f64 / untracked,
            })
        );
    } else {
        println!(
            "{} n = {n} d = {d}: {} steps/s tracked ({seconds:.3} s for {steps} steps), {} steps/s untracked",
            kind.label(),
            si(rate),
            si(args.steps as f64 / untracked)
        );
    }
    Ok(())
}
