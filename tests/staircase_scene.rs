//! The scene "Incremental learning at small α" against its predicted staircase
//! (docs/saddles.md#gd-sgd-and-gf-on-the-scene): the jump times measured on GF, GD and SGD at
//! α = 1e-2, 1e-10 and 1e-50, and the figure builders' drawing of the prediction.

use std::sync::Arc;

use dln_explorer::experiment::{MethodSet, Record, prepare, run_to_end};
use dln_explorer::figure::figures::PlotKind;
use dln_explorer::figure::scene::{ViewOptions, XAxis, panel};
use dln_explorer::figure::staircase::{self, tau_scale};
use dln_explorer::figure::{Style, palette};
use dln_explorer::model::MethodKind;
use dln_explorer::model::saddles::Staircase;
use dln_explorer::presets;

const METHODS: [MethodKind; 3] = [MethodKind::Gf, MethodKind::Gd, MethodKind::Sgd];

/// The scene at α with its step budget scaled to reach the same τ.
fn run(alpha: f64) -> (Record, Staircase) {
    let mut config = presets::get("incremental-learning")
        .expect("shipped")
        .config;
    let scene_alpha = config.alpha;
    config.steps = (config.steps as f64 * tau_scale(alpha) / tau_scale(scene_alpha)).ceil() as u64;
    config.alpha = alpha;
    let prepared = prepare(config.validate().expect("valid"), None).expect("prepared");
    let small = prepared.small_alpha.clone().expect("computed");
    let stairs = small.staircase.clone().expect("a staircase");
    let (_, record) = run_to_end(Arc::new(prepared), MethodSet::of(&METHODS), true).expect("runs");
    (record, stairs)
}

/// `τ_run − τ_p` of each coordinate's first join: the first τ at which |β_j| reaches half its
/// value on its first plateau (coordinates as followed: all 16).
fn join_errors(record: &Record, stairs: &Staircase, kind: MethodKind) -> Vec<f64> {
    let alpha = record.info.as_ref().expect("info").scene.alpha;
    let history = record.history(kind).expect("ran");
    let mut seen = Vec::new();
    let mut errors = Vec::new();
    for s in &stairs.saddles {
        for &j in &s.joins {
            if seen.contains(&j) {
                continue;
            }
            seen.push(j);
            let half = 0.5 * s.beta[j].abs();
            let at = (history.iter())
                .find(|p| p.coords[j].abs() >= half)
                .map_or(f64::NAN, |p| p.sample.time / tau_scale(alpha));
            errors.push(at - s.tau);
        }
    }
    errors
}

#[test]
fn the_jumps_lock_onto_the_prediction_as_alpha_goes_down() {
    let mut table = Vec::new();
    for alpha in [1e-2, 1e-10, 1e-50] {
        let (record, stairs) = run(alpha);
        for kind in METHODS {
            let e = join_errors(&record, &stairs, kind);
            let worst = e.iter().fold(0.0f64, |m, v| m.max(v.abs()));
            println!(
                "α = {alpha:e} {:>3}: τ_run − τ_p = {e:.3?}, largest {worst:.3}",
                kind.label()
            );
            table.push((alpha, kind, e, worst));
        }
    }
    let worst = |a: f64, k: MethodKind| {
        (table.iter())
            .find(|r| r.0 == a && r.1 == k)
            .map_or(f64::NAN, |r| r.3)
    };
    let errors = |a: f64, k: MethodKind| {
        (table.iter())
            .find(|r| r.0 == a && r.1 == k)
            .map(|r| r.2.clone())
            .unwrap_or_default()
    };
    // Measured (largest error over the four joins; samples every ≤ 0.006 τ):
    //   α = 1e-2:  GF 1.32, GD 1.36, SGD 1.81
    //   α = 1e-10: GF 0.249, GD 0.284, SGD 0.464
    //   α = 1e-50: GF 0.052, GD 0.085, SGD 0.218
    // Gradient flow: the errors are c/ln(1/α), so the largest shrinks 5× from 1e-10 to 1e-50.
    let ratio = worst(1e-10, MethodKind::Gf) / worst(1e-50, MethodKind::Gf);
    assert!(
        (4.0..=6.0).contains(&ratio),
        "GF: ratio {ratio}, ln ratio 5"
    );
    assert!(worst(1e-50, MethodKind::Gf) <= 0.06, "GF at 1e-50");
    // GD at γ = 0.01 (γ|g| ≤ 0.02) steps β by (1 + γg) where GF has e^{γg}: its joins stay
    // within 0.05 τ of GF's.
    for a in [1e-2, 1e-10, 1e-50] {
        let (gd, gf) = (errors(a, MethodKind::Gd), errors(a, MethodKind::Gf));
        for (x, y) in gd.iter().zip(&gf) {
            assert!((x - y).abs() <= 0.05, "α = {a}: GD {x} against GF {y}");
        }
    }
    // SGD (b = 1): its noise delays the last join by a further 0.17 τ at 1e-50, four times GF's
    // error, yet the staircase is there (largest error below 0.3 τ).
    let sgd = worst(1e-50, MethodKind::Sgd);
    assert!(
        sgd <= 0.3 && sgd >= 2.0 * worst(1e-50, MethodKind::Gf),
        "SGD at 1e-50: {sgd}"
    );
}

