//! The four linked live plots: loss, β coordinates, α_t/α and recovery error.

use eframe::egui::{self, Color32};
use egui_plot::{
    FilledArea, GridInput, GridMark, HLine, Legend, Line, LineStyle, MarkerShape, Plot, PlotPoint,
    PlotPoints, Points,
};

use super::Live;
use crate::export::figures::PlotKind;
pub use crate::export::num;
use crate::sim::MethodKind;

/// Most points drawn per line; longer histories are thinned evenly.
const MAX_DRAWN: usize = 1000;
/// Lowest decade shown for quantities that reach exactly zero.
const FLOOR: f64 = -32.0;

/// The fixed colour of a method, the same in every plot, table and export.
pub fn color(kind: MethodKind) -> Color32 {
    let [r, g, b] = crate::export::palette::color(kind);
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

/// What the x axis measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum XAxis {
    /// Step k.
    Steps,
    /// Physical time t = kγ.
    Time,
}

/// `log10(v)` for finite positive v, else None (nothing non-finite is ever drawn).
fn lg(v: f64) -> Option<f64> {
    (v.is_finite() && v > 0.0).then(|| v.log10().max(FLOOR))
}

/// Decade grid lines (thinned when many decades are visible, minor ticks when few).
pub(crate) fn decade_spacer(input: GridInput) -> Vec<GridMark> {
    let (lo, hi) = input.bounds;
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo {
        return Vec::new();
    }
    let span = hi - lo;
    let step = [1.0, 2.0, 5.0, 10.0, 20.0]
        .into_iter()
        .find(|s| span / s <= 8.0)
        .unwrap_or(50.0);
    let mut marks = Vec::new();
    let mut k = (lo / step).ceil() * step;
    while k <= hi {
        marks.push(GridMark {
            value: k,
            step_size: step,
        });
        k += step;
    }
    if span <= 3.0 {
        let mut decade = lo.floor();
        while decade <= hi {
            for m in 2..=9 {
                let v = decade + f64::from(m).log10();
                if v > lo && v < hi {
                    // 2 and 5 get labels (all when under ~½ decade shows), the others faint lines.
                    let labelled = m == 2 || m == 5 || span <= 0.6;
                    let step_size = if labelled { 0.3 } else { 0.05 };
                    marks.push(GridMark {
                        value: v,
                        step_size,
                    });
                }
            }
            decade += 1.0;
        }
    }
    marks
}

/// `1eK` on whole decades; between decades (shown only when few are visible) the value.
pub(crate) fn decade_label(mark: GridMark) -> String {
    let k = mark.value.round();
    if (mark.value - k).abs() < 1e-9 {
        format!("1e{}", k as i64)
    } else if mark.step_size < 0.1 {
        String::new()
    } else {
        let v = 10f64.powf(mark.value);
        let decimals = (-mark.value.floor()).max(0.0) as usize;
        format!("{v:.decimals$}")
    }
}

/// Cached drawable series of one method.
#[derive(Default)]
struct MethodSeries {
    kind: Option<MethodKind>,
    loss: Vec<PlotPoint>,
    error: Vec<PlotPoint>,
    ratio: Vec<PlotPoint>,
    p21: Vec<PlotPoint>,
    band_x: Vec<f64>,
    band_lo: Vec<f64>,
    band_hi: Vec<f64>,
    coords: Vec<Vec<PlotPoint>>,
    last_x: Option<f64>,
}

/// The plot panel: options and the series cache.
pub struct Plots {
    /// Steps or time on x.
    pub x_axis: XAxis,
    /// Log-scaled x.
    pub log_x: bool,
    /// Whose β coordinates are shown.
    pub beta_method: MethodKind,
    /// Line-width multiplier (thicker in presentation mode).
    pub thickness: f32,
    /// An export asked for from a plot's right-click menu, for the app to carry out.
    pub requested: Option<(PlotKind, ExportFormat)>,
    /// The pointer read-out and crosshair (off for headless screenshots).
    pub hover: bool,
    cache: Vec<MethodSeries>,
    cached: Option<(u64, XAxis, bool)>,
}

