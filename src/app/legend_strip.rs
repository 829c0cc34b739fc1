//! A live plot's legend as a strip above its plotting area, never on the data: a swatch and the
//! name of each series (one per group), then each reference level with its value. Clicking an
//! entry hides or shows what it names; hovering it says so.

use std::collections::BTreeSet;

use eframe::egui::{self, Color32, Sense, Stroke, pos2, vec2};

use crate::figure::{Panel, Style, num};

/// Size of the legend text in points (presentation mode's zoom enlarges it with the rest).
pub(super) const TEXT_SIZE: f32 = 11.0;

/// How an entry's swatch is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Mark {
    /// A solid line.
    Line,
    /// A dashed line (a formula, a prediction, a test error, a reference level).
    Dashed,
    /// A filled diamond.
    Diamond,
    /// An open ring.
    Ring,
    /// A reference level below the view (a ▼ on the bottom edge).
    Below,
    /// A reference level above the view (a ▲ on the top edge).
    Above,
}

/// One legend entry.
pub(super) struct Entry {
    /// What hiding it hides: a series' legend name or a reference's name.
    pub key: String,
    /// The text shown.
    pub text: String,
    /// The swatch's colour.
    pub color: Color32,
    /// The swatch's shape.
    pub mark: Mark,
    /// Whether a shaded band goes with it.
    pub band: bool,
}

/// The legend entries of `panel`: each series (one per group, in the colour of its first
/// series, as in the exports), then each reference level with its value, drawn as `marks` says (dashed across,
/// or an edge marker when it lies off the view); `tone` maps the palette to the screen.
pub(super) fn entries(
    panel: &Panel,
    marks: &[Mark],
    tone: impl Fn([u8; 3]) -> Color32,
) -> Vec<Entry> {
    let mut entries: Vec<Entry> = Vec::new();
    for s in &panel.series {
        let mark = match s.style {
            Style::Line | Style::LineDots => Mark::Line,
            Style::Dashed => Mark::Dashed,
            Style::Dots => Mark::Diamond,
            Style::Rings | Style::Hollow => Mark::Ring,
        };
        let (key, color, band) = (s.legend_name(), tone(s.color), !s.band.is_empty());
        match entries.iter_mut().find(|e| e.key == key) {
            Some(e) => e.band |= band,
            None => entries.push(Entry {
                key: key.to_string(),
                text: key.to_string(),
                color,
                mark,
                band,
            }),
        }
    }
    for (r, &mark) in panel.references.iter().zip(marks) {
        let place = match mark {
            Mark::Below => " (below the view)",
            Mark::Above => " (above the view)",
            _ => "",
        };
        entries.push(Entry {
            key: r.name.clone(),
            text: format!("{}: {}{place}", r.name, num(r.value)),
            color: tone(r.color),
            mark,
            band: false,
        });
    }
    entries
}

/// How to handle a plot, after the list of its elements.
pub const HANDLING: &str = "Hover a legend entry for what it is; click it to hide it (again to show it). Drag to pan, scroll to zoom, double-click to reset the view; right-click the plot to export it.";

/// The text of a plot's "?": each of its elements and how it is drawn, then how to handle it.
pub fn guide(panel: &Panel) -> String {
    let marks = vec![Mark::Dashed; panel.references.len()];
    let mut text = String::new();
    for e in entries(panel, &marks, |_| Color32::WHITE) {
        text.push_str(&format!("• {} — {}\n", e.text, meaning(e.mark, e.band)));
    }
    text.push('\n');
    text.push_str(HANDLING);
    text
}

/// The memory key of the legend strip's height of the plot `id`.
fn strip_id(id: &str) -> egui::Id {
    egui::Id::unique((id, "strip"))
}

/// The height the legend strip of the plot `id` took when last drawn (0 before).
pub fn strip_height(ui: &egui::Ui, id: &str) -> f32 {
    ui.data(|d| d.get_temp(strip_id(id))).unwrap_or(0.0)
}

/// Remembers the height the legend strip of the plot `id` took this frame.
pub(super) fn remember_height(ui: &egui::Ui, id: &str, height: f32) {
    ui.data_mut(|d| d.insert_temp(strip_id(id), height));
}

/// What a swatch means, for the entry's tooltip.
fn meaning(mark: Mark, band: bool) -> &'static str {
    match (mark, band) {
        (Mark::Line, true) => "solid line, with its shaded band",
        (Mark::Line, false) => "solid line",
        (Mark::Dashed, _) => "dashed line",
        (Mark::Diamond, _) => "filled diamonds",
        (Mark::Ring, _) => "open rings",
        (Mark::Below, _) => "off the bottom of the view: marked ▼ on the bottom edge",
        (Mark::Above, _) => "off the top of the view: marked ▲ on the top edge",
    }
}

