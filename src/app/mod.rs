//! The egui front end: renders snapshots of the paired runs and sends commands; owns no maths.

pub mod commands;
pub mod controls;
pub mod export;
pub mod help;
pub mod menus;
pub mod plot_view;
pub mod plots;
pub mod sweep_panel;
pub mod worker;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use eframe::egui;

use crate::experiment::{Command, Driver, Pace, Record};
use crate::model::{Settings, Stop};
use controls::Controls;
use menus::Menus;
use plots::Plots;
use sweep_panel::SweepPanel;
use worker::{Backend, Worker};

/// Label of the play/pause button.
pub const PLAY: &str = "▶ Play";
/// Label of the pause button.
pub const PAUSE: &str = "Pause";
/// Label of the single-step button.
pub const STEP: &str = "Step →";
/// Label of the reset button.
pub const RESET: &str = "Reset (R)";

/// What the UI holds of the current runs: the one history per run, built from frames.
pub type Live = Record;

/// Headless capture: after the runs finish, save a screenshot or measure frame times, then close.
#[derive(Clone, Debug, Default)]
pub struct Capture {
    /// Where to save a PNG of the window.
    pub screenshot: Option<PathBuf>,
    /// How many frames to time.
    pub frame_stats: Option<usize>,
}

/// Capture progress.
#[derive(Default)]
struct CaptureState {
    settle: u32,
    requested: bool,
    saved: Arc<Mutex<Option<Result<(), String>>>>,
    frame_ms: Vec<f32>,
    body_ms: Vec<f32>,
}

/// The application.
pub struct App {
    controls: Controls,
    plots: Plots,
    live: Live,
    backend: Backend,
    next_run: u64,
    capture: Option<(Capture, CaptureState)>,
    menus: Menus,
    sweep: SweepPanel,
    /// Set when a headless capture finished; the value is the process outcome.
    pub outcome: Arc<Mutex<Option<Result<String, String>>>>,
}

impl App {
    /// The app with a background simulation thread that repaints `ctx`.
    pub fn new(ctx: &egui::Context, settings: &Settings) -> App {
        install_fonts(ctx);
        App::with_backend(settings, Backend::Thread(Worker::spawn(ctx.clone())))
    }

    /// The app stepping on the UI thread, `steps_per_frame` steps a frame (for tests).
    pub fn inline(settings: &Settings, steps_per_frame: u64) -> App {
        let driver = Driver::new(Pace::INLINE, steps_per_frame);
        let mut app = App::with_backend(settings, Backend::Inline(Box::new(driver)));
        app.controls.speed = steps_per_frame;
        app.send(Command::Speed(steps_per_frame));
        app
    }

    fn with_backend(settings: &Settings, backend: Backend) -> App {
        let mut app = App {
            controls: Controls::new(settings),
            plots: Plots::default(),
            live: Live::default(),
            backend,
            next_run: 0,
            capture: None,
            menus: Menus::default(),
            sweep: SweepPanel::default(),
            outcome: Arc::new(Mutex::new(None)),
        };
        app.live.playing = true;
        app.send(Command::Speed(app.controls.steps_per_frame()));
        app.restart();
        app
    }

    /// Runs flat out, then saves a screenshot or times frames and closes the window.
    pub fn with_capture(mut self, capture: Capture) -> App {
        self.controls.flat_out = true;
        self.send(Command::Speed(u64::MAX));
        self.plots.hover = capture.screenshot.is_none();
        self.capture = Some((capture, CaptureState::default()));
        self
    }

    /// The side-panel state.
    pub fn controls(&self) -> &Controls {
        &self.controls
    }

    /// The side-panel state, to change before the first frame.
    pub fn controls_mut(&mut self) -> &mut Controls {
        &mut self.controls
    }

    /// What the UI holds of the current run.
    pub fn live(&self) -> &Live {
        &self.live
    }

