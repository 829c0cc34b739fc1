//! `dln-explorer figure`: renders a scene's plots (or SPEC §6's α-sweep) headless to SVG or PNG.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use clap::Args;
use indicatif::ProgressBar;
use rayon::prelude::*;

use super::run::{RunReport, execute_on, prepare};
use super::sweep::{SweepArgs, rows_csv, spec};
use super::{CliError, SimArgs, write_file};
use crate::export::csv::figure_csv;
pub use crate::export::figures::PlotKind;
use crate::export::figures::{reference, sweep_figure};
use crate::export::palette::{self, GROUND_TRUTH, L1_REFERENCE, L2_REFERENCE};
use crate::export::png::svg_to_png;
use crate::export::{Axis, Figure, Panel, Series, Style, svg};
use crate::presets;
use crate::sim::sweep::{run_sweep, summarise};
use crate::sim::{MethodKind, Settings, SimError, StepSize};

/// The methods a scene figure compares, on the same data, initialisation and γ.
pub const SCENE_METHODS: [MethodKind; 3] = [MethodKind::Gd, MethodKind::Sgd, MethodKind::Sgf];

/// The α grid of `--plot sweep`: log-spaced from 0.01 to 2.
pub const SWEEP_ALPHAS: &str = "0.01,0.015,0.02,0.03,0.05,0.07,0.1,0.15,0.2,0.3,0.5,0.7,1,1.5,2";

/// Flags of `figure`.
#[derive(Args, Debug)]
pub struct FigureArgs {
    /// The scene (GD, SGD and SGF all run on it; the method flag is ignored).
    #[command(flatten)]
    pub sim: SimArgs,
    /// Output file; the extension picks the format: .svg or .png.
    #[arg(long, value_name = "FILE.svg|png")]
    pub out: PathBuf,
    /// Which plot: loss, coords, alpha, error or sweep [default: loss].
    #[arg(long, default_value = "loss", hide_default_value = true, value_parser = |s: &str| s.parse::<PlotKind>().map_err(|e| e.to_string()))]
    pub plot: PlotKind,
    /// --plot sweep: the α values, comma-separated [default: 15 log-spaced from 0.01 to 2].
    #[arg(long, value_name = "LIST")]
    pub alphas: Option<String>,
    /// --plot sweep: methods, comma-separated, from gd, sgd, sgf, gf [default: gd,sgd,sgf].
    #[arg(
        long,
        value_name = "LIST",
        default_value = "gd,sgd,sgf",
        hide_default_value = true
    )]
    pub methods: String,
    /// --plot sweep: number of seeds: seed, seed+1, … [default: 5; ≥ 1].
    #[arg(long, default_value_t = 5, hide_default_value = true)]
    pub seeds: u64,
    /// PNG pixel density: 1, 2 or 3 × the 960-pixel-wide figure [default: 2].
    #[arg(long, default_value_t = 2, hide_default_value = true, value_parser = clap::value_parser!(u8).range(1..=3))]
    pub scale: u8,
    /// Also write the plotted data as CSV (for sweep: one row per run, as `sweep --csv`).
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,
}

/// The output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Svg,
    Png,
}

/// The format named by the extension of `path`.
fn format_of(path: &Path) -> Result<Format, CliError> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    match ext.as_deref() {
        Some("svg") => Ok(Format::Svg),
        Some("png") => Ok(Format::Png),
        _ => Err(
            SimError::invalid("out", path.display(), "a file name ending in .svg or .png").into(),
        ),
    }
}

