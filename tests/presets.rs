//! Scenes: every shipped preset parses and behaves as its caption says; user files and errors.

use std::io::Write;

use dln_explorer::cli::SimArgs;
use dln_explorer::cli::run::{RunReport, execute};
use dln_explorer::model::{Config, MethodKind, Settings};
use dln_explorer::presets::{self, PresetError};

/// The scene's settings for one method with a step budget.
fn settings(config: &Config, method: MethodKind, steps: Option<u64>) -> Settings {
    let mut s = config.validate().expect("shipped presets validate");
    s.method = method;
    if let Some(k) = steps {
        s.steps = k;
    }
    s
}

#[test]
fn every_shipped_preset_parses_with_title_caption_and_valid_settings() {
    let names: Vec<&str> = presets::names().collect();
    let list = presets::list();
    assert_eq!(list.len(), names.len(), "a shipped preset failed to parse");
    assert!(names.len() >= 6);
    assert_eq!(names[0], presets::DEFAULT);
    for p in &list {
        assert!(!p.title.trim().is_empty(), "{}: empty title", p.name);
        assert!(p.caption.len() > 40, "{}: caption too short", p.name);
        p.config
            .validate()
            .unwrap_or_else(|e| panic!("{}: {e}", p.name));
        assert_eq!(presets::get(&p.name).as_ref(), Ok(p));
    }
}

#[test]
fn every_preset_runs_1000_steps_and_only_the_divergence_scene_diverges() {
    for p in presets::list() {
        // A scene that names its methods runs those (the edge-of-stability scene: GD alone, at a
        // γ where SGD diverges).
        let methods = (p.methods.clone())
            .unwrap_or_else(|| vec![MethodKind::Gd, MethodKind::Sgd, MethodKind::Sgf]);
        for method in methods {
            let report = execute(settings(&p.config, method, Some(1000)), true).expect("runs");
            let diverged = report.trainer.diverged_at();
            if p.name == "too-large-step-diverges" {
                let k = diverged.unwrap_or_else(|| panic!("{}: {method} did not diverge", p.name));
                assert!(k < 100, "{}: {method} diverged only at step {k}", p.name);
            } else {
                assert_eq!(diverged, None, "{}: {method} diverged", p.name);
                assert!(report.outcome.final_loss.is_finite());
                assert!(
                    report.outcome.final_loss
                        < report
                            .trainer
                            .samples()
                            .iter()
                            .next()
                            .map_or(f64::INFINITY, |(_, s)| s.sample.loss)
                );
            }
        }
    }
}

/// GD and SGD of the default scene run to their end.
fn default_scene_gd_and_sgd() -> (RunReport, RunReport) {
    let p = presets::get(presets::DEFAULT).expect("shipped");
    let gd = execute(settings(&p.config, MethodKind::Gd, None), false).expect("gd runs");
    let sgd = execute(settings(&p.config, MethodKind::Sgd, None), false).expect("sgd runs");
    (gd, sgd)
}

#[test]
fn sgd_beats_gd_scene_ends_with_sgd_error_below_gd() {
    let (gd, sgd) = default_scene_gd_and_sgd();
    for r in [&gd, &sgd] {
        assert!(
            r.outcome.final_loss <= 1e-19,
            "not converged: {}",
            r.outcome.final_loss
        );
    }
    let (e_gd, e_sgd) = (gd.outcome.recovery_error, sgd.outcome.recovery_error);
    assert!(e_sgd < 0.95 * e_gd, "SGD {e_sgd} vs GD {e_gd}");
    // The mechanism: SGD's effective initialisation shrank, GD's barely moved.
    assert!(sgd.outcome.alpha_ratio < 0.95 && gd.outcome.alpha_ratio > 0.99);
}

/// The headline in numbers: both interpolate, basis pursuit has the least ℓ1 norm of all
/// interpolators, and SGD's β ends with a smaller ℓ1 norm and support than GD's.
#[test]
fn sgd_beats_gd_scene_ends_with_sgd_sparser_than_gd() {
    let (gd, sgd) = default_scene_gd_and_sgd();
    let refs = gd.prepared.references.as_deref().expect("references");
    let l1_min: f64 = refs.beta_l1.iter().map(|b| b.abs()).sum();
    let (end_gd, end_sgd) = (gd.trainer.sample(), sgd.trainer.sample());
    let (l1_gd, l1_sgd) = (end_gd.l1_norm, end_sgd.l1_norm);
    let close = |x: f64, want: f64| (x - want).abs() <= 1e-4 * want;
    assert!(close(l1_gd, 3.11120), "GD ‖β‖₁ {l1_gd}");
    assert!(close(l1_sgd, 3.04691), "SGD ‖β‖₁ {l1_sgd}");
    assert!(
        l1_min < l1_sgd && l1_sgd < l1_gd,
        "{l1_min} < {l1_sgd} < {l1_gd}"
    );
    // The final β's ℓ1 norm is the sum over every coordinate, as the sample records it.
    let beta: f64 = sgd.trainer.beta().iter().map(|b| b.abs()).sum();
    assert!((beta - l1_sgd).abs() <= 1e-12 * beta);
    // Of d = 100 coordinates, past α² = 0.01: 56 for GD, 49 for SGD; β* has s = 5.
    assert_eq!(end_gd.support_size, 56);
    assert_eq!(end_sgd.support_size, 49);
    assert_eq!(refs.beta_l1.iter().filter(|b| b.abs() > 1e-9).count(), 5);
}

