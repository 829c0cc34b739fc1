//! A small hand-written SVG line-plot writer: stacked panels with axes, ticks (decades on log
//! axes), axis labels, titles, a legend, optional bands and dashed reference levels.
//!
//! Each series is one element with `class="series"`, a unique `id` and `data-series` naming it;
//! bands have `class="band"`, reference levels `class="reference"`.

use std::fmt::Write;

use super::palette::hex;

/// Width of the whole figure in pixels.
const WIDTH: f64 = 960.0;
/// Left margin: y tick labels and the rotated y label.
const LEFT: f64 = 96.0;
/// Width of the legend column right of the plots.
const LEGEND: f64 = 230.0;
/// Vertical room of a panel title above its plot area.
const PANEL_TITLE: f64 = 30.0;
/// Vertical room below a plot area for x tick labels and the x label.
const BELOW: f64 = 62.0;
/// The font stack (the PNG rasteriser embeds DejaVu Sans).
const FONT: &str = "DejaVu Sans, Arial, Helvetica, sans-serif";

/// How values map to an axis.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    /// Linear.
    Linear,
    /// Base-10 logarithmic; values `≤ 0` are not drawn.
    Log,
}

/// An axis: its label and scale.
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    /// Label drawn along the axis.
    pub label: String,
    /// Linear or logarithmic.
    pub scale: Scale,
}

impl Axis {
    /// A linear axis.
    pub fn linear(label: impl Into<String>) -> Axis {
        Axis {
            label: label.into(),
            scale: Scale::Linear,
        }
    }

    /// A log10 axis.
    pub fn log(label: impl Into<String>) -> Axis {
        Axis {
            label: label.into(),
            scale: Scale::Log,
        }
    }
}

/// How a series is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// A solid line.
    Line,
    /// A dashed line.
    Dashed,
    /// A solid line with a dot at every point.
    LineDots,
    /// Filled dots only.
    Dots,
    /// Open rings only.
    Rings,
}

/// One named series of `(x, y)` points, optionally with a band `(x, lower, upper)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// Legend text.
    pub name: String,
    /// Colour `[r, g, b]`.
    pub color: [u8; 3],
    /// How it is drawn.
    pub style: Style,
    /// The points; non-finite (or, on log axes, non-positive) ones break the line.
    pub points: Vec<[f64; 2]>,
    /// A shaded band `(x, lower, upper)` behind the line; empty for none.
    pub band: Vec<[f64; 3]>,
}

impl Series {
    /// A series without a band.
    pub fn new(
        name: impl Into<String>,
        color: [u8; 3],
        style: Style,
        points: Vec<[f64; 2]>,
    ) -> Series {
        Series {
            name: name.into(),
            color,
            style,
            points,
            band: Vec::new(),
        }
    }
}

/// A horizontal dashed reference level.
#[derive(Clone, Debug, PartialEq)]
pub struct Reference {
    /// Legend text.
    pub name: String,
    /// The y value.
    pub value: f64,
    /// Colour `[r, g, b]`.
    pub color: [u8; 3],
}

/// One plot: axes, series and reference levels.
#[derive(Clone, Debug, PartialEq)]
pub struct Panel {
    /// Title above the plot.
    pub title: String,
    /// The x axis.
    pub x: Axis,
    /// The y axis.
    pub y: Axis,
    /// The series, drawn in order (later on top).
    pub series: Vec<Series>,
    /// Horizontal reference levels.
    pub references: Vec<Reference>,
    /// Height of the plotting area in pixels.
    pub height: f64,
}

/// A figure: a title, a subtitle and panels stacked vertically on a shared width.
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    /// Title at the top.
    pub title: String,
    /// Smaller text under the title (e.g. the parameters); one line per `\n`.
    pub subtitle: String,
    /// The panels, top to bottom.
    pub panels: Vec<Panel>,
}

/// A data range mapped onto a pixel interval.
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

    fn contains(&self, v: f64) -> bool {
        self.valid(v) && v >= self.lo && v <= self.hi
    }
}

/// The range of `values` (valid for `scale`), padded by 4%, never empty.
fn range(values: impl Iterator<Item = f64>, scale: Scale) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.filter(|v| v.is_finite() && (scale == Scale::Linear || *v > 0.0)) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if lo > hi {
        return match scale {
            Scale::Linear => (0.0, 1.0),
            Scale::Log => (0.1, 10.0),
        };
    }
    match scale {
        Scale::Linear => {
            if hi - lo <= f64::EPSILON * hi.abs().max(1.0) {
                let w = (lo.abs() * 0.1).max(1.0);
                return (lo - w, hi + w);
            }
            let pad = 0.04 * (hi - lo);
            (lo - pad, hi + pad)
        }
        Scale::Log => {
            let (a, b) = (lo.log10(), hi.log10());
            let pad = if b - a < 1e-9 { 0.5 } else { 0.04 * (b - a) };
            (10f64.powf(a - pad), 10f64.powf(b + pad))
        }
    }
}

