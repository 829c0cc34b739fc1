//! Saddle to saddle (Pesme & Flammarion 2023): as α → 0, gradient flow from `u₀ = α𝟙, v₀ = 0`
//! visits a sequence of saddles of the loss, one plateau each, and ends at the minimum-ℓ1
//! interpolator. This computes the saddles and the jump times in rescaled time `τ = t/ln(1/α)`
//! with exact active-set steps (docs/saddles.md).
//!
//! With `g(β) = Xᵀ(y − Xβ)/n` and the rescaled dual sum `S = Γ/ln(1/α)` (`Γ_t = ∫₀ᵗ g dt`), from
//! `β⁰ = 0`, `S = 0`, `τ₀ = 0`, while `Xβᵖ ≠ y`: a zero coordinate i would leave 0 after
//! `δ_i = (1 − S_i)/g_i` (g_i > 0) or `(1 + S_i)/|g_i|` (g_i < 0); the first one, j, joins at
//! `τ_{p+1} = τ_p + δ_j`, `S ← S + δ_j g`, and `β^{p+1}` is the least squares with the signs of
//! βᵖ's support kept and j of the sign of `g_j` (the sign `S_j` reaches; leaving j free gives the
//! same minimiser, since a wrong-signed β_j can do no better than βᵖ). That sign-constrained
//! least squares is a non-negative one in the sign-flipped columns, solved by Lawson–Hanson on
//! the few columns involved, warm-started at βᵖ; a coordinate whose sign constraint binds leaves.

use ndarray::Array2;
use thiserror::Error;

use super::error::SimError;
use super::format::num;
use super::homotopy::Active;
use super::linalg::{norm_inf, x_mul, xt_mul};

/// One saddle of the staircase and the jump that reaches it.
#[derive(Clone, Debug, PartialEq)]
pub struct Saddle {
    /// Rescaled time `τ = t/ln(1/α)` of the jump onto this saddle.
    pub tau: f64,
    /// The saddle β (all d coordinates).
    pub beta: Vec<f64>,
    /// Coordinates (0-based) that join the support at the jump.
    pub joins: Vec<usize>,
    /// Coordinates (0-based) that leave the support at the jump.
    pub leaves: Vec<usize>,
}

/// The staircase: the saddles in order of τ; the last one interpolates (`Xβ = y`).
#[derive(Clone, Debug, PartialEq)]
pub struct Staircase {
    /// Saddles after β⁰ = 0 (none if y = 0).
    pub saddles: Vec<Saddle>,
}

impl Staircase {
    /// The end point, the minimum-ℓ1 interpolator (`None` if y = 0: the staircase is empty).
    pub fn end(&self) -> Option<&[f64]> {
        self.saddles.last().map(|s| s.beta.as_slice())
    }
}

/// Tolerances of the staircase.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Options {
    /// Two coordinates tie when their jump times differ by at most `tie·τ_{p+1}`.
    pub tie: f64,
    /// Most saddles before giving up (`None`: `8n + 64`).
    pub max_saddles: Option<usize>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            tie: 1e-9,
            max_saddles: None,
        }
    }
}

/// Where the assumptions of the staircase fail.
#[derive(Clone, Debug, PartialEq, Error)]
pub enum SaddleError {
    /// Several coordinates reach ±1 together: the next saddle is not determined.
    #[error(
        "coordinates {} tie for the jump after saddle {after} at τ = {} (within {} relative): the staircase is not determined",
        one_based(.coords), num(*.tau), num(*.tol)
    )]
    Tie {
        /// The tied coordinates (0-based).
        coords: Vec<usize>,
        /// Their common jump time.
        tau: f64,
        /// The relative tolerance of the tie.
        tol: f64,
        /// Saddles found before it.
        after: usize,
    },
    /// No coordinate can join, yet `Xβ ≠ y`.
    #[error(
        "no interpolator: after saddle {after} (τ = {}) no coordinate can join but ‖Xβ − y‖_∞ = {}; Xβ = y has no solution (X of rank below n?)",
        num(*.tau), num(*.residual)
    )]
    NoInterpolator {
        /// Time of the last saddle.
        tau: f64,
        /// `‖Xβ − y‖_∞` there.
        residual: f64,
        /// Saddles found.
        after: usize,
    },
    /// The joining column is linearly dependent on the support's.
    #[error(
        "column {} joining at τ = {} is linearly dependent on the {support} columns of the support",
        .coord + 1, num(*.tau)
    )]
    Dependent {
        /// The joining coordinate (0-based).
        coord: usize,
        /// Its jump time.
        tau: f64,
        /// Size of the support it joins.
        support: usize,
    },
    /// The sign-constrained least squares did not settle (round-off cycling).
    #[error("the sign-constrained least squares at τ = {} did not settle", num(*.tau))]
    Stalled {
        /// The jump time.
        tau: f64,
    },
    /// The cap on the number of saddles was reached.
    #[error("no interpolator after {max} saddles (the cap; τ = {})", num(*.tau))]
    TooMany {
        /// The cap.
        max: usize,
        /// Time of the last saddle.
        tau: f64,
    },
}

