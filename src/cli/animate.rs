//! `dln-explorer figure --out FILE.gif|mp4`: a scene plot (or the 2×2 view) animated over the
//! run, with progress on stderr.

use std::fmt;
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use indicatif::{ProgressBar, ProgressStyle};

use super::figure::{FigureArgs, scene_methods};
use super::{CliError, write_file};
use crate::experiment::snapshots::Snapshots;
use crate::experiment::{MethodSet, prepare};
use crate::figure::animation::{self, Framer, Spec, frame_steps, mp4};
use crate::figure::figures::PlotKind;
use crate::figure::scene::ViewOptions;
use crate::model::SimError;
use crate::presets;

/// `--plot`: one plot, or `all`, the app's 2×2 view (loss, coordinates, α, error).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Plots {
    /// One plot.
    One(PlotKind),
    /// The 2×2 view.
    All,
}

impl Plots {
    /// The one plot, if not `all`.
    pub fn one(self) -> Option<PlotKind> {
        match self {
            Plots::One(k) => Some(k),
            Plots::All => None,
        }
    }
}

impl fmt::Display for Plots {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Plots::One(k) => k.fmt(f),
            Plots::All => f.write_str("all"),
        }
    }
}

impl FromStr for Plots {
    type Err = SimError;
    fn from_str(s: &str) -> Result<Plots, SimError> {
        if s.trim().eq_ignore_ascii_case("all") {
            return Ok(Plots::All);
        }
        s.parse().map(Plots::One).map_err(|_| {
            SimError::invalid(
                "plot",
                s,
                format!("one of {}, all", PlotKind::names(PlotKind::ALL)),
            )
        })
    }
}

/// The plots an animation can show: those drawn from a scene's runs.
fn animated(plot: Plots) -> Result<Option<PlotKind>, CliError> {
    match plot.one() {
        Some(kind) if !kind.of_runs() => Err(SimError::invalid(
            "plot",
            plot,
            format!(
                "a scene plot for an animation ({} or all)",
                PlotKind::names(PlotKind::ALL.into_iter().filter(|k| k.of_runs()))
            ),
        )
        .into()),
        kind => Ok(kind),
    }
}

/// Writes the animation of `args` to `out` (`mp4`: through ffmpeg).
pub fn main(args: &FigureArgs, out: &Path, mp4: bool) -> Result<(), CliError> {
    let plot = animated(args.plot)?;
    if mp4 && !mp4::ffmpeg_available() {
        return Err(CliError::Io(
            out.to_path_buf(),
            "MP4 needs ffmpeg, which is not on the PATH (install it, or write a .gif)".into(),
        ));
    }
    let (_, settings) = args.sim.settings()?;
    let preset = args.sim.preset.as_deref().map(presets::get).transpose()?;
    let spec = Spec {
        plot,
        view: ViewOptions::default(),
        title: preset
            .as_ref()
            .map_or("dln-explorer".into(), |p| p.title.clone()),
        width: 960 * u32::from(args.scale.unwrap_or(1)),
    };
    let methods = MethodSet::of(&scene_methods(preset.as_ref()));
    let prepared = Arc::new(prepare(settings, None)?);
    let log = spec.view.log_x;
    let frames = Snapshots::new(prepared, methods, |end| frame_steps(end, args.frames, log))?;
    let framer = Framer::new(spec, &frames.finished, frames.end());
    let count = frames.steps.len();
    let bar = ProgressBar::new(count as u64);
    if let Ok(style) = ProgressStyle::with_template("frames {bar:30} {pos}/{len} ({elapsed})") {
        bar.set_style(style);
    }
    let (tick, cancel) = (|| bar.inc(1), AtomicBool::new(false));
    let io = |msg| CliError::Io(out.to_path_buf(), msg);
    if mp4 {
        animation::encode_mp4(&framer, frames, args.fps, out, &tick, &cancel).map_err(io)?;
    } else {
        let bytes = animation::encode_gif(&framer, frames, args.fps, &tick, &cancel).map_err(io)?;
        write_file(out, &bytes)?;
    }
    bar.finish_and_clear();
    note!("wrote {} ({count} frames)", out.display());
    Ok(())
}
