//! A panel's legend: a column right of the plot (one entry per series, then the reference levels
//! with their values and where they lie when off the axis), or rows under it in the grid layout.

use std::fmt::Write;

use super::{Map, dash, esc};
use crate::figure::num;
use crate::figure::palette::hex;
use crate::figure::panel::{Panel, Reference, Series, Style};

/// The series with a legend entry of their own (one per group).
fn entries(p: &Panel) -> Vec<&Series> {
    let mut listed: Vec<&Series> = Vec::new();
    for r in &p.series {
        if !listed.iter().any(|l| l.legend_name() == r.legend_name()) {
            listed.push(r);
        }
    }
    listed
}

/// The swatch of a series, 32 pixels wide, centred on `row`.
fn swatch(s: &mut String, r: &Series, x0: f64, row: f64) {
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
        Style::Dots | Style::Rings | Style::Hollow => {}
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
        Style::Hollow => {
            let _ = writeln!(
                s,
                r#"<circle cx="{}" cy="{row:.2}" r="5" fill="white" stroke="{color}" stroke-width="2"/>"#,
                x0 + 16.0
            );
        }
        Style::Line | Style::Dashed => {}
    }
}

/// The dashed swatch of a reference level, 32 pixels wide.
fn reference_swatch(s: &mut String, r: &Reference, x0: f64, row: f64) {
    let _ = writeln!(
        s,
        r#"<line x1="{x0}" y1="{row:.2}" x2="{}" y2="{row:.2}" stroke="{}" stroke-width="2" stroke-dasharray="6 4"/>"#,
        x0 + 32.0,
        hex(r.color)
    );
}

/// Where a reference level lies relative to the axis, as a legend suffix.
fn off_axis(r: &Reference, y: &Map) -> &'static str {
    if y.contains(r.value) {
        ""
    } else if y.valid(r.value) && r.value < y.lo {
        ", below the axis"
    } else {
        ", off the axis"
    }
}

/// A legend text of font `size` centred on `row`, from `x`.
fn text(s: &mut String, x: f64, row: f64, size: f64, name: &str) {
    let _ = writeln!(
        s,
        r#"<text x="{x}" y="{:.2}" font-size="{size}">{}</text>"#,
        row + (size / 2.8).round(),
        esc(name)
    );
}

/// Draws the legend of a panel with its top-left corner at `(x0, y0)`.
pub(super) fn render_legend(s: &mut String, p: &Panel, y: &Map, x0: f64, y0: f64) {
    let _ = writeln!(s, r#"<g class="legend">"#);
    let mut row = y0 + 12.0;
    for r in entries(p) {
        swatch(s, r, x0, row);
        text(s, x0 + 40.0, row, 14.0, r.legend_name());
        row += 24.0;
    }
    for r in &p.references {
        reference_swatch(s, r, x0, row);
        text(s, x0 + 40.0, row, 14.0, &r.name);
        let _ = writeln!(
            s,
            r##"<text x="{}" y="{:.2}" font-size="12" fill="#555555">= {}{}</text>"##,
            x0 + 40.0,
            row + 21.0,
            num(r.value),
            off_axis(r, y)
        );
        row += 40.0;
    }
    s.push_str("</g>\n");
}

/// Height of a legend row in the grid layout.
const ROW: f64 = 19.0;

/// Height of the legend rows under a grid panel: series two a row, then a row per reference.
pub(super) fn rows_height(p: &Panel) -> f64 {
    (entries(p).len().div_ceil(2) + p.references.len()) as f64 * ROW + 4.0
}

/// Draws the legend as rows `width` wide under a grid panel, from `(x0, y0)`.
pub(super) fn render_legend_rows(s: &mut String, p: &Panel, y: &Map, x0: f64, y0: f64, width: f64) {
    let _ = writeln!(s, r#"<g class="legend">"#);
    let series = entries(p);
    for (i, r) in series.iter().enumerate() {
        let x = x0 + (i % 2) as f64 * width / 2.0;
        let row = y0 + ROW * (i / 2) as f64 + ROW / 2.0;
        swatch(s, r, x, row);
        text(s, x + 38.0, row, 12.0, r.legend_name());
    }
    let first = series.len().div_ceil(2);
    for (i, r) in p.references.iter().enumerate() {
        let row = y0 + ROW * (first + i) as f64 + ROW / 2.0;
        reference_swatch(s, r, x0, row);
        let label = format!("{} = {}{}", r.name, num(r.value), off_axis(r, y));
        text(s, x0 + 38.0, row, 12.0, &label);
    }
    s.push_str("</g>\n");
}
