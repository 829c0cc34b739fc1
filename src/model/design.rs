//! The feature distributions of generated data (docs/model.md, "Designs") and the rules for the
//! ground truth β*: each turns i.i.d. `z_ij ~ N(0, 1)` into a design with a known second
//! moment `M = E[x xᵀ]`, so the test error `(β − β*)ᵀ M (β − β*) + σ²` has a closed form.

use std::fmt;
use std::str::FromStr;

use ndarray::Array2;
use rand::RngExt;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

use super::error::SimError;
use super::format::exact;

/// Largest condition number κ of the anisotropic design.
pub const MAX_KAPPA: f64 = 1e8;
/// Largest |μ| of the uncentred design (and |m| of the ±m ground truth).
pub const MAX_MEAN: f64 = 1e3;

/// How the features are distributed.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum Design {
    /// `x_ij ~ N(0, 1)` i.i.d.: `M = I`.
    #[default]
    Isotropic,
    /// `x_ij = σ_j z_ij`, variances geometric from 1 to 1/κ in a seeded random column order.
    Anisotropic(f64),
    /// AR(1) columns with correlation c: `Σ_jk = c^{|j−k|}`.
    Correlated(f64),
    /// `x_ij = μ + z_ij`: `M = I + μ² 𝟙𝟙ᵀ`.
    Uncentred(f64),
}

/// The allowed values of `design`, in words.
pub const DESIGN_RANGE: &str =
    "isotropic, anisotropic:κ (1 ≤ κ ≤ 1e8), correlated:c (0 ≤ c < 1) or uncentred:μ (|μ| ≤ 1e3)";

impl Design {
    /// The names of the designs, in menu order.
    pub const NAMES: [&'static str; 4] = ["isotropic", "anisotropic", "correlated", "uncentred"];

    /// The design's name (without its parameter).
    pub fn name(self) -> &'static str {
        Design::NAMES[self.index()]
    }

    /// Position in [`Design::NAMES`].
    pub fn index(self) -> usize {
        match self {
            Design::Isotropic => 0,
            Design::Anisotropic(_) => 1,
            Design::Correlated(_) => 2,
            Design::Uncentred(_) => 3,
        }
    }

    /// The design of that name with parameter `p` (ignored by the isotropic one).
    pub fn with_parameter(index: usize, p: f64) -> Design {
        match index {
            1 => Design::Anisotropic(p),
            2 => Design::Correlated(p),
            3 => Design::Uncentred(p),
            _ => Design::Isotropic,
        }
    }

    /// The parameter (κ, c or μ), if the design has one.
    pub fn parameter(self) -> Option<f64> {
        match self {
            Design::Isotropic => None,
            Design::Anisotropic(p) | Design::Correlated(p) | Design::Uncentred(p) => Some(p),
        }
    }

    /// Whether the test error equals the recovery error `‖β − β*‖²` (plus σ²).
    pub fn is_isotropic(self) -> bool {
        match self {
            Design::Isotropic => true,
            Design::Anisotropic(k) => k == 1.0,
            Design::Correlated(c) => c == 0.0,
            Design::Uncentred(m) => m == 0.0,
        }
    }

    /// Checks the parameter's range.
    pub fn validate(self) -> Result<Design, SimError> {
        let ok = match self {
            Design::Isotropic => true,
            Design::Anisotropic(k) => (1.0..=MAX_KAPPA).contains(&k),
            Design::Correlated(c) => (0.0..1.0).contains(&c),
            Design::Uncentred(m) => m.is_finite() && m.abs() <= MAX_MEAN,
        };
        if ok {
            Ok(self)
        } else {
            Err(SimError::invalid("design", self, DESIGN_RANGE))
        }
    }

    /// The per-column draws of the design from the data stream (after β*): the anisotropic
    /// column variances in their seeded order; nothing for the others.
    pub fn column_scales(self, d: usize, rng: &mut ChaCha8Rng) -> Vec<f64> {
        match self {
            Design::Anisotropic(kappa) => {
                let mut sd: Vec<f64> = (0..d)
                    .map(|k| {
                        let t = if d > 1 {
                            k as f64 / (d - 1) as f64
                        } else {
                            0.0
                        };
                        kappa.powf(-t / 2.0)
                    })
                    .collect();
                sd.shuffle(rng);
                sd
            }
            _ => Vec::new(),
        }
    }

    /// Turns i.i.d. standard normal `z` into the design in place (`scales` from
    /// [`Design::column_scales`]).
    pub fn transform(self, z: &mut Array2<f64>, scales: &[f64]) {
        match self {
            Design::Isotropic => {}
            Design::Anisotropic(_) => {
                for mut row in z.rows_mut() {
                    row.iter_mut().zip(scales).for_each(|(x, s)| *x *= s);
                }
            }
            Design::Correlated(c) => {
                let w = (1.0 - c * c).sqrt();
                for mut row in z.rows_mut() {
                    for j in 1..row.len() {
                        row[j] = c * row[j - 1] + w * row[j];
                    }
                }
            }
            Design::Uncentred(mu) => z.mapv_inplace(|x| mu + x),
        }
    }

