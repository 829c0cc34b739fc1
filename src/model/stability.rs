//! Step sizes and stability limits (docs/step-size.md).

use ndarray::Array2;

use super::config::StepSize;
use super::error::SimError;

/// Network preconditioner `u² + v² = 2 sqrt(β² + ρ²)`.
fn preconditioner(beta: &[f64], rho: &[f64]) -> Vec<f64> {
    beta.iter()
        .zip(rho)
        .map(|(b, r)| 2.0 * b.hypot(*r))
        .collect()
}

/// `κ_i = Σ_j 2 sqrt(β_j² + ρ_j²) x_ij²` for every sample i.
pub fn kappa(x: &Array2<f64>, beta: &[f64], rho: &[f64]) -> Vec<f64> {
    kappa_of(x, &preconditioner(beta, rho))
}

/// `κ_i = Σ_j w_j x_ij²` for every sample i, with the preconditioner `w = u² + v²`.
pub fn kappa_of(x: &Array2<f64>, w: &[f64]) -> Vec<f64> {
    x.rows()
        .into_iter()
        .map(|row| row.iter().zip(w).map(|(x, w)| w * x * x).sum())
        .collect()
}

/// Single-sample SGD stability limit `2 / max_i κ_i`.
pub fn sgd_limit(x: &Array2<f64>, beta: &[f64], rho: &[f64]) -> f64 {
    2.0 / kappa(x, beta, rho).into_iter().fold(0.0, f64::max)
}

/// The step size γ of a choice: fixed, or `C / max_i κ_i(β_ℓ1, ρ₀)` with `ρ₀ = α²/2`, which
/// needs the ℓ1 interpolator `beta_l1` and so `d > n`.
pub fn resolve_gamma(
    step: StepSize,
    x: &Array2<f64>,
    beta_l1: Option<&[f64]>,
    alpha: f64,
) -> Result<f64, SimError> {
    match (step, beta_l1) {
        (StepSize::Fixed(g), _) => Ok(g),
        (StepSize::Stable(c), Some(b)) => {
            Ok(c * sgd_limit(x, b, &super::analysis::rho0(alpha, b.len())) / 2.0)
        }
        (StepSize::Stable(_), None) => Err(not_overparametrised(x, STABLE_RULE_NEEDS)),
    }
}

const STABLE_RULE_NEEDS: &str =
    "the stable step-size rule (a fixed γ — --gamma, or the γ slider — does not)";

/// Why the implicit-bias theory does not apply to `x`: `n ≥ d`, or dependent rows.
pub fn not_overparametrised(x: &Array2<f64>, what: &'static str) -> SimError {
    let (n, d) = x.dim();
    // The rank is only in question for d > n, and only checked where loading checks it.
    let rank = (n < d && n <= super::dataset::RANK_CHECKED_UP_TO)
        .then(|| super::linalg::row_rank(x).ok())
        .flatten();
    match rank {
        Some(rank) if rank < n => SimError::RankDeficient { n, rank, what },
        _ => SimError::NotOverparametrised { n, d, what },
    }
}

/// The linear-stability step-size limit at the state with preconditioner `w = u² + v²`:
/// GD (and GF) `2n / λ_max(X diag(w) Xᵀ)` — its edge of stability `γ S = 2` — and for the
/// stochastic methods `2 / max_i κ_i` with `κ_i = Σ_j w_j x_ij²` (the single-sample limit).
pub fn linear_limit(kind: super::MethodKind, x: &Array2<f64>, w: &[f64]) -> Result<f64, SimError> {
    if kind.is_stochastic() {
        Ok(2.0 / kappa_of(x, w).into_iter().fold(0.0, f64::max))
    } else {
        let top = super::linalg::lambda_max(&super::linalg::weighted_gram(x, w))?;
        Ok(2.0 * x.nrows() as f64 / top)
    }
}
