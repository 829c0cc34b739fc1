//! Where a run ends according to the theory, and how far it is from there.

use super::bias::{BiasSolution, implicit_bias};
use super::error::SimError;
use super::lasso::weight_decay_limit;
use super::linalg::{dist2, norm_inf, norm2};
use super::net::DiagNet;
use super::problem::Problem;
use super::references::{L1Solver, basis_pursuit_solve, min_l2};
use super::trainer::Trainer;

/// The reference interpolators of a problem.
#[derive(Clone, Debug, PartialEq)]
pub struct References {
    /// Basis pursuit `argmin_{Xβ=y} ‖β‖₁`.
    pub beta_l1: Vec<f64>,
    /// Minimum ℓ2 `Xᵀ(XXᵀ)⁻¹y`.
    pub beta_l2: Vec<f64>,
    /// `‖β_ℓ1 − β*‖²`.
    pub l1_error: f64,
    /// `‖β_ℓ2 − β*‖²`.
    pub l2_error: f64,
    /// How basis pursuit was solved.
    pub l1_solver: L1Solver,
}

impl References {
    /// Computes both reference interpolators (needs `d > n`).
    pub fn compute(problem: &Problem) -> Result<References, SimError> {
        References::compute_until(problem, &std::sync::atomic::AtomicBool::new(false))
    }

    /// [`References::compute`], given up with [`SimError::Cancelled`] once `cancel` is raised.
    pub fn compute_until(
        problem: &Problem,
        cancel: &std::sync::atomic::AtomicBool,
    ) -> Result<References, SimError> {
        let y = problem.y_slice();
        let (beta_l1, l1_solver) = basis_pursuit_solve(problem.x(), y, cancel)?;
        let beta_l2 = min_l2(problem.x(), y)?;
        Ok(References {
            l1_error: problem.error(&beta_l1),
            l2_error: problem.error(&beta_l2),
            beta_l1,
            beta_l2,
            l1_solver,
        })
    }
}

/// P21's scale of the uniform initialisation: `ρ₀ = α²/2` in every coordinate.
pub fn rho0(alpha: f64, d: usize) -> Vec<f64> {
    vec![alpha * alpha / 2.0; d]
}

/// `ρ = α²/2` per coordinate.
pub fn rho_of_alpha(alpha: &[f64]) -> Vec<f64> {
    alpha.iter().map(|a| a * a / 2.0).collect()
}

/// Gradient flow's limit `argmin_{Xβ=y} ψ_{ρ₀}(β)` with `ρ₀ = α²/2`.
pub fn gf_limit(problem: &Problem, alpha: f64) -> Result<BiasSolution, SimError> {
    let d = problem.d();
    implicit_bias(
        problem.x(),
        problem.y_slice(),
        &rho0(alpha, d),
        &vec![0.0; d],
        None,
    )
}

/// The exact predicted limit `argmin_{Xβ=y} D_{ψ_{ρ_t}}(β, β̃_t)` from the trainer's state.
pub fn predicted_limit(trainer: &Trainer, warm: Option<&[f64]>) -> Result<BiasSolution, SimError> {
    let (rho, offset) = trainer.implicit_target();
    let p = trainer.problem();
    implicit_bias(p.x(), p.y_slice(), &rho, &offset, warm)
}

/// The limit the theory predicts from the dual steps alone, for the noise methods: the
/// prediction of the purely multiplicative chain `s̄ = α e^{L₊}`, `d̄ = α e^{L₋}` of the same steps
/// (ρ̄ = ρ₀ exp(−Σ q(D)) — the product formula). Where the identity holds `(s̄, d̄)` is the state
/// and this is [`predicted_limit`]; isotropic noise moves the state off that chain.
pub fn product_limit(
    trainer: &Trainer,
    warm: Option<&[f64]>,
) -> Option<Result<BiasSolution, SimError>> {
    let (plus, minus) = trainer.dual_logs()?;
    let alpha = trainer.alpha();
    let chain = DiagNet {
        s: plus.iter().map(|l| alpha * l.exp()).collect(),
        d: minus.iter().map(|l| alpha * l.exp()).collect(),
    };
    let (rho, offset) = chain.rho_and_offset(&trainer.gamma_sum());
    let p = trainer.problem();
    Some(implicit_bias(p.x(), p.y_slice(), &rho, &offset, warm))
}

