//! The simulation behind the GUI: a [`Sim`] that steps GD, SGD, SGF (and GF) on the same data,
//! and the background thread that drives it in time-boxed chunks and streams [`Frame`]s.

use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use eframe::egui;

use crate::sim::analysis::{gf_limit, predicted_limit, relative_gap, rho0};
use crate::sim::stability::{resolve_gamma, sgd_limit};
use crate::sim::{Method, trainer::SAMPLE_CAPACITY};
use crate::sim::{
    MethodKind, Problem, ProblemSpec, References, Sample, SimError, StepSize, Stop, Trainer,
};

/// Most β coordinates followed in the coordinate plot.
pub const MAX_COORDS: usize = 16;
/// Wall-clock budget of one chunk of steps.
const CHUNK: Duration = Duration::from_millis(5);
/// Minimum interval between two predicted-limit solves.
const PREDICT_EVERY: Duration = Duration::from_millis(300);
/// Steps one speed unit stands for: the speed is in steps per frame of this length.
const FRAME: Duration = Duration::from_millis(16);

/// Everything that defines a set of paired runs.
#[derive(Clone, Debug, PartialEq)]
pub struct Scene {
    /// Data: n, d, s, noise, seed.
    pub problem: ProblemSpec,
    /// Initialisation scale α.
    pub alpha: f64,
    /// Step size γ, fixed or by the stability rule.
    pub step_size: StepSize,
    /// Mini-batch size b of SGD (and SGF's noise level).
    pub batch: usize,
    /// Integration step of SGF and GF (γ if unset).
    pub h: Option<f64>,
    /// Which methods run, indexed like [`MethodKind::ALL`].
    pub methods: [bool; 4],
    /// Step budget per method.
    pub steps: u64,
    /// Stop a method once its training loss is ≤ tol (0: never).
    pub tol: f64,
}

/// A request from the UI to the simulation.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Start run `run` of a scene (data kept if only α, γ, b or the methods changed).
    Restart {
        /// Id the UI gave the run; frames carry it.
        run: u64,
        /// What to run.
        scene: Scene,
    },
    /// Step continuously.
    Play,
    /// Stop stepping.
    Pause,
    /// Advance every method by this many steps (used while paused).
    Step(u64),
    /// Steps per 16 ms frame while playing (`u64::MAX`: flat out).
    Speed(u64),
    /// End the thread.
    Quit,
}

/// What a run is, sent once per restart.
#[derive(Clone, Debug)]
pub struct RunInfo {
    /// The scene it runs.
    pub scene: Scene,
    /// The resolved step size γ.
    pub gamma: f64,
    /// Single-sample SGD stability limit `2 / max_i κ_i(β_ℓ1, ρ₀)` (SPEC §5), if `d > n`.
    pub gamma_limit: Option<f64>,
    /// Counts data generations: unchanged when a restart kept the data.
    pub data_generation: u64,
    /// Followed coordinates of β (support of β* first).
    pub coords: Vec<usize>,
    /// β* at the followed coordinates.
    pub beta_star: Vec<f64>,
    /// Which followed coordinates are in the support of β*.
    pub in_support: Vec<bool>,
    /// `‖β_ℓ1 − β*‖²`, `‖β_ℓ2 − β*‖²`, `‖β_GF − β*‖²` when `d > n`.
    pub reference_errors: Option<[f64; 3]>,
}

/// One recorded point of a run.
#[derive(Clone, Debug, PartialEq)]
pub struct Point {
    /// Scalars of the run at this step.
    pub sample: Sample,
    /// β at the followed coordinates.
    pub coords: Vec<f64>,
}

/// The theory's predicted limit of one method from its current state.
#[derive(Clone, Debug, PartialEq)]
pub struct Prediction {
    /// Step it was computed at.
    pub step: u64,
    /// The predicted limit at the followed coordinates.
    pub coords: Vec<f64>,
    /// `‖β_t − β_pred‖/‖β_t‖`.
    pub gap: f64,
}

/// The state of one method's run.
#[derive(Clone, Debug, PartialEq)]
pub struct MethodStatus {
    /// The method.
    pub kind: MethodKind,
    /// Steps taken.
    pub step: u64,
    /// Why it stopped, if it did.
    pub stop: Option<Stop>,
    /// The step at which it diverged.
    pub diverged_at: Option<u64>,
}

