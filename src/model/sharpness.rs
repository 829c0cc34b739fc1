//! The sharpness `S(w) = 2 λ_max(∇²_w L(w))` of the loss in the network's parameters: Hessian–
//! vector products in O(nd) and Lanczos with full reorthogonalisation for the largest algebraic
//! eigenvalue, warm-started from the previous top eigenvector; and SGD's `max_i κ_i(w)`.

use faer::{Mat, Side};

use super::error::SimError;
use super::kernels;
use super::net::DiagNet;
use super::problem::Problem;

/// `H z` with `H = (1/2n)(JᵀJ + [[0, diag g], [diag g, 0]])`, `J = X [diag(v) diag(u)]`, `g = Xᵀr`:
/// `z = (a, b)` and the result are stacked `(u-part, v-part)`, each of length d.
pub fn hessian_vector(
    (u, v): (&[f64], &[f64]),
    g: &[f64],
    p: &Problem,
    z: &[f64],
    out: &mut [f64],
) {
    let (n, d) = (p.n(), p.d());
    let (a, b) = z.split_at(d);
    let w: Vec<f64> = (0..d).map(|j| v[j] * a[j] + u[j] * b[j]).collect();
    let mut jz = vec![0.0; n];
    kernels::row_dots(p.x_slice(), &w, &mut jz);
    let mut back = vec![0.0; d];
    kernels::xt_mul(p.x_slice(), &jz, None, &mut back);
    let scale = 1.0 / (2.0 * n as f64);
    let (top, bottom) = out.split_at_mut(d);
    for j in 0..d {
        top[j] = scale * (v[j] * back[j] + g[j] * b[j]);
        bottom[j] = scale * (u[j] * back[j] + g[j] * a[j]);
    }
}

/// `g = Xᵀ(Xβ − y)` at the network's β.
pub fn residual_gradient(net: &DiagNet, p: &Problem) -> Vec<f64> {
    let mut r = vec![0.0; p.n()];
    kernels::residuals_all(p.x_slice(), p.y_slice(), &net.beta(), &mut r);
    let mut g = vec![0.0; p.d()];
    kernels::xt_mul(p.x_slice(), &r, None, &mut g);
    g
}

/// The largest algebraic eigenvalue of the symmetric operator `apply` on `R^dim` and its unit
/// eigenvector, by `iters` Lanczos steps (at most `dim`) from `start`.
pub fn top_eigen(
    apply: impl Fn(&[f64], &mut [f64]),
    dim: usize,
    start: &[f64],
    iters: usize,
) -> Result<(f64, Vec<f64>), SimError> {
    let norm = |x: &[f64]| kernels::dot(x, x).sqrt();
    let mut q: Vec<f64> = start.to_vec();
    let s = norm(&q);
    if !(s > 0.0 && s.is_finite()) {
        q = (0..dim).map(|i| 1.0 + (i as f64 * 0.618).fract()).collect();
    }
    let s = norm(&q);
    q.iter_mut().for_each(|x| *x /= s);
    let (mut basis, mut alphas, mut betas) = (vec![q], Vec::new(), Vec::new());
    let mut w = vec![0.0; dim];
    for _ in 0..iters.min(dim).max(1) {
        let last = basis.last().map_or(&[][..], Vec::as_slice);
        apply(last, &mut w);
        alphas.push(kernels::dot(last, &w));
        // Full reorthogonalisation (twice is enough) keeps the Ritz values clean.
        for _ in 0..2 {
            for b in &basis {
                let c = kernels::dot(b, &w);
                w.iter_mut().zip(b).for_each(|(x, y)| *x -= c * y);
            }
        }
        let beta = norm(&w);
        let scale = alphas.iter().fold(1e-300f64, |m, a| m.max(a.abs()));
        // An invariant subspace (or NaN) ends the recurrence.
        let exhausted = beta.is_nan() || beta <= 1e-14 * scale;
        if exhausted || basis.len() == dim {
            break;
        }
        betas.push(beta);
        basis.push(w.iter().map(|x| x / beta).collect());
    }
    let k = alphas.len();
    let t = Mat::<f64>::from_fn(k, k, |i, j| match i.abs_diff(j) {
        0 => alphas[i],
        1 => betas[i.min(j)],
        _ => 0.0,
    });
    let eig = t
        .self_adjoint_eigen(Side::Lower)
        .map_err(|e| SimError::Numerical(format!("Lanczos eigen-solve failed: {e:?}")))?;
    let top = k - 1;
    let value = eig.S().column_vector()[top];
    let y = eig.U().col(top);
    let mut vector = vec![0.0; dim];
    for (i, b) in basis.iter().take(k).enumerate() {
        vector.iter_mut().zip(b).for_each(|(x, v)| *x += y[i] * v);
    }
    Ok((value, vector))
}

