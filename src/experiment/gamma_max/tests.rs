//! The bisection's tests: its brackets, its errors, and a bisection resumed slice by slice
//! ending where one call ends.

use super::*;
use crate::experiment::prepare::prepare;
use crate::model::Config;

/// n = 20, d = 30, s = 3, α = 0.1, a 20 000-step budget to tol 1e-12.
fn scene() -> (Arc<Problem>, Settings) {
    let config = Config {
        n: 20,
        d: 30,
        s: 3,
        alpha: 0.1,
        steps: 20_000,
        tol: 1e-12,
        ..Config::default()
    };
    let prepared = prepare(config.validate().expect("valid"), None).expect("prepared");
    (prepared.problem.clone(), prepared.settings.clone())
}

/// How a GD run at `gamma` stops, judged as the bisection judges it.
fn stop_at(problem: &Arc<Problem>, s: &Settings, gamma: f64) -> Stop {
    let method = Method::of_scene(MethodKind::Gd, s);
    let mut t = Trainer::new(problem.clone(), method, s.alpha, gamma).expect("a trainer");
    t.final_only();
    match t.run(s.steps, s.tol) {
        Stop::Budget => t.stop_at_budget(),
        stop => stop,
    }
}

/// A run paced in pieces, paused after each, ends bit for bit where one call ends (SGD at
/// γ = 0.05, budget 50 000); a bisection resumed a piece per call (its deadline always
/// passed) ends on the bracket of one call; a raised flag cancels it.
#[test]
fn a_paced_run_and_a_resumed_bisection_end_where_one_call_ends() {
    let (problem, s) = scene();
    let s50 = Settings {
        steps: 50_000,
        tol: 0.0,
        ..s.clone()
    };
    let trainer = || {
        let method = Method::of_scene(MethodKind::Sgd, &s50);
        let mut t = Trainer::new(problem.clone(), method, s50.alpha, 0.05).expect("a trainer");
        t.final_only();
        t
    };
    let mut whole = trainer();
    assert_eq!(whole.run(s50.steps, s50.tol), Stop::Budget);
    let (mut paced, mut chunk, mut pieces) = (trainer(), 1, 0);
    while paced.step() < s50.steps {
        pieces += 1;
        let stop = paced.run_paced(s50.steps, s50.tol, &mut chunk, || true);
        assert_eq!(stop, Stop::Budget);
    }
    paced.finish();
    assert!(pieces > 10, "{pieces} pieces");
    assert_eq!(paced.beta(), whole.beta());
    assert_eq!(paced.loss_integral(), whole.loss_integral());

    let never = AtomicBool::new(false);
    let one_call = gamma_max(&problem, &s, MethodKind::Gd, 0.1, &never).expect("a bracket");
    let mut bisection = Bisection::new(&problem, &s, MethodKind::Gd, 0.1).expect("a bisection");
    let mut calls = 0;
    let resumed = loop {
        calls += 1;
        if let Some(r) = bisection.advance(Some(Instant::now()), &never) {
            break r.expect("a bracket");
        }
    };
    assert_eq!(resumed, one_call);
    assert!(
        calls > 2 * one_call.runs,
        "{calls} calls for {} runs",
        one_call.runs
    );
    let raised = gamma_max(&problem, &s, MethodKind::Gd, 0.1, &AtomicBool::new(true));
    assert_eq!(raised, Err(SimError::Cancelled));
}

#[test]
fn a_start_too_slow_or_too_fast_still_brackets_gamma_max() {
    let (problem, s) = scene();
    let never = AtomicBool::new(false);
    // 1e-3 runs out of the budget (too slow), 100 diverges: both lead to the same threshold
    // region, bracketed to 1 % between a run that converges and one that does not.
    for (start, first) in [(1e-3, Stop::Budget), (100.0, Stop::Diverged)] {
        assert_eq!(stop_at(&problem, &s, start), first, "start {start}");
        let g = gamma_max(&problem, &s, MethodKind::Gd, start, &never).expect("a bracket");
        let [lo, hi] = g.bracket;
        assert!(hi > lo && hi <= (1.0 + PRECISION) * lo, "{lo}..{hi}");
        assert_eq!(stop_at(&problem, &s, lo), Stop::Converged, "start {start}");
        assert_eq!(stop_at(&problem, &s, hi), g.above, "start {start}");
        assert_ne!(g.above, Stop::Converged);
        assert!((0.5..4.0).contains(&lo), "start {start}: γ_max {lo}");
    }
}

#[test]
fn no_converging_step_size_names_the_search() {
    let (problem, s) = scene();
    let error_within = |steps: u64| {
        let s = Settings { steps, ..s.clone() };
        let never = AtomicBool::new(false);
        let msg = gamma_max(&problem, &s, MethodKind::Gd, 0.1, &never)
            .unwrap_err()
            .to_string();
        let tail = format!("within {steps} steps (tol = 1e-12); change --steps or --tol");
        assert!(msg.ends_with(&tail), "{msg}");
        msg
    };
    // 200 steps: the search turns (slow below, oscillating above) and names the nearest run.
    let msg = error_within(200);
    assert!(
        msg.starts_with("γ_max of gd: no step size converges (the nearest, γ = "),
        "{msg}"
    );
    // 5 steps: every run oscillates, so the walk halves to its limit and says so.
    let msg = error_within(5);
    assert!(
        msg.starts_with("γ_max of gd: no step size from γ = 0.1 down to "),
        "{msg}"
    );
}
