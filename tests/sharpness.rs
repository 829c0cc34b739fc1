//! The sharpness against its definitions: Hessian–vector products against finite differences of
//! the gradient, Lanczos against the dense Hessian's top eigenvalue, and the interpolator identity
//! `S = λ_max(X diag(u² + v²) Xᵀ)/n`.

use std::sync::Arc;

use dln_explorer::model::linalg::{lambda_max, weighted_gram};
use dln_explorer::model::net::DiagNet;
use dln_explorer::model::sharpness::{
    FRESH_ITERS, hessian_vector, max_kappa, residual_gradient, sharpness,
};
use dln_explorer::model::stability::kappa_of;
use dln_explorer::model::{Method, Problem, ProblemSpec, Stop, Trainer};

fn problem(n: usize, d: usize, seed: u64) -> Arc<Problem> {
    Arc::new(Problem::generate(&ProblemSpec {
        n,
        d,
        s: 3,
        noise: 0.0,
        seed,
        n_test: 10,
        source: Default::default(),
    }))
}

/// A state away from interpolation, so the residual term of the Hessian matters.
fn some_net(d: usize) -> DiagNet {
    let u: Vec<f64> = (0..d).map(|j| 0.4 + 0.02 * j as f64).collect();
    let v: Vec<f64> = (0..d).map(|j| (0.9 * j as f64).sin() * 0.3).collect();
    DiagNet::from_layers(&u, &v)
}

#[test]
fn hessian_vector_products_match_finite_differences_of_the_gradient() {
    let p = problem(12, 20, 1);
    let net = some_net(20);
    let (u, v) = net.layers();
    let g = residual_gradient(&net, &p);
    let z: Vec<f64> = (0..40).map(|i| ((i * 7 % 11) as f64 - 5.0) / 5.0).collect();
    let mut hz = vec![0.0; 40];
    hessian_vector((&u, &v), &g, &p, &z, &mut hz);
    let grad_at = |t: f64| {
        let u2: Vec<f64> = (0..20).map(|j| u[j] + t * z[j]).collect();
        let v2: Vec<f64> = (0..20).map(|j| v[j] + t * z[20 + j]).collect();
        let (gu, gv) = DiagNet::from_layers(&u2, &v2).gradients(&p);
        [gu, gv].concat()
    };
    let h = 1e-5;
    let (plus, minus) = (grad_at(h), grad_at(-h));
    for i in 0..40 {
        let fd = (plus[i] - minus[i]) / (2.0 * h);
        assert!(
            (fd - hz[i]).abs() <= 1e-7 * (1.0 + fd.abs()),
            "component {i}: fd {fd} vs Hz {}",
            hz[i]
        );
    }
}

#[test]
fn lanczos_sharpness_equals_the_dense_hessians_top_eigenvalue() {
    let (n, d) = (12, 20);
    let p = problem(n, d, 2);
    let net = some_net(d);
    let (u, v) = net.layers();
    let g = residual_gradient(&net, &p);
    // The dense Hessian from its closed form, independently of the products.
    let x = p.x();
    let dense = faer::Mat::<f64>::from_fn(2 * d, 2 * d, |a, b| {
        let (ja, jb) = (a % d, b % d);
        let (fa, fb) = (
            if a < d { v[ja] } else { u[ja] },
            if b < d { v[jb] } else { u[jb] },
        );
        let gram: f64 = (0..n).map(|i| x[(i, ja)] * x[(i, jb)]).sum();
        let residual = if ja == jb && (a < d) != (b < d) {
            g[ja]
        } else {
            0.0
        };
        (fa * gram * fb + residual) / (2.0 * n as f64)
    });
    let top = lambda_max(&dense).expect("eigenvalues");
    let (s, vector) = sharpness(&net, &p, None, FRESH_ITERS).expect("Lanczos");
    assert!(
        (s - 2.0 * top).abs() <= 1e-8 * top,
        "S {s} vs 2 λ_max {}",
        2.0 * top
    );
    // The vector is the top eigenvector: H q = λ q.
    let mut hq = vec![0.0; 2 * d];
    hessian_vector((&u, &v), &g, &p, &vector, &mut hq);
    for (a, b) in hq.iter().zip(&vector) {
        assert!((a - top * b).abs() <= 1e-7 * top);
    }
    // A warm start from that vector needs only a few steps.
    let (warm, _) = sharpness(&net, &p, Some(&vector), 3).expect("warm Lanczos");
    assert!((warm - s).abs() <= 1e-10 * s);
}

#[test]
fn at_an_interpolator_the_sharpness_is_the_preconditioned_gram_and_max_kappa_is_kappa() {
    let p = problem(20, 30, 3);
    let mut t = Trainer::new(p.clone(), Method::Gd, 0.1, 0.3).expect("trainer");
    assert_eq!(t.run(1_000_000, 1e-24), Stop::Converged);
    let w = t.net().u2_plus_v2();
    let expected = lambda_max(&weighted_gram(p.x(), &w)).expect("eigen") / p.n() as f64;
    let (s, _) = sharpness(t.net(), &p, None, FRESH_ITERS).expect("Lanczos");
    assert!(
        (s - expected).abs() <= 1e-8 * expected,
        "S {s} vs {expected}"
    );
    assert!(s * 0.3 < 2.0, "a converged GD run is stable: γ S < 2");
    let kappa = kappa_of(p.x(), &w).into_iter().fold(0.0, f64::max);
    assert_eq!(max_kappa(t.net(), &p), kappa);
}
