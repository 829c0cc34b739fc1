//! `dln-explorer figure`: renders a scene's plots (or the α-sweep) headless to SVG or PNG, or
//! animated to GIF or MP4 ([`super::animate`]).

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use clap::Args;
use clap::builder::TypedValueParser;
use indicatif::ProgressBar;
use std::sync::Arc;

pub use super::animate::Plots;
use super::merge::read_whole_sweep;
use super::sweep::{SweepArgs, no_scene_flags, spec};
use super::{CliError, SimArgs, write_file};
use crate::experiment::grid::parse_numbers;
use crate::experiment::shard::Shard;
use crate::experiment::sweep::{GammaAxis, SweepRow, SweepSpec, run_sweep};
use crate::experiment::{MethodSet, Record, prepare, run_to_end};
use crate::figure::animation::{MAX_FPS, MAX_FRAMES};
use crate::figure::csv::figure_csv;
pub use crate::figure::figures::PlotKind;
use crate::figure::png::svg_to_png;
use crate::figure::scene::{self, LIVE_PLOTS, ViewOptions, XAxis};
use crate::figure::svg;
use crate::figure::sweep_csv::sweep_csv;
use crate::figure::{Figure, figures};
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
    /// Output file; the extension picks the format: .svg, .png, .gif (animated) or .mp4
    /// (animated, needs ffmpeg).
    #[arg(long, value_name = "FILE.svg|png|gif|mp4")]
    pub out: PathBuf,
    /// Which plot (the list is generated from the plot kinds).
    #[arg(long, default_value = "loss", hide_default_value = true, help = plot_help(), value_parser = |s: &str| s.parse::<Plots>().map_err(|e| e.to_string()))]
    pub plot: Plots,
    /// --plot sweep: the α values, comma-separated [default: 15 log-spaced from 0.01 to 2]; a
    /// scene plot: one panel per α (small multiples; on the τ axis each run's step budget is
    /// scaled by ln(1/α) / ln(1/α_scene), so all reach the same τ).
    #[arg(long, value_name = "LIST")]
    pub alphas: Option<String>,
    /// The x axis of the time plots: steps (log), time (log) or tau, the rescaled time
    /// τ = t / ln(1/α) (linear) with the predicted staircase [default: the scene's, else steps].
    #[arg(long, value_name = "steps|time|tau", value_parser = ["steps", "time", "tau"])]
    pub x_axis: Option<String>,
    /// Whose β the coordinate and Lasso plots show: gd, sgd, sgf, gf … [default: sgd].
    #[arg(long, value_name = "METHOD")]
    pub beta_of: Option<MethodKind>,
    /// --plot sweep / gamma-sweep: methods, comma-separated, from gd, sgd, sgf, gf, label-noise, iso-noise, momentum, n-sam, 1-sam
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
    /// PNG, GIF and MP4 pixel density: 1, 2 or 3 × the 960-pixel-wide figure [default: 2 for
    /// PNG, 1 for animations].
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=3))]
    pub scale: Option<u8>,
    /// Animations: number of frames, spread over the run (log-spaced on the log step axis)
    /// [default: 120; 1..=2000].
    #[arg(long, default_value_t = 120, hide_default_value = true, value_parser = clap::value_parser!(u64).range(1..=MAX_FRAMES as u64).map(|v| v as usize))]
    pub frames: usize,
    /// Animations: frames per second [default: 12; 1..=50].
    #[arg(long, default_value_t = 12, hide_default_value = true, value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_FPS)))]
    pub fps: u32,
    /// Also write the plotted data as CSV (for sweep: one row per run, as `sweep --csv`).
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,
    /// --plot sweep, gamma-sweep or phase: draw a finished sweep's CSV (`sweep --csv` or
    /// `merge --out`) instead of running; the grid and scene are the file's.
    #[arg(long, value_name = "SWEEP.csv", conflicts_with_all = ["alphas", "methods", "gammas", "gamma_fractions", "seeds", "csv"])]
    pub from: Option<PathBuf>,
}