/// An update streamed from the simulation to the UI.
#[derive(Clone, Debug, Default)]
pub struct Frame {
    /// Which run this belongs to (counts restarts).
    pub run: u64,
    /// Present on the first frame of a run.
    pub info: Option<Arc<RunInfo>>,
    /// New points per method since the previous frame.
    pub points: Vec<(MethodKind, Vec<Point>)>,
    /// Fresh predictions.
    pub predictions: Vec<(MethodKind, Prediction)>,
    /// Status of every running method.
    pub status: Vec<MethodStatus>,
    /// Whether the simulation is playing.
    pub playing: bool,
    /// A failure to show.
    pub error: Option<String>,
}

/// One method's trainer and what has not been sent yet.
struct Run {
    trainer: Trainer,
    stop: Option<Stop>,
    pending: Vec<Point>,
    warm: Option<Vec<f64>>,
    predicted_at: Option<u64>,
}

/// Paired runs of a scene, stepped on demand; owns no thread.
pub struct Sim {
    run_id: u64,
    data_generation: u64,
    problem: Option<(Arc<Problem>, Option<Arc<References>>)>,
    info: Option<Arc<RunInfo>>,
    info_sent: bool,
    runs: Vec<Run>,
    playing: bool,
    speed: u64,
    last_prediction: Option<Instant>,
    predictions: Vec<(MethodKind, Prediction)>,
    error: Option<String>,
}

impl Default for Sim {
    fn default() -> Self {
        Sim::new()
    }
}

impl Sim {
    /// An idle simulation with no scene.
    pub fn new() -> Sim {
        Sim {
            run_id: 0,
            data_generation: 0,
            problem: None,
            info: None,
            info_sent: false,
            runs: Vec::new(),
            playing: true,
            speed: 2000,
            last_prediction: None,
            predictions: Vec::new(),
            error: None,
        }
    }

    /// Applies a command; returns false on [`Command::Quit`].
    pub fn handle(&mut self, command: Command) -> bool {
        match command {
            Command::Restart { run, scene } => {
                self.run_id = run;
                if let Err(e) = self.restart(scene) {
                    self.runs.clear();
                    self.error = Some(e.to_string());
                }
            }
            Command::Play => self.playing = true,
            Command::Pause => self.playing = false,
            Command::Step(k) => self.advance(k, None),
            Command::Speed(s) => self.speed = s.max(1),
            Command::Quit => return false,
        }
        true
    }

    /// Whether any method can still step.
    pub fn active(&self) -> bool {
        self.runs.iter().any(|r| r.stop.is_none())
    }

    /// Whether predictions are waiting to be sent.
    pub fn has_predictions(&self) -> bool {
        !self.predictions.is_empty()
    }

    /// Whether the simulation is playing.
    pub fn playing(&self) -> bool {
        self.playing
    }

    /// Steps per frame while playing.
    pub fn speed(&self) -> u64 {
        self.speed
    }

    fn restart(&mut self, scene: Scene) -> Result<(), SimError> {
        self.runs.clear();
        self.info = None;
        self.info_sent = false;
        self.predictions.clear();
        self.last_prediction = None;
        self.error = None;
        let reuse = matches!(&self.problem, Some((p, _)) if p.spec == scene.problem);
        if !reuse {
            self.problem = None;
            let problem = Arc::new(Problem::generate(&scene.problem));
            let refs = if problem.is_overparametrised() {
                Some(Arc::new(References::compute(&problem)?))
            } else {
                None
            };
            self.data_generation += 1;
            self.problem = Some((problem, refs));
        }
        let Some((problem, refs)) = self.problem.clone() else {
            return Err(SimError::Numerical("no problem".into()));
        };
        let rho0 = rho0(scene.alpha, problem.d());
        let gamma_limit = refs
            .as_ref()
            .map(|r| sgd_limit(problem.x(), &r.beta_l1, &rho0));
        let gamma = resolve_gamma(
            scene.step_size,
            problem.x(),
            refs.as_ref().map(|r| r.beta_l1.as_slice()),
            scene.alpha,
        )?;
        let coords = followed_coords(&problem, refs.as_deref());
        let reference_errors = match &refs {
            Some(r) => {
                let gf = gf_limit(&problem, scene.alpha)
                    .map(|s| problem.recovery_error(&s.beta))
                    .unwrap_or(f64::NAN);
                Some([r.l1_error, r.l2_error, gf])
            }
            None => None,
        };
        for (kind, on) in MethodKind::ALL.into_iter().zip(scene.methods) {
            if !on {
                continue;
            }
            let method = Method::new(kind, scene.batch, scene.h);
            let trainer = Trainer::new(problem.clone(), method, scene.alpha, gamma)?;
            let mut run = Run {
                trainer,
                stop: None,
                pending: Vec::new(),
                warm: None,
                predicted_at: None,
            };
            run.record(&coords);
            self.runs.push(run);
        }
        self.info = Some(Arc::new(RunInfo {
            beta_star: coords.iter().map(|&j| problem.beta_star[j]).collect(),
            in_support: coords
                .iter()
                .map(|j| problem.support.binary_search(j).is_ok())
                .collect(),
            coords,
            gamma,
            gamma_limit,
            data_generation: self.data_generation,
            reference_errors,
            scene,
        }));
        self.info_sent = false;
        Ok(())
    }

