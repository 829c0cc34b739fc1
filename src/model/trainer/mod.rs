//! The trainer: steps one method, accumulates `∫L` and `Γ`, detects divergence and records
//! bounded samples of the run.

use std::sync::Arc;
use std::time::Duration;

use super::config::{
    check_alpha, check_momentum, check_positive, check_sam_radius, check_sigma, check_weight_decay,
};
use super::error::SimError;
use super::method::{Method, Stepper};
use super::net::DiagNet;
use super::problem::{Problem, Stream, stream_rng};
use super::recorder::Recorder;
use super::sampling::{self, Fidelity, LossWindow, SampleBudget};
pub use super::sampling::{Point, Sample};
use super::sharpness::CurvatureWatch;
pub use super::stop::Stop;
use crate::platform::Instant;

mod record;
mod schedule;

/// Strided samples kept per run (log-spaced early samples come on top).
pub const SAMPLE_CAPACITY: usize = 2048;
/// Largest problem (entries of `X`) whose off-schedule samples are exact.
pub const EXACT_MARKS_UP_TO: usize = 1 << 20;

/// Steps between two looks at a cancel flag by callers that step in fixed pieces.
pub const WATCH_EVERY: u64 = 1 << 14;

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
    budget: SampleBudget,
    last_loss: f64,
    window: LossWindow,
    diag_mean: f64,
    history: bool,
    checkpoints: Vec<(u64, f64)>,
    mean: record::RunningMean,
    scheduled: Option<Box<schedule::Scheduled>>,
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
            Method::LabelNoise { sigma, .. } => {
                check_sigma("sigma-label", sigma)?;
            }
            Method::IsoNoise { sigma, .. } => {
                check_sigma("sigma-iso", sigma)?;
            }
            Method::Momentum { beta } => {
                check_momentum(beta)?;
            }
            Method::Sam { rho, .. } => {
                check_sam_radius(rho)?;
            }
            _ => {}
        }
        let rng = stream_rng(problem.spec.seed, Stream::Sampling(method.kind() as u64));
        let y_max = problem.y.iter().fold(0.0f64, |m, y| m.max(y.abs()));
        let blowup = 1e24 * (1.0 + y_max).powi(2) * n as f64;
        let diag_mean = problem.diag_xtx.iter().sum::<f64>() / d as f64;
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
            budget: SampleBudget::default(),
            last_loss: f64::NAN,
            window: LossWindow::of(method, n),
            diag_mean,
            history: true,
            checkpoints: Vec::new(),
            mean: record::RunningMean::new(d),
            scheduled: None,
        };
        trainer.record(Fidelity::Exact);
        trainer.checkpoint();
        Ok(trainer)
    }

    /// This trainer with weight decay λ_wd on both layers (before its first step).
    pub fn with_weight_decay(mut self, lambda: f64) -> Result<Trainer, SimError> {
        let lambda = check_weight_decay(lambda)?;
        self.stepper = self.stepper.with_weight_decay(lambda);
        Ok(self)
    }

    /// Weight decay λ_wd (0: none).
    pub fn weight_decay(&self) -> f64 {
        self.stepper.weight_decay()
    }

    /// One tracked step; returns false (and steps nothing) once diverged.
    pub fn step_once(&mut self) -> bool {
        self.schedule_piece(self.step + 1);
        self.steps(1) == 1
    }

    /// Up to `k` tracked steps, fewer at divergence (the step that diverged is applied but not
    /// counted); returns the steps counted.
    fn steps(&mut self, k: u64) -> u64 {
        if self.diverged_at.is_some() {
            return 0;
        }
        let (blowup, dt, start, before) = (self.blowup, self.dt(), self.step, self.loss_integral);
        let Trainer {
            stepper,
            problem,
            net,
            coef_sum,
            step,
            loss_integral,
            last_loss,
            diverged_at,
            ..
        } = self;
        stepper.steps::<true>(problem, net, coef_sum, k, |info| {
            let within_bounds = info.residual_sq <= blowup; // false for NaN too
            if !within_bounds {
                *diverged_at = Some(*step);
                return false;
            }
            *loss_integral += info.loss_estimate * dt;
            *last_loss = info.loss_estimate;
            *step += 1;
            true
        });
        let taken = self.step - start;
        self.schedule_account(taken, self.loss_integral - before);
        taken
    }

    /// Steps until step `target`, a training loss `≤ tol` (if `tol > 0`) or divergence,
    /// recording samples on the recorder's schedule within the sample budget, and the final
    /// state exactly.
    pub fn run(&mut self, target: u64, tol: f64) -> Stop {
        let stop = self.run_until(target, tol);
        self.finish();
        stop
    }

    /// [`Trainer::run_until`] in pieces of about a millisecond (`chunk` steps, adapted as it
    /// goes), asking `pause` after each: short of `target` (at [`Stop::Budget`]) once it says
    /// so. The pieces change nothing the run computes or records.
    pub fn run_paced(
        &mut self,
        target: u64,
        tol: f64,
        chunk: &mut u64,
        pause: impl Fn() -> bool,
    ) -> Stop {
        while self.step < target {
            let started = Instant::now();
            let stop = self.run_until(self.step.saturating_add(*chunk).min(target), tol);
            let took = started.elapsed();
            if took < Duration::from_micros(500) {
                *chunk = chunk.saturating_mul(2);
            } else if took > Duration::from_millis(2) {
                *chunk = (*chunk / 2).max(1);
            }
            if stop != Stop::Budget || pause() {
                return stop;
            }
        }
        Stop::Budget
    }

    /// [`Trainer::run`] in pieces: the final state is recorded exactly only when the run
    /// converged or diverged (call [`Trainer::finish`] at the end of the budget), so a run
    /// stepped in chunks records exactly what one call would.
    pub fn run_until(&mut self, target: u64, tol: f64) -> Stop {
        let check_every = sampling::check_every(self.step_cost());
        while self.step < target {
            let mut next = target.min((self.step + 1).next_power_of_two());
            if self.history {
                next = next.min(self.recorder.next_due(self.step + 1));
            }
            if tol > 0.0 {
                next = next.min((self.step / check_every + 1) * check_every);
            }
            let next = self.schedule_piece(next);
            self.steps(next - self.step);
            if self.diverged_at.is_some() {
                self.finish();
                return Stop::Diverged;
            }
            if tol > 0.0
                && self.step.is_multiple_of(check_every)
                && self.net.loss(&self.problem) <= tol
            {
                self.finish();
                return Stop::Converged;
            }
            if self.step.is_power_of_two() {
                self.checkpoint();
            }
            if self.history && self.recorder.next_due(self.step) == self.step {
                let stepped = self.step as f64 * self.step_cost();
                let fidelity = (self.budget).choose(stepped, self.problem.n(), self.problem.d());
                self.record(fidelity);
            }
        }
        Stop::Budget
    }

    /// The work of one step in units of one `n×d` product.
    fn step_cost(&self) -> f64 {
        (self.method).step_cost(self.problem.n(), self.problem.d())
    }

    /// Steps `k` times without tracking `Γ`, `∫L`, divergence or samples (for benchmarks).
    pub fn advance_untracked(&mut self, k: u64) {
        (self.stepper).steps::<false>(&self.problem, &mut self.net, &mut self.coef_sum, k, |_| {
            true
        });
        self.step += k;
    }

    /// `2(γ/b)∫L` (`2Σ(γ_k/b)L_kΔt_k` under a schedule): P21's `α_t = α exp(−rate·(XᵀX/n)_jj)`.
    fn p21_rate(&self) -> f64 {
        match self.schedule_sums() {
            Some((_, noise_integral)) => 2.0 * noise_integral,
            None => 2.0 * self.method.noise_level(self.gamma) * self.loss_integral,
        }
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

    /// `(Σ_k ln|1 + D_k|, Σ_k ln|1 − D_k|)` per coordinate, tracked by the noise methods: a
    /// purely multiplicative chain of the same dual steps would be at `s = α e^{L₊}`,
    /// `d = α e^{L₋}` (`None` for the other methods, whose state is that chain).
    pub fn dual_logs(&self) -> Option<(&[f64], &[f64])> {
        self.stepper.dual_logs()
    }

    /// `α exp(−½ Σ_k q(D_k)) = α e^{(L₊ + L₋)/2}` per coordinate, the product formula of the
    /// exact α_t, for the noise methods.
    pub fn alpha_product(&self) -> Option<Vec<f64>> {
        let (plus, minus) = self.dual_logs()?;
        let product = plus
            .iter()
            .zip(minus)
            .map(|(p, m)| self.alpha * (0.5 * (p + m)).exp());
        Some(product.collect())
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

    /// Time per step (now, under a schedule).
    pub fn dt(&self) -> f64 {
        self.stepper.dt()
    }

    /// Physical time `k·Δt` (`Σ_k Δt_k` under a schedule).
    pub fn time(&self) -> f64 {
        match self.schedule_sums() {
            Some((time, _)) => time,
            None => self.step as f64 * self.dt(),
        }
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
