//! What the app keeps between launches (the window geometry is kept by eframe itself).

use eframe::egui;
use serde::{Deserialize, Serialize};

use super::App;
use crate::model::Config;
use crate::presets::Preset;

/// Key of the persisted state in eframe's storage.
const STORAGE_KEY: &str = "dln-explorer";

/// The state kept between launches. Presentation mode is not kept: it is asked for at launch
/// (`--presentation`) or with F5, and its zoom is computed from the window each time.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Persisted {
    /// The user's own zoom outside presentation mode.
    #[serde(default = "unit_zoom")]
    pub zoom: f32,
    /// The last scene.
    pub config: Config,
    /// The scene last loaded, which the caption compares the scene with.
    pub preset: Option<Preset>,
}

impl App {
    /// The state to keep between launches.
    pub fn persisted(&self) -> Persisted {
        Persisted {
            zoom: self.menus.user_zoom,
            config: self.controls.config(),
            preset: self.controls.preset.clone(),
        }
    }

    /// Restores kept state; the scene only if `scene` (no scene was asked for on the command line).
    pub fn restore(&mut self, ctx: &egui::Context, storage: &dyn eframe::Storage, scene: bool) {
        // egui keeps its own zoom between launches, which may be a presentation zoom: the
        // user's zoom kept here replaces it.
        let p = eframe::get_value::<Persisted>(storage, STORAGE_KEY);
        let zoom = p.as_ref().map_or(1.0, |p| p.zoom);
        self.menus.user_zoom = if (0.5..=3.0).contains(&zoom) {
            zoom
        } else {
            1.0
        };
        ctx.set_zoom_factor(self.menus.user_zoom);
        let Some(p) = p else {
            return;
        };
        if scene && let Ok(settings) = crate::data::settings(&p.config) {
            self.controls.load(&settings);
            self.controls.preset = p.preset;
            self.restart();
        }
    }

    /// Saves the state to keep.
    pub fn save_state(&self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, STORAGE_KEY, &self.persisted());
    }
}

fn unit_zoom() -> f32 {
    1.0
}
