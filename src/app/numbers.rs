//! The side panel's table of the numbers that make the theorem visible: per method the exact
//! α_T/α, P21's formula, the distance to the predicted limit, the recovery error, and how sparse
//! the latest β is (‖β‖₁ and the support size), and the test error where the scene has one.

use eframe::egui;

use super::plots;
use crate::experiment::Record;
use crate::figure::num;
use crate::model::analysis::{SUPPORT_RULE, geometric_mean_ratio};
use crate::model::{ErrorMeasure, MethodKind, Point};

/// What the test-error column holds.
const TEST_TIP: &str = "test error (β − β*)ᵀ M (β − β*) + σ² with M = E[xxᵀ] of the design (loaded data: the test-set MSE)";

/// Draws the table for the runs in `live`.
pub fn ui(ui: &mut egui::Ui, live: &Record) {
    ui.heading("Numbers");
    let info = live.info.as_deref();
    let measure = info.map_or(ErrorMeasure::Recovery, |i| i.error_measure);
    let test = info.is_some_and(|i| i.shows_test_error);
    let error = match measure {
        ErrorMeasure::Recovery => "‖β−β*‖²",
        ErrorMeasure::Test => "test err",
        ErrorMeasure::L1Distance => "‖β−β_ℓ1‖²",
        ErrorMeasure::Unavailable => "error",
    };
    let headers = columns(error, measure);
    // Scrolls sideways in a narrow panel instead of cutting the last columns off.
    egui::ScrollArea::horizontal()
        .id_salt("numbers-scroll")
        .show(ui, |ui| {
            grid(ui, "numbers", &headers, live, |ui, kind, p| {
                ui.label(num(p.sample.alpha_ratio));
                ui.label(num(p.sample.alpha_ratio_p21));
                let gap = (live.predictions.iter())
                    .find(|(k, _)| *k == kind)
                    .map_or("–".into(), |(_, g)| num(g.gap));
                ui.label(gap);
                ui.label(num(p.sample.recovery_error));
            });
        });
    ui.small(match info.is_some_and(|i| i.scene.weight_decay > 0.0) {
        true => "→ limit: relative distance from β_T to the Lasso point of λ_wd, where weight decay leads",
        false => "→ limit: relative distance from β_T to argmin_{Xβ=y} D_ψ(ρ_T), where the run ends if α_T stops shrinking",
    });
    // Below the others, so that the panel shows every column without scrolling.
    let mut below = SPARSITY.to_vec();
    if test {
        below.push(("test err", TEST_TIP));
    }
    grid(ui, "sparsity", &below, live, |ui, _, p| {
        ui.label(num(p.sample.l1_norm));
        ui.label(p.sample.support_size.to_string());
        if test {
            ui.label(num(p.sample.test_error));
        }
    });
    identity_ui(ui, live);
    if let Some([l1, l2, gf]) = live.info.as_ref().and_then(|i| i.reference_errors) {
        let gf = match (gf.is_nan(), live.pending.solving) {
            (true, true) => "solving…".into(),
            // The solve failed (e.g. ρ₀ = α²/2 too small at α ≤ 1e-12).
            (true, false) => "—".into(),
            _ => num(gf),
        };
        ui.label(format!(
            "{error} of ℓ1: {}   ℓ2: {}   GF: {gf}",
            num(l1),
            num(l2)
        ));
    }
}

/// A striped grid: the headers with their tooltips, then a row per method: its name in its
/// colour and `cells` of its latest point.
fn grid(
    ui: &mut egui::Ui,
    id: &str,
    headers: &[(&str, &str)],
    live: &Record,
    mut cells: impl FnMut(&mut egui::Ui, MethodKind, &Point),
) {
    egui::Grid::new(id)
        .striped(true)
        .spacing([5.0, 2.0])
        .num_columns(headers.len())
        .show(ui, |ui| {
            for (h, tip) in headers {
                ui.strong(*h).on_hover_text(*tip);
            }
            ui.end_row();
            for s in &live.status {
                ui.colored_label(plots::color(s.kind), s.kind.label());
                if let Some(p) = live.latest(s.kind) {
                    cells(ui, s.kind, p);
                }
                ui.end_row();
            }
        });
}

/// The first column of both grids: the method.
const METHOD: (&str, &str) = ("", "The method, in its plot colour");

/// The sparsity grid's column headers with what each means (its tooltip).
const SPARSITY: [(&str, &str); 3] = [
    METHOD,
    (
        "‖β‖₁",
        "‖β_T‖₁ = Σ_j |β_T,j| of the latest iterate, over every coordinate (not only the followed ones)",
    ),
    ("support", SUPPORT_RULE),
];

/// The table's column headers with what each means (its tooltip).
fn columns(error: &'static str, measure: ErrorMeasure) -> [(&'static str, &'static str); 5] {
    [
        METHOD,
        (
            "α_T/α",
            "The effective initialisation now, read exactly from the state: the geometric mean over coordinates of √|u² − v²|/α",
        ),
        (
            "P21",
            "The same from P21's continuous-time formula exp(−2(γ/b)(XᵀX/n)_jj ∫L dt)",
        ),
        (
            "→ limit",
            "Relative distance from β_T to argmin_{Xβ=y} D_ψ(ρ_T): where the run ends if α_T stops shrinking (with weight decay: to the Lasso point of λ_wd)",
        ),
        (error, measure.symbol()),
    ]
}

/// For the noise methods: the state's α_T/α against the product formula `exp(−½Σq(D))` — equal
/// for label noise, apart for isotropic noise, which the panel says in the warning colour.
fn identity_ui(ui: &mut egui::Ui, live: &Record) {
    for (kind, p) in &live.predictions {
        let Some(product) = &p.alpha_product else {
            continue;
        };
        let state = geometric_mean_ratio(&p.alpha_exact, 1.0);
        let formula = geometric_mean_ratio(product, 1.0);
        let text = format!(
            "{}: α_T/α {} from the state, {} from α·exp(−½Σq(D))",
            kind.label(),
            num(state),
            num(formula)
        );
        match &p.product {
            None => {
                ui.small(format!("{text}: the exact identity holds"));
            }
            Some((_, gap)) => {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    format!(
                        "{text}; distance to the limit predicted from the dual steps {} — {}",
                        num(*gap),
                        kind.broken_identity().unwrap_or_default()
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every header once had the error's tooltip; each now says what its own column is.
    #[test]
    fn each_column_has_its_own_tooltip() {
        let tips: Vec<&str> = columns("‖β−β*‖²", ErrorMeasure::Recovery)
            .iter()
            .map(|c| c.1)
            .collect();
        let mut distinct = tips.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), tips.len(), "{tips:?}");
        assert!(
            tips[1].contains("u² − v²") && tips[2].contains("∫L"),
            "{tips:?}"
        );
        assert!(SPARSITY[1].1.starts_with("‖β_T‖₁") && SPARSITY[2].1 == SUPPORT_RULE);
    }
}
