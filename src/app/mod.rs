//! The egui front end: renders snapshots of the paired runs and sends commands; owns no maths.

pub mod animation;
pub mod capture;
pub mod colour_bar;
pub mod commands;
pub mod controls;
pub mod coverage;
pub mod data_controls;
pub mod data_files;
pub mod dispatch;
pub mod export;
pub mod file_dialog;
pub mod fonts;
pub mod gamma_max;
pub mod ghost;
pub mod heat_cells;
pub mod help;
pub mod job;
pub mod key_controls;
pub mod launch;
pub mod legend_strip;
pub mod lesson;
pub mod menu_bar;
pub mod numbers;
pub mod page;
pub mod persist;
pub mod plot_axes;
pub mod plot_view;
pub mod plots;
pub mod run_bar;
pub mod scene_file;
pub mod series_items;
pub mod simplify;
pub mod sweep_controls;
pub mod sweep_job;
pub mod sweep_panel;
pub mod timeline;
pub mod windows;
pub mod worker;

pub use fonts::install_fonts;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use eframe::egui;

use crate::experiment::{Command, Driver, Pace, Record};
use crate::model::Settings;
pub use capture::Capture;
use capture::CaptureState;
use controls::Controls;
use dispatch::Request;
use job::Job;
use menu_bar::Menus;
use plots::Plots;
use run_bar::RunBar;
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

/// Where a headless capture leaves the process outcome (the text to print, or the error).
pub type Outcome = Arc<Mutex<Option<Result<String, String>>>>;

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
    /// File writes in flight.
    writes: Vec<Job<Result<Vec<PathBuf>, String>>>,
    /// Export → Animation…: its choices and the render in flight.
    animation: animation::AnimationExport,
    /// The bisection for the running methods' γ_max.
    gamma_max: Option<gamma_max::ForScene>,
    /// A screenshot of the window asked for by Export, once it arrives.
    window_shot: Arc<Mutex<Option<Arc<egui::ColorImage>>>>,
    dropped: data_files::DroppedBytes,
    /// Set when a headless capture finished; the value is the process outcome.
    pub outcome: Outcome,
    /// The lesson open, if any.
    lesson: Option<lesson::OpenLesson>,
    /// A data file being read.
    loading: Option<data_files::Loading>,
    /// The reveal of the runs and its scrubber.
    timeline: timeline::Timeline,
    /// What the web page was told.
    page: page::Page,
}

impl App {
    /// The app with its simulation apart from the frames (a thread, or the page's tasks),
    /// repainting `ctx`.
    pub fn new(ctx: &egui::Context, settings: &Settings) -> App {
        install_fonts(ctx);
        let backend = Backend::Worker(Worker::spawn(ctx.clone()));
        let mut app = App::with_backend(settings, backend);
        app.timeline = timeline::Timeline::new(timeline::DEFAULT_SECONDS);
        app
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
            writes: Vec::new(),
            animation: animation::AnimationExport::default(),
            gamma_max: None,
            window_shot: Arc::new(Mutex::new(None)),
            dropped: Arc::new(Mutex::new(None)),
            outcome: Arc::new(Mutex::new(None)),
            lesson: None,
            loading: None,
            // Tests step frames without a clock: no reveal unless they ask for one.
            timeline: timeline::Timeline::new(0.0),
            page: page::Page::default(),
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
        self.timeline = timeline::Timeline::new(0.0);
        self.capture = Some((capture, CaptureState::default()));
        self
    }

    /// The reveal of the runs.
    pub fn timeline(&self) -> &timeline::Timeline {
        &self.timeline
    }

    /// The plot panel.
    pub fn plots(&self) -> &Plots {
        &self.plots
    }

    /// The plot panel, to change.
    pub fn plots_mut(&mut self) -> &mut Plots {
        &mut self.plots
    }

    /// The reveal of the runs, to change.
    pub fn timeline_mut(&mut self) -> &mut timeline::Timeline {
        &mut self.timeline
    }

