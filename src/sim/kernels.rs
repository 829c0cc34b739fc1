//! The hot loops, compiled for several SIMD targets and chosen at run time.
//!
//! Reductions use eight independent accumulators in a fixed order and fused multiply-adds
//! (exactly rounded on every target), so every target gives bit-identical results; no loop
//! allocates.

use multiversion::multiversion;

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

#[inline(always)]
fn dot_body(a: &[f64], b: &[f64]) -> f64 {
    let (ac, ar) = a.as_chunks::<8>();
    let (bc, br) = b[..a.len()].as_chunks::<8>();
    let mut acc = [0.0; 8];
    for (x, y) in ac.iter().zip(bc) {
        for k in 0..8 {
            acc[k] = x[k].mul_add(y[k], acc[k]);
        }
    }
    let mut s = reduce8(acc);
    for (x, y) in ar.iter().zip(br) {
        s += x * y;
    }
    s
}

#[inline(always)]
fn dot3_body(x: &[f64], u: &[f64], v: &[f64]) -> f64 {
    let n = x.len();
    let (xc, xr) = x.as_chunks::<8>();
    let (uc, ur) = u[..n].as_chunks::<8>();
    let (vc, vr) = v[..n].as_chunks::<8>();
    let mut acc = [0.0; 8];
    for ((a, b), c) in xc.iter().zip(uc).zip(vc) {
        for k in 0..8 {
            acc[k] = a[k].mul_add(b[k] * c[k], acc[k]);
        }
    }
    let mut s = reduce8(acc);
    for ((a, b), c) in xr.iter().zip(ur).zip(vr) {
        s += a * (b * c);
    }
    s
}

/// `⟨a, b⟩`.
#[multiversion(targets("x86_64+avx2+fma", "x86_64+sse4.1", "aarch64+neon"))]
pub fn dot(a: &[f64], b: &[f64]) -> f64 {
    dot_body(a, b)
}

/// One SGD step with b = 1 on row `x_i`: `r = ⟨x_i, u⊙v⟩ − y_i`, `D = −γ r x_i`, then the
/// multiplicative update. Returns `r`.
#[multiversion(targets("x86_64+avx2+fma", "x86_64+sse4.1", "aarch64+neon"))]
pub fn sgd1_step(xi: &[f64], yi: f64, gamma: f64, u: &mut [f64], v: &mut [f64]) -> f64 {
    let r = dot3_body(xi, u, v) - yi;
    let c = -gamma * r;
    let d = xi.len();
    let (u, v) = (&mut u[..d], &mut v[..d]);
    for j in 0..d {
        let dj = c * xi[j];
        let (uj, vj) = (u[j], v[j]);
        u[j] = dj.mul_add(vj, uj);
        v[j] = dj.mul_add(uj, vj);
    }
    r
}

/// `β = u ⊙ v`.
#[multiversion(targets("x86_64+avx2+fma", "x86_64+sse4.1", "aarch64+neon"))]
pub fn hadamard(u: &[f64], v: &[f64], beta: &mut [f64]) {
    for ((b, x), y) in beta.iter_mut().zip(u).zip(v) {
        *b = x * y;
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

/// `r = Xβ − y` for all rows, from the column-major copy `xt = Xᵀ` (d rows of length n), as a
/// sum of columns, which has no reduction chains; returns `‖r‖²`.
#[multiversion(targets("x86_64+avx2+fma", "x86_64+sse4.1", "aarch64+neon"))]
pub fn residuals_all(xt: &[f64], y: &[f64], beta: &[f64], r: &mut [f64]) -> f64 {
    let n = y.len();
    let r = &mut r[..n];
    for (ri, yi) in r.iter_mut().zip(y) {
        *ri = -yi;
    }
    let blocks = beta.len() / BLOCK;
    for blk in 0..blocks {
        let j = BLOCK * blk;
        let c = &xt[j * n..(j + BLOCK) * n];
        let (c0, c1, c2, c3) = (&c[..n], &c[n..2 * n], &c[2 * n..3 * n], &c[3 * n..4 * n]);
        let (b0, b1, b2, b3) = (beta[j], beta[j + 1], beta[j + 2], beta[j + 3]);
        for ((((ri, x0), x1), x2), x3) in r.iter_mut().zip(c0).zip(c1).zip(c2).zip(c3) {
            *ri = b3.mul_add(*x3, b2.mul_add(*x2, b1.mul_add(*x1, b0.mul_add(*x0, *ri))));
        }
    }
    for j in BLOCK * blocks..beta.len() {
        axpy_body(beta[j], &xt[j * n..(j + 1) * n], r);
    }
    r.iter().map(|v| v * v).sum()
}

#[inline(always)]
fn axpy_body(a: f64, x: &[f64], out: &mut [f64]) {
    for (o, xv) in out.iter_mut().zip(x) {
        *o = a.mul_add(*xv, *o);
    }
}

/// `out = Σ_k w_k x_{rows[k]}` (all rows if `None`).
#[multiversion(targets("x86_64+avx2+fma", "x86_64+sse4.1", "aarch64+neon"))]
pub fn xt_mul(x: &[f64], w: &[f64], rows: Option<&[usize]>, out: &mut [f64]) {
    let d = out.len();
    out.fill(0.0);
    match rows {
        Some(rows) => {
            for (&i, &a) in rows.iter().zip(w) {
                axpy_body(a, &x[i * d..(i + 1) * d], out);
            }
        }
        None => {
            let blocks = w.len() / BLOCK;
            for blk in 0..blocks {
                let i = BLOCK * blk;
                let c = &x[i * d..(i + BLOCK) * d];
                let (x0, x1, x2, x3) = (&c[..d], &c[d..2 * d], &c[2 * d..3 * d], &c[3 * d..4 * d]);
                let (w0, w1, w2, w3) = (w[i], w[i + 1], w[i + 2], w[i + 3]);
                for ((((o, a0), a1), a2), a3) in out.iter_mut().zip(x0).zip(x1).zip(x2).zip(x3) {
                    *o = w3.mul_add(*a3, w2.mul_add(*a2, w1.mul_add(*a1, w0.mul_add(*a0, *o))));
                }
            }
            for i in BLOCK * blocks..w.len() {
                axpy_body(w[i], &x[i * d..(i + 1) * d], out);
            }
        }
    }
}

/// The multiplicative update `u ← u + D⊙v, v ← v + D⊙u` (simultaneous).
#[multiversion(targets("x86_64+avx2+fma", "x86_64+sse4.1", "aarch64+neon"))]
pub fn multiplicative_update(u: &mut [f64], v: &mut [f64], dual: &[f64]) {
    let d = dual.len();
    let (u, v) = (&mut u[..d], &mut v[..d]);
    for j in 0..d {
        let (uj, vj, dj) = (u[j], v[j], dual[j]);
        u[j] = dj.mul_add(vj, uj);
        v[j] = dj.mul_add(uj, vj);
    }
}