    fn send(&mut self, command: Command) {
        if let Err(msg) = self.backend.send(command) {
            self.live.error = Some(msg);
        }
    }

    /// Restarts the runs from the controls.
    pub fn restart(&mut self) {
        self.next_run += 1;
        self.live.reset(self.next_run);
        self.send(Command::Restart {
            run: self.next_run,
            scene: self.controls.settings.clone(),
            methods: self.controls.methods,
        });
    }

    /// Plays or pauses.
    pub fn toggle_play(&mut self) {
        let play = !self.live.playing;
        self.live.playing = play;
        self.send(if play { Command::Play } else { Command::Pause });
    }

    /// Pauses and advances every method by one step.
    pub fn single_step(&mut self) {
        if self.live.playing {
            self.toggle_play();
        }
        self.send(Command::Step(1));
    }

    /// Takes in whatever the simulation produced.
    fn pump(&mut self, ctx: &egui::Context) {
        match self.backend.frames(ctx) {
            Ok(frames) => frames.into_iter().for_each(|f| self.live.apply(f)),
            Err(msg) => self.live.error = Some(msg),
        }
    }

    /// The whole window's contents (the test harness drives exactly this).
    pub fn ui_body(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        install_fonts(&ctx);
        self.pump(&ctx);
        self.shortcuts(&ctx);
        let smooth = self.controls.smooth;
        if ctx.tessellation_options(|o| o.feathering) != smooth {
            ctx.tessellation_options_mut(|o| o.feathering = smooth);
        }
        egui::Panel::top("menu-bar").show(ui, |ui| self.menu_bar(ui));
        egui::Panel::top("run-bar").show(ui, |ui| self.run_bar(ui));
        self.windows(&ctx);
        if self.menus.presentation {
            egui::CentralPanel::default().show(ui, |ui| self.plots.ui(ui, &self.live));
            self.export_requested();
            return;
        }
        egui::Panel::left("controls")
            .resizable(false)
            .exact_size(290.0)
            .show(ui, |ui| {
                egui::ScrollArea::vertical().show(ui, |ui| {
                    let info = self.live.info.clone();
                    let changes = self.controls.ui(ui, info.as_deref());
                    if changes.speed {
                        self.send(Command::Speed(self.controls.steps_per_frame()));
                    }
                    if changes.restart {
                        self.restart();
                    }
                    ui.separator();
                    self.numbers(ui);
                });
            });
        egui::CentralPanel::default().show(ui, |ui| {
            self.plots.ui(ui, &self.live);
        });
        self.export_requested();
    }