impl Default for Plots {
    fn default() -> Self {
        Plots {
            x_axis: XAxis::Steps,
            log_x: true,
            beta_method: MethodKind::Sgd,
            thickness: 1.0,
            requested: None,
            hover: true,
            cache: Vec::new(),
            cached: None,
        }
    }
}

impl Plots {
    /// x of a point, if drawable.
    fn x(&self, step: u64, time: f64) -> Option<f64> {
        let v = match self.x_axis {
            XAxis::Steps => step as f64,
            XAxis::Time => time,
        };
        if self.log_x {
            lg(v)
        } else {
            v.is_finite().then_some(v)
        }
    }

    /// Rebuilds the cached series when the history or the axis changed.
    fn refresh(&mut self, live: &Live) {
        let key = (live.version, self.x_axis, self.log_x);
        if self.cached == Some(key) {
            return;
        }
        self.cached = Some(key);
        let mut cache = Vec::new();
        for (kind, history) in &live.histories {
            let mut s = MethodSeries {
                kind: Some(*kind),
                ..MethodSeries::default()
            };
            let n = history.len();
            let every = n.div_ceil(MAX_DRAWN).max(1);
            let n_coords = live.info.as_ref().map_or(0, |i| i.coords.len());
            s.coords = vec![Vec::new(); n_coords];
            for (i, (_, p)) in history.iter().enumerate() {
                if i % every != 0 && i + 1 != n {
                    continue;
                }
                let q = &p.sample;
                let Some(x) = self.x(q.step, q.time) else {
                    continue;
                };
                s.last_x = Some(x);
                let push = |v: &mut Vec<PlotPoint>, y: Option<f64>| {
                    if let Some(y) = y {
                        v.push(PlotPoint::new(x, y));
                    }
                };
                push(&mut s.loss, lg(q.loss));
                push(&mut s.error, lg(q.recovery_error));
                push(&mut s.ratio, lg(q.alpha_ratio));
                push(&mut s.p21, lg(q.alpha_ratio_p21));
                if let (Some(lo), Some(hi)) = (lg(q.alpha_ratio_min), lg(q.alpha_ratio_max)) {
                    s.band_x.push(x);
                    s.band_lo.push(lo);
                    s.band_hi.push(hi);
                }
                for (line, &b) in s.coords.iter_mut().zip(&p.coords) {
                    if b.is_finite() {
                        line.push(PlotPoint::new(x, b));
                    }
                }
            }
            cache.push(s);
        }
        self.cache = cache;
    }

    /// The x-axis title.
    fn x_label(&self) -> String {
        let base = match self.x_axis {
            XAxis::Steps => "step k",
            XAxis::Time => "time t = kγ",
        };
        if self.log_x {
            format!("{base} (log)")
        } else {
            base.to_string()
        }
    }

