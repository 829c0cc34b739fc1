//! Paired runs: GD, SGD, SGF (and GF) on the same prepared scene, stepped on demand. At the
//! GUI's pace the scene's preparation, gradient flow's limit and the predicted limits run in
//! the background and arrive in later frames.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use crate::platform::Instant;

use crate::model::{Method, MethodKind, Settings, SimError, Stop, Trainer};

use super::background::{Background, Polled};
use super::frame::{Frame, MethodStatus, Pending, Points, Prediction, RunInfo};
use super::predict::{Predicted, prediction_job};
use super::prepare::{Prepared, prepare, prepare_until};
use super::scene::MethodSet;

/// One method's trainer and what its receiver already holds.
pub struct Run {
    trainer: Trainer,
    stop: Option<Stop>,
    sent: Vec<u64>,
    warm: Option<Vec<f64>>,
    predicted_at: Option<u64>,
    chunk: u64,
    solving: Option<Background<Predicted>>,
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
    /// Prepare scenes and solve limits on background threads (the GUI's pace).
    pub background: bool,
    /// Record only each run's final state, no history (sweeps).
    pub final_only: bool,
    /// Solve at most one run's limit per [`PairedRuns::predict`], in turn (the web page, where
    /// solves hold up the frame).
    pub one_solve: bool,
    solve_from: usize,
    preparing: Option<(Background<Result<Prepared, SimError>>, MethodSet)>,
    gf: Option<Background<Result<Option<f64>, SimError>>>,
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
        self.gf = None;
        self.preparing = None;
        if self.background {
            let previous = self.prepared.clone();
            let job = Background::spawn("dln-prepare", move |cancel| {
                prepare_until(scene, previous.as_deref(), cancel)
            });
            self.preparing = Some((job, methods));
            return;
        }
        let started =
            prepare(scene, self.prepared.as_deref()).and_then(|p| self.adopt(Arc::new(p), methods));
        self.fail_on(started);
    }

    /// Keeps a failure for the next frame, leaving no runs.
    fn fail_on(&mut self, result: Result<(), SimError>) {
        match result {
            Ok(()) | Err(SimError::Cancelled) => {}
            Err(e) => {
                self.runs.clear();
                self.error = Some(e.to_string());
            }
        }
    }

    /// Starts the current run on a freshly prepared scene, counting a new data generation if
    /// its data is not the previous scene's.
    fn adopt(&mut self, prepared: Arc<Prepared>, methods: MethodSet) -> Result<(), SimError> {
        let same =
            (self.prepared.as_ref()).is_some_and(|p| Arc::ptr_eq(&p.problem, &prepared.problem));
        if !same {
            self.data_generation += 1;
        }
        self.start_prepared(self.run_id, prepared, methods)
    }

    /// Takes in whatever the background threads finished: the prepared scene (the runs start),
    /// gradient flow's limit (the run info is sent again), predicted limits; true if anything.
    pub fn poll_background(&mut self) -> bool {
        let mut any = false;
        if let Some((job, _)) = &self.preparing {
            let result = match job.poll() {
                Polled::Running => None,
                Polled::Done(r) => Some(r),
                Polled::Lost => Some(Err(lost("scene preparation"))),
            };
            if let Some(result) = result
                && let Some((_, methods)) = self.preparing.take()
            {
                let started = result.and_then(|p| self.adopt(Arc::new(p), methods));
                self.fail_on(started);
                any = true;
            }
        }
        if let Some(job) = &self.gf {
            let done = !matches!(job.poll(), Polled::Running);
            if done {
                self.gf = None;
                if let (Some(info), Some(p)) = (&self.info, &self.prepared) {
                    let mut info = RunInfo::clone(info);
                    info.reference_errors = p.reference_errors_known();
                    self.info = Some(Arc::new(info));
                    self.info_sent = false;
                }
                any = true;
            }
        }
        for run in &mut self.runs {
            let Some(job) = &run.solving else {
                continue;
            };
            let result = match job.poll() {
                Polled::Running => continue,
                Polled::Done(r) => r,
                Polled::Lost => None,
            };
            run.solving = None;
            // Finished, solved or not: the front end's pending state changes either way (a
            // failed solve, as at α = 1e-20, must not leave it waiting).
            run.accept(result, &mut self.predictions);
            any = true;
        }
        any
    }

    /// What is still running in the background.
    pub fn pending(&self) -> Pending {
        Pending {
            preparing: self.preparing.is_some(),
            solving: self.gf.is_some() || self.runs.iter().any(|r| r.solving.is_some()),
        }
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
            let method = Method::of_scene(kind, s);
            let mut trainer = Trainer::new(p.problem.clone(), method, s.alpha, p.gamma)?
                .with_weight_decay(s.weight_decay)?
                .with_schedule(s.schedule.clone(), s.steps);
            if self.final_only {
                trainer.final_only();
            } else {
                trainer.follow(p.coords.clone());
            }
            self.runs.push(Run {
                trainer,
                stop: None,
                sent: Vec::new(),
                warm: None,
                predicted_at: None,
                chunk: 1,
                solving: None,
            });
        }
        self.gf = None;
        if self.background && p.references.is_some() && !p.gf_known() {
            let job = prepared.clone();
            self.gf = Some(Background::spawn("dln-gf-limit", move |cancel| {
                job.gf_error_until(cancel)
            }));
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
            reference_errors: if self.background {
                p.reference_errors_known()
            } else {
                p.reference_errors()
            },
            error_measure: problem.measure,
            shows_test_error: problem.shows_test_error(),
            small_alpha: p.small_alpha.clone(),
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
        let work = |run: &mut Run, deadline: Option<Instant>| {
            let goal = run.trainer.step().saturating_add(k).min(budget);
            if run.stop.is_none() {
                // Timed ticks step in pieces of about a millisecond, so a deadline is kept at
                // every size; the pieces change nothing the run computes or records.
                let stop = match deadline {
                    Some(d) => {
                        (run.trainer).run_paced(goal, tol, &mut run.chunk, || Instant::now() >= d)
                    }
                    None => run.trainer.run_until(goal, tol),
                };
                if stop != Stop::Budget {
                    run.stop = Some(stop);
                }
            }
            if run.trainer.step() >= budget && run.stop.is_none() {
                run.trainer.finish();
                run.stop = Some(run.trainer.stop_at_budget());
            } else if run.stop.is_none() {
                run.trainer.mark();
            }
        };
        let active: Vec<&mut Run> = self.runs.iter_mut().filter(|r| r.stop.is_none()).collect();
        if active.len() > 1 && deadline.is_some() && crate::platform::THREADS {
            std::thread::scope(|s| {
                let work = &work;
                for run in active {
                    s.spawn(move || work(run, deadline));
                }
            });
        } else {
            // One after the other (no threads on the web page): each its share of the time left.
            let count = active.len() as u32;
            for (i, run) in active.into_iter().enumerate() {
                let share = deadline.map(|d| {
                    let now = Instant::now();
                    now + d.saturating_duration_since(now) / (count - i as u32)
                });
                work(run, share);
            }
        }
    }

    /// Solves for each run's predicted limit from its current state (skipped when `n ≥ d`,
    /// after divergence, when the run has not moved since the last solve, or while its last
    /// solve still runs in the background); true if any is new.
    pub fn predict(&mut self) -> bool {
        let Some(info) = self.info.clone() else {
            return false;
        };
        if info.reference_errors.is_none() {
            return false;
        }
        let mut any = false;
        let count = self.runs.len();
        for i in (0..count).map(|i| (i + self.solve_from) % count) {
            let run = &mut self.runs[i];
            let step = run.trainer.step();
            let moved = run.predicted_at != Some(step);
            if run.trainer.diverged_at().is_some() || !moved || run.solving.is_some() {
                continue;
            }
            run.predicted_at = Some(step);
            let job = prediction_job(&run.trainer, run.warm.clone(), info.coords.clone());
            if self.background {
                run.solving = Some(Background::spawn("dln-predict", job));
            } else {
                let result = job(&AtomicBool::new(false));
                any |= run.accept(result, &mut self.predictions);
                if self.one_solve {
                    self.solve_from = i + 1;
                    break;
                }
            }
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
            pending: self.pending(),
        }
    }
}

impl Run {
    /// Takes in a solved prediction (a failed solve drops the warm start); true if it is new.
    fn accept(&mut self, result: Predicted, out: &mut Vec<(MethodKind, Prediction)>) -> bool {
        let Some((prediction, lambda)) = result else {
            self.warm = None;
            return false;
        };
        self.warm = Some(lambda);
        let kind = self.trainer.method().kind();
        out.retain(|(k, _)| *k != kind);
        out.push((kind, prediction));
        true
    }
}

/// The error of a background job whose thread ended without a result.
fn lost(what: &str) -> SimError {
    SimError::Numerical(format!("{what} stopped unexpectedly"))
}
