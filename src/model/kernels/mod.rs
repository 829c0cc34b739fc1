//! The hot loops, compiled for several SIMD targets and chosen at run time.
//!
//! Every reduction has a fixed order of fused multiply-adds (exactly rounded on every target),
//! and the hand-vectorised AVX2 products of `avx2` perform the same operations per element, so
//! every target gives bit-identical results; no loop allocates.

use crate::platform::Madd;
use multiversion::multiversion;

#[cfg(target_arch = "x86_64")]
mod avx2;
pub mod full_batch;
mod update;

pub use update::{
    heavy_ball_update, multiplicative_update, one_sam_residuals, sam_update, sgd1_update,
    sgd1_update_dot,
};

/// Sums the accumulators in a fixed order (this form keeps the loops above it vectorised).
#[inline(always)]
fn reduce8(acc: [f64; 8]) -> f64 {
    acc.iter().sum()
}

/// Rows or columns combined per pass in the matrix–vector kernels.
const BLOCK: usize = 4;
const _: () = assert!(
    BLOCK == 4,
    "the blocked kernels unroll exactly four rows or columns"
);

/// Lanes of the vector accumulators.
const LANES: usize = 4;

/// `⟨a, b⟩`: two `LANES`-wide accumulators over alternate chunks, added lane-wise, the lanes
/// summed as `(l₀ + l₁) + (l₂ + l₃)`, then the remaining elements one fused multiply-add each.
#[inline(always)]
fn dot_body(a: &[f64], b: &[f64]) -> f64 {
    let (ac, at) = a.as_chunks::<LANES>();
    let (bc, bt) = b[..a.len()].as_chunks::<LANES>();
    let (ap, a_odd) = ac.as_chunks::<2>();
    let (bp, b_odd) = bc.as_chunks::<2>();
    let mut acc = [[0.0; LANES]; 2];
    for (x, y) in ap.iter().zip(bp) {
        for h in 0..2 {
            for l in 0..LANES {
                acc[h][l] = x[h][l].madd(y[h][l], acc[h][l]);
            }
        }
    }
    for (x, y) in a_odd.iter().zip(b_odd) {
        for l in 0..LANES {
            acc[0][l] = x[l].madd(y[l], acc[0][l]);
        }
    }
    let mut s = lane_sum(std::array::from_fn(|l| acc[0][l] + acc[1][l]));
    for (x, y) in at.iter().zip(bt) {
        s = x.madd(*y, s);
    }
    s
}

/// `(l₀ + l₁) + (l₂ + l₃)`.
#[inline(always)]
fn lane_sum(l: [f64; LANES]) -> f64 {
    (l[0] + l[1]) + (l[2] + l[3])
}

/// `⟨x, β⟩` with `β = (s + d)(s − d)/4` formed per element (no `s² − d²` cancellation).
#[inline(always)]
fn dot_beta_body(x: &[f64], s: &[f64], d: &[f64]) -> f64 {
    let n = x.len();
    let (xc, xr) = x.as_chunks::<8>();
    let (sc, sr) = s[..n].as_chunks::<8>();
    let (dc, dr) = d[..n].as_chunks::<8>();
    let mut acc = [0.0; 8];
    for ((a, b), c) in xc.iter().zip(sc).zip(dc) {
        for k in 0..8 {
            acc[k] = a[k].madd((b[k] + c[k]) * (b[k] - c[k]), acc[k]);
        }
    }
    let mut sum = reduce8(acc);
    for ((a, b), c) in xr.iter().zip(sr).zip(dr) {
        sum += a * ((b + c) * (b - c));
    }
    0.25 * sum
}

/// `⟨a, b⟩`.
#[multiversion(targets("x86_64+avx2+fma", "x86_64+sse4.1", "aarch64+neon"))]
pub fn dot(a: &[f64], b: &[f64]) -> f64 {
    dot_body(a, b)
}

/// `⟨x, β⟩` at the state `(s, d)`.
#[multiversion(targets("x86_64+avx2+fma", "x86_64+sse4.1", "aarch64+neon"))]
pub fn dot_beta(x: &[f64], s: &[f64], d: &[f64]) -> f64 {
    dot_beta_body(x, s, d)
}

