//! The floating windows: the help sheet and the sweep panel (kept open while it runs).

use eframe::egui;

use super::App;
use super::dispatch::Request;

impl App {
    /// Draws the open windows; returns what they asked for. The sweep window stays inside
    /// `area` (below the run bar, above a lesson's narration strip).
    pub(super) fn windows(&mut self, ctx: &egui::Context, area: egui::Rect) -> Vec<Request> {
        let mut out = Vec::new();
        let mut open = self.menus.show_help;
        egui::Window::new("Help")
            .open(&mut open)
            .default_size([760.0, 560.0])
            .show(ctx, super::help::ui);
        self.menus.show_help = open;
        let mut open = self.menus.show_sweep || self.sweep.is_running();
        let config = self.controls.config();
        egui::Window::new("Sweep")
            .open(&mut open)
            .default_size([1000.0, 760.0])
            .resizable(true)
            .constrain_to(area)
            .show(ctx, |ui| {
                self.sweep.ui(ui, &config, self.plots.hover);
                if self.sweep.figure().is_some() {
                    ui.horizontal(|ui| {
                        if ui.button("Export sweep as SVG").clicked() {
                            out.push(Request::ExportSweep);
                        }
                        if ui.button("Export sweep as a slide (1920×1080)").clicked() {
                            out.push(Request::ExportSweepSlide);
                        }
                    });
                }
            });
        self.menus.show_sweep = open;
        out
    }
}
