//! Figures of the live plots for export: the same series as on screen, as vector SVG, PNG at
//! 1×–3× and CSV with every parameter (through [`crate::export`]).

use std::path::{Path, PathBuf};

use super::Live;
use super::plots::XAxis;
use super::worker::Point;
use crate::export::figures::{PlotKind, reference};
use crate::export::palette::{self, GROUND_TRUTH, L1_REFERENCE, L2_REFERENCE};
use crate::export::{Axis, Figure, Panel, Series, Style, csv, png, svg};
use crate::sim::{Config, MethodKind};

/// The four live plots, in screen order.
pub const LIVE_PLOTS: [PlotKind; 4] = [
    PlotKind::Loss,
    PlotKind::Coords,
    PlotKind::Alpha,
    PlotKind::Error,
];

fn x_of(p: &Point, axis: XAxis) -> f64 {
    match axis {
        XAxis::Steps => p.sample.step as f64,
        XAxis::Time => p.sample.time,
    }
}

fn x_axis(axis: XAxis, log: bool) -> Axis {
    let label = match axis {
        XAxis::Steps => "step k",
        XAxis::Time => "time t = kγ",
    };
    if log {
        Axis::log(label)
    } else {
        Axis::linear(label)
    }
}

/// One series per method of `value(point)` against x.
fn per_method(
    live: &Live,
    axis: XAxis,
    style: Style,
    value: impl Fn(&Point) -> f64,
) -> Vec<Series> {
    live.histories
        .iter()
        .map(|(kind, rec)| {
            let points = rec.iter().map(|(_, p)| [x_of(p, axis), value(p)]).collect();
            Series::new(kind.label(), palette::color(*kind), style, points)
        })
        .collect()
}

/// What is on screen: the data and the plot options that shape a figure.
#[derive(Clone, Copy)]
pub struct View<'a> {
    /// The runs.
    pub live: &'a Live,
    /// Steps or time on x.
    pub axis: XAxis,
    /// Log-scaled x.
    pub log_x: bool,
    /// Whose β coordinates are shown.
    pub beta_method: MethodKind,
    /// Figure title (the scene's).
    pub title: &'a str,
}

/// The panel of one live plot (`None` for the sweep, which the sweep panel exports).
pub fn panel(kind: PlotKind, view: View<'_>) -> Option<Panel> {
    let View {
        live,
        axis,
        log_x,
        beta_method,
        ..
    } = view;
    let x = x_axis(axis, log_x);
    let info = live.info.as_deref();
    let (title, y, series, references) = match kind {
        PlotKind::Loss => (
            "Training loss".to_string(),
            Axis::log("L(β_k) = ‖Xβ − y‖²/(4n)"),
            per_method(live, axis, Style::Line, |p| p.sample.loss),
            Vec::new(),
        ),
        PlotKind::Alpha => {
            let mut series = Vec::new();
            for (k, rec) in &live.histories {
                let c = palette::color(*k);
                let mut s = Series::new(
                    format!("{} exact (geo-mean)", k.label()),
                    c,
                    Style::Line,
                    rec.iter()
                        .map(|(_, p)| [x_of(p, axis), p.sample.alpha_ratio])
                        .collect(),
                );
                s.band = rec
                    .iter()
                    .map(|(_, p)| {
                        [
                            x_of(p, axis),
                            p.sample.alpha_ratio_min,
                            p.sample.alpha_ratio_max,
                        ]
                    })
                    .collect();
                series.push(s);
                if k.is_stochastic() {
                    series.push(Series::new(
                        format!("{} P21 ∫L formula", k.label()),
                        c,
                        Style::Dashed,
                        rec.iter()
                            .map(|(_, p)| [x_of(p, axis), p.sample.alpha_ratio_p21])
                            .collect(),
                    ));
                }
            }
            (
                "Effective initialisation α_k/α (band: min–max over coordinates)".to_string(),
                Axis::linear("α_k/α"),
                series,
                Vec::new(),
            )
        }
        PlotKind::Error => {
            let refs = info.and_then(|i| i.reference_errors).map(|[l1, l2, gf]| {
                vec![
                    reference("ℓ1 interpolator", l1, L1_REFERENCE),
                    reference("ℓ2 interpolator", l2, L2_REFERENCE),
                    reference("gradient-flow limit", gf, palette::color(MethodKind::Gf)),
                ]
            });
            (
                "Recovery error".to_string(),
                Axis::log("‖β_k − β*‖²"),
                per_method(live, axis, Style::Line, |p| p.sample.recovery_error),
                refs.unwrap_or_default(),
            )
        }
        PlotKind::Coords => {
            let info = info?;
            let rec = live
                .histories
                .iter()
                .find(|(k, _)| *k == beta_method)
                .map(|(_, r)| r)?;
            let mut series = Vec::new();
            for (i, (&j, &support)) in info.coords.iter().zip(&info.in_support).enumerate() {
                let color = if support {
                    palette::color(beta_method)
                } else {
                    [150, 150, 150]
                };
                let points = rec
                    .iter()
                    .map(|(_, p)| [x_of(p, axis), p.coords.get(i).copied().unwrap_or(f64::NAN)])
                    .collect();
                series.push(Series::new(
                    format!("β_{j}{}", if support { " (support)" } else { "" }),
                    color,
                    Style::Line,
                    points,
                ));
            }
            let x_end = rec.last().map_or(f64::NAN, |(_, p)| x_of(p, axis));
            series.push(Series::new(
                "β* (truth)",
                GROUND_TRUTH,
                Style::Rings,
                info.beta_star.iter().map(|&b| [x_end, b]).collect(),
            ));
            if let Some((_, pred)) = live.predictions.iter().find(|(k, _)| *k == beta_method) {
                series.push(Series::new(
                    "predicted limit",
                    [200, 40, 160],
                    Style::Dots,
                    pred.coords.iter().map(|&b| [x_end, b]).collect(),
                ));
            }
            (
                format!("Coordinates of β_k ({})", beta_method.label()),
                Axis::linear("β_k,j"),
                series,
                Vec::new(),
            )
        }
        PlotKind::Sweep => return None,
    };
    Some(Panel {
        title,
        x,
        y,
        series,
        references,
        height: 380.0,
    })
}

/// A figure of the given plots stacked, titled with the scene and its parameters.
pub fn figure(plots: &[PlotKind], view: View<'_>) -> Figure {
    let subtitle = view.live.info.as_deref().map_or(String::new(), |i| {
        let p = &i.scene.problem;
        format!(
            "n = {}, d = {}, s = {}, σ = {} · seed {} · α = {} · γ = {:.4} · batch {}",
            p.n, p.d, p.s, p.noise, p.seed, i.scene.alpha, i.gamma, i.scene.batch
        )
    });
    Figure {
        title: view.title.to_string(),
        subtitle,
        panels: plots.iter().filter_map(|k| panel(*k, view)).collect(),
    }
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
    write(
        dir,
        &format!("dln-{}.svg", kind.name()),
        svg::render(&fig).as_bytes(),
    )
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
    write(
        dir,
        "dln-series.csv",
        csv::figure_csv(config, gamma, &fig).as_bytes(),
    )
}