    /// `eᵀ M e` with `M = E[x xᵀ]`, in O(d) (`scales` from [`Design::column_scales`]).
    pub fn quadratic_form(self, e: &[f64], scales: &[f64]) -> f64 {
        let sq: f64 = e.iter().map(|v| v * v).sum();
        match self {
            Design::Isotropic => sq,
            Design::Anisotropic(_) => e.iter().zip(scales).map(|(v, s)| s * s * v * v).sum(),
            Design::Correlated(c) => {
                // Σ_jk e_j e_k c^{|j−k|} = Σ e_j² + 2 Σ_j e_j S_j, S_j = c (S_{j−1} + e_{j−1}).
                let (mut s, mut cross) = (0.0, 0.0);
                for j in 1..e.len() {
                    s = c * (s + e[j - 1]);
                    cross += e[j] * s;
                }
                sq + 2.0 * cross
            }
            Design::Uncentred(mu) => {
                let sum: f64 = e.iter().sum();
                sq + mu * mu * sum * sum
            }
        }
    }

    /// The second moment `M_jk = E[x_j x_k]` (for tests and small d).
    pub fn second_moment(self, j: usize, k: usize, scales: &[f64]) -> f64 {
        let delta = if j == k { 1.0 } else { 0.0 };
        match self {
            Design::Isotropic => delta,
            Design::Anisotropic(_) => delta * scales[j] * scales[j],
            Design::Correlated(c) => c.powi(j.abs_diff(k) as i32),
            Design::Uncentred(mu) => delta + mu * mu,
        }
    }
}

impl fmt::Display for Design {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.parameter() {
            None => f.write_str(self.name()),
            Some(p) => write!(f, "{}:{}", self.name(), exact(p)),
        }
    }
}

impl FromStr for Design {
    type Err = SimError;
    fn from_str(s: &str) -> Result<Design, SimError> {
        let bad = || SimError::invalid("design", s, DESIGN_RANGE);
        let t = s.trim().to_ascii_lowercase();
        if t == "isotropic" {
            return Ok(Design::Isotropic);
        }
        let (name, p) = t.split_once(':').ok_or_else(bad)?;
        let p: f64 = p.trim().parse().map_err(|_| bad())?;
        let index = (Design::NAMES.iter().position(|n| *n == name.trim())).ok_or_else(bad)?;
        if index == 0 {
            return Err(bad());
        }
        Design::with_parameter(index, p)
            .validate()
            .map_err(|_| bad())
    }
}

/// How the ground truth β* is drawn.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum BetaRule {
    /// `s` non-zeros `~ N(0, 1)` on a seeded random support.
    #[default]
    Gaussian,
    /// `s` non-zeros `±m` with seeded random signs on a seeded random support.
    Signs(f64),
    /// Exactly these d values.
    Given(Vec<f64>),
}

/// The allowed values of `beta_star`, in words.
pub const BETA_RANGE: &str =
    "gaussian, signs:m (0 < |m| ≤ 1e3) or given:v1,v2,…,vd (d finite numbers)";

impl BetaRule {
    /// β* of dimension d with s non-zeros (a given β* has its own), its support ascending,
    /// drawn from the data stream: the support first, then the values in support order.
    pub fn draw(&self, d: usize, s: usize, rng: &mut ChaCha8Rng) -> (Vec<usize>, Vec<f64>) {
        use rand_distr::{Distribution, StandardNormal};
        if let BetaRule::Given(v) = self {
            let support = (0..v.len()).filter(|&j| v[j] != 0.0).collect();
            return (support, v.clone());
        }
        let mut support = rand::seq::index::sample(rng, d, s).into_vec();
        support.sort_unstable();
        let mut beta = vec![0.0; d];
        for &j in &support {
            beta[j] = match self {
                BetaRule::Signs(m) if rng.random::<bool>() => *m,
                BetaRule::Signs(m) => -*m,
                _ => StandardNormal.sample(rng),
            };
        }
        (support, beta)
    }

    /// Checks the rule against the dimension d (a given β* must have d finite values).
    pub fn validate(&self, d: usize) -> Result<(), SimError> {
        let ok = match self {
            BetaRule::Gaussian => true,
            BetaRule::Signs(m) => m.is_finite() && *m != 0.0 && m.abs() <= MAX_MEAN,
            BetaRule::Given(v) => {
                if v.len() != d {
                    return Err(SimError::invalid(
                        "beta-star",
                        format!("a list of {} values", v.len()),
                        format!("given:v1,…,vd with exactly d = {d} values"),
                    ));
                }
                v.iter().all(|x| x.is_finite())
            }
        };
        if ok {
            Ok(())
        } else {
            Err(SimError::invalid("beta-star", self, BETA_RANGE))
        }
    }
}

impl fmt::Display for BetaRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BetaRule::Gaussian => f.write_str("gaussian"),
            BetaRule::Signs(m) => write!(f, "signs:{}", exact(*m)),
            BetaRule::Given(v) => {
                let values: Vec<String> = v.iter().map(|x| format!("{x}")).collect();
                write!(f, "given:{}", values.join(","))
            }
        }
    }
}

impl FromStr for BetaRule {
    type Err = SimError;
    fn from_str(s: &str) -> Result<BetaRule, SimError> {
        let bad = || SimError::invalid("beta-star", s, BETA_RANGE);
        let t = s.trim();
        if t.eq_ignore_ascii_case("gaussian") {
            return Ok(BetaRule::Gaussian);
        }
        if let Some(m) = t.strip_prefix("signs:") {
            let m: f64 = m.trim().parse().map_err(|_| bad())?;
            let rule = BetaRule::Signs(m);
            return match rule.validate(0) {
                Ok(()) => Ok(rule),
                Err(_) => Err(bad()),
            };
        }
        let values = t.strip_prefix("given:").ok_or_else(bad)?;
        let v: Result<Vec<f64>, _> = values.split(',').map(|x| x.trim().parse()).collect();
        let v = v.map_err(|_| bad())?;
        if v.iter().any(|x| !x.is_finite()) {
            return Err(bad());
        }
        Ok(BetaRule::Given(v))
    }
}
