//! A lesson in the app: the open lesson and its step, the Lesson menu, the narration strip and
//! turning pages. Every step loads the lesson's own state at that step (scene, methods, view,
//! sweep), whatever the sliders were moved to since; the sliders stay live in between.

use eframe::egui;

use super::App;
use super::commands::{Action, menu_item};
use super::dispatch::Request;
use super::sweep_panel::{GammaChoice, METHODS, SweepPanel};
use crate::figure::figures::PlotKind;
use crate::figure::scene::{ViewOptions, XAxis};
use crate::lessons::{self, Highlight, Lesson, LessonSweep, Step};
use crate::model::MethodKind;
use crate::model::format::exact;

/// Label of the strip's button to the next step.
pub const NEXT: &str = "Next ▶";
/// Label of the strip's button to the previous step.
pub const PREVIOUS: &str = "◀ Previous";
/// Label of the strip's button that closes the lesson.
pub const EXIT: &str = "Exit lesson";
/// The colour that marks the highlighted plot (readable on the dark and the light theme).
pub const MARK: egui::Color32 = egui::Color32::from_rgb(235, 130, 0);

/// The lesson open in the app and the step on screen.
#[derive(Clone, Debug)]
pub struct OpenLesson {
    /// The lesson.
    pub lesson: Lesson,
    /// The step shown (from 0).
    pub at: usize,
    /// The step's sweep waits for the previous one to stop.
    sweep_pending: bool,
}

impl OpenLesson {
    /// The step on screen.
    pub fn step(&self) -> &Step {
        &self.lesson.steps[self.at]
    }
}

/// The live plot a highlight marks and the view that shows it (None: the sweep panel).
pub fn view(highlight: Option<Highlight>) -> (Option<PlotKind>, ViewOptions) {
    let mut o = ViewOptions::default();
    let plot = highlight.and_then(|h| match h {
        Highlight::Loss => Some(PlotKind::Loss),
        Highlight::Coords => Some(PlotKind::Coords),
        Highlight::Alpha => Some(PlotKind::Alpha),
        Highlight::AlphaCoords => {
            o.alpha_per_coordinate = true;
            Some(PlotKind::Alpha)
        }
        Highlight::Error => Some(PlotKind::Error),
        Highlight::Sharpness => {
            o.sharpness = true;
            Some(PlotKind::Error)
        }
        Highlight::Staircase => {
            o.x_axis = XAxis::Tau;
            o.log_x = false;
            Some(PlotKind::Coords)
        }
        Highlight::Lasso => {
            o.x_axis = XAxis::Tau;
            o.log_x = false;
            o.lasso = true;
            Some(PlotKind::Alpha)
        }
        Highlight::FinalBeta => {
            o.final_beta = true;
            Some(PlotKind::Coords)
        }
        Highlight::Sweep => None,
    });
    (plot, o)
}

/// Sets the sweep panel's controls to the lesson's grid (GD and SGD).
fn set_sweep(panel: &mut SweepPanel, sweep: &LessonSweep, alpha: f64) {
    let list = |v: &[f64]| v.iter().map(|&x| exact(x)).collect::<Vec<_>>().join(", ");
    panel.use_list = true;
    panel.alpha_list = if sweep.alphas.is_empty() {
        exact(alpha)
    } else {
        list(&sweep.alphas)
    };
    (panel.gamma_axis, panel.gamma_list) = match (&sweep.gamma_fractions, &sweep.gammas) {
        (Some(f), _) => (GammaChoice::Fractions, list(f)),
        (None, Some(g)) => (GammaChoice::Values, list(g)),
        (None, None) => (GammaChoice::Scene, panel.gamma_list.clone()),
    };
    panel.seeds = sweep.seeds;
    panel.steps = Some(sweep.steps);
    panel.methods = METHODS.map(|m| matches!(m, MethodKind::Gd | MethodKind::Sgd));
}

impl App {
    /// Opens `lesson` at step `at` (from 0, clamped to its last step).
    pub fn open_lesson(&mut self, ctx: &egui::Context, lesson: Lesson, at: usize) {
        let at = at.min(lesson.steps.len().saturating_sub(1));
        self.lesson = Some(OpenLesson {
            lesson,
            at,
            sweep_pending: false,
        });
        self.show_lesson_step(ctx);
    }

    /// The open lesson, if any.
    pub fn lesson(&self) -> Option<&OpenLesson> {
        self.lesson.as_ref()
    }

    /// The sweep panel (a lesson step may set it up and run it).
    pub fn sweep_panel(&self) -> &SweepPanel {
        &self.sweep
    }

    /// The live plot marked by the lesson's step.
    pub fn highlighted(&self) -> Option<PlotKind> {
        self.plots.highlight
    }

    /// The next (`forward`) or previous step of the open lesson.
    pub fn turn_lesson(&mut self, ctx: &egui::Context, forward: bool) {
        let Some(open) = &mut self.lesson else {
            self.menus.say("no lesson open (Lesson menu)".into());
            return;
        };
        let last = open.lesson.steps.len() - 1;
        let to = if forward {
            (open.at + 1).min(last)
        } else {
            open.at.saturating_sub(1)
        };
        if to == open.at {
            let end = if forward { "last" } else { "first" };
            self.menus.say(format!("this is the lesson's {end} step"));
            return;
        }
        open.at = to;
        self.show_lesson_step(ctx);
    }

