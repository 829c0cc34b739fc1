//! Training time as an inverse penalty (docs/saddles.md#the-lasso-reading): the Lasso path from
//! the homotopy's knots satisfies the Lasso's optimality conditions, and the running mean of
//! gradient flow at α = 1e-30 follows it at λ = ln(1/α)/t. Weight decay as an explicit penalty
//! (docs/dynamics.md): its runs land on the Lasso point it picks.

use std::sync::Arc;

#[path = "common/cli.rs"]
mod cli_common;

use cli_common::{bin, fails_with};

use dln_explorer::model::lasso::{LassoPath, weight_decay_limit};
use dln_explorer::model::linalg::{x_mul, xt_mul};
use dln_explorer::model::saddles::saddles;
use dln_explorer::model::{Method, Problem, ProblemSpec, Trainer};

fn gaussian(n: usize, d: usize, seed: u64) -> Problem {
    Problem::generate(&ProblemSpec {
        n,
        d,
        s: 3,
        noise: 0.0,
        seed,
        n_test: 0,
        source: Default::default(),
    })
}

/// `Xᵀ(y − Xβ)/n`.
fn g(p: &Problem, beta: &[f64]) -> Vec<f64> {
    let fit = x_mul(p.x(), beta);
    let r: Vec<f64> = p.y_slice().iter().zip(&fit).map(|(y, f)| y - f).collect();
    let n = p.n() as f64;
    xt_mul(p.x(), &r).iter().map(|v| v / n).collect()
}

#[test]
fn the_lasso_path_meets_the_optimality_conditions() {
    // argmin ‖Xβ − y‖²/(2n) + λ‖β‖₁: g_j = λ sign β_j on the support, |g_j| ≤ λ off it.
    for seed in 0..5 {
        let p = gaussian(20, 50, seed);
        let path = LassoPath::of(p.x(), p.y_slice()).expect("path");
        let lambda_max = path.knots[0].0;
        let g0 = g(&p, &vec![0.0; 50]);
        let g0_max = g0.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        assert!((lambda_max - g0_max).abs() <= 1e-14 * g0_max, "λ_max");
        for frac in [0.9, 0.5, 0.2, 0.05, 0.01] {
            let lambda = frac * lambda_max;
            let beta = path.at(lambda);
            let grad = g(&p, &beta);
            for (j, (b, gj)) in beta.iter().zip(&grad).enumerate() {
                if *b != 0.0 {
                    let off = (gj - lambda * b.signum()).abs();
                    assert!(
                        off <= 1e-10 * lambda_max,
                        "seed {seed} λ {lambda}: g_{j} off by {off:e}"
                    );
                } else {
                    assert!(
                        gj.abs() <= lambda * (1.0 + 1e-10),
                        "seed {seed}: |g_{j}| > λ"
                    );
                }
            }
        }
    }
}

/// The first generated problem (n = 10, d = 20, s = 3) whose Lasso path is monotone.
fn monotone_problem() -> Problem {
    (0..50)
        .map(|seed| gaussian(10, 20, seed))
        .find(|p| LassoPath::of(p.x(), p.y_slice()).is_ok_and(|l| l.is_monotone()))
        .expect("a monotone path among 50 seeds")
}

