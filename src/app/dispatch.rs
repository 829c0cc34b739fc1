//! The one dispatcher: every request of the menus, shortcuts, run bar, plots and windows is
//! carried out here — commands, scene files, presentation mode and exports (as background jobs
//! that report through the menu bar's notice).

use std::path::PathBuf;
use std::sync::Arc;

use eframe::egui;

use super::App;
use super::commands::{self, Action};
use super::export::{self, Export, View};
use super::file_dialog::{Dialog, FileOp};
use super::plots::ExportFormat;
use crate::figure::figures::PlotKind;
use crate::figure::scene::{LIVE_PLOTS, ViewOptions, XAxis};
use crate::presets::{self, Preset, SceneAxis};

/// Zoom factor of presentation mode.
/// Presentation mode's zoom for a window `height` physical pixels tall: 1.25 at 720 and in
/// proportion above, so a slide shows the same layout on any projector.
pub(super) fn presentation_zoom(height: f32) -> f32 {
    (1.25 * height / 720.0).clamp(1.25, 2.5)
}

/// Something a panel asks the app to do.
#[derive(Clone, Debug)]
pub enum Request {
    /// A command of the command list.
    Command(Action),
    /// Load a scene and restart.
    LoadPreset(Box<Preset>),
    /// The default scene, dark theme, 100 % zoom.
    ResetDefaults,
    /// Export one live plot.
    ExportPlot(PlotKind, ExportFormat),
    /// Export the 2×2 view (or the lesson's highlighted plot) as a slide at a scale of 1920×1080.
    ExportSlide(u8),
    /// Export the α-sweep figure.
    ExportSweep,
    /// Export the sweep figure as a 1920×1080 slide (landscape: a phase diagram's heatmaps on
    /// one row).
    ExportSweepSlide,
    /// Open a lesson at its first step.
    OpenLesson(Box<crate::lessons::Lesson>),
    /// Open a data file (.npz or .csv) and restart on it.
    OpenData(PathBuf),
    /// Stop waiting for the data file being read.
    CancelLoading,
    /// Open the native file dialog for an operation.
    Browse(FileOp),
    /// Do a file operation on a path (typed, or picked in a dialog).
    File(FileOp, PathBuf),
}

