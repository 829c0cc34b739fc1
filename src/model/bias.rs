//! The hyperbolic entropy ψ_ρ and the implicit-bias interpolator
//! `argmin_{Xβ=y} D_{ψ_ρ}(β, β_ref)` by damped dual Newton with continuation in ρ; the Newton
//! systems are solved densely for small n and by conjugate gradients on Hessian–vector products
//! (never forming an n × n matrix) for large n.

use std::sync::atomic::{AtomicBool, Ordering};

use ndarray::Array2;

use super::error::SimError;
use super::gram::{Strategy, WeightedGram};
use super::linalg::{norm_inf, x_mul, xt_mul};

/// `ψ_ρ(β) = ½ Σ_j [β_j arcsinh(β_j/ρ_j) − sqrt(β_j² + ρ_j²) + ρ_j]`.
pub fn psi(beta: &[f64], rho: &[f64]) -> f64 {
    0.5 * beta
        .iter()
        .zip(rho)
        .map(|(&b, &r)| b * (b / r).asinh() - b.hypot(r) + r)
        .sum::<f64>()
}

/// `∇ψ_ρ(β) = ½ arcsinh(β/ρ)`.
pub fn grad_psi(beta: &[f64], rho: &[f64]) -> Vec<f64> {
    beta.iter()
        .zip(rho)
        .map(|(&b, &r)| 0.5 * (b / r).asinh())
        .collect()
}

/// Bregman divergence `D_{ψ_ρ}(β, β_ref) = ψ(β) − ψ(β_ref) − ⟨∇ψ(β_ref), β − β_ref⟩`.
pub fn bregman(beta: &[f64], beta_ref: &[f64], rho: &[f64]) -> f64 {
    let g = grad_psi(beta_ref, rho);
    psi(beta, rho)
        - psi(beta_ref, rho)
        - g.iter()
            .zip(beta.iter().zip(beta_ref))
            .map(|(g, (b, r))| g * (b - r))
            .sum::<f64>()
}

/// The solution of the implicit-bias problem and how it was found.
#[derive(Clone, Debug, PartialEq)]
pub struct BiasSolution {
    /// The interpolator β.
    pub beta: Vec<f64>,
    /// Dual variable λ: `β = ρ ⊙ sinh(2(c + Xᵀλ))`.
    pub lambda: Vec<f64>,
    /// Newton steps over all continuation stages.
    pub newton_steps: usize,
    /// KKT residual (feasibility and stationarity, relative).
    pub kkt_residual: f64,
}

/// `(ρ sinh a, ρ cosh a)` evaluated in log space; `None` if it would overflow.
fn scaled_sinh_cosh(rho: f64, a: f64) -> Option<(f64, f64)> {
    let m = a.abs();
    if m < 20.0 {
        return Some((rho * a.sinh(), rho * a.cosh()));
    }
    let log_c = rho.ln() + m - std::f64::consts::LN_2;
    if log_c > 700.0 {
        return None;
    }
    let e = (-2.0 * m).exp();
    let c = (log_c + e.ln_1p()).exp();
    let s = (log_c + (-e).ln_1p()).exp();
    Some((s.copysign(a), c))
}

/// The dual problem at scale ρ: `F(λ) = Σ (ρ_j/2) cosh(2θ_j) − ⟨λ, y⟩`, `θ = c + Xᵀλ`.
struct Dual<'a> {
    x: &'a Array2<f64>,
    y: &'a [f64],
    rho: Vec<f64>,
    c: Vec<f64>,
    options: &'a SolveOptions<'a>,
}

/// The dual at one point: value, primal β, Hessian weights `2 sqrt(β² + ρ²)`, gradient `Xβ − y`.
struct DualPoint {
    value: f64,
    beta: Vec<f64>,
    weights: Vec<f64>,
    grad: Vec<f64>,
}

