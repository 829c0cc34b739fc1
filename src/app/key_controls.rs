//! The controls a lecturer needs at hand — the scene picker, the α, γ, b, β_m, ρ and λ_wd sliders
//! and the schedule — shared by the side panel and presentation mode's control strip.

use eframe::egui;

use super::controls::{ALPHA, BATCH, Changes, Controls, GAMMA, MOMENTUM, SCHEDULE, WEIGHT_DECAY};
use crate::experiment::RunInfo;
use crate::figure::num;
use crate::model::config::ALPHA_RANGE;
use crate::model::schedule::Schedule;
use crate::model::{Config, MethodKind, StepSize};
use crate::presets;

/// Characters of a scene's title the scene picker shows (the rest is cut with …).
const PICKER_CHARS: usize = 30;

impl Controls {
    /// The scene picker; returns whether a scene was loaded, or why it could not be.
    pub fn scene_picker(&mut self, ui: &mut egui::Ui) -> (bool, Option<String>) {
        let mut chosen = None;
        // A lesson step's long title must not push the sliders off a projector's screen.
        let current = (self.preset.as_ref()).map_or("choose a scene…".to_string(), |p| {
            match p.title.chars().count() > PICKER_CHARS {
                true => p
                    .title
                    .chars()
                    .take(PICKER_CHARS - 1)
                    .chain(['…'])
                    .collect(),
                false => p.title.clone(),
            }
        });
        egui::ComboBox::from_label("preset")
            .selected_text(current)
            .width(200.0)
            .show_ui(ui, |ui| {
                for p in presets::list() {
                    if ui.selectable_label(false, &p.title).clicked() {
                        chosen = Some(p);
                    }
                }
            });
        let mut loaded = false;
        let mut error = None;
        if let Some(p) = chosen {
            match self.load_preset(p) {
                Ok(()) => loaded = true,
                Err(e) => error = Some(format!("⚠ {e}")),
            }
        }
        (loaded, error)
    }

    /// The α slider (log scale; down to 1e-150 once α is small or the view is on τ); returns
    /// whether it moved.
    pub fn alpha_slider(&mut self, ui: &mut egui::Ui) -> bool {
        let s = &mut self.settings;
        // Down to 1e-150 once α is small or the view is on the τ axis; 1e-3 keeps the usual
        // range's resolution otherwise.
        let lowest = if s.alpha < 1e-3 || self.small_alpha {
            ALPHA_RANGE.0
        } else {
            1e-3
        };
        let mut slider = egui::Slider::new(&mut s.alpha, lowest..=10.0)
            .logarithmic(true)
            .text(ALPHA);
        if lowest < 1e-3 {
            // `1e-50`, not fifty zeros; typed values parse as written.
            slider = slider
                .custom_formatter(|v, _| num(v))
                .custom_parser(|t| t.trim().parse().ok());
        }
        let response = ui.add(slider)
            .on_hover_text("initialisation scale α: u₀ = α·𝟙, v₀ = 0; ρ₀ = α²/2 (small α: sparse ℓ1 bias, large α: ℓ2); down to 1e-150 on the τ axis, where the staircase shows");
        // Where it is, for the web page's script (its test drags it).
        super::page::mark(ui.ctx(), "alpha-slider", response.rect);
        response.changed()
    }

    /// The γ in use: the fixed one, or the one the rule resolved to in the run `info`.
    pub(super) fn gamma(&self, info: Option<&RunInfo>) -> f64 {
        match self.settings.step_size {
            StepSize::Fixed(g) => g,
            StepSize::Stable(_) => info.map_or(0.01, |i| i.gamma),
        }
    }

    /// The γ slider: shows the fixed γ, or the γ the rule resolved to; moving it fixes γ.
    /// Returns whether it moved.
    pub fn gamma_slider(&mut self, ui: &mut egui::Ui, info: Option<&RunInfo>) -> bool {
        let mut gamma = self.gamma(info);
        let s = &mut self.settings;
        let moved = ui
            .add(
                egui::Slider::new(&mut gamma, 1e-5..=100.0)
                    .logarithmic(true)
                    .text(GAMMA),
            )
            .on_hover_text("step size γ of GD and SGD (and SGF's noise level γ/b); single-sample SGD is stable for γ·κ_i < 2")
            .changed();
        if moved {
            s.step_size = StepSize::Fixed(gamma);
        }
        moved
    }

    /// The batch-size slider of SGD (1 to min(n, 200)); returns whether it moved.
    pub fn batch_slider(&mut self, ui: &mut egui::Ui) -> bool {
        let s = &mut self.settings;
        let max_batch = s.problem.n.max(1);
        s.batch = s.batch.clamp(1, max_batch);
        ui.add(egui::Slider::new(&mut s.batch, 1..=max_batch.min(200)).text(BATCH))
            .on_hover_text("mini-batch size b of SGD; SGF's noise scales as γ/b, so larger b weakens the effect")
            .changed()
    }

    /// The weight-decay slider (log scale from 1e-4, and 0); returns whether it moved.
    pub fn weight_decay_slider(&mut self, ui: &mut egui::Ui) -> bool {
        let slider = egui::Slider::new(&mut self.settings.weight_decay, 0.0..=1.0)
            .logarithmic(true)
            .smallest_positive(1e-4)
            .text(WEIGHT_DECAY);
        ui.add(slider)
            .on_hover_text("weight decay λ_wd on u and v, every method: the step of L + (λ_wd/2)(‖u‖² + ‖v‖²). Its runs end at the Lasso point of penalty λ_wd (drawn as the predicted limit) instead of the interpolator α picks; 0: none")
            .changed()
    }

