//! `dln-explorer run`: one method, to a loss tolerance or a step budget.

use std::path::PathBuf;
use std::sync::Arc;

use clap::Args;
use serde_json::json;

use super::{CliError, SimArgs, fmt_num, scene_json, write_file};
use crate::experiment::{MethodSet, Prepared, prepare, run_to_end};
use crate::figure::csv::trajectory_csv;
use crate::model::references::L1Solver;
use crate::model::{ErrorMeasure, Outcome, Settings, SimError, Stop, Trainer};

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
    /// --csv: one column per coordinate of β and of its running mean even when d > 64
    /// (they are written for d ≤ 64 anyway).
    #[arg(long, value_name = "all", value_parser = ["all"])]
    pub coords: Option<String>,
}

/// Largest d whose coordinates `run --csv` writes without `--coords all`.
pub const CSV_COORDS_UP_TO: usize = 64;

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
    /// The prepared scene it ran on (data, references, γ, the GF limit).
    pub prepared: Arc<Prepared>,
}

/// Prepares the scene, runs its method through the one driver (keeping its history if asked)
/// and evaluates.
pub fn execute(settings: Settings, history: bool) -> Result<RunReport, CliError> {
    execute_with(settings, history, false)
}

/// [`execute`], recording every coordinate of β with each sample when `all_coords`.
pub fn execute_with(
    settings: Settings,
    history: bool,
    all_coords: bool,
) -> Result<RunReport, CliError> {
    let method = settings.method;
    let mut prepared = prepare(settings, None)?;
    if all_coords {
        prepared.coords = (0..prepared.problem.d()).collect();
    }
    let prepared = Arc::new(prepared);
    let (runs, _) = run_to_end(prepared.clone(), MethodSet::of(&[method]), history)?;
    let run =
        (runs.runs().first()).ok_or_else(|| SimError::Numerical("the run did not start".into()))?;
    Ok(RunReport {
        settings: prepared.settings.clone(),
        trainer: run.trainer().clone(),
        stop: run.stop().unwrap_or(Stop::Budget),
        outcome: Outcome::of(run.trainer()),
        prepared,
    })
}

/// Runs the command.
pub fn main(args: &RunArgs) -> Result<(), CliError> {
    let (config, settings) = args.sim.settings()?;
    let all = args.coords.is_some() || settings.problem.d <= CSV_COORDS_UP_TO;
    let report = execute_with(settings, args.csv.is_some(), all && args.csv.is_some())?;
    if let Some(refs) = &report.prepared.references
        && matches!(refs.l1_solver, L1Solver::Lp { .. })
    {
        note!("note: basis pursuit by {}", refs.l1_solver);
    }
    let problem = report.trainer.problem();
    if !problem.is_overparametrised() {
        let why = crate::model::stability::not_overparametrised(
            problem.x(),
            "each implicit-bias prediction",
        );
        note!("note: {why}; the predictions are omitted");
    }
    if let Some(path) = &args.csv {
        write_file(path, trajectory_csv(&config, &report.trainer).as_bytes())?;
    }
    if args.json {
        outln!(
            "{}",
            serde_json::to_string_pretty(&to_json(&report)).unwrap_or_default()
        )?;
    } else {
        print_table(&report)?;
    }
    Ok(())
}

