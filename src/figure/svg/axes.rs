//! The axes of a panel: their ranges, tick marks, grid lines and tick labels, and the edge
//! markers of reference levels off the view.

use std::fmt::Write;

use super::{Bounds, Map, esc, heatmap};
use crate::figure::palette::hex;
use crate::figure::panel::{Axis, Panel, Reference, Scale};
use crate::figure::ticks::{range, ticks};
use crate::model::format::{num, short};

/// Font size of the tick labels.
const TICK_SIZE: f64 = 14.0;

/// The axis ranges a panel is drawn with when none are pinned: the data's, padded, with the
/// reference levels that lie near it.
pub fn bounds(p: &Panel) -> Bounds {
    let log = [p.x.scale == Scale::Log, p.y.scale == Scale::Log];
    let [hx, hy] =
        (p.heatmap.as_ref()).map_or([Vec::new(), Vec::new()], |h| heatmap::extent(h, log));
    let xs = p.series.iter().flat_map(|r| {
        r.points
            .iter()
            .map(|q| q[0])
            .chain(r.band.iter().map(|q| q[0]))
    });
    let xs = xs.chain(hx);
    let x = range(xs, p.x.scale);
    let ys = p.series.iter().flat_map(|r| {
        r.points
            .iter()
            .map(|q| q[1])
            .chain(r.band.iter().flat_map(|q| [q[1], q[2]]))
    });
    let ys = ys.chain(hy).chain(p.y.include.iter().flatten().copied());
    let (dlo, dhi) = range(ys.clone(), p.y.scale);
    // Reference levels join the range unless they are far off the data (e.g. an exact ℓ1 fit).
    let near = |v: f64| match p.y.scale {
        Scale::Log => v > 0.0 && v >= dlo / 1e3 && v <= dhi * 1e3,
        Scale::Linear => v.is_finite() && (v - dlo).abs().min((v - dhi).abs()) <= 3.0 * (dhi - dlo),
    };
    let refs = p.references.iter().map(|r| r.value).filter(|v| near(*v));
    [x, range(ys.chain(refs), p.y.scale)]
}

/// Tick marks, grid lines and labels of one axis; `span` is the plot's extent across it;
/// `cells`, if given, are the only ticks: (position, grid value) of a heatmap's cells.
pub(super) fn axis_ticks(
    s: &mut String,
    axis: &Axis,
    map: &Map,
    (a, b): (f64, f64),
    horizontal: bool,
    cells: Option<&[(f64, f64)]>,
) {
    let all = match cells {
        Some(c) => (c.iter().filter(|(at, _)| map.contains(*at)))
            .map(|(at, v)| (*at, Some(short(*v))))
            .collect(),
        None => ticks(map.lo, map.hi, axis.scale),
    };
    let shown = legible(&all, map, horizontal);
    for (k, (v, label)) in all.into_iter().enumerate() {
        let p = map.px(v);
        let major = label.is_some();
        let label = label.filter(|_| shown[k]);
        let len = if major { 7.0 } else { 4.0 };
        // (x1, y1, x2, y2) of a grid line across the plot and of the tick outside it.
        let (grid, tick) = if horizontal {
            ([p, a, p, b], [p, b, p, b + len])
        } else {
            ([a, p, b, p], [a - len, p, a, p])
        };
        if major {
            line(s, grid, "#e4e4e4", 1.0);
        }
        line(s, tick, "#222222", 1.2);
        if let Some(text) = label {
            let (tx, ty, anchor) = if horizontal {
                (p, b + 24.0, "middle")
            } else {
                (a - 10.0, p + 5.0, "end")
            };
            let _ = writeln!(
                s,
                r#"<text class="tick" x="{tx:.2}" y="{ty:.2}" font-size="{TICK_SIZE}" text-anchor="{anchor}">{}</text>"#,
                esc(&text)
            );
        }
    }
}

/// Which tick labels to write so that none overlaps another: the shortest (roundest) first,
/// then each other one that keeps its distance (a label's height apart on a vertical axis, its
/// estimated width on a horizontal one).
fn legible(ticks: &[(f64, Option<String>)], map: &Map, horizontal: bool) -> Vec<bool> {
    let extent = |text: &str| match horizontal {
        true => 0.6 * TICK_SIZE * text.chars().count() as f64 + 8.0,
        false => 1.15 * TICK_SIZE,
    };
    let mut order: Vec<usize> = (0..ticks.len()).filter(|&k| ticks[k].1.is_some()).collect();
    order.sort_by_key(|&k| ticks[k].1.as_ref().map_or(0, |t| t.chars().count()));
    let mut kept: Vec<(f64, f64)> = Vec::new();
    let mut shown = vec![false; ticks.len()];
    for k in order {
        let (p, e) = (
            map.px(ticks[k].0),
            extent(ticks[k].1.as_deref().unwrap_or("")),
        );
        if kept.iter().all(|&(q, f)| (p - q).abs() >= (e + f) / 2.0) {
            kept.push((p, e));
            shown[k] = true;
        }
    }
    shown
}

/// A plain line segment `[x1, y1, x2, y2]`.
fn line(s: &mut String, [x1, y1, x2, y2]: [f64; 4], stroke: &str, width: f64) {
    let _ = writeln!(
        s,
        r#"<line x1="{x1:.2}" y1="{y1:.2}" x2="{x2:.2}" y2="{y2:.2}" stroke="{stroke}" stroke-width="{width}"/>"#
    );
}

/// A reference level outside the view: a triangle at the plot's top or bottom edge pointing
/// towards it, its value in the legend and the triangle's tooltip (no text over the data).
pub(super) fn off_scale_marker(
    s: &mut String,
    r: &Reference,
    j: usize,
    below: bool,
    (left, top, bottom): (f64, f64, f64),
) {
    let x = left + 14.0 + 150.0 * j as f64;
    let (edge, tip) = if below {
        (bottom - 12.0, bottom - 2.0)
    } else {
        (top + 12.0, top + 2.0)
    };
    let _ = writeln!(
        s,
        r#"<g class="off-scale" data-series="{}"><title>{}: {} ({} the view)</title><path d="M{:.2} {edge:.2} L{:.2} {edge:.2} L{x:.2} {tip:.2} Z" fill="{color}"/></g>"#,
        esc(&r.name),
        esc(&r.name),
        num(r.value),
        if below { "below" } else { "above" },
        x - 6.0,
        x + 6.0,
        color = hex(r.color),
    );
}
