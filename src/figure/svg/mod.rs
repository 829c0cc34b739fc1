//! A small hand-written SVG line-plot writer: stacked panels with axes, ticks (decades on log
//! axes), axis labels, titles, a legend, optional bands and dashed reference levels.
//!
//! Each series is one element with `class="series"`, a unique `id` and `data-series` naming it;
//! bands have `class="band"`, reference levels `class="reference"` (or `class="off-scale"`, an
//! edge marker with the value as its tooltip, when outside the view).

use std::fmt::Write;

use super::palette::hex;
use super::panel::{Figure, Heatmap, Panel, Scale, Style};

mod axes;
mod grid;

pub use axes::bounds;
mod heatmap;
mod legend;

/// Width of the whole figure in pixels (at scale 1).
pub const WIDTH: f64 = 960.0;
/// Left margin: y tick labels and the rotated y label.
const LEFT: f64 = 96.0;
/// Width of the legend column right of the plots.
const LEGEND: f64 = 230.0;
/// Vertical room of a panel title above its plot area.
const PANEL_TITLE: f64 = 30.0;
/// Vertical room below a plot area for x tick labels and the x label.
const BELOW: f64 = 62.0;
/// The font stack (the PNG rasteriser embeds DejaVu Sans).
pub(super) const FONT: &str = "DejaVu Sans, Arial, Helvetica, sans-serif";

#[derive(Clone, Copy, Debug)]
struct Map {
    scale: Scale,
    lo: f64,
    hi: f64,
    p0: f64,
    p1: f64,
}

impl Map {
    fn t(&self, v: f64) -> f64 {
        match self.scale {
            Scale::Linear => v,
            Scale::Log => v.log10(),
        }
    }

    fn valid(&self, v: f64) -> bool {
        v.is_finite() && (self.scale == Scale::Linear || v > 0.0)
    }

    /// Pixel position of `v` (assumed valid).
    fn px(&self, v: f64) -> f64 {
        let (a, b) = (self.t(self.lo), self.t(self.hi));
        self.p0 + (self.t(v) - a) / (b - a) * (self.p1 - self.p0)
    }

    fn scale_is_log(&self) -> bool {
        self.scale == Scale::Log
    }

    fn contains(&self, v: f64) -> bool {
        self.valid(v) && v >= self.lo && v <= self.hi
    }
}

/// Escapes text for XML content and attribute values.
pub(super) fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A lowercase ASCII slug of a name, for ids.
fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

/// SVG path data through the valid points, restarting after invalid ones.
fn path_data(points: &[[f64; 2]], x: &Map, y: &Map) -> String {
    let mut d = String::new();
    let mut pen_down = false;
    for p in points {
        if x.valid(p[0]) && y.valid(p[1]) {
            let cmd = if pen_down { 'L' } else { 'M' };
            let _ = write!(d, "{cmd}{:.2} {:.2} ", x.px(p[0]), y.px(p[1]));
            pen_down = true;
        } else {
            pen_down = false;
        }
    }
    d.trim_end().to_string()
}

/// The dash pattern of a style, if dashed.
fn dash(style: Style) -> &'static str {
    if style == Style::Dashed {
        " stroke-dasharray=\"9 6\""
    } else {
        ""
    }
}

/// Renders the figure as a standalone SVG document.
pub fn render(fig: &Figure) -> String {
    render_with(fig, &Options::default())
}

/// Fixed axis ranges of a panel, `[(x_lo, x_hi), (y_lo, y_hi)]`.
pub type Bounds = [(f64, f64); 2];

/// How a figure is laid out and what is drawn over it (an animation's frames).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Options {
    /// Two panels a row on the same 960-pixel width, legends under the plots (the app's 2×2
    /// view); else panels stacked with legends at their right.
    pub grid: bool,
    /// Per panel, axis ranges to use instead of the data's (`None`: from the data).
    pub bounds: Vec<Option<Bounds>>,
    /// Text drawn at the top right, e.g. an animation's step counter.
    pub counter: Option<String>,
    /// The document's height instead of the one its panels need (an animation's frames all
    /// take the last frame's).
    pub height: Option<f64>,
    /// Height of every plotting area instead of the layout's (a slide fits its page).
    pub cell_height: Option<f64>,
    /// Panels a row in the grid layout (`None`: two).
    pub columns: Option<usize>,
}

/// Height of the title band: the counter is drawn in it, the panels start below it.
pub const TITLE_BAND: f64 = 44.0;