impl From<SaddleError> for SimError {
    fn from(e: SaddleError) -> SimError {
        SimError::Numerical(e.to_string())
    }
}

fn one_based(coords: &[usize]) -> String {
    let names: Vec<String> = coords.iter().map(|c| (c + 1).to_string()).collect();
    names.join(", ")
}

/// `‖Xβ − y‖_∞ ≤ RESIDUAL·‖y‖_∞` counts as interpolation.
const RESIDUAL: f64 = 1e-10;
/// `|g_i| ≤ G_ZERO·‖g(0)‖_∞` counts as `g_i = 0` (round-off at a saddle).
const G_ZERO: f64 = 1e-12;

/// The saddles of `min ‖Xβ − y‖²` visited by gradient flow as α → 0, with default options.
pub fn saddles(x: &Array2<f64>, y: &[f64]) -> Result<Staircase, SaddleError> {
    saddles_with(x, y, &Options::default())
}

/// The saddles with the given tolerances (see the module's documentation).
pub fn saddles_with(x: &Array2<f64>, y: &[f64], opts: &Options) -> Result<Staircase, SaddleError> {
    let (n, d) = x.dim();
    let inv_n = 1.0 / n as f64;
    let max = opts.max_saddles.unwrap_or(8 * n + 64);
    let y_scale = norm_inf(y);
    let g_zero = G_ZERO * norm_inf(&xt_mul(x, y)) * inv_n;
    let mut dual = vec![0.0; d]; // S = Γ/ln(1/α)
    let mut active = Active::default();
    let mut beta = vec![0.0; d];
    let mut tau = 0.0;
    let mut saddles: Vec<Saddle> = Vec::new();
    loop {
        let r: Vec<f64> = (y.iter().zip(x_mul(x, &beta)))
            .map(|(a, b)| a - b)
            .collect();
        let residual = norm_inf(&r);
        if residual <= RESIDUAL * y_scale {
            return Ok(Staircase { saddles });
        }
        let after = saddles.len();
        if after >= max {
            return Err(SaddleError::TooMany { max, tau });
        }
        let g: Vec<f64> = xt_mul(x, &r).iter().map(|v| v * inv_n).collect();
        // Time each zero coordinate needs to bring its S_i to ±1.
        let delta: Vec<f64> = (0..d)
            .map(|i| {
                if beta[i] != 0.0 || g[i].abs() <= g_zero {
                    f64::INFINITY
                } else {
                    (1.0 - dual[i] * g[i].signum()).max(0.0) / g[i].abs()
                }
            })
            .collect();
        let first = (0..d).min_by(|&a, &b| delta[a].total_cmp(&delta[b]));
        let Some(j) = first.filter(|&j| delta[j].is_finite()) else {
            return Err(SaddleError::NoInterpolator {
                tau,
                residual,
                after,
            });
        };
        let step = delta[j];
        tau += step;
        let tied: Vec<usize> = (0..d)
            .filter(|&i| delta[i] - step <= opts.tie * tau)
            .collect();
        if tied.len() > 1 {
            let tol = opts.tie;
            return Err(SaddleError::Tie {
                coords: tied,
                tau,
                tol,
                after,
            });
        }
        for i in 0..d {
            dual[i] = if beta[i] != 0.0 {
                beta[i].signum()
            } else {
                (dual[i] + step * g[i]).clamp(-1.0, 1.0)
            };
        }
        dual[j] = g[j].signum();
        let before = active.index.clone();
        let mut candidates: Vec<(usize, f64)> = (before.iter().zip(&active.sign))
            .map(|(&i, &s)| (i, s))
            .collect();
        candidates.push((j, dual[j]));
        sign_constrained_least_squares(&mut active, x, y, &candidates, g_zero * n as f64)
            .map_err(|e| e.at(tau, active.index.len()))?;
        beta.fill(0.0);
        for (&i, &b) in active.index.iter().zip(&active.beta) {
            beta[i] = b;
        }
        let mut leaves: Vec<usize> = (before.into_iter())
            .filter(|i| !active.index.contains(i))
            .collect();
        leaves.sort_unstable();
        saddles.push(Saddle {
            tau,
            beta: beta.clone(),
            joins: vec![j],
            leaves,
        });
    }
}

/// Why the least squares failed, before its τ is known.
enum LsFailure {
    Dependent(usize),
    Stalled,
}

impl LsFailure {
    fn at(self, tau: f64, support: usize) -> SaddleError {
        match self {
            LsFailure::Dependent(coord) => SaddleError::Dependent {
                coord,
                tau,
                support,
            },
            LsFailure::Stalled => SaddleError::Stalled { tau },
        }
    }
}

