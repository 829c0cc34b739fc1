//! The one thin adapter from a [`figure::Panel`](crate::figure::Panel) to egui_plot: the live
//! plots draw exactly the panels the exports write.

use std::cell::{Cell, RefCell};

use eframe::egui::{self, Color32};
use std::collections::BTreeSet;

use egui_plot::{
    FilledArea, HLine, LineStyle, MarkerShape, Plot, PlotPoint, PlotPoints, PlotTransform, Points,
    Polygon,
};

use super::coverage::{self, Coverage, Look};
use super::heat_cells::{cell_at, heat_cells};
use super::legend_strip::{self, Mark};
use super::plot_axes::{Level, axis_label, levels, with_axes, y_label};
use super::simplify::Thinned;
use crate::figure::palette;
use crate::figure::{Panel, Scale, num};

/// Lowest decade drawn for quantities that reach exactly zero.
const FLOOR: f64 = -32.0;

/// An egui colour from the palette's RGB.
pub(super) fn rgb([r, g, b]: [u8; 3]) -> Color32 {
    Color32::from_rgb(r, g, b)
}

/// A palette colour on screen: black and dark grey (β*, the ℓ2 reference) are lightened on a
/// dark background, where they would vanish.
fn tone(c: [u8; 3], dark: bool) -> Color32 {
    rgb(if dark { palette::on_dark(c) } else { c })
}

/// The coordinate drawn for `v` on an axis (log axes store log10), if drawable.
pub(super) fn coord(v: f64, scale: Scale) -> Option<f64> {
    match scale {
        Scale::Log => (v.is_finite() && v > 0.0).then(|| v.log10().max(FLOOR)),
        Scale::Linear => v.is_finite().then_some(v),
    }
}

/// A range of plot coordinates, if any.
type Span = Option<(f64, f64)>;

/// A panel converted once into egui_plot's coordinates (cached between frames).
pub struct Drawn {
    /// The panel it was made from (what the exports write).
    pub panel: Panel,
    lines: Vec<Vec<PlotPoint>>,
    bands: Vec<(Vec<f64>, Vec<f64>, Vec<f64>)>,
    levels: Vec<Level>,
    y_range: Option<(f64, f64)>,
    x_range: Option<(f64, f64)>,
    /// Heatmap cells as (corners in plot coordinates, fill, hover text).
    cells: Vec<([[f64; 2]; 4], Color32, String)>,
    /// The last measured coverage of the data by the legend.
    coverage: Cell<Option<Coverage>>,
    /// An extent the axes always include (the whole runs' while a part is revealed).
    include: Option<((f64, f64), (f64, f64))>,
    /// The lines and bands thinned at the pixel scale they were last drawn at.
    thinned: RefCell<Option<Thinned>>,
}

impl Drawn {
    /// Converts a panel.
    pub fn new(panel: Panel) -> Drawn {
        let (xs, ys) = (panel.x.scale, panel.y.scale);
        // The series of a panel mostly share their x values (the recorded steps): each x is
        // converted once, the previous series' conversions reused where its x match.
        let mut last_x: Vec<(f64, Option<f64>)> = Vec::new();
        let lines: Vec<Vec<PlotPoint>> = (panel.series.iter())
            .map(|s| {
                let this_x: Vec<(f64, Option<f64>)> = (s.points.iter().enumerate())
                    .map(|(i, p)| match last_x.get(i) {
                        Some(&(v, c)) if v.to_bits() == p[0].to_bits() => (v, c),
                        _ => (p[0], coord(p[0], xs)),
                    })
                    .collect();
                let line = (s.points.iter().zip(&this_x))
                    .filter_map(|(p, &(_, x))| Some(PlotPoint::new(x?, coord(p[1], ys)?)))
                    .collect();
                last_x = this_x;
                line
            })
            .collect();
        let bands: Vec<(Vec<f64>, Vec<f64>, Vec<f64>)> = (panel.series.iter())
            .map(|s| {
                let mut b = (Vec::new(), Vec::new(), Vec::new());
                for q in &s.band {
                    if let (Some(x), Some(lo), Some(hi)) =
                        (coord(q[0], xs), coord(q[1], ys), coord(q[2], ys))
                    {
                        b.0.push(x);
                        b.1.push(lo);
                        b.2.push(hi);
                    }
                }
                b
            })
            .collect();
        let extent = |vals: &mut dyn Iterator<Item = f64>| {
            vals.fold(None, |r: Option<(f64, f64)>, v| {
                Some(r.map_or((v, v), |(lo, hi)| (lo.min(v), hi.max(v))))
            })
        };
        let y_range = extent(&mut lines.iter().flatten().map(|p| p.y));
        let x_range = extent(&mut lines.iter().flatten().map(|p| p.x));
        // A level more than a decade (log) or a data span (linear) outside the data is off scale.
        let levels = levels(&panel, y_range);
        let cells = panel
            .heatmap
            .as_ref()
            .map_or_else(Vec::new, |h| heat_cells(h, xs, ys));
        Drawn {
            panel,
            lines,
            bands,
            levels,
            y_range,
            x_range,
            cells,
            include: None,
            coverage: Cell::new(None),
            thinned: RefCell::new(None),
        }
    }