#[test]
fn the_running_mean_of_gradient_flow_follows_the_lasso_path() {
    // S = Γ/ln(1/α) = τ·Xᵀ(y − Xβ̄)/n with |S| ≤ 1 and S_j = sign β_j on the support: the Lasso's
    // conditions at λ = 1/τ = ln(1/α)/t, up to |S| overshooting 1 by O(1/ln(1/α)) and the
    // O(α^c) off-support coordinates.
    let p = Arc::new(monotone_problem());
    let path = LassoPath::of(p.x(), p.y_slice()).expect("path");
    let stairs = saddles(p.x(), p.y_slice()).expect("staircase");
    let last = stairs.saddles.last().expect("saddles").tau;
    let alpha = 1e-30_f64;
    let scale = (1.0 / alpha).ln();
    let h = scale / 2000.0; // 2000 steps per unit of τ
    let mut t = Trainer::new(p.clone(), Method::Gf { h: Some(h) }, alpha, h).expect("GF");
    let beta_end = stairs.end().expect("end");
    let size = beta_end.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let mut worst = 0.0f64;
    // Between the first two jumps, between the last two, and after the last.
    let first = stairs.saddles[0].tau;
    let second = stairs.saddles.get(1).map_or(last, |s| s.tau);
    for tau in [
        0.5 * (first + second),
        0.5 * (last + second).max(first),
        1.5 * last,
    ] {
        t.run_until((tau * 2000.0).round() as u64, 0.0);
        let mean = t.beta_mean();
        let lasso = path.at(1.0 / (t.time() / scale));
        let diff = (mean.iter().zip(&lasso)).fold(0.0f64, |m, (a, b)| m.max((a - b).abs()));
        println!(
            "τ = {:.3}: ‖β̄_t − β_lasso(ln(1/α)/t)‖_∞ = {diff:.2e} (‖β_ℓ1‖_∞ = {size:.3}, 1/ln(1/α) = {:.4})",
            t.time() / scale,
            1.0 / scale
        );
        worst = worst.max(diff / size);
    }
    // Measured: 5.1e-4, 1.8e-3 and 1.05e-3 (largest 2.5e-3 of ‖β_ℓ1‖_∞ = 0.17/ln(1/α)): the
    // O(1/ln(1/α)) of the overshoot of |S| with a coefficient below 1. Allowed: 0.5/ln(1/α)
    // (7.2e-3 relative), three times the measurement, still a fifth of the plateau spacing.
    assert!(
        worst <= 0.5 / scale,
        "relative distance {worst:.3e} > 0.5/ln(1/α)"
    );
}

/// `argmin ‖Xβ − y‖²/(4n) + λ‖β‖₁` by cyclic coordinate descent (independent of the homotopy):
/// each coordinate minimises `a b² − 2c b + λ|b|` exactly, `b = S(c, λ/2)/a`, until no coordinate
/// moves by more than 1e-15 of the largest.
fn coordinate_descent_lasso(p: &Problem, lambda: f64) -> Vec<f64> {
    let (n, d) = (p.n(), p.d());
    let x = p.x();
    let mut beta = vec![0.0; d];
    let mut r: Vec<f64> = p.y_slice().to_vec(); // y − Xβ
    let scale = 4.0 * n as f64;
    for _ in 0..1_000_000 {
        let mut moved = 0.0f64;
        for (j, beta_j) in beta.iter_mut().enumerate() {
            let col = x.column(j);
            let a = col.dot(&col) / scale;
            let c = (col.iter().zip(&r).map(|(xi, ri)| xi * ri).sum::<f64>()) / scale + a * *beta_j;
            let b = c.signum() * (c.abs() - lambda / 2.0).max(0.0) / a;
            let step = b - *beta_j;
            if step != 0.0 {
                r.iter_mut().zip(col).for_each(|(ri, xi)| *ri -= step * xi);
                *beta_j = b;
            }
            moved = moved.max(step.abs());
        }
        let size = beta.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        if moved <= 1e-15 * size.max(1e-300) {
            return beta;
        }
    }
    panic!("coordinate descent did not settle at λ = {lambda}");
}

/// `‖a − b‖/‖b‖`.
fn relative(a: &[f64], b: &[f64]) -> f64 {
    let diff: f64 = a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum();
    (diff / b.iter().map(|y| y * y).sum::<f64>()).sqrt()
}

#[test]
fn weight_decay_lands_gd_and_gf_on_the_lasso_point_it_picks() {
    // Minimising (λ/2)(‖u‖² + ‖v‖²) over u ⊙ v = β is λ‖β‖₁: a converged run with weight decay
    // sits at the Lasso point, which the homotopy's path gives at 2λ (its loss is ‖r‖²/(2n)).
    let p = Arc::new(gaussian(20, 30, 3));
    for lambda in [0.004, 0.05] {
        let lasso = coordinate_descent_lasso(&p, lambda);
        let path = weight_decay_limit(p.x(), p.y_slice(), lambda).expect("the path");
        let support = lasso.iter().filter(|b| **b != 0.0).count();
        assert!(
            relative(&path, &lasso) <= 1e-10,
            "λ_wd = {lambda}: the path's point is {:e} from coordinate descent's",
            relative(&path, &lasso)
        );
        for method in [Method::Gd, Method::Gf { h: None }] {
            let t = Trainer::new(p.clone(), method, 0.1, 0.05).expect("trainer");
            let mut t = t.with_weight_decay(lambda).expect("a valid λ_wd");
            // Converged: β moves by at most 1e-13 of itself over 50 000 steps.
            let mut last = t.beta();
            for k in 1..=40 {
                t.run_until(50_000 * k, 0.0);
                let now = t.beta();
                if relative(&now, &last) <= 1e-13 {
                    break;
                }
                last = now;
            }
            let gap = relative(&t.beta(), &lasso);
            let steps = t.step();
            println!(
                "λ_wd = {lambda} ({support} non-zeros), {method:?}, {steps} steps: gap {gap:.2e}"
            );
            assert!(gap <= 1e-8, "λ_wd = {lambda}, {method:?}: gap {gap:e}");
        }
    }
}

