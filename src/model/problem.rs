//! Seeded sparse-regression problems: a Gaussian design (isotropic, anisotropic, correlated or
//! uncentred), sparse β*, optional label noise, a test set — or a user's own data set.

use std::sync::Arc;

use ndarray::{Array1, Array2};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

use super::aligned::AlignedMatrix;
use super::dataset::DataSet;
use super::design::{BetaRule, Design};
use super::kernels;

/// The independent random streams derived from one seed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    /// Design matrix and ground truth.
    Data,
    /// Held-out test set.
    Test,
    /// Label noise.
    Noise,
    /// Mini-batch indices / Gaussian noise of one method (by index).
    Sampling(u64),
}

/// A ChaCha8 generator for one stream of a seed: portable and bit-reproducible.
pub fn stream_rng(seed: u64, stream: Stream) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(match stream {
        Stream::Data => 0,
        Stream::Test => 1,
        Stream::Noise => 2,
        Stream::Sampling(k) => 16 + k,
    });
    rng
}

/// What to generate: sizes, noise and seed (validated by [`crate::model::Config::validate`]).
#[derive(Clone, Debug, PartialEq)]
pub struct ProblemSpec {
    /// Number of training samples n.
    pub n: usize,
    /// Dimension d.
    pub d: usize,
    /// Non-zeros of β*.
    pub s: usize,
    /// Label-noise standard deviation σ.
    pub noise: f64,
    /// Seed.
    pub seed: u64,
    /// Test-set size.
    pub n_test: usize,
    /// The feature distribution and the rule for β*, or a user's data set.
    pub source: Source,
}

/// Where the data comes from: a generated design with a rule for β*, or a loaded data set
/// (whose sizes then override `n`, `d`, `s` and `n_test`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Source {
    /// The feature distribution of generated data.
    pub design: Design,
    /// How β* is drawn.
    pub beta: BetaRule,
    /// A user's data set, used instead of generating.
    pub data: Option<Arc<DataSet>>,
}

/// What the error plot and tables measure, by what the data offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorMeasure {
    /// `‖β − β*‖²` (β* known).
    Recovery,
    /// Mean squared error on the given test set (no β*).
    Test,
    /// `‖β − β_ℓ1‖²`, the distance to the minimum-ℓ1 interpolator (no β*, no test set, d > n).
    L1Distance,
    /// Nothing to compare with (no β*, no test set, d ≤ n).
    Unavailable,
}

impl ErrorMeasure {
    /// The key used in JSON and CSV.
    pub fn key(self) -> &'static str {
        match self {
            ErrorMeasure::Recovery => "recovery_error",
            ErrorMeasure::Test => "test_error",
            ErrorMeasure::L1Distance => "l1_distance",
            ErrorMeasure::Unavailable => "none",
        }
    }

    /// The formula as plots and tables label it.
    pub fn symbol(self) -> &'static str {
        match self {
            ErrorMeasure::Recovery => "‖β − β*‖²",
            ErrorMeasure::Test => "test MSE ‖X_test β − y_test‖²/n_test",
            ErrorMeasure::L1Distance => "‖β − β_ℓ1‖²",
            ErrorMeasure::Unavailable => "— (no β*, no test set, d ≤ n)",
        }
    }

    /// The plot title.
    pub fn title(self) -> &'static str {
        match self {
            ErrorMeasure::Recovery => "Recovery error",
            ErrorMeasure::Test => "Test error (no β* in the data)",
            ErrorMeasure::L1Distance => {
                "Distance to the minimum-ℓ1 interpolator (no β*, no test set)"
            }
            ErrorMeasure::Unavailable => "No error measure: no β*, no test set and d ≤ n",
        }
    }
}