    /// Momentum's β_m slider and the switch that holds λ = γ/(1 − β_m)² while it moves (γ is
    /// then re-solved, as a fixed γ); returns whether either changed the scene.
    pub fn momentum_ui(&mut self, ui: &mut egui::Ui, info: Option<&RunInfo>) -> bool {
        let (gamma, before) = (self.gamma(info), self.settings.momentum);
        let moved = ui
            .add(egui::Slider::new(&mut self.settings.momentum, 0.0..=0.99).text(MOMENTUM))
            .on_hover_text("β_m of momentum GD: each step adds β_m times the last displacement; against time t = kγ/(1 − β_m) its path depends on λ = γ/(1 − β_m)² alone (larger λ: denser)")
            .changed();
        let after = self.settings.momentum;
        let lambda = gamma / ((1.0 - before) * (1.0 - before));
        ui.checkbox(&mut self.hold_lambda, format!("hold λ = γ/(1 − β_m)² = {}", num(lambda)))
            .on_hover_text("moving β_m re-solves γ = λ(1 − β_m)², so the runs keep one path against time t = kγ/(1 − β_m)");
        if moved && self.hold_lambda {
            self.settings.step_size = StepSize::Fixed(lambda * (1.0 - after) * (1.0 - after));
        }
        moved
    }

    /// The step-size schedule: constant, cosine, a step decay (the scene's, or ×0.1 at half the
    /// budget); returns whether it changed.
    pub fn schedule_picker(&mut self, ui: &mut egui::Ui) -> bool {
        let current = self.settings.schedule.clone();
        let halving = Schedule::Step {
            at: vec![0.5],
            factor: 0.1,
        };
        let mut choices = vec![Schedule::Constant, Schedule::Cosine, halving];
        if !choices.contains(&current) {
            choices.push(current.clone());
        }
        egui::ComboBox::from_label(SCHEDULE)
            .selected_text(current.to_string())
            .show_ui(ui, |ui| {
                for choice in choices {
                    let text = choice.to_string();
                    ui.selectable_value(&mut self.settings.schedule, choice, text);
                }
            })
            .response
            .on_hover_text("step-size schedule over the budget K, every method: γ_k = γ·m(k/K); step:F…:FACTOR multiplies γ by FACTOR at each fraction F, cosine by (1 + cos(πk/K))/2");
        self.settings.schedule != current
    }

    /// Whether the scene is about weight decay (it has some, or was loaded with some).
    fn shows_weight_decay(&self) -> bool {
        self.scene_has(|c| c.weight_decay > 0.0) || self.settings.weight_decay > 0.0
    }

    /// Whether the scene last loaded has `what` in its settings.
    fn scene_has(&self, what: impl Fn(&Config) -> bool) -> bool {
        (self.preset.as_ref()).is_some_and(|p| what(&p.config))
    }
}

/// Presentation mode's strip: the scene picker, α, γ, b (β_m when momentum runs, ρ when SAM does,
/// λ_wd and the schedule in a scene about them) in one row (wrapping if narrow),
/// then what `more` draws; `info` is the current run (for the γ a rule resolved to).
pub fn strip(
    ui: &mut egui::Ui,
    controls: &mut Controls,
    info: Option<&RunInfo>,
    more: impl FnOnce(&mut egui::Ui),
) -> Changes {
    let mut restart = false;
    ui.horizontal_wrapped(|ui| {
        let (loaded, error) = controls.scene_picker(ui);
        restart |= loaded;
        if let Some(e) = error {
            ui.colored_label(ui.visuals().warn_fg_color, e);
        }
        ui.separator();
        restart |= controls.alpha_slider(ui);
        restart |= controls.gamma_slider(ui, info);
        restart |= controls.batch_slider(ui);
        if controls.methods.contains(MethodKind::Momentum) {
            wrap_before(ui, 40.0);
            restart |= controls.momentum_ui(ui, info);
        }
        if controls.methods.iter().any(MethodKind::is_sam) {
            wrap_before(ui, 24.0);
            restart |= super::controls::sam_radius_slider(ui, &mut controls.settings);
        }
        if controls.shows_weight_decay() {
            wrap_before(ui, 24.0);
            restart |= controls.weight_decay_slider(ui);
        }
        let scheduled = |c: &Config| c.schedule.parse().is_ok_and(|s: Schedule| !s.is_constant());
        if !controls.settings.schedule.is_constant() || controls.scene_has(scheduled) {
            wrap_before(ui, 16.0);
            restart |= controls.schedule_picker(ui);
        }
        more(ui);
    });
    Changes {
        restart,
        speed: false,
    }
}

/// Starts a new row of a wrapping layout unless `lines` text heights of width still fit (a
/// slider wraps only between its parts).
fn wrap_before(ui: &mut egui::Ui, lines: f32) {
    let left = ui.max_rect().right() - ui.cursor().left();
    if left < lines * ui.text_style_height(&egui::TextStyle::Body) {
        ui.end_row();
    }
}
