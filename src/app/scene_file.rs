//! The open scene as a scene file and as a link: saving it, loading one, copying its link.

use std::path::PathBuf;

use super::App;
use super::dispatch::set_axis;
use crate::figure::scene::XAxis;
use crate::presets::{Preset, SceneAxis};

impl App {
    /// The current scene as a scene file.
    pub(super) fn scenario(&self) -> Preset {
        let (name, title, caption) = self.controls.preset.as_ref().map_or_else(
            || {
                (
                    "scene".into(),
                    "My scene".into(),
                    "Saved from dln-explorer.".into(),
                )
            },
            |p| (p.name.clone(), p.title.clone(), p.caption.clone()),
        );
        Preset {
            name,
            title,
            caption,
            config: self.controls.config(),
            // The app's own choice stays unwritten (links stay short).
            methods: match self
                .controls
                .preset
                .as_ref()
                .and_then(|p| p.methods.as_ref())
            {
                None if self.controls.methods == crate::experiment::MethodSet::default() => None,
                _ => Some(self.controls.methods.iter().collect()),
            },
            x_axis: (self.plots.options.x_axis == XAxis::Tau).then_some(SceneAxis::Tau),
        }
    }

    /// The fragment of the open lesson's step if the scene is still that step's, else of the
    /// scene.
    pub fn link(&self) -> String {
        let shipped = |name: &str| crate::lessons::names().any(|n| n == name);
        match &self.lesson {
            Some(open)
                if shipped(&open.lesson.name)
                    && open.step().scene.config == self.controls.config() =>
            {
                crate::link::encode_lesson(&open.lesson.name, open.at + 1)
            }
            _ => {
                let mut scene = self.scenario();
                // The app's own choice of methods stays unwritten: links stay short.
                let unnamed = self
                    .controls
                    .preset
                    .as_ref()
                    .is_none_or(|p| p.methods.is_none());
                if unnamed && self.controls.methods == crate::experiment::MethodSet::default() {
                    scene.methods = None;
                }
                crate::link::encode_scene(&scene)
            }
        }
    }

    pub(super) fn save_scenario(&self) {
        let path = PathBuf::from(&self.menus.scenario_path);
        let text = self.scenario().to_toml();
        let replaced = match path.exists() {
            true => " (replaced the file there)",
            false => "",
        };
        self.menus
            .say(match crate::platform::save(&path, text.as_bytes()) {
                Ok(()) => format!("{} {}{replaced}", crate::platform::SAVED, path.display()),
                Err(e) => format!("⚠ {e}"),
            });
    }

    /// Loads a scene (a preset or a file) and restarts.
    pub fn load_preset(&mut self, p: Preset) {
        let name = p.name.clone();
        if let Some(axis) = p.x_axis {
            set_axis(&mut self.plots.options, axis);
        }
        match self.controls.load_preset(p) {
            Ok(()) => self.restart(),
            Err(e) => self.menus.say(format!("⚠ {name}: {e}")),
        }
    }
}
