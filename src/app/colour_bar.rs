//! The colour bar beside an in-app heatmap: the scale's gradient, its end values and ticks, and
//! the swatch of diverged and not-converged cells.

use eframe::egui;

use super::plot_view::rgb;
use crate::figure::Heatmap;
use crate::figure::palette::STATUS_CELL;
use crate::model::format::short;

/// Width the bar takes beside its heatmap (points).
pub const WIDTH: f32 = 84.0;

/// Draws the colour bar of `h` in a `WIDTH × height` area.
pub fn show(ui: &mut egui::Ui, h: &Heatmap, height: f32) {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(WIDTH, height), egui::Sense::hover());
    let painter = ui.painter_at(rect);
    let body = egui::TextStyle::Body.resolve(ui.style());
    let font = egui::FontId::new(0.85 * body.size, body.family);
    let text = ui.visuals().text_color();
    let line = font.size + 2.0;
    let (x0, x1) = (rect.left() + 4.0, rect.left() + 18.0);
    let (top, bottom) = (rect.top() + 0.5 * line, rect.bottom() - 3.2 * line);
    if bottom - top < 2.0 * line || !h.has_bar() {
        return;
    }
    const STEPS: usize = 48;
    let (lo, hi) = h.range();
    let step = (bottom - top) / STEPS as f32;
    for i in 0..STEPS {
        let t = 1.0 - (i as f64 + 0.5) / STEPS as f64;
        let y = top + step * i as f32;
        let cell = egui::Rect::from_min_max(egui::pos2(x0, y), egui::pos2(x1, y + step + 0.5));
        painter.rect_filled(cell, 0.0, rgb(h.colour(h.bar_value(t))));
    }
    let label = |y: f32, v: f64| {
        let at = egui::pos2(x1 + 4.0, y);
        painter.text(at, egui::Align2::LEFT_CENTER, short(v), font.clone(), text);
    };
    label(top, hi);
    label(bottom, lo);
    let mut last = top;
    for v in h.bar_ticks() {
        let y = bottom - (bottom - top) * h.bar_position(v) as f32;
        painter.hline(x0..=x1 + 2.0, y, egui::Stroke::new(1.0, text));
        if y - last >= 1.3 * line && bottom - y >= 1.3 * line {
            label(y, v);
            last = y;
        }
    }
    let swatch =
        egui::Rect::from_min_size(egui::pos2(x0, bottom + 1.1 * line), egui::vec2(14.0, line));
    painter.rect_filled(swatch, 0.0, rgb(STATUS_CELL));
    for (k, word) in ["diverged /", "not conv."].into_iter().enumerate() {
        let at = egui::pos2(x1 + 4.0, swatch.center().y + (k as f32 - 0.5) * line);
        painter.text(at, egui::Align2::LEFT_CENTER, word, font.clone(), text);
    }
}
