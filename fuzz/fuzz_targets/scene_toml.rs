//! Scene files (`--preset FILE.toml`, `--config FILE`, the app's *Scene → Open*) on arbitrary
//! text: the scene parser, the plain settings parser and the overlay on the defaults; a valid
//! scene is saved and reloaded (the app's *Save scene*, which must read back to the same scene),
//! and, when small, trained a few steps with its methods and drawn.
#![no_main]

#[path = "common.rs"]
mod common;

use dln_explorer::experiment::MethodSet;
use dln_explorer::model::Config;
use dln_explorer::presets;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return; // the files are read as UTF-8 text; anything else is refused first
    };
    // `--config FILE`: a scene file or a plain table of settings, over the defaults.
    if let Ok(config) = presets::parse_config(text) {
        let _ = config.validate();
    }
    if let Ok(table) = toml::from_str::<toml::Table>(text) {
        let table = match table.get("config") {
            Some(toml::Value::Table(c)) => c.clone(),
            _ => table,
        };
        let _ = presets::overlay(&Config::default(), table);
    }
    // `--preset FILE.toml` and the app's Scene menu.
    let preset = match presets::parse("fuzz", text) {
        Ok(p) => p,
        Err(e) => {
            common::note(format!("refused: {e}"));
            return;
        }
    };
    let _ = preset.caption_for(&Config::default());
    let _ = presets::changes(&Config::default(), &preset.config);
    let settings = match preset.config.validate() {
        Ok(s) => s,
        Err(e) => {
            common::note(format!("invalid settings: {e}"));
            return;
        }
    };
    // Save and reload: a valid scene must read back to itself.
    let saved = preset.to_toml();
    let reloaded = presets::parse("fuzz", &saved)
        .unwrap_or_else(|e| panic!("a saved scene does not load: {e}\n{saved}"));
    assert_eq!(
        reloaded.to_toml(),
        saved,
        "a saved scene reloads to another scene"
    );
    let methods = (preset.methods.clone()).unwrap_or_else(|| MethodSet::default().iter().collect());
    common::train_scene(settings, &methods, &preset.config, common::whole(bytes));
});
