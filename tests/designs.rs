//! The feature designs: isotropic data is exactly what the generator drew before designs
//! existed; every design's empirical second moment matches its definition within sampling
//! error; the closed-form test error matches a Monte-Carlo estimate; the theorem still holds.

use dln_explorer::experiment::prepare;
use dln_explorer::model::problem::{Stream, stream_rng};
use dln_explorer::model::{
    BetaRule, Config, Design, Method, Outcome, Problem, ProblemSpec, Source, Trainer,
};
use ndarray::Array2;
use rand_distr::{Distribution, StandardNormal};

fn spec(n: usize, d: usize, design: Design) -> ProblemSpec {
    ProblemSpec {
        n,
        d,
        s: 3,
        noise: 0.0,
        seed: 7,
        n_test: 0,
        source: Source {
            design,
            ..Source::default()
        },
    }
}

/// The isotropic generator before designs existed, kept here as the reference.
#[test]
fn isotropic_data_is_bit_identical_to_the_original_generator() {
    for seed in [0, 1, 12345] {
        let s = ProblemSpec {
            seed,
            noise: 0.3,
            n_test: 50,
            ..spec(40, 100, Design::Isotropic)
        };
        let p = Problem::generate(&s);
        let mut rng = stream_rng(seed, Stream::Data);
        let x = Array2::<f64>::from_shape_simple_fn((40, 100), || StandardNormal.sample(&mut rng));
        let mut support = rand::seq::index::sample(&mut rng, 100, 3).into_vec();
        support.sort_unstable();
        let mut beta = vec![0.0; 100];
        for &j in &support {
            beta[j] = StandardNormal.sample(&mut rng);
        }
        let mut noise = stream_rng(seed, Stream::Noise);
        let y: Vec<f64> = (0..40)
            .map(|i| {
                let e: f64 = StandardNormal.sample(&mut noise);
                x.row(i).dot(&ndarray::ArrayView1::from(&beta)) + 0.3 * e
            })
            .collect();
        let mut test = stream_rng(seed, Stream::Test);
        let xt =
            Array2::<f64>::from_shape_simple_fn((50, 100), || StandardNormal.sample(&mut test));
        assert_eq!(p.x(), &x);
        assert_eq!(p.beta_star.to_vec(), beta);
        assert_eq!(p.support, support);
        assert_eq!(p.y.to_vec(), y);
        assert_eq!(p.x_test, xt);
    }
}

/// `(1/n) Σ_i x_ij x_ik` against `M_jk`, each within 5 standard errors `sqrt(var/n)`.
fn assert_second_moment(design: Design, n: usize, d: usize, var: impl Fn(usize, usize) -> f64) {
    let p = Problem::generate(&spec(n, d, design));
    let x = p.x();
    for j in 0..d {
        for k in 0..d {
            let m = x.column(j).dot(&x.column(k)) / n as f64;
            let want = design.second_moment(j, k, &p.scales);
            let se = (var(j, k) / n as f64).sqrt();
            assert!(
                (m - want).abs() <= 5.0 * se,
                "{design}: M[{j},{k}] = {m}, expected {want} ± 5·{se}"
            );
        }
    }
}

#[test]
fn anisotropic_column_variances_are_geometric_in_a_seeded_order() {
    let (n, d, kappa) = (20_000, 8, 100.0);
    let design = Design::Anisotropic(kappa);
    let p = Problem::generate(&spec(n, d, design));
    // The variances are exactly {κ^(−k/(d−1))}, permuted (not in their sorted order).
    let mut var: Vec<f64> = p.scales.iter().map(|s| s * s).collect();
    let unsorted = var.windows(2).any(|w| w[0] < w[1]);
    var.sort_by(|a, b| b.total_cmp(a));
    for (k, v) in var.iter().enumerate() {
        let want = kappa.powf(-(k as f64) / (d - 1) as f64);
        assert!((v - want).abs() <= 1e-15 * want, "σ² #{k}: {v} vs {want}");
    }
    assert!(unsorted, "the column order is shuffled");
    // Var(x_j x_k) = σ_j² σ_k² (1 + δ_jk).
    let s = p.scales.clone();
    assert_second_moment(design, n, d, |j, k| {
        s[j] * s[j] * s[k] * s[k] * if j == k { 2.0 } else { 1.0 }
    });
}