/// `β = u ⊙ v = (s + d)(s − d)/4`.
#[multiversion(targets("x86_64+avx2+fma", "x86_64+sse4.1", "aarch64+neon"))]
pub fn beta_from_state(s: &[f64], d: &[f64], beta: &mut [f64]) {
    for ((b, x), y) in beta.iter_mut().zip(s).zip(d) {
        *b = 0.25 * ((x + y) * (x - y));
    }
}

/// `r_k = ⟨x_{rows[k]}, β⟩ − y_{rows[k]}` for the listed rows; returns `Σ r_k²`.
#[multiversion(targets("x86_64+avx2+fma", "x86_64+sse4.1", "aarch64+neon"))]
pub fn residuals_rows(x: &[f64], y: &[f64], beta: &[f64], rows: &[usize], r: &mut [f64]) -> f64 {
    let d = beta.len();
    let mut sq = 0.0;
    for (rk, &i) in r.iter_mut().zip(rows) {
        let ri = dot_body(&x[i * d..(i + 1) * d], beta) - y[i];
        *rk = ri;
        sq += ri * ri;
    }
    sq
}

/// `r = Xβ − y` for all rows of the row-major `x`; returns `‖r‖²`. The same numbers as
/// [`residuals_rows`] over `0..n`.
pub fn residuals_all(x: &[f64], y: &[f64], beta: &[f64], r: &mut [f64]) -> f64 {
    let r = &mut r[..y.len()];
    row_dots(x, beta, r);
    let mut sq = 0.0;
    for (ri, yi) in r.iter_mut().zip(y) {
        *ri -= yi;
        sq += *ri * *ri;
    }
    sq
}

/// `out_i = ⟨x_i, β⟩` for the first `out.len()` rows of the row-major `x`.
pub fn row_dots(x: &[f64], beta: &[f64], out: &mut [f64]) {
    #[cfg(target_arch = "x86_64")]
    if avx2::available() {
        // SAFETY: the CPU has AVX2 and FMA.
        return unsafe { avx2::row_dots(x, beta, out) };
    }
    row_dots_each(x, beta, out)
}

/// [`row_dots`] one row at a time.
#[multiversion(targets("x86_64+avx2+fma", "x86_64+sse4.1", "aarch64+neon"))]
fn row_dots_each(x: &[f64], beta: &[f64], out: &mut [f64]) {
    let d = beta.len();
    for (i, o) in out.iter_mut().enumerate() {
        *o = dot_body(&x[i * d..(i + 1) * d], beta);
    }
}

/// `out = Σ_k w_k x_{rows[k]}` (all rows if `None`).
pub fn xt_mul(x: &[f64], w: &[f64], rows: Option<&[usize]>, out: &mut [f64]) {
    out.fill(0.0);
    match rows {
        Some(rows) => {
            let d = out.len();
            for (&i, &a) in rows.iter().zip(w) {
                axpy(a, &x[i * d..(i + 1) * d], out);
            }
        }
        None => accumulate_rows(x, w, out),
    }
}

/// `out_k ← out_k + Σ_i c_i a_{ik}` for the `c.len()` rows of `a` (row length `out.len()`),
/// one fused multiply-add per row in row order, so every target gives the same bits.
pub fn accumulate_rows(a: &[f64], c: &[f64], out: &mut [f64]) {
    #[cfg(target_arch = "x86_64")]
    if c.len() * out.len() <= STRIPS_UP_TO && avx2::available() {
        // SAFETY: the CPU has AVX2 and FMA.
        return unsafe { avx2::accumulate_rows(a, c, out) };
    }
    accumulate_rows_blocked(a, c, out)
}

/// Largest matrix (elements) for the register strips of [`avx2::accumulate_rows`], which walk
/// the rows once per strip: beyond the L2 cache, streaming four rows a pass is faster (GD at
/// n = 20000, d = 1000 measured 37–39 steps/s against 31–35 with strips).
#[cfg(target_arch = "x86_64")]
const STRIPS_UP_TO: usize = 1 << 16;

