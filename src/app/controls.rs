//! The side panel: sliders that define the scene, seed buttons, speed and method toggles.

use eframe::egui;

use super::gamma_max::{GammaMaxView, gamma_max_line};
use crate::experiment::{MethodSet, RunInfo};
use crate::figure::num;
use crate::model::config::MAX_ENTRIES;
use crate::model::{Config, MethodKind, Settings, StepSize};
use crate::presets;

/// Label of the γ slider (tests find it by this label).
pub const GAMMA: &str = "γ step size";
/// Label of the α slider.
pub const ALPHA: &str = "α init scale";
/// Label of the n slider.
pub const N: &str = "n samples";
/// Label of the d slider.
pub const D: &str = "d dimension";
/// Label of the s slider.
pub const S: &str = "s sparsity";
/// Label of the batch slider.
pub const BATCH: &str = "b batch";
/// Label of the noise slider.
pub const NOISE: &str = "σ label noise";
/// Label of the σ_ℓ slider of label-noise GD.
pub const SIGMA_LABEL: &str = "σ_ℓ label-noise GD";
/// Label of the σ_iso slider of isotropic-noise GD.
pub const SIGMA_ISO: &str = "σ_iso isotropic-noise GD";
/// Label of the radius slider of n-SAM and 1-SAM.
pub const SAM_RADIUS: &str = "ρ SAM radius";
/// Label of the momentum slider of momentum GD.
pub const MOMENTUM: &str = "β_m momentum";
/// Label of the step-size schedule's picker.
pub const SCHEDULE: &str = "schedule";
/// Label of the weight-decay slider.
pub const WEIGHT_DECAY: &str = "λ_wd weight decay";
/// Label of the speed slider.
pub const SPEED: &str = "speed (steps/frame)";

/// What the user asked for in the side panel this frame.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// The scene changed: restart the runs.
    pub restart: bool,
    /// The speed changed.
    pub speed: bool,
}

/// The editable scene and playback speed.
#[derive(Clone, Debug, PartialEq)]
pub struct Controls {
    /// The scene (every method runs on it; `settings.method` is kept for saving). The step size
    /// becomes fixed once the γ slider is moved; a rule's resolved γ is only shown.
    pub settings: Settings,
    /// The methods that run.
    pub methods: MethodSet,
    /// Steps per frame while playing.
    pub speed: u64,
    /// Step as fast as possible.
    pub flat_out: bool,
    /// The scene last loaded (a preset or a file), to title exports and say what changed.
    pub preset: Option<presets::Preset>,
    /// Anti-aliased (feathered) lines; off is ~2× cheaper on software renderers.
    pub smooth: bool,
    /// γ_max of the running methods, as far as known.
    pub gamma_max: GammaMaxView,
    /// The plots are on the τ axis: the α slider reaches down to 1e-150.
    pub small_alpha: bool,
    /// Moving momentum's β_m keeps λ = γ/(1 − β_m)² (γ re-solved).
    pub hold_lambda: bool,
}

impl Controls {
    /// Controls showing validated settings, with GD, SGD and SGF on.
    pub fn new(settings: &Settings) -> Controls {
        Controls {
            settings: settings.clone(),
            methods: MethodSet::default(),
            speed: 2000,
            flat_out: false,
            preset: None,
            smooth: true,
            gamma_max: GammaMaxView::Unknown,
            small_alpha: false,
            hold_lambda: false,
        }
    }

    /// The scene as a scene file's settings (for saving, copying and the α-sweep panel).
    pub fn config(&self) -> Config {
        Config::from(&self.settings)
    }

    /// Takes the scene of `settings`, keeping the method toggles and playback speed.
    pub fn load(&mut self, settings: &Settings) {
        *self = Controls {
            methods: self.methods,
            speed: self.speed,
            flat_out: self.flat_out,
            smooth: self.smooth,
            preset: self.preset.take(),
            gamma_max: self.gamma_max.clone(),
            ..Controls::new(settings)
        };
    }

