//! The simulation behind the GUI, apart from its frames: it feeds commands to the one
//! [`Driver`] and streams its frames back, repainting the UI when something arrived — on a
//! thread of its own on the desktop, in the page's tasks between frames on the web.

use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::time::Duration;

use crate::platform::{Instant, Repeating};

use eframe::egui;

use crate::experiment::{Command, Driver, Frame, Pace};

/// Length of one playback frame: the speed is in steps per frame of this length.
const FRAME: Duration = Duration::from_millis(16);

/// Where the runs are stepped.
pub enum Backend {
    /// Apart from the UI's frames (a thread, or the page's tasks).
    Worker(Worker),
    /// On the UI thread, one tick per UI frame (deterministic; for tests).
    Inline(Box<Driver>),
}

impl Backend {
    /// Hands a command to the runs; `Err` with a message if the thread is gone.
    pub fn send(&mut self, command: Command) -> Result<(), String> {
        match self {
            Backend::Worker(w) => w.send(command),
            Backend::Inline(driver) => {
                driver.handle(command);
                Ok(())
            }
        }
    }

    /// The frames produced since the last call (inline: one tick); `Err` if the thread ended.
    pub fn frames(&mut self, ctx: &egui::Context) -> Result<Vec<Frame>, String> {
        match self {
            Backend::Worker(w) => {
                let frames: Vec<Frame> = w.frames.try_iter().collect();
                match (frames.is_empty(), w.failure()) {
                    (true, Some(msg)) => Err(msg),
                    _ => Ok(frames),
                }
            }
            Backend::Inline(driver) => {
                if driver.busy() {
                    ctx.request_repaint();
                } else if driver.waiting() {
                    ctx.request_repaint_after(Duration::from_millis(10));
                }
                Ok(driver.tick().into_iter().collect())
            }
        }
    }
}

/// The UI's end of the simulation.
pub struct Worker {
    commands: Sender<Command>,
    frames: Receiver<Frame>,
    turns: Result<Repeating, String>,
}

impl Worker {
    /// Starts the simulation at [`Pace::LIVE`] (the page's pace on the web) on `ctx`'s behalf.
    pub fn spawn(ctx: egui::Context) -> Worker {
        let (commands, command_rx) = mpsc::channel();
        let (frame_tx, frames) = mpsc::channel();
        let pace = match crate::platform::THREADS {
            true => Pace::LIVE,
            false => Pace::PAGE,
        };
        let mut turns = Turns {
            driver: Driver::new(pace, 2000),
            commands: command_rx,
            frames: frame_tx,
            ctx,
        };
        let turns = crate::platform::repeat("dln-sim", move || turns.turn());
        Worker {
            commands,
            frames,
            turns,
        }
    }

    /// Hands the simulation a command and wakes it.
    fn send(&mut self, command: Command) -> Result<(), String> {
        match self.commands.send(command) {
            Ok(()) => {
                if let Ok(turns) = &self.turns {
                    turns.wake();
                }
                Ok(())
            }
            Err(_) => Err(self
                .failure()
                .unwrap_or_else(|| "simulation stopped".into())),
        }
    }

    /// Why the simulation stopped, if it did.
    fn failure(&mut self) -> Option<String> {
        match &mut self.turns {
            Ok(turns) => turns
                .stopped()
                .map(|why| format!("the simulation stopped: {why}")),
            Err(e) => Some(e.clone()),
        }
    }
}

impl Drop for Worker {
    /// Stops the simulation at its next turn.
    fn drop(&mut self) {
        let _ = self.send(Command::Quit);
    }
}

/// The simulation a turn at a time.
struct Turns {
    driver: Driver,
    commands: Receiver<Command>,
    frames: Sender<Frame>,
    ctx: egui::Context,
}

impl Turns {
    /// The commands waiting (of several restarts, only the last), then one tick, its frame sent;
    /// how long to rest before the next turn (`None` once told to quit or nobody listens).
    fn turn(&mut self) -> Option<Duration> {
        let mut batch = Vec::new();
        loop {
            match self.commands.try_recv() {
                Ok(command) => batch.push(command),
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => return None,
            }
        }
        let last_restart = (batch.iter()).rposition(|c| matches!(c, Command::Restart { .. }));
        for (i, command) in batch.into_iter().enumerate() {
            let superseded = matches!(command, Command::Restart { .. })
                && last_restart.is_some_and(|last| i < last);
            if !superseded && !self.driver.handle(command) {
                return None;
            }
        }
        let start = Instant::now();
        let playing = self.driver.busy();
        if let Some(frame) = self.driver.tick() {
            self.frames.send(frame).ok()?;
            self.ctx.request_repaint_after(FRAME);
        }
        Some(match playing {
            true if self.driver.speed() == u64::MAX => Duration::ZERO,
            true => FRAME.saturating_sub(start.elapsed()),
            false if self.driver.waiting() => Duration::from_millis(10),
            false => Duration::from_millis(250),
        })
    }
}
