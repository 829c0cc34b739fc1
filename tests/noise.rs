//! The shape of the noise (docs/dynamics.md): label-noise GD keeps the exact identities of the
//! multiplicative update, isotropic-noise GD breaks them — each checked against the formulas.

use std::sync::Arc;

use dln_explorer::model::analysis::{predicted_limit, product_limit, relative_gap};
use dln_explorer::model::linalg::{spd_solve, weighted_gram, x_mul};
use dln_explorer::model::{Method, Problem, ProblemSpec, References, StepSize, Stop, Trainer};

fn problem(seed: u64) -> Arc<Problem> {
    Arc::new(Problem::generate(&ProblemSpec {
        n: 40,
        d: 100,
        s: 5,
        noise: 0.0,
        seed,
        n_test: 100,
        source: Default::default(),
    }))
}

/// γ by the rule stable:1 for this problem and α.
fn stable_gamma(p: &Problem, alpha: f64) -> f64 {
    let refs = References::compute(p).expect("references");
    dln_explorer::model::stability::resolve_gamma(
        StepSize::Stable(1.0),
        p.x(),
        Some(&refs.beta_l1),
        alpha,
    )
    .expect("d > n")
}

fn label(sigma: f64, noise_steps: Option<u64>) -> Method {
    Method::LabelNoise { sigma, noise_steps }
}

fn iso(sigma: f64, noise_steps: Option<u64>) -> Method {
    Method::IsoNoise { sigma, noise_steps }
}

/// Steps both trainers k times and asserts their states and dual sums agree bit for bit.
fn assert_bit_identical(mut a: Trainer, mut b: Trainer, k: usize) {
    for _ in 0..k {
        assert!(a.step_once() && b.step_once());
    }
    let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&a.net().s), bits(&b.net().s), "s differs");
    assert_eq!(bits(&a.net().d), bits(&b.net().d), "d differs");
    assert_eq!(bits(&a.gamma_sum()), bits(&b.gamma_sum()), "Γ differs");
    assert_eq!(a.loss_integral().to_bits(), b.loss_integral().to_bits());
}

#[test]
fn both_noises_at_sigma_zero_are_gd_bit_for_bit() {
    let p = problem(2);
    let gamma = stable_gamma(&p, 0.1);
    for method in [label(0.0, None), iso(0.0, None)] {
        let noisy = Trainer::new(p.clone(), method, 0.1, gamma).expect("trainer");
        let gd = Trainer::new(p.clone(), Method::Gd, 0.1, gamma).expect("trainer");
        assert_bit_identical(noisy, gd, 3000);
    }
    // After its noisy steps a noise method steps exactly as GD from the same state.
    let noisy = Trainer::new(p.clone(), label(0.0, Some(0)), 0.1, gamma).expect("trainer");
    let gd = Trainer::new(p.clone(), Method::Gd, 0.1, gamma).expect("trainer");
    assert_bit_identical(noisy, gd, 500);
}

/// The state's `u² − v² = s·d` of every coordinate.
fn u2_minus_v2(t: &Trainer) -> Vec<f64> {
    (t.net().s.iter().zip(&t.net().d))
        .map(|(s, d)| s * d)
        .collect()
}