/// A tick: position, and its label if it has one.
type Tick = (f64, Option<String>);

/// Ticks of a range: 1-2-5 steps on linear axes; decades (and minor ticks) on log axes.
fn ticks(lo: f64, hi: f64, scale: Scale) -> Vec<Tick> {
    match scale {
        Scale::Linear => {
            // The smallest 1-2-5 step giving at most 8 intervals.
            let raw = (hi - lo) / 8.0;
            let mag = 10f64.powf(raw.log10().floor());
            let step = [1.0, 2.0, 5.0, 10.0]
                .into_iter()
                .map(|m| m * mag)
                .find(|s| *s >= raw * 0.999)
                .unwrap_or(10.0 * mag);
            let decimals = (-step.log10().floor()).max(0.0) as usize;
            let first = (lo / step).ceil() as i64;
            let last = (hi / step).floor() as i64;
            (first..=last)
                .map(|k| {
                    let v = if k == 0 { 0.0 } else { k as f64 * step };
                    (v, Some(format!("{v:.decimals$}").replace('-', "−")))
                })
                .collect()
        }
        Scale::Log => {
            let (a, b) = (lo.log10().ceil() as i32, hi.log10().floor() as i32);
            let decades = (b - a + 1).max(0);
            let every = ((decades as f64 / 7.0).ceil() as i32).max(1);
            let plain = a >= -3 && b <= 4;
            let mut out: Vec<Tick> = Vec::new();
            for e in (lo.log10().floor() as i32)..=(hi.log10().ceil() as i32) {
                for m in 1..=9 {
                    let v = m as f64 * 10f64.powi(e);
                    if v < lo || v > hi {
                        continue;
                    }
                    let label = if m == 1 {
                        (e.rem_euclid(every) == 0).then(|| decade_label(e, plain))
                    } else if decades <= 1 || (decades < 3 && (m == 2 || m == 5)) {
                        Some(if plain {
                            plain_number(v)
                        } else {
                            format!("{m}·{}", decade_label(e, false))
                        })
                    } else {
                        None
                    };
                    if m == 1 || decades <= 6 {
                        out.push((v, label));
                    }
                }
            }
            out
        }
    }
}

/// `10ⁿ` with superscript digits, or the plain number when `plain`.
fn decade_label(e: i32, plain: bool) -> String {
    if plain {
        return plain_number(10f64.powi(e));
    }
    const SUP: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    let mut s = String::from("10");
    if e < 0 {
        s.push('⁻');
    }
    for c in e.unsigned_abs().to_string().chars() {
        s.push(SUP[c.to_digit(10).unwrap_or(0) as usize]);
    }
    s
}

