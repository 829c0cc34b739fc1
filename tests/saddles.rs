//! The saddle-to-saddle staircase (docs/saddles.md): Pesme & Flammarion's exact example, the end
//! point against basis pursuit, gradient flow at α = 1e-100 against the prediction, the failures
//! it reports, and `dln-explorer saddles`.

#[path = "common/cli.rs"]
mod cli_common;

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use cli_common::{bin, fails_with, stderr};
use dln_explorer::model::method::{Method, Stepper};
use dln_explorer::model::net::DiagNet;
use dln_explorer::model::problem::{Stream, stream_rng};
use dln_explorer::model::references::{L1Solver, basis_pursuit_lp, basis_pursuit_solve};
use dln_explorer::model::saddles::{Options, SaddleError, saddles, saddles_with};
use dln_explorer::model::{DataSet, Problem, ProblemSpec, Source};
use ndarray::{Array1, Array2};

/// Pesme & Flammarion's example: `X = [[1, 1/2, 7/10, 0], [1/2, 1, 1/10, 7/10]]`, `y = (1, 0)`.
fn example() -> (Array2<f64>, Vec<f64>) {
    let x = Array2::from_shape_vec((2, 4), vec![1.0, 0.5, 0.7, 0.0, 0.5, 1.0, 0.1, 0.7])
        .expect("2 × 4");
    (x, vec![1.0, 0.0])
}

/// The predicted jump times and saddles of the example, in fractions.
fn predicted() -> [(f64, [f64; 4]); 3] {
    [
        (2.0, [0.8, 0.0, 0.0, 0.0]),
        (8.0, [0.0, 0.0, 1.4, 0.0]),
        (552.0 / 49.0, [0.0, 0.0, 10.0 / 7.0, -10.0 / 49.0]),
    ]
}

fn max_diff(a: &[f64], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .fold(0.0f64, |m, (p, q)| m.max((p - q).abs()))
}

#[test]
fn the_example_has_three_saddles_at_the_exact_times() {
    // Units: g(0) = Xᵀy/n = (1/2, 1/4, 7/20, 0) with n = 2, so coordinate 1 joins after
    // δ = 1/(1/2) = 2.
    let (x, y) = example();
    let stairs = saddles(&x, &y).expect("staircase");
    assert_eq!(stairs.saddles.len(), 3);
    let moves: [(&[usize], &[usize]); 3] = [(&[0], &[]), (&[2], &[0]), (&[3], &[])];
    for (k, (saddle, (tau, beta))) in stairs.saddles.iter().zip(predicted()).enumerate() {
        assert!((saddle.tau - tau).abs() <= 1e-12, "τ_{k}: {}", saddle.tau);
        assert!(
            max_diff(&saddle.beta, &beta) <= 1e-12,
            "β^{k}: {:?}",
            saddle.beta
        );
        assert_eq!(saddle.joins, moves[k].0, "joins at saddle {k}");
        assert_eq!(saddle.leaves, moves[k].1, "leaves at saddle {k}");
    }
    let end = stairs.end().expect("an end point");
    assert_eq!(
        end[3].signum(),
        -1.0,
        "coordinate 4 joins with the sign of g_4 < 0"
    );
}

fn gaussian(seed: u64) -> Problem {
    Problem::generate(&ProblemSpec {
        n: 20,
        d: 50,
        s: 3,
        noise: 0.0,
        seed,
        n_test: 0,
        source: Default::default(),
    })
}

