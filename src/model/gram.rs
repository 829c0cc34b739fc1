//! Systems with the weighted Gram matrix `H = X diag(w) Xᵀ` (n × n): by Cholesky of the formed
//! matrix when n is small, and matrix-free by preconditioned conjugate gradients when it is
//! large, each product `H v = X (w ⊙ Xᵀv)` costing O(n·d) (docs/solver.md).

use crate::platform::Madd;
use faer::linalg::solvers::{Llt, Solve};
use faer::{Mat, Side};
use multiversion::multiversion;
use ndarray::Array2;
use rayon::prelude::*;

use super::error::SimError;
use super::linalg::weighted_gram;

/// Largest n at which systems are solved densely when the choice is automatic.
pub const DENSE_MAX_N: usize = 300;

/// Most columns the preconditioner treats exactly.
const MAX_EXACT_COLUMNS: usize = 400;

/// Most conjugate-gradient iterations of one solve.
const MAX_ITERATIONS: usize = 1000;

/// How to solve with `H`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Strategy {
    /// Dense for `n ≤ DENSE_MAX_N`, iterative above.
    #[default]
    Auto,
    /// Form H and factor it.
    Dense,
    /// Preconditioned conjugate gradients on products with H.
    Iterative,
}

/// `H = X diag(w) Xᵀ`, ready to solve with.
pub struct WeightedGram<'a> {
    x: &'a Array2<f64>,
    w: &'a [f64],
    kind: Kind,
}

enum Kind {
    Dense(Llt<f64>),
    Iterative(Woodbury),
}

/// An approximate solve: the iterate and how it was reached.
pub struct Solved {
    /// The solution (the last iterate if the tolerance was not reached).
    pub z: Vec<f64>,
    /// Whether `‖b − Hz‖₂ ≤ tol·‖b‖₂` was reached (always true for the dense solve).
    pub converged: bool,
}

