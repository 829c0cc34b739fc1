//! What the app keeps between launches (the window geometry is kept by eframe itself).

use eframe::egui;
use serde::{Deserialize, Serialize};

use super::App;
use crate::model::Config;
use crate::presets::Preset;

/// Key of the persisted state in eframe's storage.
const STORAGE_KEY: &str = "dln-explorer";

/// The state kept between launches.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Persisted {
    /// Presentation mode on.
    pub presentation: bool,
    /// The last scene.
    pub config: Config,
    /// The scene last loaded, which the caption compares the scene with.
    pub preset: Option<Preset>,
}

impl App {
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
        if scene && let Ok(settings) = crate::data::settings(&p.config) {
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
