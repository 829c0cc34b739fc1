//! What figures and tables say about the noise methods: their noise levels, and where the exact
//! identities of the multiplicative update do not hold (isotropic noise).

use crate::experiment::Record;
use crate::model::format::short;
use crate::model::{MethodKind, Settings};

/// `σ_ℓ = 0.2 (label-noise GD) · σ_iso = 0.0005 (isotropic-noise GD) · noise for the first
/// 50000 steps`, for the noise methods among `methods` (`None` if there are none).
pub fn noise_description(
    s: &Settings,
    methods: impl IntoIterator<Item = MethodKind>,
) -> Option<String> {
    let mut parts: Vec<String> = (methods.into_iter())
        .filter_map(|k| match k {
            MethodKind::LabelNoise => {
                Some(format!("σ_ℓ = {} ({})", short(s.sigma_label), k.label()))
            }
            MethodKind::IsoNoise => Some(format!("σ_iso = {} ({})", short(s.sigma_iso), k.label())),
            _ => None,
        })
        .collect();
    if parts.is_empty() {
        return None;
    }
    parts.push(match s.noise_steps {
        Some(k) => format!("noise for the first {k} steps, then GD"),
        None => "noise at every step".into(),
    });
    Some(parts.join(" · "))
}

/// The note a plot of the exact α_t or of the predicted limit carries when isotropic-noise GD
/// runs: its noise leaves `range(Xᵀ)`, so neither identity holds for it.
pub const BROKEN_IDENTITY: &str = "isotropic noise: u² − v² is not multiplied by 1 − D², so α_t ≠ α·exp(−½Σq(D)) and the predicted limit does not hold";

/// [`BROKEN_IDENTITY`] appended to `title` when isotropic-noise GD is among the runs.
pub fn with_identity_note(title: String, record: &Record) -> String {
    let broken = (record.histories.iter()).any(|(k, _)| !k.keeps_mirror_identity());
    if broken {
        format!("{title} — {BROKEN_IDENTITY}")
    } else {
        title
    }
}

/// Legend entry of the limit predicted from the dual steps alone (isotropic noise, where it is
/// not the state's prediction).
pub const PRODUCT_MARKS: &str = "limit predicted from the dual steps (α·exp(−½Σq(D)))";
