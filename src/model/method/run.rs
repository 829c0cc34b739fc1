//! Runs of steps. SGD with b = 1 fuses each step's update with the next step's residual: the
//! next row is drawn before the update (the sampling stream is the same), so one pass over the
//! state updates it and forms `⟨x_next, β⟩` — the same operations, in the same order, as a step
//! at a time.

use rand::RngExt;

use super::{Last, Method, StepInfo, Stepper};
use crate::model::kernels;
use crate::model::net::DiagNet;
use crate::model::problem::Problem;

/// Fewest entries of `X` (32 MiB, beyond the last-level cache) from which a step fetches the row
/// after next ahead: +12–20 % at 1000 × 10⁴, nothing at 200 × 4000 where `X` stays cached.
const PREFETCH_FROM: usize = 1 << 22;

impl Stepper {
    /// Advances `net` by up to `k` steps, handing each step's [`StepInfo`] to `each`, which says
    /// whether to go on; the step it was handed is applied either way. Returns the steps taken.
    /// The same states, bits and sampling stream as `k` calls of [`Stepper::step`].
    pub fn steps<const TRACK: bool>(
        &mut self,
        p: &Problem,
        net: &mut DiagNet,
        coef_sum: &mut [f64],
        k: u64,
        mut each: impl FnMut(StepInfo) -> bool,
    ) -> u64 {
        if self.method != (Method::Sgd { batch: 1 }) {
            for taken in 1..=k {
                if !each(self.step::<TRACK>(p, net, coef_sum)) {
                    return taken;
                }
            }
            return k;
        }
        if k == 0 {
            return 0;
        }
        let (y, n) = (p.y_slice(), p.n());
        let mut i = self.rng.random_range(0..n);
        let mut r = kernels::dot_beta(p.row(i), &net.s, &net.d) - y[i];
        for taken in 1..=k {
            let coef = -self.gamma * r;
            if TRACK {
                coef_sum[i] += coef;
            }
            self.last = Last::Row { row: i, coef };
            let go_on = each(StepInfo {
                loss_estimate: r * r / 4.0,
                residual_sq: r * r,
            });
            if !go_on || taken == k {
                kernels::sgd1_update(p.row(i), coef, self.keep, &mut net.s, &mut net.d);
                return taken;
            }
            let next = self.rng.random_range(0..n);
            // On a large X the row after next is fetched during this pass (peeked from a copy of
            // the sampling stream, which moves on only when that step is taken).
            let ahead = match n * p.d() >= PREFETCH_FROM {
                true => p.row(self.rng.clone().random_range(0..n)),
                false => &[],
            };
            let (xi, x_next) = (p.row(i), p.row(next));
            let (s, d) = (&mut net.s, &mut net.d);
            r = kernels::sgd1_update_dot(xi, (coef, self.keep), x_next, ahead, s, d) - y[next];
            i = next;
        }
        k
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    use super::*;
    use crate::model::problem::ProblemSpec;

    /// The state, Γ's coefficients and the next draw of the sampling stream after stepping.
    type End = (DiagNet, Vec<f64>, u64, usize);

    fn end(stepper: &mut Stepper, net: DiagNet, coef: Vec<f64>, taken: u64) -> End {
        (net, coef, taken, stepper.rng.random_range(0..1 << 20))
    }

    #[test]
    fn runs_of_steps_equal_single_steps_bit_for_bit() {
        let p = Problem::generate(&ProblemSpec {
            n: 13,
            d: 37,
            s: 3,
            noise: 0.0,
            seed: 4,
            n_test: 0,
            source: Default::default(),
        });
        for method in [
            Method::Sgd { batch: 1 },
            Method::Sgd { batch: 3 },
            Method::Gd,
        ] {
            let fresh = || Stepper::new(method, 0.02, 13, 37, ChaCha8Rng::seed_from_u64(9));
            // Stop after 50 steps from `each` (the 50th is applied), or run all 80.
            for stop_at in [50, 80] {
                let (mut one, mut net, mut coef) = (fresh(), DiagNet::init(0.1, 37), vec![0.0; 13]);
                let mut taken = 0;
                while taken < stop_at {
                    one.step::<true>(&p, &mut net, &mut coef);
                    taken += 1;
                }
                let single = end(&mut one, net, coef, taken);
                let (mut run, mut net, mut coef) = (fresh(), DiagNet::init(0.1, 37), vec![0.0; 13]);
                let mut seen = Vec::new();
                let mut taken = 0;
                for piece in [1, 0, 7, 80] {
                    taken += run.steps::<true>(&p, &mut net, &mut coef, piece, |info| {
                        seen.push(info.residual_sq);
                        seen.len() < stop_at as usize
                    });
                }
                assert_eq!(end(&mut run, net, coef, taken), single, "{method:?}");
                assert!(seen.iter().all(|r| r.is_finite() && *r > 0.0));
            }
        }
    }
}