    /// Takes the scene `p` (validated) and remembers it as the origin of the caption.
    pub fn load_preset(&mut self, p: presets::Preset) -> Result<(), crate::data::DataError> {
        let settings = crate::data::settings(&p.config)?;
        self.load(&settings);
        if let Some(kinds) = &p.methods {
            self.methods = MethodSet::of(kinds);
        }
        self.preset = Some(p);
        Ok(())
    }

    /// The title of figures and exports: the data file's name on loaded data, else the scene's
    /// (`dln-explorer` without one).
    pub fn title(&self) -> &str {
        // On the user's own data the scene's title (say "SGD beats GD") is not what is shown.
        if let Some(data) = &self.settings.problem.source.data {
            let name = std::path::Path::new(&data.name).file_name();
            return name.and_then(|n| n.to_str()).unwrap_or(&data.name);
        }
        self.preset
            .as_ref()
            .map_or("dln-explorer", |p| p.title.as_str())
    }

    /// The scene's title and caption, or what was changed since it was loaded.
    pub fn caption(&self) -> Option<String> {
        (self.preset.as_ref()).map(|p| p.caption_for(&self.config()))
    }

    /// The preset menu with the caption under it; returns true when a scene was loaded.
    fn presets_ui(&mut self, ui: &mut egui::Ui) -> bool {
        let (loaded, error) = self.scene_picker(ui);
        if let Some(text) = error.or_else(|| self.caption()) {
            ui.add(egui::Label::new(egui::RichText::new(text).small()).wrap());
        }
        loaded
    }

    /// Steps per frame to send to the simulation.
    pub fn steps_per_frame(&self) -> u64 {
        if self.flat_out { u64::MAX } else { self.speed }
    }

