//! The background thread behind the GUI: it feeds commands to the one [`Driver`] and streams
//! its frames back, repainting the UI when something arrived.

use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::platform::Instant;

use eframe::egui;

use crate::experiment::{Command, Driver, Frame, Pace};

/// Length of one playback frame: the speed is in steps per frame of this length.
const FRAME: Duration = Duration::from_millis(16);

/// Where the runs are stepped.
pub enum Backend {
    /// A background thread.
    Thread(Worker),
    /// On the UI thread, one tick per UI frame (deterministic; for tests).
    Inline(Box<Driver>),
}

impl Backend {
    /// Hands a command to the runs; `Err` with a message if the thread is gone.
    pub fn send(&mut self, command: Command) -> Result<(), String> {
        match self {
            Backend::Thread(w) => match w.commands.send(command) {
                Ok(()) => Ok(()),
                Err(_) => Err(w.failure().unwrap_or_else(|| "simulation stopped".into())),
            },
            Backend::Inline(driver) => {
                driver.handle(command);
                Ok(())
            }
        }
    }

    /// The frames produced since the last call (inline: one tick); `Err` if the thread ended.
    pub fn frames(&mut self, ctx: &egui::Context) -> Result<Vec<Frame>, String> {
        match self {
            Backend::Thread(w) => {
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

/// The UI's end of the background thread.
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

    /// `Some(message)` once the thread has ended (a panic message if it panicked).
    fn failure(&mut self) -> Option<String> {
        if self.thread.as_ref().is_some_and(|t| !t.is_finished()) {
            return None;
        }
        let Some(thread) = self.thread.take() else {
            return Some("simulation thread could not start or has stopped".into());
        };
        Some(match thread.join() {
            Ok(()) => "simulation thread has stopped".into(),
            Err(payload) => {
                let msg = (payload.downcast_ref::<&str>().map(|s| s.to_string()))
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

/// Takes the pending commands (only the last restart of a burst), ticks the driver while it
/// plays, sends each frame, and sleeps when idle.
fn worker_loop(commands: Receiver<Command>, frames: Sender<Frame>, ctx: egui::Context) {
    let mut driver = Driver::new(Pace::LIVE, 2000);
    loop {
        let first = if driver.busy() {
            commands.try_recv().ok()
        } else {
            // Background work (a scene being prepared, limits being solved) is polled often.
            let idle = if driver.waiting() { 10 } else { 250 };
            match commands.recv_timeout(Duration::from_millis(idle)) {
                Ok(c) => Some(c),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        };
        let batch: Vec<Command> = first.into_iter().chain(commands.try_iter()).collect();
        let last_restart = batch
            .iter()
            .rposition(|c| matches!(c, Command::Restart { .. }));
        for (i, command) in batch.into_iter().enumerate() {
            let superseded = matches!(command, Command::Restart { .. })
                && last_restart.is_some_and(|last| i < last);
            if !superseded && !driver.handle(command) {
                return;
            }
        }
        let start = Instant::now();
        let playing = driver.busy();
        if let Some(frame) = driver.tick() {
            if frames.send(frame).is_err() {
                return;
            }
            ctx.request_repaint_after(FRAME);
        }
        if playing && driver.speed() != u64::MAX {
            std::thread::sleep(FRAME.saturating_sub(start.elapsed()));
        }
    }
}
