//! The app's one background-job mechanism: work on a named thread (in the page's tasks, a
//! slice at a time, on the web) that counts its progress,
//! can be cancelled, repaints the window as it goes, and hands its result to the UI thread,
//! which polls without blocking. Sweeps and file writes both run as jobs.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::time::Duration;

use crate::platform::Instant;

use eframe::egui;

/// What the work sees of its job: progress ticks and the cancel flag.
pub struct Progress {
    done: Arc<AtomicUsize>,
    cancel: Arc<AtomicBool>,
    ctx: egui::Context,
}

impl Progress {
    /// Counts one unit of work done and repaints the window.
    pub fn tick(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
        self.ctx.request_repaint();
    }

    /// The cancel flag (set by [`Job::cancel`] or when the job is dropped).
    pub fn cancelled(&self) -> &AtomicBool {
        &self.cancel
    }
}

/// A job in flight, producing a `T`.
pub struct Job<T> {
    rx: mpsc::Receiver<T>,
    done: Arc<AtomicUsize>,
    cancel: Arc<AtomicBool>,
    total: usize,
    started: Instant,
}

impl<T: Send + 'static> Job<T> {
    /// Starts `work` on a thread named `name`; `total` is the number of ticks it will make.
    pub fn spawn(
        ctx: &egui::Context,
        name: &str,
        total: usize,
        work: impl FnOnce(&Progress) -> T + Send + 'static,
    ) -> Result<Job<T>, String> {
        let (job, tx, progress) = Job::new(ctx, total);
        crate::platform::spawn(name, move || {
            let result = work(&progress);
            // The owner may be gone (then nobody wants the result).
            let _ = tx.send(result);
            progress.ctx.request_repaint();
        })?;
        Ok(job)
    }
}

impl<T: Send + 'static> Job<T> {
    /// Work done a slice at a time where there are no threads (the page's tasks between
    /// frames; a thread on the desktop): `work` runs until the deadline it is given and
    /// returns the result once there is one.
    pub fn sliced(
        ctx: &egui::Context,
        total: usize,
        mut work: impl FnMut(&Progress, Instant) -> Option<T> + Send + 'static,
    ) -> Result<Job<T>, String> {
        let (job, tx, progress) = Job::new(ctx, total);
        crate::platform::repeat("job", move || {
            progress.ctx.request_repaint();
            match work(&progress, Instant::now() + crate::platform::TURN) {
                Some(result) => {
                    // The owner may be gone (then nobody wants the result).
                    let _ = tx.send(result);
                    progress.ctx.request_repaint();
                    None
                }
                None => Some(Duration::ZERO),
            }
        })?;
        Ok(job)
    }

    /// A job of `total` ticks with no work yet: the end its work sends the result through, and
    /// what the work sees of it.
    fn new(ctx: &egui::Context, total: usize) -> (Job<T>, mpsc::Sender<T>, Progress) {
        let (tx, rx) = mpsc::channel();
        let progress = Progress {
            done: Arc::new(AtomicUsize::new(0)),
            cancel: Arc::new(AtomicBool::new(false)),
            ctx: ctx.clone(),
        };
        let job = Job {
            rx,
            done: progress.done.clone(),
            cancel: progress.cancel.clone(),
            total,
            started: Instant::now(),
        };
        (job, tx, progress)
    }
}

impl<T> Job<T> {
    /// The result once the work is done: `None` while it runs, `Some(Err)` if its thread died.
    pub fn poll(&self, ctx: &egui::Context) -> Option<Result<T, String>> {
        match self.rx.try_recv() {
            Ok(result) => Some(Ok(result)),
            Err(mpsc::TryRecvError::Empty) => {
                // The work repaints on progress; this is a safety net.
                ctx.request_repaint_after(Duration::from_millis(200));
                None
            }
            Err(mpsc::TryRecvError::Disconnected) => Some(Err("stopped unexpectedly".into())),
        }
    }

    /// Ticks done and ticks in total.
    pub fn progress(&self) -> (usize, usize) {
        (self.done.load(Ordering::Relaxed), self.total)
    }

    /// Asks the work to stop early.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// Whether [`Job::cancel`] was called.
    pub fn was_cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    /// Time since the job started.
    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }
}

impl<T> Drop for Job<T> {
    /// A dropped job (its owner gone or replaced) stops its work at the next check.
    fn drop(&mut self) {
        self.cancel();
    }
}
