//! The simulation core against SPEC.md: gradients, the exact effective-α identity, the
//! implicit-bias predictions, the solver, reproducibility and divergence.

use std::sync::Arc;

use dln_explorer::model::analysis::{gf_limit, p21_limit, predicted_limit, relative_gap};
use dln_explorer::model::bias::{bregman, grad_psi, implicit_bias, psi};
use dln_explorer::model::linalg::{dist2, norm2, spd_solve, weighted_gram, x_mul};
use dln_explorer::model::net::DiagNet;
use dln_explorer::model::references::{basis_pursuit, min_l2};
use dln_explorer::model::stability::{kappa, resolve_gamma};
use dln_explorer::model::{
    Method, MethodKind, Outcome, Problem, ProblemSpec, References, StepSize, Stop, Trainer,
};

fn spec(n: usize, d: usize, seed: u64) -> ProblemSpec {
    ProblemSpec {
        n,
        d,
        s: 5,
        noise: 0.0,
        seed,
        n_test: 100,
        source: Default::default(),
    }
}

fn problem(seed: u64) -> Arc<Problem> {
    Arc::new(Problem::generate(&spec(40, 100, seed)))
}

/// γ by the rule stable:C of SPEC §5 for this problem and α.
fn stable_gamma(p: &Problem, c: f64, alpha: f64) -> f64 {
    let refs = References::compute(p).expect("references");
    resolve_gamma(StepSize::Stable(c), p.x(), Some(&refs.beta_l1), alpha).expect("d > n")
}

#[test]
fn gradients_match_finite_differences() {
    let p = problem(3);
    let d = p.d();
    let u: Vec<f64> = (0..d).map(|j| 0.3 + 0.01 * j as f64).collect();
    let v: Vec<f64> = (0..d).map(|j| (j as f64 * 0.7).sin() * 0.2).collect();
    let net = DiagNet::from_layers(&u, &v);
    let (gu, gv) = net.gradients(&p);
    let h = 1e-6;
    for j in [0, 7, 42, 99] {
        for (layer, grad) in [(0, &gu), (1, &gv)] {
            let shifted = |delta: f64| {
                let (mut u, mut v) = (u.clone(), v.clone());
                if layer == 0 {
                    u[j] += delta
                } else {
                    v[j] += delta
                }
                DiagNet::from_layers(&u, &v).loss(&p)
            };
            let fd = (shifted(h) - shifted(-h)) / (2.0 * h);
            assert!(
                (fd - grad[j]).abs() <= 1e-7 * (1.0 + fd.abs()),
                "coordinate {j} layer {layer}: fd {fd} vs {}",
                grad[j]
            );
        }
    }
}

#[test]
fn hyperbolic_entropy_gradient_and_bregman_match_closed_forms() {
    let rho = vec![0.02, 0.5, 3.0];
    let beta = vec![-1.3, 0.1, 2.0];
    let g = grad_psi(&beta, &rho);
    for j in 0..3 {
        let h = 1e-6;
        let mut bp = beta.clone();
        bp[j] += h;
        let mut bm = beta.clone();
        bm[j] -= h;
        let fd = (psi(&bp, &rho) - psi(&bm, &rho)) / (2.0 * h);
        assert!(
            (fd - g[j]).abs() < 1e-8,
            "∇ψ coordinate {j}: {fd} vs {}",
            g[j]
        );
    }
    // ψ(0) = 0 and D(β, β) = 0; D is positive elsewhere.
    assert_eq!(psi(&[0.0; 3], &rho), 0.0);
    assert!(bregman(&beta, &beta, &rho).abs() < 1e-15);
    assert!(bregman(&beta, &[0.0; 3], &rho) > 0.0);
}

/// Steps `t` k times and returns each coordinate's `Σ q(D_j)`, `q(x) = −ln|1 − x²|`.
fn step_summing_gains(t: &mut Trainer, k: usize) -> Vec<f64> {
    let d = t.problem().d();
    let (mut q_sum, mut dual) = (vec![0.0; d], vec![0.0; d]);
    for _ in 0..k {
        assert!(t.step_once());
        t.last_dual_step(&mut dual);
        for (q, x) in q_sum.iter_mut().zip(&dual) {
            *q += -(1.0 - x * x).abs().ln();
        }
    }
    q_sum
}

