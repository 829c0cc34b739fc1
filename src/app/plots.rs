//! The four linked live plots (loss, β coordinates, α_t/α, recovery error): the option row,
//! the 2×2 layout and each plot's right-click export menu. Each plot is the figure builder's
//! panel drawn by [`plot_view`](super::plot_view).

use eframe::egui::{self, Color32};

use super::Live;
use super::coverage::{Coverage, Look};
use super::ghost::{BEFORE, Ghost};
use super::plot_view::Drawn;
use crate::figure::figures::PlotKind;
use crate::figure::scene::{self, LIVE_PLOTS, ViewOptions, XAxis};
use crate::model::MethodKind;

/// The fixed colour of a method, the same in every plot, table and export.
pub fn color(kind: MethodKind) -> Color32 {
    let [r, g, b] = crate::figure::palette::color(kind);
    Color32::from_rgb(r, g, b)
}

/// A format offered in a plot's right-click menu.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    /// Vector SVG.
    Svg,
    /// PNG at 1×, 2× or 3×.
    Png(u8),
}

/// The right-click export choices.
const EXPORT_CHOICES: [(&str, ExportFormat); 4] = [
    ("SVG", ExportFormat::Svg),
    ("PNG 1×", ExportFormat::Png(1)),
    ("PNG 2×", ExportFormat::Png(2)),
    ("PNG 3×", ExportFormat::Png(3)),
];

/// Label of the checkbox that swaps the coordinate plot for each method's final β.
pub const FINAL_BETA: &str = "final β";

/// The plot panel: view options and the panels drawn last.
pub struct Plots {
    /// How the plots are shown (the exports use the same options).
    pub options: ViewOptions,
    /// Line-width multiplier (thicker in presentation mode).
    pub thickness: f32,
    /// Text style of the plots' titles (body size in presentation mode).
    pub title_style: egui::TextStyle,
    /// The pointer read-out and crosshair (off for headless screenshots).
    pub hover: bool,
    /// Measure the data under the legends (headless screenshots report it).
    pub measure: bool,
    /// The plot a lesson step points at (framed and its title marked).
    pub highlight: Option<PlotKind>,
    /// The previous runs, drawn faintly under the current ones.
    pub ghost: Option<Ghost>,
    /// Whether the ghost is drawn.
    pub show_ghost: bool,
    drawn: Vec<(PlotKind, Drawn)>,
    cached: Option<(u64, u64, ViewOptions, Option<u64>)>,
    /// The whole runs' extent per plot while a part of them is revealed.
    whole: Option<((u64, ViewOptions), Extents)>,
}

/// A plot's x and y extent in plot coordinates.
type Extent = ((f64, f64), (f64, f64));
/// Each plot's extent, if drawn.
type Extents = Vec<(PlotKind, Option<Extent>)>;

impl Default for Plots {
    fn default() -> Self {
        Plots {
            options: ViewOptions::default(),
            thickness: 1.0,
            title_style: egui::TextStyle::Small,
            hover: true,
            measure: false,
            highlight: None,
            ghost: None,
            show_ghost: true,
            drawn: Vec::new(),
            cached: None,
            whole: None,
        }
    }
}

impl Plots {
    /// A plot as drawn now.
    pub fn drawn(&self, kind: PlotKind) -> Option<&Drawn> {
        (self.drawn.iter())
            .find(|(k, _)| *k == kind)
            .map(|(_, d)| d)
    }

    /// Each drawn plot's data under its legend, as last measured (see [`Plots::measure`]).
    pub fn coverage(&self) -> Vec<(PlotKind, &str, Option<Coverage>)> {
        (self.drawn.iter())
            .map(|(k, d)| (*k, d.panel.title.as_str(), d.coverage()))
            .collect()
    }

    /// The panel a plot shows now (what its export writes).
    pub fn panel(&self, kind: PlotKind) -> Option<&crate::figure::Panel> {
        self.drawn(kind).map(|d| &d.panel)
    }

    /// Rebuilds the panels when the runs, the part shown or the options changed; while a part
    /// is shown, the axes take the extent of the `whole` runs.
    fn refresh(&mut self, live: &Live, whole: Option<&Live>) {
        let options = self.options;
        let extents = whole.map(|w| {
            let key = (w.version, options);
            match &self.whole {
                Some((k, extents)) if *k == key => extents.clone(),
                _ => {
                    let extents: Extents = (LIVE_PLOTS.iter())
                        .map(|&k| {
                            let panel = scene::panel(k, w, options);
                            (k, panel.and_then(|p| Drawn::new(p).extent()))
                        })
                        .collect();
                    self.whole = Some((key, extents.clone()));
                    extents
                }
            }
        });
        let ghost = self.ghost.as_ref().filter(|_| self.show_ghost);
        let key = (
            live.version,
            live.max_step(),
            options,
            ghost.map(|g| g.live.run),
        );
        if self.cached == Some(key) {
            return;
        }
        self.cached = Some(key);
        let extent = |k: PlotKind| {
            (extents.iter().flatten())
                .find(|(kind, _)| *kind == k)
                .and_then(|(_, e)| *e)
        };
        self.drawn = (LIVE_PLOTS.iter())
            .filter_map(|&k| {
                let mut panel = scene::panel(k, live, options)?;
                if let Some(g) = ghost {
                    // Under the current runs.
                    panel.series.splice(0..0, g.series(k, options));
                }
                Some((k, Drawn::new(panel).within(extent(k))))
            })
            .collect();
    }

