//! The updates of the state `(s, d) = (u + v, u − v)`: the multiplicative update of a dual step
//! (with weight decay's factor), SGD's b = 1 update fused with the next step's dot product, and
//! heavy-ball momentum's. Without weight decay (`keep = 1`) the loops leave its multiply out.

use multiversion::multiversion;

use super::reduce8;
use crate::platform::Madd;

/// SGD's update with b = 1 on row `x_i`: `D = c·x_i` (`c = −γ r`), multiplied into `(s, d)`
/// as [`multiplicative_update`] does with the weight decay's factor `keep`.
#[multiversion(targets("x86_64+avx2+fma", "x86_64+sse4.1", "aarch64+neon"))]
pub fn sgd1_update(xi: &[f64], c: f64, keep: f64, s: &mut [f64], d: &mut [f64]) {
    match keep == 1.0 {
        true => update_body::<false>(|j| c * xi[j], keep, s, d, xi.len()),
        false => update_body::<true>(|j| c * xi[j], keep, s, d, xi.len()),
    }
}

/// `s ← D·s + keep·s`, `d ← −D·d + keep·d` for the first `len` coordinates, `D_j = dual(j)`.
#[inline(always)]
fn update_body<const DECAY: bool>(
    dual: impl Fn(usize) -> f64,
    keep: f64,
    s: &mut [f64],
    d: &mut [f64],
    len: usize,
) {
    let (s, d) = (&mut s[..len], &mut d[..len]);
    for j in 0..len {
        let dj = dual(j);
        s[j] = dj.madd(s[j], kept::<DECAY>(keep, s[j]));
        d[j] = (-dj).madd(d[j], kept::<DECAY>(keep, d[j]));
    }
}

/// [`sgd1_update`] fused with the next step's `⟨x_next, β⟩` at the updated state: one pass over
/// the state instead of two, the same bits as the update followed by [`super::dot_beta`]. The lines of
/// `ahead` (the row after next, or empty) are fetched into the cache along the way.
#[multiversion(targets("x86_64+avx2+fma", "x86_64+sse4.1", "aarch64+neon"))]
pub fn sgd1_update_dot(
    xi: &[f64],
    (c, keep): (f64, f64),
    x_next: &[f64],
    ahead: &[f64],
    s: &mut [f64],
    d: &mut [f64],
) -> f64 {
    match keep == 1.0 {
        true => sgd1_update_dot_body::<false>(xi, (c, keep), x_next, ahead, s, d),
        false => sgd1_update_dot_body::<true>(xi, (c, keep), x_next, ahead, s, d),
    }
}

/// `keep·x`, or `x` itself without weight decay (`DECAY` false: the multiply left out of the hot
/// loops, the same bits since `1·x = x`).
#[inline(always)]
fn kept<const DECAY: bool>(keep: f64, x: f64) -> f64 {
    if DECAY { keep * x } else { x }
}

#[inline(always)]
fn sgd1_update_dot_body<const DECAY: bool>(
    xi: &[f64],
    (c, keep): (f64, f64),
    x_next: &[f64],
    ahead: &[f64],
    s: &mut [f64],
    d: &mut [f64],
) -> f64 {
    let len = xi.len();
    let (xc, xr) = xi.as_chunks::<8>();
    let (nc, nr) = x_next[..len].as_chunks::<8>();
    let (sc, sr) = s[..len].as_chunks_mut::<8>();
    let (dc, dr) = d[..len].as_chunks_mut::<8>();
    let (ahead, _) = ahead.as_chunks::<8>();
    let mut acc = [0.0; 8];
    for (j, (((a, b), sv), dv)) in
        (xc.iter().zip(nc).zip(sc.iter_mut()).zip(dc.iter_mut())).enumerate()
    {
        if let Some(line) = ahead.get(j) {
            crate::platform::prefetch(line.as_ptr());
        }
        for k in 0..8 {
            let dj = c * a[k];
            sv[k] = dj.madd(sv[k], kept::<DECAY>(keep, sv[k]));
            dv[k] = (-dj).madd(dv[k], kept::<DECAY>(keep, dv[k]));
            acc[k] = b[k].madd((sv[k] + dv[k]) * (sv[k] - dv[k]), acc[k]);
        }
    }
    let mut sum = reduce8(acc);
    for (((a, b), sv), dv) in xr.iter().zip(nr).zip(sr.iter_mut()).zip(dr.iter_mut()) {
        let dj = c * a;
        *sv = dj.madd(*sv, kept::<DECAY>(keep, *sv));
        *dv = (-dj).madd(*dv, kept::<DECAY>(keep, *dv));
        sum += b * ((*sv + *dv) * (*sv - *dv));
    }
    0.25 * sum
}

