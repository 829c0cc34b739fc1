//! The diagonal linear network `β = u ⊙ v`: loss, gradients and the effective α read from the state.
//!
//! The state is kept as `s = u + v`, `d = u − v`: every update multiplies them coordinate-wise
//! (`s ← s(1 + D)`, `d ← d(1 − D)`), so `α² = |u² − v²| = |s·d|` is read without the
//! cancellation of `u² − v²`, which loses every digit once `α_j² < ε·u_j²`.

use super::kernels;
use super::problem::Problem;
use crate::platform::Madd;

/// Parameters `w = (u, v)` of the network, stored as `s = u + v`, `d = u − v`.
#[derive(Clone, Debug, PartialEq)]
pub struct DiagNet {
    /// `s = u + v`.
    pub s: Vec<f64>,
    /// `d = u − v`.
    pub d: Vec<f64>,
}

impl DiagNet {
    /// P21's initialisation `u₀ = α·𝟙`, `v₀ = 0` in dimension d.
    pub fn init(alpha: f64, d: usize) -> DiagNet {
        DiagNet {
            s: vec![alpha; d],
            d: vec![alpha; d],
        }
    }

    /// The network with layers `u` and `v`.
    pub fn from_layers(u: &[f64], v: &[f64]) -> DiagNet {
        DiagNet {
            s: u.iter().zip(v).map(|(u, v)| u + v).collect(),
            d: u.iter().zip(v).map(|(u, v)| u - v).collect(),
        }
    }

    /// The layers `(u, v) = ((s + d)/2, (s − d)/2)`.
    pub fn layers(&self) -> (Vec<f64>, Vec<f64>) {
        let pairs = self.s.iter().zip(&self.d);
        let u = pairs.clone().map(|(s, d)| 0.5 * (s + d)).collect();
        let v = pairs.map(|(s, d)| 0.5 * (s - d)).collect();
        (u, v)
    }

    /// Dimension d.
    pub fn dim(&self) -> usize {
        self.s.len()
    }

    /// `β_j = u_j v_j`.
    pub fn beta_at(&self, j: usize) -> f64 {
        let (s, d) = (self.s[j], self.d[j]);
        0.25 * ((s + d) * (s - d))
    }

    /// `β = u ⊙ v`.
    pub fn beta(&self) -> Vec<f64> {
        let mut beta = vec![0.0; self.dim()];
        kernels::beta_from_state(&self.s, &self.d, &mut beta);
        beta
    }

    /// Training loss `L(w) = ‖Xβ − y‖²/(4n)`.
    pub fn loss(&self, problem: &Problem) -> f64 {
        problem.loss(&self.beta())
    }

    /// Gradients `(∇_u L, ∇_v L) = (v ⊙ Xᵀr, u ⊙ Xᵀr)/(2n)`.
    pub fn gradients(&self, problem: &Problem) -> (Vec<f64>, Vec<f64>) {
        let (n, d) = (problem.n(), problem.d());
        let beta = self.beta();
        let mut r = vec![0.0; n];
        kernels::residuals_all(problem.x_slice(), problem.y_slice(), &beta, &mut r);
        let mut g = vec![0.0; d];
        kernels::xt_mul(problem.x_slice(), &r, None, &mut g);
        let scale = 1.0 / (2.0 * n as f64);
        let (u, v) = self.layers();
        let gu = g.iter().zip(&v).map(|(g, v)| scale * g * v).collect();
        let gv = g.iter().zip(&u).map(|(g, u)| scale * g * u).collect();
        (gu, gv)
    }

    /// Exact effective initialisation `α_t = sqrt|u² − v²| = sqrt|s·d|` per coordinate (E23).
    pub fn alpha_eff(&self) -> Vec<f64> {
        self.s
            .iter()
            .zip(&self.d)
            .map(|(s, d)| (s * d).abs().sqrt())
            .collect()
    }

    /// The network's preconditioner `u² + v² = (s² + d²)/2` per coordinate.
    pub fn u2_plus_v2(&self) -> Vec<f64> {
        (self.s.iter().zip(&self.d))
            .map(|(s, d)| 0.5 * s.madd(*s, d * d))
            .collect()
    }

    /// Effective scale `ρ_t = |u² − v²|/2` and offset `β̃_t = ½(ρ₊ − ρ₋)` given `Γ_t = Σ D`.
    pub fn rho_and_offset(&self, gamma_sum: &[f64]) -> (Vec<f64>, Vec<f64>) {
        let mut rho = Vec::with_capacity(self.dim());
        let mut offset = Vec::with_capacity(self.dim());
        for ((s, d), g) in self.s.iter().zip(&self.d).zip(gamma_sum) {
            rho.push((s * d).abs() / 2.0);
            let rho_plus = s * s * (-2.0 * g).exp() / 2.0;
            let rho_minus = d * d * (2.0 * g).exp() / 2.0;
            offset.push(0.5 * (rho_plus - rho_minus));
        }
        (rho, offset)
    }
}
