//! Basis pursuit `min ‖β‖₁ s.t. Xβ = y` by the Lasso homotopy: follow the solution of
//! `min ½‖y − Xβ‖² + λ‖β‖₁` from `λ = ‖Xᵀy‖_∞` (β = 0) down to λ = 0, one active-set change
//! per step, with a Cholesky factor of `X_AᵀX_A` updated by one column at a time. A k-sparse
//! solution takes about k steps of O(n·d) each. The end point is polished on its support and
//! certified by the LP's optimality conditions (docs/solver.md).

use std::sync::atomic::{AtomicBool, Ordering};

use ndarray::Array2;

use super::cholesky::GrowingCholesky;
use super::linalg::{norm_inf, x_mul, xt_mul};

/// A certified basis-pursuit solution.
#[derive(Clone, Debug, PartialEq)]
pub struct Certified {
    /// The minimum-ℓ1 interpolator.
    pub beta: Vec<f64>,
    /// Homotopy steps (active-set changes).
    pub steps: usize,
    /// `‖Xβ − y‖_∞ / max(1, ‖y‖_∞)` after the polish.
    pub residual: f64,
    /// `‖Xᵀw‖_∞` of the dual certificate w (≤ 1 up to round-off: β is optimal).
    pub dual_norm: f64,
}

/// Why the homotopy gave up (the caller falls back to the LP).
#[derive(Clone, Debug, PartialEq)]
pub enum Failure {
    /// The cancel flag was raised.
    Cancelled,
    /// Anything else, in words.
    Other(String),
}

/// Largest relative interpolation residual of a certified solution.
const RESIDUAL_TOL: f64 = 1e-11;
/// Largest excess of the dual certificate over 1.
const DUAL_TOL: f64 = 1e-9;

/// An active set: columns, signs, coefficients and the factor of their Gram matrix (the path's
/// here, the saddles' sign-constrained least squares in `saddles.rs`).
#[derive(Clone, Default)]
pub(super) struct Active {
    pub(super) index: Vec<usize>,
    pub(super) sign: Vec<f64>,
    pub(super) beta: Vec<f64>,
    pub(super) cols: Vec<Vec<f64>>,
    pub(super) chol: GrowingCholesky,
}

impl Active {
    /// Appends column j of X with its sign and a zero coefficient; false (and unchanged) if the
    /// column is numerically dependent on the active ones.
    pub(super) fn push(&mut self, x: &Array2<f64>, j: usize, sign: f64) -> bool {
        let col: Vec<f64> = x.column(j).to_vec();
        let cross = self.correlate(&col);
        if !self.chol.append(&cross, dot(&col, &col)) {
            return false;
        }
        self.index.push(j);
        self.sign.push(sign);
        self.beta.push(0.0);
        self.cols.push(col);
        true
    }

    /// Removes the k-th active column; returns its index in X.
    pub(super) fn remove(&mut self, k: usize) -> usize {
        self.sign.remove(k);
        self.beta.remove(k);
        self.cols.remove(k);
        self.chol.delete(k);
        self.index.remove(k)
    }

    /// `X_A v`.
    pub(super) fn combine(&self, v: &[f64], n: usize) -> Vec<f64> {
        let mut out = vec![0.0; n];
        for (col, &c) in self.cols.iter().zip(v) {
            for (o, x) in out.iter_mut().zip(col) {
                *o += c * x;
            }
        }
        out
    }

    /// `X_Aᵀ r`.
    pub(super) fn correlate(&self, r: &[f64]) -> Vec<f64> {
        self.cols.iter().map(|c| dot(c, r)).collect()
    }

    /// Least squares on the active columns, `G⁻¹ X_Aᵀ b`, with two rounds of refinement.
    pub(super) fn least_squares(&self, rhs: &[f64], n: usize) -> Vec<f64> {
        let mut z = self.chol.solve(&self.correlate(rhs));
        for _ in 0..2 {
            let fit = self.combine(&z, n);
            let r: Vec<f64> = rhs.iter().zip(&fit).map(|(a, b)| a - b).collect();
            let dz = self.chol.solve(&self.correlate(&r));
            z.iter_mut().zip(&dz).for_each(|(a, b)| *a += b);
        }
        z
    }

