//! A trainer under a step-size schedule: each piece of steps runs at one `γ_k = γ·m(k/K)` (the
//! pieces end where the schedule changes), and the time and P21's `Σ (γ_k/b) L_k Δt_k` add up
//! piece by piece.

use super::Trainer;
use crate::model::schedule::Schedule;

/// A schedule in force on a run and what it accumulates.
#[derive(Clone, Debug)]
pub(super) struct Scheduled {
    schedule: Schedule,
    /// The budget K the fractions refer to.
    budget: u64,
    /// `Σ_k Δt_k` so far.
    time: f64,
    /// `Σ_k (γ_k/b) L_k Δt_k` so far: P21's noise integral.
    noise_integral: f64,
}

impl Trainer {
    /// This trainer under `schedule` over a budget of `budget` steps (before its first step); a
    /// constant schedule changes nothing.
    pub fn with_schedule(mut self, schedule: Schedule, budget: u64) -> Trainer {
        self.scheduled = (!schedule.is_constant()).then(|| {
            Box::new(Scheduled {
                schedule,
                budget,
                time: 0.0,
                noise_integral: 0.0,
            })
        });
        self
    }

    /// The end of the next piece of steps at one step size, no further than `next`; sets that
    /// step size.
    pub(super) fn schedule_piece(&mut self, next: u64) -> u64 {
        let Some(s) = &self.scheduled else {
            return next;
        };
        let gamma = self.gamma * s.schedule.factor(self.step, s.budget);
        self.stepper.set_gamma(gamma);
        next.min(s.schedule.next_change(self.step, s.budget))
    }

    /// Adds a piece's `taken` steps and its part of `∫L` to the schedule's sums.
    pub(super) fn schedule_account(&mut self, taken: u64, loss_integral: f64) {
        let (dt, gamma) = (self.stepper.dt(), self.stepper.gamma());
        let noise = self.method.noise_level(gamma);
        if let Some(s) = &mut self.scheduled {
            s.time += taken as f64 * dt;
            s.noise_integral += noise * loss_integral;
        }
    }

    /// The scheduled run's time and P21 noise integral (`None` at a constant step size).
    pub(super) fn schedule_sums(&self) -> Option<(f64, f64)> {
        (self.scheduled.as_ref()).map(|s| (s.time, s.noise_integral))
    }
}