/// Runs the command.
pub fn main(args: &FigureArgs) -> Result<(), CliError> {
    let format = format_of(&args.out)?;
    let (config, settings) = args.sim.settings()?;
    let title = match &args.sim.preset {
        Some(name) => presets::get(name)?.title,
        None => "dln-explorer".to_string(),
    };
    let fig = if args.plot == PlotKind::Sweep {
        let sweep_args = SweepArgs {
            alphas: Some(args.alphas.clone().unwrap_or_else(|| SWEEP_ALPHAS.into())),
            methods: args.methods.clone(),
            seeds: args.seeds,
            sim: args.sim.clone(),
            csv: None,
            json: false,
        };
        let (config, spec) = spec(&sweep_args)?;
        let bar = ProgressBar::new(spec.runs() as u64);
        let rows = run_sweep(&spec, &|| bar.inc(1), &AtomicBool::new(false))?;
        bar.finish_and_clear();
        if let Some(path) = &args.csv {
            write_file(path, rows_csv(&config, &rows).as_bytes())?;
        }
        let b = &spec.base;
        let mut subtitle = format!(
            "n = {}, d = {}, s = {}, σ = {} · γ by {} at each α · batch {} · median of {} seeds, band: quartiles",
            b.problem.n,
            b.problem.d,
            b.problem.s,
            b.problem.noise,
            b.step_size,
            b.batch,
            spec.seeds
        );
        let diverged = rows
            .iter()
            .filter(|r| r.outcome.diverged_at_step.is_some())
            .count();
        let unconverged = rows
            .iter()
            .filter(|r| r.outcome.diverged_at_step.is_none() && r.outcome.final_loss > b.tol)
            .count();
        let mut notes = Vec::new();
        if unconverged > 0 {
            notes.push(format!(
                "{unconverged} of {} runs stopped at the {}-step budget before the loss reached {:e}",
                rows.len(),
                b.steps,
                b.tol
            ));
        }
        if diverged > 0 {
            notes.push(format!("{diverged} of {} runs diverged", rows.len()));
        }
        if !notes.is_empty() {
            subtitle.push('\n');
            subtitle.push_str(&notes.join(" · "));
        }
        sweep_figure(&title, &subtitle, &summarise(&spec, &rows))
    } else {
        let reports = run_scene(&settings)?;
        let fig = scene_figure(args.plot, &title, &reports);
        if let Some(path) = &args.csv {
            let gamma = reports.first().map_or(f64::NAN, |r| r.trainer.gamma());
            write_file(path, figure_csv(&config, gamma, &fig).as_bytes())?;
        }
        fig
    };
    let text = svg::render(&fig);
    let bytes = match format {
        Format::Svg => text.into_bytes(),
        Format::Png => svg_to_png(&text, f32::from(args.scale))
            .map_err(|msg| CliError::Io(args.out.clone(), msg))?,
    };
    write_file(&args.out, &bytes)?;
    eprintln!("wrote {}", args.out.display());
    Ok(())
}

/// Runs GD, SGD and SGF on the scene's data with the same α and γ, in parallel.
pub fn run_scene(settings: &Settings) -> Result<Vec<RunReport>, CliError> {
    let data = prepare(settings.clone())?;
    SCENE_METHODS
        .par_iter()
        .map(|&method| execute_on(method, &data))
        .collect()
}

/// The legend name of a run: the method, and the step at which it diverged if it did.
fn run_name(r: &RunReport) -> String {
    match r.trainer.diverged_at() {
        Some(k) => format!("{} (diverged, step {k})", r.settings.method.label()),
        None => r.settings.method.label().to_string(),
    }
}

