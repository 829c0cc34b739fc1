//! The names of the training dynamics, as settings, flags and files write them.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::error::SimError;

/// The training dynamics (docs/dynamics.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MethodKind {
    /// Full-batch gradient descent.
    Gd,
    /// Mini-batch stochastic gradient descent.
    Sgd,
    /// Stochastic gradient flow (Euler–Maruyama).
    Sgf,
    /// Gradient flow (RK4 in the mirror coordinates).
    Gf,
    /// GD on labels `y + σ_ℓ ξ_k`, fresh `ξ_k ~ N(0, I_n)` each step.
    #[serde(rename = "label-noise")]
    LabelNoise,
    /// A GD step plus isotropic Gaussian noise `sqrt(γ) σ_iso (ζ_u, ζ_v)` on the layers.
    #[serde(rename = "iso-noise")]
    IsoNoise,
    /// Heavy-ball momentum: GD's step plus β_m times the last displacement of each layer.
    Momentum,
    /// SAM with the ascent step on the full-batch gradient, radius ρ.
    #[serde(rename = "n-sam")]
    NSam,
    /// SAM with one ascent step per sample, radius ρ, the gradients at the n points averaged.
    #[serde(rename = "1-sam")]
    OneSam,
}

impl MethodKind {
    /// All methods in display order.
    pub const ALL: [MethodKind; 9] = [
        MethodKind::Gd,
        MethodKind::Sgd,
        MethodKind::Sgf,
        MethodKind::Gf,
        MethodKind::LabelNoise,
        MethodKind::IsoNoise,
        MethodKind::Momentum,
        MethodKind::NSam,
        MethodKind::OneSam,
    ];

    /// The lowercase name used on the command line and in files.
    pub fn name(self) -> &'static str {
        match self {
            MethodKind::Gd => "gd",
            MethodKind::Sgd => "sgd",
            MethodKind::Sgf => "sgf",
            MethodKind::Gf => "gf",
            MethodKind::LabelNoise => "label-noise",
            MethodKind::IsoNoise => "iso-noise",
            MethodKind::Momentum => "momentum",
            MethodKind::NSam => "n-sam",
            MethodKind::OneSam => "1-sam",
        }
    }

    /// The name as shown in plots and legends.
    pub fn label(self) -> &'static str {
        match self {
            MethodKind::Gd => "GD",
            MethodKind::Sgd => "SGD",
            MethodKind::Sgf => "SGF",
            MethodKind::Gf => "GF",
            MethodKind::LabelNoise => "label-noise GD",
            MethodKind::IsoNoise => "isotropic-noise GD",
            MethodKind::Momentum => "momentum GD",
            MethodKind::NSam => "n-SAM",
            MethodKind::OneSam => "1-SAM",
        }
    }

    /// Whether this is one of the SAM methods, whose radius ρ is a setting of its own.
    pub fn is_sam(self) -> bool {
        matches!(self, MethodKind::NSam | MethodKind::OneSam)
    }

    /// Whether the method is noisy (its effective α shrinks by P21's formula).
    pub fn is_stochastic(self) -> bool {
        matches!(self, MethodKind::Sgd | MethodKind::Sgf)
    }

    /// Whether this is one of the noise methods (label noise, isotropic noise), whose noise
    /// level is a setting of its own.
    pub fn is_noise_method(self) -> bool {
        matches!(self, MethodKind::LabelNoise | MethodKind::IsoNoise)
    }

    /// Whether every step is the multiplicative update with `D ∈ range(Xᵀ)`, so that the exact
    /// α_t and the predicted limit hold (false for isotropic noise and momentum: docs/dynamics.md).
    pub fn keeps_mirror_identity(self) -> bool {
        self.broken_identity().is_none()
    }

    /// Why the exact α_t and the predicted limit do not hold for this method (`None` where they
    /// do), as plots and tables say it.
    pub fn broken_identity(self) -> Option<&'static str> {
        match self {
            MethodKind::IsoNoise => Some(
                "isotropic noise: u² − v² is not multiplied by 1 − D², so α_t ≠ α·exp(−½Σq(D)) and the predicted limit does not hold",
            ),
            MethodKind::Momentum => Some(
                "momentum: each step adds β_m times the last displacement, so u² − v² is not multiplied by 1 − D² and neither α_t nor the predicted limit holds",
            ),
            MethodKind::NSam | MethodKind::OneSam => Some(
                "SAM: its steps multiply u and v by different factors, (1 + D + E) and (1 − D + E) with E outside range(Xᵀ), so neither α_t nor the predicted limit holds",
            ),
            _ => None,
        }
    }
}

impl fmt::Display for MethodKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for MethodKind {
    type Err = SimError;
    fn from_str(s: &str) -> Result<Self, SimError> {
        MethodKind::ALL
            .into_iter()
            .find(|m| m.name() == s.trim().to_ascii_lowercase())
            .ok_or_else(|| SimError::invalid("method", s, format!("one of {}", method_names())))
    }
}

/// The names of every method, comma-separated, from [`MethodKind::ALL`].
pub fn method_names() -> String {
    let names: Vec<&str> = MethodKind::ALL.iter().map(|m| m.name()).collect();
    names.join(", ")
}