    /// Draws the controls; `info` is the current run (for γ's stability limit).
    pub fn ui(&mut self, ui: &mut egui::Ui, info: Option<&RunInfo>) -> Changes {
        ui.heading("Scene");
        let mut restart = self.presets_ui(ui);
        let s = &mut self.settings;
        ui.label("Data");
        let generated = s.problem.source.data.is_none();
        restart |= ui
            .add_enabled(
                generated,
                egui::Slider::new(&mut s.problem.n, 2..=2000)
                    .logarithmic(true)
                    .text(N),
            )
            .on_hover_text("number of training samples n: the rows x_i ~ N(0, I_d) of X")
            .changed();
        restart |= ui
            .add_enabled(
                generated,
                egui::Slider::new(&mut s.problem.d, 2..=5000)
                    .logarithmic(true)
                    .text(D),
            )
            .on_hover_text("dimension d of β; the theory needs d > n (over-parametrised)")
            .changed();
        restart |= ui
            .add_enabled(
                generated,
                egui::Slider::new(&mut s.problem.s, 0..=s.problem.d.min(100)).text(S),
            )
            .on_hover_text("sparsity s: non-zeros of the ground truth β*, on a random support")
            .changed();
        restart |= ui
            .add_enabled(
                generated,
                egui::Slider::new(&mut s.problem.noise, 0.0..=1.0).text(NOISE),
            )
            .on_hover_text("label noise σ: y = Xβ* + σ·N(0, 1)")
            .changed();
        restart |= super::data_controls::ui(ui, &mut s.problem);
        ui.horizontal(|ui| {
            let label = ui.label("seed");
            restart |= ui
                .add(egui::DragValue::new(&mut s.problem.seed))
                .labelled_by(label.id)
                .on_hover_text("seed of the data, initialisation and sampling streams")
                .changed();
            if ui
                .button("new seed")
                .on_hover_text("new data, init and sampling")
                .clicked()
            {
                s.problem.seed = s.problem.seed.wrapping_add(1);
                restart = true;
            }
            restart |= ui
                .button("same seed")
                .on_hover_text("restart on the same data")
                .clicked();
        });
        s.problem.s = s.problem.s.min(s.problem.d);
        s.problem.n_test = s.problem.n_test.min(MAX_ENTRIES / s.problem.d.max(1));
        if s.problem.d <= s.problem.n {
            ui.colored_label(ui.visuals().warn_fg_color, "d ≤ n: not over-parametrised")
                .on_hover_text("the implicit-bias theory needs d > n: there are no ℓ1/ℓ2 references, predicted limits or stable:C step rule; the runs still train with a fixed γ (the slider)");
        }
        ui.separator();
        ui.label("Training");
        restart |= self.alpha_slider(ui);
        restart |= self.gamma_slider(ui, info);
        let gamma = self.gamma(info);
        let s = &mut self.settings;
        match info.and_then(|i| i.gamma_limit) {
            // The single-sample limit bounds the sampling methods; GD alone has its own
            // (γ/γ_max below), so the line is then only a reference.
            Some(limit) if !self.methods.iter().any(MethodKind::is_stochastic) => {
                let ratio = gamma / limit;
                ui.small(format!(
                    "SGD's single-sample limit 2/max κᵢ = {} (γ = {ratio:.2}× it); GD's own: γ/γ_max",
                    num(limit)
                ));
            }
            Some(limit) => {
                let ratio = gamma / limit;
                let text = format!("limit 2/max κᵢ = {};  γ = {ratio:.2}× limit", num(limit));
                if ratio >= 1.0 {
                    ui.colored_label(ui.visuals().warn_fg_color, text);
                } else {
                    ui.label(text);
                }
            }
            None => {
                ui.label("stability limit: needs d > n");
            }
        }
        // Always one line each here, so the rows below do not jump while γ is dragged.
        let (line, values) = gamma_max_line(gamma, &self.gamma_max);
        ui.small(line).on_hover_text(format!(
            "γ as a fraction of the largest γ at which each method's run converges on these data, bisected in the background (dln-explorer gamma-max){values}"
        ));
        ui.small(match s.step_size {
            StepSize::Stable(c) => format!("γ from the rule stable:{c} (half the limit at C = 1)"),
            StepSize::Fixed(_) => "γ fixed (the button below returns to the rule)".to_string(),
        });
        if ui
            .button("γ = ½ limit")
            .on_hover_text(
                "the rule stable:1: γ = 1 / max_i κ_i(β_ℓ1, ρ₀), half the stability limit",
            )
            .clicked()
        {
            s.step_size = StepSize::Stable(1.0);
            restart = true;
        }
        restart |= self.batch_slider(ui);
        let s = &mut self.settings;
        ui.horizontal_wrapped(|ui| {
            for (on, kind) in self.methods.flags_mut().iter_mut().zip(MethodKind::ALL) {
                restart |= ui
                    .checkbox(on, kind.label())
                    .on_hover_text(method_help(kind))
                    .changed();
            }
        });
        restart |= params_ui(ui, s, self.methods);
        if let Some(h) = s.h {
            ui.small(format!(
                "SGF and GF step with h = {} (from the scene); γ sets SGF's noise",
                num(h)
            ));
        }
        if self.methods.contains(MethodKind::Momentum) {
            restart |= self.momentum_ui(ui, info);
        }
        restart |= self.weight_decay_slider(ui);
        restart |= self.schedule_picker(ui);
        ui.separator();
        ui.label("Playback");
        let mut speed = false;
        speed |= ui
            .add_enabled(
                !self.flat_out,
                egui::Slider::new(&mut self.speed, 1..=1_000_000)
                    .logarithmic(true)
                    .text(SPEED),
            )
            .on_hover_text("steps of each method per frame while playing")
            .changed();
        speed |= ui
            .checkbox(&mut self.flat_out, "flat out")
            .on_hover_text("step as fast as the machine allows")
            .changed();
        ui.checkbox(&mut self.smooth, "smooth lines")
            .on_hover_text("anti-aliasing; turn off if drawing is slow (software rendering)");
        Changes { restart, speed }
    }
}