    /// Closes the lesson; the scene on screen stays.
    pub fn exit_lesson(&mut self) {
        self.lesson = None;
        self.plots.highlight = None;
    }

    /// Loads the lesson's state at its current step and plays.
    fn show_lesson_step(&mut self, ctx: &egui::Context) {
        let Some(open) = &mut self.lesson else {
            return;
        };
        let step = open.step().clone();
        open.sweep_pending = step.sweep.is_some();
        let axis = step.scene.x_axis;
        self.load_preset(step.scene);
        if !self.live.playing {
            self.toggle_play();
        }
        (self.plots.highlight, self.plots.options) = view(step.highlight);
        if let (Some(axis), false) = (axis, self.plots.options.x_axis == XAxis::Tau) {
            super::dispatch::set_axis(&mut self.plots.options, axis);
        }
        self.menus.show_sweep = step.sweep.is_some() || step.highlight == Some(Highlight::Sweep);
        self.sweep.cancel();
        if let Some(sweep) = &step.sweep {
            set_sweep(&mut self.sweep, sweep, self.controls.settings.alpha);
        }
        self.start_lesson_sweep(ctx);
    }

    /// Starts the step's sweep once no other sweep runs.
    fn start_lesson_sweep(&mut self, ctx: &egui::Context) {
        let Some(open) = &mut self.lesson else {
            return;
        };
        if open.sweep_pending && !self.sweep.is_running() {
            open.sweep_pending = false;
            self.sweep.start(ctx, &self.controls.config());
        }
    }

    /// Whether the lesson's sweep is still to start or running.
    pub fn lesson_sweep_busy(&self) -> bool {
        self.lesson.as_ref().is_some_and(|l| l.sweep_pending) || self.sweep.is_running()
    }

    /// The narration strip at the bottom of the window; returns the buttons clicked.
    pub(super) fn lesson_strip(&mut self, ui: &mut egui::Ui) -> Vec<Request> {
        let ctx = ui.ctx().clone();
        self.start_lesson_sweep(&ctx);
        let Some(open) = &self.lesson else {
            return Vec::new();
        };
        let step = open.step();
        let mut out = Vec::new();
        egui::Panel::bottom("lesson-strip").show(ui, |ui| {
            ui.add_space(4.0);
            ui.horizontal_wrapped(|ui| {
                let mut button = |ui: &mut egui::Ui, label: &str, keys: &str, action| {
                    if ui.button(label).on_hover_text(keys).clicked() {
                        out.push(Request::Command(action));
                    }
                };
                button(ui, PREVIOUS, "PageUp or ←", Action::LessonPrev);
                ui.label(
                    egui::RichText::new(format!(
                        "step {} / {}",
                        open.at + 1,
                        open.lesson.steps.len()
                    ))
                    .strong(),
                );
                button(ui, NEXT, "PageDown or →", Action::LessonNext);
                button(ui, EXIT, "back to the scenes", Action::ExitLesson);
                ui.separator();
                ui.label(egui::RichText::new(&open.lesson.title).strong());
                ui.label(egui::RichText::new(format!("— {}", step.title)).strong());
                if let Some(h) = step.highlight {
                    ui.label(egui::RichText::new(format!("▶ look at: {}", look_at(h))).color(MARK));
                }
            });
            ui.add(egui::Label::new(egui::RichText::new(&step.narration).size(15.0)).wrap());
            ui.add_space(4.0);
        });
        out
    }
}

/// The name of a highlighted plot in the strip.
fn look_at(h: Highlight) -> &'static str {
    match h {
        Highlight::Loss => "the training loss",
        Highlight::Coords => "the coordinates of β",
        Highlight::Alpha => "the effective initialisation α_t/α",
        Highlight::AlphaCoords => "α_j/α per coordinate",
        Highlight::Error => "the recovery error",
        Highlight::Sharpness => "the curvature against 2/γ",
        Highlight::Staircase => "the coordinates of β against τ = t/ln(1/α)",
        Highlight::Lasso => "the Lasso path and the running mean",
        Highlight::FinalBeta => "each method's final β, coordinate by coordinate",
        Highlight::Sweep => "the sweep window",
    }
}

/// The Lesson menu: the shipped lessons, a lesson file, and the lesson's commands.
pub fn menu(ui: &mut egui::Ui, path: &mut String, out: &mut Vec<Request>) {
    for lesson in lessons::list() {
        let steps = format!("{} steps", lesson.steps.len());
        if ui.button(&lesson.title).on_hover_text(steps).clicked() {
            out.push(Request::OpenLesson(Box::new(lesson)));
            ui.close();
        }
    }
    ui.separator();
    super::file_dialog::field(
        ui,
        "file",
        path,
        super::file_dialog::FileOp::OpenLesson,
        out,
    );
    for a in [
        Action::OpenLessonFile,
        Action::LessonNext,
        Action::LessonPrev,
        Action::ExitLesson,
    ] {
        if menu_item(ui, a) {
            out.push(Request::Command(a));
        }
    }
}
