//! The two noises that contrast with SGD's (docs/dynamics.md): label-noise GD, whose dual step
//! stays in `range(Xᵀ)`, and isotropic-noise GD, whose noise is added outside the multiplicative
//! update. Both track `Σ ln|1 ± D|` — the state a purely multiplicative chain of their dual
//! steps would have, whence the product formula of the exact α_t — to show which keeps it.

use rand_distr::{Distribution, StandardNormal};

use super::{Method, StepInfo, Stepper};
use crate::model::kernels;
use crate::model::net::DiagNet;
use crate::model::problem::Problem;

/// `ln|1 + x|`, accurate for small `x`.
fn ln_abs_1p(x: f64) -> f64 {
    if x > -1.0 { x.ln_1p() } else { (-1.0 - x).ln() }
}

impl Stepper {
    /// One step of a noise method. Label noise: `D = −(γ/n) Xᵀ(r − σ_ℓ ξ)`, which at σ_ℓ = 0
    /// performs exactly GD's operations. Isotropic noise: GD's step, then
    /// `u += sqrt(γ)σ ζ_u`, `v += sqrt(γ)σ ζ_v`, i.e. `s += sqrt(γ)σ (ζ_u + ζ_v)`,
    /// `d += sqrt(γ)σ (ζ_u − ζ_v)` in the state `s = u + v`, `d = u − v`. After the noisy steps
    /// both step as GD.
    pub(super) fn noise_step<const TRACK: bool>(
        &mut self,
        p: &Problem,
        net: &mut DiagNet,
        coef_sum: &mut [f64],
    ) -> StepInfo {
        let (x, y, n) = (p.x_slice(), p.y_slice(), p.n());
        let noisy = self.noise_left > 0;
        self.noise_left = self.noise_left.saturating_sub(1);
        kernels::beta_from_state(&net.s, &net.d, &mut self.beta);
        let sq = kernels::residuals_all(x, y, &self.beta, &mut self.r);
        let drift = -self.dt / n as f64;
        match self.method {
            Method::LabelNoise { sigma, .. } if noisy => {
                for ri in self.r.iter_mut() {
                    let xi: f64 = StandardNormal.sample(&mut self.rng);
                    *ri = drift * (*ri - sigma * xi);
                }
            }
            _ => self.r.iter_mut().for_each(|ri| *ri *= drift),
        }
        if TRACK {
            coef_sum.iter_mut().zip(&self.r).for_each(|(c, w)| *c += w);
        }
        kernels::xt_mul(x, &self.r, None, &mut self.dual);
        self.apply(net);
        if let Method::IsoNoise { sigma, .. } = self.method
            && noisy
        {
            let c = self.gamma.sqrt() * sigma;
            for (s, d) in net.s.iter_mut().zip(net.d.iter_mut()) {
                let zu: f64 = StandardNormal.sample(&mut self.rng);
                let zv: f64 = StandardNormal.sample(&mut self.rng);
                *s += c * (zu + zv);
                *d += c * (zu - zv);
            }
        }
        if TRACK {
            let (plus, minus) = self.dual_logs.split_at_mut(net.dim());
            for ((lp, lm), dj) in plus.iter_mut().zip(minus).zip(&self.dual) {
                *lp += ln_abs_1p(*dj);
                *lm += ln_abs_1p(-dj);
            }
        }
        StepInfo {
            loss_estimate: sq / (4.0 * n as f64),
            residual_sq: sq,
        }
    }

    /// `(Σ_k ln|1 + D_k|, Σ_k ln|1 − D_k|)` per coordinate over the tracked steps, for the noise
    /// methods (`Σ q(D) = −(L₊ + L₋)`).
    pub fn dual_logs(&self) -> Option<(&[f64], &[f64])> {
        (!self.dual_logs.is_empty()).then(|| self.dual_logs.split_at(self.dual_logs.len() / 2))
    }
}
