//! A sweep a slice of time at a time, for the web page (no threads): the same runs and rows as
//! [`run_sweep`](super::sweep_run::run_sweep), one run after another, each advanced until the
//! frame's deadline; each (α, seed)'s scene prepared, and its γ_max bisected a slice at a time,
//! when its turn comes.

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::gamma_max::Bisection;
use super::prepare::{Prepared, prepare};
use super::runs::PairedRuns;
use super::scene::MethodSet;
use super::shard::Shard;
use super::sweep::{SweepRow, SweepSpec};
use super::sweep_run::{Key, SweepJob, bisection_of, found, pair_jobs};
use crate::model::config::Settings;
use crate::model::error::SimError;
use crate::platform::Instant;

/// A sweep in progress.
pub struct PagedSweep {
    spec: SweepSpec,
    pairs: Vec<(usize, usize)>,
    next: usize,
    seeded: Option<(usize, Arc<Prepared>)>,
    jobs: VecDeque<SweepJob>,
    bisecting: Option<Bisecting>,
    running: Option<(SweepJob, PairedRuns)>,
    rows: Vec<(Key, SweepRow)>,
}

impl PagedSweep {
    /// The sweep of `spec`, checked, nothing run yet.
    pub fn new(spec: &SweepSpec) -> Result<PagedSweep, SimError> {
        spec.validate()?;
        let pairs = (0..spec.seeds as usize)
            .flat_map(|s| {
                let mut pairs: Vec<_> = Shard::WHOLE.pairs_of_seed(spec, s).collect();
                pairs.sort_unstable();
                pairs
            })
            .collect();
        Ok(PagedSweep {
            spec: spec.clone(),
            pairs,
            next: 0,
            seeded: None,
            jobs: VecDeque::new(),
            bisecting: None,
            running: None,
            rows: Vec::new(),
        })
    }

    /// Works until `deadline` (at least one piece): `None` while work remains, else the rows in
    /// grid order — those finished so far once `cancel` is raised. `progress` is called after
    /// each run and each γ_max bisection.
    pub fn advance(
        &mut self,
        deadline: Instant,
        progress: &dyn Fn(),
        cancel: &AtomicBool,
    ) -> Option<Result<Vec<SweepRow>, SimError>> {
        loop {
            if cancel.load(Ordering::Relaxed) {
                return Some(Ok(self.take_rows()));
            }
            match self.piece(deadline, progress, cancel) {
                Ok(true) => return Some(Ok(self.take_rows())),
                Ok(false) if Instant::now() >= deadline => return None,
                Ok(false) => {}
                Err(e) => return Some(Err(e)),
            }
        }
    }

    /// One piece of work: the run in flight until `deadline`, else the next run started, else
    /// the bisections of the (α, seed) prepared last, else the next (α, seed) prepared; true
    /// when nothing is left.
    fn piece(
        &mut self,
        deadline: Instant,
        progress: &dyn Fn(),
        cancel: &AtomicBool,
    ) -> Result<bool, SimError> {
        if let Some((job, runs)) = &mut self.running {
            runs.advance(u64::MAX, Some(deadline));
            if !runs.active() {
                self.rows.extend(job.row(runs));
                self.running = None;
                progress();
            }
            return Ok(false);
        }
        if let Some(job) = self.jobs.pop_front() {
            let mut runs = PairedRuns::default();
            runs.final_only = true;
            runs.start_prepared(0, job.prepared.clone(), MethodSet::of(&[job.method]))?;
            self.running = Some((job, runs));
            return Ok(false);
        }
        if let Some(b) = &mut self.bisecting {
            if b.maxima.len() == self.spec.methods.len() {
                let jobs = pair_jobs(&self.spec, b.pair, &b.prepared, &b.maxima)?;
                self.jobs.extend(jobs);
                self.bisecting = None;
                return Ok(false);
            }
            if b.current.is_none() {
                let method = self.spec.methods[b.maxima.len()];
                b.current = bisection_of(&b.prepared, method)?;
            }
            let end = match &mut b.current {
                Some(bisection) => match bisection.advance(Some(deadline), cancel) {
                    Some(end) => Some(end),
                    None => return Ok(false),
                },
                None => None,
            };
            b.maxima.push(found(end)?);
            b.current = None;
            progress();
            return Ok(false);
        }
        let Some(&(a, s)) = self.pairs.get(self.next) else {
            return Ok(true);
        };
        self.next += 1;
        let base = &self.spec.base;
        let seeded = match self.seeded.take() {
            Some((seed, data)) if seed == s => data,
            _ => {
                let mut settings = base.clone();
                settings.problem.seed = base.problem.seed.wrapping_add(s as u64);
                Arc::new(prepare(settings, None)?)
            }
        };
        let settings = Settings {
            alpha: self.spec.alphas[a],
            ..seeded.settings.clone()
        };
        let prepared = Arc::new(prepare(settings, Some(&seeded))?);
        self.seeded = Some((s, seeded));
        if self.spec.needs_gamma_max() {
            self.bisecting = Some(Bisecting {
                pair: (a, s),
                prepared,
                maxima: Vec::new(),
                current: None,
            });
        } else {
            (self.jobs).extend(pair_jobs(&self.spec, (a, s), &prepared, &[])?);
        }
        Ok(false)
    }

