//! `dln-explorer sweep`: the α-sweep "SGD beats GD" from the command line.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;

use super::{CliError, SimArgs, fmt_num, write_file};
use crate::experiment::grid::parse_numbers;
use crate::experiment::sweep::{CellSummary, SweepSpec, run_sweep, summarise};
use crate::figure::csv::rows_csv;
use crate::model::{MethodKind, SimError};

/// Flags of `sweep`.
#[derive(Args, Debug)]
pub struct SweepArgs {
    /// The α values, comma-separated [default: 0.01,0.02,0.05,0.1,0.2,0.5,1,2; each > 0].
    #[arg(long, value_name = "LIST")]
    pub alphas: Option<String>,
    /// Methods, comma-separated, from gd, sgd, sgf, gf [default: gd,sgd].
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
    /// The base scene (the method flag is ignored; --steps is the budget of each run).
    #[command(flatten)]
    pub sim: SimArgs,
    /// Write one row per (alpha, method, seed) as CSV.
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,
    /// Print a JSON summary instead of a table.
    #[arg(long)]
    pub json: bool,
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
    };
    spec.validate()?;
    Ok((config, spec))
}

/// Runs the command.
pub fn main(args: &SweepArgs) -> Result<(), CliError> {
    let (config, spec) = spec(args)?;
    let bar = ProgressBar::new(spec.runs() as u64);
    bar.set_style(
        ProgressStyle::with_template(
            "{prefix} [{bar:40}] {pos}/{len} runs, {elapsed} elapsed, eta {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar.set_prefix("sweep");
    let cancel = AtomicBool::new(false);
    let rows = run_sweep(&spec, &|| bar.inc(1), &cancel)?;
    bar.finish_and_clear();
    let cells = summarise(&spec, &rows);
    if let Some(path) = &args.csv {
        write_file(path, rows_csv(&config, &rows).as_bytes())?;
    }
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&summary_json(&spec, &cells)).unwrap_or_default()
        );
    } else {
        print_table(&spec, &cells);
    }
    Ok(())
}

fn summary_json(spec: &SweepSpec, cells: &[CellSummary]) -> serde_json::Value {
    let per_alpha: Vec<_> = spec
        .alphas
        .iter()
        .map(|&alpha| {
            let ratios: serde_json::Map<String, serde_json::Value> = cells
                .iter()
                .filter(|c| c.alpha == alpha && c.method != MethodKind::Gd)
                .filter_map(|c| {
                    c.median_ratio_to_gd
                        .map(|r| (c.method.name().to_string(), json!(r)))
                })
                .collect();
            json!({ "alpha": alpha, "median_ratio_to_gd": ratios })
        })
        .collect();
    let per_cell: Vec<_> = cells
        .iter()
        .map(|c| {
            json!({
                "alpha": c.alpha,
                "method": c.method.name(),
                "median_recovery_error": c.error_quartiles[1],
                "q25_recovery_error": c.error_quartiles[0],
                "q75_recovery_error": c.error_quartiles[2],
                "median_alpha_ratio": c.median_alpha_ratio,
                "median_l1_recovery_error": c.reference_errors[0],
                "median_l2_recovery_error": c.reference_errors[1],
            })
        })
        .collect();
    json!({ "seeds": spec.seeds, "cells": per_cell, "ratios": per_alpha })
}

fn print_table(spec: &SweepSpec, cells: &[CellSummary]) {
    print!("{:>8}", "alpha");
    for m in &spec.methods {
        print!("  {:>12}", format!("{} error", m.label()));
    }
    for m in spec.methods.iter().filter(|m| **m != MethodKind::Gd) {
        print!("  {:>10}", format!("{}/GD", m.label()));
    }
    println!("  {:>10}  {:>10}", "ℓ1 error", "ℓ2 error");
    for &alpha in &spec.alphas {
        let row: Vec<&CellSummary> = cells.iter().filter(|c| c.alpha == alpha).collect();
        print!("{alpha:>8}");
        for c in &row {
            print!("  {:>12}", fmt_num(c.error_quartiles[1]));
        }
        for c in row.iter().filter(|c| c.method != MethodKind::Gd) {
            print!(
                "  {:>10}",
                c.median_ratio_to_gd
                    .map(fmt_num)
                    .unwrap_or_else(|| "—".into())
            );
        }
        if let Some(c) = row.first() {
            print!(
                "  {:>10}  {:>10}",
                fmt_num(c.reference_errors[0]),
                fmt_num(c.reference_errors[1])
            );
        }
        println!();
    }
    println!(
        "(medians over {} seeds; ratios are paired per seed)",
        spec.seeds
    );
}
