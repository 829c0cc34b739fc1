//! The side panel's rows for where the data comes from: the design of generated features and
//! the rule for β*, or the loaded data file with a way back to generated data.

use eframe::egui;

use crate::figure::scene::file_name;
use crate::model::{BetaRule, Design, ProblemSpec};

/// Label of the design menu (tests find it by this label).
pub const DESIGN: &str = "design";
/// Label of the design's parameter slider.
pub const DESIGN_PARAMETER: &str = "design parameter";
/// Label of the β* menu.
pub const BETA: &str = "β*";
/// Label of the button that returns from a data file to generated data.
pub const GENERATED: &str = "use generated data";

/// The parameter a design starts with when chosen from the menu.
fn default_parameter(index: usize) -> f64 {
    [0.0, 100.0, 0.8, 1.0][index.min(3)]
}

/// What each design is, for tooltips.
fn design_help(index: usize) -> &'static str {
    [
        "x_ij ~ N(0, 1) i.i.d.: the test error equals the recovery error ‖β − β*‖² (+ σ²)",
        "x_ij = σ_j z_ij, variances geometric from 1 to 1/κ in a seeded random column order: SGD shrinks the high-variance coordinates' α most",
        "AR(1) columns: x_ij = c x_i,j−1 + √(1 − c²) z_ij, so E[x_j x_k] = c^|j−k|",
        "x_ij = μ + z_ij: E[xxᵀ] = I + μ²𝟙𝟙ᵀ",
    ][index.min(3)]
}

/// Draws the rows; true when the data changed (restart).
pub fn ui(ui: &mut egui::Ui, p: &mut ProblemSpec) -> bool {
    if let Some(data) = &p.source.data {
        let text = format!(
            "data {}: n = {}, d = {}, {}, {}",
            file_name(&data.name),
            data.n(),
            data.d(),
            if data.beta_star.is_some() {
                "with β*"
            } else {
                "no β*"
            },
            match data.n_test() {
                0 => "no test set".to_string(),
                k => format!("{k} test rows"),
            }
        );
        ui.label(text).on_hover_text(&data.name);
        if ui
            .button(GENERATED)
            .on_hover_text("generate data again with the sliders above (the file is not touched)")
            .clicked()
        {
            p.source.data = None;
            return true;
        }
        return false;
    }
    let mut changed = false;
    let mut index = p.source.design.index();
    egui::ComboBox::from_label(DESIGN)
        .selected_text(Design::NAMES[index])
        .show_ui(ui, |ui| {
            for (i, name) in Design::NAMES.iter().enumerate() {
                ui.selectable_value(&mut index, i, *name)
                    .on_hover_text(design_help(i));
            }
        })
        .response
        .on_hover_text(design_help(index));
    if index != p.source.design.index() {
        p.source.design = Design::with_parameter(index, default_parameter(index));
        changed = true;
    }
    if let Some(mut v) = p.source.design.parameter() {
        let (slider, what) = match p.source.design {
            Design::Anisotropic(_) => (
                egui::Slider::new(&mut v, 1.0..=1e4).logarithmic(true),
                "κ: condition number of E[xxᵀ]",
            ),
            Design::Correlated(_) => (
                egui::Slider::new(&mut v, 0.0..=0.99),
                "c: correlation of neighbouring columns",
            ),
            _ => (
                egui::Slider::new(&mut v, -5.0..=5.0),
                "μ: the mean of every feature",
            ),
        };
        if ui
            .add(slider.text(DESIGN_PARAMETER))
            .on_hover_text(what)
            .changed()
        {
            p.source.design = Design::with_parameter(index, v);
            changed = true;
        }
    }
    changed | beta_ui(ui, &mut p.source.beta)
}

/// The β* menu and the magnitude of ±m.
fn beta_ui(ui: &mut egui::Ui, beta: &mut BetaRule) -> bool {
    let name = |b: &BetaRule| match b {
        BetaRule::Gaussian => "Gaussian",
        BetaRule::Signs(_) => "random signs ±m",
        BetaRule::Given(_) => "given (scene file)",
    };
    let before = beta.clone();
    egui::ComboBox::from_label(BETA)
        .selected_text(name(beta))
        .show_ui(ui, |ui| {
            ui.selectable_value(beta, BetaRule::Gaussian, "Gaussian")
                .on_hover_text("non-zeros ~ N(0, 1) on a random support");
            let signs = BetaRule::Signs(beta_magnitude(&before));
            ui.selectable_value(beta, signs, "random signs ±m")
                .on_hover_text("non-zeros ±m with random signs on a random support");
        });
    if let BetaRule::Signs(m) = beta {
        ui.add(
            egui::Slider::new(m, 0.1..=10.0)
                .logarithmic(true)
                .text("m (|β*_j|)"),
        );
    }
    *beta != before
}

fn beta_magnitude(b: &BetaRule) -> f64 {
    match b {
        BetaRule::Signs(m) => *m,
        _ => 1.0,
    }
}