    /// `G⁻¹ s` with two rounds of refinement.
    fn solve_signs(&self, n: usize) -> Vec<f64> {
        let mut w = self.chol.solve(&self.sign);
        for _ in 0..2 {
            let gw = self.correlate(&self.combine(&w, n));
            let r: Vec<f64> = self.sign.iter().zip(&gw).map(|(a, b)| a - b).collect();
            let dw = self.chol.solve(&r);
            w.iter_mut().zip(&dw).for_each(|(a, b)| *a += b);
        }
        w
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Basis pursuit by the homotopy; `cancel` is polled between steps.
pub fn basis_pursuit(
    x: &Array2<f64>,
    y: &[f64],
    cancel: &AtomicBool,
) -> Result<Certified, Failure> {
    let (active, steps) = walk(x, y, cancel, |_, _| {})?;
    certify(x, y, &active, steps)
}

/// Follows the path of `½‖y − Xβ‖² + λ‖β‖₁` from `λ = ‖Xᵀy‖_∞` to 0, calling `knot(λ, active)`
/// at the start and after every active-set change (the path is linear in λ between knots);
/// returns the final active set and the number of steps.
pub(super) fn walk(
    x: &Array2<f64>,
    y: &[f64],
    cancel: &AtomicBool,
    mut knot: impl FnMut(f64, &Active),
) -> Result<(Active, usize), Failure> {
    let (n, d) = x.dim();
    let mut c = xt_mul(x, y);
    let mut lambda = norm_inf(&c);
    let mut active = Active::default();
    let mut is_active = vec![false; d];
    let mut steps = 0;
    let mut just_dropped = None;
    knot(lambda, &active);
    if lambda == 0.0 {
        return Ok((active, 0));
    }
    let mut entering = c.iter().map(|v| v.abs()).position(|v| v == lambda);
    let max_steps = 8 * n + 64;
    while lambda > 0.0 {
        if cancel.load(Ordering::Relaxed) {
            return Err(Failure::Cancelled);
        }
        if let Some(j) = entering.take() {
            if !active.push(x, j, c[j].signum()) {
                return Err(Failure::Other(format!(
                    "column {j} is dependent on the {} active ones",
                    active.index.len()
                )));
            }
            is_active[j] = true;
        }
        steps += 1;
        if steps > max_steps {
            return Err(Failure::Other(format!("no end after {max_steps} steps")));
        }
        // Along the step, β_A += t·w and the correlations fall as c −= t·a, λ −= t.
        let w = active.chol.solve(&active.sign);
        let a = xt_mul(x, &active.combine(&w, n));
        let full = active.index.len() >= n;
        let mut step = lambda;
        let mut event = None;
        for j in 0..d {
            if is_active[j] || full || just_dropped == Some(j) {
                continue;
            }
            for t in [
                (lambda - c[j]) / (1.0 - a[j]),
                (lambda + c[j]) / (1.0 + a[j]),
            ] {
                if t > 0.0 && t < step {
                    (step, event) = (t, Some(Event::Enter(j)));
                }
            }
        }
        for (k, (b, wk)) in active.beta.iter().zip(&w).enumerate() {
            let t = -b / wk;
            if t > 0.0 && t < step {
                (step, event) = (t, Some(Event::Leave(k)));
            }
        }
        // Events at the very end of the path are the final segment's round-off: once y lies in
        // the span of X_A no column can enter before λ = 0, and the coefficients of active
        // columns outside the end point's support reach zero exactly at λ = 0. Acting on such
        // an event would continue the path at λ ~ 1e-15·λ₀, where every step is noise; the
        // end point's polish drops the coefficients that vanish there.
        if event.is_some() && step >= lambda * (1.0 - 1e-9) {
            (step, event) = (lambda, None);
        }
        active
            .beta
            .iter_mut()
            .zip(&w)
            .for_each(|(b, wk)| *b += step * wk);
        c.iter_mut().zip(&a).for_each(|(cj, aj)| *cj -= step * aj);
        lambda -= step;
        just_dropped = None;
        knot(if event.is_none() { 0.0 } else { lambda }, &active);
        match event {
            None => break,
            Some(Event::Enter(j)) => entering = Some(j),
            Some(Event::Leave(k)) => {
                let j = active.remove(k);
                is_active[j] = false;
                just_dropped = Some(j);
            }
        }
        if steps % 32 == 0 {
            // Refresh the correlations against drift: c = Xᵀ(y − X_A β_A).
            let fit = active.combine(&active.beta, n);
            let r: Vec<f64> = y.iter().zip(&fit).map(|(a, b)| a - b).collect();
            c = xt_mul(x, &r);
        }
    }
    Ok((active, steps))
}

/// What ends a homotopy step.
enum Event {
    Enter(usize),
    Leave(usize),
}

/// Re-solves `X_A β_A = y` on the final support and checks the LP's optimality conditions:
/// interpolation, signs equal to the path's, and a dual certificate `w = X_A G⁻¹ s` with
/// `‖Xᵀw‖_∞ ≤ 1` (then `yᵀw = ‖β‖₁`, so no interpolator has a smaller ℓ1 norm). Coefficients
/// that vanish at the end of the path (zero or of the wrong sign in the least squares) are
/// dropped and the rest re-solved until all keep their signs: w still certifies any
/// interpolator supported on A whose non-zero coefficients have the path's signs.
fn certify(
    x: &Array2<f64>,
    y: &[f64],
    active: &Active,
    steps: usize,
) -> Result<Certified, Failure> {
    let (n, d) = x.dim();
    let y_scale = norm_inf(y).max(1.0);
    let mut beta = vec![0.0; d];
    let mut dual_norm = 0.0;
    if !active.index.is_empty() {
        let mut support = active.clone();
        let mut b = support.least_squares(y, n);
        loop {
            let vanished: Vec<usize> = (0..b.len())
                .filter(|&k| b[k] * support.sign[k] <= 0.0)
                .collect();
            if vanished.is_empty() {
                break;
            }
            for &k in vanished.iter().rev() {
                support.remove(k);
            }
            b = support.least_squares(y, n);
        }
        for (&j, &v) in support.index.iter().zip(&b) {
            beta[j] = v;
        }
        let w = active.combine(&active.solve_signs(n), n);
        dual_norm = norm_inf(&xt_mul(x, &w));
    }
    let r = x_mul(x, &beta);
    let residual = r
        .iter()
        .zip(y)
        .fold(0.0f64, |m, (a, b)| m.max((a - b).abs()))
        / y_scale;
    if residual.is_nan() || residual > RESIDUAL_TOL {
        return Err(Failure::Other(format!(
            "the end point interpolates only to {residual:.1e}"
        )));
    }
    if dual_norm.is_nan() || dual_norm > 1.0 + DUAL_TOL {
        return Err(Failure::Other(format!(
            "the dual certificate has ‖Xᵀw‖_∞ = {dual_norm:.12} > 1"
        )));
    }
    Ok(Certified {
        beta,
        steps,
        residual,
        dual_norm,
    })
}
