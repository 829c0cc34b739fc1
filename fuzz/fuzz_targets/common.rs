//! Shared by the fuzz targets: train a few steps on every accepted data set or scene, the way
//! `run --json`, `run --csv` and `figure` do; one accepted input in [`WHOLE_EVERY`] (chosen by
//! a hash of its bytes, so a finding replays) also runs every method and draws every scene plot
//! of the runs in three views, which costs ten times the training (the `figure` target fuzzes
//! the drawing on its own).
//!
//! Set `DLN_FUZZ_VERBOSE=1` to print why an input was refused or skipped (to check that the
//! seed corpus is accepted: `cargo fuzz run TARGET fuzz/corpus/TARGET -- -runs=0`).

#![allow(dead_code)]

use std::fmt::Display;
use std::sync::Arc;

use dln_explorer::cli::run::{execute, to_json};
use dln_explorer::experiment::{MethodSet, Prepared, run_to_end};
use dln_explorer::figure::csv::{figure_csv, trajectory_csv};
use dln_explorer::figure::figures::PlotKind;
use dln_explorer::figure::scene::{self, ViewOptions, XAxis};
use dln_explorer::figure::svg;
use dln_explorer::model::{Config, DataSet, MethodKind, Settings};

/// One accepted input in this many runs the whole pipeline (every method, every plot).
pub const WHOLE_EVERY: u64 = 8;

/// Whether `bytes` run the whole pipeline: FNV-1a of the input, modulo [`WHOLE_EVERY`].
pub fn whole(bytes: &[u8]) -> bool {
    let hash = (bytes.iter()).fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    hash % WHOLE_EVERY == 0
}

/// Steps each method takes on an accepted input.
pub const TRAIN_STEPS: u64 = 20;

/// Largest problem trained on (entries of X): the loaders are fuzzed at any size, training is
/// skipped above this so that one input stays well under the 1 s limit (a legitimately large
/// problem is slow, not a bug). Instrumented, a scene of 80 × 100 took 0.57 s alone and passed
/// 1 s whenever the machine was busy.
pub const MAX_TRAIN_ENTRIES: usize = 1 << 12;
/// Largest test set (entries of X_test) of a trained problem.
pub const MAX_TEST_ENTRIES: usize = 1 << 15;

/// Whether a problem of n × d with a test set of n_test rows is small enough to train on.
pub fn small_enough(n: usize, d: usize, n_test: usize) -> bool {
    let ok = n.saturating_mul(d) <= MAX_TRAIN_ENTRIES && n_test.saturating_mul(d) <= MAX_TEST_ENTRIES;
    if !ok {
        note(format!("accepted, not trained: n = {n}, d = {d}, n_test = {n_test}"));
    }
    ok
}

/// Whether to print notes (`DLN_FUZZ_VERBOSE` set).
pub fn verbose() -> bool {
    std::env::var_os("DLN_FUZZ_VERBOSE").is_some()
}

/// Prints `msg` when verbose.
pub fn note(msg: impl Display) {
    if verbose() {
        eprintln!("{msg}");
    }
}

/// The scene plots: every plot but the sweeps (those drawn from one scene's runs).
pub fn scene_plots() -> Vec<PlotKind> {
    (PlotKind::ALL.into_iter())
        .filter(|k| !matches!(k, PlotKind::Sweep | PlotKind::GammaSweep | PlotKind::Phase))
        .collect()
}

/// Trains GD and SGD `TRAIN_STEPS` steps on a loaded data set as `run --data FILE --json --csv`
/// does (the stable rule when the theory applies, else the fixed γ = 0.01 the app picks); if
/// `whole`, then every method side by side as `figure --data FILE` does, drawing every plot.
pub fn train_on_data(data: DataSet, whole: bool) {
    if !small_enough(data.n(), data.d(), data.n_test()) {
        return;
    }
    let gamma = (!data.overparametrised()).then_some(0.01);
    let data = Arc::new(data);
    let base = Config {
        steps: TRAIN_STEPS,
        tol: 0.0,
        gamma,
        ..Config::default()
    };
    let mut prepared = None;
    for method in ["gd", "sgd"] {
        let config = Config {
            method: method.into(),
            ..base.clone()
        };
        let settings = match config.validate_with(Some(data.clone())) {
            Ok(s) => s,
            Err(e) => {
                note(format!("{method}: settings refused: {e}"));
                continue;
            }
        };
        match execute(settings, true) {
            Ok(report) => {
                let json = to_json(&report);
                note(format!("{method}: {}", json["stop"]));
                let _ = trajectory_csv(&config, &report.trainer);
                prepared = Some(report.prepared);
            }
            Err(e) => note(format!("{method}: run refused: {e}")),
        }
    }
    if let Some(prepared) = prepared.filter(|_| whole) {
        let methods = MethodKind::ALL;
        run_and_draw(prepared, &methods, &base, true);
    }
}

/// Trains a validated scene `TRAIN_STEPS` steps (if small enough) with its methods; draws it if
/// `whole`.
pub fn train_scene(settings: Settings, methods: &[MethodKind], config: &Config, whole: bool) {
    let p = &settings.problem;
    if !small_enough(p.n, p.d, p.n_test) {
        return;
    }
    let settings = Settings {
        steps: settings.steps.min(TRAIN_STEPS),
        ..settings
    };
    match dln_explorer::experiment::prepare(settings, None) {
        Ok(prepared) => run_and_draw(Arc::new(prepared), methods, config, whole),
        Err(e) => note(format!("preparation refused: {e}")),
    }
}

/// Runs `methods` to the end on a prepared scene; if `draw`, then draws every scene plot as SVG
/// (log steps; linear time with the sharpness and per-coordinate views; τ with the Lasso view)
/// and writes the series CSV.
pub fn run_and_draw(prepared: Arc<Prepared>, methods: &[MethodKind], config: &Config, draw: bool) {
    let gf = prepared.gf_error();
    let (runs, record) = match run_to_end(prepared, MethodSet::of(methods), true) {
        Ok(r) => r,
        Err(e) => {
            note(format!("runs refused: {e}"));
            return;
        }
    };
    for run in runs.runs() {
        let _ = dln_explorer::model::Outcome::of(run.trainer());
    }
    note(format!("trained; GF error {gf:?}"));
    if !draw {
        return;
    }
    let views = [
        ViewOptions::default(),
        ViewOptions {
            x_axis: XAxis::Time,
            log_x: false,
            beta_method: MethodKind::Gd,
            alpha_per_coordinate: true,
            sharpness: true,
            ..ViewOptions::default()
        },
        ViewOptions {
            x_axis: XAxis::Tau,
            lasso: true,
            ..ViewOptions::default()
        },
    ];
    let plots = scene_plots();
    for view in views {
        let fig = scene::figure(&plots, &record, view, "fuzz");
        let _ = svg::render(&fig);
        let grid = svg::Options {
            grid: true,
            ..svg::Options::default()
        };
        let _ = svg::render_with(&fig, &grid);
        let gamma = record.info.as_ref().map_or(f64::NAN, |i| i.gamma);
        let _ = figure_csv(config, gamma, &fig);
    }
}
