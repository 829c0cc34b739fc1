//! The one builder per scene plot kind: a record of paired runs and the view options → a
//! [`Panel`]. The live plots, the app's exports and `dln-explorer figure` all call it.

use crate::experiment::{Record, RunInfo};
use crate::model::{MethodKind, Point};

pub use super::alpha::SUPPORT_RINGS;
use super::alpha::{alpha_coord_series, alpha_series};
use super::figures::{PlotKind, reference};
use super::noise::{PRODUCT_MARKS, limit_name, with_identity_note};
use super::palette::{self, GROUND_TRUTH, L1_REFERENCE, L2_REFERENCE, OFF_SUPPORT, PREDICTED};
use super::staircase;
pub use super::subtitle::{file_name, subtitle};
use super::{Axis, Figure, Panel, Series, Style};

/// The four live plots, in screen order (2×2, row by row).
pub const LIVE_PLOTS: [PlotKind; 4] = [
    PlotKind::Loss,
    PlotKind::Coords,
    PlotKind::Alpha,
    PlotKind::Error,
];

pub use super::view::{ViewOptions, XAxis};

/// One series per method of `value(point)` against x.
fn per_method(
    record: &Record,
    view: ViewOptions,
    name: impl Fn(MethodKind) -> String,
    value: impl Fn(&Point) -> f64,
) -> Vec<Series> {
    let x = view.x_of(record);
    (record.histories.iter())
        .map(|(kind, h)| {
            let points = h.iter().map(|p| [x(p), value(p)]).collect();
            Series::new(name(*kind), palette::color(*kind), Style::Line, points)
        })
        .collect()
}

/// The legend name of a run: the method, and how it ended if that needs saying.
pub(super) fn run_name(record: &Record, kind: MethodKind) -> String {
    let status = record.status.iter().find(|s| s.kind == kind);
    match (
        status.and_then(|s| s.diverged_at),
        status.and_then(|s| s.stop),
    ) {
        (Some(k), _) => format!("{} (diverged, step {k})", kind.label()),
        (None, Some(crate::model::Stop::NotConverged)) => {
            format!("{} (not converged)", kind.label())
        }
        _ => kind.label().to_string(),
    }
}

