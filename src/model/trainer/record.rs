//! What a run records of itself: samples on the recorder's schedule within the sample budget,
//! exact-loss checkpoints at powers of two, and the final state.

use super::{EXACT_MARKS_UP_TO, SAMPLE_CAPACITY, Trainer};
use crate::model::analysis::support_size;
use crate::model::linalg::norm1;
use crate::model::recorder::Recorder;
use crate::model::sampling::{Fidelity, Point, Sample, SampleBudget};
use crate::model::stop::Stop;

impl Trainer {
    /// Records the state now exactly (replacing a cheaper sample of this step): the end of a run.
    pub fn finish(&mut self) {
        let exact = |p: &Point| p.sample.loss_exact;
        if !matches!(self.recorder.last(), Some((s, p)) if s == self.step && exact(p)) {
            self.record(Fidelity::Exact);
        }
    }

    /// Records the state now off the schedule (kept until the next sample, outside the budget):
    /// exactly on problems of up to [`EXACT_MARKS_UP_TO`] entries, else cheaply.
    pub fn mark(&mut self) {
        if !self.history || self.recorder.last().is_some_and(|(s, _)| s == self.step) {
            return;
        }
        if self.problem.n() * self.problem.d() <= EXACT_MARKS_UP_TO {
            self.record(Fidelity::Exact);
        } else {
            self.record(Fidelity::Cheap);
        }
    }

    /// Keeps no history from now on: only the final state is recorded (sweeps, bisections), with
    /// no curvature estimate (NaN). The steps, the end state and [`Trainer::stop_at_budget`] are
    /// those of a recorded run.
    pub fn final_only(&mut self) {
        self.history = false;
    }

    /// Notes the exact loss now; taken at step 0 and every power of two.
    pub(super) fn checkpoint(&mut self) {
        if self.checkpoints.last().is_none_or(|&(s, _)| s < self.step) {
            self.checkpoints
                .push((self.step, self.net.loss(&self.problem)));
        }
    }

    /// Takes every due sample exactly from now on (the budget's comparison baseline).
    pub fn sample_everything(&mut self) {
        self.budget = SampleBudget::unlimited();
    }

    /// Why a run that used its whole budget stopped: [`Stop::NotConverged`] when its exact loss
    /// fell by less than 10% since the last power-of-two step in the first half of the run and is
    /// not at round-off, else [`Stop::Budget`] (it needs more steps; always with weight decay).
    pub fn stop_at_budget(&self) -> Stop {
        // With weight decay the loss settles at the Lasso point's, above 0: a flat loss is the
        // end, not an oscillation.
        if self.weight_decay() > 0.0 {
            return Stop::Budget;
        }
        let half = self.step / 2;
        let earlier = (self.checkpoints.iter())
            .take_while(|(s, _)| *s <= half)
            .last()
            .map(|&(_, loss)| loss);
        let first = self.checkpoints.first().map(|&(_, loss)| loss);
        let now = self.net.loss(&self.problem);
        match (earlier, first) {
            (Some(then), Some(first)) if now >= 0.9 * then && now > 1e-24 * first => {
                Stop::NotConverged
            }
            _ => Stop::Budget,
        }
    }

    /// Records β at these coordinates with every sample from now on (the history restarts).
    pub fn follow(&mut self, coords: Vec<usize>) {
        self.follow = coords
            .into_iter()
            .filter(|&j| j < self.problem.d())
            .collect();
        self.recorder = Recorder::new(SAMPLE_CAPACITY);
        self.record(Fidelity::Exact);
    }