/// A scene plot of finished runs on the same data and γ (`Sweep` draws the loss).
pub fn scene_figure(plot: PlotKind, title: &str, reports: &[RunReport]) -> Figure {
    let Some(first) = reports.first() else {
        return Figure {
            title: title.into(),
            subtitle: String::new(),
            panels: Vec::new(),
        };
    };
    let s = &first.settings;
    let p = &s.problem;
    let subtitle = format!(
        "n = {}, d = {}, s = {}, σ = {}, seed {} · α = {} · γ = {} ({}) · batch {}",
        p.n,
        p.d,
        p.s,
        p.noise,
        p.seed,
        s.alpha,
        svg::short_number(first.trainer.gamma()),
        match s.step_size {
            StepSize::Fixed(_) => "fixed".to_string(),
            rule => rule.to_string(),
        },
        s.batch
    );
    let over_time = |f: fn(&crate::sim::Sample) -> f64| -> Vec<Vec<[f64; 2]>> {
        reports
            .iter()
            .map(|r| {
                r.trainer
                    .samples()
                    .iter()
                    .map(|(_, x)| [x.time, f(x)])
                    .collect()
            })
            .collect()
    };
    let time = Axis::log("time t = kγ (SGF: kh)");
    let mut series = Vec::new();
    let mut references = Vec::new();
    let (panel_title, x, y) = match plot {
        PlotKind::Loss | PlotKind::Sweep => {
            for (r, points) in reports.iter().zip(over_time(|x| x.loss)) {
                let color = palette::color(r.settings.method);
                series.push(Series::new(run_name(r), color, Style::Line, points));
            }
            ("Training loss", time, Axis::log("training loss L(β_t)"))
        }
        PlotKind::Error => {
            for (r, points) in reports.iter().zip(over_time(|x| x.recovery_error)) {
                let color = palette::color(r.settings.method);
                series.push(Series::new(run_name(r), color, Style::Line, points));
            }
            if let Some(refs) = &first.references {
                references.push(reference("ℓ1 interpolator", refs.l1_error, L1_REFERENCE));
                references.push(reference("ℓ2 interpolator", refs.l2_error, L2_REFERENCE));
            }
            if let Some(e) = first.gf_error {
                references.push(reference("GF limit", e, palette::color(MethodKind::Gf)));
            }
            (
                "Recovery error",
                time,
                Axis::log("recovery error ‖β_t − β*‖²"),
            )
        }
        PlotKind::Alpha => {
            let exact = over_time(|x| x.alpha_ratio);
            let p21 = over_time(|x| x.alpha_ratio_p21);
            for ((r, points), p21) in reports.iter().zip(exact).zip(p21) {
                let color = palette::color(r.settings.method);
                let mut line = Series::new(run_name(r), color, Style::Line, points);
                line.band = r
                    .trainer
                    .samples()
                    .iter()
                    .map(|(_, x)| [x.time, x.alpha_ratio_min, x.alpha_ratio_max])
                    .collect();
                series.push(line);
                if r.settings.method.is_stochastic() {
                    let name = format!("{} (P21 formula)", r.settings.method.label());
                    series.push(Series::new(name, color, Style::Dashed, p21));
                }
            }
            (
                "Effective initialisation: geometric mean of α_t/α (band: min–max over j)",
                time,
                Axis::log("α_t / α"),
            )
        }
        PlotKind::Coords => {
            let truth: Vec<[f64; 2]> = (first.trainer.problem().beta_star.iter())
                .enumerate()
                .filter(|(_, b)| **b != 0.0)
                .map(|(j, b)| [j as f64, *b])
                .collect();
            // Methods side by side at each coordinate so that coinciding values stay visible.
            for (k, r) in reports.iter().enumerate() {
                let offset = 0.3 * (k as f64 - (reports.len() as f64 - 1.0) / 2.0);
                let points = (r.trainer.beta().iter())
                    .enumerate()
                    .map(|(j, b)| [j as f64 + offset, *b])
                    .collect();
                let color = palette::color(r.settings.method);
                series.push(Series::new(run_name(r), color, Style::Dots, points));
            }
            series.push(Series::new(
                "β* (non-zeros)",
                GROUND_TRUTH,
                Style::Rings,
                truth,
            ));
            (
                "Final β, coordinate by coordinate",
                Axis::linear("coordinate j (methods side by side)"),
                Axis::linear("β_j"),
            )
        }
    };
    Figure {
        title: title.into(),
        subtitle,
        panels: vec![Panel {
            title: panel_title.into(),
            x,
            y,
            series,
            references,
            height: 420.0,
        }],
    }
}
