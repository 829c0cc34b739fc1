//! The trainer: steps one method, accumulates `∫L` and `Γ`, detects divergence and records
//! bounded samples of the run.

use std::sync::Arc;

use super::config::{check_alpha, check_positive};
use super::error::SimError;
use super::method::{Method, Stepper};
use super::net::DiagNet;
use super::problem::{Problem, Stream, stream_rng};
use super::recorder::Recorder;
use super::sharpness::CurvatureWatch;

/// Strided samples kept per run (log-spaced early samples come on top).
pub const SAMPLE_CAPACITY: usize = 2048;
/// When a tolerance is set, the exact loss is checked at least every this many steps.
const CHECK_EVERY: u64 = 1024;

/// The scalar state of a run at one step.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sample {
    /// Step k.
    pub step: u64,
    /// Physical time `t = k·γ` (or `k·h`).
    pub time: f64,
    /// Exact training loss `L(β_k)`.
    pub loss: f64,
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
    /// The error of [`Problem::error`]: `‖β_k − β*‖²`, or without β* the test error or the
    /// distance to the minimum-ℓ1 interpolator.
    pub recovery_error: f64,
    /// [`Problem::expected_test_error`]: `(β_k − β*)ᵀ M (β_k − β*) + σ²` on generated data.
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
    /// β at the trainer's followed coordinates ([`Trainer::follow`]).
    pub coords: Vec<f64>,
}

/// Why a call to [`Trainer::run`] returned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stop {
    /// The requested step was reached.
    Budget,
    /// The training loss fell to the tolerance.
    Converged,
    /// Values became non-finite or exploded.
    Diverged,
    /// The budget ran out with the loss no lower than halfway through: the run oscillates
    /// (GD past its edge of stability) rather than converging slowly.
    NotConverged,
}

impl Stop {
    /// The name used in tables, JSON and CSV: converged, budget, diverged or not-converged.
    pub fn name(self) -> &'static str {
        match self {
            Stop::Budget => "budget",
            Stop::Converged => "converged",
            Stop::Diverged => "diverged",
            Stop::NotConverged => "not-converged",
        }
    }

    /// How the GUI and tables describe it.
    pub fn describe(self) -> &'static str {
        match self {
            Stop::Budget => "step budget reached",
            Stop::Converged => "converged",
            Stop::Diverged => "diverged",
            Stop::NotConverged => "not converged (oscillating)",
        }
    }
}

/// Steps one method on a shared problem from P21's initialisation.
#[derive(Clone, Debug)]
pub struct Trainer {
    problem: Arc<Problem>,
    method: Method,
    alpha: f64,
    gamma: f64,
    net: DiagNet,
    coef_sum: Vec<f64>,
    stepper: Stepper,
    step: u64,
    loss_integral: f64,
    diverged_at: Option<u64>,
    blowup: f64,
    follow: Vec<usize>,
    recorder: Recorder<Point>,
    curvature: CurvatureWatch,
}

impl Trainer {
    /// A trainer at `u₀ = α𝟙, v₀ = 0` with step size γ; each method has its own sampling stream.
    pub fn new(
        problem: Arc<Problem>,
        method: Method,
        alpha: f64,
        gamma: f64,
    ) -> Result<Trainer, SimError> {
        let alpha = check_alpha(alpha)?;
        let gamma = check_positive("gamma", gamma)?;
        let (n, d) = (problem.n(), problem.d());
        match method {
            Method::Sgd { batch } | Method::Sgf { batch, .. } if batch == 0 || batch > n => {
                return Err(SimError::invalid(
                    "batch",
                    batch,
                    format!("an integer in 1..=n (n = {n})"),
                ));
            }
            Method::Sgf { h: Some(h), .. } | Method::Gf { h: Some(h) } => {
                check_positive("h", h)?;
            }
            _ => {}
        }
        let rng = stream_rng(problem.spec.seed, Stream::Sampling(method.kind() as u64));
        let y_max = problem.y.iter().fold(0.0f64, |m, y| m.max(y.abs()));
        let blowup = 1e24 * (1.0 + y_max).powi(2) * n as f64;
        let mut trainer = Trainer {
            stepper: Stepper::new(method, gamma, n, d, rng),
            net: DiagNet::init(alpha, d),
            coef_sum: vec![0.0; n],
            problem,
            method,
            alpha,
            gamma,
            step: 0,
            loss_integral: 0.0,
            diverged_at: None,
            blowup,
            follow: Vec::new(),
            recorder: Recorder::new(SAMPLE_CAPACITY),
            curvature: CurvatureWatch::default(),
        };
        trainer.record();
        Ok(trainer)
    }

