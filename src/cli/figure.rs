//! `dln-explorer figure`: renders a scene's plots (or the α-sweep) headless to SVG or PNG.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use clap::Args;
use indicatif::ProgressBar;
use std::sync::Arc;

use super::sweep::{SweepArgs, spec};
use super::{CliError, SimArgs, write_file};
use crate::experiment::sweep::run_sweep;
use crate::experiment::{MethodSet, Record, prepare, run_to_end};
use crate::figure::csv::{figure_csv, rows_csv};
use crate::figure::figures;
pub use crate::figure::figures::PlotKind;
use crate::figure::png::svg_to_png;
use crate::figure::scene::{self, ViewOptions};
use crate::figure::svg;
use crate::model::{MethodKind, Settings, SimError};
use crate::presets;

/// The methods a scene figure compares, on the same data, initialisation and γ.
pub const SCENE_METHODS: [MethodKind; 3] = [MethodKind::Gd, MethodKind::Sgd, MethodKind::Sgf];

/// The α grid of `--plot phase`.
pub const PHASE_ALPHAS: &str = "0.01,0.03,0.1,0.3,1";

/// The γ/γ_max grid of `--plot gamma-sweep` and `--plot phase`.
pub const GAMMA_FRACTIONS: &str = "0.05,0.1,0.2,0.3,0.5,0.7,0.9";

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
    /// Which plot: loss, coords, alpha, alpha-coords, error, sharpness, final-beta, sweep,
    /// gamma-sweep or phase [default: loss].
    #[arg(long, default_value = "loss", hide_default_value = true, value_parser = |s: &str| s.parse::<PlotKind>().map_err(|e| e.to_string()))]
    pub plot: PlotKind,
    /// --plot sweep: the α values, comma-separated [default: 15 log-spaced from 0.01 to 2].
    #[arg(long, value_name = "LIST")]
    pub alphas: Option<String>,
    /// --plot sweep / gamma-sweep: methods, comma-separated, from gd, sgd, sgf, gf, label-noise, iso-noise
    /// [default: gd,sgd,sgf for sweep, gd,sgd for gamma-sweep].
    #[arg(long, value_name = "LIST")]
    pub methods: Option<String>,
    /// --plot gamma-sweep: fixed step sizes, comma-separated (each method's γ_max is drawn).
    #[arg(long, value_name = "LIST", conflicts_with = "gamma_fractions")]
    pub gammas: Option<String>,
    /// --plot gamma-sweep: fractions of each run's own γ_max, comma-separated, in (0, 10]
    /// [default: 0.05,0.1,0.2,0.3,0.5,0.7,0.9].
    #[arg(long, value_name = "LIST")]
    pub gamma_fractions: Option<String>,
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
    let preset = args.sim.preset.as_deref().map(presets::get).transpose()?;
    let title = preset
        .as_ref()
        .map_or("dln-explorer".into(), |p| p.title.clone());
    let methods = scene_methods(preset.as_ref());
    let fig = if matches!(
        args.plot,
        PlotKind::Sweep | PlotKind::GammaSweep | PlotKind::Phase
    ) {
        let phase = args.plot == PlotKind::Phase;
        let gamma_sweep = args.plot == PlotKind::GammaSweep || phase;
        let alphas = match (&args.alphas, args.plot) {
            (Some(list), _) => list.clone(),
            (None, PlotKind::GammaSweep) => crate::model::format::exact(config.alpha),
            (None, PlotKind::Phase) => PHASE_ALPHAS.into(),
            (None, _) => SWEEP_ALPHAS.into(),
        };
        let default_methods = if gamma_sweep { "gd,sgd" } else { "gd,sgd,sgf" };
        let fractions = (gamma_sweep && args.gammas.is_none()).then(|| {
            args.gamma_fractions
                .clone()
                .unwrap_or_else(|| GAMMA_FRACTIONS.into())
        });
        let sweep_args = SweepArgs {
            alphas: Some(alphas),
            methods: args
                .methods
                .clone()
                .unwrap_or_else(|| default_methods.into()),
            seeds: args.seeds,
            gammas: args.gammas.clone().filter(|_| gamma_sweep),
            gamma_fractions: fractions,
            with_gamma_max: gamma_sweep,
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
        if phase {
            figures::phase(&title, &spec, &rows)
        } else if gamma_sweep {
            figures::gamma_sweep(&title, &spec, &rows)
        } else {
            figures::sweep(&title, &spec, &rows)
        }
    } else {
        let record = run_scene_of(settings, &methods)?;
        let fig = scene::figure(&[args.plot], &record, ViewOptions::default(), &title);
        if let Some(path) = &args.csv {
            let gamma = record.info.as_ref().map_or(f64::NAN, |i| i.gamma);
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

/// Runs GD, SGD and SGF on the scene's data with the same α and γ through the one driver,
/// and returns what the app would hold once they finish.
pub fn run_scene(settings: Settings) -> Result<Record, CliError> {
    run_scene_of(settings, &SCENE_METHODS)
}

/// The methods a scene names, else [`SCENE_METHODS`].
pub fn scene_methods(preset: Option<&presets::Preset>) -> Vec<MethodKind> {
    (preset.and_then(|p| p.methods.clone())).unwrap_or_else(|| SCENE_METHODS.to_vec())
}

/// [`run_scene`] with the methods a scene names.
pub fn run_scene_of(settings: Settings, methods: &[MethodKind]) -> Result<Record, CliError> {
    let prepared = Arc::new(prepare(settings, None)?);
    let (_, record) = run_to_end(prepared, MethodSet::of(methods))?;
    Ok(record)
}
