//! The real binary: the JSON contract, the sweep, and every bad input's one-line error (exit 2).

#[path = "common/cli.rs"]
mod cli_common;

use cli_common::{bin, fails_with, stderr};

fn json(args: &[&str]) -> serde_json::Value {
    let o = bin(args);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    serde_json::from_slice(&o.stdout).expect("valid JSON")
}

#[test]
fn run_json_has_the_contract_keys_and_matches_the_theory() {
    let v = json(&[
        "run",
        "--method",
        "sgd",
        "--alpha",
        "0.1",
        "--gamma-rule",
        "stable:1",
        "--steps",
        "400000",
        "--json",
    ]);
    for key in [
        "method",
        "n",
        "d",
        "s",
        "seed",
        "alpha",
        "gamma",
        "batch",
        "steps_run",
        "final_loss",
        "recovery_error",
        "alpha_ratio",
        "predicted_gap",
        "predicted_gap_p21",
        "diverged",
        "diverged_at_step",
        "l1_recovery_error",
        "l2_recovery_error",
        "l1_norm",
        "support_size",
    ] {
        assert!(v.get(key).is_some(), "missing key {key}");
    }
    assert!(v["final_loss"].as_f64().unwrap() < 1e-20);
    assert!(v["predicted_gap"].as_f64().unwrap() < 1e-8);
    assert!(v["alpha_ratio"].as_f64().unwrap() < 0.95);
    assert_eq!(v["diverged"], false);
    let gd = json(&[
        "run", "--method", "gd", "--alpha", "0.1", "--steps", "400000", "--json",
    ]);
    assert!(
        gd["alpha_ratio"].as_f64().unwrap() > 0.99,
        "GD's α barely shrinks"
    );
    assert_eq!(gd["gamma"], v["gamma"], "paired: same γ for GD and SGD");
    // SGD's β ends sparser: a smaller ℓ1 norm, 49 coordinates past α² against GD's 56.
    assert!(v["l1_norm"].as_f64().unwrap() < gd["l1_norm"].as_f64().unwrap());
    let support = |r: &serde_json::Value| r["support_size"].as_u64();
    assert_eq!((support(&gd), support(&v)), (Some(56), Some(49)));
}

#[test]
fn a_diverging_run_is_a_result() {
    let v = json(&["run", "--gamma", "50", "--steps", "100000", "--json"]);
    assert_eq!(v["diverged"], true);
    assert!(v["diverged_at_step"].as_u64().is_some());
}

#[test]
fn config_file_is_read_and_flags_override_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("scene.toml");
    std::fs::write(
        &path,
        "n = 30\nd = 80\nalpha = 0.5\nmethod = \"gd\"\nsteps = 2000\n",
    )
    .unwrap();
    let p = path.to_str().unwrap();
    let v = json(&["run", "--config", p, "--alpha", "0.2", "--json"]);
    assert_eq!(v["n"], 30);
    assert_eq!(v["d"], 80);
    assert_eq!(v["method"], "gd");
    assert_eq!(v["alpha"], 0.2);

    // A scene file saved by the app (title, caption, [config]) works as --config too, alone and
    // over a preset.
    let saved = dir.path().join("saved.toml");
    std::fs::write(
        &saved,
        "title = \"mine\"\ncaption = \"saved\"\n[config]\nn = 24\nd = 70\nsteps = 1500\n",
    )
    .unwrap();
    let p = saved.to_str().unwrap();
    let v = json(&["run", "--config", p, "--json"]);
    assert_eq!((v["n"].as_u64(), v["d"].as_u64()), (Some(24), Some(70)));
    let v = json(&["run", "--preset", "kernel-vs-rich", "--config", p, "--json"]);
    assert_eq!((v["n"].as_u64(), v["d"].as_u64()), (Some(24), Some(70)));
    assert_eq!(v["steps_run"].as_u64(), Some(1500));
}

#[test]
fn sweep_writes_rows_and_a_summary() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("rows.csv");
    let v = json(&[
        "sweep",
        "--alphas",
        "0.1,1",
        "--methods",
        "gd,sgd",
        "--seeds",
        "2",
        "--steps",
        "50000",
        "--csv",
        csv.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(v["cells"].as_array().unwrap().len(), 4);
    let text = std::fs::read_to_string(&csv).unwrap();
    let rows: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(
        rows[0],
        "alpha,method,seed,gamma,steps_run,final_loss,recovery_error,alpha_ratio,predicted_gap,predicted_gap_p21,diverged,gamma_max,gamma_fraction,stop,l1_recovery_error,l2_recovery_error"
    );
    assert_eq!(rows.len(), 1 + 2 * 2 * 2);
}

/// The CSV row of a sweep as named columns.
fn csv_rows(path: &std::path::Path) -> Vec<std::collections::HashMap<String, String>> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines().filter(|l| !l.starts_with('#'));
    let header: Vec<String> = lines.next().unwrap().split(',').map(String::from).collect();
    lines
        .map(|l| {
            header
                .iter()
                .cloned()
                .zip(l.split(',').map(String::from))
                .collect()
        })
        .collect()
}