impl Dual<'_> {
    fn eval(&self, lambda: &[f64]) -> Option<DualPoint> {
        let xtl = xt_mul(self.x, lambda);
        let d = self.rho.len();
        let (mut beta, mut weights) = (Vec::with_capacity(d), Vec::with_capacity(d));
        let mut value = 0.0;
        for ((rho, c), l) in self.rho.iter().zip(&self.c).zip(&xtl) {
            let (s, c) = scaled_sinh_cosh(*rho, 2.0 * (c + l))?;
            beta.push(s);
            weights.push(2.0 * c);
            value += 0.5 * c;
        }
        let xb = x_mul(self.x, &beta);
        let grad: Vec<f64> = xb.iter().zip(self.y).map(|(a, b)| a - b).collect();
        value -= lambda.iter().zip(self.y).map(|(l, y)| l * y).sum::<f64>();
        value.is_finite().then_some(DualPoint {
            value,
            beta,
            weights,
            grad,
        })
    }

    /// Damped Newton from `lambda` until `‖Xβ − y‖_∞ ≤ tol`; returns the final point.
    fn newton(
        &self,
        lambda: &mut Vec<f64>,
        tol: f64,
        steps: &mut usize,
    ) -> Result<DualPoint, SimError> {
        let mut point = self
            .eval(lambda)
            .ok_or_else(|| SimError::Numerical("implicit-bias solver: start overflows".into()))?;
        let scale = norm_inf(self.y).max(1.0);
        for _ in 0..200 {
            let grad_norm = norm_inf(&point.grad);
            if grad_norm <= tol {
                return Ok(point);
            }
            self.options.check_cancel()?;
            *steps += 1;
            let h = WeightedGram::new(self.x, &point.weights, self.options.strategy)?;
            let neg: Vec<f64> = point.grad.iter().map(|g| -g).collect();
            // Inexact Newton (iterative solves): the forcing term shrinks with the residual.
            let forcing = (grad_norm / scale).sqrt().clamp(1e-12, 0.1);
            let dir = h.solve(&neg, forcing, None).z;
            let slope: f64 = dir.iter().zip(&point.grad).map(|(a, b)| a * b).sum();
            let mut t = 1.0;
            let accepted = loop {
                let trial: Vec<f64> = lambda.iter().zip(&dir).map(|(l, p)| l + t * p).collect();
                if let Some(next) = self.eval(&trial) {
                    let armijo = next.value <= point.value + 1e-4 * t * slope;
                    let smaller_residual = t < 1e-3 && norm_inf(&next.grad) < grad_norm;
                    if armijo || smaller_residual {
                        *lambda = trial;
                        break Some(next);
                    }
                }
                t *= 0.5;
                if t < 1e-14 {
                    break None;
                }
            };
            point = match accepted {
                Some(next) => next,
                None if norm_inf(&point.grad) <= 1e3 * tol => return Ok(point),
                None => {
                    return Err(SimError::Numerical(format!(
                        "implicit-bias solver: line search stalled at residual {grad_norm:.3e}"
                    )));
                }
            };
        }
        Err(SimError::Numerical(
            "implicit-bias solver: no convergence in 200 Newton steps".into(),
        ))
    }
}

/// Largest KKT residual of an accepted solution (the Newton stopping rule gives ~1e-13).
pub const KKT_TOLERANCE: f64 = 1e-9;

/// Final feasibility tolerance `‖Xβ − y‖_∞ ≤ 1e-11·max(1, ‖y‖_∞)`.
fn final_tolerance(y: &[f64]) -> f64 {
    1e-11 * norm_inf(y).max(1.0)
}

/// How an implicit-bias solve runs.
#[derive(Clone, Copy, Debug, Default)]
pub struct SolveOptions<'a> {
    /// A previous dual solution, tried first.
    pub warm: Option<&'a [f64]>,
    /// Dense or iterative Newton systems.
    pub strategy: Strategy,
    /// Raised when the result is no longer wanted ([`SimError::Cancelled`]).
    pub cancel: Option<&'a AtomicBool>,
}

impl SolveOptions<'_> {
    fn check_cancel(&self) -> Result<(), SimError> {
        match self.cancel {
            Some(c) if c.load(Ordering::Relaxed) => Err(SimError::Cancelled),
            _ => Ok(()),
        }
    }
}

/// `argmin_{Xβ=y} D_{ψ_ρ}(β, β_ref)` by damped dual Newton with continuation in ρ (docs/solver.md).
/// A previous dual solution `warm` is tried first.
pub fn implicit_bias(
    x: &Array2<f64>,
    y: &[f64],
    rho: &[f64],
    beta_ref: &[f64],
    warm: Option<&[f64]>,
) -> Result<BiasSolution, SimError> {
    let options = SolveOptions {
        warm,
        ..SolveOptions::default()
    };
    implicit_bias_with(x, y, rho, beta_ref, &options)
}

