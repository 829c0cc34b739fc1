//! The view options that shape a scene's figures, the same on screen and in files: the x axis
//! and what each live slot shows.

use super::Axis;
use super::figures::PlotKind;
use super::staircase::tau_scale;
use crate::experiment::Record;
use crate::model::{MethodKind, Point};

/// What the x axis measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum XAxis {
    /// Step k.
    Steps,
    /// Physical time t = kγ (kh for SGF and GF).
    Time,
    /// Rescaled time τ = t/ln(1/α), the clock of the small-α staircase (docs/saddles.md).
    Tau,
}

/// The view options that shape a figure, the same on screen and in files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ViewOptions {
    /// Steps or time on x.
    pub x_axis: XAxis,
    /// Log-scaled x.
    pub log_x: bool,
    /// Whose β coordinates the coordinate plot shows.
    pub beta_method: MethodKind,
    /// The α plot shows every coordinate at the latest step instead of the mean over time.
    pub alpha_per_coordinate: bool,
    /// The recovery-error plot shows the curvature against 2/γ instead.
    pub sharpness: bool,
    /// The α plot shows the Lasso path against 1/λ with the running mean instead.
    pub lasso: bool,
    /// The coordinate plot shows each method's latest β by coordinate, side by side, instead.
    pub final_beta: bool,
}

impl Default for ViewOptions {
    fn default() -> Self {
        ViewOptions {
            x_axis: XAxis::Steps,
            log_x: true,
            beta_method: MethodKind::Sgd,
            alpha_per_coordinate: false,
            sharpness: false,
            lasso: false,
            final_beta: false,
        }
    }
}

impl ViewOptions {
    /// The plot a live slot shows under these options: the α slot may show the Lasso path or
    /// every coordinate's α, the error slot the curvature, the coordinate slot the final β.
    pub fn shows(self, kind: PlotKind) -> PlotKind {
        match kind {
            PlotKind::Alpha if self.lasso => PlotKind::Lasso,
            PlotKind::Alpha if self.alpha_per_coordinate => PlotKind::AlphaCoords,
            PlotKind::Error if self.sharpness => PlotKind::Sharpness,
            PlotKind::Coords if self.final_beta => PlotKind::FinalBeta,
            kind => kind,
        }
    }

    /// A point's position on the x axis (step, time or τ) in the runs of `record`.
    pub(super) fn x_of(self, record: &Record) -> impl Fn(&Point) -> f64 + use<> {
        let alpha = record.info.as_deref().map_or(f64::NAN, |i| i.scene.alpha);
        let (axis, per_tau) = (self.x_axis, tau_scale(alpha));
        move |p: &Point| match axis {
            XAxis::Steps => p.sample.step as f64,
            XAxis::Time => p.sample.time,
            XAxis::Tau => p.sample.time / per_tau,
        }
    }

    /// The x axis of the time plots.
    pub fn x_axis(self) -> Axis {
        let label = match self.x_axis {
            XAxis::Steps => "step k",
            XAxis::Time => "time t = kγ (SGF, GF: kh; momentum: kγ/(1 − β_m))",
            XAxis::Tau => "rescaled time τ = t / ln(1/α)",
        };
        if self.log_x {
            Axis::log(label)
        } else {
            Axis::linear(label)
        }
    }
}
