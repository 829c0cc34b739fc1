//! Legends never sit on the data: for every shipped scene, in normal mode at 1600 × 900 and in
//! presentation mode at 1280 × 720, the points drawn inside each plot's frame under a legend
//! entry are counted — what `gui --screenshot PNG` writes to `PNG.json` — and must be none.

mod common;

use common::{harness, settings};
use dln_explorer::app::App;
use dln_explorer::cli::SimArgs;
use dln_explorer::presets;
use eframe::egui;

#[test]
fn no_data_point_of_any_shipped_scene_lies_under_a_legend() {
    for preset in presets::list() {
        for (size, presentation) in [([1600.0, 900.0], false), ([1280.0, 720.0], true)] {
            let name = format!("{} at {size:?}, presentation {presentation}", preset.name);
            let mut app = App::inline(&settings(SimArgs::default()), 1_000_000);
            app.load_preset(preset.clone());
            // The legends do not depend on how long the runs go: at most 30 000 steps keeps the
            // 24 runs under a minute.
            let steps = &mut app.controls_mut().settings.steps;
            *steps = (*steps).min(30_000);
            app.restart();
            let mut h = harness(app, 0);
            h.set_size(egui::vec2(size[0], size[1]));
            if presentation {
                let ctx = h.ctx.clone();
                h.state_mut().set_presentation(&ctx, true);
            }
            for _ in 0..3000 {
                if h.state().live().finished() {
                    break;
                }
                h.step();
            }
            assert!(h.state().live().finished(), "{name}: the runs end");
            // Measured once the runs are over, as `gui --screenshot` does.
            h.state_mut().plots_mut().measure = true;
            h.run_steps(3);
            let coverage = h.state().plots().coverage();
            assert_eq!(coverage.len(), 4, "{name}: four plots");
            for (kind, title, c) in coverage {
                let c = c.unwrap_or_else(|| panic!("{name}: {kind:?} measured"));
                assert!(c.points > 0, "{name}: {title} draws points");
                assert_eq!(c.under_legend, 0, "{name}: {title}: {c:?}");
            }
        }
    }
}
