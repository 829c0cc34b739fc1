//! A run's predicted limit as a job for a background thread: the solve of
//! `argmin D_{ψ_{ρ_t}}(·, β̃_t)` from the state (with weight decay, the Lasso point it picks),
//! with the α views and, for the noise methods that break the identity, the prediction from their
//! dual steps.

use std::sync::atomic::AtomicBool;

use crate::model::Trainer;
use crate::model::analysis::{product_limit, relative_gap};
use crate::model::bias::{SolveOptions, implicit_bias_with};
use crate::model::lasso::weight_decay_limit;

use super::frame::Prediction;

/// A predicted limit and its dual solution (the next solve's warm start), if the solve worked.
pub type Predicted = Option<(Prediction, Vec<f64>)>;

/// The solve of a run's predicted limit `argmin D_{ψ_{ρ_t}}(·, β̃_t)` from its state now, as a
/// job that owns its inputs (so it can run on another thread).
pub fn prediction_job(
    trainer: &Trainer,
    warm: Option<Vec<f64>>,
    coords: Vec<usize>,
) -> impl FnOnce(&AtomicBool) -> Predicted + Send + 'static {
    let (rho, offset) = trainer.implicit_target();
    let problem = trainer.problem().clone();
    let beta = trainer.beta();
    let step = trainer.step();
    let alpha_exact = ratio_to(trainer.net().alpha_eff(), trainer.alpha());
    let alpha_p21 = ratio_to(trainer.alpha_p21(), trainer.alpha());
    let alpha_product = (trainer.alpha_product()).map(|a| ratio_to(a, trainer.alpha()));
    let product = product_prediction(trainer, &coords, warm.as_deref());
    let decay = trainer.weight_decay();
    move |cancel| {
        let options = SolveOptions {
            warm: warm.as_deref(),
            cancel: Some(cancel),
            ..SolveOptions::default()
        };
        let (x, y) = (problem.x(), problem.y_slice());
        let (limit, dual) = match decay > 0.0 {
            true => (weight_decay_limit(x, y, decay).ok()?, Vec::new()),
            false => {
                let solution = implicit_bias_with(x, y, &rho, &offset, &options).ok()?;
                (solution.beta, solution.lambda)
            }
        };
        let prediction = Prediction {
            step,
            coords: coords.iter().map(|&j| limit[j]).collect(),
            gap: relative_gap(&beta, &limit),
            alpha_exact,
            alpha_p21,
            alpha_product,
            product,
        };
        Some((prediction, dual))
    }
}

/// For a method whose steps break the identity, the prediction from its dual steps alone at
/// the followed coordinates and the run's relative distance to it.
fn product_prediction(
    trainer: &Trainer,
    coords: &[usize],
    warm: Option<&[f64]>,
) -> Option<(Vec<f64>, f64)> {
    if trainer.method().kind().keeps_mirror_identity() || trainer.weight_decay() > 0.0 {
        return None;
    }
    let solution = product_limit(trainer, warm)?.ok()?;
    let gap = relative_gap(&trainer.beta(), &solution.beta);
    Some((coords.iter().map(|&j| solution.beta[j]).collect(), gap))
}

/// `values / alpha`, element by element.
fn ratio_to(mut values: Vec<f64>, alpha: f64) -> Vec<f64> {
    values.iter_mut().for_each(|v| *v /= alpha);
    values
}
