//! The reference interpolators: minimum ℓ2 `Xᵀ(XXᵀ)⁻¹y` and minimum ℓ1 (basis pursuit) — by the
//! Lasso homotopy with an optimality certificate, and by a linear program (Clarabel) as the check
//! on small problems and the fallback when the homotopy fails (docs/solver.md).

use std::fmt;
use std::sync::atomic::AtomicBool;

use clarabel::algebra::CscMatrix;
use clarabel::solver::{
    DefaultSettingsBuilder, DefaultSolver, IPSolver, NonnegativeConeT, SolverStatus, ZeroConeT,
};
use ndarray::Array2;

use super::error::SimError;
use super::gram::{Strategy, WeightedGram};
use super::homotopy::{self, Failure};
use super::linalg::{norm_inf, spd_solve, x_mul, xt_mul};

/// Relative interpolation residual the minimum-ℓ2 solve must reach.
const L2_RESIDUAL: f64 = 1e-12;

/// The minimum-ℓ2 interpolator `Xᵀ(XXᵀ)⁻¹y`: by Cholesky of `XXᵀ` for small n, by conjugate
/// gradients on products with `XXᵀ` for large n (Cholesky again if they fall short).
pub fn min_l2(x: &Array2<f64>, y: &[f64]) -> Result<Vec<f64>, SimError> {
    let (n, d) = x.dim();
    if n >= d {
        return Err(SimError::NotOverparametrised {
            n,
            d,
            what: "the minimum-ℓ2 interpolator",
        });
    }
    let ones = vec![1.0; d];
    let scale = norm_inf(y).max(1.0);
    let gram = WeightedGram::new(x, &ones, Strategy::Auto)?;
    let beta = xt_mul(x, &gram.solve(y, 1e-14, None).z);
    let residual = (x_mul(x, &beta).iter().zip(y)).fold(0.0f64, |m, (a, b)| m.max((a - b).abs()));
    if residual <= L2_RESIDUAL * scale {
        return Ok(beta);
    }
    let dense = WeightedGram::new(x, &ones, Strategy::Dense)?;
    Ok(xt_mul(x, &dense.solve(y, 0.0, None).z))
}

/// How basis pursuit was solved.
#[derive(Clone, Debug, PartialEq)]
pub enum L1Solver {
    /// The homotopy, certified optimal, after this many active-set changes.
    Homotopy {
        /// Active-set changes along the path.
        steps: usize,
    },
    /// The linear program, because the homotopy failed for this reason.
    Lp {
        /// Why the homotopy was not used.
        reason: String,
    },
}

impl fmt::Display for L1Solver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            L1Solver::Homotopy { steps } => write!(f, "homotopy ({steps} steps, certified)"),
            L1Solver::Lp { reason } => write!(f, "LP (the homotopy failed: {reason})"),
        }
    }
}

/// Basis pursuit `min ‖β‖₁ s.t. Xβ = y` (see [`basis_pursuit_solve`]).
pub fn basis_pursuit(x: &Array2<f64>, y: &[f64]) -> Result<Vec<f64>, SimError> {
    Ok(basis_pursuit_solve(x, y, &AtomicBool::new(false))?.0)
}

/// Basis pursuit by the homotopy, falling back to the LP when it fails; returns β and which
/// solver gave it. `cancel` stops the homotopy between steps ([`SimError::Cancelled`]).
pub fn basis_pursuit_solve(
    x: &Array2<f64>,
    y: &[f64],
    cancel: &AtomicBool,
) -> Result<(Vec<f64>, L1Solver), SimError> {
    let (n, d) = x.dim();
    if n >= d {
        return Err(SimError::NotOverparametrised {
            n,
            d,
            what: "basis pursuit",
        });
    }
    match homotopy::basis_pursuit(x, y, cancel) {
        Ok(c) => Ok((c.beta, L1Solver::Homotopy { steps: c.steps })),
        Err(Failure::Cancelled) => Err(SimError::Cancelled),
        Err(Failure::Other(reason)) => Ok((basis_pursuit_lp(x, y)?, L1Solver::Lp { reason })),
    }
}

