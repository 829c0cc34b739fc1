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

/// The note a plot of the exact α_t carries when the runs have weight decay: the state's α_t then
/// holds the decay's shrinkage too, and the limit is a Lasso point, not an α-interpolator.
pub const DECAYED_IDENTITY: &str = "weight decay: the state's α_t includes its shrinkage (1 − 2γλ_wd) per step; the limit is the Lasso point";

/// `title` with why the identities fail for each method among the runs where they do
/// ([`MethodKind::broken_identity`]), and [`DECAYED_IDENTITY`] when the runs have weight decay.
pub fn with_identity_note(mut title: String, record: &Record) -> String {
    let mut notes: Vec<&str> = (record.histories.iter())
        .filter_map(|(k, _)| k.broken_identity())
        .collect();
    notes.dedup();
    for note in notes {
        title = format!("{title} — {note}");
    }
    if (record.info.as_ref()).is_some_and(|i| i.scene.weight_decay > 0.0) {
        title = format!("{title} — {DECAYED_IDENTITY}");
    }
    title
}

/// The legend entry of a run's predicted limit: with weight decay, the Lasso point it picks.
pub fn limit_name(s: &Settings) -> String {
    match s.weight_decay {
        w if w > 0.0 => format!("predicted limit: the Lasso point of λ_wd = {}", short(w)),
        _ => "predicted limit".into(),
    }
}

/// Legend entry of the limit predicted from the dual steps alone (isotropic noise, where it is
/// not the state's prediction).
pub const PRODUCT_MARKS: &str = "limit predicted from the dual steps (α·exp(−½Σq(D)))";