/// The output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Svg,
    Png,
    Gif,
    Mp4,
}

/// The format named by the extension of `path`.
fn format_of(path: &Path) -> Result<Format, CliError> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    match ext.as_deref() {
        Some("svg") => Ok(Format::Svg),
        Some("png") => Ok(Format::Png),
        Some("gif") => Ok(Format::Gif),
        Some("mp4") => Ok(Format::Mp4),
        _ => Err(SimError::invalid(
            "out",
            path.display(),
            "a file name ending in .svg, .png, .gif or .mp4",
        )
        .into()),
    }
}

/// `--plot`'s help: every plot kind, then `all`.
fn plot_help() -> String {
    format!(
        "Which plot: {}, or all (the app's 2×2 view) [default: loss]",
        PlotKind::names(PlotKind::ALL)
    )
}

/// Runs the command.
pub fn main(args: &FigureArgs) -> Result<(), CliError> {
    let format = format_of(&args.out)?;
    if matches!(format, Format::Gif | Format::Mp4) {
        return super::animate::main(args, &args.out, format == Format::Mp4);
    }
    let plot = args.plot.one();
    let sweep_plot = match plot {
        Some(kind) if !kind.of_runs() => Some(kind),
        _ => None,
    };
    let fig = match (&args.from, sweep_plot) {
        (Some(path), Some(kind)) => {
            no_scene_flags(&args.sim, "from", path)?;
            let file = read_whole_sweep(path)?;
            sweep_figure(kind, &file.title, &file.spec, &file.sweep_rows(), path)?
        }
        (Some(_), None) => {
            let range = "sweep, gamma-sweep or phase with --from (a sweep's CSV)";
            return Err(SimError::invalid("plot", args.plot, range).into());
        }
        (None, Some(kind)) => run_sweep_figure(args, kind)?,
        (None, None) => {
            let kinds = plot.map_or(LIVE_PLOTS.to_vec(), |k| vec![k]);
            let (config, settings) = args.sim.settings()?;
            let preset = args.sim.preset.as_deref().map(presets::get).transpose()?;
            let methods = scene_methods(preset.as_ref());
            let title = super::sweep::title(&args.sim)?;
            let axis = match (
                args.x_axis.as_deref(),
                preset.as_ref().and_then(|p| p.x_axis),
            ) {
                (Some(a), _) => a,
                (None, Some(presets::SceneAxis::Tau)) => "tau",
                (None, Some(presets::SceneAxis::Time)) => "time",
                _ => "steps",
            };
            let mut view = view_of(axis);
            view.beta_method = args.beta_of.unwrap_or(view.beta_method);
            let (fig, record) = match (&args.alphas, plot) {
                (Some(list), Some(kind)) => {
                    let alphas = parse_numbers("alphas", list)?;
                    small_multiples(kind, &settings, &alphas, &methods, view, &title)?
                }
                _ => {
                    let record = run_scene_of(settings, &methods)?;
                    (scene::figure(&kinds, &record, view, &title), record)
                }
            };
            if let Some(path) = &args.csv {
                let gamma = record.info.as_ref().map_or(f64::NAN, |i| i.gamma);
                write_file(path, figure_csv(&config, gamma, &fig).as_bytes())?;
            }
            fig
        }
    };
    let options = svg::Options {
        grid: plot.is_none(),
        ..svg::Options::default()
    };
    let text = svg::render_with(&fig, &options);
    let bytes = match format {
        Format::Png => svg_to_png(&text, f32::from(args.scale.unwrap_or(2)))
            .map_err(|msg| CliError::Io(args.out.clone(), msg))?,
        _ => text.into_bytes(),
    };
    write_file(&args.out, &bytes)?;
    note!("wrote {}", args.out.display());
    Ok(())
}

