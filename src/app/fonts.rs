//! The app's fonts: egui's, with DejaVu Sans as the fallback for mathematical symbols.

use eframe::egui;

/// Adds DejaVu Sans (once per context) as the lowest-priority fallback so ∇ → ⟨⟩ render.
pub fn install_fonts(ctx: &egui::Context) {
    let done = egui::Id::unique("dln-fallback-font");
    if ctx.data(|d| d.get_temp::<bool>(done).unwrap_or(false)) {
        return;
    }
    ctx.data_mut(|d| d.insert_temp(done, true));
    let data = egui::FontData::from_static(include_bytes!("../../assets/fonts/DejaVuSans.ttf"));
    ctx.add_font(egui::epaint::text::FontInsert::new(
        "DejaVuSans",
        data,
        vec![
            egui::epaint::text::InsertFontFamily {
                family: egui::FontFamily::Proportional,
                priority: egui::epaint::text::FontPriority::Lowest,
            },
            egui::epaint::text::InsertFontFamily {
                family: egui::FontFamily::Monospace,
                priority: egui::epaint::text::FontPriority::Lowest,
            },
        ],
    ));
}
