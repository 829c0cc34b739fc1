//! The scalable solvers against the reference ones: basis pursuit by the homotopy against the
//! linear program, Newton–CG against dense Newton, the matrix-free minimum-ℓ2 interpolator
//! against Cholesky, and the background preparation against the synchronous one.

use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use dln_explorer::experiment::{Command, Driver, MethodSet, Pace, Record};
use dln_explorer::model::bias::{KKT_TOLERANCE, SolveOptions, implicit_bias_with, kkt_residual};
use dln_explorer::model::gram::{Strategy, WeightedGram};
use dln_explorer::model::linalg::{norm_inf, x_mul, xt_mul};
use dln_explorer::model::references::{L1Solver, basis_pursuit_lp, basis_pursuit_solve, min_l2};
use dln_explorer::model::{Config, MethodKind, Problem, ProblemSpec, SimError};

fn problem(n: usize, d: usize, s: usize, noise: f64, seed: u64) -> Problem {
    Problem::generate(&ProblemSpec {
        n,
        d,
        s,
        noise,
        seed,
        n_test: 0,
        source: Default::default(),
    })
}

fn l1(beta: &[f64]) -> f64 {
    beta.iter().map(|b| b.abs()).sum()
}

#[test]
fn homotopy_basis_pursuit_equals_the_linear_program() {
    // Sparse truths it recovers, truths too dense to recover (s near n), and noisy labels (no
    // sparse interpolator at all): BP is unique for Gaussian data, so both must give it.
    let cases = [
        (20, 50, 3, 0.0),
        (40, 100, 5, 0.0),
        (40, 100, 20, 0.0),
        (30, 60, 28, 0.0),
        (50, 200, 10, 0.0),
        (40, 100, 5, 0.5),
        (25, 40, 5, 0.1),
    ];
    let never = AtomicBool::new(false);
    for (n, d, s, noise) in cases {
        for seed in 0..4 {
            let p = problem(n, d, s, noise, seed);
            let (x, y) = (p.x(), p.y_slice());
            let (fast, solver) = basis_pursuit_solve(x, y, &never).expect("homotopy");
            assert!(
                matches!(solver, L1Solver::Homotopy { .. }),
                "n = {n}, d = {d}, s = {s}, seed {seed}: fell back ({solver})"
            );
            let lp = basis_pursuit_lp(x, y).expect("LP");
            let scale = norm_inf(&lp).max(1.0);
            let diff = fast
                .iter()
                .zip(&lp)
                .fold(0.0f64, |m, (a, b)| m.max((a - b).abs()));
            assert!(
                diff <= 1e-9 * scale,
                "n = {n}, d = {d}, s = {s}, σ = {noise}, seed {seed}: homotopy and LP differ by {diff:e}"
            );
            // Both interpolate, and the homotopy's ℓ1 norm is not above the LP's.
            let r = x_mul(x, &fast);
            let res = r
                .iter()
                .zip(y)
                .fold(0.0f64, |m, (a, b)| m.max((a - b).abs()));
            assert!(res <= 1e-11 * norm_inf(y).max(1.0));
            assert!(l1(&fast) <= l1(&lp) * (1.0 + 1e-12));
        }
    }
}

#[test]
fn homotopy_finds_dense_solutions_where_basis_pursuit_fails_to_recover() {
    // s = 28 of n = 30: the minimum-ℓ1 interpolator is not β* and uses n coordinates.
    let p = problem(30, 60, 28, 0.0, 1);
    let (beta, _) = basis_pursuit_solve(p.x(), p.y_slice(), &AtomicBool::new(false)).expect("bp");
    let support = beta.iter().filter(|b| **b != 0.0).count();
    assert_eq!(support, 30, "a vertex of the LP has n non-zeros");
    assert!(p.recovery_error(&beta) > 1e-3);
}