    /// A plot with the shared x axis, cursor, legend and hover read-out.
    fn plot<'a>(&self, id: &'a str, y_label: &str, log_y: bool, size: egui::Vec2) -> Plot<'a> {
        let link = egui::Id::unique("dln-x-link");
        let log_x = self.log_x;
        let x_name = match self.x_axis {
            XAxis::Steps => "k",
            XAxis::Time => "t",
        };
        let mut plot = Plot::new(id)
            .width(size.x)
            .height(size.y)
            .legend(Legend::default().position(egui_plot::Corner::LeftBottom))
            .link_axis(link, [true, false])
            .link_cursor(link, [true, false])
            .y_axis_min_width(52.0)
            .show_x(self.hover)
            .show_y(self.hover)
            .x_axis_label(self.x_label())
            .y_axis_label(y_label.to_string())
            .label_formatter(move |pos| {
                let (name, p) = match pos {
                    egui_plot::HoverPosition::NearDataPoint {
                        plot_name,
                        position,
                        ..
                    } => (*plot_name, *position),
                    egui_plot::HoverPosition::Elsewhere { position } => ("", *position),
                };
                let x = if log_x { 10f64.powf(p.x) } else { p.x };
                let y = if log_y { 10f64.powf(p.y) } else { p.y };
                Some(format!("{name}\n{x_name} = {}\ny = {}", num(x), num(y)))
            });
        if log_x {
            plot = plot
                .x_grid_spacer(decade_spacer)
                .x_axis_formatter(|m, _| decade_label(m));
        }
        if log_y {
            plot = plot
                .y_grid_spacer(decade_spacer)
                .y_axis_formatter(|m, _| decade_label(m));
        } else {
            plot = plot.y_axis_formatter(|m, _| num(m.value));
        }
        plot
    }

    /// Draws the option row and the four plots in a 2×2 grid.
    pub fn ui(&mut self, ui: &mut egui::Ui, live: &Live) {
        self.refresh(live);
        ui.horizontal(|ui| {
            ui.label("x axis:");
            ui.selectable_value(&mut self.x_axis, XAxis::Steps, "steps")
                .on_hover_text("x = step k");
            ui.selectable_value(&mut self.x_axis, XAxis::Time, "time")
                .on_hover_text("x = physical time t = kγ (kh for SGF and GF)");
            ui.checkbox(&mut self.log_x, "log x")
                .on_hover_text("logarithmic x axis");
            ui.separator();
            ui.label("β of:");
            for (kind, _) in &live.histories {
                ui.selectable_value(&mut self.beta_method, *kind, kind.label())
                    .on_hover_text("whose coordinates β_t,j the top-right plot shows");
            }
        });
        let avail = ui.available_size();
        let gap = ui.spacing().item_spacing;
        let size = egui::vec2(
            ((avail.x - gap.x) / 2.0).max(120.0),
            ((avail.y - gap.y) / 2.0).max(120.0),
        );
        let mut shown = Vec::with_capacity(4);
        ui.horizontal(|ui| {
            shown.push((PlotKind::Loss, self.loss_plot(ui, size)));
            shown.push((PlotKind::Coords, self.beta_plot(ui, size, live)));
        });
        ui.horizontal(|ui| {
            shown.push((PlotKind::Alpha, self.alpha_plot(ui, size)));
            shown.push((PlotKind::Error, self.error_plot(ui, size, live)));
        });
        for (kind, response) in shown {
            response.context_menu(|ui| {
                for (label, format) in EXPORT_CHOICES {
                    if ui
                        .button(format!("Export {} plot as {label}", kind.name()))
                        .clicked()
                    {
                        self.requested = Some((kind, format));
                        ui.close();
                    }
                }
            });
        }
    }

    fn loss_plot(&self, ui: &mut egui::Ui, size: egui::Vec2) -> egui::Response {
        self.plot("loss", "training loss L(β_k)", true, size)
            .show(ui, |plot| {
                for s in &self.cache {
                    let Some(kind) = s.kind else { continue };
                    plot.line(
                        Line::new(kind.label(), PlotPoints::Borrowed(&s.loss))
                            .color(color(kind))
                            .width(1.5 * self.thickness),
                    );
                }
            })
            .response
    }

    fn beta_plot(&self, ui: &mut egui::Ui, size: egui::Vec2, live: &Live) -> egui::Response {
        let kind = self.beta_method;
        let title = format!("β_k,j of {} (coordinates)", kind.label());
        let series = self.cache.iter().find(|s| s.kind == Some(kind));
        let info = live.info.clone();
        let prediction = live
            .predictions
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, p)| p.clone());
        self.plot("beta", &title, false, size)
            .show(ui, |plot| {
                let (Some(s), Some(info)) = (series, info) else {
                    return;
                };
                for (line, &support) in s.coords.iter().zip(&info.in_support) {
                    let (name, col, width) = if support {
                        ("support of β*", color(kind), 2.0)
                    } else {
                        ("off support", Color32::from_gray(140), 1.0)
                    };
                    plot.line(
                        Line::new(name, PlotPoints::Borrowed(line))
                            .color(col)
                            .width(width * self.thickness),
                    );
                }
                let Some(x) = s.last_x else { return };
                let truth: Vec<[f64; 2]> = info.beta_star.iter().map(|&b| [x, b]).collect();
                plot.add(
                    Points::new("β* (truth)", truth)
                        .shape(MarkerShape::Circle)
                        .filled(false)
                        .radius(5.0)
                        .color(Color32::from_gray(90)),
                );
                if let Some(p) = prediction {
                    let marks: Vec<[f64; 2]> = p
                        .coords
                        .iter()
                        .filter(|b| b.is_finite())
                        .map(|&b| [x, b])
                        .collect();
                    plot.add(
                        Points::new("predicted limit", marks)
                            .shape(MarkerShape::Diamond)
                            .radius(4.0)
                            .color(Color32::from_rgb(200, 40, 160)),
                    );
                }
            })
            .response
    }

    fn alpha_plot(&self, ui: &mut egui::Ui, size: egui::Vec2) -> egui::Response {
        self.plot("alpha", "α_k/α (exact, geo-mean; band min–max)", true, size)
            .show(ui, |plot| {
                for s in &self.cache {
                    let Some(kind) = s.kind else { continue };
                    let c = color(kind);
                    if !s.band_x.is_empty() {
                        plot.add(
                            FilledArea::new(
                                format!("{} min–max", kind.label()),
                                &s.band_x,
                                &s.band_lo,
                                &s.band_hi,
                            )
                            .fill_color(c.gamma_multiply(0.18))
                            .stroke(egui::Stroke::NONE),
                        );
                    }
                    plot.line(
                        Line::new(kind.label(), PlotPoints::Borrowed(&s.ratio))
                            .color(c)
                            .width(1.8 * self.thickness),
                    );
                    if kind.is_stochastic() {
                        plot.line(
                            Line::new(
                                format!("{} P21 ∫L formula", kind.label()),
                                PlotPoints::Borrowed(&s.p21),
                            )
                            .color(c)
                            .style(LineStyle::dashed_loose())
                            .width(1.2 * self.thickness),
                        );
                    }
                }
            })
            .response
    }

    fn error_plot(&self, ui: &mut egui::Ui, size: egui::Vec2, live: &Live) -> egui::Response {
        let refs = live.info.as_ref().and_then(|i| i.reference_errors);
        self.plot("error", "recovery error ‖β_k − β*‖²", true, size)
            .show(ui, |plot| {
                for s in &self.cache {
                    let Some(kind) = s.kind else { continue };
                    plot.line(
                        Line::new(kind.label(), PlotPoints::Borrowed(&s.error))
                            .color(color(kind))
                            .width(1.5 * self.thickness),
                    );
                }
                let Some([l1, l2, gf]) = refs else { return };
                let lines = [
                    (
                        "ℓ1 interpolator (basis pursuit)",
                        l1,
                        LineStyle::dotted_dense(),
                    ),
                    ("ℓ2 interpolator (min-norm)", l2, LineStyle::dashed_dense()),
                    ("gradient-flow limit", gf, LineStyle::Solid),
                ];
                // A reference far below every run (exact recovery, ~1e-30) would squash the
                // plot: draw it one decade below the lowest run, with its value in the legend.
                let lowest = self
                    .cache
                    .iter()
                    .flat_map(|s| s.error.iter().map(|p| p.y))
                    .fold(0.0, f64::min);
                for (name, v, style) in lines {
                    let name = format!("{name}: {v:.1e}");
                    if let Some(y) = lg(v) {
                        plot.add(
                            HLine::new(name, y.max(lowest - 1.0))
                                .color(Color32::from_gray(110))
                                .style(style)
                                .width(1.2 * self.thickness),
                        );
                    }
                }
            })
            .response
    }
}