#[test]
fn the_staircase_ends_at_basis_pursuit() {
    let never = AtomicBool::new(false);
    let (mut steps, mut leaves, mut worst) = (Vec::new(), 0, 0.0f64);
    for seed in 0..20 {
        let p = gaussian(seed);
        let (x, y) = (p.x(), p.y_slice());
        let stairs = saddles(x, y).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        let end = stairs.end().expect("y ≠ 0");
        let (homotopy, solver) = basis_pursuit_solve(x, y, &never).expect("homotopy");
        assert!(matches!(solver, L1Solver::Homotopy { .. }), "seed {seed}");
        let lp = basis_pursuit_lp(x, y).expect("LP");
        for (name, reference) in [("homotopy", &homotopy), ("LP", &lp)] {
            let diff = max_diff(end, reference);
            worst = worst.max(diff);
            let scale = reference.iter().fold(1.0f64, |m, v| m.max(v.abs()));
            assert!(
                diff <= 1e-9 * scale,
                "seed {seed}: {name} differs by {diff:e}"
            );
        }
        // Jump times increase, and each saddle is on the sign pattern it was given.
        for w in stairs.saddles.windows(2) {
            assert!(w[1].tau > w[0].tau, "seed {seed}: τ not increasing");
        }
        steps.push(stairs.saddles.len());
        leaves += stairs.saddles.iter().map(|s| s.leaves.len()).sum::<usize>();
    }
    println!("saddles per seed {steps:?}, {leaves} leaves in all, largest difference {worst:.1e}");
}

/// The example as a problem the crate's dynamics run on.
fn example_problem() -> Problem {
    let (x, y) = example();
    let data = DataSet::new("example", x, Array1::from(y), None, None).expect("valid data");
    Problem::generate(&ProblemSpec {
        n: 2,
        d: 4,
        s: 0,
        noise: 0.0,
        seed: 0,
        n_test: 0,
        source: Source {
            data: Some(Arc::new(data)),
            ..Default::default()
        },
    })
}

/// The saddle the staircase predicts at rescaled time τ (β = 0 before the first jump).
fn saddle_at(tau: f64) -> [f64; 4] {
    (predicted().iter().rev())
        .find(|(t, _)| *t <= tau)
        .map_or([0.0; 4], |(_, b)| *b)
}

/// What a gradient-flow run on the example shows against the staircase.
struct Flow {
    /// `(τ, ‖β(τ) − predicted saddle‖_∞)` at τ = 5, 10 and 13.5.
    distances: Vec<(f64, f64)>,
    /// The τ at which each coordinate first got half-way to its value at its first saddle.
    joined: [Option<f64>; 4],
    /// The τ at which coordinate 1 fell below half its first saddle's value, 0.8.
    left_1: Option<f64>,
    /// `α_t = sqrt|s·d|` per coordinate at the end.
    alpha_eff: Vec<f64>,
}

/// The crate's GF (RK4 on Γ, applied as the exact rotation s ← s e^D, d ← d e^{−D}) on the
/// example from u₀ = α𝟙, v₀ = 0, to τ = 13.5 with 4000 steps per unit of τ (h = ln(1/α)/4000).
/// β = (α²/2) sinh(2Γ): at α = 1e-100 the state (s, d) = (α e^Γ, α e^{−Γ}) stays between
/// ~1e-200 and ~1 (normal numbers) and s·d = α² is conserved.
fn gradient_flow(alpha: f64) -> Flow {
    let per_tau = 4000;
    let h = (1.0 / alpha).ln() / per_tau as f64;
    let p = example_problem();
    let mut net = DiagNet::init(alpha, 4);
    let rng = stream_rng(0, Stream::Sampling(0));
    let mut stepper = Stepper::new(Method::Gf { h: Some(h) }, h, 2, 4, rng);
    let mut coef = vec![0.0; 2];
    let (mut joined, mut left_1, mut distances) = ([None; 4], None, Vec::new());
    let first_values: Vec<Option<f64>> = (0..4)
        .map(|i| predicted().iter().map(|(_, b)| b[i]).find(|v| *v != 0.0))
        .collect();
    for k in 1..=135 * per_tau / 10 {
        stepper.step::<false>(&p, &mut net, &mut coef);
        let tau = k as f64 / per_tau as f64;
        let beta = net.beta();
        for (i, slot) in joined.iter_mut().enumerate() {
            if let Some(v) = first_values[i]
                && slot.is_none()
                && beta[i].abs() >= 0.5 * v.abs()
            {
                *slot = Some(tau);
            }
        }
        if joined[0].is_some() && left_1.is_none() && beta[0] < 0.4 {
            left_1 = Some(tau);
        }
        if [50, 100, 135].contains(&(10 * k / per_tau)) && (10 * k) % per_tau == 0 {
            distances.push((tau, max_diff(&beta, &saddle_at(tau))));
        }
    }
    Flow {
        distances,
        joined,
        left_1,
        alpha_eff: net.alpha_eff(),
    }
}

