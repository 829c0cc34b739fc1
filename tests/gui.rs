//! GUI tests: drive the real widgets by their labels through egui_kittest, on the inline
//! (deterministic, same-thread) simulation backend, plus one test of the live worker thread.

mod common;

use common::{harness, settings};
use std::time::{Duration, Instant};

use dln_explorer::app::{App, PAUSE, PLAY, RESET, STEP, controls};
use dln_explorer::cli::SimArgs;
use dln_explorer::model::{MethodKind, Settings, StepSize};
use eframe::egui::{self, accesskit::Role};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

/// The default scene with this step budget.
fn with_steps(steps: u64) -> Settings {
    settings(SimArgs {
        steps: Some(steps),
        ..SimArgs::default()
    })
}

fn info(h: &Harness<'_, App>) -> std::sync::Arc<dln_explorer::experiment::RunInfo> {
    match h.state().live().info.clone() {
        Some(i) => i,
        None => panic!("no run info yet"),
    }
}

fn step_of(h: &Harness<'_, App>, kind: MethodKind) -> u64 {
    h.state()
        .live()
        .status
        .iter()
        .find(|s| s.kind == kind)
        .map_or(0, |s| s.step)
}

#[test]
fn gamma_slider_restarts_and_keeps_the_data() {
    let mut h = harness(App::inline(&with_steps(3000), 100), 0);
    h.run_steps(3);
    let before = info(&h);
    assert!(matches!(before.scene.step_size, StepSize::Stable(_)));
    let limit = before.gamma_limit.unwrap_or(f64::NAN);
    assert!(limit > 0.0, "stability limit shown: {limit}");
    // The rule stable:1 is half the single-sample limit.
    assert!((before.gamma / limit - 0.5).abs() < 1e-9);
    let run_before = h.state().live().run;
    let new_gamma = before.gamma * 0.5;
    h.get_by_role_and_label(Role::Slider, controls::GAMMA)
        .set_value_accesskit(new_gamma);
    h.run_steps(2);
    let after = info(&h);
    assert!(h.state().live().run > run_before, "runs restarted");
    assert!(
        (after.gamma - new_gamma).abs() <= 1e-12 * new_gamma,
        "{} vs {new_gamma}",
        after.gamma
    );
    assert_eq!(after.scene.step_size, StepSize::Fixed(after.gamma));
    assert_eq!(after.data_generation, before.data_generation, "data kept");
    assert_eq!(after.beta_star, before.beta_star);
    // The restarted runs start from scratch.
    assert!(step_of(&h, MethodKind::Sgd) <= 200);
}

#[test]
fn alpha_n_d_sliders_restart_with_new_values() {
    let mut h = harness(App::inline(&with_steps(3000), 100), 0);
    h.run_steps(2);
    let g0 = info(&h).data_generation;

    h.get_by_role_and_label(Role::Slider, controls::ALPHA)
        .set_value_accesskit(0.5);
    h.run_steps(2);
    let i = info(&h);
    assert!((i.scene.alpha - 0.5).abs() < 1e-12);
    assert_eq!(i.data_generation, g0, "α alone keeps the data");
    let sample = h.state().live().latest(MethodKind::Gd).map(|p| p.sample);
    assert!(sample.is_some_and(|s| s.step > 0 && s.step <= 200));

    h.get_by_role_and_label(Role::Slider, controls::N)
        .set_value_accesskit(30.0);
    h.run_steps(2);
    let i = info(&h);
    assert_eq!(i.scene.problem.n, 30);
    assert!(i.data_generation > g0, "n regenerates the data");

    let g1 = i.data_generation;
    h.get_by_role_and_label(Role::Slider, controls::D)
        .set_value_accesskit(150.0);
    h.run_steps(2);
    let i = info(&h);
    assert_eq!(i.scene.problem.d, 150);
    assert!(i.data_generation > g1);
}

#[test]
fn play_pause_step_and_reset() {
    let mut h = harness(App::inline(&with_steps(3000), 50), 0);
    h.run_steps(2);
    let playing = step_of(&h, MethodKind::Sgd);
    assert!(playing >= 50, "plays from the start: {playing}");

    h.get_by_label(PAUSE).click();
    h.run_steps(2);
    assert!(!h.state().live().playing);
    let paused = step_of(&h, MethodKind::Gd);
    h.run_steps(3);
    assert_eq!(step_of(&h, MethodKind::Gd), paused, "paused: no steps");

    h.get_by_label(STEP).click();
    h.run_steps(2);
    for kind in [MethodKind::Gd, MethodKind::Sgd, MethodKind::Sgf] {
        assert_eq!(step_of(&h, kind), paused + 1, "{kind}: exactly one step");
    }

    // Keyboard: → steps once more, Space plays again.
    h.key_press(egui::Key::ArrowRight);
    h.run_steps(2);
    assert_eq!(step_of(&h, MethodKind::Gd), paused + 2);

    h.get_by_label(RESET).click();
    h.run_steps(2);
    assert!(
        step_of(&h, MethodKind::Gd) <= 1,
        "reset goes back to step 0"
    );
    let g = info(&h).data_generation;

    h.get_by_label(PLAY).click();
    h.run_steps(3);
    assert!(h.state().live().playing);
    assert!(step_of(&h, MethodKind::Gd) >= 100);
    assert_eq!(info(&h).data_generation, g);
}