/// Steps a trainer k times accumulating `Σ q(D_j)`, `q(x) = −ln|1 − x²|`, and compares the
/// state's `α_k = sqrt|u² − v²|` with `α exp(−½ Σ q)`.
fn check_alpha_identity(method: Method, gamma: f64) {
    let p = problem(1);
    let alpha = 0.1;
    let mut t = Trainer::new(p.clone(), method, alpha, gamma).expect("trainer");
    let q_sum = step_summing_gains(&mut t, 3000);
    let exact = t.net().alpha_eff();
    let mut shrunk = false;
    for (a, q) in exact.iter().zip(&q_sum) {
        let predicted = alpha * (-0.5 * q).exp();
        assert!(
            (a - predicted).abs() <= 1e-12 * predicted,
            "{method:?}: {a} vs {predicted}"
        );
        shrunk |= predicted < alpha * 0.999;
    }
    assert!(shrunk, "{method:?}: α should have shrunk somewhere");
}

/// In the rich regime SGD drives `ρ_j = α_j²/2` of support coordinates far below `ε·|β_j|`,
/// where `u² − v²` read from `(u, v)` is pure round-off; the `(s, d)` state keeps α_t exact
/// there, and the run still ends at the predicted limit.
#[test]
fn alpha_stays_exact_where_rho_is_below_round_off_of_beta() {
    let spec = ProblemSpec {
        s: 20,
        seed: 39,
        ..spec(40, 100, 39)
    };
    let p = Arc::new(Problem::generate(&spec));
    let alpha = 0.02;
    let mut t = Trainer::new(p.clone(), Method::Sgd { batch: 1 }, alpha, 0.04).expect("trainer");
    let q_sum = step_summing_gains(&mut t, 100_000);
    let (exact, beta) = (t.net().alpha_eff(), t.beta());
    let tiny = (0..p.d())
        .filter(|&j| p.beta_star[j] != 0.0 && exact[j] * exact[j] / 2.0 < 1e-16 * beta[j].abs())
        .count();
    assert!(tiny > 0, "no support coordinate has ρ/|β| < 1e-16");
    for (j, (a, q)) in exact.iter().zip(&q_sum).enumerate() {
        let predicted = alpha * (-0.5 * q).exp();
        assert!(
            *a > 0.0 && (a - predicted).abs() <= 1e-9 * predicted,
            "coordinate {j}: α from the state {a:e}, product formula {predicted:e}"
        );
    }
    assert_eq!(t.run(3_000_000, 1e-24), Stop::Converged);
    let predicted = predicted_limit(&t, None).expect("prediction");
    let gap = relative_gap(&t.beta(), &predicted.beta);
    assert!(gap <= 1e-8, "gap to argmin D_ψρT(·, β̃_T) is {gap:e}");
}

#[test]
fn alpha_from_state_equals_product_formula_gd() {
    check_alpha_identity(Method::Gd, 0.05);
}

#[test]
fn alpha_from_state_equals_product_formula_sgd() {
    check_alpha_identity(Method::Sgd { batch: 1 }, 0.05);
    check_alpha_identity(Method::Sgd { batch: 4 }, 0.05);
}

#[test]
fn alpha_from_state_equals_product_formula_sgf() {
    check_alpha_identity(Method::Sgf { batch: 1, h: None }, 0.05);
}

/// The coefficients `w` of a dual step `D = Xᵀw` (unique: X has full row rank when d > n).
fn dual_coefficients(p: &Problem, dual: &[f64]) -> Vec<f64> {
    let gram = weighted_gram(p.x(), &vec![1.0; p.d()]);
    spd_solve(&gram, &x_mul(p.x(), dual)).expect("X has full row rank")
}

