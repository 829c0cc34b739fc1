//! Heatmap cells of a panel (the phase diagram) and their colour bar.

use std::fmt::Write;

use super::{Map, esc};
use crate::figure::num;
use crate::figure::palette::{STATUS_CELL, hex};
use crate::figure::panel::{Cell, Heatmap};
use crate::model::format::short;

/// The data range of the cells' edges along x and y.
pub(super) fn extent(h: &Heatmap, log: [bool; 2]) -> [Vec<f64>; 2] {
    [Heatmap::edges(&h.xs, log[0]), Heatmap::edges(&h.ys, log[1])]
}

/// Draws every cell; diverged and not-converged cells are grey with their status written in.
pub(super) fn render_cells(s: &mut String, h: &Heatmap, x: &Map, y: &Map) {
    let [xe, ye] = extent(h, [x.scale_is_log(), y.scale_is_log()]);
    let _ = writeln!(s, r#"<g class="heatmap">"#);
    for (r, row) in h.cells.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (x0, x1) = (x.px(xe[c]), x.px(xe[c + 1]));
            let (y0, y1) = (y.px(ye[r + 1]), y.px(ye[r]));
            let (fill, text) = match cell {
                Cell::Value(v) => (hex(h.colour(*v)), None),
                Cell::Diverged => (hex(STATUS_CELL), Some("diverged")),
                Cell::NotConverged => (hex(STATUS_CELL), Some("not conv.")),
                Cell::Empty => ("#f2f2f2".to_string(), Some("no run")),
            };
            let title = match cell {
                Cell::Value(v) => num(*v),
                _ => text.unwrap_or_default().to_string(),
            };
            let _ = writeln!(
                s,
                r#"<rect class="cell" x="{x0:.2}" y="{y0:.2}" width="{:.2}" height="{:.2}" fill="{fill}" stroke="white" stroke-width="0.5"><title>{}</title></rect>"#,
                x1 - x0,
                y1 - y0,
                esc(&title)
            );
            if let Some(text) = text {
                let _ = writeln!(
                    s,
                    r#"<text class="status" x="{:.2}" y="{:.2}" font-size="10" fill="{}" text-anchor="middle">{text}</text>"#,
                    0.5 * (x0 + x1),
                    0.5 * (y0 + y1) + 3.5,
                    if *cell == Cell::Empty {
                        "#777777"
                    } else {
                        "white"
                    }
                );
            }
        }
    }
    s.push_str("</g>\n");
}

/// A vertical colour bar with its label and end values, top-left at `(x0, y0)`.
pub(super) fn render_colour_bar(s: &mut String, h: &Heatmap, x0: f64, y0: f64, height: f64) {
    let (lo, hi) = h.range();
    let _ = writeln!(s, r#"<g class="colour-bar">"#);
    let _ = writeln!(
        s,
        r#"<text x="{x0}" y="{:.2}" font-size="13">{}</text>"#,
        y0 + 10.0,
        esc(&h.label)
    );
    let (top, bar) = (y0 + 22.0, (height - 70.0).max(60.0));
    const STEPS: usize = 24;
    for i in 0..STEPS {
        // Top = high values.
        let t = 1.0 - (i as f64 + 0.5) / STEPS as f64;
        let v = h.bar_value(t);
        let _ = writeln!(
            s,
            r#"<rect x="{x0}" y="{:.2}" width="22" height="{:.2}" fill="{}"/>"#,
            top + bar * i as f64 / STEPS as f64,
            bar / STEPS as f64 + 0.3,
            hex(h.colour(v))
        );
    }
    for (v, yy) in [(hi, top + 5.0), (lo, top + bar)] {
        let _ = writeln!(
            s,
            r#"<text x="{}" y="{yy:.2}" font-size="12">{}</text>"#,
            x0 + 28.0,
            short(v)
        );
    }
    // Ticks at the powers of ten inside the bar (and a diverging scale's centre), labelled where
    // they keep clear of the end values and of each other: label baselines are the top value's
    // at `top + 5`, the bottom value's at `top + bar`, a tick's 4 px below its line.
    let mut last_label = top + 5.0;
    for v in h.bar_ticks() {
        let yy = top + bar * (1.0 - h.bar_position(v));
        let _ = writeln!(
            s,
            r#"<line x1="{x0}" y1="{yy:.2}" x2="{:.2}" y2="{yy:.2}" stroke="black" stroke-width="0.8"/>"#,
            x0 + 26.0
        );
        if yy + 4.0 - last_label >= 14.0 && top + bar - (yy + 4.0) >= 14.0 {
            let _ = writeln!(
                s,
                r#"<text x="{}" y="{:.2}" font-size="12">{}</text>"#,
                x0 + 28.0,
                yy + 4.0,
                short(v)
            );
            last_label = yy + 4.0;
        }
    }
    let _ = writeln!(
        s,
        r#"<rect x="{x0}" y="{:.2}" width="22" height="12" fill="{}"/><text x="{}" y="{:.2}" font-size="12">diverged /<tspan x="{}" dy="14">not conv.</tspan></text>"#,
        top + bar + 14.0,
        hex(STATUS_CELL),
        x0 + 28.0,
        top + bar + 24.0,
        x0 + 28.0
    );
    s.push_str("</g>\n");
}
