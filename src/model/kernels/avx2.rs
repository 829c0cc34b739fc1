//! The two dense products of a full-batch step, `Xβ` and `Xᵀw`, with AVX2 and FMA.
//!
//! Each output element gets exactly the operations of the portable loops, in the same order, so
//! results are bit-identical; only the loads are shared: four rows of `Xβ` reuse each load of β,
//! and a strip of `Xᵀw` stays in registers for all rows.

use std::arch::x86_64::{
    __m256d, _mm256_add_pd, _mm256_fmadd_pd, _mm256_hadd_pd, _mm256_loadu_pd,
    _mm256_permute2f128_pd, _mm256_set1_pd, _mm256_setzero_pd, _mm256_storeu_pd,
};

use super::{LANES, dot_body};

/// Most vectors held in registers at once (16 registers: the strip, the broadcast, a spare).
const MAX_STRIP: usize = 12;

/// Whether this CPU has AVX2 and FMA (cached by the standard library after the first call).
pub fn available() -> bool {
    std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
}

/// `out_i = ⟨x_i, β⟩` for the first `out.len()` rows of the row-major `x`, as [`dot_body`] does,
/// four rows at a time.
///
/// # Safety
/// The CPU must have AVX2 and FMA (see [`available`]).
#[target_feature(enable = "avx2,fma")]
pub unsafe fn row_dots(x: &[f64], beta: &[f64], out: &mut [f64]) {
    let d = beta.len();
    assert!(
        x.len() >= out.len() * d,
        "x holds out.len() rows of beta.len()"
    );
    let chunks = d / LANES;
    let body = LANES * chunks;
    let quads = out.len() / 4;
    for q in 0..quads {
        let i = 4 * q;
        let mut even = [_mm256_setzero_pd(); 4];
        let mut odd = [_mm256_setzero_pd(); 4];
        // SAFETY: rows i..i + 4 are in `x` and every chunk ends at or before `body ≤ d`.
        let sums = unsafe {
            let rows = x.as_ptr().add(i * d);
            let b = beta.as_ptr();
            for k in 0..chunks / 2 {
                let j = 2 * LANES * k;
                let (b0, b1) = (_mm256_loadu_pd(b.add(j)), _mm256_loadu_pd(b.add(j + LANES)));
                for row in 0..4 {
                    let p = rows.add(row * d + j);
                    even[row] = _mm256_fmadd_pd(_mm256_loadu_pd(p), b0, even[row]);
                    odd[row] = _mm256_fmadd_pd(_mm256_loadu_pd(p.add(LANES)), b1, odd[row]);
                }
            }
            if chunks % 2 == 1 {
                let j = body - LANES;
                let b0 = _mm256_loadu_pd(b.add(j));
                for (row, even) in even.iter_mut().enumerate() {
                    *even = _mm256_fmadd_pd(_mm256_loadu_pd(rows.add(row * d + j)), b0, *even);
                }
            }
            let v: [__m256d; 4] = std::array::from_fn(|row| _mm256_add_pd(even[row], odd[row]));
            // [v0₀+v0₁, v1₀+v1₁, v0₂+v0₃, v1₂+v1₃] and the same for rows 2, 3.
            let (h01, h23) = (_mm256_hadd_pd(v[0], v[1]), _mm256_hadd_pd(v[2], v[3]));
            let low = _mm256_permute2f128_pd::<0x20>(h01, h23);
            let high = _mm256_permute2f128_pd::<0x31>(h01, h23);
            _mm256_add_pd(low, high)
        };
        let out = &mut out[i..i + 4];
        // SAFETY: `out` holds four elements.
        unsafe { _mm256_storeu_pd(out.as_mut_ptr(), sums) };
        if body < d {
            for (row, o) in out.iter_mut().enumerate() {
                let xi = &x[(i + row) * d..(i + row + 1) * d];
                for (a, b) in xi[body..].iter().zip(&beta[body..]) {
                    *o = a.mul_add(*b, *o);
                }
            }
        }
    }
    for i in 4 * quads..out.len() {
        out[i] = dot_body(&x[i * d..(i + 1) * d], beta);
    }
}

/// `out_k ← out_k + Σ_i c_i a[i·out.len() + k]`, rows in order.
///
/// # Safety
/// The CPU must have AVX2 and FMA (see [`available`]).
#[target_feature(enable = "avx2,fma")]
pub unsafe fn accumulate_rows(a: &[f64], c: &[f64], out: &mut [f64]) {
    let width = out.len();
    assert!(
        a.len() >= c.len() * width,
        "a holds c.len() rows of out.len()"
    );
    let vectors = width / LANES;
    let strips = vectors.div_ceil(MAX_STRIP);
    for s in 0..strips {
        let (first, end) = (vectors * s / strips, vectors * (s + 1) / strips);
        let start = first * LANES;
        // SAFETY: rows i < c.len() of `a` hold `width` elements and
        // start + LANES·(end − first) ≤ LANES·vectors ≤ width, so every access is in bounds.
        unsafe {
            let (a, out) = (a.as_ptr().add(start), out.as_mut_ptr().add(start));
            match end - first {
                1 => strip::<1>(a, width, c, out),
                2 => strip::<2>(a, width, c, out),
                3 => strip::<3>(a, width, c, out),
                4 => strip::<4>(a, width, c, out),
                5 => strip::<5>(a, width, c, out),
                6 => strip::<6>(a, width, c, out),
                7 => strip::<7>(a, width, c, out),
                8 => strip::<8>(a, width, c, out),
                9 => strip::<9>(a, width, c, out),
                10 => strip::<10>(a, width, c, out),
                11 => strip::<11>(a, width, c, out),
                MAX_STRIP => strip::<MAX_STRIP>(a, width, c, out),
                _ => unreachable!("a strip holds 1..=MAX_STRIP vectors"),
            }
        }
    }
    for k in vectors * LANES..width {
        for (i, &ci) in c.iter().enumerate() {
            out[k] = ci.mul_add(a[i * width + k], out[k]);
        }
    }
}

/// `V` vectors of `out` from `out` itself, plus `Σ_i c_i a[i·stride ..]`, back to `out`.
///
/// # Safety
/// AVX2 and FMA; `a[i·stride .. i·stride + 4V]` for i < c.len() and `out[.. 4V]` in bounds.
#[target_feature(enable = "avx2,fma")]
unsafe fn strip<const V: usize>(a: *const f64, stride: usize, c: &[f64], out: *mut f64) {
    // SAFETY: the caller guarantees the bounds.
    unsafe {
        let mut acc: [__m256d; V] = std::array::from_fn(|k| _mm256_loadu_pd(out.add(LANES * k)));
        for (i, &ci) in c.iter().enumerate() {
            let cv = _mm256_set1_pd(ci);
            let row = a.add(i * stride);
            for (k, acc) in acc.iter_mut().enumerate() {
                *acc = _mm256_fmadd_pd(cv, _mm256_loadu_pd(row.add(LANES * k)), *acc);
            }
        }
        for (k, acc) in acc.iter().enumerate() {
            _mm256_storeu_pd(out.add(LANES * k), *acc);
        }
    }
}
