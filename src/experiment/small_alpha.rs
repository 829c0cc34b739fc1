//! What a scene's data predicts as α → 0 (docs/saddles.md): the saddle-to-saddle staircase of
//! gradient flow in rescaled time `τ = t/ln(1/α)`, the loss on each plateau, and the Lasso path
//! that the running mean follows at `λ = ln(1/α)/t`. Computed once per data set.

use crate::model::Problem;
use crate::model::lasso::LassoPath;
use crate::model::saddles::{Staircase, saddles};

/// Largest problem (entries of X) whose staircase and Lasso path are computed.
pub const SMALL_ALPHA_UP_TO: usize = 1 << 20;

/// The small-α predictions of one data set.
#[derive(Clone, Debug, PartialEq)]
pub struct SmallAlpha {
    /// The staircase, or why it is not determined (a tie, no interpolator …).
    pub staircase: Result<Staircase, String>,
    /// The loss `‖Xβ − y‖²/(4n)` at β⁰ = 0 and at each saddle.
    pub losses: Vec<f64>,
    /// The Lasso path (None if the homotopy failed).
    pub lasso: Option<LassoPath>,
}

impl SmallAlpha {
    /// The predictions of `problem` (None above [`SMALL_ALPHA_UP_TO`] entries).
    pub fn of(problem: &Problem) -> Option<SmallAlpha> {
        if problem.n() * problem.d() > SMALL_ALPHA_UP_TO {
            return None;
        }
        let (x, y) = (problem.x(), problem.y_slice());
        let staircase = saddles(x, y).map_err(|e| e.to_string());
        let mut losses = vec![problem.loss(&vec![0.0; problem.d()])];
        if let Ok(stairs) = &staircase {
            losses.extend(stairs.saddles.iter().map(|s| problem.loss(&s.beta)));
        }
        let lasso = LassoPath::of(x, y).ok();
        Some(SmallAlpha {
            staircase,
            losses,
            lasso,
        })
    }

    /// The order (0 = first) in which each coordinate first joins the support, by coordinate.
    pub fn join_order(&self, d: usize) -> Vec<Option<usize>> {
        let mut order = vec![None; d];
        let mut next = 0;
        for s in self.staircase.iter().flat_map(|st| &st.saddles) {
            for &j in &s.joins {
                if j < d && order[j].is_none() {
                    order[j] = Some(next);
                    next += 1;
                }
            }
        }
        order
    }
}
