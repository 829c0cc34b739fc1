//! Lesson files (`gui --lesson FILE`, the app's Lesson menu) on arbitrary text: the parser checks
//! every step's scene, methods and sweep; each accepted step's scene and sweep are checked again
//! as the app does when it shows the step.
#![no_main]

#[path = "common.rs"]
mod common;

use dln_explorer::lessons;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let lesson = match lessons::parse("fuzz", text) {
        Ok(l) => l,
        Err(e) => {
            common::note(format!("refused: {e}"));
            return;
        }
    };
    for step in &lesson.steps {
        let _ = step.scene.caption_for(&step.scene.config);
        let _ = step.scene.to_toml();
        if let Err(e) = step.scene.config.validate() {
            panic!("an accepted step's scene does not validate: {e}");
        }
        if let Some(sweep) = &step.sweep {
            let spec = sweep
                .spec(&step.scene.config)
                .unwrap_or_else(|e| panic!("an accepted step's sweep does not validate: {e}"));
            let _ = spec.gammas.points();
        }
    }
    common::note(format!("accepted: {} steps", lesson.steps.len()));
});