#[test]
fn label_noise_keeps_the_exact_alpha_and_alpha_keeps_shrinking_on_the_plateau() {
    let p = problem(1);
    let (alpha, sigma) = (0.1, 0.5);
    let gamma = stable_gamma(&p, alpha);
    let mut t = Trainer::new(p.clone(), label(sigma, None), alpha, gamma).expect("trainer");
    // Independently of the trainer's own sum: Σ q(D) of the reported dual steps.
    let d = p.d();
    let (mut q_sum, mut dual) = (vec![0.0; d], vec![0.0; d]);
    let mut checkpoints = Vec::new();
    for k in 1..=60_000u64 {
        assert!(t.step_once());
        t.last_dual_step(&mut dual);
        for (q, x) in q_sum.iter_mut().zip(&dual) {
            *q += -((-x).ln_1p() + x.ln_1p());
        }
        if k % 20_000 == 0 {
            checkpoints.push((t.sample().loss, t.sample().alpha_ratio));
        }
    }
    // The state is the purely multiplicative chain of the reported steps: s = α e^{L₊}, d = α e^{L₋}.
    let (plus, minus) = t.dual_logs().expect("tracked by the noise methods");
    for j in 0..d {
        let (s, dd) = (t.net().s[j].abs(), t.net().d[j].abs());
        assert!((alpha * plus[j].exp() - s).abs() <= 1e-10 * s, "s_{j}");
        assert!((alpha * minus[j].exp() - dd).abs() <= 1e-10 * dd, "d_{j}");
    }
    let product = t.alpha_product().expect("tracked by the noise methods");
    for (j, (ud, q)) in u2_minus_v2(&t).iter().zip(&q_sum).enumerate() {
        let exact = ud.abs().sqrt();
        let formula = alpha * (-0.5 * q).exp();
        // 60 000 multiplications, each rounded to ε relative: well inside 1e-10.
        assert!(
            (exact - formula).abs() <= 1e-10 * formula,
            "coordinate {j}: state {exact:e} vs α·exp(−½Σq) {formula:e}"
        );
        assert!((product[j] - formula).abs() <= 1e-12 * formula);
    }
    // The loss has plateaued (no steady fall between 20 000 and 60 000 steps) while the noise
    // shrinks ln α_j by ½ E[D_j²] ≥ ½(γ/n)²σ² Σ_i x_ij² = ½(γ²/n)σ²(XᵀX/n)_jj per step.
    let ((l1, a1), (_, _), (l3, a3)) = (checkpoints[0], checkpoints[1], checkpoints[2]);
    assert!(
        l3 > 0.2 * l1,
        "loss fell from {l1:e} to {l3:e}: not a plateau"
    );
    let mean_diag = p.diag_xtx.iter().sum::<f64>() / d as f64;
    let expected = 40_000.0 * 0.5 * gamma * gamma / p.n() as f64 * sigma * sigma * mean_diag;
    let shrink = (a1 / a3).ln();
    assert!(
        shrink >= 0.9 * expected,
        "ln α fell by {shrink:e} over the plateau, the noise alone should give {expected:e}"
    );
}

/// The label noise `ξ` of each step, recovered from its dual step: `D − D_GD = (γσ/n)Xᵀξ`.
#[test]
fn label_noise_is_standard_normal_within_its_standard_error() {
    let p = problem(4);
    let (alpha, sigma, k) = (0.1, 0.7, 400);
    let gamma = stable_gamma(&p, alpha);
    let mut t = Trainer::new(p.clone(), label(sigma, None), alpha, gamma).expect("trainer");
    let gram = weighted_gram(p.x(), &vec![1.0; p.d()]);
    let (n, d) = (p.n(), p.d());
    let (mut sum, mut sum_sq) = (0.0, 0.0);
    let mut dual = vec![0.0; d];
    for _ in 0..k {
        let beta = ndarray::Array1::from(t.beta());
        let r = p.x().dot(&beta) - &p.y;
        let drift = p.x().t().dot(&r) * (-gamma / n as f64);
        assert!(t.step_once());
        t.last_dual_step(&mut dual);
        let noise: Vec<f64> = dual.iter().zip(&drift).map(|(a, b)| a - b).collect();
        let w = spd_solve(&gram, &x_mul(p.x(), &noise)).expect("full row rank");
        for wi in w {
            let xi = wi * n as f64 / (gamma * sigma);
            sum += xi;
            sum_sq += xi * xi;
        }
    }
    let count = (k * n) as f64;
    // Mean 0 with standard error 1/√N; second moment 1 with standard error √(2/N).
    let (mean, second) = (sum / count, sum_sq / count);
    assert!(mean.abs() <= 4.0 / count.sqrt(), "mean of ξ {mean}");
    assert!(
        (second - 1.0).abs() <= 4.0 * (2.0 / count).sqrt(),
        "E ξ² = {second}"
    );
}