/// Draws the strip in the width available; an entry clicked toggles its key in `hidden`.
/// `size` is the text size in points. Returns the entries' rectangles on screen.
pub(super) fn show(
    ui: &mut egui::Ui,
    entries: &[Entry],
    hidden: &mut BTreeSet<String>,
    size: f32,
) -> Vec<egui::Rect> {
    let mut rects = Vec::new();
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing = vec2(0.9 * size, 0.15 * size);
        for e in entries {
            let off = hidden.contains(&e.key);
            let faded = |c: Color32| if off { c.gamma_multiply(0.3) } else { c };
            let mut text = egui::RichText::new(&e.text).size(size);
            if off {
                text = text.strikethrough().weak();
            }
            let galley = egui::WidgetText::from(text).into_galley(
                ui,
                Some(egui::TextWrapMode::Extend),
                f32::INFINITY,
                egui::TextStyle::Body,
            );
            // Swatch and name as one widget, so a wrap never parts them.
            let swatch = vec2(2.0 * size, size);
            let gap = 0.3 * size;
            let width = swatch.x + gap + galley.size().x;
            let height = galley.size().y.max(swatch.y);
            let (rect, both) = ui.allocate_exact_size(vec2(width, height), Sense::click());
            both.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &e.text));
            let at =
                egui::Rect::from_min_size(rect.left_center() - vec2(0.0, 0.5 * swatch.y), swatch);
            paint(ui.painter(), at, faded(e.color), e.mark, e.band);
            let text_at = pos2(at.right() + gap, rect.center().y - 0.5 * galley.size().y);
            let color = ui.visuals().text_color();
            ui.painter().galley(text_at, galley, color);
            let tip = format!(
                "{}: {}. Click to {} it.",
                e.text,
                meaning(e.mark, e.band),
                if off { "show" } else { "hide" }
            );
            rects.push(both.rect);
            if both.on_hover_text(tip).clicked() && !hidden.remove(&e.key) {
                hidden.insert(e.key.clone());
            }
        }
    });
    rects
}

/// Paints a swatch in `rect`.
fn paint(painter: &egui::Painter, rect: egui::Rect, color: Color32, mark: Mark, band: bool) {
    let c = rect.center();
    let r = 0.32 * rect.height();
    if band {
        painter.rect_filled(
            rect.shrink2(vec2(0.0, 0.2 * rect.height())),
            0.0,
            color.gamma_multiply(0.25),
        );
    }
    let (left, right) = (pos2(rect.left(), c.y), pos2(rect.right(), c.y));
    let stroke = Stroke::new(2.0, color);
    match mark {
        Mark::Line => {
            painter.line_segment([left, right], stroke);
        }
        Mark::Dashed => {
            let dash = 0.25 * rect.width();
            painter.extend(egui::Shape::dashed_line(
                &[left, right],
                stroke,
                dash,
                0.5 * dash,
            ));
        }
        Mark::Diamond => {
            let p = [
                c + vec2(0.0, -r),
                c + vec2(r, 0.0),
                c + vec2(0.0, r),
                c + vec2(-r, 0.0),
            ];
            painter.add(egui::Shape::convex_polygon(p.to_vec(), color, Stroke::NONE));
        }
        Mark::Ring => {
            painter.circle_stroke(c, r, Stroke::new(1.5, color));
        }
        Mark::Below | Mark::Above => {
            let s = if mark == Mark::Below { 1.0 } else { -1.0 };
            let p = [
                c + vec2(-r, -s * r),
                c + vec2(r, -s * r),
                c + vec2(0.0, s * r),
            ];
            painter.add(egui::Shape::convex_polygon(p.to_vec(), color, Stroke::NONE));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figure::{Axis, Reference, Series};

    #[test]
    fn each_group_is_listed_once_then_each_level_with_its_value_and_place() {
        let line = |name: &str, color| Series::new(name, color, Style::Line, vec![[1.0, 1.0]]);
        let mut banded = line("GD", [1, 1, 1]);
        banded.band = vec![[1.0, 0.5, 2.0]];
        let panel = Panel {
            title: "t".into(),
            x: Axis::linear("x"),
            y: Axis::log("y"),
            series: vec![
                banded,
                line("β_1", [2, 2, 2]).grouped("off"),
                line("β_2", [3, 3, 3]).grouped("off"),
                Series::new("β*", [4, 4, 4], Style::Rings, vec![]),
            ],
            references: vec![
                Reference {
                    name: "ℓ2".into(),
                    value: 0.5,
                    color: [5, 5, 5],
                },
                Reference {
                    name: "ℓ1".into(),
                    value: 1e-30,
                    color: [6, 6, 6],
                },
            ],
            height: 100.0,
            heatmap: None,
        };
        let tone = |[r, g, b]: [u8; 3]| Color32::from_rgb(r, g, b);
        let e = entries(&panel, &[Mark::Dashed, Mark::Below], tone);
        let texts: Vec<&str> = e.iter().map(|e| e.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "GD",
                "off",
                "β*",
                "ℓ2: 0.5000",
                "ℓ1: 1.000e-30 (below the view)"
            ]
        );
        let keys: Vec<&str> = e.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["GD", "off", "β*", "ℓ2", "ℓ1"]);
        assert!(e[0].band && !e[1].band);
        assert_eq!(
            e[1].color,
            tone([2, 2, 2]),
            "a group takes its first series' colour"
        );
        let marks: Vec<Mark> = e.iter().map(|e| e.mark).collect();
        assert_eq!(
            marks,
            [
                Mark::Line,
                Mark::Line,
                Mark::Ring,
                Mark::Dashed,
                Mark::Below
            ]
        );
        // The plot's "?" lists the same elements with what their swatches mean.
        let text = guide(&panel);
        for line in [
            "• GD — solid line, with its shaded band",
            "• off — solid line",
            "• β* — open rings",
            "• ℓ2: 0.5000 — dashed line",
        ] {
            assert!(text.contains(line), "{line} in {text}");
        }
        assert!(text.ends_with(HANDLING));
    }
}
