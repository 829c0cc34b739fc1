//! What the GUI tests share: settings from flags, and the app in a kittest harness.

use dln_explorer::app::App;
use dln_explorer::cli::SimArgs;
use dln_explorer::model::Settings;
use eframe::egui;
use egui_kittest::Harness;

/// The settings the flags give (a test's flags are valid).
pub fn settings(args: SimArgs) -> Settings {
    match args.settings() {
        Ok((_, s)) => s,
        Err(e) => panic!("test settings invalid: {e}"),
    }
}

/// The app in a 1600 × 900 window, after `frames` frames.
pub fn harness(app: App, frames: usize) -> Harness<'static, App> {
    let mut h = Harness::builder()
        .with_size(egui::vec2(1600.0, 900.0))
        .build_ui_state(|ui, app: &mut App| app.ui_body(ui), app);
    h.run_steps(frames);
    h
}