    /// Advances every active method by `k` steps (or until `deadline`), recording points.
    pub fn advance(&mut self, k: u64, deadline: Option<Instant>) {
        let Some(info) = self.info.clone() else {
            return;
        };
        let (budget, tol) = (info.scene.steps, info.scene.tol);
        let coords = &info.coords;
        let work = |run: &mut Run| {
            let goal = (run.trainer.step().saturating_add(k)).min(budget);
            while run.stop.is_none() && run.trainer.step() < goal {
                let due = run
                    .trainer
                    .samples()
                    .next_due(run.trainer.step() + 1)
                    .min(goal);
                match run.trainer.run(due, tol) {
                    Stop::Budget => {}
                    stop => run.stop = Some(stop),
                }
                run.record(coords);
                if deadline.is_some_and(|d| Instant::now() >= d) {
                    break;
                }
            }
            if run.trainer.step() >= budget && run.stop.is_none() {
                run.stop = Some(Stop::Budget);
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

    /// Recomputes the predicted limits if due (`force`: now).
    pub fn predict(&mut self, force: bool) {
        let Some(info) = self.info.clone() else {
            return;
        };
        if !force
            && self
                .last_prediction
                .is_some_and(|t| t.elapsed() < PREDICT_EVERY)
        {
            return;
        }
        self.last_prediction = Some(Instant::now());
        if info.reference_errors.is_none() {
            return;
        }
        for run in &mut self.runs {
            if run.trainer.diverged_at().is_some() || run.predicted_at == Some(run.trainer.step()) {
                continue;
            }
            run.predicted_at = Some(run.trainer.step());
            let Ok(solution) = predicted_limit(&run.trainer, run.warm.as_deref()) else {
                run.warm = None;
                continue;
            };
            let beta = run.trainer.beta();
            let prediction = Prediction {
                step: run.trainer.step(),
                coords: info.coords.iter().map(|&j| solution.beta[j]).collect(),
                gap: relative_gap(&beta, &solution.beta),
            };
            run.warm = Some(solution.lambda);
            let kind = run.trainer.method().kind();
            self.predictions.retain(|(k, _)| *k != kind);
            self.predictions.push((kind, prediction));
        }
    }

    /// Everything new since the last frame.
    pub fn take_frame(&mut self) -> Frame {
        let info = (!self.info_sent).then(|| self.info.clone()).flatten();
        self.info_sent = true;
        Frame {
            run: self.run_id,
            info,
            points: self
                .runs
                .iter_mut()
                .map(|r| (r.trainer.method().kind(), std::mem::take(&mut r.pending)))
                .collect(),
            predictions: std::mem::take(&mut self.predictions),
            status: self
                .runs
                .iter()
                .map(|r| MethodStatus {
                    kind: r.trainer.method().kind(),
                    step: r.trainer.step(),
                    stop: r.stop,
                    diverged_at: r.trainer.diverged_at(),
                })
                .collect(),
            playing: self.playing,
            error: self.error.take(),
        }
    }
}

impl Run {
    /// Queues the trainer's latest sample with β at the followed coordinates.
    fn record(&mut self, coords: &[usize]) {
        let Some((_, sample)) = self.trainer.samples().last() else {
            return;
        };
        let net = self.trainer.net();
        let point = Point {
            sample: *sample,
            coords: coords.iter().map(|&j| net.u[j] * net.v[j]).collect(),
        };
        if self
            .pending
            .last()
            .is_some_and(|p| p.sample.step >= sample.step)
        {
            self.pending.pop();
        }
        self.pending.push(point);
        if self.pending.len() > 4 * SAMPLE_CAPACITY {
            self.pending.drain(..SAMPLE_CAPACITY);
        }
    }
}

/// The support of β* first, then the coordinates the ℓ2 interpolator weighs most, up to
/// [`MAX_COORDS`] (all of them when d is that small).
fn followed_coords(problem: &Problem, refs: Option<&References>) -> Vec<usize> {
    let d = problem.d();
    if d <= MAX_COORDS {
        return (0..d).collect();
    }
    let mut coords: Vec<usize> = problem.support.iter().copied().take(MAX_COORDS).collect();
    if let Some(r) = refs {
        let mut rest: Vec<usize> = (0..d).filter(|j| !coords.contains(j)).collect();
        rest.sort_by(|&a, &b| r.beta_l2[b].abs().total_cmp(&r.beta_l2[a].abs()));
        coords.extend(rest.into_iter().take(MAX_COORDS - coords.len()));
    }
    coords.sort_unstable();
    coords
}

/// The UI's end of a background simulation thread.
pub struct Worker {
    commands: Sender<Command>,
    frames: Receiver<Frame>,
    thread: Option<JoinHandle<()>>,
}

impl Worker {
    /// Starts the thread; it repaints `ctx` whenever it has sent something.
    pub fn spawn(ctx: egui::Context) -> Worker {
        let (commands, command_rx) = mpsc::channel();
        let (frame_tx, frames) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("dln-sim".into())
            .spawn(move || worker_loop(command_rx, frame_tx, ctx))
            .ok();
        Worker {
            commands,
            frames,
            thread,
        }
    }

    /// Sends a command; false if the thread is gone.
    pub fn send(&self, command: Command) -> bool {
        self.commands.send(command).is_ok()
    }

    /// Frames received so far.
    pub fn drain(&self) -> Vec<Frame> {
        self.frames.try_iter().collect()
    }

    /// `Some(message)` once the thread has ended (a panic message if it panicked).
    pub fn failure(&mut self) -> Option<String> {
        if self.thread.as_ref().is_some_and(|t| !t.is_finished()) {
            return None;
        }
        let Some(thread) = self.thread.take() else {
            return Some("simulation thread could not start or has stopped".into());
        };
        Some(match thread.join() {
            Ok(()) => "simulation thread has stopped".into(),
            Err(payload) => {
                let msg = payload
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "unknown panic".into());
                format!("simulation thread panicked: {msg}")
            }
        })
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        let _ = self.commands.send(Command::Quit);
    }
}

/// Steps while playing in 5 ms chunks, sends a frame after each, and sleeps when idle.
fn worker_loop(commands: Receiver<Command>, frames: Sender<Frame>, ctx: egui::Context) {
    let mut sim = Sim::new();
    loop {
        let busy = sim.playing() && sim.active();
        let first = if busy {
            commands.try_recv().ok()
        } else {
            match commands.recv_timeout(Duration::from_millis(250)) {
                Ok(c) => Some(c),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        };
        let mut changed = first.is_some();
        let batch: Vec<Command> = first.into_iter().chain(commands.try_iter()).collect();
        let last_restart = batch
            .iter()
            .rposition(|c| matches!(c, Command::Restart { .. }));
        for (i, command) in batch.into_iter().enumerate() {
            let superseded = matches!(command, Command::Restart { .. })
                && last_restart.is_some_and(|last| i < last);
            if !superseded && !sim.handle(command) {
                return;
            }
        }
        let start = Instant::now();
        if sim.playing() && sim.active() {
            let speed = sim.speed();
            let deadline = start + CHUNK;
            sim.advance(speed, Some(deadline));
            changed = true;
            if speed != u64::MAX {
                std::thread::sleep(FRAME.saturating_sub(start.elapsed()));
            }
        }
        sim.predict(!sim.active());
        if changed || sim.has_predictions() {
            if frames.send(sim.take_frame()).is_err() {
                return;
            }
            ctx.request_repaint_after(FRAME);
        }
    }
}