impl App {
    /// The figure view of what is on screen.
    pub(super) fn view(&self) -> View<'_> {
        View {
            live: &self.live,
            options: self.plots.options,
            title: self.controls.title(),
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

    /// Carries out a request.
    pub fn handle(&mut self, ctx: &egui::Context, request: Request) {
        let dir = PathBuf::from(&self.menus.export_dir);
        match request {
            Request::Command(a) => self.act(ctx, a),
            Request::LoadPreset(p) => self.load_preset(*p),
            Request::ResetDefaults => {
                self.set_presentation(ctx, false);
                self.menus.user_zoom = 1.0;
                ctx.set_zoom_factor(1.0);
                if let Ok(p) = presets::get(presets::DEFAULT) {
                    self.load_preset(p);
                }
            }
            Request::ExportPlot(kind, ExportFormat::Svg) => {
                self.export(ctx, Export::svgs(&dir, &[kind], self.view()))
            }
            Request::ExportPlot(kind, ExportFormat::Png(scale)) => {
                self.export(ctx, Export::png(&dir, kind, scale, self.view()))
            }
            Request::ExportSlide(scale) => {
                let kinds = self.highlighted().map_or(LIVE_PLOTS.to_vec(), |k| vec![k]);
                let caption = self.controls.caption().unwrap_or_default();
                let fig = export::figure(&kinds, self.view());
                self.export(ctx, Export::slide(&dir, "dln-slide", fig, &caption, scale));
            }
            Request::OpenData(path) => self.open_data(ctx, &path),
            Request::CancelLoading => self.cancel_loading(),
            Request::ExportSweep => {
                if let Some(fig) = self.sweep.figure() {
                    let e = Export::sweep(&dir, fig);
                    self.export(ctx, e);
                }
            }
            Request::ExportSweepSlide => {
                if let Some(fig) = self.sweep.figure() {
                    // Its parameters and notes under the title, as the figure has them.
                    let caption = fig.subtitle.replace('\n', " · ");
                    let e = Export::slide(&dir, "dln-sweep-slide", fig.clone(), &caption, 1);
                    self.export(ctx, e);
                }
            }
            Request::OpenLesson(lesson) => self.open_lesson(ctx, *lesson, 0),
            Request::Browse(op) => self.browse(ctx, op),
            Request::File(op, path) => self.file(ctx, op, path),
        }
    }

    /// Opens the native dialog for `op` at its field's path (one dialog at a time).
    fn browse(&mut self, ctx: &egui::Context, op: FileOp) {
        if self.menus.dialog.is_some() {
            return self.menus.say("a file dialog is already open".into());
        }
        // The page's file chooser hands over a file's name and bytes, opened as a dropped file.
        let opens = !matches!(op, FileOp::SaveScene | FileOp::ExportFolder);
        if crate::platform::WEB_PAGE && opens {
            let (slot, ctx) = (self.dropped.clone(), ctx.clone());
            return crate::platform::pick_bytes(op.title(), op.filter(), move |name, bytes| {
                if let Ok(mut slot) = slot.lock() {
                    *slot = Some((name, Ok(bytes)));
                }
                ctx.request_repaint();
            });
        }
        match Dialog::open(ctx, op, self.path_of(op)) {
            Ok(d) => self.menus.dialog = Some(d),
            Err(e) => self.menus.say(format!("⚠ {e}")),
        }
    }

    /// The menu field holding the path of `op`.
    fn path_of(&mut self, op: FileOp) -> &mut String {
        match op {
            FileOp::SaveScene | FileOp::LoadScene => &mut self.menus.scenario_path,
            FileOp::OpenData => &mut self.menus.data_path,
            FileOp::OpenLesson => &mut self.menus.lesson_path,
            FileOp::ExportFolder => &mut self.menus.export_dir,
        }
    }

    /// Does `op` on `path`, which its menu field then shows.
    pub(super) fn file(&mut self, ctx: &egui::Context, op: FileOp, path: PathBuf) {
        *self.path_of(op) = path.display().to_string();
        match op {
            FileOp::SaveScene => self.save_scenario(),
            FileOp::LoadScene => match presets::load_file(&path) {
                Ok(p) => self.load_preset(p),
                Err(e) => self.menus.say(format!("⚠ {e}")),
            },
            FileOp::OpenData => self.open_data(ctx, &path),
            FileOp::OpenLesson => match crate::lessons::load_file(&path) {
                Ok(lesson) => self.open_lesson(ctx, lesson, 0),
                Err(e) => self.menus.say(format!("⚠ {e}")),
            },
            FileOp::ExportFolder => (self.menus).say(format!("exports go to {}", path.display())),
        }
    }

    /// Carries out what a closed file dialog picked.
    fn poll_dialog(&mut self, ctx: &egui::Context) {
        let Some(result) = self.menus.dialog.as_ref().and_then(|d| d.poll(ctx)) else {
            return;
        };
        let op = self.menus.dialog.take().map(|d| d.op());
        match (op, result) {
            (Some(op), Ok(Some(path))) => self.file(ctx, op, path),
            (Some(op), Ok(None)) => self.menus.say(format!(
                "{}: nothing chosen ({})",
                op.title(),
                crate::platform::NO_DIALOG
            )),
            (_, Err(e)) => self.menus.say(format!("⚠ file dialog {e}")),
            (None, _) => {}
        }
    }

    /// Runs the shortcuts pressed this frame.
    pub(super) fn shortcuts(&mut self, ctx: &egui::Context) {
        if self.lesson.is_some() {
            for a in commands::lesson_arrows(ctx) {
                self.act(ctx, a);
            }
        }
        for a in commands::pressed(ctx) {
            self.act(ctx, a);
        }
    }

    /// Does what a command says.
    pub fn act(&mut self, ctx: &egui::Context, action: Action) {
        let dir = PathBuf::from(&self.menus.export_dir);
        match action {
            Action::PlayPause => self.toggle_play(),
            Action::Step => self.single_step(),
            Action::Reset => self.restart(),
            Action::NewSeed => {
                let seed = &mut self.controls.settings.problem.seed;
                *seed = seed.wrapping_add(1);
                self.restart();
            }
            Action::Presentation => self.set_presentation(ctx, !self.menus.presentation),
            Action::ZoomIn => egui::gui_zoom::zoom_in(ctx),
            Action::ZoomOut => egui::gui_zoom::zoom_out(ctx),
            Action::ZoomReset => ctx.set_zoom_factor(1.0),
            Action::SweepPanel => self.menus.show_sweep = !self.menus.show_sweep,
            Action::Help => self.menus.show_help = !self.menus.show_help,
            Action::ExportWindowPng => {
                let shot = self.window_shot.clone();
                ctx.request_screenshot(move |img: Arc<egui::ColorImage>| {
                    if let Ok(mut slot) = shot.lock() {
                        *slot = Some(img);
                    }
                });
                ctx.request_repaint();
            }
            Action::ExportSvg => self.export(ctx, Export::svgs(&dir, &LIVE_PLOTS, self.view())),
            Action::ExportCsv => {
                let gamma = self.live.info.as_ref().map_or(f64::NAN, |i| i.gamma);
                let e = Export::csv(&dir, &self.controls.config(), gamma, self.view());
                self.export(ctx, e);
            }
            Action::SaveScenario => self.save_scenario(),
            Action::SaveScenarioAs => self.browse(ctx, FileOp::SaveScene),
            Action::LoadScenario => self.browse(ctx, FileOp::LoadScene),
            Action::OpenData => self.browse(ctx, FileOp::OpenData),
            Action::ExportData => self.export_data(ctx),
            Action::CopySettings => {
                ctx.copy_text(self.scenario().to_toml());
                self.menus.say("settings copied as TOML".into());
            }
            Action::CopyLink => {
                let page = crate::platform::page_address();
                let url =
                    crate::link::url(page.as_deref().unwrap_or(crate::link::PAGE), &self.link());
                self.menus.say(format!("link copied: {url}"));
                ctx.copy_text(url);
            }
            Action::LessonNext => self.turn_lesson(ctx, true),
            Action::LessonPrev => self.turn_lesson(ctx, false),
            Action::ExitLesson => self.exit_lesson(),
            Action::OpenLessonFile => self.browse(ctx, FileOp::OpenLesson),
        }
    }

    /// Writes `e` on a background thread; the notice says when it is done.
    pub(super) fn export(&mut self, ctx: &egui::Context, e: Export) {
        let files = e.len();
        match super::job::Job::spawn(ctx, "export", files, move |p| e.write(|| p.tick())) {
            Ok(job) => {
                self.menus.say(format!("writing {files} file(s)…"));
                self.writes.push(job);
            }
            Err(e) => self.menus.say(format!("⚠ {e}")),
        }
    }

    /// Reports finished writes and closed file dialogs, and starts writing a window screenshot
    /// that arrived.
    pub(super) fn poll_writes(&mut self, ctx: &egui::Context) {
        self.poll_dialog(ctx);
        let shot = self.window_shot.lock().ok().and_then(|mut s| s.take());
        if let Some(image) = shot {
            let dir = PathBuf::from(&self.menus.export_dir);
            self.export(ctx, Export::window(&dir, image));
        }
        let mut pending = Vec::with_capacity(self.writes.len());
        for job in std::mem::take(&mut self.writes) {
            match job.poll(ctx) {
                None => pending.push(job),
                Some(result) => self.menus.say(match result.and_then(|r| r) {
                    Ok(paths) => {
                        let names: Vec<String> =
                            paths.iter().map(|p| p.display().to_string()).collect();
                        format!("{} {}", crate::platform::SAVED, names.join(", "))
                    }
                    Err(e) => format!("⚠ {e}"),
                }),
            }
        }
        self.writes = pending;
    }

    /// Whether files are still being written.
    pub fn writing(&self) -> bool {
        !self.writes.is_empty()
    }

    /// Presentation mode: light high-contrast theme, larger type, thicker lines, controls hidden.
    pub fn set_presentation(&mut self, ctx: &egui::Context, on: bool) {
        if on && !self.menus.presentation {
            self.menus.user_zoom = ctx.zoom_factor();
        }
        self.menus.presentation = on;
        self.plots.thickness = if on { 2.2 } else { 1.0 };
        self.plots.title_style = match on {
            true => egui::TextStyle::Body,
            false => egui::TextStyle::Small,
        };
        if on {
            let mut v = egui::Visuals::light();
            v.override_text_color = Some(egui::Color32::BLACK);
            v.panel_fill = egui::Color32::WHITE;
            v.extreme_bg_color = egui::Color32::WHITE;
            v.widgets.noninteractive.bg_stroke.color = egui::Color32::from_gray(60);
            ctx.set_visuals(v);
            let height = ctx.content_rect().height() * ctx.pixels_per_point();
            ctx.set_zoom_factor(presentation_zoom(height));
        } else {
            ctx.set_visuals(egui::Visuals::dark());
            ctx.set_zoom_factor(self.menus.user_zoom);
        }
    }

    /// Whether presentation mode is on.
    pub fn presentation(&self) -> bool {
        self.menus.presentation
    }

    /// The menu state (export folder, notices…).
    pub fn menus_mut(&mut self) -> &mut super::menu_bar::Menus {
        &mut self.menus
    }
}

/// Shows the plots on a scene's x axis (τ linear, steps and time logarithmic).
pub fn set_axis(view: &mut ViewOptions, axis: SceneAxis) {
    view.x_axis = match axis {
        SceneAxis::Steps => XAxis::Steps,
        SceneAxis::Time => XAxis::Time,
        SceneAxis::Tau => XAxis::Tau,
    };
    view.log_x = axis != SceneAxis::Tau;
}
