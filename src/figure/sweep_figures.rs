//! The figures of a sweep: the α-sweep, the γ-sweep and the α × γ phase diagram, shared by the
//! `figure` command and the GUI's sweep window.

use crate::figure::palette::{self, L1_REFERENCE, L2_REFERENCE};
use crate::figure::{Axis, Cell, ColourScale, Figure, Heatmap, Panel, Series, Style};

use super::figures::reference;
use crate::experiment::summary::{CellSummary, notes, summarise};
use crate::experiment::sweep::{GammaAxis, SweepRow, SweepSpec};
use crate::model::MethodKind;
use crate::model::format::short;

/// The α-sweep figure of a finished (or cancelled) sweep: its parameters and notes under the
/// title, then [`sweep_figure`] of its cells. The app and `figure --plot sweep` both call it.
pub fn sweep(title: &str, spec: &SweepSpec, rows: &[SweepRow]) -> Figure {
    let step = format!("γ by {} at each α", spec.base.step_size);
    sweep_figure(title, &subtitle(spec, rows, &step), &summarise(spec, rows))
}

/// The α-sweep figure from per-cell summaries: median recovery error with an
/// inter-quartile band per method and the ℓ1/ℓ2 levels, over the paired median ratio to GD.
pub fn sweep_figure(title: &str, subtitle: &str, cells: &[CellSummary]) -> Figure {
    Figure {
        title: title.into(),
        subtitle: subtitle.into(),
        panels: error_panels(cells, |c| c.alpha, || Axis::log("initialisation scale α")),
    }
}

/// The γ-sweep figure (E23): recovery error against γ — or against γ/γ_max on a fraction axis —
/// per method, median and inter-quartile band, each method's median γ_max a vertical line, over
/// the paired ratio to GD.
pub fn gamma_sweep(title: &str, spec: &SweepSpec, rows: &[SweepRow]) -> Figure {
    let subtitle = subtitle(spec, rows, &format!("α = {}", short(spec.base.alpha)));
    let cells = summarise(spec, rows);
    let fraction = matches!(spec.gammas, GammaAxis::Fractions(_));
    let x_label = if fraction {
        "γ / γ_max (each run's own γ_max)"
    } else {
        "step size γ"
    };
    let mut panels = error_panels(
        &cells,
        |c| c.gamma.unwrap_or(f64::NAN),
        || Axis::log(x_label),
    );
    let limits: Vec<(String, [u8; 3], f64)> = if fraction {
        vec![("γ_max".into(), palette::PREDICTED, 1.0)]
    } else {
        methods_of(&cells)
            .into_iter()
            .filter_map(|m| {
                let mut g: Vec<f64> = (cells.iter())
                    .filter(|c| c.method == m)
                    .filter_map(|c| c.median_gamma_max)
                    .collect();
                (!g.is_empty()).then(|| {
                    let g = crate::experiment::summary::median(&mut g);
                    (
                        format!("{} γ_max = {}", m.label(), short(g)),
                        palette::color(m),
                        g,
                    )
                })
            })
            .collect()
    };
    if let Some(errors) = panels.first_mut() {
        let ys = (errors.series.iter())
            .flat_map(|s| s.band.iter().flat_map(|b| [b[1], b[2]]))
            .filter(|y| *y > 0.0 && y.is_finite());
        let (lo, hi) = ys.fold((f64::INFINITY, 0.0f64), |(lo, hi), y| {
            (lo.min(y), hi.max(y))
        });
        if lo <= hi {
            for (name, color, g) in limits {
                let line = Series::new(name, color, Style::Dashed, vec![[g, lo], [g, hi]]);
                errors.series.push(line);
            }
        }
    }
    Figure {
        title: title.into(),
        subtitle,
        panels,
    }
}

