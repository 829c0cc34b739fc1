//! `dln-explorer saddles`: the saddle-to-saddle staircase of a scene's data — the saddles gradient
//! flow visits as α → 0, their jump times in rescaled time τ = t/ln(1/α), the coordinates that
//! join and leave (docs/saddles.md).

use clap::Args;
use serde_json::json;

use super::{CliError, SimArgs, fmt_num};
use crate::model::format::exact;
use crate::model::saddles::{Saddle, saddles};
use crate::model::{Problem, SimError};

/// Flags of `saddles`.
#[derive(Args, Debug)]
pub struct SaddlesArgs {
    /// The scene whose data (X, y) to use; α only converts τ to the scene's time t.
    #[command(flatten)]
    pub sim: SimArgs,
    /// Print one JSON object `{"saddles": [{"tau", "beta", "joins", "leaves", "loss"}, …]}`
    /// (coordinates 1-based) instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Runs the command.
pub fn main(args: &SaddlesArgs) -> Result<(), CliError> {
    let (_, settings) = args.sim.settings()?;
    let problem = Problem::generate(&settings.problem);
    let stairs = saddles(problem.x(), problem.y_slice()).map_err(SimError::from)?;
    if args.json {
        let list: Vec<serde_json::Value> = (stairs.saddles.iter())
            .map(|s| {
                json!({
                    "tau": s.tau,
                    "beta": s.beta,
                    "joins": one_based(&s.joins),
                    "leaves": one_based(&s.leaves),
                    "loss": problem.loss(&s.beta),
                })
            })
            .collect();
        outln!("{}", json!({ "saddles": list }))?;
        return Ok(());
    }
    let p = &problem.spec;
    let source = match &p.source.data {
        Some(d) => format!("data {}", d.name),
        None => format!("design {}, seed {}", p.source.design, p.seed),
    };
    outln!(
        "saddle-to-saddle staircase of gradient flow as α → 0: n = {}, d = {}, {source}",
        p.n,
        p.d
    )?;
    outln!(
        "τ = t / ln(1/α) (at the scene's α = {}: t = {}·τ)",
        exact(settings.alpha),
        fmt_num((1.0 / settings.alpha).ln())
    )?;
    let start = Saddle {
        tau: 0.0,
        beta: vec![0.0; p.d],
        joins: Vec::new(),
        leaves: Vec::new(),
    };
    outln!("{}", row(&start, problem.loss(&start.beta)))?;
    for s in &stairs.saddles {
        outln!("{}", row(s, problem.loss(&s.beta)))?;
    }
    Ok(())
}

/// One line of the table: τ, joins, leaves, loss and the non-zero coordinates of β.
fn row(s: &Saddle, loss: f64) -> String {
    let list = |c: &[usize]| match c {
        [] => "—".to_string(),
        _ => (one_based(c).iter())
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(","),
    };
    let beta: Vec<String> = (s.beta.iter().enumerate())
        .filter(|(_, b)| **b != 0.0)
        .map(|(i, b)| format!("β{} = {}", i + 1, fmt_num(*b)))
        .collect();
    let beta = if beta.is_empty() {
        "β = 0".to_string()
    } else {
        beta.join(", ")
    };
    format!(
        "  τ = {:<9}  joins {:<4} leaves {:<4} loss {:<10} {beta}",
        fmt_num(s.tau),
        list(&s.joins),
        list(&s.leaves),
        fmt_num(loss),
    )
}

fn one_based(coords: &[usize]) -> Vec<usize> {
    coords.iter().map(|c| c + 1).collect()
}
