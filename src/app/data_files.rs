//! Opening a data file (File → Open data…, or dropping a file on the window) and exporting
//! the current data as `.npz`. A file is read on its own thread and can be abandoned; a bad
//! file leaves the scene as it was and says why.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use eframe::egui;

use super::App;
use super::export::Export;
use super::job::Job;
use crate::data::DataError;
use crate::model::{DataSet, Settings, StepSize};

/// γ used when the stable rule cannot be evaluated (d ≤ n, or dependent rows).
const FIXED_GAMMA: f64 = 0.01;

/// Replaces a stable step-size rule that `settings` cannot evaluate — generated data with
/// n ≥ d, or a data file with d ≤ n or dependent rows — by the fixed γ [`FIXED_GAMMA`], and
/// says why; `None` when the rule stands.
pub(super) fn fixed_gamma(settings: &mut Settings) -> Option<String> {
    if !matches!(settings.step_size, StepSize::Stable(_)) {
        return None;
    }
    let p = &settings.problem;
    let why = match &p.source.data {
        Some(data) if data.overparametrised() => return None,
        Some(data) if data.d() > data.n() => format!("X has rank {} < n = {}", data.rank, data.n()),
        Some(data) => format!("d = {} ≤ n = {}", data.d(), data.n()),
        None if p.d > p.n => return None,
        None => format!("n = {} ≥ d = {}", p.n, p.d),
    };
    settings.step_size = StepSize::Fixed(FIXED_GAMMA);
    Some(format!(
        "{why}: no stability limit or implicit-bias predictions, γ fixed at {FIXED_GAMMA}"
    ))
}

/// A data file being read on its own thread (the window stays responsive on a large file).
pub struct Loading {
    path: PathBuf,
    job: Job<Result<DataSet, DataError>>,
}

/// A file dropped on the web page, once the browser has read it: its name and bytes.
pub type DroppedBytes = std::sync::Arc<std::sync::Mutex<Option<(String, Result<Vec<u8>, String>)>>>;

impl App {
    /// Starts reading a data file; once read, the runs restart on it (see [`App::poll_loading`]).
    pub fn open_data(&mut self, ctx: &egui::Context, path: &Path) {
        let owned = path.to_path_buf();
        match Job::spawn(ctx, "load data", 1, move |_| crate::data::load(&owned)) {
            Ok(job) => {
                self.menus.say(format!("loading {}…", path.display()));
                self.loading = Some(Loading {
                    path: path.to_path_buf(),
                    job,
                });
            }
            Err(e) => self.menus.say(format!("⚠ {e}")),
        }
    }

    /// Whether a data file is being read.
    pub fn is_loading(&self) -> bool {
        self.loading.is_some()
    }

    /// Stops waiting for the data file being read; the scene stays as it was.
    pub fn cancel_loading(&mut self) {
        if let Some(l) = self.loading.take() {
            self.menus
                .say(format!("stopped loading {}", l.path.display()));
        }
    }

    /// Uses the data file once its thread has read it (or says why it could not).
    pub(super) fn poll_loading(&mut self, ctx: &egui::Context) {
        let Some(result) = self.loading.as_ref().and_then(|l| l.job.poll(ctx)) else {
            return;
        };
        let Some(Loading { path, .. }) = self.loading.take() else {
            return;
        };
        match result {
            Ok(Ok(data)) => self.use_data(&path, data),
            Ok(Err(e)) => self.menus.say(format!("⚠ {e}")),
            Err(e) => self.menus.say(format!("⚠ {}: {e}", path.display())),
        }
    }

    /// Restarts on loaded data, keeping α, γ, b and the methods.
    fn use_data(&mut self, path: &Path, data: DataSet) {
        let mut config = self.controls.config();
        config.data = Some(path.display().to_string());
        match config.validate_with(Some(Arc::new(data))) {
            Ok(settings) => {
                let note = fixed_gamma(&mut settings.clone()).map(|n| format!("; {n}"));
                self.controls.load(&settings);
                self.restart();
                let note = note.unwrap_or_default();
                self.menus.say(format!("opened {}{note}", path.display()));
            }
            Err(e) => self.menus.say(format!("⚠ {}: {e}", path.display())),
        }
    }

    /// Opens a file dropped on the window (the last one, if several).
    pub(super) fn open_dropped(&mut self, ctx: &egui::Context) {
        let read = self.dropped.lock().map(|mut d| d.take()).ok().flatten();
        if let Some((name, bytes)) = read {
            match bytes {
                Ok(bytes) => self.open_bytes(ctx, &name, &bytes),
                Err(e) => self.menus.say(format!("⚠ {name}: {e}")),
            }
        }
        let dropped = ctx.input(|i| i.raw.dropped_files.clone());
        let Some(file) = dropped.last() else {
            return;
        };
        let path = file.path().to_path_buf();
        if path.is_absolute() {
            return self.open_data(ctx, &path);
        }
        // The web page hands over a dropped file's name and, later, its bytes.
        let (slot, ctx) = (self.dropped.clone(), ctx.clone());
        let name = path.display().to_string();
        crate::platform::read_dropped(file.clone(), move |bytes| {
            if let Ok(mut slot) = slot.lock() {
                *slot = Some((name, bytes));
            }
            ctx.request_repaint();
        });
    }

    /// Opens a dropped file's bytes by its name: a scene or lesson (.toml), or data.
    fn open_bytes(&mut self, ctx: &egui::Context, name: &str, bytes: &[u8]) {
        let path = PathBuf::from(name);
        if !name.to_ascii_lowercase().ends_with(".toml") {
            match crate::data::from_bytes(&path, bytes) {
                Ok(data) => self.use_data(&path, data),
                Err(e) => self.menus.say(format!("⚠ {e}")),
            }
            return;
        }
        let text = String::from_utf8_lossy(bytes);
        let stem = name.trim_end_matches(".toml");
        match crate::presets::parse(stem, &text) {
            Ok(scene) => self.load_preset(scene),
            Err(scene_error) => match crate::lessons::parse(stem, &text) {
                Ok(lesson) => self.open_lesson(ctx, lesson, 0),
                Err(_) => self.menus.say(format!("⚠ {name}: {scene_error}")),
            },
        }
    }

    /// Writes the current data (X, y, β*, the test set) as `dln-data.npz` in the export folder.
    pub(super) fn export_data(&mut self, ctx: &egui::Context) {
        let spec = self.controls.settings.problem.clone();
        let dir = PathBuf::from(&self.menus.export_dir);
        self.export(ctx, Export::data(&dir, spec));
    }
}