    fn run_bar(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            let label = if self.live.playing { PAUSE } else { PLAY };
            if ui.button(label).on_hover_text("Space").clicked() {
                self.toggle_play();
            }
            if ui
                .button(STEP)
                .on_hover_text("→: one step of each method")
                .clicked()
            {
                self.single_step();
            }
            if ui
                .button(RESET)
                .on_hover_text("R: restart on the same data")
                .clicked()
            {
                self.restart();
            }
            ui.separator();
            if self.menus.presentation {
                ui.label(
                    egui::RichText::new("● PRESENTATION (F5 to leave)")
                        .strong()
                        .color(egui::Color32::from_rgb(200, 30, 30)),
                );
                ui.separator();
            }
            ui.label(self.status_line());
        });
        if self.menus.presentation
            && let Some((title, caption)) = &self.controls.preset
        {
            ui.label(egui::RichText::new(format!("{title} — {caption}")).strong());
        }
        let diverged: Vec<String> = self
            .live
            .status
            .iter()
            .filter_map(|s| {
                s.diverged_at
                    .map(|k| format!("{} diverged at step {k}", s.kind.label()))
            })
            .collect();
        if !diverged.is_empty() {
            ui.colored_label(
                ui.visuals().error_fg_color,
                format!(
                    "⚠ {} — γ is above the stability limit; lower γ",
                    diverged.join(", ")
                ),
            );
        }
        if let Some(e) = &self.live.error {
            ui.colored_label(ui.visuals().error_fg_color, format!("⚠ {e}"));
        }
    }

    /// `step k · t · per method loss and error`.
    pub fn status_line(&self) -> String {
        let mut parts = vec![format!(
            "{} · step {}",
            if self.live.finished() {
                "finished"
            } else if self.live.playing {
                "running"
            } else {
                "paused"
            },
            self.live.min_step()
        )];
        if let Some(info) = &self.live.info {
            // The earliest time any method has reached (SGF and GF advance by h, not γ).
            let t = (self.live.status.iter())
                .filter_map(|s| self.live.latest(s.kind))
                .map(|p| p.sample.time)
                .fold(f64::INFINITY, f64::min);
            let t = if t.is_finite() { t } else { 0.0 };
            parts.push(format!("t = {t:.3e}   γ = {:.3e}", info.gamma));
        }
        for s in &self.live.status {
            let Some(p) = self.live.latest(s.kind) else {
                continue;
            };
            let state = match (s.diverged_at, s.stop) {
                (Some(k), _) => format!(" diverged at step {k}"),
                (None, Some(Stop::Converged)) => " converged".into(),
                _ => String::new(),
            };
            parts.push(format!(
                "{}: L = {:.2e}, err = {:.2e}{state}",
                s.kind.label(),
                p.sample.loss,
                p.sample.recovery_error
            ));
        }
        parts.join("   ")
    }

    /// The numbers that make the theorem visible.
    fn numbers(&self, ui: &mut egui::Ui) {
        ui.heading("Numbers");
        egui::Grid::new("numbers")
            .striped(true)
            .num_columns(5)
            .show(ui, |ui| {
                for h in ["", "α_T/α", "P21", "→ limit", "‖β−β*‖²"] {
                    ui.strong(h);
                }
                ui.end_row();
                for s in &self.live.status {
                    ui.colored_label(plots::color(s.kind), s.kind.label());
                    if let Some(p) = self.live.latest(s.kind) {
                        ui.label(crate::figure::num(p.sample.alpha_ratio));
                        ui.label(crate::figure::num(p.sample.alpha_ratio_p21));
                        let gap = self
                            .live
                            .predictions
                            .iter()
                            .find(|(k, _)| *k == s.kind)
                            .map_or("–".into(), |(_, g)| format!("{:.1e}", g.gap));
                        ui.label(gap);
                        ui.label(format!("{:.2e}", p.sample.recovery_error));
                    }
                    ui.end_row();
                }
            });
        ui.small("→ limit: relative distance from β_T to argmin_{Xβ=y} D_ψ(ρ_T), where the run ends if α_T stops shrinking");
        if let Some([l1, l2, gf]) = self.live.info.as_ref().and_then(|i| i.reference_errors) {
            ui.label(format!(
                "‖β−β*‖² of ℓ1: {l1:.1e}   ℓ2: {l2:.1e}   GF: {gf:.1e}"
            ));
        }
    }

    /// Headless capture: `cpu` is eframe's CPU time of the last frame, `body` this `ui_body`'s.
    fn capture_step(&mut self, ctx: &egui::Context, cpu: Option<f32>, body: f32) {
        let finished = self.live.finished() || self.live.error.is_some();
        let Some((capture, state)) = &mut self.capture else {
            return;
        };
        ctx.request_repaint();
        if !finished {
            return;
        }
        state.settle += 1;
        if state.settle < 5 {
            return;
        }
        if let Some(n) = capture.frame_stats {
            if let Some(ms) = cpu {
                state.frame_ms.push(ms * 1000.0);
                state.body_ms.push(body);
            }
            if state.frame_ms.len() >= n {
                let smooth = self.controls.smooth;
                let json = frame_stats_json(&state.frame_ms, &state.body_ms, smooth);
                self.finish(ctx, Ok(json));
            }
            return;
        }
        let Some(path) = capture.screenshot.clone() else {
            self.finish(ctx, Ok(String::new()));
            return;
        };
        if !state.requested {
            state.requested = true;
            let saved = state.saved.clone();
            ctx.request_screenshot(move |img: Arc<egui::ColorImage>| {
                let result = save_png(&img, &path);
                if let Ok(mut slot) = saved.lock() {
                    *slot = Some(result);
                }
            });
            return;
        }
        let done = state.saved.lock().ok().and_then(|mut s| s.take());
        if let Some(result) = done {
            self.finish(ctx, result.map(|()| String::new()));
        }
    }

    fn finish(&mut self, ctx: &egui::Context, result: Result<String, String>) {
        if let Ok(mut slot) = self.outcome.lock() {
            *slot = Some(result);
        }
        self.capture = None;
        ctx.send_viewport_cmd(egui::ViewportCommand::Close);
    }
}