/// Renders the figure with layout options as a standalone SVG document.
pub fn render_with(fig: &Figure, options: &Options) -> String {
    let subtitle: Vec<&str> = fig.subtitle.lines().filter(|l| !l.is_empty()).collect();
    let (top, cells) = layout(fig, options);
    let height = (options.height).unwrap_or_else(|| natural_height(top, &cells));
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" font-family="{FONT}">"#
    );
    let _ = writeln!(s, "<title>{}</title>", esc(&fig.title));
    let _ = writeln!(
        s,
        r#"<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="white"/>"#
    );
    let _ = writeln!(
        s,
        r#"<text x="{}" y="32" font-size="22" font-weight="bold" text-anchor="middle">{}</text>"#,
        WIDTH / 2.0,
        esc(&fig.title)
    );
    if let Some(counter) = &options.counter {
        let _ = writeln!(
            s,
            r##"<text class="counter" x="{}" y="32" font-size="18" fill="#222222" text-anchor="end">{}</text>"##,
            WIDTH - 14.0,
            esc(counter)
        );
    }
    for (i, line) in subtitle.iter().enumerate() {
        let _ = writeln!(
            s,
            r##"<text x="{}" y="{}" font-size="14" fill="#444444" text-anchor="middle">{}</text>"##,
            WIDTH / 2.0,
            56.0 + 20.0 * i as f64,
            esc(line)
        );
    }
    for (k, (panel, cell)) in fig.panels.iter().zip(&cells).enumerate() {
        let pinned = options.bounds.get(k).copied().flatten();
        render_panel(&mut s, k, panel, cell, pinned);
    }
    s.push_str("</svg>\n");
    s
}

/// Where the panels start and their cells.
fn layout(fig: &Figure, options: &Options) -> (f64, Vec<grid::Cell>) {
    let lines = fig.subtitle.lines().filter(|l| !l.is_empty()).count();
    let top = 48.0 + 20.0 * lines as f64 + if lines == 0 { 0.0 } else { 4.0 };
    (top, grid::cells(fig, options, top))
}

/// The height the cells need below `top`.
fn natural_height(top: f64, cells: &[grid::Cell]) -> f64 {
    cells.iter().map(|c| c.bottom).fold(top, f64::max) + 8.0
}

/// The height of the document [`render_with`] writes.
pub fn height(fig: &Figure, options: &Options) -> f64 {
    let (top, cells) = layout(fig, options);
    options
        .height
        .unwrap_or_else(|| natural_height(top, &cells))
}