    pub(super) fn record(&mut self, fidelity: Fidelity) {
        // The curvature is watched along a history; a run without one does not estimate it.
        if self.history {
            let sharp = !self.method.kind().is_stochastic();
            let step_cost = self.step_cost();
            (self.curvature).observe(self.step, step_cost, sharp, &self.net, &self.problem);
        }
        let beta = self.net.beta();
        self.mean.add(self.time(), &beta);
        if fidelity == Fidelity::Skip {
            self.recorder.pass(self.step);
            return;
        }
        let mut sample = self.sample_of(&beta, fidelity);
        if fidelity == Fidelity::Cheap && !sample.loss.is_finite() {
            sample = self.sample_of(&beta, Fidelity::Exact);
        }
        (self.window).mark(self.step, self.loss_integral, self.time());
        if sample.loss.is_finite() && beta.iter().all(|b| b.is_finite()) {
            let coords = self.follow.iter().map(|&j| beta[j]).collect();
            let mean = self.follow.iter().map(|&j| self.mean.at(j)).collect();
            let point = Point {
                sample,
                coords,
                mean,
            };
            self.recorder.put(self.step, point);
        } else if self.diverged_at.is_none() {
            self.diverged_at = Some(self.step);
        }
    }

    /// The scalar state now.
    pub fn sample(&self) -> Sample {
        self.sample_of(&self.net.beta(), Fidelity::Exact)
    }

    pub(super) fn sample_of(&self, beta: &[f64], fidelity: Fidelity) -> Sample {
        let ratios: Vec<f64> = self
            .net
            .alpha_eff()
            .iter()
            .map(|a| a / self.alpha)
            .collect();
        let log_mean = ratios.iter().map(|r| r.ln()).sum::<f64>() / ratios.len() as f64;
        let loss_exact = fidelity == Fidelity::Exact || self.step == 0;
        let loss = if loss_exact {
            self.problem.loss(beta)
        } else if self.method.kind().is_stochastic() {
            self.window.mean(self.loss_integral, self.time())
        } else {
            self.last_loss
        };
        Sample {
            step: self.step,
            time: self.time(),
            loss,
            loss_exact,
            loss_integral: self.loss_integral,
            alpha_ratio: log_mean.exp(),
            alpha_ratio_min: ratios.iter().copied().fold(f64::INFINITY, f64::min),
            alpha_ratio_max: ratios.iter().copied().fold(0.0, f64::max),
            alpha_ratio_p21: (-self.p21_rate() * self.diag_mean).exp(),
            recovery_error: self.problem.error(beta),
            l1_norm: norm1(beta),
            support_size: support_size(beta, self.alpha),
            test_error: self.problem.expected_test_error(beta),
            curvature: (self.curvature.latest)
                .filter(|_| self.history)
                .unwrap_or(f64::NAN),
        }
    }
}

/// `∫₀ᵗ β_s ds` by the trapezoid rule over the recorded steps: O(d) per recorded step, exact
/// to the recorder's spacing (a run without a history integrates from its start to its end).
#[derive(Clone, Debug)]
pub(super) struct RunningMean {
    integral: Vec<f64>,
    time: f64,
    beta: Vec<f64>,
}

impl RunningMean {
    pub(super) fn new(d: usize) -> RunningMean {
        RunningMean {
            integral: vec![0.0; d],
            time: 0.0,
            beta: Vec::new(),
        }
    }

    /// Adds the piece from the last recorded time to `time`, where β is `beta`.
    pub(super) fn add(&mut self, time: f64, beta: &[f64]) {
        let dt = time - self.time;
        if self.beta.len() == beta.len() && dt > 0.0 {
            for ((s, a), b) in self.integral.iter_mut().zip(&self.beta).zip(beta) {
                *s += 0.5 * dt * (a + b);
            }
        }
        if dt > 0.0 || self.beta.is_empty() {
            self.time = time;
            self.beta.clear();
            self.beta.extend_from_slice(beta);
        }
    }

    /// `β̄_t` at coordinate j (β at t = 0).
    pub(super) fn at(&self, j: usize) -> f64 {
        if self.time > 0.0 {
            self.integral[j] / self.time
        } else {
            self.beta.get(j).copied().unwrap_or(0.0)
        }
    }
}

impl Trainer {
    /// The running mean `β̄_t = (1/t)∫₀ᵗ β_s ds` of every coordinate, integrated over the
    /// recorded steps (docs/saddles.md#the-lasso-reading).
    pub fn beta_mean(&self) -> Vec<f64> {
        (0..self.problem.d()).map(|j| self.mean.at(j)).collect()
    }

    /// The coordinates whose β each recorded point keeps.
    pub fn followed(&self) -> &[usize] {
        &self.follow
    }
}
