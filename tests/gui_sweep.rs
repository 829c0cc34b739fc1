//! GUI tests of the α-sweep panel: the real widgets driven by their labels through egui_kittest,
//! with the sweep on its real background thread (so the harness is pumped with a timeout).

use std::time::{Duration, Instant};

use dln_explorer::app::sweep_panel::{CANCEL, RUN, SweepPanel};
use dln_explorer::model::{Config, MethodKind};
use eframe::egui::{self, accesskit::Role};
use egui_kittest::Harness;
use egui_kittest::kittest::{Queryable, by};

/// A small, fast scene on which SGD recovers β* better than GD at small α.
fn small_scene() -> Config {
    Config {
        n: 20,
        d: 50,
        s: 3,
        n_test: 0,
        steps: 20_000,
        ..Config::default()
    }
}

fn harness(panel: SweepPanel, config: Config) -> Harness<'static, SweepPanel> {
    Harness::builder()
        .with_size(egui::vec2(1200.0, 900.0))
        .build_ui_state(
            move |ui, panel: &mut SweepPanel| panel.ui(ui, &config, true),
            panel,
        )
}

/// Steps the harness until `done` holds or `timeout` passes; returns whether it held.
fn pump_until(
    h: &mut Harness<'_, SweepPanel>,
    timeout: Duration,
    done: impl Fn(&SweepPanel) -> bool,
) -> bool {
    let start = Instant::now();
    while start.elapsed() < timeout {
        h.step();
        if done(h.state()) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

#[test]
fn run_sweep_shows_progress_and_sgd_beats_gd_at_small_alpha() {
    let mut panel = SweepPanel::default();
    panel.use_list = true;
    panel.alpha_list = "0.01, 1".into();
    panel.seeds = 2;
    panel.steps = Some(20_000);
    let mut h = harness(panel, small_scene());
    h.step();
    assert!(!h.state().is_running());
    assert_eq!(h.state().progress(), (0, 0));
    assert!(h.state().cells().is_none());

    h.get_by_label(RUN).click();
    h.step();
    assert!(h.state().is_running(), "{:?}", h.state().status());
    let total = 2 * 3 * 2;
    assert_eq!(h.state().progress().1, total);

    let finished = pump_until(&mut h, Duration::from_secs(120), |p| !p.is_running());
    assert!(finished, "sweep did not finish: {:?}", h.state().progress());
    h.step();
    assert_eq!(h.state().progress(), (total, total));
    // The progress bar is labelled with the run count.
    h.get_by_label(&format!("{total}/{total} runs"));
    let status = h.state().status().unwrap_or_default().to_string();
    assert!(status.starts_with("finished 12 runs"), "{status}");

    let Some(spec) = h.state().spec() else {
        panic!("no spec after the sweep")
    };
    assert_eq!(spec.alphas, vec![0.01, 1.0]);
    assert_eq!(
        spec.methods,
        vec![MethodKind::Gd, MethodKind::Sgd, MethodKind::Sgf]
    );
    assert_eq!(spec.seeds, 2);
    assert_eq!(spec.base.steps, 20_000);
    assert_eq!((spec.base.problem.n, spec.base.problem.d), (20, 50));

    let Some(cells) = h.state().cells() else {
        panic!("no cells after the sweep")
    };
    assert_eq!(cells.len(), 2 * 3, "one cell per α × method");
    let median = |alpha: f64, m: MethodKind| {
        cells
            .iter()
            .find(|c| c.alpha == alpha && c.method == m)
            .map_or(f64::NAN, |c| c.error_quartiles[1])
    };
    let (gd, sgd) = (median(0.01, MethodKind::Gd), median(0.01, MethodKind::Sgd));
    assert!(sgd < gd, "SGD {sgd:e} vs GD {gd:e} at α = 0.01");
    // In the kernel regime (α = 1) the methods agree and sit near the ℓ2 level.
    let (gd1, sgd1) = (median(1.0, MethodKind::Gd), median(1.0, MethodKind::Sgd));
    assert!((sgd1 / gd1 - 1.0).abs() < 0.05, "{sgd1:e} vs {gd1:e}");
    for c in cells {
        let [q25, q50, q75] = c.error_quartiles;
        assert!(q25 <= q50 && q50 <= q75, "{c:?}");
        let [l1, l2] = c.reference_errors;
        assert!(l1 < l2, "ℓ1 recovers better than ℓ2: {c:?}");
        let ratio = c.median_ratio_to_gd.unwrap_or(f64::NAN);
        if c.method == MethodKind::Gd {
            assert_eq!(ratio, 1.0);
        } else {
            assert!(ratio > 0.0 && ratio.is_finite(), "{c:?}");
        }
    }
    // The result stays after more frames (the plots draw without panicking).
    h.step();
    assert_eq!(h.state().cells().map(<[_]>::len), Some(6));
}

#[test]
fn cancel_stops_a_long_sweep_early() {
    let mut panel = SweepPanel::default();
    panel.seeds = 20;
    panel.steps = Some(300_000);
    // tol = 0: every run uses its whole budget, so the sweep takes far longer than the test.
    let scene = Config {
        tol: 0.0,
        ..small_scene()
    };
    let mut h = harness(panel, scene);
    h.step();
    h.get_by_label(RUN).click();
    h.step();
    assert!(h.state().is_running(), "{:?}", h.state().status());
    let total = h.state().progress().1;
    assert_eq!(
        total,
        8 * 3 * 20,
        "default grid 0.01..2 at 3 points per decade"
    );
    // Let some runs finish: the progress bar counts them while the UI keeps drawing.
    let some = pump_until(&mut h, Duration::from_secs(120), |p| p.progress().0 >= 1);
    assert!(some, "no run finished");
    assert!(h.state().is_running(), "{:?}", h.state().progress());
    h.get(
        by().role(Role::ProgressIndicator)
            .label_contains("/480 runs"),
    );

    h.get_by_label(CANCEL).click();
    let stopped = pump_until(&mut h, Duration::from_secs(120), |p| !p.is_running());
    assert!(stopped, "cancel did not stop the sweep");
    let (done, total_after) = h.state().progress();
    assert_eq!(total_after, total);
    assert!(done >= 1 && done < total, "stopped early: {done}/{total}");
    let status = h.state().status().unwrap_or_default();
    assert!(
        status.starts_with(&format!("cancelled after {done} of {total} runs")),
        "{status}"
    );
    // The runs finished before the cancel are summarised.
    assert!(h.state().cells().is_some_and(|c| !c.is_empty()));
    // Run is available again.
    h.step();
    assert!(!h.state().is_running());
}

#[test]
fn bad_alpha_list_shows_an_error_and_runs_nothing() {
    let mut panel = SweepPanel::default();
    panel.use_list = true;
    panel.alpha_list = "0.1, abc".into();
    let mut h = harness(panel, small_scene());
    h.step();
    h.get_by_label(RUN).click();
    h.step();
    assert!(!h.state().is_running());
    assert_eq!(h.state().progress(), (0, 0));
    let status = h.state().status().unwrap_or_default();
    assert!(status.contains("abc"), "{status}");
}

#[test]
fn default_grid_is_spec_log_grid() {
    let mut panel = SweepPanel::default();
    let grid = |p: &SweepPanel| match p.alphas() {
        Ok(a) => a,
        Err(e) => panic!("{e}"),
    };
    // SPEC §6: 0.01 to 2, the same 1-2-5 grid as `dln-explorer sweep`.
    assert_eq!(
        grid(&panel),
        vec![0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0]
    );
    // Other densities: evenly log-spaced with both ends included.
    panel.per_decade = 4;
    let alphas = grid(&panel);
    assert_eq!(alphas.len(), 11, "{alphas:?}");
    assert_eq!((alphas[0], alphas[10]), (0.01, 2.0));
    let expected = (2.0f64 / 0.01).log10() / 10.0;
    for w in alphas.windows(2) {
        let step = (w[1] / w[0]).log10();
        assert!((step - expected).abs() < 3e-3, "{alphas:?}");
    }
    // Bad grids are errors, not panics.
    panel.alpha_max = 0.001;
    assert!(panel.alphas().is_err());
    panel.alpha_max = f64::NAN;
    assert!(panel.alphas().is_err());
}

#[test]
fn a_gamma_axis_turns_the_sweep_into_a_phase_diagram_with_progress_and_cancel() {
    let mut panel = SweepPanel::default();
    panel.use_list = true;
    panel.alpha_list = "0.1, 0.5".into();
    panel.seeds = 2;
    panel.steps = Some(20_000);
    panel.methods = [true, true, false];
    // γ = 3 is far above SGD's γ_max on these data, so SGD diverges there.
    panel.gamma_list = "0.02, 3".into();
    let mut h = harness(panel, small_scene());
    h.step();
    h.get_by_label("values").click();
    h.step();
    assert!(
        h.query_by_label("list").is_some(),
        "the γ list appears with the γ axis"
    );
    h.get_by_label(RUN).click();
    h.step();
    assert!(h.state().is_running(), "{:?}", h.state().status());
    assert_eq!(
        h.state().progress().1,
        2 * 2 * 2 * 2,
        "α × γ × methods × seeds"
    );
    let finished = pump_until(&mut h, Duration::from_secs(120), |p| !p.is_running());
    assert!(
        finished,
        "the grid did not finish: {:?}",
        h.state().progress()
    );
    h.step();
    let spec = h.state().spec().expect("spec");
    assert_eq!(
        spec.gammas,
        dln_explorer::experiment::sweep::GammaAxis::Values(vec![0.02, 3.0])
    );
    let fig = h.state().figure().expect("figure");
    assert_eq!(fig.panels.len(), 3, "SGD/GD ratio, GD error, SGD error");
    let h0 = fig.panels[0].heatmap.as_ref().expect("a heatmap");
    assert_eq!((h0.xs.len(), h0.ys.len()), (2, 2));
    assert!(
        h0.cells[1]
            .iter()
            .all(|c| *c == dln_explorer::figure::Cell::Diverged),
        "SGD at γ = 3 is shown as diverged: {:?}",
        h0.cells
    );
    h.step();
    // A second grid can be cancelled.
    h.get_by_label("fractions of γ_max").click();
    h.step();
    h.get_by_label(RUN).click();
    h.step();
    assert!(h.state().is_running());
    h.get_by_label(CANCEL).click();
    let stopped = pump_until(&mut h, Duration::from_secs(60), |p| !p.is_running());
    assert!(stopped, "cancel did not stop the grid");
}

/// The sweep's budget was a fixed 100 000 steps whatever the scene; it is now the scene's until
/// the user sets one.
#[test]
fn the_step_budget_is_the_scenes_until_set() {
    let mut panel = SweepPanel::default();
    let scene = Config {
        steps: 7_000,
        ..small_scene()
    };
    assert_eq!(panel.sweep_spec(&scene).expect("spec").base.steps, 7_000);
    panel.steps = Some(1_234);
    assert_eq!(panel.sweep_spec(&scene).expect("spec").base.steps, 1_234);
}

/// A sweep cancelled before any run finished once kept the previous sweep's plots under a
/// "partial results" caption: they are gone, and the status says nothing finished.
#[test]
fn a_sweep_cancelled_before_any_run_leaves_no_old_plots() {
    let mut panel = SweepPanel::default();
    panel.use_list = true;
    panel.alpha_list = "0.1".into();
    panel.seeds = 1;
    panel.steps = Some(2_000);
    // tol = 0: every run takes its whole budget.
    let scene = Config {
        tol: 0.0,
        ..small_scene()
    };
    let mut h = harness(panel, scene);
    h.step();
    h.get_by_label(RUN).click();
    h.step();
    assert!(pump_until(&mut h, Duration::from_secs(60), |p| !p.is_running()));
    h.step();
    assert!(h.state().cells().is_some(), "the first sweep drew");
    // A second sweep that can only be cancelled before its first run ends.
    h.state_mut().seeds = 2;
    // Minutes of work a run: the cancel always comes first, however loaded the machine.
    h.state_mut().steps = Some(5_000_000_000);
    h.get_by_label(RUN).click();
    h.step();
    assert!(h.state().is_running());
    h.get_by_label(CANCEL).click();
    assert!(pump_until(&mut h, Duration::from_secs(120), |p| !p.is_running()));
    h.step();
    let status = h.state().status().unwrap_or_default().to_string();
    assert!(status.contains("no run finished"), "{status}");
    assert!(
        h.state().cells().is_none(),
        "the old sweep's plots are gone"
    );
}