#[test]
fn the_tau_view_draws_the_jumps_plateaus_and_leaving_coordinate() {
    let (record, stairs) = run(1e-10);
    let view = ViewOptions {
        x_axis: XAxis::Tau,
        log_x: false,
        beta_method: MethodKind::Gf,
        ..ViewOptions::default()
    };
    let loss = panel(PlotKind::Loss, &record, view).expect("loss panel");
    let jumps: Vec<f64> = (loss.series.iter())
        .filter(|s| s.name == staircase::JUMPS)
        .map(|s| s.points[0][0])
        .collect();
    let taus: Vec<f64> = stairs.saddles.iter().map(|s| s.tau).collect();
    assert_eq!(jumps, taus, "one vertical line per jump");
    // The loss plateaus: ‖Xβᵖ − y‖²/(4n) on [τ_p, τ_{p+1}).
    let plateau = (loss.series.iter())
        .find(|s| s.name == staircase::PLATEAUS)
        .expect("plateaus");
    assert_eq!(plateau.style, Style::Dashed);
    assert_eq!(plateau.points[2][0], taus[0]);
    // The run's loss on the first plateau (τ between the first two jumps) is the predicted one.
    let gf = record.history(MethodKind::Gf).expect("GF");
    let scale = tau_scale(1e-10);
    let mid = 0.5 * (taus[0] + taus[1]);
    let p = gf.iter().min_by(|a, b| {
        let (x, y) = (a.sample.time / scale - mid, b.sample.time / scale - mid);
        x.abs().total_cmp(&y.abs())
    });
    let (got, want) = (p.expect("points").sample.loss, plateau.points[2][1]);
    assert!(
        (got / want - 1.0).abs() <= 0.02,
        "loss on the plateau {got} against {want}"
    );
    // Coordinates: coloured by join order, one ring where a coordinate leaves.
    let coords = panel(PlotKind::Coords, &record, view).expect("coords panel");
    let first = stairs.saddles[0].joins[0];
    // Named from 1, as the CLI and CSV number coordinates.
    let name = format!("β_{} (joins 1st)", first + 1);
    let line = (coords.series.iter()).find(|s| s.name == name);
    assert_eq!(line.expect("first joiner").color, palette::join_order(0));
    let leaves: usize = stairs.saddles.iter().map(|s| s.leaves.len()).sum();
    let rings = (coords.series.iter())
        .find(|s| s.name == staircase::LEAVES)
        .expect("ring");
    assert_eq!(rings.points.len(), leaves);
    // The Lasso view: β̄_t of GF at the last point against β_lasso at λ = ln(1/α)/t.
    let lasso = panel(PlotKind::Lasso, &record, view).expect("lasso panel");
    assert_eq!(lasso.x.scale, dln_explorer::figure::Scale::Log);
}
