//! Opening a data file (File → Open data…, or dropping a file on the window) and exporting
//! the current data as `.npz`. A bad file leaves the scene as it was and says why.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use eframe::egui;

use super::App;
use super::export::Export;
use crate::model::StepSize;

/// γ used when a data file with d ≤ n or dependent rows is opened under the stable rule.
const FIXED_GAMMA: f64 = 0.01;

impl App {
    /// Loads a data file and restarts on it, keeping α, γ, b and the methods.
    pub fn open_data(&mut self, path: &Path) {
        let data = match crate::data::load(path) {
            Ok(data) => data,
            Err(e) => return self.menus.say(format!("⚠ {e}")),
        };
        let mut config = self.controls.config();
        config.data = Some(path.display().to_string());
        let mut note = String::new();
        if !data.overparametrised()
            && matches!(self.controls.settings.step_size, StepSize::Stable(_))
        {
            (config.gamma, config.gamma_rule) = (Some(FIXED_GAMMA), None);
            let why = match data.d() > data.n() {
                true => format!("X has rank {} < n = {}", data.rank, data.n()),
                false => format!("d = {} ≤ n = {}", data.d(), data.n()),
            };
            note = format!("; {why}: no implicit-bias predictions, γ fixed at {FIXED_GAMMA}");
        }
        match config.validate_with(Some(Arc::new(data))) {
            Ok(settings) => {
                self.controls.load(&settings);
                self.restart();
                self.menus.say(format!("opened {}{note}", path.display()));
            }
            Err(e) => self.menus.say(format!("⚠ {}: {e}", path.display())),
        }
    }

    /// Opens a file dropped on the window (the last one, if several).
    pub(super) fn open_dropped(&mut self, ctx: &egui::Context) {
        let dropped = ctx.input(|i| i.raw.dropped_files.clone());
        let last = (dropped.iter())
            .map(|f| f.path().to_path_buf())
            .rfind(|p| !p.as_os_str().is_empty());
        if let Some(path) = last {
            self.open_data(&path);
        }
    }

    /// Writes the current data (X, y, β*, the test set) as `dln-data.npz` in the export folder.
    pub(super) fn export_data(&mut self, ctx: &egui::Context) {
        let spec = self.controls.settings.problem.clone();
        let dir = PathBuf::from(&self.menus.export_dir);
        self.export(ctx, Export::data(&dir, spec));
    }
}
