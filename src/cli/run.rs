//! `dln-explorer run`: one method, to a loss tolerance or a step budget.

use std::path::PathBuf;
use std::sync::Arc;

use clap::Args;
use serde_json::json;

use super::{CliError, SimArgs, fmt_num, write_file};
pub use crate::export::csv::csv_header;
use crate::sim::analysis::gf_limit;
use crate::sim::stability::resolve_gamma;
use crate::sim::{
    Config, Method, MethodKind, Outcome, Problem, References, Settings, Stop, Trainer,
};

/// Flags of `run`.
#[derive(Args, Debug)]
pub struct RunArgs {
    /// The scene.
    #[command(flatten)]
    pub sim: SimArgs,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Write the recorded trajectory (decimated samples) as CSV.
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,
}

/// A finished single run with its references.
pub struct RunReport {
    /// The settings it ran with.
    pub settings: Settings,
    /// The trainer at the end.
    pub trainer: Trainer,
    /// Why it stopped.
    pub stop: Stop,
    /// Theory comparisons.
    pub outcome: Outcome,
    /// ℓ1/ℓ2 references, when `d > n`.
    pub references: Option<References>,
    /// `‖β_GF − β*‖²` of gradient flow's limit, when `d > n`.
    pub gf_error: Option<f64>,
}

/// What every method on one scene shares: the data, its references and γ.
pub struct Prepared {
    /// The scene they were prepared for.
    pub settings: Settings,
    /// The generated problem.
    pub problem: Arc<Problem>,
    /// ℓ1/ℓ2 references, when `d > n`.
    pub references: Option<References>,
    /// The resolved step size.
    pub gamma: f64,
    /// `‖β_GF − β*‖²` of gradient flow's limit, when `d > n`.
    pub gf_error: Option<f64>,
}

/// Builds the problem and its references and resolves γ.
pub fn prepare(settings: Settings) -> Result<Prepared, CliError> {
    let problem = Arc::new(Problem::generate(&settings.problem));
    let references = if problem.is_overparametrised() {
        Some(References::compute(&problem)?)
    } else {
        None
    };
    let gamma = resolve_gamma(
        settings.step_size,
        problem.x(),
        references.as_ref().map(|r| r.beta_l1.as_slice()),
        settings.alpha,
    )?;
    let gf_error = references
        .as_ref()
        .and_then(|_| gf_limit(&problem, settings.alpha).ok())
        .map(|s| problem.recovery_error(&s.beta));
    Ok(Prepared {
        settings,
        problem,
        references,
        gamma,
        gf_error,
    })
}

/// Runs `method` on prepared data and evaluates.
pub fn execute_on(method: MethodKind, data: &Prepared) -> Result<RunReport, CliError> {
    let settings = Settings {
        method,
        ..data.settings.clone()
    };
    let method = Method::new(settings.method, settings.batch, settings.h);
    let mut trainer = Trainer::new(data.problem.clone(), method, settings.alpha, data.gamma)?;
    let stop = trainer.run(settings.steps, settings.tol);
    let outcome = Outcome::of(&trainer);
    Ok(RunReport {
        settings,
        trainer,
        stop,
        outcome,
        references: data.references.clone(),
        gf_error: data.gf_error,
    })
}

/// Builds the problem, resolves γ, runs and evaluates.
pub fn execute(settings: Settings) -> Result<RunReport, CliError> {
    let method = settings.method;
    execute_on(method, &prepare(settings)?)
}

/// Runs the command.
pub fn main(args: &RunArgs) -> Result<(), CliError> {
    let (config, settings) = args.sim.settings()?;
    let report = execute(settings)?;
    if !report.trainer.problem().is_overparametrised() {
        let p = &report.settings.problem;
        eprintln!(
            "note: n = {} ≥ d = {}: not over-parametrised; the implicit-bias predictions need d > n and are omitted",
            p.n, p.d
        );
    }
    if let Some(path) = &args.csv {
        write_file(path, trajectory_csv(&config, &report.trainer).as_bytes())?;
    }
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&to_json(&report)).unwrap_or_default()
        );
    } else {
        print_table(&report);
    }
    Ok(())
}

