//! Paired runs: GD, SGD, SGF (and GF) on the same prepared scene, stepped on demand.

use std::sync::Arc;
use std::time::Instant;

use crate::model::analysis::{predicted_limit, relative_gap};
use crate::model::{Method, MethodKind, Settings, SimError, Stop, Trainer};

use super::frame::{Frame, MethodStatus, Points, Prediction, RunInfo};
use super::prepare::{Prepared, prepare};
use super::scene::MethodSet;

/// One method's trainer and what its receiver already holds.
pub struct Run {
    trainer: Trainer,
    stop: Option<Stop>,
    sent: Vec<u64>,
    warm: Option<Vec<f64>>,
    predicted_at: Option<u64>,
}

impl Run {
    /// The trainer.
    pub fn trainer(&self) -> &Trainer {
        &self.trainer
    }

    /// Why it stopped, if it did.
    pub fn stop(&self) -> Option<Stop> {
        self.stop
    }

    /// The history points the receiver lacks, against the steps it holds.
    fn unsent(&mut self) -> Points {
        let history = self.trainer.samples();
        let keep = (history.iter().zip(&self.sent))
            .take_while(|((step, _), sent)| step == *sent)
            .count();
        let new: Vec<_> = history.iter().skip(keep).map(|(_, p)| p.clone()).collect();
        self.sent.truncate(keep);
        self.sent.extend(new.iter().map(|p| p.sample.step));
        Points { keep, new }
    }
}

/// Paired runs of a scene; owns no thread.
#[derive(Default)]
pub struct PairedRuns {
    run_id: u64,
    data_generation: u64,
    prepared: Option<Arc<Prepared>>,
    info: Option<Arc<RunInfo>>,
    info_sent: bool,
    runs: Vec<Run>,
    predictions: Vec<(MethodKind, Prediction)>,
    error: Option<String>,
}

impl PairedRuns {
    /// Starts run `run_id` of a scene (the data is kept if only α, γ, b or the methods changed);
    /// a failure is kept for the next frame and leaves no runs.
    pub fn restart(&mut self, run_id: u64, scene: Settings, methods: MethodSet) {
        self.run_id = run_id;
        self.runs.clear();
        self.info = None;
        self.info_sent = false;
        self.predictions.clear();
        self.error = None;
        if let Err(e) = self.start(scene, methods) {
            self.runs.clear();
            self.error = Some(e.to_string());
        }
    }

    fn start(&mut self, scene: Settings, methods: MethodSet) -> Result<(), SimError> {
        let previous = self.prepared.take();
        let prepared = Arc::new(prepare(scene, previous.as_deref())?);
        if previous.is_none_or(|p| !Arc::ptr_eq(&p.problem, &prepared.problem)) {
            self.data_generation += 1;
        }
        self.start_prepared(self.run_id, prepared, methods)
    }

    /// Starts run `run_id` of `methods` on an already prepared scene.
    pub fn start_prepared(
        &mut self,
        run_id: u64,
        prepared: Arc<Prepared>,
        methods: MethodSet,
    ) -> Result<(), SimError> {
        self.run_id = run_id;
        self.runs.clear();
        self.predictions.clear();
        self.info_sent = false;
        self.prepared = Some(prepared.clone());
        let p = &prepared;
        let s = &p.settings;
        for kind in methods.iter() {
            let method = Method::new(kind, s.batch, s.h);
            let mut trainer = Trainer::new(p.problem.clone(), method, s.alpha, p.gamma)?;
            trainer.follow(p.coords.clone());
            self.runs.push(Run {
                trainer,
                stop: None,
                sent: Vec::new(),
                warm: None,
                predicted_at: None,
            });
        }
        let problem = &p.problem;
        self.info = Some(Arc::new(RunInfo {
            scene: s.clone(),
            methods,
            gamma: p.gamma,
            gamma_limit: p.gamma_limit,
            data_generation: self.data_generation,
            beta_star: p.coords.iter().map(|&j| problem.beta_star[j]).collect(),
            in_support: (p.coords.iter())
                .map(|j| problem.support.binary_search(j).is_ok())
                .collect(),
            coords: p.coords.clone(),
            support: problem.support.clone(),
            reference_errors: p.reference_errors(),
            error_measure: problem.measure,
            shows_test_error: problem.shows_test_error(),
        }));
        Ok(())
    }