#[test]
fn diverging_scene_shows_the_diverged_state() {
    let s = settings(SimArgs {
        gamma: Some(50.0),
        steps: Some(2000),
        ..SimArgs::default()
    });
    let mut h = harness(App::inline(&s, 200), 0);
    h.run_steps(4);
    let live = h.state().live();
    assert!(live.finished());
    for st in &live.status {
        assert!(st.diverged_at.is_some(), "{} diverged", st.kind);
    }
    let line = h.state().status_line();
    assert!(line.contains("diverged at step"), "{line}");
    // Nothing non-finite was recorded.
    for (_, hist) in &live.histories {
        for p in hist.iter() {
            assert!(p.sample.loss.is_finite());
        }
    }
    assert!(
        h.query_all_by_label_contains("diverged at step").count() >= 1,
        "the diverged state is on screen"
    );
}

#[test]
fn live_worker_restarts_and_keeps_data() {
    let ctx = egui::Context::default();
    let app = App::new(&ctx, &with_steps(3000));
    let mut h = harness(app, 0);
    let wait = |h: &mut Harness<'_, App>, what: &dyn Fn(&App) -> bool| {
        let start = Instant::now();
        while !what(h.state()) {
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "worker timed out"
            );
            std::thread::sleep(Duration::from_millis(20));
            h.step();
        }
    };
    wait(&mut h, &|a| a.live().finished());
    let before = info(&h);
    assert_eq!(step_of(&h, MethodKind::Gd), 3000);
    h.get_by_role_and_label(Role::Slider, controls::GAMMA)
        .set_value_accesskit(before.gamma * 0.25);
    h.step();
    wait(&mut h, &|a| a.live().finished());
    let after = info(&h);
    assert!((after.gamma - before.gamma * 0.25).abs() < 1e-12);
    assert_eq!(after.data_generation, before.data_generation);
}

#[test]
fn snapshot_of_the_window() {
    let mut h = harness(App::inline(&with_steps(3000), 1000), 0);
    h.run_steps(4);
    assert!(h.state().live().finished());
    h.snapshot("window");
}

#[test]
fn preset_menu_loads_a_scene() {
    let mut h = harness(App::inline(&with_steps(3000), 100), 0);
    h.run_steps(2);
    // The kernel-regime scene differs from the default in α (2 against 0.1).
    let preset = dln_explorer::presets::get("kernel-vs-rich").expect("shipped preset");
    assert_ne!(preset.config.alpha, with_steps(3000).alpha);
    h.get_by_role_and_label(Role::ComboBox, "preset").click();
    h.run_steps(2);
    h.get_by_label(&preset.title).click();
    h.run_steps(3);
    let i = info(&h);
    assert_eq!(i.scene.problem.n, preset.config.n);
    assert_eq!(i.scene.problem.d, preset.config.d);
    assert!((i.scene.alpha - preset.config.alpha).abs() < 1e-12);
}

/// Runs the real binary's `gui` with `args` under `xvfb-run` (the headless hooks need an X
/// server) and checks it succeeded; `None` when xvfb-run is not installed.
fn gui_under_xvfb(args: &[&str]) -> Option<std::process::Output> {
    let found = std::process::Command::new("xvfb-run")
        .arg("--help")
        .output()
        .is_ok();
    if !found {
        eprintln!("xvfb-run not installed: skipping the headless window test");
        return None;
    }
    let out = std::process::Command::new("xvfb-run")
        .args(["-a", "-s", "-screen 0 1600x900x24"])
        .arg(env!("CARGO_BIN_EXE_dln-explorer"))
        .arg("gui")
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(out)
}

#[test]
fn screenshot_and_frame_stats_hooks() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let png = dir.path().join("shot.png");
    let png_arg = png.to_str().expect("UTF-8 temp path");
    if gui_under_xvfb(&["--steps", "2000", "--screenshot", png_arg]).is_none() {
        return;
    }
    let img = image::open(&png).unwrap_or_else(|e| panic!("png: {e}"));
    assert!(
        img.width() >= 1200 && img.height() >= 700,
        "{}×{}",
        img.width(),
        img.height()
    );

    let Some(out) = gui_under_xvfb(&["--steps", "2000", "--frame-stats", "20"]) else {
        return;
    };
    let json: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("json: {e}: {}", String::from_utf8_lossy(&out.stdout)));
    assert_eq!(json["frames"], 20);
    for key in ["ui_ms_p50", "ui_ms_p95", "rss_mb"] {
        assert!(json[key].as_f64().is_some_and(|v| v > 0.0), "{key}: {json}");
    }
}