    /// Draws the option row and the four plots in a 2×2 grid; returns an export asked for from
    /// a plot's right-click menu.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        live: &Live,
        whole: Option<&Live>,
    ) -> Option<(PlotKind, ExportFormat)> {
        let o = &mut self.options;
        ui.horizontal(|ui| {
            ui.label("x axis:");
            ui.selectable_value(&mut o.x_axis, XAxis::Steps, "steps")
                .on_hover_text("x = step k");
            ui.selectable_value(&mut o.x_axis, XAxis::Time, "time")
                .on_hover_text("x = physical time t = kγ (kh for SGF and GF)");
            if ui
                .selectable_value(&mut o.x_axis, XAxis::Tau, "τ")
                .on_hover_text("x = rescaled time τ = t/ln(1/α), with the small-α staircase predicted for gradient flow: jump times (vertical lines), plateaus (dashed), coordinates coloured by the order they join (docs/saddles.md)")
                .clicked()
            {
                o.log_x = false;
            }
            ui.checkbox(&mut o.log_x, "log x")
                .on_hover_text("logarithmic x axis");
            ui.checkbox(&mut o.sharpness, "sharpness")
                .on_hover_text("the bottom-right plot shows GD's sharpness S_t and SGD's max κ_i against 2/γ instead of the recovery error");
            ui.checkbox(&mut o.lasso, "Lasso path")
                .on_hover_text("the bottom-left plot shows the Lasso path β_lasso(λ) against 1/λ with the running mean (1/t)∫β ds at λ = ln(1/α)/t");
            ui.checkbox(&mut o.alpha_per_coordinate, "α per coordinate")
                .on_hover_text("the α plot shows every coordinate's exact α_j/α at the latest step, sorted, with P21's formula and the support of β*");
            ui.checkbox(&mut o.final_beta, FINAL_BETA)
                .on_hover_text("the top-right plot shows each method's latest β coordinate by coordinate, side by side (the followed coordinates), with the non-zeros of β*: which coordinates each method leaves near zero");
            ui.separator();
            ui.label("β of:");
            for (kind, _) in &live.histories {
                ui.selectable_value(&mut o.beta_method, *kind, kind.label())
                    .on_hover_text("whose coordinates β_t,j the top-right plot shows");
            }
            if let Some(g) = &self.ghost {
                ui.separator();
                ui.checkbox(&mut self.show_ghost, BEFORE)
                    .on_hover_text(format!("the previous runs, faint under these ({})", g.label));
            }
        });
        self.refresh(live, whole);
        let avail = ui.available_size();
        let gap = ui.spacing().item_spacing;
        let title_h = ui.text_style_height(&self.title_style) + gap.y;
        let size = egui::vec2(
            ((avail.x - gap.x) / 2.0).max(120.0),
            ((avail.y - gap.y) / 2.0 - title_h).max(100.0),
        );
        let mut shown = Vec::with_capacity(4);
        for row in LIVE_PLOTS.chunks(2) {
            // The taller legend strip of the row, so that both plots share their x axis line.
            let strip = (row.iter())
                .map(|k| super::legend_strip::strip_height(ui, k.name()))
                .fold(0.0, f32::max);
            ui.horizontal(|ui| {
                for &kind in row {
                    ui.vertical(|ui| {
                        ui.set_width(size.x);
                        let Some((_, d)) = self.drawn.iter().find(|(k, _)| *k == kind) else {
                            ui.allocate_space(size);
                            return;
                        };
                        let marked = self.highlight == Some(kind);
                        let mut title = egui::RichText::new(&d.panel.title)
                            .strong()
                            .text_style(self.title_style.clone());
                        if marked {
                            title = title.color(super::lesson::MARK);
                        }
                        // One line no taller than the title (a row is at least interact_size
                        // tall), so the plots below keep their computed height; its "?"
                        // explains what the plot draws.
                        ui.scope(|ui| {
                            ui.spacing_mut().interact_size.y = 0.0;
                            ui.horizontal(|ui| {
                                let help = egui::RichText::new("?")
                                    .strong()
                                    .text_style(self.title_style.clone());
                                ui.label(help).on_hover_ui(|ui| {
                                    ui.label(super::legend_strip::guide(&d.panel));
                                });
                                ui.add(egui::Label::new(title).truncate());
                            });
                        });
                        let look = Look {
                            thickness: self.thickness,
                            hover: self.hover,
                            strip,
                            measure: self.measure,
                        };
                        let r = d.show(ui, kind.name(), size, look);
                        if marked {
                            let stroke = egui::Stroke::new(3.0, super::lesson::MARK);
                            // Inside the plot's rectangle: clear of its title and tick labels.
                            ui.painter()
                                .rect_stroke(r.rect, 2.0, stroke, egui::StrokeKind::Inside);
                        }
                        shown.push((kind, r));
                    });
                }
            });
        }
        let mut requested = None;
        for (kind, response) in shown {
            response.context_menu(|ui| {
                for (label, format) in EXPORT_CHOICES {
                    let text = format!("Export {} plot as {label}", kind.name());
                    if ui.button(text).clicked() {
                        requested = Some((kind, format));
                        ui.close();
                    }
                }
            });
        }
        requested
    }
}