    /// The x and y extent of its lines, in plot coordinates.
    pub fn extent(&self) -> Option<((f64, f64), (f64, f64))> {
        self.x_range.zip(self.y_range)
    }

    /// The data's coverage by the legend, as last measured (see [`Look::measure`]).
    pub fn coverage(&self) -> Option<Coverage> {
        self.coverage.get()
    }

    /// The extent its axes always include, if any.
    pub fn included(&self) -> Option<((f64, f64), (f64, f64))> {
        self.include
    }

    /// The same, with axes that always include `extent` (so a growing reveal never rescales).
    pub fn within(mut self, extent: Option<((f64, f64), (f64, f64))>) -> Drawn {
        self.include = extent;
        self.levels = levels(&self.panel, self.shown().1);
        self
    }

    /// The x and y ranges the axes show at least: the included extent, else the data's.
    fn shown(&self) -> (Span, Span) {
        self.include
            .map_or((self.x_range, self.y_range), |(x, y)| (Some(x), Some(y)))
    }

    /// Draws the panel with its legend strip in `size`, as `look` says.
    pub fn show(
        &self,
        ui: &mut egui::Ui,
        id: &str,
        size: egui::Vec2,
        look: Look,
    ) -> egui::Response {
        let Look {
            thickness,
            hover,
            strip,
            measure,
        } = look;
        let p = &self.panel;
        let link = egui::Id::unique("dln-x-link");
        let (log_x, log_y) = (p.x.scale == Scale::Log, p.y.scale == Scale::Log);
        let integer_x = p.x.label.starts_with("step");
        let mut plot = Plot::new(id)
            .width(size.x)
            .y_axis_min_width(56.0)
            // Room for the rings and diamonds at the data's edge.
            .set_margin_fraction(egui::vec2(0.02, 0.06))
            .show_x(hover)
            .show_y(hover)
            .x_axis_label(axis_label(&p.x.label, log_x))
            .y_axis_label(y_label(
                &p.y.label,
                size.y - strip,
                ui.text_style_height(&egui::TextStyle::Body),
            ))
            .label_formatter(|hovered| {
                let (name, pos) = match hovered {
                    egui_plot::HoverPosition::NearDataPoint {
                        plot_name,
                        position,
                        ..
                    } => (*plot_name, *position),
                    egui_plot::HoverPosition::Elsewhere { position } => ("", *position),
                };
                // A heatmap says which cell is under the pointer and its values.
                if !self.cells.is_empty() {
                    return cell_at(&self.cells, [pos.x, pos.y]).cloned();
                }
                let name = self.hovered_name(name, [pos.x, pos.y]);
                let x = if log_x { 10f64.powf(pos.x) } else { pos.x };
                let y = if log_y { 10f64.powf(pos.y) } else { pos.y };
                let x = if integer_x {
                    format!("k = {}", x.round().max(0.0) as u64)
                } else {
                    format!("x = {}", num(x))
                };
                Some(format!("{name}\n{x}\ny = {}", num(y)))
            });
        if integer_x || p.x.label.starts_with("time") {
            plot = plot
                .link_axis(link, [true, false])
                .link_cursor(link, [true, false]);
        }
        if let Some(((x0, x1), (y0, y1))) = self.include {
            plot = plot.include_x(x0).include_x(x1).include_y(y0).include_y(y1);
        }
        plot = with_axes(plot, p);
        let dark = ui.visuals().dark_mode;
        // Which entries are hidden: kept with the plot's id, so a redrawn panel keeps them.
        let hidden_id = egui::Id::unique((id, "hidden"));
        let mut hidden: BTreeSet<String> = ui.data(|d| d.get_temp(hidden_id)).unwrap_or_default();
        let mut legend = Vec::new();
        let response = ui
            .vertical(|ui| {
                let top = ui.cursor().top();
                // A heatmap's cells say what they are on hover; it needs no legend.
                if p.heatmap.is_none() {
                    ui.set_max_width(size.x);
                    let marks: Vec<Mark> = self.levels.iter().map(Level::mark).collect();
                    let entries = legend_strip::entries(&self.panel, &marks, |c| tone(c, dark));
                    legend = legend_strip::show(ui, &entries, &mut hidden, legend_strip::TEXT_SIZE);
                }
                let used = ui.cursor().top() - top;
                legend_strip::remember_height(ui, id, used);
                let used = if used < strip {
                    ui.add_space(strip - used);
                    strip
                } else {
                    used
                };
                let plot = plot.height((size.y - used).max(0.4 * size.y));
                let shown = plot.show(ui, |plot| self.items(plot, thickness, dark, &hidden));
                if measure {
                    let c = coverage::count(
                        &self.panel.series,
                        &self.lines,
                        &shown.transform,
                        &legend,
                        &hidden,
                    );
                    self.coverage.set(Some(c));
                }
                shown.response
            })
            .inner;
        ui.data_mut(|d| d.insert_temp(hidden_id, hidden));
        response
    }