/// Runs the sweep a sweep plot draws (writing its rows with `--csv`) and draws it.
fn run_sweep_figure(args: &FigureArgs, plot: PlotKind) -> Result<Figure, CliError> {
    let config = args.sim.config()?;
    let gamma_sweep = matches!(plot, PlotKind::GammaSweep | PlotKind::Phase);
    let alphas = match (&args.alphas, plot) {
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
        shard: None,
        summary: None,
    };
    let (config, spec) = spec(&sweep_args)?;
    let title = super::sweep::title(&args.sim)?;
    let bar = ProgressBar::new(spec.runs() as u64);
    let rows = run_sweep(&spec, &|| bar.inc(1), &AtomicBool::new(false))?;
    bar.finish_and_clear();
    if let Some(path) = &args.csv {
        let text = sweep_csv(&config, &spec, &title, Shard::WHOLE, &rows);
        write_file(path, text.as_bytes())?;
    }
    sweep_figure(plot, &title, &spec, &rows, Path::new("the sweep"))
}

/// The sweep plot `plot` of a sweep's rows through its one builder; `source` names the sweep
/// in the error when the plot does not fit its grid (a γ axis or not).
fn sweep_figure(
    plot: PlotKind,
    title: &str,
    spec: &SweepSpec,
    rows: &[SweepRow],
    source: &Path,
) -> Result<Figure, CliError> {
    let gamma_axis = spec.gammas != GammaAxis::Scene;
    if gamma_axis != (plot != PlotKind::Sweep) {
        let range = if gamma_axis {
            format!(
                "gamma-sweep or phase for {}, which sweeps γ",
                source.display()
            )
        } else {
            format!("sweep for {}, which has no γ axis", source.display())
        };
        return Err(SimError::invalid("plot", plot, range).into());
    }
    Ok(match plot {
        PlotKind::Phase => figures::phase(title, spec, rows),
        PlotKind::GammaSweep => figures::gamma_sweep(title, spec, rows),
        _ => figures::sweep(title, spec, rows),
    })
}

/// The view of `--x-axis`: steps or time on a log axis, or τ on a linear one.
fn view_of(x_axis: &str) -> ViewOptions {
    let x_axis = match x_axis {
        "time" => XAxis::Time,
        "tau" => XAxis::Tau,
        _ => XAxis::Steps,
    };
    ViewOptions {
        x_axis,
        log_x: x_axis != XAxis::Tau,
        ..ViewOptions::default()
    }
}

/// One panel of `kind` per α, each run on the scene's data with its own α (titled by it); on the
/// τ axis every run's budget is scaled to reach the scene's τ. Returns the last α's record.
fn small_multiples(
    kind: PlotKind,
    settings: &Settings,
    alphas: &[f64],
    methods: &[MethodKind],
    view: ViewOptions,
    title: &str,
) -> Result<(Figure, Record), CliError> {
    let mut panels = Vec::new();
    let mut last = None;
    for &alpha in alphas {
        let mut s = settings.clone();
        s.alpha = crate::model::config::check_alpha(alpha)?;
        if view.x_axis == XAxis::Tau {
            let ratio = crate::figure::staircase::tau_scale(alpha)
                / crate::figure::staircase::tau_scale(settings.alpha);
            if ratio.is_finite() && ratio > 0.0 {
                s.steps = ((s.steps as f64 * ratio).ceil() as u64).max(1);
            }
        }
        let record = run_scene_of(s, methods)?;
        if let Some(mut p) = scene::panel(kind, &record, view) {
            p.title = format!("α = {}: {}", crate::model::format::short(alpha), p.title);
            panels.push(p);
        }
        last = Some(record);
    }
    let record = last.ok_or_else(|| SimError::invalid("alphas", "", "at least one α"))?;
    let mut subtitle = record
        .info
        .as_deref()
        .map(scene::subtitle)
        .unwrap_or_default();
    let alpha = crate::model::format::short(alphas[alphas.len() - 1]);
    subtitle = subtitle.replace(&format!("α = {alpha}"), "α per panel");
    let fig = Figure {
        title: title.to_string(),
        subtitle,
        panels,
    };
    Ok((fig, record))
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
    let (_, record) = run_to_end(prepared, MethodSet::of(methods), true)?;
    Ok(record)
}
