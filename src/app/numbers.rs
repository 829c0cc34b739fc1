//! The side panel's table of the numbers that make the theorem visible: per method the exact
//! α_T/α, P21's formula, the distance to the predicted limit and the recovery error.

use eframe::egui;

use super::plots;
use crate::experiment::Record;
use crate::figure::num;
use crate::model::ErrorMeasure;

/// Draws the table for the runs in `live`.
pub fn ui(ui: &mut egui::Ui, live: &Record) {
    ui.heading("Numbers");
    let info = live.info.as_deref();
    let measure = info.map_or(ErrorMeasure::Recovery, |i| i.error_measure);
    let test = info.is_some_and(|i| i.shows_test_error);
    let error = match measure {
        ErrorMeasure::Recovery => "‖β−β*‖²",
        ErrorMeasure::Test => "test err",
        ErrorMeasure::L1Distance => "‖β−β_ℓ1‖²",
        ErrorMeasure::Unavailable => "error",
    };
    egui::Grid::new("numbers")
        .striped(true)
        .num_columns(5 + usize::from(test))
        .show(ui, |ui| {
            for h in ["", "α_T/α", "P21", "→ limit", error] {
                ui.strong(h).on_hover_text(measure.symbol());
            }
            if test {
                ui.strong("test err")
                    .on_hover_text("test error (β − β*)ᵀ M (β − β*) + σ² with M = E[xxᵀ] of the design (loaded data: the test-set MSE)");
            }
            ui.end_row();
            for s in &live.status {
                ui.colored_label(plots::color(s.kind), s.kind.label());
                if let Some(p) = live.latest(s.kind) {
                    ui.label(num(p.sample.alpha_ratio));
                    ui.label(num(p.sample.alpha_ratio_p21));
                    let gap = (live.predictions.iter())
                        .find(|(k, _)| *k == s.kind)
                        .map_or("–".into(), |(_, g)| num(g.gap));
                    ui.label(gap);
                    ui.label(num(p.sample.recovery_error));
                    if test {
                        ui.label(num(p.sample.test_error));
                    }
                }
                ui.end_row();
            }
        });
    ui.small("→ limit: relative distance from β_T to argmin_{Xβ=y} D_ψ(ρ_T), where the run ends if α_T stops shrinking");
    if let Some([l1, l2, gf]) = live.info.as_ref().and_then(|i| i.reference_errors) {
        ui.label(format!(
            "{error} of ℓ1: {}   ℓ2: {}   GF: {}",
            num(l1),
            num(l2),
            num(gf)
        ));
    }
}