#[test]
fn no_weight_decay_is_bit_for_bit_the_run_without() {
    let p = Arc::new(gaussian(13, 37, 1));
    let label = Method::LabelNoise {
        sigma: 0.5,
        noise_steps: None,
    };
    let methods = [
        Method::Gd,
        Method::Sgd { batch: 1 },
        Method::Sgd { batch: 4 },
        Method::Sgf { batch: 2, h: None },
        Method::Gf { h: None },
        label,
    ];
    for method in methods {
        let mut plain = Trainer::new(p.clone(), method, 0.1, 0.02).expect("trainer");
        let mut zero = (plain.clone()).with_weight_decay(0.0).expect("λ_wd = 0");
        plain.run(3000, 0.0);
        zero.run(3000, 0.0);
        let bits = |t: &Trainer| {
            (t.net().s.iter().chain(&t.net().d))
                .map(|v| v.to_bits())
                .collect::<Vec<_>>()
        };
        assert_eq!(bits(&plain), bits(&zero), "{method:?}");
        // And any decay moves it: the test sees the difference it guards.
        let mut some = Trainer::new(p.clone(), method, 0.1, 0.02).expect("trainer");
        some = some.with_weight_decay(1e-3).expect("λ_wd");
        some.run(3000, 0.0);
        assert_ne!(bits(&plain), bits(&some), "{method:?} with λ_wd = 1e-3");
    }
}

#[test]
fn weight_decay_on_the_command_line() {
    for bad in ["-0.5", "inf", "2e3"] {
        fails_with(
            &["run", "--weight-decay", bad],
            &["weight-decay", "[0, 1000]"],
        );
    }
    let args = [
        "run",
        "--method",
        "gd",
        "--n",
        "20",
        "--d",
        "30",
        "--s",
        "3",
        "--seed",
        "3",
        "--alpha",
        "0.1",
        "--gamma",
        "0.05",
        "--weight-decay",
        "0.05",
        "--steps",
        "300000",
        "--json",
    ];
    let o = bin(&args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let beta: Vec<f64> = serde_json::from_value(v["beta"].clone()).expect("beta, a list");
    assert_eq!(beta.len(), 30);
    let l1: f64 = beta.iter().map(|b| b.abs()).sum();
    assert!((l1 - v["l1_norm"].as_f64().expect("l1_norm")).abs() <= 1e-12 * l1);
    let gap = v["predicted_gap"]
        .as_f64()
        .expect("a gap to the Lasso point");
    assert!(gap <= 1e-8, "gap to the Lasso point {gap:e}");
    assert_eq!(v["weight_decay"], 0.05);
    assert_eq!(v["mirror_identity"], false);
    assert!(v["predicted_gap_p21"].is_null());
}

#[test]
fn the_weight_decay_scene_shows_what_its_caption_measured() {
    // GD at λ_wd = 0.001 heads for the Lasso point with β*'s support; without weight decay GD
    // converges to a dense interpolator far from β* (the caption's 4.5e-5 against 0.180).
    let scene = dln_explorer::presets::get("weight-decay-lasso").expect("shipped");
    let mut config = scene.config.clone();
    config.method = "gd".into();
    let report = dln_explorer::cli::run::execute(config.validate().expect("valid"), true);
    let o = report.expect("runs").outcome;
    let gap = o.predicted_gap.expect("a gap to the Lasso point");
    assert!(gap <= 1e-4, "GD's gap to the Lasso point {gap:e}");
    assert!(
        o.recovery_error <= 1e-4,
        "with weight decay {:e}",
        o.recovery_error
    );
    config.weight_decay = 0.0;
    let report = dln_explorer::cli::run::execute(config.validate().expect("valid"), true);
    let plain = report.expect("runs").outcome.recovery_error;
    assert!(plain >= 0.1, "without weight decay {plain:e}");
}