#[test]
fn correlated_columns_have_ar1_correlations() {
    let c: f64 = 0.7;
    // Var(x_j x_k) = 1 + c^(2|j−k|) for unit-variance Gaussian columns.
    assert_second_moment(Design::Correlated(c), 20_000, 6, |j, k| {
        1.0 + c.powi(2 * j.abs_diff(k) as i32)
    });
}

#[test]
fn uncentred_features_have_second_moment_identity_plus_mu_squared() {
    let mu: f64 = 1.5;
    let m2 = mu * mu;
    assert_second_moment(Design::Uncentred(mu), 20_000, 5, |j, k| {
        if j == k {
            4.0 * m2 + 2.0
        } else {
            2.0 * m2 + 1.0
        }
    });
}

#[test]
fn the_quadratic_form_is_the_second_moment_matrix() {
    for design in [
        Design::Isotropic,
        Design::Anisotropic(30.0),
        Design::Correlated(0.6),
        Design::Uncentred(-0.8),
    ] {
        let p = Problem::generate(&spec(5, 9, design));
        let e: Vec<f64> = (0..9).map(|j| (j as f64 * 0.7).sin()).collect();
        let mut full = 0.0;
        for j in 0..9 {
            for k in 0..9 {
                full += e[j] * design.second_moment(j, k, &p.scales) * e[k];
            }
        }
        let fast = design.quadratic_form(&e, &p.scales);
        assert!(
            (fast - full).abs() <= 1e-13 * full.abs(),
            "{design}: {fast} vs {full}"
        );
    }
}

/// The closed form `(β − β*)ᵀ M (β − β*) + σ²` against the mean squared error of `β` on a large
/// noisy test sample from the same design, within 4 of its standard errors.
#[test]
fn the_closed_form_test_error_matches_monte_carlo() {
    let sigma = 0.5;
    for design in [
        Design::Anisotropic(100.0),
        Design::Correlated(0.8),
        Design::Uncentred(1.0),
    ] {
        let s = ProblemSpec {
            noise: sigma,
            n_test: 40_000,
            ..spec(10, 12, design)
        };
        let p = Problem::generate(&s);
        let beta: Vec<f64> = (0..12).map(|j| 0.3 * (j as f64).cos()).collect();
        let closed = p.expected_test_error(&beta);
        let mut noise = stream_rng(99, Stream::Noise);
        let e: Vec<f64> = (beta.iter().zip(&p.beta_star))
            .map(|(b, t)| b - t)
            .collect();
        let losses: Vec<f64> = (p.x_test.rows().into_iter())
            .map(|x| {
                let eps: f64 = StandardNormal.sample(&mut noise);
                let r = x.dot(&ndarray::ArrayView1::from(&e)) - sigma * eps;
                r * r
            })
            .collect();
        let m = losses.len() as f64;
        let mean = losses.iter().sum::<f64>() / m;
        let var = losses.iter().map(|l| (l - mean).powi(2)).sum::<f64>() / (m - 1.0);
        let se = (var / m).sqrt();
        assert!(
            (closed - mean).abs() <= 4.0 * se,
            "{design}: closed form {closed}, Monte Carlo {mean} ± {se}"
        );
        assert!(p.shows_test_error());
    }
}

