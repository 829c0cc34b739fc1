//! Seeded sparse-regression problems: Gaussian design, sparse β*, optional label noise, a test set.

use ndarray::{Array1, Array2};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

use super::aligned::AlignedMatrix;
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
}

fn gaussian_matrix(rows: usize, cols: usize, rng: &mut ChaCha8Rng) -> Array2<f64> {
    Array2::from_shape_simple_fn((rows, cols), || StandardNormal.sample(rng))
}

impl Problem {
    /// Generates the problem of `spec` (deterministic in the seed).
    pub fn generate(spec: &ProblemSpec) -> Problem {
        let (n, d) = (spec.n, spec.d);
        let mut rng = stream_rng(spec.seed, Stream::Data);
        let x = gaussian_matrix(n, d, &mut rng);
        let mut support = rand::seq::index::sample(&mut rng, d, spec.s).into_vec();
        support.sort_unstable();
        let mut beta_star = Array1::zeros(d);
        for &j in &support {
            beta_star[j] = StandardNormal.sample(&mut rng);
        }
        let mut noise_rng = stream_rng(spec.seed, Stream::Noise);
        let y = Array1::from_shape_fn(n, |i| {
            let eps: f64 = StandardNormal.sample(&mut noise_rng);
            x.row(i).dot(&beta_star) + spec.noise * eps
        });
        let mut test_rng = stream_rng(spec.seed, Stream::Test);
        let x_test = gaussian_matrix(spec.n_test, d, &mut test_rng);
        let y_test = x_test.dot(&beta_star);
        let diag_xtx = (0..d)
            .map(|j| x.column(j).iter().map(|v| v * v).sum::<f64>() / n as f64)
            .collect();
        Problem {
            spec: spec.clone(),
            rows: AlignedMatrix::from_view(x.view()),
            x,
            y,
            beta_star,
            support,
            x_test,
            y_test,
            diag_xtx,
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

    /// Whether `d > n`, which the implicit-bias theory needs.
    pub fn is_overparametrised(&self) -> bool {
        self.spec.d > self.spec.n
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
