//! Assembling the app for a launch: scene, kept state, presentation mode, line smoothing and a
//! headless capture, applied in one order by one builder.

use eframe::egui;

use super::{App, Capture, Outcome};
use crate::model::Settings;
use crate::presets::Preset;

/// How the app starts.
pub struct Launch {
    settings: Settings,
    preset: Option<Preset>,
    presentation: bool,
    smooth: bool,
    capture: Option<Capture>,
    restore_scene: bool,
    window_size: Option<[f32; 2]>,
    outcome: Option<Outcome>,
    lesson: Option<(crate::lessons::Lesson, usize)>,
    notice: Option<String>,
}

impl Launch {
    /// A launch on the scene `settings`.
    pub fn new(settings: &Settings) -> Launch {
        Launch {
            settings: settings.clone(),
            preset: None,
            presentation: false,
            smooth: true,
            capture: None,
            restore_scene: true,
            window_size: None,
            outcome: None,
            lesson: None,
            notice: None,
        }
    }

    /// The launch a page address's fragment asks for: its scene or lesson step, else (a broken
    /// or foreign fragment) the default scene with a notice naming what was wrong.
    pub fn from_link(fragment: &str) -> Launch {
        let default = || {
            let preset = crate::presets::get(crate::presets::DEFAULT).ok();
            let config = preset
                .as_ref()
                .map(|p| p.config.clone())
                .unwrap_or_default();
            let settings = (crate::data::settings(&config))
                .or_else(|_| crate::data::settings(&crate::model::Config::default()))
                .expect("the default settings are valid");
            Launch::new(&settings).preset(preset)
        };
        if fragment.trim_start_matches('#').trim().is_empty() {
            return default();
        }
        match crate::link::open(fragment) {
            Ok((settings, scene, lesson)) => (Launch::new(&settings).preset(Some(scene)))
                .lesson(lesson)
                .restore_scene(false),
            Err(e) => Launch {
                notice: Some(format!("⚠ the default scene, not the link's — {e}")),
                ..default().restore_scene(false)
            },
        }
    }

    /// Open a lesson at a step (from 0); its scene replaces the launch's.
    pub fn lesson(mut self, lesson: Option<(crate::lessons::Lesson, usize)>) -> Launch {
        self.lesson = lesson;
        self
    }

    /// The scene the settings came from (titles exports, origin of the caption).
    pub fn preset(mut self, preset: Option<Preset>) -> Launch {
        self.preset = preset;
        self
    }

    /// Start in presentation mode.
    pub fn presentation(mut self, on: bool) -> Launch {
        self.presentation = on;
        self
    }

    /// Anti-aliased lines.
    pub fn smooth(mut self, on: bool) -> Launch {
        self.smooth = on;
        self
    }

    /// Capture a screenshot or frame timings, then close.
    pub fn capture(mut self, capture: Option<Capture>) -> Launch {
        self.capture = capture;
        self
    }

    /// Whether the scene kept from the last session may replace the launch's (false when the
    /// command line named a scene).
    pub fn restore_scene(mut self, on: bool) -> Launch {
        self.restore_scene = on;
        self
    }

    /// A window size asked for, applied over the geometry kept from the last session.
    pub fn window_size(mut self, size: Option<[f32; 2]>) -> Launch {
        self.window_size = size;
        self
    }

    /// Where a capture leaves the process outcome.
    pub fn outcome(mut self, slot: Outcome) -> Launch {
        self.outcome = Some(slot);
        self
    }

    /// The app with its simulation thread; kept state is restored unless capturing (captures
    /// are reproducible: no zoom or theme carried over).
    pub fn build(self, ctx: &egui::Context, storage: Option<&dyn eframe::Storage>) -> App {
        let mut app = App::new(ctx, &self.settings);
        if let Some(kinds) = self.preset.as_ref().and_then(|p| p.methods.as_deref()) {
            app.controls.methods = crate::experiment::MethodSet::of(kinds);
            app.restart();
        }
        let axis = self.preset.as_ref().and_then(|p| p.x_axis);
        app.controls.preset = self.preset;
        if let Some(storage) = storage
            && self.capture.is_none()
        {
            app.restore(ctx, storage, self.restore_scene);
        }
        if let Some(axis) = axis {
            super::dispatch::set_axis(&mut app.plots.options, axis);
        }
        if self.presentation || self.capture.is_some() {
            app.set_presentation(ctx, self.presentation);
        }
        app.controls.smooth = self.smooth;
        if let Some((lesson, at)) = self.lesson {
            app.open_lesson(ctx, lesson, at);
        }
        if let Some(c) = self.capture {
            app = app.with_capture(c);
        }
        if let Some([w, h]) = self.window_size {
            // Logical pixels: presentation mode's zoom must not enlarge the window. The zoom is
            // the one for this height, else the user's as restored — not the context's, which
            // still holds the zoom egui kept from the last session (a presentation zoom, if it
            // was closed in presentation mode) until the next frame.
            let zoom = match app.presentation() {
                true => super::dispatch::presentation_zoom(h),
                false => app.menus.user_zoom,
            };
            ctx.set_zoom_factor(zoom);
            let size = egui::vec2(w, h) / zoom;
            ctx.send_viewport_cmd(egui::ViewportCommand::InnerSize(size));
        }
        if let Some(notice) = self.notice {
            app.menus.say(notice);
        }
        if let Some(slot) = self.outcome {
            app.outcome = slot;
        }
        app
    }
}