/// P21's prediction `argmin_{Xβ=y} ψ_{ρ}(β)` with ρ from the loss-integral formula for α_t
/// (from the dual solution `warm` if given, e.g. [`predicted_limit`]'s).
pub fn p21_limit(trainer: &Trainer, warm: Option<&[f64]>) -> Result<BiasSolution, SimError> {
    let p = trainer.problem();
    let d = p.d();
    implicit_bias(
        p.x(),
        p.y_slice(),
        &rho_of_alpha(&trainer.alpha_p21()),
        &vec![0.0; d],
        warm,
    )
}

/// The geometric mean of `values / alpha`.
pub fn geometric_mean_ratio(values: &[f64], alpha: f64) -> f64 {
    let log_sum: f64 = values.iter().map(|v| (v / alpha).ln()).sum();
    (log_sum / values.len().max(1) as f64).exp()
}

/// Relative distance `‖β − β_pred‖ / ‖β‖`.
pub fn relative_gap(beta: &[f64], predicted: &[f64]) -> f64 {
    dist2(beta, predicted) / norm2(beta).max(f64::MIN_POSITIVE)
}

/// What [`support_size`] counts, in words (the Numbers table's tooltip).
pub const SUPPORT_RULE: &str = "support size: the number of coordinates with |β_j| ≥ max(10⁻³·m, min(α², m/10)), m = max_k |β_k|, α the initialisation scale (u₀ = α𝟙). Below α² a coordinate has not left the initialisation's scale (there the potential ψ_α is quadratic, not ℓ1-like); 10⁻³·m drops what is negligible next to the largest coordinate when α is tiny; m/10 caps the α² rule in the kernel regime (α² ≥ m/10), where β is dense and every coordinate past a tenth of the largest counts";

/// The support size of `beta` at initialisation scale `alpha`: see [`SUPPORT_RULE`].
pub fn support_size(beta: &[f64], alpha: f64) -> usize {
    let m = norm_inf(beta);
    let threshold = (1e-3 * m).max((alpha * alpha).min(0.1 * m));
    beta.iter()
        .filter(|b| b.abs() >= threshold && **b != 0.0)
        .count()
}

/// The end state of a run and its distance to the theory's predictions.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    /// Steps taken.
    pub steps_run: u64,
    /// Exact training loss at the end.
    pub final_loss: f64,
    /// `‖β_T − β*‖²`.
    pub recovery_error: f64,
    /// Mean squared error on the noiseless test set.
    pub test_error: f64,
    /// The closed-form `(β − β*)ᵀ M (β − β*) + σ²` of a generated design (NaN on loaded data).
    pub expected_test_error: f64,
    /// Geometric mean of the exact `α_T/α`.
    pub alpha_ratio: f64,
    /// Geometric mean of P21's `α_T/α`.
    pub alpha_ratio_p21: f64,
    /// Geometric mean of the product formula `exp(−½ Σ q(D_k))` for the noise methods, which
    /// track it: equal to `alpha_ratio` where the identity holds, not for isotropic noise.
    pub alpha_ratio_product: Option<f64>,
    /// `∫₀^T L ds`.
    pub loss_integral: f64,
    /// `‖β_T − argmin D_{ψ_{ρ_T}}(·, β̃_T)‖/‖β_T‖`, with weight decay the distance to its Lasso
    /// point (None if diverged or `n ≥ d`).
    pub predicted_gap: Option<f64>,
    /// The same against P21's loss-integral prediction.
    pub predicted_gap_p21: Option<f64>,
    /// The same against [`product_limit`], the prediction from the dual steps alone (the noise
    /// methods): equal to `predicted_gap` where the identity holds, not for isotropic noise.
    pub predicted_gap_product: Option<f64>,
    /// The step at which the run diverged, if it did.
    pub diverged_at_step: Option<u64>,
}

