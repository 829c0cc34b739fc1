//! Criterion benchmarks of the hot loops at three sizes: SGD (b = 1) and GD tracked — a run
//! stepped in pieces with its samples, Γ coefficients, ∫L and divergence check, as the app and
//! the sweeps step it — and untracked; b = 8 and SGF at the smallest size.

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use dln_explorer::model::{Method, Problem, ProblemSpec, Trainer};

fn steps(c: &mut Criterion) {
    // (n, d, SGD steps, GD steps) per iteration: a few milliseconds each.
    for (n, d, sgd_steps, gd_steps) in [
        (40, 100, 2000, 1000),
        (200, 1000, 2000, 50),
        (1000, 10_000, 500, 2),
    ] {
        let problem = Arc::new(Problem::generate(&ProblemSpec {
            n,
            d,
            s: 5,
            noise: 0.0,
            seed: 0,
            n_test: 0,
            source: Default::default(),
        }));
        let mut methods = vec![
            ("sgd_b1", Method::Sgd { batch: 1 }, sgd_steps),
            ("gd", Method::Gd, gd_steps),
        ];
        if n == 40 {
            methods.push(("sgd_b8", Method::Sgd { batch: 8 }, 1000));
            methods.push(("sgf", Method::Sgf { batch: 1, h: None }, 1000));
        }
        for (name, method, k) in methods {
            let mut group = c.benchmark_group(format!("{name}/{n}x{d}"));
            group.throughput(criterion::Throughput::Elements(k));
            if n * d >= 1_000_000 {
                group.sample_size(10);
                group.measurement_time(Duration::from_secs(10));
            }
            let gamma = 0.01f64.min(10.0 / d as f64);
            let fresh =
                || Trainer::new(problem.clone(), method, 0.1, gamma).expect("valid trainer");
            let mut tracked = fresh();
            group.bench_function("tracked", |b| {
                b.iter(|| black_box(tracked.run_until(tracked.step() + k, 0.0)))
            });
            let mut untracked = fresh();
            group.bench_function("untracked", |b| {
                b.iter(|| untracked.advance_untracked(black_box(k)))
            });
            group.finish();
        }
    }
}

criterion_group!(benches, steps);
criterion_main!(benches);