/// A generated problem: `y = Xβ* + σ·ε`, with a noiseless test set.
#[derive(Clone, Debug)]
pub struct Problem {
    /// The specification it was generated from.
    pub spec: ProblemSpec,
    /// Design `X ∈ R^{n×d}` (row-major; read-only, as `rows` is its copy).
    x: Array2<f64>,
    /// `X` again in aligned storage, for the hot loops.
    rows: AlignedMatrix,
    /// Labels `y ∈ R^n`.
    pub y: Array1<f64>,
    /// Ground truth β*.
    pub beta_star: Array1<f64>,
    /// Support of β*, sorted.
    pub support: Vec<usize>,
    /// Test design.
    pub x_test: Array2<f64>,
    /// Noiseless test labels `X_test β*`.
    pub y_test: Array1<f64>,
    /// `(XᵀX/n)_jj`, the scale of P21's effective-α formula.
    pub diag_xtx: Vec<f64>,
    /// The design's per-column draws (the anisotropic column standard deviations).
    pub scales: Vec<f64>,
    /// What the error measures (see [`Problem::error`]).
    pub measure: ErrorMeasure,
}

fn gaussian_matrix(rows: usize, cols: usize, rng: &mut ChaCha8Rng) -> Array2<f64> {
    Array2::from_shape_simple_fn((rows, cols), || StandardNormal.sample(rng))
}

impl Problem {
    /// Generates the problem of `spec` (deterministic in the seed), or builds it from the data
    /// set it names.
    pub fn generate(spec: &ProblemSpec) -> Problem {
        if let Some(data) = &spec.source.data {
            return Problem::from_data(spec, data);
        }
        let (n, d) = (spec.n, spec.d);
        let design = spec.source.design;
        let mut rng = stream_rng(spec.seed, Stream::Data);
        let mut x = gaussian_matrix(n, d, &mut rng);
        let (support, beta_star) = spec.source.beta.draw(d, spec.s, &mut rng);
        let beta_star = Array1::from(beta_star);
        let scales = design.column_scales(d, &mut rng);
        design.transform(&mut x, &scales);
        let mut noise_rng = stream_rng(spec.seed, Stream::Noise);
        let y = Array1::from_shape_fn(n, |i| {
            let eps: f64 = StandardNormal.sample(&mut noise_rng);
            x.row(i).dot(&beta_star) + spec.noise * eps
        });
        let mut test_rng = stream_rng(spec.seed, Stream::Test);
        let mut x_test = gaussian_matrix(spec.n_test, d, &mut test_rng);
        design.transform(&mut x_test, &scales);
        let y_test = x_test.dot(&beta_star);
        let mut spec = spec.clone();
        spec.s = support.len();
        Problem::assemble(spec, x, y, (beta_star, support), (x_test, y_test), scales)
    }

    /// The problem of a loaded data set (`spec`'s sizes are the data's).
    fn from_data(spec: &ProblemSpec, data: &DataSet) -> Problem {
        let d = data.d();
        let beta_star = data.beta_star.clone().unwrap_or_else(|| Array1::zeros(d));
        let support = (0..d).filter(|&j| beta_star[j] != 0.0).collect();
        let (x_test, y_test) =
            (data.test.clone()).unwrap_or_else(|| (Array2::zeros((0, d)), Array1::zeros(0)));
        let mut spec = spec.clone();
        (spec.n, spec.d, spec.n_test, spec.s) = (data.n(), d, data.n_test(), data.s());
        let mut p = Problem::assemble(
            spec,
            data.x.clone(),
            data.y.clone(),
            (beta_star, support),
            (x_test, y_test),
            Vec::new(),
        );
        p.measure = match (&data.beta_star, &data.test) {
            (Some(_), _) => ErrorMeasure::Recovery,
            (None, Some(_)) => ErrorMeasure::Test,
            (None, None) if p.is_overparametrised() => ErrorMeasure::L1Distance,
            (None, None) => ErrorMeasure::Unavailable,
        };
        p
    }

    fn assemble(
        spec: ProblemSpec,
        x: Array2<f64>,
        y: Array1<f64>,
        (beta_star, support): (Array1<f64>, Vec<usize>),
        (x_test, y_test): (Array2<f64>, Array1<f64>),
        scales: Vec<f64>,
    ) -> Problem {
        let n = x.nrows();
        let diag_xtx = (x.columns().into_iter())
            .map(|c| c.iter().map(|v| v * v).sum::<f64>() / n as f64)
            .collect();
        Problem {
            spec,
            rows: AlignedMatrix::from_view(x.view()),
            x,
            y,
            beta_star,
            support,
            x_test,
            y_test,
            diag_xtx,
            scales,
            measure: ErrorMeasure::Recovery,
        }
    }