#[test]
fn a_gamma_grid_cell_equals_the_standalone_run_and_the_summary_is_per_alpha_gamma_method() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("rows.csv");
    let scene = [
        "--n", "20", "--d", "30", "--s", "3", "--steps", "100000", "--tol", "1e-14",
    ];
    let v = json(
        &[
            &[
                "sweep",
                "--alphas",
                "0.1",
                "--gammas",
                "0.05,0.3",
                "--methods",
                "gd,sgd",
            ],
            &scene[..],
            &["--seeds", "1", "--csv", csv.to_str().unwrap(), "--json"],
        ]
        .concat(),
    );
    let cells = v["cells"].as_array().unwrap();
    assert_eq!(cells.len(), 4, "(α, γ, method) cells");
    for c in cells {
        assert!(c["gamma"] == 0.05 || c["gamma"] == 0.3, "{c}");
    }
    let ratios = v["ratios"].as_array().unwrap();
    assert_eq!(ratios.len(), 2);
    assert!(ratios[0]["median_ratio_to_gd"]["sgd"].as_f64().unwrap() > 0.0);
    let rows = csv_rows(&csv);
    assert_eq!(rows.len(), 4);
    for row in &rows {
        let gamma: f64 = row["gamma"].parse().unwrap();
        let run = json(
            &[
                &[
                    "run",
                    "--method",
                    &row["method"],
                    "--gamma",
                    &gamma.to_string(),
                    "--json",
                ],
                &scene[..],
            ]
            .concat(),
        );
        assert_eq!(row["steps_run"], run["steps_run"].to_string(), "{row:?}");
        assert_eq!(row["stop"], run["stop"].as_str().unwrap(), "{row:?}");
        for key in ["final_loss", "recovery_error", "alpha_ratio"] {
            let cell: f64 = row[key].parse().unwrap();
            assert_eq!(cell, run[key].as_f64().unwrap(), "{key} of {row:?}");
        }
        for key in ["predicted_gap", "predicted_gap_p21"] {
            let cell: f64 = row[key].parse().unwrap();
            assert_eq!(Some(cell), run[key].as_f64(), "{key} of {row:?}");
        }
        assert_eq!(row["alpha"].parse::<f64>().ok(), run["alpha"].as_f64());
        assert_eq!(row["seed"], run["seed"].to_string());
        assert_eq!(row["diverged"], run["diverged"].to_string());
        assert_eq!(
            (row["gamma_max"].as_str(), row["gamma_fraction"].as_str()),
            ("", "")
        );
    }
}

#[test]
fn gamma_max_brackets_the_threshold_and_gd_ends_at_its_edge_of_stability() {
    let scene = [
        "--n", "20", "--d", "30", "--s", "3", "--steps", "200000", "--tol", "1e-12",
    ];
    for method in ["gd", "sgd"] {
        let v = json(&[&["gamma-max", "--method", method, "--json"], &scene[..]].concat());
        let g = v["gamma_max"].as_f64().unwrap();
        let [lo, hi] = [
            v["bracket"][0].as_f64().unwrap(),
            v["bracket"][1].as_f64().unwrap(),
        ];
        assert_eq!(lo, g);
        assert!(hi > lo && hi <= 1.0101 * lo, "{method}: bracket {lo}..{hi}");
        let stop_at = |gamma: f64| {
            let run = json(
                &[
                    &[
                        "run",
                        "--method",
                        method,
                        "--gamma",
                        &gamma.to_string(),
                        "--json",
                    ],
                    &scene[..],
                ]
                .concat(),
            );
            run["stop"].as_str().unwrap().to_string()
        };
        assert_eq!(stop_at(0.98 * g), "converged", "{method} at 0.98 γ_max");
        assert_ne!(stop_at(1.02 * g), "converged", "{method} at 1.02 γ_max");
        let predicted = v["predicted"].as_f64().unwrap();
        assert!(predicted > 0.0 && predicted.is_finite());
        if method == "gd" {
            // GD converges only where it is linearly stable, and just below γ_max it ends at the
            // edge of stability: γ_max · S(w∞) = 2.
            assert!(
                (predicted - g).abs() <= 0.02 * g,
                "GD: γ_max {g} vs 2/S(w∞) {predicted}"
            );
        }
    }
    fails_with(
        &["gamma-max", "--method", "gf"],
        &["method = gf", "gd, sgd or sgf"],
    );
}

