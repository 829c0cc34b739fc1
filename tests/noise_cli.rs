//! The noise methods on the command line: their flags and errors, `run --json`'s honest report
//! of the identity, sweeps, and the scene "the shape of the noise" matched to SGD's noise.

#[path = "common/cli.rs"]
mod cli_common;

use cli_common::{bin, fails_with};

use dln_explorer::cli::run::execute;
use dln_explorer::model::MethodKind;
use dln_explorer::presets;

fn json(args: &[&str]) -> serde_json::Value {
    let o = bin(args);
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).expect("valid JSON")
}

fn num(v: &serde_json::Value, key: &str) -> f64 {
    v[key]
        .as_f64()
        .unwrap_or_else(|| panic!("{key} is not a number: {v}"))
}

#[test]
fn bad_noise_levels_and_methods_are_one_line_errors() {
    fails_with(
        &["run", "--method", "label-noise", "--sigma-label", "-1"],
        &["sigma-label", "-1", "[0, 1000]"],
    );
    fails_with(
        &["run", "--method", "iso-noise", "--sigma-iso", "2e3"],
        &["sigma-iso", "2000", "[0, 1000]"],
    );
    fails_with(
        &["run", "--sigma-iso", "nan"],
        &["sigma-iso", "NaN", "[0, 1000]"],
    );
    fails_with(
        &["run", "--method", "noise"],
        &["method", "noise", "label-noise", "iso-noise"],
    );
    fails_with(&["run", "--noise-steps", "-3"], &["noise-steps"]);
    fails_with(
        &["gamma-max", "--method", "label-noise"],
        &["method", "label-noise", "noise-steps"],
    );
}

#[test]
fn run_json_says_where_the_identity_holds() {
    let common = ["run", "--alpha", "0.1", "--noise-steps", "20000", "--json"];
    let label = json(
        &[
            &common[..],
            &["--method", "label-noise", "--sigma-label", "0.3"],
        ]
        .concat(),
    );
    assert_eq!(label["method"], "label-noise");
    assert_eq!(label["mirror_identity"], true);
    assert_eq!(label["stop"], "converged");
    let (state, product) = (
        num(&label, "alpha_ratio"),
        num(&label, "alpha_ratio_product"),
    );
    assert!(
        (state - product).abs() <= 1e-9 * state,
        "{state} vs {product}"
    );
    assert!(num(&label, "predicted_gap") <= 1e-8, "{label}");
    assert!(num(&label, "predicted_gap_product") <= 1e-8, "{label}");

    let iso = json(
        &[
            &common[..],
            &["--method", "iso-noise", "--sigma-iso", "3e-4"],
        ]
        .concat(),
    );
    assert_eq!(iso["mirror_identity"], false);
    assert_eq!(iso["stop"], "converged");
    let (state, product) = (num(&iso, "alpha_ratio"), num(&iso, "alpha_ratio_product"));
    assert!(
        (state / product - 1.0).abs() >= 1e-4,
        "{state} vs {product}"
    );
    // Its last steps are GD's, so it ends where its state predicts — but not where its dual
    // steps do.
    assert!(num(&iso, "predicted_gap") <= 1e-8, "{iso}");
    assert!(num(&iso, "predicted_gap_product") >= 1e-3, "{iso}");

    let gd = json(&["run", "--method", "gd", "--alpha", "0.1", "--json"]);
    assert!(gd["alpha_ratio_product"].is_null());
    assert_eq!(gd["mirror_identity"], true);
}

#[test]
fn sweeps_run_the_noise_methods_by_name() {
    let dir = tempfile::tempdir().expect("temp dir");
    let csv = dir.path().join("s.csv");
    let csv_arg = csv.to_string_lossy().into_owned();
    let o = bin(&[
        "sweep",
        "--alphas",
        "0.1",
        "--methods",
        "gd,label-noise,iso-noise",
        "--seeds",
        "1",
        "--steps",
        "3000",
        "--noise-steps",
        "1000",
        "--csv",
        &csv_arg,
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = std::fs::read_to_string(&csv).expect("written");
    assert!(text.contains("# sigma_label = 0.5"), "{text}");
    for method in ["gd", "label-noise", "iso-noise"] {
        let rows = text
            .lines()
            .filter(|l| l.contains(&format!(",{method},")))
            .count();
        assert_eq!(rows, 1, "{method}: {text}");
    }
}

/// The scene's σ_ℓ and σ_iso are SGD's noise power matched as docs/dynamics.md derives:
/// `σ_ℓ² = 4n ∫L_SGD / (Kγ)`, `σ_iso = (α σ_ℓ / n) sqrt(γ tr(XᵀX) / (2d))`.
#[test]
fn the_shape_of_the_noise_scene_is_matched_to_sgd() {
    let p = presets::get("shape-of-the-noise").expect("shipped");
    let mut s = p.config.validate().expect("valid");
    s.method = MethodKind::Sgd;
    let sgd = execute(s.clone(), false).expect("runs");
    assert!(sgd.outcome.final_loss <= s.tol, "SGD converges");
    let (n, d) = (s.problem.n as f64, s.problem.d as f64);
    let gamma = sgd.trainer.gamma();
    let k = s.noise_steps.expect("the scene stops its noise") as f64;
    let trace = n * sgd.trainer.problem().diag_xtx.iter().sum::<f64>();
    let sigma_label = (4.0 * n * sgd.outcome.loss_integral / (k * gamma)).sqrt();
    let sigma_iso = s.alpha * sigma_label / n * (gamma * trace / (2.0 * d)).sqrt();
    eprintln!(
        "matched σ_ℓ = {sigma_label}, σ_iso = {sigma_iso}, ∫L = {}",
        sgd.outcome.loss_integral
    );
    // The scene writes them to three significant digits.
    assert!(
        (s.sigma_label / sigma_label - 1.0).abs() <= 5e-3,
        "σ_ℓ {} vs {sigma_label}",
        s.sigma_label
    );
    assert!(
        (s.sigma_iso / sigma_iso - 1.0).abs() <= 5e-3,
        "σ_iso {} vs {sigma_iso}",
        s.sigma_iso
    );
}
