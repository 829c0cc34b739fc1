//! Sampling is budgeted by its cost: it changes which samples are taken and how, never the
//! trajectory, and the final sample is always exact.

use std::sync::Arc;

use dln_explorer::model::{Method, Problem, ProblemSpec, Stop, Trainer};

fn problem(n: usize, d: usize) -> Arc<Problem> {
    Arc::new(Problem::generate(&ProblemSpec {
        n,
        d,
        s: 5,
        noise: 0.0,
        seed: 7,
        n_test: 0,
        source: Default::default(),
    }))
}

/// How a run is sampled.
#[derive(Clone, Copy)]
enum Sampling {
    /// Within the sample budget (the default).
    Budgeted,
    /// Every due sample exact (the budget's baseline).
    Dense,
    /// No history, only the final state (sweeps).
    FinalOnly,
}

/// Runs `method` to `steps` (tolerance `tol`) within the sample budget, sampling everything
/// exactly, and keeping no history; returns the three trainers and their stops.
fn sparse_and_dense(
    p: &Arc<Problem>,
    method: Method,
    gamma: f64,
    steps: u64,
    tol: f64,
) -> [(Trainer, Stop); 3] {
    [Sampling::Budgeted, Sampling::Dense, Sampling::FinalOnly].map(|mode| {
        let mut t = Trainer::new(p.clone(), method, 0.1, gamma).expect("valid settings");
        match mode {
            Sampling::Budgeted => {}
            Sampling::Dense => t.sample_everything(),
            Sampling::FinalOnly => t.final_only(),
        }
        let stop = t.run(steps, tol);
        (t, stop)
    })
}

fn bits(v: &[f64]) -> Vec<u64> {
    v.iter().map(|x| x.to_bits()).collect()
}

fn assert_same_trajectory(runs: &[(Trainer, Stop); 3]) {
    let [budgeted, dense, final_only] = runs;
    assert_same_run(budgeted, dense);
    assert_same_run(budgeted, final_only);
    assert_eq!(
        final_only.0.samples().len(),
        2,
        "no history: the start and the end"
    );
    let (_, end) = final_only.0.samples().last().expect("a final sample");
    assert!(end.sample.curvature.is_nan(), "no curvature estimate");
}

fn assert_same_run((sparse, stop_s): &(Trainer, Stop), (dense, stop_d): &(Trainer, Stop)) {
    assert_eq!(stop_s, stop_d, "the same stop");
    assert_eq!(sparse.stop_at_budget(), dense.stop_at_budget());
    assert_eq!(sparse.step(), dense.step(), "the same number of steps");
    assert_eq!(bits(&sparse.net().s), bits(&dense.net().s), "s");
    assert_eq!(bits(&sparse.net().d), bits(&dense.net().d), "d");
    assert_eq!(bits(&sparse.gamma_sum()), bits(&dense.gamma_sum()), "Γ");
    assert_eq!(
        sparse.loss_integral().to_bits(),
        dense.loss_integral().to_bits()
    );
    assert_eq!(sparse.implicit_target(), dense.implicit_target());
    let last = |t: &Trainer| t.samples().last().expect("a final sample").1.clone();
    let (a, b) = (last(sparse), last(dense));
    assert!(
        a.sample.loss_exact && b.sample.loss_exact,
        "the final sample is exact"
    );
    // The watched curvature is refreshed at samples, so when it was last estimated follows the
    // sampling; everything else in the final sample is the state's, bit for bit. (Debug prints
    // every f64 in its shortest round-trip form: equal text is equal bits.)
    let without_curvature = |p: &dln_explorer::model::Point| {
        let mut q = p.clone();
        q.sample.curvature = 0.0;
        format!("{q:?}")
    };
    assert_eq!(
        without_curvature(&a),
        without_curvature(&b),
        "the final sample"
    );
}

#[test]
fn sparse_sampling_leaves_an_sgd_run_bit_identical() {
    // n·d = 2·10⁶: one exact sample costs as much as 500 SGD steps, so the budget thins them.
    let p = problem(1000, 2000);
    let runs = sparse_and_dense(&p, Method::Sgd { batch: 1 }, 2e-4, 60_000, 0.0);
    assert_same_trajectory(&runs);
    let count = |t: &Trainer, exact: bool| {
        (t.samples().iter())
            .filter(|(_, q)| q.sample.loss_exact == exact)
            .count()
    };
    let (sparse, dense) = (&runs[0].0, &runs[1].0);
    assert_eq!(count(dense, false), 0, "dense sampling is exact throughout");
    assert!(
        count(sparse, true) * 4 < count(dense, true),
        "the budget thins the exact samples: {} of {}",
        count(sparse, true),
        count(dense, true)
    );
    // A cheap sample's loss is the mean mini-batch loss over at least the last epoch (n/b
    // steps): close to the exact loss at that step, which the dense run recorded (the two
    // trajectories are the same). Mean squared residuals of single samples would scatter over
    // decades on the log plot. The bounds: a mean of ≥ n = 1000 squared Gaussian residuals has
    // a relative standard deviation of sqrt(2/1000) ≈ 4.5 %, so a median within 10 % allows for
    // that and for the window trailing a decaying loss; a factor 2 is far outside the noise.
    let exact: std::collections::HashMap<u64, f64> = (dense.samples().iter())
        .map(|(k, q)| (k, q.sample.loss))
        .collect();
    let mut logs: Vec<f64> = (sparse.samples().iter())
        .filter(|(_, q)| !q.sample.loss_exact)
        .filter_map(|(k, q)| Some((q.sample.loss / exact.get(&k)?).ln().abs()))
        .collect();
    assert!(logs.len() > 40, "{} cheap samples", logs.len());
    logs.sort_by(f64::total_cmp);
    let (median, worst) = (logs[logs.len() / 2], logs[logs.len() - 1]);
    assert!(
        median < 0.1 && worst < 2f64.ln(),
        "cheap/exact loss: median |ln| {median}, worst {worst}"
    );
}

#[test]
fn sparse_sampling_leaves_a_converging_gd_run_bit_identical() {
    let p = problem(40, 100);
    let runs = sparse_and_dense(&p, Method::Gd, 0.05, 400_000, 1e-20);
    assert_eq!(runs[0].1, Stop::Converged);
    assert_same_trajectory(&runs);
}

#[test]
fn chunked_gd_on_a_large_problem_is_bit_identical_across_sampling() {
    // n·d ≥ 2²⁰: the full-batch pass is split into row slices on rayon's pool.
    let p = problem(600, 2000);
    let runs = sparse_and_dense(&p, Method::Gd, 2e-3, 40, 0.0);
    assert_same_trajectory(&runs);
    let l0 = runs[0].0.samples().iter().next().expect("a first sample").1;
    assert!(
        runs[0].0.sample().loss < l0.sample.loss,
        "the loss decreases"
    );
}
