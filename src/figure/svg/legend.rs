//! The legend column right of a panel: one entry per series, then the reference levels with
//! their values (and where they lie when off the axis).

use std::fmt::Write;

use super::{Map, dash, esc};
use crate::figure::num;
use crate::figure::palette::hex;
use crate::figure::panel::{Panel, Style};

/// Draws the legend of a panel with its top-left corner at `(x0, y0)`.
pub(super) fn render_legend(s: &mut String, p: &Panel, y: &Map, x0: f64, y0: f64) {
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
    let mut listed: Vec<&str> = Vec::new();
    for r in &p.series {
        if listed.contains(&r.legend_name()) {
            continue;
        }
        listed.push(r.legend_name());
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
        entry(s, row, r.legend_name());
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
            num(r.value)
        );
        row += 40.0;
    }
    s.push_str("</g>\n");
}
