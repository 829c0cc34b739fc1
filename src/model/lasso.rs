//! The Lasso path `β_lasso(λ) = argmin ‖Xβ − y‖²/(2n) + λ‖β‖₁`, piecewise linear in λ, from the
//! homotopy's knots. Training time reads as its inverse penalty: the running mean of gradient
//! flow from `u₀ = α𝟙` is near `β_lasso(ln(1/α)/t)` (docs/saddles.md#the-lasso-reading).

use std::sync::atomic::AtomicBool;

use ndarray::Array2;

use super::error::SimError;
use super::homotopy::{Failure, walk};

/// The knots of the Lasso path, λ decreasing (in the `1/(2n)` scaling of the loss).
#[derive(Clone, Debug, PartialEq)]
pub struct LassoPath {
    /// `(λ, β_lasso(λ))` at every active-set change, from `λ_max = ‖Xᵀy‖_∞/n` (β = 0) down to
    /// the end of the path (λ = 0 when y is interpolated).
    pub knots: Vec<(f64, Vec<f64>)>,
}

/// Where weight decay λ_wd leads gradient descent on the network: minimising
/// `(λ_wd/2)(‖u‖² + ‖v‖²)` over `u ⊙ v = β` is `λ_wd‖β‖₁`, so the limit is
/// `argmin ‖Xβ − y‖²/(4n) + λ_wd‖β‖₁`, the path at `λ = 2λ_wd` (docs/dynamics.md).
pub fn weight_decay_limit(
    x: &Array2<f64>,
    y: &[f64],
    lambda_wd: f64,
) -> Result<Vec<f64>, SimError> {
    match LassoPath::of(x, y) {
        Ok(path) => Ok(path.at(2.0 * lambda_wd)),
        Err(Failure::Cancelled) => Err(SimError::Cancelled),
        Err(Failure::Other(why)) => Err(SimError::Numerical(format!("the Lasso path: {why}"))),
    }
}

impl LassoPath {
    /// Walks the path of `X`, `y` (the homotopy's `½‖y − Xβ‖² + λ'‖β‖₁` has `λ' = nλ`).
    pub fn of(x: &Array2<f64>, y: &[f64]) -> Result<LassoPath, Failure> {
        let (n, d) = x.dim();
        let mut knots = Vec::new();
        walk(x, y, &AtomicBool::new(false), |lambda, active| {
            let mut beta = vec![0.0; d];
            for (&j, &b) in active.index.iter().zip(&active.beta) {
                beta[j] = b;
            }
            knots.push((lambda / n as f64, beta));
        })?;
        Ok(LassoPath { knots })
    }

    /// `β_lasso(λ)`: zero above `λ_max`, linear between knots, the last knot below the path's end.
    pub fn at(&self, lambda: f64) -> Vec<f64> {
        let Some(first) = self.knots.first() else {
            return Vec::new();
        };
        if lambda >= first.0 {
            return first.1.clone();
        }
        for pair in self.knots.windows(2) {
            let ((hi, b_hi), (lo, b_lo)) = (&pair[0], &pair[1]);
            if lambda >= *lo {
                let w = if hi > lo {
                    (hi - lambda) / (hi - lo)
                } else {
                    1.0
                };
                return b_hi
                    .iter()
                    .zip(b_lo)
                    .map(|(a, b)| a + w * (b - a))
                    .collect();
            }
        }
        self.knots.last().map(|k| k.1.clone()).unwrap_or_default()
    }

    /// Whether no coordinate leaves the support along the path (then the running mean follows it
    /// exactly as α → 0).
    pub fn is_monotone(&self) -> bool {
        self.knots.windows(2).all(|p| {
            (p[0].1.iter().zip(&p[1].1))
                .all(|(a, b)| *a == 0.0 || (*b != 0.0 && a.signum() == b.signum()))
        })
    }
}