/// On every design, converged GD and SGD end where the theory predicts, to 1e-8 relative.
#[test]
fn the_theorem_holds_on_every_design() {
    for design in ["anisotropic:20", "correlated:0.7", "uncentred:0.5"] {
        let config = Config {
            n: 20,
            d: 40,
            s: 3,
            alpha: 0.1,
            gamma_rule: Some("stable:0.5".into()),
            design: Some(design.into()),
            ..Config::default()
        };
        let prepared = prepare(config.validate().expect("valid"), None).expect("prepared");
        for method in [Method::Gd, Method::Sgd { batch: 1 }] {
            let p = prepared.problem.clone();
            let mut t = Trainer::new(p, method, 0.1, prepared.gamma).expect("trainer");
            t.run(3_000_000, 1e-24);
            let o = Outcome::of(&t);
            assert!(
                o.final_loss <= 1e-22,
                "{design} {method:?}: loss {}",
                o.final_loss
            );
            let gap = o.predicted_gap.expect("a prediction");
            assert!(gap <= 1e-8, "{design} {method:?}: gap {gap}");
        }
    }
}

#[test]
fn signs_and_given_ground_truths() {
    let s = ProblemSpec {
        s: 4,
        source: Source {
            beta: BetaRule::Signs(2.5),
            ..Source::default()
        },
        ..spec(10, 20, Design::Isotropic)
    };
    let p = Problem::generate(&s);
    let nz: Vec<f64> = p.support.iter().map(|&j| p.beta_star[j]).collect();
    assert_eq!(nz.len(), 4);
    assert!(nz.iter().all(|v| v.abs() == 2.5), "{nz:?}");
    let given: Vec<f64> = (0..20)
        .map(|j| if j % 7 == 0 { j as f64 } else { 0.0 })
        .collect();
    let s = ProblemSpec {
        source: Source {
            beta: BetaRule::Given(given.clone()),
            ..Source::default()
        },
        ..spec(10, 20, Design::Isotropic)
    };
    let p = Problem::generate(&s);
    assert_eq!(p.beta_star.to_vec(), given);
    assert_eq!(p.support, vec![7, 14]);
}

/// Spearman rank correlation of two equally long samples (no ties expected).
fn spearman(a: &[f64], b: &[f64]) -> f64 {
    let rank = |v: &[f64]| {
        let mut order: Vec<usize> = (0..v.len()).collect();
        order.sort_by(|&i, &j| v[i].total_cmp(&v[j]));
        let mut r = vec![0.0; v.len()];
        for (k, &i) in order.iter().enumerate() {
            r[i] = k as f64;
        }
        r
    };
    let (ra, rb) = (rank(a), rank(b));
    let n = a.len() as f64;
    let d2: f64 = ra.iter().zip(&rb).map(|(x, y)| (x - y).powi(2)).sum();
    1.0 - 6.0 * d2 / (n * (n * n - 1.0))
}

/// The scene "anisotropic features": SGD's exact α_j/α at the end falls with the column's
/// variance (P21: the shrinkage is `exp(−2(γ/b)(XᵀX/n)_jj ∫L)`), and far more than GD's.
#[test]
fn sgd_shrinks_the_high_variance_coordinates_most() {
    let preset = dln_explorer::presets::get("anisotropic-features").expect("shipped");
    let prepared = prepare(preset.config.validate().expect("valid"), None).expect("prepared");
    let p = prepared.problem.clone();
    let variance: Vec<f64> = p.scales.iter().map(|s| s * s).collect();
    let mut ends = Vec::new();
    for method in [Method::Gd, Method::Sgd { batch: 1 }] {
        let mut t = Trainer::new(p.clone(), method, 0.1, prepared.gamma).expect("trainer");
        t.run(preset.config.steps, preset.config.tol);
        let ratio: Vec<f64> = t.net().alpha_eff().iter().map(|a| a / 0.1).collect();
        let rho = spearman(&ratio, &variance);
        let min = ratio.iter().copied().fold(f64::INFINITY, f64::min);
        eprintln!(
            "{method:?}: steps {}, Spearman(α_j/α, σ_j²) = {rho:.3}, min α_j/α = {min:.4}",
            t.step()
        );
        ends.push((rho, min));
    }
    let (gd, sgd) = (ends[0], ends[1]);
    assert!(sgd.0 < -0.9, "SGD: rank correlation {}", sgd.0);
    assert!(
        sgd.1 < gd.1,
        "SGD shrinks more than GD: {} vs {}",
        sgd.1,
        gd.1
    );
}