/// The JSON object of the command-line contract (docs/file-formats.md).
pub fn to_json(r: &RunReport) -> serde_json::Value {
    let s = &r.settings;
    let o = &r.outcome;
    let refs = r.prepared.references.as_deref();
    let problem = r.trainer.problem();
    let measure = problem.measure;
    let recovery = (measure == ErrorMeasure::Recovery).then_some(o.recovery_error);
    let end = r.trainer.sample();
    let mut keys = scene_json(
        s,
        json!({
            "gamma": r.trainer.gamma(),
            "gamma_rule": s.step_size.to_string(),
            "h": r.trainer.dt(),
            "steps_run": o.steps_run,
            "stop": r.stop.name(),
            "final_loss": o.final_loss,
            "recovery_error": recovery,
            "l1_norm": end.l1_norm,
            "support_size": end.support_size,
            "error_measure": measure.key(),
            "expected_test_error": o.expected_test_error,
            "test_error": o.test_error,
            "loss_integral": o.loss_integral,
            "alpha_ratio": o.alpha_ratio,
            "alpha_ratio_p21": o.alpha_ratio_p21,
            "alpha_ratio_product": o.alpha_ratio_product,
            "mirror_identity": s.method.keeps_mirror_identity() && s.weight_decay == 0.0,
            "weight_decay": s.weight_decay,
            "momentum": s.momentum,
            "sam_radius": s.sam_radius,
            "schedule": s.schedule.to_string(),
            "beta": r.trainer.beta(),
            "predicted_gap_product": o.predicted_gap_product,
            "sigma_label": s.sigma_label,
            "sigma_iso": s.sigma_iso,
            "noise_steps": s.noise_steps,
            "predicted_gap": o.predicted_gap,
            "predicted_gap_p21": o.predicted_gap_p21,
            "diverged": o.diverged_at_step.is_some(),
            "diverged_at_step": o.diverged_at_step,
            "overparametrised": r.trainer.problem().is_overparametrised(),
            "l1_recovery_error": refs.map(|x| x.l1_error),
            "l2_recovery_error": refs.map(|x| x.l2_error),
            "gf_recovery_error": r.prepared.gf_error(),
            "l1_solver": refs.map(|x| x.l1_solver.to_string()),
        }),
    );
    let data = problem.spec.source.data.as_ref();
    let extra = match data {
        Some(d) => json!({"data": d.name, "noise": null, "design": null, "beta_star": null}),
        None => json!({
            "data": null,
            "design": problem.spec.source.design.to_string(),
            "beta_star": problem.spec.source.beta.to_string(),
        }),
    };
    if let (Some(map), serde_json::Value::Object(extra)) = (keys.as_object_mut(), extra) {
        map.extend(extra);
        if measure == ErrorMeasure::L1Distance {
            map.insert("l1_distance".into(), json!(o.recovery_error));
        }
    }
    keys
}

fn print_table(r: &RunReport) -> Result<(), CliError> {
    let s = &r.settings;
    let o = &r.outcome;
    let refs = r.prepared.references.as_deref();
    let opt = |x: Option<f64>| x.map(fmt_num).unwrap_or_else(|| "—".into());
    outln!(
        "{} on n = {}, d = {}, s = {}, seed {}: α = {}, γ = {} ({}), batch {}",
        s.method.label(),
        s.problem.n,
        s.problem.d,
        s.problem.s,
        s.problem.seed,
        fmt_num(s.alpha),
        fmt_num(r.trainer.gamma()),
        s.step_size,
        s.batch
    )?;
    if let Some(noise) = crate::figure::noise::noise_description(s, [s.method]) {
        outln!("  {noise}")?;
    }
    match o.diverged_at_step {
        Some(k) => outln!("  DIVERGED at step {k}")?,
        None => outln!(
            "  steps run          {} ({})",
            o.steps_run,
            r.stop.describe()
        )?,
    }
    outln!("  final loss         {}", fmt_num(o.final_loss))?;
    let problem = r.trainer.problem();
    let name = match problem.measure {
        ErrorMeasure::Recovery => "recovery error    ",
        ErrorMeasure::Test => "test error        ",
        ErrorMeasure::L1Distance => "‖β − β_ℓ1‖²       ",
        ErrorMeasure::Unavailable => "error (no β*)     ",
    };
    outln!(
        "  {name} {}   (ℓ1: {}, ℓ2: {}, GF: {})",
        fmt_num(o.recovery_error),
        opt(refs.map(|x| x.l1_error)),
        opt(refs.map(|x| x.l2_error)),
        opt(r.prepared.gf_error())
    )?;
    if problem.shows_test_error() {
        outln!(
            "  test error         {}   ((β − β*)ᵀM(β − β*) + σ², {})",
            fmt_num(o.expected_test_error),
            match &problem.spec.source.data {
                Some(_) => "on the test set".to_string(),
                None => format!("design {}", problem.spec.source.design),
            }
        )?;
    }
    outln!(
        "  α_T/α exact        {}   (P21 formula: {})",
        fmt_num(o.alpha_ratio),
        fmt_num(o.alpha_ratio_p21)
    )?;
    if let Some(product) = o.alpha_ratio_product {
        outln!(
            "  α exp(−½Σq(D))/α   {}   (the product formula; equal to α_T/α where the identity holds)",
            fmt_num(product)
        )?;
    }
    outln!(
        "  predicted gap      {}   (P21: {})",
        opt(o.predicted_gap),
        opt(o.predicted_gap_p21)
    )?;
    if let Some(gap) = o.predicted_gap_product {
        outln!(
            "  gap, dual steps   {}   (to the limit predicted from the dual steps alone)",
            fmt_num(gap)
        )?;
    }
    if s.weight_decay > 0.0 {
        outln!(
            "  note: weight decay λ_wd = {} shrinks u and v each step: the predicted gap is to the Lasso point of penalty λ_wd, not to the α-interpolator",
            fmt_num(s.weight_decay)
        )?;
    } else if let Some(note) = s.method.broken_identity() {
        outln!("  note: {note}")?;
    }
    Ok(())
}
