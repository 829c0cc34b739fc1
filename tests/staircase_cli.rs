//! The staircase from the command line (docs/saddles.md): `run --csv` writes every coordinate of
//! β and of its running mean, and a gradient-flow run at α = 1e-150 stays exact (normal numbers)
//! and sits on Pesme & Flammarion's saddles.

#[path = "common/cli.rs"]
mod cli_common;

use std::collections::HashMap;

use cli_common::{bin, stderr};

const FIXTURE: &str = "tests/fixtures/saddles.npz";

/// `X = [[1, 1/2, 7/10, 0], [1/2, 1, 1/10, 7/10]]`, `y = (1, 0)`.
const X: [[f64; 4]; 2] = [[1.0, 0.5, 0.7, 0.0], [0.5, 1.0, 0.1, 0.7]];

/// The rows of a `run --csv` file as column → value maps.
fn rows(path: &std::path::Path) -> (Vec<String>, Vec<HashMap<String, f64>>) {
    let text = std::fs::read_to_string(path).expect("csv written");
    let mut lines = text.lines().filter(|l| !l.starts_with('#'));
    let header: Vec<String> = lines
        .next()
        .expect("header")
        .split(',')
        .map(String::from)
        .collect();
    let rows = lines
        .map(|l| {
            let values = l.split(',').map(|v| v.parse::<f64>().expect("a number"));
            header.iter().cloned().zip(values).collect()
        })
        .collect();
    (header, rows)
}

fn run_csv(args: &[&str]) -> (Vec<String>, Vec<HashMap<String, f64>>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let csv = dir.path().join("run.csv");
    let mut all = vec!["run", "--csv", csv.to_str().expect("utf-8")];
    all.extend_from_slice(args);
    let o = bin(&all);
    assert!(o.status.success(), "{}", stderr(&o));
    rows(&csv)
}

#[test]
fn run_csv_has_a_column_per_coordinate_up_to_d_64_or_with_coords_all() {
    let few = ["--method", "gd", "--steps", "3", "--n", "10"];
    for (d, all, expect) in [("64", false, 64), ("65", false, 0), ("65", true, 65)] {
        let mut args = few.to_vec();
        args.extend(["--d", d]);
        if all {
            args.extend(["--coords", "all"]);
        }
        let (header, _) = run_csv(&args);
        let betas = header.iter().filter(|h| h.starts_with("beta_")).count();
        let means = header.iter().filter(|h| h.starts_with("mean_")).count();
        assert_eq!(
            (betas, means),
            (expect, expect),
            "d = {d}, --coords all: {all}"
        );
        if expect > 0 {
            assert_eq!(header[10], "beta_1");
            assert_eq!(header[10 + expect - 1], format!("beta_{expect}"));
        }
    }
}

#[test]
fn gradient_flow_at_alpha_1e_minus_150_is_exact_and_follows_the_staircase() {
    let scale = 1e150_f64.ln(); // ln(1/α) = 345.4
    let h = scale / 4000.0; // 4000 steps per unit of τ
    let h_text = format!("{h:e}");
    let (_, rows) = run_csv(&[
        "--data", FIXTURE, "--method", "gf", "--alpha", "1e-150", "--h", &h_text, "--gamma",
        &h_text, "--steps", "54000", "--tol", "0",
    ]);
    let beta = |r: &HashMap<String, f64>| -> [f64; 4] {
        std::array::from_fn(|j| r[&format!("beta_{}", j + 1)])
    };
    // No underflow: the exact α_t/α = sqrt(s·d)/α stays 1 (s·d = α² = 1e-300 is conserved: the
    // state (s, d) = (α e^Γ, α e^{−Γ}) never underflows), the loss column is ‖Xβ − y‖²/(4n) of
    // the β columns, and β = (α²/2) sinh(2Γ) is below the smallest normal only for the few
    // samples where Γ_j passes through 0 (|Γ_j| < 1e-8: β_4 starts at Γ_4 = 0, since x₄ᵀy = 0).
    let mut subnormal = [0usize; 4];
    for (k, r) in rows.iter().enumerate() {
        for key in ["alpha_ratio_min", "alpha_ratio_max"] {
            assert!(
                (r[key] - 1.0).abs() <= 1e-10,
                "{key} = {} at step {}",
                r[key],
                r["step"]
            );
        }
        let b = beta(r);
        for (j, v) in b.iter().enumerate() {
            if *v == 0.0 || v.abs() >= f64::MIN_POSITIVE {
                continue;
            }
            subnormal[j] += 1;
            let prev = beta(&rows[k - 1])[j];
            let next = rows.get(k + 1).map_or(*v, |r| beta(r)[j]);
            let through_zero = prev.abs() < f64::MIN_POSITIVE || prev * v < 0.0 || next * v < 0.0;
            assert!(through_zero, "β_{} = {v:e} at step {}", j + 1, r["step"]);
        }
        let loss = r["loss"];
        assert!(
            loss >= f64::MIN_POSITIVE,
            "loss {loss:e} at step {}",
            r["step"]
        );
        let res: f64 = (X.iter().zip([1.0, 0.0]))
            .map(|(x, y)| (x.iter().zip(&b).map(|(a, c)| a * c).sum::<f64>() - y).powi(2))
            .sum();
        assert!(
            (res / 8.0 - loss).abs() <= 1e-12 * loss.max(1e-12),
            "loss column"
        );
    }
    assert!(
        subnormal.iter().all(|c| *c <= 8),
        "subnormal samples per coordinate {subnormal:?}"
    );
    // The first step already moves β to ~α²·Γ ≈ 4e-302: above the smallest normal 2.2e-308.
    assert!(
        beta(&rows[1])[0] > 1e-303,
        "β after one step {:e}",
        beta(&rows[1])[0]
    );
    let at = |tau: f64| {
        let r = rows.iter().min_by(|a, b| {
            let (ta, tb) = (a["time"] / scale - tau, b["time"] / scale - tau);
            ta.abs().total_cmp(&tb.abs())
        });
        beta(r.expect("rows"))
    };
    let saddles = [
        (5.0, [0.8, 0.0, 0.0, 0.0]),
        (10.0, [0.0, 0.0, 1.4, 0.0]),
        (13.4, [0.0, 0.0, 10.0 / 7.0, -10.0 / 49.0]),
    ];
    for (tau, want) in saddles {
        let got = at(tau);
        let dist = (got.iter().zip(&want)).fold(0.0f64, |m, (a, b)| m.max((a - b).abs()));
        assert!(dist <= 1e-3, "τ = {tau}: β = {got:?}, saddle {want:?}");
    }
}