    /// One tracked step; returns false (and steps nothing) once diverged.
    pub fn step_once(&mut self) -> bool {
        if self.diverged_at.is_some() {
            return false;
        }
        let info = self
            .stepper
            .step::<true>(&self.problem, &mut self.net, &mut self.coef_sum);
        let within_bounds = info.residual_sq <= self.blowup; // false for NaN too
        if !within_bounds {
            self.diverged_at = Some(self.step);
            return false;
        }
        self.loss_integral += info.loss_estimate * self.dt();
        self.step += 1;
        true
    }

    /// Steps until step `target`, a training loss `≤ tol` (if `tol > 0`) or divergence,
    /// recording samples on the recorder's schedule and the final state.
    pub fn run(&mut self, target: u64, tol: f64) -> Stop {
        let mut stop = Stop::Budget;
        while self.step < target {
            let mut next = target.min(self.recorder.next_due(self.step + 1));
            if tol > 0.0 {
                next = next.min((self.step / CHECK_EVERY + 1) * CHECK_EVERY);
            }
            while self.step < next {
                if !self.step_once() {
                    break;
                }
            }
            if self.diverged_at.is_some() {
                stop = Stop::Diverged;
                break;
            }
            if self.recorder.next_due(self.step) == self.step {
                self.record();
            }
            if tol > 0.0
                && self.step.is_multiple_of(CHECK_EVERY)
                && self.net.loss(&self.problem) <= tol
            {
                stop = Stop::Converged;
                break;
            }
        }
        self.record();
        stop
    }

    /// Why a run that used its whole budget stopped: [`Stop::NotConverged`] when its loss over
    /// the second half of the run fell by less than 10% and is not at round-off, else
    /// [`Stop::Budget`] (it needs more steps).
    pub fn stop_at_budget(&self) -> Stop {
        let half = self.step / 2;
        let earlier = (self.recorder.iter())
            .take_while(|(s, _)| *s <= half)
            .last()
            .map(|(_, p)| p.sample.loss);
        let first = self.recorder.iter().next().map(|(_, p)| p.sample.loss);
        let now = self.net.loss(&self.problem);
        match (earlier, first) {
            (Some(then), Some(first)) if now >= 0.9 * then && now > 1e-24 * first => {
                Stop::NotConverged
            }
            _ => Stop::Budget,
        }
    }

    /// Steps `k` times without tracking `Γ`, `∫L`, divergence or samples (for benchmarks).
    pub fn advance_untracked(&mut self, k: u64) {
        for _ in 0..k {
            self.stepper
                .step::<false>(&self.problem, &mut self.net, &mut self.coef_sum);
        }
        self.step += k;
    }

    /// Records β at these coordinates with every sample from now on (the history restarts).
    pub fn follow(&mut self, coords: Vec<usize>) {
        self.follow = coords
            .into_iter()
            .filter(|&j| j < self.problem.d())
            .collect();
        self.recorder = Recorder::new(SAMPLE_CAPACITY);
        self.record();
    }

    fn record(&mut self) {
        let beta = self.net.beta();
        let n = self.problem.n() as f64;
        // The work of one step in units of one n×d product.
        let step_cost = match self.method {
            Method::Sgd { batch } => 2.0 * batch as f64 / n,
            Method::Gf { .. } => 8.0,
            Method::Gd | Method::Sgf { .. } => 2.0,
        };
        let sharp = !self.method.kind().is_stochastic();
        (self.curvature).observe(self.step, step_cost, sharp, &self.net, &self.problem);
        let sample = self.sample_of(&beta);
        if sample.loss.is_finite() && beta.iter().all(|b| b.is_finite()) {
            let coords = self.follow.iter().map(|&j| beta[j]).collect();
            self.recorder.push(self.step, Point { sample, coords });
        } else if self.diverged_at.is_none() {
            self.diverged_at = Some(self.step);
        }
    }