/// Steps `t` once and checks the update `u ← u + D⊙v, v ← v + D⊙u` with its reported D;
/// returns the pre-step residuals `r = Xβ − y` (computed here with ndarray) and `w` of `D = Xᵀw`.
fn step_and_read(t: &mut Trainer) -> (Vec<f64>, Vec<f64>) {
    let p = t.problem().clone();
    let before = t.net().clone();
    let beta = ndarray::Array1::from(before.beta());
    let r = (p.x().dot(&beta) - &p.y).to_vec();
    assert!(t.step_once());
    let mut dual = vec![0.0; p.d()];
    t.last_dual_step(&mut dual);
    let ((u0, v0), (u1, v1)) = (before.layers(), t.net().layers());
    for (j, dj) in dual.iter().enumerate() {
        let (u, v) = (u0[j], v0[j]);
        assert!((u1[j] - (u + dj * v)).abs() <= 1e-15 * (1.0 + u.abs()));
        assert!((v1[j] - (v + dj * u)).abs() <= 1e-15 * (1.0 + v.abs()));
    }
    (r, dual_coefficients(&p, &dual))
}

#[test]
fn dual_steps_are_those_of_the_spec_table() {
    let p = problem(5);
    let (n, gamma) = (p.n() as f64, 0.05);
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * (1.0 + b.abs());

    // GD: D = −(γ/n) Xᵀr.
    let mut t = Trainer::new(p.clone(), Method::Gd, 0.1, gamma).expect("trainer");
    t.run(50, 0.0);
    let (r, w) = step_and_read(&mut t);
    for (wi, ri) in w.iter().zip(&r) {
        assert!(
            close(*wi, -gamma / n * ri),
            "GD: w {wi} vs {}",
            -gamma / n * ri
        );
    }

    // SGD with batch b: D = −(γ/b) Σ_{i∈B} r_i x_i over b distinct rows.
    for b in [1, 4] {
        let mut t = Trainer::new(p.clone(), Method::Sgd { batch: b }, 0.1, gamma).expect("sgd");
        t.run(50, 0.0);
        for _ in 0..20 {
            let (r, w) = step_and_read(&mut t);
            let batch: Vec<usize> = (0..p.n()).filter(|&i| w[i].abs() > 1e-12).collect();
            assert_eq!(batch.len(), b, "SGD b = {b}: rows {batch:?}");
            for i in batch {
                assert!(
                    close(w[i], -gamma / b as f64 * r[i]),
                    "SGD b = {b}, row {i}"
                );
            }
        }
    }

    // SGF with step h: D = −(h/n) Xᵀr + sqrt(hγ/b)(‖r‖/n) Xᵀz with z ~ N(0, I_n).
    let (b, h) = (2, 0.02);
    let mut t = Trainer::new(
        p.clone(),
        Method::Sgf {
            batch: b,
            h: Some(h),
        },
        0.1,
        gamma,
    )
    .expect("sgf");
    let (mut z, mut along_r) = (Vec::new(), 0.0);
    for _ in 0..200 {
        let (r, w) = step_and_read(&mut t);
        let scale = (h * gamma / b as f64).sqrt() * norm2(&r) / n;
        let zk: Vec<f64> = w
            .iter()
            .zip(&r)
            .map(|(wi, ri)| (wi + h / n * ri) / scale)
            .collect();
        // ⟨z, r/‖r‖⟩ ~ N(0, 1): a wrong drift would leave a multiple of r here.
        along_r += zk.iter().zip(&r).map(|(a, b)| a * b).sum::<f64>() / norm2(&r) / 200.0;
        z.extend(zk);
    }
    assert!(
        along_r.abs() < 0.3,
        "SGF drift: mean of ⟨z, r̂⟩ is {along_r} (sd 0.07)"
    );
    let mean = z.iter().sum::<f64>() / z.len() as f64;
    let var = z.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / z.len() as f64;
    // 8000 standard normals: the mean's sd is 0.011 and the variance's 0.016.
    assert!(mean.abs() < 0.05, "SGF noise mean {mean}");
    assert!((var - 1.0).abs() < 0.06, "SGF noise variance {var}");
    assert!(
        (t.time() - 200.0 * h).abs() < 1e-12,
        "SGF time per step is h"
    );
}