/// The predicted joins: (coordinate, τ).
const JOINS: [(usize, f64); 3] = [(0, 2.0), (2, 8.0), (3, 552.0 / 49.0)];

/// `τ_GF − τ` of each predicted join.
fn join_errors(flow: &Flow) -> Vec<f64> {
    (JOINS.iter())
        .map(|&(i, tau)| match flow.joined[i] {
            Some(at) => at - tau,
            None => panic!("coordinate {} never joined", i + 1),
        })
        .collect()
}

#[test]
fn gradient_flow_at_alpha_1e_minus_100_follows_the_staircase() {
    let alpha = 1e-100_f64;
    let flow = gradient_flow(alpha);
    assert_eq!(flow.distances.len(), 3);
    for (tau, dist) in &flow.distances {
        assert!(
            *dist <= 1e-3,
            "at τ = {tau}: GF is {dist:e} from the saddle"
        );
    }
    let errors = join_errors(&flow);
    for (&(i, tau), err) in JOINS.iter().zip(&errors) {
        assert!(
            err.abs() <= 0.1 * tau,
            "coordinate {} joined {err} off",
            i + 1
        );
    }
    assert!(flow.joined[1].is_none(), "coordinate 2 never joins");
    let left = flow.left_1.expect("coordinate 1 leaves");
    assert!((left - 8.0).abs() <= 0.8, "coordinate 1 left at τ = {left}");
    // Exactness of the state: α_t = sqrt|s·d| stays α in every coordinate, up to the round-off
    // of 54 000 rotations (no underflow: s·d = 1e-200 is a normal number).
    for a in &flow.alpha_eff {
        assert!((a / alpha - 1.0).abs() <= 1e-10, "α_t/α = {}", a / alpha);
    }
    println!(
        "GF at α = 1e-100, ∞-distance to the saddle: {:?}",
        flow.distances
    );
    println!("join-time errors τ_GF − τ (coordinates 1, 3, 4): {errors:?}; 1 left at τ = {left}");
}

#[test]
fn jump_time_errors_shrink_like_one_over_ln_one_over_alpha() {
    // τ_GF − τ = c/ln(1/α) with c per coordinate (measured c ≈ 1.2, 12.7, −29.1 for the
    // half-way criterion): the same c from α = 1e-10 to 1e-150, to 5% plus the step grid's
    // resolution (2.5e-4 in τ, i.e. 2.5e-4·ln(1/α) in c).
    let c_of = |alpha: f64| -> Vec<f64> {
        let scale = (1.0 / alpha).ln();
        join_errors(&gradient_flow(alpha))
            .iter()
            .map(|e| e * scale)
            .collect()
    };
    let reference = c_of(1e-100);
    for alpha in [1e-10, 1e-25, 1e-50, 1e-150] {
        let c = c_of(alpha);
        println!("α = {alpha:e}: (τ_GF − τ)·ln(1/α) = {c:?} (at 1e-100: {reference:?})");
        for (got, want) in c.iter().zip(&reference) {
            let slack = 0.05 * want.abs() + 2.5e-4 * (1.0 / alpha).ln();
            assert!(
                (got - want).abs() <= slack,
                "α = {alpha:e}: c = {got}, not {want}"
            );
        }
    }
}