    /// Without β* or a test set, the error is the distance to `beta_l1`, the minimum-ℓ1
    /// interpolator: it becomes the reference point.
    pub fn set_l1_reference(&mut self, beta_l1: &[f64]) {
        if self.measure == ErrorMeasure::L1Distance {
            self.beta_star = Array1::from(beta_l1.to_vec());
        }
    }

    /// The error the plots and tables show: `‖β − β*‖²`, or without β* the test error or the
    /// distance to the minimum-ℓ1 interpolator ([`ErrorMeasure`]).
    pub fn error(&self, beta: &[f64]) -> f64 {
        match self.measure {
            ErrorMeasure::Recovery | ErrorMeasure::L1Distance => self.recovery_error(beta),
            ErrorMeasure::Test => self.test_error(beta),
            ErrorMeasure::Unavailable => f64::NAN,
        }
    }

    /// The expected test error `(β − β*)ᵀ M (β − β*) + σ²` of generated data (`M = E[xxᵀ]` of
    /// its design); on loaded data with β* and a test set, the test MSE; else NaN.
    pub fn expected_test_error(&self, beta: &[f64]) -> f64 {
        if self.spec.source.data.is_some() {
            return match (self.measure, self.spec.n_test) {
                (ErrorMeasure::Recovery, 1..) => self.test_error(beta),
                _ => f64::NAN,
            };
        }
        let e: Vec<f64> = (beta.iter().zip(&self.beta_star))
            .map(|(b, s)| b - s)
            .collect();
        let noise = self.spec.noise;
        self.spec.source.design.quadratic_form(&e, &self.scales) + noise * noise
    }

    /// Whether the test error says something the error does not: a non-isotropic design, or
    /// loaded data with both β* and a test set.
    pub fn shows_test_error(&self) -> bool {
        match &self.spec.source.data {
            Some(_) => self.measure == ErrorMeasure::Recovery && self.spec.n_test > 0,
            None => !self.spec.source.design.is_isotropic(),
        }
    }

    /// Number of samples n.
    pub fn n(&self) -> usize {
        self.spec.n
    }

    /// Dimension d.
    pub fn d(&self) -> usize {
        self.spec.d
    }

    /// The design `X`.
    pub fn x(&self) -> &Array2<f64> {
        &self.x
    }

    /// The design as one row-major slice (64-byte aligned).
    pub fn x_slice(&self) -> &[f64] {
        self.rows.as_slice()
    }

    /// The labels as a slice.
    pub fn y_slice(&self) -> &[f64] {
        self.y.as_slice().expect("labels are contiguous")
    }

    /// Whether the implicit-bias theory applies: `d > n`, and for loaded data also linearly
    /// independent rows (generated designs have them almost surely).
    pub fn is_overparametrised(&self) -> bool {
        match &self.spec.source.data {
            Some(data) => data.overparametrised(),
            None => self.spec.d > self.spec.n,
        }
    }

    /// Training loss `L(β) = ‖Xβ − y‖²/(4n)`.
    pub fn loss(&self, beta: &[f64]) -> f64 {
        let mut r = vec![0.0; self.n()];
        kernels::residuals_all(self.x_slice(), self.y_slice(), beta, &mut r)
            / (4.0 * self.n() as f64)
    }

    /// Row `x_i` of the design.
    pub fn row(&self, i: usize) -> &[f64] {
        let d = self.d();
        &self.x_slice()[i * d..(i + 1) * d]
    }

    /// Recovery error `‖β − β*‖²`.
    pub fn recovery_error(&self, beta: &[f64]) -> f64 {
        beta.iter()
            .zip(self.beta_star.iter())
            .map(|(b, s)| (b - s) * (b - s))
            .sum()
    }

    /// Mean squared test error `‖X_test β − y_test‖²/n_test` (NaN without a test set).
    pub fn test_error(&self, beta: &[f64]) -> f64 {
        let b = ndarray::ArrayView1::from(beta);
        let r = self.x_test.dot(&b) - &self.y_test;
        r.dot(&r) / self.spec.n_test as f64
    }
}
