//! The help window: the model, the dynamics, the theorem and the keyboard shortcuts (the
//! last generated from [`super::commands::COMMANDS`]).

use eframe::egui;

use super::commands::{COMMANDS, shortcut_text};

/// Sections of the help sheet: a heading and its lines (the notation of docs/).
const SECTIONS: &[(&str, &[&str])] = &[
    (
        "The model",
        &[
            "Sparse regression, over-parametrised (d > n): rows x_i ~ N(0, I_d), y = Xβ* (+ σ·noise), β* with s non-zeros.",
            "A diagonal linear network β = u ⊙ v, started at u₀ = α·𝟙, v₀ = 0 (so β₀ = 0).",
            "Loss L = ‖Xβ − y‖² / (4n); recovery error ‖β − β*‖² (the test error of the noiseless problem).",
        ],
    ),
    (
        "The dynamics — one multiplicative update u ← u + D⊙v, v ← v + D⊙u",
        &[
            "GD:  D = −(γ/n) Xᵀr, r = Xβ − y.",
            "SGD: D = −(γ/b) Σ_{i∈B} r_i x_i over a random batch B of size b.",
            "SGF: D = −(h/n) Xᵀr + √h·√(γ/b)·(‖r‖/n)·Xᵀz, z ~ N(0, I_n)  (Euler–Maruyama, h = γ).",
            "GF:  du/dt = −(1/n) v ⊙ Xᵀr, dv/dt = −(1/n) u ⊙ Xᵀr  (RK4 in the mirror coordinate).",
            "label-noise GD: D = −(γ/n) Xᵀ(r − σ_ℓ ξ), fresh ξ ~ N(0, I_n) each step — still in range(Xᵀ).",
            "isotropic-noise GD: GD's step, then u += √γ·σ_iso·ζ_u, v += √γ·σ_iso·ζ_v — outside the update, so the identities below fail.",
            "momentum GD (heavy ball): GD's step plus β_m times the last displacement of u and v; against t = kγ/(1 − β_m) its path depends on λ = γ/(1 − β_m)² alone.",
            "n-SAM / 1-SAM: GD's step with the gradient at the ascent point w + ρ∇ℓ(w) (n-SAM), or averaged over the n points w + ρ∇ℓ_i(w) (1-SAM) — the identities below fail for both, and for momentum.",
            "Schedules (any method): γ_k = γ·m(k/K) — constant, step:F…:FACTOR (γ × FACTOR at each fraction F of the budget K) or cosine.",
            "Weight decay λ_wd (any method): u ← (1 − 2γλ_wd)u + D⊙v, likewise v — the step of L + (λ_wd/2)(‖u‖² + ‖v‖²); runs end at the Lasso point argmin L + λ_wd‖β‖₁.",
            "All runs share the data, α and γ, so the comparison is paired.",
        ],
    ),
    (
        "The theorem (Pesme, Pillaud-Vivien & Flammarion, NeurIPS 2021)",
        &[
            "Every step multiplies u² − v² by 1 − D², so α_t = √|u_t² − v_t²| = α·exp(−½ Σ q(D_k)), q(x) = −ln|1 − x²|.",
            "A converged run ends at β∞ = argmin_{Xβ=y} D_ψρ(β, β̃) with ψ_ρ the hyperbolic entropy at ρ = α∞²/2.",
            "GD and GF barely shrink α: they end near argmin ψ_ρ₀ (gradient flow's limit).",
            "SGD's noise shrinks it: α∞ ≈ α·exp(−2(γ/b) diag(XᵀX/n) ∫₀^∞ L dt). Smaller α → closer to the sparse ℓ1 interpolator.",
            "So SGD recovers β* better for small α, the more so the larger γ and the slower the loss falls; for α ≳ 1 both sit in the ℓ2 (kernel) regime.",
            "Stability: single-sample SGD needs γ·κ_i < 2, κ_i = Σ_j 2√(β_j² + ρ_j²) x_ij²; the γ slider shows this limit.",
        ],
    ),
    (
        "Reading the plots",
        &[
            "Solid lines: the runs, one colour per method; a shaded band: their spread (for α_t/α, the min–max over coordinates).",
            "Dashed lines: formulas and references — P21's formula, predicted limits, the ℓ1 and ℓ2 interpolators, the gradient-flow limit, 2/γ; a ▼ or ▲ on an edge: a level off the view, its value in the legend.",
            "Open rings: β* (the truth) or the support; filled diamonds: where a run is predicted to end; hollow points: sweep cells whose runs did not converge.",
            "The ? by a plot's title lists what that plot draws; the legend strip above it names each element.",
            super::legend_strip::HANDLING,
        ],
    ),
];

/// Draws the help sheet.
pub fn ui(ui: &mut egui::Ui) {
    egui::ScrollArea::vertical().show(ui, |ui| {
        for (heading, lines) in SECTIONS {
            ui.heading(*heading);
            for line in *lines {
                ui.label(*line);
            }
            ui.add_space(8.0);
        }
        ui.heading("Keyboard shortcuts");
        egui::Grid::new("help-shortcuts")
            .striped(true)
            .show(ui, |ui| {
                for c in COMMANDS {
                    ui.label(shortcut_text(ui.ctx(), c));
                    ui.label(c.label);
                    ui.label(c.help);
                    ui.end_row();
                }
            });
    });
}