#[test]
fn homotopy_recovers_a_ten_sparse_truth_at_n_1000_d_10000() {
    let p = problem(1000, 10_000, 10, 0.0, 0);
    let start = Instant::now();
    let (beta, solver) =
        basis_pursuit_solve(p.x(), p.y_slice(), &AtomicBool::new(false)).expect("bp");
    let elapsed = start.elapsed();
    let L1Solver::Homotopy { steps } = solver else {
        panic!("fell back to the LP: {solver}");
    };
    assert_eq!(steps, 10, "one step per non-zero of β*");
    let worst = beta
        .iter()
        .zip(p.beta_star.iter())
        .fold(0.0f64, |m, (a, b)| m.max((a - b).abs()));
    assert!(worst <= 1e-12, "β_ℓ1 misses β* by {worst:e}");
    eprintln!("basis pursuit at 1000 × 10000: {elapsed:?} (test profile)");
}

#[test]
fn a_raised_cancel_flag_stops_basis_pursuit() {
    let p = problem(40, 100, 5, 0.0, 0);
    let got = basis_pursuit_solve(p.x(), p.y_slice(), &AtomicBool::new(true));
    assert_eq!(got.err(), Some(SimError::Cancelled));
}

#[test]
fn newton_cg_matches_dense_newton() {
    let p = problem(80, 400, 6, 0.0, 2);
    let (x, y, d) = (p.x(), p.y_slice(), p.d());
    let offset: Vec<f64> = (0..d).map(|j| 1e-4 * ((j % 7) as f64 - 3.0)).collect();
    for alpha in [0.01, 0.1, 1.0, 3.0] {
        let rho = vec![alpha * alpha / 2.0; d];
        for beta_ref in [vec![0.0; d], offset.clone()] {
            let solve = |strategy| {
                let options = SolveOptions {
                    strategy,
                    ..SolveOptions::default()
                };
                implicit_bias_with(x, y, &rho, &beta_ref, &options).expect("solve")
            };
            let (dense, cg) = (solve(Strategy::Dense), solve(Strategy::Iterative));
            for s in [&dense, &cg] {
                let kkt = kkt_residual(x, y, &s.beta, &rho, &beta_ref).expect("kkt");
                assert!(kkt <= KKT_TOLERANCE, "α = {alpha}: KKT residual {kkt:e}");
            }
            let diff = dense
                .beta
                .iter()
                .zip(&cg.beta)
                .fold(0.0f64, |m, (a, b)| m.max((a - b).abs()));
            assert!(
                diff <= 1e-8 * norm_inf(&dense.beta).max(1.0),
                "α = {alpha}: Newton–CG and dense Newton differ by {diff:e}"
            );
        }
    }
}

/// From 2²⁰ entries the product runs on fixed column slices: the same bits on 1, 2 or 3
/// threads, and `X (w ⊙ Xᵀv)` to round-off.
#[test]
fn the_parallel_gram_product_is_the_same_for_any_thread_count() {
    let (n, d) = (130, 8100);
    let x = ndarray::Array2::from_shape_fn((n, d), |(i, j)| ((i * 31 + j * 17) % 23) as f64 - 11.0);
    let w: Vec<f64> = (0..d).map(|j| 10f64.powi(j as i32 % 7 - 3)).collect();
    let v: Vec<f64> = (0..n).map(|i| (i as f64 * 0.61).cos()).collect();
    let gram = WeightedGram::new(&x, &w, Strategy::Iterative).expect("gram");
    let on = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("pool");
        pool.install(|| gram.apply(&v))
    };
    let one = on(1);
    assert_eq!(one, on(2));
    assert_eq!(one, on(3));
    let t: Vec<f64> = xt_mul(&x, &v).iter().zip(&w).map(|(a, w)| a * w).collect();
    let direct = x_mul(&x, &t);
    let scale = norm_inf(&direct);
    for (a, b) in one.iter().zip(&direct) {
        assert!((a - b).abs() <= 1e-12 * scale, "{a} against {b}");
    }
}