/// Basis pursuit as the LP `min 1ᵀ(p+m), X(p−m) = y, p, m ≥ 0` solved by Clarabel, then
/// polished by least squares on the support it found (slow beyond a few hundred samples).
pub fn basis_pursuit_lp(x: &Array2<f64>, y: &[f64]) -> Result<Vec<f64>, SimError> {
    let (n, d) = x.dim();
    if n >= d {
        return Err(SimError::NotOverparametrised {
            n,
            d,
            what: "basis pursuit",
        });
    }
    // A = [X, −X; −I] with rows: n equalities, 2d non-negativity constraints.
    let (mut colptr, mut rowval, mut nzval) = (vec![0], Vec::new(), Vec::new());
    for k in 0..2 * d {
        let (j, sign) = if k < d { (k, 1.0) } else { (k - d, -1.0) };
        for i in 0..n {
            rowval.push(i);
            nzval.push(sign * x[(i, j)]);
        }
        rowval.push(n + k);
        nzval.push(-1.0);
        colptr.push(rowval.len());
    }
    let a = CscMatrix::new(n + 2 * d, 2 * d, colptr, rowval, nzval);
    let p = CscMatrix::<f64>::zeros((2 * d, 2 * d));
    let q = vec![1.0; 2 * d];
    let mut b = y.to_vec();
    b.resize(n + 2 * d, 0.0);
    let cones = [ZeroConeT(n), NonnegativeConeT(2 * d)];
    let settings = DefaultSettingsBuilder::default()
        .verbose(false)
        .tol_gap_abs(1e-12)
        .tol_gap_rel(1e-12)
        .tol_feas(1e-12)
        .max_iter(200)
        .build()
        .map_err(|e| SimError::Numerical(format!("basis pursuit settings: {e}")))?;
    let mut solver = DefaultSolver::new(&p, &q, &a, &b, &cones, settings)
        .map_err(|e| SimError::Numerical(format!("basis pursuit: {e}")))?;
    solver.solve();
    if !matches!(
        solver.solution.status,
        SolverStatus::Solved | SolverStatus::AlmostSolved
    ) {
        return Err(SimError::Numerical(format!(
            "basis pursuit: LP solver ended with {:?}",
            solver.solution.status
        )));
    }
    let sol = &solver.solution.x;
    let beta: Vec<f64> = (0..d).map(|j| sol[j] - sol[d + j]).collect();
    Ok(polish_on_support(x, y, beta))
}

/// Re-solves `X_S β_S = y` on the support S of an LP solution, keeping it if it is exact.
fn polish_on_support(x: &Array2<f64>, y: &[f64], beta: Vec<f64>) -> Vec<f64> {
    let scale = norm_inf(&beta);
    let support: Vec<usize> = (0..beta.len())
        .filter(|&j| beta[j].abs() > 1e-7 * scale)
        .collect();
    if support.is_empty() || support.len() > x.nrows() {
        return beta;
    }
    let xs = x.select(ndarray::Axis(1), &support);
    let gram = faer::Mat::<f64>::from_fn(support.len(), support.len(), |a, b| {
        xs.column(a).dot(&xs.column(b))
    });
    let rhs: Vec<f64> = (0..support.len())
        .map(|a| xs.column(a).dot(&ndarray::ArrayView1::from(y)))
        .collect();
    let Ok(sub) = spd_solve(&gram, &rhs) else {
        return beta;
    };
    let mut polished = vec![0.0; beta.len()];
    for (&j, v) in support.iter().zip(&sub) {
        polished[j] = *v;
    }
    let same_signs = support
        .iter()
        .all(|&j| polished[j].signum() == beta[j].signum());
    let residual = norm_inf(
        &x_mul(x, &polished)
            .iter()
            .zip(y)
            .map(|(a, b)| a - b)
            .collect::<Vec<_>>(),
    );
    if same_signs && residual <= 1e-9 * norm_inf(y).max(1.0) {
        polished
    } else {
        beta
    }
}