    /// The runs as far as the timeline reveals them (all of them once the reveal is over).
    pub fn shown(&self) -> std::borrow::Cow<'_, Live> {
        self.timeline.part(&self.live)
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
        // The ghost is the last finished runs: dragging a slider restarts every frame, and the
        // runs it interrupts are not what the change is compared with.
        let before = match self.live.finished() {
            true => Some(self.live.clone()),
            false => self.plots.ghost.take().map(|g| g.live),
        };
        self.plots.ghost = before.and_then(|old| ghost::Ghost::after(old, &self.controls.settings));
        self.live.reset(self.next_run);
        let mut scene = self.controls.settings.clone();
        if let Some(note) = data_files::fixed_gamma(&mut scene) {
            self.menus.say(note);
        }
        self.send(Command::Restart {
            run: self.next_run,
            scene: Box::new(scene),
            methods: self.controls.methods,
        });
    }

    /// Plays or pauses: the reveal when there is one, else the simulation.
    pub fn toggle_play(&mut self) {
        if self.timeline.seconds > 0.0 {
            self.timeline.toggle();
            return;
        }
        let play = !self.live.playing;
        self.live.playing = play;
        self.send(if play { Command::Play } else { Command::Pause });
    }

    /// Pauses and shows the next recorded step of the reveal, or (once it is over) advances
    /// every method by one step.
    pub fn single_step(&mut self) {
        if self.timeline.step(&self.live) {
            return;
        }
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

    /// `state · step k · t · γ · per method loss and error`, as the run bar shows it.
    pub fn status_line(&self) -> String {
        run_bar::status_line(&self.live)
    }

    /// The whole window's contents (the test harness drives exactly this): lays out the panels
    /// and hands what they ask for to the dispatcher.
    pub fn ui_body(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        install_fonts(&ctx);
        self.pump(&ctx);
        self.poll_writes(&ctx);
        self.poll_loading(&ctx);
        self.refresh_gamma_max(&ctx);
        self.shortcuts(&ctx);
        self.open_dropped(&ctx);
        if !self.menus.presentation {
            self.menus.user_zoom = ctx.zoom_factor();
        }
        let smooth = self.controls.smooth;
        if ctx.tessellation_options(|o| o.feathering) != smooth {
            ctx.tessellation_options_mut(|o| o.feathering = smooth);
        }
        let mut requests = egui::Panel::top("menu-bar")
            .show(ui, |ui| {
                let loading = self.loading.is_some();
                self.menus.ui(ui, loading)
            })
            .inner;
        self.timeline.log = self.plots.options.log_x;
        self.timeline.advance(ctx.input(|i| i.time), &self.live);
        if self.timeline.playing {
            ctx.request_repaint();
        }
        // The part of the runs a reveal shows (copied once a frame), else the runs themselves.
        let revealed = match self.timeline.part(&self.live) {
            std::borrow::Cow::Owned(part) => Some(part),
            std::borrow::Cow::Borrowed(_) => None,
        };
        let presentation = self.menus.presentation;
        // A lesson's narration strip takes the caption's place.
        let caption = self.controls.caption().filter(|_| self.lesson.is_none());
        let timeline = &mut self.timeline;
        let live = &self.live;
        let clicked = egui::Panel::top("run-bar")
            .show(ui, |ui| {
                let bar = RunBar {
                    live: revealed.as_ref().unwrap_or(live),
                    presentation,
                    revealing: timeline.playing && timeline.at < 1.0,
                    caption,
                };
                let clicked = bar.ui(ui);
                if timeline.seconds > 0.0 && !presentation {
                    ui.horizontal(|ui| timeline.scrubber(ui, live));
                }
                clicked
            })
            .inner;
        requests.extend(clicked.into_iter().map(Request::Command));
        if presentation {
            // At projector size the side panel is hidden; what a caption or lesson may ask for
            // stays at hand, the timeline on a row of its own.
            let info = self.live.info.clone();
            let (controls, timeline, live) = (&mut self.controls, &mut self.timeline, &self.live);
            let changes = egui::Panel::top("presentation-controls")
                .show(ui, |ui| {
                    key_controls::strip(ui, controls, info.as_deref(), |ui| {
                        if timeline.seconds > 0.0 {
                            ui.end_row();
                            timeline.scrubber(ui, live);
                        }
                    })
                })
                .inner;
            if changes.restart {
                self.restart();
            }
        }
        requests.extend(self.lesson_strip(ui));
        requests.extend(self.windows(&ctx, ui.available_rect_before_wrap()));
        self.animation_ui(&ctx);
        if !self.menus.presentation {
            egui::Panel::left("controls")
                .resizable(false)
                .exact_size(290.0)
                .show(ui, |ui| {
                    egui::ScrollArea::vertical().show(ui, |ui| {
                        let info = self.live.info.clone();
                        let tau = crate::figure::scene::XAxis::Tau;
                        self.controls.small_alpha = self.plots.options.x_axis == tau;
                        let changes = self.controls.ui(ui, info.as_deref());
                        if changes.speed {
                            self.send(Command::Speed(self.controls.steps_per_frame()));
                        }
                        if changes.restart {
                            self.restart();
                        }
                        ui.separator();
                        numbers::ui(ui, &self.shown());
                    });
                });
        }
        let export = egui::CentralPanel::default()
            .show(ui, |ui| {
                let shown = revealed.as_ref().unwrap_or(&self.live);
                let whole = (shown.version == self.live.version && self.timeline.at < 1.0)
                    .then_some(&self.live);
                self.plots.ui(ui, shown, whole)
            })
            .inner;
        requests.extend(export.map(|(kind, format)| Request::ExportPlot(kind, format)));
        for r in requests {
            self.handle(&ctx, r);
        }
    }
}

impl eframe::App for App {
    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        self.save_state(storage);
    }

    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        crate::platform::frame_started();
        let cpu = frame.info().cpu_usage;
        let start = crate::platform::Instant::now();
        self.ui_body(ui);
        let body = start.elapsed().as_secs_f32() * 1000.0;
        let ctx = ui.ctx().clone();
        self.sync_page(&ctx, body, cpu.map_or(f32::NAN, |s| s * 1000.0));
        self.capture_step(&ctx, cpu, body);
    }
}
