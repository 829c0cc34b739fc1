//! The methods beyond GD and SGD in the app — the noise methods, momentum, weight decay: their
//! checkboxes and sliders, and the numbers panel's report of the identity, driven through
//! egui_kittest on the inline backend.

mod common;

use common::harness;
use dln_explorer::app::{App, controls};
use dln_explorer::cli::SimArgs;
use dln_explorer::model::{MethodKind, Settings};
use eframe::egui::accesskit::Role;
use egui_kittest::kittest::Queryable;

fn settings() -> Settings {
    common::settings(SimArgs {
        steps: Some(3000),
        ..SimArgs::default()
    })
}

#[test]
fn noise_methods_are_toggled_tuned_and_reported() {
    let mut h = harness(App::inline(&settings(), 100), 2);
    for kind in [MethodKind::LabelNoise, MethodKind::IsoNoise] {
        assert!(
            h.state().live().history(kind).is_none(),
            "{kind} is off by default"
        );
        h.get_by_role_and_label(Role::CheckBox, kind.label())
            .click();
        h.run_steps(2);
    }
    h.get_by_role_and_label(Role::Slider, controls::SIGMA_ISO)
        .set_value_accesskit(0.01);
    h.run_steps(25);
    let live = h.state().live();
    let info = live.info.clone().expect("run info");
    assert!((info.scene.sigma_iso - 0.01).abs() < 1e-12);
    for kind in [MethodKind::LabelNoise, MethodKind::IsoNoise] {
        let steps = live.latest(kind).map_or(0, |p| p.sample.step);
        assert!(steps >= 100, "{kind} ran {steps} steps");
        assert!(
            live.prediction(kind)
                .is_some_and(|p| p.alpha_product.is_some())
        );
    }
    // The numbers panel says which identity holds.
    h.get_by_label_contains("label-noise GD: α_T/α");
    h.get_by_label_contains("isotropic-noise GD: α_T/α");
    h.get_by_label_contains("the exact identity holds");
}

#[test]
fn momentum_holds_lambda_while_beta_m_moves_and_weight_decay_restarts() {
    // GD at a fixed γ = 0.02 with momentum on: holding λ = γ/(1 − β_m)² = 2 (β_m = 0.9), moving
    // β_m to 0.5 re-solves γ = λ/4 = 0.5.
    let mut h = harness(App::inline(&settings(), 100), 2);
    h.get_by_role_and_label(Role::CheckBox, MethodKind::Momentum.label())
        .click();
    h.run_steps(2);
    h.get_by_role_and_label(Role::Slider, controls::GAMMA)
        .set_value_accesskit(0.02);
    h.run_steps(2);
    h.get_by_label_contains("hold λ = γ/(1 − β_m)² = 2").click();
    h.run_steps(2);
    h.get_by_role_and_label(Role::Slider, controls::MOMENTUM)
        .set_value_accesskit(0.5);
    h.run_steps(25);
    let info = h.state().live().info.clone().expect("run info");
    assert!((info.scene.momentum - 0.5).abs() < 1e-12);
    assert!((info.gamma - 0.5).abs() < 1e-12, "γ = {}", info.gamma);
    let steps = h
        .state()
        .live()
        .latest(MethodKind::Momentum)
        .map_or(0, |p| p.sample.step);
    assert!(steps >= 100, "momentum ran {steps} steps");
    h.get_by_role_and_label(Role::Slider, controls::WEIGHT_DECAY)
        .set_value_accesskit(0.01);
    h.run_steps(25);
    let info = h.state().live().info.clone().expect("run info");
    assert!((info.scene.weight_decay - 0.01).abs() < 1e-12);
    h.get_by_label_contains("the Lasso point of λ_wd");
}

#[test]
fn every_method_has_a_checkbox_a_colour_and_a_help_line() {
    let h = harness(App::inline(&settings(), 100), 2);
    for kind in MethodKind::ALL {
        h.get_by_role_and_label(Role::CheckBox, kind.label());
        assert_eq!(kind.name().parse::<MethodKind>(), Ok(kind));
    }
    let colours: std::collections::HashSet<[u8; 3]> = (MethodKind::ALL.into_iter())
        .map(dln_explorer::figure::palette::color)
        .collect();
    assert_eq!(
        colours.len(),
        MethodKind::ALL.len(),
        "one colour per method"
    );
}