/// The phase diagram of an α × γ sweep: per method other than GD the median paired ratio of
/// its error to GD's on a diverging scale centred at 1, then each method's median error on a
/// shared scale; cells where most seeds diverged or oscillated are marked as such.
pub fn phase(title: &str, spec: &SweepSpec, rows: &[SweepRow]) -> Figure {
    let cells = summarise(spec, rows);
    let fraction = matches!(spec.gammas, GammaAxis::Fractions(_));
    let mut xs = spec.alphas.clone();
    xs.sort_by(f64::total_cmp);
    let mut ys: Vec<f64> = spec.gammas.points().into_iter().flatten().collect();
    ys.sort_by(f64::total_cmp);
    let at = |m: MethodKind, a: f64, g: f64| {
        (cells.iter()).find(|c| c.method == m && c.alpha == a && c.gamma == Some(g))
    };
    let status = |c: Option<&CellSummary>| match c {
        None => Some(Cell::Empty),
        Some(c) if 2 * c.diverged > spec.seeds as usize => Some(Cell::Diverged),
        Some(c) if 2 * c.not_converged > spec.seeds as usize => Some(Cell::NotConverged),
        Some(_) => None,
    };
    let grid = |value: &dyn Fn(f64, f64) -> Cell| -> Vec<Vec<Cell>> {
        ys.iter()
            .map(|&g| xs.iter().map(|&a| value(a, g)).collect())
            .collect()
    };
    let cell_of = |v: Option<f64>| {
        v.filter(|v| *v > 0.0 && v.is_finite())
            .map_or(Cell::Empty, Cell::Value)
    };
    let axis = |h: Heatmap, title: String| Panel {
        title,
        x: Axis::log("initialisation scale α"),
        y: Axis::log(if fraction {
            "γ / γ_max"
        } else {
            "step size γ"
        }),
        series: Vec::new(),
        references: Vec::new(),
        height: 300.0,
        heatmap: Some(h),
    };
    let methods = methods_of(&cells);
    let mut panels = Vec::new();
    for &m in methods.iter().filter(|m| **m != MethodKind::Gd) {
        let ratio = |a, g| {
            status(at(m, a, g))
                .or_else(|| status(at(MethodKind::Gd, a, g)))
                .unwrap_or_else(|| cell_of(at(m, a, g).and_then(|c| c.median_ratio_to_gd)))
        };
        let cells = grid(&ratio);
        let spread = (cells.iter().flatten())
            .filter_map(|c| {
                if let Cell::Value(v) = c {
                    Some(v.log10().abs())
                } else {
                    None
                }
            })
            .fold(0.0f64, f64::max);
        let heatmap = Heatmap {
            xs: xs.clone(),
            ys: ys.clone(),
            cells,
            scale: ColourScale::Diverging {
                centre: 1.0,
                decades: spread.clamp(0.5, 3.0),
            },
            label: format!("{} error / GD's", m.label()),
        };
        let title = format!(
            "{} / GD: paired ratio of recovery errors (blue: {} better)",
            m.label(),
            m.label()
        );
        panels.push(axis(heatmap, title));
    }
    let errors: Vec<f64> = (cells.iter())
        .map(|c| c.error_quartiles[1])
        .filter(|v| *v > 0.0 && v.is_finite())
        .collect();
    let (lo, hi) = errors
        .iter()
        .fold((f64::INFINITY, 0.0f64), |(l, h), v| (l.min(*v), h.max(*v)));
    for &m in &methods {
        let error = |a, g| {
            status(at(m, a, g))
                .unwrap_or_else(|| cell_of(at(m, a, g).map(|c| c.error_quartiles[1])))
        };
        let heatmap = Heatmap {
            xs: xs.clone(),
            ys: ys.clone(),
            cells: grid(&error),
            scale: ColourScale::Sequential {
                lo,
                hi: hi.max(lo * 10.0),
            },
            label: "‖β∞ − β*‖²".into(),
        };
        panels.push(axis(
            heatmap,
            format!("{}: median recovery error", m.label()),
        ));
    }
    let axis_name = if fraction { "γ/γ_max" } else { "γ" };
    Figure {
        title: title.into(),
        subtitle: subtitle(spec, rows, &format!("α × {axis_name}")),
        panels,
    }
}

/// The parameters of a sweep (with `axis` saying what varies), then one line per note.
fn subtitle(spec: &SweepSpec, rows: &[SweepRow], axis: &str) -> String {
    let b = &spec.base;
    let mut text = format!(
        "n = {}, d = {}, s = {}, σ = {} · {axis} · batch {} · median of {} seeds, band: quartiles",
        b.problem.n,
        b.problem.d,
        b.problem.s,
        short(b.problem.noise),
        b.batch,
        spec.seeds
    );
    for note in notes(spec, rows) {
        text.push('\n');
        text.push_str(&note);
    }
    text
}

/// The methods of a sweep's cells, in display order.
fn methods_of(cells: &[CellSummary]) -> Vec<MethodKind> {
    let mut methods: Vec<MethodKind> = cells.iter().map(|c| c.method).collect();
    methods.sort();
    methods.dedup();
    methods
}

/// The recovery-error panel (median, quartile band, ℓ1/ℓ2 levels) over the paired-ratio panel,
/// with `x` of each cell on the axis `axis`.
fn error_panels(
    cells: &[CellSummary],
    x: impl Fn(&CellSummary) -> f64,
    axis: impl Fn() -> Axis,
) -> Vec<Panel> {
    let of = |m: MethodKind| cells.iter().filter(move |c| c.method == m);
    let mut errors = Vec::new();
    let mut ratios = Vec::new();
    for m in methods_of(cells) {
        let color = palette::color(m);
        let mut s = Series::new(
            m.label(),
            color,
            Style::LineDots,
            of(m).map(|c| [x(c), c.error_quartiles[1]]).collect(),
        );
        s.band = of(m)
            .map(|c| [x(c), c.error_quartiles[0], c.error_quartiles[2]])
            .collect();
        errors.push(s);
        let hollow: Vec<[f64; 2]> = (of(m).filter(|c| c.unconverged()))
            .map(|c| [x(c), c.error_quartiles[1]])
            .collect();
        if !hollow.is_empty() {
            let name = format!("{}: not converged (hollow)", m.label());
            errors.push(Series::new(name, color, Style::Hollow, hollow));
        }
        if m != MethodKind::Gd {
            let points: Vec<[f64; 2]> = of(m)
                .filter_map(|c| c.median_ratio_to_gd.map(|r| [x(c), r]))
                .collect();
            if !points.is_empty() {
                let name = format!("{} / GD", m.label());
                ratios.push(Series::new(name, color, Style::LineDots, points));
            }
        }
    }
    let median_of = |k: usize| {
        let mut v: Vec<f64> = cells.iter().map(|c| c.reference_errors[k]).collect();
        crate::experiment::summary::median(&mut v)
    };
    let mut panels = vec![Panel {
        title: "Recovery error at the end of training".into(),
        x: axis(),
        y: Axis::log("‖β∞ − β*‖²"),
        series: errors,
        references: vec![
            reference("ℓ1 interpolator", median_of(0), L1_REFERENCE),
            reference("ℓ2 interpolator", median_of(1), L2_REFERENCE),
        ],
        height: 400.0,
        heatmap: None,
    }];
    if !ratios.is_empty() {
        panels.push(Panel {
            title: "Paired ratio to GD (median over seeds; below 1: better than GD)".into(),
            x: axis(),
            y: Axis::log("error / GD's error"),
            series: ratios,
            references: vec![reference(
                "equal to GD",
                1.0,
                palette::color(MethodKind::Gd),
            )],
            height: 200.0,
            heatmap: None,
        });
    }
    panels
}
