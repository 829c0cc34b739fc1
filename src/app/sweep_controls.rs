//! The sweep panel's controls: the α grid, the γ axis, methods, seeds, budget, run / cancel and
//! progress.

use eframe::egui;

use super::sweep_panel::{CANCEL, GammaChoice, METHODS, RUN, SweepPanel};
use crate::model::Config;

impl SweepPanel {
    /// Draws the controls; `base` is the scene the sweep starts from.
    pub(super) fn controls(&mut self, ui: &mut egui::Ui, base: &Config) {
        let running = self.is_running();
        ui.add_enabled_ui(!running, |ui| {
            ui.horizontal(|ui| {
                ui.radio_value(&mut self.use_list, false, "log grid")
                    .on_hover_text("α log-spaced from α min to α max, both included; 3 points per decade gives 1, 2, 5 × 10ᵏ");
                ui.radio_value(&mut self.use_list, true, "α list")
                    .on_hover_text("the α values typed as a comma-separated list");
            });
            ui.horizontal(|ui| {
                if self.use_list {
                    let l = ui.label("α values:");
                    ui.add(egui::TextEdit::singleline(&mut self.alpha_list).desired_width(260.0))
                        .labelled_by(l.id)
                        .on_hover_text("initialisation scales α > 0, e.g. 0.01, 0.1, 1");
                } else {
                    let speed = |v: f64| (v * 0.01).max(1e-4);
                    let (min_speed, max_speed) = (speed(self.alpha_min), speed(self.alpha_max));
                    let l = ui.label("α min");
                    ui.add(
                        egui::DragValue::new(&mut self.alpha_min)
                            .speed(min_speed)
                            .range(1e-6..=1e3),
                    )
                    .labelled_by(l.id)
                    .on_hover_text("smallest initialisation scale α (u₀ = α·𝟙, v₀ = 0)");
                    let l = ui.label("α max");
                    ui.add(
                        egui::DragValue::new(&mut self.alpha_max)
                            .speed(max_speed)
                            .range(1e-6..=1e3),
                    )
                    .labelled_by(l.id)
                    .on_hover_text("largest initialisation scale α");
                    let l = ui.label("points / decade");
                    ui.add(egui::DragValue::new(&mut self.per_decade).range(1..=50))
                        .labelled_by(l.id)
                        .on_hover_text("grid points per factor 10 of α");
                }
            });
            match self.alphas() {
                Ok(a) => {
                    let list: Vec<String> = a.iter().map(|v| format!("{v}")).collect();
                    ui.small(format!("α = {}", list.join(", ")));
                }
                Err(e) => {
                    ui.colored_label(ui.visuals().error_fg_color, format!("⚠ {e}"));
                }
            }
            ui.horizontal(|ui| {
                ui.label("γ:");
                ui.radio_value(&mut self.gamma_axis, GammaChoice::Scene, "scene's γ")
                    .on_hover_text("every run at the scene's step size: an α-sweep");
                ui.radio_value(&mut self.gamma_axis, GammaChoice::Values, "values")
                    .on_hover_text("these fixed step sizes at every α: a phase diagram");
                ui.radio_value(&mut self.gamma_axis, GammaChoice::Fractions, "fractions of γ_max")
                    .on_hover_text("these fractions of each run's own γ_max (bisected first): a phase diagram");
                if self.gamma_axis != GammaChoice::Scene {
                    let l = ui.label("list");
                    ui.add(egui::TextEdit::singleline(&mut self.gamma_list).desired_width(200.0))
                        .labelled_by(l.id)
                        .on_hover_text("comma-separated; fractions in (0, 10]");
                }
            });
            ui.horizontal(|ui| {
                ui.label("methods:");
                for (on, kind) in self.methods.iter_mut().zip(METHODS) {
                    ui.checkbox(on, kind.label())
                        .on_hover_text(format!("run {} at every α and seed", kind.label()));
                }
                ui.separator();
                let l = ui.label("seeds");
                ui.add(egui::DragValue::new(&mut self.seeds).range(1..=100))
                    .labelled_by(l.id)
                    .on_hover_text("data sets per α: seed, seed+1, …; medians are over seeds");
                let l = ui.label("step budget");
                let mut steps = self.steps.unwrap_or(base.steps);
                let changed = (ui.add(
                    egui::DragValue::new(&mut steps)
                        .range(1..=100_000_000)
                        .speed(1000.0),
                ))
                .labelled_by(l.id)
                .on_hover_text("most steps per run (the scene's budget until changed); a run also stops once L ≤ the scene's tol")
                .changed();
                if changed {
                    self.steps = Some(steps);
                }
            });
        });
        ui.horizontal(|ui| {
            let run = ui
                .add_enabled(!running, egui::Button::new(RUN))
                .on_hover_text(
                    "every α × method × seed on the scene's n, d, s, step rule and batch",
                );
            super::page::mark(ui.ctx(), "sweep-run", run.rect);
            if run.clicked() {
                self.start(ui.ctx(), base);
            }
            if ui
                .add_enabled(running, egui::Button::new(CANCEL))
                .on_hover_text("stop after the runs in progress; finished runs are kept")
                .clicked()
            {
                self.cancel();
            }
            let (done, total) = self.progress();
            if total > 0 {
                let fraction = done as f32 / total as f32;
                ui.add(
                    egui::ProgressBar::new(fraction)
                        .desired_width(220.0)
                        .text(format!("{done}/{total} runs")),
                );
            }
        });
        if let Some((error, line)) = &self.status {
            if *error {
                ui.colored_label(ui.visuals().error_fg_color, format!("⚠ {line}"));
            } else {
                ui.label(line);
            }
        }
    }
}
