//! A sweep's job: on threads on the desktop, a slice at a time between frames on the web page
//! (refused there when it would take many minutes).

use eframe::egui;

use super::job::Job;
use crate::experiment::sweep::{SweepRow, SweepSpec, run_sweep};
use crate::experiment::sweep_paged::PagedSweep;
use crate::model::SimError;

/// What a sweep's job produces.
pub type Outcome = Result<Vec<SweepRow>, SimError>;

/// Starts the sweep of `spec`, counting one tick per run (and per γ_max bisection).
pub fn start(ctx: &egui::Context, spec: &SweepSpec) -> Result<Job<Outcome>, String> {
    if let Some(refusal) = too_large_for_the_page(spec) {
        return Err(refusal);
    }
    let work = spec.clone();
    match crate::platform::THREADS {
        true => Job::spawn(ctx, "alpha-sweep", spec.runs(), move |progress| {
            run_sweep(&work, &|| progress.tick(), progress.cancelled())
        }),
        // The web page: the same runs, a slice at a time between frames.
        false => PagedSweep::new(&work)
            .map_err(|e| e.to_string())
            .and_then(|mut sweep| {
                Job::sliced(ctx, spec.runs(), move |progress, deadline| {
                    sweep.advance(deadline, &|| progress.tick(), progress.cancelled())
                })
            }),
    }
}

/// Steps × coordinates of a sweep the web page takes on (beyond, many minutes of its frames).
const PAGE_SWEEP_WORK: f64 = 2e10;

/// On the web page: why `spec` is too large for it (each γ_max bisection counted as about
/// [`BISECTION_RUNS`] runs).
fn too_large_for_the_page(spec: &SweepSpec) -> Option<String> {
    if crate::platform::THREADS {
        return None;
    }
    let (p, steps) = (&spec.base.problem, spec.base.steps as f64);
    let bisections = spec.runs() - spec.runs_of_points();
    let runs = spec.runs_of_points() + BISECTION_RUNS * bisections;
    let work = runs as f64 * steps * p.d as f64;
    (work > PAGE_SWEEP_WORK).then(|| {
        let with = match bisections {
            0 => String::new(),
            b => format!(" and {b} γ_max bisections"),
        };
        format!(
            "{} runs{with} of up to {steps} steps at d = {} would take the web page many minutes: fewer α, seeds or steps, or the desktop app / `dln-explorer sweep`",
            spec.runs_of_points(),
            p.d
        )
    })
}

/// Runs of a typical γ_max bisection (bracketing, then bisecting to 1 %).
const BISECTION_RUNS: usize = 20;