/// The status once said "finished" with the smallest step of any method, even for runs that
/// stopped at the budget unconverged. It now says how each method stopped, and at which step.
#[test]
fn the_status_says_how_and_when_each_method_stopped() {
    let budget = common::settings(SimArgs {
        steps: Some(300),
        ..SimArgs::default()
    });
    let mut h = harness(App::inline(&budget, 100), 8);
    let line = h.state().status_line();
    assert!(
        line.starts_with("ended · step 300: budget reached, still descending"),
        "{line}"
    );
    let loose = common::settings(SimArgs {
        steps: Some(3000),
        tol: Some(0.05),
        ..SimArgs::default()
    });
    h = harness(App::inline(&loose, 100), 40);
    let line = h.state().status_line();
    for s in &h.state().live().status {
        let label = s.kind.label();
        let at = format!("{label}: L = ");
        let part = line.split(&at).nth(1).unwrap_or_default();
        let said = format!("converged at step {}", s.step);
        assert!(
            part.contains(&said) || line.starts_with(&format!("ended · {said}")),
            "{line}"
        );
        assert!(s.step < 3000, "{label} converged before the budget");
    }
}

/// Ticking "final β" swaps the top-right plot for each method's latest β by coordinate, side by
/// side: on screen (its title), in its export and as a lesson's `final-beta` highlight shows it.
#[test]
fn the_final_beta_checkbox_shows_each_methods_final_beta_in_the_top_right_plot() {
    use dln_explorer::app::{lesson, plots::FINAL_BETA};
    use dln_explorer::figure::animation::{Framer, Spec};
    use dln_explorer::figure::figures::PlotKind;
    use dln_explorer::figure::scene::{ViewOptions, panel};
    use dln_explorer::lessons::Highlight;
    let mut h = harness(App::inline(&with_steps(300), 100), 8);
    let before = h.state().shown_panel(PlotKind::Coords).cloned();
    let before = before.expect("coordinate plot").title;
    assert_eq!(before, "Coordinates of β_k (SGD)");
    assert!(h.query_by_label(&before).is_some(), "{before} on screen");
    h.get_by_label(FINAL_BETA).click();
    h.run_steps(3);
    let shown = h.state().shown_panel(PlotKind::Coords).cloned();
    let shown = shown.expect("top-right plot");
    let want = panel(
        PlotKind::FinalBeta,
        h.state().live(),
        ViewOptions::default(),
    );
    assert_eq!(Some(&shown), want.as_ref(), "the final-β panel");
    assert_eq!(
        shown.title,
        "Final β, coordinate by coordinate (followed coordinates)"
    );
    assert!(h.query_by_label(&shown.title).is_some(), "title on screen");
    assert!(
        h.query_by_label(&before).is_none(),
        "the coordinates are gone"
    );
    assert_eq!(
        h.state().exported_panel(PlotKind::Coords),
        Some(shown.clone())
    );
    // SGD's dots are its β at step 300 at the followed coordinates, 1-based and shifted right.
    let live = h.state().live();
    let latest = live.latest(MethodKind::Sgd).expect("SGD ran");
    assert_eq!(latest.sample.step, 300);
    let info = info(&h);
    let sgd = shown.series.iter().find(|s| s.name == "SGD");
    let sgd = sgd.expect("SGD series");
    let ys: Vec<f64> = sgd.points.iter().map(|p| p[1]).collect();
    assert_eq!(ys, latest.coords);
    // Side by side at coordinate j + 1, in the methods' order.
    let at = (info.coords[0] + 1) as f64;
    let xs: Vec<f64> = (live.histories.iter())
        .filter_map(|(k, _)| shown.series.iter().find(|s| s.name == k.label()))
        .map(|s| s.points[0][0])
        .collect();
    assert_eq!(xs.len(), live.histories.len(), "a series per method");
    assert!(xs.iter().all(|x| (x - at).abs() < 0.5), "{xs:?} near {at}");
    assert!(xs.windows(2).all(|w| w[0] < w[1]), "{xs:?}");
    let (plot, view) = lesson::view(Some(Highlight::FinalBeta));
    assert_eq!(plot, Some(PlotKind::Coords));
    assert!(view.final_beta && !view.sharpness && !view.lasso);
    // The animation of the 2×2 view draws the same panel in that place.
    let spec = Spec {
        plot: None,
        view,
        title: "t".into(),
        width: 960,
    };
    let frame = Framer::new(spec, live, 300).svg(300, live);
    assert!(frame.contains(&shown.title), "animated");
}
