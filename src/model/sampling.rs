//! What a run records: its scalars at a step, and the budget that decides what each due sample
//! may cost, so that sampling never dominates the stepping at any size.

/// The scalar state of a run at one step.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sample {
    /// Step k.
    pub step: u64,
    /// Physical time `t = k·γ` (or `k·h`).
    pub time: f64,
    /// Training loss `L(β_k)`: exact when `loss_exact`, else the running estimate of [`Fidelity::Cheap`].
    pub loss: f64,
    /// Whether `loss` is the exact `L(β_k)`.
    pub loss_exact: bool,
    /// `∫₀^t L ds`, accumulated as `Σ L̂_k Δt` (mini-batch estimate for SGD).
    pub loss_integral: f64,
    /// Geometric mean over coordinates of the exact `α_t/α` read from the state.
    pub alpha_ratio: f64,
    /// Smallest coordinate of `α_t/α`.
    pub alpha_ratio_min: f64,
    /// Largest coordinate of `α_t/α`.
    pub alpha_ratio_max: f64,
    /// Geometric mean of P21's `α_t/α = exp(−2(γ/b)(XᵀX/n)_jj ∫L)`.
    pub alpha_ratio_p21: f64,
    /// The error of [`Problem::error`](super::problem::Problem::error): `‖β_k − β*‖²`, or
    /// without β* the test error or the distance to the minimum-ℓ1 interpolator.
    pub recovery_error: f64,
    /// `‖β_k‖₁` over every coordinate.
    pub l1_norm: f64,
    /// The [`support_size`](super::analysis::support_size) of `β_k` (every coordinate).
    pub support_size: usize,
    /// `(β_k − β*)ᵀ M (β_k − β*) + σ²` on generated data
    /// ([`Problem::expected_test_error`](super::problem::Problem::expected_test_error)).
    pub test_error: f64,
    /// The curvature watched against `2/γ`: GD's and GF's sharpness `S = 2λ_max(∇²L)`, the
    /// stochastic methods' `max_i κ_i` (the latest estimate, refreshed within a work budget).
    pub curvature: f64,
}

/// One recorded point of a run: its scalars and β at the followed coordinates.
#[derive(Clone, Debug, PartialEq)]
pub struct Point {
    /// Scalars of the run at this step.
    pub sample: Sample,
    /// β at the trainer's followed coordinates.
    pub coords: Vec<f64>,
    /// The running mean `β̄_t = (1/t)∫₀ᵗ β_s ds` at the followed coordinates (β₀ at t = 0).
    pub mean: Vec<f64>,
}

/// How a due sample is taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fidelity {
    /// Everything exact, the loss by one `n×d` product.
    Exact,
    /// Everything that costs O(d) exact; the loss is the last step's for the deterministic
    /// methods (`L(β_{k−1})`) and the mean mini-batch estimate since the previous sample for the
    /// stochastic ones.
    Cheap,
    /// Not taken: the samples' share of the work is spent.
    Skip,
}

/// Work units: one `n×d` product is 1.
///
/// Exact samples may use [`EXACT_SHARE`] of the stepping's work and cheap ones [`CHEAP_SHARE`],
/// beyond a one-off [`ALLOWANCE`] each, so short runs and small problems keep every sample exact.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct SampleBudget {
    exact_spent: f64,
    cheap_spent: f64,
}

/// Share of the stepping's work that exact samples may use.
pub const EXACT_SHARE: f64 = 0.05;
/// Share of the stepping's work that cheap samples may use.
pub const CHEAP_SHARE: f64 = 0.02;
/// Work every run may spend on samples of each kind before the shares apply, in matrix entries
/// (about 20 ms of arithmetic): small problems never reach it in a plotted run's early samples.
pub const ALLOWANCE: f64 = (1u64 << 26) as f64;
/// Cost of the O(d) part of a sample (square roots, logarithms, errors) per coordinate, in
/// entries of an `n×d` product (calibrated with `dln-explorer bench`).
pub const PER_COORDINATE: f64 = 64.0;

impl SampleBudget {
    /// How to take a sample due now, after `stepped` units of stepping on an `n × d` problem;
    /// charges its cost.
    pub fn choose(&mut self, stepped: f64, n: usize, d: usize) -> Fidelity {
        let cheap = PER_COORDINATE / n as f64;
        let exact = 1.0 + cheap;
        let allowance = ALLOWANCE / (n * d) as f64;
        if self.exact_spent + exact <= EXACT_SHARE * stepped + allowance {
            self.exact_spent += exact;
            Fidelity::Exact
        } else if self.cheap_spent + cheap <= CHEAP_SHARE * stepped + allowance {
            self.cheap_spent += cheap;
            Fidelity::Cheap
        } else {
            Fidelity::Skip
        }
    }

    /// A budget that takes every sample exactly (for comparisons and tests).
    pub fn unlimited() -> SampleBudget {
        SampleBudget {
            exact_spent: f64::NEG_INFINITY,
            cheap_spent: f64::NEG_INFINITY,
        }
    }
}

/// When a tolerance is set, the exact loss is checked every this many steps, or every power-of-two
/// multiple of it that keeps the checks within [`CHECK_SHARE`] of the stepping's work.
pub const CHECK_EVERY: u64 = 1024;
/// Share of the stepping's work the convergence checks may use.
pub const CHECK_SHARE: f64 = 0.05;

/// Steps between convergence checks for steps of `step_cost` (`n×d` products): [`CHECK_EVERY`],
/// doubled until one exact loss costs at most [`CHECK_SHARE`] of the steps between checks.
pub fn check_every(step_cost: f64) -> u64 {
    let mut every = CHECK_EVERY;
    while (every as f64) * step_cost * CHECK_SHARE < 1.0 && every < 1 << 40 {
        every *= 2;
    }
    every
}

/// The trailing mean of a stochastic method's loss estimates over at least `span` steps (SGD:
/// an epoch, `n/b` steps, so a cheap sample averages about n squared residuals), read from
/// the loss integral at past samples.
#[derive(Clone, Debug)]
pub struct LossWindow {
    span: u64,
    /// `(step, ∫L, time)` at recent samples, the oldest at least `span` steps back.
    marks: std::collections::VecDeque<(u64, f64, f64)>,
}

impl LossWindow {
    /// An empty window for `method` on `n` samples: an epoch for SGD, one step otherwise.
    pub fn of(method: super::method::Method, n: usize) -> LossWindow {
        let span = match method {
            super::method::Method::Sgd { batch } => n.div_ceil(batch) as u64,
            _ => 1,
        };
        LossWindow {
            span: span.max(1),
            marks: Default::default(),
        }
    }

    /// Notes the integral at a sample, dropping marks no longer needed.
    pub fn mark(&mut self, step: u64, integral: f64, time: f64) {
        self.marks.push_back((step, integral, time));
        while self.marks.len() >= 2 && self.marks[1].0 + self.span <= step {
            self.marks.pop_front();
        }
    }

    /// The mean loss since the window's oldest mark (NaN when no time has passed).
    pub fn mean(&self, integral: f64, time: f64) -> f64 {
        let (_, i0, t0) = self.marks.front().copied().unwrap_or_default();
        (integral - i0) / (time - t0)
    }
}
