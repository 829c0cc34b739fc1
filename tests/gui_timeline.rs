//! GUI tests of the timeline — the runs computed ahead are revealed over eight seconds on the
//! axes of the whole runs, and the scrubber shows what a run stopped at that step shows — and of
//! the ghost of the previous runs after a change.

mod common;

use std::sync::Arc;

use common::{harness, settings};
use dln_explorer::app::ghost::BEFORE;
use dln_explorer::app::timeline::{DEFAULT_SECONDS, SCRUBBER, Timeline};
use dln_explorer::app::{App, controls};
use dln_explorer::cli::SimArgs;
use dln_explorer::experiment::{prepare, run_to_end};
use dln_explorer::figure::figures::PlotKind;
use dln_explorer::figure::num;
use dln_explorer::model::Settings;
use eframe::egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

/// Seconds of input time per harness frame (egui_kittest's default step).
const FRAME: f64 = 0.25;

/// The default scene run to its end on the inline backend, with no reveal yet.
fn finished() -> Harness<'static, App> {
    let app = App::inline(&settings(SimArgs::default()), 1_000_000);
    let mut h = harness(app, 1);
    for _ in 0..400 {
        if h.state().live().finished() {
            break;
        }
        h.step();
    }
    assert!(h.state().live().finished(), "the default scene ends");
    h.run_steps(2);
    h
}

#[test]
fn the_default_scene_is_revealed_in_eight_seconds_on_the_axes_of_the_whole_run() {
    let mut h = finished();
    let whole = |h: &Harness<'_, App>, kind| h.state().plots().drawn(kind).and_then(|d| d.extent());
    let loss = whole(&h, PlotKind::Loss).expect("a drawn loss plot");
    let error = whole(&h, PlotKind::Error).expect("a drawn error plot");
    let end = h.state().live().max_step();
    *h.state_mut().timeline_mut() = Timeline::new(DEFAULT_SECONDS);
    let mut frames = 0;
    let mut halfway = false;
    while h.state().timeline().at < 1.0 || frames == 0 {
        h.step();
        frames += 1;
        assert!(frames < 100, "the reveal ends");
        let at = h.state().timeline().at;
        if !halfway && (0.4..0.9).contains(&at) {
            halfway = true;
            let shown = h.state().shown().max_step();
            assert!(0 < shown && shown < end, "step {shown} of {end} shown");
            // Log-spaced on the log step axis: a fraction `at` of the reveal is at end^at.
            let expected = (end as f64).powf(at);
            assert!(
                (shown as f64 / expected - 1.0).abs() < 0.05,
                "{shown} vs {expected}"
            );
            for (kind, extent) in [(PlotKind::Loss, loss), (PlotKind::Error, error)] {
                let drawn = h.state().plots().drawn(kind).expect("drawn");
                assert_eq!(
                    drawn.included(),
                    Some(extent),
                    "{kind:?}: the whole run's axes"
                );
                let part = drawn.extent().expect("a part drawn");
                assert!(
                    part.0.1 < extent.0.1,
                    "{kind:?}: only the part up to step {shown}"
                );
            }
            let status = h.query_all_by_label_contains("revealing").next().is_some();
            assert!(status, "the status says the runs are being revealed");
        }
    }
    assert!(halfway, "the reveal was seen halfway");
    let seconds = frames as f64 * FRAME;
    assert!((7.0..=9.0).contains(&seconds), "revealed in {seconds} s");
    assert_eq!(
        h.state().shown().max_step(),
        end,
        "all of the runs shown at the end"
    );
}

#[test]
fn the_scrubber_shows_at_step_k_what_a_run_stopped_at_step_k_shows() {
    let mut h = finished();
    *h.state_mut().timeline_mut() = Timeline::new(DEFAULT_SECONDS);
    h.step();
    h.get_by_role_and_label(Role::Slider, SCRUBBER)
        .set_value_accesskit(0.6);
    h.run_steps(3);
    assert!(!h.state().timeline().playing, "dragging pauses the reveal");
    let shown = h.state().shown().into_owned();
    let first = &shown.status[0];
    let k = shown.latest(first.kind).expect("a point").sample.step;
    assert!(
        k > 10 && k < h.state().live().max_step(),
        "scrubbed to step {k}"
    );
    // The same scene and methods, stopped at step k.
    let scene = Settings {
        steps: k,
        ..h.state().controls().settings.clone()
    };
    let methods = h.state().controls().methods;
    let prepared = prepare(scene, None).expect("the scene prepares");
    let (_, stopped) = run_to_end(Arc::new(prepared), methods, true).expect("the runs end");
    for s in &shown.status {
        let (a, b) = (shown.latest(s.kind), stopped.latest(s.kind));
        let (a, b) = (a.expect("scrubbed point"), b.expect("stopped point"));
        assert_eq!(a.sample.step, k, "{:?}", s.kind);
        assert_eq!(b.sample.step, k, "{:?}", s.kind);
        assert_eq!(a.sample.alpha_ratio, b.sample.alpha_ratio, "{:?}", s.kind);
        assert_eq!(
            a.sample.recovery_error, b.sample.recovery_error,
            "{:?}",
            s.kind
        );
        assert_eq!(a.coords, b.coords, "{:?}", s.kind);
        // The Numbers table shows the scrubbed step's values.
        let cell = num(a.sample.alpha_ratio);
        assert!(
            h.query_by_label(&cell).is_some(),
            "{:?}: α_T/α {cell} shown",
            s.kind
        );
    }
}