    /// The rows finished, in grid order.
    fn take_rows(&mut self) -> Vec<SweepRow> {
        let mut rows = std::mem::take(&mut self.rows);
        rows.sort_by_key(|(key, _)| *key);
        rows.into_iter().map(|(_, row)| row).collect()
    }
}

/// The γ_max bisections of one (α, seed), one method after another.
struct Bisecting {
    pair: (usize, usize),
    prepared: Arc<Prepared>,
    /// γ_max of the methods bisected so far.
    maxima: Vec<Option<f64>>,
    /// The bisection in flight.
    current: Option<Bisection>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::sweep::GammaAxis;
    use crate::experiment::sweep_run::run_sweep;
    use crate::model::{Config, MethodKind};

    fn spec(gammas: GammaAxis) -> SweepSpec {
        let config = Config {
            n: 10,
            d: 20,
            s: 2,
            steps: 3000,
            ..Config::default()
        };
        SweepSpec {
            base: crate::data::settings(&config).expect("settings"),
            alphas: vec![0.05, 0.5],
            methods: vec![MethodKind::Gd, MethodKind::Sgd],
            seeds: 2,
            gammas,
            find_gamma_max: false,
        }
    }

    #[test]
    fn a_paged_sweep_ends_on_the_threaded_sweeps_rows_and_stops_when_cancelled() {
        let never = AtomicBool::new(false);
        for gammas in [
            GammaAxis::Scene,
            GammaAxis::Values(vec![0.01, 0.05]),
            GammaAxis::Fractions(vec![0.5]),
        ] {
            let spec = spec(gammas);
            let whole = run_sweep(&spec, &|| (), &never).expect("sweep");
            let mut paged = PagedSweep::new(&spec).expect("spec");
            let ticks = std::cell::Cell::new(0);
            let mut calls = 0;
            let rows = loop {
                calls += 1;
                // A deadline already passed: one piece a call, the runs resumed across calls.
                let tick = || ticks.set(ticks.get() + 1);
                if let Some(rows) = paged.advance(Instant::now(), &tick, &never) {
                    break rows.expect("rows");
                }
            };
            assert!(!whole.is_empty());
            assert_eq!(rows, whole, "{:?}", spec.gammas);
            assert!(ticks.get() >= rows.len() && calls > 2 * rows.len());
        }
        let mut paged = PagedSweep::new(&spec(GammaAxis::Scene)).expect("spec");
        let stop = AtomicBool::new(true);
        let rows = paged.advance(Instant::now(), &|| (), &stop);
        assert!(
            matches!(rows, Some(Ok(r)) if r.is_empty()),
            "cancelled before any run ended"
        );
    }
}