/// One line on what a method is.
fn method_help(kind: MethodKind) -> &'static str {
    match kind {
        MethodKind::Gd => "gradient descent: D = −(γ/n) Xᵀr",
        MethodKind::Sgd => "SGD, batch b: D = −(γ/b) Σ rᵢ xᵢ",
        MethodKind::Sgf => {
            "stochastic gradient flow (Euler–Maruyama, step h; h = γ unless the scene sets h)"
        }
        MethodKind::Gf => "gradient flow (RK4, step h): α_t stays α",
        MethodKind::LabelNoise => {
            "label-noise GD: D = −(γ/n) Xᵀ(r − σ_ℓ ξ), fresh ξ ~ N(0, I) each step; still in range(Xᵀ), so α_t and the predicted limit stay exact"
        }
        MethodKind::IsoNoise => {
            "isotropic-noise GD: GD plus √γ·σ_iso·N(0, I) on u and v; outside range(Xᵀ), so α_t is not the product formula and the predicted limit does not hold"
        }
        MethodKind::NSam => {
            "n-SAM: GD's step with the gradient taken at the ascent point u + (ρ/n)(Xᵀr) ⊙ v, v + (ρ/n)(Xᵀr) ⊙ u (radius ρ); α_t and the predicted limit do not hold"
        }
        MethodKind::OneSam => {
            "1-SAM: one ascent point per sample, u + 2ρ r_i x_i ⊙ v, and the n gradients there averaged; α_t and the predicted limit do not hold"
        }
        MethodKind::Momentum => {
            "momentum GD (heavy ball): GD's step plus β_m times the last displacement of u and v; against time t = kγ/(1 − β_m) its path depends on λ = γ/(1 − β_m)² alone; the exact α_t and the predicted limit do not hold"
        }
    }
}

/// The parameters of the methods that run — the noise levels of the noise methods (and how long
/// their noise lasts), SAM's radius; true when one changed.
fn params_ui(ui: &mut egui::Ui, s: &mut Settings, methods: MethodSet) -> bool {
    let mut changed = false;
    if methods.iter().any(MethodKind::is_sam) {
        changed |= sam_radius_slider(ui, s);
    }
    if methods.contains(MethodKind::LabelNoise) {
        changed |= ui
            .add(
                egui::Slider::new(&mut s.sigma_label, 0.0..=10.0)
                    .logarithmic(true)
                    .smallest_positive(1e-3)
                    .text(SIGMA_LABEL),
            )
            .on_hover_text("σ_ℓ of label-noise GD: the labels y + σ_ℓ ξ are redrawn every step")
            .changed();
    }
    if methods.contains(MethodKind::IsoNoise) {
        changed |= ui
            .add(
                egui::Slider::new(&mut s.sigma_iso, 0.0..=0.1)
                    .logarithmic(true)
                    .smallest_positive(1e-5)
                    .text(SIGMA_ISO),
            )
            .on_hover_text(
                "σ_iso of isotropic-noise GD: u and v each get √γ·σ_iso·N(0, I) every step",
            )
            .changed();
    }
    if let Some(k) = s
        .noise_steps
        .filter(|_| methods.iter().any(MethodKind::is_noise_method))
    {
        ui.small(format!(
            "the noise stops after {k} steps (from the scene), then GD"
        ));
    }
    changed
}

/// SAM's radius slider; true when it moved.
pub fn sam_radius_slider(ui: &mut egui::Ui, s: &mut Settings) -> bool {
    let slider = egui::Slider::new(&mut s.sam_radius, 0.0..=1.0)
        .logarithmic(true)
        .smallest_positive(1e-3)
        .text(SAM_RADIUS);
    ui.add(slider)
        .on_hover_text("radius ρ of SAM's ascent step: n-SAM ascends to w + ρ∇ℓ(w), 1-SAM to w + ρ∇ℓ_i(w) for each sample i (ℓ = ‖Xβ − y‖²/(2n), ℓ_i = r_i²); 0: GD")
        .changed()
}