/// A short decimal form of a 1-2-5 tick value such as `0.02` or `500`.
fn plain_number(v: f64) -> String {
    let s = format!("{v:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A value with three significant digits, in scientific notation when far from 1.
pub fn short_number(v: f64) -> String {
    if v == 0.0 {
        "0".to_string()
    } else if (1e-3..1e4).contains(&v.abs()) {
        let decimals = (2 - v.abs().log10().floor() as i32).max(0) as usize;
        format!("{v:.decimals$}")
    } else {
        format!("{v:.2e}")
    }
}

/// Escapes text for XML content and attribute values.
fn esc(s: &str) -> String {
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
    let subtitle: Vec<&str> = fig.subtitle.lines().filter(|l| !l.is_empty()).collect();
    let top = 48.0 + 20.0 * subtitle.len() as f64 + if subtitle.is_empty() { 0.0 } else { 4.0 };
    let height = top
        + fig
            .panels
            .iter()
            .map(|p| PANEL_TITLE + p.height + BELOW)
            .sum::<f64>()
        + 8.0;
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
    for (i, line) in subtitle.iter().enumerate() {
        let _ = writeln!(
            s,
            r##"<text x="{}" y="{}" font-size="14" fill="#444444" text-anchor="middle">{}</text>"##,
            WIDTH / 2.0,
            56.0 + 20.0 * i as f64,
            esc(line)
        );
    }
    let mut y0 = top;
    for (k, panel) in fig.panels.iter().enumerate() {
        render_panel(&mut s, k, panel, y0 + PANEL_TITLE);
        y0 += PANEL_TITLE + panel.height + BELOW;
    }
    s.push_str("</svg>\n");
    s
}

/// Draws one panel whose plotting area starts at `top`.
fn render_panel(s: &mut String, k: usize, p: &Panel, top: f64) {
    let (left, right) = (LEFT, WIDTH - LEGEND);
    let bottom = top + p.height;
    let xs = p.series.iter().flat_map(|r| {
        r.points
            .iter()
            .map(|q| q[0])
            .chain(r.band.iter().map(|q| q[0]))
    });
    let (xlo, xhi) = range(xs, p.x.scale);
    let ys = p.series.iter().flat_map(|r| {
        r.points
            .iter()
            .map(|q| q[1])
            .chain(r.band.iter().flat_map(|q| [q[1], q[2]]))
    });
    let (dlo, dhi) = range(ys.clone(), p.y.scale);
    // Reference levels join the range unless they are far off the data (e.g. an exact ℓ1 fit).
    let near = |v: f64| match p.y.scale {
        Scale::Log => v > 0.0 && v >= dlo / 1e3 && v <= dhi * 1e3,
        Scale::Linear => v.is_finite() && (v - dlo).abs().min((v - dhi).abs()) <= 3.0 * (dhi - dlo),
    };
    let refs = p.references.iter().map(|r| r.value).filter(|v| near(*v));
    let (ylo, yhi) = range(ys.chain(refs), p.y.scale);
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
    let (w, h) = (right - left, p.height);

    let _ = writeln!(s, r#"<g class="panel" id="panel-{k}">"#);
    let _ = writeln!(
        s,
        r#"<text x="{}" y="{}" font-size="17" font-weight="bold" text-anchor="middle">{}</text>"#,
        (left + right) / 2.0,
        top - 10.0,
        esc(&p.title)
    );
    let _ = writeln!(
        s,
        r##"<clipPath id="clip-{k}"><rect x="{left}" y="{top}" width="{w}" height="{h}"/></clipPath>"##
    );
    // Grid and ticks.
    for (v, label) in ticks(xlo, xhi, p.x.scale) {
        let px = x.px(v);
        let major = label.is_some();
        if major {
            let _ = writeln!(
                s,
                r##"<line x1="{px:.2}" y1="{top}" x2="{px:.2}" y2="{bottom}" stroke="#e4e4e4" stroke-width="1"/>"##
            );
        }
        let len = if major { 7.0 } else { 4.0 };
        let _ = writeln!(
            s,
            r##"<line x1="{px:.2}" y1="{bottom}" x2="{px:.2}" y2="{}" stroke="#222222" stroke-width="1.2"/>"##,
            bottom + len
        );
        if let Some(text) = label {
            let _ = writeln!(
                s,
                r#"<text class="tick" x="{px:.2}" y="{}" font-size="14" text-anchor="middle">{}</text>"#,
                bottom + 24.0,
                esc(&text)
            );
        }
    }
    for (v, label) in ticks(ylo, yhi, p.y.scale) {
        let py = y.px(v);
        let major = label.is_some();
        if major {
            let _ = writeln!(
                s,
                r##"<line x1="{left}" y1="{py:.2}" x2="{right}" y2="{py:.2}" stroke="#e4e4e4" stroke-width="1"/>"##
            );
        }
        let len = if major { 7.0 } else { 4.0 };
        let _ = writeln!(
            s,
            r##"<line x1="{}" y1="{py:.2}" x2="{left}" y2="{py:.2}" stroke="#222222" stroke-width="1.2"/>"##,
            left - len
        );
        if let Some(text) = label {
            let _ = writeln!(
                s,
                r#"<text class="tick" x="{}" y="{:.2}" font-size="14" text-anchor="end">{}</text>"#,
                left - 10.0,
                py + 5.0,
                esc(&text)
            );
        }
    }
    // Axis labels.
    let _ = writeln!(
        s,
        r#"<text class="axis-label" x="{}" y="{}" font-size="15" text-anchor="middle">{}</text>"#,
        (left + right) / 2.0,
        bottom + 50.0,
        esc(&p.x.label)
    );
    let (lx, ly) = (22.0, top + h / 2.0);
    let _ = writeln!(
        s,
        r#"<text class="axis-label" x="{lx}" y="{ly}" font-size="15" text-anchor="middle" transform="rotate(-90 {lx} {ly})">{}</text>"#,
        esc(&p.y.label)
    );
    // Data.
    let _ = writeln!(s, r#"<g clip-path="url(#clip-{k})">"#);
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
    for r in &p.references {
        if y.contains(r.value) {
            let py = y.px(r.value);
            let _ = writeln!(
                s,
                r#"<line class="reference" data-series="{}" x1="{left}" y1="{py:.2}" x2="{right}" y2="{py:.2}" stroke="{}" stroke-width="2" stroke-dasharray="9 6"/>"#,
                esc(&r.name),
                hex(r.color)
            );
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
            Style::Dots | Style::Rings => {
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
    render_legend(s, p, &y, right + 18.0, top + 6.0);
    s.push_str("</g>\n");
}

/// Draws the legend of a panel with its top-left corner at `(x0, y0)`.
fn render_legend(s: &mut String, p: &Panel, y: &Map, x0: f64, y0: f64) {
    let _ = writeln!(s, r#"<g class="legend">"#);
    let mut row = y0 + 12.0;
    let entry = |s: &mut String, row: f64, name: &str| {
        let _ = writeln!(
            s,
            r#"<text x="{}" y="{:.2}" font-size="14">{}</text>"#,
            x0 + 40.0,
            row + 5.0,
            esc(name)
        );
    };
    for r in &p.series {
        let color = hex(r.color);
        if !r.band.is_empty() {
            let _ = writeln!(
                s,
                r#"<rect x="{x0}" y="{:.2}" width="32" height="14" fill="{color}" fill-opacity="0.18"/>"#,
                row - 7.0
            );
        }
        match r.style {
            Style::Line | Style::Dashed | Style::LineDots => {
                let _ = writeln!(
                    s,
                    r#"<line x1="{x0}" y1="{row:.2}" x2="{}" y2="{row:.2}" stroke="{color}" stroke-width="2.5"{}/>"#,
                    x0 + 32.0,
                    dash(r.style)
                );
            }
            Style::Dots | Style::Rings => {}
        }
        match r.style {
            Style::LineDots | Style::Dots => {
                let _ = writeln!(
                    s,
                    r#"<circle cx="{}" cy="{row:.2}" r="3.6" fill="{color}"/>"#,
                    x0 + 16.0
                );
            }
            Style::Rings => {
                let _ = writeln!(
                    s,
                    r#"<circle cx="{}" cy="{row:.2}" r="6" fill="none" stroke="{color}" stroke-width="1.8"/>"#,
                    x0 + 16.0
                );
            }
            Style::Line | Style::Dashed => {}
        }
        entry(s, row, &r.name);
        row += 24.0;
    }
    for r in &p.references {
        let _ = writeln!(
            s,
            r#"<line x1="{x0}" y1="{row:.2}" x2="{}" y2="{row:.2}" stroke="{}" stroke-width="2" stroke-dasharray="6 4"/>"#,
            x0 + 32.0,
            hex(r.color)
        );
        let off = if y.contains(r.value) {
            ""
        } else if y.valid(r.value) && r.value < y.lo {
            ", below the axis"
        } else {
            ", off the axis"
        };
        entry(s, row, &r.name);
        let _ = writeln!(
            s,
            r##"<text x="{}" y="{:.2}" font-size="12" fill="#555555">= {}{off}</text>"##,
            x0 + 40.0,
            row + 21.0,
            short_number(r.value)
        );
        row += 40.0;
    }
    s.push_str("</g>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(lo: f64, hi: f64, scale: Scale) -> Vec<String> {
        ticks(lo, hi, scale)
            .into_iter()
            .filter_map(|t| t.1)
            .collect()
    }

    #[test]
    fn log_ticks_label_decades_and_one_two_five_on_short_ranges() {
        assert_eq!(labels(0.008, 2.5, Scale::Log), ["0.01", "0.1", "1"]);
        assert_eq!(
            labels(0.008, 0.6, Scale::Log),
            ["0.01", "0.02", "0.05", "0.1", "0.2", "0.5"]
        );
        assert_eq!(labels(0.35, 0.75, Scale::Log), ["0.4", "0.5", "0.6", "0.7"]);
        let wide = labels(1e-21, 10.0, Scale::Log);
        assert!(wide.len() <= 8, "{wide:?}");
        assert!(wide.contains(&"10⁻²⁰".to_string()), "{wide:?}");
    }

    #[test]
    fn linear_ticks_are_round_numbers() {
        assert_eq!(
            labels(-0.13, 1.07, Scale::Linear),
            ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"]
        );
        assert_eq!(
            labels(-0.7, 0.7, Scale::Linear),
            ["−0.6", "−0.4", "−0.2", "0.0", "0.2", "0.4", "0.6"]
        );
    }
}