/// Draws one panel in its cell, on the pinned axis ranges if given.
fn render_panel(s: &mut String, k: usize, p: &Panel, cell: &grid::Cell, pinned: Option<Bounds>) {
    let (left, right, top) = (cell.left, cell.right, cell.top);
    let bottom = top + cell.height;
    let [(xlo, xhi), (ylo, yhi)] = pinned.unwrap_or_else(|| bounds(p));
    let x = Map {
        scale: p.x.scale,
        lo: xlo,
        hi: xhi,
        p0: left,
        p1: right,
    };
    let y = Map {
        scale: p.y.scale,
        lo: ylo,
        hi: yhi,
        p0: bottom,
        p1: top,
    };
    let (w, h) = (right - left, cell.height);

    let _ = writeln!(s, r#"<g class="panel" id="panel-{k}">"#);
    let _ = writeln!(
        s,
        r#"<text x="{}" y="{}" font-size="{}" font-weight="bold" text-anchor="middle">{}</text>"#,
        (left + right) / 2.0,
        top - 10.0,
        grid::fit_font(&p.title, 17.0, cell.title_width),
        esc(&p.title)
    );
    let _ = writeln!(
        s,
        r##"<clipPath id="clip-{k}"><rect x="{left}" y="{top}" width="{w}" height="{h}"/></clipPath>"##
    );
    // Grid and ticks.
    // A heatmap's ticks sit at its cells' centres, labelled with their grid values.
    let cells = |v: &[f64], log: bool| {
        Heatmap::centres(v, log)
            .into_iter()
            .zip(v.to_vec())
            .collect()
    };
    let (xs, ys): (Option<Vec<_>>, Option<Vec<_>>) = (p.heatmap.as_ref())
        .map(|h| {
            (
                Some(cells(&h.xs, x.scale_is_log())),
                Some(cells(&h.ys, y.scale_is_log())),
            )
        })
        .unwrap_or_default();
    axes::axis_ticks(s, &p.x, &x, (top, bottom), true, xs.as_deref());
    axes::axis_ticks(s, &p.y, &y, (left, right), false, ys.as_deref());
    // Axis labels.
    let _ = writeln!(
        s,
        r#"<text class="axis-label" x="{}" y="{}" font-size="15" text-anchor="middle">{}</text>"#,
        (left + right) / 2.0,
        bottom + 50.0,
        esc(&p.x.label)
    );
    let (lx, ly) = (cell.x0 + 22.0, top + h / 2.0);
    let _ = writeln!(
        s,
        r#"<text class="axis-label" x="{lx}" y="{ly}" font-size="15" text-anchor="middle" transform="rotate(-90 {lx} {ly})">{}</text>"#,
        esc(&p.y.label)
    );
    // Data.
    let _ = writeln!(s, r#"<g clip-path="url(#clip-{k})">"#);
    if let Some(h) = &p.heatmap {
        heatmap::render_cells(s, h, &x, &y);
    }
    for (j, r) in p.series.iter().enumerate() {
        let band: Vec<&[f64; 3]> = r
            .band
            .iter()
            .filter(|q| x.valid(q[0]) && y.valid(q[1]) && y.valid(q[2]))
            .collect();
        if band.len() >= 2 {
            let mut d = String::new();
            for (i, q) in band.iter().enumerate() {
                let _ = write!(
                    d,
                    "{}{:.2} {:.2} ",
                    if i == 0 { 'M' } else { 'L' },
                    x.px(q[0]),
                    y.px(q[2])
                );
            }
            for q in band.iter().rev() {
                let _ = write!(d, "L{:.2} {:.2} ", x.px(q[0]), y.px(q[1]));
            }
            let _ = writeln!(
                s,
                r#"<path class="band" id="band-{k}-{j}-{}" data-series="{}" d="{}Z" fill="{}" fill-opacity="0.18" stroke="none"/>"#,
                slug(&r.name),
                esc(&r.name),
                d,
                hex(r.color)
            );
        }
    }
    for (j, r) in p.references.iter().enumerate() {
        if y.contains(r.value) {
            let py = y.px(r.value);
            let _ = writeln!(
                s,
                r#"<line class="reference" data-series="{}" x1="{left}" y1="{py:.2}" x2="{right}" y2="{py:.2}" stroke="{}" stroke-width="2" stroke-dasharray="9 6"/>"#,
                esc(&r.name),
                hex(r.color)
            );
        } else if y.valid(r.value) {
            axes::off_scale_marker(s, r, j, y.px(r.value) > bottom, (left, top, bottom));
        }
    }
    for (j, r) in p.series.iter().enumerate() {
        let id = format!("series-{k}-{j}-{}", slug(&r.name));
        let color = hex(r.color);
        match r.style {
            Style::Line | Style::Dashed | Style::LineDots => {
                let _ = writeln!(
                    s,
                    r#"<path class="series" id="{id}" data-series="{}" d="{}" fill="none" stroke="{color}" stroke-width="2.5" stroke-linejoin="round" stroke-linecap="round"{}/>"#,
                    esc(&r.name),
                    path_data(&r.points, &x, &y),
                    dash(r.style)
                );
            }
            Style::Dots | Style::Rings | Style::Hollow => {
                let _ = writeln!(
                    s,
                    r#"<g class="series" id="{id}" data-series="{}">"#,
                    esc(&r.name)
                );
            }
        }
        if r.style != Style::Line && r.style != Style::Dashed {
            if r.style == Style::LineDots {
                let _ = writeln!(s, r#"<g class="markers" data-series="{}">"#, esc(&r.name));
            }
            for q in r.points.iter().filter(|q| x.valid(q[0]) && y.valid(q[1])) {
                let (cx, cy) = (x.px(q[0]), y.px(q[1]));
                let _ = match r.style {
                    Style::Rings => writeln!(
                        s,
                        r#"<circle cx="{cx:.2}" cy="{cy:.2}" r="6" fill="none" stroke="{color}" stroke-width="1.8"/>"#
                    ),
                    Style::Hollow => writeln!(
                        s,
                        r#"<circle cx="{cx:.2}" cy="{cy:.2}" r="5" fill="white" stroke="{color}" stroke-width="2"/>"#
                    ),
                    _ => writeln!(
                        s,
                        r#"<circle cx="{cx:.2}" cy="{cy:.2}" r="3.6" fill="{color}" fill-opacity="0.9"/>"#
                    ),
                };
            }
            s.push_str("</g>\n");
        }
    }
    s.push_str("</g>\n");
    // Frame.
    let _ = writeln!(
        s,
        r##"<rect x="{left}" y="{top}" width="{w}" height="{h}" fill="none" stroke="#222222" stroke-width="1.4"/>"##
    );
    match (&p.heatmap, cell.legend_below) {
        (Some(h), _) => heatmap::render_colour_bar(s, h, right + 18.0, top + 6.0, cell.height),
        (None, false) => legend::render_legend(s, p, &y, right + 18.0, top + 6.0),
        (None, true) => legend::render_legend_rows(s, p, &y, left, bottom + BELOW, right - left),
    }
    s.push_str("</g>\n");
}
