//! A method's parameters and facts: its constructor from a scene, its kind, the work and the
//! physical time of a step, and the noise level of P21's formula.

use super::Method;
use crate::model::config::{
    DEFAULT_MOMENTUM, DEFAULT_SAM_RADIUS, DEFAULT_SIGMA_ISO, DEFAULT_SIGMA_LABEL, MethodKind,
    Settings,
};
use crate::model::kernels::full_batch;

impl Method {
    /// The method of `kind` with batch size and integration step where they apply (the noise
    /// methods at their default σ, noisy throughout).
    pub fn new(kind: MethodKind, batch: usize, h: Option<f64>) -> Method {
        match kind {
            MethodKind::Gd => Method::Gd,
            MethodKind::Sgd => Method::Sgd { batch },
            MethodKind::Sgf => Method::Sgf { batch, h },
            MethodKind::Gf => Method::Gf { h },
            MethodKind::LabelNoise => Method::LabelNoise {
                sigma: DEFAULT_SIGMA_LABEL,
                noise_steps: None,
            },
            MethodKind::IsoNoise => Method::IsoNoise {
                sigma: DEFAULT_SIGMA_ISO,
                noise_steps: None,
            },
            MethodKind::Momentum => Method::Momentum {
                beta: DEFAULT_MOMENTUM,
            },
            MethodKind::NSam | MethodKind::OneSam => Method::Sam {
                rho: DEFAULT_SAM_RADIUS,
                per_sample: kind == MethodKind::OneSam,
            },
        }
    }

    /// The method of `kind` with the scene's batch size, integration step and noise levels.
    pub fn of_scene(kind: MethodKind, s: &Settings) -> Method {
        match Method::new(kind, s.batch, s.h) {
            Method::LabelNoise { .. } => Method::LabelNoise {
                sigma: s.sigma_label,
                noise_steps: s.noise_steps,
            },
            Method::IsoNoise { .. } => Method::IsoNoise {
                sigma: s.sigma_iso,
                noise_steps: s.noise_steps,
            },
            Method::Momentum { .. } => Method::Momentum { beta: s.momentum },
            Method::Sam { per_sample, .. } => Method::Sam {
                rho: s.sam_radius,
                per_sample,
            },
            method => method,
        }
    }

    /// Which dynamics this is.
    pub fn kind(&self) -> MethodKind {
        match self {
            Method::Gd => MethodKind::Gd,
            Method::Sgd { .. } => MethodKind::Sgd,
            Method::Sgf { .. } => MethodKind::Sgf,
            Method::Gf { .. } => MethodKind::Gf,
            Method::LabelNoise { .. } => MethodKind::LabelNoise,
            Method::IsoNoise { .. } => MethodKind::IsoNoise,
            Method::Momentum { .. } => MethodKind::Momentum,
            Method::Sam {
                per_sample: false, ..
            } => MethodKind::NSam,
            Method::Sam {
                per_sample: true, ..
            } => MethodKind::OneSam,
        }
    }

    /// The work of one step on an `n × d` problem in units of one `n×d` product (a loss). GD's
    /// chunked pass reads X once for both of its products, and X beyond the cache makes reading
    /// it the cost: there a step costs what a loss does.
    pub fn step_cost(&self, n: usize, d: usize) -> f64 {
        match self {
            Method::Sgd { batch } => 2.0 * *batch as f64 / n as f64,
            Method::Gf { .. } => 8.0,
            Method::Sam { .. } => 4.0,
            Method::Gd | Method::Momentum { .. } if full_batch::chunk_rows(n, d) < n => 1.0,
            Method::Gd
            | Method::Momentum { .. }
            | Method::Sgf { .. }
            | Method::LabelNoise { .. }
            | Method::IsoNoise { .. } => 2.0,
        }
    }

    /// Physical time per step: γ for GD, SGD and the noise methods, h for SGF and GF, and
    /// γ/(1 − β_m) for momentum (whose path in that time depends on λ = γ/(1 − β_m)² alone).
    pub fn dt(&self, gamma: f64) -> f64 {
        match self {
            Method::Momentum { beta } => gamma / (1.0 - beta),
            Method::Gd
            | Method::Sgd { .. }
            | Method::LabelNoise { .. }
            | Method::IsoNoise { .. }
            | Method::Sam { .. } => gamma,
            Method::Sgf { h, .. } | Method::Gf { h } => h.unwrap_or(gamma),
        }
    }

    /// The step of the gradient in each update: h for SGF and GF, γ for the others (momentum's
    /// time step γ/(1 − β_m) is not its gradient step).
    pub fn gradient_step(&self, gamma: f64) -> f64 {
        match self {
            Method::Momentum { .. } => gamma,
            method => method.dt(gamma),
        }
    }

    /// The noise level `γ/b` of P21's effective-α formula (0 for the noiseless methods and for
    /// the noise methods, whose noise is not SGD's).
    pub fn noise_level(&self, gamma: f64) -> f64 {
        match self {
            Method::Gd
            | Method::Gf { .. }
            | Method::LabelNoise { .. }
            | Method::IsoNoise { .. }
            | Method::Momentum { .. }
            | Method::Sam { .. } => 0.0,
            Method::Sgd { batch } | Method::Sgf { batch, .. } => gamma / *batch as f64,
        }
    }
}