impl Outcome {
    /// Evaluates a finished run; the predictions need `d > n` and a run that did not diverge.
    pub fn of(trainer: &Trainer) -> Outcome {
        let beta = trainer.beta();
        let p = trainer.problem();
        let sample = trainer.sample();
        let diverged = trainer.diverged_at().is_some();
        let usable = !diverged && p.is_overparametrised();
        let gap = |s: &Result<BiasSolution, SimError>| {
            s.as_ref().ok().map(|s| relative_gap(&beta, &s.beta))
        };
        let (predicted_gap, predicted_gap_p21, predicted_gap_product) = match trainer.weight_decay()
        {
            // Weight decay's limit is a Lasso point; the mirror-flow predictions do not apply.
            decay if decay > 0.0 => {
                let lasso = usable.then(|| weight_decay_limit(p.x(), p.y_slice(), decay));
                let gap = lasso.and_then(|l| l.ok()).map(|l| relative_gap(&beta, &l));
                (gap, None, None)
            }
            _ => {
                // The other predictions start from the state's: at nearby ρ, a few Newton steps.
                let predicted = usable.then(|| predicted_limit(trainer, None));
                let warm = predicted.as_ref().and_then(|s| s.as_ref().ok());
                let warm = warm.map(|s| s.lambda.as_slice());
                let product = usable.then(|| product_limit(trainer, warm).map(|s| gap(&s)));
                (
                    predicted.as_ref().and_then(gap),
                    usable.then(|| gap(&p21_limit(trainer, warm))).flatten(),
                    product.flatten().flatten(),
                )
            }
        };
        Outcome {
            steps_run: trainer.step(),
            final_loss: sample.loss,
            recovery_error: sample.recovery_error,
            test_error: p.test_error(&beta),
            expected_test_error: sample.test_error,
            alpha_ratio: sample.alpha_ratio,
            alpha_ratio_p21: sample.alpha_ratio_p21,
            alpha_ratio_product: trainer
                .alpha_product()
                .map(|a| geometric_mean_ratio(&a, trainer.alpha())),
            loss_integral: trainer.loss_integral(),
            predicted_gap,
            predicted_gap_p21,
            predicted_gap_product,
            diverged_at_step: trainer.diverged_at(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The threshold is the larger of 10⁻³ of the largest |β_j| and α² (at most a tenth of the
    /// largest), inclusive; zeros never count.
    #[test]
    fn support_size_counts_coordinates_past_both_thresholds() {
        let beta = [1.0, -0.5, 2e-3, -1e-3, 9.99e-4, 1e-5, 0.0];
        // α² = 10⁻⁶ < 10⁻³·max: the relative rule decides (1e-3 itself counts).
        assert_eq!(support_size(&beta, 1e-3), 4);
        // α² = 10⁻² > 10⁻³·max: the α²-small coordinates 2e-3 and 1e-3 no longer count.
        assert_eq!(support_size(&beta, 0.1), 2);
        // α² = 0.0025 < m/10: β_3 = 2e-3 is below it, β_2 = −0.05 past it.
        assert_eq!(support_size(&[1.0, -0.05, 2e-3], 0.05), 2);
        // α² ≥ m/10 (the kernel regime, α ≥ 0.32 here): a tenth of the largest decides, and
        // exactly at it counts.
        assert_eq!(support_size(&beta, 0.5), 2);
        assert_eq!(support_size(&[1.0, 0.1, 0.099], 2.0), 2);
        // An all-zero β has no support even at α → 0.
        assert_eq!(support_size(&[0.0; 4], 1e-200), 0);
        assert_eq!(support_size(&[-3.0, 3.0, 3e-3, 2.9e-3], 1e-9), 3);
    }
}
