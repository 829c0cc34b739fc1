//! The app's exports: the figures of the live plots (the same [`crate::figure::scene`] panels
//! the screen draws) as SVG, PNG at 1×–3× and CSV with every parameter.

use std::path::{Path, PathBuf};

use crate::experiment::Record;
use crate::figure::figures::PlotKind;
use crate::figure::scene::{self, LIVE_PLOTS, ViewOptions};
use crate::figure::{Figure, csv, png, svg};
use crate::model::Config;

/// What is on screen: the runs, the view options and the scene's title.
#[derive(Clone, Copy)]
pub struct View<'a> {
    /// The runs.
    pub live: &'a Record,
    /// How the plots are shown.
    pub options: ViewOptions,
    /// Figure title (the scene's).
    pub title: &'a str,
}

/// A figure of the given plots stacked.
pub fn figure(plots: &[PlotKind], view: View<'_>) -> Figure {
    scene::figure(plots, view.live, view.options, view.title)
}

/// Writes `bytes` to `dir/name`, returning the path.
pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> Result<PathBuf, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let path = dir.join(name);
    std::fs::write(&path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}

/// An SVG of one plot: `dln-<plot>.svg` in `dir`.
pub fn write_svg(dir: &Path, kind: PlotKind, view: View<'_>) -> Result<PathBuf, String> {
    let fig = figure(&[kind], view);
    let name = format!("dln-{}.svg", kind.name());
    write(dir, &name, svg::render(&fig).as_bytes())
}

/// An SVG of every live plot.
pub fn write_svgs(dir: &Path, view: View<'_>) -> Result<Vec<PathBuf>, String> {
    LIVE_PLOTS
        .iter()
        .map(|k| write_svg(dir, *k, view))
        .collect()
}

/// A PNG of one plot at `scale` (rasterised from the SVG, so it is sharp at any scale).
pub fn write_png(dir: &Path, kind: PlotKind, scale: u8, view: View<'_>) -> Result<PathBuf, String> {
    let fig = figure(&[kind], view);
    let bytes = png::svg_to_png(&svg::render(&fig), f32::from(scale))?;
    write(dir, &format!("dln-{}@{scale}x.png", kind.name()), &bytes)
}

/// Every series of the four plots as CSV, after a header recording every parameter.
pub fn write_csv(
    dir: &Path,
    config: &Config,
    gamma: f64,
    view: View<'_>,
) -> Result<PathBuf, String> {
    let fig = figure(&LIVE_PLOTS, view);
    let text = csv::figure_csv(config, gamma, &fig);
    write(dir, "dln-series.csv", text.as_bytes())
}
