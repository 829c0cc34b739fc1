//! Dense linear algebra on the design matrix, through faer.

use faer::linalg::solvers::Solve;
use faer::{Mat, Side};
use ndarray::Array2;

use super::error::SimError;
use super::kernels;

/// `X v` for row-major `X`.
pub fn x_mul(x: &Array2<f64>, v: &[f64]) -> Vec<f64> {
    let mut out = vec![0.0; x.nrows()];
    kernels::row_dots(x.as_slice().expect("standard layout"), v, &mut out);
    out
}

/// `Xᵀ w`.
pub fn xt_mul(x: &Array2<f64>, w: &[f64]) -> Vec<f64> {
    let mut out = vec![0.0; x.ncols()];
    kernels::xt_mul(x.as_slice().expect("standard layout"), w, None, &mut out);
    out
}

/// `X diag(w) Xᵀ` (n × n), with `w ≥ 0`.
pub fn weighted_gram(x: &Array2<f64>, w: &[f64]) -> Mat<f64> {
    let scaled = Mat::<f64>::from_fn(x.nrows(), x.ncols(), |i, j| x[(i, j)] * w[j].sqrt());
    &scaled * scaled.transpose()
}

/// The largest eigenvalue of a symmetric matrix.
pub fn lambda_max(m: &Mat<f64>) -> Result<f64, SimError> {
    let values = m
        .self_adjoint_eigenvalues(Side::Lower)
        .map_err(|e| SimError::Numerical(format!("eigenvalue solver failed: {e:?}")))?;
    Ok(values.last().copied().unwrap_or(0.0))
}

/// The rank of `X`'s rows: the eigenvalues of `XXᵀ` above `1e-10·λ_max` (singular values above
/// `1e-5·σ_max`, well above the Gram's round-off).
pub fn row_rank(x: &Array2<f64>) -> Result<usize, SimError> {
    let values = weighted_gram(x, &vec![1.0; x.ncols()])
        .self_adjoint_eigenvalues(Side::Lower)
        .map_err(|e| SimError::Numerical(format!("eigenvalue solver failed: {e:?}")))?;
    let top = values.last().copied().unwrap_or(0.0);
    Ok(values.iter().filter(|&&v| v > 1e-10 * top).count())
}

/// Solves `H z = b` for symmetric positive-definite `H` (Cholesky).
pub fn spd_solve(h: &Mat<f64>, b: &[f64]) -> Result<Vec<f64>, SimError> {
    let llt = h.llt(Side::Lower).map_err(|_| {
        SimError::Numerical("matrix is not positive definite (rank-deficient X?)".into())
    })?;
    let rhs = Mat::<f64>::from_fn(b.len(), 1, |i, _| b[i]);
    let z = llt.solve(&rhs);
    Ok((0..b.len()).map(|i| z[(i, 0)]).collect())
}

/// `‖a‖_∞`.
pub fn norm_inf(a: &[f64]) -> f64 {
    a.iter().fold(0.0, |m, v| m.max(v.abs()))
}

/// `‖a‖₁`.
pub fn norm1(a: &[f64]) -> f64 {
    a.iter().map(|v| v.abs()).sum()
}

/// `‖a‖₂`.
pub fn norm2(a: &[f64]) -> f64 {
    kernels::dot(a, a).sqrt()
}

/// `‖a − b‖₂`.
pub fn dist2(a: &[f64], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y) * (x - y))
        .sum::<f64>()
        .sqrt()
}
