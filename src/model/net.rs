//! The diagonal linear network `β = u ⊙ v`: loss, gradients and the effective α read from the state.

use super::kernels;
use super::problem::Problem;

/// Parameters `w = (u, v)` of the network.
#[derive(Clone, Debug, PartialEq)]
pub struct DiagNet {
    /// First layer u.
    pub u: Vec<f64>,
    /// Second layer v.
    pub v: Vec<f64>,
}

impl DiagNet {
    /// P21's initialisation `u₀ = α·𝟙`, `v₀ = 0` in dimension d.
    pub fn init(alpha: f64, d: usize) -> DiagNet {
        DiagNet {
            u: vec![alpha; d],
            v: vec![0.0; d],
        }
    }

    /// `β = u ⊙ v`.
    pub fn beta(&self) -> Vec<f64> {
        let mut beta = vec![0.0; self.u.len()];
        kernels::hadamard(&self.u, &self.v, &mut beta);
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
        let gu = g.iter().zip(&self.v).map(|(g, v)| scale * g * v).collect();
        let gv = g.iter().zip(&self.u).map(|(g, u)| scale * g * u).collect();
        (gu, gv)
    }

    /// Exact effective initialisation `α_t = sqrt|u² − v²|` per coordinate (E23).
    pub fn alpha_eff(&self) -> Vec<f64> {
        self.u
            .iter()
            .zip(&self.v)
            .map(|(u, v)| ((u - v) * (u + v)).abs().sqrt())
            .collect()
    }

    /// Effective scale `ρ_t = |u² − v²|/2` and offset `β̃_t = ½(ρ₊ − ρ₋)` given `Γ_t = Σ D`.
    pub fn rho_and_offset(&self, gamma_sum: &[f64]) -> (Vec<f64>, Vec<f64>) {
        let mut rho = Vec::with_capacity(self.u.len());
        let mut offset = Vec::with_capacity(self.u.len());
        for ((u, v), g) in self.u.iter().zip(&self.v).zip(gamma_sum) {
            let (s, d) = (u + v, u - v);
            rho.push((s * d).abs() / 2.0);
            let rho_plus = s * s * (-2.0 * g).exp() / 2.0;
            let rho_minus = d * d * (2.0 * g).exp() / 2.0;
            offset.push(0.5 * (rho_plus - rho_minus));
        }
        (rho, offset)
    }
}