impl<'a> WeightedGram<'a> {
    /// Prepares solves with `X diag(w) Xᵀ` (`w > 0`).
    pub fn new(
        x: &'a Array2<f64>,
        w: &'a [f64],
        strategy: Strategy,
    ) -> Result<WeightedGram<'a>, SimError> {
        let dense = match strategy {
            Strategy::Auto => x.nrows() <= DENSE_MAX_N,
            Strategy::Dense => true,
            Strategy::Iterative => false,
        };
        let kind = if dense {
            Kind::Dense(weighted_gram(x, w).llt(Side::Lower).map_err(|_| {
                SimError::Numerical("matrix is not positive definite (rank-deficient X?)".into())
            })?)
        } else {
            Kind::Iterative(Woodbury::new(x, w)?)
        };
        Ok(WeightedGram { x, w, kind })
    }

    /// `H v`, in one pass over X; from `n·d ≥ 2²⁰` on every core, over [`SLICES`] fixed column
    /// slices whose partial products are added in slice order (the same result for any number
    /// of threads).
    pub fn apply(&self, v: &[f64]) -> Vec<f64> {
        let x = self.x.as_slice().expect("standard layout");
        let d = self.w.len();
        let mut out = vec![0.0; v.len()];
        if v.len() * d < PARALLEL_FROM {
            weighted_gram_product(x, self.w, v, 0..d, &mut out);
            return out;
        }
        let width = d.div_ceil(SLICES).next_multiple_of(COLUMN_BLOCK);
        let partials: Vec<Vec<f64>> = (0..d.div_ceil(width))
            .into_par_iter()
            .map(|k| {
                let mut part = vec![0.0; v.len()];
                let columns = k * width..((k + 1) * width).min(d);
                weighted_gram_product(x, self.w, v, columns, &mut part);
                part
            })
            .collect();
        for part in &partials {
            out.iter_mut().zip(part).for_each(|(o, p)| *o += p);
        }
        out
    }

    /// Solves `H z = b`: exactly when dense, else by conjugate gradients from `guess` (or 0)
    /// until `‖b − Hz‖₂ ≤ tol·‖b‖₂`.
    pub fn solve(&self, b: &[f64], tol: f64, guess: Option<&[f64]>) -> Solved {
        match &self.kind {
            Kind::Dense(llt) => {
                let rhs = Mat::<f64>::from_fn(b.len(), 1, |i, _| b[i]);
                let z = llt.solve(&rhs);
                Solved {
                    z: (0..b.len()).map(|i| z[(i, 0)]).collect(),
                    converged: true,
                }
            }
            Kind::Iterative(pre) => self.conjugate_gradients(pre, b, tol, guess),
        }
    }

    fn conjugate_gradients(
        &self,
        pre: &Woodbury,
        b: &[f64],
        tol: f64,
        guess: Option<&[f64]>,
    ) -> Solved {
        let goal = tol * dot(b, b).sqrt();
        let mut z = guess.map_or_else(|| vec![0.0; b.len()], <[f64]>::to_vec);
        let mut r: Vec<f64> = match guess {
            Some(_) => b.iter().zip(self.apply(&z)).map(|(b, h)| b - h).collect(),
            None => b.to_vec(),
        };
        let mut s = pre.apply(&r);
        let mut p = s.clone();
        let mut rs = dot(&r, &s);
        for _ in 0..MAX_ITERATIONS {
            if dot(&r, &r).sqrt() <= goal {
                return Solved { z, converged: true };
            }
            let q = self.apply(&p);
            let pq = dot(&p, &q);
            if pq.is_nan() || pq <= 0.0 {
                break;
            }
            let step = rs / pq;
            z.iter_mut().zip(&p).for_each(|(z, p)| *z += step * p);
            r.iter_mut().zip(&q).for_each(|(r, q)| *r -= step * q);
            s = pre.apply(&r);
            let rs_next = dot(&r, &s);
            let beta = rs_next / rs;
            rs = rs_next;
            p.iter_mut().zip(&s).for_each(|(p, s)| *p = beta * *p + s);
        }
        let converged = dot(&r, &r).sqrt() <= goal;
        Solved { z, converged }
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Columns per block of [`weighted_gram_product`]: a block of a thousand rows (256 KB) stays in
/// the L2 cache between its two uses.
const COLUMN_BLOCK: usize = 32;

/// Fewest entries of X for which [`WeightedGram::apply`] uses every core.
const PARALLEL_FROM: usize = 1 << 20;

/// Column slices of a parallel product.
const SLICES: usize = 8;

/// `out += X_C (w_C ⊙ X_Cᵀv)` over the columns C of row-major `x` (`v.len()` rows of `w.len()`
/// columns), one column block at a time, so that X is read from memory once.
#[multiversion(targets("x86_64+avx2+fma", "x86_64+sse4.1", "aarch64+neon"))]
fn weighted_gram_product(
    x: &[f64],
    w: &[f64],
    v: &[f64],
    columns: std::ops::Range<usize>,
    out: &mut [f64],
) {
    let d = w.len();
    let mut t = [0.0; COLUMN_BLOCK];
    for j0 in columns.clone().step_by(COLUMN_BLOCK) {
        let width = COLUMN_BLOCK.min(columns.end - j0);
        let t = &mut t[..width];
        t.fill(0.0);
        for (i, vi) in v.iter().enumerate() {
            let row = &x[i * d + j0..i * d + j0 + width];
            for (tk, xk) in t.iter_mut().zip(row) {
                *tk = vi.madd(*xk, *tk);
            }
        }
        for (tk, wk) in t.iter_mut().zip(&w[j0..j0 + width]) {
            *tk *= wk;
        }
        for (i, o) in out.iter_mut().enumerate() {
            let row = &x[i * d + j0..i * d + j0 + width];
            let mut acc = [0.0; 4];
            let (rc, rr) = row.as_chunks::<4>();
            let (tc, tr) = t.as_chunks::<4>();
            for (a, b) in rc.iter().zip(tc) {
                for l in 0..4 {
                    acc[l] = a[l].madd(b[l], acc[l]);
                }
            }
            let mut s = (acc[0] + acc[1]) + (acc[2] + acc[3]);
            for (a, b) in rr.iter().zip(tr) {
                s = a.madd(*b, s);
            }
            *o += s;
        }
    }
}

/// The preconditioner `P = D + X_B W_B X_Bᵀ`: the columns B that carry the most weight
/// (`w_j ‖x_j‖²`) exactly, the rest by the diagonal D of its own part `X_R W_R X_Rᵀ`; applied
/// by the Woodbury identity `P⁻¹ = D⁻¹ − D⁻¹X_B (W_B⁻¹ + X_BᵀD⁻¹X_B)⁻¹ X_BᵀD⁻¹`.
struct Woodbury {
    d_inv: Vec<f64>,
    xb: Mat<f64>,
    core: Option<Llt<f64>>,
}

impl Woodbury {
    fn new(x: &Array2<f64>, w: &[f64]) -> Result<Woodbury, SimError> {
        let (n, d) = x.dim();
        let mut col_sq = vec![0.0; d];
        for row in x.rows() {
            for (c, v) in col_sq.iter_mut().zip(row) {
                *c += v * v;
            }
        }
        let effective: Vec<f64> = w.iter().zip(&col_sq).map(|(w, c)| w * c).collect();
        let mut order: Vec<usize> = (0..d).collect();
        order.sort_unstable_by(|&a, &b| effective[b].total_cmp(&effective[a]));
        // Keep columns exactly until the rest is spread over ≥ 4n effective columns, where its
        // part of H is close to a multiple of the identity (Marchenko–Pastur).
        let (mut s1, mut s2) = (vec![0.0; d + 1], vec![0.0; d + 1]);
        for k in (0..d).rev() {
            let e = effective[order[k]];
            s1[k] = s1[k + 1] + e;
            s2[k] = s2[k + 1] + e * e;
        }
        let cap = MAX_EXACT_COLUMNS.min(n / 2).min(d);
        let k = (0..cap)
            .find(|&k| s2[k] == 0.0 || s1[k] * s1[k] >= 4.0 * n as f64 * s2[k])
            .unwrap_or(cap);
        let exact = &order[..k];
        let mut rest_w = w.to_vec();
        exact.iter().for_each(|&j| rest_w[j] = 0.0);
        let d_inv: Vec<f64> = x
            .rows()
            .into_iter()
            .map(|row| {
                let s: f64 = row.iter().zip(&rest_w).map(|(v, w)| w * v * v).sum();
                1.0 / s.max(f64::MIN_POSITIVE)
            })
            .collect();
        let xb = Mat::<f64>::from_fn(n, k, |i, t| x[(i, exact[t])]);
        let core = if k == 0 {
            None
        } else {
            let scaled = Mat::<f64>::from_fn(n, k, |i, t| xb[(i, t)] * d_inv[i].sqrt());
            let mut m = scaled.transpose() * &scaled;
            for (t, &j) in exact.iter().enumerate() {
                m[(t, t)] += 1.0 / w[j];
            }
            Some(m.llt(Side::Lower).map_err(|_| {
                SimError::Numerical("implicit-bias preconditioner is not positive definite".into())
            })?)
        };
        Ok(Woodbury { d_inv, xb, core })
    }

    fn apply(&self, r: &[f64]) -> Vec<f64> {
        let mut u: Vec<f64> = r.iter().zip(&self.d_inv).map(|(r, d)| r * d).collect();
        let Some(core) = &self.core else {
            return u;
        };
        let k = self.xb.ncols();
        let t = Mat::<f64>::from_fn(k, 1, |c, _| {
            (0..u.len()).map(|i| self.xb[(i, c)] * u[i]).sum()
        });
        let s = core.solve(&t);
        let back = &self.xb * &s;
        for (i, ui) in u.iter_mut().enumerate() {
            *ui -= self.d_inv[i] * back[(i, 0)];
        }
        u
    }
}