#[test]
fn stable_rule_is_c_over_the_largest_kappa() {
    let p = problem(2);
    let refs = References::compute(&p).expect("references");
    let alpha = 0.3;
    let rho0 = alpha * alpha / 2.0;
    let max_kappa = (0..p.n())
        .map(|i| {
            (0..p.d())
                .map(|j| {
                    let b = refs.beta_l1[j];
                    2.0 * (b * b + rho0 * rho0).sqrt() * p.x()[(i, j)] * p.x()[(i, j)]
                })
                .sum::<f64>()
        })
        .fold(0.0, f64::max);
    let k = kappa(p.x(), &refs.beta_l1, &vec![rho0; p.d()]);
    assert!((k.iter().copied().fold(0.0, f64::max) - max_kappa).abs() <= 1e-12 * max_kappa);
    for c in [0.5, 1.0, 1.9] {
        let gamma = stable_gamma(&p, c, alpha);
        assert!((gamma - c / max_kappa).abs() <= 1e-12 * gamma, "stable:{c}");
    }
    let fixed = resolve_gamma(StepSize::Fixed(0.125), p.x(), None, alpha);
    assert_eq!(fixed.ok(), Some(0.125));
    let wide = Problem::generate(&spec(40, 30, 0));
    let err = resolve_gamma(StepSize::Stable(1.0), wide.x(), None, alpha).unwrap_err();
    assert!(err.to_string().contains("not over-parametrised"), "{err}");
}

#[test]
fn gradient_flow_conserves_alpha() {
    let p = problem(1);
    let mut t = Trainer::new(p, Method::Gf { h: None }, 0.1, 0.05).expect("trainer");
    t.run(2000, 0.0);
    for a in t.net().alpha_eff() {
        assert!((a - 0.1).abs() < 1e-13, "GF changed α to {a}");
    }
}

#[test]
fn converged_runs_end_at_the_exact_prediction() {
    let p = problem(0);
    let alpha = 0.1;
    let gamma = stable_gamma(&p, 1.0, alpha);
    for kind in [MethodKind::Gd, MethodKind::Sgd, MethodKind::Sgf] {
        let mut t =
            Trainer::new(p.clone(), Method::new(kind, 1, None), alpha, gamma).expect("trainer");
        assert_eq!(
            t.run(1_000_000, 1e-24),
            Stop::Converged,
            "{kind} did not converge"
        );
        let predicted = predicted_limit(&t, None).expect("prediction");
        let gap = relative_gap(&t.beta(), &predicted.beta);
        assert!(
            gap <= 1e-8,
            "{kind}: gap to argmin D_ψρT(·, β̃_T) is {gap:e}"
        );
    }
}

#[test]
fn small_step_gd_ends_at_the_gradient_flow_limit() {
    let p = problem(0);
    let alpha = 0.1;
    let gamma = stable_gamma(&p, 0.05, alpha);
    let mut t = Trainer::new(p.clone(), Method::Gd, alpha, gamma).expect("trainer");
    assert_eq!(t.run(5_000_000, 1e-20), Stop::Converged);
    let gf = gf_limit(&p, alpha).expect("GF limit");
    let gap = relative_gap(&t.beta(), &gf.beta);
    assert!(gap <= 1e-3, "small-step GD ends {gap:e} from argmin ψ_ρ0");
}

#[test]
fn sgd_limit_is_within_five_percent_of_p21_prediction() {
    let p = problem(0);
    let alpha = 0.1;
    let gamma = stable_gamma(&p, 1.0, alpha);
    let mut t = Trainer::new(p.clone(), Method::Sgd { batch: 1 }, alpha, gamma).expect("trainer");
    assert_eq!(t.run(1_000_000, 1e-20), Stop::Converged);
    let p21 = p21_limit(&t, None).expect("P21 prediction");
    let gap = relative_gap(&t.beta(), &p21.beta);
    assert!(
        gap <= 0.05,
        "SGD limit is {gap:e} from P21's loss-integral prediction"
    );
    // …and SGD's α shrank, by about what P21's formula says.
    let s = t.sample();
    assert!(s.alpha_ratio < 0.95, "α_T/α = {}", s.alpha_ratio);
    assert!((s.alpha_ratio - s.alpha_ratio_p21).abs() < 0.05 * s.alpha_ratio);
}

#[test]
fn large_rho_gives_the_minimum_l2_interpolator() {
    let p = problem(2);
    let d = p.d();
    let sol = implicit_bias(p.x(), p.y_slice(), &vec![1e4; d], &vec![0.0; d], None).expect("solve");
    let l2 = min_l2(p.x(), p.y_slice()).expect("min ℓ2");
    let rel = dist2(&sol.beta, &l2) / norm2(&l2);
    assert!(
        rel <= 1e-6,
        "large-ρ solution is {rel:e} from the minimum-ℓ2 interpolator"
    );
}

