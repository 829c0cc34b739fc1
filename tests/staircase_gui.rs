//! The app on the τ axis (docs/saddles.md#the-τ-axis-the-prediction-drawn-over-the-runs): the
//! α slider reaches 1e-150 there, and the runs restart at that α with the staircase to draw.

mod common;

use dln_explorer::app::{App, controls};
use dln_explorer::cli::SimArgs;
use dln_explorer::model::MethodKind;
use eframe::egui::accesskit::Role;
use egui_kittest::kittest::Queryable;

#[test]
fn on_the_tau_axis_the_alpha_slider_reaches_1e_minus_150() {
    let settings = common::settings(SimArgs {
        steps: Some(2000),
        ..SimArgs::default()
    });
    let mut h = common::harness(App::inline(&settings, 500), 2);
    // From the default α = 0.1 on the step axis the slider keeps its usual range, 1e-3 to 10.
    h.get_by_role_and_label(Role::Slider, controls::ALPHA)
        .set_value_accesskit(1e-150);
    h.run_steps(2);
    let alpha = h.state().controls().settings.alpha;
    assert!(
        (alpha / 1e-3 - 1.0).abs() < 1e-9,
        "clamped to 1e-3, got {alpha:e}"
    );
    // On the τ axis it goes down to 1e-150, and the runs restart there.
    h.get_by_label("τ").click();
    h.run_steps(2);
    h.get_by_role_and_label(Role::Slider, controls::ALPHA)
        .set_value_accesskit(1e-150);
    h.run_steps(4);
    let info = h.state().live().info.clone().expect("run info");
    assert!(
        (info.scene.alpha / 1e-150 - 1.0).abs() < 1e-9,
        "α = {:e}",
        info.scene.alpha
    );
    // The default scene's staircase (n = 40, d = 100), drawn at any α.
    let stairs = info
        .small_alpha
        .as_ref()
        .and_then(|s| s.staircase.as_ref().ok());
    let saddles = &stairs.expect("staircase").saddles;
    assert!(saddles.len() >= 5, "{} saddles", saddles.len());
    assert!(
        saddles.windows(2).all(|w| w[1].tau > w[0].tau),
        "jump times increase"
    );
    // Exact there: the loss is a normal number, and α_t/α = sqrt(s·d)/α is GD's own shrinkage
    // (a product of sqrt(1 − γ²g²) factors), far from the 0 an underflowed s or d would give.
    let sample = h.state().live().latest(MethodKind::Gd).map(|p| p.sample);
    let s = sample.expect("a GD sample");
    assert!(
        s.step > 0 && s.loss.is_normal(),
        "step {}, loss {:e}",
        s.step,
        s.loss
    );
    assert!(
        s.alpha_ratio > 0.5 && s.alpha_ratio <= 1.0,
        "α_t/α = {}",
        s.alpha_ratio
    );
}