    /// The prepared scene of the current runs.
    pub fn prepared(&self) -> Option<&Arc<Prepared>> {
        self.prepared.as_ref()
    }

    /// The runs, in display order.
    pub fn runs(&self) -> &[Run] {
        &self.runs
    }

    /// Whether any method can still step.
    pub fn active(&self) -> bool {
        self.runs.iter().any(|r| r.stop.is_none())
    }

    /// Advances every active method by `k` steps (or until `deadline`), in parallel when timed.
    pub fn advance(&mut self, k: u64, deadline: Option<Instant>) {
        let Some(info) = self.info.clone() else {
            return;
        };
        let (budget, tol) = (info.scene.steps, info.scene.tol);
        let work = |run: &mut Run| {
            let goal = run.trainer.step().saturating_add(k).min(budget);
            while run.stop.is_none() && run.trainer.step() < goal {
                let due = (run.trainer.samples())
                    .next_due(run.trainer.step() + 1)
                    .min(goal);
                match run.trainer.run(due, tol) {
                    Stop::Budget => {}
                    stop => run.stop = Some(stop),
                }
                if deadline.is_some_and(|d| Instant::now() >= d) {
                    break;
                }
            }
            if run.trainer.step() >= budget && run.stop.is_none() {
                run.stop = Some(run.trainer.stop_at_budget());
            }
        };
        let active: Vec<&mut Run> = self.runs.iter_mut().filter(|r| r.stop.is_none()).collect();
        if active.len() > 1 && deadline.is_some() {
            std::thread::scope(|s| {
                let work = &work;
                for run in active {
                    s.spawn(move || work(run));
                }
            });
        } else {
            active.into_iter().for_each(work);
        }
    }

    /// Solves for each run's predicted limit from its current state (skipped when `n ≥ d`,
    /// after divergence, or when the run has not moved since the last solve); true if any is new.
    pub fn predict(&mut self) -> bool {
        let Some(info) = self.info.clone() else {
            return false;
        };
        if info.reference_errors.is_none() {
            return false;
        }
        let mut any = false;
        for run in &mut self.runs {
            let step = run.trainer.step();
            if run.trainer.diverged_at().is_some() || run.predicted_at == Some(step) {
                continue;
            }
            run.predicted_at = Some(step);
            let Ok(solution) = predicted_limit(&run.trainer, run.warm.as_deref()) else {
                run.warm = None;
                continue;
            };
            let prediction = Prediction {
                step,
                coords: info.coords.iter().map(|&j| solution.beta[j]).collect(),
                gap: relative_gap(&run.trainer.beta(), &solution.beta),
                alpha_exact: ratio_to(run.trainer.net().alpha_eff(), run.trainer.alpha()),
                alpha_p21: ratio_to(run.trainer.alpha_p21(), run.trainer.alpha()),
            };
            run.warm = Some(solution.lambda);
            let kind = run.trainer.method().kind();
            self.predictions.retain(|(k, _)| *k != kind);
            self.predictions.push((kind, prediction));
            any = true;
        }
        any
    }

    /// Everything new since the last frame.
    pub fn take_frame(&mut self, playing: bool) -> Frame {
        let info = (!self.info_sent).then(|| self.info.clone()).flatten();
        self.info_sent = true;
        Frame {
            run: self.run_id,
            info,
            points: (self.runs.iter_mut())
                .map(|r| (r.trainer.method().kind(), r.unsent()))
                .collect(),
            predictions: std::mem::take(&mut self.predictions),
            status: (self.runs.iter())
                .map(|r| MethodStatus {
                    kind: r.trainer.method().kind(),
                    step: r.trainer.step(),
                    stop: r.stop,
                    diverged_at: r.trainer.diverged_at(),
                })
                .collect(),
            playing,
            error: self.error.take(),
        }
    }
}

/// `values / alpha`, element by element.
fn ratio_to(mut values: Vec<f64>, alpha: f64) -> Vec<f64> {
    values.iter_mut().for_each(|v| *v /= alpha);
    values
}