    /// The scalar state now.
    pub fn sample(&self) -> Sample {
        self.sample_of(&self.net.beta())
    }

    fn sample_of(&self, beta: &[f64]) -> Sample {
        let ratios: Vec<f64> = self
            .net
            .alpha_eff()
            .iter()
            .map(|a| a / self.alpha)
            .collect();
        let log_mean = ratios.iter().map(|r| r.ln()).sum::<f64>() / ratios.len() as f64;
        let diag_mean =
            self.problem.diag_xtx.iter().sum::<f64>() / self.problem.diag_xtx.len() as f64;
        Sample {
            step: self.step,
            time: self.time(),
            loss: self.problem.loss(beta),
            loss_integral: self.loss_integral,
            alpha_ratio: log_mean.exp(),
            alpha_ratio_min: ratios.iter().copied().fold(f64::INFINITY, f64::min),
            alpha_ratio_max: ratios.iter().copied().fold(0.0, f64::max),
            alpha_ratio_p21: (-self.p21_rate() * diag_mean).exp(),
            recovery_error: self.problem.error(beta),
            test_error: self.problem.expected_test_error(beta),
            curvature: self.curvature.latest.unwrap_or(f64::NAN),
        }
    }

    /// `2(γ/b)∫L`: P21's `α_t = α exp(−rate·(XᵀX/n)_jj)`.
    fn p21_rate(&self) -> f64 {
        2.0 * self.method.noise_level(self.gamma) * self.loss_integral
    }

    /// P21's effective initialisation `α_t = α ⊙ exp(−2(γ/b)(XᵀX/n)_jj ∫₀^t L ds)`.
    pub fn alpha_p21(&self) -> Vec<f64> {
        let rate = self.p21_rate();
        self.problem
            .diag_xtx
            .iter()
            .map(|g| self.alpha * (-rate * g).exp())
            .collect()
    }

    /// `(ρ_t, β̃_t)`: the run ends at `argmin_{Xβ=y} D_{ψ_ρ}(β, β̃)` if α_t stops shrinking now.
    pub fn implicit_target(&self) -> (Vec<f64>, Vec<f64>) {
        self.net.rho_and_offset(&self.gamma_sum())
    }

    /// The dual step `D` of the last step.
    pub fn last_dual_step(&self, out: &mut [f64]) {
        self.stepper.last_dual_step(&self.problem, out);
    }

    /// The run's one history: decimated points in step order.
    pub fn samples(&self) -> &Recorder<Point> {
        &self.recorder
    }

    /// The network now.
    pub fn net(&self) -> &DiagNet {
        &self.net
    }

    /// `β_t = u ⊙ v`.
    pub fn beta(&self) -> Vec<f64> {
        self.net.beta()
    }

    /// `Γ_t = Σ_{j<k} D_j = Xᵀc` with the tracked coefficients c.
    pub fn gamma_sum(&self) -> Vec<f64> {
        crate::model::linalg::xt_mul(self.problem.x(), &self.coef_sum)
    }

    /// The shared problem.
    pub fn problem(&self) -> &Arc<Problem> {
        &self.problem
    }

    /// The method.
    pub fn method(&self) -> Method {
        self.method
    }

    /// Initialisation scale α.
    pub fn alpha(&self) -> f64 {
        self.alpha
    }

    /// Step size γ.
    pub fn gamma(&self) -> f64 {
        self.gamma
    }

    /// Steps taken.
    pub fn step(&self) -> u64 {
        self.step
    }

    /// Time per step.
    pub fn dt(&self) -> f64 {
        self.method.dt(self.gamma)
    }

    /// Physical time `k·Δt`.
    pub fn time(&self) -> f64 {
        self.step as f64 * self.dt()
    }

    /// `∫₀^t L ds` as accumulated.
    pub fn loss_integral(&self) -> f64 {
        self.loss_integral
    }

    /// The step at which the run diverged, if it did.
    pub fn diverged_at(&self) -> Option<u64> {
        self.diverged_at
    }
}