#[test]
fn solver_is_exact_and_robust_at_small_alpha() {
    let p = problem(4);
    let d = p.d();
    for alpha in [1.0, 0.1, 0.01, 0.001] {
        let rho = vec![alpha * alpha / 2.0; d];
        let sol = implicit_bias(p.x(), p.y_slice(), &rho, &vec![0.0; d], None).expect("solve");
        assert!(
            sol.kkt_residual <= 1e-10,
            "α = {alpha}: KKT residual {:e}",
            sol.kkt_residual
        );
        assert!(
            sol.newton_steps <= 60,
            "α = {alpha}: {} Newton steps",
            sol.newton_steps
        );
    }
    // As ρ → 0 the interpolator approaches basis pursuit (slowly, SPEC §3).
    let bp = basis_pursuit(p.x(), p.y_slice()).expect("bp");
    let small =
        implicit_bias(p.x(), p.y_slice(), &vec![1e-12; d], &vec![0.0; d], None).expect("solve");
    assert!(dist2(&small.beta, &bp) / norm2(&bp) < 0.05);
}

#[test]
fn warm_start_gives_the_same_solution() {
    let p = problem(4);
    let d = p.d();
    let rho = vec![0.005; d];
    let cold = implicit_bias(p.x(), p.y_slice(), &rho, &vec![0.0; d], None).expect("cold");
    let warm =
        implicit_bias(p.x(), p.y_slice(), &rho, &vec![0.0; d], Some(&cold.lambda)).expect("warm");
    assert!(dist2(&cold.beta, &warm.beta) <= 1e-9 * norm2(&cold.beta));
    assert!(warm.newton_steps <= 2);
}

#[test]
fn basis_pursuit_recovers_a_sparse_truth() {
    let p = problem(0);
    let bp = basis_pursuit(p.x(), p.y_slice()).expect("bp");
    let err = dist2(&bp, p.beta_star.as_slice().expect("contiguous"));
    assert!(err <= 1e-9, "basis pursuit misses β* by {err:e}");
}

#[test]
fn same_seed_same_results_different_seed_different_data() {
    let run = |seed: u64| {
        let p = problem(seed);
        let mut t = Trainer::new(p.clone(), Method::Sgd { batch: 1 }, 0.1, 0.02).expect("trainer");
        t.run(20_000, 0.0);
        (p, t.beta())
    };
    let (p1, b1) = run(7);
    let (p2, b2) = run(7);
    let (p3, _) = run(8);
    assert_eq!(p1.x(), p2.x());
    assert_eq!(b1, b2, "same seed must give bit-identical iterates");
    assert_ne!(p1.x(), p3.x());
    assert_ne!(p1.beta_star, p3.beta_star);
}

#[test]
fn a_large_step_diverges_and_is_reported() {
    let p = problem(0);
    for kind in [MethodKind::Gd, MethodKind::Sgd, MethodKind::Sgf] {
        let mut t =
            Trainer::new(p.clone(), Method::new(kind, 1, None), 0.1, 50.0).expect("trainer");
        assert_eq!(t.run(100_000, 0.0), Stop::Diverged, "{kind}");
        let k = t.diverged_at().expect("divergence step");
        assert!(k < 100_000);
        assert_eq!(t.step(), k);
        assert!(
            t.samples().iter().all(|(_, s)| s.sample.loss.is_finite()),
            "no non-finite sample is recorded"
        );
        let o = Outcome::of(&t);
        assert_eq!(o.diverged_at_step, Some(k));
        assert!(o.predicted_gap.is_none());
    }
}

#[test]
fn history_stays_bounded() {
    let p = problem(0);
    let mut t = Trainer::new(p, Method::Sgd { batch: 1 }, 0.1, 0.01).expect("trainer");
    t.run(3_000_000, 0.0);
    let n = t.samples().len();
    assert!(
        n <= 2 * dln_explorer::model::trainer::SAMPLE_CAPACITY + 300,
        "{n} samples kept"
    );
    let steps: Vec<u64> = t.samples().iter().map(|(s, _)| s).collect();
    assert!(steps.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(steps.first(), Some(&0));
    assert_eq!(steps.last(), Some(&3_000_000));
}
