//! `dln-explorer sweep`: α × γ × methods × seeds on paired data from the command line.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;

use super::merge::read_whole_sweep;
use super::{CliError, SimArgs, fmt_num};
use crate::experiment::grid::parse_numbers;
use crate::experiment::shard::Shard;
use crate::experiment::summary::{CellSummary, summarise};
use crate::experiment::sweep::{GammaAxis, SweepSpec, run_shard};
use crate::figure::sweep_csv::sweep_csv;
use crate::model::{MethodKind, SimError};

/// Flags of `sweep`.
#[derive(Args, Debug)]
pub struct SweepArgs {
    /// The α values, comma-separated [default: 0.01,0.02,0.05,0.1,0.2,0.5,1,2; each > 0].
    #[arg(long, value_name = "LIST")]
    pub alphas: Option<String>,
    /// Methods, comma-separated, from gd, sgd, sgf, gf, label-noise, iso-noise, momentum, n-sam, 1-sam
    /// [default: gd,sgd].
    #[arg(
        long,
        value_name = "LIST",
        default_value = "gd,sgd",
        hide_default_value = true
    )]
    pub methods: String,
    /// Number of seeds: seed, seed+1, … [default: 5; ≥ 1].
    #[arg(long, default_value_t = 5, hide_default_value = true)]
    pub seeds: u64,
    /// Fixed step sizes γ, comma-separated, shared by every method [default: the scene's γ].
    #[arg(long, value_name = "LIST", conflicts_with = "gamma_fractions")]
    pub gammas: Option<String>,
    /// Step sizes as fractions of each (α, method, seed)'s own γ_max, comma-separated, each in
    /// (0, 10] (γ_max is bisected first, as `gamma-max` does).
    #[arg(long, value_name = "LIST")]
    pub gamma_fractions: Option<String>,
    /// Also bisect for each run's γ_max with --gammas or the scene's γ (fills `gamma_max`).
    #[arg(long)]
    pub with_gamma_max: bool,
    /// The base scene (the method flag is ignored; --steps is the budget of each run).
    #[command(flatten)]
    pub sim: SimArgs,
    /// Write one row per (alpha, gamma, seed, method) as CSV.
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,
    /// Print a JSON summary instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Run only the K-th of N fixed slices of the grid (every γ and method of every N-th
    /// (α, seed) pair) and write its rows with --csv; `merge` joins the N files.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
    /// Print the summary of a sweep's CSV (`sweep --csv` or `merge --out`) instead of running;
    /// the grid and scene are the file's.
    #[arg(long, value_name = "FILE.csv", conflicts_with_all = ["alphas", "methods", "seeds", "gammas", "gamma_fractions", "with_gamma_max", "csv", "shard"])]
    pub summary: Option<PathBuf>,
}

/// Default α grid: log-spaced from 0.01 to 2.
pub const DEFAULT_ALPHAS: &str = "0.01,0.02,0.05,0.1,0.2,0.5,1,2";

/// Parses a comma-separated method list.
pub fn parse_methods(text: &str) -> Result<Vec<MethodKind>, SimError> {
    let mut out = Vec::new();
    for m in text.split(',').filter(|t| !t.trim().is_empty()) {
        let m: MethodKind = m.parse()?;
        if !out.contains(&m) {
            out.push(m);
        }
    }
    Ok(out)
}

/// The sweep described by the flags.
pub fn spec(args: &SweepArgs) -> Result<(crate::model::Config, SweepSpec), CliError> {
    let (config, base) = args.sim.settings()?;
    let spec = SweepSpec {
        base,
        alphas: parse_numbers("alphas", args.alphas.as_deref().unwrap_or(DEFAULT_ALPHAS))?,
        methods: parse_methods(&args.methods)?,
        seeds: args.seeds,
        gammas: match (&args.gammas, &args.gamma_fractions) {
            (Some(list), _) => GammaAxis::Values(parse_numbers("gammas", list)?),
            (None, Some(list)) => GammaAxis::Fractions(parse_numbers("gamma-fractions", list)?),
            (None, None) => GammaAxis::Scene,
        },
        find_gamma_max: args.with_gamma_max,
    };
    spec.validate()?;
    Ok((config, spec))
}

/// The scene's title: its preset's, else the program's name.
pub fn title(sim: &SimArgs) -> Result<String, CliError> {
    let preset = sim.preset.as_deref().map(crate::presets::get).transpose()?;
    Ok(preset.map_or("dln-explorer".into(), |p| p.title))
}

/// Checks that no scene flag is given with `flag` (whose file's header is the scene).
pub fn no_scene_flags(sim: &SimArgs, flag: &'static str, path: &Path) -> Result<(), CliError> {
    if *sim != SimArgs::default() {
        let range = "given without scene flags (--preset, --n, …): the file's header is the scene";
        return Err(SimError::invalid(flag, path.display(), range).into());
    }
    Ok(())
}

