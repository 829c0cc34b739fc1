//! Step-size schedules (docs/dynamics.md#step-size-schedules): a schedule of factor 1 is the
//! constant run bit for bit, the exact α_t identity and the predicted limit hold under step decay,
//! P21's formula sums γ_k L_k Δt_k, and the flag's errors.

#[path = "common/cli.rs"]
mod cli_common;

use std::sync::Arc;

use cli_common::fails_with;
use dln_explorer::model::schedule::Schedule;
use dln_explorer::model::{Method, Outcome, Problem, ProblemSpec, Trainer};

fn problem() -> Arc<Problem> {
    Arc::new(Problem::generate(&ProblemSpec {
        n: 20,
        d: 60,
        s: 3,
        noise: 0.0,
        seed: 2,
        n_test: 0,
        source: Default::default(),
    }))
}

fn schedule(text: &str) -> Schedule {
    text.parse().expect("a valid schedule")
}

#[test]
fn a_schedule_of_factor_one_is_the_constant_run_bit_for_bit() {
    // The pieces end at the decay points and the sums are kept apart, yet every step is the same.
    let p = problem();
    for method in [
        Method::Gd,
        Method::Sgd { batch: 1 },
        Method::Sgd { batch: 3 },
    ] {
        let mut plain = Trainer::new(p.clone(), method, 0.1, 0.05).expect("trainer");
        let mut ones = (plain.clone()).with_schedule(schedule("step:0.3,0.7:1"), 5000);
        plain.run(5000, 0.0);
        ones.run(5000, 0.0);
        let bits = |t: &Trainer| t.beta().iter().map(|b| b.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&plain), bits(&ones), "{method:?}");
        assert_eq!(
            plain.loss_integral().to_bits(),
            ones.loss_integral().to_bits()
        );
        assert!((plain.time() - ones.time()).abs() <= 1e-12 * plain.time());
        for (a, b) in plain.alpha_p21().iter().zip(ones.alpha_p21()) {
            assert!(
                (a - b).abs() <= 1e-12 * a,
                "{method:?}: P21 {a} against {b}"
            );
        }
    }
}

#[test]
fn under_step_decay_the_exact_alpha_and_the_predicted_limit_hold() {
    // Each step's D uses its own γ_k: α_t = α exp(−½ Σ q(D_k)), q(x) = −ln|1 − x²|, and a
    // converged run ends at argmin D_ψρ from its state.
    let p = problem();
    let (alpha, budget) = (0.1, 200_000);
    let sched = schedule("step:0.0006,0.003:0.5");
    for method in [Method::Gd, Method::Sgd { batch: 1 }] {
        let t = Trainer::new(p.clone(), method, alpha, 0.08).expect("trainer");
        let mut t = t.with_schedule(sched.clone(), budget);
        let mut q_sum = vec![0.0; p.d()];
        let mut dual = vec![0.0; p.d()];
        for _ in 0..2000 {
            assert!(t.step_once());
            t.last_dual_step(&mut dual);
            q_sum
                .iter_mut()
                .zip(&dual)
                .for_each(|(q, x)| *q -= (1.0 - x * x).abs().ln());
        }
        let worst = (t.net().alpha_eff().iter().zip(&q_sum))
            .map(|(a, q)| (a / (alpha * (-0.5 * q).exp()) - 1.0).abs())
            .fold(0.0f64, f64::max);
        assert!(
            worst <= 1e-12,
            "{method:?}: α_t off the product by {worst:e}"
        );
        // γ halves at steps 120 and 600: the last step ran at γ/4.
        assert!(
            (t.dt() - 0.02).abs() <= 1e-15,
            "{method:?}: Δt = {}",
            t.dt()
        );
        let stop = t.run(budget, 1e-20);
        assert_eq!(stop, dln_explorer::model::Stop::Converged, "{method:?}");
        let gap = Outcome::of(&t).predicted_gap.expect("a prediction");
        println!(
            "{method:?}: {stop:?} at step {}, gap to the predicted limit {gap:.2e}",
            t.step()
        );
        assert!(gap <= 1e-8, "{method:?}: gap {gap:e}");
    }
}

#[test]
fn p21_sums_gamma_k_times_the_loss_under_a_schedule() {
    // SGD's P21 rate is 2Σ(γ_k/b)L_kΔt_k: with γ halved for the second half of the run, the same
    // run's two halves add up with weights γ and γ/2 (Δt_k = γ_k).
    let p = problem();
    let (gamma, budget) = (0.05, 4000);
    let t = Trainer::new(p.clone(), Method::Sgd { batch: 1 }, 0.1, gamma).expect("trainer");
    let mut t = t.with_schedule(schedule("step:0.5:0.5"), budget);
    t.run_until(budget / 2, 0.0);
    let first = t.loss_integral();
    t.run_until(budget, 0.0);
    let second = t.loss_integral() - first;
    let rate = 2.0 * (gamma * first + 0.5 * gamma * second);
    for (a, g) in t.alpha_p21().iter().zip(&p.diag_xtx) {
        let want = 0.1 * (-rate * g).exp();
        assert!((a / want - 1.0).abs() <= 1e-12, "P21 α {a} against {want}");
    }
    assert!((t.time() - (2000.0 * gamma + 2000.0 * gamma / 2.0)).abs() <= 1e-9);
}

#[test]
fn a_malformed_schedule_is_one_line_error() {
    for bad in ["step:0.5", "step:0.8,0.2:0.5", "step:0.5:2", "linear"] {
        fails_with(&["run", "--schedule", bad], &["schedule", bad, "cosine"]);
    }
}

#[test]
fn the_loss_stabilisation_scene_shows_what_its_caption_measured() {
    // SGD at γ = 0.3 decayed ×0.1 at a quarter of the budget ends with β*'s support, far closer
    // to β* than SGD at the constant γ = 0.03 (the caption: 2.5e-6 against 0.166).
    let scene = dln_explorer::presets::get("loss-stabilisation").expect("shipped");
    let run = |config: dln_explorer::model::Config| {
        let report = dln_explorer::cli::run::execute(config.validate().expect("valid"), true);
        report.expect("runs").outcome
    };
    let decayed = run(scene.config.clone());
    assert!(
        decayed.recovery_error <= 1e-5,
        "decayed {:e}",
        decayed.recovery_error
    );
    let mut small = scene.config.clone();
    (small.gamma, small.schedule) = (Some(0.03), "constant".into());
    let small = run(small);
    assert!(
        small.recovery_error >= 0.1,
        "constant small γ {:e}",
        small.recovery_error
    );
}
