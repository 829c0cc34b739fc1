//! The menu bar, the commands it and the shortcuts run, presentation mode, exports, scenario
//! files, the help and α-sweep windows, and the settings kept between launches.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use eframe::egui;
use serde::{Deserialize, Serialize};

use super::commands::{self, Action, menu_item};
use super::export::{self, View};
use super::plots::ExportFormat;
use super::{App, help, save_png};
use crate::figure::figures::PlotKind;
use crate::figure::scene::LIVE_PLOTS;
use crate::model::Config;
use crate::presets::{self, Preset};

/// Key of the persisted state in eframe's storage.
const STORAGE_KEY: &str = "dln-explorer";
/// Zoom factor of presentation mode.
const PRESENTATION_ZOOM: f32 = 1.4;

/// What is kept between launches (the window geometry is kept by eframe itself).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Persisted {
    /// Presentation mode on.
    pub presentation: bool,
    /// The last scene.
    pub config: Config,
    /// Title and caption of the last preset.
    pub preset: Option<(String, String)>,
}

/// State of the menus and their windows.
pub struct Menus {
    /// Presentation mode on.
    pub presentation: bool,
    /// Help window open.
    pub show_help: bool,
    /// α-sweep window open.
    pub show_sweep: bool,
    /// Folder exports are written to.
    pub export_dir: String,
    /// Scale of single-plot PNG exports (1, 2 or 3).
    pub png_scale: u8,
    /// Scenario file for save / load.
    pub scenario_path: String,
    /// Result of the last export or file operation.
    pub notice: Arc<Mutex<Option<String>>>,
}

impl Default for Menus {
    fn default() -> Self {
        Menus {
            presentation: false,
            show_help: false,
            show_sweep: false,
            export_dir: "dln-exports".into(),
            png_scale: 2,
            scenario_path: "scene.toml".into(),
            notice: Arc::new(Mutex::new(None)),
        }
    }
}

impl Menus {
    fn say(&self, text: String) {
        if let Ok(mut n) = self.notice.lock() {
            *n = Some(text);
        }
    }

    /// The last notice, if any.
    pub fn notice(&self) -> Option<String> {
        self.notice.lock().ok().and_then(|n| n.clone())
    }
}

