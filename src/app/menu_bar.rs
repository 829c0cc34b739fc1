//! The menu bar (Scene, Lesson, Export, View, Run, Help) and the state its menus edit: the export
//! folder, the PNG scale, the scene file and the last notice. It only reports what was chosen.

use std::sync::{Arc, Mutex};

use eframe::egui;

use super::commands::{Action, menu_item};
use super::dispatch::Request;
use super::file_dialog::{Dialog, FileOp, field};
use super::plots::ExportFormat;
use crate::figure::scene::LIVE_PLOTS;
use crate::presets;

/// State of the menus and their windows.
pub struct Menus {
    /// Presentation mode on.
    pub presentation: bool,
    /// The user's own zoom (Ctrl +/−), kept while presentation mode zooms to the window.
    pub user_zoom: f32,
    /// Help window open.
    pub show_help: bool,
    /// α-sweep window open.
    pub show_sweep: bool,
    /// Export → Animation… window open.
    pub show_animation: bool,
    /// Folder exports are written to.
    pub export_dir: String,
    /// Scale of single-plot PNG exports (1, 2 or 3).
    pub png_scale: u8,
    /// Scenario file for save / load.
    pub scenario_path: String,
    /// Data file for Open data….
    pub data_path: String,
    /// Result of the last export or file operation.
    pub notice: Arc<Mutex<Option<String>>>,
    /// Lesson file for Open lesson file.
    pub lesson_path: String,
    /// A native file dialog open, if any.
    pub dialog: Option<Dialog>,
}

impl Default for Menus {
    fn default() -> Self {
        Menus {
            presentation: false,
            user_zoom: 1.0,
            show_help: false,
            show_sweep: false,
            show_animation: false,
            export_dir: "dln-exports".into(),
            png_scale: 2,
            scenario_path: "scene.toml".into(),
            data_path: "data.npz".into(),
            notice: Arc::new(Mutex::new(None)),
            lesson_path: "lesson.toml".into(),
            dialog: None,
        }
    }
}

/// Pushes `a` when its menu item is clicked, for each of `actions`.
fn items(ui: &mut egui::Ui, actions: &[Action], out: &mut Vec<Request>) {
    for &a in actions {
        if menu_item(ui, a) {
            out.push(Request::Command(a));
        }
    }
}

impl Menus {
    /// Shows `text` in the menu bar until the next notice.
    pub fn say(&self, text: String) {
        if let Ok(mut n) = self.notice.lock() {
            *n = Some(text);
        }
    }

    /// The last notice, if any.
    pub fn notice(&self) -> Option<String> {
        self.notice.lock().ok().and_then(|n| n.clone())
    }

    /// Draws the menu bar (with a Cancel button while a data file is `loading`); returns what
    /// was chosen.
    pub fn ui(&mut self, ui: &mut egui::Ui, loading: bool) -> Vec<Request> {
        let mut out = Vec::new();
        // A click inside a menu (into its file-name fields) keeps it open; items close it.
        let config = egui::containers::menu::MenuConfig::new()
            .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside);
        egui::MenuBar::new().config(config).ui(ui, |ui| {
            ui.menu_button("Scene", |ui| {
                for p in presets::list() {
                    if ui.button(&p.title).on_hover_text(&p.caption).clicked() {
                        out.push(Request::LoadPreset(Box::new(p)));
                        ui.close();
                    }
                }
                ui.separator();
                field(
                    ui,
                    "file",
                    &mut self.scenario_path,
                    FileOp::LoadScene,
                    &mut out,
                );
                let scene = [
                    Action::SaveScenario,
                    Action::SaveScenarioAs,
                    Action::LoadScenario,
                    Action::CopySettings,
                    Action::CopyLink,
                    Action::NewSeed,
                ];
                items(ui, &scene, &mut out);
                ui.separator();
                field(ui, "data", &mut self.data_path, FileOp::OpenData, &mut out);
                items(ui, &[Action::OpenData], &mut out);
                ui.separator();
                if ui
                    .button("Reset to defaults")
                    .on_hover_text("The default scene, dark theme, 100 % zoom")
                    .clicked()
                {
                    out.push(Request::ResetDefaults);
                    ui.close();
                }
            });
            ui.menu_button("Lesson", |ui| {
                super::lesson::menu(ui, &mut self.lesson_path, &mut out);
            });
            ui.menu_button("Export", |ui| {
                field(
                    ui,
                    "folder",
                    &mut self.export_dir,
                    FileOp::ExportFolder,
                    &mut out,
                );
                ui.horizontal(|ui| {
                    ui.label("plot PNG scale");
                    for s in 1..=3u8 {
                        ui.selectable_value(&mut self.png_scale, s, format!("{s}×"));
                    }
                });
                let exports = [
                    Action::ExportWindowPng,
                    Action::ExportSvg,
                    Action::ExportCsv,
                    Action::ExportData,
                ];
                items(ui, &exports, &mut out);
                for (scale, size) in [(1u8, "1920×1080"), (2, "3840×2160")] {
                    let label = format!("Slide {size} (PNG + SVG)");
                    let help = "The 2×2 view (or the lesson's highlighted plot) on a 16:9 page under the scene's title and caption";
                    if ui.button(label).on_hover_text(help).clicked() {
                        out.push(Request::ExportSlide(scale));
                        ui.close();
                    }
                }
                if ui
                    .button("Animation…")
                    .on_hover_text("One plot or the 2×2 view as a GIF (or MP4) of the whole run")
                    .clicked()
                {
                    self.show_animation = true;
                    ui.close();
                }
                ui.separator();
                for kind in LIVE_PLOTS {
                    let label = format!("{} plot as PNG ({}×)", kind.name(), self.png_scale);
                    if ui
                        .button(label)
                        .on_hover_text("One plot, rasterised from its SVG at the chosen scale")
                        .clicked()
                    {
                        out.push(Request::ExportPlot(kind, ExportFormat::Png(self.png_scale)));
                        ui.close();
                    }
                }
            });
            ui.menu_button("View", |ui| {
                let view = [
                    Action::Presentation,
                    Action::ZoomIn,
                    Action::ZoomOut,
                    Action::ZoomReset,
                    Action::SweepPanel,
                ];
                items(ui, &view, &mut out);
            });
            ui.menu_button("Run", |ui| {
                items(
                    ui,
                    &[Action::PlayPause, Action::Step, Action::Reset],
                    &mut out,
                );
            });
            items(ui, &[Action::Help], &mut out);
            if loading && ui.button("Cancel").clicked() {
                out.push(Request::CancelLoading);
            }
            if let Some(text) = self.notice() {
                ui.separator();
                // Cut at the window's edge with "…"; the whole notice shows on hover.
                ui.add(egui::Label::new(text).truncate());
            }
        });
        out
    }
}
