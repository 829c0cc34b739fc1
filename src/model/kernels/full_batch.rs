//! A full-batch step's two products: `r = Xβ − y`, `w = c·r`, `out = Xᵀw`.
//!
//! Small problems run the two products one after the other. Large problems (`n·d ≥
//! CHUNKED_FROM`) split the rows into about [`CHUNKS`] fixed slices: in each, four rows at a time
//! have their residuals formed and added into the slice's `Xᵀw` while still in cache, so `X`
//! streams from memory once a step instead of twice; the slices' sums are added in slice order.
//! The slicing depends on `n` alone, so the result is the same for any number of threads, and
//! rayon's pool runs the slices on every core. Each element gets exactly the operations of the
//! two separate products over its slice ([`super::residuals_all`], then
//! [`super::accumulate_rows`]).

use rayon::prelude::*;

use super::{BLOCK, accumulate_rows, residuals_all, row_dots};

/// Fewest matrix entries for which the rows are split into [`CHUNKS`] slices.
pub const CHUNKED_FROM: usize = 1 << 20;

/// Row slices of a chunked pass (fewer when `n` does not divide into this many).
pub const CHUNKS: usize = 8;

/// Scratch for [`pass`]: the chunks' partial products and sums.
#[derive(Clone, Debug, Default)]
pub struct Partials {
    sums: Vec<f64>,
    squares: Vec<f64>,
}

impl Partials {
    /// Scratch for an `n × d` problem (empty unless the pass is chunked).
    pub fn new(n: usize, d: usize) -> Partials {
        let rows = chunk_rows(n, d);
        if rows >= n {
            return Partials::default();
        }
        let chunks = n.div_ceil(rows);
        Partials {
            sums: vec![0.0; chunks * d],
            squares: vec![0.0; chunks],
        }
    }
}

/// Rows per slice of a pass over an `n × d` matrix (`n`: one chain over all rows).
pub fn chunk_rows(n: usize, d: usize) -> usize {
    if n * d >= CHUNKED_FROM {
        n.div_ceil(CHUNKS)
    } else {
        n.max(1)
    }
}

/// `r ← c·(Xβ − y)` and `out ← Xᵀr` for the row-major `x` (`y.len()` rows of `beta.len()`);
/// returns `‖Xβ − y‖²`. Uses the threads of rayon's pool when the pass is chunked.
pub fn pass(
    x: &[f64],
    y: &[f64],
    beta: &[f64],
    c: f64,
    r: &mut [f64],
    out: &mut [f64],
    partials: &mut Partials,
) -> f64 {
    let (n, d) = (y.len(), beta.len());
    let rows = chunk_rows(n, d);
    if rows >= n {
        // One chain: the two products one after the other measured faster here (at 40 × 100
        // the register strips of `Xᵀr` walk all rows once) than the four-row interleave.
        let sq = residuals_all(x, y, beta, &mut r[..n]);
        r[..n].iter_mut().for_each(|ri| *ri *= c);
        out.fill(0.0);
        accumulate_rows(x, &r[..n], out);
        return sq;
    }
    assert_eq!(
        partials.squares.len(),
        n.div_ceil(rows),
        "scratch made for this size"
    );
    (partials.sums.par_chunks_mut(d))
        .zip(partials.squares.par_iter_mut())
        .zip(r[..n].par_chunks_mut(rows))
        .zip(x[..n * d].par_chunks(rows * d))
        .zip(y.par_chunks(rows))
        .for_each(|((((sum, sq), rk), xk), yk)| {
            sum.fill(0.0);
            *sq = rows_pass(xk, yk, beta, c, rk, sum);
        });
    let (sums, chunks) = (&partials.sums, partials.squares.len());
    (out.par_chunks_mut(4096).enumerate()).for_each(|(b, o)| {
        let start = 4096 * b;
        o.copy_from_slice(&sums[start..start + o.len()]);
        for k in 1..chunks {
            let part = &sums[k * d + start..k * d + start + o.len()];
            o.iter_mut().zip(part).for_each(|(a, p)| *a += p);
        }
    });
    partials.squares.iter().sum()
}

/// One chain over the rows of `x`: residuals, scaled, added into `out`, [`BLOCK`] rows at a time.
fn rows_pass(x: &[f64], y: &[f64], beta: &[f64], c: f64, r: &mut [f64], out: &mut [f64]) -> f64 {
    let d = beta.len();
    let mut sq = 0.0;
    for (k, (rb, yb)) in r.chunks_mut(BLOCK).zip(y.chunks(BLOCK)).enumerate() {
        let rows = &x[k * BLOCK * d..(k * BLOCK + rb.len()) * d];
        row_dots(rows, beta, rb);
        for (ri, yi) in rb.iter_mut().zip(yb) {
            *ri -= yi;
            sq += *ri * *ri;
            *ri *= c;
        }
        accumulate_rows(rows, rb, out);
    }
    sq
}

#[cfg(test)]
mod tests {
    use super::super::{tests::values, xt_mul};
    use super::*;

    /// The portable reference: the two products one after the other, per slice, summed in order.
    fn reference(x: &[f64], y: &[f64], beta: &[f64], c: f64) -> (Vec<f64>, Vec<f64>, f64) {
        let (n, d) = (y.len(), beta.len());
        let rows = chunk_rows(n, d);
        let (mut r, mut out, mut sq) = (vec![0.0; n], vec![0.0; d], 0.0);
        for k in 0..n.div_ceil(rows) {
            let (lo, hi) = (k * rows, (k * rows + rows).min(n));
            let xs = &x[lo * d..hi * d];
            sq += residuals_all(xs, &y[lo..hi], beta, &mut r[lo..hi]);
            r[lo..hi].iter_mut().for_each(|ri| *ri *= c);
            let mut part = vec![0.0; d];
            xt_mul(xs, &r[lo..hi], None, &mut part);
            if k == 0 {
                out = part;
            } else {
                out.iter_mut().zip(&part).for_each(|(o, p)| *o += p);
            }
        }
        (r, out, sq)
    }

    #[test]
    fn fused_pass_equals_the_two_products_bit_for_bit_for_any_thread_count() {
        for (n, d) in [
            (40, 100),
            (7, 13),
            (1, 5),
            (130, 201),
            (1023, 1027),
            (9, 120_001),
        ] {
            let x = values(n * d, 11);
            let (y, beta) = (values(n, 12), values(d, 13));
            let (r_ref, out_ref, sq_ref) = reference(&x, &y, &beta, -0.37);
            for threads in [1, 2, 3] {
                let pool = rayon::ThreadPoolBuilder::new()
                    .num_threads(threads)
                    .build()
                    .expect("a thread pool");
                let (mut r, mut out) = (vec![f64::NAN; n], values(d, 14));
                let mut partials = Partials::new(n, d);
                let sq =
                    pool.install(|| pass(&x, &y, &beta, -0.37, &mut r, &mut out, &mut partials));
                let at = format!("n = {n}, d = {d}, {threads} threads");
                assert_eq!(sq.to_bits(), sq_ref.to_bits(), "‖r‖² at {at}");
                assert_eq!(r, r_ref, "r at {at}");
                assert_eq!(out, out_ref, "Xᵀr at {at}");
            }
        }
    }
}
