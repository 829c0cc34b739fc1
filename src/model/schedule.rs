//! Step-size schedules (docs/dynamics.md#step-size-schedules): step k of a run with budget K uses
//! `γ_k = γ·m(k/K)` — constant, step decay at fractions of the budget, or cosine.

use std::fmt;
use std::str::FromStr;

use super::error::SimError;
use super::format::exact;

/// Most decay points of a step schedule.
pub const MAX_DECAYS: usize = 16;

/// The multiplier `m(k/K)` of γ along a run.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Schedule {
    /// `m = 1` (every run before schedules existed).
    #[default]
    Constant,
    /// `m = factor^(number of fractions F_i with k ≥ F_i·K)`.
    Step {
        /// Increasing fractions of the budget in (0, 1).
        at: Vec<f64>,
        /// The factor applied at each, in (0, 1].
        factor: f64,
    },
    /// `m = (1 + cos(π k/K))/2`.
    Cosine,
}

/// The allowed forms, in words.
const FORMS: &str = "constant, cosine or step:F1,F2,…:FACTOR with increasing fractions 0 < F < 1 of the budget (at most 16) and 0 < FACTOR ≤ 1";

impl Schedule {
    /// The multiplier of γ at step `k` of a budget of `budget` steps.
    pub fn factor(&self, k: u64, budget: u64) -> f64 {
        match self {
            Schedule::Constant => 1.0,
            Schedule::Step { at, factor } => {
                let passed = at.iter().filter(|&&f| k >= boundary(f, budget)).count();
                factor.powi(passed as i32)
            }
            Schedule::Cosine => {
                let x = k as f64 / budget.max(1) as f64;
                0.5 * (1.0 + (std::f64::consts::PI * x.min(1.0)).cos())
            }
        }
    }

    /// The first step after `k` at which the multiplier may change (`u64::MAX` if never).
    pub fn next_change(&self, k: u64, budget: u64) -> u64 {
        match self {
            Schedule::Constant => u64::MAX,
            Schedule::Step { at, .. } => (at.iter())
                .map(|&f| boundary(f, budget))
                .find(|&b| b > k)
                .unwrap_or(u64::MAX),
            Schedule::Cosine => k + 1,
        }
    }

    /// Whether every step uses γ itself.
    pub fn is_constant(&self) -> bool {
        *self == Schedule::Constant
    }
}

/// The step at which fraction `f` of the budget is reached.
fn boundary(f: f64, budget: u64) -> u64 {
    (f * budget as f64).ceil() as u64
}

impl fmt::Display for Schedule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Schedule::Constant => f.write_str("constant"),
            Schedule::Cosine => f.write_str("cosine"),
            Schedule::Step { at, factor } => {
                let at: Vec<String> = at.iter().map(|&x| exact(x)).collect();
                write!(f, "step:{}:{}", at.join(","), exact(*factor))
            }
        }
    }
}

impl FromStr for Schedule {
    type Err = SimError;
    fn from_str(text: &str) -> Result<Schedule, SimError> {
        let bad = || SimError::invalid("schedule", text, FORMS);
        match text.trim() {
            "constant" => return Ok(Schedule::Constant),
            "cosine" => return Ok(Schedule::Cosine),
            _ => {}
        }
        let rest = text.trim().strip_prefix("step:").ok_or_else(bad)?;
        let (at, factor) = rest.rsplit_once(':').ok_or_else(bad)?;
        let factor: f64 = factor.trim().parse().map_err(|_| bad())?;
        let at: Vec<f64> = (at.split(','))
            .map(|x| x.trim().parse::<f64>())
            .collect::<Result<_, _>>()
            .map_err(|_| bad())?;
        let increasing = at.windows(2).all(|w| w[0] < w[1]);
        let inside = at.iter().all(|f| *f > 0.0 && *f < 1.0);
        if at.is_empty() || at.len() > MAX_DECAYS || !increasing || !inside {
            return Err(bad());
        }
        if !(factor > 0.0 && factor <= 1.0) {
            return Err(bad());
        }
        Ok(Schedule::Step { at, factor })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedules_read_write_and_step_as_documented() {
        for text in [
            "constant",
            "cosine",
            "step:0.5:0.1",
            "step:0.25,0.5,0.75:0.5",
        ] {
            let s: Schedule = text.parse().expect(text);
            assert_eq!(s.to_string(), text);
        }
        let s: Schedule = "step:0.5,0.75:0.1".parse().expect("valid");
        let m: Vec<f64> = [0, 499, 500, 749, 750, 999]
            .map(|k| s.factor(k, 1000))
            .to_vec();
        assert_eq!(m, [1.0, 1.0, 0.1, 0.1, 0.1f64.powi(2), 0.1f64.powi(2)]);
        assert_eq!(s.next_change(0, 1000), 500);
        assert_eq!(s.next_change(500, 1000), 750);
        assert_eq!(s.next_change(750, 1000), u64::MAX);
        assert_eq!(Schedule::Cosine.factor(0, 100), 1.0);
        assert!((Schedule::Cosine.factor(50, 100) - 0.5).abs() < 1e-15);
        for bad in [
            "step:0.5",
            "step:0.5:0",
            "step:0.5:1.5",
            "step:0.7,0.3:0.5",
            "step:1:0.5",
            "step::0.5",
            "linear",
        ] {
            let e = bad.parse::<Schedule>().expect_err(bad).to_string();
            assert!(e.contains("schedule") && e.contains(bad), "{e}");
        }
    }
}
