//! Sharpness-aware minimisation on the network (docs/dynamics.md#sam), in the update rules of
//! Andriushchenko & Flammarion (ICML 2022): GD's step with the gradient taken at an ascent point.
//!
//! n-SAM ascends along the full-batch gradient, `u' = u + (ρ/n)(Xᵀr) ⊙ v` (and v alike), i.e.
//! `s' = s(1 + D_a)`, `d' = d(1 − D_a)` with `D_a = (ρ/n)Xᵀr`; the step `u ← u − (γ/n)(Xᵀr') ⊙ v'`
//! is then `s ← s(1 + D + E)`, `d ← d(1 − D + E)` with `D = −(γ/n)Xᵀr'` and `E = D ⊙ D_a`.
//! 1-SAM ascends per sample, `s'_k = s(1 + a_k x_k)` with `a_k = 2ρ r_k`, and averages the n
//! gradients: with `c_k = −(γ/n) r'_k`, `D = Xᵀc` and `E = Σ_k c_k a_k x_k²`. Since
//! `β'_k = β + a_k x_k ⊙ (s² + d²)/2 + a_k² x_k² ⊙ β`, each `r'_k` costs three sums over `x_k`.

use super::{Last, Method, StepInfo, Stepper};
use crate::model::kernels;
use crate::model::net::DiagNet;
use crate::model::problem::Problem;

impl Stepper {
    /// One SAM step with ρ > 0 (at ρ = 0 SAM steps as GD).
    pub(super) fn sam_step<const TRACK: bool>(
        &mut self,
        p: &Problem,
        net: &mut DiagNet,
        coef_sum: &mut [f64],
    ) -> StepInfo {
        let Method::Sam { rho, per_sample } = self.method else {
            unreachable!("a SAM step of a SAM method");
        };
        let (x, y, n, dim) = (p.x_slice(), p.y_slice(), p.n(), p.d());
        kernels::beta_from_state(&net.s, &net.d, &mut self.beta);
        let sq = kernels::residuals_all(x, y, &self.beta, &mut self.r);
        let scale = -self.gamma / n as f64;
        // `stage` holds E.
        if per_sample {
            // p = (s² + d²)/2 in `dual` while the residuals at the ascent points are formed.
            for ((pj, s), d) in self.dual.iter_mut().zip(&net.s).zip(&net.d) {
                *pj = 0.5 * (s * s + d * d);
            }
            let spread = (self.beta.as_slice(), self.dual.as_slice());
            kernels::one_sam_residuals(
                x,
                y,
                spread,
                (2.0 * rho, scale),
                &mut self.r,
                &mut self.stage,
            );
            kernels::xt_mul(x, &self.r, None, &mut self.dual);
        } else {
            kernels::xt_mul(x, &self.r, None, &mut self.stage);
            let ascent = rho / n as f64;
            for j in 0..dim {
                let da = ascent * self.stage[j];
                let (s, d) = (net.s[j] * (1.0 + da), net.d[j] * (1.0 - da));
                self.beta[j] = 0.25 * ((s + d) * (s - d));
                self.stage[j] = da;
            }
            kernels::residuals_all(x, y, &self.beta, &mut self.r);
            self.r.iter_mut().for_each(|ri| *ri *= scale);
            kernels::xt_mul(x, &self.r, None, &mut self.dual);
            for (e, dj) in self.stage.iter_mut().zip(&self.dual) {
                *e *= dj;
            }
        }
        if TRACK {
            coef_sum.iter_mut().zip(&self.r).for_each(|(c, w)| *c += w);
        }
        kernels::sam_update((&mut net.s, &mut net.d), &self.dual, &self.stage, self.keep);
        self.last = Last::Dense;
        StepInfo {
            loss_estimate: sq / (4.0 * n as f64),
            residual_sq: sq,
        }
    }
}