/// [`implicit_bias`] with every option.
pub fn implicit_bias_with(
    x: &Array2<f64>,
    y: &[f64],
    rho: &[f64],
    beta_ref: &[f64],
    options: &SolveOptions<'_>,
) -> Result<BiasSolution, SimError> {
    let (n, d) = x.dim();
    if n >= d {
        return Err(SimError::NotOverparametrised {
            n,
            d,
            what: "the implicit-bias interpolator",
        });
    }
    if let Some(bad) = rho.iter().find(|r| !(r.is_finite() && **r > 0.0)) {
        return Err(SimError::invalid(
            "rho",
            bad,
            "finite and > 0 in every coordinate",
        ));
    }
    let tol = final_tolerance(y);
    let at_scale = |kappa: f64| {
        let rho: Vec<f64> = rho.iter().map(|r| kappa * r).collect();
        let c = beta_ref
            .iter()
            .zip(&rho)
            .map(|(b, r)| 0.5 * (b / r).asinh())
            .collect();
        Dual {
            x,
            y,
            rho,
            c,
            options,
        }
    };
    let mut steps = 0;
    if let Some(warm) = options.warm.filter(|w| w.len() == n) {
        let mut lambda = warm.to_vec();
        match at_scale(1.0).newton(&mut lambda, tol, &mut steps) {
            Ok(point) => return finish(x, y, rho, beta_ref, point, lambda, steps, options),
            Err(SimError::Cancelled) => return Err(SimError::Cancelled),
            Err(_) => {}
        }
    }
    // Continuation: start where the problem is nearly weighted-ℓ2, then divide κ by 10.
    let mut kappa = 1.0;
    let mut lambda;
    loop {
        let dual = at_scale(kappa);
        let w: Vec<f64> = dual.rho.iter().map(|r| 2.0 * r).collect();
        let xwc: Vec<f64> = x_mul(
            x,
            &w.iter()
                .zip(&dual.c)
                .map(|(w, c)| w * c)
                .collect::<Vec<_>>(),
        );
        let rhs: Vec<f64> = y.iter().zip(&xwc).map(|(a, b)| a - b).collect();
        lambda = WeightedGram::new(x, &w, options.strategy)?
            .solve(&rhs, 1e-10, None)
            .z;
        let xtl = xt_mul(x, &lambda);
        let theta_max = dual
            .c
            .iter()
            .zip(&xtl)
            .fold(0.0f64, |m, (c, l)| m.max((2.0 * (c + l)).abs()));
        if theta_max <= 1.0 || kappa > 1e300 {
            break;
        }
        kappa *= 10.0;
    }
    loop {
        let last = kappa <= 1.0;
        let dual = at_scale(kappa.max(1.0));
        let stage_tol = if last {
            tol
        } else {
            1e-6 * norm_inf(y).max(1.0)
        };
        let point = dual.newton(&mut lambda, stage_tol, &mut steps)?;
        if last {
            return finish(x, y, rho, beta_ref, point, lambda, steps, options);
        }
        kappa /= 10.0;
    }
}

#[allow(clippy::too_many_arguments)]
fn finish(
    x: &Array2<f64>,
    y: &[f64],
    rho: &[f64],
    beta_ref: &[f64],
    point: DualPoint,
    lambda: Vec<f64>,
    newton_steps: usize,
    options: &SolveOptions,
) -> Result<BiasSolution, SimError> {
    let kkt_residual = kkt_residual_from(
        x,
        y,
        &point.beta,
        rho,
        beta_ref,
        Some(&lambda),
        options.strategy,
    )?;
    if kkt_residual.is_nan() || kkt_residual > KKT_TOLERANCE {
        return Err(SimError::Numerical(format!(
            "implicit-bias solver: KKT residual {kkt_residual:.2e} above {KKT_TOLERANCE:e}"
        )));
    }
    Ok(BiasSolution {
        beta: point.beta,
        lambda,
        newton_steps,
        kkt_residual,
    })
}

/// KKT residual of `argmin_{Xβ=y} D_{ψ_ρ}(β, β_ref)`: the larger of the relative feasibility
/// `‖Xβ − y‖_∞` and the part of `∇ψ(β) − ∇ψ(β_ref)` outside `range(Xᵀ)`.
pub fn kkt_residual(
    x: &Array2<f64>,
    y: &[f64],
    beta: &[f64],
    rho: &[f64],
    beta_ref: &[f64],
) -> Result<f64, SimError> {
    kkt_residual_from(x, y, beta, rho, beta_ref, None, Strategy::Auto)
}

/// [`kkt_residual`], the projection onto `range(Xᵀ)` solved as `XXᵀz = Xg` (from the guess z = λ,
/// the dual solution, when given).
fn kkt_residual_from(
    x: &Array2<f64>,
    y: &[f64],
    beta: &[f64],
    rho: &[f64],
    beta_ref: &[f64],
    lambda: Option<&[f64]>,
    strategy: Strategy,
) -> Result<f64, SimError> {
    let xb = x_mul(x, beta);
    let feas = xb
        .iter()
        .zip(y)
        .fold(0.0f64, |m, (a, b)| m.max((a - b).abs()))
        / norm_inf(y).max(1.0);
    let g: Vec<f64> = grad_psi(beta, rho)
        .iter()
        .zip(grad_psi(beta_ref, rho))
        .map(|(a, b)| a - b)
        .collect();
    let ones = vec![1.0; x.ncols()];
    let gram = WeightedGram::new(x, &ones, strategy)?;
    let proj = xt_mul(x, &gram.solve(&x_mul(x, &g), 1e-13, lambda).z);
    let off = g
        .iter()
        .zip(&proj)
        .fold(0.0f64, |m, (a, b)| m.max((a - b).abs()));
    Ok(feas.max(off / norm_inf(&g).max(1.0)))
}