impl App {
    /// The figure view of what is on screen.
    fn view(&self) -> View<'_> {
        View {
            live: &self.live,
            options: self.plots.options,
            title: self
                .controls
                .preset
                .as_ref()
                .map_or("dln-explorer", |(t, _)| t.as_str()),
        }
    }

    /// The panel the screen shows for a live plot (None before the runs' description arrived).
    pub fn shown_panel(&self, kind: PlotKind) -> Option<&crate::figure::Panel> {
        self.plots.panel(kind)
    }

    /// The panel an export of a live plot writes now.
    pub fn exported_panel(&self, kind: PlotKind) -> Option<crate::figure::Panel> {
        export::figure(&[kind], self.view())
            .panels
            .into_iter()
            .next()
    }

    /// The menu bar.
    pub(super) fn menu_bar(&mut self, ui: &mut egui::Ui) {
        let mut actions = Vec::new();
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("Scene", |ui| {
                for p in presets::list() {
                    if ui.button(&p.title).on_hover_text(&p.caption).clicked() {
                        self.load_preset(p);
                        ui.close();
                    }
                }
                ui.separator();
                ui.horizontal(|ui| {
                    ui.label("file");
                    ui.text_edit_singleline(&mut self.menus.scenario_path)
                        .on_hover_text("Scene file (TOML) for Save and Load");
                });
                for a in [
                    Action::SaveScenario,
                    Action::LoadScenario,
                    Action::CopySettings,
                    Action::NewSeed,
                ] {
                    if menu_item(ui, a) {
                        actions.push(a);
                    }
                }
                ui.separator();
                if ui
                    .button("Reset to defaults")
                    .on_hover_text("The default scene, dark theme, 100 % zoom")
                    .clicked()
                {
                    self.reset_to_defaults(ui.ctx());
                }
            });
            ui.menu_button("Export", |ui| {
                ui.horizontal(|ui| {
                    ui.label("folder");
                    ui.text_edit_singleline(&mut self.menus.export_dir)
                        .on_hover_text("Exports are written into this folder");
                });
                ui.horizontal(|ui| {
                    ui.label("PNG scale");
                    for s in 1..=3u8 {
                        ui.selectable_value(&mut self.menus.png_scale, s, format!("{s}×"));
                    }
                });
                for a in [
                    Action::ExportWindowPng,
                    Action::ExportSvg,
                    Action::ExportCsv,
                ] {
                    if menu_item(ui, a) {
                        actions.push(a);
                    }
                }
                ui.separator();
                for kind in LIVE_PLOTS {
                    if ui
                        .button(format!(
                            "{} plot as PNG ({}×)",
                            kind.name(),
                            self.menus.png_scale
                        ))
                        .on_hover_text("One plot, rasterised from its SVG at the chosen scale")
                        .clicked()
                    {
                        let dir = PathBuf::from(&self.menus.export_dir);
                        let result =
                            export::write_png(&dir, kind, self.menus.png_scale, self.view());
                        self.report(result.map(|p| vec![p]));
                        ui.close();
                    }
                }
            });
            ui.menu_button("View", |ui| {
                for a in [
                    Action::Presentation,
                    Action::ZoomIn,
                    Action::ZoomOut,
                    Action::ZoomReset,
                    Action::SweepPanel,
                ] {
                    if menu_item(ui, a) {
                        actions.push(a);
                    }
                }
            });
            ui.menu_button("Run", |ui| {
                for a in [Action::PlayPause, Action::Step, Action::Reset] {
                    if menu_item(ui, a) {
                        actions.push(a);
                    }
                }
            });
            if menu_item(ui, Action::Help) {
                actions.push(Action::Help);
            }
            if let Some(text) = self.menus.notice() {
                ui.separator();
                ui.label(text);
            }
        });
        for a in actions {
            self.act(ui.ctx(), a);
        }
    }

    /// Carries out an export asked for from a plot's right-click menu.
    pub(super) fn export_requested(&mut self) {
        let Some((kind, format)) = self.plots.requested.take() else {
            return;
        };
        let dir = PathBuf::from(&self.menus.export_dir);
        let result = match format {
            ExportFormat::Svg => export::write_svg(&dir, kind, self.view()),
            ExportFormat::Png(scale) => export::write_png(&dir, kind, scale, self.view()),
        };
        self.report(result.map(|p| vec![p]));
    }

    /// Runs the shortcuts pressed this frame.
    pub(super) fn shortcuts(&mut self, ctx: &egui::Context) {
        for a in commands::pressed(ctx) {
            self.act(ctx, a);
        }
    }

    /// Does what a command says.
    pub fn act(&mut self, ctx: &egui::Context, action: Action) {
        match action {
            Action::PlayPause => self.toggle_play(),
            Action::Step => self.single_step(),
            Action::Reset => self.restart(),
            Action::NewSeed => {
                self.controls.settings.problem.seed =
                    self.controls.settings.problem.seed.wrapping_add(1);
                self.restart();
            }
            Action::Presentation => self.set_presentation(ctx, !self.menus.presentation),
            Action::ZoomIn => egui::gui_zoom::zoom_in(ctx),
            Action::ZoomOut => egui::gui_zoom::zoom_out(ctx),
            Action::ZoomReset => ctx.set_zoom_factor(1.0),
            Action::SweepPanel => self.menus.show_sweep = !self.menus.show_sweep,
            Action::Help => self.menus.show_help = !self.menus.show_help,
            Action::ExportWindowPng => self.export_window(ctx),
            Action::ExportSvg => {
                let dir = PathBuf::from(&self.menus.export_dir);
                let result = export::write_svgs(&dir, self.view());
                self.report(result);
            }
            Action::ExportCsv => {
                let dir = PathBuf::from(&self.menus.export_dir);
                let gamma = self.live.info.as_ref().map_or(f64::NAN, |i| i.gamma);
                let result = export::write_csv(&dir, &self.controls.config(), gamma, self.view());
                self.report(result.map(|p| vec![p]));
            }
            Action::SaveScenario => self.save_scenario(),
            Action::LoadScenario => {
                match presets::load_file(&PathBuf::from(&self.menus.scenario_path)) {
                    Ok(p) => self.load_preset(p),
                    Err(e) => self.menus.say(format!("⚠ {e}")),
                }
            }
            Action::CopySettings => {
                ctx.copy_text(self.scenario().to_toml());
                self.menus.say("settings copied as TOML".into());
            }
        }
    }

    fn report(&self, result: Result<Vec<PathBuf>, String>) {
        self.menus.say(match result {
            Ok(paths) => format!(
                "saved {}",
                paths
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Err(e) => format!("⚠ {e}"),
        });
    }

    fn export_window(&self, ctx: &egui::Context) {
        let path = PathBuf::from(&self.menus.export_dir).join("dln-window.png");
        if let Err(e) = std::fs::create_dir_all(&self.menus.export_dir) {
            self.menus
                .say(format!("⚠ cannot create {}: {e}", self.menus.export_dir));
            return;
        }
        let notice = self.menus.notice.clone();
        ctx.request_screenshot(move |img: Arc<egui::ColorImage>| {
            let text = match save_png(&img, &path) {
                Ok(()) => format!("saved {}", path.display()),
                Err(e) => format!("⚠ {e}"),
            };
            if let Ok(mut n) = notice.lock() {
                *n = Some(text);
            }
        });
        ctx.request_repaint();
    }

    /// The current scene as a scene file.
    fn scenario(&self) -> Preset {
        let (title, caption) = self
            .controls
            .preset
            .clone()
            .unwrap_or_else(|| ("My scene".into(), "Saved from dln-explorer.".into()));
        Preset {
            name: "scene".into(),
            title,
            caption,
            config: self.controls.config(),
        }
    }

    fn save_scenario(&self) {
        let path = PathBuf::from(&self.menus.scenario_path);
        let text = self.scenario().to_toml();
        self.menus.say(match std::fs::write(&path, text) {
            Ok(()) => format!("saved {}", path.display()),
            Err(e) => format!("⚠ cannot write {}: {e}", path.display()),
        });
    }

    /// Loads a scene (a preset or a file) and restarts.
    pub fn load_preset(&mut self, p: Preset) {
        match p.config.validate() {
            Ok(settings) => {
                self.controls.load(&settings);
                self.controls.preset = Some((p.title, p.caption));
                self.restart();
            }
            Err(e) => self.menus.say(format!("⚠ {}: {e}", p.name)),
        }
    }

    /// Presentation mode: light high-contrast theme, larger type, thicker lines, controls hidden.
    pub fn set_presentation(&mut self, ctx: &egui::Context, on: bool) {
        self.menus.presentation = on;
        self.plots.thickness = if on { 2.2 } else { 1.0 };
        if on {
            let mut v = egui::Visuals::light();
            v.override_text_color = Some(egui::Color32::BLACK);
            v.panel_fill = egui::Color32::WHITE;
            v.extreme_bg_color = egui::Color32::WHITE;
            v.widgets.noninteractive.bg_stroke.color = egui::Color32::from_gray(60);
            ctx.set_visuals(v);
            ctx.set_zoom_factor(PRESENTATION_ZOOM);
        } else {
            ctx.set_visuals(egui::Visuals::dark());
            ctx.set_zoom_factor(1.0);
        }
    }

    /// Whether presentation mode is on.
    pub fn presentation(&self) -> bool {
        self.menus.presentation
    }

    /// The menu state (export folder, notices…).
    pub fn menus_mut(&mut self) -> &mut Menus {
        &mut self.menus
    }

    fn reset_to_defaults(&mut self, ctx: &egui::Context) {
        self.set_presentation(ctx, false);
        if let Ok(p) = presets::get(presets::DEFAULT) {
            self.load_preset(p);
        }
    }

    /// The floating windows: help and the α-sweep panel.
    pub(super) fn windows(&mut self, ctx: &egui::Context) {
        let mut open = self.menus.show_help;
        egui::Window::new("Help")
            .open(&mut open)
            .default_size([760.0, 560.0])
            .show(ctx, help::ui);
        self.menus.show_help = open;
        let mut open = self.menus.show_sweep || self.sweep.is_running();
        let config = self.controls.config();
        egui::Window::new("α sweep — SGD beats GD")
            .open(&mut open)
            .default_size([1000.0, 760.0])
            .resizable(true)
            .show(ctx, |ui| {
                self.sweep.ui(ui, &config);
                if let Some(fig) = self.sweep.figure()
                    && ui.button("Export sweep as SVG").clicked()
                {
                    let dir = PathBuf::from(&self.menus.export_dir);
                    let result = export::write(
                        &dir,
                        "dln-sweep.svg",
                        crate::figure::svg::render(fig).as_bytes(),
                    );
                    self.report(result.map(|p| vec![p]));
                }
            });
        self.menus.show_sweep = open;
    }

    /// The state to keep between launches.
    pub fn persisted(&self) -> Persisted {
        Persisted {
            presentation: self.menus.presentation,
            config: self.controls.config(),
            preset: self.controls.preset.clone(),
        }
    }

    /// Restores kept state; the scene only if `scene` (no scene was asked for on the command line).
    pub fn restore(&mut self, ctx: &egui::Context, storage: &dyn eframe::Storage, scene: bool) {
        let Some(p) = eframe::get_value::<Persisted>(storage, STORAGE_KEY) else {
            return;
        };
        if scene && let Ok(settings) = p.config.validate() {
            self.controls.load(&settings);
            self.controls.preset = p.preset;
            self.restart();
        }
        if p.presentation {
            self.set_presentation(ctx, true);
        }
    }

    /// Saves the state to keep.
    pub fn save_state(&self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, STORAGE_KEY, &self.persisted());
    }
}
