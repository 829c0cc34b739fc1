//! Export → Animation…: one plot or the 2×2 view animated over a fresh run of the current
//! scene, rendered as a background job with its progress in the menu bar's notice.

use std::path::PathBuf;
use std::sync::Arc;

use eframe::egui;

use super::App;
use super::job::Job;
use crate::experiment::prepare;
use crate::experiment::snapshots::Snapshots;
use crate::figure::animation::{self, Framer, MAX_FPS, MAX_FRAMES, Spec, frame_steps, mp4};
use crate::figure::figures::PlotKind;

/// Title of the animation window.
pub const WINDOW: &str = "Export animation";
/// Label of the button that starts rendering.
pub const RENDER: &str = "Render";

/// The animation window's choices and the render in flight.
pub struct AnimationExport {
    /// One plot, or `None` for the 2×2 view.
    pub plot: Option<PlotKind>,
    /// Number of frames.
    pub frames: usize,
    /// Frames per second.
    pub fps: u32,
    /// MP4 through ffmpeg instead of GIF.
    pub mp4: bool,
    ffmpeg: Option<bool>,
    job: Option<Job<Result<Vec<PathBuf>, String>>>,
}

impl Default for AnimationExport {
    fn default() -> Self {
        AnimationExport {
            plot: None,
            frames: 120,
            fps: 12,
            mp4: false,
            ffmpeg: None,
            job: None,
        }
    }
}

impl AnimationExport {
    /// Whether an animation is being rendered.
    pub fn running(&self) -> bool {
        self.job.is_some()
    }

    /// The file name of the chosen animation.
    fn file_name(&self) -> String {
        let what = self
            .plot
            .map_or("2x2".to_string(), |k| k.name().to_string());
        format!("dln-{what}.{}", if self.mp4 { "mp4" } else { "gif" })
    }
}

impl App {
    /// Whether an animation is being rendered.
    pub fn animating(&self) -> bool {
        self.animation.running()
    }

    /// The animation window's choices, to change before clicking Render.
    pub fn animation_mut(&mut self) -> &mut AnimationExport {
        &mut self.animation
    }

    /// The animation window (while open) and the render's progress in the notice.
    pub(super) fn animation_ui(&mut self, ctx: &egui::Context) {
        self.poll_animation(ctx);
        let mut open = self.menus.show_animation;
        let mut start = false;
        egui::Window::new(WINDOW)
            .open(&mut open)
            .resizable(false)
            .show(ctx, |ui| start = self.animation_form(ui));
        self.menus.show_animation = open;
        if start {
            self.start_animation(ctx);
        }
    }

    /// The form; true when Render was clicked.
    fn animation_form(&mut self, ui: &mut egui::Ui) -> bool {
        let a = &mut self.animation;
        ui.label("A fresh run of the current scene, drawn at steps spread over the whole run on fixed axes.");
        egui::ComboBox::from_label("plot")
            .selected_text(a.plot.map_or("the 2×2 view", |k| k.name()))
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut a.plot, None, "the 2×2 view");
                // Besides the 2×2 view, every plot drawn from the runs.
                for k in PlotKind::ALL.into_iter().filter(|k| k.of_runs()) {
                    ui.selectable_value(&mut a.plot, Some(k), k.name());
                }
            });
        ui.horizontal(|ui| {
            ui.add(egui::DragValue::new(&mut a.frames).range(1..=MAX_FRAMES));
            ui.label("frames");
            ui.add(egui::DragValue::new(&mut a.fps).range(1..=MAX_FPS));
            ui.label("frames per second");
        });
        let ffmpeg = *a.ffmpeg.get_or_insert_with(mp4::ffmpeg_available);
        ui.horizontal(|ui| {
            ui.selectable_value(&mut a.mp4, false, "GIF");
            let mp4 = ui
                .add_enabled(ffmpeg, egui::Button::selectable(a.mp4, MP4_LABEL))
                .on_disabled_hover_text(match crate::platform::WEB_PAGE {
                    true => "MP4 is desktop-only (it needs ffmpeg); the web page exports GIF",
                    false => "MP4 needs ffmpeg on the PATH",
                });
            if mp4.clicked() {
                a.mp4 = true;
            }
        });
        ui.label(format!(
            "writes {}/{}",
            self.menus.export_dir,
            a.file_name()
        ));
        match &a.job {
            Some(job) => {
                let (done, total) = job.progress();
                ui.add(egui::ProgressBar::new(done as f32 / total.max(1) as f32).show_percentage());
                if ui.button("Cancel").clicked() {
                    job.cancel();
                }
                false
            }
            None => ui.button(RENDER).clicked(),
        }
    }

    /// Starts rendering the chosen animation of the current scene on a background thread.
    fn start_animation(&mut self, ctx: &egui::Context) {
        let a = &self.animation;
        let spec = Spec {
            plot: a.plot,
            view: self.plots.options,
            title: self.controls.title().to_string(),
            width: 960,
        };
        let (frames, fps, mp4) = (a.frames, a.fps, a.mp4);
        let settings = self.controls.settings.clone();
        let methods = self.controls.methods;
        let dir = PathBuf::from(&self.menus.export_dir);
        let path = dir.join(a.file_name());
        let work = move |p: &super::job::Progress| -> Result<Vec<PathBuf>, String> {
            let prepared = Arc::new(prepare(settings, None).map_err(|e| e.to_string())?);
            let log = spec.view.log_x;
            let steps = |end| frame_steps(end, frames, log);
            let frames = Snapshots::new(prepared, methods, steps).map_err(|e| e.to_string())?;
            let framer = Framer::new(spec, &frames.finished, frames.end());
            std::fs::create_dir_all(&dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
            let tick = || p.tick();
            if mp4 {
                animation::encode_mp4(&framer, frames, fps, &path, &tick, p.cancelled())?;
            } else {
                let bytes = animation::encode_gif(&framer, frames, fps, &tick, p.cancelled())?;
                super::export::write(&path, &bytes)?;
            }
            Ok(vec![path])
        };
        match Job::spawn(ctx, "animation", frames, work) {
            Ok(job) => {
                self.menus.say("rendering the animation…".into());
                self.animation.job = Some(job);
            }
            Err(e) => self.menus.say(format!("⚠ {e}")),
        }
    }

    /// Shows the render's progress in the notice, and its result once done.
    fn poll_animation(&mut self, ctx: &egui::Context) {
        let Some(job) = &self.animation.job else {
            return;
        };
        match job.poll(ctx) {
            None => {
                let (done, total) = job.progress();
                self.menus
                    .say(format!("rendering the animation: frame {done} of {total}"));
            }
            Some(result) => {
                self.animation.job = None;
                self.menus.say(match result.and_then(|r| r) {
                    Ok(paths) => format!(
                        "{} {}",
                        crate::platform::SAVED,
                        paths
                            .iter()
                            .map(|p| p.display().to_string())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    Err(e) => format!("⚠ {e}"),
                });
            }
        }
    }
}

/// The MP4 button's label: the web page says it is desktop-only.
const MP4_LABEL: &str = match crate::platform::WEB_PAGE {
    true => "MP4 (desktop only)",
    false => "MP4",
};
