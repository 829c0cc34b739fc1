//! The one driver loop: commands in, paired runs stepped in chunks, frames out. The GUI's worker
//! thread, the tests' inline backend and the headless commands all step runs through it.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::platform::Instant;

use crate::model::trainer::WATCH_EVERY;
use crate::model::{Settings, SimError};

use super::frame::{Frame, Record};
use super::prepare::Prepared;
use super::runs::PairedRuns;
use super::scene::MethodSet;

/// A request to the runs.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Start run `run` of a scene (data kept if only α, γ, b or the methods changed).
    Restart {
        /// Id the front end gave the run; frames carry it.
        run: u64,
        /// What to run.
        scene: Box<Settings>,
        /// Which methods run on it.
        methods: MethodSet,
    },
    /// Step continuously.
    Play,
    /// Stop stepping.
    Pause,
    /// Advance every method by this many steps (used while paused).
    Step(u64),
    /// Steps per tick while playing (`u64::MAX`: as many as the chunk allows).
    Speed(u64),
    /// End the loop.
    Quit,
}

/// How a driver paces the runs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pace {
    /// Wall-clock budget of one tick's steps (None: the steps of a tick, however long).
    pub chunk: Option<Duration>,
    /// Solve the predicted limits every this many ticks (and whenever the runs have stopped).
    pub predict_every: u32,
    /// Prepare scenes and solve limits on background threads, never holding up a tick.
    pub background: bool,
    /// The speed is per 16 ms of wall-clock time, not per tick (ticks come with the page's
    /// frames, however far apart), and each tick solves at most one run's limit.
    pub per_time: bool,
}

impl Pace {
    /// The GUI's pace: 5 ms chunks, predictions about every 300 ms of playing.
    pub const LIVE: Pace = Pace {
        chunk: Some(Duration::from_millis(5)),
        predict_every: 18,
        background: true,
        per_time: false,
    };
    /// The web page (no threads): the GUI's pace, scenes prepared inside the frame.
    pub const PAGE: Pace = Pace {
        chunk: Some(crate::platform::TURN),
        predict_every: 6,
        background: false,
        per_time: true,
    };
    /// The tests' inline backend: the GUI's prediction schedule, exactly `speed` steps a tick.
    pub const INLINE: Pace = Pace {
        chunk: None,
        predict_every: 18,
        background: false,
        per_time: false,
    };
    /// Headless: every step in one go, predictions once the runs have stopped.
    pub const BATCH: Pace = Pace {
        chunk: None,
        predict_every: u32::MAX,
        background: false,
        per_time: false,
    };
}

/// Steps paired runs on commands and reports what changed as frames.
pub struct Driver {
    /// The runs it steps.
    pub runs: PairedRuns,
    pace: Pace,
    playing: bool,
    speed: u64,
    ticks: u32,
    changed: bool,
    last_tick: Option<Instant>,
}

impl Driver {
    /// An idle driver with no scene, playing at `speed` steps a tick.
    pub fn new(pace: Pace, speed: u64) -> Driver {
        let mut runs = PairedRuns::default();
        runs.background = pace.background;
        runs.one_solve = pace.per_time;
        Driver {
            runs,
            pace,
            playing: true,
            speed: speed.max(1),
            ticks: 0,
            changed: false,
            last_tick: None,
        }
    }

    /// Whether the runs play and can still step.
    pub fn busy(&self) -> bool {
        self.playing && self.runs.active()
    }

    /// Whether background work (preparation, limits) is still running: worth polling soon.
    pub fn waiting(&self) -> bool {
        self.runs.pending() != crate::experiment::Pending::default()
    }

    /// Steps per tick while playing.
    pub fn speed(&self) -> u64 {
        self.speed
    }

    /// Applies a command; false on [`Command::Quit`].
    pub fn handle(&mut self, command: Command) -> bool {
        self.changed = true;
        match command {
            Command::Restart {
                run,
                scene,
                methods,
            } => {
                self.ticks = 0;
                self.runs.restart(run, *scene, methods);
            }
            Command::Play => self.playing = true,
            Command::Pause => self.playing = false,
            Command::Step(k) => self.runs.advance(k, None),
            Command::Speed(s) => self.speed = s.max(1),
            Command::Quit => return false,
        }
        true
    }

    /// One tick: a chunk of steps if playing, the predictions if due; the frame if anything
    /// changed since the last one.
    pub fn tick(&mut self) -> Option<Frame> {
        self.changed |= self.runs.poll_background();
        let now = Instant::now();
        let since = self.last_tick.replace(now).map(|t| now - t);
        if self.busy() {
            let deadline = self.pace.chunk.map(|c| now + c);
            // A page drawing at 10 frames a second steps as far as the desktop's 60 (up to 8×).
            let frames = match (self.pace.per_time, since) {
                (true, Some(dt)) => (dt.as_secs_f64() / 0.016).clamp(1.0, 8.0),
                _ => 1.0,
            };
            let steps = (self.speed as f64 * frames).min(u64::MAX as f64) as u64;
            self.runs.advance(steps, deadline);
            self.changed = true;
        }
        self.ticks = self.ticks.saturating_add(1);
        if !self.runs.active() || self.ticks >= self.pace.predict_every {
            self.ticks = 0;
            self.changed |= self.runs.predict();
        }
        let changed = std::mem::take(&mut self.changed);
        changed.then(|| self.runs.take_frame(self.playing))
    }

    /// Ticks until every run has stopped, handing each frame to `observe`.
    pub fn run_to_end(&mut self, mut observe: impl FnMut(Frame)) {
        loop {
            if let Some(frame) = self.tick() {
                observe(frame);
            }
            if !self.runs.active() {
                if let Some(frame) = self.tick() {
                    observe(frame);
                }
                return;
            }
        }
    }
}

/// Runs `methods` on a prepared scene headless to their ends (budget, tolerance or
/// divergence) through the one driver; returns the runs and the record a front end would hold
/// (with `history` false only the final states: the same runs, less work).
pub fn run_to_end(
    prepared: Arc<Prepared>,
    methods: MethodSet,
    history: bool,
) -> Result<(PairedRuns, Record), SimError> {
    let mut driver = Driver::new(Pace::BATCH, u64::MAX);
    driver.runs.final_only = !history;
    driver.runs.start_prepared(0, prepared, methods)?;
    let mut record = Record::default();
    driver.run_to_end(|frame| record.apply(frame));
    Ok((driver.runs, record))
}

/// The final states of `methods` run headless as [`run_to_end`] runs them, polling `cancel`
/// every [`WATCH_EVERY`] steps: `None` once it is raised.
pub fn run_final(
    prepared: Arc<Prepared>,
    methods: MethodSet,
    cancel: &AtomicBool,
) -> Result<Option<PairedRuns>, SimError> {
    let mut runs = PairedRuns::default();
    runs.final_only = true;
    runs.start_prepared(0, prepared, methods)?;
    while runs.active() {
        if cancel.load(Ordering::Relaxed) {
            return Ok(None);
        }
        runs.advance(WATCH_EVERY, None);
    }
    Ok(Some(runs))
}