#[test]
fn conjugate_gradients_solve_the_weighted_gram_system() {
    let p = problem(60, 300, 5, 0.0, 3);
    let x = p.x();
    // Weights over eight orders of magnitude, as at small ρ: the preconditioner keeps the
    // heavy columns exactly.
    let w: Vec<f64> = (0..300).map(|j| 10f64.powi(j % 9 - 6)).collect();
    let b: Vec<f64> = (0..60).map(|i| (i as f64 * 0.37).sin()).collect();
    let exact = WeightedGram::new(x, &w, Strategy::Dense)
        .expect("dense")
        .solve(&b, 0.0, None);
    let cg = WeightedGram::new(x, &w, Strategy::Iterative).expect("cg");
    let got = cg.solve(&b, 1e-12, None);
    assert!(got.converged);
    let scale = norm_inf(&exact.z);
    for (a, e) in got.z.iter().zip(&exact.z) {
        assert!((a - e).abs() <= 1e-8 * scale, "{a} against {e}");
    }
    // H z reproduces b: the matrix-free product is X diag(w) Xᵀ.
    let hz = cg.apply(&exact.z);
    for (h, bi) in hz.iter().zip(&b) {
        assert!((h - bi).abs() <= 1e-9 * norm_inf(&b));
    }
}

#[test]
fn matrix_free_minimum_l2_equals_the_closed_form() {
    // n above the dense threshold, so min_l2 takes the conjugate-gradient path.
    let p = problem(320, 1000, 5, 0.3, 4);
    let (x, y) = (p.x(), p.y_slice());
    let beta = min_l2(x, y).expect("min ℓ2");
    let ones = vec![1.0; 1000];
    let gram = WeightedGram::new(x, &ones, Strategy::Dense).expect("dense");
    let closed = xt_mul(x, &gram.solve(y, 0.0, None).z);
    let scale = norm_inf(&closed);
    for (a, e) in beta.iter().zip(&closed) {
        assert!((a - e).abs() <= 1e-10 * scale);
    }
}

/// Ticks `driver` into `record` until nothing runs in the background any more.
fn settle(driver: &mut Driver, record: &mut Record) {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if let Some(frame) = driver.tick() {
            record.apply(frame);
        }
        let done = record.finished() && !driver.waiting() && record.pending == Default::default();
        if done || Instant::now() > deadline {
            return;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

#[test]
fn background_preparation_and_limits_equal_the_synchronous_ones() {
    let config = Config {
        steps: 3000,
        ..Config::default()
    };
    let scene = config.validate().expect("valid");
    let methods = MethodSet::of(&[MethodKind::Gd, MethodKind::Sgd]);
    let restart = |run| Command::Restart {
        run,
        scene: Box::new(scene.clone()),
        methods,
    };
    let run_with = |pace: Pace| {
        let mut driver = Driver::new(pace, 1000);
        let mut record = Record::default();
        record.reset(2);
        // The first restart is superseded at once: its preparation is cancelled and none of its
        // frames count.
        driver.handle(restart(1));
        driver.handle(restart(2));
        settle(&mut driver, &mut record);
        record
    };
    let sync = run_with(Pace::INLINE);
    let live = run_with(Pace {
        background: true,
        ..Pace::INLINE
    });
    let (a, b) = (
        sync.info.clone().expect("info"),
        live.info.clone().expect("info"),
    );
    assert_eq!(a.gamma, b.gamma);
    let gf = |r: Option<[f64; 3]>| r.expect("d > n")[2];
    assert!(gf(a.reference_errors).is_finite());
    assert_eq!(
        gf(a.reference_errors).to_bits(),
        gf(b.reference_errors).to_bits(),
        "the GF limit solved in the background is the synchronous one"
    );
    for kind in [MethodKind::Gd, MethodKind::Sgd] {
        let (p, q) = (sync.prediction(kind), live.prediction(kind));
        let (p, q) = (p.expect("sync prediction"), q.expect("live prediction"));
        assert_eq!(
            p.step, q.step,
            "{kind:?}: the last prediction is of the final state"
        );
        // Warm-started from different earlier solves, they agree to the solver's tolerance.
        assert!(
            (p.gap - q.gap).abs() <= 1e-8,
            "{kind:?}: {} against {}",
            p.gap,
            q.gap
        );
        assert_eq!(sync.latest(kind), live.latest(kind));
    }
}