/// The panel of a scene plot (`None` for the sweep, or before the runs' description arrived).
pub fn panel(kind: PlotKind, record: &Record, view: ViewOptions) -> Option<Panel> {
    let info = record.info.as_deref()?;
    let name = |k: MethodKind| run_name(record, k);
    let kind = view.shows(kind);
    let (title, x, y, series, references) = match kind {
        PlotKind::Loss => (
            "Training loss".to_string(),
            view.x_axis(),
            Axis::log("L(β_k) = ‖Xβ − y‖²/(4n)"),
            per_method(record, view, name, |p| p.sample.loss),
            Vec::new(),
        ),
        PlotKind::Lasso => return staircase::lasso_panel(record, info, view),
        PlotKind::AlphaCoords => (
            with_identity_note(
                format!(
                    "α_j/α of every coordinate at step {} (sorted; P21's formula dashed; support of β* ringed)",
                    (record.predictions.iter())
                        .map(|(_, p)| p.step)
                        .min()
                        .unwrap_or(0)
                ),
                record,
            ),
            Axis::linear("coordinates, sorted by their exact α_j/α"),
            Axis::log("α_j/α"),
            alpha_coord_series(record, info),
            Vec::new(),
        ),
        PlotKind::Alpha => (
            with_identity_note(
                "Effective initialisation: exact geometric mean of α_k/α (band: min–max over j)"
                    .to_string(),
                record,
            ),
            view.x_axis(),
            // At least 0.9–1: in the kernel regime a shrinkage of 1e-4 must not look dramatic.
            Axis::log("α_k/α").including(0.9, 1.0),
            alpha_series(record, view),
            Vec::new(),
        ),
        PlotKind::Sharpness => (
            "Curvature against 2/γ: GD's sharpness S_t = 2λ_max(∇²L), SGD's max_i κ_i".to_string(),
            view.x_axis(),
            Axis::log("S_t (GD, GF) · max_i κ_i (SGD, SGF)"),
            per_method(record, view, name, |p| p.sample.curvature),
            vec![reference(
                "2/γ: the edge of stability",
                2.0 / info.gamma,
                PREDICTED,
            )],
        ),
        PlotKind::Error => {
            let measure = info.error_measure;
            let refs = info.reference_errors.map(|[l1, l2, gf]| {
                let mut refs = vec![
                    reference("ℓ1 interpolator", l1, L1_REFERENCE),
                    reference("ℓ2 interpolator", l2, L2_REFERENCE),
                ];
                // NaN while unsolved, or where the solve failed (tiny α): no level to draw.
                if gf.is_finite() {
                    refs.push(reference(
                        "gradient-flow limit",
                        gf,
                        palette::color(MethodKind::Gf),
                    ));
                }
                refs
            });
            let mut series = per_method(record, view, name, |p| p.sample.recovery_error);
            let mut title = measure.title().to_string();
            if info.shows_test_error {
                title = format!("{title} (solid) and test error (dashed)");
                series.extend(test_error_series(record, view));
            }
            (
                title,
                view.x_axis(),
                Axis::log(measure.symbol()),
                series,
                refs.unwrap_or_default(),
            )
        }
        PlotKind::Coords => {
            // The chosen method's β, or the first method's when that one does not run.
            let kind = Some(view.beta_method)
                .filter(|k| record.history(*k).is_some())
                .or_else(|| record.histories.first().map(|(k, _)| *k))?;
            let view = ViewOptions {
                beta_method: kind,
                ..view
            };
            let history = record.history(kind)?;
            let on_stairs = staircase::shown(info, view).is_some();
            (
                if on_stairs {
                    format!(
                        "Coordinates of β_k ({}) on the staircase (ring: a coordinate leaves)",
                        kind.label()
                    )
                } else if let Some(note) = kind.broken_identity() {
                    format!("Coordinates of β_k ({}) — {note}", kind.label())
                } else {
                    format!("Coordinates of β_k ({})", kind.label())
                },
                view.x_axis(),
                Axis::linear("β_k,j"),
                coord_series(record, info, history, view),
                Vec::new(),
            )
        }
        PlotKind::FinalBeta => (
            "Final β, coordinate by coordinate (followed coordinates)".to_string(),
            Axis::linear("coordinate j (methods side by side)"),
            Axis::linear("β_j"),
            final_beta_series(record, info),
            Vec::new(),
        ),
        PlotKind::Sweep | PlotKind::GammaSweep | PlotKind::Phase => return None,
    };
    let mut panel = Panel {
        title,
        x,
        y,
        series,
        references,
        height: 380.0,
        heatmap: None,
    };
    if let Some((small, stairs)) = staircase::shown(info, view)
        && kind != PlotKind::FinalBeta
    {
        if kind == PlotKind::Loss {
            let x_end = (panel.series.iter())
                .filter_map(|s| s.points.last().map(|p| p[0]))
                .fold(0.0, f64::max);
            let plateaus = staircase::loss_plateaus(small, stairs, x_end);
            panel.series.push(plateaus);
        }
        staircase::add_jump_lines(&mut panel, stairs);
    }
    Some(panel)
}

/// Each method's test error `(β − β*)ᵀ M (β − β*) + σ²` (on loaded data: the test-set MSE),
/// dashed.
fn test_error_series(record: &Record, view: ViewOptions) -> Vec<Series> {
    let x = view.x_of(record);
    (record.histories.iter())
        .map(|(k, h)| {
            let points = h.iter().map(|p| [x(p), p.sample.test_error]).collect();
            let name = format!("{} test error", k.label());
            Series::new(name, palette::color(*k), Style::Dashed, points)
        })
        .collect()
}

/// Legend entry of the followed coordinates in the support of β*.
pub const SUPPORT_GROUP: &str = "β_j, j in the support";
/// Legend entry of the followed coordinates off the support.
pub const OFF_SUPPORT_GROUP: &str = "β_j, j off the support";

