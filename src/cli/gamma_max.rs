//! `dln-explorer gamma-max`: the largest converging step size of one method on a scene, by
//! bisection, next to the linear-stability prediction at the end point.

use clap::Args;
use serde_json::json;

use super::{CliError, SimArgs, fmt_num, scene_json};
use crate::experiment::gamma_max::{GammaMax, PRECISION, gamma_max};
use crate::experiment::prepare;
use crate::model::Settings;

/// Flags of `gamma-max`.
#[derive(Args, Debug)]
pub struct GammaMaxArgs {
    /// The scene and the method (gd, sgd or sgf); γ (rule or fixed) is where the search starts.
    #[command(flatten)]
    pub sim: SimArgs,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Runs the command.
pub fn main(args: &GammaMaxArgs) -> Result<(), CliError> {
    let (_, settings) = args.sim.settings()?;
    let prepared = prepare(settings, None)?;
    let s = &prepared.settings;
    let never = std::sync::atomic::AtomicBool::new(false);
    let found = gamma_max(&prepared.problem, s, s.method, prepared.gamma, &never)?;
    if args.json {
        outln!("{}", to_json(s, prepared.gamma, &found))?;
    } else {
        print_table(s, &found)?;
    }
    Ok(())
}

/// The JSON object: the scene, the start, the result and its bracket.
fn to_json(s: &Settings, start: f64, g: &GammaMax) -> serde_json::Value {
    scene_json(
        s,
        json!({
            "steps": s.steps,
            "tol": s.tol,
            "start_gamma": start,
            "gamma_max": g.gamma_max,
            "bracket": g.bracket,
            "above": g.above.name(),
            "predicted": g.predicted,
            "precision": PRECISION,
            "runs": g.runs,
        }),
    )
}

fn print_table(s: &Settings, g: &GammaMax) -> Result<(), CliError> {
    let p = &s.problem;
    outln!(
        "γ_max of {} on n = {}, d = {}, s = {}, α = {}, seed {} ({} steps, tol = {})",
        s.method.label(),
        p.n,
        p.d,
        p.s,
        fmt_num(s.alpha),
        p.seed,
        s.steps,
        crate::model::format::exact(s.tol)
    )?;
    outln!(
        "  γ_max        {}   (converges; at γ = {}: {})",
        fmt_num(g.gamma_max),
        fmt_num(g.bracket[1]),
        g.above.describe()
    )?;
    let rule = if s.method.is_stochastic() {
        "2 / max_i κ_i"
    } else {
        "2n / λ_max(X diag(u²+v²) Xᵀ)"
    };
    outln!(
        "  predicted    {}   (linear stability at the end point: {rule})",
        fmt_num(g.predicted)
    )?;
    outln!("  runs         {}", g.runs)?;
    Ok(())
}
