//! Figures built from simulation results, shared by the `figure` command and the GUI.

use crate::figure::Reference;
use std::fmt;
use std::str::FromStr;

pub use super::sweep_figures::{gamma_sweep, phase, sweep, sweep_figure};
use crate::model::SimError;

/// Which figure to draw.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlotKind {
    /// Training loss against time.
    Loss,
    /// The followed coordinates of β_t over time, with β* and the predicted limit.
    Coords,
    /// The effective initialisation α_t/α against time, exact and P21's formula.
    Alpha,
    /// Every coordinate's α_j/α at the latest step, sorted, with P21's per-coordinate formula.
    AlphaCoords,
    /// Recovery error against time with the ℓ1, ℓ2 and GF levels.
    Error,
    /// The curvature against time — GD's sharpness, SGD's max κ_i — with the line 2/γ.
    Sharpness,
    /// Each method's final β at the followed coordinates, side by side, with β*.
    FinalBeta,
    /// The α-sweep: recovery error against α, and the paired ratio to GD.
    Sweep,
    /// The γ-sweep: recovery error against γ (or γ/γ_max), with each method's γ_max.
    GammaSweep,
    /// The α × γ phase diagram: the paired error ratio to GD and each method's error as cells.
    Phase,
    /// The Lasso path against 1/λ with the running mean β̄_t at λ = ln(1/α)/t.
    Lasso,
}

impl PlotKind {
    /// Every plot, in the order of the help text.
    pub const ALL: [PlotKind; 11] = [
        PlotKind::Loss,
        PlotKind::Coords,
        PlotKind::Alpha,
        PlotKind::AlphaCoords,
        PlotKind::Error,
        PlotKind::Sharpness,
        PlotKind::FinalBeta,
        PlotKind::Sweep,
        PlotKind::GammaSweep,
        PlotKind::Phase,
        PlotKind::Lasso,
    ];

    /// Whether it is drawn from a scene's runs (a live plot, an animation), not from a sweep.
    pub fn of_runs(self) -> bool {
        !matches!(
            self,
            PlotKind::Sweep | PlotKind::GammaSweep | PlotKind::Phase
        )
    }

    /// The names of `kinds`, comma separated (for messages that list the choices).
    pub fn names(kinds: impl IntoIterator<Item = PlotKind>) -> String {
        kinds
            .into_iter()
            .map(PlotKind::name)
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The name used with `--plot`.
    pub fn name(self) -> &'static str {
        match self {
            PlotKind::Loss => "loss",
            PlotKind::Coords => "coords",
            PlotKind::Alpha => "alpha",
            PlotKind::AlphaCoords => "alpha-coords",
            PlotKind::Error => "error",
            PlotKind::Sharpness => "sharpness",
            PlotKind::FinalBeta => "final-beta",
            PlotKind::Sweep => "sweep",
            PlotKind::GammaSweep => "gamma-sweep",
            PlotKind::Phase => "phase",
            PlotKind::Lasso => "lasso",
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
                    format!("one of {}", PlotKind::names(PlotKind::ALL)),
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
