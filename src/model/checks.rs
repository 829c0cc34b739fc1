//! The ranges of single settings and their checks: each error names the value and the allowed
//! range.

use super::error::SimError;
use super::format::exact;

/// Largest `n` and `d` accepted.
pub const MAX_DIM: usize = 100_000;
/// Largest label-noise σ accepted (far larger noise makes the references' solvers fail).
pub const MAX_NOISE: f64 = 1e3;
/// Largest `n·d` accepted (the design matrix is held in memory).
pub const MAX_ENTRIES: usize = 20_000_000;
/// Largest seed accepted: a TOML integer (scene files and CSV headers record the seed).
pub const MAX_SEED: u64 = i64::MAX as u64;

/// Refuses a seed that a scene file or CSV header could not record.
pub(super) fn check_seed(seed: u64) -> Result<u64, SimError> {
    if seed > MAX_SEED {
        let range = format!("an integer in 0..={MAX_SEED} (a TOML integer)");
        return Err(SimError::invalid("seed", seed, range));
    }
    Ok(seed)
}

/// Largest σ_ℓ (`sigma_label`) and σ_iso (`sigma_iso`) accepted.
pub const MAX_SIGMA: f64 = 1e3;

/// Checks that `x` is finite and in `[0, hi]`.
fn check_up_to(name: &'static str, x: f64, hi: f64) -> Result<f64, SimError> {
    if x.is_finite() && (0.0..=hi).contains(&x) {
        Ok(x)
    } else {
        Err(SimError::invalid(
            name,
            exact(x),
            format!("a number in [0, {}]", exact(hi)),
        ))
    }
}

/// Checks a noise level of the noise methods: finite, in `[0, MAX_SIGMA]`.
pub fn check_sigma(name: &'static str, x: f64) -> Result<f64, SimError> {
    check_up_to(name, x, MAX_SIGMA)
}

/// Largest weight decay λ_wd accepted.
pub const MAX_WEIGHT_DECAY: f64 = 1e3;

/// Checks a weight decay: finite, in `[0, MAX_WEIGHT_DECAY]`.
pub fn check_weight_decay(x: f64) -> Result<f64, SimError> {
    check_up_to("weight-decay", x, MAX_WEIGHT_DECAY)
}

/// Whether a value is zero (a key left out of files at its default).
pub(super) fn is_zero(x: &f64) -> bool {
    *x == 0.0
}

/// Checks that `x` is finite and `> 0`.
pub fn check_positive(name: &'static str, x: f64) -> Result<f64, SimError> {
    if x.is_finite() && x > 0.0 {
        Ok(x)
    } else {
        Err(SimError::invalid(name, exact(x), "a finite number > 0"))
    }
}

/// Smallest and largest initialisation scale α accepted: the state `s, d = α e^{±Γ}` keeps
/// `s·d = α²` and β ~ α² normal numbers down to α = 1e-150 (docs/saddles.md).
pub const ALPHA_RANGE: (f64, f64) = (1e-150, 1e4);

/// Checks that α lies in [`ALPHA_RANGE`].
pub fn check_alpha(alpha: f64) -> Result<f64, SimError> {
    let (lo, hi) = ALPHA_RANGE;
    if alpha.is_finite() && (lo..=hi).contains(&alpha) {
        Ok(alpha)
    } else {
        Err(SimError::invalid(
            "alpha",
            exact(alpha),
            format!("a finite number > 0, in [{lo:e}, {hi:e}]"),
        ))
    }
}

/// Checks that `x` is finite and `≥ 0`.
pub fn check_non_negative(name: &'static str, x: f64) -> Result<f64, SimError> {
    if x.is_finite() && x >= 0.0 {
        Ok(x)
    } else {
        Err(SimError::invalid(name, exact(x), "a finite number ≥ 0"))
    }
}

/// Checks that `x` lies in `lo..=hi`.
pub fn check_range(name: &'static str, x: usize, lo: usize, hi: usize) -> Result<usize, SimError> {
    if (lo..=hi).contains(&x) {
        Ok(x)
    } else {
        Err(SimError::invalid(
            name,
            x,
            format!("an integer in {lo}..={hi}"),
        ))
    }
}

/// Default momentum β_m of heavy-ball GD.
pub const DEFAULT_MOMENTUM: f64 = 0.9;

/// Checks a momentum β_m: in `[0, 1)`.
pub fn check_momentum(beta: f64) -> Result<f64, SimError> {
    if (0.0..1.0).contains(&beta) {
        Ok(beta)
    } else {
        Err(SimError::invalid(
            "momentum",
            exact(beta),
            "a number in [0, 1)",
        ))
    }
}

/// Whether a momentum is the default (a key left out of files then).
pub(super) fn is_default_momentum(beta: &f64) -> bool {
    *beta == DEFAULT_MOMENTUM
}

/// Whether a schedule is the constant one (a key left out of files then).
pub(super) fn is_constant(schedule: &str) -> bool {
    schedule == "constant"
}

/// Default radius ρ of SAM's ascent step.
pub const DEFAULT_SAM_RADIUS: f64 = 0.1;
/// Largest radius ρ of SAM's ascent step accepted.
pub const MAX_SAM_RADIUS: f64 = 100.0;

/// Checks a SAM radius ρ: finite, in `[0, MAX_SAM_RADIUS]`.
pub fn check_sam_radius(rho: f64) -> Result<f64, SimError> {
    check_up_to("sam-radius", rho, MAX_SAM_RADIUS)
}

/// Whether a SAM radius is the default (a key left out of files then).
pub(super) fn is_default_sam_radius(rho: &f64) -> bool {
    *rho == DEFAULT_SAM_RADIUS
}