/// `min ‖X_C β_C − y‖²` with `sign_i·β_i ≥ 0` over the candidates C = (index, sign), i.e. the
/// non-negative least squares in the columns `sign_i·x_i`, by Lawson–Hanson warm-started from
/// `active` (sign-feasible, and optimal on its own columns). A candidate enters while its dual
/// `sign_i·x_iᵀr` exceeds `kkt`; on return `active` holds the candidates with non-zero β.
fn sign_constrained_least_squares(
    active: &mut Active,
    x: &Array2<f64>,
    y: &[f64],
    candidates: &[(usize, f64)],
    kkt: f64,
) -> Result<(), LsFailure> {
    let n = x.nrows();
    for _ in 0..4 * candidates.len() + 8 {
        let fit = active.combine(&active.beta, n);
        let r: Vec<f64> = y.iter().zip(&fit).map(|(a, b)| a - b).collect();
        let entering = (candidates.iter())
            .filter(|(i, _)| !active.index.contains(i))
            .map(|&(i, sign)| {
                let col = x.column(i);
                (
                    i,
                    sign,
                    sign * col.iter().zip(&r).map(|(a, b)| a * b).sum::<f64>(),
                )
            })
            .filter(|&(_, _, w)| w > kkt)
            .max_by(|a, b| a.2.total_cmp(&b.2));
        let Some((i, sign, _)) = entering else {
            return Ok(());
        };
        if !active.push(x, i, sign) {
            return Err(LsFailure::Dependent(i));
        }
        settle(active, y, n);
    }
    Err(LsFailure::Stalled)
}

/// Lawson–Hanson's inner loop: moves `active.beta` (sign-feasible) towards the least squares on
/// the active columns, dropping each column whose coefficient reaches zero on the way, until the
/// least squares itself keeps every sign.
fn settle(active: &mut Active, y: &[f64], n: usize) {
    while !active.index.is_empty() {
        let target = active.least_squares(y, n);
        // Along β + t(target − β): the first coefficient to reach zero.
        let mut hit: Option<(usize, f64)> = None;
        for (k, (&b, &w)) in active.beta.iter().zip(&target).enumerate() {
            let (z, zt) = (b * active.sign[k], w * active.sign[k]);
            if zt <= 0.0 {
                let t = if z > 0.0 { z / (z - zt) } else { 0.0 };
                if hit.is_none_or(|(_, best)| t < best) {
                    hit = Some((k, t));
                }
            }
        }
        let Some((first, t)) = hit else {
            active.beta = target;
            return;
        };
        for (b, w) in active.beta.iter_mut().zip(&target) {
            *b += t * (w - *b);
        }
        active.beta[first] = 0.0;
        for k in (0..active.index.len()).rev() {
            if active.beta[k] * active.sign[k] <= 0.0 {
                active.remove(k);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sign-constrained least squares by enumerating every support: the best residual among
    /// the unconstrained least squares on a subset that keep their signs.
    fn brute_force(x: &Array2<f64>, y: &[f64], cands: &[(usize, f64)]) -> Vec<f64> {
        let (mut best, mut best_beta) =
            (norm_inf(y).powi(2) * y.len() as f64, vec![0.0; x.ncols()]);
        for mask in 1u32..1 << cands.len() {
            let mut a = Active::default();
            for (k, &(i, s)) in cands.iter().enumerate() {
                if mask & (1 << k) != 0 {
                    assert!(a.push(x, i, s));
                }
            }
            let b = a.least_squares(y, x.nrows());
            if b.iter().zip(&a.sign).any(|(b, s)| b * s <= 0.0) {
                continue;
            }
            let mut beta = vec![0.0; x.ncols()];
            a.index.iter().zip(&b).for_each(|(&i, &v)| beta[i] = v);
            let r: Vec<f64> = y.iter().zip(x_mul(x, &beta)).map(|(p, q)| p - q).collect();
            let sq: f64 = r.iter().map(|v| v * v).sum();
            if sq < best {
                (best, best_beta) = (sq, beta);
            }
        }
        best_beta
    }

    #[test]
    fn lawson_hanson_finds_the_best_sign_pattern() {
        // A fixed pseudo-random stream (no RNG crate needed for 8 × 5 numbers).
        let mut state = 12345u64;
        let mut next = move || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 11) as f64 / (1u64 << 53) as f64 - 0.5
        };
        let mut sizes = Vec::new();
        for trial in 0..50 {
            let x = Array2::from_shape_fn((8, 5), |_| next());
            let y: Vec<f64> = (0..8).map(|_| next()).collect();
            let cands: Vec<(usize, f64)> = (0..5).map(|i| (i, next().signum())).collect();
            let mut active = Active::default();
            assert!(sign_constrained_least_squares(&mut active, &x, &y, &cands, 1e-13).is_ok());
            let mut beta = vec![0.0; 5];
            active
                .index
                .iter()
                .zip(&active.beta)
                .for_each(|(&i, &v)| beta[i] = v);
            let want = brute_force(&x, &y, &cands);
            let diff = beta
                .iter()
                .zip(&want)
                .fold(0.0f64, |m, (a, b)| m.max((a - b).abs()));
            assert!(diff <= 1e-12, "trial {trial}: {beta:?} ≠ {want:?}");
            sizes.push(active.index.len());
        }
        // Constraints bound (fewer than 5 columns kept) and the answers were not trivial.
        assert!(sizes.iter().filter(|&&k| k < 5).count() >= 40, "{sizes:?}");
        assert!(sizes.iter().filter(|&&k| k >= 2).count() >= 10, "{sizes:?}");
    }
}