#[test]
fn isotropic_noise_moves_u2_minus_v2_by_its_predicted_variance() {
    let p = problem(3);
    let (alpha, sigma, k) = (0.1, 0.01, 2000);
    let gamma = stable_gamma(&p, alpha);
    let mut t = Trainer::new(p.clone(), iso(sigma, None), alpha, gamma).expect("trainer");
    // Each step adds 2c(u ζ_u − v ζ_v) + c²(ζ_u² − ζ_v²), c = √γ σ, to u² − v²: variance
    // 4c²(u² + v²) + 4c⁴; the later factors (1 − D²) are within 1% of 1 here.
    let c2 = gamma * sigma * sigma;
    let mut variance = vec![0.0; p.d()];
    for _ in 0..k {
        for (v, w) in variance.iter_mut().zip(t.net().u2_plus_v2()) {
            *v += 4.0 * c2 * w + 4.0 * c2 * c2;
        }
        assert!(t.step_once());
    }
    let product = t.alpha_product().expect("tracked");
    let z2: Vec<f64> = (u2_minus_v2(&t).iter().zip(&product).zip(&variance))
        .map(|((ud, a), v)| (ud - a * a).powi(2) / v)
        .collect();
    let mean = z2.iter().sum::<f64>() / z2.len() as f64;
    // E z² = 1 with standard error √(2/d) ≈ 0.14: a broken identity of the predicted size. An
    // implementation whose noise kept the identity would give z ≈ 1e-10.
    assert!((0.6..=1.5).contains(&mean), "mean z² = {mean}");
    let broken = (u2_minus_v2(&t).iter().zip(&product))
        .filter(|(ud, a)| (ud.abs().sqrt() - **a).abs() > 1e-6 * **a)
        .count();
    assert!(
        broken >= 90,
        "only {broken} of 100 coordinates leave the identity"
    );
}

/// Runs `method` with noise for `k` steps, then as GD until the loss is ≤ 1e-24; returns the
/// gaps to the limit predicted from the state and to the one predicted from the dual steps alone.
fn gaps_after_the_noise_stops(p: &Arc<Problem>, method: Method, k: u64) -> (f64, f64) {
    let (alpha, gamma) = (0.1, stable_gamma(p, 0.1));
    let mut t = Trainer::new(p.clone(), method, alpha, gamma).expect("trainer");
    assert_eq!(t.run(k, 0.0), Stop::Budget);
    assert_eq!(t.run(2_000_000, 1e-24), Stop::Converged, "{method:?}");
    let beta = t.beta();
    let from_state = predicted_limit(&t, None).expect("prediction");
    let from_steps = product_limit(&t, None)
        .expect("tracked")
        .expect("prediction");
    (
        relative_gap(&beta, &from_state.beta),
        relative_gap(&beta, &from_steps.beta),
    )
}

#[test]
fn the_limit_predicted_from_the_dual_steps_holds_for_label_noise_not_isotropic_noise() {
    let p = problem(0);
    let k = 20_000;
    let (state, steps) = gaps_after_the_noise_stops(&p, label(0.3, Some(k)), k);
    assert!(
        state <= 1e-8 && steps <= 1e-8,
        "label noise: gaps {state:e}, {steps:e}"
    );
    let (state, steps) = gaps_after_the_noise_stops(&p, iso(3e-4, Some(k)), k);
    // From the state the run ends where predicted (its last steps are GD's); from the dual
    // steps it does not: the noise moved u² − v² by ~2σ sqrt(γk)/α ≈ 20% relative.
    assert!(state <= 1e-8, "isotropic noise, from the state: {state:e}");
    assert!(
        steps >= 1e-3,
        "isotropic noise, from the dual steps: {steps:e}"
    );
}