/// The trajectory as CSV with the parameter header.
pub fn trajectory_csv(config: &Config, trainer: &Trainer) -> String {
    let mut out = csv_header(config, trainer.gamma());
    out.push_str("step,time,loss,loss_integral,alpha_ratio,alpha_ratio_min,alpha_ratio_max,alpha_ratio_p21,recovery_error\n");
    for (_, s) in trainer.samples().iter() {
        out.push_str(&format!(
            "{},{:e},{:e},{:e},{:e},{:e},{:e},{:e},{:e}\n",
            s.step,
            s.time,
            s.loss,
            s.loss_integral,
            s.alpha_ratio,
            s.alpha_ratio_min,
            s.alpha_ratio_max,
            s.alpha_ratio_p21,
            s.recovery_error
        ));
    }
    out
}

/// The JSON object of DESIGN.md's contract.
pub fn to_json(r: &RunReport) -> serde_json::Value {
    let s = &r.settings;
    let o = &r.outcome;
    json!({
        "method": s.method.name(),
        "n": s.problem.n,
        "d": s.problem.d,
        "s": s.problem.s,
        "noise": s.problem.noise,
        "seed": s.problem.seed,
        "alpha": s.alpha,
        "gamma": r.trainer.gamma(),
        "gamma_rule": s.step_size.to_string(),
        "batch": s.batch,
        "h": r.trainer.dt(),
        "steps_run": o.steps_run,
        "stop": match r.stop { Stop::Budget => "budget", Stop::Converged => "converged", Stop::Diverged => "diverged" },
        "final_loss": o.final_loss,
        "recovery_error": o.recovery_error,
        "test_error": o.test_error,
        "loss_integral": o.loss_integral,
        "alpha_ratio": o.alpha_ratio,
        "alpha_ratio_p21": o.alpha_ratio_p21,
        "predicted_gap": o.predicted_gap,
        "predicted_gap_p21": o.predicted_gap_p21,
        "diverged": o.diverged_at_step.is_some(),
        "diverged_at_step": o.diverged_at_step,
        "overparametrised": r.trainer.problem().is_overparametrised(),
        "l1_recovery_error": r.references.as_ref().map(|x| x.l1_error),
        "l2_recovery_error": r.references.as_ref().map(|x| x.l2_error),
        "gf_recovery_error": r.gf_error,
    })
}

fn print_table(r: &RunReport) {
    let s = &r.settings;
    let o = &r.outcome;
    let opt = |x: Option<f64>| x.map(fmt_num).unwrap_or_else(|| "—".into());
    println!(
        "{} on n = {}, d = {}, s = {}, seed {}: α = {}, γ = {} ({}), batch {}",
        s.method.label(),
        s.problem.n,
        s.problem.d,
        s.problem.s,
        s.problem.seed,
        s.alpha,
        fmt_num(r.trainer.gamma()),
        s.step_size,
        s.batch
    );
    match o.diverged_at_step {
        Some(k) => println!("  DIVERGED at step {k}"),
        None => println!("  steps run          {} ({:?})", o.steps_run, r.stop),
    }
    println!("  final loss         {}", fmt_num(o.final_loss));
    println!(
        "  recovery error     {}   (ℓ1: {}, ℓ2: {}, GF: {})",
        fmt_num(o.recovery_error),
        opt(r.references.as_ref().map(|x| x.l1_error)),
        opt(r.references.as_ref().map(|x| x.l2_error)),
        opt(r.gf_error)
    );
    println!(
        "  α_T/α exact        {}   (P21 formula: {})",
        fmt_num(o.alpha_ratio),
        fmt_num(o.alpha_ratio_p21)
    );
    println!(
        "  predicted gap      {}   (P21: {})",
        opt(o.predicted_gap),
        opt(o.predicted_gap_p21)
    );
}