/// Step (→) works on the reveal: it pauses it and shows the next recorded step, the runs
/// untouched; once the reveal is over it steps the runs again.
#[test]
fn step_shows_the_next_recorded_step_of_the_reveal() {
    let mut h = finished();
    let end = h.state().live().max_step();
    *h.state_mut().timeline_mut() = Timeline::new(DEFAULT_SECONDS);
    h.run_steps(4);
    assert!(h.state().timeline().playing);
    h.key_press(eframe::egui::Key::ArrowRight);
    h.run_steps(2);
    assert!(!h.state().timeline().playing, "Step pauses the reveal");
    let mut shown = h.state().shown().max_step();
    assert!(0 < shown && shown < end, "step {shown} of {end}");
    for _ in 0..3 {
        let next = h
            .state()
            .live()
            .next_step_after(shown)
            .expect("a later step");
        h.key_press(eframe::egui::Key::ArrowRight);
        h.run_steps(1);
        shown = h.state().shown().max_step();
        assert_eq!(shown, next, "the next recorded step");
    }
    assert_eq!(h.state().live().max_step(), end, "the runs did not step");
}

/// Runs frames until the runs end.
fn to_the_end(h: &mut Harness<'_, App>) {
    for _ in 0..400 {
        h.step();
        if h.state().live().finished() {
            break;
        }
    }
    assert!(h.state().live().finished(), "the runs end");
    h.run_steps(2);
}

/// The loss plot's series in the legend group `group`.
fn loss_lines(h: &Harness<'_, App>, group: &str) -> Vec<Vec<[f64; 2]>> {
    let panel = h
        .state()
        .plots()
        .panel(PlotKind::Loss)
        .expect("a loss plot");
    (panel.series.iter())
        .filter(|s| s.group.as_deref() == Some(group))
        .map(|s| s.points.clone())
        .collect()
}

#[test]
fn a_change_leaves_the_previous_runs_as_one_labelled_ghost_that_can_be_hidden() {
    let mut h = finished();
    let panel = h
        .state()
        .plots()
        .panel(PlotKind::Loss)
        .expect("a loss plot");
    let before: Vec<Vec<[f64; 2]>> = (panel.series.iter())
        .filter(|s| s.group.is_none() && s.style == dln_explorer::figure::Style::Line)
        .map(|s| s.points.clone())
        .collect();
    assert_eq!(before.len(), 3, "GD, SGD and SGF");
    h.get_by_role_and_label(Role::Slider, controls::ALPHA)
        .set_value_accesskit(0.5);
    to_the_end(&mut h);
    // The previous runs' loss curves, point for point, under one entry naming the change.
    assert_eq!(loss_lines(&h, "before: α 0.1 → 0.5"), before);
    let entries = h.query_all_by_label("before: α 0.1 → 0.5").count();
    assert_eq!(entries, 4, "a legend entry in each plot");
    // One generation: the next change replaces it.
    h.get_by_role_and_label(Role::Slider, controls::ALPHA)
        .set_value_accesskit(0.2);
    to_the_end(&mut h);
    assert!(loss_lines(&h, "before: α 0.1 → 0.5").is_empty());
    assert_eq!(loss_lines(&h, "before: α 0.5 → 0.2").len(), 3);
    // The option row's checkbox hides it.
    h.get_by_label(BEFORE).click();
    h.run_steps(2);
    assert!(loss_lines(&h, "before: α 0.5 → 0.2").is_empty());
    // A new problem (another d) keeps no ghost.
    h.get_by_label(BEFORE).click();
    h.get_by_role_and_label(Role::Slider, controls::D)
        .set_value_accesskit(120.0);
    to_the_end(&mut h);
    assert!(
        h.state().plots().ghost.is_none(),
        "no ghost across problems"
    );
}