    /// Pixels per plot unit along each axis for thinning the lines: of the last frame's bounds,
    /// or of the data's extent where the bounds are wider (the first frame's defaults), so a
    /// line is never thinned coarser than it is drawn.
    fn pixel_scale(&self, t: &PlotTransform) -> [f64; 2] {
        let (frame, bounds) = (t.frame(), t.bounds());
        let span = |bound: f64, data: Option<(f64, f64)>| {
            data.map_or(bound, |(lo, hi)| bound.min(hi - lo).max(f64::MIN_POSITIVE))
        };
        [
            f64::from(frame.width()) / span(bounds.width(), self.x_range),
            f64::from(frame.height()) / span(bounds.height(), self.y_range),
        ]
    }

    /// The name to show for a hovered item: a grouped item (one legend entry for several
    /// series) names the series of its group with the point nearest `at` (plot coordinates).
    fn hovered_name<'a>(&'a self, item: &'a str, at: [f64; 2]) -> &'a str {
        let grouped = (self.panel.series.iter().zip(&self.lines))
            .filter(|(s, _)| s.group.as_deref() == Some(item));
        let distance = |line: &[PlotPoint]| {
            (line.iter())
                .map(|p| (p.x - at[0]).abs() + (p.y - at[1]).abs())
                .fold(f64::INFINITY, f64::min)
        };
        grouped
            .map(|(s, line)| (s.name.as_str(), distance(line)))
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map_or(item, |(name, _)| name)
    }

    fn items<'a>(
        &'a self,
        plot: &mut egui_plot::PlotUi<'a>,
        thickness: f32,
        dark: bool,
        hidden: &BTreeSet<String>,
    ) {
        for (corners, fill, text) in &self.cells {
            plot.add(
                Polygon::new(text.clone(), PlotPoints::from(corners.to_vec()))
                    .fill_color(*fill)
                    .stroke(egui::Stroke::new(0.5, Color32::WHITE)),
            );
        }
        let scale = self.pixel_scale(plot.transform());
        let mut cache = self.thinned.borrow_mut();
        if !cache.as_ref().is_some_and(|t| t.fits(scale)) {
            *cache = Some(Thinned::new(
                &self.panel.series,
                &self.lines,
                &self.bands,
                scale,
            ));
        }
        let Some(thinned) = cache.as_ref() else {
            return;
        };
        let series = (self.panel.series.iter()).zip(self.lines.iter().zip(&thinned.lines));
        let bands = self.bands.iter().zip(&thinned.bands);
        for ((s, (line, thin)), ((xs, lo, hi), thin_band)) in series.zip(bands) {
            if hidden.contains(s.legend_name()) {
                continue;
            }
            let c = tone(s.color, dark);
            let (xs, lo, hi) = match thin_band {
                Some([xs, lo, hi]) => (xs, lo, hi),
                None => (xs, lo, hi),
            };
            if !xs.is_empty() {
                // Named as its series: one legend entry shows and hides both.
                plot.add(
                    FilledArea::new(s.legend_name(), xs, lo, hi)
                        .fill_color(c.gamma_multiply(0.10))
                        .stroke(egui::Stroke::new(0.6, c.gamma_multiply(0.6))),
                );
            }
            // A thinned line is copied (the cache is borrowed only for this frame, and it is a
            // few hundred points); a full one is borrowed.
            let points = match thin {
                Some(points) => PlotPoints::Owned(points.clone()),
                None => PlotPoints::Borrowed(line),
            };
            super::series_items::add(plot, s, points, line, c, thickness, dark);
        }
        // The legend strip names the levels: here only the lines and the edge markers.
        // Edge markers side by side from the middle, so two levels off the view stay two marks.
        let (x_range, y_range) = self.shown();
        let (lo, hi) = x_range.unwrap_or((0.0, 1.0));
        let mut edge = 0.0;
        for (r, level) in self.panel.references.iter().zip(&self.levels) {
            if hidden.contains(&r.name) {
                continue;
            }
            let c = tone(r.color, dark);
            let (y, shape) = match (level, y_range) {
                (Level::Line(y), _) => {
                    plot.add(
                        HLine::new("", *y)
                            .color(c)
                            .style(LineStyle::dashed_dense())
                            .width(1.2 * thickness),
                    );
                    continue;
                }
                (Level::Below, range) => (range.map_or(0.0, |r| r.0), MarkerShape::Down),
                (Level::Above, range) => (range.map_or(0.0, |r| r.1), MarkerShape::Up),
            };
            let x = lo + (0.5 + 0.08 * edge) * (hi - lo);
            edge += 1.0;
            plot.add(
                Points::new("", vec![[x, y]])
                    .shape(shape)
                    .radius(6.0)
                    .color(c),
            );
        }
    }
}