/// The followed coordinates over time, β* and the predicted limit marked at the last step.
fn coord_series(
    record: &Record,
    info: &RunInfo,
    history: &[Point],
    view: ViewOptions,
) -> Vec<Series> {
    let kind = view.beta_method;
    let mut series = Vec::new();
    let x = view.x_of(record);
    let stairs = staircase::shown(info, view);
    let order: Vec<usize> = match stairs {
        Some((small, _)) => staircase::by_join_order(small, &info.coords, info.scene.problem.d),
        None => (0..info.coords.len()).collect(),
    };
    for i in order {
        let (j, support) = (info.coords[i], info.in_support[i]);
        let (color, name, group) = match stairs {
            Some((small, _)) => staircase::coord_style(small, info.scene.problem.d, j),
            None if support => (
                palette::color(kind),
                format!("β_{} (support)", j + 1),
                SUPPORT_GROUP.into(),
            ),
            None => (
                OFF_SUPPORT,
                format!("β_{}", j + 1),
                OFF_SUPPORT_GROUP.into(),
            ),
        };
        let points = (history.iter())
            .map(|p| [x(p), p.coords.get(i).copied().unwrap_or(f64::NAN)])
            .collect();
        series.push(Series::new(name, color, Style::Line, points).grouped(group));
    }
    let x_end = history.last().map_or(f64::NAN, &x);
    if let Some((small, _)) = stairs {
        // The last plateau is the end point as α → 0: the staircase replaces the end marks.
        series.extend(staircase::coord_plateaus(small, info, x_end));
        return series;
    }
    let truth = info.beta_star.iter().map(|&b| [x_end, b]).collect();
    let truth_name = match info.error_measure {
        crate::model::ErrorMeasure::L1Distance => "β_ℓ1 (no β* in the data)",
        _ => "β* (truth)",
    };
    series.push(Series::new(truth_name, GROUND_TRUTH, Style::Rings, truth));
    if let Some(pred) = record.prediction(kind) {
        let marks = pred.coords.iter().map(|&b| [x_end, b]).collect();
        series.push(Series::new(
            limit_name(&info.scene),
            PREDICTED,
            Style::Dots,
            marks,
        ));
        if let Some((coords, _)) = &pred.product {
            let marks = coords.iter().map(|&b| [x_end, b]).collect();
            series.push(Series::new(PRODUCT_MARKS, PREDICTED, Style::Rings, marks));
        }
    }
    series
}

/// Each method's last β at the followed coordinates, side by side, with β*.
fn final_beta_series(record: &Record, info: &RunInfo) -> Vec<Series> {
    let m = record.histories.len() as f64;
    let mut series = Vec::new();
    for (k, (kind, h)) in record.histories.iter().enumerate() {
        let offset = 0.3 * (k as f64 - (m - 1.0) / 2.0);
        let last = h.last().map(|p| p.coords.as_slice()).unwrap_or_default();
        let points = (last.iter().zip(&info.coords))
            .map(|(&b, &j)| [(j + 1) as f64 + offset, b])
            .collect();
        let color = palette::color(*kind);
        series.push(Series::new(
            run_name(record, *kind),
            color,
            Style::Dots,
            points,
        ));
    }
    let truth = (info.coords.iter().zip(&info.beta_star))
        .filter(|(_, b)| **b != 0.0)
        .map(|(&j, &b)| [(j + 1) as f64, b])
        .collect();
    series.push(Series::new(
        "β* (non-zeros)",
        GROUND_TRUTH,
        Style::Rings,
        truth,
    ));
    series
}

/// A figure of the given scene plots stacked, titled with the scene and its parameters.
pub fn figure(kinds: &[PlotKind], record: &Record, view: ViewOptions, title: &str) -> Figure {
    Figure {
        title: title.to_string(),
        subtitle: record.info.as_deref().map(subtitle).unwrap_or_default(),
        panels: kinds
            .iter()
            .filter_map(|k| panel(*k, record, view))
            .collect(),
    }
}