/// [`accumulate_rows`] four rows a pass.
#[multiversion(targets("x86_64+avx2+fma", "x86_64+sse4.1", "aarch64+neon"))]
fn accumulate_rows_blocked(a: &[f64], c: &[f64], out: &mut [f64]) {
    let d = out.len();
    let blocks = c.len() / BLOCK;
    for blk in 0..blocks {
        let i = BLOCK * blk;
        let rows = &a[i * d..(i + BLOCK) * d];
        let (x0, x1, x2, x3) = (
            &rows[..d],
            &rows[d..2 * d],
            &rows[2 * d..3 * d],
            &rows[3 * d..4 * d],
        );
        let (w0, w1, w2, w3) = (c[i], c[i + 1], c[i + 2], c[i + 3]);
        for ((((o, a0), a1), a2), a3) in out.iter_mut().zip(x0).zip(x1).zip(x2).zip(x3) {
            *o = w3.madd(*a3, w2.madd(*a2, w1.madd(*a1, w0.madd(*a0, *o))));
        }
    }
    for i in BLOCK * blocks..c.len() {
        axpy_body(c[i], &a[i * d..(i + 1) * d], out);
    }
}

#[inline(always)]
fn axpy_body(a: f64, x: &[f64], out: &mut [f64]) {
    for (o, xv) in out.iter_mut().zip(x) {
        *o = a.madd(*xv, *o);
    }
}

/// `out ← out + a·x`.
#[multiversion(targets("x86_64+avx2+fma", "x86_64+sse4.1", "aarch64+neon"))]
fn axpy(a: f64, x: &[f64], out: &mut [f64]) {
    axpy_body(a, x, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deterministic values in [−1, 1) with varied exponents, so rounding order shows.
    pub(super) fn values(len: usize, seed: u64) -> Vec<f64> {
        let mut s = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        (0..len)
            .map(|_| {
                s ^= s << 13;
                s ^= s >> 7;
                s ^= s << 17;
                let unit = (s >> 11) as f64 / (1u64 << 53) as f64;
                (2.0 * unit - 1.0) * 10f64.powi((s % 7) as i32 - 3)
            })
            .collect()
    }

    #[test]
    fn the_fused_sgd_pass_equals_the_update_then_the_next_dot_bit_for_bit() {
        for (len, keep) in [1, 7, 8, 9, 16, 100, 101, 1003]
            .into_iter()
            .zip([1.0, 0.99].repeat(4))
        {
            let (xi, xn) = (values(len, 5), values(len, 6));
            let (s0, d0) = (values(len, 7), values(len, 8));
            let (mut s, mut d) = (s0.clone(), d0.clone());
            sgd1_update(&xi, -0.3, keep, &mut s, &mut d);
            let apart = dot_beta(&xn, &s, &d);
            let (mut fs, mut fd) = (s0.clone(), d0.clone());
            let ahead = values(len, 9);
            let fused = sgd1_update_dot(&xi, (-0.3, keep), &xn, &ahead, &mut fs, &mut fd);
            assert_eq!((fs, fd), (s.clone(), d.clone()), "state at d = {len}");
            assert_eq!(fused.to_bits(), apart.to_bits(), "⟨x, β⟩ at d = {len}");
            let dual: Vec<f64> = xi.iter().map(|x| -0.3 * x).collect();
            let (mut ms, mut md) = (s0, d0);
            multiplicative_update(&mut ms, &mut md, &dual, keep);
            assert_eq!((ms, md), (s, d), "the dense update at d = {len}");
        }
    }

    #[test]
    fn dispatched_products_match_the_portable_loops_bit_for_bit() {
        for (n, d) in [
            (40, 100),
            (7, 13),
            (4, 8),
            (9, 3),
            (1, 1),
            (13, 50),
            (40, 101),
            (150, 37),
            (130, 200),
        ] {
            let x = values(n * d, 1);
            let beta = values(d, 2);
            let w = values(n, 3);
            let (mut fast, mut each) = (vec![0.0; n], vec![0.0; n]);
            row_dots(&x, &beta, &mut fast);
            row_dots_each(&x, &beta, &mut each);
            assert_eq!(fast, each, "Xβ at n = {n}, d = {d}");
            for (i, f) in fast.iter().enumerate() {
                let exact: f64 = (0..d).map(|j| x[i * d + j] * beta[j]).sum();
                assert!((f - exact).abs() <= 1e-12 * (1.0 + exact.abs()));
            }
            let (mut fast, mut blocked) = (values(d, 4), values(d, 4));
            accumulate_rows(&x, &w, &mut fast);
            accumulate_rows_blocked(&x, &w, &mut blocked);
            assert_eq!(fast, blocked, "Xᵀw at n = {n}, d = {d}");
        }
    }
}
