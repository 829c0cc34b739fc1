//! Criterion benchmarks of the hot loops: one step of each method at n = 40, d = 100, tracked
//! (Γ coefficients, ∫L, divergence check) and untracked.

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use dln_explorer::model::{Method, Problem, ProblemSpec, Trainer};

const STEPS: u64 = 1000;

fn steps(c: &mut Criterion) {
    let problem = Arc::new(Problem::generate(&ProblemSpec {
        n: 40,
        d: 100,
        s: 5,
        noise: 0.0,
        seed: 0,
        n_test: 0,
        source: Default::default(),
    }));
    for (name, method) in [
        ("sgd_b1", Method::Sgd { batch: 1 }),
        ("sgd_b8", Method::Sgd { batch: 8 }),
        ("gd", Method::Gd),
        ("sgf", Method::Sgf { batch: 1, h: None }),
    ] {
        let mut group = c.benchmark_group(name);
        group.throughput(criterion::Throughput::Elements(STEPS));
        let fresh = || Trainer::new(problem.clone(), method, 0.1, 0.01).expect("valid trainer");
        let mut tracked = fresh();
        group.bench_function("tracked", |b| {
            b.iter(|| {
                for _ in 0..STEPS {
                    black_box(tracked.step_once());
                }
            })
        });
        let mut untracked = fresh();
        group.bench_function("untracked", |b| {
            b.iter(|| untracked.advance_untracked(black_box(STEPS)))
        });
        group.finish();
    }
}

criterion_group!(benches, steps);
criterion_main!(benches);