/// The multiplicative update `u ← keep·u + D⊙v, v ← keep·v + D⊙u`, in the state `s = u + v`,
/// `d = u − v`: `s ← D·s + keep·s`, `d ← −D·d + keep·d` (one rounding each). `keep = 1 − 2γλ_wd`
/// is weight decay's shrinkage; at `keep = 1` this is exactly `s ← s(1 + D)`, `d ← d(1 − D)`.
#[multiversion(targets("x86_64+avx2+fma", "x86_64+sse4.1", "aarch64+neon"))]
pub fn multiplicative_update(s: &mut [f64], d: &mut [f64], dual: &[f64], keep: f64) {
    match keep == 1.0 {
        true => update_body::<false>(|j| dual[j], keep, s, d, dual.len()),
        false => update_body::<true>(|j| dual[j], keep, s, d, dual.len()),
    }
}

/// Heavy-ball momentum's update: [`multiplicative_update`]'s step plus `β_m` times the last
/// displacement, `s ← (D·s + keep·s) + β_m·v_s`, then `v_s ←` the displacement just made (and
/// `d` alike with `−D`).
#[multiversion(targets("x86_64+avx2+fma", "x86_64+sse4.1", "aarch64+neon"))]
pub fn heavy_ball_update(
    (s, d): (&mut [f64], &mut [f64]),
    dual: &[f64],
    (keep, beta): (f64, f64),
    (vs, vd): (&mut [f64], &mut [f64]),
) {
    let len = dual.len();
    let (s, d, vs, vd) = (&mut s[..len], &mut d[..len], &mut vs[..len], &mut vd[..len]);
    for j in 0..len {
        let dj = dual[j];
        let ns = beta.madd(vs[j], dj.madd(s[j], keep * s[j]));
        let nd = beta.madd(vd[j], (-dj).madd(d[j], keep * d[j]));
        vs[j] = ns - s[j];
        vd[j] = nd - d[j];
        s[j] = ns;
        d[j] = nd;
    }
}

/// SAM's update `s ← D·s + (E·s + keep·s)`, `d ← −D·d + (E·d + keep·d)`.
#[multiversion(targets("x86_64+avx2+fma", "x86_64+sse4.1", "aarch64+neon"))]
pub fn sam_update((s, d): (&mut [f64], &mut [f64]), dual: &[f64], e: &[f64], keep: f64) {
    for (((s, d), dj), ej) in s.iter_mut().zip(d.iter_mut()).zip(dual).zip(e) {
        *s = dj.madd(*s, ej.madd(*s, keep * *s));
        *d = (-dj).madd(*d, ej.madd(*d, keep * *d));
    }
}

/// 1-SAM's residuals at the n ascent points: with `a_i = two_rho·r_i` (r holds `Xβ − y` on
/// entry), `r_i ← scale·(⟨x_i, β⟩ + a_i⟨x_i², p⟩ + a_i²⟨x_i³, β⟩ − y_i)` and
/// `e ← Σ_i r_i a_i x_i²` (`p = (s² + d²)/2`).
#[multiversion(targets("x86_64+avx2+fma", "x86_64+sse4.1", "aarch64+neon"))]
pub fn one_sam_residuals(
    x: &[f64],
    y: &[f64],
    (beta, p): (&[f64], &[f64]),
    (two_rho, scale): (f64, f64),
    r: &mut [f64],
    e: &mut [f64],
) {
    let dim = beta.len();
    e.fill(0.0);
    for (i, (ri, yi)) in r.iter_mut().zip(y).enumerate() {
        let xi = &x[i * dim..(i + 1) * dim];
        let a = two_rho * *ri;
        let (mut fit, mut spread, mut cubic) = (0.0, 0.0, 0.0);
        for ((xj, bj), pj) in xi.iter().zip(beta).zip(p) {
            let x2 = xj * xj;
            fit = xj.madd(*bj, fit);
            spread = x2.madd(*pj, spread);
            cubic = (x2 * xj).madd(*bj, cubic);
        }
        let c = scale * (fit + a * spread + a * a * cubic - yi);
        let w = c * a;
        for (ej, xj) in e.iter_mut().zip(xi) {
            *ej = (w * xj).madd(*xj, *ej);
        }
        *ri = c;
    }
}