/// Runs the command.
pub fn main(args: &SweepArgs) -> Result<(), CliError> {
    if let Some(path) = &args.summary {
        no_scene_flags(&args.sim, "summary", path)?;
        let file = read_whole_sweep(path)?;
        let rows = file.sweep_rows();
        return report(&file.spec, &summarise(&file.spec, &rows), args.json);
    }
    let (config, spec) = spec(args)?;
    let shard = args.shard.as_deref().map(str::parse::<Shard>).transpose()?;
    let slice = shard.unwrap_or(Shard::WHOLE);
    slice.check(&spec)?;
    if let (Some(text), None) = (&args.shard, &args.csv) {
        let range = "given with --csv FILE (where the shard's rows go)";
        return Err(SimError::invalid("shard", text, range).into());
    }
    let bar = ProgressBar::new(spec.runs_in(slice) as u64);
    bar.set_style(
        ProgressStyle::with_template(
            "{prefix} [{bar:40}] {pos}/{len} runs, {elapsed} elapsed, eta {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar.set_prefix("sweep");
    let cancel = AtomicBool::new(false);
    let rows = run_shard(&spec, slice, &|| bar.inc(1), &cancel)?;
    bar.finish_and_clear();
    if let Some(path) = &args.csv {
        let text = sweep_csv(&config, &spec, &title(&args.sim)?, slice, &rows);
        crate::files::write_atomic(path, text.as_bytes())?;
    }
    if let Some(shard) = shard {
        let (n, path) = (rows.len(), args.csv.as_deref().unwrap_or(Path::new("?")));
        note!("wrote shard {shard} ({n} rows) to {}", path.display());
        return Ok(());
    }
    report(&spec, &summarise(&spec, &rows), args.json)
}

/// Prints the summary: a JSON object, else a table.
fn report(spec: &SweepSpec, cells: &[CellSummary], json: bool) -> Result<(), CliError> {
    if json {
        outln!(
            "{}",
            serde_json::to_string_pretty(&summary_json(spec, cells)).unwrap_or_default()
        )
    } else {
        print_table(spec, cells)
    }
}

fn summary_json(spec: &SweepSpec, cells: &[CellSummary]) -> serde_json::Value {
    let fraction = matches!(spec.gammas, GammaAxis::Fractions(_));
    let gamma_keys = |c: &CellSummary| {
        if fraction {
            (json!(null), json!(c.gamma))
        } else {
            (json!(c.gamma), json!(null))
        }
    };
    let mut ratios = Vec::new();
    for &alpha in &spec.alphas {
        for gamma in spec.gammas.points() {
            let at: Vec<&CellSummary> = (cells.iter())
                .filter(|c| c.alpha == alpha && c.gamma == gamma)
                .collect();
            let Some(first) = at.first() else { continue };
            let medians: serde_json::Map<String, serde_json::Value> = (at.iter())
                .filter(|c| c.method != MethodKind::Gd)
                .filter_map(|c| (c.median_ratio_to_gd).map(|r| (c.method.name().into(), json!(r))))
                .collect();
            let (g, f) = gamma_keys(first);
            ratios.push(json!({ "alpha": alpha, "gamma": g, "gamma_fraction": f, "median_ratio_to_gd": medians }));
        }
    }
    let per_cell: Vec<_> = cells
        .iter()
        .map(|c| {
            let (g, f) = gamma_keys(c);
            json!({
                "alpha": c.alpha,
                "gamma": g,
                "gamma_fraction": f,
                "method": c.method.name(),
                "median_gamma_max": c.median_gamma_max,
                "median_ratio_to_gd": c.median_ratio_to_gd,
                "median_recovery_error": c.error_quartiles[1],
                "q25_recovery_error": c.error_quartiles[0],
                "q75_recovery_error": c.error_quartiles[2],
                "median_alpha_ratio": c.median_alpha_ratio,
                "median_l1_recovery_error": c.reference_errors[0],
                "median_l2_recovery_error": c.reference_errors[1],
            })
        })
        .collect();
    json!({ "seeds": spec.seeds, "cells": per_cell, "ratios": ratios })
}

fn print_table(spec: &SweepSpec, cells: &[CellSummary]) -> Result<(), CliError> {
    let gamma_column = match spec.gammas {
        GammaAxis::Scene => None,
        GammaAxis::Values(_) => Some("gamma"),
        GammaAxis::Fractions(_) => Some("γ/γ_max"),
    };
    out!("{:>8}", "alpha")?;
    if let Some(name) = gamma_column {
        out!("  {name:>8}")?;
    }
    for m in &spec.methods {
        out!("  {:>12}", format!("{} error", m.label()))?;
    }
    for m in spec.methods.iter().filter(|m| **m != MethodKind::Gd) {
        out!("  {:>10}", format!("{}/GD", m.label()))?;
    }
    outln!("  {:>10}  {:>10}", "ℓ1 error", "ℓ2 error")?;
    for &alpha in &spec.alphas {
        for gamma in spec.gammas.points() {
            let row: Vec<&CellSummary> = (cells.iter())
                .filter(|c| c.alpha == alpha && c.gamma == gamma)
                .collect();
            if row.is_empty() {
                continue;
            }
            out!("{alpha:>8}")?;
            if let Some(g) = gamma {
                out!("  {:>8}", crate::model::format::short(g))?;
            }
            for m in &spec.methods {
                let c = row.iter().find(|c| c.method == *m);
                out!(
                    "  {:>12}",
                    c.map_or("—".into(), |c| fmt_num(c.error_quartiles[1]))
                )?;
            }
            for c in row.iter().filter(|c| c.method != MethodKind::Gd) {
                let ratio = c.median_ratio_to_gd.map_or_else(|| "—".into(), fmt_num);
                out!("  {ratio:>10}")?;
            }
            if let Some(c) = row.first() {
                out!(
                    "  {:>10}  {:>10}",
                    fmt_num(c.reference_errors[0]),
                    fmt_num(c.reference_errors[1])
                )?;
            }
            outln!()?;
        }
    }
    outln!(
        "(medians over {} seeds; ratios are paired per seed)",
        spec.seeds
    )?;
    Ok(())
}