#[test]
fn bench_reports_steps_per_second() {
    for (method, batch) in [("sgd", "1"), ("gd", "1"), ("sgd", "8")] {
        let v = json(&[
            "bench", "--method", method, "--batch", batch, "--n", "24", "--d", "60", "--steps",
            "10000", "--json",
        ]);
        assert_eq!(v["method"], method);
        assert_eq!((v["n"].as_u64(), v["d"].as_u64()), (Some(24), Some(60)));
        assert_eq!(v["batch"].as_u64(), batch.parse().ok());
        assert_eq!(v["steps"], 10000);
        let (rate, seconds) = (
            v["steps_per_sec"].as_f64().unwrap(),
            v["seconds"].as_f64().unwrap(),
        );
        assert!(rate.is_finite() && rate > 0.0, "{method}: {rate}");
        assert!(
            (rate * seconds - 10000.0).abs() < 1e-6 * 10000.0,
            "rate is steps / seconds"
        );
        assert!(v["steps_per_sec_untracked"].as_f64().unwrap() > 0.0);
    }
    fails_with(&["bench", "--steps", "0"], &["steps = 0", "≥ 1"]);
    fails_with(&["bench", "--batch", "50"], &["batch = 50", "1..=n"]);
}

#[test]
fn not_overparametrised_is_reported() {
    let o = bin(&[
        "run", "--n", "50", "--d", "20", "--gamma", "0.01", "--steps", "1000", "--json",
    ]);
    assert!(o.status.success());
    assert!(stderr(&o).contains("not over-parametrised"));
    fails_with(
        &["run", "--n", "50", "--d", "20", "--steps", "10"],
        &["n = 50 ≥ d = 20", "d > n"],
    );
}

#[test]
fn every_bad_input_exits_2_with_one_line() {
    fails_with(&["run", "--n", "0"], &["n = 0", "1..=100000"]);
    fails_with(&["run", "--d", "0"], &["d = 0", "1..=100000"]);
    fails_with(&["run", "--s", "200"], &["s = 200", "0..=d"]);
    fails_with(&["run", "--batch", "0"], &["batch = 0", "1..=n"]);
    fails_with(&["run", "--batch", "41"], &["batch = 41", "1..=n (n = 40)"]);
    fails_with(&["run", "--alpha", "0"], &["alpha = 0", "> 0"]);
    fails_with(&["run", "--alpha", "-1"], &["alpha = -1", "> 0"]);
    fails_with(&["run", "--alpha", "nan"], &["alpha = NaN", "finite"]);
    fails_with(&["run", "--gamma", "0"], &["gamma = 0", "> 0"]);
    fails_with(&["run", "--gamma", "inf"], &["gamma = inf", "finite"]);
    fails_with(&["run", "--noise", "-0.5"], &["noise = -0.5", "≥ 0"]);
    fails_with(
        &["run", "--method", "adam"],
        &["method = adam", "gd, sgd, sgf, gf"],
    );
    fails_with(
        &["run", "--gamma-rule", "fast:2"],
        &["gamma-rule = fast:2", "stable:C"],
    );
    fails_with(
        &["run", "--gamma-rule", "stable:0"],
        &["gamma-rule = stable:0", "0 < C"],
    );
    fails_with(&["run", "--steps", "0"], &["steps = 0", "≥ 1"]);
    fails_with(&["run", "--n", "abc"], &["abc", "integer"]);
    fails_with(&["run", "--bogus"], &["--bogus"]);
    fails_with(&["sweep", "--alphas", ""], &["alphas", "non-empty"]);
    fails_with(&["sweep", "--alphas", "0.1,x"], &["alphas = x"]);
    fails_with(&["sweep", "--seeds", "0"], &["seeds = 0", "1..=10000"]);
    fails_with(
        &["sweep", "--seeds", "99999999999"],
        &["seeds = 99999999999", "1..=10000"],
    );
    fails_with(
        &["sweep", "--alphas", "0.1,0.1"],
        &["alphas = 0.1", "distinct"],
    );
    fails_with(&["run", "--alpha", "1e-200"], &["alpha = 1e-200", "1e-150"]);
    fails_with(
        &["bench", "--n", "100000", "--d", "100000"],
        &["n·d = 10000000000"],
    );
    fails_with(&["sweep", "--methods", "gd,foo"], &["method = foo"]);
    fails_with(&["bench", "--method", "nope"], &["method = nope"]);
    fails_with(
        &["run", "--config", "/nonexistent/scene.toml"],
        &["/nonexistent/scene.toml"],
    );
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "n = 40\nalpha = \"big\"\n").unwrap();
    fails_with(
        &["run", "--config", bad.to_str().unwrap()],
        &["bad.toml", "line 2"],
    );
    let unknown = dir.path().join("unknown.toml");
    std::fs::write(&unknown, "n = 40\nlearning_rate = 3\n").unwrap();
    fails_with(
        &["run", "--config", unknown.to_str().unwrap()],
        &["unknown.toml", "learning_rate"],
    );
}

#[test]
fn help_documents_defaults_and_ranges() {
    let o = bin(&["run", "--help"]);
    assert!(o.status.success());
    let text = String::from_utf8_lossy(&o.stdout);
    for flag in [
        "--n",
        "--d",
        "--s",
        "--noise",
        "--seed",
        "--method",
        "--alpha",
        "--gamma",
        "--gamma-rule",
        "--batch",
        "--steps",
        "--tol",
        "--config",
    ] {
        assert!(text.contains(flag), "help lacks {flag}");
    }
    assert!(text.contains("default: 40") && text.contains("1..=100000"));
}
