//! Figures built from simulation results, shared by the `figure` command and the GUI.

use crate::figure::palette::{self, L1_REFERENCE, L2_REFERENCE};
use crate::figure::{Axis, Figure, Panel, Reference, Series, Style};
use std::fmt;
use std::str::FromStr;

use crate::experiment::sweep::{CellSummary, SweepRow, SweepSpec, notes, summarise};
use crate::model::{MethodKind, SimError};

/// Which figure to draw.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlotKind {
    /// Training loss against time.
    Loss,
    /// The followed coordinates of β_t over time, with β* and the predicted limit.
    Coords,
    /// The effective initialisation α_t/α against time, exact and P21's formula.
    Alpha,
    /// Recovery error against time with the ℓ1, ℓ2 and GF levels.
    Error,
    /// Each method's final β at the followed coordinates, side by side, with β*.
    FinalBeta,
    /// The α-sweep: recovery error against α, and the paired ratio to GD.
    Sweep,
}

impl PlotKind {
    /// Every plot, in the order of the help text.
    pub const ALL: [PlotKind; 6] = [
        PlotKind::Loss,
        PlotKind::Coords,
        PlotKind::Alpha,
        PlotKind::Error,
        PlotKind::FinalBeta,
        PlotKind::Sweep,
    ];

    /// The name used with `--plot`.
    pub fn name(self) -> &'static str {
        match self {
            PlotKind::Loss => "loss",
            PlotKind::Coords => "coords",
            PlotKind::Alpha => "alpha",
            PlotKind::Error => "error",
            PlotKind::FinalBeta => "final-beta",
            PlotKind::Sweep => "sweep",
        }
    }
}

impl fmt::Display for PlotKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for PlotKind {
    type Err = SimError;
    fn from_str(s: &str) -> Result<Self, SimError> {
        PlotKind::ALL
            .into_iter()
            .find(|p| p.name() == s.trim().to_ascii_lowercase())
            .ok_or_else(|| {
                SimError::invalid(
                    "plot",
                    s,
                    "one of loss, coords, alpha, error, sweep, final-beta",
                )
            })
    }
}

/// A labelled horizontal reference level.
pub fn reference(name: &str, value: f64, color: [u8; 3]) -> Reference {
    Reference {
        name: name.into(),
        value,
        color,
    }
}

/// The α-sweep figure of a finished (or cancelled) sweep: its parameters and notes under the
/// title, then [`sweep_figure`] of its cells. The app and `figure --plot sweep` both call it.
pub fn sweep(title: &str, spec: &SweepSpec, rows: &[SweepRow]) -> Figure {
    let b = &spec.base;
    let mut subtitle = format!(
        "n = {}, d = {}, s = {}, σ = {} · γ by {} at each α · batch {} · median of {} seeds, band: quartiles",
        b.problem.n,
        b.problem.d,
        b.problem.s,
        crate::model::format::short(b.problem.noise),
        b.step_size,
        b.batch,
        spec.seeds
    );
    let notes = notes(spec, rows);
    if !notes.is_empty() {
        subtitle.push('\n');
        subtitle.push_str(&notes.join(" · "));
    }
    sweep_figure(title, &subtitle, &summarise(spec, rows))
}

/// The α-sweep figure from per-cell summaries: median recovery error with an
/// inter-quartile band per method and the ℓ1/ℓ2 levels, over the paired median ratio to GD.
pub fn sweep_figure(title: &str, subtitle: &str, cells: &[CellSummary]) -> Figure {
    let mut methods: Vec<MethodKind> = cells.iter().map(|c| c.method).collect();
    methods.sort();
    methods.dedup();
    let of = |m: MethodKind| cells.iter().filter(move |c| c.method == m);
    let mut errors = Vec::new();
    let mut ratios = Vec::new();
    for &m in &methods {
        let color = palette::color(m);
        let mut s = Series::new(
            m.label(),
            color,
            Style::LineDots,
            of(m).map(|c| [c.alpha, c.error_quartiles[1]]).collect(),
        );
        s.band = of(m)
            .map(|c| [c.alpha, c.error_quartiles[0], c.error_quartiles[2]])
            .collect();
        errors.push(s);
        if m != MethodKind::Gd {
            let points: Vec<[f64; 2]> = of(m)
                .filter_map(|c| c.median_ratio_to_gd.map(|r| [c.alpha, r]))
                .collect();
            if !points.is_empty() {
                let name = format!("{} / GD", m.label());
                ratios.push(Series::new(name, color, Style::LineDots, points));
            }
        }
    }
    let median_of = |k: usize| {
        let mut v: Vec<f64> = cells.iter().map(|c| c.reference_errors[k]).collect();
        crate::experiment::sweep::median(&mut v)
    };
    let alpha = || Axis::log("initialisation scale α");
    let mut panels = vec![Panel {
        title: "Recovery error at the end of training".into(),
        x: alpha(),
        y: Axis::log("‖β∞ − β*‖²"),
        series: errors,
        references: vec![
            reference("ℓ1 interpolator", median_of(0), L1_REFERENCE),
            reference("ℓ2 interpolator", median_of(1), L2_REFERENCE),
        ],
        height: 400.0,
    }];
    if !ratios.is_empty() {
        panels.push(Panel {
            title: "Paired ratio to GD (median over seeds; below 1: better than GD)".into(),
            x: alpha(),
            y: Axis::log("error / GD's error"),
            series: ratios,
            references: vec![Reference {
                name: "equal to GD".into(),
                value: 1.0,
                color: palette::color(MethodKind::Gd),
            }],
            height: 200.0,
        });
    }
    Figure {
        title: title.into(),
        subtitle: subtitle.into(),
        panels,
    }
}