#[test]
fn ties_missing_interpolators_and_the_cap_are_reported() {
    // Columns 1 and 2 equal: after coordinate 3 joins at τ = 1, both reach s = 1 at τ = 2.
    let x = Array2::from_shape_vec((2, 3), vec![1.0, 1.0, 0.0, 0.0, 0.0, 2.0]).expect("2 × 3");
    match saddles(&x, &[1.0, 1.0]) {
        Err(SaddleError::Tie {
            coords, tau, after, ..
        }) => {
            assert_eq!((coords, after), (vec![0, 1], 1));
            assert!((tau - 2.0).abs() <= 1e-12);
        }
        other => panic!("expected a tie, got {other:?}"),
    }
    // Equal rows with different labels: no interpolator. Coordinate 3 joins at τ = 1 with
    // β_3 = 1/4, after which g = 0 while the residual is (1/2, −1/2).
    let x = Array2::from_shape_vec((2, 3), vec![1.0, 0.0, 2.0, 1.0, 0.0, 2.0]).expect("2 × 3");
    match saddles(&x, &[1.0, 0.0]) {
        Err(e @ SaddleError::NoInterpolator { .. }) => {
            let SaddleError::NoInterpolator {
                tau,
                residual,
                after,
            } = e.clone()
            else {
                unreachable!()
            };
            assert_eq!(after, 1);
            assert!((tau - 1.0).abs() <= 1e-12 && (residual - 0.5).abs() <= 1e-12);
            assert!(e.to_string().contains("no interpolator"), "{e}");
        }
        other => panic!("expected no interpolator, got {other:?}"),
    }
    let (x, y) = example();
    let capped = Options {
        max_saddles: Some(2),
        ..Options::default()
    };
    match saddles_with(&x, &y, &capped) {
        Err(SaddleError::TooMany { max: 2, tau }) => assert!((tau - 8.0).abs() <= 1e-12),
        other => panic!("expected the cap, got {other:?}"),
    }
    // y = 0: no saddle at all.
    assert!(saddles(&x, &[0.0, 0.0]).expect("empty").saddles.is_empty());
}

fn fixture() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/saddles.npz")
        .display()
        .to_string()
}

#[test]
fn the_saddles_command_prints_the_staircase() {
    let data = fixture();
    let o = bin(&["saddles", "--data", &data, "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON");
    let list = v["saddles"].as_array().expect("a list of saddles");
    assert_eq!(list.len(), 3);
    let moves = [(vec![1], vec![]), (vec![3], vec![1]), (vec![4], vec![])];
    for (k, (s, (tau, beta))) in list.iter().zip(predicted()).enumerate() {
        assert!((s["tau"].as_f64().expect("τ") - tau).abs() <= 1e-12);
        let got: Vec<f64> = (s["beta"].as_array().expect("β").iter())
            .map(|b| b.as_f64().expect("number"))
            .collect();
        assert!(
            max_diff(&got, &beta) <= 1e-12 && got.len() == 4,
            "β^{k} = {got:?}"
        );
        let ints = |key: &str| -> Vec<u64> {
            (s[key].as_array().expect(key).iter())
                .map(|c| c.as_u64().expect("1-based"))
                .collect()
        };
        assert_eq!((ints("joins"), ints("leaves")), moves[k], "saddle {k}");
    }
    let o = bin(&["saddles", "--data", &data]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    println!("{text}");
    let rows: Vec<&str> = text.lines().filter(|l| l.contains("joins")).collect();
    assert_eq!(rows.len(), 4, "β = 0 and three saddles:\n{text}");
    // The start: L(0) = ‖y‖²/(4n) = 1/8.
    assert!(
        rows[0].contains("τ = 0") && rows[0].contains("loss 0.1250"),
        "{}",
        rows[0]
    );
    for (row, want) in rows[1..].iter().zip(["2.0000", "8.0000", "11.2653"]) {
        assert!(
            row.contains(&format!("τ = {want}")),
            "«{row}» lacks τ = {want}"
        );
    }
    // Losses at the saddles: ‖(1/5, −2/5)‖²/8 = 1/40 and ‖(1/50, −7/50)‖²/8 = 1/400.
    assert!(
        rows[1].contains("joins 1") && rows[1].contains("loss 0.0250"),
        "{}",
        rows[1]
    );
    assert!(
        rows[2].contains("joins 3") && rows[2].contains("leaves 1"),
        "{}",
        rows[2]
    );
    assert!(
        rows[2].contains("loss 0.0025") && rows[2].contains("β3 = 1.4000"),
        "{}",
        rows[2]
    );
    assert!(rows[3].contains("β3 = 1.4286, β4 = -0.2041"), "{}", rows[3]);
    // More samples than features and label noise: no interpolator, one line, status 2.
    fails_with(
        &["saddles", "--n", "30", "--d", "10", "--noise", "1"],
        &["error:", "no interpolator"],
    );
}