#[test]
fn unknown_name_error_names_it_and_the_available_ones() {
    let e = presets::get("sgd-beat-gd").unwrap_err();
    assert!(matches!(e, PresetError::Unknown { .. }));
    let msg = e.to_string();
    assert!(msg.contains("'sgd-beat-gd'"), "{msg}");
    for name in presets::names() {
        assert!(msg.contains(name), "{msg}");
    }
    let cli: dln_explorer::cli::CliError = e.into();
    assert!(
        cli.to_string()
            .starts_with("invalid preset = sgd-beat-gd: must be one of")
    );
}

fn scene_file(text: &str) -> tempfile::NamedTempFile {
    let mut f = tempfile::Builder::new()
        .suffix(".toml")
        .tempfile()
        .expect("temp file");
    f.write_all(text.as_bytes()).expect("write");
    f
}

#[test]
fn a_user_scene_file_loads_by_path_and_round_trips() {
    let p = presets::get("batch-size-weakens").expect("shipped");
    let f = scene_file(&p.to_toml());
    let path = f.path().to_str().expect("utf-8 path");
    let loaded = presets::get(path).expect("loads by path");
    let stem = f.path().file_stem().and_then(|s| s.to_str()).expect("stem");
    assert_eq!(loaded.name, stem);
    assert_eq!(
        (loaded.title, loaded.caption, loaded.config),
        (p.title, p.caption, p.config)
    );
}

#[test]
fn malformed_scene_files_give_one_line_errors_naming_the_line() {
    let cases = [
        (
            "title = \"t\"\ncaption = \"c\"\n[config]\nalpha = \"big\"\n",
            "line 4",
        ),
        (
            "title = \"t\"\ncaption = \"c\"\n[config]\nn = 40\nlearning_rate = 0.1\n",
            "line 5",
        ),
        (
            "title = \"t\"\ncaption = \"c\"\nsubtitle = \"x\"\n",
            "line 3",
        ),
        ("title = \"t\"\ncaption = c\n", "line 2"),
    ];
    for (text, line) in cases {
        let f = scene_file(text);
        let e = presets::load_file(f.path()).unwrap_err();
        let msg = e.to_string();
        assert!(matches!(e, PresetError::BadFile(..)), "{msg}");
        assert!(msg.contains(line), "expected {line} in: {msg}");
        assert!(msg.contains(&f.path().display().to_string()), "{msg}");
        assert!(!msg.contains('\n'), "not one line: {msg}");
    }
    let missing = presets::get("/nonexistent/scene.toml").unwrap_err();
    assert!(matches!(missing, PresetError::Io(..)), "{missing}");
}

#[test]
fn preset_then_config_file_then_flags() {
    let base = presets::get("large-steps-help-sgd")
        .expect("shipped")
        .config;
    let args = SimArgs {
        preset: Some("large-steps-help-sgd".into()),
        alpha: Some(0.3),
        ..SimArgs::default()
    };
    let c = args.config().expect("valid");
    assert_eq!(
        c,
        Config {
            alpha: 0.3,
            ..base.clone()
        }
    );

    let f = scene_file("seed = 7\ngamma = 0.01\n");
    let args = SimArgs {
        preset: Some("large-steps-help-sgd".into()),
        config: Some(f.path().to_path_buf()),
        seed: Some(9),
        ..SimArgs::default()
    };
    let c = args.config().expect("valid");
    let expected = Config {
        seed: 9,
        gamma: Some(0.01),
        gamma_rule: None,
        ..base
    };
    assert_eq!(c, expected);

    let bad = scene_file("n = 40\nbogus = 1\n");
    let args = SimArgs {
        preset: Some("sgd-beats-gd".into()),
        config: Some(bad.path().to_path_buf()),
        ..SimArgs::default()
    };
    let msg = args.config().unwrap_err().to_string();
    assert!(msg.contains("line 2"), "{msg}");
}

#[test]
fn the_caption_says_what_was_changed_since_the_scene_was_loaded() {
    let p = presets::get("sgd-beats-gd").expect("shipped");
    assert_eq!(
        p.caption_for(&p.config),
        format!("{} — {}", p.title, p.caption)
    );
    let dragged = Config {
        alpha: 0.002_013_4,
        gamma: Some(0.05),
        gamma_rule: None,
        n: 60,
        ..p.config.clone()
    };
    assert_eq!(
        p.caption_for(&dragged),
        format!(
            "{} — modified: n 40 → 60, α 0.1 → 0.00201, γ {} → 0.05",
            p.title,
            p.config
                .gamma_rule
                .as_deref()
                .expect("the scene uses a rule")
        )
    );
    // The method is run side by side with the others, and the budget only says when the runs
    // stop: neither is a change of scene.
    let other_method = Config {
        method: "gd".into(),
        steps: 3000,
        tol: 1e-10,
        ..p.config.clone()
    };
    assert!(presets::changes(&p.config, &other_method).is_empty());
}