/// Lanczos steps of a fresh estimate; warm-started ones need fewer.
pub const FRESH_ITERS: usize = 60;

/// `S(w) = 2 λ_max(∇²_w L)` and the top eigenvector, from `warm` if given.
pub fn sharpness(
    net: &DiagNet,
    p: &Problem,
    warm: Option<&[f64]>,
    iters: usize,
) -> Result<(f64, Vec<f64>), SimError> {
    let (u, v) = net.layers();
    let g = residual_gradient(net, p);
    let dim = 2 * p.d();
    let start: Vec<f64> = warm.map_or_else(|| vec![0.0; dim], <[f64]>::to_vec);
    let apply = |z: &[f64], out: &mut [f64]| hessian_vector((&u, &v), &g, p, z, out);
    let (lambda, vector) = top_eigen(apply, dim, &start, iters)?;
    Ok((2.0 * lambda, vector))
}

/// SGD's single-sample curvature `max_i κ_i(w)`, `κ_i = Σ_j (u_j² + v_j²) x_ij²`.
pub fn max_kappa(net: &DiagNet, p: &Problem) -> f64 {
    let kappa = super::stability::kappa_of(p.x(), &net.u2_plus_v2());
    kappa.into_iter().fold(0.0, f64::max)
}

/// Warm-started Lanczos steps of an estimate after the first.
const WARM_ITERS: usize = 8;
/// Problems up to this `n·d` are estimated at every recorded sample of their first
/// `EARLY_STEPS` steps, where the edge of stability shows first.
const EARLY_SIZE: usize = 100_000;
/// See [`EARLY_SIZE`].
const EARLY_STEPS: u64 = 256;
/// About this fraction of a run's work goes into curvature estimates (plus one estimate each
/// time the step count doubles).
const BUDGET: f64 = 0.01;
/// Above [`EARLY_SIZE`], the estimate at a doubling of the step count is taken only if it costs
/// at most this fraction of the work since the last one.
const DOUBLING_BUDGET: f64 = 0.1;

/// The curvature a run is watched by, refreshed along the run within a work budget: GD's and
/// GF's sharpness `S_t`, the stochastic methods' `max_i κ_i`. Each must stay below `2/γ`.
#[derive(Clone, Debug, Default)]
pub struct CurvatureWatch {
    /// The latest estimate (NaN before the first).
    pub latest: Option<f64>,
    warm: Option<Vec<f64>>,
    credit: f64,
    stepped: u64,
    estimated_at: u64,
}

impl CurvatureWatch {
    /// Refreshes the estimate at `step` if the work since the last one (`step_cost` per step,
    /// in units of one `n×d` product) pays for it within the budget, or the step count doubled
    /// since the last one; returns the latest (NaN before the first, at step 0).
    pub fn observe(
        &mut self,
        step: u64,
        step_cost: f64,
        sharp: bool,
        net: &DiagNet,
        p: &Problem,
    ) -> f64 {
        if let (true, Some(latest)) = (step == self.stepped, self.latest) {
            return latest;
        }
        self.credit += (step - self.stepped.min(step)) as f64 * step_cost;
        self.stepped = step;
        let iters = if self.warm.is_some() {
            WARM_ITERS
        } else {
            FRESH_ITERS
        };
        // Each Lanczos step is one Hessian–vector product (two n×d products), plus the residual
        // gradient; κ is one pass over X (not vectorised: counted as four).
        let cost = if sharp { 2.0 * iters as f64 + 4.0 } else { 4.0 };
        // Within the budget, and also log-spaced in steps so that short runs show their start;
        // on small problems at every sample of the first steps (a bounded one-off cost).
        let small = p.n() * p.d() <= EARLY_SIZE;
        let doubled = step >= 1
            && step >= 2 * self.estimated_at
            && (small || DOUBLING_BUDGET * self.credit >= cost);
        let early = (1..=EARLY_STEPS).contains(&step) && small;
        if BUDGET * self.credit >= cost || doubled || early {
            self.estimated_at = step;
            self.credit = 0.0;
            let value = if sharp {
                match sharpness(net, p, self.warm.as_deref(), iters) {
                    Ok((s, vector)) => {
                        self.warm = Some(vector);
                        s
                    }
                    Err(_) => f64::NAN,
                }
            } else {
                max_kappa(net, p)
            };
            self.latest = Some(value);
        }
        self.latest.unwrap_or(f64::NAN)
    }
}