impl eframe::App for App {
    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        self.save_state(storage);
    }

    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        let cpu = frame.info().cpu_usage;
        let start = std::time::Instant::now();
        self.ui_body(ui);
        let body = start.elapsed().as_secs_f32() * 1000.0;
        let ctx = ui.ctx().clone();
        self.capture_step(&ctx, cpu, body);
    }
}

/// Adds DejaVu Sans (once per context) as the lowest-priority fallback so ∇ → ⟨⟩ render.
pub fn install_fonts(ctx: &egui::Context) {
    let done = egui::Id::unique("dln-fallback-font");
    if ctx.data(|d| d.get_temp::<bool>(done).unwrap_or(false)) {
        return;
    }
    ctx.data_mut(|d| d.insert_temp(done, true));
    let data = egui::FontData::from_static(include_bytes!("../../assets/fonts/DejaVuSans.ttf"));
    ctx.add_font(egui::epaint::text::FontInsert::new(
        "DejaVuSans",
        data,
        vec![
            egui::epaint::text::InsertFontFamily {
                family: egui::FontFamily::Proportional,
                priority: egui::epaint::text::FontPriority::Lowest,
            },
            egui::epaint::text::InsertFontFamily {
                family: egui::FontFamily::Monospace,
                priority: egui::epaint::text::FontPriority::Lowest,
            },
        ],
    ));
}

/// The `q`-quantile of frame times in ms (interpolated, as the sweep's; NaN when empty).
fn quantile(ms: &[f32], q: f64) -> f64 {
    let mut values: Vec<f64> = ms.iter().map(|&v| f64::from(v)).collect();
    crate::experiment::sweep::quantile(&mut values, q)
}

/// `{frames, ui_ms_p50, ui_ms_p95, rss_mb}` from eframe's per-frame CPU time (UI pass plus
/// tessellation and painting), plus the same quantiles of the app's own UI code alone.
fn frame_stats_json(frame_ms: &[f32], body_ms: &[f32], smooth: bool) -> String {
    serde_json::json!({
        "smooth_lines": smooth,
        "frames": frame_ms.len(),
        "ui_ms_p50": quantile(frame_ms, 0.5),
        "ui_ms_p95": quantile(frame_ms, 0.95),
        "app_ms_p50": quantile(body_ms, 0.5),
        "app_ms_p95": quantile(body_ms, 0.95),
        "rss_mb": rss_mb(),
    })
    .to_string()
}

/// Resident memory in MB from /proc/self/status (None where unavailable).
pub fn rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Writes an egui image as PNG.
pub fn save_png(img: &egui::ColorImage, path: &std::path::Path) -> Result<(), String> {
    let [w, h] = img.size;
    let bytes: Vec<u8> = img.pixels.iter().flat_map(|c| c.to_array()).collect();
    let buffer = image::RgbaImage::from_raw(w as u32, h as u32, bytes)
        .ok_or_else(|| "screenshot has an inconsistent size".to_string())?;
    buffer
        .save(path)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}
